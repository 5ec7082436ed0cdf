"""Envoy Gateway: the local cluster's real Gateway API controller.

Its control plane (`envoy-gateway`, built from github.com/envoyproxy/gateway at
pins.ENVOY_GATEWAY) runs as a local process against the cluster, so GatewayClass, Gateway,
HTTPRoute and GRPCRoute status (Accepted, ResolvedRefs, Programmed, ...) is written by a
real implementation. The Envoy Deployments it creates land on KWOK nodes: their pods run
only as API objects, no image is pulled and no Envoy binary is needed.

- config.py: the EnvoyGateway configuration, its CRDs, the default GatewayClass `eg`;
- process.py: certgen, start, readiness, `cluster status` health;
- sandbox.py, netns.py: the private mount and network namespaces it runs in (fixed
  ports and the fixed /certs folder, and no route off the machine).

Needs root (namespaces, a veth pair); `cluster up --no-gateway-controller` starts without it.
"""
