"""Settings files (a pod-security policy, a generator spec) are one mapping without a kind:
the object loaders keep kind-less YAML as a paste fragment, so settings have their own reader."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.errors import InputError
from k8s_skillkit.loading import load_mapping


def test_a_kindless_mapping_is_read_whole(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("level: restricted\nallowed_registries: [registry.local]\n")
    assert load_mapping(str(path), "a policy") == {
        "level": "restricted", "allowed_registries": ["registry.local"]}


@pytest.mark.parametrize("text,message", [
    ("- a\n- b\n", "a policy is one YAML mapping"),
    ("a: 1\n---\nb: 2\n", "a policy is one YAML mapping"),
    ("a: [1\n", "not valid YAML"),
])
def test_anything_else_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_mapping(str(path), "a policy")
