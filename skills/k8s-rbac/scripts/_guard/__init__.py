"""The command guard: allow only what it fully understands, ask the rest, deny the worst.

This module is the one implementation: `guard_command.py`, the Claude Code hook and the
eval harness (`harness.safety`) all call `check()`.

A line is `allow` only when it parses completely as bash and every command in it is a
known read (or a write the policy allows, e.g. a real `--dry-run`). Anything the guard
cannot fully understand is `ask`; sending credentials elsewhere, tampering with the guard
and the policy's own deny patterns are `deny`. Nothing is executed while deciding.

    >>> check("k get pods -A")["decision"]
    'allow'
    >>> check("alias kubectl=echo; kubectl delete ns shop")["decision"]
    'ask'
    >>> check("echo 'unterminated")["decision"]
    'ask'
"""
from __future__ import annotations

import gc
import os
import re
import time
from dataclasses import dataclass, field

from _guard import programs
from _guard.expand import Unclear
from _guard.paths import Paths
from _guard.shell import ShellParseError
from _guard.verdict import CLASSES, DECISIONS, Verdict, stricter
from _guard.walk import State, Walker

DEFAULT_POLICY = {
    "version": 1,
    "decisions": {"read": "allow", "write": "ask", "destructive": "ask"},
    "dry_run": ["server", "client"],
    "aliases": {},
    "read_programs": [],
    "deny": [],
    "ask": [],
    "allowed_writes": [],
    "allowed_contexts": [],
    "allowed_kubeconfigs": [],
    "secrets": "ask",
}
POLICY_TEXT_LIMIT = 1024
DECISION_BUDGET = 0.030    # CPU seconds: a line not judged by then is asked
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
WRITE_VERBS = {"create", "apply", "patch", "label", "annotate", "scale", "set", "replace",
               "rollout restart", "rollout undo", "autoscale", "expose", "taint"}


@dataclass
class Context:
    """Everything one decision may look at: the policy, the environment, the files."""

    policy: dict
    env: dict
    cwd: str | None
    home: str
    skill_roots: list
    paths: Paths = None
    deadline: float | None = None
    records: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    def record(self, text: str, verdict: Verdict, call=None):
        self.records.append((text, verdict))


# --- the public API -----------------------------------------------------------------------

def check(command, policy: dict | None = None, *, cwd: str | None = None,
          env: dict | None = None, skill_roots=None) -> dict:
    """{class, decision, explanation, reasons, signals, commands, comments} for one line.

    `cwd` and `env` are the agent's (defaults: this process's); `skill_roots` adds skills
    folders whose scripts count as ours."""
    ctx = make_context(merge_policy(policy), cwd, env, skill_roots)
    collecting = gc.isenabled()
    gc.disable()            # no collector pause inside the time budget (no cycles are made)
    try:
        ctx.deadline = time.process_time() + DECISION_BUDGET
        if not isinstance(command, str):
            ctx.record("", Verdict().unknown("the command is not text"))
        elif not command.strip():
            ctx.record("", Verdict().unknown("an empty command"))
        else:
            _walk(command, ctx)
        return _result(ctx)
    finally:
        if collecting:
            gc.enable()


def _walk(command: str, ctx: Context):
    walker = Walker(ctx, programs.judge)
    try:
        walker.walk_text(command, State(cwd=ctx.cwd))
    except (ShellParseError, Unclear) as err:
        ctx.record("(line)", Verdict().unknown(f"cannot read the line: {err}",
                                               "unparseable"))
    except RecursionError:
        ctx.record("(line)", Verdict().unknown("the line is nested too deeply to judge",
                                               "unparseable"))
    except Exception as err:  # noqa: BLE001 - the guard fails closed, and says why
        ctx.record("(line)", Verdict().unknown(
            f"the guard could not judge the line ({type(err).__name__}: {err}); asking",
            "guard_error"))


