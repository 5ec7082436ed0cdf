"""A Workload Kueue admitted again after a preemption is not stuck: the Pending events from
before the re-admission are history. The fixture was captured from Kueue v0.19.2 on the local
cluster (two real preemptions, then re-admission once the preemptors finished); Kueue set
QuotaReserved/Admitted True at 06:04:16 after Pending events at 06:03:52-54."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills/k8s-kueue/scripts/explain_pending.py"
FIXTURE = ROOT / "tests/resources/kueue/live/preemption_readmitted.yaml"


def _run(dump: dict) -> dict:
    out = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"],
                         input=yaml.safe_dump(dump), capture_output=True, text=True, timeout=60)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def _causes(report: dict) -> list[str]:
    return [f["cause"] for f in report["findings"] if f["severity"] != "info"]


def test_readmitted_workloads_are_not_stuck():
    assert _causes(_run(yaml.safe_load(FIXTURE.read_text()))) == []


def test_without_the_re_admission_both_are_stuck_by_their_preemption():
    """The rule can fail: drop the re-admission (conditions and the newer events) and both
    Workloads are stuck again, preempted with Pending since."""
    dump = copy.deepcopy(yaml.safe_load(FIXTURE.read_text()))
    items = []
    for obj in dump["items"]:
        if obj["kind"] == "Workload":
            for cond in obj["status"]["conditions"]:
                if cond["type"] in ("QuotaReserved", "Admitted", "PodsReady"):
                    cond.update(status="False", reason="Pending")
        if obj["kind"] == "Event" and obj["reason"] in ("QuotaReserved", "Admitted") and \
                str(obj.get("lastTimestamp") or obj.get("eventTime"))[:19] >= \
                "2026-12-02T06:04:16":
            continue
        items.append(obj)
    dump["items"] = items
    assert _causes(_run(dump)) == ["preempted", "preempted"]
