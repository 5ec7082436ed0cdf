"""Find pinned Go modules in the local module cache (downloading them when needed).

Upstream files (CRDs, OpenAPI specs) are read from here at setup time and never committed.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path

from harness.errors import UserError
from harness import pins


def go_executable() -> str:
    """The `go` command, or a UserError that names the fix."""
    exe = shutil.which("go") or next(
        (p for p in ("/usr/local/go/bin/go", os.path.expanduser("~/go/bin/go"))
         if os.access(p, os.X_OK)), None)
    if not exe:
        raise UserError("Go is not installed: install Go %d.%d or newer and put `go` on PATH"
                        % pins.GO_MINIMUM)
    return exe


def go_version(go: str | None = None) -> tuple[int, int]:
    """(major, minor) of the Go toolchain, e.g. (1, 26)."""
    out = subprocess.run([go or go_executable(), "env", "GOVERSION"], capture_output=True,
                         text=True, timeout=60).stdout.strip()
    try:
        major, minor = out.removeprefix("go").split(".")[:2]
        return int(major), int(minor)
    except ValueError as err:
        raise UserError(f"cannot read the Go version (`go env GOVERSION` said {out!r})") from err


def require_go() -> str:
    go = go_executable()
    have = go_version(go)
    if have < pins.GO_MINIMUM:
        raise UserError("Go %d.%d found, but the pinned components need Go %d.%d or newer: "
                        "install a newer Go" % (*have, *pins.GO_MINIMUM))
    return go


@functools.lru_cache(maxsize=None)
def module_dir(module: str, version: str) -> Path:
    """The extracted module folder, e.g. module_dir("sigs.k8s.io/kueue", "v0.19.2")."""
    go = go_executable()
    try:
        proc = subprocess.run([go, "mod", "download", "-json", f"{module}@{version}"],
                              capture_output=True, text=True, timeout=600,
                              cwd=os.path.expanduser("~"),
                              env={**os.environ, "GOFLAGS": "-mod=mod", "GO111MODULE": "on"})
    except subprocess.TimeoutExpired as err:
        raise UserError(f"downloading {module}@{version} took over 10 minutes: "
                        "check access to the Go module proxy") from err
    info = json.loads(proc.stdout or "{}") if proc.stdout.strip().startswith("{") else {}
    if proc.returncode != 0 or not info.get("Dir"):
        why = info.get("Error") or proc.stderr.strip().splitlines()[-1:] or ["unknown error"]
        raise UserError(f"cannot download Go module {module}@{version}: "
                        f"{why if isinstance(why, str) else why[0]}")
    return Path(info["Dir"])


PINNED_MODULES = {
    "kubernetes": ("k8s.io/kubernetes", pins.KUBERNETES),
    "kueue": ("sigs.k8s.io/kueue", pins.KUEUE),
    "gateway-api": ("sigs.k8s.io/gateway-api", pins.GATEWAY_API),
    "gateway-api-inference-extension": ("sigs.k8s.io/gateway-api-inference-extension",
                                        pins.GATEWAY_API_INFERENCE_EXTENSION),
    "jobset": ("sigs.k8s.io/jobset", pins.JOBSET),
    "leaderworkerset": ("sigs.k8s.io/lws", pins.LEADERWORKERSET),
    "envoy-gateway": ("github.com/envoyproxy/gateway", pins.ENVOY_GATEWAY),
    "envoy-ai-gateway": ("github.com/envoyproxy/ai-gateway", pins.ENVOY_AI_GATEWAY),
}


def pinned_dir(key: str) -> Path:
    """module_dir of one of PINNED_MODULES by short name."""
    module, version = PINNED_MODULES[key]
    return module_dir(module, version)
