"""Evidence order: what Kueue reported decides; a dump is partial.

Condition types, reasons and messages are Kueue's (apis/kueue/v1beta2/workload_types.go,
pkg/controller/core/workload_controller.go, pkg/scheduler at v0.19.2 unless noted); the
quoted example is the one in issue 12 (from kubernetes-sigs/kueue#4028).
"""
from __future__ import annotations

import textwrap

CQ = """
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: team1}
spec:
  cohort: default
  namespaceSelector: {}
  preemption: {borrowWithinCohort: {policy: Never}, reclaimWithinCohort: Any}
  resourceGroups:
  - coveredResources: [cpu, memory, nvidia.com/gpu]
    flavors:
    - name: a100
      resources:
      - {name: cpu, nominalQuota: 0}
      - {name: memory, nominalQuota: 0}
      - {name: nvidia.com/gpu, nominalQuota: 1}
"""


def workload(conditions: str = "", extra_status: str = "", spec_extra: str = "") -> str:
    return textwrap.dedent(f"""
    apiVersion: kueue.x-k8s.io/v1beta1
    kind: Workload
    metadata: {{name: job-job1-abcde, namespace: default}}
    spec:
      queueName: team1{spec_extra}
      podSets:
      - name: main
        count: 1
        template:
          spec:
            containers:
            - name: c
              resources: {{limits: {{cpu: 2, memory: 2Gi, nvidia.com/gpu: 1}}}}
    status:
      conditions: {conditions or "[]"}{extra_status}
    """)


LQ = """
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata: {name: team1, namespace: default}
spec: {clusterQueue: team1}
"""

A100 = ("[{type: QuotaReserved, status: 'False', reason: Pending, message: \"couldn't assign "
        "flavors to pod set main: insufficient unused quota for cpu in flavor a100, 2 more "
        "needed\"}]")


def run(script, tmp_path, *docs: str):
    path = tmp_path / "paste.yaml"
    path.write_text("\n---\n".join(textwrap.dedent(d) for d in docs), encoding="utf-8")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_issue_12_example_is_quota_not_a_missing_local_queue(script, tmp_path):
    findings = run(script, tmp_path, CQ, workload(A100))
    assert findings[0]["cause"] == "quota_exhausted"
    assert findings[0]["basis"] == "reported"
    assert not [f for f in findings if f["cause"] in ("local_queue_missing", "not_in_dump")]
    text = " ".join(findings[0]["evidence"])
    # job1 needs 2 cpu, team1's nominal cpu is 0: it must borrow, and borrowWithinCohort
    # Never forbids preempting while borrowing (the maintainer's answer in #4028).
    assert "borrowWithinCohort.policy Never" in text


def test_a_local_queue_not_in_the_dump_is_not_called_missing(script, tmp_path):
    findings = run(script, tmp_path, CQ, workload())
    assert [f["cause"] for f in findings] == ["not_in_dump"]
    found = findings[0]
    assert found["severity"] == "info" and found["basis"] == "inferred"
    assert found["confirm"] == "kubectl get localqueues.kueue.x-k8s.io team1 -n default -o yaml"


def test_kueues_word_beats_a_stale_object(script, tmp_path):
    # The LocalQueue is in the dump, yet Kueue said it does not exist (the dump is newer or
    # older than the condition): the reported cause stands, nothing contradicts it.
    lq = LQ
    cond = ("[{type: QuotaReserved, status: 'False', reason: Inadmissible, "
            "message: \"LocalQueue team1 doesn't exist\"}]")
    findings = run(script, tmp_path, CQ, lq, workload(cond))
    assert findings[0]["cause"] == "local_queue_missing" and findings[0]["basis"] == "reported"
    assert all(f["cause"] == "local_queue_missing" for f in findings
               if f["severity"] != "info")


