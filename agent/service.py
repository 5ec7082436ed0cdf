"""The agent service's behaviour, independent of HTTP: ask, conversations, proposals.

Every method takes the already authenticated and authorized caller (agent.api checks
first); state goes to the cluster through agent.store, so replicas share it.
"""
from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, AsyncIterator

from agent import backends
from agent.audit import AuditLog
from agent.auth import Authenticator, Caller
from agent.config import Settings
from agent.kube import Kube
from agent.metrics import Metrics
from agent.policy import Decision, ToolPolicy
from agent.proposals import proposal_spec
from agent.session import PROPOSE, AskResult, Session, SessionConfig
from agent import API_GROUP, API_VERSION
from agent.informer import Informer, Resource
from agent.store import (CONVERSATIONS, FINDINGS, PROPOSALS, Conflict, Store, new_name, now,
                         phase, proposal_view)
from agent.workspace import Workspace
from harness import safety

if TYPE_CHECKING:
    from agent.watcher import Watcher

MAX_TURNS_KEPT = 20
PREVIOUS_CHARS = 6000


class Busy(Exception):
    """Every ask slot of this replica is taken (HTTP 429)."""


# --- findings, as every replica sees them ---------------------------------------------------
def finding_view(obj: dict[str, Any]) -> dict[str, Any]:
    meta, status = obj.get("metadata") or {}, obj.get("status") or {}
    return {"name": meta.get("name"), **(obj.get("spec") or {}), "status": status}


FeedEntry = tuple[asyncio.AbstractEventLoop, "asyncio.Queue[dict[str, Any]]"]


