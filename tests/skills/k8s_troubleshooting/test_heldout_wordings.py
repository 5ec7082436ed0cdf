"""Wordings the second held-out round showed (the threads named; expected values from the
thread's resolution or the scheduler source cited in references/messages.md)."""
from __future__ import annotations

import sys
from pathlib import Path

from .conftest import run_script

sys.path[:0] = [str(Path(__file__).resolve().parents[3] / "skills" / "_shared"),
                str(Path(__file__).resolve().parents[3] / "skills" / "k8s-troubleshooting"
                    / "scripts")]
from _tshoot import schedmsg as sm


def test_headless_reasons_before_a_preemption_tail():
    # NVIDIA/k8s-device-plugin#348 (issue title): the verdict is before "preemption:", whose
    # own "0/1 nodes are available" only says preemption cannot help (v1.37.2
    # defaultpreemption/default_preemption.go)
    msg = sm.parse("Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No "
                   "preemption victims found for incoming pod.")
    assert sm.verdict(msg) == ("insufficient", "Insufficient nvidia.com/gpu")
    assert msg.preemption.startswith("0/1 nodes are available")


def test_headed_message_with_preemption_tail_unchanged():
    msg = sm.parse("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 "
                   "nodes are available: 1 No preemption victims found for incoming pod.")
    assert sm.verdict(msg) == ("insufficient", "Insufficient nvidia.com/gpu")


def test_users_words_about_a_probe_are_an_inferred_finding():
    # zalando/spilo#892: no kubelet message, the user says the readiness probe does not work
    res = run_script("triage.py", "-f", "-", "--json", stdin=(
        "The readiness does not work when path is set to /readiness . But works when "
        "updating it /patroni\n\n```\n        readinessProbe:\n          httpGet:\n"
        "            path: /readiness\n            port: 8008\n```\n"))
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("probe_failing", "inferred")
    assert "Unhealthy" in top["confirm"]
