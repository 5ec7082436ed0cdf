"""What the kubelet and the node controllers report, read from their messages.

Each function takes a reason and/or a message as the component printed it (an event, a
container state, a node condition, or a line a user pasted) and returns what it means. The
wordings and the releases that print them are listed in references/messages.md.
"""
from __future__ import annotations

import functools
import re

# ---- image pulls ------------------------------------------------------------------------
PULL_REASONS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
                "RegistryUnavailable", "ErrImageInspect")
_PULL_KINDS = [
    # (kind, regex): first match wins; ordered from the most specific wording
    ("rate limited", r"toomanyrequests|429 too many requests|pull rate limit"),
    ("never pulled", r"errimageneverpull|imagepullpolicy is never|never pull"),
    ("invalid name", r"invalidimagename|invalid reference format|couldn't parse image"),
    ("TLS not trusted", r"x509:|certificate signed by unknown authority|tls: "),
    ("registry unreachable", r"no such host|i/o timeout|connection refused|network is unreachable"
                             r"|tls handshake timeout|context deadline exceeded"
                             r"|dial tcp|no route to host"),
    ("wrong platform", r"no matching manifest for|no match for platform|does not match the specified "
                       r"platform"),
    ("not found or private", r"pull access denied|repository does not exist or may require"),
    ("registry auth", r"unauthorized|authentication (is )?required|401 unauthorized|403 forbidden"
                      r"|denied:|access to the resource is denied|no basic auth credentials"
                      r"|permission denied"),
    ("tag or repository not found", r"manifest unknown|manifest for \S+ not found|not found"
                                    r"|name unknown|image pull failed for unknown error"),
]
_PULL_KINDS = [(k, re.compile(p, re.I)) for k, p in _PULL_KINDS]


def pull_kind(text: str) -> str:
    """Why a pull failed, from the kubelet's / runtime's message."""
    return _pull_kind(text or "")


@functools.lru_cache(maxsize=4096)
def _pull_kind(text: str) -> str:
    # cached: every failing pod's events and states are read, and a cluster repeats them
    for kind, rx in _PULL_KINDS:
        if rx.search(text):
            return kind
    return "pull failed"


PULL_FIX = {
    "rate limited": "the registry rate-limits anonymous pulls: add imagePullSecrets with an "
                    "account, mirror the image to your own registry, or pin images already "
                    "cached (imagePullPolicy IfNotPresent)",
    "never pulled": "imagePullPolicy Never needs the image preloaded on the node: load it there "
                    "or use IfNotPresent",
    "invalid name": "fix the image reference (registry/repository:tag, lower case, no spaces)",
    "TLS not trusted": "the nodes' container runtime does not trust the registry's certificate: "
                       "install its CA on every node (containerd: /etc/containerd/certs.d/<host>/"
                       "ca.crt; docker: /etc/docker/certs.d/<host>/ca.crt)",
    "registry unreachable": "the nodes cannot reach the registry (DNS name, proxy, firewall): "
                            "check the host name and resolve/curl it from a node, or mirror the "
                            "image somewhere the nodes can reach",
    "wrong platform": "the image has no build for the node's OS/architecture: use a "
                      "multi-arch image or select matching nodes (kubernetes.io/arch)",
    "not found or private": "the repository does not exist under that name or is private: check "
                            "the spelling of the image; if it is private add imagePullSecrets "
                            "(or push the locally built image to a registry the nodes use)",
    "registry auth": "the registry refused the credentials: create a docker-registry Secret "
                     "and reference it in spec.imagePullSecrets (or on the ServiceAccount); "
                     "a cloud registry (ECR, Artifact Registry, ACR) may instead trust the "
                     "node's own identity: grant the node role pull access. A `docker login` "
                     "in your shell gives the kubelet nothing",
    "tag or repository not found": "the tag or repository does not exist in the registry: use a "
                                   "published tag (list the repository's tags), then roll out",
    "pull failed": "read the kubelet's Failed event for the registry's error",
}

# ---- configuration the kubelet could not resolve ----------------------------------------
_CONFIG = [
    re.compile(r"couldn't find key (?P<key>\S+) in (?P<kind>Secret|ConfigMap) "
               r"(?:(?P<ns>[\w.-]+)/)?(?P<name>[\w.-]+)", re.I),
    # (quotes escaped as an events table of 1.5 printed them: `secrets \"x\" not found`
    # inside `RunContainerError: GenerateRunContainerOptions: ...`, helm/charts#372)
    re.compile(r"(?P<kind>secrets?|configmaps?) \\?\"(?P<name>[^\"\\]+)\\?\" not found", re.I),
    re.compile(r"(?P<kind>secret|configmap) (?P<name>[\w.-]+) not found", re.I),
    re.compile(r"references non-existent (?P<kind>secret|config) key", re.I),
]


def config_missing(text: str) -> dict | None:
    """{kind, name, key} of a ConfigMap/Secret (key) the kubelet reports missing."""
    for rx in _CONFIG:
        m = rx.search(text or "")
        if m:
            d = m.groupdict()
            kind = (d.get("kind") or "").lower().rstrip("s")
            return {"kind": "Secret" if kind.startswith("secret") else "ConfigMap",
                    "name": d.get("name") or "", "key": d.get("key") or ""}
    return None


