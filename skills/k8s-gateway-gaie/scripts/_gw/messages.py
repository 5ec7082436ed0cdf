"""What Gateway API implementations write in status conditions and events, mapped to causes.

Every pattern here is a row of references/messages.md, which names the upstream file (at a
version) or the public thread its wording comes from. Message patterns are tried first, in
order (the most specific first), because reasons alone are ambiguous: BackendNotFound covers
a missing Service, a missing InferencePool, a missing endpoint-picker Service and, for some
implementations, a missing Service port. Reasons decide when no message pattern matches.

>>> classify("route", {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound",
...     "message": "error cause: reference-not-found: Error GWCER104: HTTPRoute \\"a/b\\" is "
...     "misconfigured, err: failed to validate inference pool extension ref: InferencePool "
...     "extension service epp-svc not found."}).cause
'endpoint_picker_missing'
>>> classify("route", {"type": "Accepted", "status": "False", "reason": "NotAllowedByListeners",
...     "message": ""}).cause
'not_allowed_by_listener'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from _gw import catalogue

# Layers order root causes: a GatewayClass nobody serves explains a Gateway without address,
# which explains a route that is not accepted, which explains a pool no parent accepted.
LAYERS = ("class", "gateway", "listener", "attach", "backend", "pool", "hygiene")


@dataclass(frozen=True)
class Verdict:
    cause: str
    layer: str
    pattern: str                       # row id in references/messages.md
    subject: dict = field(default_factory=dict)   # kind/name/port named by the message
    hint: str = ""                     # a fix more precise than the cause's, when known


@dataclass(frozen=True)
class _Pattern:
    pid: str
    regex: re.Pattern
    cause: str
    layer: str
    scopes: tuple[str, ...]            # where the wording can appear
    hint: str = ""


# the kinds of Gateway API and the Inference Extension a client's type name can carry
# (`*v1alpha2.TLSRoute`, `v1alpha2.TLSRouteList`)
_KINDS = (r"(?:GatewayClass|Gateway|HTTPRoute|GRPCRoute|TLSRoute|TCPRoute|UDPRoute|"
          r"ReferenceGrant|BackendTLSPolicy|X?ListenerSet|InferencePool|InferenceObjective|"
          r"InferenceModel)")


def _p(pid: str, regex: str, cause: str, layer: str, scopes: tuple[str, ...] = ("route",),
       hint: str = "") -> _Pattern:
    # A name may be captured in several alternatives: number the repeats (name, name_1, ...).
    count = iter(range(100))
    regex = re.sub(r"\(\?P<name>", lambda _: f"(?P<name_{next(count)}>", regex)
    return _Pattern(pid, re.compile(regex, re.IGNORECASE), cause, layer, scopes, hint)


_ROUTE_EVENT = ("route", "event:HTTPRoute", "event:GRPCRoute")
_GW_SCOPES = ("gateway", "listener", "event:Gateway")
_POOL_SCOPES = ("route", "pool", "event:InferencePool", "event:HTTPRoute")
_NAME = r"[\"']?(?P<name>[\w.\-/]+)[\"']?"
_GKE_EPP_MISSING = r"extension (service|ref)\b.*?\b" + _NAME + r" not found"
_GKE_LISTENER_INVALID = (r"Error GWCER\d+: Listener [\"'][^\"']+[\"'] is invalid, err: "
                         r"(?!SslCertificate)")

_DUPLICATE_ADDRESS_HINT = (
    "Envoy refused the listener because another listener already holds that address (or, "
    "with enable_reuse_port false, because the update changes the addresses of a listener "
    "whose old version still holds them) and keeps its old listeners: the change never took "
    "effect. Give each Gateway listener its own port and check no other listener of that "
    "proxy uses it; when one Envoy listener carries several ports (Cilium Gateway API "
    "host-network mode) and a port change is refused on every retry and restart, upgrade "
    "the controller (cilium/cilium#48712, #48798) or revert the port change")
_CILIUM_CEC_MALFORMED_HINT = (
    "the Cilium agent dropped the whole CiliumEnvoyConfig generated for this Gateway, so "
    "none of its listeners is served whatever Accepted/Programmed say: the log's error= "
    "names why. `duplicate Listener name` = two Gateway listeners translated into one Envoy "
    "listener (HTTPS Terminate and TLS Passthrough on one port, cilium/cilium#48269): move "
    "one to its own port or upgrade Cilium once the fix (PR #48278) is released; read the "
    "generated config with kubectl get ciliumenvoyconfig <name> -n <namespace> -o yaml")
_NGINX_EMERG_HINT = ("nginx (the data plane) refused the configuration the controller "
                     "generated and keeps serving its previous one (a failed reload rolls "
                     "back), so the change never took effect: the [emerg] text names the "
                     "directive or file; fix the object that produced it (a snippet, a "
                     "policy, a listener's TLS settings). A file under /etc/nginx the "
                     "controller should have written (a certificate or CA bundle) that is "
                     "missing is the controller's fault although its status says True: "
                     "check the Secret it references, then upgrade or report it")
_NGINX_BIND_HINT = (
    "nginx (the data plane) cannot bind its listening socket: the address or unix socket is "
    "in use (another process on that port, or socket files a previous run left in the pod's "
    "volume after a node restart), so it does not start and serves nothing; no configuration "
    "was refused. Delete the data-plane pod (a new one starts with clean volumes) or free the "
    "port; NGINX Gateway Fabric 1.1 left its unix sockets behind "
    "(nginx/nginx-gateway-fabric#1108): upgrade")
_EG_EXTENSION_SIZE_HINT = (
    "Envoy Gateway's extension server (Envoy AI Gateway's controller) refused the xDS it was "
    "sent for being over its gRPC receive limit (4 MiB by default), so the translation failed "
    "and the new config never reached Envoy, which keeps the old one: raise the extension "
    "server's limit (Envoy AI Gateway: the controller's --maxRecvMsgSize flag, Helm value "
    "controller.maxRecvMsgSize, from envoyproxy/ai-gateway#1291) above the size the message "
    "names, or split the routes over more Gateways")
_CONDITION_TOO_LONG_HINT = (
    "the API server refused the controller's status write: a condition message it built is "
    "over the 32768-byte limit of metav1.Condition.message, so the whole status update is "
    "dropped and the status you read is stale or empty. The controller must truncate it "
    "(Envoy Gateway did from PR #7159): upgrade it; meanwhile the message's source is "
    "usually a long list (many routes, backends or errors on one object): split that object")
_LINKERD_STATUS_PATCH_HINT = (
    "the API server refused the Linkerd policy controller's status patch (the ApiError says "
    "why). NotFound (404): the route is deleted but stayed in the controller's status index, "
    "which retries it every 10 seconds: Linkerd before edge-23.10.2 dropped a deleted "
    "gateway.networking.k8s.io HTTPRoute under the wrong kind (linkerd/linkerd2 PR #11471); "
    "nothing is wrong with the routes: upgrade, or restart Linkerd's destination pods (they "
    "run the policy controller) to rebuild the index. Invalid (422): a status the installed "
    "CRD refuses: install the Gateway API CRDs the Linkerd release names")
_STATUS_CONFLICT_HINT = (
    "the API server refused the controller's status write because another writer changed the "
    "object in between (optimistic concurrency): once, it is retried; repeated, two writers "
    "fight over the status: several controller replicas without leader election (NGINX "
    "Gateway Fabric before 1.0; enable it or run one replica) or two controllers claiming "
    "the same GatewayClass (kubectl get gatewayclass -o yaml: controllerName; kubectl get "
    "pods -A for a second install). Until it stops, the status you read may be stale")
_XDS_NACK_HINT = ("Envoy (the data plane) refused the config the controller generated (an "
                  "xDS NACK) and keeps serving its previous config, so the change never took "
                  "effect: the text after the resource name says which setting it refused; "
                  "find the object that produced it (a listener's TLS options or hostname, a "
                  "policy attached to that Gateway or route: a SecurityPolicy's credentials, "
                  "a ClientTrafficPolicy's ciphers), fix or remove that setting, or upgrade "
                  "the controller so it refuses such a value in the object's status. Then an "
                  "Accepted/Programmed=True status of that object is false. The control "
                  "plane's view: egctl x status (Envoy Gateway), istioctl proxy-status "
                  "(Istio), the controller's log around the NACK")

_TRAEFIK_NO_EP = (r"Cannot find entryPoint for Gateway|no matching entryPoint for port \d+")
_TRAEFIK_EP_HINT = ("Traefik serves a listener only on an entryPoint with the listener's port and "
                    "protocol, and compares the entryPoint's container port (the Helm chart's web "
                    "is 8000, websecure 8443, whatever the Service exposes): set the listener port "
                    "to that entryPoint's port, or add an entryPoint on it")

# A listener whose allowedRoutes.kinds names a kind the implementation does not serve there:
# ResolvedRefs=False InvalidRouteKinds. Contour internal/dag/gatewayapi_processor.go (`Kind %q
# is not supported, kind must be %q or %q`, more kinds in later releases), Envoy Gateway
# internal/gatewayapi (early translator.go `Kind is not supported, kind must be %s`, later
# listener.go `%s is not supported, kind must be one of %v`); kubernetes-sigs/gateway-api#3757:
# the API allows any kind, the implementation does not.
_ROUTE_KIND_REFUSED = (r"\bkind\s+(?:\"[\w.-]+\"\s+)?is not supported, kind must be"
                       r"|\b\w+Route is not supported, kind must be one of")
_ROUTE_KIND_HINT = ("the implementation does not serve this route kind on this listener (its "
                    "protocol or its version): take the kind out of allowedRoutes.kinds, give "
                    "the routes a listener whose protocol serves them, or upgrade to a release "
                    "that supports the kind")
# A listener whose protocol the implementation does not serve (listener Accepted=False
# UnsupportedProtocol): HAProxy Kubernetes Ingress 1.10 (pkg/gateways/gateways.go `Listener
# protocol '%s' is not supported`, TCP only; haproxytech/kubernetes-ingress#578 quotes it as
# `protocol HTTP is not supported`), other implementations' `Protocol %q is not supported`,
# and NGINX Gateway Fabric's field error (internal/mode/static/state/graph/
# gateway_listener.go, field.NotSupported on path `protocol`: `protocol: Unsupported value:
# "TCP": supported values: "HTTP", "HTTPS"`, nginx/nginx-gateway-fabric#2046). Only the
# Gateway API's core protocol names; a supported-values list naming HTTP, HTTPS or TLS is a
# listener's (a Service port's lists TCP, UDP, SCTP).
_LISTENER_PROTOCOL_REFUSED = (
    r"\bprotocol\s+\\?[\"']?(?:HTTPS?|TLS|TCP|UDP)\\?[\"']?\s+is\s+(?:not\s+supported|"
    r"unsupported)\b|\bprotocol: Unsupported value: \\?\"[^\"\\]+\\?\": supported values: "
    r"[^\n]*?\\?\"(?:HTTPS?|TLS)\\?\"")
_LISTENER_PROTOCOL_HINT = (
    "the controller does not serve listeners of this protocol (UnsupportedProtocol): the "
    "listener is not accepted and no route attaches to it; use a protocol the controller "
    "lists (its message or its compatibility docs), or an implementation or release that "
    "serves this one (TCP and UDP listeners carry TCPRoute/UDPRoute, which many do not)")
# A TLS listener in a TLS mode the implementation does not serve: Envoy Gateway v0.3
# internal/gatewayapi/translator.go (`TLS %s mode is not supported, TLS mode must be
# Passthrough.`), v0.4.0 as envoyproxy/gateway#1391 quotes it (`TLS mode "Terminate" is not
# supported, TLS mode must be Passthrough`); TLS termination on TLS listeners came later.
_TLS_MODE_REFUSED = (r"\bTLS\s+(?:mode\s+)?\"?\w+\"?\s+(?:mode\s+)?is not supported, TLS mode must "
                     r"be")
_TLS_MODE_HINT = ("this release serves a TLS-protocol listener only in Passthrough mode: use "
                  "tls.mode Passthrough (the backend terminates), or an HTTPS listener to "
                  "terminate at the gateway, or upgrade to a release that terminates TLS listeners")

# NGINX Gateway Fabric's policy status (conditions.go NewPolicyTargetConflict): the message
# names the target and the other Route (nginx/nginx-gateway-fabric#3400)
_NGF_TARGET_CONFLICT = (r"Policy cannot be applied to target \S+ since another Route \S+ shares "
                        r"a hostname:port/path combination")
_NGF_TARGET_CONFLICT_HINT = (
    "NGINX Gateway Fabric applies a policy per hostname:port/path: when another Route serves "
    "the same combination it refuses the policy (TargetConflict); give the routes distinct "
    "hostnames or paths, or target the other Route too. If the routes do not share one, the "
    "controller is wrong (nginx/nginx-gateway-fabric#3400): upgrade it")

# Envoy Gateway refusing a policy's Secret reference (internal/gatewayapi/validate.go
# validateSecretRef, v1.3.0..v1.9.0): "secret ref namespace must be unspecified/empty or <the
# policy's namespace>" where the feature allows no cross-namespace reference, as the
# SecurityPolicy's condition message, prefixed by the feature (`APIKeyAuth: `, `OIDC: `);
# envoyproxy/gateway#5245 (docs that put the Secret in envoy-gateway-system, PR #5250)
_EG_SECRET_REF = (r"secret ref (?:namespace must be unspecified/empty or \S+|group must be "
                  r"unspecified/empty|kind must be \w+)")
_EG_SECRET_REF_HINT = ("Envoy Gateway refuses the policy's Secret reference: this feature reads "
                       "Secrets only from the policy's own namespace (and of kind Secret, core "
                       "group): create the Secret there and drop the namespace from the "
                       "reference; the policy is not applied until then")

# Envoy Gateway refusing a policy whose Secret or ConfigMap does not exist: validate.go
# validateSecretRef / validateConfigMapRef (`secret <ns>/<name> does not exist`, :1298@v1.9.0)
# wrapped by the feature (pkg/errors WithMessage: `BasicAuth: `, `OIDC: `, ... in
# securitypolicy.go, envoyextensionpolicy.go, clienttrafficpolicy.go), the policy's
# Accepted=False Invalid message: the policy's reference, not a listener certificate
_EG_POLICY_REF_MISSING = (r"\b(?:BasicAuth|APIKeyAuth|OIDC|JWT|ExtAuth|Authorization|ExtProc|"
                          r"Wasm|Lua|DynamicModule|TLS): (?:secret|configmap) "
                          + _NAME + r" does not exist")
_EG_POLICY_REF_MISSING_HINT = ("Envoy Gateway does not apply the policy: the Secret or ConfigMap "
                               "its feature (named before the colon) references does not exist; "
                               "create it in the namespace the message names, or fix the "
                               "reference")

# Envoy Gateway's policy Overridden=True (beside Accepted=True): a policy of the same kind on
# a narrower target (a route, a route rule, a listener) replaces this one there
# (api/v1alpha1/shared_types.go:54@v1.9.0 PolicyReasonOverridden; securitypolicy.go:687,
# backendtrafficpolicy.go:835, envoyextensionpolicy.go:646, clienttrafficpolicy.go:436;
# spec.mergeType in api/v1alpha1 from v1.4.0 BTP, v1.8.0 SecurityPolicy, v1.9.0 EEP)
_EG_OVERRIDDEN = (r"This policy is being overridden by other \w+ for|There are existing "
                  r"ClientTrafficPolicies that are overriding these sections")
_EG_OVERRIDDEN_HINT = (
    "Envoy Gateway applies the most specific policy of a kind: the routes, rules or sections "
    "the message lists have their own policy of this kind, which replaces this one there "
    "(the rest of the target keeps it). Move the settings you need into that policy, or "
    "set spec.mergeType on it (BackendTrafficPolicy v1.4+, SecurityPolicy v1.8+, "
    "EnvoyExtensionPolicy v1.9+) to merge it with this one")

# Envoy Gateway's Wasm cache did not start, so no EnvoyExtensionPolicy with Wasm is applied:
# `Wasm: wasm cache is not initialized.` (internal/gatewayapi/envoyextensionpolicy.go:1568,
# prefixed at :1058@v1.9.0); the controller logged why (runner/runner.go:181 `failed to start
# wasm cache`, :193 `Failed to create Wasm cache directory` for /var/lib/eg/wasm)
# Envoy Gateway v1.8.0+ checks ClientTrafficPolicy / Backend TLS ciphers against its list
# (internal/gatewayapi/tls.go:275@v1.8.0, :357@v1.8.3, :389@v1.9.0 `unsupported cipher suite:
# %s`, prefixed `TLS: ` in the policy status: testdata/clienttrafficpolicy-tls-invalid-cipher
# .out.yaml@v1.8.3; envoyproxy/gateway#7400, PR #8040)
_EG_CIPHER = r"\bunsupported cipher suite: \S+"
_EG_CIPHER_HINT = (
    "Envoy Gateway refused a TLS cipher name of the policy (spec.tls.ciphers): use the "
    "OpenSSL-style names Envoy's BoringSSL knows (ECDHE-ECDSA-AES128-GCM-SHA256, ...; "
    "api/v1alpha1/tls_types.go lists them) or drop ciphers to take Envoy's defaults")
_EG_WASM_CACHE = r"\bwasm cache is not initialized|failed to (?:start wasm cache|create Wasm cache)"
_EG_WASM_CACHE_HINT = (
    "Envoy Gateway's Wasm module cache did not start, so it applies no Wasm extension: its "
    "log says why (`failed to start wasm cache`, `Failed to create Wasm cache directory` "
    "/var/lib/eg/wasm: a full or read-only disk, the HMAC secret it reads); fix that and "
    "restart the envoy-gateway pod")

# A filter type, or a filter in a position, the implementation does not support. The Gateway
# API says an unknown filter type MUST set the route's Accepted=False UnsupportedValue
# (gateway-api v1.6.3 apis/v1/httproute_types.go:852-856, HTTPRouteFilter.Type). Wordings:
# Envoy Gateway's backendRef-level filter refusal (ResolvedRefs=False UnsupportedRefValue,
# `Specific filter is not supported within BackendRef, only RequestHeaderModifier,
# ResponseHeaderModifier and gateway.envoyproxy.io/HTTPRouteFilter are supported`,
# internal/gatewayapi/validate.go:126@v1.6.0; `..., URLRewrite and ...` from v1.8.1,
# validate.go:141, envoyproxy/gateway#7775 fixed by #7826) and its rule-level
# `unsupported filter type: %s` (filters.go:1207@v1.9.0); NGINX Gateway Fabric's field error
# on a filter's type (`spec.rules[0].filters[0].type: Unsupported value: "URLRewrite":
# supported values: ...`, internal/mode/static/state/graph/httproute.go:700@v1.1.0,
# nginx/nginx-gateway-fabric#1688); Envoy Gateway's rule-level refusal of a filter its
# validation rejects, an ExtensionRef to a kind no extension registers among them (Accepted=
# False UnsupportedValue `Invalid filter ExtensionRef: unknown kind <group>/<Kind>.`,
# processInvalidHTTPFilter filters.go:1212-1220 over ValidateHTTPRouteFilter helpers.go:208-248
# @v1.9.0; a real v1.9.0 controller wrote it in tests/resources/gateway/envoy-gateway)
_FILTER_UNSUPPORTED = (
    r"\bSpecific filter is not supported within BackendRef\b|\bunsupported filter type\b|"
    r"\binvalid filter \w+: unknown kind\b|"
    r"\bfilters\[\d+\]\.type: Unsupported value\b|\bfilter(?: type)? [\"'`]?\w+[\"'`]? is not "
    r"supported\b")
_FILTER_UNSUPPORTED_HINT = (
    "the implementation does not support this filter type, or not in this position (the "
    "message lists the ones it does): a backendRefs[].filters entry other than a header "
    "modifier belongs in the rule's filters (rules[].filters), or needs a release that "
    "supports it there; remove or replace the filter, or upgrade the controller. The route (or "
    "that backend) is not served until then")
# Envoy does not let a header mutation touch the Host header or a pseudo-header; Envoy
# Gateway refuses a RequestHeaderModifier that sets, adds or removes Host with Accepted=False
# UnsupportedValue (`Header: "Host". The RequestHeaderModifier filter cannot set the Host
# header or headers with a '/' or ':' character in them. To modify the Host header use the
# URLRewrite or the HTTPRouteFilter filter.`, internal/gatewayapi/filters.go:495-552,
# isModifiableHeader :641-645@v1.9.0: "Envoy does not allow modification the pseudo headers
# and the host header")
_HOST_HEADER_REFUSED = (r"\bRequestHeaderModifier filter cannot (?:set|add|remove) the Host "
                        r"header\b")
_HOST_HEADER_HINT = (
    "Envoy does not let a header modifier change the Host header (or a ':' pseudo-header): "
    "remove Host from the RequestHeaderModifier and set the upstream host with a URLRewrite "
    "filter's hostname (urlRewrite.hostname) instead")

MESSAGE_PATTERNS: tuple[_Pattern, ...] = (
    _p("filter-unsupported", _FILTER_UNSUPPORTED, "unsupported_filter", "attach",
       _ROUTE_EVENT + ("policy",), hint=_FILTER_UNSUPPORTED_HINT),
    _p("host-header-modifier-refused", _HOST_HEADER_REFUSED, "unsupported_filter", "attach",
       _ROUTE_EVENT, hint=_HOST_HEADER_HINT),
    # --- Inference Extension -----------------------------------------------------------
    _p("gke-epp-missing", _GKE_EPP_MISSING,
       "endpoint_picker_missing", "backend", _POOL_SCOPES,
       hint="the InferencePool's endpoint-picker Service {name} does not exist: deploy the "
            "endpoint picker (and its Service) or point endpointPickerRef.name at the "
            "Service that runs it"),
    # (not a route filter's extensionRef: NGF `spec.rules[0].filters[0].extensionRef: Not
    # found: ...`, internal/controller/state/graph/common_filter.go v2.0.0)
    _p("extref-invalid", r"((?<!\]\.)extensionRef|endpointPickerRef|endpoint ?picker)[^.]*"
       r"(not found|missing|invalid|does not exist|unavailable)|extensionRef labels not found",
       "endpoint_picker_missing", "backend", _POOL_SCOPES),
    # the settings' names alone are not the fault (a report lists them set to true too):
    # the message that says it is off, or a setting given as false
    _p("istio-inference-disabled", r"InferencePool is not enabled|(?:ENABLE_GATEWAY_API_"
       r"INFERENCE_EXTENSION|inferenceExtension\.enabled)\W{0,3}(?:=|:|\bto\b|\bis\b)\W{0,3}"
       r"(?:false|0|off|not set|unset)\b|inference extension is (not enabled|disabled)",
       "inference_pool_unsupported", "backend", _POOL_SCOPES),
    _p("inference-group-unsupported",
       r"(unsupported|not supported|Unsupported value)[^\n]*\"?inference\.networking\."
       r"(x-)?k8s\.io\"?|inference\.networking\.(x-)?k8s\.io\"?[^\n]*(unsupported|not supported)",
       "inference_pool_unsupported", "backend", _POOL_SCOPES),
    _p("pool-not-found", r"(custom backend )?InferencePool[s]?(\.inference\.networking\."
       r"(x-)?k8s\.io)? " + _NAME + r" not found",
       "backend_not_found", "backend", _POOL_SCOPES),
    # --- backend refs ------------------------------------------------------------------
    _p("refgrant", r"not permitted by any ReferenceGrant|missing a ReferenceGrant|Cross "
       r"namespace references are not allowed|not accessible to a \w+ in namespace|covered by a "
       r"ReferenceGrant",
       "ref_not_permitted", "backend", _ROUTE_EVENT + _GW_SCOPES),
    # istiod's Programmed=False AddressNotAssigned "Failed to assign to any requested addresses:
    # <warnings>" (pilot/pkg/config/kube/gateway/context.go ResolveGatewayInstances, 1.16..1.29;
    # gatewaycommon/context.go:94-149@HEAD) says which of the gateway's Services fails: one
    # with no endpoint at all is a gateway whose pods do not run (not an address still
    # pending), one without the listener's port is a listener port the Service does not
    # expose (istiod matches listener ports against Service ports)
    _p("istio-gateway-no-instances", r"no instances found for hostname " + _NAME,
       "gateway_not_ready", "gateway", _GW_SCOPES,
       hint="istiod found the gateway's Service {name} but no endpoint behind it: the gateway "
            "Deployment's pods are not running or not Ready (kubectl get deploy,pods -n <ns> "
            "-l gateway.networking.k8s.io/gateway-name=<gateway>; image pull, injection, "
            "quota, a Deployment of that name istiod does not manage); once a pod is Ready "
            "the Gateway is programmed"),
    _p("istio-gateway-service-port", r"port (?P<port>\d+) not found for hostname " + _NAME,
       "listener_invalid", "listener", _GW_SCOPES + ("route",),
       hint="the listener's port is not a port of the gateway's Service {name}: set the "
            "listener port to the Service port (not the pods' container port; the message's "
            "hint lists the ones that reach it), or expose that port on the Service"),
    _p("port-not-found", r"port (?P<port>\d+) not found|No matching port for Service|does not "
       r"expose port|port \d+ (is )?not (defined|exposed)|backendRefs\[\d+\]\.port: "
       r"(Not found|Invalid value)|service port \d+ (?:is )?not (?:found|defined|exposed)",
       "port_mismatch", "backend", _ROUTE_EVENT),
    _p("port-required", r"port is required|Must have port for backend|port cannot be nil|"
       r"backendRefs\[\d+\]\.port: Required value",
       "port_mismatch", "backend", _ROUTE_EVENT),
    # Envoy Gateway refusing a Gateway whose EnvoyProxy telemetry sink does not resolve:
    # Accepted=False InvalidParameters `Invalid access log|tracing|metrics backendRefs in the
    # referenced EnvoyProxy: <error>` (internal/gatewayapi/listener.go:770-785@v1.9.0, v1.3.0+);
    # the `service <ns>/<name> not found` in it is the sink's Service, not a route backend
    # (read first on a route too: a quoted message names no scope)
    _p("eg-envoyproxy-sink", r"Invalid (?:access log|tracing|metrics) backendRefs in the "
       r"referenced EnvoyProxy", "gateway_not_ready", "gateway", _GW_SCOPES + ("route",),
       hint="Envoy Gateway does not accept the Gateway: a telemetry sink (access log, tracing "
            "or metrics backendRefs) of the EnvoyProxy its parametersRef or its GatewayClass "
            "names does not resolve; create the Service the message names (in that namespace) "
            "or fix or remove that backendRef in the EnvoyProxy's spec.telemetry"),
    # AWS Load Balancer Controller: a route whose backendRef is another Gateway (an NLB
    # Gateway forwarding to an ALB Gateway) reads that ALB's ARN from the backend Gateway's
    # Programmed=True message; before it exists the route (ResolvedRefs=False BackendNotFound)
    # and its Gateway (Accepted=False ListenersNotValid) say so (pkg/gateway/routeutils/
    # backend_gateway.go:169@v3.5.0): a Gateway not ready yet, not a missing backend
    _p("aws-backend-gateway-not-ready", r"Gateway \((?P<name>[\w.\-]+:[\w.\-]+)\) is not "
       r"usable yet,? LB ARN is not provisioned", "gateway_not_ready", "gateway",
       _GW_SCOPES + _ROUTE_EVENT,
       hint="the route forwards to Gateway {name} (namespace:name), whose load balancer is "
            "not provisioned yet: its ARN is read from that Gateway's Programmed=True "
            "condition. Read that Gateway's status (kubectl get gateway -o yaml); once it "
            "is Programmed the route resolves on the next reconcile"),
    # Traefik (v3.2+) applies a BackendTLSPolicy to the Service it targets while building the
    # route; a CA it cannot load fails the route's backend with RefNotPermitted and the
    # policy's message (pkg/provider/kubernetes/gateway/httproute.go:582, loadServersTransport
    # :639-680@v3.7.9): the policy is to fix, no ReferenceGrant is missing
    _p("traefik-backendtlspolicy-ca", r"Cannot apply BackendTLSPolicy for Service "
       r"(?P<name>[\w.\-]+/[\w.\-]+)", "backend_unresolved", "backend", _ROUTE_EVENT,
       hint="Traefik could not load the BackendTLSPolicy that targets Service {name}, so the "
            "route's backend is not served: its spec.validation.caCertificateRefs must name "
            "a ConfigMap (v3.7+: or a Secret) in the policy's namespace holding the CA "
            "bundle under the key ca.crt; the policy's status says which one failed"),
    # (Envoy Gateway v1.8.1+ spells an MCS ServiceImport `service import <ns>/<name> not
    # found`, internal/gatewayapi/validate.go:245@v1.9.0)
    _p("service-not-found", r"\bservices?(?: ?import)? " + _NAME + r" not found|unable to find "
       r"the Service " + _NAME + r"|backendRefs\[\d+\]\.name: Not found: " + _NAME,
       "backend_not_found", "backend", _ROUTE_EVENT),
    _p("backend-not-found", r"backend\((?P<host>[^)]+)\) not found|\bbackendRef " + _NAME +
       r" not found|\bBackend " + _NAME + r" not found|Backend not found: " + _NAME,
       "backend_not_found", "backend", _ROUTE_EVENT),
    # Kong Ingress Controller's listener status (UnsupportedProtocol): it compares the
    # Gateway's listeners with the listens it read from Kong's admin API; read while no Kong
    # gateway instance was up, that list is empty and KIC did not retry (KIC#7015)
    _p("kong-no-listen", r"no Kong listen with the requested protocol is configured",
       "listener_invalid", "listener", _GW_SCOPES,
       hint="Kong's proxy has no listen for this listener's protocol and port: add it to the "
            "Kong gateway (proxy_listen, the chart's proxy ports) or change the listener; if "
            "Kong does listen there, KIC read the listens while no Kong gateway pod was ready "
            "and did not retry: restart the controller pod or re-apply the Gateway"),
    # kgateway's (Gloo Gateway's) route delegation: a parent rule whose backendRef is a route
    # selection (HTTPRoute <ns>/<name or *>) that no child route satisfies; kgateway writes
    # BackendNotFound and serves the rule a 500 direct response (kgateway internal/kgateway/
    # translator/httproute delegation tests: "gateway.networking.k8s.io/HTTPRoute/a/*:
    # unresolved reference", older "unresolved reference gateway.networking.k8s.io/...")
    _p("kgateway-delegation-unresolved",
       r"(?:gateway\.networking\.k8s\.io/)?HTTPRoute/(?P<name>[\w.-]+/[\w.*-]+): unresolved "
       r"reference|unresolved reference (?:gateway\.networking\.k8s\.io/)?HTTPRoute/"
       r"(?P<name>[\w.-]+/[\w.*-]+)",
       "backend_unresolved", "backend", _ROUTE_EVENT,
       hint="the rule delegates to HTTPRoute {name} and no child route resolves: a child must "
            "exist in that namespace, name this route in its parentRefs (kind HTTPRoute) "
            "when it sets parentRefs, set no hostnames, and repeat the parent's matchers (path "
            "prefix, headers, query parameters) unless it has the annotation "
            "delegation.kgateway.dev/inherit-parent-matcher: \"true\"; until one resolves, "
            "kgateway answers the rule with a 500 direct response"),
    # a delegation loop: a child route that selects a route already on its parent chain.
    # kgateway ignores that child and says so under ResolvedRefs=False RefNotPermitted, which
    # is no ReferenceGrant matter (kgateway-dev/kgateway internal/kgateway/query/httproute.go
    # :228 `ignoring child route %s for parent %s: %w` of ErrCyclicReference, query/utils.go
    # ProcessBackendError; translator/httproute/delegation.go:84 `cyclic reference detected
    # while evaluating delegated routes for parent: %s; child route %s will be ignored`, also
    # logged as a warning; @06ff8b9 2025-02, Gloo projects/gateway2 v1.17.0+)
    _p("kgateway-delegation-cycle", r"cyclic reference detected while evaluating delegated "
       r"routes", "backend_unresolved", "backend", (*_ROUTE_EVENT, "text"),
       hint="the route delegation loops: a child route selects (by name or by a wildcard "
            "HTTPRoute backendRef) a route already above it in the chain, so kgateway ignores "
            "that child and its rules; break the loop (a child must not delegate back to an "
            "ancestor; narrow a wildcard HTTPRoute/<ns>/* selection) - no ReferenceGrant is "
            "involved despite the RefNotPermitted reason"),
    _p("eg-secret-ref", _EG_SECRET_REF, "policy_invalid", "attach", ("policy",),
       hint=_EG_SECRET_REF_HINT),
    _p("eg-policy-overridden", _EG_OVERRIDDEN, "policy_conflicted", "attach",
       ("policy", "route", "gateway"), hint=_EG_OVERRIDDEN_HINT),
    # a feature the EnvoyGateway configuration leaves off: the policy is refused until it is
    # on (envoypatchpolicy.go:97, backendtrafficpolicy.go:1896@v1.9.0; the fields are
    # api/v1alpha1/envoygateway_types.go:355 extensionApis.enableEnvoyPatchPolicy and :92
    # rateLimit)
    _p("eg-patch-policy-disabled", r"EnvoyPatchPolicy is disabled in the EnvoyGateway "
       r"configuration", "policy_invalid", "attach", ("policy", "route", "gateway"),
       hint="Envoy Gateway ignores EnvoyPatchPolicies unless its configuration enables them: "
            "set extensionApis.enableEnvoyPatchPolicy: true in the EnvoyGateway config (Helm "
            "config.envoyGateway.extensionApis.enableEnvoyPatchPolicy) and restart the "
            "controller"),
    _p("eg-global-ratelimit-disabled", r"enable Ratelimit in the EnvoyGateway config",
       "policy_invalid", "attach", ("policy", "route", "gateway"),
       hint="a global rateLimit needs Envoy Gateway's rate limit service: configure rateLimit "
            "(backend type Redis with its url) in the EnvoyGateway config (Helm "
            "config.envoyGateway.rateLimit) and restart the controller, or use a local "
            "rateLimit in the BackendTrafficPolicy"),
    _p("eg-wasm-cache-down", _EG_WASM_CACHE, "policy_invalid", "attach",
       ("policy", "route", "gateway"), hint=_EG_WASM_CACHE_HINT),
    _p("eg-unsupported-cipher", _EG_CIPHER, "policy_invalid", "attach",
       ("policy", "route", "gateway"), hint=_EG_CIPHER_HINT),
    # ClientTrafficPolicy settings live on a listener's filter chain, which plain-HTTP
    # listeners on one port share (clienttrafficpolicy.go:630-660@v1.9.0)
    _p("eg-ctp-shared-http-port", r"ClientTrafficPolicy is being applied to multiple http "
       r"\(non https\) listeners", "policy_invalid", "attach", ("policy", "route", "gateway"),
       hint="plain-HTTP listeners on one port share one Envoy listener, so a "
            "ClientTrafficPolicy cannot apply to one of them alone: target the Gateway (all of "
            "them), or move the listener to its own port or to HTTPS"),
    _p("eg-policy-ref-missing", _EG_POLICY_REF_MISSING, "policy_invalid", "attach", ("policy",),
       hint=_EG_POLICY_REF_MISSING_HINT),
    # ResolvedRefs=False UnsupportedValue (envoyproxy/gateway v1.8.1 internal/gatewayapi/
    # validate.go:260-264): the kind is supported, the controller's config leaves it off, so
    # the ref is unresolved like the Backend's own status wording (eg-backend-api-disabled);
    # references/causes.md backend_unresolved
    _p("eg-backend-disabled", r"Backend is disabled in Envoy Gateway configuration",
       "backend_unresolved", "backend", _ROUTE_EVENT,
       hint="Envoy Gateway serves Backend resources only when its config enables them: set "
            "extensionApis.enableBackend: true in the EnvoyGateway configuration (Helm "
            "config.envoyGateway.extensionApis.enableBackend) and restart the controller"),
    # the client certificate Envoy presents to a backend (backend mTLS), from the Backend's
    # spec.tls, the EnvoyProxy's spec.backendTLS or the Gateway's spec.tls.backend
    # clientCertificateRef: ResolvedRefs=False InvalidBackendTLS on the route (envoyproxy/
    # gateway v1.8.1 internal/gatewayapi/backendtlspolicy.go:393-402, route.go:1920; PR #5934)
    _p("eg-backend-client-cert-missing", r"failed to locate TLS secret for client auth",
       "backend_unresolved", "backend", _ROUTE_EVENT,
       hint="the client certificate Envoy presents to this backend (backend mTLS) names a "
            "Secret that does not exist: create that kubernetes.io/tls Secret in the "
            "namespace the message names, or fix clientCertificateRef in the object it names "
            "(EnvoyProxy spec.backendTLS, Backend spec.tls, Gateway spec.tls.backend)"),
    _p("no-ready-endpoints", r"no ready endpoints for the related Service(Import)? " + _NAME,
       "backend_no_endpoints", "backend", _ROUTE_EVENT,
       hint="Service {name} has no ready endpoint: make its spec.selector match the model "
            "server pods' labels and get those pods Ready (kubectl get endpointslices -l "
            "kubernetes.io/service-name=<name> -n <namespace>); Envoy Gateway answers 503 "
            "meanwhile"),
    _p("unsupported-backend", r"Unsupported backend kind|referencing unsupported backendRef|"
       r"backendRefs\[\d+\]\.(kind|group): Unsupported value|Kind is invalid|Group is invalid|"
       r"unsupported backend |not supported as a backend",
       "unsupported_backend_kind", "backend", _ROUTE_EVENT),
    # --- attachment --------------------------------------------------------------------
    _p("parent-gateway-not-found", r"gateways?(\.gateway\.networking\.k8s\.io)? " + _NAME +
       r" not found|parentRef not found|\bgateway not found",
       "parent_not_found", "attach", _ROUTE_EVENT),
    _p("no-matching-listener", r"No listeners match this parent ref|No matching listener with "
       r"(port|sectionName)|Listener is not found for this parent ref|sectionName \"?[\w-]+\"? "
       r"not found|no listener with the specified sectionName",
       "parent_not_found", "attach", _ROUTE_EVENT),
    _p("not-allowed", r"not allowed to attach|No listeners included by this parent ref allowed|"
       r"not allowed by any listener|is not allowed by the parent|kind [\w./]+ is not allowed|"
       r"namespace restrictions",
       "not_allowed_by_listener", "attach", _ROUTE_EVENT),
    # Istio ambient: a route whose parent is a Service (GAMMA) is enforced by that Service's
    # waypoint; with no istio.io/use-waypoint label on the Service or its namespace no
    # waypoint serves it (pilot/pkg/config/kube/gateway/conditions.go:271@1.27.0, written
    # on the True ResolvedWaypoints condition)
    _p("istio-use-waypoint-missing", r"istio\.io/use-waypoint label missing from parent",
       "route_not_accepted", "attach", _ROUTE_EVENT,
       hint="no waypoint enforces this route: in ambient mode a route on a Service parent is "
            "applied by the waypoint the Service (or its namespace) names: label it "
            "istio.io/use-waypoint=<waypoint> (kubectl label svc <parent> -n <ns> "
            "istio.io/use-waypoint=waypoint; istioctl waypoint apply -n <ns> --enroll-"
            "namespace deploys one), or point parentRefs at a Gateway for north-south traffic"),
    _p("route-hostname-conflict", r"have overlap hostname|conflict with another Route",
       "route_hostname_conflict", "attach", _ROUTE_EVENT),
    _p("hostname", r"no hostname intersections|No intersecting hostnames|No matching listener "
       r"hostname|hostnames? "
       r"(does|do) not match|no hostnames matched parent hostname|no matching hostname",
       "hostname_mismatch", "attach", _ROUTE_EVENT),
    _p("no-ready-listener", r"no ready listeners|Listener is invalid for this parent ref",
       "listener_invalid", "listener", _ROUTE_EVENT),
    # --- Gateway and listeners ---------------------------------------------------------
    # (not Envoy Gateway's own `envoy TLS secret <eg ns>/envoy not found`: _gw/eg_envoy_secret)
    _p("cert-missing", r"Secret " + _NAME + r" does not exist|(?<!envoy TLS )secrets? " + _NAME +
       r" not found|\bcertificateRefs?\b|certificate ref|(?<!envoy )TLS secret|"
       r"SslCertificate [\"']?(?P<name>[^\s\"']+)[\"']? does not exist",
       "listener_certificate_invalid", "listener", _GW_SCOPES),
    _p("cert-manager-skipped-listener", r"Skipped a listener block", "listener_certificate_invalid",
       "listener", ("event:Gateway",),
       hint="cert-manager will not issue this listener's certificate: its message names the "
            "field (the gateway-shim needs a hostname and tls.mode Terminate); fix the listener "
            "and the Secret gets created"),
    # GKE's `Error GWCER105: Listener "https" is invalid, err: ...` names the listener and why
    # (kubernetes-sigs/gateway-api#1932: a tls section beside networking.gke.io/certmap); a
    # missing SslCertificate is cert-missing above (#1275).
    _p("gke-listener-invalid", _GKE_LISTENER_INVALID, "listener_invalid", "listener",
       _GW_SCOPES),
    _p("ngf-policy-target-conflict", _NGF_TARGET_CONFLICT, "policy_conflicted", "attach",
       ("policy",), hint=_NGF_TARGET_CONFLICT_HINT),
    # NGINX Gateway Fabric's TargetNotFound for a target that exists but that it holds
    # invalid: a route not valid, not attachable or without parentRefs, a Gateway it did not
    # accept, a route's parent Gateway (internal/controller/state/graph/policies.go:316,
    # :367, :453@v2.6.7)
    _p("ngf-policy-target-invalid", r"^The (?:TargetRef|Parent Gateway) is invalid\.?$",
       "policy_target_not_found", "attach", ("policy",),
       hint="the policy's target exists but NGINX Gateway Fabric does not accept it (a route "
            "that is not accepted or has no parentRefs, a Gateway that is not accepted, or "
            "the target route's Gateway): fix that object first - its own status conditions "
            "say why - and the policy attaches"),
    _p("listener-route-kind-refused", _ROUTE_KIND_REFUSED, "listener_invalid", "listener",
       _GW_SCOPES, hint=_ROUTE_KIND_HINT),
    _p("listener-tls-mode-refused", _TLS_MODE_REFUSED, "listener_invalid", "listener",
       _GW_SCOPES, hint=_TLS_MODE_HINT),
    _p("listener-protocol-refused", _LISTENER_PROTOCOL_REFUSED, "listener_invalid", "listener",
       _GW_SCOPES, hint=_LISTENER_PROTOCOL_HINT),
    # A controller's own failure events: the kind they are about decides the cause.
    _p("controller-failure-event", r"Error GWCER\d+|Failed (build|deploy) ?model|failed to "
       r"(translate|sync|reconcile)", "@kind", "", ("event:Gateway", "event:HTTPRoute",
                                                     "event:GRPCRoute", "event:InferencePool",
                                                     "event:GatewayClass")),
    _p("no-address", r"No addresses have been assigned|failed to assign to any requested "
       r"addresses|failed to assign to all requested addresses|address pending|no address", "gateway_no_address", "gateway", _GW_SCOPES),
    # spec.addresses of a type the implementation does not assign: GKE's `Error GWCER106:
    # Gateway "ns/name" is invalid, err: unsupported address type "IPAddress", only
    # "NamedAddress" is supported` (kubernetes-sigs/gateway-api#2632, gke-l7-rilb), Istio's
    # `Only NamedAddress is supported, ignoring [...]` (kubernetes-sigs/gateway-api#799); the
    # standard reason is UnsupportedAddress (gateway-api apis/v1/gateway_types.go v1.6.3)
    _p("address-type-unsupported", r"unsupported address type|only \\?\"?NamedAddress\\?\"? is "
       r"supported", "gateway_no_address", "gateway", _GW_SCOPES + ("text",),
       hint="the implementation does not assign that spec.addresses type: use one it supports "
            "(GKE's and Istio's classes then took only NamedAddress, the name of a reserved "
            "address) or drop spec.addresses to get an assigned one"),
    # Traefik binds a listener to the entryPoint of the same port and protocol; none: listener
    # Accepted=False PortUnavailable (pkg/provider/kubernetes/gateway/kubernetes.go, v2.6.3
    # entryPointName .. v3.7 master).
    _p("traefik-no-entrypoint", _TRAEFIK_NO_EP, "listener_invalid", "listener",
       _GW_SCOPES + ("route",), hint=_TRAEFIK_EP_HINT),
    # NGINX Gateway Fabric v1.x serves one Gateway per GatewayClass: the others get Accepted
    # and Programmed False GatewayConflict with this message (internal/mode/static/state/
    # conditions/conditions.go v1.1.0 NewGatewayConflict).
    _p("ngf-gateway-conflict", r"ignored due to a conflicting Gateway resource",
       "gateway_not_ready", "gateway", _GW_SCOPES,
       hint="NGINX Gateway Fabric before 2.0 serves one Gateway per GatewayClass (the oldest "
            "wins; the others get GatewayConflict): put the listeners on that Gateway, or run "
            "a second NGF with its own GatewayClass (NGF 2.0 serves several Gateways)"),
    _p("waiting-for-controller", r"^Waiting for controller$", "no_controller", "gateway",
       ("gateway", "class", "pool")),
    _p("crd-version", r"Gateway API CRD versions? (are|is) not supported|Unsupported Gateway "
       r"API CRDs? version|bundle version", "crd_version_unsupported", "class", ("class",)),
)

# Lines of a text paste (EPP logs, the gateway's HTTP answers); wording from GAIE's EPP
# (pkg/epp at v0.5.1 / v1.0.0) and its troubleshooting guide (site-src/guides/troubleshooting.md
# v1.3.0), which also gives each one's cause.
TEXT_PATTERNS: tuple[_Pattern, ...] = (
    _p("filter-unsupported-text", _FILTER_UNSUPPORTED, "unsupported_filter", "attach",
       ("text",), hint=_FILTER_UNSUPPORTED_HINT),
    _p("host-header-modifier-refused-text", _HOST_HEADER_REFUSED, "unsupported_filter",
       "attach", ("text",), hint=_HOST_HEADER_HINT),
    _p("eg-secret-ref-text", _EG_SECRET_REF, "policy_invalid", "attach", ("text",),
       hint=_EG_SECRET_REF_HINT),
    _p("eg-policy-ref-missing-text", _EG_POLICY_REF_MISSING, "policy_invalid", "attach",
       ("text",), hint=_EG_POLICY_REF_MISSING_HINT),
    _p("eg-wasm-cache-down-text", _EG_WASM_CACHE, "policy_invalid", "attach", ("text",),
       hint=_EG_WASM_CACHE_HINT),
    _p("eg-unsupported-cipher-text", _EG_CIPHER, "policy_invalid", "attach", ("text",),
       hint=_EG_CIPHER_HINT),
    # istiod's SDS server denying a Gateway proxy a certificate its Gateway translation did not
    # verify (istio 1.28.10 pilot/pkg/xds/sds.go:317-319; `requires ReferencePolicy` up to
    # 1.26, 1.24.0 sds.go:292); sds_refusal.py tells a reference
    # the paste shows permitted (the istiod defect) from a missing grant
    _p("istio-sds-unauthorized", r"attempted to access unauthorized certificates\s+[^:]+:\s*"
       r"cross namespace secret reference requires Reference(?:Grant|Policy)", "ref_not_permitted",
       "listener", ("text",),
       hint="istiod gives the gateway proxy only certificates of the Gateway's namespace or "
            "ones a ReferenceGrant permits: add a ReferenceGrant in the Secret's namespace "
            "from kind Gateway (the Gateway's namespace) to kind Secret (make_route.py grant); "
            "if the Secret is in the Gateway's namespace or a grant exists, istiod failed to "
            "verify it (a -cacert CA resource, merged Gateways): upgrade istiod"),
    _p("gke-listener-invalid", _GKE_LISTENER_INVALID, "listener_invalid", "listener",
       ("text",)),
    _p("listener-route-kind-refused", _ROUTE_KIND_REFUSED, "listener_invalid", "listener",
       ("text",), hint=_ROUTE_KIND_HINT),
    _p("listener-tls-mode-refused", _TLS_MODE_REFUSED, "listener_invalid", "listener",
       ("text",), hint=_TLS_MODE_HINT),
    _p("listener-protocol-refused", _LISTENER_PROTOCOL_REFUSED, "listener_invalid", "listener",
       ("text",), hint=_LISTENER_PROTOCOL_HINT),
    # GKE's route errors as a text line (an event or a title pasted as such): a missing
    # endpoint-picker Service first (the #1131 wording), then any other refusal of the route
    # (`Error GWCER104: HTTPRoute "x" is misconfigured, err: cannot specify more than one
    # backendRef for external load balancing.`, argoproj-labs/rollouts-plugin-trafficrouter-
    # gatewayapi#134: gke-l7-gxlb serves no weighted backends).
    _p("gke-epp-missing", _GKE_EPP_MISSING, "endpoint_picker_missing", "backend", ("text",)),
    _p("gke-route-misconfigured", r"Error GWCER\d+: (?:HTTPRoute|GRPCRoute) [\"'][^\"']+[\"'] is "
       r"(?:misconfigured|invalid)", "route_not_accepted", "attach", ("text",),
       hint="GKE refused the route (the text after err: says which field): change that field, "
            "or use a GatewayClass that supports it (the classic gke-l7-gxlb class serves no "
            "weighted backendRefs; gke-l7-global-external-managed does)"),
    # GKE's route error code alone, before a message that names no object (`GWCER104: Paths
    # must start with a '/' character "^/.*$"`, kserve/kserve#5319: a RegularExpression path
    # GKE refused): GWCER104 is the code of its route errors (`Error GWCER104: HTTPRoute "x"
    # is misconfigured, err: ...` in gateway-api-inference-extension#1131 and
    # rollouts-plugin-trafficrouter-gatewayapi#134).
    _p("gke-route-code", r"\bGWCER104\b", "route_not_accepted", "attach", ("text",),
       hint="GKE refused a field of an HTTPRoute (the text after the code says which): "
            "change that field to a value the GatewayClass supports (kubectl get httproute "
            "-A -o yaml shows the route and its status)"),
    # GKE attaches one traffic extension per InferencePool; a second Gateway whose route
    # names the same pool gets the Compute API's AT_MOST_ONE_EXTENSION on its route and
    # Gateway (kubernetes-sigs/gateway-api-inference-extension#833).
    _p("gke-at-most-one-extension", r"\bAT_MOST_ONE_EXTENSION\b", "route_not_accepted", "attach",
       ("text",), hint="GKE serves an InferencePool through one Gateway: route each pool from "
                       "one Gateway only (a second Gateway needs its own pool and endpoint "
                       "picker)"),
    # Envoy AI Gateway's catch-all rule (internal/controller/ai_gateway_route.go,
    # generateHTTPRouteFilters: a DirectResponse 404) answers when no AIGatewayRoute rule
    # matched: the model header (x-ai-eg-model) names no configured model
    # (envoyproxy/ai-gateway#1944).
    _p("ai-gateway-no-route", r"No matching route found\. It is likely that the model",
       "request_not_routed", "attach", ("text",),
       hint="no AIGatewayRoute rule matched the request: its rules match the x-ai-eg-model "
            "header (set from the body's model); name a model a rule lists, or add a rule "
            "for it (kubectl get aigatewayroute -A -o yaml)"),
    # kgateway's endpoint-picker plugin (package endpointpicker, ApplyForBackend: `no
    # endpoints found for InferencePool %s/%s`; its warning
    # `no endpoints resolved for InferencePool`): the pool's selector gave no Ready pod when
    # the route was translated; the gateway answers 500 (kgateway-dev/kgateway#12219).
    _p("kgateway-pool-no-endpoints", r"no endpoints (?:found|resolved) for InferencePool",
       "pool_pods_not_ready", "pool", ("text",),
       hint="the pool had no Ready pod its selector matches when kgateway translated the "
            "route: get the model server pods Ready (or fix the selector); if they are Ready "
            "now, kgateway has not re-translated: touch the Gateway or route so it reconciles"),
    # agentgateway could not open the ext_proc stream to the pool's endpoint picker (its
    # Service has no ready endpoint: "no healthy backends"); with failureMode FailClose, and
    # in releases before agentgateway#3542 with FailOpen too, the request gets 500
    # (crates/agentgateway ext_proc: warn!("failed to initialize extproc client: {e:?}"))
    _p("agentgateway-extproc-init", r"failed to initialize extproc client",
       "endpoint_picker_missing", "backend", ("text",),
       hint="the gateway cannot reach the InferencePool's endpoint picker: get the EPP "
            "Deployment running and its Service Ready (kubectl get pods,endpointslices -n NS "
            "-l <the EPP's labels>); failureMode FailOpen falls back to the pool's pods only in "
            "releases with agentgateway#3542"),
    _p("epp-pool-not-initialized", r"Pool is not initialized", "endpoint_picker_misconfigured",
       "backend", ("text",),
       hint="the endpoint picker has not found its InferencePool: check its --pool-name / "
            "--pool-namespace flags and that the pool exists"),
    # The endpoint picker's pool reconciler refuses a --pool-group it does not serve (GAIE
    # pkg/epp/controller/inferencepool_reconciler.go v1.0.2: `unsupported API group: %s`,
    # logged as "Cannot reconcile InferencePool"): the picker's flag, not the gateway's support
    _p("epp-pool-group-unsupported", r"Cannot reconcile InferencePool[^\n]*unsupported API "
       r"group|unsupported API group: [^\n]*\bCannot reconcile InferencePool",
       "endpoint_picker_misconfigured", "backend", ("text",),
       hint="the endpoint picker's --pool-group names an API group it does not serve: set it "
            "to the InferencePool's group (inference.networking.k8s.io for v1, "
            "inference.networking.x-k8s.io for v1alpha2)"),
    # ... and refuses to start without one (cmd/epp/runner/runner.go v1.0.2 validateFlags:
    # `required %q flag not set` for "poolName")
    _p("epp-pool-name-unset", r"required \\?\"?poolName\\?\"? flag not set",
       "endpoint_picker_misconfigured", "backend", ("text",),
       hint="the endpoint picker starts only with --pool-name (the InferencePool it serves) "
            "set: add --pool-name and --pool-namespace to its container args"),
    # A refusal the RBAC authorizer explains with a role that does not exist: the binding's
    # roleRef names a (Cluster)Role absent from the cluster, so it grants nothing (kubernetes
    # v1.37.2 plugin/pkg/auth/authorizer/rbac/rbac.go Authorize: `reason = fmt.Sprintf("RBAC:
    # %v", utilerrors.NewAggregate(ruleCheckingVisitor.errors))`, the errors being the role
    # getters' NotFound, pkg/registry/rbac/validation/rule.go GetRoleReferenceRules). Whose
    # ServiceAccount it is (an endpoint picker's, a controller's) changes nothing: the fix is
    # the role (llm-d-incubation/llm-d-modelservice#15: the EPP bound to a ClusterRole that
    # was never created).
    _p("rbac-role-not-found", r"is forbidden\b[^\n]*\bRBAC: (?:\[?)(?:cluster)?role\.rbac\."
       r"authorization\.k8s\.io \\?\"?(?P<name>[\w.:-]+)\\?\"? not found",
       "missing_permission", "class", ("text",),
       hint="the ServiceAccount's RoleBinding/ClusterRoleBinding names the role {name}, which "
            "does not exist, so the binding grants nothing: create that role with the verbs and "
            "resources the message names (get/list/watch), or point the binding's roleRef at a "
            "role that exists (kubectl get clusterrole,role -A | grep {name}; roleRef cannot be "
            "edited: delete and recreate the binding)"),
    # Istio's gateway deployment controller could not apply the Service (or Deployment) it
    # generates for a Gateway: the API server refused it, so the Gateway gets no address
    # (istio/istio 86c9f01 pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go:463
    # `apply failed: %v`, :851 `patch %v/%v/%v: %v`, logged by pkg/kube/controllers/queue.go:186
    # `error handling %v, retrying (retry count: %d): %v`; istio/istio#59374: `failed to allocate
    # a nodePort: range is full`).
    _p("istio-apply-service-failed", r"apply failed: patch /v1, Kind=Service/[\w.-]+/"
       r"(?P<name>[\w.-]+): ", "gateway_no_address", "gateway", ("text",),
       hint="the gateway controller could not create or update the Gateway's Service {name}: "
            "the API server refused it for the reason after the Service name, so the Gateway "
            "gets no address and no proxy receives traffic. Fix that reason (a full NodePort "
            "range: free node ports, or set allocateLoadBalancerNodePorts: false / a "
            "loadBalancerClass through the Gateway's infrastructure.parametersRef ConfigMap; an "
            "invalid field: the Gateway value it came from), then check kubectl get svc -n "
            "<gateway namespace>"),
    # A Gateway reconciler of controller-runtime (its "Reconciler error" record names the
    # reconciled kind: controllerKind=Gateway) whose error is the API server's refusal of the
    # Service it generates for the Gateway (apimachinery pkg/api/errors NewInvalid: `%s %q is
    # invalid: %v`): the Service never exists, so the Gateway gets no address. Cilium's
    # operator/pkg/gateway-api/gateway_reconcile.go@00159e53 ensureService (CreateOrPatch,
    # Accepted=False "Unable to create Service resource" beside it); cilium/cilium#38852: a
    # CiliumGatewayClassConfig service type ClusterIP with externalTrafficPolicy set. A
    # refusal logged without the reconciled kind (Contour's operator) is not read here.
    _p("gateway-reconciler-service-invalid", r"controllerKind\W{1,4}Gateway\b[^\n]*?\bService "
       r"\\?\"(?P<name>[\w.-]+)\\?\" is invalid: ", "gateway_no_address", "gateway", ("text",),
       hint="the Gateway controller's reconcile of the Gateway failed because the API server "
            "refused the Service it generates ({name}) for the reason after `is invalid:`, so "
            "the Service never exists and the Gateway gets no address. Fix the setting that "
            "produced that field (the GatewayClass or Gateway parameters: service type, "
            "externalTrafficPolicy, ports; an implementation may support only LoadBalancer "
            "and NodePort Services for a Gateway), then check kubectl get svc -n <gateway "
            "namespace> and the Gateway's Programmed condition"),
    # A cloud IAM denial of the controller's own cloud identity (AWS: `User: <arn> is not
    # authorized to perform: <service>:<Action> [on resource: <arn>] [because no
    # identity-based policy allows the <action> action]`, the AccessDeniedException of the
    # AWS SDK): the controller (AWS Gateway API controller for VPC Lattice, AWS Load Balancer
    # Controller) cannot build the cloud resources of its Gateways and routes. The AWS Gateway
    # API controller needs every action of its files/controller-installation/
    # recommended-inline-policy.json (aws/aws-application-networking-k8s@v2.1.3, which lists
    # tag:GetResources for pkg/deploy/lattice/target_group_synthesizer.go `failed
    # TargetGroupManager.List due to %s`); awslabs/eksdemo#142 (a role without it).
    _p("cloud-iam-denied", r"\bis not authorized to perform:? (?P<name>[a-z0-9-]+:[A-Za-z0-9*]+)",
       "missing_permission", "class", ("text",),
       hint="the controller's cloud identity (the IAM role its ServiceAccount assumes through "
            "IRSA or EKS Pod Identity) is not allowed {name}: add that action to the role's "
            "policy (the controller's recommended IAM policy of the release you run lists "
            "every action it calls), then watch the controller's log for the next cycle; "
            "confirm: aws iam simulate-principal-policy --policy-source-arn <role arn> "
            "--action-names {name}"),
    _p("epp-forbidden", r"(failed to list|cannot list|forbidden)[^\n]*(inferencepools?|"
       r"inferenceobjectives?|inferencemodels?|pods)\b|(inferencepools?|inferenceobjectives?|"
       r"inferencemodels?)[^\n]*is forbidden", "endpoint_picker_misconfigured", "backend",
       ("text",), hint="the endpoint picker's ServiceAccount may not list what it watches: "
                       "grant get/list/watch on inferencepools, inferenceobjectives (or "
                       "inferencemodels) and pods (the inferencepool chart's Role)"),
    # Any other controller denied by the API server (apiserver responsewriters forbiddenMessage:
    # `User %q cannot %s resource %q in API group %q`): the controller's own RBAC, not the
    # endpoint picker's (kubernetes-sigs/aws-load-balancer-controller#4247).
    _p("controller-forbidden", r"is forbidden: User \"?system:serviceaccount:[^\s\"]+\"? cannot "
       r"\w+ resource", "controller_forbidden", "class", ("text",)),
    # ... and a client-go reflector's or client's refusal with the User part cut (`failed to
    # list *v1alpha1.LLMInferenceService: llminferenceservices.serving.kserve.io is
    # forbidden`: client-go tools/cache/reflector.go v0.37.2 "failed to list %v: %w") of a kind
    # no endpoint picker touches: the controller that manages the pools and routes
    # (johnahull/llmd-gke pattern1/ISSUES-istio.md: KServe's kserve-manager-role lacked them)
    _p("controller-forbidden-cut", r"failed to (?:list|watch|get|create|update|patch|delete) "
       r"\*?[\w.]+: (?!(?:inferencepools?|inferenceobjectives?|inferencemodels?|pods)\b)"
       r"[\w-]+(?:\.[\w.-]+)? is forbidden", "controller_forbidden", "class", ("text",)),
    # The scheduler's profile handler refuses the EndpointPickerConfig: the loader's wording
    # ("... but multiple profiles were specified") and the per-request one the gateway answers
    # with ("... failed to process multiple profiles", kubernetes-sigs/gateway-api-inference-
    # extension#1697); GAIE pkg/epp/config/loader/configloader.go and
    # pkg/epp/scheduling/framework/plugins/multi/profile/single_profile_handler.go (v1.0.0).
    _p("epp-profile-handler", r"single profile handler is intended to be used with a single "
       r"profile|no profile handler was specified", "endpoint_picker_misconfigured", "backend",
       ("text",), hint="the EndpointPickerConfig declares several schedulingProfiles with the "
                       "single-profile-handler: keep one profile, or use a profile handler "
                       "that serves several (llm-d's pd-profile-handler for prefill/decode)"),
    # The loader refuses a plugin of the EndpointPickerConfig; the picker does not start.
    # GAIE pkg/epp/config/loader/configloader.go v1.0.2:134/128 `plugin type '%s' is not found
    # in registry`, `plugin name '%s' used more than once`; from v1.3.0 (:134, v1.4.0 :154,
    # v1.5.0 :187, instantiatePlugins) `plugin type '%s' is not registered`, `duplicate plugin
    # name '%s'`, `plugin '%s' is missing a type`, and defaults.go (v1.5.0 :337,
    # registerDefaultPlugin) `plugin type '%s' not found in registry`. A type registered only
    # by another build of the picker (llm-d-inference-scheduler's own plugins) reads the same.
    _p("epp-plugin-refused", r"plugin type '[^'\n]*' (?:is )?(?:not found in registry|not "
       r"registered)|plugin name '[^'\n]*' used more than once|duplicate plugin name "
       r"'[^'\n]*'|plugin '[^'\n]*' is missing a type", "endpoint_picker_misconfigured",
       "backend", ("text",),
       hint="the EndpointPickerConfig names a plugin type this endpoint picker image does not "
            "register (one of another release or build), gives two plugins one name, or a "
            "plugin no type: use the plugin types of the image's release (its config "
            "examples), unique names, and a type on every plugin"),
    # llm-d's picker plugins that tokenize (precise-prefix-cache-scorer through its kvcache
    # indexer, the tokenizer data producer) call a tokenizer sidecar over a unix socket
    # (default /tmp/tokenizer/tokenizer-uds.socket) and fail their construction without it,
    # so the picker does not start: llm-d-kv-cache pkg/tokenization/pool_uds.go:60@v0.8.1
    # (pool.go:116@v0.4.0) `failed to create UDS tokenizer: %w`, wrapped by pkg/kvcache/
    # indexer.go:116 and llm-d-inference-scheduler pkg/epp/framework/plugins/scheduling/scorer/
    # preciseprefixcache/precise_prefix_cache.go:149@v0.8.0; the tokenizer plugin's own
    # `failed to initialize UDS tokenizer for '%s' plugin - %w` (pkg/plugins/preparedata/
    # tokenizer.go:88@v0.7.1, .../dataproducer/tokenizer/tokenizer.go:88@v0.8.0).
    _p("epp-uds-tokenizer", r"failed to (?:create|initialize) UDS tokenizer\b",
       "endpoint_picker_misconfigured", "backend", ("text",),
       hint="a plugin of the EndpointPickerConfig (precise-prefix-cache-scorer, the tokenizer "
            "plugin) tokenizes through a UDS tokenizer sidecar in the endpoint picker's pod and "
            "the picker does not start without it; `dial unix <socket>: ... no such file or "
            "directory` means nothing serves that socket: add the tokenizer sidecar (the "
            "llm-d-uds-tokenizer image) with a volume shared at the socket's directory "
            "(default /tmp/tokenizer), or remove the plugin that needs it from the config"),
    # A controller that cannot read a backend object the route names: Envoy AI Gateway
    # (internal/controller: `failed to get AIServiceBackend %s: %w` wrapping the API server's
    # NotFound, envoyproxy/ai-gateway#2480); the same shape for Backend and InferencePool.
    _p("controller-backend-not-found", r"failed to get (AIServiceBackend|Backend|InferencePool)"
       r"\b[^:]*:[^\n]*\bnot found", "backend_not_found", "backend", ("text",),
       hint="a route's backendRef names a backend object that does not exist in the route's "
            "namespace: fix the name (or namespace) or create it"),
    # The AWS Gateway API controller (VPC Lattice) builds a target group per backendRef and
    # fails the whole route's model when the Service is missing: pkg/gateway/
    # model_build_targetgroup.go `error finding backend service %s due to %s` wrapping the
    # API's NotFound (`Service "<name>" not found`), logged by the route controller as
    # `Failed build model for <route> due to ...` (aws/aws-application-networking-k8s#493)
    _p("aws-backend-service-not-found", r"\berror finding backend service (?P<name>[\w.\-/]+)"
       r" due to [^\n]*?\bnot found\b", "backend_not_found", "backend", ("text",),
       hint="a route's backendRef names a Service that does not exist ({name}): the AWS "
            "Gateway API controller then builds no part of the route (its Lattice service "
            "is not created or updated): create the Service or fix backendRefs[].name and "
            "namespace"),
    # AWS Load Balancer Controller (pkg/gateway/model target group builder, v2.14+; the same
    # wording in its Ingress builder): instance targets need a node port.
    _p("aws-instance-target-no-port", r"TargetGroup port is empty\W+When using Instance "
       r"targets|When using Instance targets, your service must be of type",
       "backend_target_type_mismatch", "backend", ("text",)),
    # Traefik (v3.1+) cannot resolve providers.kubernetesGateway.statusAddress: it logs this
    # and builds no Gateway API configuration at all (pkg/provider/kubernetes/gateway/
    # kubernetes.go:332, gatewayAddresses :754-800@v3.7.9)
    _p("traefik-status-address", r"Unable to get Gateway status addresses|empty Gateway "
       r"status address configuration", "gateway_no_address", "gateway", ("text",),
       hint="Traefik's Gateway provider cannot work out the address to publish in the "
            "Gateways' status and configures no Gateway API route until it can: set "
            "providers.kubernetesGateway.statusAddress to an ip, a hostname, or a service "
            "(name and namespace) that exists and Traefik may read, or remove statusAddress; "
            "the error after the message says which part failed"),
    # Kong Ingress Controller (v3.1+): an unmanaged Gateway's konghq.com/publish-service
    # annotation must name a Service the controller was started with; otherwise the
    # reconcile ends before the Gateway is Accepted, and requeues (internal/controllers/
    # gateway/gateway_controller.go:536 and :697 determineServiceForGateway@v3.5.13)
    _p("kong-publish-service-mismatch", r"publish services? defined in Gateway's [\"']?"
       r"konghq\.com/publish-service[\"']? annotation didn'?t match|from Gateway's "
       r"annotations did not match configured controller manager's publish services",
       "gateway_not_ready", "gateway", ("text",),
       hint="Kong Ingress Controller accepts an unmanaged Gateway only when its "
            "konghq.com/publish-service annotation names the controller's own proxy "
            "Service(s) (its --publish-service and --publish-service-udp flags, "
            "namespace/name): fix the annotation, or remove it to take the controller's"),
    # Kong Ingress Controller's publish Service (--publish-service, the proxy's LoadBalancer)
    # has no address in status.loadBalancer.ingress yet: the address finder returns this error,
    # so no Ingress / Gateway status gets an address and the reconcile is retried (Kong/
    # kubernetes-ingress-controller internal/manager/setup.go:279 generateAddressFinderGetter
    # @1fa68f86; commit 0712b6e1 quotes it as `Reconciler error` and logs instead `LoadBalancer
    # service has no external address`)
    _p("kong-publish-service-no-address", r"waiting for addresses to be provisioned for "
       r"publish service \S+|LoadBalancer service has no external address",
       "gateway_no_address", "gateway", ("text",),
       hint="the proxy's LoadBalancer Service (the controller's --publish-service) has no "
            "external address yet, so none is published to the Ingress / Gateway status: "
            "kubectl get service -n <ns> <publish service> (EXTERNAL-IP <pending>) and its "
            "events; on bare metal or kind install a LoadBalancer provider (MetalLB, "
            "cloud-provider-kind), or publish a fixed address (--publish-status-address)"),
    # Envoy Gateway's xDS runner failed to translate the xDS IR, so the new config is not
    # published (internal/xds/translator/runner/runner.go:83@v1.0.0 `failed to translate xds
    # ir`, :92@v1.4.0; internal/xds/runner/runner.go:336@d32f2829 `skipped publishing xds
    # resources: failed to translate xds ir`); an extension server's gRPC refusing the
    # request over its receive limit (grpc-go `grpc: received message larger than max (%d vs.
    # %d)`, 4 MiB by default) is the Envoy AI Gateway case (envoyproxy/ai-gateway commit
    # de0bd517, #1291: the --maxRecvMsgSize flag, Helm controller.maxRecvMsgSize)
    _p("eg-xds-translate-too-large", r"failed to translate xds ir\b.{0,200}?received message "
       r"(?:after decompression )?larger than max", "xds_config_rejected", "listener",
       ("text",), hint=_EG_EXTENSION_SIZE_HINT),
    _p("eg-xds-translate-failed", r"failed to translate xds ir\b", "xds_config_rejected",
       "listener", ("text",),
       hint="Envoy Gateway could not translate the Gateway's IR into xDS, so the new config "
            "is not pushed and Envoy keeps the previous one: the error after the message "
            "names the part (an extension server's error, a policy or route setting); fix it "
            "and watch the log for the next translation"),
    # a status write refused by the API server's optimistic concurrency (apimachinery
    # NewConflict: `Operation cannot be fulfilled on %s %q: %v`, with `the object has been
    # modified; please apply your changes to the latest version and try again`): another
    # writer updated the object's status in between. Repeated, two writers fight over it:
    # NGINX Gateway Fabric 0.6 ran two replicas without leader election (statusUpdater
    # `Failed to update status`, internal/framework/status/updater.go:168@v0.6.0; NGF
    # tests/results/ngf-upgrade/1.0.0/1.0.0.md@e55bfe33), or two controllers claim a class.
    # Only the final failure: a conflict the controller retries (NGF's debug `Encountered error
    # updating status`, nginx/nginx-gateway-fabric#2562) is no fault
    # a status write refused because a condition message is over metav1.Condition's limit
    # (MaxLength=32768, k8s.io/apimachinery v0.37.2 pkg/apis/meta/v1/types.go:1693), pasted
    # without its field: TooLong `may not be more than %d bytes` (pkg/util/validation/field/
    # errors.go:347-364), older TooLongMaxLength `may not be longer than %d` (envoyproxy/
    # gateway#7146, fixed by PR #7159); the full refusal is read by api_refusal.py
    _p("condition-message-too-long", r"\bToo long: may not be (?:longer|more) than 32768\b",
       "status_update_rejected", "class", ("text",), hint=_CONDITION_TOO_LONG_HINT),
    # Linkerd's policy controller patching a route's status (policy-controller/k8s/status/src/
    # index.rs: `Failed to patch HTTPRoute` with `error=ApiError: ...` @1a763569c; later one
    # `patch{...}` span logging `error=`): the API server refused the patch. A 404 is a route
    # deleted but kept in the status index (the wrong kind on delete, linkerd/linkerd2 PR
    # #11471, fixed in edge-23.10.2); a 403 is the controller's RBAC (rbac_denial.py)
    _p("linkerd-status-patch-refused", r"(?:linkerd_policy_controller_k8s_status::index\b|"
       r"\bFailed to patch (?:HTTPRoute|GRPCRoute|TLSRoute|TCPRoute)\b)[^\n]{0,400}?"
       r"\berror=ApiError\b(?![^\n]*\b(?:Forbidden|403)\b)", "status_update_rejected", "class",
       ("text",), hint=_LINKERD_STATUS_PATCH_HINT),
    _p("status-write-conflict", r"\b(?:failed|unable) to update (?:\w+ )?status\b.{0,120}?"
       r"\bOperation cannot be fulfilled on [\w-]+\.(?:gateway|inference)\.networking\."
       r"(?:x-)?k8s\.io\b[^:]{0,200}: the object has been modified|\bOperation cannot be "
       r"fulfilled on [\w-]+\.(?:gateway|inference)\.networking\.(?:x-)?k8s\.io\b[^:]{0,200}: "
       r"the object has been modified.{0,200}?\b(?:failed|unable) to update (?:\w+ )?status\b",
       "status_update_rejected", "class", ("text",), hint=_STATUS_CONFLICT_HINT),
    _p("fault-filter-abort", r"fault filter abort", "backend_not_found", "backend", ("text",),
       hint="the route's InferencePool does not exist or the gateway cannot find it: fix "
            "backendRefs (name, group) or add a ReferenceGrant for another namespace"),
    # The endpoint picker started with the wrong pool flags finds no InferencePool: GAIE
    # cmd/epp flags -poolName/-poolNamespace (v0.1..v0.3), --pool-name/--pool-namespace/
    # --pool-group (v0.4+); said so in kgateway-dev/kgateway#12218 (a deployer that left out
    # the namespace) and opendatahub-io/kserve#1097 (--pool-group left on the alpha group).
    _p("epp-pool-flags", r"-{1,2}pool[-_]?(?:name|namespace|group)\b[^\n]{0,80}?\b(?:miss\w*|"
       r"wrong|not set|unset|stays?|couldn'?t|could not|can'?t|cannot)\b|\b(?:miss\w*|without|"
       r"lacks?|wrong)\b[^\n]{0,40}?-{1,2}pool[-_]?(?:name|namespace|group)\b",
       "endpoint_picker_misconfigured", "backend", ("text",),
       hint="the endpoint picker looks for its InferencePool by its flags: set --pool-name, "
            "--pool-namespace (and --pool-group to the pool's API group, "
            "inference.networking.k8s.io for v1) to the pool it serves"),
    # A controller that cannot create the Gateway's data-plane Service: the Contour gateway
    # provisioner / contour-operator (`failed to ensure envoy service for ...`,
    # projectcontour/contour#4975, projectcontour/contour-operator#310) wrapping the API
    # server's refusal (pkg/registry/core/service/portallocator: `provided port is already
    # allocated`, `provided port is not in the valid range`).
    _p("gateway-service-not-created", r"failed to ensure (?:the )?(?:envoy )?(?:service|"
       r"resources|deployment|daemonset)s? for (?:gateway|contour)\b|nodePort: Invalid value: "
       r"\d+: provided port is (?:already allocated|not in the valid range)",
       "gateway_not_ready", "gateway", ("text",),
       hint="the controller cannot create the Gateway's Service (its message says why: a "
            "nodePort another Service holds or outside the cluster's range): give the Gateway "
            "a free port or let Kubernetes pick the nodePort, then the data plane is "
            "provisioned"),
    # Envoy's TLS context waits on an SDS secret its control plane never sent: the socket
    # fails with "TLS error: Secret is not supplied by SDS" (envoy source/common/tls/
    # ssl_socket.cc NotReadySslSocket, before 1.28 source/extensions/transport_sockets/tls/
    # ssl_socket.cc; as `transport failure reason: ...` in the upstream reset text). Under
    # Gateway API the controller resolves a listener's certificateRefs or a BackendTLSPolicy's
    # caCertificateRefs before it programs them (ResolvedRefs=False otherwise, gateway-api
    # apis/v1 gateway_types.go, apis/v1 backendtlspolicy_types.go), so a secret named in the
    # config it generated and never supplied is the controller contradicting its own verdict
    # (cilium/cilium#45202: the operator kept the hardcoded cilium-secrets/ prefix when
    # gatewayAPI.secretsNamespace.name differs, fixed by #45203)
    _p("envoy-sds-secret-unsupplied", r"TLS error: Secret is not supplied by SDS",
       "controller_contradicts_spec", "attach", ("text",),
       hint="Envoy holds a TLS context whose secret the controller's SDS server never sent: "
            "when the Secret / CA ConfigMap the Gateway listener or BackendTLSPolicy names "
            "exists and the object is ResolvedRefs=True, the controller generated a secret "
            "name it does not serve (a secrets namespace or name prefix it got wrong): "
            "compare the SDS secret names in the proxy's config dump with the synced secrets, "
            "and upgrade the controller; if the referenced Secret/ConfigMap is absent, create "
            "it"),
    _p("no-healthy-upstream", r"no healthy upstream", "pool_pods_not_ready", "pool", ("text",)),
    _p("upstream-refused", r"upstream connect error or disconnect/reset before headers",
       "pool_target_port_mismatch", "pool", ("text",),
       hint="the gateway reached the picked pod but its port refused: make targetPorts the "
            "port the model server listens on"),
    _p("epp-health-unknown-service", r"gRPC health check requested unknown service",
       "endpoint_picker_misconfigured", "backend", ("text",),
       hint="the endpoint picker's health probe asks for a gRPC service its image does not "
            "serve: the EPP Deployment and image come from different GAIE releases; install "
            "the manifests of the image's release (or the image the manifests name)"),
    # Envoy Gateway's Backend status when its EnvoyGateway config leaves the Backend API off
    # (internal/gatewayapi/backend.go ProcessBackends, v1.1+): every route to a Backend is
    # unresolved, Envoy AI Gateway's too (envoyproxy/ai-gateway#829)
    _p("eg-backend-api-disabled", r"Backend is not enabled in Envoy Gateway Config",
       "backend_unresolved", "backend", ("text",),
       hint="Envoy Gateway's own config has the Backend API off: set extensionApis."
            "enableBackend: true in the EnvoyGateway configuration (the envoy-gateway-config "
            "ConfigMap, or the Helm value config.envoyGateway.extensionApis.enableBackend) and "
            "restart the controller"),
    # Traefik's Gateway provider fills status.addresses from providers.kubernetesGateway.
    # statusAddress (ip, hostname or a Service); when that Service does not exist it logs
    # this and loads no Gateway API configuration at all (pkg/provider/kubernetes/gateway/
    # kubernetes.go loadGatewayConfigurations returns nil; traefik/traefik-helm-chart#1291)
    _p("traefik-status-address", r"Unable to get Gateway status addresses",
       "gateway_no_address", "gateway", ("text",),
       hint="Traefik cannot find what providers.kubernetesGateway.statusAddress names (by "
            "default the chart's own Service, absent with service.enabled=false), and until it "
            "can it loads no Gateway API configuration: set statusAddress.ip or .hostname, or "
            "point statusAddress.service at an existing Service"),
    # Envoy Gateway's infrastructure runner creating the proxy Service with no port: no
    # listener of the Gateway was translated (each one invalid, e.g. a certificateRefs Secret
    # that does not exist); envoyproxy/gateway#3044, fixed by #3043 (no infra without listeners)
    _p("eg-infra-no-listeners", r"failed to create or update service [\w./-]+: .{0,80}?"
       r"spec\.ports: Required value",
       "listener_invalid", "listener", ("text",),
       hint="none of the Gateway's listeners was accepted, so its proxy Service would have no "
            "port: read each listener's conditions (kubectl get gateway NAME -o yaml: "
            "status.listeners; ResolvedRefs InvalidCertificateRef for a certificate Secret that "
            "does not exist) and fix them"),
    _p("eg-service-not-found", r"unable to find associated Services.*not found",
       "backend_not_found", "backend", ("text",),
       hint="a route's backendRef names a Service that does not exist: fix backendRefs[].name "
            "(and namespace) or create the Service"),
    _p("eg-direct-500", r"response_code\W+500\b.*direct_response|direct_response.*"
       r"response_code\W+500\b", "backend_unresolved", "backend", ("text",),
       hint="Envoy Gateway answers 500 itself (direct_response) for a rule whose backendRefs "
            "do not resolve (BackendNotFound, RefNotPermitted, InvalidKind): read the route's "
            "ResolvedRefs condition (kubectl get httproute NAME -o yaml) and fix that reference"),
    # Envoy's access log for a request no route matched (response code details
    # route_not_found, response flag NR: "No route configured for a given request in addition
    # to 404 response code", Envoy access-log docs)
    # Envoy's own answer when the route's timeout expires before the backend answers (504,
    # body "upstream request timeout", response flag UT; the route timeout defaults to 15 s
    # when none is set: envoy docs/root/faq/configuration/timeouts.rst): an LLM generation or
    # a slow backend outlasts it; HTTPRoute rules[].timeouts sets it (GEP-1742)
    _p("envoy-upstream-timeout", r"\bupstream request timeout\b|\"response_flags\"\s*:\s*\"UT\"",
       "no_timeouts", "attach", ("text",),
       hint="the gateway's route timeout expired before the backend answered (Envoy's default "
            "is 15 s when the route sets none): set rules[].timeouts.request (and "
            "backendRequest) above the backend's slowest answer, e.g. 300s for streamed LLM "
            "responses; if the backend never answers, read its logs"),
    _p("envoy-route-not-found", r"\broute_not_found\b|\"response_flags\"\s*:\s*\"NR\"",
       "request_not_routed", "attach", ("text",)),
    # APISIX's answer when no route matches (apache/apisix apisix/init.lua:
    # core.response.exit(404, {error_msg = "404 Route Not Found"}), every 2.x/3.x release);
    # apisix-ingress-controller 2.1.0 adds a server_port match from the Gateway's listener
    # ports, which misses when the data plane listens on others (apache/apisix-ingress-
    # controller#2782, the listener_port_match_mode mitigation in #2784/#2786)
    _p("ngf-policy-target-conflict", _NGF_TARGET_CONFLICT, "policy_conflicted", "attach",
       ("text",), hint=_NGF_TARGET_CONFLICT_HINT),
    # Envoy refused a listener because two of its filter chains match the same traffic
    # (envoy source/common/listener_manager/filter_chain_manager_impl.cc: "filter chain '%s'
    # has the same matching rules defined as '%s'"): the controller generated duplicates, from
    # two listeners on one port and hostname, or a route attached to several listeners of one
    # port (a TLSRoute without sectionName: cilium/cilium#45925, fixed by #45371)
    # Envoy Gateway's placeholder chain for a TCP or TLS-passthrough listener with no route,
    # added once per such listener, so several on one port collide (envoyproxy/gateway#7866,
    # v1.5-v1.6; fixed by PR #8521, one EmptyCluster chain per xDS listener)
    # Envoy Gateway's placeholder chain colliding with a listener's own chain (the HTTPS
    # chain of a Gateway whose TLS-passthrough listener on that port has no route): the
    # placeholder had no filter_chain_match, so it duplicated the other chain's empty matcher
    # (`... 'EmptyCluster' has the same matching rules defined as '<ns>/<gw>/https'.
    # duplicate matcher is: {}`; envoyproxy/gateway#9516 and #9341, v1.8, fixed by PR
    # #10011): no two user listeners collide, the controller's generated config is refused
    _p("eg-empty-cluster-vs-listener", r"filter chain '(?:EmptyCluster' has the same matching "
       r"rules defined as '(?!EmptyCluster')[^']+|(?!EmptyCluster')[^']+' has the same matching "
       r"rules defined as 'EmptyCluster)'", "xds_config_rejected", "listener", ("text",),
       hint="Envoy refused the listener: Envoy Gateway's placeholder EmptyCluster chain (for a "
            "TCP or TLS-passthrough listener without a route) matches the same traffic as "
            "another listener's chain on that port, so Envoy rejects this and every later "
            "listener update: attach a route to the route-less listener or remove it, or "
            "upgrade Envoy Gateway to a release with PR #10011"),
    _p("eg-empty-cluster-chains", r"filter chain 'EmptyCluster' has the same matching rules",
       "listener_conflict", "listener", ("text",),
       hint="Envoy refused the listener: Envoy Gateway gives each TCP or TLS-passthrough "
            "listener without a route a placeholder EmptyCluster chain, and two on one port "
            "collide, so routes on that port get no traffic either: attach a route to those "
            "listeners or remove the unused ones, or upgrade Envoy Gateway (PR #8521)"),
    _p("envoy-duplicate-filter-chain", r"has the same matching rules defined as",
       "listener_conflict", "listener", ("text",),
       hint="Envoy refused the listener: two filter chains match the same traffic (the "
            "'duplicate matcher' names the SNI / transport): give each listener on that port "
            "its own hostname, attach each route to one listener (parentRefs[].sectionName), "
            "or upgrade the controller if it expands one route into several chains"),
    # Envoy refused config the controller generated (an xDS NACK): logged by Envoy as
    # `gRPC config for type.googleapis.com/envoy.config.<api>.v3.<Type> rejected: <why>`
    # (source/extensions/config_subscription/grpc/grpc_subscription_impl.cc:138, as pasted in
    # envoyproxy/gateway#5729; `delta config for ... rejected` from delta_subscription_state.cc
    # :296, envoyproxy/gateway#7866), or by the control plane with Envoy's error
    # (envoyproxy/gateway#601, `errorMessage Error adding/updating listener(s) default-eg-https:
    # error adding listener '0.0.0.0:8443': partial wildcards are not supported`). Any resource
    # type (listener, cluster, route, secret): the data plane keeps its old config, whatever
    # the status of the object that produced it says (kgateway-dev/kgateway#14453: a listener
    # Programmed=True that Envoy NACKs)
    # Envoy refused a listener whose address another listener (or, on an update with
    # enable_reuse_port false, the listener's own previous version) already holds: envoy
    # source/common/listener_manager/listener_manager_impl.cc setNewOrDrainingSocketFactory
    # (main@00e0e562: "error adding listener: '{}' has duplicate address '{}' as existing
    # listener", since 1.x; newer releases append ", to check if ..."). Cilium's Gateway API
    # host-network mode folds every listener into one Envoy listener holding all ports, so a
    # listener port change is refused for good (cilium/cilium#48132, fixed by #48712 split
    # xDS and #48798 ADS); a port handed to two CiliumEnvoyConfigs (cilium/cilium#48614, retry
    # from PR #48624); istio/istio#1194 (an app port equal to an inbound listener's)
    _p("envoy-duplicate-address", r"error adding listener:? '[^']+' has duplicate address "
       r"'[^']*' as existing listener", "xds_config_rejected", "listener", ("text",),
       hint=_DUPLICATE_ADDRESS_HINT),
    # the Cilium agent refused the CiliumEnvoyConfig the operator generated for a Gateway
    # before any of it reached Envoy (cilium pkg/ciliumenvoyconfig/k8s_reflector.go
    # registerCECK8sReflector: "Skipping CiliumEnvoyConfig due to malformed xDS resources",
    # error from cec_resource_parser.go ParseResources@02fbb426: "duplicate Listener name %q",
    # "failed to validate Listener ..."): cilium/cilium#48269 (HTTPS Terminate and TLS
    # Passthrough on one port gave two Envoy listeners `listener-<port>`, v1.20.0; PR #48278)
    _p("cilium-cec-malformed", r"Skipping CiliumEnvoyConfig due to malformed xDS resources",
       "xds_config_rejected", "listener", ("text",), hint=_CILIUM_CEC_MALFORMED_HINT),
    # nginx (NGINX Gateway Fabric's data plane) refused the config the controller generated:
    # a configuration error is logged at level emerg (nginx src/core/ngx_log.c:77 err_levels),
    # as `nginx: [emerg] ...` on stderr (ngx_log.c:207, `nginx -t` / `nginx -s reload`) or
    # `YYYY/MM/DD HH:MM:SS [emerg] PID#TID: ...` in the error log (ngx_log.c:120-123), e.g.
    # `cannot load certificate "%s": %s` (src/event/ngx_event_openssl.c:495@3f6f782); a reload
    # whose new config fails keeps the old one ("rolls back changes and continues to work
    # with old configuration", nginx.org/en/docs/control.html). nginx/nginx-gateway-fabric
    # #5872: a CA bundle file the generated config names but NGF never wrote. An [error] or
    # [warn] line (a request's upstream failure, a duplicate server name) is no refusal.
    # nginx could not bind a listening socket at start (src/core/ngx_connection.c
    # ngx_open_listening_sockets: `bind() to %V failed` with the errno text, retried 5 times
    # `try again to bind() after 500ms`, then `still could not bind()`): a socket another
    # process or a file left by the previous run holds (EADDRINUSE: glibc's "Address already
    # in use", musl's (Alpine images) "Address in use"). No configuration was refused: the
    # data plane does not start, so nothing is served (NGINX Gateway Fabric's unix sockets
    # left in its volume after a node restart without draining, nginx/nginx-gateway-fabric
    # #1108, tests/results/graceful-recovery/1.1.0/1.1.0.md@e55bfe33; its control plane then
    # fails `failed to start control loop: cannot create nginx metrics collector: ...
    # nginx-status.sock: connect: connection refused`, cmd/gateway/commands.go:166@v1.1.0)
    _p("nginx-bind-in-use", r"\[emerg\].{0,40}?(?:bind\(\) to \S+ failed \(\d+: Address "
       r"(?:already )?in use\)|still could not bind\(\))", "gateway_not_ready", "gateway",
       ("text",), hint=_NGINX_BIND_HINT),
    _p("nginx-emerg", r"(?:\bnginx:\s+|\b\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+)\[emerg\]",
       "xds_config_rejected", "listener", ("text",), hint=_NGINX_EMERG_HINT),
    _p("envoy-listener-nack", r"Error adding/updating listener\(s\)", "xds_config_rejected",
       "listener", ("text",), hint=_XDS_NACK_HINT),
    # Envoy's protoc-gen-validate refusal of a resource it was sent over xDS (envoy
    # source/common/protobuf/utility.cc ProtoValidationException: `Proto constraint
    # validation failed ({}): {}`), returned as the NACK's error_detail (google.rpc.Status
    # `code:13 message:"..."`, code 13 = INTERNAL) that the control plane logs (istio 1.1
    # pilot `ADS:LDS: ACK ERROR`, istio/istio#12761: a TLS listener pushed with an empty
    # certificate file name). Only the xDS resource types (listener, cluster, route config,
    # virtual host, endpoints, secret): a Bootstrap's refusal is Envoy not starting
    _p("envoy-proto-validation-nack", r"Proto constraint validation failed \((?:Listener|"
       r"Cluster|RouteConfiguration|ScopedRouteConfiguration|VirtualHost|ClusterLoadAssignment|"
       r"Secret)ValidationError\.", "xds_config_rejected", "listener", ("text",),
       hint=_XDS_NACK_HINT),
    _p("envoy-xds-nack", r"\b(?:gRPC|delta) config for type\.googleapis\.com/envoy\.[\w.]+\.v3\."
       r"\w+ rejected", "xds_config_rejected", "listener", ("text",), hint=_XDS_NACK_HINT),
    # a controller that attaches routes only to Gateways, given another parent kind (a Service:
    # a GAMMA mesh parent): KIC's reconciler `unsupported parent kind %s/%s` (Kong/kubernetes-
    # ingress-controller#5227, #6584): the route is never configured
    _p("unsupported-parent-kind", r"unsupported parent kind \S+", "route_not_accepted",
       "attach", ("text",),
       hint="the route's parentRefs name a kind this controller does not attach to (a Service "
            "parent is GAMMA, for a service mesh): point parentRefs at the Gateway (group "
            "gateway.networking.k8s.io, kind Gateway), or use a mesh implementation for "
            "Service parents"),
    # istiod merging a Gateway's servers drops one whose port another server already holds,
    # logging "skipping server on gateway <gw> port <name.port.PROTO>: conflict with existing
    # server <port>.<PROTO>" (the wording as istio/istio#60562 pasted it from istiod): that
    # listener is not served though every status is healthy (there: a ListenerSet's HTTPS 443
    # beside the Gateway's, fixed in #60566)
    _p("istio-server-conflict", r"skipping server on gateway \S+ port \S+: conflict with "
       r"existing server", "listener_conflict", "listener", ("text",),
       hint="istiod dropped this listener because another server of the same Gateway (or of a "
            "ListenerSet attached to it) holds its port with a protocol or TLS setting it "
            "cannot merge: give it its own port, or distinct hostnames with the same "
            "protocol; ListenerSet listeners sharing the Gateway's port need the Istio release "
            "with istio/istio#60566"),
    # HAProxy Kubernetes Ingress Controller compares the Gateway CRD's
    # gateway.networking.k8s.io/bundle-version annotation with the one bundle it is built for
    # (GATEWAY_API_VERSION, the experimental v0.5.1) and needs the TCPRoute CRD; either miss
    # turns its Gateway API support off (haproxytech/kubernetes-ingress pkg/k8s/main.go
    # IsGatewayAPIInstalled; haproxytech/helm-charts#317 with the standard v1.4.0 CRDs)
    _p("haproxy-gwapi-bundle-version", r"Unsupported version '[^']*' of gateway api is "
       r"installed", "crd_version_unsupported", "class", ("text",),
       hint="this controller serves only the Gateway API bundle its log names (HAProxy "
            "Kubernetes Ingress: the experimental v0.5.1, TCPRoute only): install that bundle "
            "(it replaces the installed CRDs, which other controllers may need) or use a "
            "controller release that supports the installed one"),
    _p("haproxy-gwapi-crd-missing", r"No (?:gateway api|\w+ crd) is installed, please install",
       "crd_not_installed", "class", ("text",),
       hint="install the Gateway API bundle the log names (HAProxy Kubernetes Ingress: the "
            "experimental v0.5.1, which has TCPRoute)"),
    # cilium-operator checks at start that the Gateway API CRDs it needs are served at the
    # versions it needs, logs this once and runs no Gateway API controller (agalue/LGTM-PoC
    # #69: Cilium 1.20 with v1.4.1 CRDs, TLSRoute not served at v1): no class is Accepted
    _p("cilium-required-crds", r"Required GatewayAPI resources are not found|CRD \\?\"[\w.-]+"
       r"\.gateway\.networking\.k8s\.io\\?\" does not have version", "crd_not_installed",
       "class", ("text",),
       hint="the installed Gateway API CRDs lack a kind or version the controller requires (its "
            "log names the CRD and version): install the Gateway API CRD release that "
            "controller release supports (standard, or experimental when it asks for "
            "TLSRoute/TCPRoute), then restart it: it checks only at start"),
    # client-go's reflector when the list of a kind is answered 404: the CRD is not
    # installed, or does not serve the version the program was built for (k8s.io/client-go
    # tools/cache/reflector.go: v0.37.2 `"Failed to watch" err="failed to list *v1.GRPCRoute:
    # the server could not find the requested resource"`, <= v0.2x `Failed to list
    # *v1alpha2.HTTPRoute: the server could not find the requested resource (get
    # httproutes.gateway.networking.k8s.io)`); a Forbidden list is controller_forbidden
    _p("reflector-kind-not-served", r"[Ff]ailed to (?:list|watch) \*?v\w+\." + _KINDS +
       r"\b[^\n]{0,80}?the server could not find the requested resource", "crd_not_installed",
       "class", ("text",),
       hint="the program lists a Gateway API kind at a version the API server does not serve: "
            "the CRD is not installed, or the installed release lacks that version (kubectl "
            "get crd <plural>.gateway.networking.k8s.io -o jsonpath='{{.spec.versions[*]."
            "name}}'; GRPCRoute v1 needs Gateway API v1.1+, TLSRoute the experimental "
            "bundle): install the CRD release the program supports, then restart it"),
    # ... and when the list is answered but the controller cannot decode what is stored: the
    # objects carry a field in the form of another Gateway API release than the controller's
    # Go types (client-go tools/cache/reflector.go v0.37.2 "failed to list %v: %w" wrapping
    # sigs.k8s.io/json's UnmarshalTypeError "json: cannot unmarshal <value> into Go struct
    # field <Struct>.<path> of type <T>"; Go 1.25+ drops "Go struct field " before an index).
    # GatewayClass status.supportedFeatures went from strings (v1.1) to objects (v1.2,
    # gateway-api apis/v1/gatewayclass_types.go v1.1.0:274 vs v1.2.0:286): istio/istio#53846,
    # istiod 1.24 on v1.1 CRDs (`watch error in cluster <c>: failed to list
    # *v1beta1.GatewayClass: json: cannot unmarshal string into Go struct field
    # GatewayClassStatus.items.status.supportedFeatures of type v1.SupportedFeature`; istio
    # pilot/pkg/util/informermetric/informerutil.go:54); the informer never syncs
    _p("reflector-kind-undecodable", r"[Ff]ailed to (?:list|watch) \*?v\w+\." + _KINDS +
       r"(?:List)?\b[^\n]{0,120}?\bcannot unmarshal \w+ into ", "crd_version_unsupported",
       "class", ("text",),
       hint="the controller cannot read that kind as stored: the installed Gateway API CRDs "
            "(and the objects written under them) are another release than the controller "
            "was built for (GatewayClass status.supportedFeatures: strings up to v1.1, "
            "objects from v1.2): install the CRD release the controller's docs name, or a "
            "controller release for the installed CRDs; an object stored in the old form "
            "stays so until rewritten (clear that status field or recreate the object)"),
    # a controller that checks at start whether a kind's CRD is served and gets a 404 (kgateway
    # v2's setup "failed building controller: error checking if TCPRoute CRD exists: the
    # server could not find the requested resource", kgateway-dev/kgateway#10351: the
    # experimental TCPRoute CRD not installed; later releases make that controller optional)
    _p("kind-crd-check-not-found", r"\b" + _KINDS + r"\b CRD exists: the server could not "
       r"find the requested resource", "crd_not_installed", "class", ("text",),
       hint="the controller requires that kind's CRD at start and the API server does not "
            "serve it: install the Gateway API bundle the controller release needs (TCPRoute, "
            "TLSRoute and UDPRoute are in the experimental channel), or a release where that "
            "kind is optional; then restart the controller"),
    # cert-manager's controller checks at start, with the Gateway API support on, that the
    # group/version its gateway-shim reads is served (discovery of gateway.networking.k8s.io/
    # v1beta1 up to v1.13, v1 from v1.14) and exits: `the Gateway API CRDs do not seem to be
    # present, but ExperimentalGatewayAPISupport is set to true. Please install the gateway-
    # api CRDs. (<404>)` or `... (found 0 APIResources in gateway.networking.k8s.io/v1)`
    # (cert-manager pkg/controller/context.go v1.13.0:388..v1.19; later releases spell the
    # feature gate the same); the ListenerSet check of newer releases says `the Gateway API
    # ListenerSet CRD do not seem to be present, but ListenerSets is set to true`. A 404 for
    # the version it asks for reads the same whether the CRDs are absent or serve only other
    # versions (cert-manager/cert-manager#6649: GKE's managed v1beta1-only CRDs under 1.14):
    # _gw/older_bundle.py tells the two apart by the CRDs the paste lists
    _p("cert-manager-gwapi-absent", r"the Gateway API (?:ListenerSet )?CRDs? do not seem to be "
       r"present, but \w+ is set to true", "crd_not_installed", "class", ("text",),
       hint="cert-manager found no Gateway API group/version it reads (v1 from cert-manager "
            "1.14, v1beta1 before) and exits: install the Gateway API CRDs (standard-install."
            "yaml of a release that serves that version, kubectl apply --server-side), or "
            "turn the Gateway API support off (the ExperimentalGatewayAPISupport feature gate; "
            "--enable-gateway-api from cert-manager 1.15); restart cert-manager after"),
    # Cilium's Gateway API translator found no listener it programs in the Gateway's model
    # (operator/pkg/gateway-api translation: `model source can't be empty` when the model has
    # no listener; only HTTP, HTTPS and TLS listeners were modelled before Cilium added
    # TCPRoute/UDPRoute, cilium/cilium#21929): a Gateway with only TCP/UDP listeners is never
    # programmed (cilium/cilium#29924)
    _p("cilium-model-empty", r"model source can't be empty", "listener_invalid", "listener",
       ("text",) + _GW_SCOPES,
       hint="Cilium translated this Gateway to no listener it programs: its listeners' "
            "protocols are ones this Cilium release does not serve (TCP/UDP before Cilium's "
            "TCPRoute/UDPRoute support): use an HTTP, HTTPS or TLS listener (TLS passthrough "
            "with a TLSRoute for TCP over TLS), or a Cilium release that serves TCP listeners"),
    # a controller that registers an optional kind in its client scheme only when the CRD is
    # there, then lists it anyway: apimachinery runtime/scheme.go `no kind is registered for
    # the type %v in scheme %q` (cilium-operator's TLSRouteList with only the standard
    # bundle installed: cilium/cilium#38420, fixed by #38874 to skip the absent kind; #47819)
    _p("scheme-kind-not-registered", r"no kind is registered for the type v\w+\." + _KINDS +
       r"(?:List)?\b",
       "crd_not_installed", "class", ("text",),
       hint="the controller found no CRD for that kind at start (so it did not register it) "
            "but still lists it, and that reconcile fails: install that kind's CRD (TLSRoute, "
            "TCPRoute and UDPRoute come with the experimental bundle before Gateway API v1.5/"
            "v1.6) and restart the controller, or upgrade to a release that skips the "
            "absent kind"),
    # an informer of a Gateway API / Inference Extension kind that never synced: its list
    # keeps failing (the CRD does not serve that version, or the identity may not list it)
    # until the program gives up: external-dns source/gateway.go `failed to sync %v: %v`
    # (`*v1.GRPCRoute`, kubernetes-sigs/external-dns#4567: GRPCRoute v1 needs Gateway API
    # v1.1+ CRDs), controller-runtime's "timed out waiting for cache to be synced for Kind"
    # (the kind may run into the next word: a JSON log's msg joined without a blank,
    # `*v1alpha2.TLSRouteproblem running manager`, aws-application-networking-k8s#658; and
    # controller-runtime v0.15+ prints `kind source: *v1.HTTPRoute`); Traefik's Gateway
    # provider gives up the same way and retries the whole provider (traefik/traefik
    # pkg/provider/kubernetes/gateway/client.go:251@v3.7.9, v2.4.0+: `timed out waiting for
    # controller caches to sync %s`, the informer's type, `*v1alpha2.TCPRoute`)
    _p("informer-never-synced", r"(?:failed to sync|timed out waiting for cache to be synced "
       r"for (?:Kind|kind source:)|timed out waiting for controller caches to sync) "
       r"\*?v\w+\." + _KINDS + r"(?-i:(?![A-Z0-9]))",
       "crd_not_installed", "class", ("text",),
       hint="the program's informer for that kind never synced: most often the CRD does not "
            "serve that version (kubectl get crd <plural>.gateway.networking.k8s.io -o "
            "jsonpath='{{.spec.versions[*].name}}'; GRPCRoute v1 needs Gateway API v1.1+), or "
            "its ServiceAccount may not list/watch it (kubectl auth can-i list <plural> "
            "--as=system:serviceaccount:NS:SA): install the CRD release it needs or grant "
            "the verbs"),
    # istiod accepts some listener protocols only with its alpha Gateway API switch on (TLS
    # until the release after istio/istio#59693 made it default; quoted in istio/istio#59387)
    _p("istio-alpha-protocol", r"protocol \S+ is supported, but only when "
       r"PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured", "listener_invalid", "listener",
       ("listener", "gateway", "text"),
       hint="istiod serves this listener protocol only with PILOT_ENABLE_ALPHA_GATEWAY_API=true "
            "(pilot env, e.g. --set values.pilot.env.PILOT_ENABLE_ALPHA_GATEWAY_API=true), or "
            "on an Istio release that enables it by default"),
    # Application Gateway for Containers' ALB controller (1.9+) skips a Gateway that names no
    # AGC resource (annotation alb.networking.azure.io/alb-id, or alb-name/alb-namespace for a
    # managed one): nothing programs it (Azure-Samples/holiday-peak-hub#861)
    _p("agc-gateway-skipped", r"Gateway is not referencing an? Application Gateway for "
       r"Containers resource", "no_controller", "gateway", ("text", "gateway"),
       hint="the ALB controller skips this Gateway: annotate it with "
            "alb.networking.azure.io/alb-id (a BYO AGC resource's ID) or alb-name and "
            "alb-namespace (an ApplicationLoadBalancer it manages)"),
    # the AWS Gateway API controller's log for a Gateway whose class does not exist
    # (aws-application-networking-k8s controllers/gateway_controller.go; #539), and the
    # apiserver's NotFound for the class
    _p("gatewayclass-not-found-log", r"GatewayClass is not found|gatewayclasses?(?:\.gateway"
       r"\.networking\.k8s\.io)? \\?\"[^\"\\]+\\?\" not found", "gateway_class_not_found",
       "class", ("text",),
       hint="the Gateway names a GatewayClass that does not exist (yet): create the class (or "
            "fix spec.gatewayClassName); a controller that does not watch classes may need "
            "the Gateway re-applied after the class appears"),
    _p("apisix-route-not-found", r"404 Route Not Found", "request_not_routed", "attach",
       ("text",), hint="the gateway has no route matching the request (host, path, method, "
       "or vars such as server_port): compare the request with the routes it translated "
       "(their hosts, uris and vars); with apisix-ingress-controller 2.1+, a route matches "
       "only the Gateway listener ports, so when the data plane listens on other ports set "
       "listener_port_match_mode to off or make the listener ports match"),
    _p("traefik-no-entrypoint-log", _TRAEFIK_NO_EP, "listener_invalid", "listener", ("text",),
       hint=_TRAEFIK_EP_HINT),
    _p("epp-saturated", r"system saturated, sheddable request dropped", "pool_saturated",
       "pool", ("text",)),
    _p("epp-bad-body", r"model not found in request body|prompt not found in request",
       "request_body_invalid", "hygiene", ("text",)),
)

# kubectl's "resource type not installed" errors (the kit's crd module knows every wording)
# for this skill's kinds: which CRD bundle is missing, by kind and API version.
_GATEWAY_API_KINDS = {"gatewayclass", "gateway", "httproute", "grpcroute", "referencegrant",
                      "tlsroute", "tcproute", "udproute", "backendtlspolicy", "listenerset",
                      "xlistenerset", "xbackendtrafficpolicy", "xmesh"}
_GW_BUNDLE = ("the Gateway API CRDs are not installed: apply the bundle of the gateway-api "
              "release your implementation supports (standard-install.yaml; "
              "experimental-install.yaml for experimental kinds), kubectl apply --server-side")
_GAIE_HINTS = {
    ("inferencepool", "inference.networking.k8s.io"):
        "the v1 InferencePool CRD (inference.networking.k8s.io) is not installed: apply the "
        "Inference Extension CRDs of GAIE v1.0.0 or later (the release's manifests.yaml); a "
        "cluster with only the alpha CRD serves inference.networking.x-k8s.io/v1alpha2 pools",
    ("inferencepool", "inference.networking.x-k8s.io"):
        "the alpha InferencePool CRD (inference.networking.x-k8s.io/v1alpha2) is not installed: "
        "a controller that watches that group needs it before it starts (GAIE v0.2-v1.4.x "
        "manifests carry it; GAIE v1.5.0 removed it); new pools are written as "
        "inference.networking.k8s.io/v1 (targetPorts, endpointPickerRef) with backendRefs[]."
        "group to match",
    ("inferencemodel", ""):
        "InferenceModel no longer exists: GAIE v1.0.0 replaced it with InferenceObjective "
        "(inference.networking.x-k8s.io/v1alpha2: spec.priority and poolRef, no modelName "
        "or criticality); GAIE v1.6.0 moved InferenceObjective to llm-d",
    ("inferenceobjective", ""):
        "the InferenceObjective CRD is not installed: GAIE v1.0.0-v1.5.x manifests carry it; "
        "from GAIE v1.6.0 it ships with llm-d, not with the Inference Extension",
}
_GAIE_KINDS = {"inferencepool", "inferencemodel", "inferenceobjective", "inferencepoolimport",
               "inferencemodelrewrite"}
_VERSION = re.compile(r'in (?:version|group) "([^"/]+)|in versions \[([^/\]]+)|'
                      r'resource type "[^"]+" in group "([^"]+)"|'
                      r"\b(inference\.networking(?:\.x-k8s)?\.(?:io|k8s\.io))\b")


def _singular(name: str) -> str:
    name = name.lower().split(".", 1)[0]
    for suffix, repl in (("policies", "policy"), ("classes", "class"), ("s", "")):
        if name.endswith(suffix) and not name.endswith("ss"):
            return name[: -len(suffix)] + repl
    return name


def absent_crd(kind_or_resource: str, line: str) -> Verdict | None:
    """A kubectl 'resource type not installed' error for this skill's kinds, as a verdict."""
    if not kind_or_resource:
        return _discovery_crd(line)
    kind = _singular(kind_or_resource)
    if kind in _GATEWAY_API_KINDS:
        return Verdict("crd_not_installed", "class", "crd-absent:gateway-api",
                       {"kind": kind_or_resource}, _GW_BUNDLE)
    if kind not in _GAIE_KINDS:
        return _implementation_crd(kind_or_resource, line)
    hit = _VERSION.search(line)
    group = next((g for g in hit.groups() if g), "") if hit else ""
    group = group if group.startswith("inference.") else ""
    if not group and "." in kind_or_resource:
        group = kind_or_resource.split(".", 1)[1]
    hint = _GAIE_HINTS.get((kind, group)) or _GAIE_HINTS.get((kind, "")) or (
        "the Inference Extension CRDs are not installed: apply the CRDs of the GAIE release "
        "your gateway implementation supports")
    return Verdict("crd_not_installed", "class", "crd-absent:inference-extension",
                   {"kind": kind_or_resource}, hint)


