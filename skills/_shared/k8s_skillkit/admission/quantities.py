"""resource.Quantity parsing exactly as apimachinery v0.37.2 does (pkg/api/resource/quantity.go).

The kit's `quantity.parse_quantity` is lenient on purpose (it reads whatever a dump holds);
admission needs the strict form: "1.5Gi" and "100m" parse, "1GB", "1,5", "1e" do not.

    >>> parse_quantity_strict("1.5Gi") == 1.5 * 2 ** 30, parse_quantity_strict("100m")
    (True, Fraction(1, 10))
    >>> parse_quantity_strict("1GB")
    Traceback (most recent call last):
    ...
    ValueError: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
"""
from __future__ import annotations

from fractions import Fraction
import math

FORMAT_ERROR = ("quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
SUFFIX_ERROR = "unable to parse quantity's suffix"
_DECIMAL = {"": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15,
            "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_NANO = Fraction(1, 10 ** 9)


def _split(text: str) -> tuple[bool, str, str, str]:
    """(positive, numerator digits, denominator digits, suffix) like parseQuantityString."""
    pos, end, positive = 0, len(text), True
    if text[0] in "+-":
        positive, pos = text[0] == "+", 1
    start = pos
    while pos < end and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    num = text[start:pos]
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        dstart = pos
        while pos < end and text[pos].isdigit() and text[pos].isascii():
            pos += 1
        denom = text[dstart:pos]
    suffix_start = pos
    while pos < end and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    if pos != end:
        raise ValueError(FORMAT_ERROR)
    return positive, num or "0", denom, text[suffix_start:]


def _suffix_factor(suffix: str) -> tuple[Fraction, bool]:
    """(multiplier, binary?) for a suffix; ValueError for an unknown one."""
    if suffix in _DECIMAL:
        return Fraction(10) ** _DECIMAL[suffix], False
    if suffix in _BINARY:
        return Fraction(2 ** _BINARY[suffix]), True
    if len(suffix) > 1 and suffix[0] in "eE":
        try:
            return Fraction(10) ** int(suffix[1:]), False
        except ValueError:
            pass
    raise ValueError(SUFFIX_ERROR)


def parse_quantity_strict(text: object) -> Fraction:
    """The value of a Kubernetes quantity string; ValueError with apimachinery's message."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ValueError(FORMAT_ERROR)
    if isinstance(text, (int, float)):
        return Fraction(str(text)) if isinstance(text, float) else Fraction(text)
    if not text:
        raise ValueError(FORMAT_ERROR)
    if text == "0":
        return Fraction(0)
    positive, num, denom, suffix = _split(text)
    factor, _binary = _suffix_factor(suffix)
    value = Fraction(int(num + denom), 10 ** len(denom)) * factor
    if value and value.denominator != 1:
        # Non-integral values are rounded up (away from zero) to nano precision.
        value = Fraction(math.ceil(value / _NANO)) * _NANO
    return value if positive else -value


def is_quantity(text: object) -> bool:
    try:
        parse_quantity_strict(text)
        return True
    except ValueError:
        return False


_DECIMAL_BY_EXP = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P",
                   18: "E"}
_BINARY_BY_EXP = {10: "Ki", 20: "Mi", 30: "Gi", 40: "Ti", 50: "Pi", 60: "Ei"}


def canonical(raw: object) -> str:
    """Quantity.String(): the canonical form the apiserver prints ("1.5Gi" -> "1536Mi").

    >>> canonical("1.5Gi"), canonical("1000m"), canonical("0.5"), canonical("1e3")
    ('1536Mi', '1', '500m', '1e3')
    """
    try:
        value = parse_quantity_strict(raw)
    except ValueError:
        return str(raw)
    text = str(raw)
    suffix = text.lstrip("+-0123456789.")
    binary = suffix in _BINARY
    exponent = len(suffix) > 1 and suffix[0] in "eE"
    sign, value = ("-" if value < 0 else ""), abs(value)
    if binary and value.denominator == 1 and value >= 1024:
        for exp in sorted(_BINARY_BY_EXP, reverse=True):
            if value % (2 ** exp) == 0:
                return f"{sign}{value // 2 ** exp}{_BINARY_BY_EXP[exp]}"
    if binary and value.denominator == 1:
        return f"{sign}{value}"
    for exp in sorted(_DECIMAL_BY_EXP, reverse=True):
        scaled = value / Fraction(10) ** exp
        if scaled.denominator == 1:
            unit = f"e{exp}" if exponent and exp else _DECIMAL_BY_EXP[exp]
            return f"{sign}{scaled.numerator}{unit}"
    return f"{sign}{math.ceil(value * 10 ** 9)}n"
