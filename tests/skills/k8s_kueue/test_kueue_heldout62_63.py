"""Held-out rounds 62-63 (Kueue). Ground truth, per rule:

- Kueue's first API called the Workload a QueuedWorkload (kueue.x-k8s.io/v1alpha1,
  api/v1alpha1/queuedworkload_types.go:162 at b6b66028), and its scheduler's only word for a
  head it could not admit was `workload didn't fit` (pkg/scheduler/scheduler.go:128 there;
  docs/tasks/run_jobs.md at that commit: the ClusterQueue "doesn't have enough quota to run
  the workload right now", admitted later when it has).
- The API server failing to CALL one of Kueue's own kinds' webhooks (`failed calling webhook
  %q: failed to call webhook: %w`, k8s.io/apiserver pkg/util/webhook/error.go:36 and
  validating/dispatcher.go:311@v0.37.2; names from Kueue's config/components/webhook/
  manifests.yaml v0.6.3/v0.19.2), and Kueue's main logging `Could not run manager` before
  os.Exit(1) (cmd/kueue/main.go:190@v0.6.3, :449@v0.19.2): kubernetes-sigs/kueue#1700, the
  manager restarted on missing webhook serving certs.
- A ClusterQueue in no cohort with Workloads pending while admitted ones reserve part of its
  quota: a Workload is admitted only when all its pods fit in what is left
  (flavorassigner.go fitsResourceQuota); ray-project/ray doc k8s-ecosystem/kueue.md (2 CPUs
  per RayJob, 3 in the queue: the second waits until the first finishes).
- Pods of one job partly Running, the rest Pending and ungated: Kueue admitted it (it creates
  no pods before, and gates plain pods with kueue.x-k8s.io/admission); the scheduler cannot
  place the rest (Kueue site docs tasks/manage/setup_sequential_admission.md at 01ecae63,
  "Induce a deadlock under the default configuration")."""
from __future__ import annotations

import sys

import pytest

from .test_kueue_heldout46 import SCRIPTS, _causes

sys.path.insert(0, str(SCRIPTS))
from _kueue.messages import first_cause  # noqa: E402

# --- v0.1 QueuedWorkload "workload didn't fit" -------------------------------------------

V01_DESCRIBE = """kubectl -n default describe workload sample-job-sl4bm

Name:         sample-job-jtz5f
Namespace:    default
Labels:       <none>
Annotations:  <none>
API Version:  kueue.x-k8s.io/v1alpha1
Kind:         QueuedWorkload
Metadata:
  ...
Spec:
  ...
Status:
  Conditions:
    Last Probe Time:       2022-03-28T19:43:03Z
    Last Transition Time:  2022-03-28T19:43:03Z
    Message:               workload didn't fit
    Reason:                Pending
    Status:                False
    Type:                  Admitted
Events:               <none>
"""

V01_YAML = """apiVersion: kueue.x-k8s.io/v1alpha1
kind: QueuedWorkload
metadata:
  name: train-7xk2q
  namespace: research
spec:
  queueName: main
  podSets:
  - name: main
    count: 4
    spec:
      containers:
      - name: c
        resources:
          requests:
            cpu: "2"
status:
  conditions:
  - lastTransitionTime: "2022-03-20T10:00:00Z"
    message: workload didn't fit
    reason: Pending
    status: "False"
    type: {ctype}
"""


def test_a_v01_queued_workload_describe_that_did_not_fit():
    assert _causes("explain_pending.py", V01_DESCRIBE)[0] == "quota_exhausted"


def test_a_v01_queued_workload_yaml_that_did_not_fit():
    assert _causes("explain_pending.py", V01_YAML.format(ctype="Admitted"))[0] == \
        "quota_exhausted"


@pytest.mark.parametrize("message", [
    "workload didn't fit",                          # pre-v0.1.0 scheduler.go:128
    "Workload didn't fit in the remaining quota",   # v0.1.0 scheduler.go:182
])
def test_the_first_schedulers_quota_words(message):
    assert first_cause(message, "Pending") == "quota_exhausted"


