"""The run summary as a reader sees it in a terminal (built from summary.json only)."""
from __future__ import annotations

from typing import Any

def text_summary(s: dict[str, Any]) -> str:
    scripted = "; SCRIPTED, not a model result" if s["scripted"] else ""
    lines = [f"{s['pass']}/{s['total']} passed, {s['fail']} failed, {s['error']} errors "
             f"(agents: {', '.join(s['agents'])}{scripted})"]
    v = s.get("validation")
    if v:
        lines.append(f"control runs: {v['ok']} scenarios ok, broken: "
                     f"{', '.join(v['broken']) or 'none'}, "
                     f"error: {', '.join(v['error']) or 'none'}")
        for sid, x in v["scenarios"].items():
            if x["verdict"] != "ok":
                lines.append(f"  {x['verdict']}: {sid}: {x['reason']}")
    for c in s.get("comparison") or []:
        lines += comparison_lines(c)
    t = s.get("skill_triggers")
    if t:
        lines.append(f"skill loads vs expected_skills ({t['runs']} runs): precision "
                     f"{_num(t['precision'])}, recall {_num(t['recall'])}, forbidden loaded "
                     f"{t['forbidden_loaded']}")
    for r in s["results"]:
        if r["status"] != "pass" and not v:
            lines.append(f"  {r['status']}: {r['area']}/{r['scenario']} ({r['agent']}, skills "
                         f"{r['skills']}): {r['reason'][:160]}")
    return "\n".join(lines)


def comparison_lines(c: dict[str, Any]) -> list[str]:
    on, off = c["arms"]["on"], c["arms"]["off"]
    tag = " (SCRIPTED)" if c["scripted"] else ""
    lines = [f"skills on vs off, {c['agent']} {c['model']}{tag}: pass rate "
             f"{_pct(on['pass_rate'])} vs {_pct(off['pass_rate'])} over {c['scenarios_paired']} "
             f"scenarios ({on['scored']} + {off['scored']} scored runs; errors left out: "
             f"{on['errors']} + {off['errors']})"]
    if c["mean_difference"] is not None:
        low, high = c["ci95"]
        lines.append(f"  mean paired difference {c['mean_difference']:+.1%} "
                     f"(95% CI {low:+.1%} .. {high:+.1%}, bootstrap over scenarios); "
                     f"McNemar p={c['mcnemar']['p_value']:.3g} "
                     f"({c['mcnemar']['on_only']} runs pass only with skills, "
                     f"{c['mcnemar']['off_only']} only without); sign test "
                     f"p={c['sign_test']['p_value']:.3g}")
    lines.append(f"  tokens on/off {_num(c['token_ratio']['all'])} (resolved runs "
                 f"{_num(c['token_ratio']['resolved'])}), cost on/off "
                 f"{_num(c['cost_ratio']['all'])} (resolved {_num(c['cost_ratio']['resolved'])})")
    return lines


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
