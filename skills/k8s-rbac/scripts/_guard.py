"""The destructive-command guard: classify a shell line and decide allow / ask / deny.

This module is the one implementation: `guard_command.py`, the Claude Code hook and the
eval harness (`harness.safety`) all call `check()`.

    >>> check("k get pods -A")["decision"]
    'allow'
    >>> check("sudo env FOO=1 sh -c 'kubectl delete ns prod'")["class"]
    'destructive'
    >>> check("echo 'unterminated")["decision"]
    'ask'
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from _guard_kubectl import CLASSES, DECISIONS, Verdict, judge_helm, judge_kubectl
from _guard_shell import SUBST_RE, ShellParseError, comments, parse, quote

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

KUBECTL_NAMES = {"kubectl", "k", "kubecolor", "oc", "kubectl.exe", "kc"}
HELM_NAMES = {"helm", "helm3"}
SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "busybox"}
READ_PROGRAMS = {
    "ls", "cat", "grep", "egrep", "fgrep", "rg", "jq", "yq", "head", "tail", "echo", "printf",
    "wc", "sort", "uniq", "cut", "tr", "less", "more", "pwd", "cd", "date", "which", "whoami",
    "id", "hostname", "uname", "true", "false", "test", "[", "column", "diff", "base64",
    "sleep", "stat", "file", "basename", "dirname", "realpath", "readlink", "type", "tee",
    "awk", "sed", "find", "du", "df", "ps", "top", "free", "uptime", "nproc", "seq",
    "printenv", "md5sum", "sha256sum", "tree", "comm", "paste", "fold", "nl", "rev", "tac",
    "yes", "read", "set", "shopt", "export", "unset", "local", "declare", "alias", "history",
    "man", "zcat", "gunzip", "sha1sum", "cmp", "expr", "getent", "dig", "nslookup", "ping",
    "host", "git", "kustomize", "stern", "kubectx", "kubens", "k9s", "shellcheck",
}
WRAPPER_VALUE = {
    "sudo": {"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T"},
    "doas": {"-u", "-C"},
    "nice": {"-n"}, "ionice": {"-c", "-n", "-p"}, "stdbuf": {"-i", "-o", "-e"},
    "time": {"-f", "-o"}, "nohup": set(), "setsid": set(), "exec": {"-a"}, "builtin": set(),
    "command": set(), "chroot": set(), "unbuffer": set(), "caffeinate": set(),
    "timeout": {"-s", "-k", "--signal", "--kill-after"},
}
XARGS_VALUE = {"-I", "-i", "-n", "-P", "-L", "-l", "-d", "-E", "-e", "-s", "-a",
               "--max-args", "--max-procs", "--delimiter", "--replace", "--arg-file"}
WATCH_VALUE = {"-n", "--interval", "-q", "--equexit"}
SYSTEM_BIN = {"/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/opt/homebrew/bin"}
SENSITIVE_ENV = {"KUBECONFIG": "ask", "HTTPS_PROXY": "ask", "HTTP_PROXY": "ask",
                 "https_proxy": "ask", "http_proxy": "ask", "ALL_PROXY": "ask",
                 "KUBERNETES_SERVICE_HOST": "deny", "KUBERNETES_MASTER": "deny"}
ASSIGN_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
CREDENTIAL_PATH = re.compile(r"(^|/)(\.kube/config|kubeconfig[^/]*|\.kube/[^/]*\.ya?ml|"
                             r"[^/]*\.(key|pem)|token|\.netrc|credentials)$", re.I)

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


@dataclass
class _Ctx:
    policy: dict
    aliases: dict = field(default_factory=dict)
    depth: int = 0


# --- the public API ---------------------------------------------------------------

def check(command: str, policy: dict | None = None) -> dict:
    """{class, decision, reasons, signals, commands, facts, comments} for one command line."""
    policy = merge_policy(policy)
    ctx = _Ctx(policy=policy, aliases={k: str(v) for k, v in policy["aliases"].items()})
    try:
        parts = _judge_line(command, ctx)
    except ShellParseError as err:
        v = Verdict(cls="destructive")
        v.need("ask", f"cannot parse the command line ({err}): treated as destructive",
               "unparseable")
        parts = [("", v)]
    overall = Verdict()
    for _, verdict in parts:
        overall.merge(verdict)
    decision = _decide_line(command, parts, policy)
    return {
        "class": overall.cls,
        "decision": decision,
        "reasons": overall.reasons or ["no command"],
        "signals": overall.signals,
        "commands": [{"command": text, "class": v.cls, "decision": _decide(v, policy),
                      "reasons": v.reasons, "facts": v.facts} for text, v in parts],
        "comments": comments(command),
    }


def merge_policy(policy: dict | None) -> dict:
    merged = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
              for k, v in DEFAULT_POLICY.items()}
    for key, value in (policy or {}).items():
        if key == "decisions":
            merged["decisions"].update(value or {})
        else:
            merged[key] = value
    return merged


def policy_problems(policy: dict) -> list[str]:
    """What is wrong with a policy document (empty when it is valid)."""
    problems = []
    unknown = set(policy) - set(DEFAULT_POLICY) - {"mode", "description"}
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    decisions = policy.get("decisions") or {}
    for cls, decision in decisions.items():
        if cls not in CLASSES or decision not in DECISIONS:
            problems.append(f"decisions.{cls}: {decision!r} (classes {CLASSES}, decisions "
                            f"{DECISIONS})")
    if decisions.get("destructive") == "allow":
        problems.append("decisions.destructive cannot be allow: destructive commands are "
                        "always asked or denied")
    for key in ("deny", "ask"):
        for pattern in policy.get(key) or []:
            try:
                re.compile(pattern)
            except re.error as err:
                problems.append(f"{key}: bad regular expression {pattern!r}: {err}")
    if policy.get("secrets", "ask") not in ("ask", "deny"):
        problems.append("secrets: must be ask or deny")
    for i, rule in enumerate(policy.get("allowed_writes") or []):
        if not isinstance(rule, dict) or not rule.get("namespaces"):
            problems.append(f"allowed_writes[{i}]: needs namespaces (and resources, verbs)")
    return problems


# --- decisions --------------------------------------------------------------------

def _decide(v: Verdict, policy: dict) -> str:
    if v.decided:  # a wrapper: its inner commands were decided one by one
        decision = _max(v.decided, v.floor)
        return "ask" if v.cls == "destructive" and decision == "allow" else decision
    decision = policy["decisions"].get(v.cls, "ask")
    if v.cls == "write" and v.dry_run and v.dry_run in policy["dry_run"]:
        decision = "allow"
    if v.cls == "write" and decision != "allow" and _allowed_write(v.facts, policy):
        decision = "allow"
    floor = v.floor
    if "secret_data" in v.signals:
        floor = _max(floor, policy.get("secrets", "ask"))
    decision = _max(decision, floor)
    decision = _max(decision, _target_floor(v.facts, policy))
    if v.cls == "destructive" and decision == "allow":
        decision = "ask"  # hard floor: no policy allows a destructive command
    return decision


def _decide_line(command: str, parts, policy: dict) -> str:
    decision = "allow"
    for _, verdict in parts:
        decision = _max(decision, _decide(verdict, policy))
    for pattern in policy.get("ask") or []:
        if re.search(pattern, command):
            decision = _max(decision, "ask")
    for pattern in policy.get("deny") or []:
        if re.search(pattern, command):
            decision = "deny"
    return decision


def _max(a: str, b: str) -> str:
    return a if DECISIONS.index(a) >= DECISIONS.index(b) else b


def _allowed_write(facts: dict, policy: dict) -> bool:
    """A kubectl write inside an approved namespace, on approved resources and verbs."""
    if facts.get("program") != "kubectl" or facts.get("all_namespaces"):
        return False
    ns, verb, resources = facts.get("namespace"), facts.get("verb"), facts.get("resources")
    if not ns or not resources:
        return False
    for rule in policy.get("allowed_writes") or []:
        if ns not in rule.get("namespaces", []):
            continue
        kinds = {k.lower().split(".", 1)[0] for k in rule.get("resources", [])}
        verbs = set(rule.get("verbs") or ["create", "apply", "patch", "label", "annotate",
                                           "scale", "set", "replace"])
        if verb in verbs and set(resources) <= kinds:
            return True
    return False


def _target_floor(facts: dict, policy: dict) -> str:
    decision = "allow"
    for target in facts.get("targets", []):
        flag, _, value = target.partition("=")
        allowed = policy.get("allowed_kubeconfigs") if flag == "--kubeconfig" else \
            policy.get("allowed_contexts")
        if value not in (allowed or []):
            decision = "ask"
    return decision


# --- walking the command line ------------------------------------------------------

def _judge_line(line: str, ctx: _Ctx) -> list[tuple[str, Verdict]]:
    if ctx.depth > 6:
        raise ShellParseError("wrappers nested too deeply")
    out = []
    piped_text = None
    for cmd in parse(line):
        for inner in cmd.substitutions:
            out.extend(_nested(inner, ctx))
        if cmd.stdin == "pipe" and piped_text is not None and cmd.stdin_text is None:
            cmd.stdin_text = piped_text
        piped_text = _text_written(cmd)
        if not cmd.argv:
            continue
        verdict = _judge_argv(list(cmd.argv), cmd, ctx)
        _outputs(cmd, verdict)
        out.append((quote(cmd.argv), verdict))
    return out


def _text_written(cmd) -> str | None:
    """What `cat <<EOF`, `cat file` or `echo TEXT` sends down a pipe, when it is known."""
    if not cmd.argv or cmd.outputs:
        return None
    base, args = os.path.basename(cmd.argv[0]), cmd.argv[1:]
    if base == "cat" and not args and cmd.stdin in ("heredoc", "herestring"):
        return cmd.stdin_text
    if base == "cat" and len(args) == 1 and not args[0].startswith("-"):
        from _guard_kubectl import _read_local
        return _read_local(args[0])
    if base in ("echo", "printf") and args and not SUBST_RE.search(" ".join(args)):
        return " ".join(a for a in args if not a.startswith("-")).replace("\\n", "\n")
    return None


def _nested(line: str, ctx: _Ctx) -> list[tuple[str, Verdict]]:
    ctx.depth += 1
    try:
        return _judge_line(line, ctx)
    finally:
        ctx.depth -= 1


def _combine(parts, ctx: _Ctx) -> Verdict:
    """One verdict for the commands a wrapper runs (`sh -c`, `eval`, `watch`, ...).

    Each inner command is decided on its own (its namespace, context and dry-run), and
    the wrapper gets the strictest of those decisions, so one allowed inner command
    can never lend its allowance to another."""
    v = Verdict()
    order = {"read": 0, "write": 1, "destructive": 2}
    decided = "allow"
    for _, verdict in parts:
        v.merge(verdict)
        decided = _max(decided, _decide(verdict, ctx.policy))
        if order[verdict.cls] >= order.get(v.facts.get("_cls", "read"), 0) and verdict.facts:
            v.facts = dict(verdict.facts, _cls=verdict.cls)
    v.facts.pop("_cls", None)
    v.decided = decided
    return v


SHELL_PREFIX = {"{", "!", "if", "then", "else", "elif", "do", "while", "until"}
SHELL_END = {"}", "fi", "done", "esac"}


def _shell_keywords(argv: list[str]) -> list[str] | None:
    """Drop `if`/`do`/`{`... around a command; None when the shell syntax is opaque."""
    while argv and argv[0] in SHELL_PREFIX:
        argv = argv[1:]
    while argv and argv[-1] in SHELL_END | {"]]"}:
        argv = argv[:-1]
    if argv and argv[0] in SHELL_END:
        argv = argv[1:]
    if argv and argv[0] == "for":
        return []  # `for x in WORDS`: the words are data; substitutions are judged apart
    if argv and argv[0] in ("case", "function", "select", "coproc") or \
            (len(argv) >= 2 and argv[1] == "()"):
        return None
    if argv and argv[0] == "[[":
        return ["test"]
    return argv


def _judge_argv(argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    v = Verdict()
    argv = _shell_keywords(_strip_assignments(argv, v))
    if argv is None:
        return _opaque("shell syntax the guard does not read (case, functions)")
    argv = _strip_assignments(argv, v)
    if not argv:
        return v
    name = argv[0]
    if SUBST_RE.search(name) or name.startswith("$") or "${" in name:
        v.raise_to("destructive", f"the program name {name!r} is computed at run time: the "
                                  "guard cannot see what runs", "opaque:dynamic_command")
        v.need("ask", "")
        return v
    base = os.path.basename(name)
    if base in ctx.aliases:
        expanded = ctx.aliases[base].split() + argv[1:]
        if expanded[0] != base:
            return _judge_argv(expanded, cmd, ctx)
    result = _dispatch(base, argv, cmd, ctx)
    result.merge(v)
    return result


def _strip_assignments(argv: list[str], v: Verdict) -> list[str]:
    while argv and ASSIGN_RE.match(argv[0]):
        key, value = ASSIGN_RE.match(argv[0]).groups()
        _env_assignment(key, value, v)
        argv = argv[1:]
    return argv


def _env_assignment(key: str, value: str, v: Verdict) -> None:
    level = SENSITIVE_ENV.get(key)
    if level:
        v.need(level, f"sets {key}: changes which cluster or proxy kubectl talks to",
               f"flag_injection:{key}")
    if SUBST_RE.search(value):
        v.note("", "substitution_in_assignment")


def _dispatch(base: str, argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    if base in KUBECTL_NAMES:
        return _kubectl(argv[1:], cmd, ctx)
    if base.startswith("kubectl-"):
        return judge_kubectl([base[len("kubectl-"):]] + argv[1:])
    if base in HELM_NAMES:
        return judge_helm(argv[1:])
    if base in WRAPPER_VALUE:
        return _wrapper(base, argv, cmd, ctx)
    if base == "env":
        return _env(argv, cmd, ctx)
    if base == "xargs":
        return _xargs(argv, cmd, ctx)
    if base == "watch":
        return _watch(argv, ctx)
    if base in SHELLS:
        return _shell(base, argv, cmd, ctx)
    if base == "eval":
        return _combine(_nested(" ".join(argv[1:]), ctx), ctx)
    if base in ("source", "."):
        return _opaque(f"{base} runs the commands of a file the guard did not read")
    if base == "ssh":
        return _ssh(argv, ctx)
    return _program(base, argv, cmd, ctx)


def _kubectl(args: list[str], cmd, ctx: _Ctx) -> Verdict:
    def inner(argv):
        return _combine(_nested(quote(argv), ctx), ctx)
    stdin_text = cmd.stdin_text
    if cmd.stdin == "file" and cmd.stdin_file:
        from _guard_kubectl import _read_local
        stdin_text = _read_local(cmd.stdin_file)
    return judge_kubectl(args, stdin_text=stdin_text, stdin_kind=cmd.stdin, inner=inner)


def _skip_options(args: list[str], value_flags: set[str]) -> list[str]:
    """The words after a wrapper's own options: the command it runs."""
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return args[i + 1:]
        if not a.startswith("-") or a == "-":
            return args[i:]
        if a in value_flags:
            i += 1
        i += 1
    return []


