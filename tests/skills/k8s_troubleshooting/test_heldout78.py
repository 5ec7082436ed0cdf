"""Held-out round 78 (pods-nodes, triage.py). Expected values come from the upstream source or
the public thread named at each test, never from the scripts:

- mount-utils' failed mount error goes on over lines "Mounting command: %s", "Mounting
  arguments: %s", "Output: %s" (k8s.io/mount-utils v0.37.2 mount_linux.go:271-272; a success
  logs "Mounting cmd (%s) with arguments (%s)" at V(4), :259, an unmount "Unmounting
  arguments:", :922). A journal prefixes each line, so the tail is pasted alone -> mount_failed
  (longhorn/website kb troubleshooting-rwx-volume-fails-to-attached-caused-by-protocol-not-
  supported.md: "Output: mount.nfs: Protocol not supported").
- OutOfDisk: the 1.13 kubelet no longer posts it (kubernetes/kubernetes#70111); the 1.13 node
  lifecycle controller still adds it as Unknown, NodeStatusNeverUpdated "Kubelet never posted
  node status." (v1.13.0 pkg/controller/nodelifecycle/node_lifecycle_controller.go:978-999),
  and nothing resets it (kubernetes/kubernetes#72485, fixed by #72507): alone it is no NotReady
  node (gardener/machine-controller-manager#214: the nodes were Ready). Ready Unknown still is,
  and so is OutOfDisk NodeStatusUnknown, which a pre-1.13 kubelet left when it stopped
  (kubernetes/kubernetes#34314).
- A CNI installer that cannot write /host/opt/cni/bin skips it ("$dir is non-writeable,
  skipping", rancher/image-build-cni-plugins install-cnis.sh; Calico's Go installer "%s is not
  writeable, skipping", projectcalico/calico cni-plugin/pkg/install/install.go), so the
  plugin is missing when the runtime sets up a pod's network (containernetworking/cni
  pkg/invoke/find.go@v1.3.0:47 "failed to find plugin %q in path %s") -> sandbox_failed,
  inferred (rancher/rke2#3561: SELinux denied install-cnis.sh the write). Calico's routine
  skip of /host/secondary-bin-dir is not that.
"""
from __future__ import annotations

from .conftest import paste_findings, loud as _loud

TRIAGE = "triage.py"


# ---- mount(8)'s failure tail alone -----------------------------------------------------------

# the held-out paste's journal lines (longhorn KB), the first "mount failed: ..." line not shown
NFS_JOURNAL = """\
Attempts to attach an RWX volume are unsuccessful, and the workload using the volume is unable to start. The logs contain the following messages:

Oct 11 07:42:23 dev-worker-1 k3s[1294]: Mounting command: /usr/local/sbin/nsmounter
Oct 11 07:42:23 dev-worker-1 k3s[1294]: Mounting arguments: mount -t nfs -o vers=4.1,noresvport,intr,hard 10.43.207.185:/pvc-13538170-4278-4467-b2b0-1f1ba6f54a4c /var/lib/kubelet/plugins/kubernetes.io/csi/driver.longhorn.io/185c/globalmount
Oct 11 07:42:23 dev-worker-1-autoscaled-small-19baf778f50efd8c k3s[1294]: Output: mount.nfs: Protocol not supported for 10.43.207.185:/pvc-13538170-4278-4467-b2b0-1f1ba6f54a4c on /var/lib/kubelet/plugins/kubernetes.io/csi/driver.longhorn.io/185c/globalmount
"""

# another form: a CSI node plugin's log, the same frame without a journal prefix (mount_linux.go
# :272 with mount(8) as the command and an NFS server refusing the export)
NFS_PLUGIN_LOG = """\
The pod stays ContainerCreating; the nfs csi node plugin logs:
Mounting command: mount
Mounting arguments: -t nfs -o nfsvers=4.1 nfs-server.example:/exports/share /var/lib/kubelet/pods/1f0c/volumes/kubernetes.io~csi/pv-share/mount
Output: mount.nfs: access denied by server while mounting nfs-server.example:/exports/share
"""

