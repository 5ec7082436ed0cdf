#!/usr/bin/env python3
"""Check what a rolling update of a GPU Deployment (model servers) does to serving capacity:
maxSurge and maxUnavailable resolved as the Deployment controller resolves them, the GPUs each
pod needs, the free GPUs on the nodes its pods may use, and the verdict: the roll stalls (the
surge pods cannot get a GPU and maxUnavailable is 0), serving capacity drops (old pods go
before new ones have loaded the model), or it is safe. Works before a rollout (what would
happen) and during one (the new pods that are Pending, with the scheduler's words)."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import add_dump_arg, make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.loading import kubectl_get
from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.quantity import format_quantity

from _tshoot.input import read_dump
from _tshoot.rollout import Plan, fenceposts, gpu_requests, plan, room_for

EPILOG = """how the controller rolls (references/gpu-training.md, "An inference rolling upgrade"):
  maxSurge (default 25%, rounded up) new pods are added before old ones go; maxUnavailable
  (default 25%, rounded down) old pods may go before new ones are available. A GPU server's
  surge pod needs a free GPU; a new pod needs minutes to load the model.

examples:
  check_rollout.py -n serving                 live: every GPU Deployment there
  check_rollout.py -n serving llama-70b       one Deployment
  kubectl get deploy,pods,nodes,events -A -o yaml > d.yaml; check_rollout.py -f d.yaml
causes: rollout_surge_stalls (maxUnavailable 0 and no free GPU for the surge),
  rollout_capacity_drop (maxUnavailable > 0: fewer pods serve until new ones load).
exit: 0 safe or no GPU Deployment, 1 findings, 2 bad input."""


def read_objects(args) -> list[dict]:
    if args.filename:
        objects = read_dump(args.filename)
        return [o for o in objects if isinstance(o, dict)]
    out: list[dict] = []
    for resource, kind, namespaced in (("deployments.apps", "Deployment", True),
                                       ("pods", "Pod", False), ("nodes", "Node", False),
                                       ("events", "Event", True)):
        # pods everywhere: other namespaces' pods hold GPUs too
        items = kubectl_get(resource, namespace=args.namespace if namespaced else None,
                            all_namespaces=not (namespaced and args.namespace))
        for item in items:
            item.setdefault("kind", kind)
        out += list(items)
    return out


def scheduler_words(events: list[dict], pods: list[str], namespace: str) -> list[str]:
    """The scheduler's FailedScheduling message for the new pods, when the input has it."""
    out = []
    for event in events:
        obj = event.get("involvedObject") or event.get("regarding") or {}
        if event.get("reason") == "FailedScheduling" and obj.get("name") in pods and \
                namespace_of(event) in ("", namespace):
            text = f"{obj.get('name')}: {event.get('message') or event.get('note') or ''}"
            if text not in out:
                out.append(text)
    return out[:3]


def _gpus(want: dict) -> str:
    return ", ".join(f"{format_quantity(q, r)} {r}" for r, q in sorted(want.items()))


