"""The one way the RBAC scripts call kubectl: a timeout, no shell, errors as InputError."""
from __future__ import annotations

import shutil
import subprocess

from k8s_skillkit.errors import InputError


def kubectl(args: list[str], stdin: str | None = None, timeout: float = 30):
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("kubectl not found on PATH: pass a dump with -f FILE")
    try:
        return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise InputError(f"kubectl {args[0]}: no answer in {timeout:.0f}s") from err
