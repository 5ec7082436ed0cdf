"""What a pasted report says besides the controllers' status lines: the user's own sentences,
and outputs that show a Service's address.

Issue threads carry the decisive fact in prose as often as in YAML: "a service that is not
yet deployed", "the Service still has its IP", "the Service exposes port 80 but the route
uses 8080". These rules read such sentences (references/messages.md, "Prose and outputs").
They refine a symptom a gateway reported (a 500 direct response, `no healthy upstream`, a
Gateway without address) into the reference that explains it; on their own they give
inferred findings that name the one command that confirms them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from k8s_skillkit.findings import finding

from _gw.causes import fix_for

# --- "the Service has an address" ----------------------------------------------------------
# A LoadBalancer Service's status as kubectl prints it: `-o jsonpath='{.status.loadBalancer}'`
# ({"ingress":[{"ip":...}]}) or the whole status.loadBalancer in JSON.
_LB_INGRESS = re.compile(r'"ingress"\s*:\s*\[\s*\{[^]]*?"(?:ip|hostname)"\s*:\s*"([^"]+)"')
# A user saying so: "the service still have the IP-address assigned", "Both Services have
# valid IPs", "the backing Services regain valid IPs".
_SVC_HAS_ADDRESS = re.compile(
    r"\bservices?\b(?P<between>[^.\n]{0,60}?)\b(?:still\s+(?:have|has)|regain(?:ed|s)?|"
    r"have|has|got|keeps?|kept)\b(?P<what>[^.\n]{0,30}?)\b(?:IPs?|IP[- ]address(?:es)?|"
    r"external[- ]IPs?|(?:LB|load ?balancer) (?:IPs?|address(?:es)?))\b", re.IGNORECASE)
# ... and not the in-cluster address every Service has (ClusterIP)
_NEGATION = re.compile(r"\b(no|not|never|without|lost|lose|loses|pending|none|empty|cluster|"
                       r"internal)\b|n't\b", re.IGNORECASE)

# --- a request no route matches ---------------------------------------------------------------
# curl -v: the request's Host header (`> Host: 20.115.176.94`) and the answer (`< HTTP/1.1 404`).
# (A GitHub quote of the exchange adds its own `> ` before each line: `> > Host: ...`.)
_HOST_IS_IP = re.compile(r"^(?:>\s*)+Host:\s*(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(?::\d+)?$")
_HTTP_404 = re.compile(r"^(?:>\s*)*<?\s*HTTP/[\d.]+\s+404\b")

# --- "the backend does not exist" ------------------------------------------------------------
_BACKEND_ABSENT = re.compile(
    r"\b(?:services?|backends?|deployments?)\b[^.\n]{0,60}?\b(?:(?:is|are|was|were)\s+)?"
    r"(?:not\s+(?:yet\s+)?(?:deployed|created|installed)|(?:does|do|did)\s*n[o']?t\s+exist|"
    r"not\s+exist\w*|(?:is|was|were|are)\s+(?:missing|deleted|removed)|non-?existent)\b",
    re.IGNORECASE)

# --- a policy whose target does not exist (GEP-713 TargetNotFound) --------------------------
# "targetRefs.name points to a nonexistent route", "a BCP with target ref of non-existing
# svc", "the targetRef `x` is in a different ns" (envoyproxy/gateway#8926, #9061; kgateway-dev/
# kgateway#11624, #11438): a policy's targetRefs are local to its namespace.
_TARGET_REF = r"\btarget[ -]?(?:refs?|selectors?)\b(?:\.name)?"
_ABSENT_WORDS = (r"(?:non-?existent|nonexistent|non-?existing|(?:does|do|did)\s*(?:n't|not)\s+"
                 r"exists?|not\s+exists?|missing|(?:is|are)\s+in\s+(?:a\s+)?(?:different|"
                 r"another|other)\s+(?:ns|namespace)|match(?:es)?\s+(?:no|nothing)\b)")
_POLICY_TARGET_ABSENT = re.compile(_TARGET_REF + r"[^\n]{0,80}?" + _ABSENT_WORDS + "|"
                                   + _ABSENT_WORDS + r"[^\n]{0,40}?" + _TARGET_REF,
                                   re.IGNORECASE)
_POLICY = re.compile(r"[A-Za-z]*Polic(?:y|ies)\b", re.IGNORECASE)

# --- a listener's certificate Secret that does not exist --------------------------------------
# "Deploy Gateway with non-existent secret", "logs print `Secret not found`"
# (projectcontour/contour#4180), beside a TLS listener.
_SECRET_ABSENT = re.compile(
    r"\b(?:non-?existent|nonexistent|non-?existing|missing)\s+(?:TLS\s+)?secrets?\b|"
    r"\bsecrets?\b[^.\n]{0,60}?\b(?:(?:does|do)\s*(?:n't|not)\s+exist|not\s+found|"
    r"is\s+missing)\b", re.IGNORECASE)
_TLS_LISTENER = re.compile(r"certificateRefs|\bHTTPS\b|\blisteners?\b|tls\.crt",
                           re.IGNORECASE)

# --- a CRD said to be absent -----------------------------------------------------------------
# "traefik expected a new CRD ... v1.BackendTLSPolicy ... This CRD did not yet exist in our
# cluster", "manually deploying the missing CRD" (traefik/traefik#12321): a controller that
# watches a kind whose CRD is not installed fails. Read only in a paste about Gateway API.
_CRD_ABSENT = re.compile(
    r"\bCRDs?\b[^.\n]{0,60}?\b(?:(?:did|does|do)\s*n[o']?t\s+(?:yet\s+)?exist|"
    r"(?:is|was|were|are)\s+(?:missing|not\s+(?:yet\s+)?(?:installed|present))|"
    r"not\s+(?:yet\s+)?installed)\b|\bmissing\s+(?:[\w.-]+\s+)?CRDs?\b", re.IGNORECASE)
_GATEWAY_API = re.compile(r"gateway[- ]?api|gateway\.networking|\b(?:HTTPRoute|GRPCRoute|"
                          r"TLSRoute|TCPRoute|GatewayClass|ReferenceGrant|BackendTLSPolicy|"
                          r"InferencePool)s?\b", re.IGNORECASE)

# --- a listener protocol no controller serves -------------------------------------------------
# "a Gateway containing listener with unsupported protocol" (nginx/nginx-gateway-fabric#5214),
# "a listener using an invalid protocol type" (kgateway-dev/kgateway#11640). The listener is
# not Accepted (UnsupportedProtocol, gateway-api apis/v1/gateway_types.go ProtocolType).
_PROTOCOL_UNSUPPORTED = re.compile(
    r"\b(?:unsupported|invalid|unknown|wrong)\s+(?:listener\s+)?protocol\b|"
    r"\blistener\s+protocol\s+(?:is|was)\s+(?:invalid|unsupported|not\s+supported)\b",
    re.IGNORECASE)
_LISTENER = re.compile(r"\blisteners?\b", re.IGNORECASE)

# --- a backendRef port the backend does not have -------------------------------------------
# "change the port to an invalid value" (kgateway-dev/kgateway#8948), "with a port that is
# not defined on that resource" (#14042): the named backend exists, its port does not.
_PORT_INVALID = re.compile(
    r"\bports?\b[^.\n]{0,40}?\b(?:to\s+an?\s+(?:invalid|wrong|bad|incorrect|non-?existent)|"
    r"(?:is|was)\s+(?:invalid|wrong|incorrect)|that\s+(?:is|was)\s+not\s+(?:defined|exposed)|"
    r"not\s+defined\s+(?:on|in|by))\b|"
    r"\b(?:invalid|wrong|bad|incorrect|non-?existent|nonexistent)\s+[`'\"]?(?:backend\s*Ref\s+)?"
    r"ports?\b", re.IGNORECASE)
_BACKEND_REF = re.compile(r"backend ?Refs?\b", re.IGNORECASE)

# --- a route condition the paste says the data plane contradicts -----------------------------
# "The data plane is healthy and serving traffic on the affected hostnames, but the route's
# status object never re-emits" (envoyproxy/gateway#8861), "a route can be attached and
# serving traffic correctly on one listener, but its status shows Accepted: False"
# (envoyproxy/gateway#10004): the condition is stale or overwritten, not the route broken.
_SERVING = re.compile(r"\bserv(?:ing|es|ed)\s+(?:the\s+)?traffic|\brouting\s+works\b|"
                      r"\btraffic\s+(?:is\s+)?(?:flowing|flows|works|served|unaffected)\b",
                      re.IGNORECASE)
_STATUS_WORD = re.compile(r"\b(?:status|condition)\b", re.IGNORECASE)
_ATTACH_SAID = ("hostname_mismatch", "not_allowed_by_listener", "route_not_accepted")

# --- a Gateway served by a ClusterIP Service -------------------------------------------------
# With a ClusterIP Service type the Gateway's address is the Service's cluster IP (Envoy
# Gateway EnvoyProxy envoyService.type ClusterIP, envoyproxy/gateway#8065): a cluster IP
# shown assigned is the Gateway's address.
_CLUSTERIP_GATEWAY = re.compile(r"\bClusterIP\s+(?:service|svc)\b|\b(?:service|svc)\s+type"
                                r"\W+ClusterIP\b|\btype:\s*ClusterIP\b", re.IGNORECASE)
_CLUSTERIP_SHOWN = re.compile(r"\bClusterIP\b[^\n]{0,40}?\b\d{1,3}\.\d{1,3}\.[\dx]{1,3}\."
                              r"[\dx]{1,3}\b", re.IGNORECASE)

# --- ports named in prose ---------------------------------------------------------------------
_PORT = r"\bports?\b[\s*`'\":,=(]*(?:a\s+single\s+port[\s,:*`]*)?(?P<port>\d{2,5})\b"
_SVC_PORT = re.compile(r"\bService\b[^\n]{0,80}?\b(?:exposes|has|declares|listens on|only has|"
                       r"uses|serves on)\b[^\n]{0,40}?" + _PORT, re.IGNORECASE)
_ROUTE_PORT = re.compile(r"\b(?:backend ?Refs?|HTTPRoute|GRPCRoute|route)\b[^\n]{0,100}?"
                         r"\b(?:references?|uses?|points? (?:at|to)|targets?|sends? to|"
                         r"backend)\b[^\n]{0,40}?" + _PORT, re.IGNORECASE)
# a sentence that states the fix, not the broken state ("patched ... to 8080", "was 8080")
_FIX_WORDS = re.compile(r"\b(patch\w*|fix\w*|chang\w*|updat\w*|restor\w*|should|instead|"
                        r"was|set .{0,20}\bto)\b|->|\u2192", re.IGNORECASE)

# --- allowedRoutes left at its default --------------------------------------------------------
_ALLOWED_SAME = re.compile(r"allowedRoutes[^\n]{0,80}?(?:defaults?\s+to|default\s+is|from:?)"
                           r"[\s`'\"*]*Same\b|namespaces\.from[\s`'\":=]*Same\b", re.IGNORECASE)
_NOT_ATTACHED = re.compile(r"\b(?:won't|will not|does not|doesn't|can't|cannot|can not|fails? "
                           r"to|not)\s+(?:be\s+)?(?:attach|accepted|bind)\w*|NotAllowedByListeners"
                           r"|\brejected\b", re.IGNORECASE)

# --- around `no healthy upstream` ------------------------------------------------------------
# The load balancer's own health checking (GKE HealthCheckPolicy / NEG health, Azure
# Application Gateway for Containers HealthCheckPolicy, AWS target group health checks,
# Envoy Gateway BackendTrafficPolicy healthCheck): endpoints exist and are Ready, the proxy
# marks them unhealthy.
_HC = r"health[- ]?checks?"
_LB_HEALTH = re.compile(r"HealthCheckPolicy|\bNEGs?\b|target group|FAILED_HTTP_STATUS_CODE|"
                        r"\bBackendService\b|healthState\W+UNHEALTHY|" + _HC +
                        r"\b[^\n]{0,80}?\b(?:unhealthy|fail\w*)|unhealthy[^\n]{0,40}?" + _HC +
                        r"|(?:load ?balancer|\bLB\b)[^\n]{0,60}?\bunhealthy", re.IGNORECASE)
_PODS_FINE = re.compile(r"\bpods?\b[^\n]{0,60}?\b(?:Ready|Running|healthy)\b|\bReady\s+1/1\b|"
                        + _HC + r"[^\n]{0,60}?\b(?:fine|ok|okay|succeed\w*|pass\w*|"
                        r"works?)\b|everything (?:seems|looks|is) fine", re.IGNORECASE)
_INFERENCE = re.compile(r"InferencePool|inference[- ]?(?:extension|gateway|pool)|endpoint[- ]?"
                        r"picker|\bEPP\b|\bvllm\b|model[- ]server|llm-d|/v1/(?:chat/)?"
                        r"completions", re.IGNORECASE)


@dataclass
class Prose:
    """The facts the paste's text states, each with the line that states it."""
    service_address: list[str] = field(default_factory=list)
    backend_absent: list[str] = field(default_factory=list)
    service_ports: list[tuple[int, str]] = field(default_factory=list)
    route_ports: list[tuple[int, str]] = field(default_factory=list)
    allowed_same: list[str] = field(default_factory=list)
    not_attached: list[str] = field(default_factory=list)
    lb_health: list[str] = field(default_factory=list)
    pods_fine: list[str] = field(default_factory=list)
    host_is_ip: list[str] = field(default_factory=list)
    not_found_404: list[str] = field(default_factory=list)
    policy_target_absent: list[str] = field(default_factory=list)
    secret_absent: list[str] = field(default_factory=list)
    clusterip_shown: list[str] = field(default_factory=list)
    crd_absent: list[str] = field(default_factory=list)
    protocol_unsupported: list[str] = field(default_factory=list)
    port_invalid: list[str] = field(default_factory=list)
    status_contradicted: list[str] = field(default_factory=list)
    inference: bool = False
    gateway_api: bool = False
    listener: bool = False
    backend_ref: bool = False
    policy: bool = False
    tls_listener: bool = False
    clusterip_gateway: bool = False


