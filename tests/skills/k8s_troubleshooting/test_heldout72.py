"""Held-out rounds 72-73 (pods-nodes): wordings and command outputs the scripts did not read.
Expected values come from the upstream source or the public thread named at each test, never
from the scripts:

- The kubelet's Failed event "Error: failed to create containerd task: ..." (containerd v2.3.4
  internal/cri/server/container_start.go:208) around the runc shim's "OCI runtime create
  failed" (cmd/containerd-shim-runc-v2/process/init.go:150): the container could not be
  created -> container_start_failed, for a GPU pod too (k3s-io/k3s#4391).
- /sys/class/drm holds a cardN per GPU a DRM driver bound (Linux drivers/gpu/drm/drm_sysfs.c
  "card%d"; its `version` file exists once drm loads); Intel's GPU plugin counts those cards
  (intel-device-plugins-for-kubernetes v0.23.0 cmd/gpu_plugin/gpu_plugin.go:38, v0.36.0 :47
  `^card[0-9]+$`). The module loaded and no card: the driver does not drive this GPU
  (intel-device-plugins-for-kubernetes#864) -> gpu_driver_mismatch; a jsonpath printing no GPU
  resource value -> gpu_not_advertised.
- The eviction subresource answers 429 TooManyRequests when a PodDisruptionBudget disallows the
  disruption (kubernetes v1.37.2 pkg/registry/core/pod/storage/eviction.go:309,419,447); a
  drain client that prints only the status says "Too Many Requests"
  (ansible-collections/kubernetes.core#797) -> eviction_blocked_pdb, inferred.
- "Timeout: request did not complete within requested timeout" on a controller's pod create:
  the webhook dispatchers' words when the request's deadline passes during webhook calls
  (k8s.io/apiserver v0.37.2 pkg/admission/plugin/webhook/mutating/dispatcher.go:219), also an
  overloaded API server's (finisher.go:146) -> admission_webhook_denied, inferred, naming both
  (kubernetes#92699).
- A quota on cpu/memory makes every container state them ("must specify ...", kubernetes
  v1.37.2 pkg/quota/v1/evaluator/core/pods.go:103-110,170); one with a row at Hard refuses
  with "exceeded quota" (k8s.io/apiserver v0.37.2 resourcequota/controller.go:622); the
  ReplicaFailure FailedCreate condition carries the refusal (replica_set_utils.go:124-132).
- The in-tree iSCSI plugin's "iscsi: failed to sendtargets to portal %s output: %s, err %v"
  (kubernetes v1.37.2 pkg/volume/iscsi/iscsi_util.go:351, :367, :436) and iscsiadm's own words
  (open-iscsi 2.1.11 usr/io.c:55, usr/login.c:1459); mount-utils v0.37.2 mount_linux.go:272
  "mount failed: %v" -> mount_failed.
"""
from __future__ import annotations

from .conftest import paste_findings, run_script, loud as _loud

GPU = "explain_gpu_failure.py"
TRIAGE = "triage.py"


def _causes(findings: list[dict]) -> list[str]:
    return [f["cause"] for f in _loud(findings)]


# ---- the kubelet's Failed event for a GPU pod ------------------------------------------------

# k3s-io/k3s#4391 as pasted (k3s 1.22, device plugin v0.10.0 under the nvidia RuntimeClass)
LSTAT_IPC = """\
  Normal   Pulled          88m                   kubelet            Successfully pulled image "nvidia/k8s-device-plugin:v0.10.0" in 3m35.07358951s
  Warning  Failed          88m                   kubelet            Error: failed to get sandbox container task: no running task found: container not created: not found
  Warning  Failed          88m                   kubelet            Error: failed to create containerd task: failed to create shim: OCI runtime create failed: container_linux.go:364: creating new parent process caused: container_linux.go:2005: running lstat on namespace path "/proc/4076575/ns/ipc" caused: lstat /proc/4076575/ns/ipc: no such file or directory: unknown
  Normal   Created         88m (x2 over 88m)     kubelet            Created container nvidia-device-plugin-ctr
"""

