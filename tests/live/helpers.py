"""Small helpers for live tests: apply YAML, wait on a real condition, read objects."""
from __future__ import annotations

import json
import subprocess
import time

import pytest
import yaml


def require_or_skip(live_cluster: dict, ok: object, why: str) -> None:
    """A prerequisite the project's own cluster always has (a CRD it installs, a node pool of
    its default topology, a file it writes): missing on that cluster, the cluster is broken
    and the test fails; missing on a user's cluster (K8S_SKILLS_TEST_KUBECONFIG), it skips."""
    if ok:
        return
    if live_cluster["cluster"] is not None:
        pytest.fail(f"the project's own cluster lacks a prerequisite: {why}", pytrace=False)
    pytest.skip(why)


def kubectl_runner(env: dict, default_timeout: float = 60):
    """kubectl against the cluster `env` names: run("get", "pods", "-n", ns); fails the
    test on a non-zero exit unless check=False."""
    def run(*args, stdin=None, check=True, timeout=default_timeout):
        proc = subprocess.run(["kubectl", *args], input=stdin, capture_output=True, text=True,
                              env=env, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed: {proc.stderr}")
        return proc
    return run


def apply(kubectl, *objects: dict, server_side: bool = False):
    args = ["apply", "-f", "-"] + (["--server-side"] if server_side else [])
    return kubectl(*args, stdin=yaml.safe_dump_all(list(objects)))


def get(kubectl, *args) -> dict:
    return json.loads(kubectl("get", *args, "-o", "json").stdout)


def wait_for(check, timeout: float = 60, interval: float = 0.5, what: str = "condition",
             seen=None):
    """Poll until check() returns something truthy; fail the test with `what` otherwise,
    and with `seen()` (what the last poll saw) when a falsy last value says nothing."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    saw = f"\nwhat the last poll saw: {seen()}" if seen else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: "
                         f"{last!r}{saw}")


def wait_until(fetch, ok, what: str, timeout: float = 120):
    """Poll fetch() until ok(value) and return that value; on timeout fail with what was
    waited for and the value seen last (not a bare False/None)."""
    seen: list = []

    def check():
        seen[:] = [fetch()]
        return ok(seen[0])
    try:
        wait_for(check, timeout=timeout, what=what)
    except AssertionError as err:
        raise AssertionError(f"{err}; last seen: {seen[0] if seen else 'nothing'!r}") from None
    return seen[0]


def condition(obj: dict, ctype: str) -> dict | None:
    for cond in obj.get("status", {}).get("conditions", []) or []:
        if cond.get("type") == ctype:
            return cond
    return None


def cluster_queue(name: str, namespace: str, flavor: str, resources: dict) -> dict:
    """A ClusterQueue (v1beta2) selecting only `namespace`, one flavor, nominal quotas."""
    return {
        "apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
        "metadata": {"name": name},
        "spec": {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
            "resourceGroups": [{
                "coveredResources": list(resources),
                "flavors": [{"name": flavor, "resources": [
                    {"name": r, "nominalQuota": q} for r, q in resources.items()]}],
            }],
        },
    }


def local_queue(name: str, namespace: str, cluster_queue_name: str) -> dict:
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"clusterQueue": cluster_queue_name}}


def gpu_job(name: str, namespace: str, queue: str | None, gpus: int, parallelism: int = 1,
            resource: str = "nvidia.com/gpu") -> dict:
    labels = {"kueue.x-k8s.io/queue-name": queue} if queue else {}
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {
            "parallelism": parallelism, "completions": parallelism,
            "suspend": bool(queue),
            "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{
                    "name": "train", "image": "trainer:1.0",
                    "resources": {"requests": {"cpu": "1", "memory": "1Gi", resource: str(gpus)},
                                  "limits": {"cpu": "1", "memory": "1Gi", resource: str(gpus)}},
                }],
            }},
        },
    }
