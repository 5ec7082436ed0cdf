"""A pasted FailedScheduling that the scheduler answered later by binding the pod.

The scheduler records FailedScheduling each time it cannot place a pod, and Scheduled
("Successfully assigned NS/NAME to NODE", reason Scheduled, action Binding; kubernetes v1.37.2
pkg/scheduler/schedule_one.go:1138) once it binds it; a bound pod is never scheduled again, so a
Scheduled event newer than the last FailedScheduling makes that failure history: typically the
wait while an autoscaler (cluster-autoscaler's TriggeredScaleUp, Karpenter's Nominated
"Pod should schedule on: nodeclaim/...") brought a node up (awslabs/ai-on-eks
docs ai/inference/GPUs/stablediffusion-gpus.md, "Verify the deployment"). `kubectl describe`
lists a pod's events oldest first by lastTimestamp (kubectl v0.37.2 pkg/describe/describe.go:
4172, pkg/util/event/sorted_event_list.go:34), so with equal or missing ages the later row is
the later event. Bound and a container Started after it (the kubelet's event reason Started,
pkg/kubelet/events/event.go:22): nothing is wrong now, info. Bound with nothing after it in the
paste: a warning that says so (the wait recurs for each new pod; digitalocean/csi-digitalocean
#314, where the user asked why the cluster scaled up). Only a paste's scheduler findings are
touched: a dump's pod status decides.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.events import last_seen

SCHEDULER_CAUSES = ("volume_node_affinity",)  # besides every unschedulable_*
_AGE_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdy])")
_AGE = re.compile(r"^(?:\d+(?:\.\d+)?[smhdy])+$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}
# "NS/NAME" since 1.1x, "NAME" before; a paste may redact them ("<pod>")
_ASSIGNED = re.compile(r"\bSuccessfully assigned (\S+) to (\S+)")


def age_seconds(text: str) -> float | None:
    """kubectl's relative age ('41m', '2d3h', '5m30s') in seconds; None for '<unknown>'.

    >>> age_seconds("2d3h")
    183600.0
    """
    text = (text or "").strip()
    if not _AGE.match(text):
        return None
    return float(sum(float(n) * _UNIT[u] for n, u in _AGE_PART.findall(text)))


def later(a: tuple[int, dict[str, Any]], b: tuple[int, dict[str, Any]]) -> bool:
    """Event a (index, event) is at or after event b, in the same pasted list."""
    ta, tb = last_seen(a[1]), last_seen(b[1])
    if ta and tb and ta[:19] != tb[:19]:
        return ta[:19] > tb[:19]
    aa, ab = age_seconds(a[1].get("_lastSeen", "")), age_seconds(b[1].get("_lastSeen", ""))
    if aa is not None and ab is not None and aa != ab:
        return aa < ab
    return a[0] > b[0]


def _bound(events: list[dict[str, Any]]) -> tuple[dict[str, Any], bool] | None:
    """The Scheduled event newer than every FailedScheduling of one pod, and whether a
    container of the pod started after it (the kubelet's Started event); else None."""
    rows = list(enumerate(events))
    failed = [r for r in rows if r[1].get("reason") == "FailedScheduling"]
    bound = [r for r in rows if r[1].get("reason") == "Scheduled"
             and _ASSIGNED.search(str(r[1].get("message") or r[1].get("note") or ""))]
    if not failed or not bound or not all(later(bound[-1], f) for f in failed):
        return None
    started = any(r[1].get("reason") == "Started" and later(r, bound[-1]) for r in rows)
    return bound[-1][1], started


def resolved(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A paste's scheduler findings about a pod bound later: history (info) once its
    containers started, else a warning that says it was bound."""
    if not cluster.paste:
        return found
    pods = {k: ev for k, ev in cluster.events.items() if k[0] in ("Pod", "")}
    for (_kind, _ns, name), events in pods.items():
        bound = _bound(events)
        if not bound:
            continue
        scheduled, started = bound
        msg = str(scheduled.get("message") or scheduled.get("note") or "")
        named = _ASSIGNED.search(msg)
        who = name or (named.group(1).rpartition("/")[2] if named else "")
        for f in found:
            fname = f["object"]["name"]
            if (f["cause"].startswith("unschedulable_") or f["cause"] in SCHEDULER_CAUSES) \
                    and f["severity"] != "info" and (fname in (name, who) or
                                                     (not fname and len(pods) == 1)):
                _to_history(f, msg, scheduled.get("_lastSeen", ""), started)
    return found


def _to_history(f: dict[str, Any], msg: str, age: str, started: bool) -> None:
    when = f" {age} ago" if age else ""
    said = (f"{f['message'].replace(' cannot place it', ' could not place it')}; then the "
            f"scheduler bound it (Scheduled{when}, after the last FailedScheduling)")
    f["evidence"].append(f'reported later: "Normal Scheduled {msg[:200]}"')
    f.pop("_weight", None)
    if not started:  # bound, but the paste does not show the pod going on: the refusal
        # stays the story (each new pod waits the same way, e.g. for an autoscaler's node)
        f.update(severity="warning", message=f"{said}: it waited until a node fit it")
        return
    f.update(severity="info", basis="reported",
             message=f"{said} and its containers started: a past wait, typically while an "
                     "autoscaler added a node, not a current failure",
             fix="nothing to fix for scheduling; if the pod still misbehaves, read the events "
                 "after Started or kubectl get pod POD -n NAMESPACE -o wide")
