#!/usr/bin/env python3
"""Check a distributed job's gang semantics before submitting it to Kueue."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run, shape_errors_as_input
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.loading import kubectl_get, load_objects
from k8s_skillkit.objects import name_of

from _kueue.gang_model import podsets
from _kueue.gang_rules import check_partial, check_placement, check_shape, check_size
from _kueue.jobs import queue_name_of

EPILOG = """examples:
  check_gang.py -f pytorchjob.yaml                  # size, shape, partial admission
  check_gang.py -f jobset.yaml --nodes live         # + can the gang ever be placed (kubectl)
  kubectl get nodes,resourceflavors -o yaml > nodes.yaml
  check_gang.py -f job.yaml --nodes nodes.yaml --json

causes: gang_size_mismatch gang_completions_mismatch partial_admission_breaks_gang
  podset_heterogeneous gang_unplaceable no_queue_label
exit: 0 gang looks sound, 1 findings, 2 bad usage/input."""

JOB_KINDS = {"Job", "JobSet", "PyTorchJob", "TFJob", "XGBoostJob", "PaddleJob", "JAXJob",
             "MPIJob", "LeaderWorkerSet", "RayJob", "RayCluster", "Pod"}


def build_parser():
    parser = make_parser("Validate the gang of a distributed job (world size vs replicas, "
                         "pod-set homogeneity, partial admission, waitForPodsReady) and whether "
                         "the nodes can ever hold it, before submitting it to Kueue.", EPILOG)
    parser.add_argument("-f", "--filename", required=True, metavar="JOB.yaml",
                        help="the job manifest(s) (- = stdin)")
    parser.add_argument("--nodes", metavar="DUMP|live",
                        help="nodes (and optional ResourceFlavors) from a dump, or 'live'")
    return parser


def load_nodes(source):
    if not source:
        return [], {}
    if source == "live":
        objects = kubectl_get("nodes")
        try:
            objects += kubectl_get("resourceflavors.kueue.x-k8s.io")
        except InputError:
            pass  # Kueue absent: nodes alone still answer the placement question
    else:
        objects = load_objects(source)
    nodes = [o for o in objects if o.get("kind") == "Node"]
    flavors = {name_of(o): o for o in objects if o.get("kind") == "ResourceFlavor"}
    if not nodes:
        raise InputError(f"{source}: no Node objects found")
    return nodes, flavors


def check_one(obj, nodes, flavors) -> tuple[list[dict], dict]:
    sets = podsets(obj)
    rows = check_size(obj, sets) + check_partial(sets) + check_shape(sets)
    if nodes:
        rows += check_placement(sets, nodes, flavors)
    if not queue_name_of(obj):
        rows.append(("warning", "no_queue_label", "no kueue.x-k8s.io/queue-name label: Kueue "
                     "will not gang-admit this job", [], "add metadata.labels "
                     "kueue.x-k8s.io/queue-name: <LocalQueue>"))
    pods = sum(ps["count"] for ps in sets)
    gang = {"kind": obj.get("kind"), "name": name_of(obj), "pods": pods,
            "pod_sets": [{k: ps[k] for k in ("name", "count", "min_count")} for ps in sets],
            "expectation": f"Kueue reserves quota for all {pods} pod(s) at once; with "
                           "waitForPodsReady (default on since v0.19, timeout 30m) all must be "
                           "Ready in time or the whole gang is evicted and requeued"}
    confirm = _confirm_commands(obj)
    return [finding(sev, cause, obj, msg, ev, fix, basis="inferred",
                    confirm=confirm.get(cause, confirm["default"]))
            for sev, cause, msg, ev, fix in rows], gang


def _confirm_commands(obj: dict) -> dict:
    """The one command that checks each inference on the cluster (these are checks of a
    manifest before submission: nothing has reported anything yet)."""
    ns = (obj.get("metadata") or {}).get("namespace") or "NAMESPACE"
    kind = str(obj.get("kind", "")).lower()
    return {
        "gang_unplaceable": "kubectl get nodes -o custom-columns=NAME:.metadata.name,"
                            "GPU:.status.allocatable.nvidia\\.com/gpu,TAINTS:.spec.taints",
        "no_queue_label": f"kubectl get localqueues.kueue.x-k8s.io -n {ns}",
        "default": f"kubectl apply --dry-run=server -f JOB.yaml && kubectl get {kind} -n {ns} "
                   f"{name_of(obj)} -o yaml",
    }


def body(args):
    jobs = [o for o in load_objects(args.filename) if o.get("kind") in JOB_KINDS]
    if not jobs:
        raise InputError(f"{args.filename}: no job found (Job, JobSet, PyTorchJob, MPIJob, "
                         "LeaderWorkerSet, RayJob, Pod)")
    nodes, flavors = load_nodes(args.nodes)
    findings, gangs = [], []
    for obj in jobs:
        found, gang = check_one(obj, nodes, flavors)
        findings += found
        gangs.append(gang)
    lines = [f"{g['kind']} {g['name']}: gang of {g['pods']} pod(s) ({_sets(g)}); "
             f"{g['expectation']}" for g in gangs]
    text = "\n".join(lines)
    text += "\n\n" + (render_text(findings) if findings else "gang looks sound")
    return {"gangs": gangs, "findings": findings}, text, exit_code(findings)


def _sets(gang: dict) -> str:
    return ", ".join(f"{p['name']} x{p['count']}" for p in gang["pod_sets"])


def main(argv=None) -> int:
    return run(build_parser(), argv, shape_errors_as_input(body))


if __name__ == "__main__":
    sys.exit(main())
