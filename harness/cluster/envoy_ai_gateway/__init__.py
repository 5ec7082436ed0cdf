"""Envoy AI Gateway's controller: InferencePool support for the local Envoy Gateway.

Envoy Gateway's core refuses a backendRef to `inference.networking.k8s.io InferencePool`
(ResolvedRefs=False, InvalidKind) and never writes InferencePool status. Upstream support
comes through its extension manager: Envoy AI Gateway's controller
(github.com/envoyproxy/ai-gateway, built at pins.ENVOY_AI_GATEWAY) is the extension server
Envoy Gateway calls for InferencePool backends, and it writes the pools' `status.parents`
(Accepted, ResolvedRefs). It runs as a second local process, in its own private mount and
network namespaces (same sandbox as Envoy Gateway: it binds fixed ports such as :8080 and
:18002 that Envoy Gateway binds too), joined to the host (for the apiserver, which also
calls its pod webhook) and straight to Envoy Gateway's namespace (the extension calls).

- config.py: flags, its CRDs, the webhook configuration it insists on, the
  extensionManager section of Envoy Gateway's configuration;
- process.py: start, readiness, `cluster status` health.

`cluster up --no-ai-gateway` starts Envoy Gateway without it (routes to InferencePools are
then refused, as by Envoy Gateway alone).
"""
