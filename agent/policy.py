"""What the model may run: `kubectl` reads and the installed skill scripts, nothing else.

Two independent checks must both say yes (fail closed: any doubt or error is a refusal):
1. this module's own allowlist, deliberately narrower than a shell: a command line is one or
   more simple commands joined by `|`; outside quotes only plain word characters may occur
   (no `$`, backticks, redirections, `;`, `&`, globs, `~`, backslashes); each command is
   `kubectl <read subcommand>` without identity or file flags, or `python3 <a skill script
   installed under the agent's .claude/skills>` without `--apply` and reading only stdin;
2. the k8s-rbac guard (through harness.safety, the one implementation the Claude Code hook
   also uses) must decide `allow`.
RBAC stays the boundary: the model's kubectl holds a read-only identity in any case.

    >>> p = ToolPolicy("/srv/agent", guard=lambda c: {"decision": "allow", "reasons": []})
    >>> p.bash("kubectl get pods -n shop").allowed
    True
    >>> p.bash("kubectl get pods; rm -rf /").reason
    "';' outside quotes: only plain words and '|' between commands are allowed"
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any, Callable

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

if TYPE_CHECKING:
    from agent.specialists import Specialist

# The guard judges a command: called as guard(command) or guard(command, tool_use id), it
# returns the verdict dict of harness.safety.check ({decision, reasons, ...}).
Guard = Callable[..., dict[str, Any]]

MAX_COMMAND = 4000
PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            "-_=./,:@%+^ \t")
KUBECTL_READS = {"get", "describe", "logs", "top", "explain", "api-resources",
                 "api-versions", "version", "events", "cluster-info"}
KUBECTL_AUTH = {"can-i", "whoami"}
# Flags that would change who kubectl is, where it connects, or make it read local files.
KUBECTL_FORBIDDEN = {"--kubeconfig", "--token", "--as", "--as-group", "--as-uid", "--server",
                     "-s", "--user", "--context", "--cluster", "--certificate-authority",
                     "--client-certificate", "--client-key", "--username", "--password",
                     "--insecure-skip-tls-verify", "--tls-server-name", "-f", "--filename",
                     "-k", "--kustomize", "--cache-dir", "-w", "--watch", "--watch-only",
                     "--follow", "--template", "--profile", "--profile-output"}
SCRIPT_FORBIDDEN = {"--apply", "--kubeconfig", "--context"}
FILE_FLAGS = {"-f", "--file", "--filename"}
PYTHONS = {"python3", "python"}
READ_ONLY_TOOLS = {"Read", "Glob", "Grep"}


@dataclass
class Decision:
    allowed: bool
    reason: str
    guard: dict[str, Any] = field(default_factory=dict)
    updated_input: dict[str, Any] | None = None   # the tool input to run instead (PreToolUse updatedInput)


class ToolPolicy:
    def __init__(self, workdir: str | os.PathLike[str], guard: Guard | None = None,
                 propose_tool: str = "",
                 team: bool = False) -> None:
        self.workdir = Path(workdir)
        self.skills = self.workdir / ".claude" / "skills"
        self.guard = guard
        self.propose_tool = propose_tool
        self.team = team              # orchestrator + specialists (agent.specialists)

    # --- the hook's entry point -------------------------------------------------------
    def decide(self, tool: str, tool_input: dict[str, Any], call_id: str = "",
               agent: str = "") -> Decision:
        """`agent`: the subagent making the call (hook input `agent_type`), '' for the main
        thread. With a team, the main thread only delegates and proposes, and each
        specialist runs only its own skills' scripts."""
        try:
            if self.team:
                return self._team(tool, tool_input or {}, call_id, agent)
            return self._single(tool, tool_input or {}, call_id)
        except Exception as err:  # noqa: BLE001 - fail closed: a bug here must refuse
            return Decision(False, f"policy error ({type(err).__name__}): refused")

    def _single(self, tool: str, tool_input: dict[str, Any], call_id: str,
                specialist: Specialist | None = None) -> Decision:
        if tool == "Bash":
            return self.bash(str(tool_input.get("command") or ""), call_id, specialist)
        if tool == "Skill":
            return Decision(True, "loading a skill's instructions")
        if tool in READ_ONLY_TOOLS:
            return self._inside_skills(tool_input)
        if self.propose_tool and tool == self.propose_tool and specialist is None:
            return Decision(True, "a proposal is stored for a person to approve")
        return Decision(False, f"tool {tool!r} is not offered to the agent")

    def _team(self, tool: str, tool_input: dict[str, Any], call_id: str, agent: str) -> Decision:
        from agent.specialists import BY_NAME, DELEGATE_TOOL, allowed_scripts
        if not agent:  # the orchestrator
            if tool == DELEGATE_TOOL:
                name = str(tool_input.get("subagent_type") or "")
                if name in BY_NAME:  # in the foreground: the orchestrator merges the report
                    return Decision(True, f"delegated to {name}", updated_input={
                        **tool_input, "run_in_background": False})
                return Decision(False, f"no specialist {name!r}: one of {', '.join(BY_NAME)}")
            if self.propose_tool and tool == self.propose_tool:
                return Decision(True, "a proposal is stored for a person to approve")
            return Decision(False, f"the orchestrator delegates: {tool!r} is for specialists")
        specialist = allowed_scripts(agent)
        if specialist is None:
            return Decision(False, f"{agent!r} is not one of the specialists")
        if tool == "Skill":
            skill = str(tool_input.get("skill") or "").rsplit(":", 1)[-1]
            if skill not in specialist.skills:
                return Decision(False, f"{specialist.name} has the skills "
                                       f"{', '.join(specialist.skills)}, not {skill!r}")
        if tool in READ_ONLY_TOOLS:
            raw = str(tool_input.get("file_path") or tool_input.get("path") or "")
            skill = _skill_of(self.workdir, self.skills, raw)
            if skill not in specialist.skills and not any(  # its own skills' folders only
                    s.startswith(skill + "/") for s in specialist.scripts if skill):
                return Decision(False, f"{raw or '.'}: only the folders of "
                                       f"{', '.join(specialist.skills)} ({specialist.name})")
        return self._single(tool, tool_input, call_id, specialist)

    # --- Bash ---------------------------------------------------------------------------
    def bash(self, command: str, call_id: str = "",
             specialist: Specialist | None = None) -> Decision:
        """The guard judges (and its audit log records) every command first; then the
        allowlist; a command runs only when both say yes."""
        if not command.strip() or len(command) > MAX_COMMAND:
            return Decision(False, f"empty command or longer than {MAX_COMMAND} characters")
        if self.guard is None:
            return Decision(False, "no guard configured: refused")
        verdict = self.guard(command, call_id) if call_id else self.guard(command)
        segments, problem = split_pipeline(command)
        for words in segments:
            problem = problem or self._command_problem(words, specialist)
        if problem:
            return Decision(False, problem, verdict)
        if verdict.get("decision") != "allow":
            why = "; ".join(verdict.get("reasons") or []) or "not allowed"
            return Decision(False, f"k8s-rbac guard: {verdict.get('decision')}: {why}",
                            verdict)
        return Decision(True, "; ".join(verdict.get("reasons") or []) or "read", verdict)

    def _command_problem(self, words: list[str], specialist: Specialist | None = None) -> str:
        if not words:
            return "an empty command in the pipeline"
        if words[0] == "kubectl":
            return kubectl_problem(words[1:])
        if words[0] in PYTHONS and len(words) > 1:
            return self._script_problem(words[1], words[2:], specialist)
        return (f"{words[0]!r} is not allowed: only kubectl reads and "
                f"`python3 .claude/skills/<skill>/scripts/<script>.py` run here")

    def _script_problem(self, path: str, args: list[str],
                        specialist: Specialist | None = None) -> str:
        resolved = (self.workdir / path).resolve()
        try:
            rel = resolved.relative_to(self.skills.resolve())
        except ValueError:
            return f"{path}: not a skill script installed under .claude/skills"
        parts = rel.parts
        if len(parts) != 3 or parts[1] != "scripts" or not parts[2].endswith(".py") \
                or parts[2].startswith("_") or not resolved.is_file():
            return f"{path}: not a skill script (.claude/skills/<skill>/scripts/<name>.py)"
        if specialist is not None and not specialist.may_run(parts[0], parts[2]):
            return f"{parts[0]}/{parts[2]}: not a script of {specialist.name}"
        for i, arg in enumerate(args):
            flag = arg.split("=", 1)[0]
            if flag in SCRIPT_FORBIDDEN:
                return f"{flag}: the agent never applies; changes go through propose_change"
            if flag in FILE_FLAGS:
                value = arg.split("=", 1)[1] if "=" in arg else \
                    (args[i + 1] if i + 1 < len(args) else "")
                if value != "-":
                    return f"{flag} {value}: scripts read dumps from stdin only (-f -)"
        return ""

    # --- Read / Glob / Grep ----------------------------------------------------------------
    def _inside_skills(self, tool_input: dict[str, Any]) -> Decision:
        raw = tool_input.get("file_path") or tool_input.get("path") or str(self.skills)
        target = (self.workdir / str(raw)).resolve()
        try:
            target.relative_to(self.skills.resolve())
        except ValueError:
            return Decision(False, f"{raw}: only the skills' own files may be read")
        pattern = str(tool_input.get("pattern") or "")
        if ".." in pattern or pattern.startswith("/"):
            return Decision(False, f"pattern {pattern!r} leaves the skills folder")
        return Decision(True, "reading a skill's references")


