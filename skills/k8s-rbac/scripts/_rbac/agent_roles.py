"""Least-privilege RBAC for an AI agent: read cluster-wide, write only where approved.

RBAC has no deny rule, so "read everything except Secrets" is spelled out: the core group
lists its resources without `secrets`, and every other API group is granted by name with
resources `*` (no group ever serves Secrets but core).

    >>> [o["kind"] for o in agent_objects("advisory", "agent-system", [], "k8s-agent")]
    ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']
"""
from __future__ import annotations

MODES = ("advisory", "semi-autonomous", "operator")
READ_VERBS = ["get", "list", "watch"]
CORE_READ = ["pods", "pods/log", "pods/status", "services", "endpoints", "configmaps",
             "events", "namespaces", "nodes", "nodes/status", "persistentvolumeclaims",
             "persistentvolumes", "replicationcontrollers", "resourcequotas", "limitranges",
             "serviceaccounts", "podtemplates", "componentstatuses"]
READ_GROUPS = ["apps", "batch", "autoscaling", "policy", "networking.k8s.io",
               "storage.k8s.io", "rbac.authorization.k8s.io", "scheduling.k8s.io",
               "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "events.k8s.io",
               "apiextensions.k8s.io", "admissionregistration.k8s.io", "resource.k8s.io",
               "certificates.k8s.io", "flowcontrol.apiserver.k8s.io",
               "apiregistration.k8s.io", "metrics.k8s.io", "kueue.x-k8s.io",
               "visibility.kueue.x-k8s.io", "gateway.networking.k8s.io",
               "gateway.networking.x-k8s.io", "inference.networking.k8s.io",
               "inference.networking.x-k8s.io", "jobset.x-k8s.io",
               "leaderworkerset.x-k8s.io", "kubeflow.org", "ray.io", "trainer.kubeflow.org"]
# group/resource the agent may write, per mode (namespaced kinds only).
SEMI_KINDS = ["kueue.x-k8s.io/workloads", "gateway.networking.k8s.io/httproutes"]
OPERATOR_KINDS = SEMI_KINDS + [
    "apps/deployments", "apps/deployments/scale", "apps/statefulsets",
    "apps/statefulsets/scale", "apps/replicasets", "batch/jobs", "batch/cronjobs",
    "/configmaps", "/services", "/pods", "/persistentvolumeclaims",
    "autoscaling/horizontalpodautoscalers", "policy/poddisruptionbudgets",
    "kueue.x-k8s.io/localqueues", "gateway.networking.k8s.io/grpcroutes",
    "inference.networking.k8s.io/inferencepools",
    "inference.networking.x-k8s.io/inferenceobjectives", "jobset.x-k8s.io/jobsets",
    "leaderworkerset.x-k8s.io/leaderworkersets"]
FORBIDDEN_GROUPS = {"rbac.authorization.k8s.io", "admissionregistration.k8s.io",
                    "certificates.k8s.io"}
WRITE_VERBS = {"semi-autonomous": ["create", "update", "patch"],
               "operator": ["create", "update", "patch", "delete"]}


def parse_kind(spec: str) -> tuple[str, str]:
    """`apps/deployments` -> ('apps', 'deployments'); `/configmaps` or `configmaps` -> core;
    `workloads.kueue.x-k8s.io` -> ('kueue.x-k8s.io', 'workloads')."""
    spec = spec.strip()
    if "/" not in spec and "." in spec:
        resource, group = spec.split(".", 1)
        return group, resource.lower()
    if "/" not in spec:
        return "", spec.lower()
    group, resource = spec.split("/", 1)
    if "." not in group and group not in ("apps", "batch", "autoscaling", "policy", ""):
        return "", spec.lower()  # `pods/exec` style: core resource with subresource
    return group, resource.lower()


