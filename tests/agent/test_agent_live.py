"""The agent service on the local cluster: replicas and the applier as local processes, each
with its own ServiceAccount token, callers with real tokens (ServiceAccounts and the
cluster's users), the fake Anthropic API playing Claude (scripted; never a model's result).

Ground truth comes from the real components: the scheduler's verdict on the pods (the fault),
the apiserver's TokenReview / SubjectAccessReview answers and RBAC (who may do what), its
audit log (which identity wrote what), KWOK running the fixed pods, and the k8s-troubleshooting
skill's own diagnosis before and after the change.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from agent.chart import generated_rules
from agent.client import AgentClient, ApiError, parse_sse
from agent.kube import Kube
from agent.proposals import proposal_spec
from agent.store import PROPOSALS, Store, new_name
from harness.cluster import access
from harness.evals.agents.skills import built_bundles
from tests.agent.testbed import ScriptRouter, Testbed
from tests.live.helpers import wait_for

pytestmark = pytest.mark.live

TRIAGE = "python3 .claude/skills/k8s-troubleshooting/scripts/triage.py"
H100 = {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}


def trainer(name: str, gpus: str) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {
                         "nodeSelector": H100,
                         "containers": [_container(gpus)]}}}}


def _container(gpus: str) -> dict:
    return {"name": "train", "image": "team/trainer:2.1",
            "resources": {"limits": {"nvidia.com/gpu": gpus}}}


@pytest.fixture(scope="module")
def kc(kubectl_env):
    def run(*args, stdin=None, check=True, timeout=120):
        proc = subprocess.run(["kubectl", *args], input=stdin, capture_output=True, text=True,
                              env=kubectl_env, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: {proc.stderr}")
        return proc
    return run


@pytest.fixture(scope="module")
def cluster_dir(kubeconfig) -> Path:
    """The local provider keeps its kubeconfig, users.csv and kwok/ in one folder."""
    return Path(kubeconfig).parent


@pytest.fixture(scope="module")
def users(cluster_dir):
    found = access.read_users(cluster_dir)
    if not found:
        pytest.skip("this cluster has no static-token users (only the local provider has)")
    return found


@pytest.fixture(scope="module")
def skills_dist():
    return str(built_bundles())


@pytest.fixture(scope="module")
def shop(kc):
    name = f"shop-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", name)
    for obj in (trainer("trainer", "100"), trainer("stuck", "64")):
        obj["metadata"]["namespace"] = name
        kc("apply", "-f", "-", stdin=json.dumps(obj))
    # The scheduler's verdict as it writes it on each pod (PodScheduled=False Unschedulable):
    # its FailedScheduling events queue behind every other event it sends, and after a test
    # of hundreds of unschedulable pods they arrive minutes late (seen under load).
    seen: list[str] = []

    def unschedulable():
        pods = json.loads(kc("get", "pods", "-n", name, "-o", "json").stdout)["items"]
        seen[:] = [f"{p['metadata']['name']}: {p.get('status', {}).get('conditions')}"
                   for p in pods]
        verdicts = {p["metadata"]["labels"].get("app") for p in pods
                    if any(c.get("type") == "PodScheduled" and c.get("reason") == "Unschedulable"
                           for c in p.get("status", {}).get("conditions") or [])}
        return verdicts >= {"trainer", "stuck"}
    wait_for(unschedulable, 120, interval=1,
             what="the scheduler's verdict (PodScheduled=False Unschedulable) on trainer and stuck",
             seen=lambda: "; ".join(seen) or "no pods")
    yield name
    kc("delete", "namespace", name, "--wait=false", check=False)


def scripts(shop: str) -> dict:
    fixed = {"spec": {"template": {"spec": {"containers": [_container("1")]}}}}
    return {
        "why is trainer pending": [
            {"skill": "k8s-troubleshooting"},
            # the dump form: the script's live mode also reads Secrets, which the agent's
            # read-only identity may not (k8s-rbac's advisory role excludes them)
            {"bash": f"kubectl get pods,events,nodes,deployments,replicasets -n {shop} "
                     f"-o json | {TRIAGE} -f - -n {shop} trainer"},
            {"tool": "propose_change", "input": {
                "summary": "trainer: ask for 1 GPU (no node has 100)",
                "reason": "The scheduler reports Insufficient nvidia.com/gpu: the pod asks "
                          "for 100 GPUs and the largest node has 8.",
                "evidence": ["FailedScheduling: Insufficient nvidia.com/gpu"],
                "target": {"apiVersion": "apps/v1", "kind": "Deployment",
                           "namespace": shop, "name": "trainer"},
                "patch": fixed,
                "verify": {"skill": "k8s-troubleshooting", "script": "triage.py",
                           "args": ["-n", shop, "trainer"],
                           "cause": "unschedulable_insufficient"}}},
            {"say": "trainer asks for 100 GPUs; proposed 1 (scripted)."}],
        "scale web": [
            {"bash": f"kubectl scale deployment stuck -n {shop} --replicas=5"},
            {"bash": f"kubectl delete pods --all -n {shop}"},
            {"bash": f"kubectl get pods -n {shop}; kubectl delete ns {shop}"},
            {"tool": "propose_change", "input": {
                "summary": "scale stuck to 5", "reason": "scripted attempt",
                "target": {"apiVersion": "apps/v1", "kind": "Deployment",
                           "namespace": shop, "name": "stuck"},
                "patch": {"spec": {"replicas": 5}}}},
            {"say": "I could not change anything (scripted)."}],
    }


@pytest.fixture(scope="module")
def fake(shop):
    with ScriptRouter(scripts(shop)) as api:
        yield api


def chart_values(users: dict) -> dict:
    return {"rbac": {"rules": generated_rules({"semi-autonomous": ["apps/deployments"]}),
                     "approvers": {"users": ["alice"]},
                     "askers": {"users": ["bob", "alice"]}}}


class Webhook:
    """The operator's webhook: a loopback server recording what the watcher POSTs."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/findings"


