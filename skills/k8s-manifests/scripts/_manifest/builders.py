"""Building blocks and the generic shapes: labels, container, pod, probes, workloads.

Each shape function returns [(template name, context)]; the templates in assets/ turn a
context into YAML. Contexts carry ready-made dicts where structure is computed (resources,
probes, volumes) and the templates spell out the fixed parts.
"""
from __future__ import annotations

COMPANIONS = ("service", "pdb", "hpa")


def labels_for(opts: dict) -> tuple[dict, dict]:
    """(all recommended labels, the immutable selector subset)."""
    selector = {"app.kubernetes.io/name": opts["name"],
                "app.kubernetes.io/instance": opts["instance"] or opts["name"]}
    labels = {**selector, "app.kubernetes.io/component": opts["component"] or "app",
              "app.kubernetes.io/part-of": opts["part_of"] or opts["name"],
              "app.kubernetes.io/managed-by": opts["managed_by"]}
    return labels, selector


def base(opts: dict, name: str | None = None) -> dict:
    labels, selector = labels_for(opts)
    meta = {"name": name or opts["name"], "namespace": opts["namespace"], "labels": labels}
    return {"meta": meta, "selector": selector}


def _container(opts: dict, probes: dict) -> dict:
    requests = {"cpu": str(opts["cpu"]), "memory": str(opts["memory"])}
    limits = {"cpu": str(opts["cpu_limit"]), "memory": str(opts["memory_limit"])}
    if int(opts["gpus"]):
        # Extended resources must have request == limit (apiserver validation).
        requests[opts["gpu_resource"]] = limits[opts["gpu_resource"]] = str(int(opts["gpus"]))
    ports = [{"name": opts["port_name"], "containerPort": int(opts["port"])}] \
        if opts["port"] else []
    env = [{"name": k, "value": str(v)} for k, v in (opts["env"] or {}).items()]
    mounts = [{"name": _volume_name(p), "mountPath": p} for p in opts["writable_paths"]]
    if int(opts["gpus"]):
        mounts.append({"name": "dshm", "mountPath": "/dev/shm"})
    return {"name": opts["name"][:63], "image": opts["image"], "command": list(opts["command"]),
            "args": [str(a) for a in opts["args"]], "ports": ports, "env": env,
            "requests": requests, "limits": limits, "mounts": mounts,
            "probes": {k: probes.get(k) for k in ("startupProbe", "readinessProbe",
                                                  "livenessProbe")}}


def _pod(opts: dict, labels: dict, restart_policy: str = "") -> dict:
    volumes = [{"name": _volume_name(p), "emptyDir": {"sizeLimit": "1Gi"}}
               for p in opts["writable_paths"]]
    tolerations = []
    if int(opts["gpus"]):
        # /dev/shm defaults to 64Mi in containers; NCCL and DataLoader workers need more.
        volumes.append({"name": "dshm", "emptyDir": {"medium": "Memory",
                                                     "sizeLimit": str(opts["shm_size"])}})
        tolerations.append({"key": opts["gpu_resource"], "operator": "Exists",
                            "effect": "NoSchedule"})
    return {"labels": labels, "restart_policy": restart_policy, "subdomain": "",
            "run_as_user": int(opts["run_as_user"]), "node_selector": {},
            "tolerations": tolerations, "termination_grace": 0, "volumes": volumes}


def _probes(opts: dict, slow_start: bool = False) -> dict:
    if not opts["port"]:
        return {}
    if opts["health_path"]:
        action = {"httpGet": {"path": opts["health_path"], "port": opts["port_name"]}}
    else:
        action = {"tcpSocket": {"port": opts["port_name"]}}
    probes = {"readinessProbe": {**action, "periodSeconds": 10, "failureThreshold": 3},
              "livenessProbe": {**action, "periodSeconds": 20, "timeoutSeconds": 5,
                                "failureThreshold": 3}}
    if slow_start:
        # Loading weights takes minutes: liveness only starts once startup succeeds (15 min).
        probes["startupProbe"] = {**action, "periodSeconds": 10, "failureThreshold": 90}
    return probes