@pytest.mark.parametrize("message", [
    "the workload didn't fit on node gpu-1 after restart",
    "0/3 nodes are available: pod didn't fit",
])
def test_didnt_fit_inside_other_words_is_not_the_v01_message(message):
    assert first_cause(message) != "quota_exhausted"


# --- Kueue's webhook not callable, its manager exiting -------------------------------------

E2E = """[FAILED] Expected success, but got an error:
    <*errors.StatusError | 0xc0001406e0>:
    Internal error occurred: failed calling webhook "vadmissioncheck.kb.io": failed to call webhook: the server could not find the requested resource

Name:             kueue-controller-manager-57858fc6bb-xvbgg
Namespace:        kueue-system
Status:           Running
Containers:
  manager:
    Image:         gcr.io/k8s-staging-kueue/kueue:v0.6.0-rc.1-37-gdba0454
    State:          Running
      Started:      Wed, 07 Feb 2024 15:10:37 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Wed, 07 Feb 2024 15:08:36 +0000
      Finished:     Wed, 07 Feb 2024 15:10:36 +0000

2024-02-07T15:10:36.33514391Z	ERROR	setup	kueue/main.go:189	Could not run manager	{"error": "open /tmp/k8s-webhook-server/serving-certs/tls.crt: no such file or directory"}
"""


def test_the_e2e_webhook_error_and_manager_exit():
    assert _causes("explain_pending.py", E2E)[0] == "kueue_controller_down"


@pytest.mark.parametrize("line", [
    'Error from server (InternalError): error when creating "cq.yaml": Internal error occurred: '
    'failed calling webhook "vclusterqueue.kb.io": failed to call webhook: the server could '
    'not find the requested resource',
    'Error from server (InternalError): Internal error occurred: failed calling webhook '
    '"mworkload.kb.io": failed to call webhook: the server is currently unable to handle the '
    'request',
])
def test_another_kueue_kind_webhook_not_callable(line):
    assert _causes("explain_pending.py", line + "\n")[0] == "kueue_controller_down"


def test_kueue_main_exit_log_alone():
    log = ('2025-11-02T08:01:12.004Z\tERROR\tsetup\tkueue/main.go:449\tCould not run manager\t'
           '{"error": "failed to wait for caches to sync: timed out waiting for cache to be '
           'synced"}\n')
    assert _causes("explain_pending.py", log)[0] == "kueue_controller_down"


def test_another_operators_manager_exit_is_not_kueues():
    log = ('2025-11-02T08:01:12.004Z\tERROR\tsetup\tcmd/main.go:212\tCould not run manager\t'
           '{"error": "listen tcp :8080: bind: address already in use"}\n'
           "my-operator is failing; my Kueue job is still pending\n")
    assert "kueue_controller_down" not in _causes("explain_pending.py", log)


@pytest.mark.parametrize("line", [
    # JobSet's own webhook (also a job-kind name Kueue registers): no service to tell whose
    'Internal error occurred: failed calling webhook "vjobset.kb.io": failed to call webhook: '
    'the server could not find the requested resource',
    # Kueue's webhook answered: a denial is not a failure to call it
    'Error from server (Forbidden): error when creating "cq.yaml": admission webhook '
    '"vclusterqueue.kb.io" denied the request: spec.cohort: Invalid value: "A": must be lower',
])
def test_a_webhook_that_is_not_kueues_or_that_answered(line):
    assert "kueue_controller_down" not in _causes("explain_pending.py", line + "\n")


# --- a ClusterQueue partly reserved with Workloads pending ------------------------------

RAY = """apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: "cluster-queue"
spec:
  namespaceSelector: {}
  resourceGroups:
  - coveredResources: ["cpu", "memory"]
    flavors:
    - name: "default-flavor"
      resources:
      - name: "cpu"
        nominalQuota: 3
      - name: "memory"
        nominalQuota: 6G

$ kubectl get clusterqueues.kueue.x-k8s.io
NAME            COHORT   PENDING WORKLOADS
cluster-queue            1

$ kubectl get clusterqueues.kueue.x-k8s.io cluster-queue -o yaml
Status:
  Admitted Workloads:  1 # Workloads admitted by queue.
  Conditions:
    Last Transition Time:  2024-02-28T22:41:28Z
    Message:               Can admit new workloads
    Reason:                Ready
    Status:                True
    Type:                  Active
  Flavors Reservation:
    Name:  default-flavor
    Resources:
      Borrowed:  0
      Name:      cpu
      Total:     2
      Borrowed:  0
      Name:      memory
      Total:     4Gi
  Pending Workloads:    1
  Reserving Workloads:  1
"""

