"""The agent service on a real cluster, with its replicas and applier as local processes.

The Helm chart is rendered (agent.helm) and its CRDs, ServiceAccounts and RBAC are applied
for real; its Deployments are only server-side dry-run (their image cannot run here). Each
process holds a token of its own ServiceAccount (TokenRequest), exactly the identity the
chart gives its pod. Claude is played by the local fake Anthropic API with scripts chosen
by a keyword of the question: every answer is a scripted run, never a model's.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from agent import helm
from harness.evals.fake_api import FakeAnthropicAPI

ROOT = Path(__file__).resolve().parents[2]


class ScriptRouter(FakeAnthropicAPI):
    """One fake API for many scripts: the first keyword found in a request's messages
    picks the script (the fake API stays stateless per request)."""

    def __init__(self, scripts: dict[str, list[dict]], default: list[dict] | None = None):
        super().__init__(default or [{"say": "Scripted run: no script for this question."}])
        self.scripts = scripts

    def respond(self, body: dict) -> dict:
        text = json.dumps(body.get("messages", []))
        for keyword, steps in self.scripts.items():
            if keyword in text:
                return FakeAnthropicAPI(steps).respond(body)
        return super().respond(body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app, timeout: float = 30):
    """An ASGI app on a free loopback port (uvicorn in a thread); yields its base URL."""
    import threading

    import uvicorn
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


class Testbed:
    __test__ = False  # a helper, not a test class

    def __init__(self, kubectl, kubectl_env: dict, namespace: str, mode: str = "advisory",
                 write_namespaces: list[str] | None = None, values: dict | None = None,
                 release: str = "agent"):
        self.kubectl = kubectl
        self.env = dict(kubectl_env)
        self.namespace = namespace
        self.mode = mode
        self.release = release
        self.write_namespaces = write_namespaces or []
        self.values = values or {}
        self.dir = Path(tempfile.mkdtemp(prefix=f"agent-testbed-{namespace}-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.urls: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    # --- the chart, for real ------------------------------------------------------------------
    def render(self) -> list[dict]:
        values = {"mode": self.mode, "writeNamespaces": self.write_namespaces, **self.values}
        return helm.template(self.release, self.namespace, values)

    def install(self) -> list[dict]:
        objects = self.render()
        applied = [o for o in objects if o["kind"] != "Deployment"]
        self.kubectl("apply", "--server-side", "-f", "-", stdin=_as_list(applied))
        deployments = [o for o in objects if o["kind"] == "Deployment"]
        self.kubectl("apply", "--server-side", "--dry-run=server", "-f", "-",
                     stdin=_as_list(deployments))
        return objects

    def sa(self, name: str) -> str:
        return f"{self.release}-{name}"

    def token(self, serviceaccount: str, namespace: str | None = None) -> str:
        key = f"{namespace or self.namespace}/{serviceaccount}"
        if key not in self.tokens:
            self.tokens[key] = self.kubectl(
                "create", "token", serviceaccount, "-n", namespace or self.namespace,
                "--duration", "2h").stdout.strip()
        return self.tokens[key]

    def kubeconfig_for(self, serviceaccount: str) -> str:
        """A kubeconfig holding only that ServiceAccount's token (no admin credentials)."""
        admin = yaml.safe_load(Path(self.env["KUBECONFIG"]).read_text())
        cluster = admin["clusters"][0]["cluster"]
        doc = {"apiVersion": "v1", "kind": "Config", "current-context": "sa",
               "clusters": [{"name": "c", "cluster": cluster}],
               "users": [{"name": "sa", "user": {"token": self.token(serviceaccount)}}],
               "contexts": [{"name": "sa", "context": {"cluster": "c", "user": "sa"}}]}
        path = self.dir / f"{serviceaccount}.kubeconfig"
        path.write_text(yaml.safe_dump(doc))
        path.chmod(0o600)
        return str(path)

    # --- processes -----------------------------------------------------------------------------
    def process_env(self, fake_url: str) -> dict:
        env = {k: v for k, v in self.env.items() if k != "KUBECONFIG"}
        env.update({"ANTHROPIC_BASE_URL": fake_url, "ANTHROPIC_API_KEY": "scripted",
                    "CLAUDE_CODE_MAX_RETRIES": "0", "PYTHONUNBUFFERED": "1",
                    "K8S_AGENT_LEASE_NAME": f"{self.release}-watcher",
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"})
        return env

    def start_replica(self, name: str, fake_url: str, skills_dir: str, *extra: str,
                      wait: bool = True) -> str:
        port = free_port()
        argv = [sys.executable, "-m", "harness.cli", "agent", "serve",
                "--kubeconfig", self.kubeconfig_for(self.sa("server")),
                "--reader-serviceaccount", self.sa("reader"), "--namespace", self.namespace,
                "--mode", self.mode, "--identity", name, "--port", str(port),
                "--workdir", str(self.dir / name), "--skills-dir", skills_dir,
                "--audit-log", str(self.audit_log), "--scripted",
                "--lease-duration", "6", *extra]
        self._spawn(name, argv, fake_url)
        self.urls[name] = f"http://127.0.0.1:{port}"
        if wait:
            self.wait_ready(name)
        return self.urls[name]

    def start_applier(self, fake_url: str, skills_dir: str, *extra: str) -> None:
        argv = [sys.executable, "-m", "harness.cli", "agent", "applier",
                "--kubeconfig", self.kubeconfig_for(self.sa("applier")),
                "--namespace", self.namespace, "--mode", self.mode, "--identity", "applier-0",
                "--workdir", str(self.dir / "applier"), "--skills-dir", skills_dir,
                "--audit-log", str(self.audit_log), "--verify-timeout", "90", *extra]
        self._spawn("applier", argv, fake_url)

    @property
    def audit_log(self) -> Path:
        return self.dir / "audit.jsonl"

    def _spawn(self, name: str, argv: list[str], fake_url: str) -> None:
        log = open(self.dir / f"{name}.log", "w")
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=self.process_env(fake_url),
                                            stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, name: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise AssertionError(f"{name} exited: {self.log(name)[-2000:]}")
            try:
                with urllib.request.urlopen(self.urls[name] + "/readyz", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{name} not ready in {timeout}s: {self.log(name)[-2000:]}")

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)

    def lease_holder(self) -> str:
        proc = self.kubectl("get", "lease", f"{self.release}-watcher", "-n", self.namespace,
                            "-o", "jsonpath={.spec.holderIdentity}", check=False)
        return proc.stdout.strip() if proc.returncode == 0 else ""


def _as_list(objects: list[dict]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": objects})
