"""The Bolt app: `/k8s <question>`, @-mentions, and the Approve / Reject buttons.

Every action runs as the person who asked or clicked: the Slack user ID is looked up in the
identity map (unmapped: refused, nothing asked), then the agent service is called with the
app's own token and `Impersonate-User: <that person>`. The service's SubjectAccessReviews
decide (create asks; approve / reject proposals); a refusal is shown in the thread with the
service's own one-line reason. Slack's signature on every request is checked by Bolt's
request verification (HMAC of `v0:<timestamp>:<body>`, timestamps over 5 minutes old refused).
"""
from __future__ import annotations
from typing import Any, Callable

import http.client
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from kubernetes.client.exceptions import ApiException
from slack_bolt import Ack, App, BoltContext, BoltResponse
from slack_sdk import WebClient

from agent.client import AgentClient, ApiError
from agent.slack import blocks
from agent.slack.identities import Identities, IdentityError
from agent.slack.redact import RedactingWebClient
from harness.errors import UserError

USAGE = "Usage: `/k8s <question>`, e.g. `/k8s why is train-b pending in team-a?`"
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
PROPOSAL_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
PROGRESS_EVERY = 3.0  # seconds between progress edits of the placeholder (chat.update)


@dataclass
class AgentDoor:
    """How the app reaches the agent service: its URL and the app's own token (re-read from
    `token_file` on each use: projected ServiceAccount tokens rotate)."""
    url: str
    token_file: str = ""
    token: str = field(default="", repr=False)
    timeout: float = 600

    def for_user(self, user: str) -> AgentClient:
        token = self.token
        if self.token_file:
            try:
                token = Path(self.token_file).read_text().strip()
            except OSError as err:
                raise UserError(f"token file {self.token_file}: {err.strerror}") from None
        return AgentClient(self.url, token, self.timeout, act_as=user)


def build_app(*, identities: Identities, door: AgentDoor, signing_secret: str,
              bot_token: str, slack_api_url: str = "", command: str = "/k8s") -> App:
    """The app; `slack_api_url` points its Web API calls elsewhere (tests: a stand-in)."""
    client = RedactingWebClient(token=bot_token, base_url=slack_api_url.rstrip("/") + "/") \
        if slack_api_url else RedactingWebClient(token=bot_token)
    app = App(signing_secret=signing_secret, client=client, name="k8s-skills-slack")
    app.middleware(_redacting_client)
    chat = ChatOps(identities, door)
    app.command(command)(chat.on_command)
    app.event("app_mention")(chat.on_mention)
    app.action(blocks.APPROVE)(chat.on_approve)
    app.action(blocks.REJECT)(chat.on_reject)
    return app


def _redacting_client(context: BoltContext, next: Callable[[], None]) -> None:
    """Bolt gives each request a new plain WebClient (slack_bolt App._init_context); swap in
    a redacting one with the same settings, so every listener's posts are redacted."""
    plain = context.client
    context["client"] = RedactingWebClient(
        token=plain.token, base_url=plain.base_url, timeout=plain.timeout, ssl=plain.ssl,
        proxy=plain.proxy, headers=plain.headers, team_id=context.team_id,
        logger=plain.logger, retry_handlers=plain.retry_handlers)
    next()


