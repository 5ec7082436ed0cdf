"""explain_pending.py on dumps shaped like real Kueue v0.19 (v1beta2) and older (v1beta1)."""
from __future__ import annotations

import pytest

# fixture -> (cause, workload/job name, words the evidence or message must contain)
CASES = {
    "quota_exhausted.yaml": ("quota_exhausted", "job-train-b-4c5d6",
                             ["needs 4 nvidia.com/gpu in flavor a100", "no cohort",
                              "team-a/job-train-a-7f3c1 (8)", "nominal 8, used 8"]),
    "quota_exhausted_cohort.yaml": ("quota_exhausted", "job-sweep-bbbbb",
                                    ["no idle quota to lend", "borrowable 4", "max 8",
                                     "team-b-cq uses 8 of nominal 8", "reclaimWithinCohort"]),
    "queue_inactive_admission_check_v1beta1.yaml": ("queue_inactive", "job-batch-infer-3c4d5",
                                                    ["AdmissionCheck(s) capacity-check",
                                                     "AdmissionCheckNotFound"]),
    "exceeds_max_quota.yaml": ("exceeds_max_quota", "job-big-train-0a9b8",
                               ["needs 8 nvidia.com/gpu", "can ever hold (4", "maximum capacity (4)"]),
    "exceeds_max_quota_v1beta1.yaml": ("exceeds_max_quota", "pytorchjob-llama-ft-5e6f7",
                                       ["needs 16 nvidia.com/gpu in flavor h100", "borrowable 4",
                                        "cohort gpu-pool", "request > maximum capacity (16 > 12)",
                                        "PyTorchJob research/llama-ft"]),
    "resource_not_in_queue.yaml": ("resource_not_in_queue", "job-gpu-smoke-1b2c3",
                                   ["nvidia.com/gpu", "covers: cpu, memory"]),
    "flavor_mismatch.yaml": ("flavor_mismatch", "jobset-vit-pretrain-3d4e5",
                             ["untolerated taint {nvidia.com/gpu present NoSchedule <nil>} in "
                              "flavor h100", "JobSet vision/vit-pretrain"]),
    "local_queue_missing.yaml": ("local_queue_missing", "job-etl-9f8e7",
                                 ["teamb-queue", "LocalQueues in namespace team-b: team-b-queue"]),
    "cluster_queue_missing.yaml": ("cluster_queue_missing", "job-report-2a3b4",
                                   ["ClusterQueue gpu-cq", "ClusterQueues present: cpu-cq"]),
    "queue_inactive.yaml": ("queue_inactive", "job-nightly-5a6b7", ["stopPolicy Hold"]),
    "queue_inactive_v1beta1.yaml": ("queue_inactive", "job-sweep-0c1d2",
                                    ["missing ResourceFlavor(s) a100-spot", "FlavorNotFound"]),
    "namespace_not_selected.yaml": ("namespace_not_selected", "job-preprocess-7d8e9",
                                    ["selects NO namespace", "nil = nothing selected"]),
    "namespace_not_selected_v1beta1.yaml": ("namespace_not_selected", "job-hello-1e2f3",
                                            ["team=research", "namespace interns labels"]),
    "no_queue_label.yaml": ("no_queue_label", "quick-test",
                            ["no kueue.x-k8s.io/queue-name label", "queue-name: main"]),
    "waiting_pods_ready.yaml": ("waiting_pods_ready", "job-second-job-bb222",
                                ["team-a/job-first-job-aa111", "blockAdmission"]),
    "admission_check_pending.yaml": ("admission_check_pending", "job-finetune-cc333",
                                     ["dws-prov", "state Pending",
                                      "kueue.x-k8s.io/provisioning-request"]),
    "dra_class_unmapped.yaml": ("dra_class_unmapped", "job-dra-infer-dd444",
                                ["gpu.example.com", "deviceClassMappings"]),
    "admitted_not_started.yaml": ("admitted_not_started", "job-train-ee555",
                                  ["match 0 node(s)", "didn't match Pod's node affinity"]),
}


def _text(f: dict) -> str:
    return " ".join([f["message"], f["fix"], *f["evidence"]])


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_cause_is_named_with_evidence_and_fix(script, resource, fixture):
    cause, name, words = CASES[fixture]
    result = script("explain_pending.py", "-f", resource(fixture), "--json")
    assert result.code == 1, result.err
    doc = result.doc
    assert doc["schema_version"] == 1
    hits = [f for f in doc["findings"] if f["cause"] == cause and f["object"]["name"] == name]
    assert hits, [(f["cause"], f["object"]["name"]) for f in doc["findings"]]
    text = _text(hits[0])
    for word in words:
        assert word in text, f"{word!r} missing from: {text}"
    assert hits[0]["fix"]


