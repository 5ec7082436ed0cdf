"""Is an error the "this resource type is not installed" kind (an optional CRD absent)?

Every wording kubectl prints for an unknown resource type or kind, with its source:
- `the server doesn't have a resource type "x"` [`in group "g"`] [`and version "v"`]:
  kubectl get/describe/delete since 1.5 (kubernetes v1.5.0 pkg/kubectl/cmd/util/helpers.go;
  k8s.io/kubectl v0.37.2 pkg/cmd/util/helpers.go; k8s.io/cli-runtime v0.37.2
  pkg/resource/builder.go)
- `no matches for kind "X" in version "g/v"` / `in versions [...]` / `in group "g"` and
  `no matches for g/, Resource=x`: apimachinery v0.37.2 pkg/api/meta/errors.go
  (NoKindMatchError, NoResourceMatchError), printed by apply/create -f
- `resource mapping not found for name: "n" namespace: "" from "f": no matches for kind ...
  ensure CRDs are installed first`: cli-runtime v0.37.2 pkg/resource/mapper.go (kubectl 1.20+)
- `unable to recognize "f": no matches for kind ...`: kubernetes v1.9.0
  pkg/kubectl/resource/mapper.go (kubectl <= 1.19)
- `the server could not find the requested resource` (a group/version that is not served,
  e.g. a stale discovery cache or `kubectl get x.v1beta1.group`): apimachinery v0.37.2
  pkg/api/errors/errors.go NewGenericServerResponse for a 404
- `couldn't find resource for "g/v, Kind=X"`: kubectl v0.37.2 pkg/cmd/explain/explain.go
"""
from __future__ import annotations

import re

_ABSENT_PATTERNS = [
    re.compile(r"the server doesn't have a resource type", re.I),
    re.compile(r"no matches for kind \"", re.I),
    re.compile(r"no matches for [^ ]*, Resource=", re.I),
    re.compile(r"resource mapping not found for name", re.I),
    re.compile(r"unable to recognize .*no matches for", re.I),
    re.compile(r"the server could not find the requested resource", re.I),
    re.compile(r"couldn't find resource for \"", re.I),
]


def is_resource_type_absent(text: str) -> bool:
    """True when kubectl's error text says the resource type (CRD) is not installed.

    A Forbidden error is NOT absence: RBAC hides nothing about whether a type exists.
    """
    text = " ".join(str(text or "").split())
    return any(p.search(text) for p in _ABSENT_PATTERNS)


_TYPE = re.compile(r"resource type \"([^\"]+)\"|no matches for kind \"([^\"]+)\""
                   r"|Resource=([a-z0-9.-]+)|\(get ([a-z0-9.-]+)\)")


def absent_type_name(text: str) -> str:
    """The resource type or kind the error names ("" when it names none)."""
    match = _TYPE.search(str(text or ""))
    return next((g for g in match.groups() if g), "") if match else ""
