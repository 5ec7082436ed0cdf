"""Skills on vs off, with the uncertainty a reader needs to trust the difference.

Computed from records only. Errors (the infrastructure or the API broke) are left out of
every rate and counted apart. Per scenario: p(on) and p(off), the pass rates over its
epochs. The headline is the mean over scenarios of p(on) - p(off), with a 95% percentile
interval from a bootstrap that resamples whole scenarios (runs of one scenario are not
independent). Paired tests: McNemar's exact test on runs paired by scenario and epoch, and
a sign test on the per-scenario differences. pass@k (at least one of k runs passes, the
unbiased estimator of Chen et al. 2021) and pass^k (all k pass, tau-bench) per arm.
Token and cost ratios on/off over all runs and over resolved runs only.
"""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from math import comb
from typing import Any

from harness.evals import agents
from harness.evals.model import RunRecord

RESAMPLES = 10_000
SEED = 20240601


def compare(recs: list[RunRecord], resamples: int = RESAMPLES,
            seed: int = SEED) -> list[dict[str, Any]]:
    """One comparison per (agent, model, scripted) that has both arms."""
    groups: dict[tuple[str, str | None, bool], list[RunRecord]] = defaultdict(list)
    for r in recs:
        if agents.uses_model(r.agent):
            groups[(r.agent, r.model, bool(r.scripted))].append(r)
    out = []
    for (agent, model, scripted), group in sorted(groups.items(), key=lambda g: str(g[0])):
        if {r.skills for r in group} >= {"on", "off"}:
            out.append({"agent": agent, "model": model, "scripted": scripted,
                        **comparison(group, resamples, seed)})
    return out


def comparison(recs: list[RunRecord], resamples: int = RESAMPLES,
               seed: int = SEED) -> dict[str, Any]:
    ok = [r for r in recs if r.status != "error"]
    scenarios = per_scenario(ok, recs)
    paired = [s for s in scenarios if s["n_on"] and s["n_off"]]
    diffs = [s["p_on"] - s["p_off"] for s in paired]
    return {
        "scenarios": scenarios,
        "scenarios_paired": len(paired),
        "mean_difference": round(mean(diffs), 4) if diffs else None,
        "ci95": bootstrap_ci(diffs, resamples, seed) if diffs else None,
        "bootstrap": {"resamples": resamples, "seed": seed, "unit": "scenario"},
        "mcnemar": mcnemar(ok),
        "sign_test": sign_test(diffs),
        "arms": {arm: arm_summary([r for r in ok if r.skills == arm],
                                  [r for r in recs if r.skills == arm]) for arm in ("on", "off")},
        "pass_at_k": {arm: pass_curve(scenarios, arm, pass_at_k) for arm in ("on", "off")},
        "pass_hat_k": {arm: pass_curve(scenarios, arm, pass_hat_k) for arm in ("on", "off")},
        "token_ratio": ratios(ok, lambda r: r.tokens.total),
        "cost_ratio": ratios(ok, lambda r: r.cost_usd),
    }


