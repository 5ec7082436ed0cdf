"""The watcher's bookkeeping, with a stand-in store: a finding is published once it has
lasted `pending_minutes`, once only (the Finding resource's name is the dedup key, as a new
leader would see it), and marked Resolved when the skill stops reporting it."""
from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from agent.config import Settings
from agent.metrics import Metrics
from agent.store import Conflict
from agent.watcher import DIAGNOSES, Watcher


class MemoryStore:
    def __init__(self):
        self.objects = {}

    def create(self, kind, name, spec, status=None, labels=None):
        if name in self.objects:
            raise Conflict(name)
        self.objects[name] = {"metadata": {"name": name}, "spec": spec, "status": status or {}}
        return self.objects[name]

    def get(self, kind, name):
        return self.objects[name]

    def replace_status(self, kind, obj):
        self.objects[obj["metadata"]["name"]] = obj
        return obj

    def list(self, kind):
        return list(self.objects.values())


class Recorder:
    def __init__(self):
        self.records = []

    def record(self, *args, **kwargs):
        self.records.append((args, kwargs))


@pytest.fixture
def watcher():
    service = SimpleNamespace(settings=Settings(pending_minutes=0.0, summary_tokens_per_hour=0),
                              store=MemoryStore(), metrics=Metrics(), audit=Recorder())
    return Watcher(service, threading.Event())


TRIAGE = next(d for d in DIAGNOSES if d.script == "triage.py")
STUCK = {"severity": "error", "cause": "unschedulable_insufficient", "message": "no node",
         "object": {"kind": "Deployment", "namespace": "shop", "name": "stuck"},
         "evidence": ["0/8 nodes are available: 8 Insufficient nvidia.com/gpu."]}


def test_published_once_then_deduplicated(watcher):
    assert len(watcher.reconcile(TRIAGE, [STUCK])) == 1
    assert watcher.reconcile(TRIAGE, [STUCK]) == []
    fresh = Watcher(watcher.service, threading.Event())  # a new leader, empty memory
    assert fresh.reconcile(TRIAGE, [STUCK]) == []
    (obj,) = watcher.service.store.objects.values()
    assert obj["status"]["state"] == "Open" and obj["spec"]["objectRef"] == \
        "Deployment/shop/stuck"
    assert "token budget" in obj["status"]["summarySkipped"]  # budget 0: Claude not called


def test_not_published_before_it_lasted(watcher):
    watcher.settings.pending_minutes = 10
    assert watcher.reconcile(TRIAGE, [STUCK]) == []
    assert not watcher.service.store.objects


def test_resolved_when_the_skill_stops_reporting_it_and_reopened_later(watcher):
    watcher.reconcile(TRIAGE, [STUCK])
    watcher.reconcile(TRIAGE, [])
    (obj,) = watcher.service.store.objects.values()
    assert obj["status"]["state"] == "Resolved"
    assert len(watcher.reconcile(TRIAGE, [STUCK])) == 1
    assert obj["status"]["state"] == "Open" and obj["status"]["reopened"]


def test_info_findings_are_not_problems(watcher):
    assert watcher.reconcile(TRIAGE, [{**STUCK, "severity": "info"}]) == []
