"""Pod sets and the implied world size of a distributed job, before Kueue sees it.

Pod-set shapes follow Kueue's integrations (pkg/controller/jobs/*): Job = one set of
`parallelism` pods (partial admission via the kueue.x-k8s.io/job-min-parallelism
annotation); JobSet = one set per replicatedJob (replicas x parallelism); Kubeflow jobs =
one set per replica type (lower-cased); LeaderWorkerSet = leader + (size-1) workers per
group; RayJob = head + worker groups; plain pods = one group by kueue.x-k8s.io/pod-group-name.
"""
from __future__ import annotations

import re

from k8s_skillkit.objects import dig, name_of

MIN_PARALLELISM = "kueue.x-k8s.io/job-min-parallelism"
POD_GROUP_TOTAL = "kueue.x-k8s.io/pod-group-total-count"


def podsets(obj: dict) -> list[dict]:
    """[{name, count, min_count, template}] for one job object; [] for unknown kinds."""
    kind, spec = obj.get("kind", ""), obj.get("spec") or {}
    if kind == "Job":
        ann = dig(obj, "metadata", "annotations", MIN_PARALLELISM)
        return [_ps("main", spec.get("parallelism", 1), spec.get("template"),
                    int(ann) if ann and str(ann).isdigit() else None)]
    if kind == "JobSet":
        return [_ps(rj.get("name", ""), rj.get("replicas", 1) *
                    dig(rj, "template", "spec", "parallelism", default=1),
                    dig(rj, "template", "spec", "template"))
                for rj in spec.get("replicatedJobs") or []]
    if kind in ("PyTorchJob", "TFJob", "XGBoostJob", "PaddleJob", "JAXJob", "MPIJob"):
        key = next((k for k in spec if k.endswith("ReplicaSpecs")), "")
        return [_ps(rtype.lower(), rs.get("replicas", 1), rs.get("template"))
                for rtype, rs in (spec.get(key) or {}).items()]
    if kind == "LeaderWorkerSet":
        lwt = spec.get("leaderWorkerTemplate") or {}
        size = lwt.get("size", 1)
        worker = lwt.get("workerTemplate")
        sets = [_ps("leader", 1, lwt.get("leaderTemplate") or worker)]
        return sets + ([_ps("worker", size - 1, worker)] if size > 1 else [])
    if kind in ("RayJob", "RayCluster"):
        cluster = spec.get("rayClusterSpec", spec) if kind == "RayJob" else spec
        sets = [_ps("head", 1, dig(cluster, "headGroupSpec", "template"))]
        return sets + [_ps(g.get("groupName", "workers"), g.get("replicas", 1) *
                           g.get("numOfHosts", 1), g.get("template"), g.get("minReplicas"))
                       for g in cluster.get("workerGroupSpecs") or []]
    if kind == "Pod":
        return [_ps(name_of(obj), 1, {"metadata": obj.get("metadata"), "spec": spec})]
    return []


def _ps(name, count, template, min_count=None) -> dict:
    return {"name": name, "count": int(count or 0), "min_count": min_count,
            "template": template or {}}


_FLAG = r"(?:^|\s)--?{}[= ](\d+)"
_PARALLEL_FLAGS = {
    "nnodes": ["nnodes", "num_nodes", "num-nodes"],
    "nproc_per_node": ["nproc_per_node", "nproc-per-node"],
    "tp": ["tensor-parallel-size", "tensor_parallel_size", "tp", "tp-size", "tp_size"],
    "pp": ["pipeline-parallel-size", "pipeline_parallel_size", "pp", "pp-size"],
    "dp": ["data-parallel-size", "data_parallel_size", "dp", "dp-size"],
}
_ENV = {"WORLD_SIZE": "world_size", "PET_NNODES": "nnodes", "NNODES": "nnodes",
        "PET_NPROC_PER_NODE": "nproc_per_node", "NPROC_PER_NODE": "nproc_per_node",
        "TP_SIZE": "tp", "TENSOR_PARALLEL_SIZE": "tp", "DP_SIZE": "dp", "PP_SIZE": "pp"}


def parallel_hints(template: dict) -> dict[str, int]:
    """World-size facts a pod template states: env vars and launcher flags (torchrun, vLLM)."""
    out: dict[str, int] = {}
    for container in dig(template, "spec", "containers", default=[]) or []:
        for env in container.get("env") or []:
            key = _ENV.get(env.get("name", ""))
            if key and str(env.get("value", "")).isdigit():
                out.setdefault(key, int(env["value"]))
        line = " ".join(str(x) for x in (container.get("command") or []) +
                        (container.get("args") or []))
        for key, flags in _PARALLEL_FLAGS.items():
            for flag in flags:
                match = re.search(_FLAG.format(re.escape(flag)), line)
                if match:
                    out.setdefault(key, int(match.group(1)))
                    break
        nnodes = re.search(r"--nnodes[= ](\d+):(\d+)", line)
        if nnodes:  # elastic torchrun MIN:MAX
            out.setdefault("nnodes", int(nnodes.group(2)))
    return out


def pod_shape(template: dict) -> dict:
    """What must be equal across pods of one gang for them to land alike."""
    spec = template.get("spec") or {}
    anns = dig(template, "metadata", "annotations", default={}) or {}
    return {
        "nodeSelector": spec.get("nodeSelector") or {},
        "tolerations": sorted(str(t) for t in spec.get("tolerations") or []),
        "topology": {k: v for k, v in anns.items() if k.startswith("kueue.x-k8s.io/podset-")},
    }
