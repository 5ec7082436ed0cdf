"""Route status.parents entries for parents the route's spec no longer names.

Each `status.parents[]` entry "corresponds with a ParentRef in the spec that this
RouteParentStatus struct describes the status of", and controllers "should ensure that
entries to status populated with their ControllerName are cleaned up when they are no longer
necessary" (gateway-api v1.6.3 apis/v1/shared_types.go:484-485, :499-501). An entry whose
parentRef matches no `spec.parentRefs` entry is therefore a leftover from an earlier spec: the
route is not served by that parent whatever its conditions say. Envoy Gateway keeps such
entries (internal/provider/kubernetes/status.go:695-720@v1.9.0, mergeRouteParentStatus "Keep
all old parent statuses, regardless of controller"; envoyproxy/gateway#774 after a parentRef
edit, #6933 after a Gateway was dropped from parentRefs; #9023 is said to report the v1.5.1
fix reverted, thread not read here: the v1.9.0 merge above keeps them); tools that read
status (external-dns, envoyproxy/gateway#5656; dashboards counting attached parents) then act
on a parent the route left.

Only a route whose spec.parentRefs the paste shows is judged: a status pasted alone, or a spec
cut before its parentRefs, says nothing about which parents the route names now. Pasted as
pieces (an issue's steps: the status, then "edit the route to" and a `parentRefs:` block, then
the status again), only a status shown after the parentRefs block is judged against it: one
shown before may be the state before the edit. An entry of that later status cut before its
parentRef is the earlier entry when a condition of it carries the earlier entry's
lastTransitionTime (metav1.Condition: "the last time the condition transitioned from one
status to another", apimachinery pkg/apis/meta/v1/types.go): an entry written for a new
parent after the edit has a condition of its own time.
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.findings import finding

from _gw.objects import GW_GROUP, cond_text, describe_ref, meta, parent_refs

_FIX = ("the controller kept a status entry for a parent the route no longer names (the "
        "Gateway API asks it to remove entries it no longer needs): the route is not attached "
        "there whatever that entry says, and what reads status (external-dns, dashboards of "
        "attached parents) acts on it. Read only the entries of spec.parentRefs; remove the "
        "leftover (kubectl patch {kind} {name} -n {ns} --subresource=status --type=json "
        "-p '[{{\"op\":\"remove\",\"path\":\"/status/parents/INDEX\"}}]') and report it to "
        "the implementation (Envoy Gateway: envoyproxy/gateway#6933)")


def orphaned(route: dict[str, Any]) -> list[dict[str, Any]]:
    """The status.parents entries whose parentRef names no spec.parentRefs entry; [] when
    the route shows no spec.parentRefs.

    >>> r = {"spec": {"parentRefs": [{"name": "a"}]},
    ...      "status": {"parents": [{"parentRef": {"name": "a"}}, {"parentRef": {"name": "b"}}]}}
    >>> [e["parentRef"]["name"] for e in orphaned(r)]
    ['b']
    """
    refs = parent_refs(route)
    if not refs:
        return []
    entries = (route.get("status") or {}).get("parents") or []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("parentRef"), dict)
            and e["parentRef"].get("name")
            and not any(_same_parent(route, e["parentRef"], ref) for ref in refs)]


def _same_parent(route: dict[str, Any], pref: dict[str, Any], ref: dict[str, Any]) -> bool:
    """The entry's parentRef names the spec ref's parent. Optional fields count as equal when
    either side leaves them out (a controller may write them filled in or not), and so does a
    namespace when the paste leaves the route's own namespace out."""
    own_ns = meta(route, "namespace")
    group = GW_GROUP if pref.get("group") is None else pref["group"]
    return (str(pref.get("name")) == ref["name"]
            and (pref.get("kind") or "Gateway") == ref["kind"]
            and group == ref["group"]
            and _loose(pref.get("namespace") or own_ns, ref["namespace"])
            and _loose(pref.get("sectionName"), ref.get("sectionName"))
            and _loose(pref.get("port"), ref.get("port")))


def _loose(a: Any, b: Any) -> bool:
    return a in (None, "") or b in (None, "") or str(a) == str(b)


