"""fair_share.py against the shares real Kueue v0.19 writes with fair sharing on.

Kueue is restarted with `fairSharing: {}` in its Configuration (and restored afterwards), a
two-level cohort tree is built (root Cohort with its own GPU quota, a child Cohort of weight 2
with a borrowingLimit, a queue in each), jobs borrow across it, and every
status.fairSharing.weightedShare Kueue writes on the ClusterQueues and Cohorts must equal the
share fair_share.py computes from the same objects without reading that status.
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import (apply, cluster_queue, condition, get, gpu_job, local_queue,
                                wait_for)

pytestmark = pytest.mark.live

SCRIPT = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts" / \
    "fair_share.py"
GPU = "nvidia.com/gpu"


def _cohort(name, parent=None, weight=None, flavor=None, nominal=None, borrowing=None):
    spec: dict = {}
    if parent:
        spec["parentName"] = parent
    if weight:
        spec["fairSharing"] = {"weight": weight}
    if flavor:
        quota = {"name": GPU, "nominalQuota": nominal}
        if borrowing is not None:
            quota["borrowingLimit"] = borrowing
        spec["resourceGroups"] = [{"coveredResources": [GPU], "flavors": [
            {"name": flavor, "resources": [quota]}]}]
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Cohort",
            "metadata": {"name": name}, "spec": spec}


def _cq(name, namespace, flavor, cohort, gpus, weight=None):
    # cpu and memory are ample: only the GPUs borrow (the jobs request all three)
    obj = cluster_queue(name, namespace, flavor, {"cpu": "64", "memory": "256Gi", GPU: gpus})
    obj["spec"]["cohortName"] = cohort
    if weight:
        obj["spec"]["fairSharing"] = {"weight": weight}
    return obj


@pytest.fixture
def fair_sharing_kueue(live_cluster):
    if live_cluster["cluster"] is None:
        pytest.skip("an existing cluster: its Kueue is not ours to restart")
    cluster = live_cluster["cluster"]
    # v1beta2 validation requires the strategies (their documented default pair).
    strategies = ["LessThanOrEqualToFinalShare", "LessThanInitialShare"]
    try:
        cluster.restart_kueue(settings={"fairSharing": {"preemptionStrategies": strategies}})
        yield
    finally:
        cluster.restart_kueue(settings={"fairSharing": None})


def _admitted(kubectl, namespace, job):
    for wl in get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]:
        if any(o.get("name") == job for o in wl["metadata"].get("ownerReferences", [])):
            return (condition(wl, "QuotaReserved") or {}).get("status") == "True"
    return False


def test_shares_match_kueue(kubectl, kubectl_env, namespace, other_namespace,
                            fair_sharing_kueue):
    a, b = namespace, other_namespace
    flavor, root, child = f"rf-{a}", f"root-{a}", f"child-{a}"
    cqa, cqb = f"cqa-{a}", f"cqb-{a}"
    objects = [
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
         "metadata": {"name": flavor}, "spec": {}},
        _cohort(root, flavor=flavor, nominal="6"),
        _cohort(child, parent=root, weight="2", flavor=flavor, nominal="0", borrowing="6"),
        _cq(cqa, a, flavor, child, "2"), _cq(cqb, b, flavor, root, "2", weight="1"),
        local_queue("team", a, cqa), local_queue("team", b, cqb)]
    apply(kubectl, *objects)
    try:
        # cqa holds 2 and borrows 4 through its Cohort; cqb borrows 1 from the root.
        apply(kubectl, gpu_job("big", a, "team", gpus=2, parallelism=3),
              gpu_job("small", b, "team", gpus=3))
        for ns, job in ((a, "big"), (b, "small")):
            wait_for(lambda ns=ns, job=job: _admitted(kubectl, ns, job), timeout=120,
                     what=f"{job} holds quota")

        def reported():
            cqs = {o["metadata"]["name"]: o for o in
                   get(kubectl, "clusterqueues.kueue.x-k8s.io")["items"]}
            cohorts = {o["metadata"]["name"]: o for o in
                       get(kubectl, "cohorts.kueue.x-k8s.io")["items"]}
            wanted = {**{n: cqs.get(n) for n in (cqa, cqb)},
                      **{n: cohorts.get(n) for n in (root, child)}}
            return {n: ((o or {}).get("status") or {}).get("fairSharing", {}).get(
                "weightedShare") for n, o in wanted.items()}

        wait_for(lambda: reported()[cqa] not in (None, 0) and reported()[cqb] not in (None, 0),
                 timeout=90, what="Kueue wrote the shares")
        kueue_says = reported()
        print(f"Kueue's weightedShare: {kueue_says}")
        dump = {"apiVersion": "v1", "kind": "List", "items": [
            _without_fair_sharing_status(o)
            for kind in ("clusterqueues.kueue.x-k8s.io", "cohorts.kueue.x-k8s.io")
            for o in get(kubectl, kind)["items"]]}
        proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"],
                              input=json.dumps(dump), capture_output=True, text=True,
                              env=kubectl_env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        computed = {r["name"]: r["weighted_share"] for r in json.loads(proc.stdout)["nodes"]
                    if r["name"] in kueue_says}
        assert computed == kueue_says
    finally:
        for kind, name in (("job", "big"), ("job", "small")):
            kubectl("delete", kind, name, "-n", a if name == "big" else b, "--wait=false",
                    "--ignore-not-found", check=False)
        for kind, name in (("clusterqueue", cqa), ("clusterqueue", cqb), ("cohort", child),
                           ("cohort", root), ("resourceflavor", flavor)):
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)


def _without_fair_sharing_status(obj: dict) -> dict:
    """The script must compute the share, not copy it."""
    obj = copy.deepcopy(obj)
    (obj.get("status") or {}).pop("fairSharing", None)
    return obj
