"""What a Deployment's rolling update does to GPU serving capacity, computed as the
Deployment controller does it.

Kubernetes v1.37 pkg/controller/deployment:
- util/deployment_util.go ResolveFenceposts: maxSurge is scaled from a percentage of
  spec.replicas rounding UP, maxUnavailable rounding DOWN (intstr
  GetScaledValueFromIntOrPercent); when both come to 0, maxUnavailable becomes 1. Defaults
  (apps/v1 SetDefaults_Deployment): 25% and 25%.
- rolling.go reconcileNewReplicaSet: the new ReplicaSet may grow while all pods <= replicas +
  maxSurge; reconcileOldReplicaSets: old pods are removed while available pods stay >=
  replicas - maxUnavailable. So with maxUnavailable 0 the roll can only start with room for
  the surge pods; without it the surge pods stay Pending and the roll stalls (Progressing
  turns False with ProgressDeadlineExceeded after progressDeadlineSeconds, default 600).
- a pod counts as available once Ready for minReadySeconds: a server that reports Ready
  before its model is loaded lets the controller remove old pods too early.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.quantity import parse_quantity
from k8s_skillkit.requests import pod_requests
from k8s_skillkit.scheduling import node_rejections

GPU_RESOURCES = re.compile(r"^(nvidia\.com/(gpu|mig-.+)|amd\.com/gpu|gpu\.intel\.com/.+|"
                           r"google\.com/tpu|aws\.amazon\.com/neuron(core)?)$")
ACTIVE_PHASES = ("Pending", "Running", "Unknown", "")


def scaled(value, replicas: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent; ValueError for what it refuses ("oops")."""
    if isinstance(value, bool):
        raise ValueError(f"invalid value for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d+%", text):
        raise ValueError(f"invalid value for IntOrString: invalid type: string is not a "
                         f"percentage: {text!r}")
    share = Fraction(int(text[:-1]) * replicas, 100)
    return math.ceil(share) if round_up else math.floor(share)


def fenceposts(deployment: dict) -> tuple[int, int]:
    """(maxSurge, maxUnavailable) in pods, as ResolveFenceposts resolves them; an absent
    field is 25%, as the apiserver defaults it (apps/v1 SetDefaults_Deployment)."""
    replicas = int(dig(deployment, "spec", "replicas", default=1) if
                   dig(deployment, "spec", "replicas") is not None else 1)
    rolling = dig(deployment, "spec", "strategy", "rollingUpdate", default={}) or {}
    surge = scaled(rolling.get("maxSurge", "25%"), replicas, True)
    unavailable = scaled(rolling.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def gpu_requests(template_owner: dict) -> dict[str, Fraction]:
    """The accelerator requests of one pod of the Deployment's template."""
    return {r: q for r, q in pod_requests({"kind": "Deployment", **template_owner}).items()
            if GPU_RESOURCES.match(r) and q > 0}


@dataclass
class Room:
    free: dict[str, Fraction]  # accelerator -> free units on the nodes the pods may use
    per_node: list[tuple[str, int]]  # (node, how many more pods of this template fit)
    nodes: int


def room_for(deployment: dict, nodes: list[dict], pods: list[dict]) -> Room:
    """Free accelerators on the nodes the template may run on (taints, selector, affinity,
    cordon), after the requests of every bound, non-finished pod."""
    want = gpu_requests(deployment)
    used: dict[str, dict[str, Fraction]] = {}
    for pod in pods:
        node = dig(pod, "spec", "nodeName", default="")
        if node and dig(pod, "status", "phase", default="") in ACTIVE_PHASES:
            for res, qty in pod_requests(pod).items():
                used.setdefault(node, {})[res] = used.get(node, {}).get(res, Fraction(0)) + qty
    free: dict[str, Fraction] = {r: Fraction(0) for r in want}
    per_node = []
    eligible = 0
    probe = {"kind": "Deployment", **deployment}
    for node in nodes:
        if node_rejections(probe, node):
            continue
        eligible += 1
        name = name_of(node)
        fits = None
        for res, need in want.items():
            alloc = _qty(dig(node, "status", "allocatable", res))
            left = max(Fraction(0), alloc - used.get(name, {}).get(res, Fraction(0)))
            free[res] += left
            count = int(left // need)
            fits = count if fits is None else min(fits, count)
        per_node.append((name, fits or 0))
    return Room(free, per_node, eligible)


def _qty(value) -> Fraction:
    try:
        return parse_quantity(value) if value is not None else Fraction(0)
    except ValueError:
        return Fraction(0)


@dataclass
class Plan:
    name: str
    replicas: int
    surge: int
    unavailable: int
    gpus_per_pod: dict[str, Fraction]
    surge_fits: int  # surge pods that fit in the free accelerators now
    state: str  # stalls | drops | ok | no_gpu
    ready: int
    updated: int
    pending_new: list[str]


def plan(deployment: dict, room: Room, pods: list[dict]) -> Plan:
    surge, unavailable = fenceposts(deployment)
    replicas = int(dig(deployment, "spec", "replicas", default=1) or 0)
    want = gpu_requests(deployment)
    fits = sum(n for _, n in room.per_node)
    status = deployment.get("status") or {}
    pending_new = [name_of(p) for p in _own_pods(deployment, pods)
                   if dig(p, "status", "phase") == "Pending" and not dig(p, "spec", "nodeName")]
    if not want:
        state = "no_gpu"
    elif fits >= surge > 0:
        state = "ok"
    elif unavailable == 0:
        state = "stalls"
    else:
        state = "drops"
    return Plan(name_of(deployment), replicas, surge, unavailable, want, min(fits, surge), state,
                int(status.get("readyReplicas") or 0), int(status.get("updatedReplicas") or 0),
                pending_new)


def _own_pods(deployment: dict, pods: list[dict]) -> list[dict]:
    labels = dig(deployment, "spec", "selector", "matchLabels", default={}) or {}
    if not labels:
        return []
    return [p for p in pods if namespace_of(p) == namespace_of(deployment) and all(
        (dig(p, "metadata", "labels", default={}) or {}).get(k) == v for k, v in labels.items())]
