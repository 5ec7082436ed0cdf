"""Field errors worded as k8s.io/apimachinery/pkg/util/validation/field (v0.37.2) words them.

A Violation is one admission error: where, the apiserver-style text, and who rejects it.

    >>> str(invalid("spec.replicas", -1, "must be greater than or equal to 0"))
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    >>> str(required("spec.selector"))
    'spec.selector: Required value'
    >>> str(not_supported("spec.type", "X", ["A", "B"]))
    'spec.type: Unsupported value: "X": supported values: "A", "B"'
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import json

OMIT = object()  # field.OmitValueType: the value is not printed


@dataclass(frozen=True)
class Violation:
    """One reason the apiserver (or an admission webhook) would reject the object."""
    path: str
    kind: str          # "Invalid value", "Required value", ...
    value: object = OMIT
    detail: str = ""
    origin: str = "apiserver"   # apiserver | crd-schema | crd-rule | webhook:<name>

    def body(self) -> str:
        text = self.kind
        if self.value is not OMIT:
            text += f": {render_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self.body()}" if self.path else self.body()


def render_value(value: object) -> str:
    """Go's %v for scalars, %q for strings, JSON for everything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def invalid(path: str, value: object, detail: str = "", origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Invalid value", value, detail, origin)


def required(path: str, detail: str = "", origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Required value", OMIT, detail, origin)


def forbidden(path: str, detail: str = "", origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Forbidden", OMIT, detail, origin)


def duplicate(path: str, value: object, origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Duplicate value", value, "", origin)


def not_found(path: str, value: object, origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Not found", value, "", origin)


def not_supported(path: str, value: object, allowed: Iterable[object],
                  origin: str = "apiserver") -> Violation:
    detail = ("supported values: " + ", ".join(json.dumps(str(v)) for v in allowed)
              if allowed else "")
    return Violation(str(path), "Unsupported value", value, detail, origin)


def too_long(path: str, limit: int, origin: str = "apiserver",
             unit: str = "bytes") -> Violation:
    unit = unit[:-1] if limit == 1 else unit
    return Violation(str(path), "Too long", "<value omitted>",
                     f"may not be more than {limit} {unit}", origin)


def too_many(path: str, actual: int, limit: int, origin: str = "apiserver") -> Violation:
    return Violation(str(path), "Too many", actual,
                     f"must have at most {limit} item{'s' if limit != 1 else ''}", origin)


def join(path: str, *parts: int | str) -> str:
    """field.Path rendering: a.b[0].c, and map keys as [key]."""
    out = path
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith("["):
            out += part
        else:
            out = f"{out}.{part}" if out else part
    return out
