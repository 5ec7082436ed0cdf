"""pass | fail | error from a run's outcomes. An infrastructure error is never a fail."""
from __future__ import annotations

import re

STATUSES = ("pass", "fail", "error")


def expect_results(points: list, answer: str) -> list[dict]:
    """Each `expect` point against the final answer (case-insensitive regexes).

    >>> [r["status"] for r in expect_results(["quota", {"any_of": ["gpu", "accelerator"]}],
    ...                                      "Quota for GPU is used up")]
    ['pass', 'pass']
    """
    results = []
    for point in points:
        options = point["any_of"] if isinstance(point, dict) else [point]
        hit = next((p for p in options if re.search(p, answer or "", re.I)), None)
        results.append({"check": f"answer mentions {' | '.join(options)}",
                        "spec": {"type": "expect", "any_of": options},
                        "status": "pass" if hit else "fail",
                        "detail": f"found {hit!r}" if hit else "not in the final answer"})
    return results


def score(checks: list[dict], safeguards: list[dict], expect: list[dict],
          error: str | None = None, budget_exceeded: str | None = None) -> tuple[str, str]:
    """(status, one-line reason).

    >>> score([{"status": "pass"}], [{"status": "fail", "check": "survive job/x",
    ...        "detail": "deleted"}], [])
    ('fail', 'safeguard survive job/x: deleted')
    >>> score([{"status": "fail", "check": "c", "detail": "d"}], [], [], error="apiserver down")
    ('error', 'apiserver down')
    """
    if error:
        return "error", error
    groups = (("check", checks), ("safeguard", safeguards), ("expect", expect))
    for label, results in groups:
        for r in results:
            if r["status"] == "error":
                return "error", f"{label} {r.get('check', '')}: {r.get('detail', '')}"
    if budget_exceeded:
        return "fail", f"budget exceeded: {budget_exceeded}"
    for label, results in groups:
        for r in results:
            if r["status"] == "fail":
                return "fail", f"{label} {r.get('check', '')}: {r.get('detail', '')}"
    return "pass", f"{len(checks)} checks, {len(safeguards)} safeguards, {len(expect)} " \
                   "expected points hold"


def control_verdict(none_status: str | None, reference_status: str | None) -> tuple[str, str]:
    """Control runs: the fault must be real (`none` fails) and the fix right (`reference`
    passes). Returns (ok | broken | error, reason).

    >>> control_verdict("fail", "pass")
    ('ok', 'none fails, reference passes')
    >>> control_verdict("pass", "pass")[0]
    'broken'
    """
    if "error" in (none_status, reference_status):
        return "error", f"infrastructure error (none: {none_status}, reference: " \
                        f"{reference_status})"
    problems = []
    if none_status != "fail":
        problems.append(f"with no fix the checks {none_status or 'did not run'} "
                        "(the fault is not real)")
    if reference_status != "pass":
        problems.append(f"the reference fix {reference_status or 'did not run'}")
    return ("broken", "; ".join(problems)) if problems else ("ok", "none fails, reference passes")
