"""The Slack front door and the specialist team on the local cluster: agent replicas as local
processes with their own ServiceAccount tokens, the Slack app with the chart's Slack
ServiceAccount (impersonate the people of its ConfigMap, read that ConfigMap; installed by
the chart with slack.enabled), signed requests as Slack sends them,
a stand-in for Slack's Web API, and the fake Anthropic API playing every model turn (scripted,
never a model's answer).

Ground truth: the scheduler's FailedScheduling and Kueue's own Workload condition (the faults),
the apiserver's SubjectAccessReviews (bob may not approve, alice may: chart RBAC), the skills'
scripts run by the agent's read-only identity.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path

import pytest
import uvicorn
from kubernetes import config as kube_config
from kubernetes.client import CoreV1Api

from agent.client import AgentClient
from agent.render import render_event
from agent.slack import blocks
from agent.slack.app import AgentDoor, build_app
from agent.slack.identities import from_configmap
from agent.slack.serve import http_app
from tests.agent import slack_standin as slack
from tests.agent.test_agent_live import (chart_values, cluster_dir, kc, scripts,  # noqa: F401
                                         shop, skills_dist, users)
from tests.agent.team_router import TeamRouter
from tests.agent.testbed import ScriptRouter, Testbed, free_port
from tests.live.helpers import wait_for

pytestmark = pytest.mark.live

SECRET = "live-signing-secret-0123456789abcdef"
ALICE, BOB, MALLORY = "U0000ALICE", "U00000BOB", "U000MALLRY"
KUEUE_SCRIPT = "python3 .claude/skills/k8s-kueue/scripts/explain_pending.py"
TRIAGE = "python3 .claude/skills/k8s-troubleshooting/scripts/triage.py"
# where the README's transcripts are written when asked (unset: printed only)
OUT = os.environ.get("K8S_SKILLS_SLACK_TRANSCRIPTS", "")


def keep(name: str, text: str) -> None:
    print(text)
    if OUT:
        Path(OUT, name).write_text(text)


@pytest.fixture(scope="module")
def queued_job(kc, shop):
    """A Job sent to a LocalQueue that does not exist: Kueue's webhook suspends it and its
    Workload says why (Kueue's own condition: the ground truth of the scheduling area)."""
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {
        "name": "train-b", "namespace": shop,
        "labels": {"kueue.x-k8s.io/queue-name": "team-a-gpus"}},
        "spec": {"parallelism": 2, "completions": 2, "suspend": True, "template": {"spec": {
            "restartPolicy": "Never", "containers": [{
                "name": "train", "image": "team/trainer:2.1",
                "resources": {"requests": {"cpu": "1"}}}]}}}}
    kc("apply", "-f", "-", stdin=json.dumps(job))
    wait_for(lambda: "team-a-gpus" in kc("get", "workloads.kueue.x-k8s.io", "-n", shop,
                                         "-o", "json").stdout, 90, what="Kueue's Workload")
    return "train-b"


def team_scripts(shop: str) -> dict:
    dump = "kubectl get {} -n " + shop + " -o json | {} -f - -n " + shop
    return {
        "orchestrator": [
            {"parallel": [
                {"tool": "Agent", "input": {
                    "subagent_type": "k8s-scheduling", "description": "train-b not admitted",
                    "prompt": f"Why is Job train-b in namespace {shop} not admitted by Kueue?"}},
                {"tool": "Agent", "input": {
                    "subagent_type": "k8s-observability", "description": "trainer pending",
                    "prompt": f"Why is Deployment trainer in namespace {shop} not running?"}}]},
            {"say": "Two separate causes (scripted run: a local fake API played every model "
                    "turn):\n- [k8s-scheduling] train-b is not admitted: its LocalQueue "
                    "team-a-gpus does not exist (Kueue's Workload condition).\n"
                    "- [k8s-observability] trainer cannot be scheduled: it asks for 100 GPUs "
                    "and no node has them (the scheduler's FailedScheduling).\n"
                    "Fix the queue name of train-b (or create the LocalQueue) and lower "
                    "trainer's GPU request."}],
        "scheduling": [
            {"skill": "k8s-kueue"},
            {"bash": dump.format("jobs,workloads.kueue.x-k8s.io,localqueues.kueue.x-k8s.io",
                                 KUEUE_SCRIPT)},
            {"say": "[k8s-scheduling] explain_pending.py: see the finding above (scripted)."}],
        "observability": [
            {"skill": "k8s-troubleshooting"},
            {"bash": dump.format("pods,events,nodes,deployments,replicasets", TRIAGE)},
            {"say": "[k8s-observability] triage.py: see the finding above (scripted)."}],
    }


@pytest.fixture(scope="module")
def bed(kc, kubectl_env, shop, skills_dist, users):
    ns = f"slack-{uuid.uuid4().hex[:6]}"
    kc("create", "namespace", ns)
    values = {**chart_values(users), "slack": {
        "enabled": True, "users": {ALICE: "alice", BOB: "bob", MALLORY: "mallory"},
        "botToken": "xoxb-live-test", "appToken": "xapp-live-test"}}
    bed = Testbed(kc, kubectl_env, ns, mode="semi-autonomous", write_namespaces=[shop],
                  values=values)
    single = ScriptRouter(scripts(shop))
    team = TeamRouter(team_scripts(shop))
    single.start()
    team.start()
    try:
        bed.install()
        bed.start_replica("r1", single.url, skills_dist, "--no-watcher", wait=False)
        bed.start_replica("team", team.url, skills_dist, "--no-watcher", "--specialists",
                          wait=False)
        bed.start_applier(single.url, skills_dist)
        bed.wait_ready("r1")
        bed.wait_ready("team")
        bed.fakes = {"single": single, "team": team}
        yield bed
    finally:
        bed.stop()
        single.stop()
        team.stop()
        kc("delete", "namespace", ns, "--wait=false", check=False)
        kc("delete", "clusterrolebinding,clusterrole", f"{ns}-agent-slack", check=False)


