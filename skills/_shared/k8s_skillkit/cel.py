"""Evaluate DRA device selectors (CEL) against published devices.

Two engines, tried in this order:
1. `celpy` (PyPI package `cel-python`, a maintained pure-Python CEL implementation) when it
   is importable, extended with the Kubernetes functions DRA selectors use: quantity(),
   semver(), compareTo(), isGreaterThan(), isLessThan(), add/sub, asInteger(), major/minor/patch.
2. A tiny built-in evaluator for the common simple forms only (PARTIAL by design):
     device.driver == "x"                       (and !=)
     device.attributes["d"].k OP literal        (OP: == != < <= > >=; literal string/int/bool)
     device.attributes["d"]["k"] OP literal
     "k" in device.attributes["d"]
     device.capacity["d"].k.compareTo(quantity("40Gi")) OP int
     device.attributes["d"].k.isGreaterThan(semver("1.2.3")) / isLessThan / compareTo
   joined by top-level `&&`. Anything else is reported as NOT EVALUATED, never guessed.

Device shape (as the scheduler builds it, dynamic-resource-allocation cel/compile.go
`DeviceMatches`): attributes and capacity are maps keyed by domain; an unqualified name
belongs to the device's driver domain. Looking up a missing key is a CEL runtime error,
and the real allocator then fails the whole claim (structured allocator `selectorsMatch`).
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import operator
import re
from collections.abc import Callable
from types import ModuleType

from . import cel_library
from .quantity import parse_quantity

if TYPE_CHECKING:
    from .cel_syntax import Node

# cel-python's modules once imported (optional: None when it is not installed)
celpy: ModuleType | None = None
celtypes: ModuleType | None = None
_CELPY_TRIED = False
# "auto": built-in for the simple forms (exact, fast), cel-python for everything else
# when installed, else the kit's standard-library evaluator (cel_runtime);
# "celpy": cel-python for everything (tests compare the two); "builtin": simple forms only;
# "stdlib": simple forms, then the standard-library evaluator (never cel-python).
MODE = "auto"


def _load_celpy() -> bool:
    """Import cel-python on first need: its parser takes ~0.5 s to build."""
    global celpy, celtypes, _CELPY_TRIED
    if not _CELPY_TRIED:
        _CELPY_TRIED = True
        try:  # optional: the maintained CEL implementation
            import celpy as _celpy
            from celpy import celtypes as _celtypes
            celpy, celtypes = _celpy, _celtypes
        except Exception:  # pragma: no cover - depends on the environment
            celpy = celtypes = None
    return celpy is not None and MODE != "builtin"

MATCH, NO_MATCH, ERROR, UNKNOWN = "match", "no-match", "error", "not-evaluated"


def engine_name() -> str:
    if MODE == "builtin":
        return "built-in (partial: simple forms only)"
    if MODE != "stdlib" and _load_celpy():
        return "built-in for simple forms + cel-python"
    return "built-in for simple forms + the kit's standard-library CEL evaluator"


# ---------------------------------------------------------------- device model

# The value types are shared with the full evaluator (cel_library), so a device's capacity
# compares the same way in a DRA selector and in a CRD validation rule.
Quantity = cel_library.Quantity
Semver = cel_library.Semver


def qualify(name: str, driver: str) -> tuple[str, str]:
    """('gpu.nvidia.com', 'memory') from 'memory' for driver gpu.nvidia.com."""
    if "/" in name:
        domain, _, ident = name.partition("/")
        return domain, ident
    return driver, name


def attribute_value(attr: object) -> object:
    """The Python value of a ResourceSlice attribute ({int|bool|string|version} or lists)."""
    if not isinstance(attr, dict):
        return attr
    for key in ("int", "bool", "string"):
        if key in attr:
            return attr[key]
    if "version" in attr:
        return _semver_of(attr["version"])
    for key in ("ints", "bools", "strings"):
        if key in attr:
            return list(attr[key])
    if "versions" in attr:
        return [Semver(v) for v in attr["versions"]]
    return None


_PARSED: dict[Any, Any] = {}


def _semver_of(text: str) -> Semver | str:
    key = ("v", text)
    if key not in _PARSED:
        try:
            _PARSED[key] = Semver(text)
        except ValueError:
            _PARSED[key] = text
    value: Semver | str = _PARSED[key]
    return value


def _quantity_of(text: object) -> Quantity:
    key = ("q", str(text))
    if key not in _PARSED:
        _PARSED[key] = Quantity(text)  # ValueError propagates: the caller skips the entry
    value: Quantity = _PARSED[key]
    return value


def device_view(driver: str, device: dict[Any, Any]) -> dict[Any, Any]:
    """{'driver', 'attributes': {domain: {id: value}}, 'capacity': {domain: {id: Quantity}}}"""
    attributes: dict[Any, Any] = {}
    for name, attr in (device.get("attributes") or {}).items():
        domain, ident = qualify(name, driver)
        attributes.setdefault(domain, {})[ident] = attribute_value(attr)
    capacity: dict[Any, Any] = {}
    for name, cap in (device.get("capacity") or {}).items():
        domain, ident = qualify(name, driver)
        try:
            capacity.setdefault(domain, {})[ident] = _quantity_of((cap or {}).get("value", 0))
        except ValueError:
            continue
    return {"driver": driver, "attributes": attributes, "capacity": capacity}


# ---------------------------------------------------------------- splitting

def split_and(expression: str) -> list[str]:
    """Top-level `&&` conjuncts (outside strings and brackets); one item when none."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    text = expression
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "&" and text[i:i + 2] == "&&" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 2
            i += 1
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


