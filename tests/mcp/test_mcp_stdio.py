"""`k8s-skills mcp` over stdio, driven by the official MCP client (mcp.ClientSession) as
Claude Code would start it. No cluster: every tool reads a paste.

The pastes are real captures (the local cluster's real node and Kueue, the kubelet's and the
scheduler's own messages; see each file's header). A tool must return exactly what its skill
script says on the same paste (the server is a transport, never a second opinion), and the
cause the capture was made for.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import sys

import anyio
import pytest

from tests.mcp.client import ROOT, stdio_session

RES = ROOT / "tests" / "resources"
SKILLS = ROOT / "skills"
TOOLS = {"explain_pending_workloads", "explain_claims", "check_dra", "check_routes",
         "analyze_traffic", "triage", "inspect_cluster", "validate_manifests",
         "generate_manifests", "audit_rbac", "propose_change"}


def run(coro_fn, *args, **kwargs):
    return anyio.run(lambda: coro_fn(*args, **kwargs))


async def _with_session(body, *server_args, env=None):
    async with stdio_session(*server_args, env=env) as session:
        return await body(session)


def call_all(calls: list[tuple[str, dict]], *server_args, env=None) -> list:
    async def body(session):
        return [await session.call_tool(name, args) for name, args in calls]
    return anyio.run(lambda: _with_session(body, *server_args, env=env))


def script_run(skill: str, script: str, argv: list[str], stdin: str = "") -> tuple[int, dict]:
    done = subprocess.run([sys.executable, str(SKILLS / skill / "scripts" / script), *argv,
                           "--json"], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=tempfile.gettempdir())
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def script_report(skill: str, script: str, argv: list[str], stdin: str = "") -> dict:
    return script_run(skill, script, argv, stdin)[1]


def causes(report: dict) -> set[str]:
    return {f["cause"] for f in report.get("findings", [])}


@pytest.fixture(scope="module")
def listing():
    async def body(session):
        return ((await session.list_tools()).tools, (await session.list_resources()).resources,
                (await session.list_prompts()).prompts)
    return anyio.run(lambda: _with_session(body))


def test_tools_are_listed_with_typed_schemas(listing):
    tools = {t.name: t for t in listing[0]}
    assert set(tools) == TOOLS
    for tool in tools.values():
        props = tool.input_schema["properties"]
        assert tool.description and len(tool.description) > 60, tool.name
        assert tool.output_schema and "properties" in tool.output_schema, tool.name
        undocumented = [p for p, s in props.items()
                        if p not in ("target", "verify") and not s.get("description")]
        assert not undocumented or tool.name == "generate_manifests" and \
            undocumented == ["replicas"], (tool.name, undocumented)
        assert tool.annotations.read_only_hint is (tool.name != "propose_change")
    # the scripts' own option names and constraints, typed
    assert tools["inspect_cluster"].input_schema["required"] == ["view"]
    assert tools["inspect_cluster"].input_schema["properties"]["view"]["enum"] == \
        ["pods", "nodes", "events", "logs"]
    assert tools["validate_manifests"].input_schema["required"] == ["manifests"]
    assert tools["triage"].input_schema["properties"]["namespace"]["anyOf"][0]["pattern"]
    assert set(tools["propose_change"].input_schema["required"]) == {"summary", "reason",
                                                                     "target"}


def test_references_are_resources_and_decision_trees_prompts(listing):
    _, resources, prompts = listing
    uris = {str(r.uri) for r in resources}
    expected = {f"skill://{p.parent.parent.name}/references/{p.name}"
                for p in SKILLS.glob("k8s-*/references/*.md")}
    assert uris == expected
    assert {p.name for p in prompts} == {p.name for p in SKILLS.glob("k8s-*")}

    async def body(session):
        ref = await session.read_resource("skill://k8s-kueue/references/causes.md")
        tree = await session.get_prompt("k8s-troubleshooting",
                                        {"problem": "pod stuck in CrashLoopBackOff"})
        return ref, tree
    ref, tree = anyio.run(lambda: _with_session(body))
    assert ref.contents[0].text == (SKILLS / "k8s-kueue/references/causes.md").read_text()
    text = tree.messages[0].content.text
    skill_md = (SKILLS / "k8s-troubleshooting/SKILL.md").read_text()
    tree_section = skill_md[skill_md.index("## Decision tree"):]
    tree_section = tree_section[:tree_section.index("\n## ", 5)].strip()
    assert tree_section in text and text.endswith("pod stuck in CrashLoopBackOff")


CASES = [  # tool, arguments (dump file inlined), skill, script, argv, expected causes
    ("explain_pending_workloads", {"dump": "kueue/live/quota_causes_and_fix.yaml"},
     "k8s-kueue", "explain_pending.py", ["-f", "-"], {"quota_exhausted"}),
    ("explain_claims", {"dump": "dra/explain/no-matching.yaml"},
     "k8s-dra", "explain_claim.py", ["-f", "-"], {"device_class_not_in_dump"}),
    ("check_dra", {"dump": "dra/check/ghost-class.yaml",
                   "kueue_config": "dra/check/kueue-config.yaml"},
     "k8s-dra", "check_dra.py", ["-f", "-", "--kueue-config",
                                  str(RES / "dra/check/kueue-config.yaml")],
     {"kueue_class_unmapped"}),
    ("check_routes", {"dump": "gateway/routes/envoy_port_not_found.yaml"},
     "k8s-gateway-gaie", "check_routes.py", ["-f", "-"], {"port_mismatch"}),
    ("analyze_traffic", {"metrics": "gateway/metrics/saturated.txt"},
     "k8s-gateway-gaie", "analyze_traffic.py", ["-f", "-"], {"kv_cache_saturation"}),
    ("triage", {"dump": "troubleshooting/crash_loop.yaml"},
     "k8s-troubleshooting", "triage.py", ["-f", "-"], {"crash_loop"}),
    ("validate_manifests", {"manifests": "manifests/schema-errors.yaml"},
     "k8s-manifests", "validate_manifest.py", ["-f", "-"], {"schema_violation"}),
    ("audit_rbac", {"dump": "rbac/risky-rbac.yaml"},
     "k8s-rbac", "audit_rbac.py", ["-f", "-"], {"wildcard_verbs", "cluster_admin_binding"}),
]


def _inline(args: dict) -> dict:
    return {k: (RES / v).read_text() if isinstance(v, str) and "/" in v else v
            for k, v in args.items()}


def test_each_tool_returns_its_scripts_findings_on_a_paste(tmp_path):
    audit = tmp_path / "audit.jsonl"
    results = call_all([(tool, _inline(args)) for tool, args, *_ in CASES],
                       "--audit-log", str(audit))
    for (tool, args, skill, script, argv, expected), result in zip(CASES, results):
        assert not result.is_error, (tool, result.content[0].text[:300])
        data = result.structured_content
        assert (data["skill"], data["script"], data["mode"]) == (skill, script, "paste")
        paste = _inline(args).get("dump") or _inline(args).get("metrics") or \
            _inline(args).get("manifests")
        code, direct = script_run(skill, script, argv, paste)
        assert causes(data["report"]) == causes(direct), tool
        assert expected <= causes(data["report"]), tool
        assert data["exit_code"] == code, tool
        # text for clients that read only text: the summary, then the same JSON
        text = result.content[0].text
        assert text.startswith(f"{script} (paste): ") and \
            json.loads(text.split("\n", 1)[1]) == data["report"]
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [r["mcp_target"] for r in records] == [c[0] for c in CASES]
    assert all(r["source"] == "mcp" and r["result"] == "ok" and r["transport"] == "stdio"
               and "dump" not in json.dumps(r).replace('"dump"', "") for r in records)


def test_inspect_and_generate():
    pods, generated, logs = call_all([
        ("inspect_cluster", {"view": "pods",
                             "dump": (RES / "troubleshooting/crash_loop.yaml").read_text()}),
        ("generate_manifests", {"shape": "training-job", "name": "llama-ft", "gpus": 8,
                                "world_size": 4, "queue": "team-a",
                                "options": {"shm_size": "16Gi"}}),
        ("inspect_cluster", {"view": "logs"}),
    ])
    assert "ts-dev/crash  CrashLoopBackOff" in pods.structured_content["report"]["text"]
    objects = generated.structured_content["report"]["objects"]
    job = next(o for o in objects if o["kind"] == "Job")
    assert job["spec"]["completions"] == job["spec"]["parallelism"] == 4
    assert job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a"
    direct = script_report("k8s-manifests", "generate.py",
                           ["training-job", "--name", "llama-ft", "--gpus", "8",
                            "--world-size", "4", "--queue", "team-a", "--shm-size", "16Gi"])
    assert objects == direct["objects"]
    assert logs.is_error and logs.content[0].text.endswith("inspect_cluster: view logs needs `pod`")


BAD = [  # arguments that must come back as a tool error (isError), with what it says
    ("triage", {"namespace": "--all-namespaces"}, "should match pattern"),
    ("triage", {"namespace": "a", "all_namespaces": True}, "not both"),
    ("triage", {"dump": "   "}, "`dump` is blank"),
    ("triage", {"dump": "hello: [unclosed"}, "triage.py: error:"),
    ("explain_claims", {"name": "x; rm -rf /"}, "should match pattern"),
    ("inspect_cluster", {"view": "secrets"}, "Input should be"),
    ("validate_manifests", {}, "manifests"),
    ("validate_manifests", {"manifests": "kind: [", "fail_on": "error"}, "validate_manifest.py"),
    ("generate_manifests", {"shape": "job", "name": "Bad_Name"}, "should match pattern"),
    ("generate_manifests", {"shape": "job", "name": "etl", "options": {"output": "/etc/x"}},
     "not a generate.py option"),
    ("generate_manifests", {"shape": "job", "name": "etl"}, "generate.py"),
    ("analyze_traffic", {}, "pass `metrics`"),
    ("analyze_traffic", {"metrics": "{\"not\": \"metrics\"}"}, "analyze_traffic.py"),
    ("analyze_traffic", {"metrics_by_pod": {"../../etc/passwd": "x 1"}}, "not a pod name"),
    ("audit_rbac", {"denied": "not a list"}, "list"),
    ("propose_change", {"summary": "s", "reason": "r", "target": {"apiVersion": "v1",
                        "kind": "ConfigMap", "name": "c"}, "patch": {"data": {}}},
     "no agent service configured"),
    ("no_such_tool", {}, "Unknown tool"),
]


def test_bad_arguments_come_back_as_tool_errors():
    results = call_all([(tool, args) for tool, args, _ in BAD])
    for (tool, args, says), result in zip(BAD, results):
        text = result.content[0].text
        assert result.is_error, (tool, args, text[:200])
        assert says in text, (tool, args, text[:300])
        assert "Traceback" not in text


def test_the_server_survives_bad_calls_and_keeps_answering():
    """One session: errors in between never end the server."""
    async def body(session):
        first = await session.call_tool("triage", {"dump": "not: [yaml"})
        second = await session.call_tool("triage", {
            "dump": (RES / "troubleshooting/crash_loop.yaml").read_text()})
        return first, second
    first, second = anyio.run(lambda: _with_session(body))
    assert first.is_error and not second.is_error
    assert "crash_loop" in causes(second.structured_content["report"])


def test_cli_bad_flags_are_one_line_exit_2():
    done = subprocess.run([sys.executable, "-m", "harness.cli", "mcp", "--skills-dir",
                           "/nonexistent"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: skills folder /nonexistent does not exist: pass --skills-dir"]


def test_json_pastes_stay_strings():
    """kubectl get -o json and Prometheus JSON are pasted as text; the SDK JSON-decodes
    string arguments not typed plain `str`, so the paste parameters must be plain `str`."""
    import yaml
    as_json = json.dumps(yaml.safe_load((RES / "troubleshooting/crash_loop.yaml").read_text()))
    prom = (RES / "gateway/metrics/latency_spike_range.json").read_text()
    triaged, traffic = call_all([("triage", {"dump": as_json}),
                                 ("analyze_traffic", {"metrics": prom})])
    assert not triaged.is_error and "crash_loop" in causes(triaged.structured_content["report"])
    assert not traffic.is_error
    assert causes(traffic.structured_content["report"]) == causes(
        script_report("k8s-gateway-gaie", "analyze_traffic.py", ["-f", "-"], prom))
    assert "latency_spike" in causes(traffic.structured_content["report"])
