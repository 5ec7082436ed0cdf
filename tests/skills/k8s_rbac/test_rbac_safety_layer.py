"""One implementation: harness.safety runs the skill's modules; the hook files point at them."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import audit_cli, safety
from harness.errors import UserError

ROOT = Path(__file__).resolve().parents[3]
SKILL = ROOT / "skills" / "k8s-rbac"


def test_harness_uses_the_skill_module():
    import _guard
    assert safety._module("_guard") is _guard
    assert Path(_guard.__file__).resolve().parent == SKILL / "scripts" / "_guard"


def test_guard_review_lists_what_needed_a_person(tmp_path):
    log = tmp_path / "audit.jsonl"
    guard = safety.Guard(log_path=log, identity={"agent": "harness", "session": "run-1"})
    guard.check("kubectl get pods -n shop")
    guard.check("kubectl scale deploy/web -n shop --replicas=5", signals=["p95 850ms"])
    guard.result("h2", "ran")
    guard.check("kubectl delete ns shop")
    assert [r["classification"] for r in guard.review()] == ["write", "destructive"]
    assert len(log.read_text().splitlines()) == 4


def _audit(argv):
    parser = argparse.ArgumentParser()
    audit_cli.register(parser.add_subparsers())
    args = parser.parse_args(["audit", *argv])
    return args.handler(args)


def test_audit_command_summarises_the_log(tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    guard = safety.Guard(log_path=log, identity={"agent": "harness"})
    guard.check("kubectl scale deploy/web -n shop --replicas=5",
                signals=["P95 latency 850ms"])
    guard.result("h1", "ran")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    records[0]["before"] = "3"  # what the hook reads live before a scale
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert _audit(["--log", str(log)]) == 0
    out = capsys.readouterr().out
    assert "scaled deployment/web in shop from 3 to 5 citing P95 latency 850ms" in out
    assert "[write, ask, ran]" in out
    assert _audit(["--log", str(log), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["commands"] == 1


def test_audit_command_without_a_log_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        _audit(["--log", str(tmp_path / "missing.jsonl")])


@pytest.mark.parametrize("hooks_file,root_var", [
    (SKILL / "hooks" / "hooks.json", "CLAUDE_PLUGIN_ROOT"),
    (SKILL / "hooks" / "settings-snippet.json", "CLAUDE_PROJECT_DIR"),
])
def test_hook_wiring_runs_the_guard(hooks_file, root_var, tmp_path):
    """Run the configured command through a shell, as Claude Code does."""
    hooks = json.loads(hooks_file.read_text())["hooks"]
    hook = hooks["PreToolUse"][0]["hooks"][0]
    command = hook["command"]
    assert set(hooks["PreToolUse"][0]["matcher"].split("|")) >= {"Bash", "Write", "Edit",
                                                               "MultiEdit", "Read"}
    assert hook["onFailure"] == "block" and command.endswith("|| exit 2")
    root = tmp_path / "root"
    target = root / (".claude/skills" if root_var == "CLAUDE_PROJECT_DIR" else "skills")
    target.mkdir(parents=True)
    (target / "k8s-rbac").symlink_to(SKILL)
    (target / "_shared").symlink_to(ROOT / "skills" / "_shared")
    env = dict(os.environ, **{root_var: str(root)},
               K8S_SKILLS_AUDIT_LOG=str(tmp_path / "audit.jsonl"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    payload = {"tool_name": "Bash", "tool_input": {"command": "helm uninstall web"}}
    proc = subprocess.run(["sh", "-c", command.replace("python3", sys.executable, 1)],
                          input=json.dumps(payload), capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"] == "ask"
    broken = dict(env, PATH="/nonexistent")        # no python3: the shell's `|| exit 2`
    proc = subprocess.run(["/bin/sh", "-c", command], input=json.dumps(payload),
                          capture_output=True, text=True, env=broken, timeout=60)
    assert proc.returncode == 2
