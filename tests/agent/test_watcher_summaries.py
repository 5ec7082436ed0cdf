"""The watcher's summaries run in the background: N findings are published at once and
summarised by a bounded pool, not one Claude call after another.

Claude is the real Claude Code CLI (through the Agent SDK, as the service runs it) talking to
the local fake Anthropic API, which waits `LATENCY` seconds before each answer as a model's
generation does. One summary's time is measured first, on the same machine and load.
"""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from agent.config import Settings
from agent.metrics import Metrics
from agent.store import FINDINGS
from agent.watcher import DIAGNOSES, Watcher, summary_prompt
from harness.evals.fake_api import FakeAnthropicAPI
from tests.agent.test_watcher_units import STUCK, MemoryStore, Recorder

TRIAGE = next(d for d in DIAGNOSES if d.script == "triage.py")
LATENCY = 4.0
N = 4


def _finding(name: str) -> dict:
    return {**STUCK, "object": {**STUCK["object"], "name": name}}


@pytest.fixture
def fake():
    # tools=[]: the fake answers as to a side request, "Scripted run"
    with FakeAnthropicAPI([{"say": "Scripted run"}], latency=LATENCY) as api:
        yield api


def _watcher(tmp_path, fake, workers: int, budget: int = 1_000_000) -> Watcher:
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    settings = Settings(pending_minutes=0.0, summary_tokens_per_hour=budget,
                        summary_workers=workers, scripted=True)
    service = SimpleNamespace(
        settings=settings, store=MemoryStore(), metrics=Metrics(), audit=Recorder(),
        workspace=SimpleNamespace(home=home),
        environ={"ANTHROPIC_API_KEY": "scripted", "ANTHROPIC_BASE_URL": fake.url,
                 "CLAUDE_CODE_MAX_RETRIES": "0"})
    return Watcher(service, threading.Event())


def _summaries(watcher: Watcher) -> dict[str, str]:
    return {o["spec"]["objectRef"]: o["status"].get("summary")
            for o in watcher.service.store.list(FINDINGS)}


def test_n_findings_are_published_and_summarised_in_about_one_summary_time(tmp_path, fake):
    one = _watcher(tmp_path / "one", fake, workers=1)
    started = time.monotonic()
    assert len(one.reconcile(TRIAGE, [_finding("first")])) == 1
    assert one.summariser.wait_idle(120)
    single = time.monotonic() - started
    assert _summaries(one) == {"Deployment/shop/first": "Scripted run"}

    many = _watcher(tmp_path / "many", fake, workers=N)
    started = time.monotonic()
    published = many.reconcile(TRIAGE, [_finding(f"stuck-{i}") for i in range(N)])
    publishing = time.monotonic() - started
    assert many.summariser.wait_idle(120)
    summarising = time.monotonic() - started
    print(f"one summary {single:.1f}s; {N} findings published in {publishing:.2f}s, "
          f"all {N} summarised in {summarising:.1f}s")
    assert len(published) == N
    # Published before any summary could have come back (the model alone takes LATENCY).
    assert publishing < LATENCY
    assert set(_summaries(many).values()) == {"Scripted run"}
    # Overlapped, not one after another: sequential takes N x single. The model's latency is
    # what the pool overlaps; the N CLI start-ups share the machine's cores, so on 2 busy cores
    # the bound leaves room for them (measured: 13.5 s against single 5.2 s at load 10).
    assert summarising < (N - 1) * single


def test_a_finding_resolved_while_its_summary_runs_keeps_both(tmp_path, fake):
    watcher = _watcher(tmp_path, fake, workers=2)
    watcher.reconcile(TRIAGE, [_finding("brief")])
    watcher.reconcile(TRIAGE, [])           # resolved before Claude answered
    assert watcher.summariser.wait_idle(120)
    (obj,) = watcher.service.store.list(FINDINGS)
    assert obj["status"]["state"] == "Resolved"
    assert obj["status"]["summary"] == "Scripted run"


def test_the_budget_is_decided_in_publication_order_and_not_overspent(tmp_path, fake):
    # Room for exactly two summaries (each is estimated at prompt/4 + 400 tokens):
    # the first two findings get one, in order, though none has come back yet.
    watcher = _watcher(tmp_path, fake, workers=N)
    spec = {"cause": STUCK["cause"], "objectRef": "Deployment/shop/stuck-0",
            "message": STUCK["message"], "evidence": STUCK["evidence"], "fix": ""}
    estimate = len(summary_prompt(spec)) // 4 + watcher.summariser.OUTPUT_ALLOWANCE
    watcher.settings.summary_tokens_per_hour = 2 * estimate + estimate // 2
    watcher.reconcile(TRIAGE, [_finding(f"stuck-{i}") for i in range(N)])
    assert watcher.summariser.wait_idle(120)
    status = {o["spec"]["objectRef"]: o["status"]
              for o in watcher.service.store.list(FINDINGS)}
    summarised = sorted(ref for ref, s in status.items() if "summary" in s)
    skipped = sorted(ref for ref, s in status.items() if "summarySkipped" in s)
    assert summarised == ["Deployment/shop/stuck-0", "Deployment/shop/stuck-1"]
    assert skipped == ["Deployment/shop/stuck-2", "Deployment/shop/stuck-3"]
