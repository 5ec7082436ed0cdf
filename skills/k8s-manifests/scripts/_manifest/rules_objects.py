"""Best-practice rules over whole objects and across the objects of one file.

Each rule is `fn(obj, objects) -> list[(message, evidence, path)]`. Cross-object rules only
speak when the file holds what they compare against (a Service is only "matching nothing"
when the file has pod templates at all), because the rest may already be in the cluster.
"""
from __future__ import annotations

from k8s_skillkit.objects import dig

from _manifest.workloads import SCALABLE, pod_sites, selector_matches

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
RECOMMENDED_LABEL = "app.kubernetes.io/name"
LABELLED_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service",
                  "JobSet", "LeaderWorkerSet", "Pod"}

# (apiVersion, kind or "*") -> (Kubernetes minor that removed it, replacement apiVersion).
# Source: the Kubernetes deprecated API migration guide (kubernetes/website
# content/en/docs/reference/using-api/deprecation-guide.md).
REMOVED_APIS = {
    ("extensions/v1beta1", "*"): (16, "apps/v1 (Ingress: networking.k8s.io/v1)"),
    ("apps/v1beta1", "*"): (16, "apps/v1"),
    ("apps/v1beta2", "*"): (16, "apps/v1"),
    ("networking.k8s.io/v1beta1", "*"): (22, "networking.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "*"): (22, "rbac.authorization.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "*"): (22, "apiextensions.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"):
        (22, "admissionregistration.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"):
        (22, "admissionregistration.k8s.io/v1"),
    ("policy/v1beta1", "*"): (25, "policy/v1 (PodSecurityPolicy: use Pod Security Admission)"),
    ("batch/v1beta1", "*"): (25, "batch/v1"),
    ("discovery.k8s.io/v1beta1", "*"): (25, "discovery.k8s.io/v1"),
    ("autoscaling/v2beta1", "*"): (25, "autoscaling/v2"),
    ("autoscaling/v2beta2", "*"): (26, "autoscaling/v2"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*"): (26, "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*"): (29, "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "*"): (32, "flowcontrol.apiserver.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): (27, "storage.k8s.io/v1"),
}
# CRD versions that are outdated for this project's pins but still seen in the wild.
OUTDATED_CRDS = {
    ("inference.networking.x-k8s.io/v1alpha2", "InferencePool"):
        "inference.networking.k8s.io/v1 InferencePool (targetPortNumber -> targetPorts[].number, "
        "extensionRef -> endpointPickerRef)",
    ("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"):
        "InferenceObjective (GAIE v1.0-v1.5), which moved to the llm-d project in GAIE v1.6",
    ("inference.networking.x-k8s.io/v1alpha2", "InferenceObjective"):
        "the llm-d project's InferenceObjective (moved out of GAIE in v1.6.0)",
}


def removed_entry(api_version: str, kind: str):
    return REMOVED_APIS.get((api_version, kind)) or REMOVED_APIS.get((api_version, "*"))


def missing_labels(obj, objects):
    labels = dig(obj, "metadata", "labels", default={}) or {}
    if obj.get("kind") in LABELLED_KINDS and RECOMMENDED_LABEL not in labels:
        return [(f"no {RECOMMENDED_LABEL} label", f"metadata.labels: {sorted(labels)}",
                 "metadata.labels")]
    return []


def job_backoff_limit(obj, objects):
    if obj.get("kind") == "Job" and dig(obj, "spec", "backoffLimit") is None and \
            dig(obj, "spec", "backoffLimitPerIndex") is None:
        return [("Job relies on the default backoffLimit (6 retries)",
                 "spec.backoffLimit: unset", "spec.backoffLimit")]
    return []


def job_ttl(obj, objects):
    if obj.get("kind") == "Job" and dig(obj, "spec", "ttlSecondsAfterFinished") is None:
        return [("finished Job and its pods are never cleaned up",
                 "spec.ttlSecondsAfterFinished: unset", "spec.ttlSecondsAfterFinished")]
    return []


def kueue_label_misplaced(obj, objects):
    """Kueue reads the queue label from the Job/JobSet/... object, not from its pods.

    Source: sigs.k8s.io/kueue pkg/controller/constants (QueueLabel) and jobframework
    (QueueName reads the owner object's labels).
    """
    if obj.get("kind") == "Pod" or QUEUE_LABEL in (dig(obj, "metadata", "labels") or {}):
        return []
    for site in pod_sites(obj):
        if QUEUE_LABEL in site.labels:
            return [(f"{QUEUE_LABEL} is on the pod template, where Kueue ignores it",
                     f"{site.path.rsplit('.spec', 1)[0]}.metadata.labels.{QUEUE_LABEL}: "
                     f"{site.labels[QUEUE_LABEL]}", "metadata.labels")]
    return []


def kueue_job_not_suspended(obj, objects):
    if obj.get("kind") not in ("Job", "JobSet"):
        return []
    if QUEUE_LABEL in (dig(obj, "metadata", "labels") or {}) and \
            dig(obj, "spec", "suspend") is not True:
        return [("Kueue-managed Job is not created suspended",
                 f"spec.suspend: {dig(obj, 'spec', 'suspend')}", "spec.suspend")]
    return []


def kueue_v1beta1(obj, objects):
    if obj.get("apiVersion") == "kueue.x-k8s.io/v1beta1":
        return [("kueue.x-k8s.io/v1beta1 is deprecated; v1beta2 is the storage version",
                 f"apiVersion: {obj['apiVersion']}", "apiVersion")]
    return []


def removed_api(obj, objects, kube_minor: int = 0):
    entry = removed_entry(str(obj.get("apiVersion")), str(obj.get("kind")))
    if entry and (not kube_minor or kube_minor >= entry[0]):
        return [(f"{obj['apiVersion']} {obj['kind']} was removed in Kubernetes 1.{entry[0]}",
                 f"apiVersion: {obj['apiVersion']}; use {entry[1]}", "apiVersion")]
    return []


def deprecated_api(obj, objects, kube_minor: int = 0):
    entry = removed_entry(str(obj.get("apiVersion")), str(obj.get("kind")))
    if entry and kube_minor and kube_minor < entry[0]:
        return [(f"{obj['apiVersion']} {obj['kind']} is removed in Kubernetes 1.{entry[0]}",
                 f"apiVersion: {obj['apiVersion']}; use {entry[1]}", "apiVersion")]
    message = OUTDATED_CRDS.get((str(obj.get("apiVersion")), str(obj.get("kind"))))
    if message:
        return [(f"{obj['apiVersion']} {obj['kind']} is outdated", f"use {message}", "apiVersion")]
    return []


def pdb_blocks_drain(obj, objects):
    """minAvailable >= replicas (or maxUnavailable 0) means no voluntary eviction ever succeeds."""
    if obj.get("kind") != "PodDisruptionBudget":
        return []
    spec = obj.get("spec") or {}
    for target in objects:
        if target.get("kind") not in SCALABLE:
            continue
        sites = pod_sites(target)
        if not sites or not selector_matches(spec.get("selector") or {}, sites[0].labels):
            continue
        replicas = dig(target, "spec", "replicas", default=1)
        if _blocks(spec, replicas):
            who = f"{target['kind']}/{dig(target, 'metadata', 'name')}"
            return [(f"PDB allows no disruption of {who} ({replicas} replica(s)): "
                     "node drains hang",
                     f"minAvailable={spec.get('minAvailable')}, maxUnavailable="
                     f"{spec.get('maxUnavailable')}, replicas={replicas}", "spec")]
    return []


def _blocks(spec: dict, replicas) -> bool:
    low, high = spec.get("minAvailable"), spec.get("maxUnavailable")
    if high is not None:
        return str(high) in ("0", "0%")
    if isinstance(low, int) and isinstance(replicas, int):
        return low >= replicas
    return str(low) == "100%"


def hpa_target_missing(obj, objects):
    if obj.get("kind") != "HorizontalPodAutoscaler" or not _has_scalable(objects):
        return []
    ref = dig(obj, "spec", "scaleTargetRef", default={}) or {}
    if _find(objects, ref.get("kind"), ref.get("name")) is None:
        return [(f"scaleTargetRef {ref.get('kind')}/{ref.get('name')} is not in this file",
                 f"spec.scaleTargetRef: {ref}", "spec.scaleTargetRef")]
    return []


def hpa_target_no_cpu_request(obj, objects):
    """Utilization targets are a percentage of the request: without one the HPA cannot act."""
    if obj.get("kind") != "HorizontalPodAutoscaler":
        return []
    ref = dig(obj, "spec", "scaleTargetRef", default={}) or {}
    target = _find(objects, ref.get("kind"), ref.get("name"))
    names = {dig(m, "resource", "name") for m in dig(obj, "spec", "metrics", default=[]) or []
             if m.get("type") == "Resource"
             and dig(m, "resource", "target", "type") == "Utilization"}
    if dig(obj, "spec", "targetCPUUtilizationPercentage") is not None:
        names.add("cpu")
    hits = []
    for site in pod_sites(target) if target else []:
        for path, c in site.containers(init=False):
            lacking = [n for n in sorted(names) if n and n not in
                       ((c.get("resources") or {}).get("requests") or {})]
            if lacking:
                hits.append((f"HPA scales on {', '.join(lacking)} utilization but container "
                             f"{c.get('name')!r} has no such request",
                             f"{ref.get('kind')}/{ref.get('name')} {path}.resources.requests",
                             "spec.metrics"))
    return hits


def hpa_fixed_replicas(obj, objects):
    if obj.get("kind") not in SCALABLE or dig(obj, "spec", "replicas") is None:
        return []
    for hpa in objects:
        ref = dig(hpa, "spec", "scaleTargetRef", default={}) or {}
        if hpa.get("kind") == "HorizontalPodAutoscaler" and ref.get("kind") == obj.get("kind") \
                and ref.get("name") == dig(obj, "metadata", "name"):
            return [("spec.replicas is set although an HPA scales this object: every apply "
                     "resets the replica count", f"spec.replicas: {dig(obj, 'spec', 'replicas')}",
                     "spec.replicas")]
    return []


def service_selector(obj, objects):
    selector = dig(obj, "spec", "selector")
    if obj.get("kind") != "Service" or not selector:
        return []
    sites = [s for o in objects for s in pod_sites(o)]
    if sites and not any(selector_matches(selector, s.labels) for s in sites):
        return [("selector matches no pod template in this file",
                 f"spec.selector: {selector}", "spec.selector")]
    return []


def service_target_port(obj, objects):
    selector = dig(obj, "spec", "selector")
    if obj.get("kind") != "Service" or not selector:
        return []
    sites = [s for o in objects for s in pod_sites(o) if selector_matches(selector, s.labels)]
    if not sites:
        return []
    names = {p.get("name") for s in sites for _, c in s.containers(init=False)
             for p in c.get("ports") or []}
    return [(f"targetPort {p['targetPort']!r} is not a container port name",
             f"spec.ports[{i}].targetPort: {p['targetPort']}; container ports: "
             f"{sorted(n for n in names if n)}",
             f"spec.ports[{i}]")
            for i, p in enumerate(dig(obj, "spec", "ports", default=[]) or [])
            if isinstance(p.get("targetPort"), str) and p["targetPort"] not in names]


def job_subdomain_service(obj, objects):
    """Indexed pods resolve each other as <pod>.<subdomain> only through a headless Service."""
    if obj.get("kind") != "Job":
        return []
    subdomain = dig(obj, "spec", "template", "spec", "subdomain")
    if not subdomain:
        return []
    service = _find(objects, "Service", subdomain)
    if service is None or dig(service, "spec", "clusterIP") != "None":
        return [(f"pod subdomain {subdomain!r} has no headless Service in this file",
                 f"Service/{subdomain}: "
                 f"{'missing' if service is None else 'clusterIP is not None'}",
                 "spec.template.spec.subdomain")]
    return []


def world_size_mismatch(obj, objects):
    """A literal WORLD_SIZE must equal completions (= parallelism) or rendezvous never completes."""
    if obj.get("kind") != "Job":
        return []
    spec = obj.get("spec") or {}
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    for site in pod_sites(obj):
        for path, c in site.containers(init=False):
            for env in c.get("env") or []:
                if env.get("name") == "WORLD_SIZE" and "value" in env:
                    sizes = {str(completions), str(parallelism)}
                    if sizes != {str(env["value"])}:
                        return [("WORLD_SIZE differs from completions/parallelism",
                                 f"WORLD_SIZE={env['value']}, completions={completions}, "
                                 f"parallelism={parallelism}", f"{path}.env")]
    return []


def _has_scalable(objects) -> bool:
    return any(o.get("kind") in SCALABLE for o in objects)


def _find(objects, kind, name):
    return next((o for o in objects if o.get("kind") == kind
                 and dig(o, "metadata", "name") == name), None)
