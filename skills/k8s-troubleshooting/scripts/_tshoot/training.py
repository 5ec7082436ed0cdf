"""The status of distributed training objects, read as their controllers write it: JobSet,
LeaderWorkerSet, RayJob, TrainJob (Kubeflow Trainer v2) and the Kubeflow training-operator v1
jobs (PyTorchJob, TFJob, MPIJob, XGBoostJob, PaddleJob, JAXJob).

Each object gives one job-level verdict (failed, restarts exhausted, a failure-policy rule,
deadline, restarting, suspended, invalid, groups not ready) with the controller's own reason
and message, and names what failed first: the first failed child Job (JobSet's
`(first failed job: X)`), the replica type (`N Worker replica(s) failed`), the pod that
terminated first. Field names, condition types and reasons, checked in the pinned modules
(references/training-jobs.md keeps the table with file names):
- sigs.k8s.io/jobset v0.12.0: api/jobset/v1alpha2/jobset_types.go, pkg/constants/constants.go,
  pkg/controllers/failure_policy.go;
- sigs.k8s.io/lws v0.9.0: api/leaderworkerset/v1/leaderworkerset_types.go;
- github.com/ray-project/kuberay/ray-operator v1.6.2: apis/ray/v1/rayjob_types.go,
  controllers/ray/rayjob_controller.go;
- github.com/kubeflow/trainer/v2 v2.2.1: pkg/apis/trainer/v1alpha1/trainjob_types.go;
- github.com/kubeflow/training-operator v1.9.3: pkg/apis/kubeflow.org/v1/common_types.go,
  pkg/controller.v1/common/job.go, pkg/controller.v1/pytorch/pytorchjob_controller.go.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit.objects import name_of, namespace_of

from _tshoot.stamps import order_key

KUBEFLOW_V1 = {  # kind -> (replica specs field, default restartPolicy); *_types.go v1.9.3
    "PyTorchJob": ("pytorchReplicaSpecs", "OnFailure"), "TFJob": ("tfReplicaSpecs", "Never"),
    "MPIJob": ("mpiReplicaSpecs", "Never"), "XGBoostJob": ("xgbReplicaSpecs", "Never"),
    "PaddleJob": ("paddleReplicaSpecs", "OnFailure"), "JAXJob": ("jaxReplicaSpecs", "Never"),
}
KINDS = ("JobSet", "LeaderWorkerSet", "RayJob", "TrainJob", *KUBEFLOW_V1)
RESOURCES = {  # kind -> kubectl resource, for live reads and confirm commands
    "JobSet": "jobsets.jobset.x-k8s.io",
    "LeaderWorkerSet": "leaderworkersets.leaderworkerset.x-k8s.io",
    "RayJob": "rayjobs.ray.io", "TrainJob": "trainjobs.trainer.kubeflow.org",
    **{k: f"{k.lower()}s.kubeflow.org" for k in KUBEFLOW_V1},
}
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
KUEUE_GATE = "kueue.x-k8s.io/admission"

# JobSet (pkg/controllers/failure_policy.go messageWithFirstFailedJob; the suffix is absent
# in JobSets older than the first-failed-job message, so it is optional).
_FIRST_FAILED = re.compile(r"\(first failed job: (?P<job>[^)\s]+)\)")
# training-operator v1: pytorchjob_controller.go l.430/435 (and the other kinds' copies)
# `PyTorchJob x is restarting|is failed because 2 Worker replica(s) failed.`; common/pod.go
# l.361/368 `job x is restarting because Worker replica(s) failed.` and, for restartPolicy
# ExitCode with an exit code below 128, `job "x" is failing because "Worker" replica(s)
# failed.`; older TFJob controllers: `TFJob ns/x has failed because 1 Worker replica(s)
# failed.` and `... is restarting because some replica(s) failed.`
_REPLICAS_FAILED = re.compile(r"(?P<how>is restarting|is failed|is failing|has failed|failed) "
                              r"because (?:(?P<n>\d+) )?(?:\"?(?!some\b)(?P<rtype>[A-Za-z]\w*)"
                              r"\"? )?(?:some )?replica\(s\) failed")
_KUBEFLOW_LIMIT = re.compile(r"has failed because it has reached the specified backoff limit")
_KUBEFLOW_DEADLINE = re.compile(r"has failed because it was active longer than specified deadline")
# MPI Operator v2 (kubeflow.org/v2beta1 MPIJob, github.com/kubeflow/mpi-operator v0.8.2
# pkg/controller/mpi_job_controller.go): the MPIJob's Failed condition copies its launcher
# Job's Failed reason and message (updateMPIJobFailedStatus l.1202-1231; BackoffLimitExceeded
# becomes `BackoffLimitExceeded/<last failed launcher pod's reason>`, the message gets `: <its
# message>`), the launcher Job's backoffLimit and activeDeadlineSeconds being runPolicy's
# (l.1568-1569); evicted workers fail it with reason MPIJobEvicted, `%d/%d workers are
# evicted` (l.1160-1163); a spec that fails validation gets only a Warning event
# ValidationError, `Found validation errors: %v` (l.609-610), and is never reconciled.
MPI_V2_FAILED = {
    "BackoffLimitExceeded": ("training_restarts_exhausted", "the launcher Job failed as many "
                             "times as runPolicy.backoffLimit allows (the MPIJob copies its "
                             "launcher Job's Failed condition)"),
    "DeadlineExceeded": ("training_deadline_exceeded", "the launcher Job ran past "
                         "runPolicy.activeDeadlineSeconds (the MPIJob copies its launcher "
                         "Job's Failed condition)"),
    "MPIJobEvicted": ("evicted", "worker pods were evicted (the kubelet's node-pressure "
                      "eviction or an API eviction): the MPI Operator fails the MPIJob on "
                      "any evicted worker"),
}
MPI_V2_INVALID = "ValidationError"

# Pod labels that tie a pod to its training object.
POD_LABELS = {
    "JobSet": "jobset.sigs.k8s.io/jobset-name",
    "LeaderWorkerSet": "leaderworkerset.sigs.k8s.io/name",
    "RayJob": "ray.io/originated-from-cr-name",
    "TrainJob": "jobset.sigs.k8s.io/jobset-name",  # Trainer v2 runs a JobSet of its name
    **{k: "training.kubeflow.org/job-name" for k in KUBEFLOW_V1},
}


@dataclass
class Verdict:
    """One object's job-level verdict, before it becomes a finding."""
    severity: str
    cause: str
    message: str
    evidence: list[str] = field(default_factory=list)
    fix: str = ""
    basis: str = "reported"
    confirm: str = ""
    first_job: str = ""        # the child Job that failed first (JobSet, TrainJob)
    replica_type: str = ""     # the replica type whose pods failed (training-operator)


def labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}




def condition(obj: dict, type_: str) -> dict | None:
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if isinstance(cond, dict) and cond.get("type") == type_ and cond.get("status") == "True":
            return cond
    return None


def _quote(cond: dict) -> str:
    if cond.get("_event"):  # read from the event the controller recorded with it
        return (f"{cond['_event']} {cond.get('reason') or '-'}: "
                f"\"{(cond.get('message') or '').strip()[:300]}\"")
    return (f"condition {cond.get('type')}=True, reason {cond.get('reason') or '-'}: "
            f"\"{(cond.get('message') or '').strip()[:300]}\"")


# ---- JobSet ---------------------------------------------------------------------------------
JOBSET_FAILED = {  # reason -> (cause, meaning); pkg/constants/constants.go v0.12.0
    "ReachedMaxRestarts": ("training_restarts_exhausted",
                           "a child Job failed after the JobSet used all its restarts "
                           "(failurePolicy.maxRestarts)"),
    "FailJobSetFailurePolicyAction": ("training_failure_policy",
                                      "a failurePolicy rule with action FailJobSet matched a "
                                      "failed child Job: no restart was tried"),
    "FailedJobs": ("training_failed", "a child Job failed and the JobSet has no failurePolicy "
                   "(no failurePolicy = fail on the first failed Job, no restart)"),
}


