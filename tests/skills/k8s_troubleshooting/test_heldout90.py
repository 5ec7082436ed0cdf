"""Held-out round 90 (pods-nodes, triage.py): mount(8) without the filesystem's helper.

util-linux libmount/src/context_mount.c (v2.43-devel 39465c78:1766-1768, EINVAL on a network
filesystem): "bad option; for several filesystems (e.g. nfs, cifs) you might need a
/sbin/mount.<type> helper program"; older mount(8) and other types (:1770-1772): "wrong fs
type, bad option, bad superblock on %s, missing codepage or helper program, or other error".
The kubelet prints it inside "mount failed: exit status 32 ... Output: ..." (k8s.io/mount-utils
v0.37.2 mount_linux.go:271-272). longhorn/longhorn#1799: an NFS RWX volume on a node without
nfs-common; the paste is a k9s pane (box characters, cut mid-word) -> mount_failed.
"""
from __future__ import annotations

from .conftest import loud, paste_findings

TRIAGE = "triage.py"

# the held-out paste as posted (k9s borders kept)
K9S = ("mount: /var/lib/kubelet/pods/ee57885a-0cc8-4c87-aef2-668b82fb388d/volumes/kubernetes.io~nfs/"
       "pvc-b3f8d754-bdee-4409-96b7-77daec7d22d0: bad option; for several filesys \u2502\n"
       "\u2502 tems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.\n")

# the kubelet's FailedMount event with the older util-linux wording
EVENT = """Events:
  Type     Reason       Age   From     Message
  ----     ------       ----  ----     -------
  Warning  FailedMount  12s   kubelet  MountVolume.SetUp failed for volume "data" : mount failed: exit status 32
Mounting command: mount
Mounting arguments: -t nfs 10.0.0.5:/export /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/data
Output: mount: wrong fs type, bad option, bad superblock on 10.0.0.5:/export, missing codepage or helper program, or other error
"""

# near-miss: a healthy pod's describe that only mentions an NFS volume
HEALTHY = """Name:         web-0
Namespace:    default
Status:       Running
Volumes:
  data:
    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
    Server:    10.0.0.5
    Path:      /export
Events:       <none>
"""


def test_the_k9s_paste_is_a_mount_without_its_helper():
    found = loud(paste_findings(TRIAGE, K9S))
    assert [f["cause"] for f in found] == ["mount_failed"], found
    assert "nfs-common" in found[0]["fix"] and "helper" in found[0]["message"], found
    # the kubelet's pod directory holds the pod's UID, not its name
    assert "ee57885a" not in found[0]["object"]["name"], found


def test_the_kubelet_event_with_the_older_wording():
    found = loud(paste_findings(TRIAGE, EVENT))
    assert found[0]["cause"] == "mount_failed", found
    assert "helper" in found[0]["message"] and "nfs-common" in found[0]["fix"], found


def test_a_healthy_nfs_pod_is_not_a_mount_failure():
    assert "mount_failed" not in [f["cause"] for f in loud(paste_findings(TRIAGE, HEALTHY))]
