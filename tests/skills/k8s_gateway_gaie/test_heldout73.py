"""Held-out round 73 of check_routes.py: filters an implementation does not support. Ground truth:

- the Gateway API asks an implementation to set Accepted=False UnsupportedValue for a filter
  type it does not know (gateway-api v1.6.3 apis/v1/httproute_types.go:852-856).
- Envoy Gateway refuses a backendRef-level filter it does not take with ResolvedRefs=False
  UnsupportedRefValue `Specific filter is not supported within BackendRef, only
  RequestHeaderModifier, ResponseHeaderModifier and gateway.envoyproxy.io/HTTPRouteFilter are
  supported` (internal/gatewayapi/validate.go:126@v1.6.0; `..., URLRewrite and ...` from
  v1.7.0, :143@v1.9.0; GRPCRoute `only RequestHeaderModifier and ResponseHeaderModifier`,
  :145@v1.9.0), prefixed on the route with `Failed to process route rule N backendRef M: `
  (envoyproxy/gateway#7775, fixed by #7826). It is a route's, never a listener's.
- NGINX Gateway Fabric v1.1.0 refuses a filter type with a field error on
  `spec.rules[N].filters[M].type` (internal/mode/static/state/graph/httproute.go:700@v1.1.0,
  nginx/nginx-gateway-fabric#1688).
- Envoy does not let a header mutation change Host or a pseudo-header: Envoy Gateway refuses
  a RequestHeaderModifier on Host with Accepted=False UnsupportedValue (`Header: "Host". The
  RequestHeaderModifier filter cannot set the Host header ...`, internal/gatewayapi/
  filters.go:548-552, isModifiableHeader :641-645@v1.9.0); Envoy NACKs such a route config
  (`:-prefixed or host headers may not be modified`, istio/istio#31844); istiod instead turns
  a Host set into an authority rewrite (istio 1.29.6 pilot/pkg/networking/core/route/
  route.go:978-981). The fix is URLRewrite.hostname.
"""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# envoyproxy/gateway#7775 as the reporter pasted it: the route, then the status message as a
# JSON fragment (v1.4-v1.6 wording)
_EG_7775 = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: example-route
spec:
  parentRefs:
    - name: gw
  rules:
    - backendRefs:
        - name: backend-1
          port: 80
          filters:
            - type: URLRewrite
              urlRewrite:
                hostname: backend-1.some.url.test

"message": "Failed to process route rule 0 backendRef 0: Specific filter is not supported \
within BackendRef, only RequestHeaderModifier, ResponseHeaderModifier and \
gateway.envoyproxy.io/HTTPRouteFilter are supported.",
"""

# a GRPCRoute's parent status as Envoy Gateway v1.9.0 writes it (validate.go:145 behind the
# route.go prefix), names invented
_EG_GRPC_STATUS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: api, namespace: apps, generation: 1}
spec:
  parentRefs: [{name: eg, namespace: infra}]
  rules:
  - backendRefs:
    - name: grpc
      port: 9000
      filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 9000}}}]
status:
  parents:
  - parentRef: {name: eg, namespace: infra}
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, message: Route is accepted,
       observedGeneration: 1}
    - type: ResolvedRefs
      status: "False"
      reason: UnsupportedRefValue
      observedGeneration: 1
      message: 'Failed to process route rule 0 backendRef 0: Specific filter is not supported
        within BackendRef, only RequestHeaderModifier and ResponseHeaderModifier are supported'
"""

# nginx/nginx-gateway-fabric#1688: NGF 1.1.0's message, one rule
_NGF_FILTER = ('All rules are invalid: [spec.rules[0].filters[0].type: Unsupported value: '
               '"URLRewrite": supported values: "RequestRedirect", "RequestHeaderModifier"]\n')


def test_eg_backendref_filter_message_fragment_is_unsupported_filter(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, _EG_7775)
    assert causes[0] == "unsupported_filter"
    assert "listener_invalid" not in causes       # a route's message, never a listener's


def test_eg_backendref_filter_v19_grpc_condition_is_unsupported_filter(gw_run, tmp_path):
    found = [f for f in _findings(gw_run, tmp_path, _EG_GRPC_STATUS) if f["severity"] != "info"]
    assert (found[0]["cause"], found[0]["basis"]) == ("unsupported_filter", "reported")
    assert "rules[].filters" in found[0]["fix"]


def test_eg_backendref_filter_v19_line_is_unsupported_filter(gw_run, tmp_path):
    line = ("Failed to process route rule 1 backendRef 0: Specific filter is not supported "
            "within BackendRef, only RequestHeaderModifier, ResponseHeaderModifier, URLRewrite "
            "and gateway.envoyproxy.io/HTTPRouteFilter are supported\n")
    assert _causes(gw_run, tmp_path, line)[0] == "unsupported_filter"


def test_ngf_filter_type_field_error_is_unsupported_filter(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _NGF_FILTER)[0] == "unsupported_filter"


