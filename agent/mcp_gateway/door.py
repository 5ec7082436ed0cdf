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

import anyio

from agent.audit import AuditLog
from agent.auth import AuthError, Authenticator, Caller

VERB, RESOURCE = "create", "asks"


class Door:
    """Pure ASGI wrapper around the SDK's streamable HTTP app."""

    def __init__(self, app, auth: Authenticator, audit: AuditLog):
        self.app = app
        self.auth = auth
        self.audit = audit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # lifespan: the SDK's session manager starts here
            return await self.app(scope, receive, send)
        if scope.get("path") == "/healthz":
            return await _reply(send, 200, {"status": "ok"})
        try:
            caller = await anyio.to_thread.run_sync(self.check, _header(scope, b"authorization"))
        except AuthError as err:
            self.audit.record("tool", f"mcp {scope.get('method')} {scope.get('path')}",
                              who=getattr(err, "who", "") or "unauthenticated",
                              result=str(err.status), decision="deny", source="mcp",
                              transport="http", reasons=[str(err)])
            return await _reply(send, err.status, {"error": str(err)},
                                {"www-authenticate": "Bearer"} if err.status == 401 else {})
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)

    def check(self, authorization: str | None) -> Caller:
        caller = self.auth.authenticate(authorization)
        try:
            self.auth.authorize(caller, VERB, RESOURCE)
        except AuthError as err:
            err.who = caller.username
            raise
        return caller


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _reply(send, status: int, body: dict, headers: dict | None = None) -> None:
    payload = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"),
           (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
