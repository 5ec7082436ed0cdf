"""What is wrong with one pod: the most specific cause, its evidence and the fix.

classify(cluster, pod) -> problem dict {cause, severity, container, message, evidence, fix,
signature} or None for a healthy pod. `signature` groups identical failures across pods.
"""
from __future__ import annotations

import functools
import re

from k8s_skillkit.quantity import format_quantity, parse_quantity

from _tshoot import kubeletmsg as km
from _tshoot import rejected_reason, sched
from _tshoot.model import meta
from _tshoot.redact import redact
from _tshoot.reports import Report, admission_refusal
from _tshoot.reports import classify as _classify_message
from _tshoot.verdict import _FIX, message_fix

GPU_PATTERNS = re.compile(
    r"CUDA out of memory|OutOfMemoryError: CUDA|CUDA error|CUBLAS_STATUS_ALLOC_FAILED|"
    r"\bXid\b|NVRM|GPU has fallen off the bus|uncorrectable ECC|NVML|"
    r"cudaErrorMemoryAllocation|NCCL error", re.I)
_XID = re.compile(r"Xid\s*(?:\([^)]*\))?\s*:?\s*(\d+)", re.I)
_EXIT_CMD = re.compile(r"(?:^|[;&|\s])exit\s+(\d+)\s*$")
_MEM_NEED = re.compile(r"(?:--vm-bytes[= ]|-Xmx|--memory[= ]|--mem[= ])"
                       r"(\d+(?:\.\d+)?)([KMGkmg]i?)?")
PULL_REASONS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
                "RegistryUnavailable")
CONFIG_REASONS = ("CreateContainerConfigError",)


@functools.lru_cache(maxsize=4096)
def mentions_gpu(message: str) -> bool:
    """GPU_PATTERNS found in a message; cached: the long case-insensitive alternation is
    tried on every event of every failing pod, and a big cluster repeats its messages."""
    return GPU_PATTERNS.search(message) is not None


@functools.lru_cache(maxsize=4096)
def classify_message(text: str) -> Report | None:
    """reports.classify, cached: the replicas of a failing workload repeat the same events
    and waiting messages, and each is tried against every rule. The Report is shared:
    read it, never change it."""
    return _classify_message(text)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def warnings(cluster, pod: dict, limit: int = 3) -> list[str]:
    """The pod's Warning events, deduplicated, most frequent first."""
    seen = {}
    for ev in cluster.view(pod).events:
        if ev.get("type") != "Warning":
            continue
        key = (ev.get("reason", ""), _short(ev.get("message") or ev.get("note") or "", 240))
        seen[key] = seen.get(key, 0) + int(ev.get("count") or 1)
    ranked = sorted(seen.items(), key=lambda kv: -kv[1])[:limit]
    return [f'event {r} (x{n}): "{redact(m)}"' for (r, m), n in ranked]


def _container(pod: dict, name: str) -> dict:
    for c in (pod.get("spec") or {}).get("containers") or []:
        if c.get("name") == name:
            return c
    return {}


def _cmd(c: dict) -> str:
    return " ".join(str(x) for x in (c.get("command") or []) + (c.get("args") or []))


def classify(cluster, pod: dict) -> dict | None:
    view = cluster.view(pod)
    status, phase = view.status, view.phase
    if view.deleting or phase == "Succeeded":
        return None
    if phase == "Failed" and status.get("reason") == "Evicted":
        return _evicted(pod)
    if phase == "Failed" and status.get("reason"):
        found = _pod_reason(pod, status)
        if found:
            return found
    if not phase and pod.get("_source") == "table":  # a STATUS the kit reads as no phase
        found = rejected_reason.finding(meta(pod, "name"), meta(pod, "namespace"),
                                        status.get("reason") or "", "STATUS")
        if found:
            return found
    if phase == "Pending" and not view.spec.get("nodeName"):
        if sched.is_unschedulable(pod):  # no verdict yet: the scheduler has not tried
            found = sched.explain(cluster, pod)
            return {"severity": "error", "container": "", **found}
    statuses = (status.get("initContainerStatuses") or []) + (status.get("containerStatuses")
                                                               or [])
    main = status.get("containerStatuses") or []
    if phase == "Running" and main and all(cs.get("ready") and not cs.get("restartCount")
                                           for cs in main):
        # The common case, kept cheap for 50,000-pod dumps: only GPU events and config refs.
        if view.events:
            found = _gpu(cluster, pod, statuses[-1])
            if found:
                return found
        return _config_refs_cached(cluster, pod)
    for check in (_gpu, _oom, _image, _config_state, _crash):
        for cs in statuses:
            found = check(cluster, pod, cs)
            if found and cs.get("ready"):
                # it failed before but runs and is Ready now: worth knowing, not an outage
                found.update(severity="warning", message=found["message"] + " - Ready again now",
                             signature=found["signature"] + ":recovered")
            if found:
                return _liveness(cluster, pod, found)
    found = (_state_verdict(pod, statuses) or _event_verdict(cluster, pod)
             or _config_refs_cached(cluster, pod))
    if found:
        return found
    return _not_ready(cluster, pod, statuses)