# API groups of gateway implementations' own CRDs (policies, parameters, backends): a kind of
# these groups the server does not serve is this skill's fault, a kind of another area's group
# (kueue, DRA) is not read here.
_IMPL_GROUPS = ("gateway.envoyproxy.io", "aigateway.envoyproxy.io", "gateway.k8s.aws",
                "application-networking.k8s.aws", "networking.gke.io", "gateway.kgateway.dev",
                "gateway.nginx.org", "cilium.io", "traefik.io", "projectcontour.io",
                "configuration.konghq.com", "gateway-operator.konghq.com", "networking.istio.io",
                "agentgateway.dev", "inference.networking.k8s.io",
                "inference.networking.x-k8s.io", "llm-d.ai")
_GROUP_IN_LINE = re.compile(r'in version "([\w.\-]+)/[\w.]+"|resource type "[^"]+" in group '
                            r'"([\w.\-]+)"')


# client-go discovery names the group/version it could not list, not a kind: "unable to
# retrieve the complete list of server APIs: gateway.networking.k8s.io/v1beta1: the server
# could not find the requested resource" (k8s.io/client-go discovery ErrGroupDiscoveryFailed;
# a Cilium operator started before the Gateway API CRDs, SovereignCloudStack/
# k8s-cluster-api-provider#514).
_DISCOVERY_GV = re.compile(r"([a-z0-9][a-z0-9.-]*\.[a-z]+)/(v\w+): the server could not find "
                           r"the requested resource", re.IGNORECASE)


