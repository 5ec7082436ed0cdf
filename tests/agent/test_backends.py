"""Bedrock and Vertex are chosen by the CLI's own switches: proven by where the bundled
Claude Code CLI sends its request when the service's backend setting says so (a local
stand-in answers; nothing leaves the machine)."""
from __future__ import annotations

import asyncio

import pytest

from agent import backends
from agent.policy import ToolPolicy
from agent.session import Session, SessionConfig
from harness.errors import UserError
from harness.evals.fake_api import FakeAnthropicAPI


def test_each_backend_needs_its_own_settings_and_names_the_missing_one():
    with pytest.raises(UserError, match="ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN"):
        backends.backend_env("anthropic", {})
    with pytest.raises(UserError, match="needs AWS_REGION"):
        backends.backend_env("bedrock", {"ANTHROPIC_API_KEY": "x"})
    with pytest.raises(UserError, match="CLOUD_ML_REGION"):
        backends.backend_env("vertex", {})


def test_other_backends_switches_are_blanked_so_the_chosen_one_wins():
    env = backends.cli_env("anthropic", {"ANTHROPIC_API_KEY": "k",
                                         "CLAUDE_CODE_USE_VERTEX": "1"}, "/h")
    assert env["CLAUDE_CODE_USE_VERTEX"] == "" and env["CLAUDE_CODE_USE_BEDROCK"] == ""
    assert env["ANTHROPIC_API_KEY"] == "k" and env["HOME"] == "/h"
    env = backends.cli_env("vertex", {"ANTHROPIC_API_KEY": "k", "CLOUD_ML_REGION": "r",
                                      "ANTHROPIC_VERTEX_PROJECT_ID": "p"}, "/h")
    assert env["CLAUDE_CODE_USE_VERTEX"] == "1" and env["ANTHROPIC_API_KEY"] == ""


def _run(tmp_path, backend: str, environ: dict) -> None:
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    env = backends.cli_env(backend, {**environ, "CLAUDE_CODE_MAX_RETRIES": "0"}, str(home))
    cfg = SessionConfig(workdir=str(tmp_path), env=env, model="claude-sonnet-4-5",
                        max_turns=2, timeout=120, policy=ToolPolicy(tmp_path), propose=None)
    asyncio.run(Session(cfg, "hello").run())


@pytest.mark.parametrize("backend,environ,path_part", [
    ("vertex", {"CLOUD_ML_REGION": "europe-west4", "ANTHROPIC_VERTEX_PROJECT_ID": "proj-1",
                "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1"}, "/projects/proj-1/locations/"),
    ("bedrock", {"AWS_REGION": "eu-west-1", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1"}, "/model/"),
    ("anthropic", {"ANTHROPIC_API_KEY": "scripted"}, "/v1/messages"),
])
def test_the_cli_calls_the_chosen_backend(tmp_path, backend, environ, path_part):
    with FakeAnthropicAPI([{"say": "scripted"}]) as fake:
        url_var = {"vertex": "ANTHROPIC_VERTEX_BASE_URL", "bedrock": "ANTHROPIC_BEDROCK_BASE_URL",
                   "anthropic": "ANTHROPIC_BASE_URL"}[backend]
        _run(tmp_path, backend, {**environ, url_var: fake.url})
        paths = [r["path"] for r in fake.requests]
    print(backend, sorted(set(paths)))
    assert paths and all(path_part in p for p in paths), paths
