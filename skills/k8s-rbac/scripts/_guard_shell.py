"""Split a shell command line into simple commands the guard can judge one by one.

Not a shell: a conservative reader. It knows quoting, `;` `&&` `||` `|` `&`, newlines,
grouping, `$(...)`, backticks, process substitution, heredocs and here-strings, and
redirections. Whatever it cannot read raises ShellParseError, which the guard turns into
`ask` (never `allow`).

    >>> [c.argv for c in parse("k get pods | grep web && echo ok")]
    [['k', 'get', 'pods'], ['grep', 'web'], ['echo', 'ok']]
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

SUBST = "__K8S_GUARD_SUBST_{}__"
HEREDOC = "__K8S_GUARD_HEREDOC_{}__"
SUBST_RE = re.compile(r"__K8S_GUARD_SUBST_(\d+)__")
HEREDOC_RE = re.compile(r"^__K8S_GUARD_HEREDOC_(\d+)__$")
SEPARATORS = {";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&"}
CONTINUATIONS = {"|", "|&", "&&", "||"}
REDIRECTS = {">", ">>", "<", "<>", ">|", ">&", "<&", "&>", "&>>", "<<<"}
MAX_DEPTH = 8


class ShellParseError(ValueError):
    """The command line cannot be read with confidence."""


@dataclass
class SimpleCommand:
    """One command of a pipeline: its words, where stdin comes from, where output goes."""

    argv: list[str]
    stdin: str | None = None          # "pipe", "file", "heredoc", "herestring" or None
    stdin_text: str | None = None     # heredoc / here-string body when known
    stdin_file: str | None = None
    outputs: list[str] = field(default_factory=list)
    substitutions: list[str] = field(default_factory=list)  # inner command lines


@dataclass
class _Scan:
    text: str
    substitutions: list[str]
    heredocs: list[str]
    comments: list[str]


def parse(line: str, depth: int = 0) -> list[SimpleCommand]:
    """Every simple command in `line`, in order; inner $(...) are listed on their command."""
    if depth > MAX_DEPTH:
        raise ShellParseError("commands nested too deeply")
    scan = _scan(line)
    tokens = _tokenize(scan.text)
    return _split(tokens, scan)


def comments(line: str) -> list[str]:
    """The `# ...` comments of a command line (agents cite their reasons there)."""
    try:
        return _scan(line).comments
    except ShellParseError:
        return []


def _tokenize(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.commenters = ""
    lexer.whitespace_split = True
    try:
        raw = list(lexer)
    except ValueError as err:
        raise ShellParseError(f"cannot tokenize: {err}") from err
    tokens: list[str] = []
    for tok in raw:
        tokens.extend(_split_ops(tok) if tok and set(tok) <= _PUNCT else [tok])
    return tokens


_PUNCT = set(";&|()<>")
_OPS = sorted(SEPARATORS | REDIRECTS, key=len, reverse=True)


def _split_ops(tok: str) -> list[str]:
    """shlex glues runs of operators (`);`, `|(`): cut them greedily into known ones."""
    out, i = [], 0
    while i < len(tok):
        op = next((o for o in _OPS if tok.startswith(o, i)), None)
        if op is None:
            raise ShellParseError(f"unsupported operator {tok!r}")
        out.append(op)
        i += len(op)
    return out


def _split(tokens: list[str], scan: _Scan) -> list[SimpleCommand]:
    commands: list[SimpleCommand] = []
    current = SimpleCommand(argv=[])
    piped = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in SEPARATORS:
            if tok in CONTINUATIONS and not (current.argv or current.outputs) and \
                    (i == 0 or tokens[i - 1] != ")"):
                raise ShellParseError(f"{tok!r} without a command before it")
            _close(current, commands, scan)
            piped = tok in ("|", "|&")
            current = SimpleCommand(argv=[], stdin="pipe" if piped else None)
            i += 1
            continue
        if tok in REDIRECTS or (tok and set(tok) <= set("<>&|") and tok not in SEPARATORS):
            if tok not in REDIRECTS:
                raise ShellParseError(f"unsupported operator {tok!r}")
            if current.argv and current.argv[-1].isdigit():
                current.argv.pop()  # the fd of `2>` belongs to the redirection
            if i + 1 >= len(tokens) or tokens[i + 1] in SEPARATORS | REDIRECTS:
                raise ShellParseError(f"redirection {tok!r} without a target")
            _redirect(current, tok, tokens[i + 1], scan)
            i += 2
            continue
        current.argv.append(tok)
        i += 1
    if tokens and tokens[-1] in CONTINUATIONS:
        raise ShellParseError(f"line ends with {tokens[-1]!r}: the rest is missing")
    _close(current, commands, scan)
    return commands


def _redirect(cmd: SimpleCommand, op: str, target: str, scan: _Scan) -> None:
    if op == "<<<":
        cmd.stdin, cmd.stdin_text = "herestring", target
        return
    if op in ("<", "<>"):
        match = HEREDOC_RE.match(target)
        if match:
            cmd.stdin, cmd.stdin_text = "heredoc", scan.heredocs[int(match.group(1))]
        else:
            cmd.stdin, cmd.stdin_file = "file", target
        return
    if op in (">&", "<&") and (target.isdigit() or target == "-"):
        return
    cmd.outputs.append(target)


def _close(cmd: SimpleCommand, commands: list[SimpleCommand], scan: _Scan) -> None:
    for word in cmd.argv + cmd.outputs:
        for match in SUBST_RE.finditer(word):
            cmd.substitutions.append(scan.substitutions[int(match.group(1))])
    if cmd.stdin == "herestring" and cmd.stdin_text:
        for match in SUBST_RE.finditer(cmd.stdin_text):
            cmd.substitutions.append(scan.substitutions[int(match.group(1))])
    if cmd.argv or cmd.substitutions:
        commands.append(cmd)


# --- the character scanner: quotes, substitutions, heredocs, comments ------------------

def _scan(text: str) -> _Scan:
    scan = _Scan("", [], [], [])
    out: list[str] = []
    pending: list[tuple[str, bool]] = []  # heredoc delimiters waiting for the next newline
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                i += 2
                continue
            out.append(text[i:i + 2])
            i += 2
            continue
        if ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellParseError("unterminated single quote")
            out.append(text[i:end + 1])
            i = end + 1
            continue
        if ch == '"':
            i = _double_quoted(text, i, out, scan)
            continue
        if ch == "`" or (ch == "$" and text.startswith("$(", i)) or \
                (ch in "<>" and text.startswith("(", i + 1)):
            i = _substitution(text, i, out, scan)
            continue
        if ch == "<" and text.startswith("<<", i) and not text.startswith("<<<", i):
            i = _heredoc_operator(text, i, out, scan, pending)
            continue
        if ch == "<" and text.startswith("<<<", i):
            out.append(" <<< ")
            i += 3
            continue
        if ch == "#" and (not out or out[-1][-1:] in (" ", "\t", "\n", ";", "&", "|", "(")):
            end = text.find("\n", i)
            end = n if end < 0 else end
            scan.comments.append(text[i + 1:end].strip())
            i = end
            continue
        if ch == "\n":
            out.append(" ; ")
            i += 1
            if pending:
                i = _heredoc_bodies(text, i, scan, pending)
            continue
        out.append(ch)
        i += 1
    if pending:
        raise ShellParseError(f"heredoc {pending[0][0]!r} has no body")
    scan.text = "".join(out)
    return scan


def _double_quoted(text: str, i: int, out: list[str], scan: _Scan) -> int:
    out.append('"')
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            out.append(text[i:i + 2])
            i += 2
        elif ch == '"':
            out.append('"')
            return i + 1
        elif ch == "`" or text.startswith("$(", i):
            i = _substitution(text, i, out, scan)
        else:
            out.append(ch)
            i += 1
    raise ShellParseError("unterminated double quote")


def _substitution(text: str, i: int, out: list[str], scan: _Scan) -> int:
    """$(...), `...`, <(...) or >(...): record the inner line, leave a placeholder word."""
    if text[i] == "`":
        end = i + 1
        while end < len(text) and text[end] != "`":
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            raise ShellParseError("unterminated backtick")
        inner, nxt = text[i + 1:end].replace("\\`", "`"), end + 1
    elif text.startswith("$((", i):
        end = text.find("))", i)
        if end < 0:
            raise ShellParseError("unterminated $((")
        inner, nxt = text[i + 3:end], end + 2
        if "$(" not in inner and "`" not in inner:
            out.append("0")  # plain arithmetic: a number, nothing runs
            return nxt
    else:
        start = i + 2
        end = _matching_paren(text, start)
        inner, nxt = text[start:end], end + 1
    scan.substitutions.append(inner)
    out.append(SUBST.format(len(scan.substitutions) - 1))
    return nxt


def _matching_paren(text: str, start: int) -> int:
    depth, i = 1, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellParseError("unterminated single quote")
            i = end + 1
            continue
        if ch == '"':
            i = _skip_double(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ShellParseError("unterminated $(")


def _skip_double(text: str, i: int) -> int:
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        if text.startswith("$(", i):
            i = _matching_paren(text, i + 2) + 1
            continue
        i += 1
    raise ShellParseError("unterminated double quote")


_HEREDOC_OP = re.compile(r"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([A-Za-z0-9_.\-]+))")


def _heredoc_operator(text, i, out, scan, pending) -> int:
    match = _HEREDOC_OP.match(text, i)
    if not match:
        raise ShellParseError("heredoc without a delimiter")
    delim = next(g for g in match.groups()[1:] if g is not None)
    scan.heredocs.append("")
    pending.append((delim, bool(match.group(1))))
    out.append(f" < {HEREDOC.format(len(scan.heredocs) - 1)} ")
    return match.end()


def _heredoc_bodies(text: str, i: int, scan: _Scan, pending: list) -> int:
    """Read the bodies of the heredocs opened on the line that just ended."""
    first = len(scan.heredocs) - len(pending)
    for offset, (delim, strip_tabs) in enumerate(list(pending)):
        lines = []
        while True:
            if i >= len(text):
                raise ShellParseError(f"heredoc {delim!r} is not terminated")
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            line = text[i:end]
            i = end + 1
            check = line.lstrip("\t") if strip_tabs else line
            if check.rstrip("\r") == delim:
                break
            lines.append(check)
        scan.heredocs[first + offset] = "\n".join(lines) + "\n"
    pending.clear()
    return min(i, len(text))


def quote(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)
