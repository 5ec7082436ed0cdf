"""Turn Kueue's reported verdict into one sentence, evidence and a fix.

The verdict (cause) is Kueue's; the objects in the input only add detail: the quota
arithmetic of the ClusterQueue, the cohort's borrowing and preemption settings. When the
objects disagree with Kueue's message (a stale or partial dump), they are quoted as such and
the cause stays Kueue's.
"""
from __future__ import annotations

import re

from k8s_skillkit.objects import dig, name_of

from _kueue.objects import flavor_quotas, podset_requests
from _kueue import multikueue
from _kueue import tas
from _kueue import reclaimable_denied
from k8s_skillkit.quantity import format_quantity, parse_quantity

QUOTA_CAUSES = ("quota_exhausted", "exceeds_max_quota", "resource_not_in_queue",
                "flavor_mismatch")

FIXES = {
    "admitted_not_started": "Kueue admitted the workload but could not start the job: read the "
                            "error Kueue logged (with \"Unsuspending job\": an apiserver or "
                            "webhook refusal, e.g. a field the job's API version makes "
                            "immutable; from the TAS ungater: pods that do not match the "
                            "topology assignment; from the job kind's own controller, e.g. "
                            "JobSet's \"resuming jobset\": its error, often the RBAC its "
                            "ServiceAccount lacks; KubeRay's \"Failed to create RayCluster\": "
                            "its error; a batch/v1 Job's \"spec.template ... field is "
                            "immutable\": Kubernetes 1.22 needs the "
                            "JobMutableNodeSchedulingDirectives gate, 1.36+ refuses while the "
                            "previous run's pods are active), fix that (upgrade the job "
                            "controller/CRD and its RBAC manifests, Kubernetes, or Kueue to a "
                            "release that handles it), then let Kueue retry",
    "admission_webhook_denied": "read the webhook's message in Kueue's log: it names the field "
                                "it refuses; upgrade the job kind's controller to a release "
                                "whose webhook lets Kueue change that field while it suspends "
                                "or starts the job (JobSet's webhook refused the nodeSelector "
                                "Kueue restores until jobset#644, v0.6.0), or stop Kueue from "
                                "injecting it (the flavor's nodeLabels/tolerations) until then; "
                                "a `forbidden` error names the verb Kueue's ServiceAccount "
                                "lacks (reapply Kueue's ClusterRole)",
    "quota_exhausted": "wait for the quota holders to finish, raise the ClusterQueue's "
                       "nominalQuota by the shortfall, borrow through a cohort, or use a "
                       "higher WorkloadPriorityClass with preemption enabled",
    "exceeds_max_quota": "shrink the job (fewer replicas or smaller pods) or raise "
                         "nominalQuota/borrowingLimit above the request; waiting will not help",
    "resource_not_in_queue": "add the resource to a resourceGroup of the ClusterQueue (in "
                             "coveredResources and every flavor, same order), drop it from "
                             "the pod template, or list its prefix in the Kueue "
                             "Configuration's resources.excludeResourcePrefixes",
    "flavor_mismatch": "give the pod template the toleration / nodeSelector the ResourceFlavor "
                       "needs (or add them to the flavor's spec.tolerations), or create the "
                       "missing ResourceFlavor",
    "topology_unfit": "TAS found no topology domain for the pod set: every node of the "
                      "flavor must carry every level label of its Topology (`no topology "
                      "domains at level` means none does; make kubernetes.io/hostname the "
                      "lowest level); otherwise relax podset-required-topology to preferred, "
                      "shrink the gang, or free nodes in one domain",
    "local_queue_missing": "create the LocalQueue the job names (kueue.x-k8s.io/queue-name) in "
                           "its namespace, or relabel the job with an existing LocalQueue",
    "cluster_queue_missing": "create the ClusterQueue the LocalQueue points at, or recreate the "
                             "LocalQueue pointing at an existing one (spec.clusterQueue is "
                             "immutable)",
    "queue_inactive": "fix what the ClusterQueue/LocalQueue Active condition names: set "
                      "stopPolicy None, create the missing ResourceFlavor/AdmissionCheck, or "
                      "repair the inactive AdmissionCheck",
    "namespace_not_selected": "make the ClusterQueue's namespaceSelector match the namespace "
                              "({} selects all namespaces; an unset selector selects none)",
    "admission_check_pending": "look at the AdmissionCheck's controller (a ProvisioningRequest "
                               "for check.kueue.x-k8s.io/provisioning-request, MultiKueue "
                               "clusters, or your own controller): the Workload is admitted "
                               "only when every check is Ready. 'Error creating "
                               "ProvisioningRequest' means Kueue could not create it: the "
                               "error after it says why (an admission webhook, quota or RBAC; "
                               "a provider that takes one PodSet per request: podSetMergePolicy "
                               "IdenticalWorkloadSchedulingRequirements in the "
                               "ProvisioningRequestConfig, Kueue v0.12+, for identical pods)",
    "multikueue_cluster_disconnected": "fix the worker's connection: the kubeconfig Secret the "
                                       "MultiKueueCluster names (spec.kubeConfig / "
                                       "clusterSource; key `kubeconfig`, in Kueue's "
                                       "namespace), its credentials and the network path to "
                                       "the worker's API server; kubectl get multikueuecluster "
                                       "NAME -o yaml shows the Active condition's reason; until "
                                       "it connects the MultiKueue check cannot dispatch there",
    "admission_check_rejected": "a Rejected check deactivates the Workload: fix what the check "
                                "reports, then set spec.active true (or resubmit the job)",
    "waiting_pods_ready": "get the admitted workloads' pods running, or wait for "
                          "waitForPodsReady.timeout to evict them; blockAdmission: false in the "
                          "Kueue Configuration stops the serial admission",
    "pods_ready_timeout": "the pods did not all become Ready within waitForPodsReady.timeout, "
                          "so Kueue evicted and requeued the Workload (deactivating it after "
                          "requeuingStrategy.backoffLimitCount): make the pods schedulable and "
                          "startable (nodes for the flavor, image, GPUs), raise the timeout, "
                          "then set spec.active true if it was deactivated",
    "preempted": "a higher-priority or reclaiming workload took the quota; it is requeued and "
                 "admitted again when quota frees up. Raise its priority, or give its "
                 "ClusterQueue guaranteed (non-lendable) quota",
    "workload_deactivated": "the Workload has spec.active: false (set by a person or a tool): "
                            "set it back to true to requeue",
    "dra_class_unmapped": "map the DeviceClass in the Kueue Configuration "
                          "(resources.deviceClassMappings) and restart Kueue",
    "no_queue_label": "set metadata.labels kueue.x-k8s.io/queue-name to a LocalQueue of the "
                      "namespace (kubectl get localqueues -n NS) on the object (a RayCluster "
                      "under HyperPod task governance also on its pod templates) and create it "
                      "again",
    "kueue_controller_down": "wait for kueue-controller-manager to be Ready before applying "
                             "Kueue objects or labelled jobs (kubectl -n <kueue namespace> rollout "
                             "status deploy/kueue-controller-manager; kubectl get endpoints "
                             "kueue-webhook-service -n <kueue namespace>); if it crash-loops, its "
                             "log (--previous) names why: a panic's frames name the feature "
                             "(turn off the alpha feature gate, or upgrade), a certificate error "
                             "the webhook cert setup; `failed to list *v1beta1.Workload` with a "
                             "timeout or `message larger than max` means too many Workloads to "
                             "list: delete finished ones and set objectRetentionPolicies."
                             "workloads in the Kueue Configuration; with `could not find the "
                             "requested resource`, install the CRDs of the controller's release",
    "kueue_bug": "a known Kueue defect, by its signature: Kueue merged the ResourceFlavor's "
                 "toleration into a job template that already had it, so the API server "
                 "refused the duplicated template as an immutable change and the job never "
                 "starts (kueue#2427, fixed by PR #2498 in release-0.7): upgrade Kueue; until "
                 "then drop from the job's template the toleration the flavor adds",
    "kueue_bug:owner-finalizers": "a known Kueue defect, by its signature: with the "
                 "OwnerReferencesPermissionEnforcement admission plugin (on in OpenShift) the "
                 "API server refuses the Workload Kueue creates, because Kueue's ClusterRole "
                 "may not update the job kind's finalizers subresource (kueue#392 for Jobs, "
                 "#1485 for Kubeflow jobs, fixed by PR #1486): upgrade Kueue; until then add "
                 "update on <kind>/finalizers of the job's API group to Kueue's ClusterRole "
                 "(kueue-manager-role)",
    "kueue_bug:runtime-patch": "a known Kueue defect, by its signature: Kueue v0.17+ starts a "
                 "TrainJob through the spec.runtimePatches entry its webhook adds, which only "
                 "Kubeflow Trainer v2.2+ CRDs have; an older TrainJob CRD prunes it, so Kueue "
                 "never unsuspends the TrainJob (kueue#11931, #14722): install Trainer v2.2+ "
                 "with its CRDs (a Helm upgrade leaves old CRDs in place), or run Kueue v0.16.x "
                 "with Trainer v2.1; kubectl get crd trainjobs.trainer.kubeflow.org -o yaml | "
                 "grep -c runtimePatches shows whether the installed CRD has the field",
    "admission_webhook_denied:update": "the job kind's Kueue webhook refused the change to the "
                 "existing job: the queue name (kueue.x-k8s.io/queue-name) and the priority "
                 "class (kueue.x-k8s.io/priority-class) are immutable once the job is admitted "
                 "or running, and for some kinds always in older releases (LeaderWorkerSet "
                 "queue-name until kueue#4932, priority-class until #5197): suspend the job or "
                 "make the change before Kueue admits it, or delete and recreate the job with "
                 "the new label; kubectl apply --dry-run=server shows the webhook's answer",
    "multikueue_cluster_disconnected:exec": "the manager cannot run the worker's credentials "
                 "plugin (the ClusterProfile provider's or kubeconfig's exec command): it must "
                 "exist at that path inside the kueue-controller-manager container, be "
                 "executable by its non-root user and run in its distroless image; `fork/exec "
                 "<path>: no such file or directory` for a file that is mounted is a "
                 "dynamically linked binary without its loader (build it static, "
                 "CGO_ENABLED=0; kueue#8751)",
    "job_workload_mismatch": "Kueue stopped the running job because it no longer matches its "
                             "Workload (the pod sets changed after admission: a webhook or "
                             "controller edited the pod template, or a Kueue release compared "
                             "fields it had set itself, kueue#2213, fixed by #2239 "
                             "and #2261): find what changed the job's pod template (kubectl get "
                             "<job> -o yaml --show-managed-fields), stop that edit, or upgrade "
                             "Kueue; the job is requeued with a new Workload. With \"Missing "
                             "Workload\" the job ran before it had one: Kueue never held it "
                             "(a plain Pod on a cluster without pod scheduling gates, "
                             "Kubernetes < 1.27; the job created while Kueue's webhook was "
                             "down or not configured for that kind)",
    "status_update_rejected": "the API server refuses Kueue's patch of the Workload's status "
                              "(the field errors above), so the Workload stays in its last "
                              "state: an eviction or admission that never lands, and a "
                              "preemptor waiting on it; a Kueue bug (kueue#6966, fixed by "
                              "#7430) or Kueue CRDs of another release than the controller: "
                              "upgrade Kueue and apply the CRDs of its release; deleting the "
                              "stuck Workload makes Kueue create it again for its job",
    "workload_missing": "Kueue has no Workload for the job, so it never admits it: check "
                        "kueue-controller-manager runs and its Configuration's "
                        "integrations.frameworks lists the job's kind, and read the error Kueue "
                        "logged when it tried to create the Workload (a WorkloadPriorityClass "
                        "or PriorityClass the job names that does not exist: create it or fix "
                        "the kueue.x-k8s.io/priority-class label / priorityClassName)",
}


