"""The API server's validation refusal of a Gateway API object, mapped to a cause by the
field it names.

A Gateway, route or InferencePool the CRD's schema or CEL rules refuse is never stored, so
no controller writes a status for it: the refusal is the only evidence. Its shape comes from
apimachinery (k8s.io/apimachinery v0.37.2 pkg/api/errors NewInvalid: `KIND.GROUP "NAME" is
invalid: [FIELD: TYPE: DETAIL, ...]`; pkg/util/validation/field/errors.go ErrorBody: the
type, then the value unless omitted, then the detail) and kubectl (k8s.io/kubectl v0.37.2
pkg/cmd/util/helpers.go: `The KIND "NAME" is invalid: ` then `* FIELD: ...` lines;
pkg/cmd/util/editor/editoptions.go: `RESOURCE.GROUP "NAME" was not valid:` then
`* FIELD: ...`). A CEL rule on a list or object prints no value (`spec.listeners: Invalid
value: tls mode must be ...`: k8s.io/apiextensions-apiserver v0.37.2
pkg/apiserver/schema/cel/validation.go omits it for "object" and "array"). The CEL messages
are the CRDs' (gateway-api v1.6.3 apis/v1, config/crd; gateway-api-inference-extension
v1.6.0 api/v1).

The mapping (`refusal_cause`) takes (field, detail) pairs; the kit's reader
(k8s_skillkit.invalid_errors, shared with k8s-troubleshooting) parses the message.

>>> r = parse_refusal('gateways.gateway.networking.k8s.io "gw" was not valid: * '
...                   'spec.listeners: Invalid value: tls mode must be Terminate for protocol HTTPS')
>>> r.kind, r.name, (r.errors[0].field, r.errors[0].type)
('gateways.gateway.networking.k8s.io', 'gw', ('spec.listeners', 'Invalid value'))
>>> refusal_cause(r.kind, [(e.field, e.detail) for e in r.errors]).cause
'listener_invalid'
"""
from __future__ import annotations

import re
from typing import Iterable

from k8s_skillkit.invalid_errors import Invalid, field_errors
from k8s_skillkit.invalid_errors import parse as parse_invalid

from _gw.messages import Verdict

def parse_refusal(text: str) -> Invalid | None:
    """The refusal in a line, or in a head line and kubectl's `* FIELD: ...` lines under it
    (k8s_skillkit.invalid_errors reads every printed form); None without a field error."""
    found = parse_invalid(str(text or ""))
    return found if found is not None and found.errors else None


# kubectl's cause lines under the head: `* FIELD: ...` (kubectl edit writes them as `# * `)
_CAUSE_LINE = re.compile(r"^\s*(?:#\s*)?\*\s+\S+: ")


def refusal_blocks(lines: Iterable[object] | None) -> list[tuple[set[int], Invalid]]:
    """(line indices, refusal) for each head line and the `* FIELD: ...` lines under it."""
    texts = [str(line) for line in lines or []]
    out = []
    for i, line in enumerate(texts):
        if parse_invalid(line) is None:
            continue
        end = i + 1
        while end < len(texts) and _CAUSE_LINE.match(texts[end]):
            end += 1
        refusal = parse_refusal("\n".join(texts[i:end]))
        if refusal is not None:
            out.append((set(range(i, end)), refusal))
    return out


# resource or kind (any case, plural, with or without its group) -> the kind
_KINDS = {k.lower(): k for k in (
    "GatewayClass", "Gateway", "ListenerSet", "XListenerSet", "HTTPRoute", "GRPCRoute",
    "TLSRoute", "TCPRoute", "UDPRoute", "ReferenceGrant", "BackendTLSPolicy",
    "InferencePool")}
_ROUTES = {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"}
_PLURAL = re.compile(r"(?:ies|es|s)$")
# the API groups of those kinds (an Istio `Gateway.networking.istio.io` is not one of them)
_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io",
           "inference.networking.k8s.io", "inference.networking.x-k8s.io",
           "networking.x-k8s.io")  # the Gateway API's group up to v0.3 (service-apis)


def kind_of(printed: str) -> str:
    """`gateways.gateway.networking.k8s.io`, `Gateway.gateway.networking.k8s.io`, `Gateway`
    -> `Gateway`; "" for a kind this skill does not own."""
    word, _, group = printed.partition(".")
    if group and group not in _GROUPS:
        return ""
    word = word.lower()
    for candidate in (word, word[:-1], _PLURAL.sub("", word), _PLURAL.sub("y", word)):
        if candidate in _KINDS:
            return _KINDS[candidate]
    return ""


