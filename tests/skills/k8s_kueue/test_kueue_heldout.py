"""Held-out rounds 12 to 15 (Kueue): a queue whose own counters say it is full, Kueue's scheduler and
TAS ungater logs, hierarchical cohorts, per-pod Workloads, and a preemption said in words.

Ground truth: kubernetes-sigs/kueue sources (files named per test) and the resolutions of the
public threads cited; never this script's output.
"""
from __future__ import annotations

import textwrap

import yaml


def _run(script, tmp_path, text: str, name: str = "explain_pending.py") -> dict:
    path = tmp_path / "paste.txt"
    path.write_text(textwrap.dedent(text).strip() + "\n")
    result = script(name, "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc


def _cq(name: str, nominal: str, used: str, pending: int, **spec) -> dict:
    return {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue",
            "metadata": {"name": name},
            "spec": {"namespaceSelector": {}, **spec, "resourceGroups": [{
                "coveredResources": ["cpu"], "flavors": [{"name": "default-flavor", "resources": [
                    {"name": "cpu", "nominalQuota": nominal}]}]}]},
            "status": {"pendingWorkloads": pending, "admittedWorkloads": 1, "flavorsUsage": [
                {"name": "default-flavor", "resources": [
                    {"name": "cpu", "total": used, "borrowed": "0"}]}]}}


def test_a_full_queue_with_pending_work_waits_for_quota(script, tmp_path):
    # kubernetes-sigs/kueue#707 (v0.3): 9 of 9 cpu held by the first Job, the second pending;
    # the reporter blamed waitForPodsReady and closed it as not a bug
    doc = _run(script, tmp_path, yaml.safe_dump(_cq("cluster-queue", "9", "9", 1)))
    top = doc["findings"][0]
    assert (top["cause"], top["basis"], top["object"]["kind"]) == (
        "quota_exhausted", "inferred", "ClusterQueue"), top
    assert "9 of 9" in top["message"]


def test_no_verdict_with_a_cohort_to_borrow_from(script, tmp_path):
    cq = _cq("cluster-queue", "9", "9", 1, cohort="shared")
    causes = {f["cause"] for f in _run(script, tmp_path, yaml.safe_dump(cq))["findings"]}
    assert "quota_exhausted" not in causes, cq


def test_room_left_is_only_a_likely_wait_with_what_is_free(script, tmp_path):
    # Held-out round 62 (ray-project/ray doc k8s-ecosystem/kueue.md: 2 of 3 CPUs reserved,
    # the second 2-CPU RayJob pending until the first finishes): a Workload is admitted only
    # when all its pods fit in what is left (flavorassigner.go fitsResourceQuota), so with
    # room left the wait for quota is inferred, never the full queue's verdict
    doc = _run(script, tmp_path, yaml.safe_dump(_cq("cluster-queue", "9", "6", 1)))
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("quota_exhausted", "inferred"), top
    assert "3 of 9 free" in top["message"] and "most likely" in top["message"], top


def test_a_preemption_that_failed_to_issue(script, tmp_path):
    # kueue#6814: scheduler.go log.Error(err, "Failed to preempt workloads") on an update
    # conflict, not retried before kueue#7665; the preemptor waits for that quota
    record = ('{"level":"error","logger":"scheduler","caller":"scheduler/scheduler.go:307",'
              '"msg":"Failed to preempt workloads","workload":{"name":"job-high-579a3",'
              '"namespace":"default"},"clusterQueue":{"name":"cq-high"},"error":"Operation '
              'cannot be fulfilled on workloads.kueue.x-k8s.io \\"job-low-67e5e\\": the object '
              'has been modified; please apply your changes to the latest version and try again"}')
    top = _run(script, tmp_path, "There are following errors in Kueue's log:\n\n" + record)[
        "findings"][0]
    assert (top["cause"], top["basis"]) == ("quota_exhausted", "reported"), top
    assert top["object"]["name"] == "job-high-579a3"
    assert any("kueue#7665" in e for e in top["evidence"])
    assert any("log line" in e for e in top["evidence"]), top["evidence"]


HIERARCHY = """
apiVersion: kueue.x-k8s.io/v1alpha1
kind: Cohort
metadata: {name: root}
spec:
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: default, resources: [{name: cpu, nominalQuota: "0m"}]}]
---
apiVersion: kueue.x-k8s.io/v1alpha1
kind: Cohort
metadata: {name: guaranteed}
spec:
  parent: root
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: default, resources: [{name: cpu, nominalQuota: "100m"}]}]
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: best-effort}
spec:
  cohort: root
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: default, resources: [{name: cpu, nominalQuota: "0m"}]}]
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata: {name: best-effort, namespace: default}
spec: {clusterQueue: best-effort}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: best-effort
  namespace: default
  labels: {kueue.x-k8s.io/queue-name: best-effort}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        resources: {requests: {cpu: 100m}}
"""


def test_a_child_cohorts_quota_is_lendable_to_the_whole_tree(script, tmp_path):
    # kueue#3948: quota on Cohort `guaranteed` (parent root) is what best-effort, in root,
    # borrows (pkg/cache/scheduler/resource_node.go: SubtreeQuota accumulates children;
    # potentialAvailable walks up to the root); flattening the tree called the job
    # larger than its queue could ever hold
    found = _run(script, tmp_path, HIERARCHY)["findings"]
    assert "exceeds_max_quota" not in {f["cause"] for f in found}, found
    assert found[0]["cause"] == "quota_exhausted", found
    assert "maximum capacity 100m" in " ".join(found[0]["evidence"])


def test_gated_pods_with_their_own_workload_are_not_the_groups(script, tmp_path):
    # kueue#4804 (fixed by #4808): with manageJobsWithoutQueueName, each LWS pod got a
    # Workload of its own with no queue ("pod-<pod>-<hash>", the plain-pod integration's name);
    # the gated worker pods wait on those, not on the admitted group Workloads
    doc = _run(script, tmp_path, """
    > k get pods
    NAME                                 READY   STATUS            RESTARTS   AGE
    leaderworkerset-multi-template-0     1/1     Running           0          58s
    leaderworkerset-multi-template-0-1   0/1     SchedulingGated   0          58s
    > k get wl
    NAME                                                     QUEUE        RESERVED IN     ADMITTED   FINISHED   AGE
    leaderworkerset-leaderworkerset-multi-template-0-49843   user-queue   cluster-queue   True                  7s
    pod-leaderworkerset-multi-template-0-1-b8d19                                                                7s
    """)
    causes = [f["cause"] for f in doc["findings"]]
    assert causes and causes[0] == "no_queue_label", causes
    assert "admitted_not_started" not in causes


def test_the_tas_ungater_cannot_place_an_admitted_workloads_pods(script, tmp_path):
    # kueue#8101: pkg/controller/tas/topology_ungater.go "failed to read rank information from
    # Pods" (the TrainJob's PodSet count ignored numNodes; fixed by #8135)
    doc = _run(script, tmp_path, """
    ```
    {
      "level": "error",
      "caller": "tas/topology_ungater.go:413",
      "msg": "failed to read rank information from Pods",
      "controller": "tas_topology_ungater",
      "namespace": "nexus",
      "name": "trainjob-test-tas-2b8b5",
      "error": "incorrect label value \\"1\\" for Pod \\"nexus/test-tas-node-0-1-djtwk\\": validation error: value should be less than 1"
    }
    ```
    """)
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("admitted_not_started", "reported"), top
    assert "kueue.x-k8s.io/topology" in " ".join(top["evidence"])


def test_a_preemption_said_in_words_without_a_workload(script, tmp_path):
    # kueue#3779: the report's event sequence beside its queue configuration, no Workload
    cq = yaml.safe_dump(_cq("best-effort", "0", "0", 0, cohort="testing"))
    doc = _run(script, tmp_path, "GuaranteedTenantA2 was created and the BestEffort1 workload "
               "was preempted again and again.\n\n" + cq, "explain_eviction.py")
    assert doc["summary"] == "no Workload in the input: the report says one was preempted"
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("preempted", "inferred"), top


def test_no_workload_and_no_words_of_preemption_is_unknown(script, tmp_path):
    cq = yaml.safe_dump(_cq("best-effort", "0", "0", 0, cohort="testing"))
    doc = _run(script, tmp_path, "Our jobs keep restarting on the cluster since Monday.\n\n"
               + cq, "explain_eviction.py")
    assert [(f["cause"], f["severity"]) for f in doc["findings"]] == [("not_in_dump", "info")]


# --- held-out round 13 ---------------------------------------------------------------------

def test_a_prebuilt_workload_that_is_not_there(script, tmp_path):
    # kueue#8769 (fixed by #8801): jobframework ErrPrebuiltWorkloadNotFound for the surge
    # groups of an LWS rolling update
    doc = _run(script, tmp_path, 'There was plenty of quota and Kueue logs show '
               '"error":"prebuilt workload not found"\n')
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("workload_missing", "reported"), top
    assert "kueue.x-k8s.io/prebuilt-workload-name" in " ".join(top["evidence"])


STOPPED = """
==================workload===================
NAME                         QUEUE          ADMITTED BY   AGE
job-sample-job-jd5xb-929ef   team-b-queue   team-b-cq     4s
job-sample-job-hg2ms-bea37   team-b-queue                 2s
=====================pod=====================
NAME                     READY   STATUS    RESTARTS   AGE
sample-job-jd5xb-lf697   1/1     Running   0          4s
[updating team-b-cq to stopPolicy: {policy}]
clusterqueue.kueue.x-k8s.io/team-b-cq patched
"""


def test_a_queue_set_to_hold(script, tmp_path):
    # kueue#1651 (KEP-1284): stopPolicy Hold admits nothing new; the running job is admitted
    # (its pod runs), so it waits for no admission check
    found = _run(script, tmp_path, STOPPED.format(policy="Hold"))["findings"]
    assert (found[0]["cause"], found[0]["basis"]) == ("queue_inactive", "inferred"), found
    assert "stopPolicy: Hold" in found[0]["evidence"][0]
    assert "admission_check_pending" not in {f["cause"] for f in found}


def test_a_queue_set_back_to_none_is_not_stopped(script, tmp_path):
    found = _run(script, tmp_path, STOPPED.format(policy="None"))["findings"]
    assert "queue_inactive" not in {f["cause"] for f in found}


# --- round 15 ------------------------------------------------------------------------------

def test_kueues_eviction_message_in_a_scripts_own_report(script, tmp_path):
    # giuliocalzo/gpu-labs scenario kueue-wait-for-pods-ready: a readiness probe that never
    # passes; Kueue's event "Exceeded the PodsReady timeout <ns>/<name>" (v0.19.2
    # pkg/controller/core/workload_controller.go) in a report no kubectl form holds
    doc = _run(script, tmp_path, """
        --- Workload conditions (PodsReady=False -> Evicted: PodsReadyTimeout) ---
            Evicted=True (PodsReadyTimeout)
            requeue count: 1

        --- Eviction / requeue events ---
            REASON                         COUNT    MESSAGE
            EvictedDueToPodsReadyTimeout   <none>   Exceeded the PodsReady timeout wait-ready/job-never-ready-fa57c
        """, "explain_eviction.py")
    top = doc["findings"][0]
    assert (top["cause"], top["basis"], top["object"]["namespace"], top["object"]["name"]) == \
        ("pods_ready_timeout", "reported", "wait-ready", "job-never-ready-fa57c"), top


def test_events_without_their_workload_are_not_nothing_stuck(script, tmp_path):
    # kubernetes-sigs/kueue#6972: a describe's Events section pasted alone; which workload
    # they are about, and whether another still waits, is not in the paste
    doc = _run(script, tmp_path, """
        Events:
          Type     Reason         Age                 From             Message
          ----     ------         ----                ----             -------
          Warning  Pending        91s (x25 over 93s)  kueue-admission  Workload no longer fits after processing another workload
          Normal   Admitted       82s                 kueue-admission  Admitted by ClusterQueue org-2-cq, wait time since reservation was 0s
        """)
    assert [(f["severity"], f["cause"]) for f in doc["findings"]] == [("info", "not_in_dump")]
    assert not doc["summary"].startswith("nothing stuck")


def test_a_job_kind_webhook_refusing_the_create(script, tmp_path):
    # AI-Riksarkivet/htrflow-batch e2e record: Kueue's Job webhook (vjob.kb.io) refused a
    # parallelism-1 Job annotated job-min-parallelism: 1; kubectl printed the reason on the
    # lines after "denied the request:"
    doc = _run(script, tmp_path, """
        ```
        Error from server (Forbidden): admission webhook "vjob.kb.io" denied the request:
        metadata.annotations[kueue.x-k8s.io/job-min-parallelism]: Invalid value: 1:
        should be between 0 and 0
        ```
        """)
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("workload_missing", "reported"), top
    assert "should be between 0 and 0" in top["message"]
    assert "dry-run=server" in top["fix"]


def test_the_same_webhook_refusing_kueues_unsuspend_is_not_a_missing_workload(script, tmp_path):
    # kubernetes-sigs/kueue#3140: the webhook refused Kueue's own update of the admitted job
    # ("Unsuspending job", jobframework/reconciler.go): admitted, not started
    line = ('{"level":"error","msg":"Unsuspending job","controllerKind":"Job","Job":{"name":"s",'
            '"namespace":"default"},"error":"admission webhook \\"vjob.kb.io\\" denied the '
            'request: metadata.annotations[kueue.x-k8s.io/job-min-parallelism]: Invalid value: 9:'
            ' should be between 0 and 8"}')
    doc = _run(script, tmp_path, line)
    assert doc["findings"][0]["cause"] == "admitted_not_started", doc["findings"]


# --- held-out round 18 ---------------------------------------------------------------------

def test_a_status_pasted_without_its_key_with_a_rejected_check(script, tmp_path):
    # kubernetes-sigs/kueue#10807: the Workload's admissionChecks and conditions pasted without
    # `status:`; "At least one admission check is false" covers Retry and Rejected, the check
    # states say which (a check Rejected: the Workload is deactivated)
    doc = _run(script, tmp_path, """
        admissionChecks:
          - name: deploy-to-b300
            state: Pending
            message: 'Reset to Pending after eviction. Previously: Retry'
          - name: my-controller-check
            state: Rejected
            message: 'my message'
        conditions:
          - type: Admitted
            status: "True"
            message: The workload is admitted
          - type: Evicted
            status: "True"
            message: At least one admission check is false
        """, "explain_eviction.py")
    assert doc["findings"][0]["cause"] == "admission_check_rejected", doc
    assert "an admission check rejected it" in doc["findings"][0]["fix"], doc
    # the same block as a markdown quote of a fenced paste (benchmarks/paste_variants.py)
    quoted = _run(script, tmp_path, "> Current state observed:\n> ```\n> admissionChecks:\n"
                  ">   - name: my-controller-check\n>     state: Rejected\n> conditions:\n"
                  ">   - type: Evicted\n>     status: \"True\"\n>     message: At least one "
                  "admission check is false\n> ```\n", "explain_eviction.py")
    assert quoted["findings"][0]["cause"] == "admission_check_rejected", quoted


def test_the_job_reconcilers_skip_log_is_no_queue_label(script, tmp_path):
    # kueue v0.19.2 pkg/controller/jobframework/reconciler.go:366 (kubernetes-sigs/kueue#13968
    # quotes it for LWS pods created from unlabelled templates)
    doc = _run(script, tmp_path, '{"level":"Level(-3)","ts":"2026-01-02T03:04:05Z","logger":'
               '"pod-reconciler","msg":"queue-name label is not set, ignoring the job",'
               '"pod":{"name":"lws-0-1","namespace":"ml"}}\n')
    top = doc["findings"][0]
    assert top["cause"] == "no_queue_label", doc
    assert "ignores the job" in top["message"] and "admission policy" not in top["message"], top


def test_a_check_said_pending_while_quota_is_reserved(script, tmp_path):
    # vllm-project/ci-infra#586: QuotaReserved=True and the MultiKueue check Pending for hours
    doc = _run(script, tmp_path, "A step sat for three hours with `QuotaReserved=True` and its "
               "MultiKueue admission check `Pending` - no pod anywhere.\n")
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("admission_check_pending", "inferred"), doc


# --- held-out round 19 ------------------------------------------------------------------------
PREEMPTED_AGAIN = """\
Events:
  Type     Reason                 Age                     From                  Message
  ----     ------                 ----                    ----                  -------
  Normal   QuotaReserved          4m36s (x2 over 9m23s)   kueue-admission       Quota reserved in ClusterQueue org-1-proj-1--cq, wait time since queued was 0s
  Normal   Admitted               2m47s (x7 over 9m23s)   kueue-admission       Admitted by ClusterQueue org-1-proj-1--cq, wait time since reservation was 0s
  Normal   EvictedDueToPreempted  2m47s (x5 over 4m36s)   kueue-admission       Preempted to accommodate a workload (UID: 3f209535-fea6-499c-bfac-c171f78cdd4d, JobUID: UNKNOWN) due to Fair Sharing within the cohort
  Normal   Preempted              2m47s (x5 over 4m36s)   kueue-admission       Preempted to accommodate a workload (UID: 3f209535-fea6-499c-bfac-c171f78cdd4d, JobUID: UNKNOWN) due to Fair Sharing within the cohort
  Normal   QuotaReserved          2m47s (x2 over 2m47s)   kueue-admission       Quota reserved in ClusterQueue org-1-proj-1--cq, wait time since queued was 110s
"""


def test_a_workload_preempted_again_and_again_is_no_history(script, tmp_path):
    # kubernetes-sigs/kueue#7101 (v0.13.5): fair sharing preempted it 5 times, re-admitted each
    # time (#6929, equal shares); one preemption records EvictedDueToPreempted and Preempted
    found = _run(script, tmp_path, PREEMPTED_AGAIN, "explain_eviction.py")["findings"]
    assert (found[0]["cause"], found[0]["severity"]) == ("preempted", "warning"), found
    assert found[0]["message"].startswith("preempted 5 times"), found
    once = PREEMPTED_AGAIN.replace("(x5 over 4m36s)", "")
    found = _run(script, tmp_path, once, "explain_eviction.py")["findings"]
    assert (found[0]["cause"], found[0]["severity"]) == ("preempted", "info"), found
    assert "raise 's" not in found[0]["fix"], found  # no empty ClusterQueue name


def test_admitted_and_pods_pending_said_in_words_is_capacity(script, tmp_path):
    # kubernetes-sigs/kueue#1476: 24 GPUs of quota, free GPUs 7/7/8 over three nodes, a 2x8-GPU
    # PyTorchJob admitted and its pods Pending; maintainer: Kueue does not look at nodes
    doc = _run(script, tmp_path, """\
        **What happened**:
        - Kueue allows this workload to be scheduled even though actual physical node topology would not schedule the job immediatedly and both the pods will sit in default k8s queue pending, waitiing for 1 more node to open.
        """)
    top = doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("admitted_not_started", "inferred"), top
    assert "waitForPodsReady" in top["fix"] and "not node capacity" in top["fix"], top
