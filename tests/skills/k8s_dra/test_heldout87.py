"""Held-out round 87 (DRA).

1. Intel's QAT DRA chart README ('Read-only file system error for QAT'): the QAT kubelet
   plugin's log ends with `failed to create kubelet plugin driver: cannot enable PF device
   '<pci>': open /sysfs/bus/pci/devices/<pci>/sriov_numvfs: read-only file system`; the vendor
   resets QAT by reloading its kernel driver -> driver_not_registered (the plugin exits before
   kubeletplugin.Start, so it never registers and publishes nothing). Sources:
   intel/intel-resource-drivers-for-kubernetes cmd/kubelet-qat-plugin/driver.go:109 ("cannot
   enable PF device '%s': %v"), :104 ("could not find PF devices: %v"), :134
   (kubeletplugin.Start after them) at 1da939f; main.go:33@qat-v0.1.0 (printed 'failed to
   create kubelet plugin driver: %v'), main.go:47@qat-v0.4.0 (returned to cobra: 'Error:
   ...'), main.go:19@qat-v0.4.1 (bare after 'Error: '); charts/intel-qat-resource-driver/
   README.md@1da939f.
"""
from __future__ import annotations

import pytest

from _dra.messages import classify

from .test_dra_heldout import _findings

# the README's log, as the held-out paste quotes it
README_LOG = """kubectl logs -n intel-qat-resource-driver intel-qat-resource-driver-kubelet-plugin-ttcs6
DRA kubelet plugin
In-cluster config
Setting up CDI
failed to create kubelet plugin driver: cannot enable PF device '0000:6b:00.0': open /sysfs/bus/pci/devices/0000:6b:00.0/sriov_numvfs: read-only file system
"""

# qat-v0.4.1+ (pkg/helpers app, main.go:19 'Error: %v'): no wrapper, another errno
HELPERS_FORM = ("Error: cannot enable PF device '0000:e8:00.0': open /sys/bus/pci/devices/"
                "0000:e8:00.0/sriov_numvfs: device or resource busy\n")

# qat-v0.2.0..v0.4.0 (cobra prints the returned error) when no PF is bound to 4xxx
NO_PF = ("Error: failed to create kubelet plugin driver: could not find PF devices: no PCI PF "
         "devices found\n")


@pytest.mark.parametrize("script", ["check_dra.py", "explain_claim.py"])
def test_qat_plugin_sriov_numvfs_read_only(script):
    found = _findings(README_LOG, script)
    first = found[0]
    assert (first["cause"], first["basis"]) == ("driver_not_registered", "reported"), found
    assert "PF device 0000:6b:00.0" in first["message"]
    assert "read-only file system" in first["message"]
    assert "rmmod qat_4xxx; modprobe qat_4xxx" in first["fix"]


def test_qat_plugin_without_wrapper_names_the_errno():
    found = _findings(HELPERS_FORM, "check_dra.py")
    first = found[0]
    assert (first["cause"], first["basis"]) == ("driver_not_registered", "reported"), found
    assert "device or resource busy" in first["message"]
    # not the read-only case: the README's reading is not claimed for it
    assert "chart README answers" not in first["message"]


def test_qat_plugin_finds_no_pf():
    keys = [m.pattern.key for m in classify(NO_PF)]
    # the specific wording shadows the generic wrapper
    assert keys == ["qat-pf-setup-failed"], keys
    found = _findings(NO_PF, "check_dra.py")
    assert found[0]["cause"] == "driver_not_registered", found
    assert "find the node's QAT PF devices" in found[0]["message"]


def test_the_wrapper_alone_still_reads_as_not_registered():
    found = _findings("failed to create kubelet plugin driver: failed to create new NodeState: "
                      "x\n", "check_dra.py")
    assert found[0]["cause"] == "driver_not_registered", found


def test_qat_prepare_refusal_is_not_a_start_up_failure():
    # a claim the running plugin refuses to prepare (pkg/qat/device/device.go:346) is
    # prepare's fault, not registration's
    text = ("Failed to prepare dynamic resources: prepare dynamic resources: "
            "NodePrepareResources failed for ResourceClaim qat-claim: error preparing devices "
            "for claim 1f2e: cannot change QAT configuration while VF devices are allocated\n")
    found = _findings(text, "check_dra.py")
    assert found[0]["cause"] == "driver_prepare_failed", found
    assert all(f["cause"] != "driver_not_registered" for f in found), found


def test_qat_plugin_routine_start_lines_name_no_cause():
    found = _findings("DRA kubelet plugin\nIn-cluster config\nSetting up CDI\n", "check_dra.py")
    assert all(f["severity"] == "info" for f in found), found
    assert all(f["cause"] != "driver_not_registered" for f in found), found


# 2. Standing corpus miss (dra/nvidia-dra-mig-cdi-spec-missing-cap-devnodes): NVIDIA's CDI
#    library logs 'Could not locate /dev/nvidia-caps/nvidia-cap<N>: ...' at warning and leaves
#    a MIG device's GI/CI capability node out of the claim's CDI spec -> cdi_spec_incomplete.
#    Sources: NVIDIA/nvidia-container-toolkit internal/discover/mounts.go:67@d34b304 (warn and
#    skip), internal/platform-support/dgpu/nvml.go:82-150; kubernetes-sigs/dra-driver-nvidia-gpu
#    issue 787, fixed by commit 9f40722c (v25.12.0).
CDI_LOGGER = """When enabling the CDI library logger, the problem shows up as:
```
// time="2025-11-02T21:38:00Z" level=info msg="Selecting /driver-root/dev/nvidia0 as /dev/nvidia0"
// time="2025-11-02T21:38:00Z" level=warning msg="Could not locate /dev/nvidia-caps/nvidia-cap66: pattern
```
"""

# the same warning in full, as klog prints it from the plugin (another cap minor)
KLOG_FORM = ('W1102 21:38:00.123456       1 mounts.go:67] Could not locate '
             '/dev/nvidia-caps/nvidia-cap130: pattern /dev/nvidia-caps/nvidia-cap130 not found\n')


@pytest.mark.parametrize("text", [CDI_LOGGER, KLOG_FORM])
def test_mig_cap_node_left_out_of_the_spec(text):
    found = _findings(text, "explain_claim.py")
    first = found[0]
    assert (first["cause"], first["basis"]) == ("cdi_spec_incomplete", "reported"), found
    assert "MIG device" in first["message"]
    assert "v25.12.0" in first["fix"]


@pytest.mark.parametrize("line", [
    # the management spec's glob, missing on every node without MIG (pkg/nvcdi/management.go)
    'level=warning msg="Could not locate /dev/nvidia-caps/nvidia-cap*: pattern '
    '/dev/nvidia-caps/nvidia-cap* not found"',
    # an optional graphics file: routine in every spec generation
    'level=warning msg="Could not locate glvnd/egl_vendor.d/10_nvidia.json: pattern '
    'glvnd/egl_vendor.d/10_nvidia.json not found"',
])
def test_routine_could_not_locate_lines_name_no_cdi_fault(line):
    assert all(m.pattern.key != "nvcdi-mig-cap-node-missing" for m in classify(line))
