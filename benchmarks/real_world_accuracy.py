#!/usr/bin/env python3
"""Accuracy of the diagnostic scripts on real users' fault reports.

Each case lives in tests/resources/real-world/<area>/<case-id>/ with a `case.yaml`:

    source: https://github.com/<owner>/<repo>/issues/<n>   # the thread it comes from
    versions: {kubernetes: "1.27", kueue: "v0.6.1"}        # what the user ran, where known
    script: k8s-kueue/explain_pending.py                   # <skill>/<script> that diagnoses it
    args: []                                               # extra arguments, rarely needed
    input: paste.txt                                       # the paste, as the user gave it
    expected:
      cause: quota_exhausted           # the cause the thread's resolution established
      also: [other_ok_id]              # other cause ids that name the same thing (optional)
    filled_in: "what was reconstructed (names, fields) and why"   # "" when nothing was
    notes: "one line on the resolution"

The script runs as a user would run it on the paste: `<script> -f <input> --json [args]`.
Its findings, in the order it prints them, are its ranking: top-1 is right when the first
finding's cause is the expected one (or one in `also`), top-3 when any of the first three is.
`cause: none` means the thread established that nothing was wrong where the script looks:
right when the script reports no error or warning. `cause: unknown` means the paste cannot
decide it (the thread needed more than the user showed, or never found out): right when the
script reports no error or warning and says, in an info finding, what it could not decide
(e.g. `not_evaluated`, `not_in_dump`). A guess, or silence, is wrong.

    benchmarks/real_world_accuracy.py                 # every area
    benchmarks/real_world_accuracy.py --area kueue -v # one area, every case's answer
    benchmarks/real_world_accuracy.py --min-top1 0.9  # exit 1 when an area is below 90 %
    benchmarks/real_world_accuracy.py --case rbac/x   # one case (repeatable), e.g. while fixing
    benchmarks/real_world_accuracy.py --json          # one JSON document for tools
    benchmarks/real_world_accuracy.py --corpus /tmp/held-out   # a set kept outside the repo

The report has one row per area and per script (skill/script), overall top-1/top-3, the
confusion of misses and every miss. A malformed case (no source, script, input or
expected.cause; a script or input that does not exist) is listed and makes the run exit 2.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "resources" / "real-world"
SKILLS = ROOT / "skills"
NONE = "none"
UNKNOWN = "unknown"
PROBLEM_SEVERITIES = ("error", "warning")


@dataclass
class Case:
    area: str
    case_id: str
    folder: Path
    spec: dict

    @property
    def accepted(self) -> set[str]:
        expected = self.spec.get("expected") or {}
        return {str(expected.get("cause", ""))} | {str(c) for c in expected.get("also") or []}

    @property
    def cause(self) -> str:
        return str((self.spec.get("expected") or {}).get("cause", ""))


@dataclass
class Answer:
    case: Case
    causes: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def top1(self) -> bool:
        return self._right_within(1)

    @property
    def top3(self) -> bool:
        return self._right_within(3)

    def _right_within(self, ranks: int) -> bool:
        """Right when the expected cause is among the first `ranks` findings (see the docstring
        for `none` and `unknown`)."""
        if self.error:
            return False
        if self.case.cause == NONE:
            return not self.causes
        if self.case.cause == UNKNOWN:
            return not self.causes and bool(self.infos)
        return any(c in self.case.accepted for c in self.causes[:ranks])

    @property
    def got(self) -> str:
        if self.error:
            return "ERROR"
        if self.causes:
            return self.causes[0]
        return f"{UNKNOWN} ({self.infos[0]})" if self.infos else NONE


def load_cases(area: str | None, only: list[str] | None = None,
               corpus: Path = CORPUS) -> list[Case]:
    cases = []
    for spec_path in sorted(corpus.glob("*/*/case.yaml")):
        case_area = spec_path.parent.parent.name
        if area and case_area != area:
            continue
        if only and f"{case_area}/{spec_path.parent.name}" not in only:
            continue
        try:
            spec = yaml.safe_load(spec_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            spec = {"_invalid": f"case.yaml is not YAML: {' '.join(str(err).split())[:120]}"}
        cases.append(Case(case_area, spec_path.parent.name, spec_path.parent, spec))
    return cases


def case_problems(case: Case) -> list[str]:
    """What makes a case unusable (the format in the module docstring)."""
    spec = case.spec
    if "_invalid" in spec:
        return [spec["_invalid"]]
    problems = [f"missing {key}" for key in ("source", "script", "input") if not spec.get(key)]
    if not case.cause:
        problems.append("missing expected.cause")
    if spec.get("script") and not script_path(case).is_file():
        problems.append(f"no script {spec['script']}")
    if spec.get("input") and not (case.folder / str(spec["input"])).is_file():
        problems.append(f"no input file {spec['input']}")
    if spec.get("source") and not str(spec["source"]).startswith(("http://", "https://")):
        problems.append("source is not a URL")
    return problems


def script_path(case: Case) -> Path:
    return SKILLS / str(case.spec["script"]).replace("/", "/scripts/", 1)


def run_case(case: Case) -> Answer:
    script = script_path(case)
    argv = [sys.executable, str(script), "-f", str(case.folder / case.spec["input"]), "--json",
            *[str(a) for a in case.spec.get("args") or []]]
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Answer(case, error="timed out after 120 s", seconds=120.0)
    seconds = time.perf_counter() - start
    if proc.returncode == 2 or not proc.stdout.strip():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Answer(case, error=f"exit {proc.returncode}: {last[:200]}", seconds=seconds)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        return Answer(case, error=f"output is not JSON: {err}", seconds=seconds)
    findings = doc.get("findings") or []
    causes = [f.get("cause", "") for f in findings
              if f.get("severity", "error") in PROBLEM_SEVERITIES]
    infos = [f.get("cause", "") for f in findings if f.get("severity") == "info"]
    return Answer(case, causes=causes, infos=infos, seconds=seconds)


def percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   n/a"


def report(answers: list[Answer], verbose: bool) -> list[str]:
    lines = []
    by_area: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_area[answer.case.area].append(answer)
    lines.append(f"{'area':<16} {'cases':>5} {'top-1':>7} {'top-3':>7} {'errors':>6}")
    for area in sorted(by_area):
        group = by_area[area]
        lines.append(_row(area, group))
    lines.append(_row("overall", answers))
    by_script: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_script[str(answer.case.spec.get("script", "?"))].append(answer)
    if len(by_script) > 1:
        lines.append("")
        lines.append(f"{'script':<40} {'cases':>5} {'top-1':>7} {'top-3':>7} {'errors':>6}")
        for script in sorted(by_script):
            lines.append(_row(script, by_script[script], width=40))
    lines.append("")
    lines.append("confusion (expected -> first answer, misses only):")
    confusion = Counter((a.case.area, a.case.cause, a.got) for a in answers if not a.top1)
    for (area, expected, got), count in sorted(confusion.items()):
        lines.append(f"  {area:<14} {expected:<34} -> {got:<34} x{count}")
    lines.append("")
    misses = [a for a in answers if not a.top1]
    lines.append(f"misses ({len(misses)}):")
    for a in misses:
        detail = a.error or ", ".join(a.causes[:3]) or (
            f"no problem found; info: {', '.join(a.infos[:3])}" if a.infos else "no findings")
        lines.append(f"  {a.case.area}/{a.case.case_id}: expected {a.case.cause}; got {detail}")
    if verbose:
        lines.append("")
        lines.append("every case:")
        for a in answers:
            mark = "ok " if a.top1 else ("top3" if a.top3 else "MISS")
            lines.append(f"  {mark:<4} {a.case.area}/{a.case.case_id}: {a.got} "
                         f"({a.seconds:.2f}s)")
    return lines


def _row(name: str, group: list[Answer], width: int = 16) -> str:
    n = len(group)
    return (f"{name:<{width}} {n:>5} {percent(sum(a.top1 for a in group), n):>7} "
            f"{percent(sum(a.top3 for a in group), n):>7} {sum(bool(a.error) for a in group):>6}")


def below_target(answers: list[Answer], min_top1: float) -> list[str]:
    by_area: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_area[answer.case.area].append(answer)
    out = []
    for area, group in sorted(by_area.items()):
        rate = sum(a.top1 for a in group) / len(group)
        if rate < min_top1:
            out.append(f"{area}: top-1 {100 * rate:.1f}% < target {100 * min_top1:.0f}%")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--area", help="one area (a folder under tests/resources/real-world)")
    parser.add_argument("--min-top1", type=float, default=0.9,
                        help="exit 1 when an area's top-1 accuracy is below this (default 0.9)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case's answer")
    parser.add_argument("--jobs", type=int, default=4, help="cases run at once (default 4)")
    parser.add_argument("--case", action="append", metavar="AREA/ID",
                        help="run only this case (repeatable)")
    parser.add_argument("--json", action="store_true", help="one JSON document instead of text")
    parser.add_argument("--corpus", type=Path, default=CORPUS, metavar="DIR",
                        help="a corpus in the same layout (<area>/<case-id>/case.yaml), e.g. "
                             "a held-out set kept outside the repository (default: "
                             "tests/resources/real-world)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: --corpus {args.corpus}: not a directory", file=sys.stderr)
        return 2
    cases = load_cases(args.area, args.case, args.corpus)
    if not cases:
        print(f"error: no cases under {args.corpus}" + (f" for area {args.area!r}" if args.area else ""),
              file=sys.stderr)
        return 2
    broken = [(c, case_problems(c)) for c in cases if case_problems(c)]
    for case, problems in broken:
        print(f"error: case {case.area}/{case.case_id}: {'; '.join(problems)}", file=sys.stderr)
    if broken:
        return 2
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        answers = list(pool.map(run_case, cases))
    missed = below_target(answers, args.min_top1)
    if args.json:
        json.dump(json_report(answers, missed), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 1 if missed else 0
    print("\n".join(report(answers, args.verbose)))
    print(f"\n{len(answers)} cases in {time.perf_counter() - start:.1f}s")
    for line in missed:
        print(f"target missed: {line}")
    return 1 if missed else 0


def json_report(answers: list[Answer], missed: list[str]) -> dict:
    by_area: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_area[answer.case.area].append(answer)

    def rates(group):
        n = len(group)
        return {"cases": n, "top1": sum(a.top1 for a in group) / n,
                "top3": sum(a.top3 for a in group) / n, "errors": sum(bool(a.error) for a in group)}
    return {"areas": {area: rates(group) for area, group in sorted(by_area.items())},
            "overall": rates(answers), "targets_missed": missed,
            "cases": [{"case": f"{a.case.area}/{a.case.case_id}", "expected": a.case.cause,
                       "got": a.causes[:3], "error": a.error, "top1": a.top1, "top3": a.top3}
                      for a in answers]}


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head` closed the pipe
        sys.stderr.close()
        sys.exit(0)
