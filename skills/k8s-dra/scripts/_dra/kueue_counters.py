"""Kueue's counter-based quota for partitionable devices, computed as Kueue v0.19.2 does.

A deviceClassMappings entry with `sources[].counter` {name, driver, deviceSelector} charges
its `name` (the quota resource) in the counter's units instead of a device count
(kubernetes-sigs/kueue v0.19.2):
- pkg/dra/mapper.go l.126-147: every counter source of an entry becomes a counter config of
  each DeviceClass the entry names, charged to the entry's `name`.
- pkg/dra/claims.go l.221-223: a class with counter configs gets no device count.
- pkg/dra/counters.go l.50-113: per pod set, each ResourceClaimTemplate request with
  `exactly` of such a class, per counter config: the devices of the config's driver in
  complete pools (l.293-329 newest generation per pool; l.281-283 complete = slices held ==
  resourceSliceCount) that match the config's deviceSelector AND the class's selectors AND
  the request's selectors (l.226-272; allocations are not looked at). Fewer than `count`
  -> "insufficient matching devices for counter driver: %d device(s) match but %d requested"
  (l.204-210); else the charge is the LARGEST value of the counter among the matched
  devices' consumesCounters (any counter set) x count (computeCounterCharges l.331-359;
  safeChargeValue l.173-184: Quantity.Value() rounds up, negatives count 0, int64
  saturates); no such counter -> "matched devices have no consumesCounters entry for
  counter %q" (l.220-223). Both errors leave the Workload inadmissible
  (pkg/controller/core/workload_controller.go l.529-549).
- pkg/workload/workload.go l.686-697: the per-pod charge is multiplied by the pod count.
Before that, claims.go l.198-210 / l.415-519 (validateCELSelectorsAgainstDevices) checks
each template's requests that have CEL selectors: over the devices of every slice of the
sources' drivers (all slices when some such request's class has no source; no pool or
generation filter, buildDeviceListFromSlices l.315-329), each request in turn takes up to
`count` devices matching its class and its selectors (countMatchingDevices l.373-404); a
shortfall -> "insufficient matching devices for CEL selector in DeviceClass %s: %d
device(s) match in the cluster but %d requested" and the Workload is inadmissible.
"""
from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from k8s_skillkit.objects import dig, name_of
from k8s_skillkit.quantity import parse_quantity

from k8s_skillkit import cel as _cel
from _dra.model import Device, match_all

INT64_MAX = 2**63 - 1


class CounterSource:
    """One `sources[].counter` of a deviceClassMappings entry."""

    def __init__(self, resource: str, counter: dict):
        self.resource = resource
        self.name = str(counter.get("name", ""))
        self.driver = str(counter.get("driver", ""))
        self.selector = dig(counter, "deviceSelector", "cel", "expression", default="") or ""


def counter_sources(config: dict | None) -> dict[str, list[CounterSource]]:
    """DeviceClass -> its counter sources, in configuration order (mapper.go l.126-147)."""
    out: dict[str, list[CounterSource]] = defaultdict(list)
    for mapping in dig(config or {}, "resources", "deviceClassMappings", default=[]) or []:
        for cls in mapping.get("deviceClassNames") or []:
            for source in mapping.get("sources") or []:
                if isinstance(source, dict) and isinstance(source.get("counter"), dict):
                    out[cls].append(CounterSource(mapping.get("name", ""), source["counter"]))
    return dict(out)


class CapacitySource:
    """One `sources[].capacity` {name, driver, deviceSelector} of a deviceClassMappings entry
    (mapper.go l.140-146: deviceClassCapacityConfig). `name` is the devices' capacity
    dimension (a QualifiedName such as memory); the quota resource charged is the class's
    mapping name, the FIRST entry naming the class (mapper.go l.128-130 + capacity.go
    l.109-113 Lookup), which need not be the entry holding this source."""

    def __init__(self, resource: str, capacity: dict):
        self.resource = resource
        self.name = str(capacity.get("name", ""))
        self.driver = str(capacity.get("driver", ""))
        self.selector = dig(capacity, "deviceSelector", "cel", "expression", default="") or ""


