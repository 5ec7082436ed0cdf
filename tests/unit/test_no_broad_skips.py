"""Issue 21: a skip names a missing optional tool and nothing else.

A `try: ... except Exception: pytest.skip(...)` turns any bug (a broken pin, a crash in
our own code) into a skip that CI shows as green. This test reads every test file and
fails on a broad handler whose body skips.

In tests/live a skip also hides a broken cluster: the project's own cluster always has the
CRDs, node pools and files its tests need, so a missing one must fail there. A live test
skips through `tests.live.helpers.require_or_skip` (a skip only on a user's cluster, given by
K8S_SKILLS_TEST_KUBECONFIG), or under an `if` about `live_cluster` itself (a test of our
cluster's processes that a user's cluster cannot run).
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
LIVE = TESTS / "live"
HELPER = "require_or_skip"
BROAD = {"Exception", "BaseException"}


def _is_broad(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type
    if kinds is None:
        return True
    names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(isinstance(n, ast.Name) and n.id in BROAD for n in names)


def _skips(body: list[ast.stmt]) -> bool:
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"skip", "importorskip"}:
            return True
    return False


def broad_skips(source: str) -> list[int]:
    """Line numbers of broad exception handlers that skip."""
    return [h.lineno for h in ast.walk(ast.parse(source))
            if isinstance(h, ast.ExceptHandler) and _is_broad(h) and _skips(h.body)]


def test_the_check_finds_a_broad_skip():
    planted = ("import pytest\ntry:\n    x = 1\nexcept Exception as err:\n"
               "    pytest.skip(str(err))\n")
    assert broad_skips(planted) == [4]
    narrow = planted.replace("except Exception", "except FileNotFoundError")
    assert broad_skips(narrow) == []


def test_no_test_turns_an_exception_into_a_skip():
    found = [f"{path.relative_to(TESTS)}:{line}" for path in sorted(TESTS.rglob("*.py"))
             for line in broad_skips(path.read_text())]
    assert found == []


def _is_skip_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == "skip" and isinstance(node.func.value, ast.Name) \
        and node.func.value.id == "pytest"


def live_skips(source: str) -> list[int]:
    """Line numbers of `pytest.skip(...)` in a live test that neither sits in the helper nor
    under an `if` whose test names live_cluster."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not _is_skip_call(node):
            continue
        cur, allowed = node, False
        while cur in parents:
            cur = parents[cur]
            if isinstance(cur, ast.FunctionDef) and cur.name == HELPER:
                allowed = True
            if isinstance(cur, ast.If) and "live_cluster" in ast.unparse(cur.test):
                allowed = True
        if not allowed:
            found.append(node.lineno)
    return found


def test_the_check_finds_a_live_skip_about_a_prerequisite():
    planted = ("import pytest\ndef test_x(kubectl):\n    if not crds(kubectl):\n"
               "        pytest.skip('no CRD')\n")
    assert live_skips(planted) == [4]
    ours = ("import pytest\ndef test_x(live_cluster):\n"
            "    if live_cluster['cluster'] is None:\n        pytest.skip('not ours')\n")
    assert live_skips(ours) == []
    helper = ("import pytest\ndef require_or_skip(live_cluster, ok, why):\n"
              "    pytest.skip(why)\n")
    assert live_skips(helper) == []


def test_live_tests_skip_only_off_the_projects_cluster():
    found = [f"{path.relative_to(TESTS)}:{line}" for path in sorted(LIVE.rglob("*.py"))
             for line in live_skips(path.read_text())]
    assert found == [], ("use tests.live.helpers.require_or_skip: on the project's own "
                         "cluster a missing prerequisite is a failure")