# ---- a securityContext the kubelet refuses to run (CreateContainerConfigError) ------------
# kubernetes v1.5.0..v1.37.2 pkg/kubelet/kuberuntime/security_context*.go verifyRunAsNonRoot;
# since 1.2x the message ends "(pod: "NAME_NS(UID)", container: C)".
NON_ROOT = re.compile(r"container has runAsNonRoot and image (?:will run as root|has non-numeric "
                      r"user \(([^)]*)\))|container's runAsUser(?:Name)? (?:\([^)]*\) which will "
                      r"be regarded as root identity and will )?breaks? non-root policy", re.I)


# ---- volumes, sandboxes, evictions, probes ----------------------------------------------
# A volumeMount's subPath the kubelet cannot bind into the container (the volume is mounted,
# its subPath is not: a path the kubelet cannot create or resolve in it, a stale subPath mount
# after the volume changed); waiting reason CreateContainerConfigError, event Failed "Error: ..."
# (v1.37.2 pkg/kubelet/kubelet_pods.go makeMounts, kuberuntime/kuberuntime_container.go
# startContainer). Read as a mount failure, not a missing ConfigMap/Secret.
# A CSI driver's node-driver-registrar whose registration the kubelet refused (the kubelet's
# "RegisterPlugin error -- plugin registration failed with err: %v", v1.37.2 pkg/kubelet/
# pluginmanager/operationexecutor/operation_generator.go:134, comes back in the status): the
# driver's node plugin is not registered on the node, so nothing there mounts its volumes
# (kubernetes-csi/node-driver-registrar cmd/csi-node-driver-registrar/main.go@v2.17.0:104
# "Registration process failed with error, restarting registration container"; @v2.0.0:91
# "Registration process failed with error: %+v, restarting registration container.")
CSI_REGISTRATION_FAILED = re.compile(r"registration process failed with error\b[^\n]{0,600}?"
                                     r"restarting registration container", re.I)
SUBPATH = re.compile(r"failed to (?:prepare subPath|create subPath directory) for volumeMount", re.I)
# (a raw block volume's steps are MapVolume.*, event FailedMapVolume: v1.37.2
# pkg/volume/util/operationexecutor/operation_generator.go GenerateMapVolumeFunc, whose steps
# also fail as "MountVolume.NewMounter initialization failed", "MountVolume.MountOptionSupport
# check failed"). The attach/detach controller's Multi-Attach event is "Waiting for detach for
# volume V ..." from 1.37 (v1.37.2 pkg/controller/volume/attachdetach/reconciler/
# reconciler.go reportMultiAttachError; "Multi-Attach error" in v1.36.0), "... already used by
# N pod(s) in different namespaces" when the holders are elsewhere. The kubelet's own log line
# while the controller has not attached the volume: "Volume not attached according to node
# status" (operation_generator.go GenerateVerifyControllerAttachedVolumeFunc; no event). The
# attach/detach controller's AttachVolume steps besides Attach ("AttachVolume.FindAttachable
# PluginBySpec failed": no volume plugin matches the PV; v1.37.2 operation_generator.go:262).
# The external-attacher's attach error on the VolumeAttachment when the node's CSINode lists no
# such driver (its node plugin is not registered there; kubernetes-csi/external-attacher
# pkg/controller/csi_handler.go@v4.12.0:759 getNodeID), as `describe volumeattachment` shows it.
# The kubelet's CSI client for a driver whose node plugin never registered on this node, quoted
# without the MountVolume step around it (v1.37.2 pkg/volume/csi/csi_client.go:177; a node
# DaemonSet that does not tolerate the node's taints, aws-efs-csi-driver#122).
# mount(8)'s EINVAL for a network filesystem: the kernel refused the options the plain mount
# syscall got because no /sbin/mount.<type> helper (mount.nfs from nfs-common / nfs-utils,
# mount.cifs from cifs-utils) is installed on the node to prepare them (util-linux v2.43-devel
# 39465c78 libmount/src/context_mount.c:1766-1768 "bad option; for several filesystems (e.g.
# nfs, cifs) you might need a /sbin/mount.<type> helper program"; util-linux <= 2.22 mount(8)
# and :1770-1772 for other types "wrong fs type, bad option, bad superblock on %s, missing
# codepage or helper program, or other error"), printed in the kubelet's "mount failed: exit
# status 32 ... Output: mount: PATH: ..." (longhorn/longhorn#1799: an NFS RWX volume on a node
# without nfs-common). A pane (k9s) may cut the line anywhere: either half is enough.
MOUNT_HELPER = re.compile(r"you might need a /sbin/mount\.<?\w+>? helper program"
                          r"|\bbad option; for several filesystems\b"
                          r"|\bmissing codepage or helper program\b", re.I)
