"""A RayJob's submitter that could not reach the Ray head: the job's head (its master) was not
ready to take the submission.

KubeRay runs `ray job submit --address http://<head service>:8265 ...` in the submitter pod
(ray-project/kuberay v1.0.0 ray-operator/controllers/ray/common/job.go:59). Ray's job
submission client first checks the head's dashboard (the job server) and, when the HTTP
connection fails, raises `ConnectionError: Failed to connect to Ray at address: <address>.`
(ray python/ray/dashboard/modules/dashboard_sdk.py:278, the same wording in 2.6.3 and
2.49.0). The head pod may be Running and even Ready while its dashboard does not answer yet:
KubeRay before v1.0.0 created the submitter as soon as the head pod existed, so the first
submitter pod failed and a retried one completed (ray-project/kuberay#1381, fixed by #1429,
cherry-picked to v1.0.0 as #1512: the RayJob waits in JobDeploymentStatus
WaitForDashboardReady). The submitter Job retries (BackoffLimit 2, v1.0.0
rayjob_controller.go:421).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# the address is the URL the client was given; a sentence's full stop is not part of it
_HEAD_UNREACHABLE = re.compile(r"Failed to connect to Ray at address: (?P<address>\S+?)\.?"
                               r"(?=[\s'\"]|$)")


def head_unreachable(lines: list[str]) -> list[str]:
    """Up to two lines where Ray's job submission client says it cannot reach the head.

    >>> head_unreachable(['ConnectionError: Failed to connect to Ray at address: '
    ...                   'http://h-svc.ns.svc.cluster.local:8265.'])
    ['ConnectionError: Failed to connect to Ray at address: http://h-svc.ns.svc.cluster.local:8265.']
    >>> head_unreachable(['RuntimeError: Version check returned 404.'])
    []
    """
    return [" ".join(str(line).split())[:300] for line in lines
            if _HEAD_UNREACHABLE.search(str(line))][:2]


def findings(lines: list[str]) -> list[dict[str, Any]]:
    """master_not_ready when a submitter's log says the head's dashboard did not answer."""
    said = head_unreachable(lines)
    if not said:
        return []
    address = _HEAD_UNREACHABLE.search(said[0]).group("address")  # type: ignore[union-attr]
    return [finding(
        "error", "master_not_ready", {"kind": "RayJob", "name": ""},
        f"the Ray job submission client (`ray job submit`, which a RayJob's submitter pod runs) "
        f"could not connect to the Ray head's dashboard at {address}: the head pod or its "
        "dashboard (the job server, port 8265) was not up yet when the job was submitted, or "
        "the address does not reach it", said,
        "KubeRay v1.0.0 and later wait for the head's dashboard before creating the submitter "
        "(RayJob status WaitForDashboardReady) and the submitter Job retries: a later "
        "submitter pod that Completed means the job ran (upgrade an older KubeRay). If every "
        "attempt fails: check the head pod is Ready and its dashboard started (the head's "
        "log; /tmp/ray/session_latest/logs/dashboard.log in the head container), that the "
        "head Service exposes the dashboard port, and that the address names that Service",
        basis="reported")]
