"""A ConfigMap Kustomize generated under a hashed name, referenced by its bare name.

Kustomize's configMapGenerator / secretGenerator name the object NAME-HASH unless
`disableNameSuffixHash: true` (sigs.k8s.io/kustomize/api v0.21.1 types/generatoroptions.go:14-17,
:45); the hash is the first 10 hex digits of a sha256 with 0,1,3,a,e written g,h,k,m,t
(hasher/hasher.go:28-49), so the suffix is 10 of [2456789bcdfghkmt]. Kustomize rewrites the
references it knows (pod volumes, envFrom); a name written where it does not look (a Helm
chart's values in a HelmRelease, an operator's CR field) keeps the bare NAME, which no object
has: the chart mounts nothing or an optional volume, and the program then finds no config
file ("open /etc/APP/FILE: no such file or directory") and crash-loops
(ronaldlokers/homelab docs/war-stories/kustomize-configmap-hash-suffix.md).

Read only when the paste holds all of it: a generator entry NAME with a `files` key, no
disableNameSuffixHash, the object shown as NAME-HASH, a `name: NAME` elsewhere, and a
container's "no such file or directory" on a path whose file name is one of the entry's keys.
An app's own "no such file" without that chain is not this.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from k8s_skillkit.fences import marks
from k8s_skillkit.findings import finding

_HASH = "[2456789bcdfghkmt]{10}"
_NO_FILE = re.compile(r"(?:open |stat |)(?P<path>/[\w./@+-]+):? no such file or directory")


def _blocks(text: str) -> list[str]:
    """The fenced blocks of the paste (each a list of consecutive code lines), as text."""
    lines = text.splitlines()
    out: list[list[str]] = []
    prev = ""
    for line, mark in zip(lines, marks(lines)):
        if mark == "code":
            if prev != "code":
                out.append([])
            out[-1].append(line)
        prev = mark
    return ["\n".join(b) for b in out]


def _load(block: str) -> Any:
    try:
        return yaml.safe_load(block)
    except yaml.YAMLError:
        return None


def _entries(doc: Any) -> list[tuple[str, set[str]]]:
    """(name, file keys) of each generator entry that keeps the hash suffix."""
    if not isinstance(doc, dict):
        return []
    off = (doc.get("generatorOptions") or {}).get("disableNameSuffixHash") is True
    out = []
    for key in ("configMapGenerator", "secretGenerator"):
        for item in doc.get(key) or []:
            if not isinstance(item, dict) or off or not isinstance(item.get("name"), str) or \
                    ((item.get("options") or {}).get("disableNameSuffixHash") is True):
                continue
            files = {str(f).split("=", 1)[0].rsplit("/", 1)[-1] for f in item.get("files") or []}
            out.append((item["name"], files))
    return out


def findings(text: str) -> list[dict[str, Any]]:
    """The config_missing finding when the paste holds the whole chain (module doc), else []."""
    blocks = _blocks(text) or [text]
    missing = [m.group("path") for m in _NO_FILE.finditer(text)]
    for i, block in enumerate(blocks):
        for name, files in _entries(_load(block)):
            hashed = re.search(rf"\b{re.escape(name)}-{_HASH}\b", text)
            named = rf"^\s*(?:-\s*)?name:\s*[\"']?{re.escape(name)}[\"']?\s*(?:#.*)?$"
            elsewhere = any(re.search(named, b, re.MULTILINE)
                            for j, b in enumerate(blocks) if j != i)
            path = next((p for p in missing if p.rsplit("/", 1)[-1] in files), "")
            # a `get configmap` row (NAME DATA AGE) of the bare name: it exists after all
            bare = re.search(rf"^[#\s]*{re.escape(name)}\s+\d+\s+\d+[smhdy]", text, re.MULTILINE)
            if not (hashed and elsewhere and path) or bare:
                continue
            return [finding(
                "error", "config_missing", {"kind": "ConfigMap", "name": name},
                f"ConfigMap {name} is referenced by its bare name, but Kustomize generated it "
                f"as {hashed.group(0)} (configMapGenerator adds a content hash unless "
                f"disableNameSuffixHash): no object is named {name}, so the container finds no "
                f"{path}",
                [f"generated: {hashed.group(0)} (configMapGenerator name {name}, no "
                 "disableNameSuffixHash)", f"referenced elsewhere as name: {name}",
                 f"the container: {path}: no such file or directory"],
                f"set options.disableNameSuffixHash: true on the generator entry {name} (a name "
                "a Helm value or CR refers to must be stable), or reference the generated name "
                "where Kustomize rewrites it; then roll out", basis="inferred",
                confirm=f"kubectl get configmap -n NAMESPACE | grep {name}; kubectl get pod POD "
                        "-n NAMESPACE -o jsonpath='{.spec.volumes}'")]
    return []
