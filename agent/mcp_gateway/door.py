"""The HTTP door: streamable HTTP behind the agent service's own Kubernetes auth.

Every request presents `Authorization: Bearer <Kubernetes token>`; TokenReview says who it
is (401 otherwise) and a SubjectAccessReview for verb create on asks in the agent's API
group (agent.k8s-skills.io, its namespace) says whether they may use the tools (403
otherwise): the same check as POST /v1/ask, so one RoleBinding governs both doors. The
authenticated caller rides in the ASGI scope's state to the tools (propose_change acts for
them) and the audit middleware (agent.mcp_gateway.server.Audit).
"""
from __future__ import annotations

import json
from typing import Any

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.audit import AuditLog
from agent.auth import AuthError, Authenticator, Caller

VERB, RESOURCE = "create", "asks"


class Refused(Exception):
    """An AuthError with who was refused (the username, when the token was good)."""

    def __init__(self, err: AuthError, who: str):
        super().__init__(str(err))
        self.status = err.status
        self.who = who


class Door:
    """Pure ASGI wrapper around the SDK's streamable HTTP app."""

    def __init__(self, app: ASGIApp, auth: Authenticator, audit: AuditLog):
        self.app = app
        self.auth = auth
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: the SDK's session manager starts here
            await self.app(scope, receive, send)
            return
        if scope.get("path") == "/healthz":
            await _reply(send, 200, {"status": "ok"})
            return
        try:
            caller = await anyio.to_thread.run_sync(self.check, _header(scope, b"authorization"))
        except Refused as err:
            self.audit.record("tool", f"mcp {scope.get('method')} {scope.get('path')}",
                              who=err.who, result=str(err.status), decision="deny",
                              source="mcp", transport="http", reasons=[str(err)])
            await _reply(send, err.status, {"error": str(err)},
                         {"www-authenticate": "Bearer"} if err.status == 401 else {})
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)

    def check(self, authorization: str | None) -> Caller:
        try:
            caller = self.auth.authenticate(authorization)
        except AuthError as err:
            raise Refused(err, "unauthenticated") from err
        try:
            self.auth.authorize(caller, VERB, RESOURCE)
        except AuthError as err:
            raise Refused(err, caller.username) from err
        return caller


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _reply(send: Send, status: int, body: dict[str, Any],
                 headers: dict[str, str] | None = None) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"),
           (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
