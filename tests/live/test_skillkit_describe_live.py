"""The kit reads `kubectl describe` as kubectl really prints it: a round trip on a real
cluster. Each object is created (status written by its controller, or through the status
subresource), then `kubectl describe` (kubectl v1.37.2, the cluster's own) is parsed by the
kit and compared with `kubectl get -o json` of the same object: every spec/status value the
kit reads must be the object's, and every value the describer prints must be read.
"""
from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.live.helpers import apply, cluster_queue, get, gpu_job, local_queue, wait_for

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.loading import parse_documents
# The same leaf walk and list order as the offline round trip on kubectl's own output.
from tests.unit.test_skillkit_describe_kubectl import canonical, leaves

pytestmark = pytest.mark.live


def compare(parsed: dict, real: dict, section: str) -> list[str]:
    want = dict(leaves(real.get(section) or {}))
    got = dict(leaves(parsed.get(section) or {}))
    problems = [f"{section}{list(p)}: read {got[p]!r}, object has {want.get(p)!r}"
                for p in got if got[p].lower() != str(want.get(p)).lower()]
    problems += [f"{section}{list(p)}: {want[p]!r} printed but not read" for p in want
                 if p not in got]
    return problems


def described(kubectl, kind: str, name: str, namespace: str = "") -> dict:
    args = ["describe", kind, name] + (["-n", namespace] if namespace else [])
    text = f"$ kubectl {' '.join(args)}\n" + kubectl(*args).stdout
    objects = [o for o in parse_documents(text, "describe") if o.get("kind") != "Event"]
    assert len(objects) == 1, text
    return objects[0]


def status(kubectl, obj: dict, body: dict):
    kind = obj["kind"].lower()
    ns = obj["metadata"].get("namespace")
    kubectl("patch", kind, obj["metadata"]["name"], *(["-n", ns] if ns else []),
            "--subresource=status", "--type=merge", "-p", json.dumps({"status": body}))


def _same_moment(kubectl, kind: str, name: str, ns: str, tries: int = 5):
    """get and describe of one resourceVersion: the cluster's real controllers (Envoy Gateway,
    Envoy AI Gateway, Kueue) may rewrite a status between the two reads."""
    for _ in range(tries):
        real = get(kubectl, kind, name, "-n", ns)
        parsed = described(kubectl, kind, name, ns)
        again = get(kubectl, kind, name, "-n", ns)
        if again["metadata"]["resourceVersion"] == real["metadata"]["resourceVersion"]:
            return real, parsed
        time.sleep(1)
    raise AssertionError(f"{kind}/{name} kept changing while it was read")


def condition(ctype, status_, reason, message, generation=1):
    return {"type": ctype, "status": status_, "reason": reason, "message": message,
            "lastTransitionTime": "2026-01-02T03:04:05Z", "observedGeneration": generation}


def test_kueue_objects_round_trip(kubectl, namespace):
    suffix = uuid.uuid4().hex[:6]
    flavor = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor",
              "metadata": {"name": f"rf-{suffix}"},
              "spec": {"nodeLabels": {"nvidia.com/gpu.product": "A100"}}}
    cq = cluster_queue(f"cq-{suffix}", namespace, flavor["metadata"]["name"],
                       {"cpu": "4", "memory": "8Gi", "nvidia.com/gpu": "1"})
    lq = local_queue("team", namespace, cq["metadata"]["name"])
    job = gpu_job("train", namespace, "team", gpus=2)  # more than the quota: stays pending
    try:
        apply(kubectl, flavor, cq, lq, job)
        workload = wait_for(lambda: next((w for w in get(kubectl, "workloads", "-n",
                                                          namespace)["items"]
                                          if (w.get("status") or {}).get("conditions")), None),
                            timeout=90, what="a Workload with conditions")
        # Kueue counts the pending Workload in both queues' status shortly after; compare
        # only once it has, or describe and get may read two different moments.
        def counted(kind, *where):
            return ((get(kubectl, kind, *where).get("status") or {})
                    .get("pendingWorkloads") or 0) >= 1
        wait_for(lambda: counted("clusterqueue", cq["metadata"]["name"]), timeout=90,
                 what="the ClusterQueue counting the pending Workload")
        wait_for(lambda: counted("localqueue", "team", "-n", namespace), timeout=90,
                 what="the LocalQueue counting the pending Workload")
        real_cq = get(kubectl, "clusterqueue", cq["metadata"]["name"])
        cases = [("workload", workload, namespace), ("clusterqueue", real_cq, ""),
                 ("localqueue", get(kubectl, "localqueue", "team", "-n", namespace), namespace)]
        problems = []
        for kind, real, ns in cases:
            real = get(kubectl, kind, real["metadata"]["name"], *(["-n", ns] if ns else []))
            parsed = described(kubectl, kind, real["metadata"]["name"], ns)
            assert parsed["kind"] == real["kind"]
            problems += [f"{kind}: {p}" for section in ("spec", "status")
                         for p in compare(parsed, real, section)]
        assert not problems, "\n".join(problems)
    finally:
        kubectl("delete", "clusterqueue", cq["metadata"]["name"], "--wait=false", check=False)
        kubectl("delete", "resourceflavor", flavor["metadata"]["name"], "--wait=false",
                check=False)


