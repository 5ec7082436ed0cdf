"""Held-out round 79 (pods-nodes, triage.py). Expected values come from the upstream source or
the public thread named at each test, never from the scripts:

- `kubectl get nodes` prints `Ready,SchedulingDisabled` for a Ready node with spec.unschedulable
  (k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go:2046); kubectl v1.6-v1.7
  printed the table without ROLES (v1.7.0 printers.go:75) -> unschedulable_cordoned
  (SUSE/caasp-salt#336: the update's uncordon step was skipped, fixed by #337).
- An SELinux AVC record of a pod's process (scontext type container_t) refused a write on a
  directory named "bin" (tclass=dir), in a paste that names the CNI bin dir /opt/cni/bin: the
  CNI installer kept out of it, whatever its comm (Cilium copies with `cp`) -> sandbox_failed,
  inferred (SUSE/elemental#529: /opt/cni created by a hostPath as usr_t; rke2-selinux labels it
  container_file_t, policy/centos9/rke2.fc:14). A denial in permissive mode (permissive=1)
  allowed the write; a host process's denial, or one in a paste that never names the CNI bin
  dir, is not this.
- The PV controller's WaitForFirstConsumer "waiting for first consumer to be created before
  binding" is what it says while no unscheduled pod uses the claim (v1.37.2 pkg/controller/
  volume/persistentvolume/pv_controller.go:307-328): beside a paste that shows no pod uses the
  claim (describe's `Used By: <none>`, kubectl v0.37.2 pkg/describe/describe.go:1717; the
  reporter saying none exists) the claim is Pending by design -> no error or warning
  (sentry-kubernetes/charts#1947: the chart never rendered the consumer; fixed in #1950).
"""
from __future__ import annotations

from .conftest import paste_findings, loud as _loud

TRIAGE = "triage.py"


# ---- a node left cordoned, in an old kubectl's table ------------------------------------------

# the held-out paste's lines (SUSE/caasp-salt#336)
CAASP = """\
Getting the output of the command in the `onlyif` when this orchestration was run is:

The connection to the server api.infra.caasp.local:6443 was refused - did you specify the right host or port?

~ KUBECONFIG=~/Downloads/kubeconfig kubectl get nodes
NAME                                                 STATUS                     AGE       VERSION
8250118f04664f1392eff757d280d698.infra.caasp.local   Ready,SchedulingDisabled   10m       v1.8.5
"""
# another form: a current kubectl's -o wide table (INTERNAL-IP ... CONTAINER-RUNTIME, v1.11+)
WIDE = """\
After the upgrade no new pods land on worker-1:
NAME       STATUS                     ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME
cp-1       Ready                      control-plane   40d   v1.29.1   10.0.0.2      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2
worker-1   Ready,SchedulingDisabled   <none>          40d   v1.29.1   10.0.0.4      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2
"""
# near miss: the same old table, every node schedulable
CAASP_UNCORDONED = CAASP.replace("Ready,SchedulingDisabled", "Ready                   ")


def test_old_nodes_table_cordoned_node_is_reported():
    f = _loud(paste_findings(TRIAGE, CAASP))[0]
    assert f["cause"] == "unschedulable_cordoned" and f["basis"] == "reported"
    assert f["object"]["name"] == "8250118f04664f1392eff757d280d698.infra.caasp.local"


def test_wide_nodes_table_cordoned_node_is_reported():
    f = _loud(paste_findings(TRIAGE, WIDE))[0]
    assert f["cause"] == "unschedulable_cordoned" and f["object"]["name"] == "worker-1"


def test_schedulable_nodes_are_not_cordoned():
    causes = [f["cause"] for f in paste_findings(TRIAGE, CAASP_UNCORDONED)]
    assert "unschedulable_cordoned" not in causes


# ---- an SELinux denial on the CNI bin dir of a process not named for CNI ------------------------

