"""Kueue's own words, parsed: every wording of the messages Kueue v0.3-v0.19 writes into
Workload conditions, events and logs, mapped to the cause ids of references/causes.md.

Each pattern cites where its wording comes from in references/messages.md (file at a tag of
kubernetes-sigs/kueue, or an issue URL). Messages pasted from a terminal are often wrapped
or truncated ("failed admi ssion checks"), so every pattern is also tried on the message
with its whitespace removed, and a truncated message still yields its cause.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from _kueue.reclaimable_denied import PATTERN as _RECLAIMABLE_DENIED
from k8s_skillkit.invalid_errors import OVER_63

# One clause of a message: "couldn't assign flavors to pod set main: A, B; couldn't assign
# flavors to pod set worker: C" has three clauses (A, B about main, C about worker).
@dataclass
class Clause:
    cause: str
    text: str
    podset: str = ""
    facts: dict = field(default_factory=dict)


# (cause, regex). Order matters only inside one clause: the first match wins.
_CLAUSES = [
    ("quota_exhausted", r"Workload didn'?t fit in the remaining quota"),  # v0.1-v0.2
    # the first scheduler's only word for a head it could not admit in the quota left, the
    # whole message (pkg/scheduler/scheduler.go:128 at b6b66028, early 2022, QueuedWorkload
    # condition Admitted=False reason Pending); not v0.2+'s "podSet didn't fit: <why>"
    ("quota_exhausted", r"^workload didn'?t fit\.?$"),
    # flavorassigner.go fitsResourceQuota, v0.8+: request > maximum capacity (N > M);
    # v0.13.7+/v0.14.2+/v0.15+: previously considered podsets requests (A) + current podset request (B) > ...
    ("exceeds_max_quota", r"insufficient quota for (?P<resource>\S+) in flavor (?P<flavor>\S+?),"
                          r" (?:request > maximum capacity \((?P<need>[^ ]+) > (?P<max>[^)]+)\)"
                          r"|previously considered podsets requests \((?P<before>[^)]*)\) \+ "
                          r"current podset request \((?P<current>[^)]*)\) > maximum capacity "
                          r"\((?P<max2>[^)]*)\))"),
    # v0.3-v0.9.0: a ClusterQueue without a cohort whose nominal quota is below the request.
    ("exceeds_max_quota", r"insufficient quota for (?P<resource>\S+) in flavor (?P<flavor>\S+) "
                          r"in ClusterQueue"),
    # v0.3-v0.9.0: used + request > nominal + borrowingLimit. Either the quota is busy or the
    # request alone is over the limit: quota arithmetic decides; busy is the default.
    ("quota_exhausted", r"borrowing limit for (?P<resource>\S+) in flavor (?P<flavor>\S+) "
                        r"exceeded"),
    ("quota_exhausted", r"insufficient unused quota (?:in cohort )?for (?P<resource>\S+) in "
                        r"flavor (?P<flavor>\S+?),? (?P<lack>\S+) more needed"),
    ("quota_exhausted", r"insufficient unused quota"),
    ("quota_exhausted", r"Pending the preemption of (?P<victims>\d+) workload"),
    ("quota_exhausted", r"Workload no longer fits after processing another workload"),
    # scheduler.go: skipped this cycle because another Workload of the cohort took the quota
    # first; it is requeued to wait for quota (v0.4-v0.7 l.239@v0.7.1 "other workloads in the
    # cohort were prioritized"; v0.8.0 l.271, typo and all, for a preemption another
    # assignment invalidated, later "overlapping preemption targets")
    ("quota_exhausted", r"other workloads in the cohort were prioritized|Workload skipped "
                        r"because its pree?mption calculations were invalidated"),
    # scheduler.go v0.14-v0.19: waits for victims another Workload is preempting / a gate
    ("quota_exhausted", r"Workload has overlapping preemption targets|Workload requires "
                        r"preemption, but it'?s gated"),
    # scheduler.go v0.3-v0.19 (log.Error(err, "Failed to preempt workloads")): the workload
    # fits only by preemption and issuing it failed; it waits for that quota
    ("quota_exhausted", r"Failed to preempt workloads"),
    ("flavor_mismatch", r"flavor (?P<flavor>\S+) does not provide resource (?P<resource>\S+)"),
    ("flavor_mismatch", r"no TAS flavor assigned"),
    ("topology_unfit", r"TAS Balanced Placement: Cannot find|(?:required|preferred) topology is "
                       r"not supported with ElasticJobsViaWorkloadSlices"),
    ("resource_not_in_queue", r"resource (?P<resource>\S+) unavailable in ClusterQueue"),
    # A message cut short by an event's length limit: "insufficient quota for nvidi".
    ("exceeds_max_quota", r"insufficient quota for"),
    ("flavor_mismatch", r"untolerated taint (?P<taint>\{[^}]*\}) in flavor (?P<flavor>\S+)"),
    ("flavor_mismatch", r"flavor (?P<flavor>\S+) doesn'?t match node affinity"),
    ("flavor_mismatch", r"flavor (?P<flavor>\S+) not found"),
    # TAS, v0.9+ (pkg/cache/tas_flavor_snapshot.go, flavorassigner/tas_flavorassigner.go)
    ("topology_unfit", r"topology \"?(?P<topology>[^\" ]+)\"? (?:doesn'?t allow to fit|allows to "
                       r"fit only)"),
    ("topology_unfit", r"no topology domains at level:? (?P<level>\S+)"),
    # v0.9+: the ClusterQueue has no TAS flavor in Kueue's cache (TopologyAwareScheduling
    # gate off, or the flavor's Topology missing); wrapped as "failed to assign flavors"
    ("topology_unfit", r"workload requires Topology, but there is no TAS cache information"),
    ("flavor_mismatch", r"Flavor \"?(?P<flavor>[^\" ]+)\"? (?:does not support|supports only) "
                        r"TopologyAwareScheduling"),
    # v0.9-v0.19 tas_flavorassigner.go (l.189/193 at v0.19.2): the flavor's Topology lacks the
    # level the pod set asks for, or the flavor is not in the TAS cache yet
    ("topology_unfit", r"Flavor \"?(?P<flavor>[^\" ]+)\"? (?:does not contain the requested "
                       r"level|information missing in TAS cache)"),
    # tas_flavor_snapshot.go l.936/943/1149 at v0.19.2
    ("topology_unfit", r"no requested topology level(?: for slices| for additional slice "
                       r"layer)?: (?P<level>\S+)"),
]

# The job kind refusing the update Kueue makes to a job's pod template (read in _MESSAGES,
# where their sources are cited): in Kueue's log, never in kubectl's answer to a person's own
# edit ("Error from server (Invalid): error when applying patch: ... is invalid: ...",
# kubectl cmdutil.CheckErr), which is no write of Kueue's
_JOB_TEMPLATE_REFUSED = (r"\bJob\.batch \S+ is invalid: spec\.template: Invalid value:[^\n]*?"
                         r"field is immutable")
_JOBSET_TEMPLATE_REFUSED = (r"(?:admission webhook \\?\"?vjobset\.kb\.io|JobSet\.jobset\."
                            r"x-k8s\.io)[^\n]*?spec\.replicatedJobs: Invalid value:[^\n]*?"
                            r"field is immutable")
_KUEUES_UPDATE = (_JOB_TEMPLATE_REFUSED, _JOBSET_TEMPLATE_REFUSED)
_KUBECTL_PRINTED = re.compile(r"Error from server|error when (?:applying|creating|patching|"
                              r"replacing|updating)|\bThe \w+ \S+ is invalid:", re.I)

# The job kinds whose admission webhooks Kueue registers as [mv]<kind>.kb.io
# (config/components/webhook/manifests.yaml, v0.19.2; JobSet's and LWS's own use the same names)
_JOB_KIND_HOOKS = (r"(?:appwrapper|deployment|jaxjob|job|jobset|leaderworkerset|mpijob|paddlejob|"
                   r"pod|pytorchjob|raycluster|rayjob|rayservice|sparkapplication|statefulset|"
                   r"tfjob|trainjob|xgboostjob)")
# ... and the field error of one of Kueue's labels or annotations they validate
_KUEUE_FIELD = r"[^\n]*?metadata\.(?:labels|annotations)\[kueue\.x-k8s\.io/"
# The Workload's status fields (WorkloadStatus, apis/kueue/v1beta1|v1beta2 workload_types.go
# v0.3-v0.19), with the `status.` a status update's field errors carry, or bare as an SSA
# patch's do (kueue#4934)
_STATUS_FIELD = (r"(?:status\.|(?:admission|admissionChecks|conditions|requeueState|"
                 r"reclaimablePods|resourceRequests|schedulingStats|unhealthyNodes|"
                 r"nominatedClusterNames|clusterName|accumulatedPastExexcutionTimeSeconds)"
                 r"(?:\[[^\]]*\])?[.:])")
# Kueue's own kinds' admission webhooks (config/components/webhook/manifests.yaml v0.6.3: m/v
# clusterqueue, resourceflavor, workload, v admissioncheck, localqueue; v0.10.0..v0.19.2 adds
# vcohort): no other server registers these names
_OWN_KIND_HOOKS = (r"[mv](?:admissioncheck|clusterqueue|cohort|localqueue|resourceflavor|workload|"
                   r"workloadpriorityclass|topology|multikueuecluster|multikueueconfig)\.kb\.io")

# Whole-message patterns (not split into pod-set clauses).
_MESSAGES = [
    ("dra_class_unmapped", r"DeviceClass (?P<deviceclass>\S+) is not mapped in DRA configuration"
                           r"|does not support use of resource claims|unsupported allocation "
                           r"mode|DeviceClass is not mapped"
                           # its Requeued=False message beside it (workload_controller.go
                           # v0.14-v0.19, l.459@v0.19.2)
                           r"|DRA resource claims not supported"
                           # pkg/dra/claims.go v0.15-v0.19: claim features Kueue cannot count
                           r"|(?:AllocationMode 'All'|FirstAvailable device selection|AdminAccess"
                           r"|CEL selectors|device constraints \(MatchAttribute\)|device config)"
                           r" (?:is|are) not supported"
                           # claims.go/counters.go/capacity.go v0.18-v0.19
                           r"|insufficient matching devices for (?:CEL selector|counter driver"
                           r"|capacity driver)"
                           # counters.go v0.19 l.222: a counter source's counter not consumed
                           r"|matched devices have no consumesCounters entry for counter"
                           # workload_controller.go v0.19.2:439 (KueueDRARejectWorkloadsWhen
                           # DRADisabled): a pending Workload with claims, the gate off
                           r"|uses DRA resources but the KueueDRAIntegration feature gate is "
                           r"not enabled"),
    # getQueueBlocker looking up an EMPTY spec.queueName (v0.19.2 workload_controller.go,
    # "LocalQueue %s doesn't exist" with ""): the Workload names no queue (kueue#5048, #697);
    # a table collapses the two spaces. The log's "localQueue doesn't exist or inactive"
    # (pkg/cache/queue/manager.go) is another message.
    ("no_queue_label", r"\b(?-i:LocalQueue)\s+doesn'?t exist(?! or inactive)"),
    ("local_queue_missing", r"LocalQueue (?P<localqueue>\S+) doesn'?t exist|localQueue doesn'?t "
                            r"exist|(?:^|[\s\"':])queue doesn'?t exist|LocalQueue is missing"
                            # workload_controller.go v0.8-v0.19 (v0.5-v0.19 for ClusterQueue)
                            r"|LocalQueue (?P<lq>\S+) is terminating or missing"),
    ("cluster_queue_missing", r"ClusterQueue (?P<clusterqueue>\S+) (?:doesn'?t exist|not found"
                              r"|is terminating or missing)"
                              r"|clusterQueue doesn'?t exist|cluster queue not found"
                              r"|ClusterQueue not found"
                              # a LocalQueue's Active=False by its reason (pkg/controller/core/
                              # localqueue_controller.go v0.3-v0.19)
                              r"|\bActive\W{1,3}False\W{1,4}(?:reason\W{1,3})?"
                              r"ClusterQueueDoesNotExist\b"),
    ("queue_inactive", r"(?:LocalQueue|ClusterQueue) (?P<queue>\S+) is (?:inactive|stopped)"
                       r"|Can'?t (?:admit|submit) new workloads|LocalQueue is stopped"
                       r"|The (?:Local|Cluster)Queue is stopped"
                       # ClusterQueue / AdmissionCheck Active=False messages: pkg/cache
                       # clusterqueue.go v0.9-v0.19 inactiveReason, multikueue and
                       # provisioning admissioncheck controllers v0.5-v0.19
                       r"|references (?:missing|inactive) (?:ResourceFlavor|AdmissionCheck)"
                       r"|Cannot use (?:multiple MultiKueue|both MultiKueue and Provisioning)"
                       r"|Cannot specify MultiKueue AdmissionCheck per flavor"
                       # clusterqueue.go v0.9-v0.11 (l.294-310@v0.11.9; cohorts and
                       # preemption l.320/324@v0.10.6; MultiKueue to v0.14, pkg/cache/
                       # scheduler/clusterqueue.go:282@v0.14.8): TAS flavors with what it lacks
                       r"|TAS is not supported (?:for cohorts|for preemption within cluster "
                       r"queue|with (?:MultiKueue|ProvisioningRequest) admission check)"
                       r"|only one AdmissionCheck of .{0,200}? can be referenced for controller"
                       r"|AdmissionCheck\(s\): .{0,200}? cannot be set at flavor level"
                       r"|there is no Topology \S+ for TAS flavor|(?:Missing|Inactive) clusters:"
                       r"|Cannot load the AdmissionChecks parameters|the check is not active"
                       # the provisioning AdmissionCheck's Active=False BadParametersRef: the
                       # error of its parameters lookup (provisioning/admissioncheck_reconciler
                       # .go v0.19.2:56 <- pkg/util/admissioncheck/admissioncheck.go:37-123), so
                       # the check is inactive and so is every ClusterQueue using it
                       r"|(?:missing|bad) parameters reference"
                       # (a name masked by the user as `"*****"` is still a name)
                       r"|provisioningrequestconfigs?(?:\.kueue\.x-k8s\.io)? \\?\"?[\w.*-]+"
                       r"\\?\"? not found"
                       # the same condition summarised by its reason (`Active=False,
                       # reason=FlavorNotFound`, `Active False FlavorNotFound`): the reasons
                       # of pkg/cache/clusterqueue.go v0.9-v0.19 inactiveReason
                       r"|\bActive\W{1,3}False\W{1,4}(?:reason\W{1,3})?(?:FlavorNotFound|"
                       r"AdmissionCheckNotFound|AdmissionCheckInactive|MultipleMultiKueue"
                       r"AdmissionChecks|MultiKueueAdmissionCheckAppliedPerFlavor|MultiKueue"
                       r"WithProvisioningRequest|NotSupportedWithTopologyAwareScheduling|"
                       r"TopologyNotFound|CheckNotFoundOrInactive|Stopped|Terminating|"
                       r"MultipleSingleInstanceControllerAdmissionChecks|"
                       r"FlavorIndependentAdmissionCheckAppliedPerFlavor|"
                       r"BadParametersRef|"
                       r"ClusterQueueIsInactive)\b"),
    ("namespace_not_selected", r"namespace doesn'?t match ClusterQueue selector"),
    # v0.18+: "AdmissionCheck(s) in Rejected state: ..." / event "Deactivated due to ...";
    # v0.10-v0.17: "Admission check(s): [x], were rejected"; v0.8-v0.17 event
    # AdmissionCheckRejected "Deactivating workload because AdmissionCheck for x was Rejected: m";
    # v0.5-v0.7: Finished=True "Admission checks [x] are rejected".
    ("admission_check_rejected", r"AdmissionChecks? in Rejected state|Deactivated due to "
                                 r"AdmissionCheck|rejected admission check|Admission check\(s\): "
                                 r".*were rejected|AdmissionCheck for (?P<check>\S+) was Rejected"
                                 r"|Admission checks \[.*\] are rejected"),
    # The provisioning check controller's event AdmissionCheckUpdated "Admission check <c>
    # updated state from <old> to <new>[ with message: <m>]" (provisioning/controller.go
    # v0.19.2:684-686): the new state is the check's verdict, whatever the quoted message says
    ("admission_check_rejected", r"Admission check (?P<check>\S+) updated state from \w+ to "
                                 r"Rejected\b"),
    ("admission_check_pending", r"failed admission checks|admission check is false|not all "
                                r"checks ready|AdmissionChecks? in Retry state"
                                r"|Admission check \S+ updated state from \w+ to Retry\b"),
    ("waiting_pods_ready", r"waiting for all admitted workloads to be in (?:the )?PodsReady"),
    # Evicted/Requeued message "Exceeded the PodsReady timeout <ns/wl>" and the V(2) log
    # "Start the eviction of the workload due to exceeding the PodsReady timeout"
    # (pkg/controller/core/workload_controller.go v0.3.0..v0.19.2).
    # v0.6-v0.7 event InactiveWorkload when the requeues after PodsReady timeouts ran out:
    # `Deactivated Workload "<ns/wl>" by reached re-queue backoffLimitCount`
    # (workload_controller.go:464@v0.7.1)
    ("pods_ready_timeout", r"Exceeded the PodsReady timeout|exceeding the PodsReady timeout"
                           r"|re-queuing retries|requeuing limit exceeded|RequeuingLimitExceeded"
                           r"|by reached re-queue backoffLimitCount"),
    # preemption.go v0.4-v0.6 event "Preempted by another workload in the <origin>"
    ("preempted", r"Preempted to accommodate|Preempted by another workload"),
    # v0.10-v0.19 event MaximumExecutionTimeExceeded; the deactivation says "... due to
    # exceeding the maximum execution time"
    ("workload_deactivated", r"The workload is deactivated|The maximum execution time \(\S+\) "
                             r"exceeded"),
    # The MultiKueueCluster controller's error log when it cannot connect to a worker; it then
    # writes Active=False ClientConnectionFailed with the same error (multikueuecluster.go
    # :360@v0.6.3, :406@v0.15.1, :854@v0.19.2 setRemoteClientConfig; kueue#8227)
    ("multikueue_cluster_disconnected", r"failed to set kubeConfig in the remote client"),
    # ... and the worker's client failing to get its credentials from an exec plugin (the
    # ClusterProfile credentials plugin of MultiKueue v0.15+, or a kubeconfig's `exec:`):
    # client-go plugin/pkg/client/auth/exec/exec.go (v0.22-v0.37) wraps every failure in
    # "getting credentials: %v" (roundTripper.RoundTrip), the plugin's run in "exec: ..."
    # (wrapCmdRunErrorLocked: "exec: executable X not found", "exec: executable X failed with
    # exit code N", "exec: fork/exec X: <errno>") or its answer ("decoding stdout: ...", "exec
    # plugin didn't return a token or cert/key pair"). kueue-controller-manager uses exec
    # credentials only for MultiKueue workers (kueue#8751: a dynamically linked plugin in the
    # distroless manager image, "fork/exec /plugins/...: no such file or directory"). Not
    # kubectl's own (`Unable to connect to the server: getting credentials: ...`, the memcache
    # discovery error): the person's kubeconfig, not Kueue's worker
    ("multikueue_cluster_disconnected", r"^(?:(?!Unable to connect to the server|couldn'?t get "
                                        r"current server API group list)[^\n])*?getting "
                                        r"credentials: (?:exec\b|decoding stdout|exec plugin)"),
    # Kueue's log when starting an admitted job failed (the apiserver or a webhook refused
    # the unsuspend): v0.2.1 pkg/controller/workload/job/job_controller.go:191 to v0.19.0
    # pkg/controller/jobframework/reconciler.go:606, log.Error(err, "Unsuspending job").
    ("admitted_not_started", r"Unsuspending job"),
    # ... and the job kind's own controller failing to resume what Kueue unsuspended: JobSet's
    # log.Error(err, "resuming jobset") (pkg/controllers/jobset_controller.go:242@v0.12.0),
    # e.g. its ServiceAccount refused jobs/status (kubernetes-sigs/jobset#267, the rule added to
    # config/components/rbac/role.yaml by PR #268)
    ("admitted_not_started", r"\bresuming jobset\b"),
    # ... KubeRay failing to create what a RayJob or RayCluster Kueue unsuspended needs: it
    # creates the RayCluster and the submitter Job, and a RayCluster's pods, only once
    # spec.suspend is false, and records Warning FailedToCreateRayCluster "Failed to create
    # RayCluster <ns>/<name>: <err>", FailedToCreateRayJobSubmitter "Failed to create new
    # Kubernetes Job <ns>/<name>: <err>" (ray-project/kuberay ray-operator/controllers/ray/
    # rayjob_controller.go:950, :723@v1.6.2), FailedToCreateHeadPod "Failed to create head Pod
    # <ns>/<pod>, <err>", FailedToCreateWorkerPod "Failed to create worker Pod for the cluster
    # <ns>/<name>, <err>" (raycluster_controller.go:1346, :1370@v1.6.2). The error decides when
    # Kueue has a word for it (an admission policy wanting the queue label, Kueue's webhook
    # unreachable): it ranks first
    ("admitted_not_started", r"Failed to create (?:RayCluster|new Kubernetes Job) \S+: "
                             r"|Failed to create (?:head Pod|worker Pod for the cluster) \S+, "),
    # ... and Kueue's own word for it: a job its kind's controller holds (v0.18-v0.19 only a
    # RayJob whose status.jobDeploymentStatus is ValidationFailed: KubeRay refused its spec,
    # status.message says why) gives back the quota it held, QuotaReserved=False reason OnHold
    # "Job is on hold" (pkg/controller/jobframework/reconciler.go:464-478@v0.19.2,
    # pkg/controller/jobs/rayjob/rayjob_controller.go:218); a person's "the job is on hold" is
    # not it, so case counts
    ("admitted_not_started", r"(?-i:\bJob is on hold\b)"),
    # Starting the job failed for good: the pod set info Kueue would set conflicts (an
    # admission check's podSetUpdates, the flavor's nodeLabels and the job's own template name
    # one key with two values) or does not match the job's pod sets; Kueue finishes the
    # Workload (Finished=True reason FailedToStart) instead of retrying (pkg/podset/podset.go:
    # 242, :246, pkg/util/maps/maps.go:46, jobframework/reconciler.go:628-636@v0.19.2; the same
    # since v0.6.3 reconciler.go:388)
    ("admitted_not_started", r"invalid admission check PodSetUpdate: conflict for"
                             r"|invalid podset infos: expecting \d+ podset"),
    # ... and the API server refusing Kueue's change of a batch/v1 Job's pod template (the
    # flavor's nodeSelector, tolerations, labels, annotations, scheduling gates), which it
    # makes when it starts the Job: they are mutable only while the Job is suspended and never
    # started (status.startTime unset: JobMutableNodeSchedulingDirectives, Kubernetes 1.22
    # alpha, on by default from 1.23; Kueue v0.3.2 site/content/en/docs/installation/_index.md,
    # kueue#406), from 1.36 also after a start once JobSuspended=True, and only with no active
    # pods (MutableSchedulingDirectivesForSuspendedJobs: kubernetes pkg/registry/batch/job/
    # strategy.go:144-178, pkg/apis/batch/validation/validation.go:742-785@v1.37.2)
    ("admitted_not_started", _JOB_TEMPLATE_REFUSED),
    # Kueue failing to SUSPEND a running job: the job reconciler's log.Error lines with the
    # error that refused the update (pkg/controller/jobframework/reconciler.go@v0.19.2: l.664
    # "Suspending job with non admitted workload" v0.3-v0.19, l.456 "Suspending job with
    # deleted workload" v0.5-v0.19, l.399 "suspending child job failed" v0.4-v0.19): the job
    # keeps running whatever its queue says
    ("admission_webhook_denied", r"Suspending job with (?:non admitted|deleted) workload"
                                 r"|suspending child job failed"),
    # ... the refusal itself, JobSet's validating webhook (vjobset.kb.io): spec.replicatedJobs
    # is immutable but for the pod template fields Kueue sets, and those only while the JobSet
    # is suspended: v0.2-v0.4 the nodeSelector alone, v0.5 also labels, annotations and
    # tolerations, and only when the OLD object was suspended, so the update that suspends a
    # JobSet and restores its template at once was refused (kueue#2691); v0.6.0 allows either
    # side suspended and schedulingGates (jobset#644; api/jobset/v1alpha2/jobset_webhook.go
    # @v0.2.0:113-120, pkg/webhooks/jobset_webhook.go@v0.5.2:222-237, @v0.12.0:370-395). The
    # error is "spec.replicatedJobs: Invalid value: ...: field is immutable" (v0.12 wraps it in
    # `JobSet.jobset.x-k8s.io "<js>" is invalid: `). With Kueue's "Unsuspending job" the start
    # was refused: admitted_not_started ranks first
    ("admission_webhook_denied", _JOBSET_TEMPLATE_REFUSED),
    # The TAS ungater could not map an admitted Workload's pods to its topology assignment
    # (pkg/controller/tas/topology_ungater.go v0.11-v0.19, readRanksIfAvailable): the pods it
    # cannot place keep the kueue.x-k8s.io/topology gate (kueue#8101: a TrainJob whose
    # PodSet count ignored numNodes, fixed by #8135)
    ("admitted_not_started", r"failed to read rank information from Pods"),
    # Known Kueue defect: OwnerReferencesPermissionEnforcement (on by default in OpenShift)
    # refusing the Workload Kueue creates with a blockOwnerDeletion ownerReference to a job
    # kind whose finalizers subresource Kueue's ClusterRole may not update (kubernetes
    # plugin/pkg/admission/gc/gc_admission.go@v1.37.2: "cannot set blockOwnerDeletion if an
    # ownerReference refers to a resource you can't set finalizers on"): kueue#392 (jobs,
    # v0.2), kueue#1485 (Kubeflow jobs, v0.5, fixed by PR #1486 adding <kind>/finalizers)
    # Known Kueue defect: the TrainJob integration of Kueue v0.17+ (PR #10127, Kubeflow
    # Trainer v2.2 support) starts an admitted TrainJob by writing pod set info into the
    # spec.runtimePatches entry (manager kueue.x-k8s.io/manager) its webhook added; Trainer
    # v2.1 and older CRDs have no spec.runtimePatches, so the API server prunes it and
    # RunWithPodSetsInfo fails with errors.New("kueue runtime patch not found")
    # (pkg/controller/jobs/trainjob/trainjob_controller.go:278@v0.19.2), logged under
    # "Unsuspending job": the TrainJob stays suspended (kueue#11931, Trainer v2.1.0 + Kueue
    # v0.17.3; kueue#14722, v0.18; PR #14886 adds a CRD check at setup)
    ("kueue_bug", r"kueue runtime patch not found"),
    ("kueue_bug", r"workloads\.kueue\.x-k8s\.io[^\n]{0,120}?is forbidden: cannot set "
                  r"blockOwnerDeletion if an ownerReference refers to a resource you can'?t set "
                  r"finalizers on"),
    # The job reconciler could not create the job's Workload: log.Error(err, "Handling job
    # with no workload"), pkg/controller/jobframework/reconciler.go v0.3.0:146 to v0.19.0:497.
    # An AlreadyExists error names a Workload of that name another object may own (kueue#1726):
    # logged with that line up to v0.8, as V(3) "... found an existing workload" in v0.9-v0.18
    # (usually a cache race, so no verdict), returned to controller-runtime ("Reconciler
    # error") in v0.19.
    ("workload_missing", r"Handling job with no workload(?! found an existing)|workloads\.kueue"
                         r"\.x-k8s\.io \\?\"?(?P<workload>[^\"\\ ]+)\\?\"? already exists"),
    # Known Kueue defects, by the signature the API server's refusal of Kueue's own update
    # carries: a job's pod template refused as immutable whose tolerations list the same
    # toleration twice is Kueue merging the ResourceFlavor's toleration into a template that
    # already held it (kueue#2427, fixed by PR #2498 "[PodSetInfo] Skip duplicate Tolerations
    # during merge" in release-0.7)
    ("kueue_bug", r"Tolerations:\[\]core\.Toleration\{(?P<toleration>core\.Toleration\{[^{}]*\}), "
                  r"(?P=toleration)[^\n]*field is immutable"),
    # A running job that no longer matches its Workload: the job reconciler suspends (stops) it
    # and replaces the Workload, V(2) "job with no matching workload, suspending"
    # (pkg/controller/jobframework/reconciler.go v0.4.0..v0.19.2, ensureOneWorkload): its pod
    # sets changed after admission (kueue#2213: tolerations a ProvisioningRequest added to a
    # plain Pod, v0.6.2; fixed by #2239 and #2261)
    # The same stop as the job's event: stopJob records `Stopped` "No matching Workload"
    # (v0.4-v0.7) / "No matching Workload; restoring pod templates according to existent
    # Workload" (v0.8-v0.19, reconciler.go:1101 at v0.19.2); kueue#3090: a mutating webhook on
    # an old client dropped PodSpec fields on the ungating update, in a loop
    # With no Workload at all, stopJob's message is "Missing Workload; unable to restore pod
    # templates" (v0.8-v0.19, the same place): the job or plain Pod ran before Kueue held it
    # (kueue#8482: a Kubernetes 1.25 cluster, without the pod scheduling gates Kueue's pod
    # integration relies on, GA in 1.30 and beta from 1.27)
    # A job that names a prebuilt Workload (label kueue.x-k8s.io/prebuilt-workload-name: the
    # MultiKueue worker's copy, an LWS group) and no longer matches it: Kueue finishes that
    # Workload, Finished=True reason OutOfSync "The prebuilt workload is out of sync with its
    # user job" (jobframework/reconciler.go v0.19.2:1382)
    ("job_workload_mismatch", r"job with no matching workload, suspending"
                              r"|\bNo matching Workload\b|Missing Workload; unable to restore"
                              r"|prebuilt workload is out of sync with its user job"),
    # the job names a prebuilt Workload (label kueue.x-k8s.io/prebuilt-workload-name) that is
    # not there: jobframework/reconciler.go ErrPrebuiltWorkloadNotFound (v0.6-v0.19); Kueue
    # builds them itself for MultiKueue workers and LWS groups (kueue#8769: the surge groups
    # of an LWS rolling update got none before #8801)
    ("workload_missing", r"prebuilt workload not found"),
    # A plain-Pod group Kueue cannot build a Workload for: its Warning events on the pods
    # (pkg/controller/jobs/pod/pod_controller.go v0.19.2): ErrWorkloadCompose l.850 "'<group>'
    # group has fewer runnable pods than expected" (fewer pods than kueue.x-k8s.io/pod-group-
    # total-count, an unretryable error: the pods stay gated) and WorkloadNameConflict l.1272
    # "A Workload named <group> already exists but is not a pod group workload; this pod group
    # cannot be admitted" (PodIntegrationValidateGroupOwner: a Workload of another owner holds
    # the group's name)
    ("workload_missing", r"group has fewer runnable pods than expected|already exists but is "
                         r"not a pod group workload"
                         # ... and vpod.kb.io refusing a group pod with only one of the two
                         # (pkg/controller/jobs/pod/pod_webhook.go v0.19.2:282-286)
                         r"|both the '?kueue\.x-k8s\.io/pod-group-total-count'? annotation and "
                         r"the '?kueue\.x-k8s\.io/pod-group-name'? (?:label|annotation) should "
                         r"be set"),
    # An admission webhook of a job kind Kueue manages refused the job itself: Kueue's are
    # named v<kind>.kb.io (config/components/webhook/manifests.yaml, v0.19.2: vjob, vjobset,
    # vpytorchjob, vrayjob, vtrainjob, ...; JobSet's and LWS's own webhooks use the same
    # names), e.g. job-min-parallelism out of range. The job and so its Workload never exist.
    # Only as kubectl prints a refused create ("Error from server (Forbidden): ...", "error
    # when creating ...": kubectl's cmdutil.CheckErr): in Kueue's own "Unsuspending job" log
    # the same webhook refused Kueue's update of an admitted job (kueue#3140)
    # (not an update's refusal: the same webhook answering a change of an existing job, below)
    ("workload_missing", r"(?:Error from server(?: \(Forbidden\))?|error when creating [^:]*):\s*"
                         rf"admission webhook \\?\"?(?P<webhook>[mv]{_JOB_KIND_HOOKS}\.kb\.io)"
                         r"\\?\"? denied the request(?![^\n]*field is immutable)"),
    # Known Kueue defect: Kueue's pod webhook (vpod.kb.io) refusing a change of a pod's
    # WorkloadPriorityClass label as immutable. Nobody edits a managed pod's labels by hand:
    # its owner (LeaderWorkerSet's controller, Kueue's own pod-group reconciler) writes them,
    # and the pod webhook's ValidateUpdate runs jobframework.ValidateJobOnUpdate ->
    # ValidateUpdateForWorkloadPriorityClass (`metadata.labels[kueue.x-k8s.io/priority-class]:
    # Invalid value: "<class>": field is immutable`, pkg/controller/jobs/pod/pod_webhook.go:253
    # @v0.11.0), so a LeaderWorkerSet with a priority-class label never got its pods: PR
    # kubernetes-sigs/kueue#4711 ("Fixed bug that doesn't allow to use WorkloadPriorityClass on
    # LeaderWorkerSet", release-0.11 commit 64eb9ed / #4725)
    ("kueue_bug", r"admission webhook \\?\"?vpod\.kb\.io\\?\"? denied the request:[^\n]*?"
                  r"metadata\.labels\[kueue\.x-k8s\.io/priority-class\][^\n]*?field is immutable"),
    # ... the same webhooks refusing a person's UPDATE of an existing job: kubectl's print of a
    # refused `apply` of a changed object ("Error from server (Forbidden): error when applying
    # patch: ... for: "<file>": error when patching "<file>": admission webhook ... denied the
    # request: ...", `replace` "error when replacing"; kubectl cmdutil.CheckErr and
    # pkg/cmd/apply/patcher.go), or any refusal whose field error is ValidateImmutableField's
    # "field is immutable" (an update's only). Kueue's job webhooks keep the queue name and the
    # priority class fixed once the job runs: jobframework/validation.go ValidateUpdateFor
    # QueueName / ValidateUpdateForWorkloadPriorityClass (`metadata.labels[kueue.x-k8s.io/
    # queue-name]: Invalid value: "q": field is immutable`, v0.6-v0.19), deployment_webhook.go
    # :155, statefulset_webhook.go:170, leaderworkerset_webhook.go:192@v0.19.2; kueue#4967 (LWS
    # queue-name, before PR #4932), kueue#5148 (Deployment priority-class, v0.11.3, before PR
    # #5197). The job keeps its old labels: admission_webhook_denied, reported
    # Only a refusal of Kueue's own labels (`metadata.labels[kueue.x-k8s.io/...]`): JobSet and
    # LWS register the same webhook names for their own rules (a person's edit of
    # spec.replicatedJobs refused by JobSet is not Kueue's)
    # (`error: <res> "<name>" could not be patched: <err>` is kubectl edit's, kubectl pkg/cmd/
    # util/editor/editoptions.go:858@dee3483)
    ("admission_webhook_denied", r"(?:(?:error when (?:patching|replacing|updating|applying "
                                 r"patch)|could not be patched)[^\n]*?)admission webhook \\?\"?(?P<hook>[mv]"
                                 rf"{_JOB_KIND_HOOKS}\.kb\.io)\\?\"? denied the request:"
                                 rf"{_KUEUE_FIELD}"
                                 r"|admission webhook \\?\"?(?P<hook2>[mv]"
                                 rf"{_JOB_KIND_HOOKS}\.kb\.io)\\?\"? denied the request:"
                                 rf"{_KUEUE_FIELD}[^\n]*?field is immutable"),
    # ... and Kueue's webhooks of StatefulSet and Deployment (built-in kinds: no other server
    # registers [mv]statefulset.kb.io / [mv]deployment.kb.io) refusing a change of an existing
    # object, whatever the field: statefulset_webhook.go ValidateUpdate keeps spec.replicas
    # (`spec.replicas: Invalid value: 4: field is immutable`, but to or from 0) and refuses a
    # scale-up while pods terminate (`Forbidden: scaling down is still in progress`) v0.9-v0.19
    # (:151-160@v0.10.0, :205-229@v0.19.2); kueue#3996: on v0.9/v0.10 also for StatefulSets
    # without a queue-name, fixed by PR #3998 (CHANGELOG-0.10 "prevented scaling StatefulSets
    # which aren't managed by Kueue"). A create refused is workload_missing (above)
    ("admission_webhook_denied", r"(?:error when (?:patching|replacing|updating|applying patch)"
                                 r"|could not be patched)[^\n]*?admission webhook \\?\"?"
                                 r"(?P<hook3>[mv](?:statefulset|deployment)\.kb\.io)\\?\"? "
                                 r"denied the request"
                                 r"|admission webhook \\?\"?(?P<hook4>[mv](?:statefulset|"
                                 r"deployment)\.kb\.io)\\?\"? denied the request:[^\n]*?"
                                 r"(?:field is immutable|scaling down is still in progress|"
                                 r"still being deleted)"),
    # ... and the webhooks of Kueue's own kinds refusing a person's ClusterQueue, Cohort,
    # ResourceFlavor, LocalQueue or Workload (pkg/webhooks/*_webhook.go v0.6-v0.19: e.g.
    # clusterqueue_webhook.go:41@v0.6.0 `must be nil when cohort is empty`, v0.19.2:41 `must be
    # nil when %s is empty` (cohort, or parent for a Cohort), kueue#4392): the object is not
    # created or changed as applied; the field error names what to fix. Not a failure to
    # call them (kueue_controller_down, below) nor vworkload.kb.io refusing Kueue's own
    # reclaimablePods update (above)
    ("admission_webhook_denied", rf"admission webhook \\?\"?(?P<ownhook>{_OWN_KIND_HOOKS})\\?\"? "
                                 r"denied the request(?!:\s*panic:)"),
    # kueue-controller-manager not serving: the apiserver cannot call Kueue's webhooks
    # (fail-closed, failurePolicy Fail in config/components/webhook/manifests.yaml), so Kueue's
    # objects and the jobs it manages are refused (`failed calling webhook "mresourceflavor.kb.io":
    # failed to call webhook: Post "https://kueue-webhook-service.<ns>.svc:443/mutate-...": no
    # endpoints available for service "kueue-webhook-service"`: applied before Kueue was ready,
    # kueue#3794; the controller crash-looping on a panic, marin-community/marin#7396; `read:
    # connection reset by peer` from a webhook server not yet ready, kueue#2073)
    # The same server also converts Kueue's kinds between served versions (the CRDs'
    # `conversion.strategy: Webhook`, /convert): the apiserver's `conversion webhook for
    # kueue.x-k8s.io/v1beta1, Kind=ClusterQueue failed: Post ...: connection refused`
    # (apiextensions-apiserver v0.37.2 pkg/apiserver/conversion/webhook_converter.go:286)
    # refuses reads of stored objects too; kueue#7457 (fixed by #7601: the controller
    # crash-looping after a MultiKueue worker disconnect)
    ("kueue_controller_down", r"(?:failed calling webhook \\?\"?[\w.-]+\\?\"?|conversion webhook "
                              r"for kueue\.x-k8s\.io/\w+, Kind=\w+ failed):[^\n]{0,400}?"
                              r"(?:kueue-webhook-service|/(?:mutate|validate)-kueue-x-k8s-io-)"
                              r"[^\n]{0,300}?(?:no endpoints available|connection refused|i/o "
                              r"timeout|context deadline exceeded|x509|not found|connection "
                              r"reset by peer|broken pipe|\bEOF\b|\bcode 50[234]\b|Bad Gateway)"),
    # ... and a webhook of Kueue's own kinds (config/components/webhook/manifests.yaml
    # v0.6.3: m/v clusterqueue, resourceflavor, workload, v admissioncheck, localqueue; v0.19.2
    # adds vcohort) that the API server failed to CALL, whatever the error: no other server
    # registers these names, so its failure is Kueue's webhook server not answering (apiserver
    # pkg/admission/plugin/webhook/validating/dispatcher.go:311 `failed to call webhook: %w`,
    # wrapped by pkg/util/webhook/error.go:36 `failed calling webhook %q: %v`, v0.37.2).
    # kueue#1700: `the server could not find the requested resource` while the manager was
    # restarting on missing serving certs. A denial (`admission webhook ... denied the
    # request`) is an answer, not this
    ("kueue_controller_down", r"failed calling webhook \\?\"?[mv](?:admissioncheck|clusterqueue|"
                              r"cohort|localqueue|resourceflavor|workload|workloadpriorityclass|"
                              r"topology|multikueuecluster|multikueueconfig)\.kb\.io\\?\"?: "
                              r"failed to call webhook"),
    # ... and Kueue's webhooks of the core kinds it manages (m/v job, pod, deployment,
    # statefulset in config/components/webhook/manifests.yaml, v0.6.3 mjob/mpod, v0.19.2 all
    # eight; the CRD kinds' names, mjobset.kb.io..., are their own operators' too) that the
    # API server could not reach: a connection error, not an answer. The service URL may be
    # cut (a Karmada Work message quoted as `failed calling webhook "mjob.kb.io": failed to
    # call webhook: connect: connection refused`, netai-devsecops-runbook experiment 30:
    # kueue-controller-manager scaled to 0)
    ("kueue_controller_down", r"failed calling webhook \\?\"?[mv](?:job|pod|deployment|"
                              r"statefulset)\.kb\.io\\?\"?: failed to call webhook:[^\n]{0,300}?"
                              r"(?:no endpoints available|connection refused|i/o timeout|"
                              r"context deadline exceeded|connection reset by peer)"),
    # kueue-controller-manager's own informers cannot list its kinds (controller-runtime
    # pkg/cache/internal/informers.go -> client-go reflector `Failed to watch *v1beta1.Workload:
    # failed to list *v1beta1.Workload: <err>`): its caches never sync, so it admits nothing.
    # A timeout, or the apiserver's gRPC `trying to send message larger than max`, is a list too
    # large (hundreds of thousands of finished Workloads: kueue#4266, fixed by deleting them and
    # objectRetentionPolicies); "could not find the requested resource" is a CRD version the
    # installed CRDs do not serve (CRDs not upgraded with the controller)
    ("kueue_controller_down", r"[Ff]ailed to (?:watch|list) \*?v1(?:beta\d|alpha\d)?\.(?:Workload|"
                              r"ClusterQueue|LocalQueue|ResourceFlavor|AdmissionCheck|Cohort|"
                              r"WorkloadPriorityClass|Topology|MultiKueue\w+|"
                              r"ProvisioningRequestConfig)\b"),
    ("kueue_controller_down", r"trying to send message larger(?: than max)?"),
    # The apiserver refused the Workload Kueue built for the job (NewInvalid: `<Kind>.<group>
    # "<name>" is invalid: <field errors>`, logged as the job controller's "Reconciler error"):
    # e.g. a duplicate env var the SanitizePodSets feature missed in init containers (kueue#9003).
    # ... and a Workload's STATUS Kueue patches, refused: the Workload stays in its last state
    # (kueue#6966: an eviction's status.admission clear rejected after a non-SSA patch of a
    # Quantity corrupted the managed fields, fixed by #7430); the same shape as a Gateway
    # controller's refused status write (k8s-gateway-gaie: status_update_rejected)
    # Kueue's own Workload webhook (vworkload.kb.io) refusing the job reconciler's lowering
    # of status.reclaimablePods: the reconciler returns before it handles the job's eviction,
    # so the eviction never stops the job (kueue#1215, fixed by PR #1277; wordings and
    # sources in reclaimable_denied.py). Before the refused-status pattern below: the denial is
    # the webhook's answer, not a schema's
    ("admission_webhook_denied", _RECLAIMABLE_DENIED),
    # Known Kueue defect: a CEL rule of Kueue's CRDs that reads a field it does not guard with
    # has(), so the API server cannot evaluate it on an object without that field and refuses
    # every update: apiextensions-apiserver pkg/apiserver/schema/cel/validation.go:450@1aa2717
    # `field.Invalid(fldPath, "object", "<err> evaluating rule: <message>")`, err `no such key:
    # <field>`. A Workload is Kueue's own object (any such rule of its CRD is Kueue's defect);
    # for Kueue's other kinds only an immutability (transition) rule, which compares a field the
    # person did not touch (ResourceFlavor's `no such key: nodeLabels evaluating rule: at least
    # one nodeLabel is required ...` asks the person for the field: queue_validate.py).
    # kueue#10593: the v1beta1 rules `priorityClassSource is immutable while workload quota
    # reserved` on a v1beta2-stored Workload (no spec.priorityClassSource), any update of an
    # admitted Workload through v1beta1 refused; fixed by #10594 (v0.18.0; v0.16.7, v0.17.2)
    ("kueue_bug", r"(?:The Workload|Workload\.kueue\.x-k8s\.io) \\?\"[^\"\n]*\\?\" is invalid:"
                  r"[^\n]*?no such key: [\w.]+ evaluating rule"
                  r"|(?:The (?:ClusterQueue|LocalQueue|Cohort|ResourceFlavor|AdmissionCheck|"
                  r"Topology|WorkloadPriorityClass|MultiKueueCluster|MultiKueueConfig|"
                  r"ProvisioningRequestConfig) |\w+\.kueue\.x-k8s\.io )[^\n]*?is invalid:"
                  r"[^\n]*?no such key: [\w.]+ evaluating rule: [^\n]*?\bimmutable\b"),
    # Known Kueue defect: the API server refusing a label value Kueue derived from a job's name
    # (pod-group-name, prebuilt-workload-name, workload name: `<kind>-<name>[-<index>]-<5 hex
    # of its hash>`, jobframework GetWorkloadNameForOwnerWithGVK) as longer than 63: apimachinery
    # `metadata.labels: Invalid value: "<v>": must be no more than 63 characters` (pkg/util/
    # validation MaxLenError to v0.34) / `... 63 bytes` (pkg/api/validate/content/errors.go:41
    # @eed236c, v0.35+). kueue#10032 (LWS pods of a name over 39 characters, "leaderworkerset_pod"
    # Reconciler error; CHANGELOG-0.17/0.18 "LeaderWorkerSets with names longer than 39
    # characters failed to create pods with a metadata.labels: Invalid value error"); #9973
    # (Workload names capped at 63, WorkloadNameShorten), #13636 (prebuilt names over 63)
    ("kueue_bug", rf"metadata\.labels(?:\[[^\]\n]*\])?: Invalid value: \\?\"{_JOB_KIND_HOOKS}-"
                  rf"[a-z0-9.-]+-[0-9a-f]{{5}}\\?\": {OVER_63}"
                  rf"|metadata\.labels\[kueue\.x-k8s\.io/[\w.-]+\]: Invalid value: [^\n]*?{OVER_63}"),
    # Kueue failing to write an eviction: the scheduler's log.Error(err, "Failed to evict
    # workload ...") (pkg/scheduler/scheduler.go v0.13.0:248..v0.15.1:243 "... after failed try
    # to find a node replacement", v0.15.8:264..v0.19.2:526 "Failed to evict workload" with the
    # error "failed to evict workload after failed try to find a replacement for unhealthy
    # nodes: <nodes>, <err>", v0.19.2:555 "... for migration"), the workload controller's "setting
    # eviction: <err>" (workload_controller.go v0.10.0:210..v0.19.2:717): the Workload keeps its
    # admission, the job keeps running, and the scheduler retries every cycle. kueue#8258 (a
    # resourceVersion conflict at every retry from a stale copy: TAS node hot swap, v0.15.1;
    # fixed by PR #7933, EvictWithRetryOnConflictForPatch); kueue#6966 (the patch refused)
    ("eviction_status_patch_failed", r"\b[Ff]ailed to evict workload\b|\bsetting eviction: "),
    # The Workload status fields (apis/kueue/v1beta1|v1beta2 workload_types.go WorkloadStatus,
    # v0.3-v0.19): an SSA status patch's field errors name them without `status.` (kueue
    # CHANGELOG-0.10/0.11: "Kueue's Scheduler to build invalid SSA patch ... rejected with
    # `Workload.kueue.x-k8s.io "job-xxxxxx" is invalid: [admissionChecks[0].lastTransitionTime:
    # Required value`", kueue#4934, fixed by #4935 in v0.12.0, v0.10.5, v0.11.4)
    ("status_update_rejected", r"Workload\.kueue\.x-k8s\.io \\*\"?(?P<wl>[^\"\\ ]+)\\*\"? is "
                               rf"invalid: (?:\[ ?)?{_STATUS_FIELD}"),
    ("workload_missing", r"Workload\.kueue\.x-k8s\.io \\?\"?(?P<workload>[^\"\\ ]+)\\?\"? is "
                         rf"invalid(?!: (?:\[ ?)?{_STATUS_FIELD})(?!: ?\[?$)"),  # a field list on the next lines: read whole
    # ProvisioningRequest admission check: Kueue's check message "Retrying after failure: <the
    # request's Failed message>" (pkg/controller/admissionchecks/provisioning/controller.go
    # v0.6.0:490), and the ProvisioningRequest's own conditions written by cluster-autoscaler
    # (Kueue docs tasks/troubleshooting/troubleshooting_provreq.md; GKE's
    # ProvisioningRequestNotSchedulableInNodepool message, kueue#2389).
    # Kueue's setup log when the ProvisioningRequest API (cluster-autoscaler's CRD) is not
    # served: no ProvisioningRequest admission check controller runs, so its AdmissionChecks
    # never become Active and every ClusterQueue using one is inactive (pkg/cache
    # clusterqueue.go hasMissingOrInactiveAdmissionChecks). cmd/kueue/main.go v0.5.0..v0.10:
    # "Provisioning Requests are not supported, skipped admission check controller setup";
    # v0.11.0..v0.19.2: "Skipping admission check controller setup: Provisioning Requests not
    # supported (Possible cause: missing or unsupported cluster-autoscaler)" (kueue#3195).
    ("queue_inactive", r"Provisioning Requests (?:are )?not supported"),
    # The job kind's CRD was not served when Kueue started: v0.6.0..v0.10 set up no
    # controller or webhook for it until a restart (pkg/controller/jobframework/setup.go,
    # logger.Info); v0.11+ logs "... deferring setting up controller" and sets it up when the
    # CRD appears, which is no verdict.
    ("workload_missing", r"No matching API in the server for job framework, skipped setup"),
    # The job names a priority class that does not exist: Kueue cannot compute the
    # Workload's priority and creates none (jobframework reconciler.go: the Reconciler
    # error `WorkloadPriorityClass.kueue.x-k8s.io "<name>" not found` in every release, and
    # from 2026 also a Warning event WorkloadPriorityClassNotFound `WorkloadPriorityClass
    # "<name>" not found`; a pod template's PriorityClass the same way, kueue#3439)
    ("workload_missing", r"(?:Workload)?PriorityClass(?:\.kueue\.x-k8s\.io|\.scheduling\.k8s\.io)? "
                         r"\\?\"(?P<priorityclass>[\w.*-]+)\\?\" not found"),
    # A ValidatingAdmissionPolicy that requires the queue label refused the job: the message
    # of Kueue's documented sample policy (site/static/examples/sample-validating-policy.yaml,
    # v0.9.0..v0.19), which OpenShift AI and SageMaker HyperPod task governance deploy.
    # kueue-controller-manager exits at start (setupLog.Error + os.Exit, cmd/kueue/main.go
    # v0.5.0..v0.19.2): while it is down no job gets a Workload or is admitted (kueue#4215).
    ("workload_missing", r"Unable to (?:load|validate) the configuration"),
    ("no_queue_label", r"label '?kueue\.x-k8s\.io/queue-name'? is either missing or does not "
                       r"have a value set"
                       # jobframework/validation.go v0.11-v0.19 (LocalQueueDefaulting)
                       r"|queue-name must not be empty in namespace with default queue"
                       # the job reconciler's V(3) log when it skips a job (jobframework/
                       # reconciler.go v0.19.2:366-370; the label's full name in older ones)
                       r"|queue-name label is not set, ignoring the job"
                       r"|No kueue-managed ancestors have a queue-name label"),
    # ... and its own failure to create the ProvisioningRequest (an admission webhook, a
    # quota, RBAC refusing it): the check stays Pending with this message and a FailedCreate
    # Warning event (provisioning/controller.go v0.19.2 handleError: "Error creating
    # ProvisioningRequest %q: %v"; GKE's webhook allowing one PodSet, ray-project/ray#57839)
    # (l.337 the same for the PodTemplate the request points at: "Error creating PodTemplate")
    ("admission_check_pending", r"Error creating (?:ProvisioningRequest|PodTemplate)|Retrying after (?:failure|booking expired)|Provisioning Request wasn'?t "
                                r"(?:accepted|provisioned)|Provisioning Request'?s pods cannot "
                                r"be scheduled"),
]

# Reasons of QuotaReserved=False and Evicted/Preempted/DeactivationTarget conditions
# (apis/kueue/v1beta1|v1beta2/workload_types.go). Legacy QuotaReserved reasons Pending /
# Inadmissible say nothing by themselves.
REASONS = {
    "ExceedsMaxQuota": "exceeds_max_quota",
    "WaitingForQuota": "quota_exhausted",
    "WaitingForPreemptedWorkloads": "quota_exhausted",
    "NoMatchingFlavor": "flavor_mismatch",
    "TopologyPlacementFailed": "topology_unfit",
    "WaitingForPodsReady": "waiting_pods_ready",
    "Waiting": "waiting_pods_ready",
    "PodsReadyTimeout": "pods_ready_timeout",
    "RequeuingLimitExceeded": "pods_ready_timeout",
    "DeactivatedDueToRequeuingLimitExceeded": "pods_ready_timeout",
    "Preempted": "preempted",
    "InClusterQueue": "preempted",
    "InCohortReclamation": "preempted",
    "InCohortFairSharing": "preempted",
    "InCohortReclaimWhileBorrowing": "preempted",
    "AdmissionCheck": "admission_check_pending",
    "DeactivatedDueToAdmissionCheck": "admission_check_rejected",
    "AdmissionChecksRejected": "admission_check_rejected",
    "AdmissionCheckRejected": "admission_check_rejected",
    "ClusterQueueStopped": "queue_inactive",
    "LocalQueueStopped": "queue_inactive",
    "Deactivated": "workload_deactivated",
    "InactiveWorkload": "workload_deactivated",
    # v0.8-v0.9 concatenated the DeactivationTarget reason
    "InactiveWorkloadRequeuingLimitExceeded": "pods_ready_timeout",
    "InactiveWorkloadAdmissionCheck": "admission_check_rejected",
    # Finished reason when starting the job failed for good (v0.6+ jobframework
    # FailedToStartFinishedReason, reconciler.go:388@v0.6.3)
    "FailedToStart": "admitted_not_started",
    # QuotaReserved=False when the job kind's controller holds the job (v0.18+ WorkloadOnHold)
    "OnHold": "admitted_not_started",
}

# "couldn't assign flavors" (a reason); "failed to assign flavors" wraps an error (v0.9+)
_PODSET = re.compile(r"(?:couldn'?t|failed to) assign flavors to pod set (?P<podset>[^:]+):\s*",
                     re.I)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _search(pattern: str, text: str) -> tuple[object, bool]:
    """(match, exact): on the text as given, else on the text without whitespace (a
    terminal-wrapped paste); facts are only trusted from an exact match."""
    exact, loose = _compiled(pattern)
    found = exact.search(text)
    if found:
        return found, True
    return loose.search(_without_whitespace(text)), False


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern, and its form for text without whitespace, compiled once (a dump of
    thousands of workloads searches every message with every pattern)."""
    # a name (\S+) stays a name: in text without whitespace \S+ would run on through the
    # words after it (`ClusterQueue team-a`...`reason=FlavorNotFound` read as "ClusterQueue
    # ... not found")
    loose = pattern.replace(" ", "").replace(r"\S+", r"[-\w./\"']+").replace(r"\s", "")
    return re.compile(pattern, re.I), re.compile(loose, re.I)