def quota_causes() -> tuple[str, ...]:
    return QUOTA_CAUSES


_OWNER_FINALIZERS = re.compile(r"cannot set blockOwnerDeletion", re.I)
RUNTIME_PATCH_LEAD = ("Kueue cannot start the admitted TrainJob: the runtime patch its webhook "
                      "added (spec.runtimePatches, Kubeflow Trainer v2.2+) is not on it, a known "
                      "Kueue defect with an older TrainJob CRD")
UPDATE_LEAD = ("a Kueue webhook of the job's kind refused a change to the existing job (the "
               "job keeps its old labels and spec)")
EXEC_LEAD = ("Kueue cannot get credentials for the MultiKueue worker cluster: its exec "
             "credentials plugin failed, so the worker is not connected and nothing is "
             "dispatched there")
# signatures of messages.py's patterns (their sources are cited there)
RUNTIME_PATCH = re.compile(r"kueue runtime patch not found", re.I)
# a person's change of Kueue's labels refused (messages.py): Kueue never writes them itself
UPDATE_REFUSED = re.compile(r"\.kb\.io\\?\"? denied the request:[^\n]*?metadata\.(?:labels|"
                            r"annotations)\[kueue\.x-k8s\.io/", re.I)
EXEC_CREDENTIALS = re.compile(r"getting credentials: (?:exec\b|decoding stdout|exec plugin)", re.I)