MOUNT = re.compile(r"csinode \S+ does not contain driver|"
                   r"driver name \S+ not found in the list of registered CSI drivers|"
                   r"multi-attach error|waiting for detach for volume|(?:mount|map)volume\.\w+ "
                   r"(?:initialization |check )?failed|unable to (attach or )?mount "
                   r"volumes|timed out waiting for the condition.*volume|attachvolume\.\w+ "
                   r"failed|failedattachvolume|failedmount|failedmapvolume|volume is already "
                   r"(exclusively attached|used by (?:pod|\d+ pod))|node has reached its volume "
                   r"attachment limit|volume not attached according to node status|"
                   # a volume the kubelet never set up, met when it builds the container's
                   # mounts (v1.37.2 pkg/kubelet/kubelet_pods.go:300 makeMounts; its Failed
                   # event "Error: ..."; NVIDIA/gpu-operator#246: a hostPath without its type)
                   r"cannot find volume \S+ to mount into container|"
                   # the in-tree iSCSI volume plugin's login/discovery errors, quoted without the
                   # MountVolume step around them (v1.37.2 pkg/volume/iscsi/iscsi_util.go:343-367
                   # "iscsi: failed to sendtargets to portal %s output: %s, err %v", "... update
                   # discoverydb to portal", "... attach disk: Error:", :436 "failed to get any
                   # path for iscsi disk"), and iscsiadm's own words in that output (open-iscsi
                   # 2.1.11 usr/io.c:48,55 "Connection to Discovery Address %s closed|failed",
                   # :353 "cannot make connection to %s", usr/login.c:1459 "Login I/O error,
                   # failed to receive a PDU", usr/iscsiadm.c:539 "Could not log into all
                   # portals"); mount-utils v0.37.2 mount_linux.go:272 "mount failed: %v
                   # \nMounting command: ..." for any mount(8) the kubelet ran
                   r"iscsi: failed to (?:sendtargets|update discoverydb|update iscsi node|attach "
                   r"disk)\b|failed to get any path for iscsi disk|iscsiadm: (?:connection to "
                   r"discovery address \S+ (?:failed|closed)|cannot make connection to|login i/o "
                   r"error|could not log into all portals)|mount failed: exit status \d+|"
                   # ... and the lines that error goes on with, which only a failed mount
                   # prints (mount_linux.go:271-272; its V(4) success log says "Mounting cmd
                   # (%s) with arguments (%s)", an unmount "Unmounting arguments:", :922), met
                   # alone when a journal prefixes each line and the first was not pasted
                   # (longhorn/website kb troubleshooting-rwx-volume-fails-to-attached-caused-
                   # by-protocol-not-supported: "Output: mount.nfs: Protocol not supported")
                   r"(?<![\w-])mounting (?:command|arguments): \S|"
                   # mount(8)'s own refusal in that Output, met alone (the kubelet's frame
                   # not pasted): MOUNT_HELPER
                   + MOUNT_HELPER.pattern + "|"
                   + SUBPATH.pattern + "|" + CSI_REGISTRATION_FAILED.pattern, re.I)
# The kubelet's check of a PersistentVolume's nodeAffinity against its own node's labels, before
# it mounts (v1.37.2 operation_generator.go checkNodeAffinity, "MountVolume.NodeAffinity check
# failed"; k8s.io/component-helpers v0.37.2 storage/volume/helpers.go CheckNodeAffinity "no
# matching NodeSelectorTerms"): the pod runs on a node the volume cannot be used from, a pod
# placed by nodeName past the scheduler's volume binding, or node labels changed after binding.
CSI_UNREGISTERED = re.compile(r"driver name (\S+) not found in the list of registered CSI "
                              r"drivers|csinode \S+ does not contain driver (\S+)", re.I)
# the volume's name in that wording (makeMounts quotes it with %q)
VOLUME_NOT_SET_UP = re.compile(r"cannot find volume \\?\"?([\w.-]+)\\?\"? to mount into "
                               r"container", re.I)
# the iSCSI login/discovery wordings of MOUNT alone (the node cannot log in to the target)
ISCSI_LOGIN = re.compile(r"iscsi: failed to (?:sendtargets|update discoverydb|update iscsi node)"
                         r"\b|iscsiadm: (?:connection to discovery address|cannot make connection "
                         r"to|login i/o error|could not log into all portals)", re.I)
MOUNT_NODE_AFFINITY = re.compile(r"(?:mount|map)volume\.nodeaffinity check failed", re.I)
# a local PersistentVolume whose path is not on the node (v1.37.2 pkg/volume/local/local.go
# getGlobalLocalPath -> pkg/volume/util/hostutil/hostutil.go GetFileType "path %q does not exist")
MOUNT_PATH_MISSING = re.compile(r"(?:mount|map)volume\.newmounter initialization failed for "
                                r"volume \S+ : path \\?\"([^\"\\]+)\\?\" does not exist", re.I)
SANDBOX_NAME_RESERVED = r"failed to reserve sandbox name"
# Multus: a network the pod's k8s.v1.cni.cncf.io/networks annotation names has no
# NetworkAttachmentDefinition (k8snetworkplumbingwg/multus-cni pkg/k8sclient/k8sclient.go@v4.3.0:
# 297 "cannot find a network-attachment-definition (%s) in namespace (%s): %v", also the pod's
# NoNetworkFound event; the CNI ADD fails with it, multus.go@v4.3.0:791 "Multus: [NS/POD/UID]:
# error loading k8s delegates k8s args: %v")
MULTUS_NO_NAD = re.compile(r"cannot find a network-attachment-definition \((?P<name>[^)\s]+)\) "
                           r"in namespace \((?P<ns>[^)\s]*)\)", re.I)
