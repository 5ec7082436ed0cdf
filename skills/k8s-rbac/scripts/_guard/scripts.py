"""Judges for our skill scripts, python, helm, git and the cluster tools.

A script is one of ours only by where it is: a `scripts/NAME.py` (NAME not starting with
`_`) inside a skills folder this guard trusts (its own install, $CLAUDE_PLUGIN_ROOT/skills,
the project's or the user's .claude/skills, or folders the harness names), checked on the
real path (symlinks resolved). A file of the same name elsewhere is just a python program
the guard cannot read: asked.
"""
from __future__ import annotations

import os
import re

from _guard.expand import Unclear
from _guard.opts import Spec, getopt, has, values
from _guard.tools import read_files, write_file
from _guard.verdict import Verdict
from _guard.words import Unknown, display, known

PYTHON = re.compile(r"python(3(\.[0-9]+)?)?$")
PY_FLAGS = set("uBEsIPbqO")
SAFE_KINDS = ("int", "name", "env")


# --- our skill scripts ------------------------------------------------------------------

def identify_script(path: str, call) -> tuple[str, str] | None:
    """(skill, script) when `path` is one of the installed skills' scripts."""
    absolute = call.paths.absolute(path)
    if absolute is None or not absolute.endswith(".py"):
        return None
    real = os.path.realpath(absolute)
    for root in call.ctx.skill_roots:
        root = os.path.realpath(root)
        if not real.startswith(root.rstrip("/") + "/"):
            continue
        parts = real[len(root.rstrip("/")) + 1:].split("/")
        if len(parts) == 3 and parts[1] == "scripts" and not parts[2].startswith("_") \
                and os.path.isfile(real) and not os.path.islink(real):
            return parts[0], parts[2]
    return None


def skill_script_verdict(path: str, args: list, call, direct: bool) -> Verdict | None:
    found = identify_script(path, call)
    if found is None:
        return None
    skill, script = found
    v = Verdict(reasons=[f"{skill}/{script} is an installed skill script (diagnostics only)"])
    v.facts = {"program": "skill-script", "script": script, "skill": skill}
    _script_arguments(call, v, script, args)
    call.output = "data"
    return v


def _script_arguments(call, v: Verdict, script: str, args: list):
    i = 0
    while i < len(args):
        f = args[i]
        text = known(f)
        if text is None:
            if any(getattr(s, "kind", "") not in SAFE_KINDS for s in f):
                raise Unclear(f"{script}: an argument computed at run time "
                              f"({display(f)!r})")
            i += 1
            continue
        name, eq, value = text.partition("=")
        if name.startswith("--") and len(name) >= 3 and "--apply".startswith(name):
            v.raise_to("write", f"{script} --apply changes the cluster (after a server-side "
                                "dry run)", "skill_script:apply")
        nxt = known(args[i + 1]) if i + 1 < len(args) and not eq else None
        target = value if eq else nxt
        if name in ("-o", "--output", "--log") and target and target != "-":
            write_file(call, v, target, f"{script} {name}")
        elif name.startswith("-") and target and _looks_like_path(target, call):
            read_files(call, v, [target])
        elif not name.startswith("-") and _looks_like_path(text, call):
            read_files(call, v, [text])
        i += 1


def _looks_like_path(text: str, call) -> bool:
    if "/" in text or text.startswith("~") or text.endswith((".yaml", ".yml", ".json",
                                                             ".txt", ".log", ".conf")):
        return True
    absolute = call.paths.absolute(text)
    return bool(absolute) and os.path.exists(absolute)


def python(call, base, args) -> Verdict:
    i = 0
    while i < len(args):
        text = known(args[i])
        if text is None:
            raise Unclear("python with an argument computed at run time")
        if text in ("-c", "-m", "-i", "-", "-X", "-W") or text.startswith(("-c", "-m")):
            raise Unclear(f"python {text} runs code the guard cannot read")
        if text.startswith("-") and set(text[1:]) <= PY_FLAGS:
            i += 1
            continue
        if text.startswith("-"):
            raise Unclear(f"python {text}: an option the guard does not follow")
        verdict = skill_script_verdict(text, args[i + 1:], call, direct=False)
        if verdict is None:
            return Verdict().unknown(f"python runs {text}, which is not an installed skill "
                                     "script (a file of that name elsewhere may be anything)",
                                     "unknown:python")
        return verdict
    raise Unclear("python without a script reads code from its input")


