"""Render the assets/*.j2 templates: with Jinja2 when it is installed, else a built-in subset.

The Skills API sandbox has no Jinja2, so the fallback implements exactly what our templates
use (and nothing is lost: a test renders every shape both ways and compares the text):
`{{ expr }}`, `{{ expr | tojson }}`, `{% if %}/{% elif %}/{% else %}/{% endif %}`,
`{% for x in xs %}/{% endfor %}`, `{% include "file" %}` and `{# comments #}`, with Jinja's
trim_blocks + lstrip_blocks whitespace rules, keep_trailing_newline and StrictUndefined.

    >>> render_text_builtin("{% for x in xs %}- {{ x | tojson }}\\n{% endfor %}", {"xs": ["a"]})
    '- "a"\\n'
"""
from __future__ import annotations

import json
import os
import re

try:  # optional: the same templates render either way
    import jinja2
except ImportError:  # pragma: no cover - exercised by forcing use_jinja=False in tests
    jinja2 = None

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets")
_JINJA_WORDS = re.compile(r"\b(none|true|false)\b")
_PYTHON_WORDS = {"none": "None", "true": "True", "false": "False"}
_TOKEN = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.S)


def tojson(value) -> str:
    """JSON is valid YAML flow syntax, so every value lands safely quoted."""
    return json.dumps(value, ensure_ascii=False)


def render(template: str, context: dict, use_jinja: bool | None = None) -> str:
    """Render assets/<template>; use_jinja=None picks Jinja2 when importable."""
    if use_jinja is None:
        use_jinja = jinja2 is not None
    if use_jinja:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS), trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=True,
                                 undefined=jinja2.StrictUndefined, autoescape=False)
        env.filters["tojson"] = tojson
        return env.get_template(template).render(**context)
    return render_text_builtin(_read(template), context)


def engine_name() -> str:
    return f"jinja2 {jinja2.__version__}" if jinja2 else "built-in renderer (jinja2 not installed)"


def _read(name: str) -> str:
    with open(os.path.join(ASSETS, name), encoding="utf-8") as handle:
        return handle.read()


def render_text_builtin(text: str, context: dict) -> str:
    nodes, _ = _parse(_tokens(text), 0, ())
    out: list[str] = []
    _emit(nodes, _Scope(context), out)
    return "".join(out)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, content) with Jinja's lstrip_blocks/trim_blocks applied to block tags."""
    parts = _TOKEN.split(text)
    tokens = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            tokens.append(("text", part))
            continue
        kind = {"{{": "expr", "{%": "stmt", "{#": "comment"}[part[:2]]
        if kind != "expr":
            _lstrip_previous(tokens)
            if index + 1 < len(parts) and parts[index + 1].startswith("\n"):
                parts[index + 1] = parts[index + 1][1:]
        tokens.append((kind, part[2:-2].strip()))
    return tokens


def _lstrip_previous(tokens) -> None:
    if tokens and tokens[-1][0] == "text":
        head, sep, tail = tokens[-1][1].rpartition("\n")
        if tail.strip() == "" and (sep or len(tokens) == 1):
            tokens[-1] = ("text", head + sep)


def _parse(tokens, pos, stops):
    """Nested nodes until a stmt whose first word is in `stops`; returns (nodes, pos)."""
    nodes = []
    while pos < len(tokens):
        kind, content = tokens[pos]
        word = content.split(" ", 1)[0] if kind == "stmt" else ""
        if word in stops:
            return nodes, pos
        pos += 1
        if kind == "stmt" and word == "if":
            node, pos = _parse_if(tokens, pos, content[3:])
            nodes.append(node)
        elif kind == "stmt" and word == "for":
            target, _, source = content[4:].partition(" in ")
            body, pos = _parse(tokens, pos, ("endfor",))
            nodes.append(("for", target.strip(), source.strip(), body))
            pos += 1
        elif kind == "stmt" and word == "include":
            nodes.append(("include", content[8:].strip().strip("\"'")))
        elif kind in ("text", "expr"):
            nodes.append((kind, content))
        elif kind == "stmt":
            raise ValueError(f"template tag not supported by the built-in renderer: {content}")
    return nodes, pos


def _parse_if(tokens, pos, condition):
    branches = []
    while True:
        body, pos = _parse(tokens, pos, ("elif", "else", "endif"))
        branches.append((condition, body))
        word, _, rest = tokens[pos][1].partition(" ")
        pos += 1
        if word == "endif":
            return ("if", branches), pos
        condition = rest if word == "elif" else "True"


def _emit(nodes, scope, out) -> None:
    for node in nodes:
        kind = node[0]
        if kind == "text":
            out.append(node[1])
        elif kind == "expr":
            value = scope.evaluate(node[1])
            out.append("" if value is None else str(value))
        elif kind == "if":
            for condition, body in node[1]:
                if scope.evaluate(condition):
                    _emit(body, scope, out)
                    break
        elif kind == "for":
            for item in scope.evaluate(node[2]) or []:
                _emit(node[3], scope.child({node[1]: item}), out)
        elif kind == "include":
            out.append(render_text_builtin(_read(node[1]), scope.names))


class _Attr(dict):
    """Dict with Jinja's `a.b` attribute access; a missing key fails like StrictUndefined."""

    def __getattr__(self, key):
        try:
            return _wrap(self[key])
        except KeyError:
            raise NameError(f"undefined template variable {key!r}") from None


def _wrap(value):
    return _Attr(value) if isinstance(value, dict) and not isinstance(value, _Attr) else value


class _Scope:
    FILTERS = {"tojson": tojson}

    def __init__(self, names: dict):
        self.names = dict(names)

    def child(self, extra: dict) -> "_Scope":
        return _Scope({**self.names, **extra})

    def evaluate(self, expression: str):
        base, *filters = [p.strip() for p in _split_filters(expression)]
        base = _JINJA_WORDS.sub(lambda m: _PYTHON_WORDS[m.group(0)], base)
        env = {k: _wrap(v) for k, v in self.names.items()}
        # Our own templates only: a restricted eval of Jinja's Python-like expression subset.
        value = eval(base, {"__builtins__": {}}, env)  # noqa: S307
        for name in filters:
            value = self.FILTERS[name](_plain(value))
        return value


def _split_filters(expression: str) -> list[str]:
    parts, depth, quote, current = [], 0, "", ""
    for char in expression:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    return parts + [current]


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
