"""What explain_pending says when Kueue's own words are missing from the paste.

Ground truth: Kueue's source at the tags named per test (kubernetes-sigs/kueue) and the
resolutions of the public threads cited; never this script's output.
"""
from __future__ import annotations

import json
import textwrap

JOB = """
apiVersion: batch/v1
kind: Job
metadata:
  name: sample
  namespace: team-a
  labels: {kueue.x-k8s.io/queue-name: lq}
spec:
  parallelism: 1
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        resources: {requests: {cpu: 500m, memory: 500Mi}}
"""

CQ = """
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: cq}
spec:
  namespaceSelector: {}
  resourceGroups:
  - coveredResources: [cpu, memory]
    flavors:
    - name: x86
      resources:
      - {name: cpu, nominalQuota: NOMINAL}
      - {name: memory, nominalQuota: 2Gi}
"""

CONFIG = """
apiVersion: config.kueue.x-k8s.io/v1beta1
kind: Configuration
integrations:
  frameworks:
  - FRAMEWORK
"""

ADMITTED = """
apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-action-1a2b3
  namespace: default
  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: action, uid: u1, controller: true}]
spec:
  queueName: queue
  podSets:
  - name: main
    count: 1
    template: {spec: {containers: [{name: c, image: busybox,
                                    resources: {requests: {cpu: 150m}}}]}}
status:
  admission: {clusterQueue: queue, podSetAssignments: [{name: main, count: 1,
                                                         flavors: {cpu: on-demand}}]}
  conditions:
  - {type: QuotaReserved, status: "True", reason: QuotaReserved, message: Quota reserved in ClusterQueue queue}
  - {type: Admitted, status: "True", reason: Admitted, message: The workload is admitted}
"""


def run(script, tmp_path, *docs: str) -> dict:
    path = tmp_path / "paste.yaml"
    path.write_text("\n---\n".join(textwrap.dedent(d).strip() for d in docs) + "\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc


def test_a_job_whose_integration_the_configuration_leaves_out(script, tmp_path):
    # pkg/controller/jobframework/setup.go: only integrations.frameworks get a reconciler and
    # a webhook, so a Job is never suspended nor given a Workload (kueue#931, "user error").
    doc = run(script, tmp_path, JOB, CONFIG.replace("FRAMEWORK", "kubeflow.org/mpijob"))
    first = doc["findings"][0]
    assert first["cause"] == "workload_missing" and first["basis"] == "inferred"
    assert "batch/job" in first["message"] and first["confirm"]


def test_an_enabled_integration_is_no_finding_of_that_kind(script, tmp_path):
    doc = run(script, tmp_path, JOB, CONFIG.replace("FRAMEWORK", "batch/job"))
    assert all("integration" not in f["message"] for f in doc["findings"])


def test_an_admitted_workload_alone_points_past_admission(script, tmp_path):
    # Admitted=True is Kueue's last step (workload_controller.go); PodsReady is set only
    # with waitForPodsReady, so its absence proves nothing (kueue#4224).
    doc = run(script, tmp_path, ADMITTED)
    first = doc["findings"][0]
    assert (first["cause"], first["basis"], first["severity"]) == \
        ("admitted_not_started", "inferred", "warning")
    assert "job action" in first["message"] and "spec.suspend" in first["confirm"]


def test_an_admitted_workload_with_ready_pods_is_nothing(script, tmp_path):
    ready = ADMITTED.rstrip() + ("\n  - {type: PodsReady, status: \"True\", reason: PodsReady,"
                                 " message: All pods reached readiness}\n")
    doc = run(script, tmp_path, ready)
    # nothing holds it; a paste is partial, so the one a report waits on is "not in the input"
    assert [(f["cause"], f["severity"]) for f in doc["findings"]] == [("not_in_dump", "info")]


def test_a_job_that_needs_the_whole_flavor_of_a_queue_without_cohort(script, tmp_path):
    # flavorassigner.go: without a cohort the maximum capacity is the nominal quota, so a pod
    # set of 500m in a 500m flavor is admitted only while the flavor is unused (kueue#1276).
    doc = run(script, tmp_path, JOB, CQ.replace("NOMINAL", "500m"))
    first = doc["findings"][0]
    assert (first["cause"], first["basis"]) == ("quota_exhausted", "inferred")
    assert "no cohort" in first["message"] and "flavorsReservation" in first["confirm"]


def test_a_queue_with_room_for_two_such_jobs_is_not_called_busy(script, tmp_path):
    doc = run(script, tmp_path, JOB, CQ.replace("NOMINAL", "2"))
    assert all(f["cause"] != "quota_exhausted" for f in doc["findings"])


def test_a_pretty_printed_log_record_of_a_workload_name_clash(script, tmp_path):
    # jobframework/reconciler.go v0.6.0:335 log.Error(err, "Handling job with no workload"),
    # the apiserver's AlreadyExists error (kueue#1726)
    record = {"level": "error", "msg": "Handling job with no workload",
              "controller": "job", "job": "team-a/sample", "gvk": "batch/v1, Kind=Job",
              "error": 'workloads.kueue.x-k8s.io "job-sample-ff6d8" already exists'}
    path = tmp_path / "log.txt"
    path.write_text("errors from kueue:\n```json\n" + json.dumps(record, indent=2) + "\n```\n")
    doc = script("explain_pending.py", "-f", str(path), "--json").doc
    first = doc["findings"][0]
    assert (first["cause"], first["basis"]) == ("workload_missing", "reported")
    assert (first["object"]["kind"], first["object"]["name"]) == ("Job", "sample")
    assert any("--cascade=orphan" in e for e in first["evidence"])
