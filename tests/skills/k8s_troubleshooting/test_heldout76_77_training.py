"""Held-out rounds 76-77 (pods-nodes, check_training.py). Expected values come from the
upstream source or the public thread named at each test, never from the scripts:

- Ray's job submission client cannot reach the head's dashboard: `ConnectionError: Failed to
  connect to Ray at address: <address>.` (ray python/ray/dashboard/modules/dashboard_sdk.py:278,
  2.6.3 and 2.49.0), which KubeRay's submitter (`ray job submit --address http://<head svc>:8265`,
  kuberay v1.0.0 common/job.go:59) prints when the head's dashboard is not up yet ->
  master_not_ready (ray-project/kuberay#1381, fixed by #1429/#1512: WaitForDashboardReady).
- JobSet's pod webhooks refuse a follower pod until its Job's leader (completion index 0) is
  scheduled: `follower pod node selector not set`, `leader pod not yet scheduled, not creating
  follower pod`, `expected 1 leader pod (%s), but got %d` (sigs.k8s.io/jobset v0.12.0
  pkg/webhooks/pod_webhook.go:149-157,224-237,282; v0.3.0 `incorrect number of leader pods for
  this job (expected 1, got %d)`) -> master_not_ready (JobSet troubleshooting guide, section
  "Follower pods rejected", kubernetes-sigs/jobset#1189).
- The API server cannot call a failurePolicy Fail webhook on an object a training controller
  creates: `failed calling webhook %q: %v` (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go:36)
  wrapping `failed to call webhook: %w` (mutating/dispatcher.go:310) -> admission_webhook_denied
  (kubeflow/community-distribution#3396: the Trainer's JobSet timing out on mjobset.kb.io).
"""
from __future__ import annotations

from .conftest import paste_findings, run_script, loud as _loud

TRAINING = "check_training.py"


# ---- Ray: the submitter cannot reach the head's dashboard ------------------------------------

# ray-project/kuberay#1381 as pasted (the pod list and the errored submitter pod's log)
KUBERAY_1381 = """\
NAME                                        READY   STATUS      RESTARTS   AGE
kuberay-operator-7447d85d58-89nhg           1/1     Running     0          5m44s
rayjob-sample-hwbgg                         0/1     Error       0          2m55s
rayjob-sample-raycluster-vkbxr-head-4pnd5   1/1     Running     0          5m12s
rayjob-sample-w5nvf                         0/1     Completed   0          2m48s

In the logs for the errored pod, we see

  File "/home/ray/anaconda3/lib/python3.10/site-packages/ray/dashboard/modules/dashboard_sdk.py", line 278, in _check_connection_and_version_with_url
    raise ConnectionError(
ConnectionError: Failed to connect to Ray at address: http://rayjob-sample-raycluster-vkbxr-head-svc.default.svc.cluster.local:8265.
"""


def test_ray_submitter_connection_error_is_master_not_ready():
    findings = _loud(paste_findings(TRAINING, KUBERAY_1381))
    assert findings[0]["cause"] == "master_not_ready"
    assert "8265" in findings[0]["message"]


# another form: a RayJob as the cluster holds it (KubeRay v1.x status, reason SubmissionFailed
# and the message of rayjob_controller.go "Job submission has failed. Reason: %s. Message: %s")
# with the submitter's log from the ray CLI (python3.11, the job cli.py frame)
RAYJOB_AND_LOG = """\
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train-demo
  namespace: ml
  creationTimestamp: "2025-03-01T10:00:00Z"
  uid: 0b6f0f7e-1111-2222-3333-444455556666
spec:
  entrypoint: python /home/ray/train.py
status:
  jobDeploymentStatus: Failed
  reason: SubmissionFailed
  message: 'Job submission has failed. Reason: BackoffLimitExceeded. Message: Job has reached the specified backoff limit'
---
Traceback (most recent call last):
  File "/home/ray/anaconda3/lib/python3.11/site-packages/ray/dashboard/modules/job/cli.py", line 272, in submit
  File "/home/ray/anaconda3/lib/python3.11/site-packages/ray/dashboard/modules/dashboard_sdk.py", line 278, in _check_connection_and_version_with_url
    raise ConnectionError(
ConnectionError: Failed to connect to Ray at address: http://10.96.40.2:8265.
"""


