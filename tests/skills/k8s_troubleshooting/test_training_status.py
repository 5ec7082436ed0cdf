"""check_training.py and _tshoot/training.py: training objects' status read as their
controllers write it.

Expected values come from the pinned upstream source, never from the script:
- JobSet v0.12.0: rule matching and first-failed-Job selection are the cases of
  pkg/controllers/failure_policy_test.go (TestFailurePolicyRuleIsApplicable,
  TestFindFirstFailedPolicyRuleAndJob, TestFindFirstFailedJob); reasons and messages from
  pkg/constants/constants.go; the `(first failed job: X)` suffix from failure_policy.go.
- training-operator v1.9.3: condition messages from pytorchjob_controller.go l.430/435,
  common/job.go l.210/212 and common/pod.go l.361/368; default restart policies from
  pytorch_types.go / tensorflow_types.go.
- KubeRay v1.6.2: reasons from apis/ray/v1/rayjob_types.go; retry rule from
  rayjob_controller.go checkBackoffLimitAndUpdateStatusIfNeeded (Retrying while
  failed < backoffLimit + 1, never after DeadlineExceeded).
- Trainer v2.2.1: trainjob_types.go reasons; the JobSet's Failed condition copied
  (pkg/runtime/framework/plugins/jobset/jobset.go l.349-351).
- LWS v0.9.0: leaderworkerset_types.go restartPolicy values and labels.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "skills" / "k8s-troubleshooting" / "scripts"
sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]

from _tshoot import training as tr  # noqa: E402

from .conftest import RESOURCES, as_dump, run_script  # noqa: E402

TRAINING = RESOURCES / "training"
GPU = RESOURCES / "gpu"
RJ = "jobset.sigs.k8s.io/replicatedjob-name"


def failed_job(name: str, stamp: str, reason: str = "BackoffLimitExceeded", message: str = "",
               parent: str | None = "test-replicatedJob") -> dict:
    labels = {"jobset.sigs.k8s.io/jobset-name": "js"}
    if parent:
        labels[RJ] = parent
    return {"kind": "Job", "metadata": {"name": name, "namespace": "default", "labels": labels},
            "status": {"conditions": [{"type": "Failed", "status": "True", "reason": reason,
                                       "message": message, "lastTransitionTime": stamp}]}}


# ---- JobSet failure_policy_test.go -----------------------------------------------------------
@pytest.mark.parametrize("rule,reason,message,expected", [
    ({"onJobFailureMessagePatterns": ["^job failed because.*"]}, "",
     "job failed because of a bug", True),
    ({"onJobFailureMessagePatterns": ["^job failed because.*"]}, "", "another error message",
     False),
    ({"onJobFailureReasons": ["BackoffLimitExceeded"], "onJobFailureMessagePatterns": [".*bug.*"]},
     "BackoffLimitExceeded", "job failed because of a bug", True),
    ({"onJobFailureReasons": ["BackoffLimitExceeded"], "onJobFailureMessagePatterns": [".*bug.*"]},
     "BackoffLimitExceeded", "job failed due to something else", False),
    ({"onJobFailureReasons": ["BackoffLimitExceeded"]}, "DeadlineExceeded", "", False),
    ({"targetReplicatedJobs": ["test-replicated-job-2"]}, "BackoffLimitExceeded", "", False),
    ({"targetReplicatedJobs": ["test-replicated-job-1"]}, "BackoffLimitExceeded", "", True),
], ids=["pattern-match", "pattern-no-match", "reason-and-pattern", "reason-not-pattern",
        "reason-mismatch", "other-replicated-job", "own-replicated-job"])
def test_rule_is_applicable_as_jobset_decides(rule, reason, message, expected):
    job = failed_job("test-job", "2026-01-01T00:00:00Z", reason, message,
                     parent="test-replicated-job-1")
    rule_found, _ = tr.matching_rule([{"name": "r", **rule}], [job])
    assert (rule_found is not None) is expected


def test_job_without_replicated_job_label_matches_no_rule():
    job = failed_job("test-job", "2026-01-01T00:00:00Z", parent=None)
    assert tr.matching_rule([{"name": "any"}], [job]) == (None, None)


def test_first_rule_matching_and_its_earliest_job():
    """TestFindFirstFailedPolicyRuleAndJob: 2 failed jobs, the second failed before the first;
    the unmatched rule is skipped, the next rule returns the earlier job."""
    job1 = failed_job("job1", "2026-01-01T06:00:00Z")
    job1_dup_earlier = failed_job("job1DupEarlierFailure", "2026-01-01T00:00:00Z")
    unmatched = {"name": "u", "action": "RestartJobSet",
                 "targetReplicatedJobs": ["fakeReplicatedJobName"]}
    rule1 = {"name": "r1", "action": "RestartJobSet",
             "onJobFailureReasons": ["BackoffLimitExceeded"]}
    rule, job = tr.matching_rule([unmatched, rule1], [job1, job1_dup_earlier])
    assert rule is rule1 and job is job1_dup_earlier
    assert tr.matching_rule([unmatched], [job1, job1_dup_earlier]) == (None, None)


def test_first_failed_job_is_the_oldest_failed_condition():
    """TestFindFirstFailedJob: 'Multiple failed jobs, earliest first'."""
    late, early = failed_job("late", "2026-01-01T05:00:00Z"), failed_job("early",
                                                                          "2026-01-01T01:00:00Z")
    running = {"kind": "Job", "metadata": {"name": "running"}, "status": {"active": 1}}
    assert tr.first_failed_job([late, running, early]) is early
    assert tr.first_failed_job([running]) is None


def jobset(reason: str, message: str, ctype: str = "Failed", **spec) -> dict:
    return {"kind": "JobSet", "metadata": {"name": "js", "namespace": "default"},
            "spec": spec, "status": {"restarts": 3, "restartsCountTowardsMax": 3,
                                     "conditions": [{"type": ctype, "status": "True",
                                                     "reason": reason, "message": message}]}}


@pytest.mark.parametrize("reason,message,cause", [
    ("ReachedMaxRestarts", "jobset failed due to reaching max number of restarts "
     "(first failed job: js-w-1)", "training_restarts_exhausted"),
    ("FailJobSetFailurePolicyAction", "applying FailJobSet failure policy action "
     "(first failed job: js-w-1)", "training_failure_policy"),
    ("FailedJobs", "jobset failed due to one or more job failures (first failed job: js-w-1)",
     "training_failed"),
])
def test_jobset_failed_reasons(reason, message, cause):
    v = tr.jobset_verdict(jobset(reason, message, failurePolicy={"maxRestarts": 3}), [])
    assert (v.cause, v.severity, v.basis, v.first_job) == (cause, "error", "reported", "js-w-1")


def test_jobset_failed_before_first_failed_job_suffix_uses_the_jobs():
    """JobSets older than messageWithFirstFailedJob print the bare message: the Jobs decide."""
    v = tr.jobset_verdict(jobset("ReachedMaxRestarts", "jobset failed due to reaching max "
                                 "number of restarts"),
                          [failed_job("b", "2026-01-01T02:00:00Z"),
                           failed_job("a", "2026-01-01T01:00:00Z")])
    assert v.first_job == "a"


def test_jobset_restarting_names_the_rule():
    """restartJobSetActionApplier: reason FailurePolicy_<rule name> when a rule matched,
    DefaultFailurePolicy otherwise."""
    js = jobset("FailurePolicy_restart-on-preemption", "applying RestartJobSet failure policy "
                "action (first failed job: js-w-0)", ctype="RestartingJobSet",
                failurePolicy={"maxRestarts": 5})
    v = tr.jobset_verdict(js, [])
    assert v.cause == "training_restarting" and "'restart-on-preemption'" in v.message
    assert "restart 3 of 5" in v.message and v.first_job == "js-w-0"
    js = jobset("DefaultFailurePolicy", "applying RestartJobSet failure policy action "
                "(first failed job: js-w-0)", ctype="RestartingJobSet")
    assert "default failure policy" in tr.jobset_verdict(js, []).message


def test_jobset_held_by_kueue_hands_off():
    js = jobset("SuspendedJobs", "jobset is suspended", ctype="Suspended", suspend=True)
    js["metadata"]["labels"] = {"kueue.x-k8s.io/queue-name": "team-a"}
    v = tr.jobset_verdict(js, [])
    assert v.cause == "training_suspended" and "explain_pending.py" in v.fix
    js["metadata"]["labels"] = {}
    assert tr.jobset_verdict(js, []).severity == "info"


# ---- training-operator v1 -------------------------------------------------------------------
def pytorchjob(message: str, reason: str = "PyTorchJobFailed", ctype: str = "Failed",
               policy: str | None = None) -> dict:
    worker = {"replicas": 3, **({"restartPolicy": policy} if policy else {})}
    return {"kind": "PyTorchJob", "metadata": {"name": "llm", "namespace": "ml"},
            "spec": {"pytorchReplicaSpecs": {"Master": {"replicas": 1}, "Worker": worker},
                     "runPolicy": {"backoffLimit": 3}},
            "status": {"conditions": [{"type": ctype, "status": "True", "reason": reason,
                                       "message": message}]}}


@pytest.mark.parametrize("message,policy,cause", [
    ("PyTorchJob llm is failed because 1 Worker replica(s) failed.", "Never", "training_failed"),
    ("Job llm has failed because it has reached the specified backoff limit", None,
     "training_restarts_exhausted"),
    ("Job llm has failed because it was active longer than specified deadline", None,
     "training_deadline_exceeded"),
    ('job "llm" is failing because "Worker" replica(s) failed.', "ExitCode",
     "training_failure_policy"),
])
def test_pytorchjob_failed_messages(message, policy, cause):
    v = tr.kubeflow_verdict(pytorchjob(message, policy=policy), "PyTorchJob")
    assert v.cause == cause and v.basis == "reported"


def test_pytorchjob_names_the_replica_type_and_default_policy():
    v = tr.kubeflow_verdict(pytorchjob("PyTorchJob llm is failed because 2 Worker replica(s) "
                                       "failed."), "PyTorchJob")
    assert v.replica_type == "Worker"
    assert "Worker: OnFailure" in " ".join(v.evidence)  # PyTorchJobDefaultRestartPolicy


def test_pytorchjob_restarting():
    v = tr.kubeflow_verdict(pytorchjob("PyTorchJob llm is restarting because 1 Worker "
                                       "replica(s) failed.", "PyTorchJobRestarting",
                                       "Restarting"), "PyTorchJob")
    assert (v.cause, v.severity, v.replica_type) == ("training_restarting", "warning", "Worker")


# ---- RayJob ----------------------------------------------------------------------------------
def rayjob(deploy: str, reason: str = "", failed: int = 0, limit: int | None = None) -> dict:
    spec = {"entrypoint": "python train.py"}
    if limit is not None:
        spec["backoffLimit"] = limit
    return {"kind": "RayJob", "metadata": {"name": "rj", "namespace": "ml"}, "spec": spec,
            "status": {"jobDeploymentStatus": deploy, "reason": reason, "failed": failed,
                       "jobStatus": "FAILED" if reason == "AppFailed" else ""}}


@pytest.mark.parametrize("status,cause", [
    (rayjob("Failed", "AppFailed", failed=1), "training_failed"),
    (rayjob("Failed", "AppFailed", failed=3, limit=2), "training_restarts_exhausted"),
    (rayjob("Failed", "DeadlineExceeded", failed=1, limit=2), "training_deadline_exceeded"),
    (rayjob("Failed", "PreRunningDeadlineExceeded", failed=1), "training_deadline_exceeded"),
    (rayjob("ValidationFailed", "ValidationFailed"), "training_invalid"),
    (rayjob("Retrying", "", failed=1, limit=2), "training_restarting"),
    (rayjob("Suspended"), "training_suspended"),
])
def test_rayjob_statuses(status, cause):
    assert tr.rayjob_verdict(status).cause == cause


def test_running_rayjob_has_no_verdict():
    assert tr.rayjob_verdict(rayjob("Running")) is None


# ---- TrainJob --------------------------------------------------------------------------------
def test_trainjob_copies_the_jobsets_failure():
    tj = {"kind": "TrainJob", "metadata": {"name": "t", "namespace": "ml"}, "spec": {},
          "status": {"conditions": [{"type": "Failed", "status": "True",
                                     "reason": "ReachedMaxRestarts",
                                     "message": "jobset failed due to reaching max number of "
                                                "restarts (first failed job: t-node-0)"}]}}
    v = tr.trainjob_verdict(tj, [])
    assert (v.cause, v.first_job) == ("training_restarts_exhausted", "t-node-0")
    tj["status"]["conditions"][0]["reason"] = "TrainingRuntimeNotSupported"
    assert tr.trainjob_verdict(tj, []).cause == "training_invalid"


# ---- LeaderWorkerSet -------------------------------------------------------------------------
def test_lws_group_not_ready_names_the_group():
    lws = {"kind": "LeaderWorkerSet", "metadata": {"name": "vllm", "namespace": "serve"},
           "spec": {"replicas": 2, "leaderWorkerTemplate": {"size": 4}},
           "status": {"readyReplicas": 1, "replicas": 2}}
    pod = {"kind": "Pod", "metadata": {"name": "vllm-1-2", "namespace": "serve", "labels": {
        "leaderworkerset.sigs.k8s.io/name": "vllm",
        "leaderworkerset.sigs.k8s.io/group-index": "1"}},
        "status": {"containerStatuses": [{"name": "vllm", "ready": False, "restartCount": 4,
                                          "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
    v = tr.lws_verdict(lws, [pod])
    assert v.cause == "training_group_not_ready" and "1 of 2" in v.message
    assert "whole group" in v.message  # default RecreateGroupOnPodRestart
    assert any(line.startswith("group 1: pod vllm-1-2") for line in v.evidence)


# ---- the script ------------------------------------------------------------------------------
def test_script_puts_the_first_failed_pods_cause_first():
    r = run_script("check_training.py", "-f", str(TRAINING / "jobset-max-restarts.yaml"),
                   "--json")
    assert r.code == 1, r.err
    causes = [(f["cause"], f["object"]["name"]) for f in r.doc["findings"]]
    # first failed Job llm-workers-1 (the JobSet's message); its pod -0 terminated first
    assert causes == [("oom_killed", "llm-workers-1-0-x7k2p"),
                      ("training_restarts_exhausted", "llm")]
    assert r.doc["jobs"] == [{"kind": "JobSet", "namespace": "ml", "name": "llm",
                              "verdict": "training_restarts_exhausted"}]


def test_script_reads_rank_logs_with_the_status():
    r = run_script("check_training.py", "-f", str(TRAINING / "jobset-max-restarts.yaml"), "-f",
                   str(GPU / "open-gpu-kernel-modules-1151-xid79.log"), "--json")
    causes = [f["cause"] for f in r.doc["findings"]]
    assert causes[0] == "gpu_xid_hardware" and "training_restarts_exhausted" in causes


def test_script_by_name_and_bad_input():
    dump = as_dump(pytorchjob("PyTorchJob llm is failed because 1 Worker replica(s) failed.",
                              policy="Never"))
    r = run_script("check_training.py", "-f", "-", "other", stdin=dump)
    assert r.code == 2 and r.err.count("\n") == 1 and "named 'other'" in r.err
    r = run_script("check_training.py", "-f", "-", "llm", "--json", stdin=dump)
    assert [f["cause"] for f in r.doc["findings"]] == ["training_failed"]
    # a rank's log alone: what the log says (explain_gpu_failure.py's readers), with the
    # summary saying that no job was in the input
    r = run_script("check_training.py", "-f", str(GPU / "pytorch-118369-desync.log"), "--json")
    assert r.code == 1 and r.doc["summary"].startswith("no training job in the input")
    alone = run_script("explain_gpu_failure.py", "-f", str(GPU / "pytorch-118369-desync.log"),
                       "--json")
    assert [f["cause"] for f in r.doc["findings"]] == \
        [f["cause"] for f in alone.doc["findings"]]


def test_describe_text_of_a_pytorchjob():
    """`kubectl describe pytorchjob` (nested replica-spec blocks); the messages are the
    controller's format strings (pytorchjob_controller.go l.435, l.521)."""
    r = run_script("check_training.py", "-f", str(TRAINING / "pytorchjob-describe.txt"),
                   "--json")
    (f,) = r.doc["findings"]
    assert (f["cause"], f["basis"]) == ("training_failed", "reported")
    assert "restartPolicy Never" in f["message"]
    assert any("training.kubeflow.org/job-name=pytorch-dist-mnist" in e for e in f["evidence"])


