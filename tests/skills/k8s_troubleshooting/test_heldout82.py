"""Held-out round 82 (pods-nodes): a CUDA "insufficient driver" that no driver version cures, an
NVIDIA driver that does not build, ctr --gpus working while the pod gets no driver, and a pod
row whose STATUS is a reason the scheduler never writes. Expected values come from the
upstream source or the public thread named at each test, never from the scripts:

- elastisys/compliantkubernetes-apps#2470 / PR #2473: cudaErrorInsufficientDriver on every
  driver tried; the toolkit ignored the unprivileged pod's NVIDIA_VISIBLE_DEVICES (hook log
  "Ignoring devices specified in NVIDIA_VISIBLE_DEVICES (privileged=%v, %v=%v)",
  NVIDIA/nvidia-container-toolkit cmd/nvidia-container-runtime-hook/container_config.go
  @v1.17.0:179), so no libcuda was injected.
- mesosphere/konvoy-image-builder#1200: nvidia-installer's "An error occurred while performing
  the step: \"Checking to see whether the nvidia kernel module was successfully built\""
  (NVIDIA/nvidia-installer kernel.c@590.48.01:2464, :642) and modpost's GPL-only symbol.
- NVIDIA/nvidia-container-runtime#147: ctr --gpus adds the hook itself (containerd v2.1.4
  cmd/ctr/commands/run/run_unix.go:335, contrib/nvidia/nvidia.go:90); the CRI used runc.
- kubernetes/kubernetes#61256: STATUS prints status.reason (v1.37.2 printers.go printPod); the
  scheduler writes Unschedulable only into the PodScheduled condition (v1.10.0
  pkg/scheduler/scheduler.go:198); the kubelet's rejectPod sets reason (v1.37.2 kubelet.go:2640).
"""
from __future__ import annotations

from .conftest import paste_causes as _causes
from .conftest import paste_findings

GPU = "explain_gpu_failure.py"
VECTOR_ADD = ("[Vector addition of 50000 elements]\nFailed to allocate device vector A (error code "
              "CUDA driver version is insufficient for CUDA runtime version)!\n")


# ---- CUDA "insufficient" on every driver: no libcuda injected ----------------------------------

def test_insufficient_on_several_drivers_is_no_library_injected():
    # the held-out paste's lines (compliantkubernetes-apps#2470)
    text = (VECTOR_ADD + "\nKubernetes Version: v1.30.9\nAlso tried out several different GPU "
            "driver versions that worked fine when installed by the older operator version, all "
            "led to same error.\n")
    top = paste_findings(GPU, text)[0]
    assert top["cause"] == "gpu_libraries_not_visible"
    assert "ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED" in top["fix"]


def test_same_error_named_before_the_driver_versions():
    # the other order of the same statement
    text = (VECTOR_ADD + "We get the same error with every driver version we installed "
            "(535, 550 and 570).\n")
    assert _causes(GPU, text)[0] == "gpu_libraries_not_visible"


def test_the_hooks_own_line_ignoring_the_envvar():
    # the runtime hook's log (toolkit v1.17.0 container_config.go:179) beside the CUDA error
    text = (VECTOR_ADD + "2025/02/10 09:12:01 Ignoring devices specified in "
            "NVIDIA_VISIBLE_DEVICES (privileged=false, "
            "accept-nvidia-visible-devices-envvar-when-unprivileged=false)\n")
    assert _causes(GPU, text)[0] == "gpu_libraries_not_visible"


def test_one_driver_insufficient_stays_a_driver_too_old():
    # near miss: one driver upgraded and still fails is not "several drivers, same error"
    text = VECTOR_ADD + "We upgraded the GPU driver to 470 and tried again.\n"
    assert _causes(GPU, text)[0] == "gpu_driver_mismatch"


# ---- the NVIDIA driver does not build for the kernel ------------------------------------------

def test_installer_build_step_and_modpost_are_a_build_failure():
    # the held-out paste's lines (konvoy-image-builder#1200)
    text = ("-> Error.\nERROR: An error occurred while performing the step: \"Checking to see "
            "whether the nvidia kernel module was successfully built\". See "
            "/var/log/nvidia-installer.log for details.\nERROR: modpost: GPL-incompatible "
            "module nvidia.ko uses GPL-only symbol 'rcu_read_unlock_strict'\n")
    assert _causes(GPU, text)[0] == "gpu_driver_build_failed"