# --- helm ---------------------------------------------------------------------------

HELM_GLOBAL = Spec(short="n", short_value="n",
                   long={"debug", "kube-insecure-skip-tls-verify"},
                   long_value={"namespace", "kube-context", "kubeconfig", "kube-apiserver",
                               "kube-token", "kube-ca-file", "kube-tls-server-name",
                               "kube-as-user", "kube-as-group", "burst-limit", "qps",
                               "registry-config", "repository-config", "repository-cache",
                               "content-cache"})
HELM_READ = {"list", "ls", "status", "history", "hist", "show", "inspect", "template", "lint",
             "search", "version", "env", "verify", "help", "completion"}
HELM_SECRET_GETS = {"values", "manifest", "all", "hooks"}
HELM_DESTRUCTIVE = {"uninstall", "delete", "del", "un"}
HELM_DRY_RUN = {"install", "upgrade", "uninstall", "delete", "del", "un", "rollback"}
HELM_COMMON = Spec(short="aAqrlmod", short_value="fnosl",
                   long={"all", "all-namespaces", "short", "reverse", "deployed", "failed",
                         "pending", "superseded", "uninstalled", "uninstalling", "date",
                         "no-headers", "include-crds", "skip-crds", "skip-tests", "devel",
                         "is-upgrade", "no-hooks", "show-desc", "show-resources", "strict",
                         "with-subcharts", "quiet", "versions", "regexp", "atomic", "wait",
                         "wait-for-jobs", "install", "force", "create-namespace",
                         "reuse-values", "reset-values", "reset-then-reuse-values",
                         "keep-history", "cleanup-on-fail", "dependency-update",
                         "disable-openapi-validation", "render-subchart-notes", "validate",
                         "generate-name", "debug", "insecure-skip-tls-verify",
                         "take-ownership", "hide-notes", "skip-schema-validation",
                         "enable-dns", "verify", "kube-insecure-skip-tls-verify"},
                   long_value={"output", "filter", "selector", "max", "offset",
                               "time-format", "revision", "values", "set", "set-string",
                               "set-json", "set-literal", "set-file", "version", "repo",
                               "namespace", "api-versions", "kube-version", "release-name",
                               "name-template", "show-only", "max-col-width", "jsonpath",
                               "timeout", "description", "post-renderer",
                               "post-renderer-args", "output-dir", "labels",
                               "cascade", "username", "password", "ca-file", "cert-file",
                               "key-file", "keyring", "template", "history-max",
                               "kube-context", "kubeconfig", "kube-apiserver", "kube-token",
                               "kube-ca-file", "kube-as-user", "kube-as-group"},
                   long_optional={"dry-run"})


def helm(call, base, args) -> Verdict:
    options, operands = getopt(args, HELM_COMMON, base)
    v = Verdict()
    words = [o if isinstance(o, str) else None for o in operands]
    cmd = words[0] if words else ""
    sub = words[1] if len(words) > 1 else ""
    if cmd is None:
        raise Unclear("helm with a command computed at run time")
    v.facts = {"program": "helm", "verb": cmd, "release": sub or "",
               "namespace": (values(options, "-n", "--namespace") or [""])[-1]}
    _helm_flags(call, v, options)
    if not cmd or cmd in HELM_READ or (cmd in ("repo", "plugin", "dependency", "dep") and
                                       sub in ("list", "ls")) or (cmd == "get" and
                                                                  sub not in HELM_SECRET_GETS):
        if cmd == "search" and sub == "hub":
            v.need("ask", "helm search hub sends the query off this machine", "network")
        v.note(f"helm {cmd or '(help)'} only reads")
        _helm_chart_paths(call, v, words[1:] if cmd in ("template", "lint", "show",
                                                         "inspect") else [])
    elif cmd == "get":
        v.need("ask", f"helm get {sub} prints the release's values or manifests (passwords, "
                      "Secrets)", "secret_data")
    elif cmd in HELM_DESTRUCTIVE:
        v.raise_to("destructive", f"helm {cmd} deletes release {sub or '?'} and its objects",
                   "helm:uninstall")
    elif cmd in ("install", "upgrade", "rollback"):
        v.raise_to("write", f"helm {cmd} changes release {sub or '?'}", f"helm:{cmd}")
        if has(options, "--force"):
            v.raise_to("destructive", "helm --force deletes and recreates objects", "force")
    elif cmd in ("repo", "plugin", "dependency", "dep", "registry", "pull", "push",
                 "package", "create"):
        v.raise_to("write", f"helm {cmd} {sub}".strip() + " changes local files or "
                                                        "configuration", f"helm:{cmd}")
    else:
        return Verdict().unknown(f"helm {cmd}: not a built-in command, so a helm plugin (a "
                                 "program) runs", "helm_plugin")
    _helm_dry_run(v, cmd, options)
    return v


