"""How many pods of a pod set each topology domain holds now, counted the way Kueue's TAS does.

Kueue v0.19.2 (sigs.k8s.io/kueue, pkg/cache/scheduler and pkg/util/tas):
- nodes of a flavor: every node carrying the flavor's `nodeLabels` and every level label of
  its Topology (util/tas/node.go NodeMatchesFlavor); the lowest level is the leaf domain, and
  a leaf's capacity is the sum of its nodes' allocatable (tas_flavor.go);
- a leaf's free capacity = capacity - requests of the non-TAS pods bound to its nodes (pods
  without a `kueue.x-k8s.io/podset-*-topology` annotation that are not terminated,
  tas_non_tas_pod_cache.go, util/tas IsTAS) - the usage of admitted TAS Workloads, taken from
  their `topologyAssignment` (count x one pod's requests; `pods` counts too, tas_flavor.go);
- a node the pod set excludes (nodeSelector / required affinity, a NoSchedule or NoExecute
  taint that neither the pod template nor the flavor's `tolerations` tolerates,
  tas_flavor_snapshot.go l.961) holds 0 pods;
- a leaf holds floor(min over requested resources of free / request) pods (CountIn); a
  parent holds the sum of its children; a domain at the slice level holds pods / sliceSize
  slices, a parent above it the sum of its children's slices (fillInCountsHelper);
- a required level: Kueue takes one domain of that level, the one with the most slices
  (sortedDomains, BestFit); a preferred level: the first level, going up, where one domain
  holds everything, else the whole topology (findLevelWithFitDomains).
Not modelled: LeaderWorkerSet leader pod sets, the LeastFreeCapacity profile, preferred node
affinity ordering, multi-layer slice constraints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from k8s_skillkit.objects import dig
from k8s_skillkit.quantity import parse_quantity
from k8s_skillkit.requests import pod_requests
from k8s_skillkit.scheduling import node_taints, required_affinity_matches, untolerated_taints

from _kueue.tas import PREFERRED, REQUIRED, UNCONSTRAINED
from _kueue.tas import requests as tas_requests

SLICE_REQUIRED = "kueue.x-k8s.io/podset-slice-required-topology"
SLICE_SIZE = "kueue.x-k8s.io/podset-slice-size"
TAS_ANNOTATIONS = (REQUIRED, PREFERRED, UNCONSTRAINED, SLICE_REQUIRED)


@dataclass
class Domain:
    level: int
    values: tuple[str, ...]  # label values from the top level down to this one
    children: dict[str, "Domain"] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)  # leaves only
    capacity: dict[str, Fraction] = field(default_factory=dict)  # leaves: free capacity
    pods: int = 0
    slices: int = 0

    @property
    def name(self) -> str:
        return "/".join(self.values)


@dataclass
class Request:
    """What one pod set asks of TAS."""
    podset: str
    count: int
    mode: str  # required / preferred / unconstrained / implicit
    level: str
    slice_level: str
    slice_size: int
    requests: dict[str, Fraction]
    template: dict  # a Pod-shaped object (spec = the template's spec) for selectors


@dataclass
class Placement:
    levels: list[str]
    roots: dict[str, Domain]
    excluded: dict[str, int]
    total_nodes: int

    def at_level(self, index: int) -> list[Domain]:
        out: list[Domain] = []

        def walk(domain: Domain) -> None:
            if domain.level == index:
                out.append(domain)
            else:
                for child in domain.children.values():
                    walk(child)
        for root in self.roots.values():
            walk(root)
        return out


def levels_of(topology: dict) -> list[str]:
    return [str(lvl.get("nodeLabel")) for lvl in dig(topology, "spec", "levels", default=[]) or []
            if isinstance(lvl, dict) and lvl.get("nodeLabel")]


def node_labels(node: dict) -> dict:
    return dig(node, "metadata", "labels", default={}) or {}


def flavor_nodes(flavor: dict, levels: list[str], nodes: list[dict]) -> list[dict]:
    """NodeMatchesFlavor: the flavor's nodeLabels and every level label."""
    wanted = dig(flavor, "spec", "nodeLabels", default={}) or {}
    return [n for n in nodes
            if all(node_labels(n).get(k) == str(v) for k, v in wanted.items())
            and all(lvl in node_labels(n) for lvl in levels)]


def _resources(values: dict | None) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for name, value in (values or {}).items():
        try:
            out[str(name)] = parse_quantity(value)
        except ValueError:
            continue
    return out


def is_tas_pod(pod: dict) -> bool:
    anns = dig(pod, "metadata", "annotations", default={}) or {}
    return any(a in anns for a in TAS_ANNOTATIONS)


def _terminated(pod: dict) -> bool:
    return dig(pod, "status", "phase", default="") in ("Succeeded", "Failed")


def non_tas_usage(pods: list[dict]) -> dict[str, dict[str, Fraction]]:
    """Node name -> requests of the bound, running, non-TAS pods (pods counted as 1 each)."""
    out: dict[str, dict[str, Fraction]] = {}
    for pod in pods:
        node = dig(pod, "spec", "nodeName", default="")
        if not node or _terminated(pod) or is_tas_pod(pod):
            continue
        _add(out.setdefault(node, {}), {**pod_requests(pod), "pods": Fraction(1)})
    return out