# near misses: an unmount's tail (mount_linux.go:922) and the V(4) log of a mount that runs
UNMOUNT_TAIL = """\
The kubelet logs this on node-2:
Oct 11 07:42:23 node-2 kubelet[1294]: Unmounting arguments: /var/lib/kubelet/pods/1f0c/volumes/kubernetes.io~nfs/data
Oct 11 07:42:23 node-2 kubelet[1294]: Output: umount.nfs: /var/lib/kubelet/pods/1f0c/volumes/kubernetes.io~nfs/data: device is busy
"""
MOUNT_LOGGED = """\
The kubelet logs this on node-2 at -v=4:
Oct 11 07:42:23 node-2 kubelet[1294]: I1011 07:42:23.100000 1294 mount_linux.go:259] Mounting cmd (mount) with arguments (-t nfs nfs-server.example:/exports/share /var/lib/kubelet/pods/1f0c/volumes/kubernetes.io~nfs/share)
"""


def test_journal_mount_tail_is_mount_failed():
    f = _loud(paste_findings(TRIAGE, NFS_JOURNAL))[0]
    assert f["cause"] == "mount_failed" and f["basis"] == "reported"
    assert any("Mounting arguments: mount -t nfs" in e for e in f["evidence"])


def test_plugin_log_mount_tail_is_mount_failed():
    assert _loud(paste_findings(TRIAGE, NFS_PLUGIN_LOG))[0]["cause"] == "mount_failed"


def test_unmount_tail_and_mount_log_stay_silent():
    for text in (UNMOUNT_TAIL, MOUNT_LOGGED):
        assert "mount_failed" not in [f["cause"] for f in _loud(paste_findings(TRIAGE, text))]


# ---- a stale OutOfDisk condition -------------------------------------------------------------

# the held-out paste (gardener/machine-controller-manager#214, Gardener's health check)
OUTOFDISK_CHECK = """\
Somehow we are seeing a lot of this kind of errors on OpenStack and Azure lately

Node shoot--core--CLUSTER_NODE_WORKER_NAME is unhealthy: condition "OutOfDisk" has invalid status Unknown (expected False) due to NodeStatusNeverUpdated: Kubelet never posted node status.
"""

# another form: kubectl describe node of a 1.13 node, cut before its Ready row: the controller
# added the OutOfDisk the 1.13 kubelet never posts (node_lifecycle_controller.go@v1.13.0:990-999)
OUTOFDISK_DESCRIBE = """\
Name:               worker-1
Roles:              <none>
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------    -----------------                 ------------------                ------                       -------
  OutOfDisk        Unknown   Wed, 02 Jan 2019 09:58:10 +0000   Wed, 02 Jan 2019 10:12:45 +0000   NodeStatusNeverUpdated       Kubelet never posted node status.
  MemoryPressure   False     Wed, 02 Jan 2019 12:40:11 +0000   Wed, 02 Jan 2019 10:13:20 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False     Wed, 02 Jan 2019 12:40:11 +0000   Wed, 02 Jan 2019 10:13:20 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
"""
# near miss: a kubelet before 1.13 posted OutOfDisk, so NodeStatusUnknown on it is a kubelet
# that stopped (kubernetes/kubernetes#34314, a 1.4 node cut before its Ready row)
OUTOFDISK_STOPPED = OUTOFDISK_DESCRIBE.replace(
    "NodeStatusNeverUpdated       Kubelet never posted node status.",
    "NodeStatusUnknown            Kubelet stopped posting node status.")

# near misses: the node really is down - Ready Unknown beside it (kubernetes#59278's table,
# the controller marking every condition Unknown), or the checker naming Ready too
READY_UNKNOWN = """\
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason                     Message
  ----             ------    -----------------                 ------------------                ------                     -------
  OutOfDisk        Unknown   Fri, 02 Feb 2018 06:17:03 +0000   Fri, 02 Feb 2018 06:17:45 +0000   NodeStatusUnknown          Kubelet stopped posting node status.
  MemoryPressure   Unknown   Fri, 02 Feb 2018 06:17:03 +0000   Fri, 02 Feb 2018 06:17:45 +0000   NodeStatusUnknown          Kubelet stopped posting node status.
  Ready            Unknown   Fri, 02 Feb 2018 06:17:03 +0000   Fri, 02 Feb 2018 06:17:45 +0000   NodeStatusUnknown          Kubelet stopped posting node status.
"""
READY_CHECK = OUTOFDISK_CHECK + (
    'Node shoot--core--CLUSTER_NODE_WORKER_NAME is unhealthy: condition "Ready" has invalid '
    "status Unknown (expected True) due to NodeStatusUnknown: Kubelet stopped posting node "
    "status.\n")