def read(lines: list[str]) -> Prose:
    """The facts of the text lines of a paste (lines inside ``` fences are outputs, not
    sentences: only the address outputs are read from them)."""
    out = Prose()
    fenced = False
    for raw in lines or []:
        line = str(raw)
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        text = " ".join(line.replace("**", "").split())
        if not text:
            continue
        if _LB_INGRESS.search(text) or _json_ingress(text):
            out.service_address.append(text[:200])
        if _HOST_IS_IP.match(text):
            out.host_is_ip.append(text[:200])
        if _HTTP_404.match(text):
            out.not_found_404.append(text[:200])
        out.inference = out.inference or bool(_INFERENCE.search(text))
        out.policy = out.policy or bool(_POLICY.search(text))
        out.tls_listener = out.tls_listener or bool(_TLS_LISTENER.search(text))
        out.clusterip_gateway = out.clusterip_gateway or bool(_CLUSTERIP_GATEWAY.search(text))
        out.gateway_api = out.gateway_api or bool(_GATEWAY_API.search(text))
        out.listener = out.listener or bool(_LISTENER.search(text))
        out.backend_ref = out.backend_ref or bool(_BACKEND_REF.search(text))
        if _CLUSTERIP_SHOWN.search(text) and not re.search(r"\b(?:none|pending)\b", text,
                                                           re.IGNORECASE):
            out.clusterip_shown.append(text[:200])
        if fenced and not _reads_as_sentence(text):
            continue
        _sentence_facts(out, text)
    if out.clusterip_gateway:
        out.service_address += out.clusterip_shown
    return out


