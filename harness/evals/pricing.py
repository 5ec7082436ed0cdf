"""One price table for every Claude backend: USD per million tokens, by model.

Source (read 2026-12-02): the model catalog inside Claude Code 2.1.332, the CLI bundled with
claude-agent-sdk 0.2.189 (its `pricing` tiers and each model's tier), which agrees with
https://platform.claude.com/docs/en/about-claude/pricing for every model both list.
tests/evals/test_pricing.py re-reads the bundled CLI and fails when the pins move and the
table no longer matches. Costs are estimates for reports: the invoice is the truth.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from harness.evals.usage import Tokens

AS_OF = "2026-12-02"
SOURCE = ("Claude Code 2.1.332 model catalog (bundled with claude-agent-sdk 0.2.189); "
          "https://platform.claude.com/docs/en/about-claude/pricing")


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""
    input: float
    output: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    long_prompt: "Price | None" = None   # rates once a prompt is above long_prompt_above tokens
    long_prompt_above: int = 0


def _tier(i: float, o: float, w5: float, w1: float, r: float, **long: Any) -> Price:
    return Price(i, o, w5, w1, r, **long)


TIERS = {
    "tier_2_10": _tier(2, 10, 2.5, 4, 0.2),
    "tier_2_10_cache_read_0_10": _tier(2, 10, 2.5, 4, 0.1),
    "tier_3_15": _tier(3, 15, 3.75, 6, 0.3),
    "tier_5_25": _tier(5, 25, 6.25, 10, 0.5),
    "tier_15_75": _tier(15, 75, 18.75, 30, 1.5),
    "tier_10_50": _tier(10, 50, 12.5, 20, 1),
    "tier_10_50_cache_read_0_25": _tier(10, 50, 12.5, 20, 0.25),
    "tier_4_20_cache_read_0_20": _tier(4, 20, 5, 8, 0.2),
    "tier_8_40_cache_read_0_20": _tier(8, 40, 10, 16, 0.2),
    "haiku_35": _tier(0.8, 4, 1, 1.6, 0.08),
    "haiku_45": _tier(1, 5, 1.25, 2, 0.1),
    "haiku_55": _tier(0.1, 0.5, 0.125, 0.2, 0.01,
                      long_prompt=_tier(0.5, 2.5, 0.625, 1, 0.05), long_prompt_above=100_000),
}

MODELS = {
    "claude-3-5-haiku": "haiku_35", "claude-3-5-sonnet": "tier_3_15",
    "claude-3-7-sonnet": "tier_3_15", "claude-fable-5": "tier_10_50",
    "claude-fable-5-1": "tier_10_50_cache_read_0_25",
    "claude-fable-5-2": "tier_8_40_cache_read_0_20", "claude-haiku-4-5": "haiku_45",
    "claude-haiku-5-5": "haiku_55", "claude-mythos-5": "tier_10_50",
    "claude-mythos-5-1": "tier_10_50_cache_read_0_25", "claude-mythos-5-2": "tier_8_40_cache_read_0_20", "claude-opus-4-0": "tier_15_75",
    "claude-opus-4-1": "tier_15_75", "claude-opus-4-5": "tier_5_25",
    "claude-opus-4-6": "tier_5_25", "claude-opus-4-7": "tier_5_25",
    "claude-opus-4-8": "tier_5_25", "claude-opus-5": "tier_5_25",
    "claude-opus-5-5": "tier_4_20_cache_read_0_20", "claude-sonnet-4-0": "tier_3_15",
    "claude-sonnet-4-5": "tier_3_15", "claude-sonnet-4-6": "tier_3_15",
    "claude-sonnet-5": "tier_2_10", "claude-sonnet-5-5": "tier_2_10_cache_read_0_10",
}
# Models that take `thinking: {type: adaptive}` (catalog capability adaptive_thinking); the
# others take an explicit budget.
ADAPTIVE_THINKING = frozenset({
    "claude-haiku-5-5", "claude-sonnet-4-6", "claude-sonnet-5", "claude-sonnet-5-5",
    "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5",
    "claude-fable-5", "claude-fable-5-1", "claude-fable-5-2", "claude-mythos-5-1",
    "claude-mythos-5-2"})
# Dated first-party ids and the short forms people type map onto the catalog's ids.
ALIASES = {"claude-opus-4": "claude-opus-4-0", "claude-sonnet-4": "claude-sonnet-4-0"}


def catalog_id(model: str | None) -> str | None:
    """The catalog id a model name stands for (dated ids and aliases resolved).

    >>> catalog_id("claude-sonnet-4-5-20250929"), catalog_id("claude-sonnet-4")
    ('claude-sonnet-4-5', 'claude-sonnet-4-0')
    """
    name = (model or "").lower().split("[")[0]
    for candidate in (name, *_shorter(name)):
        key = ALIASES.get(candidate, candidate)
        if key in MODELS:
            return str(key)
    return None


def thinking_config(model: str | None, budget: int | None) -> dict[str, Any] | None:
    """The Messages API `thinking` parameter for a budget (None or 0: off).

    >>> thinking_config("claude-sonnet-5-5", 8000), thinking_config("claude-sonnet-4-5", 8000)
    ({'type': 'adaptive'}, {'type': 'enabled', 'budget_tokens': 8000})
    """
    if not budget:
        return None
    if catalog_id(model) in ADAPTIVE_THINKING:
        return {"type": "adaptive"}
    return {"type": "enabled", "budget_tokens": max(1024, int(budget))}


def price_of(model: str | None) -> Price | None:
    """The price of a model id, a dated id or an alias; None when unknown.

    >>> price_of("claude-sonnet-4-5-20250929").input, price_of("claude-opus-4-20250514").input
    (3, 15)
    >>> price_of("gpt-4") is None
    True
    """
    key = catalog_id(model)
    return TIERS[MODELS[key]] if key else None


def _shorter(name: str) -> Iterator[str]:
    """claude-sonnet-4-5-20250929-v1 -> claude-sonnet-4-5-20250929, claude-sonnet-4-5, ..."""
    parts = name.split("-")
    for end in range(len(parts) - 1, 1, -1):
        yield "-".join(parts[:end])


def cost(model: str | None, tokens: Tokens, prompt_tokens: int = 0) -> float | None:
    """USD for `tokens` at the model's list price; None for an unknown model.

    `prompt_tokens` (the largest single prompt) selects long-prompt rates where a model
    has them.

    >>> cost("claude-sonnet-4-5", Tokens(input=1_000_000, output=100_000,
    ...                                  cache_read=2_000_000, cache_write=400_000))
    6.6
    """
    price = price_of(model)
    if price is None:
        return None
    if price.long_prompt and prompt_tokens > price.long_prompt_above:
        price = price.long_prompt
    five_minute = tokens.cache_write - tokens.cache_write_1h
    usd = (tokens.input * price.input + tokens.output * price.output
           + tokens.cache_read * price.cache_read + five_minute * price.cache_write_5m
           + tokens.cache_write_1h * price.cache_write_1h) / 1e6
    return round(usd, 6)


def table() -> dict[str, Any]:
    """The table as data, for reports and the README."""
    return {"as_of": AS_OF, "source": SOURCE, "usd_per_million_tokens": {
        model: vars(TIERS[tier]) | {"long_prompt": None} for model, tier in MODELS.items()}}