def test_text_output_leads_with_one_sentence(script, resource):
    result = script("explain_pending.py", "-f", resource("quota_exhausted.yaml"))
    first = result.out.splitlines()[0]
    assert first.startswith("team-a/job-train-b-4c5d6: needs 4 nvidia.com/gpu in flavor a100")
    assert "cannot borrow: it has no cohort" in first


def test_waiting_dump_also_explains_the_blocking_workload(script, resource):
    doc = script("explain_pending.py", "-f", resource("waiting_pods_ready.yaml"), "--json").doc
    assert doc["counts"] == {"admitted_not_started": 1, "waiting_pods_ready": 1}


def test_healthy_dump_exits_zero(script, resource):
    result = script("explain_pending.py", "-f", resource("healthy.yaml"))
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("nothing stuck")


@pytest.mark.parametrize("name,workload", [
    ("js1", "jobset-js1-0aa01"), ("vllm", "leaderworkerset-vllm-0-0bb02"),
    ("ray-tune", "rayjob-ray-tune-0cc03"), ("tj", "trainjob-tj-0dd04"), ("sampler", "sampler"),
])
def test_job_names_resolve_to_their_workloads(script, resource, name, workload):
    doc = script("explain_pending.py", "-f", resource("integrations.yaml"), "-n", "mixed", name,
                 "--json").doc
    assert [(f["cause"], f["object"]["name"]) for f in doc["findings"]] == \
        [("queue_inactive", workload)]


def test_name_filters_to_one_job(script, resource):
    doc = script("explain_pending.py", "-f", resource("waiting_pods_ready.yaml"), "first-job",
                 "--json").doc
    assert [f["cause"] for f in doc["findings"]] == ["admitted_not_started"]


def test_dump_from_stdin(script, resource):
    with open(resource("local_queue_missing.yaml"), encoding="utf-8") as handle:
        result = script("explain_pending.py", "-f", "-", "--json", stdin=handle.read())
    assert result.code == 1
    assert result.doc["findings"][0]["cause"] == "local_queue_missing"


def test_message_is_a_fallback_when_objects_are_missing(script):
    wl = """apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata: {name: job-x-1, namespace: a}
spec: {queueName: q, podSets: [{name: main, count: 1, template: {spec: {containers: []}}}]}
status:
  conditions:
  - {type: QuotaReserved, status: "False", reason: Pending, message: "couldn't assign flavors to pod set main: insufficient quota for cpu in flavor default, request > maximum capacity (10 > 8)"}
"""
    doc = script("explain_pending.py", "-f", "-", "--json", stdin=wl).doc
    finding = doc["findings"][0]
    assert finding["cause"] == "exceeds_max_quota"
    assert "request > maximum capacity (10 > 8)" in _text(finding)


def test_limit_keeps_output_short(script, resource):
    result = script("explain_pending.py", "-f", resource("integrations.yaml"), "--limit", "2")
    assert "... 3 more" in result.out


@pytest.mark.parametrize("args,needle", [
    (["-f", "/nonexistent/dump.yaml"], "no such file"),
    (["-f", "-"], "not valid YAML"),
    (["-f", "-", "ghost"], "no Workload or job"),
    (["--bogus"], "usage"),
])
def test_bad_input_is_one_line_and_exit_2(script, resource, args, needle):
    stdin = "a: [b\n" if args[-1] == "-" else None
    if "ghost" in args:
        with open(resource("healthy.yaml"), encoding="utf-8") as handle:
            stdin = handle.read()
    result = script("explain_pending.py", *args, stdin=stdin)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], result.err
    assert "Traceback" not in result.err


def test_help_teaches(script):
    result = script("explain_pending.py", "--help")
    assert result.code == 0
    assert "examples:" in result.out and "quota_exhausted" in result.out


def test_object_of_unexpected_shape_is_input_error(script):
    dump = """apiVersion: kueue.x-k8s.io/v1beta2
kind: Workload
metadata: {name: w, namespace: a}
spec: {queueName: q, podSets: "oops"}
status: {conditions: [{type: QuotaReserved, status: "False", message: x}]}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: q, namespace: a}
spec: {clusterQueue: c}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: c}
spec: {namespaceSelector: {}, resourceGroups: [{coveredResources: [cpu], flavors: []}]}
"""
    result = script("explain_pending.py", "-f", "-", stdin=dump)
    assert result.code == 2
    assert result.err.startswith("error: unexpected object shape") and "Traceback" not in result.err
