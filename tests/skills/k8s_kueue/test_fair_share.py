"""fair_share.py and _kueue/fair_sharing.py against Kueue v0.19.2's own unit tests.

Every case below is a case of TestDominantResourceShare in
sigs.k8s.io/kueue@v0.19.2/pkg/cache/scheduler/fair_sharing_test.go, with its ClusterQueues,
Cohorts, usage (reserved by the ClusterQueue "cq", here its status.flavorsReservation) and
the expected (DrValue, DrName, Borrowing) of every node copied from `want`; DrValue is
roundedWeightedShare, the number Kueue writes to status.fairSharing.weightedShare.
The available/potentialAvailable cases are TestAvailable... in
pkg/cache/scheduler/cache_test.go / clusterqueue_test.go where named.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "skills" / "k8s-kueue" / "scripts"
sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue import fair_sharing as fs  # noqa: E402
from _kueue.objects import Cluster  # noqa: E402

MAX_INT = 2**63 - 1
GPU = "example.com/gpu"


def res(name, nominal, lending=None, borrowing=None):
    out = {"name": name, "nominalQuota": nominal}
    if lending is not None:
        out["lendingLimit"] = lending
    if borrowing is not None:
        out["borrowingLimit"] = borrowing
    return out


def flavors(*flavor_resources):
    """[(flavor, [res(...)...]), ...] -> resourceGroups (one group per flavor set)."""
    covered = sorted({r["name"] for _, rs in flavor_resources for r in rs})
    return [{"coveredResources": covered,
             "flavors": [{"name": f, "resources": rs} for f, rs in flavor_resources]}]


def cq(name, groups, cohort=None, weight=None, usage=None):
    spec = {"resourceGroups": groups}
    if cohort:
        spec["cohortName"] = cohort
    if weight is not None:
        spec["fairSharing"] = {"weight": weight}
    obj = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
           "metadata": {"name": name}, "spec": spec}
    if usage is not None:
        by_flavor: dict = {}
        for (flavor, resource), total in usage.items():
            by_flavor.setdefault(flavor, []).append({"name": resource, "total": total})
        obj["status"] = {"flavorsReservation": [{"name": f, "resources": r}
                                                for f, r in by_flavor.items()]}
    return obj


def cohort(name, parent=None, weight=None, groups=None):
    spec: dict = {}
    if parent:
        spec["parentName"] = parent
    if weight is not None:
        spec["fairSharing"] = {"weight": weight}
    if groups:
        spec["resourceGroups"] = groups
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Cohort",
            "metadata": {"name": name}, "spec": spec}


def two_cqs(usage, cq_res, lending_res, cq_weight="1", lending_weight="1", cohort_name="test-cohort"):
    return [cq("cq", flavors(("default", cq_res)), cohort_name, cq_weight, usage),
            cq("lending-cq", flavors(("default", lending_res)), cohort_name, lending_weight)]


ZERO = (0, "", False)
CASES = {
    "no cohort": (
        [cq("cq", flavors(("default", [res("cpu", "2000"), res(GPU, "5")])),
            usage={("default", "cpu"): "1", ("default", GPU): "2"})],
        None, {"cq": ZERO}),
    "usage below nominal": (
        two_cqs({("default", "cpu"): "1", ("default", GPU): "2"},
                [res("cpu", "2"), res(GPU, "5")], [res("cpu", "8"), res(GPU, "5")]),
        None, {"cq": ZERO, "lending-cq": ZERO, "test-cohort": ZERO}),
    "usage above nominal": (
        two_cqs({("default", "cpu"): "3", ("default", GPU): "7"},
                [res("cpu", "2"), res(GPU, "5")], [res("cpu", "8"), res(GPU, "5")]),
        None, {"cq": (200, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "usage slightly above nominal in a cohort with large quotas": (
        two_cqs({("default", GPU): "501"}, [res(GPU, "500")], [res(GPU, "1000")],
                lending_weight="300"),
        None, {"cq": (1, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "usage way above nominal in a cohort with large quotas and weights": (
        two_cqs({("default", GPU): "800"}, [res(GPU, "500")], [res(GPU, "1000")],
                cq_weight="300", lending_weight="300"),
        None, {"cq": (1, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "one resource above nominal": (
        two_cqs({("default", "cpu"): "3", ("default", GPU): "3"},
                [res("cpu", "2"), res(GPU, "5")], [res("cpu", "8"), res(GPU, "5")]),
        None, {"cq": (100, "cpu", True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "usage with workload above nominal": (
        two_cqs({("default", "cpu"): "1", ("default", GPU): "2"},
                [res("cpu", "2"), res(GPU, "5")], [res("cpu", "8"), res(GPU, "5")]),
        {("default", "cpu"): 4000, ("default", GPU): 4},
        {"cq": (300, "cpu", True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "A resource with zero lendable": (
        two_cqs({("default", "cpu"): "1", ("default", GPU): "1"},
                [res("cpu", "2"), res(GPU, "2", lending="0")],
                [res("cpu", "8"), res(GPU, "64", lending="0")]),
        {("default", "cpu"): 4000, ("default", GPU): 4},
        {"cq": (300, "cpu", True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "multiple flavors": (
        [cq("cq", flavors(("on-demand", [res("cpu", "20")]), ("spot", [res("cpu", "80")])),
            "test-cohort", "1", {("on-demand", "cpu"): "15", ("spot", "cpu"): "5"}),
         cq("lending-cq", flavors(("default", [res("cpu", "100")])), "test-cohort", "1")],
        {("on-demand", "cpu"): 10000},
        {"cq": (25, "cpu", True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "above nominal with integer weight": (
        two_cqs({("default", GPU): "7"}, [res(GPU, "5")], [res(GPU, "5")], cq_weight="2"),
        None, {"cq": (100, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "above nominal with decimal weight": (
        two_cqs({("default", GPU): "7"}, [res(GPU, "5")], [res(GPU, "5")], cq_weight="0.5"),
        None, {"cq": (400, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "above nominal with zero weight": (
        two_cqs({("default", GPU): "7"}, [res(GPU, "5")], [res(GPU, "10")], cq_weight="0"),
        None, {"cq": (MAX_INT, GPU, True), "lending-cq": ZERO, "test-cohort": ZERO}),
    "cohort has resource share": (
        [cq("cq", flavors(("default", [res(GPU, "5")])), "child-cohort", "1",
            {("default", GPU): "10"}),
         cohort("child-cohort", "root", "2"),
         cohort("root", groups=flavors(("default", [res(GPU, "45")])))],
        None, {"cq": (100, GPU, True), "child-cohort": (50, GPU, True), "root": ZERO}),
    "resource share defined for resources only available at the root cohort": (
        [cq("cq", flavors(("default", [res(GPU, "0")])), "child-cohort", "1",
            {("default", GPU): "10"}),
         cohort("child-cohort", "root", "2"),
         cohort("root", groups=flavors(("default", [res(GPU, "50")])))],
        None, {"cq": (200, GPU, True), "child-cohort": (100, GPU, True), "root": ZERO}),
    "resource share affected by borrowing limit": (
        [cq("cq", flavors(("default", [res(GPU, "0")])), "child-cohort",
            usage={("default", GPU): "10"}),
         cohort("child-cohort", "root",
                groups=flavors(("default", [res(GPU, "0", borrowing="10")]))),
         cohort("root", groups=flavors(("default", [res(GPU, "50")])))],
        None, {"cq": (1000, GPU, True), "child-cohort": (200, GPU, True), "root": ZERO}),
    "borrowing against unlimited lendable capacity (exabyte-scale quota)": (
        two_cqs({("default", "cpu"): "1"}, [res("cpu", "0")], [res("cpu", "1E")]),
        None, {"cq": (1, "cpu", True), "lending-cq": ZERO, "test-cohort": ZERO}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_dominant_resource_share_as_kueue(name):
    objects, request, want = CASES[name]
    nodes = fs.build_tree(Cluster(objects))
    got = {}
    for node in nodes.values():
        share = fs.dominant_resource_share(node, request)
        got[node.name] = (share.weighted_share, share.resource, share.borrowing)
    assert got == want


def test_precise_weighted_share():
    """TestPreciseWeightedShareSerialized: zero weight borrowing = +Inf, zero ratio = 0,
    1000/2 = 500, 1/3."""
    assert fs.Share(0.0, ratio=10.0).precise == float("inf")
    assert fs.Share(0.0, ratio=0.0).precise == 0.0
    assert fs.Share(2.0, ratio=1000.0).precise == 500.0
    assert fs.Share(3.0, ratio=1.0).precise == 1.0 / 3.0


def test_available_honours_borrowing_and_lending_limits():
    """resource_node.go semantics on the 'resource share affected by borrowing limit' tree:
    the child cohort's borrowingLimit 10 caps what cq can take from root's 50; root keeps
    nothing back (no lendingLimit)."""
    objects = CASES["resource share affected by borrowing limit"][0]
    nodes = fs.build_tree(Cluster(objects))
    fr = ("default", GPU)
    cq_node, child, root = (nodes[("ClusterQueue", "cq")], nodes[("Cohort", "child-cohort")],
                            nodes[("Cohort", "root")])
    assert root.subtree[fr] == 50 and root.usage[fr] == 10
    assert fs.potential_available(child, fr) == 10
    assert fs.available(cq_node, fr) == 0          # the 10 it may borrow are in use
    assert fs.available(root, fr) == 40


def run_script(*args):
    proc = subprocess.run([sys.executable, str(SCRIPTS / "fair_share.py"), *args],
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_script_on_a_hierarchical_dump(tmp_path):
    objects, _, _ = CASES["cohort has resource share"]
    objects[0]["status"]["fairSharing"] = {"weightedShare": 100}  # as Kueue writes it
    path = tmp_path / "dump.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    proc = run_script("-f", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("cohort root (weight 1): share 0")
    assert any(line.strip().startswith("cohort child-cohort (weight 2): share 50, borrowing "
                                       f"{GPU} 5 of lendable {GPU} 50") for line in lines)
    assert any("cq cq (weight 1): share 100" in line and "Kueue reports the same" in line
               for line in lines)
    doc = json.loads(run_script("-f", str(path), "--json").stdout)
    row = next(r for r in doc["nodes"] if r["name"] == "cq")
    assert (row["weighted_share"], row["dominant_resource"], row["parent"]) == (
        100, GPU, "child-cohort")


def test_script_request_and_bad_input(tmp_path):
    objects, _, _ = CASES["usage with workload above nominal"]
    path = tmp_path / "dump.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    doc = json.loads(run_script("-f", str(path), "--json", "--cluster-queue", "cq",
                                "--request", "default:cpu=4", "--request",
                                f"default:{GPU}=4").stdout)
    row = next(r for r in doc["nodes"] if r["name"] == "cq")
    assert (row["weighted_share"], row["dominant_resource"]) == (300, "cpu")
    for args, words in ((["--request", "default:cpu=4"], "needs --cluster-queue"),
                        (["--cluster-queue", "nope"], "not in the input"),
                        (["--cluster-queue", "cq", "--request", "cpu=4"], "FLAVOR:RESOURCE")):
        proc = run_script("-f", str(path), *args)
        assert proc.returncode == 2 and words in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["cohort has resource share",
                                  "resource share affected by borrowing limit",
                                  "usage above nominal"])
def test_usage_added_like_a_workload_gives_the_same_shares(name):
    """The Go test adds usage by reserving quota for Workloads (cache.AddOrUpdateWorkload ->
    addUsage up the tree); building the tree from the queues' status must agree with adding
    the same usage through add_usage, the way the scheduler simulates an admission."""
    objects, _, want = CASES[name]
    usage = objects[0].pop("status")["flavorsReservation"]
    try:
        nodes = fs.build_tree(Cluster(objects))
        for flavor in usage:
            for item in flavor["resources"]:
                fr = (flavor["name"], item["name"])
                fs.add_usage(nodes[("ClusterQueue", "cq")], fr,
                             fs.amount(item["name"], fs.parse_quantity(item["total"])))
        got = {n.name: (fs.dominant_resource_share(n).weighted_share,
                        fs.dominant_resource_share(n).resource,
                        fs.dominant_resource_share(n).borrowing) for n in nodes.values()}
        assert got == want
    finally:
        objects[0]["status"] = {"flavorsReservation": usage}
