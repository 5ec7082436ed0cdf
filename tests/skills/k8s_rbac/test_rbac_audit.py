"""audit_rbac.py offline: each cause on its trigger, nothing on a least-privilege setup."""
from __future__ import annotations

import pytest

CAUSES = {
    "wildcard_verbs": "everything-on-configmaps",
    "wildcard_resources": "read-all-kinds",
    "secrets_readable": "secret-reader",
    "escalation_verbs": "role-granter",
    "pod_exec_or_attach": "shell",
    "cluster_admin_binding": "ci-admin",
    "default_service_account_bound": "default-reads-secrets",
    "stale_binding": "gone",
}


@pytest.fixture
def risky(script, resource):
    res = script("audit_rbac.py", "-f", resource("risky-rbac.yaml"), "--json")
    assert res.code == 1, res.err
    return res.doc


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_cause_found_on_its_object(risky, cause):
    assert (cause, CAUSES[cause]) in {(f["cause"], f["object"]["name"])
                                      for f in risky["findings"]}


def test_builtin_roles_are_skipped_unless_asked(risky, script, resource):
    assert "cluster-admin" not in {f["object"]["name"] for f in risky["findings"]}
    res = script("audit_rbac.py", "-f", resource("risky-rbac.yaml"), "--include-defaults",
                 "--json")
    assert "cluster-admin" in {f["object"]["name"] for f in res.doc["findings"]}


def test_findings_say_who_is_bound(risky):
    secret = next(f for f in risky["findings"] if f["cause"] == "secrets_readable"
                  and f["object"]["name"] == "secret-reader")
    assert any("ServiceAccount shop/default" in e for e in secret["evidence"])


def test_least_privilege_agent_is_clean(script, resource):
    res = script("audit_rbac.py", "-f", resource("clean-rbac.yaml"))
    assert res.code == 0 and res.out.startswith("no risky RBAC")


def test_text_output_is_a_digest(script, resource):
    res = script("audit_rbac.py", "-f", resource("risky-rbac.yaml"), "--limit", "2")
    assert res.out.splitlines()[0].startswith("9 findings") or "findings (" in res.out
    assert "more (--all)" in res.out


def test_bad_input_is_one_line(script, tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("a: [\n")
    res = script("audit_rbac.py", "-f", str(bad))
    assert res.code == 2 and len(res.err.splitlines()) == 1
