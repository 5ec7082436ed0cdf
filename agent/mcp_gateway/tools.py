"""The skill scripts as typed MCP tools.

Every tool runs one skill script (agent.mcp_gateway.runner): live against the cluster the
server's kubeconfig points at, or on what the caller pasted in `dump` (kubectl get -o
yaml|json, describe text, event tables, log lines: whatever the script reads). Parameters
carry the scripts' own option names and help; values that could be read as an option
(a leading `-`) are refused by the schema, so a name never turns into a flag.
"""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

import yaml
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from agent.mcp_gateway.runner import Runner, ScriptRun

MAX_PASTE = 8_000_000
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$"
ROUTE = r"^[a-z0-9][a-z0-9.-]{0,252}(/[a-z0-9][a-z0-9.-]{0,252})?$"
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                            open_world_hint=True)
OFFLINE = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                          open_world_hint=False)

# Pastes are typed plain `str` (default "": read the live cluster): the SDK JSON-decodes a
# string argument whose annotation is anything else, which would turn a pasted
# `kubectl get -o json` into an object and refuse it.
Dump = Annotated[str, Field(
    default="", max_length=MAX_PASTE,
    description="a paste to read instead of the live cluster: kubectl get -o yaml|json "
                "output (List or multi-document), kubectl describe text, an events table "
                "or log lines. Omit it to read the live cluster.")]
Namespace = Annotated[str | None, Field(default=None, pattern=NAME,
                                        description="only this namespace")]
AllNamespaces = Annotated[bool, Field(default=False, description="every namespace")]
ShowAll = Annotated[bool, Field(default=False, description="every finding in full")]


class SkillResult(BaseModel):
    """What a skill script found: its own JSON document under `report`."""
    skill: str = Field(description="the skill whose script ran")
    script: str = Field(description="the script, under <skill>/scripts/")
    mode: Literal["live", "paste"] = Field(description="live cluster or the pasted dump")
    exit_code: int = Field(description="0 nothing found, 1 findings (the scripts' contract)")
    summary: str = Field(description="one line: what was found")
    report: dict[str, Any] = Field(description="the script's --json document "
                                               "(schema_version, findings, ...)")


Result = Annotated[CallToolResult, SkillResult]
# a tool's factory: the async tool function (closing over the runner) and its annotations
ToolFactory = tuple[Callable[..., Awaitable[CallToolResult]], ToolAnnotations]


def to_result(run: ScriptRun) -> CallToolResult:
    """Structured content plus the same JSON as text (the spec's advice for clients that
    read only text)."""
    data = SkillResult(skill=run.skill, script=run.script,
                       mode="paste" if run.mode == "paste" else "live",
                       exit_code=run.exit_code, summary=summarize(run), report=run.report)
    text = f"{data.summary}\n{json.dumps(run.report, indent=1, default=str)}"
    return CallToolResult(content=[TextContent(type="text", text=text)],
                          structured_content=data.model_dump(mode="json"))


def summarize(run: ScriptRun) -> str:
    """One line: the findings by severity, or what else the script returned.

    >>> summarize(ScriptRun("k8s-kueue", "explain_pending.py", [], 1,
    ...     {"findings": [{"severity": "error"}, {"severity": "info"}]}, "live"))
    'explain_pending.py (live): 2 findings: 1 error, 1 info'
    """
    where = f"{run.script} ({run.mode})"
    findings = run.report.get("findings")
    if isinstance(findings, list):
        if not findings:
            return f"{where}: nothing found"
        counts: dict[str, int] = {}
        for item in findings:
            counts[item.get("severity", "?")] = counts.get(item.get("severity", "?"), 0) + 1
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(),
                                                        key=lambda kv: _RANK.get(kv[0], 9)))
        return f"{where}: {len(findings)} findings: {parts}"
    if isinstance(run.report.get("objects"), list):
        return f"{where}: {len(run.report['objects'])} objects"
    return f"{where}: done"


_RANK = {"error": 0, "warning": 1, "info": 2}


def scope(namespace: str | None, all_namespaces: bool) -> list[str]:
    if namespace and all_namespaces:
        raise ToolError("give `namespace` or `all_namespaces`, not both")
    return ["-n", namespace] if namespace else (["-A"] if all_namespaces else [])


def paste_args(dump: str, flag: str = "-f") -> list[str]:
    if dump and not dump.strip():
        raise ToolError("`dump` is blank: paste kubectl output, or omit it to read the "
                        "live cluster")
    return [flag, "-"] if dump else []


def flag(on: bool, name: str) -> list[str]:
    return [name] if on else []


