"""Guard behaviour a user notices: explanations, policies, the CLI and the Claude Code hook."""
from __future__ import annotations

import json

import pytest

import _guard


def test_destructive_reasons_name_the_danger():
    verdict = _guard.check("kubectl get pods -o name | xargs kubectl delete -n shop")
    assert verdict["class"] == "destructive"
    assert any("deletes" in r for r in verdict["reasons"])
    assert "xargs" in verdict["signals"]


def test_policy_can_deny_destructive_but_never_allow_it():
    assert _guard.check("kubectl delete pod x", {"decisions": {"destructive": "deny"}})[
        "decision"] == "deny"
    assert _guard.policy_problems({"decisions": {"destructive": "allow"}})
    forced = _guard.check("kubectl delete pod x", {"decisions": {"destructive": "allow"}})
    assert forced["decision"] == "ask"


def test_policy_allows_writes_to_approved_namespace_and_kind_only():
    policy = {"allowed_writes": [{"namespaces": ["team-a"],
                                  "resources": ["workloads.kueue.x-k8s.io", "httproutes"]}]}
    ok = "kubectl patch workloads wl-1 -n team-a --type=merge -p '{}'"
    assert _guard.check(ok, policy)["decision"] == "allow"
    assert _guard.check(ok.replace("team-a", "team-b"), policy)["decision"] == "ask"
    assert _guard.check("kubectl patch deploy web -n team-a -p '{}'", policy)["decision"] == "ask"
    assert _guard.check("kubectl delete workloads wl-1 -n team-a", policy)["decision"] == "ask"


def test_policy_deny_patterns_and_allowed_contexts():
    policy = {"deny": [r"\bhelm\s+upgrade\b"], "allowed_contexts": ["k8s-skills"]}
    assert _guard.check("helm upgrade web ./c", policy)["decision"] == "deny"
    assert _guard.check("kubectl --context=k8s-skills get pods", policy)["decision"] == "allow"
    assert _guard.check("kubectl --context=prod get pods", policy)["decision"] == "ask"


def test_local_manifest_with_rbac_kinds_is_destructive(tmp_path):
    manifest = tmp_path / "rbac.yaml"
    manifest.write_text("kind: ClusterRoleBinding\napiVersion: rbac.authorization.k8s.io/v1\n")
    assert _guard.check(f"kubectl apply -f {manifest}")["class"] == "destructive"
    assert _guard.check(f"kubectl apply -f - < {manifest}")["class"] == "destructive"
    plain = tmp_path / "cm.yaml"
    plain.write_text("kind: ConfigMap\n")
    assert _guard.check(f"kubectl apply -f {plain}")["class"] == "write"


def test_cli_exit_codes_and_json(script):
    allow = script("guard_command.py", "--json", "--", "kubectl", "get", "pods")
    assert allow.code == 0 and allow.doc["decision"] == "allow"
    assert allow.doc["schema_version"] == 1
    ask = script("guard_command.py", "--", "kubectl delete ns prod")
    assert ask.code == 1 and ask.out.startswith("ASK (destructive)")
    empty = script("guard_command.py")
    assert empty.code == 2 and empty.err.startswith("error:")


