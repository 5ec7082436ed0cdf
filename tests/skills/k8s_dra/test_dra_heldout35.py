"""Held-out round 35 (DRA): a driver's (un)prepare that fails because the running release
cannot decode what another release wrote is the driver's fault (version skew), while an
unprepare that fails on a deleted object stays claim_deallocating. Ground truth: the driver's
threads named at each line (their kubelet-plugin logs, verbatim)."""
from __future__ import annotations

import pytest

from _dra.messages import classify


@pytest.mark.parametrize("line, cause", [
    # kubernetes-sigs/dra-driver-nvidia-gpu PR #576 / #543: after a downgrade the older
    # compute-domain plugin strictly decodes the claim's config (fixed by #579/#580)
    ("E0915 17:25:49.057479       1 workqueue.go:138] Failed to reconcile work item: error "
     "unpreparing devices for claim 'default/imex-channel-injection-imex-channel-0-5zp75:"
     "2e62af98-53a2-41e1-a1bf-9467402c6932': unprepare devices failed: error generating "
     "configResultsMap: error getting opaque device configs: error decoding config parameters: "
     "strict decoding error: unknown field \"allocationMode\"", "driver_prepare_failed"),
    # PR #394: the checkpoint format changed under an upgrade
    ("E0604 16:48:20.957681       1 workqueue.go:99] Failed to reconcile work item: error "
     "unpreparing devices for claim 'default/nvbandwidth-test-worker-1-compute-domain-channel-"
     "w75tw:f7d8ecca-adb3-42e5-8fa0-1547217a2b3e': unable to get checkpoint: json: cannot "
     "unmarshal array into Go struct field CheckpointV1.v1.preparedClaims of type "
     "main.PreparedClaim", "driver_prepare_failed"),
    # #380: the ComputeDomain deleted before its daemon pods: an ordering, not a skew
    ("E0529 23:56:00.437210       1 workqueue.go:99] Failed to reconcile work item: error "
     "unpreparing devices for claim 'nvidia-dra-driver-gpu/x:9882dcaa': unprepare devices failed: "
     "error creating compute domain daemon settings: compute domain not found: 0846944b",
     "claim_deallocating"),
])
def test_unprepare_failures_by_what_the_driver_says(line, cause):
    assert classify(line)[0].cause == cause


def test_the_skew_finding_says_which_step(tmp_path):
    from _dra.reports import collect, findings
    line = ("error unpreparing devices for claim 'ns/c:uid': unable to get checkpoint: json: "
            "cannot unmarshal array into Go struct field")
    found = findings(collect([], [line]), None)
    assert found[0]["cause"] == "driver_prepare_failed"
    assert "NodeUnprepareResources" in found[0]["message"] and "release" in found[0]["message"]


def test_a_report_around_snippets_is_said_not_refused():
    # kubernetes/kubernetes#118468 as the corpus keeps it: a diff and a describe cut short
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[3]
    script = root / "skills" / "k8s-dra" / "scripts" / "explain_claim.py"
    paste = root / "tests" / "resources" / "real-world" / "dra" / \
        "k8s-118468-prescheduled-claim-silent" / "paste.txt"
    proc = subprocess.run([sys.executable, str(script), "-f", str(paste), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert '"not_evaluated"' in proc.stdout
