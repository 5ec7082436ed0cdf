"""A small structural OpenAPI v3 validator, close to what the apiserver checks.

It covers what strict field validation (`kubectl apply --validate=strict`, the default)
and a CRD's structural schema reject: unknown fields, wrong types, missing required fields,
enum, int-or-string, x-kubernetes-preserve-unknown-fields / -embedded-resource, and the cheap
value limits (maxItems, maxLength, pattern, minimum, ...). CEL rules (x-kubernetes-
validations) and Go-coded validation are NOT checked: the server-side dry-run catches those.

    >>> validate({"a": 1}, {"type": "object", "properties": {"b": {"type": "string"}}}, {})
    ['unknown field "a"']
"""
from __future__ import annotations

import datetime
import ipaddress
import json
import re

from k8s_skillkit.admission.quantities import parse_quantity_strict

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_QUANTITY_PATTERN = "[numkMGTPE]"  # the pattern kubebuilder gives resource.Quantity fields
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_MAX_ERRORS = 50
_TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean",
               int: "integer", float: "number"}


class _Errors(list):
    """Collected messages. `builtin`: a built-in kind (decoded into Go types, never checked
    against its OpenAPI `required`); `decoded`: some component decodes it into Go types
    (built-ins, and custom resources a typed admission webhook reads); `prefix`: how the
    apiserver introduces a decoding failure; `owners`: the Go types being walked."""
    builtin = False
    decoded = False
    prefix = ""

    def __init__(self):
        super().__init__()
        self.owners: list[str] = []

    def decode_error(self, text: str) -> None:
        """A decoding failure: the server reports it alone, worded like encoding/json."""
        self.append(self.prefix + text)


def validate(value, schema: dict, definitions: dict, path: str = "",
             builtin: bool = False, decoded: str = "") -> list[str]:
    """Every structural error as `path: message` (path empty at the root)."""
    errors = _Errors()
    errors.builtin = builtin
    errors.decoded = bool(decoded) or builtin
    if decoded:
        errors.prefix = f'admission webhook "{decoded}" denied the request: '
    if builtin and isinstance(value, dict):
        kind, api = value.get("kind", ""), str(value.get("apiVersion", ""))
        errors.prefix = f'{kind} in version "{api.rsplit("/", 1)[-1]}" cannot be handled as a ' \
                        f"{kind}: "
    _check(value, schema, definitions, path, errors)
    return list(errors[:_MAX_ERRORS])


def validate_object(obj: dict, schema: dict, definitions: dict,
                    builtin: bool = False, decoded: str = "") -> list[str]:
    """A top-level object: the kind's schema plus ObjectMeta and a name, as the server does.

    `builtin`: a built-in kind, which the server decodes into Go types: an empty string
    is the zero value (defaulted, never an enum violation) and a Quantity must parse.
    `decoded`: the name of the admission webhook that decodes this custom resource."""
    errors = validate(obj, _with_identity(schema, definitions), definitions, builtin=builtin,
                      decoded=decoded)
    if OBJECT_META in definitions and isinstance(obj.get("metadata"), dict):
        if not _is_ref_to(schema, "metadata", OBJECT_META, definitions):
            errors += validate(obj["metadata"], {"$ref": OBJECT_META}, definitions, "metadata",
                               builtin)
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    if not meta.get("name") and not meta.get("generateName"):
        errors.append("metadata.name: Required value: name or generateName is required")
    return errors


def _with_identity(schema: dict, defs: dict) -> dict:
    """apiVersion, kind and metadata are always allowed at the root (hand-written CRDs omit
    them from their schema; the apiserver adds them)."""
    root = _resolve(schema, defs)
    props = root.get("properties") or {}
    identity = {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                "metadata": {"type": "object"}}
    if all(key in props for key in identity):
        return root
    return {**root, "properties": {**identity, **props}}


def _check(value, schema, defs, path, errors, branch=False) -> None:
    """`branch`: a oneOf/anyOf/allOf/not alternative (value validations only: fields its
    `properties` do not name are not unknown there)."""
    if len(errors) >= _MAX_ERRORS or not isinstance(schema, dict):
        return
    ref = schema.get("$ref") or ""
    owner = ref.rsplit(".", 1)[-1] if ref and not ref.startswith("h:") else ""
    owners = getattr(errors, "owners", None)
    if owner and owners is not None:
        owners.append(owner)
    try:
        _check_node(value, schema, defs, path, errors, branch)
    finally:
        if owner and owners is not None:
            owners.pop()


