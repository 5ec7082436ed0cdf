"""Karpenter cannot launch a node for a pod whose zone requirements have no zone in common.

Karpenter folds each PersistentVolume's required nodeAffinity into the pod's requirements
(kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/volumetopology.go Inject;
before v0.32 aws/karpenter pkg/controllers/provisioning/scheduling/volumetopology.go), and
intersects them with the pod's nodeSelector/affinity. An `In` requirement whose values
intersect to nothing prints as `KEY DoesNotExist` (pkg/scheduling/requirement.go Operator():
no values and no complement -> NodeSelectorOpDoesNotExist), and no instance type offers a
zone then. Karpenter's words: "Could not schedule pod, incompatible with provisioner %q, no
instance type satisfied resources %s and requirements %s" (v0.2x), "... incompatible with
nodepool %q, daemonset overhead=%s, no instance type satisfied resources %s and requirements
%s" (v0.32+ logs and its FailedScheduling pod event). A pod mounting EBS volumes created in
different zones (a StorageClass with volumeBindingMode Immediate) is the usual source
(aws/karpenter-provider-aws#4192); a zone nodeSelector against a volume's zone is the other.

Inferred: Karpenter reports the empty zone set, not which volume put which zone in it; the PVs'
nodeAffinity confirms it. A zone key with values (`In [..]`) or another key's DoesNotExist is
not this.
"""
from __future__ import annotations

import re

NO_ZONE = re.compile(r"no instance type satisfied resources\b[^\n]*?\band requirements\b[^\n]*?"
                     r"(?P<key>\b(?:topology\.kubernetes\.io|failure-domain\.beta\.kubernetes\.io"
                     r"|topology\.[\w.-]+)/zone) DoesNotExist\b", re.I)
CONFIRM = ("kubectl get pv -o custom-columns=PV:.metadata.name,CLAIM:.spec.claimRef.name,"
           "ZONES:.spec.nodeAffinity.required.nodeSelectorTerms[*].matchExpressions[*].values "
           "(the pod's claims in more than one zone, or in a zone its nodeSelector excludes)")


def detail(text: str) -> dict | None:
    """The report's detail when Karpenter says the pod's zone requirements are empty."""
    m = NO_ZONE.search(text)
    if not m:
        return None
    key = m.group("key")
    return {"zone_key": key, "said": m.group(0), "confirm": CONFIRM, "message_fix": (
        f"Karpenter finds no zone for it: the pod's {key} requirements intersect to nothing "
        f"('{key} DoesNotExist'), which its PersistentVolumes' zones do when they lie in "
        "different zones (or outside the zone its nodeSelector/affinity names)",
        "keep the pod's volumes in one zone: a StorageClass with volumeBindingMode: "
        "WaitForFirstConsumer creates each volume in the zone of the node the pod gets; "
        "re-create (or snapshot and restore) the volumes that lie elsewhere, or pin the pod "
        "to the zone its volumes share")}
