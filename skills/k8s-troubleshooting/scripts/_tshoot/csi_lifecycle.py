"""A CSI volume refused because the driver's CSIDriver object does not allow its lifecycle mode.

Before it calls the driver, the kubelet's CSI mounter checks the volume's mode (an inline `csi:`
volume in the pod is Ephemeral, a PersistentVolume is Persistent) against the CSIDriver object
of that name: without a CSIDriver object only Persistent volumes pass, with one the mode must
be listed in spec.volumeLifecycleModes (kubernetes v1.37.2 pkg/volume/csi/csi_mounter.go:536-
563 supportsVolumeLifecycleMode, "volume mode %q not supported by driver %s (no CSIDriver
object)" / "(only supports %q)"; SetUpAt wraps it at :123 as "mounter.SetupAt failed to check
volume lifecycle mode: %s", and the kubelet's FailedMount event as "MountVolume.SetUp failed for
volume ..."). Users often paste only the tail. No CSIDriver of that name usually means the
driver is not installed under the name the pod uses: kubernetes-sigs/secrets-store-csi-driver
#1135 (installed with another --driver-name while the pod's volume named the default).
"""
from __future__ import annotations

import re
from typing import Any

# the mode is printed with %q (quoted); a paste may carry the quotes JSON-escaped
SAID = re.compile(r"volume mode \\?\"?(?P<mode>\w+)\\?\"? not supported by driver (?P<driver>\S+)"
                  r" \((?:(?P<none>no CSIDriver object)|only supports (?P<modes>[^)]*))\)", re.I)


def detail(text: str) -> dict[str, Any] | None:
    """The mount report's detail (with its own headline and fix), or None."""
    m = SAID.search(text)
    if not m:
        return None
    mode, driver = m.group("mode"), m.group("driver")
    if m.group("none"):
        return {"csi_mode": mode, "message_fix": (
            f"the kubelet finds no CSIDriver object named {driver}, and without one a CSI "
            f"driver serves only PersistentVolumes, so its {mode} (inline csi) volume is not "
            "mounted",
            f"check the driver is installed under that exact name: kubectl get csidriver (an "
            f"install given another driver name registers that name instead); make the pod's "
            f"volumes[].csi.driver equal the installed CSIDriver's name, or install the driver "
            f"as {driver} (its CSIDriver must list {mode} in spec.volumeLifecycleModes)")}
    modes = m.group("modes").strip().strip("\"'")
    use = ("a PersistentVolumeClaim bound to a PV of that driver instead of an inline csi volume"
           if mode.lower() == "ephemeral" else "an inline csi volume in the pod instead of a PV")
    return {"csi_mode": mode, "message_fix": (
        f"CSI driver {driver}'s CSIDriver object allows only {modes} volumes "
        f"(spec.volumeLifecycleModes), not this {mode} one",
        f"use the volume the way the driver supports it ({use}), or, if the driver supports "
        f"{mode} volumes, add {mode} to its CSIDriver's spec.volumeLifecycleModes through the "
        "driver's install (the field is immutable: the CSIDriver is re-created)")}
