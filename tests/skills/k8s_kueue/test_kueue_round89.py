"""Round 89: Kueue defects read from what the API server, the Namespace controller and Kueue's
own log report.

- A webhook's denial whose answer is a panic, with the value on the next line or
  `[recovered]` cut off (kubernetes-sigs/kueue#10314: mjob.kb.io with the Job integration off,
  fixed by #10315).
- Kueue's pod webhook refusing a pod's priority-class label as immutable (PR #4711), also as
  GitHub's markdown auto-links copy it.
- The visibility APIService registered while nothing serves it: namespaces stuck
  Terminating on its stale discovery (kueue#1769, v0.6.0's manifest, fixed in v0.6.1), and the
  visibility server unable to bind its port (kueue#2205, the sample pprofBindAddress :8082).
- A preemption loop in the scheduler's log: the same victim preempted again after it
  re-admitted (kueue#6929, fixed by #7157 in v0.13.6 / v0.14.1).

Lines are the threads' as posted (the reporters' own elisions kept)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"
sys.path.insert(0, str(ROOT / "skills" / "k8s-kueue" / "scripts"))
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from _kueue import messages, preemption_loop, visibility_api  # noqa: E402


def _findings(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return json.loads(proc.stdout)["findings"] if proc.stdout.strip() else []


# --- a webhook's panic answered as a denial ------------------------------------------------

# kueue#10314 (v0.17.0), the reporter's elisions kept
JOB_WEBHOOK_PANIC = """job "...-launcher-0" creation failed with error: admission webhook "mjob.kb.io" denied the request:
panic: runtime error: invalid memory address or nil pointer dereference
sigs.k8s.io/kueue/pkg/cache/queue.(*Manager).DefaultLocalQueueExist(0x0, ...)
sigs.k8s.io/kueue/pkg/controller/jobframework.ApplyDefaultLocalQueue(...)
sigs.k8s.io/kueue/pkg/controller/jobs/job.(*JobWebhook).Default(...)
...
"""


def test_a_denial_whose_answer_is_a_panic_on_the_next_line_is_a_kueue_bug():
    top = _findings(JOB_WEBHOOK_PANIC)[0]
    assert top["cause"] == "kueue_bug", top
    assert "mjob.kb.io" in top["message"]
    assert "DefaultLocalQueueExist" in " ".join(top["evidence"])


def test_the_same_denial_on_one_line_with_recovered_cut_off():
    one_line = ('Error from server (InternalError): error when creating "job.yaml": admission '
                'webhook "mpod.kb.io" denied the request: panic: runtime error: invalid memory '
                'address or nil pointer dereference\n'
                'sigs.k8s.io/kueue/pkg/controller/jobs/pod.(*PodWebhook).Default(...)\n')
    top = _findings(one_line)[0]
    assert top["cause"] == "kueue_bug", top
    assert "mpod.kb.io" in top["message"]


def test_a_denial_with_a_reason_is_not_a_panic():
    refused = ('Error from server (Forbidden): error when creating "job.yaml": admission webhook '
               '"vjob.kb.io" denied the request: spec.parallelism: Invalid value: 0: must be '
               'greater than 0\n')
    assert all(f["cause"] != "kueue_bug" for f in _findings(refused))


# --- the pod webhook refusing its own priority-class label ---------------------------------

# PR #4711, as GitHub's markdown auto-links render it
LWS_PRIORITY = ('"error":"admission webhook \\"[vpod.kb.io](http://vpod.kb.io/)\\" denied the '
                'request: metadata.labels[[kueue.x-k8s.io/priority-class](http://kueue.x-k8s.io/'
                'priority-class)]: Invalid value: \\"high-priority\\": field is immutable"...\n')


def test_the_pod_webhook_refusing_the_priority_class_label_is_a_kueue_bug():
    causes = [f["cause"] for f in _findings(LWS_PRIORITY)]
    assert causes[0] == "kueue_bug", causes
    # (the same words are a denial too: second)
    clauses = [c.cause for c in messages.clauses(LWS_PRIORITY)]
    assert clauses[:2] == ["kueue_bug", "admission_webhook_denied"], clauses


def test_the_same_refusal_as_plain_text():
    plain = ('Error from server (Forbidden): admission webhook "vpod.kb.io" denied the request: '
             'metadata.labels[kueue.x-k8s.io/priority-class]: Invalid value: "high": field is '
             'immutable')
    assert [c.cause for c in messages.clauses(plain)][0] == "kueue_bug"


def test_a_job_webhook_keeping_the_queue_name_stays_a_denial():
    queue = ('error when patching "job.yaml": admission webhook "vjob.kb.io" denied the '
             'request: metadata.labels[kueue.x-k8s.io/queue-name]: Invalid value: "q": field is '
             'immutable')
    causes = [c.cause for c in messages.clauses(queue)]
    assert "kueue_bug" not in causes and "admission_webhook_denied" in causes


# --- the visibility API registered, not served ---------------------------------------------

# kueue#1769 (v0.6.0): the namespace's status, as `kubectl get ns -o yaml` folds it
STUCK_NAMESPACE = """apiVersion: v1
kind: Namespace
metadata:
  deletionTimestamp: "2024-02-26T15:40:10Z"
  name: test