@functools.lru_cache(maxsize=64)
def _without_whitespace(text: str) -> str:
    # one message is searched with each pattern in turn
    return _WHITESPACE.sub("", text)


_WHITESPACE = re.compile(r"\s+")


def normalize(message: str) -> str:
    # a Status body printed inside another string escapes its quotes once more for each
    # layer (a Python client's `HTTP response body: {\"message\":\"... webhook \\"mpod.kb.io\\"
    # ...`: kubernetes-sigs/kueue#2321): the message's own quotes are plain ones; so are
    # those YAML's single-quoted style doubles (`message: 'LocalQueue q doesn''t exist'` on
    # a line of -o yaml the YAML reader could not take, e.g. a name masked as `*****`)
    text = _ESCAPED_QUOTE.sub('"', str(message or ""))
    # a markdown auto-link GitHub renders a domain-like word into, copied back as markdown
    # (`[vpod.kb.io](http://vpod.kb.io/)`, kubernetes-sigs/kueue#4711): the word itself
    text = _AUTOLINK.sub(r"\1", text)
    return " ".join(_YAML_DOUBLED_QUOTE.sub("'", text).split())


_ESCAPED_QUOTE = re.compile(r'\\+"')
_AUTOLINK = re.compile(r"\[([\w.-]+\.[\w./-]+)\]\((?:https?://)?\1/?\)")


