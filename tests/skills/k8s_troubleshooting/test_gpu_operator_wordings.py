"""explain_gpu_failure.py on GPU Operator and device plugin pastes where several of the wordings
of references/catalogue/gpu.yaml meet (the rows alone: test_gpu_catalogue.py). Every line is
built from its source's format string:
- NVIDIA/gpu-operator cmd/nvidia-validator/main.go@v26.7.0: `toolkit is not ready` (:1160)
  after nvidia-smi's own output; nvidia-smi's `NVIDIA-SMI has failed because it couldn't
  communicate with the NVIDIA driver` is the driver's fault, read first;
- NVIDIA/gpu-driver-container ubuntu22.04/nvidia-driver@06a208c:494 `Could not unload NVIDIA
  driver kernel modules, driver is in use` beside the validator's `failed to validate the
  driver, retrying after %d seconds` (main.go@v26.7.0:837): the driver pod's line is the
  cause, the validator's the wait behind it;
- NVIDIA/k8s-device-plugin internal/rm/health.go@v0.12.0:79 `Warning: %s is too old to
  support healthchecking: %s. Marking it unhealthy.` (a GPU without health events, no fault)
  against health.go@v0.20.0:82 `...: %v; Marking it unhealthy.`;
- the kubelet's `Allocate failed due to %v, which is unexpected` (pkg/kubelet/cm/admission/
  errors.go) around the plugin's `invalid allocation request for %q: invalid request: unknown
  device: %s` (internal/plugin/server.go@v0.20.0:310, internal/rm/rm.go:87): one finding."""
from __future__ import annotations

from .conftest import run_script


def _findings(text: str) -> list[dict]:
    result = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_toolkit_validation_after_a_driver_error_names_the_driver_first():
    text = ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make "
            "sure that the latest NVIDIA driver is installed and running.\n"
            "toolkit is not ready\n"
            'time="2025-06-02T10:01:07Z" level=fatal msg="error validating toolkit installation: '
            'exit status 9"\n')
    causes = [f["cause"] for f in _findings(text)]
    assert causes[0] == "gpu_driver_mismatch", causes
    assert "gpu_libraries_not_visible" in causes


def test_toolkit_validation_alone_points_at_the_runtime_configuration():
    top = _findings("toolkit is not ready\n")[0]
    assert top["cause"] == "gpu_libraries_not_visible"
    assert "containerd" in top["fix"]


def test_driver_in_use_leads_the_validator_wait_behind_it():
    text = ("Could not unload NVIDIA driver kernel modules, driver is in use\n"
            'time="2025-06-02T10:01:07Z" level=warning msg="failed to validate the driver, '
            'retrying after 5 seconds\\n"\n')
    found = _findings(text)
    assert [f["cause"] for f in found] == ["gpu_driver_mismatch", "gpu_driver_mismatch"]
    assert "driver.enabled=false" in found[0]["fix"]
    assert "cannot unload" in found[0]["message"]


def test_a_gpu_too_old_for_health_checks_is_not_a_hardware_fault():
    text = ("2022/05/10 08:11:02 Warning: GPU-0d2b0e4e-7a8f-6c3b-1f2e-3a4b5c6d7e8f is too old "
            "to support healthchecking: Not Supported. Marking it unhealthy.\n")
    assert "gpu_xid_hardware" not in [f["cause"] for f in _findings(text)]


def test_unknown_device_inside_the_kubelet_refusal_is_one_finding():
    text = ("Warning  UnexpectedAdmissionError  3s  kubelet  Allocate failed due to rpc error: "
            'code = Unknown desc = invalid allocation request for "nvidia.com/gpu": invalid '
            "request: unknown device: GPU-0d2b0e4e-7a8f-6c3b-1f2e-3a4b5c6d7e8f::3, which is "
            "unexpected\n")
    found = _findings(text)
    assert [f["cause"] for f in found] == ["kubelet_admission_rejected"]
    assert "no longer serves" in found[0]["message"]