def jobset_verdict(js: dict, jobs: list[dict], kind: str = "JobSet") -> Verdict | None:
    spec, status = js.get("spec") or {}, js.get("status") or {}
    policy = spec.get("failurePolicy") or {}
    max_restarts = int(policy.get("maxRestarts") or 0)
    restarts = int(status.get("restarts") or 0)
    counted = int(status.get("restartsCountTowardsMax") or 0)
    count_line = (f"status.restarts {restarts} (counting towards the maximum "
                  f"{counted}); failurePolicy.maxRestarts {max_restarts}"
                  if policy else f"status.restarts {restarts}; no failurePolicy")
    failed = condition(js, "Failed")
    if failed:
        cause, meaning = JOBSET_FAILED.get(failed.get("reason") or "", (
            "training_failed", f"the JobSet failed (reason {failed.get('reason') or '-'})"))
        first = _first_failed(failed.get("message") or "", jobs)
        v = Verdict("error", cause, meaning, [_quote(failed), count_line],
                    _jobset_fix(cause), first_job=first)
        rule, job = matching_rule(policy.get("rules") or [], jobs)
        if rule and job:
            v.evidence.append(f"failurePolicy rule {rule.get('name')!r} (action "
                              f"{rule.get('action')}) matches failed Job {name_of(job)}")
        return v
    restarting = condition(js, "RestartingJobSet")
    if restarting:
        rule = (restarting.get("reason") or "").removeprefix("FailurePolicy_")
        why = (f"failurePolicy rule {rule!r}" if rule != restarting.get("reason")
               else "the default failure policy (RestartJobSet)")
        first = _first_failed(restarting.get("message") or "", jobs)
        return Verdict("warning", "training_restarting",
                       f"the JobSet is restarting all its Jobs ({why}): restart "
                       f"{restarts} of {max_restarts}", [_quote(restarting), count_line],
                       "read the first failed Job's pods (their logs and termination reason)"
                       " before the next restart deletes them", first_job=first)
    return _suspended(js, kind, bool(spec.get("suspend")), condition(js, "Suspended"))


def _first_failed(message: str, jobs: list[dict]) -> str:
    m = _FIRST_FAILED.search(message)
    if m:
        return m.group("job")
    first = first_failed_job(jobs)
    return name_of(first) if first else ""


def first_failed_job(jobs: list[dict]) -> dict | None:
    """The Job whose Failed=True condition is oldest (findFirstFailedJob, failure_policy.go)."""
    failed = [(order_key(c.get("lastTransitionTime")), j) for j in jobs
              for c in [condition(j, "Failed")] if c]
    return min(failed, key=lambda t: t[0])[1] if failed else None


def matching_rule(rules: list[dict], jobs: list[dict]) -> tuple[dict | None, dict | None]:
    """(rule, job): the first rule that matches a failed child Job, and the earliest failed
    Job it matches, as findFirstFailedPolicyRuleAndJob and ruleIsApplicable do: reasons,
    message patterns (Go RE2, read with Python's re) and target replicated jobs, each empty =
    any; a Job without its replicated-job label matches no rule."""
    for rule in rules:
        matched = [(order_key(c.get("lastTransitionTime")), j) for j in jobs
                   for c in [condition(j, "Failed")] if c and _rule_applies(rule, j, c)]
        if matched:
            return rule, min(matched, key=lambda t: t[0])[1]
    return None, None


def _rule_applies(rule: dict, job: dict, cond: dict) -> bool:
    reasons = rule.get("onJobFailureReasons") or []
    if reasons and cond.get("reason") not in reasons:
        return False
    patterns = rule.get("onJobFailureMessagePatterns") or []
    if patterns and not any(_search(p, cond.get("message") or "") for p in patterns):
        return False
    parent = labels(job).get("jobset.sigs.k8s.io/replicatedjob-name")
    if not parent:
        return False
    targets = rule.get("targetReplicatedJobs") or []
    return not targets or parent in targets


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:  # the controller logs an invalid pattern and skips it
        return False


def _jobset_fix(cause: str) -> str:
    if cause == "training_restarts_exhausted":
        return ("fix what made the first failed Job's pods fail (the pod finding, if shown, "
                "or its pods' logs); raise failurePolicy.maxRestarts only for transient "
                "faults (node loss, preemption), and add a rule "
                "(RestartJobSetAndIgnoreMaxRestarts on reason PodFailurePolicy) for those")
    if cause == "training_failure_policy":
        return ("the rule did what it says: fix the failure it matched, or narrow its "
                "onJobFailureReasons / onJobFailureMessagePatterns if that failure should "
                "restart the JobSet")
    return ("fix the first failed Job's pods (the pod finding, if shown, or their logs); to retry "
            "transient failures add spec.failurePolicy.maxRestarts")


