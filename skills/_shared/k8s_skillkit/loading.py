"""Read Kubernetes objects from a file, stdin, or live through kubectl.

Everything a diagnostic script looks at arrives as plain dicts, whichever way it came:
a `kubectl get -o yaml|json` dump (List or multi-document), a manifest, or live state.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys

from .errors import InputError

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML is the one allowed dependency
    yaml = None


def read_text(path: str) -> tuple[str, str]:
    """Return (text, label) of a file or '-' for stdin; InputError when unreadable."""
    if path == "-":
        try:
            return sys.stdin.read(), "<stdin>"
        except UnicodeDecodeError as err:
            raise InputError(f"<stdin>: not UTF-8 text: {err.reason}") from err
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, pass a file")
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(), path
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read: {err}") from err


def parse_documents(text: str, label: str) -> list[dict]:
    """Every object in a YAML/JSON text; Lists are flattened, empty documents dropped."""
    if not text.strip():
        raise InputError(f"{label}: empty input, no Kubernetes objects found")
    try:
        docs = _without_gc(lambda: list(_load_all(text)))
    except InputError:
        raise
    except Exception as err:  # yaml.YAMLError, json errors: report, never trace
        raise InputError(f"{label}: not valid YAML/JSON: {_one_line(err)}") from err
    objects = []
    for index, doc in enumerate(docs):
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise InputError(f"{label}: document {index + 1} is a {type(doc).__name__}, "
                             "expected a Kubernetes object (a mapping)")
        objects.extend(flatten(doc))
    if not objects:
        raise InputError(f"{label}: no Kubernetes objects found")
    return objects


def flatten(doc: dict) -> list[dict]:
    """A `kind: List` (or `*List`) with items becomes its items, recursively."""
    kind = str(doc.get("kind", ""))
    if kind.endswith("List") and isinstance(doc.get("items"), list):
        out = []
        for item in doc["items"]:
            if isinstance(item, dict):
                out.extend(flatten(item))
        return out
    return [doc]


def load_objects(path: str) -> list[dict]:
    text, label = read_text(path)
    return parse_documents(text, label)


def kubectl_get(resources: str, namespace: str | None = None, all_namespaces: bool = False,
                timeout: float = 30) -> list[dict]:
    """Live objects via the user's kubectl (contexts and auth plugins just work)."""
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("kubectl not found on PATH: install it, or pass a dump with -f FILE")
    cmd = [exe, "get", resources, "-o", "json"]
    if all_namespaces:
        cmd.append("--all-namespaces")
    elif namespace:
        cmd += ["-n", namespace]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise InputError(f"kubectl get {resources}: no answer in {timeout:.0f}s "
                         "(is the cluster up?)") from err
    except OSError as err:
        raise InputError(f"kubectl get {resources}: cannot run {exe}: {err}") from err
    if proc.returncode != 0:
        raise InputError(f"kubectl get {resources}: {_one_line(proc.stderr) or 'failed'}")
    try:
        return flatten(json.loads(proc.stdout or "{}"))
    except json.JSONDecodeError as err:
        raise InputError(f"kubectl get {resources}: output is not JSON: {err}") from err


def _load_all(text: str):
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            value = json.loads(text)
            return value if isinstance(value, list) else [value]
        except json.JSONDecodeError:
            pass  # YAML flow style also starts with { or [
    if yaml is None:
        raise InputError("PyYAML is not installed: pip install pyyaml (or pass JSON)")
    return yaml.safe_load_all(text)


def _without_gc(build):
    """Run `build()` with the cyclic garbage collector paused.

    Parsing a big dump allocates millions of small dicts and lists and no cycles; the
    collector's repeated passes over them tripled parse time on a 140 MB dump.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if was_enabled:
            gc.enable()


def _one_line(err) -> str:
    return " ".join(str(err).split())[:300]
