"""Which program a simple command runs, and the judge for it: an allowlist.

A command is allowed only when its program is known here and its arguments are ones the
judge understands. Programs that run other programs are followed when their inner
command is fully known (`timeout 10 kubectl get pods`, `bash -c '...'`, `eval '...'`,
`xargs` fed with Kubernetes names); privilege changes (sudo, su, doas, chroot), remote
shells, interpreters, `watch`, `find -exec`, `source` and anything unknown are asked.
"""
from __future__ import annotations

import os

from _guard.env import env_risk, secret_name, shell_var_risk
from _guard.expand import Unclear
from _guard.kubectl import judge_kubectl
from _guard.verdict import Verdict
from _guard.words import Text, Unknown, display, globbed, known, worst_kind

SYSTEM_DIRS = {"/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin",
               "/opt/homebrew/bin", "/snap/bin", "/usr/local/sbin"}
KUBECTL_NAMES = {"kubectl", "k", "kc", "kubecolor", "oc"}
SHELLS = {"sh": "posix", "dash": "posix", "ash": "posix", "bash": "bash", "zsh": "bash"}
PRIVILEGE = {"sudo", "doas", "su", "runuser", "pkexec", "chroot", "nsenter", "unshare",
             "setpriv", "capsh", "sg", "newgrp", "machinectl", "systemd-run"}
REMOTE = {"ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat", "socat", "telnet", "ftp",
          "mosh"}
INTERPRETERS = {"perl", "ruby", "node", "nodejs", "php", "lua", "Rscript", "tclsh", "wish",
                "expect", "busybox", "fish", "csh", "tcsh", "ksh", "mksh", "pwsh", "osascript",
                "deno", "bun", "java", "go", "gawk-exec", "awk-exec", "make", "cmake", "npx",
                "pip", "pip3", "npm", "docker", "podman", "nerdctl", "crictl", "ctr"}
DECLARATIONS = {"export", "declare", "typeset", "local", "readonly"}


def judge(call) -> Verdict:
    """The verdict for one simple command (its argv already expanded)."""
    first = call.argv[0]
    name = known(first)
    if name is None or globbed(first):
        raise Unclear(f"the program name {display(first)!r} is computed at run time: the "
                      "guard cannot see what runs")
    base = resolve(name, call)
    if isinstance(base, Verdict):
        return base
    handler = HANDLERS.get(base)
    opaque_call = handler is None
    if handler is None:
        verdict = Verdict().unknown(f"{base} is not a program the guard knows: it could "
                                    "change anything", f"unknown:{base}")
    else:
        try:
            verdict = handler(call, base, call.argv[1:])
        except Unclear as err:
            verdict = Verdict().unknown(str(err))
            opaque_call = True
    if opaque_call:
        # a program (or option) the guard does not follow, naming the guard's own files
        # (sed -i, perl -i, an editor ...): it may rewrite them, so deny
        from _guard.tools import _guard_files
        _guard_files(call, verdict, call.argv[1:])
    return verdict


def resolve(name: str, call):
    """The program's name for the judges, or a verdict when it runs from elsewhere."""
    if "/" in name:
        from _guard.scripts import skill_script_verdict
        script = skill_script_verdict(name, call.argv[1:], call, direct=True)
        if script is not None:
            return script
        folder, base = os.path.split(os.path.normpath(name))
        if folder not in SYSTEM_DIRS:
            return Verdict().unknown(f"runs {name}, a program outside the system folders "
                                     "(not one the guard knows)", "unknown_path")
        name = base
    aliases = call.ctx.policy.get("aliases") or {}
    if name in aliases:
        name = str(aliases[name])
    if name in KUBECTL_NAMES:
        return "kubectl"
    return name


def run_inner(call, argv: list, env: dict | None = None) -> Verdict:
    """Judge the command a wrapper runs (same input, same shell state)."""
    if not argv:
        return Verdict(reasons=["no command"])
    from _guard.walk import Call
    inner = Call(argv, {**call.env, **(env or {})}, call.stdin, call.state, call.walker,
                 call.stdout_redirected)
    verdict = judge(inner)
    call.output = inner.output
    return verdict


