"""Reading a value out of an object dict with a small, explicit path language.

`spec.template.spec.containers[0].image`, `containers[name=web].readinessProbe`,
`metadata.labels["kueue.x-k8s.io/queue-name"]`; a missing step reads as MISSING.
"""
from __future__ import annotations
from typing import Any

import re

MISSING = object()
_TOKEN = re.compile(r'\.?([A-Za-z0-9_\-]+)|\[(\d+)\]|\[([A-Za-z0-9_.\-/]+)=([^\]]*)\]'
                    r'|\["([^"]+)"\]')


def parse(path: str) -> list[Any]:
    """Steps of a path; ValueError on anything it cannot read.

    >>> parse('spec.containers[name=web].ports[0]["x/y"]')
    ['spec', 'containers', ('name', 'web'), 'ports', 0, 'x/y']
    """
    steps, pos = [], 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read path {path!r} at {path[pos:]!r}")
        key, index, fkey, fval, quoted = m.groups()
        steps.append(int(index) if index is not None else
                     (fkey, fval) if fkey is not None else quoted if quoted else key)
        pos = m.end()
    return steps


def read(obj: Any, path: str) -> Any:
    """The value at `path`, or MISSING.

    >>> read({"a": [{"n": "x", "v": 1}]}, "a[n=x].v")
    1
    >>> read({}, "a.b") is MISSING
    True
    """
    value = obj
    for step in parse(path):
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and step < len(value) else MISSING
        elif isinstance(step, tuple):
            value = next((v for v in value if isinstance(v, dict)
                          and str(v.get(step[0])) == step[1]), MISSING) \
                if isinstance(value, list) else MISSING
        else:
            value = value.get(step, MISSING) if isinstance(value, dict) else MISSING
        if value is MISSING:
            return MISSING
    return value


_SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "m": 1e-3, "k": 1e3,
           "M": 1e6, "G": 1e9, "T": 1e12}


def number(value: object) -> float | None:
    """A Kubernetes quantity or number as float, or None.

    >>> number("500m"), number("2Gi") == 2**31, number("x")
    (0.5, True, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"\s*([0-9.]+)([A-Za-z]*)\s*", str(value))
    if not m or (m.group(2) and m.group(2) not in _SUFFIX):
        return None
    try:
        return float(m.group(1)) * _SUFFIX.get(m.group(2), 1)
    except ValueError:
        return None
