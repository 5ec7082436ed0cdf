"""A subject's reports -> one finding: the strongest report decides, the rest is evidence.

Used for pasted text (describe output, event rows, log lines) and for events about pods that
are not in a dump. Every finding made here has basis "reported": a component said it.
"""
from __future__ import annotations

import re

from k8s_skillkit import invalid_errors
from k8s_skillkit.findings import finding

from _tshoot import kubeletmsg as km
from _tshoot import terminating as term
from _tshoot.redact import redact

_SCHED_FIX = {
    "insufficient": "no node has that much free: lower the pod's requests, free capacity or add "
                    "nodes; 'Too many pods' is the node's max-pods limit (kubelet maxPods) - "
                    "raise it or add nodes",
    "volume_limit": "the nodes have as many volumes attached as their driver allows (CSINode "
                    "allocatable count, the cloud's per-instance limit): spread the pods over "
                    "more nodes or add nodes (the cluster autoscaler adds one for it), or use "
                    "fewer volumes per node",
    "taint": "add a toleration for the taint to the pod template if the pod belongs on those "
             "nodes (GPU and dedicated pools are tainted on purpose), or remove the taint: "
             "kubectl describe nodes | grep Taints shows which",
    "control_plane": "only control-plane nodes are left and they are tainted NoSchedule: add "
                     "worker nodes, or on a single-node cluster remove the taint "
                     "(kubectl taint nodes --all node-role.kubernetes.io/control-plane-)",
    "cordoned": "the nodes are cordoned (spec.unschedulable): kubectl uncordon NODE once their "
                "maintenance is over",
    # kube-scheduler's ErrNoNodesAvailable ("no nodes available to schedule pods",
    # the catalogue's scheduler.yaml cites where): from 1.9 the scheduler's node list holds
    # every Node, NotReady or cordoned ones too, so no Node is registered;
    # before 1.9 the scheduler listed only schedulable nodes (Ready, not cordoned, not out of
    # disk: plugin/pkg/scheduler/factory/factory.go@v1.6.0 getNodeConditionPredicate).
    # From 1.36 the count is of the nodes in the pod's workload placement when it has one
    # (pkg/scheduler/schedule_one.go@v1.37.2 NumNodesInPlacement), so an empty placement says it
    # too. Young-ook/terraform-aws-eks#92: an EKS control plane created without a node group.
    "no_nodes": "the cluster has no Node the scheduler can use: none is registered (kubectl get "
                "nodes prints No resources found) - create the node group/pool or join workers, "
                "and if they exist check why their kubelets do not register (bootstrap token, "
                "IAM/aws-auth mapping, the API server address); before 1.9 the same "
                "message also meant every node NotReady or cordoned, from 1.36 a workload "
                "placement with no node",
    "not_ready": "the nodes the pod could use are NotReady/unreachable: bring their kubelet back "
                 "(see the node's Ready condition) or remove dead Nodes",
    "pressure": "the nodes are under disk/memory/PID pressure and tainted by the kubelet: free "
                "disk (unused images, logs) or memory on them, or add capacity",
    "affinity": "nodeSelector / required nodeAffinity match no node's labels: compare with "
                "kubectl get nodes --show-labels and fix the selector or label the nodes",
    "pod_affinity": "required pod (anti-)affinity cannot be met: with anti-affinity per node, "
                    "replicas need at least as many eligible nodes - add nodes, lower replicas, "
                    "or use preferredDuringScheduling",
    "spread": "topologySpreadConstraints with DoNotSchedule cannot be met on the current "
              "domains: add nodes in the missing zone, raise maxSkew or use ScheduleAnyway",
    "ports": "the requested hostPort (or hostNetwork port) is already taken on those nodes: free "
             "the port, drop hostPort, or run on more nodes",
    "volume_affinity": "the pod's PersistentVolume(s) are pinned to another zone/node than any "
                       "node it can use: schedule in the volume's zone, or recreate the volumes "
                       "in one zone (StorageClass volumeBindingMode: WaitForFirstConsumer)",
    "volume_in_use": "its volume is held by another pod: a ReadWriteOncePod claim admits one pod "
                     "at a time (or, in-tree disks, a disk mounted read-write by a pod on that "
                     "node) - wait for or delete the pod using it (kubectl describe pvc NAME: Used "
                     "By), or give this pod a claim of its own",
    "pvc": "a PersistentVolumeClaim is not bound: check kubectl describe pvc (StorageClass "
           "exists? default class? provisioner running?); a claim Lost or being deleted must "
           "be re-created, and 'not enough free storage' is the storage pool's capacity the "
           "CSI driver reports (CSIStorageCapacity): a smaller claim or more storage",
    "dra": "its DRA ResourceClaims cannot be allocated: hand off to the k8s-dra skill "
           "(explain_claim.py) - the claims' device requests match no free devices",
    "other": "read the scheduler's message for the plugin that rejected the nodes",
}

