"""Which runs a suite makes, in which order, and which of them a resumed run still owes.

Model agents run every scenario `epochs` times per arm. The arms of one scenario and epoch
are a pair, run in random order, and the pairs are shuffled over the whole suite, so drift
over time (API load, a warming cluster) hits both arms alike; the seed is recorded in the
run's manifest (run.json) and every record keeps its position, so the order can be replayed.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.evals import agents, records

if TYPE_CHECKING:
    from harness.evals.scenario import Scenario

MANIFEST = "run.json"
FINISHED = ("pass", "fail")


@dataclass(frozen=True)
class Job:
    scenario: Scenario
    agent: str
    skills: bool
    repeat: int = 1            # the epoch
    order: int = 0             # position in the run's shuffled order

    @property
    def epoch(self) -> int:
        return self.repeat

    @property
    def label(self) -> str:
        arm = f", skills {'on' if self.skills else 'off'}" if agents.uses_model(self.agent) else ""
        again = f", epoch {self.repeat}" if self.repeat > 1 else ""
        return f"{self.scenario.area}/{self.scenario.id} [{self.agent}{arm}{again}]"

    @property
    def key(self) -> str:
        """The record file this job writes (see records.file_name)."""
        return (f"{self.scenario.id}__{self.agent}__skills-{'on' if self.skills else 'off'}"
                f"__r{self.repeat}.json")


def make_jobs(scenarios: list[Any], agent: str, arms: list[bool], epochs: int,
              seed: int | None) -> list[Job]:
    """Every (scenario, epoch) pair of arms; pairs shuffled and arms in random order within
    each pair when a seed is given, else in file order (control runs, reports).

    >>> from types import SimpleNamespace as S
    >>> jobs = make_jobs([S(id="a"), S(id="b")], "messages", [True, False], 2, seed=7)
    >>> len(jobs), sorted({(j.scenario.id, j.repeat) for j in jobs}) == [
    ...     ("a", 1), ("a", 2), ("b", 1), ("b", 2)], [j.order for j in jobs] == list(range(8))
    (8, True, True)
    """
    pairs = [[(s, arm, epoch) for arm in arms] for s in scenarios
             for epoch in range(1, max(1, epochs) + 1)]
    if seed is not None:
        rng = random.Random(seed)
        rng.shuffle(pairs)
        for pair in pairs:
            rng.shuffle(pair)
    flat = [item for pair in pairs for item in pair]
    return [Job(s, agent, arm, epoch, order) for order, (s, arm, epoch) in enumerate(flat)]


def write_manifest(run_dir: Path, data: dict[str, Any]) -> None:
    path = Path(run_dir) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{run_dir} has no {MANIFEST}: it was not made by "
                                "`k8s-skills eval` (or by a version before --resume)")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def still_owed(jobs: list[Job], run_dir: Path) -> tuple[list[Job], dict[str, int]]:
    """The jobs a resumed run must (re)run: those without a record and those whose record
    is an `error`; finished ones (pass, fail) are kept as they are."""
    done: dict[str, str] = {}
    for path in sorted((Path(run_dir) / "scenarios").glob("*.json")):
        try:
            done[path.name] = records.read_one(path).status
        except (OSError, ValueError, KeyError):
            continue  # a half-written record is not a finished run
    owed = [j for j in jobs if done.get(j.key) not in FINISHED]
    counts = {"finished": sum(1 for j in jobs if done.get(j.key) in FINISHED),
              "errors": sum(1 for j in jobs if done.get(j.key) == "error"),
              "missing": sum(1 for j in jobs if j.key not in done)}
    return owed, counts
