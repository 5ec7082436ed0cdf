"""propose_change: the one tool that asks for a change, and only as a Proposal stored by
the agent service (POST /v1/proposals) for a person to approve there; never applied here.

Over stdio the server calls the agent with the user's own token. Over HTTP it calls with
its own token and acts for the authenticated caller (Impersonate-User / -Group), so the
agent's SubjectAccessReview (verb propose on proposals) decides for that person and the
Proposal and audit record name them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import httpx2 as httpx  # the HTTP client the mcp SDK itself ships with
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from agent.auth import Caller

PROPOSE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                          open_world_hint=True)


class Target(BaseModel):
    api_version: str = Field(alias="apiVersion", min_length=1, max_length=200,
                             description="e.g. apps/v1")
    kind: str = Field(min_length=1, max_length=100, description="e.g. Deployment")
    namespace: str = Field(default="", max_length=253, description="'' for cluster-scoped")
    name: str = Field(min_length=1, max_length=253)
    model_config = {"populate_by_name": True, "extra": "forbid"}


class Verify(BaseModel):
    skill: str = Field(description="the skill whose script checks the fix, e.g. "
                                   "k8s-troubleshooting")
    script: str = Field(description="e.g. triage.py")
    args: list[str] = Field(default=[], max_length=20, description="e.g. ['-n', 'shop', 'web']")
    cause: str = Field(default="", description="the finding's cause that must be gone")


class ProposalResult(BaseModel):
    name: str = Field(description="the Proposal's name in the agent service")
    phase: str = Field(description="Advisory (advisory mode: apply it yourself), Proposed, "
                                   "AwaitingApproval, ...")
    requested_by: str = Field(description="who the Proposal names as its author")
    agent: str = Field(description="the agent service that holds it")


@dataclass
class AgentDoor:
    """Where proposals go: the agent service's URL and the token this server presents."""
    url: str
    token: str = ""
    timeout: float = 60.0

    async def submit(self, body: dict[str, Any], caller: Caller | None) -> dict[str, Any]:
        headers = [("Accept", "application/json")]
        if self.token:
            headers.append(("Authorization", f"Bearer {self.token}"))
        if caller is not None:  # acting for the authenticated HTTP caller
            headers.append(("Impersonate-User", caller.username))
            headers += [("Impersonate-Group", g) for g in caller.groups]
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                response = await http.post(f"{self.url.rstrip('/')}/v1/proposals", json=body,
                                           headers=headers)
        except httpx.HTTPError as err:
            raise ToolError(f"cannot reach the agent service at {self.url}: "
                            f"{type(err).__name__}: {err}") from None
        if response.status_code != 201:
            raise ToolError(f"the agent service refused the proposal "
                            f"({response.status_code}): {_error_text(response)}")
        view: dict[str, Any] = response.json()
        return view


def _error_text(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error") or response.reason_phrase)
    except ValueError:
        return response.reason_phrase


def register(server: MCPServer, door: AgentDoor | None,
             caller_of: Callable[[Context], Caller | None]) -> None:
    """Add propose_change; `caller_of(ctx)` is the authenticated HTTP caller (None on
    stdio, where the token is the user's own)."""

    async def propose_change(
        summary: Annotated[str, Field(min_length=1, max_length=300,
                                      description="one line: the change")],
        reason: Annotated[str, Field(min_length=1, max_length=4000, description=(
            "why, with the evidence's numbers (e.g. 'FailedScheduling: 0/9 nodes "
            "available: 9 Insufficient nvidia.com/gpu; asks 100, largest node has 8')"))],
        target: Annotated[Target, Field(description="the object to change")],
        ctx: Context,
        patch: Annotated[dict[str, Any] | None, Field(default=None, description=(
            "a JSON merge patch of the target (give this or `manifest`)"))] = None,
        manifest: Annotated[dict[str, Any] | None, Field(default=None, description=(
            "the whole object, applied server-side after approval (or give `patch`)"))] = None,
        evidence: Annotated[list[str] | None, Field(default=None, max_length=20, description=(
            "what the diagnosis saw: messages, findings"))] = None,
        verify: Annotated[Verify | None, Field(default=None, description=(
            "the skill script that must come back clean after the change"))] = None,
    ) -> Annotated[CallToolResult, ProposalResult]:
        """Submit a change for a person to approve in the agent service. Nothing is
        applied: the agent dry-runs it, an approver decides (kubectl-style RBAC on verb
        approve), its applier applies and verifies. RBAC, admission, Secrets, CRDs and the
        agent's own objects are refused."""
        if door is None:
            raise ToolError("no agent service configured: start the server with --agent-url "
                            "(proposals are stored there for approval)")
        if (patch is None) == (manifest is None):
            raise ToolError("give exactly one of `patch` (JSON merge patch) or `manifest`")
        body: dict[str, Any] = {"summary": summary, "reason": reason,
                                "target": target.model_dump(by_alias=True, exclude_defaults=False),
                                "evidence": evidence or []}
        body["patch" if patch is not None else "manifest"] = patch if patch is not None \
            else manifest
        if verify is not None:
            body["verify"] = verify.model_dump()
        view = await door.submit(body, caller_of(ctx))
        result = ProposalResult(name=view.get("name", ""), phase=view.get("phase", ""),
                                requested_by=(view.get("spec") or {}).get("requestedBy", ""),
                                agent=door.url)
        text = (f"Proposal {result.name} stored in the agent service ({result.phase}); "
                f"nothing was applied. An approver decides: k8s-skills agent show "
                f"{result.name}")
        return CallToolResult(content=[TextContent(type="text", text=text)],
                              structured_content=result.model_dump(mode="json"))

    server.add_tool(propose_change, annotations=PROPOSE, structured_output=True)
