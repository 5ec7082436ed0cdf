"""Socket Mode, the deployment transport: the app opens a WebSocket to the URL that
`apps.connections.open` returns, receives envelopes and acknowledges each by its
envelope_id (Slack's Socket Mode protocol: hello, then slash_commands / events_api /
interactive envelopes; the ack echoes envelope_id). A local WebSocket server (the
`websockets` library) stands in for Slack's; the Bolt app and slack_sdk's own Socket Mode
client are the real ones, driven exactly as `k8s-skills agent slack` drives them."""
from __future__ import annotations

import json
import threading
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.sync.server import serve

from agent.slack.app import AgentDoor, build_app
from agent.slack.identities import from_dict
from tests.agent import slack_standin as slack
from tests.agent.test_slack import ALICE, BOB, DOOR_TOKEN, AgentStandIn


class SocketModeServer:
    """Sends `envelopes` after hello; records what the client sends back."""

    def __init__(self, envelopes: list[dict]):
        self.envelopes = envelopes
        self.received: list[dict] = []
        self.done = threading.Event()

        def handler(ws):
            ws.send(json.dumps({"type": "hello", "num_connections": 1,
                                "connection_info": {"app_id": "A0000APP1"}}))
            for envelope in self.envelopes:
                ws.send(json.dumps(envelope))
                self.received.append(json.loads(ws.recv(timeout=30)))
            self.done.set()
            ws.recv(timeout=120)  # hold the connection until the client closes it

        self.server = serve(handler, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link?ticket=t"


def command_envelope(user: str, text: str) -> dict:
    return {"envelope_id": f"env-{user}", "type": "slash_commands",
            "payload": dict(parse_qsl(slack.command_body(user, text).decode())),
            "accepts_response_payload": True}


@pytest.fixture
def running():
    web = slack.SlackWebAPI()
    agent = AgentStandIn(may_approve={"alice"})
    ws = SocketModeServer([command_envelope(BOB, "why is trainer pending in shop?"),
                           command_envelope("U0NOBODY1", "delete everything")])
    web.socket_url = ws.url
    app = build_app(identities=from_dict({ALICE: "alice", BOB: "bob"}),
                    door=AgentDoor(agent.url, token=DOOR_TOKEN, timeout=30),
                    signing_secret="unused-in-socket-mode", bot_token="xoxb-test",
                    slack_api_url=web.url)
    handler = SocketModeHandler(app, "xapp-1-test-token")
    handler.connect()
    yield web, agent, ws
    handler.close()
    ws.server.shutdown()
    agent.server.shutdown()
    web.stop()


def test_socket_mode_answers_in_a_thread_and_acks_every_envelope(running):
    web, agent, ws = running
    assert ws.done.wait(60), ws.received
    # each envelope acknowledged by its id; the unmapped user's ack carries the refusal
    assert [r["envelope_id"] for r in ws.received] == ["env-U00000BOB", "env-U0NOBODY1"]
    assert "not mapped to a Kubernetes identity" in json.dumps(ws.received[1])
    web.wait(lambda w: any(m["blocks"] and m["blocks"][-1].get("type") == "actions"
                           for m in w.messages.values()), what="the proposal message")
    assert [r["as"] for r in agent.requests] == ["bob"]  # the unmapped user asked nothing
    opened = [args for method, args in web.calls if method == "apps.connections.open"]
    assert opened  # the app token opened the connection (Web API stand-in)
    root = next(m for m in web.messages.values() if not m["thread_ts"])
    assert root["text"] == f"<@{BOB}> asked: why is trainer pending in shop?"
    assert all(m["thread_ts"] == root["ts"] for m in web.messages.values() if m is not root)
