"""The guard's policy file: validated in full before it is used.

Every key is checked for its type and values; every problem is reported at once. The
`deny` and `ask` regular expressions run on attacker-chosen text, so they must be cheap to
match whatever the text: no backreferences, no repeat inside a repeat, no alternation
inside a repeat, at most two unbounded repeats, and each is matched against one command's
normalised text of at most 1 KiB.

    >>> problems({"decisions": {"destructive": "allow"}, "deny": ["(a+)+b"]})[0]
    'decisions.destructive cannot be allow: destructive commands are always asked or denied'
"""
from __future__ import annotations

import re

try:
    import re._parser as sre_parse          # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse                         # type: ignore[no-redef]

CLASSES = ("read", "write", "destructive")
DECISIONS = ("allow", "ask", "deny")
KEYS = {"version", "mode", "description", "decisions", "dry_run", "aliases", "read_programs",
        "deny", "ask", "allowed_writes", "allowed_contexts", "allowed_kubeconfigs", "secrets"}
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
ALIAS_TARGETS = {"kubectl", "helm"}
WRITE_VERBS = {"create", "apply", "patch", "label", "annotate", "scale", "set", "replace",
               "autoscale", "expose", "taint", "rollout restart", "rollout undo"}
NEVER_READ_PROGRAMS = {"sh", "bash", "zsh", "dash", "ash", "fish", "eval", "exec", "env",
                       "xargs", "find", "sudo", "su", "doas", "ssh", "python", "python3",
                       "perl", "ruby", "node", "awk", "sed", "watch", "timeout", "nice",
                       "nohup", "source", ".", "kubectl", "helm", "curl", "wget", "git",
                       "rm", "dd", "tee", "cp", "mv"}
MAX_PATTERN = 300
MAX_UNBOUNDED = 2


