"""Admission rules no schema expresses: the apiserver's Go validation for built-in kinds and
the admission webhooks of the pinned controllers (Kueue), as pure functions over dicts.

    from k8s_skillkit.admission import violations
    for v in violations(obj, old=None):      # old: the live object, for updates
        print(v)                             # path: Invalid value: ...: message

Each rule module cites the upstream file it ports. A rule is only added with tests whose
expected values come from the real component (server-side dry-run) or its source.
"""
from __future__ import annotations

from typing import Any, Callable
from . import core_misc, core_rbac, core_workloads, dra, kueue, names
from .field import Violation
from .immutable import immutable_violations
from .meta import validate_object_meta


NameCheck = Callable[[str], list[str]]


def _name_rule(plain: NameCheck, prefixed: NameCheck) -> Callable[[str, bool], list[str]]:
    """apimachinery NameIsDNS*(name, prefix): generateName prefixes get a trailing '-' masked."""
    return lambda name, prefix: prefixed(name) if prefix else plain(name)


SUBDOMAIN = _name_rule(names.is_dns1123_subdomain, names.is_dns1123_subdomain_prefix)
LABEL = _name_rule(names.is_dns1123_label, names.is_dns1123_label_prefix)
PATH_SEGMENT = _name_rule(names.is_path_segment_name, names.is_path_segment_name)

# (group, kind) -> (name rule, namespaced, Go validation of the spec)
BUILTIN = {
    ("apps", "Deployment"): (SUBDOMAIN, True, core_workloads.deployment),
    ("apps", "ReplicaSet"): (SUBDOMAIN, True, core_workloads.replica_set),
    ("apps", "StatefulSet"): (LABEL, True, core_workloads.stateful_set),
    ("apps", "DaemonSet"): (SUBDOMAIN, True, core_workloads.daemon_set),
    ("batch", "Job"): (SUBDOMAIN, True, core_workloads.job),
    ("batch", "CronJob"): (SUBDOMAIN, True, core_workloads.cron_job),
    # The PDB strategy validates no name: only the generic path-segment rule applies.
    ("policy", "PodDisruptionBudget"): (PATH_SEGMENT, True,
                                        core_workloads.pod_disruption_budget),
    ("", "ReplicationController"): (SUBDOMAIN, True, core_workloads.replication_controller),
    ("rbac.authorization.k8s.io", "Role"): (PATH_SEGMENT, True, core_rbac.role),
    ("rbac.authorization.k8s.io", "ClusterRole"): (PATH_SEGMENT, False, core_rbac.cluster_role),
    ("rbac.authorization.k8s.io", "RoleBinding"): (PATH_SEGMENT, True, core_rbac.role_binding),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): (PATH_SEGMENT, False,
                                                          core_rbac.cluster_role_binding),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): (
        SUBDOMAIN, False, core_misc.custom_resource_definition),
    ("", "PersistentVolume"): (SUBDOMAIN, False, core_misc.persistent_volume),
    ("", "LimitRange"): (SUBDOMAIN, True, core_misc.limit_range),
    ("", "ResourceQuota"): (SUBDOMAIN, True, core_misc.resource_quota),
    ("storage.k8s.io", "StorageClass"): (SUBDOMAIN, False, core_misc.storage_class),
    ("storage.k8s.io", "CSIDriver"): (SUBDOMAIN, False, None),
    ("scheduling.k8s.io", "PriorityClass"): (SUBDOMAIN, False, None),
    ("networking.k8s.io", "Ingress"): (SUBDOMAIN, True, None),
    ("networking.k8s.io", "IngressClass"): (SUBDOMAIN, False, None),
    ("autoscaling", "HorizontalPodAutoscaler"): (SUBDOMAIN, True,
                                                 core_workloads.horizontal_pod_autoscaler),
    # KEP-5311 RelaxedServiceNameValidation (GA, locked on in 1.37): a DNS-1123 label.
    ("", "Service"): (LABEL, True, core_misc.service),
    ("", "ConfigMap"): (SUBDOMAIN, True, core_misc.config_map),
    ("", "Secret"): (SUBDOMAIN, True, core_misc.secret),
    ("", "PersistentVolumeClaim"): (SUBDOMAIN, True, core_misc.persistent_volume_claim),
    ("", "Namespace"): (LABEL, False, core_misc.namespace),
    ("", "ServiceAccount"): (SUBDOMAIN, True, None),
    ("", "Pod"): (SUBDOMAIN, True, core_workloads.pod),
    ("resource.k8s.io", "ResourceClaim"): (SUBDOMAIN, True, dra.resource_claim),
    ("resource.k8s.io", "ResourceClaimTemplate"): (SUBDOMAIN, True,
                                                   dra.resource_claim_template),
    ("resource.k8s.io", "DeviceClass"): (SUBDOMAIN, False, None),
}


def group_of(obj: dict[str, Any]) -> str:
    api = str(obj.get("apiVersion", ""))
    return api.split("/")[0] if "/" in api else ""


def apiserver_violations(obj: dict[str, Any], old: dict[str, Any] | None = None, namespaced: bool | None = None,
                         custom: bool = False) -> list[Violation]:
    """The Go validation of a built-in kind, or the metadata rules of a custom resource."""
    key = (group_of(obj), str(obj.get("kind", "")))
    # Any other built-in kind still gets the generic ObjectMeta rules (registry/rest
    # ValidateCreate: path-segment name, labels, annotations, finalizers).
    default = (SUBDOMAIN, True, None) if custom else (PATH_SEGMENT, True, None)
    name_check, default_namespaced, spec_check = BUILTIN.get(key, default)
    is_namespaced = default_namespaced if namespaced is None else namespaced
    errs = validate_object_meta(obj.get("metadata"), "metadata", name_check, is_namespaced)
    if spec_check is not None:
        errs += spec_check(obj, old)
    if old is not None:
        errs += immutable_violations(obj, old)
    return errs


def webhook_violations(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Violation]:
    """Admission webhooks of the pinned controllers (Kueue v0.19)."""
    return kueue.validate(obj, old)


def violations(obj: dict[str, Any], old: dict[str, Any] | None = None, namespaced: bool | None = None,
               custom: bool = False) -> list[Violation]:
    return apiserver_violations(obj, old, namespaced, custom) + webhook_violations(obj, old)