@pytest.fixture(scope="module")
def webhook():
    hook = Webhook()
    yield hook
    hook.server.shutdown()


@pytest.fixture(scope="module")
def semi(kc, kubectl_env, shop, fake, skills_dist, users, webhook):
    """semi-autonomous: two replicas and the applier."""
    ns = f"agent-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", ns)
    bed = Testbed(kc, kubectl_env, ns, mode="semi-autonomous", write_namespaces=[shop],
                  values=chart_values(users))
    # the watcher sees the shop only: other tests' leftover faults (namespaces still being
    # deleted) would each be published and summarised first, one at a time
    bed.env.update({"K8S_AGENT_DIAGNOSE_EVERY": "2", "K8S_AGENT_WEBHOOK_URL": webhook.url,
                    "K8S_AGENT_WATCH_NAMESPACES": shop})
    try:
        bed.install()
        for name in ("r1", "r2"):
            bed.start_replica(name, fake.url, skills_dist, "--pending-minutes", "0.05",
                              wait=False)
        bed.start_applier(fake.url, skills_dist)
        for name in ("r1", "r2"):
            bed.wait_ready(name)
        yield bed
    finally:
        bed.stop()
        kc("delete", "namespace", ns, "--wait=false", check=False)


def client(bed: Testbed, replica: str, token: str) -> AgentClient:
    return AgentClient(bed.urls[replica], token, timeout=300)


def proposal_when(bed, token, name, phases, timeout=120):
    api = client(bed, "r1", token)
    return wait_for(lambda: (lambda p: p if p["phase"] in phases else None)(
        api.get(f"/v1/proposals/{name}")), timeout, what=f"proposal {name} in {phases}")


# --- the ask, the proposal, the approval, the apply ----------------------------------------
@pytest.fixture(scope="module")
def asked(semi, users, shop):
    events = list(client(semi, "r2", users["bob"]["token"]).ask(
        f"why is trainer pending in {shop}?"))
    return events


def test_an_ask_is_answered_with_the_skills_evidence(asked, shop):
    names = [e for e, _ in asked]
    assert names[0] == "conversation" and names[-1] == "done"
    done = asked[-1][1]
    assert done["scripted"] is True and done["model"]  # labelled: not a model's answer
    triage = [d for e, d in asked if e == "evidence" and d.get("script") == "triage.py"]
    assert triage and triage[0]["skill"] == "k8s-troubleshooting"
    # the skill read the real scheduler's verdict (kube-scheduler's own wording)
    assert "unschedulable_insufficient" in triage[0]["output"] or \
        "Insufficient nvidia.com/gpu" in triage[0]["output"]
    said = [d["output"] for d in done["evidence"] if d["tool"].endswith("propose_change")]
    assert done["evidence"] and done["proposals"], f"propose_change answered: {said}"


