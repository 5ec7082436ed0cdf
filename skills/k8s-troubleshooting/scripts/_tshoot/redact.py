"""Redact secret-looking strings from log lines and messages before they are printed.

>>> redact("login password=hunter2 token: abc.def and Bearer eyJhbGciOi.x.y")
'login password=[REDACTED] token: [REDACTED] and Bearer [REDACTED]'
"""
from __future__ import annotations

import functools
import re

_RULES = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 [REDACTED]"),
    # key=value / key: value where the key names a secret
    (re.compile(r"(?i)\b([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|"
                r"access[_-]?key|private[_-]?key|credentials?|auth)[\w.-]*)(\s*[=:]\s*)"
                r"(\"[^\"]*\"|'[^']*'|\S+)"), r"\1\2[REDACTED]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[REDACTED-JWT]"),
    (re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b"), "[REDACTED-AWS-KEY]"),
    (re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[baprs]-[A-Za-z0-9-]{10,}|"
                r"sk-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{20,})\b"), "[REDACTED-TOKEN]"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
                re.S), "[REDACTED-PRIVATE-KEY]"),
    (re.compile(r"(?i)(://[^:/@\s]+:)[^@/\s]+@"), r"\1[REDACTED]@"),
]


@functools.lru_cache(maxsize=4096)
def redact(text: str) -> str:
    """Cached: the replicas of a failing workload repeat the same messages, and each message
    would be run through every rule."""
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text
