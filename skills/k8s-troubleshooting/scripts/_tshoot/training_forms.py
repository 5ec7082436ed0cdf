"""Training objects a paste holds only in part: a RayJob's status fields as free text.

Users paste a RayJob's status as a fragment - the `status:` block of `kubectl get -o yaml`
with lines elided ("..."), so it is no longer YAML (ray-project/kuberay#2314), or the status
lines of `kubectl describe rayjob` without its Name/Kind header (kuberay#1233). The fields are
KubeRay's own (apis/ray/v1/rayjob_types.go RayJobStatus json tags jobDeploymentStatus,
jobStatus, reason, message, failed; v0.5-v1.6), printed by describe as "Job Deployment
Status", "Job Status". jobDeploymentStatus is RayJob's alone, so a fragment with it is a
RayJob's status: it completes the one RayJob of the paste that has no status, or stands for a
RayJob whose name the paste does not show."""
from __future__ import annotations

import re

_FIELD = re.compile(r"^\s*(?P<key>jobDeploymentStatus|jobStatus|reason|message|failed|"
                    r"Job Deployment Status|Job Status|Reason|Message|Failed)\s*:\s*"
                    r"(?P<value>.*?)\s*$")
_KEYS = {"Job Deployment Status": "jobDeploymentStatus", "Job Status": "jobStatus",
         "Reason": "reason", "Message": "message", "Failed": "failed"}


def rayjob_status_from_text(texts: list[str]) -> dict:
    """The RayJob status fields found in free-text lines, {} without jobDeploymentStatus."""
    status: dict = {}
    for text in texts:
        for line in text.splitlines():
            m = _FIELD.match(line)
            if not m:
                continue
            key = _KEYS.get(m.group("key"), m.group("key"))
            status.setdefault(key, m.group("value").strip("'\""))
    return status if status.get("jobDeploymentStatus") else {}


def complete_rayjobs(objects: list[dict], texts: list[str]) -> list[dict]:
    """objects, with a free-text RayJob status attached to the one RayJob lacking one (or a
    RayJob of unknown name standing for it)."""
    status = rayjob_status_from_text(texts)
    if not status:
        return objects
    bare = [o for o in objects if o.get("kind") == "RayJob" and not o.get("status")]
    if any(o.get("kind") == "RayJob" and o.get("status") for o in objects) or len(bare) > 1:
        return objects
    if bare:
        return [dict(o, status=status) if o is bare[0] else o for o in objects]
    return objects + [{"apiVersion": "ray.io/v1", "kind": "RayJob",
                       "metadata": {"name": "", "namespace": ""}, "status": status}]