# Inside a fence a line is output unless it reads as a sentence: a whole report pasted in
# one code fence (its own fences then close and open the wrong way) is still prose.
_OUTPUT_SHAPE = re.compile(r"^\s*(?:-\s+)?[\w.\-\\\"/]+:\s|^\s*[\[{<]|^\s*[$#>]|"
                           r"^\s*\d{4}-\d\d-\d\d|^\s*[IWEF]\d{4}\s|\blevel=|\t")


def _reads_as_sentence(text: str) -> bool:
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= 8 and not _OUTPUT_SHAPE.search(text) \
        and bool(re.match(r"^[\W\d]*[A-Za-z]", text))


def _sentence_facts(out: Prose, text: str) -> None:
    hit = _SVC_HAS_ADDRESS.search(text)
    if hit and not _NEGATION.search(hit.group("between") + " " + hit.group("what")):
        out.service_address.append(text[:200])
    fix = bool(_FIX_WORDS.search(text))
    for regex, bucket in ((_SVC_PORT, out.service_ports), (_ROUTE_PORT, out.route_ports)):
        for m in regex.finditer(text):
            if not (fix and bucket is out.route_ports):
                bucket.append((int(m.group("port")), text[:200]))
    for regex, bucket in ((_ALLOWED_SAME, out.allowed_same), (_NOT_ATTACHED, out.not_attached),
                          (_LB_HEALTH, out.lb_health), (_BACKEND_ABSENT, out.backend_absent),
                          (_POLICY_TARGET_ABSENT, out.policy_target_absent),
                          (_SECRET_ABSENT, out.secret_absent), (_CRD_ABSENT, out.crd_absent),
                          (_PROTOCOL_UNSUPPORTED, out.protocol_unsupported),
                          (_PORT_INVALID, out.port_invalid)):
        if regex.search(text):
            bucket.append(text[:200])
    if _SERVING.search(text) and _STATUS_WORD.search(text):
        out.status_contradicted.append(text[:200])
    if _PODS_FINE.search(text) and not re.search(r"\bnot\s+(?:Ready|Running|healthy)\b",
                                                  text, re.IGNORECASE):
        out.pods_fine.append(text[:200])


