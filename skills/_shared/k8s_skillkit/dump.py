"""What a loaded input can and cannot say: a dump is partial.

An object absent from a pasted dump is "not in the dump", never "missing": the user pasted
what they thought relevant. Only live mode, or a dump that holds a full list of that kind
(`kind: List` / `XxxList` whose items are of that kind, as `kubectl get <type> -o yaml`
prints), may conclude that an object does not exist. `Dump.presence` answers that question
and names the `kubectl get` that would settle it.

Scope of a full list: namespaced items cover the namespaces they were listed in (a list from
`kubectl get lq -n a -o yaml` says nothing about namespace b); an empty list says "none" for
every namespace of its kind (the user ran a get that returned nothing).
"""
from __future__ import annotations
from typing import Any

from collections.abc import Iterable, Mapping

from dataclasses import dataclass

PRESENT, ABSENT, NOT_IN_DUMP = "present", "absent", "not_in_dump"
ALL_NAMESPACES = "*"

# kind -> (resource name for kubectl, namespaced). Enough for the kinds the skills look up;
# other kinds fall back to the lower-cased kind, which kubectl also accepts.
RESOURCES = {
    "Pod": ("pods", True), "Node": ("nodes", False), "Event": ("events", True),
    "Namespace": ("namespaces", False), "Service": ("services", True),
    "Secret": ("secrets", True), "ConfigMap": ("configmaps", True),
    "ServiceAccount": ("serviceaccounts", True), "PersistentVolumeClaim": ("pvc", True),
    "PersistentVolume": ("pv", False), "StorageClass": ("storageclasses", False),
    "Job": ("jobs", True), "CronJob": ("cronjobs", True), "Deployment": ("deployments", True),
    "StatefulSet": ("statefulsets", True), "DaemonSet": ("daemonsets", True),
    "ReplicaSet": ("replicasets", True), "PriorityClass": ("priorityclasses", False),
    "RuntimeClass": ("runtimeclasses", False), "ResourceQuota": ("resourcequotas", True),
    "LimitRange": ("limitranges", True),
    "Role": ("roles", True), "RoleBinding": ("rolebindings", True),
    "ClusterRole": ("clusterroles", False), "ClusterRoleBinding": ("clusterrolebindings", False),
    "Workload": ("workloads.kueue.x-k8s.io", True),
    "LocalQueue": ("localqueues.kueue.x-k8s.io", True),
    "ClusterQueue": ("clusterqueues.kueue.x-k8s.io", False),
    "ResourceFlavor": ("resourceflavors.kueue.x-k8s.io", False),
    "AdmissionCheck": ("admissionchecks.kueue.x-k8s.io", False),
    "WorkloadPriorityClass": ("workloadpriorityclasses.kueue.x-k8s.io", False),
    "Cohort": ("cohorts.kueue.x-k8s.io", False),
    "Topology": ("topologies.kueue.x-k8s.io", False),
    "MultiKueueCluster": ("multikueueclusters.kueue.x-k8s.io", False),
    "MultiKueueConfig": ("multikueueconfigs.kueue.x-k8s.io", False),
    "ProvisioningRequestConfig": ("provisioningrequestconfigs.kueue.x-k8s.io", False),
    "ResourceClaim": ("resourceclaims", True),
    "ResourceClaimTemplate": ("resourceclaimtemplates", True),
    "DeviceClass": ("deviceclasses", False), "ResourceSlice": ("resourceslices", False),
    "Gateway": ("gateways.gateway.networking.k8s.io", True),
    "GatewayClass": ("gatewayclasses.gateway.networking.k8s.io", False),
    "HTTPRoute": ("httproutes.gateway.networking.k8s.io", True),
    "GRPCRoute": ("grpcroutes.gateway.networking.k8s.io", True),
    "ReferenceGrant": ("referencegrants.gateway.networking.k8s.io", True),
    "InferencePool": ("inferencepools", True),
    "InferenceModel": ("inferencemodels", True),
    "InferenceObjective": ("inferenceobjectives", True),
}


