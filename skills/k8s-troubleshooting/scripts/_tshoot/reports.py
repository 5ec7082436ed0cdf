"""One reported message -> what it establishes (cause, weight, evidence line).

`classify(text)` reads one message as a component printed it: a FailedScheduling event or
PodScheduled condition, a kubelet event, a container state, a node condition or taint, or a
line a user pasted. It is the evidence layer: what the responsible component *said*. Inference
from specs lives elsewhere and never overrides what is decided here.

Weights order the reports about one subject (a pod or a node): the kubelet's verdicts on a
scheduled pod outrank the scheduler's older ones, a liveness kill outranks the crash loop it
causes, an OOM kill outranks the exit code 137 it produces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit import fatal_log, invalid_errors
from k8s_skillkit.admission_denials import refusals
from k8s_skillkit.get_table import ADMISSION_REASON

from _tshoot import cni_teardown, csi_lifecycle, eviction_manager, handler_teardown
from _tshoot import karpenter_zones
from _tshoot import gpu as gpu_logs
from _tshoot import kubeletmsg as km
from _tshoot import schedmsg as sm
from _tshoot import terminating as term
from _tshoot.runtime_down import OWN_REASON, runtime_down

WEIGHT = {"no_nodes": 100, "node_not_ready": 100, "node_pressure": 95, "dra_claim": 90, "gpu_pressure": 85,
          "oom_killed": 80, "probe_failing:liveness": 75, "run_as_non_root": 72,
          "kubelet_admission_rejected": 74, "admission_refused": 71, "spec_invalid": 71, "config_missing": 70,
          "image_pull": 65, "container_start_failed": 62, "sandbox_failed": 60, "mount_failed": 55, "evicted": 50,
          "deadline_exceeded": 48, "stuck_terminating": 45, "scheduler": 40, "rollout_stuck": 35, "pvc_pending": 40, "crash_loop": 30,
          "job_failed": 25, "probe_failing": 20, "gpu_not_advertised": 64,
          "eviction_blocked_pdb": 52}
# a GPU fault that is not memory pressure ranks as the GPU finding it replaces
WEIGHT.update({c: WEIGHT["gpu_pressure"] for c in ("gpu_xid_hardware", "gpu_device_access_lost",
                                                  "gpu_driver_mismatch", "gpu_driver_build_failed",
                                                  "gpu_fabric_manager_not_running",
                                                  "gpu_libraries_not_visible")})
NODE_CAUSES = ("node_not_ready", "node_pressure")


def cause_weight(cause: str) -> int:
    """How decisive a finding of this cause is when findings from a paste are ranked."""
    return WEIGHT.get(cause, WEIGHT["scheduler"])


@dataclass
class Report:
    cause: str
    quote: str                     # the message, as printed
    weight: int
    detail: dict = field(default_factory=dict)
    scheduler: bool = False        # from the scheduler (FailedScheduling / PodScheduled)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def classify(text: str) -> Report | None:
    """What one message reports, or None when it reports no failure."""
    if not text or not text.strip():
        return None
    text = text.replace("''", "'")
    for check in (_scheduler, _placement, _karpenter_zone, _dra, _pdb_blocked, _gpu, _oom,
                  _probe, _admission, _invalid, _kubelet_admit, _non_root, _runtime_down,
                  _config, _pull, _sandbox, _mount, _evicted, _node_down, _node_pressure,
                  _terminating, _pvc, _rollout, _crash, _start_failed, _deadline, _job_failed,
                  _zero_gpus, _plugin_not_registered, _gpu_stack):
        found = check(text)
        if found:
            return found
    return None


def _scheduler(text: str) -> Report | None:
    msg = sm.parse(text)
    if not msg:
        return None
    cat, reason = sm.verdict(msg)
    cause = sm.CAUSE.get(cat, "unschedulable_other")
    detail = {"category": cat, "reason": reason, "message": msg, "era": msg.era,
              "taint_keys": sm.taint_keys(msg), "resources": sm.resources(msg)}
    return Report(cause, _short(msg.text, 400), WEIGHT["scheduler"], detail, scheduler=True)


# The DaemonSet controller placed its own pods up to 1.11 (1.12-1.16 with the
# ScheduleDaemonSetPods gate off): a node failing the scheduler's predicates got no pod and a
# FailedPlacement event on the DaemonSet, "failed to place pod on NODE: <predicate reason>"
# (v1.3.0 pkg/controller/daemon/controller.go "host port conflict"; v1.11.0
# pkg/controller/daemon/daemon_controller.go: InsufficientResourceError.Error() or
# PredicateFailureError.GetReason()). The reason is the scheduler's vocabulary: read as one.
_PLACEMENT = re.compile(r"failed to place pod on \"?([^\":\s]+)\"?:\s*(.+)", re.I | re.S)


def _placement(text: str) -> Report | None:
    m = _PLACEMENT.search(text)
    if not m:
        return None
    # the reason ends where the event's message does: a resource error's last number, or the
    # predicate's phrase (a row's closing fence, quote or the next row's fields are not in it)
    reason = re.match(r"Node didn't have enough resource: [^,]+, requested: \d+, used: \d+, "
                      r"capacity: \d+|[^`\"\n]+?(?=\s+\d{4}-\d\d-\d\dT|\s*$|[`\"])",
                      m.group(2).strip(), re.I)
    reason = reason.group(0).strip() if reason else m.group(2).strip()
    cat = sm.category(reason)
    detail = {"category": cat, "reason": reason, "placement": m.group(1), "taint_keys": [],
              "resources": [r for r in [sm.placement_resource(reason)] if r]}
    return Report(sm.CAUSE.get(cat, "unschedulable_other"), _short(text), WEIGHT["scheduler"],
                  detail, scheduler=True)


def _karpenter_zone(text: str) -> Report | None:
    # Karpenter's requirements with an empty zone set: the pod's volumes' zones (inferred,
    # _tshoot/karpenter_zones.py)
    said = karpenter_zones.detail(text)
    if said:
        # quoted from Karpenter's "no instance type satisfied" to the empty zone requirement
        return Report("volume_node_affinity", _short(said["said"], 400), WEIGHT["scheduler"],
                      said)
    return None


def _dra(text: str) -> Report | None:
    if km.DRA_WAIT.search(text):
        return Report("dra_claim", _short(text), WEIGHT["dra_claim"], scheduler=True)
    return None


# a GPU fault that is not memory pressure has its own cause (explain_gpu_failure's ids)
_FAULT_CAUSE = {"lost": "gpu_xid_hardware", "ecc": "gpu_xid_hardware",
                "device_access": "gpu_device_access_lost", "driver_mismatch": "gpu_driver_mismatch",
                "driver_absent": "gpu_driver_mismatch", "driver_build": "gpu_driver_build_failed",
                "driver_load": "gpu_driver_mismatch",
                "driver_too_old": "gpu_driver_mismatch",
                "fabric_not_ready": "gpu_fabric_manager_not_running",
                "libs_not_visible": "gpu_libraries_not_visible"}


def _gpu(text: str) -> Report | None:
    if km.GPU.search(text) or gpu_logs.DRIVER_ABSENT.search(text) or \
            gpu_logs.DRIVER_BUILD.search(text) or gpu_logs.DRIVER_LOAD.search(text) or \
            gpu_logs.FABRIC_NOT_READY.search(text) or gpu_logs.LIBS_NOT_VISIBLE.search(text) \
            or gpu_logs.NVLS_BIND.search(text) \
            or gpu_logs.DRIVER_TOO_OLD.search(text) or gpu_logs.DRIVER_SYMBOL.search(text):
        xid = re.search(r"Xid\s*(?:\([^)]*\))?\s*:?\s*(\d+)", text, re.I)
        fault = gpu_fault(text)
        # an NVML error a GPU-stack component reports (gpu-feature-discovery, the device
        # plugin) names its own cause, more than "a GPU message"
        stack = None if xid or fault in _FAULT_CAUSE else _gpu_stack(text)
        if stack:
            return stack
        cause = "gpu_pressure" if xid else _FAULT_CAUSE.get(fault, "gpu_pressure")
        return Report(cause, _short(text), WEIGHT["gpu_pressure"],
                      {"xid": int(xid.group(1)) if xid else None, "fault": fault})
    return None


# faults of the GPU stack's own components that explain_gpu_failure.py reads from one line
# (the device plugin, the GPU Operator's validator, the NVIDIA container toolkit, AMD's plugin;
# gpu.py cites each wording, references/catalogue/gpu.yaml lists them): the same cause here,
# the fix there
_GPU_STACK = (("plugin_register", "gpu_not_advertised"), ("plugin_mig", "gpu_not_advertised"),
              ("plugin_start", "gpu_not_advertised"), ("plugin_no_devices", "gpu_not_advertised"),
              ("plugin_watcher", "gpu_not_advertised"),
              ("plugin_prestart", "container_start_failed"),
              ("validator_no_gpu", "gpu_not_advertised"), ("amd_partitions", "gpu_not_advertised"),
              ("operator_no_gpu_nodes", "gpu_not_advertised"),
              ("amd_driver_absent", "gpu_driver_mismatch"),
              ("driver_install_disabled", "gpu_driver_mismatch"),
              ("discovery_no_permission", "gpu_not_advertised"),
              ("driver_in_use", "gpu_driver_mismatch"), ("driver_validation", "gpu_driver_mismatch"),
              ("toolkit_validation", "gpu_libraries_not_visible"),
              ("cdi_unresolved", "container_start_failed"),
              ("low_level_runtime", "container_start_failed"),
              ("hook_direct", "container_start_failed"),
              ("host_glibc", "container_start_failed"),
              ("shared_request", "kubelet_admission_rejected"),
              ("plugin_unknown_device", "kubelet_admission_rejected"),
              ("plugin_preferred", "kubelet_admission_rejected"),
              ("plugin_unhealthy", "gpu_xid_hardware"),
              ("toolkit_runtime", "nvidia_runtime_not_default"))


def _gpu_stack(text: str) -> Report | None:
    report = gpu_logs.read(text)
    for name, cause in _GPU_STACK:
        if getattr(report, name):
            return Report(cause, _short(text), cause_weight(cause), {"gpu_stack": name})
    return None


def gpu_fault(text: str) -> str:
    """A GPU message that is not an out-of-memory, in explain_gpu_failure's terms (gpu.py
    cites each wording): the GPU lost or its memory faulty, the container's device access
    lost, the driver mismatched, NCCL's collective failing, a CUDA error that is not memory;
    "" for a CUDA out-of-memory and the rest (application Xids)."""
    report = gpu_logs.read(text)
    if report.gpu_lost or report.gpu_init_failed or any(x == 79 for _, x, _ in report.xids):
        return "lost"
    if report.ecc:
        return "ecc"
    if report.nvml_lost:
        return "device_access"
    if report.nvml_mismatch:
        return "driver_mismatch"
    if report.driver_build or report.driver_cc:
        return "driver_build"
    if report.driver_load:
        return "driver_load"
    if report.driver_absent:
        return "driver_absent"
    if report.fabric_not_ready or report.nvls_bind:  # NCCL names the Fabric Manager
        return "fabric_not_ready"
    if report.libs_not_visible:
        return "libs_not_visible"
    if report.driver_too_old or report.driver_symbol:
        return "driver_too_old"
    if report.cuda_oom:
        return ""
    if report.nccl_net or report.nccl_shm or report.timeouts or report.nccl:
        return "nccl"
    if re.search(r"CUDA error|CUBLAS_STATUS_(?!ALLOC_FAILED)", text):
        return "cuda_error"
    return ""


def _oom(text: str) -> Report | None:
    if re.search(r"(?<!not )(?<!no )\bOOMKilled\b", text) and not re.search(
            r"OOMKilled\W*(is|:|=)?\s*false", text, re.I):
        return Report("oom_killed", _short(text), WEIGHT["oom_killed"])
    return None


def _probe(text: str) -> Report | None:
    m = km.PROBE.search(text)
    if not m:
        prose = km.PROBE_PROSE.search(text)
        if prose:
            kind = prose.group(1).lower()
            return Report("probe_failing", _short(text), WEIGHT["probe_failing"] - 5,
                          {"probe": kind, "prose": True})
        return None
    kind = next(g for g in m.groups() if g).lower()
    key = "probe_failing:liveness" if kind in ("liveness", "startup") else "probe_failing"
    detail = {"probe": kind, **({"errored": True} if "errored" in m.group(0).lower() else {})}
    if _BGP_DOWN.search(text):
        detail["bgp"] = True
    return Report("probe_failing", _short(text), WEIGHT[key], detail)


# calico-node's readiness probe (calico-node -bird-ready -felix-ready) failing on its BGP daemon:
# "calico/node is not ready: BIRD is not ready: BGP not established with <peers>" (Calico
# confd/health.go: "Number of node(s) with BGP peering established = 0"); on hosts with two
# NICs Calico's first-found IP autodetection picks the wrong one (projectcalico/calico#3541)
_BGP_DOWN = re.compile(r"BIRD is not ready|BGP not established with", re.I)


def _admission(text: str) -> Report | None:
    """An admission plugin refused the pods a controller tried to create (its FailedCreate
    event, a ReplicaFailure condition): ResourceQuota, LimitRange, Pod Security, PSP, a
    webhook. The cause ids are the k8s-rbac skill's (references/causes.md)."""
    found = refusals(text)
    if not found:
        return None
    first = found[0]
    return Report(first.cause, _short(text, 400), WEIGHT["admission_refused"],
                  {"admission": True, "refusal": first,
                   "also_refused": [r.cause for r in found[1:] if r.cause != first.cause]})


