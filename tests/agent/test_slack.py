"""The Slack front door with signed requests against the app (HTTP mode, served by uvicorn on
loopback), a stand-in for Slack's Web API, and a stand-in for the agent service's API that
records who the app claimed to act for.

These tests check the app's own duties: Slack's signature and timestamp (Bolt's request
verification, against signatures computed here by Slack's documented scheme), the identity
map (unmapped users never reach the service), the thread it renders, folding, redaction, and
that a decision is whatever the service answers for the impersonated person. Whether the
service's answer is right for alice and bob is the apiserver's SubjectAccessReview, tested on
the local cluster in test_slack_live.py.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import uvicorn

from agent.slack import blocks
from agent.slack.app import AgentDoor, build_app
from agent.slack.identities import from_dict
from agent.slack.serve import http_app
from tests.agent import slack_standin as slack
from tests.agent.testbed import free_port

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOOR_TOKEN = "door-sa-token"
ALICE, BOB, MALLORY, CAROL = "U0000ALICE", "U00000BOB", "U000MALLRY", "U0000CAROL"
LEAKS = ("hunter2-very-secret", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl",
         "c3VwZXJzZWNyZXQ=", "xoxb-1111111111-2222222222-abcdefabcdef")


def ask_events(name: str = "p-0a1b2c3d4e") -> list[tuple[str, dict]]:
    """What the agent service streams for an ask (the shape of agent/session.py's events),
    with secrets inside the evidence a careless script could print."""
    triage = "\n".join([  # the script's shape: the finding first, then its evidence
        "shop: 1 finding(s), 30 pod(s) affected of 30 scanned (phases: Pending 30)",
        "1. ERROR unschedulable_insufficient Pod/shop/trainer-0: 0/9 nodes are available: "
        "9 Insufficient nvidia.com/gpu.", f"   evidence: env DB_PASSWORD={LEAKS[0]}",
        f"   evidence: Authorization: Bearer {LEAKS[1]}"] +
        [f"   evidence: pod shop/trainer-{i}: Pending" for i in range(30)])
    secret_dump = json.dumps({"kind": "Secret", "metadata": {"name": "db"},
                              "data": {"password": LEAKS[2]}})
    return [
        ("conversation", {"id": "c-7f3e", "replica": "r1", "scripted": True}),
        ("tool", {"id": "t1", "tool": "Bash", "input": {"command": "kubectl get pods"},
                  "allowed": True, "reason": ""}),
        ("evidence", {"id": "t1", "tool": "Bash", "command": "kubectl get pods -o json | "
                      "python3 .claude/skills/k8s-troubleshooting/scripts/triage.py -f -",
                      "skill": "k8s-troubleshooting", "script": "triage.py", "exit_code": 0,
                      "refused": False, "output": triage}),
        ("evidence", {"id": "t2", "tool": "Bash", "command": "kubectl get secret db -o json",
                      "skill": "", "script": "", "exit_code": 0, "refused": False,
                      "output": secret_dump}),
        ("proposal", {"name": name, "summary": "trainer: ask for 1 GPU (no node has 100)",
                      "target": {"kind": "Deployment", "namespace": "shop", "name": "trainer"},
                      "phase": "AwaitingApproval"}),
        ("done", {"conversation": "c-7f3e", "answer": "trainer asks for 100 GPUs. " +
                  "Background. " * 400 + f"token: {LEAKS[3]}", "turns": 4,
                  "tokens": {"input": 900, "output": 120}, "model": "scripted",
                  "scripted": True, "proposals": [name]}),
    ]


class AgentStandIn:
    """The agent service's API as the app sees it. Decisions come from `may_approve`
    (the live test asks the real apiserver instead)."""

    def __init__(self, may_approve: set[str]):
        self.requests: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"] or 0)))
                who = self.headers.get("Impersonate-User", "")
                stand_in.requests.append({"path": self.path, "as": who, "body": body,
                                          "auth": self.headers.get("Authorization")})
                if self.headers.get("Authorization") != f"Bearer {DOOR_TOKEN}":
                    return self._json(401, {"error": "token not accepted"})
                if self.path == "/v1/ask":
                    if who not in ("alice", "bob"):
                        return self._json(403, {"error": f"{who} may not create asks "
                                                         "(agent.k8s-skills.io in namespace k8s-agent)"})
                    return self._sse(ask_events())
                name, verb = self.path.split("/")[3:5]
                if who not in may_approve:
                    return self._json(403, {"error": f"{who} may not {verb} proposals/{name} "
                                                     "(agent.k8s-skills.io in namespace k8s-agent)"})
                phase = "Approved" if verb == "approve" else "Rejected"
                self._json(200, {"name": name, "phase": phase, "spec": {},
                                 "status": {f"{verb[:-1]}edBy": who,
                                            "rejectionReason": body.get("reason", "")
                                            if verb == "reject" else ""}})

            def _json(self, status, data):
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _sse(self, events):
                raw = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events)
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", str(len(raw.encode())))
                self.end_headers()
                self.wfile.write(raw.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def web():
    api = slack.SlackWebAPI()
    yield api
    api.stop()


@pytest.fixture
def agent():
    stand_in = AgentStandIn(may_approve={"alice"})
    yield stand_in
    stand_in.server.shutdown()


@pytest.fixture
def app_url(web, agent):
    bolt = build_app(identities=from_dict({ALICE: "alice", BOB: "bob", CAROL: "carol"}),
                     door=AgentDoor(agent.url, token=DOOR_TOKEN, timeout=30),
                     signing_secret=SECRET, bot_token="xoxb-test-bot-token",
                     slack_api_url=web.url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(http_app(bolt), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/slack/events"
    server.should_exit = True
    thread.join(10)


def _asked(web, agent, app_url, user=BOB, text="why is trainer pending in shop?"):
    status, _ = slack.post(app_url, SECRET, slack.command_body(user, text), slack.FORM)
    assert status == 200
    web.wait(lambda w: sum(1 for m in w.messages.values() if m["blocks"]
                           and m["blocks"][-1].get("type") == "actions") >= 1,
             what="the proposal message")
    root = next(ts for ts, m in sorted(web.messages.items()) if not m["thread_ts"])
    return web.thread(root)


# --- Slack's signature -------------------------------------------------------------------
def test_a_signed_command_is_accepted_and_answered_in_a_thread(web, agent, app_url):
    thread = _asked(web, agent, app_url)
    root, answer, proposal = thread
    assert root["text"] == f"<@{BOB}> asked: why is trainer pending in shop?"
    assert answer["thread_ts"] == proposal["thread_ts"] == root["ts"]
    # acted as the mapped person, with the app's own token
    assert agent.requests[0] == {"path": "/v1/ask", "as": "bob",
                                 "body": {"question": "why is trainer pending in shop?"},
                                 "auth": f"Bearer {DOOR_TOKEN}"}
    texts = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    assert texts[0].startswith("trainer asks for 100 GPUs.")
    assert any("unschedulable_insufficient" in t and "triage.py" in t for t in texts)
    context = " ".join(b["elements"][0]["text"] for b in answer["blocks"]
                       if b["type"] == "context")
    assert "scripted run" in context and "asked as `bob`" in context
    buttons = proposal["blocks"][-1]["elements"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Approve", "p-0a1b2c3d4e"), ("Reject", "p-0a1b2c3d4e")]


@pytest.mark.parametrize("how", ["forged signature", "old timestamp", "no signature",
                                 "body changed after signing"])
def test_unverified_requests_are_refused_before_anything_runs(web, agent, app_url, how):
    body = slack.command_body(BOB, "why is trainer pending?")
    now = int(time.time())
    kwargs = {
        "forged signature": {"signature": slack.sign("not-the-secret", body, now)},
        # Slack: reject requests whose timestamp is more than five minutes from now
        "old timestamp": {"timestamp": now - 6 * 60,
                          "signature": slack.sign(SECRET, body, now - 6 * 60)},
        "no signature": {"signature": "v0="},
        "body changed after signing": {"signature": slack.sign(SECRET, body + b"x", now)},
    }[how]
    status, text = slack.post(app_url, SECRET, body, slack.FORM, **kwargs)
    assert status == 401 and json.loads(text) == {"error": "invalid request"}
    time.sleep(0.5)
    assert agent.requests == [] and [m for m in web.methods() if m != "auth.test"] == []


def test_a_timestamp_within_five_minutes_is_accepted(web, agent, app_url):
    body = slack.command_body(BOB, "why is trainer pending?")
    status, _ = slack.post(app_url, SECRET, body, slack.FORM, timestamp=int(time.time()) - 240)
    assert status == 200
    web.wait(lambda w: "chat.postMessage" in w.methods(), what="the answer")


# --- who ---------------------------------------------------------------------------------
def test_an_unmapped_slack_user_is_refused_and_nothing_is_asked(web, agent, app_url):
    status, text = slack.post(app_url, SECRET, slack.command_body(MALLORY, "delete prod"),
                              slack.FORM)
    assert status == 200 and "is not mapped to a Kubernetes identity" in text
    assert MALLORY in text
    status, _ = slack.post(app_url, SECRET, slack.mention_body(MALLORY, "show secrets"),
                           slack.JSON)
    assert status == 200
    web.wait(lambda w: w.ephemeral, what="the refusal")
    assert web.ephemeral[0]["user"] == MALLORY
    assert "not mapped" in web.ephemeral[0]["text"]
    assert agent.requests == [] and "chat.postMessage" not in web.methods()


def test_an_unmapped_user_cannot_press_the_buttons(web, agent, app_url):
    proposal = _asked(web, agent, app_url)[-1]
    before = len(agent.requests)
    status, _ = slack.post(app_url, SECRET, slack.click_body(
        MALLORY, proposal, blocks.APPROVE, "p-0a1b2c3d4e"), slack.FORM)
    assert status == 200
    web.wait(lambda w: w.ephemeral, what="the refusal")
    assert "not mapped" in web.ephemeral[0]["text"] and len(agent.requests) == before


def test_a_mapped_person_the_service_refuses_gets_its_reason(web, agent, app_url):
    status, _ = slack.post(app_url, SECRET, slack.command_body(CAROL, "why?"), slack.FORM)
    assert status == 200
    web.wait(lambda w: "chat.update" in w.methods(), what="the refusal")
    holder = [m for m in web.messages.values() if m["thread_ts"]][0]
    assert holder["text"] == ("`carol` cannot ask: carol may not create asks "
                              "(agent.k8s-skills.io in namespace k8s-agent) (HTTP 403)")
    assert agent.requests[0]["as"] == "carol"


def test_a_mention_is_answered_in_its_thread(web, agent, app_url):
    status, _ = slack.post(app_url, SECRET, slack.mention_body(
        ALICE, "why is trainer pending?", ts="1700000050.000001"), slack.JSON)
    assert status == 200
    web.wait(lambda w: any(m["blocks"] for m in w.messages.values()), what="the answer")
    assert all(m["thread_ts"] == "1700000050.000001" for m in web.messages.values())
    assert agent.requests[0]["as"] == "alice"
    assert agent.requests[0]["body"] == {"question": "why is trainer pending?"}


# --- deciding: the service decides for the mapped person ---------------------------------
def test_the_service_decides_for_the_mapped_person(web, agent, app_url):
    proposal = _asked(web, agent, app_url)[-1]
    status, _ = slack.post(app_url, SECRET, slack.click_body(
        BOB, proposal, blocks.APPROVE, "p-0a1b2c3d4e"), slack.FORM)
    assert status == 200
    web.wait(lambda w: len(w.thread(proposal["thread_ts"])) == 4, what="bob's refusal")
    refusal = web.thread(proposal["thread_ts"])[-1]["text"]
    assert refusal == (f"<@{BOB}> (`bob`) cannot approve p-0a1b2c3d4e: bob may not approve "
                       "proposals/p-0a1b2c3d4e (agent.k8s-skills.io in namespace k8s-agent) "
                       "(HTTP 403)")
    assert web.messages[proposal["ts"]]["blocks"][-1]["type"] == "actions"  # still open
    status, _ = slack.post(app_url, SECRET, slack.click_body(
        ALICE, proposal, blocks.APPROVE, "p-0a1b2c3d4e"), slack.FORM)
    web.wait(lambda w: w.messages[proposal["ts"]]["blocks"][-1]["type"] != "actions",
             what="alice's approval")
    decided = web.messages[proposal["ts"]]["blocks"][-1]["text"]["text"]
    assert decided.startswith(":white_check_mark: *Approved* by `alice`")
    assert "phase now Approved" in decided
    decisions = [r for r in agent.requests if r["path"].endswith("/approve")]
    assert [(r["as"], r["auth"]) for r in decisions] == [("bob", f"Bearer {DOOR_TOKEN}"),
                                                         ("alice", f"Bearer {DOOR_TOKEN}")]


def test_reject_goes_to_the_service_with_who_clicked(web, agent, app_url):
    proposal = _asked(web, agent, app_url)[-1]
    slack.post(app_url, SECRET, slack.click_body(ALICE, proposal, blocks.REJECT,
                                                 "p-0a1b2c3d4e"), slack.FORM)
    web.wait(lambda w: w.messages[proposal["ts"]]["blocks"][-1]["type"] != "actions",
             what="the rejection")
    assert agent.requests[-1]["path"] == "/v1/proposals/p-0a1b2c3d4e/reject"
    assert agent.requests[-1]["body"] == {"reason": f"rejected in Slack by {ALICE}"}
    assert ":x: *Rejected* by `alice`" in web.messages[proposal["ts"]]["blocks"][-1]["text"]["text"]


def test_a_forged_button_value_never_reaches_the_service(web, agent, app_url):
    proposal = _asked(web, agent, app_url)[-1]
    before = len(agent.requests)
    slack.post(app_url, SECRET, slack.click_body(ALICE, proposal, blocks.APPROVE,
                                                 "../../v1/ask"), slack.FORM)
    web.wait(lambda w: w.ephemeral, what="the refusal")
    assert "not a proposal name" in web.ephemeral[0]["text"] and len(agent.requests) == before


# --- what is posted ----------------------------------------------------------------------
def test_no_secret_reaches_slack(web, agent, app_url):
    _asked(web, agent, app_url)
    sent = web.everything_sent()
    for leak in LEAKS:
        assert leak not in sent
    assert "[REDACTED]" in sent


def test_long_answers_and_evidence_are_folded_within_slacks_limits(web, agent, app_url):
    answer = _asked(web, agent, app_url)[1]
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in sections) and len(answer["blocks"]) <= 50
    assert "more characters folded (`k8s-skills agent conversation c-7f3e`)" in sections[0]
    triage = next(t for t in sections if "triage.py" in t)
    assert "more lines folded" in triage


def test_redaction_covers_the_shapes_of_a_kubernetes_dump():
    from agent.slack.redact import redact
    yaml_secret = "kind: Secret\ndata:\n  password: c2VjcmV0\n  user: YWRtaW4=\ntype: Opaque"
    assert redact(yaml_secret) == ("kind: Secret\ndata:\n  password: [REDACTED]\n"
                                   "  user: [REDACTED]\ntype: Opaque")
    assert redact('{"stringData": {"tls.key": "abc"}}') == '{"stringData": {"tls.key": "[REDACTED]"}}'
    assert "hunter2" not in redact("postgres://app:hunter2@db:5432/x")
    assert redact("0/9 nodes are available: 9 Insufficient nvidia.com/gpu.") == \
        "0/9 nodes are available: 9 Insufficient nvidia.com/gpu."


def test_an_orchestrated_answer_names_the_specialists_and_who_found_what():
    events = [("conversation", {"id": "c-1", "scripted": True}),
              ("delegation", {"id": "a1", "specialist": "k8s-scheduling", "brief": "b"}),
              ("evidence", {"tool": "Bash", "command": "kubectl get workloads -o json | "
                            "python3 .claude/skills/k8s-kueue/scripts/explain_pending.py -f -",
                            "skill": "k8s-kueue", "script": "explain_pending.py",
                            "exit_code": 1, "output": "ERROR local_queue_missing",
                            "specialist": "k8s-scheduling"}),
              ("evidence", {"tool": "mcp__agent__propose_change", "command": "",
                            "output": "Stored as proposal p-1"}),
              ("done", {"conversation": "c-1", "answer": "[k8s-scheduling] no queue",
                        "scripted": True})]
    _, answer = blocks.answer_message(events, "alice")
    text = json.dumps(answer, ensure_ascii=False)
    assert "Answered by the orchestrator with `k8s-scheduling`" in text
    assert "[k8s-scheduling] k8s-kueue · explain_pending.py · exit 1" in text
    assert "Stored as proposal" not in text  # the proposal has its own message


def test_the_identity_map_refuses_what_is_not_a_person():
    from agent.slack.identities import IdentityError, parse
    assert parse({ALICE: "alice", "W0ENTERPR1": "bob"}) == {ALICE: "alice", "W0ENTERPR1": "bob"}
    for bad, message in (({"alice": "alice"}, "not a Slack user ID"),
                         ({ALICE: "al ice"}, "not a Kubernetes username"),
                         ({ALICE: ""}, "not a Kubernetes username"),
                         ({ALICE: "system:admin"}, "system identity")):
        with pytest.raises(IdentityError, match=message):
            parse(bad)


def test_progress_edits_the_placeholder_at_most_every_few_seconds(monkeypatch):
    from agent.slack import app as slack_app
    clock = [100.0]
    monkeypatch.setattr(slack_app.time, "monotonic", lambda: clock[0])
    edits = []

    class Client:
        def chat_update(self, **kwargs):
            edits.append(kwargs)

    progress = slack_app.Progress(Client(), "C1", "1.1", "bob")
    tool = ("tool", {"tool": "Bash", "input": {"command": "kubectl get pods | python3 "
                                               ".claude/skills/x/scripts/triage.py -f -"}})
    progress.saw(tool)                       # too soon after the placeholder
    clock[0] += slack_app.PROGRESS_EVERY
    progress.saw(("text", {"text": "thinking"}))  # not a tool call
    progress.saw(tool)
    clock[0] += 1
    progress.saw(("tool", {"tool": "Skill", "input": {"skill": "k8s-kueue"}}))
    assert [e["text"] for e in edits] == [
        "Asking the agent as `bob`… 2 tool calls so far, latest: "
        "`python3 .claude/skills/x/scripts/triage.py -f -`"]


def test_a_broken_answer_stream_says_so_in_the_thread(web, app_url, monkeypatch):
    from agent.client import AgentClient

    def broken(self, question, conversation=""):
        yield "conversation", {"id": "c-1"}
        raise ConnectionResetError("peer reset")
    monkeypatch.setattr(AgentClient, "ask", broken)
    slack.post(app_url, SECRET, slack.command_body(BOB, "why?"), slack.FORM)
    web.wait(lambda w: "chat.update" in w.methods(), what="the notice")
    holder = [m for m in web.messages.values() if m["thread_ts"]][0]
    assert holder["text"] == ("The agent's answer stopped after 1 events "
                              "(ConnectionResetError); nothing was changed. Ask again.")


def test_a_retried_or_replayed_event_or_command_is_answered_once(web, agent, app_url):
    """Slack retries an event it thinks was lost (same event_id); a captured request re-sent
    inside the five minutes carries a valid signature: neither asks the agent twice."""
    mention = slack.mention_body(ALICE, "why is trainer pending?", event_id="Ev0SAME001")
    command = slack.command_body(BOB, "why is trainer pending?", trigger="111.222.333")
    for body, kind in ((mention, slack.JSON), (mention, slack.JSON),
                       (command, slack.FORM), (command, slack.FORM)):
        status, _ = slack.post(app_url, SECRET, body, kind)
        assert status == 200
    web.wait(lambda w: sum(1 for m in w.messages.values()
                           if m["blocks"] and m["blocks"][-1].get("type") == "actions") >= 2,
             what="two answers")
    time.sleep(1)
    assert [r["as"] for r in agent.requests if r["path"] == "/v1/ask"] in (
        ["alice", "bob"], ["bob", "alice"])


def test_a_follow_up_in_the_thread_continues_the_conversation(web, agent, app_url):
    first = slack.mention_body(ALICE, "why is trainer pending?", ts="1700000070.000001")
    slack.post(app_url, SECRET, first, slack.JSON)
    web.wait(lambda w: any(m["blocks"] for m in w.messages.values()), what="the answer")
    follow_up = json.loads(slack.mention_body(ALICE, "and what about stuck?",
                                              ts="1700000071.000001"))
    follow_up["event"]["thread_ts"] = "1700000070.000001"  # a reply in that thread
    slack.post(app_url, SECRET, json.dumps(follow_up).encode(), slack.JSON)
    web.wait(lambda w: len([r for r in agent.requests if r["path"] == "/v1/ask"]) == 2,
             what="the second ask")
    asks = [r["body"] for r in agent.requests if r["path"] == "/v1/ask"]
    assert asks == [{"question": "why is trainer pending?"},
                    {"question": "and what about stuck?", "conversation": "c-7f3e"}]
