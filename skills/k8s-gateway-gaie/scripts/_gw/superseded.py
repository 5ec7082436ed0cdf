"""A controller that asks for a Gateway API version the installed, newer CRDs stopped serving.

"The server could not find the requested resource" / "no matches for kind X in version Y" is
crd_not_installed when the kind's CRD is absent, but crd_version_unsupported when the CRD is
there and newer than the controller: the bundle promoted the kind and no longer serves the
version the controller was built for. The paste tells them apart only by what it shows of the
installed bundle: a CRD's served versions, a Gateway API release it names, or a `served:
false` it states.

When each version stopped being served (config/crd/{standard,experimental}/ at the tags,
kubernetes-sigs/gateway-api): GatewayClass/Gateway/HTTPRoute v1alpha2 served: false from
v0.8.0 in both channels; GRPCRoute and ReferenceGrant v1alpha2 served: false in standard at
v1.1.0, gone from both at v1.2.0; BackendTLSPolicy v1alpha2 gone at v1.1.0, v1alpha3 served:
false in standard from v1.4.0; TLSRoute v1alpha2/v1alpha3 served: false in standard from
v1.5.0 (v1 GA); TCPRoute/UDPRoute v1alpha2 served: false in standard from v1.6.0. The
experimental channel keeps serving the TLS/TCP/UDP alphas and BackendTLSPolicy v1alpha3.
Real cases: agentgateway/agentgateway#1110, cilium/cilium#45139, kubernetes-sigs/kubespray
#13222, traefik/traefik#13622, linkerd/linkerd2#13334.
"""
from __future__ import annotations

import re

from k8s_skillkit import crd

_GROUP = "gateway.networking.k8s.io"
_FAR = (99, 0)
# (kind, version) -> (GA version, standard release from which it is unserved, experimental one)
_STOPS: dict[tuple[str, str], tuple[str, tuple[int, int], tuple[int, int]]] = {
    ("gatewayclass", "v1alpha2"): ("v1", (0, 8), (0, 8)),
    ("gateway", "v1alpha2"): ("v1", (0, 8), (0, 8)),
    ("httproute", "v1alpha2"): ("v1", (0, 8), (0, 8)),
    ("referencegrant", "v1alpha2"): ("v1beta1", (1, 1), (1, 2)),
    ("grpcroute", "v1alpha2"): ("v1", (1, 1), (1, 2)),
    ("backendtlspolicy", "v1alpha2"): ("v1", (1, 1), (1, 1)),
    ("backendtlspolicy", "v1alpha3"): ("v1", (1, 4), _FAR),
    ("tlsroute", "v1alpha2"): ("v1", (1, 5), _FAR),
    ("tlsroute", "v1alpha3"): ("v1", (1, 5), _FAR),
    ("tcproute", "v1alpha2"): ("v1", (1, 6), _FAR),
    ("udproute", "v1alpha2"): ("v1", (1, 6), _FAR),
}
# the kinds of _STOPS as Gateway API spells them
_NAMES = {name.lower(): name for name in (
    "GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "BackendTLSPolicy",
    "TLSRoute", "TCPRoute", "UDPRoute")}
_KINDS = "(" + "|".join(_NAMES.values()) + ")"
_V = r"(v1(?:alpha|beta)\d)"
# the forms a request names a kind and version in: client-go's `*v1alpha2.TLSRoute` and
# `v1alpha2.TLSRouteList`, kubectl/controller-runtime's `no matches for kind "TLSRoute" in
# version "gateway.networking.k8s.io/v1alpha2"`, cilium's `gateway.networking.k8s.io/v1alpha2,
# Kind=tlsroutes`
_REQUESTS = (
    re.compile(r"\b" + _V + r"\." + _KINDS + r"(?:List)?\b"),
    re.compile(r"kind \\?\"" + _KINDS + r"\\?\" in version \\?\"" + re.escape(_GROUP) + "/" + _V),
    re.compile(re.escape(_GROUP) + "/" + _V + r", Kind=" + _KINDS.lower() + r"e?s\b"),
)
_RELEASE = re.compile(r"gateway[- ]?api\b[^\n]{0,60}?\bv?(\d+)\.(\d+)(?:\.\d+)?\b|"
                      r"bundle-version\W{1,4}v(\d+)\.(\d+)", re.IGNORECASE)
# a user stating it: "v1alpha2 is served: false", "(v1alpha2 served=false)", "v1alpha2 is no
# longer served" (traefik/traefik#13622), "the standard channel CRD no longer serves
# `v1alpha2`" (agentgateway/agentgateway#2370)
UNSERVED_WORDS = re.compile(r"(?<=[\w;,:] |.\()" + _V + r"\W{1,3}(?:is\s+)?served\W{1,3}"
                            r"false|" + _V + r"\)? (?:is )?(?:no longer|not) served|"
                            r"\b(?:no longer|not|stopped|stops)\s+serv(?:es|e|ing)\W{1,4}" + _V,
                            re.IGNORECASE)


def requests(text: str) -> list[tuple[str, str]]:
    """(kind, version) of each superseded Gateway API version the text asks for."""
    out = []
    for pattern in _REQUESTS:
        for hit in pattern.finditer(text or ""):
            a, b = hit.groups()
            kind, version = (b, a) if a.startswith("v1") else (a, b)
            key = (kind.lower(), version)
            if key in _STOPS and key not in out:
                out.append(key)
    return out


