"""ListenerSet (gateway.networking.k8s.io/v1, standard in Gateway API v1.6): why its
listeners are not on the Gateway.

Facts (sigs.k8s.io/gateway-api v1.6.3 apis/v1/listenerset_types.go, gateway_types.go):
- `spec.parentRef{group, kind (Gateway), namespace, name}` names ONE Gateway; the Gateway must
  opt in with `spec.allowedListeners.namespaces.from` All | Selector | Same | None (default
  None: no ListenerSet may attach) and `selector` for Selector.
- ListenerSet conditions Accepted (reasons Accepted, NotAllowed, ParentNotAccepted,
  ListenersNotValid, Invalid, Pending) and Programmed (Programmed, Invalid, Pending, ...);
  `Pending` with status Unknown = no controller reconciled it (the implementation may not
  support ListenerSet). The Gateway counts them in `status.attachedListenerSets`.
"""
from __future__ import annotations

from k8s_skillkit.dump import ABSENT
from k8s_skillkit.findings import finding

from _gw.objects import cond_text, meta, namespace_selected

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
    "listenerset_not_reconciled": "no controller reconciled it: check that the Gateway's "
                                  "implementation supports ListenerSet (Gateway API v1.6 "
                                  "standard) and that the CRD version is the one it reads",
}


def reported(index) -> list[dict]:
    """What the controller wrote on each ListenerSet."""
    out = []
    for ls in index.of_kind("ListenerSet"):
        said = set()
        # Accepted first; Programmed (gateway-api v1.5.0+ listenerset_types.go: reasons
        # Invalid, ListenersNotValid, Pending) when Accepted did not already say it
        conds = sorted((c for c in (ls.get("status") or {}).get("conditions") or []
                        if isinstance(c, dict) and c.get("type") in ("Accepted", "Programmed")
                        and c.get("status") != "True"), key=lambda c: c["type"] != "Accepted")
        for cond in conds:
            cause = REASON_CAUSE.get(str(cond.get("reason")), "listenerset_not_accepted")
            if cause in said:
                continue
            said.add(cause)
            ctype = cond["type"]
            out.append(finding("error" if cause != "listenerset_not_reconciled" else
                               "warning", cause, ls, f"ListenerSet not {ctype.lower()}: "
                               f"{cond_text(cond)}", [f"{ctype}: {cond_text(cond)}"],
                               FIX.get(cause, "read the condition message"),
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
    allowed = ((gw.get("spec") or {}).get("allowedListeners") or {}).get("namespaces") or {}
    frm = allowed.get("from") or "None"
    ok = frm == "All" or (frm == "Same" and meta(ls, "namespace") == ns)
    if frm == "Selector":
        labels = index.namespace_labels(meta(ls, "namespace"))
        ok = None if labels is None else namespace_selected(allowed.get("selector"), labels)
    if ok:
        return []
    why = (f"Gateway {ns}/{name} allowedListeners.namespaces.from is {frm}"
           + (" (the default: no ListenerSet may attach)" if frm == "None" else ""))
    return [finding("error" if ok is False else "warning", "listenerset_not_allowed", ls,
                    f"{why}, so this ListenerSet's listeners are not added", [why],
                    FIX["listenerset_not_allowed"], confirm=f"kubectl get listenerset "
                    f"{meta(ls, 'name')} -n {meta(ls, 'namespace')} -o "
                    "jsonpath='{.status.conditions}'")]
