"""CRDs of the project's domains, read from the pinned Go modules at setup time.

Kueue's own CRDs come from harness.cluster.kueue (they need conversion-webhook wiring).
Folders read (never committed): gateway-api config/crd/<channel>/,
gateway-api-inference-extension config/crd/bases/, jobset config/components/crd/bases/,
lws config/crd/bases/.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from harness import gomod

GATEWAY_CHANNELS = ("standard", "experimental")

SOURCES = {
    "gateway-api": "config/crd/{channel}",
    "gateway-api-inference-extension": "config/crd/bases",
    "jobset": "config/components/crd/bases",
    "leaderworkerset": "config/crd/bases",
}


def crd_files(gateway_channel: str = "experimental") -> list[Path]:
    """The upstream YAML files to install, in a stable order."""
    files = []
    for key, folder in SOURCES.items():
        base = gomod.pinned_dir(key) / folder.format(channel=gateway_channel)
        files.extend(sorted(p for p in base.glob("*.yaml") if p.name != "kustomization.yaml"))
    return files


def objects(gateway_channel: str = "experimental") -> list[dict]:
    """Every object of those files (CRDs, plus Gateway API's safe-upgrade admission policy)."""
    out = []
    for path in crd_files(gateway_channel):
        out.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return out
