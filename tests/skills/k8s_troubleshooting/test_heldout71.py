"""Held-out round 71 (pods-nodes): a WaitForFirstConsumer claim that keeps waiting. Expected
values come from the upstream source or the public thread named at each test, never from the
scripts:

- The PV controller records `WaitForFirstConsumer` "waiting for first consumer to be created
  before binding" (Normal) on each sync of an unbound claim of a WaitForFirstConsumer class that
  the scheduler has not selected a node for (kubernetes
  pkg/controller/volume/persistentvolume/pv_controller.go@v1.37.2:307-328, :366-369). Since 1.19
  (kubernetes#91455) a claim that a pod without spec.nodeName uses gets `WaitForPodScheduled`
  "waiting for pod X to be scheduled" instead (findNonScheduledPodsByPVC, :1484-1500), so the
  first reason repeating means no pod waits in the scheduler for it: a pod with spec.nodeName
  skips the scheduler, whose volumebinding plugin selects the node, and the claim stays Pending
  (kubernetes#93145, kubernetes#95767, openebs/openebs#2915): pvc_pending.
- client-go's event broadcaster logs each event as `Event(%#v): type: '%v' reason: '%v' %v`
  (tools/record/event.go@v0.37.2:383, StartLogging) or structured `"Event occurred"
  object=... kind=... type=... reason=... message=...` (:395, StartStructuredLogging): a
  kube-controller-manager log is a list of events.
"""
from __future__ import annotations

from .conftest import paste_findings, loud as _loud


def _claim(findings: list[dict]) -> list[dict]:
    return [f for f in _loud(findings) if f["cause"] == "pvc_pending"]


# kubernetes#93145 as pasted (kube-controller-manager 1.18's klog lines, 15 s apart: the PV
# controller's resync)
KLOG_118 = """\
I0503 16:12:10.049967       1 event.go:278] Event(v1.ObjectReference{Kind:"PersistentVolumeClaim", Namespace:"default", Name:"demo-local-hostpath-busybox-sts-local-hostpath-0", UID:"7f06a345-8551-4f07-bafa-9cad87ace6d1", APIVersion:"v1", ResourceVersion:"2914960", FieldPath:""}): type: 'Normal' reason: 'WaitForFirstConsumer' waiting for first consumer to be created before binding
I0503 16:12:25.050080       1 event.go:278] Event(v1.ObjectReference{Kind:"PersistentVolumeClaim", Namespace:"default", Name:"demo-local-hostpath-busybox-sts-local-hostpath-0", UID:"7f06a345-8551-4f07-bafa-9cad87ace6d1", APIVersion:"v1", ResourceVersion:"2914960", FieldPath:""}): type: 'Normal' reason: 'WaitForFirstConsumer' waiting for first consumer to be created before binding
"""

# the structured form (client-go event.go@v0.37.2:395), another claim and namespace
STRUCTURED = """\
I1207 05:40:01.112233       1 event.go:389] "Event occurred" object="shop/data-pg-0" fieldPath="" kind="PersistentVolumeClaim" apiVersion="v1" type="Normal" reason="WaitForFirstConsumer" message="waiting for first consumer to be created before binding"
I1207 05:40:16.112940       1 event.go:389] "Event occurred" object="shop/data-pg-0" fieldPath="" kind="PersistentVolumeClaim" apiVersion="v1" type="Normal" reason="WaitForFirstConsumer" message="waiting for first consumer to be created before binding"
"""

# `kubectl describe pvc`'s events as kubernetes#88163 shows them (x26 over 6m4s); its `Used By:`
# line is left out: `Used By: <none>` says no pod uses the claim (kubectl v0.37.2 pkg/describe/
# describe.go:1666-1717), the by-design wait of test_heldout79.py, while a pod pinned with
# spec.nodeName would be listed there
DESCRIBE_PVC = """\
Name:          data-web-0
Namespace:     default
StorageClass:  fast
Status:        Pending
Volume:
Labels:        app=web
Annotations:   <none>
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:
Access Modes:
VolumeMode:    Filesystem
Events:
  Type    Reason                Age                 From                         Message
  ----    ------                ----                ----                         -------
  Normal  WaitForFirstConsumer  2s (x26 over 6m4s)  persistentvolume-controller  waiting for first consumer to be created before binding
"""


def test_klog_event_lines_repeating_wffc_is_a_pending_claim():
    findings = _loud(paste_findings("triage.py", KLOG_118))
    assert findings and findings[0]["cause"] == "pvc_pending"
    top = findings[0]
    assert top["severity"] == "warning" and top["basis"] == "inferred"
    assert top["object"] == {"kind": "PersistentVolumeClaim", "namespace": "default",
                             "name": "demo-local-hostpath-busybox-sts-local-hostpath-0"}
    assert "nodeName" in top["fix"] and "kubectl describe pvc" in top["confirm"]


