"""Input for the DRA scripts: a dump (-f) or live state through kubectl, plus Kueue config."""
from __future__ import annotations

import json
import shutil
import subprocess

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import flatten, kubectl_get, parse_documents, read_text
from k8s_skillkit.objects import dig

from _dra_messages import mentions_dra

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

DRA_RESOURCES = ("resourceslices.resource.k8s.io", "deviceclasses.resource.k8s.io",
                 "resourceclaims.resource.k8s.io", "resourceclaimtemplates.resource.k8s.io")
CORE_RESOURCES = ("nodes", "namespaces")
KUEUE_RESOURCES = ("clusterqueues.kueue.x-k8s.io", "localqueues.kueue.x-k8s.io",
                   "resourceflavors.kueue.x-k8s.io")
KUEUE_CONFIGMAP_KEY = "controller_manager_config.yaml"


class Loaded:
    """Objects plus what could not be read live (an unserved API, say), the lines of a paste
    that were not objects (events, log lines, error text), and which kinds the input lists
    in full (live mode: every kind it read; a dump: the kinds of its `kind: List` items)."""

    def __init__(self, objects, missing=(), api_versions=None, source="dump", texts=(),
                 full_kinds=()):
        self.objects = objects
        self.missing = list(missing)
        self.api_versions = api_versions
        self.source = source
        self.texts = list(texts)
        self.full_kinds = set(full_kinds)

    def complete(self, kind: str) -> bool:
        """May the input prove that an object of `kind` does not exist? Only live mode or a
        full listing of that kind can: a pasted dump is partial (references/messages.md)."""
        return self.source == "live" or kind in self.full_kinds


def load(path: str | None, pod_namespace: str | None = None, kueue: bool = False,
         pods: bool = True) -> Loaded:
    """Objects from a dump, or live: DRA objects of every namespace (holders anywhere
    matter), pods only of `pod_namespace` when given."""
    if path:
        return _load_paste(path)
    objects, missing = [], []
    # events carry what the scheduler, kubelet and drivers reported (reported evidence)
    wanted = list(DRA_RESOURCES) + list(CORE_RESOURCES) + (["pods", "events"] if pods else [])
    if kueue:
        wanted += list(KUEUE_RESOURCES)
    for res in wanted:
        scoped = res in ("pods", "events") and pod_namespace
        try:
            objects += kubectl_get(res, namespace=pod_namespace if scoped else None,
                                   all_namespaces=not scoped)
        except InputError as err:
            text = str(err)
            if "doesn't have a resource type" in text or "the server could not find" in text:
                missing.append(res)
                continue
            if res in KUEUE_RESOURCES or res in ("namespaces", "events"):
                missing.append(res)  # optional: RBAC may hide them; say so, go on
                continue
            raise
    if kueue:
        objects += _kueue_configmaps()
    return Loaded(objects, missing, api_versions=_api_versions(), source="live")


def _load_paste(path: str) -> Loaded:
    """A pasted file: `kubectl get -o yaml|json` objects, or text that carries components'
    messages (describe output, an events table, kubelet or driver log lines, an error a
    command printed). Text without any DRA message is bad input (exit 2)."""
    text, label = read_text(path)
    try:
        docs = [d for d in _documents(text, label) if d.get("kind") or d.get("apiVersion")]
    except InputError:
        docs = []
    if docs:
        objects = [o for d in docs for o in flatten(d)]
        return Loaded(objects, texts=_message_lines(objects), full_kinds=_listed_kinds(docs))
    lines = text.splitlines()
    if not any(mentions_dra(line) for line in lines) and not mentions_dra(" ".join(lines)):
        raise InputError(f"{label}: neither Kubernetes objects (kubectl get -o yaml|json) nor "
                         "a DRA component's message (describe output, events, kubelet log)")
    return Loaded([], texts=lines)


def _documents(text: str, label: str) -> list[dict]:
    """Top-level documents, Lists NOT flattened (their kinds tell what is listed in full)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            value = json.loads(text)
            return [d for d in (value if isinstance(value, list) else [value])
                    if isinstance(d, dict)]
        except json.JSONDecodeError:
            pass  # YAML flow style, or a paste that merely starts with a brace
    if yaml is None:
        raise InputError("PyYAML is not installed: pip install pyyaml (or pass JSON)")
    try:
        return [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    except yaml.YAMLError as err:  # describe text, event tables, log lines: not YAML
        raise InputError(f"{label}: not YAML: {' '.join(str(err).split())[:200]}") from err


def _listed_kinds(docs: list[dict]) -> set[str]:
    """Kinds a `kind: List` / `XxxList` in the paste holds in full (a List of DeviceClasses
    says which exist; a List without any says nothing about them)."""
    out: set[str] = set()
    for doc in docs:
        kind = str(doc.get("kind", ""))
        if kind.endswith("List") and isinstance(doc.get("items"), list):
            out.update(str(i.get("kind", "")) for i in doc["items"] if isinstance(i, dict))
            if kind != "List" and not doc["items"]:
                out.add(kind[:-len("List")])  # `kubectl get deviceclasses -o yaml`: none
    return out


def _message_lines(objects: list[dict]) -> list[str]:
    """Objects carry their messages in fields; raw text lines are only for non-object
    pastes. (Kept as a hook: the kit's loader returns both for mixed pastes.)"""
    return []


def _kubectl_json(args: list[str], timeout: float = 30):
    exe = shutil.which("kubectl")
    if not exe:
        return None
    try:
        proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout


def current_namespace() -> str:
    """The namespace of the current kubeconfig context, as kubectl would use it."""
    out = _kubectl_json(["config", "view", "--minify", "-o", "jsonpath={..namespace}"])
    return (out or "").strip() or "default"


def _api_versions() -> list[str] | None:
    out = _kubectl_json(["api-versions"])
    return None if out is None else [line.strip() for line in out.splitlines() if line.strip()]


def _kueue_configmaps() -> list[dict]:
    out = _kubectl_json(["get", "configmaps", "-n", "kueue-system", "-o", "json"])
    if not out:
        return []
    try:
        return [cm for cm in flatten(json.loads(out))
                if KUEUE_CONFIGMAP_KEY in (cm.get("data") or {})]
    except json.JSONDecodeError:
        return []


def kueue_configuration(objects: list[dict], path: str | None) -> dict | None:
    """Kueue's Configuration: from --kueue-config FILE, else a ConfigMap in the objects."""
    if path:
        text, label = read_text(path)
        for doc in parse_documents(text, label):
            found = _configuration_from(doc)
            if found is not None:
                return found
        raise InputError(f"{label}: no Kueue Configuration (config.kueue.x-k8s.io) found")
    for obj in objects:
        found = _configuration_from(obj)
        if found is not None:
            return found
    return None


def _configuration_from(doc: dict) -> dict | None:
    if doc.get("kind") == "Configuration" and "kueue" in str(doc.get("apiVersion", "")):
        return doc
    if doc.get("kind") == "ConfigMap" and KUEUE_CONFIGMAP_KEY in (doc.get("data") or {}):
        if yaml is None:
            return None
        try:
            inner = yaml.safe_load(doc["data"][KUEUE_CONFIGMAP_KEY])
        except yaml.YAMLError:
            return None
        return inner if isinstance(inner, dict) else None
    return None


def device_class_mappings(config: dict | None) -> dict[str, str]:
    """DeviceClass name -> Kueue resource name (resources.deviceClassMappings)."""
    out = {}
    for mapping in dig(config or {}, "resources", "deviceClassMappings", default=[]) or []:
        for cls in mapping.get("deviceClassNames") or []:
            out[cls] = mapping.get("name", "")
    return out
