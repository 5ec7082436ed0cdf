"""Kueue's job reconciler logging that it could not write a Workload's PodsReady condition:
the condition on the Workload is then stale, whatever the pods do.

With waitForPodsReady on, the job reconciler computes the PodsReady condition
(generatePodsReadyCondition, logged at V(3) `Generating PodsReady condition` with
"Current PodsReady condition" and "Pods are ready", v0.12+) and writes it; when the write
fails it logs `Updating workload status` with the error and returns
(pkg/controller/jobframework/reconciler.go:357@v0.6.3, :516@v0.14.2, :554@v0.19.2, the only
log of that exact message; `Updating workload status, on start failure` is another write).
Nothing re-triggers the reconcile if the job does not change again, so the Workload can keep
PodsReady=False (WaitForStart) although its pods are ready, and waitForPodsReady then counts
its timeout and may evict it (kubernetes-sigs/kueue#7363: the write refused while Kueue's
webhook was unreachable, fixed by #7364 in v0.15.0). The failed write is reported; that the condition is
still stale now is read from it (or from a later `Generating PodsReady condition` with the
pods ready and the condition False), and the Workload confirms it."""
from __future__ import annotations

import json
import re
from typing import Any

from k8s_skillkit.findings import finding

# the write's error log (zap JSON `"msg":"Updating workload status"`, or the console encoder's
# tab-separated message), not the `..., on start failure` one
_FAILED = re.compile(r"Updating workload status(?:\"|\t|\s+\{)")
# Kueue's own reading: pods ready, the Workload's condition not True
_STALE_READING = re.compile(r"Generating PodsReady condition.{0,600}?Type:PodsReady,"
                            r"Status:False.{0,300}?\"Pods are ready\"\s*:\s*true")
_JOB = re.compile(r"\"job\"\s*:\s*\"(?P<ns>[^\"/]+)/(?P<name>[^\"]+)\"")
_KIND = re.compile(r"\"gvk\"\s*:\s*\"[^\"]*Kind=(\w+)\"")
_ERROR = re.compile(r"\"error\"\s*:\s*\"(?P<error>(?:[^\"\\]|\\.){1,600})")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """pods_ready_misreported (reported: the write failed) per job whose PodsReady write
    Kueue logged as failed."""
    lines = [" ".join(str(t).split()) for t in texts or []]
    failed = [line for line in lines if _FAILED.search(line)
              and "on start failure" not in line and ("error" in line.lower())]
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for line in failed:
        job = _JOB.search(line)
        ns, name = (job.group("ns"), job.group("name")) if job else ("", "")
        if (ns, name) in seen:
            continue
        seen.add((ns, name))
        found.append(_finding(ns, name, line, [s for s in lines if _STALE_READING.search(s)
                                               and (not job or job.group(0) in s)]))
    return found


def _finding(ns: str, name: str, line: str, readings: list[str]) -> dict[str, Any]:
    err = _ERROR.search(line)
    error = _unquote(err.group("error")) if err else line[:300]
    evidence = [f"Kueue: Updating workload status: {error[:300]}"]
    if readings:
        evidence.append("later, Kueue: Generating PodsReady condition with the pods ready "
                        "and the Workload's PodsReady condition still False")
    kind = _KIND.search(line)
    ref = {"kind": kind.group(1) if kind else "Workload", "namespace": ns, "name": name}
    where = f" -n {ns}" if ns else " -A"
    return finding(
        "warning", "pods_ready_misreported", ref,
        "Kueue could not write the Workload's PodsReady condition"
        + (f" for job {ns}/{name}" if name else "")
        + ": the condition on the Workload is stale (PodsReady False although the pods may "
        "be ready), so waitForPodsReady can count its timeout and evict or requeue a running "
        "job, and blockAdmission holds other workloads (kueue#7363, fixed by #7364 in v0.15.0)",
        evidence,
        "fix what refused the write (the error above), then make Kueue reconcile the job again (any change to the job or its pods, or restart kueue-controller-manager); "
        "upgrade Kueue to v0.15.0 or later (kueue#7364 re-triggers the write)",
        basis="reported",
        confirm=f"kubectl get workloads.kueue.x-k8s.io{where} -o yaml (the job's Workload: "
                "status.conditions PodsReady against its pods' readiness)")


def _unquote(text: str) -> str:
    try:
        return json.loads(f'"{text}"')
    except ValueError:
        return text
