#!/usr/bin/env python3
"""Audit RBAC: why a request was denied, who can do what, and which grants are risky."""
from __future__ import annotations

import json
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.loading import kubectl_get, load_paste
from k8s_skillkit.prose import refuse_unless_report

from _rbac.denials import collect
from _rbac.kubelet_trust import findings as kubelet_trust_findings
from _rbac.live import kubectl
from _rbac.chart_subject import chart_subject_findings, custom_name_findings
from _rbac.created_binding import created_binding_findings
from _rbac.watch_namespace import unwatched_binding_findings, watch_namespace_findings
from _rbac.release_ns import (release_elsewhere_findings, release_namespace_findings,
                              unnamespaced_apply_findings)
from _rbac.words import findings as said_refused
from _rbac.prose import (default_sa_findings, mismatch_findings, scope_findings,
                         unbound_default_findings,
                         wrong_namespace_findings)
from _rbac.rules import audit, rule_findings
from _rbac.scaffold_subject import findings as scaffold_subject_findings
from _rbac.why import explain

EXAMPLES = """why was it denied? (references/rbac-denials.md) — paste the error, with the
Roles/bindings if you have them; every kubectl/apiserver wording since 1.6 is read:
  audit_rbac.py -f paste.txt                     error text + YAML, describe, events...
  audit_rbac.py --denied 'Error from server (Forbidden): pods is forbidden: User ...'
                                                 explained against the live cluster's RBAC
  causes: missing_permission binding_subject_mismatch binding_wrong_namespace
  cluster_scope_needs_clusterrolebinding default_service_account_used role_not_found
  anonymous_request unauthenticated wrong_identity kubelet_api_forbidden escalation_prevented
  admission_webhook_denied pod_security_policy_denied rbac_allows, Pod Security checks
  (privilege_escalation_allowed run_as_root seccomp_missing ...; see pod-security.md)

risky grants (references/rbac-audit.md):
  wildcard_verbs wildcard_resources cluster_admin_binding secrets_readable escalation_verbs
  pod_exec_or_attach default_service_account_bound stale_binding

examples:
  audit_rbac.py                                  live, whole cluster, built-in roles skipped
  audit_rbac.py -n shop --json                   findings touching namespace shop
  kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts \\
      -A -o yaml > rbac.yaml
  audit_rbac.py -f rbac.yaml                     offline on that dump
  audit_rbac.py --self -n shop                   what can *I* do in shop (SelfSubjectRulesReview)
  audit_rbac.py --self --as system:serviceaccount:agent-system:k8s-agent -n shop
exit: 0 nothing risky, 1 findings, 2 bad input.
"""
LIVE_TYPES = "clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts"
RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
# What decides an RBAC question, for a paste that holds none of it
PASTE_ASKS = ("the whole Forbidden error the client printed",
              "kubectl get roles,rolebindings -n NAMESPACE -o yaml",
              "kubectl get clusterroles,clusterrolebindings -o yaml")


def self_review(namespace: str, as_user: str | None) -> list[dict]:
    """SelfSubjectRulesReview for `namespace` plus a few decisive `auth can-i` checks."""
    imp = [f"--as={as_user}"] if as_user else []
    body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
            "spec": {"namespace": namespace}}
    proc = kubectl(["create", "--validate=false", "-f", "-", "-o", "json", *imp],
                    stdin=json.dumps(body))
    if proc.returncode != 0:
        raise InputError(f"SelfSubjectRulesReview: {' '.join(proc.stderr.split())}")
    status = json.loads(proc.stdout).get("status") or {}
    me = as_user or _whoami()
    obj = {"kind": "SelfSubjectRulesReview", "namespace": namespace, "name": me}
    findings = rule_findings(obj, status.get("resourceRules") or [], [f"{me} (self)"])
    if _can_i(["*", "*", "--all-namespaces"], imp):
        findings.append(finding("error", "cluster_admin_binding", obj,
                                f"{me} can do everything everywhere (cluster-admin)",
                                ["kubectl auth can-i '*' '*' --all-namespaces: yes"],
                                "run the agent with a generated role (make_agent_rbac.py)"))
    if status.get("incomplete"):
        findings.append(finding("info", "rules_incomplete", obj, "the API server could not "
                                "list every rule (webhook authorizers); can-i checks still "
                                "hold", [status.get("evaluationError", "")]))
    return findings


