"""Read what triage/inspect need: live through kubectl (a few calls) or from a dump.

Secret and ConfigMap values never leave this module: they are replaced by their key names
as soon as they are read, so nothing downstream can print them.
"""
from __future__ import annotations

import json
import shutil
import subprocess

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import ResourceTypeAbsent, flatten, kubectl_get, load_objects

import yaml

CORE = ("pods,events,nodes,persistentvolumeclaims,deployments,replicasets,statefulsets,"
        "daemonsets,jobs,configmaps,storageclasses")
OPTIONAL = ("workloads.kueue.x-k8s.io", "resourceslices.resource.k8s.io")


def strip_values(obj: dict) -> dict:
    """Keep a Secret's / ConfigMap's key names, drop every value. Idempotent: live mode
    strips Secrets twice, and a stripped object (it has `keys`, no data) must keep them."""
    if obj.get("kind") in ("Secret", "ConfigMap") and "keys" not in obj:
        keys = sorted(set(obj.get("data") or {}) | set(obj.get("stringData") or {})
                      | set(obj.get("binaryData") or {}))
        meta = obj.get("metadata") or {}
        return {"kind": obj["kind"], "apiVersion": obj.get("apiVersion", "v1"),
                "metadata": {"name": meta.get("name", ""),
                             "namespace": meta.get("namespace", "")},
                "type": obj.get("type", ""), "keys": keys}
    return obj


def read_dump(path: str) -> list[dict]:
    """Every object of a dump or paste the kit reads, Secret/ConfigMap values dropped."""
    return [strip_values(o) for o in load_objects(path)]


def yaml_list_objects(text: str) -> list[dict]:
    """Objects of a YAML/JSON sequence of objects (users paste the `items:` of a list);
    [] when the text is not one."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    if not isinstance(doc, list):
        return []
    return [o for item in doc if isinstance(item, dict) for o in flatten(item)
            if isinstance(o, dict) and o.get("kind")]


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
            except ResourceTypeAbsent:
                continue  # the optional CRD is not installed
            except InputError as err:
                if "forbidden" not in str(err).lower():
                    raise  # RBAC hides an optional kind: nothing is concluded from it
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