def _skill_of(workdir: Path, skills: Path, raw: str) -> str:
    """The skill folder a Read/Glob/Grep path is in ('' for the skills folder itself)."""
    try:
        rel = (workdir / (raw or str(skills))).resolve().relative_to(skills.resolve())
    except ValueError:
        return ""
    return rel.parts[0] if rel.parts else ""


def split_pipeline(command: str) -> tuple[list[list[str]], str]:
    """[[argv], ...] of `a | b`, or ([], why not) when anything but plain words occurs.

    >>> split_pipeline("kubectl get pods -o jsonpath='{.items[*].metadata.name}' | x")[0]
    [['kubectl', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'], ['x']]
    >>> split_pipeline('kubectl get "$(id)"')[1]
    "'$' inside double quotes: expansions are not allowed"
    """
    pieces: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in command:
        if quote == "'":
            if ch == "\n":
                return [], "a newline inside quotes"
            quote = "" if ch == "'" else quote
        elif quote == '"':
            if ch in '$`\\\n':
                return [], f"{ch!r} inside double quotes: expansions are not allowed"
            quote = "" if ch == '"' else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            pieces.append("".join(current))
            current = []
            continue
        elif ch not in PLAIN:
            return [], (f"{ch!r} outside quotes: only plain words and '|' between commands "
                        "are allowed")
        current.append(ch)
    if quote:
        return [], "an unterminated quote"
    pieces.append("".join(current))
    try:
        return [shlex.split(p) for p in pieces], ""
    except ValueError as err:
        return [], f"cannot split the command: {err}"