def _check_node(value, schema, defs, path, errors, branch) -> None:
    if schema.get("$ref") == QUANTITY and value is not None:
        _check_quantity(value, path, errors)
        return
    if schema.get("$ref") == INT_OR_STRING and isinstance(value, int) and \
            not isinstance(value, bool) and not -2 ** 31 <= value < 2 ** 31:
        _overflow(value, path, errors, "IntOrString")
        return
    schema = _resolve(schema, defs)
    if value is None:
        return  # null means "unset": built-ins decode it to the zero value, CRDs prune it
    if schema.get("x-kubernetes-int-or-string"):
        if not (isinstance(value, (int, str)) and not isinstance(value, bool)):
            errors.append(f"{_where(path)}must be an integer or a string, got {_type(value)}")
        elif isinstance(value, str):
            if getattr(errors, "decoded", False) and _QUANTITY_PATTERN in str(
                    schema.get("pattern")):
                _check_quantity(value, path, errors)  # a typed webhook parses it first
            else:
                _check_scalar(value, schema, path, errors)  # pattern, maxLength
        elif getattr(errors, "decoded", False) and not schema.get("pattern") and \
                not -2 ** 31 <= value < 2 ** 31:  # an IntOrString (int32), not a Quantity
            _overflow(value, path, errors, "IntOrString")
        return
    if not _type_ok(value, schema, path, errors):
        return
    _combinators(value, schema, defs, path, errors)
    if isinstance(value, dict):
        _check_object(value, schema, defs, path, errors, branch)
    elif isinstance(value, list):
        _check_array(value, schema, defs, path, errors)
    else:
        _check_scalar(value, schema, path, errors)


def _branch_errors(value, schema, defs, path) -> list[str]:
    trial: list[str] = []
    _check(value, schema, defs, path, trial, branch=True)
    return trial


def _combinators(value, schema, defs, path, errors) -> None:
    """Value validations of structural schemas (kube-openapi validate: oneOf, anyOf, allOf,
    not). Only custom resources carry them (e.g. Gateway addresses: IPAddress -> ipv4|ipv6)."""
    # Worded as kube-openapi words them (the apiserver reports them at path "<nil>").
    for branch in schema.get("allOf") or []:
        _check(value, branch, defs, path, errors, branch=True)
    if schema.get("anyOf"):
        trials = [_branch_errors(value, b, defs, path) for b in schema["anyOf"]]
        if all(trials):
            errors.append(f'<nil>: Invalid value: "": "{path}" must validate at least one '
                          "schema (anyOf)")
            errors.extend(trials[0])
    if schema.get("oneOf"):
        trials = [_branch_errors(value, b, defs, path) for b in schema["oneOf"]]
        valid = sum(not t for t in trials)
        if valid != 1:
            found = "Found none valid" if not valid else f"Found {valid} valid alternatives"
            errors.append(f'<nil>: Invalid value: "": "{path}" must validate one and only one '
                          f"schema (oneOf). {found}")
            errors.extend(e for t in trials for e in t if "must be of type" in e)
    if isinstance(schema.get("not"), dict) and not _branch_errors(value, schema["not"], defs,
                                                                  path):
        errors.append(f'<nil>: Invalid value: "": "{path}" must not validate the schema (not)')


def _type_ok(value, schema, path, errors) -> bool:
    wanted = schema.get("types") or ([schema["type"]] if schema.get("type") else [])
    if not wanted or any(_is_type(value, t) for t in wanted):
        return True
    errors.append(f"{_where(path)}must be of type {' or '.join(wanted)}, got {_type(value)} "
                  f"{_short(value)}")
    return False


def _check_object(value: dict, schema, defs, path, errors, branch=False) -> None:
    props = schema.get("properties") or {}
    # Built-in kinds are decoded into Go structs: a missing field is its zero value and
    # only the Go validation (k8s_skillkit.admission) decides whether that is allowed.
    for name in [] if getattr(errors, "builtin", False) else schema.get("required") or []:
        if name not in value and not _has_default(props.get(name)):
            errors.append(f"{_join(path, name)}: Required value")
    embedded = schema.get("x-kubernetes-embedded-resource")
    extra = schema.get("additionalProperties")
    free = schema.get("x-kubernetes-preserve-unknown-fields") or (not props and extra is None)
    for key, item in value.items():
        child = _join(path, str(key))
        if key in props:
            _check(item, props[key], defs, child, errors)
        elif embedded and key in ("apiVersion", "kind", "metadata"):
            continue
        elif isinstance(extra, dict):
            _check(item, extra, defs, child, errors)
        elif not free and extra is not True and not branch:
            errors.append(f'unknown field "{child}"')
    _limits(len(value), schema, "maxProperties", "minProperties", "properties", path, errors)


def _check_array(value: list, schema, defs, path, errors) -> None:
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            _check(item, items, defs, f"{path}[{index}]", errors)
    _limits(len(value), schema, "maxItems", "minItems", "items", path, errors)


