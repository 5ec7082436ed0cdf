"""Held-out rounds 62-63, GPU: four wordings of the GPU stack and one evidence order.

Ground truth, per rule:
- a device plugin that cannot create its inotify watcher: NVIDIA/k8s-device-plugin
  cmd/nvidia-device-plugin/main.go@v0.14.0:157 `failed to create FS watcher: %v`,
  main.go@v0.20.0:275 `failed to create FS watcher for %s: %v`, main.go@v1.10:36 `Failed to
  created FS watcher.`; intel/intel-device-plugins-for-kubernetes pkg/deviceplugin/
  server.go@v0.36.0:325 `Failed to create watcher for %s` inside manager.go:146 `Failed to
  serve %s/%s: %+v`. intel/intel-device-plugins-for-kubernetes#2075: "too many open files",
  fixed by raising fs.inotify.max_user_instances; the node then has no GPU resource.
- the kubelet's `device plugin PreStartContainer rpc failed with err: %v` (kubernetes
  pkg/kubelet/cm/devicemanager/manager.go@v1.37.2:1045): the container is not created
  (kuberuntime_container.go@v1.37.2:260, CreateContainerConfigError); tkestack/gpu-manager#121.
- the kubelet's `cannot find volume %q to mount into container %q` (pkg/kubelet/
  kubelet_pods.go@v1.37.2:300, makeMounts): a volume never set up; beside it the device
  manager's `requested number of devices unavailable for %s. Requested: %d, Available: %d`
  (devicemanager/manager.go@v1.37.2:704) is downstream (NVIDIA/gpu-operator#246: the driver
  pod's /run/nvidia hostPath, fixed in 1.8.1).
- nvidia-docker 1.x `unsupported CUDA version: driver %s < image %s` (NVIDIA/nvidia-docker
  src/nvidia-docker/utils.go@v1.0.1:56): the driver older than the image's CUDA
  (h2oai/h2o4gpu#298).
"""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import run_script


def _findings(script: str, text: str) -> list[dict[str, Any]]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    found: list[dict[str, Any]] = res.doc["findings"]
    return found


def _first(script: str, text: str) -> dict[str, Any]:
    found = [f for f in _findings(script, text) if f["severity"] != "info"]
    assert found, text
    return found[0]


def _causes(script: str, text: str) -> list[str]:
    return [f["cause"] for f in _findings(script, text)]


# --- the device plugin's inotify watcher --------------------------------------------------

# intel/intel-device-plugins-for-kubernetes#2075, as the reporter pasted it (cut in the stack)
INTEL = """\
I0620 19:14:08.748928       1 server.go:285] Start server for i915_monitoring at: /var/lib/kubelet/device-plugins/gpu.intel.com-i915_monitoring.sock
I0620 19:14:08.935243       1 server.go:303] Device plugin for i915_monitoring registered
E0620 19:14:08.935267       1 manager.go:146] Failed to serve gpu.intel.com/i915_monitoring: too many open files
Failed to create watcher for /var/lib/kubelet/device-plugins/gpu.intel.com-i915_monitoring.sock
github.com/intel/intel-device-plugins-for-kubernetes/pkg/deviceplugin.watchFile
        github.com/intel/intel-device-plugins-for-kubernetes/pkg/deviceplugin/server.go:325
"""
# NVIDIA's plugin, three releases' wordings of the same failure (main.go, cited above)
NVIDIA_WATCHER = [
    "I0102 08:00:01.000000       1 main.go:154] Starting FS watcher.\n"
    "E0102 08:00:01.000100       1 main.go:123] failed to create FS watcher: too many open "
    "files\n",
    "I0102 08:00:01.000000       1 main.go:272] Starting FS watcher for "
    "/var/lib/kubelet/device-plugins\nE0102 08:00:01.000100       1 main.go:158] failed to "
    "create FS watcher for /var/lib/kubelet/device-plugins/: too many open files\n",
    "2018/03/01 10:00:00 Starting FS watcher.\n2018/03/01 10:00:00 Failed to created FS "
    "watcher.\n",
]


@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_intel_plugin_without_an_inotify_watcher(script: str) -> None:
    first = _first(script, INTEL)
    assert first["cause"] == "gpu_not_advertised", first
    if script == "explain_gpu_failure.py":
        assert "max_user_instances" in first["fix"]
        assert any("too many open files" in e for e in first["evidence"])


@pytest.mark.parametrize("text", NVIDIA_WATCHER)
@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_nvidia_plugin_without_an_fs_watcher(script: str, text: str) -> None:
    assert _first(script, text)["cause"] == "gpu_not_advertised"


@pytest.mark.parametrize("text", [
    # the plugin's start line alone: no failure
    "I0102 08:00:01.000000       1 main.go:154] Starting FS watcher.\n",
    # EMFILE in a training process, not a device plugin's watcher
    "OSError: [Errno 24] Too many open files: '/data/shard-00017.tar'\n",
    # a watcher that is not on the kubelet's device-plugins directory
    "E0102 08:00:01.000100       1 config.go:40] Failed to create watcher for "
    "/etc/app/config.yaml: too many open files\n",
])
def test_other_watchers_and_open_file_limits_are_not_the_plugin(text: str) -> None:
    assert "gpu_not_advertised" not in _causes("explain_gpu_failure.py", text)


# --- the device plugin's PreStartContainer ----------------------------------------------

