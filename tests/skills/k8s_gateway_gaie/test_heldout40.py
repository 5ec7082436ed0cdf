"""Round 40 (check_routes.py): a controller's status write the API server refuses, a Gateway
whose requested addresses its controller ignored, Envoy Gateway's colliding placeholder
chains, and a describe block the user cut with a `****snip****` line. Ground truth: the threads
named at each test and gateway-api v1.6.1 apis/v1/gateway_types.go (GatewaySpec.Addresses)."""
from __future__ import annotations

import pytest

from .conftest import paste_findings
from .conftest import problem_causes as _causes

# kubernetes-sigs/aws-load-balancer-controller#4600 (a parent without conditions; the route
# itself served) and projectcontour/contour#3641 (gatewayRef.controller null, fixed by #3688)
AWS_LBC = ('{"level":"error","logger":"routeReconciler","msg":"Failed to update route status",'
           '"error":"HTTPRoute.gateway.networking.k8s.io \\"vm-insert\\" is invalid: '
           '[status.parents[1].conditions: Required value, <nil>: Invalid value: \\"null\\": some '
           'validation rules were not checked because the object was invalid; correct the '
           'existing errors to complete validation]"}\n')
CONTOUR = ('time="2021-05-05T17:02:01Z" level=error msg="unable to update status" '
           'context=StatusUpdateHandler error="HTTPRoute.networking.x-k8s.io \\"http-filter-1\\" '
           'is invalid: status.gateways.gatewayRef.controller: Invalid value: \\"null\\": '
           'status.gateways.gatewayRef.controller in body must be of type string: \\"null\\"" '
           'name=http-filter-1 namespace=demo\n')


@pytest.mark.parametrize("text", [AWS_LBC, CONTOUR])
def test_a_refused_status_write_is_a_warning_about_stale_status(gw_run, tmp_path, text):
    found = paste_findings(gw_run, tmp_path, text)
    assert [(f["severity"], f["cause"]) for f in found] == [("warning", "status_update_rejected")]
    assert "name=" not in found[0]["fix"]  # the logfmt fields after the error are not its text


def test_a_refused_condition_reason_is_read_for_its_verdict(gw_run, tmp_path):
    # envoyproxy/gateway#8857: the reason EG wrote names the route's unsupported filter
    text = ('unable to update status {"error": "HTTPRoute.gateway.networking.k8s.io \\"backend\\" '
            'is invalid: status.parents[0].conditions[1].reason: Invalid value: '
            '\\"UnsupportedValue,InvalidBackendFilters\\": status.parents[0].conditions[1].reason '
            'in body should match \'^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$\'"}\n')
    assert "status_update_rejected" not in _causes(gw_run, tmp_path, text)


def test_a_refused_address_beside_waiting_for_controller_says_why(gw_run, tmp_path):
    # higress-group/higress#3645: the ELB hostname written without type Hostname
    text = ("Type: Programmed\nStatus: Unknown\nMessage: Waiting for controller\n\n"
            'error   status  Encountered unexpected error updating status for x: '
            'Gateway.gateway.networking.k8s.io "higress-gateway" is invalid: [status.addresses[0]'
            '.value: Invalid value: "k8s-elb.us-west-2.amazonaws.com": addresses[0].value in body '
            'must be of type ipv4: "k8s-elb.us-west-2.amazonaws.com"]\n')
    # a non-empty address value refused is the controller writing an invalid status (round
    # 87, istio/istio#46815: the case's own label); an empty one stays gateway_no_address
    assert _causes(gw_run, tmp_path, text)[0] == "status_update_rejected"


GATEWAY = """$ k describe gateway
Name:         cilium-gateway
Namespace:    default
API Version:  gateway.networking.k8s.io/v1
Kind:         Gateway
Spec:
  Addresses:
    Type:              IPAddress
    Value:             198.207.204.66
  Gateway Class Name:  cilium
****snip****

Status:
  Addresses:
    Type:   IPAddress
    Value:  198.207.204.79
  Conditions:
    Reason:                {reason}
    Status:                {status}
    Type:                  Programmed
"""


def test_requested_addresses_the_controller_ignored(gw_run, tmp_path):
    # cilium/cilium#32865 (fixed by #33042); the snip line does not end the describe block
    found = paste_findings(gw_run, tmp_path, GATEWAY.format(reason="Programmed", status="True"))
    assert (found[0]["cause"], found[0]["severity"]) == ("controller_contradicts_spec", "warning")
    assert found[0]["object"]["name"] == "cilium-gateway"


def test_an_unassigned_address_told_in_a_condition_is_not_that(gw_run, tmp_path):
    text = GATEWAY.format(reason="AddressNotAssigned", status="False")
    assert "controller_contradicts_spec" not in _causes(gw_run, tmp_path, text)


def test_envoy_gateways_placeholder_chains_collide(gw_run, tmp_path):
    # envoyproxy/gateway#7866 (fixed by PR #8521)
    text = ("[warning][config] delta config for type.googleapis.com/envoy.config.listener.v3."
            "Listener rejected: Error adding/updating listener(s) xxx: error adding listener "
            "'0.0.0.0:10443': filter chain 'EmptyCluster' has the same matching rules defined as "
            "'EmptyCluster'. duplicate matcher is: {}\n")
    found = paste_findings(gw_run, tmp_path, text)
    assert found[0]["cause"] == "listener_conflict" and "without a route" in found[0]["fix"]