def _json_ingress(text: str) -> bool:
    """A line holding JSON with status.loadBalancer.ingress addresses (`# {...}` too)."""
    body = text.lstrip("#$> ").strip()
    if not body.startswith("{"):
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    ingress = data.get("ingress") if isinstance(data, dict) else None
    if ingress is None and isinstance(data, dict):
        ingress = ((data.get("status") or {}).get("loadBalancer") or {}).get("ingress")
    return any(isinstance(i, dict) and (i.get("ip") or i.get("hostname")) for i in ingress or [])


def port_mismatch(prose: Prose) -> tuple[int, int, list[str]] | None:
    """(route port, Service port, lines) when the text names one port for the Service and
    another for the route's backendRef."""
    svc = {p for p, _ in prose.service_ports}
    route = {p for p, _ in prose.route_ports} - svc
    if len(svc) != 1 or len(route) != 1:
        return None
    lines = [t for _, t in prose.route_ports] + [t for _, t in prose.service_ports]
    return route.pop(), svc.pop(), list(dict.fromkeys(lines))


# --- findings ---------------------------------------------------------------------------------
_GATEWAY_NAME_LABELS = ("gateway.envoyproxy.io/owning-gateway-name",
                        "gateway.networking.k8s.io/gateway-name", "istio.io/gateway-name")
