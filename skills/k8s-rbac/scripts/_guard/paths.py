"""Files the guard protects, whatever program (or Claude Code tool) touches them.

Reading credentials (kubeconfigs, service-account tokens, /etc/kubernetes, private keys,
process environments) is asked. Writing them, or writing files that make programs run
code later (shell startup files, git hooks and config, Claude Code settings, programs on
PATH), is asked; writing the guard itself, its hooks, policy or audit log is denied.
Ordinary writes are allowed only under the working directory or a temporary directory,
and never over an existing file that is not plain data.

Reading the file system to decide (stat, realpath, directory listings) is fine: it runs
nothing.

    >>> p = Paths(cwd="/work/p", home="/home/u", env={})
    >>> p.read_risk("/home/u/.kube/config")[0]
    'ask'
    >>> p.write_risk("/home/u/.bashrc")[0], p.write_risk("out/pods.yaml")
    ('ask', None)
"""
from __future__ import annotations

import fnmatch
import os
import stat

SENSITIVE_DIRS = [  # component sequences, matched anywhere in a path (read and write)
    (".kube",), ("etc", "kubernetes"), ("var", "run", "secrets"), ("run", "secrets"),
    ("var", "lib", "kubelet"), ("var", "lib", "etcd"), ("etc", "rancher"),
    ("var", "lib", "rancher"), (".ssh",), (".aws",), (".azure",), (".gnupg",),
    (".config", "gcloud"), (".docker",), (".git", "config"), (".git-credentials",),
    (".netrc",), (".pgpass",), (".claude", ".credentials.json"), ("etc", "shadow"),
    ("etc", "gshadow"), ("etc", "sudoers"), ("etc", "ssl", "private"),
    ("secrets", "kubernetes.io"),
]
SENSITIVE_NAMES = ["kubeconfig", "kubeconfig*", "*.kubeconfig", "*kubeconfig.y*ml",
                   "admin.conf", "super-admin.conf", "kubelet.conf",
                   "controller-manager.conf", "scheduler.conf", "token", "*.key",
                   "*-key.pem", "*_key.pem", "*.p12", "*.pfx", "*.jks", "id_rsa*", "id_dsa*",
                   "id_ecdsa*", "id_ed25519*", "credentials", "credentials.json",
                   "*.credentials", "secrets.y*ml", ".env", "*.env"]
PROC_OK = {"cpuinfo", "meminfo", "loadavg", "version", "uptime", "stat", "filesystems",
           "mounts", "partitions", "swaps", "vmstat", "diskstats"}
DEV_OK = {"null", "stdin", "stdout", "stderr", "tty"}
# Files that make programs run code later, beyond the hidden files and folders.
PERSISTENCE = [("etc",), ("usr",), ("bin",), ("sbin",), ("lib",), ("lib64",), ("opt",),
               ("boot",), ("var", "spool"), ("var", "lib"), ("root",), ("sys",), ("proc",),
               ("site-packages",), ("dist-packages",), ("sitecustomize.py",),
               ("usercustomize.py",), ("*.pth",), (".git",), ("node_modules", ".bin")]
AGENT_INSTRUCTIONS = {"CLAUDE.md", "CLAUDE.local.md", "AGENTS.md", ".envrc"}
NAME_MAX = 255
GLOB_CHARS = set("*?[")
DATA_EXTENSIONS = (".yaml", ".yml", ".json", ".txt", ".log", ".out", ".csv", ".tsv",
                   ".md", ".html", ".xml", ".diff", ".patch", ".jsonl", ".err")


