"""Block Kit messages for the thread: the answer with its evidence, proposals with
Approve / Reject buttons, and the outcome of a decision.

Long content is folded, never cut silently: Slack refuses a section whose text is over
3,000 characters and a message of more than 50 blocks (Block Kit reference, "section" and
"Blocks" limits), so each evidence output shows its first lines and says how many more there
are and where the rest is (`k8s-skills agent conversation ID`).
"""
from __future__ import annotations
from typing import Any

from agent.render import SCRIPTED

SECTION_LIMIT = 3000
ANSWER_LIMIT = 2800
EVIDENCE_LINES = 10
EVIDENCE_SHOWN = 4
APPROVE, REJECT = "proposal-approve", "proposal-reject"


def fold(text: str, limit: int, where: str) -> str:
    """`text` within `limit` characters; what is left out is counted and pointed to.

    >>> fold("a" * 10, 20, "x")
    'aaaaaaaaaa'
    >>> folded = fold("line\\n" * 50, 80, "c1")
    >>> folded.count("line"), folded.splitlines()[-1], len(folded) <= 80
    (8, '… 210 more characters folded (c1)', True)
    """
    if len(text) <= limit:
        return text
    note = " more characters folded ({})".format(where)
    head = text[:max(0, limit - len(note) - 8)]
    if "\n" in head:
        head = head[:head.rindex("\n") + 1]
    return f"{head}… {len(text) - len(head)}{note}"


def fold_lines(text: str, lines: int, where: str) -> str:
    rows = text.rstrip("\n").splitlines()
    if len(rows) <= lines:
        return "\n".join(rows)
    return "\n".join(rows[:lines]) + f"\n… {len(rows) - lines} more lines folded ({where})"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def _code(text: str) -> str:
    return "```" + text.replace("```", "ˋˋˋ") + "```"


def answer_message(events: list[tuple[str, dict[str, Any]]], user: str) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for a finished ask: answer first, then the evidence."""
    start = next((d for e, d in events if e == "conversation"), {})
    done = next((d for e, d in events if e == "done"), {})
    errors = [d.get("message", "") for e, d in events if e == "error"]
    conv = done.get("conversation") or start.get("id", "?")
    where = f"`k8s-skills agent conversation {conv}`"
    scripted = bool(done.get("scripted") or start.get("scripted"))
    answer = done.get("answer") or next(
        (d.get("text", "") for e, d in reversed(events) if e == "text"), "")
    blocks = []
    if scripted:
        blocks.append(context(f":robot_face: {SCRIPTED}"))
    if errors:
        blocks.append(section(":warning: " + fold("; ".join(errors), 500, where)))
    blocks.append(section(fold(answer or "_(no answer)_", ANSWER_LIMIT, where)))
    team = [d["specialist"] for e, d in events if e == "delegation"]
    if team:
        blocks.append(context("Answered by the orchestrator with "
                              + ", ".join(f"`{name}`" for name in dict.fromkeys(team))))
    blocks += evidence_blocks([d for e, d in events if e == "evidence"  # proposals: below
                               and d.get("tool") != "Skill"
                               and not d.get("tool", "").endswith("propose_change")], where)
    blocks.append(context(_footer(done, conv, user, start.get("replica"))))
    text = ("[scripted] " if scripted else "") + (answer or "no answer")[:300]
    return text, blocks[:50]


def evidence_blocks(items: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    if not items:
        return [context("No evidence was gathered for this answer.")]
    blocks = [section(f"*Evidence* ({len(items)} tool call{'s' if len(items) != 1 else ''})")]
    for item in items[:EVIDENCE_SHOWN]:
        what = item.get("command") or item.get("tool", "")
        mark = ":no_entry: refused" if item.get("refused") else f"exit {item.get('exit_code')}"
        label = (f"[{item['specialist']}] " if item.get("specialist") else "") + (
            f"{item['skill']} · {item['script']} · " if item.get("script") else "")
        output = fold_lines(item.get("output") or "", EVIDENCE_LINES, where)
        head = f"{label}{mark}\n{_code('$ ' + fold(what, 400, where))}\n"
        blocks.append(section(head + _code(fold(output, SECTION_LIMIT - len(head) - 10,
                                                where) or "(no output)")))
    if len(items) > EVIDENCE_SHOWN:
        blocks.append(context(f"{len(items) - EVIDENCE_SHOWN} more tool calls folded "
                              f"({where})"))
    return blocks


def _footer(done: dict[str, Any], conv: str, user: str, replica: object) -> str:
    tokens = done.get("tokens") or {}
    bits = [f"asked as `{user}`", f"conversation `{conv}`"]
    if replica:
        bits.append(f"replica {replica}")
    if done:
        bits.append(f"{done.get('turns', 0)} turns, {tokens.get('input', 0)} in / "
                    f"{tokens.get('output', 0)} out tokens, model {done.get('model')}")
    return " · ".join(bits)


def proposal_message(proposal: dict[str, Any], scripted: bool) -> tuple[str, list[dict[str, Any]]]:
    """A proposal from the ask stream ({name, summary, target, phase}) with two buttons;
    the buttons carry only the proposal's name: the decision is made by the service."""
    target = proposal.get("target") or {}
    where = f"{target.get('kind')} {target.get('namespace', '') + '/' if target.get('namespace') else ''}{target.get('name')}"
    text = f"Proposal {proposal['name']}: {proposal.get('summary', '')} ({where})"
    blocks = [section(f":memo: *Proposal* `{proposal['name']}` [{proposal.get('phase')}]\n"
                      f"{fold(proposal.get('summary', ''), 1000, 'the proposal')}\n"
                      f"target: {where}"),
              context("Nothing changes until someone allowed to approve does so. Approval "
                      "is decided by the cluster's RBAC (SubjectAccessReview for your "
                      "mapped Kubernetes user), not by Slack. Diff and dry-run: "
                      f"`k8s-skills agent show {proposal['name']}`"
                      + (f"\n{SCRIPTED}" if scripted else "")),
              {"type": "actions", "block_id": f"decide-{proposal['name']}", "elements": [
                  {"type": "button", "action_id": APPROVE, "style": "primary",
                   "text": {"type": "plain_text", "text": "Approve"},
                   "value": proposal["name"]},
                  {"type": "button", "action_id": REJECT, "style": "danger",
                   "text": {"type": "plain_text", "text": "Reject"},
                   "value": proposal["name"]}]}]
    return text, blocks


def decided_message(original: list[dict[str, Any]], view: dict[str, Any], who: str, slack_user: str,
                    approved: bool) -> tuple[str, list[dict[str, Any]]]:
    """The proposal message after a decision: the buttons replaced by who decided."""
    verb = "approved" if approved else "rejected"
    kept = [b for b in original if b.get("type") != "actions"]
    line = (":white_check_mark: *Approved*" if approved else ":x: *Rejected*") + \
        f" by `{who}` (<@{slack_user}>) · phase now {view.get('phase')}"
    reason = (view.get("status") or {}).get("rejectionReason")
    if reason:
        line += f"\nreason: {fold(reason, 500, 'the proposal')}"
    return f"Proposal {view.get('name')} {verb} by {who}", kept + [section(line)]


def refusal(slack_user: str, who: str, action: str, message: str) -> str:
    return f"<@{slack_user}> (`{who}`) cannot {action}: {message}"


def unmapped(slack_user: str, where: str) -> str:
    return (f"<@{slack_user}>: your Slack user `{slack_user}` is not mapped to a Kubernetes "
            f"identity, so nothing was done. An administrator adds `{slack_user}: "
            f"<kubernetes-username>` to {where}.")
