"""explain_claim.py: reported evidence first, on every input form users paste.

Messages are upstream wordings (see test_dra_messages.py for their sources); expected
orderings follow the rules in references/messages.md (issue 12: reported first, inference
never contradicting, a paste is partial).
"""
from __future__ import annotations

NVIDIA = "cluster-nvidia.yaml"

DESCRIBE_PENDING = """\
Name:             train-0
Namespace:        team-a
Node:             <none>
Status:           Pending
Conditions:
  Type           Status
  PodScheduled   False
Events:
  Type     Reason            Age                From               Message
  ----     ------            ----               ----               -------
  Warning  FailedScheduling  31s (x3 over 2m)   default-scheduler  0/2 nodes are available: 2 cannot allocate all claims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.
"""

EVENTS_TABLE = """\
LAST SEEN   TYPE      REASON                          OBJECT          MESSAGE
12s         Normal    Scheduled                       pod/train-0     Successfully assigned team-a/train-0 to gpu-h200-dra-0
3s          Warning   FailedPrepareDynamicResources   pod/train-0     Failed to prepare dynamic resources: prepare dynamic resources: DRA driver gpu.nvidia.com is not registered
"""

PENDING_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: train-0, namespace: team-a, uid: u-train-0}
spec:
  resourceClaims: [{name: gpus, resourceClaimName: want-h100}]
  containers: [{name: main, image: app, resources: {claims: [{name: gpus}]}}]
status:
  phase: Pending
  conditions:
  - type: PodScheduled
    status: "False"
    reason: Unschedulable
    message: '0/2 nodes are available: 2 cannot allocate all claims. preemption: 0/2 nodes
      are available: 2 Preemption is not helpful for scheduling.'
"""


def test_describe_text_with_only_the_scheduler_message(script, tmp_path):
    paste = tmp_path / "describe.txt"
    paste.write_text(DESCRIBE_PENDING)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.code == 1, r.err
    first = r.doc["findings"][0]
    assert (first["cause"], first["basis"]) == ("claims_unallocatable", "reported")
    assert len(r.doc["findings"]) == 1
    assert "cannot allocate all claims" in first["evidence"][0]


def test_events_table_kubelet_report_wins_over_scheduling(script, tmp_path):
    paste = tmp_path / "events.txt"
    paste.write_text(EVENTS_TABLE)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.causes == ["driver_not_registered"]
    assert "gpu.nvidia.com" in r.doc["findings"][0]["message"]


def test_scheduler_verdict_is_explained_by_the_dump_not_contradicted(script, dump):
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/no-matching.yaml",
                                              extra=PENDING_POD), "--json")
    first = r.doc["findings"][0]
    assert first["cause"] == "no_matching_device" and first["basis"] == "inferred"
    assert "PodScheduled condition: 0/2 nodes are available: 2 cannot allocate all claims" \
        in first["evidence"][0]
    assert "claims_unallocatable" not in r.causes  # folded into its explanation


def test_scheduler_verdict_without_slices_stays_reported(script, dump):
    r = script("explain_claim.py", "-f", dump("explain/no-matching.yaml", extra=PENDING_POD),
               "--json")
    assert r.causes[0] == "claims_unallocatable"
    notes = [f for f in r.doc["findings"] if f["cause"].endswith("_not_in_dump")]
    assert notes and notes[0]["confirm"].startswith("kubectl get deviceclasses")


def test_kubelet_event_objects_make_scheduling_inference_moot(script, dump):
    events = """\
