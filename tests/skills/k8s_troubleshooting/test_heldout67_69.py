"""Held-out rounds 67-69 (pods-nodes GPU, storage and network). Expected values come from the
upstream source or the public thread named at each test, never from the scripts:

- nvidia-installer's "Unable to load the kernel module '%s'.  This happens most frequently when
  this kernel module was built against the wrong or improperly configured kernel sources, ...
  or if another driver, such as nouveau, is present ..." (NVIDIA/nvidia-installer
  kernel.c@590.48.01:1303): the module built, the kernel refused it; no driver runs on the node
  (the skill's id for a node without a working driver: gpu_driver_mismatch, references/
  gpu-training.md); NVIDIA/gpu-operator#8: nouveau held the GPU, blacklisting it fixed it;
- libnvidia-container's hook on a node with no NVIDIA driver: `nvidia-container-cli:
  initialization error: driver error: failed to process request` (NVIDIA/gpu-operator#104: the
  maintainer's answer is to install the driver on the host): the driver is the root, not the
  container start;
- the API server's validation refusal `<Kind>.<group> "<name>" is invalid: <field>: Required
  value` (apimachinery field.Required) is spec_invalid; under helm's `UPGRADE FAILED` for a
  custom resource, a CRD older than the chart: helm installs crds/ once and never upgrades them
  (helm.sh/docs/topics/charts "Limitations on CRDs"; NVIDIA/gpu-operator#139);
- kubectl's custom-columns printer writes `<none>` where the path finds no value
  (k8s.io/kubectl@v0.37.2 pkg/cmd/get/customcolumn.go:252): a node whose nvidia.com/gpu column
  is <none> advertises no GPU (NVIDIA/k8s-device-plugin#57);
- client-go's reflector "Failed to list %v: %v" (kubernetes-csi/external-attacher@v2.0.0
  vendor/k8s.io/client-go/tools/cache/reflector.go:193) on a storage.k8s.io/v1beta1 kind,
  "the server could not find the requested resource": v1beta1 CSINode, CSIDriver, StorageClass,
  VolumeAttachment are not served from 1.22, CSIStorageCapacity from 1.27 (Kubernetes
  deprecation guide); the CSI sidecars never provision (hetznercloud/csi-driver#220);
- ipamd's "DataStore has no available IP addresses" (aws/amazon-vpc-cni-k8s pkg/ipamd/datastore/
  data_store.go@v1.7.10:515), "DataStore has no available IP/Prefix addresses" (data_store.go
  @HEAD:858): no pod IP left, the CNI ADD fails, the sandbox is not created
  (aws/amazon-vpc-cni-k8s#1446).
"""
from __future__ import annotations

from typing import Any

from .conftest import paste_findings


def _first(script: str, text: str) -> dict[str, Any]:
    found = paste_findings(script, text)
    assert found, "no finding"
    return found[0]


# --- nvidia-installer: the module built, the kernel refuses to load it ---------------------------
# NVIDIA/gpu-operator#8 as pasted (the driver container's log, cut mid-explanation)
INSTALLER_CUT = """\
Compiling NVIDIA driver kernel modules...
Relinking NVIDIA driver kernel modules...
Installing NVIDIA driver kernel modules...

ERROR: Unable to open 'kernel/dkms.conf' for copying (No such file or
       directory)


ERROR: Unable to load the kernel module 'nvidia.ko'.  This happens most
       frequently when this kernel module was built against the wrong or
       improperly configured kernel sources, with a version of gcc that
"""

# the same message whole, as a console printed it on one line (kernel.c@590.48.01:1303), with
# lsmod on the node showing nouveau loaded
INSTALLER_WHOLE_NOUVEAU = (
    "ERROR: Unable to load the kernel module 'nvidia.ko'.  This happens most frequently when "
    "this kernel module was built against the wrong or improperly configured kernel sources, "
    "with a version of gcc that differs from the one used to build the target kernel, or if "
    "another driver, such as nouveau, is present and prevents the NVIDIA kernel module from "
    "obtaining ownership of the NVIDIA device(s), or no NVIDIA device installed in this system "
    "is supported by this NVIDIA Linux graphics driver release.\n"
    "$ lsmod | grep nouveau\n"
    "nouveau              1949696  1\n")


def test_installer_load_failure_is_no_working_driver() -> None:
    found = _first("explain_gpu_failure.py", INSTALLER_CUT)
    assert (found["cause"], found["basis"]) == ("gpu_driver_mismatch", "reported")
    assert "nouveau" in found["fix"]


