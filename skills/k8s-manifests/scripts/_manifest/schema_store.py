"""Find and load the pinned schemas (k8s-schemas.json.gz) the validator checks against.

The file is generated from the pinned Go modules (`python -m harness.skillpack.schemas`)
and committed in the skill's assets/schemas/, so the repository (Claude Code plugin),
installed skills and uploaded bundles all carry it; a test fails when it no longer matches
the pins. Lookup order: an explicit --schemas DIR, the skill's own assets/schemas/, then
the K8S_SKILLS_SCHEMAS environment variable.
"""
from __future__ import annotations

import functools
import gzip
import json
import os

FILE_NAME = "k8s-schemas.json.gz"
ENV_VAR = "K8S_SKILLS_SCHEMAS"
BUNDLE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets",
                          "schemas")


class SchemaStore:
    """Schemas by "group/version/Kind" plus shared definitions; CRDs in the input add kinds."""

    def __init__(self, doc: dict, origin: str):
        self.definitions = doc.get("definitions", {})
        self.kinds = dict(doc.get("kinds", {}))
        self.standard = doc.get("standard", {})
        self.scope = dict(doc.get("scope", {}))
        self.scale = dict(doc.get("scale", {}))
        self.sources = doc.get("sources", {})
        self.origin = origin

    def schema_for(self, api_version: str, kind: str) -> dict | None:
        return self.kinds.get(f"{api_version}/{kind}")

    def standard_schema_for(self, api_version: str, kind: str) -> dict | None:
        """The Gateway API standard-channel schema, when the kind has one."""
        return self.standard.get(f"{api_version}/{kind}")

    def kinds_of_group(self, group: str) -> list[str]:
        prefix = f"{group}/" if group else ""
        return sorted(k for k in self.kinds if k.startswith(prefix) and
                      (group or k.count("/") == 1))

    def add_crd(self, crd: dict) -> None:
        """Learn the kinds a CustomResourceDefinition in the input defines (a malformed one
        teaches nothing: its own schema_violation says why)."""
        spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        versions = spec.get("versions") if isinstance(spec.get("versions"), list) else []
        for version in versions:
            if not isinstance(version, dict):
                continue
            holder = version.get("schema") if isinstance(version.get("schema"), dict) else {}
            schema = holder.get("openAPIV3Schema")
            schema = schema if isinstance(schema, dict) else None
            if spec.get("group") and names.get("kind") and version.get("name"):
                key = f"{spec['group']}/{version['name']}/{names['kind']}"
                self.kinds.setdefault(key, schema or {"x-kubernetes-preserve-unknown-fields": True})
                self.scope.setdefault(key, spec.get("scope", "Namespaced"))


def find_schema_file(explicit: str | None) -> tuple[str | None, str]:
    """(path or None, why-not text) following the documented lookup order."""
    candidates = []
    if explicit:
        candidates.append(("--schemas", explicit))
    candidates.append(("bundle", BUNDLE_DIR))
    if os.environ.get(ENV_VAR):
        candidates.append((ENV_VAR, os.environ[ENV_VAR]))
    for _, folder in candidates:
        path = folder if folder.endswith(".gz") else os.path.join(folder, FILE_NAME)
        if os.path.isfile(path):
            return path, ""
    looked = ", ".join(f"{label}={folder}" for label, folder in candidates)
    return None, (f"no {FILE_NAME} found (looked in {looked}); build the bundle with "
                  f"`k8s-skills skills build` or set {ENV_VAR}")


def load_store(explicit: str | None) -> tuple[SchemaStore | None, str]:
    """(store, "") or (None, reason) so the caller can say what it skipped."""
    path, why = find_schema_file(explicit)
    if not path:
        return None, why
    try:
        doc = _read(path, os.stat(path).st_mtime_ns)
    except (OSError, ValueError) as err:
        return None, f"{path}: unreadable schema file: {err}"
    return SchemaStore(doc, path), ""


@functools.lru_cache(maxsize=4)
def _read(path: str, _mtime: int) -> dict:
    """The parsed file, once per process (a store copies what it changes)."""
    with open(path, "rb") as handle:
        return json.loads(gzip.decompress(handle.read()))
