"""Statistics on synthetic records, checked against values computed by hand (in comments)."""
from __future__ import annotations

import pytest

from harness.evals import stats
from harness.evals.model import RunRecord, ScenarioRef
from harness.evals.usage import Tokens


def _rec(scenario: str, arm: str, epoch: int, status: str, tokens: int,
         cost: float) -> RunRecord:
    return RunRecord("r", ScenarioRef(scenario, area="kueue"), "claude-code", arm, epoch,
                     status, "", model="m", epoch=epoch, tokens=Tokens(input=tokens),
                     cost_usd=cost)


# Three scenarios, four epochs per arm. P pass, F fail, E error (excluded from rates).
OUTCOMES = {("A", "on"): "PPPF", ("A", "off"): "PFFF",
            ("B", "on"): "PPPP", ("B", "off"): "PPPP",
            ("C", "on"): "PFEF", ("C", "off"): "FFFF"}
STATUS = {"P": "pass", "F": "fail", "E": "error"}


def _records() -> list[RunRecord]:
    out = []
    for (scenario, arm), runs in OUTCOMES.items():
        for epoch, letter in enumerate(runs, start=1):
            if letter == "E":
                tokens, cost = 50_000, 0.5        # must not count anywhere
            elif arm == "off":
                tokens, cost = 2000, 0.02
            else:
                tokens, cost = (1000, 0.01) if letter == "P" else (3000, 0.03)
            out.append(_rec(scenario, arm, epoch, STATUS[letter], tokens, cost))
    return out


@pytest.fixture(scope="module")
def result() -> dict:
    [comparison] = stats.compare(_records())
    return comparison


def test_per_scenario_rates_leave_errors_out(result):
    rows = {r["scenario"]: r for r in result["scenarios"]}
    # A: on 3/4, off 1/4. C: on 1 pass of 3 scored runs (the error is not one), off 0/4.
    assert (rows["A"]["p_on"], rows["A"]["p_off"]) == (0.75, 0.25)
    assert (rows["C"]["n_on"], rows["C"]["c_on"], rows["C"]["p_on"]) == (3, 1, 0.3333)
    assert rows["C"]["errors_on"] == 1 and result["arms"]["on"]["errors"] == 1
    assert result["arms"]["on"]["scored"] == 11 and result["arms"]["off"]["scored"] == 12


def test_mean_paired_difference(result):
    # differences 0.5 (A), 0 (B), 1/3 (C): mean = (0.5 + 0 + 0.3333...) / 3 = 0.27778
    assert result["mean_difference"] == pytest.approx(0.2778, abs=1e-4)


def test_bootstrap_interval_clustered_by_scenario(result):
    # Resampling 3 scenarios: the mean is 0 only when all three draws are B (prob 1/27 =
    # 3.7% > 2.5%) and 0.5 only when all are A (3.7% > 2.5%), so the 2.5th and 97.5th
    # percentiles of the bootstrap distribution are exactly 0.0 and 0.5.
    assert result["ci95"] == [0.0, 0.5]
    assert result["bootstrap"]["unit"] == "scenario"


def test_mcnemar_on_runs_paired_by_epoch(result):
    # Pairs (scenario, epoch) with both arms scored: A e2, A e3 and C e1 pass only with
    # skills on (b = 3); none passes only without (c = 0); C e3 has an error: no pair.
    # Exact test: p = 2 * P(X <= 0 | X ~ Bin(3, 1/2)) = 2 / 8 = 0.25.
    assert result["mcnemar"] == {"pairs": 11, "on_only": 3, "off_only": 0, "p_value": 0.25}


def test_sign_test_over_scenarios(result):
    # differences +0.5, 0, +1/3: two positive, one tie; p = 2 * P(X <= 0 | Bin(2, 1/2)) = 0.5
    assert result["sign_test"] == {"positive": 2, "negative": 0, "ties": 1, "p_value": 0.5}


def test_pass_at_k_and_pass_hat_k(result):
    # skills on: (n, c) = A (4, 3), B (4, 4), C (3, 1); k up to 3 (C has 3 scored runs).
    # pass@1 = (3/4 + 1 + 1/3) / 3 = 0.69444
    # pass@2: A 1 - C(1,2)/C(4,2) = 1, B 1, C 1 - C(2,2)/C(3,2) = 2/3 -> 0.88889
    # pass^2: A C(3,2)/C(4,2) = 1/2, B 1, C C(1,2)/C(3,2) = 0 -> 0.5
    # pass^3: A C(3,3)/C(4,3) = 1/4, B 1, C 0 -> 0.41667
    assert result["pass_at_k"]["on"] == {"1": 0.6944, "2": 0.8889, "3": 1.0}
    assert result["pass_hat_k"]["on"] == {"1": 0.6944, "2": 0.5, "3": 0.4167}
    # skills off: A (4, 1), B (4, 4), C (4, 0): pass@1 = (1/4 + 1 + 0) / 3 = 0.41667
    assert result["pass_at_k"]["off"]["1"] == 0.4167


def test_token_and_cost_ratios(result):
    # skills on, scored runs: 7 passes at 1000 tokens, 4 fails at 3000 -> 17000 / 11 =
    # 1545.45; off: 2000 each -> ratio 0.77273. Resolved only: 1000 / 2000 = 0.5.
    assert result["token_ratio"] == {"all": 0.7727, "resolved": 0.5}
    assert result["cost_ratio"] == {"all": 0.7727, "resolved": 0.5}


def test_only_groups_with_both_arms_are_compared():
    only_on = [r for r in _records() if r.skills == "on"]
    assert stats.compare(only_on) == []
