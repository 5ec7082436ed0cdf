"""make_route.py: every emitted field exists in the pinned CRD schema of the chosen channel;
experimental and implementation-specific requests are said out loud, never invented."""
from __future__ import annotations

import pytest
import yaml

from tests.needs import go_toolchain

CRDS = {"Gateway": "gateways", "HTTPRoute": "httproutes", "GRPCRoute": "grpcroutes",
        "ReferenceGrant": "referencegrants", "BackendTLSPolicy": "backendtlspolicies"}


def _module(key: str):
    go_toolchain()
    from harness import gomod
    return gomod.pinned_dir(key)


def _schema(kind: str, version: str, channel: str) -> dict:
    if kind == "InferencePool":
        path = (_module("gateway-api-inference-extension")
                / "config/crd/bases/inference.networking.k8s.io_inferencepools.yaml")
    else:
        path = (_module("gateway-api")
                / f"config/crd/{channel}/gateway.networking.k8s.io_{CRDS[kind]}.yaml")
    crd = yaml.safe_load(path.read_text())
    [ver] = [v for v in crd["spec"]["versions"] if v["name"] == version]
    assert ver["served"], f"{kind} {version} not served by the pinned CRD"
    return ver["schema"]["openAPIV3Schema"]


def _unknown_fields(value, schema, path="") -> list[str]:
    if isinstance(value, dict):
        props = schema.get("properties")
        if props is None:
            return []  # free-form map (matchLabels)
        out = []
        for key, sub in value.items():
            if key not in props:
                out.append(f"{path}.{key}")
            else:
                out += _unknown_fields(sub, props[key], f"{path}.{key}")
        return out
    if isinstance(value, list):
        return [p for i, v in enumerate(value)
                for p in _unknown_fields(v, schema.get("items", {}), f"{path}[{i}]")]
    return []


def _objects(gw_run, *args):
    res = gw_run("make_route", "--json", *args)
    assert res.code == 0, res.err
    return res.doc


REQUESTS = {
    "expose": ["expose", "llama-3-8b", "-n", "llm", "--gateway", "infra/gw", "--path",
               "/api/v1/chat", "--tls", "--timeout", "30s", "--retries", "2",
               "--gateway-class", "eg", "--tls-secret", "cert"],
    "models": ["route", "chat", "-n", "llm", "--gateway", "infra/gw", "--header-route",
               "X-Gateway-Model-Name:llama-3-8b=pool/llama", "--header-route",
               "x-tenant:acme=svc/models/acme:8000=10", "--timeout", "300s",
               "--backend-timeout", "100s"],
    "grpc": ["route", "g", "-n", "llm", "--gateway", "gw", "--grpc", "--grpc-service", "a.B",
             "--backend", "svc/vllm:9000"],
    "pool": ["pool", "p", "-n", "llm", "--selector", "app=p", "--port", "8000", "--port",
             "8001", "--failure-mode", "FailOpen", "--app-protocol", "http"],
    "gateway": ["gateway", "gw", "-n", "infra", "--class", "eg", "--tls-secret", "c",
                "--allow-namespaces", "selector:team=llm", "--hostname", "*.example.com"],
    "grant": ["grant", "-n", "models", "--from-namespace", "llm", "--to-kind", "InferencePool"],
    "backend-tls": ["backend-tls", "t", "-n", "llm", "--service", "s", "--hostname", "s.llm",
                    "--ca-configmap", "ca"],
}


@pytest.mark.parametrize("request_name", sorted(REQUESTS))
def test_standard_output_uses_only_standard_fields(gw_run, request_name):
    doc = _objects(gw_run, *REQUESTS[request_name])
    assert doc["channel"] == "standard"
    for obj in doc["objects"]:
        version = obj["apiVersion"].rsplit("/", 1)[1]
        schema = _schema(obj["kind"], version, "standard")
        assert _unknown_fields(obj, schema) == [], obj


def test_experimental_fields_only_on_request_and_then_valid(gw_run):
    args = ["route", "r", "-n", "llm", "--gateway", "gw", "--backend", "svc/vllm:8000",
            "--retries", "2", "--retry-codes", "503,429", "--retry-backoff", "500ms",
            "--session-header", "x-session-id", "--timeout", "300s"]
    std = _objects(gw_run, *args)
    rule = std["objects"][0]["spec"]["rules"][0]
    assert "retry" not in rule and "sessionPersistence" not in rule
    notes = " ".join(std["notes"])
    assert "experimental channel" in notes and "BackendTrafficPolicy" in notes
    assert "DestinationRule" in notes
    exp = _objects(gw_run, *args, "--channel", "experimental")
    rule = exp["objects"][0]["spec"]["rules"][0]
    assert rule["retry"] == {"attempts": 2, "codes": [503, 429], "backoff": "500ms"}
    assert rule["sessionPersistence"] == {"type": "Header", "sessionName": "x-session-id"}
    schema = _schema("HTTPRoute", "v1", "experimental")
    assert _unknown_fields(exp["objects"][0], schema) == []
    assert _unknown_fields(exp["objects"][0], _schema("HTTPRoute", "v1", "standard")) != []


