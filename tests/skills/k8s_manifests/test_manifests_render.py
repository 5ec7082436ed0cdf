"""The built-in template renderer matches Jinja2 on every construct it claims to support."""
from __future__ import annotations

import jinja2  # a dependency of the project (pyproject.toml), not an optional tool
import pytest

from _manifest import render as _manifest_render

SNIPPETS = [
    "a: {{ x | tojson }}\n",
    "{% if x %}\nyes\n{% elif y %}\nmaybe\n{% else %}\nno\n{% endif %}\n",
    "  {% for i in xs %}\n  - {{ i | tojson }}\n  {% endfor %}\nend\n",
    "{# a comment #}\nkept\n",
    "{% if d.k is not none %}k: {{ d.k }}{% endif %}\n",
    "{% for k in d %}\n{{ k }}={{ d[k] | tojson }}\n{% endfor %}",
    "{% for p in ['a', 'b'] %}{% if p == 'b' %}{{ p }}{% endif %}{% endfor %}\n",
]
CONTEXTS = [{"x": "v<&>'", "y": 1, "xs": [1, "two"], "d": {"k": 0}},
            {"x": "", "y": 0, "xs": [], "d": {"k": None}}]


@pytest.mark.parametrize("snippet", SNIPPETS)
@pytest.mark.parametrize("context", CONTEXTS)
def test_builtin_equals_jinja(snippet, context):
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["tojson"] = _manifest_render.tojson
    assert _manifest_render.render_text_builtin(snippet, context) == \
        env.from_string(snippet).render(**context)


def test_undefined_variable_fails_like_strict_undefined():
    with pytest.raises(NameError):
        _manifest_render.render_text_builtin("{{ d.missing }}", {"d": {}})


def test_unsupported_tag_is_named():
    with pytest.raises(ValueError, match="macro"):
        _manifest_render.render_text_builtin("{% macro m() %}{% endmacro %}", {})
