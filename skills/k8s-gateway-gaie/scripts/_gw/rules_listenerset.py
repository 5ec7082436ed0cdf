"""ListenerSet (gateway.networking.k8s.io/v1, standard since Gateway API v1.5.0) and its
experimental predecessor XListenerSet (gateway.networking.x-k8s.io/v1alpha1, Gateway API
v1.3.0-v1.4.x): why its listeners are not on the Gateway.

Facts (sigs.k8s.io/gateway-api v1.6.3 apis/v1/listenerset_types.go, gateway_types.go):
- `spec.parentRef{group, kind (Gateway), namespace, name}` names ONE Gateway; the Gateway must
  opt in with `spec.allowedListeners.namespaces.from` All | Selector | Same | None (default
  None: no ListenerSet may attach) and `selector` for Selector.
- ListenerSet conditions Accepted (reasons Accepted, NotAllowed, ParentNotAccepted,
  ListenersNotValid, Invalid, Pending) and Programmed (Programmed, Invalid, Pending, ...);
  `Pending` with status Unknown = no controller reconciled it (the implementation may not
  support ListenerSet). The Gateway counts them in `status.attachedListenerSets`.
- Each listener's own conditions are in `status.listeners[]` (ListenerEntryStatus, as on a
  Gateway). Envoy Gateway v1.9.0 (internal/gatewayapi/listenerset.go
  ProcessListenerSetStatus) keeps Accepted=True, reason ListenersNotValid ("Some listeners
  are invalid") while any listener is accepted, and Programmed=True ("Some listeners are not
  programmed") while any is programmed: the listener that failed is told only there.
- Envoy Gateway v1.9.0 processes ListenerSets of accepted Gateways only
  (translator.go ProcessListenerSets(..., acceptedGateways)); on a ListenerSet whose parent
  it did not accept it writes Accepted=True "All listeners are accepted" over an empty
  `status.listeners` (seen live): the parent's own Accepted condition is the truth.
- XListenerSet (gateway-api v1.4.1 apisx/v1alpha1/xlistenerset_types.go l.59-119, 219-246,
  shared_types.go l.43-66) has the same shape: spec.parentRef (group default
  gateway.networking.k8s.io, kind default Gateway: the parent is the standard Gateway) and
  spec.listeners[]; status.conditions Accepted (l.361-379: Invalid, NotAllowed,
  ParentNotAccepted, ListenersNotValid; Unknown Pending) and Programmed, status.listeners[]
  ListenerEntryStatus. The Gateway field is the same `spec.allowedListeners.namespaces`
  (v1.4.1 apis/v1/gateway_types.go l.288, 322-354, experimental, default None). v1.4.x
  has no `status.attachedListenerSets` count (v1.5.0 gateway_types.go l.1035) but a
  Gateway condition AttachedListenerSets (v1.4.1 l.1264-1291: ListenerSetsAttached,
  NoListenerSetsAttached, ListenerSetsNotAllowed; the catalogue reads it). v1.5.0 dropped
  XListenerSet (no apisx/v1alpha1/xlistenerset_types.go).
"""
from __future__ import annotations

from k8s_skillkit.dump import ABSENT
from k8s_skillkit.findings import finding

from _gw import catalogue
from _gw.objects import (LISTENERSET_KINDS, cond_text, is_current, listenerset_parent, meta,
                         name_label_only, namespace_selected, scoped)
from _gw.reported import dedupe, listener_findings

# kind -> API group; the same schema under two names (see the module docstring)
KINDS = LISTENERSET_KINDS
REASON_CAUSE = {"NotAllowed": "listenerset_not_allowed",
                "ParentNotAccepted": "listenerset_parent_not_accepted",
                "ListenersNotValid": "listenerset_invalid", "Invalid": "listenerset_invalid",
                "Pending": "listenerset_not_reconciled"}
