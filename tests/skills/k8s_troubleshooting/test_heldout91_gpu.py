"""Held-out round 91 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- nvidia-smi exits with NVML's return code (man nvidia-smi, RETURN VALUE; nvmlReturn_t in
  NVIDIA/go-nvml gen/nvml/nvml.h@v0.13.3-0:1307-1313: 9 DRIVER_NOT_LOADED, 12
  LIBRARY_NOT_FOUND, 14 CORRUPTED_INFOROM, 15 GPU_IS_LOST). utkuozdemir/nvidia_gpu_exporter runs
  nvidia-smi and logs `command failed. stderr: %s err: %w` (internal/exporter/exporter.go@bfa82ba,
  Go's exec error "exit status N"), from v1.2.0 `command failed. code: %d | command: %s | ...`;
  its #146 (maintainer: exit 12, nvidia-smi cannot load libnvidia-ml) -> gpu_libraries_not_visible.
- The GPU Operator's driver image tag is driver.version + "-" + the GPU nodes' OS tag, NFD's
  os_release ID and VERSION_ID run together (NVIDIA/gpu-operator controllers/state_manager.go
  @v26.7.0 `osTag := fmt.Sprintf("%s%s", osName, osVersion)`, object_controls.go resolveDriverTag
  `image = fmt.Sprintf("%s-%s", image, n.gpuNodeOSTag)`); NVIDIA/gpu-operator#1623: the kubelet
  cannot pull that tag (NotFound) -> image_pull.
- NVIDIA/nccl#352: only NCCL's bootstrap INFO lines, the hang said in prose: nothing decides a
  cause, so the training checker stays silent with an info finding.
"""
from __future__ import annotations

from .conftest import loud, paste_findings

GPU = "explain_gpu_failure.py"

# ---- nvidia-smi's exit status ------------------------------------------------------------------

# utkuozdemir/nvidia_gpu_exporter#146 as pasted: the log line, then the chart values naming
# the command the exporter runs
EXPORTER_146 = """\
pod is running normally, but pod is reporting errors. error="command failed. stderr: err: exit status 12"

image:
  repository: docker.io/utkuozdemir/nvidia_gpu_exporter
  pullPolicy: IfNotPresent

securityContext:
  privileged: true

nvidiaSmiCommand: nvidia-smi

telemetryPath: /metrics
"""

# the exporter v1.2.0+ wording (internal/exporter/exporter.go@v1.2.0:244): the line names
# nvidia-smi itself
EXPORTER_V12 = ('ts=2024-05-02T10:00:00Z level=error msg="failed to collect metrics" '
                'err="command failed: command failed. code: 12 | command: nvidia-smi '
                '--query-gpu=timestamp,name --format=csv | stdout:  | stderr: "\n')

# a GPU-validation script's line for exit code 9 (no driver loaded)
SMI_EXIT_9 = "running nvidia-smi failed: exit status 9\n"


def test_exporter_exit_status_12_is_nvml_library_not_loaded():
    found = loud(paste_findings(GPU, EXPORTER_146))
    first = found[0]
    assert first["cause"] == "gpu_libraries_not_visible", found
    # the line does not name nvidia-smi: the program is the paste's, so inferred, confirmed
    # by nvidia-smi in the pod
    assert first["basis"] == "inferred" and "nvidia-smi" in first["confirm"]
    assert any("exit status 12" in e for e in first["evidence"])


def test_exporter_newer_wording_names_nvidia_smi_reported():
    found = loud(paste_findings(GPU, EXPORTER_V12))
    assert [f["cause"] for f in found][:1] == ["gpu_libraries_not_visible"], found
    assert found[0]["basis"] == "reported"


def test_exit_9_is_driver_not_loaded():
    found = loud(paste_findings(GPU, SMI_EXIT_9))
    assert [f["cause"] for f in found][:1] == ["gpu_driver_mismatch"], found


def test_bare_exit_status_12_without_nvidia_smi_is_silent():
    # Go's exec error of any other program: the number means nothing alone
    text = 'level=error msg="backup hook failed" error="command failed. stderr: err: exit status 12"\n'
    found = paste_findings(GPU, text)
    assert "gpu_libraries_not_visible" not in [f["cause"] for f in found], found
    assert not loud(found)


