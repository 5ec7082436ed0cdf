"""Issue 12, Deliver 1: every finding of the diagnostic scripts says its basis, and an inferred
one names the one command that would confirm it (skills/_shared/k8s_skillkit/findings.py).

The scripts not covered by the real-world benchmark (planning and traffic checks) run here on
their test fixtures; the fixtures are chosen to produce findings, so the check cannot pass
vacuously. inspect_cluster.py prints views (pods, nodes, events, logs), not findings, and
quota_report.py a quota table with starved queues; neither makes a diagnosis to qualify.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RES = ROOT / "tests" / "resources"

RUNS = [
    ("k8s-kueue/check_gang.py", ["-f", RES / "kueue/gang/job_partial.yaml"]),
    ("k8s-kueue/check_gang.py", ["-f", RES / "kueue/gang/pytorchjob_mismatch.yaml"]),
    ("k8s-dra/check_dra.py", ["-f", RES / "dra/check/legacy-only.yaml"]),
    ("k8s-dra/check_dra.py", ["-f", RES / "dra/check/ghost-class.yaml"]),
    ("k8s-dra/check_dra_gang.py", ["-f", RES / "dra/gang/four-by-five.yaml",
                                   "--cluster", RES / "dra/cluster-nvidia.yaml"]),
    ("k8s-gateway-gaie/analyze_traffic.py", ["-f", RES / "gateway/metrics/saturated.txt"]),
    ("k8s-gateway-gaie/analyze_traffic.py", ["-f", RES / "gateway/metrics/imbalanced.txt"]),
    ("k8s-gateway-gaie/analyze_traffic.py",
     ["-f", RES / "gateway/metrics/latency_spike_range.json"]),
    ("k8s-gateway-gaie/analyze_traffic.py",
     ["-f", RES / "gateway/metrics/errors_by_backend.json"]),
]


@pytest.mark.parametrize("script,args", RUNS, ids=[f"{s}:{Path(a[1]).name}" for s, a in RUNS])
def test_findings_carry_basis_and_inferred_ones_a_confirm_command(script, args):
    skill, name = script.split("/")
    proc = subprocess.run([sys.executable, str(ROOT / "skills" / skill / "scripts" / name),
                           *map(str, args), "--json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert findings, "the fixture should produce findings"
    for item in findings:
        assert item["basis"] in ("reported", "inferred"), item
        if item["basis"] == "inferred":
            assert item["confirm"].startswith(("kubectl ", "curl ")), item
