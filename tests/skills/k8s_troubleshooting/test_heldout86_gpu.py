"""Held-out round 86 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- The driver module built with an older gcc than the kernel's: the kernel's external-module
  warning ("warning: the compiler differs from the one used to build the kernel" / "The kernel
  was built by:" / "You are using:", linux Makefile KBUILD_EXTMOD prepare) and NVIDIA's
  conftest.sh cc_version_check wordings (open-gpu-kernel-modules 595.45.04 kernel-open/
  conftest.sh:5253-5275); NVIDIA/gpu-operator#564 (5.19.0-1030-gcp built by gcc-12, driver
  image gcc 11), fixed by gcc-12 in the driver image (NVIDIA/gpu-driver-container
  ubuntu22.04/Dockerfile@06a208c:96) -> gpu_driver_build_failed; same major or a newer
  compiler in use is silent.
- A field error quoted without its `KIND "NAME" is invalid:` head: apimachinery field/errors.go
  `FIELD: Unsupported value: "V": supported values: "a", "b"` (NotSupported) and `Required value`
  (NVIDIA/gpu-operator commit 5831d10, ClusterPolicy spec.operator.defaultRuntime) ->
  spec_invalid; prose naming the words is silent.
- PodGC that cannot delete a pod whose spec repeats a list-map key: kube-controller-manager
  gc_controller.go "PodGC is force deleting Pod" and the managed-fields conversion's "duplicate
  entries for key" (NVIDIA/cloud-native-docs gpu-operator/release-notes.rst@52dcb7b:1607, GPU
  Operator v23.9.2 fixed issues) -> stuck_terminating; the same refusal of a Deployment apply
  is no stuck pod.
"""
from __future__ import annotations

from .conftest import loud, paste_findings

GPU = "explain_gpu_failure.py"


def _loud(text: str) -> list[dict]:
    return loud(paste_findings(GPU, text))


def _causes(text: str) -> list[str]:
    return [f["cause"] for f in _loud(text)]


# --- an older compiler than the kernel's --------------------------------------------------------

# NVIDIA/gpu-operator#564, as the reporter quoted the driver container's build
CC_HELDOUT = """\
* Kernel Version:
Linux version 5.19.0-1030-gcp (buildd@bos03-amd64-050) (x86_64-linux-gnu-gcc-12 (Ubuntu \
12.1.0-2ubuntu1~22.04) 12.1.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #32~22.04.1-Ubuntu SMP
The issue with the GPU Operator is that it cannot build Nvidia drivers on GCP with Ubuntu 22.04.
```
warning: the compiler differs from the one used to build the kernel
  The kernel was built by: x86_64-linux-gnu-gcc-12 (Ubuntu 12.1.0-2ubuntu1~22.04) 12.1.0
  You are using:           cc (Ubuntu 11.3.0-1ubuntu1~22.04) 11.3.0
```
"""

# conftest.sh cc_version_check, VERBOSE=just_msg (kernel-open/conftest.sh:5273)
CC_NVIDIA_MSG = """\
nvidia-driver-ctr Building kernel modules
nvidia-driver-ctr Warning: The kernel was built with x86_64-linux-gnu-gcc-13 (Ubuntu \
13.2.0-4ubuntu3) 13.2.0, but the current compiler version is cc (Ubuntu 12.3.0-1ubuntu1~22.04) \
12.3.0.
"""

# conftest.sh cc_version_check, VERBOSE=full_output (kernel-open/conftest.sh:5253-5270)
CC_NVIDIA_FULL = """\
Warning: Compiler version check failed:

The major and minor number of the compiler used to
compile the kernel:

x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04) 12.3.0, GNU ld 2.38

does not match the compiler used here:

cc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0
Copyright (C) 2021 Free Software Foundation, Inc.
"""

# the warning for a minor release apart, and for a newer compiler in use: builds that work
CC_SAME_MAJOR = """\
warning: the compiler differs from the one used to build the kernel
  The kernel was built by: x86_64-linux-gnu-gcc-11 (Ubuntu 11.3.0-1ubuntu1~22.04) 11.3.0
  You are using:           gcc-11 (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0
"""
CC_NEWER_IN_USE = """\
warning: the compiler differs from the one used to build the kernel
  The kernel was built by: gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2)
  You are using:           gcc (GCC) 12.2.1 20221121 (Red Hat 12.2.1-7)
"""


