"""`eval --parallel` never runs at once scenarios whose pods together need more accelerators
than a node pool has: capacity (inventory, demand) and packing (who starts, who waits)."""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from harness.cluster import topology
from harness.evals import capacity, packing, runner, scenario
from harness.evals.model import RunRecord, ScenarioRef

H100 = ("gpu-h100", "nvidia.com/gpu")
DRA = ("gpu-h200-dra", "dra:gpu.nvidia.com")
SMALL = """
pools:
  - {name: gpu-h100, count: 2, flavor: h100, gpus: {mode: extended, count: 8},
     labels: {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}}
  - {name: gpu-a100, count: 1, flavor: a100, gpus: {mode: extended, count: 8},
     labels: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}}
  - {name: gpu-h200-dra, count: 2, flavor: h200-dra, gpus: {mode: dra, count: 8},
     labels: {nvidia.com/gpu.product: NVIDIA-H200}}
  - {name: cpu, count: 1}
"""


def _inventory() -> capacity.Inventory:
    return capacity.from_topology(topology.parse(SMALL, "small.yaml"))


def _job(name: str, replicas: int, gpus: int, queue: str | None = None,
         selector: dict | None = None) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "labels": {capacity.QUEUE_LABEL: queue} if queue else {}},
            "spec": {"parallelism": replicas, "template": {"spec": {
                "nodeSelector": selector or {},
                "containers": [{"name": "c", "resources": {
                    "limits": {"cpu": "1", "nvidia.com/gpu": str(gpus)}}}]}}}}


