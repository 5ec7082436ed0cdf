"""Extended resources backed by DRA devices (KEP-5004), as the scheduler serves them.

Kubernetes v1.37.2 (gate DRAExtendedResource: alpha 1.34, beta 1.36, GA and locked on in
1.37, pkg/features/kube_features.go):
- a DeviceClass maps a resource name two ways: `spec.extendedResourceName` (explicit) and
  `deviceclass.resource.kubernetes.io/<class name>` (implicit, every class). When two classes
  name the same extendedResourceName, the newer class wins, the lower name on a tie
  (dynamic-resource-allocation deviceclass/extendedresourcecache).
- per node: a node whose `status.allocatable` has the resource (> 0) serves it with its
  device plugin; on a node without it the scheduler allocates DRA devices of the class. A
  resource neither on the node nor mapped by a class: "cannot fit resource" from the DRA
  plugin, "Insufficient <resource>" from NodeResourcesFit (scheduler dynamicresources
  extendeddynamicresources.go filterExtendedResources).
- the scheduler builds one claim per pod: requests `container-<i>-request-<j>` (i: index in
  initContainers + containers, j: the resource's index among the container's sorted
  request names), ExactCount of the class; non-sidecar init containers reuse the requests
  of later long-lived containers and share one request, the largest (createRequestsAndMappings).
  It creates that claim at binding as `<pod>-extended-resources-<random>` with annotation
  `resource.kubernetes.io/extended-resource-claim: "true"`, owned by the pod, and writes
  `pod.status.extendedResourceClaimStatus{resourceClaimName, requestMappings[]}`.
"""
from __future__ import annotations

from collections import defaultdict
import difflib

from k8s_skillkit.objects import dig, name_of, namespace_of
from k8s_skillkit.quantity import parse_quantity

PREFIX = "deviceclass.resource.kubernetes.io/"
CLAIM_ANNOTATION = "resource.kubernetes.io/extended-resource-claim"


def is_extended(name: str) -> bool:
    """v1helper.IsExtendedResourceName, or the implicit DeviceClass name (IsDRAExtended...)."""
    if name.startswith(PREFIX):
        return True
    return "/" in name and "kubernetes.io/" not in name and not name.startswith("requests.")


def mapping(classes: dict[str, dict]) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """(resource name -> DeviceClass name, [(extendedResourceName, [classes, winner first])])."""
    out = {PREFIX + name: name for name in classes}
    named: dict[str, list[dict]] = defaultdict(list)
    for cls in classes.values():
        ern = dig(cls, "spec", "extendedResourceName")
        if ern:
            named[str(ern)].append(cls)
    clashes = []
    for ern, group in sorted(named.items()):
        # newest first (RFC 3339 seconds compare as text), then the lower name
        group.sort(key=lambda c: name_of(c))
        group.sort(key=lambda c: str(dig(c, "metadata", "creationTimestamp", default="")),
                   reverse=True)
        out[ern] = name_of(group[0])
        if len(group) > 1:
            clashes.append((ern, [name_of(c) for c in group]))
    return out, clashes


def _count(value) -> int:
    try:
        return int(parse_quantity(str(value)))
    except (ValueError, TypeError):
        return 0


def container_requests(container: dict) -> dict[str, int]:
    """Requests after defaulting: a resource only in limits is requested at its limit."""
    res = container.get("resources") or {}
    out = {k: _count(v) for k, v in (res.get("limits") or {}).items()}
    out.update({k: _count(v) for k, v in (res.get("requests") or {}).items()})
    return out


def pod_extended(pod: dict) -> dict[str, int]:
    """Extended resources the pod requests (resourcehelper.PodRequests: the long-lived sum,
    or the largest init container's, whichever is more)."""
    spec = pod.get("spec") or {}
    total: dict[str, int] = defaultdict(int)
    for c in spec.get("containers") or []:
        for k, v in container_requests(c).items():
            total[k] += v
    for c in spec.get("initContainers") or []:
        for k, v in container_requests(c).items():
            if c.get("restartPolicy") == "Always":
                total[k] += v
            else:
                total[k] = max(total[k], v)
    return {k: v for k, v in total.items() if v > 0 and is_extended(k)}


