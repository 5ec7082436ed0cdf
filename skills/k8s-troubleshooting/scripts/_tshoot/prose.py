"""What a report says in words, when nothing in the paste is a component's message.

A bug report often states the decisive fact only in a sentence ("the alertmanager pvc is still
unbound") beside a truncated `kubectl get pods` table. triage.py reads tables and messages; when
they yield nothing, the words are the only evidence left. A script cannot verify a sentence,
so a rule here gives a warning with basis `inferred`, the sentence as evidence and the command
that shows the state itself; a report that says none of these gets the info `not_evaluated`
(the cause cannot be told from the paste) instead of "nothing broken found".

Rules (the wording is users'; the state is Kubernetes'):
- a PersistentVolumeClaim said unbound / Pending / not bound (the PV controller leaves a claim
  Pending while no volume matches and no StorageClass provisions one: pkg/controller/volume/
  persistentvolume/pv_controller.go syncUnboundClaim, "no persistent volumes available for
  this claim and no storage class is set"; prometheus-community/helm-charts#4946) -> pvc_pending.
- a pod said not to tolerate a taint ("does not tolerate the taint", "untolerated taint",
  "missing toleration"): the scheduler's TaintToleration filter leaves it Pending
  (pkg/scheduler/framework/plugins/tainttoleration, "had untolerated taint") ->
  unschedulable_taint. A sentence that also says the pod runs is not this.
- a pod said stuck / hanging / still in Terminating, or whose status is said to be
  Terminating (arangodb/kube-arangodb#440): deletion waits for its finalizers or for
  the kubelet of its node to confirm (the pod keeps deletionTimestamp until then) ->
  stuck_terminating; a finalizer named in the report is quoted with it.
- a pod said Pending / unschedulable / (not) scheduling in the same sentence as "insufficient
  <resource>" or "not enough <resource>": the NodeResourcesFit filter's "Insufficient
  <resource>" -> unschedulable_insufficient.
- "insufficient resources: <R>" quoted from a tool (the Kubeflow notebook UI renders the
  scheduler's reason so; kubeflow/kubeflow#5937) -> unschedulable_insufficient; so is the
  reporter's conclusion that a request was too high for any node in a report of a Pending pod
  (selkies-project/docker-selkies-egl-desktop#35).
- Pending pods blamed on the node affinity / selector ("unable to schedule because of the node
  affinity rules": NodeAffinity's "didn't match Pod's node affinity/selector"; ROCm/
  gpu-operator#23) -> unschedulable_affinity. A sentence that only mentions affinity beside
  the Pending state is not this (the reporter may have found another cause).
- a pod or container said to crash / crash-loop ("ran into the web pod crashing with this
  error", langfuse/langfuse-k8s#60) -> crash_loop, the quoted error being the program's reason.
- a liveness / startup / readiness probe said to restart, kill or fail the container ("the
  liveness probe is triggering a restart before things are able to initialize"): the kubelet
  restarts a container whose liveness or startup probe fails failureThreshold times
  (pkg/kubelet/prober; "Container X failed liveness probe, will be restarted") -> probe_failing
  (immich-app/immich-charts#27: a model download outlasting the probe's delay).
- a pod said Pending / stuck in pending where the paste holds a topologySpreadConstraint with
  `whenUnsatisfiable: DoNotSchedule`: the PodTopologySpread filter keeps a pod off every
  domain it would push past maxSkew, counting only pods that exist -> unschedulable_topology_
  spread (elastic/cloud-on-k8s#5810). The constraint is pasted code, the state is words: both
  must be there.
- a node said NotReady, or pods said Unknown / NodeLost with their node: the node controller
  marks Ready Unknown when the kubelet stops posting status -> node_not_ready.
- a container said to exit 137 or a process killed by signal 9 / SIGKILL (not beside a
  liveness probe or a delete): the memory cgroup's OOM killer (kubeflow/mpi-operator#90) ->
  oom_killed.
- a pod said stuck in ContainerCreating in the same line as a volume, ConfigMap, Secret or
  claim: the kubelet mounts every volume first (Consensys-Incorporated/quorum-kubernetes#240)
  -> mount_failed.
- a volume said not to mount ("We cannot mount NFS shares in Pods via PV and PVC",
  kubernetes#30987), in the same line as a volume word -> mount_failed.
- kubectl rollout status' own waiting / progress-deadline wording, or a rollout said stuck
  (kubectl pkg/polymorphichelpers/rollout_status.go) -> rollout_stuck.
- a pod or container said to keep restarting (radondb/radondb-mysql-kubernetes#171) ->
  crash_loop.
- pods said evicted, or an eviction beside a disk/memory/PID pressure: the kubelet's
  node-pressure eviction (concepts/scheduling-eviction/node-pressure-eviction.md) -> evicted.
- an image said not to pull ("cannot pull the image"): ErrImagePull / ImagePullBackOff
  (concepts/containers/images.md) -> image_pull.
- a container said to exit with a non-zero code other than 137 and 143: the program failed
  and the kubelet restarts it with back-off -> crash_loop.
- a drain / eviction client's "Too Many Requests" / 429 for a pod (the eviction API's status
  when a PodDisruptionBudget refuses; ansible-collections/kubernetes.core#797), with a drain or
  evict word in the paste -> eviction_blocked_pdb (an overloaded API server also answers 429).
- a controller's pod create timed out by the API server ("Error creating: Timeout: request did
  not complete within requested timeout", kubernetes#92699) -> admission_webhook_denied, naming
  the other reading (an overloaded API server / etcd) beside it.
- no node said to have enough of a resource -> unschedulable_insufficient; the nodeSelector /
  node affinity said to match no node -> unschedulable_affinity; a node said cordoned where
  the pod waits -> unschedulable_cordoned; a ConfigMap or Secret said not to exist (not beside
  ContainerCreating, which is the mount's) -> config_missing; a Job said to reach its
  backoffLimit / activeDeadlineSeconds -> job_failed / deadline_exceeded; root said to meet
  runAsNonRoot -> run_as_non_root (the kubelet's and the Job controller's own reasons).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass

from k8s_skillkit.findings import finding
from k8s_skillkit.prose import ProseOnly, is_report, report_lines
from k8s_skillkit.quantity import format_quantity
from k8s_skillkit.requests import container_requests, pod_requests

from _tshoot import liveness_window, pdb_allowance

_PVC = r"(?:pvcs?|pvc's|persistent ?volume ?claims?|volume ?claims?)"
# "the pvc's are unbound", "alertmanager pvc still unbund", "PVC data-0 is stuck in Pending",
# "PVC pending", "unbound immediate PersistentVolumeClaims", 'PVC is stuck in a "Pending" state'
# (pingcap/tidb-operator#129): the claim is the subject of the state word (not "the PVC
# was created and the pod is pending")
_UNBOUND = re.compile(
    rf"\b{_PVC}(?:\s+[`'\"]?[\w.-]+[`'\"]?)?\s+(?:(?:is|are|was|were|stays?|remains?|still|stuck|"
    r"keeps?|in)\s+(?:\w+\s+){0,3}?[`'\"]?)?(?:unbo?u?nd\w*|pending|not\s+bound)\b"
    rf"|\bunbound\s+(?:immediate\s+)?{_PVC}"
    # the provisioner never asked: "localpv doesn't get any request to provision volume"
    # (openebs/openebs#2915: WaitForFirstConsumer with spec.nodeName, the scheduler never
    # picked the node), "no PV is created", "the volume is never provisioned"
    r"|\b(?:does\s*n[o']t|did\s*n[o']t|never)\s+(?:gets?|receives?)\s+(?:any\s+)?requests?\s+"
    r"to\s+provision\b"
    r"|\bno\s+(?:persistent\s*)?(?:volumes?|PVs?)\s+(?:is|are|was|were|gets?|got)\s+(?:being\s+)?"
    r"(?:created|provisioned)\b"
    r"|\b(?:volumes?|PVs?|PVCs?)\s+(?:is|are|was|were)\s+(?:never|not)\s+(?:being\s+)?"
    r"provisioned\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no longer|not)\s+(?:\w+\s+)?(?:unbound|pending)\b", re.IGNORECASE)

_NO_TOLERATION = re.compile(
    # "don't have the `nvidia.com/gpu` toleration automatically added" (Azure/AKS#1449: a
    # tainted GPU pool without the ExtendedResourceToleration admission plugin)
    r"(?:\bnot\b|n't|\bunable to\b|\bwithout\b)\s+(?:[\w`'\"./-]+\s+){0,3}?tolerat\w*"
    r"|\buntolerated\s+taints?|\bmissing\s+(?:(?:the|a|any)\s+)?tolerations?"
    r"|\btolerations?\s+(?:is|are|was|were)\s+missing", re.IGNORECASE)
# a line that puts the pod past scheduling: running, or in a state only a kubelet gives
# (ContainerCreating is the kubelet's default waiting reason, kubelet_pods.go v1.37.2:2531: a
# kubelet holds the pod, so the scheduler has bound it; aws-efs-csi-driver#122)
_RUNS = re.compile(r"\b(?:is|are|now)\s+running\b|\bContainerCreating\b", re.IGNORECASE)
_TERMINATING = re.compile(
    r"\b(?:stuck|hang(?:s|ing)?|hung|still|forever|remains?|stays?|keeps?)\b[^.!?]{0,40}?"
    r"\bTerminating\b|\bTerminating\b[^.!?]{0,30}?\b(?:forever|for (?:hours|days)|never)\b"
    # "it is listed with readiness 1/1 and status `Terminating`" (arangodb/kube-arangodb#440)
    r"|\b(?:status|state)\s+(?:is\s+|of\s+)?[`'\"]?Terminating\b"
    # "After executing `kubectl delete raycluster <name>`, I see that the command hangs": a
    # deletion that waits for a finalizer (ray-project/ray#22505)
    r"|\b(?:kubectl\s+delete|delet(?:e|es|ed|ing|ion))\b[^.!?]{0,60}?\b(?:hangs?|hung|"
    r"hanging|stuck|never\s+(?:finishes|completes|returns|ends))\b",
    re.IGNORECASE)
_INSUFFICIENT = re.compile(
    r"\b(?:insufficient|not\s+enough|ran\s+out\s+of)\s+(?:free\s+)?"
    r"(?:cpus?|memory|ephemeral[- ]storage|pods|gpus?|[\w.-]+/[\w.-]+)\b", re.IGNORECASE)
# a tool's own words quoted ("I get an error insufficient resources: NVIDIA GPUs", the Kubeflow
# notebook UI's rendering of the scheduler's reason; kubeflow/kubeflow#5937): the resource is
# named after the colon
_INSUFFICIENT_QUOTED = re.compile(
    r"\binsufficient\s+resources?\s*:\s*(?:\w+\s+)?(?:cpus?|memory|ephemeral[- ]storage|"
    r"gpus?|[\w.-]+/[\w.-]+)\b", re.IGNORECASE)
# the reporter's own conclusion that a request was more than any node offers ("My CPU
# requirements were too high which made it so that no node satisfied my requirements",
# selkies-project/docker-selkies-egl-desktop#35), in a report of a Pending pod
_ASKED_TOO_MUCH = re.compile(
    r"\b(?:cpu|memory|gpu|resource)s?\s+(?:requests?|requirements?|limits?)\s+(?:were|was|is|"
    r"are)\s+(?:\w+\s+)?too\s+(?:high|large|big|much)\b|\bno\s+node\s+(?:satisfied|had\s+"
    r"enough|could\s+fit|fits?)\b", re.IGNORECASE)
_PENDING = re.compile(r"\bpending\b|\bunschedulable\b", re.IGNORECASE)
# the report blames the node affinity / selector for the Pending pods ("The pods are unable to
# schedule because of the node affinity rules in the default values", ROCm/gpu-operator#23:
# required control-plane labels no node of a managed cluster shows)
_AFFINITY_BLAMED = re.compile(
    r"\b(?:because\s+of|due\s+to|caused\s+by)\s+(?:the\s+|its\s+|their\s+)?(?:required\s+)?"
    r"(?:node\s*affinity|node\s*selectors?|nodeSelector)\b", re.IGNORECASE)
# the sentence is about placing the pod ("stays Pending", "struggling with scheduling",
# "cannot be scheduled"): "insufficient X" there is the scheduler's NodeResourcesFit wording
_WAITS = re.compile(r"\b(?:pending|unschedulable|schedul\w*)\b", re.IGNORECASE)
_FINALIZER = re.compile(r"\bfinali[sz]ers?\b", re.IGNORECASE)
# "probe" in the API's words, "check" in many reports' ("The readiness/liveness-check ... fails
# with an HTTP-Error-Code 401", devops-ia/helm-opencti#235)
_PROBE = re.compile(r"\b(?:liveness|startup|readiness)[ -]?(?:probes?|checks?)\b", re.IGNORECASE)
# a probe said to pass is not failing, whatever else the sentence says restarts (unless the
# sentence goes on to say it fails: "passed at first but then fails")
_PROBE_OK = re.compile(r"\b(?:probes?|checks?)\s+(?:(?:is|are|was|were)\s+)?(?:pass(?:es|ed|ing)?|"
                       r"succeed\w*|ok|fine|green)\b(?![^.!?\n]*\b(?:fail|kill|time[sd]?\s?out|"
                       r"timed\s?out))", re.IGNORECASE)
# an HTTP status the report gives the probe: the kubelet counts 200-399 as success
# (k8s.io/kubernetes v1.37.2 pkg/probe/http/http.go:137) and says "HTTP probe failed with
# statuscode: N" otherwise (:147)
_HTTP_STATUS = re.compile(r"\b(?:HTTP|status(?:\s*code)?|code|error)\b[^.!?\d]{0,20}?\b([45]\d\d)\b",
                          re.IGNORECASE)
_PROBE_ACTS = re.compile(r"\b(?:restart\w*|kill\w*|fail\w*|time[sd]?\s?out|timed\s?out)\b",
                         re.IGNORECASE)
_STUCK_PENDING = re.compile(r"\b(?:stuck|stays?|remains?|still|hangs?|forever)\b[^.!?]{0,30}?"
                            r"\bpending\b|\bpending\b[^.!?]{0,20}?\b(?:forever|for (?:hours|"
                            r"days))\b|\b(?:can(?:no|')t|not|never)\s+(?:be\s+)?scheduled\b",
                            re.IGNORECASE)
# a pod said to crash ("ran into the web pod crashing with this error", langfuse/langfuse-k8s
# #60; "the pod keeps crash looping"): the container exits and the kubelet restarts it
_CRASHING = re.compile(r"\b(?:pods?|containers?)\b[^.!?\n]{0,30}?\b(?:(?:is|are|keeps?|kept|"
                       r"started|was|were)\s+)?(?:crash(?:es|ed|ing)|crash[- ]?loop\w*)\b",
                       re.IGNORECASE)
# a container said to exit with 137 or to be killed by signal 9 (128 + SIGKILL): the kernel's
# memory-cgroup OOM killer sends SIGKILL; the kubelet shows reason OOMKilled only when the
# container's main process was the one killed (Kubernetes docs, "Assign Memory Resources to
# Containers and Pods": Reason OOMKilled, Exit Code 137; kubeflow/mpi-operator#90: an MPI rank
# "exited on signal 9 (Killed)" in a worker that never restarted)
SIGKILLED = re.compile(r"\bexit(?:s|ed)?\s*(?:with\s+)?(?:code|status)?\s*:?\s*137\b"
                        r"|\b(?:signal\s*9|SIGKILL)\b(?:\s*\(Killed\))?", re.IGNORECASE)
SIGKILL_OTHER = re.compile(r"\b(?:liveness|startup)\b|\bkubectl\s+delete\b|\bpreempt",
                            re.IGNORECASE)
# a pod said stuck in ContainerCreating beside a volume it mounts ("stuck in
# ContainerCreating after I added a configmap volume"): the kubelet creates no container until
# every volume is mounted (pkg/kubelet/volumemanager WaitForAttachAndMount; the pod's events
# say FailedMount)
# ("ContianerCreating" as OpenShiftDemos/gogs-openshift-docker#3 typed it)
_CREATING = re.compile(r"\bCont(?:ai|ia)nerCreating\b", re.IGNORECASE)
_VOLUME_SAID = re.compile(r"\b(?:volumes?|mounts?|mounted|configmaps?|secrets?|pvcs?|nfs|"
                          r"csi|persistent\s*volume\w*)\b", re.IGNORECASE)
# a volume said not to mount ("We cannot mount NFS shares in Pods via PV and PVC",
# kubernetes#30987: the kubelet's image lacked mount.nfs; "the volume fails to mount"): the
# kubelet's FailedMount ("MountVolume.SetUp failed ...", "Unable to attach or mount volumes")
_CANNOT_MOUNT = re.compile(r"\b(?:can ?not|can't|cannot|could ?n[o']t|unable to|fail(?:s|ed|ing)?"
                           r" to|won't|doesn't|does not)\s+(?:be\s+)?mount(?:ed)?\b"
                           r"|\bmount(?:ing|s)?\s+(?:fails?|failed|errors?|does ?n[o']t work)\b",
                           re.IGNORECASE)
# what is mounted: a volume word other than "mount" itself
_MOUNTED_THING = re.compile(r"\b(?:volumes?|pvs?|pvcs?|nfs|cifs|smb|shares?|disks?|csi|ebs|efs|"
                            r"cephfs|rbd|iscsi|configmaps?|secrets?|persistent\s*volume\w*)\b",
                            re.IGNORECASE)
# kubectl rollout status while a rollout does not finish (kubectl pkg/polymorphichelpers/
# rollout_status.go, every release: "Waiting for deployment %q rollout to finish: %d old
# replicas are pending termination...", "... %d of %d updated replicas are available...";
# "deployment %q exceeded its progress deadline"), or a rollout said stuck in words
_ROLLOUT = re.compile(r"\bWaiting for (?:deployment|daemon set|rollout)\b[^\n]{0,60}?rollout "
                      r"to finish|\bWaiting for \d+ pods to be ready\b|\bexceeded its progress deadline\b|\brollouts?\b[^.!?\n]{0,30}?"
                      r"\b(?:is|was|gets?|got)?\s*(?:stuck|hangs?|hung|never\s+(?:finishes|"
                      r"completes))\b", re.IGNORECASE)
# pods said Unknown / NodeLost because their node stopped answering: the node controller marks
# the node's Ready condition Unknown after node-monitor-grace-period and its pods' Ready
# false (pkg/controller/nodelifecycle; before 1.14 the pods' reason was NodeLost)
_NODE_LOST = re.compile(r"\b(?:status|state)\s+(?:is\s+|of\s+)?[`'\"]?(?:Unknown|NodeLost)\b"
                        r"[^.!?\n]{0,80}?\bnodes?\b|\bnodes?\b[^.!?\n]{0,60}?\b(?:went|goes|"
                        r"is|are|became|becomes|turn(?:s|ed)?)\s+(?:\w+\s+)?NotReady\b"
                        r"|\bNodeLost\b|\bnodes?\s+(?:[\w.-]+\s+)?(?:as\s+)?NotReady\b",
                        re.IGNORECASE)
# a container said to keep restarting ("restarts every few minutes", "keeps restarting"):
# the kubelet restarts a container that exits, with back-off
_RESTARTING = re.compile(r"\b(?:pods?|containers?)\b[^.!?\n]{0,30}?\b(?:keeps?\s+|kept\s+)"
                         r"restarting\b|\b(?:pods?|containers?)\b[^.!?\n]{0,30}?\brestarts\s+"
                         r"(?:every|constantly|continuously|repeatedly|all the time)\b",
                         re.IGNORECASE)
# pods said evicted, or an eviction said beside a node pressure: the kubelet's node-pressure
# eviction marks the pod Failed with reason Evicted ("The node was low on resource: R";
# Kubernetes docs, concepts/scheduling-eviction/node-pressure-eviction.md)
_EVICTED_SAID = re.compile(r"\b(?:pods?|containers?)\b[^.!?\n]{0,60}?\b(?:were|was|are|is|being|"
                           r"gets?|got|getting)\s+(?:\w+\s+)?evicted\b"
                           r"|\bevict(?:ed|ions?)\b[^.!?\n]{0,40}?\b(?:disk|memory|pid|storage)"
                           r"[- ]?pressure\b|\b(?:disk|memory|pid)[- ]?pressure\b[^.!?\n]{0,60}?"
                           r"\bevict(?:ed|ing|s)?\b", re.IGNORECASE)
# an image said not to pull ("the pod cannot pull the image: unauthorized"): the kubelet's
# ErrImagePull / ImagePullBackOff (Kubernetes docs, concepts/containers/images.md)
_PULL_SAID = re.compile(r"\b(?:can ?not|can't|couldn't|could not|unable to|fail(?:s|ed|ing)? to|"
                        r"won't)\s+pull\b(?:\s+(?:the|an?|our|my|its))?(?:\s+[\w.:/-]+)?\s+"
                        r"images?\b|\bimage\s+pulls?\s+(?:fails?|failed|errors?)\b",
                        re.IGNORECASE)
# a container said to exit with a non-zero code other than 137 (SIGKILL, the OOM rule) and
# 143 (SIGTERM, a stop): the program failed, and the kubelet restarts it with back-off
# (restartPolicy Always/OnFailure: CrashLoopBackOff)
_EXIT_SAID = re.compile(r"\b(?:containers?|pods?|process|app(?:lication)?|program)\b[^.!?\n]{0,40}?"
                        r"\bexit(?:s|ed)?\s+(?:immediately\s+)?(?:with\s+)?(?:exit\s+)?"
                        r"(?:code|status)\s*:?\s*(?!0\b|137\b|143\b)\d{1,3}\b", re.IGNORECASE)
# a hard spread constraint anywhere in the paste (its YAML is code, not words)
# a node said to have no room ("no node has enough free GPUs"): NodeResourcesFit's
# "Insufficient <resource>" in words
_NO_NODE_HAS = re.compile(
    r"\b(?:no|none\s+of\s+the)\s+nodes?\s+(?:has|have|had|with|offers?)\s+(?:enough|sufficient)\s+"
    r"(?:free\s+|available\s+|unallocated\s+)?(?:cpus?|memory|ephemeral[- ]storage|gpus?|"
    r"[\w.-]+/[\w.-]+)\b", re.IGNORECASE)
# the pod's node selector / required affinity said to match no node ("its nodeSelector doesn't
# match any node's labels"): NodeAffinity's "didn't match Pod's node affinity/selector"
_SELECTOR_UNMATCHED = re.compile(
    r"\b(?:node\s*selectors?|nodeSelector|node\s*affinity)\b[^.!?\n]{0,60}?\b(?:(?:does|do|did)"
    r"\s*n[o']?t|not|never)\s+match\w*\b"
    r"|\bno\s+nodes?\s+(?:has|have|carr(?:y|ies)|match\w*)\s+(?:the\s+)?(?:required\s+)?"
    r"(?:node\s+)?labels?\b", re.IGNORECASE)
# a ConfigMap or Secret the pod uses said not to exist: the kubelet cannot build the container's
# config (CreateContainerConfigError "configmap \"x\" not found") or mount it (FailedMount)
_CONFIG_ABSENT = re.compile(
    r"\b(?:config ?maps?|secrets?)\b(?:\s+[`'\"]?[\w.-]+[`'\"]?)?[^.!?\n]{0,60}?\b(?:(?:does|do|"
    r"did)\s*n[o']?t\s+exist|not\s+found|(?:is|was|are|were)\s+(?:missing|deleted|(?:not|never)\s+"
    r"(?:been\s+)?created))\b", re.IGNORECASE)
# a Job said to have reached its backoffLimit (BackoffLimitExceeded: "Job has reached the
# specified backoff limit", pkg/controller/job) or its activeDeadlineSeconds (DeadlineExceeded)
_BACKOFF_LIMIT = re.compile(
    r"\bbackoff\s*limit\b[^.!?\n]{0,40}?\b(?:reached|exceeded|hit)\b"
    r"|\b(?:reach\w*|exceed\w*|hit(?:s|ting)?)\s+(?:its\s+|the\s+)?(?:specified\s+)?"
    r"backoff\s*limit\b|\bBackoffLimitExceeded\b", re.IGNORECASE)
_DEADLINE_SAID = re.compile(
    r"\bactiveDeadlineSeconds\b[^.!?\n]{0,60}?\b(?:reached|exceeded|passed|hit|expired)\b"
    r"|\b(?:reach\w*|exceed\w*|pass\w*|hit)\s+(?:its\s+|the\s+)?activeDeadlineSeconds\b",
    re.IGNORECASE)
# a drain, eviction or node upgrade said to be blocked / stuck by a PodDisruptionBudget (the
# eviction API's 429, kube-apiserver pkg/registry/core/pod/storage/eviction.go@v1.37.2)
_PDB_BLOCKS = re.compile(
    r"\b(?:drain\w*|evict\w*|upgrade\w*|scale[- ]?down)\b[^.!?\n]{0,80}?\b(?:block\w*|stuck|hang\w*|"
    r"prevent\w*|refus\w*|fail\w*)\b[^.!?\n]{0,60}?\b(?:PodDisruptionBudget|PDBs?|disruption "
    r"budgets?)\b|\b(?:PodDisruptionBudget|PDBs?|disruption budgets?)\b[^.!?\n]{0,60}?\b(?:block\w*|"
    r"prevent\w*|stops?)\b[^.!?\n]{0,40}?\b(?:drain\w*|evict\w*|upgrade\w*|scale[- ]?down)\b",
    re.IGNORECASE)
# a drain / eviction tool that quotes only the HTTP status of the eviction API's refusal: the
# eviction subresource answers 429 TooManyRequests when a PodDisruptionBudget disallows the
# disruption (kubernetes v1.37.2 pkg/registry/core/pod/storage/eviction.go:309,419,447
# NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.")), a
# client that prints the reason phrase only says "Too Many Requests" (ansible-collections/
# kubernetes.core#797, k8s_drain "Failed to delete pod NS/NAME due to: Too Many Requests").
# The apiserver's max-in-flight filter answers 429 too, so a drain or eviction word must be in
# the paste and a pod or eviction in the line; a bare 429 from other APIs is not this.
_EVICT_429 = re.compile(r"\b(?:429|too many requests)\b", re.IGNORECASE)
_EVICT_429_LINE = re.compile(r"\b(?:pods?|evict(?:s|ed|ing|ion)?|drain(?:s|ed|ing)?)\b",
                            re.IGNORECASE)
_EVICT_CONTEXT = re.compile(r"\b(?:evict(?:s|ed|ing|ion)?|drain(?:s|ed|ing)?)\b", re.IGNORECASE)
# a controller's pod create that the API server timed out ("Error creating: Timeout: request did
# not complete within requested timeout", a FailedCreate event): the admission webhook
# dispatchers answer exactly this when the request's deadline passes while they call webhooks
# (k8s.io/apiserver v0.37.2 pkg/admission/plugin/webhook/mutating/dispatcher.go:219,
# validating/dispatcher.go:122), and so do the handler's finisher and etcd on an overloaded
# API server (endpoints/handlers/finisher/finisher.go:146, storage/etcd3/store.go:1035;
# server/filters/timeout.go:59 "... within the allotted timeout"). The words cannot tell
# which; a webhook on pod CREATE is the one a user can fix, so it is named with the other.
_CREATE_TIMEOUT = re.compile(r"Timeout: request did not complete within (?:requested|the "
                             r"allotted) timeout", re.IGNORECASE)
_CREATE_VERB = re.compile(r"\bError creating:|\bFailedCreate\b|\bfailed to create\b", re.IGNORECASE)
# a node said cordoned (spec.unschedulable, SchedulingDisabled) where the pod waits
_CORDONED = re.compile(
    r"\bnodes?\b[^.!?\n]{0,30}?\b(?:is|are|was|were|got|gets|been|being)\s+(?:\w+\s+)?cordoned\b"
    r"|\bcordoned\s+nodes?\b|\bSchedulingDisabled\b", re.IGNORECASE)
# a container said to run as root where runAsNonRoot is set: the kubelet refuses to start it
# (CreateContainerConfigError "container has runAsNonRoot and image will run as root")
_NON_ROOT = re.compile(
    r"\brunAsNonRoot\b[^.!?\n]{0,100}?\b(?:root|fail\w*|refus\w*|error\w*|reject\w*)\b"
    r"|\b(?:runs?|running)\s+as\s+root\b[^.!?\n]{0,80}?\brunAsNonRoot\b", re.IGNORECASE)
# (a pod said stuck in ContainerCreating beside it is the mount rule's: the volume waits)
# a ReadWriteOnce claim shown in the paste (`kubectl get pvc` ACCESS MODES cell "RWO", printers.go
# @v1.37.2:2180 printPersistentVolumeClaim, pkg/apis/core/helper/helpers.go:358; "ReadWriteOnce" in YAML
# or describe): beside pods said stuck in ContainerCreating, the volume waits to attach where
# the claim is still attached to another node (the attach-detach controller's Multi-Attach /
# "Waiting for detach", reconciler.go:398,433) - the RollingUpdate-with-RWO deadlock
# (mj006648/netai-devsecops-runbook registry/twinx-harbor-rwo-pvc-rollout-deadlock-2026-06-29.md)
_RWO_SHOWN = re.compile(r"(?:^|\s)(?:RWO|ReadWriteOnce)(?=\s|,|$)", re.MULTILINE)
_CREATING_SAID = re.compile(r"\bCont(?:ai|ia)nerCreating\b", re.IGNORECASE)
_HARD_SPREAD = re.compile(r"whenUnsatisfiable:\s*[\"']?DoNotSchedule\b")


@dataclass(frozen=True)
class Rule:
    """A state a report can state in one line, the cause it is, and what to tell."""
    pattern: re.Pattern[str]
    cause: str
    message: str
    fix: str
    confirm: str
    also: re.Pattern[str] | None = None       # must be in the same line too
    pasted: re.Pattern[str] | None = None     # must be somewhere in the paste (code too)
    unless: re.Pattern[str] | None = None     # a line that says this is not the state
    show_pasted: bool = False                 # quote the line `pasted` found (code too)
    # more evidence: (the quoted lines, every report line, the pasted pods) -> lines
    extra: Callable[[list[str], list[str], list[dict]], list[str]] | None = None


def _probe_status(quoted: list[str], said: list[str], pods: list[dict[str, Any]]) -> list[str]:
    """The HTTP status the report says the probe got, and what that status means."""
    found = next((m.group(1) for line in quoted for m in [_HTTP_STATUS.search(line)] if m), "")
    if not found:
        return []
    meaning = ("the endpoint wants credentials or a key the probe does not send (set them in "
               "httpGet.httpHeaders / the path, or probe an endpoint without auth)"
               if found in ("401", "403") else "the path or port is not the one the "
               "container serves" if found == "404" else "the application answers unhealthy")
    return [f"HTTP {found} to the probe: the kubelet counts only 200-399 as success (\"HTTP "
            f"probe failed with statuscode: {found}\"); {meaning}"]


def _finalizer_said(quoted: list[str], said: list[str], pods: list[dict]) -> list[str]:
    """A pod held in Terminating: the report's own words about its finalizer, if any."""
    return [f"in the text: {line[:200]}" for line in said
            if _FINALIZER.search(line) and line not in quoted][:1]


