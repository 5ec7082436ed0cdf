"""Held-out rounds 62-63 of check_routes.py. Ground truth, per rule:

- a `status.conditions` list pasted alone is a valid input (metav1.Condition: type and status
  required); AttachedListenerSets=Unknown is GEP-1713's state for a Gateway without
  spec.allowedListeners (gateway-api v1.4.1 geps/gep-1713/index.md l.886-892: "`Unknown` when
  no `Spec.AllowedListeners` config is present"; kgateway-dev/kgateway#12841, where the
  maintainers confirm it is required), while False ListenerSetsNotAllowed is a fault
  (v1.4.1 apis/v1/gateway_types.go l.1263-1291).
- a condition the paste's indentation put under spec.listeners is the Gateway's status
  (projectcontour/contour#6567: Contour's ResolvedRefs=False InvalidCertificateRef
  "Spec.VirtualHost.TLS.CertificateRefs %q must contain a reference to a core.Secret",
  internal/dag/gatewayapi_processor.go:716@v1.29.1).
- a condition under `kubectl get gatewayclass ... -o yaml` is the GatewayClass's: it has only
  status.conditions (gateway-api v1.6.3 apis/v1/gatewayclass_types.go GatewayClassStatus);
  cilium/cilium#42956 pasted Accepted=False InvalidParameters so.
- a parentRef refused by allowedRoutes is NotAllowedByListeners whatever reason is written
  (gateway-api v1.6.3 apis/v1/shared_types.go:63-67, 370-373); vCluster writes it as
  RefNotPermitted (loft-sh/vcluster-docs vcluster/troubleshoot/gateway-api-sync.mdx@e91e4f4).
"""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# kgateway-dev/kgateway#12841, the Gateway condition as the issue shows it
_ALS_UNKNOWN = """\
  - lastTransitionTime: "2025-11-05T14:24:23Z"
    message: ""
    observedGeneration: 1
    reason: ListenerSetsNotAllowed
    status: Unknown
    type: AttachedListenerSets
"""


def test_conditions_list_alone_is_read_and_unknown_attached_listenersets_is_no_fault(
        gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _ALS_UNKNOWN)  # exit 2 before: "document 1 is a list"
    assert not [f for f in found if f["severity"] != "info"], found
    assert found and found[0]["cause"] == "not_evaluated", found


def test_unknown_attached_listenersets_as_json_with_other_healthy_conditions(gw_run, tmp_path):
    # `kubectl get gateway X -o jsonpath='{.status.conditions}'`: another form of the same
    text = ('[{"type":"Accepted","status":"True","reason":"Accepted","message":""},'
            '{"type":"AttachedListenerSets","status":"Unknown","reason":"ListenerSetsNotAllowed",'
            '"message":"","lastTransitionTime":"2025-11-05T14:24:23Z"}]\n')
    assert _causes(gw_run, tmp_path, text) == []


def test_false_listenersets_not_allowed_in_a_conditions_list_is_still_the_fault(
        gw_run, tmp_path):
    # near miss: False is v1.4's "ListenerSets attached but not allowed", a fault
    text = _ALS_UNKNOWN.replace("status: Unknown", 'status: "False"')
    assert _causes(gw_run, tmp_path, text)[:1] == ["listenerset_not_allowed"]


def test_conditions_list_of_unknown_kind_is_read_as_text(gw_run, tmp_path):
    # ResolvedRefs is on every kind: the list stays text and its reason is read
    text = """\
- lastTransitionTime: "2024-07-18T11:47:37Z"
  message: Spec.VirtualHost.TLS.CertificateRefs "site-tls" must contain a reference to a core.Secret
  reason: InvalidCertificateRef
  status: "False"
  type: ResolvedRefs
"""
    assert _causes(gw_run, tmp_path, text)[:1] == ["listener_certificate_invalid"]


def test_healthy_conditions_list_of_unknown_kind_says_what_it_could_not_check(gw_run, tmp_path):
    text = "- {type: Accepted, status: \"True\", reason: Accepted, message: ok}\n"
    found = _findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["not_evaluated"], found


_CONTOUR_GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: contour
  namespace: projectcontour
spec:
  gatewayClassName: contour
  listeners:
    - name: https-site
      hostname: site.example.com
      port: 443
      protocol: HTTPS
      tls:
        mode: Terminate
        certificateRefs:
          - group: core
            kind: Secret
            name: site-tls
      allowedRoutes:
        namespaces:
          from: All

    - lastTransitionTime: "2024-07-18T11:47:37Z"
      message: Spec.VirtualHost.TLS.CertificateRefs "site-tls" must contain a reference to a core.Secret
      observedGeneration: 26
      reason: InvalidCertificateRef
      status: "False"
      type: ResolvedRefs
"""


def test_condition_pasted_under_the_listeners_is_the_gateways_status(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _CONTOUR_GATEWAY)[:1] == ["listener_certificate_invalid"]


def test_listener_without_a_condition_under_it_stays_a_listener(gw_run, tmp_path):
    # near miss: a second listener (name, port, protocol) is not a condition
    text = _CONTOUR_GATEWAY.split("\n    - lastTransitionTime")[0] + \
        "\n    - name: http\n      port: 80\n      protocol: HTTP\n"
    assert "listener_certificate_invalid" not in _causes(gw_run, tmp_path, text)


_CLASS_STATUS = """\
kubectl get {resource} custom-lb -o yaml | grep -A 15 "status:"

status:
  conditions:
  - lastTransitionTime: "2025-11-24T13:52:57Z"
    message: Invalid GatewayClass
    observedGeneration: 3
    reason: InvalidParameters
    status: "False"
    type: Accepted
"""


@pytest.mark.parametrize("resource", ["gatewayclass", "gatewayclasses.gateway.networking.k8s.io"])
def test_condition_under_a_get_gatewayclass_command_is_the_classes(gw_run, tmp_path, resource):
    text = _CLASS_STATUS.format(resource=resource)
    assert _causes(gw_run, tmp_path, text)[:1] == ["gateway_class_not_accepted"]


def test_condition_under_a_get_gateway_command_is_not_read_as_a_class(gw_run, tmp_path):
    # near miss: a Gateway's paste holds its listeners' conditions too, so the command line
    # does not say whose this is
    text = _CLASS_STATUS.format(resource="gateway").replace("Invalid GatewayClass", "Invalid")
    assert "gateway_class_not_accepted" not in _causes(gw_run, tmp_path, text)


@pytest.mark.parametrize("line", [
    # the docs page's event (loft-sh/vcluster-docs gateway-api-sync.mdx)
    'Warning  RefNotPermitted  Gateway API reference not permitted: authorize parentRefs[0]: '
    'HTTPRoute in namespace "shop" is not permitted by Gateway "edge" in namespace "infra" '
    'allowedRoutes',
    # the same refusal as a condition line of another wording
    'reason: RefNotPermitted message: the listener allowedRoutes does not permit routes from '
    'namespace "shop"',
])
def test_parentref_refused_by_allowed_routes_is_not_allowed_by_listener(gw_run, tmp_path, line):
    assert _causes(gw_run, tmp_path, line + "\n")[:1] == ["not_allowed_by_listener"]


def test_ref_not_permitted_by_a_reference_grant_stays_ref_not_permitted(gw_run, tmp_path):
    # near miss: a backendRef across namespaces is ReferenceGrant's (shared_types.go:426)
    line = ('Warning  RefNotPermitted  backendRef to Service "api" in namespace "shop" is not '
            'permitted by any ReferenceGrant\n')
    assert _causes(gw_run, tmp_path, line)[:1] == ["ref_not_permitted"]
