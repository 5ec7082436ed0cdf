"""grant_denied.py on a real API server: the Forbidden errors come from the apiserver itself
(a ServiceAccount impersonated by kubectl), the generated Role is applied, SubjectAccessReview
then allows exactly the denied requests, the real calls succeed, and nothing next to them
(another verb, namespace, object or resource) is allowed.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-rbac" / "scripts"


def grant(kubectl_env, *args):
    return subprocess.run([sys.executable, str(SCRIPTS / "grant_denied.py"), *args],
                          capture_output=True, text=True, timeout=120, env=kubectl_env)


def as_sa(kubectl_env, user, *args):
    return subprocess.run(["kubectl", f"--as={user}", *args], capture_output=True, text=True,
                          timeout=60, env=kubectl_env)


def can_i(kubectl_env, user, *args) -> bool:
    proc = subprocess.run(["kubectl", "auth", "can-i", *args, f"--as={user}"],
                          capture_output=True, text=True, timeout=60, env=kubectl_env)
    return proc.stdout.strip() == "yes"


REQUESTS = [("get", "pods"), ("get", "configmap", "cfg-a"), ("get", "nodes")]


def test_forbidden_to_least_grant_confirmed_by_the_apiserver(kubectl, kubectl_env, namespace,
                                                             other_namespace, tmp_path):
    kubectl("create", "serviceaccount", "runner", "-n", namespace)
    for cm in ("cfg-a", "cfg-b"):
        kubectl("create", "configmap", cm, "-n", namespace, "--from-literal=k=v")
    user = f"system:serviceaccount:{namespace}:runner"
    errors = []
    for request in REQUESTS:
        proc = as_sa(kubectl_env, user, *request, "-n", namespace)
        assert proc.returncode != 0 and "Forbidden" in proc.stderr, proc
        errors.append(proc.stderr)
    paste = tmp_path / "denied.txt"
    paste.write_text("".join(errors))

    before = grant(kubectl_env, "-f", str(paste), "--check")
    assert before.returncode == 1, before
    assert [line.split()[0] for line in before.stdout.splitlines()] == ["DENIED"] * 3
    generated = grant(kubectl_env, "-f", str(paste))
    assert generated.returncode == 0, generated.stderr
    (tmp_path / "grant.yaml").write_text(generated.stdout)
    try:
        kubectl("apply", "-f", str(tmp_path / "grant.yaml"))
        after = grant(kubectl_env, "-f", str(paste), "--check")
        assert after.returncode == 0, after
        assert [line.split()[0] for line in after.stdout.splitlines()] == ["allowed"] * 3
        for request in REQUESTS:
            proc = as_sa(kubectl_env, user, *request, "-n", namespace)
            assert proc.returncode == 0, (request, proc.stderr)
        broader = [("delete", "pods", "-n", namespace), ("list", "pods", "-n", other_namespace),
                   ("get", "configmap", "cfg-b", "-n", namespace),
                   ("list", "configmaps", "-n", namespace), ("list", "secrets", "-n", namespace),
                   ("get", "pods", "--subresource=log", "-n", namespace),
                   ("delete", "nodes"), ("list", "pods", "-A")]
        allowed = [b for b in broader if can_i(kubectl_env, user, *b)]
        assert allowed == []
    finally:
        kubectl("delete", "clusterrolebinding,clusterrole", f"grant-{namespace}-runner",
                "--ignore-not-found", check=False)