_STALE_ADDRESS_FIX = (
    "the Gateway's Programmed=False AddressNotAssigned is older than its Service's address: "
    "the controller copies the Service's status.loadBalancer.ingress into the Gateway's "
    "status.addresses when it reconciles (Envoy Gateway internal/gatewayapi/status/"
    "gateway.go), and it has not since the address came back. Traffic is not affected; "
    "make it reconcile (annotate the Gateway's Service, or restart the controller) and "
    "upgrade: Envoy Gateway v1.8.1 carries the fix of envoyproxy/gateway#8962 (one such "
    "case; #9567 reports another)")
_HEALTH_CHECK_FIX = (
    "the endpoints exist but the load balancer's own health check marks them unhealthy (it "
    "does not use the pods' readiness probes): point it at a path that answers 2xx, e.g. the "
    "readiness probe's path (GKE and Application Gateway for Containers: a HealthCheckPolicy "
    "targeting the Service with config.httpHealthCheck.requestPath; AWS: "
    "TargetGroupConfiguration healthCheckConfig; Envoy Gateway: BackendTrafficPolicy "
    "healthCheck)")


def apply(reported: list[dict], index, lines: list[str]) -> tuple[list[dict], list[dict]]:
    """The reported findings refined by what the paste's text and Service statuses say, and
    the inferred findings the text alone gives."""
    prose = read(lines)
    pools = bool(index.of_kind("InferencePool"))
    refined = [_refine(f, prose, pools) for f in reported]
    refined = _stale_addresses(refined, index, prose)
    refined = _acme_secret_follows(refined)
    refined = _contradicted_route_status(refined, prose)
    # a sentence that repeats what a controller reported adds nothing (a status message
    # read as prose: "Secret default/x does not exist.")
    said = {f["cause"] for f in refined}
    return refined, [f for f in prose_findings(prose) if f["cause"] not in said]