def test_structured_event_log_form_is_read_too():
    findings = _loud(paste_findings("triage.py", STRUCTURED))
    assert [f["cause"] for f in findings] == ["pvc_pending"]
    assert findings[0]["object"]["namespace"] == "shop"


def test_describe_pvc_event_count_is_a_repeat():
    findings = _loud(paste_findings("triage.py", DESCRIBE_PVC))
    assert findings and findings[0]["cause"] == "pvc_pending"


def test_pod_with_node_name_using_the_claim_is_named():
    # openebs/openebs#2915 shape: the StatefulSet's pod carries spec.nodeName, its claim waits
    pod = """\
apiVersion: v1
kind: Pod
metadata: {name: mail-0, namespace: default}
spec:
  nodeName: host
  containers: [{name: mail, image: mail}]
  volumes:
  - name: storage
    persistentVolumeClaim: {claimName: storage-mail-0}
status: {phase: Pending}
---
apiVersion: v1
kind: Event
metadata: {name: storage-mail-0.1, namespace: default}
involvedObject: {kind: PersistentVolumeClaim, namespace: default, name: storage-mail-0}
type: Normal
reason: WaitForFirstConsumer
message: waiting for first consumer to be created before binding
count: 12
"""
    claims = _claim(paste_findings("triage.py", pod))
    assert claims and any("spec.nodeName" in e for e in claims[0]["evidence"])


# --- near misses: the rule stays silent --------------------------------------------------------
def test_single_wffc_event_is_not_a_fault():
    one = KLOG_118.splitlines()[0] + "\n"
    assert not _claim(paste_findings("triage.py", one))


def test_pod_waiting_in_scheduler_gets_wait_for_pod_scheduled_not_this():
    # kubernetes#91455's "one pod" example (1.19+): the controller names the unscheduled pod
    text = """\
Events:
  Type    Reason                Age                From                         Message
  ----    ------                ----               ----                         -------
  Normal  WaitForFirstConsumer  20s (x6 over 87s)  persistentvolume-controller  waiting for first consumer to be created before binding
  Normal  WaitForPodScheduled   5s                 persistentvolume-controller  waiting for pod pod-0 to be scheduled
"""
    assert not _claim(paste_findings("triage.py", text))


def test_pending_pod_for_cpu_comes_first():
    # kubernetes#88229 (before 1.19): WaitForFirstConsumer repeated while the pod failed
    # scheduling; the scheduler's own reason is the answer
    text = KLOG_118 + (
        'I0503 16:12:26.050080       1 event.go:278] Event(v1.ObjectReference{Kind:"Pod", '
        'Namespace:"default", Name:"demo-local-hostpath-busybox-sts-0", UID:"1", APIVersion:"v1", '
        'ResourceVersion:"2", FieldPath:""}): type: \'Warning\' reason: \'FailedScheduling\' '
        "0/3 nodes are available: 3 Insufficient cpu.\n")
    findings = _loud(paste_findings("triage.py", text))
    assert findings and findings[0]["cause"] == "unschedulable_insufficient"
    assert not _claim(findings)


def test_single_wffc_beside_cpu_pending_pod():
    text = """\
LAST SEEN   TYPE      REASON                 OBJECT                             MESSAGE
20s         Warning   FailedScheduling       pod/web-0                          0/3 nodes are available: 3 Insufficient cpu.
20s         Normal    WaitForFirstConsumer   persistentvolumeclaim/data-web-0   waiting for first consumer to be created before binding
"""
    findings = _loud(paste_findings("triage.py", text))
    assert findings and findings[0]["cause"] == "unschedulable_insufficient"
    assert not _claim(findings)


def test_claim_that_then_shows_bound_stays_silent():
    text = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-web-0, namespace: default}
spec: {storageClassName: fast, volumeName: pvc-1}
status: {phase: Bound}
---
apiVersion: v1
kind: Event
metadata: {name: data-web-0.1, namespace: default}
involvedObject: {kind: PersistentVolumeClaim, namespace: default, name: data-web-0}
type: Normal
reason: WaitForFirstConsumer
message: waiting for first consumer to be created before binding
count: 5
"""
    assert not _claim(paste_findings("triage.py", text))


def test_provisioning_after_the_wait_is_not_this_rule():
    # the scheduler selected a node: the external-provisioner's event follows (its own story)
    text = DESCRIBE_PVC + (
        "  Normal  ExternalProvisioning  1s (x3 over 20s)  persistentvolume-controller  "
        "waiting for a volume to be created, either by external provisioner \"x\" or manually "
        "created by system administrator\n")
    claims = _claim(paste_findings("triage.py", text))
    assert not any("first consumer" in f["message"] for f in claims)
