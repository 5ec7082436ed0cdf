"""The cluster's own kubectl (built from the pinned Kubernetes), run with a timeout."""
from __future__ import annotations
from typing import Any

import json
import shutil
import subprocess
from pathlib import Path

from harness.cluster import build
from harness.errors import UserError

FIELD_MANAGER = "k8s-skills"


def find_executable() -> str:
    """The cluster's own kubectl once built, else the one on PATH (for clusters we did not
    start, and evals against --kubeconfig)."""
    ours = build.binary("kubectl")
    if ours.is_file():
        return str(ours)
    found = shutil.which("kubectl")
    if not found:
        raise UserError("kubectl not found: run `k8s-skills cluster build` or install kubectl")
    return found


class ApplyProcess(subprocess.Popen[str]):
    """A `kubectl apply` started in the background; its output goes to `log_path`."""
    log_path: Path


class Kubectl:
    def __init__(self, kubeconfig: Path, context: str | None = None,
                 executable: str | None = None) -> None:
        self.kubeconfig = Path(kubeconfig)
        self.context = context
        self.executable = executable or str(build.binary("kubectl"))

    def run(self, *args: str, stdin: str | None = None, timeout: float = 60,
            check: bool = True) -> subprocess.CompletedProcess[str]:
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

    def apply(self, objects: list[dict[str, Any]], timeout: float = 120, validate: bool = True,
              field_manager: str = FIELD_MANAGER) -> None:
        """Server-side apply of many objects in one call (CRDs are too big for client-side).

        validate=False skips kubectl's client-side schema check (the server still
        validates); worth half a second for upstream CRDs we did not write.
        field_manager: another manager applies part of an object (server-side apply removes
        the fields a manager owned and left out, so a partial object needs its own).
        """
        if not objects:
            return
        args, stdin = self._apply_args(validate, field_manager), _as_list(objects)
        try:
            self.run(*args, stdin=stdin, timeout=timeout)
        except UserError as err:
            if not openapi_read_timed_out(err):
                raise
            # The apiserver builds its OpenAPI document once and caches it: the read that
            # timed out on a loaded machine is usually quick the second time.
            self.run(*args, stdin=stdin, timeout=timeout)

    def apply_in_background(self, objects: list[dict[str, Any]], log_path: Path,
                            validate: bool = True,
                            field_manager: str = FIELD_MANAGER) -> ApplyProcess:
        """Start an apply and return at once; call wait_applied() on the result."""
        argv = [self.executable, "--kubeconfig", str(self.kubeconfig)] + \
            (["--context", self.context] if self.context else []) + \
            self._apply_args(validate, field_manager)
        log = open(log_path, "w")
        proc = ApplyProcess(argv, stdin=subprocess.PIPE, stdout=log, stderr=log, text=True)
        assert proc.stdin is not None  # stdin=PIPE
        proc.stdin.write(_as_list(objects))
        proc.stdin.close()
        proc.log_path = log_path
        return proc

    @staticmethod
    def wait_applied(proc: ApplyProcess, timeout: float = 120) -> None:
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            proc.kill()
            raise UserError(f"kubectl apply did not finish in {timeout:.0f}s") from err
        if code != 0:
            last = (Path(proc.log_path).read_text().strip().splitlines() or ["no output"])[-1]
            raise UserError(f"kubectl apply failed: {last[:400]}")

    @staticmethod
    def _apply_args(validate: bool, field_manager: str = FIELD_MANAGER) -> list[str]:
        return ["apply", "--server-side", "--force-conflicts", f"--field-manager={field_manager}",
                f"--validate={'strict' if validate else 'false'}", "-f", "-"]

    def get_json(self, *args: str, timeout: float = 30) -> dict[str, Any]:
        obj: dict[str, Any] = json.loads(self.run("get", *args, "-o", "json",
                                                  timeout=timeout).stdout)
        return obj

    def ok(self, *args: str, timeout: float = 10) -> bool:
        try:
            return self.run(*args, timeout=timeout, check=False).returncode == 0
        except UserError:
            return False


def openapi_read_timed_out(err: UserError) -> bool:
    """kubectl gave up reading the apiserver's OpenAPI document before applying ("Please
    retry", or "error validating data: Get .../openapi/v2 ... Client.Timeout exceeded")."""
    return "Please retry" in str(err) or "/openapi/" in str(err)


def _as_list(objects: list[dict[str, Any]]) -> str:
    # JSON, not YAML: serialising megabytes of CRDs as YAML takes seconds.
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
