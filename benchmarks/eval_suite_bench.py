#!/usr/bin/env python3
"""Benchmark: the whole scenario suite with the reference agent, N at a time, on a cluster.

Prints, per scenario, wall time and the isolation overhead (creating the run's namespaces
plus cleanup), then scenarios per minute and the overhead's mean and max against the
targets on a 2-core machine (issue 16): overhead <= 1 s per scenario, the whole suite at a
pace of 60 scenarios in <= 6 min (the suite's wall time, and that time scaled to 60).

    .venv/bin/python benchmarks/eval_suite_bench.py [--parallel 4] [--cluster k8s-skills]
                                                     [--kubeconfig FILE] [-k WORDS]
Exit code 0 when every scenario passed and both targets were met, 1 otherwise.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness.cluster import providers, topology
from harness.cluster.kubectl import Kubectl, find_executable
from harness.evals import runner, scenario
from harness.evals.kube import Kube
from harness.evals.model import RunRecord
from harness.evals.errors import InfraError

OVERHEAD_TARGET_S = 1.0
SUITE_TARGET_S = 360.0
SUITE_TARGET_N = 60


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--cluster", default="k8s-skills")
    parser.add_argument("--kubeconfig", type=Path)
    parser.add_argument("-k", dest="filter")
    args = parser.parse_args(argv)
    kubectl = Kubectl(args.kubeconfig, None, find_executable()) if args.kubeconfig \
        else providers.open_cluster(args.cluster).kubectl()
    kube = Kube(kubectl)
    if not args.kubeconfig:  # the safeguards protect the cluster's own topology
        kube.topology = topology.of_cluster(providers.read_state(args.cluster))
    try:
        kube.resource("namespaces")  # discovery once, as any run does before its first scenario
    except InfraError as err:
        print(f"error: no cluster to run on ({err}); start one: k8s-skills cluster up "
              f"--name {args.cluster}", file=sys.stderr)
        return 2
    found = scenario.discover(pattern=args.filter)
    jobs = [runner.Job(s, "reference", True) for s in found]
    with tempfile.TemporaryDirectory(prefix="k8s-skills-bench-") as tmp:
        settings = runner.Settings(run_id="bench", run_dir=Path(tmp), model="-",
                                   log=lambda m: None)
        start = time.monotonic()
        recs = runner.run_all(kube, jobs, settings, parallel=args.parallel)
        wall = time.monotonic() - start
    return report(recs, wall, args.parallel)


def report(recs: list[RunRecord], wall: float, parallel: int) -> int:
    print(f"{'scenario':<42} {'status':<6} {'wall s':>7} {'ns setup s':>10} {'cleanup s':>9}"
          f" {'overhead s':>10}")
    for r in recs:
        t = r.timings
        print(f"{r.scenario.area + '/' + r.scenario.id:<42} {r.status:<6} "
              f"{r.wall_seconds:>7.1f} {t.get('namespace_setup', 0):>10.3f} "
              f"{t.get('cleanup', 0):>9.3f} {r.isolation_overhead_seconds:>10.3f}")
    overheads = [r.isolation_overhead_seconds for r in recs]
    passed = sum(r.status == "pass" for r in recs)
    per_minute = len(recs) / (wall / 60)
    mean, worst = statistics.mean(overheads), max(overheads)
    scaled = wall * SUITE_TARGET_N / len(recs)
    print(f"\n{len(recs)} scenarios (reference agent, --parallel {parallel}): {passed} passed, "
          f"whole suite {wall:.1f} s")
    print(f"scenarios per minute: {per_minute:.1f} "
          f"({SUITE_TARGET_N} scenarios at this pace in {scaled:.0f} s; target <= "
          f"{SUITE_TARGET_S:.0f} s: {'met' if scaled <= SUITE_TARGET_S else 'MISSED'})")
    print(f"isolation overhead per scenario (namespace setup + cleanup): mean {mean:.3f} s, "
          f"max {worst:.3f} s (target <= {OVERHEAD_TARGET_S:.0f} s: "
          f"{'met' if worst <= OVERHEAD_TARGET_S else 'MISSED'})")
    ok = passed == len(recs) and scaled <= SUITE_TARGET_S and worst <= OVERHEAD_TARGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
