"""The cluster's DRA inventory, built once from plain object dicts.

Devices come from ResourceSlices (resource.k8s.io/v1 `spec.devices`, one pool per
`spec.pool.name`, only the highest `pool.generation` counts, as in the scheduler's
structured allocator `GatherPools`); a device is in use when some ResourceClaim's
`status.allocation.devices.results[]` names its (driver, pool, device) without adminAccess.
"""
from __future__ import annotations

from collections import defaultdict

from fractions import Fraction

from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.quantity import format_alike, parse_quantity
from k8s_skillkit.scheduling import node_selector_matches

from k8s_skillkit import cel as _cel

DRA_KINDS = ("ResourceSlice", "DeviceClass", "ResourceClaim", "ResourceClaimTemplate")


class Device:
    __slots__ = ("driver", "pool", "name", "node", "raw", "_view", "slice_name", "all_nodes",
                 "node_selector")

    def __init__(self, driver, pool, raw, node, slice_name, all_nodes=False,
                 node_selector=None):
        self.driver, self.pool, self.raw, self.node = driver, pool, raw, node
        self.name = raw.get("name", "")
        self.slice_name = slice_name
        self.all_nodes = all_nodes
        self.node_selector = node_selector  # devices reachable from nodes it selects
        self._view = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.driver, self.pool, self.name)

    @property
    def view(self) -> dict:
        if self._view is None:
            self._view = _cel.device_view(self.driver, self.raw)
        return self._view

    def label(self) -> str:
        return f"{self.pool}/{self.name}"


TABLE_CLASS_NOTE = ("known only from a `kubectl get deviceclasses` row: its selectors are "
                    "not in the dump")


def table_row(obj: dict) -> bool:
    """An object read from a `kubectl get` table row: no spec, only its columns."""
    return obj.get("_source") == "table" and "spec" not in obj