# up to 1.5 (dockertools, before the CRI) the kubelet's FailedSync said `failed to
# "SetupNetwork" for "POD" with SetupNetworkError: "Failed to setup network for pod ... using
# network plugins \"cni\": ..."` (kubernetes v1.5.0 pkg/kubelet/dockertools/docker_manager.go;
# coreos/coreos-kubernetes#874: no CNI plugin binaries in /opt/cni/bin)
SANDBOX = re.compile(r"failed to (create|set up|setup) (pod )?sandbox|failedcreatepodsandbox"
                     r"|networkplugin cni failed|failed to setup network for sandbox"
                     r"|SetupNetworkError|failed to setup network for pod"
                     r"|RunPodSandbox .{0,300}?failed|failed to get sandbox runtime"
                     # the CNI bridge plugin's own errors, quoted without the kubelet's frame
                     # (containernetworking/plugins plugins/main/bridge/bridge.go "failed to
                     # set bridge addr: %v", ipam "no IP addresses available in range set";
                     # containernetworking/plugins#366: cni0 raced at node start)
                     r"|failed to set bridge addr|no IP addresses available in range set"
                     # the AWS VPC CNI plugin's own log (amazon-vpc-cni-k8s cmd/routed-eni-cni-
                     # plugin/cni.go "Failed to assign an IP address to container"; the event
                     # quotes it as "add cmd: failed to assign an IP address to container":
                     # aws/amazon-vpc-cni-k8s#1294, a bad ENIConfig for custom networking)
                     r"|failed to assign an IP address to container"
                     # ... and its ADD when ipamd's gRPC server (aws-node, :50051) does not
                     # answer: aws-node not running or not ready on the node (amazon-vpc-cni-k8s
                     # cmd/routed-eni-cni-plugin/cni.go@v1.23.0:214-215, errors.Wrap "add cmd:
                     # Error received from AddNetwork gRPC call")
                     r"|error received from AddNetwork grpc call"
                     # any CNI plugin's ADD failing, as libcni frames it for the runtime
                     # (containernetworking/cni libcni/api.go@v1.3.0:521 "plugin %s failed
                     # (add): %w", pluginDescription `type="calico" name="k8s-pod-network"`),
                     # whatever the plugin's own words inside (Calico, Cilium, Multus, flannel);
                     # a plugin binary missing from the CNI bin dir (pkg/invoke/find.go@v1.3.0:47
                     # "failed to find plugin %q in path %s")
                     r"|plugin type=\S+ (?:name=\S+ )?failed \(add\)"
                     r"|failed to find plugin \S+ in path"
                     # the plugins' own words quoted without that frame: Calico's CNI plugin
                     # cannot read its datastore (projectcalico/calico cni-plugin/pkg/plugin/
                     # plugin.go@v3.32.1:86, :231 "error getting ClusterInformation: %v", e.g.
                     # libcalico-go lib/errors/errors.go@v3.32.1:113 "connection is
                     # unauthorized: ..." for a stale token) or calico-node has not written the
                     # node's name (plugin.go@v3.32.1:192 "%s: check that the calico/node
                     # container is running and has mounted /var/lib/calico/"); flanneld has not
                     # written the node's subnet.env (flannel-io/cni-plugin flannel.go@v1.9.1-
                     # flannel1:287 "failed to load flannel 'subnet.env' file: %w. Check the
                     # flannel pod log for this node.", "loadFlannelSubnetEnv failed: %w"
                     # @v1.1.2-v1.7.1-flannel1:288; before them the bare open error)
                     r"|error getting ClusterInformation: "
                     r"|check that the calico/node container is running"
                     r"|failed to load flannel 'subnet\.env' file|loadFlannelSubnetEnv failed"
                     r"|/run/flannel/subnet\.env: no such file or directory"
                     # containerd still runs the kubelet's earlier RunPodSandbox for the pod
                     # (timed out and retried): containerd internal/cri/server/sandbox_run.go@
                     # v2.3.4:86 "failed to reserve sandbox name %q: %w", internal/registrar/
                     # registrar.go@v2.3.4:50 "name %q is reserved for %q"
                     r"|" + SANDBOX_NAME_RESERVED
                     + r"|" + MULTUS_NO_NAD.pattern,
                     re.I)
# ipamd (aws-node) has no free IP left on the node's ENIs, so the CNI ADD fails and no pod
# sandbox gets a network: amazon-vpc-cni-k8s pkg/ipamd/datastore/data_store.go@v1.7.10:515
# "DataStore has no available IP addresses" (:516 "assignPodIPv4AddressUnsafe: no available IP
# addresses"), with prefix delegation "DataStore has no available IP/Prefix addresses"
# (data_store.go@HEAD:858; :83 "AssignPodIPAddress: no available IP/Prefix addresses");
# aws/amazon-vpc-cni-k8s#1446: the instance type's ENI x IP limit used up
IPAMD_NO_IPS = re.compile(r"DataStore has no available IP(?:/Prefix)? addresses"
                          r"|(?:assignPodIPv4AddressUnsafe|AssignPodIPAddress): no available "
                          r"IP(?:/Prefix)? addresses", re.I)
