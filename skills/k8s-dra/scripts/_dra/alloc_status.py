"""What an allocated claim's status, written by the scheduler's allocator, shows wrong in itself.

The allocator (k8s.io/dynamic-resource-allocation structured/, run by kube-scheduler's
DynamicResources plugin) copies each DeviceClass's `spec.config` into the claim's
`status.allocation.devices.config` with `source: FromClass`. Since kubernetes PR #134793
(fixing kubernetes#134789) it names the request(s) of that class in `requests` on every such
entry (dynamic-resource-allocation v0.36.2 and v0.37.2
structured/internal/stable/allocator_stable.go:336-341, the same in the incubating and
experimental allocators). The API reads an empty `requests` as "applies to all requests"
(k8s.io/api v0.37.2 resource/v1/types.go:2349-2350, DeviceAllocationConfiguration.Requests),
so a FromClass entry without requests in a claim whose results name two or more requests hands
one class's configuration to the devices of every request: a driver cannot tell which config
belongs to which request (kubernetes#134789: two requests of two classes, each class with an
opaque config). With one request an empty list is harmless and stays silent; a claim's own
configs (`source: FromClaim`) without requests apply to all requests by design.
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of


def findings(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """scheduler_plugin_error per allocated claim whose FromClass configs name no request
    while its results cover two or more requests."""
    return [f for f in (_unassigned_class_config(c) for c in claims) if f is not None]


def _unassigned_class_config(claim: dict[str, Any]) -> dict[str, Any] | None:
    devices = dig(claim, "status", "allocation", "devices") or {}
    if not isinstance(devices, dict):
        return None
    configs = [c for c in devices.get("config") or [] if isinstance(c, dict)]
    unassigned = [i for i, c in enumerate(configs)
                  if c.get("source") == "FromClass" and not c.get("requests")]
    requests = sorted({str(r.get("request")).split("/")[0] for r in devices.get("results") or []
                       if isinstance(r, dict) and r.get("request")})
    if not unassigned or len(requests) < 2:
        return None
    name, ns = name_of(claim), namespace_of(claim)
    where = f" -n {ns}" if ns else ""
    return finding(
        "warning", "scheduler_plugin_error", claim,
        f"the allocator wrote {len(unassigned)} class config(s) (source FromClass) into "
        f"ResourceClaim {name}'s allocation without the requests they belong to, while the "
        f"allocation serves {len(requests)} requests ({', '.join(requests)}): an empty "
        "requests list applies to every request, so each class's configuration reaches the "
        "devices of the other requests too (a scheduler allocator bug, kubernetes#134789)",
        [f"status.allocation.devices.config[{i}]: source FromClass, no requests"
         for i in unassigned[:3]]
        + [f"status.allocation.devices.results: requests {', '.join(requests)}"],
        "upgrade kube-scheduler to a release with kubernetes PR #134793 (its allocator names "
        "the request of every FromClass config), then re-create the claim so it is allocated "
        "again; until then keep requests that need different class configs in separate claims",
        basis="inferred",
        confirm=f"kubectl get resourceclaim {name}{where} -o jsonpath='"
                "{.spec.devices.requests[*].exactly.deviceClassName}'; kubectl version "
                "(the server is the scheduler's release)")
