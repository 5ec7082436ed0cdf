"""generate.py's options: defaults per shape, checks, and the shape -> builder table.

Every default that matters is here; references/ai-workloads.md explains the AI shapes'
defaults at length. The builders (_manifest/builders.py, _manifest/ai_builders.py) turn options into
(template, context) pairs, one per object to render.
"""
from __future__ import annotations

import re

from k8s_skillkit.errors import InputError

from _manifest import ai_builders as ai
from _manifest import builders as core

SHAPES = ("deployment", "statefulset", "job", "service", "configmap", "pdb", "hpa",
          "llm-inference", "training-job")
COMPANIONS = core.COMPANIONS
# Service names must be DNS-1035 labels; using the same rule for every object keeps the
# generated Service, pod hostnames (JOB-INDEX) and label values valid together.
NAME_PATTERN = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")

DEFAULTS = {
    "name": None, "namespace": "", "image": None, "instance": None, "part_of": None,
    "component": None, "managed_by": "kubectl", "port": None, "health_path": None,
    "replicas": None, "cpu": "250m", "memory": "256Mi", "cpu_limit": "1",
    "memory_limit": None, "gpus": 0, "gpu_resource": "nvidia.com/gpu", "env": {},
    "command": [], "args": [], "run_as_user": 65532, "writable_paths": ["/tmp"],
    "with": [], "data": {}, "completions": 1, "parallelism": None, "indexed": False,
    "backoff_limit": 3, "ttl": 86400, "queue": "", "min_available": None,
    "max_unavailable": 1, "min_replicas": 2, "max_replicas": 10, "cpu_utilization": 70,
    "target": None, "target_kind": "Deployment", "storage": "10Gi", "service_type": "ClusterIP",
    "target_port": None, "model": "Qwen/Qwen2.5-1.5B-Instruct", "model_cache": "emptyDir",
    "model_cache_size": "100Gi", "storage_class": "", "shm_size": "8Gi",
    "hf_token_secret": "", "world_size": 2, "script": "train.py",
    "port_name": "http",
}
# Per-shape defaults layered over DEFAULTS (a flag or spec key still wins).
SHAPE_DEFAULTS = {
    "deployment": {"port": 8080, "replicas": 2, "component": "server"},
    "statefulset": {"port": 8080, "replicas": 3, "component": "database"},
    "job": {"component": "batch"},
    "llm-inference": {
        "image": "vllm/vllm-openai:v0.10.2", "port": 8000, "health_path": "/health",
        "replicas": 1, "gpus": 1, "cpu": "4", "memory": "32Gi", "cpu_limit": "8",
        "component": "inference-server", "with": ["service"]},
    "training-job": {
        "image": "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime", "gpus": 1, "cpu": "4",
        "memory": "32Gi", "cpu_limit": "8", "component": "trainer", "queue": "user-queue",
        "backoff_limit": 3, "port": 29500, "port_name": "rendezvous"},
}


def notes(shape: str, opts: dict) -> list[str]:
    """Things the user must know about the result (printed on stderr by generate.py)."""
    out = []
    if shape in ("deployment", "statefulset") and not opts["port"]:
        out.append("no --port: no probes and no Service were generated; add an exec "
                   "readinessProbe/livenessProbe that checks the worker's health")
    if shape in ("training-job", "job") and opts["queue"]:
        out.append(f"the Job is created suspended for Kueue LocalQueue {opts['queue']!r}; "
                   "pass --queue '' if the cluster has no Kueue")
    return out


def resolve(shape: str, given: dict) -> dict:
    """DEFAULTS < SHAPE_DEFAULTS[shape] < given (None in `given` means "not given")."""
    if shape not in SHAPES:
        raise InputError(f"unknown shape {shape!r}: choose one of {', '.join(SHAPES)}")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise InputError(f"unknown option(s) {', '.join(unknown)}: valid spec keys are "
                         f"{', '.join(sorted(DEFAULTS))}")
    opts = {**DEFAULTS, **SHAPE_DEFAULTS.get(shape, {})}
    opts.update({k: v for k, v in given.items() if v is not None})
    if not opts["name"]:
        raise InputError("--name is required (or `name:` in the spec file)")
    if not NAME_PATTERN.match(str(opts["name"])):
        raise InputError(f"--name {opts['name']!r}: use lowercase letters, digits and '-', "
                         "starting with a letter, at most 63 characters")
    bad = sorted(set(opts["with"]) - set(COMPANIONS))
    if bad:
        raise InputError(f"--with {','.join(bad)}: companions are {', '.join(COMPANIONS)}")
    if shape in ("deployment", "statefulset", "job") and not opts["image"]:
        raise InputError(f"--image is required for {shape} (pin a tag, e.g. nginx:1.27)")
    opts["memory_limit"] = opts["memory_limit"] or opts["memory"]
    return opts


def build(shape: str, opts: dict) -> list[tuple[str, dict]]:
    """(template name, context) for every object of the shape, in apply order."""
    builders = {"deployment": core.workload, "statefulset": core.workload, "job": core.job,
                "service": core.service, "configmap": core.configmap, "pdb": core.pdb,
                "hpa": core.hpa, "llm-inference": ai.llm_inference, "training-job": ai.training}
    return builders[shape](shape, opts)