# containerd has no runtime for the pod's RuntimeClass handler: containerd
# pkg/cri/server (1.5-1.7) and internal/cri/config (2.x) "no runtime for %q is configured",
# wrapped "failed to get sandbox runtime: %w" by sandbox_run.go; a GPU node whose containerd
# config lacks the nvidia runtime (NVIDIA/gpu-operator#432); CRI-O's "failed to find runtime
# handler %s from runtime list %v" (cri-o internal/oci/oci.go ValidateRuntimeHandler, 1.14+;
# NVIDIA/gpu-operator#1298: OpenShift's CRI-O runs the NVIDIA toolkit as an OCI hook and has
# no handler named nvidia)
NO_RUNTIME_HANDLER = re.compile(
    r"no runtime for \\?\"(?P<handler>[\w.-]+)\\?\" is configured"
    r"|failed to find runtime handler (?P<crio>[\w.-]+) from runtime list", re.I)
EVICTED = re.compile(r"the node was low on resource: ?\[?([\w.-]+)|the node had condition: ?\[?"
                     r"([\w.-]+)|exceeded its local (ephemeral) storage limit|pod (ephemeral) "
                     r"local storage usage exceeds|usage of (emptydir) volume", re.I)
# "<Type> probe errored: <err>" is the kubelet's event when the probe could not even run (a
# named port the container does not declare: strconv.Atoi on the name; kubernetes v1.3
# pkg/kubelet/prober/prober.go, "... errored and resulted in <state> state" from 1.22)
# The kubelet's structured log line of the same failure (v1.37.2 pkg/kubelet/prober/prober.go:123
# "Probe failed" probeType=... output=...; :107 "Probe errored"), the output being the probe's
# own result, e.g. "HTTP probe failed with statuscode: 401" (pkg/probe/http/http.go:147)
PROBE = re.compile(r"(liveness|readiness|startup) probe (?:failed|errored)"
                   r"|failed (liveness|startup) probe"
                   r"|container \S+ failed (liveness|startup) probe"
                   r"|\"Probe (?:failed|errored)\"[^\n]*?\bprobeType=\"?(liveness|readiness|startup)"
                   r"\b", re.I)
# the user's words, not the kubelet's ("The readiness does not work when path is ..."):
# an inferred probe finding, confirmed by the kubelet's Unhealthy events
PROBE_PROSE = re.compile(r"\b(liveness|readiness|startup)(?: probe| check)? (?:does not|doesn't|"
                         r"did not|didn't|is not|isn't|never) (?:work|pass|succeed)", re.I)
LIVENESS_KILL = re.compile(r"failed (liveness|startup) probe, will be restarted"
                           r"|liveness probe failed", re.I)
TERMINATING = re.compile(r"terminating \(expires|stuck (in )?terminating", re.I)
# `kubectl get pods` prints STATUS Unknown for a pod being deleted whose node the node
# controller marked lost (deletionTimestamp + reason NodeLost): kubectl's printer, kubernetes
# v1.11.0..v1.37.2 pkg/printers/internalversion/printers.go printPod.
LOST_NODE_ROW = re.compile(r"^(?:(?:po|pod|pods)/)?[a-z0-9][a-z0-9.-]*\s+\d+/\d+\s+Unknown\s+\d+")
CRASH = re.compile(r"back-off restarting failed container|crashloopbackoff", re.I)
# A `kubectl get pods` row whose STATUS is the last container's exit reason `Error` (a
# non-zero exit that is not OOMKilled) and whose RESTARTS is 1 or more: the kubelet restarts
# it, CrashLoopBackOff between the tries (pkg/printers/internalversion/printers.go
# printPod: the reason of a terminated container, else its waiting reason)
ERROR_ROW = re.compile(r"^\s*(?:\S+\s+)?\S+\s+\d+/\d+\s+Error\s+[1-9]\d*\b")
# CoreDNS's loop plugin sends itself a random HINFO query at start and exits (log.Fatalf) when
# the query comes back: its upstream forwards to itself (coredns plugin/loop/loop.go v1.2.2:52
# `Seen "HINFO IN %s" more than twice, loop detected`; v1.14.7:53 `Loop (%s -> %s) detected for
# zone %q, see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO %s"`). Its README
# (v1.14.7 plugin/loop/README.md:62-90): most often the node's /etc/resolv.conf names a local
# stub such as systemd-resolved's 127.0.0.53, which the kubelet hands to the CoreDNS pod.
DNS_LOOP = re.compile(r"plugin/loop: (?:Seen \"HINFO IN \S+\" more than twice, loop detected|"
                      r"Loop \(.{0,120}?\) detected for zone)")