def _discovery_crd(line: str) -> Verdict | None:
    hit = _DISCOVERY_GV.search(line or "")
    if not hit:
        return None
    group = hit.group(1).lower()
    if group in ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io"):
        return Verdict("crd_not_installed", "class", "crd-absent:gateway-api",
                       {"kind": f"{group}/{hit.group(2)}"}, _GW_BUNDLE)
    if group.startswith("inference.networking."):
        return Verdict("crd_not_installed", "class", "crd-absent:inference-extension",
                       {"kind": f"{group}/{hit.group(2)}"},
                       "the Inference Extension CRDs are not installed: apply the CRDs of the "
                       "GAIE release your gateway implementation supports")
    return _implementation_crd(f"x.{group}", "")


def _implementation_crd(kind: str, line: str) -> Verdict | None:
    hit = _GROUP_IN_LINE.search(line or "")
    group = next((g for g in hit.groups() if g), "") if hit else ""
    if not group and "." in kind:
        group = kind.split(".", 1)[1]
    if not any(group == g or group.endswith("." + g) for g in _IMPL_GROUPS):
        return None
    return Verdict("crd_not_installed", "class", "crd-absent:implementation", {"kind": kind},
                   f"the {group} CRDs the gateway controller watches are not installed at "
                   "the version it asks for: apply the CRDs of the running controller release "
                   "(controllers often ship them apart from their Helm chart), then restart it")


