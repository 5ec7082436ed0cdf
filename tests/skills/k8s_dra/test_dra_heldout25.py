"""Held-out round 25 (DRA): kube-scheduler's panic while scheduling a pod, logged by
apimachinery's HandleCrashWithContext with the scheduling cycle's logger (`"Observed a panic"
pod="ns/name" panic=...`). Ground truth: kubernetes/kubernetes#138882 (the structured allocator
dereferenced a nil pool for allocationMode All on counter-consuming devices; fixed by PR
#138885) and k8s.io/apimachinery v0.37.2 pkg/util/runtime/runtime.go (logPanic)."""
from __future__ import annotations

import pytest

PANIC = (
    'E0508 04:58:49.637692       1 panic.go:336] "Observed a panic" '
    'pod="default/dra-allocation-mode-all" panic="runtime error: invalid memory address or nil '
    'pointer dereference" panicGoValue="\\"invalid memory address or nil pointer '
    'dereference\\"" stacktrace=<\n'
    '        goroutine 702 [running]:\n'
    '        k8s.io/apimachinery/pkg/util/runtime.logPanic({0x1a9e670, 0x5d4007400030}, '
    '{0x156d480, 0x2b8c720})\n')


def test_a_scheduler_panic_on_a_pod_is_a_scheduler_bug(script, tmp_path):
    paste = tmp_path / "log.txt"
    paste.write_text(PANIC)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.code == 1, r.err
    top = r.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("scheduler_plugin_error", "reported"), top
    assert top["object"] == {"kind": "Pod", "namespace": "default",
                             "name": "dra-allocation-mode-all"}, top



@pytest.mark.parametrize("text, cause", [
    ("The DRA driver kubelet plugin is not registered on the node.", "driver_not_registered"),
    ("The DeviceClass gpu.example.com does not exist.", "device_class_missing"),
    ("All GPUs are already allocated to other claims so the new pod waits.",
     "insufficient_devices"),
])
def test_a_dra_state_said_in_words(script, tmp_path, text, cause):
    paste = tmp_path / "p.txt"
    paste.write_text(text + "\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    top = r.doc["findings"][0]
    assert (top["cause"], top["basis"], top["severity"]) == (cause, "inferred", "warning"), top


def test_a_class_said_to_exist_is_not_missing(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The DeviceClass exists and the claim is allocated, but the pod fails "
                     "later.\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert all(f["severity"] == "info" for f in r.doc["findings"]), r.doc
