"""The examples in the k8s-rbac modules' docstrings hold."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["_guard", "_guard_shell", "_guard_kubectl", "_guard_kubectl_parse",
           "_guard_kubectl_manifest", "_guard_words", "_guard_expand", "_guard_verdict",
           "_guard_env", "_guard_paths", "_guard_opts", "_guard_policy", "_audit_log",
           "_agent_roles", "_rbac_rules", "_pod_policy"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
