"""Issue 2, live: real Kueue admission, real scheduler DRA allocation, real CRD validation."""
from __future__ import annotations

import pytest

from tests.live.helpers import (apply, cluster_queue, condition, get, gpu_job, local_queue,
                                wait_for)

pytestmark = pytest.mark.live

H100 = "NVIDIA-H100-80GB-HBM3"


@pytest.fixture
def gpu_queue(kubectl, namespace):
    """ClusterQueue with 4 H100 GPUs (flavor h100 from the default topology) + LocalQueue."""
    cq = f"cq-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h100", {"cpu": "64", "memory": "256Gi",
                                                          "nvidia.com/gpu": "4"}),
          local_queue("team", namespace, cq))
    wait_for(lambda: (condition(get(kubectl, "clusterqueue", cq), "Active") or {})
             .get("status") == "True", what=f"ClusterQueue {cq} Active")
    yield "team"
    kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)


def _workload_of(kubectl, namespace: str, job: str) -> dict | None:
    items = get(kubectl, "workloads.kueue.x-k8s.io", "-n", namespace)["items"]
    return next((w for w in items
                 if any(o.get("name") == job for o in w["metadata"].get("ownerReferences", []))),
                None)


def test_job_within_quota_is_admitted_and_runs_on_gpu_nodes(kubectl, namespace, gpu_queue):
    apply(kubectl, gpu_job("fits", namespace, gpu_queue, gpus=2, parallelism=2))
    workload = wait_for(lambda: (lambda w: w if w and (condition(w, "Admitted") or {})
                                 .get("status") == "True" else None)(
        _workload_of(kubectl, namespace, "fits")), what="Workload Admitted")
    assert workload["status"]["admission"]["podSetAssignments"][0]["flavors"] == \
        {"cpu": "h100", "memory": "h100", "nvidia.com/gpu": "h100"}

    def running_pods():
        pods = get(kubectl, "pods", "-n", namespace, "-l", "job-name=fits")["items"]
        return pods if len(pods) == 2 and all(p["status"].get("phase") == "Running"
                                              for p in pods) else None
    pods = wait_for(running_pods, what="2 Running pods")
    for pod in pods:
        node = get(kubectl, "node", pod["spec"]["nodeName"])
        assert node["metadata"]["labels"]["nvidia.com/gpu.product"] == H100
        # Kueue injected the flavor's node labels into the admitted pod template.
        assert pod["spec"]["nodeSelector"]["nvidia.com/gpu.product"] == H100


def test_job_above_unused_quota_stays_suspended_with_kueues_message(kubectl, namespace,
                                                                     gpu_queue):
    apply(kubectl, gpu_job("holder", namespace, gpu_queue, gpus=4))
    wait_for(lambda: (condition(_workload_of(kubectl, namespace, "holder") or {}, "Admitted")
                      or {}).get("status") == "True", what="first Workload Admitted")
    apply(kubectl, gpu_job("waiter", namespace, gpu_queue, gpus=2))

    def pending_message():
        w = _workload_of(kubectl, namespace, "waiter")
        cond = condition(w or {}, "QuotaReserved") or {}
        return cond.get("message") if cond.get("status") == "False" else None
    message = wait_for(pending_message, what="QuotaReserved=False on the second Workload")
    assert "insufficient unused quota for nvidia.com/gpu in flavor h100" in message
    assert get(kubectl, "job", "waiter", "-n", namespace)["spec"]["suspend"] is True


def _claim_template(name: str, namespace: str, count: int) -> dict:
    return {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"spec": {"devices": {"requests": [{"name": "gpus", "exactly": {
                "deviceClassName": "gpu.nvidia.com", "allocationMode": "ExactCount",
                "count": count}}]}}}}


def _dra_pod_spec(template: str) -> dict:
    return {"restartPolicy": "Never",
            "resourceClaims": [{"name": "gpus", "resourceClaimTemplateName": template}],
            "containers": [{"name": "main", "image": "cuda-app:1.0",
                            "resources": {"requests": {"cpu": "1", "memory": "1Gi"},
                                          "limits": {"cpu": "1", "memory": "1Gi"},
                                          "claims": [{"name": "gpus"}]}}]}


