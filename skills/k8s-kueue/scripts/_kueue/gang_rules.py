"""Gang checks for one distributed job: size, shape, partial admission and placement.

Each rule returns a list of (severity, cause, message, evidence, fix). Kueue admits a
Workload all-or-nothing (quota for every pod set at once) and, with waitForPodsReady (on by
default since v0.19: apis/config/v1beta2/defaults.go, timeout 30m, blockAdmission false),
evicts and requeues it when not all pods become Ready in time, so a gang that cannot be
placed in full burns its timeout and loops.
"""
from __future__ import annotations

from fractions import Fraction

from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import format_quantity, parse_quantity

from _kueue.gang_model import parallel_hints, pod_shape
from _kueue.flavors import flavor_problem, node_matches
from _kueue.objects import pod_requests

ACCEL_HINTS = ("gpu", "tpu", "neuron", "habana", "accelerator")


def accelerators(requests: dict) -> dict:
    return {r: q for r, q in requests.items() if any(h in r.lower() for h in ACCEL_HINTS)}


def check_size(obj: dict, sets: list[dict]) -> list[tuple]:
    pods = sum(ps["count"] for ps in sets)
    hints: dict[str, int] = {}
    for ps in sets:
        for key, value in parallel_hints(ps["template"]).items():
            hints.setdefault(key, value)
    gpus = max((sum(accelerators(pod_requests(dig(ps["template"], "spec", default={}) or {}))
                    .values(), Fraction(0)) for ps in sets), default=Fraction(0))
    out = []
    nnodes, nproc = hints.get("nnodes"), hints.get("nproc_per_node")
    if nnodes and nnodes != pods:
        out.append(("error", "gang_size_mismatch",
                    f"the launcher expects {nnodes} nodes (--nnodes/PET_NNODES) but the job runs "
                    f"{pods} pod(s)", [_counts(sets)],
                    f"set the replica count/parallelism to {nnodes}, or --nnodes to {pods}"))
    if nproc and gpus and nproc != gpus:
        sev = "error" if nproc > gpus else "warning"
        out.append((sev, "gang_size_mismatch",
                    f"--nproc_per_node {nproc} but each pod requests {format_quantity(gpus)} "
                    "accelerator(s)", [], f"make --nproc_per_node equal the per-pod GPU count "
                                          f"({format_quantity(gpus)})"))
    out += _world_size(hints, pods, nproc or (int(gpus) if gpus else None))
    out += _completions(obj)
    return out


def _world_size(hints, pods, per_pod) -> list[tuple]:
    world = hints.get("world_size")
    expected = pods * per_pod if per_pod else pods
    out = []
    if world and world not in (pods, expected):
        out.append(("error", "gang_size_mismatch",
                    f"WORLD_SIZE={world} but the job starts {pods} pod(s) x {per_pod or 1} "
                    f"process(es) = {expected}", [], f"set WORLD_SIZE to {expected} (or let the "
                                                     "launcher derive it)"))
    tp, pp, dp = hints.get("tp"), hints.get("pp"), hints.get("dp")
    total = world or expected
    if tp and (pp or dp) and tp * (pp or 1) * (dp or 1) != total:
        out.append(("error", "gang_size_mismatch",
                    f"TP {tp} x PP {pp or 1} x DP {dp or 1} = {tp * (pp or 1) * (dp or 1)}, "
                    f"but the gang has {total} processes", [],
                    "make TP x PP x DP equal the number of processes (pods x GPUs per pod)"))
    elif tp and total % tp:
        out.append(("error", "gang_size_mismatch",
                    f"tensor parallel size {tp} does not divide the {total} processes", [],
                    "choose a TP size that divides pods x GPUs per pod"))
    return out


def _completions(obj: dict) -> list[tuple]:
    if obj.get("kind") != "Job":
        return []
    spec = obj.get("spec") or {}
    par, comp = spec.get("parallelism", 1), spec.get("completions")
    if comp is not None and comp != par:
        return [("warning", "gang_completions_mismatch",
                 f"completions {comp} != parallelism {par}: only {par} pods run at a time, so a "
                 "distributed job never sees its whole gang", [],
                 "for a gang set completions = parallelism (completionMode: Indexed)")]
    return []


