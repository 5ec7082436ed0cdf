"""The kit's standard-library CEL engine against cel-go's own test expressions.

Expected values come from upstream: cel-go v0.29.2 (the version Kubernetes v1.37.2 builds
with) lists expressions in ext/strings_test.go, ext/lists_test.go and
ext/comprehensions_test.go that must evaluate to true. Each is evaluated here: true, or
"not supported" (the engine then says "not checked"); never false and never an error.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.needs import go_toolchain

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.cel_runtime import CelError, Unsupported, evaluate
from k8s_skillkit.cel_syntax import CelSyntaxError

CEL_GO = "github.com/google/cel-go"
VERSION = "v0.29.2"
FILES = ("ext/strings_test.go", "ext/lists_test.go", "ext/comprehensions_test.go")
# A plain `{expr: ...}` entry (no err, no options): an expression cel-go asserts is true.
ENTRY = re.compile(r'\{expr:\s*(`[^`]*`|"(?:[^"\\\n]|\\.)*")\s*,?\s*\}')
# Minimum share each file must evaluate (the rest must be "not supported", never wrong).
MIN_SUPPORTED = {"ext/strings_test.go": 0.6, "ext/lists_test.go": 0.4,
                 "ext/comprehensions_test.go": 0.4}


def _module() -> Path:
    base = Path.home() / "go" / "pkg" / "mod" / "github.com" / "google" / f"cel-go@{VERSION}"
    if not base.is_dir():
        from harness import gomod
        go_toolchain()
        base = gomod.module_dir(CEL_GO, VERSION)
    return base


def _expressions(path: Path) -> list[str]:
    out = []
    for match in ENTRY.finditer(path.read_text()):
        text = match.group(1)
        out.append(text[1:-1] if text.startswith("`") else json.loads(text))
    return out


@pytest.mark.parametrize("name", FILES)
def test_cel_go_expressions_are_true_or_not_supported(name):
    exprs = _expressions(_module() / name)
    assert len(exprs) > 20, "the upstream file changed shape"
    wrong, supported = [], 0
    for expr in exprs:
        try:
            result = evaluate(expr, {})
        except (Unsupported, CelSyntaxError):
            continue
        except CelError as err:
            wrong.append(f"{expr} -> error {err}")
            continue
        supported += 1
        if result is not True:
            wrong.append(f"{expr} -> {result!r}")
    assert not wrong, "\n".join(wrong)
    assert supported / len(exprs) >= MIN_SUPPORTED[name], f"{supported}/{len(exprs)}"
