"""The functions a Kubernetes CEL environment offers, standard library only.

Sources: the CEL standard definitions (cel-spec), cel-go ext.Strings (v2), ext.Lists,
ext.Sets and the optional library, and k8s.io/apiserver v0.37.2 pkg/cel/library (lists,
regex, quantity, semver, ip, cidr, format). Anything not listed here raises Unsupported,
so the caller reports "not checked" rather than a verdict.

    >>> from k8s_skillkit.cel_runtime import evaluate
    >>> evaluate("quantity('1Gi').isGreaterThan(quantity('1G')) && 'a-b'.split('-') == ['a', 'b']", {})
    True
"""
from __future__ import annotations
from collections.abc import Callable
from typing import NoReturn

import base64
import ipaddress
import itertools
import math
import re
from fractions import Fraction

from .admission import names as _names
from .admission.quantities import parse_quantity_strict
from .cel_runtime import (CelError, CelType, NONE, Optional, Unsupported, Value, compare,
                          equal, is_global, no_overload, type_name, INT_MAX, INT_MIN,
                          UINT_MAX)
from .cel_syntax import UInt
from .cel_time import Duration, Timestamp, parse_duration, parse_timestamp
from .quantity import parse_quantity

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# A CEL function's implementation: called with the argument values of any overload, so its
# parameters are checked at run time (no_overload, or TypeError read as Unsupported).
Function = Callable[..., Value]


# ---------------------------------------------------------------- Kubernetes value types

class Quantity:
    """A resource.Quantity as CEL sees it (k8s apiserver/pkg/cel/library/quantity.go)."""
    cel_type = "kubernetes.Quantity"

    def __init__(self, value: object) -> None:
        self.value = value if isinstance(value, Fraction) else parse_quantity(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __repr__(self) -> str:
        return f"quantity({self.value})"

    def cel_compare(self, other: Quantity) -> int:
        return (self.value > other.value) - (self.value < other.value)


class Semver:
    """A semantic version as CEL sees it (k8s apiserver/pkg/cel/library/semverlib.go)."""
    cel_type = "kubernetes.Semver"

    def __init__(self, text: str) -> None:
        core = str(text).split("+")[0].split("-")[0]
        parts = core.split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError(f"not a semantic version: {text!r}")
        self.key = tuple(int(p) for p in parts)
        self.text = str(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Semver) and self.key == other.key

    def __repr__(self) -> str:
        return f"semver({self.text})"

    def cel_compare(self, other: Semver) -> int:
        return (self.key > other.key) - (self.key < other.key)


class IP:
    cel_type = "net.IP"

    def __init__(self, addr: IPAddress) -> None:
        self.addr = addr

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IP) and self.addr == other.addr


class CIDR:
    cel_type = "net.CIDR"

    def __init__(self, net: IPNetwork, addr: IPAddress) -> None:
        self.net, self.addr = net, addr

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CIDR) and (self.net, self.addr) == (other.net, other.addr)


class Format:
    """A named string format of the Kubernetes format library."""
    cel_type = "kubernetes.NamedFormat"

    def __init__(self, name: str, check: Callable[[str], list[str]]) -> None:
        self.name, self.check = name, check

    def validate(self, value: str) -> Optional:
        errors = self.check(value)
        return Optional(True, list(errors)) if errors else NONE


def _quantity_of(text: Value) -> Quantity:
    if not isinstance(text, str):
        raise no_overload("quantity", text)
    try:
        return Quantity(parse_quantity_strict(text))
    except ValueError as err:
        raise CelError(str(err)) from None