# (cause, signature, lead, fix) of wordings messages.py maps to a cause whose generic lead and
# fix would mislead (their sources are cited there and in references/messages.md)
SIGNATURES = [
    ("kueue_bug", re.compile(r"no such key: [\w.]+ evaluating rule", re.I),
     "the API server cannot evaluate a validation rule of Kueue's CRD on this object (the rule "
     "reads a field the object does not have, unguarded), so every update of it is refused: "
     "a known Kueue defect",
     "upgrade Kueue and apply the CRDs of its release (kueue#10593: the v1beta1 Workload rules "
     "on priorityClassSource/priorityClassName refused any update, e.g. spec.active, of an "
     "admitted Workload stored as v1beta2, fixed by #10594 in v0.16.7, v0.17.2, v0.18.0); until "
     "then make the change through the storage version's API (kueue.x-k8s.io/v1beta2)"),
    ("kueue_bug", re.compile(r"metadata\.labels(?:\[[^\]\n]*\])?: Invalid value: [^\n]*?must be no "
                             r"more than 63 (?:bytes|characters)", re.I),
     "the API server refused a label value Kueue built from the job's name (its pod-group or "
     "Workload name) as longer than 63 characters, so the pods are not created or stay gated: "
     "a known Kueue defect",
     "upgrade Kueue (LeaderWorkerSets with names over 39 characters, kueue#10032, fixed in "
     "v0.17.4 and v0.18.0; Workload names capped at 63 by the WorkloadNameShorten gate, #9973; prebuilt "
     "Workload names over 63 moved to an annotation, #13636); until then give the job a shorter "
     "name"),
    ("admission_webhook_denied", re.compile(r"admission webhook \\?\"?[mv](?:admissioncheck|"
                                            r"clusterqueue|cohort|localqueue|resourceflavor|"
                                            r"workload|workloadpriorityclass|topology|"
                                            r"multikueuecluster|multikueueconfig)\.kb\.io", re.I),
     "Kueue's webhook refused the Kueue object as applied (it was not created or changed)",
     "fix the field the webhook's message names and apply again (a root Cohort or a "
     "ClusterQueue without a cohort can have no borrowingLimit or lendingLimit: drop them or "
     "set the cohort / parent); kubectl apply --dry-run=server -f FILE shows the webhook's "
     "answer"),
    ("admission_webhook_denied", re.compile(r"[mv](?:statefulset|deployment)\.kb\.io\\?\"? denied "
                                            r"the request", re.I),
     "Kueue's webhook refused the change to the existing StatefulSet/Deployment (it keeps its "
     "old spec)",
     "a StatefulSet Kueue manages may be scaled only to or from 0 (spec.replicas is otherwise "
     "immutable) and not scaled up while its pods still terminate: scale to 0 and back, or "
     "remove the queue-name label first; Kueue v0.9/v0.10 refused the scaling of StatefulSets "
     "without a queue-name label too (kueue#3996, fixed by #3998 in v0.9.3 and v0.10.1): upgrade"),
    ("status_update_rejected", re.compile(r"is invalid: \[? ?admissionChecks\[\d+\]\.\w+: "
                                          r"Required value", re.I),
     "the API server refused the scheduler's server-side-apply patch of the Workload's status "
     "(admission check entries without their required fields), so the Workload is not updated: "
     "a known Kueue defect with admission checks",
     "upgrade Kueue to v0.10.5, v0.11.4, v0.12.0 or later (kueue#4934, fixed by PR #4935: the "
     "scheduler built a partial SSA patch under its field manager); deleting the stuck Workload "
     "makes Kueue create it again for its job"),
    ("eviction_status_patch_failed", re.compile(r"[Ff]ailed to evict workload|setting eviction:"),
     "Kueue could not write the eviction to the Workload (its status patch failed), so the "
     "Workload keeps its admission and the job keeps running",
     "read the error logged with it: a conflict (`the object has been modified`) at every "
     "scheduling cycle is Kueue retrying from a stale copy (kueue#8258, TAS node replacement on "
     "v0.15, fixed by PR #7933): upgrade Kueue, and meanwhile delete the Workload (Kueue "
     "recreates it for the job) or restart kueue-controller-manager; `is invalid` is the patch "
     "refused (status_update_rejected, kueue#6966)"),
]