def requests_and_mappings(pod: dict, resources: dict[str, str]) -> tuple[list, list]:
    """The scheduler's claim requests and container mappings for `resources` (name -> class)."""
    spec = pod.get("spec") or {}
    inits = list(spec.get("initContainers") or [])
    containers = inits + list(spec.get("containers") or [])
    long_lived = [i for i, c in enumerate(containers)
                  if i >= len(inits) or c.get("restartPolicy") == "Always"]
    short_lived = [i for i in range(len(inits)) if i not in long_lived]
    requests, mappings = [], []
    for resource in sorted(resources):
        cls = resources[resource]
        long_reqs: list[dict | None] = [None] * len(containers)
        long_maps, short_maps = [], []
        for i in long_lived:
            req, maps = _container_request(i, containers[i], resource, cls, [])
            long_reqs[i] = req
            long_maps += maps
        biggest, short_names = None, set()
        for i in short_lived:
            req, maps = _container_request(i, containers[i], resource, cls, long_reqs[i:])
            if req is not None:
                short_names.add(req["name"])
                if biggest is None or biggest["exactly"]["count"] < req["exactly"]["count"]:
                    biggest = req
            short_maps += maps
        if biggest is not None and len(short_names) > 1:
            for m in short_maps:
                if m["requestName"] in short_names:
                    m["requestName"] = biggest["name"]
        requests += ([biggest] if biggest else []) + [r for r in long_reqs if r]
        mappings += long_maps + short_maps
    requests.sort(key=lambda r: r["name"])
    return requests, mappings


def _container_request(index, container, resource, cls, reusable) -> tuple[dict | None, list]:
    wants = container_requests(container)
    need = wants.get(resource, 0)
    if need <= 0:
        return None, []
    maps, have = [], 0
    for r in reusable:
        if r is None:
            continue
        have += r["exactly"]["count"]
        maps.append({"containerName": container.get("name", ""), "resourceName": resource,
                     "requestName": r["name"]})
        if have >= need:
            return None, maps
    ridx = sorted(wants).index(resource)
    name = f"container-{index}-request-{ridx}"
    maps.append({"containerName": container.get("name", ""), "resourceName": resource,
                 "requestName": name})
    return {"name": name, "exactly": {"deviceClassName": cls, "allocationMode": "ExactCount",
                                      "count": need - have}}, maps


def allocatable(node: dict, resource: str) -> int:
    return _count((dig(node, "status", "allocatable", default={}) or {}).get(resource, 0))


def claim_of(inv, pod: dict) -> dict | None:
    """The scheduler-made claim of a pod: by the pod's status, else by annotation + owner."""
    ns = namespace_of(pod)
    name = dig(pod, "status", "extendedResourceClaimStatus", "resourceClaimName")
    if name and (ns, name) in inv.claims:
        return inv.claims[(ns, name)]
    uid = dig(pod, "metadata", "uid")
    for (c_ns, _), claim in inv.claims.items():
        if c_ns != ns or dig(claim, "metadata", "annotations", CLAIM_ANNOTATION) != "true":
            continue
        for ref in dig(claim, "metadata", "ownerReferences", default=[]) or []:
            if ref.get("kind") == "Pod" and ref.get("name") == name_of(pod) and (
                    not uid or ref.get("uid") == uid):
                return claim
    return None


def served_by_dra(inv, pod: dict) -> dict[str, str]:
    """resource -> DeviceClass for the pod's extended resources the classes map."""
    table, _ = mapping(inv.classes)
    return {r: table[r] for r in pod_extended(pod) if r in table}


def unmapped(inv, pod: dict) -> list[tuple[str, int, str]]:
    """(resource, quantity, nearest mapped name or '') the pod asks that no node in the input
    advertises and no DeviceClass maps: the scheduler cannot place it anywhere."""
    table, _ = mapping(inv.classes)
    out = []
    for resource, qty in sorted(pod_extended(pod).items()):
        if resource in table or any(allocatable(n, resource) for n in inv.nodes.values()):
            continue
        names = sorted(n for n in table if not n.startswith(PREFIX)) + sorted(
            n for n in table if n.startswith(PREFIX))
        near = difflib.get_close_matches(resource, names, n=1, cutoff=0.8)
        out.append((resource, qty, near[0] if near else ""))
    return out


def synthetic_spec(pod: dict, resources: dict[str, str]) -> dict:
    requests, _ = requests_and_mappings(pod, resources)
    return {"devices": {"requests": requests}}


def plugin_nodes(inv, resources) -> dict[str, list[str]]:
    """resource -> nodes that serve it with a device plugin (allocatable > 0)."""
    return {r: sorted(n for n, node in inv.nodes.items() if allocatable(node, r))
            for r in resources}