def test_installer_load_failure_quotes_nouveau_when_present() -> None:
    found = _first("explain_gpu_failure.py", INSTALLER_WHOLE_NOUVEAU)
    assert found["cause"] == "gpu_driver_mismatch"
    assert any(line.startswith("nouveau ") for line in found["evidence"])
    # the installer's own "such as nouveau" is a list of reasons, not nouveau present
    found = _first("explain_gpu_failure.py", INSTALLER_WHOLE_NOUVEAU.split("$")[0])
    assert not any("lsmod" in line or line.startswith("nouveau ") for line in found["evidence"])


def test_dkms_conf_message_alone_is_not_a_load_failure() -> None:
    # "Unable to open 'kernel/dkms.conf'" also prints on installs that work (the thread)
    causes = [f["cause"] for f in paste_findings(
        "explain_gpu_failure.py", INSTALLER_CUT.split("ERROR: Unable to load")[0])]
    assert "gpu_driver_mismatch" not in causes


# --- the NVIDIA hook on a node with no driver -------------------------------------------------------
# NVIDIA/gpu-operator#104 as pasted (docker's smoke test)
HOOK_DOCKER = (
    'docker: Error response from daemon: OCI runtime create failed: container_linux.go:349: '
    'starting container process caused "process_linux.go:449: container init caused '
    '\\"process_linux.go:432: running prestart hook 0 caused \\\\\\"error running hook: exit '
    'status 1, stdout: , stderr: nvidia-container-cli: initialization error: driver error: '
    'failed to process request\\\\\\\\n\\\\\\"\\"": unknown.\n')

# the same hook failure as the kubelet's event on a pod (containerd, runc "Running hook #0:")
HOOK_EVENT = (
    "  Warning  Failed     12s   kubelet  Error: failed to create containerd task: failed to "
    "create shim task: OCI runtime create failed: runc create failed: unable to start container "
    "process: error during container init: error running hook #0: error running hook: exit "
    "status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: "
    "initialization error: driver error: failed to process request: unknown\n")


def test_hook_driver_error_is_the_missing_driver_not_the_start() -> None:
    for text in (HOOK_DOCKER, HOOK_EVENT):
        found = _first("explain_gpu_failure.py", text)
        assert (found["cause"], found["basis"]) == ("gpu_driver_mismatch", "reported"), text
        assert "install the driver" in found["fix"]


def test_hook_container_error_stays_a_start_failure() -> None:
    # a hook failing at its container stage is not the driver (NVIDIA/k8s-device-plugin#235)
    text = HOOK_EVENT.replace("initialization error: driver error: failed to process request",
                              "container error: cgroup subsystem devices not found")
    assert _first("explain_gpu_failure.py", text)["cause"] == "container_start_failed"


# --- the API server refusing a custom resource after helm upgrade -----------------------------------
# NVIDIA/gpu-operator#139 as pasted
HELM_CLUSTERPOLICY = (
    " helm upgrade --wait --create-namespace gpu-operator nvidia/gpu-operator "
    "--set=operator.defaultRuntime=containerd\n"
    'Error: UPGRADE FAILED: cannot patch "cluster-policy" with kind ClusterPolicy: '
    'ClusterPolicy.nvidia.com "cluster-policy" is invalid: spec.operator.deployGFD: Required '
    "value\n")

# another chart's custom resource, refused for a field the old schema does not know (the
# apiserver's structural-schema pruning under strict validation: `unknown field`)
HELM_UNKNOWN_FIELD = (
    'Error: UPGRADE FAILED: cannot patch "gpu" with kind DeviceClass: '
    'DeviceClass.example.io "gpu" is invalid: spec.sharing: Unknown field\n'.replace(
        "Unknown field", 'Invalid value: "object": field not declared in schema'))


def test_refused_custom_resource_in_helm_upgrade_is_a_stale_crd() -> None:
    for text in (HELM_CLUSTERPOLICY, HELM_UNKNOWN_FIELD):
        found = _first("explain_gpu_failure.py", text)
        assert (found["cause"], found["basis"]) == ("spec_invalid", "reported"), text
        assert "crds/" in found["fix"] and "CustomResourceDefinition" in found["message"]


def test_refused_built_in_object_is_not_read_as_a_crd() -> None:
    text = ('Error: UPGRADE FAILED: cannot patch "nvidia-device-plugin" with kind DaemonSet: '
            'DaemonSet.apps "nvidia-device-plugin" is invalid: spec.selector: Invalid value: '
            'v1.LabelSelector{}: field is immutable\n')
    found = _first("explain_gpu_failure.py", text)
    assert found["cause"] == "spec_invalid"
    assert "CustomResourceDefinition" not in found["message"] and "crds/" not in found["fix"]


# --- a custom-columns node table with no GPU ---------------------------------------------------------
# NVIDIA/k8s-device-plugin#57 as pasted
NODE_TABLE_NONE = """\
sudo minikube start --vm-driver=none --feature-gates=Accelerators=true
kubectl create -f https://raw.githubusercontent.com/NVIDIA/k8s-device-plugin/v1.10/nvidia-device-plugin.yml
kubectl get nodes -o=custom-columns=NAME:.metadata.name,GPUs:.status.capacity.'nvidia\\.com/gpu'

NAME       GPUs
minikube   <none>
"""