def signature(cause: str, message: str):
    """(lead, fix) of the known wording in a message of that cause, or None (vworkload.kb.io
    refusing Kueue's own reclaimablePods update has its own, reclaimable_denied.py)."""
    if cause == "admission_webhook_denied" and reclaimable_denied.said(message):
        return None
    return next(((lead, fix) for c, pattern, lead, fix in SIGNATURES
                 if c == cause and pattern.search(message or "")), None)


def fix_for(cause: str, message: str) -> str:
    """The fix for a cause; a known defect's by the signature its message carries."""
    if cause == "kueue_bug" and _OWNER_FINALIZERS.search(message or ""):
        return FIXES["kueue_bug:owner-finalizers"]
    if cause == "admission_webhook_denied" and reclaimable_denied.said(message):
        return reclaimable_denied.FIX
    if cause == "kueue_bug" and RUNTIME_PATCH.search(message or ""):
        return FIXES["kueue_bug:runtime-patch"]
    if cause == "admission_webhook_denied" and UPDATE_REFUSED.search(message or ""):
        return FIXES["admission_webhook_denied:update"]
    if cause == "multikueue_cluster_disconnected" and EXEC_CREDENTIALS.search(message or ""):
        return FIXES["multikueue_cluster_disconnected:exec"]
    known = signature(cause, message)
    if known:
        return known[1]
    return FIXES.get(cause, "")


