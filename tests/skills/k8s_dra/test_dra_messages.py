"""Each DRA component's wording, per version, maps to its cause.

Every message below is the upstream format string at the cited version, filled in the way
the component fills it (names are placeholders); none is taken from the script's output.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from _dra.messages import PATTERNS, classify

REFERENCES = Path(__file__).resolve().parents[3] / "skills" / "k8s-dra" / "references"

PLUGIN = "pkg/scheduler/framework/plugins/dynamicresources/dynamicresources.go"

# (message, expected first cause, where the wording comes from)
WORDINGS = [
    # device taint eviction controller: the Pod event emitPodDeletionEvent records
    # (reason DeviceTaintManagerEviction), as `kubectl get events` prints it
    ("Normal   DeviceTaintManagerEviction   pod/pod-no-toleration     Marking for deletion",
     "device_taint_not_tolerated",
     "v1.37.2 pkg/controller/devicetainteviction/device_taint_eviction.go emitPodDeletionEvent"),
    ("team-b   DeviceTaintManagerEviction   pod/pod-b   Marking for deletion Pod team-b/pod-b",
     "device_taint_not_tolerated",
     "v1.33.0 pkg/controller/devicetainteviction/device_taint_eviction.go emitPodDeletionEvent"),
    # scheduler, structured parameters (1.31+): PreFilter / Filter statuses wrapped by the
    # scheduler's FitError ("0/N nodes are available: ...").
    ("0/2 nodes are available: request gpu: device class gpu.example.com does not exist. "
     "no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not "
     "helpful for scheduling.", "device_class_missing", f"v1.32.0 {PLUGIN}:450"),
    ("0/3 nodes are available: 3 cannot allocate all claims. preemption: 0/3 nodes are "
     "available: 3 Preemption is not helpful for scheduling.", "claims_unallocatable",
     f"v1.34.0 {PLUGIN}:999"),
    ("0/1 nodes are available: 1 timed out trying to allocate devices.",
     "claims_unallocatable", f"v1.34.0 {PLUGIN}:981"),
    ("0/4 nodes are available: resourceclaim in use.", "claim_in_use", f"v1.34.0 {PLUGIN}:586"),
    ('0/1 nodes are available: pod "team-a/train-0": ResourceClaim not created yet.',
     "claim_not_generated", "dynamic-resource-allocation v0.34.0 resourceclaim.go:75"),
    ('0/1 nodes are available: resourceclaim.resource.k8s.io "shared-gpu" not found.',
     "claim_missing", f"v1.34.0 {PLUGIN}:564 (lister NotFound as the status message)"),
    ("claim team-a/c, request gpus: exact count 40 is too large", "insufficient_devices",
     "dynamic-resource-allocation v0.34.0 allocator_stable.go:399"),
    ('claim team-a/c: selector #0 on device gpu.example.com/node-1/gpu-0: CEL runtime error: '
     'no such key: productName', "selector_error",
     "dynamic-resource-allocation v0.37.2 allocator_stable.go:1112"),
    ("resource claim team-a/c, request gpus: has subrequests, but the DRAPrioritizedList "
     "feature is disabled", "dra_feature_disabled", f"v1.34.0 {PLUGIN}:632"),
    ("resourceclaim depends on disabled DRAControlPlaneController feature",
     "dra_feature_disabled", f"v1.31.0 {PLUGIN}:718"),
    ("pool node-1 is invalid: duplicate device name gpu-0", "resource_pool_invalid",
     "dynamic-resource-allocation v0.34.0 allocator_stable.go:797"),
    # scheduler, classic DRA (1.26-1.30)
    ('running Reserve plugin "DynamicResources": waiting for resource driver to allocate '
     "resource", "classic_driver_not_allocating", f"v1.27.0 {PLUGIN}:690"),
    ("0/2 nodes are available: 2 resourceclaim cannot be allocated for the node "
     "(unsuitable).", "claims_unallocatable", f"v1.27.0 {PLUGIN}:447"),
    ("0/1 nodes are available: unallocated immediate resourceclaim.",
     "classic_driver_not_allocating", f"v1.27.0 {PLUGIN}:335"),
    ('waiting for dynamic resource controller to create the resourceclaim "pod0-gpu"',
     "claim_not_generated", f"v1.27.0 {PLUGIN}:280"),
    ("resource class gpu.example.com does not exist", "device_class_missing",
     f"v1.30.0 {PLUGIN}:901"),
    # resourceclaim controller (kube-controller-manager), event FailedResourceClaimCreation
    ('PodResourceClaim gpu: resource claim template "single-gpu": '
     'resourceclaimtemplate.resource.k8s.io "single-gpu" not found', "claim_template_missing",
     "v1.34.0 pkg/controller/resourceclaim/controller.go:487,606"),
    # kubelet, event FailedPrepareDynamicResources ("Failed to prepare dynamic resources: %v")
    ("Failed to prepare dynamic resources: prepare dynamic resources: DRA driver "
     "gpu.example.com is not registered", "driver_not_registered",
     "v1.34.0 pkg/kubelet/cm/dra/manager.go; kuberuntime_manager.go:1322"),
    ("Failed to prepare dynamic resources: plugin name gpu.resource.example.com not found in "
     "the list of registered DRA plugins", "driver_not_registered",
     "v1.27.0 pkg/kubelet/cm/dra/plugin/plugins_store.go"),
    ("Failed to prepare dynamic resources: prepare dynamic resources: NodePrepareResources "
     "failed for ResourceClaim train-0-gpu-x7k2p: error preparing devices",
     "driver_prepare_failed", "v1.34.0 pkg/kubelet/cm/dra/manager.go"),
    ("Failed to prepare dynamic resources: NodePrepareResources failed for claim "
     "team-a/train-0-gpu: unable to create CDI spec", "driver_prepare_failed",
     "v1.31.0 pkg/kubelet/cm/dra/manager.go"),
    ("Failed to prepare dynamic resources: pod train-0 (4f0c) is not allowed to use "
     "ResourceClaim shared (9a1b)", "claim_not_reserved_for_pod",
     "v1.34.0 pkg/kubelet/cm/dra/manager.go"),
    ("0/3 nodes are available: 1 resourceclaim not available on the node, 2 node(s) didn't "
     "match Pod's node affinity/selector.", "claim_reserved_elsewhere",
     f"v1.34.0 {PLUGIN}:1022"),
    ("Failed to prepare dynamic resources: prepare dynamic resources: ResourceClaim shared: "
     "not allocated", "claim_not_reserved_for_pod", "v1.34.0 pkg/kubelet/cm/dra/manager.go"),
    ("Failed to prepare dynamic resources: something the driver said",
     "driver_prepare_failed", "v1.31.0 kuberuntime_manager.go:1147 (generic)"),
    ("ResourceClaim train-0-gpu is being unprepared", "claim_deallocating",
     "v1.37.2 pkg/kubelet/cm/dra/manager.go:370"),
    ('RegisterPlugin error -- no handler registered for plugin type: DRAPlugin at socket '
     '/var/lib/kubelet/plugins_registry/gpu.example.com-reg.sock', "dra_feature_disabled",
     "v1.30.0 pkg/kubelet/kubelet.go:1559 + operation_generator.go:98"),
    # container runtime
    ("Error: failed to create containerd container: CDI device injection failed: "
     "unresolvable CDI devices k8s.gpu.example.com/gpu=gpu-0", "cdi_device_unresolvable",
     "containerd CRI CDI injection"),
    # apiserver / kubectl
    ('error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches '
     'for kind "ResourceClaim" in version "resource.k8s.io/v1"', "dra_api_missing",
     "kubectl RESTMapper"),
    ('error: the server doesn\'t have a resource type "deviceclasses"', "dra_api_missing",
     "kubectl discovery"),
    ('The Pod "p" is invalid: spec.resourceClaims[0]: Invalid value: {"Name":"gpu",'
     '"ResourceClaimName":null,"ResourceClaimTemplateName":null}: must specify one of: '
     '`resourceClaimName`, `resourceClaimTemplateName`', "manifest_api_mismatch",
     "v1.34.0 pkg/apis/core/validation/validation.go:3169"),
    ('spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` '
     'is required', "manifest_api_mismatch",
     "v1.34.0 pkg/apis/resource/validation/validation.go:215"),
    ("spec.devices.requests[0].exactly.adminAccess: Forbidden: admin access to devices "
     "requires the `resource.kubernetes.io/admin-access: true` label on the containing "
     "namespace", "admin_access_forbidden", "v1.34.0 pkg/registry/resource/utils.go:62"),
    # driver-side helpers
    ('pool "node-1", slice #0: some fields were dropped by the apiserver, probably because '
     'these features are disabled: DRAPartitionableDevices', "dra_feature_disabled",
     "dynamic-resource-allocation v0.34.0 resourceslicecontroller.go:268"),
    ("resource driver gpu.resource.example.com  allocate: claim not found",
     "classic_driver_not_allocating",
     "dynamic-resource-allocation v0.27.0 controller/controller.go:178,348"),
    # Kueue v0.19.2
    ("DeviceClass gpu.example.com is not mapped in DRA configuration for podset main",
     "kueue_class_unmapped", "kueue v0.19.2 pkg/dra/claims.go"),
    ("insufficient matching devices for CEL selector in DeviceClass gpu.example.com: 0 "
     "device(s) match in the cluster but 2 requested", "no_matching_device",
     "kueue v0.19.2 pkg/dra/claims.go:514"),
    ("insufficient matching devices for counter driver: 1 device(s) match but 3 requested",
     "no_matching_device", "kueue v0.19.2 pkg/dra/counters.go:208"),
    ('matched devices have no consumesCounters entry for counter "memory"',
     "kueue_counter_unmatched", "kueue v0.19.2 pkg/dra/counters.go:222"),
    ("insufficient matching devices for capacity driver: 0 device(s) match but 1 requested",
     "no_matching_device", "kueue v0.19.2 pkg/dra/capacity.go:167"),
    ("KueueDRAIntegration feature does not support use of resource claims",
     "kueue_unsupported_claim", "kueue v0.19.2 pkg/controller/core/workload_controller.go"),
    # Kueue's DRA validation error as a Workload condition prints it (k8s field.Error:
    # "<path>: Not found: <detail>"); the path comes first, so a cut message keeps only it.
    ('spec.podSets[0].template.spec.resourceClaims[0].resourceClaimTemplateName: Not found: '
     '"DeviceClass compute-domain-default-channel.nvidia.com is not mapped in DRA '
     'configuration for podset launcher"', "kueue_class_unmapped",
     "kueue v0.19.2 pkg/dra/claims.go:215 field.NotFound"),
    ("Requeued = False / Inadmissible spec.podSets[0].template.spec.resourceClaims[0]."
     "resourceClaimTemplateName: Not foun", "kueue_class_unmapped",
     "https://github.com/kubernetes-sigs/kueue/issues/13969 (cut by the reporter's paste)"),
    # kubelet UnprepareResources (pod termination): every error wrapped, 1.36+
    ('"Error syncing pod, skipping" err="unprepare dynamic resources: pod '
     '\\"team-a/train-0\\": ResourceClaim not created yet"', "claim_deallocating",
     "v1.37.2 pkg/kubelet/cm/dra/manager.go:615 + dynamic-resource-allocation v0.37.2 "
     "resourceclaim/resourceclaim.go:79 (kubernetes#139772)"),
    # classic DRA driver controller (k8s.io/dynamic-resource-allocation controller, 1.26-1.30)
    ('I0415 08:56:57.696443 1 controller.go:799] "skipping allocation for unsuitable selected '
     'node" logger="resource controller" key="schedulingCtx:gpu-test1/pod1" node="gpu2"',
     "classic_driver_not_allocating",
     "dynamic-resource-allocation v0.30 controller/controller.go syncPodSchedulingContexts"),
    # the same controller's V(6) status update when it lists nodes it cannot allocate on
    # (controller/controller.go syncPodSchedulingContexts, v0.26..v0.31)
    ('I1204 14:34:38.131441 1 controller.go:724] "resource controller: Updating pod scheduling '
     'with modified unsuitable nodes" key="schedulingCtx:gpu-test1/pod1" podSchedulingCtx="'
     '&PodSchedulingContext{Spec:PodSchedulingContextSpec{SelectedNode:w1,PotentialNodes:[w1],},'
     'Status:PodSchedulingContextStatus{ResourceClaims:[]ResourceClaimSchedulingStatus{'
     'ResourceClaimSchedulingStatus{Name:mig1g,UnsuitableNodes:[w1],},},},}"',
     "classic_driver_not_allocating",
     "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/33"),
    # the NVIDIA DRA driver's kubelet-plugin init container (hack/kubelet-plugin-prestart.sh
    # emit_common_err): no GPU driver under the driver root, so no GPU devices published
    ("Check failed. Has the NVIDIA GPU driver been set up? It is expected to be installed "
     "under NVIDIA_DRIVER_ROOT (currently set to '/home/kubernetes/bin/nvidia/') in the host "
     "filesystem.", "no_resource_slices",
     "https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/1008"),
    # the prepare failure told in prose, as driver issues describe it
    ("TakeByTopologyNUMAPacked fails with \"not enough cpus available to satisfy request\", "
     "causing `NodePrepareResources` to fail.", "driver_prepare_failed",
     "https://github.com/kubernetes-sigs/dra-driver-cpu/issues/134"),
]


@pytest.mark.parametrize("message,cause,source", WORDINGS, ids=[w[2] for w in WORDINGS])
def test_each_version_wording_names_its_cause(message, cause, source):
    found = classify(message)
    assert found, f"no pattern matches ({source}): {message}"
    assert found[0].cause == cause


def test_a_generic_wording_yields_to_the_specific_one_in_the_same_message():
    both = classify("Failed to prepare dynamic resources: DRA driver gpu.example.com is not "
                    "registered")
    assert [m.cause for m in both] == ["driver_not_registered"]
    alone = classify("Failed to prepare dynamic resources: something new")
    assert [m.pattern.generic for m in alone] == [True]


def test_the_kubelet_unprepare_wrapper_is_not_read_as_the_scheduler():
    """'ResourceClaim not created yet' is the scheduler's PreFilter status when it stands
    alone, but after the kubelet's 'unprepare dynamic resources:' it is the kubelet failing
    to tear a pod down (v1.37.2 pkg/kubelet/cm/dra/manager.go:615, kubernetes#139772)."""
    alone = classify('0/1 nodes are available: pod "a/b": ResourceClaim not created yet.')
    assert [m.cause for m in alone] == ["claim_not_generated"]
    wrapped = classify('unprepare dynamic resources: pod "a/b": ResourceClaim not created yet')
    assert [m.cause for m in wrapped] == ["claim_deallocating"]
    # a specific kubelet error inside the wrapper keeps its own cause (manager_test.go:1488)
    gone = classify("unprepare dynamic resources: DRA driver unknown-driver is not registered")
    assert [m.cause for m in gone] == ["driver_not_registered"]


def test_prepare_in_prose_names_the_failure_not_its_absence():
    assert classify("causing NodePrepareResources to fail")[0].cause == "driver_prepare_failed"
    assert classify("pod deletion delayed although NodePrepareResources was never issued") == []


def test_an_empty_unsuitable_nodes_update_is_no_refusal():
    """The classic controller also logs the update when the list is empty (every node is
    suitable): only a named node is its refusal (dynamic-resource-allocation controller.go)."""
    assert classify('"Updating pod scheduling with modified unsuitable nodes" podSchedulingCtx='
                    '"&PodSchedulingContext{Status:PodSchedulingContextStatus{ResourceClaims:'
                    '[]ResourceClaimSchedulingStatus{ResourceClaimSchedulingStatus{Name:gpu,'
                    'UnsuitableNodes:[],},},},}"') == []


def test_plain_scheduler_messages_are_not_dra():
    assert classify("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.") == []
    assert classify("0/1 nodes are available: 1 node(s) had untolerated taint "
                    "{nvidia.com/gpu: }.") == []


def test_the_reference_lists_every_pattern_with_its_source():
    text = (REFERENCES / "messages.md").read_text()
    for pattern in PATTERNS:
        row = next((line for line in text.splitlines() if f"`{pattern.key}`" in line), "")
        assert row, f"references/messages.md lacks {pattern.key}"
        assert f"`{pattern.cause}`" in row and pattern.source.split()[0] in row


def test_every_reported_cause_is_documented():
    causes = (REFERENCES / "causes.md").read_text()
    for cause in {p.cause for p in PATTERNS}:
        assert re.search(rf"`{cause}`", causes), cause


def test_a_cancelled_eviction_is_no_fault():
    # emitCancelPodDeletionEvent: the same reason, message "Cancelling deletion"
    assert classify("Normal   DeviceTaintManagerEviction   pod/p   Cancelling deletion") == []


# NVIDIA's ComputeDomain kubelet plugin (kubernetes-sigs/dra-driver-nvidia-gpu v25.3.2 and
# v25.8.1 cmd/compute-domain-kubelet-plugin/computedomain.go AssertComputeDomainReady,
# device_state.go): each wording gets the fix for its own failure, not the generic one.
@pytest.mark.parametrize("message, cause, fix_word", [
    ("Failed to prepare dynamic resources: NodePrepareResources failed for claim default/w-0-"
     "channel: error preparing devices for claim 3e1a: prepare devices failed: error applying "
     "config: error asserting ComputeDomain Ready: current node not ready in ComputeDomain",
     "driver_prepare_failed", "IMEX daemon"),
    ("error preparing devices for claim 3e1a: prepare devices failed: error asserting "
     "ComputeDomain Ready: ComputeDomain not Ready", "driver_prepare_failed", "numNodes"),
    ("NodePrepareResources failed for claim ml/w-0-channel: error preparing devices for claim "
     "9b2c: error asserting ComputeDomain's namespace: the ResourceClaim's namespace is "
     "different than the ComputeDomain's namespace", "driver_prepare_failed", "namespace"),
    ("E1203 09:47:58.600000 1 device_state.go:682] IMEXDaemonsWithDNSNames feature requires GPU "
     "driver version >= 570.158.1, but found 570.124.6", "driver_not_registered",
     "IMEXDaemonsWithDNSNames=false"),
])
def test_compute_domain_wordings(message, cause, fix_word):
    from _dra.reports import collect, findings
    found = findings(collect([], [message]), None)
    assert found and found[0]["cause"] == cause, found
    assert fix_word in found[0]["fix"], found[0]["fix"]


# A driver's status write on its own custom resource refused by the installed CRD: the
# controller's format string (dra-driver-nvidia-gpu v25.3.2 cmd/compute-domain-controller
# "error updating nodes in ComputeDomain status: %w") around apimachinery's NewInvalid
# ('%s %q is invalid: %v'); the values are the ones dra-driver-nvidia-gpu#436 shows.
CRD_REFUSAL = ('error updating nodes in ComputeDomain status: ComputeDomain.resource.nvidia.com '
               '"cd-1" is invalid: [status.status: Unsupported value: "NotReady": supported '
               'values: "UmVhZHk=", "Tm90UmVhZHk="]')


def test_driver_own_crd_refusing_its_status():
    from _dra.reports import collect, findings
    assert classify(CRD_REFUSAL)[0].cause == "driver_crd_invalid"
    found = findings(collect([], [CRD_REFUSAL]), None)
    assert found[0]["cause"] == "driver_crd_invalid", found
    assert "crds/" in found[0]["fix"] and "ComputeDomain.resource.nvidia.com" in found[0]["message"]


@pytest.mark.parametrize("message", [
    # the ResourceSlice publisher's refusal is the API's own kind: its own reading
    'update resource slice: ResourceSlice.resource.k8s.io "node-1-gpu" is invalid: '
    '[spec.devices[0].attributes: Invalid value]',
    # a spec (not status) refusal of a user's object is no driver CRD mismatch
    'error updating ComputeDomain: ComputeDomain.resource.nvidia.com "cd-1" is invalid: '
    'spec.numNodes: Invalid value: -1',
])
def test_other_refusals_are_not_a_driver_crd_mismatch(message):
    assert all(m.cause != "driver_crd_invalid" for m in classify(message))


@pytest.mark.parametrize("message, cause", [
    # client-go's warning logger (rest/warnings.go) printing the apiserver's field-validation
    # warning for a field the installed CRD does not know (dra-driver-nvidia-gpu#144)
    ('W0723 10:45:38.823998       1 warnings.go:70] unknown field '
     '"spec.allocatableDevices[0].gpu.driverVersion"', "driver_crd_invalid"),
    # the API's own types are no driver CRD: a ResourceSlice field an older apiserver drops
    ('W0101 00:00:00.000000       1 warnings.go:70] unknown field '
     '"spec.devices[0].bindsToNode"', None),
    # the GPU kubelet plugin's MPS daemon, refused by RBAC (dra-driver-nvidia-gpu#229) and by
    # OpenShift SCC admission in its Deployment's ReplicaFailure condition (#1212)
    ('prepare devices failed: error applying GPU config: error starting MPS control daemon: '
     'failed to get deployment: deployments.apps "mps-control-daemon-7468" is forbidden: User '
     '"system:serviceaccount:nvidia-dra:sa" cannot get resource "deployments"',
     "driver_prepare_failed"),
    ('message: \'pods "mps-control-daemon-f640e7a8-64fdb4c886-"\n      is forbidden: unable to '
     'validate against any security context constraint', "driver_prepare_failed"),
    # k8s.io/dynamic-resource-allocation kubeletplugin/draplugin.go 'start registrar: %v' under
    # a driver's 'start kubelet plugin: %w' (google/dranet#150, rootless Kubernetes)
    ('F0704 19:55:33.173098 1 app.go:153] driver failed to start: start kubelet plugin: start '
     'registrar: start gRPC server: listen on "": listen unix /var/lib/kubelet/plugins_registry/'
     'dra.net-reg.sock: bind: no such file or directory', "driver_not_registered"),
    # dra-example-driver state.go prepareDevices and its forks (ROCm/k8s-gpu-dra-driver#45)
    ('prepare devices failed: requested device is not allocatable: gpu-7', "driver_prepare_failed"),
    ('failed with "requested GPU is not allocatable: cpudevnuma000"', "driver_prepare_failed"),
])
def test_driver_component_wordings(message, cause):
    found = classify(" ".join(message.split()))
    assert (found[0].cause if found else None) == cause, found


@pytest.mark.parametrize("message, cause", [
    # the apiserver's resourcequota admission refusing the driver DaemonSet's critical-priority
    # pod, as kube-controller-manager logs it (kubernetes/test-infra#35233)
    ('E0728 08:53:49.846921 12 daemon_controller.go:1035] "Unhandled Error" err="insufficient '
     'quota to match these scopes: [{PriorityClass In [system-node-critical '
     'system-cluster-critical]}]"', "no_dra_drivers"),
    # the scheduler framework's PreBind wrapping of an out-of-tree plugin's error
    ('running PreBind plugin "SlurmBridge": expression cannot be empty string',
     "scheduler_plugin_error"),
    # KAI's node-fit message for a pod requesting none of the resource (common_info.go
    # format; KAI-Scheduler#1930: a shared claim's GPU counted once per pod)
    ("<node>: Node didn't have enough resources: GPUs, requested: 0, used: 2, capacity: 1",
     "scheduler_plugin_error"),
    # KAI-Scheduler's wording of the allocator's verdict
    ("no nodes with enough resources were found: 1 cannot allocate all DRA claims on node n1",
     "claims_unallocatable"),
])
def test_scheduler_and_controller_wordings(message, cause):
    assert classify(message)[0].cause == cause


def test_another_platforms_webhook_refusing_dra_fields():
    # the apiserver's admission-webhook wording with Knative's validation message, as
    # knative/serving#15332 shows it: no DRA component saw the object
    message = ('Error from server (BadRequest): error when creating "svc.yaml": admission '
               'webhook "validation.webhook.serving.knative.dev" denied the request: validation '
               'failed: must not set the field(s): spec.template.spec.containers[0].resources.'
               'claims')
    found = classify(message)
    assert found[0].cause == "admission_webhook_denied"
    assert found[0].value("webhook") == "validation.webhook.serving.knative.dev"


# Refusals whose fix depends on the words around them, not only on the cause: each message is
# the upstream format string filled as the component fills it.
@pytest.mark.parametrize("message, cause, fix_word", [
    # v1.37.2 pkg/controller/resourceclaim/controller.go:901,1122 (the generated claim has
    # only generateName, so its name is empty) around k8s.io/apiserver v0.37.2 resourcequota
    # controller.go:622
    ('PodResourceClaim gpu: create ResourceClaim : resourceclaims.resource.k8s.io '
     '"train-0-gpu-x7k2p" is forbidden: exceeded quota: gpu-quota, requested: '
     'gpu.example.com.deviceclass.resource.k8s.io/devices=1, used: '
     'gpu.example.com.deviceclass.resource.k8s.io/devices=4, limited: '
     'gpu.example.com.deviceclass.resource.k8s.io/devices=4', "claim_not_generated",
     "ResourceQuota"),
    # dynamic-resource-allocation v0.37.2 structured/internal/stable/allocator_stable.go:235
    ("0/2 nodes are available: claim team-a/nic, constraint #0: empty constraint "
     "(unsupported constraint type?).", "dra_feature_disabled", "DRAConsumableCapacity"),
    # v1.37.2 pkg/apis/resource/validation/validation.go:445 with dynamic-resource-allocation
    # v0.37.2 cel/compile.go:168
    ('The ResourceClaimTemplate "gpu" is invalid: spec.spec.devices.requests[0].exactly.'
     'selectors[0].cel.expression: Invalid value: "device.driver = \\"gpu.example.com\\"": '
     "compilation failed: ERROR: <input>:1:15: Syntax error: token recognition error at: '= '",
     "selector_error", "CEL expression"),
    # dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1093,
    # nonblockinggrpcserver.go:55
    ('start kubelet plugin: start DRA service: listen on "/var/lib/kubelet/plugins/gpu.example'
     '.com/dra.sock": listen unix /var/lib/kubelet/plugins/gpu.example.com/dra.sock: bind: no '
     "such file or directory", "driver_not_registered", "plugin data directory"),
    # dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1394 via :1295 and
    # v1.37.2 pkg/kubelet/cm/dra/manager.go:428
    ("Failed to prepare dynamic resources: prepare dynamic resources: NodePrepareResources: "
     "rpc error: code = Unknown desc = get resource claims: claim team-a/train-0-gpu-7xk2q got "
     "replaced", "claim_deallocating", "delete the pod"),
])
def test_refusals_get_their_own_fix(message, cause, fix_word):
    from _dra.reports import collect, findings
    found = findings(collect([], [message]), None)
    assert found and found[0]["cause"] == cause, found
    assert fix_word in found[0]["fix"], found[0]["fix"]
