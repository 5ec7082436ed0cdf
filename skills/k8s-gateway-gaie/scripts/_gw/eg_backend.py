"""Why Envoy Gateway refuses one of its own Backend objects (gateway.envoyproxy.io Backend), in
its own words: a route whose backendRef names it gets ResolvedRefs=False (reason
InvalidBackendRef / UnsupportedAddress in the status), or, before EG v1.1.1, was accepted
and sent to the address anyway (envoyproxy/gateway#4203, fixed by #4209).

Rules and messages: envoyproxy/gateway v1.9.0 internal/gatewayapi/backend.go validateBackend,
validateHostname, validateIP (the Host infrastructure, a dev mode, allows loopback and
single-label names; the Kubernetes provider does not).
"""
from __future__ import annotations

import ipaddress
import re

EG_GROUP = "gateway.envoyproxy.io"
# k8s.io/apimachinery validation.IsDNS1123Subdomain
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def problems(backend: dict) -> list[str]:
    """EG's refusal messages for this Backend's spec, in the order EG checks ([] = valid)."""
    spec = backend.get("spec") if isinstance(backend.get("spec"), dict) else {}
    endpoints = [e for e in spec.get("endpoints") or [] if isinstance(e, dict)]
    if spec.get("type") == "DynamicResolver" and endpoints:
        return ["DynamicResolver type cannot have endpoints specified"]
    out: list[str] = []
    for endpoint in endpoints:
        for key, kind in (("hostname", "hostname"), ("fqdn", "FQDN")):
            value = endpoint.get(key)
            name = value.get("hostname") if isinstance(value, dict) else value
            if isinstance(name, str) and name:
                out += _hostname(name, kind)
        ip = endpoint.get("ip")
        if isinstance(ip, dict) and not endpoint.get("fqdn"):
            out += _ip(str(ip.get("address") or ""))
    return out[:1]  # EG stops at the first


def _hostname(hostname: str, kind: str) -> list[str]:
    bare = hostname.rstrip(".")
    if len(bare) > 253 or not _DNS1123_SUBDOMAIN.match(bare):
        return [f"hostname {hostname} is not a valid {kind}"]
    if len(hostname.split(".")) < 2:
        return [f"hostname {hostname} should be a domain with at least two segments "
                "separated by dots"]
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return []
    return [f"hostname {hostname} is an IP address"]


def _ip(address: str) -> list[str]:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return [f"IP address {address} is invalid"]
    if ip.is_loopback:
        return [f"IP address {address} in the loopback range is only supported when using "
                "the Host infrastructure"]
    return []
