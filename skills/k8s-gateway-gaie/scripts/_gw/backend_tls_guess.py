"""A gateway that speaks TLS to a backend nothing asked it to.

`tls: first record does not look like a TLS handshake` is Go's crypto/tls client reading a
plain (non-TLS) answer to its ClientHello (go1.26 src/crypto/tls/conn.go:669): the gateway
dialled the backend with TLS and the backend speaks plain HTTP. In Gateway API, TLS from the
gateway to a backend is what a BackendTLSPolicy configures (gateway-api v1.6.3
apis/v1/backendtlspolicy_types.go:31 "BackendTLSPolicy provides a way to configure how a
Gateway connects to a Backend via TLS"); a gateway that upgrades on its own, from the Service
port number 443 or an https-like port name, deviates from it (traefik/traefik#13247, fixed by
traefik/traefik#13935). Read only when the paste says no BackendTLSPolicy exists and holds
none: with one in the paste, TLS was asked for and the backend's TLS is the question.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

_NOT_TLS = re.compile(r"tls: first record does not look like a TLS handshake")
_NO_POLICY = re.compile(r"(?:\b(?:no|not\s+(?:any|using|use)|without(?:\s+any)?|zero)|"
                        r"n't\s+(?:have\s+)?(?:any|use))\s+(?:\w+\s+){0,2}?BackendTLSPolic(?:y|ies)\b",
                        re.IGNORECASE)
_PASTE = {"kind": "Text", "name": "paste"}


def findings(raw: list, index, found: list[dict]) -> list[dict]:
    """controller_contradicts_spec (inferred) when the gateway's TLS dial met a plain backend
    and the paste says no BackendTLSPolicy asked for TLS."""
    if any(f["severity"] in ("error", "warning") for f in found):
        return []  # a reported cause explains the failure already
    lines = [str(line) for line in raw or []]
    hit = next((line.strip() for line in lines if _NOT_TLS.search(line)), None)
    said = next((line.strip() for line in lines if _NO_POLICY.search(line)), None)
    if hit is None or said is None or index.of_kind("BackendTLSPolicy"):
        return []
    return [finding(
        "warning", "controller_contradicts_spec", _PASTE,
        "the gateway dialled the backend with TLS (Go's TLS client got a plain answer: "
        "`first record does not look like a TLS handshake`) although no BackendTLSPolicy asks "
        "for TLS to it: the implementation upgraded on its own, most often because the Service "
        "port is 443 or its name starts with https (Traefik before traefik/traefik#13935); "
        "Gateway API selects backend TLS only through a BackendTLSPolicy",
        [hit[:300], said[:300]],
        "expose the backend on another Service port (80, 8080) meanwhile; upgrade the "
        "implementation to a release that dials TLS only for a BackendTLSPolicy, or report it",
        basis="inferred", confirm="kubectl get backendtlspolicies -A; kubectl get svc <backend> "
        "-o jsonpath='{.spec.ports}'")]
