"""Held-out rounds 76-77 (pods-nodes, explain_gpu_failure.py). Expected values come from the
upstream source or the public thread named at each test, never from the script:

- A node's Capacity listing nvidia.com/gpu at 0: the kubelet writes a device-plugin resource
  whose plugin stopped as 0 rather than dropping it (kubernetes v1.37.2 pkg/kubelet/nodestatus/
  setters.go:274-284), and after a kubelet restart keeps it at 0 "till the corresponding device
  plugin re-registers" (pkg/kubelet/cm/devicemanager/manager.go:561-566); a registered plugin
  counts unhealthy devices in Capacity (GetCapacity, :472-520) -> gpu_not_advertised
  (bottlerocket-os/bottlerocket#3132: the plugin's unit stopped with a kubelet restart).
- containerd's "no runtime for %q is configured" (v2.1.4 internal/cri/config/config.go:714)
  wrapped "failed to get sandbox runtime: %w" (internal/cri/server/container_create.go:269),
  CRI-O's "failed to find runtime handler %s from runtime list %v" (cri-o internal/oci/oci.go)
  for an nvidia handler -> nvidia_runtime_not_default (hrishin/GPU-Workload-Debugging task2:
  the GPU Operator's toolkit configured another containerd than the kubelet's).
- The GPU Operator's RHEL driver container: "FATAL: failed to install elfutils packages. RHEL
  entitlement may be improperly deployed" (NVIDIA/gpu-driver-container rhel8/nvidia-driver before
  commit 1ba5f1f), "FATAL: failed to install elfutils-libel-devel. ..." (rhel8/nvidia-driver
  @06a208c:138), "FATAL: failed to update the dnf metadata cache ..." (:128) -> the driver is
  not built: gpu_driver_mismatch, as the skill files every driver that is not built
  (references/gpu-training.md; NVIDIA/cloud-native-docs openshift/troubleshooting-gpu-ocp.rst).
"""
from __future__ import annotations

from .conftest import paste_findings, loud as _loud

GPU = "explain_gpu_failure.py"


# ---- Capacity nvidia.com/gpu: 0 -----------------------------------------------------------------

# bottlerocket-os/bottlerocket#3132 as pasted: describe node's blocks, nvidia.com/gpu 0 in both
DESCRIBE_ZERO = """\
some of them does not have gpu exposed, i.e.

Capacity:
  attachable-volumes-aws-ebs:  39
  cpu:                         4
  memory:                      16061316Ki
  nvidia.com/gpu:              0
  pods:                        29
Allocatable:
  attachable-volumes-aws-ebs:  39
  cpu:                         3920m
  nvidia.com/gpu:              0
  pods:                        29
"""

# the same node state as `kubectl get node -o yaml` prints it (quantities quoted)
YAML_ZERO = """\
apiVersion: v1
kind: Node
metadata:
  name: gpu-node-a
status:
  allocatable:
    cpu: 3920m
    nvidia.com/gpu: "0"
  capacity:
    cpu: "4"
    nvidia.com/gpu: "0"
"""

# a full describe node of an AMD node whose plugin is gone (the kubelet's rule is vendor-blind)
DESCRIBE_AMD = """\
Name:               rocm-node-1
Roles:              <none>
Capacity:
  amd.com/gpu:        0
  cpu:                64
Allocatable:
  amd.com/gpu:        0
  cpu:                63500m
"""


def test_describe_capacity_zero_is_gpu_not_advertised():
    found = _loud(paste_findings(GPU, DESCRIBE_ZERO))
    assert found and found[0]["cause"] == "gpu_not_advertised"
    assert found[0]["basis"] == "inferred" and found[0].get("confirm")
    assert any("nvidia.com/gpu: 0" in e for e in found[0]["evidence"])


def test_yaml_and_other_vendor_capacity_zero():
    for paste in (YAML_ZERO, DESCRIBE_AMD):
        found = _loud(paste_findings(GPU, paste))
        assert found and found[0]["cause"] == "gpu_not_advertised", paste
    amd = _loud(paste_findings(GPU, DESCRIBE_AMD))[0]
    assert any("rocm-node-1" in e and "amd.com/gpu" in e for e in amd["evidence"])


def test_capacity_with_gpus_or_renamed_resource_stays_silent():
    # GPUs in Capacity, none allocatable: a registered plugin with every device unhealthy
    # (GetCapacity counts unhealthy devices in capacity only): not this rule's cause
    unhealthy = DESCRIBE_ZERO.replace("nvidia.com/gpu:              0\n  pods:                "
                                      "        29\nAllocatable", "nvidia.com/gpu:              "
                                      "4\n  pods:                        29\nAllocatable", 1)
    assert "nvidia.com/gpu:              4" in unhealthy
    # MIG mixed strategy: the old full-GPU resource stays at 0 beside the MIG resources
    mig = YAML_ZERO.replace('    nvidia.com/gpu: "0"\n', '    nvidia.com/gpu: "0"\n'
                            '    nvidia.com/mig-1g.10gb: "7"\n')
    plain = "Capacity:\n  cpu:                4\n  hugepages-1Gi:      0\n  pods:               29\n"
    for paste in (unhealthy, mig, plain):
        causes = [f["cause"] for f in _loud(paste_findings(GPU, paste))]
        assert "gpu_not_advertised" not in causes, (paste, causes)


