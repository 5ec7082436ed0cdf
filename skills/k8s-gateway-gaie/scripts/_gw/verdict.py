"""One ranked answer from reported and inferred findings.

Evidence order: what a controller reported comes first, inference second. Within each,
errors before warnings (a certain fault before a suspicion), then the chain (GatewayClass
-> Gateway -> listener -> attachment -> backend -> pool -> hygiene), specific causes before
the generic ones that only echo a condition, and objects up the chain before the ones below. An inferred finding that repeats a reported cause
on the same object is dropped (the reported one already says it).
"""
from __future__ import annotations

from _gw.causes import LAYER_RANK, layer_of

# (no_controller: "Waiting for controller" says nothing reconciled the object; a controller's
# own error beside it - a CRD it cannot list, a verb it may not use - says why: cilium/cilium
# #38420)
# (an xDS NACK carries the data plane's reason: a wording that names it, such as Envoy's
# duplicate filter chain, says more than the NACK itself)
GENERIC = {"gateway_not_ready", "listener_invalid", "xds_config_rejected", "route_not_accepted",
           "backend_unresolved", "pool_not_accepted", "gateway_class_not_accepted",
           "no_controller"}
KIND_RANK = {"GatewayClass": 0, "Gateway": 1, "HTTPRoute": 2, "GRPCRoute": 2,
             "InferencePool": 3}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def merge(reported: list[dict], inferred: list[dict]) -> list[dict]:
    said = {(_key(f), f["cause"]) for f in reported}
    kept = [f for f in inferred if (_key(f), f["cause"]) not in said]
    ordered = sorted(enumerate(reported + kept), key=lambda pair: _rank(*pair))
    # the API server refusing the controller's status writes is why its conditions stay the
    # CRDs' default "Waiting for controller": the controller runs (istio/istio#46815, higress
    # #3645), so that refusal (a warning) goes before the no_controller the default reads as
    if any(f["cause"] == "status_update_rejected" for f in reported):
        ordered.sort(key=lambda pair: pair[1]["cause"] == "no_controller")
    return [f for _, f in ordered]


def _key(f: dict) -> tuple:
    o = f["object"]
    return o["kind"], o["namespace"], o["name"]


def _rank(position: int, f: dict) -> tuple:
    problem = f["severity"] != "info"
    # "Waiting for controller" says only that no controller wrote a verdict: any other
    # error the paste reports (the controller's own, on any layer) says why (higress#3645:
    # its status writes refused)
    return (not problem, f.get("basis") != "reported", SEVERITY_RANK[f["severity"]],
            f["cause"] == "no_controller", LAYER_RANK[layer_of(f)], f["cause"] in GENERIC,
            KIND_RANK.get(f["object"]["kind"], 4), position)
