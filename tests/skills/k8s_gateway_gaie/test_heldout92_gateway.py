"""Round-92 held-out families of check_routes.py: Envoy Gateway's own control-plane TLS
secret reported not found (never a listener certificate), a status write refused for a
condition message over metav1.Condition's 32768-byte limit (pasted bare, in ``` fences), and
Linkerd's policy controller failing to patch a deleted HTTPRoute's status.

Expected values: envoyproxy/gateway internal/gatewayapi/globalresources.go (`envoy TLS secret
%s/%s not found`, PR #5988) and PR #6379 (commit 5016dda445, which quotes the held-out log);
k8s.io/apimachinery v0.37.2 pkg/apis/meta/v1/types.go:1693 (MaxLength=32768) and
pkg/util/validation/field/errors.go:347-364 (TooLong), envoyproxy/gateway#7146 (the bare
older wording) and apecloud/kubeblocks#10322 (the full `is invalid: status.conditions[2].
message: Too long: may not be more than 32768 bytes` form); linkerd/linkerd2 commit 1a763569c
(PR #11471, policy-controller/k8s/status/src/index.rs, quoting the held-out line)."""
from __future__ import annotations

from .conftest import paste_findings, problem_causes

# --- Envoy Gateway's own TLS secret (envoyproxy/gateway PR #6379) ----------------------------

_EG_OWN_SECRET = (
    '2025-06-23T04:36:06.505Z\tINFO\tprovider\tkubernetes/controller.go:361\tsecret\t'
    '{"runner": "provider", "count": 0, "gwc": "envoy-gateway"}\n'
    '2025-06-23T04:36:06.506Z\tERROR\tgateway-api\trunner/runner.go:180\terrors detected '
    'during translation\t{"runner": "gateway-api", "error": "envoy TLS secret '
    'envoy-gateway-system/envoy not found"}\n')


def test_eg_own_tls_secret_is_no_listener_certificate(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _EG_OWN_SECRET)
    assert not [f for f in found if f["severity"] != "info"]
    own = [f for f in found if f["cause"] == "control_plane_secret"]
    assert own and own[0]["basis"] == "inferred"
    assert own[0]["confirm"] == "kubectl get secret -n envoy-gateway-system envoy"


def test_eg_own_tls_secret_other_namespace_and_json_log(gw_run, tmp_path):
    # the JSON log form, the controller installed in another namespace
    text = ('{"level":"error","ts":"2025-07-01T10:00:00Z","logger":"gateway-api","caller":'
            '"runner/runner.go:180","msg":"errors detected during translation","runner":'
            '"gateway-api","error":"envoy TLS secret eg-system/envoy not found"}\n')
    found = paste_findings(gw_run, tmp_path, text)
    assert "listener_certificate_invalid" not in [f["cause"] for f in found]
    assert any(f["cause"] == "control_plane_secret" and "eg-system" in f["confirm"]
               for f in found)


def test_listener_secret_not_found_stays_a_certificate_fault(gw_run, tmp_path):
    # near-miss: a listener's certificateRefs Secret missing (gateway-api ResolvedRefs
    # InvalidCertificateRef wording) is still listener_certificate_invalid
    text = ('Warning  InvalidCertificateRef  gateway/eg  secret default/example-cert '
            'not found\n')
    assert "listener_certificate_invalid" in problem_causes(gw_run, tmp_path, text)


# --- a condition message over 32768 bytes (envoyproxy/gateway#7146) -------------------------

_TOO_LONG_FENCED = (
    "```\n"
    "\t// message is a human readable message indicating details about the transition.\n"
    "\t// +kubebuilder:validation:MaxLength=32768\n"
    "\tMessage string `json:\"message\" protobuf:\"bytes,6,opt,name=message\"`\n"
    "```\n\n```\nToo long: may not be longer than 32768 \n```\n")


def test_condition_message_too_long_fenced(gw_run, tmp_path):
    assert problem_causes(gw_run, tmp_path, _TOO_LONG_FENCED)[:1] == ["status_update_rejected"]


def test_condition_message_too_long_full_refusal_newer_wording(gw_run, tmp_path):
    text = ('E1007 10:00:00.000000       1 status.go:90] failed to update status: '
            'HTTPRoute.gateway.networking.k8s.io "big" is invalid: status.parents[0].'
            'conditions[0].message: Too long: may not be more than 32768 bytes\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["status_update_rejected"]


def test_other_length_limit_is_not_a_status_write(gw_run, tmp_path):
    # near-miss: a Gateway name over 63 bytes is the user's spec, not a status write
    text = ('The Gateway "a-very-long-name" is invalid: metadata.name: Too long: may not be '
            'more than 63 bytes\n')
    assert "status_update_rejected" not in problem_causes(gw_run, tmp_path, text)


# --- Linkerd's status patch of a deleted HTTPRoute (linkerd/linkerd2 PR #11471) -------------

_LINKERD_404 = (
    '2023-10-09T20:53:17.059098Z ERROR status::Controller: linkerd_policy_controller_k8s_'
    'status::index: Failed to patch HTTPRoute namespace=linkerd-policy-test-sev0n7 route='
    'GroupKindName { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "test" } '
    'error=ApiError: httproutes.gateway.networking.k8s.io "test" not found: NotFound '
    '(ErrorResponse { status: "Failure", message: "httproutes.gateway.networking.k8s.io '
    '\\"test\\" not found", reason: "NotFound", code: 404 })\n')


def test_linkerd_patch_of_deleted_route(gw_run, tmp_path):
    assert problem_causes(gw_run, tmp_path, _LINKERD_404)[:1] == ["status_update_rejected"]


def test_linkerd_patch_span_form(gw_run, tmp_path):
    # the later policy controller logs one `patch{...}` span with `error=` (index.rs@b24cd4059)
    text = ('2024-05-01T00:00:00Z ERROR status::Controller:patch{name="web" namespace="app" '
            'group=gateway.networking.k8s.io kind=GRPCRoute}: linkerd_policy_controller_k8s_'
            'status::index: error=ApiError: grpcroutes.gateway.networking.k8s.io "web" not '
            'found: NotFound (ErrorResponse { status: "Failure", reason: "NotFound", '
            'code: 404 })\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["status_update_rejected"]


def test_linkerd_patched_status_is_silent(gw_run, tmp_path):
    text = ('2024-05-01T00:00:00Z INFO status::Controller:patch{name="web" namespace="app" '
            'group=gateway.networking.k8s.io kind=HTTPRoute}: linkerd_policy_controller_k8s_'
            'status::index: Patched status\n')
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code == 2 or "status_update_rejected" not in [
        f["cause"] for f in result.doc["findings"]]


def test_linkerd_forbidden_patch_is_rbac(gw_run, tmp_path):
    text = _LINKERD_404.replace(
        '"test" not found: NotFound', '"test" is forbidden: User "system:serviceaccount:'
        'linkerd:linkerd-destination" cannot patch resource "httproutes/status" in API group '
        '"gateway.networking.k8s.io" in the namespace "x": Forbidden').replace("404", "403")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["controller_forbidden"]
