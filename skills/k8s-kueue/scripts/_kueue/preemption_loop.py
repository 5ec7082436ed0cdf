"""Kueue's scheduler log showing a preemption loop: the same workload preempts the same victim,
the victim is admitted again, and the preemptor preempts it once more, never admitted itself
(kueue_bug, reported).

Kueue's scheduler logs each preemption it issues (`log.V(3).Info("Preempted",
"targetWorkload", ..., "preemptingWorkload", ...)`, pkg/scheduler/preemption/preemption.go:176
@v0.13.4, :187@v0.14.1; a target already being evicted is "Preemption ongoing", :180) and each
admission (`"Workload assumed in the cache"`, pkg/scheduler/scheduler.go:624@v0.13.4, the
workload in the logger's "workload" key). A victim cannot be preempted twice unless it was
admitted again in between, so preempted -> re-admitted -> preempted by the same preemptor is
the scheduler handing the freed quota back to the victim instead of to the preemptor.

kubernetes-sigs/kueue#6929 (v0.13.4, BestEffortFIFO): a NoFit workload went back to the
ClusterQueue head in front of the preempting workload, and in that cycle the preempted
workload re-admitted; fixed by #7157 ("Sticky ClusterQueue Head"), released in v0.13.6 and
v0.14.1. The thread's scheduler trace is its own trimmed form of these records
(`"workload":"job-4","attempting to preempt workload":"job-1"`, `"workload":"job-1",...
"status":"assumed"`); both forms are read here.

One preemption, or a victim never shown re-admitted, is ordinary preemption (preempted,
read elsewhere); nothing is said here then."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# a workload reference as klog prints it: JSON `{"name":"w","namespace":"ns"}`, a quoted
# `"ns/w"` or `"w"`, or klog text `key="ns/w"` / key=ns/w
_REF = (r"\s*[:=]\s*(?:\{{\s*\\?\"name\\?\"\s*:\s*\\?\"(?P<{0}n>[^\"\\]+)\\?\"[^}}]*\}}"
        r"|\\?\"(?P<{0}q>[^\"\\]+)\\?\"|(?P<{0}b>[\w./-]+))")


def _key(name: str, group: str) -> str:
    return rf"\\?\"?{name}\\?\"?" + _REF.format(group)


# upstream's record of an issued preemption (either key order)
_PREEMPTED = re.compile(r"\\?\"?Preempted\\?\"?(?=[^\n]*?targetWorkload)(?=[^\n]*?"
                        r"preemptingWorkload)")
_TARGET = re.compile(_key("targetWorkload", "t"))
_PREEMPTOR = re.compile(_key("preemptingWorkload", "p"))
# the trimmed trace's form: the preemptor in "workload", the victim in the message key
_ATTEMPT = re.compile(r"attempting to preempt workload\\?\"?" + _REF.format("t"))
_WORKLOAD = re.compile(r"(?:^|[\s,{])(?<!preempt )" + _key("workload", "w"))
# an admission of a workload
_ASSUMED = re.compile(r"Workload assumed in the cache|Workload successfully admitted"
                      r"|\\?\"?status\\?\"?\s*[:=]\s*\\?\"?assumed\b")
_CYCLE = re.compile(r"schedulingCycle\\?\"?\s*[:=]\s*(?P<cycle>\d+)")


def _ref(match: re.Match[str] | None, group: str) -> str:
    """The workload's name (without its namespace: the trimmed trace drops it)."""
    if match is None:
        return ""
    value = match.group(f"{group}n") or match.group(f"{group}q") or match.group(f"{group}b")
    return (value or "").rsplit("/", 1)[-1]


def _events(lines: list[str]) -> list[tuple[str, str, str, str]]:
    """("preempt", preemptor, victim, line) and ("admit", workload, "", line), in order."""
    out = []
    for line in lines:
        if "Preemption ongoing" in line:
            continue
        if _PREEMPTED.search(line):
            victim, preemptor = _ref(_TARGET.search(line), "t"), _ref(_PREEMPTOR.search(line), "p")
            if victim and preemptor:
                out.append(("preempt", preemptor, victim, line))
            continue
        attempt = _ATTEMPT.search(line)
        if attempt:
            preemptor = _ref(_WORKLOAD.search(line), "w")
            if preemptor:
                out.append(("preempt", preemptor, _ref(attempt, "t"), line))
            continue
        if _ASSUMED.search(line):
            admitted = _ref(_WORKLOAD.search(line), "w")
            if admitted:
                out.append(("admit", admitted, "", line))
    return out


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug when a workload preempts the same victim again after that victim was
    admitted again: a preemption loop in Kueue's scheduler."""
    lines = [ln for t in texts or [] for ln in str(t).splitlines()]
    seen: dict[tuple[str, str], str] = {}
    readmitted: set[tuple[str, str]] = set()
    out = []
    for kind, who, victim, line in _events(lines):
        if kind == "admit":
            readmitted.update(pair for pair in seen if pair[1] == who)
            continue
        pair = (who, victim)
        if pair in readmitted and pair not in {(f["_pair"]) for f in out}:
            out.append({"_pair": pair, "first": seen[pair], "again": line})
        seen.setdefault(pair, line)
    return [_finding(o["_pair"], o["first"], o["again"]) for o in out[:2]]


def _cycle(line: str) -> str:
    found = _CYCLE.search(line)
    return f" (scheduling cycle {found.group('cycle')})" if found else ""


def _finding(pair: tuple[str, str], first: str, again: str) -> dict[str, Any]:
    preemptor, victim = pair
    return finding("error", "kueue_bug", {"kind": "Workload", "name": preemptor},
                   f"a preemption loop in Kueue's scheduler: {preemptor} preempts {victim}, "
                   f"{victim} is admitted again, and {preemptor} preempts it once more; the "
                   f"quota freed for {preemptor} goes back to {victim}, so {preemptor} is never "
                   "admitted (a Kueue defect: kueue#6929, an inadmissible workload returning to "
                   "the ClusterQueue head ahead of the preempting one)",
                   [f"preempted{_cycle(first)}: {' '.join(first.split())[:200]}",
                    f"{victim} admitted again, then preempted again{_cycle(again)}: "
                    f"{' '.join(again.split())[:200]}"],
                   "upgrade Kueue to v0.13.6 / v0.14.1 or later (kueue#7157, the preempting "
                   "workload keeps the ClusterQueue head); meanwhile the workload that keeps "
                   "taking the head without fitting (NoFit: it asks more than the queue's "
                   "nominal quota) can be removed or fixed, or the ClusterQueue's "
                   "queueingStrategy set to StrictFIFO",
                   basis="reported",
                   confirm=f"kubectl get events -A --field-selector involvedObject.name={victim} "
                           "| grep -E 'Preempted|QuotaReserved'")
