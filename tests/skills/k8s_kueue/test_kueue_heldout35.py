"""Held-out round 35 (Kueue): a report that a Workload got QuotaReserved where admission checks
are in use and is not admitted is a Workload waiting for its checks (v0.5+: Admitted needs
QuotaReserved and every check Ready; kubernetes-sigs/kueue#1392, whose "Admitted" event fired
at quota reservation)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"

KUEUE_1392 = ("When using admission checks, and the Workload gets the QuotaReserved, we get an "
              "event:\n\n```\nNormal  Admitted  5m57s  kueue-admission  Admitted by ClusterQueue "
              "dws-cluster-queue, wait time was 0s\n```\n\nThis is not accurate, as at this point "
              "the workload is not admitted.\n")


def _first(text: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"][0]


def test_quota_reserved_under_admission_checks_waits_for_them():
    top = _first(KUEUE_1392)
    assert top["cause"] == "admission_check_pending" and top["basis"] == "inferred", top


def test_quota_reserved_without_checks_is_not_that():
    text = ("The Workload gets the QuotaReserved condition and then runs.\n\nNormal  Admitted  "
            "5m57s  kueue-admission  Admitted by ClusterQueue cq, wait time was 0s\n")
    assert _first(text)["cause"] != "admission_check_pending"