# --- kubectl ------------------------------------------------------------------------

def kubectl(call, base, args) -> Verdict:
    verdict = judge_kubectl(args, call)
    for name in ("KUBECONFIG",):
        if name in call.env:
            verdict.facts.setdefault("targets", []).append(f"{name}={display_value(call.env[name])}")
    return verdict


def display_value(value) -> str:
    return value if isinstance(value, str) else "$?"


# --- shell builtins ----------------------------------------------------------------

def inert(call, base, args) -> Verdict:
    """Commands that only print their arguments or test them."""
    v = Verdict(reasons=[f"{base} only prints or tests its arguments"])
    kinds = [s.kind for f in args for s in f if isinstance(s, Unknown)]
    if "secret" in kinds:
        v.need("ask", f"{base} prints a credential", "secret_data")
    if base in ("test", "[") and any(known(f) == "-v" for f in args):
        raise Unclear("test -v NAME[...] evaluates a subscript")
    call.output = worst_kind(kinds + ["data"]) if base in ("echo", "printf") else "int"
    if base == "printf":
        _printf_var(call, args, v)
    call.output_text = _printed_text(base, args)
    return v


def _printed_text(base: str, args: list) -> str | None:
    """What echo or printf prints, when it is plain: a manifest piped into kubectl."""
    texts = [known(a) for a in args]
    if None in texts:
        return None
    if base == "echo":
        if texts and texts[0] in ("-e", "-n", "-E", "-ne", "-en"):
            return None
        return " ".join(texts) + "\n"
    if base == "printf" and len(texts) == 1 and "%" not in texts[0]:
        return texts[0].replace("\\n", "\n").replace("\\t", "\t")
    return None


def _printf_var(call, args, v):
    for i, f in enumerate(args):
        if known(f) == "-v" and i + 1 < len(args):
            call.walker.assign_var(_plain_name(args[i + 1]), Unknown("data"), call.state, v)
            call.output = "int"


def _plain_name(f) -> str:
    text = known(f)
    if text is None or not text.replace("_", "a").isalnum() or text[:1].isdigit():
        raise Unclear(f"a variable name computed at run time or with a subscript "
                      f"({display(f)})")
    return text


def cd(call, base, args) -> Verdict:
    operands = [a for a in args if known(a) not in ("-L", "-P", "-e", "-@", "--")]
    state = call.state
    if not operands:
        state.cwd = call.ctx.home if base == "cd" else None
    else:
        target = known(operands[0])
        state.cwd = None if target in (None, "-") else call.paths.absolute(target)
    return Verdict(reasons=[f"{base} changes the working directory"])


def declaration(call, base, args) -> Verdict:
    """export / declare / typeset / local / readonly with plain options."""
    v = Verdict(reasons=[f"{base} sets shell variables"])
    allowed = {"export": "n", "readonly": "", "local": "rx", "declare": "rxgtlu",
               "typeset": "rxgtlu"}[base]
    exported = base == "export"
    operands = []
    for f in args:
        text = known(f)
        if text is not None and text[:1] in "-+" and len(text) > 1 and not operands:
            letters = set(text[1:])
            if "p" in letters or (not (letters <= set(allowed))):
                raise Unclear(f"{base} {text}: an option the guard does not follow "
                              "(printing all variables, integers, name references, arrays)")
            exported = exported or "x" in letters
            continue
        operands.append(f)
    if not operands and base in ("export", "declare", "typeset", "readonly"):
        v.need("ask", f"{base} without names prints every variable, credentials included",
               "secret_data")
    for f in operands:
        _declare_one(call, f, exported, v)
    return v