def test_cli_rejects_a_bad_policy(script, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("decisions: {destructive: allow}\n")
    res = script("guard_command.py", "--policy", str(bad), "--", "kubectl get pods")
    assert res.code == 2 and "destructive" in res.err and len(res.err.splitlines()) == 1


def _hook(script, payload, tmp_path, *extra):
    log = tmp_path / "audit.jsonl"
    res = script("guard_command.py", "--hook", "--log", str(log), *extra,
                 stdin=json.dumps(payload))
    return res, log


def test_hook_asks_for_destructive_and_logs_it(script, tmp_path):
    payload = {"tool_name": "Bash", "session_id": "s-1", "tool_use_id": "tu-1",
               "tool_input": {"command": "kubectl delete ns shop",
                              "description": "namespace is stuck terminating"}}
    res, log = _hook(script, payload, tmp_path)
    assert res.code == 0
    out = json.loads(res.out)["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse" and out["permissionDecision"] == "ask"
    assert "deletes" in out["permissionDecisionReason"]
    record = json.loads(log.read_text().splitlines()[0])
    assert record["classification"] == "destructive" and record["decision"] == "ask"
    assert record["signals"] == ["namespace is stuck terminating"]
    assert record["identity"]["session"] == "s-1"


def test_hook_denies_flag_injection_and_stays_silent_on_reads(script, tmp_path):
    deny, _ = _hook(script, {"tool_name": "Bash", "tool_input": {
        "command": "kubectl --server=https://203.0.113.9 get pods"}}, tmp_path)
    assert json.loads(deny.out)["hookSpecificOutput"]["permissionDecision"] == "deny"
    read, _ = _hook(script, {"tool_name": "Bash", "tool_input": {"command": "kubectl get po"}},
                    tmp_path)
    assert read.code == 0 and read.out == ""
    other, _ = _hook(script, {"tool_name": "Read", "tool_input": {"file_path": "x"}}, tmp_path)
    assert other.code == 0 and other.out == ""


def test_hook_blocks_on_garbage_input(script):
    res = script("guard_command.py", "--hook", "--no-log", stdin="not json")
    assert res.code == 2 and res.err.startswith("error: hook input")


def test_post_hook_records_the_result_and_summary_joins_it(script, tmp_path):
    pre = {"tool_name": "Bash", "tool_use_id": "tu-9", "tool_input": {
        "command": "kubectl scale deploy/web -n shop --replicas=5",
        "description": "P95 latency 850ms over the 300ms SLO"}}
    _, log = _hook(script, pre, tmp_path)
    script("guard_command.py", "--hook-post", "--log", str(log), stdin=json.dumps(
        {"tool_name": "Bash", "tool_use_id": "tu-9", "tool_response": {"stdout": "scaled"}}))
    from harness import safety
    summary = safety.summarise(safety.read_audit_log(log))
    action = summary["actions"][0]
    assert action["sentence"] == ("scaled deployment/web in shop to 5 citing "
                                  "P95 latency 850ms over the 300ms SLO")
    assert action["result"] == "ran"


def test_audit_log_redacts_credentials(tmp_path):
    import _audit_log
    verdict = _guard.check("kubectl create secret generic db --from-literal=password=hunter2")
    record = _audit_log.make_record("kubectl create secret generic db "
                                    "--from-literal=password=hunter2 --token=abc", verdict, {})
    assert "hunter2" not in record["command"] and "abc" not in record["command"]


@pytest.mark.parametrize("line", ["kubectl get pods |", "echo $(", "a <<EOF"])
def test_unreadable_lines_are_never_allowed(line):
    assert _guard.check(line)["decision"] != "allow"


def test_audit_log_redacts_secret_manifests_in_heredocs():
    import _audit_log
    line = ("kubectl apply -f - <<EOF\nkind: Secret\nstringData:\n  password: hunter2\n"
            "metadata:\n  name: db\nEOF")
    text = _audit_log.redact(line)
    assert "hunter2" not in text and "name: db" in text


def test_manifest_directory_is_read_for_rbac_kinds(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: ConfigMap\n")
    assert _guard.check(f"kubectl apply -f {tmp_path}")["class"] == "write"
    (tmp_path / "b.yaml").write_text("kind: RoleBinding\n")
    assert _guard.check(f"kubectl apply -f {tmp_path}")["class"] == "destructive"


def test_wrapped_commands_are_decided_one_by_one():
    """An allowed inner command never lends its allowance to its neighbour."""
    policy = {"allowed_writes": [{"namespaces": ["team-a"], "resources": ["workloads"]}],
              "allowed_contexts": ["k8s-skills"]}
    ok = "kubectl patch workloads w -n team-a -p x"
    assert _guard.check(f"sh -c '{ok}'", policy)["decision"] == "allow"
    mixed = f"sh -c '{ok}; kubectl patch deploy web -n prod -p y'"
    assert _guard.check(mixed, policy)["decision"] == "ask"
    hidden = "bash -c 'kubectl get pods; kubectl --context=prod get pods'"
    assert _guard.check(hidden, policy)["decision"] == "ask"
    rehearsal = "bash -c 'kubectl apply -f x --dry-run=server; kubectl get pods'"
    assert _guard.check(rehearsal, policy)["decision"] == "allow"