# Reason -> cause when no message pattern matched. (scope, condition type) -> {reason: ...}
_ROUTE_ACCEPTED = {
    "NotAllowedByListeners": ("not_allowed_by_listener", "attach"),
    "NoMatchingListenerHostname": ("hostname_mismatch", "attach"),
    "NoMatchingParent": ("parent_not_found", "attach"),
    "NoReadyListeners": ("listener_invalid", "listener"),      # Envoy Gateway <= v1.8
    "InvalidListener": ("listener_invalid", "listener"),       # NGINX Gateway Fabric
    "InvalidGateway": ("gateway_not_ready", "gateway"),        # NGINX Gateway Fabric
    "UnsupportedValue": ("route_not_accepted", "attach"),
    "IncompatibleFilters": ("route_not_accepted", "attach"),
    "HostnameConflict": ("route_hostname_conflict", "attach"),  # NGINX Gateway Fabric
    "UnsupportedField": ("route_not_accepted", "attach"),
    "Pending": ("no_controller", "attach"),
}
_ROUTE_RESOLVED = {
    "RefNotPermitted": ("ref_not_permitted", "backend"),
    "BackendNotFound": ("backend_not_found", "backend"),
    "InvalidKind": ("unsupported_backend_kind", "backend"),
    "UnsupportedProtocol": ("unsupported_backend_kind", "backend"),
    "PortNotFound": ("port_mismatch", "backend"),               # Envoy Gateway
    "PortNotSpecified": ("port_mismatch", "backend"),           # Envoy Gateway
    "InvalidInferencePool": ("backend_unresolved", "backend"),  # NGINX Gateway Fabric
    "UnsupportedValue": ("unsupported_backend_kind", "backend"),  # EG: ExternalName, Backend off
}
_GATEWAY = {
    "AddressNotAssigned": ("gateway_no_address", "gateway"),
    "AddressNotUsable": ("gateway_no_address", "gateway"),
    "UnsupportedAddress": ("gateway_no_address", "gateway"),
    "ListenersNotValid": ("listener_invalid", "listener"),
    "ListenersNotReady": ("listener_invalid", "listener"),
}
_LISTENER = {
    "InvalidCertificateRef": ("listener_certificate_invalid", "listener"),
    "RefNotPermitted": ("ref_not_permitted", "listener"),
    "HostnameConflict": ("listener_conflict", "listener"),
    "ProtocolConflict": ("listener_conflict", "listener"),
    "PortUnavailable": ("listener_invalid", "listener"),   # gateway-api ListenerReason
    # gateway-api apis/v1/gateway_types.go ListenerReasonUnsupportedProtocol (Accepted=False)
    # and ListenerReasonInvalidRouteKinds (ResolvedRefs=False)
    "UnsupportedProtocol": ("listener_invalid", "listener"),
    "InvalidRouteKinds": ("listener_invalid", "listener"),
}
_CLASS = {
    "UnsupportedVersion": ("crd_version_unsupported", "class"),
    "Pending": ("no_controller", "class"),
    "Waiting": ("no_controller", "class"),
}
_POOL = {
    "EndpointPickerRefMissing": ("endpoint_picker_missing", "pool"),
    "InvalidExtensionRef": ("endpoint_picker_missing", "pool"),
    "NotSupportedByParent": ("inference_pool_unsupported", "pool"),
    "NotSupportedByGateway": ("inference_pool_unsupported", "pool"),   # GAIE v0.5 wording
    "HTTPRouteNotAccepted": ("pool_not_accepted", "pool"),
    "Pending": ("no_controller", "pool"),
}
# A policy's ancestor status (GEP-713 PolicyAncestorStatus: status.ancestors[].conditions):
# Accepted=False with gateway-api apis/v1alpha2/policy_types.go PolicyConditionReason
# (v1.0.0..v1.6.3; kgateway api/v1alpha1 reuses TargetNotFound). Envoy Gateway
# (BackendTrafficPolicy, ClientTrafficPolicy, SecurityPolicy, ...), kgateway and NGF policies
# write them.
_POLICY = {
    "TargetNotFound": ("policy_target_not_found", "attach"),
    "Conflicted": ("policy_conflicted", "attach"),
    "Invalid": ("policy_invalid", "attach"),
    # NGINX Gateway Fabric (internal/mode/static/state/conditions/conditions.go
    # PolicyReasonTargetConflict, v1.3+): another Route shares the target's
    # hostname:port/path, so the policy cannot apply to one of them alone
    "TargetConflict": ("policy_conflicted", "attach"),
}
# Reasons only a Route's parent status carries (gateway-api apis/v1/shared_types.go v1.6.3
# RouteConditionReason, plus the implementation reasons above); an InferencePool's parent
# status uses InferencePoolReason (gateway-api-inference-extension api/v1/
# inferencepool_types.go: Accepted, NotSupportedByParent, HTTPRouteNotAccepted,
# EndpointPickerRefMissing, ResolvedRefs, InvalidExtensionRef, ...). A pasted `status:`
# block without controllerName is a Route's when one of its conditions has such a reason.
ROUTE_ONLY_REASONS = frozenset(
    (set(_ROUTE_ACCEPTED) | set(_ROUTE_RESOLVED)) - set(_POOL) - {"Accepted", "ResolvedRefs"})