class Seen:
    """Ids already handled (bounded): Slack retries an event it thinks was not delivered
    (X-Slack-Retry-Num), and a captured request can be re-sent while its signature is
    still fresh; either would ask the agent twice."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        if not key:
            return True
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            if len(self._ids) > self.size:
                self._ids.popitem(last=False)
            return True


class ChatOps:
    def __init__(self, identities: Identities, door: AgentDoor) -> None:
        self.identities = identities
        self.door = door
        self.seen = Seen()
        # thread -> the agent's conversation, so a follow-up in a thread keeps its context
        # (this process only: another replica starts a new conversation)
        self.threads: OrderedDict[tuple[str, str], str] = OrderedDict()

    # --- who ----------------------------------------------------------------------------
    def who(self, slack_user: str) -> tuple[str | None, str]:
        """(kubernetes user, '') or (None, why not) for a Slack user ID."""
        try:
            user = self.identities.lookup(slack_user)
        except IdentityError as err:
            return None, f"the identity map ({self.identities.where}) is invalid: {err}"
        except ApiException as err:
            return None, (f"cannot read {self.identities.where}: {err.status} {err.reason}")
        if user is None:
            return None, blocks.unmapped(slack_user, self.identities.where)
        return user, ""

    # --- asking -------------------------------------------------------------------------
    def on_command(self, ack: Ack, command: dict[str, Any],
                   client: WebClient) -> BoltResponse | None:
        slack_user = command["user_id"]
        question = (command.get("text") or "").strip()
        if not self.seen.first("command:" + str(command.get("trigger_id") or "")):
            return ack()  # the same invocation again: answered once
        if not question:
            return ack(USAGE)
        user, problem = self.who(slack_user)
        if user is None:
            return ack(problem)
        ack()
        channel = command["channel_id"]
        root = client.chat_postMessage(channel=channel, text=f"<@{slack_user}> asked: "
                                                             f"{blocks.fold(question, 2000, 'the command')}")
        self.answer(client, channel, root["ts"], user, question)
        return None

    def on_mention(self, body: dict[str, Any], event: dict[str, Any],
                   client: WebClient) -> None:
        if not self.seen.first("event:" + str(body.get("event_id") or "")):
            return  # a retry or a replay of an event already answered
        slack_user, channel = event.get("user", ""), event["channel"]
        thread = event.get("thread_ts") or event["ts"]
        question = MENTION.sub("", event.get("text") or "").strip()
        user, problem = self.who(slack_user)
        if user is None:
            client.chat_postEphemeral(channel=channel, user=slack_user, text=problem,
                                      thread_ts=thread)
            return
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=USAGE)
            return
        self.answer(client, channel, thread, user, question)

    def answer(self, client: WebClient, channel: str, thread: str, user: str, question: str) -> None:
        """Ask the service as `user`; the thread gets a placeholder that shows progress and
        becomes the answer, then one message per proposal."""
        holder = client.chat_postMessage(channel=channel, thread_ts=thread,
                                         text=f"Asking the agent as `{user}`…")
        progress = Progress(client, channel, holder["ts"], user)
        earlier = self.threads.get((channel, thread), "")
        try:
            events = []
            for event in self.door.for_user(user).ask(question, earlier):
                events.append(event)
                progress.saw(event)
        except ApiError as err:
            client.chat_update(channel=channel, ts=holder["ts"],
                               text=f"`{user}` cannot ask: {err.message} (HTTP {err.status})")
            return
        except UserError as err:
            client.chat_update(channel=channel, ts=holder["ts"], text=f"No answer: {err}")
            return
        except (OSError, http.client.HTTPException, ValueError) as err:  # the stream broke
            client.chat_update(channel=channel, ts=holder["ts"], text=(
                f"The agent's answer stopped after {len(events)} events "
                f"({type(err).__name__}); nothing was changed. Ask again."))
            return
        self._remember(channel, thread, events)
        text, answer_blocks = blocks.answer_message(events, user)
        client.chat_update(channel=channel, ts=holder["ts"], text=text, blocks=answer_blocks)
        scripted = any(d.get("scripted") for e, d in events if e in ("conversation", "done"))
        for proposal in (d for e, d in events if e == "proposal"):
            text, proposal_blocks = blocks.proposal_message(proposal, scripted)
            client.chat_postMessage(channel=channel, thread_ts=thread, text=text,
                                    blocks=proposal_blocks)

    def _remember(self, channel: str, thread: str, events: list[Any]) -> None:
        conversation = next((d.get("id") for e, d in events if e == "conversation"), "")
        if conversation:
            self.threads[(channel, thread)] = conversation
            self.threads.move_to_end((channel, thread))
            while len(self.threads) > 2048:
                self.threads.popitem(last=False)

    # --- deciding -----------------------------------------------------------------------
    def on_approve(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                   client: WebClient) -> None:
        ack()
        self.decide(client, body, action, approved=True)

    def on_reject(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                  client: WebClient) -> None:
        ack()
        self.decide(client, body, action, approved=False)

    def decide(self, client: WebClient, body: dict[str, Any], action: dict[str, Any],
               approved: bool) -> None:
        slack_user = body["user"]["id"]
        channel = body["channel"]["id"]
        message = body.get("message") or {}
        thread = message.get("thread_ts") or message.get("ts")
        name = str(action.get("value") or "")
        verb = "approve" if approved else "reject"
        if not PROPOSAL_NAME.match(name):
            client.chat_postEphemeral(channel=channel, user=slack_user, thread_ts=thread,
                                      text=f"not a proposal name: {name[:80]!r}")
            return
        user, problem = self.who(slack_user)
        if user is None:
            client.chat_postEphemeral(channel=channel, user=slack_user, thread_ts=thread,
                                      text=problem)
            return
        reason = f"{verb.rstrip('e')}ed in Slack by {slack_user}"
        try:
            view = self.door.for_user(user).post(f"/v1/proposals/{name}/{verb}",
                                                 {"reason": reason})
        except ApiError as err:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=blocks.refusal(
                slack_user, user, f"{verb} {name}", f"{err.message} (HTTP {err.status})"))
            return
        except UserError as err:
            client.chat_postEphemeral(channel=channel, user=slack_user, thread_ts=thread,
                                      text=f"not {verb}d: {err}")
            return
        text, new_blocks = blocks.decided_message(message.get("blocks") or [], view, user,
                                                  slack_user, approved)
        client.chat_update(channel=channel, ts=message["ts"], text=text, blocks=new_blocks)


class Progress:
    """Edits the placeholder as tool calls happen, at most every PROGRESS_EVERY seconds."""

    def __init__(self, client: WebClient, channel: str, ts: str, user: str) -> None:
        self.client, self.channel, self.ts, self.user = client, channel, ts, user
        self.calls: list[str] = []
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def saw(self, event: tuple[str, dict[str, Any]]) -> None:
        name, data = event
        if name != "tool":
            return
        what = (data.get("input") or {}).get("skill") or \
            str((data.get("input") or {}).get("command", data.get("tool", "")))
        self.calls.append(what.split("|")[-1].strip()[:80])
        if time.monotonic() - self.last < PROGRESS_EVERY:
            return
        self.last = time.monotonic()
        self.client.chat_update(channel=self.channel, ts=self.ts, text=(
            f"Asking the agent as `{self.user}`… {len(self.calls)} tool calls so far, "
            f"latest: `{self.calls[-1]}`"))
