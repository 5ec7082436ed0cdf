"""The NVIDIA kernel module's own words on why no GPU comes up: the loaded module does not
support the GPU (the wrong flavour, open vs proprietary, or a release that does not know it),
and DKMS failing to build the nvidia module for the node's kernel. Both are the driver, not
the GPU: a `RmInitAdapter failed!` beside them is their consequence (gpu.py _RM_INIT_FAILED).

- The proprietary nvidia.ko on a GPU that only the open kernel modules drive (Blackwell and
  some Hopper systems): `NVRM: The NVIDIA GPU <pci> (PCI ID: 10de:<id>)` then `NVRM: installed
  in this system requires use of the NVIDIA open kernel modules.` and `RmInitAdapter failed!
  (0x22:0x56:...)`. The proprietary module's source is not published, so this wording is cited
  from the kernel logs in awslabs/amazon-eks-ami#2768 / PR #2769 (AL2023 NVIDIA AMI v20260709,
  driver 580.159.03, loading the proprietary module on a g7 GPU whose PCI ID its open-module
  list lacked; fixed by adding the ID). Its GH200 sibling reads `... is self-hosted, and
  requires` / `NVRM: use of the NVIDIA open kernel modules.`, split over two lines.
- The open nvidia.ko on a GPU without GSP (before Turing): `NVRM: installed in this system is
  not supported by open` / `NVRM: nvidia.ko because it does not include the required GPU` /
  `NVRM: System Processor (GSP).` (open-gpu-kernel-modules 595.45.04 src/nvidia/arch/nvalloc/
  unix/src/osapi.c:3712, rm_is_supported_device; the vGPU host form :3734).
- A GPU the release does not know: `NVRM: installed in this system is not supported by the` /
  `NVRM: NVIDIA <version> driver release.` (osapi.c@595.45.04:3749, print_unsupported).
- DKMS building the nvidia module: nvidia-installer's `Failed to run `%s`: %s` around
  `<dkms> build -m nvidia -v <version> -k <kernel>` (NVIDIA/nvidia-installer misc.c@418.43:2706
  run_dkms, DKMS_BUILD through 515.105.01; Azure/aks-engine#3269: driver 418.40.04 on a
  5.3.0-1020-azure kernel, fixed by driver 418.126.02 in aks-engine#3366) is gpu.DRIVER_BUILD;
  dkms's own `Bad return status for module build on kernel: <kernel> (<arch>)` with `Consult
  <dkms tree>/nvidia/<version>/build/make.log for more information.` (dell/dkms dkms@v2.8.1:1352,
  dkms.in@v3.2.2:1465) is read here, where the make.log path names the module.
- The module built with an older compiler than the kernel's (compiler_older): the kernel's own
  external-module warning `warning: the compiler differs from the one used to build the
  kernel` / `  The kernel was built by: <CONFIG_CC_VERSION_TEXT>` / `  You are using:
  <CC_VERSION_TEXT>` (linux top-level Makefile, the KBUILD_EXTMOD `prepare` target, v6.1), and
  NVIDIA's conftest.sh cc_version_check (open-gpu-kernel-modules 595.45.04 kernel-open/
  conftest.sh:5253-5275): `Warning: The kernel was built with <kernel cc>, but the current
  compiler version is <cc --version>.` (just_msg) or `The major and minor number of the
  compiler used to compile the kernel: <kernel cc> does not match the compiler used here:
  <cc --version>` (full_output). An older major gcc than the kernel's cannot take the flags
  the kernel's build passes, so the module does not build: NVIDIA/gpu-operator#564 (the GCP
  Ubuntu 22.04 kernel 5.19.0-*-gcp built by gcc-12, the driver image's gcc 11), fixed by
  installing gcc-12 in the driver image (NVIDIA/gpu-driver-container ubuntu22.04/Dockerfile
  @06a208c:96, "Kernels with versions 5.19.x and 6.5.x need gcc 12.3.0 for compilation").
"""
from __future__ import annotations

import re

