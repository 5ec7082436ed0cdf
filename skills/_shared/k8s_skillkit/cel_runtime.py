"""Evaluate a CEL AST (cel_syntax) with cel-go's semantics, standard library only.

Values are plain Python values: bool, int, UInt, float, str, bytes, None, list, dict, plus
Duration, Timestamp, Optional and the Kubernetes library types in cel_library. Runtime
errors (no such key, overflow, no such overload) raise CelError with cel-go's wording;
anything this evaluator does not implement raises Unsupported, so a caller can say
"not checked" instead of guessing.

    >>> evaluate("self.a.all(x, x > 0) && size(self.b) == 2", {"self": {"a": [1, 2], "b": "hi"}})
    True
    >>> evaluate("self.missing == 1", {"self": {}})
    Traceback (most recent call last):
    ...
    k8s_skillkit.cel_runtime.CelError: no such key: missing
"""
from __future__ import annotations
from collections.abc import Callable
from typing import Any

import math

from .cel_syntax import Node, UInt, parse

INT_MIN, INT_MAX, UINT_MAX = -2 ** 63, 2 ** 63 - 1, 2 ** 64 - 1

# A CEL value: any of the Python types listed above. Expressions are dynamically typed (an
# operand's type is known only when it is evaluated), so values are checked at run time.
Value = Any
Scope = dict[Any, Any]  # variable name -> CEL value
# Resolves a call: (function name, receiver or the is_global marker, argument values).
Functions = Callable[[str, Value, list[Value]], Value]


class CelError(Exception):
    """A CEL runtime error (the expression is well-formed; its evaluation failed)."""


class Unsupported(Exception):
    """A construct or function this evaluator does not implement: the result is unknown."""


class CelList(list[Any]):
    """A list that carries its x-kubernetes-list-type ("set", "map") for equality."""
    list_type = ""
    map_keys: tuple[str, ...] = ()


class CelObject(dict[Any, Any]):
    """An object with declared properties (keys are the CEL-escaped property names)."""


class Optional:
    """cel-go's optional type: optional.of(v) / optional.none()."""
    __slots__ = ("present", "value")

    def __init__(self, present: bool, value: Value = None) -> None:
        self.present, self.value = present, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Optional) and self.present == other.present and (
            not self.present or equal(self.value, other.value))

    def __repr__(self) -> str:
        return f"optional.of({self.value!r})" if self.present else "optional.none()"


NONE = Optional(False)


class CelType:
    """A CEL type value, as returned by type(x)."""
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CelType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return self.name


# ---------------------------------------------------------------- type names and equality

TYPE_NAMES = {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type",
              "type"}

def type_name(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, UInt):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bytes):
        return "bytes"
    if value is None:
        return "null_type"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, Optional):
        return "optional_type"
    if isinstance(value, CelType):
        return "type"
    name: str = getattr(value, "cel_type", type(value).__name__)
    return name


