"""Input for the DRA scripts: a dump (-f) or live state through kubectl, plus Kueue config."""
from __future__ import annotations

import json
import shutil
import subprocess

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import flatten, kubectl_get, load_objects, parse_documents, read_text
from k8s_skillkit.objects import dig

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
    """Objects plus what could not be read live (an unserved API, say)."""

    def __init__(self, objects, missing=(), api_versions=None, source="dump"):
        self.objects = objects
        self.missing = list(missing)
        self.api_versions = api_versions
        self.source = source


def load(path: str | None, pod_namespace: str | None = None, kueue: bool = False,
         pods: bool = True) -> Loaded:
    """Objects from a dump, or live: DRA objects of every namespace (holders anywhere
    matter), pods only of `pod_namespace` when given."""
    if path:
        return Loaded(load_objects(path))
    objects, missing = [], []
    wanted = list(DRA_RESOURCES) + list(CORE_RESOURCES) + (["pods"] if pods else [])
    if kueue:
        wanted += list(KUEUE_RESOURCES)
    for res in wanted:
        scoped = res == "pods" and pod_namespace
        try:
            objects += kubectl_get(res, namespace=pod_namespace if scoped else None,
                                   all_namespaces=not scoped)
        except InputError as err:
            text = str(err)
            if "doesn't have a resource type" in text or "the server could not find" in text:
                missing.append(res)
                continue
            if res in KUEUE_RESOURCES or res == "namespaces":
                missing.append(res)  # optional: RBAC may hide them; say so, go on
                continue
            raise
    if kueue:
        objects += _kueue_configmaps()
    return Loaded(objects, missing, api_versions=_api_versions(), source="live")


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
