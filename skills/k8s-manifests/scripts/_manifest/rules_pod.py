"""Best-practice rules that look at one pod template at a time.

Each rule is `fn(obj, site) -> list[(message, evidence, path)]`; _manifest/rules.py turns
the hits into findings with the rule's id, severity and fix. Every id is documented in
references/rules.md.
"""
from __future__ import annotations

from k8s_skillkit.quantity import parse_quantity

from _manifest.workloads import (LONG_RUNNING, PodSite, gpu_count, image_tag,
                                 is_extended_resource)

SAFE_CAPABILITIES = {"NET_BIND_SERVICE"}


def _effective(site: PodSite, container: dict, key: str):
    """A securityContext field: the container's value wins over the pod's."""
    own = (container.get("securityContext") or {}).get(key)
    return own if own is not None else (site.spec.get("securityContext") or {}).get(key)


def missing_requests(obj, site):
    hits = []
    for path, c in site.containers():
        res = c.get("resources") or {}
        given = set(res.get("requests") or {}) | set(res.get("limits") or {})
        missing = [r for r in ("cpu", "memory") if r not in given]
        if missing:
            hits.append((f"container {c.get('name')!r} has no {' or '.join(missing)} request",
                         f"{path}.resources: {res or '{}'}", path))
    return hits


def missing_memory_limit(obj, site):
    return [(f"container {c.get('name')!r} has no memory limit",
             f"{path}.resources.limits: {(c.get('resources') or {}).get('limits') or '{}'}", path)
            for path, c in site.containers()
            if "memory" not in ((c.get("resources") or {}).get("limits") or {})]


def _probe_rule(field: str):
    def rule(obj, site):
        if obj.get("kind") not in LONG_RUNNING:
            return []
        return [(f"container {c.get('name')!r} has no {field}", f"{path}.{field}: unset", path)
                for path, c in site.containers(init=False) if not c.get(field)]
    return rule


missing_readiness_probe = _probe_rule("readinessProbe")
missing_liveness_probe = _probe_rule("livenessProbe")


def gpu_missing_startup_probe(obj, site):
    """A model server loads weights for minutes; liveness alone kills it mid-load."""
    if obj.get("kind") not in LONG_RUNNING:
        return []
    return [(f"GPU container {c.get('name')!r} has a livenessProbe but no startupProbe",
             f"{path}: livenessProbe set, startupProbe unset", path)
            for path, c in site.containers(init=False)
            if gpu_count(c) and c.get("livenessProbe") and not c.get("startupProbe")]


def image_latest(obj, site):
    hits = []
    for path, c in site.containers():
        image = str(c.get("image") or "")
        tag = image_tag(image)
        if image and tag in ("", "latest"):
            what = "the :latest tag" if tag else "an untagged image"
            hits.append((f"container {c.get('name')!r} uses {what}",
                         f"{path}.image: {image}", path))
    return hits


def privileged(obj, site):
    return [(f"container {c.get('name')!r} runs privileged",
             f"{path}.securityContext.privileged: true", path)
            for path, c in site.containers()
            if (c.get("securityContext") or {}).get("privileged") is True]


def privilege_escalation(obj, site):
    return [(f"container {c.get('name')!r} does not set allowPrivilegeEscalation: false",
             f"{path}.securityContext.allowPrivilegeEscalation: "
             f"{(c.get('securityContext') or {}).get('allowPrivilegeEscalation')}", path)
            for path, c in site.containers()
            if (c.get("securityContext") or {}).get("allowPrivilegeEscalation") is not False]


def run_as_root(obj, site):
    hits = []
    for path, c in site.containers():
        user = _effective(site, c, "runAsUser")
        if user == 0 or (_effective(site, c, "runAsNonRoot") is not True and not user):
            hits.append((f"container {c.get('name')!r} may run as root",
                         f"runAsNonRoot={_effective(site, c, 'runAsNonRoot')}, runAsUser={user}",
                         path))
    return hits


def capabilities_not_dropped(obj, site):
    hits = []
    for path, c in site.containers():
        drop = ((c.get("securityContext") or {}).get("capabilities") or {}).get("drop") or []
        if "ALL" not in drop:
            hits.append((f"container {c.get('name')!r} does not drop ALL capabilities",
                         f"{path}.securityContext.capabilities.drop: {drop}", path))
    return hits