def prose_findings(prose: Prose) -> list[dict]:
    out = []
    mismatch = port_mismatch(prose)
    if mismatch:
        route_port, svc_port, quoted = mismatch
        out.append(_inferred(
            "port_mismatch", f"the paste says the route's backendRef uses port {route_port} "
            f"and the Service exposes port {svc_port}", quoted,
            "kubectl get service <name> -n <namespace> -o jsonpath='{.spec.ports[*].port}'"))
    if prose.host_is_ip and prose.not_found_404:
        out.append(_inferred(
            "request_not_routed", "the gateway answered 404 to a request whose Host header is "
            "its IP address: a route with hostnames matches only requests for those hostnames",
            prose.host_is_ip + prose.not_found_404,
            "kubectl get httproute -A -o custom-columns=NAME:.metadata.name,"
            "HOSTNAMES:.spec.hostnames"))
    if prose.allowed_same and prose.not_attached:
        out.append(_inferred(
            "not_allowed_by_listener", "the paste says the listener leaves allowedRoutes at its "
            "default (namespaces.from: Same) and the route in another namespace does not attach",
            prose.allowed_same + prose.not_attached,
            "kubectl get httproute <name> -n <namespace> -o "
            "jsonpath='{.status.parents[*].conditions}'"))
    if prose.policy and prose.policy_target_absent:
        out.append(_inferred(
            "policy_target_not_found", "the paste says the policy's targetRef names an object "
            "that does not exist (or is in another namespace): the policy attaches to nothing",
            prose.policy_target_absent,
            "kubectl get <policy kind> <name> -n <namespace> -o jsonpath='{.spec.targetRefs}' "
            "and kubectl get <target kind> <target name> -n <namespace>"))
    if prose.secret_absent and prose.tls_listener:
        out.append(_inferred(
            "listener_certificate_invalid", "the paste says the TLS Secret a listener's "
            "certificateRefs names does not exist", prose.secret_absent,
            "kubectl get gateway <name> -n <namespace> -o "
            "jsonpath='{.status.listeners[*].conditions}'"))
    out += _stated_faults(prose)
    return out


