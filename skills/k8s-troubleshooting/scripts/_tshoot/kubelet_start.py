"""A node NotReady only because its kubelet had just started.

Until the kubelet's first successful runtime status call (kubelet.go v1.37.2:3364
setRuntimeSync, from updateRuntimeUp) its Ready condition says `container runtime status check
may not have completed yet` (runtime.go v1.37.2:126-127). A node status written in the first
seconds after a kubelet restart says so although the runtime is healthy; the next status
period clears it (kubernetes/kubernetes#124397, fixed by #124430). The kubelet's own log line
carries its clock since start (Go's time.Time String appends the monotonic reading `m=+5.22`),
which tells the two apart: seconds after start it is the restart; later it is a runtime that
never answered, and the finding stands."""
from __future__ import annotations

import re

_NOT_YET = re.compile(r"container runtime status check may not have completed yet")
_SINCE_START = re.compile(r"\bm=\+(\d+(?:\.\d+)?)")
# the kubelet writes node status every 10 s by default (nodeStatusUpdateFrequency) and the
# runtime answers within its first sync: a minute is well past a healthy start
JUST_STARTED_S = 60.0


def seconds_since_start(texts) -> float | None:
    """The kubelet's monotonic clock on the line that says the runtime check has not run."""
    ages = [float(m) for line in texts if _NOT_YET.search(str(line))
            for m in _SINCE_START.findall(str(line))]
    return min(ages) if ages else None


def just_started(texts, out: list[dict]) -> list[dict]:
    """node_not_ready findings become an info when the kubelet said it seconds after start."""
    age = seconds_since_start(texts)
    if age is None or age > JUST_STARTED_S:
        return out
    for f in out:
        if f["cause"] == "node_not_ready" and f["severity"] != "info":
            f.update(severity="info", basis="reported",
                     message=f"{f['message']}: the kubelet said so {age:.0f} s after it "
                     "started, before its first container runtime status check; the next "
                     "status update (10 s by default) clears it when the runtime is healthy "
                     "(kubernetes#124397, fixed by #124430)")
            f["fix"] = ("nothing to fix if the node is Ready a few seconds later (kubectl get "
                        "node NAME -w); if it stays NotReady with this message, the kubelet "
                        "cannot reach its container runtime: check the runtime's socket and "
                        "service (crictl info, systemctl status containerd)")
            f.pop("_weight", None)
    return out