# (inside a word, or at either end of one: `AllocationMode ''All'' is not supported`)
_YAML_DOUBLED_QUOTE = re.compile(r"(?<=\w)''|''(?=\w)")


def message_span(line: str) -> str:
    """Kueue's message inside a free-text line (a log line, a sentence quoting it): from the
    first Kueue phrase to the end, without the quote marks around it. The line as given
    when no phrase is found exactly (a wrapped paste)."""
    # YAML's single-quoted style doubles an inner quote: kubectl -o yaml prints
    # `message: 'couldn''t assign flavors ...'`, read here as text when the YAML is broken
    # (normalize makes it one)
    text = normalize(line)
    starts = [m.start() for m in [_PODSET.search(text)] if m]
    for _, pattern in _CLAUSES + _MESSAGES:
        found = _compiled(pattern)[0].search(text)
        if found:
            starts.append(found.start())
    if not starts:
        return text
    start = min(starts)
    # a quoted message: stop at the quote that closes it
    opener = text[start - 1] if start else ""
    span = text[start:]
    if opener and opener in "`'\"":
        close = re.search(re.escape(opener) + r"(?![A-Za-z])", span)  # not couldn't
        closed = span[:close.start()] if close else span
        # a message with quotes of its own (an apiserver error naming "the-object") does not
        # end at the first of them: keep the cut only when it still says what Kueue said
        span = closed if clauses(closed) or not clauses(span) else span
    span = re.split(r'\s\{"', span)[0]  # zap console logs: msg<TAB>{"key": ...}
    return span.strip().rstrip("`'\",;").strip()