def _can_i(args: list[str], imp: list[str]) -> bool:
    proc = kubectl(["auth", "can-i", *args, *imp])
    return proc.stdout.strip() == "yes"


def _whoami() -> str:
    proc = kubectl(["auth", "whoami", "-o", "json"])
    try:
        return json.loads(proc.stdout)["status"]["userInfo"]["username"]
    except (ValueError, KeyError, TypeError):
        return "me"


def in_namespace(f: dict, namespace: str) -> bool:
    if f["object"]["namespace"] == namespace:
        return True
    return any(f" {namespace}/" in ev or f"namespace {namespace})" in ev for ev in f["evidence"])


def denial_findings(objects, extra_texts: list[str], limit: int) -> tuple[list, list]:
    """(denials, findings): every denial in the input explained, first one first."""
    denials = collect(objects, extra_texts)
    findings: list[dict] = []
    seen_findings: dict[tuple, dict] = {}
    for denial in denials[:limit]:
        for f in explain(denial, objects):
            key = (f["cause"], tuple(sorted(f["object"].items())))
            if key in seen_findings:  # the same cause for another denied request
                seen_findings[key]["evidence"] += [e for e in f["evidence"][:1]
                                                   if e not in seen_findings[key]["evidence"]]
                continue
            seen_findings[key] = f
            findings.append(f)
    if not any(o.get("kind") in RBAC_KINDS for o in objects):
        said = wrong_namespace_findings(objects, denials[:limit])
        placed = {f["object"]["name"] for f in said}
        said += [f for f in release_elsewhere_findings(  # the chart's grant in its release ns
            list(getattr(objects, "texts", []) or []), denials[:limit])
            if f["object"]["name"] not in placed]
        placed |= {f["object"]["name"] for f in said}
        said += created_binding_findings(  # `kubectl create rolebinding` in B for A's account
            list(getattr(objects, "texts", []) or []) +
            [line for line, _ in getattr(objects, "commands", []) or []], denials[:limit])
        placed |= {f["object"]["name"] for f in said}
        said += [f for f in mismatch_findings(objects, denials[:limit])
                 if f["object"]["name"] not in placed]  # the place, not the subject, is off
        placed |= {f["object"]["name"] for f in said}
        said += [f for f in chart_subject_findings(list(getattr(objects, "texts", []) or []),
                                                   denials[:limit])
                 if f["object"]["name"] not in placed]
        placed |= {f["object"]["name"] for f in said}
        said += [f for f in custom_name_findings(list(getattr(objects, "texts", []) or []),
                                                 denials[:limit])
                 if f["object"]["name"] not in placed]
        said += [f for f in watch_namespace_findings(list(getattr(objects, "texts", []) or []),
                                                     objects, denials[:limit])
                 if f["object"]["name"] not in placed]
        said += scope_findings(objects, denials[:limit])
        said += default_sa_findings(objects, denials[:limit])
        named = {(f["object"].get("namespace"), f["object"]["name"]) for f in said
                 if f["cause"] == "default_service_account_used"}
        said += [f for f in unbound_default_findings(denials[:limit])
                 if (f["object"]["namespace"], f["object"]["name"]) not in named]
        explained = {(f["object"].get("namespace"), f["object"]["name"]) for f in said}
        for f in findings:  # the denial stays as evidence, explained by the user's words
            sa = (f["object"].get("namespace"), f["object"].get("name"))
            if f["cause"] == "missing_permission" and sa in explained:
                f.update(severity="info", cause="access_denied")
        causes = {(f["cause"], f["object"].get("namespace"), f["object"]["name"]) for f in said}
        findings[:] = said + [f for f in findings if (f["cause"], f["object"].get("namespace"),
                                                        f["object"]["name"]) not in causes]
        # a manifest applied without a namespace may explain the denial, or its rule may be
        # missing after all (chef-boneyard/habitat-operator#227: an example meant for
        # default): second to the denial, which stays the answer
        findings += [f for f in unnamespaced_apply_findings(
            list(getattr(objects, "texts", []) or []) +
            [line for line, _ in getattr(objects, "commands", []) or []], denials[:limit])
            if (f["cause"], f["object"].get("namespace"), f["object"]["name"]) not in causes]
    return denials, findings


