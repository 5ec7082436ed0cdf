"""Reports are rebuilt from the per-scenario JSON alone (no cluster, no rerun)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from harness.cli import main
from harness.evals import records, report
from tests.evals.conftest import load_json


def test_write_reports_from_records(records_run):
    summary = report.write_reports([records_run])
    assert summary["schema_version"] == records.SCHEMA_VERSION
    assert (summary["total"], summary["pass"], summary["fail"], summary["error"]) == (8, 5, 2, 1)
    assert summary["by_area"]["kueue"] == {"total": 3, "pass": 2, "fail": 1, "error": 0}
    assert summary["scripted"] is True
    assert summary["tokens_per_resolved"] == round((15300 + 9200 + 30900) / 5)
    on_off = summary["by_arm"]
    assert on_off["claude-code, skills on (scripted)"]["pass"] == 2
    assert on_off["claude-code, skills off (scripted)"]["fail"] == 1
    assert load_json(records_run / "summary.json") == summary


def test_validation_verdicts_from_control_records(records_run):
    validation = report.write_reports([records_run])["validation"]
    assert validation["ok"] == 1
    assert validation["broken"] == ["image-pull"]  # `none` passed: the fault is not real


def test_junit_counts_failures_and_errors(records_run):
    report.write_reports([records_run])
    root = ET.parse(records_run / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    scripted = suites["claude-code, skills on (scripted)"]
    assert (scripted.get("tests"), scripted.get("failures"), scripted.get("errors")) == \
        ("3", "0", "1")
    error = scripted.find("testcase[@name='not-enough-devices#r1']/error")
    assert "connection refused" in error.get("message")


def test_html_is_self_contained_with_charts_and_scripted_banner(records_run):
    report.write_reports([records_run])
    page = (records_run / "report.html").read_text()
    assert page.count("<svg") >= 4
    assert "Skills on vs off" in page and "Tokens and cost per resolved fault" in page
    assert "SCRIPTED" in page and "not a model" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "<b>now</b>" not in page  # answers are escaped


def test_report_command_rebuilds_the_newest_run(records_run, capsys):
    code = main(["report", "--results", str(records_run.parent)])
    out = capsys.readouterr().out
    assert code == 0
    assert "5/8 passed, 2 failed, 1 errors" in out and "SCRIPTED" in out
    assert f"report: {records_run / 'report.html'}" in out
    assert (records_run / "junit.xml").is_file()


def test_report_json_prints_one_document(records_run, capsys):
    assert main(["report", str(records_run), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 8


def test_report_refuses_unknown_schema(records_run, capsys):
    path = next((records_run / "scenarios").glob("*.json"))
    data = load_json(path)
    data["schema_version"] = 99
    path.write_text(json.dumps(data))
    assert main(["report", str(records_run)]) == 2
    assert "schema_version 99" in capsys.readouterr().err


def test_report_without_runs_is_a_clear_error(tmp_path, capsys):
    assert main(["report", "--results", str(tmp_path)]) == 2
    assert "no runs in" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["a b/c", "../x"])
def test_run_ids_are_safe_folder_names(name):
    assert "/" not in records.safe_run_id(name) and " " not in records.safe_run_id(name)


def _add_dodge(run, scenario: str, status: str, checks_fail: bool) -> None:
    """A dodge record made from the scenario's reference record (same shape, other agent)."""
    src = load_json(run / "scenarios" / f"{scenario}__reference__skills-on__r1.json")
    src["agent"], src["status"] = "dodge", status
    src["checks"] = [dict(c, status="fail" if checks_fail else "pass") for c in src["checks"]]
    src["expect"] = [{"check": "answer mentions x", "status": "fail", "detail": ""}]
    (run / "scenarios" / f"{scenario}__dodge__skills-on__r1.json").write_text(json.dumps(src))


def test_validation_needs_the_dodge_to_fail_on_a_check(records_run):
    _add_dodge(records_run, "crash-loop", "fail", checks_fail=True)
    _add_dodge(records_run, "image-pull", "fail", checks_fail=False)
    validation = report.write_reports([records_run])["validation"]
    assert validation["ok"] == 1
    crash, pull = validation["scenarios"]["crash-loop"], validation["scenarios"]["image-pull"]
    assert crash["dodge"] == "fail" and crash["verdict"] == "ok"
    assert pull["dodge"] == "fail-answer-only" and pull["verdict"] == "broken"
    assert "<th>dodge</th>" in (records_run / "report.html").read_text()


def test_validation_of_a_run_with_dodge_records_wants_one_per_scenario(records_run):
    _add_dodge(records_run, "crash-loop", "fail", checks_fail=True)
    validation = report.write_reports([records_run])["validation"]
    assert "image-pull" in validation["broken"]   # no dodge record: "the dodge did not run"
