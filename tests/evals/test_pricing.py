"""The price table equals the model catalog of the Claude Code CLI we pin (read from the
bundled binary itself), and costs follow the API's billing categories."""
from __future__ import annotations

import mmap
import re
from pathlib import Path

import pytest

from harness.evals import pricing
from harness.evals.usage import Tokens


def _bundled_cli() -> Path:
    import claude_agent_sdk   # a dependency; its wheel bundles the CLI
    path = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    assert path.is_file(), f"claude-agent-sdk without its bundled CLI at {path}"
    return path


def _adaptive(path: Path) -> set[str]:
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return {m.group(1).decode() for m in re.finditer(
            rb'id:"(claude-[a-z0-9-]+)",family:"[a-z]+",display_name:"[^"]*"'
            rb'[^\]]{0,1500}?capabilities:\[([^\]]*)\]', data) if b"adaptive_thinking" in m.group(2)}


def test_adaptive_thinking_models_match_the_catalog():
    assert _adaptive(_bundled_cli()) == pricing.ADAPTIVE_THINKING


def _catalog(path: Path) -> tuple[dict, dict]:
    """(tiers, model -> tier) as the CLI's embedded catalog writes them."""
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        block = re.search(rb"tier_2_10:\{input.{0,3000}?\}\}\}", data).group(0).decode()
        models = {m.group(1).decode(): m.group(2).decode() for m in re.finditer(
            rb'id:"(claude-[a-z0-9-]+)",family:"[a-z]+",display_name:"[^"]*"'
            rb'[^\]]{0,1500}?pricing:"([a-z0-9_]+)"', data)}
    tiers = {}
    for name, body in re.findall(r"([a-z0-9_]+):\{(input:[^{}]*(?:\{[^{}]*\}[^{}]*)?)\}", block):
        fields = dict(re.findall(r"([a-z0-9_]+):([0-9.e]+)", body.split("long_prompt")[0]))
        tiers[name] = fields
    return tiers, models


def test_table_matches_the_bundled_claude_code_catalog():
    tiers, models = _catalog(_bundled_cli())
    assert models == pricing.MODELS
    for name, fields in tiers.items():
        ours = pricing.TIERS[name]
        assert (ours.input, ours.output, ours.cache_write_5m, ours.cache_write_1h,
                ours.cache_read) == tuple(float(fields[k]) for k in (
                    "input", "output", "cache_write_5m", "cache_write_1h", "cache_read")), name


def test_cost_prices_each_billing_category():
    # Hand computation at Sonnet 4.5 list prices ($/MTok: input 3, output 15, cache read 0.30,
    # 5-minute write 3.75, 1-hour write 6): 200k*3 + 10k*15 + 1M*0.3 + 100k*3.75 + 50k*6
    # = 0.6 + 0.15 + 0.3 + 0.375 + 0.3 = 1.725 USD.
    tokens = Tokens(input=200_000, output=10_000, cache_read=1_000_000, cache_write=150_000,
                    cache_write_1h=50_000)
    assert pricing.cost("claude-sonnet-4-5-20250929", tokens) == pytest.approx(1.725)


def test_long_prompt_rates_apply_above_the_threshold():
    # Haiku 5.5: $0.1/MTok input, $0.5 above 100k-token prompts (catalog long_prompt).
    tokens = Tokens(input=1_000_000)
    assert pricing.cost("claude-haiku-5-5", tokens, prompt_tokens=50_000) == pytest.approx(0.1)
    assert pricing.cost("claude-haiku-5-5", tokens, prompt_tokens=150_000) == pytest.approx(0.5)


def test_unknown_model_has_no_price():
    assert pricing.cost("llama-3", Tokens(input=10)) is None
