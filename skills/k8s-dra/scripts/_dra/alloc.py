"""A small model of the scheduler's structured allocator, per node.

What it models (k8s.io/dynamic-resource-allocation structured/internal/stable/
allocator_stable.go): a claim's requests are allocated together on ONE node; a device
matches when the DeviceClass selectors AND the request selectors are true; a device held by
another claim is unavailable (unless adminAccess); `allocationMode: All` wants every
matching device; `firstAvailable` tries sub-requests in order; `constraints[].matchAttribute`
forces one shared attribute value over the listed requests (all when empty);
`distinctAttribute` forces different values.
A device with a NoSchedule/NoExecute taint the request does not tolerate is not usable, and
a device that consumes shared counters is usable only while the counters have room
(_dra/partitions.py).
What it does not: the real allocator backtracks over every combination; this one is greedy
per attribute value, so it can say "no" in rare packings the real one solves. A shareable
device (allowMultipleAllocations, consumable capacity) is usable while its capacities have
room for the request (Inventory.capacity_short).
"""
from __future__ import annotations

from k8s_skillkit.objects import dig

from k8s_skillkit import cel as _cel
from _dra.model import Device, Inventory, match_all
from _dra.partitions import Counters, blocking_taints


class RequestView:
    """One request (or firstAvailable alternative) with its resolved selectors."""

    def __init__(self, name: str, exactly: dict):
        self.name = name
        self.class_name = exactly.get("deviceClassName", "")
        self.selectors = [dig(s, "cel", "expression", default="")
                          for s in exactly.get("selectors") or []]
        self.mode = exactly.get("allocationMode") or "ExactCount"
        self.count = int(exactly.get("count") or 1)
        self.admin = bool(exactly.get("adminAccess"))
        self.tolerations = [t for t in exactly.get("tolerations") or [] if isinstance(t, dict)]
        # capacity.requests (k8s.io/api resource/v1 CapacityRequirements, consumable
        # capacity): dimension -> quantity, what Kueue charges a capacity source
        self.capacity = {str(k): v for k, v in
                         ((exactly.get("capacity") or {}).get("requests") or {}).items()}

    def describe(self) -> str:
        n = "all" if self.mode == "All" else str(self.count)
        sel = f" where {' && '.join(self.selectors)}" if self.selectors else ""
        return f"{n} x {self.class_name}{sel}"


def requests_of(spec: dict) -> list[tuple[str, list[RequestView]]]:
    """[(request name, [alternatives])]: one alternative unless firstAvailable is used.

    Shapes by version (k8s.io/api resource/*/types.go): v1beta2 and v1 nest the request in
    `exactly` or `firstAvailable`; v1alpha3 and v1beta1 put deviceClassName, selectors,
    allocationMode, count and adminAccess on the request itself (firstAvailable from 1.33).
    """
    out = []
    for req in dig(spec, "devices", "requests", default=[]) or []:
        name = req.get("name", "")
        if req.get("firstAvailable"):
            alts = [RequestView(f"{name}/{s.get('name', '')}", s) for s in req["firstAvailable"]]
        else:
            alts = [RequestView(name, req.get("exactly") or req)]
        out.append((name, alts))
    return out


def matching(inv: Inventory, rv: RequestView, devices: list[Device]) -> tuple[list, list, str]:
    """(matching devices, runtime errors, not-evaluated note) among `devices`."""
    _, notes = inv.class_devices(rv.class_name)
    allowed = inv.class_ids(rv.class_name)
    out, errors, unknown = [], [], ""
    for dev in devices:
        if id(dev) not in allowed:
            continue
        status, detail = match_all(rv.selectors, dev)
        if status == _cel.MATCH:
            out.append(dev)
        elif status == _cel.ERROR:
            errors.append(f"{dev.label()}: {detail}")
        elif status == _cel.UNKNOWN:
            unknown = detail
    return out, errors, unknown or (notes[0] if notes else "")


def _attr(dev: Device, qualified: str):
    domain, _, ident = qualified.partition("/")
    value = (dev.view["attributes"].get(domain) or {}).get(ident)
    return getattr(value, "key", value)


