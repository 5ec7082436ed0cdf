"""A kubelet that does not trust its API server: credentials left from another cluster.

The kubelet reaches the API server with the cluster (CA) and user (client certificate) of its
--kubeconfig (client-go v0.37.2 tools/clientcmd/client_config.go:263, CAData from the
kubeconfig's certificate-authority-data). When that CA did not sign the API server's serving
certificate, Go's TLS client refuses the connection with `x509: certificate signed by unknown
authority` (go1.26.8 src/crypto/x509/verify.go:157, the same text since Go 1.0; Go 1.20+
prefixes `tls: failed to verify certificate: `, crypto/tls/common.go:1817), before any
authenticator or authorizer runs. Beside a line only the kubelet prints about its own Node
(kubernetes v1.37.2 pkg/kubelet/kubelet_node_status.go:75 `Attempting to register node`,
:104-119 `Unable to register node with API server`, :435/:479 `Error updating node status`,
:465 `Unable to update node status`; v1.9.0-v1.13.0 `Unable to register node "n" with API
server: ...`), the node's credentials are not this cluster's: a node moved or re-joined
with the old kubelet.conf kept. A kubeconfig that exists is used as is, the bootstrap
kubeconfig only when it does not (v1.37.2 cmd/kubelet/app/options/options.go:285-287), so a
join does not replace it (mj006648/netai-devsecops-runbook, datax-worker-rejoin-recovery
2026-07-24: the old cluster's CA in /etc/kubernetes/kubelet.conf, fixed by moving it and
/var/lib/kubelet/pki aside). Inferred: a proxy in front of the API server that terminates TLS
with a certificate of its own reads the same, so the finding names the command that repeats
the check with the kubelet's own kubeconfig.

Silent for an x509 error with no kubelet line near it (kubectl's own kubeconfig, an image
pull, a webhook) and for other x509 errors (`certificate is valid for A, not B`: a name the
certificate lacks; `has expired`: the certificate's dates).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_UNKNOWN_CA = re.compile(r"x509: certificate signed by unknown authority")
# lines the kubelet alone prints about registering or updating its own Node
_KUBELET_NODE = re.compile(r"\b(?:Attempting to register node|Unable to register node|"
                           r"Error updating node status|Unable to update node status)\b")
# an x509 error of another client: an image pull (the registry's certificate), a webhook
_OTHER_CLIENT = re.compile(r"\b(?:pull\w*|image|registry|webhook|conversion)\b", re.IGNORECASE)
# the node the kubelet names: node="n" (1.21+ structured logs), register node "n" (<= 1.20)
_NODE_NAME = re.compile(r"\bnode=\\?\"([\w.-]+)\\?\"|register node \\?\"([\w.-]+)\\?\"")
_NEAR = 2  # lines: a log excerpt pasted as the error and the kubelet's line around it


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """One node_credential_mismatch when a kubelet's Node line meets an unknown-CA error."""
    lines = [str(t) for t in texts]
    for i, line in enumerate(lines):
        if not _KUBELET_NODE.search(line):
            continue
        near = lines[max(0, i - _NEAR):i + _NEAR + 1]
        errors = [x for x in near if _UNKNOWN_CA.search(x) and not _OTHER_CLIENT.search(x)]
        if errors:
            return [_finding(line, errors[0])]
    return []


def _finding(kubelet_line: str, error_line: str) -> dict[str, Any]:
    name = _NODE_NAME.search(kubelet_line)
    node = (name.group(1) or name.group(2)) if name else ""
    evidence = [f"kubelet: {kubelet_line.strip()[:240]}"]
    if error_line is not kubelet_line:
        evidence.append(f"kubelet: {error_line.strip()[:240]}")
    return finding(
        "error", "node_credential_mismatch", {"kind": "Node", "name": node},
        "the kubelet does not trust the API server's certificate (x509: certificate signed by "
        "unknown authority): the CA in its kubeconfig did not sign this cluster's API server "
        "certificate, so its credentials are not this cluster's (another cluster's: a node "
        "moved or re-joined with the old kubelet.conf kept; or from before a CA rotation) and "
        "it cannot register or update its Node",
        evidence,
        "give the kubelet this cluster's credentials: move the old kubeconfig (kubeadm: "
        "/etc/kubernetes/kubelet.conf), /var/lib/kubelet/pki and the old ca.crt aside and join "
        "the node again (a kubelet uses an existing kubeconfig as is and bootstraps only "
        "without one); a proxy in front of the API server must pass TLS through",
        basis="inferred",
        confirm="on the node: kubectl --kubeconfig /etc/kubernetes/kubelet.conf get --raw "
                "/readyz (the kubelet's own kubeconfig; the same x509 error means its CA is not "
                "this cluster's)")
