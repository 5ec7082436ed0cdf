"""States the kubelet, the runtime and a rank's log report, as users paste them.

Ground truth: kubernetes pkg/printers/internalversion/printers.go printPod (STATUS is a
terminated container's reason, `Error` for a non-zero exit that is not OOMKilled; RESTARTS
counts the kubelet's restarts); containerd internal/cri "no runtime for %q is configured"
wrapped by sandbox_run.go "failed to get sandbox runtime: %w" (NVIDIA/gpu-operator#432);
cri-o internal/oci/oci.go ValidateRuntimeHandler "failed to find runtime handler %s from runtime
list %v" (NVIDIA/gpu-operator#1298: OpenShift's CRI-O, the toolkit an OCI hook, no nvidia
handler);
torch/distributed/rendezvous.py connecting every rank to MASTER_ADDR's TCPStore
(kubeflow/pytorch-operator#125, workers created before the master)."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _findings(script: str, text: str) -> list[dict]:
    result = run_script(script, "-f", "-", "--json", stdin=text)
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_a_pods_row_that_exited_with_error_and_restarted_is_a_crash_loop():
    text = ("NAME          READY   STATUS    RESTARTS      AGE\n"
            "llm-worker-0  0/1     Error     3 (31s ago)   54s\n"
            "llm-worker-1  0/1     Running   0             54s\n")
    found = _findings("triage.py", text)
    assert found[0]["cause"] == "crash_loop", found


def test_an_error_row_without_restarts_is_not_a_crash_loop():
    text = ("NAME          READY   STATUS   RESTARTS   AGE\n"
            "migrate-x7     0/1     Error    0          2m\n")
    assert "crash_loop" not in {f["cause"] for f in _findings("triage.py", text)}


@pytest.mark.parametrize("text, said", [
    ('time="2022-11-02T18:00:58+02:00" level=error msg="RunPodSandbox for '
     '&PodSandboxMetadata{Name:gfd-qfjgk,Namespace:gpu-operator,Attempt:2,} failed, '
     'error" error="failed to get sandbox runtime: no runtime for \\"nvidia\\" is '
     'configured"\n', ('"nvidia"', "nvidia-ctk")),
    # the kubelet's wrapping of CRI-O's error, as a user typed it from a console (typo kept)
    ("Failled to create pod sandbox: rpc error: code = Unknown desc = failed to find "
     "runtime handler nvidia from runtime list map[crun:0xc0004dd5f0 "
     "runc:0xc0004dd790]\n", ("CRI-O", "runtimeClassName")),
])
def test_a_runtime_handler_the_runtime_does_not_have(text, said):
    found = _findings("triage.py", text)
    assert found[0]["cause"] == "sandbox_failed", found
    assert said[0] in found[0]["message"] and said[1] in found[0]["fix"]


def test_check_training_reads_a_rank_log_pasted_alone():
    text = ("Traceback (most recent call last):\n"
            "  File \"/usr/lib/python3.7/site-packages/torch/distributed/rendezvous.py\", "
            "line 143, in _env_rendezvous_handler\n"
            "    store = TCPStore(master_addr, master_port, start_daemon)\n"
            "ValueError: host not found: Name or service not known\n")
    found = _findings("check_training.py", text)
    assert [f["cause"] for f in found] == ["master_not_ready"], found