spec:
  finalizers:
  - kubernetes
status:
  conditions:
  - lastTransitionTime: "2024-02-26T15:40:15Z"
    message: 'Discovery failed for some groups, 1 failing: unable to retrieve the
      complete list of server APIs: visibility.kueue.x-k8s.io/v1alpha1: stale GroupVersion
      discovery: visibility.kueue.x-k8s.io/v1alpha1'
    reason: DiscoveryFailed
    status: "True"
    type: NamespaceDeletionDiscoveryFailure
  phase: Terminating
"""


def test_a_namespace_stuck_on_the_visibility_apis_stale_discovery_is_a_kueue_bug():
    top = _findings(STUCK_NAMESPACE)[0]
    assert top["cause"] == "kueue_bug", top
    assert top["object"]["kind"] == "APIService"
    assert "NamespaceDeletionDiscoveryFailure" in top["message"]


def test_kubectls_discovery_warning_names_the_same_group():
    warning = ["E0226 15:41:02.123456   1234 memcache.go:287] couldn't get resource list for "
               "visibility.kueue.x-k8s.io/v1alpha1: stale GroupVersion discovery: "
               "visibility.kueue.x-k8s.io/v1alpha1"]
    assert [f["cause"] for f in visibility_api.findings(warning)] == ["kueue_bug"]


def test_another_groups_stale_discovery_or_the_manager_down_says_nothing_here():
    assert visibility_api.findings(["stale GroupVersion discovery: metrics.k8s.io/v1beta1"]) == []
    down = ["unable to retrieve the complete list of server APIs: visibility.kueue.x-k8s.io/"
            "v1beta1: Get https://kueue-visibility-server:443: dial tcp: connection refused"]
    assert visibility_api.findings(down) == []


# kueue#2205 (v0.6.2): the APIService's status and the manager's log, as posted
PORT_TAKEN = """kubectl get apiservice v1alpha1.visibility.kueue.x-k8s.io -o yaml
status:
  conditions:
  - lastTransitionTime: "2024-05-14T20:31:25Z"
    message: 'failing or missing response from https://10.96.172.213:443/apis/visibility.kueue.x-k8s.io/v1alpha1:
      Get "https://10.96.172.213:443/apis/visibility.kueue.x-k8s.io/v1alpha1": http:
      server gave HTTP response to HTTPS client'
    reason: FailedDiscoveryCheck
    status: "False"
    type: Available

