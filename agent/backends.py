"""Which service answers for Claude: the Anthropic API, Amazon Bedrock or Google Vertex AI.

The Claude Code CLI (bundled with the Agent SDK) reads these switches from its environment;
the names were checked in the bundled CLI (claude-agent-sdk 0.2.189, Claude Code 2.1.332):
CLAUDE_CODE_USE_BEDROCK, CLAUDE_CODE_USE_VERTEX, ANTHROPIC_BEDROCK_BASE_URL,
ANTHROPIC_VERTEX_BASE_URL, ANTHROPIC_VERTEX_PROJECT_ID, CLOUD_ML_REGION, AWS_REGION,
CLAUDE_CODE_SKIP_BEDROCK_AUTH, CLAUDE_CODE_SKIP_VERTEX_AUTH. Credentials stay where the
cloud SDKs look for them (IRSA / Workload Identity in a cluster): this module never reads
them, it only passes the variables through.

    >>> sorted(backend_env("bedrock", {"AWS_REGION": "eu-west-1"}))
    ['AWS_REGION', 'CLAUDE_CODE_USE_BEDROCK']
"""
from __future__ import annotations

from typing import Mapping
from harness.errors import UserError

# Keep the CLI on the model endpoint only, and fail fast instead of retrying for minutes.
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_TELEMETRY": "1",
         "DISABLE_ERROR_REPORTING": "1", "DISABLE_AUTOUPDATER": "1"}
PASS_THROUGH = {
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN"),
    "bedrock": ("AWS_REGION", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_BEARER_TOKEN_BEDROCK", "ANTHROPIC_BEDROCK_BASE_URL",
                "CLAUDE_CODE_SKIP_BEDROCK_AUTH"),
    "vertex": ("CLOUD_ML_REGION", "ANTHROPIC_VERTEX_PROJECT_ID", "ANTHROPIC_VERTEX_BASE_URL",
               "GOOGLE_APPLICATION_CREDENTIALS", "CLAUDE_CODE_SKIP_VERTEX_AUTH"),
}
SWITCH = {"bedrock": "CLAUDE_CODE_USE_BEDROCK", "vertex": "CLAUDE_CODE_USE_VERTEX"}
REQUIRED = {"anthropic": (("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"),),
            "bedrock": (("AWS_REGION",),),
            "vertex": (("CLOUD_ML_REGION",), ("ANTHROPIC_VERTEX_PROJECT_ID",))}


def backend_env(backend: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables the CLI needs for `backend`, taken from `environ`; a missing one is a
    UserError that names it (never its value)."""
    if backend not in PASS_THROUGH:
        raise UserError(f"backend {backend!r}: choose anthropic, bedrock or vertex")
    for alternatives in REQUIRED[backend]:
        if not any(environ.get(name) for name in alternatives):
            raise UserError(f"backend {backend} needs {' or '.join(alternatives)} in the "
                            "environment (the chart sets it from its Secret or values)")
    env = {name: environ[name] for name in PASS_THROUGH[backend] if environ.get(name)}
    if backend in SWITCH:
        env[SWITCH[backend]] = "1"
    return env


def cli_env(backend: str, environ: Mapping[str, str], home: str) -> dict[str, str]:
    """Everything the Claude Code process gets besides the shell's own settings.

    Variables of the other backends are blanked: the SDK merges `env` over the service's
    own environment, so a stray CLAUDE_CODE_USE_VERTEX would otherwise win."""
    env = {name: "" for other, names in PASS_THROUGH.items() if other != backend
           for name in names}
    env.update({name: "" for other, name in SWITCH.items() if other != backend})
    env.update(QUIET)
    env.update({"HOME": home, "CLAUDE_CONFIG_DIR": f"{home}/.claude",
                "CLAUDE_CODE_MAX_RETRIES": environ.get("CLAUDE_CODE_MAX_RETRIES", "2")})
    env.update(backend_env(backend, environ))
    return env
