"""Policy attachment and the round-7 text families of check_routes.py (issue 12).

Expected values: gateway-api apis/v1alpha2/policy_types.go (PolicyConditionAccepted, reasons
TargetNotFound / Conflicted / Invalid, PolicyAncestorStatus); the public threads named at each
test for the sentences and log lines (quoted as their users wrote them)."""
from __future__ import annotations

import pytest
import yaml


def _causes(gw_run, tmp_path, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code != 2, result.err
    return result.code, [f["cause"] for f in result.doc["findings"] if f["severity"] != "info"]


def _policy(reason: str, message: str) -> dict:
    # Envoy Gateway writes Accepted=False TargetNotFound for a BackendTrafficPolicy that
    # attaches to nothing since envoyproxy/gateway#9416
    return {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
            "metadata": {"name": "quickstart-btp", "namespace": "default", "generation": 2},
            "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                     "name": "backend-typo"}]},
            "status": {"ancestors": [{
                "ancestorRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                "name": "eg", "namespace": "default"},
                "controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
                "conditions": [{"type": "Accepted", "status": "False", "reason": reason,
                                "message": message, "observedGeneration": 2,
                                "lastTransitionTime": "2026-07-04T10:00:00Z"}]}]}}


@pytest.mark.parametrize("reason,cause", [("TargetNotFound", "policy_target_not_found"),
                                          ("Conflicted", "policy_conflicted"),
                                          ("Invalid", "policy_invalid")])
def test_policy_ancestor_condition_is_reported(gw_run, tmp_path, reason, cause):
    code, causes = _causes(gw_run, tmp_path, yaml.safe_dump(_policy(reason, "")))
    assert code == 1 and causes[:1] == [cause]


def test_an_accepted_policy_is_fine(gw_run, tmp_path):
    doc = _policy("Accepted", "Policy has been accepted.")
    doc["status"]["ancestors"][0]["conditions"][0]["status"] = "True"
    assert _causes(gw_run, tmp_path, yaml.safe_dump(doc)) == (0, [])


# The sentences of envoyproxy/gateway#8926, #9061 and kgateway-dev/kgateway#11624, #11438.
@pytest.mark.parametrize("sentence", [
    "5. Update the policy so `targetRefs.name` points to a nonexistent route",
    "**2. No feedback when `targetRef` points to a non-existent Gateway**",
    "Create a BCP with target ref of non-existing svc.",
    "When applying the following policy to the `kgateway-test` ns while the targetRef "
    "`httpbin2` is in a different ns (or does not exists) there is no indication",
])
def test_a_policy_target_said_absent(gw_run, tmp_path, sentence):
    text = f"The BackendTrafficPolicy has no effect.\n\n{sentence}\n"
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["policy_target_not_found"]


def test_a_target_ref_sentence_outside_a_policy_paste_says_nothing_of_policies(gw_run,
                                                                               tmp_path):
    text = ("Requests get `no healthy upstream`.\n\nOur targetRef points to a non-existent "
            "Gateway, I think.\n")
    assert "policy_target_not_found" not in _causes(gw_run, tmp_path, text)[1]


def test_contour_cannot_create_the_gateway_service(gw_run, tmp_path):
    # projectcontour/contour-operator#310 (zap console line, tab-separated, as pasted)
    line = ('2021-04-18T02:40:21.247Z\tERROR\tcontroller-runtime.manager.controller.'
            'gateway_controller\tReconciler error\t{"name": "contour", "namespace": '
            '"projectcontour", "error": "failed to get ensure gateway projectcontour/contour: '
            'failed to ensure envoy service for contour contour-operator/contour-gateway-'
            'sample: failed to create service projectcontour/envoy: Service \\"envoy\\" is '
            'invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already '
            'allocated"}')
    assert _causes(gw_run, tmp_path, f"```\n{line}\n```\n")[1][:1] == ["gateway_not_ready"]


def test_endpoint_picker_started_without_its_pool_namespace(gw_run, tmp_path):
    # kgateway-dev/kgateway#12218
    text = ("When enable inferenceExtension.autoProvision, Kgateway deployer will auto deploy "
            "the Endpoint picker deployment for the inferencepool, but it misses the "
            "--poolNamespace, it causes the epp couldn't find the pool properly.\n")
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["endpoint_picker_misconfigured"]


GATEWAY_TLS = """```
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: default
spec:
  gatewayClassName: contour
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      certificateRefs:
      - name: site-tls
```
"""


def test_a_listener_secret_said_absent(gw_run, tmp_path):
    # projectcontour/contour#4180: "Deploy Gateway with non-existent secret"
    text = "#### 2. Deploy Gateway with non-existent secret\n\n" + GATEWAY_TLS
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["listener_certificate_invalid"]


def test_a_reported_certificate_fault_is_not_repeated_from_its_own_message(gw_run, tmp_path):
    doc = yaml.safe_load(GATEWAY_TLS.strip("`\n"))
    doc["status"] = {"listeners": [{"name": "https", "conditions": [
        {"type": "ResolvedRefs", "status": "False", "reason": "InvalidCertificateRef",
         "message": "Secret default/site-tls does not exist."}]}]}
    assert _causes(gw_run, tmp_path, yaml.safe_dump(doc))[1] == ["listener_certificate_invalid"]


TABLE = """Gateway status intermittently flaps to `Programmed: False` with reason `AddressNotAssigned`, despite all infrastructure being healthy.

| Resource | Status |
|----------|--------|
| Gateway status | `Programmed: False`, addresses: `[]` |
| Service ClusterIP | `172.20.x.x` (valid, assigned) |
"""


def test_a_clusterip_gateway_with_its_cluster_ip_shown_is_stale(gw_run, tmp_path):
    # envoyproxy/gateway#8065: a ClusterIP Service's cluster IP is the Gateway's address
    text = "Setup: one controller, each GatewayClass with ClusterIP service type.\n\n" + TABLE
    assert _causes(gw_run, tmp_path, text)[1][:1] == ["stale_status"]


def test_a_cluster_ip_alone_is_no_gateway_address(gw_run, tmp_path):
    # every Service has a cluster IP; only a ClusterIP-type Gateway Service makes it the address
    assert _causes(gw_run, tmp_path, TABLE)[1][:1] == ["gateway_no_address"]
