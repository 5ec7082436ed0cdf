"""`k8s-skills mcp`: serve the skills over MCP (stdio for Claude Code / Claude Desktop,
streamable HTTP behind Kubernetes auth for remote clients and agent platforms)."""
from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from harness.errors import UserError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

EPILOG = """examples:
  k8s-skills mcp                                   stdio (Claude Code, Claude Desktop)
  claude mcp add k8s -- k8s-skills mcp             register it with Claude Code
  k8s-skills mcp --agent-url http://agent:8080     propose_change stores Proposals there
  k8s-skills mcp --transport http --host 0.0.0.0 --port 8090 \\
      --kubeconfig reader.kubeconfig --auth-kubeconfig gateway.kubeconfig \\
      --agent-url http://k8s-agent.k8s-agent:8080 --namespace k8s-agent

tools (read-only; live through kubectl with --kubeconfig's identity, or on a pasted `dump`):
  explain_pending_workloads explain_claims check_dra check_routes analyze_traffic triage
  inspect_cluster validate_manifests generate_manifests audit_rbac, and propose_change
  (the only change path: a Proposal in the agent service that a person approves)
resources: skill://<skill>/references/<file>.md     prompts: one decision tree per skill

HTTP: every request needs `Authorization: Bearer <Kubernetes token>`: TokenReview (401
without a valid one) and SubjectAccessReview for verb create on asks.agent.k8s-skills.io in
--namespace (403 without it), the same right as the agent's /v1/ask. The --auth-kubeconfig
identity needs create on tokenreviews and subjectaccessreviews, and, for propose_change,
impersonate on users and groups (it acts for the caller at the agent service).
Every call is one record in the audit log (k8s-skills audit --all)."""


def register(groups: Any) -> None:  # argparse's private _SubParsersAction
    p = groups.add_parser("mcp", help="serve the skills as an MCP server (stdio or HTTP)",
                          description="Serve the skills over MCP: stdio for Claude Code / "
                                      "Claude Desktop, streamable HTTP behind Kubernetes "
                                      "auth for remote clients and agent platforms.",
                          formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                   help="stdio (default) or streamable HTTP")
    p.add_argument("--host", default="127.0.0.1", help="HTTP listen address (default "
                                                        "127.0.0.1)")
    p.add_argument("--port", type=int, default=8090, help="HTTP port (default 8090)")
    p.add_argument("--skills-dir", default="", help="skills folder (default: "
                   "$CLAUDE_PLUGIN_ROOT/skills when Claude Code starts it from the plugin, "
                   "else the repository's skills/)")
    p.add_argument("--kubeconfig", default="", help="identity of the tools' live reads "
                                                    "(default: $KUBECONFIG, as kubectl)")
    p.add_argument("--agent-url", default=os.environ.get("K8S_AGENT_URL", ""),
                   help="agent service for propose_change (default $K8S_AGENT_URL)")
    p.add_argument("--agent-token-file", default="", help="token for the agent service "
                   "(default: $K8S_AGENT_TOKEN, the kubeconfig user's token, or the pod's)")
    p.add_argument("--audit-log", default="", help="JSON Lines audit log (default: "
                   "$K8S_SKILLS_AUDIT_LOG or ~/.local/state/k8s-skills/audit.jsonl)")
    p.add_argument("--timeout", type=float, default=300.0,
                   help="seconds one script may run (default 300)")
    http = p.add_argument_group("HTTP auth")
    http.add_argument("--auth-kubeconfig", default="", help="identity that runs TokenReview "
                      "/ SubjectAccessReview (default: --kubeconfig, else $KUBECONFIG, else "
                      "the pod's ServiceAccount)")
    http.add_argument("--namespace", default="k8s-agent", help="the agent's namespace, where "
                      "the SubjectAccessReview asks (default k8s-agent)")
    http.add_argument("--audience", action="append", default=[],
                      help="accepted token audience (repeat; default: the apiserver's)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from agent.client import find_token
    from agent.mcp_gateway import propose, server
    from harness import safety
    if args.port <= 0 or args.port > 65535:
        raise UserError(f"--port {args.port}: not a TCP port")
    if args.timeout <= 0:
        raise UserError("--timeout must be positive")
    audit_log = args.audit_log or safety.audit_log_path()
    agent = None
    if args.agent_url:
        token = find_token("", args.agent_token_file)
        agent = propose.AgentDoor(args.agent_url, token)
    config = server.GatewayConfig(skills_dir=args.skills_dir or plugin_skills(),
                                  kubeconfig=args.kubeconfig,
                                  agent=agent, audit_log=audit_log, timeout=args.timeout)
    mcp = server.build(config)
    if args.transport == "stdio":
        mcp.run("stdio")
        return 0
    return serve_http(mcp, args, audit_log)


def plugin_skills() -> str:
    """The plugin's own skills: Claude Code sets CLAUDE_PLUGIN_ROOT for a plugin's MCP
    server (checked with `claude mcp list` on CLI 2.1.332, tests/mcp/test_plugin_mcp.py)."""
    root = os.environ.get("CLAUDE_PLUGIN_ROOT", "")
    return os.path.join(root, "skills") if root else ""


def serve_http(mcp: MCPServer, args: argparse.Namespace, audit_log: str) -> int:
    import uvicorn

    from agent.audit import AuditLog
    from agent.auth import Authenticator
    from agent.kube import Kube
    from agent.mcp_gateway.door import Door
    inherited = os.environ.get("KUBECONFIG", "").split(os.pathsep)[0]
    kube = Kube(args.auth_kubeconfig or args.kubeconfig or inherited)
    auth = Authenticator(kube, args.namespace, args.audience)
    app = mcp.streamable_http_app(host=args.host)
    door = Door(app, auth, AuditLog(audit_log, {"service": "mcp"}))
    uvicorn.run(door, host=args.host, port=args.port, log_level="warning")
    return 0
