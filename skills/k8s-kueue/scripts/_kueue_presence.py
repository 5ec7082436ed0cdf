"""A dump is partial: the one place that decides whether an object the input lacks is absent.

An object missing from a pasted dump is "not in the dump", never "missing": only live mode
(the kind was listed from the cluster) or a dump holding a full list of that kind (the kit's
`Dump.presence`, from `kind: List` output) may conclude that it does not exist.
"""
from __future__ import annotations

PRESENT, ABSENT, NOT_IN_DUMP = "present", "absent", "not_in_dump"

# kind -> (kubectl resource, namespaced), for the confirm command of an inferred finding.
_RESOURCES = {
    "Workload": ("workloads.kueue.x-k8s.io", True),
    "LocalQueue": ("localqueues.kueue.x-k8s.io", True),
    "ClusterQueue": ("clusterqueues.kueue.x-k8s.io", False),
    "ResourceFlavor": ("resourceflavors.kueue.x-k8s.io", False),
    "AdmissionCheck": ("admissionchecks.kueue.x-k8s.io", False),
    "Cohort": ("cohorts.kueue.x-k8s.io", False),
    "Namespace": ("namespaces", False),
    "Node": ("nodes", False),
    "Pod": ("pods", True),
    "Event": ("events", True),
}


def get_command(kind: str, name: str = "", namespace: str = "") -> str:
    """The one `kubectl get` that would show the object."""
    resource, namespaced = _RESOURCES.get(kind, (kind.lower(), True))
    parts = ["kubectl", "get", resource]
    if namespaced and name and not namespace:
        # kubectl refuses a name with -A; a field selector finds it in every namespace
        parts += ["-A", f"--field-selector=metadata.name={name}"]
    else:
        parts += [name] if name else []
        if namespaced:
            parts += ["-n", namespace] if namespace else ["-A"]
    return " ".join(parts + ["-o", "yaml"])


def presence(cluster, kind: str, name: str, namespace: str = "") -> str:
    """present | absent | not_in_dump for one object of the input."""
    if cluster.find(kind, name, namespace) is not None:
        return PRESENT
    if kind in cluster.live_kinds or _listed_empty(cluster, kind, namespace):
        return ABSENT
    source_presence = getattr(cluster.source, "presence", None)
    if source_presence is not None:
        return source_presence(kind, name, namespace).state
    return NOT_IN_DUMP


def kind_known(cluster, kind: str, namespace: str = "") -> bool:
    """True when absence of an object of this kind would be conclusive."""
    if kind in cluster.live_kinds or _listed_empty(cluster, kind, namespace):
        return True
    has_full_list = getattr(cluster.source, "has_full_list", None)
    return bool(has_full_list and has_full_list(kind, namespace))


def _listed_empty(cluster, kind: str, namespace: str) -> bool:
    scope = getattr(cluster, "empty_kinds", {}).get(kind, set())
    return "*" in scope or (namespace and namespace in scope)
