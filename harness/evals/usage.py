"""Token counts as the API bills them: uncached input, cache reads, cache writes, output.

Claude Code streams one assistant message per content block, all carrying the same message
id and usage; the meter keeps one usage per message id (the largest seen: the stream's
first copy has a placeholder output count) so nothing is counted twice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Tokens:
    input: int = 0           # uncached input tokens
    cache_read: int = 0
    cache_write: int = 0     # all cache writes (5-minute and 1-hour)
    cache_write_1h: int = 0  # the part of cache_write billed at the 1-hour rate
    output: int = 0

    @classmethod
    def from_usage(cls, usage: object) -> Tokens:
        """From an API usage object or dict (Messages API, Claude Code, SDK records).

        >>> Tokens.from_usage({"input_tokens": 5, "cache_read_input_tokens": 100,
        ...     "cache_creation_input_tokens": 20, "output_tokens": 7,
        ...     "cache_creation": {"ephemeral_1h_input_tokens": 20}}).total
        132
        """
        def get(key: str, default: Any = None) -> Any:
            return usage.get(key, default) if isinstance(usage, Mapping) \
                else getattr(usage, key, default)
        creation = get("cache_creation", None) or {}
        one_hour = creation.get("ephemeral_1h_input_tokens", 0) if isinstance(creation, dict) \
            else getattr(creation, "ephemeral_1h_input_tokens", 0)
        return cls(input=int(get("input_tokens", 0) or 0),
                   cache_read=int(get("cache_read_input_tokens", 0) or 0),
                   cache_write=int(get("cache_creation_input_tokens", 0) or 0),
                   cache_write_1h=int(one_hour or 0), output=int(get("output_tokens", 0) or 0))

    @property
    def total(self) -> int:
        return self.input + self.cache_read + self.cache_write + self.output

    @property
    def prompt(self) -> int:
        """Input tokens of all kinds: the size of the prompt(s) sent."""
        return self.input + self.cache_read + self.cache_write

    def __add__(self, other: Tokens) -> Tokens:
        return Tokens(*(a + b for a, b in zip(astuple(self), astuple(other))))

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "total": self.total}


def astuple(tokens: Tokens) -> tuple[int, int, int, int, int]:
    return (tokens.input, tokens.cache_read, tokens.cache_write, tokens.cache_write_1h,
            tokens.output)


def from_record(data: Mapping[str, Any] | None) -> Tokens:
    """The Tokens of a record's `tokens` field (older records had input/output only)."""
    data = data or {}
    return Tokens(input=int(data.get("input", 0)), cache_read=int(data.get("cache_read", 0)),
                  cache_write=int(data.get("cache_write", 0)),
                  cache_write_1h=int(data.get("cache_write_1h", 0)),
                  output=int(data.get("output", 0)))


class UsageMeter:
    """Usage per API message, de-duplicated by message id.

    >>> meter = UsageMeter()
    >>> _ = meter.record("m1", {"input_tokens": 10, "output_tokens": 1})
    >>> _ = meter.record("m1", {"input_tokens": 10, "output_tokens": 30})
    >>> _ = meter.record("m2", {"input_tokens": 12, "output_tokens": 4})
    >>> meter.total().input, meter.total().output, len(meter)
    (22, 34, 2)
    """

    def __init__(self) -> None:
        self._by_id: dict[str, Tokens] = {}
        self.largest_prompt = 0

    def record(self, message_id: str | None, usage: object) -> Tokens:
        tokens = Tokens.from_usage(usage or {})
        key = message_id or f"anonymous-{len(self._by_id)}"
        old = self._by_id.get(key)
        if old is not None:
            tokens = Tokens(*(max(a, b) for a, b in zip(astuple(old), astuple(tokens))))
        self._by_id[key] = tokens
        self.largest_prompt = max(self.largest_prompt, tokens.prompt)
        return tokens

    def get(self, message_id: str) -> Tokens | None:
        return self._by_id.get(message_id)

    def total(self) -> Tokens:
        out = Tokens()
        for tokens in self._by_id.values():
            out = out + tokens
        return out

    def __len__(self) -> int:
        return len(self._by_id)