_FIX = {
    "node_not_ready": "bring the node's kubelet back: it stopped reporting (machine down, kubelet "
                      "or container runtime dead); then check the Ready condition's message",
    "node_pressure": "the kubelet reports resource pressure and taints the node: free disk "
                     "(crictl rmi --prune, old logs) or memory, or raise the node's capacity; "
                     "new pods are kept off until the condition clears",
    "dra_claim": "hand off to the k8s-dra skill (explain_claim.py): the pod waits for its "
                 "ResourceClaims to be allocated by the DRA driver",
    "gpu_pressure": "CUDA ran out of GPU memory: lower the per-GPU batch size, enable gradient "
                    "checkpointing / mixed precision, or use a GPU with more memory; Xid "
                    "hardware errors: cordon and drain the node",
    "oom_killed": "raise resources.limits.memory of the container (and requests to match) or "
                  "make the process use less memory",
    "probe_failing:liveness": "the liveness/startup probe kills the container before it "
                              "answers: add a startupProbe or raise initialDelaySeconds/"
                              "timeoutSeconds/failureThreshold, or fix the probed endpoint",
    "probe_failing": "the readiness probe fails: point it at the port/path the app serves, or "
                     "fix what the app's health endpoint depends on",
    "config_missing": "create the ConfigMap/Secret (or the key) in the pod's namespace, fix the "
                      "name/key in the pod template, or mark the reference optional: true",
    "gpu_not_advertised": "the node's device plugin reports no GPU: check its pod runs on that "
                          "node (a node taint its DaemonSet does not tolerate keeps it off: "
                          "NVIDIA/k8s-device-plugin#68) and read its log (kubectl -n <plugin "
                          "ns> logs <device-plugin pod>): with Docker the "
                          "default runtime must be nvidia (/etc/docker/daemon.json "
                          "default-runtime; containerd: the nvidia runtime as default or a "
                          "RuntimeClass for the plugin), the driver must be loaded (nvidia-smi "
                          "on the node), and unhealthy devices (Xid) are dropped; restart the "
                          "plugin after fixing it",
    "sandbox_failed": "the CNI plugin could not set up the pod's network: check the network "
                      "add-on's pods on that node (logs, credentials, config in /etc/cni/net.d); "
                      "'failed to find plugin X in path' means the CNI plugin binaries are not "
                      "in /opt/cni/bin on the node: install them (containernetworking/plugins)",
    "mount_failed": "a volume cannot be attached/mounted: a ReadWriteOnce volume still attached "
                    "to another node waits for the old pod to go (or a stale VolumeAttachment "
                    "to be deleted); otherwise check the storage driver's pods and the volume "
                    "(a local PV's path must exist on the node, and its nodeAffinity must match "
                    "the node: 'MountVolume.NodeAffinity check failed')",
    "evicted": "the kubelet evicted the pod under node resource pressure: free node disk/memory, "
               "set requests (ephemeral-storage, memory) so the pod is not the first victim; "
               "evicted pods stay Failed until deleted",
    "stuck_terminating": "no kubelet confirms the deletion (its node is gone or unreachable) or "
                         "a finalizer holds it: check metadata.finalizers; if the node is gone, "
                         "kubectl delete pod NAME --grace-period=0 --force",
    "crash_loop": "read the previous logs (kubectl logs POD --previous) and fix the command, "
                  "config or application error; the container exits and is restarted",
    "pvc_pending": "the claim cannot bind: set an existing storageClassName (or mark a default "
                   "StorageClass), or create a matching PersistentVolume",
    "kubelet_admission_rejected": "the node's kubelet refused the pod after it was placed there "
                                  "(pod phase Failed): its resources, devices or labels did not "
                                  "fit what the kubelet sees - usually a pod bound by nodeName "
                                  "or another scheduler, or a device plugin that lost its "
                                  "devices (restart it); delete the Failed pod so its "
                                  "controller makes a new one the scheduler places",
    "container_start_failed": "the container runtime could not create or start the container, "
                              "or its postStart hook failed: read the message (missing file or "
                              "permission in the image, a bad mount, the hook's command) and "
                              "fix the image, command or hook; a runtime timeout ('context "
                              "deadline exceeded', 'name is reserved', 'timing out in CRI-O') "
                              "is a loaded node or a slow volume setup (a volume with many "
                              "files to relabel): check the node's load and that volume, the "
                              "kubelet retries on its own",
    "deadline_exceeded": "the pod ran longer than its spec.activeDeadlineSeconds and the kubelet "
                         "stopped it: raise the deadline or make the work finish sooner",
    "job_failed": "the Job stopped retrying (backoffLimit, activeDeadlineSeconds, failed indexes "
                  "or a podFailurePolicy FailJob rule): read why its pods failed (kubectl logs "
                  "job/NAME --previous, the pods' own findings), fix that, then re-create the "
                  "Job",
    "eviction_blocked_pdb": "a PodDisruptionBudget selecting the pod allows no disruption now "
                            "(status.disruptionsAllowed 0: minAvailable equal to the replicas, "
                            "maxUnavailable 0, or pods it counts not Ready), so the eviction "
                            "API refuses and kubectl drain, a node upgrade or the "
                            "cluster-autoscaler keeps retrying: kubectl get pdb -A shows ALLOWED "
                            "DISRUPTIONS; scale the workload up, relax minAvailable/"
                            "maxUnavailable, or make its pods Ready (spec."
                            "unhealthyPodEvictionPolicy: AlwaysAllow lets not-Ready pods go, "
                            "1.27+), then drain again; deleting the budget or kubectl drain "
                            "--disable-eviction skips it, only when that outage is acceptable",
    "rollout_stuck": "the Deployment's new ReplicaSet did not become available within "
                     "progressDeadlineSeconds: the new pods' own findings (image, crash, "
                     "scheduling, quota) say why; fix that or roll back (kubectl rollout undo)",
}


# "probe errored" is the prober's error before any check ran (pkg/kubelet/prober/prober.go):
# `strconv.Atoi: parsing "NAME"` is a named port the container does not declare (the port
# name is looked up in containers[].ports[].name, then parsed as a number: v1.37.2
# pkg/probe/util.go ResolveContainerPort; external-dns-hetzner-webhook#33); at v1.37.2 the
# lookup's miss reads `port "NAME" not found` (util.go findPortByName)
_PROBE_ERRORED_FIX = ("make the probe runnable: a named port must be the name of one of the "
                      "container's ports (containers[].ports[].name), else use the number; "
                      "for exec probes the command must exist in the image")

_ADMISSION_FIX = {
    "quota_exceeded": "a ResourceQuota in the namespace has no room for these pods: free quota "
                      "(delete what you no longer need), lower the pods' requests/limits, or "
                      "raise the quota's hard limits (kubectl describe resourcequota -n NS)",
    "quota_requires_limits": "a ResourceQuota on compute resources makes every container "
                             "(init containers too) state the resources it names: set them in "
                             "the pod template, or add a LimitRange with defaults to the "
                             "namespace",
    "limit_range_violation": "a LimitRange in the namespace refuses the containers' requests/"
                             "limits: fit them between its min and max (kubectl describe "
                             "limitrange -n NS), or change the LimitRange",
    "pod_security_policy_denied": "no PodSecurityPolicy the pods may use allows these fields: "
                                  "drop them from the pod template, or let the pods' "
                                  "ServiceAccount use a policy that allows them (PSP was "
                                  "removed in 1.25: migrate to Pod Security admission)",
    "admission_webhook_denied": "an admission webhook refused the pods: satisfy the policy its "
                                "message names, or fix the webhook if it is broken",
    "service_account_not_found": "the pods' ServiceAccount does not exist: create it or fix "
                                 "serviceAccountName",
    "namespace_terminating": "the namespace is being deleted: nothing new can be created in "
                             "it; see why its deletion is stuck, or use another namespace",
    "security_context_denied": "the SecurityContextDeny admission plugin (kube-apiserver <= "
                               "1.29) refuses pods that set this field: drop it from the pod "
                               "template, or remove SecurityContextDeny from "
                               "--enable-admission-plugins (Pod Security admission replaces "
                               "it)",
}
_PSA_FIX = ("Pod Security admission refuses the pods: set the securityContext fields its "
            "message names in the pod template (restricted: allowPrivilegeEscalation: false, "
            "capabilities.drop: [ALL], runAsNonRoot: true, seccompProfile.type: RuntimeDefault); "
            "if the workload truly needs them, an admin may label the namespace "
            "pod-security.kubernetes.io/enforce=baseline or privileged")