FIX = {
    "listenerset_not_allowed": "the Gateway must allow it: spec.allowedListeners.namespaces."
                               "from Same (same namespace), Selector (with a label on the "
                               "ListenerSet's namespace) or All; the default is None",
    "listenerset_parent_not_accepted": "fix the parent Gateway first (its Accepted "
                                       "condition says why)",
    "listenerset_invalid": "fix the listener the condition names (protocol, port, hostname, "
                           "TLS certificateRefs)",
    "listenerset_not_reconciled": "no controller serves it: check that the Gateway's "
                                  "implementation and GatewayClass support ListenerSet "
                                  "(standard since Gateway API v1.5.0; Istio's waypoint class "
                                  "does not) and that the CRD version is the one it reads",
}
# an XListenerSet nobody reconciles: an implementation built on v1.5.0+ reads ListenerSet
FIX_X = {"listenerset_not_reconciled": "no controller reconciled it: XListenerSet "
                                       "(gateway.networking.x-k8s.io/v1alpha1) is read only by "
                                       "implementations of the Gateway API v1.3-v1.4 "
                                       "experimental channel; v1.5.0 replaced it with "
                                       "ListenerSet (gateway.networking.k8s.io/v1): write it as "
                                       "a ListenerSet if the implementation supports v1.5+"}


def _cause(cond: dict) -> str:
    """A catalogued ListenerSet wording first: Istio writes NotAllowed for a GatewayClass
    without ListenerSet support (pilot/pkg/config/kube/gatewaycommon/conversion.go:380@HEAD),
    not only for a Gateway whose allowedListeners refuses it, so the reason alone misleads."""
    row = catalogue.match_wording(cond.get("message"), scopes=("listenerset",))
    if row is not None and row.fault and row.cause in FIX:
        return row.cause
    return REASON_CAUSE.get(str(cond.get("reason")), "listenerset_not_accepted")


def _cut_fault(cond: dict) -> bool:
    """A condition cut from its `type:` (kubectl prints a condition's keys sorted, so a copy
    that stops early keeps lastTransitionTime and message only) whose message is a
    catalogued ListenerSet fault: the wording alone says what failed."""
    if "type" in cond or "status" in cond:
        return False
    row = catalogue.match_wording(cond.get("message"), scopes=("listenerset",))
    return row is not None and row.fault and row.cause in FIX


def _fix(ls: dict, cause: str) -> str:
    fixes = FIX_X if ls.get("kind") == "XListenerSet" and cause in FIX_X else FIX
    return fixes.get(cause, "read the condition message")


def reported(index) -> list[dict]:
    """What the controller wrote on each ListenerSet: its own conditions, and each
    listener's conditions, which say which listener failed and why."""
    out = []
    for ls in (o for o in index.objects if o.get("kind") in KINDS):
        listeners = listener_findings(ls, (ls.get("status") or {}).get("listeners"))
        own = _own(ls)
        if listeners:  # the listeners' conditions say which one and why: keep those
            own = [f for f in own if f["cause"] != "listenerset_invalid"]
        out += own + listeners
    return dedupe(out)


def _own(ls: dict) -> list[dict]:
    said, out = set(), []
    # Accepted first; Programmed (gateway-api v1.5.0+ listenerset_types.go: reasons
    # Invalid, ListenersNotValid, Pending) when Accepted did not already say it. A True
    # condition with reason ListenersNotValid is a partly invalid ListenerSet (Envoy Gateway).
    conds = sorted((c for c in (ls.get("status") or {}).get("conditions") or []
                    if isinstance(c, dict) and is_current(ls, c) and (
                        c.get("type") in ("Accepted", "Programmed") and (
                            c.get("status") != "True" or c.get("reason") == "ListenersNotValid")
                        or _cut_fault(c))),
                   key=lambda c: c.get("type") != "Accepted")
    for cond in conds:
        cause = _cause(cond)
        if cause in said:
            continue
        said.add(cause)
        ctype = cond.get("type") or "condition"
        state = "partly" if cond.get("status") == "True" else "not"
        head = f"{state} {ctype.lower()}" if cond.get("type") else \
            "condition (paste cut before its Type/Status)"
        out.append(finding("error" if cause != "listenerset_not_reconciled" else
                           "warning", cause, ls, f"{ls['kind']} {head}: "
                           f"{cond_text(cond)}", [f"{ctype}: {cond_text(cond)}"],
                           _fix(ls, cause),
                           basis="reported"))
    return out


