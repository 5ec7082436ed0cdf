"""Cluster providers: `local` (default), `kubeconfig` (an existing context), `kind`.

A named cluster remembers its provider in <state>/clusters/<name>/state.json, so `down`,
`status` and `env` need only the name.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from harness.cluster import crds, paths
from harness.cluster.kubectl import Kubectl
from harness.cluster.local import LocalCluster
from harness.errors import UserError

PROVIDERS = ("local", "kubeconfig", "kind")


def open_cluster(name: str, log=None):
    """The provider object of an existing (or to-be-created local) cluster."""
    state = _read_state(name)
    kind = state.get("provider", "local")
    if kind == "kubeconfig":
        return KubeconfigCluster(name, log)
    if kind == "kind":
        return KindCluster(name, log)
    return LocalCluster(name, log)


def new_cluster(provider: str, name: str, log=None):
    return {"local": LocalCluster, "kubeconfig": KubeconfigCluster,
            "kind": KindCluster}[provider](name, log)


def _read_state(name: str) -> dict:
    try:
        return json.loads((paths.cluster_dir(name) / "state.json").read_text())
    except (OSError, ValueError):
        return {}


class _Remembered:
    """A cluster we did not start: we remember how to reach it and never delete it."""
    provider = "?"

    def __init__(self, name: str, log=None):
        self.name = name
        self.dir = paths.cluster_dir(name)
        self.log = log or (lambda message: None)

    def state(self) -> dict:
        return _read_state(self.name)

    @property
    def kubeconfig(self) -> Path:
        return Path(self.state().get("kubeconfig", ""))

    def kubectl(self) -> Kubectl:
        return Kubectl(self.kubeconfig, self.state().get("context"), _any_kubectl())

    def is_running(self) -> bool:
        return bool(self.state()) and self.kubectl().ok("get", "--raw", "/readyz")

    def _remember(self, kubeconfig: str, context: str | None) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "state.json").write_text(json.dumps({
            "name": self.name, "provider": self.provider, "phase": "running",
            "kubeconfig": kubeconfig, "context": context}, indent=1))


class KubeconfigCluster(_Remembered):
    """An existing cluster: how users outgrow one machine. `down` only forgets it."""
    provider = "kubeconfig"

    def up(self, kubeconfig: str | None = None, context: str | None = None, **_) -> bool:
        path = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] \
            or os.path.expanduser("~/.kube/config")
        if not Path(path).is_file():
            raise UserError(f"kubeconfig {path} does not exist: pass --kubeconfig PATH")
        probe = Kubectl(Path(path), context, _any_kubectl())
        if not probe.ok("get", "--raw", "/readyz", timeout=15):
            raise UserError(f"the cluster of context {context or '(current)'} in {path} does "
                            "not answer /readyz: check the context and your credentials")
        self._remember(str(Path(path).resolve()), context)
        return True

    def down(self) -> int:
        shutil.rmtree(self.dir, ignore_errors=True)
        return 0


class KindCluster(_Remembered):
    """kind, where a Docker engine exists; installs the domain CRDs into it."""
    provider = "kind"

    def up(self, **_) -> bool:
        _require_docker()
        kind = shutil.which("kind")
        if not kind:
            raise UserError("the kind provider needs the `kind` command: "
                            "go install sigs.k8s.io/kind@latest, then retry")
        kubeconfig = self.dir / "kubeconfig"
        self.dir.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([kind, "create", "cluster", "--name", self.name,
                               "--kubeconfig", str(kubeconfig)], capture_output=True,
                              text=True, timeout=600)
        if proc.returncode != 0 and "already exist" not in proc.stderr:
            raise UserError(f"kind create cluster failed: {proc.stderr.strip()[-300:]}")
        self._remember(str(kubeconfig), None)
        self.kubectl().apply(crds.objects())
        self.log("kind cluster ready with the domain CRDs; install Kueue with its release "
                 "manifest (see README: Providers)")
        return True

    def down(self) -> int:
        kind = shutil.which("kind")
        if kind:
            subprocess.run([kind, "delete", "cluster", "--name", self.name],
                           capture_output=True, timeout=300)
        shutil.rmtree(self.dir, ignore_errors=True)
        return 0


def _require_docker() -> None:
    docker = shutil.which("docker")
    if not docker:
        raise UserError("the kind provider needs Docker and none is installed: use the "
                        "default provider (`--provider local`), which needs no Docker")
    try:
        ok = subprocess.run([docker, "info"], capture_output=True, timeout=20).returncode == 0
    except subprocess.TimeoutExpired:
        ok = False
    if not ok:
        raise UserError("the kind provider needs a running Docker engine and `docker info` "
                        "found none: start Docker, or use `--provider local` (no Docker)")


def _any_kubectl() -> str:
    from harness.cluster import build
    ours = build.binary("kubectl")
    if ours.is_file():
        return str(ours)
    found = shutil.which("kubectl")
    if not found:
        raise UserError("kubectl not found: run `k8s-skills cluster build` or install kubectl")
    return found