V04_CQ = """apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: team-a
spec:
  {cohort}namespaceSelector: {{}}
  resourceGroups:
  - coveredResources: ["nvidia.com/gpu"]
    flavors:
    - name: a100
      resources:
      - name: nvidia.com/gpu
        nominalQuota: 8
status:
  admittedWorkloads: {admitted}
  pendingWorkloads: 2
  conditions:
  - type: Active
    status: "{active}"
    reason: Ready
    message: Can admit new workloads
  flavorsUsage:
  - name: a100
    resources:
    - name: nvidia.com/gpu
      total: "{used}"
      borrowed: "0"
"""


def _cq(cohort="", admitted=1, active="True", used=6):
    return V04_CQ.format(cohort=cohort, admitted=admitted, active=active, used=used)


def test_the_ray_guides_queue_two_of_three_cpus_reserved():
    assert _causes("explain_pending.py", RAY)[0] == "quota_exhausted"


def test_a_v04_queue_yaml_partly_used_with_pending_workloads():
    assert _causes("explain_pending.py", _cq())[0] == "quota_exhausted"


@pytest.mark.parametrize("kwargs", [
    {"admitted": 0, "used": 0},            # nothing holds the quota
    {"cohort": "cohort: pool\n  "},       # may borrow: the cohort decides
    {"active": "False"},                   # an inactive queue is another cause
])
def test_no_quota_wait_when_nothing_holds_it_or_the_queue_can_borrow(kwargs):
    assert "quota_exhausted" not in _causes("explain_pending.py", _cq(**kwargs))


# --- one job's pods partly running, the rest Pending ---------------------------------------

GANG = """kubectl get pods

NAME            READY   STATUS      RESTARTS   AGE
job1-0-9pvs8    1/1     Running     0          28m
job1-1-w9zht    1/1     Running     0          28m
job1-15-kkv4j   0/1     Pending     0          28m
job1-16-frs8k   0/1     Pending     0          28m
job2-0-x6xvg    1/1     Running     0          28m
job2-11-ktbld   0/1     Pending     0          28m
"""

POD_OBJECTS = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: trainer-worker-5sq2x
    namespace: ml
    ownerReferences: [{apiVersion: batch/v1, kind: Job, name: trainer, uid: u1}]
  status:
    phase: Running
- apiVersion: v1
  kind: Pod
  metadata:
    name: trainer-worker-8hb4l
    namespace: ml
    ownerReferences: [{apiVersion: batch/v1, kind: Job, name: trainer, uid: u1}]
  spec: {schedulingGates: %s}
  status:
    phase: Pending
    conditions:
    - type: PodScheduled
      status: "False"
      reason: %s
      message: "0/4 nodes are available: 4 Insufficient nvidia.com/gpu."
"""


def test_the_deadlocked_indexed_jobs_table():
    assert _causes("explain_pending.py", GANG)[0] == "admitted_not_started"


def test_pod_objects_of_one_job_partly_scheduled():
    assert _causes("explain_pending.py", POD_OBJECTS % ("[]", "Unschedulable"))[0] == \
        "admitted_not_started"


def test_a_pod_behind_a_scheduling_gate_was_not_released():
    gated = POD_OBJECTS % ("[{name: kueue.x-k8s.io/admission}]", "SchedulingGated")
    assert "admitted_not_started" not in _causes("explain_pending.py", gated)


@pytest.mark.parametrize("status", ["SchedulingGated", "Running"])
def test_gated_or_all_running_pods_are_no_partial_start(status):
    table = GANG.replace("Pending  ", f"{status}".ljust(9))
    assert "admitted_not_started" not in _causes("explain_pending.py", table)
