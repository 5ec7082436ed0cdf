"""Gateway conditions written by a controller that says it does not implement the class.

Two controllers can write one Gateway's status: the one whose GatewayClass it names, and
another that reconciles every Gateway it sees. A condition whose own message says its writer
does not implement the Gateway's class ("gateway class nginx is not implemented", written as
Programmed=False Invalid by the GKE Gateway controller on a Gateway NGINX Gateway Fabric
serves: nginx/nginx-gateway-fabric#4645) is that writer disclaiming the Gateway, not a
verdict on it. Its message-less False conditions beside it (that writer's own Ready and
domain-prefixed types there) say nothing more. They are set aside as one info finding, and
only when the same status shows the Gateway served (Accepted=True or an address): with no
sign of a serving controller, the Gateway may have none, and the conditions stay findings.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _gw.objects import cond_text

_NOT_IMPLEMENTED = re.compile(r"\bgateway ?class\s+\\?[\"']?(?P<cls>[\w.-]+)\\?[\"']?\s+is\s+"
                              r"not\s+implemented\b", re.IGNORECASE)

_FIX = ("a controller that does not implement this Gateway's class also writes its status "
        "(its condition says so): read the conditions the class's own controller writes "
        "(kubectl get gateway NAME -n NAMESPACE -o yaml --show-managed-fields names the "
        "manager of each condition) and test the data plane; stop the other controller from "
        "reconciling Gateways of classes it does not own (its feature flag or release), so "
        "the status is not overwritten")


def disclaimed(gw: dict, conditions) -> tuple[list[dict], list]:
    """(the conditions the disclaiming writer owns, the others); ([], conditions) when no
    condition disclaims the Gateway or nothing in its status shows it served."""
    conds = [c for c in conditions or [] if isinstance(c, dict)]
    own_class = str((gw.get("spec") or {}).get("gatewayClassName") or "")
    disclaims = [c for c in conds if _disclaims(c, own_class)]
    if not disclaims or not _served(gw, conds):
        return [], list(conditions or [])
    foreign = [c for c in conds if c in disclaims or (
        str(c.get("status")) == "False" and not str(c.get("message") or "").strip())]
    return foreign, [c for c in conditions or [] if c not in foreign]


def _disclaims(cond: dict, own_class: str) -> bool:
    hit = _NOT_IMPLEMENTED.search(" ".join(str(cond.get("message") or "").split()))
    return bool(hit) and (not own_class or hit.group("cls") == own_class)


def _served(gw: dict, conds: list[dict]) -> bool:
    status = gw.get("status") or {}
    return bool(status.get("addresses")) or any(
        c.get("type") == "Accepted" and str(c.get("status")) == "True" for c in conds)


def finding_for(gw: dict, foreign: list[dict]) -> dict:
    return finding("info", "stale_status", gw,
                   "Gateway conditions written by a controller that says it does not "
                   "implement this Gateway's class: not evidence about the Gateway (its status "
                   "shows it accepted or addressed by its own controller)",
                   [cond_text(c) for c in foreign], _FIX, basis="reported",
                   confirm="kubectl get gateway NAME -n NAMESPACE -o yaml --show-managed-fields")