def test_rayjob_failed_with_submitter_log_names_the_head_first():
    causes = [f["cause"] for f in _loud(paste_findings(TRAINING, RAYJOB_AND_LOG))]
    assert causes[0] == "master_not_ready"
    assert "training_failed" in causes  # the RayJob's own status is still reported


def test_near_miss_ray_version_check_is_not_the_head_unready():
    # the client reached the dashboard, which answered 404 (an old Ray): dashboard_sdk.py:264
    text = KUBERAY_1381.replace(
        "ConnectionError: Failed to connect to Ray at address: http://rayjob-sample-raycluster-"
        "vkbxr-head-svc.default.svc.cluster.local:8265.",
        "RuntimeError: Version check returned 404. Please ensure the cluster is running Ray 1.9 "
        "or higher.")
    res = run_script(TRAINING, "-f", "-", "--json", stdin=text)
    causes = [f["cause"] for f in (res.doc or {}).get("findings", [])] if res.code != 2 else []
    assert "master_not_ready" not in causes


# ---- JobSet: followers refused while the leader is not scheduled -----------------------------

# the JobSet troubleshooting guide's section 5 as pasted (the event message and the log line)
JOBSET_GUIDE = """\
When creating a JobSet, you see `FailedCreate` events for follower pods with the message:
`admission webhook "vpod.kb.io" denied the request: follower pod node selector not set`

2026-02-27T19:51:30Z	ERROR	admission	finding leader pod for follower	{"webhookGroup": "", "webhookKind": "Pod", "Pod": {"name":"","namespace":"default"}, "namespace": "default", "name": "", "error": "expected 1 leader pod (jobname-0-0)), but got 0. this is an expected, transient error"}
"""


def test_follower_node_selector_not_set_is_master_not_ready():
    findings = _loud(paste_findings(TRAINING, JOBSET_GUIDE))
    assert findings[0]["cause"] == "master_not_ready"
    assert "jobname-0-0" in findings[0]["message"]  # the leader the webhook looked for


# another form: a `kubectl get events` table with v0.5+'s validating wording (the leader exists
# and has no node yet), and a describe Events row with v0.3.0's lookup wording
EVENTS_TABLE = """\
LAST SEEN   TYPE      REASON             OBJECT              MESSAGE
2m          Warning   FailedCreate       job/llm-slice-0     Error creating: admission webhook "vpod.kb.io" denied the request: leader pod not yet scheduled, not creating follower pod. this is an expected, transient error
"""
DESCRIBE_V030 = """\
Events:
  Type     Reason        Age               From            Message
  ----     ------        ----              ----            -------
  Warning  FailedCreate  45s (x9 over 3m)  job-controller  Error creating: admission webhook "vpod.kb.io" denied the request: incorrect number of leader pods for this job (expected 1, got 0)
"""


def test_leader_not_scheduled_in_events_table_and_old_wording():
    for text in (EVENTS_TABLE, DESCRIBE_V030):
        assert _loud(paste_findings(TRAINING, text))[0]["cause"] == "master_not_ready", text


def test_near_miss_two_leader_pods_or_another_refusal_stay_the_webhook_denial():
    # two live pods under the leader's name is not a leader that is late (pod_webhook.go:282)
    two = JOBSET_GUIDE.replace("but got 0", "but got 2")
    other = ('Warning  FailedCreate  10s  job-controller  Error creating: admission webhook '
             '"vpod.kb.io" denied the request: pod missing label: jobset.sigs.k8s.io/jobset-name\n')
    for text in (two, other):
        causes = [f["cause"] for f in _loud(paste_findings(TRAINING, text))]
        assert causes[0] == "admission_webhook_denied", (text, causes)
        assert "master_not_ready" not in causes


