"""Reported evidence: what the responsible components said about DRA claims and pods.

Sources, in the objects of a dump: Events (core/v1 `message`, events.k8s.io `note`), a pod's
PodScheduled condition, its containers' waiting states, a ResourceClaim's device conditions;
in a paste that is not objects: every line (describe output, an events table, kubelet or
driver logs, an error a command printed). Each message is matched against
_dra.messages.PATTERNS; each cause found becomes one finding with basis "reported".

A pipeline stage orders them when several components spoke: a kubelet or runtime message
means the scheduler already placed the pod, so it outranks older scheduler events.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from k8s_skillkit.events import condition_is, regarding
from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of

from _dra.messages import BY_KEY, Match, classify

# The later the stage, the closer the message is to what blocks the pod now.
STAGE = {"kube-apiserver": 0, "kueue": 1, "resource driver": 3, "kai-scheduler": 2, "gpu-operator": 0,
         "kube-controller-manager": 2, "kube-scheduler": 3, "DRA driver": 4, "kubelet": 4,
         "container runtime": 5}

# A driver that cannot start or publish speaks before the kubelet could use it: its startup
# checks come a stage earlier than the kubelet's "driver ... is not registered" that follows
# from them (NVIDIA/k8s-driver-manager#213: the GPU plugin's driver-root check
# fails, then the kubelet cannot unprepare the pods).
STAGE_BY_PATTERN = {"nvidia-driver-root-check": 3, "nvidia-plugin-startup": 3,
                    "nvidia-nvml-init": 3, "nvidia-plugin-create-driver": 3,
                    "slice-publish-rejected": 3, "slice-pool-invalid": 3,
                    "nvidia-device-enumeration": 3, "qat-pf-setup-failed": 3,
                    "qat-plugin-create-driver": 3,
                    # the kernel's refusal inside the driver's error is why the driver failed:
                    # read before the driver's wrapper line (IMEXDaemonUpdateLoop failed ...)
                    "driver-path-permission-denied": 5,
                    # the VM's launcher, once the container runs: after the kubelet's stages
                    "vfio-group-not-viable": 5}

# cause -> (what it means, the fix). Kept beside the patterns: one sentence each.
MEANING = {
    "device_class_missing": (
        "the scheduler reports that the DeviceClass the claim asks for does not exist",
        "create the DeviceClass (installing the driver usually does) or correct "
        "deviceClassName in the template/claim (recreate it: the spec is immutable)"),
    "claims_unallocatable": (
        "the scheduler's allocator found no set of free, matching devices for all of the "
        "pod's claims on any node",
        "compare the claim with what the drivers publish: kubectl get resourceslices -o yaml "
        "(count per node, selectors, devices held by other claims); explain_claim.py on a "
        "dump with ResourceSlices, DeviceClasses and ResourceClaims names the reason"),
    "claim_in_use": (
        "the scheduler reports the ResourceClaim is in use: allocated and reserved for other "
        "consumers, and it cannot be reserved for this pod too",
        "give each pod its own claim (resourceClaimTemplateName), or wait for the pods "
        "holding it; before 1.31 a claim is shared only when its driver allows it"),
    "claim_reserved_elsewhere": (
        "the scheduler reports the pod's claim is allocated on a node this pod cannot use",
        "give each pod its own devices (resourceClaimTemplateName), or let the pod run on the "
        "claim's node (drop the conflicting nodeSelector/affinity)"),
    "claim_deallocating": (
        "the claim is being deallocated, unprepared or deleted; the scheduler (or, on the node, "
        "the kubelet) waits for that to finish",
        "wait; if it never finishes, check the claim's finalizers, the driver's kubelet plugin "
        "on the node (it must answer NodeUnprepareResources) and the driver's controller"),
    "claim_not_generated": (
        "the ResourceClaim for the pod's template has not been created",
        "check that the ResourceClaimTemplate exists in the pod's namespace and that "
        "kube-controller-manager runs the resource-claim-controller (DRA feature gate on "
        "before 1.34); its FailedResourceClaimCreation event says why"),
    "claim_missing": (
        "the ResourceClaim the pod names (resourceClaimName) does not exist",
        "create the ResourceClaim in the pod's namespace, or use resourceClaimTemplateName"),
    "claim_template_missing": (
        "the ResourceClaimTemplate the pod names does not exist, so no claim is generated",
        "create the ResourceClaimTemplate in the pod's namespace (make_claim.py)"),
    "claim_not_reserved_for_pod": (
        "the kubelet refuses to start the pod: the claim is not reserved for it (the pod "
        "bypassed the scheduler with spec.nodeName, or the claim belongs to another pod)",
        "do not set spec.nodeName on pods with claims (use a nodeSelector on "
        "kubernetes.io/hostname so the scheduler allocates and reserves); delete and "
        "recreate the pod"),
    "classic_driver_not_allocating": (
        "classic DRA (resource.k8s.io/v1alpha2, Kubernetes 1.26-1.30): the scheduler waits "
        "for the resource driver's controller to allocate the claim, and it does not",
        "check the driver's controller pod and its logs (it must run and handle the "
        "ResourceClass's driverName); classic DRA was removed in 1.31: upgrade to "
        "structured parameters (1.32+ beta, 1.34 GA) and a current driver"),
    "selector_error": (
        "a CEL selector fails: a runtime error on some device fails the claim, or the "
        "apiserver refuses an expression it cannot compile (the object is not created)",
        "guard optional attributes: '\"attr\" in device.attributes[\"domain\"] && ...'"),
    "constraint_unsatisfiable": (
        "the claim's constraint (matchAttribute) cannot hold across the devices the request "
        "must take: with allocationMode All every matching device counts",
        "drop the constraint, or narrow the request's selectors to devices that share the "
        "attribute (or use an exact count)"),
    "insufficient_devices": (
        "the claim asks for more devices than one request may hold",
        "lower count; a claim holds at most 32 devices (v1: 32 results per claim)"),
    "admission_webhook_denied": (
        "an admission webhook refused the object's DRA fields before any DRA component saw it",
        "the platform behind the webhook does not accept resources.claims / resourceClaims in "
        "its objects: request DRA devices where it allows them (a plain Pod, Job or Deployment, "
        "or the platform's own device support), or ask its maintainers; the webhook's message "
        "names the field"),
    "no_dra_drivers": (
        "no DRA driver runs: its kubelet-plugin pods are not created, so no node publishes "
        "devices",
        "make the driver's DaemonSet create its pods (kubectl describe daemonset -n <driver "
        "namespace>: its FailedCreate events name the refusal), then check kubectl get "
        "resourceslices"),
    "scheduler_plugin_error": (
        "a scheduler plugin failed internally (a known bug of the DynamicResources plugin or "
        "of a third-party scheduler's)",
        "upgrade the scheduler that failed (kube-scheduler, or the third-party scheduler or "
        "plugin named above) to a release with the fix; meanwhile avoid the pod shape that "
        "triggers it (named above)"),
    "driver_not_registered": (
        "the driver's kubelet plugin is not registered with the kubelet on that node (not "
        "running, crash-looping, or its registration socket is not where the kubelet "
        "watches), so claims there cannot be prepared",
        "run the driver's kubelet plugin on that node (check its DaemonSet pod there, its "
        "nodeSelector/tolerations, and that the driver component for this device type is "
        "enabled); the kubelet retries once it registers"),
    "no_resource_slices": (
        "the driver's kubelet plugin publishes no devices on that node",
        "fix what the driver's own check names (its kubelet-plugin pod's logs, init "
        "containers included); then check that kubectl get resourceslices shows devices for "
        "that node"),
    "security_context_denied": (
        "a DRA driver's process may not write a path it needs: the kernel refused it "
        "(permission denied), so the container runs as a UID that does not own it, without "
        "CAP_DAC_OVERRIDE, or under an SELinux label that denies it; on OpenShift the "
        "restricted SCCs give the pod a random non-root UID",
        "run the driver's pods as the identity the path allows: on OpenShift bind an SCC that "
        "permits it (the driver chart's OpenShift setting, or oc adm policy add-scc-to-user "
        "anyuid -z <service account> -n <driver namespace>, an admin decision); elsewhere set "
        "securityContext.runAsUser / capabilities, or make the path writable (an emptyDir or "
        "a volume owned by that UID)"),
    "driver_prepare_failed": (
        "the DRA driver's kubelet plugin failed to prepare (NodePrepareResources) or "
        "unprepare the allocated claim; its error is in the evidence",
        "fix what the driver's error names (driver logs on that node: kubectl logs -n "
        "<driver namespace> <kubelet-plugin pod>); the kubelet retries"),
    "kubelet_claim_access_denied": (
        "the kubelet may not read the pod's ResourceClaim: the Node authorizer lets a node read "
        "only claims of pods bound to it, so the pod is gone (force-deleted while running) or "
        "the claim is not linked to it, and the kubelet cannot prepare or unprepare it",
        "check the pod still exists and lists the claim (kubectl get pod POD -o jsonpath="
        "'{.status.resourceClaimStatuses}'); for a force-deleted pod on a 1.26-1.27 kubelet, "
        "upgrade (1.28+ unprepares from its cache: kubernetes#119307) and restart the driver's "
        "kubelet plugin to release the devices; check the apiserver runs the Node authorizer "
        "(--authorization-mode=Node,RBAC) at the kubelet's version"),
    "driver_crd_invalid": (
        "the CRD installed in the cluster is not the one of the DRA driver's release: the "
        "apiserver refuses or drops what the driver writes on its own custom resource",
        "install the CRDs of the driver's own release (helm upgrade does not upgrade a chart's "
        "crds/: kubectl apply --server-side -f <chart>/crds/ of that version), then compare "
        "kubectl get crd <plural>.<group> -o yaml with the release; the driver retries"),
    "cdi_device_unresolvable": (
        "the container runtime cannot resolve the CDI device the driver prepared",
        "enable CDI in the runtime (containerd 1.7: enable_cdi = true and cdi_spec_dirs "
        "including /var/run/cdi), make the driver write its CDI specs where the runtime "
        "reads them, then recreate the pod"),
    "cdi_spec_incomplete": (
        "the container cannot start: a CDI spec the runtime applied (a DRA driver's claim "
        "spec, or the toolkit's) names host paths the node does not have, so the spec is "
        "unusable there although the claim was prepared",
        "on the pod's node find the spec naming the path (grep -l <path> /var/run/cdi/* "
        "/etc/cdi/*) and its generator; give that generator the host's driver root (NVIDIA's "
        "DRA driver: nvidiaDriverRoot, the GPU Operator's driver install dir) so it writes "
        "existing host paths, regenerate the spec, then recreate the pod"),
    "cdi_not_enabled": (
        "the container runtime did not apply the DRA driver's CDI edits (the mounts, env and "
        "device nodes its kubelet plugin prepared): CDI is off in the runtime, which then "
        "ignores the claim's CDI devices without an error",
        "enable CDI in the runtime: containerd 1.7 needs enable_cdi = true (and cdi_spec_dirs "
        "with /var/run/cdi) in its CRI plugin config, then a restart (containerd 2.x has it on "
        "by default); recreate the pods; `containerd config dump | grep -i cdi` shows it"),
    "dra_api_missing": (
        "the apiserver does not serve the resource.k8s.io version a client or manifest uses",
        "use the API version the cluster serves (kubectl api-versions | grep resource.k8s.io), "
        "or enable it (--runtime-config, DRA feature gates before 1.34); keep kubelets and "
        "drivers within the supported skew of the apiserver"),
    "dra_feature_disabled": (
        "a component reports that DRA (or the DRA feature this claim uses) is disabled",
        "enable the feature gate on every component that needs it (apiserver, scheduler, "
        "controller-manager, kubelet; or the third-party scheduler's own DRA setting)"),
    "manifest_api_mismatch": (
        "the manifest (or the client that wrote it) uses another DRA API version's shape: "
        "pod.spec.resourceClaims[].source (removed in 1.31, so its references are dropped "
        "as unknown fields) or requests without `exactly` in resource.k8s.io/v1",
        "use the fields of the served version: resourceClaimTemplateName directly on the pod "
        "claim entry; requests[].exactly.deviceClassName in resource.k8s.io/v1"),
    "no_matching_device": (
        "fewer devices in the cluster match the claim's DeviceClass and CEL selectors than "
        "it requests (Kueue checks this before admitting)",
        "correct the selector (explain_claim.py on a dump with ResourceSlices shows the "
        "failing clause and the nearest device) or request fewer devices"),
    "resource_pool_invalid": (
        "the allocator skipped a driver's resource pool as incomplete or invalid (slices of "
        "mixed generations, resourceSliceCount not reached, duplicate device names)",
        "check the driver's ResourceSlices for that pool (kubectl get resourceslices -o yaml:"
        " pool.generation, pool.resourceSliceCount, device names); restart/upgrade the "
        "driver's kubelet plugin"),
    "admin_access_forbidden": (
        "the apiserver rejects adminAccess: the namespace lacks the admin-access label",
        "kubectl label namespace <ns> resource.kubernetes.io/admin-access=true (admin "
        "decision), or drop adminAccess"),
    "device_taint_not_tolerated": (
        "the device taint eviction controller deleted the pod: a device its claim uses got a "
        "NoExecute taint (in its ResourceSlice or a DeviceTaintRule) the claim does not "
        "tolerate",
        "find out why the device was tainted (driver health, an admin's DeviceTaintRule) and "
        "use another device; tolerate the taint only if running on it is right"),
    "kueue_class_unmapped": (
        "Kueue reports the DeviceClass is not in its deviceClassMappings, so the workload "
        "is inadmissible",
        "add the class to resources.deviceClassMappings in Kueue's Configuration and restart "
        "Kueue (the k8s-kueue skill explains the queue side)"),
    "kueue_unsupported_claim": (
        "Kueue's DRA integration rejects this claim shape",
        "use a ResourceClaimTemplate with ExactCount requests (no firstAvailable, "
        "adminAccess, allocationMode All or resourceClaimName); see the k8s-kueue skill"),
}


@dataclass
class Report:
    match: Match
    about: dict               # {kind, namespace, name} the component spoke about
    where: str                # "event FailedScheduling (default-scheduler)", "pasted text"
    count: int = 1
    text: str = ""            # the component's message itself (for duplicate checks)

    @property
    def stage(self) -> int:
        return STAGE_BY_PATTERN.get(self.match.pattern.key,
                                    STAGE.get(self.match.pattern.component, 3))


def collect(objects: list[dict], texts: list[str]) -> list[Report]:
    """Reports about pods that now run are history (an old FailedScheduling event of a
    pod that has since started says nothing about what blocks anything now)."""
    running = {(namespace_of(p), name_of(p)) for p in objects if p.get("kind") == "Pod"
               and dig(p, "status", "phase") in ("Running", "Succeeded")}
    # a running pod's container that waits or failed to start is its current state, though
    return [r for r in _collect(objects, texts) if r.where.startswith("container ") or not (
        r.about.get("kind") == "Pod" and (r.about.get("namespace", ""), r.about.get("name"))
        in running)]


def _collect(objects: list[dict], texts: list[str]) -> list[Report]:
    reports: list[Report] = []
    for obj in objects:
        kind = obj.get("kind")
        if kind == "Event":
            reports += _from_event(obj)
        elif kind == "Pod":
            reports += _from_pod(obj)
        elif kind == "ResourceClaim":
            reports += _from_claim(obj)
    seen = [_key(r.text or r.match.message) for r in reports]
    for line in _with_folds(texts):
        key = _key(line)
        if any(k and (k in key or key in k) for k in seen):
            continue  # an object read from this paste already carries the message
        for m in classify(line):
            reports.append(Report(m, _pod_named(m), "pasted text"))
    if not reports and len(texts) > 1:
        # a message a terminal, a mail or a commit body wrapped at its width with no indent
        # (`"not enough cpus available to` / `satisfy request."`): the paste was accepted as
        # DRA text on its joined lines (_dra.input), so read them joined too
        reports += [Report(m, _pod_named(m), "pasted text")
                    for m in classify(" ".join(t.strip() for t in texts))]
    if all(r.match.pattern.paired for r in reports):
        return []  # an OS error alone is any program's, not a DRA component's
    return reports


def _pod_named(m: Match) -> dict:
    """The pod a text line names (`pod="ns/name"` in a structured log line), else nothing."""
    ns, _, name = (m.value("pod") or "").rpartition("/")
    return {"kind": "Pod", "namespace": ns, "name": name} if name else {}


# a YAML scalar folded onto a deeper-indented next line (`message: 'running PreBind plugin
# ... claim x/y` / `    got allocated elsewhere in the meantime'`, a condition printed inside
# a Go test's matcher dump, kubernetes#139417): not a key, not a list item
_CONTINUATION = re.compile(r"^(?P<indent>\s+)(?![-#]\s)(?![\w.-]+:\s)\S")


def _with_folds(texts: list[str]) -> list[str]:
    """The lines, each followed by itself joined with its folded continuation lines."""
    out = []
    for i, line in enumerate(texts):
        out.append(line)
        indent = len(line) - len(line.lstrip())
        joined, j = line.rstrip(), i + 1
        while j < len(texts) and (m := _CONTINUATION.match(texts[j])) and \
                len(m.group("indent").expandtabs()) > len(line[:indent].expandtabs()) and \
                j - i <= 3:
            joined, j = f"{joined} {texts[j].strip()}", j + 1
        if j > i + 1:
            out.append(joined)
    return out


def _key(text: str) -> str:
    """A message without spacing, quoting or the reporter prefix, for duplicate checks."""
    return re.sub(r"[\s\"'`\\]+", "", str(text)).lower()


def _ref(obj: dict) -> dict:
    return {"kind": obj.get("kind", ""), "namespace": namespace_of(obj), "name": name_of(obj)}


def _from_event(event: dict) -> list[Report]:
    about = event.get("involvedObject") or event.get("regarding") or {}
    # a multi-word reporter ("resource driver <name>") may be split over component and host
    # when read from a describe table; the wording needs it whole
    who = " ".join(str(v) for v in (dig(event, "source", "component"),
                                    dig(event, "source", "host")) if v) \
        or event.get("reportingController") or ""
    # The reporter is part of some wordings (classic DRA: "resource driver <name>").
    said = str(event.get("message") or event.get("note") or "")
    where = f"event {event.get('reason', '')}" + (f" ({who})" if who else "")
    count = event.get("count") or dig(event, "series", "count") or 1
    return [Report(m, {k: about.get(k, "") for k in ("kind", "namespace", "name")}, where,
                   int(count) if str(count).isdigit() else 1, said)
            for m in classify(f"{who}  {said}")]


def _from_pod(pod: dict) -> list[Report]:
    out = []
    for cond in dig(pod, "status", "conditions", default=[]) or []:
        # a condition cut from its type (a docs page or a reply keeps only lastTransitionTime
        # and message): its message still says which component printed it
        cut = "type" not in cond and "status" not in cond
        if cut or (cond.get("type") == "PodScheduled" and cond.get("status") == "False"):
            out += [Report(m, _ref(pod), "PodScheduled condition" if not cut else "condition")
                    for m in classify(str(cond.get("message", "")))]
    for status in (dig(pod, "status", "containerStatuses", default=[]) or []) + \
            (dig(pod, "status", "initContainerStatuses", default=[]) or []):
        waiting = dig(status, "state", "waiting", default={}) or {}
        out += [Report(m, _ref(pod), f"container {status.get('name')} waiting")
                for m in classify(str(waiting.get("message", "")))]
        out += [Report(m, _ref(pod), f"container {status.get('name')} {where}")
                for where, message in _start_errors(status) for m in classify(message)]
    return out


# containerd's reason for a container the runtime failed to start (its error is the message;
# containerd v2.1.4 internal/cri/server/helpers.go:47, container_start.go:75): a restarted
# container keeps it in lastState while it waits in CrashLoopBackOff. Other terminations'
# messages are the application's own termination message, not a component's.
_START_ERRORS = ("StartError",)


def _start_errors(status: dict) -> list[tuple[str, str]]:
    out = []
    for where, key in (("terminated", "state"), ("last terminated", "lastState")):
        ended = dig(status, key, "terminated", default={}) or {}
        if ended.get("reason") in _START_ERRORS and ended.get("message"):
            out.append((f"{where} ({ended['reason']})", str(ended["message"])))
    return out


def _from_claim(claim: dict) -> list[Report]:
    out = []
    for dev in dig(claim, "status", "devices", default=[]) or []:
        for cond in dev.get("conditions") or []:
            out += [Report(m, _ref(claim), f"claim device {dev.get('device')} condition "
                           f"{cond.get('type')}") for m in classify(str(cond.get("message")))]
    return out


def scheduled(objects: list[dict], texts: list[str]) -> bool:
    """Did the scheduler place the one pod this input is about (its nodeName, a Scheduled
    event, the describe line "Successfully assigned")? With several pods: not decided here
    (the inference looks only at pods without a node anyway).

    The pod's own status outranks an event: a pod whose PodScheduled condition is False was
    not placed, and a Scheduled event about another uid is about an earlier pod of the same
    name (a pod deleted, e.g. evicted by the device taint eviction controller, and created
    again)."""
    pods = [o for o in objects if o.get("kind") == "Pod"]
    if len(pods) > 1:
        return False
    uid = dig(pods[0], "metadata", "uid") if pods else None
    if pods and dig(pods[0], "spec", "nodeName"):
        return True
    if pods and condition_is(pods[0], "PodScheduled", "False"):
        return False
    if any(o.get("kind") == "Event" and o.get("reason") == "Scheduled"
           and regarding(o).get("uid") in (None, "", uid) for o in objects):
        return True
    return any("Successfully assigned" in line for line in texts)


# "resource claim X is in the process of being allocated" (PreFilter, dynamicresources.go
# ClaimHasPendingAllocation): another pod's scheduling cycle holds an in-flight allocation of
# the shared claim, which lasts until that pod's PreBind writes it. The scheduler retries an
# unschedulable pod with a backoff of at most 10s (podMaxBackoffSeconds default), so the same
# event counted this often means the in-flight allocation never completes: the plugin is
# stuck (gang-scheduled pods sharing a claim, kubernetes#137617, fixed by PR #137647).
STUCK_RETRIES = 30


def _cause(r: Report) -> str:
    if r.match.pattern.key == "sched-being-allocated" and r.count >= STUCK_RETRIES:
        return "scheduler_plugin_error"
    return r.match.cause


def findings(reports: list[Report], default_obj: dict | None) -> list[dict]:
    """One finding per reported cause; the latest pipeline stage first, generic last."""
    by_cause: dict[str, list[Report]] = {}
    for r in reports:
        by_cause.setdefault(_cause(r), []).append(r)
    specific = {c for c, rs in by_cause.items() if any(not r.match.pattern.generic for r in rs)}
    out = []
    order = sorted(by_cause.items(), key=lambda kv: (
        all(r.match.pattern.generic for r in kv[1]), -max(r.stage for r in kv[1])))
    for cause, group in order:
        if cause not in specific and specific and cause == "claims_unallocatable":
            continue  # a specific reason from the same component already explains it
        out.append(_finding(cause, group, default_obj))
    return out


def _finding(cause: str, group: list[Report], default_obj: dict | None) -> dict:
    # among equals, the line that names the most (a log's wrapper line and, on the next
    # line, the inner error that says what failed: the detail reads the latter)
    best = sorted(group, key=lambda r: (r.match.pattern.generic, -r.stage,
                                        -len([v for v in r.match.groups.values() if v])))[0]
    meaning, fix = MEANING.get(cause, (best.match.pattern.key, ""))
    meaning = _MEANING_BY_PATTERN.get(best.match.pattern.key, meaning)
    fix = _FIX_BY_PATTERN.get(best.match.pattern.key, fix)
    about = best.about if best.about.get("name") else (default_obj or {})
    detail = _detail(cause, best.match)
    evidence, seen = [], set()
    messages = [r.match.message for r in group]
    for r in sorted(group, key=lambda r: (r.match.pattern.generic, -r.stage)):
        text = f"{r.where}: {_clip(r.match.message)}"
        if any(r.match.message != m and r.match.message in m for m in messages):
            continue  # a line also read joined with its folded continuation: the whole
        if text not in seen:
            seen.add(text)
            evidence.append(text + (f" (x{r.count})" if r.count > 1 else ""))
    key = best.match.pattern.key
    return finding("error", cause, about, meaning + detail, evidence[:4], fix,
                   basis="inferred" if key in _INFERRED_BY_PATTERN else "reported",
                   confirm=_CONFIRM_BY_PATTERN.get(key, ""))


# messages whose words are reported but whose cause is read from them: the finding is
# inferred, and its confirm command shows the state that decides
_INFERRED_BY_PATTERN = {"driver-path-permission-denied",
                        # QEMU's words; that the DRA driver's prepare bound the device but not
                        # its IOMMU group is read from them
                        "vfio-group-not-viable"}


# the command that shows what a reported message implies but does not say itself: an NVIDIA
# kubelet plugin that failed to enumerate its devices has no ResourceSlice on its node (it
# exits before publishing: nvidia-device-enumeration in _dra.messages)
_CONFIRM_BY_PATTERN = {
    "driver-path-permission-denied": "kubectl get pod <driver pod> -n <driver namespace> -o "
                                     "jsonpath='{.metadata.annotations.openshift\\.io/scc} "
                                     "{.spec.securityContext} "
                                     "{.spec.containers[*].securityContext}' (the UID the pod "
                                     "runs as, and on OpenShift the SCC that admitted it)",
    "vfio-group-not-viable": "on the node: for d in /sys/bus/pci/devices/<device PCI "
                             "address>/iommu_group/devices/*; do echo $d $(readlink $d/driver); "
                             "done (every endpoint but bridges must be bound to vfio-pci)",
    "nvidia-device-enumeration": "kubectl get resourceslices --field-selector "
                                 "spec.nodeName=<node> (no slice of the plugin's driver)",
}


# what the message means, where the cause's sentence describes another way to it
_MEANING_BY_PATTERN = {
    # QEMU's refusal in the VM's pod, after the claim was prepared (_dra/messages.py
    # vfio-group-not-viable)
    "vfio-group-not-viable": (
        "QEMU cannot open the passthrough device's VFIO group because another endpoint of "
        "its IOMMU group is still bound to a host driver: the DRA driver's prepare bound the "
        "allocated device to vfio-pci but not its group companions, so the claim is prepared "
        "unusable and the VM does not start"),
    # NVIDIA's sharing strategies behind the driver's own feature gates (_dra/messages.py
    # nvidia-sharing-gate-disabled): not a Kubernetes DRA gate
    "nvidia-sharing-gate-disabled": (
        "NVIDIA's DRA driver refuses the claim's GpuConfig/MigDeviceConfig sharing strategy "
        "(TimeSlicing or MPS) because the driver's own feature gate for it is off "
        "(TimeSlicingSettings for TimeSlicing, MPSSupport for MPS): releases v25.8-v25.12 call "
        "the strategy 'unknown', v0.4.0+ name the gate"),
    # the compute-domain daemon's own errors: no claim is named, the node's channel claims
    # wait at prepare for its IMEX daemon (v0.4.1 cmd/compute-domain-kubelet-plugin/
    # computedomain.go:249 'current node not ready in ComputeDomain')
    "cd-daemon-no-index": (
        "the ComputeDomain daemon on this node cannot take a slot in its domain (or clique), "
        "so its IMEX daemon never joins and the node's channel claims wait at prepare"),
    "cd-imex-exited": (
        "the ComputeDomain daemon's nvidia-imex process died unexpectedly; while it is down "
        "the node's IMEX daemon is not Ready and its channel claims wait at prepare"),
    "cd-daemon-update-failed": (
        "the ComputeDomain daemon failed to rewrite IMEX's config or (re)start nvidia-imex and "
        "shut down; until its pod runs again the node's channel claims wait at prepare"),
    # nvidia-container-toolkit internal/discover/mounts.go:67 (warn and skip), internal/
    # platform-support/dgpu/nvml.go:82-150 (a MIG device's three nodes)
    "nvcdi-mig-cap-node-missing": (
        "NVIDIA's CDI library did not find a MIG device's capability device node under the "
        "dev root it reads while it wrote the CDI spec, and left it out (a warning, not an "
        "error): the claim is prepared and the container starts, but it sees only the parent "
        "GPU and cannot use the MIG device"),
    # dra-driver-nvidia-gpu v0.4.1 cmd/gpu-kubelet-plugin/device_health.go:80-84,230
    "nvidia-gpu-lost-taint": (
        "NVIDIA's GPU kubelet plugin tainted the node's GPU devices gpu.nvidia.com/gpu-lost "
        "(effect NoSchedule) because NVML reports a GPU lost: claims that do not tolerate "
        "the taint get no device on that node"),
}

# a fix more precise than the cause's, where the message says whose fault it is
_FIX_BY_PATTERN = {
    "vfio-group-not-viable": (
        "bind every endpoint of the device's IOMMU group to vfio-pci (bridges excepted), not "
        "only the device: a driver release that does it in its prepare (NVIDIA's GPU plugin "
        "from dc54b409, after v0.4.1), or on the host (driver_override + drivers_probe for "
        "the companion, e.g. the GPU's HDA audio function); then recreate the VM's pod"),
    "nvidia-sharing-gate-disabled": (
        "enable the driver's feature gate in its Helm values (featureGates: {MPSSupport: true} "
        "for MPS, {TimeSlicingSettings: true} for TimeSlicing; helm upgrade, then the "
        "controller, webhook and kubelet plugins restart with it), or drop the sharing "
        "strategy from the claim's opaque config; then recreate the claim (or the pod of its "
        "template)"),
    # an NVML query the GPU model does not answer is a release that predates the model
    # (GB10 unified memory: dra-driver-nvidia-gpu#1073/#1115, fixed by PR #1121 in v0.4.0;
    # a newer architecture: #1462)
    "nvidia-device-enumeration": (
        "read the whole error chain in the plugin's previous log (kubectl logs -n <driver "
        "namespace> <kubelet-plugin pod> -c gpus --previous): the last 'error getting ... for "
        "device N: ...' names the NVML query that failed. 'Not Supported' for a query this GPU "
        "model cannot answer (memory info on a unified-memory GPU such as GB10 / DGX Spark, "
        "an architecture newer than the release) needs a driver release that knows the model "
        "(GB10: dra-driver-nvidia-gpu v0.4.0+); another NVML error points at the GPU or its "
        "host driver (nvidia-smi -q on that node). The plugin then registers and publishes"),
    "nvidia-gpu-lost-taint": "look at the GPU on that node (nvidia-smi; the kernel log for "
                             "Xid errors or 'GPU has fallen off the bus'), reset or replace it "
                             "or drain the node; kubectl get resourceslices -o yaml shows the "
                             "taint under the devices[].taints; tolerate it only to run on a "
                             "lost GPU on purpose",
    # dra-driver-nvidia-gpu#787, commit 9f40722c (v25.12.0): cmd/gpu-kubelet-plugin/cdi.go
    # GetDevNodesForMigDevice builds the GI/CI cap nodes from /proc/driver/nvidia/capabilities
    "nvcdi-mig-cap-node-missing": (
        "upgrade NVIDIA's DRA driver for GPUs to v25.12.0 or later, whose GPU kubelet plugin "
        "adds a MIG device's capability nodes to the claim's CDI spec itself (from "
        "/proc/driver/nvidia/capabilities; dra-driver-nvidia-gpu#787); a spec from "
        "nvidia-ctk cdi generate needs the nodes present under the dev root it reads (ls -l "
        "/dev/nvidia-caps on the node) before it is generated again. Then delete the pod so "
        "that its claim is prepared anew (nvidia-smi -L in the container lists the MIG "
        "device)"),
    "nvidia-feature-gates-invalid": (
        "the driver's components exit at start on a combination of its own feature gates they "
        "do not support: change the Helm value featureGates (turn off one of the two gates the "
        "message names, or enable the one it requires) and apply it (helm upgrade); the "
        "kubelet plugins then start and register"),
    "kubelet-claim-unprepared-under-pod": (
        "the kubelet unprepared the claim while this pod still used it (another pod sharing "
        "the claim finished and its unprepare removed the kubelet's record of it), so the "
        "container cannot get its devices: delete the pod so that its claim is prepared again; "
        "kubelet 1.37 refuses such a pod up front ('ResourceClaim ... is being unprepared') "
        "and no longer unprepares a claim for a pod it does not reference"),
    # the apiserver's refusal of the controller's create: quota admission names the resource
    # (k8s.io/apiserver v0.37.2 resourcequota/controller.go:622 "exceeded quota: ...")
    "ctrl-create-failed": "read the refusal after 'create ResourceClaim': for 'exceeded quota' "
                          "raise the namespace's ResourceQuota (kubectl describe quota; "
                          "count/resourceclaims.resource.k8s.io or <class>.deviceclass."
                          "resource.k8s.io/devices) or free claims held by finished pods; "
                          "the controller retries and the scheduler then proceeds",
    "plugin-dra-service-failed": "mount the driver's plugin data directory into its "
                                 "kubelet-plugin pod at the path the error names (hostPath "
                                 "/var/lib/kubelet/plugins/<driver>, or <kubelet --root-dir>/"
                                 "plugins/<driver> where the kubelet keeps its state "
                                 "elsewhere), then restart the plugin pod",
    "plugin-claim-replaced": "the claim was deleted and recreated under the same name while "
                             "the pod waited: delete the pod so that it is scheduled with the "
                             "new claim",
    # dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1391
    "plugin-claim-deallocated": "the claim lost its allocation (deallocated, or deleted and "
                                "recreated) while the kubelet prepared it for this pod: kubectl "
                                "get resourceclaim <claim> -o yaml (status.allocation, "
                                "metadata.uid, deletionTimestamp); delete the pod so that it is "
                                "scheduled again and its claim allocated anew",
    "slice-pool-invalid": "the driver describes a pool it cannot publish (the names the "
                          "error quotes: a device or counter set listed twice, or a device "
                          "consuming a counter set the pool lacks): fix the driver's device or "
                          "partition configuration, or upgrade the driver; the pool is not "
                          "retried until the driver publishes again",
    "alloc-constraint-unsupported": "enable the DRAConsumableCapacity feature gate on "
                                    "kube-scheduler as on the apiserver (distinctAttribute "
                                    "needs it), or drop the distinctAttribute constraint",
    "api-cel-invalid": "fix the CEL expression at the field path the error names (the "
                       "ERROR line points at the column); attributes are read as "
                       "device.attributes[\"<domain>\"].<name>, comparisons use ==",
    "kubelet-claim-info-missing": "upgrade the kubelet on that node to a release with "
                                  "kubernetes#135919, then recreate the pod",
    # kubernetes v1.37.2 plugin/pkg/admission/serviceaccount/admission.go:164
    "driver-pods-forbidden": "remove what the refusal names: a service account the install "
                             "did not create (create it with the RBAC the driver's Helm chart "
                             "ships, or install through the chart; kubectl get sa -n <driver "
                             "namespace>), a quota or PodSecurity level of the driver's "
                             "namespace; the DaemonSet then creates its pods (kubectl describe "
                             "daemonset -n <driver namespace>) and kubectl get resourceslices "
                             "shows devices",
    "runtime-cdi-host-device": "on the pod's node, ls -l the device path the message names: "
                               "the device node must exist in the host's /dev, not only in the "
                               "driver's container (a kubelet plugin that creates device nodes "
                               "needs the host's /dev mounted), its kernel module loaded, and "
                               "the CDI spec regenerated if it names a node that is gone; the "
                               "kubelet retries creating the container",
    "cd-not-ready": "the ComputeDomain's IMEX daemon on that node is not Ready: kubectl get "
                    "computedomain <name> -n <ns> -o yaml (status.nodes: which nodes joined, "
                    "which are Ready) and the daemon pod's log (kubectl logs -n <driver "
                    "namespace> -l resource.nvidia.com/computeDomain=<uid>); known causes: a host "
                    "nvidia-imex.service running beside it (systemctl disable --now "
                    "nvidia-imex.service), no network interface for the node's IP in the IMEX "
                    "node config, or (before v25.8, or IMEXDaemonsWithDNSNames=false) fewer "
                    "worker nodes than spec.numNodes; the kubelet retries",
    "imex-no-interface": "the IMEX daemon of the ComputeDomain found none of the addresses in "
                         "its nodes config on a local interface, so it exited and the domain "
                         "never gets Ready: check the daemon pod's network (hostNetwork, the "
                         "interface carrying the node's IP) and the nodes config the driver "
                         "generated (kubectl logs of the daemon pod, its /etc/nvidia-imex "
                         "files); the kubelet retries the channel claims once it is Ready",
    # v0.4.1 cmd/compute-domain-kubelet-plugin/device_state.go:648 (permanentError)
    "cd-not-found": "the ComputeDomain whose UID the channel claim names no longer exists "
                    "(deleted, or deleted and created again under a new UID while the "
                    "workload's claims kept the old one): kubectl get computedomains -A -o "
                    "custom-columns=NAME:.metadata.name,UID:.metadata.uid; the plugin does not "
                    "retry this, so delete the workload pods (their generated claims go with "
                    "them) and create them again against the current ComputeDomain",
    "cd-namespace": "create the workload pods (their channel claims) in the ComputeDomain's "
                    "namespace, where its ResourceClaimTemplate is; the plugin does not retry "
                    "this, so recreate the pods",
    "cd-node-other-domain": "the node still belongs to another ComputeDomain (its label "
                            "resource.nvidia.com/computeDomain holds that domain's UID: kubectl "
                            "get node <node> -L resource.nvidia.com/computeDomain): a node "
                            "serves one domain at a time, so let that domain's workload pods on "
                            "the node finish (their channel claims unprepared) or keep this "
                            "domain's pods off that node; the kubelet retries",
    # dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/cdstatus.go:326, cdclique.go:367
    "cd-daemon-no-index": "more nodes of one NVLink clique joined the ComputeDomain than the "
                          "number the message names (the compute-domain controller's "
                          "--max-nodes-per-imex-domain, env MAX_NODES_PER_IMEX_DOMAIN, default "
                          "18), so this node's IMEX daemon gets no slot and never becomes "
                          "Ready: keep the domain's pods on at most that many nodes per clique "
                          "(kubectl get computedomain <name> -o yaml: status.nodes and their "
                          "cliqueID), or raise the limit if the hardware's NVLink domain is "
                          "larger; the daemon retries",
    # v0.4.1 cmd/compute-domain-daemon/process.go:188-196: the watchdog restarts the child
    "cd-imex-exited": "the nvidia-imex process of the ComputeDomain daemon exited on its own "
                      "(the daemon restarts it; 'treat fatal': the daemon pod exits): read "
                      "IMEX's own lines just before it in the same pod log (kubectl logs -n "
                      "<driver namespace> -l resource.nvidia.com/computeDomain --all-containers "
                      "--prefix --tail=-1) for why it stopped; until it runs again, the node's "
                      "channel claims wait at prepare",
    # v0.4.1 cmd/compute-domain-daemon/main.go:316,322 (the daemon shuts down)
    "cd-daemon-update-failed": "read the error after 'initiate shutdown:' (writing the IMEX "
                               "nodes config, or (re)starting nvidia-imex) in the daemon pod's "
                               "log; the pod restarts (kubectl get pods -n <driver namespace> "
                               "-l resource.nvidia.com/computeDomain: RESTARTS) and the node's "
                               "channel claims wait at prepare until its IMEX daemon is Ready",
    # 95932046 cmd/compute-domain-kubelet-plugin/nvlib.go:420-431 (imex.mode=hostManaged)
    "cd-host-imex-not-ready": "imex.mode=hostManaged: the host's own nvidia-imex service on "
                              "that node is not running or not READY: on the node run "
                              "systemctl status nvidia-imex and nvidia-imex-ctl -q "
                              "--u=<IMEX_CMD_UNIX_DOMAIN_PATH>; install nvidia-imex under the "
                              "driver root and configure its command socket (the driver's "
                              "prerequisites), or use imex.mode=driverManaged; the kubelet "
                              "retries the claim",
    # dra-driver-nvidia-gpu v0.4.1 cmd/webhook/main.go:254-291 (decode, then validate)
    "driver-webhook-config-invalid": "the DRA driver's own webhook refused the opaque "
                                     "parameters at the field path it names (decoding: an "
                                     "apiVersion/kind or field this driver release does not "
                                     "know; 'is invalid': a value it does not accept): fix "
                                     "that config entry after the driver's API for your "
                                     "release, then create the claim or template again",
    "cd-dns-names-driver": "upgrade the GPU driver on the node to the version the message "
                           "names, or set the Helm value featureGates.IMEXDaemonsWithDNSNames="
                           "false; then the compute-domain kubelet plugin starts",
    "nvidia-mps-daemon": "look at the claim's MPS control daemon in the driver's namespace "
                         "(kubectl get deploy,pods -n <driver namespace> | grep "
                         "mps-control-daemon; kubectl describe deploy <it>): a ReplicaFailure "
                         "condition names the refusal (OpenShift SCC or Pod Security: the "
                         "daemon needs hostPID and hostPath, so the service account it runs "
                         "under needs a privileged SCC / a privileged namespace), a forbidden "
                         "error names the RBAC the driver's service account lacks (deployments "
                         "in apps); driver releases fixed both (dra-driver-nvidia-gpu#230, "
                         "#1213): upgrade; the kubelet retries",
    "plugin-registrar-failed": "mount the kubelet's plugin registration directory into the "
                               "driver's kubelet-plugin pod at the path the error names "
                               "(hostPath /var/lib/kubelet/plugins_registry, or "
                               "<kubelet --root-dir>/plugins_registry where the kubelet keeps "
                               "its state elsewhere: k0s, MicroK8s, rootless setups; the "
                               "driver's Helm value for the kubelet directory), then restart "
                               "the plugin pod",
    "driver-device-not-allocatable": "compare the claim's allocation with what this driver "
                                     "publishes (kubectl get resourceclaim <claim> -o jsonpath="
                                     "'{.status.allocation.devices.results}' and kubectl get "
                                     "resourceslices --field-selector spec.nodeName=<node>): a "
                                     "result of another driver in the same claim is a driver "
                                     "that does not skip other drivers' devices (upgrade it, or "
                                     "split the claim per driver); a device no longer published "
                                     "needs the claim recreated",
    "critical-priority-quota": "create a ResourceQuota in the driver's namespace whose "
                               "scopeSelector allows the class (scopeName PriorityClass, "
                               "operator In, values [system-node-critical, "
                               "system-cluster-critical]; GKE ships one in kube-system only), "
                               "or install the driver in kube-system; the DaemonSet then "
                               "creates its kubelet-plugin pods",
    "sched-prebind-plugin": "the named scheduler plugin (not kube-scheduler's DynamicResources) "
                            "failed binding the pod: read its error and the plugin's release "
                            "notes; upgrade or configure that plugin",
    # intel-resource-drivers-for-kubernetes charts/intel-qat-resource-driver/README.md@1da939f
    # ('Read-only file system error for QAT'); the plugin finds its PFs under the kernel's
    # 4xxx driver (pkg/qat/device/device.go:28,196-200)
    "qat-pf-setup-failed": (
        "on that node, read the error after the PF device's address: the step of the QAT "
        "PF's SR-IOV setup the plugin does at start that the kernel refused (sriov_numvfs, "
        "vfio-pci binding, qat/state). For 'sriov_numvfs: read-only file system' Intel's chart README resets "
        "QAT by reloading its kernel driver (rmmod qat_4xxx; modprobe qat_4xxx); for 'could "
        "not find PF devices' check that the QAT PFs are bound to the kernel's 4xxx driver "
        "(ls /sys/bus/pci/drivers/4xxx). Then delete the kubelet-plugin pod: it restarts, "
        "registers and publishes the node's QAT VFs (kubectl get resourceslices "
        "--field-selector spec.nodeName=<node>)"),
    "slice-publish-rejected": "read the field errors after 'is invalid' in the driver's log; "
                              "upgrade the driver, or turn off the setting those devices do "
                              "not support; then check kubectl get resourceslices",
}


def _d_sched_allocated_elsewhere(m: Match) -> str:
    return (f": PreBind found {m.value('claim') or 'the claim'} allocated by another "
            "scheduling cycle; the scheduler retries, and a pod that stays on it is stuck "
            "(pods of a PodGroup sharing one claim, kubernetes#140053, fixed by PR #140269: "
            "upgrade, or meanwhile give each pod its own claim)")


def _d_sched_panic(m: Match) -> str:
    return (f": kube-scheduler panicked while scheduling {m.value('pod') or 'the pod'}, "
            "so the pod stays Pending: the stack trace's frames name the plugin (e.g. "
            "kubernetes#138882, the DRA allocator on allocationMode All with devices that "
            "consume counters, fixed by PR #138885)")


def _d_sched_score_bug(m: Match) -> str:
    return (": Score fails for a pod whose claims are partly allocated already "
            "(kubernetes#139016): meanwhile do not mix a shared multi-node claim with "
            "per-pod claims in one pod")


def _d_nvidia_driver_root_check(m: Match) -> str:
    return (": its startup check does not find the GPU driver (nvidia-smi, "
            "the NVML library) under NVIDIA_DRIVER_ROOT; install the GPU driver on the "
            "node or set the Helm value nvidiaDriverRoot to where it is installed")


def _d_driver_prepare_inner(m: Match) -> str:
    """What the inner error of the driver's prepare path says (_dra.messages
    driver-prepare-inner): which callee failed, and what it means."""
    if m.value("cpus"):
        return (": the DRA CPU driver's shared pool holds fewer free CPUs than the claim "
                "asks (dra-driver-cpu, TakeByTopologyNUMAPacked); an empty pool is what the "
                "kubelet's cpuManagerPolicy: static leaves it, since the kubelet then owns "
                "every non-reserved CPU: run the node's kubelet with cpuManagerPolicy none, or "
                "a driver release that prepares without a cpuset on an empty pool (84fa2d3), "
                "or lower the claim's CPUs")
    if m.value("nvml"):
        return (f": NVML cannot find the allocated GPU by its UUID ({m.value('nvmlret')}) "
                "while the plugin writes the claim's CDI spec: the GPU is bound to another "
                "driver (vfio-pci after a VM passthrough, which NVIDIA's plugin tolerates "
                "from 193f8b62, after v0.4.1), gone from the bus, or replaced; check "
                "lspci -nnk -s <PCI address> and nvidia-smi -L on the node")
    if m.value("checkpoint"):
        return (": the GPU plugin's checkpoint holds this claim as started but never "
                "completed (PrepareStarted), so its unprepare skipped the devices; v25.8 "
                "releases wrote that state over a prepared claim on a repeated prepare "
                "(fixed by b9e47624, v25.12.0): upgrade the driver, and check the node's "
                "devices are free (nvidia-smi, the checkpoint under the plugin's state dir)")
    return ""


def _d_driver_path_permission_denied(m: Match) -> str:
    return f" (refused: {m.value('path')})" if m.value("path") else ""


def _d_slice_publish_rejected(m: Match) -> str:
    return (": the apiserver refuses the ResourceSlice the driver writes (the field errors "
            "after 'is invalid' say which), so none of the node's devices is published; "
            "this is a driver bug or a setting the devices do not support (a feature gate "
            "for hardware without it, an attribute value the API rejects): upgrade the "
            "driver or turn that setting off")


def _d_driver_device_not_allocatable(m: Match) -> str:
    return (f": the driver does not know the allocated device {m.value('device')} (not one "
            "it publishes on this node)")


def _d_kai_accounting_impossible(m: Match) -> str:
    return (f": KAI refuses a pod that requests no {m.value('resource') or 'such resource'} "
            "for lack of it, so its count of what the node uses is wrong (a shared claim's "
            "device counted once per pod in KAI before v0.17's fix): upgrade KAI; "
            "meanwhile restarting the scheduler recounts")


def _d_critical_priority_quota(m: Match) -> str:
    return (": the driver's kubelet-plugin pods ask for a critical priority class the "
            "namespace's quota admission does not allow, so the DaemonSet creates none "
            "and no node runs the driver")


def _d_driver_pods_forbidden(m: Match) -> str:
    # the apiserver's admission refusal names the DaemonSet's generateName, "<daemonset>-"
    return (f": the apiserver refuses the DRA driver's pods ({m.value('prefix')}...): "
            f"{_clip(m.value('reason'), 200)}; its DaemonSet creates none, so no node runs the "
            "driver's kubelet plugin")


def _d_runtime_cdi_mount_source_missing(m: Match) -> str:
    path = m.value("path")
    return (f": the runtime cannot bind-mount {path}, which does not exist on the node; the "
            "mount comes from a CDI spec's containerEdits (containerd creates a pod volume's "
            "missing hostPath itself), typically written for another driver root than the "
            "host's")


def _d_sched_prebind_plugin(m: Match) -> str:
    return (f": the scheduler plugin {m.value('plugin')} failed in PreBind, after the "
            "pod had a node")


def _d_nvidia_device_enumeration(m: Match) -> str:
    query, ret = m.value("query"), (m.value("ret") or "").strip()
    said = (f"; NVML's {query} query for device {m.value('device')} answered '{ret}'"
            if query else "")
    # v25.3.0..v25.12.0 getGpuInfo fails on ERROR_NOT_SUPPORTED from GetMemoryInfo; v0.4.1
    # nvlib.go:478-486 ignores it (PR #1121, unified-memory GB10)
    if query and query.lower() == "memory info" and ret.lower().startswith("not supported"):
        said += (" (a unified-memory GPU such as GB10 has no framebuffer memory to report; "
                 "releases before v0.4.0 treat that as fatal)")
    return (": NVIDIA's kubelet plugin failed to enumerate the node's devices at start, which "
            "it does before it registers with the kubelet and publishes, so it exits: the node "
            "gets no ResourceSlice from it and the driver is not registered there (the pod "
            f"crash-loops){said}")


def _d_qat_pf_setup_failed(m: Match) -> str:
    device, err = m.value("device"), (m.value("err") or m.value("err2") or "").strip()
    what = (f"enable SR-IOV VFs on the QAT PF device {device}" if device
            else "find the node's QAT PF devices")
    # EnableVFs writes sriov_totalvfs into sriov_numvfs first (pkg/qat/device/device.go:459)
    said = ""
    if "sriov_numvfs" in err and "read-only file system" in err.lower():
        said = (" (the kernel refused the write to the PF's sriov_numvfs: read-only file "
                "system, the case Intel's chart README answers by reloading the QAT kernel "
                "driver)")
    elif err:
        said = f" ({_clip(err, 160)})"
    return (f": Intel's QAT kubelet plugin could not {what}{said}, which it does at start "
            "before it registers with the kubelet and publishes, so it exits: the driver is "
            "not registered on that node and the node gets no QAT ResourceSlice (the pod "
            "crash-loops)")


def _d_plugin_registrar_failed(m: Match) -> str:
    where = m.value("socket")
    return (": its kubelet plugin could not create its registration socket"
            f"{' ' + where if where else ''} in the kubelet's plugins_registry directory, "
            "so it exits before the kubelet sees it")


def _d_nvidia_mps_daemon(m: Match) -> str:
    return (": the GPU driver cannot start the claim's MPS control daemon (a Deployment "
            "it creates in its own namespace for MPS sharing), so the claim is not prepared")


def _d_driver_crd_unknown_field(m: Match) -> str:
    return (f": the apiserver drops {m.value('field') or 'fields'} from what the driver "
            "writes (client-go's 'unknown field' warning): the installed CRD is older than "
            "the driver")


def _d_driver_crd_status_invalid(m: Match) -> str:
    what = ".".join(x for x in (m.value("kind"), m.value("group")) if x)
    return (f": the apiserver refuses the driver's status write on {what or 'its custom resource'}"
            f"{' ' + repr(m.value('name')) if m.value('name') else ''} (the field errors "
            "after 'is invalid' name the status fields the installed CRD rejects), so the "
            "driver cannot record its state")


def _d_runtime_cdi_host_device(m: Match) -> str:
    path = m.value("path")
    found = (f"a device node {path} that the runtime does not find on the host" if path
             else "a device node whose type on the host is not the type the spec says")
    return (f": the CDI spec names {found}, so it cannot create the container (the "
            "claim itself was prepared)")


def _d_kubelet_claim_info_missing(m: Match) -> str:
    return (": here the kubelet's own claim cache, not the driver, fails while preparing "
            "the pod's claims (kubernetes#135901: a pod that adds a claim to one another pod "
            "already prepared): upgrade the kubelet to a release with #135919 (1.34 and 1.35 "
            "backports); meanwhile give the pods the same set of claims")


def _d_driver_unprepare_error(m: Match) -> str:
    return (": here the driver's kubelet plugin fails NodeUnprepareResources, so the pod "
            "cannot finish terminating until it succeeds; the error after 'unpreparing "
            "devices for claim' is the driver's (an object it needs already deleted, a "
            "device it cannot reset): restore what it names or fix the driver")


def _d_driver_state_version_skew(m: Match) -> str:
    step = "NodeUnprepareResources" if "unprepar" in m.message.lower() else \
        "NodePrepareResources and NodeUnprepareResources" if "checksum" in m.message else \
        "NodePrepareResources"
    return (f": here the plugin fails {step} because it cannot read what another release of "
            "the driver wrote (the claim's opaque config strictly decoded, or its checkpoint "
            "file): the running driver is older or newer than the one that prepared the claim. "
            "Run the release that prepared it (or one that reads both: the driver's release "
            "notes), then upgrade in the supported order; until unprepare succeeds the pod stays "
            "Terminating")


def _d_kubelet_unprepare_failed(m: Match) -> str:
    return (": here the kubelet cannot unprepare the pod's claims, so the pod cannot "
            "finish terminating; the error after 'unprepare dynamic resources:' is the "
            "kubelet's (a driver that is gone or failed, a claim it cannot resolve), not "
            "a scheduling problem")


def _d_kubelet_plugin_unusable(m: Match) -> str:
    driver = f" {m.value('driver')}" if m.value("driver") else ""
    if "supported" not in m.message:
        return f" (driver{driver})" if driver else ""
    # the kubelet compares the gRPC services the plugin lists at registration with its own
    # (v1.37.2 pkg/kubelet/cm/dra/plugin/dra_plugin_manager.go validateSupportedServices)
    return (f": here the plugin{driver} runs, but the kubelet refuses its registration: it "
            "offers none of the DRA gRPC services (API versions) this kubelet speaks, a driver "
            "release built for another Kubernetes version; run a driver release that supports "
            "this kubelet's version, or upgrade the kubelet")


def _d_driver_device_already_prepared(m: Match) -> str:
    device, other = m.value("device") or "the device", m.value("other") or "another claim"
    if "conflicting configuration" in m.message:
        return (f": {device} is shared (consumable shares) with claim {other}, prepared with "
                "another opaque config; claims that share a GPU must carry the same config: "
                "align the claims' spec.devices.config, or let them use different GPUs")
    return (f": the plugin's checkpoint holds {device} still prepared for claim UID {other}, "
            "so two claims got one device: a pod force-deleted before its claim was "
            "unprepared, or a scheduler race (kubernetes#136269); find the claim with that UID "
            "and its pods (kubectl get resourceclaims -A -o custom-columns=NS:.metadata."
            "namespace,NAME:.metadata.name,UID:.metadata.uid,RESERVED:.status.reservedFor)")


def _d_driver_webhook_config_invalid(m: Match) -> str:
    # the driver's own sharing gates (_dra/messages.py nvidia-sharing-gate-disabled)
    if not BY_KEY["nvidia-sharing-gate-disabled"].regex.search(m.message):
        return ""
    return (": the driver refuses the TimeSlicing / MPS sharing strategy because its own "
            "feature gate for it is off; enable it in the driver's Helm values (featureGates: "
            "{TimeSlicingSettings: true} or {MPSSupport: true}, helm upgrade) or drop the "
            "sharing strategy from the opaque config")


# pattern key -> what its own words add to the finding
def _d_webhook_denies_claims(m: Match) -> str:
    return f": the webhook {m.value('webhook')} refuses them (not a DRA component)"


_DETAIL: dict[str, Callable[[Match], str]] = {
    "webhook-denies-claims": _d_webhook_denies_claims,
    "driver-webhook-config-invalid": _d_driver_webhook_config_invalid,
    "sched-allocated-elsewhere": _d_sched_allocated_elsewhere,
    "sched-panic": _d_sched_panic,
    "sched-score-bug": _d_sched_score_bug,
    "nvidia-driver-root-check": _d_nvidia_driver_root_check,
    "slice-publish-rejected": _d_slice_publish_rejected,
    "driver-path-permission-denied": _d_driver_path_permission_denied,
    "driver-prepare-inner": _d_driver_prepare_inner,
    "driver-device-not-allocatable": _d_driver_device_not_allocatable,
    "kai-accounting-impossible": _d_kai_accounting_impossible,
    "critical-priority-quota": _d_critical_priority_quota,
    "driver-pods-forbidden": _d_driver_pods_forbidden,
    "runtime-cdi-mount-source-missing": _d_runtime_cdi_mount_source_missing,
    "sched-prebind-plugin": _d_sched_prebind_plugin,
    "plugin-registrar-failed": _d_plugin_registrar_failed,
    "qat-pf-setup-failed": _d_qat_pf_setup_failed,
    "nvidia-device-enumeration": _d_nvidia_device_enumeration,
    "nvidia-mps-daemon": _d_nvidia_mps_daemon,
    "driver-crd-unknown-field": _d_driver_crd_unknown_field,
    "driver-crd-status-invalid": _d_driver_crd_status_invalid,
    "runtime-cdi-host-device": _d_runtime_cdi_host_device,
    "kubelet-claim-info-missing": _d_kubelet_claim_info_missing,
    "driver-unprepare-error": _d_driver_unprepare_error,
    "driver-state-version-skew": _d_driver_state_version_skew,
    "kubelet-unprepare-failed": _d_kubelet_unprepare_failed,
    "kubelet-plugin-unusable": _d_kubelet_plugin_unusable,
    "driver-device-already-prepared": _d_driver_device_already_prepared,
}


def _detail(cause: str, m: Match) -> str:
    if m.pattern.key in _DETAIL:
        return _DETAIL[m.pattern.key](m)
    if m.pattern.key == "sched-being-allocated":
        claim = m.value("claim") or "the claim"
        if cause == "scheduler_plugin_error":
            return (f": {claim} has stayed 'in the process of being allocated' for "
                    f"{STUCK_RETRIES}+ scheduling attempts, so the in-flight allocation another "
                    "pod started never completes (pods of a gang sharing one claim hit this "
                    "before the fix in kubernetes PR #137647; meanwhile give each pod its own "
                    "claim)")
        return (f": another pod that shares {claim} is being scheduled right now; this "
                "normally clears within seconds")
    if cause == "device_class_missing" and m.value("cls"):
        return f" ({m.value('cls')})"
    if cause == "driver_not_registered" and m.value("driver"):
        return f" (driver {m.value('driver')})"
    if cause == "kueue_class_unmapped" and m.value("cls"):
        return f" ({m.value('cls')})"
    return ""


def _clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
