"""Pod templates inside workload objects, and what each pod asks for.

Pod counts per kind follow Kueue's pod sets (api-facts section 1/5): Job parallelism;
JobSet replicatedJobs[].replicas x parallelism; LeaderWorkerSet replicas x size (leader +
size-1 workers); Deployment/StatefulSet replicas; a bare Pod is one pod.
"""
from __future__ import annotations

from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.requests import container_requests

LEGACY_GPU = ("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe")


class PodSet:
    def __init__(self, owner: dict, name: str, template: dict, count: int):
        self.owner, self.name, self.template, self.count = owner, name, template, count

    @property
    def spec(self) -> dict:
        return self.template.get("spec") or {}

    @property
    def namespace(self) -> str:
        return namespace_of(self.owner) or "default"

    def label(self) -> str:
        return f"{self.owner.get('kind')}/{name_of(self.owner)}[{self.name}]"


def _int(value, default=1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def pod_sets(obj: dict) -> list[PodSet]:
    kind = obj.get("kind", "")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return [PodSet(obj, "main", {"metadata": obj.get("metadata") or {}, "spec": spec}, 1)]
    if kind == "Job":
        return [PodSet(obj, "main", spec.get("template") or {}, _int(spec.get("parallelism")))]
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        return [PodSet(obj, "main", spec.get("template") or {}, _int(spec.get("replicas")))]
    if kind == "JobSet":
        out = []
        for rj in spec.get("replicatedJobs") or []:
            job = dig(rj, "template", "spec", default={}) or {}
            out.append(PodSet(obj, rj.get("name", ""), job.get("template") or {},
                              _int(rj.get("replicas")) * _int(job.get("parallelism"))))
        return out
    if kind == "LeaderWorkerSet":
        lwt = spec.get("leaderWorkerTemplate") or {}
        replicas, size = _int(spec.get("replicas")), _int(lwt.get("size"))
        worker = lwt.get("workerTemplate") or {}
        if lwt.get("leaderTemplate"):
            return [PodSet(obj, "leader", lwt["leaderTemplate"], replicas),
                    PodSet(obj, "worker", worker, replicas * max(size - 1, 0))]
        return [PodSet(obj, "main", worker, replicas * size)]
    return []


def legacy_gpu_requests(pod_spec: dict) -> dict[str, str]:
    """{resource: amount} of device-plugin GPU resources a container asks for (requests,
    defaulted from limits as the apiserver does: the kit's container_requests)."""
    out = {}
    for c in (pod_spec.get("containers") or []) + (pod_spec.get("initContainers") or []):
        for name, amount in container_requests(c).items():
            if name in LEGACY_GPU and amount:
                out[name] = str(int(amount)) if amount == int(amount) else str(float(amount))
    return out


def queue_name(obj: dict) -> str:
    return (dig(obj, "metadata", "labels", default={}) or {}).get("kueue.x-k8s.io/queue-name", "")