def _declare_one(call, f, exported: bool, v: Verdict):
    text = known(f[:1]) if f else None
    first = f[0] if f else None
    head = first.text if isinstance(first, Text) else ""
    name, eq, _ = head.partition("=")
    if not name or not (name.replace("_", "a").isalnum()) or name[:1].isdigit():
        raise Unclear(f"a declaration computed at run time ({display(f)})")
    risk = env_risk(name) if exported else shell_var_risk(name)
    if risk:
        v.need(risk[0], f"sets {risk[1]}", risk[2])
    if exported:
        call.state.exported.add(name)
    if eq:
        rest = (Text(head[len(name) + 1:]),) + tuple(f[1:])
        value = known(rest)
        call.state.vars[name] = value if value is not None else Unknown(
            worst_kind(s.kind for s in rest if isinstance(s, Unknown)))
    del text


def unset(call, base, args) -> Verdict:
    for f in args:
        text = known(f)
        if text and not text.startswith("-"):
            call.state.vars[text] = None
    return Verdict(reasons=["unset removes shell variables"])


def read_builtin(call, base, args) -> Verdict:
    v = Verdict(reasons=["read stores its input in variables"])
    skip_value = {"-p", "-t", "-n", "-N", "-d", "-i", "-u"}
    i = 0
    names = []
    while i < len(args):
        text = known(args[i])
        if text is None:
            raise Unclear("read with an argument computed at run time")
        if text in skip_value:
            i += 2
            continue
        if text.startswith("-"):
            if "a" in text[1:]:
                raise Unclear("read -a fills an array")
            i += 1
            continue
        names.append(text)
        i += 1
    kind = call.stdin.kind if call.stdin.source != "none" else "data"
    for name in names or ["REPLY"]:
        if not name.replace("_", "a").isalnum():
            raise Unclear(f"read into {name!r} (a subscript is evaluated)")
        call.walker.assign_var(name, Unknown(worst_kind([kind, "data"])), call.state, v)
    call.output = "int"
    return v


SET_OK = set("euxvfCnhm")
SET_LONG_OK = {"pipefail", "errexit", "nounset", "xtrace", "verbose", "noglob", "noclobber",
               "hashall", "monitor", "noexec", "posix"}


def set_builtin(call, base, args) -> Verdict:
    v = Verdict(reasons=["set changes shell options"])
    if not args:
        v.need("ask", "set without arguments prints every variable, credentials included",
               "secret_data")
        return v
    i = 0
    while i < len(args):
        text = known(args[i])
        if text is None:
            raise Unclear("set with an argument computed at run time")
        if text in ("--", "-"):
            call.state.positional = list(args[i + 1:])
            return v
        if text[:1] not in "-+":
            call.state.positional = list(args[i:])
            return v
        if text[1:] == "o":
            option = known(args[i + 1]) if i + 1 < len(args) else ""
            if option and option not in SET_LONG_OK:
                raise Unclear(f"set -o {option}: an option the guard does not follow")
            i += 2
            continue
        if not set(text[1:]) <= SET_OK:
            raise Unclear(f"set {text}: options like -a (export everything) or -k "
                          "(assignments anywhere) change what later commands see")
        i += 1
    return v


def shopt(call, base, args) -> Verdict:
    texts = [known(a) for a in args]
    if None in texts:
        raise Unclear("shopt with an argument computed at run time")
    if any(t in ("-s", "-u") for t in texts):
        names = [t for t in texts if not t.startswith("-")]
        if not set(names) <= {"nullglob", "failglob", "nocasematch", "checkwinsize",
                              "histappend", "cmdhist"}:
            raise Unclear(f"shopt {' '.join(texts)} changes how later words are read")
    return Verdict(reasons=["shopt reads or sets harmless shell options"])


def alias(call, base, args) -> Verdict:
    v = Verdict(reasons=["alias defines or prints aliases"])
    if base == "alias" and any("=" in (known(a) or "=") for a in args):
        call.state.aliases_defined = True
        v.note("an alias takes effect on the lines after it (those are asked)")
    return v


