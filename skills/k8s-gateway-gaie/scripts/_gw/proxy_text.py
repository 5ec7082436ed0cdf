"""Log and event lines about the data plane a gateway controller runs: wordings read as text.

1. Envoy Gateway's xDS server logs every request Envoy sends; a request that carries an
   error_detail is Envoy refusing (NACKing) the last config it was sent. internal/xds/cache/
   snapshotcache.go (OnStreamRequest / OnStreamDeltaRequest) logs `handling v3 xDS resource
   request, [version_info %s, ]response_nonce %s, nodeID %s, node_version %s, resource_names
   %v | resource_names_subscribe %v, resource_names_unsubscribe %v, type_url %s, errorCode %d,
   errorMessage %s` (errorCode 0 on an ACK), and since the NACK metric (main@d32f2829) also
   `Envoy rejected the last update for type %s on node %s with code %d and message %s`.
   envoyproxy/gateway commit 7d1e93c3 (#967) quotes it for a route without a path match
   (`RouteValidationError.Match ... caused by field: "path_specifier", reason: is required`).
   Envoy keeps its previous config: xds_config_rejected.

2. A kubelet readiness probe refused at a gateway data plane's readiness endpoint: the
   gateway's proxy pod never becomes Ready, so its Service has no endpoint and the Gateway is
   not programmed (gateway_not_ready). The endpoints: NGINX Gateway Fabric's nginx `/readyz`
   on 8081 (apis/v1alpha2/nginxproxy_types.go ReadinessProbeSpec, default port 8081 and path
   /readyz; the control plane's chart probe is the same, values.yaml readinessProbe.port;
   nginx/nginx-gateway-fabric commit de0ce915 (#3765): on an IPv6-only cluster 2.1.0's
   generated config had only `listen 8081;`, so the probe to the pod's IPv6 address was
   refused, fixed in 2.1.1), Envoy Gateway's Envoy `/ready` on 19003 (internal/xds/bootstrap/
   bootstrap.go EnvoyReadinessPort, EnvoyReadinessPath), Istio's gateway `/healthz/ready` on
   15021 (the injected proxy's status port), Contour's Envoy `/ready` on 8002
   (examples/contour/03-envoy.yaml).

3. A gateway controller creates the data plane's Deployment, Service and ServiceAccount named
   after the Gateway (NGINX Gateway Fabric's provisioner `nginx-gateway-<namespace>-<name>`
   before commit f188b4c0 (#716); Istio `<name>-istio`, istio/istio#58941). A name or label
   value over the 63-character limit of a DNS label / label value (k8s.io/apimachinery
   pkg/util/validation validation.go: `must be no more than 63 characters`) makes the API
   server refuse that object, so the Gateway is never provisioned: gateway_name_too_long.
"""
from __future__ import annotations

from _gw.messages import _XDS_NACK_HINT, _p
from k8s_skillkit.invalid_errors import OVER_63

_EG_NACK = (r"\btype_url\s+type\.googleapis\.com/envoy\.[\w.]+\.v3\.\w+,\s*errorCode\s+"
            r"[1-9]\d*,\s*errorMessage\b|\bEnvoy rejected the last update for type "
            r"type\.googleapis\.com/envoy\.")

_PROBE_ENDPOINT = r"(?:8081/readyz|19003/ready|15021/healthz/ready|8002/ready)"
_PROBE_REFUSED = (r"\bReadiness probe failed: Get \\?[\"“]?https?://[^\s\"”/]+:"
                  + _PROBE_ENDPOINT + r"\b")
_PROBE_HINT = ("the gateway's data plane pod fails its readiness probe (the URL is a gateway "
               "proxy's readiness endpoint: NGINX Gateway Fabric :8081/readyz, Envoy Gateway "
               ":19003/ready, Istio :15021/healthz/ready, Contour's Envoy :8002/ready), so it "
               "never becomes Ready, its Service has no endpoint and the Gateway is not "
               "programmed: read the proxy container's log and the generated config; "
               "`connection refused` means nothing listens there on that address family (an "
               "IPv6 pod address with NGINX Gateway Fabric 2.1.0 listening on IPv4 only: "
               "upgrade to 2.1.1, nginx/nginx-gateway-fabric#3765); if the pod is the "
               "controller's own (nginx-gateway), the controller is not ready")

_GENERATED = r"(?:Deployment|Service|ServiceAccount|HorizontalPodAutoscaler|PodDisruptionBudget|ConfigMap|Secret|Role|RoleBinding)"  # noqa: E501
_NAME_TOO_LONG = (r"\b" + _GENERATED + r"(?:\.apps|\.policy|\.autoscaling|\.rbac\.authorization"
                  r"\.k8s\.io)?\s+\S+\s+is invalid:.*?" + OVER_63)
_NAME_HINT = ("the controller could not create the data plane object it names after the "
              "Gateway (namespace and name joined, plus a prefix or suffix): a name or label "
              "value over 63 characters is refused, so the Gateway is never provisioned: "
              "give the Gateway a shorter name (or namespace), or run a controller release "
              "that names its objects within the limit (NGINX Gateway Fabric #716)")

PATTERNS = (
    _p("eg-xds-nack-log", _EG_NACK, "xds_config_rejected", "listener", ("text",),
       hint=_XDS_NACK_HINT),
    _p("gateway-proxy-probe-failed", _PROBE_REFUSED, "gateway_not_ready", "gateway",
       ("text",), hint=_PROBE_HINT),
    _p("generated-name-too-long", _NAME_TOO_LONG, "gateway_name_too_long", "gateway",
       ("text",), hint=_NAME_HINT),
)
