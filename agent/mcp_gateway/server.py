"""The MCP server (official `mcp` SDK, MCPServer): the skills' scripts as tools, their
references as resources, their decision trees as prompts, and one audit record a call."""
from __future__ import annotations

import getpass
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.resources import FileResource
from pydantic import Field

from agent.audit import AuditLog
from agent.auth import Caller
from agent.mcp_gateway import library, propose, tools
from agent.mcp_gateway.runner import Runner
from harness import __version__
from harness.skillpack.skills import Skill

INSTRUCTIONS = """Kubernetes AI-infrastructure diagnosis (Kueue, DRA, Gateway API and the \
Inference Extension, pods and nodes, RBAC, manifests). Every tool is read-only: it runs one \
skill script against the live cluster, or on what you paste in `dump`. Findings marked \
reported (the responsible controller said it) outweigh inferred ones. To change anything, \
call propose_change: the agent service stores a Proposal that a person approves; nothing is \
applied from here. The prompts carry each skill's decision tree; the resources its \
references (skill://<skill>/references/<file>)."""

AUDITED = ("tools/call", "resources/read", "prompts/get")


@dataclass
class GatewayConfig:
    skills_dir: str = ""
    kubeconfig: str = ""                      # identity of live reads ('' = inherited)
    agent: propose.AgentDoor | None = None    # where propose_change stores proposals
    audit_log: str = ""
    timeout: float = 300.0


def build(config: GatewayConfig) -> MCPServer:
    skills = library.find_skills(config.skills_dir or None)
    server = MCPServer("kubernetes-skills", title="Kubernetes skills",
                       instructions=INSTRUCTIONS, version=__version__)
    runner = Runner(skills, kubeconfig=config.kubeconfig, timeout=config.timeout)
    tools.register(server, runner)
    propose.register(server, config.agent, caller_of)
    for skill in skills.values():
        _resources(server, skill)
        _prompt(server, skill)
    server.middleware.append(Audit(AuditLog(config.audit_log, {"service": "mcp"})))
    return server


def caller_of(ctx: Context) -> Caller | None:
    """The caller the HTTP door authenticated (agent.mcp_gateway.door), None on stdio."""
    return request_caller(ctx.request_context.request)


def request_caller(request: object) -> Caller | None:
    state = getattr(request, "scope", {}).get("state") or {}
    caller = state.get("caller")
    return caller if isinstance(caller, Caller) else None


def _resources(server: MCPServer, skill: Skill) -> None:
    for path in library.references(skill):
        server.add_resource(FileResource(
            uri=f"skill://{skill.name}/references/{path.name}", path=path.resolve(),
            name=f"{skill.name}/{path.stem}", mime_type="text/markdown",
            description=f"{skill.name} reference: {_title(path)}"))


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return str(path.stem)


def _prompt(server: MCPServer, skill: Skill) -> None:
    trees = library.decision_trees(skill)
    if not trees:
        return

    def decision_tree(problem: Annotated[str, Field(
            default="", description="the symptom, error text or question")] = "") -> str:
        ask = f"\n\nThe problem: {problem}" if problem.strip() else ""
        return (f"Work through the {skill.name} decision tree below with this server's "
                f"tools (live, or with `dump` set to what the user pasted). Lead with "
                f"what the responsible component reported, then what the specs imply; "
                f"propose changes only through propose_change.\n\n{trees}{ask}")

    server.prompt(name=skill.name, title=f"{skill.name} decision tree",
                  description=library.description(skill))(decision_tree)


class Audit:
    """Server middleware: one JSON Lines record per tool call, resource read and prompt
    (who, what, which arguments by name, the outcome, how long); argument values are not
    logged (pastes may hold anything)."""

    def __init__(self, log: AuditLog):
        self.log = log
        self.local_user = _local_user()

    async def __call__(self, ctx: ServerRequestContext[Any, Any],
                       call_next: CallNext) -> HandlerResult:
        if ctx.method not in AUDITED:
            return await call_next(ctx)
        params = dict(ctx.params or {})
        what = params.get("name") or params.get("uri") or ""
        caller = request_caller(ctx.request)
        who = caller.label if caller else self.local_user
        started = time.monotonic()
        outcome, decision = "error", "allow"
        try:
            result = await call_next(ctx)
            outcome = "isError" if _is_error(result) else "ok"
            return result
        finally:
            self.log.record(
                "tool", f"mcp {ctx.method} {what}", who=who,
                result=outcome, decision=decision, source="mcp", mcp_method=ctx.method,
                mcp_target=str(what), arguments=sorted((params.get("arguments") or {})),
                seconds=round(time.monotonic() - started, 3),
                transport="http" if caller else "stdio")


def _is_error(result: Any) -> bool:
    if isinstance(result, dict):
        return bool(result.get("isError") or result.get("is_error"))
    return bool(getattr(result, "is_error", False))


def _local_user() -> str:
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local:unknown"
