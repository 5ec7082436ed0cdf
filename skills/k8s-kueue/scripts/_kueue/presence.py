"""A dump is partial: the one place that decides whether an object the input lacks is absent.

An object missing from a pasted dump is "not in the dump", never "missing": only live mode
(the kind was listed from the cluster) or a dump holding a full list of that kind (the kit's
`Dump.presence`, from `kind: List` output) may conclude that it does not exist.
"""
from __future__ import annotations

from k8s_skillkit.dump import ABSENT, NOT_IN_DUMP, PRESENT, get_command

__all__ = ["ABSENT", "NOT_IN_DUMP", "PRESENT", "get_command", "presence", "kind_known"]



def presence(cluster, kind: str, name: str, namespace: str = "") -> str:
    """present | absent | not_in_dump for one object of the input: the kit's Dump.presence
    (live listings, full Lists), plus a pasted `kubectl get` that printed "No resources
    found" (read by _kueue.tables, not by the kit)."""
    if cluster.find(kind, name, namespace) is not None:
        return PRESENT
    if kind_known(cluster, kind, namespace):
        return ABSENT
    return NOT_IN_DUMP


def kind_known(cluster, kind: str, namespace: str = "") -> bool:
    """True when absence of an object of this kind would be conclusive."""
    if kind in cluster.live_kinds or _listed_empty(cluster, kind, namespace):
        return True
    has_full_list = getattr(cluster.source, "has_full_list", None)
    return bool(has_full_list and has_full_list(kind, namespace))


def _listed_empty(cluster, kind: str, namespace: str) -> bool:
    scope = getattr(cluster, "empty_kinds", {}).get(kind, set())
    return "*" in scope or bool(namespace and namespace in scope)