# another form: quoted spec, allocatable, two nodes, one with GPUs
NODE_TABLE_MIXED = """\
$ kubectl get nodes "-o=custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\\.com/gpu"
NAME            GPU
gpu-node-a      8
gpu-node-b      <none>
"""


def test_node_table_without_gpu_is_not_advertised() -> None:
    found = _first("explain_gpu_failure.py", NODE_TABLE_NONE)
    assert (found["cause"], found["basis"]) == ("gpu_not_advertised", "inferred")
    assert "default-runtime" in found["fix"] and found["confirm"]
    found = _first("explain_gpu_failure.py", NODE_TABLE_MIXED)
    assert found["cause"] == "gpu_not_advertised"
    assert found["evidence"] == ["in the table: gpu-node-b <none>"]


def test_node_table_with_gpus_stays_silent() -> None:
    text = NODE_TABLE_MIXED.replace("<none>", "4")
    assert paste_findings("explain_gpu_failure.py", text) == []


# --- CSI sidecars on a storage API the cluster no longer serves ---------------------------------------
# hetznercloud/csi-driver#220 as pasted
SIDECARS_V1BETA1 = """\
k logs hcloud-csi-controller-0 -c csi-attacher
E0813 18:22:42.592973       1 reflector.go:156] k8s.io/client-go/informers/factory.go:135: Failed to list *v1beta1.CSINode: the server could not find the requested resource
E0813 18:22:42.593295       1 reflector.go:156] k8s.io/client-go/informers/factory.go:135: Failed to list *v1beta1.VolumeAttachment: the server could not find the requested resource

k logs hcloud-csi-controller-0 -c csi-provisioner
E0813 18:22:42.035565       1 reflector.go:156] k8s.io/client-go/informers/factory.go:135: Failed to list *v1beta1.CSINode: the server could not find the requested resource
"""

# a later client-go's structured reflector line, on 1.27 (v1beta1 CSIStorageCapacity removed)
SIDECAR_CAPACITY_127 = (
    'E0502 10:01:02.123456       1 reflector.go:147] k8s.io/client-go/informers/factory.go:150: '
    'Failed to watch *v1beta1.CSIStorageCapacity: failed to list *v1beta1.CSIStorageCapacity: '
    'the server could not find the requested resource\n')


def test_sidecar_listing_a_removed_storage_api_leaves_claims_pending() -> None:
    for text in (SIDECARS_V1BETA1, SIDECAR_CAPACITY_127):
        found = _first("triage.py", text)
        assert (found["cause"], found["basis"]) == ("pvc_pending", "reported"), text
        assert "sidecar" in found["fix"]


def test_sidecar_forbidden_or_other_api_is_not_a_removed_storage_api() -> None:
    forbidden = SIDECARS_V1BETA1.replace("*v1beta1.", "*v1.").replace(
        "the server could not find the requested resource",
        'csinodes.storage.k8s.io is forbidden: User "system:serviceaccount:kube-system:csi" '
        "cannot list resource")
    other = SIDECARS_V1BETA1.replace("CSINode", "PodDisruptionBudget").replace(
        "VolumeAttachment", "PodDisruptionBudget")
    for text in (forbidden, other):
        assert not any("sidecar" in f["fix"] for f in paste_findings("triage.py", text))


# --- AWS VPC CNI: ipamd out of IPs ---------------------------------------------------------------------
# aws/amazon-vpc-cni-k8s#1446 as pasted (a sentence quoting ipamd)
IPAMD_PROSE = (
    "we are running jobs which are scheduled as every minute. we are having problems with IPs in "
    "the cooldown period and available max IP limits. So, pods could not start because of "
    "`DataStore has no available IP addresses` error.\n")

# ipamd's own log line with prefix delegation (data_store.go@HEAD:858)
IPAMD_LOG = ('{"level":"error","ts":"2024-03-01T10:00:00.000Z","caller":"datastore/data_store.go'
             ':858","msg":"DataStore has no available IP/Prefix addresses"}\n')


def test_ipamd_without_ips_is_the_sandbox() -> None:
    for text in (IPAMD_PROSE, IPAMD_LOG):
        found = _first("triage.py", text)
        assert (found["cause"], found["basis"]) == ("sandbox_failed", "reported"), text
        assert "ENABLE_PREFIX_DELEGATION" in found["fix"]


def test_ip_words_without_ipamd_stay_silent() -> None:
    text = "we are having problems with IPs and available max IP limits on our nodes.\n"
    assert not any(f["cause"] == "sandbox_failed" for f in paste_findings("triage.py", text))
