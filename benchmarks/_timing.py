"""Timing a script against the part of its run it cannot avoid (shared by the dump benchmarks:
triage_bench.py, explain_pending_bench.py)."""
from __future__ import annotations

import resource
import subprocess
import time

# What a script reading a dump cannot avoid: the interpreter, reading the file, json.loads of
# kubectl's text.
PARSE_ONLY = ("import gc, json, sys\ngc.disable()\n"
              "with open(sys.argv[1], encoding='utf-8') as f:\n    json.loads(f.read())\n")


def timed(cmd: list[str], env: dict[str, str] | None = None
          ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + system) and the finished process of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode and cmd[1] == "-c":
        raise SystemExit(f"parse-only run failed: {proc.stderr.strip()}")
    return wall, cpu, proc