# GNU coreutils chown's refusal (`changing ownership of %s` + strerror(EPERM)): a container
# (a chart's volume-permissions init container, an entrypoint) that chowns its data volume on a
# filesystem that does not let it - NFS with root squash, an EFS access point - exits non-zero,
# and the pod restarts (bitnami/charts#19999: EFS, volumePermissions.enabled)
# (BusyBox's chown, common in init containers, prints `chown: /path: Operation not permitted`)
CHOWN_REFUSED = re.compile(r"chown: (?:changing ownership of [`'\u2018\"]?(?P<path>[^'`\u2019\":]+)"
                           r"[`'\u2019\"]?|(?P<bare>/[^:\s]+)): Operation not permitted")
EXEC_FORMAT = re.compile(r"exec format error", re.I)
EXEC_MISSING = re.compile(r"executable file not found|no such file or directory.*exec"
                          r"|exec: \"[^\"]+\": (stat|executable)", re.I)
DRA_WAIT = re.compile(r"waiting for resource driver|cannot allocate all claims"
                      r"|resourceclaim \S+ (is not allocated|not found)", re.I)
GPU = re.compile(r"CUDA out of memory|OutOfMemoryError: CUDA|CUDA error|CUBLAS_STATUS_ALLOC_FAILED"
                 r"|\bXid\b|NVRM|GPU has fallen off the bus|uncorrectable ECC"
                 # NVML only where it failed: "Loading NVML" is a device plugin's start line
                 r"|NVML[^\n]{0,60}?(?:error|fail|mismatch|unable|not found|could not)"
                 r"|(?:fail|unable|could not|error)[^\n]{0,40}?NVML"
                 r"|cudaErrorMemoryAllocation|NCCL error", re.I)

# The kubelet refuses a pod the scheduler (or nodeName) put on its node: pod phase Failed with
# reason OutOfcpu / OutOfmemory / OutOf<resource> / NodeAffinity / UnexpectedAdmissionError /
# TopologyAffinityError. kubernetes v1.9.0 plugin/pkg/scheduler/algorithm/predicates/error.go
# (the messages before 1.19), v1.19.0..v1.37.2 pkg/kubelet/lifecycle/predicate.go
# (InsufficientResourceError, PredicateFailureError, "... which is unexpected"), v1.27.0+
# kubelet.go rejectPod ("Pod was rejected: "), cm/admission/errors.go, cm/topologymanager
# (reason "Topology Affinity Error", spaced, in the first releases' policy_strict.go,
# policy_single_numa_node.go and policy_restricted.go, from v1.16; TopologyAffinityError in
# v1.37.2 topology_manager.go).
KUBELET_ADMIT = re.compile(r"node didn't have enough resource: |\bpredicate \w+ failed\b"
                           r"|allocate failed due to .*which is unexpected|update plugin "
                           r"resources failed due to|resources cannot be allocated with topology "
                           r"locality|\bUnexpectedAdmissionError\b|\bTopology ?Affinity ?Error\b"
                           r"|\bOutOf(?:cpu|memory|pods|ephemeral-storage)\b"
                           # 1.0's kubelet: pod status reason CapacityExceeded, the predecessor
                           # of OutOf<resource> (v1.0 pkg/kubelet/kubelet.go
                           # checkCapacityExceeded; kubernetes/kubernetes#10928)
                           r"|\bCapacityExceeded\b|pod cannot be started due to exceeded "
                           r"capacity"
                           r"|\bOutOf[a-z0-9.-]+/[\w.-]+"
                           # graceful node shutdown's admit handler: reason NodeShutdown
                           # (v1.37.2 pkg/kubelet/nodeshutdown/nodeshutdown_manager.go, since
                           # 1.22), reason Shutdown (v1.21.0 nodeshutdown_manager_linux.go)
                           r"|pod was rejected as the node is shutting down"
                           # the static CPU manager's full-pcpus-only refusal: reason
                           # SMTAlignmentError (v1.37.2 pkg/kubelet/cm/cpumanager/
                           # policy_static.go, its Type() via cm/admission/errors.go)
                           r"|\bSMT ?Alignment ?Error\b"
                           r"|node is in progress of shutting down, not admitting any new pods"
                           # the kubelet's admission before predicates (1.1-1.3 canAdmitPod;
                           # pkg/kubelet/events still names them): the pod's status reason
                           # (openshift/origin#8154: DaemonSet pods off the project's selector)
                           r"|\b(?:NodeSelectorMismatching|HostPortConflict"
                           r"|InsufficientFree(?:CPU|Memory))\b"
                           # the pod's status reason when the kubelet's predicate check
                           # refused it (1.10-1.18 MatchNodeSelector, 1.19+ NodeAffinity), as
                           # a `get pods` STATUS or said in words ("went into the
                           # `MatchNodeSelector` status": a 1.10 kubelet under a 1.12 control
                           # plane, kubernetes/kubernetes#69346)
                           r"|[`'\"]?\b(?:MatchNodeSelector|NodeAffinity)\b[`'\"]?\s+status\b"
                           r"|\bstatus\s+(?:of\s+|is\s+)?[`'\"]?(?:MatchNodeSelector|NodeAffinity)\b",
                           re.I)
# ... and its kill of the pods already running (phase Failed; reason Terminated since 1.22,
# Shutdown in 1.20-1.21): the node went away under the pod, like an eviction
NODE_SHUTDOWN_KILL = re.compile(r"pod was terminated in response to imminent node shutdown"
                                r"|node is shutting, evicting pods", re.I)
