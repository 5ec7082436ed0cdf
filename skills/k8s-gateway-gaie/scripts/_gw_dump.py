"""A dump is partial: the one place this skill decides "absent" versus "not in the dump".

An object absent from a pasted dump is only "not in the dump"; live mode, or a full
`kind: List` of that kind covering its namespace, may conclude it does not exist. This module
mirrors the shared kit's `Dump.presence` API (skills/_shared/k8s_skillkit/dump.py) so that
switching to the kit is an import change; keep it that way until the kit is on main.
"""
from __future__ import annotations

from dataclasses import dataclass

from k8s_skillkit.loading import read_text, parse_documents

PRESENT, ABSENT, NOT_IN_DUMP = "present", "absent", "not_in_dump"
ALL_NAMESPACES = "*"

RESOURCES = {
    "Service": ("services", True), "Pod": ("pods", True), "Namespace": ("namespaces", False),
    "Secret": ("secrets", True), "Event": ("events", True),
    "Gateway": ("gateways.gateway.networking.k8s.io", True),
    "GatewayClass": ("gatewayclasses.gateway.networking.k8s.io", False),
    "HTTPRoute": ("httproutes.gateway.networking.k8s.io", True),
    "GRPCRoute": ("grpcroutes.gateway.networking.k8s.io", True),
    "ReferenceGrant": ("referencegrants.gateway.networking.k8s.io", True),
    "InferencePool": ("inferencepools", True),
    "InferenceModel": ("inferencemodels", True),
    "InferenceObjective": ("inferenceobjectives", True),
}


def get_command(kind: str, name: str = "", namespace: str = "") -> str:
    """The one `kubectl get` that shows the object (or every object of the kind)."""
    resource, namespaced = RESOURCES.get(kind, (kind.lower(), True))
    parts = ["kubectl", "get", resource] + ([name] if name else [])
    if namespaced:
        parts += ["-n", namespace] if namespace else ["-A"]
    return " ".join(parts + ["-o", "yaml"])


@dataclass(frozen=True)
class Presence:
    state: str
    obj: dict | None
    command: str

    @property
    def present(self) -> bool:
        return self.state == PRESENT

    @property
    def absent(self) -> bool:
        return self.state == ABSENT


class Dump(list):
    """Loaded objects plus the kinds (and namespaces) a full listing covered."""

    def __init__(self, objects=(), full_lists=None, live: bool = False):
        super().__init__(objects)
        self.full_lists = {k: set(v) for k, v in (full_lists or {}).items()}
        self.live = live

    def mark_full_list(self, kind: str, namespaces) -> None:
        self.full_lists.setdefault(kind, set()).update(namespaces)

    def has_full_list(self, kind: str, namespace: str = "") -> bool:
        scope = self.full_lists.get(kind)
        if scope is None:
            return False
        namespaced = RESOURCES.get(kind, ("", True))[1]
        return ALL_NAMESPACES in scope or not namespaced or namespace in scope

    def presence(self, kind: str, name: str, namespace: str = "") -> Presence:
        command = get_command(kind, name, namespace)
        for obj in self:
            meta = obj.get("metadata") or {}
            if obj.get("kind") == kind and meta.get("name") == name and (
                    (meta.get("namespace") or "") == (namespace or "")
                    or not RESOURCES.get(kind, ("", True))[1]):
                return Presence(PRESENT, obj, command)
        if self.has_full_list(kind, namespace):
            return Presence(ABSENT, None, command)
        return Presence(NOT_IN_DUMP, None, command)


def load_dump(path: str) -> Dump:
    """Objects from a file or stdin; every `kind: List` marks its kinds as fully listed."""
    text, label = read_text(path)
    objects = parse_documents(text, label)
    dump = Dump(objects)
    if "List" in text:
        for doc in _roots(text):
            if isinstance(doc, dict) and str(doc.get("kind", "")).endswith("List") \
                    and isinstance(doc.get("items"), list):
                for kind, namespaces in _scope(doc["items"]).items():
                    dump.mark_full_list(kind, namespaces)
    return dump


def _roots(text: str) -> list:
    import json
    import yaml
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return [json.loads(text)]
        except json.JSONDecodeError:
            pass
    try:
        return list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return []


def _scope(items: list) -> dict[str, set]:
    scope: dict[str, set] = {}
    for item in items:
        if isinstance(item, dict):
            namespace = (item.get("metadata") or {}).get("namespace") or ""
            scope.setdefault(item.get("kind", ""), set()).add(namespace)
    for namespaces in scope.values():
        if len(namespaces) > 1:
            namespaces.add(ALL_NAMESPACES)  # `-A` listing: more than one namespace
    return scope
