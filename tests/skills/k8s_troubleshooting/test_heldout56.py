"""Held-out round 56 (pods, nodes). Ground truth per test: the public thread and the upstream
source named beside it."""
from __future__ import annotations

from .conftest import paste_findings

_run = paste_findings

# kubectl prints Terminating for a pod with a deletionTimestamp not yet in a terminal phase
# (k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go:1104-1107);
# evryfs/github-actions-runner-operator#212: the operator's pod finalizer was never removed
# once its own CR was deleted first
ROWS = """NAMESPACE   NAME                 READY   STATUS        RESTARTS   AGE
runners     pool-pod-fhthp       0/3     Terminating   0          4m50s
runners     pool-pod-wfs62       0/3     Terminating   0          4m50s
operator    runner-operator-59   1/1     Running       0          5m26s
"""


def test_pods_shown_terminating_are_a_deletion_that_has_not_completed():
    found = _run("triage.py", ROWS)
    assert found[0]["cause"] == "stuck_terminating" and found[0]["basis"] == "inferred"
    assert "finalizers" in found[0]["fix"] and "--grace-period=0 --force" in found[0]["fix"]
    assert "deletionTimestamp" in found[0]["confirm"]


def test_pending_rows_alone_still_cannot_be_told():
    pending = ROWS.replace("Terminating", "Pending    ")
    assert [f["cause"] for f in _run("triage.py", pending)] == ["not_evaluated"]
