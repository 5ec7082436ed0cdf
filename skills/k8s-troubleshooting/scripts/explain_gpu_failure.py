#!/usr/bin/env python3
"""Explain why a distributed training or GPU job failed from its logs: NCCL watchdog
timeouts (which rank fell behind first), NCCL network errors, NVIDIA Xid events by meaning,
and GPU out-of-memory vs the container's memory limit vs node memory pressure."""
from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.loading import read_text

from _tshoot import gpu_capacity, gpu_cli_contrast, gpu_rendered_config, gpu_runtime_handler
from _tshoot import gpu_distro_default, gpu_engine_mismatch, gpu_fabric_inferred, gpu_plugin_ds
from _tshoot import plugin_registration, podgc_duplicates, smi_exit
from _tshoot import gpu_scheduler
from _tshoot.gpu import XID, GpuReport, laggards, read
from _tshoot.gpu import _generic_system_error as bare_system_error
from _tshoot.gpu_said import said_findings
from _tshoot.nccl_faults import duplicate_gpu_finding, hang_and_cuda_findings
from _tshoot.refused_cr import refused_findings
from _tshoot.text import scan
from _tshoot.gpu_image_pull import driver_tag_note
from _tshoot.gpu_sandbox import toolkit_cni_note
from _tshoot import dcgm_fields
from _tshoot.verdict import pick, subject_finding

EXAMPLES = """what it reads (references/gpu-training.md): pod logs of every rank
(kubectl logs --all-containers -l training.kubeflow.org/job-name=X --prefix), dmesg /
journalctl -k lines of the GPU nodes (Xid), kubectl describe pod text (OOMKilled, Evicted).
The NVIDIA container toolkit's settings (GPU Operator toolkit.env, nvidia-ctk runtime configure).

examples:
  kubectl logs -n ml -l jobset.sigs.k8s.io/jobset-name=llm --prefix --tail=-1 > ranks.log
  explain_gpu_failure.py -f ranks.log --world-size 16
  explain_gpu_failure.py -f ranks.log -f dmesg-node3.txt     several files, one answer
causes, most decisive first: gpu_xid_hardware gpu_device_access_lost gpu_driver_build_failed
  (also a driver container that cannot update its package cache) gpu_driver_mismatch
  vgpu_memory_accounting_bug gpu_libraries_not_visible gpu_fabric_manager_not_running
  nccl_duplicate_gpu cuda_out_of_memory
  oom_killed node_pressure nccl_shm_exhausted dev_shm_exhausted master_not_ready mpi_worker_dns_unresolved
  gpu_not_advertised nvidia_runtime_not_default kubelet_admission_rejected container_start_failed
  (also the kubelet's own Failed events: container_start_failed, image_pull, as triage.py
  reads them; a GPU Operator driver image's tag not found: no image for that driver + OS;
  sandbox_failed, with a CNI plugin not found on a GPU node read as the toolkit's containerd
  rewrite, inferred); crash_loop (dcgm-exporter's fatal "Error watching fields" for profiling
  fields the GPU or DCGM cannot serve)
  nccl_network_error
  nccl_watchdog_timeout; a wrapper's bare "exit status N" of nvidia-smi (9, 12, 14, 15: man
  nvidia-smi RETURN VALUE) when the paste names nvidia-smi
  nccl_watchdog_hang nccl_cuda_error gpu_xid_application; spec_invalid (the API server
  refused an object, e.g. a ClusterPolicy after helm upgrade, or a field error quoted
  without its head); stuck_terminating (PodGC cannot delete a pod whose spec lists a key
  twice, or the runtime lost the nvidia handler a sandbox it must stop was created with);
  unschedulable_* (a pending pod's FailedScheduling, read as triage.py reads it); when none
  of these is in the logs
  but lines report a GPU-stack failure: info not_evaluated, quoting them
exit: 0 nothing found, 1 findings, 2 bad input."""

OBJECT = {"kind": "TrainingJob", "name": ""}
# (report field, cause, object, message, fix)
Row = tuple[str, str, dict[str, str], str, str]


