"""kueue-controller-manager itself not running, as the paste shows it.

- Its own panic, pasted as its log: the process dies (apimachinery's HandleCrash logs
  "Observed a panic" and re-panics; Go prints `panic: ...` and the goroutine stacks), restarts
  and panics again on the same Workload, so nothing is admitted. The first frame in Kueue's
  code names the feature that failed (kubernetes-sigs/kueue#4970: TAS's `Requests.CountIn`
  dividing by a zero request, fixed by #4971; marin-community/marin#7396; #4861: a Topology
  without levels, fixed by #4866). A panic the manager recovered and survived (a reconciler's
  under controller-runtime v0.19+, a webhook handler's) is recovered_panic.py's kueue_bug.
- Its pod not running: a `kubectl get pods` row or pod object of kueue-controller-manager in
  CrashLoopBackOff / Error / an image pull state (kueue#6797: a Helm release name that broke
  the webhook certificate's Secret, "kueue-webhook-server-cert" not found, fixed by #6799), or
  the kubelet failing to pull Kueue's own image (kueue#4856: a DNS failure reaching the
  registry). With the controller down nothing Kueue would say about a Workload is current.
- Its own log saying the manager could not run (`Could not run manager` with the error it exits
  on: kueue#1700, the webhook serving certificate not written yet)."""
from __future__ import annotations

import re
from typing import Any, Sequence

from k8s_skillkit.findings import finding

from _kueue import recovered_panic

_PANIC = re.compile(r"Observed a panic[^\n]*|^[ \t]*panic: [^\n]+", re.MULTILINE)
_KUEUE_FRAME = recovered_panic.KUEUE_FRAME

_FIX = ("upgrade Kueue to a release that fixes it (search its issues for the function in the "
        "trace), or turn off the feature that runs that code (the alpha or beta feature gate; "
        "for TAS, the Topology / topologyName of the flavor); meanwhile delete or fix the "
        "Workload that triggers it (here often a request of 0 or a resource it did not expect)")


def _panicked(texts: list[str]) -> list[dict[str, Any]]:
    text = "\n".join(str(t) for t in texts or [])
    panic, frame = _PANIC.search(text), _KUEUE_FRAME.search(text)
    if panic is None or frame is None or recovered_panic.findings(texts):
        return []  # (a panic the manager recovered is a bug, not the manager down)
    func = frame.group("func")
    return [finding("error", "kueue_controller_down", {"kind": "Deployment",
                                                        "name": "kueue-controller-manager"},
                    f"kueue-controller-manager panics in {func}: it crashes and restarts on "
                    "the same input, so nothing is admitted while it does",
                    [" ".join(panic.group(0).split())[:240], f"first Kueue frame: {func}"],
                    _FIX, basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager "
                            "--previous | grep -A40 panic")]


_CONTROLLER = re.compile(r"kueue-controller-manager")
_DOWN_STATES = re.compile(r"CrashLoopBackOff|Error|ErrImagePull|ImagePullBackOff|"
                          r"CreateContainerConfigError|CreateContainerError|OOMKilled|"
                          r"InvalidImageName|RunContainerError")
# the image Kueue's manifests and chart run: <registry>/kueue/kueue:<tag> (staging too)
_KUEUE_IMAGE_PULL = re.compile(r"(?:Back-off pulling|Failed to pull|pull(?:ing)? image)[^\n]"
                               r"{0,40}?\\?\"?[\w.:/-]*/kueue(?:/kueue)?:v?\d[\w.-]*", re.I)
_CERT_SECRET = re.compile(r'kueue-webhook-server-cert\\?"? not found')
_DOWN_FIX = ("read the controller pod's events and previous log (kubectl describe pod / kubectl "
             "logs --previous -n <kueue namespace> -l control-plane=controller-manager): an "
             "image it cannot pull (the node's DNS or proxy to the registry, a mirror, or a tag "
             "the registry lacks: Kueue's tags start with `v`, kueue#7210), a pod Pending (no "
             "node fits its requests, nodeSelector or tolerations), the "
             "webhook certificate's Secret it cannot find (a Helm release name the chart's "
             "certificate templates do not expect: upgrade the chart), or a crash; nothing is "
             "admitted until it runs")


# a pod not started yet (phase Pending, `kubectl get pods` STATUS Pending / ContainerCreating):
# the controller is down only if no replica of it runs (a rollout's new pod waits beside the
# old one, which still serves)
_NOT_STARTED = re.compile(r"^(?:Pending|ContainerCreating)$")
# the kubelet's events on the controller's pod: Warning Failed `Failed to pull image %q: %v`,
# BackOff `Back-off pulling image %q` (pkg/kubelet/images/image_manager.go:369, :345@v1.37.2),
# Failed `Error: <reason>` (kuberuntime/kuberuntime_container.go:218-295: `Error: ErrImagePull`,
# `Error: ImagePullBackOff`, `Error: CreateContainerConfigError`)
_PULL_EVENT = re.compile(r"Failed to pull image|Back-off pulling image")