def check_partial(sets: list[dict]) -> list[tuple]:
    partial = [ps for ps in sets if ps["min_count"] is not None and ps["min_count"] < ps["count"]]
    fixed = any(parallel_hints(ps["template"]) for ps in sets)
    if not partial or not fixed:
        return []
    names = ", ".join(f"{ps['name']} (min {ps['min_count']} of {ps['count']})" for ps in partial)
    return [("error", "partial_admission_breaks_gang",
             f"partial admission is allowed for {names}, but the job has a fixed world size: "
             "Kueue may start fewer pods than the launcher waits for",
             ["kueue.x-k8s.io/job-min-parallelism / minReplicas lets Kueue shrink the gang"],
             "remove the min-parallelism annotation (or minReplicas) for fixed-size training")]


def check_shape(sets: list[dict]) -> list[tuple]:
    accel_sets = [ps for ps in sets if accelerators(
        pod_requests(dig(ps["template"], "spec", default={}) or {}))]
    if len(accel_sets) < 2:
        return []
    first = accel_sets[0]
    out = []
    for other in accel_sets[1:]:
        diffs = [k for k, v in pod_shape(first["template"]).items()
                 if pod_shape(other["template"])[k] != v]
        req_a = accelerators(pod_requests(dig(first["template"], "spec", default={})))
        req_b = accelerators(pod_requests(dig(other["template"], "spec", default={})))
        if req_a != req_b:
            diffs.append("accelerator requests")
        if diffs:
            out.append(("warning", "podset_heterogeneous",
                        f"pod sets {first['name']} and {other['name']} differ in "
                        f"{', '.join(diffs)}: they may get different flavors or land apart",
                        [], "give every GPU pod set the same requests, tolerations, "
                            "nodeSelector and topology annotations"))
    return out


def check_placement(sets: list[dict], nodes: list[dict], flavors: dict) -> list[tuple]:
    out = []
    for ps in sets:
        spec = dig(ps["template"], "spec", default={}) or {}
        need = pod_requests(spec)
        if not ps["count"] or not accelerators(need):
            continue
        fits = [n for n in nodes if _node_fits(n, spec, need)]
        slots = sum(_slots(n, need) for n in fits)
        if slots >= ps["count"]:
            continue
        out.append(("error", "gang_unplaceable",
                    _placement_message(ps, need, fits, nodes, flavors, spec),
                    [f"nodes that can host one {ps['name']} pod: {len(fits)} of {len(nodes)} "
                     f"(room for {slots} pod(s))"],
                    "shrink the gang or per-pod request, add nodes, or fix nodeSelector/"
                    "tolerations so more nodes qualify"))
    return out


def _placement_message(ps, need, fits, nodes, flavors, spec) -> str:
    accel = ", ".join(f"{format_quantity(q, r)} {r}" for r, q in accelerators(need).items())
    flavor = next((name for name, f in flavors.items()
                   if not flavor_problem(f, name, spec) and any(node_matches(n, f) for n in fits)),
                  "")
    where = f" of flavor {flavor}" if flavor else ""
    return (f"pod set {ps['name']} needs {ps['count']} pod(s) with {accel} each; only "
            f"{len(fits)} of {ps['count']} required node(s){where} exist with that much "
            "allocatable")


def _node_fits(node: dict, spec: dict, need: dict) -> bool:
    labels = dig(node, "metadata", "labels", default={}) or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    fake_flavor = {"spec": {"nodeTaints": dig(node, "spec", "taints", default=[])}}
    if flavor_problem(fake_flavor, "node", spec).startswith("untolerated"):
        return False
    return _slots(node, need) >= 1


def _slots(node: dict, need: dict) -> int:
    alloc = dig(node, "status", "allocatable", default={}) or {}
    slots = None
    for res, qty in need.items():
        if qty <= 0:
            continue
        have = parse_quantity(alloc.get(res, 0))
        n = int(have // qty)
        slots = n if slots is None else min(slots, n)
    return slots or 0


def _counts(sets) -> str:
    return "pod sets: " + ", ".join(f"{ps['name']} x{ps['count']}" for ps in sets)