def load_input(args):
    if args.file:
        return load_paste(args.file), args.file
    return kubectl_get(LIVE_TYPES, all_namespaces=True), "live"


def body(args):
    denials: list = []
    if args.self:
        findings = self_review(args.namespace or "default", args.as_user)
        source = "self"
    else:
        if args.as_user:
            raise InputError("--as only works with --self")
        objects, source = load_input(args)
        denials, findings = denial_findings(objects, args.denied or [],
                                            len(args.denied or []) + (50 if args.all else 5))
        rbac = [o for o in objects if o.get("kind") in RBAC_KINDS]
        if args.file and not denials:
            findings += release_namespace_findings(objects, list(getattr(objects, "texts", [])))
            findings += unwatched_binding_findings(list(getattr(objects, "texts", [])), objects)
        # a kubelet's own log that it does not trust the API server: its credentials are
        # another cluster's (_rbac/kubelet_trust.py); a component's words beat a user's
        trusted = kubelet_trust_findings(list(getattr(objects, "texts", None) or ())) \
            if args.file and not denials else []
        findings += trusted
        said = said_refused(list(getattr(objects, "texts", None) or ())) \
            if args.file and not rbac and not denials and not trusted else []
        findings += said
        # a subject still in kubebuilder's placeholder namespace (a binding or its `subjects:`
        # fragment rendered without kustomize): _rbac/scaffold_subject.py
        scaffold = scaffold_subject_findings(list(objects), list(getattr(objects, "texts", None)
                                                                 or ())) if args.file else []
        findings += scaffold
        if args.file and not rbac and not denials and not said and not trusted and not scaffold:
            raise refuse_unless_report(
                "\n".join(getattr(objects, "texts", None) or ()), args.file,
                f"{args.file}: no RBAC objects and no denial message found (paste kubectl "
                "get roles,rolebindings,... -o yaml, or the Forbidden error)", PASTE_ASKS)
        kinds = {o.get("kind") for o in objects}
        sas = {((o.get("metadata") or {}).get("namespace"), (o.get("metadata") or {}).get("name"))
               for o in objects if o.get("kind") == "ServiceAccount"}
        risky = audit(rbac + [o for o in objects if o.get("kind") == "ServiceAccount"],
                      args.include_defaults,
                      sas if "ServiceAccount" in kinds or not args.file else None,
                      roles_complete=not args.file or {"Role", "ClusterRole"} <= kinds)
        if args.namespace:
            risky = [f for f in risky if in_namespace(f, args.namespace)]
        findings += risky
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["cause"]] = counts.get(f["cause"], 0) + 1
    shown = findings if args.all else findings[:args.limit]
    head = (f"{len(findings)} findings ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})"
            if findings else "no risky RBAC grants found")
    if denials:
        head = f"{len(denials)} denied request(s) explained first; " + head
    more = f"\n... {len(findings) - len(shown)} more (--all)" if len(shown) < len(findings) else ""
    text = head + ("\n" + render_text(shown) if shown else "") + more
    payload = {"source": source, "counts": counts, "findings": findings,
               "denials": [_denial_json(d) for d in denials]}
    return payload, text, exit_code(findings, "warning")


def _denial_json(denial) -> dict:
    keys = ("kind", "user", "verb", "resource", "subresource", "group", "namespace",
            "cluster_scope", "name", "path", "reason", "level", "webhook")
    return {k: getattr(denial, k) for k in keys if getattr(denial, k) not in ("", None)}


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", help="a paste: kubectl get ... -o yaml|json, describe, "
                        "events, and/or the Forbidden error text; - for stdin")
    parser.add_argument("--denied", action="append", metavar="ERROR",
                        help="an error message to explain (repeatable); without -f it is "
                             "explained against the live cluster's RBAC")
    parser.add_argument("-n", "--namespace", help="only findings touching this namespace "
                                                  "(with --self: the namespace to review)")
    parser.add_argument("--self", action="store_true",
                        help="audit your own identity (SelfSubjectRulesReview, auth can-i)")
    parser.add_argument("--as", dest="as_user", metavar="USER",
                        help="with --self: review this identity through impersonation")
    parser.add_argument("--include-defaults", action="store_true",
                        help="also audit built-in roles (cluster-admin, system:*)")
    parser.add_argument("--limit", type=int, default=20, help="findings shown in text mode")
    parser.add_argument("--all", action="store_true", help="show every finding")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
