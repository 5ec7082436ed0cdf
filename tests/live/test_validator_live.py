"""Issue 14, live: the admission fixtures' captured verdicts are still what the server says.

tests/resources/admission/dry-run.json is what the offline tests compare the validator
with; this re-asks the real apiserver (and Kueue's webhooks) for every fixture object and
fails when the capture went stale.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "resources" / "admission"
sys.path.insert(0, str(REPO / "benchmarks"))


def test_captured_verdicts_are_the_servers(kubeconfig):
    from validator_vs_apiserver import DryRun
    dry_run = DryRun(Path(kubeconfig))
    dry_run.ensure_namespace("validator-bench")
    captured = json.loads((CASES / "dry-run.json").read_text())
    stale = []
    for path in sorted(CASES.glob("*.yaml")):
        for obj in yaml.safe_load_all(path.read_text()):
            if not isinstance(obj, dict):
                continue
            ref = f"{obj['kind']}/{obj['metadata']['name']}"
            verdict, message = dry_run.judge(json.loads(json.dumps(obj)))
            expected = captured[ref]
            if (verdict == "accepted") != expected["accepted"]:
                stale.append(f"{ref}: server says {verdict}: {message}")
            elif not expected["accepted"] and not _same(message, expected["message"]):
                stale.append(f"{ref}: message changed: {message}")
    assert not stale, "\n".join(stale)


def _same(now: str, then: str) -> bool:
    """Equal up to values the server generates (the controller-uid of a Job selector) and
    the order of its error list (Go map iteration order varies)."""
    return _reasons(now) == _reasons(then)


def _reasons(message: str) -> list[str]:
    import re
    uid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    message = re.sub(uid, "UID", message)
    # The webhook's prefix stays whole; only the bracketed error list is reordered.
    listed = re.match(r"^(.*?): \[(.*)\]$", message, re.S)
    prefix, errors = listed.groups() if listed else ("", message)
    parts = re.split(r", (?=[a-zA-Z.<][\w\[\]./<>-]*: )", errors)
    return [prefix] + sorted(parts)


SCRIPT = REPO / "skills" / "k8s-manifests" / "scripts" / "validate_manifest.py"


def _offline(tmp_path, new: dict, live: dict) -> dict:
    import subprocess
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    (tmp_path / "live.yaml").write_text(yaml.safe_dump(live))
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(tmp_path / "new.yaml"),
                           "--live", str(tmp_path / "live.yaml"), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _server_update(kubectl, new: dict):
    return kubectl("apply", "--dry-run=server", "-f", "-", stdin=yaml.safe_dump(new),
                   check=False)


def _live(kubectl, kind: str, name: str, namespace: str = "") -> dict:
    args = ["get", kind, name, "-o", "json"] + (["-n", namespace] if namespace else [])
    return json.loads(kubectl(*args).stdout)


def test_update_immutable_selector_both_ways(kubectl, namespace, tmp_path):
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": namespace},
           "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": {
               "metadata": {"labels": {"app": "a"}},
               "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
    kubectl("apply", "-f", "-", stdin=yaml.safe_dump(dep))
    live = _live(kubectl, "deployment", "web", namespace)
    changed = json.loads(json.dumps(dep))
    changed["spec"]["selector"]["matchLabels"]["app"] = "b"
    changed["spec"]["template"]["metadata"]["labels"]["app"] = "b"
    server = _server_update(kubectl, changed)
    assert server.returncode != 0 and "field is immutable" in server.stderr
    doc = _offline(tmp_path, changed, live)
    assert doc["admission"]["rejected"]
    assert any("spec.selector" in e and "field is immutable" in e
               for f in doc["findings"] for e in f["evidence"])
    scaled = json.loads(json.dumps(dep))
    scaled["spec"]["replicas"] = 3
    assert _server_update(kubectl, scaled).returncode == 0
    assert not _offline(tmp_path, scaled, live)["admission"]["rejected"]


def test_update_cel_transition_rule_both_ways(kubectl, tmp_path):
    """Kueue v1beta1 AdmissionCheck: spec.controllerName has the CEL rule `self == oldSelf`
    (checked only against a live object)."""
    name = f"vb-live-{tmp_path.name[-8:].lower().replace('_', '-')}"
    check = {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "AdmissionCheck",
             "metadata": {"name": name}, "spec": {"controllerName": "example.com/a"}}
    kubectl("apply", "-f", "-", stdin=yaml.safe_dump(check))
    try:
        live = _live(kubectl, "admissionchecks.v1beta1.kueue.x-k8s.io", name)
        renamed = json.loads(json.dumps(check))
        renamed["spec"]["controllerName"] = "example.com/b"
        server = _server_update(kubectl, renamed)
        assert server.returncode != 0 and "field is immutable" in server.stderr
        offline = _offline(tmp_path, renamed, live)
        assert offline["admission"]["rejected"]
        assert any("spec.controllerName" in e and "field is immutable" in e
                   for f in offline["findings"] for e in f["evidence"])
        relabelled = json.loads(json.dumps(check))
        relabelled["metadata"]["labels"] = {"team": "a"}
        assert _server_update(kubectl, relabelled).returncode == 0
        assert not _offline(tmp_path, relabelled, live)["admission"]["rejected"]
    finally:
        kubectl("delete", "admissioncheck", name, "--wait=false", check=False)


def test_v1beta1_resource_flavor_is_stored_as_the_release_chart_says(kubectl, tmp_path):
    # Kueue v0.19.2's chart leaves ResourceFlavor's conversion strategy at None: the apiserver
    # accepts a v1beta1 ResourceFlavor (with a deprecation warning), and so must the validator.
    flavor = {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ResourceFlavor",
              "metadata": {"name": "vb-v1beta1-flavor"}, "spec": {}}
    server = _server_update(kubectl, flavor)
    assert server.returncode == 0, server.stderr
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(flavor))
    import subprocess
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", str(tmp_path / "f.yaml"),
                           "--json"], capture_output=True, text=True, timeout=120)
    doc = json.loads(proc.stdout)
    assert not doc["admission"]["rejected"], doc["findings"]