def workload(shape: str, opts: dict, slow_start: bool = False) -> list:
    # GPU servers load weights or kernels for minutes: guard liveness with a startupProbe.
    slow_start = slow_start or bool(int(opts["gpus"]))
    ctx = base(opts)
    pod = _pod(opts, ctx["meta"]["labels"])
    autoscaled = "hpa" in opts["with"]  # then the HPA owns replicas, not the manifest
    ctx.update(pod=pod, c=_container(opts, _probes(opts, slow_start)), workload={
        "replicas": None if autoscaled else int(opts["replicas"]), "service_name": opts["name"],
        "storage": opts["storage"] if shape == "statefulset" else "",
        "strategy": _gpu_strategy() if int(opts["gpus"]) and shape == "deployment" else {}})
    if shape == "statefulset":
        ctx["c"]["mounts"].append({"name": "data", "mountPath": "/data"})
    out = [(f"{shape}.yaml.j2", ctx)]
    return out + _companions(shape, opts)


def _companions(shape: str, opts: dict) -> list:
    """Service / PDB / HPA for a workload; a StatefulSet always gets its headless Service."""
    wanted = set(opts["with"]) | ({"service"} if shape == "statefulset" else set())
    sub = {**opts, "target": opts["name"], "target_kind": _kind(shape)}
    out = []
    if "service" in wanted:
        out += service(shape, sub, headless=(shape == "statefulset"))
    if "pdb" in wanted:
        out += pdb(shape, sub)
    if "hpa" in wanted:
        out += hpa(shape, sub)
    return out


def _gpu_strategy() -> dict:
    """No surge: a surge pod would wait for a free GPU that the old pod still holds."""
    return {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}


def _kind(shape: str) -> str:
    return "StatefulSet" if shape == "statefulset" else "Deployment"


def job(shape: str, opts: dict) -> list:
    ctx = base(opts)
    completions = int(opts["completions"])
    queued = bool(opts["queue"])
    if queued:
        ctx["meta"]["labels"]["kueue.x-k8s.io/queue-name"] = opts["queue"]
    pod_labels = labels_for(opts)[0]  # no queue label here: Kueue reads it from the Job
    ctx.update(pod=_pod(opts, pod_labels, "Never"),
               c=_container(opts, {}), workload={
                   "suspend": queued, "indexed": bool(opts["indexed"]),
                   "completions": completions,
                   "parallelism": int(opts["parallelism"] or completions),
                   "backoff_limit": int(opts["backoff_limit"]), "ttl": int(opts["ttl"]),
                   "active_deadline": 0, "pod_failure_policy": {}})
    return [("job.yaml.j2", ctx)]


def service(shape: str, opts: dict, headless: bool = False) -> list:
    port = int(opts["port"] or 80)
    target = opts["target_port"] or (opts["port_name"] if shape != "service" else port)
    ctx = base(opts)
    ctx["service"] = {"headless": headless, "type": opts["service_type"], "ports": [
        {"name": opts["port_name"], "port": port, "targetPort": target, "protocol": "TCP"}]}
    return [("service.yaml.j2", ctx)]


def configmap(shape: str, opts: dict) -> list:
    ctx = base(opts)
    ctx["data"] = {str(k): str(v) for k, v in (opts["data"] or {}).items()}
    return [("configmap.yaml.j2", ctx)]


def pdb(shape: str, opts: dict) -> list:
    ctx = base(opts)
    ctx["pdb"] = {"min_available": opts["min_available"],
                  "max_unavailable": opts["max_unavailable"]}
    return [("pdb.yaml.j2", ctx)]


def hpa(shape: str, opts: dict) -> list:
    ctx = base(opts)
    ctx["hpa"] = {"target_kind": opts["target_kind"], "target_name": opts["target"] or opts["name"],
                  "min_replicas": int(opts["min_replicas"]),
                  "max_replicas": int(opts["max_replicas"]),
                  "cpu_utilization": int(opts["cpu_utilization"])}
    return [("hpa.yaml.j2", ctx)]


def _volume_name(path: str) -> str:
    """/var/cache/app -> var-cache-app (a DNS label, as volume names must be)."""
    return "-".join(p for p in path.strip("/").lower().replace("_", "-").split("/") if p)[:63] \
        or "root"
