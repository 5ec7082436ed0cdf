"""Pod-level faults made by the real kubelet, and the change that resolves each.

One Case per cause and variant: the objects that produce it on the real node (images from
the local registry, see harness/cluster/data/images.yaml), the state the kubelet must
report before triage runs, and the fix. Used by test_troubleshooting_live.py (triage ranks
the cause, the fix makes the workload recover) and by
tests/resources/troubleshooting/capture.py (the fixtures are these states, captured).
"""
from __future__ import annotations

import base64
import json
import re
import urllib.request
from dataclasses import dataclass
from typing import Callable

from harness.cluster import images, node, registry

WORKER = "queue-worker:3.0.1"      # its entrypoint runs until SIGTERM
SERVER = "team/app:1.4.2"          # serves 200 on /healthz, /ready and / at :8080
SMALL = {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "64Mi"}}


def labels(name: str) -> dict:
    return {"app": name}


def container(**fields) -> dict:
    return {"name": "main", "resources": SMALL, **fields}


def pod_spec(*containers: dict, **spec) -> dict:
    return node.place_on_real_node({"containers": list(containers),
                                    "terminationGracePeriodSeconds": 2, **spec})


def deployment(name: str, ns: str, spec: dict, replicas: int = 1, **extra) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": labels(name)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels(name)},
                     "template": {"metadata": {"labels": labels(name)}, "spec": spec},
                     **extra}}


def job(name: str, ns: str, spec: dict) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": ns, "labels": labels(name)},
            "spec": {"backoffLimit": 6 if spec.get("restartPolicy") == "OnFailure" else 1,
                     "template": {"metadata": {"labels": labels(name)}, "spec": spec}}}


@dataclass
class Case:
    id: str
    cause: str                               # triage's cause id ranked first
    objects: Callable[[str], list[dict]]     # namespace -> objects that make the fault
    reported: Callable[[dict], bool]         # the kubelet reported it (on one pod)
    fix: Callable                            # (Fixer, top finding, workload) -> None
    fix_words: tuple[str, ...] = ()          # the proposed fix must name these
    kind: str = "Deployment"                 # Deployment: Ready and stable; Job: Complete
    setup: Callable[[str], list[dict]] | None = None   # applied (and healthy) first
    evidence: tuple[str, ...] = ()           # some evidence line must contain each
    known_gap: str = ""                      # why triage's fix lacks fix_words (for now)


# -- what the kubelet reports ------------------------------------------------------------
def statuses(pod: dict) -> list[dict]:
    status = pod.get("status", {})
    return status.get("containerStatuses", []) + status.get("initContainerStatuses", [])


def waiting(reason: str) -> Callable[[dict], bool]:
    return lambda pod: any((cs.get("state", {}).get("waiting") or {}).get("reason") == reason
                           for cs in statuses(pod))


def crashed(code: int, policy: str) -> Callable[[dict], bool]:
    def check(pod: dict) -> bool:
        if policy == "Never":
            return pod.get("status", {}).get("phase") == "Failed" and any(
                (cs.get("state", {}).get("terminated") or {}).get("exitCode") == code
                for cs in statuses(pod))
        return waiting("CrashLoopBackOff")(pod) and any(
            (cs.get("lastState", {}).get("terminated") or {}).get("exitCode") == code
            for cs in statuses(pod))
    return check


def restarted_by_liveness(pod: dict) -> bool:
    return any((cs.get("restartCount") or 0) >= 2 for cs in statuses(pod))


def unready_running(pod: dict) -> bool:
    return pod.get("status", {}).get("phase") == "Running" and all(
        cs.get("started") and not cs.get("ready") for cs in statuses(pod))


# -- fixes -------------------------------------------------------------------------------
class Fixer:
    """What a fix may use: kubectl against the cluster, the namespace, the registry."""

    def __init__(self, kubectl, namespace: str, registry_url: str | None,
                 credentials: registry.Credentials | None):
        self.kubectl, self.ns = kubectl, namespace
        self.registry_url, self.credentials = registry_url, credentials

    def patch(self, kind: str, name: str, ops: list[dict]) -> None:
        self.kubectl("patch", kind, name, "-n", self.ns, "--type=json", "-p", json.dumps(ops))

    def recreate_job(self, name: str, command: list[str]) -> None:
        """A Job's pod template is immutable: replace the Job with the corrected command."""
        obj = json.loads(self.kubectl("get", "job", name, "-n", self.ns, "-o", "json").stdout)
        self.kubectl("delete", "job", name, "-n", self.ns, "--cascade=foreground",
                     "--wait=true", timeout=120)
        spec = obj["spec"]["template"]["spec"]
        spec["containers"][0]["command"] = command
        fresh = job(name, self.ns, {k: v for k, v in spec.items() if k in (
            "containers", "restartPolicy", "nodeSelector", "tolerations",
            "terminationGracePeriodSeconds")})
        self.kubectl("apply", "-f", "-", stdin=json.dumps(fresh))

    def published_tags(self, repository: str) -> list[str]:
        with urllib.request.urlopen(f"{self.registry_url}/v2/{repository}/tags/list",
                                    timeout=5) as response:
            return json.loads(response.read())["tags"]