{"level":"error","ts":"2024-05-17T20:12:46.493819819Z","logger":"visibility-server","caller":"visibility/server.go:52","msg":"Unable to apply VisibilityServerOptions","error":"failed to create listener: failed to listen on 0.0.0.0:8082: listen tcp 0.0.0.0:8082: bind: address already in use"}
F0517 20:12:46.493924       1 config.go:681] cannot derive external address port without listening on a secure port.
"""


def test_the_visibility_servers_port_taken_is_a_kueue_bug():
    top = _findings(PORT_TAKEN)[0]
    assert top["cause"] == "kueue_bug", top
    assert "0.0.0.0:8082" in top["message"]
    assert any("HTTP response to HTTPS client" in e for e in top["evidence"])


def test_a_newer_managers_wrapped_setup_error_is_read_too():
    v019 = ['{"level":"error","msg":"Unable to create and start visibility server","error":'
            '"unable to apply VisibilityServerOptions: failed to create listener: failed to '
            'listen on 0.0.0.0:8082: listen tcp 0.0.0.0:8082: bind: address already in use"}']
    assert [f["cause"] for f in visibility_api.findings(v019)] == ["kueue_bug"]


def test_another_listener_in_use_is_not_the_visibility_server():
    metrics = ['{"level":"error","msg":"Unable to start manager","error":"error listening on '
               ':8080: listen tcp :8080: bind: address already in use"}']
    assert visibility_api.findings(metrics) == []


# --- a preemption loop ---------------------------------------------------------------------

# kueue#6929 (v0.13.4): the reporter's trimmed scheduler trace
LOOP_TRACE = """"schedulingCycle":65,"cq-heads":"job-4"}
"schedulingCycle":65,"processing workload":"job-4","preemption targets":"job-1"}
"schedulingCycle":65,"workload":"job-4","assigned-mode":"Preempt"}
"schedulingCycle":65,"workload":"job-4","attempting to preempt workload":"job-1"}
"schedulingCycle":65,"workload":"job-4","preempted-count":1}
---
"schedulingCycle":66,"workload":"job-4","skipping preemption as ongoing workload":"job-1"}
---
"schedulingCycle":71,"cq-heads":"job-1, job-3"} // <-- job-3 attempt again, together with job-1
"schedulingCycle":71,"workload":"job-3","assigned-mode":"NoFit"}
"schedulingCycle":71,"workload":"job-1","assigned-mode":"Fit"}
"end","schedulingCycle":71,"workload":"job-1","status":"assumed","msg":""} // <-- job-1 is scheduled
---
"schedulingCycle":72,"cq-heads":"job-4"}
"schedulingCycle":72,"workload":"job-4","attempting to preempt workload":"job-1"} // <-- job-4 is stuck
"""


def test_a_victim_preempted_again_after_it_readmitted_is_a_kueue_bug():
    top = _findings(LOOP_TRACE)[0]
    assert top["cause"] == "kueue_bug", top
    assert top["object"]["name"] == "job-4"
    assert "job-1" in top["message"]


# upstream's own records (pkg/scheduler/preemption/preemption.go:176@v0.13.4, scheduler.go:624)
UPSTREAM_LOOP = [
    '{"level":"Level(-3)","msg":"Preempted","targetWorkload":{"name":"low","namespace":"ns"},'
    '"preemptingWorkload":{"name":"high","namespace":"ns"},"reason":"InCohortReclamation"}',
    '{"level":"Level(-2)","msg":"Workload assumed in the cache","workload":{"name":"low",'
    '"namespace":"ns"},"clusterQueue":{"name":"cq-1"}}',
    '{"level":"Level(-3)","msg":"Preempted","targetWorkload":{"name":"low","namespace":"ns"},'
    '"preemptingWorkload":{"name":"high","namespace":"ns"},"reason":"InCohortReclamation"}',
]


def test_upstreams_preempted_and_assumed_records_show_the_same_loop():
    found = preemption_loop.findings(UPSTREAM_LOOP)
    assert [f["cause"] for f in found] == ["kueue_bug"]
    assert found[0]["object"]["name"] == "high"


def test_one_preemption_or_no_readmission_is_no_loop():
    assert preemption_loop.findings(UPSTREAM_LOOP[:2]) == []
    assert preemption_loop.findings([UPSTREAM_LOOP[0], UPSTREAM_LOOP[2]]) == []
    ongoing = LOOP_TRACE.split("---")[0] + LOOP_TRACE.split("---")[1]
    assert preemption_loop.findings([ongoing]) == []