def _stated_faults(prose: Prose) -> list[dict]:
    """A missing CRD, an unsupported listener protocol, a backendRef port the backend lacks,
    each said in the paste's own sentences."""
    out = []
    if prose.crd_absent and prose.gateway_api:
        out.append(_inferred(
            "crd_not_installed", "the paste says a CRD the gateway controller needs is not "
            "installed: a controller that watches a kind whose CRD is absent cannot start its "
            "informers and stops configuring routes", prose.crd_absent,
            "kubectl get crds | grep -e gateway.networking -e inference.networking"))
    if prose.protocol_unsupported and prose.listener:
        out.append(_inferred(
            "listener_invalid", "the paste says a listener uses a protocol the controller does "
            "not support: that listener is not Accepted (UnsupportedProtocol) and no route "
            "attaches to it; un-prefixed protocol names are reserved for HTTP, HTTPS, TLS, TCP "
            "and UDP", prose.protocol_unsupported,
            "kubectl get gateway <name> -n <namespace> -o "
            "jsonpath='{.status.listeners[*].conditions}'"))
    if prose.port_invalid and prose.backend_ref:
        out.append(_inferred(
            "port_mismatch", "the paste says the backendRef names a port its backend does not "
            "define: the backend exists, the port does not", prose.port_invalid,
            "kubectl get service <name> -n <namespace> -o jsonpath='{.spec.ports[*].port}'"))
    return out


def _inferred(cause: str, message: str, lines: list[str], confirm: str) -> dict:
    return finding("error", cause, _PASTE, message, list(dict.fromkeys(lines))[:3],
                   fix_for(cause), basis="inferred", confirm=confirm)


_PASTE = {"kind": "Text", "name": "paste"}


def _refine(f: dict, prose: Prose, pools: bool) -> dict:
    """A text symptom the gateway answered, narrowed by what the paste says around it."""
    if f["object"]["kind"] != "Text":
        return f
    # (on a text line only `no healthy upstream` gives pool_pods_not_ready, only an Envoy
    # direct 500 gives backend_unresolved: _gw.messages.TEXT_PATTERNS)
    if f["cause"] == "pool_pods_not_ready":
        if prose.lb_health or prose.pods_fine:
            return _recast(f, "backend_health_check_failing", prose.lb_health + prose.pods_fine,
                           _HEALTH_CHECK_FIX)
        if not (prose.inference or pools):
            return _recast(f, "backend_no_endpoints", [], fix_for("backend_no_endpoints"))
    if f["cause"] == "backend_unresolved" and prose.backend_absent:
        return _recast(f, "backend_not_found", prose.backend_absent, fix_for("backend_not_found"))
    return f


# cert-manager names its HTTP-01 solver Services and HTTPRoutes cm-acme-http-solver-<suffix>
# (GenerateName in pkg/issuer/acme/http buildService and createGatewayHTTPRoute). When the
# solver routes' Services are missing, the certificate is never issued, so the listener's
# Secret is missing too: the Secret follows, the solver backend is the fault
# (traefik/traefik#9158, cert-manager/cert-manager#5260).
_ACME_SOLVER = re.compile(r"\bcm-acme-http-solver", re.IGNORECASE)


def _acme_secret_follows(findings: list[dict]) -> list[dict]:
    solver_down = any(f["cause"] in ("backend_not_found", "backend_no_endpoints") and
                      any(_ACME_SOLVER.search(str(e)) for e in f["evidence"])
                      for f in findings)
    if not solver_down:
        return findings
    return [dict(f, severity="warning", message=f["message"] + " (the certificate is still "
                 "being issued: its ACME HTTP-01 solver route has no backend, fix that first)")
            if f["cause"] == "listener_certificate_invalid" and f["severity"] == "error" else f
            for f in findings]


_STALE_ROUTE_FIX = (
    "the route's condition does not describe what the proxy serves: the controller did not "
    "re-write the route's status after a Gateway-side change, or wrote one parentRef's "
    "verdict over another's (envoyproxy/gateway#8861, #10004; gateway-api#5115 makes the "
    "update a MUST). Trust the data plane (curl the hostname); make the controller "
    "re-write the status (touch the route, or restart the controller) and upgrade it")


