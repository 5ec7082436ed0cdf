"""Live tests run against a real cluster that this test session starts and stops.

Set K8S_SKILLS_TEST_KUBECONFIG to run them against an existing cluster instead, or
K8S_SKILLS_TEST_CLUSTER to give the started cluster another name (two checkouts testing at
once on one machine must not share a cluster). K8S_SKILLS_TEST_KEEP=1 reuses that local
cluster when it is already running and leaves it running afterwards (quicker reruns).
"""
from __future__ import annotations

import contextlib
import os
import uuid

import pytest

from harness.cluster import build, paths
from harness.cluster.local import LocalCluster
from tests.live.helpers import kubectl_runner

CLUSTER_NAME = os.environ.get("K8S_SKILLS_TEST_CLUSTER", "k8s-skills-test")


@pytest.fixture(scope="session")
def live_cluster():
    existing = os.environ.get("K8S_SKILLS_TEST_KUBECONFIG")
    if existing:
        yield {"kubeconfig": existing, "cluster": None}
        return
    cluster = LocalCluster(CLUSTER_NAME, log=lambda m: print(f"[live] {m}"))
    keep = os.environ.get("K8S_SKILLS_TEST_KEEP") == "1"
    if not (keep and cluster.is_running()):
        cluster.down()  # a leftover from an interrupted run
        cluster.up()
    try:
        yield {"kubeconfig": str(cluster.kubeconfig), "cluster": cluster}
    finally:
        if not keep:
            cluster.down()


@pytest.fixture(scope="session")
def kubeconfig(live_cluster) -> str:
    return live_cluster["kubeconfig"]


@pytest.fixture(scope="session")
def kubectl_env(kubeconfig) -> dict:
    """Environment in which `kubectl` (the cluster's own) talks to the test cluster."""
    env = dict(os.environ)
    env["KUBECONFIG"] = kubeconfig
    if build.binary("kubectl").is_file():
        env["PATH"] = f"{paths.bin_dir()}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def kubectl(kubectl_env):
    """Run kubectl against the test cluster: kubectl("get", "pods", "-n", ns)."""
    return kubectl_runner(kubectl_env)


@contextlib.contextmanager
def fresh_namespace(kubectl):
    name = f"t-{uuid.uuid4().hex[:8]}"
    kubectl("create", "namespace", name)
    try:
        yield name
    finally:
        kubectl("delete", "namespace", name, "--wait=false", check=False)


@pytest.fixture
def namespace(kubectl):
    """A fresh namespace per test, deleted afterwards."""
    with fresh_namespace(kubectl) as name:
        yield name


@pytest.fixture
def other_namespace(kubectl):
    """A second fresh namespace, for tests about crossing namespace boundaries."""
    with fresh_namespace(kubectl) as name:
        yield name
