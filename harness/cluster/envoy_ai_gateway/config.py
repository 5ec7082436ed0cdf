"""What Envoy AI Gateway's controller is given, and what Envoy Gateway is told about it.

Upstream sources (github.com/envoyproxy/ai-gateway at pins.ENVOY_AI_GATEWAY, read from the
Go module cache, never committed):
- manifests/envoy-gateway-values.yaml and examples/inference-pool/
  envoy-gateway-values-addon.yaml: Envoy Gateway's `extensionManager` (hooks, service,
  backendResources InferencePool v1), copied below but for the service address;
- manifests/charts/ai-gateway-helm/templates/admission_webhook.yaml: the pod mutator
  configuration whose CA bundle the controller patches at start-up (cmd/controller/main.go
  maybePatchAdmissionWebhook exits if it is missing);
- manifests/charts/ai-gateway-crds-helm/templates/*.yaml: its CRDs (plain YAML). Its
  controllers watch these kinds, so they must be served before it starts.
"""
from __future__ import annotations

from typing import Any
import ipaddress
from pathlib import Path

from harness import gomod, yamlio
from harness.cluster import crds
from harness.cluster.envoy_gateway import config as eg_config

NAMESPACE = "envoy-ai-gateway-system"  # the Helm chart's release namespace in the docs
EXTENSION_PORT = 1063  # cmd/controller: --port default ":1063"
WEBHOOK_PORT = 9443    # cmd/controller: --webhookPort default
METRICS_PORT = 8080    # controller-runtime's default metrics address, which it keeps
# The pair between Envoy Gateway's namespace and the controller's exists only inside those
# two namespaces: the same /30 serves every cluster (169.254.0.0/16 is never routed).
PEER_NETWORK = ipaddress.IPv4Network("169.254.101.0/30")
WEBHOOK_NAME = f"envoy-ai-gateway-gateway-pod-mutator.{NAMESPACE}"


def controller_args(cert_dir: str) -> list[str]:
    """Its command-line flags. Its listeners take every address of its own namespace:
    the host end of its pair (apiserver -> webhook) and the pair to Envoy Gateway's."""
    return ["--envoyGatewayNamespace", eg_config.NAMESPACE,
            "--enableLeaderElection=false",  # one local process, as for Envoy Gateway
            "--port", f":{EXTENSION_PORT}", "--webhookPort", str(WEBHOOK_PORT),
            "--tlsCertDir", cert_dir]


def extension_manager(extension_ip: str) -> dict[str, Any]:
    """Envoy Gateway's `extensionManager`: upstream's hooks plus the InferencePool backend
    resource; the service is the controller's address on the pair between the namespaces."""
    return {
        "hooks": {"xdsTranslator": {
            "translation": {kind: {"includeAll": True}
                            for kind in ("listener", "route", "cluster", "secret")},
            "post": ["Translation", "Cluster", "Route"]}},
        "service": {"ip": {"address": extension_ip, "port": EXTENSION_PORT}},
        "backendResources": [{"group": "inference.networking.k8s.io",
                              "kind": "InferencePool", "version": "v1"}],
    }


def namespace() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}


def webhook_configuration(inside_ip: str, ca_pem: bytes) -> dict[str, Any]:
    """The chart's pod mutator (it adds the external-processor sidecar to Envoy pods of
    Gateways with AIGatewayRoutes), reached by URL instead of a Service. Two departures,
    both so that a stopped controller can never block pods elsewhere in the cluster: it
    sees only Envoy Gateway's namespace (where the Envoy pods are), and it fails open."""
    import base64
    return {
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": WEBHOOK_NAME},
        "webhooks": [{
            "name": f"ai-gateway-controller.{NAMESPACE}.svc.cluster.local",
            "clientConfig": {"url": f"https://{inside_ip}:{WEBHOOK_PORT}/mutate",
                             "caBundle": base64.b64encode(ca_pem).decode()},
            "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"],
                       "resources": ["pods"]}],
            "namespaceSelector": {"matchLabels": {
                "kubernetes.io/metadata.name": eg_config.NAMESPACE}},
            "sideEffects": "None", "admissionReviewVersions": ["v1"], "timeoutSeconds": 10,
            "failurePolicy": "Ignore",
        }],
    }


def crd_files() -> list[Path]:
    base = gomod.pinned_dir("envoy-ai-gateway") / "manifests" / "charts" \
        / "ai-gateway-crds-helm" / "templates"
    return sorted(base.glob("aigateway.envoyproxy.io_*.yaml"))


def crd_objects() -> list[dict[str, Any]]:
    """Its CRDs (AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, GatewayConfig,
    MCPRoute, QuotaPolicy), without field documentation, like Envoy Gateway's."""
    return [crds.without_descriptions(doc) for path in crd_files()
            for doc in yamlio.load_all(path.read_text()) if doc]
