"""Paste forms users give about Kueue, one test per form; expected values come from Kueue's
source (tag named) or the public thread the form was taken from."""
from __future__ import annotations

import sys
import textwrap

import pytest

from .conftest import SCRIPTS

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue.messages import message_span
from _kueue.objects import Cluster
from k8s_skillkit.loading import parse_paste


def cluster_of(lines: list[str]) -> Cluster:
    """The Cluster explain_pending builds: objects (tables too) from the kit's paste reader."""
    dump = parse_paste("\n".join(lines) + "\n", "paste")
    return Cluster(dump, (), list(dump.texts), lines)


def _findings_of(script, tmp_path, name: str, text: str) -> list[dict]:
    """`name` (explain_pending.py or explain_eviction.py) on the text as given."""
    path = tmp_path / "paste.txt"
    path.write_text(text, encoding="utf-8")
    result = script(name, "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def run(script, tmp_path, text: str):
    path = tmp_path / "paste.txt"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


def test_message_span_keeps_only_kueues_words():
    # kueue#9843: the message quoted in a sentence with backticks
    line = ("Issue: the workload fails with `couldn't assign flavors to pod set main: "
            "insufficient quota for cpu in flavor f, previously considered podsets requests (0) "
            "+ current podset request (3) > maximum capacity (0)`")
    assert message_span(line).startswith("couldn't assign flavors to pod set main:")
    assert message_span(line).endswith("maximum capacity (0)")
    # an apostrophe inside the message does not close a single-quoted message
    assert message_span("see 'couldn't assign flavors to pod set head: flavor gpu doesn't "
                        "match node affinity' again") == \
        "couldn't assign flavors to pod set head: flavor gpu doesn't match node affinity"


def test_admitted_by_column_is_a_reservation_not_admission():
    # v0.5/v0.6 printer column "Admitted by" = .status.admission.clusterQueue (kueue#1790)
    lines = ["NAME                           QUEUE        ADMITTED BY     AGE",
             "jobset-sleep-job-5xh9k-af81b   user-queue   cluster-queue   2m5s",
             "However, the output of kubectl get suggests it is already admitted:"]
    cluster = cluster_of(lines)
    assert len(cluster.workloads) == 1  # the sentence under the table is not a row
    conds = {c["type"]: c["status"] for c in cluster.workloads[0]["status"]["conditions"]}
    assert conds == {"QuotaReserved": "True"}


def test_job_table_rows_take_the_namespace_of_the_get_line():
    lines = ["$ kubectl get job -n test",
             "NAME                        STATUS      COMPLETIONS   DURATION   AGE",
             "sleep-job-x5ffx-driver-0    Suspended   0/1                      16m"]
    cluster = cluster_of(lines)
    job = cluster.jobs[0]
    assert job["metadata"] == {"name": "sleep-job-x5ffx-driver-0", "namespace": "test"}
    assert job["spec"]["suspend"] is True


def test_child_job_suspended_without_any_workload_is_workload_missing(script, tmp_path):
    # reconciler.go v0.4.0-v0.19.0 event; kueue#7649 paste (v0.14.4)
    found = run(script, tmp_path, """\
        $ kubectl get job -n test
        NAME                        STATUS      COMPLETIONS   DURATION   AGE
        sleep-job-x5ffx-driver-0    Suspended   0/1                      16m

        Events:
          Type    Reason     Age                    From                        Message
          ----    ------     ----                   ----                        -------
          Normal  Suspended  13s (x14709 over 10m)  batch/job-kueue-controller  Kueue managed child job suspended

        $ kubectl get workloads -A
        No resources found
        """)
    assert [f["cause"] for f in found] == ["workload_missing"]
    assert found[0]["basis"] == "reported"
    assert found[0]["object"]["name"] == "sleep-job-x5ffx-driver-0"
    assert "kueue#7649" in found[0]["fix"]


def test_a_pasted_status_block_is_read_as_the_workload(script, tmp_path):
    # kueue#6035: only `status:` of the Workload, indented as cut from -o yaml (v0.12 wording)
    found = run(script, tmp_path, """\
          status:
            admissionChecks:
            - message: 'Reset to Pending after eviction. Previously: Rejected'
              name: lilypad-gpu-capacity-check
              state: Pending
            conditions:
            - message: Quota reserved in ClusterQueue ml-infra
              reason: QuotaReserved
              status: "True"
              type: QuotaReserved
            - message: 'The workload is deactivated due to Admission check(s): [lilypad-gpu-capacity-check],
                were rejected'
              reason: DeactivatedDueToAdmissionCheck
              status: "True"
              type: Evicted
        """)
    assert found[0]["cause"] == "admission_check_rejected"
    assert any("lilypad-gpu-capacity-check" in e for e in found[0]["evidence"])


@pytest.mark.parametrize("line,cause,note", [
    # kueue#9843: a cpu quota of 1E overflows to "maximum capacity (0)"
    ("couldn't assign flavors to pod set main: insufficient quota for cpu in flavor "
     "default-flavor, previously considered podsets requests (0) + current podset request (3) "
     "> maximum capacity (0)", "exceeds_max_quota", "kueue#9843"),
    # kueue#3211/#3482: v0.9.0 counted TAS usage once per resource
    ("Warning  Pending  49s (x2 over 49s)  kueue-admission  couldn't assign flavors to pod set "
     "worker: topology \"default\" allows to fit only -3 out of 2 pod(s)", "topology_unfit",
     "kueue#3482"),
])
def test_a_number_in_kueues_message_gets_its_note(script, tmp_path, line, cause, note):
    found = run(script, tmp_path, line + "\n")
    assert found[0]["cause"] == cause
    assert any(note in e for e in found[0]["evidence"])


def test_event_rows_without_header_and_a_later_pending_keep_the_preemption(script, tmp_path):
    # aws-samples/aws-do-hyperpod hero demo README: rows quoted without the header; the
    # Preempted event (preemption.go v0.11+ wording) has no QuotaReserved after it
    found = run(script, tmp_path, """\
        kubectl describe workload -n team
         Normal   Preempted      4m47s                  kueue-admission  Preempted to accommodate a workload (UID: u1, JobUID: j1) due to Fair Sharing within the cohort
          Warning  Pending        16s (x11 over 4m16s)   kueue-admission  couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor g5, 2 more needed
        """)
    assert found[0]["cause"] == "preempted"
    assert found[0]["object"]["name"] == ""  # `-n team` is not the Workload's name
    assert any("2 more needed" in e for e in found[0]["evidence"])


def test_a_readmission_after_the_preemption_ends_it(script, tmp_path):
    found = run(script, tmp_path, """\
        Events:
          Type     Reason         Age   From             Message
          ----     ------         ----  ----             -------
          Normal   Preempted      10m   kueue-admission  Preempted to accommodate a workload (UID: u1, JobUID: j1) due to prioritization in the ClusterQueue
          Normal   QuotaReserved  5m    kueue-admission  Quota reserved in ClusterQueue cq, wait time since queued was 300s
          Warning  Pending        1m    kueue-admission  couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor f, 1 more needed
        """)
    assert found[0]["cause"] == "quota_exhausted"


def test_a_manifest_with_generate_name_finds_its_workload(script, tmp_path):
    # kueue#1787: the JobSet as applied (generateName) and the Workload of the object it became
    found = run(script, tmp_path, """\
        apiVersion: jobset.x-k8s.io/v1alpha2
        kind: JobSet
        metadata:
          generateName: sleep-job-
          labels: {kueue.x-k8s.io/queue-name: user-queue}
        spec: {suspend: true}
        ---
        apiVersion: kueue.x-k8s.io/v1beta1
        kind: Workload
        metadata:
          name: jobset-sleep-job-hjksj-83145
          namespace: default
          ownerReferences: [{apiVersion: jobset.x-k8s.io/v1alpha2, kind: JobSet,
                             name: sleep-job-hjksj, uid: u1, controller: true}]
        spec: {queueName: user-queue, podSets: []}
        status:
          admission: {clusterQueue: cluster-queue, podSetAssignments: []}
          admissionChecks: [{name: sample-multikueue, state: Pending, message: ""}]
          conditions: [{type: QuotaReserved, status: "True", reason: QuotaReserved,
                        message: Quota reserved in ClusterQueue cluster-queue}]
        """)
    assert [f["cause"] for f in found] == ["admission_check_pending"]
    assert "no message" in found[0]["message"]


def test_a_gate_kueue_does_not_own_holds_an_admitted_pod(script, tmp_path):
    # kueue#9482: Kueue removes only kueue.x-k8s.io/* gates (pod constants, v0.19)
    found = run(script, tmp_path, """\
        apiVersion: v1
        kind: Pod
        metadata:
          generateName: kueue-sleep-
          namespace: kueue-test
          labels: {kueue.x-k8s.io/queue-name: user-queue}
        spec:
          schedulingGates: [{name: test}]
          containers: [{name: sleep, image: busybox}]
        ---
        $ k get pods -n kueue-test
        NAME                READY   STATUS            RESTARTS   AGE
        kueue-sleep-qw5hb   0/1     SchedulingGated   0          2m3s
        """)
    assert found[0]["cause"] == "admitted_not_started"
    assert found[0]["object"]["name"] == "kueue-sleep-qw5hb"
    assert "test" in found[0]["message"]


def test_a_refused_unsuspend_record_names_the_pod_and_quotes_the_error(script, tmp_path):
    # jobframework/reconciler.go v0.6.2:388 log.Error(err, "Unsuspending job"), a plain pod
    # whose gate removal the apiserver refused (kueue#2029); the record wrapped by a terminal
    found = run(script, tmp_path, """\
        manager {"level":"error","msg":"Unsuspending job","controller":"v1_pod",
        "job":"dat/wf-1","gvk":"/v1, Kind=Pod","error":"Pod \\"wf-1\\" is invalid: spec: Forbidden:
         pod updates may not change fields"}
        """)
    assert (found[0]["cause"], found[0]["basis"]) == ("admitted_not_started", "reported")
    assert (found[0]["object"]["kind"], found[0]["object"]["name"]) == ("Pod", "wf-1")
    assert any(e.startswith('error: Pod "wf-1" is invalid') for e in found[0]["evidence"])


def test_a_refused_workload_create_names_the_pod_of_the_reconciler_record(script, tmp_path):
    # controller-runtime "Reconciler error" of Kueue's pod controller ("v1_pod") with the
    # apiserver's NewInvalid for the Workload Kueue built (kueue#9003, v0.15.0)
    found = run(script, tmp_path, """\
        **What happened**:
        ```json
        {"level":"error","msg":"Reconciler error","controller":"v1_pod","namespace":"ns1","name":"p1","error":"Workload.kueue.x-k8s.io \\"pod-p1-e7fb8\\" is invalid: spec.podSets[0].template.spec.initContainers[0].env[2]: Duplicate value"}
        ```
        """)
    assert (found[0]["cause"], found[0]["basis"]) == ("workload_missing", "reported")
    assert (found[0]["object"]["kind"], found[0]["object"]["namespace"],
            found[0]["object"]["name"]) == ("Pod", "ns1", "p1")


def test_a_record_whose_inner_quotes_lost_their_backslashes_keeps_the_whole_error(
        script, tmp_path):
    # kueue#2227 (v0.6): a "Reconciler error" record pasted with the error's inner quotes
    # unescaped; the apiserver refused a Workload pod set of count 0 (the Workload CRD's
    # podSets[].count had minimum 1 before v0.7.0, apis/kueue/v1beta1/workload_types.go)
    found = run(script, tmp_path, """\
        ```
        {"level":"error","msg":"Reconciler error","controller":"jobset","namespace":"ns2","name":"js1","error":"Workload.kueue.x-k8s.io "jobset-js1-0a1b2" is invalid: spec.podSets[1].count: Invalid value: 0: spec.podSets[1].count in body should be greater than or equal to 1","stacktrace":"x"}
        ```
        """)
    assert (found[0]["cause"], found[0]["basis"]) == ("workload_missing", "reported")
    assert "spec.podSets[1].count" in found[0]["message"]
    assert any("count 0" in e and "v0.7.0" in e for e in found[0]["evidence"])


def test_the_v070_webhook_queue_refusal_gives_two_ranked_readings(script, tmp_path):
    # Kueue v0.7.0 jobset_webhook.go:76 returns queue.ErrQueueDoesNotExist ("queue doesn't
    # exist") when the queue manager knows no LocalQueue <ns>/<queue-name>
    # (pkg/queue/manager.go:584-591); kueue#2416 reported it with a LocalQueue whose
    # ClusterQueue was missing. First the source's reading, then the reported one, with the
    # command that tells them apart.
    found = run(script, tmp_path, """\
        Error from server (Forbidden): error when creating "js.yaml": admission webhook "mjobset.kb.io" denied the request: queue doesn't exist
        """)
    assert [(f["cause"], f["basis"]) for f in found] == [
        ("local_queue_missing", "reported"), ("cluster_queue_missing", "inferred")]
    assert any("v0.7.1" in e for e in found[0]["evidence"])
    assert found[1]["confirm"].startswith("kubectl get localqueue")


def test_a_podsready_eviction_log_line_in_prose_is_read(script, tmp_path):
    # workload_controller.go v0.3.0..v0.19.2 V(2) "Start the eviction of the workload due to
    # exceeding the PodsReady timeout"; the prose around it has colons (not YAML)
    found = run(script, tmp_path, """\
        The wrapper keeps cycling. I found some logs from Kueue after it goes into `suspending`:

        {"level":"Level(-2)","msg":"Start the eviction of the workload due to exceeding the PodsReady timeout","workload":{"name":"wl-a","namespace":"ns3"}}
        """)
    assert (found[0]["cause"], found[0]["basis"]) == ("pods_ready_timeout", "reported")
    assert (found[0]["object"]["namespace"], found[0]["object"]["name"]) == ("ns3", "wl-a")


@pytest.mark.parametrize("sentence", [
    "- No Workload is created for the TFJob",
    "for any job that isn't a batch Job the workload doesn't get created",
    "adding the label doesn't seem to be creating the workload",
])
def test_a_report_that_says_no_workload_exists_is_an_inferred_workload_missing(
        script, tmp_path, sentence):
    # prose only (kueue#10483, #2536): Kueue said nothing, the user says it made no Workload;
    # Kueue runs no reconciler for a kind outside integrations.frameworks
    # (pkg/controller/jobframework/setup.go)
    found = run(script, tmp_path, f"""\
        Steps:
        1. Create a ClusterQueue and a LocalQueue
        2. Create the job with the kueue.x-k8s.io/queue-name label

        {sentence}
        """)
    assert [(f["cause"], f["basis"]) for f in found] == [("workload_missing", "inferred")]
    assert found[0]["confirm"]


def test_prose_about_a_pending_workload_is_not_read_as_a_missing_one(script, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text("The workload is created but never admitted: it stays pending.\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    # nothing this skill reads: not decided (no local_queue_missing guess), what to paste
    assert result.code == 0
    assert [f["cause"] for f in result.doc["findings"]] == ["not_evaluated"]


def test_kueues_own_start_failure_names_the_configuration_error(script, tmp_path):
    # cmd/kueue/main.go v0.11.0: setupLog.Error(err, "Unable to load the configuration") and
    # exit; the error is the Configuration's validation (kueue#4215)
    found = run(script, tmp_path, """\
        The controller didn't start:
        `{"level":"error","logger":"setup","caller":"kueue/main.go:120","msg":"Unable to load the configuration","error":"integrations.frameworks[3]: Unsupported value: \\"example.com/newjob\\": supported values: \\"batch/job\\""}`
        """)
    assert (found[0]["cause"], found[0]["basis"]) == ("workload_missing", "reported")
    assert found[0]["message"].startswith("kueue-controller-manager does not start")
    assert any(e.startswith("error: integrations.frameworks[3]") for e in found[0]["evidence"])


def test_yaml_single_quoted_message_with_doubled_quotes_is_one_message():
    # YAML 1.2 §7.3.2: a single-quoted scalar writes ' as ''; kubectl -o yaml prints Kueue's
    # condition message that way (kueue#7350's paste). Read as text (its YAML indentation
    # broken), the message is the quoted span, not everything after its first clause.
    line = ("message: 'couldn''t assign flavors to pod set main: insufficient unused quota "
            "for memory in flavor default, 1953125Ki more needed. Pending the preemption "
            "of 1 workload(s)' observedGeneration: 1 reason: Pending status: \"False\" "
            "type: QuotaReserved conditions: - message: 'Preempted to accommodate a workload "
            "(UID: 9f54) due to prioritization in the ClusterQueue' reason: Preempted")
    assert message_span(line) == (
        "couldn't assign flavors to pod set main: insufficient unused quota for memory in "
        "flavor default, 1953125Ki more needed. Pending the preemption of 1 workload(s)")


def test_broken_yaml_quoting_kueue_beside_an_unrelated_pod_keeps_the_waiting_cause(
        script, tmp_path):
    # kueue#7350 as pasted (indentation broken, so the kit reads it as text), with an
    # unrelated Running pod's describe text after it: the pending workload's own message
    # decides (quota), not the victim's Preempted condition further down.
    findings = run(script, tmp_path, """\
        Status from high priority job:

        ```yaml
        - lastTransitionTime: "2025-10-23T06:33:18Z"
           message: 'couldn''t assign flavors to pod set main: insufficient unused quota
            for memory in flavor default, 1953125Ki more needed. Pending the preemption
            of 1 workload(s)'
           reason: Pending
           status: "False"
           type: QuotaReserved
        ```

        Status from low priority job:

        ```yaml
        conditions:
          - lastTransitionTime: "2025-10-23T06:33:18Z"
           message: 'Preempted to accommodate a workload (UID: 9f54, JobUID: a20d) due to
            prioritization in the ClusterQueue'
           reason: Preempted
           status: "True"
           type: Evicted
        ```

        $ kubectl describe pod web-5d8f7c9b4-x2k7q -n storefront
        Name:             web-5d8f7c9b4-x2k7q
        Namespace:        storefront
        Status:           Running
        Containers:
          web:
            State:          Running
            Ready:          True
        Events:                      <none>
        """)
    assert findings[0]["cause"] == "quota_exhausted", findings[0]


def test_get_events_rows_pasted_without_their_header(script, tmp_path):
    # kueue#9048: `kubectl get events` rows (1.14+ columns LAST SEEN TYPE REASON OBJECT
    # MESSAGE) copied without the header line. SecondPassFailed is the Warning event of the
    # delayed TAS pass, carrying the inadmissible message (pkg/scheduler/scheduler.go v0.16.0
    # and v0.19.2: recorder.Eventf(..., "SecondPassFailed", ...)).
    found = run(script, tmp_path, """\
        25s         Normal    QuotaReserved                            workload/rayjob-test-gpu-e11f0                       Quota reserved in ClusterQueue cluster-queue, wait time since queued was 0s
        16s         Normal    AdmissionCheckUpdated                    workload/rayjob-test-gpu-e11f0                       Admission check provisioning updated state from Pending to Ready with message: Capacity is found in the cluster
        1s          Warning   SecondPassFailed                         workload/rayjob-test-gpu-e11f0                       couldn't assign flavors to pod set h100x8: insufficient unused quota for nvidia.com/gpu in flavor default-flavor, 8 more needed
        """)
    assert found[0]["cause"] == "quota_exhausted"
    assert found[0]["basis"] == "reported"
    assert found[0]["object"]["name"] == "rayjob-test-gpu-e11f0"


def test_header_less_event_rows_keep_the_namespace_column_and_prose_stays_text():
    from k8s_skillkit import event_table
    rows = ["team-a   3m   Warning   Pending   workload/job-x-1a2b3   couldn't assign flavors "
            "to pod set main: resource cpu unavailable in ClusterQueue"]
    events = event_table.parse_bare_rows(rows)
    assert events[0]["involvedObject"] == {"kind": "Workload", "name": "job-x-1a2b3",
                                           "namespace": "team-a"}
    assert events[0]["reason"] == "Pending"
    # a sentence that merely contains Normal/Warning is not a row
    assert not event_table.is_bare_row("I see a Warning in the logs for workload/x sometimes")


def test_a_workload_that_names_no_local_queue(script, tmp_path):
    # kueue#5048: `kubectl get wl` with an empty QUEUE column. spec.queueName is omitempty
    # (apis/kueue/v1beta2/workload_types.go v0.19.2); getQueueBlocker (pkg/controller/core/
    # workload_controller.go v0.19.2) looks the empty name up: `LocalQueue  doesn't exist`.
    found = run(script, tmp_path, """\
        kubectl get wl
        NAME                            QUEUE   RESERVED IN   ADMITTED   FINISHED   AGE
        pod-nginx-statefulset-0-7b2bd                                               116s
        """)
    assert found[0]["cause"] == "no_queue_label"
    assert "spec.queueName is empty" in found[0]["message"]


def test_kueue_looking_up_an_empty_queue_name(script, tmp_path):
    # getQueueBlocker formats "LocalQueue %s doesn't exist" with the empty name (two spaces)
    found = run(script, tmp_path, """\
        Events:
          Type     Reason        Age   From                Message
          ----     ------        ----  ----                -------
          Warning  Inadmissible  5s    kueue-admission     LocalQueue  doesn't exist
        """)
    assert found[0]["cause"] == "no_queue_label", found


def test_a_status_only_workload_says_nothing_about_its_queue(script, tmp_path):
    found = run(script, tmp_path, """\
        apiVersion: kueue.x-k8s.io/v1beta2
        kind: Workload
        metadata: {name: w, namespace: ns}
        status:
          conditions:
          - {type: QuotaReserved, status: "False", reason: Pending, message: "couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor f, 1 more needed"}
        """)
    assert found[0]["cause"] == "quota_exhausted"


def test_a_labelled_job_without_its_workload_is_unknown_not_fine(script, tmp_path):
    # issue 12: a dump is partial. A queue-labelled JobSet whose Workload is not in the paste
    # (kueue#6868 pasted only manifests) is "not in the dump", never "nothing stuck".
    found = run(script, tmp_path, """\
        apiVersion: jobset.x-k8s.io/v1alpha2
        kind: JobSet
        metadata:
          name: simple-jobset
          labels: {kueue.x-k8s.io/queue-name: jessica-queue}
        spec:
          replicatedJobs: []
        """)
    assert [(f["cause"], f["severity"]) for f in found] == [("not_in_dump", "info")]
    assert "kubectl get workloads" in found[0]["confirm"]


# `kubectl get clusterqueue` prints Kueue's printer columns (config/components/crd/bases/
# kueue.x-k8s.io_clusterqueues.yaml at v0.19.2: Cohort, Strategy, Pending Workloads, Admitted
# Workloads): a row holds no spec. Its namespaceSelector and resourceGroups are unknown, not
# nil: nothing about them may be inferred (a nil selector selects no namespace, an empty
# resourceGroups covers nothing, both of which would be read from a row that shows neither).
CQ_ROWS_ONLY = """$ kubectl get workloads -n team-a
NAME                        QUEUE        RESERVED IN   ADMITTED   FINISHED   AGE
job-sample-job-7x2b4-3c1f   user-queue                                       12m
$ kubectl get clusterqueue
NAME            COHORT   PENDING WORKLOADS
cluster-queue            1
$ kubectl get localqueue -n team-a
NAME         CLUSTERQUEUE    PENDING WORKLOADS   ADMITTED WORKLOADS
user-queue   cluster-queue   1                   0
"""
CQ_ROW_AND_WORKLOAD = """$ kubectl get clusterqueue
NAME            COHORT   PENDING WORKLOADS
cluster-queue            1
$ kubectl get localqueue -n team-a
NAME         CLUSTERQUEUE    PENDING WORKLOADS   ADMITTED WORKLOADS
user-queue   cluster-queue   1                   0
$ kubectl get workload -n team-a job-a -o yaml
apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-a
  namespace: team-a
spec:
  queueName: user-queue
  podSets:
  - name: main
    count: 1
    template:
      spec:
        containers:
        - name: c
          image: busybox
          resources:
            requests:
              cpu: "1"
              nvidia.com/gpu: "1"
"""


@pytest.mark.parametrize("text", [CQ_ROWS_ONLY, CQ_ROW_AND_WORKLOAD])
def test_a_clusterqueue_table_row_has_no_spec(script, tmp_path, text):
    found = run(script, tmp_path, text)
    assert [f["severity"] for f in found] == ["info"], found
    assert found[0]["cause"] in ("not_evaluated", "not_in_dump"), found
    assert not {"namespace_not_selected", "resource_not_in_queue"} & {f["cause"] for f in found}


# Kueue v0.1-v0.6 print `ADMITTED BY` = .status.admission.clusterQueue (apis/kueue/v1beta1/
# workload_types.go, e.g. v0.4.0); AdmissionChecks arrived in v0.5.0, so up to v0.4 the column
# is admission and from v0.5 the reservation, which admission follows at once unless the
# ClusterQueue has checks; v0.7 printed RESERVED IN and ADMITTED instead (kueue#1790).
_ADMITTED_BY_ROW = """\
    NAME                      QUEUE     ADMITTED BY       AGE
    rayjob-rayjob-low-fb3cd   queue-1   cluster-queue-1   29m
    """


def test_an_admitted_by_row_alone_is_admitted(script, tmp_path):
    # kueue#1150 (v0.4): the preempted RayJob's Workload still printed ADMITTED BY; the
    # RayJob integration did not resume it (PR #1156)
    found = run(script, tmp_path, _ADMITTED_BY_ROW)
    assert [(f["severity"], f["cause"]) for f in found] == [("warning", "admitted_not_started")]
    assert "admissionChecks" in found[0]["fix"]


def test_an_admitted_by_row_beside_pending_checks_waits_for_them(script, tmp_path):
    # kueue#1790 (v0.6): the describe fragment shows the check Pending under QuotaReserved
    found = run(script, tmp_path, """\
          Admission Checks:
            Name:                  sample-multikueue
            State:                 Pending
        """ + textwrap.dedent(_ADMITTED_BY_ROW))
    assert found[0]["cause"] == "admission_check_pending", found
    assert found[0]["basis"] == "inferred"
    assert "--field-selector=metadata.name=rayjob-rayjob-low-fb3cd" in found[0]["confirm"]


# pkg/controller/jobframework/reconciler.go v0.4.0..v0.19.2 ensureOneWorkload: V(2) "job with no
# matching workload, suspending"; kueue#2213 (v0.6.2, zap JSON log of a plain Pod)
_NO_MATCHING = ('2024-05-16T17:46:27.056962616Z {"caller":"jobframework/reconciler.go:521", '
                '"controller":"v1_pod", "gvk":"/v1, Kind=Pod", "job":"kueue-dws/dws-pod", '
                '"level":"Level(-2)", "msg":"job with no matching workload, suspending", '
                '"name":"dws-pod", "namespace":"kueue-dws"}\n')


@pytest.mark.parametrize("name", ["explain_pending.py", "explain_eviction.py"])
def test_a_running_job_that_no_longer_matches_its_workload(script, tmp_path, name):
    found = _findings_of(script, tmp_path, name, _NO_MATCHING)
    assert found[0]["cause"] == "job_workload_mismatch", found
    assert found[0]["object"]["name"] == "dws-pod"


# stopJob's event for the same state: "No matching Workload; restoring pod templates according
# to existent Workload" (reconciler.go v0.8.0..v0.19.2); kueue#3090 (a mutating webhook on an
# old client re-mutated the Pod on its ungating update)
_STOPPED_EVENTS = """\
0s          Normal    Admitted              workload/xxx         Admitted by ClusterQueue zzz, wait time since reservation was 0s
0s          Normal    Stopped               pod/xxx              No matching Workload; restoring pod templates according to existent Workload
"""


@pytest.mark.parametrize("name", ["explain_pending.py", "explain_eviction.py"])
def test_kueue_stopping_a_job_that_no_longer_matches(script, tmp_path, name):
    found = _findings_of(script, tmp_path, name, _STOPPED_EVENTS)
    assert found[0]["cause"] == "job_workload_mismatch", found


# kueue#6966 (fixed by #7430): Kueue's patch of a Workload's status refused, the field list laid
# out one per line by the reporter; a refused CREATE of a Workload (kueue#9003) names spec fields
_STATUS_REFUSED = """\
```
\\"message\\":\\"Workload.kueue.x-k8s.io \\\\\\"job-1-dfd40\\\\\\" is invalid: [
status.admission.podSetAssignments: Invalid value: \\\\\\"null\\\\\\": admission.podSetAssignments in body must be of type array: \\\\\\"null\\\\\\",
status.admission.clusterQueue: Required value
]\\"
```
"""


@pytest.mark.parametrize("name", ["explain_pending.py", "explain_eviction.py"])
def test_kueues_refused_status_patch(script, tmp_path, name):
    found = _findings_of(script, tmp_path, name, _STATUS_REFUSED)
    assert found[0]["cause"] == "status_update_rejected", found
    assert "7430" in found[0]["fix"]


def test_a_refused_workload_create_is_still_workload_missing(script, tmp_path):
    found = run(script, tmp_path, """\
        E0101 reconciler error: Workload.kueue.x-k8s.io "job-x-1" is invalid: spec.podSets[0].template.spec.initContainers[0].env[1]: Duplicate value: map[string]interface {}{"name":"A"}
        """)
    assert found[0]["cause"] == "workload_missing", found


# kueue-controller-manager not running: its panic indented under a YAML block (kueue#4861,
# fixed by #4866), its pod row in CrashLoopBackOff (kueue#6797, fixed by #6799), the kubelet
# failing to pull Kueue's image (kueue#4856)
@pytest.mark.parametrize("text", [
    "kind: Topology\nmetadata:\n  name: t\n\n\tpanic: runtime error: index out of range [-1]\n\n"
    "sigs.k8s.io/kueue/pkg/cache.(*TASFlavorSnapshot).lowestLevel(...)\n",
    "$ k get po -n kueue\nNAME                                                  READY   STATUS     "
    "        RESTARTS      AGE\nsomething-kueue-controller-manager-595cf866fb-gr7pj   0/1     "
    "CrashLoopBackOff   5 (48s ago)   3m37s\n",
    "     message: 'Back-off pulling image \"registry.k8s.io/kueue/kueue:v0.11.2\": ErrImagePull:"
    "\n          failed to pull and unpack image\n        reason: ImagePullBackOff\n",
])
def test_the_kueue_controller_not_running(script, tmp_path, text):
    found = _findings_of(script, tmp_path, "explain_pending.py", text)
    assert found[0]["cause"] == "kueue_controller_down", found


def test_another_pods_crash_loop_is_not_the_controller(script, tmp_path):
    text = ("$ k get po -n ml\nNAME        READY   STATUS             RESTARTS      AGE\n"
            "trainer-0   0/1     CrashLoopBackOff   5 (48s ago)   3m37s\n")
    found = _findings_of(script, tmp_path, "explain_pending.py", text)
    assert "kueue_controller_down" not in [f["cause"] for f in found]