# The kubelet's own preemption: to admit a critical pod (static, or system-*-critical priority)
# its node lacks resources for, it kills running pods (phase Failed, reason Preempting; v1.37.2
# pkg/kubelet/preemption/preemption.go, DisruptionTarget "Pod was preempted by Kubelet ...")
KUBELET_PREEMPTED = re.compile(r"preempted in order to admit critical pod"
                               r"|pod was preempted by kubelet to accommodate a critical pod", re.I)
# The container runtime could not create or start the container, or its postStart hook failed
# (waiting reasons CreateContainerError, RunContainerError, PostStartHookError; terminated
# StartError / ContainerCannotRun): v1.37.2 pkg/kubelet/kuberuntime/kuberuntime_container.go,
# pkg/kubelet/container/sync_result.go, pkg/kubelet/lifecycle/handlers.go. The runtime's own
# words for a CreateContainer call the kubelet timed out and retried (its Failed event "Error:
# <runtime message>"): CRI-O "kubelet may be retrying requests that are timing out in CRI-O due
# to system load" / "error reserving ctr name ... name is reserved" (server/container_create.go,
# internal/resourcestore), containerd "failed to reserve container name" (internal/cri/server/
# container_create.go); the sandbox forms of both come in FailedCreatePodSandBox, read first.
# The docker-era kubelet (1.2-1.5 pkg/kubelet/dockertools/docker_manager.go, reason Failed):
# "Failed to start container with docker id %v with error: %v", "Failed to create docker
# container %q of pod %q with error: %v" (k8sp/sextant#397: lstat /dev/nvidia0).
START_FAILED = re.compile(r"\b(?:CreateContainerError|RunContainerError|PostStartHookError"
                          r"|Failed to start container with docker id \S+ with error"
                          r"|Failed to create docker container \S+ of pod \S+ with error"
                          # CRI-O's CreateContainer (internal/oci runtime_oci.go `container
                          # create failed: %s`), e.g. a failing NVIDIA hook (opendatahub-io/
                          # distributed-workloads#271: nvidia-container-cli IMEX parse error)
                          r"|container create failed: |error running hook #\d+: "
                          r"|StartError|ContainerCannotRun|FailedPostStartHook)\b"
                          r"|poststarthook failed|(?:exec|http) lifecycle hook \(.*\) for "
                          r"container \S+ in pod \S+ failed|failed to start container \S+: "
                          r"|failed to generate container \S+ spec|oci runtime (?:create|start) "
                          r"failed|failed to create containerd task|failed to reserve container "
                          r"name|timing out in CRI-O due to system load|error reserving ctr name",
                          re.I)
# activeDeadlineSeconds: v1.37.2 pkg/kubelet/active_deadline.go (reason DeadlineExceeded).
POD_DEADLINE = re.compile(r"pod was active on the node longer than the specified deadline", re.I)
# The Job controller's Failed condition / events: v1.5.0 pkg/controller/job/jobcontroller.go,
# v1.11.0..v1.37.2 job_controller.go (BackoffLimitExceeded 1.11+, DeadlineExceeded,
# FailedIndexes / MaxFailedIndexesExceeded 1.28+, PodFailurePolicy 1.26+).
JOB_FAILED = re.compile(r"job has reached the specified backoff limit|job was active longer "
                        r"than specified deadline|job has exceeded the specified maximal number "
                        r"of failed indexes|job has failed indexes|\bBackoffLimitExceeded\b"
                        r"|\bMaxFailedIndexesExceeded\b|(?:container \S+ for pod \S+ failed "
                        r"with exit code \d+|pod \S+ has condition \w+) matching FailJob rule",
                        re.I)  # the last two: pod_failure_policy.go (1.26+)


# ---- nodes ------------------------------------------------------------------------------
NODE_DOWN = re.compile(r"kubelet stopped posting node status|pleg is not healthy"
                       r"|networkpluginnotready|network plugin is not ready|cni config "
                       r"uninitialized|cni plugin not initialized|container runtime (is )?down"
                       r"|container runtime network not ready|runtime network not ready"
                       # (not a program's own readiness output: `calico/node is not ready:
                       # BIRD is not ready`, a calico-node probe's message, calico#3541)
                       r"|nodestatusunknown|kubeletnotready|(?<![/\w-])node is not ready"
                       # kubelet_node_status.go recordNodeStatusEvent; the node lifecycle
                       # controller (v1.5.0..v1.37.2 node_lifecycle_controller.go, util/node)
                       r"|status is now: NodeNotReady|kubelet never posted node status"
                       r"|marking for deletion pod \S+ from node", re.I)
