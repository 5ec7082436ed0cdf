"""Health of the components a scenario depends on, and what it does to a run's outcome; and
Ctrl-C of a suite (no new run starts, runs in progress stop and are marked interrupted).

The answers the fakes give are the real components' own words:
- the Kueue message is what kube-apiserver v1.37.2 answered a dry-run ResourceFlavor once
  Kueue v0.19.2's process was killed (tests/live/test_evals_faults_live.py printed it);
- `/readyz?verbose` lines are k8s.io/apiserver's healthz format (pkg/server/healthz/
  healthz.go: "[+]%s ok" and "[-]%s failed: reason withheld").
"""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from harness.evals import health, runner, scenario
from harness.evals.errors import InfraError
from harness.evals.model import CheckResult, RunRecord, ScenarioRef
from harness.evals.kube import Resource

KUEUE_DOWN = ('Internal error occurred: failed calling webhook "mresourceflavor.kb.io": failed '
              'to call webhook: Post "https://127.0.0.1:42055/mutate-kueue-x-k8s-io-v1beta2-'
              'resourceflavor?timeout=10s": dial tcp 127.0.0.1:42055: connect: connection '
              'refused')
READYZ_ETCD_DOWN = ("[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n"
                    "[+]poststarthook/start-apiserver-admission-initializer ok\n"
                    "readyz check failed\n")
FLAVORS = Resource("kueue.x-k8s.io/v1beta2", "resourceflavors", False, "ResourceFlavor")


class FakeKube:
    """Answers in order from `readyz` and `dry_run` (the last one repeats)."""

    def __init__(self, readyz=((200, "ok"),), dry_run=((201, {}),), kueue=True,
                 storage=((200, {}),)):
        self.readyz, self.dry_run, self.kueue = list(readyz), list(dry_run), kueue
        self.storage = list(storage)
        self.requests: list[tuple] = []

    def _next(self, answers):
        answer = answers[0] if len(answers) == 1 else answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_raw(self, path):
        return self._next(self.readyz)

    def request(self, method, path, body=None, timeout=30):
        self.requests.append((method, path, body))
        if path == "/api/v1/namespaces/default":
            return self._next(self.storage)
        return self._next(self.dry_run)

    def resource(self, kind):
        return FLAVORS if self.kueue else None


def test_kueue_down_is_seen_through_its_webhook_on_a_dry_run_resourceflavor():
    kube = FakeKube(dry_run=[(500, {"message": KUEUE_DOWN})])
    api, kueue = health.probe(kube, [health.APISERVER, health.KUEUE])
    assert api.healthy is True
    assert kueue.healthy is False and "connection refused" in kueue.detail
    method, path, body = kube.requests[0]
    assert (method, path) == ("POST", "/apis/kueue.x-k8s.io/v1beta2/resourceflavors?dryRun=All")
    assert body["kind"] == "ResourceFlavor"


def test_kueue_up_answers_the_dry_run():
    [_, kueue] = health.probe(FakeKube(dry_run=[(201, {})]), [health.KUEUE])
    assert kueue.healthy is True


def test_a_forbidden_dry_run_cannot_tell_and_is_not_an_outage():
    kube = FakeKube(dry_run=[(403, {"message": "resourceflavors is forbidden"})])
    [_, kueue] = health.probe(kube, [health.KUEUE])
    assert kueue.healthy is None and health.outages([kueue]) == []


def test_etcd_lost_shows_in_the_apiservers_readyz_and_is_named_etcd():
    api, etcd = health.probe(FakeKube(readyz=[(500, READYZ_ETCD_DOWN)]), [health.ETCD])
    assert api.healthy is True and "not ready: etcd failed" in api.detail
    assert etcd.healthy is False and "etcd failed" in etcd.detail


def test_etcd_lost_before_readyz_notices_shows_in_a_read_from_storage():
    """kube-apiserver v1.37.2 kept /readyz at 200 for ~35 s after etcd was killed."""
    kube = FakeKube(storage=[InfraError("GET /api/v1/namespaces/default: ReadTimeoutError")])
    _, etcd = health.probe(kube, [health.ETCD])
    assert etcd.healthy is False and "did not answer" in etcd.detail
    _, etcd = health.probe(FakeKube(), [health.ETCD])
    assert etcd.healthy is True