def _contradicted_route_status(findings: list[dict], prose: Prose) -> list[dict]:
    if not prose.status_contradicted:
        return findings
    return [_recast(f, "stale_status", prose.status_contradicted, _STALE_ROUTE_FIX)
            if f["cause"] in _ATTACH_SAID else f for f in findings]


def _recast(f: dict, cause: str, evidence: list[str], fix: str) -> dict:
    return dict(f, cause=cause, evidence=list(dict.fromkeys(f["evidence"] + evidence))[:4],
                fix=fix)


def _stale_addresses(findings: list[dict], index, prose: Prose) -> list[dict]:
    """`gateway_no_address` while the same paste shows the address (the Gateway's own
    status.addresses, its LoadBalancer Service's ingress, or the user's words): the
    condition is stale, not the address missing."""
    unaddressed = [f for f in findings if f["cause"] == "gateway_no_address"]
    if not unaddressed:
        return findings
    names = {f["object"]["name"] for f in unaddressed if f["object"]["kind"] == "Gateway"}
    shown = list(prose.service_address)
    listed = set()  # Gateways whose own status lists an address while not Programmed
    for gw in index.of_kind("Gateway"):
        addresses = [a.get("value") for a in (gw.get("status") or {}).get("addresses") or []
                     if isinstance(a, dict) and a.get("value")]
        if addresses and not _programmed(gw):
            listed.add(("Gateway", *_ns_name(gw)))
            shown.append(f"Gateway {_name(gw)} lists status.addresses {', '.join(addresses)} "
                         "yet is not Programmed")
    for svc in index.of_kind("Service"):
        ingress = [i.get("ip") or i.get("hostname") for i in
                   ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
                   if isinstance(i, dict)]
        if any(ingress) and _serves(svc, names):
            shown.append(f"Service {_name(svc)} status.loadBalancer.ingress: "
                         f"{', '.join(i for i in ingress if i)}")
    if not shown:
        return findings
    out, done = [], set()
    for f in findings:
        key = (f["object"]["kind"], f["object"]["namespace"], f["object"]["name"])
        if f["cause"] == "gateway_not_ready" and key in listed and _cell_only(f):
            continue  # a table's PROGRAMMED False with no reason: the stale condition's echo
        if f["cause"] != "gateway_no_address":
            out.append(f)
            continue
        if key in done:
            continue
        done.add(key)
        out.append(dict(f, cause="stale_status", severity="error",
                        message="the Gateway says no address was assigned, but the paste "
                                "shows one: the condition is stale",
                        evidence=list(dict.fromkeys(f["evidence"] + shown))[:5],
                        fix=_STALE_ADDRESS_FIX))
    return out


def _cell_only(f: dict) -> bool:
    """A finding from a `kubectl get` cell alone: the condition has no reason or message."""
    return all("reason=None" in e and ":" not in e.split("reason=None", 1)[1]
               for e in f["evidence"][:1])


def _ns_name(obj: dict) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name") or ""


def _programmed(gw: dict) -> bool:
    return any(isinstance(c, dict) and c.get("type") == "Programmed" and
               str(c.get("status")) == "True"
               for c in (gw.get("status") or {}).get("conditions") or [])


def _serves(svc: dict, gateway_names: set[str]) -> bool:
    """The Service a Gateway controller made for one of these Gateways: labelled with its
    name, or named after it (Envoy Gateway envoy-<ns>-<name>-<hash>, Istio <name>-<class>,
    Cilium cilium-gateway-<name>)."""
    labels = (svc.get("metadata") or {}).get("labels") or {}
    if any(labels.get(k) in gateway_names for k in _GATEWAY_NAME_LABELS):
        return True
    name = (svc.get("metadata") or {}).get("name", "")
    return any(g and g in name for g in gateway_names)


def _name(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return "/".join(p for p in (meta.get("namespace"), meta.get("name")) if p)