apiVersion: v1
kind: Event
metadata: {name: train-0.1, namespace: team-a}
involvedObject: {kind: Pod, name: train-0, namespace: team-a}
reason: FailedPrepareDynamicResources
type: Warning
count: 7
source: {component: kubelet, host: gpu-h200-dra-0}
message: 'Failed to prepare dynamic resources: prepare dynamic resources: NodePrepareResources
  failed for ResourceClaim train-0-gpus: error preparing devices for claim: MIG device
  allocation failed'
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: train-0.2, namespace: team-a}
regarding: {kind: Pod, name: train-0, namespace: team-a}
reason: Scheduled
note: Successfully assigned team-a/train-0 to gpu-h200-dra-0
"""
    r = script("explain_claim.py", "-f", dump("explain/no-matching.yaml", extra=PENDING_POD
                                              + "---\n" + events), "--json")
    assert r.causes[0] == "driver_prepare_failed"
    assert "(x7)" in r.doc["findings"][0]["evidence"][0]
    assert "no_matching_device" not in r.causes


def test_text_without_any_dra_message_is_bad_input(script, tmp_path):
    paste = tmp_path / "noise.txt"
    paste.write_text("Name: web\nStatus: Running\nEvents: <none>\n: : [\n")
    r = script("explain_claim.py", "-f", str(paste))
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert r.err.startswith("error: ")


def test_v1beta1_request_shape_is_read(script, dump):
    """v1alpha3/v1beta1 requests carry deviceClassName and count on the request itself."""
    claim = """\
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: ten, namespace: team-a}
spec:
  devices:
    requests:
    - {name: gpus, deviceClassName: gpu.nvidia.com, count: 10}
"""
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=claim), "--json")
    assert r.causes == ["insufficient_devices"]
    assert r.doc["changes"][0]["path"] == "spec.devices.requests[0].count"


def test_classic_v1alpha2_claims(script, dump):
    template = """\
apiVersion: resource.k8s.io/v1alpha2
kind: ResourceClaimTemplate
metadata: {name: gpu, namespace: team-a}
spec:
  spec: {resourceClassName: gpu.nvidia.com}
---
apiVersion: v1
kind: Pod
metadata: {name: classic, namespace: team-a, uid: u-c}
spec:
  resourceClaims: [{name: gpu, source: {resourceClaimTemplateName: gpu}}]
  containers: [{name: main, image: app}]
status: {phase: Pending}
"""
    r = script("explain_claim.py", "-f", dump(extra=template + "---\napiVersion: v1\n"
                                              "kind: List\nitems: []\n", as_list=False),
               "--json")
    # nothing provable: the template is in the paste, ResourceClasses are not
    assert r.code == 0 and r.causes == ["resource_class_not_in_dump"]
    listed = template.replace("source: {resourceClaimTemplateName: gpu}",
                              "resourceClaimTemplateName: gpu")
    empty = "---\napiVersion: resource.k8s.io/v1alpha2\nkind: ResourceClassList\nitems: []\n"
    r = script("explain_claim.py", "-f", dump(extra=listed + empty, as_list=False), "--json")
    assert r.causes == ["device_class_missing"]
    cls = ("---\napiVersion: resource.k8s.io/v1alpha2\nkind: ResourceClass\n"
           "metadata: {name: gpu.nvidia.com}\ndriverName: gpu.resource.nvidia.com\n")
    r = script("explain_claim.py", "-f", dump(extra=listed + cls, as_list=False), "--json")
    assert r.causes == ["classic_driver_not_allocating"]
    assert r.doc["findings"][0]["basis"] == "inferred" and r.doc["findings"][0]["confirm"]


def test_old_events_of_a_pod_that_now_runs_are_history(script, dump):
    running = PENDING_POD.replace("phase: Pending", "phase: Running").replace(
        "status: \"False\"", "status: \"True\"")
    event = """\
apiVersion: v1
kind: Event
metadata: {name: train-0.1, namespace: team-a}
involvedObject: {kind: Pod, name: train-0, namespace: team-a}
reason: FailedScheduling
source: {component: default-scheduler}
message: '0/2 nodes are available: 2 cannot allocate all claims.'
"""
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=running + "---\n" + event),
               "--json")
    assert r.code == 0 and "claims_unallocatable" not in r.causes


def test_a_report_and_the_same_inference_become_one_finding_with_both(script, dump):
    """The scheduler says the claim is not available on the node; the spec analysis names
    the node and the conflicting nodeSelector: one finding, basis reported, both evidences."""
    event = """\
