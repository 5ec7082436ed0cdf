"""Held-out round 66 (and older misses) of check_routes.py. Ground truth, per rule:

- Envoy's refusal of xDS config is xds_config_rejected for any resource type: Envoy logs
  `gRPC config for type.googleapis.com/envoy.config.<api>.v3.<Type> rejected: <why>`
  (source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138, as pasted in
  envoyproxy/gateway#5729; `delta config for ... rejected` from delta_subscription_state.cc,
  envoyproxy/gateway#7866); kgateway-dev/kgateway#14453 for another wording of the reason.
- a True Accepted condition beside the data plane's refusal is the controller's defect
  (envoyproxy/gateway#7400: `Policy has been accepted.` while Envoy refused the listener;
  fixed by PR #8040).
- Envoy Gateway v1.8+ refuses an unknown cipher with `TLS: unsupported cipher suite: %s`
  (internal/gatewayapi/tls.go:357@v1.8.3; testdata clienttrafficpolicy-tls-invalid-cipher
  .out.yaml); an equal-preference group `[A|B]` is an entry Envoy takes (Envoy's default
  list as Envoy Gateway documents it, api/v1alpha1/tls_types.go:78-79@v1.8.3;
  envoyproxy/gateway#9679, fixed by PR #10050).
- istiod's SDS denial `cross namespace secret reference requires ReferenceGrant` (istio
  1.28.10 pilot/pkg/xds/sds.go:317-319; `ReferencePolicy` in 1.24.0 sds.go:292) for a Secret
  of the Gateway's own namespace or one a grant permits is istiod's defect (istio/istio#60618,
  #60277, #58878); without that it is a missing grant.
- HAProxy Kubernetes Ingress logs `Unsupported version '%s' of gateway api is installed,
  please install experimental yaml version %s` and `No tcproute crd is installed, ...`
  (haproxytech/kubernetes-ingress pkg/k8s/main.go IsGatewayAPIInstalled;
  haproxytech/helm-charts#317).
- an implementation CRD requiring a field the manifest names differently is a manifest of
  another release (kubernetes-sigs/aws-load-balancer-controller#4249, the maintainer: the
  cluster had the older CRD).
"""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# envoyproxy/gateway#5729, the Envoy log line as the issue pastes it
_APIKEY_NACK = (
    "[2025-04-09 02:29:35.230][1][warning][config] [source/extensions/config_subscription/grpc/"
    "grpc_subscription_impl.cc:138] gRPC config for type.googleapis.com/envoy.config.listener."
    "v3.Listener rejected: Error adding/updating listener(s) dm-gateway/dm-gateway/internal-"
    "gateway-https: Duplicated credential key: '...'\n")


def test_envoy_listener_nack_is_xds_config_rejected(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _APIKEY_NACK)
    assert (found[0]["cause"], found[0]["basis"]) == ("xds_config_rejected", "reported")
    assert "egctl x status" in found[0]["fix"]


def test_a_cluster_nack_is_xds_config_rejected_too(gw_run, tmp_path):
    # another resource type and the delta-xDS form of the same log (delta_subscription_state.cc)
    text = ("[2025-12-22 17:34:42.584][1][warning][config] [source/extensions/config_subscription"
            "/grpc/delta_subscription_state.cc:296] delta config for type.googleapis.com/envoy."
            "config.cluster.v3.Cluster rejected: Error adding/updating cluster(s) httproute/"
            "default/backend/rule/0: LOGICAL_DNS clusters must have a single locality_lb_endpoint"
            "\n")
    assert _causes(gw_run, tmp_path, text)[0] == "xds_config_rejected"