def _reported(rep, container: str, where: str) -> dict:
    """A finding from one message the kubelet wrote into the pod's status."""
    msg, fix = message_fix(rep)
    return {"cause": rep.cause, "severity": "error", "container": container,
            "basis": "reported", "message": msg,
            "evidence": [f'{where}: "{redact(_short(rep.quote))}"'], "fix": fix,
            "signature": f"{rep.cause}:{_short(rep.quote, 80)}"}


def _pod_reason(pod: dict, status: dict) -> dict | None:
    """A Failed pod whose reason the kubelet set: refused at admission (OutOfcpu, NodeAffinity,
    UnexpectedAdmissionError, ...), activeDeadlineSeconds (DeadlineExceeded), ..."""
    reason, message = status["reason"], status.get("message") or ""
    # (a `get pods` row: its STATUS is the reason alone, as the kubelet set it)
    rep = classify_message(f"{reason}: {message}") or (
        None if message else admission_refusal(reason))
    if not rep:
        return rejected_reason.finding(meta(pod, "name"), meta(pod, "namespace"), reason,
                                       "status.reason") if not message else None
    return _reported(rep, "", f"status.reason {status['reason']}")


# waiting/terminated reasons the checks above do not read; the kubelet's message says why
_STATE_CAUSES = ("container_start_failed", "image_pull", "run_as_non_root", "config_missing")


def _state_verdict(pod: dict, statuses: list) -> dict | None:
    for cs in statuses:
        state = cs.get("state") or {}
        for key in ("waiting", "terminated"):
            st = state.get(key) or {}
            if not st.get("reason") or st.get("reason") in ("Completed", "ContainerCreating",
                                                             "PodInitializing"):
                continue
            rep = classify_message(f'{st["reason"]}: {st.get("message") or ""}')
            if rep and rep.cause in _STATE_CAUSES:
                return _reported(rep, cs.get("name", ""), f"{cs.get('name')}: {key} "
                                                          f"{st['reason']}")
    return None


def _evicted(pod: dict) -> dict:
    msg = (pod.get("status") or {}).get("message") or ""
    res = km.EVICTED.search(msg)
    return {"cause": "evicted", "severity": "error", "container": "", "basis": "reported",
            "message": "evicted by the kubelet" + (
                f": {next(g for g in res.groups() if g)} pressure or limit" if res else ""),
            "evidence": [f'status.reason Evicted: "{redact(_short(msg))}"'],
            "fix": "free the node's disk/memory and set requests (ephemeral-storage, memory) so "
                   "the pod is not the first victim; delete the Failed pod once understood",
            "signature": f"evicted:{res.group(0) if res else ''}"}


def _event_verdict(cluster, pod) -> dict | None:
    """A pod the kubelet cannot start (sandbox, volumes, config): its events say why."""
    events = cluster.view(pod).events
    reports = [r for e in events if e.get("type") == "Warning" for r in [classify_message(
        f'{e.get("reason", "")}: {e.get("message") or e.get("note") or ""}')] if r]
    reports = [r for r in reports if r.cause in ("sandbox_failed", "mount_failed",
                                                 "config_missing")]
    if not reports:
        return None
    best = max(reports, key=lambda r: r.weight)
    headline = {"sandbox_failed": "the pod sandbox (network) cannot be created",
                "mount_failed": "a volume cannot be attached or mounted",
                "config_missing": "a ConfigMap/Secret it mounts is missing"}[best.cause]
    return {"cause": best.cause, "severity": "error", "container": "", "basis": "reported",
            "message": headline, "evidence": [f'event: "{redact(best.quote)}"'],
            "fix": _FIX[best.cause], "signature": f"{best.cause}:{best.quote[:80]}"}


