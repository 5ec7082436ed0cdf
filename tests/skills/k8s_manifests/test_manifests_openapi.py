"""The structural validator on small hand-written schemas (one behaviour per test)."""
from __future__ import annotations

import pytest

from _manifest.openapi import validate, validate_object

OBJ = {"type": "object"}


def props(**fields):
    return {"type": "object", "properties": fields}


@pytest.mark.parametrize("schema, value, needle", [
    (props(a={"type": "integer"}), {"a": "1"}, "must be of type integer"),
    (props(a={"type": "string"}), {"a": True}, "must be of type string"),
    (props(a={"type": "boolean"}), {"a": "yes"}, "must be of type boolean"),
    (props(a={"type": "array", "items": {"type": "string"}}), {"a": [1]}, "a[0]"),
    ({**props(a={"type": "string"}), "required": ["a"]}, {}, "a: Required value"),
    (props(a={"type": "string", "enum": ["X", "Y"]}), {"a": "Z"}, "Unsupported value"),
    (props(a={"type": "array", "maxItems": 1}), {"a": [1, 2]}, "Too many"),
    (props(a={"type": "string", "maxLength": 2}), {"a": "abc"}, "Too many"),
    (props(a={"type": "string", "pattern": "^[a-z]+$"}), {"a": "A1"}, "should match"),
    (props(a={"type": "integer", "minimum": 1}), {"a": 0}, "greater than or equal"),
    (props(a={"type": "integer", "maximum": 8}), {"a": 9}, "less than or equal"),
    (props(a={"x-kubernetes-int-or-string": True}), {"a": [1]}, "integer or a string"),
    (props(a=props(b={"type": "string"})), {"a": {"c": 1}}, 'unknown field "a.c"'),
    (props(a={"type": "object", "additionalProperties": {"type": "string"}}), {"a": {"k": 1}},
     "a.k: must be of type string"),
])
def test_rejects(schema, value, needle):
    errors = validate(value, schema, {})
    assert any(needle in e for e in errors), errors


@pytest.mark.parametrize("schema, value", [
    (props(a={"x-kubernetes-int-or-string": True}), {"a": 1}),
    (props(a={"x-kubernetes-int-or-string": True}), {"a": "50%"}),
    (props(a={"types": ["string", "number"]}), {"a": 2}),            # Quantity
    (props(a={"type": "integer"}), {"a": None}),                      # null = unset
    (props(a={"type": "number"}), {"a": 1}),
    (props(a={**OBJ, "x-kubernetes-preserve-unknown-fields": True}), {"a": {"any": [1]}}),
    (props(a={**OBJ, "x-kubernetes-embedded-resource": True, "properties": {}}),
     {"a": {"apiVersion": "v1", "kind": "Pod", "metadata": {}}}),
    ({**props(a={"type": "string", "d": 1}), "required": ["a"]}, {}),  # defaulted
    (props(a={"$ref": "T"}), {"a": "ok"}),
    (props(a=OBJ), {"a": {"free": "form"}}),                          # RawExtension-like
])
def test_accepts(schema, value):
    assert validate(value, schema, {"T": {"type": "string"}}) == []


def test_root_needs_a_name_and_allows_identity_fields():
    schema = props(spec=OBJ)
    assert validate_object({"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "n"}},
                           schema, {}) == []
    errors = validate_object({"apiVersion": "x/v1", "kind": "K", "metadata": {}}, schema, {})
    assert errors == ["metadata.name: Required value: name or generateName is required"]