def _admission_fix(rep) -> tuple[str, str]:
    """(message, fix) of an admission refusal of the pods a controller tried to create."""
    if "invalid" in rep.detail:
        return _invalid_fix(rep.detail["invalid"])
    r = rep.detail["refusal"]
    if r.level:  # Pod Security admission
        reason, detail = r.checks[0]
        more = len(rep.detail.get("also_refused") or [])
        return (f"Pod Security \"{r.level}\" refuses its pods: {reason}"
                + (f" ({detail})" if detail else "") + (f", and {more} more" if more else ""),
                _PSA_FIX)
    if r.call_error:
        return (f"the API server cannot call admission webhook {r.webhook}, so it refuses its "
                f"pods (the webhook's failurePolicy is Fail): {r.call_error[:200]}",
                "bring the webhook back: its Service needs ready endpoints (kubectl get "
                "endpoints, the webhook's pods and logs; a network policy or certificate in "
                "the way); if the webhook was uninstalled, delete its leftover "
                "Validating/MutatingWebhookConfiguration")
    what = {"pod_security_policy_denied": "no PodSecurityPolicy admits its pods",
            "admission_webhook_denied": (f"ValidatingAdmissionPolicy {r.policy} refuses its "
                                         "pods" if r.policy else
                                         f"admission webhook {r.webhook} refuses its pods"),
            "quota_exceeded": "a ResourceQuota refuses its pods (quota exceeded)",
            "quota_requires_limits": "a ResourceQuota refuses its pods (requests/limits not set)",
            "limit_range_violation": "a LimitRange refuses its pods",
            "service_account_not_found": "its pods' ServiceAccount does not exist",
            "namespace_terminating": "its namespace is being deleted",
            "security_context_denied": "the SecurityContextDeny admission plugin refuses its "
                                       "pods"}.get(r.cause, r.cause)
    if r.cause == "quota_exceeded" and _QUOTA_LIMITED.search(r.text):
        return (f"the cluster lets these pods' priority class or resource be used only where a "
                f"ResourceQuota covers it, and none does here: {r.text[:200]}", _LIMITED_FIX)
    return f"{what}: {r.text[:200]}", _ADMISSION_FIX.get(r.cause, "")


# the ResourceQuota plugin's limitedResources (AdmissionConfiguration): a resource or scope
# usable only in namespaces with a quota that matches it (k8s.io/apiserver v0.37.2
# pkg/admission/plugin/resourcequota/controller.go; GKE's limit on the critical
# PriorityClasses outside kube-system: openebs-archive/cstor-operators#196)
_QUOTA_LIMITED = re.compile(r"insufficient quota to (?:consume|match these scopes)", re.I)
_LIMITED_FIX = ("drop the pods' priorityClassName (or use a PriorityClass of your own: a "
                "managed cluster keeps system-node-critical / system-cluster-critical to "
                "kube-system), or create in the namespace a ResourceQuota whose scopeSelector "
                "matches it (scopeName PriorityClass, operator In, the class names); the "
                "cluster's admission configuration (ResourceQuota limitedResources) sets this")


def _invalid_fix(inv) -> tuple[str, str]:
    """(message, fix) of the API server's validation refusal (k8s_skillkit.invalid_errors)."""
    errs = "; ".join(" ".join(f"{e.field}: {e.type}: {e.detail}".split()).rstrip(": ")
                     for e in inv.errors[:3])
    what = f"{inv.kind.split('.')[0]} {inv.name}".strip() if inv.kind else "the object"
    return (f"the API server refuses {what} as invalid" + (f": {errs[:300]}" if errs else ""),
            invalid_errors.fix_for(inv))


def _non_root_fix(d: dict) -> tuple[str, str]:
    if d.get("image_user"):
        return (f"the kubelet refuses to start it: runAsNonRoot is set and the image's user is "
                f"a name ({d['image_user']}) it cannot verify as non-root",
                "set securityContext.runAsUser to that user's numeric UID, or build the image "
                "with a numeric USER")
    if d.get("run_as_user"):
        return ("the kubelet refuses to start it: runAsNonRoot is set but runAsUser is 0 (root)",
                "set securityContext.runAsUser to a non-zero UID, or drop runAsNonRoot if the "
                "container must run as root")
    return ("the kubelet refuses to start it: runAsNonRoot is set but the image runs as root",
            "run it as a non-root user: set securityContext.runAsUser to a non-zero UID (e.g. "
            "65534), or use an image built with a numeric non-root USER; drop runAsNonRoot only "
            "if it must run as root (the namespace's Pod Security level may forbid that)")


def pick(reports: list) -> tuple:
    """(winner, other reports): the strongest; among equals the last printed. The scheduler
    speaks about a pod before it is placed, so only its latest verdict counts."""
    sched = [r for r in reports if r.scheduler]
    kept = [r for r in reports if not r.scheduler] + sched[-1:]
    best = None
    for rep in kept:
        if best is not None and rep.cause == best.cause and rep.quote.strip() \
                and rep.quote.strip() in best.quote:
            continue  # a line already read joined with its neighbours: the fuller read stays
        if best is None or rep.weight >= best.weight:
            best = rep
    return best, [r for r in reports if r is not best]