def test_heldout_kernel_compiler_newer_is_driver_build_failed() -> None:
    found = _loud(CC_HELDOUT)
    assert found[0]["cause"] == "gpu_driver_build_failed"
    assert found[0]["basis"] == "reported"
    assert any("gcc-12" in e for e in found[0]["evidence"])


def test_nvidia_conftest_wordings_are_driver_build_failed() -> None:
    assert _causes(CC_NVIDIA_MSG)[:1] == ["gpu_driver_build_failed"]
    assert _causes(CC_NVIDIA_FULL)[:1] == ["gpu_driver_build_failed"]


def test_compiler_same_major_or_newer_stays_silent() -> None:
    assert "gpu_driver_build_failed" not in _causes(CC_SAME_MAJOR)
    assert "gpu_driver_build_failed" not in _causes(CC_NEWER_IN_USE)


# --- a field error without its head --------------------------------------------------------------

# NVIDIA/gpu-operator commit 5831d10, line-wrapped as quoted
ENUM_HELDOUT = """\
spec.operator.defaultRuntime: Unsupported value: "": supported values:
"docker", "crio", "containerd"
"""

# the Required form of the same headless list, as an operator console shows it
REQUIRED_HEADLESS = """\
Create ClusterPolicy failed:
spec.driver.repository: Required value
"""

# prose naming the words, no field path at a line's start
ENUM_PROSE = """\
The console complained about an Unsupported value for the runtime, so I picked containerd.
"""


def test_heldout_headless_enum_refusal_is_spec_invalid() -> None:
    found = _loud(ENUM_HELDOUT)
    assert [f["cause"] for f in found] == ["spec_invalid"]
    assert found[0]["basis"] == "reported"
    assert "spec.operator.defaultRuntime" in found[0]["message"]
    assert "empty" in found[0]["fix"]


def test_headless_required_value_is_spec_invalid() -> None:
    assert _causes(REQUIRED_HEADLESS) == ["spec_invalid"]


def test_prose_naming_unsupported_value_is_silent() -> None:
    assert "spec_invalid" not in _causes(ENUM_PROSE)


# --- PodGC cannot delete a pod whose spec repeats a key ----------------------------------------

# NVIDIA/cloud-native-docs gpu-operator/release-notes.rst@52dcb7b:1607-1608
PODGC_HELDOUT = """\
I1031 00:09:44.553742       1 gc_controller.go:329] "PodGC is force deleting Pod" \
pod="gpu-operator/nvidia-driver-daemonset-k69f2"
E1031 00:09:44.556500       1 gc_controller.go:255] failed to create manager for existing \
fields: failed to convert new object (gpu-operator/nvidia-driver-daemonset-k69f2; /v1, Kind=Pod) \
to smd typed: .spec.imagePullSecrets: duplicate entries for key [name="ngc-secret"]
"""

# 1.31+ HandleError wording with the controller's logger and Go-quoted err
PODGC_STRUCTURED = """\
E0312 08:15:02.101010       1 gc_controller.go:271] "Unhandled Error" err="failed to create \
manager for existing fields: failed to convert new object (batch/worker-7f9c; /v1, Kind=Pod) to \
smd typed: .spec.containers[name=\\"main\\"].env: duplicate entries for key [name=\\"MODE\\"]" \
logger="pod-garbage-collector-controller"
"""

# the same conversion refusal of a Deployment apply: no pod stuck
APPLY_DEPLOYMENT = """\
$ kubectl apply --server-side -f trainer.yaml
Error from server: failed to create typed patch object (ml/trainer; apps/v1, Kind=Deployment): \
.spec.template.spec.containers[name="trainer"].env: duplicate entries for key [name="NCCL_DEBUG"]
"""


def test_heldout_podgc_duplicate_key_is_stuck_terminating() -> None:
    found = _loud(PODGC_HELDOUT)
    assert [f["cause"] for f in found] == ["stuck_terminating"]
    assert found[0]["object"]["kind"] == "Pod"
    assert found[0]["basis"] == "reported"
    assert ".spec.imagePullSecrets" in found[0]["message"]


def test_podgc_structured_log_is_stuck_terminating() -> None:
    found = _loud(PODGC_STRUCTURED)
    assert [f["cause"] for f in found] == ["stuck_terminating"]
    assert found[0]["object"]["name"] == "worker-7f9c"


def test_duplicate_key_in_deployment_apply_is_no_stuck_pod() -> None:
    assert "stuck_terminating" not in _causes(APPLY_DEPLOYMENT)