class Paths:
    """Path rules for one decision: the working directory, HOME and the environment."""

    def __init__(self, cwd: str | None, home: str, env: dict, skill_roots=(),
                 protected=()):
        self.cwd = cwd
        self.home = home or "/root"
        self.env = env
        self.skill_roots = [os.path.realpath(r) for r in skill_roots if r]
        self.protected = [os.path.realpath(p) for p in protected if p]

    def at(self, cwd: str | None) -> "Paths":
        """The same rules from another working directory (after `cd`)."""
        if cwd == self.cwd:
            return self
        other = Paths.__new__(Paths)
        other.__dict__.update(self.__dict__)
        other.cwd = cwd
        return other

    # -- normalising --
    def absolute(self, path: str) -> str | None:
        """The absolute, normalised path (None when it is relative and cwd is unknown)."""
        if path.startswith("~/") or path == "~":
            path = self.home + path[1:]
        if not path.startswith("/"):
            if self.cwd is None:
                return None
            path = os.path.join(self.cwd, path)
        return os.path.normpath(path).replace("//", "/")

    def real(self, path: str) -> str:
        try:
            return os.path.realpath(path)
        except (OSError, ValueError):
            return path

    # -- reading --
    def read_risk(self, path: str) -> tuple[str, str] | None:
        """('ask', why) when reading `path` can show credentials."""
        if path.startswith("/dev/fd/") or path in ("/dev/stdin", "-"):
            return None
        absolute = self.absolute(path)
        candidates = [path] if absolute is None else [absolute, self.real(absolute)]
        for candidate in candidates:
            why = self._sensitive(candidate) or self._system_special(candidate)
            if why:
                return ("ask", f"reads {path}: {why}")
        return None

    def tree_risk(self, path: str) -> tuple[str, str] | None:
        """Reading a whole directory tree: asked when credentials live inside it."""
        direct = self.read_risk(path)
        if direct:
            return direct
        absolute = self.absolute(path)
        if absolute is None:
            return ("ask", f"reads the tree {path} relative to an unknown directory")
        roots = [absolute, self.real(absolute)]
        for inside in self._credential_locations():
            for root in roots:
                if inside == root or inside.startswith(root.rstrip("/") + "/"):
                    return ("ask", f"reads the tree {path}, which holds {inside}")
        return None

    def _credential_locations(self) -> list[str]:
        home = self.home.rstrip("/")
        return [f"{home}/.kube", f"{home}/.ssh", f"{home}/.aws", f"{home}/.config/gcloud",
                f"{home}/.docker", f"{home}/.netrc", f"{home}/.git-credentials",
                f"{home}/.claude", "/etc/kubernetes", "/var/run/secrets", "/run/secrets",
                "/var/lib/kubelet", "/var/lib/etcd", "/proc", "/etc/shadow", "/root"]

    def _sensitive(self, path: str) -> str | None:
        parts = [p for p in path.split("/") if p]
        for seq in SENSITIVE_DIRS:
            if _contains(parts, seq):
                return f"{'/'.join(seq)} holds credentials"
        name = parts[-1] if parts else ""
        for pattern in SENSITIVE_NAMES:
            if _matches(name.lower(), pattern):
                return f"{name[:80]} looks like a credential file"
        kubeconfig = self.env.get("KUBECONFIG") or ""
        for item in kubeconfig.split(":"):
            if item and os.path.normpath(item) == path:
                return "it is the kubeconfig in use"
        return None

    def _system_special(self, path: str) -> str | None:
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["proc"] and not (len(parts) == 2 and parts[1] in PROC_OK):
            return "/proc exposes other processes' environments and files"
        if parts[:1] == ["sys"] and len(parts) > 1 and parts[1] == "kernel":
            return "kernel interfaces"
        if parts[:1] == ["dev"] and not (len(parts) == 2 and parts[1] in DEV_OK) and \
                not (len(parts) == 3 and parts[1] == "fd"):
            return "a device"
        return None

    # -- writing --
    def write_risk(self, path: str) -> tuple[str, str] | None:
        """(decision, why) for writing `path`; None when it is an ordinary new or data file."""
        if path in ("/dev/null", "/dev/stdout", "/dev/stderr") or path.startswith("/dev/fd/"):
            return None
        absolute = self.absolute(path)
        if absolute is None:
            return ("ask", f"writes {path} relative to a directory known only at run time")
        real = self.real(absolute)
        for candidate in (absolute, real):
            decision = self._guard_file(candidate)
            if decision:
                return decision
        for candidate in (absolute, real):
            why = self._sensitive(candidate) or self._system_special(candidate) or \
                self._persistence(candidate)
            if why:
                return ("ask", f"writes {path}: {why}")
        return self._outside_workspace(path, absolute, real) or self._clobber(path, real)

    def _guard_file(self, path: str) -> tuple[str, str] | None:
        for root in self.skill_roots + self.protected:
            if path == root or path.startswith(root.rstrip("/") + "/"):
                return ("deny", f"writes {path}: the skills, the guard, its policy and audit "
                                "log must not be changed by the agent")
        parts = [p for p in path.split("/") if p]
        name = parts[-1] if parts else ""
        if ".claude" in parts and (name.startswith("settings") or "hooks" in parts or
                                   "skills" in parts or name.endswith(".json")):
            return ("deny", f"writes {path}: Claude Code settings, hooks and skills decide "
                            "what the guard enforces")
        if name in ("hooks.json", ".mcp.json", "managed-settings.json"):
            return ("deny", f"writes {path}: it configures hooks or tools")
        env_file = self.env.get("CLAUDE_ENV_FILE")
        if env_file and os.path.normpath(env_file) == path:
            return ("deny", f"writes {path}: Claude Code sources it before every command")
        return None

    def _persistence(self, path: str) -> str | None:
        parts = [p for p in path.split("/") if p]
        hidden = [p for p in parts if p.startswith(".") and p not in (".", "..")]
        if parts and parts[-1] in AGENT_INSTRUCTIONS:
            return f"{parts[-1]} holds instructions every later agent session reads"
        if hidden:
            return f"{hidden[0]} is a hidden configuration file or folder (programs read it)"
        for seq in PERSISTENCE:
            if _contains(parts, seq, anchored=len(seq[0]) > 0 and seq[0] in (
                    "etc", "usr", "bin", "sbin", "lib", "lib64", "opt", "boot", "var",
                    "root", "sys", "proc")):
                return f"{'/'.join(seq)} holds programs or system configuration"
        directory = os.path.dirname(path)
        for entry in (self.env.get("PATH") or "").split(":"):
            if entry and os.path.normpath(entry) == directory:
                return f"{directory} is on PATH: a program written there runs in place of " \
                       "another"
        return None

    def _outside_workspace(self, path, absolute, real) -> tuple[str, str] | None:
        roots = [r for r in (self.cwd, "/tmp", "/var/tmp", self.env.get("TMPDIR")) if r]
        for root in roots:
            root = os.path.normpath(root)
            if all(c == root or c.startswith(root.rstrip("/") + "/") for c in (absolute, real)):
                return None
        return ("ask", f"writes {path}, outside the working directory and /tmp")

    def _clobber(self, path: str, real: str) -> tuple[str, str] | None:
        try:
            info = os.lstat(real)
        except (OSError, ValueError):
            return None                      # a new file
        if not stat.S_ISREG(info.st_mode):
            return ("ask", f"writes {path}, which exists and is not a regular file")
        if real.lower().endswith(DATA_EXTENSIONS):
            return None
        return ("ask", f"overwrites the existing file {path}")


def _contains(parts: list, seq: tuple, anchored: bool = False) -> bool:
    """Does the component list contain `seq` (fnmatch patterns) contiguously?

    A component may itself be a glob pattern (`~/.ku*/config`): then it counts when it
    could match the protected name."""
    span = len(seq)
    starts = [0] if anchored else range(len(parts) - span + 1)
    for i in starts:
        window = parts[i:i + span]
        if len(window) == span and all(_matches(p, s) for p, s in zip(window, seq)):
            return True
    return False


def _matches(part: str, pattern: str) -> bool:
    part = part[:NAME_MAX]
    if fnmatch.fnmatchcase(part, pattern):
        return True
    if not GLOB_CHARS & set(part):
        return False
    if pattern.startswith(".") and not part.startswith("."):
        return False                 # bash's * and ? never match a leading dot
    return fnmatch.fnmatchcase(pattern, part)


def name_matches(name: str, pattern: str) -> bool:
    return _matches(name, pattern)