# ---- suspension (Kueue or a person) ----------------------------------------------------------
def _suspended(obj: dict, kind: str, suspend: bool, cond: dict | None) -> Verdict | None:
    if not (suspend or cond):
        return None
    queue = labels(obj).get(QUEUE_LABEL)
    evidence = ([_quote(cond)] if cond else []) + (
        ["spec.suspend: true"] if suspend else [])
    if queue:
        evidence.append(f"label {QUEUE_LABEL}={queue}: Kueue holds it until the Workload "
                        "is admitted")
        return Verdict("warning", "training_suspended",
                       f"the {kind} is suspended, waiting for Kueue to admit it (queue "
                       f"{queue})", evidence,
                       f"hand off to k8s-kueue: explain_pending.py -n {namespace_of(obj) or 'NS'} "
                       f"{name_of(obj)} says why the Workload is not admitted", basis="reported")
    return Verdict("info", "training_suspended", f"the {kind} is suspended (spec.suspend) and "
                   "no Kueue queue label is set: someone or some tool suspended it", evidence,
                   "set spec.suspend to false when it should run")


# ---- LeaderWorkerSet --------------------------------------------------------------------------
def lws_verdict(lws: dict, pods: list[dict]) -> Verdict | None:
    spec, status = lws.get("spec") or {}, lws.get("status") or {}
    want = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
    ready = int(status.get("readyReplicas") or 0)
    if ready >= want or not status:
        return _gated(lws, "LeaderWorkerSet", pods)
    policy = (spec.get("leaderWorkerTemplate") or {}).get("restartPolicy") or \
        "RecreateGroupOnPodRestart"
    groups = _groups_with_trouble(pods)
    evidence = [f"status.readyReplicas {ready} of spec.replicas {want} groups"
                f" (size {(spec.get('leaderWorkerTemplate') or {}).get('size', 1)})",
                f"leaderWorkerTemplate.restartPolicy {policy}"]
    evidence += [f"group {g}: {why}" for g, why in groups[:4]]
    meaning = {"RecreateGroupOnPodRestart": "a restart of any pod deletes and recreates its "
               "whole group (leader and workers)",
               "RecreateGroupAfterStart": "a pod restart recreates the group only after the "
               "group has started once"}.get(policy, "a failed pod restarts alone")
    gated = _gated(lws, "LeaderWorkerSet", pods)
    if gated:
        return gated
    return Verdict("warning", "training_group_not_ready",
                   f"{want - ready} of {want} LeaderWorkerSet group(s) not ready; {meaning}",
                   evidence, "read the first pod that restarted in the group named (its "
                   "termination reason and previous logs): one failing pod keeps its whole "
                   "group down", basis="reported")


def _groups_with_trouble(pods: list[dict]) -> list[tuple[str, str]]:
    out = []
    for pod in pods:
        group = labels(pod).get("leaderworkerset.sigs.k8s.io/group-index", "?")
        for cs in (pod.get("status") or {}).get("containerStatuses") or []:
            if not cs.get("ready") and (cs.get("restartCount") or (cs.get("state") or {})
                                        .get("waiting")):
                waiting = ((cs.get("state") or {}).get("waiting") or {}).get("reason") or ""
                out.append((group, f"pod {name_of(pod)} container {cs.get('name')} "
                            f"{waiting or 'not ready'}, {cs.get('restartCount') or 0} restarts"))
                break
    return out


def _gated(obj: dict, kind: str, pods: list[dict]) -> Verdict | None:
    gated = [p for p in pods if any(g.get("name") == KUEUE_GATE for g in
                                    (p.get("spec") or {}).get("schedulingGates") or [])]
    if not gated:
        return None
    return Verdict("warning", "training_suspended",
                   f"{len(gated)} pod(s) of the {kind} wait for Kueue's admission gate",
                   [f"pod {name_of(gated[0])}: schedulingGates {KUEUE_GATE}"],
                   f"hand off to k8s-kueue: explain_pending.py -n {namespace_of(obj) or 'NS'} "
                   "says why the pod group's Workload is not admitted")


# ---- RayJob -----------------------------------------------------------------------------------
RAY_REASONS = {  # apis/ray/v1/rayjob_types.go JobFailedReason, v1.6.2
    "SubmissionFailed": ("training_failed", "the submitter (ray job submit) or the Ray head "
                         "failed before the job ran"),
    "AppFailed": ("training_failed", "the Ray job itself failed (the driver script)"),
    "DeadlineExceeded": ("training_deadline_exceeded", "the RayJob ran past "
                         "spec.activeDeadlineSeconds (never retried)"),
    "PreRunningDeadlineExceeded": ("training_deadline_exceeded", "the RayJob did not reach "
                                   "Running within spec.preRunningDeadlineSeconds"),
    "ValidationFailed": ("training_invalid", "KubeRay rejected the RayJob spec"),
    "JobDeploymentStatusTransitionGracePeriodExceeded": (
        "training_failed", "the submitter finished but the Ray job never reached a terminal "
        "state within the grace period"),
}


