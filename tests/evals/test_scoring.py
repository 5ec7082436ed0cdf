"""pass | fail | error, control verdicts and expected answer points."""
from __future__ import annotations

from dataclasses import replace

from harness.evals import scoring
from harness.evals.model import CheckResult, RunRecord, ScenarioRef

PASS = CheckResult("c", {}, "pass", "ok")
FAIL = CheckResult("pod_phase", {}, "fail", "0/1 Running")
ERROR = CheckResult("exists", {}, "error", "apiserver unreachable")


def test_all_hold_is_pass():
    assert scoring.score([PASS], [PASS], [PASS])[0] == "pass"


def test_failed_check_is_fail_with_reason():
    assert scoring.score([PASS, FAIL], [PASS], []) == ("fail", "check pod_phase: 0/1 Running")


def test_failed_safeguard_fails_even_when_fixed():
    status, reason = scoring.score([PASS], [replace(FAIL, check="uid_unchanged job/x")], [])
    assert status == "fail" and reason.startswith("safeguard uid_unchanged")


def test_infrastructure_error_wins_over_fail():
    assert scoring.score([FAIL, ERROR], [], [])[0] == "error"
    assert scoring.score([FAIL], [], [], error="setup did not become ready")[0] == "error"


def test_budget_exceeded_is_fail():
    assert scoring.score([PASS], [], [], budget_exceeded="turns (25)") == \
        ("fail", "budget exceeded: turns (25)")


def test_expect_points_are_case_insensitive_regexes():
    results = scoring.expect_results(["LocalQueue", {"any_of": ["quota", "nominal"]}],
                                     "created the localqueue training")
    assert [r.status for r in results] == ["pass", "fail"]
    assert scoring.score([PASS], [], results)[0] == "fail"


def test_control_verdicts():
    assert scoring.control_verdict("fail", "pass")[0] == "ok"
    verdict, reason = scoring.control_verdict("pass", "pass")
    assert verdict == "broken" and "the fault is not real" in reason
    verdict, reason = scoring.control_verdict("fail", "fail")
    assert verdict == "broken" and "reference fix fail" in reason
    assert scoring.control_verdict("error", "pass")[0] == "error"


def test_control_verdicts_with_a_dodge():
    assert scoring.control_verdict("fail", "pass", "fail") == (
        "ok", "none fails, reference passes, dodge fails")
    verdict, reason = scoring.control_verdict("fail", "pass", "pass")
    assert verdict == "broken" and "the dodge passed" in reason
    verdict, reason = scoring.control_verdict("fail", "pass", "fail-answer-only")
    assert verdict == "broken" and "no check or safeguard caught it" in reason
    assert scoring.control_verdict("fail", "pass", "error")[0] == "error"
    assert scoring.control_verdict("fail", "pass", None)[0] == "broken"


def _dodge(checks, safeguards=(), expect=(), status="fail"):
    return RunRecord("r", ScenarioRef("s"), "dodge", "on", 1, status, "",
                     checks=list(checks), safeguards=list(safeguards), expect=list(expect))


def test_dodge_outcome_counts_only_checks_and_safeguards():
    failed, passed = FAIL, PASS
    assert scoring.dodge_outcome(_dodge([failed])) == "fail"
    assert scoring.dodge_outcome(_dodge([passed], [failed])) == "fail"
    assert scoring.dodge_outcome(_dodge([passed], [passed], [failed])) == "fail-answer-only"
    assert scoring.dodge_outcome(_dodge([], status="pass")) == "pass"
