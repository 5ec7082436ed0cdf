"""A controller that skips its status writes because it is not the leader, in a paste that
shows the same pod lost its lease: nobody writes the Gateway API statuses any more, so what
they show is stale (stale_status, reported).

NGINX Gateway Fabric 1.0-1.2 writes status only while it leads (internal/framework/status/
updater.go:148 `Skipping updating Nginx Gateway status because not leader`, :168 `Skipping
updating Gateway API status because not leader`@v1.0.0, the same at v1.2.0:146/:166); its
leader elector logs `Stopped leading` (internal/mode/static/manager.go:209@v1.0.0). After a
failed lease renewal (client-go leaderelection `failed to renew lease %v: %v`) the only pod
never led again and every status write was skipped (NGF tests/results/longevity/1.0.0/
1.0.0.md@e55bfe33, nginx/nginx-gateway-fabric#1100). A skip line alone is what every
non-leader replica logs, so it is read only beside the pod's own lost lease.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_SKIPPED = re.compile(r"Skipping updating [\w ]{1,40} status because not (?:the )?leader",
                      re.IGNORECASE)
# the pod's own lease lost: NGF's leaderElector, client-go's renew failure (klog), client-go's
# LeaderElection event (`<identity> stopped leading`), controller-runtime's exit message
_LOST = re.compile(r"\bStopped leading\b|\bfailed to renew lease\b|\bleader election lost\b",
                   re.IGNORECASE)

FIX = ("this pod lost its leader lease (the API server did not answer its renewals) and did "
       "not take it again, so it skips every status write and the Gateway API statuses stay "
       "as last written: restart the controller pod (it campaigns anew), check the API "
       "server's reachability from it (the lease errors), and upgrade NGINX Gateway Fabric "
       "(nginx/nginx-gateway-fabric#1100)")


def findings(lines: list[str]) -> list[dict[str, Any]]:
    """One stale_status finding when a not-leader skip follows the pod's lost lease."""
    texts = [str(line) for line in lines or []]
    lost = next((i for i, text in enumerate(texts) if _LOST.search(text)), None)
    if lost is None:
        return []
    skipped = [text for text in texts[lost + 1:] if _SKIPPED.search(text)]
    if not skipped:
        return []
    evidence = [texts[lost].strip()[:300], skipped[-1].strip()[:300]]
    return [finding("error", "stale_status", {"kind": "Text", "name": "paste"},
                    "the controller lost its leader lease and skips its status writes since "
                    "(`... because not leader`): the Gateway API statuses are no longer "
                    "updated", evidence, FIX, basis="reported",
                    confirm="kubectl get lease -n <controller namespace> (holderIdentity, "
                            "renewTime) and the controller's log for `Started leading`")]