# Envoy Gateway v1.6.0+ route condition type BackendsAvailable (outside the Gateway API):
# the route stays Accepted and resolved, traffic to the backend gets a 503.
_ROUTE_BACKENDS = {"EndpointsNotFound": ("backend_no_endpoints", "backend")}
_FALLBACK = {"route": ("route_not_accepted", "attach"), "gateway": ("gateway_not_ready",
             "gateway"), "listener": ("listener_invalid", "listener"),
             "class": ("gateway_class_not_accepted", "class"),
             "pool": ("pool_not_accepted", "pool"), "policy": ("policy_invalid", "attach")}
_EVENT_LAYER = {"HTTPRoute": "route", "GRPCRoute": "route", "Gateway": "gateway",
                "GatewayClass": "class", "InferencePool": "pool"}

# Condition types whose True means trouble; every other type is trouble when False.
NEGATIVE_TYPES = {"Conflicted", "PartiallyInvalid", "Detached", "OverlappingTLSConfig"}


def _catalogued_fault(cond: dict) -> bool:
    """A True condition whose message is a catalogued fault wording of that type and status:
    some controllers keep a positive condition True while the message says part of the
    config is not applied. Istio's route parent ResolvedWaypoints (pilot/pkg/config/kube/
    gateway/conditions.go:174-178@1.27.0, ambient) swaps in "istio.io/use-waypoint label
    missing ...; in ambient mode, route will not be respected"; NGINX Gateway Fabric's
    Accepted=True InvalidParameters "... but ParametersRef is ignored due to an error: %s"
    (internal/controller/state/conditions/conditions.go:964,1198@v2.6.0) and UnsupportedField
    "The following unsupported parameters were ignored: %s" (:456)."""
    message = " ".join(str(cond.get("message") or "").split()).rstrip(" .;")
    return bool(message) and any(
        row.regex.fullmatch(message) for row in catalogue.rows()
        if row.status == "True" and row.fault and row.ctype == cond.get("type")
        and row.regex is not None and row.anchor in message.lower())


