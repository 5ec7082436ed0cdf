"""A JobSet's follower pods refused because their leader pod is not scheduled yet.

With exclusive placement (annotation alpha.jobset.sigs.k8s.io/exclusive-topology) JobSet's
pod webhooks place a child Job's pods in the topology domain of its leader, the pod of
completion index 0: the mutating webhook mpod.kb.io copies the leader's node's topology label
into each follower's nodeSelector, and when it cannot - no leader pod (`expected 1 leader pod
(NAME), but got 0. this is an expected, transient error`, logged as `finding leader pod for
follower`), or a leader with no node yet - it lets the follower through untouched, and the
validating webhook vpod.kb.io refuses it: `follower pod node selector not set` (a follower
with no nodeSelector), `follower pod node selector for topology domain not found. missing
selector: KEY` (one whose template has a nodeSelector of its own), `leader pod not yet
scheduled, not creating follower pod. this is an expected, transient error` (sigs.k8s.io/
jobset v0.12.0 pkg/webhooks/pod_webhook.go:149-157,224-237,282; v0.5.2 and v0.8.0 the same
in pod_admission_webhook.go / pod_mutating_webhook.go; v0.3.0 `incorrect number of leader
pods for this job (expected 1, got %d)` and `... not creating follower pod %q`). The Job
controller records the refusal as FailedCreate and retries, so the refusal is the symptom:
while the leader stays unscheduled (Pending for capacity, quota, taints, or a domain another
JobSet holds exclusively) no follower is created (JobSet troubleshooting guide, "Follower pods
rejected with follower pod node selector not set", kubernetes-sigs/jobset#1189).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_FOLLOWER_REFUSED = re.compile(r"follower pod node selector (?:not set|for topology domain not "
                               r"found)|leader pod not yet scheduled, not creating follower pod")
# the mutating webhook's lookup: the leader's name without the pod's random suffix, and how
# many pods carry it; more than one is another fault (two live leaders), not a late leader
_LEADER_COUNT = re.compile(r"expected 1 leader pod \((?P<name>[^)\s]*)\)+, but got (?P<got>\d+)|"
                           r"incorrect number of leader pods for this job \(expected 1, got "
                           r"(?P<old>\d+)\)")


def findings(lines: list[str]) -> list[dict[str, Any]]:
    """master_not_ready when JobSet's webhook refuses follower pods for want of a scheduled
    leader; [] when the lookup found several leaders or nothing of it is said."""
    refused = [_flat(line) for line in lines if _FOLLOWER_REFUSED.search(str(line))]
    counts = [(m, _flat(line)) for line in lines
              for m in [_LEADER_COUNT.search(str(line))] if m]
    if any(int(m.group("got") or m.group("old")) > 1 for m, _ in counts):
        return []
    missing = [(m, line) for m, line in counts if int(m.group("got") or m.group("old")) == 0]
    if not refused and not missing:
        return []
    leader = next((m.group("name") for m, _ in missing if m.group("name")), "")
    state = ("does not exist (yet)" if missing else "has no node yet (or does not exist)")
    who = f"leader pod {leader}" if leader else "its leader pod (completion index 0)"
    evidence = (refused[:1] + [line for _, line in missing][:1]) or refused[:2]
    return [finding(
        "warning", "master_not_ready", {"kind": "Pod", "name": leader},
        f"JobSet's exclusive placement admits a child Job's follower pods only once the Job's "
        f"leader pod (completion index 0) is scheduled, and {who} {state}: its pod webhook "
        "refuses the followers (FailedCreate) until it is; the refusal is the symptom",
        evidence,
        "find the leader pod (kubectl get pods -n NAMESPACE -l jobset.sigs.k8s.io/jobset-name="
        "JOBSET -o wide: the pods named <jobset>-<replicated job>-<job index>-0-<suffix>) and "
        "read why it is Pending (kubectl describe pod: FailedScheduling - capacity, quota, "
        "taints, or every topology domain held by another JobSet's exclusive placement); fix "
        "that, not the webhook. Refusals that stop once the leader is scheduled are expected",
        basis="reported")]


def _flat(line: str) -> str:
    return " ".join(str(line).split())[:300]
