"""--resume keeps finished records and re-runs errors only; rate limits are retried after
the API's retry-after (else a doubling backoff); the suite budget stops new runs."""
from __future__ import annotations

import json

import pytest

from harness.cli import main
from harness.evals import plan, records, runner, scenario
from harness.evals.model import RunRecord


def _fake_record(job, status: str, api_error=None, cost=0.0) -> RunRecord:
    return RunRecord.from_json({"schema_version": records.SCHEMA_VERSION, "run_id": "r",
            "scenario": {"id": job.scenario.id, "title": "t", "area": job.scenario.area,
                         "difficulty": "easy", "tags": [], "path": "."},
            "agent": job.agent, "model": "m", "skills": "on" if job.skills else "off",
            "repeat": job.repeat, "epoch": job.repeat, "status": status, "reason": status,
            "wall_seconds": 1.0, "timings": {}, "isolation_overhead_seconds": 0.1,
            "checks": [], "safeguards": [], "expect": [], "transcript": [], "turns": 1,
            "tokens": {"input": 10, "output": 1}, "cost_usd": cost, "scripted": True,
            "api_error": api_error})


@pytest.fixture
def stub_runs(monkeypatch):
    """run_one replaced: records which jobs ran; the cluster is never touched."""
    ran = []

    def run_one(kube, job, settings, budget_left=None):
        ran.append(job.key)
        record = _fake_record(job, "pass", cost=1.0)
        records.write(settings.run_dir, record)
        return record
    monkeypatch.setattr(runner, "run_one", run_one)
    monkeypatch.setattr("harness.evals.cli._kube", lambda args: None)
    monkeypatch.setattr("harness.evals.capacity.read", lambda kube: None)   # no cluster
    return ran


def test_resume_reruns_errors_and_missing_runs_only(tmp_path, stub_runs, capsys):
    argv = ["eval", "--agent", "messages", "--scripted", "-k", "missing-local-queue",
            "--skills", "both", "--epochs", "2", "--seed", "3", "--results", str(tmp_path),
            "--run-id", "first"]
    assert main(argv) == 0
    run = tmp_path / "first"
    assert len(stub_runs) == 4 and json.loads((run / "run.json").read_text())["seed"] == 3
    jobs = plan.make_jobs(scenario.discover(pattern="missing-local-queue"), "messages",
                          [True, False], 2, 3)
    failed, errored, missing = jobs[0], jobs[1], jobs[2]
    records.write(run, _fake_record(failed, "fail"))
    records.write(run, _fake_record(errored, "error"))
    (run / "scenarios" / missing.key).unlink()
    kept = (run / "scenarios" / jobs[3].key).read_text()
    stub_runs.clear()

    # exit 1: the kept `fail` record is still a failed run
    assert main(["eval", "--resume", "first", "--results", str(tmp_path)]) == 1
    assert sorted(stub_runs) == sorted([errored.key, missing.key])
    assert records.read_one(run / "scenarios" / failed.key).status == "fail"  # kept
    assert (run / "scenarios" / jobs[3].key).read_text() == kept
    assert "2 runs finished and kept, 1 errors to re-run, 1 not yet run" in \
        capsys.readouterr().err


def test_resume_of_an_unknown_run_is_a_usage_error(tmp_path, capsys):
    assert main(["eval", "--resume", "nope", "--results", str(tmp_path)]) == 2
    assert "has no run.json" in capsys.readouterr().err


def test_rate_limit_retried_after_retry_after_then_backoff(tmp_path, monkeypatch):
    outcomes = [{"status": 429, "retry_after": 3.0, "retryable": True},
                {"status": 529, "retry_after": None, "retryable": True}, None]
    waits = []

    def run_one(kube, job, settings, budget_left=None):
        api = outcomes.pop(0)
        return _fake_record(job, "error" if api else "pass", api_error=api)
    monkeypatch.setattr(runner, "run_one", run_one)
    job = plan.make_jobs(scenario.discover(pattern="missing-local-queue"), "messages",
                         [True], 1, None)[0]
    settings = runner.Settings(run_id="r", run_dir=tmp_path, model="m", backoff=15.0,
                               retries=2, sleep=waits.append, log=lambda m: None)
    record = runner.run_with_retries(None, job, settings, runner.SuiteBudget(None))
    assert waits == [3.0, 30.0]          # the API's retry-after, then 15 * 2 ** 1
    assert record.status == "pass" and record.attempts == 3


def test_non_retryable_errors_are_not_retried(tmp_path, monkeypatch):
    calls = []

    def run_one(kube, job, settings, budget_left=None):
        calls.append(1)
        return _fake_record(job, "error", api_error={"status": 400, "retry_after": None,
                                                     "retryable": False})
    monkeypatch.setattr(runner, "run_one", run_one)
    job = plan.make_jobs(scenario.discover(pattern="missing-local-queue"), "messages",
                         [True], 1, None)[0]
    settings = runner.Settings(run_id="r", run_dir=tmp_path, model="m", log=lambda m: None,
                               sleep=lambda s: None)
    assert runner.run_with_retries(None, job, settings, runner.SuiteBudget(None)).attempts == 1
    assert len(calls) == 1


def test_suite_budget_stops_starting_runs(tmp_path, stub_runs):
    jobs = plan.make_jobs(scenario.discover(pattern="missing-local-queue"), "messages",
                          [True, False], 3, 1)
    settings = runner.Settings(run_id="r", run_dir=tmp_path, model="m", log=lambda m: None)
    budget = runner.SuiteBudget(2.5)     # each stub run costs $1
    done = runner.run_all(None, jobs, settings, parallel=1, budget=budget)
    assert len(done) == 3 and budget.skipped == 3 and budget.spent == 3.0