# the lines of one kernel message, each after an optional dmesg stamp / journal prefix and
# its own `NVRM:`: the flattened text keeps those tokens, so allow a few between the words
_GAP = r"(?:\S+\s+){0,6}?"
UNSUPPORTED_GPU = re.compile(
    r"requires\s+" + _GAP + r"use of the NVIDIA open kernel modules|"
    r"is not supported by open\s+" + _GAP + r"nvidia\.ko|"
    r"is not supported by the\s+" + _GAP + r"NVIDIA \S+ driver release", re.I)
# dkms's build failure and, on the lines after it, the make.log it points to: the module's
# name is in that path
_DKMS_BUILD = re.compile(r"Bad return status for module build on kernel", re.I)
_DKMS_NVIDIA_LOG = re.compile(r"/dkms/nvidia(?:-\w+)?/[^/\s]+/\S*make\.log", re.I)


# the three wordings of "the kernel's compiler, then the one in use"
_CC_KERNEL = re.compile(r"The kernel was built by:\s*(.+?)\s+You are using:\s*(.+?)"
                        r"(?=\s*(?:```|$|warning:|\*\*\*|\n\s*\n))", re.I | re.S)
_CC_NVIDIA = re.compile(r"The kernel was built with\s+(.+?),\s+but the current compiler version is"
                        r"\s+(.+?)\.?\s*$", re.I | re.M)
_CC_NVIDIA_FULL = re.compile(r"compiler used to\s+compile the kernel:\s*(.+?)\s*does not match the "
                             r"compiler used here:\s*(.+?)\s*(?:Copyright|It is recommended|$)",
                             re.I | re.S)
_CC_VERSION = re.compile(r"\b(\d+)\.\d+(?:\.\d+)?\b")
_CLANG = re.compile(r"\bclang\b", re.I)


def _cc_major(said: str) -> int | None:
    m = _CC_VERSION.search(said)
    return int(m.group(1)) if m else None


def compiler_older(text: str) -> list[str]:
    """The kernel's or nvidia-installer's compiler-mismatch warning when the compiler in use is
    of an older major release than the kernel's (the module build fails on the kernel's flags);
    [] when they agree, the one in use is newer, or they are different compilers."""
    for rx in (_CC_KERNEL, _CC_NVIDIA, _CC_NVIDIA_FULL):
        for m in rx.finditer(text):
            kernel, used = (" ".join(g.split()) for g in m.groups())
            if bool(_CLANG.search(kernel)) != bool(_CLANG.search(used)):
                continue
            k, u = _cc_major(kernel), _cc_major(used)
            if k is not None and u is not None and k > u:
                return [f"the kernel was built by: {kernel[:160]}", f"in use: {used[:160]}"]
    return []


def unsupported_gpu(text: str) -> list[str]:
    """The kernel module's lines saying it does not support the GPU (at most two: the message
    and the GPU line before it); [] when the log does not say so."""
    lines = [line.strip() for line in text.splitlines()]
    found = [i for i, line in enumerate(lines) if UNSUPPORTED_GPU.search(line)]
    if not found:  # a message split over NVRM lines: read the words with the breaks as spaces
        flat = " ".join(text.split())
        m = UNSUPPORTED_GPU.search(flat)
        return [flat[max(0, m.start() - 80):m.end()].strip()[:300]] if m else []
    first = found[0]
    before = [lines[first - 1][:300]] if first and "NVIDIA GPU" in lines[first - 1] else []
    return before + [lines[first][:300]]


def dkms_build_failed(text: str) -> list[str]:
    """dkms's build failure whose make.log (on the next lines) is the nvidia module's; a build
    of another module (zfs, a NIC driver) is not the GPU's; [] otherwise."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if not _DKMS_BUILD.search(line):
            continue
        log = next((nxt for nxt in lines[i:i + 3] if _DKMS_NVIDIA_LOG.search(nxt)), None)
        if log:
            return list(dict.fromkeys([line[:300], log[:300]]))
    return []
