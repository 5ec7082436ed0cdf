"""explain_eviction.py: why Kueue preempted / evicted / requeued a Workload.

Ground truth:
- tests/resources/kueue/live/preemption_*.yaml were captured from real Kueue v0.19.2 on the
  local cluster (tests/live/test_kueue_eviction_live.py makes the same preemptions): a
  ClusterQueue reclaiming lent quota (InCohortReclamation) and a higher WorkloadPriorityClass
  in one ClusterQueue (InClusterQueue); `_pending` right after, `_readmitted` after the
  preemptors' jobs were deleted and the victims admitted again. The preemptor's name is the
  one Kueue itself put in its PreemptedWorkload event.
- Older wordings are built with Kueue's own format strings at each tag
  (pkg/scheduler/preemption/preemption.go; workload_controller.go), named on each test.
"""
from __future__ import annotations

import sys

import pytest

from tests.skills.k8s_kueue.conftest import RESOURCES, SCRIPTS

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]
from _kueue.eviction import Eviction, history

LIVE = RESOURCES / "live"


def _by_name(doc):
    return {f["object"]["name"]: f for f in doc["findings"]}


def test_live_reclamation_and_priority_preemption(script):
    result = script("explain_eviction.py", "-f", str(LIVE / "preemption_pending.yaml"),
                    "--json")
    assert result.code == 1, result.err
    found = _by_name(result.doc)
    assert set(found) == {"job-borrower-8d41b", "job-low-c-30d0d"}
    borrower, low = found["job-borrower-8d41b"], found["job-low-c-30d0d"]
    assert borrower["cause"] == low["cause"] == "preempted"
    assert borrower["basis"] == "reported" and borrower["severity"] == "warning"
    assert "InCohortReclamation" in borrower["message"]
    assert "Workload pre-b/job-reclaimer-243ef" in borrower["message"]
    assert "ClusterQueue cq-pre-b spec.preemption.reclaimWithinCohort: Any" in \
        borrower["evidence"]
    assert "InClusterQueue" in low["message"]
    assert "Workload pre-c/job-urgent-676da" in low["message"]
    assert "priority: preemptor 1000, this workload 10" in low["evidence"]


def test_live_readmitted_keeps_the_history(script):
    # The preemptors' Workloads are gone: only their PreemptedWorkload events name them.
    result = script("explain_eviction.py", "-f", str(LIVE / "preemption_readmitted.yaml"),
                    "--json", "borrower")
    found = _by_name(result.doc)["job-borrower-8d41b"]
    assert found["severity"] == "info" and "admitted again" in found["message"]
    assert "pre-b/job-reclaimer-243ef" in found["message"]


def test_running_workload_without_history_is_clean(script, tmp_path):
    path = tmp_path / "wl.yaml"
    path.write_text(WORKLOAD.format(conditions="""
    - {type: QuotaReserved, status: "True", reason: QuotaReserved, message: Quota reserved in ClusterQueue cq}
    - {type: Admitted, status: "True", reason: Admitted, message: The workload is admitted}
"""))
    result = script("explain_eviction.py", "-f", str(path))
    assert result.code == 0 and "no evictions" in result.out


WORKLOAD = """apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata: {{name: wl, namespace: ns, uid: victim-uid}}
spec: {{queueName: q, podSets: [{{name: main, count: 1, template: {{spec: {{containers: []}}}}}}]}}
status:
  conditions:{conditions}
"""


def _wl(evicted_reason, message, preempted_reason="", status="True"):
    conds = [{"type": "Evicted", "status": status, "reason": evicted_reason,
              "message": message}]
    if preempted_reason:
        conds.append({"type": "Preempted", "status": status, "reason": preempted_reason,
                      "message": message})
    return {"kind": "Workload", "metadata": {"name": "wl", "namespace": "ns"},
            "status": {"conditions": conds}}


@pytest.mark.parametrize("message, reason, uid", [
    # v0.3-v0.6
    ("Preempted to accommodate a higher priority Workload", "", ""),
    # v0.7: fmt.Sprintf("... (UID: %s) in the %s", uid, origin)
    ("Preempted to accommodate a workload (UID: 1111) in the cohort", "InCohort", "1111"),
    ("Preempted to accommodate a workload (UID: 1111) in the ClusterQueue", "InClusterQueue",
     "1111"),
    # v0.8-v0.10: "... (UID: %s) due to %s"
    ("Preempted to accommodate a workload (UID: 2222) due to reclamation within the cohort",
     "InCohortReclamation", "2222"),
    # v0.11-v0.14: "(UID: %s, JobUID: %s) due to %s"
    ("Preempted to accommodate a workload (UID: 3333, JobUID: 4444) due to reclamation within "
     "the cohort while borrowing", "InCohortReclaimWhileBorrowing", "3333"),
    # v0.15+: "; preemptor path: %s; preemptee path: %s"
    ("Preempted to accommodate a workload (UID: 5555, JobUID: UNKNOWN) due to Fair Sharing "
     "within the cohort; preemptor path: /root/team-b/cq-b; preemptee path: /root/team-a/cq-a",
     "InCohortFairSharing", "5555"),
])
def test_every_preemption_wording(message, reason, uid):
    (ev,) = history(_wl("Preempted", message), [])
    assert ev.cause == "preempted" and ev.current
    assert ev.preemption_reason == reason
    assert ev.preemptor_uid() == uid