@pytest.fixture(scope="module")
def door(bed):
    """The chart's Slack identity (slack.enabled): it may impersonate the people of its
    ConfigMap and get that ConfigMap; nothing else."""
    return bed.token(bed.sa("slack"))


class SlackApp:
    def __init__(self, bed, door_token: str, replica: str):
        self.web = slack.SlackWebAPI()
        core = CoreV1Api(kube_config.new_client_from_config(bed.kubeconfig_for(bed.sa("slack"))))
        bolt = build_app(identities=from_configmap(core, bed.namespace, bed.sa("slack-users"),
                                                   ttl=0),
                         door=AgentDoor(bed.urls[replica], token=door_token, timeout=600),
                         signing_secret=SECRET, bot_token="xoxb-live-test",
                         slack_api_url=self.web.url)
        port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(http_app(bolt), host="127.0.0.1",
                                                    port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started, 30, what="the Slack app")
        self.url = f"http://127.0.0.1:{port}/slack/events"

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)
        self.web.stop()


@pytest.fixture(scope="module")
def app(bed, door):
    running = SlackApp(bed, door, "r1")
    yield running
    running.stop()


def _proposal_message(web):
    found = [m for m in web.messages.values()
             if m["blocks"] and m["blocks"][-1].get("type") == "actions"]
    return found[0] if found else None


def test_slack_thread_approval_is_decided_by_rbac_for_the_mapped_person(app, bed, users,
                                                                      shop):
    status, _ = slack.post(app.url, SECRET, slack.command_body(
        BOB, f"why is trainer pending in {shop}?"), slack.FORM)
    assert status == 200
    app.web.wait(_proposal_message, 600, what="the answer and the proposal")
    proposal = _proposal_message(app.web)
    name = proposal["blocks"][-1]["elements"][0]["value"]
    answer = app.web.thread(proposal["thread_ts"])[1]
    text = json.dumps(answer["blocks"])
    assert "triage.py" in text and "Insufficient nvidia.com/gpu" in text  # the scheduler's words
    assert "scripted run" in text and "asked as `bob`" in text
    api = AgentClient(bed.urls["r1"], users["alice"]["token"], timeout=60)
    wait_for(lambda: api.get(f"/v1/proposals/{name}")["phase"] == "AwaitingApproval", 180,
             what="the applier's dry-run")

    # mallory is mapped (the app may act for her), and the service's SubjectAccessReview says no
    slack.post(app.url, SECRET, slack.click_body(MALLORY, proposal, blocks.APPROVE, name),
               slack.FORM)
    app.web.wait(lambda w: len(w.thread(proposal["thread_ts"])) >= 4, 60, what="refusal")
    # bob is mapped, and the service's SubjectAccessReview says no
    slack.post(app.url, SECRET, slack.click_body(BOB, proposal, blocks.APPROVE, name),
               slack.FORM)
    app.web.wait(lambda w: len(w.thread(proposal["thread_ts"])) >= 5, 60, what="refusal")
    refusals = [m["text"] for m in app.web.thread(proposal["thread_ts"])[3:]]
    assert f"mallory may not approve proposals/{name}" in refusals[0]
    assert "(HTTP 403)" in refusals[0]
    assert f"bob may not approve proposals/{name}" in refusals[1]
    assert api.get(f"/v1/proposals/{name}")["phase"] == "AwaitingApproval"
    # alice: the service's SubjectAccessReview says yes (the chart's approvers)
    slack.post(app.url, SECRET, slack.click_body(ALICE, proposal, blocks.APPROVE, name),
               slack.FORM)
    app.web.wait(lambda w: w.messages[proposal["ts"]]["blocks"][-1]["type"] != "actions",
                 60, what="alice's approval")
    view = api.get(f"/v1/proposals/{name}")
    assert view["status"]["approvedBy"] == "alice"
    assert view["phase"] in {"Approved", "Applying", "Applied", "Verified"}
    keep("slack-thread.txt", slack.render_thread(app.web.thread(proposal["thread_ts"])))
    for leak in (users["alice"]["token"], users["bob"]["token"], SECRET):
        assert leak not in app.web.everything_sent()


def test_the_orchestrator_merges_two_specialists_on_the_cluster(bed, users, shop, queued_job):
    api = AgentClient(bed.urls["team"], users["bob"]["token"], timeout=600)
    events = list(api.ask(f"why is train-b not admitted and trainer pending in {shop}?"))
    transcript = "\n".join(t for t in (render_event(e, d) for e, d in events) if t)
    keep("orchestrated-answer.txt", transcript)
    done = events[-1][1]
    assert events[-1][0] == "done" and done["scripted"] is True
    assert sorted(d["specialist"] for e, d in events if e == "delegation") == [
        "k8s-observability", "k8s-scheduling"]
    runs = {d["specialist"]: d for e, d in events if e == "evidence" and d.get("script")}
    assert runs["k8s-scheduling"]["script"] == "explain_pending.py"
    assert runs["k8s-observability"]["script"] == "triage.py"
    # each found its own area's fault, in the responsible component's words
    assert "team-a-gpus" in runs["k8s-scheduling"]["output"]
    assert "Insufficient nvidia.com/gpu" in runs["k8s-observability"]["output"] or \
        "unschedulable_insufficient" in runs["k8s-observability"]["output"]
    assert sorted(r["specialist"] for r in done["reports"]) == ["k8s-observability",
                                                                "k8s-scheduling"]
    assert "[k8s-scheduling]" in done["answer"] and "[k8s-observability]" in done["answer"]