# the held-out paste's lines (SUSE/elemental#529), two of its four AVC records
ELEMENTAL = """\
I'm running into an interesting SELinux issue when trying to deploy Cilium with an SELinux enabled environment.

```
# grep AVC /var/log/audit/audit.log
type=AVC msg=audit(1783939702.157:400): avc:  denied  { write } for  pid=3390 comm="cp" name="bin" dev="vda4" ino=282 scontext=system_u:system_r:container_t:s0:c254,c465 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0
type=AVC msg=audit(1783939702.157:401): avc:  denied  { write } for  pid=3394 comm="cp" name="bin" dev="vda4" ino=282 scontext=system_u:system_r:container_t:s0:c254,c465 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0
```

Checking the pods shows me that the `install-cni-binaries` pod completes successfully as it's writing files:

```
# kubectl -n kube-system logs cilium-lgztt -c install-cni-binaries
Installing loopback to /host/opt/cni/bin/loopback ...
Wrote /host/opt/cni/bin/loopback
```
"""
# another form: ausearch's add_name denial of an older docker-selinux host (svirt_lxc_net_t,
# container_t's earlier name) beside the DaemonSet's hostPath, the pods ContainerCreating
AUSEARCH = """\
coredns stays ContainerCreating after installing flannel on CentOS 7.
$ sudo ausearch -m avc -ts recent
type=AVC msg=audit(1581502111.771:812): avc:  denied  { add_name } for  pid=9120 comm="install" name="bin" dev="dm-0" ino=33595 scontext=system_u:system_r:svirt_lxc_net_t:s0:c184,c872 tcontext=system_u:object_r:bin_t:s0 tclass=dir permissive=0
The DaemonSet mounts it:
      - name: cni-plugin
        hostPath:
          path: /opt/cni/bin
"""
# near misses: the same denial logged in permissive mode (the write was allowed); a host
# process (unconfined_t) denied; a pod's denial on an app's own bin dir in a paste that never
# names the CNI bin dir
PERMISSIVE = ELEMENTAL.replace("permissive=0", "permissive=1")
HOST_PROCESS = ELEMENTAL.replace("system_r:container_t:s0:c254,c465", "system_r:unconfined_t:s0")
APP_BIN = """\
My app pod's init container fails to write its tools:
type=AVC msg=audit(1783939702.157:400): avc:  denied  { write } for  pid=3390 comm="cp" name="bin" dev="vda4" ino=282 scontext=system_u:system_r:container_t:s0:c254,c465 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0
The hostPath is /usr/local/bin.
"""


def test_pod_denied_on_cni_bin_dir_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, ELEMENTAL))[0]
    assert f["cause"] == "sandbox_failed" and f["basis"] == "inferred"
    assert "usr_t" in f["message"] and "FailedCreatePodSandBox" in f["confirm"]
    assert any(e.startswith("SELinux denial:") and 'comm="cp"' in e for e in f["evidence"])


def test_older_container_domain_add_name_denial_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, AUSEARCH))[0]
    assert f["cause"] == "sandbox_failed" and "bin_t" in f["message"]


def test_permissive_host_or_unrelated_denials_stay_silent():
    for text in (PERMISSIVE, HOST_PROCESS, APP_BIN):
        assert "sandbox_failed" not in [f["cause"] for f in _loud(paste_findings(TRIAGE, text))]


# ---- a WaitForFirstConsumer claim no pod uses ---------------------------------------------------

# the held-out paste's lines (sentry-kubernetes/charts#1947)
SENTRY = """\
The PersistentVolumeClaim sentry-vroom-pvc remains stuck in Pending status with the message "waiting for first consumer to be created before binding". No vroom Pod is being created to consume this PVC.

```
Normal  WaitForFirstConsumer  2s (x17 over 3m49s)  persistentvolume-controller  waiting for first consumer to be created before binding
```
"""
# another form: kubectl describe pvc, which lists the pods that use the claim (describe.go:1717)
DESCRIBED = """\
$ kubectl describe pvc data-cache -n apps
Name:          data-cache
Namespace:     apps
StorageClass:  local-path
Status:        Pending
Volume:
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:
Access Modes:
VolumeMode:    Filesystem
Used By:       <none>
Events:
  Type    Reason                Age                  From                         Message
  ----    ------                ----                 ----                         -------
  Normal  WaitForFirstConsumer  12s (x26 over 6m8s)  persistentvolume-controller  waiting for first consumer to be created before binding
"""
# near misses: a pod uses the claim; the provisioner failed too; a Pending pod beside the
# quoted message (pingcap/tidb-operator#129, GKE 1.10: before 1.19 the controller said
# WaitForFirstConsumer while a pod waited too, kubernetes#88229)
DESCRIBED_USED = DESCRIBED.replace("Used By:       <none>", "Used By:       cache-0")
SENTRY_FAILED = SENTRY + (
    "  Warning  ProvisioningFailed  1s  rancher.io/local-path_local-path-provisioner-7d8c  "
    "failed to provision volume with StorageClass \"local-path\": no node selected\n")
TIDB = """\
NAME                              READY     STATUS      RESTARTS   AGE       IP            NODE
demo-monitor-5bc85fdb7f-cllxw     2/2       Running     0          5m        10.16.2.81    gke-a-default-pool-4f916ebe-lss5
demo-pd-0                         0/1       Pending     0          5m        <none>        <none>

It hangs like this indefinitely waiting for the PVC to start. The `pd-demo-pd-0` PVC is stuck in a "Pending" state with the message "waiting for first consumer to be created before binding".
"""


def test_claim_without_consumer_is_info_not_a_fault():
    found = paste_findings(TRIAGE, SENTRY)
    assert not _loud(found)
    assert found[0]["cause"] == "pvc_pending" and found[0]["severity"] == "info"
    assert "by design" in found[0]["message"]


def test_described_claim_used_by_none_is_info():
    found = paste_findings(TRIAGE, DESCRIBED)
    assert not _loud(found)
    assert found[0]["basis"] == "reported" and "Used By" in " ".join(found[0]["evidence"])


def test_claim_with_consumer_or_fault_stays_pvc_pending():
    for text in (DESCRIBED_USED, SENTRY_FAILED, TIDB):
        assert _loud(paste_findings(TRIAGE, text))[0]["cause"] == "pvc_pending", text
