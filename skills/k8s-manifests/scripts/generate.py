#!/usr/bin/env python3
"""Generate hardened Kubernetes manifests (workloads, services, AI serving and training)."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

import yaml

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import read_text

from _manifest.render import engine_name, render
from _manifest.shapes import COMPANIONS, SHAPES, build, notes, resolve

EPILOG = """\
shapes:
  deployment     Deployment (+ --with service,pdb,hpa)     needs --image
  statefulset    StatefulSet + headless Service + PVC template   needs --image
  job            Job (--indexed for completionMode Indexed) needs --image
  service | configmap | pdb | hpa     one object, selecting app.kubernetes.io/name=NAME
  llm-inference  vLLM-style GPU Deployment + Service: startup/readiness/liveness on
                 /health:8000, /dev/shm in memory, model cache (emptyDir or --model-cache pvc)
  training-job   indexed Job (completions = parallelism = --world-size), --gpus per pod,
                 Kueue queue label (--queue, default user-queue; --queue '' without Kueue),
                 headless Service for rendezvous, MASTER_ADDR/WORLD_SIZE/RANK env

examples:
  generate.py deployment --name web --image nginx:1.27 --port 8080 --with service,pdb
  generate.py job --name etl --image python:3.12-slim --indexed --completions 4 \\
      --command python,-m,etl
  generate.py llm-inference --name qwen --model Qwen/Qwen2.5-1.5B-Instruct --gpus 1
  generate.py training-job --name llama-ft --world-size 4 --gpus 8 --queue team-a
  generate.py -f spec.yaml            # spec keys = option names (snake_case), plus `shape`
  generate.py training-job --name t -o - | validate_manifest.py -f -
  generate.py llm-inference --name m --args=--model,org/m,--max-model-len,8192
      (a value that starts with - needs the --flag=value form)

