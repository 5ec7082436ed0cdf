"""Events and conditions: find what a component reported about an object.

Events come as core/v1 Event (involvedObject, reason, message, count, lastTimestamp) or
events.k8s.io/v1 Event (regarding, note, series.count, deprecatedLastTimestamp); pastes of
`kubectl get events` tables and `kubectl describe` sections are turned into core/v1 shape by
the kit's loaders. Lookups here accept both API shapes.
"""
from __future__ import annotations
from collections.abc import Iterable
from typing import Any

from .objects import dig


def is_event(obj: dict[str, Any]) -> bool:
    return obj.get("kind") == "Event"


def regarding(event: dict[str, Any]) -> dict[str, Any]:
    """The object an event is about ({kind, namespace, name, fieldPath, uid})."""
    return event.get("involvedObject") or event.get("regarding") or {}


def message(event: dict[str, Any]) -> str:
    return str(event.get("message") or event.get("note") or "")


def count(event: dict[str, Any]) -> int:
    value = event.get("count") or dig(event, "series", "count") or \
        event.get("deprecatedCount") or 1
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def last_seen(event: dict[str, Any]) -> str:
    """A sortable timestamp ('' when the paste carried only relative ages)."""
    return str(event.get("lastTimestamp") or dig(event, "series", "lastObservedTime")
               or event.get("eventTime") or event.get("deprecatedLastTimestamp")
               or event.get("firstTimestamp") or dig(event, "metadata", "creationTimestamp")
               or "")


def source(event: dict[str, Any]) -> str:
    return str(dig(event, "source", "component") or event.get("reportingController")
               or event.get("reportingComponent") or "")


def _about(event: dict[str, Any], kind: str | None, name: str | None, namespace: str | None) -> bool:
    ref = regarding(event)
    ref_kind = ref.get("kind")
    if kind and ref_kind and ref_kind.lower() != kind.lower():
        return False
    if name and ref.get("name") != name:
        return False
    event_ns = ref.get("namespace") or dig(event, "metadata", "namespace") or ""
    return not (namespace and event_ns and event_ns != namespace)


def events_for(objects: Iterable[dict[str, Any]], kind: str | None = None,
               name: str | None = None,
               namespace: str | None = None, reason: str | tuple[str, ...] | None = None,
               type_: str | None = None) -> list[dict[str, Any]]:
    """Events about one object (or all of a kind), oldest first, newest last.

    Events without timestamps keep the order of the input (kubectl prints them oldest first).
    """
    reasons = (reason,) if isinstance(reason, str) else tuple(reason or ())
    found = [(i, e) for i, e in enumerate(objects) if is_event(e)
             and _about(e, kind, name, namespace)
             and (not reasons or e.get("reason") in reasons)
             and (not type_ or e.get("type") == type_)]
    found.sort(key=lambda pair: (last_seen(pair[1]), pair[0]) if all(
        last_seen(e) for _, e in found) else pair[0])
    return [e for _, e in found]


def latest_event(objects: Iterable[dict[str, Any]], **query: Any) -> dict[str, Any] | None:
    found = events_for(objects, **query)
    return found[-1] if found else None


def condition(obj: dict[str, Any], type_: str) -> dict[str, Any] | None:
    """status.conditions[type == type_] or None."""
    for cond in dig(obj, "status", "conditions", default=[]) or []:
        if isinstance(cond, dict) and cond.get("type") == type_:
            return cond
    return None


def condition_is(obj: dict[str, Any], type_: str, status: str = "True") -> bool:
    cond = condition(obj, type_)
    return cond is not None and bool(cond) and str(cond.get("status")) == status
