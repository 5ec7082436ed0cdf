"""Pod specs against Pod Security Standards levels and a platform policy.

Built-in levels follow the upstream Pod Security Standards (baseline, restricted);
the platform policy adds approved tolerations and node selectors, token automounting
and namespace-scoped access only.

    >>> pod = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"hostNetwork": True,
    ...        "containers": [{"name": "c", "image": "x"}]}}
    >>> sorted({f["cause"] for f in check_object(pod, {"level": "baseline"})})
    ['host_namespaces']
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

LEVELS = ("privileged", "baseline", "restricted")
BASELINE_CAPS = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                 "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                      "persistentVolumeClaim", "projected", "secret", "image"}
DEFAULT_TOLERATIONS = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
                       "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
                       "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"}
POLICY_KEYS = {"level", "allowed_tolerations", "allowed_node_selectors",
               "automount_service_account_token", "namespace_scoped_only",
               "exempt_namespaces", "description"}


def pod_spec(obj: dict) -> dict | None:
    """The pod spec of a Pod or of a workload's template (Deployment, Job, CronJob, ...)."""
    spec = obj.get("spec") or {}
    kind = obj.get("kind")
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get(
            "spec")
    if kind == "JobSet":
        jobs = spec.get("replicatedJobs") or []
        return (((jobs[0].get("template") or {}).get("spec") or {}).get("template") or {}).get(
            "spec") if jobs else None
    if kind == "LeaderWorkerSet":
        return ((spec.get("leaderWorkerTemplate") or {}).get("workerTemplate") or {}).get("spec")
    template = spec.get("template")
    return template.get("spec") if isinstance(template, dict) else None


def containers(spec: dict) -> list[dict]:
    return [c for key in ("initContainers", "containers", "ephemeralContainers")
            for c in spec.get(key) or [] if isinstance(c, dict)]


def check_object(obj: dict, policy: dict, cluster_bound: set | None = None) -> list[dict]:
    spec = pod_spec(obj)
    if not isinstance(spec, dict):
        return []
    ns = (obj.get("metadata") or {}).get("namespace", "")
    if ns and ns in (policy.get("exempt_namespaces") or []):
        return []
    level = policy.get("level", "baseline")
    out = []
    if LEVELS.index(level) >= 1:
        out += baseline(obj, spec)
    if LEVELS.index(level) >= 2:
        out += restricted(obj, spec)
    out += platform(obj, spec, policy, cluster_bound)
    return out


def _f(obj, cause, message, evidence, fix, severity="error"):
    return finding(severity, cause, obj, message, evidence, fix)


def baseline(obj: dict, spec: dict) -> list[dict]:
    out = []
    hosts = [k for k in ("hostNetwork", "hostPID", "hostIPC") if spec.get(k)]
    if hosts:
        out.append(_f(obj, "host_namespaces", f"shares the node's {', '.join(hosts)}",
                      [f"spec.{h}: true" for h in hosts], "remove " + ", ".join(hosts)))
    for v in spec.get("volumes") or []:
        if isinstance(v, dict) and "hostPath" in v:
            out.append(_f(obj, "host_path_volume", f"mounts node path "
                          f"{(v.get('hostPath') or {}).get('path')} (volume {v.get('name')})",
                          [f"volumes[{v.get('name')}].hostPath"],
                          "use an emptyDir, a PVC or a CSI volume"))
    bad_sysctls = [s.get("name") for s in ((spec.get("securityContext") or {}).get("sysctls")
                                           or []) if s.get("name") not in SAFE_SYSCTLS]
    if bad_sysctls:
        out.append(_f(obj, "unsafe_sysctls", f"sets unsafe sysctls {', '.join(bad_sysctls)}",
                      bad_sysctls, "remove them or use only the safe set"))
    pod_sc = spec.get("securityContext") or {}
    if (pod_sc.get("seccompProfile") or {}).get("type") == "Unconfined":
        out.append(_f(obj, "seccomp_unconfined", "pod seccomp profile is Unconfined",
                      ["spec.securityContext.seccompProfile.type: Unconfined"],
                      "use RuntimeDefault"))
    for c in containers(spec):
        out += _baseline_container(obj, c)
    return out


def _baseline_container(obj: dict, c: dict) -> list[dict]:
    out = []
    name = c.get("name", "?")
    sc = c.get("securityContext") or {}
    if sc.get("privileged"):
        out.append(_f(obj, "privileged_container", f"container {name} is privileged (root on "
                      "the node)", [f"containers[{name}].securityContext.privileged: true"],
                      "set privileged: false; add only the capability it needs"))
    added = set((sc.get("capabilities") or {}).get("add") or []) - BASELINE_CAPS
    if added:
        out.append(_f(obj, "capabilities_added", f"container {name} adds "
                      f"{', '.join(sorted(added))}", [f"capabilities.add: {sorted(added)}"],
                      "drop them; baseline allows only the default capability set"))
    ports = [p.get("hostPort") for p in c.get("ports") or [] if p.get("hostPort")]
    if ports:
        out.append(_f(obj, "host_port", f"container {name} binds node ports {ports}",
                      [f"ports.hostPort: {ports}"], "remove hostPort; use a Service"))
    if (sc.get("seccompProfile") or {}).get("type") == "Unconfined":
        out.append(_f(obj, "seccomp_unconfined", f"container {name} seccomp is Unconfined",
                      [f"containers[{name}].securityContext.seccompProfile.type: Unconfined"],
                      "use RuntimeDefault"))
    if sc.get("procMount") == "Unmasked":
        out.append(_f(obj, "proc_mount_unmasked", f"container {name} unmasks /proc",
                      ["procMount: Unmasked"], "remove procMount"))
    return out


