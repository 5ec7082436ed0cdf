"""quota_report.py (starved queues, patches) and make_queue.py (validated YAML)."""
from __future__ import annotations

import yaml


def test_quota_report_names_starved_queue_and_a_patch(script, resource):
    result = script("quota_report.py", "-f", resource("quota_exhausted.yaml"), "--json")
    assert result.code == 1
    doc = result.doc
    assert doc["starved"] == ["team-a-cq"]
    gpu = [r for r in doc["queues"]["team-a-cq"] if r["resource"] == "nvidia.com/gpu"][0]
    assert (gpu["nominal"], gpu["used"], gpu["pending"], gpu["short"]) == ("8", "8", "4", "4")
    assert "--dry-run=server" in doc["patches"][0] and '"value": "12"' in doc["patches"][0]


def test_quota_report_moves_idle_quota_inside_the_cohort(script, resource):
    doc = script("quota_report.py", "-f", resource("exceeds_max_quota_v1beta1.yaml"),
                 "--json").doc
    assert doc["starved"] == ["research-cq"]
    assert any("clusterqueue prod-cq" in p for p in doc["patches"])


def test_quota_report_healthy_is_zero(script, resource):
    assert script("quota_report.py", "-f", resource("healthy.yaml")).code == 0


def test_make_cluster_queue_is_valid_yaml(script):
    result = script("make_queue.py", "cluster-queue", "team-a-cq", "--flavor", "h100",
                    "--quota", "cpu=64,nvidia.com/gpu=8", "--cohort", "pool",
                    "--borrowing-limit", "nvidia.com/gpu=4")
    assert result.code == 0, result.err
    cq = yaml.safe_load(result.out)
    assert cq["spec"]["cohortName"] == "pool" and cq["spec"]["namespaceSelector"] == {}
    group = cq["spec"]["resourceGroups"][0]
    assert group["coveredResources"] == ["cpu", "nvidia.com/gpu"]
    assert group["flavors"][0]["resources"][1]["borrowingLimit"] == "4"


def test_make_v1beta1_uses_cohort_field(script):
    result = script("make_queue.py", "cluster-queue", "q", "--api", "v1beta1", "--flavor", "f",
                    "--quota", "cpu=1", "--cohort", "c")
    assert yaml.safe_load(result.out)["spec"]["cohort"] == "c"


def test_borrowing_limit_without_cohort_is_rejected(script):
    result = script("make_queue.py", "cluster-queue", "q", "--flavor", "f", "--quota", "cpu=1",
                    "--borrowing-limit", "cpu=1")
    assert result.code == 1
    assert "borrowingLimit must be nil when cohort is empty" in result.out


def test_validate_catches_order_and_lending(script):
    bad = """apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: bad}
spec:
  cohortName: pool
  resourceGroups:
  - coveredResources: [cpu, memory]
    flavors:
    - name: f
      resources: [{name: memory, nominalQuota: 1Gi}, {name: cpu, nominalQuota: "2", lendingLimit: "3"}]
"""
    result = script("make_queue.py", "validate", "-f", "-", stdin=bad)
    assert result.code == 1
    # Kueue v0.19.2's webhook words (tests/resources/admission/dry-run.json, captured)
    assert 'resources[0].name: Invalid value: "memory": must match the name in ' \
        "coveredResources" in result.out
    assert 'resources[1].lendingLimit: Invalid value: "3": must be less than or equal to the ' \
        "nominalQuota" in result.out


def test_job_generator_labels_and_suspends(script):
    result = script("make_queue.py", "job", "train", "-n", "ml", "--queue", "ml-queue",
                    "--gpus", "8", "--replicas", "4")
    job = yaml.safe_load(result.out)
    assert job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "ml-queue"
    assert job["spec"]["suspend"] is True and job["spec"]["parallelism"] == 4


def test_generator_usage_error_is_exit_2(script):
    result = script("make_queue.py", "local-queue", "x")
    assert result.code == 2 and result.err.startswith("error:")
