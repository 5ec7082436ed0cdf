"""Small getters over raw object dicts (the dict is the truth)."""
from __future__ import annotations
from typing import Any


def dig(obj: Any, *path: str | int, default: Any = None) -> Any:
    """Follow keys/indexes; `default` when any step is missing.

    >>> dig({"a": {"b": [1, {"c": 2}]}}, "a", "b", 1, "c")
    2
    """
    cur = obj
    for key in path:
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return default
        if cur is None:
            return default
    return cur


def dict_at(obj: dict[str, Any], key: str) -> dict[str, Any]:
    """obj[key] when it is a mapping, else {} (what a missing or mistyped struct reads as).

    >>> dict_at({"spec": {"replicas": 1}}, "spec"), dict_at({"spec": [1]}, "spec")
    ({'replicas': 1}, {})
    """
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def name_of(obj: dict[str, Any]) -> str:
    name: str = dig(obj, "metadata", "name", default="")
    return name


def namespace_of(obj: dict[str, Any]) -> str:
    namespace: str = dig(obj, "metadata", "namespace", default="")
    return namespace


def api_group(obj: dict[str, Any]) -> str:
    api = str(obj.get("apiVersion", ""))
    return api.split("/")[0] if "/" in api else ""


def conditions(obj: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    """status.conditions by type."""
    return {c.get("type"): c for c in dig(obj, "status", "conditions", default=[]) or []
            if isinstance(c, dict)}
