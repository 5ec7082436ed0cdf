"""`k8s-skills report`: summary.json, junit.xml and report.html rebuilt from the records.

Several run folders can be combined (e.g. a skills-on and a skills-off run) and are then
compared side by side. The HTML is one file: inline SVG charts, no network assets.
"""
from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path

from harness.evals import records
from harness.evals.summary import arm, junit_xml, summarize

COLORS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#ef6c00"}
ARM_COLORS = ["#1565c0", "#8e24aa", "#00897b", "#6d4c41", "#546e7a", "#f9a825"]


def write_reports(run_dirs: list[Path], out_dir: Path | None = None) -> dict:
    """Read every record of `run_dirs`, write the three reports into `out_dir`
    (default: the first run folder); returns the summary."""
    recs: list[dict] = []
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


def _manifest(run_dir: Path) -> dict | None:
    from harness.evals import plan
    try:
        return plan.read_manifest(run_dir)
    except (FileNotFoundError, ValueError):
        return None


def render_html(recs: list[dict], summary: dict) -> str:
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>k8s-skills eval "
             f"{e(str(summary['run_id']))}</title><style>{CSS}</style></head><body>",
             f"<h1>k8s-skills eval <small>{e(str(summary['run_id']))}</small></h1>"]
    if summary["scripted"]:
        parts.append("<p class='banner'>SCRIPTED: some runs replayed scripted turns from a "
                     "local fake Anthropic API. They test the harness's code paths and are "
                     "not a model's result.</p>")
    parts.append(_cards(summary))
    if summary.get("validation"):
        parts.append(_validation(summary["validation"]))
    parts.append("<div class='charts'>")
    parts.append(_stacked("Pass rate by area", summary["by_area"]))
    parts.append(_stacked("Pass rate by difficulty", summary["by_difficulty"]))
    parts.append(_grouped("Skills on vs off: pass rate by area", recs))
    parts.append(_per_resolved(recs))
    parts.append("</div>")
    parts.append(_table(recs))
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
svg text{font:12px system-ui,sans-serif}"""


def _cards(s: dict) -> str:
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


def _validation(v: dict) -> str:
    rows = "".join(f"<tr><td>{html.escape(sid)}</td><td class='{x['verdict']}'>{x['verdict']}"
                   f"</td><td>{x['none']}</td><td>{x['reference']}</td><td>"
                   f"{html.escape(x['reason'])}</td></tr>" for sid, x in v["scenarios"].items())
    return (f"<h2>Control runs: {v['ok']} ok, {len(v['broken'])} broken, {len(v['error'])} "
            f"error</h2><table><tr><th>scenario</th><th>verdict</th><th>none</th>"
            f"<th>reference</th><th>why</th></tr>{rows}</table>")


def _stacked(title: str, groups: dict) -> str:
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


def _grouped(title: str, recs: list[dict]) -> str:
    """Vertical bars: pass rate per area, one bar per arm (skills on/off side by side)."""
    arms = sorted({arm(r) for r in recs})
    areas = sorted({r["scenario"]["area"] for r in recs})
    rate: dict = defaultdict(lambda: [0, 0])
    for r in recs:
        cell = rate[(r["scenario"]["area"], arm(r))]
        cell[0] += r["status"] == "pass"
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


def _per_resolved(recs: list[dict]) -> str:
    """Tokens and cost per resolved fault, per arm."""
    rows = []
    for name in sorted({arm(r) for r in recs}):
        group = [r for r in recs if arm(r) == name]
        resolved = sum(r["status"] == "pass" for r in group)
        tokens = sum(r["tokens"]["input"] + r["tokens"]["output"] for r in group)
        costs = [r["cost_usd"] for r in group if r.get("cost_usd") is not None]
        rows.append((name, tokens / resolved if resolved else 0,
                     sum(costs) / resolved if resolved and costs else 0, resolved))
    top = max([t for _, t, _, _ in rows] + [1])
    width, label_w, bar = 460, 170, 18
    out = [f"<svg width='{width}' height='{40 + 2 * bar * 1.4 * len(rows):.0f}' role='img' "
           "aria-label='tokens and cost per resolved fault'>",
           "<text x='0' y='16' font-weight='bold'>Tokens and cost per resolved fault</text>"]
    for i, (name, tokens, cost, resolved) in enumerate(rows):
        y = 30 + i * 2 * bar * 1.4
        w = (width - label_w - 120) * tokens / top
        out.append(f"<text x='0' y='{y + 13:.0f}'>{html.escape(name)[:26]}</text>"
                   f"<rect x='{label_w}' y='{y:.0f}' width='{w:.1f}' height='{bar}' "
                   f"fill='#1565c0'/><text x='{label_w + w + 4:.0f}' y='{y + 13:.0f}'>"
                   f"{tokens:,.0f} tok, ${cost:.3f} ({resolved} resolved)</text>")
    return "".join(out) + "</svg>"


def _table(recs: list[dict]) -> str:
    e = html.escape
    rows = []
    for r in recs:
        details = "".join(f"<div class='{c['status']}'>{c['status']} {e(c['check'])}: "
                          f"{e(str(c['detail']))}</div>"
                          for c in r["checks"] + r["safeguards"] + r["expect"])
        commands = "\n".join(f"$ {c['command']}\n{c.get('output', '')[:800]}"
                             for c in r["transcript"] if c.get("type") == "command")
        rows.append(
            f"<tr><td>{e(r['scenario']['area'])}/{e(r['scenario']['id'])}</td>"
            f"<td>{e(arm(r))}</td>"
            f"<td class='{r['status']}'>{r['status']}</td><td>{r['wall_seconds']}s</td>"
            f"<td>{r['tokens']['input'] + r['tokens']['output']}</td><td>{r['turns']}</td>"
            f"<td><details><summary>{e(r['reason'][:160])}</summary>{details}"
            f"<pre>{e(commands) or '(no commands)'}</pre>"
            f"<pre>{e(r.get('answer') or '')}</pre></details></td></tr>")
    return ("<h2>Runs</h2><table><tr><th>scenario</th><th>agent</th><th>status</th>"
            "<th>wall</th><th>tokens</th><th>turns</th><th>details</th></tr>"
            + "".join(rows) + "</table>")