def option(name: str, value: Any) -> list[str]:
    """`--name=value` (the = form, so a value starting with `-` stays a value)."""
    return [] if value is None else [f"{name}={value}"]


def register(server: MCPServer, runner: Runner) -> list[str]:
    """Add the diagnosis, manifest and RBAC tools to `server`; their names."""
    tools = [explain_pending_workloads, explain_claims, check_dra, check_routes,
             analyze_traffic, triage, inspect_cluster, validate_manifests,
             generate_manifests, audit_rbac]
    for make in tools:
        fn, annotations = make(runner)
        server.add_tool(fn, annotations=annotations, structured_output=True)
    return [make.__name__ for make in tools]


# --- the tools ----------------------------------------------------------------------------
def explain_pending_workloads(runner: Runner) -> ToolFactory:
    async def explain_pending_workloads(
        name: Annotated[str | None, Field(default=None, pattern=NAME, description=(
            "a Workload or job (Job, JobSet, LWS, RayJob, PyTorchJob, TrainJob, pod "
            "group) name"))] = None,
        namespace: Namespace = None, all_namespaces: AllNamespaces = False,
        dump: Dump = "",
        limit: Annotated[int | None, Field(default=None, ge=1, le=1000, description=(
            "findings shown in full (default 5); the rest are counted"))] = None,
        show_all: ShowAll = False,
    ) -> Result:
        """Kueue (k8s-kueue explain_pending.py): why Workloads are not admitted, or admitted
        but not running: the cause, Kueue's own message, quota arithmetic, top quota holders
        and the fix. Findings marked reported (Kueue said it) come before inferred ones."""
        argv = [*scope(namespace, all_namespaces), *paste_args(dump),
                *option("--limit", limit), *flag(show_all, "--all"), *([name] if name else [])]
        return to_result(await runner.run("k8s-kueue", "explain_pending.py", argv, dump))
    return explain_pending_workloads, READ_ONLY


def explain_claims(runner: Runner) -> ToolFactory:
    async def explain_claims(
        name: Annotated[str | None, Field(default=None, pattern=NAME,
                                          description="a pod or ResourceClaim name")] = None,
        namespace: Namespace = None, all_namespaces: AllNamespaces = False,
        dump: Dump = "",
        show_all: Annotated[bool, Field(default=False,
                                        description="list every allocated claim too")] = False,
    ) -> Result:
        """DRA (k8s-dra explain_claim.py): why a ResourceClaim, or a pod's claims, is not
        allocated: what the scheduler, kubelet or driver reported first, then what the
        DeviceClasses, ResourceSlices and requests imply."""
        argv = [*scope(namespace, all_namespaces), *paste_args(dump),
                *flag(show_all, "--all"), *([name] if name else [])]
        return to_result(await runner.run("k8s-dra", "explain_claim.py", argv, dump))
    return explain_claims, READ_ONLY


def check_dra(runner: Runner) -> ToolFactory:
    async def check_dra(
        dump: Dump = "",
        kueue_config: Annotated[str, Field(default="", max_length=1_000_000,
            description="Kueue Configuration YAML (or its ConfigMap) to check "
                        "deviceClassMappings against the DeviceClasses")] = "",
        list_node_devices: Annotated[bool, Field(default=False,
                                                 description="list devices per node")] = False,
    ) -> Result:
        """DRA readiness (k8s-dra check_dra.py): the resource.k8s.io API, DeviceClasses,
        drivers publishing ResourceSlices, devices per node, Kueue's class mappings."""
        with tempfile.TemporaryDirectory(prefix="mcp-dra-") as folder:
            argv = [*paste_args(dump), *flag(list_node_devices, "--nodes")]
            if kueue_config:
                path = Path(folder) / "kueue-config.yaml"
                path.write_text(kueue_config, encoding="utf-8")
                argv += ["--kueue-config", str(path)]
            return to_result(await runner.run("k8s-dra", "check_dra.py", argv, dump))
    return check_dra, READ_ONLY


def check_routes(runner: Runner) -> ToolFactory:
    async def check_routes(
        namespace: Namespace = None, all_namespaces: AllNamespaces = False,
        route: Annotated[str | None, Field(default=None, pattern=ROUTE,
                                           description="only this route: NAMESPACE/NAME or "
                                                       "NAME")] = None,
        dump: Dump = "",
        verbose: Annotated[bool, Field(default=False,
                                       description="every finding, info included")] = False,
    ) -> Result:
        """Gateway API and Inference Extension (k8s-gateway-gaie check_routes.py): routes,
        Gateways and InferencePools that silently drop traffic: the conditions and events the
        controllers wrote first, then what the specs imply."""
        argv = [*scope(namespace, all_namespaces), *paste_args(dump),
                *option("--route", route), *flag(verbose, "-v")]
        return to_result(await runner.run("k8s-gateway-gaie", "check_routes.py", argv, dump))
    return check_routes, READ_ONLY


