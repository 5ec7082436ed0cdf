"""The HTTP door without a cluster: streamable HTTP through agent.mcp_gateway.door with a
stand-in Authenticator, driven by the official client. What each refusal looks like; the
same against the real TokenReview / SubjectAccessReview: tests/mcp/test_mcp_live.py."""
from __future__ import annotations

import json

import anyio
import httpx2
import pytest

from agent.audit import AuditLog
from agent.auth import AuthError, Caller, bearer_token
from agent.mcp_gateway import server
from agent.mcp_gateway.door import Door
from tests.agent.testbed import serving
from tests.mcp.client import ROOT, http_session

DUMP = (ROOT / "tests/resources/troubleshooting/crash_loop.yaml").read_text()


class Auth:
    """Tokens bob (an asker) and mallory (no rights); anything else unknown."""

    def authenticate(self, header):
        token = bearer_token(header)
        if token not in ("bob", "mallory"):
            raise AuthError(401, "token not accepted by the Kubernetes API (TokenReview)")
        return Caller(token, groups=("developers",))

    def authorize(self, caller, verb, resource, name=""):
        if caller.username != "bob":
            raise AuthError(403, f"{caller.username} may not {verb} {resource} "
                                 "(agent.k8s-skills.io in namespace k8s-agent)")


@pytest.fixture(scope="module")
def door(tmp_path_factory):
    audit = tmp_path_factory.mktemp("door") / "audit.jsonl"
    mcp = server.build(server.GatewayConfig(audit_log=str(audit)))
    app = Door(mcp.streamable_http_app(), Auth(), AuditLog(str(audit), {"service": "mcp"}))
    with serving(app) as url:
        yield url, audit


def raw_post(url: str, headers: dict) -> httpx2.Response:
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"}}}
    return httpx2.post(url + "/mcp", json=body, headers={
        "Accept": "application/json, text/event-stream", **headers}, timeout=30)


def test_unauthenticated_is_401_and_unauthorized_403(door):
    url, audit = door
    none = raw_post(url, {})
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    assert none.json() == {"error": "no bearer token: send Authorization: Bearer "
                                    "<Kubernetes token>"}
    assert raw_post(url, {"Authorization": "Bearer forged"}).status_code == 401
    refused = raw_post(url, {"Authorization": "Bearer mallory"})
    assert refused.status_code == 403
    assert refused.json()["error"].startswith("mallory may not create asks")
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [(r["identity"]["user"], r["result"], r["decision"]) for r in records] == [
        ("unauthenticated", "401", "deny"), ("unauthenticated", "401", "deny"),
        ("mallory", "403", "deny")]


def test_an_authorized_caller_uses_the_tools_and_is_audited(door):
    url, audit = door

    async def body():
        async with http_session(url + "/mcp", "bob") as session:
            tools = (await session.list_tools()).tools
            result = await session.call_tool("triage", {"dump": DUMP})
            bad = await session.call_tool("triage", {"namespace": "-A"})
            return tools, result, bad
    tools, result, bad = anyio.run(body)
    assert len(tools) == 11
    assert "crash_loop" in {f["cause"] for f in result.structured_content["report"]["findings"]}
    assert bad.is_error
    calls = [json.loads(line) for line in audit.read_text().splitlines()
             if '"tools/call"' in line]
    assert [(r["identity"]["user"], r["mcp_target"], r["result"], r["transport"])
            for r in calls][-2:] == [("bob", "triage", "ok", "http"),
                                     ("bob", "triage", "isError", "http")]


def test_health_needs_no_token(door):
    assert httpx2.get(door[0] + "/healthz", timeout=10).json() == {"status": "ok"}
