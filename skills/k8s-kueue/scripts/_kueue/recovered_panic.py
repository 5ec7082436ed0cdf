"""A panic in Kueue's code that kueue-controller-manager survived: a Kueue defect (kueue_bug),
not the controller down.

Who recovers a panic decides whether the process dies (read at the versions Kueue ships):
- A reconciler: controller-runtime's Controller.Reconcile recovers it when RecoverPanic is
  unset from v0.19.0 on (`c.RecoverPanic == nil || *c.RecoverPanic`; v0.18.5 and older
  re-panicked unless it was set, and Kueue never sets it: v0.6.3, v0.19.2), runs the
  PanicHandlers (apimachinery's logPanic: "Observed a panic") and returns
  `panic: <value> [recovered]`, which reconcileHandler logs as "Reconciler error"
  (controller-runtime v0.19.0 and v0.24.1 pkg/internal/controller/controller.go:203, :494).
  The manager runs on; that controller fails on the same object at every retry.
  kubernetes-sigs/kueue#10033 (tas-node-reconciler, v0.16.4; fixed by #10036).
- A webhook handler: controller-runtime's Webhook.Handle recovers it by default from v0.19.0
  and answers 500 `panic: <value> [recovered]` (pkg/webhook/admission/webhook.go:165@v0.24.1),
  which the API server returns as `admission webhook "<name>" denied the request: panic: ...`
  (k8s.io/apiserver v0.37.2 pkg/admission/plugin/webhook/errors/statuserror.go:46). Before
  v0.19.0 the panic reached net/http, whose conn.serve recovers it, logs `http: panic serving
  <addr>: <value>` with the goroutine's stack and closes the connection (Go
  src/net/http/server.go:1898, go1.26), so the API server sees `failed calling webhook ...:
  EOF` while the manager keeps running. kubernetes-sigs/kueue#786 (validateFlavorQuotas
  indexing past coveredResources, fixed by #787), #1669 (validatePreemption on a ClusterQueue
  an older release had not defaulted, fixed by #1670).

A crash beside it (Go's fatal `panic: ...` header over the goroutine dump, apimachinery's
HandleCrash, controller-runtime's "Observed a panic in reconciler" before it re-panics) is
kueue_controller_down's (controller_down.py), and then nothing here is said."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# Kueue named in the paste, or a webhook only Kueue registers (messages.py, the same names:
# config/components/webhook/manifests.yaml v0.6.3, v0.19.2)
_KUEUE = re.compile(r"kueue|\b[mv](?:admissioncheck|clusterqueue|cohort|localqueue|resourceflavor|"
                    r"workload|workloadpriorityclass|topology|multikueuecluster|"
                    r"multikueueconfig)\.kb\.io\b", re.I)
# controller-runtime's error for a recovered reconcile, inside a log record's error field
# (JSON "error":"...", klog err="...", a log viewer's `error:  ...` column)
_RECOVERED_ERROR = re.compile(r"\berr(?:or)?\\?\"?\s*[:=]\s*\\?\"?\s*panic: (?P<value>[^\n\"]+?) "
                              r"\[recovered\]")
_RECONCILER_ERROR = re.compile(r"Reconciler error")
_CONTROLLER = re.compile(r"\b(?:logger|controller)\\?\"?\s*[:=]\s*\\?\"?(?P<name>[\w.-]+)")
# net/http's log of a handler panic, and the API server's answer for a recovered one
_HTTP_PANIC = re.compile(r"http: panic serving (?P<addr>[^\s:]+(?::\d+)?): (?P<value>[^\n]+)")
# The denial's `panic:` is the recovered one even when `[recovered]` is cut off or the value
# runs on the next line: a handler whose panic was not recovered gives no answer at all (its
# connection closes: EOF). kubernetes-sigs/kueue#10314 (v0.17.0: the batch/v1 Job webhook
# mjob.kb.io still registered with the Job integration off, panicking on the nil queue manager
# in jobframework.ApplyDefaultLocalQueue; fixed by #10315, the webhook honours WithNoopWebhook)
_DENIED_PANIC = re.compile(r"admission webhook \\?\"(?P<webhook>[\w.-]+)\\?\" denied the "
                           r"request:\s*panic: (?P<value>[^\n\"]+?)(?: \[recovered\]|\s*(?:\n|\"|$))")
_WEBHOOK_CALL = re.compile(r"failed calling webhook \\?\"(?P<webhook>[\w.-]+\.kb\.io)\\?\"")
_KUEUE_WEBHOOK_FRAME = re.compile(r"sigs\.k8s\.io/kueue/(?:pkg|apis/kueue)/webhooks\.")
# the first frame in Kueue's code: package path, then function or (*Type).Method
KUEUE_FRAME = re.compile(r"sigs\.k8s\.io/kueue/(?P<func>(?:pkg|apis)/[\w/-]+\."
                         r"(?:\(\*?\w+\)\.)?\w+(?:\.\w+)*)")
# the process died: Go's fatal header over a goroutine dump (runtime/panic.go printpanics),
# apimachinery's HandleCrash (re-panics), controller-runtime's log before it re-panics
_CRASHED = re.compile(r"^[ \t]*panic: [^\n]*\n(?:[ \t]*panic: [^\n]*\n|\[signal [^\n]*\n|"
                      r"[ \t]*\n)*[ \t]*goroutine \d+ \[running\]|util/runtime\.HandleCrash\(|"
                      r"Observed a panic in (?:reconciler|webhook)", re.MULTILINE)

_RECONCILER_FIX = ("a Kueue defect: upgrade Kueue to a release that fixes it (search Kueue's "
                   "issues for the controller and the function in the panic's stack trace), or "
                   "turn off the feature that runs that controller (its feature gate, e.g. "
                   "TopologyAwareScheduling for the tas-* controllers); the object it fails on "
                   "stays unreconciled meanwhile, while the rest of Kueue works")
_WEBHOOK_FIX = ("a Kueue defect in its webhook: upgrade Kueue to a release that fixes it "
                "(search Kueue's issues for the webhook function in the stack trace); "
                "meanwhile the object it panics on is neither admitted nor refused with a "
                "reason: check it against the API reference (a field an older release left "
                "unset, lists that must match in length), and kubectl apply --dry-run=server "
                "shows whether the webhook still panics")


def crashed(text: str) -> bool:
    """The paste shows the process dying on a panic (not only a recovered one)."""
    return bool(_CRASHED.search(text))


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug for a Kueue panic the manager recovered: a webhook's first (its request
    failed), then a reconciler's."""
    text = "\n".join(str(t) for t in texts or [])
    if not _KUEUE.search(text) or crashed(text):
        return []
    return _webhook(text) + _reconciler(text)


