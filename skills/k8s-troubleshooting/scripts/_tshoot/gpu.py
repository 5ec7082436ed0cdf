"""GPU and distributed-training failures in pasted logs: NCCL watchdog timeouts (which rank
fell behind first), NCCL transport errors, NVIDIA Xid events by meaning, and the three kinds
of "out of memory" (GPU memory, the container's memory limit, the node's memory).

Wordings and sources (references/gpu-training.md keeps the same table for readers):
- PyTorch ProcessGroupNCCL (torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp, 1.x-2.x):
  `[Rank R] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=S, OpType=OP[,
  NumelIn=N, NumelOut=N], Timeout(ms)=T) ran for M milliseconds before timing out.` (SeqNum
  from 1.8; NumelIn from 2.1); 2.2+: `[PG ... Rank R] Exception (either an error or timeout)
  detected by watchdog at work: S, last enqueued NCCL work: E, last completed NCCL work: C.`;
  the glog prefix `[rankR]:[E321 02:07:08.408271257 ProcessGroupNCCL.cpp:607]` gives the time.
- NCCL (nccl src/transport/net_ib.cc, src/misc/socket.cc; 2.x): `NCCL WARN NET/IB : Got
  completion from peer ... with status=12` / `error 12`, `NCCL WARN ... Connection closed by
  remote peer`, `ncclRemoteError`, `ncclSystemError`, `unhandled system error`,
  `Call to ibv_... failed`. The result strings are ncclGetErrorString's (nccl src/init.cc):
  ncclSystemError "unhandled system error" (2.x; "(run with NCCL_DEBUG=INFO for details)"
  appended in later 2.x), ncclRemoteError "remote process exited or there was a network
  error" (2.13+, PyTorch NCCLUtils.hpp: "ncclRemoteError only exists in NCCL versions
  2.13+"; before it a peer's exit was a system error), which
  PyTorch's c10d NCCLUtils getNcclErrorDetailStr explains as "ncclRemoteError: A call failed
  possibly due to a network error or a remote process exiting prematurely." and
  "ncclSystemError: System call (e.g. socket, malloc) or external library call failed or
  device error. It can be also caused by unexpected exit of a remote peer". NCCL's own
  WARN lines carry "NCCL WARN" (src/debug.cc ncclDebugLog, level WARN).
- NVIDIA driver: `NVRM: Xid (PCI:0000:3b:00): 79, pid=..., GPU has fallen off the bus.`;
  meanings and actions from NVIDIA's Xid catalog,
  https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html, and
  https://docs.nvidia.com/deploy/dynamic-page-retirement/visibility.html (48, 63, 64).
- PyTorch CUDA caching allocator (c10/cuda/CUDACachingAllocator.cpp): 1.x `CUDA out of
  memory. Tried to allocate X (GPU g; Y total capacity; ...)`, 2.x `... Tried to allocate X.
  GPU g has a total capacity of Y of which Z is free.`; `torch.OutOfMemoryError` (2.5+),
  `RuntimeError: CUDA error: out of memory` (a kernel's allocation).
- NVIDIA driver, a GPU lost without an Xid line (open-gpu-kernel-modules src/nvidia/arch/
  nvalloc/unix/src/osapi.c rm_is_supported_device, 515+; NVSentinel#155: the same event as
  Xid 79): `NVRM: The NVIDIA GPU 0000:b3:00.0` / `NVRM: (PCI ID: 10de:26b5) installed in this
  system has` / `NVRM: fallen off the bus and is not responding to commands.`, one message
  over three lines; it is read as Xid 79 on that GPU.
- Uncorrectable ECC outside an Xid line: the CUDA runtime's cudaErrorECCUncorrectable string
  `uncorrectable ECC error encountered` (CUDA driver_types.h), nvidia-smi's `Volatile Uncorr.
  ECC` counter above 0 (in its GPU row or said as "1 Volatile Uncorr. ECC"; the column header
  alone is no error), a user's "Uncorrectable ECC Error" (k8s-device-plugin#267: the GPU kept
  failing every allocation with `CUDA error: out of memory`): the Xid 48/63/64/95 family.
- PyTorch's OOM exception classes: `torch.cuda.OutOfMemoryError: CUDA out of memory` (1.13-2.4,
  torch/cuda/__init__.py), `torch.OutOfMemoryError` (2.5+); `RuntimeError: CUDA out of memory.`
  (<= 1.12); the allocator's phrase "CUDA out of memory" in any case, also quoted in prose.
- NCCL InfiniBand async events (nccl src/transport/net_ib.cc ncclIbAsyncThreadMain, 2.x:
  `NET/IB : Got async event : %s`, later and in nccl-rdma-sharp-plugins `NET/IB : %s:%d Got
  async event : %s`), %s from rdma-core libibverbs ibv_event_type_str (enum_strs.c): the
  fault events `port error`, `local catastrophic error`, `QP fatal error`, `CQ error`,
  `local work queue catastrophic error`, `invalid request local work queue error`, `local
  access violation work queue error`, `SRQ catastrophic error`, `device fatal`; the others
  (`port active`, `client reregistration`, `LID change`, `GID table change`, `PKey change`,
  `SM change`, ...) are not faults.
- NVML, as nvidia-smi and the device plugin print it: `Failed to initialize NVML: %s` with
  nvmlErrorString (nvml.h): `Unknown Error` inside a running container is the container
  having lost its device-cgroup access to /dev/nvidia* (systemd re-applied the unit's device
  rules on a daemon-reload, or the kubelet's static CPU manager rewrote the cgroup:
  nvidia-container-toolkit#48, nvidia-docker#1618/#966, kubernetes#77073);
  `Driver/library version mismatch` is a driver upgraded under a running kernel module.
- NVML's NVML_ERROR_GPU_IS_LOST (nvml.h: "The GPU has fallen off the bus or has otherwise
  become inaccessible"; nvmlErrorString "GPU is lost"), as the device plugin prints it (`error
  creating nvml.Device 3: nvml: GPU is lost`, k8s-device-plugin#231, kubernetes#97131), as
  nvidia-smi prints it (`Unable to determine the device handle for GPU 0000:C1:00.0: GPU is
  lost.  Reboot the system to recover this GPU`) and by name (`ERROR_GPU_IS_LOST`, gpud#604
  after an Xid 79): the Xid 79 family without the kernel's line; read only when no Xid 79 is.
- Kubernetes: container `OOMKilled` / exit 137 (the container's memory limit, kubelet/runtime),
  eviction `The node was low on resource: memory` (kubelet eviction manager).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.surface import clean
from _tshoot import cuda_insufficient, gpu_driver_repo, gpu_node_image, nvidia_kmod, smi_table
from _tshoot import nccl_ofi
from _tshoot.containerd_config import non_nvidia_binaries
from _tshoot.nccl_faults import NcclFaults, is_gpu_oom
from _tshoot.nccl_faults import read as read_nccl_faults

_GLOG = r"(?:\[rank(?P<glograk>\d+)\]:)?\[?(?P<sev>[EWI])(?P<mmdd>\d{3,4}) (?P<time>[\d:.]+)"
_WATCHDOG = re.compile(
    r"(?:" + _GLOG + r"[^\]]*\]\s*)?\[(?:PG[^\]]*?)?Rank (?P<rank>\d+)\] Watchdog caught "
    r"collective operation timeout: WorkNCCL\((?:SeqNum=(?P<seq>\d+), )?OpType=(?P<op>\w+)"
    r"(?:, NumelIn=(?P<numel>\d+), NumelOut=\d+)?, Timeout\(ms\)=(?P<timeout>\d+)\) ran for "
    r"(?P<ran>\d+) milliseconds")
_PROGRESS = re.compile(r"Rank (?P<rank>\d+)\] Exception \(either an error or timeout\) detected "
                       r"by watchdog at work: (?P<work>\d+), last enqueued NCCL work: "
                       r"(?P<enq>-?\d+), last completed NCCL work: (?P<done>-?\d+)")
_XID = re.compile(r"NVRM: Xid \((?:PCI:)?(?P<pci>[0-9a-fA-F:.]+)\): (?P<xid>\d+)(?:, (?P<rest>.*))?")
# The same event without the kernel's line: the device plugin's health check (k8s-device-plugin
# internal/rm/health.go: `XidCriticalError: Xid=%d on Device=%s; marking device as
# unhealthy.`, `..., the device will go unhealthy.` in older releases) names the GPU by UUID;
# a report names the number in words ("XID 94 error is coming out in one of GPU card",
# NVIDIA/gpu-operator#1065). Read only when no NVRM line gives that Xid.
_XID_ELSEWHERE = re.compile(r"XidCriticalError: Xid=(?P<xid>\d+) on Device=(?P<dev>[^\s;,]+)"
                            r"|\bXid\s*[=:]?\s*(?P<said>\d{1,3})\b(?!\s*\()", re.I)
_CUDA_OOM = re.compile(r"CUDA out of memory\. Tried to allocate (?P<want>[\d.]+ [KMGT]?i?B)"
                       r"(?:[. ]+\(?GPU (?P<gpu>\d+)(?:;| has a total capacity of) "
                       r"(?P<total>[\d.]+ [KMGT]?i?B)(?: total capacity)?(?:[;,]? of which "
                       r"(?P<free>[\d.]+ [KMGT]?i?B) is free)?)?")
_CUDA_OOM_SHORT = re.compile(r"CUDA error: out of memory|torch\.(?:cuda\.)?OutOfMemoryError|"
                             r"cudaErrorMemoryAllocation|(?i:\bCUDA out of memory\b)")
# one message over three NVRM lines; the GPU's address is on the first
_FALLEN_OFF = re.compile(r"NVRM: The NVIDIA GPU (?P<pci>[0-9a-fA-F:.]+)(?:(?!NVRM: The NVIDIA "
                         r"GPU).){0,400}?fallen off the bus", re.S)
_FALLEN_OFF_LINE = re.compile(r"NVRM:[^\n]*fallen off the bus")
# (nvidia-smi's column header "Volatile Uncorr. ECC" alone is no error: a count above 0 said
# before it, or in the GPU's row of the table, is: _tshoot/smi_table.py)
_ECC_UNCORRECTABLE = re.compile(r"(?i:uncorrectable ECC error|\b[1-9]\d*\s+Volatile Uncorr\.? ECC|"
                                r"cudaErrorECCUncorrectable|double[- ]bit ECC)")
# nvidia-smi's warning for a GPU whose infoROM (its on-board configuration store) fails its
# checksum, then exit code 14 "infoROM is corrupted": the GPU Operator's driver validation
# needs exit 0, and NVIDIA's action is to replace the GPU (NVIDIA/cloud-native-docs
# gpu-operator/troubleshooting.rst@52dcb7b:567-629, "WARNING: infoROM is corrupted at gpu
# 0000:0B:00.0")
_INFOROM = re.compile(r"infoROM is corrupted", re.I)
_IB_ASYNC_FAULT = re.compile(r"NET/IB\s*:\s*(?:\S+:\d+ )?Got async event\s*:\s*(?:port error|"
                             r"local catastrophic error|QP fatal error|CQ error|local work queue "
                             r"catastrophic error|invalid request local work queue error|local "
                             r"access violation work queue error|SRQ catastrophic error|device "
                             r"fatal)", re.I)
_GPU_LOST = re.compile(r"\bGPU is lost\b|\b(?:NVML_)?ERROR_GPU_IS_LOST\b")
# The kernel module failing to bring a GPU up at all: `NVRM: RmInitAdapter failed! (0x26:0xffff:
# 1127)` (open-gpu-kernel-modules src/nvidia/arch/nvalloc/unix/src/osinit.c RmInitAdapter,
# NV_DEV_PRINTF: newer drivers put `GPU <pci>: ` before it), then the kernel interface layer's
# `NVRM: rm_init_adapter failed for device bearing minor number 0`. nvidia-smi then lists one GPU
# fewer and the device plugin cannot hand it out. On a node whose other GPUs work with the same
# driver it is that GPU (microsoft/pai#4344: 3 of 4 GPUs listed, the node cordoned); when the
# only GPU fails so, the driver's support for it or the VM's passthrough is as likely.
_RM_INIT_FAILED = re.compile(r"NVRM: (?:GPU \S+: )?RmInitAdapter failed!|rm_init_adapter failed "
                             r"for device bearing minor number \d+")
# NVML's error string for NVML_ERROR_LIB_RM_VERSION_MISMATCH (nvml.h) is "Driver/library
# version mismatch": nvidia-smi and the device plugin print it after "Failed to initialize
# NVML: ", users quote it without the prefix; the string names the fault by itself. The
# kernel module logs the same fault as "NVRM: API mismatch: the client has the version X, but
# NVRM: this kernel module has the version Y" (open-gpu-kernel-modules kernel-open/nvidia/
# nv.c, nvidia_dev_ioctl's version check).
# (users retell the unknown error as "NVML initialize failed: Unknow(n)":
# NVIDIA/nvidia-container-runtime#138, a pod that lost its GPU after days)
_NVML_INIT = re.compile(r"(?:Failed to initialize NVML|NVML initiali[sz]e failed): "
                        r"(?P<why>Unknown Error|Unknown?\b)|"
                        # the short form NVIDIA's CDI page quotes for a container that lost its
                        # devices (NVIDIA/k8s-device-plugin docs/cdi.md@1b826ac:10 `NVML: Unknown
                        # error`) and pynvml's exception class for NVML_ERROR_UNKNOWN; not the
                        # hook's host-side `nvml error: unknown error` (_HOOK_NVML_UNKNOWN) nor
                        # go-nvml's lower-case `nvml: Unknown Error` in the device plugin's own
                        # calls on the host (awslabs/amazon-eks-ami#1523: a GSP fault)
                        r"(?-i:\bNVML): Unknown Error\b|\bNVMLError_Unknown\b|"
                        r"(?P<mismatch>Driver/library version mismatch|NVRM: API mismatch)", re.I)
# No NVIDIA driver on the node at all: NVML_ERROR_DRIVER_NOT_LOADED (nvml.h nvmlErrorString
# "Driver Not Loaded"), as libnvidia-container's hook prints it (`nvidia-container-cli:
# initialization error: nvml error: driver not loaded`) and the device plugin after "Failed to
# initialize NVML: "; nvidia-smi's own `NVIDIA-SMI has failed because it couldn't communicate
# with the NVIDIA driver`: the kernel module is not loaded (not installed, not built for the
# running kernel after an upgrade). Not `could not load NVML library` (libnvidia-ml missing in
# a container): that is as often a container started without the NVIDIA runtime, which injects
# the library (k8s-device-plugin#23: docker's default runtime not set to nvidia).
# libnvidia-container's hook on a node without a usable driver also fails at its driver stage
# before NVML (`nvidia-container-cli: initialization error: driver error: failed to process
# request`): the case the toolkit's install guide rules out by its prerequisite, an NVIDIA
# driver installed on the host (NVIDIA/gpu-operator#104: a docker smoke test on a node with no
# host driver; the maintainer: "NVIDIA drivers need to be installed").
DRIVER_ABSENT = re.compile(r"nvml error: driver not loaded|Failed to initialize NVML: Driver "
                           r"Not Loaded|NVIDIA-SMI has failed because it couldn't communicate "
                           r"with the NVIDIA driver|nvidia-container-cli: initialization error: "
                           r"driver error: failed to process request", re.I)
# The driver container (GPU Operator) or the installer cannot build the kernel module for the
# node's kernel, so no driver ever loads: the GPU Operator driver container's "Could not resolve
# Linux kernel version" (its nvidia-driver script: no kernel headers for `uname -r` in its
# repositories), nvidia-installer's "Unable to build the NVIDIA kernel module", the kernel's
# modpost "GPL-incompatible module nvidia.ko uses GPL-only symbol '%s'" (linux
# scripts/mod/modpost.c; NVIDIA/gpu-operator#729: driver 535.54.03 on a 5.15.0-1064-azure
# kernel, fixed in driver 535.183.08); nvidia-installer's DKMS build of the module failing
# (`Failed to run `<dkms> build -m nvidia -v <version> -k <kernel>`: ...`, nvidia-installer
# misc.c@418.43:2706; dkms's own wording is read in nvidia_kmod); nvidia-installer's make
# step failing, "An error occurred while performing the step: \"<step>\"" (NVIDIA/
# nvidia-installer kernel.c@590.48.01:2464 run_make) for its build steps "Building kernel
# modules" (:1010) and "Checking to see whether the <module> kernel module was successfully
# built" (:642 check_file; mesosphere/konvoy-image-builder#1200: 470.199.02 on 5.15.0-1070-aws).
DRIVER_BUILD = re.compile(r"Could not resolve Linux kernel version|Unable to build the NVIDIA "
                          r"kernel module|GPL-incompatible module nvidia[\w-]*\.ko uses GPL-only "
                          r"symbol|nvidia\.ko failed to build|"
                          r"Failed to run `[^`\n]*\bdkms build -m nvidia\b|"
                          r"error occurred while performing the step: \W?(?:Building kernel "
                          r"modules|Checking to see whether the nvidia[\w-]* kernel module was "
                          r"successfully built)", re.I)
# The GPU Operator's RHEL/RHCOS driver container cannot install the packages it builds the
# module with, before any build: "FATAL: failed to install elfutils-libel-devel. RHEL
# entitlement may be improperly deployed." (NVIDIA/gpu-driver-container rhel8/nvidia-driver
# @06a208c:138, rhel9 and rhel10 :142), "FATAL: failed to install elfutils packages. ..." before
# commit 1ba5f1f (2025-07; NVIDIA/cloud-native-docs openshift/troubleshooting-gpu-ocp.rst@52dcb7b:
# the Driver Toolkit not deployed, so an entitled build was tried), and the same script's
# "FATAL: failed to update the dnf metadata cache after multiple attempts ..." (:128) and
# "FATAL: failed to reach RHEL package repositories." (:40)
DRIVER_PACKAGES = re.compile(r"FATAL: failed to install elfutils\b|RHEL entitlement may be "
                             r"improperly deployed|FATAL: failed to update the dnf metadata cache|"
                             r"FATAL: failed to reach RHEL package repositories", re.I)
# The kernel module was built but the kernel refused to load it: nvidia-installer's
# "Unable to load the kernel module '%s'.  This happens most frequently when this kernel module
# was built against the wrong or improperly configured kernel sources, with a version of gcc
# that differs from the one used to build the target kernel, or if another driver, such as
# nouveau, is present ..." (NVIDIA/nvidia-installer kernel.c@590.48.01:1303; the GPU Operator's
# driver container runs it). NVIDIA/gpu-operator#8: the in-tree nouveau driver held the GPU,
# blacklisting it (options nouveau modeset=0, update-initramfs) let the install finish.
DRIVER_LOAD = re.compile(r"Unable to load the kernel module '?nvidia[\w-]*\.ko", re.I)
# a line that names nouveau as present (lsmod, the kernel's log), not the installer's own
# "another driver, such as nouveau," list of possible reasons
NOUVEAU = re.compile(r"\bnouveau\b(?!,? is\s+present and prevents)(?<!such as nouveau)", re.I)
# The container cannot load the NVIDIA driver's user-space libraries: the NVIDIA container
# runtime (its prestart hook or CDI) injects libnvidia-ml / libcuda; a container started
# without it (no runtimeClassName: nvidia where containerd's default_runtime_name or Docker's
# default-runtime is runc) has none, and on GKE the driver mounted at /usr/local/nvidia/lib64
# is off LD_LIBRARY_PATH in CUDA 12 base images. The device plugin's `could not load NVML
# library` with its hint `did you set the docker default runtime to nvidia?` (k8s-device-plugin
# #23, gpu-operator#143), pynvml's `NVML Shared Library Not Found` (vllm-project/vllm#23935),
# and the loader's `libnvidia-ml.so.1` / `libcuda.so.1: cannot open shared object file`;
# go-nvml's NVML_ERROR_LIBRARY_NOT_FOUND string `ERROR_LIBRARY_NOT_FOUND` (device plugin
# v0.15+ `nvml init failed: ERROR_LIBRARY_NOT_FOUND`, NVIDIA/k8s-device-plugin#856; KAI's
# reservation pod without the nvidia runtime class, KAI-Scheduler#349, PR #360), and the
# runtime not finding `nvidia-smi`, which only the NVIDIA runtime mounts (NVIDIA/nvkind#31), and
# a shell in the container not finding it either (`nvidia-smi: command not found`, bash;
# `nvidia-smi: not found`, sh). PyTorch's `Found no NVIDIA driver on your system` is
# cudaErrorInsufficientDriver with driver version 0 (c10/cuda/CUDAFunctions.cpp
# device_count_impl): no libcuda could be loaded at all, the same fault in a container
# (kubeflow/notebooks#68: the kernel module loaded, the notebook pod without
# runtimeClassName: nvidia). The device plugin finding neither NVML nor Tegra in its own
# container says so in its words: `Incompatible strategy detected %v` (internal/plugin/
# factory.go@v0.17.0:112, v0.16+), `Incompatible platform detected` (v0.13-v0.15), each followed
# by "If this is a GPU node, did you configure the NVIDIA Container Toolkit?".
LIBS_NOT_VISIBLE = re.compile(r"could not load NVML library|NVML Shared Library Not Found|"
                              r"ERROR_LIBRARY_NOT_FOUND|exec: \\?\"nvidia-smi\\?\": executable "
                              r"file not found|"
                              r"\bnvidia-smi: (?:command )?not found|"
                              r"Found no NVIDIA driver on your system|"
                              r"did you set the docker default runtime to|"
                              r"Incompatible (?:strategy|platform) detected|"
                              r"did you configure the NVIDIA Container Toolkit|"
                              # nvidia-smi's own words without the library (the GPU Operator's
                              # toolkit-validation: NVIDIA/nvidia-container-toolkit#553, the
                              # host's /sbin/ldconfig not the link the toolkit's
                              # "@/sbin/ldconfig" expects)
                              r"NVIDIA-SMI couldn't find libnvidia-ml\.so|"
                              # the runtime hook refusing an unprivileged pod's envvar request
                              # (_tshoot/cuda_insufficient.py)
                              r"Ignoring devices specified in NVIDIA_VISIBLE_DEVICES|"
                              r"lib(?:nvidia-ml|cuda)\.so(?:\.1)?: cannot open shared object "
                              r"file", re.I)
# CUDA says the driver is older than the CUDA runtime the program was built with
# (cudaErrorInsufficientDriver 35, `CUDA driver version is insufficient for CUDA runtime
# version`), or that forward compatibility, the way around that, does not run on this GPU
# (cudaErrorCompatNotSupportedOnDevice 804, `forward compatibility was attempted on non
# supported HW`): the node's driver is too old for the image (NVIDIA/gpu-operator#277: driver
# 450; #389: a Tesla K80 with a CUDA 11.6 image). CUDA says "insufficient" too when it finds
# no libcuda at all, in a container started without the NVIDIA runtime
# (canonical/microk8s-core-addons#400): the fix names both.
DRIVER_TOO_OLD = re.compile(r"CUDA driver version is insufficient for CUDA runtime version|"
                            r"cudaErrorInsufficientDriver|forward compatibility was attempted "
                            r"on non supported HW|cudaErrorCompatNotSupportedOnDevice", re.I)
# A program that calls an NVML or CUDA driver function the node's driver library does not
# export: the dynamic loader's `symbol lookup error: <prog>: undefined symbol: nvmlX_v3` (glibc
# elf/dl-lookup.c). NVML and the CUDA driver API add versioned entry points with newer
# drivers, so the driver is older than the program was built for (NVIDIA/k8s-device-plugin#66:
# plugin 1.11 on a CUDA 8 era driver, `undefined symbol: nvmlDeviceGetPciInfo_v3`; use the
# 1.10 image or upgrade the driver). Library names of the CUDA toolkit (cudnn, cublas) start
# lower case after `cu` and are not the driver's.
DRIVER_SYMBOL = re.compile(r"undefined symbol: (?:nvml|cu)[A-Z]\w*")
# HAMi's vGPU sharing (HAMi-core, libvgpu.so, intercepting the CUDA driver API) enforces each
# container's GPU memory share: `[HAMI-core ERROR (... allocator.c:N)]: Device D OOM <used> /
# <limit>` and `cuMemoryAllocate failed res=2` (CUDA_ERROR_OUT_OF_MEMORY) are the share
# exhausted (Project-HAMi/HAMi#585). A "used" figure far beyond any GPU (a 64-bit counter
# wrapped below zero: 18446744073707737660) is HAMi-core's own accounting gone wrong, not the
# program's memory (HAMi#1181, fixed in v2.6.1).
_HAMI_OOM = re.compile(r"HAMI-core ERROR[^\n]*?(?:Device \d+ OOM (?P<used>\d+) / (?P<limit>\d+)|"
                       r"cuMemoryAllocate failed res=2\b)")
_IMPOSSIBLE_BYTES = 2 ** 50  # 1 PiB: more than any GPU's memory


def hami_oom(line: str) -> str:
    """'' (not HAMi's), 'oom' (the vGPU share exhausted) or 'accounting' (a wrapped counter)."""
    m = _HAMI_OOM.search(line)
    if m is None:
        return ""
    used = int(m.group("used") or 0)
    return "accounting" if used >= _IMPOSSIBLE_BYTES else "oom"


# NCCL found no network interface to bootstrap on or to run its socket transport over: the
# NCCL_SOCKET_IFNAME the pod sets names none of its interfaces (a host NIC name in a pod on
# the pod network; a `=` exact-match a build does not honour; an exclude list that leaves only
# non-routable NICs): nccl src/bootstrap.cc `Bootstrap : no socket interface found` (2.x),
# src/transport/net_socket.cc `NET/Socket : no interface found` (marin-community/marin#7018).
# When no interface matched, some releases go on with an address never filled in and fail on
# its family instead (`ncclSocketInit: connecting to address  with family N is neither
# AF_INET(2) nor AF_INET6(10)`, misc/socket.cc; `Net : connecting to address ...` in
# ncclSocketConnect before 2.12): NVIDIA/nccl#1837, NCCL_SOCKET_IFNAME naming an interface
# the host does not have, without the warning above.
NCCL_NO_INTERFACE = re.compile(r"Bootstrap\s*:\s*no socket interface found|"
                               r"NET/Socket\s*:\s*no interface found|"
                               r"connecting to address .{0,80}?with family \d+ is neither "
                               r"AF_INET", re.IGNORECASE)
# CUDA's cudaErrorSystemNotReady (802, "system not yet initialized", driver API
# CUDA_ERROR_SYSTEM_NOT_READY): on NVSwitch systems (HGX/DGX A100, H100 and later) CUDA waits for
# NVIDIA Fabric Manager to register the GPUs; with nvidia-fabricmanager stopped, failed, or of
# another version than the driver, every CUDA job fails so (NVIDIA Fabric Manager user guide,
# ABORT_CUDA_JOBS_ON_FM_EXIT; NVIDIA/gpu-operator#1043: the GPU Operator's cuda-validator
# "Failed to allocate device vector A (error code system not yet initialized)").
# systemd saying the Fabric Manager unit is absent or failed is the same fault told by the node
# (systemctl "Unit %s could not be found.", src/systemctl/systemctl-show.c; the manager's
# "Failed to start %s" and unit.c "%s: Failed with result '%s'."): NVIDIA/gpu-operator#286, an
# HGX A100 whose cuda-validator failed with no nvidia-fabricmanager installed (#375).
FABRIC_NOT_READY = re.compile(r"system not yet initialized|cudaErrorSystemNotReady|"
                              r"CUDA_ERROR_SYSTEM_NOT_READY|\bFabric\s*:?\s*State\s*:\s*In "
                              r"Progress|Unit nvidia-fabricmanager(?:\.service)? could not be found"
                              r"|Failed to start (?:nvidia-fabricmanager|NVIDIA fabric manager)"
                              r"|nvidia-fabricmanager\.service: Failed with result", re.IGNORECASE)
# NCCL's NVLink SHARP (NVLS) setup binds each rank's memory to a multicast object the
# NVSwitches serve (cuMulticastBindMem); when that fails NCCL names the system (nccl
# src/transport/nvls.cc v2.27.3-1:284 / v2.29.7-1:287 / v2.30.7-1:376: WARN "Failed to bind
# NVLink SHARP (NVLS) Multicast memory of size %ld : CUDA error %d '%s'.\nThis is usually caused
# by a system or configuration error in the Fabric Manager or NVSwitches."), and PyTorch quotes
# it after "Last error:" (pytorch/pytorch#177472, pytorch/ci-infra#541: nvidia-fabricmanager not
# running on H100 nodes). v2.27-v2.28 print the same words at INFO and go on without NVLS when
# NVLS was not forced ("... Proceeding without NVLS support.", v2.27.3-1:288): not a failure.
NVLS_BIND = re.compile(r"^(?!.*\bNCCL INFO\b)(?!.*Proceeding without NVLS).*?Failed to bind "
                       r"NVLink SHARP \(NVLS\) Multicast memory", re.IGNORECASE)
# Before v2.27 the same failure is CUCHECK's bare WARN at an nvls.cc line (src/include/
# cudawrap.h: "Cuda failure '%s'" to v2.18, "Cuda failure %d '%s'" from v2.19), e.g.
# `transport/nvls.cc:254 NCCL WARN Cuda failure 401 'the operation cannot be performed in the
# present state'`; NCCL's maintainers read it as the Fabric Manager stopped or restarted without
# a GPU reset (NVIDIA/nccl-tests#276, NVIDIA/nccl#1338, #1488) but the line does not say so:
# inferred, confirmed by nvidia-smi -q's Fabric State/Status. GPU memory is its own cause.
NVLS_CUDA = re.compile(r"\bnvls\.cc:\d+\s+NCCL WARN Cuda failure (?:\d+ )?'(?!out of memory)",
                       re.IGNORECASE)
# The NVIDIA container runtime hook checks the image's NVIDIA_REQUIRE_* (cuda>=X, brand=...)
# against the node before the container starts (libnvidia-container src/cli/common.c:
# `requirement error: %s`): `unsatisfied condition: cuda>=12.6, please update your driver to a
# newer version, or use an earlier cuda container` when the node's driver is older than the
# image's CUDA; `invalid expression` when the node's nvidia-container-cli predates the
# expression syntax the image uses (NVIDIA/deepops#206: nvidia/cuda:latest on an old toolkit).
# nvidia-docker 1.x, the wrapper before the hook, compares the image's com.nvidia.cuda.version
# label with the driver's CUDA version and refuses in its own words: `unsupported CUDA version:
# driver %s < image %s` (NVIDIA/nvidia-docker src/nvidia-docker/utils.go@v1.0.1:56,
# cudaSupported; h2oai/h2o4gpu#298: driver 8.0 < image 9.0.176, fixed by a CUDA 9 driver)
_CUDA_REQUIREMENT = re.compile(r"nvidia-container-cli: requirement error: "
                               r"(?:unsatisfied condition|invalid expression)|"
                               r"unsupported CUDA version: driver [\d.]+ < image [\d.]+", re.I)
# NCCL's socket layer (src/misc/socket.cc): before 2.19 `Net : Call to recv from %s failed :
# %s` (used for sends too) and `Net : Connection closed by remote peer %s`, from 2.19
# `socketProgressOpt: Call to recv from ...` / `socketProgress: Connection closed by remote
# peer`; the socket transport's own `NET/Socket : socket progress error`
# (src/transport/net_socket.cc). NVIDIA/nccl#706: a recv timing out between pods.
_NCCL_NET = re.compile(r"NCCL WARN NET/(?:IB|Socket)[^\n]*(?:completion[^\n]*(?:status|error)"
                       r"\s*[=:]?\s*\d+|Connection closed|Connection reset|failed)|"
                       r"\b(?:Net|socketProgress(?:Opt)?)\s*:\s*(?:Call to (?:recv from|send to) "
                       r"\S+ failed|Connection closed by remote peer)|"
                       r"NET/Socket\s*:\s*socket progress error|"
                       r"ncclRemoteError|ncclSystemError|unhandled system error|"
                       r"remote process exited or there was a network error", re.IGNORECASE)
# NCCL's shared-memory transport could not size its segment in /dev/shm (a container's
# /dev/shm is 64Mi unless a memory-backed emptyDir is mounted there): nccl include/shm.h
# (2.8-2.11 `Call to posix_fallocate failed : No space left on device`, `Error while creating
# shared memory segment nccl-shm-recv-...`), src/misc/shmutils.cc (2.12+ `Error: failed to
# extend /dev/shm/nccl-XXXX to N bytes`, the same "creating" line with the path). NCCL's
# troubleshooting guide, "Shared memory". "Error while attaching" is another fault (a peer's
# segment missing: IPC namespace, cleanup), so it is not read as this.
_NCCL_SHM = re.compile(r"Error while creating shared memory segment|failed to extend /dev/shm/"
                       r"|posix_fallocate failed\s*:\s*No space left on device")
# /dev/shm too small for PyTorch's own shared memory, no collective involved: its DataLoader
# workers pass batches through it, so this is the pod's /dev/shm (dev_shm_exhausted), not
# NCCL's transport. The worker's SIGBUS handler (torch/csrc/DataLoader.cpp SIGNAL_HANDLER(
# SIGBUS, handler_SIGBUS, "ERROR: Unexpected bus error encountered in worker. This might be
# caused by insufficient shared memory (shm).") at pytorch/pytorch@03d4ef67, the same text in
# the 1.0-era release pytorch/pytorch#16979 quotes), the parent's report of that worker (DataLoader.cpp THPModule_errorIfAnyWorkerFails: SIGBUS adds
# "It is possible that dataloader's workers are out of shared memory"; pytorch/pytorch#16979:
# "raise the shared memory limit"), and torch's shared-memory file (shm_open'd
# /torch_<pid>_<n>, aten MapAllocator.cpp "unable to write to file <...>: No space left on
# device"; logicalclocks/hopsworks#1557).
_DEV_SHM = re.compile(r"Unexpected bus error encountered in worker\. This might be caused by "
                      r"insufficient shared memory"
                      r"|dataloader's workers are out of shared memory"
                      r"|unable to write to file </torch_\S*>\s*:\s*No space left on device")
# ENOSPC without NCCL's own line (a truncated log, a framework's re-raise) is the shared-memory
# fault only where the same paste is about shared memory (/dev/shm, "shared memory", shm) and
# a collective runs (torch.distributed, NCCL): a disk filled by checkpoints says neither
# (AI-Hypercomputer/xpk#965: TorchTitan's first broadcast, fixed by a memory-backed /dev/shm).
_NO_SPACE = re.compile(r"No space left on device")
# MPI's shared-memory transports under a collective, same fault and fix: Open MPI's shmem
# help text `It appears as if there is not enough space for <file> (the shared-memory
# backing file)` (opal/mca/shmem/mmap help-opal-shmem-mmap.txt; one message over several
# lines); UCX's `mm_iface failed to allocate receive FIFO` (uct/sm/mm/base/mm_iface.c: the
# posix/sysv shared-memory transport could not get its FIFO, in a container the 64Mi
# /dev/shm; NVIDIA/ai-cloud-validation#643: UCX segfaults until a memory-backed /dev/shm).
_MPI_SHM_SPACE = re.compile(r"not enough space for\s+\S+\s+\(the\s*shared-memory\s+backing\s+file\)")
_UCX_SHM = re.compile(r"mm_iface failed to allocate receive FIFO")
_ABOUT_SHM = re.compile(r"/dev/shm|shared[ -]memory|\bshm\b", re.I)
# A process of the job killed by SIGBUS and nothing else said: in a container the usual cause
# is a full /dev/shm (tmpfs: a write into an mmap'd segment past its space faults with SIGBUS,
# mmap(2) "SIGBUS"), so it is the inferred cause, with df -h /dev/shm to confirm. Wordings:
# torchelastic's ProcessFailure `Signal 7 (SIGBUS) received by PID n` (torch/distributed/
# elastic/multiprocessing/errors/__init__.py), a DataLoader's `killed by signal: Bus error`, a
# shell's `Bus error (core dumped)` (dlrover PR #1046: nanoGPT checkpoints through /dev/shm).
_SIGBUS = re.compile(r"\bSIGBUS\b|killed by signal: Bus error|\bBus error \(core dumped\)")
# ncclSystemError ("unhandled system error") is a failed system call: creating a /dev/shm
# segment is one. Beside a listing of /dev/shm holding the segments of earlier runs (nccl-*,
# psm_*: a worker that crashed leaves them in the pod's emptyDir) or a `df` of /dev/shm at
# 90%+, the shared-memory space is the inferred cause (llm-d/llm-d#352, fixed by clearing
# /dev/shm before start, llm-d#364).
_SYSTEM_ERROR = re.compile(r"ncclSystemError|unhandled system error")
_SHM_SEGMENT = re.compile(r"^\S*\s.*\s(?:nccl-[\w-]+|psm_\w+)\s*$", re.M)
_SHM_DF_FULL = re.compile(r"^\S+\s+\S+\s+\S+\s+\S+\s+(?:9\d|100)%\s+/dev/shm\s*$", re.M)
_COLLECTIVE = re.compile(r"torch\.distributed|\bNCCL\b|all_?reduce|broadcast|all_?gather",
                         re.I)
# Only the reason says OOM: exit code 137 is any SIGKILL (128+9): also a liveness/startup probe
# kill, a stop past terminationGracePeriodSeconds or a kill from outside the container
# (kubernetes/kubernetes#19825; kubelet sets reason OOMKilled only from the runtime's OOM event).
_OOMKILLED = re.compile(r"\bOOMKilled\b")
_NODE_MEMORY = re.compile(r"The node was low on resource: memory|node\.kubernetes\.io/"
                          r"memory-pressure|MemoryPressure\s+True")

# Xid -> (who is at fault, what it means, what to do). NVIDIA Xid catalog (URL above), checked
# against its copy in leptonai/gpud components/accelerator/nvidia/query/xid/xid.go (catalog
# r555, 2024-09-24: names and HW/driver/user-app flags) and NVIDIA k8s-device-plugin
# internal/rm/health.go applicationErrorXids (13, 31, 43, 45, 68: "Application errors: the
# GPU should still be healthy"; every other Xid marks the device unhealthy). 94 and 109 stay
# the application's: the catalog's action for 94 is to restart only the application that hit
# it, and the device plugin adds 109 to that list in later releases.
XID = {
    13: ("application", "Graphics Engine Exception (usually an illegal memory access or "
         "out-of-range index in a kernel)", "fix the application; restart it"),
    31: ("application", "GPU memory page fault (MMU fault: the program read an invalid "
         "address)", "fix the application (illegal address); restart it; if it repeats on "
         "one GPU with several programs, treat as hardware"),
    43: ("application", "GPU stopped processing (the channel was reset after a fault)",
         "restart the application"),
    45: ("consequence", "preemptive cleanup after earlier errors (a process was killed)",
         "look at the Xid that came before it"),
    48: ("hardware", "uncorrectable double-bit ECC error (DBE)", "drain the node, reset the GPU;"
         " replace it if it repeats"),
    61: ("hardware", "internal micro-controller breakpoint/warning", "reset the GPU; contact "
         "support if it repeats"),
    62: ("hardware", "internal micro-controller halt", "reset the GPU (drain the node first)"),
    63: ("hardware", "ECC page retirement or row remapping recorded (pending until reset)",
         "drain and reset the GPU to activate the remap"),
    64: ("hardware", "ECC page retirement or row remapping failed", "drain the node; the GPU "
         "needs service"),
    69: ("hardware", "Graphics Engine class error (NVIDIA's catalog: a hardware or driver "
         "error, not the program's; the device plugin marks the GPU unhealthy)",
         "drain the node and reset the GPU; run field diagnostics if it repeats"),
    74: ("hardware", "NVLink error", "drain the node, reset the GPUs; check NVLink/NVSwitch "
         "health (nvidia-smi nvlink -s)"),
    79: ("hardware", "GPU has fallen off the bus (PCIe link lost, power or thermal)",
         "drain the node; reboot/reseat; the GPU or its slot may need service"),
    92: ("hardware", "high single-bit ECC error rate", "watch it; plan to replace the GPU"),
    94: ("application", "contained ECC error: only the application using that memory was "
         "affected", "restart the application; the GPU stays usable"),
    95: ("hardware", "uncontained ECC error: every application on the GPU is affected",
         "drain the node and reset the GPU"),
    109: ("application", "context switch timeout", "restart the application; if it repeats, "
          "reset the GPU"),
    119: ("hardware", "GSP RPC timeout (the GPU System Processor stopped answering)",
          "drain the node and reset the GPU; update the driver if it repeats"),
    120: ("hardware", "GSP error", "drain the node and reset the GPU"),
    154: ("hardware", "GPU recovery action changed (the message says which: GPU reset or node "
          "reboot required)", "do the recovery action the message names"),
}


@dataclass
class Timeout:
    rank: int
    seq: int | None
    op: str
    timeout_ms: int
    ran_ms: int
    stamp: str = ""       # "0321 02:07:08.408271257" from the glog prefix
    line: str = ""


@dataclass
class GpuReport:
    timeouts: list[Timeout] = field(default_factory=list)
    progress: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # rank -> (at, enq, done)
    xids: list[tuple[str, int, str]] = field(default_factory=list)           # (pci, xid, line)
    cuda_oom: list[str] = field(default_factory=list)
    vgpu_accounting: list[str] = field(default_factory=list)     # HAMi's counter wrapped
    nccl_net: list[str] = field(default_factory=list)
    ofi_mr: list[str] = field(default_factory=list)  # OFI plugin: buffer registration failed
    nccl_no_interface: list[str] = field(default_factory=list)  # NCCL_SOCKET_IFNAME matches none
    fabric_not_ready: list[str] = field(default_factory=list)   # CUDA 802: Fabric Manager
    nvls_bind: list[str] = field(default_factory=list)   # NCCL: NVLS multicast bind, FM named
    nvls_cuda: list[str] = field(default_factory=list)   # NCCL <2.27: a CUDA failure in nvls.cc
    nccl_shm: list[str] = field(default_factory=list)
    rendezvous: list[str] = field(default_factory=list)  # the master's store unresolvable
    rendezvous_retry: list[str] = field(default_factory=list)  # c10d's W-level retry only
    mpi_worker_dns: list[str] = field(default_factory=list)  # the launcher cannot resolve one
    plugin_start: list[str] = field(default_factory=list)    # the device plugin cannot start
    plugin_watcher: list[str] = field(default_factory=list)  # no inotify watcher for it
    plugin_prestart: list[str] = field(default_factory=list)  # its PreStartContainer failed
    amd_plugin_silent: list[str] = field(default_factory=list)  # ROCm plugin: no /sys/class/kfd
    plugin_no_devices: list[str] = field(default_factory=list)  # NVIDIA plugin found no GPU
    plugin_unhealthy: list[str] = field(default_factory=list)   # the plugin marked a GPU
    plugin_unhealthy_said: list[str] = field(default_factory=list)  # ... said in words
    toolkit_runtime: list[str] = field(default_factory=list)  # toolkit cannot reach containerd
    device_admission: list[str] = field(default_factory=list)  # the kubelet refused the devices
    plugin_preferred: list[str] = field(default_factory=list)  # plugin: too few free devices
    shared_request: list[str] = field(default_factory=list)  # >1 replica of a shared GPU
    plugin_register: list[str] = field(default_factory=list)  # the kubelet refused registration
    plugin_mig: list[str] = field(default_factory=list)      # MIG layout vs migStrategy single
    validator_no_gpu: list[str] = field(default_factory=list)  # GPU Operator: no GPU resource
    operator_no_gpu_nodes: list[str] = field(default_factory=list)  # GPU Operator: no GPU node
    toolkit_validation: list[str] = field(default_factory=list)  # validator: nothing injected
    driver_validation: list[str] = field(default_factory=list)  # validator: driver ctr unusable
    driver_in_use: list[str] = field(default_factory=list)   # driver ctr cannot unload modules
    driver_install_disabled: list[str] = field(default_factory=list)  # GKE: installs none
    discovery_no_permission: list[str] = field(default_factory=list)  # GFD: NVML refused
    plugin_unknown_device: list[str] = field(default_factory=list)  # Allocate: ID not served
    amd_partitions: list[str] = field(default_factory=list)  # ROCm: mixed partitions, single
    amd_driver_absent: list[str] = field(default_factory=list)  # ROCm: no amdgpu module
    cdi_unresolved: list[str] = field(default_factory=list)  # no CDI spec names the device
    low_level_runtime: list[str] = field(default_factory=list)  # no runc for the NVIDIA runtime
    hook_direct: list[str] = field(default_factory=list)   # legacy hook in a CDI/CSV mode
    nccl_shm_inferred: bool = False   # ENOSPC beside words about shm, not NCCL's own line
    dev_shm: list[str] = field(default_factory=list)  # PyTorch's own /dev/shm use (DataLoader)
    dev_shm_inferred: bool = False    # a SIGBUS and nothing else said
    oom_killed: list[str] = field(default_factory=list)
    node_memory: list[str] = field(default_factory=list)
    ecc: list[str] = field(default_factory=list)                 # uncorrectable ECC, no Xid
    inforom: list[str] = field(default_factory=list)             # nvidia-smi: infoROM corrupt
    nvml_lost: list[str] = field(default_factory=list)           # NVML "Unknown Error"
    nvml_mismatch: list[str] = field(default_factory=list)       # driver/library mismatch
    driver_absent: list[str] = field(default_factory=list)       # no driver loaded / installed
    driver_packages: list[str] = field(default_factory=list)     # no packages to build it
    driver_build: list[str] = field(default_factory=list)        # the module cannot be built
    driver_cc: list[str] = field(default_factory=list)   # built with an older gcc than the kernel's
    driver_repo: list[str] = field(default_factory=list)         # no package cache to build
    driver_load: list[str] = field(default_factory=list)         # built, the kernel refuses it
    driver_broken: list[str] = field(default_factory=list)       # the node's NVML cannot init
    runtime_binary: list[str] = field(default_factory=list)      # nvidia handler runs runc
    libs_not_visible: list[str] = field(default_factory=list)    # no NVIDIA runtime / lib path
    driver_too_old: list[str] = field(default_factory=list)      # CUDA: driver insufficient
    driver_symbol: list[str] = field(default_factory=list)       # NVML/CUDA call not in driver
    hook_failed: list[str] = field(default_factory=list)         # NVIDIA hook: other detail
    host_glibc: list[str] = field(default_factory=list)          # host C library too old
    cuda_requirement: list[str] = field(default_factory=list)    # image needs a newer stack
    gpu_lost: list[str] = field(default_factory=list)            # NVML_ERROR_GPU_IS_LOST
    gpu_init_failed: list[str] = field(default_factory=list)     # NVRM RmInitAdapter failed
    driver_unsupported: list[str] = field(default_factory=list)  # module flavour/release
    nccl: NcclFaults = field(default_factory=NcclFaults)  # duplicate GPU, hangs (nccl_faults)


def read(text: str) -> GpuReport:
    report = GpuReport()
    # a log line a console cut at its width is read whole (kit unwrap_free_text)
    # (a GitHub quote's `> ` markers and a pane's borders off first: they are no text)
    text = "\n".join(unwrap_free_text(clean(text).split("\n")))
    for line in text.splitlines():
        _read_line(report, line.strip())
    report.ecc += smi_table.ecc_errors(text)  # a count in the GPU's row, not the header
    known = {_short_pci(pci) for pci, xid, _ in report.xids if xid == 79}
    for m in _FALLEN_OFF.finditer(text):
        pci = m.group("pci").rstrip(".")
        if _short_pci(pci) not in known:
            known.add(_short_pci(pci))
            report.xids.append((pci, 79, " ".join(m.group(0).split())[:300]))
    if not known:
        for m in _FALLEN_OFF_LINE.finditer(text):
            report.xids.append(("unknown", 79, m.group(0)[:300]))
            break
    _xids_elsewhere(report, text)
    if any(xid == 79 for _, xid, _ in report.xids):  # the kernel's line already says it
        report.gpu_lost = []
    report.nccl_shm += [" ".join(m.group(0).split()) for m in _MPI_SHM_SPACE.finditer(text)]
    if not report.nccl_shm:  # NCCL's own line, wrapped by hand inside a quote or a sentence
        report.nccl_shm += _shm_line_across_lines(text)
        generic = [line for line in report.nccl_net if _generic_system_error(line)]
        if report.nccl_shm and generic:  # the generic system error is then that, not the network's
            report.nccl_net = [line for line in report.nccl_net if line not in generic]
    if not report.nccl_shm:  # UCX says allocation failed, not why: confirm the space
        report.nccl_shm += [line.strip()[:300] for line in text.splitlines()
                            if _UCX_SHM.search(line)][:2]
        report.nccl_shm_inferred = bool(report.nccl_shm)
    if not report.nccl_shm and not report.dev_shm and _ABOUT_SHM.search(text) and \
            _COLLECTIVE.search(text):
        report.nccl_shm += [line.strip()[:300] for line in text.splitlines()
                            if _NO_SPACE.search(line)][:2]
        report.nccl_shm_inferred = bool(report.nccl_shm)
    if not report.nccl_shm and not report.dev_shm:  # a SIGBUS alone: the process's own shm
        report.dev_shm += [line.strip()[:300] for line in text.splitlines()
                           if _SIGBUS.search(line)][:2]
        report.dev_shm_inferred = bool(report.dev_shm)
    if not report.nccl_shm and _SYSTEM_ERROR.search(text):
        filled = _shm_filled(text)
        if filled:  # the generic system error is then that, not the network's
            generic = [line for line in report.nccl_net if _generic_system_error(line)]
            report.nccl_shm += generic[:1] + filled
            report.nccl_net = [line for line in report.nccl_net if line not in generic]
            report.nccl_shm_inferred = True
    report.rendezvous = _lines_in_context(text, _RENDEZVOUS, _MASTER_UNREACHABLE)
    if report.rendezvous and _only_retries(text):
        report.rendezvous_retry, report.rendezvous = report.rendezvous, []
    report.mpi_worker_dns = (_lines_in_context(text, _MPI_LAUNCH, _SSH_UNRESOLVED)
                             or _mpi_worker_unresolved(text))
    _read_plugin_lines(report, text)
    if not report.driver_build:  # the driver container's line, wrapped by a console (_lines)
        report.driver_build = _lines(text, DRIVER_BUILD) or nvidia_kmod.dkms_build_failed(text)
    report.driver_cc = nvidia_kmod.compiler_older(text)
    report.driver_repo = gpu_driver_repo.lines(text)
    report.ofi_mr = nccl_ofi.mr_failed(text)  # aws-ofi-nccl (EFA): _tshoot/nccl_ofi.py
    report.driver_unsupported = nvidia_kmod.unsupported_gpu(text)
    if not report.driver_load:
        report.driver_load = _lines(text, DRIVER_LOAD)
    if report.driver_load:  # nouveau named as present: the line that decides among the reasons
        report.driver_load = _nouveau_present(text) + report.driver_load
    _insufficient_despite_driver(report, text)
    _insufficient_on_every_driver(report, text)
    _insufficient_on_volume_mount_node(report, text)
    report.runtime_binary = non_nvidia_binaries(text)
    report.amd_plugin_silent = _amd_plugin_silent(text)
    report.plugin_unhealthy_said = [] if report.plugin_unhealthy else [
        line.strip()[:300] for line in text.splitlines()
        if _PLUGIN_UNHEALTHY_SAID.search(line)][:1]
    report.nccl = read_nccl_faults(text)
    if report.nvls_bind or report.nvls_cuda:  # the CUDA failure NCCL reports is that bind
        nvls = set(report.nvls_bind + report.nvls_cuda)
        report.nccl.cuda_failures = [(what, line) for what, line in report.nccl.cuda_failures
                                     if what and line.strip()[:300] not in nvls]
        if report.nvls_bind:
            report.nvls_cuda = []
    # NCCL's "Cuda failure 'out of memory'" is GPU memory, like the allocator's message
    report.cuda_oom += [line for what, line in report.nccl.cuda_failures
                        if is_gpu_oom(what) and line not in report.cuda_oom]
    return report


# torch.distributed's env:// rendezvous connects every rank to a TCPStore on MASTER_ADDR:
# MASTER_PORT (torch/distributed/rendezvous.py _env_rendezvous_handler / _create_c10d_store);
# a worker started before the master's pod and Service exist cannot resolve or reach that
# name (c10d "host not found: Name or service not known" in 1.0-1.x; "failed to connect to"
# / "Connection refused" / "name resolution" in later ones; kubeflow/pytorch-operator#125:
# workers created before the master, PR #145)
_RENDEZVOUS = re.compile(r"\bTCPStore\b|_env_rendezvous_handler|_create_c10d_store|"
                         r"init_process_group|\bc10d\b")
_MASTER_UNREACHABLE = re.compile(
    r"Name or service not known|Temporary failure in name resolution|"
    r"nodename nor servname provided|"
    r"client socket has failed to connect to|failed to connect to .{0,80}?Connection refused",
    re.IGNORECASE)

# c10d's client socket resolves and connects to the store in a retry loop: a name that does
# not resolve yet is recorded at WARNING level and retried ("[W socket.cpp:558] [c10d] The IPv6
# network addresses of (H, P) cannot be retrieved (gai error: -2 - Name or service not known).",
# torch/csrc/distributed/c10d/socket.cpp SocketConnectOp::tryConnect(int family): recordError
# -> C10D_WARNING, retry = true, pytorch/pytorch@8cf1b8e3), as is "No socket on (H, P) is
# listening yet, will retry" (C10D_INFO) and "The server socket on A has timed out, will
# retry."; only the deadline ends it, at ERROR, with "The client socket has timed out after
# ... while trying to connect to" (throwTimeoutError) or "has failed to connect to any network
# address", raised as DistNetworkError / TimeoutError. Pods behind a headless Service resolve
# only once they are Ready, so ranks print it while their peers start (kubernetes-sigs/
# jobset#93, closed: training succeeded). Such lines with no failure after them are no fault.
_C10D_RETRY = re.compile(r"^\s*\[W[^\]]*\]\s*\[c10d\][^\n]*(?:cannot be retrieved|will retry)",
                         re.IGNORECASE)
_RENDEZVOUS_FAILED = re.compile(
    r"^\s*\[E[^\]]*\]|\w*(?:Rendezvous\w*Error|DistNetworkError|DistStoreError|TimeoutError|"
    r"ChildFailedError)\b|Socket Timeout|has timed out after|failed to connect to any network "
    r"address|Traceback \(most recent call last\)|\bexit ?code\b|host not found|"
    r"\b(?:Runtime|Value)Error\b", re.IGNORECASE | re.MULTILINE)


def _only_retries(text: str) -> bool:
    """Every line that says the master is unreachable is c10d's W-level retry, and nothing in
    the log says the rendezvous then failed (an E-level line, a timeout, an exception, an
    exit)."""
    said = [line for line in text.splitlines() if _MASTER_UNREACHABLE.search(line)]
    return bool(said) and all(_C10D_RETRY.search(line) for line in said) and \
        not _RENDEZVOUS_FAILED.search(text)


# NVIDIA's device plugin failing at start (cmd/nvidia-device-plugin main.go returns "error
# starting plugins: %v"): it registers nothing, so the node advertises no nvidia.com/gpu. NVML's
# "Insufficient Permissions" reading a MIG device's memory is a plugin without access to the
# MIG capability devices (NVIDIA_MIG_MONITOR_DEVICES=all unset: NVIDIA/k8s-device-plugin#399)
_PLUGIN_START = re.compile(r"error starting plugins?: ", re.I)
# ... or starting with no device to serve: "No devices found. Waiting indefinitely."
# (cmd/nvidia-device-plugin main.go, v0.7.0 to v0.19: no plugin has devices, none is started,
# and it does not look again until it is restarted): the driver was not up when it started
# (after a reboot: NVIDIA/k8s-device-plugin#414, fixed by restarting the plugin pod) or its
# container sees no GPU
_PLUGIN_NO_DEVICES = re.compile(r"No devices found\. Waiting indefinitely")
# The device plugin marking a GPU unhealthy: its health check on NVML events (internal/rm/
# health.go: `Marking device %v as unhealthy: %v`, `... marking it as unhealthy`), which fires
# on a critical Xid or a double-bit ECC error and is not undone until the plugin restarts
# (NVIDIA/k8s-device-plugin#111: "it generates a DBE"; a restart runs no check and reports
# the GPU healthy). Said in words it is the same fault, to be confirmed in the kernel log.
# ListAndWatch saying so per device: `'%s' device marked unhealthy: %s` (internal/plugin/
# server.go@v0.17.0:276, server.go@v0.9.0:234): the health check sent it, same fault.
# NVML's event wait itself failing marks every GPU of the node (`Error waiting for event: %v;
# Marking all devices as unhealthy`, `Failed to determine uuid for event %v: %v; Marking all
# devices as unhealthy.`: internal/rm/health.go@v0.20.0:126, :147, v0.13+), a GPU whose MIG
# placement NVML cannot read one (`...: %v; Marking it unhealthy.`, health.go@v0.20.0:82): the
# node's allocatable drops the same way. (v0.9-v0.12's `... too old to support healthchecking:
# %s. Marking it unhealthy.` is a GPU without health events, not a fault: no `;` before it.)
_PLUGIN_UNHEALTHY = re.compile(r"Marking device \S+ as unhealthy|marking it as unhealthy|"
                               r"; Marking it unhealthy|Marking all devices as unhealthy|"
                               r"'[^'\s]+' device marked unhealthy")
_PLUGIN_UNHEALTHY_SAID = re.compile(
    r"\bdevice[- ]?plugin\b[^.\n]{0,80}?\b(?:reports?|reported|marks?|marked|shows?|says?|"
    r"flags?|flagged)\b[^.\n]{0,40}?\bunhealthy\b", re.I)

# The plugin started but the kubelet refused or never answered its registration:
# `Could not register device plugin: %s` (internal/plugin/server.go@v0.17.0:143, log.Printf in
# server.go@v0.9.0:115): Start fails, the resource is never registered and main.go logs "Failed
# to start one or more plugins. Retrying in 30s..." (main.go@v0.17.0:268). The dial goes to
# kubelet.sock in the device-plugins directory the plugin mounts: a kubelet with another root
# dir (k0s, microk8s, a custom --root-dir) or not running leaves the node without nvidia.com/gpu
_PLUGIN_REGISTER = re.compile(r"Could not register device plugin: ")
# Start's earlier steps fail the same way: its gRPC server cannot listen on its socket in the
# device-plugins directory (`Could not start device plugin for '%s': %s`, internal/plugin/
# server.go@v0.20.0:138; log.Printf in server.go@v0.9.0:107), or, with MPS sharing, the MPS
# control daemon for the resource does not answer (`error waiting for MPS daemon: %w`,
# server.go@v0.20.0:133, v0.15+, around internal/plugin/mps.go:68 `error checking MPS daemon
# health: %w`): the plugin does not register and retries. Its gRPC server crashing more than
# five times, each within an hour of the last, ends the plugin (`GRPC server for '%s' has
# repeatedly crashed recently. Quitting`, a klog.Fatalf in internal/plugin/server.go@v0.17.0:192,
# server.go@v0.9.0:166): the pod restarts and the node loses the resource meanwhile. Before
# v0.15 the start loop told any failed Start (serve or register) as `Could not contact Kubelet.
# Did you enable the device plugin feature gate?` (cmd/nvidia-device-plugin/main.go@v0.14.0:278,
# log.Println in main.go@v0.12.0:262; `Could not contact Kubelet, retrying. ...` in
# main.go@v0.9.0:162; HAMi's fork keeps it, Project-HAMi/HAMi cmd/device-plugin/nvidia/
# main.go@v2.6.1:322) and retried: the resource is not registered
_PLUGIN_RETRY = re.compile(r"Failed to start (?:one or more plugins\. Retrying|plugin: )|"
                           r"Could not start device plugin for '|error waiting for MPS daemon: |"
                           r"GRPC server for '[^'\n]*' has repeatedly crashed recently|"
                           r"Could not contact Kubelet(?:, retrying)?\. Did you enable the device "
                           r"plugin feature gate")
# A device plugin that cannot create its inotify watcher (fsnotify.NewWatcher: inotify_init1)
# on the kubelet's device-plugins directory or its own socket there stops: NVIDIA's `failed to
# create FS watcher: %v` (v0.9-v0.14: main.go@v0.9.0:126, cmd/nvidia-device-plugin/main.go
# @v0.14.0:157), `failed to create FS watcher for %s: %v` (v0.15+: main.go@v0.15.0:181,
# @v0.20.0:275), `Failed to created FS watcher.` (to v0.7: main.go@v0.7.0:80, @v1.10:36);
# Intel's `Failed to create watcher for %s` (intel-device-plugins-for-kubernetes
# pkg/deviceplugin/server.go@v0.36.0:325, @v0.20.0:275, wrapped into manager.go@v0.36.0:146
# `Failed to serve %s/%s: %+v`). With `too many open files` (EMFILE) the node's
# inotify instances are used up (fs.inotify.max_user_instances, 128 by default): the plugin
# exits right after it registers and restarts, the node keeps no GPU resource
# (intel/intel-device-plugins-for-kubernetes#2075, fixed by raising it to 256;
# NVIDIA/gpu-operator#441)
_PLUGIN_WATCHER = re.compile(r"failed to create FS watcher|Failed to created FS watcher|"
                             r"Failed to create watcher for \S*device-plugins/", re.I)
# the errno printed with it (EMFILE: the inotify instances or the open files used up)
_TOO_MANY_FILES = re.compile(r"too many open files", re.I)
# The kubelet calls a device plugin's PreStartContainer before it creates a container that got
# its devices; the plugin's error stops the creation (`device plugin PreStartContainer rpc
# failed with err: %v`, kubernetes pkg/kubelet/cm/devicemanager/manager.go@v1.37.2:1045,
# @v1.36.0:1022; the kubelet's Failed event `Error: ...`, waiting reason
# CreateContainerConfigError, kuberuntime_container.go@v1.37.2:260). A plugin that reads the
# kubelet's device checkpoint itself and cannot parse it (`cannot unmarshal ... DeviceIDs`:
# DeviceIDs are per NUMA node, DevicesPerNUMA, in checkpoint/checkpoint.go@v1.37.2:34-41) is
# older than the kubelet (tkestack/gpu-manager#121: 1.0.x on a newer kubelet, fixed in 1.1.x)
_PLUGIN_PRESTART = re.compile(r"device plugin PreStartContainer rpc failed", re.I)
# migStrategy single with GPUs the strategy cannot serve as one resource: a GPU in MIG mode with
# no GPU instance, MIG devices of several profiles, or MIG on only some GPUs (internal/rm/
# device_map.go@v0.17.0:169/:177, :193, :99; a panic in mig-strategy.go to v0.12): the plugin
# cannot build its device map and does not start (error starting plugins ... invalid MIG
# configuration)
_PLUGIN_MIG = re.compile(r"migEnabled=true was not configured correctly|more than one MIG "
                         r"device type present on node|configured with the same migEnabled value",
                         re.I)
# The GPU Operator's plugin validation gave up waiting for the node to list nvidia.com/gpu or a
# MIG resource (cmd/nvidia-validator/main.go@v26.7.0:1466, validator/main.go@v24.9.0:1259):
# the device plugin did not register on that node (or found no GPU). Its retries say the same
# while it waits (`GPU resources are not yet discovered by the node, retry: %d`, main.go
# @v26.7.0:1463, validator/main.go@v1.9.0:791): the plugin-validation init container stuck there
_VALIDATOR_NO_GPU = re.compile(r"GPU resources are not (?:yet )?discovered by the node")
# The GPU Operator deploys its DaemonSets (driver, toolkit, device plugin) only to nodes Node
# Feature Discovery labels as holding an NVIDIA PCI device (feature.node.kubernetes.io/
# pci-10de.present, pci-0302_10de / pci-0300_10de; controllers/state_manager.go@v26.7.0:171);
# with none it deploys nothing, so no node advertises nvidia.com/gpu: `No GPU node found,
# watching for new nodes to join the cluster.` (clusterpolicy_controller.go@v26.7.0:262, also
# the ClusterPolicy's condition message, reason NoGPUNodes, v23.9+; a log line from v1.9), `No
# GPU node in the cluster, do not create DaemonSets` (object_controls.go@v26.7.0:4666), `No GPU
# node can be found in the cluster.` (clusterpolicy_controller.go@v26.7.0:167)
_OPERATOR_NO_GPU_NODES = re.compile(r"No GPU node (?:found, watching for new nodes to join the "
                                    r"cluster|in the cluster, do not create DaemonSets|can be "
                                    r"found in the cluster)")
# The validator's toolkit validation runs nvidia-smi in its own container, started through the
# nvidia runtime class, to see that the toolkit injected the driver's files; when it fails it
# prints `toolkit is not ready` (cmd/nvidia-validator/main.go@v26.7.0:1160, validator/main.go
# @v1.9.0:487) and the operator's pods behind it wait in Init
_TOOLKIT_NOT_READY = re.compile(r"\btoolkit is not ready\b")
# The driver validation, when no driver is installed on the host, runs nvidia-smi from the
# driver container's install (/run/nvidia/driver) and retries while the libraries or nvidia-smi
# are missing there or it fails: `failed to validate the driver, retrying after %d seconds`
# (cmd/nvidia-validator/main.go@v26.7.0:837, validator/main.go@v24.6.0:751); without the wait
# flag (or past it) Driver.validate gives up with `driver is not ready: %v` (main.go@v26.7.0:924,
# validator/main.go@v24.9.0:782; the bare `driver is not ready` in validator/main.go@v1.9.0:440
# and @v23.9.0:652). Its other drivers say which (`nvidia-fs driver is not ready`, GPUDirect
# Storage's), and are not the GPU driver.
_DRIVER_VALIDATION = re.compile(r"failed to validate the driver, retrying after|"
                                r"(?<!nvidia-fs )(?<!gdrcopy )(?<!peermem )(?<!CSI )"
                                r"\bdriver is not ready\b")
# The GPU Operator's driver container unloads the NVIDIA modules already loaded before it loads
# its own; while something holds them it gives up and exits (`Could not unload NVIDIA driver
# kernel modules, driver is in use`, NVIDIA/gpu-driver-container ubuntu22.04/nvidia-driver
# @06a208c:494, _unload_driver, `|| exit 1` in init at :825; ubuntu20.04/nvidia-driver
# @22.06.17:382): a driver installed on the host, or GPU clients of an earlier driver
_DRIVER_IN_USE = re.compile(r"Could not unload NVIDIA driver kernel modules, driver is in use")
# GKE's managed driver installer (the nvidia-driver-installer init container of GKE's
# nvidia-gpu-device-plugin DaemonSet) when the node's GPU driver installation mode is disabled
# (the default under node auto-provisioning): `GPU driver auto installation is disabled.` then
# `Waiting for GPU driver libraries to be available.`, and it waits until someone else installs
# a driver; the device plugin stays in Init, the node never gets nvidia.com/gpu
# (GoogleCloudPlatform/container-engine-accelerators#402, #407: fixed by selecting a driver
# version, nodeSelector cloud.google.com/gke-gpu-driver-version). The waiting line alone is an
# installer still at work, not this.
_DRIVER_INSTALL_DISABLED = re.compile(r"GPU driver auto installation is disabled", re.I)
_DRIVER_WAIT = re.compile(r"Waiting for GPU driver libraries to be available", re.I)
# A GPU discovery component whose NVML calls are refused (NVML_ERROR_NO_PERMISSION, whose
# nvmlErrorString is "Insufficient Permissions"; nvml.h: "The current user does not have
# permission for operation"): gpu-feature-discovery's `Error generating NVML labels: %v`
# (NVIDIA/gpu-feature-discovery main.go@v0.4.1:98; lower-case `error generating NVML labels`
# in cmd/gpu-feature-discovery/main.go@v0.5.0:98;
# logged as `Unexpected error: %v` before it exits, main.go@v0.4.1:59), `error generating
# labels: %v` (cmd/gpu-feature-discovery/main.go@v0.8.2:180). With MIG, NVML refuses MIG
# device handles to a container without the MIG monitor capability: NVIDIA_MIG_MONITOR_DEVICES
# =all unset or stripped (NVIDIA/gpu-operator#322: a third-party mutating webhook rewrote the
# operator's pods); the device plugin, which needs the same access, then advertises no GPU
# (its own `error starting plugins: ...` is read as plugin_start).
_DISCOVERY_NO_PERMISSION = re.compile(r"(?:gpu-feature-discovery|error generating (?:NVML |common )?"
                                      r"labels)[^\n]*?(?:Insufficient Permissions|"
                                      r"ERROR_NO_PERMISSION)", re.I)
# The kubelet asked Allocate for a device ID the plugin does not serve (internal/rm/rm.go
# @v0.20.0:87 `invalid request: unknown device: %s` under server.go:310's `invalid allocation
# request for %q: %w`, v0.15+): the plugin's device list changed under the kubelet's (a
# restart with another sharing config renames the IDs), and the kubelet fails the pod
_PLUGIN_UNKNOWN_DEVICE = re.compile(r"invalid request: unknown device: ")
# AMD's device plugin with resource_naming_strategy single on a node whose GPUs are partitioned
# differently exits 1 (ROCm/k8s-device-plugin cmd/k8s-device-plugin/main.go@v1.31.0.7:81)
_AMD_PARTITIONS = re.compile(r"Partitions of different styles across GPUs in a node is not "
                             r"supported with single strategy")
# ... and with no amdgpu kernel module on the node it lists no GPU (internal/pkg/amdgpu/
# amdgpu.go@v1.25.2.8:90 `amdgpu driver unavailable: %s`; a Fatalf with exit code 2 from
# v1.31.0.10, :151)
_AMD_DRIVER_ABSENT = re.compile(r"amdgpu driver unavailable")
# A time-sliced or MPS-shared GPU asked for more than once by one container: the plugin's
# Allocate refuses it (internal/rm/rm.go@v0.17.0:79 `invalid request: maximum request size for
# shared resources is 1; found %d` under server.go:307's `invalid allocation request for %q`;
# `request for '%v: %v' too large: maximum request size for shared resources is 1` in
# server.go@v0.14.0:277), and the kubelet fails the pod (UnexpectedAdmissionError)
_SHARED_REQUEST = re.compile(r"maximum request size for shared resources is 1")
# The NVIDIA plugin's own GetPreferredAllocation refusal: fewer free devices (replicas of shared
# GPUs, MIG devices: those it does not align) than the request, `error getting list of preferred
# allocation devices: %v` (internal/plugin/server.go@v0.17.0:290) around `not enough available
# devices to satisfy allocation` (internal/rm/allocate.go@v0.17.0:33, @v0.12.0:71); the kubelet
# wraps it in `device plugin GetPreferredAllocation rpc failed with err: %v` (kubernetes
# pkg/kubelet/cm/devicemanager/manager.go@v1.37.2:1070) and fails the pod's admission. The
# wrapper alone wraps any error of the allocation (a lost GPU's `unable to get device link
# information`, NVIDIA/k8s-device-plugin#2038): only the inner error is read as this.
_PLUGIN_PREFERRED = re.compile(r"not enough available devices to satisfy allocation")
# The NVIDIA runtime (CDI mode, or the device plugin's cdi-annotations strategy) asked for a CDI
# device that no spec in /etc/cdi or /var/run/cdi defines: nvidia-container-toolkit internal/
# modifier/cdi/registry.go@v1.20.0:62 `failed to inject CDI devices: %v` around the CDI
# library's `unresolvable CDI devices %s` (tags.cncf.io/container-device-interface pkg/cdi/
# cache.go, vendored at v1.20.0:257; containerd's and CRI-O's own CDI injection say the same):
# the spec was never generated or is stale, and the container is never created
_CDI_UNRESOLVED = re.compile(r"unresolvable CDI devices")
# The NVIDIA runtime (a shim) cannot find the low-level runtime it hands the container to
# (nvidia-container-toolkit internal/runtime/runtime_factory.go@v1.20.0:36 `error constructing
# low-level runtime: %v` around internal/oci/runtime_low_level.go@v1.20.0:32/:54 `error locating
# runtime: no runtime binary found from candidate list: %v`; v1.12+): no runc/crun on its PATH
# or at the paths of its config's nvidia-container-runtime.runtimes (k3s and RKE2 ship runc in
# their own data dir)
_LOW_LEVEL_RUNTIME = re.compile(r"no runtime binary found from candidate list|error "
                                r"constructing low-level runtime")
# The legacy prestart hook refusing to run because the toolkit resolved a non-legacy mode (CDI,
# CSV): cmd/nvidia-container-runtime-hook/hook_config.go@v1.20.0:130 (a log.Panicln in main.go
# @v1.12.0:78): the hook is configured directly (docker --gpus, an OCI hooks.d entry, a runtime
# handler pointing at runc with the hook) instead of the NVIDIA runtime that applies the mode
_HOOK_DIRECT = re.compile(r"invoking the NVIDIA Container Runtime Hook directly")


# AMD's ROCm device plugin lists its `gpu` resource only when /sys/class/kfd exists, the
# amdgpu kernel driver's compute (KFD, CONFIG_HSA_AMD) interface; otherwise it logs nothing
# after its start-up (ROCm/k8s-device-plugin cmd/k8s-device-plugin/main.go: the os.Stat of
# /sys/class/kfd around getResourceList, before manager.Run), so the node never advertises
# amd.com/gpu (siderolabs/extensions#307: a Talos kernel without CONFIG_HSA_AMD, fixed in
# siderolabs/pkgs#893). Read when the log ends at the manager's start with no plugin line.
_AMD_PLUGIN = re.compile(r"AMD GPU device plugin for Kubernetes")
_DPM_START = re.compile(r"Starting device plugin manager")
_PLUGIN_ACTIVITY = re.compile(r"regist|serving|ListAndWatch|plugin server|Starting (?:plugin|"
                              r"gRPC|GRPC)|Allocate|healthy|kfd", re.I)


def _amd_plugin_silent(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    started = [line for line in lines if _DPM_START.search(line)]
    if not (started and any(map(_AMD_PLUGIN.search, lines))):
        return []
    after = lines[lines.index(started[-1]) + 1:]
    return [started[-1][:300]] if not any(map(_PLUGIN_ACTIVITY.search, lines)) and \
        not any(after) else []


def _nouveau_present(text: str) -> list[str]:
    """Lines that name nouveau outside the installer's explanation (which lists it among the
    possible reasons on every load failure): lsmod, the kernel's log, a report's words."""
    flat = " ".join(text.split())
    if not NOUVEAU.search(flat):
        return []
    return [line.strip()[:300] for line in text.splitlines()
            if NOUVEAU.search(line) and "such as" not in line][:2]


def _lines(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Up to two lines matching `pattern`; else the words around it when a console wrapped
    the message over lines at a space (the pieces shorter than the width, so the kit's unwrap
    cannot tell the cut)."""
    found = [line.strip()[:300] for line in text.splitlines() if pattern.search(line)][:2]
    if found:
        return found
    flat = " ".join(text.split())
    m = pattern.search(flat)
    return [flat[max(0, m.start() - 120):m.end() + 120].strip()] if m else []


# (GpuReport field, pattern) read from whole lines or, wrapped, across them: the device
# plugins', the GPU Operator validator's and the container runtime's messages
_PLUGIN_LINES = (("plugin_start", _PLUGIN_START), ("plugin_register", _PLUGIN_REGISTER),
                 ("plugin_mig", _PLUGIN_MIG), ("validator_no_gpu", _VALIDATOR_NO_GPU),
                 ("amd_partitions", _AMD_PARTITIONS), ("amd_driver_absent", _AMD_DRIVER_ABSENT),
                 ("shared_request", _SHARED_REQUEST), ("plugin_preferred", _PLUGIN_PREFERRED),
                 ("cdi_unresolved", _CDI_UNRESOLVED),
                 ("low_level_runtime", _LOW_LEVEL_RUNTIME), ("hook_direct", _HOOK_DIRECT),
                 ("plugin_unhealthy", _PLUGIN_UNHEALTHY), ("plugin_no_devices", _PLUGIN_NO_DEVICES),
                 ("operator_no_gpu_nodes", _OPERATOR_NO_GPU_NODES),
                 ("toolkit_validation", _TOOLKIT_NOT_READY),
                 ("driver_validation", _DRIVER_VALIDATION), ("driver_in_use", _DRIVER_IN_USE),
                 ("plugin_unknown_device", _PLUGIN_UNKNOWN_DEVICE),
                 ("plugin_watcher", _PLUGIN_WATCHER), ("plugin_prestart", _PLUGIN_PRESTART),
                 ("driver_install_disabled", _DRIVER_INSTALL_DISABLED),
                 ("discovery_no_permission", _DISCOVERY_NO_PERMISSION))


def _read_plugin_lines(report: GpuReport, text: str) -> None:
    for name, pattern in _PLUGIN_LINES:
        setattr(report, name, _lines(text, pattern))
    if not report.plugin_start:  # the retry loop's lines say only that a start failed
        report.plugin_start = _lines(text, _PLUGIN_RETRY)
    report.plugin_no_devices = report.plugin_no_devices[:1]
    if report.plugin_watcher:  # the errno the plugin printed with it says why (EMFILE)
        report.plugin_watcher = list(dict.fromkeys(_lines(text, _TOO_MANY_FILES)[:1] +
                                                   report.plugin_watcher))[:3]
    # the wrappers around a cause read above (main.go's "error starting plugins", the kubelet's
    # UnexpectedAdmissionError) say no more than it: one finding
    if report.plugin_mig or report.plugin_register or report.plugin_watcher:
        report.plugin_start = []
    if report.plugin_start:  # the plugin's own refusal says it for the node
        report.discovery_no_permission = []
    if report.driver_install_disabled:  # the installer's next line: what it waits for
        report.driver_install_disabled += [line.strip()[:300] for line in text.splitlines()
                                           if _DRIVER_WAIT.search(line)][:1]
    if report.shared_request or report.plugin_unknown_device or report.plugin_preferred:
        report.device_admission = []


def _lines_in_context(text: str, context: re.Pattern[str], line: re.Pattern[str]) -> list[str]:
    """Up to two lines matching `line` when the text shows `context` anywhere: a rank's
    rendezvous that could not resolve or reach the master's store, an MPI launcher's ssh that
    could not resolve a worker."""
    if not context.search(text):
        return []
    return [found.strip()[:300] for found in text.splitlines() if line.search(found)][:2]


# An MPI launcher starts its daemons on the workers over ssh (Open MPI's ORTE/PRRTE plm_rsh,
# Intel MPI / MPICH Hydra): a worker hostname (<pod>.<service>.<ns>.svc, mpi-operator's
# hostfile) that the launcher cannot resolve ends there (OpenSSH ssh.c "ssh: Could not resolve
# hostname %s: %s"; aws-samples/aws-do-eks#33: the launcher's resolv.conf without the
# cluster's search domains, fixed by dnsPolicy: ClusterFirst)
# The same worker name not resolving for ping (iputils' "ping: unknown host %s", later
# "ping: %s: Name or service not known"; BusyBox "ping: bad address '%s'") beside the MPI
# hostfile that lists it (mpi-operator's /etc/mpi/hostfile, Volcano's svc plugin's
# /etc/volcano/<task>.host) is the launcher's DNS too (volcano-sh/volcano#778: an MPI master
# with hostNetwork: true and dnsPolicy ClusterFirst falls back to the node's resolv.conf; fixed
# by setting ClusterFirstWithHostNet, volcano PR #779).
_MPI_LAUNCH = re.compile(r"\bORTE\b|\bPRRTE\b|\bmpirun\b|\bmpiexec\b|\bHYDU_|\bhydra\b|"
                         r"\bhorovodrun\b|\bplm_rsh\b|/etc/mpi/hostfile|/etc/volcano/\S+\.host\b|"
                         r"\bmpiworker\.host\b", re.IGNORECASE)
_SSH_UNRESOLVED = re.compile(r"ssh: Could not resolve hostname \S+: (?:Name or service not known"
                             r"|Temporary failure in name resolution|No address associated)"
                             r"|\bping: (?:unknown host \S+|\S+: (?:Name or service not known|"
                             r"Temporary failure in name resolution)|bad address \S+)",
                             re.IGNORECASE)


# an MPI worker's name as the operators write it in the hostfile (mpi-operator
# `<job>-worker-<i>.<job>-worker`, Volcano `<job>-mpiworker-<i>.<job>`): the name itself says
# what could not be resolved when the paste lost the command that printed the hostfile
_MPI_WORKER_NAME = re.compile(r"\bmpi\S*worker|\S*-worker-\d+\.\S*-worker\b", re.IGNORECASE)


def _mpi_worker_unresolved(text: str) -> list[str]:
    return [line.strip()[:300] for line in text.splitlines()
            if _SSH_UNRESOLVED.search(line) and _MPI_WORKER_NAME.search(line)][:2]


def _shm_line_across_lines(text: str) -> list[str]:
    """NCCL's shared-memory wording when a person wrapped it over lines (a GitHub quote's `> `
    markers, a sentence's line breaks): the words are read with the breaks as spaces."""
    flat = " ".join(clean(text).split())
    m = _NCCL_SHM.search(flat)
    return [flat[m.start():m.end() + 120].strip().rstrip("` ")] if m else []


def _generic_system_error(line: str) -> bool:
    """The line says only ncclSystemError, none of the transport's own failure wordings."""
    return bool(_SYSTEM_ERROR.search(line)) and not _NCCL_NET.search(_SYSTEM_ERROR.sub("", line))


def _shm_filled(text: str) -> list[str]:
    """Evidence that /dev/shm is full: a df row at 90%+, or 3+ NCCL/PSM segments listed."""
    full = _SHM_DF_FULL.search(text)
    if full:
        return [full.group(0).strip()]
    segments = _SHM_SEGMENT.findall(text)
    if len(segments) >= 3 and "/dev/shm" in text:
        return [f"/dev/shm lists {len(segments)} NCCL/PSM segments, e.g. "
                f"{segments[0].split()[-1]}: a crashed worker's segments stay in the pod's "
                "/dev/shm and fill it for the next start (clear /dev/shm before start)"]
    return []


def _xids_elsewhere(report: GpuReport, text: str) -> None:
    known = {xid for _, xid, _ in report.xids}
    for line in text.splitlines():
        for m in _XID_ELSEWHERE.finditer(line):
            xid = int(m.group("xid") or m.group("said"))
            if xid not in known:
                known.add(xid)
                report.xids.append((m.group("dev") or "unknown", xid, line.strip()[:300]))


def _short_pci(pci: str) -> str:
    """0000:b3:00.0 and b3:00 name the same GPU (Xid lines print the short form)."""
    pci = pci.lower().removeprefix("0000:")
    return pci[:-2] if pci.endswith(".0") else pci


# the hook's failures read by their own rows (_PLUGIN_LINES), not as the generic one
_HOOK_READ = re.compile(f"{_CDI_UNRESOLVED.pattern}|{_HOOK_DIRECT.pattern}")


def _read_line(report: GpuReport, line: str) -> None:
    for m in _WATCHDOG.finditer(line):
        stamp = f"{m.group('mmdd')} {m.group('time')}" if m.group("time") else ""
        report.timeouts.append(Timeout(int(m.group("rank")), int(m.group("seq"))
                                       if m.group("seq") else None, m.group("op"),
                                       int(m.group("timeout")), int(m.group("ran")), stamp,
                                       line[:300]))
    for m in _PROGRESS.finditer(line):
        report.progress[int(m.group("rank"))] = (int(m.group("work")), int(m.group("enq")),
                                                 int(m.group("done")))
    xid = _XID.search(line)
    if xid:
        report.xids.append((xid.group("pci"), int(xid.group("xid")), line[:300]))
    hami = hami_oom(line)
    if hami == "accounting":
        report.vgpu_accounting.append(line[:300])
    elif _CUDA_OOM.search(line) or _CUDA_OOM_SHORT.search(line) or hami:
        report.cuda_oom.append(line[:300])
    nvml = _NVML_INIT.search(line)
    if nvml:
        (report.nvml_mismatch if nvml.group("mismatch") else report.nvml_lost).append(line[:300])
    read = False
    for group in _LINE_FAULTS:  # in each group the first wording that matches
        field_name = next((name for patterns, name in group
                           if any(p.search(line) for p in patterns)), None)
        if field_name:
            getattr(report, field_name).append(line[:300])
            read = True
    if _HOST_GLIBC.search(line) and _NVIDIA_CONTEXT.search(line):
        report.host_glibc.append(line[:300])
    elif not read and _HOOK_FAILED.search(line) and not _HOOK_READ.search(line):
        report.hook_failed.append(line[:300])


# The GPU Operator's container toolkit writes the NVIDIA runtime into containerd's config and
# signals containerd to reload it over its socket (nvidia-container-toolkit tools/container
# containerd.go: "Error signaling containerd, attempt %v/%v: %v", "unable to dial: %v"; the
# same for Docker and CRI-O's restarts): a socket that does not exist or refuses is a
# containerd at another path than the toolkit was given (RKE2/k3s /run/k3s/containerd, microk8s
# /var/snap/microk8s/common/run), so the runtime the kubelet uses never gets the NVIDIA runtime
# (NVIDIA/gpu-operator#406: fixed with CONTAINERD_CONFIG and CONTAINERD_SOCKET). The retries
# spent, setup fails with `unable to restart containerd: %v` (cmd/nvidia-ctk-installer/container/
# runtime/containerd/containerd.go@v1.20.0:106, tools/container/containerd/containerd.go
# @v1.12.0:219; docker and crio alike) inside `unable to setup runtime: ...` and the pod restarts
_TOOLKIT_RUNTIME = re.compile(r"Error (?:signaling|restarting) (?:containerd|docker|crio)\b"
                              r"|Max retries reached \d+/\d+, aborting"
                              r"|unable to restart (?:containerd|docker|crio)\b", re.IGNORECASE)
# The NVIDIA binaries the GPU Operator installs on the host (its toolkit's nvidia-container-cli,
# the validators run through it) need a newer C library than the host has: the loader's
# `/lib64/libc.so.6: version `GLIBC_2.27' not found (required by ...)`, or a report quoting
# `GLIBC_2.27 not found`. Amazon Linux 2 ships glibc 2.26 and the GPU Operator does not support
# it: its EKS GPU AMI already has the driver and toolkit (awslabs/amazon-eks-ami#1892,
# NVIDIA/gpu-operator#755).
_HOST_GLIBC = re.compile(r"GLIBC_2\.\d+'?\s*(?:not found|is not found)", re.IGNORECASE)
_NVIDIA_CONTEXT = re.compile(r"nvidia|gpu[- ]operator|validator|container[- ]toolkit", re.I)


# The kubelet refusing a pod at admission because the device plugin could not allocate its
# devices (kubernetes pkg/kubelet/cm/admission/errors.go GetPodAdmitResult: reason
# UnexpectedAdmissionError, "Allocate failed due to %v, which is unexpected"; devicemanager's
# "requested number of devices unavailable for %s"; the plugin's own rpc errors, e.g. its
# GetPreferredAllocation failing on a lost GPU: NVIDIA/k8s-device-plugin#2038)
_DEVICE_ADMISSION = re.compile(r"\bUnexpectedAdmissionError\b|Allocate failed due to|"
                               r"requested number of devices unavailable for|"
                               r"GetPreferredAllocation rpc failed", re.IGNORECASE)


# libnvidia-container's hook cannot initialise NVML on the node before the container starts
# (`nvidia-container-cli: detection error: nvml error: unknown error`, and `initialization
# error` in later releases): the host side, not a container that lost its devices; "That
# usually points to a driver installation problem" (NVIDIA/nvidia-docker#1348, fixed by
# installing another driver release)
_HOOK_NVML_UNKNOWN = re.compile(r"nvidia-container-cli: (?:detection|initialization) error: "
                                r"nvml error: unknown error", re.IGNORECASE)


# The NVIDIA runtime's prestart hook failing as the runtime creates the container (`Running
# hook #0:: error running hook: exit status 1, stdout: , stderr: nvidia-container-cli: <stage>
# error: ...`, runc libcontainer; CRI-O `error running hook #0`), where no rule above reads
# its detail: the container never starts, and what follows `nvidia-container-cli:` says why
# (`container error: cgroup subsystem devices not found`: a cgroup v2 node before
# libnvidia-container 1.8.0, NVIDIA/k8s-device-plugin#235).
_HOOK_FAILED = re.compile(r"(?:error running hook|Running hook #\d+)[^\n]*?"
                          r"(?:nvidia-container-cli|nvidia-container-runtime-hook)|"
                          r"nvidia-container-cli: (?:container|mount|ldcache|detection) error",
                          re.I)


# (patterns, GpuReport field) groups: a line is one fault of each group at most (the driver
# absent before its libraries unloadable before a driver too old; NCCL without an interface
# before its transport failing)
_LINE_FAULTS: tuple[tuple[tuple[tuple[re.Pattern[str], ...], str], ...], ...] = (
    (((_NCCL_SHM,), "nccl_shm"),), (((_DEV_SHM,), "dev_shm"),), (((_ECC_UNCORRECTABLE,), "ecc"),),
    (((_INFOROM,), "inforom"),),
    (((_GPU_LOST,), "gpu_lost"),), (((_RM_INIT_FAILED,), "gpu_init_failed"),),
    (((_CUDA_REQUIREMENT,), "cuda_requirement"),),
    (((DRIVER_PACKAGES,), "driver_packages"),),
    (((DRIVER_BUILD,), "driver_build"),), (((DRIVER_LOAD,), "driver_load"),),
    (((_HOOK_NVML_UNKNOWN,), "driver_broken"),),
    (((DRIVER_ABSENT,), "driver_absent"), ((LIBS_NOT_VISIBLE,), "libs_not_visible"),
     ((DRIVER_TOO_OLD,), "driver_too_old")),
    (((DRIVER_SYMBOL,), "driver_symbol"),),
    (((NCCL_NO_INTERFACE,), "nccl_no_interface"), ((_NCCL_NET, _IB_ASYNC_FAULT), "nccl_net")),
    (((FABRIC_NOT_READY,), "fabric_not_ready"),),
    (((NVLS_BIND,), "nvls_bind"), ((NVLS_CUDA,), "nvls_cuda")), (((_OOMKILLED,), "oom_killed"),),
    (((_NODE_MEMORY,), "node_memory"),), (((_TOOLKIT_RUNTIME,), "toolkit_runtime"),),
    (((_DEVICE_ADMISSION,), "device_admission"),),
)


# nvidia-smi's header: the driver and the newest CUDA it supports; also `nvidia-smi -q`'s
# "Driver Version                            : 535.104.05" / "CUDA Version    : 12.2" lines and
# an environment list's "Driver Version: 515.65.01" (a full-width colon as typed on CJK
# keyboards)
_SMI_HEADER = re.compile(r"Driver Version\s*[:\uff1a]\s*(?P<driver>\d+)(?:\.\d+)*(?:\s+CUDA "
                         r"Version\s*[:\uff1a]\s*(?P<cuda>\d+)\.\d+)?", re.I)
# a CUDA runtime the paste names: an image tag (cuda:12.8.0, vectoradd-cuda11.6.0), CUDA's
# own "CUDA runtime version 12.8", a toolkit "CUDA 12.1"
_RUNTIME_CUDA = re.compile(r"(?:\bcuda[:-]?|CUDA runtime version\s*|\bCUDA\s+)(?P<major>\d{2})\.\d",
                           re.I)
# The oldest Linux driver of each CUDA major: any runtime of that major runs on it (CUDA's
# minor version compatibility, since CUDA 11; NVIDIA CUDA Compatibility guide, "Minor
# Version Compatibility": 11.x >= 450.80.02, 12.x >= 525.60.13, 13.x >= 580)
_DRIVER_MAJORS = ((580, 13), (525, 12), (450, 11))


def _driver_cuda_major(smi: re.Match[str]) -> int:
    """The CUDA major the nvidia-smi header's driver supports (0: a driver older than any)."""
    if smi.group("cuda"):
        return int(smi.group("cuda"))
    return next((major for least, major in _DRIVER_MAJORS if int(smi.group("driver")) >= least),
                0)


def _insufficient_despite_driver(report: GpuReport, text: str) -> None:
    """CUDA's "driver version is insufficient" beside the node's nvidia-smi showing a driver
    that runs every runtime of the CUDA major the paste names (or, none named, of CUDA 12 and
    later): the driver is new enough, so the container found no driver at all (no GPU
    requested, or started without the NVIDIA runtime) and CUDA says "insufficient" for that
    (SYSTRAN/faster-whisper#1259: driver 550 / CUDA 12.4, fixed by requesting nvidia.com/gpu;
    canonical/microk8s-core-addons#400)."""
    smi = _SMI_HEADER.search(text)
    if not report.driver_too_old or report.libs_not_visible or smi is None:
        return
    driver = _driver_cuda_major(smi)
    named = [int(m.group("major")) for m in _RUNTIME_CUDA.finditer(text)
             if not smi.start() <= m.start() < smi.end()]
    if driver and ((named and max(named) <= driver) or (not named and driver >= 12)):
        report.libs_not_visible, report.driver_too_old = report.driver_too_old, []


def _insufficient_on_every_driver(report: GpuReport, text: str) -> None:
    """CUDA's "insufficient" with several driver versions failing alike: no libcuda reached
    the container (_tshoot/cuda_insufficient.py)."""
    if not report.driver_too_old or report.libs_not_visible:
        return
    said = cuda_insufficient.across_drivers(text)
    if said:
        report.libs_not_visible, report.driver_too_old = report.driver_too_old + [said], []


def _insufficient_on_volume_mount_node(report: GpuReport, text: str) -> None:
    """CUDA's "insufficient" on a Bottlerocket Kubernetes NVIDIA node: its driver (branch 535 or
    later) runs every CUDA 12 runtime and its toolkit injects the driver only for GPUs its own
    device plugin passed as volume mounts, so the container got no libcuda
    (_tshoot/gpu_node_image.py); a CUDA 13 or later runtime named keeps the driver-too-old
    reading."""
    if not report.driver_too_old or report.libs_not_visible:
        return
    node = gpu_node_image.volume_mount_node(text)
    if node and not any(int(m.group("major")) > 12 for m in _RUNTIME_CUDA.finditer(text)):
        report.libs_not_visible = report.driver_too_old + [f"the node image: {node}"]
        report.driver_too_old = []


def laggards(report: GpuReport, world: int | None = None) -> tuple[list[int], str]:
    """(suspect ranks, why): which rank fell behind first.

    Every rank that reports a watchdog timeout was WAITING in a collective; the one that
    made the others wait is (a) a rank of the job that reports nothing (it crashed, hung
    outside NCCL, or is stuck in its own data loading), else (b) the rank whose collective
    sequence number is lowest (it is behind: a desync, some ranks ran an extra collective),
    else (c) nobody stands out: all timed out at the same collective (network or a GPU stall
    on a peer - look at the Xid and NCCL WARN lines)."""
    reporting = sorted({t.rank for t in report.timeouts} | set(report.progress))
    if not reporting:
        return [], ""
    if world:
        silent = [r for r in range(world) if r not in reporting]
        if silent:
            return silent, (f"ranks {reporting} timed out waiting; rank(s) {silent} of "
                            f"{world} never reported: they left the collective first")
    seqs: dict[int, int] = {}
    for t in report.timeouts:
        if t.seq is not None:
            seqs[t.rank] = min(seqs.get(t.rank, t.seq), t.seq)
    for rank, (work, _, _) in report.progress.items():
        seqs[rank] = min(seqs.get(rank, work), work)
    if len(set(seqs.values())) > 1:
        low = min(seqs.values())
        behind = sorted(r for r, s in seqs.items() if s == low)
        return behind, (f"rank(s) {behind} are at collective #{low}, others at "
                        f"#{max(seqs.values())}: they fell behind (desynchronised "
                        "collectives or a rank stuck before the call)")
    if world is None and reporting != list(range(len(reporting))):
        gaps = [r for r in range(max(reporting) + 1) if r not in reporting]
        if gaps:
            return gaps, (f"ranks {reporting} timed out waiting; rank(s) {gaps} are absent "
                          "from the paste: if they belong to the job, they left first")
    return [], (f"all {len(reporting)} reporting ranks timed out at the same collective: "
                "no rank stands out in these logs")