def _liveness(cluster, pod, found: dict) -> dict:
    """A crash loop the kubelet itself causes by killing a container that fails its liveness
    (or startup) probe is a probe problem, not an application crash."""
    if found["cause"] != "crash_loop":
        return found
    events = cluster.view(pod).events
    kills = [e for e in events if km.LIVENESS_KILL.search(e.get("message") or "")
             or (e.get("reason") == "Unhealthy" and re.search(
                 r"(liveness|startup) probe", e.get("message") or "", re.I))]
    if not kills:
        return found
    c = _container(pod, found["container"])
    probe = c.get("livenessProbe") or c.get("startupProbe") or {}
    detail = ", ".join(f"{k} {probe[k]}" for k in ("initialDelaySeconds", "timeoutSeconds",
                                                     "periodSeconds", "failureThreshold")
                       if k in probe)
    return {**found, "cause": "probe_failing",
            "message": f"container {found['container']} is killed by its liveness probe and "
                       "restarted" + (f" ({detail})" if detail else ""),
            "evidence": [f'event: "{redact(_short(kills[-1].get("message", "")))}"']
            + found["evidence"],
            "fix": "the liveness probe kills the container before it answers: add a "
                   "startupProbe or raise initialDelaySeconds/timeoutSeconds/failureThreshold, "
                   "or fix the probed endpoint; a liveness probe must not depend on slow "
                   "dependencies",
            "signature": "liveness:" + found["signature"]}


def _terminated(cs: dict) -> dict:
    return ((cs.get("lastState") or {}).get("terminated")
            or (cs.get("state") or {}).get("terminated") or {})


def _gpu(cluster, pod, cs) -> dict | None:
    term = _terminated(cs)
    text = term.get("message") or ""
    hits = [line for line in text.splitlines() if GPU_PATTERNS.search(line)]
    events = [e for e in cluster.view(pod).events
              if mentions_gpu(e.get("message") or "")]
    if not hits and not events:
        return None
    line = hits[-1] if hits else events[-1].get("message", "")
    return gpu_problem(line, cs.get("name", ""), _container(pod, cs.get("name", "")),
                       [f'last log line (termination message): "{redact(_short(h))}"'
                        for h in hits[-2:]]
                       + [f'event {e.get("reason")}: "{redact(_short(e.get("message")))}"'
                          for e in events[-2:]], cs.get("restartCount", 0))


def gpu_problem(line: str, cname: str, container: dict, evidence: list[str],
                restarts: int = 0) -> dict:
    xid = _XID.search(line)
    if xid:
        code = int(xid.group(1))
        hw = code in (48, 63, 64, 74, 79, 92, 94, 95, 119, 120)
        fix = ("cordon the node (kubectl cordon NODE), drain it and have the GPU checked: Xid "
               f"{code} is a hardware/driver fault; reschedule the job on healthy nodes"
               if hw else f"Xid {code} is usually an application/driver error (bad memory "
               "access): check the CUDA code and driver/CUDA versions; restart on another node "
               "if it repeats")
        return {"cause": "gpu_pressure", "severity": "error", "container": cname,
                "message": f"GPU Xid {code} error" + (f" in container {cname}" if cname else ""),
                "evidence": evidence, "fix": fix, "signature": f"xid{code}"}
    cmd = _cmd(container)
    batch = re.search(r"--batch[-_]size[= ](\d+)", cmd)
    fix = ("CUDA ran out of GPU memory: lower the per-GPU batch size"
           + (f" (--batch-size {batch.group(1)} -> {max(1, int(batch.group(1)) // 2)})"
              if batch else "")
           + ", enable gradient checkpointing / mixed precision, or request a GPU with more "
             "memory (nodeSelector nvidia.com/gpu.product); more GPUs only help if the job "
             "shards the model")
    return {"cause": "gpu_pressure", "severity": "error", "container": cname,
            "message": f"container {cname} runs out of GPU memory (CUDA OOM) and restarts "
                       f"({restarts} restarts)",
            "evidence": evidence, "fix": fix,
            "signature": f"cudaoom:{cname}:{batch.group(1) if batch else ''}"}


