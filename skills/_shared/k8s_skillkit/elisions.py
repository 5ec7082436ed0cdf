"""What users cut from the YAML they paste, and how the kit reads around it.

A line put in place of cut lines ("...", "…", "# ..."), which YAML reads as a document end; a
value cut in place (`labels: [...]`), which YAML reads as the list ["..."]; and a `spec:` line
cut with the lines around it, which leaves the spec's fields under metadata.
"""
from __future__ import annotations

import re
from typing import Any

# A line a user put in place of what they cut ("...", "..", "…", "# ..."): YAML reads `...`
# as the end of a document and fails on it (and on "..") inside a mapping.
LINE = re.compile(r"^\s*(\.{2,}|\u2026+\.*|#\s*(\.\.\.|\u2026))\s*$")
# a value the user cut in place: `labels: [...]` (or `[...]` on the line under `labels:`),
# `annotations: {...}`, `image: ...`
INLINE = re.compile(r"(?:^\s*|[:\-]\s*)(?:\[\s*(?:\.\.\.|\u2026)\s*\]|"
                    r"\{\s*(?:\.\.\.|\u2026)\s*\}|(?:\.\.\.|\u2026))\s*$", re.M)
_CUT_VALUES = ("...", "\u2026")


def _elided(value: Any) -> bool:
    return (isinstance(value, str) and value.strip() in _CUT_VALUES) or (
        isinstance(value, list) and len(value) == 1 and _elided(value[0])) or (
        isinstance(value, dict) and len(value) == 1 and _elided(next(iter(value))) and
        next(iter(value.values())) is None)


def without(value: Any) -> Any:
    """The document without the values a user cut in place (`labels: [...]` parses as the
    list ["..."], where every reader expects a map): the field is unknown, so it goes."""
    if isinstance(value, dict):
        return {k: without(v) for k, v in value.items() if not _elided(v)}
    if isinstance(value, list):
        return [without(v) for v in value if not _elided(v)]
    return value


# ObjectMeta's fields (k8s.io/apimachinery v0.37.2 pkg/apis/meta/v1/types.go)
_OBJECT_META = {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
                "generation", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
                "finalizers", "managedFields"}


# kinds whose other fields sit at the top level, not under spec (rbac.authorization.k8s.io/v1,
# core/v1 ConfigMap, Secret, ServiceAccount, Event; storage.k8s.io/v1 StorageClass;
# scheduling.k8s.io/v1 PriorityClass; node.k8s.io/v1 RuntimeClass)
_NO_SPEC = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
            "ServiceAccount", "Event", "StorageClass", "PriorityClass", "RuntimeClass"}


def spec_back(doc: Any) -> Any:
    """An object whose `spec:` line the user cut with the lines around it ("...") parses with
    the spec's fields under metadata (the next fields sit at metadata's indent): fields that
    are not ObjectMeta's go back to spec (to the top level for kinds without a spec)."""
    if not isinstance(doc, dict) or "spec" in doc or not isinstance(doc.get("metadata"), dict):
        return doc
    meta = doc["metadata"]
    stray = [key for key in meta if key not in _OBJECT_META]
    if not stray:
        return doc
    moved = {key: meta.pop(key) for key in stray}
    if doc.get("kind") in _NO_SPEC:
        for key, value in moved.items():
            doc.setdefault(key, value)
    else:
        doc["spec"] = moved
    return doc


def repaired(docs: list[Any], text: str, lines_cut: bool) -> list[Any]:
    """The documents with the cut values dropped and, where lines were cut, the spec's fields
    put back; a cheap test first (a dump may be 100+ MB)."""
    if lines_cut:
        docs = [spec_back(doc) for doc in docs]
    if ("..." in text or "\u2026" in text) and INLINE.search(text):
        docs = [without(doc) for doc in docs]
    return docs