def clauses(message: str) -> list[Clause]:
    """Every cause a Kueue message states, in the order it states them."""
    return [Clause(cause, text, podset, dict(facts))
            for cause, text, podset, facts in _parsed_clauses(normalize(message))]


@functools.lru_cache(maxsize=4096)
def _parsed_clauses(text: str) -> tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]:
    """clauses() of a normalized message, as immutable tuples: thousands of workloads
    pending for one reason share a few hundred messages, each parsed once."""
    return tuple((c.cause, c.text, c.podset, tuple(c.facts.items())) for c in _parse(text))


# A MultiKueue worker's copy of a Workload the manager evicted: the worker deactivates it
# with the manager's Evicted message inside its own, "The workload is deactivated due to
# Evicted on manager: <the manager's message>" (reason DeactivatedDueToEvictedOnManagerCluster;
# pkg/controller/admissionchecks/multikueue/workload.go:596 with core/workload_controller.go:679
# @v0.19.2, since v0.14.8 / v0.15.3): the manager's message names the cause, not the wrapper
_ON_MANAGER = re.compile(r"\bEvicted on manager:\s*", re.I)


def _parse(text: str) -> list[Clause]:
    if not text:
        return []
    inner = _ON_MANAGER.split(text, 1)
    if len(inner) == 2 and _parse(inner[1]):
        return _parse(inner[1])
    out = [c for c in _flavor_clauses(text)]
    printed = _KUBECTL_PRINTED.search(text)
    for cause, pattern in _MESSAGES:
        if printed and pattern in _KUEUES_UPDATE:
            continue
        found, exact = _search(pattern, text)
        if found:
            out.append(Clause(cause, found.group(0), facts=_facts(found) if exact else {}))
    if not out:  # a clause pattern outside "couldn't assign flavors" (logs, new versions)
        out = [c for c in _clause_parts(text, "")]
    return out


