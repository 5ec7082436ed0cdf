"""An Istio Gateway left without address because a listener name has a dot.

A listener name is a SectionName, which may hold dots (gateway-api v1.6.3 apis/v1/
shared_types.go SectionName: `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`,
up to 253 characters). Istio's gateway deployment controller used the listener name as the
generated Service's port name, which must be a DNS label (no dots): the API server refused the
Service, so the Gateway got no address and stayed Programmed False (istio/istio#53200; fixed
by PR #53201, `sanitizeListenerNameForPort`, istio/istio 86c9f01 pilot/pkg/config/kube/
gatewaycommon/deploymentcontroller.go:970). The objects are valid: the controller contradicts
the spec. Read only when the paste reports the symptom (no address, not programmed) for an
Istio Gateway whose pasted listeners include a dotted name.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _gw.objects import meta

_CONTROLLER = "istio.io/gateway-controller"
_SYMPTOMS = ("gateway_no_address", "gateway_not_ready")


def reclassify(findings: list[dict], index) -> list[dict]:
    return [_recast(f, index) or f for f in findings]


def _recast(f: dict, index) -> dict | None:
    if f["cause"] not in _SYMPTOMS or f["severity"] == "info":
        return None
    gw = _gateway_of(f["object"], index)
    if gw is None or not _is_istio(gw, index):
        return None
    dotted = [str(lst.get("name")) for lst in (gw.get("spec") or {}).get("listeners") or []
              if isinstance(lst, dict) and "." in str(lst.get("name") or "")]
    if not dotted:
        return None
    name, ns = meta(gw, "name"), meta(gw, "namespace") or "<namespace>"
    return finding(
        "warning", "controller_contradicts_spec", f["object"],
        f"{f['message']}: Gateway {name} has listener names with dots ({', '.join(dotted)}), "
        "valid per Gateway API (SectionName), but Istio releases before istio/istio#53201 used "
        "them as the generated Service's port names, which may not hold dots: the Service is "
        "refused, so the Gateway gets no address. The controller's defect, not the Gateway's",
        list(f.get("evidence") or []) + [f"listener names: {', '.join(dotted)}"],
        "upgrade Istio to a release with istio/istio#53201 (listener names sanitized for "
        "Service ports); meanwhile rename the listeners without dots (and the sectionName of "
        "routes that name them)", basis="inferred",
        confirm=f"kubectl get svc -n {ns}; kubectl logs -n istio-system deploy/istiod | grep "
                "'apply failed'")


def _gateway_of(ref: dict, index) -> dict | None:
    """The finding's Gateway with its spec, or, for a finding read from text, the paste's only
    Gateway with listeners."""
    with_spec = [o for o in index.of_kind("Gateway") if (o.get("spec") or {}).get("listeners")]
    if ref.get("kind") == "Gateway":
        with_spec = [o for o in with_spec if meta(o, "name") == ref.get("name")]
    elif ref.get("kind") != "Text":
        return None
    return with_spec[0] if len(with_spec) == 1 else None


def _is_istio(gw: dict, index) -> bool:
    cls = str((gw.get("spec") or {}).get("gatewayClassName") or "")
    for gc in index.of_kind("GatewayClass"):
        if meta(gc, "name") == cls:
            return (gc.get("spec") or {}).get("controllerName") == _CONTROLLER
    return cls == "istio"  # the class Istio installs by default
