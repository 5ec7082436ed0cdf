"""`cluster up` starts kwok-controller again once the stages exist, the way kwokctl's
ForkExec starts it (kwok v0.8.0 pkg/kwokctl/runtime/exec.go): the component's binary and
args from kwok.yaml (captured from kwokctl), in its workDir, output appended to its log,
the new pid in its pid file; the old process is gone."""
from __future__ import annotations

import subprocess
from pathlib import Path

import psutil
import pytest

from harness.cluster import local, procs
from harness.errors import UserError

CAPTURED = Path(__file__).parents[1] / "resources" / "kwokctl" / "kwok-controller-component.yaml"


def _cluster(tmp_path: Path, monkeypatch) -> tuple[local.LocalCluster, Path]:
    monkeypatch.setattr(local.paths, "cluster_dir", lambda name: tmp_path / name)
    cluster = local.LocalCluster("t")
    kwok_dir = cluster.kwok_workdir / "clusters" / "t"
    for sub in ("bin", "pids", "logs"):
        (kwok_dir / sub).mkdir(parents=True)
    (kwok_dir / "kwok.yaml").write_text(CAPTURED.read_text().replace("@DIR@", str(kwok_dir)))
    # A stand-in binary that records its args and working folder, then stays up.
    script = kwok_dir / "bin" / "kwok-controller"
    script.write_text('#!/bin/sh\necho "cwd=$(pwd) args=$*"\nexec sleep 60\n')
    script.chmod(0o755)
    return cluster, kwok_dir


def test_restart_kills_the_old_controller_and_starts_kwokctls_command(tmp_path, monkeypatch):
    cluster, kwok_dir = _cluster(tmp_path, monkeypatch)
    (kwok_dir / "logs" / "kwok-controller.log").write_text("first run\n")
    old = subprocess.Popen(["sleep", "60"], start_new_session=True)
    (kwok_dir / "pids" / "kwok-controller.pid").write_text(str(old.pid))
    new_pid = None
    try:
        cluster._restart_kwok_controller()
        assert old.poll() is not None or not procs.is_alive(old.pid)
        new_pid = int((kwok_dir / "pids" / "kwok-controller.pid").read_text())
        assert new_pid != old.pid and procs.is_alive(new_pid)
        log = kwok_dir / "logs" / "kwok-controller.log"
        procs.wait_until(lambda: "args=" in log.read_text(), 10, what="the stand-in's output")
        text = log.read_text()
        assert text.startswith("first run\n")  # appended, as kwokctl opens it
        assert f"cwd={kwok_dir} " in text
        assert "--enable-crds=Stage" in text and \
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake" in text
    finally:
        old.kill()
        old.wait()
        if new_pid and procs.is_alive(new_pid):
            psutil.Process(new_pid).kill()


def test_restart_without_a_running_controller_starts_one(tmp_path, monkeypatch):
    cluster, kwok_dir = _cluster(tmp_path, monkeypatch)
    cluster._restart_kwok_controller()
    new_pid = int((kwok_dir / "pids" / "kwok-controller.pid").read_text())
    try:
        assert procs.is_alive(new_pid)
    finally:
        psutil.Process(new_pid).kill()


def test_a_kwok_yaml_without_the_component_is_a_clear_error(tmp_path):
    (tmp_path / "kwok.yaml").write_text("kind: KwokctlConfiguration\ncomponents: []\n")
    with pytest.raises(UserError, match="no component 'kwok-controller'"):
        local.kwok_component(tmp_path, "kwok-controller")