def _invalid(text: str) -> Report | None:
    """The API server refused an object that fails validation: a `kubectl apply` output, or
    the FailedCreate event of a controller whose pods it refuses (a LimitRange's default limit
    below the template's request gives `Pod "x" is invalid: ... must be less than or equal to
    cpu limit`). Read like an admission refusal: nothing is created until the spec changes."""
    found = invalid_errors.parse(text)
    if not found:
        return None
    return Report("spec_invalid", _short(found.quote, 400), WEIGHT["spec_invalid"],
                  {"admission": True, "invalid": found})


def admission_refusal(reason: str) -> Report | None:
    """A pod's status.reason alone (a `kubectl get pods` STATUS) that is the kubelet's
    admission refusal (k8s_skillkit.get_table.ADMISSION_REASON)."""
    if not ADMISSION_REASON.fullmatch(reason or ""):
        return None
    return Report("kubelet_admission_rejected", reason,
                  WEIGHT["kubelet_admission_rejected"],
                  {"resource": reason[len("OutOf"):] if reason.startswith("OutOf") else "",
                   "devices": reason == "UnexpectedAdmissionError"})


def _kubelet_admit(text: str) -> Report | None:
    """The node's kubelet refused a pod placed on it (pod Failed, reason OutOf<resource>,
    NodeAffinity, UnexpectedAdmissionError, TopologyAffinityError)."""
    m = km.KUBELET_ADMIT.search(text)
    if not m:
        return None
    resource = re.search(r"enough resource: ([\w./-]+)|\bOutOf([\w./-]+)", text)
    if re.search(r"shutting down", text, re.I):
        return Report("kubelet_admission_rejected", _short(text),
                      WEIGHT["kubelet_admission_rejected"], {"shutdown": True})
    if re.search(r"\bSMT ?Alignment ?Error\b", text, re.I):
        return Report("kubelet_admission_rejected", _short(text),
                      WEIGHT["kubelet_admission_rejected"], {"smt": True})
    return Report("kubelet_admission_rejected", _short(text), _admit_weight(text),
                  {"resource": next((g for g in resource.groups() if g), "") if resource else "",
                   "devices": bool(re.search(r"devices? unavailable|UnexpectedAdmissionError"
                                             r"|Allocate failed|plugin resources", text, re.I))})


