"""Issue 19: the always-loaded metadata stays small, and skills say where they border.

Every skill's name and description are in a model's context in every conversation, whether
or not the skill is used, so all six together must stay within 1,000 tokens.

Token estimate (documented here because the exact count needs the Messages API's
count_tokens endpoint, which this machine cannot reach): the larger of
- characters / 3.2: English prose runs near 4 characters per token, and the dense
  identifiers of these descriptions (ResourceClaimTemplate, nvidia.com/gpu) tokenize more
  finely, so 3.2 over-counts rather than under-counts; and
- pre-tokenizer pieces: the split byte-level BPE tokenizers apply before merging (words,
  numbers, punctuation runs); no piece is ever less than one token, so this is a floor.
"""
from __future__ import annotations

import math
import re

import yaml

from harness.skillpack import catalog
from harness.skillpack.skills import discover

MAX_DESCRIPTION_CHARS = 600
MAX_METADATA_TOKENS = 1000
CHARS_PER_TOKEN = 3.2
PIECES = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+")


def estimate_tokens(text: str) -> int:
    return max(math.ceil(len(text) / CHARS_PER_TOKEN), len(PIECES.findall(text)))


def _metadata(skill) -> str:
    return f"{skill.name}: {skill.frontmatter()['description']}"


def test_the_estimate_counts_characters_and_pieces():
    assert estimate_tokens("a" * 32) == 10            # 32 / 3.2
    assert estimate_tokens("a b c d e f g h") == 8     # eight words outnumber 15 / 3.2
    assert estimate_tokens("") == 0


def test_each_description_is_short():
    long = {s.name: len(s.frontmatter()["description"]) for s in discover()
            if len(s.frontmatter()["description"]) > MAX_DESCRIPTION_CHARS}
    assert long == {}


def test_all_metadata_fits_the_token_budget():
    skills = discover()
    assert len(skills) == 6
    total = sum(estimate_tokens(_metadata(s)) for s in skills)
    assert total <= MAX_METADATA_TOKENS, f"{total} estimated tokens"


def test_each_description_names_the_neighbour_it_is_not_for():
    names = {s.name for s in discover()}
    for skill in discover():
        description = skill.frontmatter()["description"]
        not_for = description.partition("Do not use for")[2]
        assert not_for, f"{skill.name}: no 'Do not use for' line"
        named = set(re.findall(r"\bk8s-[a-z-]+[a-z]", not_for))
        assert named and named <= names - {skill.name}, (skill.name, named)


def test_example_prompts_live_outside_the_skill_bodies():
    listed = yaml.safe_load(catalog.EXAMPLE_PROMPTS.read_text())
    skills = discover()
    assert set(listed) == {s.name for s in skills}
    for skill in skills:
        assert "## Example prompts" not in skill.body(), skill.name
        assert len(catalog.example_prompts(skill)) >= 3, skill.name


def test_each_reference_file_says_when_to_read_it():
    for skill in discover():
        body = skill.body()
        section = body.partition("## References (read when needed)")[2]
        assert section, f"{skill.name}: no 'References (read when needed)' section"
        for ref in sorted((skill.path / "references").glob("*.md")):
            entry = re.search(rf"`references/{re.escape(ref.name)}`(.*?)(?=\n- |\n\n|\Z)",
                              section, flags=re.S)
            assert entry, f"{skill.name}: references/{ref.name} not listed"
            assert re.search(r"\bRead\s+it\b", entry.group(1)), f"{skill.name}: {ref.name}"