class FindingsFeed:
    """Findings as every replica sees them: listed, and streamed from one watch."""

    # set by the service that mixes this in (AgentService.__init__)
    settings: Settings
    kube: Kube
    store: Store
    _subscribers: list[FeedEntry]
    _sub_lock: threading.Lock
    _feed_stop: threading.Event

    def list_findings(self) -> list[dict[str, Any]]:
        views = [finding_view(o) for o in self.store.list(FINDINGS)]
        return sorted(views, key=lambda v: v["status"].get("publishedAt") or "")

    def _start_findings_feed(self) -> None:
        """One watch on this namespace's Findings, fanned out to every open stream."""
        path = f"/apis/{API_GROUP}/{API_VERSION}/namespaces/{self.settings.namespace}/findings"
        informer = Informer(self.kube, Resource("Finding", path, f"{API_GROUP}/{API_VERSION}"),
                            on_change=self._finding_changed)
        threading.Thread(target=informer.run, args=(self._feed_stop,), daemon=True,
                         name="findings-feed").start()

    def _finding_changed(self, kind: str, event_type: str | None,
                         obj: dict[str, Any] | None) -> None:
        if obj is None or event_type not in ("ADDED", "MODIFIED"):
            return
        with self._sub_lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            loop.call_soon_threadsafe(queue.put_nowait, finding_view(obj))

    async def finding_events(self) -> AsyncIterator[dict[str, str]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        entry: FeedEntry = (asyncio.get_running_loop(), queue)
        with self._sub_lock:
            self._subscribers.append(entry)
        try:
            while True:
                view = await queue.get()
                yield {"event": "finding", "data": json.dumps(view, default=str)}
        finally:
            with self._sub_lock:
                self._subscribers.remove(entry)


class AgentService(FindingsFeed):
    def __init__(self, settings: Settings, kube: Kube | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.environ = dict(os.environ if environ is None else environ)
        self.kube = kube or Kube(settings.kubeconfig, default=True)
        self.store = Store(self.kube, settings.namespace)
        self.auth = Authenticator(self.kube, settings.namespace)
        self.metrics = Metrics()
        self.audit_path = settings.audit_log or safety.audit_log_path()
        self.audit = AuditLog(self.audit_path, {"agent": "k8s-agent-service",
                                                "session": settings.identity})
        self.workspace = Workspace(settings.workdir, settings.skills_dir)
        self.skills: list[str] = []
        self.ready = False
        self.leading = False
        self._slots = settings.max_concurrent_asks
        self._in_flight = 0
        self.watcher: Watcher | None = None
        self._subscribers = []
        self._sub_lock = threading.Lock()
        self._feed_stop = threading.Event()
        self._proposals: Informer | None = None   # the proposals cache, once started

    # --- start-up ---------------------------------------------------------------------
    def start(self) -> None:
        """Install the skills, check the CRDs are served and the reader identity works."""
        self.skills = self.workspace.prepare()
        self.store.list(PROPOSALS)  # fails loudly when the CRDs are missing
        self._reader()
        self.metrics.track_proposals(self.count_proposals)
        self._start_findings_feed()
        self._start_proposals_cache()
        self.ready = True

    def stop(self) -> None:
        self._feed_stop.set()

    def _reader(self) -> str:
        s = self.settings
        return self.workspace.reader_kubeconfig(self.kube, s.reader_kubeconfig, s.namespace,
                                                s.reader_serviceaccount)

    def _start_proposals_cache(self) -> None:
        """Reads of proposals come from one watch, not a LIST per request."""
        path = f"/apis/{API_GROUP}/{API_VERSION}/namespaces/{self.settings.namespace}/proposals"
        self._proposals = Informer(self.kube, Resource("Proposal", path,
                                                       f"{API_GROUP}/{API_VERSION}"))
        threading.Thread(target=self._proposals.run, args=(self._feed_stop,), daemon=True,
                         name="proposals-cache").start()

    def _proposal_objects(self) -> list[dict[str, Any]]:
        cache = self._proposals
        if cache is not None and cache.synced.is_set():
            return cache.items()
        return self.store.list(PROPOSALS)

    def count_proposals(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for obj in self._proposal_objects():
            counts[phase(obj)] = counts.get(phase(obj), 0) + 1
        return counts

    # --- ask ----------------------------------------------------------------------------
    async def ask(self, caller: Caller, question: str,
                  conversation: str = "") -> AsyncIterator[tuple[str, dict[str, Any]]]:
        if self._in_flight >= self._slots:
            raise Busy(f"all {self._slots} ask slots of this replica are busy: retry shortly")
        self._in_flight += 1
        self.metrics.asks_in_flight.inc()
        try:
            async for item in self._ask(caller, question, conversation):
                yield item
        finally:
            self._in_flight -= 1
            self.metrics.asks_in_flight.dec()

    async def _ask(self, caller: Caller, question: str,
                   conversation: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        opening = None
        if conversation:  # its earlier turns go into the prompt: read them first
            conv = await asyncio.to_thread(self._resume_conversation, caller, conversation)
            name = conversation
        else:  # the state write runs beside the model's start; the caller gets the id at once
            name, conv = new_name("c"), {"spec": {"turns": []}}
            opening = asyncio.create_task(asyncio.to_thread(self._create_conversation,
                                                            caller, name))
        started = now()
        yield "conversation", {"id": name, "replica": self.settings.identity,
                               "scripted": self.settings.scripted}
        self.audit.record("ask", f"asked: {' '.join(question.split())[:200]}",
                          who=caller.label, result="answering", conversation=name)
        session = Session(self._session_config(caller, name), _prompt(conv, question))
        task = asyncio.create_task(session.run())
        while (item := await session.events.get()) is not None:
            yield item
        result = await task
        if opening is not None:
            try:
                await opening
            except Exception as err:  # noqa: BLE001 - reported as the ask's error
                result.error = result.error or f"cannot store the conversation: {err}"
        turn = self._turn(question, result, started)
        await asyncio.to_thread(self._close_conversation, name, turn, result.error)
        self._count(result)
        self.audit.record("ask", f"answered: {' '.join(question.split())[:200]}",
                          who=caller.label, conversation=name,
                          result="failed: " + result.error if result.error else "answered",
                          signals=[e["command"] for e in result.evidence
                                   if e["command"] and not e.get("refused")])
        if result.error:
            yield "error", {"message": result.error, "conversation": name}
        yield "done", {"conversation": name, "answer": result.answer,
                       "evidence": result.evidence, "proposals": result.proposals,
                       "turns": result.turns, "tokens": turn["tokens"],
                       "cost_usd": result.cost_usd, "model": self.settings.model,
                       "scripted": self.settings.scripted, "refused": result.refused,
                       **({"reports": result.reports} if result.reports else {})}

    def _session_config(self, caller: Caller, conversation: str) -> SessionConfig:
        s = self.settings
        env = backends.cli_env(s.backend, self.environ, str(self.workspace.home))
        env["KUBECONFIG"] = self._reader()
        env["K8S_SKILLS_AUDIT_LOG"] = self.audit_path
        guard = safety.Guard(log_path=self.audit_path, identity={
            "agent": "k8s-agent-model", "session": conversation, "user": caller.username},
            cwd=str(self.workspace.project),
            skill_roots=[str(self.workspace.project / ".claude" / "skills")])

        async def propose(args: dict[str, Any]) -> dict[str, Any]:
            return await asyncio.to_thread(self.propose, caller, conversation, args)

        def on_tool(tool: str, tool_input: dict[str, Any], decision: Decision,
                    call_id: str) -> None:
            self.metrics.tool_calls.labels(tool, "allow" if decision.allowed else "deny").inc()
            if tool == "Bash" and decision.guard:  # the guard logged the command itself
                if not decision.allowed:
                    guard.result(call_id, f"blocked: {decision.reason}")
            else:
                self.audit.record("tool", f"{tool}: {str(tool_input)[:200]}",
                                  who=caller.label, conversation=conversation,
                                  decision="allow" if decision.allowed else "deny",
                                  result="" if decision.allowed else "blocked",
                                  reasons=[decision.reason])

        policy = ToolPolicy(self.workspace.project,
                            guard=lambda c, call_id="": guard.check(c, record_id=call_id),
                            propose_tool=PROPOSE, team=s.specialists)
        return SessionConfig(workdir=str(self.workspace.project), env=env, model=s.model,
                             max_turns=s.max_turns, timeout=s.ask_timeout, policy=policy,
                             propose=propose, on_tool=on_tool, team=s.specialists)

    def _turn(self, question: str, result: AskResult, started: str) -> dict[str, Any]:
        return {"question": question[:8000], "answer": result.answer[:32768],
                "evidence": [{k: (v[:1500] if isinstance(v, str) else v)
                              for k, v in e.items()} for e in result.evidence[:40]],
                "proposals": result.proposals, "model": self.settings.model,
                "scripted": self.settings.scripted, "replica": self.settings.identity,
                "startedAt": started, "finishedAt": now(),
                "tokens": {"input": result.tokens_in, "output": result.tokens_out,
                           "costUSD": str(result.cost_usd or 0)}}

    def _count(self, result: AskResult) -> None:
        model = self.settings.model
        self.metrics.tokens.labels(model, "input").inc(result.tokens_in)
        self.metrics.tokens.labels(model, "output").inc(result.tokens_out)
        self.metrics.cost.labels(model).inc(result.cost_usd or 0)

    # --- conversations --------------------------------------------------------------------
    def _create_conversation(self, caller: Caller, name: str) -> dict[str, Any]:
        return self.store.create(CONVERSATIONS, name, {"user": caller.username, "turns": []},
                                 status={"phase": "Running"})

    def _resume_conversation(self, caller: Caller, name: str) -> dict[str, Any]:
        conv = self.get_conversation(caller, name)
        conv["status"] = {**(conv.get("status") or {}), "phase": "Running"}
        return self.store.replace_status(CONVERSATIONS, conv)

    def _close_conversation(self, name: str, turn: dict[str, Any], error: str) -> None:
        for _ in range(5):  # another turn may have been written meanwhile: re-read and retry
            conv = self.store.get(CONVERSATIONS, name)
            conv["spec"]["turns"] = (list(conv["spec"].get("turns") or []) + [turn])[
                -MAX_TURNS_KEPT:]
            try:
                conv = self.store.replace(CONVERSATIONS, conv)
                conv["status"] = {"phase": "Failed" if error else "Answered",
                                  "error": error, "updatedAt": now()}
                self.store.replace_status(CONVERSATIONS, conv)
                return
            except Conflict:
                continue

    def get_conversation(self, caller: Caller, name: str) -> dict[str, Any]:
        """The conversation; a caller continues only their own (reading is RBAC's call)."""
        return self.store.get(CONVERSATIONS, name)

    # --- proposals ------------------------------------------------------------------------
    def propose(self, caller: Caller, conversation: str, args: dict[str, Any]) -> dict[str, Any]:
        spec = proposal_spec(args, caller.username, conversation, self.settings.scripted,
                             self.workspace.project / ".claude" / "skills")
        advisory = not self.settings.writes
        status = {"phase": "Advisory" if advisory else "Proposed", "history": [
            {"time": now(), "phase": "Advisory" if advisory else "Proposed",
             "by": caller.label}]}
        if advisory:
            status["message"] = ("advisory mode: this service never applies changes; review "
                                 "the manifest or patch and apply it yourself")
        obj = self.store.create(PROPOSALS, new_name("p"), spec, status=status)
        view = proposal_view(obj)
        self.audit.record("proposal", f"proposed {view['name']}: {spec['summary']}",
                          who=caller.label, conversation=conversation,
                          signals=spec["evidence"], result=view["phase"],
                          proposal=view["name"], target=spec["target"])
        return view

    def list_proposals(self, phase_filter: str = "") -> list[dict[str, Any]]:
        views = [proposal_view(o) for o in self._proposal_objects()]
        views = [v for v in views if not phase_filter or v["phase"] == phase_filter]
        return sorted(views, key=lambda v: v["created"] or "")

    def get_proposal(self, name: str) -> dict[str, Any]:
        cache = getattr(self, "_proposals", None)
        cached = cache.objects.get((self.settings.namespace, name)) if cache else None
        return proposal_view(cached if cached is not None else self.store.get(PROPOSALS, name))

    def decide(self, caller: Caller, name: str, approve: bool, reason: str = "") -> dict[str, Any]:
        """Approve (AwaitingApproval -> Approved) or reject; Conflict if the phase is wrong."""
        if approve and not self.settings.writes:
            raise Conflict("advisory mode: nothing is applied by this service; apply the "
                           "proposal's manifest yourself after review")
        if approve:
            obj = self.store.transition(name, {"AwaitingApproval"}, "Approved",
                                        approvedBy=caller.username, approvedAt=now(),
                                        by=caller.label)
        else:
            obj = self.store.transition(name, {"Proposed", "AwaitingApproval", "Approved",
                                               "Advisory"}, "Rejected",
                                        rejectedBy=caller.username, rejectedAt=now(),
                                        rejectionReason=reason[:1000], by=caller.label)
        view = proposal_view(obj)
        self.audit.record("approval" if approve else "rejection",
                          f"{'approved' if approve else 'rejected'} {name}: "
                          f"{view['spec'].get('summary', '')}", who=caller.label,
                          result=view["phase"], proposal=name,
                          signals=[reason] if reason else [])
        return view


def _prompt(conv: dict[str, Any], question: str) -> str:
    """The question, after a summary of the earlier turns (any replica may continue)."""
    turns = (conv.get("spec") or {}).get("turns") or []
    if not turns:
        return question
    lines = ["Earlier in this conversation:"]
    for turn in turns[-5:]:
        lines.append(f"Q: {turn.get('question', '')}")
        lines.append(f"A: {turn.get('answer', '')}")
    history = "\n".join(lines)[-PREVIOUS_CHARS:]
    return f"{history}\n\nNow: {question}"