def test_route_rule_prefix_never_reads_as_a_listener(gw_run, tmp_path):
    # near miss: another `... not supported` behind the route prefix (EG validate.go@v1.6.0
    # `Service %s/%s is of type ExternalName, which is not supported as a backend`) stays a
    # backend's, and Kong's listener wording `Route %s not supported` (kong-operator
    # controller_reconciler_utils.go@v2.2.3) is not read across the `: `
    line = ("Failed to process route rule 0 backendRef 0: Service apps/ext is of type "
            "ExternalName, which is not supported as a backend\n")
    causes = _causes(gw_run, tmp_path, line)
    assert "listener_invalid" not in causes
    assert causes[0] == "unsupported_backend_kind"


def test_kong_route_kind_wording_stays_a_listener(gw_run, tmp_path):
    # the catalogued wording itself still reads (ResolvedRefs=False InvalidRouteKinds)
    line = "ResolvedRefs False InvalidRouteKinds: Route TCPRoute not supported\n"
    assert _causes(gw_run, tmp_path, line)[0] == "listener_invalid"


# cilium/cilium#39588 as the reporter wrote it (abridged): the filter and its symptoms
_HOST_PROSE = """\
When trying to change the Host header with RequestHeaderModifier:
* it doesn't work, Host header is not changed
* other changes done afterwards to the Gateway API resources are not reflected
* at some point I was getting just 404

As soon as I drop RequestHeaderModifier changing Host header, it starts to work again.

HTTPRoute with filters:
```yaml
      filters:
        - requestHeaderModifier:
            set:
              - name: Host
                value: example.com
          type: RequestHeaderModifier
```
"""

# the same filter in a full route (add, flow style), no status, names invented
_HOST_ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps}
spec:
  parentRefs: [{name: eg, namespace: infra}]
  rules:
  - filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        add: [{name: host, value: upstream.internal}]
    backendRefs: [{name: web, port: 80}]
"""

# kubectl -o json of a rule's filter
_HOST_JSON = ('The HTTPRoute does not take effect with this filter:\n'
              '{"filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": '
              '{"set": [{"name": "Host", "value": "a.internal"}]}}]}\n')

# Envoy Gateway v1.9.0's own refusal (filters.go:548-552, Accepted=False UnsupportedValue)
_HOST_EG_STATUS = ('Accepted False UnsupportedValue: Header: "Host". The RequestHeaderModifier '
                   "filter cannot set the Host header or headers with a '/' or ':' character "
                   "in them. To modify the Host header use the URLRewrite or the "
                   "HTTPRouteFilter filter.\n")


def test_host_set_with_changes_not_applied_is_a_nack(gw_run, tmp_path):
    found = [f for f in _findings(gw_run, tmp_path, _HOST_PROSE) if f["severity"] != "info"]
    assert [f["cause"] for f in found][:2] == ["xds_config_rejected", "unsupported_filter"]
    assert found[0]["basis"] == "inferred" and "rejected" in found[0]["confirm"]
    assert "hostname" in found[0]["fix"]


def test_host_add_in_route_object_is_unsupported_filter(gw_run, tmp_path):
    found = [f for f in _findings(gw_run, tmp_path, _HOST_ROUTE) if f["severity"] != "info"]
    assert (found[0]["cause"], found[0]["basis"]) == ("unsupported_filter", "inferred")
    assert found[0]["object"]["name"] == "web"
    assert "xds_config_rejected" not in [f["cause"] for f in found]
    assert "hostname" in found[0]["fix"] and found[0]["confirm"]


def test_host_set_in_json_is_unsupported_filter(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _HOST_JSON)[0] == "unsupported_filter"


def test_eg_host_header_refusal_is_reported(gw_run, tmp_path):
    found = [f for f in _findings(gw_run, tmp_path, _HOST_EG_STATUS) if f["severity"] != "info"]
    assert (found[0]["cause"], found[0]["basis"]) == ("unsupported_filter", "reported")
    assert len([f for f in found if f["cause"] == "unsupported_filter"]) == 1


def test_ordinary_header_and_url_rewrite_stay_silent(gw_run, tmp_path):
    # near misses: another header, a remove, and URLRewrite.hostname (the fix itself)
    other = _HOST_ROUTE.replace("name: host", "name: x-forwarded-host")
    rewrite = _HOST_ROUTE.replace(
        "type: RequestHeaderModifier\n      requestHeaderModifier:\n"
        "        add: [{name: host, value: upstream.internal}]",
        "type: URLRewrite\n      urlRewrite: {hostname: upstream.internal}")
    removed = _HOST_ROUTE.replace("add: [{name: host, value: upstream.internal}]",
                                  "remove: [host]")
    for text in (other, rewrite, removed):
        assert "unsupported_filter" not in _causes(gw_run, tmp_path, text), text


def test_host_set_on_an_implementation_that_takes_it_stays_silent(gw_run, tmp_path):
    # istiod rewrites the authority (route.go:978-981@1.29.6); NGINX sets the header
    text = "We run Istio 1.29 as the gateway.\n" + _HOST_JSON
    assert "unsupported_filter" not in _causes(gw_run, tmp_path, text)