# ---- the runtime has no nvidia handler ----------------------------------------------------------

# hrishin/GPU-Workload-Debugging task2 as pasted: the event, the containerd journal line, the
# GPU Operator's pods (cut)
NO_HANDLER = """\
Events:
  Type     Reason                  Age                    From     Message
  ----     ------                  ----                   ----     -------
  Warning  FailedCreatePodSandBox  4m24s (x279 over 64m)  kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "nvidia" is configured

 kubectl get pods -n gpu-operator -o wide
NAME                                                              READY   STATUS             RESTARTS        AGE   IP           NODE            NOMINATED NODE   READINESS GATES
gpu-feature-discovery-6hbp9                                       1/1     Running            0               78m   10.1.0.39    192-18-132-31   <none>           <none>
nvidia-container-toolkit-daemonset-bhqw6                          0/1     CrashLoopBackOff   14 (3m1s ago)   50m   10.1.0.17    192-18-132-31   <none>           <none>
nvidia-device-plugin-daemonset-7npm6                              1/1     Running            0               77m   10.1.0.219   192-18-132-31   <none>           <none>
"""

# containerd's own journal line (escaped quotes) and CRI-O's wording of the same refusal
CONTAINERD_JOURNAL = ('Sep 28 03:40:06 node-a containerd[2425]: time="2025-09-28T03:40:06Z" '
                      'level=error msg="RunPodSandbox for &PodSandboxMetadata{Name:gpu-pod,} '
                      'failed, error" error="failed to get sandbox runtime: no runtime for '
                      '\\"nvidia-cdi\\" is configured"\n')
CRIO = ("Warning  FailedCreatePodSandBox  12s  kubelet  Failed to create pod sandbox: rpc "
        "error: code = Unknown desc = failed to find runtime handler nvidia from runtime list "
        "map[crun:0xc000 runc:0xc001]\n")


def test_no_nvidia_handler_is_runtime_not_configured():
    found = _loud(paste_findings(GPU, NO_HANDLER))
    assert found[0]["cause"] == "nvidia_runtime_not_default"
    assert found[0]["basis"] == "reported"
    evidence = " ".join(found[0]["evidence"])
    assert 'no runtime for "nvidia" is configured' in evidence
    assert "nvidia-container-toolkit-daemonset-bhqw6 is CrashLoopBackOff" in evidence


def test_other_forms_of_the_missing_handler():
    for paste in (CONTAINERD_JOURNAL, CRIO):
        found = _loud(paste_findings(GPU, paste))
        assert found and found[0]["cause"] == "nvidia_runtime_not_default", paste


def test_missing_handler_of_another_runtime_class_is_not_gpu():
    kata = NO_HANDLER.replace('"nvidia"', '"kata-qemu"')
    causes = [f["cause"] for f in _loud(paste_findings(GPU, kata))]
    assert "nvidia_runtime_not_default" not in causes, causes


# ---- the driver container cannot install its build packages ------------------------------------

# NVIDIA/cloud-native-docs openshift/troubleshooting-gpu-ocp.rst@52dcb7b, "Verify the NVIDIA
# driver deployment" (cut)
ELFUTILS_OLD = """\
$ oc get pods -n nvidia-gpu-operator
NAME                                               READY   STATUS             RESTARTS   AGE
gpu-feature-discovery-hlpgs                        0/1     Init:0/1           0          53m
nvidia-driver-daemonset-48.84.202110270303-0-9df9j 0/1     CrashLoopBackOff   13         53m
nvidia-operator-validator-kjznr                    0/1     Init:0/4           0          53m

$ oc logs -f nvidia-driver-daemonset-48.84.202110270303-0-9df9j -n nvidia-gpu-operator -c nvidia-driver-ctr
FATAL: failed to install elfutils packages. RHEL entitlement may be improperly deployed
"""

# the same script after commit 1ba5f1f (rhel8/nvidia-driver@06a208c:135-138), and its dnf cache
# failure (:128) a few lines before it in the same function
ELFUTILS_NEW = """\
Installing elfutils...
Error: Unable to find a match: elfutils-libelf-devel.x86_64
FATAL: failed to install elfutils-libel-devel. RHEL entitlement may be improperly deployed.
"""
DNF_CACHE = ("FATAL: failed to update the dnf metadata cache after multiple attempts with "
             "releasevers 9.4, 9\n")


def test_elfutils_entitlement_fatal_is_driver_not_built():
    found = _loud(paste_findings(GPU, ELFUTILS_OLD))
    assert found[0]["cause"] == "gpu_driver_mismatch" and found[0]["basis"] == "reported"
    assert any("failed to install elfutils packages" in e for e in found[0]["evidence"])
    assert "Driver Toolkit" in found[0]["fix"]


def test_newer_wording_and_dnf_cache_fatal():
    for paste in (ELFUTILS_NEW, DNF_CACHE):
        found = _loud(paste_findings(GPU, paste))
        assert found and found[0]["cause"] == "gpu_driver_mismatch", paste
        assert "packages" in found[0]["message"]


def test_driver_container_progress_lines_stay_silent():
    progress = ("Installing elfutils...\nInstalling Linux kernel headers...\n"
                "Entitled driver builds are deprecated on recent OpenShift releases.\n")
    assert _loud(paste_findings(GPU, progress)) == []