def finding_for(route: dict[str, Any], leftovers: list[dict[str, Any]]) -> dict[str, Any]:
    named = [_describe(route, e["parentRef"]) for e in leftovers]
    evidence = [f"status.parents[] parentRef {n}: not in spec.parentRefs"
                + (f" (written by {e['controllerName']})" if e.get("controllerName") else "")
                + (f" ({e[_SAME_AS]})" if e.get(_SAME_AS) else "")
                for n, e in zip(named, leftovers)]
    evidence.append("spec.parentRefs: " + ", ".join(_describe(route, r)
                                                    for r in parent_refs(route)))
    evidence += [cond_text(c) for e in leftovers if not e.get(_SAME_AS)
                 for c in e.get("conditions") or [] if isinstance(c, dict)][:3]
    kind = str(route.get("kind") or "httproute").lower()
    name = meta(route, "name") if meta(route, "name") and not _pasted(route) else "NAME"
    ns = meta(route, "namespace") or "NAMESPACE"
    entries = "1 entry" if len(leftovers) == 1 else f"{len(leftovers)} entries"
    out: dict[str, Any] = finding(
        "warning", "stale_status", route,
        f"status.parents keeps {entries} for a parent spec.parentRefs no longer names "
        f"({', '.join(named)}): left over from an earlier spec, not the route's state",
        evidence, _FIX.format(kind=kind, name=name, ns=ns), basis="reported",
        confirm=f"kubectl get {kind} {name} -n {ns} -o jsonpath="
                "'{.spec.parentRefs}{\"\\n\"}{.status.parents[*].parentRef}'")
    return out


def _pasted(route: dict[str, Any]) -> bool:
    return str(meta(route, "name")).startswith("(")


def _describe(route: dict[str, Any], pref: dict[str, Any]) -> str:
    """describe_ref, without the `/` of a namespace the paste does not give."""
    return describe_ref({"group": GW_GROUP if pref.get("group") is None else pref["group"],
                         "kind": pref.get("kind") or "Gateway",
                         "namespace": pref.get("namespace") or meta(route, "namespace"),
                         "name": pref.get("name"), "sectionName": pref.get("sectionName"),
                         "port": pref.get("port")}).replace(" /", " ", 1)


# the entries of route parent statuses carry controllerName (gateway-api RouteParentStatus);
# an InferencePool's parent status (GAIE v1 ParentStatus) has none
_ROUTE_WRITER = "controllerName"
# how an entry cut before its parentRef was told apart (evidence)
_SAME_AS = "_same_as"


def fragment_findings(fragments: list[Any]) -> list[dict[str, Any]]:
    """Route statuses pasted after a `parentRefs:` block (a route's spec piece) whose entries
    name a parent that block does not (see the module docstring)."""
    refs: list[dict[str, Any]] | None = None
    earlier: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for frag in fragments or []:
        if not isinstance(frag, dict):
            continue
        spec_refs = _spec_refs(frag)
        if spec_refs:
            refs = spec_refs
            continue
        entries = _status_entries(frag)
        if refs is None:
            earlier += entries
            continue
        route = {"kind": "HTTPRoute", "metadata": {"name": "(pasted status)", "namespace": ""},
                 "spec": {"parentRefs": refs}}
        known = [e for e in (_identified(e, earlier) for e in entries) if e is not None]
        leftovers = [e for e in known if e.get(_ROUTE_WRITER)
                     and not any(_same_parent(route, e["parentRef"], r)
                                 for r in parent_refs(route))]
        if leftovers:
            out.append(finding_for(route, leftovers))
    return out


def _spec_refs(frag: dict[str, Any]) -> list[dict[str, Any]]:
    """A kind-less `parentRefs:` list, or a `spec:` holding one."""
    spec = frag.get("spec")
    holder: dict[str, Any] = spec if isinstance(spec, dict) else frag
    refs = holder.get("parentRefs")
    return [r for r in refs if isinstance(r, dict) and r.get("name")] \
        if isinstance(refs, list) else []


def _status_entries(frag: dict[str, Any]) -> list[dict[str, Any]]:
    got = frag.get("status")
    status: dict[str, Any] = got if isinstance(got, dict) else frag
    return [e for e in status.get("parents") or [] if isinstance(e, dict)]


def _identified(entry: dict[str, Any], earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The entry with its parentRef; one cut before it takes the parentRef and writer of the
    earlier entry a condition's lastTransitionTime shows it is."""
    if isinstance(entry.get("parentRef"), dict) and entry["parentRef"].get("name"):
        return entry
    times = _times(entry)
    for old in earlier:
        if times & _times(old) and isinstance(old.get("parentRef"), dict):
            when = sorted(times & _times(old))[0]
            return dict(entry, parentRef=old["parentRef"],
                        controllerName=entry.get(_ROUTE_WRITER) or old.get(_ROUTE_WRITER),
                        **{_SAME_AS: f"cut before its parentRef; its condition's "
                                     f"lastTransitionTime {when} is that of the entry pasted "
                                     "before the parentRefs"})
    return None


def _times(entry: dict[str, Any]) -> set[str]:
    return {str(c["lastTransitionTime"]) for c in entry.get("conditions") or []
            if isinstance(c, dict) and c.get("lastTransitionTime")}