# ---- a webhook the API server cannot call ----------------------------------------------------

# kubeflow/community-distribution#3396 as pasted (the CI's error JSON)
TRAINER_CI = """\
1. `trainer_test.sh` creates `TrainJob pytorch-simple` → accepted ✅
4. No JobSet → no Jobs → no Pods → `kubectl wait` fails with `no matching resources found`

```json
{
  "error": "Internal error occurred: failed calling webhook \\"mjobset.kb.io\\": failed to call webhook: Post \\"https://jobset-webhook-service.kubeflow-system.svc:443/mutate-jobset-x-k8s-io-v1alpha2-jobset?timeout=10s\\": context deadline exceeded"
}
```
"""


def test_webhook_call_timeout_without_a_job_is_admission_webhook_denied():
    findings = _loud(paste_findings(TRAINING, TRAINER_CI))
    assert findings[0]["cause"] == "admission_webhook_denied"
    assert "mjobset.kb.io" in findings[0]["message"]
    assert "context deadline exceeded" in findings[0]["message"]


# other forms: controller-runtime's "Reconciler error" naming the TrainJob (connection refused),
# and the Trainer's TrainJobResourcesCreationFailed event in `kubectl describe trainjob`
RECONCILER_ERROR = (
    '2026-01-20T08:12:44Z\tERROR\tReconciler error\t{"controller": "trainjob_controller", '
    '"controllerKind": "TrainJob", "TrainJob": {"name":"mnist","namespace":"team-a"}, '
    '"namespace": "team-a", "name": "mnist", "error": "Internal error occurred: failed calling '
    'webhook \\"mjobset.kb.io\\": failed to call webhook: Post \\"https://jobset-webhook-service.'
    'jobset-system.svc:443/mutate-jobset-x-k8s-io-v1alpha2-jobset?timeout=10s\\": dial tcp '
    '10.96.12.7:443: connect: connection refused"}\n')
DESCRIBE_TRAINJOB = """\
Name:         mnist
Namespace:    team-a
API Version:  trainer.kubeflow.org/v1alpha1
Kind:         TrainJob
Metadata:
  Creation Timestamp:  2026-01-20T08:12:40Z
  UID:                 8d1e2c3a-0000-1111-2222-333344445555
Events:
  Type     Reason                           Age                From                 Message
  ----     ------                           ----               ----                 -------
  Warning  TrainJobResourcesCreationFailed  12s (x5 over 60s)  trainjob-controller  Internal error occurred: failed calling webhook "mjobset.kb.io": failed to call webhook: Post "https://jobset-webhook-service.kubeflow-system.svc:443/mutate-jobset-x-k8s-io-v1alpha2-jobset?timeout=10s": context deadline exceeded
"""


def test_webhook_call_failure_on_a_named_trainjob():
    for text in (RECONCILER_ERROR, DESCRIBE_TRAINJOB):
        found = _loud(paste_findings(TRAINING, text))[0]
        assert found["cause"] == "admission_webhook_denied", text
        assert found["object"]["kind"] == "TrainJob"


def test_near_miss_webhook_server_start_lines_are_no_refusal():
    text = ('2026-01-20T08:10:01Z\tINFO\tcontroller-runtime.webhook\tRegistering webhook\t'
            '{"path": "/mutate-jobset-x-k8s-io-v1alpha2-jobset"}\n'
            '2026-01-20T08:10:01Z\tINFO\tcontroller-runtime.webhook\tServing webhook server\t'
            '{"host": "", "port": 9443}\n')
    res = run_script(TRAINING, "-f", "-", "--json", stdin=text)
    assert res.code != 1
    if res.code == 0:
        assert not _loud(res.doc["findings"])
