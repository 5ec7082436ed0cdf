#!/usr/bin/env python3
"""Generate least-privilege RBAC (and tenant NetworkPolicies) for an AI agent's ServiceAccount."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError

import yaml

from _rbac.agent_roles import MODES, agent_objects, grants, network_policies

EXAMPLES = """modes:
  advisory         read-only: get/list/watch everything cluster-wide except Secrets
  semi-autonomous  + create/update/patch of named kinds (default: Kueue Workloads,
                   HTTPRoutes) in --write-namespaces only
  operator         + create/update/patch/delete of workload kinds (Deployments and their
                   scale, Jobs, Services, ConfigMaps, Pods, LocalQueues, routes, ...)
                   in --write-namespaces only
No mode grants RBAC objects, admission webhooks, CSRs, Secrets' data (unless
--read-secrets), impersonate/escalate/bind, or pods/exec.

examples:
  make_agent_rbac.py --mode advisory --namespace agent-system
  make_agent_rbac.py --mode semi-autonomous --namespace agent-system \\
      --write-namespaces team-a,team-b
  make_agent_rbac.py --mode operator --namespace agent-system --write-namespaces shop \\
      --kinds apps/deployments,apps/deployments/scale,/configmaps --apply
Verify: kubectl auth can-i --list --as=system:serviceaccount:agent-system:k8s-agent -n shop
"""
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$")


def split_list(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def build(args) -> list[dict]:
    write_ns = split_list(args.write_namespaces)
    for value in [args.namespace, args.name, args.gateway_namespace] + write_ns:
        if not NAME_RE.match(value):
            raise InputError(f"{value!r}: not a valid Kubernetes name")
    if args.mode != "advisory" and not write_ns:
        raise InputError(f"--mode {args.mode} needs --write-namespaces (where it may write)")
    if args.mode == "advisory" and (write_ns or args.kinds):
        raise InputError("--mode advisory is read-only: drop --write-namespaces/--kinds")
    try:
        objects = agent_objects(args.mode, args.namespace, write_ns, args.name,
                                split_list(args.kinds) or None, args.read_secrets,
                                split_list(args.extra_read_groups))
    except ValueError as err:
        raise InputError(str(err)) from err
    if args.network_policies:
        for ns in split_list(args.tenant_namespaces) or write_ns:
            objects += network_policies(ns, args.gateway_namespace, args.name)
    return json.loads(json.dumps(objects))  # no shared sub-objects: no YAML anchors


def apply(objects: list[dict]) -> str:
    """Server-side dry-run first; apply only when it passes."""
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("kubectl not found on PATH: print the YAML and apply it yourself")
    text = yaml.safe_dump_all(objects, sort_keys=False)
    for extra in (["--dry-run=server"], []):
        try:
            proc = subprocess.run([exe, "apply", "-f", "-", *extra], input=text,
                                  capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired as err:
            raise InputError("kubectl apply: no answer in 60s") from err
        if proc.returncode != 0:
            stage = "server-side dry-run" if extra else "apply"
            raise InputError(f"kubectl {stage} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def body(args):
    objects = build(args)
    subject = f"system:serviceaccount:{args.namespace}:{args.name}"
    payload = {"mode": args.mode, "subject": subject, "objects": objects,
               "grants": grants(args.mode, split_list(args.kinds) or None)}
    if args.apply:
        payload["applied"] = apply(objects).splitlines()
        text = "\n".join([f"applied for {subject} ({args.mode}):"] + payload["applied"])
        return payload, text, 0
    header = "".join(f"# {line}\n" for line in [f"{args.mode} agent {subject}"]
                     + payload["grants"])
    return payload, header + yaml.safe_dump_all(objects, sort_keys=False).rstrip(), 0


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("--mode", required=True, choices=MODES)
    parser.add_argument("--namespace", required=True,
                        help="namespace of the agent's ServiceAccount")
    parser.add_argument("--write-namespaces", action="append", default=[], metavar="NS[,NS]",
                        help="namespaces the agent may write to (semi-autonomous, operator)")
    parser.add_argument("--name", default="k8s-agent",
                        help="ServiceAccount name and prefix of every object (default k8s-agent)")
    parser.add_argument("--kinds", action="append", default=[], metavar="GROUP/RESOURCE",
                        help="writable kinds, e.g. kueue.x-k8s.io/workloads,apps/deployments,"
                             "/configmaps (default per mode)")
    parser.add_argument("--read-secrets", action="store_true",
                        help="also let it read Secrets (only when the user asked for it)")
    parser.add_argument("--extra-read-groups", action="append", default=[], metavar="GROUP",
                        help="more API groups to read (CRDs not in the built-in list)")
    parser.add_argument("--no-network-policies", dest="network_policies",
                        action="store_false",
                        help="skip the tenant NetworkPolicies in the write namespaces")
    parser.add_argument("--tenant-namespaces", action="append", default=[], metavar="NS",
                        help="namespaces to isolate (default: the write namespaces)")
    parser.add_argument("--gateway-namespace", default="gateway-system",
                        help="namespace whose gateway may reach tenant pods")
    parser.add_argument("--apply", action="store_true",
                        help="apply with kubectl (server-side dry-run first)")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
