"""What the scheduler said about a pending GPU pod, read as triage.py reads it.

A GPU user runs explain_gpu_failure.py on a pod that stays Pending; the scheduler's
FailedScheduling ("0/N nodes are available: N Insufficient nvidia.com/gpu. ...") is then the
reported answer. The reading is triage's own (_tshoot/text.scan -> reports.classify ->
verdict.pick / subject_finding): a subject whose winning report is the scheduler's gives its
finding (unschedulable_insufficient, unschedulable_taint, ...), nothing is parsed again here.

The cluster-autoscaler's answer to the same pod is quoted with it: its Normal event
TriggeredScaleUp "pod triggered scale-up: [{<node group> <from>-><to> (max: <max>)}]" (as in
MicrosoftDocs/azure-aks-docs articles/aks/autoscale-gpu-workloads-with-keda.md@fb060ab:176, the
GPU pool scaled 0->1 after `Insufficient nvidia.com/gpu`): the pod waits for that node, which
must join and have its device plugin advertise the GPU before the scheduler can place it.
"""
from __future__ import annotations

import re
from typing import Any

from _tshoot.text import scan
from _tshoot.verdict import pick, subject_finding

_SCALE_UP = re.compile(r"\bTriggeredScaleUp\b.*?(pod triggered scale-up:.*)|"
                       r"(pod triggered scale-up:\s*\[.*)", re.I)


def _scale_up(text: str) -> str:
    """The cluster-autoscaler's scale-up for the pod, as pasted; "" when none."""
    for line in text.splitlines():
        m = _SCALE_UP.search(line)
        if m:
            return " ".join((m.group(1) or m.group(2)).split())[:240]
    return ""


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """The scheduler's finding for each pasted pod it could not place; [] when none."""
    text = "\n".join(texts)
    out = []
    for subject in scan(text):
        if not subject.reports or not pick(subject.reports)[0].scheduler:
            continue
        found = {k: v for k, v in subject_finding(subject).items()
                 if not k.startswith("_") and k not in ("count", "pods")}
        scaled = _scale_up(text)
        if scaled and found["cause"].startswith("unschedulable_"):
            found["message"] += (". The cluster-autoscaler has triggered a scale-up for it: the "
                                 "pod waits for the new node to join and its device plugin to "
                                 "advertise the GPU")
            found["evidence"] = found["evidence"] + [f'also reported: "{scaled}"']
            found["fix"] += ("; with a scale-up under way, wait for the node (kubectl get "
                             "nodes -w); if the pod stays Pending once it is Ready, the node "
                             "does not advertise the resource (kubectl describe node NODE: "
                             "Allocatable)")
        out.append(found)
    return out