def deployment_findings(dep: dict, p: Plan, room, events: list[dict]) -> list[dict]:
    ns, name = namespace_of(dep), name_of(dep)
    math_line = (f"replicas {p.replicas}, maxSurge {p.surge}, maxUnavailable {p.unavailable} "
                 "(ResolveFenceposts: surge rounds up, unavailable rounds down)")
    need = (f"each pod needs {_gpus(p.gpus_per_pod)}; free on the {room.nodes} node(s) its "
            f"pods may use: {_gpus(room.free)} (room for {sum(n for _, n in room.per_node)} "
            "more pod(s))")
    said = scheduler_words(events, p.pending_new, ns)
    rolling = p.updated < p.replicas or bool(p.pending_new)
    evidence = [math_line, need] + ([f"new pod(s) Pending: {', '.join(p.pending_new)}"]
                                    if p.pending_new else []) + said
    confirm = f"kubectl rollout status deployment/{name} -n {ns} --timeout=10s"
    if p.state == "stalls":
        when = "is stalled" if rolling and p.pending_new else "would stall"
        return [finding("error" if rolling else "warning", "rollout_surge_stalls", dep,
                        f"the rollout {when}: with maxUnavailable 0 the controller must add "
                        f"{p.surge} surge pod(s) before it removes an old one, and only "
                        f"{p.surge_fits} fit in the free GPUs, so the new pods stay Pending "
                        "until progressDeadlineSeconds marks the rollout failed",
                        evidence, "free enough GPUs for the surge on these nodes, or set "
                        "strategy.rollingUpdate to maxSurge: 0, maxUnavailable: 1 (one "
                        "replica less while each new pod loads the model)",
                        basis="reported" if said else "inferred", confirm=confirm)]
    if p.state == "drops":
        floor = max(0, p.replicas - p.unavailable)
        return [finding("warning", "rollout_capacity_drop", dep,
                        f"a rollout lowers serving capacity: the controller may remove "
                        f"{p.unavailable} old pod(s) at once (maxUnavailable), so only {floor} of "
                        f"{p.replicas} serve until the new pods have loaded the model"
                        + ("" if p.surge_fits >= p.surge else
                           f"; the {p.surge} surge pod(s) find {p.surge_fits} free GPU "
                           "slot(s), so new pods wait for old ones to go"),
                        evidence + [_readiness_line(dep)], "give the server a readiness probe "
                        "that passes only once the model is loaded (vLLM: /health) and "
                        "minReadySeconds, and roll with maxUnavailable: 0 when spare GPUs "
                        "exist for maxSurge", basis="inferred", confirm=confirm)]
    return []


def _readiness_line(dep: dict) -> str:
    containers = dig(dep, "spec", "template", "spec", "containers", default=[]) or []
    probed = [c.get("name") for c in containers if c.get("readinessProbe")]
    if not probed:
        return ("no container has a readinessProbe: a pod counts as available as soon as it "
                "runs, before the model is loaded")
    return f"readinessProbe on {', '.join(map(str, probed))}: check it waits for the model"


def body(args):
    objects = read_objects(args)
    deployments = [o for o in objects if o.get("kind") == "Deployment" and
                   (not args.namespace or namespace_of(o) == args.namespace) and
                   (not args.name or name_of(o) == args.name)]
    if args.name and not deployments:
        raise InputError(f"no Deployment {args.name!r} in the input")
    nodes = [o for o in objects if o.get("kind") == "Node"]
    pods = [o for o in objects if o.get("kind") == "Pod"]
    events = [o for o in objects if o.get("kind") == "Event"]
    findings, rows, lines = [], [], []
    for dep in deployments:
        if dig(dep, "spec", "strategy", "type") == "Recreate" or not gpu_requests(dep):
            continue
        try:
            surge, unavailable = fenceposts(dep)
        except ValueError as err:
            raise InputError(f"Deployment {namespace_of(dep)}/{name_of(dep)}: "
                             f"strategy.rollingUpdate: {err}") from err
        room = room_for(dep, nodes, pods)
        p = plan(dep, room, pods)
        rows.append({"deployment": f"{namespace_of(dep)}/{name_of(dep)}", "state": p.state,
                     "replicas": p.replicas, "max_surge": surge,
                     "max_unavailable": unavailable, "surge_fits": p.surge_fits,
                     "free": {r: str(q) for r, q in room.free.items()},
                     "pending_new_pods": p.pending_new})
        lines.append(f"{namespace_of(dep)}/{name_of(dep)}: {p.state}")
        findings += deployment_findings(dep, p, room, events)
    if not rows:
        text = "no GPU Deployment with a RollingUpdate strategy in the input"
    elif not nodes:
        raise InputError("no Node in the input: free GPUs are counted on nodes (kubectl get "
                         "nodes -o yaml)")
    else:
        text = "\n".join(lines) + ("\n\n" + render_text(findings) if findings else "")
    return {"deployments": rows, "findings": findings}, text, exit_code(findings)


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EPILOG)
    parser.add_argument("-n", "--namespace", help="the Deployments' namespace")
    add_dump_arg(parser, "kubectl get deploy,pods,nodes,events -A -o yaml")
    parser.add_argument("name", nargs="?", metavar="DEPLOYMENT")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