def test_the_proposal_is_dry_run_refused_to_others_approved_applied_verified(
        asked, semi, users, shop, kc):
    name = asked[-1][1]["proposals"][0]
    alice, bob, mallory = (users[u]["token"] for u in ("alice", "bob", "mallory"))
    waiting = proposal_when(semi, bob, name, {"AwaitingApproval"})
    dry = waiting["status"]["dryRun"]
    assert dry["ok"] and "nvidia.com/gpu" in dry["diff"]  # the apiserver's dry-run result
    for token in (bob, mallory):
        with pytest.raises(ApiError) as refused:
            client(semi, "r1", token).post(f"/v1/proposals/{name}/approve", {})
        assert refused.value.status == 403 and "may not approve" in refused.value.message
    assert kc("get", "deploy", "trainer", "-n", shop, "-o",
              "jsonpath={.spec.template.spec.containers[0].resources.limits}").stdout \
        .count("100")  # nothing changed before the approval
    approved = client(semi, "r2", alice).post(f"/v1/proposals/{name}/approve",
                                              {"reason": "checked the node sizes"})
    assert approved["phase"] == "Approved" and approved["status"]["approvedBy"] == "alice"
    done = proposal_when(semi, alice, name, {"Verified", "VerificationFailed", "Failed"}, 180)
    assert done["phase"] == "Verified", done["status"]
    assert "no unschedulable_insufficient" in done["status"]["verification"]["result"]
    # KWOK runs the fixed pod: the change resolved the fault
    assert wait_for(lambda: "Running" in kc("get", "pods", "-n", shop, "-l", "app=trainer",
                                             "-o", "jsonpath={.items[*].status.phase}").stdout,
                    60, what="trainer running")


def test_the_change_is_audited_and_recorded_as_an_event(asked, semi, users, shop, kc,
                                                        cluster_dir):
    name = asked[-1][1]["proposals"][0]
    proposal_when(semi, users["alice"]["token"], name, {"Verified"}, 180)
    records = [json.loads(line) for line in semi.audit_log.read_text().splitlines()]
    events = {r.get("event") for r in records if r.get("proposal") == name}
    assert {"proposal", "dry-run", "approval", "apply", "verify"} <= events
    assert any(r.get("event") == "ask" for r in records)
    assert any("triage.py" in (r.get("command") or "") for r in records)  # the tool call
    summary = subprocess.run([sys.executable, "-m", "harness.cli", "audit", "--log",
                              str(semi.audit_log)], capture_output=True, text=True,
                             timeout=60).stdout
    assert f"approved {name}" in summary and f"applied {name}" in summary
    notes = kc("get", "events.events.k8s.io", "-n", shop, "-o", "json").stdout
    applied = [e for e in json.loads(notes)["items"] if e.get("reason") == "AgentApplied"]
    assert applied and applied[0]["regarding"]["name"] == "trainer"
    assert "nvidia.com/gpu" in applied[0]["note"] and "approved by alice" in applied[0]["note"]
    # the apiserver's own audit log: the Deployment was written by the applier alone
    writers = _writers(cluster_dir, "deployments", shop, "trainer")
    assert f"system:serviceaccount:{semi.namespace}:agent-applier" in writers
    assert not [w for w in writers if w.startswith(f"system:serviceaccount:{semi.namespace}")
                and not w.endswith(":agent-applier")]