def resource_for(kind: str) -> tuple[str, bool]:
    """(kubectl resource name, namespaced) for a kind; unknown kinds: (kind.lower(), True)."""
    return RESOURCES.get(kind, (kind.lower(), True))


def get_command(kind: str, name: str = "", namespace: str = "") -> str:
    """The one `kubectl get` that shows the object (or every object of the kind).

    A namespaced object whose namespace is unknown is found with a field selector: kubectl
    refuses a name together with -A ("a resource cannot be retrieved by name across all
    namespaces", k8s.io/cli-runtime v0.37.2 pkg/resource/builder.go:1044), and metadata.name is a field selector
    every resource serves, CRDs included.
    """
    resource, namespaced = resource_for(kind)
    parts = ["kubectl", "get", resource]
    if name and not (namespaced and not namespace):
        parts.append(name)
    if namespaced:
        parts += ["-n", namespace] if namespace else ["-A"]
        if name and not namespace:
            parts.append(f"--field-selector=metadata.name={name}")
    parts += ["-o", "yaml"]
    return " ".join(parts)


@dataclass(frozen=True)
class Presence:
    """The answer to "does this object exist?" given what was loaded."""
    state: str          # present | absent | not_in_dump
    obj: dict[str, Any] | None    # the object when present
    command: str        # the kubectl get that shows it

    @property
    def present(self) -> bool:
        return self.state == PRESENT

    @property
    def absent(self) -> bool:
        """True only when the input could prove it: live mode or a full list of the kind."""
        return self.state == ABSENT

    def describe(self, kind: str, name: str, namespace: str = "") -> str:
        where = f"{kind} '{name}'" + (f" in namespace '{namespace}'" if namespace else "")
        if self.state == PRESENT:
            return f"{where} is in the input"
        if self.state == ABSENT:
            return f"{where} does not exist"
        return f"{where} is not in the dump (check: {self.command})"


class Dump(list[Any]):
    """The loaded objects (a list of dicts) plus what the input can prove about absence.

    `full_lists` maps a kind to the namespaces its listing covered ("*" = all, "" for
    cluster-scoped kinds); `live` is True when the objects came from the cluster itself.
    `texts` keeps the lines of a paste that were not objects (error messages, log lines),
    for scripts that read kubectl's or a webhook's error text; `commands` the pasted
    `$ kubectl ...` lines with the line after each (a `kubectl auth can-i` answer);
    `records` the decoded JSON log records (zap/logr lines: `msg`, `object`, `reason`...)
    whose lines are also in `texts`, for scripts that read a controller's structured log;
    `fragments` the YAML/JSON mappings without kind or apiVersion (a `status:` block cut from
    `kubectl get -o yaml`): not objects, since nothing says what they belong to, but kept
    decoded for scripts that can tell from their shape (their lines are also in `texts`);
    `unread` why a part that looked like YAML was kept as text instead (one line each).
    """

    def __init__(self, objects: Iterable[dict[str, Any]] = (),
                 full_lists: Mapping[str, Iterable[str]] | None = None, live: bool = False,
                 texts: Iterable[str] | None = None, forms: Iterable[str] | None = None) -> None:
        super().__init__(objects)
        self.full_lists: dict[str, set[str]] = {k: set(v) for k, v in (full_lists or {}).items()}
        self.live = live
        self.texts: list[str] = list(texts or [])
        self.forms: list[str] = list(forms or [])
        self.commands: list[tuple[str, str]] = []  # (pasted command line, next line)
        self.records: list[dict[str, Any]] = []  # JSON log records of the paste (lines in texts)
        self.fragments: list[dict[str, Any]] = []  # kind-less mappings of the paste (lines in texts)
        self.unread: list[str] = []  # YAML-looking parts kept as text, and why

    def mark_full_list(self, kind: str, namespaces: Iterable[str]) -> None:
        self.full_lists.setdefault(kind, set()).update(namespaces)

    def has_full_list(self, kind: str, namespace: str = "") -> bool:
        scope = self.full_lists.get(kind)
        if scope is None:
            return False
        _, namespaced = resource_for(kind)
        return ALL_NAMESPACES in scope or not namespaced or namespace in scope

    def find(self, kind: str, name: str, namespace: str = "") -> dict[str, Any] | None:
        objects: Iterable[dict[str, Any]] = self  # list[Any] only for list.__add__'s sake
        for obj in objects:
            meta = obj.get("metadata") or {}
            if obj.get("kind") == kind and meta.get("name") == name and (
                    not namespace or not meta.get("namespace")
                    or meta.get("namespace") == namespace):
                return obj
        return None

    def of_kind(self, *kinds: str) -> list[dict[str, Any]]:
        return [o for o in self if o.get("kind") in kinds]

    def presence(self, kind: str, name: str, namespace: str = "") -> Presence:
        """present / absent / not_in_dump for one object, with the command to check."""
        command = get_command(kind, name, namespace)
        obj = self.find(kind, name, namespace)
        if obj is not None:
            return Presence(PRESENT, obj, command)
        if self.has_full_list(kind, namespace):
            return Presence(ABSENT, None, command)
        return Presence(NOT_IN_DUMP, None, command)

    def __add__(self, other: Iterable[Any]) -> Dump:
        return self.extended(other)

    def extended(self, other: Iterable[Any]) -> Dump:
        """A new Dump holding both inputs (e.g. several kubectl gets in live mode)."""
        merged = Dump(list(self) + list(other), self.full_lists, self.live, self.texts,
                      self.forms)
        merged.commands = list(self.commands)
        merged.records = list(self.records)
        merged.fragments = list(self.fragments)
        merged.unread = list(self.unread)
        if isinstance(other, Dump):
            for kind, scope in other.full_lists.items():
                merged.mark_full_list(kind, scope)
            merged.live = self.live or other.live
            merged.texts += other.texts
            merged.forms += other.forms
            merged.commands = self.commands + other.commands
            merged.records = self.records + other.records
            merged.fragments = self.fragments + other.fragments
            merged.unread = self.unread + other.unread
        return merged


