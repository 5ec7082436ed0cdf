"""One pass over the objects: index by kind, owner of each pod, events by object, node usage.

Built for size: 50,000 pods and 20,000 events are indexed in well under a second.
"""
from __future__ import annotations

from collections import defaultdict

from k8s_skillkit.quantity import parse_quantity

TERMINAL = ("Succeeded", "Failed")
_QCACHE: dict = {}


def quantity(value):
    """parse_quantity, memoised: a big cluster repeats the same few request strings."""
    key = (type(value), value)
    try:
        return _QCACHE[key]
    except KeyError:
        _QCACHE[key] = result = parse_quantity(value)
        return result
    except TypeError:
        return parse_quantity(value)


def meta(obj: dict, key: str, default=""):
    return (obj.get("metadata") or {}).get(key) or default


class Cluster:
    """Raw dicts, indexed. `scope_ns` is the namespace triaged (None = every namespace)."""

    def __init__(self, objects: list[dict], scope_ns: str | None = None,
                 live: bool = False, kinds_read=()):
        self.scope_ns = scope_ns
        self.live = live
        self.kinds_read = set(kinds_read)  # read live: an empty list still proves absence
        self.by_kind: dict[str, list[dict]] = defaultdict(list)
        for obj in objects:
            if isinstance(obj, dict):
                self.by_kind[obj.get("kind", "")].append(obj)
        self._named: dict[tuple, dict] = {}
        for kind in ("Node", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job",
                     "ConfigMap", "Secret", "PersistentVolumeClaim", "StorageClass"):
            for obj in self.by_kind.get(kind, ()):
                self._named[(kind, meta(obj, "namespace"), meta(obj, "name"))] = obj
        self.events = defaultdict(list)
        for ev in self.by_kind.get("Event", ()):
            ref = ev.get("involvedObject") or ev.get("regarding") or {}
            self.events[(ref.get("kind", ""), ref.get("namespace", "") or "",
                          ref.get("name", ""))].append(ev)
        self._usage: dict | None = None
        self._free: dict = {}
        self.text_subjects: list = []  # reports read from pasted text (not a dump)
        self.pods_filtered = False
        self.listed_kinds: set = set()  # kinds the dump lists in full (a kind: List of them)     # a label selector dropped pods: their events are not ours

    # ---- lookups -------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self._named.get((kind, namespace or "", name))

    def has_kind(self, kind: str) -> bool:
        return kind in self.by_kind or kind in self.kinds_read

    def knows_all(self, kind: str) -> bool:
        """May an object of `kind` missing from the input be called absent? Only live (the
        kind was read) or when the dump holds a full list of the kind; otherwise an object not
        in a pasted dump is just not in the dump."""
        return kind in self.kinds_read or kind in self.listed_kinds

    def pods(self) -> list[dict]:
        return [p for p in self.by_kind.get("Pod", ())
                if self.scope_ns is None or meta(p, "namespace") == self.scope_ns]

    def in_scope(self, obj: dict) -> bool:
        return self.scope_ns is None or meta(obj, "namespace") == self.scope_ns

    def nodes(self) -> list[dict]:
        return self.by_kind.get("Node", [])

    def events_for(self, kind: str, namespace: str, name: str) -> list[dict]:
        return self.events.get((kind, namespace or "", name), [])

    # ---- owners --------------------------------------------------------------------------
    def owner(self, pod: dict) -> tuple[str, str]:
        """(kind, name) of the workload that owns a pod: Deployment over its ReplicaSet."""
        refs = meta(pod, "ownerReferences", [])
        ctrl = next((r for r in refs if r.get("controller")), refs[0] if refs else None)
        if not ctrl:
            return "Pod", meta(pod, "name")
        kind, name = ctrl.get("kind", ""), ctrl.get("name", "")
        if kind == "ReplicaSet":
            rs = self.get("ReplicaSet", meta(pod, "namespace"), name)
            if rs is not None:
                rrefs = meta(rs, "ownerReferences", [])
                dep = next((r for r in rrefs if r.get("kind") == "Deployment"), None)
                return ("Deployment", dep["name"]) if dep else ("ReplicaSet", name)
            hash_ = (meta(pod, "labels", {}) or {}).get("pod-template-hash")
            if hash_ and name.endswith("-" + hash_):
                return "Deployment", name[: -len(hash_) - 1]
        return kind, name

    # ---- node usage (for unschedulable arithmetic) ----------------------------------------
    def node_free(self, node: dict, resource: str):
        """allocatable - requests of the non-terminal pods bound to the node."""
        key = (meta(node, "name"), resource)
        if key not in self._free:
            self._free[key] = self._node_free(node, resource)
        return self._free[key]

    def _node_free(self, node: dict, resource: str):
        alloc = (node.get("status") or {}).get("allocatable") or {}
        if resource not in alloc:
            return None
        try:
            total = quantity(alloc[resource])
        except ValueError:
            return None
        return total - self.usage(resource).get(meta(node, "name"), 0)

    def usage(self, resource: str) -> dict:
        """{node: requested amount of `resource`}, computed per resource on first use."""
        cache = self._usage if self._usage is not None else {}
        self._usage = cache
        if resource not in cache:
            per_node: dict = defaultdict(int)
            for pod in self.by_kind.get("Pod", ()):
                node = (pod.get("spec") or {}).get("nodeName")
                if not node or (pod.get("status") or {}).get("phase") in TERMINAL:
                    continue
                need = pod_request(pod, resource)
                if need:
                    per_node[node] += need
            cache[resource] = per_node
        return cache[resource]


def pod_requests(pod: dict) -> dict:
    """Effective requests: max(sum of containers, largest init container) + overhead."""
    spec = pod.get("spec") or {}
    total: dict = defaultdict(int)
    for c in spec.get("containers") or []:
        for res, qty in _requests(c).items():
            total[res] += qty
    for c in spec.get("initContainers") or []:
        for res, qty in _requests(c).items():
            total[res] = max(total[res], qty)
    for res, qty in (spec.get("overhead") or {}).items():
        try:
            total[res] += quantity(qty)
        except ValueError:
            pass
    return dict(total)


def pod_request(pod: dict, resource: str):
    """Effective request of one resource (0 when absent): cheap enough for every pod."""
    spec = pod.get("spec") or {}
    total = 0
    for c in spec.get("containers") or ():
        res = c.get("resources") or {}
        qty = (res.get("requests") or {}).get(resource) or (res.get("limits") or {}).get(resource)
        if qty is not None:
            total += _q(qty)
    for c in spec.get("initContainers") or ():
        res = c.get("resources") or {}
        qty = (res.get("requests") or {}).get(resource) or (res.get("limits") or {}).get(resource)
        if qty is not None:
            total = max(total, _q(qty))
    qty = (spec.get("overhead") or {}).get(resource)
    return total + (_q(qty) if qty is not None else 0)


def _q(value):
    try:
        return quantity(value)
    except ValueError:
        return 0


def _requests(container: dict) -> dict:
    res = container.get("resources") or {}
    merged = dict(res.get("limits") or {})  # a limit without a request implies the request
    merged.update(res.get("requests") or {})
    out = {}
    for name, qty in merged.items():
        try:
            out[name] = quantity(qty)
        except ValueError:
            continue
    return out