# ---------------------------------------------------------------- evaluation API

class Evaluator:
    """Compile once, evaluate many devices. evaluate() -> (status, detail)."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self._program: Any = None  # a cel-python Runner (cel-python is optional: untyped here)
        self._simple: list[Clause] | None = None
        self.compile_error = ""
        self._memo: dict[MemoKey, tuple[str, str]] = {}
        if MODE != "celpy":
            clauses = [_parse_simple(c) for c in split_and(expression)]
            if all(c is not None for c in clauses):
                self._simple = [c for c in clauses if c is not None]
        self._tree: Node | None = None
        if self._simple is None and MODE != "stdlib" and _load_celpy():
            try:
                env = _environment()
                self._program = env.program(env.compile(expression), functions=_FUNCTIONS)
            except Exception as err:  # CELParseError and friends
                self.compile_error = _one_line(err)
        elif self._simple is None and MODE in ("auto", "stdlib"):
            self._tree = _stdlib_tree(expression)

    @property
    def evaluable(self) -> bool:
        return self._program is not None or self._simple is not None or self._tree is not None

    def evaluate(self, dev: Any) -> tuple[str, str]:
        """`dev`: a device view dict, or an object with .driver, .raw and a lazy .view."""
        key = _memo_key(self.expression, dev)
        hit = self._memo.get(key)
        if hit is None:
            view = dev.view if hasattr(dev, "raw") else dev
            hit = self._evaluate(view)
            if not isinstance(key, int):
                self._memo[key] = hit
        return hit

    def _evaluate(self, view: dict[Any, Any]) -> tuple[str, str]:
        if self._simple is not None:
            return _eval_simple(self._simple, view)
        if self._program is not None:
            return _eval_celpy(self._program, view)
        if self._tree is not None:
            return _eval_stdlib(self._tree, view)
        if self.compile_error:
            return ERROR, f"CEL compile error: {self.compile_error}"
        return UNKNOWN, "selector not evaluated (needs cel-python: pip install cel-python)"


# either quote: CEL string literals are '...' or "..." (selectors in the wild use both)
_REF = re.compile(r'device\.(?P<section>attributes|capacity)\[\s*(?P<q>["\'])(?P<domain>[^"\']+)'
                  r'(?P=q)\s*\](?:\s*\.\s*(?P<attr>[A-Za-z_]\w*)|\s*\[\s*(?P<q2>["\'])'
                  r'(?P<key>[^"\']+)(?P=q2)\s*\])?')
# (section, domain, name) of each device reference; name None for a whole domain's table
Ref = tuple[str, str, str | None]
_REFS: dict[str, list[Ref] | None] = {}
# A memo key: the values a selector reads, or the device's id when that is not known
MemoKey = int | tuple[str, ...]


def refs_in(expression: str) -> list[Ref]:
    """(section, domain, name) of each `device.attributes|capacity[domain].name` read."""
    return [(m["section"], m["domain"], m["attr"] or m["key"]) for m in _REF.finditer(expression)]


def _refs_of(expression: str) -> list[Ref] | None:
    if expression in _REFS:
        return _REFS[expression]
    refs = refs_in(expression)
    uses = len(re.findall(r"\bdevice\b", expression))
    if uses != len(refs) + len(re.findall(r"\bdevice\s*\.\s*driver\b", expression)):
        _REFS[expression] = None  # the device is used some other way: no safe memo key
        return None
    _REFS[expression] = refs
    return refs


def _raw_entries(driver: str, raw: dict[Any, Any], section: str, domain: str) -> list[Any]:
    table = raw.get(section) or {}
    out: list[tuple[str, Any]] = []
    for name, value in table.items():
        dom, ident = qualify(name, driver)
        if dom == domain:
            out.append((ident, value))
    return sorted(out, key=lambda kv: kv[0])


def _memo_key(expression: str, dev: Any) -> MemoKey:
    """What the result can depend on: the driver and the raw values the expression names.

    Devices of one model differ only in uuid/index, so thousands of devices share a key
    and neither the device view nor the evaluator is built more than a handful of times.
    """
    refs = _refs_of(expression)
    if refs is None or not hasattr(dev, "raw"):
        return id(dev)
    driver, raw = dev.driver, dev.raw
    parts: list[str] = [driver]
    for section, domain, name in refs:
        if name is None:
            parts.append(repr(_raw_entries(driver, raw, section, domain)))
            continue
        table = raw.get(section) or {}
        value = table.get(f"{domain}/{name}")
        if value is None and domain == driver:
            value = table.get(name)
        parts.append(repr(value))
    return tuple(parts)


_CACHE: dict[str, Evaluator] = {}


def evaluator(expression: str) -> Evaluator:
    ev = _CACHE.get(expression)
    if ev is None:
        ev = _CACHE[expression] = Evaluator(expression)
    return ev


def evaluate(expression: str, dev: Any) -> tuple[str, str]:
    return evaluator(expression).evaluate(dev)


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:200]


# ---------------------------------------------------------------- stdlib engine

def _stdlib_tree(expression: str) -> Node | None:
    """The parsed selector, or None (this parser's gap: the selector stays not evaluated)."""
    from .cel_syntax import CelSyntaxError, parse
    try:
        return parse(expression)
    except CelSyntaxError:
        return None


def _eval_stdlib(tree: Node, view: dict[Any, Any]) -> tuple[str, str]:
    """The kit's evaluator (cel_runtime): the path without cel-python, as in the Skills API
    sandbox. Runtime errors are the scheduler's (the claim cannot be allocated)."""
    from .cel_library import call
    from .cel_runtime import CelError, Interpreter, Unsupported
    try:
        result = Interpreter(call).run(tree, {"device": view})
    except Unsupported as err:
        return UNKNOWN, f"selector not evaluated ({err})"
    except CelError as err:
        return ERROR, f"CEL runtime error: {_one_line(err)}"
    if isinstance(result, bool):
        return (MATCH, "") if result else (NO_MATCH, "")
    return ERROR, f"CEL result is not a bool: {result!r}"


# ---------------------------------------------------------------- celpy engine

# cel-python's objects are Any here: the package is optional, loaded at run time (_load_celpy).
_ENV: Any = None


def _environment() -> Any:
    global _ENV
    if _ENV is None:
        assert celpy is not None  # only called once _load_celpy() returned True
        _ENV = celpy.Environment()
    return _ENV


def _cel_value(value: object) -> object:
    assert celtypes is not None  # only called for a cel-python program (_load_celpy() was True)
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.IntType(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, dict):
        return celtypes.MapType({celtypes.StringType(k): _cel_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return celtypes.ListType([_cel_value(v) for v in value])
    return value  # Quantity, Semver: handled by the functions below


def _eval_celpy(program: Any, view: dict[Any, Any]) -> tuple[str, str]:
    activation = {"device": _cel_value(view)}
    try:
        result = program.evaluate(activation)
    except Exception as err:
        return ERROR, f"CEL runtime error: {_one_line(err)}"
    if isinstance(result, Exception):
        return ERROR, f"CEL runtime error: {_one_line(result)}"
    if isinstance(result, bool) or type(result).__name__ == "BoolType":
        return (MATCH, "") if bool(result) else (NO_MATCH, "")
    return ERROR, f"CEL result is not a bool: {result!r}"


def _cmp(a: object, b: object) -> int:
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return (a.value > b.value) - (a.value < b.value)
    if isinstance(a, Semver) and isinstance(b, Semver):
        return (a.key > b.key) - (a.key < b.key)
    raise TypeError(f"cannot compare {a!r} with {b!r}")


def _int(v: int) -> object:
    return celtypes.IntType(v) if celtypes is not None else v


def _quantity(text: object) -> Quantity:
    return Quantity(str(text))


def _semver(text: object, *_: object) -> Semver:
    return Semver(str(text))


def _is_quantity(text: object) -> bool:
    try:
        parse_quantity(str(text))
        return True
    except ValueError:
        return False


def _is_semver(text: object, *_: object) -> bool:
    try:
        Semver(str(text))
        return True
    except ValueError:
        return False


_FUNCTIONS: dict[str, Callable[..., object]] = {
    "quantity": _quantity, "isQuantity": _is_quantity,
    "semver": _semver, "isSemver": _is_semver,
    "compareTo": lambda a, b: _int(_cmp(a, b)),
    "isGreaterThan": lambda a, b: _cmp(a, b) > 0,
    "isLessThan": lambda a, b: _cmp(a, b) < 0,
    "add": lambda a, b: Quantity(a.value + (b.value if isinstance(b, Quantity) else int(b))),
    "sub": lambda a, b: Quantity(a.value - (b.value if isinstance(b, Quantity) else int(b))),
    "asInteger": lambda a: _int(int(a.value)),
    "asApproximateFloat": lambda a: float(a.value),
    "sign": lambda a: _int((a.value > 0) - (a.value < 0)),
    "isInteger": lambda a: a.value.denominator == 1,
    "major": lambda v: _int(v.key[0]), "minor": lambda v: _int(v.key[1]),
    "patch": lambda v: _int(v.key[2]),
}


# ---------------------------------------------------------------- built-in engine

_STR = r'"((?:[^"\\]|\\.)*)"'
_OPS = r"(==|!=|<=|>=|<|>)"
_ATTR = rf'device\.(attributes|capacity)\[{_STR}\](?:\.([A-Za-z_][\w]*)|\[{_STR}\])'
_LIT = r'("(?:[^"\\]|\\.)*"|-?\d+|true|false)'
# A simple form's kind and its pattern's groups (re.Match.groups(): None for a group that did
# not take part).
Clause = tuple[str, tuple[Any, ...]]
_FORMS = [
    ("driver", re.compile(rf"^device\.driver\s*{_OPS}\s*{_STR}$")),
    ("in", re.compile(rf"^{_STR}\s+in\s+device\.(attributes|capacity)\[{_STR}\]$")),
    ("quantity", re.compile(rf"^{_ATTR}\.compareTo\(\s*quantity\(\s*{_STR}\s*\)\s*\)"
                            rf"\s*{_OPS}\s*(-?\d+)$")),
    ("semver", re.compile(rf"^{_ATTR}\.(isGreaterThan|isLessThan|compareTo)\(\s*semver\("
                          rf"\s*{_STR}\s*\)\s*\)(?:\s*{_OPS}\s*(-?\d+))?$")),
    ("compare", re.compile(rf"^{_ATTR}\s*{_OPS}\s*{_LIT}$")),
]


def _wrapped(text: str) -> bool:
    """True for "( ... )" where the outer parentheses enclose everything."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(text) - 1:
            return False  # "(a) || (b)": the first group closes early
    return True


def _parse_simple(clause: str) -> Clause | None:
    text = re.sub(r"'([^'\"\\]*)'", r'"\1"', clause.strip())  # 'x' is the same string as "x"
    while _wrapped(text):
        text = text[1:-1].strip()
    for kind, pattern in _FORMS:
        match = pattern.match(text)
        if match:
            return kind, match.groups()
    return None


def _literal(text: str) -> str | bool | int:
    if text.startswith('"'):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return int(text)


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge}


def _apply(op: str, a: object, b: object) -> bool:
    return bool(_COMPARE[op](a, b))


def _lookup(view: dict[str, Any], section: str, domain: str, name: str) -> object:
    table = view[section].get(domain)
    if table is None or name not in table:
        raise KeyError(f"no such key: {domain}/{name}")
    return table[name]


def _eval_clause(kind: str, groups: tuple[Any, ...], view: dict[str, Any]) -> bool:
    if kind == "driver":
        return _apply(groups[0], view["driver"], groups[1])
    if kind == "in":
        return groups[0] in (view[groups[1]].get(groups[2]) or {})
    section, domain, name = groups[0], groups[1], groups[2] or groups[3]
    value = _lookup(view, section, domain, name)
    if kind == "quantity":
        return _apply(groups[5], _cmp(value, Quantity(groups[4])), int(groups[6]))
    if kind == "semver":
        method, other = groups[4], Semver(groups[5])
        result = _cmp(value, other)
        if method == "isGreaterThan":
            return result > 0
        if method == "isLessThan":
            return result < 0
        return _apply(groups[6], result, int(groups[7])) if groups[6] else bool(result)
    literal = _literal(groups[5])
    if isinstance(value, (Quantity, Semver)) or type(value) is not type(literal):
        raise TypeError(f"no such overload: {type(value).__name__} {groups[4]} "
                        f"{type(literal).__name__}")
    return _apply(groups[4], value, literal)


def _eval_simple(clauses: list[Clause], view: dict[str, Any]) -> tuple[str, str]:
    for kind, groups in clauses:
        try:
            if not _eval_clause(kind, groups, view):
                return NO_MATCH, ""
        except (KeyError, TypeError, ValueError) as err:
            return ERROR, f"CEL runtime error: {err}"
    return MATCH, ""