# containerd 1.7/2.x with runc 1.1+ ("runc create failed: unable to start container process",
# opencontainers/runc libcontainer/process_linux.go), the "shim task" frame
# (containerd v2.3.4 core/runtime/v2/task_manager.go:271)
RUNC_11 = """\
Events:
  Type     Reason   Age                From     Message
  ----     ------   ----               ----     -------
  Warning  Failed   12s (x3 over 40s)  kubelet  Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/run/nvidia/driver" to rootfs at "/driver-root": stat /run/nvidia/driver: no such file or directory: unknown
"""


def test_gpu_script_reads_the_kubelets_oci_create_failure():
    found = _loud(paste_findings(GPU, LSTAT_IPC))
    assert found and found[0]["cause"] == "container_start_failed"
    assert found[0]["basis"] == "reported"
    assert "OCI runtime create failed" in found[0]["evidence"][0]


def test_gpu_script_reads_the_runc_11_wording():
    assert _causes(paste_findings(GPU, RUNC_11))[:1] == ["container_start_failed"]


def test_gpu_script_stays_silent_on_normal_container_events():
    quiet = """\
  Normal  Pulled   2m  kubelet  Container image "nvidia/k8s-device-plugin:v0.17.0" already present on machine
  Normal  Created  2m  kubelet  Created container nvidia-device-plugin-ctr
  Normal  Started  2m  kubelet  Started container nvidia-device-plugin-ctr
"""
    assert "container_start_failed" not in _causes(paste_findings(GPU, quiet))


# ---- a GPU driver that bound no card; a node that advertises no GPU ---------------------------

# intel-device-plugins-for-kubernetes#864 as pasted
I915 = """\
i915 kernel module seems to loaded on the host
```
root@kubenuc:~# lsmod |grep i915
i915                 1736704  0
drm_kms_helper        208896  1 i915
drm                   495616  2 drm_kms_helper,i915
```

plugin registration status:
```
root@kubenuc:~# kubectl get nodes -o=jsonpath="{range .items[*]}{.metadata.name}{'\\n'}{' i915: '}{.status.allocatable.gpu\\.intel\\.com/i915}{'\\n'}"
kubenuc
 i915:

 i915:
```

/sys/class/drm is showing only "version" file
```
root@kubenuc:~# ls -la /sys/class/drm/
total 0
drwxr-xr-x  2 root root    0 Jan 26 23:31 .
drwxr-xr-x 65 root root    0 Jan 26 23:45 ..
-r--r--r--  1 root root 4096 Jan 26 23:31 version
```
"""

# another vendor and form: amdgpu loaded, a plain `ls` and a NAME<tab>VALUE jsonpath
AMD = """\
$ lsmod | grep amdgpu
amdgpu              9363456  0
drm_ttm_helper        16384  1 amdgpu
$ ls /sys/class/drm
version
$ kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.allocatable.amd\\.com/gpu}{"\\n"}{end}'
gpu-node-1
"""


def test_unbound_driver_ranks_before_the_missing_resource():
    found = _loud(paste_findings(GPU, I915))
    assert [f["cause"] for f in found] == ["gpu_driver_mismatch", "gpu_not_advertised"]
    assert all(f["basis"] == "inferred" and f["confirm"] for f in found)


def test_unbound_amdgpu_and_a_tab_separated_jsonpath():
    assert _causes(paste_findings(GPU, AMD)) == ["gpu_driver_mismatch", "gpu_not_advertised"]


def test_a_bound_card_and_an_advertised_gpu_stay_silent():
    bound = I915.replace("-r--r--r--  1 root root 4096 Jan 26 23:31 version",
                         "lrwxrwxrwx  1 root root    0 Jan 26 23:31 card0 -> ../../devices/"
                         "pci0000:00/0000:00:02.0/drm/card0\n"
                         "-r--r--r--  1 root root 4096 Jan 26 23:31 version")
    bound = bound.replace(" i915:\n\n i915:\n", " i915: 1\n")
    causes = _causes(paste_findings(GPU, bound))
    assert "gpu_driver_mismatch" not in causes and "gpu_not_advertised" not in causes