---
apiVersion: v1
kind: Event
metadata: {name: b.1, namespace: team-a}
involvedObject: {kind: Pod, name: b, namespace: team-a}
reason: FailedScheduling
source: {component: default-scheduler}
message: '0/3 nodes are available: 1 resourceclaim not available on the node, 2 node(s)
  didn''t match Pod''s node affinity/selector.'
"""
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/reserved.yaml", extra=event),
               "-n", "team-a", "b", "--json")
    found = [f for f in r.doc["findings"] if f["cause"] == "claim_reserved_elsewhere"]
    assert len(found) == 1 and found[0]["basis"] == "reported"
    assert "excludes node gpu-h200-dra-0" in found[0]["message"]
    assert "resourceclaim not available on the node" in found[0]["evidence"][0]


def test_log_lines_under_a_describe_block_are_read(script, tmp_path):
    """A describe paste followed by kubelet log lines (dranet#30's shape): the lines the
    kit does not turn into objects still carry the kubelet's report."""
    paste = tmp_path / "mixed.txt"
    paste.write_text(
        "Name:             pod1\nNamespace:        default\nNode:             n1/10.0.0.1\n"
        "Status:           Pending\nConditions:\n  Type           Status\n"
        "  PodScheduled   True\n\ngrep -i pod1 syslog | tail\n"
        'Dec 28 20:39:07 n1 kubelet[723]: E1228 20:39:07.524213 723 kuberuntime_manager.go:1217]'
        ' "Failed to prepare dynamic resources" err="pod pod1(8221) is not allowed to use '
        'resource claim shared(6c61)" pod="default/pod1"\n')
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.causes == ["claim_not_reserved_for_pod"]


def test_a_multi_word_reporter_in_a_describe_events_table(script, tmp_path):
    """Classic DRA drivers report as "resource driver <name>" (dynamic-resource-allocation
    v0.27.0 controller.go): the From column has spaces."""
    paste = tmp_path / "claim.txt"
    paste.write_text(
        "Name:         c\nNamespace:    t\nAPI Version:  resource.k8s.io/v1alpha2\n"
        "Kind:         ResourceClaim\nSpec:\n  Allocation Mode:      Immediate\n"
        "  Resource Class Name:  gpu.example.com\nStatus:\nEvents:\n"
        "  Type     Reason  Age  From                                Message\n"
        "  ----     ------  ---  ----                                -------\n"
        "  Warning  Failed  4s   resource driver gpu.resource.example.com  allocate: no GPU "
        "left\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.causes[0] == "classic_driver_not_allocating"


def test_text_the_kit_cannot_split_is_still_read_for_messages(script, tmp_path):
    paste = tmp_path / "log.txt"
    paste.write_text("[1] - Aug 09 09:58:45 n kubelet[1851]: E0809 remote_runtime.go:302] "
                     '"CreateContainer in sandbox from runtime service failed" err="rpc error: '
                     'code = Unknown desc = failed to create containerd container: CDI device '
                     'injection failed: unresolvable CDI devices vendor.com/dev=x"\n')
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.causes == ["cdi_device_unresolvable"]


NIC_SLICE = """\
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: fabric}
spec:
  driver: nic.example.com
  pool: {name: fabric, generation: 1, resourceSliceCount: 1}
  nodeSelector:
    nodeSelectorTerms:
    - matchExpressions:
      - {key: kubernetes.io/hostname, operator: In, values: [gpu-h200-dra-1]}
  devices:
  - {name: nic-0, attributes: {kind: {string: fabric}}}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: nic.example.com}
spec:
  selectors:
  - cel: {expression: 'device.driver == "nic.example.com"'}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: nic, namespace: team-a}
spec:
  devices:
    requests:
    - {name: nic, exactly: {deviceClassName: nic.example.com}}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: team-a, uid: u-p}
spec:
  nodeSelector: {kubernetes.io/hostname: HOST}
  resourceClaims: [{name: nic, resourceClaimName: nic}]
  containers: [{name: m, image: x}]
status: {phase: Pending}
"""


def test_devices_of_a_node_selector_slice_reach_only_the_nodes_it_selects(script, dump):
    """resource/v1 ResourceSliceSpec.NodeSelector: the devices are available on the nodes
    it selects (k8s.io/api resource/v1 types.go); matched with the kit's node selector."""
    blocked = dump(NVIDIA, extra=NIC_SLICE.replace("HOST", "gpu-h200-dra-0"))
    r = script("explain_claim.py", "-f", blocked, "-n", "team-a", "pinned", "--json")
    assert r.causes[0] == "insufficient_devices"
    ok = dump(NVIDIA, extra=NIC_SLICE.replace("HOST", "gpu-h200-dra-1"))
    r = script("explain_claim.py", "-f", ok, "-n", "team-a", "pinned", "--json")
    assert r.code == 0


BEING_ALLOCATED = """\
Events:
  Type     Reason            Age                  From               Message
  ----     ------            ----                 ----               -------
  Warning  FailedScheduling  9s ({count})  default-scheduler  0/3 nodes are available: resource claim team-b/shared-0 is in the process of being allocated. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"""


def test_a_claim_in_the_process_of_being_allocated_for_a_moment_is_in_use(script, tmp_path):
    # dynamicresources.go v1.30.0..v1.37.2 PreFilter: another pod's cycle holds an in-flight
    # allocation of the shared claim; it ends with that pod's PreBind
    path = tmp_path / "pod.txt"
    path.write_text(BEING_ALLOCATED.format(count="x3 over 12s"))
    found = script("explain_claim.py", "-f", str(path), "--json").doc["findings"]
    assert (found[0]["cause"], found[0]["basis"]) == ("claim_in_use", "reported")


def test_a_claim_stuck_in_the_process_of_being_allocated_is_a_scheduler_bug(script, tmp_path):
    # kubernetes#137617: gang-scheduled pods sharing a claim loop on this message forever
    # (x2292168 over 7m21s), fixed in the plugin by PR #137647; at the scheduler's 10s maximum
    # backoff, 30 attempts is 5 minutes of an allocation that never completes
    path = tmp_path / "pod.txt"
    path.write_text(BEING_ALLOCATED.format(count="x40 over 9m"))
    found = script("explain_claim.py", "-f", str(path), "--json").doc["findings"]
    assert (found[0]["cause"], found[0]["basis"]) == ("scheduler_plugin_error", "reported")
    assert "team-b/shared-0" in found[0]["message"]


def test_a_kubelet_log_line_cut_by_the_terminal_is_read_whole(tmp_path):
    """kubelet v1.37.2 operation_generator.go:108, a console copy cut every 80 columns
    (inside words): the registration failure is still dra_feature_disabled (no exit 2)."""
    import subprocess
    import sys as _sys

    from tests.skill_scripts import ROOT as _ROOT
    log = ('E0520 07:49:57.337809       1 nonblockinggrpcserver.go:125] "handling request '
           'failed" err="failed registration process: RegisterPlugin error -- no handler '
           'registered for plugin type: DRAPlugin at socket /var/lib/kubelet/plugins_registry/'
           'net.example.sock" logger="registrar"')
    paste = tmp_path / "paste.txt"
    paste.write_text("\n".join(log[i:i + 80] for i in range(0, len(log), 80)) + "\n")
    proc = subprocess.run([_sys.executable, str(_ROOT / "skills" / "k8s-dra" / "scripts" /
                                                "explain_claim.py"), "-f", str(paste), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    import json as _json
    assert _json.loads(proc.stdout)["findings"][0]["cause"] == "dra_feature_disabled"
