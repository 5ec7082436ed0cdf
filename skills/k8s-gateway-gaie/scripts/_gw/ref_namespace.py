"""A controller's refusal that names a reference's namespace the pasted spec does not give it.

A reference (`certificateRefs`, `clientCertificateRef`, `caCertificateRefs`, `backendRefs`,
...) without `namespace` lives in its referrer's namespace: gateway-api v1.6.3
apis/v1/object_reference_types.go:69-70 (SecretObjectReference.Namespace "When unspecified,
the local namespace is inferred"), :135-136 (BackendObjectReference). A status that refuses
the reference for the namespace it names, while the spec in the paste gives that reference
another namespace (or none, so the referrer's), is the controller reading the spec wrongly,
not a fault in the object: Envoy Gateway defaulted a Backend's tls.clientCertificateRef
namespace to `default` (`clientCertificateRef Secret is not located in the same namespace
as Backend. Secret namespace: default does not match Backend namespace: <ns>`,
internal/gatewayapi/backend.go:162 before envoyproxy/gateway PR #7987, which changed
`ptr.Deref(ref.Namespace, "default")` to `NamespaceDerefOr(ref.Namespace, backend.Namespace)`;
the same in backendtlspolicy.go processClientTLSSettings). When the spec does name the
namespace the status names, the refusal is real and stands.

    >>> spec_owner = {"metadata": {"namespace": "app"}, "spec": {"tls": {
    ...     "clientCertificateRef": {"kind": "Secret", "name": "c"}}}}
    >>> contradicted(spec_owner, "clientCertificateRef Secret is not located in the same "
    ...              "namespace as Backend. Secret namespace: default does not match Backend "
    ...              "namespace: app")
    ('clientCertificateRef', 'default', ['app'])
    >>> spec_owner["spec"]["tls"]["clientCertificateRef"]["namespace"] = "default"
    >>> contradicted(spec_owner, "... Secret namespace: default does not match Backend "
    ...              "namespace: app clientCertificateRef") is None
    True
"""
from __future__ import annotations

import re
from typing import Any

# a reference field named in the message (`clientCertificateRef`, `ClientCertificateRef`,
# `certificateRefs`, `backendRef`), then the namespace it states, `<Kind> namespace: <ns>`
# (Envoy Gateway's wording); the referrer's own namespace is the one after its kind
_FIELD = re.compile(r"\b([A-Za-z][A-Za-z]*Refs?)\b")
_STATED = re.compile(r"\b(?P<kind>[A-Z][A-Za-z]*)\s+namespace:\s*[\"']?(?P<ns>[a-z0-9][-a-z0-9.]*)")


def contradicted(obj: dict[str, Any], message: str) -> tuple[str, str, list[str]] | None:
    """(field, namespace the status names, namespaces the spec gives that field) when they
    differ; None when the message names no reference namespace, the spec has no such
    reference, or the spec agrees with the status."""
    owner_ns = str((obj.get("metadata") or {}).get("namespace") or "")
    owner_kind = str(obj.get("kind") or "")
    spec = obj.get("spec")
    if not owner_ns or not isinstance(spec, dict):
        return None
    fields = [hit.group(1) for hit in _FIELD.finditer(message or "")]
    stated = [hit.group("ns") for hit in _STATED.finditer(message or "")
              if hit.group("kind") != owner_kind]
    if not fields or not stated:
        return None
    # the first field named that the spec holds (`route rule 0 backendRef 0: <the Backend's
    # error>` names the route's field before the Backend's)
    found = next(((f, refs_of(obj, f)) for f in fields if refs_of(obj, f)), None)
    if found is None:
        return None
    field, refs = found
    given = sorted({str(ref.get("namespace") or owner_ns) for ref in refs})
    if stated[0] in given:
        return None
    return field, stated[0], given


def refs_of(obj: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The references the object's spec holds under that field (first letter either case)."""
    return _refs(obj.get("spec"), field[0].lower() + field[1:])


def _refs(node: Any, key: str) -> list[dict[str, Any]]:
    """Every reference under `key` anywhere in the spec (one object or a list of them)."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                items = value if isinstance(value, list) else [value]
                out += [item for item in items if isinstance(item, dict)]
            else:
                out += _refs(value, key)
    elif isinstance(node, list):
        for item in node:
            out += _refs(item, key)
    return out