def _flavor_clauses(text: str) -> list[Clause]:
    parts = _PODSET.split(text)
    if len(parts) < 3:
        return []
    out = []
    # parts: [before, podset1, body1, podset2, body2, ...]; bodies end with "; " between
    for podset, body in zip(parts[1::2], parts[2::2]):
        out += _clause_parts(body.rstrip("; "), podset.strip())
    return out


def _clause_parts(body: str, podset: str) -> list[Clause]:
    out = []
    for piece in re.split(r",\s+(?=(?:insufficient|resource |untolerated|flavor |Flavor |"
                          r"topology |no topology|borrowing limit))|\.\s+(?=Pending the preemption)", body):
        for cause, pattern in _CLAUSES:
            found, exact = _search(pattern, piece)
            if found:
                out.append(Clause(cause, piece.strip(), podset, _facts(found) if exact else {}))
                break
    return out


def _facts(found) -> dict:
    facts = {k: v for k, v in found.groupdict().items() if v}
    if "max2" in facts:
        facts["max"] = facts.pop("max2")
    return facts


def first_cause(message: str, reason: str = "") -> str:
    """The cause a message (or, failing that, its condition reason) points at; '' if none."""
    found = clauses(message)
    if found:
        return rank(found)[0].cause
    return REASONS.get(str(reason or ""), "")