def make_context(policy: dict, cwd, env, skill_roots) -> Context:
    env = dict(os.environ if env is None else env)
    home = env.get("HOME") or os.path.expanduser("~")
    if cwd is None:
        try:
            cwd = os.getcwd()
        except OSError:
            cwd = None
    roots = trusted_skill_roots(env, skill_roots)
    protected = [p for p in (env.get("K8S_SKILLS_GUARD_POLICY"), env.get(
        "K8S_SKILLS_AUDIT_LOG"), _default_audit_log(env, home)) if p]
    ctx = Context(policy, env, cwd, home, roots)
    ctx.paths = Paths(cwd, home, env, roots, protected)
    return ctx


def _default_audit_log(env: dict, home: str) -> str:
    state = env.get("XDG_STATE_HOME") or os.path.join(home, ".local", "state")
    return os.path.join(state, "k8s-skills")


def trusted_skill_roots(env: dict, extra=None) -> list:
    """Folders whose `<skill>/scripts/*.py` are ours: this guard's own skills folder, the
    plugin's, the project's and the user's .claude/skills, and any the caller names."""
    own = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))       # skills/<skill>/scripts/_guard/__init__.py
    roots = [own]
    if env.get("CLAUDE_PLUGIN_ROOT"):
        roots.append(os.path.join(env["CLAUDE_PLUGIN_ROOT"], "skills"))
    if env.get("CLAUDE_PROJECT_DIR"):
        roots.append(os.path.join(env["CLAUDE_PROJECT_DIR"], ".claude", "skills"))
    if env.get("HOME"):
        roots.append(os.path.join(env["HOME"], ".claude", "skills"))
    found = [r for r in roots if r and os.path.isdir(os.path.join(r, "k8s-rbac"))] or [own]
    return found + [str(r) for r in extra or []]      # the caller's folders, as named


# --- decisions ----------------------------------------------------------------------------

def _result(ctx: Context) -> dict:
    policy = ctx.policy
    commands = []
    decision, cls, key = "allow", "read", ""
    overall = Verdict()
    for text, verdict in ctx.records:
        d = decide(verdict, policy, text)
        commands.append({"command": text, "class": verdict.cls, "decision": d,
                         "reasons": verdict.reasons, "facts": verdict.facts})
        overall.merge(verdict)
        if (DECISIONS.index(d), CLASSES.index(verdict.cls)) > \
                (DECISIONS.index(decision), CLASSES.index(cls)):
            decision, cls = d, verdict.cls
            key = f"{text}: {verdict.key_reason or (verdict.reasons or [''])[0]}"
    cls = max((v.cls for _, v in ctx.records), key=CLASSES.index, default="read")
    if not key:
        key = "every command is a known read" if ctx.records else "no command"
    return {"class": cls, "decision": decision,
            "explanation": f"{decision.upper()} ({cls}): {key}"[:400],
            "reasons": overall.reasons or ["no command"], "signals": overall.signals,
            "commands": commands, "comments": list(ctx.comments)}


def decide(v: Verdict, policy: dict, text: str = "") -> str:
    decision = policy["decisions"].get(v.cls, "ask")
    if v.cls == "write" and v.dry_run and v.dry_run in policy["dry_run"]:
        decision = "allow"
    if v.cls == "write" and decision != "allow" and _allowed_write(v.facts, policy):
        decision = "allow"
    floor = v.floor
    if "secret_data" in v.signals and floor != "allow":
        floor = stricter(floor, policy.get("secrets", "ask"))
    decision = stricter(decision, floor)
    decision = stricter(decision, _target_floor(v.facts, policy))
    decision = stricter(decision, _pattern_floor(policy, _policy_text(v, text)))
    if v.cls == "destructive" and decision == "allow":
        decision = "ask"  # hard floor: no policy allows a destructive command
    return decision


def _policy_text(v: Verdict, text: str) -> str:
    facts = v.facts or {}
    if facts.get("program") == "kubectl":
        words = ["kubectl", facts.get("verb", "")] + \
            [plural(r) for r in facts.get("resources") or []] + list(facts.get("names") or [])
        if facts.get("namespace"):
            words += ["-n", facts["namespace"]]
        return " ".join(w for w in words if w)[:POLICY_TEXT_LIMIT] + " || " + \
            text[:POLICY_TEXT_LIMIT]
    return text[:POLICY_TEXT_LIMIT]