def is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def equal(a: Value, b: Value) -> bool:
    """CEL equality: numbers compare across int/uint/double; other mixed types are unequal."""
    if is_number(a) and is_number(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a) == float(b) if not (math.isnan(float(a)) or math.isnan(float(b))) \
                else False
        return int(a) == int(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return _list_equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        if len(a) != len(b):
            return False
        return all(_has_key(b, k) and equal(v, _get_key(b, k)) for k, v in a.items())
    if type_name(a) != type_name(b):
        return False
    result: bool = a == b
    return result


def _list_equal(a: list[Any], b: list[Any]) -> bool:
    if len(a) != len(b):
        return False
    kind = getattr(a, "list_type", "") or getattr(b, "list_type", "")
    if kind == "set":
        return all(any(equal(x, y) for y in b) for x in a) and \
            all(any(equal(x, y) for x in a) for y in b)
    if kind == "map":
        keys = getattr(a, "map_keys", ()) or getattr(b, "map_keys", ())
        index = {_map_key(y, keys): y for y in b}
        return all(_map_key(x, keys) in index and equal(x, index[_map_key(x, keys)])
                   for x in a)
    return all(equal(x, y) for x, y in zip(a, b))


def _map_key(item: Value, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(repr(item.get(k)) if isinstance(item, dict) else repr(item) for k in keys)


def _norm_key(key: Value) -> Value:
    """Map keys: 1, 1u and 1.0 are the same key (cel-go heterogeneous lookup)."""
    if isinstance(key, float) and key.is_integer():
        return int(key)
    if isinstance(key, UInt):
        return int(key)
    return key


def _has_key(mapping: dict[Any, Any], key: Value) -> bool:
    try:
        _get_key(mapping, key)
        return True
    except CelError:
        return False


def _get_key(mapping: dict[Any, Any], key: Value) -> Value:
    if isinstance(key, str):
        if key in mapping:
            return mapping[key]
    else:
        for k, v in mapping.items():
            if not isinstance(k, str) and isinstance(k, bool) == isinstance(key, bool) and \
                    _norm_key(k) == _norm_key(key):
                return v
    raise CelError(f"no such key: {_key_text(key)}")


def _key_text(key: Value) -> str:
    return key if isinstance(key, str) else repr(key)


def compare(a: Value, b: Value) -> int:
    """-1, 0 or 1 for the ordered CEL types; CelError for anything else."""
    if is_number(a) and is_number(b):
        x, y = a, b
        if isinstance(x, float) and math.isnan(x) or isinstance(y, float) and math.isnan(y):
            raise CelError("NaN values cannot be ordered")
    elif type_name(a) == type_name(b) and type_name(a) in ("string", "bytes", "bool"):
        x, y = a, b
    elif hasattr(a, "cel_compare") and type_name(a) == type_name(b):
        result: int = a.cel_compare(b)
        return result
    else:
        raise no_overload("_<_", a, b)
    order: int = (x > y) - (x < y)
    return order


def no_overload(name: str, *args: Value) -> CelError:
    types = ", ".join(type_name(a) for a in args)
    return CelError(f"no such overload: {name}({types})" if args else "no such overload")


# ---------------------------------------------------------------- arithmetic

def _check_int(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise CelError("integer overflow")
    return value


def _check_uint(value: int) -> UInt:
    if not 0 <= value <= UINT_MAX:
        raise CelError("unsigned integer overflow")
    return UInt(value)


def _same_numeric(a: Value, b: Value, op: str) -> str:
    ta, tb = type_name(a), type_name(b)
    if ta != tb or ta not in ("int", "uint", "double"):
        raise no_overload(op, a, b)
    return ta


def arithmetic(op: str, a: Value, b: Value) -> Value:
    if op == "+" and type_name(a) == type_name(b) and isinstance(a, (str, bytes)):
        return a + b
    if op == "+" and isinstance(a, list) and isinstance(b, list):
        return a + b
    if hasattr(a, "cel_arith"):
        return a.cel_arith(op, b)
    if hasattr(b, "cel_rarith"):
        return b.cel_rarith(op, a)
    kind = _same_numeric(a, b, {"+": "_+_", "-": "_-_", "*": "_*_", "/": "_/_",
                                "%": "_%_"}[op])
    if kind == "double":
        return _float_op(op, a, b)
    return _int_op(op, int(a), int(b), kind)


def _float_op(op: str, a: float, b: float) -> float | None:
    if op == "%":
        raise no_overload("_%_", a, b)
    if op == "/" and b == 0:
        return math.copysign(math.inf, a) * math.copysign(1, b) if a != 0 else math.nan
    return {"+": a + b, "-": a - b, "*": a * b}.get(op) if op != "/" else a / b


def _int_op(op: str, a: int, b: int, kind: str) -> int:
    if op in ("/", "%") and b == 0:
        raise CelError("division by zero" if op == "/" else "modulus by zero")
    if op == "/":
        result = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)  # Go truncates
    elif op == "%":
        result = abs(a) % abs(b) * (1 if a >= 0 else -1)  # Go: the sign of the dividend
    else:
        result = {"+": a + b, "-": a - b, "*": a * b}[op]
    return _check_uint(result) if kind == "uint" else _check_int(result)


def negate(value: Value) -> Value:
    if isinstance(value, bool) or isinstance(value, UInt):
        raise no_overload("-_", value)
    if isinstance(value, int):
        return _check_int(-value)
    if isinstance(value, float):
        return -value
    if hasattr(value, "cel_negate"):
        return value.cel_negate()
    raise no_overload("-_", value)


def contains(container: Value, item: Value) -> bool:
    if isinstance(container, list):
        return any(equal(item, x) for x in container)
    if isinstance(container, dict):
        return _has_key(container, item)
    raise no_overload("@in", item, container)


# ---------------------------------------------------------------- the interpreter

class Interpreter:
    """Walks an AST; `functions` resolves calls (see cel_library.call)."""

    def __init__(self, functions: Functions) -> None:
        self.functions = functions

    def run(self, node: Node, scope: Scope) -> Value:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ident":
            if node[1] in scope:
                return scope[node[1]]
            if node[1] in TYPE_NAMES:
                return CelType(node[1])
            # A CRD's rules were type-checked when it was created: an unknown name means
            # this evaluator misread the expression, so the result is unknown, not an error.
            raise Unsupported(f"undeclared reference to '{node[1]}'")
        handler = getattr(self, "_" + kind)
        return handler(node, scope)

    def attempt(self, node: Node, scope: Scope) -> object:
        """The value, or the CelError/Unsupported exception it raised (for absorption)."""
        try:
            return self.run(node, scope)
        except (CelError, Unsupported) as err:
            return err

    def _and(self, node: Node, scope: Scope) -> bool:
        return self._logic(node, scope, False)

    def _or(self, node: Node, scope: Scope) -> bool:
        return self._logic(node, scope, True)

    def _logic(self, node: Node, scope: Scope, wins: bool) -> bool:
        left = self.attempt(node[1], scope)
        if left is wins:
            return wins
        right = self.attempt(node[2], scope)
        if right is wins:
            return wins
        for side in (left, right):
            if isinstance(side, Exception):
                raise side
        if isinstance(left, bool) and isinstance(right, bool):
            return not wins
        raise no_overload("_&&_" if not wins else "_||_", left, right)

    def _not(self, node: Node, scope: Scope) -> bool:
        value = self.run(node[1], scope)
        if not isinstance(value, bool):
            raise no_overload("!_", value)
        return not value

    def _neg(self, node: Node, scope: Scope) -> Value:
        return negate(self.run(node[1], scope))

    def _cond(self, node: Node, scope: Scope) -> Value:
        cond = self.run(node[1], scope)
        if not isinstance(cond, bool):
            raise no_overload("_?_:_", cond)
        return self.run(node[2] if cond else node[3], scope)

    def _binop(self, node: Node, scope: Scope) -> Value:
        op, a, b = node[1], self.run(node[2], scope), self.run(node[3], scope)
        if op == "==":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        if op == "in":
            return contains(b, a)
        if op in ("<", "<=", ">", ">="):
            c = compare(a, b)
            return {"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]
        return arithmetic(op, a, b)

    def _list(self, node: Node, scope: Scope) -> list[Value]:
        out: list[Value] = []
        for i, item in enumerate(node[1]):
            value = self.run(item, scope)
            if i in node[2]:
                if not isinstance(value, Optional):
                    raise no_overload("optional list element", value)
                if value.present:
                    out.append(value.value)
            else:
                out.append(value)
        return out

    def _map(self, node: Node, scope: Scope) -> dict[Value, Value]:
        out: dict[Value, Value] = {}
        for key_node, value_node, optional in node[1]:
            key, value = self.run(key_node, scope), self.run(value_node, scope)
            if type_name(key) not in ("string", "int", "uint", "bool"):
                raise CelError(f"unsupported key type: {type_name(key)}")
            if _has_key(out, key):
                raise CelError(f"Failed with repeated key: {_key_text(key)}")
            if optional:
                if not isinstance(value, Optional):
                    raise no_overload("optional map entry", value)
                if not value.present:
                    continue
                value = value.value
            out[key] = value
        return out

    def _select(self, node: Node, scope: Scope) -> Value:
        operand = self.run(node[1], scope)
        return select(operand, node[2], node[3])

    def _has(self, node: Node, scope: Scope) -> bool:
        operand = self.run(node[1], scope)
        if isinstance(operand, Optional):
            return operand.present and has_field(operand.value, node[2])
        return has_field(operand, node[2])

    def _index(self, node: Node, scope: Scope) -> Value:
        operand, key = self.run(node[1], scope), self.run(node[2], scope)
        return index(operand, key, node[3])

    def _call(self, node: Node, scope: Scope) -> Value:
        name, target, args = node[1], node[2], node[3]
        if target is not None and target[0] == "ident" and target[1] not in scope:
            qualified = f"{target[1]}.{name}"
            return self.functions(qualified, _NO_TARGET, [self.run(a, scope) for a in args])
        receiver = self.run(target, scope) if target is not None else None
        values = [self.run(a, scope) for a in args]
        return self.functions(name, receiver if target is not None else _NO_TARGET, values)

    def _comp(self, node: Node, scope: Scope) -> object:
        from .cel_macros import comprehension  # the macros live apart: one job per module
        return comprehension(self, node, scope)


class _NoTarget:
    """Marks a global call (f(x)) as opposed to a member call on a null receiver."""


_NO_TARGET = _NoTarget()


def is_global(receiver: Value) -> bool:
    return receiver is _NO_TARGET


def select(operand: Value, field: str, optional: bool = False) -> Value:
    if isinstance(operand, Optional):
        if not operand.present:
            return NONE
        return select(operand.value, field, True)
    if isinstance(operand, dict):
        if field in operand:
            return Optional(True, operand[field]) if optional else operand[field]
        if optional:
            return NONE
        raise CelError(f"no such key: {field}")
    if hasattr(operand, "cel_select"):
        return operand.cel_select(field)
    raise CelError(f"type '{type_name(operand)}' does not support field selection")


def has_field(operand: Value, field: str) -> bool:
    if isinstance(operand, dict):
        return field in operand
    raise CelError(f"invalid type for field selection: {type_name(operand)}")


def index(operand: Value, key: Value, optional: bool = False) -> Value:
    if isinstance(operand, Optional):
        if not operand.present:
            return NONE
        return index(operand.value, key, True)
    if isinstance(operand, list):
        if not is_number(key) or (isinstance(key, float) and not key.is_integer()):
            raise no_overload("_[_]", operand, key)
        position = int(key)
        if not 0 <= position < len(operand):
            if optional:
                return NONE
            raise CelError(f"index out of bounds: {position}")
        return Optional(True, operand[position]) if optional else operand[position]
    if isinstance(operand, dict):
        if type_name(key) not in ("string", "int", "uint", "bool", "double"):
            raise no_overload("_[_]", operand, key)
        if not _has_key(operand, key):
            if optional:
                return NONE
            raise CelError(f"no such key: {_key_text(key)}")
        value = _get_key(operand, key)
        return Optional(True, value) if optional else value
    raise no_overload("_[_]", operand, key)


def evaluate(expression: str, scope: Scope, functions: Functions | None = None) -> Value:
    """Parse and evaluate `expression` over the variables in `scope`."""
    if functions is None:
        from .cel_library import call
        functions = call
    return Interpreter(functions).run(parse(expression), scope)
