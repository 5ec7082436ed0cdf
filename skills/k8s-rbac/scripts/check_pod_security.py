#!/usr/bin/env python3
"""Check pod specs against Pod Security Standards (baseline, restricted) and a platform policy."""
from __future__ import annotations

import os
import sys
from typing import NoReturn

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, render_text
from k8s_skillkit.loading import kubectl_get, load_mapping, load_objects, load_paste
from k8s_skillkit.prose import refuse_unless_report

from _rbac.pod_policy import (LEVELS, check_object, cluster_bound_service_accounts,
                         policy_problems)
from _rbac.denials import parse as parse_denials, texts_of
from _rbac.why import explain
from _rbac import pss_words

EXAMPLES = """policy file (YAML, see references/pod-security.md):
  level: restricted                     # privileged | baseline | restricted
  allowed_tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  allowed_node_selectors: {nvidia.com/gpu.product: [NVIDIA-A100-SXM4-80GB], kubernetes.io/os: "*"}
  automount_service_account_token: false
  namespace_scoped_only: true           # no pod may run as a cluster-bound ServiceAccount
  exempt_namespaces: [kube-system]

A pasted rejection (`pods "x" is forbidden: violates PodSecurity "restricted:latest": ...`,
FailedCreate events, `would violate PodSecurity` warnings, PodSecurityPolicy errors) is read
too: what admission reported comes first, the spec checks after it.

examples:
  check_pod_security.py -f deploy.yaml --level restricted
  check_pod_security.py -f events.txt             kubectl describe rs / get events output
  check_pod_security.py -n team-a --policy platform-policy.yaml      live pods of team-a
  check_pod_security.py -A --level baseline --json
exit: 0 compliant, 1 findings, 2 bad input.
"""
WORKLOADS = "pods"
TEMPLATES = "deployments,statefulsets,daemonsets,jobs,cronjobs"


def load_policy(args) -> dict:
    policy: dict = {}
    if args.policy:
        policy = load_mapping(args.policy, "a policy")
        problems = policy_problems(policy)
        if problems:
            raise InputError(f"{args.policy}: {'; '.join(problems)}")
    if args.level:
        policy["level"] = args.level
    policy.setdefault("level", "baseline")
    return policy


PASTE_ASKS = ("kubectl get events -n NAMESPACE --field-selector reason=FailedCreate",
              "kubectl get deploy,ds,sts NAME -n NAMESPACE -o yaml",
              "kubectl get namespace NAMESPACE --show-labels")


def _texts(objects) -> list[str]:
    return [str(t) for t in getattr(objects, "texts", None) or ()]


def _unreadable(texts: list[str], label: str) -> NoReturn:
    raise refuse_unless_report("\n".join(texts), label, f"{label}: no pod spec and no Pod "
                               "Security refusal found (paste the manifest, or the FailedCreate "
                               "event)", PASTE_ASKS)


def load(args, policy: dict) -> tuple[list[dict], set | None]:
    if args.file:
        objects = load_paste(args.file)
        if not len(objects) and not _texts(objects):
            objects = load_objects(args.file)  # the one-line "nothing readable" error
        bindings = [o for o in objects if o.get("kind") == "ClusterRoleBinding"]
        return objects, cluster_bound_service_accounts(bindings) if bindings else None
    if not args.namespace and not args.all_namespaces:
        raise InputError("say what to check: -f FILE, -n NAMESPACE or -A")
    kinds = WORKLOADS + ("," + TEMPLATES if args.templates else "")
    objects = kubectl_get(kinds, namespace=args.namespace, all_namespaces=args.all_namespaces)
    bound = None
    if policy.get("namespace_scoped_only"):
        bound = cluster_bound_service_accounts(kubectl_get("clusterrolebindings"))
    return objects, bound


_SECURITY_KINDS = ("pod-security", "psp", "privileged-disallowed", "kubelet-nonroot")


def admission_denials(objects) -> list:
    """Pod refusals written in the input (reported): Pod Security / PodSecurityPolicy / SCC
    first, then the other admission refusals; a webhook's denial that only relays a Pod
    Security violation (a pod-security webhook) is that violation, not a second refusal."""
    found = _admission_denials(objects)
    security = [d for d in found if d.kind in _SECURITY_KINDS]
    others = [d for d in found if d.kind not in _SECURITY_KINDS
              and not (security and "PodSecurity" in d.text)]
    return security + others


def _admission_denials(objects) -> list:
    seen, out = set(), []
    for text in texts_of(objects):
        for denial in parse_denials(text):
            # (every admission refusal of a pod: a FailedCreate for a quota, a LimitRange or a
            # webhook is what stops the pod as surely as a security check, and the user who
            # pastes it here asks why the pod is refused)
            if denial.kind in _SECURITY_KINDS + ("admission", "webhook", "policy") and \
                    denial.key() not in seen:
                seen.add(denial.key())
                out.append(denial)
    return out


def body(args):
    policy = load_policy(args)
    objects, bound = load(args, policy)
    findings = []
    rejected = admission_denials(objects)
    for denial in rejected:
        findings += explain(denial, objects)
    if args.file and not len(objects) and not rejected:
        # no pod spec, no refusal a component printed: a refusal told in words, else a report
        # that holds nothing to check (not_evaluated), else bad input
        texts = _texts(objects)
        findings += pss_words.findings(texts) or _unreadable(texts, args.file)
    checked = 0
    for obj in objects:
        if obj.get("kind") in ("ClusterRoleBinding", "Event", "Status") or not obj.get("spec"):
            continue
        result = check_object(obj, policy, bound)
        checked += 1
        findings += result
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["cause"]] = counts.get(f["cause"], 0) + 1
    shown = findings if args.all else findings[:args.limit]
    head = (f"{checked} objects checked at level {policy['level']}: {len(findings)} findings ("
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")") if findings \
        else f"{checked} objects checked at level {policy['level']}: compliant" if checked \
        else "nothing to check: no pod spec and no admission refusal in the input"
    if rejected:
        head = (f"admission rejected {len(rejected)} pod(s) (reported, first); " + head)
    more = f"\n... {len(findings) - len(shown)} more (--all)" if len(shown) < len(findings) else ""
    text = head + ("\n" + render_text(shown) if shown else "") + more
    return ({"level": policy["level"], "checked": checked, "counts": counts,
             "findings": findings}, text, exit_code(findings, "warning"))


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", help="manifests or a kubectl get -o yaml dump, - for stdin")
    parser.add_argument("-n", "--namespace", help="live: pods in this namespace")
    parser.add_argument("-A", "--all-namespaces", action="store_true", help="live: every namespace")
    parser.add_argument("--templates", action="store_true",
                        help="live: also check Deployment/Job/... pod templates")
    parser.add_argument("--level", choices=LEVELS, help="Pod Security Standards level "
                        "(default: the policy's level, else baseline)")
    parser.add_argument("--policy", help="platform policy YAML")
    parser.add_argument("--limit", type=int, default=20, help="findings shown in text mode")
    parser.add_argument("--all", action="store_true", help="show every finding")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
