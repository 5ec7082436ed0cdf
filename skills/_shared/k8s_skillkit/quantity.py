"""Kubernetes resource quantities ("500m", "40Gi", "1e3") as exact Fractions."""
from __future__ import annotations

from fractions import Fraction
import functools
import re

_SUFFIX = {
    "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "": Fraction(1),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18),
    "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30), "Ti": Fraction(2**40),
    "Pi": Fraction(2**50), "Ei": Fraction(2**60),
}
_PATTERN = re.compile(r"^([+-]?[0-9.]+)([eE][+-]?[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$")


def parse_quantity(value: object) -> Fraction:
    """Parse a quantity; ValueError on anything Kubernetes would reject.

    >>> parse_quantity("500m"), parse_quantity("2Gi") == 2 * 1024**3, parse_quantity(3)
    (Fraction(1, 2), True, Fraction(3, 1))
    """
    if isinstance(value, bool):
        raise ValueError(f"not a Kubernetes quantity: {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))  # 0.1 means one tenth, not the nearest binary float
    parsed = _parse_text(value if isinstance(value, str) else str(value))
    if parsed is None:
        raise ValueError(f"not a Kubernetes quantity: {value!r}")
    return parsed


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> Fraction | None:
    """None when it is no quantity. Cached: Fractions are immutable, and a dump repeats the
    same few quantities thousands of times."""
    match = _PATTERN.match(text.strip())
    if not match:
        return None
    number, exponent, suffix = match.groups()
    result = Fraction(number)
    if exponent:
        result *= Fraction(10) ** int(exponent[1:])
    return result * _SUFFIX[suffix or ""]


def format_quantity(value: Fraction, resource: str = "") -> str:
    """Human form: memory-like resources in binary (else decimal) units, CPU in millicores.

    >>> format_quantity(Fraction(3, 2), "cpu"), format_quantity(Fraction(2 * 1024**3), "memory")
    ('1500m', '2Gi')
    """
    if resource == "cpu" and value.denominator != 1:
        return f"{int(value * 1000)}m"
    if value.denominator == 1 and value >= 1000 and ("memory" in resource
                                                     or "storage" in resource):
        for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki", "E", "P", "T", "G", "M", "k"):
            unit = _SUFFIX[suffix]
            if value % unit == 0:
                return f"{int(value / unit)}{suffix}"
    if value.denominator == 1:
        return str(int(value))
    return f"{float(value):g}"


def format_alike(*values: Fraction) -> list[str]:
    """The quantities in the largest unit that divides them all, so they read side by side.

    >>> format_alike(Fraction(8 * 10**9), Fraction(5 * 10**9), Fraction(10 * 10**9))
    ['8G', '5G', '10G']
    """
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki", "E", "P", "T", "G", "M", "k"):
        unit = _SUFFIX[suffix]
        if any(values) and all(v % unit == 0 for v in values):
            return [f"{int(v / unit)}{suffix}" for v in values]
    return [format_quantity(v) for v in values]
