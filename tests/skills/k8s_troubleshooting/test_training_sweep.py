"""check_training.py on the MPI Operator v2's failure wordings (kubeflow.org/v2beta1 MPIJob),
which the catalogue test does not cover (it runs triage.py). Expected causes follow from the
pinned source, github.com/kubeflow/mpi-operator v0.8.2 pkg/controller/mpi_job_controller.go:
- updateMPIJobFailedStatus l.1202-1231: the MPIJob's Failed condition and a Warning event copy
  the launcher Job's Failed reason and message; reason BackoffLimitExceeded becomes
  `BackoffLimitExceeded/<last failed launcher pod's status.reason>` and the message gets
  `: <its status.message>`; the launcher Job's backoffLimit and activeDeadlineSeconds are
  runPolicy's (newLauncherJob l.1568-1569), and the Job controller's messages are k8s
  pkg/controller/job/job_controller.go@v1.37.2's;
- l.1160-1163: reason MPIJobEvicted, `%d/%d workers are evicted`, Failed=True and an event;
- l.609-610: a spec failing validation gets only a Warning event ValidationError,
  `Found validation errors: %v`, and is not requeued.
"""
from __future__ import annotations

import pytest

from .conftest import paste_causes, run_script

MPIJOB = """apiVersion: kubeflow.org/v2beta1
kind: MPIJob
metadata:
  name: pi
  namespace: ml
  uid: 0b0e9f7e-2f3c-4a8e-9c41-5d6a7b8c9d0e
spec:
  runPolicy:
    backoffLimit: 3
  mpiReplicaSpecs:
    Launcher:
      replicas: 1
    Worker:
      replicas: 2
status:
  conditions:
  - type: Created
    status: "True"
    reason: MPIJobCreated
    message: MPIJob ml/pi is created.
  - type: Failed
    status: "True"
    reason: {reason}
    message: '{message}'
"""

DESCRIBE = """$ kubectl describe mpijob pi -n ml
Name:         pi
Namespace:    ml
API Version:  kubeflow.org/v2beta1
Kind:         MPIJob
Spec:
  Run Policy:
    Backoff Limit:  3
Events:
  Type     Reason            Age   From                Message
  ----     ------            ----  ----                -------
  Normal   MPIJobCreated     5m    mpi-job-controller  MPIJob ml/pi is created.
  Warning  {reason}  10s   mpi-job-controller  {message}
"""

WORDINGS = [
    ("BackoffLimitExceeded/Error", "Job has reached the specified backoff limit: ",
     "training_restarts_exhausted"),
    ("BackoffLimitExceeded/OOMKilled", "Job has reached the specified backoff limit: OOMKilled",
     "training_restarts_exhausted"),
    ("BackoffLimitExceeded", "Job has reached the specified backoff limit",
     "training_restarts_exhausted"),
    ("DeadlineExceeded", "Job was active longer than specified deadline",
     "training_deadline_exceeded"),
    ("MPIJobEvicted", "1/2 workers are evicted", "evicted"),
]


@pytest.mark.parametrize("reason,message,cause", WORDINGS)
def test_mpijob_v2_failed_condition(reason, message, cause):
    causes = paste_causes("check_training.py", MPIJOB.format(reason=reason, message=message))
    assert causes and causes[-1] == cause, causes


@pytest.mark.parametrize("reason,message,cause", WORDINGS + [
    ("ValidationError", "Found validation errors: spec.mpiReplicaSpecs[Launcher].replicas: "
     "Invalid value: 2: must be 1", "training_invalid"),
])
def test_mpijob_v2_failure_event_without_status(reason, message, cause):
    causes = paste_causes("check_training.py", DESCRIBE.format(reason=reason, message=message))
    assert causes and causes[-1] == cause, causes


def test_v1_mpijob_failed_event_still_read_by_kind_reason():
    # training-operator v1.9.3 common/job.go l.210/243: reason MPIJobFailed (NewReason)
    text = DESCRIBE.format(reason="MPIJobFailed", message="Job pi has failed because it has "
                           "reached the specified backoff limit").replace(
        "kubeflow.org/v2beta1", "kubeflow.org/v1")
    assert paste_causes("check_training.py", text)[-1] == "training_restarts_exhausted"


# l.681 / l.1028: a refused launcher Job or worker pod is a Warning event of reason
# MPIJobFailed, `launcher|worker pod created failed: %v`, with no condition set: the apiserver's
# refusal, not the job's failure.
@pytest.mark.parametrize("message,cause", [
    ('worker pod created failed: Pod "pi-worker-0" is invalid: spec.containers[0].volumeMounts'
     '[1].mountPath: Invalid value: "/dev/shm": must be unique', "training_invalid"),
    ('launcher pod created failed: admission webhook "validate.kyverno.svc-fail" denied the '
     'request: policy require-labels', "admission_webhook_denied"),
])
def test_mpijob_v2_child_refused(message, cause):
    causes = paste_causes("check_training.py", DESCRIBE.format(reason="MPIJobFailed",
                                                               message=message))
    assert causes and causes[-1] == cause, causes


# Trainer v2.2.1 pkg/controller/trainjob_controller.go l.129-133: a Warning event
# TrainJobResourcesCreationFailed, `TrainJob resources reconciliation failed: %.950v`; with
# JobSet not installed the error is apimachinery v0.37.2 pkg/api/meta/errors.go l.116
# NoKindMatchError, `no matches for kind %q in version %q`: the fix names the missing API.
TRAINJOB = """$ kubectl describe trainjob llm -n ml
Name:         llm
Namespace:    ml
API Version:  trainer.kubeflow.org/v1alpha1
Kind:         TrainJob
Spec:
  Runtime Ref:
    Name:  torch-distributed
Events:
  Type     Reason                           Age               From                 Message
  ----     ------                           ----              ----                 -------
  Warning  TrainJobResourcesCreationFailed  10s (x5 over 2m)  trainjob-controller  {message}
"""


def test_trainjob_child_kind_not_served():
    res = run_script("check_training.py", "-f", "-", "--json", stdin=TRAINJOB.format(
        message='TrainJob resources reconciliation failed: no matches for kind "JobSet" in '
                'version "jobset.x-k8s.io/v1alpha2"'))
    top = res.doc["findings"][-1]
    assert top["cause"] == "training_invalid"
    assert "no API for their kind JobSet" in top["message"] and "install JobSet" in top["fix"]