# One reported finding per report field that holds evidence lines, in this order (most
# decisive first); each row: (report field, cause, object, message, fix).
REPORTED = [
    ("ecc", "gpu_xid_hardware", {"kind": "GPU", "name": ""},
     "uncorrectable ECC error on the GPU (the Xid 48/63/64/95 family): the GPU's memory is "
     "faulty, so every allocation or kernel on it can fail, 'CUDA error: out of memory' "
     "included",
     "kubectl cordon the node, then drain it; reset the GPU (nvidia-smi -r) or reboot; "
     "replace it if it repeats; nvidia-smi -q -d ECC,PAGE_RETIREMENT shows the counters"),
    ("inforom", "gpu_xid_hardware", {"kind": "GPU", "name": ""},
     "nvidia-smi reports the GPU's infoROM corrupted (its exit code 14): the GPU's on-board "
     "configuration store is damaged, so the GPU Operator's driver validation, which needs "
     "nvidia-smi to exit 0, fails and the operator's pods on the node do not start",
     "replace the GPU (NVIDIA's GPU Operator troubleshooting guide, 'infoROM is corrupted'); "
     "meanwhile kubectl cordon the node and drain it; nvidia-smi -q shows the infoROM "
     "versions and the warning"),
    ("gpu_lost", "gpu_xid_hardware", {"kind": "GPU", "name": ""},
     "the driver lost the GPU (NVML 'GPU is lost': fallen off the bus or otherwise "
     "inaccessible, the Xid 79 family): every NVML call on it fails, so the device plugin "
     "cannot allocate on the node and pods on it fail admission",
     "kubectl cordon the node, then drain it; reboot it (nvidia-smi asks for that); look for "
     "the Xid in journalctl -k; reseat or replace the GPU if it repeats"),
    # the kernel module's own reason for not bringing the GPU up (_tshoot/nvidia_kmod.py):
    # the driver, so the RmInitAdapter failure with it is no faulty GPU (findings_for)
    ("driver_unsupported", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "the NVIDIA kernel module loaded on the node does not support this GPU: the kernel log "
     "says the GPU needs the other flavour of the module (the proprietary nvidia.ko on a GPU "
     "that requires the open kernel modules, such as Blackwell; the open one on a GPU without "
     "GSP, before Turing) or a driver release that knows it, so RmInitAdapter fails, "
     "nvidia-smi finds no devices and the device plugin advertises no GPU",
     "load the module flavour the GPU needs: the open kernel modules (the -open driver "
     "packages, the .run installer's --kernel-module-type=open or, older, -m=kernel-open, "
     "the GPU Operator's driver.kernelModuleType: open) for GPUs that require them, the "
     "proprietary ones before Turing, or a driver release whose README lists the GPU; a "
     "node image that picks the flavour by PCI ID must "
     "know this GPU's ID (awslabs/amazon-eks-ami#2768, fixed in a later AMI): upgrade the "
     "image; then reboot the node (or reload the modules) and restart the device plugin pod; "
     "check with modinfo -F license nvidia (Dual MIT/GPL is the open module)"),
    ("gpu_init_failed", "gpu_xid_hardware", {"kind": "GPU", "name": ""},
     "the NVIDIA kernel module cannot initialise a GPU (NVRM 'RmInitAdapter failed' for a "
     "device minor): nvidia-smi lists one GPU fewer, and the device plugin cannot offer it",
     "when the node's other GPUs work with the same driver, that GPU (or its slot, power or "
     "PCIe link) has failed: kubectl cordon the node, drain it, reset or reboot, replace the "
     "GPU if it repeats; when every GPU fails so, check that the driver supports the GPU model "
     "and, in a VM, the passthrough (IOMMU, BAR sizes); journalctl -k shows the lines"),
    ("nvml_lost", "gpu_device_access_lost", OBJECT,
     "the container lost access to the GPU device files (NVML 'Unknown Error' in a container "
     "that worked before): systemd re-applied the container's device cgroup (a daemon-reload "
     "with the systemd cgroup driver) or the kubelet's static CPU manager rewrote it",
     "restart the pod to get the devices back; for good: NVIDIA container toolkit 1.12+ with "
     "CDI/nvidia-ctk system create-dev-char-symlinks (nvidia-container-toolkit#48), or the "
     "device plugin's PASS_DEVICE_SPECS=true"),
    ("nvml_mismatch", "gpu_driver_mismatch", OBJECT,
     "the NVIDIA user-space library and the loaded kernel module differ: the driver was "
     "upgraded while the old module stayed loaded",
     "drain the node and reboot it (or unload and reload the nvidia modules)"),
    ("driver_broken", "gpu_driver_mismatch", OBJECT,
     "the NVIDIA container runtime's hook cannot initialise NVML on the node (an unknown "
     "error) before the container starts: the node's driver installation is broken or of a "
     "release this GPU or kernel does not support",
     "run nvidia-smi on the node: if it fails or shows ERR!, fix the driver (reinstall a "
     "release that supports this GPU and kernel, then reboot) or replace a faulty GPU; if it "
     "works, reinstall the driver and the NVIDIA container toolkit so their versions agree"),
    # the driver container's own FATAL before it builds anything (_tshoot/gpu.py DRIVER_PACKAGES):
    # the packages, not the kernel or the driver release, so its own fix
    ("driver_packages", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "the GPU Operator's driver container cannot install the packages it builds the NVIDIA "
     "kernel module with (elfutils-libelf-devel, the kernel headers) from the RHEL "
     "repositories, so no driver is built or loaded on the node, the driver pod restarts and "
     "every GPU Operator component waits in Init behind it: on OpenShift the Driver Toolkit "
     "image was not used (not deployed or broken for this RHCOS), so the container fell back "
     "to an entitled build without a RHEL entitlement; elsewhere the node is not entitled or "
     "cannot reach the repositories",
     "on OpenShift fix the Driver Toolkit rather than entitle the cluster (entitled builds are "
     "deprecated): the gpu-operator pod's log says whether it found the driver-toolkit "
     "imagestream (oc get imagestream driver-toolkit -n openshift), keep the ClusterPolicy's "
     "operator.use_ocp_driver_toolkit true, and upgrade the operator or the cluster when the "
     "toolkit has no image for this RHCOS; on RHEL nodes register the node's subscription or "
     "give the driver a repository it can reach (ClusterPolicy driver.repoConfig, a proxy in "
     "a disconnected cluster); then delete the driver pod"),
    # the module never built: its own id, before gpu_driver_mismatch (the corpus accepts both;
    # CONTRIBUTING.md "Label conventions")
    ("driver_build", "gpu_driver_build_failed", OBJECT,
     "the NVIDIA driver cannot be built for the node's kernel (no kernel headers for it, or "
     "the driver release does not compile against it), so no driver loads and no container "
     "gets a GPU",
     "use a driver release that supports this kernel (a GPL-only symbol error such as "
     "rcu_read_unlock_strict on newer 5.15 kernels needs driver 535.183.08 or later: "
     "NVIDIA/gpu-operator#729), or the GPU Operator's precompiled driver images, or a kernel "
     "whose headers the driver container's repositories still carry (an older, pinned node "
     "image); then restart the driver pod"),
    # the module built with an older major gcc than the kernel's (_tshoot/nvidia_kmod.py
    # compiler_older: the kernel's and NVIDIA conftest.sh's compiler-mismatch warnings)
    ("driver_cc", "gpu_driver_build_failed", {"kind": "Node", "name": ""},
     "the NVIDIA kernel module is being built with an older compiler than the one that built "
     "the node's kernel (the kernel build's compiler-mismatch warning): the kernel's build "
     "flags need the newer gcc (an older one refuses them, 'unrecognized command-line "
     "option'), so the module does not build, no driver loads and no container gets a GPU. "
     "Ubuntu 22.04's HWE and cloud kernels 5.19 and 6.5 are built by gcc-12 while the "
     "release's default gcc is 11 (NVIDIA's ubuntu22.04 driver Dockerfile: 'Kernels with "
     "versions 5.19.x and 6.5.x need gcc 12')",
     "use a driver image that carries the kernel's compiler (NVIDIA's ubuntu22.04 driver "
     "images install gcc-12 since NVIDIA/gpu-driver-container dd69782, 2024-04: upgrade the "
     "GPU Operator or set driver.version to a current image), or the precompiled driver "
     "images, or a node image whose kernel the driver image's gcc built; then delete the "
     "driver pod. Confirm: the driver container's log shows the build error after the warning "
     "(kubectl logs -n <operator namespace> <driver pod> -c nvidia-driver-ctr)"),
    # the driver container that cannot update its package cache never gets to the build
    # (_tshoot/gpu_driver_repo.py: apt's GPG error on a rotated repository key)
    ("driver_repo", "gpu_driver_build_failed", {"kind": "Node", "name": ""},
     "the GPU Operator's driver container cannot update its package cache (apt refuses a "
     "repository whose signature it cannot check, or cannot reach it), so it cannot install "
     "the kernel headers it builds the NVIDIA kernel module with: no driver is built or "
     "loaded on the node, the driver pod restarts and every GPU Operator component waits "
     "behind it. A NO_PUBKEY on NVIDIA's CUDA repository (developer.download.nvidia.com) is "
     "NVIDIA's April 2022 change of that repository's signing key: driver images built "
     "before it carry only the old key",
     "use driver images built after the key change: upgrade the GPU Operator (its driver "
     "images from mid-2022 on carry the new key 3bf863cc and drop the CUDA repository; "
     "microk8s: a release whose gpu addon installs GPU Operator v1.10.1 or later) or set "
     "driver.version to a current driver image; for another key or a network failure, give "
     "the driver container a repository it can reach and verify (ClusterPolicy "
     "driver.repoConfig, a proxy, the node's clock for keys 'not yet valid'), or use the "
     "precompiled driver images or a driver installed on the host (driver.enabled=false); "
     "then delete the driver pod"),
    ("driver_load", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "the NVIDIA kernel module was built but the kernel refuses to load it (nvidia-installer: "
     "'Unable to load the kernel module'), so no driver runs on the node and no container "
     "gets a GPU: most often the in-tree nouveau driver holds the GPU; else the module was "
     "built against other kernel sources or another gcc than the running kernel, an unsigned "
     "module under Secure Boot, or a GPU this driver release does not support",
     "on the node: lsmod | grep nouveau; if loaded, blacklist it (/etc/modprobe.d/"
     "blacklist-nouveau.conf: 'blacklist nouveau' and 'options nouveau modeset=0'), "
     "update-initramfs -u (dracut -f on RHEL) and reboot, then restart the driver pod; "
     "otherwise read 'Kernel module load error' in /var/log/nvidia-installer.log (in the "
     "driver container) and dmesg: match the kernel headers to uname -r, sign the module or "
     "disable Secure Boot, or pick a driver release that supports the GPU"),
    ("driver_in_use", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "the GPU Operator's driver container cannot unload the NVIDIA kernel modules already "
     "loaded on the node because something still uses them, so it cannot load its own driver "
     "and exits (the driver pod restarts; every GPU Operator component waits in Init behind "
     "it): a driver installed on the host with its clients running, or GPU processes of an "
     "earlier driver (pods, nvidia-persistenced, DCGM, Xorg)",
     "if the node has a driver installed on the host, let the operator use that one: "
     "driver.enabled=false in the ClusterPolicy (or the node label nvidia.com/gpu.deploy."
     "driver=false), or remove the host's driver; otherwise stop what holds the modules "
     "(lsmod | grep nvidia shows the users; drain the node's GPU pods, stop "
     "nvidia-persistenced and any display server) or reboot the node, then delete the driver "
     "pod"),
    ("driver_absent", "gpu_driver_mismatch", OBJECT,
     "no NVIDIA driver is loaded on the node (NVML 'Driver Not Loaded', nvidia-smi cannot "
     "talk to the driver): the kernel module is not installed, or "
     "not built for the running kernel (after a kernel upgrade), so no container gets a GPU",
     "install the driver on the node (or let the GPU Operator's driver container do it: "
     "driver.enabled=true), rebuild the module for the running kernel (DKMS) and reboot; on a "
     "node with a preinstalled driver point the toolkit at it (driver root) and check "
     "lsmod | grep nvidia"),
    ("driver_install_disabled", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "GKE's driver installer says GPU driver installation is disabled for this node and waits "
     "for a driver nobody installs: no NVIDIA driver is on the node, so the device plugin "
     "stays in Init and the node never advertises nvidia.com/gpu (the default under node "
     "auto-provisioning)",
     "let GKE install the driver: with node auto-provisioning add the nodeSelector "
     "cloud.google.com/gke-gpu-driver-version: latest (or default) to the GPU pods; on a node "
     "pool, create it with --accelerator ...,gpu-driver-version=latest (or default); or "
     "install the driver yourself with the nvidia-driver-installer DaemonSet from "
     "GoogleCloudPlatform/container-engine-accelerators"),
    ("driver_validation", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "the GPU Operator's driver validation cannot run nvidia-smi from the driver container's "
     "install (/run/nvidia/driver) or the host's driver: its libraries or nvidia-smi are not there yet, or "
     "nvidia-smi fails, so no driver is usable on the node and every GPU Operator component "
     "waits in Init behind it",
     "read the driver pod on that node: kubectl logs -n gpu-operator -l "
     "app=nvidia-driver-daemonset -c nvidia-driver-ctr (a kernel it cannot build for or find "
     "headers for, modules in use, a download that fails); the validator retries until the "
     "driver works; with a driver installed on the host set driver.enabled=false so the "
     "validator uses it"),
    ("amd_driver_absent", "gpu_driver_mismatch", {"kind": "Node", "name": ""},
     "AMD's device plugin finds no amdgpu kernel driver on the node (/sys/module/amdgpu "
     "absent), so it lists no GPU (and exits, from v1.31.0.10) and the node advertises no "
     "amd.com/gpu",
     "load the amdgpu driver on the node (the ROCm amdgpu-dkms package, the AMD GPU "
     "Operator's driver, or the OS image's AMD GPU extension; lsmod | grep amdgpu), check "
     "/sys/module/amdgpu and /dev/kfd, then restart the plugin pod"),
    ("vgpu_accounting", "vgpu_memory_accounting_bug", OBJECT,
     "HAMi's vGPU layer reports an out-of-memory with a used figure larger than any GPU (a "
     "counter wrapped below zero): its own memory accounting is wrong, not the program's use",
     "upgrade HAMi (HAMi-core's accounting was fixed in v2.6.1: Project-HAMi/HAMi#1181); "
     "meanwhile restart the pod to reset the counter; nvidia-smi on the node shows the real "
     "use"),
    ("runtime_binary", "gpu_libraries_not_visible", {"kind": "Node", "name": ""},
     "the containerd config's nvidia runtime handler names a binary that is not the NVIDIA "
     "container runtime beside the one that is (two binaryName keys in its options; with "
     "Kubespray's runc key there containerd ran runc): pods of the nvidia RuntimeClass then "
     "run plain runc and get no driver files, so the GPU Operator's toolkit validation finds "
     "no nvidia-smi and every "
     "GPU component waits in Init",
     "remove the extra binaryName from [...runtimes.nvidia.options] so only the NVIDIA "
     "runtime's BinaryName stays (Kubespray wrote its runc key there: kubernetes-sigs/"
     "kubespray#12167, fixed by #12170), restart containerd, then restart the toolkit and "
     "validator pods; check with containerd config dump | grep -A12 'runtimes.nvidia.options'"),
    ("toolkit_validation", "gpu_libraries_not_visible", {"kind": "Node", "name": ""},
     "the GPU Operator's toolkit validation ran nvidia-smi in a container of the nvidia "
     "runtime class and it failed: the NVIDIA container runtime did not inject the driver's "
     "files (nvidia-smi, libnvidia-ml) into it, so the runtime the kubelet uses does not run "
     "the NVIDIA runtime for that handler, and the operator's pods behind the validator wait "
     "in Init",
     "read the line before it (kubectl logs -n gpu-operator POD -c toolkit-validation): an "
     "nvidia-smi error names a driver fault; exec \"nvidia-smi\" not found is the runtime: "
     "check the container toolkit pod's log says it configured and signaled containerd (for "
     "k3s/RKE2/microk8s set toolkit.env CONTAINERD_CONFIG and CONTAINERD_SOCKET to their "
     "paths), and containerd config dump | grep -A12 'runtimes.nvidia' names the NVIDIA "
     "runtime's binary; then delete the validator pod"),
    ("libs_not_visible", "gpu_libraries_not_visible", OBJECT,
     "the container cannot load the NVIDIA driver libraries (libnvidia-ml / libcuda): it was "
     "started without the NVIDIA container runtime, which injects them, or without a GPU "
     "requested (no nvidia.com/gpu limit: the device plugin allocates none, so nothing is "
     "injected), or (GKE) they are mounted but not on LD_LIBRARY_PATH; CUDA then reports the "
     "driver 'insufficient' and NVML 'could not load' although the node's driver is fine",
     "request the GPU (resources.limits nvidia.com/gpu: 1) and "
     "run the pod with the NVIDIA runtime: runtimeClassName: nvidia (GPU Operator, microk8s, "
     "k3s create that RuntimeClass), or make nvidia containerd's default_runtime_name / "
     "Docker's default-runtime; on GKE add /usr/local/nvidia/lib64 to LD_LIBRARY_PATH; check "
     "with kubectl exec POD -- nvidia-smi; if the runtime is in use, the node's driver may be "
     "older than the image's CUDA (nvidia-smi prints the CUDA version it supports), or the "
     "toolkit's ldconfig step did not register the injected libraries: ldconfig = "
     "\"@/sbin/ldconfig\" in /etc/nvidia-container-runtime/config.toml must name the host's "
     "real ldconfig (Debian/Ubuntu: /sbin/ldconfig.real; nvidia-container-toolkit#553); "
     "on Bottlerocket's NVIDIA variants (v1.19.2+) the toolkit injects the driver only for GPUs "
     "its built-in device plugin passes as volume mounts: keep NVIDIA's device-plugin "
     "DaemonSet (or the GPU Operator's plugin) off those nodes (a node affinity on "
     "the OS image or the node group) and let the built-in plugin serve nvidia.com/gpu; "
     "if it broke after a GPU Operator or toolkit upgrade for unprivileged pods, the toolkit's "
     "accept-nvidia-visible-devices-envvar-when-unprivileged is false and the device plugin "
     "still passes GPUs as NVIDIA_VISIBLE_DEVICES: set the toolkit's env "
     "ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED=true or the device plugin's "
     "DEVICE_LIST_STRATEGY to the volume mounts or CDI strategy to match "
     "(elastisys/compliantkubernetes-apps#2473)"),
    ("fabric_not_ready", "gpu_fabric_manager_not_running", OBJECT,
     "NVIDIA Fabric Manager has not registered the GPUs (CUDA: system not yet initialized, "
     "cudaErrorSystemNotReady 802; or systemd: its unit missing or failed): on an NVSwitch "
     "system (HGX/DGX A100, H100 and later) CUDA waits for it, and it is not installed, not "
     "running, failed, or another version than the driver",
     "on the node: systemctl status nvidia-fabricmanager (journalctl -u nvidia-fabricmanager); "
     "install the Fabric Manager package of exactly the driver's version and enable it, or let "
     "the GPU Operator's driver container run it (its fabric manager support); nvidia-smi -q "
     "shows Fabric State Completed once the GPUs are registered; then restart the pods"),
    ("nvls_bind", "gpu_fabric_manager_not_running", OBJECT,
     "NCCL could not bind its NVLink SHARP (NVLS) multicast memory on the NVSwitches, and says "
     "why: a system or configuration error in the Fabric Manager or the NVSwitches (Fabric "
     "Manager not running, restarted without a GPU reset, or of another version than the "
     "driver); every communicator that uses NVLS fails at init",
     "on the node: systemctl status nvidia-fabricmanager and nvidia-smi -q | grep -A2 Fabric "
     "(State Completed, Status Success); start or fix the Fabric Manager (a stop/start needs a "
     "GPU reset or reboot in between; IMEX channels too on multi-node NVLink), or drain the "
     "node; NCCL_NVLS_ENABLE=0 only works around it, without NVLS"),
    ("nvls_cuda", "gpu_fabric_manager_not_running", OBJECT,
     "a CUDA call in NCCL's NVLS (NVLink SHARP multicast) setup failed (nvls.cc): NCCL's "
     "maintainers read this as the Fabric Manager stopped, failed or restarted without a GPU "
     "reset, so the NVSwitches do not serve multicast",
     "on the node: nvidia-smi -q | grep -A2 Fabric and systemctl status nvidia-fabricmanager; "
     "restart the Fabric Manager with a GPU reset (or reboot) between, then rerun; "
     "NCCL_NVLS_ENABLE=0 only works around it"),
    ("driver_too_old", "gpu_driver_mismatch", OBJECT,
     "CUDA reports the node's driver older than the CUDA runtime the program was built with "
     "(or forward compatibility unsupported on this GPU): the image needs a newer driver than "
     "the node has",
     "use an image built for a CUDA version the node's driver supports (nvidia-smi on the node "
     "prints it) or upgrade the driver (forward compatibility needs a datacenter GPU newer "
     "than Kepler and the cuda-compat package); if the pod runs without the NVIDIA runtime "
     "(no runtimeClassName: nvidia where runc is the default), CUDA says the same because it "
     "finds no libcuda: set the runtime class"),
    ("driver_symbol", "gpu_driver_mismatch", OBJECT,
     "the program calls an NVML or CUDA driver function that the node's driver library does "
     "not have (the loader's undefined symbol): the node's driver is older than the program "
     "(a device plugin, an exporter, a CUDA application) was built for",
     "run a release of the program built for this driver (the device plugin's older image; "
     "its README lists the driver each release needs) or upgrade the node's driver; "
     "nvidia-smi on the node prints the driver version"),
    ("cdi_unresolved", "container_start_failed", {"kind": "Pod", "name": ""},
     "the container runtime was asked for a CDI device (nvidia.com/gpu=...) that no CDI spec "
     "on the node defines ('unresolvable CDI devices'), so it refused to create the container: "
     "the NVIDIA CDI spec was never generated on the node, or is stale (a driver upgrade, a GPU "
     "or MIG layout changed since it was written)",
     "on the node: nvidia-ctk cdi list (the device names the specs define); regenerate with "
     "nvidia-ctk cdi generate --output=/var/run/cdi/nvidia.yaml (the NVIDIA container toolkit "
     "1.14+ can refresh it at boot: nvidia-cdi-refresh); with the GPU Operator let its toolkit "
     "write the spec (cdi.enabled) and restart the toolkit pod; or go back to the legacy "
     "runtime mode / the device plugin's envvar strategy"),
    ("low_level_runtime", "container_start_failed", {"kind": "Pod", "name": ""},
     "the NVIDIA container runtime cannot find the low-level runtime (runc, crun) it hands "
     "every container to, so no container it runs is created: none of its candidates is on "
     "its PATH or at the configured path",
     "set nvidia-container-runtime.runtimes in /etc/nvidia-container-runtime/config.toml (or "
     "the toolkit's config under the GPU Operator) to the node's runc path (k3s/RKE2: the runc "
     "in /var/lib/rancher/<k3s|rke2>/data/current/bin), or install runc on the node; then "
     "delete the pod"),
    ("hook_direct", "container_start_failed", {"kind": "Pod", "name": ""},
     "the NVIDIA container runtime hook refused to run: the toolkit resolved a CDI or CSV mode, "
     "in which the hook must not be invoked directly (docker --gpus, an OCI hooks.d entry, a "
     "runtime handler with the hook on runc); only the NVIDIA runtime applies those modes",
     "run the pod through the NVIDIA runtime handler (runtimeClassName: nvidia, or nvidia as "
     "containerd's default runtime) instead of the bare hook, or set mode = \"legacy\" under "
     "nvidia-container-runtime in /etc/nvidia-container-runtime/config.toml"),
    ("host_glibc", "container_start_failed", {"kind": "Pod", "name": ""},
     "an NVIDIA binary the GPU Operator runs on the host (its toolkit's nvidia-container-cli, "
     "which every GPU container and the validators start through) needs a newer C library "
     "(GLIBC) than the node's OS has, so the containers fail to start",
     "run the GPU Operator only on an OS it supports (Amazon Linux 2 has glibc 2.26 and is not "
     "one); on the EKS GPU AMI the driver and toolkit are installed already: deploy just the "
     "NVIDIA device plugin, or the operator with driver.enabled=false and "
     "toolkit.enabled=false"),
    ("hook_failed", "container_start_failed", {"kind": "Pod", "name": ""},
     "the NVIDIA container runtime's prestart hook (nvidia-container-cli) failed while the "
     "runtime created the container, so it never started: the text after "
     "'nvidia-container-cli:' names the stage and why",
     "fix what the hook names: 'container error: cgroup subsystem devices not found' is a "
     "cgroup v2 node with libnvidia-container older than 1.8.0 (upgrade the NVIDIA container "
     "toolkit, or boot the node with cgroup v1); a mount or ldcache error, the driver files on "
     "the node (reinstall the driver and toolkit); read the full event with kubectl describe "
     "pod POD"),
    ("plugin_prestart", "container_start_failed", {"kind": "Pod", "name": ""},
     "the device plugin's PreStartContainer hook failed, so the kubelet did not create the "
     "container (CreateContainerConfigError, retried): the plugin's own error follows "
     "'desc ='; one that cannot parse the kubelet's device checkpoint ('failed to read from "
     "checkpoint', 'cannot unmarshal ... DeviceIDs') is a plugin older than the kubelet, whose "
     "checkpoint format changed (device IDs per NUMA node)",
     "fix what the plugin's error names: for a checkpoint it cannot read, upgrade the device "
     "plugin to a release built for this Kubernetes version (its README lists them) or run a "
     "kubelet it supports; read the plugin pod's log on that node (kubectl logs -n <ns> <device "
     "plugin pod>), then delete the pod so it is created again"),
    ("cuda_requirement", "gpu_driver_mismatch", OBJECT,
     "the NVIDIA runtime hook refused to start the container: the image requires a CUDA "
     "version (its NVIDIA_REQUIRE_CUDA; nvidia-docker 1.x read its CUDA version label and "
     "said 'unsupported CUDA version: driver X < image Y') the node's driver does not provide "
     "('unsatisfied condition'), or the node's nvidia-container-cli is too old to read the image's "
     "requirement ('invalid expression')",
     "use an image built for a CUDA version the node's driver supports (nvidia-smi on the "
     "node prints it), or upgrade the driver; for 'invalid expression' upgrade the NVIDIA "
     "container toolkit on the node"),
]
_UNHEALTHY_MESSAGE = ("the NVIDIA device plugin marked a GPU unhealthy: its health check does "
                      "so on a critical Xid or a double-bit ECC error, and the node stops "
                      "offering that GPU; a plugin restart only forgets it (it runs no check "
                      "then), the GPU may still be faulty")
