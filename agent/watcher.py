"""The proactive watcher (leader only): one shared watch cache over the resources the skills
diagnose, the skills' own scripts as the diagnosis, and findings published once a problem
has lasted `pending_minutes`.

- Debounced: a diagnosis pass runs at most every `diagnose_every` seconds, and a skill's
  script runs only when a kind it reads changed since its last pass.
- Deduplicated: a finding's identity is (skill, cause, object); its Finding resource is
  named by a digest of that, so a new leader never republishes what an old one published.
  A published finding that a later pass no longer reports is marked Resolved.
- Published: the Finding resource (every replica's GET /v1/findings/stream shows it), and a
  POST to the operator's webhook when one is set.
- Claude only summarises a new finding, within `summary_tokens_per_hour` (counted from the
  Finding resources themselves, so the budget survives a change of leader). A summary never
  holds up publishing: the budget is decided in publication order as the finding is
  published, and the summary is asked in the background by at most `summary_workers`
  threads, oldest first; it is written into the Finding as it stands when it arrives.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from agent.informer import Informer, discover, wait_synced
from agent.store import FINDINGS, Conflict, digest_name, now

if TYPE_CHECKING:
    from agent.kube import Kube
    from agent.service import AgentService

log = logging.getLogger("k8s-agent.watcher")

WATCHED = [("Pod", "", "pods"), ("Event", "", "events"), ("Node", "", "nodes"),
           ("Workload", "kueue.x-k8s.io", "workloads"),
           ("ClusterQueue", "kueue.x-k8s.io", "clusterqueues"),
           ("LocalQueue", "kueue.x-k8s.io", "localqueues"),
           ("ResourceClaim", "resource.k8s.io", "resourceclaims"),
           ("HTTPRoute", "gateway.networking.k8s.io", "httproutes"),
           ("InferencePool", "inference.networking.k8s.io", "inferencepools")]


@dataclass(frozen=True)
class Diagnosis:
    skill: str
    script: str
    triggers: frozenset[str]      # a change to one of these kinds re-runs the script
    reads: frozenset[str]         # kinds put into its dump
    args: tuple[str, ...] = ("-A", "--json")


DIAGNOSES = (
    Diagnosis("k8s-troubleshooting", "triage.py", frozenset({"Pod"}),
              frozenset({"Pod", "Event", "Node"}), ("-A", "--json", "--all")),
    Diagnosis("k8s-kueue", "explain_pending.py", frozenset({"Workload", "ClusterQueue"}),
              frozenset({"Workload", "ClusterQueue", "LocalQueue", "Pod", "Event", "Node"}),
              ("-A", "--json", "--all")),
    Diagnosis("k8s-dra", "explain_claim.py", frozenset({"ResourceClaim"}),
              frozenset({"ResourceClaim", "Pod", "Event", "Node"})),
    Diagnosis("k8s-gateway-gaie", "check_routes.py", frozenset({"HTTPRoute", "InferencePool"}),
              frozenset({"HTTPRoute", "InferencePool", "Event"})),
)
SEVERE = {"error", "warning"}


class Watcher:
    def __init__(self, service: AgentService, stop: threading.Event) -> None:
        self.service = service
        self.settings = service.settings
        self._stop = threading.Event()
        self._outer = stop
        self.informers: dict[str, Informer] = {}
        self.dirty: set[str] = set()
        self._dirty_lock = threading.Lock()
        self.first_seen: dict[str, float] = {}
        self.passes = 0
        self.summariser = Summariser(service)

    def stop(self) -> None:
        self._stop.set()
        self.summariser.close()

    def stopped(self) -> bool:
        return self._stop.is_set() or self._outer.is_set()

    # --- cache ----------------------------------------------------------------------------
    def start_cache(self, kube: Kube) -> None:
        resources = discover(kube, WATCHED)
        missing = {k for k, _, _ in WATCHED} - {r.kind for r in resources}
        if missing:
            log.info("not served here, not watched: %s", ", ".join(sorted(missing)))
        stop = _Either(self._stop, self._outer)
        for resource in resources:
            informer = Informer(kube, resource, self._changed, self.settings.watch_namespaces)
            self.informers[resource.kind] = informer
            threading.Thread(target=informer.run, args=(stop,), daemon=True,
                             name=f"watch-{resource.kind}").start()

    def _changed(self, kind: str, event_type: str | None, obj: dict[str, Any] | None) -> None:
        with self._dirty_lock:
            self.dirty.add(kind)

    # --- the loop -------------------------------------------------------------------------
    def run(self) -> None:
        self.start_cache(self.service.kube)
        wait_synced(list(self.informers.values()), timeout=120)
        log.info("watcher: cache synced (%s)", ", ".join(
            f"{k} {len(i)}" for k, i in sorted(self.informers.items())))
        try:
            while not self.stopped():
                self.run_pass()
                _Either(self._stop, self._outer).wait(self.settings.diagnose_every)
        finally:
            self.summariser.close()

    def run_pass(self) -> list[dict[str, Any]]:
        """One debounced pass: the scripts whose inputs changed (or whose open findings
        are still maturing); returns the findings published in this pass."""
        with self._dirty_lock:
            dirty, self.dirty = self.dirty, set()
        published = []
        for diagnosis in DIAGNOSES:
            if not self._should_run(diagnosis, dirty):
                continue
            findings = self.diagnose(diagnosis)
            if findings is not None:
                published += self.reconcile(diagnosis, findings)
        self.passes += 1
        return published

    def _should_run(self, diagnosis: Diagnosis, dirty: set[str]) -> bool:
        if not any(self.informers.get(k) and len(self.informers[k]) for k in diagnosis.triggers):
            return False
        maturing = any(k.startswith(diagnosis.skill + "|") for k in self.first_seen)
        return bool(dirty & diagnosis.reads) or maturing

    # --- diagnosis: the skill's own script ---------------------------------------------------
    def dump(self, kinds: Iterable[str]) -> str:
        items = []
        for kind in sorted(kinds):
            informer = self.informers.get(kind)
            if informer is None:
                continue
            objects = informer.items()
            if kind == "Event":  # a diagnosis reads warnings; normal events only add bulk
                objects = [o for o in objects if o.get("type") == "Warning"]
            items += objects
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})

    def diagnose(self, diagnosis: Diagnosis) -> list[dict[str, Any]] | None:
        script = (self.service.workspace.project / ".claude" / "skills" / diagnosis.skill /
                  "scripts" / diagnosis.script)
        if not script.is_file():
            return None
        try:
            proc = subprocess.run([sys.executable, str(script), "-f", "-", *diagnosis.args],
                                  input=self.dump(diagnosis.reads), capture_output=True,
                                  text=True, timeout=300, env=_script_env())
        except subprocess.TimeoutExpired:
            log.warning("%s: no answer in 300 s", diagnosis.script)
            return None
        if proc.returncode not in (0, 1):
            log.warning("%s exited %s: %s", diagnosis.script, proc.returncode,
                        proc.stderr.strip()[:300])
            return None
        try:
            return list(json.loads(proc.stdout).get("findings") or [])
        except ValueError:
            log.warning("%s: output is not JSON", diagnosis.script)
            return None

    # --- findings: sustained, deduplicated, resolved -----------------------------------------
    def reconcile(self, diagnosis: Diagnosis, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        moment = time.time()
        sustain = self.settings.pending_minutes * 60
        current = {}
        for f in findings:
            if f.get("severity") in SEVERE and f.get("cause") not in ("not_in_dump",):
                current[finding_key(diagnosis.skill, f)] = f
        for key in [k for k in self.first_seen if k.startswith(diagnosis.skill + "|")]:
            if key not in current:
                self.first_seen.pop(key)
                self._resolve(key)
        published = []
        for key, f in current.items():
            first = self.first_seen.setdefault(key, moment)
            if moment - first >= sustain:
                if self._publish(diagnosis, key, f, first):
                    published.append(f)
        return published

    def _publish(self, diagnosis: Diagnosis, key: str, f: dict[str, Any], first: float) -> bool:
        store = self.service.store
        name = digest_name("f", key)
        o = f.get("object") or {}
        spec = {"cause": f.get("cause", ""), "severity": f.get("severity", ""),
                "skill": diagnosis.skill, "script": diagnosis.script,
                "objectRef": "/".join(p for p in (o.get("kind"), o.get("namespace"),
                                                  o.get("name")) if p),
                "object": o, "message": str(f.get("message", ""))[:4000],
                "evidence": [str(e)[:2000] for e in f.get("evidence") or []][:10],
                "fix": str(f.get("fix", ""))[:4000], "basis": f.get("basis", "")}
        status = {"state": "Open", "firstSeen": _iso(first), "publishedAt": now(),
                  "publishedBy": self.settings.identity}
        try:
            obj = store.create(FINDINGS, name, spec, status=status)
        except Conflict:
            obj = store.get(FINDINGS, name)
            if (obj.get("status") or {}).get("state") != "Resolved":
                return False  # already published: deduplicated
            obj["status"] = {**obj.get("status", {}), **status, "reopened": True}
            obj = store.replace_status(FINDINGS, obj)
        self.service.metrics.findings.labels(spec["cause"]).inc()
        self.service.audit.record("finding", f"found {spec['cause']} on {spec['objectRef']}: "
                                  f"{spec['message'][:200]}", who="watcher",
                                  signals=spec["evidence"][:3], result="published")
        self._webhook(spec, obj)
        self.summariser.summarise(obj)
        return True

    def _resolve(self, key: str) -> None:
        name = digest_name("f", key)
        try:
            obj = self.service.store.get(FINDINGS, name)
        except Exception:  # noqa: BLE001 - never published: nothing to resolve
            return
        if (obj.get("status") or {}).get("state") == "Open":
            obj["status"] = {**obj["status"], "state": "Resolved", "resolvedAt": now()}
            try:
                self.service.store.replace_status(FINDINGS, obj)
            except Conflict:
                pass

    def _webhook(self, spec: dict[str, Any], obj: dict[str, Any]) -> None:
        url = self.settings.webhook_url
        if not url:
            return
        body = json.dumps({"finding": obj["metadata"]["name"], **spec}).encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=5).close()
        except OSError as err:
            log.warning("webhook %s: %s", url, err)


class Summariser:
    """Claude writes a two-sentence summary of a new finding, if the hour's budget allows.

    `summarise` decides at once (the caller's order is the budget's order) and returns;
    the model is asked by a bounded pool of background threads, oldest finding first.
    Summaries asked but not yet written are reserved against the budget at their estimate,
    so concurrent summaries cannot overspend it.
    """

    OUTPUT_ALLOWANCE = 400

    def __init__(self, service: AgentService) -> None:
        self.service = service
        self._pool = _Pool(max(1, int(getattr(service.settings, "summary_workers", 1))),
                           "summary")
        self._lock = threading.Lock()
        self._reserved = 0
        self._asked: set[str] = set()   # findings whose summary is queued or running

    def used_last_hour(self) -> int:
        cutoff = time.time() - 3600
        used = 0
        for obj in self.service.store.list(FINDINGS):
            status = obj.get("status") or {}
            if status.get("summarizedAt") and _epoch(status["summarizedAt"]) >= cutoff:
                used += int(status.get("summaryTokens") or 0)
        return used

    def summarise(self, obj: dict[str, Any]) -> None:
        budget = self.service.settings.summary_tokens_per_hour
        name = obj["metadata"]["name"]
        prompt = summary_prompt(obj["spec"])
        estimate = len(prompt) // 4 + self.OUTPUT_ALLOWANCE
        used = self.used_last_hour() if budget > 0 else 0
        with self._lock:
            if name in self._asked:
                return  # reopened while its summary is still on the way
            used += self._reserved
            if budget > 0 and used + estimate <= budget:
                self._reserved += estimate
                self._asked.add(name)
                skipped = ""
            else:
                skipped = (f"token budget: {used} of {budget} used this hour, "
                           f"this summary needs about {estimate}")
        if skipped:
            self._record(name, {"summarySkipped": skipped})
        else:
            self._pool.submit(lambda: self._summarise(name, prompt, estimate))

    def _summarise(self, name: str, prompt: str, estimate: int) -> None:
        try:
            text, tokens = self._ask(prompt)
            self._record(name, {"summary": text, "summaryTokens": tokens,
                                "summarizedAt": now(),
                                "summaryScripted": self.service.settings.scripted})
            self.service.metrics.summary_tokens.inc(tokens)
        finally:  # written (so counted from the Finding) before the reservation ends
            with self._lock:
                self._reserved -= estimate
                self._asked.discard(name)

    def _record(self, name: str, fields: dict[str, Any]) -> None:
        """Merge `fields` into the Finding's status as it is now (the watcher may have
        resolved or reopened it meanwhile); retried on a conflicting write."""
        store = self.service.store
        for _ in range(5):
            try:
                obj = store.get(FINDINGS, name)
                obj["status"] = {**(obj.get("status") or {}), **fields}
                store.replace_status(FINDINGS, obj)
                return
            except Conflict:
                continue
            except Exception as err:  # noqa: BLE001 - a summary is optional; say why it is lost
                log.warning("summary of %s not written: %s", name, err)
                return
        log.warning("summary of %s not written: it kept changing", name)

    def wait_idle(self, timeout: float) -> bool:
        """Whether every summary asked so far was written within `timeout` seconds."""
        return self._pool.wait_idle(timeout)

    def close(self) -> None:
        """Ask nothing more; summaries already running finish on their own."""
        self._pool.close()

    def _ask(self, prompt: str) -> tuple[str, int]:
        """One model turn, no tools, through the same backend switches as asks."""
        import asyncio

        from claude_agent_sdk import ClaudeAgentOptions, ResultMessage, query

        from agent import backends
        s = self.service.settings
        env = backends.cli_env(s.backend, self.service.environ, str(self.service.workspace.home))
        options = ClaudeAgentOptions(cwd=str(self.service.workspace.home), env=env,
                                     model=s.model, max_turns=1, tools=[], allowed_tools=[],
                                     setting_sources=[])

        async def run() -> tuple[str, int]:
            text, tokens = "", 0
            async for message in query(prompt=prompt, options=options):
                if isinstance(message, ResultMessage):
                    usage = message.usage or {}
                    tokens = int(usage.get("input_tokens", 0) or 0) + int(
                        usage.get("output_tokens", 0) or 0)
                    text = message.result or ""
            return text, tokens

        try:
            return asyncio.run(asyncio.wait_for(run(), timeout=120))
        except Exception as err:  # noqa: BLE001 - a summary is optional; say why it is missing
            log.warning("summary failed: %s", err)
            return "", 0


def summary_prompt(spec: dict[str, Any]) -> str:
    evidence = "\n".join(f"- {e}" for e in spec.get("evidence") or [])
    return ("Summarise this Kubernetes finding for an on-call engineer in two sentences: "
            "what is wrong and the first thing to do. Do not invent facts.\n"
            f"cause: {spec.get('cause')}\nobject: {spec.get('objectRef')}\n"
            f"message: {spec.get('message')}\nevidence:\n{evidence}\nfix: {spec.get('fix')}")


def finding_key(skill: str, f: dict[str, Any]) -> str:
    o = f.get("object") or {}
    return "|".join([skill, str(f.get("cause", "")), str(o.get("kind", "")),
                     str(o.get("namespace", "")), str(o.get("name", ""))])


class _Pool:
    """At most `workers` daemon threads run the submitted calls, first in first out; the
    threads start with the first call, and a call still queued at close() is dropped."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers, self.name = workers, name
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False
        self._busy = 0
        self._idle = threading.Condition(self._lock)

    def submit(self, call: Callable[[], None]) -> None:
        with self._lock:
            if self._closed:
                return
            self._busy += 1
            if len(self._threads) < min(self.workers, self._busy):
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"{self.name}-{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        self._queue.put(call)

    def _work(self) -> None:
        while True:
            call = self._queue.get()
            if call is None:
                return
            try:
                if not self._closed:
                    call()
            except Exception:  # noqa: BLE001 - one failed call must not end the worker
                log.exception("%s: a background call failed", self.name)
            finally:
                with self._lock:
                    self._busy -= 1
                    self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._lock:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = len(self._threads)
        for _ in range(workers):
            self._queue.put(None)


class _Either:
    """Wait on two events at once (the watcher's own stop and the process's)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.is_set() and time.monotonic() < deadline:
            self.a.wait(min(0.5, max(0.0, deadline - time.monotonic())))
        return self.is_set()


def _script_env() -> dict[str, Any]:
    """The scripts read their dump from stdin: no kubeconfig, no cluster access at all."""
    return {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "HOME": "/nonexistent"}


def _iso(epoch: float) -> str:
    import datetime as _dt
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).isoformat(
        timespec="seconds").replace("+00:00", "Z")


def _epoch(stamp: str) -> float:
    import datetime as _dt
    try:
        return _dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0