_PVC_BINDING = {
    "api_removed": ("its PersistentVolumeClaims stay Pending (and volumes do not attach): the "
                    "storage driver's controller sidecars (external-provisioner, "
                    "external-attacher) list a storage.k8s.io version this cluster no longer "
                    "serves, so they never start working",
                    "upgrade the CSI driver to a release whose sidecar images support this "
                    "Kubernetes version (storage.k8s.io/v1beta1 CSINode, CSIDriver, "
                    "StorageClass and VolumeAttachment are gone from 1.22; v1beta1 "
                    "CSIStorageCapacity from 1.27): apply the driver's newer manifest or chart, "
                    "then check kubectl logs of the controller pod's csi-provisioner and "
                    "csi-attacher containers"),
    # reports._PROVISIONER_BLIND: the provisioner's informer cannot list what it provisions for
    "list_decode": ("its PersistentVolumeClaims stay Pending: the dynamic provisioner cannot "
                    "decode the API server's list of claims (its client library is older than "
                    "the cluster: objects carry fields it cannot parse, e.g. managedFields since "
                    "1.18), so it never sees a claim to provision",
                    "upgrade the provisioner to a release built for this Kubernetes version "
                    "(minikube: a current minikube ships a fixed storage-provisioner addon - "
                    "minikube delete, then start again; a chart or manifest: its newer image); "
                    "then kubectl get pvc shows the claims Bound and the provisioner's log no "
                    "longer repeats 'Failed to list'"),
    "list_failed": ("its PersistentVolumeClaims stay Pending: the dynamic provisioner cannot "
                    "list the claims, volumes or classes it works on, so it never sees a claim "
                    "to provision",
                    "fix what the 'Failed to list' error names: forbidden - give the "
                    "provisioner's ServiceAccount get/list/watch on persistentvolumeclaims, "
                    "persistentvolumes and storageclasses (its chart's ClusterRole and binding; "
                    "kubectl auth can-i list persistentvolumeclaims --as=system:serviceaccount:"
                    "NS:SA); a connection error - its pod's route to the API server; then "
                    "kubectl get pvc shows the claims Bound"),
    "named": ("its PersistentVolumeClaim names a PersistentVolume (spec.volumeName) it cannot "
              "bind: the volume does not satisfy the claim or is bound to another claim",
              "make the claim fit the volume (storageClassName, a request no larger than the "
              "PV's capacity, accessModes, volumeMode) or name a PV that is Available; a PV "
              "Released by a deleted claim keeps its claimRef until an admin clears it"),
    "provisioner": ("its PersistentVolumeClaim stays Pending: the storage driver failed to "
                    "create the volume (CreateVolume), so nothing binds it",
                    "fix what the driver's error names: a cloud permission its identity lacks "
                    "(the CSI controller's IAM role / service account), a quota or zone, or a "
                    "StorageClass parameter; kubectl describe pvc shows each retry "
                    "(ProvisioningFailed), the driver's controller log the full error"),
    "selflink": ("its PersistentVolumeClaim stays Pending: the provisioner cannot make the "
                 "claim's reference because metadata.selfLink is empty - Kubernetes 1.20+ no "
                 "longer fills it (KEP-1164) and the provisioner is built on a library that "
                 "needs it",
                 "upgrade the provisioner to a current release (built on a "
                 "sig-storage-lib-external-provisioner / client-go whose GetReference no longer "
                 "reads selfLink); the kube-apiserver feature gate RemoveSelfLink=false was only "
                 "a stopgap and cannot be set since 1.24 (GA)"),
    "node_plugin": ("its PersistentVolumeClaim stays Pending: the CSI driver cannot provision "
                    "for the node the scheduler picked, whose CSINode lists no topology keys "
                    "for the driver (its node plugin is not registered there)",
                    "run the driver's node DaemonSet on that node (its nodeSelector/"
                    "tolerations, the node-driver-registrar container's log), or keep the pod "
                    "off nodes without it; kubectl get csinode NODE -o yaml lists the drivers "
                    "registered"),
    "ephemeral_owner": ("its generic ephemeral volume has no claim: a PersistentVolumeClaim "
                        "of the name the controller must create (POD-VOLUME) exists and "
                        "belongs to something else",
                        "delete or rename that PersistentVolumeClaim (kubectl get pvc NAME -o "
                        "jsonpath='{.metadata.ownerReferences}'), or rename the pod or the "
                        "volume so the names do not collide"),
    "lost": ("its PersistentVolumeClaim is Lost: the PersistentVolume it was bound to is gone",
             "re-create the PersistentVolume under the same name if the storage still exists, "
             "otherwise delete and re-create the claim (the data on the old volume is lost)"),
}


def sched_fix(cat: str, resources: list, taint_keys: list) -> str:
    """The fix for a scheduler category, with the resources and taints its message names."""
    fix = _SCHED_FIX.get(cat, _SCHED_FIX["other"])
    extended = [r for r in resources if "/" in r]
    if cat == "insufficient" and extended:
        fix = (f"no node has {extended[0]} free: check that nodes advertise it (kubectl "
               f"describe nodes | grep {extended[0]}; its device plugin must be running) and "
               "that enough is unallocated, or lower the request")
    if taint_keys:
        fix += " (taints named: " + ", ".join(taint_keys) + ")"
    return fix


