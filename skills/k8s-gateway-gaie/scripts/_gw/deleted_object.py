"""A controller's "gateway not found" log line right after the user deleted that Gateway.

A controller keeps reconciling what a deleted Gateway leaves (its managed Service and
Deployment are removed a moment later, by garbage collection) and may log the lookup of the
owner as an error: Envoy Gateway's findOwningGateway logged `ERROR ... gateway not found
{"error": "Gateway.gateway.networking.k8s.io \"<name>\" not found"}` until PR #1364 made it an
info ("not an error case", envoyproxy/gateway#1347). That line is not a route whose parent is
missing. It is read so only when all of this holds:
- the line is a controller's log record (a log level beside it), not a route's condition;
- the user says they deleted a Gateway (`kubectl delete gateway`, "delete the gateway");
- no route in the paste still names that Gateway in its parentRefs (then it is a real
  parent_not_found and stays one).
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _gw.objects import ROUTE_KINDS, parent_refs

_LOG_LEVEL = re.compile(r"(?:^|\s)(?:ERROR|error|level=error|\"level\":\"error\")(?:\s|$)|"
                        r"^E\d{4} ")
_GATEWAY_NOT_FOUND = re.compile(r'gateways?(?:\.gateway\.networking\.k8s\.io)? \\?"'
                                r'(?P<name>[\w.-]+)\\?" not found|\bgateway not found\b',
                                re.IGNORECASE)
_DELETED = re.compile(r"\bdelet(?:e|ed|es|ing)\b[^.\n]{0,40}?\b(?:gateways?|gtw)\b|"
                      r"\bkubectl\s+delete\s+(?:gateways?|gtw)\b|\bgateways?\b[^.\n]{0,20}?\b"
                      r"(?:was|were|got|is|been)\s+deleted\b", re.IGNORECASE)


def reclassify(findings: list[dict], raw: list, index) -> list[dict]:
    """parent_not_found read from a controller's log after the user deleted the Gateway ->
    an info reconcile_after_delete."""
    text = "\n".join(str(line) for line in raw or [])
    if not _DELETED.search(text):
        return findings
    return [_after_delete(f, text, index) or f for f in findings]


def _after_delete(f: dict, text: str, index) -> dict | None:
    if f["cause"] != "parent_not_found" or f["object"].get("kind") != "Text":
        return None
    lines = [str(e) for e in f.get("evidence") or []]
    hits = [(line, _GATEWAY_NOT_FOUND.search(line)) for line in lines if _LOG_LEVEL.search(line)]
    hits = [(line, hit) for line, hit in hits if hit]
    if not hits:
        return None
    names = {hit.group("name") for _, hit in hits if hit.group("name")}
    if any(_names_parent(route, names) for kind in ROUTE_KINDS for route in index.of_kind(kind)):
        return None
    return finding(
        "info", "reconcile_after_delete", f["object"],
        "a controller logged that a Gateway is not found just after you deleted it: it was "
        "reconciling the Gateway's leftover Service/Deployment (removed a moment later), not a "
        "route that lost its parent; nothing is wrong (envoyproxy/gateway#1347, logged as info "
        "since PR #1364)", lines,
        "nothing to fix; if the line keeps repeating minutes later, check the Gateway's managed "
        "Service and Deployment were deleted (kubectl get svc,deploy -A | grep <gateway name>)", basis="inferred",
        confirm="kubectl get gateways -A")


def _names_parent(route: dict, names: set[str]) -> bool:
    refs = [r for r in parent_refs(route) if (r.get("kind") or "Gateway") == "Gateway"]
    return any(not names or r.get("name") in names for r in refs)
