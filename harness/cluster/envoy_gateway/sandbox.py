"""Runs inside Envoy Gateway's private mount + network namespaces: builds a minimal root
filesystem and execs the controller in it.

    unshare --mount --net --propagation private -- \\
        python -m harness.cluster.envoy_gateway.sandbox --root DIR --ready FILE \\
        --bind PATH ... --certs DIR -- envoy-gateway server --config-path ...

Why a root of its own: on Kubernetes Envoy Gateway reads its TLS files from the fixed
folder /certs (internal/xds/runner/runner.go, internal/gatewayapi/runner/runner.go) and
writes its Wasm cache under /var/lib/eg. Rather than create either on the host, the root
is a tmpfs holding only what the controller needs: /certs (read-only), the cluster's
envoy-gateway folder and the binary at their host paths (read-only; the command line then
names the cluster folder, which is how `cluster down` finds the process), /proc, four
/dev files and a writable /tmp and /var/lib/eg. Every mount lives in this namespace and
disappears with its last process; the host sees only an empty folder.

Waits for FILE (written once the host has wired the veth pair, see netns.py) first.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import sys
import time

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND = 0x20, 0x1000
DEVICES = ("null", "zero", "random", "urandom")
READY_TIMEOUT = 30


def main(argv: list[str]) -> int:
    args = _parse(argv)
    _refuse_shared_mounts()
    _wait_for(args.ready)
    root = os.path.realpath(args.root)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64m")
    _mount("proc", _mkdir(root, "/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for device in DEVICES:
        _bind(f"/dev/{device}", _touch(root, f"/dev/{device}"), read_only=False)
    _bind(args.certs, _mkdir(root, "/certs"), read_only=True)
    for path in args.bind:
        path = os.path.realpath(path)
        target = _mkdir(root, path) if os.path.isdir(path) else _touch(root, path)
        _bind(path, target, read_only=True)
    for folder in ("/tmp", "/var/lib/eg"):
        os.chmod(_mkdir(root, folder), 0o1777 if folder == "/tmp" else 0o755)
    os.chroot(root)
    os.chdir("/")
    os.execve(args.command[0], args.command, {**os.environ, "HOME": "/tmp"})  # never returns


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="envoy_gateway.sandbox")
    parser.add_argument("--root", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--bind", action="append", default=[])
    parser.add_argument("command", nargs="+")
    return parser.parse_args(argv)


def _refuse_shared_mounts() -> None:
    """Mounts made here must never reach the host (whose `down` deletes the cluster
    folder): stop unless every mount of this namespace is private."""
    with open("/proc/self/mountinfo") as handle:
        shared = [line.split()[4] for line in handle if " shared:" in line.split(" - ")[0]]
    if shared:
        sys.exit(f"envoy-gateway sandbox: mounts are shared with the host ({shared[0]}); "
                 "it must run under `unshare --mount --propagation private`")


def _wait_for(path: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            sys.exit(f"envoy-gateway sandbox: network not set up within {READY_TIMEOUT}s")
        time.sleep(0.02)


_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    def enc(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None
    if _libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags),
                   enc(data)) != 0:
        errno = ctypes.get_errno()
        sys.exit(f"envoy-gateway sandbox: mount {source} on {target}: {os.strerror(errno)}")


def _bind(source: str, target: str, read_only: bool) -> None:
    _mount(source, target, None, MS_BIND)
    if read_only:  # a bind mount becomes read-only only through a remount
        _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _mkdir(root: str, path: str) -> str:
    target = root + path
    os.makedirs(target, exist_ok=True)
    return target


def _touch(root: str, path: str) -> str:
    target = root + path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    open(target, "a").close()
    return target


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
