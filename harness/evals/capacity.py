"""Accelerators: what a cluster's node pools have, and what a scenario's workloads hold.

`eval --parallel N` runs scenarios side by side on one cluster; two scenarios whose pods
together need more GPUs than a pool has would make each other's pods Pending ("Insufficient
nvidia.com/gpu") and their checks fail for a reason that is no one's fault. The runner
(harness.evals.packing) starts a run only when its demand fits beside the runs in progress.

Inventory: the topology the cluster was started with (state.json), else the cluster's
Nodes (allocatable extended resources such as nvidia.com/gpu) and ResourceSlices (DRA
devices, counted as `dra:<driver>`), nodes grouped by the topology's pool label.

Demand, read from the objects a scenario applies (its setup and fault manifests): every
pod template's extended resources times its replicas, and the devices its ResourceClaims
ask for (a claim template per pod, a named claim once). Where it lands: the pools whose
labels match the pod's nodeSelector and, for a workload queued in Kueue, one of the flavors
of its ClusterQueue (when the scenario's objects name them); when nothing narrows it, every
pool that has the resource is charged (an upper bound: waiting is cheap, a false failure is
not). What a reference fix or a dodge adds that the manifests do not show (a script moving a
pod onto DRA devices) the scenario declares under `capacity:`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from harness.cluster import topology as topo_mod

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
DRA_PREFIX = "dra:"
# A claim asking for every matching device (allocationMode: All) holds the whole pool.
ALL_DEVICES = 10 ** 6

Obj = dict[str, Any]           # an API object, or a part of one
Key = tuple[str, str]          # (pool, resource)
Demand = dict[Key, tuple[int, ...]]   # what each pod holds there, largest first


@dataclass(frozen=True)
class Pool:
    name: str
    labels: dict[str, str]            # the labels every node of the pool carries
    capacity: dict[str, int]          # resource -> total over the pool's nodes
    nodes: dict[str, int] = field(default_factory=Obj)   # resource -> nodes offering it


@dataclass(frozen=True)
class Inventory:
    pools: tuple[Pool, ...]
    flavors: dict[str, dict[str, str]] = field(default_factory=Obj)  # flavor -> nodeLabels

    def totals(self) -> dict[Key, int]:
        return {(p.name, r): n for p in self.pools for r, n in p.capacity.items() if n > 0}

    def node_counts(self) -> dict[Key, int]:
        return {(p.name, r): max(1, p.nodes.get(r, 1)) for p in self.pools for r in p.capacity}

    def describe(self) -> str:
        parts = [f"{p.name}: {', '.join(f'{n} {r}' for r, n in sorted(p.capacity.items()))}"
                 for p in self.pools if p.capacity]
        return "; ".join(parts) or "no accelerators"


@dataclass(frozen=True)
class Need:
    """Some of one resource that pods of one workload hold, and where they may run."""
    resource: str                         # extended resource, or dra:<device class>
    per_pod: int
    pods: int = 1
    node_selector: dict[str, str] = field(default_factory=Obj)
    flavors: tuple[str, ...] | None = None  # Kueue flavors it may be admitted to; None: any


# --- inventory -----------------------------------------------------------------------------

def from_topology(topo: topo_mod.Topology) -> Inventory:
    pools = []
    flavors: dict[str, dict[str, str]] = {}
    for pool in topo.pools:
        labels = topo_mod.node(pool, "x")["metadata"]["labels"]
        labels = {k: v for k, v in labels.items() if k != "kubernetes.io/hostname"}
        gpus = pool.gpus or {}
        total = pool.count * int(gpus.get("count", 0))
        resource = (f"{DRA_PREFIX}{topo.device_class}" if pool.gpu_mode == "dra"
                    else "nvidia.com/gpu")
        pools.append(Pool(pool.name, labels, {resource: total} if total else {},
                          {resource: pool.count} if total else {}))
        if pool.flavor:
            flavors[str(pool.flavor)] = topo_mod.resource_flavor(pool)["spec"]["nodeLabels"]
    return Inventory(tuple(pools), flavors)


def from_api(nodes: list[Obj], slices: list[Obj], flavors: list[Obj]) -> Inventory:
    """Nodes grouped by the topology's pool label (a node without it is a pool of its own)."""
    pool_of: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    capacity: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    offering: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node in nodes:
        meta = node.get("metadata") or {}
        node_labels = dict(meta.get("labels") or {})
        pool = node_labels.get(topo_mod.POOL_LABEL) or meta.get("name", "")
        pool_of[meta.get("name", "")] = pool
        node_labels.pop("kubernetes.io/hostname", None)
        labels[pool] = ({k: v for k, v in labels[pool].items() if node_labels.get(k) == v}
                        if pool in labels else node_labels)
        for resource, amount in ((node.get("status") or {}).get("allocatable") or {}).items():
            if "/" in resource and not resource.startswith("hugepages-") and _int(amount):
                capacity[pool][resource] += _int(amount)
                offering[pool][resource] += 1
    for item in slices:
        spec = item.get("spec") or {}
        pool = pool_of.get(spec.get("nodeName") or "")
        devices = len(spec.get("devices") or [])
        if pool is not None and devices:
            capacity[pool][f"{DRA_PREFIX}{spec.get('driver', '')}"] += devices
            offering[pool][f"{DRA_PREFIX}{spec.get('driver', '')}"] += 1
    pools = tuple(Pool(name, labels[name], dict(capacity[name]), dict(offering[name]))
                  for name in labels)
    return Inventory(pools, {f["metadata"]["name"]: dict((f.get("spec") or {}).get(
        "nodeLabels") or {}) for f in flavors})


