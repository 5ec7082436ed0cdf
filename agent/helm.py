"""Helm, built once from its pinned Go module (helm.sh/helm/v3) and cached by version, and
`helm template` of the agent's chart. CI builds it the same way (no prebuilt downloads)."""
from __future__ import annotations

from typing import Any
import os
import shutil
import subprocess
from pathlib import Path

import yaml

from agent.chart import CHART
from harness import gomod, pins
from harness.errors import UserError

HELM_MODULE = "helm.sh/helm/v3/cmd/helm"
HELM_VERSION = "v3.22.0"


def cache_bin() -> Path:
    base = Path(os.environ.get("K8S_SKILLS_CACHE", Path.home() / ".cache" / "k8s-skills"))
    return base / "tools" / f"helm-{HELM_VERSION}" / "bin"


def helm_path(build: bool = True) -> str:
    """The cached helm (building it on first use: about 5-10 minutes on 2 cores)."""
    exe = cache_bin() / "helm"
    if exe.is_file() and os.access(exe, os.X_OK):
        return str(exe)
    if not build:
        raise UserError(f"helm {HELM_VERSION} is not built: run `k8s-skills agent helm-build`")
    go = gomod.require_go()
    tmp = cache_bin().with_name("bin.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    proc = subprocess.run([go, "install", f"{HELM_MODULE}@{HELM_VERSION}"],
                          env={**os.environ, "GOBIN": str(tmp), "GOFLAGS": "-mod=mod",
                               "CGO_ENABLED": "0"},
                          capture_output=True, text=True, timeout=3600,
                          cwd=Path.home())
    if proc.returncode != 0 or not (tmp / "helm").is_file():
        raise UserError(f"building helm {HELM_VERSION} failed: "
                        f"{' '.join(proc.stderr.split())[-400:]}")
    shutil.rmtree(cache_bin(), ignore_errors=True)
    tmp.rename(cache_bin())
    return str(exe)


def template(release: str, namespace: str, values: dict[str, Any], chart: Path = CHART,
             kube_version: str = pins.KUBERNETES) -> list[dict[str, Any]]:
    """`helm template` with `values` (as a values file); the rendered objects. A chart
    `fail` (bad values) is a UserError with helm's own message."""
    values_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"k8s-agent-values-{os.getpid()}.yaml"
    values_file.write_text(yaml.safe_dump(values))
    try:
        proc = subprocess.run([helm_path(), "template", release, str(chart), "--namespace",
                               namespace, "--include-crds", "--kube-version", kube_version,
                               "-f", str(values_file)],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "HELM_CACHE_HOME": str(cache_bin().parent),
                                   "HELM_CONFIG_HOME": str(cache_bin().parent),
                                   "HELM_DATA_HOME": str(cache_bin().parent)})
    finally:
        values_file.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise UserError(f"helm template: {' '.join(proc.stderr.split())[:600]}")
    return [d for d in yaml.safe_load_all(proc.stdout) if d]
