"""What a custom resource's structural schema enforces beyond types: defaults, list-type
uniqueness and x-kubernetes-validations (CEL) rules, as the apiextensions-apiserver does.

Sources (k8s.io/apiextensions-apiserver v0.37.2): pkg/apiserver/schema/defaulting
(defaults, nulls), schema/listtype/validation.go (Duplicate value), schema/cel/validation.go
(rule evaluation, transition rules only on update, messages, reasons, fieldPath) and
k8s.io/apiserver pkg/cel/common/valuesunstructured.go (how values look to CEL).

Schemas are the compiled form of harness/skillpack/schemas.py: {"$ref": name} points into
`defs`; keys as in OpenAPI. A rule this module cannot evaluate is returned as "not checked".
"""
from __future__ import annotations
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import copy
from dataclasses import dataclass
import json
import re

from ..cel_runtime import CelError, CelList, CelObject, Interpreter, Unsupported, equal
from ..cel_syntax import CelSyntaxError, parse
from . import field

T = TypeVar("T")
RULES = "x-kubernetes-validations"
_RESERVED = {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
             "function", "if", "import", "let", "loop", "package", "namespace", "return",
             "var", "void", "while"}


@dataclass(frozen=True)
class NotChecked:
    """A rule whose verdict is unknown (the evaluator lacks a feature it uses)."""
    path: str
    rule: str
    reason: str


def resolve(schema: object, defs: dict[str, Any]) -> dict[str, Any]:
    hops = 0
    while isinstance(schema, dict) and "$ref" in schema and hops < 30:
        schema = defs.get(schema["$ref"], {})
        hops += 1
    return schema if isinstance(schema, dict) else {}


def children(value: dict[str, Any], schema: dict[str, Any], defs: dict[str, Any]
             ) -> Iterator[tuple[str, Any, dict[str, Any], bool]]:
    """(key, item, child schema, is a declared property) for the keys a schema describes."""
    props = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    for key, item in list(value.items()):
        sub = props.get(key, extra if isinstance(extra, dict) else None)
        if sub is not None:
            yield key, item, resolve(sub, defs), key in props


# ---------------------------------------------------------------- defaulting

def apply_defaults(obj: T, schema: dict[str, Any], defs: dict[str, Any]) -> T:
    """A copy of `obj` with schema defaults filled in and non-nullable nulls pruned."""
    obj = copy.deepcopy(obj)
    _default(obj, schema, defs)
    return obj


def _default(value: object, schema: dict[str, Any], defs: dict[str, Any]) -> None:
    schema = resolve(schema, defs)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        for key, sub in props.items():
            sub_r = resolve(sub, defs)
            default = sub.get("default", sub_r.get("default")) if isinstance(sub, dict) else None
            if key in value and value[key] is None and not sub_r.get("nullable"):
                if default is None:
                    del value[key]
                    continue
                value[key] = copy.deepcopy(default)
            elif key not in value and default is not None:
                value[key] = copy.deepcopy(default)
        for _, item, sub, _declared in children(value, schema, defs):
            _default(item, sub, defs)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _default(item, schema["items"], defs)


def fill_go_zero_values(obj: T, schema: dict[str, Any], defs: dict[str, Any]) -> T:
    """A copy of `obj` as a typed mutating webhook returns it: the webhook decodes the object
    into Go structs and re-encodes them, so a required (non-omitempty) scalar or struct field
    that was missing comes back as its zero value ("" / 0 / false / "0" for a quantity /
    {}); missing lists and maps stay absent (nil encodes as null, which is pruned)."""
    obj = copy.deepcopy(obj)
    _zero_fill(obj, schema, defs)
    return obj


def _zero_fill(value: object, schema: dict[str, Any], defs: dict[str, Any]) -> None:
    schema = resolve(schema, defs)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        for key in schema.get("required") or []:
            if key not in value and key in props:
                zero = _zero(resolve(props[key], defs))
                if zero is not None:
                    value[key] = zero
        for _, item, sub, _declared in children(value, schema, defs):
            _zero_fill(item, sub, defs)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _zero_fill(item, schema["items"], defs)


