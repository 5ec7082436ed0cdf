"""A paste that is a report in words is answered with `not_evaluated`, not refused.

REPORT is a plea in the shape of an issue template (markdown headings and sentences, no kubectl
output, no component message): nothing in it decides a cause. The scripts whose loaders raise
the kit's ProseOnly must say the cause is not decided and what to paste, with exit 0 (k8s-dra
and k8s-gateway-gaie answer reports about their own area with their own findings:
tests/skills/k8s_dra/test_dra_prose.py, tests/skills/k8s_gateway_gaie/test_gateway_round9.py);
text that is neither objects nor a person's words stays exit 2 everywhere.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))
from k8s_skillkit.prose import is_report  # noqa: E402

SKILLS = Path(__file__).resolve().parents[2] / "skills"

REPORT = """## What happened?

Since the upgrade last week none of our jobs start, and nobody changed the manifests.

## What did you expect to happen?

The jobs run as they did before.
"""

SCRIPTS = ["k8s-kueue/explain_pending.py", "k8s-troubleshooting/triage.py",
           "k8s-rbac/audit_rbac.py"]
EVERY_PASTE_READER = SCRIPTS + ["k8s-dra/explain_claim.py", "k8s-dra/check_dra.py",
                                "k8s-gateway-gaie/check_routes.py"]


def _run(script: str, text: str) -> subprocess.CompletedProcess[str]:
    skill, name = script.split("/")
    return subprocess.run([sys.executable, str(SKILLS / skill / "scripts" / name), "-f", "-",
                           "--json"],
                          input=text, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_report_in_words_is_answered_not_refused(script: str) -> None:
    proc = _run(script, REPORT)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f["cause"] for f in findings] == ["not_evaluated"]
    assert findings[0]["severity"] == "info" and findings[0]["confirm"].startswith(
        ("kubectl", "the whole Forbidden")), findings[0]


@pytest.mark.parametrize("script", EVERY_PASTE_READER)
@pytest.mark.parametrize("text", ["apiVersion: v1\nkind: [Pod\n", "%%%\n@@@ ###\n", "help\n"])
def test_text_that_is_not_prose_stays_bad_input(script: str, text: str) -> None:
    proc = _run(script, text)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_sentences_make_a_report_and_fields_or_tables_do_not() -> None:
    assert is_report(REPORT.splitlines())
    assert is_report(["my pods are broken, please help"])
    assert not is_report("status:\n  conditions:\n  - type: Ready\n    status: 'False'".splitlines())
    assert not is_report(["web-0  0/1     Pending   0          5m"])