def _queues(flavor: str) -> list[dict]:
    return [{"kind": "LocalQueue", "metadata": {"name": "team"},
             "spec": {"clusterQueue": "ev-1-team"}},
            {"kind": "ClusterQueue", "metadata": {"name": "ev-1-team"},
             "spec": {"resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                                          "flavors": [{"name": flavor, "resources": []}]}]}}]


# --- inventory ------------------------------------------------------------------------------

def test_the_topology_gives_each_pool_its_devices_and_nodes():
    inv = _inventory()
    assert inv.totals() == {H100: 16, ("gpu-a100", "nvidia.com/gpu"): 8, DRA: 16}
    assert inv.node_counts()[H100] == 2
    assert inv.flavors["h100"] == {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}


def test_the_api_inventory_groups_nodes_by_pool_and_counts_resource_slices():
    # Shapes as the apiserver returns them (a Node's allocatable quantities are strings).
    def node(name, pool, gpus=None):
        alloc = {"cpu": "192", "memory": "2Ti", "pods": "110"}
        if gpus:
            alloc["nvidia.com/gpu"] = gpus
        return {"metadata": {"name": name, "labels": {topology.POOL_LABEL: pool,
                                                      "kubernetes.io/hostname": name,
                                                      "zone": name[-1]}},
                "status": {"allocatable": alloc}}
    nodes = [node("h-0", "h100", "8"), node("h-1", "h100", "8"), node("d-0", "dra"),
             {"metadata": {"name": "real-node", "labels": {}}, "status": {"allocatable": {}}}]
    slices = [{"spec": {"nodeName": "d-0", "driver": "gpu.nvidia.com",
                        "devices": [{"name": f"gpu-{i}"} for i in range(4)]}},
              {"spec": {"driver": "net.example.com", "devices": [{"name": "x"}]}}]  # no node
    flavors = [{"metadata": {"name": "h100"}, "spec": {"nodeLabels": {"zone": "0"}}}]
    inv = capacity.from_api(nodes, slices, flavors)
    assert inv.totals() == {("h100", "nvidia.com/gpu"): 16, ("dra", "dra:gpu.nvidia.com"): 4}
    assert inv.node_counts()[("h100", "nvidia.com/gpu")] == 2
    h100 = next(p for p in inv.pools if p.name == "h100")
    assert h100.labels == {topology.POOL_LABEL: "h100"}   # only what every node carries
    assert inv.flavors == {"h100": {"zone": "0"}}


# --- demand ---------------------------------------------------------------------------------

def test_a_queued_gang_is_charged_to_its_flavors_pool_per_pod():
    wanted = capacity.needs([_job("gang", 3, 2, queue="team"), *_queues("h100")])
    assert capacity.demand(wanted, _inventory()) == {H100: (2, 2, 2)}


def test_without_a_queue_or_selector_every_pool_with_the_resource_is_charged():
    got = capacity.demand(capacity.needs([_job("j", 1, 4)]), _inventory())
    assert got == {H100: (4,), ("gpu-a100", "nvidia.com/gpu"): (4,)}
    # a queue whose flavors have no such pool: the fix must change the queue, any pool
    got = capacity.demand(capacity.needs([_job("j", 1, 4, queue="team"), *_queues("cpu")]),
                          _inventory())
    assert set(got) == {H100, ("gpu-a100", "nvidia.com/gpu")}


def test_a_node_selector_narrows_and_an_unplaceable_pod_holds_nothing():
    inv = _inventory()
    a100 = {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}
    assert capacity.demand(capacity.needs([_job("j", 2, 1, selector=a100)]), inv) == {
        ("gpu-a100", "nvidia.com/gpu"): (1, 1)}
    h200 = {"nvidia.com/gpu.product": "NVIDIA-H200"}   # DRA only: no nvidia.com/gpu there
    assert capacity.demand(capacity.needs([_job("j", 1, 1, selector=h200)]), inv) == {}


def test_claims_count_per_pod_from_a_template_and_once_for_a_shared_claim():
    def claim_spec(count=None, first=None):
        request = {"name": "gpu"}
        if first:
            request["firstAvailable"] = first
        else:
            request["exactly"] = {"deviceClassName": "gpu.nvidia.com", "count": count}
        return {"devices": {"requests": [request]}}

    def deployment(replicas, claim):
        return {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {
            "replicas": replicas, "template": {"spec": {
                "resourceClaims": [{"name": "gpu", **claim}],
                "containers": [{"name": "c"}]}}}}
    objects = [
        {"kind": "ResourceClaimTemplate", "metadata": {"name": "two"},
         "spec": {"spec": claim_spec(2)}},
        {"kind": "ResourceClaimTemplate", "metadata": {"name": "best"},
         "spec": {"spec": claim_spec(first=[
             {"name": "big", "deviceClassName": "gpu.nvidia.com", "count": 4},
             {"name": "small", "deviceClassName": "gpu.nvidia.com", "count": 1}])}},
        {"kind": "ResourceClaim", "metadata": {"name": "shared"}, "spec": claim_spec(1)},
        deployment(2, {"resourceClaimTemplateName": "two"}),
        deployment(1, {"resourceClaimTemplateName": "best"}),
        deployment(3, {"resourceClaimName": "shared"}),
        deployment(3, {"resourceClaimName": "shared"}),
        deployment(1, {"resourceClaimTemplateName": "not-in-the-scenario"}),
    ]
    assert capacity.demand(capacity.needs(objects), _inventory()) == {DRA: (4, 2, 2, 1)}


def test_a_device_class_not_named_after_a_driver_charges_every_dra_pool():
    wanted = capacity.declared([{"deviceClass": "gpu.example.com", "count": 1, "pods": 2}])
    assert capacity.demand(wanted, _inventory()) == {DRA: (1, 1)}


def test_every_scenario_demand_reads_from_its_manifests_on_the_default_topology():
    inv = capacity.from_topology(topology.load())
    context = {"prefix": "ev-1", "run_label": "k8s-skills.eval/run=1",
               "registry_pull_secret": "e30="}
    got = {}
    for s in scenario.discover():
        names = {n["name"]: f"{n['name']}-1" for n in s.namespaces}
        ctx = {**context, "ns": next(iter(names.values())), "namespaces": names,
               "scenario": s.id}
        got[s.id] = capacity.of_scenario(s, ctx, inv)
    assert got["gang-too-big"] == {H100: (2, 2, 2)}            # flavor h100 of its queue
    assert got["diagnose-quota-holder"] == {H100: (4, 2)}      # the holder and the waiter
    assert got["legacy-gpu-limits"] == {DRA: (1,)}              # declared: the fix's device
    assert got["missing-claim"] == {DRA: (1,)}                  # declared: the fix's claim


# --- packing --------------------------------------------------------------------------------

def test_surely_fits_assumes_the_worst_spread_of_the_free_devices():
    assert packing.surely_fits(16, 2, (4, 4))
    assert not packing.surely_fits(16, 2, (8, 8))    # 8 free could be 4 + 4 (it runs alone)
    assert not packing.surely_fits(6, 2, (4,))       # could be 3 + 3
    assert packing.surely_fits(7, 2, (4,))           # then one node has 4
    assert packing.surely_fits(1, 2, (1,)) and not packing.surely_fits(0, 2, (1,))


def _gate(*demands: dict) -> packing.Gate:
    inv = _inventory()
    return packing.Gate(inv.totals(), inv.node_counts(), list(demands),
                        [f"run-{i}" for i in range(len(demands))])


def test_a_run_waits_while_others_hold_its_gpus_and_starts_when_they_finish():
    # diagnose-quota-holder, preemption-disabled and gang-too-big on 2 x 8 H100s
    gate = _gate({H100: (4, 2)}, {H100: (4, 4)}, {H100: (2, 2, 2)})
    start, why = gate.choose([0, 1, 2], free=6)
    assert start == [0] and set(why) == {1, 2}
    assert why[1] == ("needs 4+4 nvidia.com/gpu on gpu-h100 (2 nodes, 16 in all), 6 held by "
                      "run-0")
    assert "behind an earlier run" in why[2]   # no overtaking on the pool run 1 waits for
    gate.release(0)
    assert gate.choose([1, 2], free=6) == ([1, 2], {})   # 8 free: at worst 4 + 4, room for 2s


def test_runs_on_other_pools_and_without_accelerators_go_on():
    gate = _gate({H100: (8, 8)}, {H100: (1,)}, {DRA: (1,)}, {})
    assert gate.choose([0, 1, 2, 3], free=6)[0] == [0, 2, 3]


def test_a_run_larger_than_its_pool_runs_alone_there():
    gate = _gate({DRA: (8, 8, 8)}, {DRA: (1,)})
    start, why = gate.choose([0, 1], free=2)
    assert start == [0] and "24 held by run-0" in why[1]
    gate.release(0)
    assert gate.choose([1], free=2)[0] == [1]
    gate = _gate({DRA: (1,)}, {DRA: (12,)})
    assert gate.choose([0, 1], free=2)[0] == [0]   # 12 is not sure to fit beside 1


def test_free_workers_limit_the_starts():
    gate = _gate({}, {}, {})
    assert gate.choose([0, 1, 2], free=2) == ([0, 1], {})


def test_run_all_never_runs_more_than_the_pool_holds(tmp_path, monkeypatch):
    """Real scenarios, a small topology, run_one replaced by a stub that notes which runs
    overlap: the H100 scenarios never hold more than the pool has at once."""
    inv = _inventory()
    found = {s.id: s for s in scenario.discover(pattern="kueue")}
    chosen = ["diagnose-quota-holder", "preemption-disabled", "gang-too-big",
              "stopped-cluster-queue", "lending-limit"]
    jobs = [runner.Job(found[i], agent, True) for i in chosen for agent in ("reference", "none")]
    lock, running, peak, log = threading.Lock(), set(), [0], []
    demand = {i: sum(capacity.of_scenario(found[i], _context(found[i]), inv).get(H100, ()))
              for i in chosen}

    def run_one(kube, job, settings, budget_left=None):
        with lock:
            running.add(job.label)
            peak[0] = max(peak[0], sum(demand[j.split("/")[1].split(" ")[0]] for j in running))
        time.sleep(0.05)
        with lock:
            running.discard(job.label)
        return RunRecord("t", ScenarioRef(job.scenario.id), job.agent, "on", 1, "pass", "ok")

    monkeypatch.setattr(runner, "run_one", run_one)
    monkeypatch.setattr(runner.records, "write", lambda run_dir, record: None)
    settings = runner.Settings(run_id="t", run_dir=tmp_path, model="-", log=log.append)
    kube = SimpleNamespace(kubeconfig=tmp_path / "kubeconfig")
    done = runner.run_all(kube, jobs, settings, parallel=6, inventory=inv)
    assert len(done) == len(jobs) and peak[0] <= 16
    assert any(m.startswith("  wait   kueue/") and "held by" in m for m in log), log
    assert log[0].startswith("  capacity: gpu-h100: 16 nvidia.com/gpu")


def _context(s) -> dict:
    names = {n["name"]: f"{n['name']}-1" for n in s.namespaces}
    return {"prefix": "ev-1", "run_label": "r=1", "ns": next(iter(names.values())),
            "namespaces": names, "scenario": s.id}