def _requests_of_named(quoted: list[str], said: list[str], pods: list[dict]) -> list[str]:
    """For a report of "insufficient R": what each pasted pod asks of R in all, container by
    container (the scheduler sums them, init containers aside; an extended resource such as
    a GPU is given to one container, never shared: k8s_skillkit.requests)."""
    named = _INSUFFICIENT.search(quoted[0]) if quoted else None
    resource = named.group(0).split()[-1].lower() if named else ""
    out = []
    for pod in pods:
        parts = [(str(c.get("name")), container_requests(c).get(resource))
                 for c in (pod.get("spec") or {}).get("containers") or [] if isinstance(c, dict)]
        parts = [(name, amount) for name, amount in parts if amount]
        total = pod_requests(pod).get(resource)
        if total and parts:
            out.append(f"pod {(pod.get('metadata') or {}).get('name')} asks {resource} "
                       f"{format_quantity(total, resource)} in all ("
                       + ", ".join(f"{n} {format_quantity(a, resource)}" for n, a in parts)
                       + "): one node must have that much free")
    return out[:3]


_RULES = (
    Rule(_UNBOUND, "pvc_pending",
         "the report says a PersistentVolumeClaim is unbound: a pod using it stays Pending "
         "until a PersistentVolume binds it (no default StorageClass, a storageClassName that "
         "does not exist, or no PV that matches; with volumeBindingMode WaitForFirstConsumer "
         "the provisioner waits for the scheduler to pick a node, which never happens for a "
         "pod that sets spec.nodeName)",
         "set an existing storageClassName on the claim (or mark a StorageClass default: "
         "storageclass.kubernetes.io/is-default-class=true), or create a matching "
         "PersistentVolume; for WaitForFirstConsumer, pin the pod with nodeAffinity or "
         "nodeSelector instead of spec.nodeName",
         "kubectl get pvc -n NAMESPACE; kubectl describe pvc NAME -n NAMESPACE; "
         "kubectl get storageclass", unless=_NEGATED),
    Rule(_NO_TOLERATION, "unschedulable_taint",
         "the report says the pod does not tolerate a node taint: the scheduler keeps it "
         "Pending while every node it may use has a NoSchedule/NoExecute taint it does not "
         "tolerate",
         "add the toleration to the pod template if the pod belongs on those nodes (for a "
         "control-plane node: key node-role.kubernetes.io/control-plane, effect NoSchedule), "
         "or remove the taint (kubectl taint nodes NODE KEY-)",
         "kubectl describe pod NAME -n NAMESPACE; kubectl get nodes -o custom-columns="
         "NAME:.metadata.name,TAINTS:.spec.taints", unless=_RUNS),
    Rule(_TERMINATING, "stuck_terminating",
         "the report says an object is stuck in Terminating: a pod's deletion waits for a "
         "finalizer its controller has not removed or for the kubelet of a node that is gone; "
         "a namespace's for the content and finalizers its NamespaceDeletion* conditions name",
         "pod: find who owns the finalizer (metadata.finalizers) and make that controller "
         "finish; if the node is gone, delete the Node; last resort: kubectl patch pod NAME "
         "-n NAMESPACE -p '{\"metadata\":{\"finalizers\":null}}' (the owner's cleanup is "
         "skipped). namespace: fix or delete a dead APIService (kubectl get apiservice), then "
         "what its conditions list",
         "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.metadata.deletionTimestamp} "
         "{.metadata.finalizers} {.spec.nodeName}' (a namespace: kubectl get namespace NAME "
         "-o jsonpath='{.status.conditions}')", extra=_finalizer_said),
    Rule(_INSUFFICIENT, "unschedulable_insufficient",
         "the report says a pod cannot be scheduled for lack of a resource: no node it may "
         "use has that much unrequested (the scheduler counts requests, not usage)",
         "lower the pod's requests, free or add capacity on the nodes it may use",
         "kubectl describe pod NAME -n NAMESPACE; kubectl describe nodes | grep -A8 "
         "'Allocated resources'", also=_WAITS, extra=_requests_of_named),
    Rule(_INSUFFICIENT_QUOTED, "unschedulable_insufficient",
         "the report quotes \"insufficient resources\" for a resource: no node the pod may use "
         "has that much unrequested (a pod's devices come from one node: GPUs on several "
         "nodes cannot serve one pod)",
         "ask for no more than one node has free (split the work across pods: a distributed "
         "job), or add a node with that much",
         "kubectl describe pod NAME -n NAMESPACE; kubectl describe nodes | grep -A8 "
         "'Allocated resources'", extra=_requests_of_named),
    Rule(_NO_NODE_HAS, "unschedulable_insufficient",
         "the report says no node has enough of a resource for the pod: the scheduler places a "
         "pod only where its requests fit what is unrequested (\"Insufficient R\")",
         "lower the pod's requests, free or add capacity on the nodes it may use",
         "kubectl describe pod NAME -n NAMESPACE; kubectl describe nodes | grep -A8 "
         "'Allocated resources'"),
    Rule(_SELECTOR_UNMATCHED, "unschedulable_affinity",
         "the report says the pod's node selector or required node affinity matches no node: "
         "the scheduler keeps it Pending (\"didn't match Pod's node affinity/selector\")",
         "label a node to match, or change the pod's nodeSelector / required nodeAffinity (a "
         "chart's values)",
         "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.spec.nodeSelector} {.spec.affinity}'; "
         "kubectl get nodes --show-labels"),
    Rule(_CORDONED, "unschedulable_cordoned",
         "the report says the node is cordoned: the scheduler places no new pod on a node with "
         "spec.unschedulable (SchedulingDisabled), so a pod that may only go there waits",
         "kubectl uncordon NODE once its maintenance is over, or let the pod use other nodes",
         "kubectl get nodes (STATUS Ready,SchedulingDisabled)", also=_WAITS),
    Rule(_CONFIG_ABSENT, "config_missing",
         "the report says a ConfigMap or Secret the pod uses does not exist: the kubelet cannot "
         "build the container's environment or mount the volume (CreateContainerConfigError, "
         "FailedMount \"not found\"), so the container never starts",
         "create the ConfigMap/Secret in the pod's namespace (or mark the reference optional: "
         "true), or fix its name",
         "kubectl get configmap,secret -n NAMESPACE; kubectl describe pod NAME -n NAMESPACE "
         "(Events: Failed / FailedMount \"not found\")", unless=_CREATING_SAID),
    Rule(_BACKOFF_LIMIT, "job_failed",
         "the report says the Job reached its backoffLimit: the Job controller stops creating "
         "pods and marks it Failed (reason BackoffLimitExceeded) after that many pod failures",
         "read why its pods failed (kubectl logs on a failed pod, --previous) and fix that; "
         "raise backoffLimit only for failures that retry can cure",
         "kubectl describe job NAME -n NAMESPACE (Conditions: Failed BackoffLimitExceeded); "
         "kubectl get pods -n NAMESPACE -l job-name=NAME"),
    Rule(_PDB_BLOCKS, "eviction_blocked_pdb",
         "the report says a PodDisruptionBudget blocks a drain, eviction or node upgrade: the "
         "eviction API refuses an eviction the budget does not allow (429 \"Cannot evict pod "
         "as it would violate the pod's disruption budget\") and its client retries",
         "give the budget room: scale the workload up, relax minAvailable/maxUnavailable, or "
         "make its pods Ready (unhealthyPodEvictionPolicy: AlwaysAllow, 1.27+); deleting the "
         "budget skips it, only when that outage is acceptable",
         "kubectl get pdb -A (ALLOWED DISRUPTIONS 0); kubectl describe pdb NAME -n NAMESPACE"),
    Rule(_EVICT_429, "eviction_blocked_pdb",
         "a drain / eviction got HTTP 429 Too Many Requests for a pod: the eviction API answers "
         "429 when a PodDisruptionBudget allows no disruption of that pod now (\"Cannot evict "
         "pod as it would violate the pod's disruption budget\"); an overloaded API server "
         "(max-in-flight) also answers 429, which a retry soon clears",
         "give the budget room: scale the workload up, relax minAvailable/maxUnavailable, or "
         "make its pods Ready (unhealthyPodEvictionPolicy: AlwaysAllow, 1.27+); deleting the "
         "budget skips it, only when that outage is acceptable",
         "kubectl get pdb -A (ALLOWED DISRUPTIONS 0 for a budget selecting the pod)",
         also=_EVICT_429_LINE, pasted=_EVICT_CONTEXT),
    # the report's word that a drain hung beside a budget shown at 0 allowed disruptions
    # (describe pdb, -o yaml, a get pdb row; pdb_allowance.py)
    Rule(pdb_allowance.DRAIN_STUCK, "eviction_blocked_pdb",
         "the report says a drain / eviction does not finish, and the paste shows a "
         "PodDisruptionBudget allowing 0 disruptions: the eviction API refuses to evict its pods "
         "(429 \"Cannot evict pod as it would violate the pod's disruption budget\") and "
         "kubectl drain retries them until its timeout",
         "give the budget room: scale the workload up, relax minAvailable/maxUnavailable, or "
         "make its pods Ready (unhealthyPodEvictionPolicy: AlwaysAllow, 1.27+); deleting the "
         "budget or skipping the drain only when that outage is acceptable",
         "kubectl get pdb -A (ALLOWED DISRUPTIONS 0); kubectl drain NODE --ignore-daemonsets "
         "shows 'error when evicting pods/... Cannot evict pod as it would violate the pod's "
         "disruption budget'", pasted=pdb_allowance.ZERO, show_pasted=True),
    Rule(_CREATE_TIMEOUT, "admission_webhook_denied",
         "the API server timed out the controller's pod create (\"Timeout: request did not "
         "complete within requested timeout\"): either an admission webhook on pod CREATE "
         "answers too slowly and uses up the request's time (the webhook dispatchers return "
         "this message then), or the API server / etcd itself is overloaded or unavailable",
         "find a webhook whose rules match pods CREATE and check its service answers fast (its "
         "pods, endpoints and log; timeoutSeconds below the request timeout; failurePolicy "
         "Ignore or a namespaceSelector that exempts system namespaces); if none is slow, look "
         "at the API server's and etcd's load and latency",
         "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations",
         also=_CREATE_VERB),
    Rule(_DEADLINE_SAID, "deadline_exceeded",
         "the report says the Job passed its activeDeadlineSeconds: the Job controller kills its "
         "pods and marks it Failed (reason DeadlineExceeded)",
         "raise activeDeadlineSeconds to cover the run (with its queueing and retries), or make "
         "the work finish sooner",
         "kubectl describe job NAME -n NAMESPACE (Conditions: Failed DeadlineExceeded)"),
    Rule(_NON_ROOT, "run_as_non_root",
         "the report says the container runs as root where runAsNonRoot is set: the kubelet "
         "refuses to start it (CreateContainerConfigError \"container has runAsNonRoot and "
         "image will run as root\")",
         "set securityContext.runAsUser to a non-zero UID (or build the image with a numeric "
         "non-root USER)",
         "kubectl describe pod NAME -n NAMESPACE (Events: Failed \"runAsNonRoot\")"),
    Rule(_ASKED_TOO_MUCH, "unschedulable_insufficient",
         "the report says the pod asked for more than any node offers, and it stays Pending: "
         "the scheduler places a pod only where its requests fit what is unrequested",
         "lower the pod's requests to what one node has allocatable, or add a bigger node",
         "kubectl describe pod NAME -n NAMESPACE (FailedScheduling: \"Insufficient R\"); "
         "kubectl describe nodes | grep -A8 'Allocated resources'", pasted=_PENDING),
    Rule(_AFFINITY_BLAMED, "unschedulable_affinity",
         "the report says the pod's node affinity or node selector keeps it Pending: no node "
         "carries the labels its required terms ask for (a managed cluster shows no "
         "control-plane nodes, so control-plane labels match nothing)",
         "change or remove the required nodeAffinity / nodeSelector (a chart's values), or "
         "label a node to match",
         "kubectl describe pod NAME -n NAMESPACE (FailedScheduling: \"didn't match Pod's node "
         "affinity/selector\"); kubectl get nodes --show-labels", also=_WAITS),
    Rule(_PROBE, "probe_failing",
         "the report says a probe restarts or fails the container: the kubelet restarts a "
         "container whose liveness (or startup) probe fails failureThreshold times in a row, so "
         "a start slower than initialDelaySeconds + failureThreshold x periodSeconds never "
         "finishes",
         "give slow starts a startupProbe (failureThreshold x periodSeconds longer than the "
         "start) or raise the liveness probe's initialDelaySeconds/failureThreshold; point the "
         "probe at a port and path the container serves",
         "kubectl describe pod NAME -n NAMESPACE (Events: Unhealthy \"Liveness probe failed\", "
         "Killing \"failed liveness probe, will be restarted\")", also=_PROBE_ACTS,
         unless=_PROBE_OK, extra=_probe_status),
    Rule(_CRASHING, "crash_loop",
         "the report says the pod crashes: its container exits and the kubelet restarts it "
         "(CrashLoopBackOff); the error the report quotes is the program's reason",
         "read the error the program printed (kubectl logs POD --previous) and fix the "
         "command, configuration or dependency it names",
         "kubectl get pod NAME -n NAMESPACE (RESTARTS, CrashLoopBackOff); kubectl logs NAME -n "
         "NAMESPACE --previous"),
    Rule(_NODE_LOST, "node_not_ready",
         "the report says a node stopped answering (NotReady, its pods Unknown): the node "
         "controller marks the node's Ready condition Unknown when its kubelet stops posting "
         "status, and its pods stay Unknown or Terminating until it returns or is deleted",
         "bring the node's kubelet back (network, kubelet and container runtime service, disk "
         "and memory pressure); if the node is gone, delete the Node object so its pods are "
         "recreated elsewhere",
         "kubectl get nodes; kubectl describe node NODE (Conditions: Ready, and the kubelet's "
         "last heartbeat); on the node: journalctl -u kubelet"),
    Rule(SIGKILLED, "oom_killed",
         "the report says a container exited with 137 or a process was killed by signal 9: "
         "that is SIGKILL, which the memory cgroup's OOM killer sends when the container "
         "passes its memory limit (the kubelet writes reason OOMKilled only when the "
         "container's main process is the one killed)",
         "raise resources.limits.memory (and the request) of the container, or make the "
         "process use less memory",
         "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.status.containerStatuses[*]."
         "lastState.terminated}' (reason OOMKilled); on the node: dmesg | grep -i "
         "'killed process'", unless=SIGKILL_OTHER),
    Rule(_CREATING, "mount_failed",
         "the report says the pod is stuck in ContainerCreating beside a volume: the kubelet "
         "starts no container until every volume is mounted (a ConfigMap, Secret or claim "
         "that does not exist, an attach or CSI mount that fails)",
         "create the ConfigMap/Secret/claim the volume names (or mark it optional: true), or "
         "fix what the FailedMount event names",
         "kubectl describe pod NAME -n NAMESPACE (Events: FailedMount / FailedAttachVolume)",
         also=_VOLUME_SAID),
    Rule(_CREATING, "mount_failed",
         "the report says pods are stuck in ContainerCreating and the paste shows a "
         "ReadWriteOnce claim: the kubelet starts no container until every volume is attached "
         "and mounted, and a ReadWriteOnce volume still attached to another node (the old "
         "pod of a RollingUpdate there) cannot attach to the new pod's node (Multi-Attach)",
         "let the old pod go first (strategy Recreate for a single-replica Deployment on a "
         "RWO claim, or keep the new pod on the node that holds the volume), or use a "
         "ReadWriteMany class; delete a stale VolumeAttachment only if its node is gone",
         "kubectl describe pod NAME -n NAMESPACE (Events: FailedAttachVolume Multi-Attach / "
         "Waiting for detach); kubectl get volumeattachment (NODE, ATTACHED)",
         pasted=_RWO_SHOWN, show_pasted=True),
    Rule(_CANNOT_MOUNT, "mount_failed",
         "the report says a volume does not mount: the kubelet mounts every volume before it "
         "starts the pod's containers, and a mount that fails (a missing mount helper on the "
         "node such as mount.nfs from nfs-common, a server the node cannot reach, a claim or "
         "ConfigMap that does not exist) leaves the pod in ContainerCreating",
         "read the FailedMount event's error: install the mount helper the volume type needs "
         "on every node (nfs-common / nfs-utils for NFS), fix the server address or export, or "
         "create what the volume names",
         "kubectl describe pod NAME -n NAMESPACE (Events: FailedMount / FailedAttachVolume); "
         "on the node: journalctl -u kubelet | grep -i mount", also=_MOUNTED_THING),
    Rule(_ROLLOUT, "rollout_stuck",
         "the rollout does not finish: new pods do not become available (or old ones do not "
         "terminate), so the controller waits; the new ReplicaSet's pods say why",
         "read the new pods' state (kubectl get pods -l SELECTOR; their events): an image, "
         "a probe, a crash or no room for the surge; roll back with kubectl rollout undo if "
         "the change is bad",
         "kubectl rollout status deployment/NAME -n NAMESPACE; kubectl get rs,pods -l "
         "SELECTOR -n NAMESPACE"),
    Rule(_EVICTED_SAID, "evicted",
         "the report says pods were evicted: the kubelet evicts pods when its node runs low on "
         "memory, disk or PIDs (reason Evicted, \"The node was low on resource: R\"), and "
         "pods over their ephemeral-storage limit",
         "free the node's disk or memory (images, logs, emptyDir use), set requests (memory, "
         "ephemeral-storage) so pods are placed where they fit, and delete the Failed pods",
         "kubectl get pods -A --field-selector status.phase=Failed; kubectl describe pod NAME "
         "(Status: Failed, Reason: Evicted, Message); kubectl describe node NODE (Conditions)"),
    Rule(_PULL_SAID, "image_pull",
         "the report says the image does not pull: the kubelet cannot fetch it (ErrImagePull, "
         "then ImagePullBackOff): a tag or repository that does not exist, registry "
         "credentials, or a registry the node cannot reach",
         "check the image name and tag exist; for a private registry add imagePullSecrets (or "
         "attach them to the ServiceAccount); check the node reaches the registry",
         "kubectl describe pod NAME -n NAMESPACE (Events: Failed, \"Failed to pull image\")"),
    Rule(_EXIT_SAID, "crash_loop",
         "the report says the container exits with a non-zero code: the program failed, and "
         "the kubelet restarts it with back-off (CrashLoopBackOff)",
         "read why it exits (kubectl logs POD --previous) and fix the command, configuration "
         "or dependency it names (127: command not found, 126: not executable, 1: the "
         "program's own error)",
         "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.status.containerStatuses[*]."
         "lastState.terminated}'; kubectl logs NAME -n NAMESPACE --previous"),
    Rule(_RESTARTING, "crash_loop",
         "the report says the container keeps restarting: it exits and the kubelet restarts "
         "it with back-off (CrashLoopBackOff); the exit's reason is in its last log",
         "read why it exits (kubectl logs POD --previous; lastState.terminated) and fix the "
         "command, configuration or dependency it names",
         "kubectl get pod NAME -n NAMESPACE -o jsonpath='{.status.containerStatuses[*]."
         "lastState.terminated}'; kubectl logs NAME -n NAMESPACE --previous"),
    Rule(_STUCK_PENDING, "unschedulable_topology_spread",
         "the report says a pod stays Pending and the paste holds a topology spread constraint "
         "with whenUnsatisfiable: DoNotSchedule: the scheduler keeps the pod off every domain "
         "it would push past maxSkew (it counts only pods that exist, so pods placed while a "
         "domain had no node can leave the rest unplaceable)",
         "make room in the domain with the fewest matching pods (a node there), raise maxSkew, "
         "or use whenUnsatisfiable: ScheduleAnyway; check the labelSelector matches only this "
         "workload's pods",
         "kubectl describe pod NAME -n NAMESPACE (FailedScheduling: \"didn't match pod "
         "topology spread constraints\"); kubectl get pods -o wide -l SELECTOR",
         pasted=_HARD_SPREAD),
)