# The device manager finding fewer healthy devices than the pod needs (v1.37.2 pkg/kubelet/cm/
# devicemanager/manager.go:704 "requested number of devices unavailable for %s. Requested: %d,
# Available: %d", inside admission/errors.go:41 "Allocate failed due to %v, which is
# unexpected") says only that the device plugin serves too few: a consequence. A pod that
# cannot get its containers created or its volumes set up in the same paste (the device
# plugin's, the driver's) is the fault before it (NVIDIA/gpu-operator#246: the driver pod's
# volume never set up, GPU pods then refused), so the refusal ranks below those.
_DEVICES_SHORT = re.compile(r"requested number of devices unavailable for", re.I)


def _admit_weight(text: str) -> int:
    if _DEVICES_SHORT.search(text):
        return WEIGHT["mount_failed"] - 1
    return WEIGHT["kubelet_admission_rejected"]


def _non_root(text: str) -> Report | None:
    m = km.NON_ROOT.search(text)
    if not m:
        return None
    return Report("run_as_non_root", _short(text), WEIGHT["run_as_non_root"],
                  {"image_user": m.group(1) or "", "run_as_user": "runAsUser" in m.group(0)})


def _config(text: str) -> Report | None:
    found = km.config_missing(text)
    if found:
        return Report("config_missing", _short(text), WEIGHT["config_missing"], found)
    if re.search(r"CreateContainerConfigError", text) and not km.SUBPATH.search(text):
        return Report("config_missing", _short(text), WEIGHT["config_missing"] - 5, {})
    return None