def _helm_flags(call, v: Verdict, options: list):
    for option, value in options:
        name = option.lstrip("-")
        if name in ("kube-apiserver", "kube-token", "kube-ca-file", "kube-tls-server-name",
                    "kube-insecure-skip-tls-verify"):
            v.need("deny", f"--{name} sends helm's requests or credentials elsewhere",
                   f"flag_injection:--{name}")
        elif name in ("kube-context", "kubeconfig"):
            flag = "--context" if name == "kube-context" else "--kubeconfig"
            v.facts.setdefault("targets", []).append(f"{flag}={_text(value)}")
            v.note(f"--{name}={_text(value)} picks another cluster", f"target:--{name}")
        elif name in ("kube-as-user", "kube-as-group"):
            v.need("ask", "helm impersonates another identity", "impersonation")
        elif name in ("post-renderer", "post-renderer-args"):
            v.need("ask", "--post-renderer runs a program on the rendered manifests", "exec")
        elif name == "output-dir":
            v.raise_to("write", "--output-dir writes the rendered files", "local_write")
            v.need("ask", "--output-dir writes files")
        elif name in ("registry-config", "repository-config", "repository-cache",
                      "content-cache", "keyring", "password", "username", "cert-file",
                      "key-file", "ca-file"):
            v.need("ask", f"--{name} reads or uses other credentials or configuration",
                   "credential")
        elif name in ("values", "set-file", "f"):
            _helm_values(call, v, value)


def _helm_values(call, v: Verdict, value):
    if not isinstance(value, str):
        raise Unclear("helm reads values from a file named at run time")
    for item in value.split(","):
        path = item.split("=", 1)[1] if "=" in item else item
        if "://" not in path:
            read_files(call, v, [path])


def _helm_chart_paths(call, v: Verdict, words: list):
    for word in words:
        if word and ("/" in word or word.startswith(".")) and "://" not in word and \
                call.paths.absolute(word) and os.path.exists(call.paths.absolute(word)):
            read_files(call, v, [word], tree=True)


def _helm_dry_run(v: Verdict, cmd: str, options: list):
    modes = [val for o, val in options if o == "--dry-run"]
    if not modes or cmd not in HELM_DRY_RUN or "exec" in v.signals:
        return
    mode = modes[-1] or "client"
    if mode in ("client", "server", "true"):
        v.dry_run = "client" if mode == "true" else mode
        v.note(f"--dry-run={v.dry_run}: helm changes nothing", f"dry_run:{v.dry_run}")
        if v.cls == "destructive":
            v.cls = "write"


def _text(value) -> str:
    return value if isinstance(value, str) else display(value)


# --- git ----------------------------------------------------------------------------

GIT_READ = {"status", "log", "show", "diff", "rev-parse", "ls-files", "blame", "shortlog",
            "describe", "stash", "reflog", "cat-file", "ls-tree", "merge-base", "rev-list",
            "count-objects", "version", "check-ignore", "for-each-ref", "name-rev", "branch",
            "tag", "remote", "whatchanged", "grep"}
GIT_BAD_OPTIONS = ("--output", "--ext-diff", "--textconv", "--open-files-in-pager", "-O",
                   "--upload-pack", "--exec", "--config", "--paginate", "-p")
