"""Which runs may start now, so that runs side by side never need more accelerators than
the cluster has (harness.evals.capacity says what each run's pods hold and what there is).

A run starts when a worker is free and its pods are sure to fit beside the runs in progress
on every pool they may land on, wherever the scheduler put the others: with F devices free
over n nodes, a pod of size s surely finds a node only when F > n * (s - 1) (else the free
ones could all be spread s - 1 per node). Runs wait in order per pool: one that does not fit
keeps later runs that need any of its pools from overtaking it (small runs cannot starve a
big one); runs on other pools go on. A run is never refused a pool no other run holds (one
asking for more than a pool has then runs alone there instead of waiting forever).
"""
from __future__ import annotations

from harness.evals.capacity import Demand, Key


class Gate:
    def __init__(self, totals: dict[Key, int], nodes: dict[Key, int], demands: list[Demand],
                 labels: list[str]):
        self.totals, self.nodes = totals, nodes
        self.demands = demands
        self.labels = labels
        self.running: set[int] = set()

    def choose(self, waiting: list[int], free: int) -> tuple[list[int], dict[int, str]]:
        """The runs of `waiting` (in order) to start now, at most `free` of them, marked as
        running; and why each run passed over waits."""
        start: list[int] = []
        why: dict[int, str] = {}
        refused: set[str] = set()   # pools an earlier waiting run is queued for
        for i in waiting:
            if len(start) >= free:
                break
            pools = {pool for pool, _ in self.demands[i]}
            ahead = sorted(pools & refused)
            short = None if ahead else self.shortfall(i)
            if ahead or short:
                why[i] = short or f"waits its turn for {', '.join(ahead)} behind an earlier run"
                refused |= pools
                continue
            self.running.add(i)
            start.append(i)
        return start, why

    def release(self, index: int) -> None:
        self.running.discard(index)

    def shortfall(self, index: int) -> str | None:
        """Why run `index` may not fit beside the running ones now; None when it surely does."""
        for key, pods in sorted(self.demands[index].items()):
            holders = [i for i in sorted(self.running) if self.demands[i].get(key)]
            if not holders:
                continue
            used = sum(sum(self.demands[i][key]) for i in holders)
            total, nodes = self.totals.get(key, 0), self.nodes.get(key, 1)
            if not surely_fits(total - used, nodes, pods):
                pool, resource = key
                return (f"needs {'+'.join(map(str, pods))} {resource} on {pool} ({nodes} "
                        f"nodes, {total} in all), {used} held by "
                        f"{', '.join(self.labels[i] for i in holders)}")
        return None


def surely_fits(free: int, nodes: int, pods: tuple[int, ...]) -> bool:
    """Whether pods of these sizes find room in `free` devices over `nodes` nodes however
    the free ones are spread.

    >>> surely_fits(4, 2, (2, 2)), surely_fits(5, 2, (2, 2)), surely_fits(7, 2, (4,))
    (False, True, True)
    """
    for size in sorted(pods, reverse=True):
        if free < size or free <= nodes * (size - 1):
            return False
        free -= size
    return True


def describe(demand: Demand) -> str:
    """'2+2 nvidia.com/gpu on gpu-h100' style summary ('none' when empty)."""
    return ", ".join(f"{'+'.join(map(str, pods))} {resource} on {pool}"
                     for (pool, resource), pods in sorted(demand.items())) or "none"
