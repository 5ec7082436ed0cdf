"""Command-line options the way getopt reads them, against an allowlist.

A tool is allowed only with options the guard knows to be harmless for it: anything else
(an unknown option, an abbreviation, an argument that may turn into an option at run time)
raises Unclear and the command is asked.

    >>> spec = Spec(short="nc", short_value="m", long={"count"}, long_value={"max-count"})
    >>> opts, operands = getopt(["-nm", "3", "--", "-x"], spec)
    >>> opts, operands
    ([('-n', None), ('-m', '3')], ['-x'])
"""
from __future__ import annotations

from dataclasses import dataclass, field

from _guard.expand import Unclear
from _guard.words import Text, display, glob_risky, known, may_split, starts_with_dash

SAFE_UNKNOWN = ("int", "name", "ref")


@dataclass
class Spec:
    short: str = ""                  # single-letter options without a value
    short_value: str = ""            # single-letter options that take a value
    long: set = field(default_factory=set)
    long_value: set = field(default_factory=set)
    long_optional: set = field(default_factory=set)   # --color[=WHEN]
    numeric: bool = False            # -5 (head, tail): a count
    permute: bool = True             # options may follow operands (GNU)


def getopt(fields: list, spec: Spec, program: str = "the program") -> tuple[list, list]:
    """([(option, value-or-None)], [operand]) with values and operands as text.

    Operands keep unknown fields (tuples) so callers can check them; options must be
    fully known."""
    fields = [(Text(f),) if isinstance(f, str) else f for f in fields]
    options, operands = [], []
    i = 0
    while i < len(fields):
        f = fields[i]
        text = known(f)
        if text is None:
            if starts_with_dash(f) and not _safe_unknown(f):
                raise Unclear(f"{program}: the argument {display(f)!r} is computed at run "
                              "time and could be an option")
            operands.append(f)
            i += 1
            continue
        if text == "--":
            operands.extend(_plain(f) for f in fields[i + 1:])
            break
        if text.startswith("--"):
            i = _long(fields, i, text, spec, options, program)
        elif text.startswith("-") and text != "-":
            i = _short(fields, i, text, spec, options, program)
        else:
            operands.append(text)
            i += 1
            if not spec.permute:
                operands.extend(_plain(f) for f in fields[i:])
                break
    return options, operands


def _plain(f: tuple):
    text = known(f)
    return text if text is not None else f


def _safe_unknown(f: tuple) -> bool:
    return not may_split(f) and not glob_risky(f) and all(
        getattr(s, "kind", "int") in SAFE_UNKNOWN for s in f)


def _long(fields, i, text, spec: Spec, options, program) -> int:
    name, eq, value = text[2:].partition("=")
    if name in spec.long and not eq:
        options.append(("--" + name, None))
        return i + 1
    if name in spec.long_optional:
        options.append(("--" + name, value if eq else None))
        return i + 1
    if name in spec.long_value:
        if eq:
            options.append(("--" + name, value))
            return i + 1
        return _value(fields, i, "--" + name, options, program)
    raise Unclear(f"{program}: option --{name} is not one the guard knows to be harmless")


def _short(fields, i, text, spec: Spec, options, program) -> int:
    if spec.numeric and text[1:].isdigit():
        options.append(("-n", text[1:]))
        return i + 1
    j = 1
    while j < len(text):
        letter = text[j]
        if letter in spec.short:
            options.append(("-" + letter, None))
            j += 1
            continue
        if letter in spec.short_value:
            rest = text[j + 1:]
            if rest:
                options.append(("-" + letter, rest))
                return i + 1
            return _value(fields, i, "-" + letter, options, program)
        raise Unclear(f"{program}: option -{letter} is not one the guard knows to be harmless")
    return i + 1


def _value(fields, i, option, options, program) -> int:
    if i + 1 >= len(fields):
        raise Unclear(f"{program}: {option} needs a value")
    value = known(fields[i + 1])
    if value is None:
        options.append((option, fields[i + 1]))
    else:
        options.append((option, value))
    return i + 2


def values(options: list, *names: str) -> list:
    return [v for o, v in options if o in names]


def has(options: list, *names: str) -> bool:
    return any(o in names for o, _ in options)
