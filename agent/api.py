"""The HTTP API (FastAPI; the OpenAPI document is served at /openapi.json, docs at /docs).

Every /v1 route authenticates the bearer token (TokenReview) and authorizes the caller
(SubjectAccessReview, see agent.auth). Every error is one line of JSON: {"error": "..."}
with a 4xx/5xx status; no traceback ever reaches a caller.
"""
from __future__ import annotations
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncio
import json
import time

from dataclasses import dataclass

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent.auth import AuthError, Caller
from agent.kube import KubeError
from agent.service import AgentService, Busy
from agent.store import CONVERSATIONS, PROPOSALS, Conflict, NotFound

# One event of an ask's stream: (event name, data).
Event = tuple[str, dict[str, Any]]
# What a route returns: a body FastAPI serializes, or a response built here (an error).
Reply = dict[str, Any] | Response

NAME = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"


class AskRequest(BaseModel):
    question: str = Field(min_length=1, description="what to ask, as a person would type it")
    conversation: str | None = Field(default=None, pattern=NAME,
                                     description="continue this conversation (its id)")
    model_config = {"extra": "forbid"}


class ProposeRequest(BaseModel):
    """A change a person (or a front door acting for one) submits for approval; the same
    fields the model's propose_change takes (agent.proposals checks them)."""
    summary: str = Field(min_length=1, max_length=300, description="one line: the change")
    reason: str = Field(min_length=1, max_length=4000, description="why, with the numbers")
    target: dict[str, Any] = Field(description="{apiVersion, kind, namespace, name} of the object")
    manifest: dict[str, Any] | None = Field(default=None, description="the whole object (server-side "
                                                            "apply); or give `patch`")
    patch: dict[str, Any] | None = Field(default=None, description="a JSON merge patch")
    evidence: list[str] = Field(default=[], max_length=20,
                                description="what the diagnosis saw (messages, findings)")
    verify: dict[str, Any] | None = Field(default=None, description="{skill, script, args, cause}: the "
                                                          "check that must pass afterwards")
    model_config = {"extra": "forbid"}


class DecisionRequest(BaseModel):
    reason: str = Field(default="", max_length=1000)
    model_config = {"extra": "forbid"}


@dataclass(frozen=True)
class Credentials:
    authorization: str | None
    impersonate_user: str
    impersonate_groups: tuple[str, ...]


def credentials(request: Request,
                authorization: str | None = Header(default=None,
                    description="Bearer <Kubernetes token>"),
                impersonate_user: str = Header(default="", max_length=512,
                    description="act for this user (needs verb impersonate, as kubectl --as)"),
                impersonate_group: list[str] = Header(default=[],
                    description="act with these groups (with Impersonate-User)")) -> Credentials:
    unread = [h for h in request.headers.keys()
              if h.lower() == "impersonate-uid" or h.lower().startswith("impersonate-extra-")]
    if unread:  # an identity narrower than asked for is not what the caller meant: refuse
        raise AuthError(400, f"{unread[0]} is not supported: impersonate a user and groups")
    return Credentials(authorization, impersonate_user.strip(),
                       tuple(g.strip() for g in impersonate_group if g.strip()))


def create_app(service: AgentService) -> FastAPI:
    app = FastAPI(title="k8s-skills agent", version="v1",
                  description="The in-cluster SRE agent: ask questions, read conversations, "
                              "approve or reject proposed changes. Authenticate with a "
                              "Kubernetes bearer token; cluster RBAC on agent.k8s-skills.io "
                              "decides who may ask and who may approve.")
    app.state.service = service
    _errors(app)
    app.add_middleware(BodyLimit, limit=service.settings.max_body_bytes)
    _observe(app, service)
    _routes(app, service)
    return app


