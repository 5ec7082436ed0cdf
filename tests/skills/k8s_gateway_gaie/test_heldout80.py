"""Held-out round 80 of check_routes.py. Ground truth:

- Envoy Gateway writes a backendRef failure as a route parent's ResolvedRefs=False with
  `Failed to process route rule %d backendRef %d: <error>` (envoyproxy/gateway v1.9.0
  internal/gatewayapi/route.go:335), a backend TLS one with reason InvalidBackendTLS
  (route.go:2912, status/error.go:24; `secret %s not found in namespace %s`,
  backendtlspolicy.go:642). kubectl's YAML printer folds a long message onto a deeper line
  (a YAML flow scalar's continuation). envoyproxy/gateway#6659.
- nginx logs a configuration error at level emerg (nginx src/core/ngx_log.c:77), as
  `nginx: [emerg] ...` on stderr (:207) or `Y/M/D h:m:s [emerg] PID#TID: ...` in its error
  log (:120-123); a reload whose config fails keeps the old one (nginx.org/en/docs/
  control.html). nginx/nginx-gateway-fabric#5872.
"""
from __future__ import annotations

from .conftest import problem_causes as _causes

# envoyproxy/gateway#6659 as the reporter pasted the route condition (indented, alone)
_EG_6659 = """\
`HTTPRoute` resource indicates secret not found as expected and Gateway gets deployed.
```sh
      - lastTransitionTime: "2025-07-31T14:50:22Z"
        message: 'Failed to process route rule 0 backendRef 0: secret envoygateway-client-cert
          not found in namespace httpbin-tls.'
        observedGeneration: 1
        reason: InvalidBackendTLS
        status: "False"
        type: ResolvedRefs
```
"""

# the same condition for a BackendTLSPolicy's missing CA Secret in v1.9.0 (backendtlspolicy.go
# :642), keys in the order a person might type them, folded elsewhere; names invented
_EG_CONFIGMAP = """\
my route status:
    - type: ResolvedRefs
      status: "False"
      reason: InvalidBackendTLS
      message: Failed to process route rule 1 backendRef 0: secret ca-bundle not found
        in namespace shop.
"""

# nginx/nginx-gateway-fabric#5872 as pasted
_NGF_5872 = """\
Gateway shows ResolvedRefs: True on the HTTPS listener, so the secret reference itself is \
fine. But nginx fails to reload and rolls back:


nginx: [emerg] cannot load certificate "/etc/nginx/secrets/cert_bundle_<ns>_<gw>_443.crt":
BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory)
"""

# the nginx container's error log form of a refused config (ngx_log.c:120-123); invented
_NGINX_ERROR_LOG = """\
kubectl logs -n nginx-gateway deploy/gw-nginx -c nginx
2026/03/02 09:14:03 [emerg] 1#1: unknown directive "limit_conns" in \
/etc/nginx/includes/SnippetsFilter_http.server.location_shop_sf.conf:1
"""


def test_eg_folded_route_condition_is_read(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _EG_6659)[0] == "backend_unresolved"


def test_eg_route_condition_other_order_and_wording(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _EG_CONFIGMAP)[0] == "backend_unresolved"


def test_true_route_condition_stays_silent(gw_run, tmp_path):
    text = _EG_6659.replace('status: "False"', 'status: "True"').replace(
        "InvalidBackendTLS", "ResolvedRefs")
    assert "backend_unresolved" not in _causes(gw_run, tmp_path, text)


def test_nginx_emerg_is_data_plane_refusal(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _NGF_5872)[0] == "xds_config_rejected"


def test_nginx_error_log_emerg_form(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _NGINX_ERROR_LOG)[0] == "xds_config_rejected"


def test_nginx_request_error_is_no_refusal(gw_run, tmp_path):
    # a request's upstream failure is logged at [error]: the config was loaded
    text = ("the nginx gateway logs:\n2026/03/02 09:14:03 [error] 25#25: *1 connect() failed "
            "(111: Connection refused) while connecting to upstream, client: 10.0.0.1\n")
    assert "xds_config_rejected" not in _causes(gw_run, tmp_path, text)