def allocate_on_node(inv: Inventory, spec: dict, node: str, taken: set) -> tuple[list, dict]:
    """Try one claim on one node. Returns (picked devices or [], per-request stats)."""
    devices = inv.devices_on(node)
    reqs = requests_of(spec)
    stats: dict[str, dict] = {}
    cands: dict[str, list] = {}
    counters = counters_of(inv)
    for name, alts in reqs:
        for rv in alts:
            match, _, _ = matching(inv, rv, devices)
            free = [d for d in match if rv.admin or (inv.free(d) and d.key not in taken)]
            room = [d for d in free if rv.admin or not inv.capacity_short(d, rv.capacity)]
            untainted = [d for d in room if not blocking_taints(inv, d, rv.tolerations)]
            usable = [d for d in untainted if rv.admin or not counters.short(d, taken)]
            cands[rv.name] = usable
            stats[rv.name] = {"matching": len(match), "free": len(usable), "need": rv.count,
                              "mode": rv.mode, "tainted": len(room) - len(untainted),
                              "counters": len(untainted) - len(usable),
                              "capacity": len(free) - len(room)}
    constraints = dig(spec, "devices", "constraints", default=[]) or []
    match_c = [c for c in constraints if c.get("matchAttribute")]
    groups = [None]
    if match_c:
        attr = match_c[0]["matchAttribute"]
        values = {_attr(d, attr) for lst in cands.values() for d in lst}
        groups = sorted((v for v in values if v is not None), key=str)
    for value in groups:
        picked = _pick(reqs, cands, match_c, constraints, value, stats,
                       lambda chosen, d: not counters.short(d, taken | chosen))
        if picked is not None:
            return picked, stats
    return [], stats


def _covered(constraint: dict, request_name: str) -> bool:
    names = constraint.get("requests") or []
    return not names or request_name.split("/")[0] in names or request_name in names


def counters_of(inv: Inventory) -> Counters:
    """The inventory's counter budgets, built once (they do not change during a run)."""
    cached = getattr(inv, "_counters", None)
    if cached is None:
        cached = inv._counters = Counters(inv)
    return cached


def _pick(reqs, cands, match_c, constraints, value, stats, fits=lambda chosen, d: True):
    picked: list = []
    used: set = set()
    for name, alts in reqs:
        chosen = None
        for rv in alts:
            pool = [d for d in cands[rv.name] if d.key not in used]
            if match_c and _covered(match_c[0], rv.name):
                pool = [d for d in pool if _attr(d, match_c[0]["matchAttribute"]) == value]
            for extra in match_c[1:]:
                if _covered(extra, rv.name):
                    pool = _same_value(pool, extra["matchAttribute"], rv.count)
            for c in constraints:
                if c.get("distinctAttribute") and _covered(c, rv.name):
                    pool = _distinct(pool, c["distinctAttribute"], picked)
            pool = _within_counters(pool, used, fits)
            need = len(pool) if rv.mode == "All" else rv.count
            busy = stats[rv.name]["free"] < stats[rv.name]["matching"]
            if rv.mode == "All" and (not pool or busy):
                continue  # All means every matching device on the node, and one is taken
            if len(pool) >= need:
                chosen = pool[:need]
                break
        if chosen is None:
            return None
        picked.extend(chosen)
        used.update(d.key for d in chosen)
    return picked


def _within_counters(pool, used, fits):
    """Devices taken in order while their shared counters still have room, counting the
    devices already picked for this claim (partitions of one GPU share its counters)."""
    chosen, out = set(used), []
    for dev in pool:
        if fits(chosen, dev):
            chosen.add(dev.key)
            out.append(dev)
    return out


def _same_value(pool, attr, count):
    by_value: dict = {}
    for d in pool:
        by_value.setdefault(_attr(d, attr), []).append(d)
    best = max(by_value.values(), key=len, default=[])
    return best if len(best) >= count else []


def _distinct(pool, attr, picked):
    seen = {_attr(d, attr) for d in picked}
    out = []
    for d in pool:
        v = _attr(d, attr)
        if v not in seen:
            seen.add(v)
            out.append(d)
    return out


def fit_count(inv: Inventory, spec: dict, node: str, limit: int, taken: set) -> int:
    """How many copies of a per-pod claim (from one template) fit on `node` at once."""
    n = 0
    while n < limit:
        picked, _ = allocate_on_node(inv, spec, node, taken)
        if not picked:
            break
        taken.update(d.key for d in picked)
        n += 1
    return n
