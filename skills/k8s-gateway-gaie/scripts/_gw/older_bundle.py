"""A controller that asks for a Gateway API version newer than the installed CRD bundle.

`no matches for kind "GRPCRoute" in version "gateway.networking.k8s.io/v1"` reads as
crd_not_installed, but when the kind reached that version only in a later release and the
paste shows the rest of the bundle working (the user says the gateway worked before, or the
paste holds other Gateway API objects), the CRDs are installed and older than the controller
needs: crd_version_unsupported (envoyproxy/gateway#3340: a floating gateway-dev image moved
to GRPCRoute v1 while the v1.0 CRDs stayed). Without that evidence the kind may simply be
absent, and the finding stays crd_not_installed (_gw/superseded.py reads the opposite case, a
bundle newer than the controller).

A controller may say the Gateway API CRDs as a whole are absent because the group/version it
discovers answers 404 (cert-manager's `the Gateway API CRDs do not seem to be present, but
ExperimentalGatewayAPISupport is set to true ... (the server could not find the requested
resource)`, client-go's `unable to retrieve the complete list of server APIs: gateway.
networking.k8s.io/v1: the server could not find the requested resource`). When the paste lists
that group's CRDs installed (`kubectl get crd` rows `<plural>.gateway.networking.k8s.io  <created
at>`, CRD objects, `kubectl api-resources` rows of the group), the CRDs are there and serve
other versions only: crd_version_unsupported, inferred, confirmed by the group's discovery
document (cert-manager/cert-manager#6649: cert-manager 1.14 reads v1, GKE's managed
--gateway-api=standard CRDs then served v1beta1 only; cert-manager/website#2256). A line that
names one kind whose CRD the listing lacks stays crd_not_installed.

First release serving each version (gateway-api CHANGELOG/1.0-CHANGELOG.md "Gateway,
GatewayClass, and HTTPRoute have all graduated to GA with a `v1` API", 1.1-CHANGELOG.md
"GRPCRoute has graduated to GA (v1)", 1.5-CHANGELOG.md "TLSRoute `v1`", "ListenerSet
support", "the ReferenceGrant resource is moving to `v1`"; read at sigs.k8s.io/gateway-api
v1.6.3).
"""
from __future__ import annotations

import re

_GROUP = "gateway.networking.k8s.io"
_ARRIVED: dict[tuple[str, str], str] = {
    ("GatewayClass", "v1"): "v1.0.0", ("Gateway", "v1"): "v1.0.0",
    ("HTTPRoute", "v1"): "v1.0.0", ("GRPCRoute", "v1"): "v1.1.0",
    ("TLSRoute", "v1"): "v1.5.0", ("ListenerSet", "v1"): "v1.5.0",
    ("ReferenceGrant", "v1"): "v1.5.0",
}
_REQUEST = re.compile(r'kind \\?"(\w+)\\?" in version ?\\?"' + re.escape(_GROUP) + r'/(v\w+)')
# the user saying the bundle served before: "the gateway was working fine for a week",
# "routes worked", "the CRDs ... were not touched"
_WORKED = re.compile(r"\b(?:was|were|has been|had been|have been)\s+(?:working|running)\b|"
                     r"\bworked\s+(?:fine|well|before)\b|\bCRDs?\b[^.\n]{0,80}\b(?:not|never)\s+"
                     r"(?:been\s+)?(?:touched|changed|modified)\b", re.IGNORECASE)
