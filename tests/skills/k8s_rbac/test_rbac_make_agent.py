"""make_agent_rbac.py: what each mode grants, and what no mode ever grants."""
from __future__ import annotations

import yaml


def _objects(script, *args):
    res = script("make_agent_rbac.py", *args)
    assert res.code == 0, res.err
    return [o for o in yaml.safe_load_all(res.out) if o]


def _rules(objects, kind):
    return [r for o in objects if o["kind"] == kind for r in o["rules"]]


def test_advisory_reads_all_but_secrets_and_writes_nothing(script):
    objs = _objects(script, "--mode", "advisory", "--namespace", "agent-system")
    assert [o["kind"] for o in objs] == ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]
    rules = _rules(objs, "ClusterRole")
    assert all(set(r["verbs"]) == {"get", "list", "watch"} for r in rules)
    core = next(r for r in rules if r["apiGroups"] == [""])
    assert "secrets" not in core["resources"] and "pods" in core["resources"]
    assert "*" not in core["resources"]


def test_read_secrets_only_when_asked(script):
    objs = _objects(script, "--mode", "advisory", "--namespace", "a", "--read-secrets")
    core = next(r for r in _rules(objs, "ClusterRole") if r["apiGroups"] == [""])
    assert "secrets" in core["resources"]


def test_semi_autonomous_writes_named_kinds_in_named_namespaces(script):
    objs = _objects(script, "--mode", "semi-autonomous", "--namespace", "agent-system",
                    "--write-namespaces", "team-a,team-b")
    roles = [o for o in objs if o["kind"] == "Role"]
    assert sorted(r["metadata"]["namespace"] for r in roles) == ["team-a", "team-b"]
    grants = {(g, res) for r in roles[0]["rules"] for g in r["apiGroups"] for res in r["resources"]}
    assert grants == {("kueue.x-k8s.io", "workloads"), ("gateway.networking.k8s.io", "httproutes")}
    assert all(r["verbs"] == ["create", "update", "patch"] for r in roles[0]["rules"])
    policies = [o for o in objs if o["kind"] == "NetworkPolicy"]
    assert len(policies) == 8  # four per tenant namespace


def test_operator_can_delete_workloads_but_never_rbac_or_secrets(script):
    objs = _objects(script, "--mode", "operator", "--namespace", "a", "--write-namespaces", "b")
    rules = _rules(objs, "Role")
    assert any("delete" in r["verbs"] and "deployments" in r["resources"] for r in rules)
    for r in rules:
        assert "rbac.authorization.k8s.io" not in r["apiGroups"]
        assert not {"secrets", "pods/exec", "*"} & set(r["resources"])
        assert not {"escalate", "bind", "impersonate", "*"} & set(r["verbs"])


def test_generated_roles_pass_the_audit(script, tmp_path):
    res = script("make_agent_rbac.py", "--mode", "operator", "--namespace", "a",
                 "--write-namespaces", "b")
    dump = tmp_path / "rbac.yaml"
    dump.write_text(res.out)
    audit = script("audit_rbac.py", "-f", str(dump), "--json")
    assert audit.code == 0, audit.out


def test_usage_errors(script):
    missing = script("make_agent_rbac.py", "--mode", "operator", "--namespace", "a")
    assert missing.code == 2 and "--write-namespaces" in missing.err
    forbidden = script("make_agent_rbac.py", "--mode", "operator", "--namespace", "a",
                       "--write-namespaces", "b", "--kinds", "rbac.authorization.k8s.io/roles")
    assert forbidden.code == 2 and "never writes RBAC" in forbidden.err
    bad_name = script("make_agent_rbac.py", "--mode", "advisory", "--namespace", "Bad_NS")
    assert bad_name.code == 2 and len(bad_name.err.splitlines()) == 1
