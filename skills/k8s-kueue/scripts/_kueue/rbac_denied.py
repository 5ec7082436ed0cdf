"""Kueue's own informer refused by RBAC on a built-in kind it watches: Kueue's ClusterRole
lacks a verb its code needs (kueue_bug), not the kind missing nor the controller down.

A client-go reflector lists, then watches; each failure is logged (client-go v0.25.6
tools/cache/reflector.go:140 `%s: Failed to watch %v: %v`, :424-425 `failed to list %v: %v`;
v0.31.2 reflector.go:158, :561; v0.37.2 reflector.go:227 `"Failed to watch" err=...
type="*v1.X"`, :747). Two wordings of an RBAC refusal:
- `Failed to watch *v1.X: unknown (get <resource>)`: the API server answered the WATCH with
  403 in a body client-go could not decode (a protobuf watch stream), so client-go made the
  message "unknown" (client-go v0.25.6 rest/request.go:1215 newUnstructuredResponseError,
  v0.31.2 :1394) and apimachinery kept it for a 403 (pkg/api/errors/errors.go:455-458
  NewGenericServerResponse `case http.StatusForbidden: message = serverMessage` @v0.25.6,
  :457-460 @v0.37.2; only 403 and 415 keep it, and no watch gets a 415), adding
  `(<verb> <resource>)`. The list before it succeeded, so the role grants list but not watch:
  an incomplete kubebuilder RBAC marker. kubernetes-sigs/kueue#564: v0.2.1's role granted
  runtimeclasses get;list (config/components/rbac/role.yaml), the reflector logged `Failed to
  watch *v1.RuntimeClass: unknown (get runtimeclasses.node.k8s.io)` every ~30s; fixed by PR
  #565 (commit ff1d8ea "Fix: add permission to watch RuntimeClass", v0.3.0).
- `failed to list *v1.X: <resource> is forbidden: User "system:serviceaccount:<ns>:<sa>"
  cannot list resource "<r>" in API group "<g>" at the cluster scope` (k8s.io/apiserver
  v0.37.2 pkg/endpoints/handlers/responsewriters/errors.go:79): the role lacks the rule
  entirely: Kueue's release missed it (flowcontrol list/watch for the visibility server was
  added only by #1431, v0.6.0) or the role installed is older than the controller. Only when
  the refused user is Kueue's service account.

A refused list in controller-runtime's cache (the reflector named `.../controller-runtime/
pkg/cache/internal/informers.go`) is worse: that informer never syncs, and a controller or
webhook reading the kind through the manager's cache waits for it (controller-runtime v0.24.1
pkg/cache/informer_cache.go Get -> WaitForCacheSync). It is still the release's missing rule
(kueue_bug): kueue#5288, Kueue v0.11.4, the same cronjobs.batch refusal on a fresh Helm install
with the manager running, only CronJobs' Jobs got no pods; maintainers called it a bug of that
release (owner GVKs watched without RBAC, kueue#5235), fixed in v0.11.5. Whether the manager is
also not serving is told by other evidence (its webhook timing out or refused, its pod not
Ready: messages.py / controller_down.py give kueue_controller_down, kueue#5783), which the
caller ranks first; this finding never claims it. A refused list in the visibility server's
client-go informers (`k8s.io/client-go/informers/factory.go`) blocks nothing (kueue_bug).

Kueue's own kinds (kueue.x-k8s.io) refused are its caches never syncing (messages.py,
kueue_controller_down); not read here."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_KUEUE = re.compile(r"kueue", re.I)
_TYPE = re.compile(r"\*(?P<type>v\d+(?:(?:alpha|beta)\d+)?\.\w+)")
# the watch refused with an undecodable 403 (any client-go layout: the type before the error,
# or after it in type="...")
_WATCH_UNKNOWN = re.compile(r"Failed to watch[^\n]{0,200}?\bunknown \((?P<verb>get|list|watch) "
                            r"(?P<resource>[a-z0-9-]+(?:\.[a-z0-9-]+)*)\)")
# the list (or a JSON watch) refused with the API server's Forbidden message, for Kueue's SA
_FORBIDDEN = re.compile(r"(?:failed to list|Failed to watch)[^\n]{0,200}?(?P<resource>[a-z0-9-]+"
                        r"(?:\.[a-z0-9-]+)*) is forbidden: User \\?\"system:serviceaccount:"
                        r"(?P<ns>[\w-]+):(?P<sa>[\w-]*kueue[\w-]*)\\?\" cannot (?P<verb>\w+) "
                        r"resource")

# the manager's own cache (controller-runtime), whose unsynced informer blocks its readers
_MANAGER_CACHE = re.compile(r"controller-runtime/pkg/cache/")

_FIX = ("Kueue's ClusterRole does not grant {verb} on {resource}, which Kueue's code watches. "
        "{why} Re-apply the RBAC of the Kueue release the controller runs (kubectl apply "
        "--server-side of its manifests, or helm upgrade), or upgrade Kueue if that release "
        "lacks it (kueue#564: watch on runtimeclasses, fixed in v0.3.0); meanwhile add the verb "
        "to that rule of Kueue's manager ClusterRole (kueue-manager-role in the manifests, "
        "<release>-manager-role with Helm): kubectl get clusterrole kueue-manager-role -o yaml "
        "> role.yaml, edit, kubectl apply --dry-run=server -f role.yaml, then apply)")
_WHY = {"watch": "The list succeeds and the watch is refused, so Kueue relists and logs it "
                 "every ~30s; its view of that kind lags.",
        "list": "Its informer never fills, so code that reads that kind waits or fails."}


def _denials(text: str) -> dict[str, tuple[str, str, str, str]]:
    """{resource: (verb, type, the line, the refused user)} for every refused informer of a
    built-in kind."""
    out: dict[str, tuple[str, str, str, str]] = {}
    for line in text.splitlines():
        hit = _WATCH_UNKNOWN.search(line)
        verb = "watch" if hit else ""
        if hit is None:
            hit = _FORBIDDEN.search(line)
            verb = hit.group("verb") if hit else ""
        if hit is None or hit.group("resource").endswith("kueue.x-k8s.io"):
            continue
        kind = _TYPE.search(line)
        user = (f"system:serviceaccount:{hit.group('ns')}:{hit.group('sa')}"
                if "sa" in hit.groupdict() else "")
        out.setdefault(hit.group("resource"), (verb, kind.group("type") if kind else "",
                                               " ".join(line.split())[:260], user))
    return out


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug per resource Kueue's informer is refused; error when the list is refused
    (nothing cached), warning when only the watch is; nothing when Kueue is not named. A
    refused list in the manager's own cache says its readers of that kind wait, never that
    the manager is down (kueue#5288: it ran; that needs its own evidence, kueue#5783)."""
    text = "\n".join(str(t) for t in texts or [])
    if not _KUEUE.search(text):
        return []
    out = []
    for resource, (verb, kind, line, user) in _denials(text).items():
        what = f"*{kind} ({resource})" if kind else resource
        blocked = verb != "watch" and bool(_MANAGER_CACHE.search(line))
        out.append(finding(
            "warning" if verb == "watch" else "error",
            "kueue_bug", {"kind": "ClusterRole", "name": "kueue-manager-role"},
            f"the API server refuses Kueue's {verb} of {what}: Kueue's ClusterRole lacks that "
            "verb on a kind Kueue's code watches (RBAC generated from Kueue's kubebuilder "
            "markers; a release missing it is a Kueue bug, kueue#5288)"
            + (": the manager's cache for it never syncs, so what reads that kind through it "
               "(reconciling the jobs it owns, a webhook reading it) waits, and those jobs "
               "get no pods" if blocked else ""), [f"Kueue's log: {line}"],
            _FIX.format(verb=verb, resource=resource, why=_WHY.get(verb, _WHY["list"])),
            basis="reported",
            confirm=f"kubectl auth can-i {verb} {resource} --as="
                    + (user or "system:serviceaccount:kueue-system:kueue-controller-manager")))
    return out


def behind_controller_down(denied: list[dict[str, Any]],
                           others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The refusals as warnings when another finding already shows the manager not serving
    (its webhook timing out, its pod not Ready: kueue#5783): there the RBAC is the why, and
    the state the user sees (nothing admitted, jobs refused) must lead; alone, unchanged
    (kueue#5288). The report sorts errors before warnings, then by cause name, so only the
    severity can keep kueue_bug behind kueue_controller_down."""
    if not any(f.get("cause") == "kueue_controller_down" for f in others):
        return denied
    return [dict(f, severity="warning", message=f["message"] + "; this is why "
                 "kueue-controller-manager is not serving (see that finding)")
            if f["severity"] == "error" else f for f in denied]
