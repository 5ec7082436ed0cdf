"""Selector evaluation on devices shaped like NVIDIA's DRA driver and the example driver.

Every expression is evaluated by the built-in evaluator (simple forms) and, when installed,
by cel-python for everything: both must agree with what the scheduler would decide.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from k8s_skillkit import cel as _cel

NV = "gpu.nvidia.com"
EX = "gpu.example.com"
NVIDIA_DEVICE = {"name": "gpu-0", "attributes": {
    "type": {"string": "gpu"}, "index": {"int": 0}, "productName": {"string": "NVIDIA H200"},
    "architecture": {"string": "Hopper"}, "cudaComputeCapability": {"version": "9.0.0"},
    "driverVersion": {"version": "580.159.4"}, "pcieRoot": {"string": "pci0000:00"},
    "resource.kubernetes.io/pcieRoot": {"string": "pci0000:00"}},
    "capacity": {"memory": {"value": "143771Mi"}}}
EXAMPLE_DEVICE = {"name": "gpu-3", "attributes": {
    "index": {"int": 3}, "uuid": {"string": "gpu-18db0e85-99e9-c1f7-a2b3-c4d5e6f70003"},
    "model": {"string": "LATEST-GPU-MODEL"}, "driverVersion": {"version": "1.0.0"}},
    "capacity": {"memory": {"value": "80Gi"}}}

CASES = [  # (driver, device, expression, expected, simple form?)
    (NV, NVIDIA_DEVICE, f'device.driver == "{NV}"', "match", True),
    (NV, NVIDIA_DEVICE, f"device.driver == '{NV}' && device.attributes['{NV}'].type == 'gpu'",
     "match", True),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].productName == "NVIDIA H100"', "no-match", True),
    (NV, NVIDIA_DEVICE, f'device.capacity["{NV}"].memory.compareTo(quantity("40Gi")) >= 0',
     "match", True),
    (NV, NVIDIA_DEVICE, f'device.capacity["{NV}"].memory.compareTo(quantity("141Gi")) >= 0',
     "no-match", True),  # 143771Mi is 140.4Gi
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].cudaComputeCapability.isGreaterThan('
     f'semver("8.9.0"))', "match", True),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].driverVersion.isLessThan(semver("550.0.0"))',
     "no-match", True),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].index < 4', "match", True),
    (NV, NVIDIA_DEVICE, 'device.attributes["resource.kubernetes.io"].pcieRoot == "pci0000:00"',
     "match", True),
    (NV, NVIDIA_DEVICE, f'"migProfile" in device.attributes["{NV}"]', "no-match", True),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].migProfile == "1g.18gb"', "error", True),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].productName.startsWith("NVIDIA H")',
     "match", False),
    (NV, NVIDIA_DEVICE, f'device.attributes["{NV}"].architecture in ["Hopper", "Blackwell"]',
     "match", False),
    (EX, EXAMPLE_DEVICE, f'device.attributes["{EX}"].model == "LATEST-GPU-MODEL"', "match", True),
    (EX, EXAMPLE_DEVICE, f'device.capacity["{EX}"].memory.compareTo(quantity("80Gi")) == 0',
     "match", True),
    (EX, EXAMPLE_DEVICE, f'device.attributes["{EX}"].index % 2 == 1', "match", False),
    (EX, EXAMPLE_DEVICE, f'device.attributes["{EX}"].driverVersion.compareTo(semver("1.0.0")) == 0',
     "match", True),
    (EX, EXAMPLE_DEVICE, f'device.attributes["{EX}"].uuid.matches("^gpu-18db")', "match", False),
]

HAVE_CELPY = importlib.util.find_spec("celpy") is not None


def _run(mode, driver, device, expression):
    old = _cel.MODE
    _cel.MODE = mode
    _cel._CACHE.clear()
    try:
        return _cel.evaluate(expression, _cel.device_view(driver, device))[0]
    finally:
        _cel.MODE = old
        _cel._CACHE.clear()


@pytest.mark.parametrize("driver,device,expr,expected,simple", CASES,
                         ids=[c[2][:70] for c in CASES])
def test_builtin_evaluator(driver, device, expr, expected, simple):
    got = _run("builtin", driver, device, expr)
    assert got == (expected if simple else "not-evaluated")


@pytest.mark.skipif(not HAVE_CELPY, reason="cel-python not installed")
@pytest.mark.parametrize("driver,device,expr,expected,simple", CASES,
                         ids=[c[2][:70] for c in CASES])
def test_cel_python_agrees(driver, device, expr, expected, simple):
    assert _run("celpy", driver, device, expr) == expected


def _explain_without_celpy(path) -> str:
    import subprocess, sys, os  # noqa: E401 - local: run with cel-python hidden
    SCRIPTS = Path(__file__).resolve().parents[3] / "skills" / "k8s-dra" / "scripts"
    code = ("import sys; sys.modules['celpy'] = None; sys.argv = ['explain_claim.py', '-f', "
            f"{path!r}, '--json']; sys.path.insert(0, {str(SCRIPTS)!r}); "
            "import runpy; runpy.run_path(sys.path[0] + '/explain_claim.py', run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={k: v for k, v in os.environ.items()})
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _claim(expression: str) -> str:
    return ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
            "metadata: {name: fancy, namespace: team-a}\nspec:\n  devices:\n    requests:\n"
            "    - name: gpus\n      exactly:\n        deviceClassName: gpu.nvidia.com\n"
            f"        selectors:\n        - cel: {{expression: '{expression}'}}\n")


def test_without_cel_python_the_kits_evaluator_decides(script, dump):
    """The Skills API sandbox has no cel-python: the kit's stdlib CEL evaluator decides."""
    path = dump("cluster-nvidia.yaml", extra=_claim(
        'device.attributes["gpu.nvidia.com"].productName.startsWith("NVIDIA B")'))
    assert '"no_matching_device"' in _explain_without_celpy(path)
    if HAVE_CELPY:
        r = script("explain_claim.py", "-f", path, "--json")
        assert r.causes == ["no_matching_device"]


def test_a_selector_no_engine_reads_is_not_evaluated(dump):
    """A function the kit's evaluator does not implement: said so, never guessed."""
    path = dump("cluster-nvidia.yaml", extra=_claim(
        'device.attributes["gpu.nvidia.com"].productName.format([1]) == "x"'))
    assert "selector_not_evaluated" in _explain_without_celpy(path)


def test_thousands_of_identical_devices_are_evaluated_once_per_shape():
    ev = _cel.Evaluator(f'device.capacity["{NV}"].memory.compareTo(quantity("40Gi")) >= 0')

    class Dev:
        driver = NV

        def __init__(self, i):
            self.raw = dict(NVIDIA_DEVICE, name=f"gpu-{i}")
            self.built = False

        @property
        def view(self):
            self.built = True
            return _cel.device_view(NV, self.raw)
    devs = [Dev(i) for i in range(100)]
    assert all(ev.evaluate(d)[0] == "match" for d in devs)
    assert sum(d.built for d in devs) == 1