def read(kube: Any) -> Inventory:
    """The inventory of the cluster `kube` talks to (see the module's docstring)."""
    if getattr(kube, "topology", None) is not None:
        return from_topology(kube.topology)

    def listed(kind: str) -> list[Obj]:
        return kube.list(kind) if kube.resource(kind) else []

    return from_api(kube.list("nodes"), listed("resourceslices.resource.k8s.io"),
                    listed("resourceflavors.kueue.x-k8s.io"))


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


# --- demand --------------------------------------------------------------------------------

def needs(objects: list[Obj]) -> list[Need]:
    """What the pods of these objects (a scenario's rendered manifests) hold."""
    templates = {o["metadata"]["name"]: o for o in objects
                 if o.get("kind") == "ResourceClaimTemplate"}
    claims = {o["metadata"]["name"]: o for o in objects if o.get("kind") == "ResourceClaim"}
    out: list[Need] = []
    shared: set[str] = set()
    for obj in objects:
        for replicas, pod in _pod_templates(obj):
            selector = dict(pod.get("nodeSelector") or {})
            flavors = _kueue_flavors(obj, objects)
            for resource, amount in _extended(pod).items():
                out.append(Need(resource, amount, replicas, selector, flavors))
            for ref in pod.get("resourceClaims") or []:
                name = ref.get("resourceClaimTemplateName")
                if name in templates:
                    spec = (templates[name].get("spec") or {}).get("spec") or {}
                    out += [Need(r, n, replicas, selector, flavors)
                            for r, n in _devices(spec).items()]
                name = ref.get("resourceClaimName")
                if name in claims and name not in shared:   # one claim: its pods share a node
                    shared.add(name)
                    out += [Need(r, n, 1, selector, flavors)
                            for r, n in _devices(claims[name].get("spec") or {}).items()]
    return out


def declared(items: list[Obj]) -> list[Need]:
    """A scenario's `capacity:` list (see the scenario schema)."""
    out = []
    for item in items:
        resource = item.get("resource") or f"{DRA_PREFIX}{item['deviceClass']}"
        flavor = item.get("flavor")
        out.append(Need(resource, int(item["count"]), int(item.get("pods", 1)),
                        dict(item.get("nodeSelector") or {}), (flavor,) if flavor else None))
    return out


def demand(wanted: list[Need], inventory: Inventory) -> Demand:
    """Each need charged to every pool it may land on: the pods' sizes, largest first."""
    out: dict[Key, list[int]] = defaultdict(list)
    for need in wanted:
        for pool, resource in _targets(need, inventory):
            out[(pool.name, resource)] += [need.per_pod] * need.pods
    return {k: tuple(sorted(sizes, reverse=True)) for k, sizes in out.items()
            if sum(sizes) > 0}


