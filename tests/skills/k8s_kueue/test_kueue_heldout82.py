"""Held-out round 82 (Kueue): Kueue's own Workload webhook refusing a lowered
status.reclaimablePods during an eviction, and a job kind's webhook answering 404.

Ground truth:
- kubernetes-sigs/kueue#1215 (a Volcano Job integration, controller-runtime v0.15.0): the job
  reconciler's "Reconciler error" `admission webhook "vworkload.kb.io" denied the request:
  status.reclaimablePods[main]: Required value: cannot be removed` while the job was being
  preempted; the eviction got stuck (fixed by PR #1277). The refusal: Kueue
  pkg/webhooks/workload_webhook.go validateReclaimablePodsUpdate (l.397/403 @v0.6.3 "cannot be
  less then %d" / "cannot be removed"; l.448/454 @v0.19.2 "cannot be less than %d"); the job
  reconciler updates reclaimable pods (step 4) before it handles an eviction (step 6) and
  returns on the error (pkg/controller/jobframework/reconciler.go:328-345 @v0.6.3).
- kubernetes-sigs/kueue#2987 (main before v0.9.0): every Deployment create/update refused with
  `failed calling webhook "vdeployment.kb.io": failed to call webhook: the server could not find
  the requested resource`: the deployment integration was not imported (PR #2988). Kueue
  registers a (no-op) webhook for every integration it is built with (jobframework/setup.go:85
  @v0.6.3, :109 @v0.19.2), so a job kind's path answering 404 is a build without it.
- Near miss kueue#1700: `vadmissioncheck.kb.io` (Kueue's own kind) answering 404 while the
  manager restarted before its certificates: kueue_controller_down (messages.py), first.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import SCRIPTS
from .test_kueue_heldout75 import _findings

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue import reclaimable_denied, unregistered_webhook  # noqa: E402


def _eviction(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_eviction.py"), "-f", "-",
                           "--json"], input=text, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


# kueue#1215, the log record and the reporter's own sentence, as the issue gives them
RECONCILER_ERROR = (
    '{"level":"error","ts":"2023-10-16T12:47:55.770288657Z","caller":"controller/controller.go:'
    '324","msg":"Reconciler error","controller":"job","controllerGroup":"batch.volcano.sh",'
    '"controllerKind":"Job","Job":{"name":"hobot-job-xxx","namespace":"cpu-preempt"},'
    '"namespace":"cpu-preempt","name":"hobot-job-xxx","reconcileID":"f4abf36a-f5f2-4ec0-bbae-'
    '31b49cfef394","error":"admission webhook \\"vworkload.kb.io\\" denied the request: '
    'status.reclaimablePods[main]: Required value: cannot be removed"}\n\n'
    "2. At this time, queue A is preempted by the task of queue B will happen this webhook "
    "failure\n")


def test_the_refused_reclaimable_pods_keep_the_eviction_from_landing():
    found = _eviction(RECONCILER_ERROR)
    assert [f["cause"] for f in found] == ["admission_webhook_denied", "preempted"]
    first = found[0]
    assert first["basis"] == "reported"
    # the object the controller-runtime record names under its kind's key
    assert (first["object"]["kind"], first["object"]["namespace"], first["object"]["name"]) \
        == ("Job", "cpu-preempt", "hobot-job-xxx")
    assert "before it handles an eviction" in first["message"]
    assert "#1277" in first["fix"]


def test_the_same_record_in_explain_pending_is_the_webhook_denial():
    assert _findings(RECONCILER_ERROR)[0]["cause"] == "admission_webhook_denied"


# another wording and encoding: v0.19's "cannot be less than" in zap's console encoding, the
# reconciler's own "Updating reclaimable pods" line (reconciler.go:339 @v0.6.3)
CONSOLE_LESS_THAN = (
    "2025-03-02T10:11:12Z\tERROR\tUpdating reclaimable pods\t{\"controller\": \"jobset\", "
    "\"namespace\": \"team-a\", \"name\": \"train\", \"error\": \"admission webhook "
    "\\\"vworkload.kb.io\\\" denied the request: status.reclaimablePods[worker].count: Invalid "
    "value: 0: cannot be less than 3\"}\n")


@pytest.mark.parametrize("message", [
    'admission webhook "vworkload.kb.io" denied the request: status.reclaimablePods[w].count: '
    "Invalid value: 1: cannot be less then 4",   # v0.6-v0.17's typo
    'admission webhook "vworkload.kb.io" denied the request: status.reclaimablePods[main]: '
    "Required value: cannot be removed",
])
def test_both_refusals_of_every_release_are_read(message):
    assert reclaimable_denied.said(message)


def test_a_console_log_with_the_newer_wording_is_the_denial_too():
    found = _eviction(CONSOLE_LESS_THAN)
    assert found[0]["cause"] == "admission_webhook_denied"
    assert found[0]["object"]["name"] == "train"


def test_reclaimable_pods_without_a_refusal_keep_the_preemption():
    # a Workload status that merely lists reclaimable pods, and the report's word "preempted"
    text = ("status:\n  reclaimablePods:\n  - name: main\n    count: 2\n\n"
            "my job was preempted by a job of another queue\n")
    assert not reclaimable_denied.said(text)
    causes = [f["cause"] for f in _eviction(text)]
    assert "admission_webhook_denied" not in causes


def test_another_field_refused_by_the_workload_webhook_is_not_this_rule():
    assert not reclaimable_denied.said(
        'admission webhook "vworkload.kb.io" denied the request: spec.podSets: Invalid value: '
        '"[]": field is immutable')


# kueue#2987, as the issue quotes kubectl
DEPLOYMENT_404 = (
    "1. Installed kueue using the following commands:\n"
    "IMAGE_REGISTRY=<registry> make  image-local-push deploy\n\n"
    "Error from server (InternalError): Internal error occurred: failed calling webhook "
    '"vdeployment.kb.io": failed to call webhook: the server could not find the requested '
    "resource\n")


def test_a_job_kinds_webhook_answering_404_is_a_build_without_that_integration():
    first = _findings(DEPLOYMENT_404)[0]
    assert (first["cause"], first["severity"], first["basis"]) == ("kueue_bug", "warning",
                                                                  "reported")
    assert "vdeployment.kb.io" in first["message"]
    assert "#2988" in first["fix"]
    assert "Registering webhook" in first["confirm"]


def test_the_same_404_as_a_client_prints_a_status_with_escaped_quotes():
    # another form: kubectl apply's "error when creating" and a mutating StatefulSet webhook
    text = ('Error from server (InternalError): error when creating "sts.yaml": Internal error '
            'occurred: failed calling webhook \\"mstatefulset.kb.io\\": failed to call webhook: '
            "the server could not find the requested resource\n")
    first = _findings(text)[0]
    assert first["cause"] == "kueue_bug"
    assert "mstatefulset.kb.io" in first["message"]


def test_kueues_own_kind_answering_404_too_puts_the_manager_down_first():
    # kueue#1700's line beside a job kind's: every path 404s while the manager starts
    text = ('Internal error occurred: failed calling webhook "vadmissioncheck.kb.io": failed to '
            "call webhook: the server could not find the requested resource\n"
            'Internal error occurred: failed calling webhook "vjob.kb.io": failed to call '
            "webhook: the server could not find the requested resource\n")
    causes = [f["cause"] for f in _findings(text)]
    assert causes[0] == "kueue_controller_down"
    assert "kueue_bug" in causes


def test_a_pod_webhook_404_without_kueue_named_is_not_kueues():
    # JobSet and LeaderWorkerSet ship mpod/vpod.kb.io as well
    line = ('failed calling webhook "vpod.kb.io": failed to call webhook: the server could not '
            "find the requested resource")
    assert unregistered_webhook.findings([line]) == []
    assert unregistered_webhook.findings([line, "installed with kueue's manifests"])


def test_a_job_webhook_refusing_connections_stays_the_controller_down():
    text = ('Error from server (InternalError): Internal error occurred: failed calling webhook '
            '"vdeployment.kb.io": failed to call webhook: Post "https://kueue-webhook-service.'
            'kueue-system.svc:443/validate-apps-v1-deployment?timeout=10s": dial tcp '
            "10.96.0.9:443: connect: connection refused\n")
    assert unregistered_webhook.findings([text]) == []
    assert _findings(text)[0]["cause"] == "kueue_controller_down"
