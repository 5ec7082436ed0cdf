"""Held-out rounds 25 and 26 (pods, nodes, GPUs): the 1.6-1.8 scheduler's overlapping
predicate counts with a selector and a taint, the capitalised `Exceeded quota` of 1.2-1.4,
the dockertools-era SetupNetworkError, a report that says a volume does not mount, and the
NVIDIA runtime hook's requirement check. Ground truth: the threads and upstream sources named
in each test (each paste is the user's own, from the thread)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script


# kubernetes/kops#2677: route53-mapper selects kubernetes.io/role=master, the master is tainted
# NoSchedule; the answer was the toleration
KOPS = ("No nodes are available that match all of the following predicates:: "
        "MatchNodeSelector (2), PodToleratesNodeTaints (1).")


def test_overlapping_counts_of_a_selector_miss_and_a_taint_point_at_the_taint():
    assert _causes("triage.py", KOPS)[0] == "unschedulable_taint"


def test_a_selector_that_misses_every_node_is_still_the_selector():
    # v1.9 predicate names: each node lists all its failures; 3 of 3 miss the selector, so the
    # tainted node is one of them (kubernetes v1.9.0 core/generic_scheduler.go)
    text = ("Warning  FailedScheduling  default-scheduler  0/3 nodes are available: "
            "3 MatchNodeSelector, 1 PodToleratesNodeTaints.")
    assert _causes("triage.py", text)[0] == "unschedulable_affinity"


# openshift/origin#10407 (OpenShift 1.3 / Kubernetes 1.3): the console's event text
ORIGIN_QUOTA = """rc/test-1
Error creating: pods "test-1-" is forbidden: Exceeded quota: compute-resources, requested: limits.cpu=384m,limits.memory=512Mi, used: limits.cpu=384m,limits.memory=512Mi, limited: limits.cpu=384m,limits.memory=512Mi
a few seconds ago
21384 times in the last
"""


def test_the_capitalised_exceeded_quota_of_old_releases_is_a_quota_refusal():
    assert _causes("triage.py", ORIGIN_QUOTA)[0] == "quota_exceeded"


# coreos/coreos-kubernetes#874 (Kubernetes 1.5, dockertools): no CNI binaries in /opt/cni/bin
COREOS_CNI = (
    "Events:\n"
    "  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\tType\t\tReason\t\tMessage\n"
    "  ---------\t--------\t-----\t----\t\t\t-------------\t--------\t------\t\t-------\n"
    "  6m\t\t3m\t\t117\tkubelet, x.x.x.x\t\t\tWarning\t\tFailedSync\tError syncing pod, "
    "skipping: failed to \"SetupNetwork\" for \"mypodXXXX\" with SetupNetworkError: \"Failed to "
    "setup network for pod \\\"mypodXXXX\\\" using network plugins \\\"cni\\\": failed to find "
    "plugin \\\"loopback\\\" in path [/opt/loopback/bin /opt/cni/bin]; Skipping pod\"\n")


def test_the_dockertools_setup_network_error_is_a_sandbox_failure():
    res = run_script("triage.py", "-f", "-", "--json", stdin=COREOS_CNI)
    top = res.doc["findings"][0]
    assert top["cause"] == "sandbox_failed", top
    assert "/opt/cni/bin" in top["fix"], top


# kubernetes/kubernetes#30987 (1.3.4): the containerized kubelet had no mount.nfs
NFS_PROSE = ("We use k8s (version 1.3.4) in portable multi-node cluster. We have an issue "
             "regarding NFS  configuration. We cannot mount NFS shares in Pods via PV and PVC.")


def test_a_report_that_a_volume_does_not_mount_is_a_mount_failure():
    res = run_script("triage.py", "-f", "-", "--json", stdin=NFS_PROSE)
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"], top["severity"]) == ("mount_failed", "inferred",
                                                             "warning"), top


@pytest.mark.parametrize("text", [
    "The NFS volume mounts fine and the pod is Running, but the app cannot write to it.",
    "We cannot mount the dashboard behind the ingress, the pod crashes on start.",
])
def test_a_volume_that_mounts_or_a_mount_without_a_volume_is_not_a_mount_failure(text):
    assert "mount_failed" not in _causes("triage.py", text)


# NVIDIA/deepops#206: nvidia/cuda:latest on a node whose toolkit could not read the image's
# requirement expression; the reporter pinned the image to the node's CUDA
DEEPOPS = (
    "pod default/gpu-test terminated (ContainerCannotRun)\n"
    "OCI runtime create failed: container_linux.go:348: starting container process caused "
    "\"process_linux.go:402: container init caused \\\"process_linux.go:385: running prestart "
    "hook 0 caused \\\\\\\"error running hook: exit status 1, stdout: , stderr: exec command: "
    "[/usr/bin/nvidia-container-cli --load-kmods configure --ldconfig=@/sbin/ldconfig.real "
    "--device=GPU-0f04e528 --compute --utility --require=cuda>=10.1 brand=tesla,driver>=384,"
    "driver<385 --pid=11889 /var/lib/docker/overlay2/715ad/merged]\\\\\\\\nnvidia-container-cli: "
    "requirement error: invalid expression\\\\\\\\n\\\\\\\"\\\"\": unknown\n")


@pytest.mark.parametrize("text", [
    DEEPOPS,
    # the same hook when the node's driver is older than the image's CUDA (the wording in
    # libnvidia-container's requirement check, quoted in many public reports)
    "Error: failed to create containerd task: failed to create shim task: OCI runtime create "
    "failed: runc create failed: unable to start container process: error during container "
    "init: error running hook #0: error running hook: exit status 1, stdout: , stderr: "
    "Auto-detected mode as 'legacy'\nnvidia-container-cli: requirement error: unsatisfied "
    "condition: cuda>=12.6, please update your driver to a newer version, or use an earlier "
    "cuda container: unknown",
])
def test_the_runtime_hooks_requirement_error_is_a_driver_mismatch(text):
    assert _causes("explain_gpu_failure.py", text)[0] == "gpu_driver_mismatch"


@pytest.mark.parametrize("text, cause", [
    # the kubelet's node-pressure eviction (concepts/scheduling-eviction/node-pressure-eviction)
    ("After the upgrade all pods on node-3 were evicted because of disk pressure.", "evicted"),
    ("The node shows DiskPressure and pods are being evicted.", "evicted"),
    # ErrImagePull / ImagePullBackOff (concepts/containers/images.md)
    ("The pod cannot pull the image: unauthorized: authentication required.", "image_pull"),
    ("kubelet reports the node NotReady since this morning.", "node_not_ready"),
    ("The container exits with code 1 immediately after start.", "crash_loop"),
])
def test_a_state_said_in_words_is_read_as_such(text, cause):
    res = run_script("triage.py", "-f", "-", "--json", stdin=text + "\n")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == (cause, "inferred"), top


@pytest.mark.parametrize("text", [
    "The job completed and the container exited with code 0.",
    "We evicted the pod manually with kubectl drain before the upgrade and it came back fine.",
    "I can pull the image locally with docker pull, it works.",
])
def test_words_that_state_no_fault_are_not_read_as_one(text):
    causes = _causes("triage.py", text + "\n")
    assert not set(causes) & {"evicted", "image_pull", "crash_loop"}, causes