# kubectl short names (core: `kubectl api-resources`; Kueue: the CRDs' shortNames).
SHORT_NAMES = {
    "po": "Pod", "no": "Node", "ev": "Event", "ns": "Namespace", "svc": "Service",
    "sa": "ServiceAccount", "cm": "ConfigMap", "deploy": "Deployment", "rs": "ReplicaSet",
    "sts": "StatefulSet", "ds": "DaemonSet", "pvc": "PersistentVolumeClaim",
    "pv": "PersistentVolume", "pc": "PriorityClass", "quota": "ResourceQuota",
    "cq": "ClusterQueue", "lq": "LocalQueue", "queue": "LocalQueue", "queues": "LocalQueue",
    "wl": "Workload", "rf": "ResourceFlavor", "flavor": "ResourceFlavor",
    "flavors": "ResourceFlavor", "gtw": "Gateway",
}


def kind_for_resource(resource: str) -> str:
    """The kind behind a kubectl resource argument (plural, plural.group, kind, short name);
    "" when unknown."""
    name = resource.strip().lower().split("/")[0]
    if name in SHORT_NAMES:
        return SHORT_NAMES[name]
    for kind, (plural, _) in RESOURCES.items():
        short = plural.split(".")[0]
        if name in (plural, short, kind.lower(), kind.lower() + "s") or \
                name.split(".")[0] in (short, kind.lower()):
            return kind
    return ""


def full_list_scope(items: list[dict[str, Any]]) -> dict[str, set[str]]:
    """For the items of one List: kind -> namespaces covered."""
    scope: dict[str, set[str]] = {}
    for item in items:
        kind = item.get("kind", "")
        namespace = (item.get("metadata") or {}).get("namespace") or ""
        scope.setdefault(kind, set()).add(namespace)
    for kind, namespaces in scope.items():
        if len(namespaces) > 1:
            namespaces.add(ALL_NAMESPACES)  # `-A` style listing: more than one namespace
    return scope
