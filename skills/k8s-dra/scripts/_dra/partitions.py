"""Device taints and shared counters: two reasons a matching, free device is not allocatable.

Semantics from the scheduler's structured allocator (k8s.io/dynamic-resource-allocation
v0.37.2 structured/internal/stable/allocator_stable.go `taintPreventsAllocation`,
`checkAvailableCounters`; resourceclaim/devicetoleration.go `ToleratesTaint`) and the API
(k8s.io/api v0.37.2 resource/v1/types.go):
- A device's taints are `spec.devices[].taints[]{key, value, effect}` in its ResourceSlice
  plus every DeviceTaintRule whose `spec.deviceSelector{driver, pool, device}` (each optional)
  matches it (`spec.taint`). Only effects NoSchedule and NoExecute prevent allocation; None
  and unknown effects are ignored. A request tolerates a taint when one of its
  `tolerations[]{key, operator Equal (default) | Exists, value, effect}` matches: empty effect
  matches every effect, empty key (with Exists) every key. Feature gates DRADeviceTaints and
  DRADeviceTaintRules: GA in 1.37 (beta from 1.36, alpha 1.33 / 1.35).
- Partitionable devices: a pool's `sharedCounters[]{name, counters{<c>: {value}}}` (in its
  own ResourceSlice from 1.35) are budgets; a device with `consumesCounters[]{counterSet,
  counters{<c>: {value}}}` can be allocated only while every counter it consumes still has
  that much left after the devices already allocated (or picked for the same claim) took
  theirs. Gate DRAPartitionableDevices: beta, on by default from 1.36.
"""
from __future__ import annotations

from fractions import Fraction

from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import format_quantity, parse_quantity

BLOCKING_EFFECTS = ("NoSchedule", "NoExecute")


# --- taints ---------------------------------------------------------------------------------

def tolerates(toleration: dict, taint: dict) -> bool:
    """resourceclaim.ToleratesTaint."""
    if toleration.get("effect") and toleration.get("effect") != taint.get("effect"):
        return False
    if toleration.get("key") and toleration.get("key") != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return operator == "Exists"


def _rule_selects(rule: dict, dev) -> bool:
    selector = dig(rule, "spec", "deviceSelector", default={}) or {}
    for field, value in (("driver", dev.driver), ("pool", dev.pool), ("device", dev.name)):
        wanted = selector.get(field)
        if wanted and wanted != value:
            return False
    return True


def device_taints(inv, dev) -> list[tuple[dict, str]]:
    """[(taint, where it comes from)]: the slice's own taints, then DeviceTaintRules."""
    out = [(t, f"ResourceSlice {dev.slice_name}") for t in dev.raw.get("taints") or []
           if isinstance(t, dict)]
    for rule in inv.by_kind.get("DeviceTaintRule", []):
        taint = dig(rule, "spec", "taint", default=None)
        if isinstance(taint, dict) and _rule_selects(rule, dev):
            out.append((taint, f"DeviceTaintRule {dig(rule, 'metadata', 'name', default='')}"))
    return out


def blocking_taints(inv, dev, tolerations: list[dict]) -> list[tuple[dict, str]]:
    """The taints that keep this request from the device (taintPreventsAllocation)."""
    return [(t, src) for t, src in device_taints(inv, dev)
            if t.get("effect") in BLOCKING_EFFECTS
            and not any(tolerates(tol, t) for tol in tolerations if isinstance(tol, dict))]


def taint_text(taint: dict) -> str:
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint.get('key', '')}{value}:{taint.get('effect', '')}"


# --- shared counters ------------------------------------------------------------------------

def _amount(value) -> Fraction:
    raw = value.get("value") if isinstance(value, dict) else value
    try:
        return Fraction(parse_quantity(str(raw)))
    except (ValueError, TypeError):
        return Fraction(0)


class Counters:
    """The counter budgets of every pool, and what allocated devices consume."""

    def __init__(self, inv):
        self.budget: dict[tuple, Fraction] = {}
        for sl in inv.slices:
            spec = sl.get("spec") or {}
            pool = (spec.get("driver", ""), dig(spec, "pool", "name", default=""))
            for counter_set in spec.get("sharedCounters") or []:
                for name, value in (counter_set.get("counters") or {}).items():
                    self.budget[pool + (counter_set.get("name", ""), name)] = _amount(value)
        self.by_key = {d.key: d for d in inv.devices}
        self.held = set(inv.holders)

    def consumes(self, dev) -> dict[tuple, Fraction]:
        out: dict[tuple, Fraction] = {}
        for entry in dev.raw.get("consumesCounters") or []:
            for name, value in (entry.get("counters") or {}).items():
                key = (dev.driver, dev.pool, entry.get("counterSet", ""), name)
                out[key] = out.get(key, Fraction(0)) + _amount(value)
        return out

    def left(self, key: tuple, also_taken=()) -> Fraction:
        used = sum((self.consumes(self.by_key[k]).get(key, Fraction(0))
                    for k in self.held | set(also_taken) if k in self.by_key), Fraction(0))
        return self.budget.get(key, Fraction(0)) - used

    def short(self, dev, also_taken=()) -> list[str]:
        """Counters this device needs more of than is left ("" list = it fits)."""
        out = []
        for key, need in self.consumes(dev).items():
            if key not in self.budget:
                continue  # counter set not in the input: cannot judge, do not block
            left = self.left(key, also_taken)
            if need > left:
                out.append(f"counter {key[3]} of set {key[2]} (pool {key[1]}): needs "
                           f"{_show(need, key[3])}, {_show(left, key[3])} left of "
                           f"{_show(self.budget[key], key[3])}")
        return out


def _show(value: Fraction, counter: str) -> str:
    return format_quantity(value, counter)
