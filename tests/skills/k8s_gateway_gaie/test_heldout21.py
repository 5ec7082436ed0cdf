"""The round-21 held-out families of check_routes.py: a listener protocol the controller does
not serve, in its own words (HAProxy's `protocol ... is not supported`, NGINX Gateway
Fabric's field error `protocol: Unsupported value: ...`), and Gateway conditions written by a
controller that says it does not implement the Gateway's class.

Expected values: the public thread each paste is quoted from (named at each test), HAProxy
Kubernetes Ingress pkg/gateways/gateways.go (`Listener protocol '%s' is not supported`), NGINX
Gateway Fabric internal/mode/static/state/graph/gateway_listener.go (field.NotSupported on
`protocol`, apimachinery pkg/util/validation/field ErrorBody) and gateway-api v1.6.3
(apis/v1/gateway_types.go ListenerReasonUnsupportedProtocol)."""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import paste_problems as _problems


# --- a listener protocol the controller does not serve ----------------------------------------
# https://github.com/haproxytech/kubernetes-ingress/issues/578: the reporter quotes the
# Gateway's description (HAProxy Kubernetes Ingress 1.10 served TCP listeners only)
HAPROXY_578 = ("The GatewayClass is created with success `Ready: True`. The Gateway with TCP "
               "protocol works fine, along with TCPRoute. When creating The Gateway with HTTP "
               "protocol, no IP address is assigned to the Gateway, and in the description, "
               "it says `protocol HTTP is not supported`.\n")


def test_a_quoted_protocol_refusal_is_the_listener(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, HAPROXY_578)
    assert [f["cause"] for f in found] == ["listener_invalid"]
    assert "UnsupportedProtocol" in found[0]["fix"]


def test_haproxys_own_listener_message_as_a_line(gw_run, tmp_path):
    # the message as gateways.go writes it, copied from the Gateway's description alone
    text = "The HTTP listener of my Gateway says:\n\nListener protocol 'HTTP' is not supported\n"
    assert [f["cause"] for f in _problems(gw_run, tmp_path, text)][:1] == ["listener_invalid"]


# https://github.com/nginx/nginx-gateway-fabric/issues/2046: the listener condition message
# quoted alone in a fence, then the Gateway with the TCP listener (NGF edge, May 2024)
NGF_2046 = '''**Describe the bug**
I don't understand how to use TCPRoute?

```
protocol: Unsupported value: "TCP": supported values: "HTTP", "HTTPS"
```
However the port 80 HTTP route works fine.

```
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: my-gateway
  namespace: my
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: rathole
      protocol: TCP
      port: 2333
```
'''


def test_ngf_field_error_on_the_listener_protocol(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, NGF_2046)
    assert found[0]["cause"] == "listener_invalid"
    assert found[0]["basis"] == "reported"
    assert 'Unsupported value: "TCP"' in found[0]["evidence"][0]


def test_a_service_port_protocol_refusal_is_not_a_listener(gw_run, tmp_path):
    # apimachinery's NotSupported for a Service port (core validation lists TCP, UDP, SCTP):
    # the supported values name no listener protocol
    text = ('The Gateway has no address and the Service is refused:\n'
            'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", '
            '"TCP", "UDP"\n')
    assert "listener_invalid" not in [f["cause"] for f in _problems(gw_run, tmp_path, text)]


# --- conditions a controller that does not implement the class wrote ------------------------
# https://github.com/nginx/nginx-gateway-fabric/issues/4645: the Gateway's status as pasted (the
# GKE controller wrote Programmed/Ready/GatewayHealthy; NGINX Gateway Fabric serves it)
NGF_4645_STATUS = '''### Gateway Status Details

```yaml
status:
  addresses:
    - type: IPAddress
      value: 203.0.113.1
  conditions:
    - type: Scheduled
      status: "True"
      reason: Scheduled
    - type: Accepted
      status: "True"
      reason: Accepted
    - type: Programmed
      status: "False"  # False despite working correctly
      reason: Invalid
      message: 'error cause: gce: failed to initialize Translator GCE Env for Gateway "gateway-api/public-gateway": gateway class nginx is not implemented'
    - type: Ready
      status: "False"
      reason: NotReady
    - type: networking.gke.io/GatewayHealthy
      status: "False"
      reason: Error
```
'''


def test_a_foreign_writers_conditions_are_not_a_verdict(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, NGF_4645_STATUS)
    assert not [f for f in found if f["severity"] != "info"]
    foreign = [f for f in found if f["cause"] == "stale_status"]
    assert len(foreign) == 1 and foreign[0]["severity"] == "info"
    assert any("is not implemented" in e for e in foreign[0]["evidence"])
    assert any("GatewayHealthy" in e for e in foreign[0]["evidence"])
    assert "--show-managed-fields" in foreign[0]["confirm"]


def test_without_a_sign_of_a_serving_controller_the_condition_stays(gw_run, tmp_path):
    # nothing says any controller accepted or addressed the Gateway: the class may have none
    text = '''apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public-gateway, namespace: gateway-api}
spec:
  gatewayClassName: nginx
  listeners: [{name: http, port: 80, protocol: HTTP}]
status:
  conditions:
  - {type: Programmed, status: "False", reason: Invalid,
     message: "error cause: gce: failed to initialize Translator GCE Env for Gateway
       \\"gateway-api/public-gateway\\": gateway class nginx is not implemented"}
  - {type: Ready, status: "False", reason: NotReady}
'''
    assert [f["cause"] for f in _problems(gw_run, tmp_path, text)][:1] == ["gateway_not_ready"]


def test_a_disclaimer_of_another_class_is_not_this_gateways(gw_run, tmp_path):
    # the Gateway names class eg; a message about class nginx says nothing of its writer here
    text = '''apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
status:
  addresses: [{type: IPAddress, value: 203.0.113.1}]
  conditions:
  - {type: Accepted, status: "True", reason: Accepted}
  - {type: Programmed, status: "False", reason: Invalid,
     message: "gateway class nginx is not implemented"}
'''
    assert "gateway_not_ready" in [f["cause"] for f in _problems(gw_run, tmp_path, text)]
