"""The README's MCP transcript: the official client starts `k8s-skills mcp` over stdio (as
Claude Code does) and calls two tools against the cluster $KUBECONFIG points at.

    python -m tests.mcp.transcript NAMESPACE
"""
from __future__ import annotations

import sys

import anyio

from tests.mcp.client import stdio_session


async def main(namespace: str) -> None:
    async with stdio_session("--audit-log", "/tmp/mcp-transcript-audit.jsonl") as session:
        tools = (await session.list_tools()).tools
        print(f"tools ({len(tools)}): {', '.join(t.name for t in tools)}")
        for name, args in (("triage", {"namespace": namespace}),
                           ("explain_pending_workloads", {"namespace": namespace}),
                           ("triage", {"namespace": "-A"})):
            result = await session.call_tool(name, args)
            print(f"\n> call_tool {name} {args}")
            if result.is_error:
                print(f"isError: {result.content[0].text}")
                continue
            data = result.structured_content
            print(data["summary"])
            for finding in data["report"]["findings"][:2]:
                obj = finding["object"]
                print(f"  {finding['severity']} {finding['cause']} "
                      f"{obj['kind']}/{obj['namespace']}/{obj['name']} [{finding['basis']}]")
                print(f"    {finding['message'][:160]}")
                print(f"    fix: {finding['fix'][:160]}")


if __name__ == "__main__":
    anyio.run(main, sys.argv[1])
