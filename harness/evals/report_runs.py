"""The runs part of report.html: each run as a timeline, the arms of a scenario side by side.

A timeline row is one step: what the assistant said (and its tokens), each tool call with
its input and output, skill loads, the guard's verdict on each command, and the seconds
each step took. Control runs carry a banner: they validate scenarios, they are not a model.
"""
from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any

from harness.evals.model import RunRecord
from harness.evals.summary import arm

CONTROL_NOTES = {
    "reference": "reference agent: validates the scenarios, not a model result",
    "none": "none agent: the fault left alone to prove it is real, not a model result",
    "replay": "replay: a recorded transcript re-run, not a new model result",
}
e = html.escape


def runs_section(recs: list[RunRecord]) -> str:
    """One block per scenario; its arms (agent, skills on/off) in columns, epochs stacked."""
    by_scenario: dict[str, list[RunRecord]] = defaultdict(list)
    for r in recs:
        by_scenario[f"{r.scenario.area}/{r.scenario.id}"].append(r)
    parts = ["<h2>Runs</h2><p class='hint'>Each run as a timeline; the arms of one scenario "
             "side by side. Click a run to open it.</p>"]
    for name, group in sorted(by_scenario.items()):
        columns: dict[str, list[RunRecord]] = defaultdict(list)
        for r in sorted(group, key=lambda r: (arm(r), r.epoch)):
            columns[arm(r)].append(r)
        cells = "".join(f"<div class='arm'><h4>{e(title)}</h4>"
                        + "".join(run_block(r) for r in runs) + "</div>"
                        for title, runs in sorted(columns.items()))
        title = group[0].scenario.title
        parts.append(f"<section class='scenario'><h3>{e(name)} <small>{e(title)}</small></h3>"
                     f"<div class='arms'>{cells}</div></section>")
    return "".join(parts)


def run_block(r: RunRecord) -> str:
    cost = f", ${r.cost_usd:.4f}" if r.cost_usd is not None else ""
    summary = (f"<span class='{r.status}'>{r.status}</span> epoch "
               f"{r.epoch}: {r.wall_seconds}s, "
               f"{r.tokens.total:,} tokens{cost}, {r.turns} turns"
               + (f", stop {e(str(r.stop))}" if r.stop else ""))
    banner = CONTROL_NOTES.get(r.agent)
    body = [f"<p class='banner'>{e(banner)}</p>"] if banner else []
    if r.scripted:
        body.append("<p class='banner'>SCRIPTED: turns from a local fake Anthropic API, not a "
                    "model's result</p>")
    body.append(f"<p>{e(r.reason)}</p>")
    body.append(_facts(r))
    body.append(timeline(r))
    body.append(_results(r))
    if r.answer:
        body.append(f"<h5>Final answer</h5><pre>{e(r.answer)}</pre>")
    return f"<details class='run'><summary>{summary}</summary>{''.join(body)}</details>"


def _facts(r: RunRecord) -> str:
    rows = []
    if r.skills_offered or r.skills_discovered:
        rows.append(("skills", e(f"offered {', '.join(r.skills_offered or []) or 'none'}"
                                 f"; loaded {', '.join(r.skills_loaded or []) or 'none'}")))
    triggers = r.skill_triggers
    if triggers:
        rows.append(("skill loads", e(f"precision {triggers['precision']}, recall "
                                      f"{triggers['recall']}, forbidden loaded "
                                      f"{', '.join(triggers['forbidden_loaded']) or 'none'}")))
    t = r.tokens
    if t.total:
        rows.append(("tokens", f"uncached input {t.input:,}, cache read {t.cache_read:,}, "
                               f"cache write {t.cache_write:,}, output {t.output:,}"))
    ins = r.instructions or {}
    if ins:
        files = ", ".join(f"<a href='{e(v['file'])}'>{k}</a>" for k, v in ins.items()
                          if isinstance(v, dict) and v.get("file"))
        rows.append(("instructions", f"{e(str(ins.get('mode')))}; tools "
                     f"{e(', '.join(ins.get('tool_names') or []))}" + (f"; {files}" if files
                                                                       else "")))
    guard = r.guard or {}
    if guard:
        flagged = sum(1 for v in guard.get("verdicts", []) if v.get("decision") != "allow")
        rows.append(("guard", f"{e(guard.get('mode', ''))}: {len(guard.get('verdicts', []))} "
                              f"verdicts, {flagged} not allow; denials "
                              f"{len(r.permission_denials or [])}"))
    if r.access:
        rows.append(("identity", e(r.access["user"])))
    if r.error:
        rows.append(("error", e(r.error)))
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table class='facts'>{cells}</table>" if cells else ""