def test_outofdisk_unknown_alone_is_no_notready_node():
    found = paste_findings(TRIAGE, OUTOFDISK_CHECK)
    assert not _loud(found)
    assert found and "OutOfDisk" in found[0]["message"] and found[0]["severity"] == "info"


def test_outofdisk_unknown_on_ready_node_describe():
    assert not _loud(paste_findings(TRIAGE, OUTOFDISK_DESCRIBE))


def test_ready_unknown_or_outofdisk_stopped_stays_node_not_ready():
    for text in (READY_UNKNOWN, READY_CHECK, OUTOFDISK_STOPPED):
        f = _loud(paste_findings(TRIAGE, text))[0]
        assert f["cause"] == "node_not_ready" and f["severity"] == "error"


# ---- a CNI installer kept out of /opt/cni/bin ------------------------------------------------

# the held-out paste's lines (rancher/rke2#3561), the AVC record cut where the was
RKE2_SELINUX = """\
When trying to install rke2 using `cni: cilium`, a few pods are stuck in `ContainerCreating` state.

$ k logs -n kube-system pod/cilium-bfj4f -c install-portmap-cni-plugin
/host/opt/cni/bin is non-writeable, skipping

$ sudo ausearch -m avc
type=AVC msg=audit(1668536049.623:339): avc:  denied  { write } for  pid=19415 comm="install-cnis.sh" name="bin" dev="nvme0n1p2" ino=42599118 scontext=system_u:system_r:container_t:s0:c22
"""

# another form: Calico's Go installer (install.go: logrus "%s is not writeable, skipping") as
# calico-node's install-cni init container prints it
CALICO_GO = """\
coredns pods stay ContainerCreating after I installed calico. kubectl logs -n kube-system calico-node-47jfl -c install-cni:
2024-04-27 18:12:33.296 [INFO][1] cni-installer/<nil> <nil>: CNI plugin version: v3.25.0
2024-04-27 18:12:33.296 [INFO][1] cni-installer/<nil> <nil>: /host/opt/cni/bin is not writeable, skipping
"""

# near misses: Calico's routine skip of the secondary dir after it wrote the binaries, and an
# SELinux denial of a process that is no CNI installer
CALICO_OK = """\
coredns pods stay ContainerCreating after I installed calico. kubectl logs -n kube-system calico-node-47jfl -c install-cni:
2023-03-19 01:03:43.195 [INFO][1] cni-installer/<nil> <nil>: Wrote Calico CNI binaries to /host/opt/cni/bin
2023-03-19 01:03:43.228 [INFO][1] cni-installer/<nil> <nil>: /host/secondary-bin-dir is not writeable, skipping
"""
OTHER_AVC = """\
My web pods stay ContainerCreating, and ausearch shows:
type=AVC msg=audit(1668536049.623:339): avc:  denied  { write } for  pid=19415 comm="nginx" name="html" dev="nvme0n1p2" ino=42599118 scontext=system_u:system_r:container_t:s0:c22
"""


def test_selinux_blocked_cni_installer_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, RKE2_SELINUX))[0]
    assert f["cause"] == "sandbox_failed" and f["basis"] == "inferred"
    assert "FailedCreatePodSandBox" in f["confirm"]
    assert any(e.startswith("SELinux denial:") for e in f["evidence"])


def test_calico_go_installer_skip_is_sandbox_failed():
    f = _loud(paste_findings(TRIAGE, CALICO_GO))[0]
    assert f["cause"] == "sandbox_failed" and f["basis"] == "inferred"


def test_secondary_dir_skip_and_other_avc_stay_silent():
    for text in (CALICO_OK, OTHER_AVC):
        assert "sandbox_failed" not in [f["cause"] for f in _loud(paste_findings(TRIAGE, text))]