def _zero(schema: dict[str, Any]) -> object:
    if schema.get("x-kubernetes-int-or-string"):
        return "0" if schema.get("pattern") else 0  # resource.Quantity vs IntOrString
    return {"string": "", "integer": 0, "number": 0, "boolean": False,
            "object": {} if schema.get("properties") is not None else None}.get(
        str(schema.get("type")))


def scale_replicas(obj: dict[str, Any], spec_replicas_path: str) -> list[field.Violation]:
    """customresource/validator.go ValidateScale: the /scale subresource's replicas field."""
    value: object = obj
    for part in spec_replicas_path.strip(".").split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        return []
    if value < 0:
        return [field.invalid(spec_replicas_path, value, "should be a non-negative integer",
                              "crd-schema")]
    if value > 2 ** 31 - 1:
        return [field.invalid(spec_replicas_path, value,
                              "should be less than or equal to 2147483647", "crd-schema")]
    return []


# ---------------------------------------------------------------- list-type uniqueness

def list_type_violations(obj: object, schema: dict[str, Any], defs: dict[str, Any],
                         path: str = "") -> list[field.Violation]:
    out: list[field.Violation] = []
    _list_types(obj, resolve(schema, defs), defs, path, out)
    return out


def _list_types(value: object, schema: dict[str, Any], defs: dict[str, Any], path: str,
                out: list[field.Violation]) -> None:
    if isinstance(value, dict):
        for key, item, sub, declared in children(value, schema, defs):
            _list_types(item, sub, defs, field.join(path, key if declared else f"[{key}]"), out)
    elif isinstance(value, list):
        kind = schema.get("x-kubernetes-list-type")
        if kind == "set":
            out += [field.duplicate(f"{path}[{i}]", value[i], "crd-schema")
                    for i in _second_occurrences(value)]
        elif kind == "map":
            keys = schema.get("x-kubernetes-list-map-keys") or []
            tuples = [{k: item[k] for k in keys if k in item} if isinstance(item, dict) else {}
                      for item in value]
            for i in _second_occurrences(tuples):
                out.append(field.duplicate(f"{path}[{i}]", tuples[i], "crd-schema"))
        items = resolve(schema.get("items"), defs)
        for i, item in enumerate(value):
            _list_types(item, items, defs, f"{path}[{i}]", out)


def _second_occurrences(values: list[Any]) -> list[int]:
    """Indexes of each value's second occurrence (listtype/validation.go validateListSet)."""
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(values):
        key = json.dumps(value, sort_keys=True, default=str) + type(value).__name__
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            out.append(i)
    return out


# ---------------------------------------------------------------- values as CEL sees them

def escape(name: str) -> str | None:
    """apiserver/pkg/cel/escaping.go Escape: the CEL field name of a property, or None."""
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", name):
        return None
    return re.sub(r"__|[-./]", lambda m: {"__": "__underscores__", ".": "__dot__",
                                           "-": "__dash__", "/": "__slash__"}[m.group()], name)


def to_cel(value: object, schema: object, defs: dict[str, Any], root: bool = False) -> object:
    """The CEL value of `value` under `schema` (valuesunstructured.go UnstructuredToVal)."""
    schema = resolve(schema, defs)
    if value is None or schema.get("x-kubernetes-int-or-string"):
        return value
    kind = schema.get("type")
    if isinstance(value, dict) and kind in ("object", None):
        return _object_to_cel(value, schema, defs, root)
    if isinstance(value, list) and kind in ("array", None):
        items = schema.get("items")
        out = CelList(to_cel(v, items, defs) for v in value) if items else CelList(value)
        out.list_type = schema.get("x-kubernetes-list-type", "")
        out.map_keys = tuple(escape(k) or k for k in schema.get("x-kubernetes-list-map-keys") or [])
        return out
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "string" and isinstance(value, str) and schema.get("format") in (
            "duration", "date", "date-time", "byte"):
        return _formatted(value, schema["format"])
    return value


