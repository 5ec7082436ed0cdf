"""A controller that asks for a Gateway API version newer than the installed CRD bundle.

`no matches for kind "GRPCRoute" in version "gateway.networking.k8s.io/v1"` reads as
crd_not_installed, but when the kind reached that version only in a later release and the
paste shows the rest of the bundle working (the user says the gateway worked before, or the
paste holds other Gateway API objects), the CRDs are installed and older than the controller
needs: crd_version_unsupported (envoyproxy/gateway#3340: a floating gateway-dev image moved
to GRPCRoute v1 while the v1.0 CRDs stayed). Without that evidence the kind may simply be
absent, and the finding stays crd_not_installed (_gw/superseded.py reads the opposite case, a
bundle newer than the controller).

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
    beside evidence that the bundle is installed -> crd_version_unsupported."""
    return [_older(f, raw, index) or f for f in findings]


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
