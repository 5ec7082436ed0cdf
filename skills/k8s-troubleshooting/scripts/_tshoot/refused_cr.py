"""The API server refusing an object of the GPU stack (the GPU Operator's ClusterPolicy, a
device plugin's DaemonSet) as invalid, in a paste with no log line of a GPU component: the
refusal is the cause (spec_invalid), and a custom resource refused during a `helm upgrade` is
read as a CRD older than the chart."""
from __future__ import annotations

import re
from itertools import takewhile
from typing import Any

from k8s_skillkit import invalid_errors
from k8s_skillkit.findings import finding

# Helm's own wording around the apiserver's error (helm pkg/kube/client.go updateResource:
# `cannot patch %q with kind %s`, under `Error: UPGRADE FAILED:`; NVIDIA/gpu-operator#139)
_HELM_UPGRADE = re.compile(r"\bUPGRADE FAILED\b|\bhelm\s+upgrade\b", re.I)
# the built-in API groups with a dot (the rest of the apiserver's own are one word: apps,
# batch, policy, autoscaling): any other dotted group is a CustomResourceDefinition's
_BUILT_IN = re.compile(r"(?:admissionregistration|apiextensions|apiregistration|authentication|"
                       r"authorization|rbac\.authorization|certificates|coordination|discovery|"
                       r"events|flowcontrol\.apiserver|internal\.apiserver|networking|node|"
                       r"resource|scheduling|storage|storagemigration)\.k8s\.io")
# what a schema older than the chart refuses: a field it still requires that the new chart no
# longer sets, or one it does not know yet
_SCHEMA_TYPES = ("Required value", "Unknown field")
_UNKNOWN_SAID = re.compile(r"field not declared in schema|unknown field", re.I)
OBJECT_KIND = "CustomResource"


def custom_group(kind: str) -> str:
    """The API group of `Kind.group` when it is a CustomResourceDefinition's, else "".

    >>> custom_group("ClusterPolicy.nvidia.com")
    'nvidia.com'
    >>> custom_group("Deployment.apps"), custom_group("Ingress.networking.k8s.io")
    ('', '')
    """
    group = kind.partition(".")[2]
    return group if "." in group and not _BUILT_IN.fullmatch(group) else ""


def _stale_schema(inv: invalid_errors.Invalid) -> bool:
    return any(e.type in _SCHEMA_TYPES or _UNKNOWN_SAID.search(e.detail) for e in inv.errors)


# A field error quoted without its `KIND "NAME" is invalid:` head (a console, an operator's
# status or a commit message shows only the field list): apimachinery pkg/util/validation/
# field/errors.go Error.Error() `FIELD: TYPE: VALUE: DETAIL`, here the two types whose detail
# only validation writes: NotSupported's `Unsupported value: "V": supported values: "a", "b"`
# (a CRD schema's enum refusal, apiextensions-apiserver pkg/apiserver/validation ConvertErrors
# -> field.NotSupported; NVIDIA/gpu-operator commit 5831d10: ClusterPolicy's
# `spec.operator.defaultRuntime: Unsupported value: "": supported values: "docker", "crio",
# "containerd"`, line-wrapped) and Required's `Required value` on a spec/metadata path. The
# path must start a line and name an object's field (spec., metadata., data.), so prose that
# merely mentions "Unsupported value" stays silent.
_HEADLESS = re.compile(r"^[ \t>*-]*((?:spec|metadata|data|stringData)(?:\.[\w$/-]+(?:\[[^\]\n]*\])?)+)"
                       r": (Unsupported value: (?:\\?\"[^\"\n]*\\?\"|\S+): supported values:|"
                       r"Required value\b)", re.M)
_WRAPPED = re.compile(r'\s*\\?"[^"\n]*\\?"(?:,|\s*$)')


def _headless(text: str) -> invalid_errors.Invalid | None:
    m = _HEADLESS.search(text)
    if m is None:
        return None
    # the error's line and the lines a console wrapped its value list onto ("a", "b")
    lines = text[m.start(1):].splitlines()
    block = [lines[0]] + list(takewhile(lambda ln: _WRAPPED.match(ln), lines[1:]))
    quote = " ".join(" ".join(block).split())
    errs = invalid_errors.field_errors(quote)
    return invalid_errors.Invalid("", "", errs, quote) if errs else None


def _unset_enum_fix(inv: invalid_errors.Invalid) -> str:
    """An enum refusing the empty string: the field was left unset (or emptied) while the
    schema still requires one of its values (NVIDIA/gpu-operator 5831d10: ClusterPolicy's
    deprecated spec.operator.defaultRuntime dropped from the examples, its enum kept)."""
    unset = [e for e in inv.errors
             if e.type == "Unsupported value" and re.match(r'\\?""\s*:\s*supported values', e.detail)]
    if not unset:
        return ""
    return (f"{unset[0].field} is empty but the schema only accepts the listed values: set one "
            "of them in the object, or, when the field is deprecated and your manifest or the "
            "operator's example leaves it out, install the CRD of a release that no longer "
            "enforces it (kubectl explain <kind>.<path> shows what the cluster's schema wants)")


def refused_findings(texts: list[str]) -> list[dict[str, Any]]:
    """spec_invalid for the first validation refusal in the texts; [] without one."""
    text = "\n".join(texts)
    inv = invalid_errors.parse(text) or _headless(text)
    if inv is None:
        return []
    errs = "; ".join(" ".join(f"{e.field}: {e.type}: {e.detail}".split()).rstrip(": ")
                     for e in inv.errors[:3])
    kind = inv.kind.split(".")[0] or "the object"
    obj = {"kind": kind if inv.kind else OBJECT_KIND, "name": inv.name}
    message = f"the API server refuses {kind} {inv.name}".rstrip() + " as invalid" + (
        f": {errs[:300]}" if errs else "")
    group = custom_group(inv.kind)
    if not (group and _HELM_UPGRADE.search(text) and _stale_schema(inv)):
        return [finding("error", "spec_invalid", obj, message, [inv.quote[:400]],
                        _unset_enum_fix(inv) or invalid_errors.fix_for(inv), basis="reported")]
    # Helm installs a chart's crds/ on the first install only and never upgrades them
    # (helm.sh/docs/chart_best_practices/custom_resource_definitions: "There is no support at
    # this time for upgrading or deleting CRDs using Helm"; helm.sh/docs/topics/charts
    # "Limitations on CRDs"): after `helm upgrade` the cluster validates the chart's new
    # resource against the old schema (NVIDIA/gpu-operator#139: ClusterPolicy 1.4's required
    # spec.operator.deployGFD, dropped in 1.5, refused the 1.5.1 chart's object)
    return [finding(
        "error", "spec_invalid", obj,
        message + f"; refused during a helm upgrade, for a field of a {group} custom resource: "
        "the CustomResourceDefinition in the cluster is older than the chart (helm never "
        "upgrades a chart's CRDs), so its schema requires or lacks a field the new chart's "
        "object does not",
        [inv.quote[:400]],
        "apply the CRDs of the chart release you upgrade to, then run helm upgrade again: "
        "helm pull <repo>/<chart> --version <new> --untar, then kubectl apply --server-side "
        "-f <chart>/crds/ (or the operator's documented CRD upgrade step); deleting the CRD "
        "instead deletes every object of that kind",
        basis="reported",
        confirm=f"kubectl get crd -o name | grep '{group}$', then kubectl get crd <name> "
                "-o yaml: the schema's required fields and versions")]
