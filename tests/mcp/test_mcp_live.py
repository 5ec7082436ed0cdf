"""`k8s-skills mcp` on the local cluster, driven by the official MCP client.

Ground truth comes from the real components: the scheduler's FailedScheduling and Kueue's
own Workload condition (the faults the tools must name), the apiserver's TokenReview and
SubjectAccessReview (who may use the door), its server-side dry-run (a generated manifest is
accepted), the Proposal the agent service stored and the Deployment it did not change. Each
live tool must also say exactly what its skill script says run directly on the same cluster.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import anyio
import httpx2
import pytest

from agent.chart import generated_rules
from harness.cluster import access
from harness.evals.agents.skills import built_bundles
from harness.evals.fake_api import FakeAnthropicAPI
from tests.agent.testbed import ROOT, Testbed, free_port
from tests.live.helpers import kubectl_runner, wait_for
from tests.mcp.client import http_session, stdio_session

pytestmark = pytest.mark.live

SKILLS = ROOT / "skills"
H100 = {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}


@pytest.fixture(scope="module")
def kc(kubectl_env):
    return kubectl_runner(kubectl_env, 120)


@pytest.fixture(scope="module")
def users(kubeconfig):
    found = access.read_users(Path(kubeconfig).parent)
    if not found:
        pytest.skip("this cluster has no static-token users (only the local provider has)")
    return found


def trainer(namespace: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "trainer", "namespace": namespace},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "trainer"}},
                     "template": {"metadata": {"labels": {"app": "trainer"}}, "spec": {
                         "nodeSelector": H100, "containers": [{
                             "name": "train", "image": "team/trainer:2.1",
                             "resources": {"limits": {"nvidia.com/gpu": "100"}}}]}}}}


def queued_job(namespace: str) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "finetune", "namespace": namespace,
                         "labels": {"kueue.x-k8s.io/queue-name": "no-such-queue"}},
            "spec": {"suspend": True, "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "ft", "image": "team/ft:1.0",
                                "resources": {"requests": {"cpu": "1"}}}]}}}}


@pytest.fixture(scope="module")
def scene(kc):
    """Two real faults: the scheduler cannot place 100 GPUs, and Kueue has no such queue."""
    ns = f"mcp-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", ns)
    for obj in (trainer(ns), queued_job(ns)):
        kc("apply", "-f", "-", stdin=json.dumps(obj))
    wait_for(lambda: "FailedScheduling" in kc("get", "events", "-n", ns).stdout, 90,
             what="the scheduler's FailedScheduling for trainer")
    wait_for(lambda: "no-such-queue" in kc("get", "workloads", "-n", ns, "-o", "json").stdout
             and "doesn't exist" in kc("get", "workloads", "-n", ns, "-o", "json").stdout,
             90, what="Kueue's Workload condition for the missing LocalQueue")
    yield ns
    kc("delete", "namespace", ns, "--wait=false", check=False)


def direct(env: dict, skill: str, script: str, argv: list[str],
           cwd: Path) -> tuple[int, dict]:
    """The script run by hand (kubectl's cache goes to `cwd`/.kube: HOME is not passed)."""
    done = subprocess.run([sys.executable, str(SKILLS / skill / "scripts" / script), *argv,
                           "--json"], capture_output=True, text=True, env=env, timeout=300,
                          cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def causes(report: dict) -> set[str]:
    return {f["cause"] for f in report.get("findings", [])}


# --- stdio: the user's own kubeconfig, as Claude Code starts the plugin's server ---------------
def test_every_live_tool_over_stdio(scene, kubectl_env, kc, tmp_path):
    calls = [
        ("triage", {"namespace": scene}, "k8s-troubleshooting", "triage.py", ["-n", scene]),
        ("explain_pending_workloads", {"namespace": scene}, "k8s-kueue",
         "explain_pending.py", ["-n", scene]),
        ("explain_claims", {"namespace": scene}, "k8s-dra", "explain_claim.py", ["-n", scene]),
        ("check_dra", {}, "k8s-dra", "check_dra.py", []),
        ("check_routes", {"namespace": scene}, "k8s-gateway-gaie", "check_routes.py",
         ["-n", scene]),
        ("audit_rbac", {"namespace": scene}, "k8s-rbac", "audit_rbac.py", ["-n", scene]),
        ("inspect_cluster", {"view": "pods", "namespace": scene}, "k8s-troubleshooting",
         "inspect_cluster.py", ["pods", "-n", scene]),
        ("inspect_cluster", {"view": "nodes"}, "k8s-troubleshooting", "inspect_cluster.py",
         ["nodes"]),
    ]
    env = {k: kubectl_env[k] for k in ("KUBECONFIG", "PATH")}

    async def body():
        async with stdio_session("--audit-log", str(tmp_path / "audit.jsonl"),
                                 env=env) as session:
            results = [await session.call_tool(name, args) for name, args, *_ in calls]
            generated = await session.call_tool("generate_manifests", {
                "shape": "deployment", "name": "web", "namespace": scene,
                "image": "registry.local/web:1.0", "port": 8080, "companions": ["service"]})
            validated = await session.call_tool("validate_manifests", {
                "manifests": json.dumps(generated.structured_content["report"]["objects"])})
            return results, generated, validated
    results, generated, validated = anyio.run(body)
    for (name, args, skill, script, argv), result in zip(calls, results):
        assert not result.is_error, (name, result.content[0].text[:400])
        data = result.structured_content
        assert data["mode"] == "live"
        code, report = direct(env, skill, script, argv, tmp_path)
        assert data["exit_code"] == code and causes(data["report"]) == causes(report), name
    by_name = {c[0] + json.dumps(c[1]): r.structured_content["report"]
               for c, r in zip(calls, results)}
    # what the real components said
    triage = by_name["triage" + json.dumps({"namespace": scene})]
    assert "unschedulable_insufficient" in causes(triage)
    pending = by_name["explain_pending_workloads" + json.dumps({"namespace": scene})]
    assert "local_queue_missing" in causes(pending)
    assert "real-node-0" in by_name["inspect_cluster" + json.dumps({"view": "nodes"})]["text"]
    # a generated manifest is what the apiserver accepts
    objects = generated.structured_content["report"]["objects"]
    dry = kc("apply", "--dry-run=server", "-f", "-",
             stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    assert "deployment.apps/web created (server dry run)" in dry.stdout
    # ...and validate_manifests agrees with the apiserver: nothing it would reject
    assert not validated.is_error
    assert validated.structured_content["report"]["admission"]["rejected"] is False


# --- HTTP: the audited door, with the agent service behind it ----------------------------------
@pytest.fixture(scope="module")
def door(kc, kubectl_env, scene, users):
    """The agent chart (semi-autonomous, no applier: nothing is ever applied here), one
    replica, and the MCP gateway with its own ServiceAccount (TokenReview, SAR, impersonate)
    reading the cluster as the chart's read-only identity."""
    ns = f"mcp-agent-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", ns)
    bed = Testbed(kc, kubectl_env, ns, mode="semi-autonomous", write_namespaces=[scene],
                  values={"rbac": {"rules": generated_rules({"semi-autonomous":
                                                             ["apps/deployments"]}),
                                   "askers": {"users": ["bob"]}}})
    gateway = None
    role = f"{ns}-mcp-gateway"
    try:
        bed.install()
        kc("create", "serviceaccount", "mcp-gateway", "-n", ns)
        kc("apply", "-f", "-", stdin=json.dumps({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": role}, "rules": [
                {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"],
                 "verbs": ["create"]},
                {"apiGroups": ["authorization.k8s.io"], "resources": ["subjectaccessreviews"],
                 "verbs": ["create"]},
                {"apiGroups": [""], "resources": ["users", "groups"],
                 "verbs": ["impersonate"]}]}))
        kc("create", "clusterrolebinding", role, f"--clusterrole={role}",
           f"--serviceaccount={ns}:mcp-gateway")
        with FakeAnthropicAPI([{"say": "Scripted run: not used by these tests."}]) as fake:
            agent_url = bed.start_replica("r1", fake.url, str(built_bundles()), "--no-watcher")
            token_file = bed.dir / "gateway.token"
            token_file.write_text(bed.token("mcp-gateway"))
            port = free_port()
            argv = [sys.executable, "-m", "harness.cli", "mcp", "--transport", "http",
                    "--port", str(port), "--namespace", ns,
                    "--kubeconfig", bed.kubeconfig_for(bed.sa("reader")),
                    "--auth-kubeconfig", bed.kubeconfig_for("mcp-gateway"),
                    "--agent-url", agent_url, "--agent-token-file", str(token_file),
                    "--audit-log", str(bed.dir / "mcp-audit.jsonl")]
            env = {k: v for k, v in kubectl_env.items() if k != "KUBECONFIG"}
            log = open(bed.dir / "mcp.log", "w")
            gateway = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: _healthy(url, gateway, bed), 60, what="the MCP gateway")
            yield {"url": url, "bed": bed, "ns": ns,
                   "door": f"system:serviceaccount:{ns}:mcp-gateway"}
    finally:
        if gateway is not None and gateway.poll() is None:
            gateway.terminate()
            gateway.wait(30)
        bed.stop()
        kc("delete", "clusterrolebinding,clusterrole", role, check=False)
        kc("delete", "namespace", ns, "--wait=false", check=False)


