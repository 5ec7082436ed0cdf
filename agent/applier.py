"""The applier: the only part of the service that writes to workloads, with its own narrowly
bound identity (the k8s-rbac role of the mode: semi-autonomous or operator).

For each Proposal, by phase:
  Proposed   server-side dry-run -> AwaitingApproval (with the diff) or DryRunFailed;
             operator mode: a target in the auto-apply namespaces and kinds is Approved by
             that policy (recorded as such) instead of waiting for a person
  Approved   claimed (Applying, optimistic concurrency: one applier wins), a fresh
             server-side dry-run, the apply, an Event on the object, then the verifying
             skill until its finding is gone -> Verified | VerificationFailed; any failure
             -> Failed. A claim older than CLAIM_STALE seconds (its applier died) is retaken.
Every step goes to the audit log.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import datetime as _dt
import difflib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time

import yaml

from agent import API_GROUP, API_VERSION
from agent.audit import AuditLog, post_event
from agent.config import Settings
from agent.informer import Informer, Resource
from agent.kube import Kube, KubeError
from agent.proposals import script_path
from agent.store import PROPOSALS, Conflict, NotFound, Store, now, phase
from agent.workspace import Workspace
from harness import safety
from harness.errors import UserError

if TYPE_CHECKING:
    from pathlib import Path

    from kubernetes.dynamic.resource import Resource as DynamicResource

log = logging.getLogger("k8s-agent.applier")
FIELD_MANAGER = "k8s-agent"
CLAIM_STALE = 120
VOLATILE = ("resourceVersion", "generation", "uid", "creationTimestamp", "managedFields",
            "selfLink")


# What each verifying script reads, as its own --help says to dump it.
DUMP_KINDS = {
    "triage.py": ("pods", "events", "nodes", "persistentvolumeclaims", "deployments",
                  "replicasets", "statefulsets", "daemonsets", "jobs", "configmaps",
                  "storageclasses"),
    "explain_pending.py": ("workloads.kueue.x-k8s.io", "clusterqueues", "localqueues",
                           "resourceflavors", "jobs", "pods", "namespaces", "nodes"),
    "explain_claim.py": ("resourceslices", "deviceclasses", "resourceclaims",
                         "resourceclaimtemplates", "pods", "nodes", "namespaces", "events"),
    "check_routes.py": ("gatewayclasses", "gateways", "httproutes", "grpcroutes",
                        "referencegrants", "inferencepools", "services", "pods", "namespaces",
                        "events"),
}
DEFAULT_DUMP = ("pods", "events", "nodes")


class Applier:
    def __init__(self, settings: Settings, kube: Kube, workspace: Workspace,
                 verify_timeout: float = 120.0, verify_every: float = 3.0) -> None:
        if not settings.writes:
            raise UserError("advisory mode: no applier runs (nothing is ever applied); "
                            "use --mode semi-autonomous or operator")
        self.settings = settings
        self.kube = kube
        self.store = Store(kube, settings.namespace)
        self.workspace = workspace
        self.verify_timeout = verify_timeout
        self.verify_every = verify_every
        self.audit = AuditLog(settings.audit_log or safety.audit_log_path(),
                              {"agent": "k8s-agent-applier", "session": settings.identity})
        self.work: queue.Queue[str] = queue.Queue()

    # --- the loop -----------------------------------------------------------------------
    def _proposal_changed(self, kind: str, event_type: str | None,
                          obj: dict[str, Any] | None) -> None:
        if obj:
            self.work.put(obj["metadata"]["name"])

    def run(self, stop: threading.Event) -> None:
        path = f"/apis/{API_GROUP}/{API_VERSION}/namespaces/{self.settings.namespace}/proposals"
        informer = Informer(self.kube, Resource("Proposal", path, f"{API_GROUP}/{API_VERSION}"),
                            on_change=self._proposal_changed)
        threading.Thread(target=informer.run, args=(stop,), daemon=True,
                         name="proposals-watch").start()
        last_sweep = 0.0
        while not stop.is_set():
            if time.monotonic() - last_sweep > 10:   # stale claims, missed events
                for obj in informer.items():
                    self.work.put(obj["metadata"]["name"])
                last_sweep = time.monotonic()
            try:
                name = self.work.get(timeout=1)
            except queue.Empty:
                continue
            self.handle(name)

    def handle(self, name: str) -> str:
        """Advance one proposal as far as it can go now; returns its phase afterwards."""
        try:
            obj = self.store.get(PROPOSALS, name)
        except NotFound:
            return "gone"
        current = phase(obj)
        try:
            if current == "Proposed":
                return self.review(obj)
            if current == "Approved" or (current == "Applying" and _stale(obj)):
                return self.apply(obj)
            if current == "Applied" and _stale(obj):
                return self.verify(obj)
        except Conflict:
            log.info("%s: another applier moved it first", name)
        except Exception as err:  # noqa: BLE001 - one bad proposal must not stop the rest
            log.exception("%s: %s", name, err)
            return self._fail(name, f"applier error: {err}")
        return current

    # --- stages -------------------------------------------------------------------------
    def review(self, obj: dict[str, Any]) -> str:
        name, spec = obj["metadata"]["name"], obj["spec"]
        result = self.dry_run(spec)
        if not result["ok"]:
            self.store.transition(name, {"Proposed"}, "DryRunFailed", dryRun=result,
                                  actor=self.settings.identity)
            self._audit("dry-run", obj, f"dry-run of {name} failed: {result['message']}",
                        "failed")
            return "DryRunFailed"
        self._audit("dry-run", obj, f"dry-run of {name}: {result['changes'] or 'no change'}",
                    "ok")
        if self._auto_apply(spec):
            self.store.transition(name, {"Proposed"}, "Approved", dryRun=result,
                                  approvedBy="operator-mode policy", approvedAt=now(),
                                  actor=self.settings.identity)
            self._audit("approval", obj, f"auto-approved {name} (operator mode: "
                        f"{spec['target'].get('namespace')}/{spec['target']['kind']})",
                        "Approved")
            return self.apply(self.store.get(PROPOSALS, name))
        self.store.transition(name, {"Proposed"}, "AwaitingApproval", dryRun=result,
                              actor=self.settings.identity)
        return "AwaitingApproval"

    def apply(self, obj: dict[str, Any]) -> str:
        name, spec = obj["metadata"]["name"], obj["spec"]
        self.store.transition(name, {"Approved", "Applying"}, "Applying",
                              claimedBy=self.settings.identity, claimedAt=now(),
                              actor=self.settings.identity)
        fresh = self.dry_run(spec)
        if not fresh["ok"]:
            return self._fail(name, f"fresh dry-run failed: {fresh['message']}", fresh)
        try:
            applied = self._write(spec, dry_run=False)
        except KubeError as err:
            return self._fail(name, f"apply failed: {err}")
        target = _target_ref(spec, applied)
        note = f"{fresh['sentence']}: {spec.get('summary', '')}"[:1000]
        self.store.transition(name, {"Applying"}, "Applied", applied={
            "at": now(), "by": self.settings.identity, "changes": fresh["changes"],
            "resourceVersion": (applied.get("metadata") or {}).get("resourceVersion")},
            actor=self.settings.identity, claimedAt=now())
        self._event(target, "AgentApplied", f"{note} (proposal {name}, approved by "
                    f"{obj.get('status', {}).get('approvedBy', '?')})")
        self._audit("apply", obj, f"applied {name}: {fresh['sentence']}", "applied",
                    before=json.dumps(fresh["changes"])[:500])
        return self.verify(self.store.get(PROPOSALS, name))

    def verify(self, obj: dict[str, Any]) -> str:
        name, spec = obj["metadata"]["name"], obj["spec"]
        verify = spec.get("verify")
        if not verify:
            outcome = {"ran": False, "result": "no verify step was given: not verified"}
            self.store.transition(name, {"Applied"}, "VerificationFailed",
                                  verification=outcome, actor=self.settings.identity)
            return "VerificationFailed"
        ok, detail = self._verify_until(spec, verify)
        outcome = {"ran": True, "ok": ok, "result": detail, "at": now(),
                   "command": f"{verify['skill']}/scripts/{verify['script']} "
                              + " ".join(verify.get("args") or [])}
        new_phase = "Verified" if ok else "VerificationFailed"
        self.store.transition(name, {"Applied"}, new_phase, verification=outcome,
                              actor=self.settings.identity)
        self._event(_target_ref(spec, None), "AgentVerified" if ok else
                    "AgentVerificationFailed", f"{detail} (proposal {name})", warning=not ok,
                    action="Verify")
        self._audit("verify", obj, f"verified {name}: {detail}", new_phase)
        return new_phase

    # --- the cluster side -------------------------------------------------------------------
    def dry_run(self, spec: dict[str, Any]) -> dict[str, Any]:
        try:
            live = self._live(spec)
            result = self._write(spec, dry_run=True)
        except KubeError as err:
            return {"ok": False, "message": str(err)[:2000], "at": now()}
        changes = leaf_changes(_clean(live or {}), _clean(result))
        return {"ok": True, "at": now(), "diff": yaml_diff(live, result)[:20000],
                "changes": changes[:50], "sentence": sentence(spec, live, changes)}

    def _resource(self, target: dict[str, Any]) -> DynamicResource:
        try:
            resource: DynamicResource = self.kube.dynamic.resources.get(
                api_version=target["apiVersion"], kind=target["kind"])
            return resource
        except Exception as err:  # noqa: BLE001 - ResourceNotFoundError and friends
            raise KubeError(404, f"{target['apiVersion']} {target['kind']}: not served by "
                                 f"this cluster ({type(err).__name__})") from err

    def _live(self, spec: dict[str, Any]) -> dict[str, Any] | None:
        target = spec["target"]
        resource = self._resource(target)
        try:
            live: dict[str, Any] = self.kube.call(
                self.kube.dynamic.get, resource, name=target["name"],
                namespace=target.get("namespace")).to_dict()
            return live
        except KubeError as err:
            if err.status == 404:
                return None
            raise

    def _write(self, spec: dict[str, Any], dry_run: bool) -> dict[str, Any]:
        target = spec["target"]
        resource = self._resource(target)
        extra = {"dry_run": "All"} if dry_run else {}
        if spec["action"] == "apply":
            result = self.kube.call(self.kube.dynamic.server_side_apply, resource,
                                    body=spec["manifest"], name=target["name"],
                                    namespace=target.get("namespace"),
                                    field_manager=FIELD_MANAGER, force_conflicts=True, **extra)
        else:
            result = self.kube.call(self.kube.dynamic.patch, resource, body=spec["patch"],
                                    name=target["name"], namespace=target.get("namespace"),
                                    content_type="application/merge-patch+json",
                                    field_manager=FIELD_MANAGER, **extra)
        written: dict[str, Any] = result.to_dict()
        return written

    def _verify_until(self, spec: dict[str, Any], verify: dict[str, Any]) -> tuple[bool, str]:
        path = script_path(self.workspace.project / ".claude" / "skills", verify)
        if path is None:
            return False, f"{verify['skill']}/{verify['script']}: not an installed skill script"
        deadline = time.monotonic() + self.verify_timeout
        while True:
            ok, detail = self._verify_once(path, spec, verify)
            if ok or time.monotonic() >= deadline:
                return ok, detail
            time.sleep(self.verify_every)

    def _verify_once(self, path: Path, spec: dict[str, Any],
                     verify: dict[str, Any]) -> tuple[bool, str]:
        """The skill's script on a fresh dump read with this identity (the scripts' live
        mode reads Secrets for some checks, which no agent identity may; a dump leaves
        those checks out instead of failing)."""
        args = [a for a in verify.get("args") or [] if a != "--json"] + ["--json"]
        try:
            dump = self._dump(DUMP_KINDS.get(verify["script"], DEFAULT_DUMP))
            proc = subprocess.run([sys.executable, str(path), "-f", "-", *args], input=dump,
                                  capture_output=True, text=True, timeout=120,
                                  env=_plain_env())
        except subprocess.TimeoutExpired:
            return False, f"{verify['script']} did not answer in 120 s"
        if proc.returncode == 2:
            return False, f"{verify['script']} refused its input: {proc.stderr.strip()[:300]}"
        try:
            findings = json.loads(proc.stdout).get("findings") or []
        except ValueError:
            return False, f"{verify['script']} printed no JSON"
        left = remaining(findings, spec["target"], verify.get("cause", ""))
        if left:
            f = left[0]
            return False, (f"{verify['script']} still reports {f.get('cause')} on "
                           f"{_where(f.get('object') or {})}: {f.get('message', '')[:300]}")
        what = f"no {verify['cause']}" if verify.get("cause") else "no findings"
        return True, f"{verify['script']} {' '.join(args)}: {what} for " \
                     f"{spec['target']['kind']} {spec['target'].get('namespace', '')}/" \
                     f"{spec['target']['name']}"

    def _dump(self, resources: tuple[str, ...]) -> str:
        """`kubectl get <each> -A -o json` merged into one List; kinds this identity may not
        read or the cluster does not serve are left out (the script then says so)."""
        items: list[dict[str, Any]] = []
        env = {**os.environ, "KUBECONFIG": self.kube.kubeconfig} if self.kube.kubeconfig \
            else dict(os.environ)
        for resource in resources:
            proc = subprocess.run(["kubectl", "get", resource, "-A", "-o", "json"],
                                  capture_output=True, text=True, timeout=120, env=env)
            if proc.returncode == 0:
                items += json.loads(proc.stdout).get("items") or []
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})

    # --- bookkeeping ------------------------------------------------------------------------
    def _event(self, target: dict[str, Any], reason: str, note: str, *, warning: bool = False,
               action: str = "Apply") -> None:
        """An Event on the changed object; failing to record one never undoes a change,
        it is logged and audited instead."""
        try:
            post_event(self.kube, target, reason, note, self.settings.identity, warning, action)
        except KubeError as err:
            log.warning("%s", err)
            self.audit.record("apply", f"no Event recorded: {err}", who=self.settings.identity,
                              result="event failed")

    def _auto_apply(self, spec: dict[str, Any]) -> bool:
        s, target = self.settings, spec["target"]
        return (s.mode == "operator" and target.get("namespace") in s.auto_apply_namespaces
                and target["kind"] in s.auto_apply_kinds)

    def _fail(self, name: str, message: str, dry: dict[str, Any] | None = None) -> str:
        try:
            fields: dict[str, Any] = {"message": message[:2000],
                                      "actor": self.settings.identity}
            if dry:
                fields["dryRun"] = dry
            self.store.transition(name, {"Applying", "Approved", "Applied", "Proposed"},
                                  "Failed", **fields)
        except (Conflict, NotFound):
            return "unknown"
        self.audit.record("apply", f"failed {name}: {message[:300]}", who=self.settings.identity,
                          result="failed", decision="allow", proposal=name)
        return "Failed"

    def _audit(self, event: str, obj: dict[str, Any], action: str, result: str,
               **extra: Any) -> None:
        spec = obj.get("spec") or {}
        self.audit.record(event, action, who=self.settings.identity, result=result,
                          proposal=obj["metadata"]["name"], target=spec.get("target"),
                          signals=(spec.get("evidence") or [])[:3], **extra)


# --- pure helpers -----------------------------------------------------------------------------
def _plain_env() -> dict[str, Any]:
    """A script reading stdin needs no credentials at all."""
    return {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "HOME": "/nonexistent"}


def _stale(obj: dict[str, Any]) -> bool:
    claimed = (obj.get("status") or {}).get("claimedAt", "")
    try:
        at = _dt.datetime.fromisoformat(claimed.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return True
    return time.time() - at > CLAIM_STALE


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    obj = json.loads(json.dumps(obj or {}, default=str))
    meta = obj.get("metadata") or {}
    for key in VOLATILE:
        meta.pop(key, None)
    obj.pop("status", None)
    return obj


def yaml_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    a = yaml.safe_dump(_clean(before or {}), sort_keys=True).splitlines()
    b = yaml.safe_dump(_clean(after), sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, "live", "after", lineterm="", n=2))


def leaf_changes(before: object, after: object, path: str = "") -> list[dict[str, Any]]:
    """[{path, before, after}] for every scalar that differs.

    >>> leaf_changes({"spec": {"replicas": 3}}, {"spec": {"replicas": 5}})
    [{'path': 'spec.replicas', 'before': 3, 'after': 5}]
    """
    out: list[dict[str, Any]] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            out += leaf_changes(before.get(key), after.get(key), f"{path}.{key}".lstrip("."))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (x, y) in enumerate(zip(before, after)):
            out += leaf_changes(x, y, f"{path}[{i}]")
        return out
    return [] if before == after else [{"path": path, "before": before, "after": after}]


def sentence(spec: dict[str, Any], live: dict[str, Any] | None, changes: list[dict[str, Any]]) -> str:
    """'Scaled Deployment shop/web 3 → 5' / 'Patched ... (a → b, ...)' for Events and audit.

    >>> sentence({"target": {"kind": "Deployment", "namespace": "shop", "name": "web"},
    ...           "action": "patch"}, {}, [{"path": "spec.replicas", "before": 3, "after": 5}])
    'Scaled Deployment shop/web 3 → 5'
    """
    t = spec["target"]
    where = f"{t['kind']} {t.get('namespace') + '/' if t.get('namespace') else ''}{t['name']}"
    if live is None:
        return f"Created {where}"
    if len(changes) == 1 and changes[0]["path"] == "spec.replicas":
        return f"Scaled {where} {changes[0]['before']} → {changes[0]['after']}"
    verb = "Applied" if spec.get("action") == "apply" else "Patched"
    shown = ", ".join(f"{c['path']} {_short(c['before'])} → {_short(c['after'])}"
                      for c in changes[:3])
    more = f", +{len(changes) - 3} more" if len(changes) > 3 else ""
    return f"{verb} {where} ({shown}{more})" if changes else f"{verb} {where} (no change)"


def remaining(findings: list[dict[str, Any]], target: dict[str, Any], cause: str) -> list[dict[str, Any]]:
    """The verifying script's findings that still concern the target (its pods too)."""
    out = []
    for f in findings:
        o = f.get("object") or {}
        if f.get("severity") not in ("error", "warning"):
            continue
        if cause and f.get("cause") != cause:
            continue
        if target.get("namespace") and o.get("namespace") not in ("", target["namespace"]):
            continue
        name = o.get("name") or ""
        if name == target["name"] or name.startswith(target["name"] + "-") or not name:
            out.append(f)
    return out


def _target_ref(spec: dict[str, Any], applied: dict[str, Any] | None) -> dict[str, Any]:
    ref = dict(spec["target"])
    if applied:
        ref["uid"] = (applied.get("metadata") or {}).get("uid", "")
    return ref


def _where(o: dict[str, Any]) -> str:
    return "/".join(p for p in (o.get("kind"), o.get("namespace"), o.get("name")) if p)


def _short(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def run_forever(settings: Settings, verify_timeout: float = 120.0) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    kube = Kube(settings.kubeconfig, default=True)
    workspace = Workspace(settings.workdir, settings.skills_dir)
    workspace.prepare()
    applier = Applier(settings, kube, workspace, verify_timeout)
    print(f"k8s-agent applier {settings.identity} as {kube.whoami()}: watching proposals in "
          f"{settings.namespace} (mode {settings.mode})", file=sys.stderr, flush=True)
    stop = threading.Event()
    try:
        applier.run(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0