# The CRDs' CEL message for an HTTPS listener in Passthrough mode (gateway-api apis/v1
# gateway_types.go and listenerset_types.go, v1.5.0+, #4441/#4451): passthrough is protocol
# TLS (TLSRoute), HTTPS terminates (HTTPRoute).
_HTTPS_PASSTHROUGH = "tls mode must be Terminate for protocol HTTPS"
_HTTPS_PASSTHROUGH_HINT = ("an HTTPS listener terminates TLS and carries HTTPRoutes: for TLS "
                           "passthrough use protocol TLS with tls.mode Passthrough (and "
                           "TLSRoutes), or drop tls.mode Passthrough from the HTTPS listener")


def _listener_cause(field: str, detail: str) -> tuple[str, str]:
    if "certificateRefs" in field or detail.startswith("certificateRefs"):
        return "listener_certificate_invalid", "listener"
    return "listener_invalid", "listener"


def _route_cause(field: str, detail: str) -> tuple[str, str]:
    if "backendRef" not in field:
        return "route_not_accepted", "attach"     # parentRefs, hostnames, matches, filters
    if field.endswith(".port") or re.search(r"\bport\b", detail, re.IGNORECASE):
        return "port_mismatch", "backend"         # `Must have port for Service reference`
    if field.endswith((".kind", ".group")):
        return "unsupported_backend_kind", "backend"
    return "backend_unresolved", "backend"


def _field_cause(kind: str, field: str, detail: str) -> tuple[str, str]:
    if kind in ("Gateway", "ListenerSet", "XListenerSet") and \
            field.startswith("spec.listeners"):
        return _listener_cause(field, detail)
    if kind in _ROUTES:
        return _route_cause(field, detail)
    if kind == "InferencePool":
        return ("endpoint_picker_missing", "backend") if re.search(
            r"endpointPickerRef|extensionRef", field) else ("pool_not_accepted", "pool")
    return {"GatewayClass": ("gateway_class_not_accepted", "class"),
            "Gateway": ("gateway_not_ready", "gateway"),
            "ListenerSet": ("listenerset_invalid", "listener"),
            "XListenerSet": ("listenerset_invalid", "listener"),
            "ReferenceGrant": ("ref_not_permitted", "backend"),
            "BackendTLSPolicy": ("policy_invalid", "attach")}[kind]


# a detail read from a paragraph (a paste's lines joined) may run on into the report's words
_DETAIL_CHARS = 200


def refusal_cause(printed_kind: str, errors: Iterable[tuple[str, str]],
                  name: str = "") -> Verdict | None:
    """The cause of the first spec or metadata (field, detail) of a refused object of this
    skill's kinds; the hint says the object was not stored and which field to fix."""
    kind = kind_of(printed_kind)
    errors = list(errors)
    address = next(((f, d) for f, d in errors if f.startswith("status.addresses")), None)
    if kind == "Gateway" and address is not None:
        # a value the schema refuses (a hostname under type IPAddress) is the controller
        # writing an invalid status; an empty one is no address at all (_address_refused)
        written = next(((f, d) for f, d in errors if f.startswith("status.addresses")
                        and _refused_value(d)), None)
        if written is not None:
            return _status_refused(kind, name, *written)
        return _address_refused(name, *address)
    features = next((f for f, _ in errors
                     if f.startswith(("supportedFeatures", "status.supportedFeatures"))), None)
    if kind == "GatewayClass" and features is not None:
        return _features_refused(name, features)
    pairs = [(f, d) for f, d in errors if f.startswith(("spec", "metadata"))]
    status = next(((f, d) for f, d in errors if f.startswith("status")
                   or _status_only(kind, f)), None)
    if kind and not pairs and status is not None:
        # a condition's reason or message refused carries the controller's verdict on the
        # object, which the line's other readers take (envoyproxy/gateway#8857: two reasons
        # joined; a kgateway reason holding the rewrite error); an empty one carries none
        if any(_carries_verdict(f, d) for f, d in errors):
            return None
        return _status_refused(kind, name, *status)
    if not kind or not pairs:
        return None
    field, detail = pairs[0]
    detail = detail[:_DETAIL_CHARS]
    cause, layer = _field_cause(kind, field, detail)
    what = f"{kind} {name}".strip()
    hint = (f"the API server refused {what} ({field}: {detail}): it was not stored, so no "
            f"controller saw it; fix {field} and apply again")
    if _HTTPS_PASSTHROUGH in detail:
        hint = f"{_HTTPS_PASSTHROUGH_HINT}; {hint}"
    return Verdict(cause, layer, "api-invalid", {"kind": kind, "name": name}, hint)