def _remove_command(ctx: Fixer, top: dict, name: str) -> None:
    ctx.patch("deployment", name, [
        {"op": "remove", "path": "/spec/template/spec/containers/0/command"}])


def _fix_tag(ctx: Fixer, top: dict, name: str) -> None:
    published = ctx.published_tags("team/web")
    ctx.patch("deployment", name, [{"op": "replace",
                                    "path": "/spec/template/spec/containers/0/image",
                                    "value": f"team/web:{sorted(published)[0]}"}])


def _fix_pull_secret(ctx: Fixer, top: dict, name: str) -> None:
    config = ctx.credentials.docker_config(images.PRIVATE_HOST)
    ctx.kubectl("apply", "-f", "-", stdin=json.dumps({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
        "metadata": {"name": "regcred", "namespace": ctx.ns},
        "data": {".dockerconfigjson": base64.b64encode(config.encode()).decode()}}))
    ctx.patch("deployment", name, [{"op": "add", "path": "/spec/template/spec/imagePullSecrets",
                                    "value": [{"name": "regcred"}]}])


def _fix_memory(ctx: Fixer, top: dict, name: str) -> None:
    target = top["fix"].split(" to ", 1)[1].split()[0]       # "... to 320Mi (and ..."
    ctx.patch("deployment", name, [
        {"op": "replace", "path": "/spec/template/spec/containers/0/resources",
         "value": {"requests": {"memory": target}, "limits": {"memory": target}}}])


def _fix_probe(probe: str, field_path: str, value):
    def fix(ctx: Fixer, top: dict, name: str) -> None:
        ctx.patch("deployment", name, [{
            "op": "replace", "value": value,
            "path": f"/spec/template/spec/containers/0/{probe}/{field_path}"}])
    return fix


_SET_PROBE = re.compile(r"set (\w+Probe)\.(\w+)\.(\w+) to ([\w./-]+)")


def _probe_as_told(ctx: Fixer, top: dict, name: str) -> None:
    """Apply the finding's own `set <probe>.<handler>.<field> to <value>`."""
    told = _SET_PROBE.search(top["fix"])
    assert told, f"the fix names no probe field to set: {top['fix']}"
    probe, handler, field_name, value = told.groups()
    ctx.patch("deployment", name, [{
        "op": "replace", "value": int(value) if value.isdigit() else value,
        "path": f"/spec/template/spec/containers/0/{probe}/{handler}/{field_name}"}])


def _add_key(kind: str, object_name: str, key: str, value: str):
    def fix(ctx: Fixer, top: dict, name: str) -> None:
        data = "stringData" if kind == "secret" else "data"   # the owner types the value
        ctx.kubectl("patch", kind, object_name, "-n", ctx.ns, "--type=merge",
                    "-p", json.dumps({data: {key: value}}))
    return fix


def _rollout_undo(ctx: Fixer, top: dict, name: str) -> None:
    ctx.kubectl("rollout", "undo", f"deployment/{name}", "-n", ctx.ns)


def _recreate(command: list[str]):
    def fix(ctx: Fixer, top: dict, name: str) -> None:
        ctx.recreate_job(name, command)
    return fix


# -- the cases ---------------------------------------------------------------------------
def _crash_cases() -> list[Case]:
    out = []
    for how, code, command in (
            ("exit", 3, ["sh", "-c", "echo connecting to the broker; exit 3"]),
            ("signal", 139, ["exiter", "--signal", "SEGV",
                             "--message", "loading the model index"])):
        out.append(Case(
            f"crash-{how}-always", "crash_loop",
            lambda ns, n=f"crash-{how}", c=command: [deployment(n, ns, pod_spec(container(
                image=WORKER, command=c)))],
            crashed(code, "Always"), _remove_command,
            evidence=(f"exitCode {code}",)))
        for policy in ("OnFailure", "Never"):
            out.append(Case(
                f"crash-{how}-{policy.lower()}", "crash_loop",
                lambda ns, p=policy, c=command, n=f"crash-{how}-{policy.lower()}": [
                    job(n, ns, pod_spec(container(image=WORKER, command=c), restartPolicy=p))],
                crashed(code, policy),
                _recreate(["sh", "-c", "echo batch done"]), kind="Job",
                evidence=(f"exitCode {code}",)))
    return out


