"""A container that exits on its own clock where the liveness probe would kill it.

The kubelet's prober skips a liveness probe until initialDelaySeconds after the container
started, probes every periodSeconds after a random first wait of up to one period, and
reports failure on the failureThreshold-th failure in a row (kubernetes v1.37.2
pkg/kubelet/prober/worker.go:160-166,331,373); the kubelet then kills the container ("Container
%s failed liveness probe, will be restarted", kuberuntime/kuberuntime_manager.go:1449) with
SIGTERM and terminationGracePeriodSeconds. Defaults: periodSeconds 10, failureThreshold 3
(pkg/apis/core/v1/defaults.go:275-287), grace 30 s (:267). So a probe that never passes kills
the container between initialDelay + (failureThreshold-1) x period and initialDelay +
failureThreshold x period + grace after it started; a process that exits cleanly on SIGTERM
shows reason Completed, exit 0 (143 when it dies of the signal). A startupProbe holds the
liveness probe back until it passes, so its presence rules this out. A pasted termination whose
run time falls in that window, with restarts and no startupProbe, is read as the probe's
kill (ronaldlokers/homelab docs/war-stories/liveness-without-startup-probe.md: 47 restarts,
each Completed exit 0 after 119 s, liveness 30 + 3 x 30). Inferred: the Unhealthy events say so.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from k8s_skillkit.describe_core import timestamp
from k8s_skillkit.findings import finding

_PROBE = re.compile(r"^(?P<indent>\s*)livenessProbe:[^\n]*\n(?P<body>(?:(?P=indent)\s+\S[^\n]*\n?)+)",
                    re.MULTILINE)
_FIELD = r"\b{}:\s*(\d+)\b"
_STARTUP = re.compile(r"\bstartupProbe:")
# describe pod's Last State block (describe.go:2116-2117, RFC1123Z), the status YAML's
# startedAt/finishedAt (RFC3339), or the same keys copied by hand
_STARTED = re.compile(r"\bstarted(?:At)?:\s*[\"']?(?P<t>[^\n\"']+)", re.IGNORECASE)
_FINISHED = re.compile(r"\bfinished(?:At)?:\s*[\"']?(?P<t>[^\n\"']+)", re.IGNORECASE)
_CLEAN_EXIT = re.compile(r"\b(?:reason:\s*Completed|exit(?:\s*code)?:?\s*(?:0|143))\b",
                         re.IGNORECASE)
_RESTARTS = re.compile(r"\brestart(?:s|Count|ed)?\b", re.IGNORECASE)
_GRACE = re.compile(_FIELD.format("terminationGracePeriodSeconds"))


def _when(text: str) -> datetime | None:
    """A describe (RFC1123Z) or object (RFC3339) time; the kit turns the first into the second."""
    try:
        return datetime.strptime(timestamp(text.strip()).replace("Z", "+0000"),
                                 "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def _probe(text: str) -> tuple[int, int, int] | None:
    """(initialDelaySeconds, periodSeconds, failureThreshold) of the pasted livenessProbe."""
    m = _PROBE.search(text)
    if not m:
        return None
    body = m.group("body")

    def field(name: str, default: int) -> int:
        got = re.search(_FIELD.format(name), body)
        return int(got.group(1)) if got else default
    return field("initialDelaySeconds", 0), field("periodSeconds", 10), \
        field("failureThreshold", 3)


def findings(text: str) -> list[dict[str, Any]]:
    probe = _probe(text)
    start, end = _STARTED.search(text), _FINISHED.search(text)
    if not probe or not start or not end or _STARTUP.search(text) \
            or not _CLEAN_EXIT.search(text) or not _RESTARTS.search(text):
        return []
    t0, t1 = _when(start.group("t")), _when(end.group("t"))
    if not t0 or not t1:
        return []
    ran = (t1 - t0).total_seconds()
    delay, period, threshold = probe
    grace_m = _GRACE.search(text)
    grace = int(grace_m.group(1)) if grace_m else 30
    low, high = delay + (threshold - 1) * period, delay + threshold * period + grace
    if not low <= ran <= high:
        return []
    return [finding(
        "warning", "probe_failing", {"kind": "Text", "name": "paste"},
        f"the container ran {ran:.0f} s before it exited cleanly and was restarted, inside the "
        f"window in which its liveness probe kills a container that never answers "
        f"({low}-{high} s: initialDelaySeconds {delay} + failureThreshold {threshold} x "
        f"periodSeconds {period}, plus up to {grace} s of grace), and it has no startupProbe: "
        "the kubelet kills it with SIGTERM before it is up, and a graceful exit shows as "
        "Completed / exit 0",
        [f"livenessProbe: initialDelaySeconds {delay}, periodSeconds {period}, "
         f"failureThreshold {threshold}; no startupProbe in the paste",
         f"terminated after {ran:.0f} s: {start.group(0).strip()} / {end.group(0).strip()}"],
        "add a startupProbe on the same endpoint (e.g. periodSeconds 10, failureThreshold 30) "
        "so liveness starts only once the app is up, or raise initialDelaySeconds / "
        "failureThreshold to cover the slowest start",
        basis="inferred",
        confirm="kubectl get events -n NAMESPACE --field-selector reason=Unhealthy,"
                "involvedObject.name=POD (\"Liveness probe failed\") and Killing (\"failed "
                "liveness probe, will be restarted\")")]
