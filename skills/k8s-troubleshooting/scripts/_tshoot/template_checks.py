"""What the apiserver will refuse in a training job's embedded pod templates.

A training object's schema does not validate the pod templates it embeds: the apiserver
accepts the job and refuses each Pod the operator then builds from them, so the job gets no
pods, and an operator that only emits a Warning event (kubeflow/mpi-operator v2beta1 before
#606) never writes a status (kubeflow/mpi-operator#604: the same mountPath twice). The checks
are kubernetes v1.37.2 pkg/apis/core/validation/validation.go's, with its wording:
ValidateVolumeMounts (`mountPath: Invalid value: "<p>": must be unique`) and
validateContainers (`name: Duplicate value: "<n>"`).
"""
from __future__ import annotations

from typing import Any

from _tshoot.training import KUBEFLOW_V1, replica_specs


def refusals(obj: dict[str, Any]) -> list[str]:
    """The field errors the apiserver would print for the job's pod templates."""
    kind = obj.get("kind", "")
    if kind not in KUBEFLOW_V1:
        return []
    field = KUBEFLOW_V1[kind][0]
    out = []
    for rtype, rspec in replica_specs((obj.get("spec") or {}).get(field)).items():
        pod = ((rspec.get("template") or {}).get("spec") or {}) if isinstance(rspec, dict) \
            else {}
        out += _pod_refusals(pod, f"spec.{field}.{rtype}.template.spec")
    return out


def _pod_refusals(pod: dict[str, Any], where: str) -> list[str]:
    out = []
    containers = [c for c in pod.get("containers") or [] if isinstance(c, dict)]
    names: set[str] = set()
    for i, container in enumerate(containers):
        name = str(container.get("name") or "")
        if name and name in names:
            out.append(f'{where}.containers[{i}].name: Duplicate value: "{name}"')
        names.add(name)
        paths: set[str] = set()
        for j, mount in enumerate(container.get("volumeMounts") or []):
            path = str((mount or {}).get("mountPath") or "") if isinstance(mount, dict) else ""
            if path and path in paths:
                out.append(f'{where}.containers[{i}].volumeMounts[{j}].mountPath: Invalid '
                           f'value: "{path}": must be unique')
            paths.add(path)
    return out