def _add(total: dict[str, Fraction], more: dict[str, Fraction], times: int = 1) -> None:
    for name, value in more.items():
        total[name] = total.get(name, Fraction(0)) + value * times


def assignment_domains(assignment: dict) -> list[tuple[dict[str, str], int]]:
    """(level label -> value, pod count) per domain of a topologyAssignment: v1beta2 `slices`
    (universal or prefix+root+suffix values, universal or individual counts) and v1beta1
    `domains` ({values, count})."""
    keys = [str(k) for k in assignment.get("levels") or []]
    out: list[tuple[dict[str, str], int]] = []
    for domain in assignment.get("domains") or []:
        out.append((dict(zip(keys, [str(v) for v in domain.get("values") or []])),
                    int(domain.get("count") or 0)))
    for piece in assignment.get("slices") or []:
        size = int(piece.get("domainCount") or 0)
        columns = [_level_values(v, size) for v in piece.get("valuesPerLevel") or []]
        counts = piece.get("podCounts") or {}
        per = ([int(c) for c in counts.get("individual") or []]
               or [int(counts.get("universal") or 0)] * size)
        for i in range(min(size, len(per))):
            out.append(({k: col[i] for k, col in zip(keys, columns) if i < len(col)}, per[i]))
    return out


def _level_values(values: dict, size: int) -> list[str]:
    if values.get("universal") is not None:
        return [str(values["universal"])] * size
    each = values.get("individual") or {}
    prefix, suffix = each.get("prefix") or "", each.get("suffix") or ""
    return [f"{prefix}{root}{suffix}" for root in each.get("roots") or []]


def _holds_quota(wl: dict) -> bool:
    conds = {c.get("type"): c.get("status") for c in dig(wl, "status", "conditions",
                                                         default=[]) or []}
    return conds.get("QuotaReserved") == "True" and conds.get("Finished") != "True"


def tas_usage(workloads: list[dict], flavor: str) -> list[tuple[dict[str, str], dict]]:
    """(domain label values, usage) of every admitted TAS pod set on `flavor`."""
    out: list[tuple[dict[str, str], dict]] = []
    for wl in workloads:
        if not _holds_quota(wl):
            continue
        podsets = {str(p.get("name")): p for p in dig(wl, "spec", "podSets", default=[]) or []}
        for psa in dig(wl, "status", "admission", "podSetAssignments", default=[]) or []:
            assignment = psa.get("topologyAssignment")
            if not assignment or flavor not in (psa.get("flavors") or {}).values():
                continue
            template = podsets.get(str(psa.get("name")), {}).get("template") or {}
            one = {**pod_requests({"spec": template.get("spec") or {}}), "pods": Fraction(1)}
            for labels, count in assignment_domains(assignment):
                usage: dict[str, Fraction] = {}
                _add(usage, one, count)
                out.append((labels, usage))
    return out


def podset_request(wl: dict, podset: dict) -> Request:
    name = str(podset.get("name") or "main")
    mode, level = tas_requests(wl).get(name, ("", ""))
    template = podset.get("template") or {}
    anns = dig(template, "metadata", "annotations", default={}) or {}
    topo = podset.get("topologyRequest") or {}
    slice_level = str(topo.get("podSetSliceRequiredTopology") or anns.get(SLICE_REQUIRED) or "")
    try:
        slice_size = int(topo.get("podSetSliceSize") or anns.get(SLICE_SIZE) or 1)
    except ValueError:
        slice_size = 1
    pod = {"kind": "Pod", "spec": template.get("spec") or {}}
    return Request(podset=name, count=int(podset.get("count") or 1), mode=mode, level=level,
                   slice_level=slice_level if slice_size > 1 else "",
                   slice_size=max(slice_size, 1) if slice_level else 1,
                   requests={**pod_requests(pod), "pods": Fraction(1)}, template=pod)


def place(request: Request, levels: list[str], flavor: dict, nodes: list[dict],
          pods: list[dict], workloads: list[dict]) -> Placement:
    """The flavor's topology tree with, in each domain, how many of the pod set's pods fit."""
    members = flavor_nodes(flavor, levels, nodes)
    tolerations = list(dig(request.template, "spec", "tolerations", default=[]) or []) + \
        list(dig(flavor, "spec", "tolerations", default=[]) or [])
    used = non_tas_usage(pods)
    roots: dict[str, Domain] = {}
    leaves: dict[tuple[str, ...], Domain] = {}
    excluded: dict[str, int] = {}
    for node in sorted(members, key=lambda n: tuple(node_labels(n).get(k, "") for k in levels)):
        values = tuple(str(node_labels(node)[k]) for k in levels)
        leaf = _leaf(roots, values)
        leaves[values] = leaf
        name = str(dig(node, "metadata", "name", default=""))
        leaf.nodes.append(name)
        free = _resources(dig(node, "status", "allocatable", default={}))
        for res, value in used.get(name, {}).items():
            free[res] = free.get(res, Fraction(0)) - value
        why = _exclusion(request, node, tolerations)
        if why:
            excluded[why] = excluded.get(why, 0) + 1
            free = {}
        _add(leaf.capacity, free)
    flavor_name = str(dig(flavor, "metadata", "name", default=""))
    for labels, usage in tas_usage(workloads, flavor_name):
        for values, leaf in leaves.items():
            if labels and all(labels.get(k, v) == v for k, v in zip(levels, values)):
                _add(leaf.capacity, usage, -1)
                break
    slice_index = levels.index(request.slice_level) if request.slice_level in levels \
        else len(levels) - 1
    for root in roots.values():
        _count(root, request, slice_index if request.slice_level else -1, excluded)
    return Placement(levels, roots, excluded, len(members))


