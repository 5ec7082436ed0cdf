"""Read what triage/inspect need: live through kubectl (a few calls) or from a dump.

Secret and ConfigMap values never leave this module: they are replaced by their key names
as soon as they are read, so nothing downstream can print them.
"""
from __future__ import annotations

import json
import shutil
import subprocess

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import flatten, kubectl_get, read_text

try:  # libyaml parses big YAML dumps ~10x faster; PyYAML without it still works
    import yaml
    _CLOADER = getattr(yaml, "CSafeLoader", None)
except ImportError:  # pragma: no cover
    yaml, _CLOADER = None, None

CORE = ("pods,events,nodes,persistentvolumeclaims,deployments,replicasets,statefulsets,"
        "daemonsets,jobs,configmaps,storageclasses")
OPTIONAL = ("workloads.kueue.x-k8s.io", "resourceslices.resource.k8s.io")
_ABSENT = ("doesn't have a resource type", "could not find the requested resource",
           "forbidden", "no matches for kind")


def strip_values(obj: dict) -> dict:
    """Keep a Secret's / ConfigMap's key names, drop every value."""
    if obj.get("kind") in ("Secret", "ConfigMap"):
        keys = sorted(set(obj.get("data") or {}) | set(obj.get("stringData") or {})
                      | set(obj.get("binaryData") or {}))
        meta = obj.get("metadata") or {}
        return {"kind": obj["kind"], "apiVersion": obj.get("apiVersion", "v1"),
                "metadata": {"name": meta.get("name", ""),
                             "namespace": meta.get("namespace", "")},
                "type": obj.get("type", ""), "keys": keys}
    return obj


def read_dump(path: str) -> list[dict]:
    text, label = read_text(path)
    objects, _ = dump_objects(text, label)
    if not objects:
        raise InputError(f"{label}: no Kubernetes objects found")
    return objects


def dump_objects(text: str, label: str) -> tuple[list[dict], set]:
    """The objects of a `kubectl get -o yaml|json` dump (List, multi-document, a YAML list of
    objects), values of Secrets/ConfigMaps dropped; [] when the text is not such a dump
    (describe output, event tables, prose): the caller reads those as text. Also returns the
    kinds the dump lists in full: the items of a `kind: List` (kubectl get TYPE,... -o yaml)."""
    stripped = text.lstrip()
    if not stripped:
        raise InputError(f"{label}: empty input, no Kubernetes objects found")
    docs = None
    if _CLOADER is not None and stripped[0] not in "{[":
        try:
            docs = list(yaml.load_all(text, Loader=_CLOADER))
        except yaml.YAMLError:
            return [], set()
    if docs is None:
        try:
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError:
            return [], set()  # not YAML/JSON: the caller reads it as pasted text
    objects, listed = [], set()
    for doc in docs:
        items = doc if isinstance(doc, list) else [doc]
        for item in items:
            if isinstance(item, dict):
                flat = [o for o in flatten(item) if isinstance(o, dict)]
                if str(item.get("kind", "")).endswith("List"):
                    listed |= {str(o.get("kind")) for o in flat}
                    kind = str(item.get("kind"))[:-4]
                    if kind:  # `kubectl get configmaps -o yaml` prints ConfigMapList (or an
                        listed.add(kind)  # empty List): none of that kind exist
                objects.extend(flat)
    if not objects or not all(o.get("kind") for o in objects):
        return [], set()  # a status fragment or prose that happens to parse as YAML
    return [strip_values(o) for o in objects], listed


def read_live(namespace: str | None, selector: str | None, every: bool = False,
              with_optional: bool = True) -> tuple[list[dict], set[str]]:
    """(objects, kinds read) of one namespace (None: kubectl's current one) or, with
    `every`, all namespaces; `selector` filters pods only."""
    objects = kubectl_get(CORE if not selector else CORE.replace("pods,", ""),
                          namespace=namespace, all_namespaces=every, timeout=60)
    if selector:
        objects += _kubectl_json(["get", "pods", "-l", selector, "-o", "json"]
                                 + (["-A"] if every else ["-n", namespace] if namespace else []))
    objects += [strip_values(s) for s in kubectl_get("secrets", namespace=namespace,
                                                     all_namespaces=every, timeout=60)]
    objects = [strip_values(o) for o in objects]
    kinds = {"Pod", "Event", "Node", "PersistentVolumeClaim", "Deployment", "ReplicaSet",
             "StatefulSet", "DaemonSet", "Job", "ConfigMap", "Secret", "StorageClass"}
    if with_optional:
        for resource in OPTIONAL:
            try:
                objects += kubectl_get(resource, namespace=namespace, all_namespaces=every)
            except InputError as err:
                if not any(t in str(err) for t in _ABSENT):
                    raise
    return objects, kinds


def _kubectl_json(args: list[str]) -> list[dict]:
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("kubectl not found on PATH: install it, or pass a dump with -f FILE")
    try:
        proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)
    except (subprocess.TimeoutExpired, OSError) as err:
        raise InputError(f"kubectl {' '.join(args[:2])}: {err}") from err
    if proc.returncode != 0:
        raise InputError(f"kubectl {' '.join(args)}: {' '.join(proc.stderr.split())[:300]}")
    try:
        return flatten(json.loads(proc.stdout or "{}"))
    except ValueError as err:
        raise InputError(f"kubectl {' '.join(args[:2])}: output is not JSON: {err}") from err


def previous_logs(namespace: str, pod: str, container: str, tail: int = 20,
                  previous: bool = True) -> tuple[list[str], str]:
    """(lines, '') or ([], why not). Never raises: logs are evidence, not a requirement."""
    exe = shutil.which("kubectl")
    if not exe:
        return [], "kubectl not found"
    cmd = [exe, "logs", "-n", namespace, pod, "-c", container, f"--tail={tail}"]
    if previous:
        cmd.append("--previous")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=15)
    except (subprocess.TimeoutExpired, OSError) as err:
        return [], f"kubectl logs: {err}"
    if proc.returncode != 0:
        return [], " ".join(proc.stderr.split())[:200] or "kubectl logs failed"
    return proc.stdout.splitlines()[-tail:], ""