# --- errors: one line each ------------------------------------------------------------------
def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split())[:500]}, status_code=status)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def _auth(request: Request, err: AuthError) -> JSONResponse:
        response = error(err.status, str(err))
        if err.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        first = (err.errors() or [{}])[0]
        if first.get("type") == "json_invalid":
            return error(400, "malformed JSON body: " + str(first.get("ctx", {}).get(
                "error", "cannot parse")))
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return error(400 if first.get("type") != "missing" or where else 422,
                     f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        return error(err.status_code, err.detail)

    for kind, status in ((Conflict, 409), (NotFound, 404), (Busy, 429)):
        app.add_exception_handler(kind, _handler(status))

    @app.exception_handler(KubeError)
    async def _kube(request: Request, err: KubeError) -> JSONResponse:
        return error(502, f"Kubernetes API: {err}")

    @app.exception_handler(Exception)
    async def _bug(request: Request, err: Exception) -> JSONResponse:
        return error(500, f"internal error ({type(err).__name__}); see the service log")


def _handler(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handle(request: Request, err: Exception) -> JSONResponse:
        return error(status, str(err))
    return handle


class BodyLimit:
    """413 for a body over `limit` bytes, declared or streamed (pure ASGI, nothing buffered
    beyond the limit)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared and declared.isdigit() and int(declared) > self.limit:
            return await error(413, f"body over {self.limit} bytes")(scope, receive, send)
        seen, refused = 0, False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit and not refused:
                refused = True  # answer now; the app sees the client gone and its reply is dropped
                await error(413, f"body over {self.limit} bytes")(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded_send)


def _observe(app: FastAPI, service: AgentService) -> None:
    @app.middleware("http")
    async def observe(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        service.metrics.requests.labels(path, str(response.status_code)).inc()
        if path != "/v1/ask":  # an ask's latency is observed when its stream ends
            service.metrics.latency.labels(path).observe(time.perf_counter() - started)
        return response


# --- routes -------------------------------------------------------------------------------
def _routes(app: FastAPI, service: AgentService) -> None:
    # response_model=None on every route: a handler returns a body or an error response
    # (Reply), and its annotation must not become a response model (FastAPI would validate
    # and document it); the bodies are documented by the route summaries.
    async def identify(creds: Credentials) -> Caller:
        caller = await asyncio.to_thread(service.auth.authenticate, creds.authorization)
        if creds.impersonate_user or creds.impersonate_groups:
            caller = await asyncio.to_thread(service.auth.act_as, caller,
                                             creds.impersonate_user,
                                             list(creds.impersonate_groups))
        return caller

    async def allowed(creds: Credentials, verb: str, resource: str, name: str = "") -> Caller:
        caller = await identify(creds)
        await asyncio.to_thread(service.auth.authorize, caller, verb, resource, name)
        return caller

    @app.get("/healthz", tags=["health"], summary="the process is alive", response_model=None)
    async def healthz() -> Reply:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="skills installed, state reachable",
             response_model=None)
    async def readyz() -> Reply:
        if not service.ready:
            return error(503, "not ready: starting up")
        try:
            await asyncio.to_thread(service.store.list, PROPOSALS)
        except Exception as err:  # noqa: BLE001 - readiness reports, never raises
            return error(503, f"not ready: cannot read state: {err}")
        return {"status": "ready", "replica": service.settings.identity,
                "leader": service.leading, "mode": service.settings.mode,
                "skills": service.skills}

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics", response_model=None)
    async def metrics() -> Reply:
        body = await asyncio.to_thread(service.metrics.render)
        return Response(body, media_type="text/plain; version=0.0.4")

    @app.get("/v1/whoami", tags=["auth"], summary="who the token belongs to", response_model=None)
    async def whoami(creds: Credentials = Depends(credentials)) -> Reply:
        caller = await identify(creds)
        return {"username": caller.username, "groups": list(caller.groups),
                **({"via": caller.via} if caller.via else {})}

    @app.post("/v1/ask", tags=["ask"], summary="ask a question; the answer streams as "
              "server-sent events (conversation, tool, evidence, text, proposal, done)",
              response_model=None)
    async def ask(body: AskRequest, creds: Credentials = Depends(credentials)) -> Reply:
        if len(body.question) > service.settings.max_question_chars:
            return error(413, f"question over {service.settings.max_question_chars} "
                              "characters")
        caller = await allowed(creds, "create", "asks")
        if body.conversation:
            await _may_continue(caller, body.conversation)
        stream = service.ask(caller, body.question, body.conversation or "")
        first = await _first(stream)
        return EventSourceResponse(_sse(first, stream, service), ping=15)

    async def _may_continue(caller: Caller, name: str) -> None:
        conv = await asyncio.to_thread(service.store.get, CONVERSATIONS, name)
        if (conv.get("spec") or {}).get("user") != caller.username:
            await asyncio.to_thread(service.auth.authorize, caller, "update",
                                    "conversations", name)

    @app.get("/v1/conversations/{name}", tags=["ask"], summary="one conversation's summary",
             response_model=None)
    async def conversation(name: str, creds: Credentials = Depends(credentials)) -> Reply:
        caller = await allowed(creds, "get", "conversations", name)
        conv = await asyncio.to_thread(service.get_conversation, caller, name)
        return {"id": name, "user": conv["spec"].get("user"),
                "phase": (conv.get("status") or {}).get("phase"),
                "turns": conv["spec"].get("turns") or []}

    @app.get("/v1/proposals", tags=["proposals"], summary="proposals, oldest first",
             response_model=None)
    async def proposals(phase: str = "", creds: Credentials = Depends(credentials)) -> Reply:
        await allowed(creds, "list", "proposals")
        return {"proposals": await asyncio.to_thread(service.list_proposals, phase)}

    @app.post("/v1/proposals", tags=["proposals"], status_code=201,
              summary="submit a change for approval (needs verb propose on proposals); "
                      "stored as a Proposal, never applied here", response_model=None)
    async def propose(body: ProposeRequest, creds: Credentials = Depends(credentials)) -> Reply:
        caller = await allowed(creds, "propose", "proposals")
        args = body.model_dump(exclude_none=True)
        try:
            return await asyncio.to_thread(service.propose, caller, "", args)
        except ValueError as err:
            return error(400, str(err))

    @app.get("/v1/proposals/{name}", tags=["proposals"], summary="one proposal",
             response_model=None)
    async def proposal(name: str, creds: Credentials = Depends(credentials)) -> Reply:
        await allowed(creds, "get", "proposals", name)
        return await asyncio.to_thread(service.get_proposal, name)

    @app.post("/v1/proposals/{name}/approve", tags=["proposals"],
              summary="approve (needs verb approve on proposals)", response_model=None)
    async def approve(name: str, body: DecisionRequest | None = None,
                      creds: Credentials = Depends(credentials)) -> Reply:
        caller = await allowed(creds, "approve", "proposals", name)
        return await asyncio.to_thread(service.decide, caller, name, True,
                                       body.reason if body else "")

    @app.post("/v1/proposals/{name}/reject", tags=["proposals"],
              summary="reject (needs verb reject on proposals)", response_model=None)
    async def reject(name: str, body: DecisionRequest | None = None,
                     creds: Credentials = Depends(credentials)) -> Reply:
        caller = await allowed(creds, "reject", "proposals", name)
        return await asyncio.to_thread(service.decide, caller, name, False,
                                       body.reason if body else "")

    @app.get("/v1/findings", tags=["findings"], summary="what the watcher found",
             response_model=None)
    async def findings(creds: Credentials = Depends(credentials)) -> Reply:
        await allowed(creds, "list", "findings")
        return {"findings": await asyncio.to_thread(service.list_findings)}

    @app.get("/v1/findings/stream", tags=["findings"],
             summary="new findings as server-sent events, from any replica", response_model=None)
    async def findings_stream(creds: Credentials = Depends(credentials)) -> Reply:
        await allowed(creds, "watch", "findings")
        return EventSourceResponse(service.finding_events(), ping=15)


async def _first(stream: AsyncIterator[Event]) -> Event:
    """The stream's first event, so a refusal (busy, bad conversation) is still an HTTP
    status rather than an event inside a 200 stream."""
    return await stream.__anext__()


async def _sse(first: Event, stream: AsyncIterator[Event],
               service: AgentService) -> AsyncIterator[dict[str, Any]]:
    started = time.perf_counter()
    try:
        yield _event(first)
        async for item in stream:
            yield _event(item)
    finally:
        service.metrics.latency.labels("/v1/ask").observe(time.perf_counter() - started)


def _event(item: Event) -> dict[str, Any]:
    name, data = item
    return {"event": name, "data": json.dumps(data, default=str)}