def is_problem(cond: dict) -> bool:
    ctype, status = cond.get("type"), str(cond.get("status", ""))
    if ctype in NEGATIVE_TYPES:
        return status == "True"
    if status == "True" and _catalogued_fault(cond):
        return True
    if status == "False":
        return True
    if _waiting(cond):
        return True
    # Unknown + Pending is the CRDs' default status: no controller has reconciled the object.
    # A `kubectl get` table shows the status alone (ACCEPTED / PROGRAMMED Unknown).
    return status == "Unknown" and cond.get("reason") in ("Pending", "Waiting", "Unknown",
                                                          "", None)


def _waiting(cond: dict) -> bool:
    """The Gateway API CRDs' default condition (config/crd v0.6.0..v1.6.3: Accepted Unknown
    Pending "Waiting for controller"), also when a paste kept only its message."""
    return " ".join(str(cond.get("message") or "").split()) == "Waiting for controller"


# Reasons whose meaning the Gateway API fixes whatever the message says: RefNotPermitted is a
# reference into another namespace that no ReferenceGrant allows, on a route's backendRef or
# a listener's certificateRef (gateway-api apis/v1 shared_types.go / gateway_types.go v1.6.3
# RouteReasonRefNotPermitted, ListenerReasonRefNotPermitted). Cilium's listener message
# "CertificateRef is not permitted" names the certificate, not a missing Secret
# (dfrappart.github.io, shared Gateway API post).
_REASON_DECIDES = frozenset({"RefNotPermitted"})
_CERTIFICATE_WORDS = re.compile(r"certificate|listener", re.IGNORECASE)


