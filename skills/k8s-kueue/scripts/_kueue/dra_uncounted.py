"""Admitted Workloads whose pods claim DRA devices while the pasted Kueue Configuration maps no
DeviceClass: Kueue charged the claims nothing (dra_class_unmapped, inferred).

Kueue counts a ResourceClaimTemplate's devices against quota only through
`resources.deviceClassMappings` and only with its DRA gate on: at v0.17.0
`dra.NeedsDRAReconcile` returns false when DynamicResourceAllocation (alpha, default off) is off
(pkg/dra/extended_resources.go:44-47), so the Workload is queued on its containers' requests
alone; with the gate on, an unmapped class is refused `DeviceClass <c> is not mapped in DRA
configuration` (pkg/dra/claims.go:166-171; messages.py reads that, Kueue reported it), and
Kueue's main only builds the mapper when the mappings are non-empty (cmd/kueue/main.go:306).
The Kueue Operator turned the gate on only when deviceClassMappings were set
(openshift/kueue-operator 6bade4c5 pkg/configmap/configmap.go buildFeatureGates). From v0.18
KueueDRARejectWorkloadsWhenDRADisabled (beta, on) refuses such Workloads instead (v0.19.2
pkg/controller/core/workload_controller.go:433). kubernetes-sigs/kueue#10504 (v0.17.0, operator
v1.4.0): three DRA Jobs admitted to a ClusterQueue with nvidia.com/gpu nominalQuota 1, its GPU
usage 0, two claims pending; no deviceClassMappings in the config.

No Kueue message says so, hence inferred: only when the paste shows the Configuration (a
`Configuration`, the `controller_manager_config.yaml` of a ConfigMap, or the operator's Kueue
CR / its `.spec`) without mappings, admitted Workloads and DRA claims together."""
from __future__ import annotations

from typing import Any

import yaml

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of

from _kueue.objects import is_finished, is_true

_CONFIG_GROUP = "config.kueue.x-k8s.io/"
# the Kueue Operator's CR: kueue.openshift.io/v1 Kind Kueue, spec.config (pkg/apis/
# kueueoperator/v1/types.go; its spec also has OperatorSpec's managementState)
_OPERATOR_GROUP = "kueue.openshift.io/"


def _configs(cluster: Any) -> list[tuple[str, dict[str, Any]]]:
    """(where it was read, the Kueue configuration mapping) for each one the input holds."""
    out = []
    for obj in getattr(cluster, "others", []):
        api = str(obj.get("apiVersion") or "")
        if obj.get("kind") == "Configuration" and api.startswith(_CONFIG_GROUP):
            out.append(("Configuration", obj))
        elif obj.get("kind") == "Kueue" and api.startswith(_OPERATOR_GROUP):
            out.append((f"Kueue {name_of(obj)} spec.config",
                        dig(obj, "spec", "config", default={}) or {}))
        elif obj.get("kind") == "ConfigMap":
            out += [(f"ConfigMap {name_of(obj)} {key}", doc)
                    for key, text in (obj.get("data") or {}).items()
                    for doc in [_yaml(text)] if isinstance(doc, dict)
                    and doc.get("kind") == "Configuration"]
    source = getattr(cluster, "source", None)
    for doc in list(getattr(source, "records", ())) + list(getattr(source, "fragments", ())):
        # the operator CR's `.spec` printed alone (kubectl get kueue NAME -o json | jq .spec)
        if isinstance(doc, dict) and isinstance(doc.get("config"), dict) \
                and "managementState" in doc:
            out.append(("Kueue spec.config", doc["config"]))
    return out


def _yaml(text: Any) -> Any:
    if not isinstance(text, str) or "kind: Configuration" not in text:
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _claims(cluster: Any) -> list[str]:
    """The DRA claims the input shows: ResourceClaims (objects or `kubectl get` rows, with
    their state), ResourceClaimTemplates, or pod templates naming resourceClaims."""
    out = [f"{name_of(o)} ({state})" if state else name_of(o)
           for o in getattr(cluster, "others", []) if o.get("kind") == "ResourceClaim"
           for state in [_claim_state(o)]]
    out += [f"ResourceClaimTemplate {name}" for _, name in cluster.claim_templates]
    for wl in cluster.workloads:
        for ps in dig(wl, "spec", "podSets", default=[]) or []:
            if dig(ps, "template", "spec", "resourceClaims"):
                out.append(f"Workload {name_of(wl)} podSet {ps.get('name', '')} resourceClaims")
    return out


def _claim_state(claim: dict[str, Any]) -> str:
    """`kubectl get resourceclaim`'s STATE column, or pending/allocated from the status."""
    row = (claim.get("_columns") or {}).get("STATE")
    if row:
        return str(row)
    if claim.get("status") is None:
        return ""
    return "allocated" if dig(claim, "status", "allocation") else "pending"


def findings(cluster: Any) -> list[dict[str, Any]]:
    """One dra_class_unmapped finding, or none: every pasted Kueue configuration lacks
    deviceClassMappings, some Workload is admitted, and DRA claims are shown."""
    configs = _configs(cluster)
    if not configs or any(dig(c, "resources", "deviceClassMappings") for _, c in configs):
        return []
    admitted = [name_of(w) for w in cluster.workloads
                if is_true(w, "Admitted") and not is_finished(w)]
    claims = _claims(cluster)
    if not admitted or not claims:
        return []
    pending = [c for c in claims if c.endswith("(pending)")]
    return [finding(
        "warning", "dra_class_unmapped", {"kind": "Configuration", "name": ""},
        f"{len(admitted)} Workload(s) admitted while their pods claim DRA devices, and the "
        "Kueue configuration shown maps no DeviceClass (no resources.deviceClassMappings): "
        "Kueue charges DRA devices to quota only through that mapping, so it admitted them on "
        "their CPU and memory alone; the device quota of the ClusterQueue holds nothing back"
        + (f" and {len(pending)} claim(s) wait for devices" if pending else ""),
        [f"{where}: no resources.deviceClassMappings" for where, _ in configs][:2]
        + [f"admitted: {', '.join(admitted[:5])}", f"DRA claims: {', '.join(claims[:5])}"],
        "add resources.deviceClassMappings [{name: <the ClusterQueue's device resource, e.g. "
        "nvidia.com/gpu>, deviceClassNames: [<the claims' DeviceClass>]}] to the Kueue "
        "Configuration (Kueue Operator: spec.config.resources.deviceClassMappings) and restart "
        "Kueue; before v0.18 also enable the DynamicResourceAllocation feature gate (the "
        "operator does when mappings are set). Kueue v0.18+ refuses such Workloads instead "
        "(KueueDRARejectWorkloadsWhenDRADisabled)",
        basis="inferred",
        confirm="kubectl get workloads -A -o jsonpath='{range .items[*]}{.metadata.name}{\" \"}"
                "{.status.admission.podSetAssignments[*].resourceUsage}{\"\\n\"}{end}' "
                "(no device resource in what Kueue charged)")]


def explains(found: dict[str, Any]) -> bool:
    """A generic "admitted, not started" guess this finding replaces (its pods wait for the
    devices Kueue did not count); what Kueue reported stays."""
    return found.get("cause") == "admitted_not_started" and found.get("basis") != "reported"