def _leaf(roots: dict[str, Domain], values: tuple[str, ...]) -> Domain:
    here = roots.setdefault(values[0], Domain(0, values[:1]))
    for depth in range(1, len(values)):
        here = here.children.setdefault(values[depth], Domain(depth, values[:depth + 1]))
    return here


def _exclusion(request: Request, node: dict, tolerations: list[dict]) -> str:
    """Why the pod set cannot use the node at all, in Kueue's words ('' when it can).
    Taints are checked first: Kueue's "detailed failure message with exclusion stats" case
    (tas_cache_test.go) counts an unlabelled tainted node under its taint."""
    bad = untolerated_taints(node_taints(node), tolerations)
    if bad:
        taint = bad[0]
        value = f"={taint['value']}" if taint.get("value") else ""
        return f'taint "{taint.get("key", "")}{value}:{taint.get("effect", "")}"'
    if not required_affinity_matches(request.template, node):
        spec = request.template.get("spec") or {}
        return "nodeSelector" if spec.get("nodeSelector") else "affinity"
    return ""


def fit_count(free: dict[str, Fraction], requests: dict[str, Fraction]) -> tuple[int, str]:
    """CountInWithLimitingResource (pkg/resources/slice_requests.go): how many times
    `requests` fits in `free`, and the resource that limits it (ties: the smaller name).
    A zero request does not limit."""
    best: tuple[int, str] | None = None
    for res in sorted(requests):
        need = requests[res]
        if need <= 0:
            continue
        count = max(0, int(free.get(res, Fraction(0)) // need))
        if best is None or count < best[0]:
            best = (count, res)
    return best if best else (0, "")


def _count(domain: Domain, request: Request, slice_index: int,
           excluded: dict[str, int]) -> None:
    if not domain.children:
        domain.pods, limiting = fit_count(domain.capacity, request.requests)
        if domain.pods == 0 and limiting and domain.capacity:
            key = f'resource "{limiting}"'
            excluded[key] = excluded.get(key, 0) + 1
        domain.slices = domain.pods // request.slice_size if domain.level == slice_index \
            else (domain.pods if slice_index < 0 else 0)
        return
    for child in domain.children.values():
        _count(child, request, slice_index, excluded)
    domain.pods = sum(c.pods for c in domain.children.values())
    if domain.level == slice_index:
        domain.slices = domain.pods // request.slice_size
    else:
        domain.slices = sum(c.slices for c in domain.children.values())


def ranked(domains: list[Domain]) -> list[Domain]:
    """Kueue's BestFit order: most slices first, then fewer pods, then by name."""
    return sorted(domains, key=lambda d: (-d.slices, d.pods, d.values))


@dataclass
class Verdict:
    fits: bool
    level: str  # the level where it fits, or the level that was asked
    best: Domain | None  # fits: the domain Kueue picks; else the closest one of the level
    best_count: int  # most slices in one domain of the level (Kueue's not-fit count)
    need: int
    total: int  # the whole topology
    unit: str


def judge(request: Request, placement: Placement) -> Verdict:
    levels = placement.levels
    unit = "slice" if request.slice_size > 1 else "pod"
    need = request.count // request.slice_size
    total = sum(r.slices for r in placement.roots.values())
    if request.mode in ("required", "preferred") and request.level in levels:
        index = levels.index(request.level)
        domains = ranked(placement.at_level(index))
        best = domains[0] if domains else None
        best_count = best.slices if best else 0
        if best_count >= need:
            # BestFit (findBestFitDomainForSlices): the fitting domain with the fewest slices
            tight = min((d for d in domains if d.slices >= need), key=lambda d: d.slices)
            return Verdict(True, request.level, tight, best_count, need, total, unit)
        if request.mode == "required":
            return Verdict(False, request.level, best, best_count, need, total, unit)
        for up in range(index - 1, -1, -1):
            top = (ranked(placement.at_level(up)) or [None])[0]
            if top and top.slices >= need:
                return Verdict(True, levels[up], best, best_count, need, total, unit)
        return Verdict(total >= need, "(whole topology)", best, total, need, total, unit)
    return Verdict(total >= need, "(whole topology)", None, total, need, total, unit)