_UNHEALTHY_FIX = ("read the node's kernel log for the Xid (journalctl -k | grep -i xid) and "
                  "nvidia-smi -q -d ECC; a hardware Xid or uncorrectable ECC: cordon and drain "
                  "the node, reset or replace the GPU; application Xids only (13, 31, 43, 45, "
                  "68) do not mark it; DP_DISABLE_HEALTHCHECKS turns the check off, which only "
                  "hides the fault")
REPORTED_AFTER_DUPLICATES = [
    ("plugin_mig", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the NVIDIA device plugin runs with migStrategy single but the node's MIG layout does not "
     "fit it (a GPU in MIG mode without MIG devices, MIG devices of more than one profile, or "
     "MIG mode on only some GPUs): it cannot build its device list, does not start, and the "
     "node advertises no nvidia.com/gpu",
     "make the layout uniform: create the MIG devices (GPU Operator: label the node "
     "nvidia.com/mig.config=all-1g.10gb or another all-* profile and let mig-manager apply it; "
     "by hand nvidia-smi mig -cgi ... -C) or turn MIG mode off on the GPUs without them; for "
     "several profiles or a mix of MIG and full GPUs use migStrategy mixed (resources "
     "nvidia.com/mig-<profile>); then restart the plugin pod"),
    ("plugin_register", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the NVIDIA device plugin started but could not register with the kubelet (the kubelet's "
     "device-plugins socket refused or was absent), so the node advertises no nvidia.com/gpu; "
     "it retries every 30 seconds",
     "check the plugin mounts the kubelet's device-plugins directory (hostPath "
     "/var/lib/kubelet/device-plugins; a kubelet with another --root-dir, e.g. microk8s "
     "/var/snap/microk8s/common/var/lib/kubelet or k0s /var/lib/k0s/kubelet, needs that path) "
     "and that kubelet.sock exists there and the kubelet runs; then restart the plugin pod"),
    ("plugin_watcher", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the device plugin cannot create its file watcher (inotify) on the kubelet's "
     "device-plugins directory or its socket there, so it exits right after it starts or "
     "registers and its pod restarts (a crash loop): the node advertises no GPU resource. With "
     "'too many open files' the node's inotify instances are used up "
     "(fs.inotify.max_user_instances), not the plugin's fault",
     "on the node: sysctl fs.inotify.max_user_instances (128 by default); raise it (sysctl -w "
     "fs.inotify.max_user_instances=512, and a file in /etc/sysctl.d to keep it), or stop what "
     "holds the instances (find /proc/*/fd -lname 'anon_inode:inotify' counts them per "
     "process); then restart the device plugin pod and check kubectl describe node for the "
     "resource"),
    ("plugin_start", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the NVIDIA device plugin cannot start, so it registers nothing and the node advertises "
     "no nvidia.com/gpu; its error is the evidence",
     "fix what the error names: NVML `Insufficient Permissions` on MIG devices needs "
     "NVIDIA_MIG_MONITOR_DEVICES=all on the plugin (and its privileged securityContext, as the "
     "chart sets; NVIDIA/k8s-device-plugin#399); a config error, the plugin's config file; an "
     "MPS daemon error, the MPS control daemon for that resource (GPU Operator: the "
     "nvidia-device-plugin-mps-control-daemon pod on the node) must run and be ready; a "
     "socket it cannot listen on, the kubelet's device-plugins directory mounted read-write; "
     "a gRPC server that crashed repeatedly, the plugin pod's restart and the log before it; "
     "then check kubectl describe node for nvidia.com/gpu"),
    ("discovery_no_permission", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "gpu-feature-discovery cannot read the GPUs: NVML refuses it ('Insufficient "
     "Permissions'), with MIG because its container lacks the MIG monitor capability "
     "(NVIDIA_MIG_MONITOR_DEVICES=all missing or removed); the device plugin needs the same "
     "access, so the node likely advertises no GPU or MIG resources",
     "check the GPU Operator's pods still carry NVIDIA_MIG_MONITOR_DEVICES=all and their "
     "securityContext (kubectl get pod -n <operator ns> <gfd pod> -o yaml): a mutating "
     "webhook or policy that rewrites GPU env or privileges must exclude the operator's "
     "namespace (NVIDIA/gpu-operator#322); restart the pods, then check the node's resources"),
    ("plugin_unhealthy", "gpu_xid_hardware", {"kind": "Node", "name": ""},
     _UNHEALTHY_MESSAGE, _UNHEALTHY_FIX),
    ("plugin_unhealthy_said", "gpu_xid_hardware", {"kind": "Node", "name": ""},
     _UNHEALTHY_MESSAGE, _UNHEALTHY_FIX),
    ("plugin_no_devices", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the NVIDIA device plugin started and found no GPU to serve, so it registered nothing "
     "and waits without looking again: the node advertises no nvidia.com/gpu until the plugin "
     "restarts",
     "run nvidia-smi on the node: if it lists the GPUs, the driver came up after the plugin "
     "(after a reboot) - restart the plugin pod, and have it start after the driver (the GPU "
     "Operator orders them); if the plugin's container sees none while the node does, it runs "
     "without the NVIDIA runtime (runtimeClassName: nvidia, or nvidia as the default runtime); "
     "if nvidia-smi fails, fix the driver first"),
    ("amd_plugin_silent", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "AMD's ROCm device plugin started and then registered nothing: it lists its gpu resource "
     "only when /sys/class/kfd exists (the amdgpu driver's compute interface, KFD), so the "
     "node advertises no amd.com/gpu",
     "on the node: ls /sys/class/kfd and /dev/kfd; load amdgpu with compute support (a kernel "
     "built with CONFIG_HSA_AMD, the ROCm driver / amdgpu-dkms, or the OS's AMD GPU extension "
     "that enables it), then restart the plugin pod and check kubectl describe node for "
     "amd.com/gpu"),
    ("validator_no_gpu", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the GPU Operator's plugin validation waits for the node to list nvidia.com/gpu (or a "
     "MIG resource) and it does not (the validator retries, then gives up): the device plugin "
     "did not register on that node or found no GPU, so the operator's validator stays failed "
     "and GPU pods cannot be placed there",
     "read the device plugin pod's log on that node (kubectl logs -n gpu-operator -l "
     "app=nvidia-device-plugin-daemonset) and the driver and toolkit validations before it "
     "(kubectl logs POD -c driver-validation / toolkit-validation of nvidia-operator-validator); "
     "kubectl describe node for nvidia.com/gpu"),
    ("operator_no_gpu_nodes", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "the GPU Operator finds no node labelled as holding an NVIDIA GPU (Node Feature "
     "Discovery's feature.node.kubernetes.io/pci-10de.present=true), so it deploys none of "
     "its DaemonSets (driver, container toolkit, device plugin) and no node advertises "
     "nvidia.com/gpu",
     "kubectl get nodes -L feature.node.kubernetes.io/pci-10de.present: Node Feature "
     "Discovery must run and label the GPU nodes (the chart's nfd.enabled=true, or an NFD "
     "already installed, its worker tolerating the GPU nodes' taints); a VM whose GPU is not "
     "passed through shows no NVIDIA PCI device (lspci | grep -i nvidia on the node); the "
     "operator deploys its operands once a node has the label"),
    ("amd_partitions", "gpu_not_advertised", {"kind": "Node", "name": ""},
     "AMD's device plugin runs with resource_naming_strategy single but the node's GPUs are "
     "partitioned differently (compute or memory partition modes): it exits, and the node "
     "advertises no amd.com/gpu",
     "start the plugin with --resource_naming_strategy=mixed (one resource per partition "
     "type), or partition every GPU on the node alike; then restart the plugin pod"),
    ("toolkit_runtime", "nvidia_runtime_not_default", {"kind": "Node", "name": ""},
     "the GPU Operator's container toolkit wrote the NVIDIA runtime into a containerd config "
     "but cannot reach containerd's socket to make it reload: the node's containerd runs at "
     "another path than the toolkit was given, so the runtime the kubelet uses never gets the "
     "NVIDIA runtime and GPU pods (the operator's validators first) cannot use the driver",
     "point the toolkit at the node's containerd: ClusterPolicy toolkit.env CONTAINERD_CONFIG "
     "and CONTAINERD_SOCKET (RKE2/k3s: /var/lib/rancher/<rke2|k3s>/agent/etc/containerd/"
     "config.toml.tmpl and /run/k3s/containerd/containerd.sock; microk8s: /var/snap/microk8s/"
     "current/args/containerd-template.toml and /var/snap/microk8s/common/run/containerd.sock); "
     "then check the toolkit pod's log says it signaled containerd"),
    ("shared_request", "kubelet_admission_rejected", {"kind": "Pod", "name": ""},
     "the device plugin refused the allocation: a container asked for more than one replica "
     "of a shared GPU (time-slicing with failRequestsGreaterThanOne, or MPS), which the plugin "
     "does not allow; the kubelet then fails the pod (UnexpectedAdmissionError)",
     "request nvidia.com/gpu: 1 per container on shared GPUs (more replicas give no more "
     "compute: they share one GPU), or use a resource without sharing (sharing.timeSlicing."
     "renameByDefault gives the shared one its own .shared name) for multi-GPU pods; delete "
     "the Failed pods"),
    ("plugin_preferred", "kubelet_admission_rejected", {"kind": "Pod", "name": ""},
     "the device plugin refused the allocation: it has fewer free devices of the resource "
     "(replicas of shared GPUs, MIG devices) than the container asks for, so its "
     "GetPreferredAllocation fails and the kubelet fails the pod (UnexpectedAdmissionError)",
     "compare the request with the node's allocatable and what its running pods hold "
     "(kubectl describe node); a plugin whose device list shrank (a GPU unhealthy, a restart "
     "with another sharing or MIG config) is restarted; delete the Failed pods"),
    ("plugin_unknown_device", "kubelet_admission_rejected", {"kind": "Pod", "name": ""},
     "the device plugin refused the allocation: the kubelet asked for a device ID the plugin "
     "no longer serves (its device list changed under the kubelet's, e.g. it restarted with "
     "another sharing or MIG configuration, which renames the IDs); the kubelet then fails the "
     "pod (UnexpectedAdmissionError)",
     "restart the device plugin pod on that node so it re-registers its current devices (the "
     "kubelet then lists them afresh), check the node's allocatable nvidia.com/gpu, and delete "
     "the Failed pods; a plugin config change is best applied with the node drained"),
    ("device_admission", "kubelet_admission_rejected", {"kind": "Pod", "name": ""},
     "the node's kubelet refused the pod at admission because the device plugin could not "
     "allocate its devices (UnexpectedAdmissionError): the plugin's Allocate or "
     "GetPreferredAllocation failed, or the devices it advertised are gone; the pod is Failed "
     "and its controller keeps making new ones on the same node",
     "read the device plugin's log on that node and the node's allocatable nvidia.com/gpu; a "
     "GPU lost or unhealthy (Xid 79 in journalctl -k) takes the node out: kubectl cordon it, "
     "then drain and reboot; otherwise restart the device plugin pod; delete the Failed pods"),
    ("cuda_oom", "cuda_out_of_memory", OBJECT,
     "the GPU ran out of memory inside the process (CUDA caching allocator): the model, batch "
     "or KV cache does not fit the GPU; Kubernetes memory limits play no part",
     "lower the per-GPU batch size or sequence length, shard more (FSDP/ZeRO, tensor "
     "parallel), enable activation checkpointing; for vLLM lower --gpu-memory-utilization or "
     "--max-model-len; PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True helps fragmentation; "
     "under vGPU sharing (HAMi: nvidia.com/gpumem) the limit is the container's share, not "
     "the card"),
    ("oom_killed", "oom_killed", OBJECT,
     "the container hit its memory limit and the kernel killed it (host RAM, not GPU memory: "
     "data loaders, pinned buffers, checkpoint writes)",
     "raise resources.limits.memory, fewer dataloader workers, stream checkpoints"),
    ("node_memory", "node_pressure", OBJECT,
     "the node ran low on memory and the kubelet evicted pods (node memory pressure, not this "
     "container's limit)",
     "set memory requests equal to real use so the scheduler packs honestly; keep system "
     "reserved memory"),
    ("nccl_shm", "nccl_shm_exhausted", OBJECT,
     "the collective's shared-memory transport (NCCL's, or MPI/UCX's under it) could not get "
     "its segment in /dev/shm: the container's /dev/shm is too small (64Mi unless a "
     "memory-backed volume is mounted there)",
     "mount an emptyDir with medium: Memory (sizeLimit a few GiB) at /dev/shm in the pod "
     "template; NCCL_SHM_DISABLE=1 works but is slower"),
    ("dev_shm", "dev_shm_exhausted", OBJECT,
     "the training process's own shared memory ran out: PyTorch's DataLoader workers pass "
     "batches (and torch tensors shared between processes) through /dev/shm, and a write past "
     "its space kills a worker with SIGBUS; the container's /dev/shm is 64Mi unless a "
     "memory-backed volume is mounted there. No collective is involved",
     "mount an emptyDir with medium: Memory (sizeLimit a few GiB, counted against the pod's "
     "memory) at /dev/shm in the pod template; fewer DataLoader num_workers or smaller batches "
     "lower the need"),
    ("mpi_worker_dns", "mpi_worker_dns_unresolved", OBJECT,
     "the MPI launcher cannot resolve a worker's hostname, so it cannot start its daemons "
     "there over ssh: the launcher's DNS does not search the cluster's domains (dnsPolicy not "
     "ClusterFirst; hostNetwork without ClusterFirstWithHostNet) or the worker pods and their "
     "headless Service were not up yet",
     "set dnsPolicy: ClusterFirst (ClusterFirstWithHostNet with hostNetwork: true) on the "
     "launcher and worker templates; with mpi-operator v2beta1 set launcherCreationPolicy: "
     "WaitForWorkersReady; check from the launcher: kubectl exec LAUNCHER -- getent hosts "
     "<worker>.<service>.<namespace>.svc, and cat /etc/resolv.conf for the search domains"),
    ("rendezvous", "master_not_ready", OBJECT,
     "a rank's torch.distributed rendezvous cannot resolve or reach the master's store "
     "(MASTER_ADDR:MASTER_PORT): the master pod or its Service is not up yet, or the address "
     "is wrong",
     "let the workers wait for the master: restartPolicy OnFailure retries them (the "
     "Kubeflow operators create the master's Service with the job; very old "
     "pytorch-operator releases started workers before the master: upgrade); check "
     "MASTER_ADDR names the master's Service and that cluster DNS resolves it (kubectl exec "
     "into a worker: getent hosts $MASTER_ADDR)"),
    ("nccl_no_interface", "nccl_network_error", OBJECT,
     "NCCL found no network interface to bootstrap on: NCCL_SOCKET_IFNAME matches none of the "
     "pod's interfaces, or only ones that cannot reach the other ranks",
     "print the pod's interfaces (kubectl exec POD -- ip -o addr) and set NCCL_SOCKET_IFNAME "
     "to the routable one (eth0 on the pod network; the host's NIC with hostNetwork: true); "
     "a leading ^ excludes, = is an exact match that some NCCL builds do not honour; run with "
     "NCCL_DEBUG=INFO to see the interfaces NCCL considered"),
    # NCCL's OFI net plugin's own registration failure (_tshoot/nccl_ofi.py cites each
    # wording): before the bare ncclSystemError it returns for it
    ("ofi_mr", "nccl_network_error", OBJECT,
     "NCCL's OFI net plugin (aws-ofi-nccl, NCCL's transport over AWS EFA / libfabric) could "
     "not register a buffer with the network device (libfabric's memory registration refused "
     "it; type 2 is GPU memory), so it returns ncclSystemError and the communicator fails. "
     "RC -22 (Invalid argument) on GPU memory is what AWS's EFA cheatsheet names for NCCL "
     "2.19 or later with an EFA installer older than 1.29.1",
     "for RC -22 with NCCL >= 2.19 and efa-installer < 1.29.1: set FI_EFA_SET_CUDA_SYNC_MEMOPS=0 "
     "in the training containers' environment, or install EFA installer 1.29.1 or later (the "
     "node's and the image's libfabric); for another RC, match the image's libfabric, "
     "aws-ofi-nccl and NCCL releases (NCCL_DEBUG=INFO prints them at start) and read the "
     "error string the line ends with"),
    ("nccl_net", "nccl_network_error", OBJECT,
     "NCCL's transport failed (InfiniBand/RoCE completion error or a closed socket): a peer "
     "died or the fabric dropped the connection",
     "check the peer rank's pod and node first (it may have crashed), then the NICs (ibstat, "
     "link flaps), NCCL_IB_HCA / NCCL_SOCKET_IFNAME"),
]


# rows read from what a log stops short of saying, each with the command that confirms it
_FROM_SILENCE = {"nvls_cuda": "on the node: nvidia-smi -q | grep -A2 Fabric",
                 "discovery_no_permission": "kubectl describe node NODE (Allocatable "
                                           "nvidia.com/gpu or nvidia.com/mig-*)",
                 "amd_plugin_silent": "kubectl get nodes -o custom-columns=NAME:.metadata.name,"
                                      "GPU:.status.allocatable.amd\\.com/gpu; on the node: "
                                      "ls /sys/class/kfd",
                 "plugin_unhealthy_said": "on the node: journalctl -k | grep -i xid; "
                                          "kubectl logs -n <ns> <device plugin pod> | grep -i "
                                          "unhealthy"}


# ncclSystemError names no call: "unhandled system error (run with NCCL_DEBUG=INFO for
# details)" (nccl src/init.cc ncclGetErrorString); PyTorch's NCCLUtils getNcclErrorDetailStr:
# "System call (e.g. socket, malloc) or external library call failed or device error". The
# NCCL WARN line that names the call prints only with NCCL_DEBUG set (src/debug.cc
# ncclDebugInit: no NCCL_DEBUG, NCCL_LOG_NONE). Alone, it is the transport's only by
# inference: NCCL's own system calls are also its /dev/shm segments (src/misc/shmutils.cc; the
# proxy's ops pool /dev/shm/nccl-XXXXXX, src/proxy.cc ncclLocalOpAppend), and vLLM's guide
# reads it at ncclCommInitRank as "a missing IPC_LOCK linux capability or an unmounted
# /dev/shm" (vllm-project/vllm docs/usage/troubleshooting.md@7c61253f). So the cause id
# stays, but the finding says what the line does not (gpustack/gpustack#1383: a vLLM
# tensor-parallel pod, fixed by a memory-backed /dev/shm).
_BARE_SYSTEM_ERROR = (
    "NCCL reports a failed system call (ncclSystemError) without saying which: between nodes "
    "it is usually the network (a socket, a peer that exited); for ranks on one node (a "
    "tensor-parallel model server's workers) NCCL's own calls are its /dev/shm segments, and "
    "a pod's /dev/shm is 64Mi unless a memory-backed volume is mounted there; with GPUDirect "
    "RDMA, a missing IPC_LOCK capability",
    "rerun with NCCL_DEBUG=INFO: the NCCL WARN line before the error names the failed call; "
    "if it is /dev/shm (or df -h /dev/shm in the pod is small or full), mount an emptyDir "
    "with medium: Memory at /dev/shm; if it is a socket or NET/IB, check the peer rank's pod "
    "and node, then NCCL_SOCKET_IFNAME / NCCL_IB_HCA",
    "rerun with NCCL_DEBUG=INFO and read the NCCL WARN line before the error")


def _bare_system_error(found: dict[str, Any]) -> dict[str, Any]:
    """The transport finding when its only evidence is the bare ncclSystemError."""
    message, fix, confirm = _BARE_SYSTEM_ERROR
    return {**found, "severity": "warning", "basis": "inferred", "message": message,
            "fix": fix, "confirm": confirm}


def _reported(report: GpuReport, rows: list[Row]) -> list[dict[str, Any]]:
    out = []
    for field, cause, obj, message, fix in rows:
        if getattr(report, field):
            found = finding("error", cause, obj, message, getattr(report, field)[:3], fix,
                            basis="reported")
            if field == "nccl_net" and all(bare_system_error(line) for line in report.nccl_net):
                if report.nccl_shm or report.ofi_mr:  # a line names the call that failed
                    continue
                found = _bare_system_error(found)
            inferred = (field == "nccl_shm" and report.nccl_shm_inferred) or (
                field == "dev_shm" and report.dev_shm_inferred)
            if field in _FROM_SILENCE:  # what the log does not say: to be confirmed
                found = {**found, "severity": "warning", "basis": "inferred",
                         "confirm": _FROM_SILENCE[field]}
            out.append(_inferred_shm(found) if inferred else found)
    return out


def _inferred_shm(found: dict[str, Any]) -> dict[str, Any]:
    """"No space left on device" where the paste speaks of shared memory, without NCCL's own
    line: likely /dev/shm, to be confirmed (a full disk says the same)."""
    return {**found, "severity": "warning", "basis": "inferred",
            "confirm": "kubectl exec POD -n NAMESPACE -- df -h /dev/shm"}


def findings_for(report: GpuReport, world: int | None) -> list[dict[str, Any]]:
    # the kernel module saying it does not support the GPU explains its RmInitAdapter failure
    rows = [row for row in REPORTED
            if not (row[0] == "gpu_init_failed" and report.driver_unsupported)]
    out = _xid_findings(report, "hardware") + _reported(report, rows)
    out += duplicate_gpu_finding(report.nccl, OBJECT)
    hardware = any(f["cause"] == "gpu_xid_hardware" for f in out)
    # a lost or faulty GPU already says its pods fail admission: not a second finding
    out += [f for f in _reported(report, REPORTED_AFTER_DUPLICATES)
            if not (hardware and f["cause"] == "kubelet_admission_rejected")]
    if report.rendezvous_retry:
        out.append(_rendezvous_retry(report.rendezvous_retry))
    if report.timeouts or report.progress:
        out.append(_watchdog(report, world))
    out += hang_and_cuda_findings(report.nccl, OBJECT, bool(report.timeouts or report.progress))
    out += _xid_findings(report, "application", "consequence")
    return out


def _rendezvous_retry(lines: list[str]) -> dict[str, Any]:
    """c10d's W-level "cannot be retrieved" / "will retry" with no failure after it: torch
    retries until its timeout, so the peers' pods were still starting (gpu.py _C10D_RETRY)."""
    return finding("info", "master_not_ready", OBJECT,
                   "torch.distributed's c10d warns that it cannot resolve or reach the store yet "
                   "and retries (a WARNING, not an error): ranks print it while the master's or "
                   "the peers' pods start, since a headless Service's names resolve only once "
                   "the pods are Ready; nothing here says the rendezvous failed", lines[:2],
                   "nothing to fix if training went on; it is master_not_ready only when a "
                   "failure follows (an [E ...] c10d line, 'has timed out after', "
                   "DistNetworkError / RendezvousTimeoutError, the rank exiting)",
                   basis="reported")


def _watchdog(report: GpuReport, world: int | None) -> dict[str, Any]:
    suspects, why = laggards(report, world)
    first = sorted((t for t in report.timeouts if t.stamp), key=lambda t: t.stamp)
    t0 = report.timeouts[0] if report.timeouts else None
    evidence = [why] if why else []
    if first:
        evidence.append(f"first to time out: rank {first[0].rank} at {first[0].stamp}")
    if t0:
        evidence.append(t0.line)
    what = (f"{t0.op} #{t0.seq} waited {t0.ran_ms // 1000}s (timeout "
            f"{t0.timeout_ms // 1000}s)" if t0 and t0.seq is not None else
            "a collective waited past its timeout") if t0 else "a collective timed out"
    who = f"; rank(s) {suspects} fell behind first" if suspects else ""
    return finding("error", "nccl_watchdog_timeout", OBJECT,
                   f"NCCL watchdog timeout: {what}{who}. The timeout is the symptom: the "
                   "cause is on the rank that did not arrive", evidence,
                   "read that rank's log and node first (an earlier crash, CUDA OOM, Xid, "
                   "data-loader stall, uneven batches or a rank-dependent code path); raise "
                   "the timeout (init_process_group timeout=) only for known slow steps "
                   "such as checkpoint saves", basis="reported")


# a log line about the GPU stack that failed: the GPU words and a failure word on one line
_GPU_WORDS = re.compile(r"\b(?:CUDA|NVML|NCCL|nvidia|GPU|cuDNN|cuBLAS|libnvidia\S*)\b", re.I)
_FAILED = re.compile(r"\b(?:error|exception|fail\w*|not found|not available|unavailable|cannot|"
                     r"could not|unable)\b", re.I)


def unclassified(texts: list[str]) -> list[dict[str, Any]]:
    """When no rule read the logs but lines in them report a GPU-stack failure (vLLM's "CUDA
    platform is not available because: NVML Shared Library Not Found", vllm-project/vllm#23935):
    the cause is not decided here; say which lines and what decides them, instead of "none"."""
    lines = [" ".join(line.split()) for text in texts for line in text.splitlines()
             if _GPU_WORDS.search(line) and _FAILED.search(line)]
    if not lines:
        return []
    return [finding("info", "not_evaluated", OBJECT,
                    f"{len(lines)} log line(s) report a GPU-stack failure this script does not "
                    "classify (no Xid, NCCL, CUDA OOM or NVML pattern it knows)",
                    [line[:240] for line in dict.fromkeys(lines)][:3],
                    "check the container sees the GPU: nvidia-smi in the pod, the pod's "
                    "runtimeClassName and nvidia.com/gpu request, and that the driver libraries "
                    "are on its library path (ldconfig -p | grep nvidia)",
                    basis="inferred", confirm="kubectl exec POD -- nvidia-smi")]


# what the kubelet reports about a GPU pod's container that no GPU rule reads, read with
# triage's own reader (_tshoot/text.scan -> reports.classify): the kubelet's Failed event
# "Error: failed to create containerd task: ..." (containerd v2.3.4 internal/cri/server/
# container_start.go:208) around the shim's "OCI runtime create failed" (containerd v2.3.4
# cmd/containerd-shim-runc-v2/process/init.go:150) and runc's libcontainer reason, e.g. a
# device plugin started through the nvidia runtime class whose runtime cannot create it; and
# its Failed "Failed to pull image" event (image_pull), where a GPU Operator driver image's
# tag not found gets what that tag is made of (_tshoot/gpu_image_pull.py); and its
# FailedCreatePodSandBox (sandbox_failed), where a CNI plugin binary not found on a GPU node
# gets the NVIDIA toolkit's containerd rewrite as an inferred link (_tshoot/gpu_sandbox.py)
_KUBELET_CAUSES = ("container_start_failed", "image_pull", "sandbox_failed")


def kubelet_reported(texts: list[str]) -> list[dict[str, Any]]:
    """The kubelet's own failure events in the paste (a GPU pod's container that could not
    be created), as triage.py reads them; [] when none."""
    out = []
    for subject in scan("\n".join(texts)):
        if not subject.reports:
            continue
        found = subject_finding(subject)
        if found["cause"] not in _KUBELET_CAUSES:
            continue
        detail = pick(subject.reports)[0].detail
        note = found["cause"] == "image_pull" and driver_tag_note(detail.get("image", ""),
                                                                   detail.get("kind", ""))
        if note:
            found = {**found, "message": found["message"] + note[0], "fix": note[1]}
        cni = found["cause"] == "sandbox_failed" and toolkit_cni_note("\n".join(texts))
        if cni:
            found = {**found, "message": found["message"] + cni[0], "fix": cni[1],
                     "confirm": cni[2]}
        out.append({k: v for k, v in found.items() if not k.startswith("_")
                    and k not in ("count", "pods")})
    return out


def _xid_findings(report: GpuReport, *classes: str) -> list[dict[str, Any]]:
    out, seen = [], set()
    for pci, xid, line in report.xids:
        who, meaning, action = XID.get(xid, ("unknown", "not in the Xid catalog table "
                                             "here", "look it up in NVIDIA's Xid catalog"))
        if who not in classes or (pci, xid) in seen:
            continue
        seen.add((pci, xid))
        cause = "gpu_xid_hardware" if who == "hardware" else "gpu_xid_application"
        out.append(finding("error" if who == "hardware" else "warning", cause,
                           {"kind": "GPU", "name": pci},
                           f"Xid {xid} on GPU {pci}: {meaning}", [line],
                           action + (" (kubectl cordon the node, then drain it)"
                                     if who == "hardware" else ""), basis="reported"))
    return out


def body(args: argparse.Namespace) -> tuple[dict[str, Any], str, int]:
    texts = []
    for path in args.file or []:
        text, _ = read_text(path)
        texts.append(text)
    if not texts:
        raise InputError("give the logs with -f FILE (repeatable; - for stdin)")
    if args.world_size is not None and args.world_size < 1:
        raise InputError("--world-size must be at least 1")
    report = read("\n".join(texts))
    findings = findings_for(report, args.world_size) or refused_findings(texts) or \
        podgc_duplicates.findings(texts) or \
        gpu_runtime_handler.findings(texts) or dcgm_fields.findings(texts) or \
        kubelet_reported(texts) or \
        plugin_registration.findings(texts) or gpu_capacity.findings(texts) or \
        gpu_plugin_ds.findings(texts) or gpu_scheduler.findings(texts) or \
        gpu_fabric_inferred.findings(texts) or smi_exit.findings(texts) or \
        said_findings(texts) or gpu_rendered_config.findings(texts) or \
        gpu_cli_contrast.findings(texts) or unclassified(texts)
    findings = gpu_engine_mismatch.ahead(texts, findings)
    findings = gpu_distro_default.ahead(texts, findings)
    decided = [f for f in findings if f["severity"] != "info"]
    head = (f"{len(decided)} finding(s): " + ", ".join(f["cause"] for f in decided)
            if decided else "no NCCL, Xid or out-of-memory messages found in the logs"
            + ("; GPU-stack error lines found that no rule classifies (below)" if findings
               else ""))
    return {"summary": head, "findings": findings}, head + (
        "\n\n" + render_text(findings) if findings else ""), exit_code(findings)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("-f", "--file", action="append", metavar="FILE",
                        help="a log file (repeatable; - for stdin)")
    parser.add_argument("--world-size", type=int, metavar="N",
                        help="ranks in the job: a rank that never reports is the suspect")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