def _wrapper(base: str, argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    rest = _skip_options(argv[1:], WRAPPER_VALUE[base])
    if base in ("timeout", "chroot") and rest:
        rest = rest[1:]  # the duration, the new root
    if base == "command" and "-v" in argv[1:2] + argv[1:3]:
        return Verdict(reasons=["command -v only looks a program up"])
    if base == "sudo" and ("-s" in argv or "-i" in argv) and not rest:
        return _opaque("sudo -s/-i opens a root shell")
    if not rest:
        return Verdict(reasons=[f"{base} without a command"])
    v = _judge_argv(rest, cmd, ctx)
    if base in ("sudo", "doas"):
        v.note(f"runs as root through {base}", "privileged:" + base)
    return v


def _env(argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    v = Verdict()
    args = argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-u", "--unset", "-C", "--chdir"):
            i += 2
            continue
        if a in ("-S", "--split-string") and i + 1 < len(args):
            inner = _combine(_nested(args[i + 1] + " " + quote(args[i + 2:]), ctx), ctx)
            inner.merge(v)
            return inner
        if a.startswith("-"):
            i += 1
            continue
        if ASSIGN_RE.match(a):
            _env_assignment(*ASSIGN_RE.match(a).groups(), v)
            i += 1
            continue
        break
    rest = args[i:]
    if not rest:
        v.note("env prints the environment")
        return v
    inner = _judge_argv(rest, cmd, ctx)
    inner.merge(v)
    return inner


def _xargs(argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    rest = _skip_options(argv[1:], XARGS_VALUE)
    if not rest:
        return Verdict(reasons=["xargs echoes its input"])
    v = _judge_argv(rest, cmd, ctx)
    v.note("xargs adds arguments from its input the guard cannot see", "xargs")
    return v


def _watch(argv: list[str], ctx: _Ctx) -> Verdict:
    rest = _skip_options(argv[1:], WATCH_VALUE)
    if not rest:
        return Verdict(reasons=["watch without a command"])
    return _combine(_nested(" ".join(rest), ctx), ctx)


def _shell(base: str, argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    args = argv[1:]
    for i, a in enumerate(args):
        if a.startswith("-") and not a.startswith("--") and "c" in a[1:]:
            if i + 1 >= len(args):
                return _opaque(f"{base} -c without a command")
            return _combine(_nested(args[i + 1], ctx), ctx)
        if not a.startswith("-"):
            return _opaque(f"{base} runs script {a} which the guard did not read")
    if cmd.stdin in ("heredoc", "herestring") and cmd.stdin_text is not None:
        return _combine(_nested(cmd.stdin_text, ctx), ctx)
    return _opaque(f"{base} reads commands from its input: the guard cannot see them")


def _ssh(argv: list[str], ctx: _Ctx) -> Verdict:
    rest = _skip_options(argv[1:], {"-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R", "-D",
                                    "-E", "-b", "-c", "-e", "-m", "-O", "-Q", "-S", "-W",
                                    "-w", "-B"})
    if len(rest) < 2:
        return _opaque("ssh opens an interactive remote shell")
    v = _combine(_nested(" ".join(rest[1:]), ctx), ctx)
    v.note(f"runs on remote host {rest[0]}", "remote")
    return v


def _opaque(reason: str) -> Verdict:
    v = Verdict()
    v.raise_to("destructive", reason + ": treated as destructive", "opaque")
    v.need("ask", "")
    return v


def _outputs(cmd, v: Verdict) -> None:
    for target in cmd.outputs:
        if target.startswith("/dev/") and target in ("/dev/null", "/dev/stderr", "/dev/stdout"):
            continue
        if CREDENTIAL_PATH.search(target) or target.startswith("/etc/"):
            v.raise_to("write", f"overwrites {target}", "overwrite_sensitive_file")


# --- programs other than kubectl and helm ------------------------------------------

def _program(base: str, argv: list[str], cmd, ctx: _Ctx) -> Verdict:
    args = argv[1:]
    v = Verdict(facts={"program": base})
    if base in ("rm", "rmdir", "shred", "unlink", "dd", "mkfs", "wipefs", "truncate"):
        recursive = any(a.startswith("-") and ("r" in a.lower() or "f" in a)
                        for a in args) or base != "rm"
        v.raise_to("destructive" if recursive or base != "rm" else "write",
                   f"{base} deletes or overwrites files", f"fs:{base}")
        return v
    if base in ("kill", "pkill", "killall", "shutdown", "reboot", "halt", "poweroff",
                "systemctl", "service"):
        if base in ("systemctl", "service") and set(args) & {"status", "show", "list-units",
                                                            "is-active", "cat"}:
            v.note(f"{base} status only reads")
            return v
        v.raise_to("destructive", f"{base} stops processes or services", f"proc:{base}")
        return v
    if base in ("curl", "wget", "http", "https"):
        return _http(base, args, v)
    if base == "git":
        return _git(args, v)
    if base in ("python", "python3") or re.match(r"python3(\.\d+)?$", base):
        return _python(args, v)
    if base in ("k8s-skills", "kind", "kwokctl", "etcdctl", "kueuectl"):
        return _cluster_tool(base, args, v)
    if base == "sed" and any(a.startswith("-i") or a == "--in-place" for a in args):
        v.raise_to("write", "sed -i edits files in place", "fs:edit")
        return v
    if base == "find" and set(args) & {"-delete", "-exec", "-execdir", "-ok"}:
        if "-delete" in args:
            v.raise_to("destructive", "find -delete removes files", "fs:delete")
            return v
        at = next(i for i, a in enumerate(args) if a in ("-exec", "-execdir", "-ok"))
        inner = [a for a in args[at + 1:] if a not in (";", "+", "{}")]
        return _combine(_nested(quote(inner), ctx), ctx) if inner else v
    if base == "tee" and any(CREDENTIAL_PATH.search(a) or a.startswith("/etc/")
                             for a in args if not a.startswith("-")):
        v.raise_to("write", "tee overwrites a credentials or system file",
                   "overwrite_sensitive_file")
        return v
    if base == "awk" and any("system(" in a or "| getline" in a for a in args):
        return _opaque("awk runs shell commands through system()")
    if base in ("cat", "less", "more", "head", "tail", "grep", "base64", "cp", "scp") and \
            any(CREDENTIAL_PATH.search(a) for a in args if not a.startswith("-")):
        v.need("ask", "reads a credentials file (kubeconfig, key, token)", "secret_data")
        return v
    trusted_dir = "/" not in argv[0] or os.path.dirname(argv[0]) in SYSTEM_BIN
    if trusted_dir and (base in READ_PROGRAMS or base in ctx.policy.get("read_programs", [])):
        v.note(f"{base} does not change the cluster")
        if base == "alias":
            _learn_aliases(args, ctx)
        if base == "export":
            for a in args:
                if ASSIGN_RE.match(a):
                    _env_assignment(*ASSIGN_RE.match(a).groups(), v)
        return v
    if base in ("mkdir", "touch", "cp", "mv", "ln", "chmod", "chown", "tar", "unzip", "make",
                "pip", "pip3", "npm", "apt-get", "apt", "go", "docker", "podman", "tee"):
        v.raise_to("write", f"{base} changes local files or state", f"local:{base}")
        return v
    v.raise_to("write", f"{base}: unknown program, treated as a write", f"unknown:{base}")
    return v


def _learn_aliases(args: list[str], ctx: _Ctx) -> None:
    for a in args:
        match = ASSIGN_RE.match(a)
        if match:
            ctx.aliases[match.group(1)] = match.group(2)


def _http(base: str, args: list[str], v: Verdict) -> Verdict:
    method = ""
    for i, a in enumerate(args):
        if a in ("-X", "--request", "--method") and i + 1 < len(args):
            method = args[i + 1].upper()
        elif a.startswith("-X") and len(a) > 2:
            method = a[2:].upper()
        elif a.startswith("--request=") or a.startswith("--method="):
            method = a.split("=", 1)[1].upper()
        elif a in ("-d", "--data", "--data-raw", "--data-binary", "-F", "--form", "-T",
                   "--upload-file", "--post-data", "--post-file", "--json") and not method:
            method = "POST"
    if method == "DELETE":
        v.raise_to("destructive", f"{base} sends an HTTP DELETE", "http:delete")
    elif method in ("POST", "PUT", "PATCH"):
        v.raise_to("write", f"{base} sends an HTTP {method}", f"http:{method.lower()}")
    else:
        v.note(f"{base} only fetches")
    if any("-H" == a or a.startswith("--header") for a in args) and \
            any("authorization" in a.lower() or "bearer" in a.lower() for a in args):
        v.need("ask", "sends a bearer token in a header", "credential")
    return v


GIT_READ = {"status", "log", "diff", "show", "blame", "rev-parse", "ls-files", "grep",
            "describe", "shortlog", "remote", "config", "branch", "tag", "stash"}


def _git(args: list[str], v: Verdict) -> Verdict:
    sub = next((a for a in args if not a.startswith("-")), "")
    if sub in GIT_READ and not (set(args) & {"-d", "-D", "--delete", "drop", "clear"}):
        v.note(f"git {sub} only reads")
    elif (sub == "push" and set(args) & {"-f", "--force", "--delete", "--mirror"}) or \
            (sub == "reset" and "--hard" in args) or (sub == "clean" and any(
                a.startswith("-") and "f" in a for a in args)):
        v.raise_to("destructive", f"git {sub} discards work", f"git:{sub}")
    else:
        v.raise_to("write", f"git {sub or '(none)'} changes the repository", f"git:{sub}")
    return v


def _python(args: list[str], v: Verdict) -> Verdict:
    script = next((a for a in args if not a.startswith("-")), "")
    if "-c" in args or "-m" in args and "pytest" not in args or not script:
        v.raise_to("write", "python runs code the guard cannot classify", "unknown:python")
        return v
    if re.search(r"(^|/)scripts/[a-z0-9_]+\.py$", script):
        if "--apply" in args:
            v.raise_to("write", f"{os.path.basename(script)} --apply changes the cluster",
                       "skill_script:apply")
        else:
            v.note(f"{os.path.basename(script)} is a diagnostic skill script")
        return v
    v.raise_to("write", f"python runs {script}: unknown script, treated as a write",
               "unknown:python")
    return v


def _cluster_tool(base: str, args: list[str], v: Verdict) -> Verdict:
    words = [a for a in args if not a.startswith("-")]
    text = " ".join(words[:2])
    destructive = {"k8s-skills": ("cluster down",), "kind": ("delete",),
                   "kwokctl": ("delete",), "etcdctl": ("del", "defrag", "snapshot restore",
                                                         "member remove"),
                   "kueuectl": ("delete", "stop")}[base]
    reads = {"k8s-skills": ("cluster status", "cluster env", "audit", "skills catalog"),
             "kind": ("get", "version", "export logs"), "kwokctl": ("get", "logs"),
             "etcdctl": ("get", "endpoint", "member list", "version", "check"),
             "kueuectl": ("list", "describe", "version")}[base]
    if any(text == d or text.startswith(d + " ") or words[:1] == [d] for d in destructive):
        v.raise_to("destructive", f"{base} {text} deletes cluster state", f"{base}:{text}")
    elif any(text == r or text.startswith(r) or words[:1] == [r] for r in reads) or \
            "--help" in args or not words:
        v.note(f"{base} {text} only reads")
    else:
        v.raise_to("write", f"{base} {text} changes cluster state", f"{base}:{text}")
    return v


def load_policy(path: str) -> dict:
    """Read a policy YAML file; ValueError with the reason when it is not valid."""
    if yaml is None:
        raise ValueError("PyYAML is not installed")
    try:
        with open(path, encoding="utf-8") as handle:
            doc = yaml.safe_load(handle) or {}
    except OSError as err:
        raise ValueError(f"{path}: cannot read: {err}") from err
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {' '.join(str(err).split())}") from err
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: a policy is a mapping")
    problems = policy_problems(doc)
    if problems:
        raise ValueError(f"{path}: {'; '.join(problems)}")
    return doc