def eval_builtin(call, base, args) -> Verdict:
    texts = [known(a) for a in args]
    if None in texts:
        raise Unclear("eval runs text computed at run time")
    call.output = call.walker.walk_text(" ".join(texts), call.state, call.state.dialect)
    return Verdict(reasons=["eval runs the commands shown (judged one by one)"])


def exec_builtin(call, base, args) -> Verdict:
    rest = list(args)
    while rest and (known(rest[0]) or "").startswith("-") and known(rest[0]) != "--":
        option = known(rest[0])
        if option != "-c":
            raise Unclear(f"exec {option}: changes the program's name or makes it a login "
                          "shell")
        rest = rest[1:]
    if rest and known(rest[0]) == "--":
        rest = rest[1:]
    if not rest:
        return Verdict(reasons=["exec with only redirections"])
    return run_inner(call, rest)


def command_builtin(call, base, args) -> Verdict:
    rest = list(args)
    while rest and known(rest[0]) in ("-p", "-v", "-V", "--"):
        if known(rest[0]) in ("-v", "-V"):
            return Verdict(reasons=[f"{base} -v only looks a program up"])
        rest = rest[1:]
    return run_inner(call, rest)


def let_builtin(call, base, args) -> Verdict:
    for f in args:
        text = known(f)
        if text is None:
            raise Unclear("let with an expression computed at run time")
        call.walker.arith_text(text, call.state)
    return Verdict(reasons=["let computes numbers"])


# --- wrappers --------------------------------------------------------------------------

def timeout(call, base, args) -> Verdict:
    from _guard.opts import Spec, getopt
    spec = Spec(short="v", short_value="sk", long={"foreground", "preserve-status",
                                                 "verbose"},
                long_value={"signal", "kill-after"}, permute=False)
    _, operands = getopt(args, spec, base)
    if len(operands) < 2:
        return Verdict(reasons=["timeout without a command"])
    return run_inner(call, _fields(operands[1:]))


def nice(call, base, args) -> Verdict:
    from _guard.opts import Spec, getopt
    spec = Spec(short_value="n", long_value={"adjustment"}, numeric=True, permute=False)
    _, operands = getopt(args, spec, base)
    return run_inner(call, _fields(operands)) if operands else Verdict(
        reasons=["nice prints the niceness"])


def passthrough(call, base, args) -> Verdict:
    """nohup, setsid, stdbuf, time, ionice, chrt, taskset: run the command as given."""
    from _guard.opts import Spec, getopt
    specs = {"nohup": Spec(permute=False), "setsid": Spec(short="fw", permute=False),
             "stdbuf": Spec(short_value="ioe", permute=False),
             "time": Spec(short="pva", short_value="f", permute=False),
             "ionice": Spec(short_value="cnp", short="t", permute=False)}
    _, operands = getopt(args, specs[base], base)
    return run_inner(call, _fields(operands)) if operands else Verdict(
        reasons=[f"{base} without a command"])


def env_program(call, base, args) -> Verdict:
    v = Verdict()
    env = {}
    i = 0
    while i < len(args):
        text = known(args[i])
        if text is None:
            raise Unclear("env with an argument computed at run time")
        if text in ("-i", "--ignore-environment", "-0", "--null", "-"):
            i += 1
            continue
        if text in ("-u", "--unset"):
            i += 2
            continue
        if text.startswith("--unset="):
            i += 1
            continue
        if text in ("-S", "--split-string") or text.startswith(("-S", "--split-string=")):
            raise Unclear("env -S splits a string into a command (the guard does not "
                          "re-read it)")
        if text == "--":
            i += 1
            break
        if text.startswith("-"):
            raise Unclear(f"env {text}: an option the guard does not follow")
        name, eq, value = text.partition("=")
        if not eq:
            break
        risk = env_risk(name)
        if risk:
            v.need(risk[0], f"sets {risk[1]}", risk[2])
        env[name] = value
        i += 1
    rest = args[i:]
    if not rest:
        v.need("ask", "env without a command prints the environment, credentials included",
               "secret_data")
        return v
    v.merge(run_inner(call, rest, env))
    return v