def _oom(cluster, pod, cs) -> dict | None:
    term = _terminated(cs)
    if term.get("reason") != "OOMKilled":
        return None
    name = cs.get("name", "")
    c = _container(pod, name)
    limit = ((c.get("resources") or {}).get("limits") or {}).get("memory")
    need = _declared_memory(_cmd(c) + " " + " ".join(
        f"{e.get('value', '')}" for e in c.get("env") or []))
    ev = [f"lastState.terminated: reason OOMKilled, exitCode {term.get('exitCode')}, "
          f"restartCount {cs.get('restartCount', 0)}",
          f"limits.memory {limit or 'none'}; requests.memory "
          f"{((c.get('resources') or {}).get('requests') or {}).get('memory') or 'none'}"]
    if need:
        ev.append(f"the container's own arguments ask for {format_quantity(need, 'memory')}")
    ev += warnings(cluster, pod, 2)
    target = _suggest_memory(limit, need)
    fix = (f"raise resources.limits.memory of container {name} to {target} (and requests to "
           f"match) or make the process use less memory" if target else
           f"set resources.limits.memory on container {name} above its peak use")
    observed = (f"needs ~{format_quantity(need, 'memory')}" if need
                else "killed at its limit")
    return {"cause": "oom_killed", "severity": "error", "container": name,
            "message": f"container {name} is OOMKilled: limit {limit or 'none'}, {observed}",
            "evidence": ev, "fix": fix, "signature": f"oom:{name}:{limit}"}


def _declared_memory(text: str):
    m = _MEM_NEED.search(text)
    if not m:
        return None
    unit = (m.group(2) or "").upper().rstrip("I")
    factor = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}.get(unit, 1)
    try:
        return parse_quantity(m.group(1)) * factor
    except ValueError:
        return None


def _suggest_memory(limit, need):
    try:
        cur = parse_quantity(limit) if limit else None
    except ValueError:
        cur = None
    base = max([q for q in (need and need * 5 / 4, cur and cur * 2) if q] or [0])
    if not base:
        return None
    mib = -(-int(base) // 2**20)
    return f"{-(-mib // 64) * 64}Mi"


def _image(cluster, pod, cs) -> dict | None:
    waiting = (cs.get("state") or {}).get("waiting") or {}
    if waiting.get("reason") not in PULL_REASONS:
        return None
    image, msg = cs.get("image", ""), waiting.get("message") or ""
    events = [e.get("message") or "" for e in
              cluster.view(pod).events
              if e.get("reason") in ("Failed", "ErrImagePull") and "pull" in
              (e.get("message") or "").lower()]
    kind = km.pull_kind(" ".join([waiting["reason"], msg] + events))
    if kind == "registry auth":
        fix = ("create a docker-registry Secret (kubectl create secret docker-registry ...) in "
               f"namespace {meta(pod, 'namespace')} and reference it in spec.imagePullSecrets "
               "(or on the ServiceAccount)")
    elif kind in ("tag or repository not found", "pull failed"):
        kind = "tag or repository not found"
        repo, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "")
        fix = (f"image {image} does not exist: set container {cs.get('name')} image to a tag "
               f"that is published for {repo or image} (list the repository's tags), then "
               "roll out")
    else:
        fix = km.PULL_FIX[kind]
    ev = [f"{cs.get('name')}: waiting {waiting['reason']}: \"{redact(_short(msg))}\""]
    ev += warnings(cluster, pod, 2)
    return {"cause": "image_pull", "severity": "error", "container": cs.get("name", ""),
            "message": f"cannot pull image {image} ({kind})", "evidence": ev, "fix": fix,
            "signature": f"pull:{image}:{kind}"}


def _config_state(cluster, pod, cs) -> dict | None:
    waiting = (cs.get("state") or {}).get("waiting") or {}
    if waiting.get("reason") not in CONFIG_REASONS:
        return None
    message = waiting.get("message", "")
    if km.SUBPATH.search(message):  # a volume's subPath, not a ConfigMap/Secret: the events
        return None                   # say which volume (kubelet_pods.go@v1.37.2:368, :388)
    if km.NON_ROOT.search(message):  # the securityContext, not a ConfigMap/Secret
        rep = classify_message(message)
        headline, fix = message_fix(rep)
        return {"cause": "run_as_non_root", "severity": "error", "container": cs.get("name", ""),
                "message": f"container {cs.get('name')}: {headline}", "basis": "reported",
                "evidence": [f'waiting {waiting["reason"]}: "{_short(message)}"'], "fix": fix,
                "signature": f"nonroot:{cs.get('name')}"}
    found = _config_refs(cluster, pod)
    if found:
        found["evidence"].insert(0, f'{cs.get("name")}: waiting {waiting["reason"]}: '
                                    f'"{_short(waiting.get("message", ""))}"')
        return found
    return {"cause": "config_missing", "severity": "error", "container": cs.get("name", ""),
            "message": f"container {cs.get('name')} cannot be created: "
                       f"{_short(waiting.get('message', ''), 160)}",
            "evidence": [f'waiting {waiting["reason"]}: "{_short(waiting.get("message", ""))}"'],
            "fix": "create the ConfigMap/Secret (or the key) named in the message, or mark the "
                   "reference optional: true", "signature": f"cfg:{waiting.get('message')}"}


