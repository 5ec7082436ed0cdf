"""The endpoint picker's "no pods" answer: what its words establish, and no more.

The picker's pod reconciler keeps a pod in its datastore only when the pod is Ready AND
carries the pool selector's labels, and a pool it has not read matches no pod:
- GAIE pkg/epp/controller/pod_reconciler.go updateDatastore (v1.0.2 and v1.5.0 l.92):
  `if !podutil.IsPodReady(pod) || !c.Datastore.PoolLabelsMatch(pod.Labels)` -> PodDelete;
  the same in pkg/lwepp/controller/pod_reconciler.go@v1.6.0 l.92.
- pkg/epp/datastore/datastore.go@v1.5.0 l.193-201 PoolLabelsMatch: false while the pool is nil.
Its answer when the datastore is empty:
- `no pods available in datastore` (pkg/epp/handlers/request.go v1.0.2 l.43, v1.5.0 l.48,
  a request without a body; test/integration/epp/common_tests.go@v1.5.0 l.318 shows it as
  `inference error: Internal - no pods available in datastore`);
- `rpc error: code = Unavailable desc = no pods available` (the v1.6 lightweight picker,
  pkg/lwepp/handlers/request.go@v1.6.0 l.101).
So the line says the pool has no endpoint: no pod carries its labels, or none that does is
Ready. It cannot say which, so it is not the picker reporting a cause: the finding is
inferred, named as the skill names a pool with no endpoint (pool_selects_no_pods, as the
prose rule `pool_empty` does), and its confirm command tells the two apart. When the paste's
own InferencePool and Pods decided it (rules_pool), the line adds nothing and is dropped.
"""
from __future__ import annotations

import re

from _gw.causes import fix_for

WORDING = re.compile(r"no pods available in datastore|Unavailable desc = no pods available\b",
                     re.IGNORECASE)
# what rules_pool says about a pool whose pods the paste lists
DECIDED = ("pool_pods_not_ready", "pool_selects_no_pods", "pool_target_port_mismatch")
CAUSE = "pool_selects_no_pods"
CONFIRM = ("kubectl get pods -n <pool namespace> -l <the pool's spec.selector.matchLabels as "
           "key=value,...> -o wide")
MESSAGE = ("the endpoint picker's datastore holds no pod: it keeps only Ready pods that carry "
           "every label of the pool's selector, so either no pod carries them or none that "
           "does is Ready; the confirm command tells which (no pod listed: the selector; "
           "pods listed but not READY: pool_pods_not_ready)")
FIX = (fix_for(CAUSE) + "; if the pods it selects are listed but not Ready, "
       + fix_for("pool_pods_not_ready"))


def split(reported: list[dict], inferred: list[dict]) -> tuple[list[dict], list[dict]]:
    """`reported` without the picker's empty-datastore lines, and those lines as inferred
    findings (none when the paste's InferencePool and Pods already decided)."""
    decided = any(f["cause"] in DECIDED and f["object"]["kind"] == "InferencePool"
                  for f in inferred)
    kept, out = [], []
    for f in reported:
        if not says_empty(f):
            kept.append(f)
        elif not decided:
            out.append(dict(f, cause=CAUSE, message=MESSAGE, fix=FIX, basis="inferred",
                            confirm=CONFIRM))
    return kept, out


def says_empty(f: dict) -> bool:
    """A text finding read from the picker's empty-datastore answer."""
    return f["object"]["kind"] == "Text" and any(WORDING.search(str(e)) for e in f["evidence"])
