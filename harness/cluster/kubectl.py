"""The cluster's own kubectl (built from the pinned Kubernetes), run with a timeout."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from harness.cluster import build
from harness.errors import UserError


class Kubectl:
    def __init__(self, kubeconfig: Path, context: str | None = None,
                 executable: str | None = None):
        self.kubeconfig = Path(kubeconfig)
        self.context = context
        self.executable = executable or str(build.binary("kubectl"))

    def run(self, *args: str, stdin: str | None = None, timeout: float = 60,
            check: bool = True) -> subprocess.CompletedProcess:
        argv = [self.executable, "--kubeconfig", str(self.kubeconfig)]
        if self.context:
            argv += ["--context", self.context]
        argv += list(args)
        try:
            proc = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as err:
            raise UserError(f"kubectl {' '.join(args[:2])} did not answer in {timeout:.0f}s") \
                from err
        if check and proc.returncode != 0:
            raise UserError(f"kubectl {' '.join(args[:2])} failed: "
                            f"{' '.join(proc.stderr.split())[:400]}")
        return proc

    def apply(self, objects: list[dict], timeout: float = 120) -> None:
        """Server-side apply of many objects in one call (CRDs are too big for client-side)."""
        if not objects:
            return
        text = yaml.safe_dump_all(objects, sort_keys=False)
        self.run("apply", "--server-side", "--force-conflicts",
                 "--field-manager=k8s-skills", "-f", "-", stdin=text, timeout=timeout)

    def get_json(self, *args: str, timeout: float = 30) -> dict:
        return json.loads(self.run("get", *args, "-o", "json", timeout=timeout).stdout)

    def ok(self, *args: str, timeout: float = 10) -> bool:
        try:
            return self.run(*args, timeout=timeout, check=False).returncode == 0
        except UserError:
            return False
