"""DRA device selectors through the kit's standard-library CEL evaluator (no cel-python,
as in the Skills API sandbox). Expected results: the selector cases of the k8s-dra tests
(what the scheduler's allocator decides for those devices), so every selector the
regex fast path cannot read is now evaluated, and agrees."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit import cel
from tests.skills.k8s_dra.test_dra_cel import CASES


@pytest.fixture
def stdlib_mode():
    old = cel.MODE
    cel.MODE = "stdlib"
    cel._CACHE.clear()
    yield
    cel.MODE = old
    cel._CACHE.clear()


@pytest.mark.parametrize("driver,device,expr,expected,simple", CASES,
                         ids=[c[2][:70] for c in CASES])
def test_stdlib_engine_agrees_with_the_allocator(stdlib_mode, driver, device, expr, expected,
                                                 simple):
    assert cel.evaluate(expr, cel.device_view(driver, device))[0] == expected


def test_engine_name_says_which_engine(stdlib_mode):
    assert "standard-library" in cel.engine_name()
