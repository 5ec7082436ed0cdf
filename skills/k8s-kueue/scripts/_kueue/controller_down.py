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
  registry). With the controller down nothing Kueue would say about a Workload is current."""
from __future__ import annotations

import re

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


def _pod_state(pod: dict) -> str:
    status = pod.get("status") or {}
    waiting = [str((c.get("state") or {}).get("waiting", {}).get("reason") or "")
               for c in status.get("containerStatuses") or [] if isinstance(c, dict)]
    return " ".join(w for w in [str(status.get("reason") or "")] + waiting if w)


def findings(pods: list[dict], texts: list[str]) -> list[dict]:
    """kueue_controller_down when the paste shows the controller not running: its panic
    first (it names the code that failed), else its pod or image."""
    return _panicked(texts) or _pod_down(pods, texts)

