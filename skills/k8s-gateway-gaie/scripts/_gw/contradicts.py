"""A controller's verdict that the Gateway API spec rules out for the objects in the paste.

Reported evidence comes first, but a reason the spec makes impossible for the objects beside
it is the controller's defect, not a fault in them: `NoMatchingListenerHostname` for a route
with no `spec.hostnames`, or for a parent whose listeners set no `hostname`, cannot happen in
a conformant implementation (gateway-api apis/v1/httproute_types.go HTTPRouteSpec.Hostnames:
a Listener "matches HTTPRoutes that have either not specified any hostnames or have specified
at least one hostname that matches"; only "If both the Listener and HTTPRoute have specified
hostnames, and none match ... the HTTPRoute is not accepted"). Such a finding becomes an info
that says so and what to do (references/causes.md, `controller_contradicts_spec`).
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from k8s_skillkit.findings import finding

from _gw import ref_namespace
from _gw.objects import ROUTE_KINDS, backend_refs, meta, parent_refs
from _gw.sds_refusal import refused_reference

_ROUTE_KINDS_WITH_HOSTNAMES = tuple(ROUTE_KINDS) + ("TLSRoute",)


def spec_contradictions(findings: list[dict], index, lines=()) -> list[dict]:
    return [_checked(f, index, lines) for f in findings]


def _checked(f: dict, index, lines=()) -> dict:
    misread = _reference_namespace_misread(f, index)
    if misread is not None:
        return misread
    if f["cause"] == "ref_not_permitted":
        return refused_reference(f, index, lines) or f
    if f["cause"] == "parent_not_found" and f["object"].get("kind") == "Text":
        return _parent_in_paste(f, index) or f
    if f["cause"] == "policy_invalid":
        return _cipher_group_refused(f) or f
    if f["cause"] != "hostname_mismatch" or f["severity"] == "info":
        return f
    route = _route_of(f["object"], index)
    if route is None:
        return f  # the route's spec is not in the paste: the verdict stands
    if not (route.get("spec") or {}).get("hostnames"):
        why = "the route sets no spec.hostnames, and a route without hostnames matches every listener"
    elif _listeners_without_hostname(route, index):
        why = ("the listeners it attaches to set no hostname, and a listener without a "
               "hostname matches every route hostname")
    else:
        return f
    return finding("warning", "controller_contradicts_spec", f["object"],
                   f"{f['message']}: but {why} (Gateway API HTTPRouteSpec.hostnames), so this "
                   "verdict is the controller's defect, not a fault in these objects",
                   list(f.get("evidence") or []),
                   "upgrade the Gateway controller (some early releases rejected routes without "
                   "hostnames); if the newest release still says it, report it to the "
                   "implementation with this status; a workaround meanwhile: set spec.hostnames "
                   "to the listener's hostname", basis=f.get("basis") or "reported")


def _reference_namespace_misread(f: dict[str, Any], index: Any) -> dict[str, Any] | None:
    """A refusal of the finding's own object that names, for one of its references, a
    namespace its pasted spec does not give that reference (_gw/ref_namespace.py): the status
    against the spec, both quoted."""
    if f["severity"] == "info" or f.get("basis") != "reported" or f["cause"] in (
            "controller_contradicts_spec", "stale_status"):
        return None
    for obj, line in _referrers_and_lines(f, index):
        said = ref_namespace.contradicted(obj, line)
        if said is None:
            continue
        field, stated, given = said
        spec_says = (f"{field} namespace: {', '.join(given)}" + (
            " (none set: a reference without namespace is in its referrer's namespace, "
            f"{meta(obj, 'namespace')})" if given == [meta(obj, 'namespace')] and not any(
                r.get("namespace") for r in ref_namespace.refs_of(obj, field)) else ""))
        return finding(
            "warning", "controller_contradicts_spec", f["object"],
            f"the controller refused {obj.get('kind')} {meta(obj, 'name')} for its {field} in "
            f"namespace {stated}, but the pasted spec puts that reference in {', '.join(given)}: "
            "the controller misreads the reference (Envoy Gateway defaulted it to `default` "
            "until envoyproxy/gateway PR #7987), not a fault in the object",
            list(f.get("evidence") or []) + [f"spec: {spec_says}"],
            "upgrade the controller to a release that defaults a reference's namespace to its "
            "referrer's (Envoy Gateway: PR #7987, 2026-01); if the newest release still says "
            "it, report it with this status and spec", basis="reported",
            confirm=f"kubectl get {str(obj.get('kind', '')).lower()} {meta(obj, 'name')} -n "
                    f"{meta(obj, 'namespace')} -o yaml")
    return None


def _referrers_and_lines(f: dict[str, Any], index: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """(object with a spec, evidence line) pairs: the finding's own object, and for a route
    the objects its backendRefs name (a route's condition quotes its Backend's refusal:
    `Failed to process route rule N backendRef M: <the Backend's error>`)."""
    ref = f["object"]
    obj = index.get(ref.get("kind", ""), ref.get("namespace", ""), ref.get("name", ""))
    if obj is None or obj.get("_source") in ("fragment", "table"):
        return
    referrers = [obj]
    if obj.get("kind") in ROUTE_KINDS:
        referrers += [index.get(b["kind"], b["namespace"], b["name"])
                      for _, b in backend_refs(obj)]
    for referrer in referrers:
        if referrer is None or referrer.get("_source") in ("fragment", "table"):
            continue
        for line in f.get("evidence") or []:
            yield referrer, str(line)


# A cipher entry `[A|B]` is BoringSSL's equal-preference group, which Envoy takes as one entry
# of TlsParameters.cipher_suites: Envoy's own default list starts with two such groups, as
# Envoy Gateway documents them (api/v1alpha1/tls_types.go:78-79@v1.8.3, "In non-FIPS Envoy
# Proxy builds the default cipher list is: - [ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-
# CHACHA20-POLY1305] ..."). A controller that refuses such a group as an unknown cipher compares
# the whole entry with its list of names (Envoy Gateway v1.8.0-v1.9.x internal/gatewayapi/
# tls.go validateCipherSuites; envoyproxy/gateway#9679, fixed by PR #10050).
_CIPHER_NAME = r"[A-Z0-9]+(?:[-_][A-Z0-9]+)+"
_CIPHER_GROUP_REFUSED = re.compile(r"\bunsupported cipher(?: suite)?:?\s*[`'\"]?(?P<group>\[\s*"
                                   + _CIPHER_NAME + r"(?:\s*\|\s*" + _CIPHER_NAME + r")+\s*\])")


def _cipher_group_refused(f: dict) -> dict | None:
    for line in f.get("evidence") or []:
        hit = _CIPHER_GROUP_REFUSED.search(str(line))
        if hit is None:
            continue
        return finding(
            "warning", "controller_contradicts_spec", f["object"],
            f"the controller refused the cipher entry {hit.group('group')} as an unsupported "
            "cipher suite, but `[A|B]` is BoringSSL's equal-preference group, which Envoy "
            "accepts (its own default cipher list holds two such groups): the controller "
            "compares the whole entry with its list of names, a defect in it, not in the "
            "policy", list(f.get("evidence") or []),
            "upgrade the controller to a release that accepts equal-preference groups (Envoy "
            "Gateway: envoyproxy/gateway#9679, PR #10050); meanwhile list the group's ciphers "
            "as separate entries (their order then sets a preference) or drop spec.tls.ciphers "
            "to take Envoy's defaults", basis=f.get("basis") or "reported")
    return None


# `<namespace>/<name>` in a line, quoted or not
_QUALIFIED = re.compile(r"(?<![\w./-])([a-z0-9][a-z0-9-]*)/([a-z0-9][a-z0-9.-]*[a-z0-9])(?![\w/-])")


def _parent_in_paste(f: dict, index) -> dict | None:
    """A line saying a Gateway is not found, naming one (namespace/name) the paste holds in
    full: the line is contradicted by the paste. Either the Gateway was never applied where the
    tool looked, or the tool does not read that kind: istioctl analyze's IST0101
    `Referenced gateway not found` for a VirtualService's gateways[] naming a Gateway API
    Gateway (pkg/config/analysis/analyzers/virtualservice/gateways.go looked up only
    networking.istio.io Gateways until istio/istio#60776, 2026-08; #60708). An info with the
    command that tells which."""
    for line in f.get("evidence") or []:
        for ns, name in _QUALIFIED.findall(str(line)):
            gw = index.get("Gateway", ns, name)
            if gw is not None and gw.get("spec") and gw.get("_source") not in ("fragment",
                                                                                "table"):
                command = f"kubectl get gateways.gateway.networking.k8s.io {name} -n {ns}"
                return finding(
                    "info", "controller_contradicts_spec", f["object"],
                    f"the pasted line says Gateway {ns}/{name} is not found, but the paste holds "
                    f"it (apiVersion {gw.get('apiVersion')}): if `{command}` shows it, the line "
                    "comes from a tool that does not read this kind (istioctl analyze before "
                    "istio/istio#60776 looked up only Istio's own Gateway for a VirtualService) "
                    "and nothing is wrong here; if it does not, apply the Gateway",
                    list(f.get("evidence") or []), f"run `{command}`; when it shows the "
                    "Gateway, the message is the tool's, upgrade istioctl; otherwise create it",
                    basis="inferred", confirm=command)
    return None


def _route_of(ref: dict, index) -> dict | None:
    """The route the finding is about, with its spec: by name, or, for a status pasted
    without a name (a describe block cut above Name:, or text), the paste's only route."""
    kind = ref.get("kind")
    if kind == "Text":  # the words or a status the kit kept as text: the paste's one route
        kinds = list(_ROUTE_KINDS_WITH_HOSTNAMES)
    elif kind in _ROUTE_KINDS_WITH_HOSTNAMES:
        kinds = [kind]
    else:
        return None
    with_spec = [o for k in kinds for o in index.of_kind(k)
                 if o.get("spec") and o.get("_source") not in ("fragment", "table")]
    if ref.get("name"):
        with_spec = [o for o in with_spec if meta(o, "name") == ref["name"] and
                     meta(o, "namespace") == ref.get("namespace", "")]
    return with_spec[0] if len(with_spec) == 1 else None


def _listeners_without_hostname(route: dict, index) -> bool:
    """Every listener the route's parentRefs reach is in the paste and sets no hostname."""
    listeners = []
    for ref in parent_refs(route):
        if (ref.get("kind") or "Gateway") != "Gateway":
            return False
        gw = index.get("Gateway", ref.get("namespace") or meta(route, "namespace"),
                       ref.get("name", ""))
        if gw is None or not (gw.get("spec") or {}).get("listeners"):
            return False
        listeners += [lst for lst in gw["spec"]["listeners"]
                      if not ref.get("sectionName") or lst.get("name") == ref["sectionName"]]
    return bool(listeners) and not any(lst.get("hostname") for lst in listeners)


# Gateway API v1.6.1 apis/v1/gateway_types.go GatewaySpec.Addresses: "If a value is set in the
# spec and the requested address is invalid or unavailable, the implementation MUST indicate
# this in an associated entry in GatewayStatus.Conditions" (Programmed False AddressNotAssigned
# or AddressNotUsable; Accepted False UnsupportedAddress), and it binds the listeners to every
# address it assigns and lists it in status.addresses. Another address published with none of
# those reasons: the implementation ignored the request (cilium/cilium#32865, Cilium 1.15;
# fixed by #33042).
_ADDRESS_REASONS = {"AddressNotAssigned", "AddressNotUsable", "UnsupportedAddress"}


def ignored_addresses(gw: dict) -> list[dict]:
    spec, status = gw.get("spec") or {}, gw.get("status") or {}
    wanted = {str(a.get("value")) for a in spec.get("addresses") or []
              if isinstance(a, dict) and a.get("value")}
    published = {str(a.get("value")) for a in status.get("addresses") or []
                 if isinstance(a, dict) and a.get("value")}
    reasons = {str(c.get("reason")) for c in status.get("conditions") or []
               if isinstance(c, dict)}
    if not wanted or not published or wanted & published or reasons & _ADDRESS_REASONS:
        return []
    return [finding("warning", "controller_contradicts_spec", gw,
                    f"Gateway {meta(gw, 'name') or '(unnamed)'} requests {', '.join(sorted(wanted))} "
                    f"(spec.addresses) but its controller published {', '.join(sorted(published))} "
                    "and the paste shows no AddressNotAssigned / AddressNotUsable / "
                    "UnsupportedAddress condition: the implementation ignores spec.addresses "
                    "(Extended support)",
                    [f"spec.addresses: {', '.join(sorted(wanted))}",
                     f"status.addresses: {', '.join(sorted(published))}"],
                    "check the implementation's docs for spec.addresses support, or upgrade "
                    "it (Cilium gained it with cilium/cilium#33042); meanwhile request the address through its own "
                    "means (a LoadBalancer IP annotation in its infrastructure parameters, an "
                    "IPAM pool)", basis="inferred",
                    confirm=f"kubectl get gateway {meta(gw, 'name') or 'GW'} -o jsonpath="
                    "'{.status.conditions}'")]

