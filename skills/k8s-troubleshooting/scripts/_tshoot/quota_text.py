"""A controller that cannot create pods, beside the ResourceQuota of its namespace, in text.

`kubectl describe deployment` (or replicaset) prints its conditions as `Type Status Reason`
rows without their messages, so `ReplicaFailure True FailedCreate` says only that the
controller's pod creates fail: the replica set controller sets that condition with the create
error (k8s.io/kubernetes v1.37.2 pkg/controller/replicaset/replica_set_utils.go:124-132) and the
deployment controller copies it (pkg/controller/deployment/progress.go:100-122). The refusal's
words are on the ReplicaSet's FailedCreate event. When the paste also shows a ResourceQuota
(`kubectl describe quota`: Resource / Used / Hard rows) that constrains cpu or memory:
- a row at or over Hard -> quota_exceeded ("exceeded quota: ..." from the quota admission,
  k8s.io/apiserver v0.37.2 pkg/admission/plugin/resourcequota/controller.go:622);
- room left on every row -> quota_requires_limits: a quota on cpu/memory (validationSet,
  v1.37.2 pkg/quota/v1/evaluator/core/pods.go:103-110) makes every container state those
  resources, else "must specify requests.cpu for: ..." (pods.go:170); the docs: "If quota is
  enabled in a namespace for compute resources like cpu and memory, users must specify
  requests or limits for those values" (concepts/policy/resource-quotas).
Both are inferred (the refusal's own message is not in the paste): the confirm command shows it.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding
from k8s_skillkit.quantity import parse_quantity

_HEADER = re.compile(r"^\s*Resource\s+Used\s+Hard\s*$")
_ROW = re.compile(r"^\s*([a-z][\w./-]*)\s+(\S+)\s+(\S+)\s*$")
_NAME = re.compile(r"^\s*Name:\s+(\S+)")
_FAILED = re.compile(r"^\s*ReplicaFailure\s+True\s+FailedCreate\b", re.MULTILINE)
_NEW_RS = re.compile(r"^\s*NewReplicaSet:\s+(\S+)", re.MULTILINE)
# the resources whose quota makes every container state them (pods.go validationSet)
_COMPUTE = ("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")


def quota_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(quota name, resource, used, hard) from `kubectl describe quota` blocks.

    >>> quota_rows("Name: q\\nResource Used Hard\\n-------- ---- ----\\npods 1 10\\n")
    [('q', 'pods', '1', '10')]
    """
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if not _HEADER.match(line):
            continue
        name = next((m.group(1) for back in reversed(lines[max(0, i - 4):i])
                     for m in [_NAME.match(back)] if m), "")
        for row in lines[i + 1:]:
            if set(row.strip()) <= set("- "):
                if row.strip():
                    continue  # the dashes under the header
                break
            m = _ROW.match(row)
            if not m:
                break
            out.append((name, m.group(1), m.group(2), m.group(3)))
    return out


def _full(used: str, hard: str) -> bool:
    try:
        return parse_quantity(used) >= parse_quantity(hard)
    except (ValueError, ZeroDivisionError):
        return False


def findings(text: str) -> list[dict[str, Any]]:
    """One inferred finding when a controller's creates fail beside a cpu/memory quota."""
    if not text or not _FAILED.search(text):
        return []
    rows = quota_rows(text)
    compute = [r for r in rows if r[1] in _COMPUTE]
    if not compute:
        return []
    full = [r for r in rows if _full(r[2], r[3])]
    quota = compute[0][0] or "QUOTA"
    rs = _NEW_RS.search(text)
    target = f"rs {rs.group(1)}" if rs else "rs NEW_REPLICASET"
    confirm = (f"kubectl describe {target} -n NAMESPACE (its FailedCreate event: \"exceeded "
               "quota\" or \"must specify ...\")")
    evidence = ["condition ReplicaFailure True FailedCreate: the controller's pod creates fail"]
    evidence += [f"quota {q or '(unnamed)'}: {res} used {u} of hard {h}" for q, res, u, h in
                 (full or compute)[:3]]
    obj = {"kind": "ResourceQuota", "name": compute[0][0]}
    if full:
        f = finding("warning", "quota_exceeded", obj,
                    f"pod creates fail (ReplicaFailure FailedCreate) while ResourceQuota {quota} "
                    "is used up on " + ", ".join(r[1] for r in full[:3]) + ": the quota "
                    "admission refuses pods that would go over Hard", evidence,
                    "free quota (delete what you no longer need), lower the pods' requests/"
                    "limits, or raise the quota's hard limits", basis="inferred",
                    confirm=confirm)
    else:
        f = finding("warning", "quota_requires_limits", obj,
                    f"pod creates fail (ReplicaFailure FailedCreate) while ResourceQuota {quota} "
                    "constrains " + ", ".join(r[1] for r in compute[:3]) + " and has room left: "
                    "a quota on cpu/memory makes every container (init containers too) state "
                    "those resources, so pods without them are refused (\"must specify ...\")",
                    evidence, "set the resources the quota names in the pod template's "
                    "containers (or add a LimitRange with defaults to the namespace)",
                    basis="inferred", confirm=confirm)
    f.update(count=0, pods=[], _related=[quota])
    return [f]