# Fields that exist only in a kind's status, printed by some status writes without the
# `status.` prefix: a policy's `ancestors` (gateway-api apis/v1alpha2 policy_types.go
# PolicyStatus.Ancestors, +kubebuilder:validation:MaxItems=16, every release v0.7-v1.6) and a
# route's `parents` (apis/v1 shared_types.go RouteStatus.Parents, MaxItems=32). Envoy Gateway
# 1.3 logs `BackendTLSPolicy.gateway.networking.k8s.io "x" is invalid: [ancestors: Too many:
# 17: must have at most 16 items, ...]` for a policy whose Service 17 Gateways route to
# (envoyproxy/gateway#5228, fixed by #6445: aggregate the ancestors beyond 16).
_STATUS_ONLY = {"BackendTLSPolicy": ("ancestors",), "HTTPRoute": ("parents",),
                "GRPCRoute": ("parents",), "TLSRoute": ("parents",), "TCPRoute": ("parents",),
                "UDPRoute": ("parents",)}


def _status_only(kind: str, field: str) -> bool:
    """A field path rooted in a status-only field of the kind (`ancestors[3].conditions`)."""
    root = re.split(r"[.\[]", field, maxsplit=1)[0]
    return root in _STATUS_ONLY.get(kind, ())


# the refused value that leads an error's detail (`"abc.elb.amazonaws.com": ... must be of
# type ipv4`), quotes escaped in a JSON log
_LEADING_VALUE = re.compile(r'^\\*"(?P<value>[^"\\]*)\\*"')


def _refused_value(detail: str) -> bool:
    """An address error whose refused value is a non-empty one the controller wrote: istiod
    1.19.0 wrote an AWS load balancer's hostname with the default type IPAddress (`status.
    addresses[0].value: Invalid value: "<elb hostname>": ... must be of type ipv4`,
    istio/istio#46815, fixed in 1.19.1); Higress v2.2.0 likewise; Envoy Gateway wrote a
    headless Service's ClusterIP `None`. An empty value (`""`, `should be at least 1 chars
    long`: hashicorp/consul-api-gateway#187) is the controller having no address.

    >>> _refused_value('"x.elb.amazonaws.com": status.addresses[0].value in body must be')
    True
    >>> _refused_value('"": status.addresses.value in body should be at least 1 chars long')
    False
    """
    hit = _LEADING_VALUE.match(detail.strip())
    return bool(hit) and bool(hit["value"].strip()) and hit["value"] not in ("null", "<nil>")


def _address_refused(name: str, field: str, detail: str) -> Verdict:
    """The controller's own status write refused on the Gateway's addresses: it computed an
    address the schema rejects (an empty value where the load balancer has a hostname, not
    an IP: hashicorp/consul-api-gateway#187), so the Gateway shows no address at all."""
    return Verdict("gateway_no_address", "gateway", "api-invalid-status-address",
                   {"kind": "Gateway", "name": name},
                   f"the API server refused the controller's status update of Gateway {name} "
                   f"({field}: {detail[:_DETAIL_CHARS]}): the address it computed is not valid, "
                   "so none is published; a load balancer that has a hostname, not an IP, "
                   "needs a controller release that writes type Hostname addresses")


_CONDITION_TEXT = re.compile(r"conditions\[\d+\]\.(?:reason|message)$")
# the refused value leads the detail (`Invalid value: "": ...`), quotes escaped in a JSON log
_EMPTY_VALUE = re.compile(r'^(?:\\*"){2}(?::|$)')


def _carries_verdict(field: str, detail: str) -> bool:
    """A refused condition reason or message that holds text. An empty one (`Invalid value:
    ""`, `Required value`) is a malformed condition, not a verdict: metav1.Condition's reason
    has MinLength=1 and type a pattern (k8s.io/apimachinery v0.37.2 pkg/apis/meta/v1/
    types.go:1650-1688), so a controller writing an empty condition has its whole status
    update refused (nginx/nginx-gateway-fabric#582: `status.parents[0].conditions[1].reason:
    Invalid value: "": ... should be at least 1 chars long`, with empty status and type).

    >>> _carries_verdict("status.parents[0].conditions[1].reason", '\\"\\": should be at least 1')
    False
    >>> _carries_verdict("status.conditions[0].reason", '"A,B": should match')
    True

    A message refused as too long carries none either: a `Too long` error omits the value
    (k8s.io/apimachinery v0.37.2 pkg/util/validation/field/errors.go:347-364 TooLong `may not
    be more than %d bytes`; older releases' TooLongMaxLength `may not be longer than %d`), and
    metav1.Condition's message has MaxLength=32768 (pkg/apis/meta/v1/types.go:1693): the
    controller built a message over the limit and its whole status write is refused
    (envoyproxy/gateway#7146, fixed by PR #7159: truncate to 32768).

    >>> _carries_verdict("status.conditions[0].message", "may not be more than 32768 bytes")
    False
    """
    detail = _LOG_FIELDS.split(detail)[0].strip()  # a log line's next fields are not its own
    return bool(_CONDITION_TEXT.search(field)) and bool(detail) \
        and not _EMPTY_VALUE.match(detail) and not _TOO_LONG.match(detail)