def config_refs(pod: dict):
    """Yield (kind, name, key_or_None, where) for every non-optional ConfigMap/Secret ref."""
    spec = pod.get("spec") or {}
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        for e in c.get("env") or []:
            src = e.get("valueFrom") or {}
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = src.get(field)
                if ref and not ref.get("optional"):
                    yield (kind, ref.get("name", ""), ref.get("key"),
                           f"{c.get('name')} env {e.get('name')}")
        for e in c.get("envFrom") or []:
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = e.get(field)
                if ref and not ref.get("optional"):
                    yield kind, ref.get("name", ""), None, f"{c.get('name')} envFrom"
    for v in spec.get("volumes") or []:
        sources = [v] + [s for s in ((v.get("projected") or {}).get("sources") or [])]
        for s in sources:
            for field, kind, key in (("configMap", "ConfigMap", "name"),
                                     ("secret", "Secret", "secretName")):
                ref = s.get(field)
                if ref and not ref.get("optional"):
                    name = ref.get(key) or ref.get("name", "")
                    keys = [i.get("key") for i in ref.get("items") or []] or [None]
                    for k in keys:
                        yield kind, name, k, f"volume {v.get('name')}"


def _config_refs_cached(cluster, pod) -> dict | None:
    """Pods of one ReplicaSet/StatefulSet revision share their references: check once."""
    key = cluster.view(pod).revision()
    if key is None:
        return _config_refs(cluster, pod)
    cache = cluster.__dict__.setdefault("_config_cache", {})
    if key not in cache:
        cache[key] = _config_refs(cluster, pod)
    found = cache[key]
    return None if found is None else {**found, "evidence": list(found["evidence"])}


def _config_refs(cluster, pod) -> dict | None:
    if not (cluster.has_kind("ConfigMap") or cluster.has_kind("Secret")):
        return None  # a dump without them proves nothing
    ns = meta(pod, "namespace")
    missing = []
    for kind, name, key, where in config_refs(pod):
        if not cluster.has_kind(kind):
            continue
        obj = cluster.get(kind, ns, name)
        if obj is None:
            if cluster.absent(kind, ns, name):  # live, or a full list of the kind in the dump
                missing.append((kind, name, None, where))
            continue
        elif key and key not in (obj.get("keys") or list((obj.get("data") or {}))):
            missing.append((kind, name, key, where))
    if not missing:
        return None
    ev = []
    for kind, name, key, where in missing[:4]:
        obj = cluster.get(kind, ns, name)
        have = f"; it has keys: {', '.join((obj.get('keys') or [])[:8]) or 'none'}" if obj else ""
        ev.append(f"{where} -> {kind} {name}" + (f" key {key}: key absent{have}" if key
                                                  else ": object does not exist"))
    kind, name, key, _ = missing[0]
    what = f"key {key} in {kind} {name}" if key else f"{kind} {name}"
    fix = (f"create {kind} {name} in namespace {ns} with the keys the pod reads" if not key else
           f"add key {key} to {kind} {name} (or fix the key name in the pod template)")
    if kind == "Secret":
        fix += " - set the value yourself; never paste secret values into chat"
    return {"cause": "config_missing", "severity": "error", "container": "",
            "basis": "inferred",
            "confirm": f"kubectl get {kind.lower()} {name} -n {ns}" + (
                f" -o jsonpath='{{.data.{key}}}'" if key and kind == "ConfigMap" else ""),
            "message": f"references {what}, which does not exist"
                       + (f" (+{len(missing) - 1} more)" if len(missing) > 1 else ""),
            "evidence": ev, "fix": fix + ", or mark the reference optional: true",
            "signature": "cfg:" + ",".join(f"{k}/{n}/{y}" for k, n, y, _ in missing)}


