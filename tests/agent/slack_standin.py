"""Stand-ins for what cannot run here: Slack's Web API (a loopback server the app's
WebClient points at through base_url) and Slack itself (signed requests to the app).

The signature is Slack's documented scheme, computed here independently of Bolt:
X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)),
with X-Slack-Request-Timestamp in Unix seconds
(https://api.slack.com/authentication/verifying-requests-from-slack).
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = "UBOT00001"
TEAM = "T0000TEAM"


class SlackWebAPI:
    """Records every Web API call; keeps messages by ts so a thread can be rendered."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.messages: dict[str, dict] = {}
        self.ephemeral: list[dict] = []
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode)
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    args = json.loads(raw or "{}")
                else:
                    args = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                method = self.path.rsplit("/", 1)[-1]
                reply = api.handle(method, args, self.headers.get("authorization", ""))
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method: str, args: dict, auth: str) -> dict:
        with self._lock:
            self.calls.append((method, args))
            if method == "auth.test":
                return {"ok": True, "team": "test", "user": "k8s", "team_id": TEAM,
                        "user_id": BOT_USER, "bot_id": "B0000BOT1", "is_enterprise_install": False}
            if method == "apps.connections.open":
                return {"ok": True, "url": self.socket_url}
            if method == "chat.postMessage":
                ts = f"1700000000.{next(self._ts):06d}"
                self.messages[ts] = {"ts": ts, "channel": args.get("channel"),
                                     "thread_ts": args.get("thread_ts"),
                                     "text": args.get("text", ""),
                                     "blocks": _blocks(args.get("blocks"))}
                return {"ok": True, "channel": args.get("channel"), "ts": ts,
                        "message": self.messages[ts]}
            if method == "chat.update":
                message = self.messages.get(args.get("ts"))
                if message is None:
                    return {"ok": False, "error": "message_not_found"}
                message.update(text=args.get("text", ""), blocks=_blocks(args.get("blocks")))
                return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
            if method == "chat.postEphemeral":
                self.ephemeral.append(args)
                return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
            return {"ok": True}

    # --- for assertions ---------------------------------------------------------------
    def methods(self) -> list[str]:
        return [m for m, _ in self.calls]

    def thread(self, root: str) -> list[dict]:
        return [m for ts, m in sorted(self.messages.items())
                if ts == root or m.get("thread_ts") == root]

    def everything_sent(self) -> str:
        return json.dumps(self.calls)

    def wait(self, predicate, timeout: float = 60, what: str = "the app") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self):
                    return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; calls: {self.methods()}")


def _blocks(value):
    if isinstance(value, str):
        return json.loads(value)
    return value or []


def render_thread(messages: list[dict]) -> str:
    """A Slack thread as plain text (what a reader of the README sees)."""
    out = []
    for i, message in enumerate(messages):
        prefix = "" if i == 0 else "  ↳ "
        body = [message["text"]] if not message.get("blocks") else []
        for block in message.get("blocks") or []:
            if block.get("type") == "section":
                body.append(block["text"]["text"])
            elif block.get("type") == "context":
                body.append(" ".join(e.get("text", "") for e in block["elements"]))
            elif block.get("type") == "actions":
                body.append("  ".join(f"[ {e['text']['text']} ]" for e in block["elements"]))
        text = "\n".join(body)
        out.append(prefix + text.replace("\n", "\n" + " " * len(prefix)))
    return "\n".join(out)


# --- Slack's side: signed requests ---------------------------------------------------------
def sign(secret: str, body: bytes, timestamp: int) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post(url: str, secret: str, body: bytes, content_type: str, *,
         timestamp: int | None = None, signature: str | None = None) -> tuple[int, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature or sign(secret, body, timestamp)})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def command_body(user: str, text: str, channel: str = "C0000OPS1",
                 trigger: str = "") -> bytes:
    trigger = trigger or f"{time.time_ns()}.{user}"  # Slack's is unique per invocation
    return urllib.parse.urlencode({
        "token": "legacy", "team_id": TEAM, "team_domain": "test", "channel_id": channel,
        "channel_name": "ops", "user_id": user, "user_name": user.lower(), "command": "/k8s",
        "text": text, "api_app_id": "A0000APP1", "response_url": "http://127.0.0.1:9/r",
        "trigger_id": trigger}).encode()


def mention_body(user: str, text: str, ts: str = "1700000099.000100",
                 channel: str = "C0000OPS1", event_id: str = "") -> bytes:
    return json.dumps({
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0000APP1",
        "type": "event_callback", "event_id": event_id or f"Ev{time.time_ns()}",
        "event_time": int(time.time()), "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        "event": {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}",
                  "ts": ts, "channel": channel, "event_ts": ts}}).encode()


def click_body(user: str, message: dict, action_id: str, value: str,
               channel: str = "C0000OPS1") -> bytes:
    payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "test"},
               "user": {"id": user, "username": user.lower(), "team_id": TEAM},
               "api_app_id": "A0000APP1", "token": "legacy", "trigger_id": "1.2.4",
               "channel": {"id": channel, "name": "ops"},
               "container": {"type": "message", "message_ts": message["ts"],
                             "channel_id": channel},
               "message": {"type": "message", "ts": message["ts"],
                           "thread_ts": message.get("thread_ts"), "text": message["text"],
                           "blocks": message["blocks"]},
               "response_url": "http://127.0.0.1:9/r",
               "actions": [{"type": "button", "action_id": action_id, "value": value,
                            "block_id": f"decide-{value}", "action_ts": str(time.time()),
                            "text": {"type": "plain_text", "text": action_id}}]}
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
