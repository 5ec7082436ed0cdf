"""Nothing secret reaches Slack: every string of every Web API call is redacted first.

One implementation of the patterns: the k8s-troubleshooting skill's `_tshoot.redact` (bearer
tokens, key=value secrets, JWTs, cloud and Slack tokens, private keys, URL passwords), plus
the JSON / YAML shapes a Kubernetes dump has: `"token": "…"` and the values under a Secret's
`data:` / `stringData:`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from agent.modules import load_file

SKILL_MODULE = (Path(__file__).resolve().parents[2] / "skills" / "k8s-troubleshooting"
                / "scripts" / "_tshoot" / "redact.py")
SECRET_KEY = (r"[\w.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
              r"private[_-]?key|credentials?|auth|\.key|\.crt|\.pem)[\w.-]*")
JSON_SECRET = re.compile(r'(?i)("' + SECRET_KEY + r'"\s*:\s*)"(?:[^"\\]|\\.)*"')
JSON_DATA = re.compile(r'("(?:data|stringData)"\s*:\s*\{)([^{}]*)(\})')
YAML_DATA = re.compile(r"(?m)^(\s*)(data|stringData):\s*$")
REDACTED = "[REDACTED]"


@lru_cache(maxsize=1)
def _skill_redact() -> Callable[[str], str]:
    redact_text: Callable[[str], str] = load_file("_tshoot_redact_for_slack",
                                                   SKILL_MODULE).redact
    return redact_text


def redact(text: str) -> str:
    """
    >>> redact('{"kind": "Secret", "data": {"ca.crt": "LS0t", "user": "YWRt"}}')
    '{"kind": "Secret", "data": {"ca.crt": "[REDACTED]", "user": "[REDACTED]"}}'
    >>> redact('api token: xoxb-1234567890-abcdef and "apiKey": "sk-ant"')
    'api token: [REDACTED] and "apiKey": "[REDACTED]"'
    """
    text = JSON_DATA.sub(lambda m: m.group(1) + re.sub(
        r'(:\s*)"(?:[^"\\]|\\.)*"', r'\1"' + REDACTED + '"', m.group(2)) + m.group(3), text)
    text = JSON_SECRET.sub(r'\1"' + REDACTED + '"', text)
    text = _yaml_data(text)
    return _skill_redact()(text)


def _yaml_data(text: str) -> str:
    """Values nested under a `data:` / `stringData:` line (a Secret in YAML)."""
    if not YAML_DATA.search(text):
        return text
    out, depth = [], None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if depth is not None and line.strip() and indent > depth:
            key, sep, _ = line.strip().partition(":")
            line = " " * indent + (f"{key}: {REDACTED}" if sep else REDACTED)
        elif line.strip():
            depth = None
        match = YAML_DATA.match(line)
        if match:
            depth = len(match.group(1))
        out.append(line)
    return "\n".join(out)


def redact_all(value: Any) -> Any:
    """Every string inside a JSON-like value, redacted (keys kept)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_all(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_all(v) for v in value]
    return value


class RedactingWebClient(WebClient):
    """A WebClient that redacts every outgoing argument, whichever handler built it: the
    last step before Slack, so no code path can post a secret unredacted."""

    def api_call(self, api_method: str, *, json: dict[str, Any] | None = None, data: dict[str, Any] | None = None,
                 params: dict[str, Any] | None = None, **kwargs: Any) -> SlackResponse:
        return super().api_call(api_method, json=redact_all(json), data=redact_all(data),
                                params=redact_all(params), **kwargs)