def test_expose_request_from_the_issue(gw_run):
    doc = _objects(gw_run, *REQUESTS["expose"])
    kinds = [o["kind"] for o in doc["objects"]]
    assert kinds == ["Gateway", "InferencePool", "HTTPRoute"]
    gw, pool, route = doc["objects"]
    assert [li["protocol"] for li in gw["spec"]["listeners"]] == ["HTTP", "HTTPS"]
    assert route["spec"]["parentRefs"] == [{"name": "gw", "namespace": "infra",
                                            "sectionName": "https"}]
    rule = route["spec"]["rules"][0]
    assert rule["timeouts"] == {"request": "30s"}
    assert rule["matches"][0]["path"] == {"type": "PathPrefix", "value": "/api/v1/chat"}
    assert rule["backendRefs"] == [{"group": "inference.networking.k8s.io",
                                    "kind": "InferencePool", "name": "llama-3-8b"}]
    assert pool["spec"]["endpointPickerRef"] == {"name": "llama-3-8b-epp",
                                                 "port": {"number": 9002}}
    assert any("2 retries NOT emitted" in n for n in doc["notes"])
    assert any("platform-owned" in n for n in doc["notes"])


def test_cross_namespace_backend_brings_its_grant(gw_run):
    doc = _objects(gw_run, *REQUESTS["models"])
    grant = [o for o in doc["objects"] if o["kind"] == "ReferenceGrant"]
    assert grant and grant[0]["metadata"]["namespace"] == "models"
    assert grant[0]["spec"]["to"] == [{"group": "", "kind": "Service", "name": "acme"}]
    assert any("X-Gateway-Model-Name" in n and "body-based routing" in n for n in doc["notes"])


def test_kv_cache_affinity_on_pools_is_the_pickers_job(gw_run):
    doc = _objects(gw_run, "route", "r", "-n", "llm", "--gateway", "gw", "--backend",
                   "pool/llama", "--session-header", "x-session-id", "--channel",
                   "experimental", "--timeout", "300s")
    assert "sessionPersistence" not in doc["objects"][0]["spec"]["rules"][0]
    assert any("prefix-cache-scorer" in n for n in doc["notes"])


def test_rate_limit_names_real_resources(gw_run):
    doc = _objects(gw_run, "route", "r", "-n", "llm", "--gateway", "gw", "--backend",
                   "svc/v:8000", "--rate-limit", "100/s", "--timeout", "60s")
    note = " ".join(doc["notes"])
    assert "BackendTrafficPolicy" in note and "RateLimitPolicy" in note
    assert "rateLimit" not in str(doc["objects"])


def test_yaml_output_carries_notes_as_comments(gw_run):
    res = gw_run("make_route", *REQUESTS["expose"])
    assert res.out.startswith("# NOTE: ")
    assert [d["kind"] for d in yaml.safe_load_all(res.out)] == ["Gateway", "InferencePool",
                                                              "HTTPRoute"]


@pytest.mark.parametrize("args,needle", [
    (["route", "r", "-n", "llm", "--gateway", "gw", "--backend", "svc/v", "--timeout", "1s"],
     "needs :PORT"),
    (["route", "r", "-n", "llm", "--gateway", "gw", "--backend", "svc/v:80",
      "--timeout", "30 s"], "not a Gateway API duration"),
    (["route", "r", "-n", "llm", "--gateway", "gw", "--backend", "svc/v:80", "--timeout", "10s",
      "--backend-timeout", "20s"], "cannot be longer"),
    (["route", "r", "-n", "llm", "--gateway", "gw"], "give --backend"),
    (["route", "R", "-n", "llm", "--gateway", "gw", "--backend", "pool/p"], "DNS label"),
    (["pool", "p", "-n", "llm", "--port", "8000"], "--selector"),
    (["route", "r", "-n", "llm", "--gateway", "gw", "--backend", "pool/p", "--retries", "2",
      "--retry-codes", "200"], "400-599"),
    (["route", "r", "--gateway", "gw", "--backend", "pool/p"], "required"),
])
def test_bad_requests_exit_2_one_line(gw_proc, args, needle):
    res = gw_proc("make_route", *args)
    assert res.code == 2 and needle in res.err, res.err
    assert len(res.err.strip().splitlines()) == 1 and res.out == ""
