"""Held-out rounds 76-77 (pods-nodes, triage.py). Expected values come from the upstream source
or the public thread named at each test, never from the scripts:

- The kubelet's CSI mounter refuses a volume whose lifecycle mode the driver's CSIDriver object
  does not allow: "volume mode %q not supported by driver %s (no CSIDriver object)" / "(only
  supports %q)" (kubernetes v1.37.2 pkg/volume/csi/csi_mounter.go:557,562), wrapped at :123 and
  by the FailedMount event "MountVolume.SetUp failed for volume %q : ..." (operation_executor.go
  :328, operation_generator.go:484) -> mount_failed (kubernetes-sigs/secrets-store-csi-driver
  #1135: the driver installed under another name).
- The runtime's network teardown when the kubelet stops a sandbox: containerd "failed to destroy
  network for sandbox %q: %w" (v2.1.4 internal/cri/server/sandbox_stop.go:119), logged by the
  kubelet as "StopPodSandbox from runtime service failed" (k8s.io/cri-client v0.37.2
  pkg/remote_runtime.go:355) or recorded as FailedKillPod "error killing pod: ..."
  (kubelet.go:2378) with KillPodSandboxError (sync_result.go:95,181); libcni's "failed to get
  network %q cached result" (containernetworking/cni v1.1.2 libcni/api.go:502) and "plugin %s
  failed (delete)" (v1.3.0 api.go:606) -> sandbox_failed (AverageMarcus/blog 2025-09-28:
  an empty /var/lib/cni/results file).
- The scheduler's Scheduled event "Successfully assigned %v/%v to %v" (v1.37.2
  pkg/scheduler/schedule_one.go:1138) newer than the last FailedScheduling: the pod was bound,
  the failure is history -> no error or warning (awslabs/ai-on-eks stablediffusion-gpus.md,
  Karpenter provisioning the GPU node).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .conftest import paste_findings, loud as _loud

SKILLS = Path(__file__).resolve().parents[3] / "skills"
for _path in (SKILLS / "k8s-troubleshooting" / "scripts", SKILLS / "_shared"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

TRIAGE = "triage.py"


# ---- CSIDriver lifecycle mode ----------------------------------------------------------------

# kubernetes-sigs/secrets-store-csi-driver#1135, as the user typed the describe event's tail
NO_CSIDRIVER = """\
I have added following volume in the pod deployment yaml file.
      volumes:
      - name: secrets-store
        csi:
          driver: secrets-store.csi.k8s.io
          readOnly: true

But still I am getting this error in the pod when I execute this command : kubectl describe po
Failed Mount - volume mode "Ephemeral" not supported by driver secrets-store.csi.k8s.io (no CSIDriver object)
"""

# the whole FailedMount event (operation_executor.go:328 + csi_mounter.go:123,562), a CSIDriver
# that lists Persistent only; %q of the modes slice prints ["Persistent"]
ONLY_PERSISTENT = """\
Events:
  Type     Reason       Age                From     Message
  ----     ------       ----               ----     -------
  Normal   Scheduled    40s                default-scheduler  Successfully assigned apps/web-5d8c to node-2
  Warning  FailedMount  8s (x7 over 40s)   kubelet  MountVolume.SetUp failed for volume "inline-cache" : kubernetes.io/csi: mounter.SetupAt failed to check volume lifecycle mode: volume mode "Ephemeral" not supported by driver csi.example.com (only supports ["Persistent"])
"""

# near miss: the mount went through; a CSIDriver's describe lists its modes
MOUNTED = """\
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  40s   default-scheduler  Successfully assigned apps/web-5d8c to node-2
  Normal  Pulled     30s   kubelet            Container image "nginx:1.27" already present on machine
  Normal  Created    30s   kubelet            Created container web
  Normal  Started    29s   kubelet            Started container web
Volume Lifecycle Modes:
  Ephemeral
  Persistent
"""


def test_no_csidriver_object_is_mount_failed():
    f = _loud(paste_findings(TRIAGE, NO_CSIDRIVER))[0]
    assert f["cause"] == "mount_failed"
    assert "no CSIDriver object named secrets-store.csi.k8s.io" in f["message"]
    assert "kubectl get csidriver" in f["fix"]


def test_only_supports_persistent_event():
    f = _loud(paste_findings(TRIAGE, ONLY_PERSISTENT))[0]
    assert f["cause"] == "mount_failed"
    assert "allows only" in f["message"] and "Persistent" in f["message"]
    assert "PersistentVolumeClaim" in f["fix"]


def test_mounted_volume_stays_silent():
    assert not _loud(paste_findings(TRIAGE, MOUNTED))


# ---- CNI DEL on sandbox stop ------------------------------------------------------------------

SANDBOX_ID = "055b221e44a28ce8d9120f771d5e1ef201f2457ce49c58999a0147104cca2708"
# AverageMarcus/blog 2025-09-28-investigating-and-fixing-stoppodsandbox.md (kubelet log line)
EMPTY_CACHE = (
    "This error is sprinkled throughout my kubelet logs across multiple worker nodes:\n\n"
    "StopPodSandbox from runtime service failed: rpc error: code = Unknown desc = failed to "
    f'destroy network for sandbox "{SANDBOX_ID}": failed to get network "cbr0" cached result: '
    "decoding version from network config: unexpected end of JSON input\n")

# the kubelet's FailedKillPod event around a plugin's DEL error (kubelet.go:2378,
# sync_result.go:181 `failed to %q for %q with %w: %q`, libcni api.go:606)
KILL_POD_EVENT = """\
Events:
  Type     Reason         Age                 From     Message
  ----     ------         ----                ----     -------
  Normal   Killing        41m                 kubelet  Stopping container web
  Warning  FailedKillPod  2m (x20 over 40m)   kubelet  error killing pod: failed to "KillPodSandbox" for "6e1c2b4a-0b5e-4c8e-9d3c-2f1f0c7d9a11" with KillPodSandboxError: "rpc error: code = Unknown desc = failed to destroy network for sandbox \\"9f3a1c0d5e7b2a4c6e8f0a1b3c5d7e9f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d\\": plugin type=\\"bridge\\" name=\\"mynet\\" failed (delete): failed to delete veth"