def _healthy(url: str, proc, bed) -> bool:
    if proc.poll() is not None:
        raise AssertionError(f"gateway exited: {(bed.dir / 'mcp.log').read_text()[-2000:]}")
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _initialize(url: str, token: str | None) -> httpx2.Response:
    headers = {"Accept": "application/json, text/event-stream"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx2.post(url + "/mcp", headers=headers, timeout=60, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "curl-like", "version": "0"}}})


def test_the_door_refuses_without_a_token_or_the_right(door, users):
    none = _initialize(door["url"], None)
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    forged = _initialize(door["url"], "not-a-kubernetes-token")
    assert forged.status_code == 401
    assert forged.json() == {"error": "token not accepted by the Kubernetes API "
                                      "(TokenReview)"}
    # mallory is a real user of the cluster, with no binding to the agent's asker role
    refused = _initialize(door["url"], users["mallory"]["token"])
    assert refused.status_code == 403
    assert refused.json() == {"error": "mallory may not create asks (agent.k8s-skills.io in "
                                       f"namespace {door['ns']})"}
    audit = (door["bed"].dir / "mcp-audit.jsonl").read_text().splitlines()
    denied = [json.loads(line) for line in audit if '"deny"' in line]
    assert [(r["identity"]["user"], r["result"]) for r in denied][-3:] == [
        ("unauthenticated", "401"), ("unauthenticated", "401"), ("mallory", "403")]


