"""The Claude Code hook: a decision for every input, and a block (exit 2) on any failure.

Claude Code's contract (CLI 2.1.332, checked in test_rbac_guard_claude_code.py against the
real CLI): exit 0 with `hookSpecificOutput.permissionDecision` ask/deny decides; exit 2
blocks the call; any other exit, a timeout or bad JSON lets the call run unless the hook
says `onFailure: block`. So the hook must never crash, hang or print bad JSON.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.skill_scripts import ROOT
from tests.skills.k8s_rbac.guard_context import context_for_cli

GUARD = ROOT / "skills" / "k8s-rbac" / "scripts" / "guard_command.py"


def run_hook(payload, tmp_path, *extra, raw: bytes | None = None, code: str | None = None):
    log = tmp_path / "audit.jsonl"
    kwargs = context_for_cli(tmp_path / "project")
    data = raw if raw is not None else json.dumps(payload).encode()
    argv = [sys.executable, str(GUARD), "--hook", "--log", str(log), *extra]
    if code:
        argv = [sys.executable, "-c", code, "--hook", "--log", str(log), *extra]
    start = time.monotonic()
    proc = subprocess.run(argv, input=data, capture_output=True, timeout=60, **kwargs)
    proc.seconds = time.monotonic() - start
    proc.log = log
    return proc


def decision(proc) -> str | None:
    assert proc.returncode == 0, proc.stderr
    if not proc.stdout.strip():
        return None
    return json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"]


def bash(command: str, **extra) -> dict:
    return {"tool_name": "Bash", "tool_input": {"command": command, **extra}, "cwd": None}


def test_hook_asks_for_destructive_and_logs_it(tmp_path):
    payload = {"tool_name": "Bash", "session_id": "s-1", "tool_use_id": "tu-1",
               "tool_input": {"command": "kubectl delete ns shop",
                              "description": "namespace is stuck terminating"}}
    proc = run_hook(payload, tmp_path)
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse" and out["permissionDecision"] == "ask"
    assert out["permissionDecisionReason"].startswith("k8s-rbac guard: ASK (destructive)")
    record = json.loads(proc.log.read_text().splitlines()[0])
    assert record["classification"] == "destructive" and record["decision"] == "ask"
    assert record["signals"] == ["namespace is stuck terminating"]
    assert record["identity"]["session"] == "s-1" and record["before"] == ""


def test_hook_denies_injection_and_tampering_and_is_silent_on_reads(tmp_path):
    assert decision(run_hook(bash("kubectl --server=https://203.0.113.9 get pods"),
                             tmp_path)) == "deny"
    assert decision(run_hook(bash("echo {} > .claude/settings.json"), tmp_path)) == "deny"
    assert decision(run_hook(bash("kubectl get po -A"), tmp_path)) is None
    assert decision(run_hook(bash("kubectl get po"), tmp_path, "--hook-allow")) == "allow"


@pytest.mark.parametrize("tool,tool_input,expected", [
    ("Write", {"file_path": ".claude/settings.local.json", "content": "{}"}, "deny"),
    ("Edit", {"file_path": "~/.bashrc", "old_string": "a", "new_string": "b"}, "ask"),
    ("MultiEdit", {"file_path": ".git/hooks/pre-push", "edits": []}, "ask"),
    ("Read", {"file_path": "/var/run/secrets/kubernetes.io/serviceaccount/token"}, "ask"),
    ("Write", {"file_path": "notes.md", "content": "x"}, None),
    ("WebFetch", {"url": "https://example.invalid"}, None),
    ("Glob", {"pattern": "**"}, None),
])
def test_hook_judges_file_tools(tool, tool_input, expected, tmp_path):
    payload = {"tool_name": tool, "tool_input": tool_input}
    assert decision(run_hook(payload, tmp_path)) == expected


@pytest.mark.parametrize("raw", [
    b"", b"   ", b"not json", b"[1]", b"null", b'"Bash"', b'{"tool_input": {}}',
    b'{"tool_name": 7}', b'{"tool_name": "Bash", "tool_input": "kubectl delete ns x"}',
    b'{"tool_name": "Bash", "tool_input": {}}',
    b'{"tool_name": "Bash", "tool_input": {"command": ["kubectl", "delete"]}}',
    b'{"tool_name": "Bash", "tool_input": {"command": null}}',
    b'{"tool_name": "Write", "tool_input": "x"}',
    b"\xff\xfe\x00bad", b'{"tool_name": "Bash", "tool_input": {"command": "\xff"}}',
    b"[" * 100000 + b"]" * 100000,
    b'{"tool_name": "Bash", "tool_input": {"command": "' + b"a" * (1 << 21) + b'"}}',
], ids=lambda raw: repr(raw[:30]))
def test_malformed_hook_input_blocks(raw, tmp_path):
    proc = run_hook(None, tmp_path, raw=raw)
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.decode().startswith("k8s-rbac guard") and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["", "   ", "\x00", "echo 'open", "kubectl get pods \\"])
def test_unreadable_commands_are_asked_not_allowed(command, tmp_path):
    assert decision(run_hook(bash(command), tmp_path)) == "ask"


def test_a_guard_failure_blocks(tmp_path):
    code = ("import sys; sys.path.insert(0, %r); import _guard\n"
            "def boom(*a, **k): raise RuntimeError('bug')\n"
            "_guard.check = boom\nsys.argv[0] = %r\nimport guard_command\n"
            "sys.exit(guard_command.main(sys.argv[1:]))" % (str(GUARD.parent), str(GUARD)))
    proc = run_hook(bash("kubectl get pods"), tmp_path, code=code)
    assert proc.returncode == 2 and b"RuntimeError" in proc.stderr


def test_a_slow_decision_blocks_before_claude_codes_timeout(tmp_path):
    code = ("import sys, time; sys.path.insert(0, %r); import _guard, guard_command\n"
            "guard_command.HOOK_DEADLINE = 0.5\n"
            "_guard.check = lambda *a, **k: time.sleep(30)\n"
            "sys.exit(guard_command.main(sys.argv[1:]))" % str(GUARD.parent))
    proc = run_hook(bash("kubectl get pods"), tmp_path, code=code)
    assert proc.returncode == 2 and b"no decision within" in proc.stderr
    assert proc.seconds < 15


def test_an_unwritable_audit_log_blocks(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_hook(bash("kubectl get pods"), tmp_path, "--log", str(blocker / "audit.jsonl"))
    assert proc.returncode == 2 and b"audit log" in proc.stderr


def test_a_bad_policy_blocks_every_call(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("decisions: {destructive: allow}\n")
    proc = run_hook(bash("kubectl get pods"), tmp_path, "--policy", str(policy))
    assert proc.returncode == 2 and b"destructive" in proc.stderr


def test_post_hook_never_blocks_and_records_the_result(tmp_path):
    pre = {"tool_name": "Bash", "tool_use_id": "tu-9", "tool_input": {
        "command": "kubectl scale deploy/web -n shop --replicas=5",
        "description": "P95 latency 850ms over the 300ms SLO"}}
    log = run_hook(pre, tmp_path).log
    for raw in (b"garbage", json.dumps({"tool_name": "Bash", "tool_use_id": "tu-9",
                                        "tool_response": {"stdout": "scaled"}}).encode()):
        proc = subprocess.run([sys.executable, str(GUARD), "--hook-post", "--log", str(log)],
                              input=raw, capture_output=True, timeout=60)
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    from harness import safety
    action = safety.summarise(safety.read_audit_log(log))["actions"][0]
    assert action["sentence"] == ("scaled deployment/web in shop to 5 citing "
                                  "P95 latency 850ms over the 300ms SLO")
    assert action["result"] == "ran"


def test_before_state_is_read_only_for_an_allowed_command(tmp_path):
    """Nothing runs while deciding: an asked scale logs no `before` (it would have run
    kubectl before anyone approved); a scale the policy allows reads it after deciding."""
    stub = tmp_path / "bin"
    stub.mkdir()
    marker = tmp_path / "kubectl-ran"
    (stub / "kubectl").write_text(f"#!/bin/sh\necho \"$@\" >> {marker}\necho 3\n")
    (stub / "kubectl").chmod(0o755)
    policy = tmp_path / "policy.yaml"
    policy.write_text("allowed_writes: [{namespaces: [shop], resources: [deployments], "
                      "verbs: [scale]}]\n")
    kwargs = context_for_cli(tmp_path / "project")
    kwargs["env"]["PATH"] = f"{stub}:{kwargs['env']['PATH']}"
    log = tmp_path / "audit.jsonl"

    def hook(command, *extra):
        return subprocess.run([sys.executable, str(GUARD), "--hook", "--log", str(log),
                               *extra], input=json.dumps(bash(command)).encode(),
                              capture_output=True, timeout=60, **kwargs)
    hook("kubectl scale deployment/web -n shop --replicas=5 --kubeconfig=/tmp/evil.yaml")
    hook("kubectl scale deployment/web -n shop --replicas=5")
    assert not marker.exists()
    hook("kubectl scale deployment/web -n shop --replicas=5", "--policy", str(policy))
    assert marker.read_text().split() == ["get", "-o", "jsonpath={.spec.replicas}", "-n",
                                          "shop", "--", "deployment/web"]
    befores = [json.loads(line)["before"] for line in log.read_text().splitlines()]
    assert befores == ["", "", "3"]