class Inventory:
    """Everything the DRA scripts ask about the cluster."""

    def __init__(self, objects: list[dict], complete=None):
        # complete(kind, namespace) -> may absence be concluded? (live: yes; a paste: only
        # for kinds it lists in full). Default: yes, for callers that read the cluster.
        self.complete = complete or (lambda kind, namespace="": True)
        by_kind = defaultdict(list)
        for obj in objects:
            by_kind[obj.get("kind", "")].append(obj)
        self.by_kind = by_kind
        self.nodes = {name_of(n): n for n in by_kind["Node"]}
        self.classes = {name_of(c): c for c in by_kind["DeviceClass"]}
        self.claims = {(namespace_of(c), name_of(c)): c for c in by_kind["ResourceClaim"]}
        self.templates = {(namespace_of(t), name_of(t)): t
                          for t in by_kind["ResourceClaimTemplate"]}
        self.namespaces = {name_of(n): n for n in by_kind["Namespace"]}
        self.pods = by_kind["Pod"]
        self.slices = by_kind["ResourceSlice"]
        self.devices = _devices(self.slices)
        self._by_node: dict[str, list[Device]] = defaultdict(list)
        self._everywhere = [d for d in self.devices if d.all_nodes]
        for dev in self.devices:
            if dev.node:
                self._by_node[dev.node].append(dev)
        self.holders = _holders(by_kind["ResourceClaim"])
        # consumable capacity (DRAConsumableCapacity, 1.34+): what the allocated claims take
        # from each shareable device, per capacity name
        self.consumed = _consumed(by_kind["ResourceClaim"])
        self.consumers = _consumers(by_kind["ResourceClaim"])
        self._class_cache: dict[str, tuple] = {}
        self._class_ids: dict[str, set[int]] = {}

    # --- devices -----------------------------------------------------------
    def drivers(self) -> dict[str, set]:
        """driver -> set of node names (or '*all nodes*') publishing devices."""
        out: dict[str, set] = defaultdict(set)
        for dev in self.devices:
            out[dev.driver].add(dev.node or "(all nodes)")
        return out

    def free(self, dev: Device) -> bool:
        """Not held by another claim; a device with allowMultipleAllocations serves several
        claims, so only its remaining capacity limits it (capacity_short)."""
        return dev.key not in self.holders or bool(dev.raw.get("allowMultipleAllocations"))

    def capacity_short(self, dev: Device, requested: dict) -> list[str]:
        """For a shareable device: the capacities a request (capacity.requests) would push past
        the device's value, given what allocated claims consume ("name: need N, left M");
        [] when it fits or the device is not shareable (k8s.io/api resource/v1
        DeviceCapacity: without a requestPolicy a request may take any amount up to what is
        left, and a request that names no amount takes the policy's default, else the whole
        value; validRange.min and step round a request up)."""
        if not dev.raw.get("allowMultipleAllocations"):
            return []
        used = self.consumed.get(dev.key, {})
        short = []
        for cap, spec in (dev.raw.get("capacity") or {}).items():
            if not isinstance(spec, dict) or "value" not in spec:
                continue
            total = parse_quantity(spec["value"])
            need = _capacity_need(requested.get(cap), spec.get("requestPolicy") or {}, total)
            left = total - used.get(cap, Fraction(0))
            if need > left:
                need_s, left_s, total_s = format_alike(need, left, total)
                short.append(f"{cap}: needs {need_s}, {left_s} of {total_s} left")
        return short

    def devices_on(self, node: str) -> list[Device]:
        """Node-local devices plus those of allNodes / nodeSelector slices that reach it
        (a nodeSelector is matched with the kit's model; an unknown node is not excluded)."""
        node_obj = self.nodes.get(node)
        return self._by_node.get(node, []) + [
            d for d in self._everywhere if d.node_selector is None or node_obj is None
            or node_selector_matches(d.node_selector, node_obj)]

    def node_names(self) -> list[str]:
        return sorted(self._by_node)

    def class_devices(self, class_name: str) -> tuple[list[Device], list[str]]:
        """Devices the class selects, plus notes (selectors not evaluated / errors)."""
        cached = self._class_cache.get(class_name)
        if cached is not None:
            return cached
        cls = self.classes.get(class_name)
        notes: list[str] = []
        selected = []
        if cls and table_row(cls):
            # a `kubectl get deviceclasses` row: the class exists, its selectors are unknown
            # (no selectors would select every device)
            cached = self._class_cache[class_name] = ([], [TABLE_CLASS_NOTE])
            return cached
        exprs = [dig(s, "cel", "expression", default="") for s in
                 dig(cls, "spec", "selectors", default=[]) or []] if cls else []
        for dev in self.devices:
            status, detail = match_all(exprs, dev)
            if status == _cel.MATCH:
                selected.append(dev)
            elif status in (_cel.UNKNOWN, _cel.ERROR) and detail not in notes:
                notes.append(detail)
        self._class_cache[class_name] = (selected, notes)
        return selected, notes

    def class_ids(self, class_name: str) -> set[int]:
        """ids of the devices the class selects (cached: checked once per device per node)."""
        ids = self._class_ids.get(class_name)
        if ids is None:
            ids = self._class_ids[class_name] = {id(d) for d in
                                                 self.class_devices(class_name)[0]}
        return ids

    def namespace_labels(self, namespace: str) -> dict | None:
        ns = self.namespaces.get(namespace)
        return None if ns is None else dig(ns, "metadata", "labels", default={}) or {}


def match_all(expressions: list[str], dev: Device) -> tuple[str, str]:
    """AND of selector expressions: match | no-match | error | not-evaluated (+ detail)."""
    unknown = ""
    for expr in expressions:
        if not expr:
            continue
        status, detail = _cel.evaluate(expr, dev)
        if status in (_cel.NO_MATCH, _cel.ERROR):
            return status, detail
        if status == _cel.UNKNOWN:
            unknown = detail
    return (_cel.UNKNOWN, unknown) if unknown else (_cel.MATCH, "")


