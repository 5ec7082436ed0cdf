"""Cleans up after a `cluster up` that died before the cluster was ready.

`up` starts this in its own session: it polls the CLI's pid, and if the CLI disappears
(SIGKILL, OOM, a crash that skipped its `finally`) while the state file still says
"starting", it stops every process of the cluster and deletes its state (with `--retain`:
keeps its data and logs, phase "failed"). Once the state says "running" (or "failed": kept
by `--retain`) it exits: from then on the cluster is meant to outlive the CLI.

    python -m harness.cluster.watchdog CLI_PID CLUSTER_NAME
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from harness.cluster import paths, procs, state_json

POLL_SECONDS = 0.25
GIVE_UP_SECONDS = 600  # longer than any start-up; never linger forever


SETTLED = ("running", "failed")  # failed: a start that `--retain` kept


def _state(cluster_dir: Path) -> dict[str, Any]:
    return state_json.read(cluster_dir / "state.json")


def phase(cluster_dir: Path) -> str:
    return str(_state(cluster_dir).get("phase", ""))


def watch(cli_pid: int, cluster_name: str) -> int:
    cluster_dir = paths.cluster_dir(cluster_name)
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        if phase(cluster_dir) in SETTLED:
            return 0
        if not procs.is_alive(cli_pid):
            state = _state(cluster_dir)
            if cluster_dir.exists() and state.get("phase") not in SETTLED:
                # down() also removes the real node (its link, cgroups, containers).
                from harness.cluster.local import LocalCluster
                cluster = LocalCluster(cluster_name)
                if state.get("retain"):
                    cluster.keep_failed()
                else:
                    cluster.down()
            return 0
        time.sleep(POLL_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(watch(int(sys.argv[1]), sys.argv[2]))
