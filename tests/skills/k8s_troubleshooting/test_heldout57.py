"""Held-out round 57 (pods, nodes, GPU). Ground truth per test: the public thread and the
upstream source named beside it."""
from __future__ import annotations

from .conftest import paste_findings

_run = paste_findings

# NVIDIA/gpu-operator#1374, kubernetes-sigs/kubespray#12167 (fixed by #12170): Kubespray's
# lowerCamelCase runc key in the nvidia handler's options beside the toolkit's BinaryName made
# the nvidia RuntimeClass run plain runc (containerd 2.x config layout)
CONFIG = """          [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.nvidia.options]
            BinaryName = '/usr/local/nvidia/toolkit/nvidia-container-runtime'
            IoGid = 0
            binaryName = '/usr/local/bin/runc'
            systemdCgroup = true

        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.nvidia-cdi]
          runtime_type = 'io.containerd.runc.v2'
"""


def test_an_nvidia_handler_that_also_names_runc_gets_no_driver_files():
    found = _run("explain_gpu_failure.py", CONFIG)
    assert found[0]["cause"] == "gpu_libraries_not_visible"
    assert found[0]["evidence"] == ["binaryName = '/usr/local/bin/runc'"]


def test_the_toolkits_own_handler_alone_is_fine():
    one = CONFIG.replace("            binaryName = '/usr/local/bin/runc'\n", "")
    assert "gpu_libraries_not_visible" not in [f["cause"] for f in _run("explain_gpu_failure.py",
                                                                         one)]


def test_the_containerd_1x_layout_is_read_too():
    old = CONFIG.replace("plugins.'io.containerd.cri.v1.runtime'",
                         'plugins."io.containerd.grpc.v1.cri"')
    assert _run("explain_gpu_failure.py", old)[0]["cause"] == "gpu_libraries_not_visible"


# NVIDIA/nvidia-container-runtime#138: the user retells NVML's "Unknown Error" in a pod that
# worked for days (klueska: redeploy the pods; the CPU manager policy rewrote the cgroup)
def test_nvml_unknown_retold_is_device_access_lost():
    said = ("A pod access gpu after few days since pod started, and nvidia-smi got error about "
            "'NVML initialize failed: Unknow'.\nRestart the pod every thing goes well.\n")
    assert _run("explain_gpu_failure.py", said)[0]["cause"] == "gpu_device_access_lost"


# the NVIDIA runtime hook's own binary missing (nvidia-container-toolkit
# cmd/nvidia-container-runtime-hook/main.go@v1.20.0:52) is the node's runtime, not the image
HOOK = ('Error: failed to create containerd task: failed to create shim task: OCI runtime create '
        'failed: runc create failed: unable to start container process: error during container '
        'init: error running hook #0: error running hook: exit status 1, stdout: , stderr: '
        'couldn\'t find binary nvidia-container-cli in PATH: exec: "nvidia-container-cli": '
        'executable file not found in $PATH: unknown\n')


def test_a_hooks_missing_binary_is_not_the_images_command():
    found = _run("triage.py", HOOK)
    assert found[0]["cause"] == "container_start_failed"


def test_the_images_own_command_missing_stays_a_crash():
    own = ('Error: failed to create containerd task: failed to create shim task: OCI runtime '
           'create failed: runc create failed: unable to start container process: exec: '
           '"/app/run": stat /app/run: no such file or directory: unknown\n')
    assert _run("triage.py", own)[0]["cause"] == "crash_loop"


# the kubelet's volume populator on a claim not yet bound (kubernetes v1.37.2
# pkg/kubelet/volumemanager/populator/desired_state_of_world_populator.go:550), inside its
# FailedMount event: the claim's fault (left by the storage sweep)
NOT_BOUND = ("Warning  FailedMount  2m  kubelet  Unable to attach or mount volumes: unmounted "
             "volumes=[data], unattached volumes=[data kube-api-access-x]: error processing PVC "
             "ns/data-claim: PVC is not bound\n")


def test_a_mount_event_on_a_claim_not_bound_is_the_claim():
    assert _run("triage.py", NOT_BOUND)[0]["cause"] == "pvc_pending"


def test_a_mount_event_with_another_error_stays_a_mount_failure():
    other = NOT_BOUND.replace("error processing PVC ns/data-claim: PVC is not bound",
                              "timed out waiting for the condition")
    assert _run("triage.py", other)[0]["cause"] == "mount_failed"