def per_scenario(ok: list[RunRecord], everything: list[RunRecord]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for r in everything:
        sid = r.scenario.id
        rows.setdefault(sid, {"scenario": sid, "area": r.scenario.area,
                              "n_on": 0, "c_on": 0, "n_off": 0, "c_off": 0,
                              "errors_on": 0, "errors_off": 0})
        if r.status == "error":
            rows[sid][f"errors_{r.skills}"] += 1
    for r in ok:
        row = rows[r.scenario.id]
        row[f"n_{r.skills}"] += 1
        row[f"c_{r.skills}"] += r.status == "pass"
    for row in rows.values():
        for arm in ("on", "off"):
            n = row[f"n_{arm}"]
            row[f"p_{arm}"] = round(row[f"c_{arm}"] / n, 4) if n else None
    return [rows[k] for k in sorted(rows)]


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def bootstrap_ci(diffs: list[float], resamples: int = RESAMPLES,
                 seed: int = SEED) -> list[float]:
    """95% percentile interval of the mean, resampling the per-scenario differences.

    >>> bootstrap_ci([0.5, 0.5, 0.5])
    [0.5, 0.5]
    """
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(rng.choice(diffs) for _ in range(n)) / n for _ in range(resamples))
    return [round(percentile(means, 2.5), 4), round(percentile(means, 97.5), 4)]


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default).

    >>> percentile([0, 10], 25), percentile([1, 2, 3, 4], 50)
    (2.5, 2.5)
    """
    pos = (len(sorted_values) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def binom_two_sided(k: int, n: int) -> float:
    """Exact two-sided binomial test of k successes in n at p = 1/2.

    >>> binom_two_sided(0, 5), binom_two_sided(1, 2)
    (0.0625, 1.0)
    """
    if n == 0:
        return 1.0
    tail = sum(comb(n, i) for i in range(min(k, n - k) + 1)) / (1 << n)  # 2 ** n, as an int
    return min(1.0, 2 * tail)


def mcnemar(ok: list[RunRecord]) -> dict[str, Any]:
    """Exact McNemar test on runs paired by (scenario, epoch): b = on passed and off failed,
    c = the reverse; p = two-sided binomial of min(b, c) in b + c."""
    by_pair: dict[tuple[str, int], dict[str, bool]] = defaultdict(dict)
    for r in ok:
        by_pair[(r.scenario.id, r.epoch)][r.skills] = r.status == "pass"
    pairs = [v for v in by_pair.values() if len(v) == 2]
    b = sum(1 for v in pairs if v["on"] and not v["off"])
    c = sum(1 for v in pairs if v["off"] and not v["on"])
    return {"pairs": len(pairs), "on_only": b, "off_only": c,
            "p_value": round(binom_two_sided(min(b, c), b + c), 6)}


def sign_test(diffs: list[float]) -> dict[str, Any]:
    positive = sum(1 for d in diffs if d > 0)
    negative = sum(1 for d in diffs if d < 0)
    return {"positive": positive, "negative": negative, "ties": len(diffs) - positive - negative,
            "p_value": round(binom_two_sided(min(positive, negative), positive + negative), 6)}


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k runs drawn from n (c passing) passes.

    >>> pass_at_k(5, 2, 1), pass_at_k(5, 2, 4), pass_at_k(5, 0, 3)
    (0.4, 1.0, 0.0)
    """
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """Probability that all of k runs drawn from n (c passing) pass.

    >>> pass_hat_k(5, 4, 2), pass_hat_k(5, 1, 2)
    (0.6, 0.0)
    """
    return comb(c, k) / comb(n, k)


def pass_curve(scenarios: list[dict[str, Any]], arm: str,
               fn: Callable[[int, int, int], float]) -> dict[str, float]:
    """Mean over scenarios of fn(n, c, k) for k = 1 .. the fewest runs any scenario has."""
    rows = [(s[f"n_{arm}"], s[f"c_{arm}"]) for s in scenarios if s[f"n_{arm}"]]
    if not rows:
        return {}
    top = min(n for n, _ in rows)
    return {str(k): round(mean([fn(n, c, k) for n, c in rows]), 4) for k in range(1, top + 1)}


def arm_summary(ok: list[RunRecord], everything: list[RunRecord]) -> dict[str, Any]:
    passed = sum(1 for r in ok if r.status == "pass")
    return {"runs": len(everything), "scored": len(ok), "pass": passed,
            "fail": len(ok) - passed, "errors": len(everything) - len(ok),
            "pass_rate": round(passed / len(ok), 4) if ok else None,
            "tokens_mean": _mean_of(ok, lambda r: r.tokens.total),
            "cost_mean_usd": _mean_of(ok, lambda r: r.cost_usd)}


def ratios(ok: list[RunRecord], value: Callable[[RunRecord], float | None]) -> dict[str, Any]:
    """Mean of `value` with skills on divided by the mean with skills off, over all scored
    runs and over resolved (passing) runs only."""
    def ratio(rs: list[RunRecord]) -> float | None:
        on = _mean_of([r for r in rs if r.skills == "on"], value)
        off = _mean_of([r for r in rs if r.skills == "off"], value)
        return round(on / off, 4) if on is not None and off else None
    return {"all": ratio(ok), "resolved": ratio([r for r in ok if r.status == "pass"])}


def _mean_of(recs: list[RunRecord],
             value: Callable[[RunRecord], float | None]) -> float | None:
    values = [v for v in (value(r) for r in recs) if v is not None]
    return round(mean(values), 6) if values else None
