#!/usr/bin/env python3
"""Turn a pasted Forbidden error into the least Role and RoleBinding (ClusterRole and
ClusterRoleBinding at the cluster scope) that let exactly that request through, and check
it with SubjectAccessReview."""
from __future__ import annotations

import json
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import load_paste

import yaml

from _rbac.denials import collect
from _rbac.grant import access_review, default_name, objects, plan
from _rbac.live import kubectl

EXAMPLES = """what it reads (references/rbac-denials.md): every apiserver wording since 1.6 —
  User "U" cannot VERB resource "R[/sub]" in API group "G" in the namespace "N" | at the
  cluster scope [: RBAC: clusterrole... not found], the 1.6-1.10 forms (`cannot list
  jobs.batch in the namespace "N"`, `. (get pods)`, `(post jobs.batch)`), `cannot get path
  "/metrics"`, and `kubectl auth can-i ... --as U` answered `no`. Several denials in one
  paste: one Role per identity and namespace, rules merged without widening.

what it writes: one rule per request — the verb, API group and resource ("pods/log" for a
subresource) of the message, resourceNames when the message named the object. Never to
system:anonymous or system:node:* (fix credentials instead); escalating verbs and secrets
are flagged.

examples:
  grant_denied.py --denied 'Error from server (Forbidden): pods is forbidden: User
      "system:serviceaccount:ci:runner" cannot list resource "pods" in API group "" in the
      namespace "build"'                   prints the Role + RoleBinding YAML
  grant_denied.py -f error.txt > grant.yaml
  kubectl apply --dry-run=server -f grant.yaml && kubectl apply -f grant.yaml
  grant_denied.py -f error.txt --check     SubjectAccessReview per request on the live
                                           cluster: allowed, or why still denied
exit: 0 YAML printed (with --check: every request allowed), 1 a denial no grant should fix or
a request still denied, 2 bad input (no denial with an identity found).
"""


def load_denials(args):
    if not args.file and not args.denied:
        raise InputError("give the error text with --denied '...' or a paste with -f FILE")
    dump = load_paste(args.file) if args.file else []
    denials = collect(dump, args.denied or [])
    if not denials:
        raise InputError(f"{args.file or '--denied'}: no Forbidden message found (expected "
                         "'User \"...\" cannot VERB ...' as the apiserver prints it)")
    return denials


def render(grants, refused, name: str | None) -> tuple[list[dict], str]:
    docs, parts = [], []
    for denial, why in refused:
        parts.append(f"# not granted: {denial.text[:200]}\n#   {why}")
    for grant in grants:
        grant_name = name or default_name(grant.user)
        pair = objects(grant, grant_name)
        docs += pair
        head = [f"# answers: {d.text[:200]}" for d in grant.answers]
        head += [f"# note: {n}" for n in grant.notes]
        parts.append("\n".join(head) + "\n" + yaml.safe_dump_all(pair, sort_keys=False)
                     .rstrip())
    return docs, "\n---\n".join(parts)


def check(denials) -> tuple[list[dict], str, int]:
    """Ask the apiserver each denied question again with a SubjectAccessReview."""
    results, lines = [], []
    for denial in denials:
        review = access_review(denial)
        proc = kubectl(["create", "-f", "-", "-o", "json"], stdin=json.dumps(review))
        if proc.returncode != 0:
            raise InputError(f"SubjectAccessReview: {' '.join(proc.stderr.split())}")
        status = json.loads(proc.stdout).get("status") or {}
        allowed = bool(status.get("allowed"))
        why = status.get("reason") or status.get("evaluationError") or ""
        results.append({"request": review["spec"], "allowed": allowed, "reason": why})
        target = denial.path or denial.full_resource + (f'.{denial.group}' if denial.group
                                                        else "")
        where = f" -n {denial.namespace}" if denial.namespace and not denial.cluster_scope \
            else ""
        lines.append(f"{'allowed' if allowed else 'DENIED '}  {denial.verb} {target}{where} "
                     f"as {denial.user}" + (f"  ({why})" if why else ""))
    code = 0 if all(r["allowed"] for r in results) else 1
    return results, "\n".join(lines), code


def body(args):
    denials = load_denials(args)
    grants, refused = plan(denials, by_name=not args.any_name)
    if args.check:
        results, text, code = check([d for g in grants for d in g.answers])
        return {"checks": results}, text, code
    if args.name and len(grants) > 1:
        raise InputError(f"--name with {len(grants)} grants (identities or namespaces): "
                         "drop --name or paste one identity's errors")
    docs, text = render(grants, refused, args.name)
    payload = {"objects": docs, "refused": [{"message": d.text, "why": why}
                                            for d, why in refused],
               "notes": [n for g in grants for n in g.notes]}
    return payload, text, 1 if refused else 0


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", help="a paste holding the Forbidden error(s) (kubectl "
                        "output, a log line, an Event, a Status body); - for stdin")
    parser.add_argument("--denied", action="append", metavar="ERROR",
                        help="an error message (repeatable)")
    parser.add_argument("--name", help="name of the role and binding (default "
                        "grant-<namespace>-<serviceaccount> or grant-<user>)")
    parser.add_argument("--any-name", action="store_true",
                        help="do not limit the rule to the object the message named "
                             "(resourceNames)")
    parser.add_argument("--check", action="store_true",
                        help="instead of YAML: a SubjectAccessReview per denied request on "
                             "the live cluster (run it after applying the grant)")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
