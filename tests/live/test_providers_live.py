"""Issue 2, live: the kubeconfig provider adopts an existing cluster and never deletes it;
the kind provider says clearly when Docker is missing."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from harness.cluster import paths

NAME = "adopted"


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "harness.cli", "cluster", *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.live
def test_kubeconfig_provider_adopts_and_only_forgets(kubeconfig, kubectl):
    try:
        up = _cli("up", "--provider", "kubeconfig", "--kubeconfig", kubeconfig, "--name", NAME)
        assert up.returncode == 0, up.stderr
        assert "(kubeconfig): healthy" in up.stdout and "Ready" in up.stdout
        env = _cli("env", "--name", NAME)
        assert f"export KUBECONFIG={kubeconfig}" in env.stdout
        down = _cli("down", "--name", NAME)
        assert down.returncode == 0
        # The adopted cluster itself is untouched.
        assert kubectl("get", "--raw", "/readyz").stdout == "ok"
    finally:
        _cli("down", "--name", NAME)


def test_kubeconfig_provider_unreachable_cluster_is_one_line(tmp_path):
    config = tmp_path / "kubeconfig"
    config.write_text("""apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
""")
    up = _cli("up", "--provider", "kubeconfig", "--kubeconfig", str(config), "--name", "nowhere")
    assert up.returncode == 2
    assert up.stderr.startswith("error: the cluster of context") and up.stderr.count("\n") == 1
    assert not paths.cluster_dir("nowhere").exists()


@pytest.mark.skipif(shutil.which("docker") and subprocess.run(
    ["docker", "info"], capture_output=True).returncode == 0, reason="a Docker engine exists")
def test_kind_provider_without_docker_engine_says_so():
    up = _cli("up", "--provider", "kind", "--name", "kind-test")
    assert up.returncode == 2 and up.stderr.count("\n") == 1
    assert "Docker" in up.stderr and "--provider local" in up.stderr
