"""Held-out round 75 (Kueue): kueue-controller-manager exits on a failed setup step.

Ground truth:
- cmd/kueue/main.go@v0.19.2 logs each failed setup step on its `setup` logger and calls
  os.Exit(1) right after (`Unable to setup indexes` :380, `Unable to setup controllers` :421,
  `Could not run manager` :449, ...); at commit 00913dc (v0.10-era) the same steps log where
  they failed (`Could not setup TAS indexer`, `Unable to create controller or webhook`, ...).
  kubernetes-sigs/kueue#1077 made a failed index setup fatal. Its non-fatal setupLog.Error
  (`Skipping admission check controller setup: Provisioning Requests not supported ...`) is
  followed by no exit.
- kubernetes-sigs/kueue#13600: v0.19 on a kind 1.33 cluster crashloops with `Unable to setup
  indexes` / `could not setup ResourceSlice indexer: no matches for kind "ResourceSlice" in
  version "resource.k8s.io/v1"` (fixed by #13629: skip the ResourceSlice API when not served).
- kubernetes-sigs/kueue#7432: `Unable to setup indexes` / `could not setup multikueue indexer:
  ... indexer conflict` at kueue/main.go:245, the manager in CrashLoopBackOff.
- `no matches for kind %q in version %q`: k8s.io/apimachinery pkg/api/meta/errors.go:116
  @v0.37.2 (NoKindMatchError).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .test_kueue_heldout46 import SCRIPTS, _causes

# kubernetes-sigs/kueue#13600, the log line as the issue quotes it
RESOURCESLICE = (
    '{"level":"error","ts":"2026-07-28T19:28:58.194086372Z","logger":"setup","caller":'
    '"kueue/main.go:377","msg":"Unable to setup indexes","error":"could not setup ResourceSlice '
    'indexer: no matches for kind \\"ResourceSlice\\" in version \\"resource.k8s.io/v1\\"",'
    '"stacktrace":"main.main\\n\\t/workspace/cmd/kueue/main.go:377\\nruntime.main\\n\\t'
    '/usr/local/go/src/runtime/proc.go:290"}\n\n'
    "$ kubectl get nodes\n"
    "NAME                 STATUS   ROLES           AGE   VERSION\n"
    "kind-control-plane   Ready    control-plane   60s   v1.33.1\n")


def _findings(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_pending.py"), "-f", "-",
                           "--json"], input=text, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_index_setup_failure_is_the_controller_down():
    first = _findings(RESOURCESLICE)[0]
    assert first["cause"] == "kueue_controller_down"
    # the user is told which API the server lacks, not to look at certificates
    assert 'no matches for kind "ResourceSlice"' in first["message"]
    assert "ResourceSlice in resource.k8s.io/v1" in first["fix"]
    assert "feature gate" in first["fix"]


@pytest.mark.parametrize("log", [
    # kueue#7432 (JSON, v0.14-era caller line)
    '{"level":"error","ts":"2025-10-29T15:57:32.766495947Z","logger":"setup","caller":'
    '"kueue/main.go:245","msg":"Unable to setup indexes","error":"could not setup multikueue '
    'indexer: setting index on workloads admission checks: indexer conflict: '
    'map[field:status.admissionChecks:{}]"}',
    # zap's console encoder (Kueue's default development flag off, --zap-encoder=console)
    '2025-11-02T08:01:12.004Z\tERROR\tsetup\tkueue/main.go:421\tUnable to setup controllers\t'
    '{"error": "unable to create controller Workload: no matches for kind \\"Topology\\" in '
    'version \\"kueue.x-k8s.io/v1alpha1\\""}',
    # an older release's wording of the same step (main.go@00913dc), named by the pod instead
    "kueue-system  kueue-controller-manager-5f7d9c7b8-x2x7q  0/1  Running  3  2m\n"
    '2024-12-02T08:01:12.004Z\tERROR\tsetup\tCould not setup TAS indexer\t'
    '{"error": "setting index on nodes: indexer conflict"}',
])
def test_other_fatal_setup_steps_and_wordings(log):
    assert _causes("explain_pending.py", log + "\n")[0] == "kueue_controller_down"


def test_a_certificate_exit_keeps_the_certificate_fix():
    log = ('2024-02-07T15:10:36.33514391Z\tERROR\tsetup\tkueue/main.go:189\tCould not run '
           'manager\t{"error": "open /tmp/k8s-webhook-server/serving-certs/tls.crt: no such '
           'file or directory"}\n')
    first = _findings(log)[0]
    assert first["cause"] == "kueue_controller_down"
    assert "certificate" in first["fix"]


@pytest.mark.parametrize("log", [
    # Kueue's setupLog.Error that does not exit (main.go:462@v0.19.2): Kueue keeps running
    '{"level":"error","logger":"setup","caller":"kueue/main.go:462","msg":"Skipping admission '
    'check controller setup: Provisioning Requests not supported (Possible cause: missing or '
    'unsupported cluster-autoscaler)","error":"no matches for kind \\"ProvisioningRequest\\" '
    'in version \\"autoscaling.x-k8s.io/v1\\""}',
    # another kubebuilder operator's same words, without Kueue's caller or pod
    '2025-11-02T08:01:12.004Z\tERROR\tsetup\tcmd/main.go:120\tUnable to setup indexes\t'
    '{"error": "no matches for kind \\"Widget\\" in version \\"example.io/v1\\""}\n'
    "my-operator is failing; my Kueue job is still pending",
])
def test_a_non_fatal_line_or_another_operator_stays_silent(log):
    assert "kueue_controller_down" not in _causes("explain_pending.py", log + "\n")