def message_fix(rep) -> tuple[str, str]:
    cause, d = rep.cause, rep.detail
    if d.get("message_fix"):  # a reader that words its own (csi_lifecycle.py, cni_teardown.py)
        return d["message_fix"]
    if cause == "gpu_not_advertised" and "register" in d:
        return _registration_failed(d["register"])
    if d.get("gpu_stack"):
        return (f"a GPU-stack component reports it: {' '.join(rep.quote.split())[:200]}",
                "run explain_gpu_failure.py on this message: it names what the component "
                "refused and the fix (references/gpu-training.md)")
    if rep.scheduler and "category" in d:
        msg = f"the scheduler cannot place it: {d.get('reason')}"
        if d.get("placement"):
            msg = (f"the DaemonSet controller placed no pod on node {d['placement']}: "
                   f"{d.get('reason')}")
        if re.search(r"max node group size reached|max cluster \w+ limit reached",
                     str(d.get("reason"))):
            return (f"the cluster-autoscaler cannot add a node for it: {d.get('reason')}",
                    "the node groups the pod fits are at their maximum size: raise the "
                    "group's max (the cloud node pool's max nodes, cluster-autoscaler "
                    "--nodes=MIN:MAX or --max-nodes-total), or free capacity on its nodes")
        return msg, sched_fix(d["category"], d.get("resources") or [],
                              d.get("taint_keys") or [])
    if d.get("admission"):
        return _admission_fix(rep)
    if cause == "run_as_non_root":
        return _non_root_fix(d)
    if cause == "stuck_terminating" and d.get("drain_pod"):
        # the drain's eviction of it was accepted; the pod did not go (terminating.DRAIN_WAIT)
        return (f"kubectl drain evicted it and it did not terminate in time "
                f"({d.get('drain_err') or 'timeout'}): it is stuck Terminating on the node",
                "kubectl get pod NAME -o yaml: a deletionTimestamp with metadata.finalizers "
                "names what holds it, a long terminationGracePeriodSeconds or preStop hook "
                "delays it, a volume the node cannot unmount keeps it (kubectl describe pod: "
                "FailedKillPod / unmount events, the CSI or storage pods on that node); fix "
                "that, then drain again; force deletion (--grace-period=0 --force) only when "
                "the node is gone")
    if cause == "stuck_terminating" and d.get("lost_node"):
        return ("it shows Unknown: it is being deleted but its node is lost (reason NodeLost), "
                "so no kubelet will confirm the deletion",
                "if the node is gone for good, delete its Node object (kubectl delete node "
                "NODE) or force the pod's deletion (kubectl delete pod NAME --grace-period=0 "
                "--force); if the node comes back, its kubelet finishes the deletion")
    if cause == "image_pull":
        kind = d.get("kind", "pull failed")
        image = d.get("image")
        return (f"cannot pull image{' ' + image if image else ''} ({kind})",
                km.PULL_FIX.get(kind, km.PULL_FIX["pull failed"]))
    if cause == "config_missing" and d.get("name"):
        what = (f"key {d['key']} in {d['kind']} {d['name']}" if d.get("key")
                else f"{d['kind']} {d['name']}")
        return (f"the kubelet cannot find {what}",
                f"create {what} in the pod's namespace (or fix the reference / optional: true)"
                + (" - set secret values yourself, never paste them" if d["kind"] == "Secret"
                   else ""))
    if cause == "probe_failing":
        key = "probe_failing:liveness" if d.get("probe") in ("liveness", "startup") \
            else "probe_failing"
        what = "restarts it" if key != "probe_failing" else "keeps it out of Service endpoints"
        if d.get("bgp"):
            return ("calico-node's readiness probe fails: its BGP daemon (BIRD) has no session "
                    "with the other nodes, so this node's pod routes are not exchanged",
                    "check the node address Calico chose (kubectl get node NODE -o jsonpath="
                    "'{.metadata.annotations.projectcalico\\.org/IPv4Address}'): on hosts with "
                    "several NICs set IP_AUTODETECTION_METHOD on the calico-node DaemonSet "
                    "(interface=eth0, can-reach=<a peer>, cidr=<node subnet>); also open TCP 179 "
                    "between the nodes")
        if d.get("errored"):
            return (f"its {d.get('probe', 'readiness')} probe cannot even run (the kubelet "
                    f"says it errored) and the kubelet {what}", _PROBE_ERRORED_FIX)
        return f"its {d.get('probe', 'readiness')} probe fails and the kubelet {what}", _FIX[key]
    if cause == "pvc_pending" and d.get("binding"):
        msg, fix = _PVC_BINDING[d["binding"]]
        return (msg.replace("the node the scheduler picked",
                            f"node {d['node']}, which the scheduler picked")
                if d.get("node") else msg), fix
    if cause == "mount_failed" and d.get("volume_affinity"):
        return ("the kubelet will not mount its PersistentVolume: the volume's nodeAffinity does "
                "not match the node the pod is on",
                "let the scheduler place the pod (drop spec.nodeName, which bypasses volume "
                "binding) or run it where the PV's nodeAffinity points (kubectl get pv PV -o "
                "jsonpath='{.spec.nodeAffinity}'); if the node's labels changed since the volume "
                "was bound, restore them or re-create the PV for the new node")
    if cause == "mount_failed" and d.get("subpath"):
        return ("the kubelet cannot bind a volumeMount's subPath into the container (waiting "
                "CreateContainerConfigError); the volume itself is mounted",
                "check the subPath against the volume: the kubelet must be able to create that "
                "directory in it (permissions, a read-only volume) and resolve it inside the "
                "volume (no symlink pointing out of it); the event hides the detail on purpose, "
                "the kubelet's log on that node has it")
    if cause == "mount_failed" and d.get("not_set_up"):
        return (f"the kubelet never set up its volume {d['not_set_up']}, so it cannot build the "
                "container's mounts (the container is not created)",
                "read the pod's FailedMount events and the kubelet's log for that volume's "
                "SetUp error: a hostPath whose path is missing while its type (Directory, File) "
                "requires it (type DirectoryOrCreate creates it), a volume plugin that failed; "
                "fix it, then delete the pod")
    if cause == "mount_failed" and d.get("csi_unregistered"):
        driver = d["csi_unregistered"]
        return (f"CSI driver {driver}'s node plugin is not registered on the pod's node, so the "
                "kubelet cannot call it to mount the volume",
                f"run the driver's node DaemonSet on that node: compare kubectl get pods -A -o "
                f"wide for its node pods with the node, give the DaemonSet the tolerations (and "
                f"nodeSelector) of the nodes the workload runs on, and check kubectl get csinode "
                f"NODE -o jsonpath='{{.spec.drivers[*].name}}' lists {driver}")
    if cause == "mount_failed" and d.get("csi_registration"):
        return ("the kubelet refused the CSI driver's registration (its node-driver-registrar "
                "restarts), so the driver's node plugin is not registered on that node and the "
                "kubelet cannot mount its volumes there",
                "read the registration error after 'RegisterPlugin error --' (the node plugin's "
                "NodeGetInfo, e.g. a topology label that collides with the node's existing one, "
                "or a socket path the kubelet cannot dial: --kubelet-registration-path must be "
                "the path on the host); fix the driver's node DaemonSet and check kubectl get "
                "csinode NODE -o jsonpath='{.spec.drivers[*].name}'")
    if cause == "mount_failed" and d.get("iscsi_login"):
        return ("the node's iSCSI initiator cannot discover or log in to the volume's target "
                "portal, so the kubelet cannot mount the iSCSI volume",
                "from the pod's node, reach the portal: iscsiadm -m discovery -t sendtargets -p "
                "PORTAL (the target's pod/service up, port 3260 open, iscsid running on the "
                "node); a portal that is a ClusterIP served by a pod on the same node may not "
                "be reachable from the host's initiator (hairpin NAT): try the target's pod IP, "
                "or run the consumer on another node")
    if cause == "mount_failed" and "mount_helper" in d:
        fs = d["mount_helper"] or "the volume's filesystem"
        return (f"the node cannot mount {fs}: mount(8) found no /sbin/mount.<type> helper for "
                "it on the node (the filesystem's client tools are not installed), so the "
                "kernel refused the mount's options ('bad option')",
                "install the filesystem's client on every node that may run the pod (NFS: "
                "nfs-common on Debian/Ubuntu, nfs-utils on RHEL/Rocky/Amazon Linux; CIFS/SMB: "
                "cifs-utils), on the host, not in the container; then delete the pod or wait "
                "for the kubelet's retry")
    if cause == "mount_failed" and d.get("missing_path"):
        return (f"a local PersistentVolume's path {d['missing_path']} does not exist on the "
                "pod's node",
                f"create {d['missing_path']} on that node (or mount the disk there), or fix "
                "the PV's spec.local.path and its nodeAffinity to the node that has it")
    if cause == "eviction_blocked_pdb" and d.get("overlap"):
        who = f" (pod {d['pod']})" if d.get("pod") else ""
        return (f"its eviction is refused{who}: more than one PodDisruptionBudget selects the "
                "pod, and the eviction API refuses any pod two budgets select (HTTP 500, "
                "whatever each budget allows)",
                "make exactly one PodDisruptionBudget select the pod: compare the selectors of "
                "kubectl get pdb -n NAMESPACE -o yaml with the pod's labels (kubectl get pod "
                "POD --show-labels), then narrow one selector or change the workload's labels "
                "so the budgets do not overlap, and drain again; deleting a budget or kubectl "
                "drain --disable-eviction skips them, only when that outage is acceptable")
    if cause == "eviction_blocked_pdb" and (d.get("pdb") or d.get("pod")):
        who = f" (pod {d['pod']})" if d.get("pod") else ""
        budget = (f"PodDisruptionBudget {d['pdb']} needs {d['desired']} healthy pods and has "
                  f"{d['healthy']}" if d.get("pdb") else
                  "a PodDisruptionBudget allows no disruption now")
        return f"its eviction is refused{who}: {budget}", _FIX[cause]
    if cause == "crash_loop" and d.get("chown"):
        return (f"the container exits: chown of {d['chown']} is refused (Operation not "
                "permitted): the volume's filesystem does not let it change ownership (NFS "
                "with root squash, an EFS access point, a CIFS/SMB mount)",
                "do not chown on that volume: turn the chart's volume-permissions init "
                "container off (e.g. volumePermissions.enabled: false) and run the pod with "
                "the volume owner's uid/gid (securityContext runAsUser/fsGroup; for EFS, the "
                "access point's posixUser / uid and gid parameters), or use storage that allows "
                "chown")
    if cause == "crash_loop" and d.get("dns_loop"):
        return (f"the container crashes: {d['why']} (CoreDNS's loop plugin: its upstream "
                "forwards back to itself, most often because the node's resolv.conf names a "
                "local stub resolver such as systemd-resolved's 127.0.0.53, which the kubelet "
                "gives the CoreDNS pod)",
                "point the kubelet at the real resolver list (KubeletConfiguration resolvConf, "
                "or --resolv-conf: /run/systemd/resolve/resolv.conf under systemd-resolved) or "
                "make the Corefile's forward name a real upstream instead of /etc/resolv.conf; "
                "then delete the CoreDNS pods so they start again "
                "(https://coredns.io/plugins/loop#troubleshooting)")
    if cause == "crash_loop" and d.get("why"):
        return f"the container crashes: {d['why']}", _FIX["crash_loop"]
    if cause == "stuck_terminating" and d.get("ns_blocker"):
        why, fix = term.blocker(rep.quote, d.get("namespace") or "NS")
        return f"stuck Terminating: {why}", fix
    if d.get("shutdown"):
        what = ("the kubelet rejected it: its node was shutting down (graceful node shutdown)"
                if cause == "kubelet_admission_rejected" else
                "the kubelet stopped it: its node was shutting down (graceful node shutdown)")
        return what, ("nothing to fix in the pod: its controller recreates it on another node; "
                      "delete the Failed pods (kubectl delete pods --field-selector="
                      "status.phase=Failed); if replacements keep landing on a node that is "
                      "shutting down, cordon it first (kubectl cordon NODE)")
    if cause == "kubelet_admission_rejected" and d.get("smt"):
        return ("the node's kubelet refused it: its static CPU manager (policy option "
                "full-pcpus-only) gives whole physical cores only, and the container's CPU "
                "request is not a multiple of the CPUs per core, or that many free whole cores "
                "are not left",
                "request CPUs in multiples of the node's threads per core (2 with SMT on) for "
                "Guaranteed containers, or run it on a node with free whole cores; delete the "
                "Failed pod so its controller makes a new one")
    if cause == "evicted" and d.get("critical"):
        return ("the kubelet killed it to make room for a critical pod (a static pod, or "
                "priority system-node-critical / system-cluster-critical) its node had too few "
                "free resources for",
                "give the node room for its critical pods (requests that leave headroom, fewer "
                "pods, a bigger node) or move the critical pod; delete the Failed pods "
                "(its controller recreates them)")
    if cause == "node_not_ready" and d.get("pod_cidr"):
        return ("the node has no pod CIDR (spec.podCIDR), so its network plugin cannot start "
                "and the node stays NotReady",
                "let kube-controller-manager allocate node CIDRs: --allocate-node-cidrs=true "
                "with a --cluster-cidr (kubeadm init --pod-network-cidr, e.g. 10.244.0.0/16) "
                "large enough for one --node-cidr-mask-size range (a /24 by default) per node; "
                "then re-create the node's CNI pod (kubectl get node NODE -o "
                "jsonpath='{.spec.podCIDR}' shows the range)")
    if cause == "node_not_ready" and d.get("runtime_down"):
        # _tshoot/runtime_down.py: the runtime's own exit, its unit's exit or its refused socket
        return (f"the node's container runtime is not running ({d['runtime_down'][:160]}), so "
                "the kubelet reports it NotReady and every pod on it fails to start",
                "read the runtime's own exit error (journalctl -u containerd -b, or crio), fix "
                "it and restart the runtime, then the kubelet (systemctl restart containerd "
                "kubelet); a drop-in config whose version is above the root config's: write "
                "the drop-in at the root's version, or migrate the root config (containerd "
                "config migrate) - a tool that writes drop-ins (the NVIDIA container toolkit) "
                "must read the root file, not `containerd config dump`")
    if cause == "node_not_ready" and d.get("kubelet_exits") and \
            km.CGROUP_NOT_MOUNTED.search(d["kubelet_exits"]):
        # container_manager_linux.go validateSystemRequirements: a cgroup v1 controller the
        # kernel did not mount (Raspberry Pi OS ships with the memory cgroup disabled)
        missing = km.CGROUP_NOT_MOUNTED.search(d["kubelet_exits"]).group(1)
        return (f"the node's kubelet exits at start: its container manager needs the cgroup "
                f"controller(s) [{missing}], which the kernel did not mount, so the node never "
                "becomes Ready",
                "enable the controller on the kernel command line and reboot the node: for "
                "memory append cgroup_enable=memory cgroup_memory=1 (Raspberry Pi OS: the one "
                "line of /boot/firmware/cmdline.txt, /boot/cmdline.txt on older releases; GRUB: "
                "GRUB_CMDLINE_LINUX, then update-grub); cat /proc/cgroups shows each "
                "controller's enabled column, then restart the kubelet")
    if cause == "node_not_ready" and d.get("kubelet_exits"):
        return (f"the node's kubelet exits at start: {d['kubelet_exits'][:200]}",
                "fix what the kubelet says, then restart it (journalctl -u kubelet shows the "
                "error): a cgroup v1 host needs cgroup v2 or failCgroupV1: false in the "
                "kubelet config; swap needs failSwapOn: false (or swapoff); the kubelet's "
                "cgroupDriver must match the runtime's (systemd for both)")
    if cause == "sandbox_failed" and d.get("handler") and d.get("runtime") == "CRI-O":
        return (f"CRI-O has no runtime handler \"{d['handler']}\" for the pod's RuntimeClass, "
                "so it cannot create the pod sandbox",
                "CRI-O where the NVIDIA toolkit runs as an OCI hook (OpenShift, the GPU "
                "Operator on CRI-O) needs no nvidia handler: drop runtimeClassName; otherwise "
                "add the runtime to CRI-O's config ([crio.runtime.runtimes.<handler>], e.g. "
                "`nvidia-ctk runtime configure --runtime=crio`) and restart CRI-O; kubectl get "
                "runtimeclass shows the handler")
    if cause == "sandbox_failed" and d.get("runtime_busy"):
        return ("containerd is still working on an earlier attempt to create the pod's sandbox "
                "(the kubelet's RunPodSandbox timed out and was retried), so the new attempt "
                "cannot reserve the sandbox's name",
                "the first attempt is slow or hung, not refused: look on that node for what "
                "holds RunPodSandbox (the CNI plugin's ADD, the pause image pull, disk or CPU "
                "saturation: crictl pods, journalctl -u containerd); once it finishes or fails "
                "the kubelet's retry goes through, restarting containerd clears a hung one")
    if cause == "sandbox_failed" and d.get("nad"):
        return (f"Multus finds no NetworkAttachmentDefinition {d['nad']} in namespace "
                f"{d.get('nad_ns') or 'NS'} for a network the pod's k8s.v1.cni.cncf.io/networks "
                "annotation names, so the pod's sandbox gets no network",
                f"create the NetworkAttachmentDefinition {d['nad']} in that namespace (kubectl "
                "get network-attachment-definitions -A) or fix the pod template's "
                "k8s.v1.cni.cncf.io/networks annotation (NAME or NAMESPACE/NAME)")
    if cause == "sandbox_failed" and d.get("ipam") == "aws_no_ips":
        return ("the AWS VPC CNI's ipamd has no free IP address left on the node's ENIs, so "
                "the CNI cannot give the pod a network and its sandbox is not created",
                "the node holds as many pod IPs as its instance type's ENIs x IPs per ENI "
                "allow: raise pod density with prefix delegation (ENABLE_PREFIX_DELEGATION="
                "true on the aws-node DaemonSet, Nitro instances), use larger instances or more "
                "nodes, keep maxPods at the instance's ENI limit, and tune WARM_IP_TARGET / "
                "MINIMUM_IP_TARGET; many short-lived pods hold IPs through ipamd's cooldown; "
                "kubectl logs -n kube-system ds/aws-node shows the datastore")
    if cause == "sandbox_failed" and d.get("handler"):
        return (f"the container runtime has no runtime for the pod's RuntimeClass handler "
                f"\"{d['handler']}\", so it cannot create the pod sandbox",
                "configure that runtime in the node's containerd/CRI-O (for nvidia: the NVIDIA "
                "container toolkit's `nvidia-ctk runtime configure --runtime=containerd`, or the "
                "GPU Operator's toolkit, then restart containerd and check `containerd config "
                "dump | grep -A3 runtimes.nvidia`), or drop runtimeClassName; kubectl get "
                "runtimeclass shows the handler")
    if cause == "evicted" and d.get("resource"):
        return (f"evicted by the kubelet: the node was low on {d['resource']}", _FIX["evicted"])
    if cause.startswith("gpu_") and not d.get("xid") and d.get("fault") in _GPU_FAULT:
        return _GPU_FAULT[d["fault"]]
    if cause == "gpu_pressure" and d.get("xid"):
        return (f"GPU Xid {d['xid']} error", "Xid errors are reported by the NVIDIA driver: "
                "hardware Xids (48, 63, 64, 74, 79, 92, 94, 95, 119, 120) mean cordon and drain "
                "the node and have the GPU checked; others are usually application bugs")
    return _HEADLINE.get(cause, cause.replace("_", " ")), _FIX.get(cause, "")


