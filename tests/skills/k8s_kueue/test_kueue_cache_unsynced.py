"""kueue-controller-manager's own informers failing to list its kinds: controller-runtime's
cache (pkg/cache/internal/informers.go) over client-go's reflector (`Failed to watch
*v1beta1.Workload: failed to list *v1beta1.Workload: <err>`) never syncs, so nothing is
admitted. kubernetes-sigs/kueue#4266: ~250K Workloads, the list timed out and `kubectl get
workloads` hit the apiserver's gRPC limit; fixed by deleting finished Workloads (retention,
kueue#2686)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"

PASTE = ('""Unhandled Error" err="sigs.k8s.io/controller-runtime/pkg/cache/internal/informers.go:108: '
         'Failed to watch *v1beta1.Workload: failed to list *v1beta1.Workload: the server was '
         'unable to return a response in the time allotted, but may still be processing the '
         'request (get workloads.kueue.x-k8s.io)" logger="UnhandledError""\n\n'
         'Error from server: rpc error: code = ResourceExhausted desc = grpc: trying to send '
         'message larger than max (2240131343 vs. 2147483647)\n')


def test_an_unsynced_workload_cache_is_the_controller_down():
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=PASTE,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    top = json.loads(proc.stdout)["findings"][0]
    assert top["cause"] == "kueue_controller_down" and top["basis"] == "reported", top
    assert "cannot list its own objects" in top["message"]
    assert "objectRetentionPolicies" in top["fix"]
