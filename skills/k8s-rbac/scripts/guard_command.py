#!/usr/bin/env python3
"""Classify a shell command line as read / write / destructive and decide allow / ask / deny."""
from __future__ import annotations

import json
import os
import shlex
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run  # noqa: E402
from k8s_skillkit.errors import InputError  # noqa: E402

import _audit_log  # noqa: E402
from _guard import check, load_policy  # noqa: E402

EXAMPLES = """exit codes: 0 allow, 1 ask or deny, 2 bad usage or input.

examples:
  guard_command.py -- kubectl delete pods --all -n shop
  guard_command.py --json -- "kubectl get pods -o name | xargs kubectl delete"
  guard_command.py --policy guard-policy.yaml --log audit.jsonl --cite "p95 850ms" \\
      -- kubectl scale deploy/web -n shop --replicas=5
  echo '{"tool_name":"Bash","tool_input":{"command":"helm uninstall web"}}' | \\
      guard_command.py --hook        # Claude Code PreToolUse hook (see hooks/)

policy: YAML, see references/guard-policy.md (default: reads allowed, writes asked unless
--dry-run=server|client, destructive asked and explained; unparseable lines are asked).
"""


def policy_from(args) -> dict:
    path = args.policy or os.environ.get("K8S_SKILLS_GUARD_POLICY")
    if not path:
        return {}
    try:
        return load_policy(path)
    except ValueError as err:
        raise InputError(f"policy {err}") from err


def command_line(args) -> str:
    words = list(args.command)
    if words and words[0] == "--":
        words = words[1:]
    if not words:
        raise InputError("no command given: pass it after --")
    return words[0] if len(words) == 1 else shlex.join(words)


def render(verdict: dict) -> str:
    lines = [f"{verdict['decision'].upper()} ({verdict['class']})"]
    lines += [f"  - {r}" for r in verdict["reasons"]]
    if verdict["signals"]:
        lines.append(f"  signals: {', '.join(verdict['signals'])}")
    return "\n".join(lines)


def identity(session: str = "", agent: str = "cli") -> dict:
    return {"agent": os.environ.get("K8S_SKILLS_AGENT_IDENTITY", agent), "session": session,
            "user": os.environ.get("USER", ""), "context": current_context()}


def current_context() -> str:
    path = (os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config"))
    path = path.split(os.pathsep)[0]
    try:
        import yaml
        with open(path, encoding="utf-8") as handle:
            return str((yaml.safe_load(handle) or {}).get("current-context", ""))
    except Exception:  # noqa: BLE001 - identity is best effort, never a failure
        return ""


def cli_body(args):
    line = command_line(args)
    verdict = check(line, policy_from(args))
    if args.log:
        record = _audit_log.make_record(line, verdict, identity(), args.cite + verdict["comments"],
                                        source="cli")
        append_log(args.log, record)
    code = 0 if verdict["decision"] == "allow" else 1
    return dict(verdict), render(verdict), code


def append_log(path: str, record: dict) -> None:
    try:
        _audit_log.append(path, record)
    except OSError as err:
        raise InputError(f"audit log {path}: cannot write: {err}") from err


def read_hook_input() -> dict:
    try:
        payload = json.loads(sys.stdin.read() or "{}")
    except json.JSONDecodeError as err:
        raise InputError(f"hook input is not JSON: {err}") from err
    if not isinstance(payload, dict):
        raise InputError("hook input must be a JSON object")
    return payload


def hook_body(args):
    """PreToolUse: decide for Bash; allow stays silent so Claude Code's own rules apply."""
    payload = read_hook_input()
    tool_input = payload.get("tool_input") or {}
    if payload.get("tool_name", "Bash") != "Bash" or not isinstance(tool_input, dict):
        return {}, "", 0
    line = str(tool_input.get("command") or "")
    verdict = check(line, policy_from(args))
    if not args.no_log:
        cited = [str(tool_input.get("description") or "")] + args.cite + verdict["comments"]
        record = _audit_log.make_record(
            line, verdict, identity(str(payload.get("session_id", "")), "claude-code"), cited,
            source="claude-code-hook", record_id=str(payload.get("tool_use_id", "")),
            before=_audit_log.lookup_before(verdict) if verdict["decision"] != "deny" else "")
        append_log(args.log or _audit_log.default_path(), record)
    decision = verdict["decision"]
    if decision == "allow" and not args.hook_allow:
        return {}, "", 0
    reason = f"k8s-rbac guard: {verdict['class']} command; " + "; ".join(verdict["reasons"])
    out = {"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                  "permissionDecision": decision,
                                  "permissionDecisionReason": reason}}
    return {}, json.dumps(out), 0


def hook_post_body(args):
    """PostToolUse: append the result of a command the PreToolUse hook logged."""
    payload = read_hook_input()
    if payload.get("tool_name", "Bash") != "Bash" or args.no_log:
        return {}, "", 0
    response = payload.get("tool_response")
    result = "ran"
    if isinstance(response, dict):
        if response.get("interrupted"):
            result = "interrupted"
        elif response.get("is_error") or response.get("exit_code") not in (None, 0):
            result = f"failed (exit {response.get('exit_code', '?')})"
    append_log(args.log or _audit_log.default_path(),
               {"kind": "result", "id": str(payload.get("tool_use_id", "")),
                "time": _audit_log.now(), "result": result})
    return {}, "", 0


def body(args):
    if args.hook:
        return hook_body(args)
    if args.hook_post:
        return hook_post_body(args)
    return cli_body(args)


def main(argv=None) -> int:
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    parser.add_argument("--policy", metavar="FILE",
                        help="guard policy YAML (default: $K8S_SKILLS_GUARD_POLICY or built-in)")
    parser.add_argument("--log", metavar="FILE",
                        help="append an audit record (JSON Lines); hooks default to "
                             "$K8S_SKILLS_AUDIT_LOG or ~/.local/state/k8s-skills/audit.jsonl")
    parser.add_argument("--cite", action="append", default=[], metavar="SIGNAL",
                        help="the evidence behind the command, recorded in the audit log")
    parser.add_argument("--hook", action="store_true",
                        help="Claude Code PreToolUse hook: read the hook JSON on stdin")
    parser.add_argument("--hook-post", action="store_true",
                        help="Claude Code PostToolUse hook: record the command's result")
    parser.add_argument("--hook-allow", action="store_true",
                        help="with --hook, answer allow explicitly (skips Claude Code's prompt)")
    parser.add_argument("--no-log", action="store_true", help="with --hook, do not log")
    parser.add_argument("command", nargs="*", help="the command line (after --)")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