def test_pods_ready_timeout_eviction_of_an_admitted_workload(script, tmp_path):
    cond = """
      - {type: QuotaReserved, status: 'True', reason: QuotaReserved, message: Quota reserved in ClusterQueue team1}
      - {type: Admitted, status: 'True', reason: Admitted, message: The workload is admitted}
      - {type: PodsReady, status: 'False', reason: WaitForStart, message: Not all pods are ready or succeeded}
      - {type: Evicted, status: 'True', reason: PodsReadyTimeout, message: Exceeded the PodsReady timeout default/job-job1-abcde}
    """
    extra = "\n      requeueState: {count: 2, requeueAt: '2025-01-01T00:10:00Z'}"
    findings = run(script, tmp_path, CQ, workload(textwrap.indent(cond, "  "), extra))
    assert findings[0]["cause"] == "pods_ready_timeout"
    assert any("requeued 2 time(s)" in e for e in findings[0]["evidence"])


def test_deactivated_after_the_requeuing_limit_is_a_pods_ready_timeout(script, tmp_path):
    # workload_controller.go: DeactivationTarget reason RequeuingLimitExceeded, then the
    # eviction "The workload is deactivated due to exceeding the maximum number of re-queuing
    # retries"
    cond = ("[{type: Evicted, status: 'True', reason: DeactivatedDueToRequeuingLimitExceeded, "
            "message: The workload is deactivated due to exceeding the maximum number of "
            "re-queuing retries}]")
    findings = run(script, tmp_path, CQ, workload(cond, spec_extra="\n      active: false"))
    assert findings[0]["cause"] == "pods_ready_timeout"


def test_a_custom_admission_check_stuck_pending(script, tmp_path):
    cond = ("[{type: QuotaReserved, status: 'True', reason: QuotaReserved, message: Quota "
            "reserved in ClusterQueue team1}, {type: Admitted, status: 'False', reason: "
            "UnsatisfiedChecks, message: The workload has not all checks ready}]")
    checks = ("\n      admissionChecks: [{name: my-check, state: Pending, message: waiting for "
              "approval}]")
    findings = run(script, tmp_path, CQ, workload(cond, checks))
    assert findings[0]["cause"] == "admission_check_pending"
    assert findings[0]["basis"] == "reported"
    assert any("my-check" in e for e in findings[0]["evidence"])


def test_a_reservation_without_a_condition_is_inferred_with_a_confirm_command(script, tmp_path):
    lq = LQ
    findings = run(script, tmp_path, CQ, lq, workload())
    assert findings[0]["basis"] == "inferred"
    assert findings[0]["confirm"].startswith("kubectl get workloads.kueue.x-k8s.io")


def test_v05_to_v07_finished_by_a_rejected_check_is_still_explained(script, tmp_path):
    # workload_controller.go v0.5.0-v0.7.0: a Rejected check finished the Workload
    conds = ("[{type: QuotaReserved, status: 'True', reason: QuotaReserved, message: ok}, "
             "{type: Finished, status: 'True', reason: AdmissionChecksRejected, "
             "message: 'Admission checks [prov] are rejected'}]")
    checks = ("\n  admissionChecks:\n  - {name: prov, state: Rejected, "
              "message: 'Provisioning failed', lastTransitionTime: '2024-01-01T00:00:00Z'}")
    found = run(script, tmp_path, workload(conds, checks))
    assert found[0]["cause"] == "admission_check_rejected"
    assert found[0]["basis"] == "reported"


def test_v08_v09_concatenated_deactivation_reasons(script, tmp_path):
    # workload_controller.go v0.8.0-v0.9.0: reason "InactiveWorkload" + DeactivationTarget's
    for reason, cause in (("InactiveWorkloadRequeuingLimitExceeded", "pods_ready_timeout"),
                          ("InactiveWorkloadAdmissionCheck", "admission_check_rejected")):
        conds = (f"[{{type: Evicted, status: 'True', reason: {reason}, "
                 "message: 'The workload is deactivated due to something'}]")
        found = run(script, tmp_path, workload(conds, spec_extra="\n      active: false"))
        assert found[0]["cause"] == cause, reason
