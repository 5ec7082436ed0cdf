"""What Envoy Gateway is given: its EnvoyGateway configuration, its own CRDs, and the
default GatewayClass and Gateway that `cluster up` creates.

Upstream sources (github.com/envoyproxy/gateway at the pinned version, read from the Go
module cache, never committed):
- charts/gateway-helm/values.tmpl.yaml `config.envoyGateway`: the shipped configuration
  (controllerName, provider Kubernetes, logging info), which ours starts from.
- charts/gateway-crds-helm/templates/generated/*.yaml: its CRDs, each wrapped in one
  `{{- if .Values.crds.envoyGateway.enabled }}` ... `{{- end }}` Helm guard.
- examples/kubernetes/quickstart.yaml: the GatewayClass is named `eg` there too.
"""
from __future__ import annotations
from typing import Any

from pathlib import Path

from harness import gomod, yamlio
from harness.cluster import crds
from harness.errors import UserError

NAMESPACE = "envoy-gateway-system"  # internal/envoygateway/config: DefaultNamespace
CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller"
GATEWAY_CLASS = "eg"
# A shared Gateway any namespace's routes may attach to, for scenarios and quick tries.
SHARED_GATEWAY_NAMESPACE = "gateway-infra"
SHARED_GATEWAY = "shared"
# Only KWOK nodes carry this label (topology.node); the real kubelet node does not, so no
# Envoy pod is ever started (and no Envoy image ever pulled) on a real node.
PROXY_NODE_SELECTOR = {"type": "kwok"}
HEALTH_PORT = 8081  # internal/provider/kubernetes/kubernetes.go: healthProbeBindAddress


def envoy_gateway_config(extension_manager: dict[str, Any] | None = None) -> dict[str, Any]:
    """The EnvoyGateway configuration file (gateway.envoyproxy.io/v1alpha1).

    Departures from the Helm chart's defaults, each because it runs as one local process:
    - leader election off (one replica; saves the lease round-trips at start-up);
    - the proxy topology injector off (a pod webhook the apiserver could not reach);
    - the default EnvoyProxy puts the data plane on KWOK nodes behind a ClusterIP Service:
      with the default LoadBalancer type nothing would ever assign an address and every
      Gateway would stay Programmed=False (AddressNotAssigned), as on a bare cluster.
    With `extension_manager`, Envoy Gateway calls that extension server (InferencePool
    backends, see harness.cluster.envoy_ai_gateway).
    """
    extension = {"extensionManager": extension_manager} if extension_manager else {}
    return {
        "apiVersion": "gateway.envoyproxy.io/v1alpha1",
        "kind": "EnvoyGateway",
        "gateway": {"controllerName": CONTROLLER_NAME},
        "provider": {"type": "Kubernetes", "kubernetes": {
            "leaderElection": {"disable": True},
            "proxyTopologyInjector": {"disabled": True},
        }},
        "logging": {"level": {"default": "info"}},
        "extensionApis": {},
        "envoyProxy": {"provider": {"type": "Kubernetes", "kubernetes": {
            "envoyService": {"type": "ClusterIP"},
            "envoyDeployment": {"replicas": 1,
                                "pod": {"nodeSelector": dict(PROXY_NODE_SELECTOR)}},
        }}},
        **extension,
    }


def default_objects() -> list[dict[str, Any]]:
    """The cluster's GatewayClass `eg` and a Gateway `gateway-infra/shared` (HTTP :80,
    routes from every namespace)."""
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": SHARED_GATEWAY_NAMESPACE}},
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
         "metadata": {"name": GATEWAY_CLASS},
         "spec": {"controllerName": CONTROLLER_NAME,
                  "description": "Envoy Gateway (local control plane; Envoy pods on KWOK "
                                 "nodes)"}},
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
         "metadata": {"name": SHARED_GATEWAY, "namespace": SHARED_GATEWAY_NAMESPACE},
         "spec": {"gatewayClassName": GATEWAY_CLASS, "listeners": [{
             "name": "http", "protocol": "HTTP", "port": 80,
             "allowedRoutes": {"namespaces": {"from": "All"}}}]}},
    ]


def namespace() -> dict[str, Any]:
    """Where certgen writes its Secrets and the Envoy Deployments go."""
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}


def crd_files() -> list[Path]:
    base = gomod.pinned_dir("envoy-gateway") / "charts" / "gateway-crds-helm" / "templates" \
        / "generated"
    return sorted(base.glob("gateway.envoyproxy.io_*.yaml"))


def crd_objects() -> list[dict[str, Any]]:
    """Envoy Gateway's own CRDs (EnvoyProxy, Backend, HTTPRouteFilter and the policies).

    Without them Envoy Gateway still runs (it checks each kind at start-up and skips the
    missing ones), but a route's ExtensionRef to an HTTPRouteFilter or a backendRef to a
    Backend is then unresolved. They must be served before it starts: kinds found missing
    at start-up are never watched. Their field documentation is dropped (1.3 MB -> 0.4 MB
    of schema the apiserver must digest while `cluster up` waits); validation is unchanged,
    and the prose is in the module's CRD files and Envoy Gateway's API reference.
    """
    out: list[dict[str, Any]] = []
    for path in crd_files():
        out.extend(crds.without_descriptions(doc)
                   for doc in yamlio.load_all(_strip_helm_guard(path.read_text())))
    return out


def _strip_helm_guard(text: str) -> str:
    """Drop the `{{- if ... }}` / `{{- end }}` lines around each generated CRD; anything
    else templated would not be plain YAML, so it is refused."""
    lines = [line for line in text.splitlines()
             if not (line.startswith("{{- if .Values.crds.") or line.strip() == "{{- end }}")]
    body = "\n".join(lines)
    if "{{" in body:
        raise UserError("an Envoy Gateway CRD file holds a Helm template other than the "
                        "crds.envoyGateway.enabled guard: check pins.ENVOY_GATEWAY")
    return body