# When one message holds several clauses, which one explains the wait. A pod set that can
# never fit explains more than one that waits; a wait for quota is the commonest tail.
_PRIORITY = ["kueue_bug", "dra_class_unmapped", "no_queue_label", "local_queue_missing",
             "cluster_queue_missing", "queue_inactive", "namespace_not_selected", "admission_check_rejected",
             "resource_not_in_queue", "pods_ready_timeout", "workload_deactivated",
             "preempted", "multikueue_cluster_disconnected", "admission_check_pending",
             "waiting_pods_ready", "topology_unfit",
             "exceeds_max_quota", "quota_exhausted", "flavor_mismatch",
             # Kueue's webhook unreachable is why a start (a job's own create of its pods)
             # failed, not the other way round
             "kueue_controller_down", "admitted_not_started"]


def _without_empty_flavors(podset_clauses: list[Clause]) -> list[Clause]:
    """A flavor whose maximum capacity for the resource is 0 offers none of it: it is no
    candidate, so when other flavors refused the pod set for their own reason (taints, TAS
    only, node affinity), theirs is the cause (kueue flavorassigner: every flavor is tried)."""
    empty = [c for c in podset_clauses if c.cause == "exceeds_max_quota"
             and str(c.facts.get("max", "")).strip() == "0"]
    others = [c for c in podset_clauses if c not in empty]
    if empty and others and all(c.cause in ("flavor_mismatch", "topology_unfit")
                                for c in others):
        return others
    return podset_clauses