# the detail of apimachinery's TooLong / TooLongMaxLength (see _carries_verdict)
_TOO_LONG = re.compile(r"may not be (?:more|longer) than \d+\b")
# a logfmt line goes on after the quoted error: `... \"null\"" name=x namespace=y`
_LOG_FIELDS = re.compile(r'\\?"\s+[\w.-]+=')


def _status_refused(kind: str, name: str, field: str, detail: str) -> Verdict:
    """A refused `status.*` is the controller's own status update, not a fault of what the
    user wrote: it writes a value the CRD's schema forbids (a controller bug, or CRDs of
    another release), so what the object shows is stale or empty while its spec may still be
    served (kubernetes-sigs/aws-load-balancer-controller#4600: a parent without conditions;
    projectcontour/contour#3641: gatewayRef.controller null, fixed by #3688)."""
    what = f"{kind} {name}".strip()
    detail = _LOG_FIELDS.split(detail)[0]
    return Verdict("status_update_rejected", "class", "api-invalid-status",
                   {"kind": kind, "name": name},
                   f"the API server refused the controller's status update of {what} ({field}: "
                   f"{detail[:_DETAIL_CHARS]}): the status you read is stale or empty, though "
                   "the spec may still be served; upgrade the controller to a release that "
                   "writes a valid status (its issue tracker names the fix), or install the "
                   "Gateway API CRDs its docs name if it was built for another release")


def _features_refused(name: str, field: str) -> Verdict:
    """The controller's GatewayClass status write refused on supportedFeatures: the installed
    CRDs and the controller disagree on the Gateway API release. v1.2.0 made the list's items
    objects ({name: ...}) where v1.1 had strings, and each release's CRD enumerates the feature
    names it knows (gateway-api apis/v1/gatewayclass_types.go; istio/istio#51409: CRDs older
    than Istio 1.22 expects; cilium/cilium#35562: v1.2.0 CRDs under Cilium 1.16.3)."""
    return Verdict("crd_version_unsupported", "class", "api-invalid-status-features",
                   {"kind": "GatewayClass", "name": name},
                   f"the API server refused the controller's status update of GatewayClass "
                   f"{name} ({field}): the installed Gateway API CRDs are another release than "
                   "the controller was built for (supportedFeatures changed from strings to "
                   "objects in v1.2.0; older CRDs do not list newer feature names): install "
                   "the Gateway API release the controller's docs name")


# Gateway API's own validating webhook (gateway-api v0.5.0-v0.8.x cmd/admission, name
# validate.gateway.networking.k8s.io; replaced by CEL in v1.0) denies with the field.ErrorList
# of its validation package: `admission webhook "validate.gateway.networking.k8s.io" denied
# the request: spec.listeners[1].tls: Forbidden: must be set for protocol HTTPS`
# (Kong/docs.konghq.com#5701). The object's kind is not printed: the field names it.
_GATEWAY_WEBHOOK = re.compile(r"admission webhook \\?\"?(?P<hook>[\w.\-]*gateway[\w.\-]*)\\?\"? "
                              r"denied the request:\s*(?P<msg>.+)$", re.IGNORECASE)
_KIND_BY_FIELD = (("spec.listeners", "Gateway"), ("spec.gatewayClassName", "Gateway"),
                  ("spec.addresses", "Gateway"), ("spec.rules", "HTTPRoute"),
                  ("spec.parentRefs", "HTTPRoute"), ("spec.hostnames", "HTTPRoute"),
                  ("spec.controllerName", "GatewayClass"))


def match_webhook_fields(text: str) -> Verdict | None:
    """A gateway webhook's denial made of field errors, read as the API server's refusal of
    the object the first field belongs to (see _GATEWAY_WEBHOOK)."""
    hit = _GATEWAY_WEBHOOK.search(text or "")
    if not hit:
        return None
    errors = [(e.field, e.detail) for e in field_errors(hit.group("msg"))]
    kind = next((k for prefix, k in _KIND_BY_FIELD for f, _ in errors[:1]
                 if f.startswith(prefix)), "")
    return refusal_cause(kind, errors) if kind else None


def match_refusal(text: str) -> Verdict | None:
    refusal = parse_refusal(text)
    return verdict_of(refusal) if refusal is not None else None


def verdict_of(refusal: Invalid) -> Verdict | None:
    return refusal_cause(refusal.kind, [(e.field, e.detail) for e in refusal.errors],
                         refusal.name)
