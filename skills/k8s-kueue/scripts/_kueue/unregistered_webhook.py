"""A Kueue job-kind webhook the API server reached but that answered 404: the webhook
configuration names a path kueue-controller-manager does not serve (kueue_bug).

How the words come about:
- the API server wraps the call's error as `failed calling webhook "<name>": failed to call
  webhook: <err>` (k8s.io/apiserver v0.37.2 pkg/admission/plugin/webhook/validating/
  dispatcher.go:311, mutating/dispatcher.go:310, pkg/util/webhook/error.go:36); a 404 from
  the webhook server reads `the server could not find the requested resource`
  (k8s.io/apimachinery v0.37.2 pkg/api/errors/errors.go:450, NewGenericServerResponse). So
  the server answered: it is up, and has no handler at that path.
- Kueue registers a webhook for every job integration it is built with, a no-op one when the
  integration is not enabled in integrations.frameworks (pkg/controller/jobframework/
  setup.go:85 @v0.6.3 noop.SetupWebhook, :109 @v0.19.2 WithNoopWebhook). A job kind's path
  answering 404 is therefore a manager build without that integration behind a webhook
  configuration that lists it: kubernetes-sigs/kueue#2987, `vdeployment.kb.io` on main before
  v0.9.0, the deployment package not imported in pkg/controller/jobs/jobs.go (fixed by PR
  #2988; jobs.go @v0.9.0 imports it), or manifests of a newer release than the image.
- Kueue v0.6-v0.9 register every webhook only after the serving certificates are ready
  (cmd/kueue/main.go:173 @v0.6.3 `go setupControllers` -> cert.WaitForCertsReady), so while
  the manager starts EVERY path answers 404, Kueue's own kinds' too (kueue#1700,
  `vadmissioncheck.kb.io`): with such a failure in the paste the manager is not up yet and
  messages.py's kueue_controller_down comes first; this finding follows as a second reading.

Names: Kueue's manifests (config/components/webhook/manifests.yaml @v0.9.0, @v0.19.2) call them
[mv]<kind>.kb.io. JobSet and LeaderWorkerSet ship mpod/vpod and their own kind's names too
(jobset v0.12.0, lws v0.9.0 config manifests), so only job, deployment and statefulset are
Kueue's whatever the paste; the others when the paste names Kueue.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_ONLY_KUEUES = ("job", "deployment", "statefulset")
_SHARED = ("appwrapper", "jaxjob", "jobset", "leaderworkerset", "mpijob", "mxjob", "paddlejob",
           "pod", "pytorchjob", "raycluster", "rayjob", "rayservice", "sparkapplication",
           "tfjob", "trainjob", "xgboostjob")
_NOT_SERVED = re.compile(
    r"failed calling webhook \\*\"?(?P<hook>[mv](?P<kind>" + "|".join(_ONLY_KUEUES + _SHARED)
    + r")\.kb\.io)\\*\"?: failed to call webhook: the server could not find the requested "
    r"resource", re.I)
_KUEUE = re.compile(r"kueue", re.I)

_FIX = ("kueue-controller-manager runs but serves no handler for this webhook: its build does "
        "not register that job integration while the webhook configuration lists it (kueue#2987: "
        "a main build before v0.9.0 without the deployment integration, fixed by PR #2988), or "
        "the webhook manifests come from a newer Kueue release than the image. Install the "
        "manifests (or Helm chart) of the same release as the image, or a release that registers "
        "it; until then every create/update of that kind is refused, so remove that entry from "
        "Kueue's webhook configuration if you cannot upgrade now")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug (warning, reported) per Kueue job-kind webhook that answered 404."""
    text = "\n".join(str(t) for t in texts or [])
    seen: dict[str, str] = {}
    for hit in _NOT_SERVED.finditer(text):
        if hit.group("kind").lower() in _ONLY_KUEUES or _KUEUE.search(text):
            seen.setdefault(hit.group("hook").lower(), hit.group(0).replace("\\", ""))
    return [finding("warning", "kueue_bug", {"kind": "Deployment",
                                             "name": "kueue-controller-manager"},
                    f"the API server reached Kueue's webhook {hook}, and Kueue's webhook server "
                    "answered 404: the manager runs but does not serve that path (its build "
                    "does not register that job integration), so every object of that kind is "
                    "refused", [f"the API server: {said}"], _FIX, basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager | "
                            "grep 'Registering webhook' (the path of " + hook + " is missing)")
            for hook, said in seen.items()]


def order(found: list[dict], others: list[dict]) -> list[dict]:
    """First, unless the paste shows the manager not serving at all (kueue_controller_down):
    then every path answers 404 while it starts (kueue#1700) and this is the second reading."""
    if any(f["cause"] == "kueue_controller_down" for f in others):
        serious = [f for f in others if f["severity"] != "info"]
        return serious + found + [f for f in others if f["severity"] == "info"]
    return found + others