def check_listenerset(index, ls: dict) -> list[dict]:
    """Inferred from the parent Gateway's allowedListeners."""
    ref = (ls.get("spec") or {}).get("parentRef") or {}
    ns = ref.get("namespace") or meta(ls, "namespace")
    name = ref.get("name", "")
    found = index.presence("Gateway", ns, name)
    if found.state == ABSENT:
        return [finding("error", "parent_not_found", ls, f"parentRef names Gateway "
                        f"{ns}/{name}, which does not exist", [f"parentRef: {ns}/{name}"],
                        "point spec.parentRef at an existing Gateway", confirm=found.command)]
    gw = index.get("Gateway", ns, name)
    if gw is None:
        return []
    refused = _parent_refused(ls, gw)
    if refused:
        return refused
    allowed = ((gw.get("spec") or {}).get("allowedListeners") or {}).get("namespaces") or {}
    frm = allowed.get("from") or "None"
    ok = frm == "All" or (frm == "Same" and meta(ls, "namespace") == ns)
    if frm == "Selector":
        labels = index.namespace_labels(meta(ls, "namespace"))
        if labels is None:  # a selector on the name label alone is decided by the name
            labels = name_label_only(allowed.get("selector"), meta(ls, "namespace"))
        ok = None if labels is None else namespace_selected(allowed.get("selector"), labels)
    if ok:
        return []
    why = (f"Gateway {ns}/{name} allowedListeners.namespaces.from is {frm}"
           + (" (the default: no ListenerSet may attach)" if frm == "None" else ""))
    return [finding("error" if ok is False else "warning", "listenerset_not_allowed", ls,
                    f"{why}, so this {ls['kind']}'s listeners are not added", [why],
                    FIX["listenerset_not_allowed"], confirm=f"kubectl get {ls['kind'].lower()} "
                    f"{scoped(ls)} -o "
                    "jsonpath='{.status.conditions}'")]


def _parent_refused(ls: dict, gw: dict) -> list[dict]:
    """The parent Gateway's own Accepted=False: no listener of the ListenerSet is served,
    whatever the ListenerSet's status says (see the module docstring for Envoy Gateway)."""
    accepted = next((c for c in (gw.get("status") or {}).get("conditions") or []
                     if isinstance(c, dict) and c.get("type") == "Accepted"), None)
    if not accepted or accepted.get("status") != "False" or not is_current(gw, accepted):
        return []
    gw_name = f"{meta(gw, 'namespace')}/{meta(gw, 'name')}"
    evidence = [f"Gateway {gw_name} Accepted: {cond_text(accepted)}"]
    mine = next((c for c in (ls.get("status") or {}).get("conditions") or []
                 if isinstance(c, dict) and c.get("type") == "Accepted"), None)
    if mine and mine.get("status") == "True":
        entries = len((ls.get("status") or {}).get("listeners") or [])
        evidence.append(f"the {ls['kind']}'s own Accepted=True ({cond_text(mine)}) lists "
                        f"{entries} of {len((ls.get('spec') or {}).get('listeners') or [])} "
                        "listener(s) in status.listeners: the controller did not process "
                        "them")
    return [finding("error", "listenerset_parent_not_accepted", ls,
                    f"parent Gateway {gw_name} is not accepted, so this {ls['kind']}'s "
                    "listeners are not served", evidence,
                    FIX["listenerset_parent_not_accepted"],
                    confirm=f"kubectl get gateway {scoped(gw)}"
                            " -o jsonpath='{.status.conditions}'")]


def detached(index, ls: dict) -> dict | None:
    """Why the ListenerSet's listeners are not on its Gateway, for a route that attaches
    through it: its own current Accepted condition (False, or Unknown/Pending), else what
    its parent implies (missing, not accepted, allowedListeners refuses it). None when
    nothing says it is detached. Envoy Gateway v1.9.0 writes no route status at all for a
    parentRef to a ListenerSet it did not attach (internal/gatewayapi/helpers.go
    GetReferencedListeners matches only listeners of processed ListenerSets;
    route.go processAllowedListenersForParentRefs skips a ref it did not match), so this
    is the only account the route gets."""
    accepted = next((c for c in (ls.get("status") or {}).get("conditions") or []
                     if isinstance(c, dict) and c.get("type") == "Accepted"
                     and is_current(ls, c)), None)
    if accepted is not None and accepted.get("status") != "True":
        cause = REASON_CAUSE.get(str(accepted.get("reason")), "listenerset_not_accepted")
        return {"cause": cause, "basis": "reported",
                "severity": "warning" if cause == "listenerset_not_reconciled" else "error",
                "why": cond_text(accepted), "fix": _fix(ls, cause)}
    gw = index.get("Gateway", *listenerset_parent(ls))
    found = _parent_refused(ls, gw) if gw is not None else []
    if accepted is None:
        found = found or check_listenerset(index, ls)
    for f in found:
        if f["severity"] in ("error", "warning"):
            return {"cause": f["cause"], "basis": "inferred", "severity": f["severity"],
                    "why": f["message"], "fix": f["fix"]}
    return None