# tkestack/gpu-manager#121, as pasted
GPU_MANAGER = """\
Events:
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  26s                default-scheduler  Successfully assigned default/vcuda-test-7b4c8974bf-vqgm5 to node0
  Normal   Pulled     11s (x4 over 25s)  kubelet            Container image "ubuntu:18.04" already present on machine
  Warning  Failed     11s (x4 over 25s)  kubelet            Error: device plugin PreStartContainer rpc failed with err: rpc error: code = Unknown desc = PreStartContainer check failed, failed to read from checkpoint file due to json: cannot unmarshal object into Go struct field PodDevicesEntry.Data.PodDeviceEntries.DeviceIDs of type []string
"""
# another plugin's error through the same kubelet wording, as `kubectl get events` prints it
PRESTART_EVENTS = """\
LAST SEEN   TYPE      REASON   OBJECT          MESSAGE
12s         Warning   Failed   pod/train-0     Error: device plugin PreStartContainer rpc failed with err: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /var/lib/kubelet/device-plugins/vendor.sock: connect: connection refused"
"""


@pytest.mark.parametrize("text", [GPU_MANAGER, PRESTART_EVENTS])
@pytest.mark.parametrize("script", ["explain_gpu_failure.py", "triage.py"])
def test_a_failing_prestart_hook_stops_the_container(script: str, text: str) -> None:
    assert _first(script, text)["cause"] == "container_start_failed"


def test_the_kubelet_issuing_the_call_is_no_failure() -> None:
    # the kubelet's V(4) line before every call (devicemanager/manager.go@v1.37.2:1042)
    text = ('I0102 08:00:01.000000    2101 manager.go:1042] "Issuing a PreStartContainer call '
            'for container" containerName="train" podUID="0b1c"\n')
    assert "container_start_failed" not in _causes("explain_gpu_failure.py", text)
    assert "container_start_failed" not in _causes("triage.py", text)


# --- a volume never set up, and the device refusal after it -------------------------------

# NVIDIA/gpu-operator#246, as pasted
OPERATOR = """\
Upgraded fresh to 1.8.0. Seem to be in a loop on two gpu clusters. Events showing:

"Error: cannot find volume "run-nvidia" to mount into container "k8s-driver-manager"

"Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 1, Available: 0, which is unexpected"

On Openshift 4.7.22.
"""
# the same order in an events table of another component (the device plugin's own pod)
PLUGIN_VOLUME = """\
LAST SEEN   TYPE      REASON                     OBJECT                       MESSAGE
40s         Warning   Failed                     pod/amd-gpu-dp-x2k9q         Error: cannot find volume "sys" to mount into container "amd-gpu-dp-cntr"
10s         Warning   UnexpectedAdmissionError   pod/rocm-test                Allocate failed due to requested number of devices unavailable for amd.com/gpu. Requested: 1, Available: 0, which is unexpected
"""


@pytest.mark.parametrize("text,volume", [(OPERATOR, "run-nvidia"), (PLUGIN_VOLUME, "sys")])
def test_the_volume_never_set_up_comes_before_the_device_refusal(text: str, volume: str) -> None:
    found = _findings("triage.py", text)
    assert found[0]["cause"] == "mount_failed", found
    assert f"volume {volume}" in found[0]["message"], found[0]


def test_the_device_refusal_alone_still_stands() -> None:
    text = ("Warning  UnexpectedAdmissionError  3s  kubelet  Allocate failed due to requested "
            "number of devices unavailable for nvidia.com/gpu. Requested: 2, Available: 1, "
            "which is unexpected\n")
    assert _causes("triage.py", text)[0] == "kubelet_admission_rejected"


def test_a_plugin_that_refuses_allocate_itself_is_not_demoted() -> None:
    # the plugin's own Allocate error (admission/errors.go@v1.37.2:41 around the plugin's rpc
    # error) is the plugin refusing, not a node short of devices
    text = ("Warning  UnexpectedAdmissionError  3s  kubelet  Allocate failed due to rpc error: "
            "code = Unknown desc = request for 'nvidia.com/gpu: 2' too large: maximum request "
            "size for shared resources is 1, which is unexpected\n"
            "Warning  FailedMount  1m  kubelet  MountVolume.SetUp failed for volume \"cache\" : "
            "hostPath type check failed: /mnt/cache is not a directory\n")
    assert _causes("triage.py", text)[0] == "kubelet_admission_rejected"


# --- nvidia-docker 1.x: the driver older than the image's CUDA ------------------------------

H2O4GPU = """\
jon@pseudotensor:~/h2o4gpu$ nvidia-docker run --rm nvidia/cuda nvidia-smi
Using default tag: latest
Status: Downloaded newer image for nvidia/cuda:latest
nvidia-docker | 2017/11/21 00:48:39 Error: unsupported CUDA version: driver 8.0 < image 9.0.176
"""


@pytest.mark.parametrize("text", [
    H2O4GPU,
    # utils.go@v1.0.1:56 with other versions, without the wrapper's log prefix
    "Error: unsupported CUDA version: driver 9.0 < image 9.2.148\n",
])
def test_nvidia_docker_1_refuses_an_image_newer_than_the_driver(text: str) -> None:
    first = _first("explain_gpu_failure.py", text)
    assert first["cause"] == "gpu_driver_mismatch", first


def test_another_tool_naming_an_unsupported_cuda_version_is_not_the_wrapper() -> None:
    text = "CMake Error: unsupported CUDA version: 13.0 (this project supports up to 12.x)\n"
    assert "gpu_driver_mismatch" not in _causes("explain_gpu_failure.py", text)