def printenv(call, base, args) -> Verdict:
    v = Verdict(reasons=["printenv prints environment variables"])
    names = [known(a) for a in args]
    if not names or None in names or any(secret_name(n) for n in names if n):
        v.need("ask", "prints the environment, which may hold credentials", "secret_data")
    return v


def xargs(call, base, args) -> Verdict:
    from _guard.opts import Spec, getopt
    spec = Spec(short="0rtx", short_value="nLPsI", long={"null", "no-run-if-empty",
                                                        "verbose", "exit"},
                long_value={"max-args", "max-lines", "max-procs", "max-chars", "replace"},
                permute=False)
    options, operands = getopt(args, spec, base)
    kind = call.stdin.kind if call.stdin.source != "none" else "data"
    if not operands:
        return Verdict(reasons=["xargs echoes its input"])
    if kind not in ("name", "ref", "int"):
        raise Unclear("xargs adds arguments read at run time (from input the guard cannot "
                      "see) to the command")
    replace = [v for o, v in options if o in ("-I", "--replace")]
    argv = _fields(operands)
    added = (Unknown(kind),)
    if replace:
        argv = [_substitute(f, replace[-1], kind) for f in argv]
    else:
        argv = argv + [added]
    verdict = run_inner(call, argv)
    verdict.note("xargs adds Kubernetes names from its input", "xargs")
    return verdict


def _substitute(f: tuple, marker: str, kind: str) -> tuple:
    text = known(f)
    if text is None or marker not in text:
        return f
    out = []
    for i, piece in enumerate(text.split(marker)):
        if i:
            out.append(Unknown(kind))
        if piece:
            out.append(Text(piece))
    return tuple(out)


def shell(call, base, args) -> Verdict:
    """sh -c / bash -c / zsh -c with a known string: judged like the line itself."""
    dialect = SHELLS[base]
    i = 0
    command = None
    while i < len(args):
        text = known(args[i])
        if text is None:
            raise Unclear(f"{base} with an argument computed at run time")
        if text in ("-o", "+o"):
            i += 2
            continue
        if text in ("--norc", "--noprofile", "--login", "--posix", "-"):
            i += 1
            continue
        if text.startswith("-") and len(text) > 1 and not text.startswith("--"):
            letters = set(text[1:])
            if not letters <= set("ceuxvflnisp"):
                raise Unclear(f"{base} {text}: options the guard does not follow")
            if "c" in letters:
                if i + 1 >= len(args) or known(args[i + 1]) is None:
                    raise Unclear(f"{base} -c with a command computed at run time")
                command = known(args[i + 1])
                positional = args[i + 2:]
                return _shell_string(call, base, command, positional, dialect)
            if "s" in letters:
                break
            i += 1
            continue
        if text.startswith("--"):
            raise Unclear(f"{base} {text}: an option the guard does not follow")
        return Verdict().unknown(f"{base} runs the script {text}, which the guard did not "
                                 "read", "script")
    if call.stdin.source in ("heredoc", "herestring") and call.stdin.text is not None:
        return _shell_string(call, base, call.stdin.text, [], dialect)
    return Verdict().unknown(f"{base} reads commands from its input, which the guard "
                             "cannot see", "script")


def _shell_string(call, base, text: str, positional: list, dialect: str) -> Verdict:
    from _guard.walk import State
    outer = call.state
    inner = State(vars={n: outer.vars[n] for n in outer.exported if n in outer.vars},
                  positional=list(positional[1:]),
                  arg0=(known(positional[0]) if positional and known(positional[0]) is not
                        None else (Unknown("data") if positional else base)),
                  cwd=outer.cwd, exported=set(outer.exported), dialect=dialect)
    for name, value in call.env.items():
        inner.vars[name] = value
        inner.exported.add(name)
    call.output = call.walker.walk_text(text, inner, dialect)
    return Verdict(reasons=[f"{base} runs the commands shown (judged one by one)"])