def test_pod_claim_for_two_gpus_is_allocated_by_the_scheduler(kubectl, namespace):
    apply(kubectl, _claim_template("two-gpus", namespace, 2),
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "dra", "namespace": namespace},
           "spec": _dra_pod_spec("two-gpus")})
    pod = wait_for(lambda: (lambda p: p if p["status"].get("phase") == "Running" else None)(
        get(kubectl, "pod", "dra", "-n", namespace)), what="DRA pod Running")
    claims = get(kubectl, "resourceclaims", "-n", namespace)["items"]
    assert len(claims) == 1
    allocation = claims[0]["status"]["allocation"]
    results = allocation["devices"]["results"]
    assert len(results) == 2 and {r["driver"] for r in results} == {"gpu.nvidia.com"}
    assert {r["pool"] for r in results} == {pod["spec"]["nodeName"]}
    assert claims[0]["status"]["reservedFor"][0]["name"] == "dra"


def test_kueue_admits_a_dra_job_against_device_class_mapped_quota(kubectl, namespace):
    cq = f"cq-dra-{namespace}"
    apply(kubectl, cluster_queue(cq, namespace, "h200-dra", {
        "cpu": "64", "memory": "256Gi", "nvidia.com/dra-gpu": "8"}),
        local_queue("dra", namespace, cq), _claim_template("two-gpus", namespace, 2))
    try:
        job = gpu_job("dra-train", namespace, "dra", gpus=0, parallelism=2)
        pod_spec = _dra_pod_spec("two-gpus")
        job["spec"]["template"]["spec"] = pod_spec
        apply(kubectl, job)

        def admitted():
            w = _workload_of(kubectl, namespace, "dra-train")
            return w if w and (condition(w, "Admitted") or {}).get("status") == "True" else None
        workload = wait_for(admitted, what="DRA Workload Admitted")
        assignment = workload["status"]["admission"]["podSetAssignments"][0]
        assert assignment["flavors"]["nvidia.com/dra-gpu"] == "h200-dra"
        assert assignment["resourceUsage"]["nvidia.com/dra-gpu"] == "4"
        usage = wait_for(lambda: _flavor_usage(get(kubectl, "clusterqueue", cq),
                                               "nvidia.com/dra-gpu"), what="CQ usage")
        assert usage == "4"
    finally:
        kubectl("delete", "clusterqueue", cq, "--wait=false", check=False)


def _flavor_usage(cq: dict, resource: str):
    for flavor in cq.get("status", {}).get("flavorsUsage", []) or []:
        for res in flavor.get("resources", []):
            if res["name"] == resource and res.get("total") not in (None, "0"):
                return res["total"]
    return None


def _pool(namespace: str) -> dict:
    return {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
            "metadata": {"name": "llama", "namespace": namespace},
            "spec": {"selector": {"matchLabels": {"app": "vllm-llama"}},
                     "targetPorts": [{"number": 8000}],
                     "endpointPickerRef": {"name": "llama-epp", "port": {"number": 9002}}}}


def _route(namespace: str, path_type: str) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": f"llm-{path_type.lower()}", "namespace": namespace},
            "spec": {"parentRefs": [{"name": "inference-gateway"}],
                     "rules": [{"matches": [{"path": {"type": path_type, "value": "/v1"}}],
                                "backendRefs": [{"group": "inference.networking.k8s.io",
                                                 "kind": "InferencePool", "name": "llama"}]}]}}


def test_apiserver_validates_httproute_to_inferencepool(kubectl, namespace):
    apply(kubectl, _pool(namespace), _route(namespace, "PathPrefix"))
    stored = get(kubectl, "httproute", "llm-pathprefix", "-n", namespace)
    assert stored["spec"]["rules"][0]["backendRefs"][0]["kind"] == "InferencePool"
    rejected = kubectl("apply", "-f", "-", check=False,
                       stdin=__import__("yaml").safe_dump(_route(namespace, "Glob")))
    assert rejected.returncode != 0
    assert "Unsupported value" in rejected.stderr and "Glob" in rejected.stderr