def dangerous_capabilities(obj, site):
    hits = []
    for path, c in site.containers():
        add = ((c.get("securityContext") or {}).get("capabilities") or {}).get("add") or []
        risky = [cap for cap in add if str(cap).upper() not in SAFE_CAPABILITIES]
        if risky:
            hits.append((f"container {c.get('name')!r} adds capabilities {risky}",
                         f"{path}.securityContext.capabilities.add: {add}", path))
    return hits


def seccomp_missing(obj, site):
    hits = []
    for path, c in site.containers():
        profile = _effective(site, c, "seccompProfile") or {}
        if profile.get("type") not in ("RuntimeDefault", "Localhost"):
            hits.append((f"container {c.get('name')!r} has no RuntimeDefault seccomp profile",
                         f"seccompProfile: {profile or 'unset'}", path))
    return hits


def writable_root(obj, site):
    return [(f"container {c.get('name')!r} has a writable root filesystem",
             f"{path}.securityContext.readOnlyRootFilesystem: unset or false", path)
            for path, c in site.containers()
            if (c.get("securityContext") or {}).get("readOnlyRootFilesystem") is not True]


def host_path(obj, site):
    return [(f"volume {v.get('name')!r} mounts the node's {v['hostPath'].get('path')}",
             f"{site.path}.volumes[{i}].hostPath: {v['hostPath']}", f"{site.path}.volumes[{i}]")
            for i, v in enumerate(site.spec.get("volumes") or [])
            if isinstance(v, dict) and isinstance(v.get("hostPath"), dict)]


def host_namespaces(obj, site):
    used = [k for k in ("hostNetwork", "hostPID", "hostIPC") if site.spec.get(k) is True]
    if not used:
        return []
    return [(f"pod shares the node's {', '.join(used)}", f"{site.path}: {used}", site.path)]


def extended_resource_mismatch(obj, site):
    """The apiserver rejects extended resources whose request differs from the limit.

    Source: k8s.io/kubernetes pkg/apis/core/validation/validation.go
    (validateResourceRequirements: "must be equal to ... limit", "Limit must be set for
    non overcommitable resources").
    """
    hits = []
    for path, c in site.containers():
        res = c.get("resources") or {}
        requests, limits = res.get("requests") or {}, res.get("limits") or {}
        for name, value in requests.items():
            if is_extended_resource(name) and not _same_quantity(value, limits.get(name)):
                hits.append((f"container {c.get('name')!r} requests {name}={value} but its "
                             f"limit is {limits.get(name, 'unset')}",
                             f"{path}.resources: {res}", path))
    return hits


def extended_resource_fraction(obj, site):
    hits = []
    for path, c in site.containers():
        res = c.get("resources") or {}
        for section in ("requests", "limits"):
            for name, value in (res.get(section) or {}).items():
                if is_extended_resource(name) and not _whole(value):
                    hits.append((f"container {c.get('name')!r} asks for a fraction of {name}",
                                 f"{path}.resources.{section}.{name}: {value}", path))
    return hits


def gpu_no_scheduling_hint(obj, site):
    if not any(gpu_count(c) for _, c in site.containers()):
        return []
    spec = site.spec
    if spec.get("nodeSelector") or spec.get("tolerations") or spec.get("affinity"):
        return []
    return [("GPU pod has no nodeSelector, affinity or toleration",
             f"{site.path}: nodeSelector/affinity/tolerations unset", site.path)]


def gpu_missing_shm(obj, site):
    """NCCL and PyTorch DataLoader workers need more than the runtime's 64Mi /dev/shm."""
    memory_volumes = {v.get("name") for v in site.spec.get("volumes") or []
                      if isinstance(v, dict)
                      and (v.get("emptyDir") or {}).get("medium") == "Memory"}
    hits = []
    for path, c in site.containers(init=False):
        mounts = {m.get("mountPath"): m.get("name") for m in c.get("volumeMounts") or []}
        if gpu_count(c) and mounts.get("/dev/shm") not in memory_volumes:
            hits.append((f"GPU container {c.get('name')!r} has no memory-backed /dev/shm",
                         f"{path}.volumeMounts: no /dev/shm emptyDir(medium: Memory)", path))
    return hits


def _same_quantity(a, b) -> bool:
    try:
        return b is not None and parse_quantity(a) == parse_quantity(b)
    except ValueError:
        return False


def _whole(value) -> bool:
    try:
        return parse_quantity(value).denominator == 1
    except ValueError:
        return True  # a malformed quantity is the schema/server's finding, not this rule's

