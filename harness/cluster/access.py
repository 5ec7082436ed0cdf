"""People and an audit trail for the local cluster: a few users with bearer tokens (the
apiserver's static token file) and the apiserver's audit log of writes.

Service accounts are not people: tests of anything that authenticates callers (the agent
service's TokenReview + SubjectAccessReview) need real users too, and a static token file
is the one user authenticator a local apiserver can have without an identity provider.
The tokens are random per cluster and live in its folder (mode 0600).

    users.csv   token,user,uid,"group1,group2"   (kube-apiserver --token-auth-file)
    audit.log   one JSON line per create/update/patch/delete (kwokctl --kube-audit-policy)
"""
from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path
from typing import Any

import yaml

USERS = (("alice", ("sre-approvers", "developers")), ("bob", ("developers",)),
         ("mallory", ()))

# Writes only, at Metadata level (who, what, verb, response code; never bodies), without the
# controllers' own churn (leases, events) that would drown them.
AUDIT_POLICY = {
    "apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived"],
    "rules": [
        {"level": "None", "resources": [{"group": "coordination.k8s.io",
                                         "resources": ["leases"]}]},
        {"level": "None", "resources": [{"group": "", "resources": ["events"]},
                                        {"group": "events.k8s.io", "resources": ["events"]}]},
        # status churn of fake nodes and pods (KWOK) and of the apiserver's own objects
        {"level": "None", "resources": [{"group": "", "resources": ["pods/status",
                                                                    "nodes/status"]}]},
        {"level": "None", "users": ["system:apiserver"]},
        {"level": "Metadata", "verbs": ["create", "update", "patch", "delete",
                                        "deletecollection"]},
        {"level": "None"},
    ],
}


def write_users(folder: Path) -> Path:
    """users.csv with a fresh random token per user; returns its path."""
    out = io.StringIO()
    writer = csv.writer(out)
    for name, groups in USERS:
        writer.writerow([secrets.token_urlsafe(32), name, f"uid-{name}", ",".join(groups)])
    path = Path(folder) / "users.csv"
    path.write_text(out.getvalue())
    path.chmod(0o600)
    return path


def read_users(folder: Path) -> dict[str, dict[str, Any]]:
    """{user: {token, groups}} of a running local cluster ({} when it has none)."""
    path = Path(folder) / "users.csv"
    if not path.is_file():
        return {}
    return {row[1]: {"token": row[0], "groups": [g for g in row[3].split(",") if g]}
            for row in csv.reader(io.StringIO(path.read_text())) if len(row) >= 4}


def write_audit_policy(folder: Path) -> Path:
    path = Path(folder) / "audit-policy.yaml"
    path.write_text(yaml.safe_dump(AUDIT_POLICY, sort_keys=False))
    return path


def apiserver_args(folder: Path) -> list[tuple[str, str]]:
    """kube-apiserver flags (for kwokctl --extra-args): the users' static token file."""
    return [("token-auth-file", str(write_users(folder)))]


def audit_policy_flag(folder: Path) -> str:
    """kwokctl's own flag: the apiserver logs writes per the policy to its logs folder."""
    return f"--kube-audit-policy={write_audit_policy(folder)}"


def audit_log(kwok_workdir: Path, name: str) -> Path:
    """Where kwokctl's binary runtime has the apiserver write its audit log."""
    return Path(kwok_workdir) / "clusters" / name / "logs" / "audit.log"
