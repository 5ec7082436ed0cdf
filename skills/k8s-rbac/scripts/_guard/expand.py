"""Word expansion without running anything: what bash would do, or why it cannot be known.

`Expander` turns a parsed `Word` into fields (see _guard.words). Command substitutions are
judged by the walker (`shell.substitute`), whose verdicts count for the whole line; their
output is an `Unknown` of the kind the walker could prove. Expansions that can run code
through a value (prompt expansion `${x@P}`, arithmetic on a value that is not a number,
`${!x}`) raise `Unclear`, which makes the command `ask`.

    >>> class Shell:
    ...     def lookup(self, name): return Unknown("env")
    ...     home = "/home/u"
    >>> [display(f) for f in Expander(Shell()).fields(parse_word("~/a$X'b c'"))]
    ['/home/u/a$?b c']
"""
from __future__ import annotations

import re

from _guard.shell import Arith, CmdSub, Lit, Param, ProcSub, Tilde, Word, parse
from _guard.words import (BREAK, Text, Unknown, brace_expansion, display, known,
                          split_fields, worst_kind)

INT_LITERAL = re.compile(r"-?[0-9]+")


class Unclear(Exception):
    """Part of the line cannot be understood without running it."""


def parse_word(text: str) -> Word:
    """One word, parsed (for doctests and for strings that are single words)."""
    simple = parse(text).items[0][0].pipelines[0][1].commands[0]
    return simple.words[0]


class Expander:
    def __init__(self, shell):
        self.shell = shell

    # -- public --
    def fields(self, word: Word) -> list:
        """argv entries of an ordinary word (split, globbing left to the judges)."""
        segments = self.segments(word, in_quotes=False)
        if brace_expansion(segments):
            raise Unclear(f"brace expansion in {word.source!r} makes several words")
        return split_fields(segments)

    def single(self, word: Word, assignment: bool = False) -> tuple:
        """One field, no splitting (assignment values, redirection targets, here-strings)."""
        segments = self.segments(word, in_quotes=False, assignment=assignment)
        return tuple(Text(s.text, s.active) if isinstance(s, Text) else
                     Unknown(s.kind) for s in segments)

    # -- parts --
    def segments(self, word: Word, in_quotes: bool, assignment: bool = False) -> list:
        out: list = []
        for i, part in enumerate(word.parts):
            if i % 256 == 255:
                getattr(self.shell, "tick", lambda: None)()
            if isinstance(part, Lit):
                text = part.text
                if assignment and not part.quoted:
                    text = self.assignment_tildes(text, first=(i == 0))
                out.append(Text(text, active=not (part.quoted or in_quotes)))
            elif isinstance(part, Tilde):
                out.append(Text(self.tilde(part.user)))
            elif isinstance(part, Param):
                out.extend(self.param(part, in_quotes or part.quoted))
            elif isinstance(part, CmdSub):
                kind = self.shell.substitute(part.program)
                out.append(Unknown(kind, split=not (in_quotes or part.quoted)))
            elif isinstance(part, Arith):
                self.shell.arithmetic(part.expr)
                out.append(Unknown("int", split=not (in_quotes or part.quoted)))
            elif isinstance(part, ProcSub):
                self.shell.substitute(part.program)
                out.append(Text("/dev/fd/63"))
        return out

    def tilde(self, user: str) -> str:
        if user == "":
            return self.shell.home
        if user == "+":
            return self.shell.cwd or "/nonexistent-cwd"
        if user == "-":
            return "/nonexistent-oldpwd"
        return "/root" if user == "root" else f"/home/{user}"

    def assignment_tildes(self, text: str, first: bool) -> str:
        """In NAME=~/x:~/y bash expands a tilde after '=' and after each ':'."""
        pieces = text.split(":")
        out = []
        for i, piece in enumerate(pieces):
            prefix, eq, rest = piece.partition("=") if i == 0 and first else ("", "", piece)
            target = rest if (eq or i) else piece
            if target.startswith("~/") or target == "~":
                target = self.shell.home + target[1:]
            out.append(prefix + eq + target if (eq or i) else target)
        return ":".join(out)

    # -- parameters --
    def param(self, part: Param, quoted: bool) -> list:
        op = part.op
        positional = getattr(self.shell, "positional_fields", lambda: None)()
        if part.name in ("@", "*") and not op and positional is not None:
            return self.all_positional(positional, quoted, joined=quoted and part.name == "*")
        if op.startswith("@") and op not in ("@Q", "@U", "@u", "@L", "@K", "@a"):
            raise Unclear(f"${{{part.name}{op}}} expands a value as a prompt or escapes "
                          "(it can run commands)")
        value = self.shell.lookup(part.name)
        if op not in (":-", "-", ":=", "=", ":?", "?", ":+", "+") and value is None:
            value = ""
        if op == "#len":
            return [Unknown("int", split=not quoted) if not isinstance(value, str)
                    else Text(str(len(value)), not quoted, not quoted)]
        if op in (":-", "-", ":=", "=", ":?", "?", ":+", "+"):
            value = self.with_default(part, value)
        elif op == ":off":
            value = self.substring(part, value)
        elif op:
            value = self.transformed(part, value)
        if value is None:
            value = ""
        if isinstance(value, str):
            return [Text(value, active=not quoted, splits=not quoted)]
        return [Unknown(value.kind, split=not quoted)]

    def all_positional(self, fields: list, quoted: bool, joined: bool) -> list:
        """"$@" is one word per parameter, "$*" one word; unquoted, each is split."""
        out: list = []
        for i, f in enumerate(fields):
            if i:
                out.append(Text(" ", False) if joined else BREAK)
            for seg in f:
                if isinstance(seg, Unknown):
                    out.append(Unknown(seg.kind, split=not quoted))
                else:
                    out.append(Text(seg.text, not quoted, not quoted))
        return out

    def with_default(self, part: Param, value):
        """:- - := = :? ? :+ + (a value of None is an unset variable)."""
        op, name = part.op, part.name
        arg = self.word_value(part.arg) if part.arg is not None else ""
        if isinstance(value, Unknown):
            if op in (":+", "+"):
                return _merge(arg, "") if not isinstance(arg, Unknown) or \
                    value.kind != "env" else arg
            merged = _merge(value, arg)
            if op in (":=", "="):
                self.shell.assign(name, merged)
            return merged
        missing = value is None or (op.startswith(":") and value == "")
        if op in (":+", "+"):
            return "" if missing else arg
        if op in (":?", "?"):
            return value or ""
        if missing:
            if op in (":=", "="):
                self.shell.assign(name, arg)
            return arg
        return value

    def word_value(self, word: Word):
        """The value of the word inside ${x:-word}: a string, or an Unknown."""
        segs = self.segments(word, in_quotes=True)
        field = tuple(segs)
        text = known(field)
        if text is not None:
            return text
        return Unknown(worst_kind(s.kind for s in segs if isinstance(s, Unknown)))

    def substring(self, part: Param, value):
        offset = self.word_value(part.arg)
        length = self.word_value(part.arg2) if part.arg2 is not None else None
        for piece in (offset, length):
            if piece is not None and not (isinstance(piece, str) and
                                          INT_LITERAL.fullmatch(piece.strip())):
                raise Unclear(f"${{{part.name}:...}}: the offset is arithmetic on a value")
        if not isinstance(value, str):
            return Unknown(_degrade(value.kind))
        start = int(offset.strip())
        start = max(len(value) + start, 0) if start < 0 else start
        if length is None:
            return value[start:]
        count = int(length.strip())
        end = len(value) + count if count < 0 else start + count
        return value[start:end]

    def transformed(self, part: Param, value):
        """# ## % %% / // ^ , and @ operators: computed for plain known values only."""
        op = part.op
        if op in ("^", "^^", ",", ",,", "@U", "@u", "@L") and isinstance(value, str):
            return {"^^": value.upper(), "@U": value.upper(), ",,": value.lower(),
                    "@L": value.lower(), "^": value[:1].upper() + value[1:],
                    "@u": value[:1].upper() + value[1:],
                    ",": value[:1].lower() + value[1:]}[op]
        pattern = self.pattern(part.arg) if part.arg is not None else []
        replacement = self.word_value(part.arg2) if part.arg2 is not None else ""
        if isinstance(value, str) and pattern is not None and isinstance(replacement, str):
            computed = _apply_pattern(op, value, pattern, replacement)
            if computed is not None:
                return computed
        kind = value.kind if isinstance(value, Unknown) else "data"
        return Unknown(_degrade(kind) if op[0] in "#%/" else kind)


    def pattern(self, word: Word):
        """A ${x#pattern} pattern as tokens: ("lit", c), ("star",), ("one",); None when it
        holds brackets or run-time values (then the result is not computed)."""
        tokens = []
        for seg in self.segments(word, in_quotes=False):
            if isinstance(seg, Unknown):
                return None
            for c in seg.text:
                if seg.active and c == "[":
                    return None
                if seg.active and c in "*?":
                    tokens.append(("star",) if c == "*" else ("one",))
                else:
                    tokens.append(("lit", c))
        return tokens if len(tokens) <= 32 else None


