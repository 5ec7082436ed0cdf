#!/usr/bin/env python3
"""Generate validated Kueue objects (and a queue-labelled Job/JobSet) as YAML on stdout."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

import yaml

from k8s_skillkit.cli import make_parser, run, shape_errors_as_input
from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import load_objects

from _kueue.queue_validate import validate

EPILOG = """examples:
  make_queue.py flavor h100 --node-label cloud.example.com/accelerator=h100 \\
      --taint nvidia.com/gpu=present:NoSchedule
  make_queue.py cluster-queue team-a-cq --flavor h100 \\
      --quota cpu=64,memory=512Gi,nvidia.com/gpu=8 --cohort gpu-pool \\
      --borrowing-limit nvidia.com/gpu=8 --namespaces all
  make_queue.py local-queue team-a -n team-a --cluster-queue team-a-cq
  make_queue.py cohort gpu-pool
  make_queue.py topology default --levels cloud.example.com/block,kubernetes.io/hostname
  make_queue.py job train -n team-a --queue team-a --gpus 8 --replicas 4 --kind JobSet
  make_queue.py validate -f queues.yaml          # check existing YAML, exit 1 on errors
  make_queue.py ... | kubectl apply --dry-run=server -f -    # always dry-run first

--api v1beta1 writes spec.cohort instead of spec.cohortName for older Kueue (< v0.15).
exit: 0 valid YAML printed, 1 validation errors, 2 bad usage/input."""


def _pairs(text: str | None, sep: str = "=") -> dict:
    out = {}
    for item in filter(None, (text or "").split(",")):
        if sep not in item:
            raise InputError(f"{item!r}: expected KEY{sep}VALUE")
        key, value = item.split(sep, 1)
        out[key.strip()] = value.strip()
    return out


def _meta(args, namespaced=False) -> dict:
    meta = {"name": args.name}
    if namespaced:
        if not args.namespace:
            raise InputError(f"{args.kind_cmd} needs -n NAMESPACE")
        meta["namespace"] = args.namespace
    return meta


def _api(args) -> str:
    return f"kueue.x-k8s.io/{args.api}"


def build_flavor(args) -> list[dict]:
    spec = {}
    if args.node_label:
        spec["nodeLabels"] = _pairs(",".join(args.node_label))
    if args.taint:
        spec["nodeTaints"] = [_taint(t) for t in args.taint]
    if args.topology:
        spec["topologyName"] = args.topology
    return [{"apiVersion": _api(args), "kind": "ResourceFlavor", "metadata": _meta(args),
             "spec": spec}]


def _taint(text: str) -> dict:
    if ":" not in text:
        raise InputError(f"taint {text!r}: expected KEY[=VALUE]:EFFECT")
    kv, effect = text.rsplit(":", 1)
    key, _, value = kv.partition("=")
    taint = {"key": key, "effect": effect}
    if value:
        taint["value"] = value
    return taint


def build_cluster_queue(args) -> list[dict]:
    if not args.flavor or len(args.flavor) != len(args.quota or []):
        raise InputError("give one --quota per --flavor (same order)")
    borrow, lend = _pairs(args.borrowing_limit), _pairs(args.lending_limit)
    flavors = []
    for flavor, quota in zip(args.flavor, args.quota):
        resources = []
        for res, qty in _pairs(quota).items():
            row = {"name": res, "nominalQuota": qty}
            if res in borrow:
                row["borrowingLimit"] = borrow[res]
            if res in lend:
                row["lendingLimit"] = lend[res]
            resources.append(row)
        flavors.append({"name": flavor, "resources": resources})
    spec = {"namespaceSelector": _selector(args.namespaces),
            "resourceGroups": [{"coveredResources": [r["name"] for r in flavors[0]["resources"]],
                                "flavors": flavors}]}
    if spec["namespaceSelector"] is None:
        del spec["namespaceSelector"]
    if args.cohort:
        spec["cohortName" if args.api == "v1beta2" else "cohort"] = args.cohort
    return [{"apiVersion": _api(args), "kind": "ClusterQueue", "metadata": _meta(args),
             "spec": spec}]


def _selector(text: str):
    if text == "all":
        return {}
    if text == "none":
        return None  # nil selects no namespace: only for a deliberately closed queue
    return {"matchLabels": _pairs(text)}


def build_local_queue(args) -> list[dict]:
    if not args.cluster_queue:
        raise InputError("local-queue needs --cluster-queue")
    return [{"apiVersion": _api(args), "kind": "LocalQueue", "metadata": _meta(args, True),
             "spec": {"clusterQueue": args.cluster_queue}}]


def build_cohort(args) -> list[dict]:
    spec = {"parentName": args.parent} if args.parent else {}
    return [{"apiVersion": _api(args), "kind": "Cohort", "metadata": _meta(args), "spec": spec}]


def build_topology(args) -> list[dict]:
    levels = [{"nodeLabel": label} for label in (args.levels or "").split(",") if label]
    return [{"apiVersion": _api(args), "kind": "Topology", "metadata": _meta(args),
             "spec": {"levels": levels}}]


def build_job(args) -> list[dict]:
    if not args.queue:
        raise InputError("job needs --queue LOCALQUEUE (the kueue.x-k8s.io/queue-name label)")
    limits = {"nvidia.com/gpu": str(args.gpus)} if args.gpus else {"cpu": "1"}
    pod = {"restartPolicy": "Never", "containers": [{
        "name": "main", "image": args.image, "resources": {"requests": limits, "limits": limits}}]}
    meta = dict(_meta(args, True), labels={"kueue.x-k8s.io/queue-name": args.queue})
    job_spec = {"parallelism": args.replicas, "completions": args.replicas,
                "completionMode": "Indexed", "template": {"spec": pod}}
    if args.kind == "Job":
        return [{"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                 "spec": dict(job_spec, suspend=True)}]
    single = dict(job_spec, parallelism=1, completions=1)
    return [{"apiVersion": "jobset.x-k8s.io/v1alpha2", "kind": "JobSet", "metadata": meta,
             "spec": {"suspend": True, "replicatedJobs": [
                 {"name": "workers", "replicas": args.replicas, "template": {"spec": single}}]}}]


BUILDERS = {"flavor": build_flavor, "cluster-queue": build_cluster_queue,
            "local-queue": build_local_queue, "cohort": build_cohort,
            "topology": build_topology, "job": build_job}


def build_parser():
    parser = make_parser("Print validated ResourceFlavor, ClusterQueue, LocalQueue, Cohort, "
                         "Topology or queue-labelled Job/JobSet YAML; or validate existing YAML. "
                         "Nothing is applied.", EPILOG)
    parser.add_argument("kind_cmd", choices=sorted(BUILDERS) + ["validate"], metavar="WHAT",
                        help=f"one of: {', '.join(sorted(BUILDERS))}, validate")
    parser.add_argument("name", nargs="?", help="object name")
    parser.add_argument("-n", "--namespace")
    parser.add_argument("-f", "--filename", help="validate: YAML to check (- = stdin)")
    parser.add_argument("--api", choices=["v1beta2", "v1beta1"], default="v1beta2")
    parser.add_argument("--node-label", action="append", help="flavor: KEY=VALUE")
    parser.add_argument("--taint", action="append", help="flavor: KEY[=VALUE]:EFFECT")
    parser.add_argument("--topology", help="flavor: topologyName")
    parser.add_argument("--flavor", action="append", help="cluster-queue: flavor (repeatable)")
    parser.add_argument("--quota", action="append", help="cluster-queue: RES=QTY,... per flavor")
    parser.add_argument("--cohort", help="cluster-queue: cohort name")
    parser.add_argument("--borrowing-limit", help="cluster-queue: RES=QTY,...")
    parser.add_argument("--lending-limit", help="cluster-queue: RES=QTY,...")
    parser.add_argument("--namespaces", default="all",
                        help="cluster-queue: all (default, {}), none (nil!), or KEY=VALUE,...")
    parser.add_argument("--cluster-queue", help="local-queue: target ClusterQueue")
    parser.add_argument("--parent", help="cohort: parent cohort")
    parser.add_argument("--levels", help="topology: node labels, top level first")
    parser.add_argument("--queue", help="job: LocalQueue name")
    parser.add_argument("--gpus", type=int, default=0, help="job: nvidia.com/gpu per pod")
    parser.add_argument("--replicas", type=int, default=1, help="job: pods in the gang")
    parser.add_argument("--image", default="busybox:1.36", help="job: container image")
    parser.add_argument("--kind", choices=["Job", "JobSet"], default="Job")
    return parser


def body(args):
    if args.kind_cmd == "validate":
        if not args.filename:
            raise InputError("validate needs -f FILE")
        objects = load_objects(args.filename)
    else:
        if not args.name:
            raise InputError(f"{args.kind_cmd} needs a NAME")
        objects = BUILDERS[args.kind_cmd](args)
    errors = [e for obj in objects for e in validate(obj)]
    if errors:
        text = "\n".join(f"invalid: {e}" for e in errors)
        return {"valid": False, "errors": errors}, text, 1
    if args.kind_cmd == "validate":
        return {"valid": True, "errors": []}, f"valid: {len(objects)} object(s)", 0
    text = yaml.safe_dump_all(objects, sort_keys=False).rstrip()
    return {"valid": True, "errors": [], "objects": objects}, text, 0


def main(argv=None) -> int:
    return run(build_parser(), argv, shape_errors_as_input(body))


if __name__ == "__main__":
    sys.exit(main())