GIT_CONFIG_RISK = re.compile(r"^\s*(fsmonitor|pager|external|textconv|clean|smudge|process|"
                             r"hookspath|sshcommand|askpass|editor|gpgprogram|program|"
                             r"command|cmd|helper|path)\s*=", re.I)


def git(call, base, args) -> Verdict:
    texts = [known(a) for a in args]
    if None in texts:
        raise Unclear("git with an argument computed at run time")
    i = 0
    while i < len(texts) and texts[i].startswith("-"):
        if texts[i] not in ("--no-pager", "-P", "--no-optional-locks", "--no-replace-objects"):
            raise Unclear(f"git {texts[i]}: changes where git reads its repository or "
                          "configuration (or which programs it runs)")
        i += 1
    sub = texts[i] if i < len(texts) else ""
    rest = texts[i + 1:]
    v = Verdict(facts={"program": "git", "verb": sub})
    if sub not in GIT_READ or not _git_read_form(sub, rest):
        v.raise_to("write", f"git {sub or '(none)'} changes the repository or talks to a "
                            "remote", f"git:{sub}")
        if sub in ("push", "reset", "clean", "checkout", "restore") and \
                set(rest) & {"-f", "--force", "--hard", "--mirror", "-fd", "-fdx", "."}:
            v.raise_to("destructive", f"git {sub} discards work", f"git:{sub}")
        return v
    for option in rest:
        if option.startswith(GIT_BAD_OPTIONS) and option != "-p" or \
                (option == "-O" and sub == "grep"):
            raise Unclear(f"git {sub} {option} writes a file or runs a program")
    why = _git_config_risk(call)
    if why:
        raise Unclear(f"git {sub}: {why}")
    if "--no-index" in rest:
        read_files(call, v, [r for r in rest if not r.startswith("-")])
    v.note(f"git {sub} only reads")
    call.output = "data"
    return v


def _git_read_form(sub: str, rest: list) -> bool:
    if sub == "branch":
        return all(r in ("-a", "-r", "-v", "-vv", "--list", "--show-current", "--all",
                         "--remotes", "--no-color", "--merged", "--no-merged", "--contains")
                   or not r.startswith("-") and "--list" in rest for r in rest) or not rest
    if sub == "tag":
        return not rest or rest[0] in ("-l", "--list")
    if sub == "remote":
        return not rest or rest[0] in ("-v", "--verbose", "get-url", "show")
    if sub == "stash":
        return bool(rest) and rest[0] in ("list", "show")
    return True


def _git_config_risk(call) -> str | None:
    """Does a git configuration in reach make read commands run programs?"""
    cwd = call.state.cwd or call.ctx.cwd
    if cwd is None:
        return "the repository is in a directory known only at run time"
    files = []
    folder = cwd
    for _ in range(40):
        candidate = os.path.join(folder, ".git")
        if os.path.isdir(candidate):
            files.append(os.path.join(candidate, "config"))
            hooks = os.path.join(candidate, "hooks")
            if _active_hooks(hooks):
                return f"{hooks} holds active hooks"
            break
        if os.path.isfile(candidate):
            why = _worktree_risk(candidate, files)
            if why:
                return why
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    home = call.ctx.home
    xdg = call.ctx_env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files += [os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config"),
              "/etc/gitconfig"]
    for path in files:
        why = _config_file_risk(path)
        if why:
            return why
    return None


def _worktree_risk(dot_git: str, files: list) -> str | None:
    """A worktree's .git file: `gitdir: PATH`; its config lives in the common dir."""
    try:
        with open(dot_git, encoding="utf-8", errors="replace") as handle:
            line = handle.read(4096).strip()
    except OSError:
        return "the repository's .git file cannot be read"
    if not line.startswith("gitdir:"):
        return "the repository's .git file is not a gitdir link"
    gitdir = os.path.join(os.path.dirname(dot_git), line[7:].strip())
    common = gitdir
    try:
        with open(os.path.join(gitdir, "commondir"), encoding="utf-8") as handle:
            common = os.path.join(gitdir, handle.read(4096).strip())
    except OSError:
        pass
    files += [os.path.join(common, "config"), os.path.join(gitdir, "config.worktree")]
    if _active_hooks(os.path.join(common, "hooks")):
        return f"{os.path.join(common, 'hooks')} holds active hooks"
    return None