def analyze_traffic(runner: Runner) -> ToolFactory:
    async def analyze_traffic(
        metrics: Annotated[str, Field(default="", max_length=MAX_PASTE, description=(
            "one metrics document: Prometheus HTTP API JSON (query or query_range) or a "
            "text exposition scrape"))] = "",
        metrics_by_pod: Annotated[dict[str, str] | None, Field(default=None, description=(
            "text exposition scrapes keyed by pod name (curl http://POD:8000/metrics), "
            "one per pod"))] = None,
        pool: Annotated[str | None, Field(default=None, pattern=NAME, description=(
            "InferencePool / model server name for the report"))] = None,
        route: Annotated[str | None, Field(default=None, pattern=NAME,
                                           description="HTTPRoute name for weight advice")] = None,
        kv_target: Annotated[float | None, Field(default=None, gt=0, le=1, description=(
            "KV-cache usage to size for (default 0.8)"))] = None,
        kv_high: Annotated[float | None, Field(default=None, gt=0, le=1, description=(
            "KV-cache usage that counts as saturated (default 0.9)"))] = None,
        queue_threshold: Annotated[float | None, Field(default=None, ge=0, description=(
            "waiting requests per pod that count as saturated (default 1)"))] = None,
        spike_factor: Annotated[float | None, Field(default=None, gt=1, description=(
            "latency over factor x baseline is a spike (default 2)"))] = None,
        spike_floor: Annotated[float | None, Field(default=None, ge=0, description=(
            "...and at least this many seconds over it (default 0.5)"))] = None,
        error_threshold: Annotated[float | None, Field(default=None, gt=0, le=1, description=(
            "error ratio that counts as high (default 0.01)"))] = None,
        quantile: Annotated[float | None, Field(default=None, gt=0, lt=1, description=(
            "latency quantile from histograms (default 0.99)"))] = None,
    ) -> Result:
        """LLM serving traffic (k8s-gateway-gaie analyze_traffic.py): latency spikes,
        queue and KV-cache saturation, error hot spots; recommends replicas, route weights
        and InferencePool settings with the numbers behind them. Reads metrics you pass; a
        missing metric is reported, never guessed."""
        if not metrics and not metrics_by_pod:
            raise ToolError("pass `metrics` (one document) or `metrics_by_pod`")
        with tempfile.TemporaryDirectory(prefix="mcp-traffic-") as folder:
            argv = ["-f", "-"] if metrics else []
            for pod, text in sorted((metrics_by_pod or {}).items()):
                if not _is_name(pod):
                    raise ToolError(f"metrics_by_pod: {pod[:80]!r} is not a pod name")
                path = Path(folder) / f"{pod}.txt"
                path.write_text(text, encoding="utf-8")
                argv += ["-f", str(path)]
            argv += [*option("--pool", pool), *option("--route", route),
                     *option("--kv-target", kv_target), *option("--kv-high", kv_high),
                     *option("--queue-threshold", queue_threshold),
                     *option("--spike-factor", spike_factor),
                     *option("--spike-floor", spike_floor),
                     *option("--error-threshold", error_threshold),
                     *option("--quantile", quantile)]
            run = await runner.run("k8s-gateway-gaie", "analyze_traffic.py", argv,
                                   metrics or "")
            return to_result(ScriptRun(**{**run.__dict__, "mode": "paste"}))
    return analyze_traffic, OFFLINE


def triage(runner: Runner) -> ToolFactory:
    async def triage(
        name: Annotated[str | None, Field(default=None, pattern=NAME, description=(
            "only findings about this pod, workload, PVC or node"))] = None,
        namespace: Namespace = None, all_namespaces: AllNamespaces = False,
        selector: Annotated[str, Field(default="", max_length=1000, description=(
            "label selector for pods (k=v,k!=v,k,!k)"))] = "",
        dump: Dump = "",
        limit: Annotated[int | None, Field(default=None, ge=1, le=1000, description=(
            "findings shown in full (default 8); the rest are counted by cause"))] = None,
        show_all: ShowAll = False,
        fetch_logs: Annotated[bool, Field(default=True, description=(
            "live: fetch previous container logs for crash findings"))] = True,
    ) -> Result:
        """Pods and nodes (k8s-troubleshooting triage.py): what is broken in a namespace,
        selector or cluster and why: findings grouped by workload, worst first, each with
        the decisive event or condition and the fix. Secret values are never read out."""
        argv = [*scope(namespace, all_namespaces), *option("--selector", selector or None),
                *paste_args(dump), *option("--limit", limit), *flag(show_all, "--all"),
                *flag(not fetch_logs, "--no-logs"), *([name] if name else [])]
        return to_result(await runner.run("k8s-troubleshooting", "triage.py", argv, dump))
    return triage, READ_ONLY