def explain_reported(wl: dict, said, cq: dict | None, state, cluster):
    """(message, evidence, fix) for Kueue's verdict, enriched by the objects in the input."""
    cause = said.cause
    evidence: list[str] = []
    if state and state[0] == cause:
        message, evidence, fix = state[1], list(state[2]), state[3]
    else:
        message, fix = _summary(said, cq), fix_for(cause, said.message)
        if state and cause in QUOTA_CAUSES and state[0] in QUOTA_CAUSES:
            evidence.append(f"the objects in the input suggest {state[0].replace('_', ' ')} "
                            "instead (they may be newer or older than Kueue's message): "
                            + state[1])
    if cause == "quota_exhausted" and cq is not None:
        evidence += _borrowing_blocks_preemption(wl, said, cq)
    if cause == "topology_unfit":
        podset = next((c.podset for c in said.clauses if c.cause == cause), "")
        message = tas.summary(wl, podset, said.message) or message
        evidence += tas.evidence(wl, podset, said.message)
    if cause.startswith("admission_check") and cluster is not None:
        evidence += multikueue.evidence(wl, cluster.admission_checks, cluster.others)
    if cause == "queue_inactive" and cluster is not None:
        evidence += multikueue.queue_check_evidence(cq, cluster.admission_checks,
                                                    cluster.others)
    evidence += message_notes(said)
    return message, evidence, fix


