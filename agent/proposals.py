"""Turning the model's propose_change input into a Proposal spec, and checking it.

Nothing here talks to the cluster: the applier dry-runs later with its own identity.

    >>> spec = proposal_spec({"summary": "scale web", "reason": "p95 2.4 s > 1 s",
    ...     "target": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop",
    ...                "name": "web"}, "patch": {"spec": {"replicas": 5}}}, "alice")
    >>> spec["action"], spec["patchType"], spec["requestedBy"]
    ('patch', 'merge', 'alice')
"""
from __future__ import annotations
from typing import Any

import json
from pathlib import Path

MAX_CHANGE_BYTES = 65536
FORBIDDEN_KINDS = {"Secret", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                   "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
                   "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                   "CertificateSigningRequest", "CustomResourceDefinition",
                   "Proposal", "Conversation", "Finding"}


def proposal_spec(args: dict[str, Any], requested_by: str, conversation: str = "",
                  scripted: bool = False, skills_root: Path | None = None) -> dict[str, Any]:
    """The Proposal spec for `args`; ValueError (one line, shown to the model) if unusable."""
    if not isinstance(args, dict):
        raise ValueError("the input must be an object")
    target = _target(args.get("target"))
    manifest, patch = args.get("manifest"), args.get("patch")
    if bool(manifest) == bool(patch):
        raise ValueError("give exactly one of `manifest` (whole object) or `patch` "
                         "(JSON merge patch)")
    change = manifest or patch
    if not isinstance(change, dict):
        raise ValueError("`manifest` / `patch` must be an object")
    if len(json.dumps(change)) > MAX_CHANGE_BYTES:
        raise ValueError(f"the change is larger than {MAX_CHANGE_BYTES} bytes")
    if manifest:
        _same_object(manifest, target)
    spec = {"summary": _text(args.get("summary"), "summary", 300),
            "reason": _text(args.get("reason"), "reason", 4000),
            "evidence": [str(e)[:2000] for e in (args.get("evidence") or [])][:20],
            "action": "apply" if manifest else "patch", "target": target,
            "requestedBy": requested_by, "scripted": bool(scripted)}
    if manifest:
        spec["manifest"] = manifest
    else:
        spec["patch"], spec["patchType"] = patch, "merge"
    if conversation:
        spec["conversation"] = conversation
    verify = args.get("verify")
    if verify:
        spec["verify"] = _verify(verify, skills_root)
    return spec


def _target(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError("`target` {apiVersion, kind, namespace, name} is required")
    target = {k: str(raw.get(k) or "") for k in ("apiVersion", "kind", "namespace", "name")}
    missing = [k for k in ("apiVersion", "kind", "name") if not target[k]]
    if missing:
        raise ValueError(f"target.{missing[0]} is required")
    if target["kind"] in FORBIDDEN_KINDS:
        raise ValueError(f"{target['kind']}: the agent never changes RBAC, admission, "
                         "certificates, Secrets, CRDs or its own state")
    if not target["namespace"]:
        target.pop("namespace")
    return target


def _same_object(manifest: dict[str, Any], target: dict[str, Any]) -> None:
    meta = manifest.get("metadata") or {}
    got = {"apiVersion": manifest.get("apiVersion"), "kind": manifest.get("kind"),
           "name": meta.get("name"), "namespace": meta.get("namespace") or
           target.get("namespace")}
    for key, value in got.items():
        if (target.get(key) or None) != (value or None):
            raise ValueError(f"manifest {key} {value!r} differs from target {key} "
                             f"{target.get(key)!r}")


def _text(value: object, name: str, limit: int) -> str:
    text = " ".join(str(value or "").split()) if name == "summary" else str(value or "")
    if not text.strip():
        raise ValueError(f"`{name}` is required")
    return text[:limit]


def _verify(raw: object, skills_root: Path | None) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("skill") or not raw.get("script"):
        raise ValueError("`verify` needs {skill, script} (and args, cause)")
    verify = {"skill": str(raw["skill"]), "script": str(raw["script"]),
              "args": [str(a) for a in (raw.get("args") or [])][:20]}
    if raw.get("cause"):
        verify["cause"] = str(raw["cause"])
    if any(a.split("=", 1)[0] in ("--apply", "-f", "--file", "--filename")
           for a in verify["args"]):
        raise ValueError("verify args must not apply or read files")
    if skills_root is not None and script_path(skills_root, verify) is None:
        raise ValueError(f"verify: {verify['skill']}/scripts/{verify['script']} is not an "
                         "installed skill script")
    return verify


def script_path(skills_root: Path, verify: dict[str, Any]) -> Path | None:
    """The installed script a verify step names, or None (no path tricks)."""
    name = verify.get("script", "")
    skill = verify.get("skill", "")
    if "/" in name or "/" in skill or name.startswith(("_", ".")) or not name.endswith(".py"):
        return None
    path = Path(skills_root) / skill / "scripts" / name
    return path if path.is_file() else None