def cases() -> list[Case]:
    server = dict(image=SERVER, ports=[{"containerPort": 8080, "name": "http"}])
    good_ready = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 2}
    return _crash_cases() + [
        Case("oom", "oom_killed",
             lambda ns: [deployment("oom", ns, pod_spec(container(
                 image="polinux/stress", command=["stress"],
                 args=["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
                 resources={"requests": {"memory": "100Mi"},
                            "limits": {"memory": "100Mi"}})))],
             lambda pod: any((cs.get("lastState", {}).get("terminated") or {}).get("reason")
                             == "OOMKilled" for cs in statuses(pod)),
             _fix_memory,
             fix_words=("limits.memory",), evidence=("OOMKilled",)),
        Case("liveness-path", "probe_failing",
             lambda ns: [deployment("liveness-path", ns, pod_spec(container(
                 **server, livenessProbe={"httpGet": {"path": "/health", "port": 8080},
                                          "periodSeconds": 2, "failureThreshold": 2})))],
             restarted_by_liveness,
             _fix_probe("livenessProbe", "httpGet/path", "/healthz"),
             evidence=("404",)),
        Case("liveness-port", "probe_failing",
             lambda ns: [deployment("liveness-port", ns, pod_spec(container(
                 **server, livenessProbe={"tcpSocket": {"port": 8081},
                                          "periodSeconds": 2, "failureThreshold": 2})))],
             restarted_by_liveness,
             _fix_probe("livenessProbe", "tcpSocket/port", 8080),
             fix_words=("8080",), evidence=("connection refused",),
             known_gap="a liveness kill's fix is about timing, even when nothing listens "
                       "on the probed port (k8s-troubleshooting _liveness)"),
        Case("readiness-path", "probe_failing",
             lambda ns: [deployment("readiness-path", ns, pod_spec(container(
                 **server, readinessProbe={"httpGet": {"path": "/readyz", "port": "http"},
                                           "periodSeconds": 2})))],
             unready_running,
             _fix_probe("readinessProbe", "httpGet/path", "/ready"),
             evidence=("404",)),
        Case("readiness-port", "probe_failing",
             lambda ns: [deployment("readiness-port", ns, pod_spec(container(
                 **server, readinessProbe={"httpGet": {"path": "/ready", "port": 8081},
                                           "periodSeconds": 2})))],
             unready_running,
             _probe_as_told, fix_words=("readinessProbe.httpGet.port to ",),
             evidence=("connection refused",)),
        Case("image-tag", "image_pull",
             lambda ns: [deployment("image-tag", ns, pod_spec(container(
                 image="team/web:v9.9.9")))],
             waiting("ImagePullBackOff"), _fix_tag,
             fix_words=("team/web:v9.9.9",), evidence=("not found",)),
        Case("image-auth", "image_pull",
             lambda ns: [deployment("image-auth", ns, pod_spec(container(
                 image=f"{images.PRIVATE_HOST}/ml/model-server:1.0")))],
             waiting("ImagePullBackOff"),
             _fix_pull_secret,
             fix_words=("imagePullSecrets",), evidence=("registry auth",)),
        Case("configmap-key", "config_missing",
             lambda ns: [{"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "settings", "namespace": ns},
                          "data": {"level": "debug"}},
                         deployment("configmap-key", ns, pod_spec(container(
                             image=WORKER, env=[{"name": "MODE", "valueFrom": {
                                 "configMapKeyRef": {"name": "settings", "key": "mode"}}}])))],
             waiting("CreateContainerConfigError"),
             _add_key("configmap", "settings", "mode", "batch"),
             fix_words=("add key mode to ConfigMap settings",),
             evidence=("mode",)),
        Case("secret-key", "config_missing",
             lambda ns: [{"apiVersion": "v1", "kind": "Secret",
                          "metadata": {"name": "db", "namespace": ns},
                          "stringData": {"user": "svc-reader"}},
                         deployment("secret-key", ns, pod_spec(container(
                             image=WORKER, env=[{"name": "DB_PASSWORD", "valueFrom": {
                                 "secretKeyRef": {"name": "db", "key": "password"}}}])))],
             waiting("CreateContainerConfigError"),
             _add_key("secret", "db", "password", "set-by-the-owner"),
             fix_words=("add key password to Secret db",), evidence=("password",)),
        Case("rollout-stuck", "rollout_stuck",
             lambda ns: [deployment("rollout-stuck", ns, pod_spec(container(
                 **server, readinessProbe={**good_ready, "httpGet": {"path": "/ready",
                                                                    "port": 8081}})),
                 replicas=2, progressDeadlineSeconds=10)],
             unready_running, _rollout_undo,
             fix_words=("kubectl rollout undo deployment/rollout-stuck",),
             setup=lambda ns: [deployment("rollout-stuck", ns, pod_spec(container(
                 **server, readinessProbe=good_ready)), replicas=2,
                 progressDeadlineSeconds=10)]),
    ]
