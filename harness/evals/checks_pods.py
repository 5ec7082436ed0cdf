"""Checks that hold only when a workload is truly healthy, judged by the components that run it.

A fix that merely removes a symptom's trigger (a `dodge`: `exit 1` -> `exit 0` under
`restartPolicy: Always`, a probe port declared but not served) must fail them, so they
look at what the kubelet, the endpoints controller and kube-proxy report over time, never
at the text of the fix:

- `stable`: any check, holding on every poll for a window of seconds;
- `pods_ready`: pods Running and Ready, the same pods, restart counts not growing, for a
  window (a container that exits and is restarted resets it);
- `rollout_complete`: what `kubectl rollout status` waits for, at the current generation;
- `service_endpoints`: the Service has ready endpoints (EndpointSlices);
- `http`: a real request from inside a pod to a Service, to pods or to the pod itself;
- `probe_passes`, `exec`: a pod's probe, or a command, tried inside the pod;
- `rollout_keeps_ready`: an active check: one more rollout, watched for lost capacity;
- `probes_catch_failure`: an active check: a trial pod whose server fails, watched for the
  kubelet noticing (out of Ready, container restarted).
"""
from __future__ import annotations
from typing import Any

import json
import re
import shlex
import time

from harness.evals import checks
from harness.evals.checks import conditions_of, pod_reasons, register
from harness.evals.errors import InfraError
from harness.evals.kube import Kube

DEFAULT_WINDOW = 10.0
now = time.monotonic  # tests replace it to drive windows without waiting


