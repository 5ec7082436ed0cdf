"""The API server's call to Kueue's CRD conversion webhook failing certificate verification for
a Kueue kind Kueue never converts: a CRD Kueue shipped wrong (kueue_bug), not the controller
down.

The API server converts a stored object to the version a client asks for by POSTing it to the
CRD's `spec.conversion.webhook.clientConfig` when `strategy: Webhook` and the versions differ,
and refuses the request with `conversion webhook for <group>/<version>, Kind=<Kind> failed:
<err>` (apiextensions-apiserver v0.37.2 pkg/apiserver/conversion/webhook_converter.go:286).
An `x509: ...` / `tls: failed to verify certificate` error there means a TLS server answered
(kueue-controller-manager serves; its log says `http: TLS handshake error from <addr>: remote
error: tls: bad certificate`, Go src/net/http/server.go:1933) but the CRD's caBundle does not
vouch for its certificate (Go crypto/x509/verify.go:157 "x509: certificate signed by unknown
authority"; crypto/tls/common.go:1817 "tls: failed to verify certificate: %s", Go 1.20+).

Kueue converts, and its internal certificate manager injects its CA into, only these CRDs:
localqueues, clusterqueues, workloads, cohorts, multikueueclusters (kueue v0.15.0..v0.19.2
pkg/util/cert/cert.go buildCertRotatorConfig, `cert.CRDConversion`; added by #7318). Before
v0.15 it injected into no CRD, while its Helm chart declared `strategy: Webhook` on every CRD
(charts/kueue/templates/crd/*.yaml v0.9.0..v0.14.0): harmless while each CRD served one
version. kubernetes-sigs/kueue#4850: v0.11.2's Topology CRD gained a stray `v1beta1` version
(served, storage v1alpha1; a Go type named Topology in the v1beta1 package), so reading a
Topology called a conversion webhook with no CA -> `x509: certificate signed by unknown
authority`; fixed in v0.11.3 by "Fix topology API version" (#4873, cherry-pick of #4866),
which removed that version. So a conversion call for any other Kueue kind is Kueue's CRD, and
the one fix is a release whose CRD serves a single version (or removing the stray version).

For the five converted kinds a certificate error is a CA not injected yet or by the wrong
injector (cert-manager's cainjector, the rotator's RBAC); that is left to messages.py."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# the kinds Kueue converts (see above); a conversion call for another Kueue kind is its CRD
CONVERTED = frozenset({"LocalQueue", "ClusterQueue", "Workload", "Cohort", "MultiKueueCluster"})
_CALL = re.compile(r"conversion webhook for kueue\.x-k8s\.io/(?P<version>\w+), "
                   r"Kind=(?P<kind>\w+) failed:(?P<err>[^\n]{0,600})")
# certificate verification failed on the API server's side: the server answered TLS
_CERT = re.compile(r"x509: [^\n\"\\]+|tls: failed to verify certificate")
_HANDSHAKE = re.compile(r"http: TLS handshake error from \S+: remote error: tls: bad certificate")

_FIX = ("a Kueue packaging defect: the CRD of that kind serves more than one version and names "
        "a conversion webhook Kueue neither runs nor gives a CA, so every read that needs a "
        "conversion is refused. Upgrade Kueue (kueue#4850: v0.11.2's Topology CRD, fixed in "
        "v0.11.3) and re-apply its CRDs; meanwhile the controller itself serves")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug (reported) per Kueue kind outside CONVERTED whose conversion call failed
    certificate verification; nothing for the kinds Kueue converts or for other failures."""
    text = "\n".join(str(t) for t in texts or [])
    seen: dict[str, str] = {}
    for hit in _CALL.finditer(text):
        cert = _CERT.search(hit.group("err"))
        if hit.group("kind") not in CONVERTED and cert:
            seen.setdefault(hit.group("kind"), " ".join(hit.group(0).split())[:300])
    handshake = _HANDSHAKE.search(text)
    return [finding("error", "kueue_bug", {"kind": "CustomResourceDefinition",
                                           "name": f"{_plural(kind)}.kueue.x-k8s.io"},
                    f"the API server cannot read {kind} objects: their CRD sends them to a "
                    "conversion webhook whose certificate it cannot verify, and Kueue converts "
                    f"no {kind} (it runs and injects a CA for LocalQueue, ClusterQueue, "
                    "Workload, Cohort and MultiKueueCluster only): a Kueue CRD shipped with "
                    "an extra version; kueue-controller-manager itself is up",
                    [f"API server: {said}"]
                    + ([f"Kueue's log: {handshake.group(0)}"] if handshake else []), _FIX,
                    basis="reported",
                    confirm=f"kubectl get crd {_plural(kind)}.kueue.x-k8s.io -o "
                            "jsonpath='{.spec.versions[*].name} {.spec.conversion.strategy}'")
            for kind, said in seen.items()]


def covers(found: dict[str, Any], bugs: list[dict[str, Any]]) -> bool:
    """A finding that reads one of these conversion calls as the manager not serving."""
    if found.get("cause") != "kueue_controller_down":
        return False
    said = str(found.get("message", "")) + " ".join(map(str, found.get("evidence") or []))
    crds = {str(bug["object"].get("name", "")) for bug in bugs}
    return any(f"{_plural(kind)}.kueue.x-k8s.io" in crds
               for kind in re.findall(r"Kind=(\w+) failed", said))


def _plural(kind: str) -> str:
    """The CRD's plural (controller-gen lower-cases the kind and adds -s, -y -> -ies)."""
    low = kind.lower()
    return low[:-1] + "ies" if low.endswith("y") else low + "s"
