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
