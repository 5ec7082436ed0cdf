"""What a failed pull of a GPU Operator driver image means beyond triage's image_pull.

The GPU Operator never takes the driver image's tag from the user whole: it appends the GPU
nodes' OS tag to driver.version, `image = fmt.Sprintf("%s-%s", image, n.gpuNodeOSTag)`
(NVIDIA/gpu-operator controllers/object_controls.go@v26.7.0 resolveDriverTag; v25.3.2 alike),
where the OS tag is NFD's os_release ID and VERSION_ID run together, `osTag :=
fmt.Sprintf("%s%s", osName, osVersion)` (controllers/state_manager.go@v26.7.0, the major version
only for rhel, rocky and ol; object_controls.go@v25.3.2:701). So `driver:<version>-<os><version>` not found means NVIDIA
publishes no driver image of that release for that OS release (NVIDIA/gpu-operator#1623: a
COS node's tag): the registry's NotFound itself says so, the tag is not a typo to fix.
"""
from __future__ import annotations

import re

# <registry>/<path>/driver:<driver version>-<os id><os version>, as resolveDriverTag builds it
# (a digest, "@sha256:", gets no OS tag and is not read here)
_DRIVER_IMAGE = re.compile(r"(?:^|/)driver:(?P<version>\d+(?:\.\d+)+)-(?P<os>[a-z]+[\d.]+)$")


def driver_tag_note(image: str, kind: str) -> tuple[str, str] | None:
    """(message tail, fix) for a GPU Operator driver image whose tag is not published; None
    for any other image or pull failure.

    >>> driver_tag_note("registry.example/nvidia/driver:550.90.07-ubuntu22.04",
    ...                 "tag or repository not found")[0][:44]
    '; the GPU Operator builds the driver image t'
    >>> driver_tag_note("registry.example/app:1.0-alpine3", "tag or repository not found")
    """
    found = _DRIVER_IMAGE.search(image or "")
    if not found or kind != "tag or repository not found":
        return None
    version, os_tag = found.group("version"), found.group("os")
    return (f"; the GPU Operator builds the driver image tag as <driver.version>-<OS ID><OS "
            f"VERSION_ID> of the GPU nodes, so no driver image {version} is published for "
            f"{os_tag}",
            "pick a driver.version whose image is published for this OS release (list the "
            "driver repository's tags ending in -" + os_tag + "), or, where NVIDIA publishes "
            "no driver image for the OS (a managed node image that installs its own driver), "
            "install the driver the platform's way and set driver.enabled=false in the "
            "ClusterPolicy (Helm --set driver.enabled=false); then delete the driver pod")
