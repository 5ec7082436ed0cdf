"""The `kubeconfig` provider: an existing cluster, reached through a kubeconfig context (how
users outgrow one machine). `up` only checks and remembers it, `down` only forgets it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from harness.cluster import paths, state_json
from harness.cluster.health import ComponentHealth
from harness.cluster.kubectl import Kubectl, find_executable
from harness.cluster.providers.registry import (Log, Option, apiserver_health, node_inventory,
                                                read_state, register)
from harness.errors import UserError

KUBECONFIG = Option("--kubeconfig", "kubeconfig", metavar="FILE",
                    help="the file (default: the first of $KUBECONFIG, else ~/.kube/config)")
CONTEXT = Option("--context", "context", help="the context (default: the current one)")


class Remembered:
    """A cluster we did not start: we remember how to reach it and never delete it."""

    provider = "?"

    def __init__(self, name: str, log: Log | None = None):
        self.name = name
        self.dir = paths.cluster_dir(name)
        self.log: Log = log or (lambda message: None)

    def state(self) -> dict[str, Any]:
        return read_state(self.name)

    @property
    def kubeconfig(self) -> Path:
        return Path(self.state().get("kubeconfig", ""))

    def kubectl(self) -> Kubectl:
        return Kubectl(self.kubeconfig, self.state().get("context"), find_executable())

    def is_running(self) -> bool:
        return bool(self.state()) and self.kubectl().ok("get", "--raw", "/readyz")

    def status(self) -> list[ComponentHealth]:
        return [apiserver_health(self.kubectl())]

    def inventory(self) -> dict[str, int]:
        return node_inventory(self.kubectl())

    def logs(self) -> str:
        return ""

    def _remember(self, kubeconfig: str, context: str | None, phase: str = "running") -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        state_json.write(self.dir / "state.json", {
            "name": self.name, "provider": self.provider, "phase": phase,
            "kubeconfig": kubeconfig, "context": context})


@register("kubeconfig", options=(KUBECONFIG, CONTEXT))
class KubeconfigCluster(Remembered):
    """an existing cluster (`down` only forgets it)"""

    provider = "kubeconfig"

    def up(self, kubeconfig: str | None = None, context: str | None = None) -> bool:
        path = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] \
            or os.path.expanduser("~/.kube/config")
        if not Path(path).is_file():
            raise UserError(f"kubeconfig {path} does not exist: pass --kubeconfig PATH")
        probe = Kubectl(Path(path), context, find_executable())
        if not probe.ok("get", "--raw", "/readyz", timeout=15):
            raise UserError(f"the cluster of context {context or '(current)'} in {path} does "
                            "not answer /readyz: check the context and your credentials")
        self._remember(str(Path(path).resolve()), context)
        return True

    def down(self) -> int:
        shutil.rmtree(self.dir, ignore_errors=True)
        return 0
