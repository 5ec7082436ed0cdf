"""The `kind` provider: a kind cluster, where a Docker engine exists, with the domain CRDs
installed (Kueue from its release manifest, by the user: see README, Providers)."""
from __future__ import annotations

import shutil
import subprocess

from harness.cluster import crds
from harness.cluster.providers.kubeconfig import Remembered
from harness.cluster.providers.registry import RETAIN, register
from harness.errors import UserError


@register("kind", options=(RETAIN,))
class KindCluster(Remembered):
    """kind, needs a Docker engine"""

    provider = "kind"

    def up(self, retain: bool = False) -> bool:
        """retain: `kind create cluster --retain` (kind keeps the node containers of a
        failed create) and we keep the cluster's state; otherwise a failure removes what
        this call made (a kind cluster of that name that already existed is left alone)."""
        _require_docker()
        kind = shutil.which("kind")
        if not kind:
            raise UserError("the kind provider needs the `kind` command: "
                            "go install sigs.k8s.io/kind@latest, then retry")
        kubeconfig = self.dir / "kubeconfig"
        self.dir.mkdir(parents=True, exist_ok=True)
        created = False
        try:
            proc = subprocess.run([kind, "create", "cluster", "--name", self.name,
                                   "--kubeconfig", str(kubeconfig)]
                                  + (["--retain"] if retain else []), capture_output=True,
                                  text=True, timeout=600)
            if proc.returncode != 0 and "already exist" not in proc.stderr:
                raise UserError(f"kind create cluster failed: {proc.stderr.strip()[-300:]}")
            created = proc.returncode == 0
            self._remember(str(kubeconfig), None)
            self.kubectl().apply(crds.objects())
        except BaseException:
            if retain:
                self._remember(str(kubeconfig), None, phase="failed")
            elif created:
                self.down()
            else:  # kind removes the nodes of a create it failed itself
                shutil.rmtree(self.dir, ignore_errors=True)
            raise
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

    def logs(self) -> str:
        return f"`kind export logs --name {self.name}`"


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