# A node without spec.podCIDR: its CNI cannot start, so it stays NotReady. kube-controller-
# manager gives each node a range only with --allocate-node-cidrs and --cluster-cidr (kubeadm
# --pod-network-cidr), a /24 by default (--node-cidr-mask-size): a cluster CIDR of /24 has one.
# Wordings: the allocator (kubernetes v1.37.2 pkg/controller/nodeipam/ipam/cidrset/cidr_set.go
# "there are no remaining CIDRs left to allocate", range_allocator.go event CIDRNotAvailable),
# flannel (pkg/subnet/kube/kube.go `node %q pod cidr not assigned`), kube-router
# (`node.Spec.PodCIDR not set for node`, cloudnativelabs/kube-router#360).
NODE_NO_POD_CIDR = re.compile(r"pod cidr not assigned|\bPodCIDR not set\b|no remaining CIDRs "
                              r"left to allocate|\bCIDRNotAvailable\b", re.I)
# The kubelet refuses to start, so the node never becomes (or stops being) Ready: its own
# exit error, kubernetes v1.37.2 cmd/kubelet/app/server.go "failed to run Kubelet: %w",
# pkg/kubelet/apis/config/validation/validation_linux.go (cgroup v1 refused by default since
# 1.35, KEP-5573; NVIDIA/OpenShell#360), pkg/kubelet/cm/container_manager_linux.go (swap),
# and the dockershim-era cgroup driver mismatch (<= 1.23 "misconfiguration: kubelet cgroup
# driver: %q is different from docker cgroup driver: %q").
# The container manager refusing to start: pkg/kubelet/kubelet.go initializeRuntimeDependentModules
# exits the kubelet - v1.6..v1.20 klog.Fatalf("Failed to start ContainerManager %v", err), v1.21+
# klog.ErrorS(err, "Failed to start ContainerManager") then os.Exit(1); <= 1.5 the same words as
# a runtime error ("skipping pod synchronization - [Failed to start ContainerManager ...]").
# A missing cgroup v1 controller is pkg/kubelet/cm/container_manager_linux.go
# validateSystemRequirements "%s - Following Cgroup subsystem not mounted: %v" (localErr "system
# validation failed"), also printed by KubeEdge's edged; Raspberry Pi OS boots without the
# memory cgroup (abelperezok/kubernetes-raspberry-pi-cluster-hat#2).
KUBELET_WONT_START = re.compile(r"failed to run Kubelet: [^\n]{3,}|kubelet is configured to not "
                                r"run on a host using cgroup v1|running with swap on is not "
                                r"supported|kubelet cgroup driver: \S+ is different from "
                                r"(?:docker|runtime) cgroup driver"
                                r"|Failed to start ContainerManager\W{0,4}(?:err=)?\W{0,2}"
                                r"[a-z][^\n]{2,}|Following Cgroup subsystem not mounted: "
                                r"\[[\w ]+\]", re.I)
# the kernel cannot give the kubelet a cgroup controller it needs (kernel command line)
CGROUP_NOT_MOUNTED = re.compile(r"Cgroup subsystem not mounted: \[([\w ]+)\]", re.I)
NODE_PRESSURE = re.compile(r"kubelethasdiskpressure|kubelethasinsufficientmemory"
                           r"|kubelethasinsufficientpid|has disk pressure|has memory pressure"
                           r"|status is now: NodeHas(?:Disk|Memory|PID)Pressure"
                           r"|status is now: NodeHasInsufficient(?:Memory|PID)"
                           # the eviction manager refusing new pods: v1.9.0..v1.24 klog line,
                           # v1.25+ structured (pkg/kubelet/eviction/eviction_manager.go Admit)
                           r"|failed to admit pod \S+ - node has conditions: \[\w"
                           r"|failed to admit pod to node\W.*nodecondition=\[\w"
                           # image GC cannot bring the image filesystem under its high
                           # threshold (every image in use): the disk stays full and the
                           # eviction manager's nodefs/imagefs threshold follows (pkg/kubelet/
                           # images/image_gc_manager.go GarbageCollect, event FreeDiskSpaceFailed;
                           # llmos-ai/llmos#21)
                           r"|failed to garbage collect required amount of images"
                           r"|wanted to free \d+ bytes, but freed \d+ bytes space",
                           re.I)
DOWN_TAINTS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
               "node.kubernetes.io/network-unavailable", "node.kubernetes.io/out-of-disk")
PRESSURE_TAINTS = ("node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                   "node.kubernetes.io/pid-pressure")
CONTROL_PLANE_TAINTS = ("node-role.kubernetes.io/master", "node-role.kubernetes.io/control-plane")

EXIT_HINTS = {0: "the main process exited successfully, but a Deployment/ReplicaSet restarts "
                 "it: the container needs a long-running command",
              1: "application error", 2: "misuse of a shell builtin / bad arguments",
              126: "command not executable", 127: "command not found",
              128: "invalid exit argument", 134: "aborted (SIGABRT)",
              137: "killed (SIGKILL): OOM kill, a failed liveness probe or an external kill",
              139: "segmentation fault (SIGSEGV)", 143: "terminated (SIGTERM): stopped by the "
                                                       "kubelet (liveness/startup probe, "
                                                       "eviction, deletion) or by a signal",
              255: "exit status out of range / unhandled error"}


def exit_hint(code) -> str:
    try:
        code = int(code)
    except (TypeError, ValueError):
        return ""
    if code in EXIT_HINTS:
        return EXIT_HINTS[code]
    if 128 < code < 160:
        return f"killed by signal {code - 128}"
    return ""
