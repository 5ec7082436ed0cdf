"""A CNI installer that could not write the node's CNI binary directory.

CNI DaemonSets copy their plugin binaries into the host's /opt/cni/bin (mounted at
/host/opt/cni/bin) from an init or sidecar container. The shell installers skip a directory
they cannot write and go on: "$dir is non-writeable, skipping", and a failed copy says
"Failed to copy $path to $dir. This may be caused by selinux configuration on the host, or
something else." (rancher/image-build-cni-plugins install-cnis.sh, the rke2 CNI charts'
install-*-cni-plugin containers; the same lines in Calico's older k8s-install/scripts/
install-cni.sh and its copies); Calico's Go installer logs "%s is not writeable, skipping"
(projectcalico/calico cni-plugin/pkg/install/install.go). A binary not installed is one the
runtime cannot find when it sets up a pod's network (containernetworking/cni
pkg/invoke/find.go@v1.3.0:47 "failed to find plugin %q in path %s"), so pods on that node stay
ContainerCreating with FailedCreatePodSandBox. On an SELinux host the kernel's AVC record of
the refused write names the installer and the directory (Linux security/selinux/avc.c
avc_audit_pre_callback "avc:  denied  { write } for ", security/lsm_audit.c "comm=" "name=").
The kubelet's own sandbox error is not in such a paste, so the finding is inferred
(rancher/rke2#3561: SELinux kept cilium's portmap installer out of /opt/cni/bin; fixed by
rancher/rke2-selinux#29).

An installer's process is not always named for CNI: Cilium's init containers copy with `cp`
(comm="cp"). What makes a denial the CNI bin dir's is then the record itself, read with the
paste: a refused write on a directory (tclass=dir) named "bin", by a process in the confined
container domain (scontext type container_t: a pod's process; container-selinux container.te),
in a paste that names the CNI bin dir (/opt/cni/bin, the hostPath the installers mount). The
distributions label /opt/cni container_file_t so pods may write it (rancher/rke2-selinux
policy/centos9/rke2.fc@63deede6123a:14); a /opt/cni created at runtime by a hostPath inherits
its parent's usr_t instead, and the AVC names that target type (SUSE/elemental#529, fixed by
pre-creating and labelling it in SUSE/elemental#531). A denial on another directory, of a
process outside a container, or in a paste that never names the CNI bin dir stays silent.

Calico also tries /host/secondary-bin-dir, which most installs do not mount: that skip is
routine and stays silent.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# the primary bin dir only (not the optional secondary one)
_SKIPPED = re.compile(r"(?P<dir>/host/opt/cni/bin)/? is (?:non-|not )writeable, skipping"
                      r"|Failed to copy \S+ to (?P<copy>/host/opt/cni/bin)\b", re.I)
# an SELinux write refusal (security/lsm_audit.c prints comm=, name=, path=; avc.c scontext=,
# tcontext=, tclass=) of a CNI installer process (its comm names cni) on a dir "bin", or on a
# path in a CNI bin dir
_AVC = re.compile(r"avc:\s+denied\s+\{[^}]*\b(?:write|add_name|create)\b[^}]*\}\s+for\s+"
                  r"(?=[^\n]*(?:comm=\"[^\"]*cni[^\"]*\"[^\n]*name=\"bin\"|path=\"[^\"]*/cni/"
                  r"bin\b))", re.I)
# the same refusal by any process of a pod (scontext type container_t, or its older name
# svirt_lxc_net_t) on a directory named "bin": the CNI bin dir when the paste names it
_AVC_POD_BIN = re.compile(r"avc:\s+denied\s+\{[^}]*\b(?:write|add_name|create)\b[^}]*\}\s+"
                          r"for\s+(?=[^\n]*\bname=\"bin\")(?=[^\n]*\bscontext=\w+:\w+:"
                          r"(?:container_t|svirt_lxc_net_t)\b)(?=[^\n]*\btclass=dir\b)", re.I)
_CNI_BIN_DIR = re.compile(r"/opt/cni/bin\b")
# a permissive domain or host logs the denial and allows the access (avc.c prints
# "permissive=1"): the write happened
_PERMISSIVE = re.compile(r"\bpermissive=1\b")
_TARGET_TYPE = re.compile(r"\btcontext=\w+:\w+:(\w+)")
_CREATING = re.compile(r"\bContainerCreating\b")


def findings(text: str) -> list[dict[str, Any]]:
    """A sandbox_failed finding (inferred) from a CNI installer kept out of /opt/cni/bin, or []."""
    lines = text.splitlines()
    skipped = [line.strip() for line in lines if _SKIPPED.search(line)]
    named = bool(_CNI_BIN_DIR.search(text))
    denied = [line.strip() for line in lines if not _PERMISSIVE.search(line)
              and (_AVC.search(line) or (named and _AVC_POD_BIN.search(line)))]
    if not (skipped or denied):
        return []
    evidence = [f"CNI installer: {line[:240]}" for line in skipped[:2]]
    evidence += [f"SELinux denial: {line[:240]}" for line in denied[:2]]
    creating = next((line.strip() for line in lines if _CREATING.search(line)), "")
    if creating:
        evidence.append(f"the paste says: {creating[:200]}")
    why = "the installer found it not writeable and skipped it"
    if denied:
        target = next((m.group(1) for line in denied for m in [_TARGET_TYPE.search(line)] if m),
                      "")
        why = ("SELinux refused the installer's write: an AVC denial"
               + (f", the directory labelled {target}" if target else ""))
    message = (f"a CNI plugin installer could not write the node's /opt/cni/bin ({why}): the "
               "plugin binaries it ships are not installed, so the container runtime cannot "
               "set up the network of pods on that node (their sandbox fails and they stay "
               "ContainerCreating)")
    fix = ("let the installer write /opt/cni/bin: on an SELinux host, the distribution's SELinux "
           "policy package for its CNI paths (container_file_t on /opt/cni; e.g. rke2-selinux, "
           "k3s-selinux) and a relabel (restorecon -R /opt/cni: a /opt/cni that a hostPath "
           "created keeps its parent's label, usr_t), not "
           "permissive mode; otherwise "
           "the hostPath's ownership and read-only mounts; then restart the CNI DaemonSet's pods")
    return [finding("warning", "sandbox_failed", {"kind": "Text", "name": "paste"}, message,
                    evidence, fix, basis="inferred",
                    confirm="kubectl describe pod POD -n NAMESPACE (Events: "
                    "FailedCreatePodSandBox \"failed to find plugin ... in path "
                    "[/opt/cni/bin]\"); on the node: ls -Z /opt/cni/bin")]
