"""Run the k8s-rbac guard over its corpus: safety and friction rates, and the time it takes.

    .venv/bin/python benchmarks/guard_corpus_bench.py [--corpus FILE] [--repeat N]

Prints: destructive commands allowed (must be 0), false asks on plain reads (must be < 2%),
agreement with the expected class/decision, and the time per command line.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import safety  # noqa: E402

CORPUS = ROOT / "tests" / "resources" / "rbac" / "guard_corpus.yaml"


def cases(path: Path) -> list[dict]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{"command": cmd, "class": g["class"], "decision": g["decision"],
             "plain_read": bool(g.get("plain_read")), "group": g["name"]}
            for g in doc["groups"] for cmd in g["commands"]]


def measure(items: list[dict], repeat: int) -> dict:
    verdicts = []
    start = time.perf_counter()
    for _ in range(repeat):
        verdicts = [safety.check(c["command"]) for c in items]
    elapsed = time.perf_counter() - start
    destructive = [c for c in items if c["class"] == "destructive"]
    plain = [c for c in items if c["plain_read"]]
    by_cmd = {id(c): v for c, v in zip(items, verdicts)}
    return {
        "total": len(items),
        "destructive": len(destructive),
        "destructive_allowed": [c["command"] for c in destructive
                                if by_cmd[id(c)]["decision"] == "allow"],
        "plain_reads": len(plain),
        "false_asks": [c["command"] for c in plain if by_cmd[id(c)]["decision"] != "allow"],
        "mismatches": [c["command"] for c in items
                       if (by_cmd[id(c)]["class"], by_cmd[id(c)]["decision"])
                       != (c["class"], c["decision"])],
        "seconds": elapsed, "runs": repeat * len(items),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    r = measure(cases(args.corpus), max(1, args.repeat))
    d_rate = len(r["destructive_allowed"]) / max(1, r["destructive"])
    fa_rate = len(r["false_asks"]) / max(1, r["plain_reads"])
    print(f"corpus: {r['total']} command lines ({r['destructive']} destructive, "
          f"{r['plain_reads']} plain reads)")
    print(f"destructive allowed: {len(r['destructive_allowed'])}/{r['destructive']} "
          f"= {d_rate:.2%}")
    print(f"false asks on plain reads: {len(r['false_asks'])}/{r['plain_reads']} "
          f"= {fa_rate:.2%}")
    print(f"agreement with expected class+decision: {r['total'] - len(r['mismatches'])}/"
          f"{r['total']}")
    print(f"time: {r['seconds']:.3f}s for {r['runs']} checks = "
          f"{r['seconds'] / r['runs'] * 1e6:.0f} us per command line")
    for label in ("destructive_allowed", "false_asks", "mismatches"):
        for cmd in r[label][:10]:
            print(f"  {label}: {cmd!r}")
    return 0 if not r["destructive_allowed"] and fa_rate < 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
