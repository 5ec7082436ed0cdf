"""What a report states in prose about a Workload's conditions, when the paste carries no
Workload object and no Kueue message: "the Workload is admitted (`ADMITTED=true`) but the
TrainJob remains Suspended", "evicted on the PodsReady timeout", "the additional check is not
Ready ... will not be marked as Admitted".

These are the user's words, not Kueue's: every finding is basis inferred, a warning, quotes
the sentence it rests on and says which command shows the condition itself. The condition
names and reasons are Kueue's (apis/kueue/v1beta1|v1beta2 workload_types.go: Admitted,
Evicted reason PodsReadyTimeout, admission check states Pending/Ready); the readings follow
references/causes.md:
- evicted by the PodsReady timeout (waitForPodsReady.timeout, or recoveryTimeout for a
  running Workload: Evicted reason PodsReadyTimeout, kueue#14811, #10407) -> pods_ready_timeout;
- an admission check still Pending / not Ready and the Workload not Admitted (Admitted
  needs every check Ready, kueue#9622) -> admission_check_pending;
- a flavor rejected for the pod's node affinity / selector / taints (kueue#12446)
  -> flavor_mismatch;
- Admitted, and the pods Pending / FailedScheduling / the job still suspended or without
  pods (kueue#11931, #13413, #14570, #2796, #10076) -> admitted_not_started; "admitted" also
  when the report says Kueue set the pods' nodeSelector from the ResourceFlavor's labels (it
  does so only when it starts an admitted Workload; kueue#425);
- a queue set to stopPolicy Hold / HoldAndDrain (KEP-1284; kueue#1651) -> queue_inactive;
- a queue said to have no quota left ("no more quota", "quota is exhausted") -> quota_exhausted;
- a LocalQueue / ClusterQueue said not to exist -> local_queue_missing / cluster_queue_missing;
- a job said to lack the kueue.x-k8s.io/queue-name label -> no_queue_label;
- a request said to be larger than the queue's quota (no cohort in the sentence)
  -> exceeds_max_quota; a resource said not to be in the ClusterQueue -> resource_not_in_queue;
  the namespaceSelector said not to match -> namespace_not_selected; the Workload said to be
  deactivated (spec.active false, backoffLimitCount reached) -> workload_deactivated; the pods
  said not to fit the required topology domain -> topology_unfit.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.prose import report_lines

_Q = r"[`'\"]?"
_NEG = re.compile(r"\b(?:not|never|without)\b|n't\b", re.I)

# Evicted/requeued by waitForPodsReady: the reason itself, or eviction words next to
# "PodsReady timeout" / "waitForPodsReady timeout|window|recovery".
_PODS_READY = re.compile(
    r"\bPodsReadyTimeout\b"
    rf"|\b(?:evict\w*|requeu\w*)\b[^.\n]{{0,120}}?\b(?:wait)?(?:For)?PodsReady{_Q}\s*"
    r"(?:timeout|window|recovery)"
    rf"|\b(?:wait)?(?:For)?PodsReady{_Q}\s*(?:timeout|recovery)\b[^.\n]{{0,60}}?\bevict", re.I)

# The Workload is Admitted: the condition (Admitted=True, kubectl get workloads' ADMITTED
# column true) or the words "workload ... is/was ... admitted", the job named by its kind too
# ("RayJobs are admitted", kueue#1844; "the PyTorchJob was admitted").
_ADMITTED = re.compile(
    rf"\bAdmitted{_Q}\s*[=:]\s*{_Q}true\b"
    # (the job named with its qualifiers first: "a RayJob managed by Kueue configured with
    # `manageJobsWithoutQueueName` is admitted", kueue#1568)
    r"|\b(?:\w*(?:workloads?|jobs?|jobsets?)|it|which)\b[^.\n]{0,100}?\b(?:is|was|were|are|been|gets?|got|keeps?"
    r"|remains?)\b[^.\n]{0,30}?\badmitted\b"
    r"|\bkeeps? (?:the )?(?:\w+ )?workloads? admitted\b"
    r"|\bkueue (?:admitted|admits)\b|\bwhen (?:a|the) (?:new )?workload is admitted\b"
    # "Kueue allows this workload to be scheduled even though ..." (kueue#1476): Kueue's part
    # of scheduling is admission
    r"|\bkueue (?:allows|allowed|lets|let) (?:this|the|a|that) (?:\w+ )?workloads? (?:to be "
    r"(?:scheduled|admitted)|through)\b", re.I)

# Kueue wrote a ResourceFlavor's labels into the pods' nodeSelector: it does that only when
# it starts an admitted Workload (jobframework reconciler.go startJob -> podset.FromAssignment
# copies each assigned flavor's spec.nodeLabels into the pod template's nodeSelector, v0.19.2
# pkg/podset/podset.go:87; before v0.3 every metadata label of the flavor, kueue#425 -> #439
# spec.nodeLabels). So the report says the Workload was admitted, in other words.
_SELECTOR_FROM_FLAVOR = re.compile(
    r"\bnode ?selectors?\b[^.\n]{0,60}?\b(?:put|added|injected|inserted|set|copied|taken"
    r"|propagated|applied)\b[^.\n]{0,40}?\b(?:by kueue|from (?:the |its |their )?"
    r"(?:resource ?)?flavou?rs?)\b"
    r"|\bkueue\b[^.\n]{0,40}?\b(?:adds|added|injects|injected|puts|put|sets|copies|copied"
    r"|propagates|propagated|applies|applied|inserts|inserted)\b[^.\n]{0,60}?\.?\bnode ?selectors?\b"
    r"|\b(?:resource ?)?flavou?r(?:'s)?\s+(?:node ?)?labels?\b[^.\n]{0,40}?\b(?:are |were |get |got )?"
    r"(?:added|injected|copied|propagated|applied|inserted)\b[^.\n]{0,20}?\b(?:as|to|into)\b"
    r"[^.\n]{0,20}?\.?\bnode ?selectors?\b", re.I)

# ... and nothing started: pods Pending / unschedulable, the job still suspended, no pods.
_NOT_STARTED = re.compile(
    r"\bFailedScheduling\b|\b\d+/\S+ nodes are available\b"
    rf"|\b(?:stuck|stays?|stayed|remains?|remained|kept|keeps)\b[^.\n]{{0,30}}?{_Q}(?:Pending|Suspended){_Q}"
    r"(?:\s+state)?\b"
    r"|\bcan(?:not|'t| never) (?:place|schedule|bind)\b|\bcan never bind\b"
    # "both the pods will sit in default k8s queue pending" (kueue#1476)
    r"|\bpods?\b[^.\n]{0,20}?\b(?:sit|sits|sitting|wait|waits|waiting|hang|hangs)\b[^.\n]{0,40}?"
    r"\bpending\b"
    r"|\bno (?:child Job/)?(?:\w+ or )?pods? (?:\w+ )?(?:runs?|running|(?:is |are |gets? )?"
    r"(?:created|spawned))\b"
    # "the job is admitted but the pods are pending"
    r"|\bpods?\b[^.\n]{0,20}?\b(?:is|are|was|were)\s+(?:still\s+|all\s+)?pending\b", re.I)

# An admission check that is not Ready, and the Workload not Admitted.
_CHECK_WAITING = re.compile(
    r"\bchecks?\b[^.\n]{0,80}?\b(?:is|are|remains?|stays?)\s+(?:still\s+)?"
    rf"(?:not\s+{_Q}Ready|{_Q}Pending){_Q}"
    # the state written after the check ("its MultiKueue admission check `Pending`",
    # vllm-project/ci-infra#586)
    rf"|\badmission checks?\s+{_Q}(?:Pending|Retry){_Q}(?![\w-])"
    # quota reserved where admission checks are in use: Kueue admits only once every check is
    # Ready (v0.5+ Admitted = QuotaReserved + checks; kueue#1392: "When using admission checks,
    # and the Workload gets the QuotaReserved")
    rf"|\badmission checks?\b[^.\n]{{0,80}}?\b(?:gets?|got|has|with|reaches?)\s+(?:the\s+)?"
    rf"{_Q}QuotaReserved\b", re.I)
_NOT_ADMITTED = re.compile(
    # quota reserved while a check waits: Kueue admits only when every check is Ready
    rf"\bQuotaReserved{_Q}\s*[=:]\s*{_Q}True\b|"
    rf"\bnot (?:be )?(?:marked as )?{_Q}Admitted|\bdoes(?: not|n't) get (?:the )?{_Q}Admitted"
    rf"|\bwithout ever getting the {_Q}Admitted|\bnever (?:gets?|got|getting|(?:be|been|is|"
    rf"are) )?(?:the )?{_Q}Admitted"
    # "stuck with QuotaReserved but never Admitted"
    rf"|\b(?:stuck|stays?|remains?|left)\s+(?:with|in|at)\s+{_Q}QuotaReserved\b", re.I)


# A flavor refused for the pod's node affinity / selector / taints (checkFlavorForPodSets,
# flavorassigner.go; kueue#12446): both words in one sentence.
_FLAVOR_REFUSED = re.compile(
    r"\bflavou?rs?\b[^.\n]{0,120}?\b(?:(?:is|are|be|gets?|got|was|were) rejected|rejects?"
    r"|not (?:be )?assigned|(?:does not|doesn't|don't|do not) match)\b", re.I)
_FLAVOR_WHY = re.compile(r"\b(?:node ?affinity|affinity term|node ?selector|nodeSelector"
                         r"|untolerated|taints?)\b", re.I)


# A ClusterQueue / LocalQueue set to stop: spec.stopPolicy Hold (no new admissions) or
# HoldAndDrain (and evict the admitted) makes Kueue mark it inactive (ClusterQueue Active=False
# reason Stopped; apis/kueue/v1beta1 clusterqueue_types.go StopPolicy, KEP-1284); its pending
# Workloads wait until it is None again (kueue#1651). Said in words or shown as the patch.
_STOPPED = re.compile(rf"\bstopPolicy{_Q}\s*(?:[:=]|\bto\b|\bis\b)?\s*{_Q}(?:HoldAndDrain|Hold)\b",
                      re.I)


# An admission webhook said to refuse Kueue's own write to the job ("The logs for Kueue show
# that the mutation request is rejected by JobSet webhook", "JobSet webhook rejects the
# update": kubernetes-sigs/kueue#2691, jobset's webhook refusing the nodeSelector Kueue
# restores on suspend, fixed in jobset#644): Kueue cannot suspend, stop or start the job, so
# it ignores the queue's state; the refusal, not the queue setting the report reproduces it
# with, is the cause. Ranked before a stopPolicy the same report sets.
_WEBHOOK_REFUSED = re.compile(
    r"\b(?:rejected|denied|refused)\s+by\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}?(?:admission\s+)?"
    r"webhooks?\b|\bwebhooks?\s+(?:\w+\s+)?(?:rejects?|rejected|denies|denied|refuses?|refused)"
    r"\s+(?:the\s+|our\s+|kueue'?s\s+)?(?:\w+\s+)?(?:update|request|mutation|patch|change)s?\b",
    re.I)
# ... a write of Kueue's (not the user's create, which a job-kind webhook of Kueue's own refuses:
# workload_missing), by another webhook than Kueue's (`v<kind>.kb.io`, kueue-webhook-service)
_KUEUE_WRITE = re.compile(r"\b(?:updat\w*|mutat\w*|patch\w*|suspend\w*|unsuspend\w*|stop\w*)\b",
                          re.I)
_KUEUE_HOOK = re.compile(r"\bkueue(?:'s)?\s+(?:admission\s+)?webhook|\.kb\.io\b|"
                         r"kueue-webhook", re.I)


# A queue said to have no quota left for what the job asks ("pending because the ClusterQueue
# has no more quota for nvidia.com/gpu"): the flavor's nominal quota (and what the cohort lends)
# is used by admitted Workloads (QuotaReserved=False "insufficient unused quota ...").
_NO_QUOTA = re.compile(
    # (not Kueue's own "insufficient unused quota ... in flavor F": its message, read as such
    # with its history by _kueue.reported)
    r"\b(?:no\s+more|not\s+enough|out\s+of|ran\s+out\s+of|run\s+out\s+of|no\s+(?:free|"
    r"unused|remaining|available))\s+(?:\w+\s+)?quota\b|\bquota\b[^.\n]{0,40}?\b(?:is|was|are|were|"
    r"got|gets)\s+(?:all\s+)?(?:exhausted|used\s+up|full|consumed)\b", re.I)
_KUEUE_WORDING = re.compile(r"\bin flavou?r\b|\bpod set\b|\bassign flavou?rs\b", re.I)
_KUEUE_NAMED = re.compile(r"\bkueue\b", re.I)
_NOT_DOWN = re.compile(r"\b(?:not|never|no|isn't|wasn't|doesn't)\s+(?:\w+\s+)?(?:crash\w*|panic\w*"
                       r"|in\s+CrashLoopBackOff)|\bis\s+running\b", re.I)
_QUEUE_WORD = re.compile(r"\b(?:Cluster|Local)?Queues?\b|\bcohorts?\b|\bkueue\b", re.I)
# a LocalQueue / ClusterQueue said not to exist (Kueue: "LocalQueue q doesn't exist",
# "ClusterQueue cq doesn't exist"; workload_controller.go getQueueBlocker)
_ABSENT = (r"(?:does\s*n[o']?t\s+exist|do\s*n[o']?t\s+exist|not\s+(?:found|exist\w*|created)|"
           r"(?:is|was|are)\s+(?:missing|deleted|absent)|never\s+(?:been\s+)?created)")
_LQ_ABSENT = re.compile(rf"\bLocal ?Queues?\b[^.\n]{{0,60}}?\b{_ABSENT}\b|\bno\s+Local ?Queue\b",
                        re.I)
_CQ_ABSENT = re.compile(rf"\bCluster ?Queues?\b[^.\n]{{0,60}}?\b{_ABSENT}\b|\bno\s+Cluster ?Queue\b",
                        re.I)
# a job said to lack the queue label (kueue.x-k8s.io/queue-name): Kueue ignores it unless
# manageJobsWithoutQueueName is set (apis/config Configuration)
_NO_LABEL = re.compile(r"\b(?:without|missing|lacks?|lacking|no)\b[^\n]{0,50}?queue[-_]name\b"
                       r"|\bqueue[-_]name\b[^.\n]{0,30}?\b(?:is\s+|was\s+)?(?:missing|not\s+set|"
                       r"absent|empty)\b", re.I)


# A request said to be larger than the queue's whole quota ("requests 16 GPUs but the
# ClusterQueue only has a nominalQuota of 8", "asks for more than the quota"): Kueue can never
# reserve it there (QuotaReserved=False "insufficient quota for R in flavor F, ... > maximum
# capacity"; flavorassigner.go) -> exceeds_max_quota. Not when the sentence is about borrowing.
_TOO_BIG = re.compile(
    r"\b(?:more|larger|bigger|greater|higher)\s+than\s+(?:the\s+|its\s+|their\s+|our\s+|my\s+)?"
    r"(?:\w+(?:'s)?\s+){0,3}?(?:nominal\s*)?quota\b"
    r"|\bexceed\w*\s+(?:the\s+|its\s+|their\s+|our\s+|my\s+)(?:\w+(?:'s)?\s+){0,3}?"
    r"(?:nominal\s*)?quota\b"
    r"|\bquota\b[^.\n]{0,40}?\b(?:is|was|are|were)\s+(?:too\s+small|smaller\s+than|less\s+than"
    r"|lower\s+than)\b", re.I)
_ASKED = re.compile(r"\b(?:request\w*|ask\w*\s+for|needs?|needing|requir\w*|wants?)\s+"
                    r"(?:for\s+)?(\d+)\b", re.I)
_QUOTA_IS = re.compile(r"\b(?:nominal\s*)?quota\w*(?:\s+(?:is|of|=|:|set\s+to))+\s*[`'\"]?(\d+)\b"
                       r"|\bonly\s+(?:has|have|gives?|allows?|provides?)\s+(?:a\s+)?"
                       r"(?:\w+\s+){0,3}?(?:quota\w*\s+(?:of\s+)?)?(\d+)\b", re.I)
_BORROW = re.compile(r"\b(?:borrow\w*|lend\w*|cohort)\b", re.I)


def _too_big(sentence: str) -> bool:
    if _BORROW.search(sentence) or not re.search(r"quota", sentence, re.I):
        return False
    found = _TOO_BIG.search(sentence)
    if found and not _NEG.search(sentence[max(0, found.start() - 20):found.end()]):
        return True
    asked, quota = _ASKED.search(sentence), _QUOTA_IS.search(sentence)
    return bool(asked and quota and asked.start() < quota.start()
                and int(asked.group(1)) > int(quota.group(1) or quota.group(2)))


# A resource the job asks for said not to be in the ClusterQueue ("ephemeral-storage, which is
# not defined in the ClusterQueue's resourceGroups"): Kueue refuses every flavor ("resource R
# unavailable in ClusterQueue") -> resource_not_in_queue. A resource name must be in the sentence.
_NOT_COVERED = re.compile(
    r"\b(?:not|never)\s+(?:defined|listed|covered|included|configured|declared|present|specified"
    r"|set)\s+(?:in|by)\s+(?:the\s+|its\s+|any\s+|our\s+|my\s+)?(?:\w+(?:'s)?\s+){0,2}?"
    r"(?:ClusterQueue|coveredResources|resourceGroups|cluster\s+queue)"
    r"|\b(?:missing|absent|omitted|left\s+out)\s+(?:from|in)\s+(?:the\s+|its\s+)?(?:\w+(?:'s)?\s+)"
    r"{0,2}?(?:ClusterQueue|coveredResources|resourceGroups|cluster\s+queue)"
    r"|\b(?:ClusterQueue|coveredResources|resourceGroups|cluster\s+queue)\b[^.\n]{0,40}?\b"
    r"(?:does\s*n[o']?t|do\s*n[o']?t|did\s*n[o']?t)\s+(?:cover|define|include|list|contain|have\s+"
    r"(?:any\s+)?quota\s+for)\b", re.I)
_RESOURCE_NAME = re.compile(r"\b(?:cpus?|memory|gpus?|tpus?|ephemeral-storage|pods|hugepages-\S+)"
                            r"\b|\b[\w.-]+\.[a-z]{2,}/[\w.-]+\b", re.I)


# The namespace said not to be selected by the ClusterQueue's namespaceSelector (Kueue:
# "Workload namespace doesn't match ClusterQueue selector") -> namespace_not_selected.
_NS_NOT_SELECTED = re.compile(
    r"\bnamespace\s*selector\b[^.\n]{0,80}?\b(?:does\s*n[o']?t|do\s*n[o']?t|did\s*n[o']?t|not"
    r"|never|fails?\s+to)\s+(?:match|select|include|cover)"
    r"|\b(?:does\s*n[o']?t|do\s*n[o']?t|did\s*n[o']?t|not|never)\s+match\w*\s+(?:the\s+|its\s+)?"
    r"(?:\w+(?:'s)?\s+){0,2}?namespace\s*selector\b"
    r"|\bnamespace\b[^.\n]{0,60}?\b(?:is|was|are|were)\s*(?:not|n't)\s+(?:selected|matched|"
    r"included)\b[^.\n]{0,40}?\b(?:ClusterQueue|cluster\s+queue|selector)", re.I)


# The Workload said to be deactivated (spec.active: false, by a person or by Kueue after
# requeuingStrategy.backoffLimitCount requeues: Evicted reason Deactivated / RequeuingLimit-
# Exceeded; apis/kueue/v1beta1 workload_types.go) -> workload_deactivated.
_DEACTIVATED = re.compile(
    r"\bworkloads?\b[^.\n]{0,60}?\b(?:is|was|got|gets|been|are|were|became|becomes)\s+"
    r"(?:\w+\s+)?deactivated\b|\bdeactivat\w*\s+(?:the\s+|my\s+|our\s+)?workloads?\b"
    rf"|\bspec\.active{_Q}\s*(?:is|was|gets|got|set\s+to|=|:)\s*{_Q}false\b"
    r"|\bbackoffLimitCount\b[^.\n]{0,80}?\b(?:reached|exceeded|hit)\b", re.I)


# Topology Aware Scheduling said to find no domain for the pod set ("the pods don't fit in a
# single block", podset-required-topology): QuotaReserved=False "topology T doesn't allow to
# fit any of N pod(s)" (tas_flavor_snapshot.go) -> topology_unfit.
_TOPOLOGY_WORD = re.compile(r"\btopology\b|\bTAS\b|podset-(?:required|preferred)-topology",
                            re.I)
_NO_FIT = re.compile(
    r"\b(?:do(?:es)?\s*n[o']?t|did\s*n[o']?t|can(?:not|'t)|won't|never|unable\s+to|not)\s+"
    r"(?:\w+\s+)?fit\b[^.\n]{0,60}?\b(?:single|one|same|a|any)\s+(?:\w+\s+)?(?:block|rack|"
    r"domain|slice|sub-?block|superpod|host|node\s*pool|zone)s?\b"
    r"|\btopology\b[^.\n]{0,80}?\b(?:do(?:es)?\s*n[o']?t|did\s*n[o']?t|can(?:not|'t)|won't|never"
    r"|not)\s+(?:\w+\s+)?fit\b", re.I)


# the controller's pod by name ("kueue-controller-manager-5d9f-abcde", "Kueue controller pods")
_CONTROLLER_POD = (r"\bkueue[- ](?:controller(?:[- ]manager)?|manager)(?:[- ][\w-]+)?(?:\s+pods?)?\b"
                   r"|\bkueue(?:'s)?\s+(?:own\s+)?pods?\b")
# ... up to its state, through words that are not about a job (whose pods are not Kueue's)
_NOT_A_JOB = r"(?:(?!\b(?:jobs?|workloads?|admit\w*|but|while|whereas)\b)[^.\n])"
# kueue-controller-manager said to crash, not to run, or its webhook to have no endpoints
# ("The Kueue controller is in `CrashLoopBackOff`", marin-community/marin#7396)
_CONTROLLER_DOWN = re.compile(
    r"\bkueue(?:[- ]controller(?:[- ]manager)?)?\b[^.\n]{0,60}?\b(?:CrashLoopBackOff|crash\w*"
    r"|panic\w*|(?:is|was)\s+(?:not\s+running|down))"
    r"|\b(?:kueue\S*\s+)?(?:admission\s+)?webhook\b[^.\n]{0,40}?\bno\s+endpoints\b"
    # ... or its pod said to wait in a state the kubelet reports for a container that cannot
    # start (kubelet pkg/kubelet/images/types.go@v1.37.2: ErrImagePull, ImagePullBackOff,
    # InvalidImageName; kuberuntime/kuberuntime_container.go:69: CreateContainerConfigError) or
    # still Pending. Only the controller's own pod: "Kueue admitted it but the pods are in
    # ImagePullBackOff" is a job's pod (kueue#7210: a release manifest's image tag without
    # its `v`, "Kueue controller pods fail due to `ImagePullBackoffError`")
    rf"|(?:{_CONTROLLER_POD}){_NOT_A_JOB}{{0,60}}?(?:\b(?:ImagePullBack-?off\w*|ErrImagePull|"
    r"InvalidImageName|CreateContainer(?:Config)?Error)|\b(?:stuck|stays?|remains?|is|are|"
    r"hangs?)\s+(?:\w+\s+)?(?:in\s+)?(?:Pending|ContainerCreating)\b)", re.I)


def states(text: str) -> list[tuple[str, list[str]]]:
    """(cause, sentences it rests on), best first; empty when the prose says none of it."""
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-*\d])",
                                                         text) if s.strip()]

    def hits(pattern, negated_ok=True) -> list[str]:
        out = []
        for sentence in sentences:
            found = pattern.search(sentence)
            if found and (negated_ok or not _NEG.search(found.group(0))):
                out.append(sentence)
        return out

    out = []
    down = [x for x in hits(_CONTROLLER_DOWN) if _KUEUE_NAMED.search(x)
            and not _NOT_DOWN.search(x)]
    if down:
        out.append(("kueue_controller_down", down))
    refused_hook = [x for x in hits(_WEBHOOK_REFUSED, negated_ok=False)
                    if _KUEUE_WRITE.search(x) and not _KUEUE_HOOK.search(x)]
    if refused_hook:
        out.append(("admission_webhook_denied", refused_hook))
    ready = hits(_PODS_READY)
    if ready:
        out.append(("pods_ready_timeout", ready))
    # the line that sets it (a script's banner or a patch has no sentence around it)
    stopped = [" ".join(line.split()) for line in text.splitlines() if _STOPPED.search(line)]
    if stopped:
        out.append(("queue_inactive", stopped))
    waiting, unadmitted = hits(_CHECK_WAITING), hits(_NOT_ADMITTED)
    if waiting and unadmitted:
        out.append(("admission_check_pending", waiting + [s for s in unadmitted
                                                         if s not in waiting]))
    refused = [s for s in hits(_FLAVOR_REFUSED) if _FLAVOR_WHY.search(s)]
    if refused:
        out.append(("flavor_mismatch", refused))
    no_quota = [x for x in hits(_NO_QUOTA) if _QUEUE_WORD.search(x)
                and not _KUEUE_WORDING.search(x)]
    if no_quota:
        out.append(("quota_exhausted", no_quota))
    too_big = [x for x in sentences if _too_big(x) and _QUEUE_WORD.search(x)
               and not _KUEUE_WORDING.search(x)]
    if too_big:
        out.append(("exceeds_max_quota", too_big))
    uncovered = [x for x in hits(_NOT_COVERED) if _RESOURCE_NAME.search(x)
                 and not _KUEUE_WORDING.search(x)]
    if uncovered:
        out.append(("resource_not_in_queue", uncovered))
    unfit = [x for x in hits(_NO_FIT) if _TOPOLOGY_WORD.search(x)]
    if unfit:
        out.append(("topology_unfit", unfit))
    for pattern, cause in ((_NS_NOT_SELECTED, "namespace_not_selected"),
                           (_LQ_ABSENT, "local_queue_missing"),
                           (_CQ_ABSENT, "cluster_queue_missing"),
                           (_NO_LABEL, "no_queue_label")):
        found = hits(pattern)
        if found:
            out.append((cause, found))
    deactivated = hits(_DEACTIVATED, negated_ok=False)
    if deactivated:
        out.append(("workload_deactivated", deactivated))
    admitted = hits(_ADMITTED, negated_ok=False)
    admitted += [s for s in hits(_SELECTOR_FROM_FLAVOR, negated_ok=False) if s not in admitted]
    idle = hits(_NOT_STARTED)
    if admitted and idle:
        out.append(("admitted_not_started", admitted + [s for s in idle if s not in admitted]))
    return out


def selector_from_flavor(sentence: str) -> bool:
    """The sentence says Kueue put a ResourceFlavor's labels into the pods' nodeSelector."""
    found = _SELECTOR_FROM_FLAVOR.search(sentence)
    return bool(found) and not _NEG.search(found.group(0))


def said(lines: list[str]) -> bool:
    """The paste states one of these conditions in prose (read_dump keeps it as text)."""
    return bool(states("\n".join(lines)))


# "BestEffort1 preempted", "my job was preempted again and again": the report says Kueue
# preempted a workload, and no Workload is in the paste to say by whom or why
_PREEMPTED = re.compile(r"\bpreempt(?:ed|s|ing|ion)\b"
                        # a queue reclaiming its lent quota, and a job suspended or evicted for
                        # it: Kueue's InCohortReclamation preemption in a user's (or a vendor
                        # walkthrough's) words ("Team B needs to reclaim its compute resources
                        # ... Job 1 is suspended", aws/sagemaker-hyperpod-cli task governance)
                        r"|\breclaim\w*\b[^\n]{0,300}?\b(?:suspend|evict)\w*"
                        r"|\b(?:suspend|evict)\w*\b[^\n]{0,300}?\breclaim", re.I)


def preemption_lines(lines: list[str]) -> list[str]:
    """The report's lines that say Kueue preempted (or reclaimed quota from) a workload."""
    return [line for line in report_lines(lines) if _PREEMPTED.search(line)
            and not _NEG.search(line)]