def test_gateway_objects_round_trip(kubectl, namespace):
    gateway = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
               "metadata": {"name": "gw", "namespace": namespace},
               "spec": {"gatewayClassName": "example", "listeners": [
                   {"name": "http", "protocol": "HTTP", "port": 80}]}}
    pool = {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
            "metadata": {"name": "llama", "namespace": namespace},
            "spec": {"selector": {"matchLabels": {"app": "vllm"}},
                     "targetPorts": [{"number": 8000}],
                     "endpointPickerRef": {"name": "llama-epp", "port": {"number": 9002}}}}
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "chat", "namespace": namespace},
             "spec": {"parentRefs": [{"name": "gw"}], "hostnames": ["chat.example.com"],
                      "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/v1"}}],
                                 "backendRefs": [{"group": "inference.networking.k8s.io",
                                                  "kind": "InferencePool", "name": "llama"}]}]}}
    apply(kubectl, gateway, pool, route)
    parent = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw",
              "namespace": namespace}
    status(kubectl, route, {"parents": [{"parentRef": parent, "controllerName":
                                         "example.com/gateway-controller", "conditions": [
        condition("Accepted", "True", "Accepted", "Route is accepted"),
        condition("ResolvedRefs", "False", "BackendNotFound",
                  "InferencePool extension service llama-epp not found")]}]})
    status(kubectl, gateway, {"conditions": [
        condition("Accepted", "True", "Accepted", "Gateway is accepted"),
        condition("Programmed", "False", "AddressNotAssigned", "no address yet")],
        "listeners": [{"name": "http", "attachedRoutes": 1, "supportedKinds": [
            {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"}], "conditions": [
            condition("Accepted", "True", "Accepted", "listener accepted")]}]})
    problems = []
    for kind, name in (("httproute", "chat"), ("gateway", "gw"), ("inferencepool", "llama")):
        real, parsed = _same_moment(kubectl, kind, name, namespace)
        assert parsed["kind"] == real["kind"]
        problems += [f"{kind}: {p}" for section in ("spec", "status")
                     for p in compare(parsed, real, section)]
    assert not problems, "\n".join(problems)


def test_pod_node_job_round_trip(kubectl, namespace):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": namespace,
                                                           "labels": {"app": "x"}},
           "spec": {"nodeSelector": {"pool": "does-not-exist"},
                    "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists",
                                     "effect": "NoSchedule"},
                                    {"key": "dedicated", "operator": "Equal", "value": "ml",
                                     "effect": "NoExecute", "tolerationSeconds": 60}],
                    "containers": [{"name": "main", "image": "busybox:1.36",
                                    "resources": {"requests": {"cpu": "250m", "memory": "64Mi"},
                                                  "limits": {"memory": "64Mi"}}}]}}
    apply(kubectl, pod, gpu_job("plain", namespace, None, gpus=0))
    wait_for(lambda: any(e.get("reason") == "FailedScheduling" for e in
                         get(kubectl, "events", "-n", namespace)["items"]),
             timeout=60, what="FailedScheduling")
    real = get(kubectl, "pod", "p", "-n", namespace)
    parsed = described(kubectl, "pod", "p", namespace)
    for key in ("nodeSelector", "containers"):
        for want in (real["spec"][key] if key == "containers" else [real["spec"][key]]):
            got = parsed["spec"][key] if key != "containers" else next(
                c for c in parsed["spec"]["containers"] if c["name"] == want["name"])
            for field in (("resources",) if key == "containers" else ()) or (None,):
                assert (got[field] if field else got) == (want[field] if field else want)
    assert canonical(parsed["spec"]["tolerations"]) == canonical(
        dict(t, operator=t.get("operator", "Equal")) for t in real["spec"]["tolerations"])
    assert parsed["status"]["conditions"] == [{"type": c["type"], "status": c["status"]}
                                              for c in real["status"]["conditions"]]
    node = get(kubectl, "nodes")["items"][0]
    parsed_node = described(kubectl, "node", node["metadata"]["name"])
    assert parsed_node["metadata"]["labels"] == node["metadata"]["labels"]
    assert parsed_node["spec"].get("taints", []) == node["spec"].get("taints", [])
    assert parsed_node["status"]["allocatable"] == node["status"]["allocatable"]
    assert [(c["type"], c["status"], c["reason"]) for c in parsed_node["status"]["conditions"]] \
        == [(c["type"], c["status"], c["reason"]) for c in node["status"]["conditions"]]
    job = get(kubectl, "job", "plain", "-n", namespace)
    parsed_job = described(kubectl, "job", "plain", namespace)
    for key in ("parallelism", "completions", "backoffLimit"):
        assert parsed_job["spec"][key] == job["spec"][key]
    assert parsed_job["spec"]["template"]["spec"]["containers"][0]["resources"] == \
        job["spec"]["template"]["spec"]["containers"][0]["resources"]


def test_deployment_round_trip(kubectl, namespace):
    # the cluster's deployment controller writes the replica counts and conditions; kubectl's
    # DeploymentDescriber prints them as one Replicas line and a Type/Status/Reason table
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": namespace},
           "spec": {"replicas": 2, "progressDeadlineSeconds": 5,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"nodeSelector": {"pool": "does-not-exist"},
                                          "containers": [{"name": "main",
                                                          "image": "busybox:1.36"}]}}}}
    apply(kubectl, dep)
    wait_for(lambda: any(c.get("reason") == "ProgressDeadlineExceeded" for c in
                         (get(kubectl, "deployment", "web", "-n", namespace).get("status") or {})
                         .get("conditions") or []),
             timeout=90, what="ProgressDeadlineExceeded")
    real, parsed = _same_moment(kubectl, "deployment", "web", namespace)
    assert parsed["spec"]["replicas"] == real["spec"]["replicas"]
    for key in ("replicas", "updatedReplicas", "unavailableReplicas"):
        assert parsed["status"][key] == real["status"].get(key, 0), key
    assert parsed["status"]["availableReplicas"] == real["status"].get("availableReplicas", 0)
    assert [(c["type"], c["status"], c["reason"]) for c in parsed["status"]["conditions"]] == \
        [(c["type"], c["status"], c["reason"]) for c in real["status"]["conditions"]]
