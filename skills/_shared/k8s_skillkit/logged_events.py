"""Events a controller logged instead of (or beside) writing them, read back as Events.

A pasted controller log carries the events its recorder sent, in these forms:
- controller-runtime's recorder (pkg/internal/recorder/recorder.go): `logger.V(1).Info(
  e.Message, "type", e.Type, "object", e.InvolvedObject, "reason", e.Reason)`, logger name
  `events`; zap's console encoding prints the message, then the fields as JSON:

      DEBUG  events  Failed build model due to LATTICE_RETRY  {"type": "Warning", "object":
      {"kind":"HTTPRoute","namespace":"default","name":"r"}, "reason": "FailedBuildModel"}

  (aws/aws-application-networking-k8s#209; the training-operator's `PyTorchJob x is
  restarting because 1 Master replica(s) failed.`, kubeflow/trainer#2044), its JSON encoding
  the message under `msg`. Operators with their own recorder provider log the type as the
  message and the text under `message` (`logger.V(1).Info(e.Type, "object", ..., "reason",
  ..., "message", e.Message)`).
- client-go's structured logging (tools/record/event.go StartStructuredLogging, 1.19+):
  `"Event occurred" object="ns/name" fieldPath="" kind="Pod" apiVersion="v1"
  type="Warning" reason="FailedScheduling" message="..."` (klog key="value", Go-quoted).
- client-go before that (StartLogging with klog.Infof): `Event(v1.ObjectReference{Kind:"Pod",
  Namespace:"ns", Name:"n", UID:"...", ...}): type: 'Warning' reason: 'FailedScheduling'
  message` (`%#v` of the reference, so the fields are Go-quoted).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_Found = tuple[dict[str, str], str, str, str]  # (object reference, type, reason, message)

_TYPES = ("Warning", "Normal")
_KLOG_PAIR = re.compile(r'\b(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
_OBJECT_REFERENCE = re.compile(
    r'Event\((?:v1\.|&v1\.|api\.)?ObjectReference\{(?P<ref>[^}]*)\}\): type: \'(?P<type>\w+)\' '
    r"reason: '(?P<reason>[^']*)' ?(?P<message>.*)$")
_REF_FIELD = re.compile(r'(\w+):"((?:[^"\\]|\\.)*)"')


def events_from_logs(lines: Iterable[object] | None) -> list[dict[str, Any]]:
    """The events the pasted log lines record, as Event objects (involvedObject, type,
    reason, message), marked `_source: log`."""
    out = []
    for raw in lines or []:
        line = str(raw).strip()
        found = _found(line)
        if found is None and '\\"' in line and "ObjectReference{" in line:
            # logrus' text format quotes the whole message: msg="Event(v1.ObjectReference{
            # Kind:\"TFJob\", ...}): type: 'Warning' ..." (kubeflow/trainer#707)
            found = _object_reference(line.replace('\\"', '"').rstrip('"'))
        if found:
            out.append(_event(*found))
    return out


def _found(line: str) -> _Found | None:
    return (_controller_runtime(line) if '"object"' in line else None) \
        or (_structured(line) if "Event occurred" in line else None) \
        or (_object_reference(line) if "ObjectReference{" in line else None)


def _event(ref: dict[str, str], type_: str, reason: str, message: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{ref.get('name', '')} (controller log)",
                         "namespace": ref.get("namespace") or ""},
            "involvedObject": {k: ref[k] for k in ("kind", "name", "namespace") if ref.get(k)},
            "type": type_, "reason": reason, "message": message,
            "source": {"component": "controller log (event recorder)"}, "_source": "log"}


def _controller_runtime(line: str) -> _Found | None:
    parsed = _fields(line)
    if parsed is None:
        return None
    message, data = parsed
    ref = data.get("object")
    type_ = data.get("type")
    if type_ is None and message in _TYPES:  # the type as the message, the text in a field
        type_, message = message, str(data.get("message") or "")
    if not (isinstance(ref, dict) and ref.get("kind") and type_ in _TYPES
            and data.get("reason")):
        return None
    return {k: str(v) for k, v in ref.items()}, str(type_), str(data["reason"]), message


def _fields(line: str) -> tuple[str, dict[str, Any]] | None:
    """(message, fields) of a log line whose fields are one JSON object."""
    start = line.find("{")
    while start != -1:
        try:
            data = json.loads(line[start:])
        except ValueError:
            start = line.find("{", start + 1)
            continue
        if not isinstance(data, dict):
            return None
        return str(data.get("msg") or _message_before(line[:start])), data
    return None


# zap's console encoder: time, level, logger name, message, tab-separated; a paste may have
# turned the tabs into spaces, and the recorder's logger is named "events"
_CONSOLE_HEAD = re.compile(r"^(?:\S+\s+)?(?:DEBUG|INFO|WARN|ERROR|debug|info|Level\(-?\d+\))"
                           r"\s+(?:\S*\.)?events\s+")


def _message_before(head: str) -> str:
    head = head.rstrip()
    if "\t" in head:
        return head.split("\t")[-1].strip()
    return _CONSOLE_HEAD.sub("", head).strip()


def _structured(line: str) -> _Found | None:
    pairs = {key: _unquote(value) for key, value in
             _KLOG_PAIR.findall(line[line.index("Event occurred"):])}
    if pairs.get("type") not in _TYPES or not pairs.get("reason") or not pairs.get("kind"):
        return None
    namespace, _, name = pairs.get("object", "").rpartition("/")
    ref = {"kind": pairs["kind"], "name": name, "namespace": namespace}
    # the events.k8s.io broadcaster logs `note` where core/v1 has `message`
    return ref, pairs["type"], pairs["reason"], pairs.get("message", pairs.get("note", ""))


def _object_reference(line: str) -> _Found | None:
    m = _OBJECT_REFERENCE.search(line)
    if not m or m["type"] not in _TYPES:
        return None
    fields = {key.lower(): _unquote(f'"{value}"') for key, value in
              _REF_FIELD.findall(m["ref"])}
    if not fields.get("kind"):
        return None
    return fields, m["type"], m["reason"], m["message"].strip()


def _unquote(value: str) -> str:
    """A Go-quoted value as its text (klog quotes strings with strconv.Quote)."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(json.loads(value))
        except ValueError:
            return value[1:-1]
    return value