def said_preempted(cluster) -> list[dict]:
    """For a paste without any Workload: a warning `preempted` (inferred) when the report
    says a workload was preempted, else an info that the eviction history is not here: it
    is written on the Workload (Evicted / Preempted conditions, schedulingStats.evictions)."""
    said = preemption_lines(list(getattr(cluster, "texts", []) or []))
    confirm = ("kubectl get workloads.kueue.x-k8s.io -A -o yaml (status.conditions Evicted / "
               "Preempted, status.schedulingStats.evictions) and kubectl get events -A "
               "--field-selector reason=Preempted")
    if said:
        return [finding("warning", "preempted", {"kind": "Workload", "name": ""},
                        "the report says Kueue preempted a workload; who preempted it and which "
                        "setting allowed it are on the Workload, which is not in the paste",
                        [f"in the text: {line[:200]}" for line in said[:2]],
                        "paste the preempted Workload (and its ClusterQueue) and re-run: the "
                        "Preempted condition names the reason (InClusterQueue, "
                        "InCohortReclamation, InCohortReclaimWhileBorrowing, "
                        "InCohortFairSharing) and the preemptor", basis="inferred",
                        confirm=confirm)]
    return [finding("info", "not_in_dump", {"kind": "Workload", "name": ""},
                    "no Workload in the input: Kueue writes a workload's evictions and "
                    "preemptions on the Workload (conditions, schedulingStats) and in its events",
                    [], f"run {confirm} and re-run with the output", basis="inferred",
                    confirm=confirm)]
