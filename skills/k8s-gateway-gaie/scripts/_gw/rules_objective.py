"""InferenceObjective in its current home, llm-d (`llm-d.ai/v1alpha2`, llm-d-router v0.9+;
GAIE v1.0-v1.5 served it as `inference.networking.x-k8s.io/v1alpha2`).

Facts (llm-d-router v0.10.0 apix/v1alpha2/inferenceobjective_types.go, shared_types.go):
`spec.priority` (int32, optional; unset = 0; higher is served first, negative allowed) and
`spec.poolRef{group (default inference.networking.k8s.io), kind (default InferencePool),
name}`, the pool "must exist in the same namespace". A request picks its objective with the
header `x-llm-d-inference-objective` (old alias `x-gateway-inference-objective`,
pkg/epp/metadata/consts.go); no header or an unknown objective = priority 0.
"""
from __future__ import annotations

from k8s_skillkit.dump import ABSENT
from k8s_skillkit.findings import finding

from _gw.objects import meta

LLMD_GROUP = "llm-d.ai"


def is_llmd_objective(obj: dict) -> bool:
    return obj.get("kind") == "InferenceObjective" and \
        str(obj.get("apiVersion", "")).startswith(LLMD_GROUP + "/")


def check_objective(index, obj: dict) -> list[dict]:
    """The poolRef must name an InferencePool of the objective's own namespace."""
    ref = (obj.get("spec") or {}).get("poolRef") or {}
    ns, name = meta(obj, "namespace"), str(ref.get("name") or "")
    kind = ref.get("kind") or "InferencePool"
    if not name or kind != "InferencePool":
        return []
    found = index.presence("InferencePool", ns, name)
    if found.state != ABSENT:
        return []
    return [finding("warning", "objective_pool_not_found", obj,
                    f"InferenceObjective poolRef names InferencePool {ns}/{name}, which does "
                    "not exist in the objective's namespace: the endpoint picker of that pool "
                    "never sees it, so its requests run at priority 0",
                    [f"spec.poolRef.name: {name}", f"namespace: {ns}"],
                    "point spec.poolRef.name at the InferencePool in this namespace (the pool "
                    "must exist in the same namespace), or create the objective where the "
                    "pool is", confirm=found.command)]
