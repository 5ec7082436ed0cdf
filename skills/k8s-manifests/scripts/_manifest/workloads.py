"""Where pod templates live inside workload objects, built-in and CRD alike.

The rules and harden.py both walk pod specs; this module is the one place that knows that a
JobSet nests them in replicatedJobs[].template.spec.template and an LWS in
leaderWorkerTemplate.{leader,worker}Template.
"""
from __future__ import annotations

from dataclasses import dataclass

from k8s_skillkit.objects import dig
from k8s_skillkit.selectors import SelectorError, set_matches
from k8s_skillkit.selectors import selector_matches as labels_selector_matches

GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "google.com/tpu")
LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                "ReplicationController", "LeaderWorkerSet"}
SCALABLE = {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController",
            "LeaderWorkerSet"}
_TEMPLATE_PATHS = {
    "Deployment": ("spec", "template"), "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"), "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"), "Job": ("spec", "template"),
    "PodTemplate": ("template",), "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


@dataclass
class PodSite:
    """One pod template: `path` for messages, `meta` and `spec` are the live dicts."""

    path: str
    meta: dict
    spec: dict

    def containers(self, init: bool = True) -> list[tuple[str, dict]]:
        """(path, container) pairs; init containers included unless init=False."""
        out = []
        fields = ("containers", "initContainers") if init else ("containers",)
        for field in fields:
            for index, container in enumerate(self.spec.get(field) or []):
                if isinstance(container, dict):
                    out.append((f"{self.path}.{field}[{index}]", container))
        return out

    @property
    def labels(self) -> dict:
        return self.meta.get("labels") or {}


def pod_sites(obj: dict) -> list[PodSite]:
    """Every pod template in an object (empty for kinds without pods)."""
    kind = obj.get("kind")
    if kind == "Pod":
        return [_site("spec", obj.get("metadata"), obj.get("spec"))]
    if kind in _TEMPLATE_PATHS:
        path = _TEMPLATE_PATHS[kind]
        return _template_site(".".join(path), dig(obj, *path))
    if kind == "JobSet":
        return [s for i, rj in enumerate(dig(obj, "spec", "replicatedJobs", default=[]) or [])
                for s in _template_site(f"spec.replicatedJobs[{i}].template.spec.template",
                                        dig(rj, "template", "spec", "template"))]
    if kind == "LeaderWorkerSet":
        lwt = dig(obj, "spec", "leaderWorkerTemplate", default={}) or {}
        return [s for name in ("leaderTemplate", "workerTemplate")
                for s in _template_site(f"spec.leaderWorkerTemplate.{name}", lwt.get(name))]
    return []


def _template_site(path: str, template) -> list[PodSite]:
    if not isinstance(template, dict):
        return []
    return [_site(f"{path}.spec", template.get("metadata"), template.get("spec"))]


def _site(path, meta, spec) -> PodSite:
    return PodSite(path, meta if isinstance(meta, dict) else {},
                   spec if isinstance(spec, dict) else {})


def gpu_count(container: dict) -> int:
    """Accelerators a container asks for (requests, else limits)."""
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for name in GPU_RESOURCES:
            value = (resources.get(section) or {}).get(name)
            if value not in (None, "", 0, "0"):
                try:
                    return int(float(str(value)))
                except ValueError:
                    return 1
    return 0


def is_extended_resource(name: str) -> bool:
    """Extended resources: a domain-prefixed name outside kubernetes.io (and not hugepages).

    Source: k8s.io/kubernetes pkg/apis/core/helper/helpers.go IsExtendedResourceName.
    """
    if "/" not in name or name.startswith("requests."):
        return False
    domain = name.split("/", 1)[0]
    return not (domain == "kubernetes.io" or domain.endswith(".kubernetes.io"))


def image_tag(image: str) -> str:
    """The tag of an image reference ("" when untagged; "@digest" when pinned by digest)."""
    if "@" in image:
        return "@digest"
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


def selector_matches(selector: dict, labels: dict) -> bool:
    """A workload's metav1.LabelSelector, or a Service's plain selector map, against labels.

    apimachinery semantics via the kit (NotIn/DoesNotExist match an absent key); an operator
    the apiserver would reject matches nothing.
    """
    if not isinstance(selector, dict):
        return False
    try:
        if "matchLabels" in selector or "matchExpressions" in selector:
            return labels_selector_matches(selector, labels)
        return set_matches(selector, labels)
    except SelectorError:
        return False
