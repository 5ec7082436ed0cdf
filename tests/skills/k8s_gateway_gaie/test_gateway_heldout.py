"""Held-out rounds 12 to 15 (Gateway API / Inference Extension). Ground truth: the implementations'
status wordings at the sources named, and the public threads' resolutions; never this
script's output."""
from __future__ import annotations

import yaml


def _findings(gw_run, tmp_path, text: str) -> list[dict]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_a_listener_route_kind_the_implementation_refuses(gw_run, tmp_path):
    # kubernetes-sigs/gateway-api#3757: ResolvedRefs=False InvalidRouteKinds with Contour's
    # wording (internal/dag/gatewayapi_processor.go `Kind %q is not supported, kind must be
    # %q or %q`); the API allows the kind, the implementation does not
    for said in ('this results in the following error in the status:\n\n`kind "GRPCRoute" is '
                 'not supported, kind must be HTTPRoute orTLSRoute`\n',
                 'message: Kind "GRPCRoute" is not supported, kind must be "HTTPRoute" or '
                 '"TLSRoute"\n'):
        top = _findings(gw_run, tmp_path, said)[0]
        assert (top["cause"], top["basis"]) == ("listener_invalid", "reported"), top
        assert "allowedRoutes.kinds" in top["fix"]


def test_a_tls_listener_mode_the_release_does_not_serve(gw_run, tmp_path):
    # envoyproxy/gateway#1391 (v0.4.0) and v0.3.0 internal/gatewayapi/translator.go
    for said in ('getting the message in the Gateway status:\n"TLS mode "Terminate" is not '
                 'supported, TLS mode must be Passthrough"\n',
                 "message: TLS Terminate mode is not supported, TLS mode must be Passthrough.\n"):
        top = _findings(gw_run, tmp_path, said)[0]
        assert (top["cause"], top["basis"]) == ("listener_invalid", "reported"), top


def test_an_inference_setting_named_true_is_not_a_fault(gw_run, tmp_path):
    # agentgateway/agentgateway#1719 lists its install: the setting is on, not off
    found = _findings(gw_run, tmp_path, "## Environment\n\n- **Installation method**: Helm "
                      "chart with `inferenceExtension.enabled=true`\n- the gateway fails to "
                      "route to the pool\n")
    assert "inference_pool_unsupported" not in {f["cause"] for f in found}, found
    top = _findings(gw_run, tmp_path, "the gateway fails with `inferenceExtension.enabled="
                    "false` in our values\n")[0]
    assert top["cause"] == "inference_pool_unsupported", top