def message_notes(said) -> list[str]:
    """What a number in Kueue's message tells beyond the cause.

    "maximum capacity (0)": the flavor has no quota for the resource, or a quota Kueue cannot
    count: cpu is counted in millicores in an int64, so a nominalQuota of 1E or more overflows
    to 0 (kubernetes-sigs/kueue#9843, pkg/resources ResourceValue). "allows to fit only -N":
    v0.9.0 counted TAS usage once per resource (kueue#3482, fixed in v0.9.1)."""
    notes = []
    for clause in said.clauses:
        facts = clause.facts
        if clause.cause == "exceeds_max_quota" and str(facts.get("max", "")).strip() == "0":
            notes.append(f"Kueue counts a maximum capacity of 0 for {facts.get('resource', '?')} "
                         f"in flavor {facts.get('flavor', '?')}: the ClusterQueue gives that "
                         "flavor no quota for it (and nothing to borrow), or the quota is too "
                         "large to count (a cpu nominalQuota of 1E or more overflows to 0, "
                         "kueue#9843: use 1P)")
        if clause.cause == "queue_inactive" and facts.get("queue") and \
                "ClusterQueue" in clause.text:
            notes.append(f"why ClusterQueue {facts['queue']} is inactive is in its Active "
                         "condition (reasons FlavorNotFound, AdmissionCheckNotFound, "
                         "AdmissionCheckInactive, Stopped, ...): kubectl get clusterqueues."
                         f"kueue.x-k8s.io {facts['queue']} -o jsonpath='{{.status.conditions}}'")
        if clause.cause == "queue_inactive" and re.search(r"parameters reference|"
                                                          r"provisioningrequestconfig",
                                                          clause.text, re.I):
            notes.append("the AdmissionCheck's spec.parameters does not name an existing "
                         "ProvisioningRequestConfig (apiGroup kueue.x-k8s.io, kind "
                         "ProvisioningRequestConfig, name): the check stays inactive and so "
                         "does every ClusterQueue using it; create the config or fix the "
                         "reference (pkg/util/admissioncheck/admissioncheck.go v0.19.2)")
        if "Pending the preemption of" in clause.text:
            notes.append("Kueue has chosen the workloads to preempt; admission follows once "
                         "they release their quota. If this message stays for minutes, the "
                         "victims are not stopping (their jobs must terminate; MultiKueue "
                         "before v0.14.8/v0.15.3/v0.16 did not release quota on a "
                         "manager-initiated eviction, kueue#7350)")
        if "prebuilt workload not found" in clause.text:
            notes.append("the job names a prebuilt Workload (label kueue.x-k8s.io/prebuilt-"
                         "workload-name) that does not exist, so Kueue keeps the job (its pods "
                         "gated) until it appears: create it, or drop the label; Kueue builds "
                         "them itself for MultiKueue and LeaderWorkerSet groups, and gave none to "
                         "the surge groups of an LWS rolling update before kueue#8801")
        if facts.get("webhook"):
            notes.append(f"the admission webhook {facts['webhook']} refused the job when it "
                         "was created, so neither the job nor its Workload exists: fix the "
                         "field its message names and create the job again (kubectl apply "
                         "--dry-run=server shows the webhook's answer first)")
        if "failed to read rank information" in clause.text:
            notes.append("Kueue admitted the workload with a topology assignment but its TAS "
                         "ungater cannot match the job's pods to it (the error names the pod "
                         "and the rank it could not place), so those pods keep the "
                         "kueue.x-k8s.io/topology scheduling gate: the job creates more pods "
                         "(or other ranks) than the Workload's PodSet counts. A TrainJob's "
                         "trainer.numNodes was not counted before kueue#8135")
        if "Failed to preempt workloads" in clause.text:
            notes.append("the workload fits only if Kueue preempts others, and issuing the "
                         "preemption failed (the log's error says why); Kueue retries on a "
                         "later scheduling cycle. An update conflict ('the object has been "
                         "modified') that repeats was not retried before v0.14.5/v0.15.1 "
                         "(kueue#7665): upgrade, or delete the victim workload by hand")
        if "no TAS cache information" in clause.text:
            notes.append("Kueue holds no TAS data for the ClusterQueue's flavor: the "
                         "TopologyAwareScheduling feature gate is off (alpha, off by default "
                         "before v0.14) or the flavor's topologyName names no existing "
                         "Topology; before v0.16 preemption also failed this way with the gate "
                         "off (PR #8167). Enable the gate or drop topologyName from the flavor")
        if clause.cause == "queue_inactive" and "Provisioning Request" in clause.text:
            notes.append("the ProvisioningRequest API (CRD provisioningrequests.autoscaling."
                         "x-k8s.io, installed with cluster-autoscaler) was not served when Kueue "
                         "started: Kueue runs no ProvisioningRequest admission check controller, "
                         "so AdmissionChecks with controllerName kueue.x-k8s.io/provisioning-"
                         "request never become Active and the ClusterQueues using them are "
                         "inactive. Check `kubectl get crd provisioningrequests.autoscaling."
                         "x-k8s.io`; install cluster-autoscaler's CRD (kind and minikube have "
                         "none), then restart kueue-controller-manager (kueue#3195)")
        if clause.cause == "workload_missing" and "the configuration" in clause.text:
            notes.append("kueue-controller-manager exits at start because its Configuration "
                         "(ConfigMap kueue-manager-config, Helm values managerConfig) is invalid "
                         "for this Kueue version: fix the field the error names (e.g. an "
                         "integrations.frameworks entry this version does not know), then "
                         "kubectl rollout restart deployment/kueue-controller-manager -n "
                         "kueue-system. While it is down no job gets a Workload")
        if clause.cause == "workload_missing" and "No matching API" in clause.text:
            notes.append("the job kind's CRD was not installed when Kueue started: Kueue "
                         "v0.6-v0.10 set up no controller or webhook for it, so its jobs get no "
                         "Workload until kueue-controller-manager restarts (v0.11+ sets it up "
                         "when the CRD appears): kubectl rollout restart deployment/kueue-"
                         "controller-manager -n kueue-system")
        if clause.cause == "job_workload_mismatch" and "prebuilt" in clause.text:
            notes.append("the job names a prebuilt Workload (label kueue.x-k8s.io/prebuilt-"
                         "workload-name) it no longer matches, so Kueue finished that Workload "
                         "(reason OutOfSync) instead of building a new one: on a MultiKueue "
                         "worker the manager removes the copy and dispatches the job again; "
                         "otherwise recreate the job with its Workload (jobframework/"
                         "reconciler.go v0.19.2)")
        if clause.cause == "workload_missing" and "fewer runnable pods" in clause.text:
            notes.append("a plain-Pod group with fewer live pods than its kueue.x-k8s.io/pod-"
                         "group-total-count annotation: Kueue builds no Workload and keeps the "
                         "pods gated (pkg/controller/jobs/pod/pod_controller.go v0.19.2): create "
                         "the missing pods, or set the annotation to the group's real size on "
                         "every pod (recreate them)")
        elif clause.cause == "workload_missing" and "pod-group-total-count" in clause.text:
            notes.append("Kueue's pod webhook refused the pod: a pod of a group needs both the "
                         "kueue.x-k8s.io/pod-group-name label and the kueue.x-k8s.io/pod-group-"
                         "total-count annotation (pod_webhook.go v0.19.2); set both on every pod "
                         "of the group and create it again")
        elif clause.cause == "workload_missing" and "not a pod group workload" in clause.text:
            notes.append("a Workload named after the pod group exists and belongs to something "
                         "else, so Kueue refuses to adopt it and the group stays gated (pod_"
                         "controller.go v0.19.2, PodIntegrationValidateGroupOwner): rename the "
                         "group (kueue.x-k8s.io/pod-group-name) or delete that Workload if its "
                         "owner is gone")
        elif clause.cause == "workload_missing" and "already exists" in clause.text:
            notes.append(f"a Workload named {clause.facts.get('workload') or 'so'} already "
                         "exists and is not this job's (an orphan left when a job of the same "
                         "name was deleted with --cascade=orphan, kueue#1726): if its owner is "
                         "gone, delete that Workload and Kueue creates the job's own")
        if clause.cause == "workload_missing" and " is invalid" in clause.text:
            notes.append("the apiserver refused the Workload Kueue built from the job's pod "
                         "template: fix the field the error names in the template; if the "
                         "template is valid for the job itself, Kueue copied it wrongly (e.g. "
                         "duplicate env vars in init containers, kueue#9003): upgrade Kueue")
            if re.search(r"podSets\[\d+\]\.count\b.*(?:greater than or equal to 1|Invalid "
                         r"value: 0)", said.message):
                notes.append("a pod set of count 0 (e.g. a JobSet replicatedJob with replicas 0): "
                             "Workload podSets[].count had a minimum of 1 before Kueue v0.7.0 "
                             "(apis/kueue/v1beta1/workload_types.go): upgrade Kueue, or drop "
                             "the empty replicated job (kueue#2227)")
        if clause.cause == "topology_unfit" and re.search(r"fit only -\d", clause.text):
            notes.append("a negative pod count is a Kueue bug (v0.9.0 counted TAS usage once per "
                         "resource, kueue#3482): upgrade to v0.9.1 or later before "
                         "trusting this verdict")
    return notes[:2]