def reason_verdict(reason: str, scope: str, message: str = "") -> Verdict | None:
    """The cause of a False condition whose reason decides whatever its message says (None for
    every other reason); a listener's names the ReferenceGrant its TLS reference needs."""
    if reason not in _REASON_DECIDES:
        return None
    misused = _reason_misused(reason, scope, message)
    if misused is not None:
        return misused
    verdict = _by_reason(scope, {"type": "ResolvedRefs", "status": "False", "reason": reason})
    if verdict is None or scope != "listener":
        return verdict
    return Verdict(verdict.cause, verdict.layer, verdict.pattern, hint=_CERT_GRANT_HINT)


# A route's parentRef refused by the Gateway's allowedRoutes, in words (vCluster's tenant
# route sync: "HTTPRoute in namespace %q is not permitted by Gateway %q in namespace %q
# allowedRoutes" under reason RefNotPermitted, loft-sh/vcluster-docs vcluster/troubleshoot/
# gateway-api-sync.mdx@e91e4f4). No ReferenceGrant governs a parentRef: a Gateway accepts a
# route from another namespace by its listeners' allowedRoutes (gateway-api v1.6.3
# apis/v1/shared_types.go:63-67, ParentReference.Namespace), and a route no listener's
# allowedRoutes permits is NotAllowedByListeners (shared_types.go:370-373), whatever reason
# an implementation writes.
_ALLOWED_ROUTES_REFUSAL = re.compile(
    r"\bnot (?:permitted|allowed)\b[^.;]*?\ballowed_?routes\b|"
    r"\ballowed_?routes\b[^.;]*?\b(?:does not|doesn't|do not) (?:permit|allow)\b",
    re.IGNORECASE)


def _reason_misused(reason: str, scope: str, message: str) -> Verdict | None:
    """A deciding reason over a message (or a line holding it) that the catalogue holds, as a
    long wording, under that very reason with another cause: the controller borrowed the
    reason. kgateway writes a route delegation loop as RefNotPermitted (catalogue kgateway.yaml
    rt-delegation-cycle; internal/kgateway/query/utils.go ProcessBackendError@06ff8b9), where
    no ReferenceGrant would help."""
    message = " ".join(str(message or "").split()).rstrip(" .;")
    if _ALLOWED_ROUTES_REFUSAL.search(message):
        return Verdict("not_allowed_by_listener", "attach", "allowed-routes-refusal")
    decided = _by_reason(scope, {"type": "ResolvedRefs", "status": "False", "reason": reason})
    for row in catalogue.rows() if message else ():
        if row.reason == reason and row.fault and row.regex is not None and decided and \
                row.cause != decided.cause and row.literal >= catalogue.LONG_WORDING and \
                row.anchor in message.lower() and row.regex.search(message):
            verdict = match_message(scope, message)
            return verdict if verdict is not None and verdict.cause == row.cause else \
                Verdict(row.cause, row.layer, f"catalogue:{row.component}:{row.rid}")
    return None


def scope_of_text(text: str) -> str:
    """Whose condition a text that does not say it is: a route's when it names a route's
    backendRef or parent status (ROUTE_PARENT_TEXT), a listener's when it names a certificate
    or a listener, else a route's."""
    if ROUTE_PARENT_TEXT.search(text or ""):
        return "route"
    return "listener" if _CERTIFICATE_WORDS.search(text or "") else "route"


# A text that is a route parent's condition: it names the route's backendRef (Envoy Gateway
# prefixes every backendRef failure `Failed to process route rule %d backendRef %d: `,
# envoyproxy/gateway v1.9.0 internal/gatewayapi/route.go:335) or shows a route's parent
# status (`parents:` / `Parents:` over the conditions: gateway-api apis/v1 shared_types.go
# RouteStatus.Parents). A Secret or certificate wording in it is about that route's backends
# (the backend's TLS: EG's `failed to locate TLS secret for client auth`, envoyproxy/gateway
# PR #5934), never a listener's: a listener's certificate condition lives in the Gateway's
# status.listeners (gateway-api apis/v1 gateway_types.go ListenerStatus).
ROUTE_PARENT_TEXT = re.compile(r"\broute rule \d+ backendRef \d+|\bbackendRefs?\b|"
                               r"(?:^|\s)-?\s*parents\s*:\s*-?\s*(?:conditions|controllerName|"
                               r"parentRef)\b", re.IGNORECASE)


# A listener's RefNotPermitted: its TLS configuration references an object in another
# namespace that no ReferenceGrant allows (gateway-api apis/v1/gateway_types.go v1.6.3
# ListenerReasonRefNotPermitted; GatewayTLSConfig.CertificateRefs: "a ReferenceGrant in the
# target namespace that allows the certificate to be attached").
_CERT_GRANT_HINT = ("the listener's TLS configuration names an object in another namespace "
                    "(a certificateRefs Secret): add a ReferenceGrant in that namespace from "
                    "kind Gateway in the Gateway's namespace to that kind (make_route.py grant "
                    "-n <secret namespace> --from-namespace <gateway namespace> --from-kind "
                    "Gateway --to-kind Secret prints it), or move the Secret to the Gateway's "
                    "namespace")


