"""k8s_skillkit.fatal_log: a program's fatal records in every logger's form. Each line's form
is the library's own (citations in the module); the messages are those of public threads."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.fatal_log import records  # noqa: E402


def messages(text: str) -> list[str]:
    return [r.message for r in records(text.splitlines())]


def test_every_loggers_fatal_form_is_a_record():
    # aws/aws-application-networking-k8s#794: zap's JSON, pretty-printed over lines
    assert messages('{\n  "level": "fatal",\n  "logger": "setup",\n  "msg": "init config '
                    'failed: vpcId is not specified"\n}') == [
        "init config failed: vpcId is not specified"]
    # zap JSON on one line with an error field; logrus text; klog's F header
    assert messages('{"level":"fatal","msg":"unable to start","error":"no kubeconfig"}') == [
        "unable to start: no kubeconfig"]
    assert messages('time="2024-01-02T03:04:05Z" level=fatal msg="unsupported config '
                    'version: 3"') == ["unsupported config version: 3"]
    assert messages("F0102 15:04:05.000000       1 main.go:42] failed to list nodes") == [
        "failed to list nodes"]
    # zap's console encoder (Istio writes it lowercase), CoreDNS, the Go runtime
    assert messages("2024-05-01T10:00:00.000000Z\tfatal\tvalidation failed") == [
        "validation failed"]
    assert messages('2018/09/06 13:02:45 [FATAL] plugin/loop: Seen "HINFO IN 1.2." more '
                    'than twice, loop detected') == [
        'plugin/loop: Seen "HINFO IN 1.2." more than twice, loop detected']
    assert messages("panic: runtime error: invalid memory address or nil pointer "
                    "dereference") == ["runtime error: invalid memory address or nil pointer "
                                       "dereference"]
    assert [r.panic for r in records(["panic: boom", 'level=panic msg="boom"',
                                      'level=fatal msg="boom"'])] == [True, True, False]


def test_error_lines_and_quoted_fatal_words_are_no_records():
    assert messages('{"level":"error","msg":"retrying"}') == []
    assert messages('level=error msg="non-fatal: retrying"') == []
    assert messages("E0102 15:04:05.000000       1 main.go:42] failed to list nodes") == []
    assert messages('the log said "[FATAL] plugin/loop" once') == []