# the kubelet's own log lines as well as its events: `Pull image "I" failed: ERR` (glog/klog,
# kuberuntime_image.go 1.6-1.2x), the CRI client's `PullImage "I" from image service failed`
# and the structured `"PullImage from image service failed"` (k8s.io/cri-client v0.37.2
# pkg/remote_image.go; aws/amazon-vpc-cni-k8s#708). A registry's rate limit reads
# "toomanyrequests: MSG" (docker/distribution v2.8.3 registry/api/errcode/errors.go:117 "%s: %s"
# of the lower-cased code TOOMANYREQUESTS, register.go:70); a bare TooManyRequests is the
# apiserver's 429 Status reason (an eviction a PodDisruptionBudget refuses, throttling), no pull
_PULL_LINE = re.compile(r"failed to pull image|pull image \"[^\"]+\" failed|pullimage(?: \"[^\"]+\")? "
                        r"from image service failed|errimagepull|imagepullbackoff|back-off pulling "
                        r"image|invalidimagename|errimageneverpull|image pull failed|pull access "
                        r"denied|manifest unknown|toomanyrequests:|trying and failing to pull|is not present "
                        r"with pull policy of never|failed to apply default image tag|failed to "
                        r"inspect image|imageinspecterror"
                        # the runtime's request to the registry's v2 API that failed, pasted
                        # without the kubelet's frame: containerd's resolver (remotes/docker/
                        # resolver.go, v1.2-v1.4 errors.Wrap(err, "failed to do request"); the
                        # URL quoted by Go 1.14+) for a manifest or blob (containerd/cri#1333:
                        # crictl pull, x509), and the docker daemon's registry ping `Get
                        # https://HOST/v2/: ERR` (kubernetes/minikube#3721, #12944)
                        r"|failed to do request: [a-z]+ \"?https?://[^/\s\"]+/v2/[^\s\"]*/"
                        r"(?:manifests|blobs)/|\b(?:get|head) \"?https?://[^/\s\"]+/v2/\"?: "
                        # containerd's CRI pull and its resolver, quoted without the kubelet's
                        # "Failed to pull image" (containerd internal/cri/server/images/
                        # image_pull.go@v2.3.4:282 "failed to pull and unpack image %q: %w";
                        # client/pull.go@v2.3.4:198 "failed to resolve reference %q: %w")
                        r"|failed to pull and unpack image|failed to resolve reference \S+: ",
                        re.I)


def _pull(text: str) -> Report | None:
    if not _PULL_LINE.search(text):
        return None
    image = re.search(r"(?:pull(?:ing)?(?: and unpack)? ?image|Back-off pulling image|resolve "
                      r"reference)\s+\"([^\"]+)\"", text, re.I)
    return Report("image_pull", _short(text), WEIGHT["image_pull"],
                  {"kind": km.pull_kind(text), "image": image.group(1) if image else ""})


def _sandbox(text: str) -> Report | None:
    torn = cni_teardown.detail(text)  # the CNI DEL fails when the sandbox is stopped
    if torn:
        return Report("sandbox_failed", _short(text), WEIGHT["sandbox_failed"], torn)
    handler = km.NO_RUNTIME_HANDLER.search(text)
    if handler:
        crio = handler.group("crio")
        if handler_teardown.TEARDOWN.search(text):  # stopping a sandbox whose handler went
            return Report("stuck_terminating", _short(text), WEIGHT["stuck_terminating"],
                          {"message_fix": handler_teardown.message_fix(
                              crio or handler.group("handler"), "CRI-O" if crio else "containerd")})
        return Report("sandbox_failed", _short(text), WEIGHT["sandbox_failed"] + 1,
                      {"handler": crio or handler.group("handler"),
                       "runtime": "CRI-O" if crio else "containerd"})
    if km.IPAMD_NO_IPS.search(text):
        return Report("sandbox_failed", _short(text), WEIGHT["sandbox_failed"],
                      {"ipam": "aws_no_ips"})
    if km.SANDBOX.search(text):
        reserved = re.search(km.SANDBOX_NAME_RESERVED, text, re.I)
        nad = km.MULTUS_NO_NAD.search(text)
        return Report("sandbox_failed", _short(text), WEIGHT["sandbox_failed"],
                      {"runtime_busy": True} if reserved else
                      {"nad": nad.group("name"), "nad_ns": nad.group("ns")} if nad else {})
    return None


def _mount(text: str) -> Report | None:
    # (a claim not bound is the claim's fault, not the mount's: _PVC reads it)
    lifecycle = csi_lifecycle.detail(text)  # the CSIDriver refuses the volume's mode
    if lifecycle:
        return Report("mount_failed", _short(text), WEIGHT["mount_failed"], lifecycle)
    if not km.MOUNT.search(text) or _PVC_NOT_BOUND.search(text):
        return None
    # the kubelet's MountVolume step fails (FailedMount, the pod stays ContainerCreating on its
    # node); the PV nodeAffinity check is the scheduler's volume_node_affinity met too late,
    # kept mount_failed so the pod-and-events readers (pods.py) report it
    missing = km.MOUNT_PATH_MISSING.search(text)
    unregistered = km.CSI_UNREGISTERED.search(text)
    detail = ({"volume_affinity": True} if km.MOUNT_NODE_AFFINITY.search(text) else
              {"missing_path": missing.group(1)} if missing else
              {"csi_unregistered": (unregistered.group(1) or unregistered.group(2)).strip(
                  ".,;:'\"")} if unregistered else
              {"subpath": True} if km.SUBPATH.search(text) else
              {"csi_registration": True} if km.CSI_REGISTRATION_FAILED.search(text) else
              {"iscsi_login": True} if km.ISCSI_LOGIN.search(text) else
              {"mount_helper": _fs_type(text)} if km.MOUNT_HELPER.search(text) else {})
    unset = km.VOLUME_NOT_SET_UP.search(text)
    if unset and not detail:
        detail = {"not_set_up": unset.group(1)}
    return Report("mount_failed", _short(text), WEIGHT["mount_failed"], detail)


