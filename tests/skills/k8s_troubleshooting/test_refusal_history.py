"""A controller's admission refusal that was answered is history, not the cause.

The fixtures are real: a ResourceQuota (pods: 0) refused Deployment stuck's pods
(refusal_standing.yaml), then the quota was deleted, the ReplicaSet created its pod and the
scheduler could not place it (refusal_answered.yaml). Clean-clone CI saw the same shape with
Kueue's pod webhook: a Deployment applied right after its namespace was created got
FailedCreate "admission webhook "mpod.kb.io" denied the request: Namespace ... not found"
(Kueue's cache did not hold the namespace yet), the retry created the pod, and the stale
refusal was ranked above the scheduler's verdict on the pod that exists.
"""
from __future__ import annotations

import copy

from tests.skills.k8s_troubleshooting.conftest import load

NS = "ts-answered"
# The wording of that refusal, assembled from the sources that print it:
# kueue v0.19.2 pkg/controller/jobs/pod/pod_webhook.go (PodWebhook.Default reads the Namespace
# from the manager's cache and returns its error), controller-runtime v0.24.1
# pkg/webhook/admission/defaulter_custom.go (an APIStatus error becomes the response's
# status) and pkg/cache/internal/cache_reader.go (NotFound names the Kind), k8s.io/apiserver
# pkg/admission/plugin/webhook/errors/statuserror.go ToStatusErr ("admission webhook %q
# denied the request: %s"), kubernetes pkg/controller/controller_utils.go ("Error creating: %v").
KUEUE_NOT_YET = (f'Error creating: admission webhook "mpod.kb.io" denied the request: '
                 f'Namespace "{NS}" not found')


def watcher_view(objects: list[dict]) -> list[dict]:
    """What the agent's watcher dumps: pods, Warning events, nodes (no ReplicaSets)."""
    return [o for o in objects if o["kind"] == "Pod" or o["kind"] == "Node"
            or (o["kind"] == "Event" and o.get("type") == "Warning")]


def refusals(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o["kind"] == "Event" and o.get("reason") == "FailedCreate"]


def findings(triage, objects: list[dict], *args: str) -> list[dict]:
    res = triage(objects, "--json", *args)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def by_cause(found: list[dict]) -> dict:
    return {f["cause"]: f for f in found}


def test_a_standing_refusal_is_the_cause(triage):
    top = findings(triage, load("nodes.yaml") + load("refusal_standing.yaml"), "-n", NS)[0]
    assert (top["severity"], top["cause"], top["object"]["kind"]) == (
        "error", "quota_exceeded", "ReplicaSet")


def test_an_answered_refusal_yields_to_the_scheduler_verdict(triage):
    """Read live (the ReplicaSet is there): its ReplicaFailure condition is gone."""
    found = findings(triage, load("nodes.yaml") + load("refusal_answered.yaml"), "-n", NS)
    assert (found[0]["cause"], found[0]["object"]) == (
        "unschedulable_insufficient", {"kind": "Deployment", "namespace": NS, "name": "stuck"})
    old = by_cause(found)["quota_exceeded"]
    assert old["severity"] == "info"
    assert any("no ReplicaFailure condition" in e for e in old["evidence"]), old


def test_the_watchers_view_reads_the_pod_created_since(triage):
    """No ReplicaSet in the dump: the pod created after the last refusal answers it."""
    found = findings(triage, watcher_view(load("nodes.yaml") + load("refusal_answered.yaml")),
                     "-A", "--all")
    assert found[0]["cause"] == "unschedulable_insufficient"
    old = by_cause(found)["quota_exceeded"]
    assert old["severity"] == "info" and "created at" in old["message"], old
    assert [f["cause"] for f in found if f["severity"] in ("error", "warning")] == [
        "unschedulable_insufficient"]


def test_kueues_namespace_race_is_history_once_the_pod_exists(triage):
    objects = watcher_view(load("nodes.yaml") + load("refusal_answered.yaml"))
    for event in refusals(objects):
        event["message"] = KUEUE_NOT_YET
    found = findings(triage, objects, "-A", "--all")
    assert found[0]["cause"] == "unschedulable_insufficient"
    assert by_cause(found)["admission_webhook_denied"]["severity"] == "info"


def test_a_refusal_after_the_newest_pod_still_stands(triage):
    """A scale-up the quota refuses: the pods that exist are older than the refusals."""
    objects = copy.deepcopy(watcher_view(load("nodes.yaml") + load("refusal_answered.yaml")))
    for event in refusals(objects):
        event["lastTimestamp"] = "2026-12-02T13:31:00Z"
    top = findings(triage, objects, "-A", "--all")[0]
    assert (top["severity"], top["cause"]) == ("error", "quota_exceeded")
