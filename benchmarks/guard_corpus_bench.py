"""The k8s-rbac guard on its plain and adversarial corpora: safety, friction and speed.

    .venv/bin/python benchmarks/guard_corpus_bench.py [--repeat N] [--hook-runs N]

For each corpus it prints
  wrongly allowed  lines that must be asked or denied but were allowed (must be 0)
  weak             lines that must be denied but were only asked
  false asks       lines that must be allowed but were asked or denied (plain reads:
                   must stay <= 2%)
and the decision time per line (CPU time in one process, p50 / p99 / max; the target is
50 ms for any line), plus the wall time of the Claude Code hook as a new process.
Exit 1 on any wrongly allowed line, on plain-read false asks above 2 %, or on a decision
slower than 50 ms of CPU.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "skills" / "k8s-rbac" / "scripts"))

import _guard
from tests.skills.k8s_rbac.guard_context import context_for_cli, project

RESOURCES = ROOT / "tests" / "resources" / "rbac"
ORDER = {"allow": 0, "ask": 1, "deny": 2}
TARGET_MS = 50.0


def cases(name: str) -> list[dict]:
    doc = yaml.safe_load((RESOURCES / name).read_text(encoding="utf-8"))
    return [{"command": cmd, "expected": g["decision"], "group": g["name"],
             "plain_read": bool(g.get("plain_read"))}
            for g in doc["groups"] for cmd in g["commands"]]


def measure(items: list[dict], where: dict, repeat: int) -> dict:
    times, got = [], {}
    for _ in range(repeat):
        for item in items:
            start = time.process_time()
            verdict = _guard.check(item["command"], **where)
            times.append((time.process_time() - start) * 1000)
            got[item["command"]] = verdict
    wrongly = [i for i in items if i["expected"] != "allow" and
               got[i["command"]]["decision"] == "allow"]
    weak = [i for i in items if i["expected"] == "deny" and
            got[i["command"]]["decision"] == "ask"]
    should_allow = [i for i in items if i["expected"] == "allow"]
    false_asks = [i for i in should_allow if got[i["command"]]["decision"] != "allow"]
    plain = [i for i in items if i["plain_read"]]
    plain_asked = [i for i in plain if got[i["command"]]["decision"] != "allow"]
    return {"total": len(items), "wrongly_allowed": wrongly, "weak": weak,
            "must_deny": sum(i["expected"] == "deny" for i in items),
            "should_allow": len(should_allow), "false_asks": false_asks,
            "plain": len(plain), "plain_asked": plain_asked, "got": got, "times": times}


def hook_wall_times(where: Path, runs: int) -> list[float]:
    kwargs = context_for_cli(where)
    guard = ROOT / "skills" / "k8s-rbac" / "scripts" / "guard_command.py"
    payload = json.dumps({"tool_name": "Bash", "cwd": kwargs["cwd"],
                          "tool_input": {"command": "kubectl get pods -A | grep web"}})
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(guard), "--hook", "--no-log"], input=payload,
                       capture_output=True, text=True, timeout=60, **kwargs)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, r: dict) -> list[str]:
    lines = [f"{name}: {r['total']} lines"]
    lines.append(f"  wrongly allowed: {len(r['wrongly_allowed'])}/"
                 f"{r['total'] - r['should_allow']} that must be asked or denied")
    lines.append(f"  weak (asked, must be denied): {len(r['weak'])}/{r['must_deny']}")
    lines.append(f"  false asks: {len(r['false_asks'])}/{r['should_allow']} that must be "
                 "allowed")
    if r["plain"]:
        rate = len(r["plain_asked"]) / r["plain"]
        lines.append(f"  plain reads asked: {len(r['plain_asked'])}/{r['plain']} = "
                     f"{rate:.2%} (limit 2%)")
    times = sorted(r["times"])
    p99 = times[int(len(times) * 0.99) - 1] if times else 0
    lines.append(f"  decision CPU time: p50 {statistics.median(times):.2f} ms, p99 {p99:.2f} "
                 f"ms, max {times[-1]:.2f} ms (target {TARGET_MS:.0f} ms)")
    for label in ("wrongly_allowed", "weak", "false_asks"):
        for item in r[label][:8]:
            explanation = r["got"][item["command"]]["explanation"]
            lines.append(f"    {label}: {item['command']!r} -> {explanation[:120]}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hook-runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        where = project(Path(tmp) / "project")
        _guard.check("kubectl get pods", **where)     # imports once, as a hook process does
        results = {name: measure(cases(f"{name}.yaml"), where, max(1, args.repeat))
                   for name in ("guard_corpus", "guard_adversarial")}
        hook = hook_wall_times(Path(tmp) / "project", max(1, args.hook_runs))
    for name, label in (("guard_corpus", "plain corpus"),
                        ("guard_adversarial", "adversarial corpus")):
        print("\n".join(report(label, results[name])))
    print(f"hook as a new process (python start, imports, decision): median "
          f"{statistics.median(hook):.0f} ms over {len(hook)} runs")
    failures = []
    for name, r in results.items():
        if r["wrongly_allowed"]:
            failures.append(f"{name}: {len(r['wrongly_allowed'])} wrongly allowed")
        if r["plain"] and len(r["plain_asked"]) / r["plain"] > 0.02:
            failures.append(f"{name}: plain reads asked above 2%")
        if max(r["times"]) > TARGET_MS:
            failures.append(f"{name}: a decision took {max(r['times']):.1f} ms of CPU")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