def test_a_card_listing_without_the_module_shown_stays_silent():
    listing = I915.split("plugin registration status:")[1].split("/sys/class/drm is")[1]
    assert "gpu_driver_mismatch" not in _causes(paste_findings(GPU, listing))


# ---- a drain refused with HTTP 429 ----------------------------------------------------------

# ansible-collections/kubernetes.core#797 as pasted
ANSIBLE_DRAIN = """\
TASK [Drain node] *************************************************************************
Montag 25 November 2024  09:37:09 +0100 (0:00:00.015)       0:00:00.015 *******
fatal: [host -> localhost]: FAILED! => {"changed": false, "msg": "Failed to delete pod kube-public/draintest-6b84677b99-c6s5w due to: Too Many Requests"}
"""

# client-go's message for a 429 without a Status body (k8s.io/apimachinery v0.37.2
# pkg/api/errors/errors.go:485-487), as a drain script's log prints it
CLIENT_GO_429 = """\
draining node worker-3
evicting pod shop/cart-0
error evicting pod shop/cart-0: the server has received too many requests and has asked us to try again later
"""


def test_drain_429_is_a_budget_that_refuses():
    found = _loud(paste_findings(TRIAGE, ANSIBLE_DRAIN))
    assert found and found[0]["cause"] == "eviction_blocked_pdb"
    assert found[0]["basis"] == "inferred" and "pdb" in found[0]["confirm"]


def test_eviction_429_in_client_go_words():
    assert _causes(paste_findings(TRIAGE, CLIENT_GO_429))[:1] == ["eviction_blocked_pdb"]


def test_a_429_outside_a_drain_stays_silent():
    other = """\
$ kubectl get pods -n shop
Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later (get pods)
"""
    assert "eviction_blocked_pdb" not in _causes(paste_findings(TRIAGE, other))


# ---- a pod create the API server timed out --------------------------------------------------

# kubernetes#92699 as pasted
DS_TIMEOUT = ("Warning  FailedCreate  12m (x21 over 46m)  daemonset-controller  Error creating: "
              "Timeout: request did not complete within requested timeout\n")

# the StatefulSet controller's wording (kubernetes v1.37.2 pkg/controller/statefulset/
# stateful_pod_control.go recordPodEvent "%s Pod %s in StatefulSet %s failed error: %s")
STS_TIMEOUT = ("  Warning  FailedCreate  2m (x9 over 14m)  statefulset-controller  create Pod "
               "web-0 in StatefulSet web failed error: Timeout: request did not complete "
               "within requested timeout\n")


def test_create_timeout_names_the_webhook_reading_inferred():
    found = _loud(paste_findings(TRIAGE, DS_TIMEOUT))
    assert found and found[0]["cause"] == "admission_webhook_denied"
    assert found[0]["severity"] == "warning" and found[0]["basis"] == "inferred"
    assert "webhookconfigurations" in found[0]["confirm"]
    assert "overloaded" in found[0]["message"]  # the other reading is named too


def test_statefulset_create_timeout():
    assert _causes(paste_findings(TRIAGE, STS_TIMEOUT))[:1] == ["admission_webhook_denied"]


def test_a_read_timeout_is_not_a_create():
    read = ("$ kubectl get deploy -A\nError from server (Timeout): Timeout: request did not "
            "complete within requested timeout - context deadline exceeded (get "
            "deployments.apps)\n")
    assert "admission_webhook_denied" not in _causes(paste_findings(TRIAGE, read))


# ---- ReplicaFailure beside a compute quota --------------------------------------------------

QUOTA = """\
Name:            rq-demo
Namespace:       default
Resource         Used   Hard
--------         ----   ----
pods             6      100
requests.cpu     1130m  2
requests.memory  340m   500m
"""
DEPLOY_FAILING = """\
Conditions:
  Type             Status  Reason
  ----             ------  ------
  Progressing      True    NewReplicaSetCreated
  Available        False   MinimumReplicasUnavailable
  ReplicaFailure   True    FailedCreate
OldReplicaSets:    <none>
NewReplicaSet:     dep-6bfb4bc65d (0/3 replicas created)
"""