def _active_hooks(folder: str) -> bool:
    try:
        names = os.listdir(folder)[:200]
    except OSError:
        return False
    return any(not n.endswith(".sample") and os.access(os.path.join(folder, n), os.X_OK)
               for n in names)


def _config_file_risk(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(65536)
    except OSError:
        return None
    for line in text.splitlines():
        if line.strip().lower().startswith(("[include", "[includeif")):
            return f"{path} includes other configuration"
        match = GIT_CONFIG_RISK.match(line)
        if match:
            value = line.split("=", 1)[1].strip().lower()
            if match.group(1).lower() == "fsmonitor" and value in ("true", "false", "1",
                                                                    "0", ""):
                continue
            if match.group(1).lower() in ("path", "helper", "editor", "program"):
                continue
            return f"{path} sets {line.strip()[:60]!r} (git would run a program)"
    return None


# --- cluster tools ---------------------------------------------------------------------

def k8s_skills(call, base, args) -> Verdict:
    texts = [known(a) for a in args]
    if None in texts:
        raise Unclear("k8s-skills with an argument computed at run time")
    words = [t for t in texts if not t.startswith("-")]
    v = Verdict()
    if "-h" in texts or "--help" in texts or words[:2] in (["cluster", "status"],
                                                           ["cluster", "env"]) or \
            words[:1] == ["audit"]:
        v.note(f"k8s-skills {' '.join(words[:2])} only reads")
        for option, value in zip(texts, texts[1:]):
            if option == "--log":
                read_files(call, v, [value])
        return v
    if words[:2] == ["cluster", "down"]:
        v.raise_to("destructive", "k8s-skills cluster down deletes the cluster",
                   "k8s-skills:down")
    else:
        v.raise_to("write", f"k8s-skills {' '.join(words[:2])} changes local or cluster "
                            "state", "k8s-skills")
    return v


def cluster_tool(call, base, args) -> Verdict:
    texts = [known(a) for a in args]
    if None in texts:
        raise Unclear(f"{base} with an argument computed at run time")
    words = [t for t in texts if not t.startswith("-")]
    v = Verdict()
    first = words[0] if words else ""
    reads = {"kind": {"get", "version"}, "kwokctl": {"get"}, "etcdctl": {"get", "endpoint",
                                                                        "version"},
             "kueuectl": {"list", "describe", "version"}}[base]
    destructive = {"delete", "del", "defrag", "stop", "remove"}
    if "--help" in texts or "-h" in texts or not words:
        v.note(f"{base} prints help")
    elif first in reads or (base == "etcdctl" and words[:2] == ["member", "list"]):
        v.note(f"{base} {first} only reads")
        if base == "kind" and words[1:2] == ["kubeconfig"]:
            v.need("ask", "kind get kubeconfig prints admin credentials", "secret_data")
        if base == "etcdctl" and first == "get" and "--keys-only" not in texts:
            v.need("ask", "etcdctl get prints stored objects, Secrets included",
                   "secret_data")
        if any(t.startswith(("--kubeconfig", "--context", "--endpoints")) for t in texts):
            v.need("ask", f"{base} talks to another cluster or endpoint", "target")
    elif first in destructive or words[:2] == ["snapshot", "restore"]:
        v.raise_to("destructive", f"{base} {first} deletes cluster state", f"{base}:{first}")
    else:
        v.raise_to("write", f"{base} {first} changes cluster state", f"{base}:{first}")
    return v


SCRIPT_HANDLERS = {"helm": helm, "helm3": helm, "git": git, "k8s-skills": k8s_skills,
                   "kind": cluster_tool, "kwokctl": cluster_tool, "etcdctl": cluster_tool,
                   "kueuectl": cluster_tool}
for _name in ("python", "python3", "python3.10", "python3.11", "python3.12", "python3.13",
              "python3.14"):
    SCRIPT_HANDLERS[_name] = python
del Unknown