def capacity_sources(config: dict | None) -> dict[str, list[CapacitySource]]:
    """DeviceClass -> its capacity sources, in configuration order. Kueue charges such a
    class by capacity (pkg/dra/capacity.go), not in devices (claims.go l.224-226; a
    Configuration with such a source is refused unless KueueDRAIntegrationConsumableCapacity
    is on, pkg/config/validation.go l.594-598, so the gate is on when one is configured)."""
    first: dict[str, str] = {}
    out: dict[str, list[CapacitySource]] = defaultdict(list)
    mappings = dig(config or {}, "resources", "deviceClassMappings", default=[]) or []
    for mapping in mappings:
        for cls in mapping.get("deviceClassNames") or []:
            first.setdefault(cls, mapping.get("name", ""))
    for mapping in mappings:
        for cls in mapping.get("deviceClassNames") or []:
            for source in mapping.get("sources") or []:
                if isinstance(source, dict) and isinstance(source.get("capacity"), dict):
                    out[cls].append(CapacitySource(first[cls], source["capacity"]))
    return dict(out)


def source_drivers(config: dict | None) -> dict[str, list[str]]:
    """DeviceClass -> drivers of its counter and capacity sources (claims.go l.443-468)."""
    out: dict[str, list[str]] = defaultdict(list)
    for mapping in dig(config or {}, "resources", "deviceClassMappings", default=[]) or []:
        for cls in mapping.get("deviceClassNames") or []:
            for source in mapping.get("sources") or []:
                for kind in ("counter", "capacity"):
                    driver = dig(source, kind, "driver", default="") \
                        if isinstance(source, dict) else ""
                    if driver and driver not in out[cls]:
                        out[cls].append(driver)
    return dict(out)


def cel_precheck(inv, requests: list, drivers: dict[str, list[str]]) -> tuple[str, str]:
    """validateCELSelectorsAgainstDevices for one template's requests (RequestViews with
    `exactly`): (Kueue's error, '') or ('', why it cannot be judged) or ('', '')."""
    cel_reqs = [rv for rv in requests if any(rv.selectors)]
    if not cel_reqs:
        return "", ""
    if any(not drivers.get(rv.class_name) for rv in cel_reqs):
        slices = inv.slices
    else:
        wanted = {d for rv in cel_reqs for d in drivers[rv.class_name]}
        slices = [sl for sl in inv.slices if dig(sl, "spec", "driver", default="") in wanted]
    devices = [Device(dig(sl, "spec", "driver", default=""),
                      dig(sl, "spec", "pool", "name", default=""), raw, "", name_of(sl))
               for sl in slices for raw in dig(sl, "spec", "devices", default=[]) or []]
    taken: set[int] = set()
    for rv in cel_reqs:
        cls = inv.classes.get(rv.class_name)
        if cls is None:
            return "", f"DeviceClass {rv.class_name} is not in the input"
        class_exprs = [dig(x, "cel", "expression", default="") for x in
                       dig(cls, "spec", "selectors", default=[]) or []]
        got = 0
        for i, dev in enumerate(devices):
            if i in taken or got >= rv.count:
                continue
            status, detail = _cel.MATCH, ""
            for exprs in (class_exprs, rv.selectors):
                status, detail = match_all(exprs, dev)
                if status != _cel.MATCH:
                    break
            if status in (_cel.UNKNOWN, _cel.ERROR):
                return "", f"a selector could not be evaluated on {dev.label()}: {detail}"
            if status == _cel.MATCH:
                taken.add(i)
                got += 1
        if got < rv.count:
            if not devices and not inv.complete("ResourceSlice"):
                return "", "no ResourceSlice of the mapped drivers in the input"
            return (f"insufficient matching devices for CEL selector in DeviceClass "
                    f"{rv.class_name}: {got} device(s) match in the cluster but {rv.count} "
                    "requested"), ""
    return "", ""