def _pattern_floor(policy: dict, text: str) -> str:
    decision = "allow"
    for pattern in policy.get("ask") or []:
        if re.search(pattern, text):
            decision = "ask"
    for pattern in policy.get("deny") or []:
        if re.search(pattern, text):
            return "deny"
    return decision


def _allowed_write(facts: dict, policy: dict) -> bool:
    """A kubectl write inside an approved namespace, on approved resources and verbs."""
    if facts.get("program") != "kubectl" or facts.get("all_namespaces"):
        return False
    ns, verb, resources = facts.get("namespace"), facts.get("verb"), facts.get("resources")
    if not ns or not resources or facts.get("targets"):
        return False
    for rule in policy.get("allowed_writes") or []:
        if ns not in rule.get("namespaces", []):
            continue
        kinds = {plural(k) for k in rule.get("resources", [])}
        verbs = set(rule.get("verbs") or ["create", "apply", "patch", "label", "annotate",
                                          "scale", "set", "replace"])
        if verb in verbs and {plural(r) for r in resources} <= kinds:
            return True
    return False


SHORT_NAMES = {"deploy": "deployments", "sts": "statefulsets", "ds": "daemonsets",
               "rs": "replicasets", "po": "pods", "svc": "services", "ns": "namespaces",
               "cm": "configmaps", "no": "nodes", "pvc": "persistentvolumeclaims",
               "pv": "persistentvolumes", "sa": "serviceaccounts", "cj": "cronjobs",
               "hpa": "horizontalpodautoscalers", "pdb": "poddisruptionbudgets",
               "ing": "ingresses", "netpol": "networkpolicies", "ep": "endpoints",
               "csr": "certificatesigningrequests", "pc": "priorityclasses",
               "sc": "storageclasses"}


def plural(kind: str) -> str:
    """`deploy`, `Deployment`, `deployments.apps` -> `deployments` (how rules compare)."""
    kind = kind.lower().split(".", 1)[0]
    if kind in SHORT_NAMES:
        return SHORT_NAMES[kind]
    if kind.endswith(("ss", "x", "ch", "sh")):
        return kind + "es"
    if kind.endswith("y") and kind[-2:-1] not in "aeiou":
        return kind[:-1] + "ies"
    return kind if kind.endswith("s") else kind + "s"


def _target_floor(facts: dict, policy: dict) -> str:
    decision = "allow"
    for target in facts.get("targets", []) or []:
        flag, _, value = target.partition("=")
        allowed = policy.get("allowed_kubeconfigs") if flag in ("--kubeconfig",
                                                                "KUBECONFIG") else \
            policy.get("allowed_contexts")
        if flag in ("--cluster", "--user") or value not in (allowed or []):
            decision = "ask"
    return decision


# --- the policy ---------------------------------------------------------------------------

def merge_policy(policy: dict | None) -> dict:
    merged = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
              for k, v in DEFAULT_POLICY.items()}
    for key, value in (policy or {}).items():
        if key == "decisions":
            merged["decisions"].update(value or {})
        elif key in DEFAULT_POLICY:
            merged[key] = value
    return merged


def policy_problems(policy) -> list[str]:
    """Everything wrong with a policy document (empty when it is valid)."""
    from _guard.policy import problems
    return problems(policy)


def load_policy(path: str) -> dict:
    """Read and validate a policy YAML file; ValueError with every problem found."""
    from _guard.policy import load
    return load(path)


def judge_tool(tool_name: str, tool_input: dict, *, cwd=None, env=None,
               policy: dict | None = None) -> dict | None:
    """Claude Code's file tools: Write/Edit/MultiEdit/NotebookEdit on protected files, and
    Read/Grep of credentials. None when the guard has no opinion on the call."""
    from _guard.tool_files import judge_file_tool
    ctx = make_context(merge_policy(policy), cwd, env, None)
    verdict = judge_file_tool(tool_name, tool_input, ctx)
    if verdict is None:
        return None
    ctx.record(f"{tool_name} {tool_input.get('file_path') or tool_input.get('path') or ''}"
               if isinstance(tool_input, dict) else tool_name, verdict)
    return _result(ctx)