def live_pods(kube: Kube, namespace: str, selector: str | None = None,
              name: str | None = None) -> list[dict[str, Any]]:
    """Pods that count: not being deleted, not finished (a controller replaces those)."""
    if name:
        pod = kube.get("pod", name, namespace)
        pods = [pod] if pod else []
    else:
        pods = kube.list("pods", namespace, selector)
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def is_ready(pod: dict[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and \
        conditions_of(pod).get("Ready", {}).get("status") == "True"


def restarts(pod: dict[str, Any]) -> int:
    status = pod.get("status") or {}
    return sum(int(c.get("restartCount", 0)) for c in
               (status.get("containerStatuses") or []) + (status.get("initContainerStatuses")
                                                          or []))


def hold(memory: dict[str, Any], signature: object, window: float, detail: str
         ) -> tuple[bool, str]:
    """Holds once the same `signature` has been seen continuously for `window` seconds."""
    t = now()
    if memory.get("signature") != signature or "since" not in memory:
        memory["signature"], memory["since"] = signature, t
    held = t - memory["since"]
    if held >= window:
        return True, f"{detail}; stable for {held:.0f} s"
    return False, f"{detail}; stable for {held:.0f} of {window:g} s so far"


def broken(memory: dict[str, Any], detail: str) -> tuple[bool, str]:
    memory.clear()
    return False, detail


@register("stable", required=("check",), optional=("for",), windowed=True)
def _stable(kube: Kube, spec: dict[str, Any], env: dict[str, str],
            memory: dict[str, Any]) -> checks.Outcome:
    """Another check (`check`) holds on every poll for `for` seconds (default 10)."""
    inner = spec["check"]
    holds, detail = checks.probe_once(kube, inner, env, memory.setdefault("inner", {}))
    if holds == "error":
        return holds, detail
    if not holds:
        inner_memory = memory.get("inner", {})
        memory.clear()
        memory["inner"] = inner_memory
        return False, f"{checks.describe(inner)}: {detail}"
    return hold(memory, "held", float(spec.get("for", DEFAULT_WINDOW)),
                f"{checks.describe(inner)}: {detail}")


@register("pods_ready", required=("namespace",),
          optional=("selector", "name", "count", "stable_for", "image", "nodes"), windowed=True)
def _pods_ready(kube: Kube, spec: dict[str, Any], env: dict[str, str],
                memory: dict[str, Any]) -> tuple[bool, str]:
    """At least `count` (1) pods match and every one is Running and Ready, with the same
    pods and no container restart, for `stable_for` seconds (10); with `image` (a regex),
    every container of every pod runs an image whose name matches it (the pod's own spec:
    the kubelet may report another tag of the same digest in its status); with `nodes` (a
    label selector), every pod runs on a node it selects."""
    pods = live_pods(kube, spec["namespace"], spec.get("selector"), spec.get("name"))
    want = int(spec.get("count", 1))
    unready = [p for p in pods if not is_ready(p)]
    if spec.get("nodes"):
        allowed = {n["metadata"]["name"] for n in kube.list("nodes", None, spec["nodes"])}
        elsewhere = sorted({p["spec"].get("nodeName") for p in pods
                            if p["spec"].get("nodeName") not in allowed | {None}})
        if elsewhere:
            return broken(memory, f"pods run on {', '.join(elsewhere[:3])}, "
                                  f"not on a node selected by {spec['nodes']}")
    if spec.get("image"):
        other = sorted({c.get("image", "?") for p in pods for c in p["spec"]["containers"]
                        if not re.search(spec["image"], c.get("image", ""))})
        if other:
            return broken(memory, f"pods run {', '.join(other[:3])}, not {spec['image']}")
    if unready:
        shown = "; ".join(f"{p['metadata']['name']}: "
                          f"{', '.join(pod_reasons(p)) or (p.get('status') or {}).get('phase')}"
                          for p in unready[:3])
        return broken(memory, f"{len(unready)}/{len(pods)} pods not Ready ({shown[:300]})")
    if len(pods) < want:
        return broken(memory, f"{len(pods)} Ready pods, want >= {want}")
    signature = tuple(sorted((p["metadata"]["uid"], restarts(p)) for p in pods))
    total = sum(r for _, r in signature)
    return hold(memory, signature, float(spec.get("stable_for", DEFAULT_WINDOW)),
                f"{len(pods)} pods Ready, {total} restarts in all, none since the window began")


@register("rollout_complete", required=("kind", "name", "namespace"), optional=("replicas",))
def _rollout_complete(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A Deployment or StatefulSet finished rolling out its current spec (what `kubectl
    rollout status` waits for), with at least `replicas` desired."""
    obj = kube.get(spec["kind"], spec["name"], spec["namespace"])
    where = f"{spec['kind']}/{spec['name']}"
    if obj is None:
        return False, f"{where} not found"
    desired = int((obj.get("spec") or {}).get("replicas", 1))
    status = obj.get("status") or {}
    problems = []
    if desired < int(spec.get("replicas", 1)):
        problems.append(f"only {desired} replicas desired (want >= {spec.get('replicas', 1)})")
    if int(status.get("observedGeneration", 0)) < int(obj["metadata"].get("generation", 0)):
        problems.append("the controller has not seen the latest spec yet")
    counts = {k: int(status.get(k, 0)) for k in ("replicas", "updatedReplicas",
                                                 "readyReplicas", "availableReplicas")}
    for key in ("updatedReplicas", "readyReplicas"):
        if counts[key] < desired:
            problems.append(f"{key} {counts[key]}/{desired}")
    if counts["replicas"] > counts["updatedReplicas"]:
        problems.append(f"{counts['replicas'] - counts['updatedReplicas']} old replicas remain")
    if "availableReplicas" in status and counts["availableReplicas"] < desired:
        problems.append(f"availableReplicas {counts['availableReplicas']}/{desired}")
    if status.get("updateRevision") and status.get("currentRevision") != status["updateRevision"]:
        problems.append("pods of the old revision remain")
    progressing = conditions_of(obj).get("Progressing", {})
    if progressing.get("reason") == "ProgressDeadlineExceeded":
        problems.append(f"ProgressDeadlineExceeded: {progressing.get('message', '')[:160]}")
    if problems:
        return False, f"{where} not rolled out: {'; '.join(problems)}"
    return True, f"{where} rolled out: {desired}/{desired} updated and ready"


def ready_endpoints(kube: Kube, namespace: str, service: str) -> list[dict[str, Any]]:
    """Ready endpoints of a Service from its EndpointSlices (the endpoints controller's view)."""
    slices = kube.list("endpointslices.discovery.k8s.io", namespace,
                       f"kubernetes.io/service-name={service}")
    out = []
    for s in slices:
        ports = {p.get("name") or "": p.get("port") for p in s.get("ports") or []}
        for ep in s.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready", True) is not False:
                out.append({"addresses": ep.get("addresses", []), "ports": ports})
    return out


@register("service_endpoints", required=("name", "namespace"), optional=("count",))
def _service_endpoints(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A Service has at least `count` (1) ready endpoints (from its EndpointSlices)."""
    service = kube.get("service", spec["name"], spec["namespace"])
    if service is None:
        return False, f"service/{spec['name']} not found"
    found = ready_endpoints(kube, spec["namespace"], spec["name"])
    want = int(spec.get("count", 1))
    return len(found) >= want, f"service/{spec['name']} has {len(found)} ready endpoints " \
                               f"(want >= {want})"


# --- http: a real request from inside a pod ---------------------------------------------

@register("http", required=("namespace", "from"),
          optional=("service", "pods", "port", "path", "status", "body", "host", "container"))
def _http(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A GET from inside a pod (`from`: a label selector) to a Service's ClusterIP
    (`service`), to every matching pod (`pods`), or to the pod itself (neither), answers
    `status` (200), its body matching `body` (a regex) when given."""
    client, why = _client_pod(kube, spec["namespace"], spec["from"])
    if client is None:
        return False, why
    targets = _targets(kube, spec)
    if isinstance(targets, str):
        return False, targets
    want = int(spec.get("status", 200))
    for address, port in targets:
        code, body = request(kube, spec["namespace"], client, address, port,
                             spec.get("path", "/"), spec.get("host"), spec.get("container"))
        where = f"http://{address}:{port}{spec.get('path', '/')}"
        if code != want:
            return False, f"{where} from {client}: {code or 'no answer'} (want {want}) {body}"
        if spec.get("body") and not re.search(spec["body"], body):
            return False, f"{where}: body {body[:120]!r} does not match {spec['body']!r}"
    return True, f"{len(targets)} target(s) answered {want} from pod {client}"


def _client_pod(kube: Kube, namespace: str, selector: str) -> tuple[str | None, str]:
    """(name of a Ready pod to send requests from, or None, why not)."""
    ready = [p for p in live_pods(kube, namespace, selector) if is_ready(p)]
    if not ready:
        return None, f"no Ready pod matches {selector} to send the request from"
    return ready[0]["metadata"]["name"], ""


def _targets(kube: Kube, spec: dict[str, Any]) -> list[tuple[str, int]] | str:
    port = spec.get("port")
    if spec.get("service"):
        svc = kube.get("service", spec["service"], spec["namespace"])
        if svc is None:
            return f"service/{spec['service']} not found"
        ports = svc.get("spec", {}).get("ports") or []
        chosen = next((p for p in ports if port in (None, p.get("port"), p.get("name"))), None)
        if chosen is None:
            return f"service/{spec['service']} has no port {port}"
        return [(svc["spec"].get("clusterIP"), int(chosen["port"]))]
    if port is None:
        return "`port` is needed to reach pods"
    if spec.get("pods"):
        pods = [p for p in live_pods(kube, spec["namespace"], spec["pods"])
                if (p.get("status") or {}).get("podIP")]
        if not pods:
            return f"no running pod matches {spec['pods']}"
        return [(p["status"]["podIP"], int(port)) for p in pods]
    return [("127.0.0.1", int(port))]


def request(kube: Kube, namespace: str, pod: str, address: str, port: int, path: str,
            host: str | None = None, container: str | None = None) -> tuple[int | None, str]:
    """(status code or None, body) of an HTTP/1.0 GET sent with busybox `nc` inside `pod`."""
    head = f"GET {path} HTTP/1.0\\r\\nHost: {host or address}\\r\\n\\r\\n"
    script = f"printf {shlex.quote(head)} | nc -w 3 {shlex.quote(address)} {int(port)}"
    args = ["exec", "-n", namespace, pod] + (["-c", container] if container else [])
    proc = kube.run(*args, "--", "sh", "-c", script, timeout=20)
    text = proc.stdout or ""
    match = re.match(r"HTTP/\d\.\d (\d{3})", text)
    if not match:
        why = " ".join((proc.stderr or text or f"exit {proc.returncode}").split())[:160]
        return None, f"({why})"
    body = text.split("\r\n\r\n", 1)[-1].strip()
    return int(match.group(1)), body[:200]


# --- probes and commands run inside the pods ----------------------------------------------

@register("probe_passes", required=("namespace",),
          optional=("selector", "probe", "container"))
def _probe_passes(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """Every matching running pod's `probe` (liveness by default; readiness, startup) of
    `container` (each container that has one) passes when tried from inside the pod, as
    the kubelet would try it: httpGet answers 200-399, tcpSocket connects, exec exits 0."""
    kind = spec.get("probe", "liveness") + "Probe"
    pods = [p for p in live_pods(kube, spec["namespace"], spec.get("selector"))
            if (p.get("status") or {}).get("phase") == "Running"]
    if not pods:
        return False, "no running pod to try the probe in"
    tried = 0
    for pod in pods:
        for container in pod["spec"].get("containers", []):
            probe = container.get(kind)
            if not probe or spec.get("container") not in (None, container["name"]):
                continue
            ok, detail = try_probe(kube, pod, container, probe)
            tried += 1
            if not ok:
                return False, f"{pod['metadata']['name']}/{container['name']} {kind}: {detail}"
    if not tried:
        return False, f"no container has a {kind}"
    return True, f"{tried} {kind}s pass"


def try_probe(kube: Kube, pod: dict[str, Any], container: dict[str, Any],
              probe: dict[str, Any]) -> tuple[bool, str]:
    name, ns = pod["metadata"]["name"], pod["metadata"]["namespace"]
    if "exec" in probe:
        proc = kube.run("exec", "-n", ns, name, "-c", container["name"], "--",
                        *probe["exec"].get("command", []), timeout=20)
        return proc.returncode == 0, f"command exited {proc.returncode}"
    action = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("grpc") or {}
    port = named_port(container, action.get("port"))
    if port is None:
        return False, f"port {action.get('port')!r} is not a port of the container"
    if "httpGet" in probe:
        code, body = request(kube, ns, name, "127.0.0.1", port, action.get("path", "/"),
                             container=container["name"])
        return (code is not None and 200 <= code < 400,
                f"GET :{port}{action.get('path', '/')} -> {code or 'no answer'} {body[:80]}")
    proc = kube.run("exec", "-n", ns, name, "-c", container["name"], "--", "nc", "-z",
                    "-w", "2", "127.0.0.1", str(port), timeout=20)
    return proc.returncode == 0, f"connect :{port} -> exit {proc.returncode}"


def named_port(container: dict[str, Any], port: object) -> int | None:
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int) or (isinstance(port, str) and port.isdigit()):
        return int(port)
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return int(p["containerPort"])
    return None


@register("exec", required=("namespace", "selector", "command"),
          optional=("container", "op", "value", "all"))
def _exec(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A command run inside a Ready matching pod (every one with `all`) prints a value that
    compares to `value` (`op`, default matches; quantities compare as numbers), e.g. the
    memory the container's cgroup really holds."""
    pods = [p for p in live_pods(kube, spec["namespace"], spec["selector"]) if is_ready(p)]
    if not pods:
        return False, f"no Ready pod matches {spec['selector']}"
    op = spec.get("op", "matches")
    for pod in pods if spec.get("all") else pods[:1]:
        args = ["exec", "-n", spec["namespace"], pod["metadata"]["name"]]
        args += ["-c", spec["container"]] if spec.get("container") else []
        proc = kube.run(*args, "--", *[str(a) for a in spec["command"]], timeout=20)
        out = (proc.stdout or "").strip()
        if proc.returncode != 0:
            return False, f"{pod['metadata']['name']}: exit {proc.returncode} " \
                          f"{' '.join((proc.stderr or out).split())[:160]}"
        if not checks.compare(out, op, spec.get("value")):
            return False, f"{pod['metadata']['name']}: {out[:160]!r} ({op} {spec.get('value')!r})"
    return True, f"{pod['metadata']['name']}: {out[:120]!r} ({op} {spec.get('value')!r})"


# --- an active check: roll the Deployment out once and watch its capacity -----------------

ROLLOUT_ANNOTATION = "k8s-skills.eval/capacity-check"


@register("rollout_keeps_ready", required=("name", "namespace", "min_ready"), windowed=True)
def _rollout_keeps_ready(kube: Kube, spec: dict[str, Any], env: dict[str, str],
                         memory: dict[str, Any]) -> tuple[bool, str]:
    """Restarts the Deployment's pods once (a new rollout, like `kubectl rollout restart`)
    and holds when that rollout completes without fewer than `min_ready` Ready pods at any
    poll: what a deploy does to serving capacity."""
    if memory.get("dropped"):
        return False, memory["dropped"]
    dep = kube.get("deployment", spec["name"], spec["namespace"])
    if dep is None:
        return False, f"deployment/{spec['name']} not found"
    labels = (dep["spec"].get("selector") or {}).get("matchLabels") or {}
    selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    ready = sum(1 for p in live_pods(kube, spec["namespace"], selector) if is_ready(p))
    want = int(spec["min_ready"])
    if "generation" not in memory:
        if ready < want:
            return False, f"only {ready} Ready pods before the rollout (want >= {want})"
        memory["generation"] = _restart(kube, spec)
        return False, f"rollout started with {ready} Ready pods"
    if ready < want:
        memory["dropped"] = f"during the rollout only {ready} pods were Ready (want >= {want})"
        return False, memory["dropped"]
    status = dep.get("status") or {}
    desired = int(dep["spec"].get("replicas", 1))
    done = int(status.get("observedGeneration", 0)) >= memory["generation"] and all(
        int(status.get(k, 0)) == desired for k in ("updatedReplicas", "availableReplicas",
                                                  "replicas"))
    if done:
        return True, f"rolled out {desired} pods, never fewer than {want} Ready"
    return False, f"rollout in progress, {ready} Ready"


def _restart(kube: Kube, spec: dict[str, Any]) -> int:
    patch = json.dumps({"spec": {"template": {"metadata": {"annotations": {
        ROLLOUT_ANNOTATION: str(time.time())}}}}})
    proc = kube.run("patch", "deployment", spec["name"], "-n", spec["namespace"],
                    "--type=merge", "-p", patch, "-o", "jsonpath={.metadata.generation}")
    if proc.returncode != 0:
        raise InfraError(f"restarting deployment/{spec['name']}: "
                         f"{' '.join((proc.stderr or '').split())[:200]}")
    return int(proc.stdout.strip() or 0)


# --- a selector that selects the workload, not just today's pods -------------------------

@register("selects_workload", required=("kind", "name", "namespace", "workload"),
          optional=("workload_kind",))
def _selects_workload(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The selector of a Service (`spec.selector`) or an InferencePool
    (`spec.selector.matchLabels`) matches the pod template of `workload` (a Deployment by
    default), so the pods its controller creates next are selected too; labelling today's
    pods by hand does not hold."""
    obj = kube.get(spec["kind"], spec["name"], spec["namespace"])
    where = f"{spec['kind'].split('.')[0]}/{spec['name']}"
    if obj is None:
        return False, f"{where} not found"
    selector = (obj.get("spec") or {}).get("selector") or {}
    if isinstance(selector.get("matchLabels"), dict):
        selector = selector["matchLabels"]
    kind = spec.get("workload_kind", "deployment")
    workload = kube.get(kind, spec["workload"], spec["namespace"])
    if workload is None:
        return False, f"{kind}/{spec['workload']} not found"
    labels = ((workload["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
    if not selector:
        return False, f"{where} has no selector"
    missing = {k: v for k, v in selector.items() if labels.get(k) != v}
    if missing:
        return False, (f"{where} selects {selector}; the pod template of {kind}/"
                       f"{spec['workload']} has {labels} (differs on {sorted(missing)})")
    return True, f"{where} selects the pod template of {kind}/{spec['workload']}"


TRIAL_LABEL = "k8s-skills.eval/probe-trial"


@register("probes_catch_failure", required=("name", "namespace", "container", "env"),
          windowed=True)
def _probes_catch_failure(kube: Kube, spec: dict[str, Any], env: dict[str, str],
                          memory: dict[str, Any]) -> tuple[bool, str]:
    """An active check: starts one trial pod from the Deployment's current pod template
    whose `container` gets `env` (which makes its server start failing, e.g. FAIL_AFTER),
    and holds once the kubelet has seen it Ready, then taken it out of Ready (the readiness
    probe noticed) and restarted the container (the liveness probe noticed). Probes that
    check nothing (exec `true`, a port of another process) never do. The trial pod carries
    none of the template's labels, so no Service or selector counts it."""
    if "pod" not in memory:
        memory["pod"] = _start_trial(kube, spec)
        memory["seen"] = set()
        return False, f"trial pod {memory['pod']} started"
    pod = kube.get("pod", memory["pod"], spec["namespace"])
    if pod is None:
        return False, f"trial pod {memory['pod']} is gone"
    status: dict[str, Any] = next(
        (c for c in (pod.get("status") or {}).get("containerStatuses") or []
         if c.get("name") == spec["container"]), {})
    seen = memory["seen"]
    if is_ready(pod) and "restarted" not in seen:
        seen.add("ready" if "unready" not in seen else "ready again")
    elif "ready" in seen and not is_ready(pod):
        seen.add("unready")
    if int(status.get("restartCount", 0)) > 0:
        seen.add("restarted")
    if {"ready", "unready", "restarted"} <= seen:
        return True, (f"the kubelet took trial pod {memory['pod']} out of Ready and restarted "
                      "its container once its server failed")
    missing = [what for what, word in (("never Ready", "ready"),
                                       ("never taken out of Ready", "unready"),
                                       ("never restarted", "restarted")) if word not in seen]
    return False, (f"trial pod {memory['pod']} with {spec['env']}: {', '.join(missing)} "
                   "(probes that do not check the server never notice it failing)")


def _start_trial(kube: Kube, spec: dict[str, Any]) -> str:
    dep = kube.get("deployment", spec["name"], spec["namespace"])
    if dep is None:
        raise InfraError(f"deployment/{spec['name']} not found for the probe trial")
    pod_spec = json.loads(json.dumps(dep["spec"]["template"]["spec"]))
    containers = [c for c in pod_spec.get("containers", []) if c.get("name") == spec["container"]]
    if not containers:
        raise InfraError(f"deployment/{spec['name']} has no container {spec['container']!r}")
    containers[0]["env"] = [e for e in containers[0].get("env", [])
                            if e.get("name") not in spec["env"]] + \
        [{"name": k, "value": str(v)} for k, v in spec["env"].items()]
    pod_spec["restartPolicy"] = "Always"
    name = f"{spec['name'][:40]}-probe-trial"
    kube.create({"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": name, "namespace": spec["namespace"],
                              "labels": {TRIAL_LABEL: spec["name"][:63]}},
                 "spec": pod_spec})
    return name