POOL = {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
        "metadata": {"name": "vllm", "namespace": "llm"},
        "spec": {"selector": {"matchLabels": {"app": "vllm"}}, "targetPorts": [{"number": 8000}],
                 "endpointPickerRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                       "name": "llm-inference-gateway"}}}


def test_an_endpoint_picker_ref_to_a_gateway(gw_run, tmp_path):
    # agentgateway/agentgateway#1719 (nil dereference on it, fixed to a status error in #1726);
    # gateway-api-inference-extension#2915: such a pool gets ResolvedRefs=False
    # InvalidExtensionRef. The whole pool, and the ref's block pasted alone.
    found = _findings(gw_run, tmp_path, yaml.safe_dump(POOL))
    picker = [f for f in found if f["cause"] == "endpoint_picker_missing"]
    assert picker and picker[0]["object"]["name"] == "vllm", found
    assert "kind Gateway" in picker[0]["evidence"][0]
    top = _findings(gw_run, tmp_path, "InferencePool (endpointPickerRef as used):\n```yaml\n"
                    + yaml.safe_dump({"endpointPickerRef": POOL["spec"]["endpointPickerRef"]})
                    + "```\n")[0]
    assert (top["cause"], top["basis"]) == ("endpoint_picker_missing", "inferred"), top
    assert top["confirm"] == "kubectl get inferencepools -A -o yaml"


def test_waiting_for_controller_on_a_listenerset_the_implementation_ignores(gw_run, tmp_path):
    # cilium/cilium#42756 (1.19.0-pre2): an XListenerSet keeps the CRD default conditions;
    # Cilium did not reconcile ListenerSets until cilium/cilium#46303
    top = _findings(gw_run, tmp_path, """When applying an XListenerSet manifest, the resource \
remains in the following state indefinitely:

Status:
  Conditions:
    Type:                  Accepted
    Status:                Unknown
    Reason:                Pending
    Message:               Waiting for controller
""")[0]
    assert top["cause"] == "listenerset_not_reconciled", top


def test_an_implementation_condition_not_yet_known_is_no_verdict(gw_run, tmp_path):
    # Kong KIC writes Programmed=Unknown reason Unknown beside Accepted=True on a route parent
    # (Kong/kubernetes-ingress-controller GRPCRoute thread in the corpus); Gateway API defines
    # Accepted, ResolvedRefs and PartiallyInvalid for route parents (apis/v1/shared_types.go)
    found = _findings(gw_run, tmp_path, """## `GRPCRoute`

```yml
  status:
    parents:
    - conditions:
      - message: ""
        reason: Accepted
        status: "True"
        type: Accepted
      - message: ""
        reason: Unknown
        status: Unknown
        type: Programmed
      controllerName: konghq.com/kic-gateway-controller
      parentRef:
        name: example
```
""")
    assert not [f for f in found if f["severity"] == "error"], found


def test_a_manifest_line_that_names_a_service_port_is_no_port_mismatch(gw_run):
    # aws/aws-application-networking-k8s#544: a pasted route's "kind: Service" and "port: 80",
    # joined into one paragraph beside "ResolvedRefs", are not a controller's message
    from _gw.messages import match_message, match_quoted
    joined = ("The Route's status blindly change to ResolvedRefs==True even if the controller "
              "was NOT able to resolve the references - backendRefs: - name: my-backend kind: "
              "Service port: 80 weight: 10")
    assert match_quoted(joined, reason_tokens=False) is None
    said = match_message("route", "service port 8080 not found")
    assert said is not None and said.cause == "port_mismatch"


def test_a_route_said_not_synchronized_is_a_failure_to_explain(gw_run, tmp_path):
    # cilium/cilium#47633: Accepted=True, yet the route is missing from the Envoy config;
    # nothing in the paste says why
    found = _findings(gw_run, tmp_path, "The httproute entry was not synchronized to Envoy, but "
                      "it displays ok. The exported Envoy configuration does not contain any "
                      "entries related to httproute.\n")
    assert [(f["cause"], f["severity"]) for f in found] == [("cause_unknown", "info")], found


def test_confirm_commands_omit_an_empty_namespace(gw_run, tmp_path):
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "inventory"},
             "spec": {"parentRefs": [{"name": "gw"}],
                      "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]}}
    found = _findings(gw_run, tmp_path, yaml.safe_dump(route))
    confirms = [f.get("confirm", "") for f in found if f.get("confirm")]
    assert confirms and not any(" -n  " in c or c.rstrip().endswith(" -n") for c in confirms)


# --- held-out round 13 ---------------------------------------------------------------------

def test_apisix_answers_no_route_matched(gw_run, tmp_path):
    # apache/apisix apisix/init.lua: core.response.exit(404, {error_msg = "404 Route Not
    # Found"}); apache/apisix-ingress-controller#2782 (2.1.0 matches the listener ports)
    top = _findings(gw_run, tmp_path, 'I am getting "404 Route Not Found" after updating the '
                    "APISIX helm chart to 2.1.0.\n\n```json\n{\"status\": 1, \"name\": "
                    "\"forgejo_forgejo_0-0\", \"priority\": 3}\n```\n")[0]
    assert (top["cause"], top["basis"]) == ("request_not_routed", "reported"), top
    assert "listener_port_match_mode" in top["fix"]


def test_ngf_target_conflict(gw_run, tmp_path):
    # nginx/nginx-gateway-fabric#3400: PolicyReasonTargetConflict and its message
    top = _findings(gw_run, tmp_path, """ObservabilityPolicy for app1 is complaining app2:
      Message:               Policy cannot be applied to target "app2/app2" since another \
Route "app2/app2" shares a hostname:port/path combination with this target
      Observed Generation:   2
      Reason:                TargetConflict
""")[0]
    assert (top["cause"], top["basis"]) == ("policy_conflicted", "reported"), top


def test_a_gateway_report_in_words_is_not_bad_input(gw_run, tmp_path):
    # traefik/traefik#13622 as the thread's text alone: a report, not an unreadable file
    path = tmp_path / "paste.txt"
    path.write_text("Our HTTPRoute is fine but Traefik ignores the TCPRoute we created today "
                    "after enabling the experimental channel.\n")
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code == 0, result.err
    assert [(f["cause"], f["severity"]) for f in result.doc["findings"]] == [
        ("not_evaluated", "info")]
    path.write_text("hello there, my dear friend\n")
    assert gw_run("check_routes", "-f", str(path), "--json").code == 2


# --- held-out round 14 ---------------------------------------------------------------------

def test_a_quoted_default_status_beside_a_reason(gw_run, tmp_path):
    # rancher/rke2#8839: the Gateway keeps the CRD default until Cilium's operator restarts
    top = _findings(gw_run, tmp_path, "The gateway is `Waiting for controller`, `Reason: "
                    "Pending`, until the cilium-operator is restarted\n")[0]
    assert top["cause"] == "no_controller", top
    assert "restarted" in top["fix"]


def test_envoy_refusing_a_generated_listener(gw_run, tmp_path):
    # envoyproxy/gateway#601 (fixed by #604): Envoy's xDS NACK in the control plane's log
    top = _findings(gw_run, tmp_path, "EG Logs:\n```\n2022-10-18T22:07:32.059Z\tINFO\tcache/"
                    "logrwrapper.go:24\thandling v3 xDS resource request, errorCode 13, "
                    "errorMessage Error adding/updating listener(s) default-eg-https: error "
                    "adding listener '0.0.0.0:8443': partial wildcards are not supported\n```\n")[0]
    # (round 66: Envoy's refusal of generated config is its own id, xds_config_rejected)
    assert (top["cause"], top["basis"]) == ("xds_config_rejected", "reported"), top


def test_no_timeouts_is_advice_unless_generations_are_served(gw_run, tmp_path):
    # aws-application-networking-k8s#544: on a plain Service backend the missing timeout is an
    # info and never outranks the missing backend; an InferencePool backend keeps the warning
    def route(kind: str) -> dict:
        ref = {"name": "web", "port": 80} if kind == "Service" else {
            "group": "inference.networking.k8s.io", "kind": "InferencePool", "name": "web"}
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": {"name": "inventory", "namespace": "default"},
                "spec": {"parentRefs": [{"name": "gw"}], "rules": [{"backendRefs": [ref]}]}}
    for kind, severity in (("Service", "info"), ("InferencePool", "warning")):
        found = _findings(gw_run, tmp_path, yaml.safe_dump(route(kind)))
        timeouts = [f for f in found if f["cause"] == "no_timeouts"]
        assert timeouts and timeouts[0]["severity"] == severity, (kind, found)


# --- round 15 ------------------------------------------------------------------------------

EG_BACKEND = """apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata:
  name: admin
  namespace: default
spec:
  endpoints:
  - ip:
      address: {address}
      port: 19000
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: default
spec:
  parentRefs:
  - name: eg
  rules:
  - backendRefs:
    - group: gateway.envoyproxy.io
      kind: Backend
      name: admin
"""


def test_an_envoy_gateway_backend_at_a_loopback_address(gw_run, tmp_path):
    # envoyproxy/gateway#4203 (fixed by #4209): EG refuses a Backend in the loopback range
    # (v1.9.0 internal/gatewayapi/backend.go validateIP) unless it runs on the Host
    # infrastructure; the route has no usable backend
    top = _findings(gw_run, tmp_path, EG_BACKEND.format(address="127.0.0.1"))[0]
    assert (top["cause"], top["basis"]) == ("backend_unresolved", "inferred"), top
    assert "in the loopback range is only supported when using the Host infrastructure" in \
        top["message"]


def test_an_envoy_gateway_backend_at_a_routable_address_is_no_finding(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, EG_BACKEND.format(address="10.0.0.7"))
    assert "backend_unresolved" not in [f["cause"] for f in found], found


def test_istiod_dropping_a_server_for_a_port_conflict(gw_run, tmp_path):
    # istio/istio#60562: a ListenerSet's HTTPS 443 beside the Gateway's own; every status
    # healthy, istiod's log says the server was skipped (fixed by istio/istio#60566)
    text = ("Internally Istio reports a port conflict via `2026-06-11T02:14:48.481176Z\tinfo\t"
            "model\tskipping server on gateway ingress-gateway~istio-autogenerated-k8s-gateway~"
            "https port default.443.HTTPS: conflict with existing server 443.HTTPS`\n")
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("listener_conflict", "reported"), top


def test_a_route_cut_right_after_spec_is_read_without_it(gw_run, tmp_path):
    # envoyproxy/gateway#4846's stored copy ends inside the HTTPRoute ("spec:\n  par"), which
    # YAML reads as `spec: par`; the policy status before it still decides
    text = """```yaml
 - lastTransitionTime: "2024-12-04T07:54:24Z"
      message: 'ExtProc: backend ref to Service extproc/grpc-ext-proc not permitted
        by any ReferenceGrant.'
      reason: Invalid
      status: "False"
      type: Accepted
```
```shell
cat <<EOF | kubectl apply -f -
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: myapp
spec:
  par"""
    top = _findings(gw_run, tmp_path, text)[0]
    assert top["cause"] == "ref_not_permitted", top


# --- round 16 ------------------------------------------------------------------------------

def test_cilium_operator_missing_a_required_crd_version(gw_run, tmp_path):
    # agalue/LGTM-PoC#69: Cilium 1.20 with Gateway API v1.4.1 CRDs; the operator checks once
    # at start and runs no Gateway API controller, so no class is Accepted
    top = _findings(gw_run, tmp_path, 'This causes `cilium-operator` to log a one-time error at '
                    'startup and never retry:\n```\nRequired GatewayAPI resources are not found '
                    '... CRD "tlsroutes.gateway.networking.k8s.io" does not have version "v1"\n'
                    '```\n')[0]
    assert (top["cause"], top["basis"]) == ("crd_not_installed", "reported"), top


def test_the_aws_controllers_gatewayclass_not_found_log(gw_run, tmp_path):
    # aws/aws-application-networking-k8s#539: a Gateway created before its GatewayClass
    line = ('manager {"level":"info","ts":"2023-11-22T12:50:01.228Z","logger":"controller.gateway",'
            '"caller":"controllers/gateway_controller.go:153","msg":"GatewayClass is not found",'
            '"name":"app-services-gw","gwclass":"default/amazon-vpc-lattice"}\n')
    top = _findings(gw_run, tmp_path, line)[0]
    assert (top["cause"], top["basis"]) == ("gateway_class_not_found", "reported"), top


def test_a_wording_value_does_not_span_sentences(gw_run, tmp_path):
    # kgateway-dev/kgateway#10987: a report in words whose "port" and "not found" are in
    # different sentences is not Istio's "port %v not found" (NoMatchingParent)
    text = ("InferencePool BackendRef Requires Port Definition\n\n### kgateway version\n\n"
            "v2.0.0-rc.1\n\n### Describe the bug\n\nAn HTTPRoute that specifies an "
            "InferencePool as a BackendRef requires the `port` field when it should be optional "
            "based on the Gateway API spec. When unspecified, Kgateway uses the "
            "`targetPortNumber` of the InferencePool being referenced.\n\n### Steps to "
            "reproduce the bug\n\n1. Install kgtw with inference extension\n2. HTTPRoute "
            "status will show BackendRef not found due to the missing port field.\n")
    assert "parent_not_found" not in [f["cause"] for f in _findings(gw_run, tmp_path, text)]


def test_a_report_that_the_pods_lack_the_pools_selector_label(gw_run, tmp_path):
    # ai-dynamo/dynamo#9700: the operator's new InferencePool selector requires a label the
    # running worker pods do not carry; matchLabels are ANDed, so the pool selects no pod
    text = ("Generated `InferencePool` resources select worker pods using the "
            "component-class label. That means old pods can continue running without the new "
            "`component-class=worker` label, while the `InferencePool` is updated to require "
            "it.\n")
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("pool_selects_no_pods", "inferred"), top


def test_pods_that_carry_the_pools_label_are_no_finding(gw_run, tmp_path):
    text = ("The InferencePool selects the vLLM pods by app=vllm and every pod has that label; "
            "requests still time out after 30 seconds.\n")
    causes = [f["cause"] for f in _findings(gw_run, tmp_path, text)]
    assert "pool_selects_no_pods" not in causes, causes


# --- held-out round 17 ---------------------------------------------------------------------

LISTENER_CONDITIONS = """  Listeners:
    Attached Routes:  0
    Conditions:
      Last Transition Time:  2025-08-21T12:26:43Z
      Message:               Invalid CertificateRef
      Reason:                Invalid
      Status:                False
      Type:                  Programmed
      Last Transition Time:  2025-08-21T12:26:43Z
      Message:               CertificateRef is not permitted
      Reason:                RefNotPermitted
      Status:                False
      Type:                  ResolvedRefs
    Name:                    cilium-gateway
"""


def test_a_certificate_ref_not_permitted_is_the_missing_grant(gw_run, tmp_path):
    # Cilium's listener status (dfrappart.github.io shared Gateway API post): the Secret is in
    # another namespace; RefNotPermitted means no ReferenceGrant (gateway-api v1.6.3
    # ListenerReasonRefNotPermitted), and Programmed=False follows from it
    text = ("Name:         shared-gw-tls\nNamespace:    ciliumgateway\nAPI Version:  "
            "gateway.networking.k8s.io/v1\nKind:         Gateway\nStatus:\n" + LISTENER_CONDITIONS)
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("ref_not_permitted", "reported"), top


def test_a_describe_cut_before_its_name_is_the_described_gateway(gw_run, tmp_path):
    # justinlegrange.github.io (K3s, Traefik 3.7.4): `k describe gateway NAME`, then "[...]"
    # and a listener's conditions with its Name after them
    text = ("$ k describe gateway test-nginx-gateway\n[...]\nConditions:\n"
            "      Last Transition Time:  2026-07-29T15:47:46Z\n"
            "      Message:               Cannot load CertificateRef default/local-selfsigned-tls:"
            " getting secret: secret \"local-selfsigned-tls\" not found\n"
            "      Reason:                InvalidCertificateRef\n      Status:                False\n"
            "      Type:                  ResolvedRefs\n    Name:                    https\n")
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("listener_certificate_invalid", "reported"), top
    assert top["object"]["name"] == "test-nginx-gateway", top
    assert "listener https" in top["message"], top


# --- held-out round 19 ------------------------------------------------------------------------
def test_a_gateway_condition_quoted_without_its_reason(gw_run, tmp_path):
    # Azure-Samples/holiday-peak-hub#913: the PR's own sentence quotes the controller's verdict
    text = ("The Gateway was Accepted=False because the BYO annotations referenced an ALB CRD "
            "that did not exist in the cluster.\n")
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("gateway_not_ready", "reported"), top
    assert top["confirm"], top  # the reason is not in the paste: say where it is


def test_a_reasonless_condition_takes_its_subject_not_the_first_object_word(gw_run, tmp_path):
    text = "The route's Gateway stays `Programmed=False` since the upgrade.\n"
    assert _findings(gw_run, tmp_path, text)[0]["cause"] == "gateway_not_ready"
    text = "The HTTPRoute on the shared Gateway has ResolvedRefs: False after the change.\n"
    # the subject is the nearest object word before the condition: the Gateway is not a
    # route, and a Gateway has no ResolvedRefs condition of its own
    assert [f["cause"] for f in _findings(gw_run, tmp_path, text)
            if f["severity"] != "info"] == []


def test_a_listener_not_programmed_because_its_secret_was_never_created(gw_run, tmp_path):
    # rwlove/home-ops#11142: cert-manager's gateway-shim was off, so no Certificate, no Secret
    text = ("The new `https-glance` listener stayed `Programmed=False` because the `glance-tls` "
            "Secret was never created. Controller args confirmed no `--enable-gateway-api`.\n")
    found = _findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["listener_certificate_invalid"], found
    assert any("Programmed=False" in e for e in found[0]["evidence"]), found


def test_a_listener_named_https_on_443_with_protocol_http_is_plain_http(gw_run, tmp_path):
    # envoyproxy/gateway#3083: "Simply using port 443 doesn't transform the listener to a TLS
    # enabled listener"; gateway-api Listener.TLS applies to HTTPS and TLS only
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "envoy-public", "namespace": "envoy-public"},
          "spec": {"gatewayClassName": "envoy-public", "listeners": [
              {"name": "http", "protocol": "HTTP", "port": 80},
              {"name": "https", "protocol": "HTTP", "port": 443}]}}
    found = [f for f in _findings(gw_run, tmp_path, yaml.safe_dump(gw))
             if f["severity"] != "info"]
    assert [(f["cause"], f["severity"]) for f in found] == [("no_tls", "warning")], found
    assert "listener https (port 443)" in found[0]["message"]
    gw["spec"]["listeners"] = [{"name": "https-redirect", "protocol": "HTTP", "port": 80},
                               {"name": "https", "protocol": "HTTPS", "port": 443,
                                "tls": {"certificateRefs": [{"name": "site-tls"}]}}]
    assert not [f for f in _findings(gw_run, tmp_path, yaml.safe_dump(gw))
                if f["cause"] == "no_tls" and f["severity"] == "warning"]


