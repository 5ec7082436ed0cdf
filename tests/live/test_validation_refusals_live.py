"""The API server's validation refusals, read by triage.py as users meet them.

The messages are the real apiserver's (the local cluster's kube-apiserver), never typed in:
`kubectl apply` output pasted as it printed, and the FailedCreate event a ReplicaSet gets
when a LimitRange's default limit falls below its template's request (the LimitRanger fills
the limit in, then pod validation refuses request > limit).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.live.helpers import apply, wait_for

pytestmark = pytest.mark.live

TRIAGE = Path(__file__).resolve().parents[2] / "skills" / "k8s-troubleshooting" / "scripts" \
    / "triage.py"


def triage_paste(text: str, tmp_path: Path) -> dict:
    paste = tmp_path / "paste.txt"
    paste.write_text(text)
    proc = subprocess.run([sys.executable, str(TRIAGE), "--json", "-f", str(paste)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def deployment(name: str, ns: str, container: dict, labels: dict | None = None,
               replicas: int = 0) -> dict:
    """A Deployment; no replicas unless a test needs its ReplicaSet to try making a pod (the
    tests read the API server's answers, no pod has to run or pull anything)."""
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "app", "image": "team/app:1.4.2", **container}]}}}}


def refused_apply(kubectl, obj: dict) -> str:
    """`kubectl apply` of `obj`, which the API server must refuse: the session as pasted."""
    proc = kubectl("apply", "-f", "-", stdin=yaml.safe_dump(obj), check=False)
    assert proc.returncode != 0, f"the API server accepted it: {proc.stdout}"
    return f"$ kubectl apply -f deploy.yaml\n{proc.stderr}"


def top(doc: dict) -> dict:
    assert doc["findings"], doc
    return doc["findings"][0]


def test_request_over_limit_pasted_from_kubectl_apply(kubectl, namespace, tmp_path):
    text = refused_apply(kubectl, deployment("vllm", namespace, {"resources": {
        "requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}))
    assert "is invalid" in text
    finding = top(triage_paste(text, tmp_path))
    assert (finding["cause"], finding["object"]["name"]) == ("spec_invalid", "vllm")
    assert "requests.cpu may not exceed limits.cpu" in finding["fix"]


def test_changed_selector_is_an_immutable_field(kubectl, namespace, tmp_path):
    apply(kubectl, deployment("web", namespace, {}))
    text = refused_apply(kubectl, deployment("web", namespace, {},
                                             labels={"app": "web", "tier": "front"}))
    finding = top(triage_paste(text, tmp_path))
    assert finding["cause"] == "spec_invalid"
    assert "cannot change on an existing object" in finding["fix"]


def test_misspelled_field_is_an_unknown_field(kubectl, namespace, tmp_path):
    text = refused_apply(kubectl, deployment("api", namespace, {"resource": {
        "limits": {"cpu": "1"}}}))
    finding = top(triage_paste(text, tmp_path))
    assert finding["cause"] == "spec_invalid"
    assert "resource" in finding["message"] and "kubectl explain" in finding["fix"]


def test_limitrange_default_below_the_request_blocks_the_replicaset(kubectl, kubectl_env,
                                                                     namespace):
    limits = {"apiVersion": "v1", "kind": "LimitRange",
              "metadata": {"name": "defaults", "namespace": namespace},
              "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}}]}}
    # one replica: the ReplicaSet must try to create a pod for the LimitRanger and validation
    # to refuse it (the refused pod never exists)
    apply(kubectl, limits, deployment("trainer", namespace, {"resources": {
        "requests": {"cpu": "1"}}}, replicas=1))

    def refused():
        events = json.loads(kubectl("get", "events", "-n", namespace, "-o", "json").stdout)
        return [e for e in events["items"] if e.get("reason") == "FailedCreate"]
    wait_for(refused, timeout=60, what="the ReplicaSet's FailedCreate event")
    proc = subprocess.run([sys.executable, str(TRIAGE), "--json", "-n", namespace],
                          capture_output=True, text=True, env=kubectl_env, timeout=120)
    finding = top(json.loads(proc.stdout))
    assert (finding["cause"], finding["object"]["kind"]) == ("spec_invalid", "ReplicaSet")
    assert "LimitRange default" in finding["fix"]