def test_installer_build_step_alone():
    # the other build step run_make names (kernel.c@590.48.01:1010), no modpost line
    text = ("ERROR: An error occurred while performing the step: \"Building kernel modules\". "
            "See /var/log/nvidia-installer.log for details.\n")
    assert _causes(GPU, text)[0] == "gpu_driver_build_failed"
    assert _causes("triage.py", text)[0] == "gpu_driver_build_failed"


def test_installer_load_step_is_not_a_build_failure():
    # near miss: the module built and the kernel refused to load it (kernel.c:1303)
    text = ("ERROR: Unable to load the kernel module 'nvidia.ko'.  This happens most frequently "
            "when this kernel module was built against the wrong or improperly configured "
            "kernel sources\n")
    assert _causes(GPU, text)[0] == "gpu_driver_mismatch"


# ---- ctr --gpus works, the pod gets no driver ------------------------------------------------

CTR = ("sudo containerd-ctr -a /var/run/docker/containerd/containerd.sock run --rm --gpus 0 "
       "docker.io/nvidia/cuda:11.0-base nvidia-smi nvidia-smi\n")


def test_ctr_gpus_works_while_the_pods_nvidia_smi_is_blank():
    # the held-out paste's lines (nvidia-container-runtime#147)
    text = ("If I switch to Containerd I can run this command fine.\n\n" + CTR + "\nHowever "
            "when using k8s+containerd it looks like /usr/bin/nvidia-smi is mapped through as a "
            "blank file inside the container.\n")
    top = paste_findings(GPU, text)[0]
    assert top["cause"] == "nvidia_runtime_not_default" and top["basis"] == "inferred"
    assert "default_runtime_name" in top["confirm"]


def test_ctr_gpus_flag_form_and_an_empty_file():
    text = ("$ ctr -n k8s.io run --rm --gpus=0 nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04 t "
            "nvidia-smi\n(prints the GPU table)\nIn the pod, nvidia-smi is an empty file "
            "(0 bytes).\n")
    assert _causes(GPU, text)[0] == "nvidia_runtime_not_default"


def test_nvidia_already_default_stays_silent():
    # near miss: the pasted config already makes nvidia the CRI's default
    text = (CTR + "In the k8s pod nvidia-smi is a blank file.\n"
            "[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
            "  default_runtime_name = \"nvidia\"\n")
    assert "nvidia_runtime_not_default" not in _causes(GPU, text)


# ---- a STATUS reason the scheduler never writes ----------------------------------------------

def test_unschedulable_status_row_is_a_kubelet_rejection():
    # the held-out paste's lines (kubernetes#61256)
    text = ("[root@master1 ~]# kubectl get po\n"
            "NAME                                  READY     STATUS          RESTARTS   AGE\n"
            "go-653831134-3q13m              0/1       Unschedulable   0          1d\n")
    top = paste_findings("triage.py", text)[0]
    assert top["cause"] == "kubelet_admission_rejected" and top["basis"] == "inferred"


def test_failed_pod_yaml_with_a_kubelet_predicate_reason():
    # the pod's status as YAML: phase Failed, reason from the kubelet's generalFilter
    # (v1.37.2 pkg/kubelet/lifecycle/predicate.go: tainttoleration.Name)
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n  namespace: shop\nspec:\n"
            "  nodeName: node-1\n  containers:\n  - name: web\n    image: nginx\nstatus:\n"
            "  phase: Failed\n  reason: TaintToleration\n")
    assert _causes("triage.py", text) == ["kubelet_admission_rejected"]


def test_pending_row_stays_not_evaluated():
    # near miss: a Pending row is the scheduler's (or nobody's) and says no more
    text = ("NAME          READY   STATUS    RESTARTS   AGE\n"
            "web-0         0/1     Pending   0          5m\n")
    assert "kubelet_admission_rejected" not in _causes("triage.py", text)