def findings(text: str, asks: list[str], pods: list[dict] | None = None) -> list[dict]:
    """For a paste in which nothing was found: inferred warnings for what the report says,
    else one not_evaluated info when it is a person's report; [] for anything else."""
    lines = text.splitlines()
    if not is_report(lines):
        return []
    said = report_lines(lines)
    out = []
    for rule in _RULES:
        if rule.pasted is not None and not rule.pasted.search(text):
            continue
        if rule.show_pasted and any(f["cause"] == rule.cause for f in out):
            continue  # the same cause already read from the report's own line
        quoted = [line for line in said if _states(rule, line)]
        if quoted:
            out.append(finding("warning", rule.cause, {"kind": "Text", "name": "paste"},
                               rule.message, [f"in the text: {q[:200]}" for q in quoted[:2]]
                               + (_pasted_lines(rule, text) if rule.show_pasted else [])
                               + (rule.extra(quoted, said, pods or []) if rule.extra else []),
                               rule.fix, basis="inferred",
                               confirm=rule.confirm))
    return out or _configured_taint(text, pods or []) or liveness_window.findings(text) or \
        _rows_only(pods or []) or \
        [ProseOnly("the paste", said, asks).finding()]


def _pasted_lines(rule: Rule, text: str) -> list[str]:
    """The lines `rule.pasted` found, code included: the state the report's words point at."""
    assert rule.pasted is not None
    return [f"in the paste: {line.strip()[:200]}" for line in text.splitlines()
            if rule.pasted.search(line)][:3]


