"""Where the cluster's cached binaries and per-cluster state live (outside the repo)."""
from __future__ import annotations

import os
from pathlib import Path

from harness import pins


def cache_root() -> Path:
    """Binaries are cached by version here; override with K8S_SKILLS_CACHE."""
    base = os.environ.get("K8S_SKILLS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "k8s-skills")
    return Path(base)


def versions_dir() -> Path:
    return cache_root() / pins.cache_key()


def bin_dir() -> Path:
    return versions_dir() / "bin"


def state_root() -> Path:
    """Per-cluster state (certs, kubeconfig, logs, pids); override with K8S_SKILLS_STATE."""
    base = os.environ.get("K8S_SKILLS_STATE") or os.path.join(
        os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state"), "k8s-skills")
    return Path(base) / "clusters"


def cluster_dir(name: str) -> Path:
    return state_root() / name