def newer_bundle(kind: str, version: str, raw: list, crds: list) -> str:
    """Why the paste shows installed CRDs that serve `kind` but no longer `version` ('' when
    it shows nothing of the kind: then the CRD may simply be absent)."""
    served = crd.served_versions(raw, crds).get(f"{_plural(kind)}.{_GROUP}")
    if served and not served.get(version) and any(served.values()):
        return f"the installed CRD serves {', '.join(v for v, on in served.items() if on)}"
    text = "\n".join(str(line) for line in raw or [])
    stops = _STOPS[(kind, version)]
    for hit in _RELEASE.finditer(text):
        major, minor = [int(g) for g in hit.groups() if g is not None]
        # the channel named beside the release, on its line
        experimental = "experimental" in _line_at(text, hit.start()).lower()
        if (major, minor) >= (stops[2] if experimental else stops[1]):
            channel = "experimental" if experimental else "standard"
            return f"the paste names Gateway API v{major}.{minor}, whose {channel} bundle does " \
                   "not serve it"
    if any(version == next((g for g in m.groups() if g), "")
           for m in UNSERVED_WORDS.finditer(text)):
        return f"the paste says {version} is not served"
    return ""


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1:end if end >= 0 else len(text)]


def _plural(kind: str) -> str:
    if kind.endswith("y"):
        return kind[:-1] + "ies"
    return kind + ("es" if kind.endswith("s") else "s")


def reclassify(findings: list[dict], raw: list, crds: list) -> list[dict]:
    """crd_not_installed for a superseded version the paste shows newer CRDs for ->
    crd_version_unsupported (the bundle is newer than the controller)."""
    return [_reclassified(f, raw, crds) for f in findings]


# API groups a project renamed: a request for the old group asks for an API the releases
# since no longer have. Envoy Gateway moved EnvoyProxy from config.gateway.envoyproxy.io to
# gateway.envoyproxy.io in v0.6.0 (release-notes/v0.6.0.yaml): the old group was served only
# by v0.3-v0.5 (2023) while its docs pages stayed online, so a request for it is an outdated
# manifest (envoyproxy/gateway#3106). Gateway API moved from networking.x-k8s.io to
# gateway.networking.k8s.io in v0.4.0 (apis/v1alpha2 GroupName; CHANGELOG v0.4.0), but the old
# group was the current one for two years (traefik/traefik-helm-chart#493: its CRDs were just
# not installed), so that reading needs the new group in the paste. old -> (new, release,
# whether the paste must show the new group)
_RENAMED = {"networking.x-k8s.io": ("gateway.networking.k8s.io", "Gateway API v0.4.0", True),
            "config.gateway.envoyproxy.io": ("gateway.envoyproxy.io", "Envoy Gateway v0.6.0",
                                             False)}
_OLD_GROUP = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(g) for g in _RENAMED)
                        + r")/(v\d\w*)")
_REQUESTED_KIND = re.compile(r"kind \\?\"(\w+)\\?\" in version|Kind=(\w+)")


def _renamed(f: dict, text: str, raw: list) -> dict | None:
    hit = _OLD_GROUP.search(text)
    if not hit:
        return None
    old, version = hit.groups()
    new, release, needs_evidence = _RENAMED[old]
    if needs_evidence and not re.search(re.escape(new) + "/v",
                                        "\n".join(str(line) for line in raw or [])):
        return None
    kind = next((k for m in _REQUESTED_KIND.finditer(text) for k in m.groups() if k), "the kind")
    out = dict(f, cause="crd_version_unsupported")
    out["message"] = (f"the request names {kind} in {old}/{version}, a group {release} renamed "
                      f"to {new}: the manifest (or controller) predates that release, and the "
                      "releases since serve only the new group")
    out["fix"] = (f"change apiVersion (and any group: field, e.g. a GatewayClass parametersRef) "
                  f"to {new}/<its version in your release> and re-apply; the current docs of the "
                  f"release you run show it (kubectl api-resources --api-group={new})")
    return out


def _reclassified(f: dict, raw: list, crds: list) -> dict:
    if f["cause"] != "crd_not_installed":
        return f
    text = "\n".join([f.get("message") or ""] + [str(e) for e in f.get("evidence") or []])
    renamed = _renamed(f, text, raw)
    if renamed:
        return renamed
    for kind, version in requests(text):
        why = newer_bundle(kind, version, raw, crds)
        if why:
            return _unsupported(f, kind, version, why)
    return f


def _unsupported(f: dict, kind: str, version: str, why: str) -> dict:
    ga = _STOPS[(kind, version)][0]
    out = dict(f, cause="crd_version_unsupported")
    out["message"] = (f"the controller asks for {_NAMES[kind]} at {_GROUP}/{version}, which "
                      f"the installed Gateway API CRDs no longer serve ({why}): the bundle is "
                      "newer than this controller release supports")
    out["fix"] = (f"upgrade the controller to a release that reads {_NAMES[kind]} {ga}; or "
                  "install the Gateway API bundle that release supports (its docs name it; the "
                  "experimental channel still serves some alpha versions), then restart it. "
                  f"Check: kubectl get crd {_plural(kind)}.{_GROUP} -o jsonpath="
                  "'{range .spec.versions[*]}{.name} served={.served}{\"\\n\"}{end}'")
    return out