def kubectl_problem(args: list[str]) -> str:
    """Why a kubectl invocation is refused ('' when it is a plain read)."""
    for arg in args:
        flag = arg.split("=", 1)[0]
        if flag in KUBECTL_FORBIDDEN or (flag.startswith("-") and not flag.startswith("--")
                                         and len(flag) > 2 and _short_cluster(flag)):
            return f"kubectl {flag}: identity, connection, file and watch flags are not allowed"
        if arg.endswith("-file") or "-file=" in arg:
            return f"kubectl {arg}: reading local template files is not allowed"
    verbs = _positional(args)
    if not verbs:
        return "kubectl without a subcommand"
    verb = verbs[0]
    if verb == "auth":
        return "" if len(verbs) > 1 and verbs[1] in KUBECTL_AUTH else \
            "kubectl auth: only can-i and whoami"
    if verb not in KUBECTL_READS:
        return (f"kubectl {verb}: not a read; the agent proposes changes with propose_change "
                "and a person approves them")
    return ""


def _positional(args: list[str]) -> list[str]:
    """Words that are not flags or the values of kubectl's global flags before the verb."""
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-n", "--namespace", "--request-timeout", "-v", "--v"):
            skip = not out
        elif not arg.startswith("-"):
            out.append(arg)
    return out


def _short_cluster(flag: str) -> bool:
    """`-sfoo`, `-fx`: a short flag with its value glued on (e.g. -s=server) is refused."""
    return flag[:2] in ("-s", "-f", "-k", "-w")
