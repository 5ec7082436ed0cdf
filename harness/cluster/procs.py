"""Process helpers: free ports, background processes, and the sweep that `down` relies on.

Every process of a local cluster has the cluster's state folder in its command line
(its config, data or kubeconfig lives there), so finding them by that folder catches the
ones kwokctl started, Kueue, and anything left by a crashed `up`.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, TypeVar

import psutil

from harness.errors import UserError

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_background(argv: list[str], log_path: Path, env: dict[str, str] | None = None,
                     pass_fds: tuple[int, ...] = (), cwd: str | Path | None = None) -> int:
    """Start a daemon-like process in its own session (Ctrl-C of the CLI does not reach it;
    `down` stops it). Returns its pid. pass_fds: open files it inherits (e.g. a held lock,
    which it then holds for as long as it lives)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env=env or dict(os.environ), pass_fds=pass_fds, cwd=cwd)
    return proc.pid


def processes_using(folder: Path) -> list[psutil.Process]:
    """Live processes whose command line mentions `folder`."""
    needle = str(folder)
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmdline = proc.info["cmdline"] or []
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if proc.pid != os.getpid() and any(needle in arg for arg in cmdline):
            found.append(proc)
    return found


def stop_all(procs: list[psutil.Process], grace: float = 5.0) -> None:
    """SIGTERM, wait up to `grace` seconds, then SIGKILL what is left."""
    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    kill_now(alive, grace)


def kill_now(procs: list[psutil.Process], grace: float = 5.0) -> None:
    """SIGKILL (no handler runs), and wait up to `grace` seconds for them to go."""
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=grace)


def named(proc: psutil.Process, name: str) -> bool:
    """Whether the process runs the executable `name` (False once it is gone)."""
    try:
        return proc.name() == name
    except psutil.NoSuchProcess:
        return False


def is_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class StopWaiting(UserError):
    """Raised by a wait_until check when waiting longer cannot help (the process it waits
    for has exited); every other error from a check means "not up yet"."""


def wait_until(check: Callable[[], T], timeout: float, interval: float = 0.2,
               what: str = "condition") -> T:
    """Poll `check()` until it returns a truthy value; TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except StopWaiting:
            raise
        except Exception as err:  # the thing polled is not up yet
            last_error = err
        time.sleep(interval)
    detail = f" (last error: {last_error})" if last_error else ""
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}{detail}")


def last_error_line(log_path: Path) -> str:
    """The last line of a log that reports an error (else its last line), for a one-line
    failure message."""
    try:
        lines = [line for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    for line in reversed(lines):
        if '"level":"ERROR"' in line or "error" in line.lower():
            return line.strip()[:300]
    return lines[-1].strip()[:300] if lines else "no output"