def test_apiserver_unreachable_and_kueue_not_asked():
    kube = FakeKube(readyz=[InfraError("GET /readyz?verbose: MaxRetryError: refused")])
    api, kueue = health.probe(kube, [health.KUEUE])
    assert api.healthy is False and "unreachable" in api.detail
    assert kueue.healthy is None and kube.requests == []


def test_dependencies_come_from_the_scenarios_files():
    [kueue_one] = scenario.discover(pattern="missing-local-queue")
    [crash] = [s for s in scenario.discover(pattern="crash-loop") if s.id == "crash-loop"]
    assert health.dependencies(kueue_one) == [health.APISERVER, health.ETCD, health.KUEUE]
    # crash-loop's pods run on the real node (nodeSelector k8s-skills.io/node-kind: real)
    assert health.dependencies(crash) == [health.APISERVER, health.ETCD, health.KUBELET]


def _monitor(kube, seen=()):
    monitor = health.Monitor(kube, [health.KUEUE], interval=0.05)
    monitor.seen.extend(seen)
    return monitor


def _check(status):
    return [CheckResult("workload_admitted", {}, status, "not admitted")]


def test_a_failed_check_while_kueue_is_down_is_an_outage_and_so_an_error():
    verdict = runner._health_verdict(_monitor(FakeKube(dry_run=[(500, {"message": KUEUE_DOWN})])),
                                     _check("fail"))
    assert verdict["outage"].startswith("kueue was down when the checks ran")


def test_a_failed_check_with_everything_up_stays_a_fail():
    verdict = runner._health_verdict(_monitor(FakeKube()), _check("fail"))
    assert "outage" not in verdict and verdict["after_failed_check"]


def test_an_outage_seen_during_the_run_counts_even_if_the_component_came_back():
    down = health.Health(health.KUEUE, False, "its webhook does not answer", 4.0)
    verdict = runner._health_verdict(_monitor(FakeKube(), [down]), _check("fail"))
    assert "kueue was down" in verdict["outage"] and "(at 4 s)" in verdict["outage"]


def test_passing_checks_are_not_turned_into_errors_by_an_outage():
    down = health.Health(health.KUEUE, False, "its webhook does not answer", 4.0)
    verdict = runner._health_verdict(_monitor(FakeKube(), [down]), _check("pass"))
    assert "outage" not in verdict and verdict["outages_seen"]


def test_the_monitor_keeps_two_failed_probes_in_a_row_not_one_slow_answer():
    blip = FakeKube(dry_run=[(500, {"message": KUEUE_DOWN})] + [(201, {})] * 3)
    with _monitor(blip) as monitor:
        time.sleep(0.5)
    assert monitor.seen == []
    dead = FakeKube(dry_run=[(201, {})] + [(500, {"message": KUEUE_DOWN})] * 3)
    with _monitor(dead) as monitor:
        time.sleep(0.5)
    assert [h.component for h in monitor.seen] == [health.KUEUE]


def test_ctrl_c_starts_no_new_run_and_stops_the_runs_in_progress(tmp_path, monkeypatch):
    started: list[str] = []

    lock = threading.Lock()

    def run_one(kube, job, settings, budget_left=None):
        with lock:
            started.append(job.label)
            if len(started) == 2:   # both workers busy: Ctrl-C now, as a terminal sends it
                os.kill(os.getpid(), signal.SIGINT)
        state = runner._State(started="now", stop=settings.stop)
        interrupted = False
        try:
            state.sleep(60)        # a long check poll, cut short by the stop
        except InfraError:
            interrupted = True
        return RunRecord("t", ScenarioRef(job.scenario.id), job.agent, "on", 1, "error", "x",
                         interrupted=interrupted)

    monkeypatch.setattr(runner, "run_one", run_one)
    monkeypatch.setattr(runner.records, "write", lambda run_dir, record: None)
    found = scenario.discover(pattern="kueue")
    jobs = [runner.Job(s, "reference", True) for s in found[:6]]
    settings = runner.Settings(run_id="t", run_dir=tmp_path, model="-", log=lambda m: None)
    # The signal is sent from inside the second run (not by a timer started before the call):
    # under load a timer could fire before run_all was entered or before both runs started.
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        runner.run_all(None, jobs, settings, parallel=2)
    assert time.monotonic() - start < 10
    assert len(started) == 2 and settings.stop.is_set()
