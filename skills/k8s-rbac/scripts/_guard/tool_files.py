"""Claude Code's own file tools, judged with the same path rules as shell commands.

Write, Edit, MultiEdit and NotebookEdit on a protected file (credentials, shell startup
files, git hooks and config, Claude Code settings, programs on PATH) are asked; on the
guard itself, its hooks, policy or audit log they are denied. Read and Grep of credential
files (or of a tree that holds them) are asked. Other calls get no opinion: Claude Code's
own permission rules apply.
"""
from __future__ import annotations

from _guard.verdict import Verdict

WRITE_TOOLS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path",
               "NotebookEdit": "notebook_path"}
READ_TOOLS = {"Read": "file_path", "NotebookRead": "notebook_path"}


def judge_file_tool(tool_name: str, tool_input, ctx) -> Verdict | None:
    if tool_name in WRITE_TOOLS:
        path = _path(tool_input, WRITE_TOOLS[tool_name])
        if path is None:
            return Verdict().unknown(f"{tool_name} without a file path")
        risk = ctx.paths.write_risk(path)
        if risk is None:
            return None
        v = Verdict()
        v.raise_to("write", f"{tool_name}: {risk[1]}", "local_write")
        v.need(risk[0], f"{tool_name}: {risk[1]}", "local_write")
        return v
    if tool_name in READ_TOOLS or tool_name == "Grep":
        key = READ_TOOLS.get(tool_name, "path")
        path = _path(tool_input, key, optional=tool_name == "Grep")
        if path is None and tool_name != "Grep":
            return Verdict().unknown(f"{tool_name} without a file path")
        path = path or ctx.cwd or "."
        risk = ctx.paths.tree_risk(path) if tool_name == "Grep" else \
            ctx.paths.read_risk(path)
        if risk is None:
            return None
        v = Verdict()
        v.need("ask", f"{tool_name}: {risk[1]}", "secret_data")
        return v
    return None


def _path(tool_input, key: str, optional: bool = False):
    if not isinstance(tool_input, dict):
        return None
    value = tool_input.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or "\x00" in value:
        return None
    return value