def test_a_proposal_the_applier_advances_before_its_first_status_is_still_stored(
        semi, kubectl_env, kc):
    """The status subresource drops status from a create, so the proposer writes it second;
    the applier may dry-run the new Proposal in between (CI saw it: the proposer's write got
    409 and the model was told nothing was stored). The real apiserver's conflict decides."""
    ns = f"race-{uuid.uuid4().hex[:6]}"  # the Proposal CRD (semi installed it), no applier
    kc("create", "namespace", ns)
    admin = Kube(kubectl_env["KUBECONFIG"])
    proposer, applier = Store(admin, ns), Store(admin, ns)
    first_write = proposer.replace_status
    raced: list[str] = []

    def applier_first(kind, obj):
        if not raced:  # the applier's transition lands between create and the first status
            raced.append(applier.transition(obj["metadata"]["name"], {"Proposed"},
                                            "AwaitingApproval", by="applier")["status"]["phase"])
        return first_write(kind, obj)

    proposer.replace_status = applier_first  # type: ignore[method-assign]
    name = new_name("p")
    mine = {"phase": "Proposed", "history": [{"time": "t0", "phase": "Proposed", "by": "bob"}]}
    spec = proposal_spec({"summary": "race", "reason": "scripted", "patch": {"spec": {}},
                          "target": {"apiVersion": "apps/v1", "kind": "Deployment",
                                     "namespace": ns, "name": "web"}}, "bob")
    obj = proposer.create(PROPOSALS, name, spec, status=mine)
    stored = applier.get(PROPOSALS, name)["status"]
    assert raced == ["AwaitingApproval"]
    assert obj["status"]["phase"] == stored["phase"] == "AwaitingApproval"  # the later phase
    assert [h["by"] for h in stored["history"]] == ["bob", "applier"]  # both lines, in order
    kc("delete", "namespace", ns, "--wait=false", check=False)


def _writers(cluster_dir: Path, resource: str, namespace: str, name: str = "") -> set[str]:
    path = access.audit_log(cluster_dir / "kwok", cluster_dir.name)
    writers = set()
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        ref = entry.get("objectRef") or {}
        if ref.get("resource") == resource and ref.get("namespace") == namespace and \
                (not name or ref.get("name") == name) and entry.get("verb") != "get":
            writers.add(entry["user"]["username"])
    return writers


# --- the watcher, on the leader only -----------------------------------------------------------
def test_the_leader_publishes_a_sustained_finding_every_replica_streams(semi, users, shop,
                                                                       webhook):
    token = users["bob"]["token"]
    seen: list[dict] = []

    def published():  # the Deployment's finding; its ReplicaSet's are shown on a failure
        seen[:] = [f for f in client(semi, "r1", token).get("/v1/findings")["findings"]
                   if f["objectRef"].endswith(f"/{shop}/stuck") or f"/{shop}/stuck-" in
                   f["objectRef"]]
        return next((f for f in seen if f["objectRef"] == f"Deployment/{shop}/stuck"), None)
    finding = wait_for(published, 120, what=f"a finding about Deployment {shop}/stuck",
                       seen=lambda: _briefly(seen))
    assert finding["cause"] == "unschedulable_insufficient", _briefly(seen)
    assert finding["skill"] == "k8s-troubleshooting"
    assert finding["status"]["publishedBy"] == semi.lease_holder()
    posted = [b for b in webhook.received if b["finding"] == finding["name"]]
    assert len(posted) == 1 and posted[0]["cause"] == "unschedulable_insufficient"
    summarised = wait_for(lambda: next((f for f in client(semi, "r2", token).get(
        "/v1/findings")["findings"] if f["name"] == finding["name"]
        and ("summary" in f["status"] or "summarySkipped" in f["status"])), None), 120,
        what="the finding's summary")
    assert summarised["status"].get("summaryScripted") is True
    # deduplicated: later passes do not publish it again
    time.sleep(6)
    again = [f for f in client(semi, "r2", token).get("/v1/findings")["findings"]
             if f["objectRef"] == finding["objectRef"] and f["cause"] == finding["cause"]]
    assert len(again) == 1


def _briefly(findings: list[dict]) -> str:
    return "; ".join(f"{f['objectRef']} {f['cause']}: {f.get('message', '')[:200]} "
                     f"evidence={f.get('evidence', [])[:3]}" for f in findings) or "none"