_BUNDLE_KINDS = ("Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "ReferenceGrant")


def reclassify(findings: list[dict], raw: list, index) -> list[dict]:
    """crd_not_installed for a kind at a version a later Gateway API release introduced,
    beside evidence that the bundle is installed -> crd_version_unsupported; so too a
    controller's "the Gateway API CRDs are absent" beside the group's CRDs listed."""
    return [_older(f, raw, index) or _listed(f, raw, index) or f for f in findings]


# a controller's words that the group as a whole is not served (no single kind named)
_GROUP_ABSENT = re.compile(r"\bGateway API CRDs? (?:do(?:es)? not seem to be present|(?:are |is )?"
                           r"not (?:installed|found|present))|" + re.escape(_GROUP) +
                           r"/(v\w+): the server could not find the requested resource|"
                           r"found 0 APIResources in " + re.escape(_GROUP) + r"/(v\w+)",
                           re.IGNORECASE)
# `kubectl get crd` rows (NAME, CREATED AT), also where a wrap joined them into one line
_CRD_ROW = re.compile(r"(?<![a-z0-9.-])([a-z0-9-]+)\." + re.escape(_GROUP) +
                      r"\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# `kubectl api-resources` rows: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND
_API_RESOURCE_ROW = re.compile(r"^\s*([a-z0-9]+)\s+(?:[\w,]+\s+)?" + re.escape(_GROUP) +
                               r"/(v\w+)\s+(?:true|false)\s+\w+\s*$", re.MULTILINE)
_KIND_NAMED = re.compile(r"\b(" + "|".join(("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute",
                                            "TLSRoute", "TCPRoute", "UDPRoute", "ReferenceGrant",
                                            "BackendTLSPolicy", "ListenerSet")) + r")\b")


def listed_crds(raw: list, index) -> tuple[dict[str, str], dict[str, str]]:
    """({plural: where it is listed}, {plural: the version api-resources shows}) of the
    Gateway API CRDs the paste shows installed."""
    text = "\n".join(str(line) for line in raw or [])
    where: dict[str, str] = {}
    for hit in _CRD_ROW.finditer(text):
        where.setdefault(hit.group(1), "kubectl get crd")
    for crd in index.of_kind("CustomResourceDefinition"):
        name = str((crd.get("metadata") or {}).get("name") or "")
        if name.endswith("." + _GROUP):
            where.setdefault(name.split(".", 1)[0], "a CustomResourceDefinition object")
    versions: dict[str, str] = {}
    for hit in _API_RESOURCE_ROW.finditer(text):
        where.setdefault(hit.group(1), "kubectl api-resources")
        versions[hit.group(1)] = hit.group(2)
    return where, versions


def _listed(f: dict, raw: list, index) -> dict | None:
    if f["cause"] != "crd_not_installed":
        return None
    # what the controller printed (the evidence), not this script's own words about it
    own = " ".join(str(e) for e in f.get("evidence") or [])
    claim = _GROUP_ABSENT.search(own)
    if not claim:
        return None
    where, versions = listed_crds(raw, index)
    named = {k.lower() for k in _KIND_NAMED.findall(own.split(claim.group(0), 1)[0] + " " +
                                                     claim.group(0))}
    core = [p for p in ("gateways", "httproutes", "gatewayclasses") if p in where]
    if not core or any(_plural(kind) not in where for kind in named if kind != "gateway"):
        return None
    asked = claim.group(1) or claim.group(2) or ""
    serves = sorted({v for v in versions.values()})
    out = dict(f, cause="crd_version_unsupported", basis="inferred",
               confirm=f"kubectl get --raw /apis/{_GROUP}")
    listed = ", ".join(f"{p}.{_GROUP}" for p in core)
    out["message"] = (
        "the controller finds no Gateway API CRDs (its discovery of the group's version "
        "answers 404), yet the paste lists them "
        f"installed ({listed}: {where[core[0]]}): they do not serve the "
        f"{_GROUP} version the controller asks for" + (f" ({asked})" if asked else "") +
        (f"; the cluster serves {', '.join(serves)}" if serves else "") +
        ", so the controller takes the group for absent")
    out["fix"] = (
        "install a Gateway API CRD release that serves the version the controller release "
        "reads (v1 for most controllers since Gateway API v1.0; cert-manager 1.14+ needs v1), "
        "or run a controller release that reads a version the installed CRDs serve; a cloud's "
        "managed Gateway API (GKE --gateway-api=standard) installs its own bundle, which may "
        "lag: upgrade the cluster to a version whose bundle serves it, or turn the managed "
        "install off before applying your own CRDs. The versions served: kubectl get --raw "
        f"/apis/{_GROUP}")
    return out


def _plural(kind: str) -> str:
    kind = kind.lower()
    return kind[:-1] + "ies" if kind.endswith("y") else (kind + "es" if kind.endswith("s")
                                                          else kind + "s")


def _older(f: dict, raw: list, index) -> dict | None:
    if f["cause"] != "crd_not_installed":
        return None
    own = "\n".join([f.get("message") or ""] + [str(e) for e in f.get("evidence") or []])
    # the evidence line may be the user's summary without the version: the version comes from
    # the log line in the paste that names the same kind
    text = own + "\n" + "\n".join(str(line) for line in raw or [])
    for kind, version in _REQUEST.findall(text):
        release = _ARRIVED.get((kind, version))
        if f'"{kind}"' not in own.replace('\\"', '"') and kind not in own:
            continue
        why = release and _bundle_shown(kind, raw, index)
        if why:
            return _unsupported(f, kind, version, release, why)
    return None


def _bundle_shown(kind: str, raw: list, index) -> str:
    others = [k for k in _BUNDLE_KINDS if k != kind and any(
        o.get("spec") or o.get("status") for o in index.of_kind(k))]
    if others:
        return f"the paste holds {others[0]} objects of the same bundle"
    hit = _WORKED.search("\n".join(str(line) for line in raw or []))
    return f"the paste says \"{hit.group(0)}\"" if hit else ""


def _unsupported(f: dict, kind: str, version: str, release: str, why: str) -> dict:
    out = dict(f, cause="crd_version_unsupported")
    out["message"] = (f"the controller asks for {kind} at {_GROUP}/{version}, which Gateway API "
                      f"serves from {release} on, while the bundle is installed ({why}): the "
                      "installed CRDs are older than this controller release needs")
    out["fix"] = (f"install the Gateway API CRD bundle the controller release supports "
                  f"({release} or later; kubectl apply --server-side -f standard-install.yaml of "
                  "that release), or pin the controller to the release of your CRDs; check "
                  f"kubectl get crd {kind.lower()}s.{_GROUP} -o jsonpath="
                  "'{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}'")
    return out
