"""States a report gives only in words (or in a tool's words that are not a Kubernetes object):
a node gone NotReady, a SIGKILL (exit 137), a pod stuck in ContainerCreating beside a volume,
a rollout that does not finish, a container that keeps restarting. Each is an inferred finding
with the command that confirms it, never a reported one. Ground truth: the sentences come from
the threads named at each case; the states they map to from Kubernetes (sources in
skills/k8s-troubleshooting/scripts/_tshoot/prose.py) and kubectl v0.37.2
pkg/polymorphichelpers/rollout_status.go for kubectl's own rollout wording."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _findings(text: str) -> list[dict]:
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


@pytest.mark.parametrize("text, cause", [
    # Consensys-Incorporated/quorum-kubernetes#240 (the report's sentence without its events):
    # the ConfigMaps the volumes name did not exist
    ("The Kubernetes pod besu-node-validator-1-0 is stuck in the ContainerCreating state "
     "because it is unable to find the required ConfigMaps besu-peers and besu-genesis.",
     "mount_failed"),
    # OpenShiftDemos/gogs-openshift-docker#3, as typed: a configMap volume naming a ConfigMap
    # that did not exist
    ('After adding the configmap via a volume the pod stays in a "ContianerCreating" state',
     "mount_failed"),
    # kubeflow/mpi-operator#90: an MPI rank SIGKILLed by the memory cgroup's OOM killer
    ("mpirun.real noticed that process rank 1 with PID 39 on node mpi-test-2-mpijob-worker-1 "
     "exited on signal 9 (Killed).", "oom_killed"),
    # Kubernetes docs, "Assign Memory Resources to Containers and Pods": OOMKilled, exit 137
    ("The container exits with code 137 a few seconds after start.", "oom_killed"),
    # radondb/radondb-mysql-kubernetes#171 (the sentence alone)
    ("The xenon container keeps restarting, and the pod cannot be started.", "crash_loop"),
    # kubectl's own words while a rollout does not finish (rollout_status.go, every release)
    ('$ kubectl rollout status deploy/web\nWaiting for deployment "web" rollout to finish: 1 '
     'old replicas are pending termination...\nerror: deployment "web" exceeded its progress '
     'deadline', "rollout_stuck"),
    ('Waiting for daemon set "nvidia-device-plugin" rollout to finish: 2 of 3 updated pods are '
     'available...', "rollout_stuck"),
    # the node controller's Unknown for a node whose kubelet stopped posting status
    ("All pods on worker-2 show status Unknown since the node lost its network.",
     "node_not_ready"),
    ("Yesterday the node went NotReady and the pods on it never came back.", "node_not_ready"),
])
def test_a_state_given_in_words_is_an_inferred_finding(text, cause):
    found = _findings(text + "\n")
    assert found[0]["cause"] == cause, found
    assert found[0]["basis"] == "inferred" and found[0]["confirm"], found[0]


@pytest.mark.parametrize("text", [
    # a liveness probe's kill and a deletion are SIGKILLs too: not read as memory
    "The container was killed with SIGKILL after the liveness probe failed three times.",
    "The pod is stuck in ContainerCreating and the image is 20 GB.",
    # a rollout that finished is not stuck
    'deployment "web" successfully rolled out',
])
def test_a_sentence_that_does_not_state_the_fault_gets_no_such_finding(text):
    causes = [f["cause"] for f in _findings(text + "\n")]
    assert not {"oom_killed", "mount_failed", "rollout_stuck"} & set(causes), causes


# More states said plainly, each read as what the component writes for it: NodeResourcesFit's
# "Insufficient R", NodeAffinity's "didn't match Pod's node affinity/selector", a cordoned
# node (spec.unschedulable, SchedulingDisabled), the kubelet's CreateContainerConfigError
# ("configmap \"x\" not found"; "container has runAsNonRoot and image will run as root",
# pkg/kubelet/kuberuntime/security_context_others.go), the Job controller's
# BackoffLimitExceeded / DeadlineExceeded (pkg/controller/job/job_controller.go).
@pytest.mark.parametrize("text, cause", [
    ("The pod is stuck in Pending because no node has enough free GPUs.",
     "unschedulable_insufficient"),
    ("The pod stays Pending because its nodeSelector doesn't match any node's labels.",
     "unschedulable_affinity"),
    ("The node is cordoned, so the pods can't be scheduled there.", "unschedulable_cordoned"),
    ("The container can't start because the ConfigMap it mounts does not exist.",
     "config_missing"),
    ("The job failed because it reached its backoffLimit.", "job_failed"),
    ("The job was killed after it exceeded its activeDeadlineSeconds.", "deadline_exceeded"),
    ("The pod runs as root but the namespace enforces runAsNonRoot, so the container fails to "
     "start.", "run_as_non_root"),
])
def test_more_states_given_in_words(text, cause):
    found = _findings(text + "\n")
    assert (found[0]["cause"], found[0]["basis"]) == (cause, "inferred"), found


def test_a_missing_configmap_beside_container_creating_is_the_mount():
    # the volume waits: the pod never leaves ContainerCreating (quorum-kubernetes#240's shape)
    found = _findings("The pod is stuck in ContainerCreating because the ConfigMap besu-peers "
                      "does not exist.\n")
    assert found[0]["cause"] == "mount_failed", found


# `kubectl get pods` prints a Pending pod's phase and nothing of why (the scheduler's reason is
# in its events and PodScheduled condition): the answer names the pod and the command.
ROWS_ONLY = """$ kubectl get pods -n ml
NAME                 READY   STATUS    RESTARTS   AGE
trainer-0            0/1     Pending   0          10m
$ kubectl get nodes
NAME       STATUS   ROLES           AGE   VERSION
gpu-1      Ready    <none>          5d    v1.29.3
cpu-1      Ready    control-plane   5d    v1.29.3
"""


def test_pending_table_rows_are_not_evaluated_with_the_pod_named():
    found = _findings(ROWS_ONLY)
    assert [(f["severity"], f["cause"]) for f in found] == [("info", "not_evaluated")], found
    assert found[0]["confirm"] == "kubectl describe pod trainer-0 -n ml", found


# A crash loop whose pasted log shows a SIGKILL: the kill is the crash's reason (the memory
# cgroup's OOM killer; kubeflow/mpi-operator#90, as pasted: the launcher crash-loops because an
# MPI rank on a worker was killed). Not when a liveness probe is in the paste: the kubelet's
# probe kill is a SIGKILL too.
MPI_90 = """Launcher keeps crashing:
```
mpi-test-2-mpijob-launcher-lv2fx   1/1   CrashLoopBackOff   2   1m
mpi-test-2-mpijob-worker-1         1/1   Running            0   1m
```
```
mpirun.real noticed that process rank 1 with PID 39 on node mpi-test-2-mpijob-worker-1 exited on signal 9 (Killed).
```
"""


def test_a_sigkill_behind_a_crash_loop_is_named_first():
    found = _findings(MPI_90)
    assert [f["cause"] for f in found][:2] == ["oom_killed", "crash_loop"], found
    assert found[0]["basis"] == "inferred"


def test_a_sigkill_beside_a_liveness_probe_is_not_called_oom():
    found = _findings(MPI_90 + "Warning  Unhealthy  kubelet  Liveness probe failed: HTTP probe "
                      "failed with statuscode: 500\n")
    assert "oom_killed" not in [f["cause"] for f in found][:1], found