def test_a_new_finding_reaches_open_streams_on_every_replica(semi, users, shop, kc):
    """GET /v1/findings/stream (server-sent events) on the replica that does not lead."""
    follower = "r2" if semi.lease_holder() == "r1" else "r1"
    request = urllib.request.Request(semi.urls[follower] + "/v1/findings/stream", headers={
        "Authorization": f"Bearer {users['bob']['token']}", "Accept": "text/event-stream"})
    stream = urllib.request.urlopen(request, timeout=150)
    obj = trainer("stuck2", "32")
    obj["metadata"]["namespace"] = shop
    kc("apply", "-f", "-", stdin=json.dumps(obj))
    found = None
    deadline = time.monotonic() + 140
    for event, data in parse_sse(stream):
        if event == "finding" and data["objectRef"].endswith("/stuck2"):
            found = data
            break
        if time.monotonic() > deadline:
            break
    stream.close()
    assert found and found["cause"] == "unschedulable_insufficient"


# --- refusals ------------------------------------------------------------------------------------
def _raw(url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url + "/v1/ask", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {}
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_bad_requests_get_one_line_4xx(semi, users):
    url = semi.urls["r1"]
    bob = {"Authorization": f"Bearer {users['bob']['token']}"}
    cases = [
        (b'{"question": "x"}', {}, 401, "bearer token"),
        (b'{"question": "x"}', {"Authorization": "Bearer not-a-token"}, 401, "TokenReview"),
        (b'{"question": "x"}', {"Authorization": f"Bearer {users['mallory']['token']}"},
         403, "mallory may not create asks"),
        (b'{"question": ', bob, 400, "malformed JSON"),
        (b'{"question": 5}', bob, 400, "question"),
        (json.dumps({"question": "x" * 20000}).encode(), bob, 413, "bytes"),
    ]
    for body, headers, status, text in cases:
        got, error = _raw(url, body, headers)
        assert got == status and text in error["error"] and "\n" not in error["error"]


def test_serviceaccounts_are_callers_too(semi, kc):
    """A ServiceAccount without a binding is refused; the server's own is not an asker."""
    kc("create", "serviceaccount", "bot", "-n", semi.namespace)
    token = semi.token("bot")
    with pytest.raises(ApiError) as refused:
        client(semi, "r1", token).get("/v1/proposals")
    assert refused.value.status == 403
    assert f"system:serviceaccount:{semi.namespace}:bot may not list proposals" in \
        refused.value.message


# --- advisory mode ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def advisory(kc, kubectl_env, fake, skills_dist, users):
    ns = f"agent-adv-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", ns)
    bed = Testbed(kc, kubectl_env, ns, mode="advisory",
                  values={"rbac": {"approvers": {"users": ["alice"]},
                                   "askers": {"users": ["alice", "bob"]}}})
    try:
        bed.install()
        bed.start_replica("a1", fake.url, skills_dist, "--no-watcher")
        yield bed
    finally:
        bed.stop()
        kc("delete", "namespace", ns, "--wait=false", check=False)


def test_in_advisory_mode_no_write_reaches_the_apiserver(advisory, users, shop, kc,
                                                         cluster_dir):
    before = kc("get", "deploy", "stuck", "-n", shop, "-o",
                "jsonpath={.metadata.generation}/{.spec.replicas}").stdout
    pods_before = kc("get", "pods", "-n", shop, "-o", "name").stdout
    events = list(client(advisory, "a1", users["bob"]["token"]).ask(
        f"please scale web (stuck) in {shop}"))
    refused = [d for e, d in events if e == "tool" and not d["allowed"]]
    assert len(refused) == 3  # scale, delete, and the `;` chain
    proposal = next(d for e, d in events if e == "proposal")
    assert proposal["phase"] == "Advisory"
    with pytest.raises(ApiError) as conflict:
        client(advisory, "a1", users["alice"]["token"]).post(
            f"/v1/proposals/{proposal['name']}/approve", {})
    assert conflict.value.status == 409 and "advisory mode" in conflict.value.message
    assert kc("get", "deploy", "stuck", "-n", shop, "-o",
              "jsonpath={.metadata.generation}/{.spec.replicas}").stdout == before
    assert kc("get", "pods", "-n", shop, "-o", "name").stdout == pods_before
    # the apiserver saw no write from any of the agent's identities outside its own state
    prefix = f"system:serviceaccount:{advisory.namespace}:"
    assert not [w for w in _writers(cluster_dir, "deployments", shop) |
                _writers(cluster_dir, "pods", shop) if w.startswith(prefix)]
    # and RBAC is the boundary even without the hook: the reader identity cannot write
    reader = advisory.kubeconfig_for("agent-reader")
    proc = kc("--kubeconfig", reader, "scale", "deployment", "stuck", "-n", shop,
              "--replicas=5", check=False)
    assert proc.returncode != 0 and "forbidden" in proc.stderr.lower()


