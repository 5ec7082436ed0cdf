"""Issue 21: a skip names a missing optional tool and nothing else.

A `try: ... except Exception: pytest.skip(...)` turns any bug (a broken pin, a crash in
our own code) into a skip that CI shows as green. This test reads every test file and
fails on a broad handler whose body skips.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
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