def rules_for(kinds: list[str], verbs: list[str]) -> list[dict]:
    by_group: dict[str, list[str]] = {}
    for spec in kinds:
        group, resource = parse_kind(spec)
        if group in FORBIDDEN_GROUPS or resource.split("/")[0] in ("secrets", "*"):
            raise ValueError(f"kind {spec!r}: the agent never writes RBAC, admission, "
                             "certificates or Secrets, and never gets wildcards")
        by_group.setdefault(group, []).append(resource)
    return [{"apiGroups": [g], "resources": sorted(set(r)), "verbs": list(verbs)}
            for g, r in sorted(by_group.items())]


def read_rules(read_secrets: bool, extra_groups: list[str]) -> list[dict]:
    core = CORE_READ + (["secrets"] if read_secrets else [])
    groups = sorted(set(READ_GROUPS) | set(extra_groups))
    return [{"apiGroups": [""], "resources": core, "verbs": READ_VERBS},
            {"apiGroups": groups, "resources": ["*"], "verbs": READ_VERBS}]


def agent_objects(mode: str, namespace: str, write_namespaces: list[str], name: str,
                  kinds: list[str] | None = None, read_secrets: bool = False,
                  extra_groups: list[str] | None = None) -> list[dict]:
    """ServiceAccount, the cluster-wide read role and, per mode, namespaced write roles."""
    labels = {"app.kubernetes.io/managed-by": "k8s-rbac", "k8s-rbac/agent": name,
              "k8s-rbac/mode": mode}
    subject = {"kind": "ServiceAccount", "name": name, "namespace": namespace}
    objects = [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": name, "namespace": namespace, "labels": labels}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
         "metadata": {"name": f"{name}-read", "labels": labels},
         "rules": read_rules(read_secrets, extra_groups or [])},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": f"{name}-read", "labels": labels},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                     "name": f"{name}-read"},
         "subjects": [subject]},
    ]
    if mode == "advisory":
        return objects
    kinds = kinds or (SEMI_KINDS if mode == "semi-autonomous" else OPERATOR_KINDS)
    rules = rules_for(kinds, WRITE_VERBS[mode])
    for ns in write_namespaces:
        objects.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                        "metadata": {"name": f"{name}-write", "namespace": ns,
                                     "labels": labels},
                        "rules": rules})
        objects.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                        "metadata": {"name": f"{name}-write", "namespace": ns,
                                     "labels": labels},
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                    "name": f"{name}-write"},
                        "subjects": [subject]})
    return objects


def network_policies(namespace: str, gateway_namespace: str, name: str) -> list[dict]:
    """Tenant isolation: deny all, then allow DNS, same-namespace traffic and the gateway."""
    labels = {"app.kubernetes.io/managed-by": "k8s-rbac", "k8s-rbac/agent": name}

    def policy(suffix: str, spec: dict) -> dict:
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                "metadata": {"name": f"{name}-{suffix}", "namespace": namespace,
                             "labels": labels},
                "spec": {"podSelector": {}, **spec}}

    dns_peer = {"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}
    gateway = {"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": gateway_namespace}}}
    return [
        policy("default-deny", {"policyTypes": ["Ingress", "Egress"]}),
        policy("allow-dns", {"policyTypes": ["Egress"], "egress": [{
            "to": [dns_peer],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}),
        policy("allow-same-namespace", {
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "egress": [{"to": [{"podSelector": {}}]}]}),
        policy("allow-from-gateway", {"policyTypes": ["Ingress"],
                                      "ingress": [{"from": [gateway]}]}),
    ]


def grants(mode: str, kinds: list[str] | None) -> list[str]:
    """One line per permission, for the text summary."""
    lines = ["read (get/list/watch) every resource cluster-wide except Secrets"]
    if mode != "advisory":
        kinds = kinds or (SEMI_KINDS if mode == "semi-autonomous" else OPERATOR_KINDS)
        lines.append(f"{'/'.join(WRITE_VERBS[mode])} only in the write namespaces, only: "
                     + ", ".join(kinds))
    lines.append("never: RBAC objects, admission webhooks, CSRs, Secrets' data, "
                 "impersonate/escalate/bind, pods/exec")
    return lines
