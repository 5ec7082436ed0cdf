"""In-process helpers: render a generate.py shape into objects without a subprocess."""
from __future__ import annotations

import copy

import yaml

from _manifest import render
from _manifest import shapes

SHAPE_ARGS = {
    "deployment": {"name": "web", "image": "nginx:1.27", "with": ["service", "pdb", "hpa"]},
    "deployment-plain": {"name": "api", "image": "nginx:1.27", "replicas": 3},
    "statefulset": {"name": "db", "image": "postgres:17"},
    "job": {"name": "etl", "image": "python:3.12-slim"},
    "job-indexed": {"name": "shards", "image": "python:3.12-slim", "indexed": True,
                    "completions": 4},
    "service": {"name": "svc", "port": 80},
    "configmap": {"name": "cfg", "data": {"a": "b"}},
    "pdb": {"name": "budget"},
    "hpa": {"name": "scaler"},
    "llm-inference": {"name": "qwen"},
    "llm-inference-pvc": {"name": "llama", "model_cache": "pvc", "replicas": 2,
                          "with": ["service", "pdb"], "hf_token_secret": "hf"},
    "deployment-gpu": {"name": "gpu-api", "image": "ghcr.io/example/api:1.0", "gpus": 1,
                       "health_path": "/healthz", "env": {"MODE": "fast"},
                       "with": ["service", "hpa"]},
    "training-job": {"name": "ft", "world_size": 4, "gpus": 8, "queue": "team-a"},
}


def shape_of(case: str) -> str:
    """"llm-inference-pvc" -> "llm-inference": the longest shape the case name starts with."""
    return max((s for s in shapes.SHAPES if case == s or case.startswith(s + "-")), key=len)


def render_case(case: str, use_jinja: bool | None = None) -> tuple[str, list[dict]]:
    """(raw rendered text, objects) for one SHAPE_ARGS case."""
    shape = shape_of(case)
    opts = shapes.resolve(shape, copy.deepcopy(SHAPE_ARGS[case]))
    texts = [render.render(t, ctx, use_jinja) for t, ctx in shapes.build(shape, opts)]
    text = "---\n".join(texts)
    return text, [d for d in yaml.safe_load_all(text) if d]
