"""A ValidatingAdmissionPolicy's refusal, read by triage.py and audit_rbac.py as users meet it.

The message is the real kube-apiserver's (the local cluster's), never typed in: a policy and
binding that deny Deployments of more than 5 replicas in one test namespace, and `kubectl
apply` of one with 6, pasted as kubectl printed it (the refusal's status reason is Invalid by
default, so kubectl says `... is invalid: : ValidatingAdmissionPolicy '...' with binding '...'
denied request: ...`).
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

SKILLS = Path(__file__).resolve().parents[2] / "skills"
SCRIPTS = {"triage": SKILLS / "k8s-troubleshooting" / "scripts" / "triage.py",
           "audit_rbac": SKILLS / "k8s-rbac" / "scripts" / "audit_rbac.py"}


def _policy(name: str, namespace: str) -> list[dict]:
    policy = {"apiVersion": "admissionregistration.k8s.io/v1",
              "kind": "ValidatingAdmissionPolicy", "metadata": {"name": name},
              "spec": {"failurePolicy": "Fail",
                       "matchConstraints": {"resourceRules": [{
                           "apiGroups": ["apps"], "apiVersions": ["v1"],
                           "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]},
                       "validations": [{"expression": "object.spec.replicas <= 5"}]}}
    binding = {"apiVersion": "admissionregistration.k8s.io/v1",
               "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": name + "-b"},
               "spec": {"policyName": name, "validationActions": ["Deny"],
                        "matchResources": {"namespaceSelector": {"matchLabels": {
                            "kubernetes.io/metadata.name": namespace}}}}}
    return [policy, binding]


def _deployment(namespace: str) -> dict:
    # replicas 6 is what the policy refuses; the Deployment never exists, nothing runs
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": namespace},
            "spec": {"replicas": 6, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "app",
                                                           "image": "team/app:1.4.2"}]}}}}


@pytest.fixture
def policy(kubectl, namespace):
    name = f"max-replicas-{namespace}"
    objects = _policy(name, namespace)
    apply(kubectl, *objects)
    yield name
    for obj in objects:
        kubectl("delete", obj["kind"].lower(), obj["metadata"]["name"], "--wait=false",
                check=False)


def _refusal(kubectl, namespace: str) -> str:
    """kubectl apply's output once the policy is in force (its informer picks it up in a
    second or two; until then the Deployment is admitted and deleted again)."""
    def refused():
        proc = kubectl("apply", "-f", "-", stdin=yaml.safe_dump(_deployment(namespace)),
                       check=False)
        if proc.returncode == 0:
            kubectl("delete", "deployment", "web", "-n", namespace, check=False)
            return ""
        return proc.stderr
    return wait_for(refused, timeout=60, what="the policy to refuse the Deployment")


def _run(script: str, text: str, tmp_path: Path) -> dict:
    paste = tmp_path / "paste.txt"
    paste.write_text(text)
    proc = subprocess.run([sys.executable, str(SCRIPTS[script]), "--json", "-f", str(paste)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_a_policy_refusal_is_read_by_both_skills(kubectl, namespace, policy, tmp_path):
    text = "$ kubectl apply -f web.yaml\n" + _refusal(kubectl, namespace)
    assert f"ValidatingAdmissionPolicy '{policy}'" in text, text
    for script in SCRIPTS:
        found = _run(script, text, tmp_path)["findings"]
        assert found and found[0]["cause"] == "admission_webhook_denied", (script, found)
        assert policy in found[0]["message"], (script, found[0])