def inspect_cluster(runner: Runner) -> ToolFactory:
    async def inspect_cluster(
        view: Annotated[Literal["pods", "nodes", "events", "logs"], Field(description=(
            "pods: status, restarts, node; nodes: capacity and free CPU, memory, GPUs, DRA "
            "devices, taints; events: Warning events deduplicated; logs: one pod's last "
            "lines (secrets redacted)"))],
        pod: Annotated[str | None, Field(default=None, pattern=NAME,
                                         description="logs: the pod name")] = None,
        namespace: Namespace = None, all_namespaces: AllNamespaces = False,
        container: Annotated[str | None, Field(default=None, pattern=NAME,
                                               description="logs: container name")] = None,
        previous: Annotated[bool, Field(default=False, description=(
            "logs of the previous (crashed) container"))] = False,
        tail: Annotated[int | None, Field(default=None, ge=1, le=5000,
                                          description="logs: lines (default 40)")] = None,
        budget: Annotated[int | None, Field(default=None, ge=200, le=200_000, description=(
            "maximum characters of output (default 4000)"))] = None,
        dump: Dump = "",
    ) -> Result:
        """Compact, budgeted views (k8s-troubleshooting inspect_cluster.py) for "show me
        pods / nodes / events / logs"; each view says what it left out."""
        if view == "logs" and not pod:
            raise ToolError("view logs needs `pod`")
        argv = [view, *([pod] if pod else []), *scope(namespace, all_namespaces),
                *paste_args(dump), *option("--container", container),
                *flag(previous, "--previous"), *option("--tail", tail),
                *option("--budget", budget)]
        return to_result(await runner.run("k8s-troubleshooting", "inspect_cluster.py",
                                          argv, dump))
    return inspect_cluster, READ_ONLY


def validate_manifests(runner: Runner) -> ToolFactory:
    async def validate_manifests(
        manifests: Annotated[str, Field(min_length=1, max_length=MAX_PASTE, description=(
            "the manifests: multi-document YAML, JSON or a List (helm template output "
            "works)"))],
        kube_version: Annotated[str | None, Field(default=None, pattern=r"^1\.\d{1,2}$",
            description="target Kubernetes version for removed/deprecated API checks "
                        "(default 1.37)")] = None,
        fail_on: Annotated[Literal["error", "warning", "info"], Field(
            default="warning", description="lowest severity that makes exit_code 1")] = "warning",
        allow_unknown: Annotated[bool, Field(default=False, description=(
            "report kinds without a schema as a warning instead of an error "
            "(third-party CRDs)"))] = False,
        live_objects: Annotated[str, Field(default="", max_length=MAX_PASTE,
            description="the objects as they are in the cluster (kubectl get -o yaml): "
                        "validates the manifests as an update of them (immutable fields, "
                        "CEL transition rules)")] = "",
        show_all: ShowAll = False,
    ) -> Result:
        """Offline validation (k8s-manifests validate_manifest.py): schema (Kubernetes,
        Kueue, JobSet, LWS, Gateway API, Inference Extension), CEL rules, the apiserver's
        Go validation and Kueue's webhooks, then best practice. The server's
        `kubectl apply --dry-run=server` stays the final word."""
        with tempfile.TemporaryDirectory(prefix="mcp-validate-") as folder:
            argv = ["-f", "-", "--fail-on", fail_on, *option("--kube-version", kube_version),
                    *flag(allow_unknown, "--allow-unknown"), *flag(show_all, "--all")]
            if live_objects:
                path = Path(folder) / "live.yaml"
                path.write_text(live_objects, encoding="utf-8")
                argv += ["--live", str(path)]
            run = await runner.run("k8s-manifests", "validate_manifest.py", argv, manifests)
            return to_result(run)
    return validate_manifests, OFFLINE


SHAPES = Literal["deployment", "statefulset", "job", "service", "configmap", "pdb", "hpa",
                 "llm-inference", "training-job"]
OPTION_NAME = r"^[a-z][a-z0-9_]{0,40}$"