def rank(found: list[Clause]) -> list[Clause]:
    """Clauses ordered by how much they explain.

    Flavor assignment reports every flavor it tried: a pod set fails only when every flavor
    fails, so the cause is the most hopeful flavor's reason (a flavor that waits for quota
    beats one that does not tolerate the pod), except that a request that fits no flavor's
    maximum can never run. flavor_mismatch wins only when it is all there is.
    """
    per_podset: dict[str, list[Clause]] = {}
    for clause in found:
        per_podset.setdefault(clause.podset, []).append(clause)
    verdicts = []
    for podset_clauses in per_podset.values():
        podset_clauses = _without_empty_flavors(podset_clauses)
        causes = {c.cause for c in podset_clauses}
        if causes <= {"flavor_mismatch"} or not causes & {"quota_exhausted",
                                                           "exceeds_max_quota"}:
            verdicts += podset_clauses
            continue
        hopeful = [c for c in podset_clauses if c.cause == "quota_exhausted"]
        verdicts += hopeful or [c for c in podset_clauses if c.cause == "exceeds_max_quota"]
    # a webhook's refusal is only the frame: what its message says, when Kueue has a word for
    # it (a queue-name the webhook requires: no_queue_label), is the cause
    verdicts = [c for c in verdicts if not c.facts.get("webhook")] or verdicts
    order = {cause: i for i, cause in enumerate(_PRIORITY)}
    return sorted(verdicts, key=lambda c: order.get(c.cause, len(order)))
