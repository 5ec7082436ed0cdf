"""The node's container runtime is not running: its own exit, its service's exit, or its CRI
socket refusing the kubelet.

Without a runtime answering, the kubelet's runtime status check fails ("Container runtime
sanity check failed", kubernetes v1.37.2 pkg/kubelet/kubelet.go:3328) and after the sync
threshold its Ready condition says "container runtime is down" (pkg/kubelet/runtime.go:129):
the node goes NotReady, and every pod on it fails on the way (no sandbox, no runtime handler,
no container). So the runtime being down explains the pods' errors pasted beside it
(NVIDIA/aicr#1688: a toolkit-written drop-in made containerd exit; pods first said `no runtime
for "nvidia" is configured`, then the socket refused).

Wordings:
- containerd exits on a config it cannot load, printed `containerd: <err>` by cmd/containerd/
  main.go (v1.4.0:34 .. v2.3.4:31); a drop-in whose version is above the root config's:
  cmd/containerd/server/config/config.go@v2.3.0..v2.3.4:480 "drop-in config version %d higher
  than root config version %d" (added by containerd 21248d0, reverted on main a8ed546); a file
  it cannot parse: config.go@v2.3.4:523 "failed to load TOML from %s: %w", loadConfigFile
  "failed to unmarshal TOML ...", ValidateVersion :127 "expected containerd config version
  equal to or less than ...", the same two TOML wordings in v1.7.0 services/server/config/
  config.go:232,247.
- systemd's line when a service's main process dies: src/core/service.c service_sigchld_event
  "Main process exited, code=%s, status=%i/%s" prefixed with the unit name; only the runtime
  units (containerd, crio, cri-docker) and a non-zero status or a signal.
- the CRI socket refusing: Go's net.OpError "dial unix PATH: connect: connection refused" (the
  socket file is there, nobody listens), inside the CRI client's gRPC error; the runtimes'
  default sockets (containerd, k3s's containerd, CRI-O, cri-dockerd, the old dockershim).
  (docker.sock is left out: a pod talking to a Docker daemon is not the kubelet's runtime;
  "no such file or directory" is left out: more often a wrong path than a dead runtime.)
"""
from __future__ import annotations

import re

_CONTAINERD_CONFIG = (r"drop-in config version \d+ higher than root config version \d+"
                      r"|containerd: (?:failed to load TOML|failed to unmarshal TOML"
                      r"|expected containerd config version)")
_UNIT_EXIT = (r"\b(?:containerd|crio|cri-docker)\.service: Main process exited, "
              r"code=(?:exited, status=(?!0/)\d+|killed|dumped)")
_SOCKET_REFUSED = (r"dial unix (?:/var)?/run/(?:containerd/containerd|k3s/containerd/containerd"
                   r"|crio/crio|cri-dockerd|dockershim)\.sock: connect: connection refused")
RUNTIME_DOWN = re.compile("|".join((_CONTAINERD_CONFIG, _UNIT_EXIT, _SOCKET_REFUSED)), re.I)
# the runtime's own reason, quoted first when the paste also has its unit's exit or the socket
OWN_REASON = re.compile(_CONTAINERD_CONFIG, re.I)


def runtime_down(text: str) -> str:
    """The words that say the node's container runtime is not running ("" when none)."""
    m = RUNTIME_DOWN.search(text or "")
    return m.group(0) if m else ""