SUDO_VALUE = {"-u", "-g", "-p", "-C", "-D", "-r", "-t", "-U", "-h", "-T", "-R"}


def privileged(call, base, args) -> Verdict:
    """sudo & co: always asked (another identity, another kubeconfig); the command they
    run is judged too, so what it would deny stays denied."""
    v = Verdict().unknown(f"{base} runs a command as another user or in another root "
                          "(another identity, another kubeconfig)", "privileged")
    if base not in ("sudo", "doas"):
        return v
    rest = list(args)
    while rest:
        text = known(rest[0])
        if text is None or not text.startswith("-") or text == "--":
            if text == "--":
                rest = rest[1:]
            break
        rest = rest[2:] if text in SUDO_VALUE else rest[1:]
    if rest:
        try:
            v.merge(run_inner(call, rest))
        except Unclear as err:
            v.note(str(err))
    return v


def _fields(items: list) -> list:
    return [(Text(x),) if isinstance(x, str) else x for x in items]


def refuse(reason: str, signal: str):
    def handler(call, base, args) -> Verdict:
        return Verdict().unknown(reason.format(base=base), signal)
    return handler


HANDLERS = {
    "kubectl": kubectl,
    ":": inert, "true": inert, "false": inert, "echo": inert, "printf": inert,
    "test": inert, "[": inert,
    "cd": cd, "pushd": cd, "popd": cd,
    "export": declaration, "declare": declaration, "typeset": declaration,
    "local": declaration, "readonly": declaration, "unset": unset, "read": read_builtin,
    "set": set_builtin, "shopt": shopt, "alias": alias, "unalias": alias,
    "eval": eval_builtin, "exec": exec_builtin, "command": command_builtin,
    "builtin": command_builtin, "let": let_builtin,
    "timeout": timeout, "nice": nice, "nohup": passthrough, "setsid": passthrough,
    "stdbuf": passthrough, "time": passthrough, "ionice": passthrough, "env": env_program,
    "printenv": printenv, "xargs": xargs,
    "watch": refuse("watch re-runs its command through sh until stopped; run the command "
                    "once instead", "watch"),
    "source": refuse("{base} runs the commands of a file the guard did not read", "script"),
    ".": refuse("{base} runs the commands of a file the guard did not read", "script"),
    "trap": refuse("trap runs a command later, on a signal", "trap"),
    "hash": refuse("hash can make a name run another program", "hash"),
    "enable": refuse("enable can load builtins from a shared library", "enable"),
    "fc": refuse("fc re-runs commands from history through an editor", "fc"),
    "mapfile": refuse("{base} fills an array", "array"),
    "readarray": refuse("{base} fills an array", "array"),
}
for _name in ("pwd", "dirs", "jobs", "times", "wait", "type", "which", "shift", "exit",
              "return", "break", "continue", "umask", "ulimit", "sleep"):
    HANDLERS[_name] = lambda call, base, args: Verdict(reasons=[f"{base} changes nothing"])
for _name in SHELLS:
    HANDLERS[_name] = shell
for _name in PRIVILEGE:
    HANDLERS[_name] = privileged
for _name in REMOTE:
    HANDLERS[_name] = refuse("{base} opens a connection to another machine (a remote "
                             "command, a tunnel or a ProxyCommand runs there or here)",
                             "remote")
for _name in INTERPRETERS:
    HANDLERS[_name] = refuse("{base} runs a program the guard cannot read", "interpreter")


def _register_more():
    from _guard.tools import TOOL_HANDLERS
    from _guard.scripts import SCRIPT_HANDLERS
    HANDLERS.update(TOOL_HANDLERS)
    HANDLERS.update(SCRIPT_HANDLERS)


_register_more()