def _fs_type(text: str) -> str:
    """The network filesystem a failed mount was for: the in-tree plugin's volume directory
    (`volumes/kubernetes.io~nfs/`), mount(8)'s `-t TYPE` in the kubelet's "Mounting arguments",
    else "" (not said)."""
    m = re.search(r"kubernetes\.io~(nfs|cifs|glusterfs|cephfs)\b|(?:^|\s)-t (nfs4?|cifs|smb3|"
                  r"glusterfs|ceph)\b", text)
    return (m.group(1) or m.group(2)) if m else ""


def _evicted(text: str) -> Report | None:
    if km.NODE_SHUTDOWN_KILL.search(text):
        return Report("evicted", _short(text), WEIGHT["evicted"], {"shutdown": True})
    if km.KUBELET_PREEMPTED.search(text):
        return Report("evicted", _short(text), WEIGHT["evicted"], {"critical": True})
    m = km.EVICTED.search(text)
    if m or re.search(r"(?:Reason|reason)[:=]\s*Evicted\b", text):
        resource = next((g for g in m.groups() if g), "") if m else ""
        return Report("evicted", _short(text), WEIGHT["evicted"], {"resource": resource})
    return None


def _runtime_down(text: str) -> Report | None:
    # before the pod-level readers: a runtime that is not running is why the pods pasted with
    # it get no sandbox, runtime handler or container (_tshoot/runtime_down.py)
    said = runtime_down(text)
    if said:
        own = 1 if OWN_REASON.search(said) else 0
        return Report("node_not_ready", _short(text), WEIGHT["node_not_ready"] + own,
                      {"runtime_down": said})
    return None


def _node_down(text: str) -> Report | None:
    if km.NODE_NO_POD_CIDR.search(text):
        return Report("node_not_ready", _short(text), WEIGHT["node_not_ready"],
                      {"pod_cidr": True})
    if km.NODE_DOWN.search(text):
        return Report("node_not_ready", _short(text), WEIGHT["node_not_ready"])
    refused = km.KUBELET_WONT_START.search(text)
    if refused:
        return Report("node_not_ready", _short(text), WEIGHT["node_not_ready"],
                      {"kubelet_exits": refused.group(0)})
    return None


def _node_pressure(text: str) -> Report | None:
    said = eviction_manager.detail(text)  # the kubelet's eviction manager, in its own words
    if said:
        return Report("node_pressure", _short(text), WEIGHT["node_pressure"], said)
    if km.NODE_PRESSURE.search(text) or re.search(
            r"^\s*(DiskPressure|MemoryPressure|PIDPressure)\s+True\b", text):
        return Report("node_pressure", _short(text), WEIGHT["node_pressure"])
    return None


def _terminating(text: str) -> Report | None:
    if term.NAMESPACE_STUCK.search(text):  # the namespace controller's words
        return Report("stuck_terminating", _short(text), WEIGHT["stuck_terminating"],
                      {"ns_blocker": True, "namespace": term.namespace_of_message(text)})
    if km.TERMINATING.search(text):
        return Report("stuck_terminating", _short(text), WEIGHT["stuck_terminating"])
    drained = term.DRAIN_WAIT.search(text)
    if drained:  # kubectl drain's own words: evicted, and not gone by the drain's timeout
        return Report("stuck_terminating", _short(text), WEIGHT["stuck_terminating"],
                      {"drain_pod": drained.group("name"), "drain_ns": drained.group("ns") or "",
                       "drain_err": drained.group("err").strip()})
    if km.LOST_NODE_ROW.search(text.strip()):
        return Report("stuck_terminating", _short(text), WEIGHT["stuck_terminating"],
                      {"lost_node": True})
    return None


# The external-provisioner's ProvisioningFailed on the claim: "failed to provision volume with
# StorageClass %q: %v" up to v5.3 (its vendored sig-storage-lib-external-provisioner
# controller.go); from v6.0 the bare error, and for a gRPC InvalidArgument "Volume provisioning
# failed with infeasible error. Retries will be delayed. %v" (lib v13 controller.go, v6.3.0).
# The ephemeral volume controller's FailedBinding on the pod when a claim of that name exists
# but another owns it (v1.37.2 pkg/controller/volume/ephemeral/controller.go "ephemeral volume
# %s: %v"; k8s.io/component-helpers v0.37.2 storage/ephemeral/ephemeral.go VolumeIsForPod).
_PVC = re.compile(r"no persistent volumes available for this claim|waiting for a volume to be "
                  r"created|storageclass\.storage\.k8s\.io \"[^\"]+\" not found"
                  r"|ProvisioningFailed|FailedBinding|failed to provision volume with "
                  r"storageclass|volume provisioning failed with infeasible error"
                  # the kubelet's volume populator on a claim not yet bound, inside its
                  # "Unable to attach or mount volumes: ..." event (kubernetes v1.37.2
                  # pkg/kubelet/volumemanager/populator/desired_state_of_world_populator.go:550)
                  r"|error processing PVC \S+: PVC is not bound", re.I)
_PVC_NOT_BOUND = re.compile(r"error processing PVC \S+: PVC is not bound", re.I)
_PROVISION_FAILED = re.compile(r"failed to provision volume with storageclass|volume "
                               r"provisioning failed with infeasible error", re.I)
_EPHEMERAL_NOT_OWNER = re.compile(r"PVC \S+ was not created for pod \S+ \(pod is not owner\)",
                                  re.I)
