"""The job kinds Kueue manages refusing, or failing to act on, what Kueue does to a job it
admitted or must suspend, as a user pastes it. Expected causes follow from the upstream source:
- Kueue's own error logs when its suspend fails (kubernetes-sigs/kueue
  pkg/controller/jobframework/reconciler.go:664 "Suspending job with non admitted workload",
  :456 "Suspending job with deleted workload", :399 "suspending child job failed" @v0.19.2):
  Kueue could not stop the job -> admission_webhook_denied; its "Unsuspending job" (:628) is
  the start -> admitted_not_started.
- JobSet's validating webhook vjobset.kb.io: spec.replicatedJobs immutable but for the pod
  template fields Kueue sets while the JobSet is suspended (sigs.k8s.io/jobset
  pkg/webhooks/jobset_webhook.go:222-237@v0.5.2: only when the OLD JobSet was suspended, and
  errs.ToAggregate(); :370-409@v0.12.0: either side, apierrors.NewInvalid of
  JobSet.jobset.x-k8s.io); the message is apimachinery's ValidateImmutableField
  "field is immutable" (pkg/api/validation/objectmeta.go:37-140@v0.37.2). kueue#2691.
- batch/v1 Job: pkg/registry/batch/job/strategy.go:144-178 and
  pkg/apis/batch/validation/validation.go:742-785 (kubernetes@v1.37.2): the template is
  immutable unless the Job is suspended and never started (or, 1.36+, JobSuspended=True with no
  active pods); Kueue changes it when it starts the Job (jobframework startJob ->
  RunWithPodSetsInfo).
- KubeRay (ray-project/kuberay ray-operator/controllers/ray/rayjob_controller.go:950, :723
  @v1.6.2): FailedToCreateRayCluster / FailedToCreateRayJobSubmitter, recorded only once the
  RayJob is no longer suspended -> admitted_not_started.
"""
from __future__ import annotations

import json

import pytest

from .test_kueue_heldout46 import _causes

_JOBSET_V05 = ('admission webhook \\"vjobset.kb.io\\" denied the request: spec.replicatedJobs: '
               'Invalid value: []v1alpha2.ReplicatedJob{v1alpha2.ReplicatedJob{Name:\\"workers\\", '
               'Replicas:1}}: field is immutable')
_JOBSET_V12 = ('admission webhook \\"vjobset.kb.io\\" denied the request: JobSet.jobset.x-k8s.io '
               '\\"trainer\\" is invalid: spec.replicatedJobs: Invalid value: '
               '[]v1alpha2.ReplicatedJob{...}: field is immutable')
_JOB = ('Job.batch \\"pi\\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{'
        'ObjectMeta:v1.ObjectMeta{Labels:map[string]string{\\"kueue.x-k8s.io/queue-name\\":'
        '\\"user-queue\\"}}}: field is immutable')


def _console(msg: str, error: str, controller: str = "jobset") -> str:
    """zap's console encoding, as kubectl logs deploy/kueue-controller-manager prints it."""
    return (f'2024-08-20T10:00:00.123Z\tERROR\t{msg}\t{{"controller": "{controller}", '
            f'"namespace": "default", "name": "trainer", "reconcileID": "7f1c", '
            f'"error": "{error}"}}\n')


def _json(msg: str, error: str) -> str:
    return json.dumps({"level": "error", "ts": "2024-08-20T10:00:00Z", "msg": msg,
                       "controller": "job", "namespace": "default", "name": "pi",
                       "error": error.replace('\\"', '"')}) + "\n"


@pytest.mark.parametrize("msg", ["Suspending job with non admitted workload",
                                 "Suspending job with deleted workload",
                                 "suspending child job failed"])
@pytest.mark.parametrize("error", [_JOBSET_V05, _JOBSET_V12])
def test_kueue_failing_to_suspend_is_the_webhook_refusal(msg, error):
    assert _causes("explain_pending.py", _console(msg, error))[0] == "admission_webhook_denied"
    assert _causes("explain_pending.py", _json(msg, error))[0] == "admission_webhook_denied"


@pytest.mark.parametrize("error", [_JOBSET_V05, _JOBSET_V12])
def test_jobset_refusal_in_a_reconciler_error_is_the_webhook_refusal(error):
    # the eviction path returns stopJob's error to controller-runtime (reconciler.go:583)
    assert _causes("explain_pending.py",
                   _console("Reconciler error", error))[0] == "admission_webhook_denied"


@pytest.mark.parametrize("error", [_JOBSET_V05, _JOBSET_V12, _JOB])
def test_the_same_refusal_when_kueue_starts_the_job_is_admitted_not_started(error):
    assert _causes("explain_pending.py",
                   _console("Unsuspending job", error))[0] == "admitted_not_started"
    assert _causes("explain_pending.py",
                   _json("Unsuspending job", error))[0] == "admitted_not_started"


def test_a_batch_jobs_template_refused_in_kueues_log_is_admitted_not_started():
    assert _causes("explain_pending.py",
                   _console("Reconciler error", _JOB, "job"))[0] == "admitted_not_started"


