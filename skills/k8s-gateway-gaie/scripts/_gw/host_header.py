"""A route's RequestHeaderModifier that sets or adds the Host header, on an Envoy gateway.

Envoy does not let a header mutation change the Host header or a ':' pseudo-header: Envoy
Gateway refuses such a filter itself (Accepted=False UnsupportedValue, `The
RequestHeaderModifier filter cannot set the Host header ... To modify the Host header use the
URLRewrite or the HTTPRouteFilter filter.`; envoyproxy/gateway v1.9.0
internal/gatewayapi/filters.go:495-552, isModifiableHeader :641-645 "Envoy does not allow
modification the pseudo headers and the host header"). A control plane that passes it on to
Envoy sends a route config Envoy refuses (an xDS NACK): Envoy keeps its previous config, so
the Host is not changed and every later change of the Gateway API objects stops applying
too. The fix is the route's URLRewrite filter with `hostname`, which Envoy applies as the
upstream host (gateway-api v1.6.3 apis/v1/httproute_types.go HTTPURLRewriteFilter.Hostname).

Read from the route objects in the dump, else from a pasted `filters:` fragment (YAML block
or flow style, or JSON). Reported wordings (Envoy Gateway's status, an xDS NACK) are read
elsewhere and win: this rule only infers.

>>> _host_set_in_text(["- requestHeaderModifier:", "    set:", "      - name: Host",
...                    "        value: a.example", "  type: RequestHeaderModifier"])
'set'
>>> _host_set_in_text(["requestHeaderModifier:", "  set:", "  - name: X-Env", "    value: a",
...                    "  remove: [Host]"]) is None
True
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from k8s_skillkit.findings import finding

from _gw.objects import meta

_ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
_MODIFIER_KEY = re.compile(r"^(?P<lead>\s*(?:-\s+)?)[\"']?requestHeaderModifier[\"']?\s*:\s*$",
                           re.IGNORECASE)
_OP_KEY = re.compile(r"^\s*(?:-\s+)?[\"']?(?P<op>set|add|remove)[\"']?\s*:\s*(?P<rest>.*)$",
                     re.IGNORECASE)
_HOST_NAME = re.compile(r"\bname[\"']?\s*:\s*[\"']?host[\"']?\s*(?:[,}\n]|$)", re.IGNORECASE)
# JSON (kubectl -o json) or one-line flow style
_JSON_HOST = re.compile(r"[\"']?requestHeaderModifier[\"']?\s*:\s*\{[^{}]*?[\"']?(?P<op>set|add)"
                        r"[\"']?\s*:\s*\[[^\]]*?[\"']?name[\"']?\s*:\s*[\"']?host[\"'\s,}]",
                        re.IGNORECASE)
# implementations that take a Host set: NGINX (NGINX Gateway Fabric, Kong) and Traefik and
# HAProxy proxy with their own header handling; istiod turns a Host (or :authority) set into
# the route's authority rewrite (istio 1.29.6 pilot/pkg/networking/core/route/route.go:
# 978-981, isAuthorityHeader :1016-1017; since istio/istio#31852). Named alone, the rule
# stays silent.
_TAKES_HOST = re.compile(r"nginx|\btraefik\b|\bhaproxy\b|\bkong\b|\bistio",
                         re.IGNORECASE)
# the ones that pass it to Envoy or refuse it: Envoy Gateway, Cilium
_PASSES_HOST = re.compile(r"envoy ?gateway|gateway\.envoyproxy\.io|\begctl\b|\bcilium\b",
                          re.IGNORECASE)
# the user's words that later changes stopped taking effect (Envoy kept its last good config)
_STOPPED_APPLYING = re.compile(
    r"\b(?:changes?|updates?|modifications?|edits?)\b[^.\n]{0,80}?\b(?:(?:are|is|were|was|do|"
    r"does|did)(?:\s*n't|\s+not)|not|never|no\s+longer)\s+(?:being\s+|getting\s+|get\s+)?"
    r"(?:reflected|applied|propagated|picked\s+up|tak(?:e|ing)\s+effect|pushed)"
    r"|\bstopp?(?:ed|s)?\s+(?:applying|updating|reconciling|taking\s+effect)", re.IGNORECASE)
_CONFIRM = ("kubectl logs -n <gateway namespace> <envoy proxy pod> | grep -i rejected "
            "(Cilium: kubectl -n kube-system logs ds/cilium-envoy | grep -i rejected)")
_ROUTE_CONFIRM = ("kubectl get httproute,grpcroute -A -o yaml (the route's Accepted condition; "
                  "Envoy Gateway refuses it as UnsupportedValue)")
_FIX = ("remove Host from the RequestHeaderModifier (Envoy does not let a header mutation "
        "change Host or a ':' pseudo-header) and set the upstream host with a URLRewrite "
        "filter instead: filters: [{type: URLRewrite, urlRewrite: {hostname: <host>}}]")


def findings(raw: Iterable[object] | None, index: Any,
             reported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if any(f["cause"] in ("unsupported_filter", "xds_config_rejected") for f in reported):
        return []       # a status or a NACK already says it
    lines = [str(line) for line in raw or []]
    text = "\n".join(lines)
    if _TAKES_HOST.search(text) and not _PASSES_HOST.search(text):
        return []
    hit = _host_set_in_objects(index)
    if hit is None:
        op = _host_set_in_text(lines)
        hit = ({"kind": "Text", "name": "paste"}, f"{op}s Host") if op else None
    if hit is None:
        return []
    obj, where = hit
    said = [m.group(0).strip() for m in _STOPPED_APPLYING.finditer(text)][:1]
    evidence = [f"a RequestHeaderModifier filter {where}"] + said
    out: list[dict[str, Any]] = []
    if said:
        out.append(finding(
            "error", "xds_config_rejected", obj,
            "a RequestHeaderModifier changes the Host header, which Envoy refuses: the route "
            "config it was sent is rejected (an xDS NACK) and Envoy keeps its previous one, "
            "so this and every later change stop applying", evidence, _FIX, confirm=_CONFIRM))
    out.append(finding(
        "error", "unsupported_filter", obj,
        "a RequestHeaderModifier sets or adds the Host header: Envoy-based gateways do not "
        "support a header modifier on Host (use URLRewrite.hostname)", evidence, _FIX,
        confirm=_ROUTE_CONFIRM))
    return out


def in_text(lines: list[str]) -> bool:
    """A pasted requestHeaderModifier that sets or adds Host: a paste this rule reads."""
    return _host_set_in_text([str(line) for line in lines]) is not None


def _host_set_in_objects(index: Any) -> tuple[dict[str, Any], str] | None:
    for kind in _ROUTE_KINDS:
        for route in index.of_kind(kind):
            for rule in (route.get("spec") or {}).get("rules") or []:
                places = [rule] + list(rule.get("backendRefs") or [])
                for place in places:
                    for flt in place.get("filters") or []:
                        op = _host_op((flt or {}).get("requestHeaderModifier") or {})
                        if op:
                            return route, f"{op}s Host ({kind} {meta(route, 'name')})"
    return None


def _host_op(modifier: dict[str, Any]) -> str:
    for op in ("set", "add"):
        for header in modifier.get(op) or []:
            if str((header or {}).get("name", "")).strip().lower() == "host":
                return op
    return ""


def _host_set_in_text(lines: list[str]) -> str | None:
    """`set` or `add` when a pasted requestHeaderModifier block sets or adds Host."""
    hit = _JSON_HOST.search(" ".join(lines))
    if hit:
        return hit.group("op").lower()
    for i, line in enumerate(lines):
        key = _MODIFIER_KEY.match(line)
        if key is None:
            continue
        op = _op_in_block(lines[i + 1:], len(key.group("lead")))
        if op:
            return op
    return None


def _op_in_block(lines: list[str], indent: int) -> str | None:
    op = ""
    for line in lines:
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= indent:
            return None         # the block ended
        key = _OP_KEY.match(line)
        if key is not None:
            op = key.group("op").lower()
            line = key.group("rest")
        if op in ("set", "add") and _HOST_NAME.search(line):
            return op
    return None