def restricted(obj: dict, spec: dict) -> list[dict]:
    out = []
    pod_sc = spec.get("securityContext") or {}
    for v in spec.get("volumes") or []:
        kinds = set(v) - {"name"} if isinstance(v, dict) else set()
        if kinds and not kinds & RESTRICTED_VOLUMES and "hostPath" not in kinds:
            out.append(_f(obj, "restricted_volume_type", f"volume {v.get('name')} has type "
                          f"{', '.join(sorted(kinds))}", [f"volumes[{v.get('name')}]"],
                          "use configMap, secret, emptyDir, PVC, projected, CSI or ephemeral"))
    for c in containers(spec):
        out += _restricted_container(obj, c, pod_sc)
    return out


def _restricted_container(obj: dict, c: dict, pod_sc: dict) -> list[dict]:
    out = []
    name = c.get("name", "?")
    sc = c.get("securityContext") or {}
    if sc.get("allowPrivilegeEscalation") is not False:
        out.append(_f(obj, "privilege_escalation_allowed", f"container {name} may gain "
                      "privileges (setuid binaries)", [
                          f"allowPrivilegeEscalation: {sc.get('allowPrivilegeEscalation')}"],
                      "set securityContext.allowPrivilegeEscalation: false"))
    non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
    uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
    if non_root is not True or uid == 0:
        out.append(_f(obj, "run_as_root", f"container {name} may run as root",
                      [f"runAsNonRoot: {non_root}", f"runAsUser: {uid}"],
                      "set runAsNonRoot: true (and a non-zero runAsUser)"))
    seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
    if seccomp not in ("RuntimeDefault", "Localhost"):
        out.append(_f(obj, "seccomp_missing", f"container {name} has no seccomp profile",
                      [f"seccompProfile.type: {seccomp}"],
                      "set spec.securityContext.seccompProfile.type: RuntimeDefault"))
    caps = sc.get("capabilities") or {}
    drops = {str(d).upper() for d in caps.get("drop") or []}
    extra = set(caps.get("add") or []) - {"NET_BIND_SERVICE"}
    if "ALL" not in drops or extra:
        out.append(_f(obj, "capabilities_not_dropped", f"container {name} keeps "
                      "capabilities (restricted: drop ALL, add at most NET_BIND_SERVICE)",
                      [f"capabilities: {caps}"], "set capabilities: {drop: [ALL]}"))
    return out


def platform(obj: dict, spec: dict, policy: dict, cluster_bound: set | None) -> list[dict]:
    out = []
    if "allowed_tolerations" in policy:
        for t in spec.get("tolerations") or []:
            if t.get("key") in DEFAULT_TOLERATIONS or _toleration_ok(t, policy):
                continue
            out.append(_f(obj, "toleration_not_approved", f"tolerates "
                          f"{t.get('key') or 'every taint'}:{t.get('effect') or '*'}, which "
                          "the platform policy does not approve", [str(t)],
                          "remove it, or ask the platform team to approve it", "warning"))
    if "allowed_node_selectors" in policy:
        allowed = policy.get("allowed_node_selectors") or {}
        for key, value in (spec.get("nodeSelector") or {}).items():
            values = allowed.get(key)
            if values is None or (values not in ("*", []) and value not in values):
                out.append(_f(obj, "node_selector_not_approved", f"nodeSelector {key}={value} "
                              "is not approved", [f"approved: {allowed}"],
                              "use an approved node selector", "warning"))
    if policy.get("automount_service_account_token") is False and \
            spec.get("automountServiceAccountToken") is not False:
        out.append(_f(obj, "service_account_token_automounted", "mounts a ServiceAccount "
                      "token it may not need", ["automountServiceAccountToken is not false"],
                      "set spec.automountServiceAccountToken: false", "warning"))
    if policy.get("namespace_scoped_only") and cluster_bound is not None:
        ns = (obj.get("metadata") or {}).get("namespace", "")
        sa = spec.get("serviceAccountName") or "default"
        if (ns, sa) in cluster_bound:
            out.append(_f(obj, "cluster_scoped_access", f"runs as ServiceAccount {ns}/{sa}, "
                          "which a ClusterRoleBinding grants cluster-wide access",
                          [f"serviceAccountName: {sa}"], "bind a Role with a RoleBinding "
                          "in the namespace instead"))
    return out


def _toleration_ok(t: dict, policy: dict) -> bool:
    for allowed in policy.get("allowed_tolerations") or []:
        if all(t.get(k) == v for k, v in allowed.items() if k in ("key", "operator", "effect",
                                                                     "value")):
            return True
    return False


def policy_problems(policy: dict) -> list[str]:
    problems = []
    if set(policy) - POLICY_KEYS:
        problems.append(f"unknown keys: {', '.join(sorted(set(policy) - POLICY_KEYS))}")
    if policy.get("level", "baseline") not in LEVELS:
        problems.append(f"level must be one of {', '.join(LEVELS)}")
    if not isinstance(policy.get("allowed_node_selectors", {}), dict):
        problems.append("allowed_node_selectors must map label keys to allowed values")
    if not isinstance(policy.get("allowed_tolerations", []), list):
        problems.append("allowed_tolerations must be a list")
    return problems


def cluster_bound_service_accounts(objects: list[dict]) -> set:
    out = set()
    for b in objects:
        if b.get("kind") != "ClusterRoleBinding":
            continue
        for s in b.get("subjects") or []:
            if s.get("kind") == "ServiceAccount":
                out.add((s.get("namespace", ""), s.get("name", "")))
    return out
