"""istiod refusing a Gateway's certificate as a cross-namespace reference the paste shows is not.

istiod's SDS server lets a Kubernetes Gateway's proxy read only the certificate references
its Gateway translation verified: "a Secret in the same namespace as the Gateway ..., or a
ReferencePolicy allowing the reference"; any other is denied, and the log says
`proxy <id> attempted to access unauthorized certificates <names>: cross namespace secret
reference requires ReferenceGrant` whatever the reason was (istio 1.28.10
pilot/pkg/xds/sds.go:270-283 filterAuthorizedResources, :317-319 the default message; `...
requires ReferencePolicy` up to 1.26, 1.24.0 sds.go:292). The
Gateway API needs a ReferenceGrant only across namespaces (gateway-api apis/v1beta1
referencegrant_types.go; apis/v1 GatewayTLSConfig.CertificateRefs "a ReferenceGrant in the
referent namespace"). So the refusal of a Secret in the Gateway's own namespace, or of one a
ReferenceGrant in the paste permits, is istiod failing to verify the reference (the
`<name>-cacert` CA resource of a MUTUAL/OPTIONAL_MUTUAL or frontend-validation listener:
istio/istio#60277 fixed by #60278, #60618 fixed by #60720; the second certificateRef of
merged Gateways: #58878), not a missing grant.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

from _gw.objects import grant_allows, meta

SDS_DENIED = re.compile(r"attempted to access unauthorized certificates\s+(?P<names>[^:]+?):\s*"
                        r"cross namespace secret reference requires Reference(?:Grant|Policy)", re.I)
# Istio's CA-only SDS resource of a credential (security/pkg/model SdsCaSuffix)
_CA_SUFFIX = "-cacert"
_SAME_NS_SAID = re.compile(r"\bsame[- ]namespace\b[^.\n]{0,40}?\b(?:secrets?|credentials?|"
                           r"certs?|certificates?|CA)\b|\b(?:secrets?|credentials?|certs?|"
                           r"certificates?)\b[^.\n]{0,60}?\b(?:in|from)\s+the\s+same\s+namespace\b",
                           re.I)
_GRANT_SAID = re.compile(r"\b(?:(?:a|an|the)\s+)?(?:\w+\s+){0,2}?valid\s+ReferenceGrants?\b|"
                         r"\bReferenceGrants?\b[^.\n]{0,40}?\b(?:exists?|is\s+(?:there|in\s+place|"
                         r"present|configured)|was\s+(?:there|created|in\s+place))\b", re.I)
_NEGATED = re.compile(r"\b(?:no|not|without|missing|never|n't)\b", re.I)


def refused_reference(f: dict, index, lines) -> dict | None:
    """controller_contradicts_spec for istiod's SDS refusal when the paste shows the Secret in
    the Gateway's namespace or a ReferenceGrant permitting it (its objects: reported; its
    words: inferred)."""
    text = " ".join(str(e) for e in f.get("evidence") or [])
    hit = SDS_DENIED.search(" ".join(text.split()))
    if hit is None:
        return None
    names = [n.strip() for n in hit.group("names").split(",") if n.strip()]
    bases = {n[:-len(_CA_SUFFIX)] if n.endswith(_CA_SUFFIX) else n for n in names}
    why, basis = _shown(index, bases), "reported"
    if why is None:
        why, basis = _said(lines), "inferred"
    if why is None:
        return None
    return finding(
        "warning", "controller_contradicts_spec", f["object"],
        f"istiod refused {', '.join(names)} as a cross-namespace Secret without ReferenceGrant, "
        f"but {why}: a Secret in the Gateway's own namespace needs no grant, and a granted one "
        "is allowed, so istiod failed to verify a reference the Gateway API permits (its "
        "defect, not a missing grant)", list(f.get("evidence") or []),
        "upgrade istiod to a release that verifies this reference (the -cacert CA resource of "
        "MUTUAL / OPTIONAL_MUTUAL and frontend-validation listeners: istio/istio#60278, "
        "#60720; the extra certificateRefs of merged Gateways: #58878); a ReferenceGrant does "
        "not help here. Meanwhile use the listener setting istiod verifies (one certificateRef, "
        "MUTUAL instead of OPTIONAL_MUTUAL)", basis=basis,
        confirm="" if basis == "reported" else "kubectl get gateway,referencegrant -A -o yaml "
        "(the Gateway's namespace, the Secret's, and a grant from Gateway to Secret there)")


def _shown(index, secrets: set[str]) -> str | None:
    """Why the paste's objects permit the reference: the Secret in the Gateway's namespace, or
    a ReferenceGrant for it."""
    for gw in index.of_kind("Gateway"):
        ns = meta(gw, "namespace")
        for ref in _secret_refs(gw):
            if ref.get("name") not in secrets:
                continue
            target = ref.get("namespace") or ns
            if not ns or target == ns:
                return (f"Gateway {ns}/{meta(gw, 'name')} names Secret {ref['name']} in its own "
                        "namespace")
            if grant_allows(index, "Gateway", ns, "", "Secret", target, ref["name"]):
                return (f"a ReferenceGrant in {target} lets Gateways of {ns} refer to Secret "
                        f"{ref['name']}")
    return None


def _secret_refs(gw: dict) -> list[dict]:
    """The Secret references of a Gateway: listener certificateRefs and the frontend CA refs
    (gateway-api v1.4+ spec.tls.frontend.{default,perPort[].tls}.validation.caCertificateRefs)."""
    spec = gw.get("spec") or {}
    refs = [r for lst in spec.get("listeners") or [] if isinstance(lst, dict)
            for r in ((lst.get("tls") or {}).get("certificateRefs") or [])]
    frontend = (spec.get("tls") or {}).get("frontend") or {}
    configs = [frontend.get("default") or {}] + [(p or {}).get("tls") or {} for p in
                                                 frontend.get("perPort") or []]
    refs += [r for c in configs for r in ((c.get("validation") or {}).get(
        "caCertificateRefs") or [])]
    return [r for r in refs if isinstance(r, dict) and (r.get("kind") or "Secret") == "Secret"
            and (r.get("group") or "") in ("", "core") and r.get("name")]


def _said(lines) -> str | None:
    for line in lines or []:
        text = str(line)
        for regex, why in ((_SAME_NS_SAID, "the paste says the Secret is in the Gateway's own "
                            "namespace"), (_GRANT_SAID, "the paste says a ReferenceGrant "
                                           "permits it")):
            hit = regex.search(text)
            if hit and not _NEGATED.search(hit.group(0)):
                return why
    return None