# ... and a CSI driver's controller refusing CreateVolume in its own log (aws-ebs-csi-driver
# pkg/driver/controller.go: "Could not create volume %q: %v", logged as its gRPC error; the
# claim stays Pending: kubernetes-sigs/aws-ebs-csi-driver#440, ec2:DescribeAvailabilityZones
# not allowed to the driver's IAM identity)
_CREATE_VOLUME = re.compile(r"Could\s+not\s+create\s+volume\s+\\?\"pvc-", re.I)
# WaitForFirstConsumer: the node the scheduler picked has no topology keys for the driver in its
# CSINode, i.e. the driver's node plugin is not registered there (external-provisioner v6.3.0
# pkg/controller/topology.go "no topology key found on CSINode %s" / "... for node %s", wrapped
# "error generating accessibility requirements: %v" by controller.go)
_NO_TOPOLOGY_KEY = re.compile(r"no topology key found (?:on CSINode|for node) (\S+)", re.I)
# The external provisioner library's own log line for a claim it cannot provision
# (kubernetes-sigs/sig-storage-lib-external-provisioner controller/controller.go
# provisionClaimOperation, operation "provision %q class %q" + logOperation's ": ": "unexpected
# error getting claim reference: %v", "failed to provision volume: %v", "error getting claim's
# StorageClass's fields: %v", "unknown provisioner %q requested in claim's StorageClass"; the same
# words in its predecessor, the external-storage lib the old nfs-client provisioner is built on)
_LIB_PROVISION = re.compile(r"provision \"(?P<claim>[^\"\s/]+/[^\"\s]+)\" class \"[^\"]*\": "
                            r"(?:unexpected error getting claim reference|failed to provision "
                            r"volume|error getting claim's StorageClass|unknown provisioner)", re.I)
# client-go tools/reference GetReference up to v0.19 built the reference from metadata.selfLink
# (ErrNoSelfLink "selfLink was empty, can't make reference"), which the API server stopped
# filling in 1.20 (KEP-1164, RemoveSelfLink on; the gate locked in 1.24; v0.37.2's ref.go reads
# no selfLink): a provisioner built on such a library cannot provision on 1.20+
# (kubernetes-sigs/nfs-subdir-external-provisioner#25)
_NO_SELFLINK = re.compile(r"selfLink was empty, can't make reference", re.I)


# the deployment controller's Progressing=False condition (pkg/controller/deployment/util/
# deployment_util.go, 1.5..1.37): the rollout stopped; the new pods' own reports say why
_ROLLOUT = re.compile(r"ReplicaSet \S+ has timed out progressing|ProgressDeadlineExceeded")


# The eviction API refusing an eviction a PodDisruptionBudget does not allow (kube-apiserver
# pkg/registry/core/pod/storage/eviction.go@v1.37.2: 429 "Cannot evict pod as it would violate
# the pod's disruption budget.", with a cause "The disruption budget %s needs %d healthy pods and
# has %d currently" or "... does not allow evicting pods currently ..."), as kubectl drain
# retries it (kubectl pkg/drain/drain.go@v0.37.2 "error when evicting pods/%q -n %q (will retry
# after %v): %v"), and the cluster-autoscaler's scale-down refusal for the same budget
# ("not enough pod disruption budget to move %s/%s", its drainability pdb rule)
_PDB_BLOCKED = re.compile(r"Cannot evict pod as it would violate the pod'?s disruption budget"
                          r"|The disruption budget \S+ (?:needs \d+ healthy pods|does not allow "
                          r"evicting pods)|not enough pod disruption budget to move", re.I)
# Two budgets selecting the pod: the eviction subresource refuses with 500 "This pod has more
# than one PodDisruptionBudget, which the eviction subresource does not support." (the same
# words from kubernetes v1.5.0 pkg/registry/core/pod/etcd/eviction.go:92 to v1.37.2
# pkg/registry/core/pod/storage/eviction.go:227); kubectl drain up to 1.1x wrapped it as
# "error when evicting pod %q: %v" (v1.9.0 pkg/kubectl/cmd/drain.go:563)
_PDB_OVERLAP = re.compile(r"more than one PodDisruptionBudget, which the eviction subresource "
                          r"does not support", re.I)
_PDB_POD = re.compile(r"evicting pods/\"([^\"]+)\" -n \"([^\"]+)\"|to move ([\w.-]+)/([\w.-]+)"
                      r"|evicting pod \"([^\"]+)\"")
_PDB_NEEDS = re.compile(r"The disruption budget (\S+) needs (\d+) healthy pods and has (\d+) "
                        r"currently", re.I)


def _pdb_blocked(text: str) -> Report | None:
    overlap = _PDB_OVERLAP.search(text)
    if not overlap and not _PDB_BLOCKED.search(text):
        return None
    needs = _PDB_NEEDS.search(text)
    detail: dict = ({"pdb": needs.group(1), "desired": needs.group(2), "healthy": needs.group(3)}
                    if needs else {"overlap": True} if overlap else {})
    pod = _PDB_POD.search(text)
    if pod:
        name, ns = ((pod.group(1), pod.group(2)) if pod.group(1) else
                    (pod.group(4), pod.group(3)) if pod.group(4) else (pod.group(5), ""))
        detail["pod"] = f"{ns}/{name}" if ns else name
    return Report("eviction_blocked_pdb", _short(text), WEIGHT["eviction_blocked_pdb"], detail)


def _rollout(text: str) -> Report | None:
    if _ROLLOUT.search(text):
        return Report("rollout_stuck", _short(text), WEIGHT["rollout_stuck"])
    return None


