"""RBAC checks answered by the apiserver's own authorizer (a SubjectAccessReview through
`kubectl auth can-i --as`), never by reading Roles ourselves: a least-privilege fix must make
the needed verb allowed and leave the dangerous ones denied."""
from __future__ import annotations

from typing import Any

from harness.evals.checks import register
from harness.evals.errors import InfraError
from harness.evals.kube import Kube


@register("can_i", required=("subject", "verb", "resource"),
          optional=("namespace", "all_namespaces", "subresource", "allowed", "object_name"))
def _can_i(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The apiserver allows (or, with `allowed: false`, denies) `subject` (a user or
    system:serviceaccount:NS:NAME) to `verb` `resource` in `namespace`."""
    resource = spec["resource"] + (f"/{spec['object_name']}" if spec.get("object_name") else "")
    args = ["auth", "can-i", spec["verb"], resource, f"--as={spec['subject']}"]
    if spec.get("subresource"):
        args.append(f"--subresource={spec['subresource']}")
    if spec.get("all_namespaces"):
        args.append("--all-namespaces")
    elif spec.get("namespace"):
        args += ["-n", spec["namespace"]]
    proc = kube.run(*args, timeout=20)
    answer = (proc.stdout or "").strip().splitlines()[:1]
    if proc.returncode not in (0, 1) or answer not in (["yes"], ["no"]):
        raise InfraError(f"kubectl auth can-i: {' '.join((proc.stderr or '').split())[:200]}")
    allowed = answer == ["yes"]
    want = bool(spec.get("allowed", True))
    where = (" in every namespace" if spec.get("all_namespaces") else
             f" in {spec['namespace']}" if spec.get("namespace") else "")
    return allowed == want, (f"{spec['subject']} {'may' if allowed else 'may not'} "
                             f"{spec['verb']} {resource}{where} (want "
                             f"{'allowed' if want else 'denied'})")
