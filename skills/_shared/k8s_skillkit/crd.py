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
from typing import Iterable

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


# --- a group/version a client asks for that the installed CRD does not serve ----------------
# A CRD serves the versions whose `spec.versions[].served` is true (apiextensions-apiserver
# v0.37.2 pkg/apis/apiextensions/types.go CustomResourceDefinitionVersion.Served); the API
# server answers 404 under /apis/<group>/<version> for any other, so a client built for an
# older version fails as if the kind were not installed (linkerd/linkerd2#13334: a policy
# controller asking for gateway.networking.k8s.io/v1alpha2 where the grpcroutes CRD serves
# only v1).
_VERSION = r"v\d+(?:(?:alpha|beta)\d+)?"
_API_PATH = re.compile(r"/apis/([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)/(" + _VERSION
                       + r")(?![\w.])")
_GET_CRD = re.compile(r"\bkubectl\b.*\bget\s+(?:crds?|customresourcedefinitions?"
                      r"(?:\.apiextensions\.k8s\.io)?)\s+([a-z0-9-]+(?:\.[a-z0-9-]+){2,})")
# one output line per version, its name then its served flag (`v1 served=true`, a jq or
# custom-columns listing of .spec.versions[].name and .served)
_SERVED_LINE = re.compile(r"^\s*(" + _VERSION + r")\b[\s:,=|]+(?:served[\s:=]*)?(true|false)\b",
                          re.IGNORECASE)


def api_paths(text: str) -> list[tuple[str, str]]:
    """(group, version) of each API path the text names (`/apis/g/v...`, a request URL).

    >>> api_paths("GET https://10.0.0.1/apis/gateway.networking.k8s.io/v1alpha2/grpcroutes")
    [('gateway.networking.k8s.io', 'v1alpha2')]
    """
    return [(m.group(1), m.group(2)) for m in _API_PATH.finditer(str(text or ""))]


_VERSION_PARTS = re.compile(r"v(\d+)(?:(alpha|beta)(\d+))?$")


def version_rank(version: str) -> tuple[int, int, int]:
    """Kubernetes API version priority as a sortable key: GA above beta above alpha, then by
    number (apimachinery's version priority; an unknown form ranks lowest).

    >>> sorted(["v1alpha2", "v1", "v1beta1", "v2", "v1alpha3"], key=version_rank)
    ['v1alpha2', 'v1alpha3', 'v1beta1', 'v1', 'v2']
    """
    hit = _VERSION_PARTS.match(str(version or ""))
    if not hit:
        return (-1, 0, 0)
    level = {"alpha": 0, "beta": 1, None: 2}[hit.group(2)]
    return (level, int(hit.group(1)), int(hit.group(3) or 0))


def served_versions(lines: Iterable[object],
                    crds: Iterable[object] = ()) -> dict[str, dict[str, bool]]:
    """CRD name -> {version: served}: from CRD objects (`spec.versions`) and from the output
    of a `kubectl get crd NAME ...` line that lists one version and its served flag a line.

    >>> served_versions(["$ kubectl get crd a.example.io -o json | jq ...", "v1 served=true"])
    {'a.example.io': {'v1': True}}
    """
    out: dict[str, dict[str, bool]] = {}
    for crd in crds:
        if not isinstance(crd, dict):
            continue
        versions = (crd.get("spec") or {}).get("versions") or []
        name = str((crd.get("metadata") or {}).get("name") or "")
        for v in versions:
            if name and isinstance(v, dict) and v.get("name"):
                out.setdefault(name, {})[str(v["name"])] = v.get("served") is True
    current = ""
    for line in lines or []:
        text = str(line)
        command = _GET_CRD.search(text)
        if command:
            current = command.group(1)
            continue
        row = _SERVED_LINE.match(text)
        if current and row:
            out.setdefault(current, {})[row.group(1)] = row.group(2).lower() == "true"
        elif text.strip():
            current = ""  # the listing ended
    return out
