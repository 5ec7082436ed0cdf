"""Envoy Gateway's `envoy TLS secret <ns>/envoy not found`: its own secret, not a listener's.

Envoy Gateway's translator looks up the client certificate Envoy uses towards the control
plane's own components (rate limit, wasm HTTP server): the Secret `envoy` in the controller's
namespace, which the certgen job creates at install (internal/gatewayapi/globalresources.go
ProcessGlobalResources, `envoy TLS secret %s/%s not found`, added in v1.4 by PR #5988,
commit 31a929c478; envoyproxy/gateway@d32f2829 still has it). The runner logs it as `errors
detected during translation` (internal/gatewayapi/runner/runner.go). No listener's
tls.certificateRefs is involved, so it is never listener_certificate_invalid.

Before v1.4.2 / v1.5.0 the provider also translated the resources of a GatewayClass it had
not accepted, without that namespace's secrets, so the line was logged although the Secret
existed (envoyproxy/gateway PR #6379, commit 5016dda445, cherry-picked to v1.4.2). The paste
alone cannot tell that spurious line from a Secret really missing (certgen not run), so the
finding is info and names the command that decides it.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

_OWN_SECRET = re.compile(r"\benvoy TLS secret (?P<ns>[\w.-]+)/(?P<name>[\w.-]+) not found\b")


def in_text(lines: list) -> bool:
    """The paste holds the line (a wording this skill reads)."""
    return any(_OWN_SECRET.search(str(line)) for line in lines or [])


def findings(raw: list) -> list[dict]:
    """One info finding for Envoy Gateway's own TLS secret reported not found."""
    lines = [str(line).strip() for line in raw or [] if _OWN_SECRET.search(str(line))]
    if not lines:
        return []
    hit = _OWN_SECRET.search(lines[0])
    ns, name = hit.group("ns"), hit.group("name")
    return [finding(
        "info", "control_plane_secret", {"kind": "Secret", "namespace": ns, "name": name},
        f"Envoy Gateway reports its own TLS Secret {ns}/{name} not found: the client "
        "certificate Envoy uses towards its control-plane services (made by the certgen job "
        "at install), not a listener's certificate. Before v1.4.2 / v1.5.0 this was logged "
        "spuriously while another GatewayClass was not accepted (envoyproxy/gateway PR #6379)",
        lines[:3],
        "if the Secret exists, nothing is wrong with your Gateways (upgrade to v1.4.2+ to stop "
        "the line, or fix / delete the GatewayClass that is not accepted); if it is missing, "
        "rerun the chart's certgen job (helm upgrade, or the envoy-gateway certgen Job)",
        basis="inferred", confirm=f"kubectl get secret -n {ns} {name}")]