_HARDWARE_FIX = ("cordon the node (kubectl cordon NODE) and drain it; reboot it or reset the "
                 "GPU, and have it serviced if it repeats (explain_gpu_failure.py on the node's "
                 "kernel log names the Xid)")
_GPU_FAULT = {  # reports.gpu_fault -> (headline, fix): a GPU fault that is not memory pressure
    "lost": ("the GPU is lost (NVML 'GPU is lost' / fallen off the bus, the Xid 79 family): the "
             "device plugin cannot allocate on that node", _HARDWARE_FIX),
    "ecc": ("the GPU has an uncorrectable ECC error (faulty GPU memory)", _HARDWARE_FIX),
    "device_access": ("the container lost access to its GPU devices (NVML 'Unknown Error')",
                      "restart the pod; for good: NVIDIA container toolkit 1.12+ with CDI, or "
                      "the device plugin's PASS_DEVICE_SPECS=true (explain_gpu_failure.py)"),
    "driver_mismatch": ("the NVIDIA driver library and kernel module differ (driver upgraded "
                        "under a loaded module)", "drain the node and reboot it"),
    "driver_too_old": ("the node's NVIDIA driver is older than the program or image needs "
                       "(CUDA 'driver version is insufficient', or an NVML/CUDA driver function "
                       "the program calls is missing: 'undefined symbol')",
                       "use an image or program release built for the node's driver "
                       "(nvidia-smi prints the driver and the CUDA version it supports) or "
                       "upgrade the driver; a pod without the NVIDIA runtime "
                       "(runtimeClassName: nvidia) finds no driver and says the same "
                       "(explain_gpu_failure.py)"),
    "driver_absent": ("no NVIDIA driver is loaded on the node (NVML 'Driver Not Loaded' / "
                      "nvidia-smi cannot reach the driver)",
                      "install the driver on the node or let the GPU Operator's driver "
                      "container do it; after a kernel upgrade rebuild the module (DKMS) and "
                      "reboot; lsmod | grep nvidia on the node shows it loaded"),
    "driver_build": ("the NVIDIA driver cannot be built for the node's kernel (no kernel "
                     "headers for it, or the driver release does not compile against it): no "
                     "driver loads",
                     "use a driver release that supports the kernel (or the GPU Operator's "
                     "precompiled driver images), or a node image whose kernel headers the "
                     "driver container can still get; then restart the driver pod "
                     "(explain_gpu_failure.py)"),
    "driver_load": ("the NVIDIA kernel module was built but the kernel refuses to load it "
                    "(nvidia-installer: 'Unable to load the kernel module'): no driver runs, "
                    "most often because the in-tree nouveau driver holds the GPU",
                    "on the node: lsmod | grep nouveau; blacklist it ('blacklist nouveau', "
                    "'options nouveau modeset=0' in /etc/modprobe.d), update-initramfs -u and "
                    "reboot, then restart the driver pod; else the kernel headers, Secure Boot "
                    "signing or GPU support the installer's log names (explain_gpu_failure.py)"),
    "libs_not_visible": ("the container cannot load the NVIDIA driver libraries (NVML / libcuda): "
                         "it runs without the NVIDIA container runtime, or the libraries are "
                         "off its library path",
                         "set runtimeClassName: nvidia on the pod (or make nvidia the "
                         "runtime's default); on GKE add /usr/local/nvidia/lib64 to "
                         "LD_LIBRARY_PATH (explain_gpu_failure.py)"),
    "fabric_not_ready": ("on an NVSwitch node NVIDIA Fabric Manager has not registered the GPUs "
                         "(CUDA: system not yet initialized; or its systemd unit missing or "
                         "failed; or NCCL cannot bind NVLS multicast memory on the NVSwitches)",
                         "on the node: systemctl status nvidia-fabricmanager; install the Fabric "
                         "Manager of exactly the driver's version and enable it (or the GPU "
                         "Operator driver container's fabric manager support), then restart "
                         "the pods (explain_gpu_failure.py)"),
    "nccl": ("NCCL's collective communication failed (not GPU memory)",
             "run explain_gpu_failure.py on every rank's log (kubectl logs --prefix -l "
             "<job label>): it names the transport error, the shared-memory limit or the rank "
             "that fell behind"),
    "cuda_error": ("a CUDA call failed in the program (a CUDA error, not out of memory)",
                   "read the stack for the kernel (rerun with CUDA_LAUNCH_BLOCKING=1) and the "
                   "node's kernel log for an Xid (explain_gpu_failure.py reads both)"),
}

