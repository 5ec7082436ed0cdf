"""The examples in the k8s-rbac modules' docstrings hold."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["_guard", "_guard.shell", "_guard.kubectl", "_guard.kubectl_parse",
           "_guard.kubectl_manifest", "_guard.words", "_guard.expand", "_guard.verdict",
           "_guard.env", "_guard.paths", "_guard.opts", "_guard.policy", "_guard.audit_log",
           "_rbac.agent_roles", "_rbac.rules", "_rbac.pod_policy", "_rbac.user_form"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