def rayjob_verdict(rj: dict) -> Verdict | None:
    spec, status = rj.get("spec") or {}, rj.get("status") or {}
    deploy = status.get("jobDeploymentStatus") or ""
    reason, msg = status.get("reason") or "", (status.get("message") or "").strip()
    limit = spec.get("backoffLimit")
    failed = int(status.get("failed") or 0)
    line = (f"status.jobDeploymentStatus {deploy}, jobStatus {status.get('jobStatus') or '-'}"
            f", reason {reason or '-'}" + (f": \"{msg[:300]}\"" if msg else ""))
    counts = f"status.failed {failed}; spec.backoffLimit {limit if limit is not None else 0}"
    if deploy in ("Failed", "ValidationFailed"):
        cause, meaning = RAY_REASONS.get(reason, ("training_failed", "the RayJob failed"))
        if cause == "training_failed" and limit:
            cause, meaning = "training_restarts_exhausted", (
                f"{meaning}, and every retry failed too (backoffLimit {limit}: each retry "
                "creates a new RayCluster)")
        return Verdict("error", cause, meaning, [line, counts], _ray_fix(reason))
    if status.get("jobStatus") == "FAILED" and deploy in ("Running", "Complete", ""):
        # KubeRay before v1.1 had no Failed deployment status (added by kuberay#1942): the
        # Ray job's own FAILED (ray JobStatus) was the failure, under Running or Complete
        return Verdict("error", "training_failed", RAY_REASONS["AppFailed"][1] + " (jobStatus "
                       "FAILED; this KubeRay reports no Failed deployment status)",
                       [line, counts], _ray_fix("AppFailed"))
    if deploy == "Retrying":
        return Verdict("warning", "training_restarting",
                       f"the RayJob failed and is retrying on a new RayCluster ({failed} "
                       f"failure(s), backoffLimit {limit})", [line, counts],
                       "read the failed attempt's head and submitter logs before the retry "
                       "replaces them")
    if deploy in ("Suspended", "Suspending") or spec.get("suspend"):
        return _suspended(rj, "RayJob", True, None)
    return None


def _ray_fix(reason: str) -> str:
    return {
        "SubmissionFailed": "read the submitter Job's pod logs (kubectl logs job/<rayjob>) and"
                            " the head pod's: entrypoint, runtime_env, dashboard reachability",
        "AppFailed": "read the driver's logs (the submitter pod, or `ray job logs` on the head)"
                     " and the workers' for the exception",
        "DeadlineExceeded": "raise spec.activeDeadlineSeconds or make the job shorter",
        "PreRunningDeadlineExceeded": "the cluster did not start in time: read the head and "
                                      "worker pods (Pending? image pull?) or raise "
                                      "spec.preRunningDeadlineSeconds",
        "ValidationFailed": "fix the spec field the message names",
    }.get(reason, "read the head and submitter pods' logs")


# ---- TrainJob (Kubeflow Trainer v2) -----------------------------------------------------------
TRAINJOB_FAILED = {  # trainjob_types.go v2.2.1; other reasons are copied from the JobSet
    "TrainingRuntimeNotSupported": ("training_invalid", "the referenced TrainingRuntime is "
                                    "not supported"),
    "DeadlineExceeded": ("training_deadline_exceeded", "the TrainJob ran past "
                         "spec.activeDeadlineSeconds"),
    **JOBSET_FAILED,
}


def trainjob_verdict(tj: dict, jobs: list[dict]) -> Verdict | None:
    failed = condition(tj, "Failed")
    if failed:
        cause, meaning = TRAINJOB_FAILED.get(failed.get("reason") or "", (
            "training_failed", f"the TrainJob failed (reason {failed.get('reason') or '-'})"))
        return Verdict("error", cause, meaning + " (the TrainJob copies its JobSet's Failed "
                       "condition)" if failed.get("reason") in JOBSET_FAILED else meaning,
                       [_quote(failed)], _jobset_fix(cause),
                       first_job=_first_failed(failed.get("message") or "", jobs))
    return _suspended(tj, "TrainJob", bool((tj.get("spec") or {}).get("suspend")),
                      condition(tj, "Suspended"))