def _summary(said, cq: dict | None) -> str:
    facts = said.clauses[0].facts if said.clauses else {}
    cause, where = said.cause, f" in ClusterQueue {name_of(cq)}" if cq else ""
    res, flavor = facts.get("resource", ""), facts.get("flavor", "")
    if cause == "quota_exhausted" and res:
        more = f"{facts['lack']} more " if facts.get("lack") else "more "
        return (f"waiting for quota: needs {more}{res} in flavor {flavor}{where} than is "
                "unused now; it will be admitted when quota frees up")
    if cause == "exceeds_max_quota" and res:
        need = facts.get("need") or facts.get("current") or "?"
        return (f"requests {need} {res} in flavor {flavor}, more than the maximum "
                f"{facts.get('max', '?')}{where} can ever provide (nominal + borrowable): "
                "it will never be admitted as is")
    if cause.startswith("admission_check") and not said.message:
        return (f"quota is reserved{where}; admission waits for {said.said} (no message "
                "from its controller)")
    if cause == "resource_not_in_queue" and res:
        return f"the pods request {res}, which the ClusterQueue does not cover in any " \
               "resourceGroup, so Kueue cannot admit the Workload"
    if cause == "flavor_mismatch" and facts.get("taint"):
        return f"the pod template does not tolerate the taint {facts['taint']} of flavor " \
               f"{flavor}, so no flavor of the ClusterQueue can be assigned"
    if cause == "flavor_mismatch" and flavor:
        return f"flavor {flavor} cannot be assigned: {said.clauses[0].text}"
    if cause == "kueue_bug" and RUNTIME_PATCH.search(said.message):
        return f"{RUNTIME_PATCH_LEAD}: {said.message}"[:300]
    if signature(cause, said.message):
        return f"{signature(cause, said.message)[0]}: {said.message}"[:400]
    if cause == "kueue_bug":
        return f"the API server refused Kueue's own update, with a known defect's signature: " \
               f"{said.message}"[:300]
    if cause == "admitted_not_started" and re.search(r"PodSetUpdate: conflict for|invalid podset "
                                                     r"infos", said.message):
        # pkg/podset/podset.go:242-251@v0.19.2: IsPermanent, so Kueue finishes the Workload
        return ("Kueue admitted the workload but gave up starting its job (Finished=True, "
                "FailedToStart: retrying cannot help): " + said.message + "; give the key one "
                "value (the job's own template, the flavor's nodeLabels, the admission check's "
                "podSetUpdates), then recreate the job")[:400]
    if cause == "admitted_not_started" and re.search(r"\bJob is on hold\b", said.message):
        # jobframework/reconciler.go:464-478@v0.19.2: only a RayJob KubeRay marked
        # ValidationFailed is on hold (rayjob_controller.go:218)
        return ("the job's own controller holds it, so Kueue gave back the quota it had "
                "reserved: a RayJob KubeRay marked ValidationFailed (kubectl get rayjob -o "
                "jsonpath='{.status.message}' says what in its spec KubeRay refuses; fix it and "
                "recreate the RayJob)")
    return f"Kueue reports {cause.replace('_', ' ')}: {said.message}"[:300]