def _devices(slices: list[dict]) -> list[Device]:
    newest: dict[tuple, int] = {}
    for sl in slices:
        key = (dig(sl, "spec", "driver", default=""), dig(sl, "spec", "pool", "name", default=""))
        gen = dig(sl, "spec", "pool", "generation", default=0) or 0
        newest[key] = max(newest.get(key, 0), gen)
    out = []
    for sl in slices:
        spec = sl.get("spec") or {}
        driver = spec.get("driver", "")
        pool = dig(spec, "pool", "name", default="")
        if (dig(spec, "pool", "generation", default=0) or 0) < newest[(driver, pool)]:
            continue  # stale slice of an older pool generation: the scheduler ignores it
        node = spec.get("nodeName") or ""
        all_nodes = bool(spec.get("allNodes")) or bool(spec.get("nodeSelector"))
        for raw in spec.get("devices") or []:
            # perDeviceNodeSelection (1.35+): each device names its own node(s)
            dev_node = raw.get("nodeName") or node
            selector = raw.get("nodeSelector") or spec.get("nodeSelector")
            everywhere = (all_nodes or bool(raw.get("allNodes"))
                          or bool(raw.get("nodeSelector"))) and not dev_node
            out.append(Device(driver, pool, raw, dev_node, name_of(sl), all_nodes=everywhere,
                              node_selector=selector if everywhere else None))
    return out


def _consumed(claims: list[dict]) -> dict[tuple, dict[str, Fraction]]:
    """(driver, pool, device) -> capacity name -> amount the allocated claims consume
    (status.allocation.devices.results[].consumedCapacity, resource/v1)."""
    out: dict[tuple, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for claim in claims:
        for res in dig(claim, "status", "allocation", "devices", "results", default=[]) or []:
            for cap, amount in (res.get("consumedCapacity") or {}).items():
                key = (res.get("driver"), res.get("pool"), res.get("device"))
                out[key][str(cap)] += parse_quantity(amount)
    return out


def _consumers(claims: list[dict]) -> dict[tuple, list[dict]]:
    """(driver, pool, device) -> the allocated claims that consume capacity of it."""
    out: dict[tuple, list[dict]] = defaultdict(list)
    for claim in claims:
        for res in dig(claim, "status", "allocation", "devices", "results", default=[]) or []:
            if res.get("consumedCapacity"):
                out[(res.get("driver"), res.get("pool"), res.get("device"))].append(claim)
    return out


def _capacity_need(asked, policy: dict, total: Fraction) -> Fraction:
    """What one request consumes of one capacity (DeviceCapacity.requestPolicy: default,
    validRange {min, max, step}, validValues; a request below the minimum or between steps
    is rounded up)."""
    if asked is not None:
        need = parse_quantity(asked)
    elif "default" in policy:
        need = parse_quantity(policy["default"])
    else:
        return total
    valid = sorted(parse_quantity(v) for v in policy.get("validValues") or [])
    if valid:
        return next((v for v in valid if v >= need), need)
    rng = policy.get("validRange") or {}
    low = parse_quantity(rng["min"]) if "min" in rng else Fraction(0)
    need = max(need, low)
    if rng.get("step"):
        step = parse_quantity(rng["step"])
        if step > 0:
            steps = -(-(need - low) // step)  # ceiling
            need = low + steps * step
    return need


def _holders(claims: list[dict]) -> dict[tuple, dict]:
    """(driver, pool, device) -> claim holding it exclusively."""
    out = {}
    for claim in claims:
        for res in dig(claim, "status", "allocation", "devices", "results", default=[]) or []:
            if res.get("adminAccess"):
                continue  # admin access does not consume the device
            out[(res.get("driver"), res.get("pool"), res.get("device"))] = claim
    return out


def claim_label(claim: dict) -> str:
    return f"{namespace_of(claim)}/{name_of(claim)}"


def claim_node(claim: dict) -> str:
    """The node an allocated claim is pinned to (from allocation.nodeSelector), or ''."""
    terms = dig(claim, "status", "allocation", "nodeSelector", "nodeSelectorTerms", default=[])
    for term in terms or []:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("values"):
                return field["values"][0]
        for expr in term.get("matchExpressions") or []:
            if expr.get("key") == "kubernetes.io/hostname" and expr.get("values"):
                return expr["values"][0]
    return ""
