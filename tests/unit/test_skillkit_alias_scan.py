"""The kit's YAML-alias pre-check (`has_yaml_alias`): it decides whether the size walk
that bounds alias expansion runs, so a miss would let a "billion laughs" paste through.

It replaced a regex that cost 2 s on a 140 MB dump; the regex is kept here as the
specification and the two must agree on any text. PyYAML itself is the judge of what an
alias is in the concrete cases.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import has_yaml_alias  # noqa: E402

SPEC = re.compile(r"(?:^|[\s\[{,])\*[^\s,\[\]{}]", re.M)
ALPHABET = st.sampled_from(list("*a b,[]{}\n\t\r\x0b\x0c\u00a0\u2028-:\"'&x1"))


@settings(max_examples=3000)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_agrees_with_the_regex_it_replaced(text):
    assert has_yaml_alias(text) == bool(SPEC.search(text))


@given(st.text(max_size=60))
def test_agrees_on_any_unicode(text):
    assert has_yaml_alias(text) == bool(SPEC.search(text))


def test_an_alias_pyyaml_expands_is_found():
    text = "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n"
    assert yaml.safe_load(text)["c"] == [[1, 2], [1, 2]]  # PyYAML reads them as aliases
    assert has_yaml_alias(text)
    assert has_yaml_alias("*x")  # at the very start


def test_globs_and_operators_kubectl_prints_are_not_aliases():
    for text in ('hosts: ["*.example.com"]\n', "args: ['a*b']\n", "x: 2 * 3\n",
                 "resources: [\"*\"]\n", "verbs: ['*']\n", '{"n": "a*"}'):
        assert not has_yaml_alias(text), text