def _crash(cluster, pod, cs) -> dict | None:
    waiting = (cs.get("state") or {}).get("waiting") or {}
    term = _terminated(cs)
    restarts = cs.get("restartCount") or 0
    crashing = waiting.get("reason") == "CrashLoopBackOff" or (
        term and term.get("exitCode") not in (0, None) and (restarts >= 3 or (
            (pod.get("status") or {}).get("phase") == "Failed")))
    if not crashing:
        return None
    name, code = cs.get("name", ""), term.get("exitCode")
    c = _container(pod, name)
    cmd = _cmd(c)
    hint = km.exit_hint(code)
    ev = [f"lastState.terminated: reason {term.get('reason', '?')}, exitCode {code}"
          + (f" ({hint})" if hint else "") + f", restartCount {restarts}"]
    if term.get("message"):
        ev.append(f'termination message: "{redact(_short(term["message"]))}"')
    ev += warnings(cluster, pod, 2)
    explicit = _EXIT_CMD.search(cmd)
    if explicit:
        fix = (f"the container command `{_short(cmd, 120)}` ends in `exit {explicit.group(1)}`: "
               f"fix command/args of container {name} so the process keeps running")
    elif code in (126, 127):
        fix = f"fix command/args of container {name}: the entrypoint is missing or not executable"
    elif code == 137:
        fix = ("SIGKILL without OOMKilled: a failing liveness or startup probe, a shutdown "
               "that outran terminationGracePeriodSeconds (delete, eviction, preemption), an "
               "OOM kill of a child process (the main process reports 128+9) or a kill from "
               "outside the container; check Killing/Evicted events and the previous logs")
    elif code == 0:
        fix = (f"container {name} exits successfully but its controller restarts it: give it a "
               "long-running command (a server, not a one-shot script), or run one-shot work "
               "as a Job")
    elif term.get("message") and km.EXEC_FORMAT.search(term["message"]):
        fix = ("exec format error: the image's binary is built for another CPU architecture: "
               "use a multi-arch image or schedule on matching nodes (kubernetes.io/arch)")
    else:
        fix = (f"read the previous logs (kubectl logs POD -c {name} --previous), fix the "
               "application error or its config, then roll out")
    if (pod.get("status") or {}).get("phase") == "Failed":
        what = "failed (pod phase Failed, not restarted)"
    else:
        what = f"is restarted in a loop ({restarts} restarts)"
    return {"cause": "crash_loop", "severity": "error", "container": name,
            "message": f"container {name} exits with code {code} ({term.get('reason', '?')}) "
                       f"and {what}",
            "evidence": ev, "fix": fix, "signature": f"crash:{name}:{code}:{_short(cmd, 80)}"}


def _not_ready(cluster, pod, statuses) -> dict | None:
    if (pod.get("status") or {}).get("phase") != "Running":
        return None
    ready = {c.get("type"): c for c in (pod.get("status") or {}).get("conditions") or []}
    if (ready.get("Ready") or {}).get("status") != "False":
        return None
    unready = [cs for cs in statuses if not cs.get("ready") and
               ((cs.get("state") or {}).get("running"))]
    if not unready:
        return None
    cs = unready[0]
    c = _container(pod, cs.get("name", ""))
    probe = c.get("readinessProbe") or c.get("startupProbe")
    ev = warnings(cluster, pod, 2)
    ev.append(f"Ready=False: {_short((ready.get('Ready') or {}).get('message', ''), 160)}")
    if not probe and not ev[:-1]:
        return None
    fix, detail = _probe_fix(c, probe or {})
    return {"cause": "probe_failing", "severity": "warning", "container": cs.get("name", ""),
            "message": f"container {cs.get('name')} runs but fails its readiness probe"
                       + (f" ({detail})" if detail else "") + ": no traffic, rollouts stall",
            "evidence": ev, "fix": fix, "signature": f"probe:{cs.get('name')}:{detail}"}


def _probe_fix(c: dict, probe: dict) -> tuple[str, str]:
    http, tcp = probe.get("httpGet"), probe.get("tcpSocket")
    target = (http or tcp or {}).get("port")
    ports = c.get("ports") or []
    known = [p.get("containerPort") for p in ports] + [p.get("name") for p in ports]
    where = f"port {target}" + (f" path {http.get('path', '/')}" if http else "")
    if target is not None and ports and target not in known:
        good = ports[0].get("name") or ports[0].get("containerPort")
        return (f"readinessProbe targets {where} but container {c.get('name')} listens on "
                f"{', '.join(str(p.get('containerPort')) for p in ports)}: set "
                f"readinessProbe.{'httpGet' if http else 'tcpSocket'}.port to {good}",
                f"{where}, nothing listens there")
    return ("check the probe's port/path against what the app serves (kubectl port-forward and "
            "curl it); if the app is just slow to start add a startupProbe or raise "
            "initialDelaySeconds/failureThreshold", where if target is not None else "")