def _borrowing_blocks_preemption(wl: dict, said, cq: dict) -> list[str]:
    """A request above nominal quota must borrow; Kueue then preempts only if
    preemption.borrowWithinCohort allows it (pkg/scheduler/preemption)."""
    policy = dig(cq, "spec", "preemption", "borrowWithinCohort", "policy", default="Never")
    if policy not in ("Never", None, ""):
        return []
    quotas = flavor_quotas(cq)
    lines = []
    for clause in said.clauses:
        res, flavor = clause.facts.get("resource"), clause.facts.get("flavor")
        quota = quotas.get((flavor, res)) if res and flavor else None
        need = _request(wl, res) if res else None
        if quota is None or need is None or need <= quota["nominal"]:
            continue
        lines.append(f"{format_quantity(need, res)} {res} exceeds ClusterQueue "
                     f"{name_of(cq)}'s nominalQuota {format_quantity(quota['nominal'], res)} "
                     f"in flavor {flavor}: it must borrow from the cohort, and with "
                     f"preemption.borrowWithinCohort.policy {policy} Kueue does not preempt "
                     "for a workload that borrows")
    return lines[:2]


def _request(wl: dict, res: str):
    total = None
    for podset in dig(wl, "spec", "podSets", default=[]) or []:
        value = podset_requests(podset).get(res)
        if value is not None:
            total = (total or 0) + value
    if total is None:  # a describe paste may hold only status.resourceRequests
        for entry in dig(wl, "status", "resourceRequests", default=[]) or []:
            raw = (entry.get("resources") or {}).get(res)
            if raw is not None:
                total = (total or 0) + parse_quantity(str(raw))
    return total
