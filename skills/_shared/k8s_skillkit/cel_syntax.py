"""Parse Common Expression Language (CEL) text into a small tuple AST, standard library only.

The grammar is CEL's (github.com/google/cel-spec doc/langdef.md "Syntax"), with the
macros cel-go expands at parse time (has, all, exists, exists_one, map, filter, and the
two-variable forms of ext.TwoVarComprehensions) and the optional syntax (`.?f`, `[?i]`).

    >>> parse("self.a > 1 && has(self.b)")
    ('and', ('binop', '>', ('select', ('ident', 'self'), 'a', False), ('lit', 1)), ('has', ('ident', 'self'), 'b'))

AST nodes are tuples whose first item names the node:
  ('lit', v) ('ident', name) ('select', operand, field, optional) ('has', operand, field)
  ('index', operand, index, optional) ('call', name, target|None, args) ('list', items, opt_idx)
  ('map', [(key, value, optional)]) ('and', a, b) ('or', a, b) ('not', x) ('neg', x)
  ('cond', c, t, f) ('binop', op, a, b) ('comp', macro, target, var, var2, args)
"""
from __future__ import annotations
from collections.abc import Callable
from typing import Any

import re


class CelSyntaxError(ValueError):
    """The text is not valid CEL."""


class CelNotParsed(CelSyntaxError):
    """Valid CEL, maybe, but a construct this parser does not implement."""


class UInt(int):
    """A CEL uint (literal `1u`): equal to ints by value, but a distinct type."""

    def __repr__(self) -> str:
        return f"{int(self)}u"


RESERVED = {"as", "break", "const", "continue", "else", "for", "function", "if", "import",
            "let", "loop", "package", "namespace", "return", "var", "void", "while"}
