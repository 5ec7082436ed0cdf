"""Debian packages the real node needs, installed by the project's own setup.

containerd and runc run the containers, containernetworking-plugins wires them, iptables and
conntrack serve kube-proxy, busybox-static is the base layer of the local images. `cluster
build` installs whatever is missing with apt-get when it runs as root on Debian; elsewhere it
says in one line what is missing and carries on (`cluster up --no-real-node` still works).

The same way, `cluster build` installs SANDBOX: the Claude Code CLI runs the agent's Bash
inside bubblewrap, which needs `bwrap` and `socat` (harness/evals/agents/claude_env.py);
without them every Claude Code run, scripted or real, stops before its first turn.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

# package -> a file it installs that the node uses
PACKAGES = {
    "containerd": "/usr/bin/containerd",
    "runc": "/usr/sbin/runc",
    "containernetworking-plugins": "/usr/lib/cni/bridge",
    "iptables": "/usr/sbin/iptables",
    "conntrack": "/usr/sbin/conntrack",
    "busybox-static": "/bin/busybox",
}
# package -> the command Claude Code's subprocess sandbox runs
SANDBOX = {
    "bubblewrap": "/usr/bin/bwrap",
    "socat": "/usr/bin/socat",
}
# Commands from util-linux and iproute2 (present on any Debian) the node also runs.
COMMANDS = ("unshare", "nsenter", "mount", "ip")


def missing(packages: dict[str, str] = PACKAGES) -> list[str]:
    return [name for name, path in packages.items() if not Path(path).exists()]


def missing_commands() -> list[str]:
    return [c for c in COMMANDS if not shutil.which(c, path=_path())]


def ensure(log: Callable[[str], object], packages: dict[str, str] = PACKAGES,
           user: str = "the real node") -> bool:
    """Install missing packages when possible; True when all of `packages` are present.
    `user` names what needs them, in the log lines."""
    todo = missing(packages)
    if not todo:
        return True
    why = _cannot_install()
    if why:
        fallback = ("; `cluster up --no-real-node` works without them"
                    if packages is PACKAGES else "")
        log(f"{user}: skipped installing {' '.join(todo)} ({why}){fallback}")
        return False
    log(f"installing {' '.join(todo)} with apt-get ({user} needs them)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    argv = ["apt-get", "install", "-y", "--no-install-recommends", *todo]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env)
    if proc.returncode != 0:   # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update"], capture_output=True, timeout=900, env=env)
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        log(f"{user}: apt-get install failed ({last})")
        return False
    return not missing(packages)


def problems() -> list[str]:
    """Why the real node cannot start here (empty when it can)."""
    out = []
    if os.geteuid() != 0:
        out.append("it needs root (namespaces, cgroups, a veth pair)")
    if missing():
        out.append(f"packages missing: {' '.join(missing())} "
                   "(`k8s-skills cluster build` installs them as root)")
    if missing_commands():
        out.append(f"commands missing: {' '.join(missing_commands())}")
    return out


def _cannot_install() -> str:
    if os.geteuid() != 0:
        return "not root"
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    return ""


def _path() -> str:
    return os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