# A node taint the paste configures (k3s/RKE2 config.yaml `node-taint:` items and their
# --node-taint flag, the kubelet's --register-with-taints) beside pods that stay Pending with no
# scheduler message: pods without a matching toleration cannot go to those nodes
# (rancher/rke2#487: CriticalAddonsOnly=true:NoExecute on the only server kept the
# helm-install Jobs Pending; fixed by k3s-io/helm-controller#84 adding the toleration)
_TAINT_CONFIG = re.compile(r"(?:^\s*-\s*|--(?:node-taint|register-with-taints)[= ])[\"']?"
                           r"(?P<taint>[\w./-]+(?:=[\w.-]*)?:(?:NoSchedule|NoExecute))\b",
                           re.MULTILINE)
_TAINT_LIST_KEY = re.compile(r"^\s*node-taints?:\s*$", re.MULTILINE)


def _configured_taint(text: str, pods: list[dict]) -> list[dict]:
    pending = [p for p in pods if p.get("_source") == "table"
               and (p.get("status") or {}).get("reason") == "Pending"]
    # a list item counts only under a node-taint key; a flag names itself
    taints = [m.group("taint") for m in _TAINT_CONFIG.finditer(text)
              if m.group(0).lstrip().startswith("--") or _TAINT_LIST_KEY.search(text)]
    if not (pending and taints):
        return []
    first = pending[0].get("metadata") or {}
    target = f"{first.get('name')} -n {first.get('namespace') or 'NAMESPACE'}"
    pod = {"kind": "Pod", "name": str(first.get("name"))}
    return [finding("warning", "unschedulable_taint", pod,
                    f"{len(pending)} pod(s) stay Pending while the paste configures the node "
                    f"taint {taints[0]}: a pod without a matching toleration cannot be placed on "
                    "those nodes, and if every node carries it, nowhere",
                    [f"node taint configured: {taints[0]}"] +
                    [f"pod {(p.get('metadata') or {}).get('name')} Pending (a table row)"
                     for p in pending[:2]],
                    "add the toleration to the pods that must run there (for a distribution's "
                    "own add-on Jobs, a release whose Jobs tolerate it), or taint only the nodes "
                    "those pods need not use",
                    basis="inferred", confirm=f"kubectl describe pod {target} (FailedScheduling: "
                    "untolerated taint) and kubectl get nodes -o custom-columns=NAME:.metadata.name,"
                    "TAINTS:.spec.taints")]