def _semver_of(text: Value, normalize: bool = False) -> Semver:
    if not isinstance(text, str):
        raise no_overload("semver", text)
    value = _normalize_semver(text) if normalize else text
    if not re.fullmatch(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                        r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", value):
        raise CelError(f"could not parse semver: {text}")
    return Semver(value)


def _normalize_semver(text: str) -> str:
    text = text[1:] if text.startswith("v") else text
    core = "".join(itertools.takewhile(lambda ch: ch in "0123456789.", text))
    rest = text[len(core):]
    sep = rest[:1] if rest[:1] in ("-", "+") else ""
    rest = rest[len(sep):]
    parts = (core.split(".") + ["0", "0"])[:3] if core else [core]
    parts = [p.lstrip("0") or "0" for p in parts]
    return ".".join(parts) + sep + rest


def _parse_ip(text: Value) -> IP:
    if not isinstance(text, str):
        raise no_overload("ip", text)
    if "%" in text:
        raise CelError(f"IP address with zone value is not allowed: {text}")
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        raise CelError(f"IP Address {text!r} parse error during conversion from string") from None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        raise CelError(f"IPv4-mapped IPv6 address is not allowed: {text}")
    return IP(addr)


def _parse_cidr(text: Value) -> CIDR:
    if not isinstance(text, str) or "/" not in text:
        raise CelError(f"network address parse error during conversion from string: {text}")
    addr_text, _, bits = text.partition("/")
    addr = _parse_ip(addr_text).addr
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise CelError(f"network address parse error during conversion from string: {text}") \
            from None
    if not bits.isdigit() or (len(bits) > 1 and bits[0] == "0"):
        raise CelError(f"network address parse error during conversion from string: {text}")
    return CIDR(net, addr)


def _succeeds(fn: Function, *args: Value) -> bool:
    try:
        fn(*args)
        return True
    except CelError:
        return False


_FORMATS: dict[str, Callable[[str], list[str]]] = {
    "dns1123Label": _names.is_dns1123_label,
    "dns1123Subdomain": _names.is_dns1123_subdomain,
    "dns1035Label": _names.is_dns1035_label,
    "qualifiedName": _names.is_qualified_name,
    "dns1123LabelPrefix": _names.is_dns1123_label_prefix,
    "dns1123SubdomainPrefix": _names.is_dns1123_subdomain_prefix,
    "dns1035LabelPrefix": _names.is_dns1035_label_prefix,
    "labelValue": _names.is_label_value,
    "uuid": lambda v: [] if re.fullmatch(
        r"(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", v)
    else ["does not match the UUID format"],
    "byte": lambda v: [] if _is_base64(v) else ["invalid base64"],
}


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- regular expressions

_RE_CACHE: dict[str, re.Pattern[str]] = {}


def regex(pattern: str) -> re.Pattern[str]:
    """An RE2 pattern as a Python regex; Unsupported for RE2-only syntax."""
    compiled = _RE_CACHE.get(pattern)
    if compiled is None:
        if re.search(r"\\[pPQEC]|\[\[:|\\z|\(\?[a-zA-Z]*[mU]", pattern):
            raise Unsupported(f"RE2 syntax not translated: {pattern}")
        translated = _anchor_end(pattern)
        try:
            compiled = re.compile(translated, re.ASCII if "(?i)" not in pattern else 0)
        except re.error as err:
            raise Unsupported(f"regex {pattern!r}: {err}") from None
        _RE_CACHE[pattern] = compiled
    return compiled


def _anchor_end(pattern: str) -> str:
    """RE2's `$` (without the m flag) matches only at the very end, like Python's `\\Z`."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append("\\Z" if ch == "$" and not in_class else ch)
        i += 1
    return "".join(out)


def _matches(text: Value, pattern: Value) -> bool:
    if not isinstance(text, str) or not isinstance(pattern, str):
        raise no_overload("matches", text, pattern)
    return regex(pattern).search(text) is not None


# ---------------------------------------------------------------- conversions

def _to_int(value: Value) -> int:
    if isinstance(value, bool):
        raise no_overload("int", value)
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise CelError("integer overflow")
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or not INT_MIN <= value < 2 ** 63:
            raise CelError("integer overflow")
        return int(value)
    if isinstance(value, str):
        if not re.fullmatch(r"[+-]?\d+", value):
            raise CelError(f"cannot convert string '{value}' to int")
        return _to_int(int(value))
    if isinstance(value, Timestamp):
        return value.nanos // 10 ** 9
    if isinstance(value, Duration):
        return value.nanos
    raise no_overload("int", value)


def _to_uint(value: Value) -> UInt:
    if isinstance(value, bool):
        raise no_overload("uint", value)
    if isinstance(value, (int, float)) or isinstance(value, str) and value.isdigit():
        number = int(value) if not isinstance(value, float) else value
        if isinstance(number, float) and (math.isnan(number) or not 0 <= number < 2 ** 64):
            raise CelError("unsigned integer overflow")
        if not 0 <= int(number) <= UINT_MAX:
            raise CelError("unsigned integer overflow")
        return UInt(int(number))
    raise no_overload("uint", value)


def _to_double(value: Value) -> float:
    if isinstance(value, bool):
        raise no_overload("double", value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise CelError(f"cannot convert string '{value}' to double") from None
    raise no_overload("double", value)


def _to_string(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise CelError("invalid UTF-8 in bytes, cannot convert to string") from None
    if isinstance(value, (Duration, Timestamp)):
        return value.cel_string()
    raise no_overload("string", value)


def _go_float(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64) as cel-go prints doubles."""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    text = repr(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        digits = exp.lstrip("+-").rjust(2, "0")
        return f"{mantissa.removesuffix('.0')}e{sign}{digits}"
    if abs(value) >= 1e21:
        return f"{value:.16e}"
    return text.removesuffix(".0")


def _to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    table = {"1": True, "t": True, "T": True, "true": True, "TRUE": True, "True": True,
             "0": False, "f": False, "F": False, "false": False, "FALSE": False,
             "False": False}
    if isinstance(value, str) and value in table:
        return table[value]
    if isinstance(value, str):
        raise CelError("type conversion error from 'string' to 'bool'")
    raise no_overload("bool", value)


def _size(value: Value) -> int:
    if isinstance(value, (str, bytes, list, dict)):
        return len(value)
    raise no_overload("size", value)


def _type_of(value: Value) -> CelType:
    return CelType(type_name(value))


# ---------------------------------------------------------------- strings (ext.Strings v2)

def _need_str(name: str, *values: Value) -> None:
    for v in values:
        if not isinstance(v, str):
            raise no_overload(name, *values)


def _contains(s: str, t: str) -> bool:
    _need_str("contains", s, t)
    return t in s


def _starts_with(s: str, t: str) -> bool:
    _need_str("startsWith", s, t)
    return s.startswith(t)


def _ends_with(s: str, t: str) -> bool:
    _need_str("endsWith", s, t)
    return s.endswith(t)


def _char_at(s: str, i: int) -> str:
    _need_str("charAt", s)
    if not 0 <= i <= len(s):
        raise CelError(f"index out of range: {i}")
    return s[i] if i < len(s) else ""


def _index_of(s: str | list[Value], sub: Value, offset: int = 0) -> int:
    """cel-go ext/strings.go indexOfOffset (code points; a far offset finds nothing)."""
    if isinstance(s, list):
        return next((i for i, x in enumerate(s) if equal(x, sub)), -1)
    _need_str("indexOf", s, sub)
    if offset < 0:
        raise CelError(f"index out of range: {offset}")
    if sub == "":
        return min(offset, len(s))
    if offset >= len(s):
        return -1
    return s.find(sub, offset)


def _last_index_of(s: str | list[Value], sub: Value, offset: int | None = None) -> int:
    """cel-go ext/strings.go lastIndexOfOffset."""
    if isinstance(s, list):
        return next((i for i in range(len(s) - 1, -1, -1) if equal(s[i], sub)), -1)
    _need_str("lastIndexOf", s, sub)
    if offset is None:
        return s.rfind(sub)
    if offset < 0:
        raise CelError(f"index out of range: {offset}")
    if sub == "":
        return min(offset, len(s))
    if offset >= len(s):
        return -1
    start = min(offset, len(s) - len(sub))
    for i in range(start, -1, -1):
        if s.startswith(sub, i):
            return i
    return -1


def _replace(s: str, old: str, new: str, n: int = -1) -> str:
    _need_str("replace", s, old, new)
    return s.replace(old, new, n if n >= 0 else -1)


def _split(s: str, sep: str, n: int = -1) -> list[str]:
    _need_str("split", s, sep)
    if n == 0:
        return []
    if sep == "":
        parts = list(s)
        if n > 0 and len(parts) > n:
            parts = parts[:n - 1] + ["".join(parts[n - 1:])]
        return parts
    return s.split(sep, n - 1) if n > 0 else s.split(sep)


def _substring(s: str, start: int, end: int | None = None) -> str:
    _need_str("substring", s)
    end = len(s) if end is None else end
    if not 0 <= start <= len(s) or not 0 <= end <= len(s):
        raise CelError(f"index out of range: {start if not 0 <= start <= len(s) else end}")
    if start > end:
        raise CelError(f"invalid substring range. start: {start}, end: {end}")
    return s[start:end]


def _trim(s: str) -> str:
    _need_str("trim", s)
    return s.strip(" \t\n\v\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                   "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _join(items: Value, sep: str = "") -> str:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise no_overload("join", items)
    return sep.join(items)


def _lower_ascii(s: str) -> str:
    _need_str("lowerAscii", s)
    return "".join(c.lower() if c.isascii() else c for c in s)


def _upper_ascii(s: str) -> str:
    _need_str("upperAscii", s)
    return "".join(c.upper() if c.isascii() else c for c in s)


_QUOTE = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
          "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def _quote(s: str) -> str:
    """cel-go ext/strings.go quote."""
    _need_str("strings.quote", s)
    return '"' + "".join(_QUOTE.get(c, c) for c in s) + '"'


# ---------------------------------------------------------------- lists

def _need_list(name: str, value: Value) -> None:
    if not isinstance(value, list):
        raise no_overload(name, value)


def _is_sorted(items: list[Value]) -> bool:
    _need_list("isSorted", items)
    return all(compare(a, b) <= 0 for a, b in zip(items, items[1:]))


def _sum(items: list[Value]) -> Value:
    _need_list("sum", items)
    if not items:
        return 0
    total = items[0]
    from .cel_runtime import arithmetic
    for item in items[1:]:
        total = arithmetic("+", total, item)
    return total


def _extreme(sign: int) -> Function:
    def run(items: Value, *more: Value) -> Value:
        values = list(items) + list(more) if not isinstance(items, list) or more else items
        if not values:
            raise CelError("min/max called on an empty list" if sign else "empty list")
        best = values[0]
        for item in values[1:]:
            if compare(item, best) * sign > 0:
                best = item
        return best
    return run


def _slice(items: list[Value], start: int, end: int) -> list[Value]:
    _need_list("slice", items)
    if not 0 <= start <= end <= len(items):
        raise CelError(f"cannot slice({start}, {end}), list size {len(items)}")
    return items[start:end]


def _flatten(items: list[Value], depth: int = 1) -> list[Value]:
    _need_list("flatten", items)
    if depth < 0:
        raise CelError("level must be non-negative")
    out: list[Value] = []
    for item in items:
        if isinstance(item, list) and depth > 0:
            out += _flatten(item, depth - 1)
        else:
            out.append(item)
    return out


def _distinct(items: list[Value]) -> list[Value]:
    _need_list("distinct", items)
    out: list[Value] = []
    for item in items:
        if not any(equal(item, seen) for seen in out):
            out.append(item)
    return out


def _sort(items: list[Value]) -> list[Value]:
    _need_list("sort", items)
    import functools
    return sorted(items, key=functools.cmp_to_key(compare))


def _set_contains(a: list[Value], b: list[Value]) -> bool:
    return all(any(equal(x, y) for y in a) for x in b)


# ---------------------------------------------------------------- optional

def _opt_value(opt: Value) -> Value:
    if not isinstance(opt, Optional):
        raise no_overload("value", opt)
    if not opt.present:
        raise CelError("optional.none() dereference")
    return opt.value


def _of_non_zero(value: Value) -> Optional:
    zero = value in (0, "", b"", None, False) and value is not True or value == [] or value == {}
    return NONE if zero else Optional(True, value)


# ---------------------------------------------------------------- dispatch tables

GLOBAL: dict[str, Function] = {
    "size": _size, "int": _to_int, "uint": _to_uint, "double": _to_double,
    "string": _to_string, "bool": _to_bool, "bytes": lambda v: v if isinstance(v, bytes)
    else v.encode() if isinstance(v, str) else _raise(no_overload("bytes", v)),
    "type": _type_of, "dyn": lambda v: v, "matches": _matches,
    "duration": lambda v: v if isinstance(v, Duration) else parse_duration(v),
    "timestamp": lambda v: v if isinstance(v, Timestamp) else parse_timestamp(v),
    "quantity": _quantity_of, "isQuantity": lambda v: _succeeds(_quantity_of, v),
    "semver": _semver_of, "isSemver": lambda v, n=False: _succeeds(_semver_of, v, n),
    "ip": _parse_ip, "isIP": lambda v: _succeeds(_parse_ip, v),
    "cidr": _parse_cidr, "isCIDR": lambda v: _succeeds(_parse_cidr, v),
    "ip.isCanonical": lambda v: str(_parse_ip(v).addr) == v,
    "optional.of": lambda v: Optional(True, v), "optional.none": lambda: NONE,
    "optional.ofNonZeroValue": _of_non_zero,
    "strings.quote": _quote, "lists.range": lambda n: list(range(n)),
    "sets.contains": _set_contains,
    "sets.equivalent": lambda a, b: _set_contains(a, b) and _set_contains(b, a),
    "sets.intersects": lambda a, b: any(any(equal(x, y) for y in b) for x in a),
    "format.named": lambda n: Optional(True, Format(n, _FORMATS[n])) if n in _FORMATS
    else NONE,
    "math.greatest": _extreme(1), "math.least": _extreme(-1),
}
for _name, _check in _FORMATS.items():
    GLOBAL[f"format.{_name}"] = (lambda n, c: lambda: Format(n, c))(_name, _check)

MEMBER: dict[str, Function] = {
    "size": _size, "contains": _contains, "startsWith": _starts_with, "endsWith": _ends_with,
    "matches": _matches, "charAt": _char_at, "indexOf": _index_of,
    "lastIndexOf": _last_index_of, "lowerAscii": _lower_ascii, "upperAscii": _upper_ascii,
    "replace": _replace, "split": _split, "substring": _substring, "trim": _trim,
    "join": _join, "reverse": lambda v: v[::-1] if isinstance(v, (str, list))
    else _raise(no_overload("reverse", v)),
    "isSorted": _is_sorted, "sum": _sum, "min": _extreme(-1), "max": _extreme(1),
    "slice": _slice, "flatten": _flatten, "distinct": _distinct, "sort": _sort,
    "find": lambda s, p: (lambda m: m.group(0) if m else "")(regex(p).search(s)),
    "findAll": lambda s, p, n=-1: [m.group(0) for m in regex(p).finditer(s)][:n if n >= 0
                                                                             else None],
    "hasValue": lambda o: o.present if isinstance(o, Optional)
    else _raise(no_overload("hasValue", o)),
    "value": _opt_value,
    "orValue": lambda o, d: o.value if isinstance(o, Optional) and o.present else d,
    "or": lambda o, other: o if isinstance(o, Optional) and o.present else other,
    "validate": lambda f, v: f.validate(v) if isinstance(f, Format)
    else _raise(no_overload("validate", f)),
}


def _raise(err: Exception) -> NoReturn:
    raise err


def _quantity_method(name: str, q: Quantity, *args: Value) -> Value:
    table: dict[str, Function] = {
        "isInteger": lambda: q.value.denominator == 1 and INT_MIN <= q.value <= INT_MAX,
        "asInteger": lambda: _as_integer(q),
        "asApproximateFloat": lambda: float(q.value),
        "sign": lambda: (q.value > 0) - (q.value < 0),
        "add": lambda o: Quantity(q.value + _quantity_operand(o)),
        "sub": lambda o: Quantity(q.value - _quantity_operand(o)),
        "isGreaterThan": lambda o: q.cel_compare(o) > 0,
        "isLessThan": lambda o: q.cel_compare(o) < 0,
        "compareTo": lambda o: q.cel_compare(o),
    }
    return table[name](*args) if name in table else None


def _as_integer(q: Quantity) -> int:
    if q.value.denominator != 1 or not INT_MIN <= q.value <= INT_MAX:
        raise CelError("cannot convert value to integer")
    return int(q.value)


def _quantity_operand(other: Value) -> Fraction:
    if isinstance(other, Quantity):
        return other.value
    if isinstance(other, int) and not isinstance(other, bool):
        return Fraction(other)
    raise no_overload("add", other)


def _semver_method(name: str, v: Semver, *args: Value) -> Value:
    table: dict[str, Function] = {
        "major": lambda: v.key[0], "minor": lambda: v.key[1], "patch": lambda: v.key[2],
        "isGreaterThan": lambda o: v.cel_compare(o) > 0,
        "isLessThan": lambda o: v.cel_compare(o) < 0,
        "compareTo": lambda o: v.cel_compare(o)}
    return table[name](*args) if name in table else None


def _ip_method(name: str, ip: IP, *args: Value) -> Value:
    a = ip.addr
    table: dict[str, Function] = {
        "family": lambda: a.version, "isUnspecified": lambda: a.is_unspecified,
        "isLoopback": lambda: a.is_loopback,
        "isLinkLocalMulticast": lambda: a.is_multicast and (
            a in ipaddress.ip_network("224.0.0.0/24") if a.version == 4
            else a in ipaddress.ip_network("ff02::/16")),
        "isLinkLocalUnicast": lambda: a.is_link_local and not a.is_multicast,
        "isGlobalUnicast": lambda: not (a.is_unspecified or a.is_loopback or
                                        a.is_multicast or a.is_link_local or
                                        a == ipaddress.ip_address("255.255.255.255")),
        "string": lambda: str(a)}
    return table[name](*args) if name in table else None


def _cidr_method(name: str, c: CIDR, *args: Value) -> Value:
    def contains_ip(other: Value) -> bool:
        addr = other.addr if isinstance(other, IP) else _parse_ip(other).addr
        return addr.version == c.net.version and addr in c.net

    def contains_cidr(other: Value) -> bool:
        net = other.net if isinstance(other, CIDR) else _parse_cidr(other).net
        # Same version, same class: spelled with isinstance so the checker sees it too.
        if isinstance(net, ipaddress.IPv4Network) and isinstance(c.net, ipaddress.IPv4Network):
            return net.subnet_of(c.net)
        if isinstance(net, ipaddress.IPv6Network) and isinstance(c.net, ipaddress.IPv6Network):
            return net.subnet_of(c.net)
        return False  # different IP versions
    table: dict[str, Function] = {
        "containsIP": contains_ip, "containsCIDR": contains_cidr,
        "ip": lambda: IP(c.addr), "masked": lambda: CIDR(c.net, c.net.network_address),
        "prefixLength": lambda: c.net.prefixlen,
        "string": lambda: f"{c.addr}/{c.net.prefixlen}"}
    return table[name](*args) if name in table else None


_TYPED_METHODS: list[tuple[type[object], Function]] = [
    (Quantity, _quantity_method), (Semver, _semver_method), (IP, _ip_method),
    (CIDR, _cidr_method)]


def call(name: str, receiver: Value, args: list[Value]) -> Value:
    """Run function `name`; `receiver` is the target of a member call (x.f()), or the
    is_global marker for f(x). Unsupported when the function is not implemented."""
    if is_global(receiver):
        fn = GLOBAL.get(name)
        if fn is None:
            raise Unsupported(f"function {name}()")
        return _apply(fn, name, args)
    for kind, method in _TYPED_METHODS:
        if isinstance(receiver, kind):
            result = method(name, receiver, *args)
            if result is None:
                raise Unsupported(f"method {kind.__name__}.{name}()")
            return result
    if isinstance(receiver, (Duration, Timestamp)):
        return receiver.cel_method(name, *args)
    fn = MEMBER.get(name)
    if fn is None:
        raise Unsupported(f"method .{name}()")
    return _apply(fn, name, [receiver, *args])


def _apply(fn: Function, name: str, args: list[Value]) -> Value:
    try:
        return fn(*args)
    except TypeError:
        # A wrong arity or argument type: the CRD's rule type-checked, so this evaluator
        # is missing an overload; say "not checked" rather than "invalid".
        raise Unsupported(f"overload of {name}() for {', '.join(map(type_name, args))}") \
            from None