def _object_to_cel(value: dict[str, Any], schema: dict[str, Any], defs: dict[str, Any],
                   root: bool) -> dict[Any, Any]:
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    embedded = schema.get("x-kubernetes-embedded-resource")
    if props is None and not embedded:
        if isinstance(extra, dict):
            return {k: to_cel(v, extra, defs) for k, v in value.items()}
        return dict(value)
    out = CelObject()
    for key, item in value.items():
        name = escape(key)
        if name is None:
            continue
        if (root or embedded) and key in ("apiVersion", "kind"):
            out[name] = item
        elif (root or embedded) and key == "metadata" and isinstance(item, dict):
            # model.WithTypeAndObjectMeta: only name and generateName are visible.
            out[name] = CelObject({k: item[k] for k in ("name", "generateName") if k in item})
        elif props and key in props:
            out[name] = to_cel(item, props[key], defs)
    return out


def _formatted(value: str, fmt: str) -> object:
    from ..cel_time import parse_duration, parse_timestamp
    try:
        if fmt == "duration":
            return parse_duration(value)
        if fmt == "date-time":
            return parse_timestamp(value)
    except CelError:
        return value
    return value


# ---------------------------------------------------------------- CEL rule evaluation

class RuleEvaluator:
    """Evaluates every rule of a schema tree over an object (and its old version)."""

    def __init__(self, defs: dict[str, Any],
                 functions: Callable[..., object] | None = None) -> None:
        from ..cel_library import call
        self.defs = defs
        self.interp = Interpreter(functions or call)
        self.violations: list[field.Violation] = []
        self.not_checked: list[NotChecked] = []

    def run(self, obj: object, schema: dict[str, Any], old: object = None) -> None:
        self._node(obj, resolve(schema, self.defs), old, "", root=True)

    def _node(self, value: object, schema: dict[str, Any], old: object, path: str,
              root: bool = False) -> None:
        if value is None:
            return
        rules = schema.get(RULES) or []
        if rules:
            self._rules(value, schema, old, path, rules, root)
        if isinstance(value, dict):
            self._children(value, schema, old, path)
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            items = resolve(schema["items"], self.defs)
            olds = _correlate_list(schema, value, old)
            for i, item in enumerate(value):
                self._node(item, items, olds[i], f"{path}[{i}]")

    def _children(self, value: dict[str, Any], schema: dict[str, Any], old: object,
                  path: str) -> None:
        old = old if isinstance(old, dict) else None
        for key, item, sub, declared in children(value, schema, self.defs):
            child = field.join(path, key) if declared else f"{path}[{key}]"
            self._node(item, sub, old.get(key) if old else None, child)

    def _rules(self, value: object, schema: dict[str, Any], old: object, path: str,
               rules: list[Any], root: bool) -> None:
        scope = {"self": to_cel(value, schema, self.defs, root)}
        if old is not None:
            scope["oldSelf"] = to_cel(old, schema, self.defs, root)
        unchanged = old is not None and equal(scope["self"], scope["oldSelf"])
        for rule in rules:
            self._rule(rule, scope, value, schema, path, unchanged)

    def _rule(self, rule: dict[str, Any], scope: dict[str, Any], value: object,
              schema: dict[str, Any], path: str, unchanged: bool) -> None:
        text = rule.get("rule", "")
        try:
            tree = parse(text)
        except CelSyntaxError as err:
            self.not_checked.append(NotChecked(path, text, f"not parsed: {err}"))
            return
        transition = _uses_old_self(tree)
        if transition and "oldSelf" not in scope:
            return  # transition rules run only on update (cel/validation.go)
        try:
            result = self.interp.run(tree, scope)
        except Unsupported as err:
            self.not_checked.append(NotChecked(path, text, str(err)))
            return
        except (ArithmeticError, AttributeError, IndexError, KeyError, RecursionError,
                TypeError, ValueError) as err:
            # A gap in this evaluator, not a verdict: say so instead of guessing.
            self.not_checked.append(NotChecked(path, text, f"evaluator failure: "
                                               f"{type(err).__name__}: {err}"))
            return
        except CelError as err:
            # cel/validation.go prints the schema type ("object") as the value here.
            self.violations.append(field.invalid(path, schema.get("type") or "",
                                                 f"{err} evaluating rule: {_rule_name(rule)}",
                                                 "crd-rule"))
            return
        if result is True or (unchanged and not transition):
            return  # ratcheting: an unchanged value keeps passing (CRDValidationRatcheting)
        if result is not False:
            self.not_checked.append(NotChecked(path, text, f"rule returned {result!r}"))
            return
        self.violations.append(self._failure(rule, scope, value, schema, path))

    def _failure(self, rule: dict[str, Any], scope: dict[str, Any], value: object,
                 schema: dict[str, Any], path: str) -> field.Violation:
        detail = _message(rule)
        if rule.get("messageExpression"):
            try:
                message = self.interp.run(parse(rule["messageExpression"]), scope)
                if isinstance(message, str) and message.strip() and "\n" not in message:
                    detail = message
            except (CelError, Unsupported, CelSyntaxError):
                pass  # the apiserver falls back to the static message
        where = field.join(path, rule["fieldPath"].lstrip(".")) if rule.get("fieldPath") \
            else path
        reason = rule.get("reason")
        if reason == "FieldValueForbidden":
            return field.forbidden(where, detail, "crd-rule")
        if reason == "FieldValueRequired":
            return field.required(where, detail, "crd-rule")
        if reason == "FieldValueDuplicate":
            return field.duplicate(where, _shown(value, schema), "crd-rule")
        return field.invalid(where, _shown(value, schema), detail, "crd-rule")