def _rows_only(pods: list[dict]) -> list[dict]:
    """Pods the paste shows only as `kubectl get pods` rows, none in a state that names its
    cause (Pending, ContainerCreating, Init...): the cause is in their events, not in a row."""
    rows = [p for p in pods if p.get("_source") == "table"
            and (p.get("status") or {}).get("reason") not in ("Running", "Completed",
                                                               "Succeeded")]
    if not rows:
        return []
    terminating = [p for p in rows if (p.get("status") or {}).get("reason") == "Terminating"]
    if terminating:
        return [_terminating_rows(terminating)]
    named = [f"{(p.get('metadata') or {}).get('name')} "
             f"{(p.get('status') or {}).get('reason') or '<no status>'}" for p in rows[:3]]
    first = (rows[0].get("metadata") or {})
    target = f"{first.get('name')} -n {first.get('namespace') or 'NAMESPACE'}"
    return [finding("info", "not_evaluated", {"kind": "Pod", "name": str(first.get("name"))},
                    "the cause cannot be told from this paste: it shows the pods only as "
                    "`kubectl get pods` rows, and a row does not say why a pod waits",
                    [f"pod {n} (a table row)" for n in named],
                    f"paste what these print: kubectl describe pod {target} (its Events); "
                    "kubectl get events -n NAMESPACE --sort-by=.lastTimestamp",
                    basis="inferred", confirm=f"kubectl describe pod {target}")]