def test_a_wording_that_names_the_reason_ranks_before_the_nack(gw_run, tmp_path):
    # envoy filter_chain_manager_impl.cc "has the same matching rules defined as"
    text = ("gRPC config for type.googleapis.com/envoy.config.listener.v3.Listener rejected: "
            "Error adding/updating listener(s) ns/gw/tls: error adding listener '0.0.0.0:10443': "
            "filter chain 'a' has the same matching rules defined as 'b'\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["listener_conflict"]


def test_an_accepted_nack_is_not_an_xds_refusal(gw_run, tmp_path):
    # near miss: Envoy's ACK log ("config for ... accepted") refuses nothing
    text = ("[2025-04-09 02:29:35.230][1][info][upstream] cds: add 3 cluster(s), remove 0 "
            "cluster(s)\ngRPC config for type.googleapis.com/envoy.config.listener.v3.Listener "
            "accepted with 2 resources\n")
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    if result.code != 2:
        assert "xds_config_rejected" not in [f["cause"] for f in result.doc["findings"]]


# envoyproxy/gateway#7400: the user's two sentences around the policy status
_ACCEPTED_STATUS = """\
The policy is accepted by the controller:

```yaml
status:
  ancestors:
  - ancestorRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: eg
      namespace: gateway-envoy
    conditions:
    - lastTransitionTime: "2025-10-31T16:14:11Z"
      message: Policy has been accepted.
      observedGeneration: 20
      reason: Accepted
      status: "{status}"
      type: Accepted
```

{after}
"""


def test_accepted_policy_that_envoy_refuses_contradicts_the_status(gw_run, tmp_path):
    text = _ACCEPTED_STATUS.format(status="True", after=(
        "However, Envoy rejects the listener configuration with an error indicating the cipher "
        "is invalid."))
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("controller_contradicts_spec", "inferred")
    assert top["confirm"]


def test_accepted_status_beside_a_nack_line_contradicts_it(gw_run, tmp_path):
    # the refusal as Envoy's own log line instead of words: the NACK stays reported, first
    text = _ACCEPTED_STATUS.format(status="True", after=_APIKEY_NACK)
    causes = _causes(gw_run, tmp_path, text)
    assert causes[:2] == ["xds_config_rejected", "controller_contradicts_spec"]


def test_no_contradiction_without_a_true_status_or_a_config_refusal(gw_run, tmp_path):
    refused = ("However, Envoy rejects the listener configuration with an error indicating the "
               "cipher is invalid.")
    # the status is False: the controller did refuse it
    assert "controller_contradicts_spec" not in _causes(
        gw_run, tmp_path, _ACCEPTED_STATUS.format(status="False", after=refused))
    # Envoy refusing connections is not a refusal of config
    assert "controller_contradicts_spec" not in _causes(
        gw_run, tmp_path, _ACCEPTED_STATUS.format(
            status="True", after="However, Envoy rejects the connection with a TLS alert."))


# envoyproxy/gateway#9679, the error as the issue quotes it, and the policy
_CIPHER_POLICY = """\
TLS: unsupported cipher suite: {entry}

apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: eg
spec:
  tls:
    ciphers:
    - '{entry}'
    - ECDHE-RSA-AES256-GCM-SHA384
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: eg
"""


def test_a_refused_equal_preference_cipher_group_contradicts_boringssl(gw_run, tmp_path):
    text = _CIPHER_POLICY.format(entry="[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-"
                                       "POLY1305]")
    top = _findings(gw_run, tmp_path, text)[0]
    assert top["cause"] == "controller_contradicts_spec"
    assert "equal-preference" in top["message"]


def test_a_refused_group_in_the_policy_status_contradicts_too(gw_run, tmp_path):
    # the status form (testdata clienttrafficpolicy-tls-invalid-cipher.out.yaml) with a group
    text = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: ctp
  namespace: default
spec:
  targetRefs:
  - {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
status:
  ancestors:
  - ancestorRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw, namespace: default}
    conditions:
    - message: 'TLS: unsupported cipher suite: [ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305].'
      reason: Invalid
      status: "False"
      type: Accepted
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
"""
    assert _causes(gw_run, tmp_path, text)[0] == "controller_contradicts_spec"


def test_an_unknown_single_cipher_stays_policy_invalid(gw_run, tmp_path):
    # near miss: the testdata's own INVALID-CIPHER is a real refusal
    text = _CIPHER_POLICY.format(entry="INVALID-CIPHER")
    assert _causes(gw_run, tmp_path, text)[0] == "policy_invalid"


# istio/istio#60618 (words only) and a Gateway that shows the same namespace (istio/istio#60277)
_SDS = ("warn ads proxy gw-7d9.{ns} attempted to access unauthorized certificates "
        "{name}: cross namespace secret reference requires {grant}\n")


def test_sds_refusal_of_a_same_namespace_secret_in_words_contradicts(gw_run, tmp_path):
    text = ("A listener with a same-namespace credential fails the TLS handshake.\n\nistiod logs:"
            "\n\n```\n" + _SDS.format(ns="apps", name="<cred>-cacert", grant="ReferenceGrant")
            + "```\n")
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("controller_contradicts_spec", "inferred")


def _gateway(cert_ns: str = "") -> str:
    ns_line = f"\n            namespace: {cert_ns}" if cert_ns else ""
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: edge
spec:
  gatewayClassName: istio
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
      certificateRefs:
          - name: site-tls{ns_line}
---
"""


_GRANT = """\
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-edge
  namespace: certs
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: edge}
  to:
  - {group: "", kind: Secret}
"""


def test_sds_refusal_of_the_gateways_own_secret_contradicts(gw_run, tmp_path):
    # the 1.24-1.26 wording (ReferencePolicy), decided by the Gateway in the paste
    text = _gateway() + "```\n" + _SDS.format(ns="edge", name="site-tls",
                                              grant="ReferencePolicy") + "```\n"
    top = _findings(gw_run, tmp_path, text)[0]
    assert (top["cause"], top["basis"]) == ("controller_contradicts_spec", "reported")


def test_sds_refusal_of_a_granted_secret_contradicts(gw_run, tmp_path):
    text = (_gateway("certs") + _GRANT.lstrip("-\n") + "---\n"
            "```\n" + _SDS.format(ns="edge", name="site-tls", grant="ReferenceGrant") + "```\n")
    assert _causes(gw_run, tmp_path, text)[0] == "controller_contradicts_spec"


def test_sds_refusal_of_an_ungranted_cross_namespace_secret_is_a_missing_grant(gw_run,
                                                                             tmp_path):
    # near miss: the Secret is in another namespace and no grant is in the paste
    text = _gateway("certs") + "```\n" + _SDS.format(ns="edge", name="site-tls",
                                                     grant="ReferenceGrant") + "```\n"
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "ref_not_permitted"
    assert "controller_contradicts_spec" not in causes


# haproxytech/helm-charts#317, the two log lines
def test_haproxy_bundle_version_is_unsupported(gw_run, tmp_path):
    text = ("2025/10/28 13:28:05 ERROR   k8s/main.go:387  Unsupported version 'v1.4.0' of gateway "
            "api is installed, please install experimental yaml version v0.5.1\n"
            "2025/10/28 13:28:05 ERROR   k8s/main.go:394  No tcproute crd is installed, please "
            "install experimental yaml version v0.5.1\n")
    assert _causes(gw_run, tmp_path, text)[:2] == ["crd_version_unsupported", "crd_not_installed"]


def test_haproxy_without_any_gateway_crd_is_not_installed(gw_run, tmp_path):
    # the same function with no Gateway CRD at all (logged with Errorf when a controller name is set)
    text = ("2024/03/01 09:00:00 ERROR   k8s/main.go:380  No gateway api is installed, please "
            "install experimental yaml version v0.5.1\n")
    assert _causes(gw_run, tmp_path, text)[0] == "crd_not_installed"


# kubernetes-sigs/aws-load-balancer-controller#4249: the manifest and the refusal
_TGC = """\
apiVersion: gateway.k8s.aws/v1beta1
kind: TargetGroupConfiguration
metadata:
  name: api-tg
spec:
  targetReference:
    kind: Service
    name: api
  routeConfigurations:
    - {field}:
        kind: HTTPRoute
        name: api
      targetGroupProps:
        healthCheckConfig:
          healthCheckPath: /healthz

TargetGroupConfiguration.gateway.k8s.aws "api-tg" is invalid: spec.routeConfigurations[0].identifier: Required value
"""


def test_an_implementation_crd_requiring_a_renamed_field_is_a_manifest_mismatch(gw_run,
                                                                              tmp_path):
    top = _findings(gw_run, tmp_path, _TGC.format(field="routeIdentifier"))[0]
    assert top["cause"] == "manifest_api_mismatch"
    assert top["confirm"].startswith("kubectl explain targetgroupconfiguration.")


def test_a_required_field_simply_missing_is_not_a_manifest_mismatch(gw_run, tmp_path):
    # near miss: nothing at that place looks like the required field renamed
    path = tmp_path / "paste.txt"
    path.write_text(_TGC.format(field="selector"))
    result = gw_run("check_routes", "-f", str(path), "--json")
    if result.code != 2:
        assert "manifest_api_mismatch" not in [f["cause"] for f in result.doc["findings"]]
