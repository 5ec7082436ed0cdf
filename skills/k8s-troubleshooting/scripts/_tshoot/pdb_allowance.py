"""A PodDisruptionBudget shown with no disruption allowed, in the forms kubectl prints it.

The disruption controller writes status.disruptionsAllowed (policy/v1
PodDisruptionBudgetStatus); the eviction API refuses an eviction while it is 0 (429 "Cannot
evict pod as it would violate the pod's disruption budget.", kubernetes v1.37.2
pkg/registry/core/pod/storage/eviction.go:309,419,447), and `kubectl drain` retries that pod
until its timeout (kubectl v0.37.2 pkg/drain/drain.go:328 "error when evicting pods/%q -n %q
(will retry after %v): %v"). A runbook that pastes only the budget's zero beside its own word
that the drain hung carries the cause without the refusal (mj006648/netai-devsecops-runbook
kubernetes/incidents/minix-kubespray-upgrade-2026-06-25.md: Rook-Ceph's mon and OSD budgets at
0 held a Kubespray worker drain). Read here:
- `kubectl describe pdb`: "Allowed disruptions:\t%d" (kubectl v0.37.2 pkg/describe/
  describe.go:4742), and the same words copied as "NAME allowed disruptions: 0";
- `-o yaml|json`: "disruptionsAllowed: 0";
- `kubectl get pdb`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (kubernetes
  v1.37.2 pkg/printers/internalversion/printers.go:127-131), a row whose ALLOWED DISRUPTIONS
  cell is 0 (MIN/MAX print "N/A" when unset).
"""
from __future__ import annotations

import re

ZERO = re.compile(
    r"\ballowed[ _]disruptions\b\s*[:=]?\s*0(?![\d.])"
    r"|[\"']?\bdisruptionsAllowed[\"']?\s*:\s*0(?![\d.])"
    # a `get pdb` row (-A adds NAMESPACE first): NAME MIN MAX ALLOWED=0 AGE
    r"|^\s*(?:[a-z0-9][\w.-]*\s+)?[a-z0-9][\w.-]*\s+(?:N/A|\d+%?)\s+(?:N/A|\d+%?)\s+0\s+"
    r"\d+[smhdy]\w*\s*$", re.IGNORECASE | re.MULTILINE)
# the report's own word that a drain / eviction did not finish (no budget named in it:
# prose.py's _PDB_BLOCKS reads the sentences that name one)
DRAIN_STUCK = re.compile(
    r"\b(?:drain\w*|evict\w*)\b[^.!?\n]{0,60}?\b(?:stuck|hangs?|hung|hanging|block\w*|"
    r"never\s+(?:finish\w*|complet\w*|end\w*)|timed?\s+out|times\s+out)\b"
    r"|\b(?:stuck|hangs?|hung|hanging)\b[^.!?\n]{0,30}?\b(?:drain\w*|evict\w*)\b", re.IGNORECASE)


def zero_lines(text: str) -> list[str]:
    """The lines of the text that show a budget allowing no disruption.

    >>> zero_lines("rook-ceph-mon-pdb allowed disruptions: 0\\nweb 1 N/A 1 3d")
    ['rook-ceph-mon-pdb allowed disruptions: 0']
    """
    return [line.strip() for line in text.splitlines() if ZERO.search(line)]