def complete_pool_devices(slices: list[dict], driver: str) -> tuple[list[Device], list[str]]:
    """The driver's devices in complete pools (newest generation), and the incomplete pools
    skipped (groupSlicesByPool + isComplete, counters.go l.281-329)."""
    pools: dict[str, tuple[int, int, list[dict]]] = {}
    for sl in slices:
        spec = sl.get("spec") or {}
        if spec.get("driver") != driver:
            continue
        name = dig(spec, "pool", "name", default="") or ""
        gen = int(dig(spec, "pool", "generation", default=0) or 0)
        count = int(dig(spec, "pool", "resourceSliceCount", default=0) or 0)
        have = pools.get(name)
        if have is None or gen > have[0]:
            pools[name] = (gen, count, [sl])
        elif gen == have[0]:
            have[2].append(sl)
    devices, incomplete = [], []
    for name, (_, count, held) in sorted(pools.items()):
        if len(held) != count:
            incomplete.append(f"{name} ({len(held)} of {count} slice(s))")
            continue
        for sl in held:
            for raw in dig(sl, "spec", "devices", default=[]) or []:
                devices.append(Device(driver, name, raw, dig(sl, "spec", "nodeName",
                                                             default="") or "", name_of(sl)))
    return devices, incomplete


def charge_value(matched: list[dict], counter: str, count: int) -> int | None:
    """computeCounterCharges: the largest `counter` among the devices' consumesCounters,
    Value() (rounded up), negatives 0, x count saturating at int64; None if no device
    consumes it."""
    best = None
    for raw in matched:
        for entry in raw.get("consumesCounters") or []:
            value = (entry.get("counters") or {}).get(counter)
            if isinstance(value, dict) and "value" in value:
                amount = parse_quantity(value["value"])
                if best is None or amount > best:
                    best = amount
    if best is None:
        return None
    per = 0 if best < 0 else min(math.ceil(best), INT64_MAX)
    return min(per * count, INT64_MAX) if count > 1 else per


class Charge:
    """What one request costs one pod for one counter source, or why it cannot be known."""

    def __init__(self, source: CounterSource | CapacitySource, amount: int | None = None,
                 matched: int = 0,
                 kueue_error: str = "", unknown: str = "", notes: list[str] | None = None):
        self.source, self.amount, self.matched = source, amount, matched
        self.kueue_error, self.unknown, self.notes = kueue_error, unknown, notes or []


def _matched(inv, rv, source) -> tuple[list[dict] | Charge, list[str]]:
    """matchDevicesForSource (counters.go l.141-171): the source driver's devices in complete
    pools matching the source's deviceSelector, the class's and the request's selectors;
    (a Charge saying why it cannot be known, notes) when the input cannot tell."""
    cls = inv.classes.get(rv.class_name)
    if cls is None:
        return Charge(source, unknown=f"DeviceClass {rv.class_name} is not in the input"), []
    class_exprs = [dig(s, "cel", "expression", default="") for s in
                   dig(cls, "spec", "selectors", default=[]) or []]
    devices, incomplete = complete_pool_devices(inv.slices, source.driver)
    notes = [f"incomplete pool(s) of {source.driver} not counted, as Kueue skips them: "
             + ", ".join(incomplete)] if incomplete else []
    matched = []
    for dev in devices:
        for exprs in ([source.selector], class_exprs, rv.selectors):
            status, detail = match_all(exprs, dev)
            if status != _cel.MATCH:
                break
        if status == _cel.MATCH:
            matched.append(dev.raw)
        elif status in (_cel.UNKNOWN, _cel.ERROR):
            return Charge(source, unknown=f"a selector could not be evaluated on "
                          f"{dev.label()}: {detail}", notes=notes), notes
    if not devices and not inv.complete("ResourceSlice"):
        return Charge(source, unknown=f"no ResourceSlice of driver {source.driver} in a "
                      "complete pool in the input", notes=notes), notes
    return matched, notes


def request_charge(inv, rv, source: CounterSource) -> Charge:
    """processCounterCharge (counters.go l.186-224) for one request and counter source."""
    matched, notes = _matched(inv, rv, source)
    if isinstance(matched, Charge):
        return matched
    if len(matched) < rv.count:
        return Charge(source, matched=len(matched), notes=notes, kueue_error=(
            f"insufficient matching devices for counter driver: {len(matched)} device(s) "
            f"match but {rv.count} requested"))
    amount = charge_value(matched, source.name, rv.count)
    if amount is None:
        return Charge(source, matched=len(matched), notes=notes, kueue_error=(
            f'matched devices have no consumesCounters entry for counter "{source.name}"'))
    return Charge(source, amount=amount, matched=len(matched), notes=notes)


