#!/usr/bin/env python3
"""Decide allow / ask / deny for a shell command line: allow only what is fully understood."""
from __future__ import annotations

import os
import sys

# The hook runs on every tool call: keep compiled modules in a cache of our own (the
# skill folder may be read-only, PYTHONDONTWRITEBYTECODE may be set).
if __name__ == "__main__":
    sys.dont_write_bytecode = False
    sys.pycache_prefix = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"), "k8s-skills", "pycache")

import json
import shlex
import signal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.join(HERE, "..", "..", "_shared"))
# Claude Code's own timeout for the hook is 15 s (and it blocks then too): answer before it
# in wall time, and give up after 5 s of CPU (a loaded machine is slow, not a runaway)
HOOK_DEADLINE = 12.0
HOOK_CPU_DEADLINE = 5.0
MAX_HOOK_INPUT = 1 << 20

EXAMPLES = """exit codes: 0 allow, 1 ask or deny, 2 bad usage or input.
With --hook: exit 0 with a JSON decision (ask/deny) or nothing (allow), exit 2 to block
when the input is malformed or the guard fails in any way (Claude Code then blocks).

examples:
  guard_command.py -- kubectl delete pods --all -n shop
  guard_command.py --json -- "kubectl get pods -o name | xargs kubectl delete"
  guard_command.py --policy guard-policy.yaml --log audit.jsonl --cite "p95 850ms" \\
      -- kubectl scale deploy/web -n shop --replicas=5
  echo '{"tool_name":"Bash","tool_input":{"command":"helm uninstall web"}}' | \\
      guard_command.py --hook        # Claude Code PreToolUse hook (see hooks/)

policy: YAML, see references/guard-policy.md. A line is allowed only when every command in
it is a known read (or a write the policy allows, e.g. a real --dry-run=server); anything
the guard cannot fully understand is asked; sending credentials elsewhere and tampering
with the guard are denied.
"""


def _load():
    from k8s_skillkit.cli import make_parser, run
    from k8s_skillkit.errors import InputError
    from _guard import audit_log
    import _guard
    return make_parser, run, InputError, audit_log, _guard


def policy_from(args, InputError, _guard) -> dict:
    path = args.policy or os.environ.get("K8S_SKILLS_GUARD_POLICY")
    if not path:
        return {}
    try:
        return _guard.load_policy(path)
    except ValueError as err:
        raise InputError(f"policy {err}") from err


def command_line(args, InputError) -> str:
    words = list(args.command)
    if words and words[0] == "--":
        words = words[1:]
    if not words:
        raise InputError("no command given: pass it after --")
    return words[0] if len(words) == 1 else shlex.join(words)


def render(verdict: dict) -> str:
    lines = [verdict["explanation"]]
    lines += [f"  - {r}" for r in verdict["reasons"]]
    if verdict["signals"]:
        lines.append(f"  signals: {', '.join(verdict['signals'])}")
    return "\n".join(lines)


def identity(session: str = "", agent: str = "cli") -> dict:
    return {"agent": os.environ.get("K8S_SKILLS_AGENT_IDENTITY", agent), "session": session,
            "user": os.environ.get("USER", ""), "context": current_context()}


def current_context() -> str:
    """The kubeconfig's current-context, read as text (nothing is run, nothing parsed
    beyond one line)."""
    path = (os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config"))
    path = path.split(os.pathsep)[0]
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle.read(65536).splitlines():
                if line.startswith("current-context:"):
                    return line.split(":", 1)[1].strip().strip("'\"")[:200]
    except OSError:
        return ""
    return ""


def cli_body(args):
    _, _, InputError, audit_log, _guard = _load()
    line = command_line(args, InputError)
    verdict = _guard.check(line, policy_from(args, InputError, _guard))
    if args.log:
        record = audit_log.make_record(line, verdict, identity(),
                                        args.cite + verdict["comments"], source="cli")
        append_log(args.log, record, InputError, audit_log)
    code = 0 if verdict["decision"] == "allow" else 1
    return dict(verdict), render(verdict), code


def append_log(path: str, record: dict, InputError, audit_log) -> None:
    try:
        audit_log.append(path, record)
    except OSError as err:
        raise InputError(f"audit log {path}: cannot write: {err}") from err


# --- the Claude Code hook ---------------------------------------------------------------

class HookInputError(Exception):
    """The hook's input is not what Claude Code sends: block and say why."""


def read_hook_input() -> dict:
    raw = sys.stdin.buffer.read(MAX_HOOK_INPUT + 1)
    if len(raw) > MAX_HOOK_INPUT:
        raise HookInputError(f"hook input is larger than {MAX_HOOK_INPUT} bytes")
    if not raw.strip():
        raise HookInputError("hook input is empty")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise HookInputError(f"hook input is not JSON: {str(err)[:120]}") from err
    if not isinstance(payload, dict):
        raise HookInputError("hook input must be a JSON object")
    if not isinstance(payload.get("tool_name"), str):
        raise HookInputError("hook input has no tool_name")
    return payload


def hook_verdict(payload: dict, args, policy: dict, _guard) -> dict | None:
    """The guard's verdict for one tool call; None when it has no opinion."""
    tool = payload["tool_name"]
    tool_input = payload.get("tool_input")
    cwd = payload.get("cwd") if isinstance(payload.get("cwd"), str) else None
    if tool == "Bash":
        if not isinstance(tool_input, dict):
            raise HookInputError("Bash tool_input must be an object")
        command = tool_input.get("command")
        if not isinstance(command, str):
            raise HookInputError("Bash tool_input has no command string")
        return _guard.check(command, policy, cwd=cwd)
    if not isinstance(tool_input, dict):
        raise HookInputError(f"{tool} tool_input must be an object")
    return _guard.judge_tool(tool, tool_input, cwd=cwd, policy=policy)


def hook_body(args) -> int:
    """PreToolUse: decide, log, answer. Exit 2 (block) on any problem."""
    from _guard import audit_log
    import _guard
    payload = read_hook_input()
    try:
        policy = policy_from(args, HookInputError, _guard)
    except HookInputError:
        raise
    verdict = hook_verdict(payload, args, policy, _guard)
    if verdict is None:
        return 0
    decision = verdict["decision"]
    if not args.no_log:
        _log_hook_call(payload, verdict, args, audit_log)
    if decision == "allow" and not args.hook_allow:
        return 0
    reason = f"k8s-rbac guard: {verdict['explanation']}"
    out = {"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                  "permissionDecision": decision,
                                  "permissionDecisionReason": reason}}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


