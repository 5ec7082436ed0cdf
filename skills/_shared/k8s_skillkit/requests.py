"""What a pod asks the scheduler for: effective requests as upstream computes them.

Source: k8s.io/component-helpers v0.37.2 resource/helpers.go (PodRequests,
aggregateContainerResourcesByFn), which the scheduler's NodeResourcesFit and the kubelet
share (earlier: k8s.io/kubernetes pkg/api/v1/resource/helpers.go):
- app containers are summed;
- init containers run one at a time: each non-restartable one needs its own request plus
  every sidecar started before it; restartable init containers (restartPolicy: Always, the
  sidecars) are also added to the running sum;
- the pod needs max(sum of app containers + sidecars, the largest init step);
- pod-level spec.resources.requests (cpu, memory, hugepages-*) replace the aggregate for those
  resources when set (PodLevelResources, 1.32+);
- spec.overhead (RuntimeClass) is added on top.
Requests left out where a limit is set default to the limit (apiserver defaulting,
pkg/apis/core/v1/defaults.go SetDefaults_Pod), so a manifest counts like the stored pod.
"""
from __future__ import annotations
from typing import Any, Callable

from fractions import Fraction

from .quantity import parse_quantity
from .scheduling import pod_spec

ResourceList = dict[str, Fraction]  # resource name -> amount


def container_requests(container: dict[str, Any]) -> ResourceList:
    """One container's requests, defaulted from limits like the apiserver does."""
    resources = container.get("resources") or {}
    limits = resources.get("limits") or {}
    requests = dict(limits)
    requests.update(resources.get("requests") or {})
    return {name: parse_quantity(value) for name, value in requests.items()}


def _add(total: ResourceList, more: ResourceList) -> None:
    for name, value in more.items():
        total[name] = total.get(name, Fraction(0)) + value


def _max_into(total: ResourceList, other: ResourceList) -> None:
    for name, value in other.items():
        if value > total.get(name, Fraction(0)):
            total[name] = value


def is_sidecar(container: dict[str, Any]) -> bool:
    return container.get("restartPolicy") == "Always"


def _pod_level_resource(name: str) -> bool:
    return name in ("cpu", "memory") or name.startswith("hugepages-")


def pod_requests(pod: dict[str, Any], include_overhead: bool = True) -> ResourceList:
    """Effective requests of a Pod (or of the pod template of a Job, Deployment...)."""
    return _aggregate(pod_spec(pod), container_requests, "requests", include_overhead)


def pod_limits(pod: dict[str, Any]) -> ResourceList:
    """Summed limits the same way (PodLimits): used for QoS and for `Allocated resources`."""
    return _aggregate(pod_spec(pod), _container_limits, "limits", True)


def _container_limits(container: dict[str, Any]) -> ResourceList:
    return {n: parse_quantity(v) for n, v in
            ((container.get("resources") or {}).get("limits") or {}).items()}


def _aggregate(spec: dict[str, Any], per_container: Callable[[dict[str, Any]], ResourceList],
               pod_level: str, overhead: bool) -> ResourceList:
    """aggregateContainerResourcesByFn, then pod-level resources, then overhead."""
    total: ResourceList = {}
    for container in spec.get("containers") or []:
        _add(total, per_container(container))
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for container in spec.get("initContainers") or []:
        own = per_container(container)
        if is_sidecar(container):
            _add(total, own)
            _add(sidecars, own)
            step = dict(sidecars)
        else:
            step = dict(own)
            _add(step, sidecars)
        _max_into(init_peak, step)
    _max_into(total, init_peak)
    for name, value in (((spec.get("resources") or {}).get(pod_level)) or {}).items():
        if _pod_level_resource(name):
            total[name] = parse_quantity(value)
    if overhead:
        _add(total, {n: parse_quantity(v) for n, v in (spec.get("overhead") or {}).items()})
    return total


def fits(requests: ResourceList, free: ResourceList) -> list[str]:
    """Resource names whose request exceeds what is free (a missing resource counts as 0),
    in the NodeResourcesFit wording `Insufficient <name>`."""
    return [f"Insufficient {name}" for name, value in sorted(requests.items())
            if value > 0 and value > free.get(name, Fraction(0))]