@pytest.mark.parametrize("printed", [
    # a person's own edit, as kubectl prints it (kubectl cmdutil.CheckErr): not Kueue's write
    'Error from server (Invalid): error when applying patch:\n{"spec":{}}\nto:\nResource: '
    '"batch/v1, Resource=jobs", GroupVersionKind: "batch/v1, Kind=Job"\nName: "pi", Namespace: '
    '"default"\nfor: "job.yaml": error when patching "job.yaml": '
    + _JOB.replace('\\"', '"') + "\n",
    'Error from server (Invalid): error when applying patch: for: "js.yaml": '
    + _JOBSET_V05.replace('\\"', '"') + "\n",
])
def test_kubectls_answer_to_a_persons_edit_is_not_read_as_kueues(printed):
    causes = _causes("explain_pending.py", printed)
    assert "admitted_not_started" not in causes and "admission_webhook_denied" not in causes


def test_duplicate_tolerations_still_name_the_kueue_defect():
    tol = ('core.Toleration{Key:"nvidia.com/gpu", Operator:"Exists", Value:"", '
           'Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}')
    line = (f'Job.batch "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{{'
            f'Tolerations:[]core.Toleration{{{tol}, {tol}}}}}: field is immutable\n')
    assert _causes("explain_pending.py", line)[0] == "kueue_bug"


@pytest.mark.parametrize("paste", [
    "LAST SEEN   TYPE      REASON                     OBJECT                 MESSAGE\n"
    "12s         Warning   FailedToCreateRayCluster   rayjob/rayjob-sample   Failed to create "
    "RayCluster default/rayjob-sample-raycluster-x2k9p: admission webhook \"vraycluster.kb.io\" "
    "denied the request: spec.headGroupSpec.template.spec.containers[0].resources: Required\n",
    "Events:\n  Type     Reason                         Age   From               Message\n"
    "  ----     ------                         ----  ----               -------\n"
    "  Warning  FailedToCreateRayJobSubmitter  5s    rayjob-controller  Failed to create new "
    "Kubernetes Job default/rayjob-sample-submitter: jobs.batch \"rayjob-sample-submitter\" is "
    "forbidden: exceeded quota: team-quota\n",
])
def test_kuberay_failing_to_create_after_the_unsuspend_is_admitted_not_started(paste):
    assert _causes("explain_pending.py", paste)[0] == "admitted_not_started"


_ON_HOLD = """apiVersion: kueue.x-k8s.io/v1beta2
kind: Workload
metadata:
  name: rayjob-sample-3f2a1
  namespace: default
spec:
  queueName: user-queue
status:
  conditions:
  - type: QuotaReserved
    status: "False"
    reason: OnHold
    message: Job is on hold
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


def test_a_job_its_controller_holds_is_admitted_not_started():
    # jobframework/reconciler.go:464-478@v0.19.2: the quota of a job on hold (a RayJob KubeRay
    # marked ValidationFailed, rayjob_controller.go:218) is released with this condition
    assert _causes("explain_pending.py", _ON_HOLD)[0] == "admitted_not_started"
    assert _causes("explain_pending.py",
                   _ON_HOLD.replace("message: Job is on hold", "message: ''"))[0] \
        == "admitted_not_started"     # the reason alone


def test_a_persons_job_on_hold_is_not_kueues_condition():
    assert "admitted_not_started" not in _causes(
        "explain_pending.py", "The ClusterQueue has stopPolicy Hold, so the job is on hold.\n")


_POD_EVENTS = ("Events:\n"
               "  Type     Reason                   Age   From                   Message\n"
               "  ----     ------                   ----  ----                   -------\n")


@pytest.mark.parametrize("event,cause", [
    # raycluster_controller.go:1346@v1.6.2: pods are created only once the cluster is unsuspended
    ("  Warning  FailedToCreateHeadPod    5s    raycluster-controller  Failed to create head Pod "
     "default/rc-head-x2k9p, pods \"rc-head-x2k9p\" is forbidden: exceeded quota: team-quota",
     "admitted_not_started"),
    # :1370: the error is Kueue's pod webhook unreachable (failurePolicy Fail): Kueue's own fault
    ("  Warning  FailedToCreateWorkerPod  5s    raycluster-controller  Failed to create worker Pod "
     "for the cluster default/rc, Internal error occurred: failed calling webhook \"mpod.kb.io\": "
     "failed to call webhook: Post \"https://kueue-webhook-service.kueue-system.svc:443/"
     "mutate--v1-pod?timeout=10s\": no endpoints available for service \"kueue-webhook-service\"",
     "kueue_controller_down"),
])
def test_kuberay_failing_to_create_pods_after_the_unsuspend(event, cause):
    assert _causes("explain_pending.py", _POD_EVENTS + event + "\n")[0] == cause


@pytest.mark.parametrize("message", [
    # pkg/podset/podset.go:246 + pkg/util/maps/maps.go:46, wrapped at reconciler.go:1770@v0.19.2
    'in admission check "prov": invalid admission check PodSetUpdate: conflict for nodeSelector: '
    'conflict for key=cloud.google.com/gke-nodepool, value1=pool-a, value2=pool-b',
    "invalid podset infos: expecting 2 podset, got 1",       # podset.go:242
])
def test_a_workload_kueue_finished_because_the_start_failed_for_good(message):
    # jobframework/reconciler.go:628-636@v0.19.2: IsPermanent -> Finished=True FailedToStart;
    # the job never ran, so the finished Workload is still the answer
    wl = (_ON_HOLD.replace("type: QuotaReserved", "type: Finished")
          .replace('status: "False"', 'status: "True"')
          .replace("reason: OnHold", "reason: FailedToStart")
          .replace("message: Job is on hold", "message: '" + message + "'"))
    assert _causes("explain_pending.py", wl)[0] == "admitted_not_started"