def test_terminate_on_a_tls_listener_is_asked_unless_the_status_accepts_it(gw_run, tmp_path):
    # nginx/nginx-gateway-fabric#4977 (2.4.2 took only Passthrough on protocol TLS; #5287 added
    # Terminate); Contour changelogs/unreleased/4631: "For a TLS listener, the TLS mode
    # Passthrough must be used"
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "inbound-gateway", "namespace": "default"},
          "spec": {"gatewayClassName": "nginx", "listeners": [
              {"name": "raw-tcp-tls", "protocol": "TLS", "port": 7070,
               "tls": {"mode": "Terminate", "certificateRefs": [{"name": "wildcard"}]},
               "allowedRoutes": {"kinds": [{"kind": "TLSRoute"}]}}]}}
    found = [f for f in _findings(gw_run, tmp_path, yaml.safe_dump(gw))
             if f["severity"] != "info"]
    assert [(f["cause"], f["severity"], f["basis"]) for f in found] == [
        ("listener_invalid", "warning", "inferred")], found
    gw["status"] = {"listeners": [{"name": "raw-tcp-tls", "attachedRoutes": 1, "conditions": [
        {"type": "Accepted", "status": "True", "reason": "Accepted"}]}]}
    assert not [f for f in _findings(gw_run, tmp_path, yaml.safe_dump(gw))
                if f["cause"] == "listener_invalid"]