@pytest.mark.parametrize("message,rtype", [
    ("TFJob ml/tf has failed because 1 Worker replica(s) failed.", "Worker"),  # older TFJob
    ("TensorFlowJob the-job is restarting because some replica(s) failed.", ""),
    ("XGBoostJob test-sgboostjob is failed because 2 Worker replica(s) failed.", "Worker"),
])
def test_older_and_sibling_operator_wordings(message, rtype):
    """Wordings of older training-operator / tf-operator releases and the other kinds'
    controllers (tf-operator pkg/controller.v1/tensorflow/status.go, xgboost status tests)."""
    m = tr._REPLICAS_FAILED.search(message)
    assert m and (m.group("rtype") or "") == rtype


def test_child_job_refused_by_the_apiserver():
    """JobSet's JobCreationFailed event (jobset_controller.go l.711, the apiserver's error as
    message); the Job validation wording is kubernetes pkg/apis/batch/validation for a
    podFailurePolicy with restartPolicy OnFailure."""
    js = {"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet",
          "metadata": {"name": "pw", "namespace": "default"}, "spec": {}, "status": {}}
    event = {"apiVersion": "v1", "kind": "Event", "type": "Warning",
             "reason": "JobCreationFailed", "metadata": {"name": "pw.1", "namespace": "default"},
             "involvedObject": {"kind": "JobSet", "name": "pw", "namespace": "default"},
             "message": 'Job.batch "pw-worker-0" is invalid: spec.template.spec.restartPolicy: '
                        'Invalid value: "OnFailure": only "Never" is supported when '
                        'podFailurePolicy is specified'}
    r = run_script("check_training.py", "-f", "-", "--json", stdin=as_dump(js, event))
    (f,) = r.doc["findings"]
    assert (f["cause"], f["basis"]) == ("training_invalid", "reported")
    assert "podFailurePolicy" in f["evidence"][0]


def test_nccl_shared_memory_wordings():
    """NCCL's /dev/shm failures (include/shm.h, src/misc/shmutils.cc; the corpus cases
    nccl-shm-* quote them); "Error while attaching" (a missing peer segment) is not one."""
    from _tshoot.gpu import read
    assert read("misc/shmutils.cc:71 NCCL WARN Error: failed to extend /dev/shm/nccl-fjwOOB "
                "to 5967876 bytes").nccl_shm
    assert not read("misc/shmutils.cc:129 NCCL WARN Error while attaching to shared memory "
                    "segment /dev/shm/nccl-glnlGK (size 14156128), error: No such file or "
                    "directory (2)").nccl_shm
