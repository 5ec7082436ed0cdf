"""Add what is missing to workload objects, in place, and say what was done.

Only missing keys are added: an explicit value (even an insecure one such as
privileged: true) is never overwritten but reported, and keys we do not know are never
touched, so CRDs and future fields round-trip unchanged. New keys go at the end of their
mapping; existing order is kept.
"""
from __future__ import annotations

from k8s_skillkit.objects import dig

from _manifest.workloads import LONG_RUNNING, PodSite, pod_sites

NAME_LABEL = "app.kubernetes.io/name"


def harden_object(obj: dict, opts: dict) -> tuple[list[str], list[str]]:
    """(changes made, problems left for a human) for one object."""
    changes, left = [], []
    if pod_sites(obj):
        _label(obj, changes)
    for site in pod_sites(obj):
        _pod_security(site, opts, changes)
        for path, container in site.containers():
            _container_security(path, container, opts, changes, left)
            _resources(path, container, opts, changes)
        if obj.get("kind") in LONG_RUNNING:
            for path, container in site.containers(init=False):
                _probes(path, container, changes, left)
        if opts["read_only_root"]:
            _tmp_volume(site, changes)
    return changes, left


def _set(mapping: dict, key: str, value, changes: list, where: str) -> bool:
    if mapping.get(key) is None:
        mapping[key] = value
        changes.append(f"{where}.{key}: {value}")
        return True
    return False


def _child(mapping: dict, key: str) -> dict:
    if not isinstance(mapping.get(key), dict):
        mapping[key] = {}
    return mapping[key]


def _label(obj: dict, changes: list) -> None:
    meta = _child(obj, "metadata")
    name = meta.get("name")
    if name:
        _set(_child(meta, "labels"), NAME_LABEL, name, changes, "metadata.labels")


def _pod_security(site: PodSite, opts: dict, changes: list) -> None:
    sc = _child(site.spec, "securityContext")
    _set(sc, "runAsNonRoot", True, changes, f"{site.path}.securityContext")
    if opts.get("run_as_user") is not None:
        # runAsNonRoot alone refuses to start images whose USER is root; a UID fixes that.
        _set(sc, "runAsUser", opts["run_as_user"], changes, f"{site.path}.securityContext")
    if not (sc.get("seccompProfile") or {}).get("type"):
        _set(sc, "seccompProfile", {"type": "RuntimeDefault"}, changes,
             f"{site.path}.securityContext")


def _container_security(path, container, opts, changes, left) -> None:
    sc = _child(container, "securityContext")
    where = f"{path}.securityContext"
    if sc.get("privileged") is True:
        left.append(f"{where}.privileged is true: left as is; remove it if not needed")
    _set(sc, "allowPrivilegeEscalation", False, changes, where)
    if opts["read_only_root"]:
        _set(sc, "readOnlyRootFilesystem", True, changes, where)
    caps = _child(sc, "capabilities")
    drop = caps.get("drop")
    if drop is None:
        _set(caps, "drop", ["ALL"], changes, f"{where}.capabilities")
    elif "ALL" not in drop:
        drop.append("ALL")
        changes.append(f"{where}.capabilities.drop: added ALL")


def _resources(path, container, opts, changes) -> None:
    res = _child(container, "resources")
    requests, limits = res.get("requests") or {}, res.get("limits") or {}
    wanted = {"cpu": opts["cpu"], "memory": opts["memory"]}
    for name, value in wanted.items():
        if name not in requests and name not in limits:
            _set(_child(res, "requests"), name, value, changes, f"{path}.resources.requests")
    if "memory" not in limits:
        memory = (res.get("requests") or {}).get("memory", opts["memory"])
        _set(_child(res, "limits"), "memory", opts["memory_limit"] or memory, changes,
             f"{path}.resources.limits")


def _probes(path, container, changes, left) -> None:
    ports = [p for p in container.get("ports") or [] if isinstance(p, dict)]
    if container.get("readinessProbe") and container.get("livenessProbe"):
        return
    if len(ports) != 1:
        left.append(f"{path}: no probes added: {'no' if not ports else 'several'} container "
                    "ports, so the health endpoint is unknown; add readinessProbe/livenessProbe")
        return
    port = ports[0].get("name") or ports[0].get("containerPort")
    _set(container, "readinessProbe", {"tcpSocket": {"port": port}, "periodSeconds": 10},
         changes, path)
    _set(container, "livenessProbe", {"tcpSocket": {"port": port}, "periodSeconds": 20,
                                      "failureThreshold": 3}, changes, path)


def _tmp_volume(site: PodSite, changes: list) -> None:
    """A read-only root needs somewhere to write: give every container an emptyDir /tmp."""
    volumes = site.spec.setdefault("volumes", [])
    if not any(isinstance(v, dict) and v.get("name") == "tmp" for v in volumes):
        volumes.append({"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}})
        changes.append(f"{site.path}.volumes: added emptyDir tmp")
    for path, container in site.containers():
        mounts = container.setdefault("volumeMounts", [])
        if not any(dig(m, "mountPath") == "/tmp" for m in mounts):
            mounts.append({"name": "tmp", "mountPath": "/tmp"})
            changes.append(f"{path}.volumeMounts: /tmp")