def timeline(r: RunRecord) -> str:
    rows = []
    for entry in r.transcript or []:
        if entry.get("type") == "guard" and entry.get("tool") == "Bash" \
                and not entry.get("blocked"):
            continue  # the command's own row carries the verdict
        rows.append(_step(entry))
    if not rows:
        return "<p>(no steps)</p>"
    return ("<table class='timeline'><tr><th>t (s)</th><th>step</th><th>what</th>"
            "<th>tokens</th><th>s</th></tr>" + "".join(rows) + "</table>")


def _step(entry: dict[str, Any]) -> str:
    kind = entry.get("type", "?")
    t = entry.get("t")
    tokens = entry.get("tokens")
    token_text = (f"{tokens['total']:,}<br><small>in {tokens['input']:,} / read "
                  f"{tokens['cache_read']:,} / write {tokens['cache_write']:,} / out "
                  f"{tokens['output']:,}</small>") if tokens else ""
    seconds = entry.get("seconds")
    what = _what(kind, entry)
    return (f"<tr class='step {e(kind)}'><td>{'' if t is None else t}</td><td>{e(kind)}</td>"
            f"<td>{what}</td><td>{token_text}</td>"
            f"<td>{'' if seconds is None else seconds}</td></tr>")


def _what(kind: str, entry: dict[str, Any]) -> str:
    if kind in ("assistant", "thinking"):
        return f"<div class='say'>{e(entry.get('text', ''))}</div>"
    if kind == "command":
        guard = entry.get("guard")
        badge = ""
        if guard:
            label = "blocked" if guard.get("blocked") else guard.get("decision", "")
            badge = (f"<span class='guard {e(str(guard.get('decision')))}'>guard: {e(label)} "
                     f"({e(str(guard.get('class', '')))})</span> "
                     f"<small>{e('; '.join(guard.get('reasons') or []))}</small>")
        code = entry.get("exit_code")
        return (f"<code>$ {e(entry.get('command', ''))}</code> {badge}"
                f"<div>exit {'-' if code is None else code}</div>"
                f"<pre>{e((entry.get('output') or '')[:3000])}</pre>")
    if kind == "skill":
        found = "" if entry.get("found", True) else " (not found)"
        return f"loaded skill <b>{e(entry.get('name', ''))}</b> via {e(str(entry.get('via', '')))}" \
               f"{found}"
    if kind == "tool":
        args = json.dumps(entry.get("input"), indent=1)[:1500]
        return (f"<b>{e(entry.get('name', ''))}</b><pre>{e(args)}</pre>"
                f"<pre>{e((entry.get('output') or '')[:2000])}</pre>")
    if kind == "guard":
        label = "blocked" if entry.get("blocked") else entry.get("decision", "")
        return (f"<span class='guard {e(str(entry.get('decision')))}'>guard: {e(label)} "
                f"({e(str(entry.get('class', '')))})</span> "
                f"<code>{e(entry.get('command', ''))}</code> "
                f"<small>{e(entry.get('explanation') or '; '.join(entry.get('reasons') or []))}"
                f"</small>")
    if kind == "model_turn":
        return "(tool calls only)"
    return e(json.dumps({k: v for k, v in entry.items() if k not in ("type", "t")})[:500])


def _results(r: RunRecord) -> str:
    rows = "".join(f"<div class='{c.status}'>{c.status} {e(c.check)}: {e(c.detail)}</div>"
                   for c in r.checks + r.safeguards + r.expect)
    judged = r.judge
    if judged:
        rows += (f"<div>judge {e(str(judged.get('model', '')))}: "
                 f"<b>{e(str(judged.get('verdict')))}</b> {e(str(judged.get('reasoning') or judged.get('why') or ''))}"
                 "</div>")
    return f"<h5>Checks</h5>{rows}" if rows else ""
