"""Read a kubectl argv exactly as kubectl v1.37 does: cobra finds the command, pflag the flags.

cobra finds the subcommand before parsing flags, skipping each flag it meets and, for a
flag it does not know or one that takes a value, the word after it too. So
`kubectl -A events delete --all` runs `delete` (cobra takes `events` as the value of the
unknown `-A`), and `kubectl -v 1 delete ...` runs `delete` as well. pflag then parses the
remaining words with the found command's flags: `--flag value`, `--flag=value`, `-abc`,
`-nVALUE`, `-n=VALUE`, flags with an optional value (`--dry-run` alone is "unchanged"),
underscores read as dashes (`--dry_run`), and `--` ending the flags.

    >>> cmd = find_and_parse(["-A", "events", "delete", "--all"])
    >>> cmd.path, cmd.flag("all"), cmd.flag("all-namespaces"), cmd.positionals
    ('delete', 'true', 'true', ['events'])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from _guard.expand import Unclear
from _guard.kubectl_flags import COMMANDS
from _guard.words import Text, display, known, known_prefix, may_split, starts_with_dash


@dataclass(frozen=True)
class Flag:
    name: str
    short: str
    takes_value: bool
    noopt: str            # value when written without one ("" when it needs a value)
    persistent: bool


@dataclass
class KubectlCommand:
    path: str                                     # "get", "rollout status", "" (kubectl)
    flags: list = field(default_factory=list)     # [(flag name, value text or field)]
    positionals: list = field(default_factory=list)   # text or unknown fields
    after_dash: int = -1                          # index in positionals where -- was

    def flag(self, name: str):
        """The last value given to flag `name` (as pflag keeps it), or None."""
        values = self.values(name)
        return values[-1] if values else None

    def values(self, name: str) -> list:
        return [v for n, v in self.flags if n == name]

    def has(self, *names: str) -> bool:
        return any(n in names for n, _ in self.flags)


@lru_cache(maxsize=None)
def find_flagset(path: str) -> dict:
    """The flags cobra knows while it looks for the command: --help is not one of them
    yet (cobra adds it when it runs the command), so `kubectl --help -n x delete` takes
    `-n` as the value of an unknown flag and runs... `delete`."""
    flags = dict(flagset(path))
    flags.pop("help", None)
    return flags


@lru_cache(maxsize=None)
def flagset(path: str) -> dict:
    """Flags of a command: its own, its ancestors' persistent ones, and --help."""
    if path not in COMMANDS:
        return {}
    flags: dict = {}
    parts = path.split()
    for depth in range(len(parts) + 1):
        ancestor = " ".join(parts[:depth])
        own = ancestor == path
        for item in COMMANDS[ancestor][2].split():
            spec = _decode(item)
            if own or spec.persistent:
                flags[spec.name] = spec
    flags.setdefault("help", Flag("help", "h", False, "true", False))
    return flags


def _decode(item: str) -> Flag:
    persistent = item.endswith("!")
    item = item.rstrip("!")
    names, _, kind = item.partition("=")
    name, _, short = names.partition("/")
    if kind == "b":
        return Flag(name, short, False, "true", persistent)
    if kind.startswith("o:"):
        return Flag(name, short, False, kind[2:], persistent)
    return Flag(name, short, True, "", persistent)


def _by_short(flags: dict) -> dict:
    return {f.short: f for f in flags.values() if f.short}


def _normalize(name: str) -> str:
    return name.replace("_", "-")   # kubectl's WordSepNormalizeFunc


def subcommands(path: str) -> dict:
    """name or alias -> child path."""
    subs, _, _ = COMMANDS[path]
    out = {}
    for sub in subs.split():
        child = f"{path} {sub}".strip()
        out[sub] = child
        for alias in COMMANDS.get(child, ("", "", ""))[1].split():
            out.setdefault(alias, child)
    return out


# --- cobra: finding the command ----------------------------------------------------

def find_command(args: list) -> tuple[str, list]:
    """(command path, the args left for flag parsing), as cobra's Find does."""
    path, rest = "", list(args)
    while True:
        words = _strip_flags(rest, find_flagset(path))
        if not words:
            return path, rest
        word = words[0]
        if isinstance(word, tuple):
            if subcommands(path):
                raise Unclear(f"kubectl: the command word {display(word)!r} is computed at "
                              "run time")
            return path, rest
        child = subcommands(path).get(word)
        if child is None:
            return path, rest
        rest = _minus_first(rest, word, find_flagset(path))
        path = child


def _strip_flags(args: list, flags: dict) -> list:
    """cobra's stripFlags: the non-flag words, skipping what it takes for flag values."""
    commands = []
    i = 0
    while i < len(args):
        text = known(args[i])
        i += 1
        if text is None and _flag_with_unknown_value(args[i - 1]):
            continue
        if text is None:
            if starts_with_dash(args[i - 1]):
                raise Unclear(f"kubectl: {display(args[i - 1])!r} is computed at run time "
                              "and could be a flag")
            commands.append(args[i - 1])
            continue
        if text == "--":
            break
        if _swallows_next(text, flags):
            if len(args) - i <= 1:
                break
            i += 1
            continue
        if text and not text.startswith("-"):
            commands.append(text)
    return commands


