"""CRDs of the project's domains, read from the pinned Go modules at setup time.

Kueue's own CRDs come from harness.cluster.kueue.config (they need conversion-webhook wiring).
Folders read (never committed): gateway-api config/crd/<channel>/,
gateway-api-inference-extension config/crd/bases/, jobset config/components/crd/bases/,
lws config/crd/bases/.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from harness import yamlio

from harness import gomod

GATEWAY_CHANNELS = ("standard", "experimental")

SOURCES = {
    "gateway-api": "config/crd/{channel}",
    "gateway-api-inference-extension": "config/crd/bases",
    "jobset": "config/components/crd/bases",
    "leaderworkerset": "config/crd/bases",
}


# Kueue sets up its JobSet and LeaderWorkerSet integrations only when their CRDs exist, so
# these go in before Kueue starts; the Gateway API ones can be installed in parallel.
KUEUE_INTEGRATIONS = ("jobset", "leaderworkerset")
NETWORKING = ("gateway-api", "gateway-api-inference-extension")


def crd_files(gateway_channel: str = "experimental",
              keys: tuple[str, ...] = tuple(SOURCES)) -> list[Path]:
    """The upstream YAML files to install, in a stable order."""
    files = []
    for key in keys:
        folder = SOURCES[key]
        base = gomod.pinned_dir(key) / folder.format(channel=gateway_channel)
        files.extend(sorted(p for p in base.glob("*.yaml") if p.name != "kustomization.yaml"))
    return files


def objects(gateway_channel: str = "experimental",
            keys: tuple[str, ...] = tuple(SOURCES)) -> list[dict[str, Any]]:
    """Every object of those files (CRDs, plus Gateway API's safe-upgrade admission policy)."""
    out: list[dict[str, Any]] = []
    for path in crd_files(gateway_channel, keys):
        out.extend(doc for doc in yamlio.load_all(path.read_text()) if doc)
    return out


def without_embedded_pod_docs(obj: Any) -> Any:
    """Drop `description`s inside pod specs embedded in a CRD's schema.

    Kueue's Workload, JobSet and LeaderWorkerSet each embed a full PodSpec schema with
    every field's documentation, half of all the CRD bytes we install. The apiserver
    decodes, stores and builds OpenAPI from all of it, which dominates `cluster up`.
    Validation is unchanged (types, required fields, enums stay); only the prose goes,
    which `kubectl explain pod.spec...` still shows.
    """
    if isinstance(obj, dict):
        props = obj.get("properties")
        if isinstance(props, dict) and "containers" in props and "volumes" in props:
            return without_descriptions(obj)
        return {k: without_embedded_pod_docs(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [without_embedded_pod_docs(v) for v in obj]
    return obj


def without_descriptions(obj: Any) -> Any:
    """Every `description` dropped (a CRD's validation stays the same)."""
    if isinstance(obj, dict):
        return {k: without_descriptions(v) for k, v in obj.items() if k != "description"}
    if isinstance(obj, list):
        return [without_descriptions(v) for v in obj]
    return obj
