"""Kubectl.apply retries once when kubectl gave up reading the apiserver's OpenAPI document
(seen under load: `cluster up` failed on the ResourceFlavors with kubectl's own message,
'error validating data: Get "https://127.0.0.1:PORT/openapi/v2?timeout=32s": net/http:
request canceled (Client.Timeout exceeded while awaiting headers)'), and only then.

The stand-in executable prints what kubectl printed and counts its calls in a file.
"""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from harness.cluster.kubectl import Kubectl
from harness.errors import UserError

OPENAPI_TIMEOUT = ('error: error validating "STDIN": error validating data: Get '
                   '"https://127.0.0.1:32758/openapi/v2?timeout=32s": net/http: request '
                   'canceled (Client.Timeout exceeded while awaiting headers); if you choose '
                   'to ignore these errors, turn validation off with --validate=false')
NOT_FOUND = 'Error from server (NotFound): namespaces "gone" not found'


def fake_kubectl(tmp_path: Path, failures: list[str]) -> tuple[Path, Path]:
    """An executable failing with failures[0], failures[1], ... then succeeding."""
    calls = tmp_path / "calls"
    calls.write_text("")
    lines = ["#!/bin/sh", f'echo "$*" >> {calls}', f"n=$(wc -l < {calls})", "cat > /dev/null"]
    for index, message in enumerate(failures, 1):
        lines.append(f"if [ \"$n\" -eq {index} ]; then echo '{message}' >&2; exit 1; fi")
    lines.append("exit 0")
    exe = tmp_path / "kubectl"
    exe.write_text("\n".join(lines) + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe, calls


def apply(tmp_path, exe, validate=True):
    Kubectl(tmp_path / "kubeconfig", executable=str(exe)).apply(
        [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}],
        validate=validate)


def test_openapi_timeout_is_retried_once_with_the_same_validation(tmp_path):
    exe, calls = fake_kubectl(tmp_path, [OPENAPI_TIMEOUT])
    apply(tmp_path, exe)
    argvs = calls.read_text().splitlines()
    assert len(argvs) == 2
    assert argvs[0] == argvs[1] and "--validate=strict" in argvs[1]


def test_a_second_openapi_timeout_is_reported(tmp_path):
    exe, calls = fake_kubectl(tmp_path, [OPENAPI_TIMEOUT, OPENAPI_TIMEOUT])
    with pytest.raises(UserError, match="openapi/v2"):
        apply(tmp_path, exe)
    assert len(calls.read_text().splitlines()) == 2


def test_other_failures_are_not_retried(tmp_path):
    exe, calls = fake_kubectl(tmp_path, [NOT_FOUND])
    with pytest.raises(UserError, match="NotFound"):
        apply(tmp_path, exe, validate=False)
    assert len(calls.read_text().splitlines()) == 1