def _registration_failed(why: str) -> tuple[str, str]:
    message = ("the GPU device plugin cannot register with the kubelet"
               + (f" ({why})" if why else "") + ", so the node advertises no GPU")
    if re.search(r"unknown service [\w.]*Registration", why):
        return (message + ": the plugin speaks a device-plugin API version the kubelet does not "
                "serve", "run the device plugin release made for this Kubernetes version (its "
                "README's compatibility table; a plugin too new or too old for the kubelet), "
                "then check kubectl describe node for nvidia.com/gpu")
    return (message, "check the kubelet serves /var/lib/kubelet/device-plugins/kubelet.sock "
            "on the node (Kubernetes 1.8-1.9 need --feature-gates=DevicePlugins=true; a kubelet "
            "with another --root-dir needs the plugin's socket path changed to match), then "
            "restart the device plugin pod")


UNHEALTHY_GPU_FIX = ("on the node: dmesg | grep -i xid names the error; a hardware Xid (48, 63, "
                     "64, 74, 79, 92, 94, 95): " + _HARDWARE_FIX + "; a transient one: restart "
                     "the device plugin pod, which registers the GPUs healthy again")


def unhealthy_gpus(resource: str, unhealthy: int, total: int) -> str:
    verb = "is" if unhealthy == 1 else "are"
    return (f"{unhealthy} of its {total} {resource} {verb} unhealthy (allocatable below capacity): "
            "NVIDIA's device plugin marks a GPU so on a critical Xid error and keeps it out "
            "until the plugin restarts")


