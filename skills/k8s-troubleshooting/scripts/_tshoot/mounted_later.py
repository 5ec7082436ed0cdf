"""A pasted volume attach/mount failure that the pod's later events answer.

The attach-detach controller records FailedAttachVolume on the pod while it cannot attach a
volume (Multi-Attach of a ReadWriteOnce volume still attached elsewhere: "Multi-Attach error
for volume %q Volume is already exclusively attached to one node and can't be attached to
another", kubernetes v1.9.0 pkg/controller/volume/attachdetach/reconciler/reconciler.go:272;
"Waiting for detach", v1.37.2 reconciler.go:398,433), and the kubelet records FailedMount
("Unable to attach or mount volumes: ..." when WaitForAttachAndMount times out, v1.37.2
pkg/kubelet/kubelet.go:2230-2238). The kubelet starts no container of a pod before that wait
returns, i.e. before every volume of the pod is attached and mounted (kubelet.go:2230), so a
container Started event (reason Started, pkg/kubelet/events/event.go:22) newer than the last
attach/mount failure makes the failure history: the usual case is a RWO disk moving with its
pod to another node, detached and attached in a few minutes (andyzhangx/demo
linux/statefulset/README.md, "Note 3"). Like scheduled_later.py for FailedScheduling: only a
paste's mount_failed findings are touched; a dump's pod status decides.
"""
from __future__ import annotations

from typing import Any

from _tshoot.scheduled_later import later

_FAILED = ("FailedAttachVolume", "FailedMount", "FailedMapVolume")


def _started_after(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The Started event newer than every attach/mount failure of one pod's events, or None."""
    rows = list(enumerate(events))
    failed = [r for r in rows if r[1].get("reason") in _FAILED]
    started = [r for r in rows if r[1].get("reason") == "Started"]
    if not failed or not started:
        return None
    last = max(started, key=lambda r: r[0])
    return last[1] if all(later(last, f) for f in failed) else None


def resolved(cluster: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A paste's mount_failed findings about a pod whose container started after the last
    attach/mount failure: history (info)."""
    if not cluster.paste:
        return found
    pods = {k: ev for k, ev in cluster.events.items() if k[0] in ("Pod", "")}
    for (_kind, _ns, name), events in pods.items():
        started = _started_after(events)
        if not started:
            continue
        for f in found:
            fname = f["object"]["name"]
            if f["cause"] == "mount_failed" and f["severity"] != "info" and (
                    fname == name or (not fname and len(pods) == 1)):
                _to_history(f, started)
    return found


def _to_history(f: dict[str, Any], started: dict[str, Any]) -> None:
    age = started.get("_lastSeen", "")
    when = f" {age} ago" if age else ""
    msg = str(started.get("message") or started.get("note") or "Started container")
    f["evidence"].append(f'reported later: "Normal Started {msg[:200]}"{when}')
    f.pop("_weight", None)
    f.update(severity="info", basis="reported",
             message="a volume could not be attached or mounted for a while, then a container "
                     f"of the pod started (Started{when}, after the last attach/mount failure): "
                     "the kubelet starts containers only once every volume is mounted, so this "
                     "is a past wait (a ReadWriteOnce disk detaching from its old node), not a "
                     "current failure",
             fix="nothing to fix for the volume; if it recurs on every reschedule, expect minutes "
                 "of detach/attach for a ReadWriteOnce disk (or keep the pod on its node); if "
                 "the pod still misbehaves, read the events after Started")