def problems(policy) -> list[str]:
    if not isinstance(policy, dict):
        return ["a policy is a mapping of keys to values"]
    out = []
    unknown = set(policy) - KEYS
    if unknown:
        out.append(f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    for key, check in (("decisions", _decisions), ("dry_run", _dry_run),
                       ("aliases", _aliases), ("read_programs", _read_programs),
                       ("deny", _patterns), ("ask", _patterns),
                       ("allowed_writes", _allowed_writes),
                       ("allowed_contexts", _strings), ("allowed_kubeconfigs", _strings),
                       ("secrets", _secrets), ("version", _version),
                       ("mode", _text), ("description", _text)):
        if key in policy and policy[key] is not None:
            out.extend(check(key, policy[key]))
    return out


def _decisions(key, value) -> list:
    if not isinstance(value, dict):
        return [f"{key}: a mapping of class to decision"]
    out = []
    for cls, decision in value.items():
        if cls not in CLASSES or decision not in DECISIONS:
            out.append(f"{key}.{cls}: {decision!r} (classes {', '.join(CLASSES)}; decisions "
                       f"{', '.join(DECISIONS)})")
    if value.get("destructive") == "allow":
        out.insert(0, "decisions.destructive cannot be allow: destructive commands are "
                      "always asked or denied")
    return out


def _dry_run(key, value) -> list:
    if not isinstance(value, list) or not set(value) <= {"server", "client"}:
        return [f"{key}: a list of server and/or client"]
    return []


def _aliases(key, value) -> list:
    if not isinstance(value, dict):
        return [f"{key}: a mapping of name to kubectl or helm"]
    return [f"{key}.{name}: {target!r} (names are letters, digits, . _ -; targets kubectl "
            "or helm)" for name, target in value.items()
            if not (isinstance(name, str) and NAME.fullmatch(name) and target in
                    ALIAS_TARGETS)]


def _read_programs(key, value) -> list:
    if not isinstance(value, list):
        return [f"{key}: a list of program names"]
    out = []
    for name in value:
        if not isinstance(name, str) or not NAME.fullmatch(name):
            out.append(f"{key}: {name!r} is not a plain program name")
        elif name in NEVER_READ_PROGRAMS:
            out.append(f"{key}: {name} runs programs, writes or has its own judge; it "
                       "cannot be declared a plain reader")
    return out


def _patterns(key, value) -> list:
    if not isinstance(value, list):
        return [f"{key}: a list of regular expressions"]
    out = []
    for pattern in value:
        why = pattern_problem(pattern)
        if why:
            out.append(f"{key}: {pattern!r}: {why}")
    return out


def pattern_problem(pattern) -> str | None:
    """Why a regular expression is unsafe or invalid (None when it is fine)."""
    if not isinstance(pattern, str):
        return "not a string"
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        re.compile(pattern)
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as err:
        return f"bad regular expression: {err}"
    counter = [0]
    why = _walk(tree, inside_repeat=False, counter=counter)
    if why:
        return why
    if counter[0] > MAX_UNBOUNDED:
        return f"more than {MAX_UNBOUNDED} unbounded repeats (slow on long lines)"
    return None


def _walk(items, inside_repeat: bool, counter: list) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "backreferences can take exponential time"
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            if inside_repeat:
                return "a repeat inside a repeat can take exponential time"
            if high == sre_parse.MAXREPEAT:
                counter[0] += 1
            why = _walk(sub, True, counter)
            if why:
                return why
        elif name == "BRANCH":
            if inside_repeat:
                return "alternation inside a repeat can take exponential time"
            for branch in arg[1]:
                why = _walk(branch, inside_repeat, counter)
                if why:
                    return why
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            sub = arg[-1] if name == "SUBPATTERN" else arg
            why = _walk(sub, inside_repeat, counter)
            if why:
                return why
        elif name in ("ASSERT", "ASSERT_NOT"):
            why = _walk(arg[1], inside_repeat, counter)
            if why:
                return why
    return None


def _allowed_writes(key, value) -> list:
    if not isinstance(value, list):
        return [f"{key}: a list of rules"]
    out = []
    for i, rule in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(rule, dict):
            out.append(f"{where}: a mapping with namespaces, resources and verbs")
            continue
        extra = set(rule) - {"namespaces", "resources", "verbs"}
        if extra:
            out.append(f"{where}: unknown keys {', '.join(sorted(map(str, extra)))}")
        if not _string_list(rule.get("namespaces")) or not rule.get("namespaces"):
            out.append(f"{where}.namespaces: a non-empty list of namespace names")
        if not _string_list(rule.get("resources")) or not rule.get("resources"):
            out.append(f"{where}.resources: a non-empty list of resource names")
        verbs = rule.get("verbs")
        if verbs is not None and (not _string_list(verbs) or not set(verbs) <= WRITE_VERBS):
            out.append(f"{where}.verbs: a list of {', '.join(sorted(WRITE_VERBS))} (deletes "
                       "are never allowed without asking)")
    return out


def _strings(key, value) -> list:
    return [] if _string_list(value) else [f"{key}: a list of strings"]


def _string_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _secrets(key, value) -> list:
    return [] if value in ("ask", "deny") else [f"{key}: ask or deny"]


def _version(key, value) -> list:
    return [] if value == 1 else [f"{key}: 1 (the only version)"]


def _text(key, value) -> list:
    return [] if isinstance(value, str) else [f"{key}: a string"]


def load(path: str) -> dict:
    """Read and validate a policy YAML file; ValueError with every problem found."""
    try:
        import yaml
    except ImportError as err:  # pragma: no cover
        raise ValueError("PyYAML is not installed") from err
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(1 << 20)
        doc = yaml.safe_load(text)
    except OSError as err:
        raise ValueError(f"{path}: cannot read: {err.strerror or err}") from err
    except (yaml.YAMLError, ValueError, RecursionError) as err:
        raise ValueError(f"{path}: not valid YAML: {' '.join(str(err).split())[:200]}") \
            from err
    doc = {} if doc is None else doc
    found = problems(doc)
    if found:
        raise ValueError(f"{path}: {'; '.join(found)}")
    return doc