def _terminating_rows(rows: list[dict]) -> dict:
    """Rows kubectl prints as Terminating: the pod has a deletionTimestamp and is not yet in a
    terminal phase (k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go:1106),
    so its deletion was asked for and has not completed. What holds it (a finalizer, a kubelet
    that does not confirm, a long grace period) is in the object, not in the row."""
    first = rows[0].get("metadata") or {}
    name, ns = first.get("name"), first.get("namespace") or "NAMESPACE"
    return finding("warning", "stuck_terminating", {"kind": "Pod", "name": str(name)},
                   f"{len(rows)} pod(s) shown Terminating: their deletion was asked for and has "
                   "not completed; a finalizer whose controller does not remove it, or a node "
                   "that does not confirm the containers stopped, holds them",
                   [f"pod {(p.get('metadata') or {}).get('name')} Terminating (a table row)"
                    for p in rows[:3]],
                   "if metadata.finalizers is set, find the controller that owns the finalizer "
                   "and why it does not remove it (an operator whose own object was deleted "
                   "first, or not running); only then remove it: kubectl patch pod "
                   f"{name} -n {ns} --type merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'; "
                   "if no finalizer and its node is NotReady or gone, delete the Node object or "
                   f"force the pod (kubectl delete pod {name} -n {ns} --grace-period=0 --force; "
                   "a StatefulSet pod only once the machine is surely down)",
                   basis="inferred",
                   confirm=f"kubectl get pod {name} -n {ns} -o jsonpath='"
                   "{.metadata.deletionTimestamp} {.metadata.finalizers} {.spec.nodeName}' and "
                   "kubectl get nodes")


def states_a_fault(text: str) -> bool:
    """A person's report that states one of the rules' states in words (so a paste with no
    object and no component message still has something to say)."""
    lines = text.splitlines()
    return is_report(lines) and any(_states(rule, line) for line in report_lines(lines)
                                    for rule in _RULES
                                    if rule.pasted is None or rule.pasted.search(text))


def _states(rule: Rule, line: str) -> bool:
    return bool(rule.pattern.search(line) and (rule.also is None or rule.also.search(line))
                and (rule.unless is None or not rule.unless.search(line)))