# --- consumable capacity (kueue v0.19.2 pkg/dra/capacity.go) ---------------------------------

def _safe_value(q: Fraction) -> int:
    """utilmath.SafeValue: Quantity.Value() (rounded up), clamped to int64."""
    return max(min(math.ceil(q), INT64_MAX), -INT64_MAX - 1)


def round_to_policy(base: Fraction, policy: dict | None) -> tuple[Fraction | None, str]:
    """roundToPolicy (capacity.go l.269-327): validValues first (the smallest >= base; none
    -> error), else validRange (SafeValue; clamp to min; align to min + n*step when both
    are set; above max -> error), else the base unchanged."""
    if not isinstance(policy, dict):
        return base, ""
    valid = [parse_quantity(v) for v in policy.get("validValues") or []]
    if valid:
        for v in valid:
            if v >= base:
                return v, ""
        return None, f"request {_show(base)} exceeds all valid values"
    rng = policy.get("validRange")
    if not isinstance(rng, dict):
        return base, ""
    val = _safe_value(base)
    low = _safe_value(parse_quantity(rng["min"])) if rng.get("min") is not None else None
    if low is not None:
        val = max(val, low)
    if rng.get("step") is not None and low is not None:
        step = _safe_value(parse_quantity(rng["step"]))
        if step > 0 and (val - low) % step:
            val = low + ((val - low) // step + 1) * step
    if rng.get("max") is not None:
        high = _safe_value(parse_quantity(rng["max"]))
        if val > high:
            return None, f"rounded value {val} exceeds max {high}"
    return Fraction(val), ""


def _show(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else str(float(q))


def capacity_charge_value(matched: list[dict], dimension: str, count: int,
                          explicit: Fraction | None) -> tuple[int | None, str]:
    """computeCapacityCharge (capacity.go l.198-249): per matched device that has the
    dimension, the base (the request's capacity.requests[dimension], else the device's
    requestPolicy.default, else its full capacity value) rounded to the device's
    requestPolicy; the largest over the devices, SafeValue, negatives 0, x count
    (safeChargeValue, counters.go l.173-184). (charge, '') or (None, Kueue's error)."""
    best, has_dim = None, False
    for raw in matched:
        cap = (raw.get("capacity") or {}).get(dimension)
        if not isinstance(cap, dict) or "value" not in cap:
            continue
        has_dim = True
        policy = cap.get("requestPolicy")
        if explicit is not None:
            base = explicit
        elif isinstance(policy, dict) and policy.get("default") is not None:
            base = parse_quantity(policy["default"])
        else:
            base = parse_quantity(cap["value"])
        rounded, _ = round_to_policy(base, policy)
        if rounded is not None and (best is None or rounded > best):
            best = rounded
    if not has_dim:
        return None, f'matched devices have no capacity dimension "{dimension}"'
    if best is None:
        return None, ("capacity request cannot be satisfied by any matched device's "
                      f'RequestPolicy for dimension "{dimension}"')
    per = max(_safe_value(best), 0)
    return (min(per * count, INT64_MAX) if count > 1 else per), ""


def request_capacity_charge(inv, rv, source: CapacitySource) -> Charge:
    """processCapacityCharge (capacity.go l.143-192) for one request and capacity source."""
    matched, notes = _matched(inv, rv, source)
    if isinstance(matched, Charge):
        return matched
    if len(matched) < rv.count:
        return Charge(source, matched=len(matched), notes=notes, kueue_error=(
            f"insufficient matching devices for capacity driver: {len(matched)} device(s) "
            f"match but {rv.count} requested"))
    explicit = rv.capacity.get(source.name)
    amount, error = capacity_charge_value(
        matched, source.name, rv.count,
        parse_quantity(explicit) if explicit is not None else None)
    return Charge(source, amount=amount, matched=len(matched), notes=notes,
                  kueue_error=error)