def _log_hook_call(payload: dict, verdict: dict, args, audit_log) -> None:
    tool_input = payload.get("tool_input") or {}
    command = tool_input.get("command") if payload["tool_name"] == "Bash" else \
        f"{payload['tool_name']} {tool_input.get('file_path') or tool_input.get('path') or ''}"
    cited = [str(tool_input.get("description") or "")] + args.cite + verdict["comments"]
    # The "before" state is read only for a command the guard itself allows (approved by
    # policy), after deciding, with the agent's own kubeconfig: never while deciding.
    before = audit_log.lookup_before(verdict) if verdict["decision"] == "allow" else ""
    record = audit_log.make_record(
        str(command), verdict, identity(str(payload.get("session_id", "")), "claude-code"),
        cited, source="claude-code-hook", record_id=str(payload.get("tool_use_id", "")),
        before=before)
    path = args.log or audit_log.default_path()
    try:
        audit_log.append(path, record)
    except OSError as err:
        raise HookInputError(f"cannot write the audit log {path}: {err}") from err


def hook_post_body(args) -> int:
    """PostToolUse: append the result of a command the PreToolUse hook logged. Never
    blocks: a failure is reported on stderr only."""
    _, _, _, audit_log, _ = _load()
    try:
        payload = read_hook_input()
    except HookInputError as err:
        print(f"k8s-rbac guard (post): {err}", file=sys.stderr)
        return 0
    if payload.get("tool_name") != "Bash" or args.no_log:
        return 0
    response = payload.get("tool_response")
    result = "ran"
    if isinstance(response, dict):
        if response.get("interrupted"):
            result = "interrupted"
        elif response.get("is_error") or response.get("exit_code") not in (None, 0):
            result = f"failed (exit {response.get('exit_code', '?')})"
    try:
        audit_log.append(args.log or audit_log.default_path(),
                          {"kind": "result", "id": str(payload.get("tool_use_id", "")),
                           "time": audit_log.now(), "result": result})
    except OSError as err:
        print(f"k8s-rbac guard (post): cannot write the audit log: {err}", file=sys.stderr)
    return 0


def _deadline(signum, frame):  # noqa: ARG001 - signal handler signature
    budget = f"{HOOK_DEADLINE:.0f}s" if signum == signal.SIGALRM else \
        f"{HOOK_CPU_DEADLINE:.0f}s of CPU"
    sys.stderr.write(f"k8s-rbac guard: no decision within {budget}; blocking the call\n")
    sys.stderr.flush()
    os._exit(2)


def run_hook(args) -> int:
    """Fail closed: a timeout, malformed input or any error blocks the call (exit 2)."""
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _deadline)
        signal.setitimer(signal.ITIMER_REAL, HOOK_DEADLINE)
    if hasattr(signal, "SIGPROF"):
        signal.signal(signal.SIGPROF, _deadline)
        signal.setitimer(signal.ITIMER_PROF, HOOK_CPU_DEADLINE)
    try:
        return hook_body(args)
    except HookInputError as err:
        print(f"k8s-rbac guard: {err}; blocking the call", file=sys.stderr)
        return 2
    except BaseException as err:  # noqa: BLE001 - never fail open: any failure blocks
        print(f"k8s-rbac guard failed ({type(err).__name__}: {str(err)[:200]}); blocking "
              "the call", file=sys.stderr)
        return 2


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--hook" in argv and "--" not in argv[:argv.index("--hook")]:
        try:
            args = _hook_args(argv)
        except SystemExit:
            print("k8s-rbac guard: bad hook arguments; blocking the call", file=sys.stderr)
            return 2
        return run_hook(args)
    make_parser, run, _, _, _ = _load()
    parser = make_parser(__doc__.strip(), epilog=EXAMPLES)
    _add_arguments(parser)
    args_ns = None

    def body(args):
        nonlocal args_ns
        args_ns = args
        if args.hook_post:
            return {}, "", hook_post_body(args)
        return cli_body(args)
    return run(parser, argv, body)


def _add_arguments(parser) -> None:
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


def _hook_args(argv):
    import argparse
    parser = argparse.ArgumentParser(add_help=False)
    _add_arguments(parser)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
