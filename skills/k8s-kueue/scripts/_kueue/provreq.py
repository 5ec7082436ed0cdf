"""ProvisioningRequests that Kueue's provisioning admission check is waiting on.

With a ProvisioningRequest AdmissionCheck (controllerName kueue.x-k8s.io/provisioning-request),
Kueue reserves quota, creates a ProvisioningRequest per Workload and check (named
`<workload>-<check>-<attempt>`, provisioning.go ProvisioningRequestName), and keeps the check
Pending, the job suspended, until the request says Provisioned=True; Failed=True retries or
rejects it (kueue pkg/controller/admissionchecks/provisioning/controller.go: isAccepted and
no condition -> CheckStatePending, isProvisioned -> Ready; condition types from k8s.io/autoscaler
cluster-autoscaler/apis provisioningrequest v1 types.go: Accepted, Provisioned, Failed). A
request not yet Provisioned and not Failed is why its job waits although quota is free
(KubeRay's "Gang Scheduling with RayJob and Kueue" guide: ACCEPTED True, PROVISIONED False
while GKE's queued provisioning finds the nodes). The request's conditions are the
autoscaler's report."""
from __future__ import annotations

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import conditions, name_of, namespace_of

_KIND = "ProvisioningRequest"


def findings(cluster) -> list[dict]:
    out = []
    for req in (o for o in cluster.others if o.get("kind") == _KIND):
        conds = conditions(req)
        state = {t: (conds.get(t) or {}).get("status") for t in ("Accepted", "Provisioned",
                                                                   "Failed")}
        if state["Provisioned"] == "True" or state["Failed"] == "True" or not conds:
            continue
        name, ns = name_of(req), namespace_of(req)
        shown = ", ".join(f"{t}={s}" for t, s in state.items() if s)
        out.append(finding(
            "warning", "admission_check_pending", req,
            f"ProvisioningRequest {name} is not provisioned yet ({shown}): Kueue keeps its "
            "Workload's provisioning admission check Pending, and the job suspended, until the "
            "autoscaler sets Provisioned=True, whatever quota the ClusterQueue has free",
            [f"ProvisioningRequest {name}: {shown}"],
            "wait for the autoscaler to provision the nodes (queued provisioning can take "
            "long), or read its conditions' reason and message for why it cannot "
            f"(kubectl describe provisioningrequest {name}" + (f" -n {ns}" if ns else "") +
            "); check the ProvisioningRequestConfig's provisioningClassName is one the "
            "autoscaler serves", basis="reported",
            confirm=f"kubectl get provisioningrequest {name}" + (f" -n {ns}" if ns else "") +
            " -o yaml"))
    return out