# ---- training-operator v1 (PyTorchJob, TFJob, ...) --------------------------------------------
def kubeflow_verdict(job: dict, kind: str) -> Verdict | None:
    spec = job.get("spec") or {}
    run = spec.get("runPolicy") or {}
    field_name, default = KUBEFLOW_V1[kind]
    replicas = replica_specs(spec.get(field_name))
    failed, restarting = condition(job, "Failed"), condition(job, "Restarting")
    policies = ", ".join(f"{rt}: {(rs or {}).get('restartPolicy') or default}"
                         for rt, rs in replicas.items())
    limits = (f"runPolicy.backoffLimit {run.get('backoffLimit', 'unset')}; restartPolicy "
              f"{policies or '-'}") if spec else "its spec (runPolicy, restartPolicy) is not in the input"
    if failed:
        msg = failed.get("message") or ""
        m = _REPLICAS_FAILED.search(msg)
        cause, meaning = _kubeflow_cause(failed, msg, replicas, m, default)
        return Verdict("error", cause, meaning, [_quote(failed), limits],
                       _kubeflow_fix(cause), replica_type=(m.group("rtype") or "") if m else "")
    if restarting:
        m = _REPLICAS_FAILED.search(restarting.get("message") or "")
        return Verdict("warning", "training_restarting",
                       f"the {kind} is restarting failed replicas", [_quote(restarting), limits],
                       "read the failed replica's previous logs (kubectl logs POD --previous)"
                       " before runPolicy.backoffLimit is reached",
                       replica_type=(m.group("rtype") or "") if m else "")
    return _suspended(job, kind, bool(run.get("suspend")), condition(job, "Suspended"))


def replica_specs(value) -> dict[str, dict]:
    """Replica type -> spec. `kubectl describe` prints the map as nested `Master:` /
    `Worker:` blocks that a paste reader may give as a list of one-key maps (lower-cased)."""
    items = value if isinstance(value, list) else [value or {}]
    return {str(k): v if isinstance(v, dict) else {}
            for item in items if isinstance(item, dict) for k, v in item.items()}


def _kubeflow_cause(cond: dict, msg: str, replicas: dict, m, default: str) -> tuple[str, str]:
    reason = cond.get("reason") or ""
    if reason.endswith("FailedValidation") or reason == MPI_V2_INVALID:
        return "training_invalid", "the operator rejected the job's spec"
    if _KUBEFLOW_LIMIT.search(msg):
        return "training_restarts_exhausted", ("the pods' restarts (summed over running pods)"
                                               " or failures reached runPolicy.backoffLimit")
    if _KUBEFLOW_DEADLINE.search(msg):
        return "training_deadline_exceeded", "the job ran past runPolicy.activeDeadlineSeconds"
    if reason.split("/")[0] in MPI_V2_FAILED:
        return MPI_V2_FAILED[reason.split("/")[0]]
    if m:
        rtype = m.group("rtype") or ""
        policy = next((rs.get("restartPolicy") for rt, rs in replicas.items()
                       if rtype and rt.lower() == rtype.lower()), None) or default
        if policy == "ExitCode" or m.group("how") == "is failing":
            return "training_failure_policy", (
                f"a {rtype or ''} replica exited with a permanent exit code (restartPolicy"
                " ExitCode retries only exit codes 128-255, i.e. killed by a signal)")
        return "training_failed", (f"{m.group('n') or 'some'} {rtype} replica(s) failed and "
                                   f"restartPolicy {policy} does not restart them")
    return "training_failed", "the job failed"


def _kubeflow_fix(cause: str) -> str:
    return {
        "training_restarts_exhausted": "fix what makes the replicas fail (the pod finding, "
                                       "if shown, or kubectl logs POD --previous); raise "
                                       "runPolicy.backoffLimit only for transient faults",
        "training_deadline_exceeded": "raise runPolicy.activeDeadlineSeconds or shorten the "
                                      "job",
        "training_failure_policy": "fix the application error behind the exit code (exit "
                                   "1-127 is the program's own failure, not retried)",
        "training_invalid": "fix the spec field the message names",
        "evicted": "read the evicted worker pods' status message (which node pressure, or "
                   "what evicted them); give the workers requests equal to their usage, then "
                   "recreate the MPIJob",
    }.get(cause, "fix the failed replica (the pod finding, if shown, or its logs); restartPolicy "
                 "OnFailure or ExitCode with runPolicy.backoffLimit retries transient faults")
