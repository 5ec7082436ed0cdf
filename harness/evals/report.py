"""`k8s-skills report`: summary.json, junit.xml and report.html rebuilt from the records.

Several run folders can be combined (e.g. a skills-on and a skills-off run) and are then
compared side by side. The HTML is one file: inline SVG charts, no network assets.
"""
from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from harness.evals import records
from harness.evals.report_runs import CONTROL_NOTES, runs_section
from harness.evals.summary import arm, junit_xml, summarize
from harness.evals.model import RunRecord

COLORS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#ef6c00"}
ARM_COLORS = ["#1565c0", "#8e24aa", "#00897b", "#6d4c41", "#546e7a", "#f9a825"]


def write_reports(run_dirs: list[Path], out_dir: Path | None = None) -> dict[str, Any]:
    """Read every record of `run_dirs`, write the three reports into `out_dir`
    (default: the first run folder); returns the summary."""
    recs: list[RunRecord] = []
    for run_dir in run_dirs:
        recs += records.read_run(run_dir)
    out_dir = Path(out_dir or run_dirs[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    run_id = " + ".join(Path(d).name for d in run_dirs)
    manifest = _manifest(run_dirs[0]) if len(run_dirs) == 1 else None
    summary = summarize(recs, run_id, manifest)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    (out_dir / "junit.xml").write_text(junit_xml(recs, run_id))
    (out_dir / "report.html").write_text(render_html(recs, summary))
    return summary


def _manifest(run_dir: Path) -> dict[str, Any] | None:
    from harness.evals import plan
    try:
        return plan.read_manifest(run_dir)
    except (FileNotFoundError, ValueError):
        return None


def render_html(recs: list[RunRecord], summary: dict[str, Any]) -> str:
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>k8s-skills eval "
             f"{e(str(summary['run_id']))}</title><style>{CSS}</style></head><body>",
             f"<h1>k8s-skills eval <small>{e(str(summary['run_id']))}</small></h1>"]
    if summary["scripted"]:
        parts.append("<p class='banner'>SCRIPTED: some runs replayed scripted turns from a "
                     "local fake Anthropic API. They test the harness's code paths and are "
                     "not a model's result.</p>")
    for agent in sorted({r.agent for r in recs} & {"reference", "none", "replay"}):
        parts.append(f"<p class='banner'>{html.escape(CONTROL_NOTES[agent])}</p>")
    parts.append(_cards(summary))
    for comparison in summary.get("comparison") or []:
        parts.append(_comparison(comparison))
    if summary.get("validation"):
        parts.append(_validation(summary["validation"]))
    parts.append("<div class='charts'>")
    parts.append(_stacked("Pass rate by area", summary["by_area"]))
    parts.append(_stacked("Pass rate by difficulty", summary["by_difficulty"]))
    parts.append(_grouped("Skills on vs off: pass rate by area", recs))
    parts.append(_per_resolved(recs))
    parts.append("</div>")
    parts.append(runs_section(recs))
    parts.append("</body></html>\n")
    return "".join(parts)


CSS = """body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1 small{color:#777;
font-weight:normal}.banner{background:#fff3e0;border:1px solid #ef6c00;padding:8px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;
padding:8px 14px}.card b{display:block;font-size:20px}.charts{display:flex;flex-wrap:wrap;
gap:24px;margin:18px 0}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px
solid #eee;padding:4px 6px;text-align:left;vertical-align:top}.pass{color:#2e7d32}
.fail{color:#c62828}.error{color:#ef6c00}.ok{color:#2e7d32}.broken{color:#c62828}
pre{white-space:pre-wrap;background:#f7f7f7;padding:6px;max-height:300px;overflow:auto}
svg text{font:12px system-ui,sans-serif}.arms{display:flex;gap:12px;align-items:flex-start}
.arm{flex:1;min-width:0;border:1px solid #eee;border-radius:6px;padding:6px}
.scenario{margin:14px 0;border-top:2px solid #ddd}.timeline td{font-size:12px}
.timeline pre{max-height:180px}.step.assistant td{background:#f3f8ff}.step.skill td{background:#f6fff3}
.guard{border-radius:3px;padding:0 4px;background:#eee}.guard.ask,.guard.deny{background:#ffe0e0}
.facts th{width:110px;color:#555}.hint{color:#777}.say{white-space:pre-wrap}
.cmp td,.cmp th{text-align:right}.cmp td:first-child,.cmp th:first-child{text-align:left}"""


def _comparison(c: dict[str, Any]) -> str:
    """Skills on vs off for one agent and model: the headline with its interval, the
    paired tests, pass@k / pass^k, ratios, and the per-scenario rates."""
    on, off = c["arms"]["on"], c["arms"]["off"]
    scripted = " (SCRIPTED)" if c["scripted"] else ""
    head = (f"<h2>Skills on vs off: {html.escape(c['agent'])} {html.escape(str(c['model']))}"
            f"{scripted}</h2>")
    if c["mean_difference"] is None:
        return head + "<p>No scenario has scored runs in both arms yet.</p>"
    low, high = c["ci95"]
    lines = [f"<p><b>{c['mean_difference']:+.1%}</b> mean paired difference in pass rate over "
             f"{c['scenarios_paired']} scenarios (95% CI {low:+.1%} .. {high:+.1%}, bootstrap "
             f"of {c['bootstrap']['resamples']:,} resamples of scenarios). Pass rate "
             f"{_rate(on['pass_rate'])} with skills, {_rate(off['pass_rate'])} without "
             f"({on['scored']} and {off['scored']} scored runs; errors left out: "
             f"{on['errors']} and {off['errors']}).</p>",
             f"<p>McNemar exact p = {c['mcnemar']['p_value']:.3g} ({c['mcnemar']['on_only']} "
             f"runs pass only with skills, {c['mcnemar']['off_only']} only without, of "
             f"{c['mcnemar']['pairs']} pairs); sign test over scenarios p = "
             f"{c['sign_test']['p_value']:.3g}. Tokens on/off {_ratio(c['token_ratio']['all'])}"
             f" (resolved runs {_ratio(c['token_ratio']['resolved'])}), cost on/off "
             f"{_ratio(c['cost_ratio']['all'])} (resolved "
             f"{_ratio(c['cost_ratio']['resolved'])}).</p>"]
    ks = sorted(set(c["pass_at_k"]["on"]) | set(c["pass_at_k"]["off"]), key=int)
    curve = "".join(f"<tr><td>k={k}</td>" + "".join(
        f"<td>{_rate(c[m][a].get(k))}</td>" for m in ("pass_at_k", "pass_hat_k")
        for a in ("on", "off")) + "</tr>" for k in ks)
    lines.append("<table class='cmp'><tr><th></th><th>pass@k on</th><th>pass@k off</th>"
                 f"<th>pass^k on</th><th>pass^k off</th></tr>{curve}</table>")
    rows = "".join(f"<tr><td>{html.escape(s['area'])}/{html.escape(s['scenario'])}</td>"
                   f"<td>{_rate(s['p_on'])} ({s['c_on']}/{s['n_on']})</td>"
                   f"<td>{_rate(s['p_off'])} ({s['c_off']}/{s['n_off']})</td>"
                   f"<td>{_diff(s)}</td><td>{s['errors_on']} / {s['errors_off']}</td></tr>"
                   for s in c["scenarios"])
    lines.append("<table class='cmp'><tr><th>scenario</th><th>p(on)</th><th>p(off)</th>"
                 f"<th>difference</th><th>errors on / off</th></tr>{rows}</table>")
    return head + "".join(lines)


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _diff(row: dict[str, Any]) -> str:
    if row["p_on"] is None or row["p_off"] is None:
        return "-"
    return f"{row['p_on'] - row['p_off']:+.0%}"


def _cards(s: dict[str, Any]) -> str:
    items = [("runs", s["total"]), ("pass", s["pass"]), ("fail", s["fail"]),
             ("error", s["error"]),
             ("pass rate", f"{s['pass_rate']:.0%}" if s["pass_rate"] is not None else "-"),
             ("tokens / resolved", s["tokens_per_resolved"] or "-"),
             ("cost / resolved", f"${s['cost_per_resolved_usd']:.3f}"
              if s["cost_per_resolved_usd"] is not None else "-"),
             ("isolation overhead", f"{s['isolation_overhead_mean_seconds']}s"
              if s["isolation_overhead_mean_seconds"] is not None else "-")]
    return "<div class='cards'>" + "".join(
        f"<div class='card'>{html.escape(k)}<b>{html.escape(str(v))}</b></div>"
        for k, v in items) + "</div>"


def _validation(v: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{html.escape(sid)}</td><td class='{x['verdict']}'>{x['verdict']}"
                   f"</td><td>{x['none']}</td><td>{x['reference']}</td>"
                   f"<td>{html.escape(x.get('dodge', '-'))}</td><td>"
                   f"{html.escape(x['reason'])}</td></tr>" for sid, x in v["scenarios"].items())
    return (f"<h2>Control runs: {v['ok']} ok, {len(v['broken'])} broken, {len(v['error'])} "
            f"error</h2><table><tr><th>scenario</th><th>verdict</th><th>none</th>"
            f"<th>reference</th><th>dodge</th><th>why</th></tr>{rows}</table>")


def _stacked(title: str, groups: dict[str, Any]) -> str:
    """Horizontal stacked bars (pass/fail/error share) per group."""
    width, bar, label_w = 420, 22, 130
    height = 40 + bar * 1.5 * max(1, len(groups))
    out = [f"<svg width='{width}' height='{height:.0f}' role='img' aria-label='{title}'>",
           f"<text x='0' y='16' font-weight='bold'>{html.escape(title)}</text>"]
    for i, (name, g) in enumerate(groups.items()):
        y, x = 30 + i * bar * 1.5, label_w
        out.append(f"<text x='0' y='{y + 15:.0f}'>{html.escape(name)[:20]}</text>")
        for status in ("pass", "fail", "error"):
            w = (width - label_w - 50) * g[status] / max(1, g["total"])
            if w:
                out.append(f"<rect x='{x:.1f}' y='{y:.0f}' width='{w:.1f}' height='{bar}' "
                           f"fill='{COLORS[status]}'><title>{status}: {g[status]}</title></rect>")
            x += w
        out.append(f"<text x='{x + 4:.0f}' y='{y + 15:.0f}'>{g['pass']}/{g['total']}</text>")
    return "".join(out) + "</svg>"


def _grouped(title: str, recs: list[RunRecord]) -> str:
    """Vertical bars: pass rate per area, one bar per arm (skills on/off side by side)."""
    arms = sorted({arm(r) for r in recs})
    areas = sorted({r.scenario.area for r in recs})
    rate: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in recs:
        cell = rate[(r.scenario.area, arm(r))]
        cell[0] += r.status == "pass"
        cell[1] += 1
    bw, gap, plot_h, top = 16, 18, 140, 30
    slot = max(len(arms) * bw + gap, 120)  # room for a 16-character area label
    width = max(420, 40 + len(areas) * slot)
    height = top + plot_h + 40 + 16 * len(arms)
    out = [f"<svg width='{width}' height='{height}' role='img' aria-label='{title}'>",
           f"<text x='0' y='16' font-weight='bold'>{html.escape(title)}</text>"]
    for i, area in enumerate(areas):
        x0 = 30 + i * slot
        for j, name in enumerate(arms):
            passed, total = rate[(area, name)]
            if not total:
                continue
            h = plot_h * passed / total
            out.append(f"<rect x='{x0 + j * bw}' y='{top + plot_h - h:.1f}' width='{bw - 2}' "
                       f"height='{h:.1f}' fill='{ARM_COLORS[j % len(ARM_COLORS)]}'><title>"
                       f"{html.escape(area)} / {html.escape(name)}: {passed}/{total}"
                       "</title></rect>")
        out.append(f"<text x='{x0}' y='{top + plot_h + 14}'>{html.escape(area[:16])}</text>")
    for j, name in enumerate(arms):
        y = top + plot_h + 32 + 16 * j
        out.append(f"<rect x='0' y='{y - 10}' width='10' height='10' "
                   f"fill='{ARM_COLORS[j % len(ARM_COLORS)]}'/><text x='14' y='{y}'>"
                   f"{html.escape(name)}</text>")
    return "".join(out) + "</svg>"


def _per_resolved(recs: list[RunRecord]) -> str:
    """Tokens and cost per resolved fault, per arm."""
    rows = []
    for name in sorted({arm(r) for r in recs}):
        group = [r for r in recs if arm(r) == name]
        resolved = sum(r.status == "pass" for r in group)
        tokens = sum(r.tokens.total for r in group)
        costs = [r.cost_usd for r in group if r.cost_usd is not None]
        rows.append((name, tokens / resolved if resolved else 0,
                     sum(costs) / resolved if resolved and costs else 0, resolved))
    top = max([t for _, t, _, _ in rows] + [1])
    width, label_w, bar = 460, 170, 18
    out = [f"<svg width='{width}' height='{40 + 2 * bar * 1.4 * len(rows):.0f}' role='img' "
           "aria-label='tokens and cost per resolved fault'>",
           "<text x='0' y='16' font-weight='bold'>Tokens and cost per resolved fault</text>"]
    for i, (name, per_fault, cost, resolved) in enumerate(rows):
        y = 30 + i * 2 * bar * 1.4
        w = (width - label_w - 120) * per_fault / top
        out.append(f"<text x='0' y='{y + 13:.0f}'>{html.escape(name)[:26]}</text>"
                   f"<rect x='{label_w}' y='{y:.0f}' width='{w:.1f}' height='{bar}' "
                   f"fill='#1565c0'/><text x='{label_w + w + 4:.0f}' y='{y + 13:.0f}'>"
                   f"{per_fault:,.0f} tok, ${cost:.3f} ({resolved} resolved)</text>")
    return "".join(out) + "</svg>"
