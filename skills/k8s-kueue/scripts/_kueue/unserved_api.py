"""Kueue's log repeating that a built-in Kubernetes API it watches is not served: log noise
from a Kueue release built for a newer Kubernetes than the cluster runs (kueue_bug).

kueue-controller-manager embeds a Kubernetes API server library for its visibility API
(pkg/visibility/server.go: genericoptions.NewRecommendedOptions). That library starts
informers for the APIs of its default admission plugins and of API Priority and Fairness, at
the versions of the k8s.io/apiserver Kueue was built with (k8s.io/apiserver v0.37.2
pkg/admission/plugin/policy/validating/plugin.go: admissionregistration V1
ValidatingAdmissionPolicies / Bindings; .../policy/mutating/plugin.go: MutatingAdmissionPolicy;
pkg/util/flowcontrol/apf_controller.go:301: flowcontrol V1 FlowSchema /
PriorityLevelConfiguration). On a cluster that does not serve that version, each informer's
reflector fails its list, logs it and retries, forever. Admission is not affected.

kubernetes-sigs/kueue#3496: Kueue v0.9.0 (k8s.io/apiserver v0.31.2) on Kubernetes 1.29 (v1
ValidatingAdmissionPolicy is served from 1.30) logs `Failed to watch
*v1.ValidatingAdmissionPolicy ... the server could not find the requested resource` every
~30s; fixed by #3908 (cherry-picks #3977 in v0.9.3, #3946 in v0.10.1: "Disable the
unnecessary Validating Admission Policy for the visibility server ... prevents periodic error
logging", CHANGELOG-0.9.md / CHANGELOG-0.10.md). v0.19.2 disables the admission-policy,
webhook and resource-quota plugins (pkg/visibility/server.go disabledPlugins) but still runs
the flowcontrol v1 informers.

The reflector's words, one substring at every client-go version (`failed to list %v: %w`):
- v0.29-v0.30: `W ... reflector.go] <name>: failed to list *v1.X: <err>` and `E ...
  reflector.go] <name>: Failed to watch *v1.X: failed to list *v1.X: <err>` (kueue#2612,
  client-go v0.29.5);
- v0.31: `E ... reflector.go:158] "Unhandled Error" err="<name>: Failed to watch *v1.X: failed
  to list *v1.X: <err>"` (client-go v0.31.2 tools/cache/reflector.go:158, :561; kueue#3496);
- v0.32 on: `"Failed to watch" err="failed to list *v1.X: <err>" reflector=... type="*v1.X"`
  (client-go v0.37.2 tools/cache/reflector.go:227, :747).

Only these built-in kinds: a Kueue kind not served is its CRDs missing (messages.py,
kueue_controller_down; kueue#2612), and a job kind's CRD removed after Kueue started is not
Kueue's defect. `forbidden` (RBAC, kueue#1430) is another matter and is not read here."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# the kinds the embedded API server's admission plugins and APF watch (see above); Namespace and
# ResourceQuota are served by every Kubernetes version, so never "not found"
_KINDS = ("ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy",
          "MutatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
          "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
          "FlowSchema", "PriorityLevelConfiguration")
_UNSERVED = re.compile(r"failed to list \*(?P<version>v\d+(?:(?:alpha|beta)\d+)?)\."
                       r"(?P<kind>" + "|".join(_KINDS) + r"): the server could not find "
                       r"the requested resource")
_KUEUE = re.compile(r"kueue", re.I)

_FIX = ("nothing is stuck because of it: Kueue admits as before. To stop the noise, upgrade "
        "Kueue (ValidatingAdmissionPolicy: fixed in v0.9.3 / v0.10.1, kueue#3496) or run a "
        "Kubernetes version that serves that API version (check the Kubernetes versions the "
        "Kueue release supports); if Workloads are also stuck, look for that cause separately")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug (warning, reported) when Kueue's log repeats that a built-in API version its
    embedded API server watches is not served; nothing when Kueue is not named in the paste."""
    text = "\n".join(str(t) for t in texts or [])
    if not _KUEUE.search(text):
        return []
    seen: dict[str, str] = {}
    for hit in _UNSERVED.finditer(text):
        seen.setdefault(f"{hit.group('version')}.{hit.group('kind')}", hit.group(0))
    if not seen:
        return []
    kinds = ", ".join(f"*{k}" for k in seen)
    return [finding("warning", "kueue_bug", {"kind": "Deployment",
                                             "name": "kueue-controller-manager"},
                    f"Kueue keeps failing to list {kinds}: this Kubernetes does not serve that "
                    "API version, which the API server library built into Kueue (for its "
                    "visibility API) watches; it retries and logs it forever, but it does not "
                    "stop admission (a Kueue release built for a newer Kubernetes)",
                    [f"Kueue's log: {said}" for said in list(seen.values())[:3]], _FIX,
                    basis="reported",
                    confirm="kubectl api-versions | grep -E 'admissionregistration|flowcontrol'")]
