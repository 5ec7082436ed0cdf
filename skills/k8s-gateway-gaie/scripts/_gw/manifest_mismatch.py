"""An implementation's CRD refusing a manifest written for another release of it.

Gateway implementations ship their own CRDs (TargetGroupConfiguration, policies) with their
Helm chart or manifests, and `helm upgrade` never upgrades CRDs
(https://helm.sh/docs/chart_best_practices/custom_resource_definitions/: "There is no support
at this time for upgrading or deleting CRDs using Helm"). A manifest copied from the current docs then meets an older
schema: the API server refuses it with `Required value` for the field the installed release
names differently (apimachinery pkg/api/errors NewInvalid, `KIND.GROUP "NAME" is invalid:
FIELD: Required value`). When the pasted manifest sets, at that same place, a field whose
name ends or starts with the required one (`routeIdentifier` where the installed CRD
requires `identifier`), the field was renamed between releases: the manifest and the
installed CRD are of different releases (kubernetes-sigs/aws-load-balancer-controller#4249:
the maintainer applied the same TargetGroupConfiguration and answered that the cluster had
the older CRD, "apply the latest CRD").

>>> _renamed("identifier", {"routeIdentifier": {}, "targetGroupProps": {}})
'routeIdentifier'
>>> _renamed("identifier", {"targetGroupProps": {}}) is None
True
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.invalid_errors import parse as parse_invalid

from _gw.api_refusal import kind_of
from _gw.objects import meta

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_INDEX = re.compile(r"\[\d+\]")


def findings(lines, index) -> list[dict]:
    out: list[dict] = []
    for line in lines or []:
        refusal = parse_invalid(str(line))
        if refusal is None or not refusal.kind or kind_of(refusal.kind):
            continue  # a Gateway API kind: api_refusal.py reads it by its field
        kind = refusal.kind.partition(".")[0]
        for obj in index.of_kind(kind):
            if refusal.name and meta(obj, "name") != refusal.name:
                continue
            for err in refusal.errors:
                hit = _mismatch(obj, err.field) if err.type == "Required value" else None
                if hit is not None:
                    out.append(_finding(refusal, obj, err.field, hit))
                    return out
    return out


def _mismatch(obj: dict, path: str) -> str | None:
    """The manifest's field at path's parent that looks like the required one renamed."""
    parent_path, _, leaf = path.rpartition(".")
    parent = _walk(obj, parent_path)
    if not isinstance(parent, dict) or leaf in parent:
        return None
    return _renamed(leaf, parent)


def _renamed(leaf: str, parent: dict) -> str | None:
    want = leaf.lower()
    for key in parent:
        low = str(key).lower()
        if low != want and len(want) >= 3 and (low.endswith(want) or low.startswith(want)):
            return str(key)
    return None


def _walk(obj, path: str):
    node = obj
    for name, index in _STEP.findall(path):
        if name:
            node = node.get(name) if isinstance(node, dict) else None
        else:
            i = int(index)
            node = node[i] if isinstance(node, list) and i < len(node) else None
        if node is None:
            return None
    return node


def _finding(refusal, obj: dict, field: str, present: str) -> dict:
    parent = field.rpartition(".")[0]
    kind = str(obj.get("kind"))
    explain = f"kubectl explain {kind.lower()}.{_INDEX.sub('', parent)}"
    return finding(
        "error", "manifest_api_mismatch",
        {"kind": kind, "name": meta(obj, "name"), "namespace": meta(obj, "namespace")},
        f"the API server refused {kind} {meta(obj, 'name')}: the installed CRD requires "
        f"{field}, where the manifest sets {present}: the manifest is written for another "
        f"release of {obj.get('apiVersion', '').partition('/')[0] or 'the implementation'}'s "
        "CRDs than the one installed (a field renamed between releases)",
        [refusal.quote[:300], f"manifest: {parent}.{present}"],
        "install the CRDs of the controller release you run (Helm does not upgrade CRDs: "
        "apply the release's CRD manifests, e.g. kubectl apply -k or -f of its crds/ "
        "folder), or write the manifest with the field names the installed CRD has",
        basis="inferred", confirm=explain)
