"""CEL durations and timestamps (google.protobuf.Duration / Timestamp), standard library only.

duration() parses Go's time.ParseDuration syntax; timestamp() parses RFC 3339.

    >>> parse_duration("1h30m").cel_compare(parse_duration("90s")), parse_duration("1.5s").nanos
    (1, 1500000000)
"""
from __future__ import annotations

import datetime
import re

from .cel_runtime import CelError, Unsupported, no_overload

_UNITS = {"ns": 1, "us": 10 ** 3, "µs": 10 ** 3, "μs": 10 ** 3, "ms": 10 ** 6, "s": 10 ** 9,
          "m": 60 * 10 ** 9, "h": 3600 * 10 ** 9}
_PART = re.compile(r"(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)")
_MAX_DURATION = 315576000000 * 10 ** 9  # cel-go: +/- 10000 years


class Duration:
    cel_type = "google.protobuf.Duration"

    def __init__(self, nanos: int) -> None:
        if abs(nanos) > _MAX_DURATION:
            raise CelError("duration out of range")
        self.nanos = nanos

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and other.nanos == self.nanos

    def __repr__(self) -> str:
        return f"duration({self.cel_string()!r})"

    def cel_compare(self, other: Duration) -> int:
        return (self.nanos > other.nanos) - (self.nanos < other.nanos)

    def cel_string(self) -> str:
        seconds = self.nanos / 10 ** 9
        return (f"{seconds:.9f}".rstrip("0").rstrip(".") if self.nanos % 10 ** 9 else
                str(self.nanos // 10 ** 9)) + "s"

    def cel_negate(self) -> Duration:
        return Duration(-self.nanos)

    def cel_arith(self, op: str, other: object) -> Duration | Timestamp:
        if isinstance(other, Duration) and op in "+-":
            return Duration(self.nanos + other.nanos if op == "+" else self.nanos - other.nanos)
        if isinstance(other, Timestamp) and op == "+":
            return Timestamp(other.nanos + self.nanos)
        raise no_overload(f"_{op}_", self, other)

    def cel_method(self, name: str, *args: object) -> int:
        getters = {"getHours": 3600 * 10 ** 9, "getMinutes": 60 * 10 ** 9,
                   "getSeconds": 10 ** 9, "getMilliseconds": 10 ** 6}
        if name in getters and not args:
            return int(self.nanos / getters[name])
        raise Unsupported(f"method duration.{name}()")


class Timestamp:
    cel_type = "google.protobuf.Timestamp"

    def __init__(self, nanos: int) -> None:
        self.nanos = nanos

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Timestamp) and other.nanos == self.nanos

    def cel_compare(self, other: Timestamp) -> int:
        return (self.nanos > other.nanos) - (self.nanos < other.nanos)

    def as_datetime(self) -> datetime.datetime:
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return epoch + datetime.timedelta(microseconds=self.nanos // 1000)

    def cel_string(self) -> str:
        text = self.as_datetime().strftime("%Y-%m-%dT%H:%M:%S")
        frac = self.nanos % 10 ** 9
        return text + (f".{frac:09d}".rstrip("0") if frac else "") + "Z"

    def cel_arith(self, op: str, other: object) -> Duration | Timestamp:
        if isinstance(other, Duration) and op in "+-":
            return Timestamp(self.nanos + other.nanos if op == "+" else self.nanos - other.nanos)
        if isinstance(other, Timestamp) and op == "-":
            return Duration(self.nanos - other.nanos)
        raise no_overload(f"_{op}_", self, other)

    def cel_method(self, name: str, *args: object) -> int:
        if args and args[0] not in ("UTC", "Z", "+00:00"):
            raise Unsupported("timestamp getters with a time zone")
        dt = self.as_datetime()
        getters = {"getFullYear": dt.year, "getMonth": dt.month - 1, "getDate": dt.day,
                   "getDayOfMonth": dt.day - 1, "getDayOfWeek": (dt.weekday() + 1) % 7,
                   "getDayOfYear": dt.timetuple().tm_yday - 1, "getHours": dt.hour,
                   "getMinutes": dt.minute, "getSeconds": dt.second,
                   "getMilliseconds": (self.nanos % 10 ** 9) // 10 ** 6}
        if name in getters:
            return getters[name]
        raise Unsupported(f"method timestamp.{name}()")


def parse_duration(text: object) -> Duration:
    """Go's time.ParseDuration: "300ms", "-1.5h", "2h45m"; "0" alone is allowed."""
    if not isinstance(text, str):
        raise no_overload("duration", text)
    body, sign = text, 1
    if body and body[0] in "+-":
        sign, body = (-1 if body[0] == "-" else 1), body[1:]
    if body == "0":
        return Duration(0)
    if not body:
        raise CelError(f'invalid duration "{text}"')
    total, pos = 0, 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if not match or not (match.group(1) or match.group(2)):
            raise CelError(f'time: invalid duration "{text}"')
        whole, frac, unit = match.group(1) or "0", match.group(2) or "", match.group(3)
        scale = _UNITS[unit]
        total += int(whole) * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)
        pos = match.end()
    return Duration(sign * total)


_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
                      r"(?:[Zz]|([+-])(\d{2}):(\d{2}))")


def parse_timestamp(text: object) -> Timestamp:
    if not isinstance(text, str):
        raise no_overload("timestamp", text)
    match = _RFC3339.fullmatch(text)
    if not match:
        raise CelError(f"timestamp parse error: {text}")
    y, mo, d, h, mi, s, frac, sign, oh, om = match.groups()
    try:
        dt = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                               tzinfo=datetime.timezone.utc)
    except ValueError:
        raise CelError(f"timestamp parse error: {text}") from None
    offset = (int(oh) * 3600 + int(om) * 60) * (1 if sign == "+" else -1) if sign else 0
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    seconds = int((dt - epoch).total_seconds()) - offset
    nanos = int((frac or "0").ljust(9, "0"))
    return Timestamp(seconds * 10 ** 9 + nanos)