def _shown(value: object, schema: dict[str, Any]) -> object:
    """Objects and arrays are not printed in the error, scalars are."""
    return field.OMIT if isinstance(value, (dict, list)) else value


def _message(rule: dict[str, Any]) -> str:
    message = (rule.get("message") or "").strip()
    return message if message else f"failed rule: {_rule_name(rule)}"


def _rule_name(rule: dict[str, Any]) -> str:
    return (rule.get("message") or "").strip() or (rule.get("rule") or "").strip()


def _uses_old_self(tree: object) -> bool:
    if isinstance(tree, tuple):
        if tree[:2] == ("ident", "oldSelf"):
            return True
        return any(_uses_old_self(part) for part in tree[1:])
    if isinstance(tree, list):
        return any(_uses_old_self(part) for part in tree)
    return False


def _correlate_list(schema: dict[str, Any], value: list[Any], old: object) -> list[Any]:
    """Old items for each new item: only list-type=map lists correlate (by their keys)."""
    if not isinstance(old, list) or schema.get("x-kubernetes-list-type") != "map":
        return [None] * len(value)
    keys = schema.get("x-kubernetes-list-map-keys") or []

    def key_of(item: object) -> tuple[str, ...] | None:
        return tuple(json.dumps(item.get(k), sort_keys=True) for k in keys) \
            if isinstance(item, dict) else None
    index = {key_of(item): item for item in old}
    return [index.get(key_of(item)) for item in value]


def evaluate_rules(obj: object, schema: dict[str, Any], defs: dict[str, Any], old: object = None
                   ) -> tuple[list[field.Violation], list[NotChecked]]:
    """(violations, not-checked rules) of every x-kubernetes-validations rule in the tree."""
    evaluator = RuleEvaluator(defs)
    evaluator.run(obj, schema, old)
    return evaluator.violations, evaluator.not_checked