_HEADLINE = {"node_not_ready": "the node is NotReady", "node_pressure":
             "the node is under resource pressure", "dra_claim":
             "its DRA ResourceClaims are not allocated", "gpu_pressure":
             "the GPU ran out of memory (CUDA OOM)", "oom_killed":
             "the container is OOMKilled (memory limit)", "config_missing":
             "the kubelet cannot create the container (CreateContainerConfigError): a ConfigMap/Secret "
             "or key it needs is missing, or it refuses the securityContext (see its Failed "
             "event)",
             "sandbox_failed": "the pod sandbox (network) cannot be created",
             "gpu_not_advertised": "the node advertises 0 GPUs: its device plugin sees none",
             "mount_failed": "a volume cannot be attached or mounted", "evicted":
             "the pod was evicted", "stuck_terminating": "the pod is stuck Terminating",
             "crash_loop": "the container keeps crashing", "pvc_pending":
             "its PersistentVolumeClaim is not bound",
             "kubelet_admission_rejected": "the node's kubelet refused the pod (admission)",
             "container_start_failed": "the container runtime cannot create or start the "
             "container", "deadline_exceeded": "it ran past its activeDeadlineSeconds",
             "job_failed": "the Job failed: it stopped retrying its pods",
             "rollout_stuck": "the rollout stopped progressing",
             "eviction_blocked_pdb": "its eviction is refused: a PodDisruptionBudget allows no "
             "disruption now"}


def _repeats(quote: str, seen: list[str]) -> bool:
    """The same message again: a paragraph of the paste that holds a line already quoted (the
    kit reads a line both alone and joined with its neighbours)."""
    core = quote[:100]
    return any(q == quote or q[:100] in quote or core in q for q in seen)


def subject_finding(subject, name_hint: str = "") -> dict:
    best, others = pick(subject.reports)
    msg, fix = message_fix(best)
    name = subject.name or name_hint
    # (a report about a node, not a pod: a device plugin's resource at 0 in its Capacity)
    kind = best.detail.get("subject_kind") or subject.kind or ""
    what = f"{kind.lower() or 'pod'} {name}".strip() if name else (
        "the pasted " + (kind.lower() or "pod"))
    evidence = [f'reported: "{redact(best.quote)}"']
    seen = [best.quote]
    for rep in reversed(others):
        if not _repeats(rep.quote, seen) and len(evidence) < 5:
            seen.append(rep.quote)
            evidence.append(f'also reported: "{redact(rep.quote)}"')
    obj = {"kind": kind or "Pod", "namespace": subject.namespace, "name": name}
    if best.detail.get("confirm"):  # a component's words, read for a cause they do not name
        f = finding("warning", best.cause, obj, f"{what}: {msg}", evidence, fix,
                    basis="inferred", confirm=best.detail["confirm"])
    elif best.detail.get("prose"):  # the user's sentence, not a component's message
        evidence[0] = f'the paste says: "{redact(best.quote)}"'
        confirm = (f"kubectl describe pod {name or 'POD'} | grep -A2 Unhealthy "
                   "(the kubelet's probe failures)")
        f = finding("warning", best.cause, obj, f"{what}: {msg}", evidence, fix,
                    basis="inferred", confirm=confirm)
    else:
        f = finding("error", best.cause, obj, f"{what}: {msg}", evidence, fix, basis="reported")
    f.update(count=1, pods=[name] if name and (kind or "Pod") == "Pod" else [],
             _related=[name] if name else [], _weight=best.weight)
    return f
