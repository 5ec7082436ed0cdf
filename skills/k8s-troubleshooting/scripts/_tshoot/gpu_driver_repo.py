"""The GPU Operator's driver container cannot update its apt package cache, so it never installs
the kernel headers it builds the NVIDIA kernel module with: no driver is built on the node.

The Ubuntu driver container updates apt's cache before anything else, under `set -eu`
(NVIDIA/gpu-driver-container ubuntu20.04/nvidia-driver@90336c1:4 and :25-28
_update_package_cache: `apt-get -qq update`), so a failed update ends the container; since
2026-01 it says so itself: "ERROR: Failed to update package cache. Ensure that the cluster can
access the proper networks." (ubuntu22.04/nvidia-driver@06a208c:43, added in b5573b6).

apt fails the update of a repository whose signature it cannot check, with the reason from its
gpgv method: "W: GPG error: <uri> <suite> InRelease: The following signatures couldn't be
verified because the public key is not available: NO_PUBKEY <key>", or "The following signatures
were invalid: EXPKEYSIG <key> ..." (an expired key), then "E: The repository '<uri> InRelease'
is not signed." (apt 2.6.1: apt-pkg/acquire-item.cc "GPG error: %s: %s" and "The repository
'%s' is not signed.", methods/gpgv.cc). NVIDIA replaced the signing key of its CUDA repositories
in April 2022 (the new key 3bf863cc); driver images built before kept the CUDA apt source with
only the old key, so their update failed on every node: the driver images were rebuilt with the
new key and without the CUDA repository "to avoid GPG errors" (NVIDIA/gpu-driver-container
90336c1 "Update GPG keys for CUDA repo", 2022-04-29; ubuntu22.04/Dockerfile@06a208c:16), and
the GPU Operator releases after it ship those images (canonical/microk8s-core-addons#44 moved
the microk8s addon from GPU Operator v1.8.2 to v1.10.1 for it).

apt's lines alone are no GPU fault (building any image from a CUDA base image says the same):
they count only in a paste about the driver container.
"""
from __future__ import annotations

import re

# apt refusing a repository's signature (either reason), and the repository it then calls
# unsigned
_APT_SIGNATURE = re.compile(r"GPG error: \S+[^\n]{0,160}?(?:NO_PUBKEY|EXPKEYSIG|public key is not "
                            r"available|signatures were invalid)|"
                            r"The repository '[^'\n]+' is not signed", re.I)
# the driver container's own words for any failed update (network, proxy, signature)
_CACHE_FAILED = re.compile(r"ERROR: Failed to update package cache", re.I)
# a paste about the GPU driver container: named in words, by its container or DaemonSet, or by
# the lines its nvidia-driver script prints before the update (`init`: "========== NVIDIA
# Software Installer ==========", "Starting installation of NVIDIA driver version ...",
# ubuntu20.04/nvidia-driver@90336c1:516-517)
_DRIVER_CONTAINER = re.compile(r"\bdriver[- ]?(?:containers?|ctr|daemonsets?|pods?)\b|"
                               r"nvidia-driver-(?:ctr|daemonset)|NVIDIA Software Installer|"
                               r"Starting installation of NVIDIA driver", re.I)


def lines(text: str) -> list[str]:
    """The apt lines (or the driver container's own ERROR) saying the driver container could
    not update its package cache, in a paste about the driver container; [] else."""
    if not _DRIVER_CONTAINER.search(text):
        return []
    found = [" ".join(line.split())[:300] for line in text.splitlines()
             if _APT_SIGNATURE.search(line) or _CACHE_FAILED.search(line)]
    return list(dict.fromkeys(found))[:3]
