"""What DRA components say when a claim cannot be allocated, prepared or used.

Each pattern is one message a component prints (the scheduler's DynamicResources plugin and
structured allocator, the resourceclaim controller, the kubelet's DRA manager, the container
runtime's CDI injection, the apiserver's validation, Kueue's DRA integration, drivers), with
the versions that print it and the upstream source. references/messages.md lists them all;
a test keeps that table and this list in step.

`classify(text)` returns every pattern a message matches, most specific first. The patterns
match fragments, not whole lines, so one regex serves the event message, the PodScheduled
condition, a kubelet log line and an error a user copied from a terminal alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

K8S = "kubernetes"
PLUGIN = "pkg/scheduler/framework/plugins/dynamicresources/dynamicresources.go"
ALLOC = "dynamic-resource-allocation structured allocator (allocator.go / allocator_stable.go)"
KUBELET_DRA = "pkg/kubelet/cm/dra/manager.go, pkg/kubelet/cm/dra/plugin/"
CLAIM_LIB = "dynamic-resource-allocation resourceclaim/resourceclaim.go"
CLAIM_CTRL = "pkg/controller/resourceclaim/controller.go"


@dataclass(frozen=True)
class Pattern:
    key: str            # stable id, the row in references/messages.md
    cause: str          # cause id (references/causes.md)
    component: str      # who prints it
    regex: re.Pattern
    versions: str       # Kubernetes (or project) versions that print this wording
    source: str         # upstream file at a version, or an issue URL
    generic: bool = False   # says THAT allocation failed, not WHY (inference may refine it)
    # keys of patterns whose reading of the same message this one makes wrong: the words
    # "ResourceClaim not created yet" after "unprepare dynamic resources:" are the kubelet's,
    # not the scheduler's
    shadows: tuple[str, ...] = ()
    # an error any program prints (an OS error on a path): a DRA component's only beside
    # another DRA component's message in the same paste (the wrapper it is the inner error of)
    paired: bool = False


def _p(key, cause, component, regex, versions, source, generic=False,
       shadows: tuple[str, ...] = (), paired: bool = False) -> Pattern:
    return Pattern(key, cause, component, re.compile(regex, re.IGNORECASE), versions, source,
                   generic, shadows, paired)


def _gpu_query(n: str) -> str:
    """NVIDIA's GPU plugin's per-device NVML query that failed (getGpuInfo, 'error getting
    <what> for device <i>: <NVML return or error>'), its groups suffixed `n`."""
    return (rf"error getting (?P<query{n}>memory info|architecture|product name|brand|CUDA "
            rf"compute capability|minor number|UUID|PCIe? bus ID|PCIe root|addressing mode) "
            rf"for device (?P<device{n}>\d+): (?P<ret{n}>[^\n\"]{{1,120}})")


# the kubelet's and drivers' generic prepare wordings, which a driver's own reason for the
# failure makes wrong to read on their own
PREPARE_WORDINGS = ("kubelet-prepare-failed", "kubelet-prepare-generic", "driver-prepare-error")

# Order matters only for display; classify() ranks by specificity (generic last).
PATTERNS: tuple[Pattern, ...] = (
    # ---------------------------------------------------------------- scheduler
    _p("sched-class-missing", "device_class_missing", "kube-scheduler",
       r"(?:request (?P<request>[\w.-]+): )?device class (?P<cls>[\w.-]+) does not exist",
       "1.31-1.37", f"{K8S} v1.31.0..v1.37.2 {PLUGIN} (PreFilter)"),
    _p("alloc-class-missing", "device_class_missing", "kube-scheduler",
       r"could not retrieve device class (?P<cls>[\w.-]+)",
       "1.31-1.37", f"{ALLOC} v0.31.0..v0.37.2"),
    _p("sched-resourceclass-missing", "device_class_missing", "kube-scheduler",
       r"resource class (?P<cls>[\w.-]+) does not exist",
       "1.29-1.30 (v1alpha2 ResourceClass)", f"{K8S} v1.30.0 {PLUGIN}"),
    _p("sched-cannot-allocate", "claims_unallocatable", "kube-scheduler",
       r"cannot allocate all (?:DRA )?claims",
       "1.30-1.37 (structured parameters)", f"{K8S} v1.31.0..v1.37.2 {PLUGIN} (Filter)",
       generic=True),
    _p("sched-unsuitable", "claims_unallocatable", "kube-scheduler",
       r"resourceclaim cannot be allocated for the node \(unsuitable\)",
       "1.26-1.30 (classic DRA)", f"{K8S} v1.27.0 {PLUGIN} (Filter)", generic=True),
    _p("sched-alloc-timeout", "claims_unallocatable", "kube-scheduler",
       r"timed out trying to allocate devices",
       "1.34-1.37", f"{K8S} v1.34.0 {PLUGIN} (Filter)", generic=True),
    _p("alloc-pool-invalid", "resource_pool_invalid", "kube-scheduler",
       r"pool [\w./-]+ is invalid|resource pool [\w./-]+ is currently (?:being updated|invalid)"
       r"|invalid resource pools were encountered",
       "1.31-1.37", f"{ALLOC} v0.31.0..v0.37.2"),
    _p("sched-extended-resource", "claims_unallocatable", "kube-scheduler",
       r"cannot schedule extended resource claim|cannot fit resource",
       "1.34-1.37 (DRAExtendedResource)", f"{K8S} v1.34.0 {PLUGIN}", generic=True),
    _p("sched-claim-in-use", "claim_in_use", "kube-scheduler",
       r"resourceclaim in use",
       "1.26-1.37", f"{K8S} v1.27.0..v1.37.2 {PLUGIN} (PreFilter)"),
    _p("sched-being-allocated", "claim_in_use", "kube-scheduler",
       r"resource claim (?P<claim>[\w./-]+) is in the process of being allocated",
       "1.30-1.37", f"{K8S} v1.30.0..v1.37.2 {PLUGIN} (PreFilter)"),
    _p("sched-not-on-node", "claim_reserved_elsewhere", "kube-scheduler",
       r"resourceclaim not available on the node",
       "1.26-1.37", f"{K8S} v1.27.0..v1.37.2 {PLUGIN} (Filter: allocated claim's node "
       "selector excludes the node)"),
    _p("sched-reallocate", "claim_deallocating", "kube-scheduler",
       r"resourceclaim must be reallocated|resourceclaim \"?[\w.-]+\"? is being deleted"
       # PreBind's bindClaim found the claim's deletionTimestamp set (v1.37.2 :1910)
       r"|claim [\w./-]+ got deleted in the meantime",
       "1.26-1.37", f"{K8S} v1.27.0..v1.37.2 {PLUGIN}"),
    # PostFilter's recovery step, joined after DefaultPreemption's "preemption: ..." reason
    # (v1.37.2 pkg/scheduler/framework/runtime/framework.go:1197): no node fit, so the plugin
    # freed a claim allocated for this pod alone (or deleted its extended-resource claim, or
    # a PodGroup's) for the next cycle to allocate anew (v1.37.2 dynamicresources.go:1203,
    # 1214,1284,1338; v1.36.0 :976,987). Done, not pending: it says THAT allocation failed;
    # the Filter's message before it says why
    _p("sched-postfilter-dealloc", "claims_unallocatable", "kube-scheduler",
       r"(?:deallocation|deletion|deallocation and deletion) of (?:PodGroup )?ResourceClaims? "
       r"completed",
       "1.36-1.37", f"{K8S} v1.36.0..v1.37.2 {PLUGIN} (PostFilter)", generic=True),
    _p("sched-claim-not-created", "claim_not_generated", "kube-scheduler",
       r"ResourceClaim not created yet|waiting for dynamic resource controller to create the "
       r"resourceclaim",
       "1.26-1.37", f"{CLAIM_LIB} v0.31.0..v0.37.2 (ErrClaimNotFound); {K8S} v1.27.0 {PLUGIN}"),
    _p("sched-claim-not-found", "claim_missing", "kube-scheduler",
       # quotes escaped when a klog line carries it in err="..." (the kubelet's 1.36+
       # "fetch ResourceClaim %s: %w", v1.37.2 pkg/kubelet/cm/dra/manager.go:302)
       r"resourceclaims?(?:\.resource\.k8s\.io)? \\?\"(?P<claim>[\w.-]+)\\?\" not found",
       "1.26-1.37", f"{K8S} {PLUGIN} PreFilter returns the lister's NotFound error"),
    _p("sched-not-owner", "claim_not_reserved_for_pod", "kube-scheduler",
       r"was not created for pod [\w./-]+ \((?:pod|Pod) is not owner\)",
       "1.27-1.37", f"{CLAIM_LIB} v0.27.0..v0.37.2 (IsForPod)"),
    _p("sched-unallocated-immediate", "classic_driver_not_allocating", "kube-scheduler",
       r"unallocated immediate resourceclaim",
       "1.26-1.30 (classic DRA)", f"{K8S} v1.27.0..v1.30.0 {PLUGIN}"),
    _p("sched-waiting-driver", "classic_driver_not_allocating", "kube-scheduler",
       r"waiting for resource driver to (?:allocate resource|provide information)",
       "1.26-1.30 (classic DRA)", f"{K8S} v1.27.0..v1.30.0 {PLUGIN} (Reserve/PostFilter)"),
    _p("sched-class-node-filter", "claims_unallocatable", "kube-scheduler",
       r"excluded by (?:resource|device) class node filter",
       "1.26-1.31", f"{K8S} v1.27.0..v1.31.0 {PLUGIN}", generic=True),
    _p("sched-control-plane-gate", "dra_feature_disabled", "kube-scheduler",
       r"depends on disabled DRAControlPlaneController feature",
       "1.31", f"{K8S} v1.31.0 {PLUGIN}"),
    _p("sched-feature-disabled", "dra_feature_disabled", "kube-scheduler",
       r"(?:has subrequests|admin access is requested|template includes a prioritized list of "
       r"subrequests|has capacity requests|cannot handle request with derived attributes),? "
       r"but the (?:\w+ )?feature is disabled|, the feature is disabled"
       r"|allocation requires DRA\w+ feature on the node",
       "1.33-1.37", f"{K8S} v1.33.0..v1.37.2 {PLUGIN}; {ALLOC}; {CLAIM_CTRL}"),
    _p("alloc-cel-runtime", "selector_error", "kube-scheduler",
       r"selector #\d+(?: on device [\w./-]+)?: CEL (?:runtime|compile) error",
       "1.31-1.37", f"{ALLOC} v0.31.0..v0.37.2 (selectorsMatch)"),
    # allocationMode All with a constraint the devices cannot all meet: the allocator treats
    # it as an error, not as "no fit" (allocator_stable.go:1208 v0.37.2, :1164 v0.36.2)
    _p("alloc-constraint-unsatisfied", "constraint_unsatisfiable", "kube-scheduler",
       r"cannot add device [\w./-]+ because a claim constraint would not be satisfied",
       "1.36-1.37", f"{ALLOC} v0.36.2..v0.37.2 (allocateDevice, must)"),
    # the stable allocator knows only matchAttribute: it runs when the scheduler's
    # DRAConsumableCapacity gate is off, so a distinctAttribute constraint the apiserver
    # (gate on) stored reaches it as an "empty" one (allocator_stable.go:235 v0.37.2;
    # the incubating / experimental allocators handle DistinctAttribute)
    _p("alloc-constraint-unsupported", "dra_feature_disabled", "kube-scheduler",
       r"constraint #\d+: empty constraint \(unsupported constraint type\?\)",
       "1.36-1.37", f"{ALLOC} v0.36.2..v0.37.2 (stable variant, DRAConsumableCapacity off)"),
    _p("alloc-count-too-large", "insufficient_devices", "kube-scheduler",
       r"exact count \d+ is too large|exceeds the claim limit of \d+",
       "1.31-1.37", f"{ALLOC} v0.31.0..v0.37.2"),
    # PreBind's bindClaim: the claim was allocated (or deallocated) by another scheduling cycle
    # between Reserve and PreBind (v1.37.2 dynamicresources.go bindClaim). Retried as a rule;
    # pods of a PodGroup sharing one claim stayed stuck on it (kubernetes#139417, #140053,
    # fixed by PR #140269 "check for allocated claim before marking in-flight").
    _p("sched-allocated-elsewhere", "scheduler_plugin_error", "kube-scheduler",
       r"claim (?P<claim>[\w./-]+)\s+got (?:de)?allocated elsewhere in the meantime",
       "1.30-1.37", f"{K8S} v1.37.2 {PLUGIN} (PreBind bindClaim); kubernetes#140053"),
    _p("sched-score-bug", "scheduler_plugin_error", "kube-scheduler",
       r"plugin \"DynamicResources\" failed with: (?P<detail>[^.\n]+)|"
       r"number of allocations \d+ is smaller than number of claim",
       "1.34-1.36", "https://github.com/kubernetes/kubernetes/issues/139016"),
    # kube-scheduler panicked while scheduling the pod: apimachinery's HandleCrashWithContext
    # logs `"Observed a panic" pod="NS/NAME" panic=...` with the scheduling cycle's logger
    # (k8s.io/apimachinery v0.37.2 pkg/util/runtime/runtime.go logPanic); a DRA allocator bug
    # (kubernetes#138882: allocationMode All on devices that consume counters, a nil pool
    # dereferenced in Filter; fixed by PR #138885). The pod stays Pending whatever it asks.
    _p("sched-panic", "scheduler_plugin_error", "kube-scheduler",
       r"\"?Observed a panic\"?\s+pod=\"?(?P<pod>[\w./-]+)",
       "1.30-1.37", f"{K8S} v1.37.2 staging/src/k8s.io/apimachinery/pkg/util/runtime/"
       "runtime.go; kubernetes#138882"),
    # ---------------------------------------------------------------- controller-manager
    _p("ctrl-template-missing", "claim_template_missing", "kube-controller-manager",
       r"resource claim template \"(?P<template>[\w.-]+)\": .*not found|"
       r"resourceclaimtemplates?(?:\.resource\.k8s\.io)? \"(?P<template2>[\w.-]+)\" not found",
       "1.26-1.37", f"{K8S} v1.27.0..v1.37.2 {CLAIM_CTRL} (FailedResourceClaimCreation)"),
    # the controller's Create of the generated claim was refused (ResourceQuota "exceeded
    # quota" on resourceclaims or <class>.deviceclass.resource.k8s.io/devices, a webhook,
    # validation): the claim does not exist, so the scheduler waits on "not created yet".
    # The generated claim has only generateName, so its name in the message is empty.
    _p("ctrl-create-failed", "claim_not_generated", "kube-controller-manager",
       r"(?:Pod|PodGroup)ResourceClaim [\w.-]+: create ResourceClaim [\w.-]*: ",
       "1.36-1.37", f"{K8S} v1.36.0..v1.37.2 {CLAIM_CTRL} (handleClaim, :1122@v1.37.2; "
       "event FailedResourceClaimCreation)"),
    # the controller's gates for PodGroup claims: off in kube-controller-manager while pods
    # use them, no claim is created (v1.37.2 controller.go:1049 event, :1694 log only)
    _p("ctrl-feature-disabled", "dra_feature_disabled", "kube-controller-manager",
       r"is a PodGroup claim but the \w+ feature is disabled"
       r"|is a member of PodGroup [\w.-]+ but \w+ feature is disabled",
       "1.37", f"{K8S} v1.37.2 {CLAIM_CTRL}"),
    # ---------------------------------------------------------------- kubelet
    # a claim whose drivers skip node operations (DRAOptionalNodeOperations) prepared by a
    # kubelet with that gate off (v1.37.2 pkg/kubelet/cm/dra/claiminfo.go:131, wrapped as
    # "ResourceClaim %s: %w" at manager.go:325)
    _p("kubelet-feature-disabled", "dra_feature_disabled", "kubelet",
       r"DRA\w+ feature gate is disabled on kubelet",
       "1.37", f"{K8S} v1.37.2 {KUBELET_DRA}"),
    _p("kubelet-driver-not-registered", "driver_not_registered", "kubelet",
       r"DRA driver (?P<driver>[\w.-]+) is not registered|plugin name (?P<driver2>[\w.-]+) "
       r"not found in the list of registered DRA plugins|get gRPC client for (?:DRA )?driver "
       r"(?P<driver3>[\w.-]+)",
       "1.26-1.37", f"{K8S} v1.27.0 / v1.31.0 / v1.34.0 {KUBELET_DRA}"),
    _p("kubelet-no-dra-handler", "dra_feature_disabled", "kubelet",
       r"no handler registered for plugin type: DRAPlugin",
       "1.26-1.33 (DRA gate off on the kubelet)",
       f"{K8S} v1.30.0 pkg/kubelet/kubelet.go (DRA handler added only with the "
       "DynamicResourceAllocation gate); pkg/kubelet/pluginmanager/operationexecutor/"
       "operation_generator.go"),
    _p("driver-registration-timeout", "driver_not_registered", "DRA driver",
       r"driver failed to start: context deadline exceeded",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin",
       "https://github.com/kubernetes-sigs/dranet/issues/250; "
       "https://github.com/kubernetes-sigs/dra-driver-cpu/issues/231"),
    # the kubelet-plugin helper could not open its registration socket in the kubelet's
    # plugins_registry directory (a hostPath not mounted, a kubelet --root-dir elsewhere,
    # rootless Kubernetes): the plugin exits before the kubelet ever sees it
    _p("plugin-registrar-failed", "driver_not_registered", "DRA driver",
       r"\bstart registrar: (?:.{0,200}?listen unix (?P<socket>\S+?):)?",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin (1.31+)",
       "k8s.io/dynamic-resource-allocation kubeletplugin/draplugin.go ('start registrar: %v'); "
       "drivers wrap it as 'start kubelet plugin: %w'"),
    # the same helper could not listen on its DRA socket in the plugin data directory
    # (kubeletplugin.KubeletPluginsDir/<driver>, hostPath not mounted or another root dir):
    # "start DRA service: listen on %q: %w" (dynamic-resource-allocation v0.37.2
    # kubeletplugin/draplugin.go:1093, nonblockinggrpcserver.go:55)
    _p("plugin-dra-service-failed", "driver_not_registered", "DRA driver",
       r"\bstart DRA service: (?:.{0,40}?listen on \\?\"?(?P<socket>[^\s\"\\]+))?",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin (v0.36.2..v0.37.2)",
       "k8s.io/dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1093 ('start DRA "
       "service: %w'), nonblockinggrpcserver.go:55 ('listen on %q: %w')"),
    # the kubelet refused the plugin's registration and told it so through
    # NotifyRegistrationStatus; the helper answers with this error, which the plugin's gRPC
    # logging prints (v0.37.2 kubeletplugin/registrationserver.go:62). The kubelet's own
    # reason follows it and, when another pattern knows it, says more
    _p("plugin-registration-refused", "driver_not_registered", "DRA driver",
       r"failed registration process: ",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin (v0.36.2..v0.37.2)",
       "k8s.io/dynamic-resource-allocation v0.37.2 kubeletplugin/registrationserver.go:62",
       generic=True),
    # the helper re-reads each claim the kubelet asks to prepare and finds another UID under
    # that name: the claim was deleted and recreated while the kubelet held the old one (the
    # driver-side twin of the kubelet's "old ResourceClaim with same name ... different UID")
    _p("plugin-claim-replaced", "claim_deallocating", "DRA driver",
       r"claim [\w.-]+/[\w.-]+ got replaced",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin (v0.36.2..v0.37.2)",
       "k8s.io/dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1394 "
       "(getResourceClaims, wrapped 'get resource claims: %w' at :1295)",
       shadows=PREPARE_WORDINGS),
    # the same re-read found the claim without an allocation: the kubelet (which checked
    # the allocation itself before calling the driver, pkg/kubelet/cm/dra/claiminfo.go:65)
    # prepared a claim that was deallocated, or deleted and recreated unallocated, meanwhile
    # (v0.37.2 kubeletplugin/draplugin.go:1391, checked before the UID at :1394)
    _p("plugin-claim-deallocated", "claim_deallocating", "DRA driver",
       r"get resource claims: claim [\w.-]+/[\w.-]+ not allocated",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin (v0.36.2..v0.37.2)",
       "k8s.io/dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1391 (v0.36.2 "
       ":1108; wrapped 'get resource claims: %w' at :1295)",
       shadows=PREPARE_WORDINGS),
    # the same helper's read of the claim answered 404: no resource.k8s.io version its client
    # knows is served (it falls back v1 -> v1beta2 -> v1beta1, dynamic-resource-allocation
    # client/client.go; helpers before that fallback read one fixed version)
    _p("plugin-claim-unserved", "dra_api_missing", "DRA driver",
       r"retrieve claim [\w.-]+/[\w.-]+: the server could not find the requested resource",
       "drivers built on k8s.io/dynamic-resource-allocation kubeletplugin",
       "k8s.io/dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1388 (v0.36.2 "
       ":1105; wrapped 'get resource claims: %w' at :1295)",
       shadows=PREPARE_WORDINGS),
    _p("kubelet-claim-unpreparing", "claim_deallocating", "kubelet",
       r"ResourceClaim [\w.-]+ is being unprepared",
       "1.37", f"{K8S} v1.37.2 pkg/kubelet/cm/dra/manager.go"),
    _p("kubelet-unprepare-failed", "claim_deallocating", "kubelet",
       r"unprepare dynamic resources: ",
       "1.36-1.37", f"{K8S} v1.36.0 pkg/kubelet/cm/dra/manager.go:583, v1.37.2 :615 "
       "(UnprepareResources wraps every error; the pod cannot finish terminating). What "
       "follows is the kubelet's own error: 'ResourceClaim not created yet' there comes from "
       "resourceclaim.Name (dynamic-resource-allocation v0.37.2 resourceclaim/resourceclaim.go:79)"
       ", not from the scheduler",
       generic=True, shadows=("sched-claim-not-created",)),
    _p("driver-unprepare-error", "claim_deallocating", "DRA driver",
       r"error unpreparing devices for claim|unprepare devices failed",
       "drivers (every kubelet plugin's NodeUnprepareResources)",
       "dra-example-driver cmd/dra-example-kubeletplugin/driver.go UnprepareResourceClaim; "
       "kubernetes-sigs/dra-driver-nvidia-gpu cmd/gpu-kubelet-plugin/driver.go and "
       "cmd/compute-domain-kubelet-plugin/driver.go ('error unpreparing devices for claim %v: "
       "%w'); the kubelet keeps the pod Terminating until unprepare succeeds "
       "(dra-driver-nvidia-gpu#380: the ComputeDomain deleted first, 'compute domain not found')",
       shadows=("kubelet-prepare-failed", "driver-prepare-error", "nvidia-device-enumeration")),
    # the driver cannot read what another release of it wrote: the claim's opaque config
    # (strict decoding of a field the running release does not know) or its checkpoint file
    # (a format change): unprepare fails the same way forever after a downgrade or an upgrade
    # (dra-driver-nvidia-gpu#543 / PR #576: allocationMode after a downgrade, fixed by making it
    # optional; PR #394: the compute-domain plugin's checkpoint format on upgrade)
    _p("driver-state-version-skew", "driver_prepare_failed", "DRA driver",
       r"(?:error (?:un)?preparing devices for claim|(?:un)?prepare devices failed)[^\n]{0,300}?"
       r"(?:strict decoding error|unknown field \\?\"|cannot unmarshal|unable to get checkpoint"
       r"|error decoding config parameters)"
       # v0.4+ logs the diff when its checkpoint's checksum does not match what this binary
       # re-marshals: a field added in another release (issue 1080; v0.4.1 cmd/gpu-kubelet-
       # plugin/device_state.go:625-642, cmd/compute-domain-kubelet-plugin/device_state.go:
       # 378-395)
       r"|checkpoint failed checksum verification",
       "drivers that decode their own config or checkpoint strictly (dra-driver-nvidia-gpu "
       "v25.3+)",
       "kubernetes-sigs/dra-driver-nvidia-gpu cmd/compute-domain-kubelet-plugin/driver.go "
       "('error unpreparing devices for claim %v: %w'), pkg/... strict decoding of opaque "
       "configs; https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/543 (PR #576), "
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/pull/394",
       shadows=("driver-unprepare-error", "kubelet-prepare-failed", "driver-prepare-error")),
    # at container start the kubelet's claim cache has no entry for a claim the pod prepared:
    # only unprepare deletes entries (v1.36.0 manager.go:705), so another pod sharing the claim
    # unprepared it under this one; 1.37 closes both races its comments name (a prepare
    # attaching to an entry being unprepared, manager.go:366; an unprepare by a pod the entry
    # does not reference, :672). Event Failed "Error: %v" (kuberuntime_container.go:260)
    _p("kubelet-claim-unprepared-under-pod", "claim_deallocating", "kubelet",
       r"unable to get information for ResourceClaim (?P<claim>[\w.-]+)",
       "1.36-1.37", f"{K8S} v1.36.0 pkg/kubelet/cm/dra/manager.go:763 (GetResources), v1.37.2 "
       ":829"),
    _p("kubelet-stale-claim", "claim_deallocating", "kubelet",
       r"old ResourceClaim with same name [\w.-]+ and different UID",
       "1.34-1.37", f"{K8S} v1.34.0..v1.37.2 pkg/kubelet/cm/dra/manager.go (a force-deleted "
       "pod's claim is still prepared)"),
    # 1.34+ wraps the service check in ValidatePlugin / RegisterPlugin as "invalid supported
    # gRPC versions of DRA driver plugin %s at endpoint %s: %w" (v1.37.2 dra_plugin_manager.go
    # :329,:558; :327,:532@v1.36.0), e.g. around "empty list of supported gRPC services" (:570)
    _p("kubelet-plugin-unusable", "driver_not_registered", "kubelet",
       r"timed out waiting for gRPC connection to be ready|none of services supported by the "
       r"plugin .{0,200}? are supported by the kubelet|validation failed for DRA plugin"
       r"|highest supported version reported by plugin is"
       r"|invalid supported gRPC versions of DRA driver plugin (?P<driver>[\w.-]+)"
       r"|empty list of supported gRPC services \(aka supported versions\)"
       # RegisterPlugin could not set up the client for the plugin's endpoint (v1.37.2
       # dra_plugin_manager.go:403, v1.36.0 :383): the driver stays unregistered
       r"|create gRPC connection to DRA driver [\w.-]+ plugin at endpoint",
       "1.27-1.37", f"{K8S} pkg/kubelet/cm/dra/plugin/ (v1.27.0..v1.30.0 plugin.go validation, "
       "v1.30.0..v1.35.0 dra_plugin.go gRPC wait, v1.34.0..v1.37.2 dra_plugin_manager.go)"),
    _p("slice-fields-dropped", "dra_feature_disabled", "DRA driver",
       r"some fields were dropped by the apiserver, probably because these features are "
       r"disabled: (?P<feature>[\w ]+)",
       "1.33-1.37", "dynamic-resource-allocation v0.34.0 resourceslice/"
       "resourceslicecontroller.go (DroppedFieldsError)"),
    _p("classic-driver-failed", "classic_driver_not_allocating", "resource driver",
       r"resource driver (?P<driver>[\w.-]+)\s+(?:allocate|deallocate|unsuitable nodes?): ",
       "1.26-1.30 (classic DRA)", "dynamic-resource-allocation v0.27.0 controller/"
       "controller.go (event source 'resource driver <name>', reason Failed)"),
    _p("classic-ctrl-unsuitable", "classic_driver_not_allocating", "resource driver",
       r"skipping allocation for unsuitable selected node",
       "1.26-1.30 (classic DRA)", "dynamic-resource-allocation v0.26.0..v0.30.x controller/"
       "controller.go syncPodSchedulingContexts (logger.V(2): every pending claim's driver "
       "lists the scheduler's selected node in UnsuitableNodes, so the driver controller does "
       "not allocate)"),
    _p("classic-ctrl-unsuitable-update", "classic_driver_not_allocating", "resource driver",
       r"Updating pod scheduling with modified unsuitable nodes.*?"
       r"UnsuitableNodes\"?:\s*\[\s*\"?[\w.-]",
       "1.26-1.31 (classic DRA)", "dynamic-resource-allocation controller/controller.go "
       "syncPodSchedulingContexts (v0.26 PodScheduling, v0.31 PodSchedulingContext; "
       "logger.V(6)): the driver controller writes the nodes it cannot allocate on into the "
       "PodSchedulingContext; a non-empty UnsuitableNodes list is its refusal"),
    _p("nvidia-plugin-startup", "driver_not_registered", "DRA driver",
       r"unable to sync prepared devices from CRD",
       "NVIDIA k8s-dra-driver (classic, 2024)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/149 (kubelet plugin "
       "exits at startup, so it never registers)"),
    _p("nvidia-nvml-init", "driver_not_registered", "DRA driver",
       r"(?:error|failed to) initializ(?:e|ing) NVML: (?:ERROR_\w+|[\w ]+not found)",
       "NVIDIA DRA driver for GPUs (kubelet plugin start-up)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/1272 ('error creating "
       "driver: ... error initializing NVML: ERROR_LIBRARY_NOT_FOUND', the plugin crash-loops "
       "and never registers); issues/4 (the plugin 'complains about NVML' on OpenShift)",
       # NVML's Init runs inside the enumeration (v25.8.1 cmd/gpu-kubelet-plugin/nvlib.go:
       # 109,117), so its wrappers name enumeration too: the library, not a device, failed
       shadows=("nvidia-device-enumeration",)),
    _p("nvidia-plugin-create-driver", "driver_not_registered", "DRA driver",
       r"error creating driver: \S",
       "NVIDIA DRA driver for GPUs v25.3+ (gpu and compute-domain kubelet plugins)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu cmd/gpu-kubelet-plugin/main.go "
       "and cmd/compute-domain-kubelet-plugin/main.go (v25.8.1, main): NewDriver's error is "
       "returned as 'error creating driver: ...' and the plugin exits before it registers "
       "with the kubelet (whatever follows: device library, CDI, IMEX channel; "
       "NVIDIA/k8s-test-infra#497, issues/1272)"),
    # NVIDIA's kubelet plugins enumerate the node's devices in NewDeviceState, which NewDriver
    # runs BEFORE kubeletplugin.Start (v25.8.1 cmd/gpu-kubelet-plugin/driver.go:50-72; v0.4.1
    # cmd/gpu-kubelet-plugin/driver.go:71,145, cmd/compute-domain-kubelet-plugin/driver.go:
    # 71,84): an enumeration error ends the process before it registers with the kubelet or
    # publishes a ResourceSlice. The wrappers per release (gpu plugin: "error enumerating all
    # possible devices" device_state.go:66@v25.3.0 :67@v25.8.1 :86@v25.12.0 :98@v0.4.1; "error
    # enumerating GPUs and MIG devices" nvlib.go:109@v25.3.0..v25.8.1; "error enumerating
    # allocatable devices" / "GPU PCI devices" nvlib.go:174,182@v25.12.0 :177,185@v0.4.1;
    # compute-domain plugin: "error enumerating ComputeDomain channel|daemon devices" nvlib.go:
    # 150,158@v0.4.1) and the per-device NVML query that failed inside them (getGpuInfo:
    # "error getting memory info for device %d: %v" nvlib.go:172@v25.3.0 :180@v25.8.1
    # :443@v25.12.0 :486@v0.4.1, and its siblings). A log often shows them on separate lines
    # (klog's multi-line error, a user's excerpt), so each wording is read alone. The same
    # per-device query failing inside prepare or unprepare is that stage's error (shadowed
    # there), not enumeration
    _p("nvidia-device-enumeration", "no_resource_slices", "DRA driver",
       r"error enumerating (?:all possible|GPUs and MIG|allocatable|GPU PCI|ComputeDomain "
       r"(?:channel|daemon)) devices(?:[^\n]{0,300}?" + _gpu_query("") + ")?"
       r"|" + _gpu_query("2"),
       "NVIDIA DRA driver for GPUs v25.3.0..v0.4.1 (gpu and compute-domain kubelet plugins)",
       "kubernetes-sigs/dra-driver-nvidia-gpu cmd/gpu-kubelet-plugin/device_state.go:67, "
       "nvlib.go:109,128,180 (v25.8.1), nvlib.go:177,185,486 (v0.4.1), driver.go:50-72 "
       "(v25.8.1: NewDeviceState before kubeletplugin.Start); GB10 'memory info ... Not "
       "Supported': dra-driver-nvidia-gpu issues 1073 and 1115 (no GPU ResourceSlice "
       "published), fixed by PR #1121 (v0.4.0)"),
    # every component of NVIDIA's driver validates the Helm value featureGates at start and
    # exits on a combination it does not support, so its kubelet plugins never register
    # (pkg/featuregates ValidateFeatureGates, wrapped by each cmd/*/main.go)
    _p("nvidia-feature-gates-invalid", "driver_not_registered", "DRA driver",
       r"feature gate validation failed: feature gate (?P<feature>[\w.-]+) (?:is currently "
       r"mutually exclusive with|requires) (?P<other>[\w.-]+)",
       "dra-driver-nvidia-gpu v25.12+",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 pkg/featuregates/featuregates.go:198-218, "
       "cmd/gpu-kubelet-plugin/main.go:212, cmd/compute-domain-kubelet-plugin/main.go:190 "
       "(v25.12.0 featuregates.go:173-185)"),
    # NVIDIA's GpuConfig/MigDeviceConfig sharing.strategy TimeSlicing or MPS is accepted only
    # with the driver's own feature gate on (Helm featureGates TimeSlicingSettings / MPSSupport,
    # api/nvidia.com/resource/v1beta1/validate.go@v25.8.0); gate off, v25.8-v25.12 refuse it as
    # "unknown GPU sharing strategy: %v" (the strategy itself, so only these two names mean the
    # gate; strategy names are case-sensitive), and v0.4.0+ name the gate (PR #996, 34c2d18d).
    # Its webhook refuses the claim (then that denial is the finding, its detail naming the
    # gate: reports._d_driver_webhook_config_invalid), else the kubelet plugin's prepare does
    _p("nvidia-sharing-gate-disabled", "dra_feature_disabled", "DRA driver",
       r"unknown GPU sharing strategy: (?P<strategy2>(?-i:MPS|TimeSlicing))\b(?!, supported)|"
       r"\"(?P<strategy>(?-i:MPS|TimeSlicing))\" is selected as the GPU sharing strategy, but "
       r"the \"(?P<gate>[\w.-]+)\" feature gate is not enabled",
       "dra-driver-nvidia-gpu v25.8.0..v25.12 ('unknown ...'), v0.4.0+ ('... feature gate is "
       "not enabled')",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 api/nvidia.com/resource/v1beta1/"
       "validate.go:26-43 (v25.8.0 :24-35, gates added by afdaeb41; wording by PR #996, "
       "34c2d18d); https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/1002",
       shadows=PREPARE_WORDINGS),
    # Intel's QAT kubelet plugin sets its devices up in newDriver, BEFORE kubeletplugin.Start:
    # it finds the QAT PF devices bound to the kernel's 4xxx driver and enables every PF's
    # SR-IOV VFs (writes sriov_totalvfs into sriov_numvfs, binds the VFs to vfio-pci, sets
    # qat/state up). An error there ends the process unregistered and without a
    # ResourceSlice (intel/intel-resource-drivers-for-kubernetes cmd/kubelet-qat-plugin/
    # driver.go:240@qat-v0.1.0 :216@qat-v0.4.0 :109@qat-v0.4.3, pkg/qat/device/device.go:459
    # EnableVFs). Printed 'failed to create kubelet plugin driver: %v' by main.go:33@qat-v0.1.0,
    # returned with it to cobra ('Error: ...') by main.go:43@qat-v0.2.0..:47@qat-v0.4.0, and
    # bare after 'Error: ' from qat-v0.4.1 (main.go:19, pkg/helpers StartPlugin). The chart's
    # README (charts/intel-qat-resource-driver/README.md@1da939f, 'Read-only file system
    # error for QAT') quotes 'cannot enable PF device ...: open .../sriov_numvfs: read-only
    # file system' and resets QAT by reloading its kernel driver
    _p("qat-pf-setup-failed", "driver_not_registered", "DRA driver",
       r"cannot enable PF device '(?P<device>[^'\s]{1,64})': (?P<err>[^\n]{1,240})"
       r"|could not find PF devices: (?P<err2>[^\n]{1,160})",
       "Intel QAT resource driver qat-v0.1.0..v0.4.3 (kubelet plugin start-up)",
       "https://github.com/intel/intel-resource-drivers-for-kubernetes/blob/"
       "1da939faa33a90dd641d0327cdcdcbbfaa1acdb4/cmd/kubelet-qat-plugin/driver.go (newDriver: "
       "'could not find PF devices: %v' :104, 'cannot enable PF device '%s': %v' :109, both "
       "before kubeletplugin.Start :134); charts/intel-qat-resource-driver/README.md "
       "('Read-only file system error for QAT': reload the QAT kernel driver)",
       shadows=("qat-plugin-create-driver",)),
    _p("qat-plugin-create-driver", "driver_not_registered", "DRA driver",
       r"failed to create kubelet plugin driver: \S",
       "Intel QAT resource driver qat-v0.1.0..v0.4.0",
       "https://github.com/intel/intel-resource-drivers-for-kubernetes qat-v0.4.0 "
       "cmd/kubelet-qat-plugin/main.go:47 (qat-v0.1.0 :33, qat-v0.2.0 :43): newDriver's error, "
       "returned before kubeletplugin.Start, so the plugin exits unregistered"),
    _p("nvidia-driver-root-check", "no_resource_slices", "DRA driver",
       # the check's own line names what it did not find under the driver root (shell
       # `nvidia-smi: not found. ` in early releases, `, ` later and in the Go rewrite)
       r"Has the NVIDIA GPU driver been set up\?|/driver-root \([^)]*\bon host\):\s*"
       r"nvidia-smi: (?:not found|'[^']*')[.,]\s*libnvidia-ml\.so\.1: not found"
       r"|/driver-root \([^)]*\bon host\):\s*nvidia-smi: not found",
       "NVIDIA DRA driver for GPUs (kubelet-plugin init container, 2025-2026)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu hack/kubelet-plugin-prestart.sh"
       " emit_common_err (commit c4f9fd0): the GPU kubelet plugin's init container loops until "
       "nvidia-smi and the NVML library are found under NVIDIA_DRIVER_ROOT, so until then the "
       "plugin publishes no GPU devices on that node (dra-driver-nvidia-gpu#1008)"),
    # the driver's own ResourceSlice controller refuses a pool the apiserver could not catch
    # per slice (duplicate device or counter-set names, a device consuming a counter set or
    # counter the pool lacks) and does not publish it, nor retry (dynamic-resource-allocation
    # v0.37.2 resourceslice/validation.go:51-72, resourceslicecontroller.go:743-748, logged
    # through the error handler as "pool validation failed")
    _p("slice-pool-invalid", "no_resource_slices", "DRA driver",
       r"\bpool validation failed\b|found duplicate (?:counter set|device) \\?\"[^\"\\]+\\?\" in "
       r"pool\b|counter (?:set )?\\?\"[^\"\\]+\\?\" referenced by device \\?\"[^\"\\]+\\?\" not found",
       "drivers built on k8s.io/dynamic-resource-allocation resourceslice (v0.36.2..v0.37.2)",
       "k8s.io/dynamic-resource-allocation v0.37.2 resourceslice/validation.go:51,61,68,72 "
       "(validatePool), resourceslicecontroller.go:743 ('pool validation failed')"),
    _p("slice-publish-rejected", "no_resource_slices", "DRA driver",
       # the apiserver's "ResourceSlice.resource.k8s.io \"NAME\" is invalid: [...]" or a
       # webhook's denial, quoted or escaped as a structured log prints it
       r"(?:create|update) resource slice: (?:[^\n]{0,200}?\bis invalid\b|admission webhook)"
       # the apiserver's refusal quoted without the publisher's prefix: NewInvalid's `KIND.GROUP
       # "NAME" is invalid: ERRS` (apimachinery v0.37.2 pkg/api/errors/errors.go:309) or
       # kubectl's `The KIND "NAME" is invalid` (kubectl v0.37.2 pkg/cmd/util/helpers.go:178);
       # only a driver (or a user by hand) writes a ResourceSlice, and a refused one is not
       # stored, so that node's devices stay unpublished (kubernetes-sigs/dranet#198: an
       # attribute string over DeviceAttributeMaxValueLength, 64 bytes, k8s.io/api v0.37.2
       # resource/v1/types.go:935, validated in pkg/apis/resource/validation/validation.go:1331)
       r"|\bResourceSlice(?:\.resource\.k8s\.io)? \\?\"[^\"\\\n]*\\?\" is invalid\b",
       "k8s.io/dynamic-resource-allocation v0.30-v0.37 (every driver's ResourceSlice "
       "publisher)",
       "kubernetes staging/src/k8s.io/dynamic-resource-allocation/resourceslice/"
       "resourceslicecontroller.go (v1.30.0..v1.37.2: 'create resource slice: %w', 'update "
       "resource slice: %w'): the apiserver refused the driver's slice, so the node's devices "
       "are not published (dra-driver-nvidia-gpu#1092: sharedCounters without counters; "
       "ROCm/gpu-operator#609: a driverVersion attribute that is not SemVer)"),
    _p("kubelet-not-allowed", "claim_not_reserved_for_pod", "kubelet",
       r"is not allowed to use (?:resource claim|ResourceClaim) (?P<claim>[\w.-]+)",
       "1.26-1.37", f"{K8S} v1.27.0..v1.37.2 {KUBELET_DRA}"),
    _p("kubelet-claim-not-allocated", "claim_not_reserved_for_pod", "kubelet",
       r"(?:claim|ResourceClaim) [\w./-]+: not allocated",
       "1.31-1.37", f"{K8S} v1.31.0..v1.34.0 {KUBELET_DRA} (pod on a node, claim never "
       "allocated: the scheduler was bypassed)"),
    _p("kubelet-fetch-claim-unserved", "dra_api_missing", "kubelet",
       # "fetch ResourceClaim %s: %w" since 1.34 (v1.37.2 manager.go:302)
       r"(?:failed to )?fetch ResourceClaim [\w.-]+(?: referenced by pod [\w.-]+)?: the server "
       r"could not find the requested resource",
       "kubelet older than the apiserver", "https://github.com/kubernetes-sigs/dra-driver-"
       "nvidia-gpu/issues/766; kubelet asks a resource.k8s.io version the apiserver does "
       "not serve"),
    # the Node authorizer lets a kubelet read only the ResourceClaims of pods bound to its node
    # (plugin/pkg/auth/authorizer/node graph: pod -> resourceclaim edges); a pod force-deleted
    # while running is gone from that graph, so the kubelet of 1.26-1.27 that re-read the claim
    # to unprepare it was refused and never unprepared (kubernetes/kubernetes#119307 caches
    # the claim at prepare instead)
    _p("kubelet-fetch-claim-forbidden", "kubelet_claim_access_denied", "kubelet",
       r"(?:failed to )?fetch ResourceClaim (?P<claim>[\w.-]+)(?: referenced by pod [\w.-]+)?: "
       r"[^\n]{0,120}?is forbidden: User \\?\"system:node:",
       "1.26-1.37 (Node authorizer)", f"{K8S} v1.27.0 {KUBELET_DRA} ('failed to fetch "
       "ResourceClaim %s referenced by pod %s: %+v'); https://github.com/kubernetes/kubernetes/"
       "pull/119307 (force-deleted pod, claim no longer readable by the node)"),
    _p("kubelet-prepare-failed", "driver_prepare_failed", "kubelet",
       r"NodePrepareResources?`?\s+(?:to\s+)?fail|NodePrepareResources: "
       r"|error preparing devices for claim|prepare devices failed|NodePrepareResources skipped \d+",
       "1.26-1.37", f"{K8S} v1.27.0 / v1.31.0 / v1.34.0 {KUBELET_DRA}; driver kubelet "
       "plugins (NVIDIA, dra-example-driver: 'error preparing devices for claim')",
       # a device query failing while a claim is prepared (v0.4.1 device_state.go:1002,
       # discoverGPUByPCIBusID) is prepare's error, not the start-up enumeration
       shadows=("nvidia-device-enumeration",)),
    _p("kubelet-claim-info-missing", "driver_prepare_failed", "kubelet",
       r"unable to get claim info for (?:ResourceClaim|claim) ",
       "1.27-1.35", f"{K8S} v1.27.0 {KUBELET_DRA} ('unable to get claim info for claim %s in "
       "namespace %s'), v1.31.0..v1.35.0 ('internal error: unable to get claim info for "
       "ResourceClaim %s'): the kubelet's claim cache lost a claim while preparing a pod's "
       "claims; kubernetes#135901 (a pod adding a claim to one already prepared), fixed by "
       "#135919 (backports #136463, 1.35; #136480, 1.34)"),
    _p("kubelet-prepare-generic", "driver_prepare_failed", "kubelet",
       r"Failed to prepare dynamic resources|FailedPrepareDynamicResources",
       "1.27-1.37", f"{K8S} v1.31.0..v1.37.2 pkg/kubelet/kuberuntime/kuberuntime_manager.go "
       "(event FailedPrepareDynamicResources)", generic=True),
    # NVIDIA's ComputeDomain (multi-node NVLink, IMEX) channel claims: the kubelet plugin holds
    # the workload pod in ContainerCreating until the IMEX side is Ready
    # (cmd/compute-domain-kubelet-plugin device_state.go "error asserting ComputeDomain Ready:
    # %w"; computedomain.go AssertComputeDomainReady)
    _p("cd-not-ready", "driver_prepare_failed", "DRA driver",
       r"error asserting ComputeDomain Ready|current node not ready in ComputeDomain"
       r"|ComputeDomain not Ready"
       # the daemon pod's own probe (`compute-domain-daemon check`, nvidia-imex-ctl -q): this
       # node's IMEX daemon is what the channel claims wait for (v0.4.1 cmd/compute-domain-
       # daemon/main.go:451,455; v25.3.2 :281)
       r"|IMEX daemon not ready: |IMEX daemon check failed: error running",
       "dra-driver-nvidia-gpu v25.3 ('ComputeDomain not Ready': the whole domain, numNodes "
       "daemons) .. v25.8-v0.4 ('current node not ready in ComputeDomain': this node's daemon; "
       "v0.4.1 computedomain.go:249)",
       "kubernetes-sigs/dra-driver-nvidia-gpu v25.3.2 / v25.8.1 cmd/compute-domain-kubelet-"
       "plugin/computedomain.go AssertComputeDomainReady, device_state.go:488",
       shadows=PREPARE_WORDINGS),
    # the IMEX daemon a ComputeDomain pod runs exits at start when no address of its nodes
    # config file is on a local interface: the domain never gets Ready, so the workload's
    # channel claims wait at prepare (dra-driver-nvidia-gpu#289; IMEX is NVIDIA's binary)
    _p("imex-no-interface", "driver_prepare_failed", "DRA driver",
       r"No matching network interface found for any IP addresses in the node configuration",
       "dra-driver-nvidia-gpu v25.3+ (the IMEX daemon of a ComputeDomain)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/289 (IMEX daemon "
       "startup error, misconfigured nodes config; the domain not marked ready)",
       shadows=PREPARE_WORDINGS),
    # the ComputeDomain daemon's container gets its IMEX config template and its clique and
    # domain env only through the kubelet plugin's CDI edits: a runtime with CDI off applies
    # none, silently (containerd 1.7 enable_cdi defaults to false; 2.x on), and the daemon
    # fails on the missing template (cmd/compute-domain-daemon writeIMEXConfig;
    # dra-driver-nvidia-gpu#720)
    _p("cd-daemon-no-cdi-edits", "cdi_not_enabled", "DRA driver",
       r"writeIMEXConfig failed: error parsing template file: open \S*imexd\.cfg\.tmpl: no "
       r"such file"
       # v0.4+ checks first that the CDI edits' COMPUTE_DOMAIN_UUID env reached it
       # (cmd/compute-domain-daemon/main.go:218@v0.4.1, PR #965)
       r"|CDI container edits did not apply -- is CDI enabled in your container runtime",
       "dra-driver-nvidia-gpu v25.8-v25.12 (compute-domain-daemon writeIMEXConfig), v0.4+ (its "
       "CDI check)",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/720 (maintainer: the "
       "CDI edits were not applied; CDI not enabled in the container runtime)"),
    _p("cd-namespace", "driver_prepare_failed", "DRA driver",
       r"the ResourceClaim's namespace is different than the ComputeDomain's namespace",
       "dra-driver-nvidia-gpu v25.3..v25.8",
       "kubernetes-sigs/dra-driver-nvidia-gpu v25.8.1 cmd/compute-domain-kubelet-plugin/"
       "computedomain.go:290 (a permanent error: the kubelet plugin does not retry it)",
       shadows=PREPARE_WORDINGS),
    # the ComputeDomain whose UID the channel claim's opaque config names is gone (deleted, or
    # recreated under a new UID while the claim kept the old one): the namespace check fails
    # first, as a permanent error the plugin does not retry (v0.4.1 cmd/compute-domain-
    # kubelet-plugin/computedomain.go:302,244, device_state.go:648-657; v25.3.2 :238,254)
    _p("cd-not-found", "driver_prepare_failed", "DRA driver",
       r"error asserting ComputeDomain(?:'s namespace| Ready): ComputeDomain not found: "
       r"(?P<uid>[\w-]+)",
       "dra-driver-nvidia-gpu v25.3..v0.4",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-kubelet-plugin/"
       "computedomain.go:244,302, device_state.go:648-657 (v25.3.2 computedomain.go:238,254)",
       shadows=PREPARE_WORDINGS + ("cd-not-ready",)),
    # a node serves one ComputeDomain at a time: preparing a channel claim labels the node
    # resource.nvidia.com/computeDomain=<the domain's UID>, and a node already labelled for
    # another domain refuses the claim until that domain's claims there are unprepared
    # (AddNodeLabel, retried by the kubelet)
    _p("cd-node-other-domain", "driver_prepare_failed", "DRA driver",
       r"label already exists for a different ComputeDomain",
       "dra-driver-nvidia-gpu v25.3..v0.4",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-kubelet-plugin/"
       "computedomain.go:320 (v25.8.1 :304), wrapped 'error adding Node label for "
       "ComputeDomain: %w' at device_state.go:653",
       shadows=PREPARE_WORDINGS),
    _p("cd-dns-names-driver", "driver_not_registered", "DRA driver",
       r"minimum version not satisfied for IMEXDaemonsWithDNSNames"
       r"|IMEXDaemonsWithDNSNames feature requires GPU driver version",
       "dra-driver-nvidia-gpu v25.8",
       "kubernetes-sigs/dra-driver-nvidia-gpu v25.8.1 cmd/compute-domain-kubelet-plugin/"
       "device_state.go:682-684 (the plugin does not start)"),
    # the ComputeDomain daemon takes the lowest free index among its clique's (or, without
    # ComputeDomainCliques, its domain's) daemons; with every index below the controller's
    # --max-nodes-per-imex-domain (default 18) taken, it cannot insert itself, so this node's
    # IMEX daemon never joins or gets Ready and the channel claims there wait at prepare
    # (v0.4.1 cmd/compute-domain-daemon/cdstatus.go:326, cdclique.go:367; v25.8.1
    # computedomain.go:348; retried by the daemon's workqueue, "Reconcile: %v")
    _p("cd-daemon-no-index", "driver_prepare_failed", "DRA driver",
       r"no available indices within maxNodesPerIMEXDomain \((?P<max>\d+)\)",
       "dra-driver-nvidia-gpu v25.8..v0.4",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/cdstatus.go:326, "
       "cdclique.go:367 (v25.8.1 computedomain.go:348); cmd/compute-domain-controller/main.go:"
       "136 (--max-nodes-per-imex-domain, MAX_NODES_PER_IMEX_DOMAIN, default 18)",
       shadows=PREPARE_WORDINGS),
    # the daemon's watchdog found its nvidia-imex child gone without being asked to stop
    # (a crash; IMEX's own lines before it say why) and starts it again; "treat fatal": it
    # could not, and the daemon pod exits (v0.4.1 cmd/compute-domain-daemon/process.go:188-196)
    _p("cd-imex-exited", "driver_prepare_failed", "DRA driver",
       r"Watchdog: child terminated unexpectedly"
       r"|watchdog: process lost, (?:wait|restart) failed, treat fatal",
       "dra-driver-nvidia-gpu v25.3..v0.4",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/process.go:188,"
       "191,196 (v25.3.2 :166)"),
    # the loop that rewrites IMEX's nodes config and (re)starts nvidia-imex on each update of
    # the domain's daemons failed; the daemon shuts down and its pod restarts (v0.4.1
    # cmd/compute-domain-daemon/main.go:316,322; wraps "error (re)starting IMEX daemon: %w",
    # "failed to ensure IMEX daemon is started: %w", "writeDaemonsConfig failed: %w")
    _p("cd-daemon-update-failed", "driver_prepare_failed", "DRA driver",
       r"IMEXDaemonUpdateLoop failed, initiate shutdown",
       "dra-driver-nvidia-gpu v25.3..v0.4",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/main.go:316,322 "
       "(v25.3.2 :216)"),
    # a driver's write refused by the kernel with EACCES: Go's os.PathError `OP PATH: permission
    # denied` (io/fs PathError.Error, syscall.EACCES). A root process with the default
    # capabilities is not refused on a writable filesystem (a read-only one says "read-only
    # file system"), so the container runs as a UID that does not own the path, or without
    # CAP_DAC_OVERRIDE, or an SELinux label denies it: on OpenShift the restricted SCC gives
    # the pod a random UID that cannot write root-owned /etc (NVIDIA/k8s-dra-driver-gpu
    # 616fe033 "Add SCC to service accounts on OpenShift": the compute-domain daemon's
    # `open /etc/nvidia-imex/nodes_config.cfg: permission denied`, fixed by binding the anyuid
    # SCC). Which of them is not said: inferred. /dev, /proc and /sys are the device cgroup's
    # and the kernel's, not the file's owner
    _p("driver-path-permission-denied", "security_context_denied", "DRA driver",
       r"\b(?:open|mkdir|remove|chmod|chown|lchown|symlink|truncate) "
       r"(?P<path>/(?!(?:dev|proc|sys)/)[^\s:\"'`]+): permission denied\b",
       "any driver (Go os.PathError), beside a DRA driver's own error",
       "NVIDIA/k8s-dra-driver-gpu 616fe03385145ca5dfeb8db5482d32e19b0e0b4e (OpenShift: random "
       "UID, root-owned /etc; anyuid SCC); Go io/fs PathError.Error 'op path: err'",
       paired=True),
    # imex.mode=hostManaged (HostManagedIMEXDaemon gate): no driver-run daemon; the kubelet
    # plugin asks the host's nvidia-imex (nvidia-imex-ctl -q over its socket, chrooted into the
    # driver root) at each channel claim's prepare and fails it, retried, until READY
    # (dra-driver-nvidia-gpu 95932046 cmd/compute-domain-kubelet-plugin/nvlib.go:420-431,
    # device_state.go:674)
    _p("cd-host-imex-not-ready", "driver_prepare_failed", "DRA driver",
       r"host nvidia-imex daemon (?:readiness check failed|not ready)"
       r"|nvidia-imex-ctl not found under driver root",
       "dra-driver-nvidia-gpu after v0.4.1 (imex.mode=hostManaged)",
       "kubernetes-sigs/dra-driver-nvidia-gpu 95932046 cmd/compute-domain-kubelet-plugin/"
       "nvlib.go:420,427,431, device_state.go:674",
       shadows=PREPARE_WORDINGS + ("cd-not-ready",)),
    # a driver's write of its OWN custom resource's status refused by the installed CRD's
    # schema: the CRD in the cluster is not the one this driver release was built against
    # (Helm installs crds/ once and never upgrades them) or it ships a broken schema
    # (apimachinery errors.NewInvalid: '<Kind>.<group> "<name>" is invalid: [status...]')
    # NVIDIA's GPU kubelet plugin prepares an MPS-shared claim by starting a per-claim MPS
    # control daemon Deployment in its own namespace (templates/mps-control-daemon.tmpl.yaml,
    # named mps-control-daemon-<id>); when it cannot be created or never becomes ready the
    # claim is not prepared
    _p("nvidia-mps-daemon", "driver_prepare_failed", "DRA driver",
       r"error starting MPS control daemon|MPS control daemon is not yet ready"
       r"|\b(?:pods?|deployments?(?:\.apps)?) \"(?P<daemon>mps-control-daemon-[\w.-]*)\"\s+is"
       r"\s+forbidden",
       "dra-driver-nvidia-gpu v0.1 (NodeAllocationState) .. v25.12",
       "kubernetes-sigs/dra-driver-nvidia-gpu cmd/gpu-kubelet-plugin/device_state.go ('error "
       "starting MPS control daemon: %w', 'MPS control daemon is not yet ready: %w'), "
       "sharing.go (daemonName 'mps-control-daemon-%s'); dra-driver-nvidia-gpu#229 (RBAC on "
       "deployments, PR #230), #1212 (OpenShift SCC refusing the daemon's pods, PR #1213)",
       shadows=PREPARE_WORDINGS),
    # NVIDIA's GPU kubelet plugin refuses a claim whose device its checkpoint holds prepared
    # for another claim (admin access aside): two claims allocated one device (a scheduler
    # race, kubernetes#136269) or a force-deleted pod's claim never unprepared; with
    # consumable shares a shared GPU's claims must carry the same config
    # (validateNoOverlappingPreparedDevices, wrapped "unable to prepare claim %v: %w")
    _p("driver-device-already-prepared", "driver_prepare_failed", "DRA driver",
       r"requested device (?P<device>[\w.-]+) (?:is already allocated to different claim|has "
       r"conflicting configuration with already prepared claim) (?P<other>[\w.-]+)",
       "dra-driver-nvidia-gpu v25.12+ (conflicting configuration: after v0.4.1)",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/gpu-kubelet-plugin/device_state.go:268,"
       "1251 (v25.12.0 :216,1147); conflicting configuration at 95932046 :1520",
       shadows=PREPARE_WORDINGS),
    # drivers derived from dra-example-driver check each allocation result against the
    # devices they publish on the node ('requested device is not allocatable: %v', GPU / NPU /
    # TPU in their forks): the result names a device this plugin does not know: another
    # driver's device in a multi-driver claim (drivers that do not skip results of other
    # drivers), or one that went away after allocation
    _p("driver-device-not-allocatable", "driver_prepare_failed", "DRA driver",
       r"requested \w+ is not allocatable: (?P<device>[\w.-]+)",  # device, GPU, NPU, TPU
       "dra-example-driver and drivers derived from it (NVIDIA, AMD, Ascend, TPU, USB)",
       "kubernetes-sigs/dra-example-driver cmd/dra-example-kubeletplugin/state.go "
       "prepareDevices ('requested device is not allocatable: %v'); dra-driver-nvidia-gpu "
       "cmd/gpu-kubelet-plugin/device_state.go; ROCm/k8s-gpu-dra-driver ('requested GPU is not "
       "allocatable: %v'); https://github.com/ROCm/k8s-gpu-dra-driver/pull/45 (a CPU device of "
       "another driver in the same claim; fixed by skipping other drivers' results)",
       shadows=PREPARE_WORDINGS),
    # the driver's kubelet-plugin DaemonSet cannot create its pods: they ask for a critical
    # priority class (system-node-critical, as driver charts set) in a namespace whose quota
    # admission limits those classes (ResourceQuota admission limitedResources; GKE outside
    # kube-system): no plugin pod, so no driver on any node. apiserver resourcequota
    # admission "insufficient quota to match these scopes: %v"
    _p("critical-priority-quota", "no_dra_drivers", "kube-controller-manager",
       r"insufficient quota to match these scopes: \[\{PriorityClass In \[[^\]]*system-"
       r"(?:node|cluster)-critical",
       "any (ResourceQuota admission with limitedResources; GKE limits the critical classes "
       "to kube-system)",
       "k8s.io/apiserver resourcequota admission ('insufficient quota to match these scopes: "
       "%v'); Kubernetes docs 'Limit Priority Class consumption by default'; "
       "https://github.com/kubernetes/test-infra/pull/35233 (the dra-example-driver kubelet "
       "plugin DaemonSet on GKE, fixed by a ResourceQuota for those classes)"),
    # the same DaemonSet refused for any other reason: its controller's FailedCreate "Error
    # creating: %v" (kubernetes v1.37.2 pkg/controller/controller_utils.go:600) around the
    # apiserver's admission refusal, which names the pod by its generateName "<daemonset>-"
    # (k8s.io/apiserver v0.37.2 pkg/admission/errors.go:45-46; apimachinery v0.37.2
    # pkg/api/errors/errors.go:216 '%s %q is forbidden: %v'): a service account the install
    # did not create (plugin/pkg/admission/serviceaccount/admission.go:164 "error looking up
    # service account %s/%s: %w"; ROCm/gpu-operator#533, the OLM bundle lacks the DRA driver's
    # SA), quota, PodSecurity, an SCC. Read only for a pod a DRA driver's kubelet plugin runs
    # in: its name says so (a `dra` word with driver/plugin, or kubelet-plugin), and not the
    # driver's controller or webhook, whose pods do not publish devices
    _p("driver-pods-forbidden", "no_dra_drivers", "kube-controller-manager",
       r"\bpods \"(?P<prefix>(?![\w.-]*(?:controller|webhook))(?=[\w.-]*?(?:kubelet-?plugin"
       r"|\bdra\b[\w.-]*?(?:driver|plugin)|(?:driver|plugin)[\w.-]*?\bdra\b))[\w.-]+)\" is "
       r"forbidden: (?P<reason>[^\n]{1,300})",
       "any (apiserver admission refusing a DaemonSet's pods)",
       "kubernetes v1.37.2 pkg/controller/controller_utils.go:600 (FailedCreate 'Error "
       "creating: %v'); k8s.io/apiserver v0.37.2 pkg/admission/errors.go:45-46 (the "
       "generateName as the name); kubernetes v1.37.2 plugin/pkg/admission/serviceaccount/"
       "admission.go:164; https://github.com/ROCm/gpu-operator/issues/533"),
    # an out-of-tree scheduler plugin failing in PreBind for the pod (the scheduler
    # framework's "running PreBind plugin %q: %w", pkg/scheduler/framework/runtime/
    # framework.go RunPreBindPlugins); the DynamicResources and VolumeBinding plugins' own
    # PreBind errors are read by their patterns
    _p("sched-prebind-plugin", "scheduler_plugin_error", "kube-scheduler",
       r"running PreBind plugin \"(?P<plugin>(?!DynamicResources\b|VolumeBinding\b)[\w.-]+)\": ",
       "1.19-1.37 (scheduler framework)",
       f"{K8S} v1.37.2 pkg/scheduler/framework/runtime/framework.go RunPreBindPlugins; "
       "https://github.com/SlinkyProject/slurm-bridge/issues/33 (a plugin building a device "
       "selector from an allocation without an index)", generic=True),
    _p("driver-crd-status-invalid", "driver_crd_invalid", "DRA driver",
       r"(?:updat|patch)\w*[^\n\"]{0,160}?(?P<kind>[A-Z]\w+)\.(?P<group>(?![\w.-]*k8s\.io\b)"
       r"[a-z0-9-]+(?:\.[a-z0-9-]+)+) \"(?P<name>[^\"]+)\" is invalid: \[?status\.",
       "any driver that writes status on its own CRD (dra-driver-nvidia-gpu ComputeDomain "
       "v25.3+)",
       "k8s.io/apimachinery pkg/api/errors NewInvalid ('%s %q is invalid: %v', Kind.group); "
       "kubernetes-sigs/dra-driver-nvidia-gpu v25.3.2 cmd/compute-domain-controller "
       "('error updating nodes in ComputeDomain status: %w'); dra-driver-nvidia-gpu#436 (the "
       "installed CRD's status enum did not hold the values the driver writes)"),
    # the same mismatch told by client-go's warning logger: the apiserver accepted a write but
    # dropped fields its (older) CRD schema does not know (fieldValidation Warn, the default
    # for clients). ResourceSlice / ResourceClaim fields are the API's own: not a driver CRD
    _p("driver-crd-unknown-field", "driver_crd_invalid", "DRA driver",
       r"warnings\.go:\d+\]\s+unknown field \"(?P<field>(?!spec\.(?:devices|sharedCounters|pool"
       r"|driver|nodeName|nodeSelector|allNodes|perDeviceNodeSelection)\b)(?!status\.(?:devices"
       r"|allocation|reservedFor)\b)[^\"]+)\"",
       "any driver that writes its own CRD (dra-driver-nvidia-gpu NodeAllocationState, "
       "v0.1-v0.2)",
       "k8s.io/client-go rest/warnings.go (WarningLogger: the apiserver's Warning header "
       "'unknown field \"<path>\"', server-side field validation, KEP-2885, default Warn); "
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/144 (maintainer: the "
       "CRDs were not reinstalled after updating the driver)"),
    _p("driver-prepare-error", "driver_prepare_failed", "DRA driver",
       r"unable to (?:create|delete) CDI spec file for claim|unable to prepare claim "
       r"|error preparing (?:devices|ComputeDomain daemon settings) for|invalid CDI Spec",
       "drivers", "kubernetes-sigs/dra-driver-nvidia-gpu 95932046 cmd/*-kubelet-plugin/"
       "device_state.go, driver.go; dra-example-driver 31914ce cmd/dra-example-kubeletplugin/"
       "state.go:182, driver.go:113 (errors NodePrepareResources returns)"),
    # The common shape of a driver's prepare path: the kubelet's NodePrepareResources reaches
    # the driver through k8s.io/dynamic-resource-allocation kubeletplugin, whose
    # PrepareResourceClaims returns one PrepareResult{Err} per claim; the kubelet prints that
    # error after its own wrapper ("NodePrepareResources failed for claim ...",
    # kubelet-prepare-failed), the driver after its own ("error preparing devices for claim",
    # driver-prepare-error). Users and fix commits quote the inner error alone: these are the
    # drivers' prepare-path callees whose errors end up there, each read bare
    _p("driver-prepare-inner", "driver_prepare_failed", "DRA driver",
       # dra-driver-cpu: prepareGroupedResourceClaim -> cpumanager.TakeByTopologyNUMAPacked
       # (a copy of the kubelet's CPU manager): the shared pool holds fewer CPUs than the
       # claim's, e.g. none when the kubelet's static cpuManagerPolicy owns them (84fa2d3).
       # The kubelet's own CPU manager says it at pod admission after "Allocate failed due
       # to" (topologymanager admission): not a DRA driver's, left out
       r"(?P<cpus>(?<!Allocate failed due to )not enough cpus available to\s+satisfy "
       r"request)"
       # NVIDIA's GPU plugin builds the claim's CDI spec through nvcdi, which asks NVML for the
       # GPU by UUID: NVML no longer sees a GPU bound to another driver (vfio-pci for a VM,
       # 193f8b62) or fallen off the bus. nvidia-ctk's own "cdi generate" wraps the same call
       # (nvcdi wrapper.go:81) in "failed to create device CDI specs" / "failed to generate CDI
       # spec" on its line: not a DRA driver's, left out
       r"|(?m:^)(?![^\n]*(?:create device CDI specs|generate CDI spec))[^\n]*?"
       r"(?P<nvml>(?:failed to get )?device handle from UUID(?: \"[^\"\n]*\")?: "
       r"(?P<nvmlret>[^\n\"]{1,60}))"
       # the GPU plugin's checkpoint holds the claim as PrepareStarted: a prepare began and
       # never completed (before b9e47624 a repeated prepare of a completed claim rewrote its
       # entry so, 'skip prepare: claim ... found in checkpoint'); unprepare then skips its
       # devices
       r"|(?P<checkpoint>unprepare noop: claim preparation started but not completed)",
       "dra-driver-cpu v0.1+; dra-driver-nvidia-gpu v25.3..v0.4 (nvcdi of "
       "nvidia-container-toolkit v1.14+); the checkpoint wording v25.8..v25.12",
       "k8s.io/dynamic-resource-allocation kubeletplugin PrepareResult.Err; kubernetes-sigs/"
       "dra-driver-cpu de98098 pkg/cpumanager/cpu_assignment.go:783,910, pkg/driver/"
       "dra_hooks.go prepareGroupedResourceClaim (commit 84fa2d3); NVIDIA/"
       "nvidia-container-toolkit d34b3046 pkg/nvcdi/lib-nvml.go:86, lib-csv.go:276, cmd/"
       "nvidia-ctk/cdi/generate/generate.go:319,409; kubernetes-sigs/dra-driver-nvidia-gpu "
       "193f8b62^ cmd/gpu-kubelet-plugin/cdi.go:208-210, device_state.go:379 (commit "
       "193f8b62); b9e47624^ cmd/gpu-kubelet-plugin/device_state.go:174,234 (commit b9e47624)",
       shadows=PREPARE_WORDINGS),
    # a VM's passthrough device whose IOMMU group is not wholly bound to vfio: QEMU (KubeVirt's
    # virt-launcher) cannot open the group. A DRA driver that prepares a device for
    # passthrough binds it to vfio-pci in its prepare (NVIDIA's gpu-kubelet-plugin
    # vfio-device.go Configure); one that binds the GPU but not its group companions (the
    # GPU's HDA audio function) leaves the group not viable (dra-driver-nvidia-gpu dc54b409).
    # QEMU's words, the driver's fault read from them: inferred
    _p("vfio-group-not-viable", "driver_prepare_failed", "QEMU (VM launcher)",
       r"\bvfio\b[^\n]{0,80}?\bgroup (?:\d+ )?is not viable\b"
       r"|all devices within the iommu[_ ]group are\s+bound to their vfio bus driver",
       "QEMU (every release with VFIO); DRA drivers that prepare devices for passthrough",
       "QEMU hw/vfio/common.c vfio_get_group ('vfio: error, group %d is not viable, please "
       "ensure all devices within the iommu_group are bound to their vfio bus driver.'), "
       "hw/vfio/container.c (error_setg 'group %d is not viable' + that hint), VFIO_GROUP_"
       "FLAGS_VIABLE; kubernetes-sigs/dra-driver-nvidia-gpu dc54b409 cmd/gpu-kubelet-plugin/"
       "vfio-device.go (binds IOMMU-group companions in Configure)"),
    _p("runtime-cdi-unresolvable", "cdi_device_unresolvable", "container runtime",
       r"CDI device injection failed: unresolvable CDI devices|unresolvable CDI devices",
       "containerd 1.7+/2.x, CRI-O", "containerd internal/cri (CDI injection); "
       "https://github.com/kubernetes/kubernetes/issues/119850"),
    # the CDI spec names a device node the runtime cannot find on the host: the CDI library
    # stats each deviceNodes[].hostPath (path when unset) while injecting, and containerd wraps
    # the error (a driver that made the node only inside its own container's /dev,
    # dra-driver-nvidia-gpu#307; a stale spec or an unloaded kernel module elsewhere)
    _p("runtime-cdi-host-device", "cdi_device_unresolvable", "container runtime",
       r"failed to stat CDI host device \\?\"?(?P<path>[^\s\"\\:]+)"
       r"|CDI device \(.{0,200}?\), host type mismatch",
       "containerd 1.7+/2.x, CRI-O, Podman, Docker (every runtime using the CDI library)",
       "tags.cncf.io/container-device-interface pkg/cdi/container-edits_unix.go "
       "DeviceNode.fillMissingInfo ('failed to stat CDI host device %q: %w', 'CDI device (%q, "
       "%q), host type mismatch (%s, %s)'), wrapped by pkg/cdi/cache.go InjectDevices ('failed "
       "to inject devices: %w') and containerd v2 pkg/cdi/oci_opt.go WithCDIDevices ('CDI device "
       "injection failed: %w')"),
    # a bind mount whose host source is not there when runc builds the container: runc 1.2+
    # asks its parent to open the source it cannot stat ("failed to fulfil mount request: %w"
    # around os.OpenFile's "open <path>: no such file or directory", runc v1.3.0
    # libcontainer/rootfs_linux.go:119-127, process_linux.go:685, mount_linux.go:329); runc
    # 1.0-1.1 stats it ("error mounting %q to rootfs at %q: %w" around "stat <path>: ...",
    # runc v1.1.12 libcontainer/rootfs_linux.go:88,233). A pod's own volumes cannot fail this
    # way: containerd's CRI creates a missing hostPath source (containerd v2.1.4 internal/cri/
    # opts/spec_linux_opts.go:109-117) and the kubelet's own paths sit under its root dir
    # (/var/lib/kubelet/pods/<uid>/..., excluded: a subPath or configmap gone is not CDI). So
    # the mount came from a CDI spec's containerEdits: the spec names a host path the node
    # lacks (a driver root other than the host's, nicolerenee/infra#2394: specs written with
    # driver root / while Talos keeps the driver under /usr/local; a stale spec)
    # NVIDIA's CDI library (nvidia-container-toolkit pkg/nvcdi, which the GPU kubelet plugin
    # and `nvidia-ctk cdi generate` use) asks, for a MIG device, for the parent's node and the
    # GPU- and compute-instance capability nodes /dev/nvidia-caps/nvidia-cap<minor>
    # (internal/platform-support/dgpu/nvml.go:82-150@d34b304); one its locator does not find
    # under the dev root is logged at warning and left out of the spec (internal/discover/
    # mounts.go:67@d34b304, :73@v1.12.0, :78@v1.14.0..v1.17.0): the claim is prepared, but
    # the container sees only the parent GPU and cannot use the MIG device. Only a numbered
    # node: the management spec's glob "nvidia-cap*" (pkg/nvcdi/management.go:102) missing
    # on a node without MIG is routine. dra-driver-nvidia-gpu#787, fixed by commit 9f40722c
    # (PR #788, v25.12.0+: the plugin writes the MIG cap nodes itself from
    # /proc/driver/nvidia/capabilities)
    _p("nvcdi-mig-cap-node-missing", "cdi_spec_incomplete", "DRA driver",
       r"Could not locate (?:\S*?)(?P<path>/dev/nvidia-caps/nvidia-cap\d+)(?![\d*])",
       "nvidia-container-toolkit v1.12..v1.20 CDI library; dra-driver-nvidia-gpu before "
       "v25.12.0",
       "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/787 (fixed by commit "
       "9f40722c, v25.12.0); NVIDIA/nvidia-container-toolkit internal/discover/mounts.go:67, "
       "internal/platform-support/dgpu/nvml.go:82-150 (d34b304)"),
    _p("runtime-cdi-mount-source-missing", "cdi_spec_incomplete", "container runtime",
       r"failed to fulfil mount request: open (?P<path>/(?!var/lib/kubelet/)"
       r"(?![^\s\"]*/pods/[0-9a-f-]{36}/)[^\s\"\\:]+): no such file or directory"
       r"|error mounting \"(?P<path2>/(?!var/lib/kubelet/)(?![^\s\"]*/pods/[0-9a-f-]{36}/)"
       r"[^\s\"]+)\" to rootfs at \"[^\"]+\": stat [^\s:]+: no such file or directory",
       "runc 1.2+ ('failed to fulfil mount request'), runc 1.0-1.1 ('error mounting ... to "
       "rootfs at'); containerd",
       "opencontainers/runc v1.3.0 libcontainer/process_linux.go:685, mount_linux.go:329, "
       "rootfs_linux.go:119-127; runc v1.1.12 libcontainer/rootfs_linux.go:88,233; containerd "
       "v2.1.4 internal/cri/opts/spec_linux_opts.go:109-117 (CRI mount sources are created); "
       "https://github.com/nicolerenee/infra/pull/2394 (DRA claim CDI specs with the wrong "
       "driver root)"),
    # ---------------------------------------------------------------- apiserver
    # the same 404 in client-go's watch-list fallback and kubectl's wording, naming the
    # resource: `the server could not find the requested resource (get deviceclasses.resource.
    # k8s.io)`: kubernetes/autoscaler#9244 (cluster-autoscaler 1.35 lists v1 DeviceClasses, an
    # EKS 1.32 apiserver serves only v1beta1)
    _p("client-get-unserved", "dra_api_missing", "DRA driver",
       r"the server could not find the requested resource \((?:get|list|watch) (?:deviceclasses|"
       r"resourceclaims|resourceclaimtemplates|resourceslices|devicetaintrules)\.resource\.k8s"
       r"\.io\)",
       "any client of resource.k8s.io (a version the apiserver does not serve)",
       "k8s.io/apimachinery NewNotFound/404 as client-go prints it (`the server could not find "
       "the requested resource (get <resource>)`); https://github.com/kubernetes/autoscaler/"
       "issues/9244"),
    _p("client-list-unserved", "dra_api_missing", "DRA driver",
       r"failed to (?:list|watch) \*?v(?P<version>\d\w*)\.(?:ResourceSlice|ResourceClaim"
       r"|ResourceClaimTemplate|DeviceClass|ResourceClass|DeviceTaintRule|PodSchedulingContext)"
       r"s?: the server could not find the requested resource",
       "any (a client built for a resource.k8s.io version the apiserver does not serve)",
       "client-go tools/cache/reflector.go ('failed to list %v: %w', the type as *<version>."
       "<Kind>) with the apiserver's 404 'the server could not find the requested resource'; "
       "https://github.com/intel/intel-resource-drivers-for-kubernetes/issues/47 (driver on "
       "v1beta1, Kubernetes 1.34 serves v1)"),
    _p("api-kind-unserved", "dra_api_missing", "kube-apiserver",
       r"no matches for kind \"(?:ResourceClaim|ResourceClaimTemplate|DeviceClass|ResourceSlice"
       r"|ResourceClass|PodSchedulingContext|DeviceTaintRule)\" in version "
       r"\"resource\.k8s\.io/(?P<version>\w+)\"",
       "any (API version not served)", "kubectl RESTMapper error: the apiserver does not "
       "serve that resource.k8s.io version"),
    _p("api-type-unserved", "dra_api_missing", "kube-apiserver",
       r"the server doesn't have a resource type \"(?:resourceclaims?|resourceclaimtemplates?"
       r"|deviceclass(?:es)?|resourceslices?|resourceclass(?:es)?)\"",
       "any", "kubectl: resource type not served by the apiserver"),
    _p("api-podclaim-source", "manifest_api_mismatch", "kube-apiserver",
       r"unknown field \"spec\.(?:template\.spec\.)?resourceClaims\[\d+\]\.source\"",
       "1.31-1.37 (pod.spec.resourceClaims[].source removed)",
       f"{K8S} v1.31.0 pkg/apis/core/types.go (PodResourceClaim flattened); kubectl strict "
       "field validation warning"),
    _p("api-podclaim-empty", "manifest_api_mismatch", "kube-apiserver",
       r"must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
       "1.31-1.37", f"{K8S} v1.34.0 pkg/apis/core/validation/validation.go "
       "(validatePodResourceClaim). With DRA off the apiserver drops the whole "
       "resourceClaims list (v1.33.0 pkg/api/pod/util.go), so an entry with a name and "
       "neither reference means the references were dropped as unknown fields: the "
       "pre-1.31 `source:` nesting"),
    _p("api-request-shape", "manifest_api_mismatch", "kube-apiserver",
       r"exactly one of `exactly` or `firstAvailable` is required|unknown field "
       r"\"spec(?:\.spec)?\.devices\.requests\[\d+\]\.(?:deviceClassName|selectors|count|"
       r"allocationMode|adminAccess)\"|unknown field \"spec(?:\.spec)?\.(?:resourceClassName|"
       r"parametersRef|allocationMode)\"",
       "1.34-1.37 (v1 requests need exactly/firstAvailable)",
       f"{K8S} v1.34.0 pkg/apis/resource/validation/validation.go (validateDeviceRequest)"),
    # a selector the apiserver cannot compile (or too costly) is refused at create: the
    # ResourceClaim(Template) or DeviceClass never exists (v1.37.2 pkg/apis/resource/
    # validation/validation.go:425-445 convertCELErrorToValidationError; the detail is
    # dynamic-resource-allocation v0.37.2 cel/compile.go:168 "compilation failed: ...")
    _p("api-cel-invalid", "selector_error", "kube-apiserver",
       r"selectors\[\d+\]\.cel\.expression: (?:Invalid value: [^\n]{0,600}?compilation "
       r"failed|Forbidden: too complex, exceeds cost limit)",
       "1.36-1.37", f"{K8S} v1.36.0..v1.37.2 pkg/apis/resource/validation/validation.go "
       "(validateCELExpression)"),
    # NVIDIA's GPU kubelet plugin (v0.4+) watches NVML health events: a GPU lost
    # (ERROR_GPU_IS_LOST, or an event whose device it cannot identify) taints every device it
    # publishes gpu.nvidia.com/gpu-lost, effect NoSchedule, so claims that do not tolerate it
    # get no device on the node (v0.4.1 cmd/gpu-kubelet-plugin/device_health.go:80-84,230,254,
    # driver.go:513). An xid event's taint may be effect None (non-fatal): not read here
    _p("nvidia-gpu-lost-taint", "device_taint_not_tolerated", "DRA driver",
       r"Tainting all devices with gpu\.nvidia\.com/gpu-lost"
       r"|Received gpu-lost health event for device (?P<device>[\w.-]+)",
       "dra-driver-nvidia-gpu v0.4+",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/gpu-kubelet-plugin/device_health.go:"
       "80-84,230,254, driver.go:513"),
    # the DRA driver's own validating webhook decodes and validates the opaque parameters
    # of its driver in a ResourceClaim(Template)'s spec.devices.config and refuses the object
    # (dra-driver-nvidia-gpu v0.4.1 cmd/webhook/main.go:254,282,291, webhook "gpu.nvidia.com";
    # dra-example-driver 31914ce cmd/dra-example-webhook/main.go:315,320,329): the claim or
    # template never exists, so the pods using it wait on it. Refused when the resourceclaim
    # controller creates a template's claim (a template older than the webhook), it is why
    # that create failed (K8S v1.37.2 pkg/controller/resourceclaim/controller.go:1122, event
    # :901): the parameters, not the controller, are the fault
    _p("driver-webhook-config-invalid", "admission_webhook_denied", "kube-apiserver",
       r"\d+ configs? failed to validate: (?:error decoding object|object) at (?:spec\.)?spec"
       r"\.devices\.config\[\d+\]\.opaque\.parameters",
       "dra-driver-nvidia-gpu v25.8+, dra-example-driver (their validating webhooks)",
       "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 cmd/webhook/main.go:254,282,291 (v25.8.1 "
       ":292); kubernetes-sigs/dra-example-driver 31914ce cmd/dra-example-webhook/main.go:"
       "315,320,329",
       shadows=("webhook-denies-claims", "ctrl-create-failed", "nvidia-sharing-gate-disabled")),
    _p("api-admin-label", "admin_access_forbidden", "kube-apiserver",
       r"admin access to devices requires the `resource\.kubernetes\.io/admin-access: true` "
       r"label",
       "1.33-1.37", f"{K8S} v1.34.0 pkg/registry/resource/utils.go (AuthorizedForAdmin)"),
    # another component's admission webhook refusing the DRA fields of a workload (a platform
    # that does not let its objects carry resources.claims / resourceClaims): no DRA component
    # saw the object (knative/serving#15332, Knative's validation webhook)
    _p("webhook-denies-claims", "admission_webhook_denied", "kube-apiserver",
       r"admission webhook \\?\"(?P<webhook>[\w.-]+)\\?\" denied the request: [^\n]{0,300}?"
       r"(?:resources\.claims|resourceClaims|ResourceClaim)",
       "any (admission webhooks of platforms that build pods: Knative, KServe, ...)",
       "k8s.io/apiserver admission webhook ('admission webhook %q denied the request: %s'); "
       "https://github.com/knative/serving/issues/15332",
       # the webhook is why the controller's create of the claim failed: it is the fault
       shadows=("ctrl-create-failed",)),
    _p("taint-eviction", "device_taint_not_tolerated", "kube-controller-manager",
       r"Device Taint manager: deleting due to NoExecute taint|DeletionByDeviceTaintManager"
       # the Pod event emitPodDeletionEvent records (reason, then message; "Marking for
       # deletion Pod <ns/name>" in older releases); "Cancelling deletion" is no fault
       r"|\bDeviceTaintManagerEviction\b.*\bMarking for deletion\b",
       "1.33-1.37", f"{K8S} v1.37.2 pkg/controller/devicetainteviction/"
       "device_taint_eviction.go"),
    # ---------------------------------------------------------------- other schedulers, operators
    # KAI's node-fit verdict for a pod that requests none of the resource (or whose node
    # shows more used than it has): its own accounting is wrong, not the node (KAI counted a
    # shared claim's device once per consuming pod, KAI-Scheduler#1930, fixed by PR #1931)
    _p("kai-accounting-impossible", "scheduler_plugin_error", "kai-scheduler",
       r"didn't have enough resources: (?P<resource>[\w./-]+), requested: 0,",
       "KAI-Scheduler (pkg/scheduler/api/common_info: 'Node didn't have enough resources: %s, "
       "requested: %s, used: %s, capacity: %s')",
       "https://github.com/kai-scheduler/KAI-Scheduler/issues/1930 (fixed by PR #1931)"),
    _p("kai-dra-disabled", "dra_feature_disabled", "kai-scheduler",
       r"while dynamic resource allocation feature is not enabled in cluster",
       "KAI-Scheduler v0.4+", "https://github.com/kai-scheduler/KAI-Scheduler/issues/34"),
    _p("gpu-operator-dra-disabled", "dra_feature_disabled", "gpu-operator",
       r"Dynamic Resource Allocation is not enabled in the kubernetes cluster",
       "GPU Operator v25.10+", "https://github.com/NVIDIA/gpu-operator/pull/1541"),
    # ---------------------------------------------------------------- Kueue (hand off to k8s-kueue)
    _p("kueue-class-unmapped", "kueue_class_unmapped", "kueue",
       r"DeviceClass (?P<cls>[\w.-]+) is not mapped in DRA configuration"
       r"|resourceClaims\[\d+\]\.resourceClaimTemplateName: Not foun",
       "Kueue v0.14-v0.19", "sigs.k8s.io/kueue v0.19.2 pkg/dra/claims.go:215 (field.NotFound "
       "on spec.podSets[i].template.spec.resourceClaims[j].resourceClaimTemplateName is the "
       "only NotFound there: a missing template is an Internal error on resourceClaims[j]; a "
       "Workload condition shows the path first, so a cut message keeps only that)"),
    _p("kueue-cel-no-devices", "no_matching_device", "kueue",
       r"insufficient matching devices for (?:CEL selector|counter|capacity)",
       "Kueue v0.19", "sigs.k8s.io/kueue v0.19.2 pkg/dra/claims.go, pkg/dra/counters.go, "
       "pkg/dra/capacity.go"),
    _p("kueue-counter-not-consumed", "kueue_counter_unmatched", "kueue",
       r"matched devices have no consumesCounters entry for counter",
       "Kueue v0.18-v0.19", "sigs.k8s.io/kueue v0.19.2 pkg/dra/counters.go:222"),
    _p("kueue-unsupported", "kueue_unsupported_claim", "kueue",
       r"KueueDRAIntegration feature does not support use of resource claims|"
       r"(?:FirstAvailable device selection|AdminAccess|AllocationMode 'All') is not supported"
       r"|unsupported allocation mode",
       "Kueue v0.14-v0.19", "sigs.k8s.io/kueue v0.19.2 pkg/dra/claims.go, "
       "pkg/controller/core/workload_controller.go"),
)

BY_KEY = {p.key: p for p in PATTERNS}


@dataclass
class Match:
    pattern: Pattern
    message: str        # the whole message (or line) it was found in
    groups: dict

    @property
    def cause(self) -> str:
        return self.pattern.cause

    def value(self, *names: str) -> str:
        for name in names:
            for key in (name, name + "2", name + "3"):
                if self.groups.get(key):
                    return self.groups[key]
        return ""


# names a user masked before posting (`resource claim ***** is in the process of being
# allocated`): the wording still tells the cause. The patterns' name parts ([\w.-]+) read
# the mask as a name; a name found is given back as the user wrote it.
_MASK = re.compile(r"\*{3,}")
_MASKED_NAME = "masked0name"


def classify(text: str) -> list[Match]:
    """The patterns `text` matches, specific ones first. A generic wording ('cannot allocate
    all claims', 'Failed to prepare dynamic resources') is kept only when nothing more
    specific matched the same message: "Failed to prepare dynamic resources: DRA driver X
    is not registered" is one report, not two."""
    # a message's quotes JSON-escaped (`resourceclaim \"x\" is being deleted`) as old
    # `kubectl get events` tables, JSON log records and klog's err="..." print them, copied
    # out of their quoting: the message's own quotes, as every pattern spells them
    text = str(text or "").replace('\\"', '"')
    mask = _MASK.search(text)
    searched = _MASK.sub(_MASKED_NAME, text) if mask else text
    found = []
    for pattern in PATTERNS:
        m = pattern.regex.search(searched)
        if m:
            found.append(Match(pattern, " ".join(text.split()),
                               {k: v.replace(_MASKED_NAME, mask.group(0)) if mask else v
                                for k, v in m.groupdict().items() if v}))
    shadowed = {key for m in found for key in m.pattern.shadows}
    found = [m for m in found if m.pattern.key not in shadowed]
    specific = [m for m in found if not m.pattern.generic]
    return specific or found


def mentions_dra(text: str) -> bool:
    return any(not m.pattern.paired for m in classify(text))