Every workload gets requests and limits, probes when a port is known, the
app.kubernetes.io/{name,instance,component,part-of,managed-by} labels and a restricted
securityContext (runAsNonRoot, no privilege escalation, drop ALL, seccomp RuntimeDefault,
read-only root with emptyDir mounts for --writable paths, /tmp by default).
Output is YAML on stdout (--json: the objects in a JSON document). Nothing is applied:
review, then `kubectl apply --dry-run=server -f out.yaml` and `kubectl diff -f out.yaml`.
Templates live in assets/ and render with Jinja2 when installed, else with a built-in
renderer that supports everything they use (output is identical).
"""

# option name -> (type, help); lists are comma-separated, maps are KEY=VALUE repeated.
OPTIONS = {
    "name": (str, "object name (also app.kubernetes.io/name)"),
    "namespace": (str, "metadata.namespace (default: none, kubectl's context decides)"),
    "image": (str, "container image with a pinned tag or digest"),
    "instance": (str, "app.kubernetes.io/instance (default NAME)"),
    "part_of": (str, "app.kubernetes.io/part-of (default NAME)"),
    "component": (str, "app.kubernetes.io/component"),
    "managed_by": (str, "app.kubernetes.io/managed-by (default kubectl)"),
    "port": (int, "container port (enables probes and the Service)"),
    "port_name": (str, "container port name (default http)"),
    "health_path": (str, "HTTP health path for probes (default: tcpSocket probes)"),
    "replicas": (int, "replicas (omitted when --with hpa)"),
    "cpu": (str, "CPU request (default 250m)"), "memory": (str, "memory request"),
    "cpu_limit": (str, "CPU limit (default 1)"),
    "memory_limit": (str, "memory limit (default = memory request)"),
    "gpus": (int, "GPUs per pod (request = limit)"),
    "gpu_resource": (str, "extended resource name (default nvidia.com/gpu)"),
    "env": (dict, "KEY=VALUE environment variable (repeat)"),
    "command": (list, "container command, comma-separated"),
    "args": (list, "container args, comma-separated"),
    "run_as_user": (int, "UID for runAsUser/runAsGroup/fsGroup (default 65532)"),
    "writable_paths": (list, "paths that get an emptyDir (default /tmp)"),
    "with": (list, f"companions for deployment/statefulset: {','.join(COMPANIONS)}"),
    "data": (dict, "ConfigMap KEY=VALUE (repeat)"),
    "completions": (int, "Job completions"), "parallelism": (int, "Job parallelism"),
    "indexed": (bool, "Job completionMode: Indexed"),
    "backoff_limit": (int, "Job backoffLimit (default 3)"),
    "ttl": (int, "Job ttlSecondsAfterFinished (default 86400)"),
    "queue": (str, "Kueue LocalQueue name: adds the queue label and suspend: true"),
    "min_available": ("intstr", "PDB minAvailable (default: maxUnavailable 1)"),
    "max_unavailable": ("intstr", "PDB maxUnavailable"),
    "min_replicas": (int, "HPA minReplicas"), "max_replicas": (int, "HPA maxReplicas"),
    "cpu_utilization": (int, "HPA CPU utilization target (percent of the request)"),
    "target": (str, "HPA target name (default NAME)"), "target_kind": (str, "HPA target kind"),
    "target_port": (str, "Service targetPort"), "service_type": (str, "Service type"),
    "storage": (str, "StatefulSet volumeClaimTemplate size"),
    "model": (str, "llm-inference: model id passed to the server"),
    "model_cache": (str, "llm-inference: emptyDir (default) or pvc"),
    "model_cache_size": (str, "llm-inference: cache size (default 100Gi)"),
    "storage_class": (str, "PVC storageClassName"),
    "shm_size": (str, "GPU pods: /dev/shm size (default 8Gi)"),
    "hf_token_secret": (str, "llm-inference: Secret holding key `token` for HF_TOKEN"),
    "world_size": (int, "training-job: pods (= completions = parallelism)"),
    "script": (str, "training-job: script torchrun starts (default train.py)"),
}


def build_parser():
    parser = make_parser(__doc__.strip(), EPILOG)
    parser.usage = "%(prog)s SHAPE --name NAME [--image IMAGE] [options] | -f SPEC.yaml"
    parser.add_argument("shape", nargs="?", choices=SHAPES, metavar="SHAPE",
                        help=f"one of: {', '.join(SHAPES)} (or `shape:` in -f spec)")
    parser.add_argument("-f", "--spec", metavar="FILE", help="spec YAML (keys = option names)")
    parser.add_argument("-o", "--output", metavar="FILE", default="-",
                        help="write YAML here (default stdout)")
    for name, (kind, text) in OPTIONS.items():
        flag = "--" + name.replace("_", "-")
        if kind is bool:
            parser.add_argument(flag, dest=name, action="store_const", const=True, help=text)
        elif kind is dict:
            parser.add_argument(flag, dest=name, action="append", metavar="KEY=VALUE", help=text)
        else:
            parser.add_argument(flag, dest=name, metavar=name.upper(), help=text)
    return parser


def body(args):
    spec = _read_spec(args.spec) if args.spec else {}
    shape = args.shape or spec.pop("shape", None)
    spec.pop("shape", None)
    if not shape:
        raise InputError("give a SHAPE (e.g. `generate.py deployment ...`) or `shape:` in -f spec")
    given = {**{k.replace("-", "_"): v for k, v in spec.items()}, **_flag_values(args)}
    opts = resolve(shape, _coerce(given))
    objects = []
    for template, context in build(shape, opts):
        text = render(template, context)
        objects.extend(d for d in yaml.safe_load_all(text) if d)
    text = yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False, width=100)
    if args.output != "-":
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        text = f"wrote {len(objects)} object(s) to {args.output}"
    print(f"rendered with {engine_name()}", file=sys.stderr)
    for note in notes(shape, opts):
        print(f"note: {note}", file=sys.stderr)
    return {"shape": shape, "objects": objects}, text.rstrip("\n"), 0


def _read_spec(path: str) -> dict:
    text, label = read_text(path)
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError(f"{label}: not valid YAML: {' '.join(str(err).split())[:200]}") from err
    if not isinstance(spec, dict):
        raise InputError(f"{label}: a spec is a mapping of option names to values")
    return spec


def _flag_values(args) -> dict:
    return {name: getattr(args, name) for name in OPTIONS if getattr(args, name) is not None}


def _coerce(given: dict) -> dict:
    """Flags arrive as strings, spec values as YAML types: bring both to the option type."""
    out = {}
    for name, value in given.items():
        kind = OPTIONS.get(name, (None,))[0]
        try:
            out[name] = _convert(kind, value)
        except (TypeError, ValueError) as err:
            raise InputError(f"{name}: {value!r} is not a valid "
                             f"{getattr(kind, '__name__', kind)}") from err
    return out


def _convert(kind, value):
    if kind == "intstr":  # "1" would be an invalid IntOrString: only "N%" may be a string
        return int(value) if str(value).isdigit() else str(value)
    if kind is int:
        return int(value)
    if kind is list and isinstance(value, str):
        return [v for v in value.split(",") if v]
    if kind is dict and isinstance(value, list):
        pairs = [item.split("=", 1) for item in value]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("expected KEY=VALUE")
        return dict(pairs)
    return value


def main(argv=None) -> int:
    return run(build_parser(), argv, body)


if __name__ == "__main__":
    sys.exit(main())