def classify(scope: str, cond: dict) -> Verdict | None:
    """The cause a problem condition (or Warning event, as {reason, message}) states."""
    message = " ".join(str(cond.get("message") or "").split())
    if scope.startswith("event:") or is_problem(cond):
        if _healthy(scope, cond):
            return None
        reason = str(cond.get("reason") or "")
        misused = _reason_misused(reason, scope, message) if reason in _REASON_DECIDES \
            else None
        if misused is not None:
            return misused
        if reason in _REASON_DECIDES and scope == "listener":
            return reason_verdict(reason, scope)
        if reason in _REASON_DECIDES and _by_reason(scope, cond):
            return _by_reason(scope, cond)
        verdict = match_message(scope, message) or _catalogued(scope, message)
        if verdict is not None and verdict.layer == "backend" and scope == "route" and \
                _ROUTE_ACCEPTED.get(str(cond.get("reason") or ""), ("", ""))[1] == "attach" \
                and _ROUTE_ACCEPTED[str(cond.get("reason"))][0] != "route_not_accepted":
            # a parent's reason (NoMatchingParent) with a message that reads like a backend
            # one (Istio `port 8443 not found`: no listener on that port): the reason decides;
            # a catch-all reason (UnsupportedValue: AWS LBC's "Port is required") does not
            verdict = None
        return verdict or _by_reason(scope, cond)
    if _cut_short(cond):
        # a describe pasted only up to the Message or Reason (no Status/Type): the wording
        # alone, when it is one of a controller's problem messages (another version's or
        # implementation's too: a YAML condition cut from `type:` keeps lastTransitionTime and
        # message only, kubectl printing its keys sorted), else a reason only a failing
        # condition carries. The whole message being one catalogued wording of another
        # meaning decides, as for a message pasted alone (Istio's NoMatchingParent
        # `port 8443 not found` reads like a backend port otherwise)
        verdict = match_message(scope, message)
        exact = catalogue.exact_wording(message, _catalogue_scope(scope))
        if exact is not None and exact.fault and (verdict is None or
                                                  verdict.cause != exact.cause):
            return Verdict(exact.cause, exact.layer, f"catalogue:{exact.component}:{exact.rid}")
        return verdict or _catalogued(scope, message) or _cut_reason_verdict(scope, cond)
    return None


# reasons a controller writes on a condition that is not yet decided, not on a failure
_UNDECIDED_REASONS = ("", "Pending", "Waiting", "Unknown")


def _cut_reason_verdict(scope: str, cond: dict) -> Verdict | None:
    """The reason of a condition cut before its Status and Type, read as a failure when it
    is in this scope's table of failure reasons (the tables hold no healthy reason)."""
    reason = str(cond.get("reason") or "")
    if reason in _UNDECIDED_REASONS:
        return None
    ctype = ("ResolvedRefs" if scope == "route" and reason in _ROUTE_RESOLVED and
             reason not in _ROUTE_ACCEPTED else "Accepted")
    table = {"route": {**_ROUTE_ACCEPTED, **_ROUTE_RESOLVED}, "gateway": _GATEWAY,
             "listener": _LISTENER, "class": _CLASS, "pool": _POOL}.get(scope, {})
    if reason not in table:
        return None
    return _by_reason(scope, {"type": ctype, "status": "False", "reason": reason})


def _catalogue_scope(scope: str) -> str:
    return _EVENT_LAYER.get(scope.split(":", 1)[1], "route") if scope.startswith("event:") \
        else scope


def _healthy(scope: str, cond: dict) -> bool:
    """The catalogue knows this (type, status, reason) as a normal state (Exported=False
    NotRequested: 'a deliberate non-action rather than an error')."""
    row = catalogue.by_reason(_catalogue_scope(scope), str(cond.get("type") or ""),
                              str(cond.get("status", "")), str(cond.get("reason") or ""))
    return row is not None and not row.fault and not row.wording


def _catalogued(scope: str, message: str) -> Verdict | None:
    """Another version's or implementation's wording, from the catalogue."""
    row = catalogue.match_wording(message, (_catalogue_scope(scope),))
    if row is None or not row.fault:
        return None
    return Verdict(row.cause, row.layer, f"catalogue:{row.component}:{row.rid}")


def _cut_short(cond: dict) -> bool:
    return "status" not in cond and "type" not in cond and bool(cond.get("message"))


# A condition message quoted in prose or in a status fragment the kit could not read: the
# controller's words, so its status wordings apply (not every sentence that says "no address").
_QUOTED_STATUS = re.compile(r"\bmessage\b|ResolvedRefs|Accepted|Programmed|\breason\b|"
                            r"failed to (assign|process)|Failed to process|"
                            r"^\s*(Warning|Normal)\s+\w+\s", re.IGNORECASE)
# `message: ...` / `Message:  ...` (YAML, describe): the value alone, for anchored wordings
_MESSAGE_KEY = re.compile(r"^\s*-?\s*message\s*:\s*[\"']?(?P<value>.*?)[\"']?\s*$",
                          re.IGNORECASE)


# A condition summarised on one line in prose or a terminal (`Accepted: False
# (NotAllowedByListeners)`, `ResolvedRefs=False reason=BackendNotFound`): the gateway-api
# condition types and reasons (apis/v1/shared_types.go, gateway_types.go v1.6.3), quoted so in
# e.g. vdupain/gitops-k8s#53. Only a reason one of the tables knows gives a verdict.
_CONDITION_SUMMARY = re.compile(
    r"\b(?P<type>Accepted|ResolvedRefs|Programmed)\b\s*[:=]\s*[\"']?False[\"']?\s*"
    r"(?:\(\s*(?P<r1>[A-Z][A-Za-z]+)\s*\)|[,;]?\s*reason\s*[:=]\s*[\"']?(?P<r2>[A-Z][A-Za-z]+))")


def match_condition_summary(text: str) -> Verdict | None:
    hit = _CONDITION_SUMMARY.search(text or "")
    if not hit:
        return None
    reason, ctype = hit.group("r1") or hit.group("r2"), hit.group("type")
    scopes = ("route", "gateway", "listener", "class", "pool", "policy") \
        if ctype != "Programmed" else ("gateway", "listener")
    if reason in ROUTE_ONLY_REASONS:
        scopes = ("route",)
    for scope in scopes:
        table = {"route": {"ResolvedRefs": _ROUTE_RESOLVED}.get(ctype, _ROUTE_ACCEPTED),
                 "gateway": _GATEWAY, "listener": _LISTENER, "class": _CLASS,
                 "pool": _POOL, "policy": _POLICY}[scope]
        if reason in table:
            cause, layer = table[reason]
            return Verdict(cause, layer, f"summary:{reason}")
    return None


# A condition a person names in a sentence without its reason ("The Gateway was
# Accepted=False because the BYO annotations referenced an ALB CRD that did not exist",
# Azure-Samples/holiday-peak-hub#913; "the https-glance listener stayed `Programmed=False`",
# rwlove/home-ops#11142): the controller's verdict, quoted; only its subject's class of cause
# is known. The subject is the last object word before the condition.
_SUBJECT_WORD = re.compile(r"\b(?P<kind>GatewayClass|(?:HTTP|GRPC|TLS|TCP|UDP)Route|"
                           r"InferencePool|Gateway|listener|route|pool)s?\b", re.IGNORECASE)
_FALSE_CONDITION = re.compile(r"\b(?P<type>Accepted|Programmed|ResolvedRefs)`?\s*[:=]\s*"
                              r"`?[\"']?False\b")
_SUBJECT_CAUSES = {("class", "Accepted"): ("gateway_class_not_accepted", "class"),
                   ("gateway", "Accepted"): ("gateway_not_ready", "gateway"),
                   ("gateway", "Programmed"): ("gateway_not_ready", "gateway"),
                   ("listener", "Accepted"): ("listener_invalid", "listener"),
                   ("listener", "Programmed"): ("listener_invalid", "listener"),
                   ("listener", "ResolvedRefs"): ("listener_invalid", "listener"),
                   ("route", "Accepted"): ("route_not_accepted", "attach"),
                   ("route", "ResolvedRefs"): ("backend_unresolved", "backend"),
                   ("pool", "Accepted"): ("pool_not_accepted", "pool")}
GENERIC_CONDITION = "subject-condition:"


def match_subject_condition(text: str) -> Verdict | None:
    """`<object> ... <Type>=False` with no reason: the subject's generic cause."""
    cond = _FALSE_CONDITION.search(text or "")
    if not cond:
        return None
    words = list(_SUBJECT_WORD.finditer(text[:cond.start()]))
    if not words or cond.start() - words[-1].end() > 80:
        return None
    kind = words[-1].group("kind").lower()
    scope = ("class" if kind == "gatewayclass" else "pool" if kind in ("inferencepool", "pool")
             else "route" if kind.endswith("route") else kind)
    hit = _SUBJECT_CAUSES.get((scope, cond.group("type")))
    if hit is None:
        return None
    return Verdict(hit[0], hit[1], f"{GENERIC_CONDITION}{scope}:{cond.group('type')}")


def match_quoted(text: str, reason_tokens: bool = True) -> Verdict | None:
    """A controller's status message pasted as text (`message: "..."`, a condition copied
    from the console, an issue title quoting it, a `Reason: message` line): matched with
    the status wordings; a line that names a condition reason and no known wording gets
    that reason's cause. Unquoted prose only counts in its quoted parts ("...", `...`)."""
    quoted = [q for q in _quoted_parts(text) if len(q) >= _MIN_QUOTE]
    if _QUOTED_STATUS.search(text) or _REASON_TOKEN.search(text):
        keyed = _MESSAGE_KEY.match(text)
        # the line as a status line, then its quoted parts (prose that quotes a message
        # beside a reason: "The gateway is `Waiting for controller`, `Reason: Pending`")
        candidates = ([keyed.group("value")] if keyed else []) + [text] + quoted
    else:
        candidates = quoted
    for candidate in candidates:
        # a route parent's condition is read with the route's wordings only
        scopes = ("route",) if ROUTE_PARENT_TEXT.search(candidate) else \
            ("route", "gateway", "listener", "pool", "class")
        for scope in scopes:
            verdict = match_message(scope, candidate)
            if verdict is not None:
                return verdict
    return match_reason_token(text) if reason_tokens else None


# A quoted part long enough to be a controller's sentence, not a word the user stresses.
_MIN_QUOTE = 20
_QUOTED_PART = re.compile(r'"([^"\n]+)"|`([^`\n]+)`|\u201c([^\u201d\n]+)\u201d')


# a message that quotes names itself (`says "Spec.VirtualHost.TLS.CertificateRefs "tls-cert"
# namespace must match ..."`): its first to its last double quote, read before the pieces
_OUTER_QUOTE = re.compile(r'"([^"\n]*"[^"\n]*"[^\n]*)"')


def _quoted_parts(text: str) -> list[str]:
    outer = [hit.group(1) for hit in _OUTER_QUOTE.finditer(text or "")]
    return outer + [next(g for g in hit.groups() if g)
                    for hit in _QUOTED_PART.finditer(text or "")]


def _reason_tables() -> list[tuple[str, dict]]:
    return [("route", _ROUTE_ACCEPTED), ("route", _ROUTE_RESOLVED), ("route", _ROUTE_BACKENDS),
            ("gateway", _GATEWAY), ("listener", _LISTENER), ("class", _CLASS),
            ("pool", _POOL), ("policy", _POLICY)]


# Condition reasons distinctive enough to mark a line as status wording wherever they
# appear (CamelCase with two or more words: `InvalidKind`, `AddressNotAssigned`), from the
# reason tables above; one-word reasons (Pending, Accepted) are ordinary English.
_REASON_NAMES = sorted({r for _, table in _reason_tables() for r in table
                        if len(re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", r)) >= 2},
                       key=len, reverse=True)
_REASON_TOKEN = re.compile(r"\b(" + "|".join(_REASON_NAMES) + r")\b")
_LISTENER_LINE = re.compile(r"\blisteners?\b|\bConflicted\b", re.IGNORECASE)


def match_reason_token(text: str) -> Verdict | None:
    """A known condition reason named on a text line (`Programmed=False` / `AddressNotAssigned`,
    `InvalidKind: referencing ...`): that reason's cause, route reasons first."""
    hit = _REASON_TOKEN.search(text or "")
    if not hit:
        return None
    reason = hit.group(1)
    # a listener's status line (`Conflicted=True HostnameConflict`) before a route's
    first = "listener" if _LISTENER_LINE.search(text) else "route"
    misused = _reason_misused(reason, first, text) if reason in _REASON_DECIDES else None
    if misused is not None:
        return misused  # the line's own words say the reason was borrowed
    order = sorted(_reason_tables(), key=lambda t: t[0] != first)
    for _scope, table in order:
        if reason in table:
            cause, layer = table[reason]
            return Verdict(cause, layer, f"reason-token:{reason}")
    return None


# An admission webhook's refusal as kubectl prints it (apiserver admission/plugin/webhook/
# errors: `admission webhook %q denied the request: %s`), e.g. Kong's `... denied the request:
# referenced gateway default/kong not found` (Kong/docs.konghq.com#6503): the webhook's own
# message, read with the status wordings (route first).
_DENIED = re.compile(r"admission webhook \"?[\w.\-]+\"? denied the request:\s*(?P<msg>.+)$",
                     re.IGNORECASE)


def match_denial(text: str) -> Verdict | None:
    hit = _DENIED.search(text or "")
    if not hit:
        return None
    for scope in ("route", "gateway", "listener", "pool", "class"):
        verdict = match_message(scope, hit.group("msg"))
        if verdict is not None:
            return verdict
    return None


def match_message(scope: str, message: str) -> Verdict | None:
    if not message:
        return None
    for pat in (TEXT_PATTERNS if scope == "text" else MESSAGE_PATTERNS):
        if scope not in pat.scopes:
            continue
        hit = pat.regex.search(message)
        if hit:
            subject = {k.split("_")[0]: v.rstrip(".") for k, v in hit.groupdict().items() if v}
            if pat.pid == "pool-not-found":
                subject["kind"] = "InferencePool"
            elif pat.pid == "service-not-found":
                subject["kind"] = "Service"
            layer = "listener" if scope in _GW_SCOPES and pat.layer == "backend" else pat.layer
            hint = pat.hint.format(name=subject.get("name", "?")) if pat.hint else ""
            if pat.cause == "@kind":
                base = _EVENT_LAYER.get(scope.split(":", 1)[1], "route")
                cause, layer = _FALLBACK[base]
                return Verdict(cause, layer, pat.pid, subject, hint)
            exact = catalogue.exact_wording(message, _catalogue_scope(scope), hit.span())
            if exact is not None and exact.cause != pat.cause:
                # the whole message is a catalogued wording that means something else than
                # the pattern's keyword (Contour's `Listener.TLS.CertificateRefs cannot be
                # defined when ...Passthrough` is a listener setting, not a certificate)
                return Verdict(exact.cause, exact.layer,
                               f"catalogue:{exact.component}:{exact.rid}") if exact.fault \
                    else None
            return Verdict(pat.cause, layer, pat.pid, subject, hint)
    return None


def _by_reason(scope: str, cond: dict) -> Verdict | None:
    reason, ctype = str(cond.get("reason") or ""), cond.get("type")
    if str(cond.get("status", "")) == "Unknown" and reason in ("", "Pending", "Waiting",
                                                               "Unknown") and scope in (
            "class", "gateway", "pool"):
        # the CRDs' default (Unknown/Pending): controllers write True or False
        return Verdict("no_controller", scope, "reason:crd-default")
    if scope == "route" and str(cond.get("status", "")) == "Unknown" and \
            ctype not in ("Accepted", "ResolvedRefs"):
        # a condition type of the implementation's own on a route parent (Kong's Programmed),
        # not yet known: no verdict (kubernetes-sigs/gateway-api apis/v1/shared_types.go
        # defines Accepted, ResolvedRefs and PartiallyInvalid for route parents)
        return None
    table = {}
    if scope == "route":
        table = {"ResolvedRefs": _ROUTE_RESOLVED, "BackendsAvailable": _ROUTE_BACKENDS}.get(
            ctype, _ROUTE_ACCEPTED)
    elif scope == "gateway":
        table = _GATEWAY
    elif scope == "listener":
        table = _LISTENER
    elif scope == "class":
        table = _CLASS
    elif scope == "pool":
        table = _POOL
    elif scope == "policy" and ctype == "Accepted":
        table = _POLICY
    if reason in table:
        cause, layer = table[reason]
        return Verdict(cause, layer, f"reason:{reason}")
    row = catalogue.by_reason(_catalogue_scope(scope), str(ctype or ""),
                              str(cond.get("status", "")), reason)
    if row is not None and row.fault:
        return Verdict(row.cause, row.layer, f"catalogue:{row.component}:{row.rid}")
    if scope == "route" and ctype in ("ResolvedRefs", "BackendsAvailable"):
        return Verdict("backend_unresolved", "backend", "reason:other")
    if scope.startswith("event:"):
        base = _EVENT_LAYER.get(scope.split(":", 1)[1], "route")
        cause, layer = _FALLBACK.get(base, _FALLBACK["route"])
        return Verdict(cause, layer, "event:other")
    cause, layer = _FALLBACK.get(scope, _FALLBACK["route"])
    return Verdict(cause, layer, "reason:other")


# data plane wordings (Envoy Gateway's NACK log, a proxy's readiness probe, a generated object
# named over 63 characters): _gw/proxy_text.py, which builds its patterns with _p
from _gw import proxy_text  # noqa: E402

TEXT_PATTERNS = TEXT_PATTERNS + proxy_text.PATTERNS

# a data plane that did not apply its config (NGINX Gateway Fabric's agent: _gw/agent_apply.py)
# and a controller's bindings without a filter type (serde's unknown variant: _gw/filter_variant.py)
from _gw import agent_apply, filter_variant  # noqa: E402

TEXT_PATTERNS = TEXT_PATTERNS + agent_apply.PATTERNS + filter_variant.PATTERNS
