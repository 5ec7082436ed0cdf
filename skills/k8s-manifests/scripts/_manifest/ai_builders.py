"""The AI shapes: an LLM inference server and a distributed training Job.

Why each default is what it is: references/ai-workloads.md.
"""
from __future__ import annotations

from k8s_skillkit.errors import InputError

from _manifest.builders import base, job, service, workload

COMPLETION_INDEX = "metadata.annotations['batch.kubernetes.io/job-completion-index']"


def llm_inference(shape: str, opts: dict) -> list:
    cache = "/models"
    opts = {**opts, "writable_paths": list(opts["writable_paths"]),
            "command": opts["command"] or ["vllm", "serve"],
            "args": opts["args"] or [opts["model"], "--port", str(opts["port"])],
            # Read-only root: send HOME and the Hugging Face cache to writable volumes.
            "env": {"HOME": "/tmp", "HF_HOME": f"{cache}/huggingface", **(opts["env"] or {})}}
    out = workload("deployment", opts, slow_start=True)
    template, ctx = out[0]
    ctx["pod"]["termination_grace"] = 60
    ctx["c"]["mounts"].append({"name": "model-cache", "mountPath": cache})
    if opts["hf_token_secret"]:
        ctx["c"]["env"].append({"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {
            "name": opts["hf_token_secret"], "key": "token", "optional": True}}})
    ctx["pod"]["volumes"].append(_model_cache_volume(opts))
    if opts["model_cache"] == "pvc":
        out.insert(0, _pvc(opts))
    return out


def _model_cache_volume(opts: dict) -> dict:
    if opts["model_cache"] == "pvc":
        return {"name": "model-cache",
                "persistentVolumeClaim": {"claimName": f"{opts['name']}-model-cache"}}
    if opts["model_cache"] != "emptyDir":
        raise InputError(f"--model-cache {opts['model_cache']}: use emptyDir or pvc")
    return {"name": "model-cache", "emptyDir": {"sizeLimit": str(opts["model_cache_size"])}}


def _pvc(opts: dict) -> tuple[str, dict]:
    ctx = base(opts, name=f"{opts['name']}-model-cache")
    # One replica can use ReadWriteOnce; several pods on several nodes need ReadWriteMany.
    ctx["pvc"] = {"size": str(opts["model_cache_size"]), "storage_class": opts["storage_class"],
                  "access_mode": "ReadWriteOnce" if int(opts["replicas"]) <= 1
                  else "ReadWriteMany"}
    return ("pvc.yaml.j2", ctx)


def training(shape: str, opts: dict) -> list:
    world = int(opts["world_size"])
    name, port = opts["name"], int(opts["port"])
    env = {"MASTER_ADDR": f"{name}-0.{name}", "MASTER_PORT": str(port),
           "WORLD_SIZE": str(world), "NPROC_PER_NODE": str(int(opts["gpus"])), "HOME": "/tmp",
           **(opts["env"] or {})}
    command = opts["command"] or [
        "torchrun", "--nnodes=$(WORLD_SIZE)", "--nproc-per-node=$(NPROC_PER_NODE)",
        "--node-rank=$(RANK)", "--master-addr=$(MASTER_ADDR)", "--master-port=$(MASTER_PORT)",
        opts["script"]]
    opts = {**opts, "indexed": True, "completions": world, "parallelism": world,
            "env": env, "command": command}
    rendezvous = service(shape, opts, headless=True)
    template, ctx = job(shape, opts)[0]
    ctx["pod"]["subdomain"] = name
    # Each pod's rank is its completion index, which the Job controller stamps on the pod.
    ctx["c"]["env"].insert(0, {"name": "RANK", "valueFrom": {
        "fieldRef": {"fieldPath": COMPLETION_INDEX}}})
    ctx["workload"]["pod_failure_policy"] = {"rules": [
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}
    return rendezvous + [(template, ctx)]
