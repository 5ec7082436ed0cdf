"""Timestamps as instants, so "which failed first" compares times, not strings.

Objects carry RFC 3339 (metav1.Time `2006-01-02T15:04:05Z`, metav1.MicroTime with 6 digits of
fraction, and, in hand-written or converted pastes, any offset and up to 9 digits); `kubectl
describe` prints RFC 1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`). As strings these misorder:
"10:00:00.5Z" sorts before "10:00:00Z", "11:00:00+02:00" after "10:00:00Z".
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
                      r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$")


def instant(text) -> datetime | None:
    """The UTC instant of an RFC 3339 or RFC 1123Z stamp; None when it is neither. A stamp
    without a zone is read as UTC (what `kubectl get` prints is UTC)."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    match = _RFC3339.match(text)
    if match:
        y, mo, d, h, mi, s, frac, _z, sign, oh, om = match.groups()
        try:
            when = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                            int((frac or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
        except ValueError:
            return None
        if sign:
            when -= (1 if sign == "+" else -1) * timedelta(hours=int(oh), minutes=int(om))
        return when
    try:
        return datetime.strptime(text, "%a, %d %b %Y %H:%M:%S %z").astimezone(timezone.utc)
    except ValueError:
        return None


def order_key(text) -> tuple[int, datetime]:
    """Sort key: parsed stamps in time order, then unparseable or missing ones."""
    when = instant(text)
    return (0, when) if when else (1, datetime.min.replace(tzinfo=timezone.utc))