def generate_manifests(runner: Runner) -> ToolFactory:
    async def generate_manifests(
        shape: Annotated[SHAPES, Field(description=(
            "deployment | statefulset | job (need image); service | configmap | pdb | hpa; "
            "llm-inference (vLLM-style GPU Deployment + Service); training-job (indexed "
            "Job, Kueue queue label, rendezvous Service)"))],
        name: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
                                   description="object name (also app.kubernetes.io/name)")],
        image: Annotated[str | None, Field(default=None, max_length=500, description=(
            "container image with a pinned tag or digest"))] = None,
        namespace: Namespace = None,
        port: Annotated[int | None, Field(default=None, ge=1, le=65535, description=(
            "container port (enables probes and the Service)"))] = None,
        replicas: Annotated[int | None, Field(default=None, ge=0, le=10000)] = None,
        gpus: Annotated[int | None, Field(default=None, ge=0, le=64,
                                          description="GPUs per pod (request = limit)")] = None,
        queue: Annotated[str | None, Field(default=None, max_length=63, description=(
            "Kueue LocalQueue name: adds the queue label and suspend: true"))] = None,
        model: Annotated[str | None, Field(default=None, max_length=300, description=(
            "llm-inference: model id passed to the server"))] = None,
        world_size: Annotated[int | None, Field(default=None, ge=1, le=10000, description=(
            "training-job: pods (= completions = parallelism)"))] = None,
        companions: Annotated[list[Literal["service", "pdb", "hpa"]] | None, Field(
            default=None, description="deployment/statefulset: companions to add")] = None,
        env: Annotated[dict[str, str] | None, Field(default=None,
                                                    description="environment variables")] = None,
        options: Annotated[dict[str, str | int | float | bool] | None, Field(
            default=None, description=(
                "any other generate.py option by its snake_case name, e.g. cpu, memory, "
                "health_path, indexed, completions, min_available, service_type, storage, "
                "model_cache, shm_size, script (see the k8s-manifests skill)"))] = None,
    ) -> Result:
        """Hardened manifests (k8s-manifests generate.py): requests and limits, probes when
        a port is known, recommended labels, a restricted securityContext. Nothing is
        applied: review, validate, then `kubectl apply --dry-run=server`."""
        spec: dict[str, Any] = {"shape": shape, "name": name}
        for key, value in (("image", image), ("namespace", namespace), ("port", port),
                           ("replicas", replicas), ("gpus", gpus), ("queue", queue),
                           ("model", model), ("world_size", world_size)):
            if value is not None:
                spec[key] = value
        if companions:
            spec["with"] = ",".join(companions)
        if env:
            spec["env"] = [f"{k}={v}" for k, v in env.items()]
        for key, extra in (options or {}).items():
            if not _is_option(key) or key in spec or key in ("shape", "output", "spec"):
                raise ToolError(f"options: {key[:60]!r} is not a generate.py option here")
            spec[key] = extra
        run = await runner.run("k8s-manifests", "generate.py", ["-f", "-"],
                               yaml.safe_dump(spec, sort_keys=False))
        return to_result(run)
    return generate_manifests, OFFLINE


def audit_rbac(runner: Runner) -> ToolFactory:
    async def audit_rbac(
        dump: Annotated[str, Field(default="", max_length=MAX_PASTE, description=(
            "a paste: kubectl get clusterroles,clusterrolebindings,roles,rolebindings,"
            "serviceaccounts -A -o yaml, describe output, events and/or the Forbidden "
            "error text. Omit it to audit the live cluster's RBAC."))] = "",
        denied: Annotated[list[str] | None, Field(default=None, max_length=20, description=(
            "Forbidden error messages to explain (without a dump: against the live "
            "cluster's RBAC)"))] = None,
        namespace: Namespace = None,
        include_defaults: Annotated[bool, Field(default=False, description=(
            "also audit built-in roles (cluster-admin, system:*)"))] = False,
        show_all: ShowAll = False,
    ) -> Result:
        """RBAC (k8s-rbac audit_rbac.py): why a request was denied, who can do what, and
        which grants are risky (wildcards, cluster-admin bindings, readable Secrets,
        escalation verbs, pod exec)."""
        argv = [*paste_args(dump), *option("--namespace", namespace),
                *flag(include_defaults, "--include-defaults"), *flag(show_all, "--all")]
        for message in denied or []:
            argv.append(f"--denied={message}")
        return to_result(await runner.run("k8s-rbac", "audit_rbac.py", argv, dump))
    return audit_rbac, READ_ONLY


def _is_name(value: str) -> bool:
    return bool(re.match(NAME, value))


def _is_option(value: str) -> bool:
    return bool(re.match(OPTION_NAME, value))