# The PV controller's words for a claim that names its volume (spec.volumeName) and cannot have
# it, or whose bound volume is gone (v1.37.2 pkg/controller/volume/persistentvolume/
# pv_controller.go syncUnboundClaim: VolumeMismatch "Cannot bind to requested volume", the
# volumeMode check, FailedBinding "already bound to a different claim"; syncBoundClaim:
# ClaimLost "Bound claim has lost its PersistentVolume")
_PVC_NAMED = re.compile(r"cannot bind to requested volume|to requested persistentvolumeclaim due "
                        r"to incompatible volumemode|already bound to a different claim", re.I)
_PVC_LOST = re.compile(r"bound claim has lost (?:its|reference to) persistentvolume", re.I)


# A CSI sidecar or storage controller whose client-go informer lists a storage.k8s.io version
# the cluster no longer serves (client-go tools/cache/reflector.go "%s: Failed to list %v: %v",
# vendored in kubernetes-csi/external-attacher@v2.0.0:vendor/k8s.io/client-go/tools/cache/
# reflector.go:193, whose controller informs on storage/v1beta1: pkg/controller/controller.go:25;
# the apiserver's NotFound "the server could not find the requested resource"): v1beta1 CSIDriver, CSINode, StorageClass and VolumeAttachment are not served
# from 1.22, v1beta1 CSIStorageCapacity from 1.27 (kubernetes.io/docs/reference/using-api/
# deprecation-guide/). Its informers never sync, so it provisions or attaches nothing: the
# driver's sidecar images predate the cluster (hetznercloud/csi-driver#220: v1.5.3's
# external-attacher / external-provisioner on 1.22, fixed by the manifest with newer sidecars).
_STORAGE_API_GONE = re.compile(r"Failed to (?:list|watch) \*?(?P<version>v\d+(?:alpha|beta)\d+)\."
                               r"(?P<kind>CSINode|CSIDriver|CSIStorageCapacity|VolumeAttachment|"
                               r"StorageClass)\b[^\n]{0,80}?the server could not find the "
                               r"requested resource", re.I)


# A dynamic provisioner whose informer cannot list claims, volumes or classes never sees a
# claim to provision, so every claim of its StorageClass stays Pending. The reflector's words:
# client-go tools/cache/reflector.go "%s: Failed to list %v: %v" (<= v0.19, the reflector's
# name is the caller's file:line - kubernetes-incubator/external-storage lib/controller/
# controller.go, vendored by minikube's storage-provisioner), v0.20+ "%s: failed to list %v: %v"
# and "Failed to watch %v: failed to list %v" (the name then reflector.go's own). The provisioner
# must be named on the line: the external-storage library's path, sig-storage-lib-external-
# provisioner, or a pod/logger named *provisioner. A decode error of the list
# ("v1.PersistentVolumeClaimList: Items: ... readObjectFieldAsBytes", the json-iterator of a
# client-go too old for a 1.18+ server's managedFields: kubernetes/minikube#7218, #8414,
# cetic/fadi#128) is the provisioner's age; anything else (forbidden, a refused connection) its
# access. Another component's failed list (an operator's, the controller manager's) is not this.
_PROVISIONER_BLIND = re.compile(r"Failed to (?:list|watch) \*?(?:\w+\.)?(?P<kind>"
                                r"PersistentVolumeClaim|PersistentVolume|StorageClass)\b:?"
                                r"\s*(?P<why>[^\n]{0,200})", re.I)
_PROVISIONER_NAMED = re.compile(r"external-storage/lib/controller|(?<!controller\.)provisioner",
                                re.I)  # (Karpenter's logger controller.provisioner is not one)
_LIST_DECODE = re.compile(r"\b\w+List: Items: |readObject\w*|ReadObjectCB|json: cannot unmarshal"
                          r"|unmarshalerDecoder", re.I)


def _provisioner_blind(text: str) -> Report | None:
    blind = _PROVISIONER_BLIND.search(text)
    if not blind or not _PROVISIONER_NAMED.search(text):
        return None
    why = blind.group("why").strip()
    return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                  {"binding": "list_decode" if _LIST_DECODE.search(why) else "list_failed",
                   "kind": blind.group("kind")})


def _pvc(text: str) -> Report | None:
    gone = _STORAGE_API_GONE.search(text)
    if gone:
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                      {"binding": "api_removed",
                       "api": f"storage.k8s.io/{gone.group('version')} {gone.group('kind')}"})
    blind = _provisioner_blind(text)
    if blind:
        return blind
    if _PVC_LOST.search(text):
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"], {"binding": "lost"})
    if _PVC_NAMED.search(text):
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"], {"binding": "named"})
    no_key = _NO_TOPOLOGY_KEY.search(text)
    if no_key:
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                      {"binding": "node_plugin", "node": no_key.group(1).strip("\"'.,")})
    lib = _LIB_PROVISION.search(text)
    if lib:
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                      {"binding": "selflink" if _NO_SELFLINK.search(text) else "provisioner",
                       "claim": lib.group("claim")})
    if _CREATE_VOLUME.search(text) or _PROVISION_FAILED.search(text):
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                      {"binding": "provisioner"})
    if _EPHEMERAL_NOT_OWNER.search(text):
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"],
                      {"binding": "ephemeral_owner"})
    if _PVC.search(text):
        return Report("pvc_pending", _short(text), WEIGHT["pvc_pending"])
    return None


def _start_failed(text: str) -> Report | None:
    if km.START_FAILED.search(text):
        hook = bool(re.search(r"hook", text, re.I))
        return Report("container_start_failed", _short(text), WEIGHT["container_start_failed"],
                      {"hook": hook})
    return None


