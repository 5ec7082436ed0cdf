"""Skips that name a missing tool, and nothing else.

A test that needs the pinned Go modules skips only when the `go` toolchain is absent from
the machine. With `go` present, a failing module download or schema build is a failure to
see, not a skip: CI installs Go, so a broken pin must turn CI red.
"""
from __future__ import annotations

import shutil

import pytest


def go_toolchain() -> None:
    """Skip the calling test when `go` is not on PATH."""
    if shutil.which("go") is None:
        pytest.skip("needs the go toolchain (not on PATH) to read the pinned Go modules")