def _pod_down(pods: list[dict[str, Any]], texts: list[str],
              events: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """kueue-controller-manager not running, from its pod's row or object, the kubelet's
    events on it, or the kubelet's failure to pull Kueue's image in the text."""
    mine = [p for p in pods if _CONTROLLER.search(str((p.get("metadata") or {}).get("name", "")))]
    running = any(str((p.get("status") or {}).get("phase") or "") == "Running"
                  and not _DOWN_STATES.search(_pod_state(p)) for p in mine)
    evidence = [f"pod {p['metadata'].get('name')}: {state}" for p in mine
                for state in [_pod_state(p)] if state and (_DOWN_STATES.search(state) or (
                    _NOT_STARTED.match(state) and not running))]
    evidence += [f"event on pod {name}: {msg[:200]}" for e in events or []
                 for name in [str((e.get("involvedObject") or {}).get("name") or "")]
                 for msg in [" ".join(str(e.get("message") or "").split())]
                 if _CONTROLLER.search(name) and (_PULL_EVENT.search(msg) or (
                     msg.startswith("Error: ") and _DOWN_STATES.search(msg)))]
    text = "\n".join(str(t) for t in texts or [])
    for pattern in (_KUEUE_IMAGE_PULL, _CERT_SECRET):
        hit = pattern.search(text)
        if hit:
            evidence.append(" ".join(text[max(0, hit.start() - 40):hit.end() + 80].split()))
    if not evidence:
        return []
    return [finding("error", "kueue_controller_down", {"kind": "Deployment",
                                                        "name": "kueue-controller-manager"},
                    "kueue-controller-manager is not running, so Kueue admits nothing and "
                    "its conditions on Workloads are not current", evidence[:3], _DOWN_FIX,
                    basis="reported",
                    confirm="kubectl get pods -A -l control-plane=controller-manager | grep "
                            "kueue")]


# Kueue's main logs one of these on its `setup` logger and then calls os.Exit(1): the manager
# could not start, stopped with an error, or a setup step before it failed. Every setupLog.Error
# followed by os.Exit(1) in cmd/kueue/main.go@v0.19.2 (:157-:449) and at commit 00913dc
# (v0.10-era; also main.go:142 / :190@v0.6.3, :106 / :144@v0.3.2); kueue#1077 made a failed index
# setup fatal ("Terminate when internal setup fails, so setup can be retried"). Seen: the
# webhook serving certificate not written yet (`Could not run manager`, kueue#1700); `Unable to
# setup indexes` with `could not setup ResourceSlice indexer: no matches for kind
# "ResourceSlice" in version "resource.k8s.io/v1"` (kueue#13600, the DRA gate on by default on
# a cluster without resource.k8s.io/v1, fixed by #13629 / #13721) or with `could not setup
# multikueue indexer: ... indexer conflict` (kueue#7432). Its non-fatal setupLog.Error lines
# (`Skipping admission check controller setup ...`, `Could not set localQueueMetrics
# singleton`) are left out, and so are `Unable to load / validate the configuration`: those name
# the Configuration entry to fix and messages.py reads them (workload_missing, kueue#4215).
# Other kubebuilder managers log the same words, so only with Kueue's caller (`kueue/main.go`)
# on the line or kueue-controller-manager named in the paste
_FATAL_SETUP = (
    # cmd/kueue/main.go@v0.19.2
    "conflicting feature gates detected", "Unable to parse TLS options from configuration",
    "Unable to configure webhook server", "Unable to initialize metrics certificate watcher",
    "Unable to bootstrap certificates", "Unable to configure cluster profile",
    "Unable to start manager", "Unable to set up cert rotation",
    "Failed to initialize DRA mapper from configuration",
    "Failed to initialize scheduling simulator", "Unable to add workloadRequeuer to manager",
    "Unable to setup indexes", "Unable to setup server version fetcher",
    "Unable to start metrics certificate watcher", "Unable to setup probe endpoints",
    "Unable to setup controllers", "Unable to create webhook",
    "Unable to create and start visibility server", "Could not setup scheduler",
    "Could not run manager",
    # cmd/kueue/main.go@00913dc: the same steps logged where they failed
    "Unable to set flag gates for known features", "Could not setup provisioning indexer",
    "Could not setup TAS indexer", "Could not setup multikueue indexer",
    "Unable to create controller", "Could not create the provisioning controller",
    "Could not setup provisioning controller", "Could not get the enabled multikueue adapters",
    "Could not setup MultiKueue controller", "Could not setup TAS controller",
    "Failed to parse managedJobsNamespaceSelector", "unable to set up health check",
    "unable to set up ready check", "Unable to add scheduler to manager",
    "Unable to create the discovery client", "Unable to add server version fetcher to manager",
    "failed to fetch kubernetes server version",
)
_MANAGER_EXIT = re.compile(
    r"(?:" + "|".join(re.escape(m) for m in sorted(_FATAL_SETUP, key=len, reverse=True))
    + r")\b[^\n]*", re.I)
_KUEUE_MAIN = re.compile(r"\bkueue/main\.go:\d+")
_ERROR_FIELD = re.compile(r"\"error\": ?\"((?:[^\"\\]|\\.)+)\"")
_EXIT_FIX = ("read the error it exited with: a serving certificate not found (the built-in cert "
             "rotator had not written it yet, or cert-manager's Certificate / the "
             "kueue-webhook-server-cert Secret is missing) resolves on the restart or needs the "
             "certificate setup fixed; a configuration error needs the Kueue Configuration "
             "fixed; then wait for kueue-controller-manager to be Ready before applying Kueue "
             "objects")
# apimachinery's NoKindMatchError (k8s.io/apimachinery v0.37.2 pkg/api/meta/errors.go:114-118):
# Kueue set up a client or index for an API the API server does not serve (kueue#13600: the
# ResourceSlice indexer of the DRA gates on by default, on Kubernetes 1.33 without
# resource.k8s.io/v1; fixed by #13629, cherry-picked by #13721)
_NO_KIND = re.compile(r'no matches for kind \\?"(?P<kind>[\w.]+)\\?" in (?:versions?|group) '
                      r'[\[\\"]*(?P<version>[\w./-]+)')


def _exit_fix(error: str) -> str:
    """The fix for the error Kueue exited on: an API it needs and the server does not serve
    is not a certificate or configuration matter."""
    kind = _NO_KIND.search(error)
    if kind is None:
        return _EXIT_FIX
    return (f"the API server does not serve {kind.group('kind')} in {kind.group('version')}, "
            "and this Kueue release needs it at startup: turn off the Kueue feature gate that "
            "uses it (for resource.k8s.io, the DRA gates), upgrade Kueue to a release that "
            "skips an API the cluster lacks, or install the CRD / run a Kubernetes version "
            "that serves it; then wait for kueue-controller-manager to be Ready")


def _manager_exited(pods: list[dict[str, Any]], texts: list[str]) -> list[dict[str, Any]]:
    """Kueue's own log saying its manager could not run: the process exits (the kubelet's
    `Last State: Terminated, Reason: Error, Exit Code: 1` on its pod), and until it serves
    again its webhooks refuse Kueue's objects and nothing is admitted."""
    text = "\n".join(str(t) for t in texts or [])
    kueue_named = any(_CONTROLLER.search(str((p.get("metadata") or {}).get("name", "")))
                      for p in pods) or bool(_CONTROLLER.search(text))
    hit = next((m for m in _MANAGER_EXIT.finditer(text)
                if kueue_named or _KUEUE_MAIN.search(_line_of(text, m.start()))), None)
    if hit is None:
        return []
    line = _line_of(text, hit.start())
    error = _ERROR_FIELD.search(line)
    said = " ".join(hit.group(0).split())[:240]
    evidence = [f"Kueue's log: {said}"] + [
        f"pod {p['metadata'].get('name')}: {t}" for p in pods
        if _CONTROLLER.search(str((p.get("metadata") or {}).get("name", "")))
        for t in [_last_termination(p)] if t]
    said_error = error.group(1).replace('\\"', '"') if error else ""
    why = f": {said_error}" if said_error else ""
    return [finding("error", "kueue_controller_down", {"kind": "Deployment",
                                                        "name": "kueue-controller-manager"},
                    f"kueue-controller-manager exited{why[:200]}; until it runs again its "
                    "webhooks refuse Kueue's objects and nothing is admitted", evidence[:3],
                    _exit_fix(said_error), basis="reported",
                    confirm="kubectl logs -n kueue-system deploy/kueue-controller-manager "
                            "--previous | tail -20")]


def _line_of(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)]


def _last_termination(pod: dict[str, Any]) -> str:
    """A container's previous run that ended in an error (kubelet lastState.terminated)."""
    for c in (pod.get("status") or {}).get("containerStatuses") or []:
        done = (c.get("lastState") or {}).get("terminated") if isinstance(c, dict) else None
        if isinstance(done, dict) and (done.get("exitCode") not in (None, 0, "0")):
            return (f"last state Terminated ({done.get('reason') or 'no reason'}, exit code "
                    f"{done.get('exitCode')}, finished {done.get('finishedAt') or '?'})")
    return ""


def _pod_state(pod: dict[str, Any]) -> str:
    status = pod.get("status") or {}
    waiting = [str((c.get("state") or {}).get("waiting", {}).get("reason") or "")
               for c in status.get("containerStatuses") or [] if isinstance(c, dict)]
    return " ".join(w for w in [str(status.get("reason") or "")] + waiting if w)


def findings(pods: list[dict[str, Any]], texts: list[str],
             events: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """kueue_controller_down when the paste shows the controller not running: its panic
    first (it names the code that failed), else its pod (row, object or events) or image."""
    return _panicked(texts) or _manager_exited(pods, texts) or _pod_down(pods, texts, events)

