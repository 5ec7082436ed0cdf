"""Parse Prometheus HTTP API JSON and text exposition into series; histogram quantiles.

A Series is (name, labels, points) with points [(timestamp or None, value)]. Text
exposition gives one point per series (no timestamp unless the line carries one); a
range query (resultType matrix) gives many.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from k8s_skillkit.errors import InputError

_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+(-?\d+))?\s*$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


@dataclass
class Series:
    name: str
    labels: dict
    points: list = field(default_factory=list)

    @property
    def last(self) -> float:
        return self.points[-1][1]

    def mean(self) -> float:
        return sum(v for _, v in self.points) / len(self.points)

    def recent(self) -> float:
        """Mean of the last quarter of the samples: the current state of a range query."""
        tail = self.points[-max(1, len(self.points) // 4):]
        return sum(v for _, v in tail) / len(tail)


def parse(text: str, label: str) -> list[Series]:
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{label}: empty metrics input")
    if stripped[0] in "{[":
        return parse_json(stripped, label)
    return parse_text(stripped, label)


def _number(raw: str, where: str) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError) as err:
        raise InputError(f"{where}: value {raw!r} is not a number") from err
    return value


def parse_text(text: str, label: str) -> list[Series]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise InputError(f"{label}: line {lineno}: not Prometheus text exposition: "
                             f"{line[:80]!r}")
        name, _, raw_labels, value, _, ts = match.groups()
        labels = _labels(raw_labels or "", f"{label}: line {lineno}")
        out.append(Series(name, labels, [(float(ts) / 1000 if ts else None,
                                          _number(value, f"{label}: line {lineno}"))]))
    if not out:
        raise InputError(f"{label}: no samples found (only comments)")
    return out


def _labels(raw: str, where: str) -> dict:
    labels, pos = {}, 0
    while pos < len(raw):
        match = _LABEL.match(raw, pos)
        if not match:
            raise InputError(f"{where}: malformed labels {{{raw[:60]}}}")
        labels[match.group(1)] = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
        pos = match.end()
    return labels


def parse_json(text: str, label: str) -> list[Series]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{label}: not valid JSON: {err.msg} at line {err.lineno}") from err
    if isinstance(doc, list):
        return [s for i, d in enumerate(doc) for s in _response(d, f"{label}[{i}]", None)]
    if isinstance(doc, dict) and "data" not in doc and "status" not in doc:
        # {"<metric or derived name>": <API response>}: names queries whose results have
        # no __name__ (histogram_quantile, ratios).
        return [s for key, d in doc.items() for s in _response(d, f"{label}[{key}]", key)]
    return _response(doc, label, None)


def _response(doc, where: str, name: str | None) -> list[Series]:
    if not isinstance(doc, dict) or "data" not in doc:
        raise InputError(f"{where}: not a Prometheus HTTP API response (no \"data\")")
    if doc.get("status", "success") != "success":
        raise InputError(f"{where}: query failed: {doc.get('errorType', '')} "
                         f"{doc.get('error', '')}".strip())
    data = doc["data"]
    rtype = data.get("resultType") if isinstance(data, dict) else None
    result = data.get("result") if isinstance(data, dict) else None
    if rtype not in ("vector", "matrix") or not isinstance(result, list):
        raise InputError(f"{where}: data.resultType must be vector or matrix with a result "
                         f"list (got {rtype!r})")
    out = []
    for i, item in enumerate(result):
        metric = item.get("metric") if isinstance(item, dict) else None
        if not isinstance(metric, dict):
            raise InputError(f"{where}: result[{i}] has no metric labels")
        labels = dict(metric)
        sname = labels.pop("__name__", None) or name
        if not sname:
            raise InputError(f"{where}: result[{i}] has no __name__: wrap the response as "
                             "{\"METRIC_NAME\": response} (see --help)")
        raw = item.get("values") if rtype == "matrix" else [item.get("value")]
        out.append(Series(sname, labels, _points(raw, f"{where}: result[{i}]")))
    return out


def _points(raw, where: str) -> list:
    if not isinstance(raw, list) or not raw:
        raise InputError(f"{where}: no samples")
    points = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{where}: a sample must be [timestamp, \"value\"]")
        value = _number(pair[1], where)
        if not math.isnan(value):
            points.append((float(pair[0]), value))
    return points


def quantile(q: float, buckets: list[tuple[float, float]]) -> float | None:
    """histogram_quantile over cumulative (le, count) buckets, linear within a bucket.

    >>> quantile(0.5, [(1.0, 50), (2.0, 100), (float("inf"), 100)])
    1.0
    """
    buckets = sorted(buckets)
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    prev_le, prev_count = 0.0, 0.0
    for le, count in buckets:
        if count >= rank:
            if math.isinf(le):
                return prev_le
            if count == prev_count:
                return le
            return prev_le + (le - prev_le) * (rank - prev_count) / (count - prev_count)
        prev_le, prev_count = le, count
    return prev_le