"""

# near miss: the kubelet's stop call timed out, no network teardown named
STOP_TIMEOUT = (
    "StopPodSandbox from runtime service failed: rpc error: code = DeadlineExceeded desc = "
    "context deadline exceeded\n")


def test_empty_cni_cache_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, EMPTY_CACHE))[0]
    assert f["cause"] == "sandbox_failed"
    assert "cached for network cbr0" in f["message"]
    assert f"/var/lib/cni/results/cbr0-{SANDBOX_ID}-" in f["fix"]


def test_failed_kill_pod_plugin_delete_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, KILL_POD_EVENT))[0]
    assert f["cause"] == "sandbox_failed"
    assert "DEL" in f["message"] and "cached" not in f["message"]


def test_stop_timeout_without_network_is_not_sandbox_failed():
    assert "sandbox_failed" not in [f["cause"] for f in _loud(paste_findings(TRIAGE,
                                                                              STOP_TIMEOUT))]


# ---- FailedScheduling answered by a later Scheduled ------------------------------------------

# awslabs/ai-on-eks website/docs/ai/inference/GPUs/stablediffusion-gpus.md (describe, sorted)
KARPENTER = """\
Events:
  Type     Reason            Age                From               Message
  ----     ------            ----               ----               -------
  Warning  FailedScheduling  41m                default-scheduler  0/8 nodes are available: 1 Insufficient cpu, 3 Insufficient memory, 8 Insufficient nvidia.com/gpu. preemption: 0/8 nodes are available: 8 No preemption victims found for incoming pod.
  Normal   Nominated         41m                karpenter          Pod should schedule on: nodeclaim/gpu-ljvhl
  Normal   Scheduled         40m                default-scheduler  Successfully assigned ns-a/worker-gpu-85d22 to ip-100-64-136-72.us-west-2.compute.internal
  Normal   Started           38m                kubelet            Started container worker
"""

# `kubectl get events` rows are not sorted by time: the ages say which came last; the kubelet's
# Started event says "Container started" since 1.3x (kuberuntime_container.go:298, reason
# events.StartedContainer "Started", pkg/kubelet/events/event.go:22)
GET_EVENTS = """\
LAST SEEN   TYPE      REASON             OBJECT      MESSAGE
3m          Normal    Scheduled          pod/web-0   Successfully assigned default/web-0 to node-4
2m          Normal    Started            pod/web-0   Container started
5m          Warning   FailedScheduling   pod/web-0   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
"""
# bound, but nothing after it in the paste: the refusal stays the story, as a warning
BOUND_ONLY = "\n".join(line for line in GET_EVENTS.splitlines() if "Started" not in line) + "\n"

# near misses: nominated but not bound yet; another pod bound, this one still failing
NOMINATED_ONLY = """\
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  41m   default-scheduler  0/8 nodes are available: 8 Insufficient nvidia.com/gpu. preemption: 0/8 nodes are available: 8 No preemption victims found for incoming pod.
  Normal   Nominated         41m   karpenter          Pod should schedule on: nodeclaim/gpu-ljvhl
"""
OTHER_POD_BOUND = """\
LAST SEEN   TYPE      REASON             OBJECT      MESSAGE
3m          Normal    Scheduled          pod/web-1   Successfully assigned default/web-1 to node-4
1m          Warning   FailedScheduling   pod/web-0   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
"""
FAILED_AGAIN_LATER = """\
LAST SEEN   TYPE      REASON             OBJECT      MESSAGE
9m          Normal    Scheduled          pod/web-0   Successfully assigned default/web-0 to node-4
1m          Warning   FailedScheduling   pod/web-0   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
"""


def test_karpenter_bound_after_failed_scheduling_is_history():
    found = paste_findings(TRIAGE, KARPENTER)
    assert not _loud(found)
    assert found[0]["cause"] == "unschedulable_insufficient"
    assert found[0]["severity"] == "info" and "bound it" in found[0]["message"]


def test_get_events_ages_decide_the_order():
    found = paste_findings(TRIAGE, GET_EVENTS)
    assert not _loud(found), found


def test_bound_without_start_is_a_warning():
    loud = _loud(paste_findings(TRIAGE, BOUND_ONLY))
    assert [f["cause"] for f in loud] == ["unschedulable_insufficient"]
    assert loud[0]["severity"] == "warning" and "bound it" in loud[0]["message"]


def test_nominated_only_stays_unschedulable():
    assert _loud(paste_findings(TRIAGE, NOMINATED_ONLY))[0]["cause"] == \
        "unschedulable_insufficient"


def test_other_pod_bound_keeps_this_pods_failure():
    loud = _loud(paste_findings(TRIAGE, OTHER_POD_BOUND))
    assert [f["cause"] for f in loud] == ["unschedulable_insufficient"]


def test_failed_scheduling_newer_than_scheduled_stands():
    assert _loud(paste_findings(TRIAGE, FAILED_AGAIN_LATER))[0]["cause"] == \
        "unschedulable_insufficient"


def test_age_seconds():
    from _tshoot.scheduled_later import age_seconds
    assert age_seconds("41m") == 2460 and age_seconds("5m30s") == 330
    assert age_seconds("2d3h") == 183600 and age_seconds("<unknown>") is None
