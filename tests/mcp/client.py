"""The official MCP client (mcp.ClientSession) against `k8s-skills mcp`, over stdio (a real
subprocess, as Claude Code starts it) or streamable HTTP."""
from __future__ import annotations

import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def stdio_session(*args: str, env: dict | None = None):
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "harness.cli", "mcp", *args],
                                   cwd=str(ROOT), env={**os.environ, **(env or {})})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


@asynccontextmanager
async def http_session(url: str, token: str = ""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx2.AsyncClient(headers=headers, timeout=300) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                yield session
