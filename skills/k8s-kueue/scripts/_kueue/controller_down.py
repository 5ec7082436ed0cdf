"""kueue-controller-manager itself not running, as the paste shows it.

- Its own panic, pasted as its log: the process dies (apimachinery's HandleCrash logs
  "Observed a panic" and re-panics; Go prints `panic: ...` and the goroutine stacks), restarts
  and panics again on the same Workload, so nothing is admitted. The first frame in Kueue's
  code names the feature that failed (kubernetes-sigs/kueue#4970: TAS's `Requests.CountIn`
  dividing by a zero request, fixed by #4971; marin-community/marin#7396; #4861: a Topology
  without levels, fixed by #4866).
- Its pod not running: a `kubectl get pods` row or pod object of kueue-controller-manager in
  CrashLoopBackOff / Error / an image pull state (kueue#6797: a Helm release name that broke
  the webhook certificate's Secret, "kueue-webhook-server-cert" not found, fixed by #6799), or
  the kubelet failing to pull Kueue's own image (kueue#4856: a DNS failure reaching the
  registry). With the controller down nothing Kueue would say about a Workload is current.
- Its own log saying the manager could not run (`Could not run manager` with the error it exits
  on: kueue#1700, the webhook serving certificate not written yet)."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_PANIC = re.compile(r"Observed a panic[^\n]*|^[ \t]*panic: [^\n]+", re.MULTILINE)
_KUEUE_FRAME = re.compile(r"sigs\.k8s\.io/kueue/(?P<func>pkg/[\w/.()*-]+)")

_FIX = ("upgrade Kueue to a release that fixes it (search its issues for the function in the "
        "trace), or turn off the feature that runs that code (the alpha or beta feature gate; "
        "for TAS, the Topology / topologyName of the flavor); meanwhile delete or fix the "
        "Workload that triggers it (here often a request of 0 or a resource it did not expect)")


def _panicked(texts: list[str]) -> list[dict]:
    text = "\n".join(str(t) for t in texts or [])
    panic, frame = _PANIC.search(text), _KUEUE_FRAME.search(text)
    if panic is None or frame is None:
        return []
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
             "image it cannot pull (the node's DNS or proxy to the registry, or a mirror), the "
             "webhook certificate's Secret it cannot find (a Helm release name the chart's "
             "certificate templates do not expect: upgrade the chart), or a crash; nothing is "
             "admitted until it runs")


def _pod_down(pods: list[dict], texts: list[str]) -> list[dict]:
    """kueue-controller-manager not running, from its pod's row or object, or from the
    kubelet's failure to pull Kueue's image in the text."""
    evidence = [f"pod {p['metadata'].get('name')}: {state}" for p in pods
                if _CONTROLLER.search(str((p.get("metadata") or {}).get("name", "")))
                for state in [_pod_state(p)] if state and _DOWN_STATES.search(state)]
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


# Kueue's main exits 1 after either line (cmd/kueue/main.go:142 / :190@v0.6.3, :283 / :449@v0.19.2;
# main.go:106 / :144@v0.3.2): the manager could not start, or stopped with an error, e.g. the
# webhook serving certificate not written yet (`open .../serving-certs/tls.crt: no such file or
# directory`, kueue#1700). Other kubebuilder managers log the same words, so only with Kueue's
# caller (`kueue/main.go`) on the line or kueue-controller-manager named in the paste
_MANAGER_EXIT = re.compile(r"(?:Could not run manager|Unable to start manager)\b[^\n]*", re.I)
_KUEUE_MAIN = re.compile(r"\bkueue/main\.go:\d+")
_ERROR_FIELD = re.compile(r"\"error\": ?\"((?:[^\"\\]|\\.)+)\"")
_EXIT_FIX = ("read the error it exited with: a serving certificate not found (the built-in cert "
             "rotator had not written it yet, or cert-manager's Certificate / the "
             "kueue-webhook-server-cert Secret is missing) resolves on the restart or needs the "
             "certificate setup fixed; a configuration error needs the Kueue Configuration "
             "fixed; then wait for kueue-controller-manager to be Ready before applying Kueue "
             "objects")


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
    why = f": {error.group(1)}" if error else ""
    return [finding("error", "kueue_controller_down", {"kind": "Deployment",
                                                        "name": "kueue-controller-manager"},
                    f"kueue-controller-manager exited{why[:200]}; until it runs again its "
                    "webhooks refuse Kueue's objects and nothing is admitted", evidence[:3],
                    _EXIT_FIX, basis="reported",
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


def _pod_state(pod: dict) -> str:
    status = pod.get("status") or {}
    waiting = [str((c.get("state") or {}).get("waiting", {}).get("reason") or "")
               for c in status.get("containerStatuses") or [] if isinstance(c, dict)]
    return " ".join(w for w in [str(status.get("reason") or "")] + waiting if w)


def findings(pods: list[dict], texts: list[str]) -> list[dict]:
    """kueue_controller_down when the paste shows the controller not running: its panic
    first (it names the code that failed), else its pod or image."""
    return _panicked(texts) or _manager_exited(pods, texts) or _pod_down(pods, texts)

