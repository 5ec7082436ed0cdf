"""A Gateway whose conditions are still the CRDs' default while its controller wrote its
addresses: the defaults are not a verdict.

Every Gateway API CRD defaults status.conditions when an object is created (gateway-api
v0.4.0 apis/v1alpha1/gateway_types.go:46 `+kubebuilder:default={conditions: {{type:
"Scheduled", status: "False", reason:"NotReconciled", message:"Waiting for controller",
lastTransitionTime: "1970-01-01T00:00:00Z"}}}`; v1alpha2 Scheduled Unknown; v1.0.0+ apis/v1/
gateway_types.go Accepted and Programmed Unknown Pending, same message and epoch time). A
controller that reconciles the Gateway replaces them, except early ones that wrote only the
addresses: GKE's Gateway controller of 2021 left the v1alpha1 default in place on a Gateway it
served (GoogleCloudPlatform/gke-networking-recipes gateway/single-cluster/global-l7-xlb/
README.md@cce16186 shows that describe output as the successful result: an IPAddress in
status.addresses, `SYNC on default/external-http was a success`). No CRD default holds an
address, so an address in the status is a controller's write: the default conditions beside
it are stale (info, stale_status), not no_controller. Without an address they stay what they
say.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _gw.objects import cond_text

_EPOCH = "1970-01-01"


def _default(cond: dict) -> bool:
    message = " ".join(str(cond.get("message") or "").split())
    when = str(cond.get("lastTransitionTime") or "")
    return message == "Waiting for controller" and (not when or when.startswith(_EPOCH)) \
        and str(cond.get("status")) in ("False", "Unknown")


def unwritten(gw: dict, conditions) -> tuple[list[dict], list]:
    """(the CRD-default conditions a controller that wrote the addresses left, the others);
    ([], conditions) when the status holds no address or no default condition."""
    status = gw.get("status") or {}
    addresses = [a for a in status.get("addresses") or [] if isinstance(a, dict)
                 and str(a.get("value") or "").strip()]
    defaults = [c for c in conditions or [] if isinstance(c, dict) and _default(c)]
    if not addresses or not defaults:
        return [], list(conditions or [])
    return defaults, [c for c in conditions or [] if not any(c is d for d in defaults)]


def finding_for(gw: dict, defaults: list[dict]) -> dict:
    address = next(str(a.get("value")) for a in (gw.get("status") or {}).get("addresses")
                   if isinstance(a, dict) and str(a.get("value") or "").strip())
    return finding("info", "stale_status", gw,
                   "the Gateway's conditions are the CRD's default (`Waiting for controller`, "
                   f"1970 timestamp), but a controller wrote its address ({address}): it "
                   "reconciled the Gateway and never replaced the default conditions (early "
                   "controllers wrote only addresses); not evidence of a fault",
                   [cond_text(c) for c in defaults],
                   "judge the Gateway by its address, its controller's events and the data "
                   "plane (send a request); the managed fields name who wrote the status",
                   basis="reported",
                   confirm="kubectl get gateway NAME -n NAMESPACE -o yaml --show-managed-fields")
