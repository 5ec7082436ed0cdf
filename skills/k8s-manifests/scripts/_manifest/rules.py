"""The rule registry: stable id, severity, the exact fix, and the check behind it.

Ids are part of the output contract (the `cause` of each finding) and are documented in
references/rules.md; a test keeps the two in step.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from k8s_skillkit.findings import finding

from _manifest import rules_objects as ob
from _manifest import rules_pod as pod
from _manifest.workloads import pod_sites


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    scope: str          # "pod": fn(obj, site); "object": fn(obj, objects[, kube_minor])
    fn: Callable
    fix: str


SC = "containers[].securityContext"  # of the pod template the evidence names
RULES = [
    Rule("missing_resource_requests", "warning", "pod", pod.missing_requests,
         "set resources.requests.cpu and resources.requests.memory on every container"),
    Rule("missing_memory_limit", "warning", "pod", pod.missing_memory_limit,
         "set resources.limits.memory (usually equal to the memory request)"),
    Rule("missing_readiness_probe", "warning", "pod", pod.missing_readiness_probe,
         "add a readinessProbe (httpGet on the health path, or tcpSocket on the serving port)"),
    Rule("missing_liveness_probe", "info", "pod", pod.missing_liveness_probe,
         "add a livenessProbe with a generous failureThreshold, after a startupProbe"),
    Rule("gpu_missing_startup_probe", "warning", "pod", pod.gpu_missing_startup_probe,
         "add a startupProbe on the health path with failureThreshold x periodSeconds longer "
         "than the model load time (e.g. 60 x 10s)"),
    Rule("image_latest_tag", "warning", "pod", pod.image_latest,
         "pin the image to a version tag or a digest (image: repo/name:1.2.3 or @sha256:...)"),
    Rule("privileged_container", "error", "pod", pod.privileged,
         f"remove {SC}.privileged or set it to false; grant only the capability needed"),
    Rule("privilege_escalation_allowed", "warning", "pod", pod.privilege_escalation,
         f"set {SC}.allowPrivilegeEscalation: false"),
    Rule("run_as_root_allowed", "warning", "pod", pod.run_as_root,
         "set securityContext.runAsNonRoot: true (pod level) and a non-zero runAsUser if the "
         "image has no USER"),
    Rule("capabilities_not_dropped", "warning", "pod", pod.capabilities_not_dropped,
         f"set {SC}.capabilities.drop: [ALL]"),
    Rule("dangerous_capabilities", "warning", "pod", pod.dangerous_capabilities,
         f"remove {SC}.capabilities.add entries other than NET_BIND_SERVICE"),
    Rule("seccomp_profile_missing", "warning", "pod", pod.seccomp_missing,
         "set the pod's securityContext.seccompProfile.type: RuntimeDefault"),
    Rule("writable_root_filesystem", "info", "pod", pod.writable_root,
         f"set {SC}.readOnlyRootFilesystem: true and mount an emptyDir where the app writes "
         "(e.g. /tmp)"),
    Rule("host_path_volume", "warning", "pod", pod.host_path,
         "replace the hostPath volume with a PVC, configMap, secret or emptyDir"),
    Rule("host_namespaces", "warning", "pod", pod.host_namespaces,
         "remove hostNetwork/hostPID/hostIPC (expose ports through a Service instead)"),
    Rule("extended_resource_limit_mismatch", "error", "pod", pod.extended_resource_mismatch,
         "set resources.limits.<resource> equal to resources.requests.<resource> (for GPUs, "
         "setting only limits is enough: the request defaults to it)"),
    Rule("extended_resource_fraction", "error", "pod", pod.extended_resource_fraction,
         "request whole devices (nvidia.com/gpu: 1); share a GPU with MIG, time-slicing or DRA"),
    Rule("gpu_no_scheduling_hint", "info", "pod", pod.gpu_no_scheduling_hint,
         "add a nodeSelector (e.g. nvidia.com/gpu.present: \"true\") and a toleration for the "
         "GPU nodes' taint (e.g. nvidia.com/gpu NoSchedule)"),
    Rule("gpu_missing_dev_shm", "warning", "pod", pod.gpu_missing_shm,
         "add volume {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2Gi}} and mount it at "
         "/dev/shm"),
    Rule("missing_recommended_labels", "info", "object", ob.missing_labels,
         "add metadata.labels app.kubernetes.io/name (and instance, component, part-of, "
         "managed-by)"),
    Rule("job_missing_backoff_limit", "info", "object", ob.job_backoff_limit,
         "set spec.backoffLimit explicitly (0-3 for training; retries repeat the whole run)"),
    Rule("job_missing_ttl", "info", "object", ob.job_ttl,
         "set spec.ttlSecondsAfterFinished (e.g. 86400) so finished Jobs are garbage-collected"),
    Rule("kueue_queue_label_misplaced", "warning", "object", ob.kueue_label_misplaced,
         "move the kueue.x-k8s.io/queue-name label to the workload's own metadata.labels"),
    Rule("kueue_job_not_suspended", "info", "object", ob.kueue_job_not_suspended,
         "set spec.suspend: true so the Job waits for Kueue admission even if the Kueue "
         "webhook is unavailable"),
    Rule("kueue_v1beta1_deprecated", "info", "object", ob.kueue_v1beta1,
         "switch to apiVersion kueue.x-k8s.io/v1beta2 (ClusterQueue spec.cohort -> "
         "spec.cohortName; admissionChecks -> admissionChecksStrategy.admissionChecks)"),
    Rule("removed_api_version", "error", "object", ob.removed_api,
         "change apiVersion to the replacement named in the evidence (`kubectl convert` helps)"),
    Rule("deprecated_api_version", "warning", "object", ob.deprecated_api,
         "change apiVersion to the replacement named in the evidence before upgrading"),
    Rule("pdb_blocks_drain", "warning", "object", ob.pdb_blocks_drain,
         "run at least 2 replicas, or use maxUnavailable: 1 instead of minAvailable"),
    Rule("hpa_target_missing", "warning", "object", ob.hpa_target_missing,
         "point spec.scaleTargetRef at the kind/name of a workload in this file (or apply it "
         "first)"),
    Rule("hpa_target_missing_request", "warning", "object", ob.hpa_target_no_cpu_request,
         "set resources.requests for the metric's resource on every container of the target"),
    Rule("hpa_with_fixed_replicas", "info", "object", ob.hpa_fixed_replicas,
         "remove spec.replicas from the workload and let the HPA own it"),
    Rule("service_selector_no_match", "warning", "object", ob.service_selector,
         "make spec.selector a subset of the pod template labels (not the selector of the "
         "workload's metadata)"),
    Rule("service_target_port_unknown", "warning", "object", ob.service_target_port,
         "set targetPort to a containerPort name or number the selected pods expose"),
    Rule("job_subdomain_without_service", "warning", "object", ob.job_subdomain_service,
         "add a Service with clusterIP: None named after spec.template.spec.subdomain whose "
         "selector matches the Job's pods"),
    Rule("training_world_size_mismatch", "warning", "object", ob.world_size_mismatch,
         "make WORLD_SIZE, spec.completions and spec.parallelism the same number"),
]
RULES_BY_ID = {rule.id: rule for rule in RULES}
_VERSIONED = {"removed_api_version", "deprecated_api_version"}


def run_rules(objects: list[dict], kube_minor: int = 0, mistyped=frozenset()) -> list[dict]:
    """Every rule over every object, as shared-shape findings.

    `mistyped`: ids of objects with fields of the wrong type (a schema_violation says so);
    a rule that cannot read such an object is skipped for it instead of failing."""
    out = []
    for obj in objects:
        for rule in RULES:
            try:
                hits = _hits(rule, obj, objects, kube_minor)
            except (AttributeError, KeyError, TypeError):
                if id(obj) in mistyped:
                    continue
                raise
            for message, evidence, _path in hits:
                out.append(finding(rule.severity, rule.id, obj, message, evidence, rule.fix))
    return out


def _hits(rule: Rule, obj: dict, objects: list[dict], kube_minor: int):
    if rule.scope == "pod":
        return [hit for site in pod_sites(obj) for hit in rule.fn(obj, site)]
    if rule.id in _VERSIONED:
        return rule.fn(obj, objects, kube_minor)
    return rule.fn(obj, objects)
