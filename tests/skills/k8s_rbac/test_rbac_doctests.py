"""The examples in the k8s-rbac modules' docstrings hold."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["_guard", "_guard_shell", "_guard_kubectl", "_audit_log", "_agent_roles",
           "_rbac_rules", "_pod_policy"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