# A node's Capacity / Allocatable line for a device plugin's resource at 0 (`kubectl describe
# node`: ` nvidia.com/gpu:     0`): the plugin registered the resource once but reports no
# device now (it sees none: the container runtime's default runtime is not nvidia, the driver
# is not loaded; or all are unhealthy), so every pod requesting it stays Pending
# (NVIDIA/k8s-device-plugin#100: docker's default-runtime not nvidia after an upgrade).
ZERO_GPUS = re.compile(r"^\s*(nvidia\.com/gpu|amd\.com/gpu|gpu\.intel\.com/\w+|"
                       r"habana\.ai/gaudi|aws\.amazon\.com/neuron(?:core)?)\s*:\s*\"?0\"?\s*$",
                       re.MULTILINE)


# A device plugin that cannot register with the kubelet advertises nothing: NVIDIA's
# k8s-device-plugin logs "Could not register device plugin: %s" and "Could not contact Kubelet,
# retrying. Did you enable the device plugin feature gate?" (its main.go). gRPC's
# `unknown service <pkg>.Registration` is a device-plugin API the kubelet does not serve (a
# plugin built for another Kubernetes release: NVIDIA/k8s-device-plugin#32, #109); a deadline
# is a kubelet not serving its registration socket (1.8-1.9 without the DevicePlugins feature
# gate: #10).
PLUGIN_REGISTER = re.compile(r"Could not register device plugin: (?P<why>[^\n]+?)(?=\s+\d{4}[/-]"
                             r"\d\d[/-]\d\d[ T]|\s+Could not contact|\s*$)|Could not contact "
                             r"Kubelet, retrying", re.I)


def _zero_gpus(text: str) -> Report | None:
    hit = ZERO_GPUS.search(text)
    if hit:
        return Report("gpu_not_advertised", _short(text), WEIGHT["gpu_not_advertised"],
                      {"resource": hit.group(1), "subject_kind": "Node"})
    return None


def _plugin_not_registered(text: str) -> Report | None:
    register = PLUGIN_REGISTER.search(text)
    if register:  # the line that says why outranks the retry line after it
        why = (register.group("why") or "").strip()
        return Report("gpu_not_advertised", _short(text), WEIGHT["gpu_not_advertised"] + bool(why),
                      {"register": why, "subject_kind": "Node"})
    return None


# The kubelet's device manager reports every device a plugin registered as capacity and only
# the healthy ones as allocatable (kubernetes v1.37.2 pkg/kubelet/cm/devicemanager/manager.go
# GetCapacity); NVIDIA's device plugin marks a GPU unhealthy on a critical Xid event and never
# marks it healthy again until it restarts (k8s-device-plugin internal/rm/health.go;
# NVIDIA/k8s-device-plugin#234): allocatable below capacity is GPUs taken out by Xid errors.
DEVICE_RESOURCE = re.compile(r"^(nvidia\.com/gpu|amd\.com/gpu|gpu\.intel\.com/\w+|habana\.ai/gaudi"
                             r"|aws\.amazon\.com/neuron(?:core)?)$")


def unhealthy_devices(capacity: dict, allocatable: dict) -> tuple[str, int, int] | None:
    """(resource, capacity, allocatable) of the first device resource whose allocatable count
    is below its capacity and above 0 (at 0 the plugin sees no device: gpu_not_advertised)."""
    for res, cap in capacity.items():
        have = allocatable.get(res)
        if not DEVICE_RESOURCE.match(res) or have is None:
            continue
        try:
            total, healthy = int(str(cap).strip().strip('"')), int(str(have).strip().strip('"'))
        except ValueError:
            continue
        if 0 < healthy < total:
            return res, total, healthy
    return None


def _deadline(text: str) -> Report | None:
    if km.POD_DEADLINE.search(text):
        return Report("deadline_exceeded", _short(text), WEIGHT["deadline_exceeded"])
    return None


def _job_failed(text: str) -> Report | None:
    m = km.JOB_FAILED.search(text)
    if m:
        return Report("job_failed", _short(text), WEIGHT["job_failed"], {"why": m.group(0)})
    return None


_HOOK_BINARY = re.compile(r"error running hook\b[^\n]*?(?:couldn't find binary|executable file "
                          r"not found)", re.I)


def _crash(text: str) -> Report | None:
    if km.EXEC_FORMAT.search(text):
        return Report("crash_loop", _short(text), WEIGHT["crash_loop"] + 2,
                      {"why": "exec format error: the image's binary was built for another CPU "
                              "architecture than the node's"})
    # a runtime hook's own binary missing (`error running hook #0: ... couldn't find binary
    # nvidia-container-cli in PATH: exec: "nvidia-container-cli": executable file not found`,
    # nvidia-container-toolkit cmd/nvidia-container-runtime-hook/main.go@v1.20.0:52) is the
    # node's runtime setup, not the image's command: the GPU readers say what it is
    if km.EXEC_MISSING.search(text) and not _HOOK_BINARY.search(text):
        return Report("crash_loop", _short(text), WEIGHT["crash_loop"] + 2,
                      {"why": "the container's command is not in the image"})
    if km.CRASH.search(text) or km.ERROR_ROW.search(text):
        return Report("crash_loop", _short(text), WEIGHT["crash_loop"])
    chown = km.CHOWN_REFUSED.search(text)
    if chown:  # below the kubelet's own crash reports, as a fatal log line is
        return Report("crash_loop", _short(text), WEIGHT["crash_loop"] - 2,
                      {"chown": (chown.group("path") or chown.group("bare")).strip()})
    fatal = fatal_log.records(text.splitlines())
    if fatal:  # below the kubelet's own crash reports: the log says why, not that it restarts
        # (a program's fatal record, k8s_skillkit/fatal_log.py: it exits, so the kubelet
        # restarts it; NVIDIA/gpu-operator#2060: the toolkit's "unsupported config version: 3")
        said = fatal[0].message
        return Report("crash_loop", _short(text), WEIGHT["crash_loop"] - 2,
                      {"why": f"the program logged a fatal error and exits: {_short(said, 200)}",
                       "dns_loop": bool(km.DNS_LOOP.search(said))})
    return None