def _check_quantity(value, path, errors) -> None:
    """resource.Quantity decoding (built-in kinds): the server's exact parser."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.append(f"{_where(path)}must be of type string or number, got {_type(value)}")
        return
    try:
        parse_quantity_strict(value)
    except ValueError as err:
        _decode_error(errors, path, str(err))


def _overflow(value, path, errors, go_type: str) -> None:
    owners = getattr(errors, "owners", None) or [""]
    field = f"{owners[-1]}.{path}" if owners[-1] else path
    _decode_error(errors, path, f"json: cannot unmarshal number {value} into Go struct field "
                  f"{field} of type {go_type}")


def _decode_error(errors, path, text: str) -> None:
    if hasattr(errors, "decode_error"):
        errors.decode_error(text if errors.prefix else f"{_where(path)}{text}")
    else:
        errors.append(f"{_where(path)}{text}")


def _check_scalar(value, schema, path, errors) -> None:
    enum = schema.get("enum")
    if enum and value not in enum and not (value == "" and getattr(errors, "builtin", False)):
        allowed = ", ".join(f'"{e}"' for e in enum[:12])
        errors.append(f"{_where(path)}Unsupported value: {_short(value)}: supported values: "
                      f"{allowed}")
    if isinstance(value, str):
        _limits(len(value), schema, "maxLength", "minLength", "characters", path, errors)
        pattern = schema.get("pattern")
        if pattern and not _matches(pattern, value):
            errors.append(f"{_where(path)}Invalid value: {_short(value)}: should match "
                          f"'{pattern}'")
        fmt = schema.get("format")
        if fmt in _FORMATS and not _FORMATS[fmt](value):
            errors.append(f"{_where(path)}Invalid value: {_short(value)}: {path} in body must be "
                          f"of type {fmt}: {_short(value)}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        bits = {"int32": 31, "int64": 63}.get(schema.get("format"))
        if bits and isinstance(value, int) and not -2 ** bits <= value < 2 ** bits:
            if getattr(errors, "decoded", False):
                _overflow(value, path, errors, schema["format"])
            else:
                errors.append(f"{_where(path)}Invalid value: {value}: must be of type integer "
                              f"with format {schema['format']}")
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{_where(path)}Invalid value: {value}: should be greater than or "
                          f"equal to {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{_where(path)}Invalid value: {value}: should be less than or "
                          f"equal to {schema['maximum']}")


def _is_ip(version: int):
    def check(value: str) -> bool:
        try:
            return ipaddress.ip_address(value).version == version
        except ValueError:
            return False
    return check


_FORMATS = {
    # kube-openapi strfmt, the string formats the apiextensions-apiserver validates
    "ipv4": _is_ip(4), "ipv6": _is_ip(6),
    "date-time": lambda v: re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", v) is not None,
}


def _limits(size, schema, max_key, min_key, unit, path, errors) -> None:
    if max_key in schema and size > schema[max_key]:
        errors.append(f"{_where(path)}Too many: {size}: must have at most {schema[max_key]} "
                      f"{unit}")
    if min_key in schema and size < schema[min_key]:
        errors.append(f"{_where(path)}Too few: {size}: must have at least {schema[min_key]} "
                      f"{unit}")


def _resolve(schema: dict, defs: dict) -> dict:
    seen = 0
    while "$ref" in schema and seen < 20:  # refs chain through interned subtrees
        schema = defs.get(schema["$ref"], {})
        seen += 1
    return schema


def _has_default(schema) -> bool:
    """The server applies defaults before it checks `required` ("d" = compacted marker)."""
    return isinstance(schema, dict) and ("d" in schema or "default" in schema)


def _is_ref_to(schema, prop, name, defs) -> bool:
    target = (_resolve(schema, defs).get("properties") or {}).get(prop) or {}
    return target.get("$ref") == name


def _is_type(value, wanted: str) -> bool:
    if wanted == "string":
        # PyYAML turns unquoted dates into date objects; the apiserver would see a string.
        return isinstance(value, (str, datetime.date))
    if wanted == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (
            isinstance(value, float) and value.is_integer())
    if wanted == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if wanted == "boolean":
        return isinstance(value, bool)
    if wanted == "object":
        return isinstance(value, dict)
    if wanted == "array":
        return isinstance(value, list)
    return True


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True  # an RE2-only construct: leave it to the server


def _type(value) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _short(value) -> str:
    """The value as the apiserver quotes it (Go %q for strings)."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = repr(value) if not isinstance(value, (dict, list)) else _type(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(path: str) -> str:
    return f"{path}: " if path else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
