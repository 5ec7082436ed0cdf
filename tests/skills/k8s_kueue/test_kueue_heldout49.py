"""Held-out round 49 (Kueue): JobSet's controller failing to resume an admitted JobSet, and
Kueue's webhook refusal inside a Status body whose quotes are escaped twice. Ground truth:
sigs.k8s.io/jobset pkg/controllers/jobset_controller.go:242@v0.12.0 (log.Error(err, "resuming
jobset")) and kubernetes-sigs/jobset#267 (jobs/status forbidden to its ServiceAccount, fixed by
PR #268); kubernetes-sigs/kueue#2321 (a Python client's `HTTP response body` holding `failed
calling webhook \\"mpod.kb.io\\" ... no endpoints available for service \\"kueue-webhook-service\\"`:
the Kueue pod was not running)."""
from __future__ import annotations

from .test_kueue_heldout46 import _causes

RESUME = ('2023-08-24T18:07:39Z    ERROR   resuming jobset {"controller": "jobset", "error": '
          '"jobs.batch \\"ls-slice-0\\" is forbidden: User \\"system:serviceaccount:jobset-system:'
          'jobset-controller-manager\\" cannot update resource \\"jobs/status\\" in API group '
          '\\"batch\\" in the namespace \\"default\\""}\n')
BODY = ('HTTP response body: {\\"kind\\":\\"Status\\",\\"message\\":\\"Internal error occurred: '
        'failed calling webhook \\\\"mpod.kb.io\\\\": failed to call webhook: Post \\\\"https://'
        'kueue-webhook-service.kueue-system.svc:443/mutate--v1-pod?timeout=10s\\\\": no endpoints '
        'available for service \\\\"kueue-webhook-service\\\\"\\",\\"code\\":500}\n')


def test_jobsets_controller_failing_to_resume_is_admitted_not_started():
    assert _causes("explain_pending.py", RESUME)[0] == "admitted_not_started"


def test_a_webhook_refusal_escaped_twice_is_read():
    assert "\\\\\"mpod.kb.io" in BODY  # (the paste's own escaping, twice)
    assert _causes("explain_pending.py", BODY)[0] == "kueue_controller_down"