def _first_frame(text: str) -> str:
    frame = KUEUE_FRAME.search(text)
    return frame.group("func") if frame else ""


def _reconciler(text: str) -> list[dict[str, Any]]:
    said = _RECOVERED_ERROR.search(text)
    if said is None or not _RECONCILER_ERROR.search(text):
        return []
    named = _CONTROLLER.search(text)
    controller = named.group("name") if named else "a Kueue controller"
    func = _first_frame(text)
    where = f" in {func}" if func else ""
    evidence = [f"Reconciler error: panic: {said.group('value')} [recovered]",
                f"controller: {controller}"] + ([f"first Kueue frame: {func}"] if func else [])
    return [finding("error", "kueue_bug", {"kind": "Deployment",
                                           "name": "kueue-controller-manager"},
                    f"Kueue's {controller} panics{where} ({said.group('value')}); "
                    "controller-runtime recovers it and retries, so kueue-controller-manager "
                    "keeps running but that controller never finishes the object it panics on",
                    evidence, _RECONCILER_FIX, basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager | "
                            "grep -B2 -A30 'Observed a panic'")]


def _webhook(text: str) -> list[dict[str, Any]]:
    denied = _DENIED_PANIC.search(text)
    served = _HTTP_PANIC.search(text)
    called = _WEBHOOK_CALL.search(text)
    hit = denied or (served if served and (_KUEUE_WEBHOOK_FRAME.search(text) or called)
                     else None)
    if hit is None:
        return []
    value = hit.group("value").strip()
    named = denied.group("webhook") if denied else (called.group("webhook") if called else "")
    webhook = f"the {named} webhook" if named else "Kueue's webhook"
    func = _first_frame(text)
    evidence = [" ".join(hit.group(0).split())[:240]]
    evidence += [f"first Kueue frame: {func}"] if func else []
    evidence += [" ".join(called.group(0).split())] if called and not denied else []
    return [finding("error", "kueue_bug", {"kind": "Deployment",
                                           "name": "kueue-controller-manager"},
                    f"{webhook} panics{' in ' + func if func else ''} ({value}): "
                    "the request fails (the API server sees EOF or an internal error) while "
                    "kueue-controller-manager keeps running; it is a Kueue defect, not the "
                    "controller down", evidence, _WEBHOOK_FIX, basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager | "
                            "grep -A30 'panic'")]


def webhook_failure_of(found: dict[str, Any]) -> bool:
    """A finding that reads the failed webhook call as the manager not serving: with a
    webhook panic in the paste, that call failed because the handler panicked."""
    return found.get("cause") == "kueue_controller_down" and "failed calling webhook" in (
        str(found.get("message", "")) + " ".join(map(str, found.get("evidence") or [])))