def test_an_asker_reads_the_cluster_through_the_door(door, users, scene, kubectl_env):
    async def body():
        async with http_session(door["url"] + "/mcp", users["bob"]["token"]) as session:
            tools = (await session.list_tools()).tools
            pods = await session.call_tool("inspect_cluster", {"view": "pods",
                                                               "namespace": scene})
            pending = await session.call_tool("explain_pending_workloads",
                                              {"namespace": scene})
            return tools, pods, pending
    tools, pods, pending = anyio.run(body)
    assert len(tools) == 11 and all(t.input_schema["properties"] for t in tools)
    assert not pods.is_error
    assert "trainer-" in pods.structured_content["report"]["text"]  # read live as the reader
    assert "Unschedulable" in pods.structured_content["report"]["text"]
    assert not pending.is_error, pending.content[0].text
    assert "local_queue_missing" in causes(pending.structured_content["report"])
    calls = [json.loads(line) for line in
             (door["bed"].dir / "mcp-audit.jsonl").read_text().splitlines()
             if '"tools/call"' in line]
    assert [(c["identity"]["user"], c["mcp_target"], c["result"]) for c in calls][-2:] == [
        ("bob", "inspect_cluster", "ok"), ("bob", "explain_pending_workloads", "ok")]


def test_propose_change_lands_as_a_proposal_and_is_not_applied(door, users, scene, kc):
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "train", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}}}}

    async def body():
        async with http_session(door["url"] + "/mcp", users["bob"]["token"]) as session:
            return await session.call_tool("propose_change", {
                "summary": "trainer: ask for 1 GPU (no node has 100)",
                "reason": "FailedScheduling: Insufficient nvidia.com/gpu",
                "target": {"apiVersion": "apps/v1", "kind": "Deployment",
                           "namespace": scene, "name": "trainer"},
                "patch": patch, "evidence": ["FailedScheduling"]})
    result = anyio.run(body)
    assert not result.is_error, result.content[0].text
    name = result.structured_content["name"]
    stored = json.loads(kc("get", "proposals.agent.k8s-skills.io", name, "-n", door["ns"],
                           "-o", "json").stdout)
    assert stored["spec"]["requestedBy"] == "bob"
    assert stored["spec"]["patch"] == patch
    assert stored["status"]["history"][0]["by"] == f"bob (via {door['door']})"
    time.sleep(2)  # no applier runs here; the object must be exactly as it was
    live = json.loads(kc("get", "deployment", "trainer", "-n", scene, "-o", "json").stdout)
    limits = live["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
    assert limits == {"nvidia.com/gpu": "100"}
    assert stored["status"]["phase"] == "Proposed"


# --- kagent: the examples against kagent's CRDs, judged by the real apiserver ---------------
def test_kagent_examples_pass_server_side_dry_run(kc):
    from tests.mcp import kagent_crds
    crds = kagent_crds.compiled()["crds"]
    created = []
    try:
        for crd in crds:
            kc("apply", "--server-side", "-f", "-", stdin=json.dumps(
                {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                 **{k: v for k, v in crd.items() if k not in ("apiVersion", "kind")}}))
            created.append(crd["metadata"]["name"])
            jsonpath = "{.status.conditions[?(@.type=='Established')].status}"
            wait_for(lambda: kc("get", "crd", crd["metadata"]["name"], "-o",
                                f"jsonpath={jsonpath}", check=False).stdout == "True",
                     60, what=f"{crd['metadata']['name']} Established")
        for ns in ("kagent", "k8s-agent"):
            if kc("get", "namespace", ns, check=False).returncode != 0:
                kc("create", "namespace", ns)
                created.append(f"namespace/{ns}")
        examples = sorted((ROOT / "deploy" / "kagent").glob("*.yaml"))
        for path in examples:
            done = kc("apply", "--dry-run=server", "--validate=strict", "-f", str(path))
            assert "(server dry run)" in done.stdout and not done.stderr.strip(), \
                (path.name, done.stdout, done.stderr)
        # and the apiserver does refuse what kagent's schema and rules refuse
        base = {"apiVersion": "kagent.dev/v1alpha2", "kind": "RemoteMCPServer",
                "metadata": {"name": "bad", "namespace": "kagent"},
                "spec": {"description": "x", "url": "http://x/mcp"}}
        for spec, says in (({"surprise": True}, 'unknown field "spec.surprise"'),
                           ({"protocol": "HTTP"}, 'spec.protocol: Unsupported value: "HTTP"'),
                           ({"tls": {}}, "spec.tls must be unset when spec.url has http://")):
            bad = {**base, "spec": {**base["spec"], **spec}}
            refused = kc("apply", "--dry-run=server", "--validate=strict", "-f", "-",
                         stdin=json.dumps(bad), check=False)
            assert refused.returncode != 0 and says in refused.stderr, refused.stderr
    finally:
        for name in reversed(created):
            if name.startswith("namespace/"):
                kc("delete", name, "--wait=false", check=False)
            else:
                kc("delete", "crd", name, "--wait=false", check=False)