def _targets(need: Need, inventory: Inventory) -> list[tuple[Pool, str]]:
    resource = need.resource
    if resource.startswith(DRA_PREFIX) and not any(resource in p.capacity
                                                   for p in inventory.pools):
        # a device class that is not named after its driver: any pool with DRA devices
        found = [(p, r) for p in inventory.pools for r in p.capacity
                 if r.startswith(DRA_PREFIX)]
    else:
        found = [(p, resource) for p in inventory.pools if resource in p.capacity]
    found = [(p, r) for p, r in found if _matches(p.labels, need.node_selector)]
    known = [f for f in need.flavors or () if f in inventory.flavors]
    narrowed = [(p, r) for p, r in found
                if any(_matches(p.labels, inventory.flavors[f]) for f in known)]
    # No flavor of its queue has the resource: the fix must change the queue, so it may
    # land on any pool that has it.
    return narrowed or found


def _matches(labels: dict[str, str], selector: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _pod_templates(obj: Obj) -> list[tuple[int, Obj]]:
    """(pods, pod spec) of a workload object; [] for anything that makes no pods."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}

    def pod_spec(template: Obj | None) -> Obj:
        return (template or {}).get("spec") or {}

    if kind == "Pod":
        return [(1, spec)]
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        return [(_count(spec, "replicas"), pod_spec(spec.get("template")))]
    if kind == "Job":
        return [(_count(spec, "parallelism"), pod_spec(spec.get("template")))]
    if kind == "JobSet":
        out = []
        for rjob in spec.get("replicatedJobs") or []:
            job = (rjob.get("template") or {}).get("spec") or {}
            out.append((_count(rjob, "replicas") * _count(job, "parallelism"),
                        pod_spec(job.get("template"))))
        return out
    return []


def _count(spec: Obj, key: str) -> int:
    value = spec.get(key, 1)
    return value if isinstance(value, int) and value >= 0 else 1


def _extended(pod: Obj) -> dict[str, int]:
    """Extended resources of one pod: its containers' sum, or its largest init container."""
    def per(containers: Any) -> list[dict[str, int]]:
        out = []
        for c in containers or []:
            res = c.get("resources") or {}
            merged = {**(res.get("requests") or {}), **(res.get("limits") or {})}
            out.append({r: _int(v) for r, v in merged.items()
                        if "/" in r and not r.startswith("hugepages-")})
        return out

    total: dict[str, int] = defaultdict(int)
    for amounts in per(pod.get("containers")):
        for r, n in amounts.items():
            total[r] += n
    for amounts in per(pod.get("initContainers")):
        for r, n in amounts.items():
            total[r] = max(total[r], n)
    return {r: n for r, n in total.items() if n > 0}


def _devices(claim_spec: Obj) -> dict[str, int]:
    """Devices per device class one claim asks for (firstAvailable: its largest choice)."""
    out: dict[str, int] = defaultdict(int)
    for request in (claim_spec.get("devices") or {}).get("requests") or []:
        choices = [request["exactly"]] if request.get("exactly") else \
            list(request.get("firstAvailable") or [])
        best: dict[str, int] = {}
        for choice in choices:
            n = ALL_DEVICES if choice.get("allocationMode") == "All" else \
                _count(choice, "count")
            cls = f"{DRA_PREFIX}{choice.get('deviceClassName', '')}"
            best[cls] = max(best.get(cls, 0), n)
        for cls, n in best.items():
            out[cls] += n
    return dict(out)


def _kueue_flavors(obj: Obj, objects: list[Obj]) -> tuple[str, ...] | None:
    """The flavors of the ClusterQueue behind the workload's LocalQueue, when the scenario's
    objects hold both; None otherwise (any flavor)."""
    queue = ((obj.get("metadata") or {}).get("labels") or {}).get(QUEUE_LABEL)
    if not queue:
        return None
    local = next((o for o in objects if o.get("kind") == "LocalQueue"
                  and o["metadata"]["name"] == queue), None)
    target = ((local or {}).get("spec") or {}).get("clusterQueue")
    cluster = next((o for o in objects if o.get("kind") == "ClusterQueue"
                    and o["metadata"]["name"] == target), None)
    if cluster is None:
        return None
    names = [f.get("name") for g in (cluster.get("spec") or {}).get("resourceGroups") or []
             for f in g.get("flavors") or []]
    return tuple(n for n in names if n) or None


def of_scenario(scenario: Any, context: Obj, inventory: Inventory) -> Demand:
    """What a run of `scenario` holds on `inventory`'s pools (its manifests rendered with
    `context`, plus what it declares under `capacity:`)."""
    objects = scenario.manifests("setup", context) + scenario.manifests("fault", context)
    extra = scenario.render(scenario.data.get("capacity", []), context)
    return demand(needs(objects) + declared(extra), inventory)