def _glob_match(tokens: list, text: str) -> bool:
    """Does the whole text match the pattern? (a table, no backtracking)"""
    row = [True] + [False] * len(text)
    for token in tokens:
        new = [False] * (len(text) + 1)
        if token[0] == "star":
            new[0] = row[0]
            for j in range(1, len(text) + 1):
                new[j] = new[j - 1] or row[j]
        else:
            for j in range(1, len(text) + 1):
                new[j] = row[j - 1] and (token[0] == "one" or token[1] == text[j - 1])
        row = new
    return row[len(text)]


def _apply_pattern(op: str, value: str, tokens: list, replacement: str):
    """# ## % %% and / // /# /% for a known value (short values only)."""
    if len(value) > 64:
        return None
    n = len(value)
    if op in ("#", "##"):
        cuts = range(n + 1) if op == "#" else range(n, -1, -1)
        return next((value[i:] for i in cuts if _glob_match(tokens, value[:i])), value)
    if op in ("%", "%%"):
        cuts = range(n, -1, -1) if op == "%" else range(n + 1)
        return next((value[:i] for i in cuts if _glob_match(tokens, value[i:])), value)
    if op in ("/", "//", "/#", "/%") and tokens and all(t[0] == "lit" for t in tokens):
        literal = "".join(t[1] for t in tokens)
        if op == "/":
            return value.replace(literal, replacement, 1)
        if op == "//":
            return value.replace(literal, replacement)
        if op == "/#":
            return replacement + value[len(literal):] if value.startswith(literal) else value
        return value[:-len(literal)] + replacement if value.endswith(literal) else value
    return None


def _merge(value, other):
    if isinstance(value, str) and isinstance(other, str) and value == other:
        return value
    kinds = [v.kind if isinstance(v, Unknown) else "data" for v in (value, other)]
    if isinstance(other, str) and isinstance(value, Unknown) and value.kind == "env":
        return Unknown("env")
    return Unknown(worst_kind(kinds))


def _degrade(kind: str) -> str:
    """Part of a name is not a name any more (it may start with '-')."""
    return "data" if kind == "name" else kind


__all__ = ["Expander", "Unclear", "display", "known", "parse_word"]
