"""The skill-trigger suite: the prompt set, the scoring (checked by hand), and one scripted
pass through the real Claude Code CLI on the fake API (a keyword router, not a model)."""
from __future__ import annotations

import json

import pytest

from harness.cli import main
from harness.evals import triggers
from harness.skillpack import skills as skillpack

SKILLS = ["k8s-dra", "k8s-kueue", "k8s-troubleshooting"]


def _r(expect, loaded, accept=(), status="ok", kind="near-miss"):
    return {"id": "x", "kind": kind, "expect": list(expect), "accept": list(accept),
            "loaded": list(loaded), "status": status}


def test_prompt_set_is_large_varied_and_names_real_skills():
    items = triggers.load()
    assert len(items) >= 150 and len({i.id for i in items}) == len(items)
    kinds = {k: sum(1 for i in items if i.kind == k) for k in triggers.KINDS}
    assert kinds["near-miss"] >= 20 and kinds["none"] >= 20 and kinds["paraphrase"] >= 50
    names = {s.name for s in skillpack.discover()}
    for item in items:
        assert set(item.expect) | set(item.accept) <= names, item.id
        assert len(item.expect) <= 1 or item.kind == "direct"
    # every neighbouring pair the issue names has near-misses on both sides
    pending = [i for i in items if i.id.startswith("nm-pending")]
    assert {s for i in pending for s in i.expect} >= {"k8s-kueue", "k8s-dra",
                                                       "k8s-troubleshooting"}


def test_scoring_by_hand():
    results = [
        _r(["k8s-kueue"], ["k8s-kueue"]),                        # right
        _r(["k8s-kueue"], ["k8s-troubleshooting"]),              # confused with troubleshooting
        _r(["k8s-dra"], ["k8s-dra", "k8s-troubleshooting"],      # right, extra load accepted
           accept=["k8s-troubleshooting"]),
        _r(["k8s-dra"], []),                                     # missed
        _r([], ["k8s-kueue"], kind="none"),                      # loaded where none fits
        _r([], [], kind="none"),                                 # right: none
        _r(["k8s-kueue"], [], status="error"),                   # left out
    ]
    summary = triggers.score(results, SKILLS)
    # kueue: tp 1 (first), fp 1 (the none prompt), fn 1 (the confused one):
    #   precision 1/2, recall 1/2.  dra: tp 1, fp 0, fn 1: precision 1, recall 1/2.
    #   troubleshooting: tp 0, fp 1 (the confused one; the accepted one is not an fp).
    assert summary["per_skill"]["k8s-kueue"] == {"tp": 1, "fp": 1, "fn": 1,
                                                 "precision": 0.5, "recall": 0.5}
    assert summary["per_skill"]["k8s-dra"] == {"tp": 1, "fp": 0, "fn": 1,
                                               "precision": 1.0, "recall": 0.5}
    assert summary["per_skill"]["k8s-troubleshooting"] == {"tp": 0, "fp": 1, "fn": 0,
                                                           "precision": 0.0, "recall": None}
    assert (summary["scored"], summary["errors"], summary["exact"]) == (6, 1, 3)
    assert summary["confusion"] == {
        "k8s-kueue": {"k8s-kueue": 1, "k8s-troubleshooting": 1},
        "k8s-dra": {"k8s-dra": 1, "(none)": 1},
        "(none)": {"k8s-kueue": 1, "(none)": 1}}
    assert summary["by_kind"]["none"] == {"prompts": 2, "exact": 1, "rate": 0.5}
    text = triggers.render(summary, SKILLS, scripted=True)
    assert text.startswith("SCRIPTED") and "confusion" in text


@pytest.mark.timeout(900)
def test_scripted_trigger_run_through_claude_code(tmp_path, capsys):
    code = main(["eval", "--triggers", "--scripted", "-k", "nm-pending", "--parallel", "3",
                 "--trigger-turns", "2", "--results", str(tmp_path), "--run-id", "t"])
    assert code == 0
    out = json.loads((tmp_path / "t" / "triggers.json").read_text())
    assert out["scripted"] is True and out["summary"]["errors"] == 0
    by_id = {r["id"]: r for r in out["results"]}
    # the keyword router reads the prompt only (not the skill listing Claude Code sends
    # beside it), and falls for the near-miss that says "no kueue"
    assert by_id["nm-pending-kueue"]["loaded"] == ["k8s-kueue"]          # "workload"
    assert by_id["nm-pending-taint"]["loaded"] == []                      # no keyword
    assert by_id["nm-pending-sched"]["loaded"] == ["k8s-kueue"]           # "no kueue"
    assert out["summary"]["per_skill"]["k8s-kueue"]["fp"] == 1
    assert all(r["offered"] and "k8s-kueue" in r["offered"] for r in out["results"])
    assert "SCRIPTED: a keyword router" in capsys.readouterr().out