# kubernetes#96634: the quota, the deployments table and the Deployment's conditions
QUOTA_NO_REQUESTS = QUOTA + """
NAME   READY   UP-TO-DATE   AVAILABLE   AGE
dep      0/3          0                       0           61s

""" + DEPLOY_FAILING


def test_failedcreate_beside_a_compute_quota_with_room_requires_limits():
    found = _loud(paste_findings(TRIAGE, QUOTA_NO_REQUESTS))
    assert found and found[0]["cause"] == "quota_requires_limits"
    assert found[0]["basis"] == "inferred" and "dep-6bfb4bc65d" in found[0]["confirm"]


def test_a_quota_row_at_hard_is_quota_exceeded():
    full = """\
Name:       compute
Namespace:  team
Resource    Used  Hard
--------    ----  ----
limits.cpu  4     4
pods        3     10

""" + DEPLOY_FAILING
    assert _causes(paste_findings(TRIAGE, full))[:1] == ["quota_exceeded"]


def test_quota_without_replicafailure_or_without_compute_stays_silent():
    causes = _causes(paste_findings(TRIAGE, QUOTA + "\n" + DEPLOY_FAILING.replace(
        "ReplicaFailure   True    FailedCreate", "")))
    assert not {"quota_requires_limits", "quota_exceeded"} & set(causes)
    counts_only = """\
Name:       objects
Namespace:  team
Resource    Used  Hard
--------    ----  ----
pods        3     10
services    1     5

""" + DEPLOY_FAILING
    causes = _causes(paste_findings(TRIAGE, counts_only))
    assert not {"quota_requires_limits", "quota_exceeded"} & set(causes)


# ---- iSCSI / mount(8) failures quoted without their MountVolume frame -------------------------

# the incident review's quoted chain (pgmac-net/incidents, 2026-03-30 sonarr iSCSI)
ISCSI = """\
iscsi: failed to sendtargets to portal 10.152.183.62:3260
iscsiadm: Connection to Discovery Address 10.152.183.62 failed
iscsiadm: Login I/O error, failed to receive a PDU
"""

# the plugin's give-up line with iscsiadm's login error inside (iscsi_util.go:367, :436;
# open-iscsi usr/iscsiadm.c:539)
ISCSI_NO_PATH = """\
failed to get any path for iscsi disk, last err seen:
iscsi: failed to attach disk: Error: iscsiadm: Could not log into all portals (exit status 15)
"""

# mount-utils mount_linux.go:272 around mount.nfs's own error
NFS = """\
mount failed: exit status 32
Mounting command: mount
Mounting arguments: -t nfs 10.0.0.9:/export /var/lib/kubelet/pods/1f0c/volumes/kubernetes.io~nfs/data
Output: mount.nfs: Connection timed out
"""


def test_iscsi_login_chain_is_a_mount_failure():
    found = _loud(paste_findings(TRIAGE, ISCSI))
    assert found and found[0]["cause"] == "mount_failed" and found[0]["basis"] == "reported"
    assert "iSCSI" in found[0]["message"]


def test_iscsi_no_path_and_nfs_mount_failed():
    assert _causes(paste_findings(TRIAGE, ISCSI_NO_PATH))[:1] == ["mount_failed"]
    assert _causes(paste_findings(TRIAGE, NFS))[:1] == ["mount_failed"]


def test_an_iscsi_session_listing_is_not_a_failure():
    sessions = """\
$ iscsiadm -m session
tcp: [1] 10.0.0.5:3260,1 iqn.2016-09.com.openebs.jiva:pvc-1 (non-flash)
"""
    res = run_script(TRIAGE, "-f", "-", "--json", stdin=sessions)
    # (a listing alone holds no component's message: refused as input, or read with no finding)
    assert res.code == 2 or "mount_failed" not in _causes(res.doc["findings"])
