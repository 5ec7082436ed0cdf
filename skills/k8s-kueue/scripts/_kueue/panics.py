"""kueue-controller-manager's own panic, pasted as its log: the process dies (apimachinery's
HandleCrash logs "Observed a panic" and re-panics; Go prints `panic: ...` and the goroutine
stacks), restarts and panics again on the same Workload, so nothing is admitted. The first
frame in Kueue's code names the feature that failed (kubernetes-sigs/kueue#4970: TAS's
`Requests.CountIn` dividing by a zero request, fixed by #4971; marin-community/marin#7396)."""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

_PANIC = re.compile(r"Observed a panic[^\n]*|^panic: [^\n]+", re.MULTILINE)
_KUEUE_FRAME = re.compile(r"sigs\.k8s\.io/kueue/(?P<func>pkg/[\w/.()*-]+)")

_FIX = ("upgrade Kueue to a release that fixes it (search its issues for the function in the "
        "trace), or turn off the feature that runs that code (the alpha or beta feature gate; "
        "for TAS, the Topology / topologyName of the flavor); meanwhile delete or fix the "
        "Workload that triggers it (here often a request of 0 or a resource it did not expect)")


def findings(texts: list[str]) -> list[dict]:
    text = "\n".join(str(t) for t in texts or [])
    panic, frame = _PANIC.search(text), _KUEUE_FRAME.search(text)
    if panic is None or frame is None:
        return []
    func = frame.group("func")
    return [finding("error", "kueue_controller_down", {"kind": "Deployment",
                                                        "name": "kueue-controller-manager"},
                    f"kueue-controller-manager panics in {func}: it crashes and restarts on "
                    "the same input, so nothing is admitted while it does",
                    [" ".join(panic.group(0).split())[:240], f"first Kueue frame: {func}"],
                    _FIX, basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager "
                            "--previous | grep -A40 panic")]