def test_nvidia_smi_paste_with_an_unread_exit_code_stays_silent():
    # nvidia-smi named, but exit status 1 (a runtime hook's) is not an NVML return code read
    text = "nvidia-smi works on the node\nscript ended: exit status 1\n"
    assert "gpu_libraries_not_visible" not in [f["cause"] for f in paste_findings(GPU, text)]


# ---- a GPU Operator driver image not published for the node's OS ---------------------------------

# NVIDIA/gpu-operator#1623: the kubelet's Failed event on the driver pod
DRIVER_IMAGE_1623 = (
    '  Warning  Failed     106s (x5 over 4m40s)  kubelet            Failed to pull image '
    '"nvcr.io/nvidia/driver:570.148.08-cos121": rpc error: code = NotFound desc = failed to pull '
    'and unpack image "nvcr.io/nvidia/driver:570.148.08-cos121": failed to resolve reference '
    '"nvcr.io/nvidia/driver:570.148.08-cos121": nvcr.io/nvidia/driver:570.148.08-cos121: not '
    'found\n')

# another form: the pod's waiting state in `kubectl get pod -o yaml`-like describe text, an
# Ubuntu tag and a containerd "manifest unknown"-free NotFound from a mirror registry
DRIVER_IMAGE_UBUNTU = (
    'Events:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     '
    '-------\n  Warning  Failed   12s   kubelet  Failed to pull image "registry.example.org/nvidia/'
    'driver:535.104.05-ubuntu24.04": rpc error: code = NotFound desc = failed to pull and unpack '
    'image "registry.example.org/nvidia/driver:535.104.05-ubuntu24.04": failed to resolve '
    'reference "registry.example.org/nvidia/driver:535.104.05-ubuntu24.04": '
    'registry.example.org/nvidia/driver:535.104.05-ubuntu24.04: not found\n')


def test_driver_image_not_found_is_image_pull_with_the_os_tag():
    found = loud(paste_findings(GPU, DRIVER_IMAGE_1623))
    first = found[0]
    assert (first["cause"], first["basis"]) == ("image_pull", "reported"), found
    assert "570.148.08" in first["message"] and "cos121" in first["message"]
    assert "driver.enabled=false" in first["fix"]


def test_driver_image_other_os_same_reading():
    first = loud(paste_findings(GPU, DRIVER_IMAGE_UBUNTU))[0]
    assert first["cause"] == "image_pull"
    assert "ubuntu24.04" in first["message"]


def test_other_image_not_found_keeps_triage_reading():
    # an application image's tag not found: image_pull, without the driver-tag reading
    text = DRIVER_IMAGE_1623.replace("nvcr.io/nvidia/driver:570.148.08-cos121",
                                     "docker.io/library/trainer:2.1-cuda12")
    first = loud(paste_findings(GPU, text))[0]
    assert first["cause"] == "image_pull"
    assert "GPU Operator builds" not in first["message"]


def test_driver_image_unauthorized_is_not_the_tag_reading():
    text = DRIVER_IMAGE_1623.replace(
        "rpc error: code = NotFound desc", "rpc error: code = Unknown desc").replace(
        "nvcr.io/nvidia/driver:570.148.08-cos121: not found",
        "unexpected status from HEAD request: 401 Unauthorized")
    first = loud(paste_findings(GPU, text))[0]
    assert first["cause"] == "image_pull"
    assert "GPU Operator builds" not in first["message"]


# ---- NCCL bootstrap INFO lines only -------------------------------------------------------------

NCCL_352 = """\
Requested train epochs: 10; iterations: 158

ds-ml-01-0:17085:17354 [0] NCCL INFO Bootstrap : Using [0]eth0:10.233.66.147<0>

ds-ml-01-0:17085:17354 [0] NCCL INFO NET/Plugin : No plugin found (libnccl-net.so).

ds-ml-01-0:17085:17354 [0] NCCL INFO NET/IB : No device found.
"""


def test_nccl_bootstrap_info_only_is_undecided():
    found = paste_findings("check_training.py", NCCL_352)
    assert not loud(found), found
    assert any(f["severity"] == "info" for f in found)
