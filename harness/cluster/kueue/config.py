"""Kueue as a local process: its config, and its CRDs and webhooks wired to 127.0.0.1.

Kueue's webhooks (admission and CRD conversion) must be reachable by the apiserver and
there is no switch to turn them off, so, as Kueue's own envtest-based integration tests do,
every webhook clientConfig becomes `url: https://127.0.0.1:<port><path>` with our CA bundle.
Sources read at setup time from the pinned module (never committed):
config/components/crd/bases/*.yaml, the conversion patches config/components/crd/
kustomization.yaml enables (patches/webhook_in_*.yaml; not every file there is enabled),
config/components/webhook/manifests.yaml and kustomization.yaml (namespaceSelector),
config/components/manager/controller_manager_config.yaml (integrations list).
"""
from __future__ import annotations
from typing import Any

import base64
import copy
from pathlib import Path

from harness import gomod, yamlio

NAMESPACE = "kueue-system"
# Kueue v0.19 reads its metrics certificate from this fixed path when it does not manage
# its own certificates (cmd/kueue/main.go: metricsCertPath).
METRICS_CERT_DIR = Path("/etc/kueue/metrics/certs")
# From config/components/webhook/kustomization.yaml: job-type webhooks skip these namespaces.
SYSTEM_NAMESPACE_SELECTOR = {"matchExpressions": [{
    "key": "kubernetes.io/metadata.name", "operator": "NotIn",
    "values": ["kube-system", NAMESPACE]}]}


def module_config_dir() -> Path:
    return gomod.pinned_dir("kueue") / "config" / "components"


def crds(webhook_port: int, ca_pem: bytes) -> list[dict[str, Any]]:
    """Kueue's CRDs; those upstream's kustomization gives a conversion webhook point at
    127.0.0.1."""
    base = module_config_dir() / "crd"
    converted = {_load_one(base / p)["metadata"]["name"] for p in conversion_patch_files(base)}
    out = []
    for path in sorted((base / "bases").glob("*.yaml")):
        crd = _load_one(path)
        if crd["metadata"]["name"] in converted:
            crd["spec"]["conversion"] = conversion_patches(
                [crd["metadata"]["name"]], webhook_port, ca_pem)[0]["spec"]["conversion"]
        out.append(crd)
    return out


def conversion_patch_files(crd_dir: Path) -> list[str]:
    """The conversion-webhook patches upstream's crd/kustomization.yaml applies.

    Kueue v0.19 ships patches/webhook_in_resourceflavors.yaml but leaves it commented out
    there: v1beta1.ResourceFlavor has no conversion functions (apis/kueue/v1beta1 has no
    resourceflavor_conversion.go), the release's CRD converts it with strategy None, and a
    Webhook strategy makes every read of v1beta1 fail ("*v1beta2.ResourceFlavor is not
    convertible to *v1beta1.ResourceFlavor", controller-runtime pkg/webhook/conversion).
    """
    kustomization = yamlio.load((crd_dir / "kustomization.yaml").read_text()) or {}
    out = []
    for patch in kustomization.get("patches") or []:
        path = patch.get("path", "") if isinstance(patch, dict) else str(patch)
        if Path(path).name.startswith("webhook_in_"):
            out.append(path)
    return out


def conversion_patches(crd_names: list[str], webhook_port: int, ca_pem: bytes) -> list[dict[str, Any]]:
    """Partial CRDs (for server-side apply by their own field manager) that point those
    CRDs' conversion webhook at this cluster's Kueue."""
    return [{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
             "metadata": {"name": name},
             "spec": {"conversion": {"strategy": "Webhook", "webhook": {
                 "clientConfig": _client_config(webhook_port, "/convert", ca_pem),
                 "conversionReviewVersions": ["v1"]}}}} for name in crd_names]


def webhook_configurations(webhook_port: int, ca_pem: bytes) -> list[dict[str, Any]]:
    """Mutating and validating webhook configurations, renamed as the release names them."""
    path = module_config_dir() / "webhook" / "manifests.yaml"
    out = []
    for doc in yamlio.load_all(path.read_text()):
        doc = copy.deepcopy(doc)
        doc["metadata"] = {"name": "kueue-" + doc["metadata"]["name"],
                           "labels": {"app.kubernetes.io/name": "kueue"}}
        for hook in doc.get("webhooks", []):
            path_ = hook["clientConfig"]["service"].get("path", "/")
            hook["clientConfig"] = _client_config(webhook_port, path_, ca_pem)
            if not _targets_kueue_api(hook):
                hook["namespaceSelector"] = copy.deepcopy(SYSTEM_NAMESPACE_SELECTOR)
        out.append(doc)
    return out


def configuration(ports: dict[str, Any], cert_dir: Path, dra_mappings: list[dict[str, Any]],
                  wait_for_pods_ready: dict[str, Any] | None = None) -> dict[str, Any]:
    """Kueue's Configuration (config.kueue.x-k8s.io/v1beta2) for a local process.

    `ports`: webhook, health. Integrations are the shipped defaults.
    """
    shipped = yamlio.load((module_config_dir() / "manager" /
                              "controller_manager_config.yaml").read_text())
    config = {
        "apiVersion": "config.kueue.x-k8s.io/v1beta2",
        "kind": "Configuration",
        "namespace": NAMESPACE,
        "health": {"healthProbeBindAddress": f"127.0.0.1:{ports['health']}"},
        "metrics": {"bindAddress": "0"},  # not needed locally; "0" disables the listener
        "webhook": {"port": ports["webhook"], "host": "127.0.0.1", "certDir": str(cert_dir)},
        "leaderElection": {"leaderElect": False},
        "internalCertManagement": {"enable": False},
        "clientConnection": shipped.get("clientConnection", {"qps": 300, "burst": 500}),
        "integrations": shipped["integrations"],
    }
    if dra_mappings:
        config["resources"] = {"deviceClassMappings": dra_mappings}
    if wait_for_pods_ready is not None:
        config["waitForPodsReady"] = wait_for_pods_ready
    return config


def _client_config(port: int, path: str, ca_pem: bytes) -> dict[str, Any]:
    return {"url": f"https://127.0.0.1:{port}{path}",
            "caBundle": base64.b64encode(ca_pem).decode()}


def _targets_kueue_api(hook: dict[str, Any]) -> bool:
    return any("kueue.x-k8s.io" in rule.get("apiGroups", []) for rule in hook.get("rules", []))


def _load_one(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = yamlio.load(path.read_text())  # Kueue's shipped YAML: a mapping
    return doc