def _flag_with_unknown_value(f) -> bool:
    """`--name=$VALUE`: the flag is known, only its value is computed at run time."""
    prefix = known_prefix(f)
    return prefix.startswith("--") and "=" in prefix and len(prefix) > 3


def _after_equals(f) -> tuple:
    """The segments of `--name=VALUE` after the first '='."""
    out, seen = [], False
    for seg in f:
        if seen or not isinstance(seg, Text):
            out.append(seg)
            continue
        if "=" in seg.text:
            rest = seg.text.split("=", 1)[1]
            if rest:
                out.append(Text(rest, seg.active, seg.splits))
            seen = True
    return tuple(out)


def _swallows_next(text: str, flags: dict) -> bool:
    """Does cobra (not pflag) treat the next word as this flag's value?"""
    if "=" in text:
        return False
    if text.startswith("--"):
        spec = flags.get(_normalize(text[2:]))
        return not (spec and spec.noopt)
    if text.startswith("-") and len(text) == 2:
        spec = _by_short(flags).get(text[1])
        return not (spec and spec.noopt)
    return False


def _minus_first(args: list, word: str, flags: dict) -> list:
    """cobra's argsMinusFirstX: drop the first `word` that is not a flag value."""
    i = 0
    while i < len(args):
        text = known(args[i])
        if text == "--":
            break
        if text is not None and _swallows_next(text, flags):
            i += 2
            continue
        if text == word:
            return args[:i] + args[i + 1:]
        i += 1
    return args


# --- pflag: parsing the flags --------------------------------------------------------

def parse_flags(path: str, args: list) -> KubectlCommand:
    flags = flagset(path)
    shorts = _by_short(flags)
    cmd = KubectlCommand(path)
    i = 0
    while i < len(args):
        f = args[i]
        text = known(f)
        i += 1
        if text is None and _flag_with_unknown_value(f):
            name = known_prefix(f)[2:].split("=", 1)[0]
            spec = flags.get(_normalize(name))
            if spec is None:
                raise Unclear(f"kubectl {cmd.path}: unknown flag --{name}")
            cmd.flags.append((spec.name, _after_equals(f)))
            continue
        if text is None:
            if starts_with_dash(f):
                raise Unclear(f"kubectl: {display(f)!r} is computed at run time and could "
                              "be a flag")
            cmd.positionals.append(f)
            continue
        if len(text) < 2 or text[0] != "-":
            cmd.positionals.append(text)
            continue
        if text == "--":
            cmd.after_dash = len(cmd.positionals)
            cmd.positionals.extend(known(a) if known(a) is not None else a for a in args[i:])
            break
        if text.startswith("--"):
            i = _long(text, args, i, flags, cmd)
        else:
            i = _shorts(text, args, i, shorts, cmd)
    return cmd


def _long(text: str, args: list, i: int, flags: dict, cmd: KubectlCommand) -> int:
    body = text[2:]
    if not body or body[0] in "-=":
        raise Unclear(f"kubectl: bad flag syntax {text!r}")
    name, eq, value = body.partition("=")
    spec = flags.get(_normalize(name))
    if spec is None:
        raise Unclear(f"kubectl {cmd.path}: unknown flag --{name} (kubectl would refuse "
                      "it; the guard does not guess)")
    if eq:
        cmd.flags.append((spec.name, value))
    elif spec.noopt:
        cmd.flags.append((spec.name, spec.noopt))
    elif i < len(args):
        nxt = args[i]
        _value_field(nxt, spec)
        cmd.flags.append((spec.name, known(nxt) if known(nxt) is not None else nxt))
        i += 1
    else:
        raise Unclear(f"kubectl: flag --{name} needs a value")
    return i


def _value_field(f, spec: Flag):
    """A flag's value from run-time data must stay one word: split, it adds flags."""
    if known(f) is None and may_split(f) and any(
            getattr(s, "kind", "") in ("data", "secret") for s in f):
        raise Unclear(f"kubectl: the value of --{spec.name} ({display(f)}) is data read at "
                      "run time and unquoted: it can split into more flags")


def _shorts(text: str, args: list, i: int, shorts: dict, cmd: KubectlCommand) -> int:
    rest = text[1:]
    while rest:
        letter = rest[0]
        spec = shorts.get(letter)
        if spec is None:
            raise Unclear(f"kubectl {cmd.path}: unknown shorthand flag -{letter}")
        if len(rest) > 2 and rest[1] == "=":
            cmd.flags.append((spec.name, rest[2:]))
            return i
        if spec.noopt:
            cmd.flags.append((spec.name, spec.noopt))
            rest = rest[1:]
            continue
        if len(rest) > 1:
            cmd.flags.append((spec.name, rest[1:]))
            return i
        if i < len(args):
            nxt = args[i]
            _value_field(nxt, spec)
            cmd.flags.append((spec.name, known(nxt) if known(nxt) is not None else nxt))
            return i + 1
        raise Unclear(f"kubectl: flag -{letter} needs a value")
    return i


def find_and_parse(args: list) -> KubectlCommand:
    """The command kubectl runs for `kubectl ARGS...` and its parsed flags."""
    fields = [(Text(a),) if isinstance(a, str) else a for a in args]
    path, rest = find_command(fields)
    return parse_flags(path, rest)
