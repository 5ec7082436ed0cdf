"""A route match of type RegularExpression whose value is no regular expression at all.

The Gateway API leaves the dialect to the implementation ("implementations can support POSIX,
PCRE, RE2 or any other regular expression dialect", gateway-api apis/v1/httproute_types.go
PathMatchRegularExpression:515-525@4564255a, the same for header, query parameter and GRPCRoute
method matches). Envoy-based gateways hand the value to Envoy's RE2 matcher, which refuses a
config with an invalid pattern (a NACK): the proxy keeps its previous config while the route may
still say Accepted=True. Envoy Gateway before v1.0 accepted a leading `*`
(envoyproxy/gateway#2343; #2344 validates with Go's regexp, RE2 syntax:
internal/utils/regex/regex.go Validate, internal/gatewayapi/route.go:1249@d32f2829, and sets
Accepted=False since). Only the errors every dialect shares are read here (a repetition operator
with nothing before it, an unclosed group or character class), so a pattern valid in some
dialect is never called invalid; an Accepted=False parent already reports it. Inferred: the
proxy's log shows the NACK.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

from _gw.objects import GW_GROUP, group_of, is_current, meta

# Python's sre messages for the errors RE2 (`missing argument to repetition operator`,
# `missing )`, `missing ]`), PCRE and POSIX ERE share
_EVERY_DIALECT = ("nothing to repeat", "missing ), unterminated subpattern",
                  "unbalanced parenthesis", "unterminated character set")
_KINDS = ("HTTPRoute", "GRPCRoute")


def findings(index) -> list[dict[str, Any]]:
    out = []
    for route in index.objects:
        if route.get("kind") not in _KINDS or group_of(route) != GW_GROUP:
            continue
        bad = [(where, value, why) for where, value in _regex_values(route)
               if (why := _invalid(value))]
        accepted = _accepted_parents(route)
        if bad and accepted:
            out.append(_finding(route, bad[0], accepted[0]))
    return out


def _regex_values(route: dict):
    for i, rule in enumerate((route.get("spec") or {}).get("rules") or []):
        for j, match in enumerate((rule or {}).get("matches") or []):
            if not isinstance(match, dict):
                continue
            where = f"rules[{i}].matches[{j}]"
            for field in ("path", "method"):
                m = match.get(field)
                if isinstance(m, dict) and m.get("type") == "RegularExpression":
                    for key in ("value", "service", "method"):
                        if isinstance(m.get(key), str):
                            yield f"{where}.{field}.{key}", m[key]
            for field in ("headers", "queryParams"):
                for k, m in enumerate(match.get(field) or []):
                    if isinstance(m, dict) and m.get("type") == "RegularExpression" and \
                            isinstance(m.get("value"), str):
                        yield f"{where}.{field}[{k}].value", m["value"]


def _invalid(value: str) -> str:
    if value.startswith("(*"):
        return ""  # PCRE's start-of-pattern options and verbs, `(*UTF8)`
    try:
        re.compile(value)
    except re.error as err:
        msg = str(err.msg if hasattr(err, "msg") else err)
        return msg if msg.startswith(_EVERY_DIALECT) else ""
    return ""


def _accepted_parents(route: dict) -> list[dict]:
    out = []
    for parent in ((route.get("status") or {}).get("parents") or []):
        if not isinstance(parent, dict):
            continue
        for cond in parent.get("conditions") or []:
            if isinstance(cond, dict) and cond.get("type") == "Accepted" and \
                    str(cond.get("status")) == "True" and is_current(route, cond):
                out.append(parent)
    return out


def _finding(route: dict, bad: tuple[str, str, str], parent: dict) -> dict[str, Any]:
    where, value, why = bad
    gw = str((parent.get("parentRef") or {}).get("name") or "<gateway>")
    ns = str((parent.get("parentRef") or {}).get("namespace") or meta(route, "namespace"))
    controller = str(parent.get("controllerName") or "")
    if "envoyproxy.io" in controller:
        confirm = (f"kubectl logs -n envoy-gateway-system -l gateway.envoyproxy.io/"
                   f"owning-gateway-name={gw} --tail=500 | grep -i rejected")
    else:
        confirm = (f"kubectl logs -n {ns} -l gateway.networking.k8s.io/gateway-name={gw} "
                   "--tail=500 | grep -i rejected")
    return finding(
        "error", "xds_config_rejected", route,
        f"{where} is type RegularExpression but {value!r} is not a regular expression in any "
        f"dialect ({why}); the route still says Accepted=True"
        + (f" ({controller})" if controller else "") + ": an Envoy-based data plane (RE2) "
        "refuses the route config built from it and keeps its previous one, so this route "
        "(and any change made with it) is not served",
        [f"{where}: {value!r}", "Accepted=True"],
        "write a valid pattern (a leading `*` needs something to repeat: `.*\\.example\\.com`, "
        "or use PathPrefix / Exact); upgrade a controller that accepted it (Envoy Gateway >= "
        "v1.0 validates the pattern and sets Accepted=False)",
        basis="inferred", confirm=confirm)
