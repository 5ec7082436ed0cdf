"""What a kubectl write sends: the kinds in its manifests, the effect of its patch.

Manifests are read from here-documents, here-strings and local files (never fetched, never
executed); a manifest the guard cannot see is reported as unseen. YAML is parsed with a
size and nesting limit, so a hostile document cannot make the decision slow.

    >>> sorted(kinds_in_text("kind: ClusterRoleBinding\\n---\\nkind: ConfigMap\\n"))
    ['ClusterRoleBinding', 'ConfigMap']
"""
from __future__ import annotations

import json
import os
import re

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML is the one allowed dependency
    yaml = None

MAX_FILE = 1 << 20
MAX_FILES = 50
MAX_PARSE = 8192       # YAML is parsed only this far; past it the scan alone counts
MAX_NODES = 5000
KIND_LINE = re.compile(r"[\"']?\bkind[\"']?[ \t]*:[ \t]*[\"']?([A-Za-z][A-Za-z0-9]*)")
REPLICAS_ZERO = re.compile(r"[\"']?replicas[\"']?[ \t]*:[ \t]*[\"']?[-+]?0+[\"']?[ \t]*[,}\n]")


def kinds_in_text(text: str) -> set:
    """Every `kind:` a manifest text declares, parsed or (when it does not parse) scanned.

    The scan reads every line that looks like `kind: X` at any indentation, so a List's
    items and documents YAML would reject still count (the guard errs towards seeing a
    kind, never towards missing one)."""
    kinds = set(KIND_LINE.findall(text[:MAX_FILE]))
    budget = [MAX_NODES]
    for doc in _documents(text):
        _collect(doc, kinds, 0, budget)
    return kinds


def _documents(text: str) -> list:
    if len(text) > MAX_PARSE:
        return []
    try:
        if text.lstrip().startswith(("{", "[")):
            return [json.loads(text)]
        if yaml is None:
            return []
        return list(yaml.safe_load_all(text))
    except (ValueError, RecursionError, MemoryError):
        return []
    except Exception:  # noqa: BLE001 - any YAML error: the line scan above still counts
        return []


def _collect(doc, kinds: set, depth: int, budget: list):
    """Kinds of a document and of a List's items (YAML aliases can make a document a
    huge graph: the walk stops after MAX_NODES nodes)."""
    budget[0] -= 1
    if depth > 20 or budget[0] < 0:
        return
    if isinstance(doc, dict):
        kind = doc.get("kind")
        if isinstance(kind, str):
            kinds.add(kind)
        items = doc.get("items")
        if isinstance(items, list):
            for item in items:
                _collect(item, kinds, depth + 1, budget)
    elif isinstance(doc, list):
        for item in doc:
            _collect(item, kinds, depth + 1, budget)


def read_local(path: str, paths) -> str | None:
    """A local manifest file, or the manifests directly in a directory; None if unseen."""
    absolute = paths.absolute(path)
    if absolute is None or "://" in path:
        return None
    try:
        if os.path.isdir(absolute):
            names = sorted(n for n in os.listdir(absolute)
                           if n.endswith((".yaml", ".yml", ".json")))[:MAX_FILES]
            texts = [read_local(os.path.join(absolute, n), paths) for n in names]
            return None if any(t is None for t in texts) else "\n---\n".join(texts)
        if not os.path.isfile(absolute) or os.path.getsize(absolute) > MAX_FILE:
            return None
        with open(absolute, encoding="utf-8") as handle:
            return handle.read(MAX_FILE + 1)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def manifest_kinds(cmd, call) -> tuple[set, list]:
    """(kinds, sources not inspected) for apply/create/replace -f ... and -k."""
    kinds: set = set()
    unseen = []
    for value in cmd.values("filename"):
        if not isinstance(value, str):
            unseen.append("a file named at run time")
            continue
        if value == "-":
            text = call.stdin.text
            if text is None and call.stdin.source == "file" and call.stdin.path:
                text = read_local(call.stdin.path, call.paths)
            if text is None:
                unseen.append("standard input")
                continue
        else:
            text = read_local(value, call.paths)
            if text is None:
                unseen.append(value)
                continue
        kinds |= kinds_in_text(text)
    if cmd.has("kustomize"):
        unseen.append("the kustomization's output")
    return kinds, unseen


def patch_effects(cmd, call) -> list:
    """[(class, reason, signal)] for what a `kubectl patch` body does."""
    effects = []
    bodies = [v for v in cmd.values("patch")]
    for value in cmd.values("patch-file"):
        text = read_local(value, call.paths) if isinstance(value, str) else None
        if value == "/dev/stdin" or value == "-":
            text = call.stdin.text
        if text is None:
            effects.append(("write", "the patch comes from a file the guard did not read",
                            "content_unseen"))
        else:
            bodies.append(text)
    for body in bodies:
        if not isinstance(body, str):
            effects.append(("destructive", "the patch body is computed at run time",
                            "content_unseen"))
            continue
        if REPLICAS_ZERO.search(body + "\n") or re.search(
                r"/replicas[\"']?[ \t]*,[ \t]*[\"']?value[\"']?[ \t]*:[ \t]*[\"']?[-+]?0+\b",
                body):
            effects.append(("destructive", "patches replicas to 0", "scale_to_zero"))
        if "finalizers" in body:
            effects.append(("write", "edits finalizers (can orphan or force-delete "
                                     "objects)", "finalizers"))
        if re.search(r"[\"']op[\"'][ \t]*:[ \t]*[\"']remove[\"']", body):
            effects.append(("write", "removes fields", "patch_remove"))
    return effects