# --- high availability: kill the leader -----------------------------------------------------------
def test_killing_the_leader_moves_leadership_within_the_lease_and_loses_nothing(
        semi, users, asked):
    token = users["alice"]["token"]
    before = {p["name"] for p in client(semi, "r1", token).get("/v1/proposals")["proposals"]}
    conversation = asked[0][1]["id"]
    leader = wait_for(semi.lease_holder, 30, what="a Lease holder")
    survivor = "r2" if leader == "r1" else "r1"
    killed_at = time.monotonic()
    semi.kill(leader)
    moved = wait_for(lambda: semi.lease_holder() == survivor, 30, what="the Lease to move")
    took = time.monotonic() - killed_at
    assert moved and took <= 6 + 2 + 1, f"leadership moved after {took:.1f}s (Lease 6 s)"
    after = {p["name"] for p in client(semi, survivor, token).get("/v1/proposals")["proposals"]}
    assert before <= after
    conv = client(semi, survivor, token).get(f"/v1/conversations/{conversation}")
    assert conv["turns"] and conv["turns"][0]["scripted"] is True
    ready = json.loads(urllib.request.urlopen(semi.urls[survivor] + "/readyz").read())
    assert ready["leader"] is True


# --- a front door acting for a person (issue 18's Slack / MCP gateway) ------------------------------
def _door_headers(url: str, token: str, user: str, groups: list[str]) -> tuple[int, dict]:
    """GET /v1/whoami with repeated Impersonate-Group lines, as kubectl --as-group sends them."""
    import http.client
    from urllib.parse import urlparse
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.putrequest("GET", "/v1/whoami")
    conn.putheader("Authorization", f"Bearer {token}")
    conn.putheader("Impersonate-User", user)
    for group in groups:
        conn.putheader("Impersonate-Group", group)
    conn.endheaders()
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    return response.status, body


def test_a_front_door_acts_for_a_person_only_as_rbac_allows(semi, users, asked, kc):
    """The apiserver's SubjectAccessReview decides both steps: may the door impersonate this
    person (verb impersonate on users / groups), and may that person do the thing."""
    ns = semi.namespace
    kc("create", "serviceaccount", "door", "-n", ns)
    kc("apply", "-f", "-", stdin=json.dumps({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": f"{ns}-door"}, "rules": [{
            "apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"],
            "resourceNames": ["alice", "bob"]}]}))
    kc("create", "clusterrolebinding", f"{ns}-door", f"--clusterrole={ns}-door",
       f"--serviceaccount={ns}:door")
    try:
        # A replica that is running: the leader test before this one kills the leader.
        alive = wait_for(semi.lease_holder, 30, what="a Lease holder")
        token, url = semi.token("door"), semi.urls[alive]
        door = f"system:serviceaccount:{ns}:door"
        with pytest.raises(ApiError) as alone:  # the door itself is no asker
            client(semi, alive, token).get("/v1/proposals")
        assert alone.value.status == 403
        as_alice = AgentClient(url, token, timeout=60, act_as="alice")
        me = as_alice.get("/v1/whoami")
        assert me == {"username": "alice", "groups": ["system:authenticated"], "via": door}
        assert "proposals" in as_alice.get("/v1/proposals")  # alice's own right
        name = asked[-1][1]["proposals"][0]
        with pytest.raises(ApiError) as bob:
            AgentClient(url, token, timeout=60, act_as="bob").post(
                f"/v1/proposals/{name}/approve", {})
        assert bob.value.status == 403 and "bob may not approve" in bob.value.message
        for user, groups, refused in (("mallory", [], "users/mallory"),
                                      ("alice", ["sre-approvers"], "groups/sre-approvers")):
            status, body = _door_headers(url, token, user, groups)
            assert status == 403 and body == {"error": f"{door} may not impersonate {refused}"}
        status, body = _door_headers(url, users["mallory"]["token"], "alice", [])
        assert status == 403 and "mallory may not impersonate users/alice" in body["error"]
    finally:
        kc("delete", "clusterrolebinding,clusterrole", f"{ns}-door", check=False)
