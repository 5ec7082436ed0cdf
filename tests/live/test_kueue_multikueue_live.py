"""MultiKueue on the manager when its workers are lost: what the real Kueue v0.19 writes, and
what explain_pending.py reads from it.

A MultiKueueConfig names two workers: one MultiKueueCluster whose kubeconfig Secret points at
a loopback port where nothing listens (a worker that went away), and one that does not exist.
Kueue marks the cluster Active=False (its connection error), the AdmissionCheck Active=False
NoUsableClusters "Missing clusters: [...], Inactive clusters: [...]", and the ClusterQueue that
uses the check inactive; a job sent to that queue waits. explain_pending.py must answer
queue_inactive and name both workers and why each is unusable, from those objects alone.
"""
from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import apply, cluster_queue, condition, get, local_queue, wait_until

pytestmark = pytest.mark.live

SCRIPT = Path(__file__).resolve().parents[2] / "skills" / "k8s-kueue" / "scripts" / \
    "explain_pending.py"
KUEUE_NS = "kueue-system"  # harness/cluster/kueue/config.py NAMESPACE


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kubeconfig_to(server: str, ca_data: str) -> str:
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "w",
        "clusters": [{"name": "w", "cluster": {"server": server,
                                               "certificate-authority-data": ca_data}}],
        "users": [{"name": "w", "user": {"token": "not-a-real-token"}}],
        "contexts": [{"name": "w", "context": {"cluster": "w", "user": "w"}}]})


def _ca_data(kubeconfig: str) -> str:
    """The test cluster's CA as certificate-authority-data (MultiKueue refuses file paths)."""
    cluster = yaml.safe_load(Path(kubeconfig).read_text())["clusters"][0]["cluster"]
    if cluster.get("certificate-authority-data"):
        return cluster["certificate-authority-data"]
    path = Path(kubeconfig).parent / cluster["certificate-authority"]
    return base64.b64encode(path.read_bytes()).decode()


def _active(kubectl, kind: str, name: str) -> dict:
    proc = kubectl("get", kind, name, "-o", "json", check=False)
    return (condition(json.loads(proc.stdout), "Active") or {}) if proc.returncode == 0 else {}


def test_lost_and_missing_workers(kubectl, kubectl_env, kubeconfig, namespace):
    ns = namespace
    lost, missing = f"lost-{ns}", f"gone-{ns}"
    secret, config, check, cq = f"mk-{ns}", f"cfg-{ns}", f"mk-{ns}", f"cq-{ns}"
    ca_data = _ca_data(kubeconfig)
    server = f"https://127.0.0.1:{_closed_port()}"
    queue = cluster_queue(cq, ns, f"rf-{ns}", {"cpu": "10", "memory": "10Gi"})
    queue["spec"]["admissionChecksStrategy"] = {"admissionChecks": [{"name": check}]}
    objects = [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": secret,
                                                            "namespace": KUEUE_NS},
         "data": {"kubeconfig": base64.b64encode(
             _kubeconfig_to(server, ca_data).encode()).decode()}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "MultiKueueCluster",
         "metadata": {"name": lost},
         "spec": {"clusterSource": {"kubeConfig": {"locationType": "Secret",
                                                   "location": secret}}}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "MultiKueueConfig",
         "metadata": {"name": config}, "spec": {"clusters": [lost, missing]}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "AdmissionCheck",
         "metadata": {"name": check},
         "spec": {"controllerName": "kueue.x-k8s.io/multikueue",
                  "parameters": {"apiGroup": "kueue.x-k8s.io", "kind": "MultiKueueConfig",
                                 "name": config}}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
         "metadata": {"name": f"rf-{ns}"}, "spec": {}},
        queue, local_queue("team", ns, cq)]
    apply(kubectl, *objects)
    try:
        cluster_cond = wait_until(lambda: _active(kubectl, "multikueuecluster", lost),
                              lambda c: c.get("status") == "False",
                              f"Kueue marks MultiKueueCluster {lost} Active=False")
        check_cond = wait_until(lambda: _active(kubectl, "admissioncheck", check),
                            lambda c: c.get("reason") == "NoUsableClusters",
                            f"Kueue marks AdmissionCheck {check} NoUsableClusters")
        print(f"MultiKueueCluster: {cluster_cond}\nAdmissionCheck: {check_cond}")
        # admissioncheck.go l.92-108 (v0.19.2)
        assert check_cond["message"] == \
            f"Missing clusters: [{missing}], Inactive clusters: [{lost}]"
        apply(kubectl, {
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "train", "namespace": ns,
                         "labels": {"kueue.x-k8s.io/queue-name": "team"}},
            "spec": {"managedBy": "kueue.x-k8s.io/multikueue", "suspend": True,
                     "template": {"spec": {"restartPolicy": "Never", "containers": [{
                         "name": "c", "image": "trainer:1.0",
                         "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}})
        wl_cond = wait_until(
            lambda: next((condition(w, "QuotaReserved") or {} for w in get(
                kubectl, "workloads.kueue.x-k8s.io", "-n", ns)["items"]), {}),
            lambda c: c.get("status") == "False" and c.get("message"),
            "Kueue's reason on the job's Workload (QuotaReserved False)")
        print(f"Workload: {wl_cond}")
        proc = subprocess.run([sys.executable, str(SCRIPT), "-n", ns, "train", "--json"],
                              capture_output=True, text=True, env=kubectl_env, timeout=120)
        assert proc.returncode == 1, proc.stderr
        finding = json.loads(proc.stdout)["findings"][0]
        text = " ".join([finding["message"], *finding["evidence"]])
        assert finding["cause"] == "queue_inactive", finding
        assert f"MultiKueueCluster {missing} does not exist" in text, text
        assert f"MultiKueueCluster {lost}: Active=False ({cluster_cond['reason']})" in text, \
            text
    finally:
        kubectl("delete", "job", "train", "-n", ns, "--wait=false", "--ignore-not-found",
                check=False)
        for kind, name in (("clusterqueue", cq), ("resourceflavor", f"rf-{ns}"),
                           ("admissioncheck", check), ("multikueueconfig", config),
                           ("multikueuecluster", lost)):
            kubectl("delete", kind, name, "--wait=false", "--ignore-not-found", check=False)
        kubectl("delete", "secret", secret, "-n", KUEUE_NS, "--wait=false",
                "--ignore-not-found", check=False)
