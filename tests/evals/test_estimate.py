"""The cost estimate's arithmetic on a synthetic record, computed by hand."""
from __future__ import annotations

from harness.evals import estimate
from harness.evals.model import RunRecord, ScenarioRef


def _record(arm: str, prompt_sizes: list[int]) -> RunRecord:
    # the first request writes its prompt to the cache; later ones read the previous prompt
    steps, previous = [], 0
    for size in prompt_sizes:
        steps += [{"type": "assistant", "tokens": {"input": 0, "cache_read": previous,
                                                   "cache_write": size - previous}},
                  {"type": "command", "output": "..."}]
        previous = size
    return RunRecord("r", ScenarioRef("s"), "claude-code", arm, 1, "pass", "",
                     scripted=True, transcript=steps)


def test_profile_and_cost_by_hand():
    # on: prompts 1000, 1300, 1600 and 1200, 1500 -> first (1000+1200)/2 = 1100,
    #     growth ((1600-1000)/2 + (1500-1200)/1)/2 = (300+300)/2 = 300, turns (3+2)/2 = 2.5
    runs = [_record("on", [1000, 1300, 1600]), _record("on", [1200, 1500]),
            _record("off", [800, 900])]
    on = estimate.profile(runs, "on")
    assert (on.runs, on.first_prompt, on.growth, on.turns) == (2, 1100, 300, 2.5)
    assert estimate.profile(runs, "off").growth == 100
    # 3 turns, 100 output tokens a turn: cache_write = 1100 + 2*300 = 1700,
    # cache_read = 1100 (turn 2) + 1400 (turn 3) = 2500, output = 300
    tokens = estimate.run_tokens(on, 3, 100)
    assert (tokens.cache_write, tokens.cache_read, tokens.output, tokens.input) == \
        (1700, 2500, 300, 0)
    # claude-sonnet-4-5: $3.75/M cache write (5 min), $0.30/M read, $15/M output:
    # 1700*3.75 + 2500*0.30 + 300*15 = 6375 + 750 + 4500 = 11625 -> $0.011625 a run;
    # 1000 runs: $11.625, rounded to cents (11.625 is 11.62499... as a float) -> 11.62
    assert estimate.suite_cost(on, "claude-sonnet-4-5", 3, 100, 1000) == 11.62
    assert estimate.suite_cost(on, "gpt-4", 3, 100, 1000) is None
    assert estimate.profile(runs, "both") is None
