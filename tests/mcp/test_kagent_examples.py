"""deploy/kagent against kagent's published resource definitions (kagent.dev/v1alpha2 at the
pinned commit, tests/mcp/kagent_crds.py): the schema here, the real apiserver's server-side
dry-run (structural schema, defaults, CEL rules, strict field validation) in the live test."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml

from agent.mcp_gateway import server
from tests.mcp import kagent_crds

ROOT = kagent_crds.ROOT
EXAMPLES = sorted((ROOT / "deploy" / "kagent").glob("*.yaml"))


def objects() -> list[dict]:
    return [doc for path in EXAMPLES for doc in yaml.safe_load_all(path.read_text()) if doc]


def kagent_objects() -> list[dict]:
    return [o for o in objects() if o["apiVersion"].startswith("kagent.dev/")]


def test_the_examples_use_kagent_v1alpha2_and_match_its_schema():
    found = kagent_objects()
    assert sorted(o["kind"] for o in found) == ["Agent", "RemoteMCPServer"]
    for obj in found:
        assert obj["apiVersion"] == f"kagent.dev/{kagent_crds.VERSION}"
        schema = kagent_crds.schema(obj["kind"])
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(obj), key=str)
        assert not errors, [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_the_schema_refuses_what_kagent_refuses():
    """The check can fail: a wrong protocol and a missing required field are errors."""
    rmcp = next(o for o in kagent_objects() if o["kind"] == "RemoteMCPServer")
    schema = kagent_crds.schema("RemoteMCPServer")
    bad = json.loads(json.dumps(rmcp))
    bad["spec"]["protocol"] = "HTTP"
    del bad["spec"]["url"]
    messages = {e.message for e in jsonschema.Draft7Validator(schema).iter_errors(bad)}
    assert any("'HTTP' is not one of" in m for m in messages)
    assert "'url' is a required property" in messages


def test_the_agent_names_exactly_the_servers_tools_and_the_skills():
    agent = next(o for o in kagent_objects() if o["kind"] == "Agent")
    tool = agent["spec"]["declarative"]["tools"][0]["mcpServer"]
    mcp = server.build(server.GatewayConfig())
    import anyio
    names = {t.name for t in anyio.run(mcp.list_tools)}
    assert set(tool["toolNames"]) == names
    assert tool["requireApproval"] == ["propose_change"]
    rmcp = next(o for o in kagent_objects() if o["kind"] == "RemoteMCPServer")
    assert tool["name"] == rmcp["metadata"]["name"]
    assert rmcp["spec"]["url"].endswith(":8090/mcp")  # the SDK's streamable HTTP path
    paths = {ref["path"] for ref in agent["spec"]["skills"]["gitRefs"]}
    assert paths == {f"skills/{p.name}" for p in (ROOT / "skills").glob("k8s-*")}


def test_the_compiled_schema_matches_the_pinned_kagent():
    source = os.environ.get("K8S_SKILLS_KAGENT_SRC", "")
    if not source or not Path(source).exists():
        pytest.skip("no kagent checkout (set K8S_SKILLS_KAGENT_SRC): kagent is not on the Go "
                    "module proxy, so the pinned CRDs cannot be fetched here")
    assert kagent_crds.compile_from(Path(source)) == kagent_crds.compiled(), (
        "tests/resources/kagent/crds.compiled.json is stale: run "
        "python -m tests.mcp.kagent_crds --write $K8S_SKILLS_KAGENT_SRC")