_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*)
  | (?P<float>(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<hex>0[xX][0-9a-fA-F]+[uU]?)
  | (?P<int>\d+[uU]?)
  | (?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:\"\"\"|'''|"|'))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\|\||&&|==|!=|<=|>=|\.\?|\[\?|[-+*/%!<>?:.,()\[\]{}])
""", re.VERBOSE)
_SIMPLE_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "`": "`", "?": "?", "a": "\a", "b": "\b",
                   "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_MACROS_1 = {"all", "exists", "exists_one", "map", "filter", "sortBy"}
_MACROS_2 = {"all", "exists", "existsOne", "exists_one", "transformList", "transformMap",
             "transformMapEntry"}

# An AST node: a tuple whose first item is its tag; the rest differ by tag (see above).
Node = tuple[Any, ...]
# A token: (kind, value, offset). The value is a literal's Python value (any CEL literal type)
# or the text of an operator or identifier.
Token = tuple[str, Any, int]


def tokenize(text: str) -> list[Token]:
    """(kind, value, offset) tokens; kinds: lit, ident, op, eof."""
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise CelSyntaxError(f"unexpected character {text[pos]!r} at {pos}")
        kind = match.lastgroup
        if kind == "string":
            value, end = _read_string(text, pos, match.group())
            out.append(("lit", value, pos))
            pos = end
            continue
        pos = match.end()
        word = match.group()
        if kind == "ws":
            continue
        if kind == "float":
            out.append(("lit", float(word), match.start()))
        elif kind in ("int", "hex"):
            out.append(("lit", _int_literal(word), match.start()))
        elif kind == "ident":
            out.append(_word_token(word, match.start()))
        else:
            out.append(("op", word, match.start()))
    out.append(("eof", None, len(text)))
    return out


def _word_token(word: str, offset: int) -> Token:
    if word in ("true", "false"):
        return ("lit", word == "true", offset)
    if word == "null":
        return ("lit", None, offset)
    if word == "in":
        return ("op", "in", offset)
    return ("ident", word, offset)


def _int_literal(word: str) -> int:
    unsigned = word[-1] in "uU"
    digits = word[:-1] if unsigned else word
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits)
    if unsigned:
        if value >= 2 ** 64:
            raise CelSyntaxError(f"uint literal out of range: {word}")
        return UInt(value)
    if value > 2 ** 63:  # 2**63 is only valid after unary minus; checked there
        raise CelSyntaxError(f"int literal out of range: {word}")
    return value


def _read_string(text: str, start: int, opener: str) -> tuple[object, int]:
    prefix = opener.rstrip("\"'")
    quote = opener[len(prefix):]
    raw, is_bytes = "r" in prefix.lower(), "b" in prefix.lower()
    pos = start + len(opener)
    chunks: list[str | bytes] = []
    while True:
        if pos >= len(text):
            raise CelSyntaxError("unterminated string literal")
        if text.startswith(quote, pos):
            pos += len(quote)
            break
        ch = text[pos]
        if ch == "\n" and len(quote) == 1:
            raise CelSyntaxError("newline in single-quoted string")
        if ch == "\\" and not raw:
            piece, pos = _escape(text, pos, is_bytes)
            chunks.append(piece)
            continue
        chunks.append(ch)
        pos += 1
    if is_bytes:
        return b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks), pos
    return "".join(c if isinstance(c, str) else c.decode("latin-1") for c in chunks), pos


def _escape(text: str, pos: int, is_bytes: bool) -> tuple[str | bytes, int]:
    ch = text[pos + 1:pos + 2]
    if ch in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[ch], pos + 2
    widths = {"x": 2, "X": 2, "u": 4, "U": 8}
    if ch in widths:
        digits = text[pos + 2:pos + 2 + widths[ch]]
        if len(digits) != widths[ch] or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise CelSyntaxError(f"bad escape \\{ch}{digits}")
        code = int(digits, 16)
        if ch in "xX" and is_bytes:
            return bytes([code]), pos + 2 + widths[ch]
        return chr(code), pos + 2 + widths[ch]
    if ch in "0123":
        digits = text[pos + 1:pos + 4]
        if len(digits) == 3 and all(c in "01234567" for c in digits):
            code = int(digits, 8)
            return (bytes([code]) if is_bytes else chr(code)), pos + 4
    raise CelSyntaxError(f"bad escape sequence \\{ch}")


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self, value: str | None = None, kind: str = "op") -> bool:
        tok = self.tokens[self.pos]
        return tok[0] == kind and (value is None or tok[1] == value)

    def take(self, value: str | None = None, kind: str = "op") -> Any:
        if not self.peek(value, kind):
            tok = self.tokens[self.pos]
            raise CelSyntaxError(f"expected {value or kind} at {tok[2]}, found {tok[1]!r}")
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok[1]

    def accept(self, value: str) -> bool:
        if self.peek(value):
            self.pos += 1
            return True
        return False

    def expr(self) -> Node:
        cond = self.logical("||", "or", self.conjunction)
        if self.accept("?"):
            then = self.logical("||", "or", self.conjunction)
            self.take(":")
            return ("cond", cond, then, self.expr())
        return cond

    def conjunction(self) -> Node:
        return self.logical("&&", "and", self.relation)

    def logical(self, op: str, node: str, operand: Callable[[], Node]) -> Node:
        left = operand()
        while self.accept(op):
            left = (node, left, operand())
        return left

    def relation(self) -> Node:
        left = self.addition()
        while any(self.peek(op) for op in ("<", "<=", ">", ">=", "==", "!=", "in")):
            op = self.take()
            left = ("binop", op, left, self.addition())
        return left

    def addition(self) -> Node:
        left = self.multiplication()
        while self.peek("+") or self.peek("-"):
            op = self.take()
            left = ("binop", op, left, self.multiplication())
        return left

    def multiplication(self) -> Node:
        left = self.unary()
        while self.peek("*") or self.peek("/") or self.peek("%"):
            op = self.take()
            left = ("binop", op, left, self.unary())
        return left

    def unary(self) -> Node:
        if self.accept("!"):
            return ("not", self.unary())
        if self.accept("-"):
            tok = self.tokens[self.pos]
            if tok[0] == "lit" and type(tok[1]) in (int, float) and not isinstance(tok[1], bool):
                self.pos += 1
                return self.member_tail(("lit", -tok[1]))
            return ("neg", self.unary())
        node = self.member_tail(self.primary())
        if node[0] == "lit" and type(node[1]) is int and node[1] >= 2 ** 63:
            raise CelSyntaxError("int literal out of range")
        return node

    def member_tail(self, node: Node) -> Node:
        while True:
            if self.accept("."):
                name = self.take(kind="ident")
                if self.accept("("):
                    node = _call(name, node, self.args(")"))
                else:
                    node = ("select", node, name, False)
            elif self.accept(".?"):
                node = ("select", node, self.take(kind="ident"), True)
            elif self.accept("["):
                node = ("index", node, self.expr(), False)
                self.take("]")
            elif self.accept("[?"):
                node = ("index", node, self.expr(), True)
                self.take("]")
            else:
                return node

    def args(self, closer: str) -> list[Node]:
        items: list[Node] = []
        if not self.accept(closer):
            while True:
                items.append(self.expr())
                if self.accept(closer):
                    break
                self.take(",")
                if self.accept(closer):
                    break
        return items

    def primary(self) -> Node:
        tok = self.tokens[self.pos]
        if tok[0] == "lit":
            self.pos += 1
            return ("lit", tok[1])
        if self.accept("."):
            return self.identifier(self.take(kind="ident"))
        if tok[0] == "ident":
            self.pos += 1
            return self.identifier(tok[1])
        if self.accept("("):
            inner = self.expr()
            self.take(")")
            return inner
        if self.accept("["):
            return self.list_literal()
        if self.accept("{"):
            return self.map_literal()
        raise CelSyntaxError(f"unexpected {tok[1]!r} at {tok[2]}")

    def identifier(self, name: str) -> Node:
        # cel-go rejects reserved words as variables and functions, not as field names.
        if name in RESERVED:
            raise CelSyntaxError(f"reserved identifier: {name}")
        if self.accept("("):
            return _call(name, None, self.args(")"))
        if self.peek("{"):
            raise CelNotParsed("message construction is not supported")
        return ("ident", name)

    def list_literal(self) -> Node:
        items: list[Node] = []
        optional: list[int] = []
        if not self.accept("]"):
            while True:
                if self.accept("?"):
                    optional.append(len(items))
                items.append(self.expr())
                if self.accept("]"):
                    break
                self.take(",")
                if self.accept("]"):
                    break
        return ("list", items, optional)

    def map_literal(self) -> Node:
        entries: list[tuple[Node, Node, bool]] = []
        if not self.accept("}"):
            while True:
                optional = self.accept("?")
                key = self.expr()
                self.take(":")
                entries.append((key, self.expr(), optional))
                if self.accept("}"):
                    break
                self.take(",")
                if self.accept("}"):
                    break
        return ("map", entries)


def _call(name: str, target: Node | None, args: list[Node]) -> Node:
    """A function call, or the macro cel-go would expand it into."""
    if target is None and name == "has":
        if len(args) != 1 or args[0][0] != "select" or args[0][3]:
            raise CelSyntaxError("invalid argument to has() macro")
        return ("has", args[0][1], args[0][2])
    if target is not None and _is_macro(name, args):
        names = _macro_vars(name, args)
        rest = args[len(names):]
        return ("comp", name, target, names[0], names[1] if len(names) > 1 else None, rest)
    return ("call", name, target, args)


def _is_macro(name: str, args: list[Node]) -> bool:
    if not args or args[0][0] != "ident":
        return False
    if name in _MACROS_1 and len(args) == 2:
        return True
    if name == "map" and len(args) == 3:
        return True
    return name in _MACROS_2 and len(args) in (3, 4) and args[1][0] == "ident" and (
        len(args) == 3 or name in ("transformList", "transformMap"))


def _macro_vars(name: str, args: list[Node]) -> list[str]:
    """One variable for the classic macros (and the 3-argument map), two otherwise."""
    if len(args) == 2 or name == "map":
        return [args[0][1]]
    return [args[0][1], args[1][1]]


_CACHE: dict[str, Node] = {}


def parse(text: str) -> Node:
    """The AST of `text` (cached); CelSyntaxError when it is not valid CEL."""
    tree = _CACHE.get(text)
    if tree is None:
        parser = _Parser(text)
        tree = parser.expr()
        if not parser.peek(kind="eof"):
            tok = parser.tokens[parser.pos]
            raise CelSyntaxError(f"unexpected {tok[1]!r} at {tok[2]}")
        _CACHE[text] = tree
    return tree
