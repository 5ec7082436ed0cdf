"""KWOK stages for the local cluster: KWOK's own defaults, except that Job pods keep running.

KWOK's default `pod-complete` stage finishes every Job pod about a second after it starts,
which frees Kueue quota at once and makes "who holds the GPUs" scenarios impossible. Here a
pod completes only when it asks to, with KWOK's own annotation
`pod-complete.stage.kwok.x-k8s.io/delay` (e.g. "30s") on the pod (template).
Read from the pinned module (kustomize/stage/...) at setup time, as kwokctl embeds them
(pkg/kwokctl/runtime/cluster.go: getDefaultNodeStages, getDefaultPodStages).
"""
from __future__ import annotations

from typing import Any

import yaml

from harness import gomod, pins
from harness.cluster import fault_stages

COMPLETE_ANNOTATION = "pod-complete.stage.kwok.x-k8s.io/delay"
# kwokctl's binary-runtime default node status update frequency (kwok.yaml options).
HEARTBEAT_MS = 50000

FILES = (
    "kustomize/stage/node/fast/node-initialize.yaml",
    "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "kustomize/stage/pod/fast/pod-ready.yaml",
    "kustomize/stage/pod/general/pod-complete.yaml",
    "kustomize/stage/pod/fast/pod-delete.yaml",
)


def stages() -> list[dict[str, Any]]:
    base = gomod.module_dir("sigs.k8s.io/kwok", pins.KWOK)
    out = []
    for rel in FILES:
        stage = yaml.safe_load((base / rel).read_text())
        name = stage["metadata"]["name"]
        if name == "pod-complete":
            stage["spec"]["selector"]["matchExpressions"].append(
                {"key": f'.metadata.annotations["{COMPLETE_ANNOTATION}"]',
                 "operator": "Exists"})
        if name.startswith("node-heartbeat"):
            delay = stage["spec"].setdefault("delay", {})
            delay["durationMilliseconds"] = max(delay.get("durationMilliseconds", 0),
                                                HEARTBEAT_MS)
            delay["jitterDurationMilliseconds"] = max(
                delay.get("jitterDurationMilliseconds", 0), HEARTBEAT_MS + HEARTBEAT_MS // 10)
        out.append(stage)
    # Failures that need hardware this machine lacks (CUDA OOM on GPUs, a lost node).
    out.extend(fault_stages.stages())
    return out