def test_paths_name_the_queues():
    msg = ("Preempted to accommodate a workload (UID: 5, JobUID: 6) due to Fair Sharing within "
           "the cohort; preemptor path: /root/team-b/cq-b; preemptee path: /root/team-a/cq-a")
    (ev,) = history(_wl("Preempted", msg, "InCohortFairSharing"), [])
    assert ev.paths() == ("/root/team-b/cq-b", "/root/team-a/cq-a")
    assert ev.preemption_reason == "InCohortFairSharing"


def test_readmitted_condition_previously_prefix():
    # pkg/workload/workload.go resetActiveCondition (v0.8+): "Previously: " + old message,
    # reason QuotaReserved; the Requeued condition keeps the eviction reason.
    msg = "Exceeded the PodsReady timeout ns/wl"
    wl = _wl("QuotaReserved", "Previously: " + msg, status="False")
    wl["status"]["conditions"].append({"type": "Requeued", "status": "True",
                                       "reason": "PodsReadyTimeout", "message": msg})
    (ev,) = history(wl, [])
    assert (ev.cause, ev.current, ev.message) == ("pods_ready_timeout", False, msg)


def test_pods_ready_timeout_counts(script, tmp_path):
    path = tmp_path / "wl.yaml"
    path.write_text(WORKLOAD.format(conditions="""
    - {type: Evicted, status: "True", reason: PodsReadyTimeout, message: Exceeded the PodsReady timeout ns/wl}
    - {type: Requeued, status: "False", reason: PodsReadyTimeout, message: Exceeded the PodsReady timeout ns/wl}
  requeueState: {count: 3, requeueAt: "2026-01-01T00:10:00Z"}
  schedulingStats:
    evictions: [{reason: PodsReadyTimeout, underlyingCause: "", count: 3}]
"""))
    result = script("explain_eviction.py", "-f", str(path), "--json")
    (found,) = result.doc["findings"]
    assert found["cause"] == "pods_ready_timeout"
    assert "evicted 3 time(s)" in found["message"]
    assert "requeueState: count 3, next try at 2026-01-01T00:10:00Z" in found["evidence"]


def test_event_only_paste_with_priorities():
    # v0.17+ victim event: message + "; preemptor effective priority: ..." (preemption.go)
    event = {"kind": "Event", "reason": "Preempted", "message":
             "Preempted to accommodate a workload (UID: a1, JobUID: b2) due to prioritization "
             "in the ClusterQueue; preemptor path: /cq; preemptee path: /cq; preemptor "
             "effective priority: 1000 (base: 1000, boost: 0); preemptee effective priority: "
             "10 (base: 10, boost: 0)"}
    (ev,) = history({"kind": "Workload", "metadata": {"name": "wl"}}, [event])
    assert isinstance(ev, Eviction) and ev.preemption_reason == "InClusterQueue"
    assert ev.preemptor_uid() == "a1"


def test_unknown_name_is_exit_2(script):
    result = script("explain_eviction.py", "-f", str(LIVE / "preemption_pending.yaml"),
                    "nope")
    assert result.code == 2 and result.err.startswith("error: ")


@pytest.mark.parametrize("message", [
    # pkg/scheduler/scheduler.go:914@v0.19.2 (v0.14.7+, v0.15.2+)
    "Workload was evicted as there was no replacement for unhealthy node(s): gpu-node-3",
    # the same at l.580@v0.14.6 and l.581@v0.15.1 (v0.13.0-v0.14.6, v0.15.0-v0.15.1)
    "Workload was evicted as there was no replacement for a failed node: gpu-node-3",
    # pkg/controller/tas/node_controller.go:69@v0.19.2
    "Workload eviction triggered due to multiple TAS assigned node failures, including: "
    "gpu-node-3, gpu-node-4",
])
def test_node_failure_message_alone(script, tmp_path, message):
    path = tmp_path / "quoted.txt"
    path.write_text(f"kueue evicted my training job:\n{message}\n")
    result = script("explain_eviction.py", "-f", str(path), "--json")
    (found,) = result.doc["findings"]
    assert found["cause"] == "node_failures", result.doc["summary"]
