#!/usr/bin/env python3
"""Find why Gateway API routes and InferencePools drop traffic, live or from a dump."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run  # noqa: E402
from k8s_skillkit.errors import InputError  # noqa: E402
from k8s_skillkit.findings import exit_code, render_text  # noqa: E402
from k8s_skillkit.loading import kubectl_get, load_objects  # noqa: E402

from _gw_objects import (GW_GROUP, POOL_GROUP, ROUTE_KINDS, Index, backend_refs,  # noqa: E402
                         group_of, meta, parent_refs)
from _gw_rules_pool import check_gateway, check_outdated, check_pool, is_alpha  # noqa: E402
from _gw_rules_route import check_route  # noqa: E402

EPILOG = """examples:
  check_routes.py -n llm                  # live: routes + pools in namespace llm
  check_routes.py -A --json               # live: every namespace, machine-readable
  kubectl get gatewayclasses,gateways,httproutes,grpcroutes,referencegrants,inferencepools,\\
      services,pods,namespaces -A -o yaml > dump.yaml && check_routes.py -f dump.yaml
  check_routes.py -f dump.yaml --route llm/chat   # one route (NAMESPACE/NAME or NAME)

causes (references/causes.md): parent_not_found not_allowed_by_listener hostname_mismatch
  backend_not_found ref_not_permitted port_mismatch unsupported_backend_kind
  backend_unresolved route_not_accepted pool_selects_no_pods pool_target_port_mismatch
  endpoint_picker_missing pool_not_accepted outdated_inference_api no_timeouts no_tls
  gateway_class_not_found gateway_not_ready not_checked
Status conditions written by a controller win when current; otherwise the verdict is
derived from the objects (works with no Gateway controller at all).
exit: 0 nothing wrong, 1 findings (warning or error), 2 bad usage/input."""

# (resource, kind, required): required ones must answer, or the cluster is not reachable.
NAMESPACED = [("services", "Service", True), ("pods", "Pod", False),
              ("httproutes.gateway.networking.k8s.io", "HTTPRoute", False),
              ("grpcroutes.gateway.networking.k8s.io", "GRPCRoute", False),
              ("gateways.gateway.networking.k8s.io", "Gateway", False),
              ("referencegrants.gateway.networking.k8s.io", "ReferenceGrant", False),
              ("inferencepools.inference.networking.k8s.io", "InferencePool", False),
              ("inferencepools.inference.networking.x-k8s.io", "InferencePool", False),
              ("inferencemodels.inference.networking.x-k8s.io", "InferenceModel", False),
              ("inferenceobjectives.inference.networking.x-k8s.io", "InferenceObjective", False)]
CLUSTER = [("gatewayclasses.gateway.networking.k8s.io", "GatewayClass"),
           ("namespaces", "Namespace")]
FOREIGN = {"Service", "Gateway", "ReferenceGrant", "InferencePool", "Pod"}


def _fetch(resource, namespace, all_ns, required, notes) -> list[dict] | None:
    try:
        return kubectl_get(resource, namespace=namespace, all_namespaces=all_ns)
    except InputError as err:
        if required:
            raise
        text = str(err)
        if "doesn't have a resource type" not in text and "the server could not find" not in text:
            notes.append(f"skipped {resource}: {text}")
        return None


def read_live(namespace: str | None, all_ns: bool, notes: list) -> tuple[list[dict], set]:
    objects, covered = [], set()
    primary = None if all_ns else (namespace or "default")
    scopes, seen = [primary], set()
    while scopes:
        ns = scopes.pop(0)
        seen.add(ns)
        for resource, kind, required in NAMESPACED:
            if ns != primary and kind not in FOREIGN:
                continue  # a referenced namespace: only what the references can point at
            items = _fetch(resource, ns, ns is None, required, notes)
            if items is not None:
                covered.add(kind)
                objects += items
        if ns == primary and ns is not None:
            scopes += sorted(_referenced(objects) - seen - set(scopes))
    for resource, kind in CLUSTER:
        items = _fetch(resource, None, False, False, notes)
        if items is not None:
            covered.add(kind)
            objects += items
    return objects, covered


def _referenced(objects) -> set[str]:
    out = set()
    for obj in objects:
        if obj.get("kind") in ROUTE_KINDS:
            out |= {r["namespace"] for r in parent_refs(obj)}
            out |= {r["namespace"] for _, r in backend_refs(obj)}
    return out


def _in_scope(obj, args) -> bool:
    if args.route:
        ns, _, name = args.route.rpartition("/")
        return meta(obj, "name") == name and (not ns or meta(obj, "namespace") == ns)
    if args.file or args.all_namespaces:
        return not args.namespace or meta(obj, "namespace") == args.namespace
    return meta(obj, "namespace") == (args.namespace or "default")


def diagnose(index: Index, args) -> tuple[list[dict], dict]:
    findings, counts = [], {"routes": 0, "pools": 0, "gateways": 0}
    for obj in index.objects:
        kind = obj.get("kind")
        if args.route and kind not in ROUTE_KINDS:
            continue
        if not _in_scope(obj, args):
            continue
        if kind in ROUTE_KINDS and group_of(obj) == GW_GROUP:
            counts["routes"] += 1
            findings += check_route(index, obj)
        elif kind == "InferencePool" and group_of(obj) == POOL_GROUP:
            counts["pools"] += 1
            findings += check_pool(index, obj)
        elif is_alpha(obj):
            counts["pools"] += kind == "InferencePool"
            findings += check_outdated(obj)
        elif kind == "Gateway" and group_of(obj) == GW_GROUP:
            counts["gateways"] += 1
            findings += check_gateway(index, obj)
    return findings, counts


def render(findings, counts, notes, verbose) -> str:
    by = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    head = (f"checked {counts['routes']} route(s), {counts['pools']} InferencePool(s), "
            f"{counts['gateways']} Gateway(s): {by['error']} error(s), {by['warning']} "
            f"warning(s), {by['info']} info")
    shown = findings if verbose else [f for f in findings if f["severity"] != "info"][:20]
    lines = [head]
    if shown:
        lines.append(render_text(shown))
    hidden = len(findings) - len(shown)
    if hidden:
        lines.append(f"({hidden} more, mostly info/not_checked: --verbose shows all)")
    if not findings:
        lines.append("no problems found: attachment, backends, pools, timeouts and TLS look right")
    return "\n".join(lines)


def body(args):
    notes: list[str] = []
    if args.file:
        index = Index(load_objects(args.file))
    else:
        objects, covered = read_live(args.namespace, args.all_namespaces, notes)
        index = Index(objects, covered)
    findings, counts = diagnose(index, args)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    payload = {"summary": counts, "findings": findings, "notes": notes}
    return payload, render(findings, counts, notes, args.verbose), exit_code(findings)


def main(argv=None) -> int:
    parser = make_parser("Check Gateway API routes (HTTPRoute, GRPCRoute), Gateways and "
                         "InferencePools for the mistakes that silently drop traffic.",
                         epilog=EPILOG)
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace", help="namespace to check (live default: default)")
    scope.add_argument("-A", "--all-namespaces", action="store_true", help="every namespace")
    parser.add_argument("-f", "--file", help="kubectl get -o yaml|json dump; - for stdin")
    parser.add_argument("--route", help="only this route: NAMESPACE/NAME or NAME")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show every finding, info included")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
