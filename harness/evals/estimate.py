"""What a skills on/off comparison would cost: an ESTIMATE from measured prompt sizes.

A scripted run (turns played by the local fake Anthropic API) sends the real requests: Claude
Code's own system prompt and tools, the skills' listing, the SKILL.md it loads and the real
kubectl output from the cluster. What it cannot measure is how many turns a model takes and
how much it writes (thinking included); those are parameters, printed with the estimate.

A model's run of T turns re-sends its conversation each turn. With prompt caching on (both
backends), turn 1 writes the first prompt P to the cache; turn i > 1 reads the previous
prompt from the cache and writes what was added since: the last answer (`output`) and the
tool result (the measured growth G per turn minus that output). So a run costs
    cache_write = P + (T-1)·G,  cache_read = Σ_{i=2..T} (P + (i-2)·G),  output = T·o,
at the price table's rates (uncached input is left at zero: the fake API and Claude Code
both cache the whole prefix). The fake API counts a token per 4 characters of the request
JSON, close to but not the real tokenizer: one more reason this is an estimate.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from harness.evals import pricing
from harness.evals.model import RunRecord
from harness.evals.usage import Tokens


@dataclass(frozen=True)
class Profile:
    """Measured from scripted runs of one arm."""
    arm: str
    runs: int
    first_prompt: float      # tokens in the first request (system, tools, prompt)
    growth: float            # tokens the conversation gains per turn
    turns: float             # turns the scripts took


def prompts(record: RunRecord) -> list[int]:
    """The prompt size of each API request in a record's timeline, in order."""
    sizes = []
    for entry in record.transcript:
        tokens = entry.get("tokens")
        if entry.get("type") in ("assistant", "thinking", "model_turn") and tokens:
            sizes.append(tokens.get("input", 0) + tokens.get("cache_read", 0)
                         + tokens.get("cache_write", 0))
    return sizes


def profile(records: list[RunRecord], arm: str) -> Profile | None:
    """Mean first prompt and growth per turn over an arm's scripted records.

    >>> from harness.evals.model import ScenarioRef
    >>> r = RunRecord("r", ScenarioRef("s"), "claude-code", "on", 1, "pass", "", transcript=[
    ...     {"type": "assistant", "tokens": {"input": 2, "cache_read": 0, "cache_write": 998}},
    ...     {"type": "command"},
    ...     {"type": "assistant", "tokens": {"input": 1, "cache_read": 998,
    ...                                      "cache_write": 301}}])
    >>> profile([r], "on")
    Profile(arm='on', runs=1, first_prompt=1000, growth=300.0, turns=2)
    """
    measured = [(sizes[0], (sizes[-1] - sizes[0]) / (len(sizes) - 1), len(sizes))
                for r in records if r.skills == arm
                for sizes in [prompts(r)] if len(sizes) >= 2]
    if not measured:
        return None
    return Profile(arm, len(measured), mean(m[0] for m in measured),
                   mean(m[1] for m in measured), mean(m[2] for m in measured))


def run_tokens(p: Profile, turns: int, output_per_turn: int) -> Tokens:
    """One run of `turns` turns (the formula in the module's docstring).

    >>> run_tokens(Profile("on", 1, 1000, 300, 2), 3, 100)
    Tokens(input=0, cache_read=2300, cache_write=1600, cache_write_1h=0, output=300)
    """
    first, growth = round(p.first_prompt), round(p.growth)
    return Tokens(cache_write=first + (turns - 1) * growth,
                  cache_read=sum(first + (i - 2) * growth for i in range(2, turns + 1)),
                  output=turns * output_per_turn)


def suite_cost(p: Profile, model: str, turns: int, output_per_turn: int,
               runs: int) -> float | None:
    """USD for `runs` runs of one arm (None for a model the price table lacks)."""
    one = pricing.cost(model, run_tokens(p, turns, output_per_turn),
                       round(p.first_prompt + (turns - 1) * p.growth))
    return None if one is None else round(one * runs, 2)
