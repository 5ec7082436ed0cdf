"""Are the components a scenario depends on up? Asked through the apiserver, so it works on
any cluster the harness is given, not only a local one.

A check that does not hold while Kueue (or etcd, or the apiserver) is down says nothing
about the agent: the Workload was never admitted because nobody was there to admit it. The
runner watches these components during the agent and the checks, and probes them again
when a check fails; an outage turns the run into `error` with the reason, never `fail`.

Probes:
- kube-apiserver: `GET /readyz?verbose`, the apiserver's own readiness.
- etcd: the `[-]etcd` lines of that readiness, and a read that must reach etcd (a GET of
  the `default` Namespace: a GET without resourceVersion is served from storage, not from
  the watch cache, k8s.io/apiserver v0.37.2 pkg/storage/cacher/delegator.go) answering
  within 5 s. The readiness alone is not enough: a kube-apiserver v1.37.2
  whose etcd was killed kept answering `/readyz` 200 for about 35 s in a live run, while
  reads served from its watch cache still returned the old state.
- kueue: a server-side dry-run create of a ResourceFlavor. Kueue v0.19.2 serves a mutating
  and a validating webhook for ResourceFlavors with `failurePolicy: Fail`
  (config/components/webhook/manifests.yaml: mresourceflavor.kb.io, vresourceflavor.kb.io),
  and the apiserver calls `sideEffects: None` webhooks on dry-run requests too, so the
  request fails ("failed calling webhook") exactly when Kueue's process does not answer.
  A LocalQueue would not do: no Kueue webhook covers LocalQueues.
- envoy-gateway: its controller's own `/readyz` (the URL `k8s-skills cluster status` probes;
  Kube.readiness, set for a local cluster). The apiserver cannot vouch for it: Envoy
  Gateway v1.9.0 serves no admission webhook for Gateway API kinds, the harness runs it with
  leader election off (no Lease), and a GatewayClass stays `Accepted` after its controller
  died (the status is only written, never expired). On another cluster it is not probed
  (the verdict is "could not tell", never an outage).
- kubelet: each real node's (label k8s-skills.io/node-kind=real) Lease in kube-node-lease,
  renewed within its leaseDurationSeconds (the kubelet renews every 10 s of a 40 s lease,
  k8s.io/kubernetes v1.37.2 pkg/kubelet/nodelease; the node lifecycle controller marks the
  node Unknown from the same Lease), and its Node `Ready` condition. The Lease goes stale
  about 40 s after the kubelet died, long before `Ready` turns Unknown (captured live: 50 s
  after the kubelet was frozen the Lease was 58 s old and the Node still Ready=True). The
  age is judged by this machine's clock: the real node exists only on a local cluster
  (`k8s-skills cluster up`), which shares it.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any

import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from harness.evals.errors import InfraError

if TYPE_CHECKING:
    from harness.evals.kube import Kube
    from harness.evals.scenario import Scenario

APISERVER, ETCD, KUEUE = "kube-apiserver", "etcd", "kueue"
ENVOY_GATEWAY, KUBELET = "envoy-gateway", "kubelet"
REAL_NODE_SELECTOR = "k8s-skills.io/node-kind=real"
NODE_LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
ETCD_READ_TIMEOUT = 5.0
KUEUE_PROBE_TIMEOUT = 12.0   # Kueue's webhooks set no timeoutSeconds: the default is 10 s
KUEUE_PROBE_NAME = "k8s-skills-eval-health-probe"
# What marks a scenario as one that needs Kueue running: its API group (kinds, the
# queue-name label) or a check type only Kueue's status can satisfy.
_KUEUE_MARK = re.compile(r"kueue\.x-k8s\.io|\bworkload_(admitted|pending|evicted)\b")
# ... one whose routes Envoy Gateway must program (Gateway API kinds, the route checks) ...
_GATEWAY_MARK = re.compile(r"gateway\.networking\.k8s\.io|\broute_(healthy|backends_ready)\b")
# ... and one whose pods run on the real node (its tag, or the node's label).
_REAL_NODE_MARK = re.compile(r"\breal-node\b|k8s-skills\.io/node-kind")


@dataclass(frozen=True)
class Health:
    component: str
    healthy: bool | None          # None: the probe could not tell (e.g. not allowed)
    detail: str
    at: float = 0.0               # seconds since the run started

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def dependencies(scenario: Scenario) -> list[str]:
    """The components whose outage makes a failed check meaningless, from the scenario's
    files (setup, fault, checks and both fixes)."""
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(scenario.dir.rglob("*.yaml")) if p.is_file())
    return [APISERVER, ETCD] + [name for name, mark in ((KUEUE, _KUEUE_MARK),
                                                         (ENVOY_GATEWAY, _GATEWAY_MARK),
                                                         (KUBELET, _REAL_NODE_MARK))
                                if mark.search(text)]


def probe(kube: Kube, components: list[str], at: float = 0.0) -> list[Health]:
    """One probe of each component; the apiserver first (nothing else answers without it)."""
    api = _apiserver(kube, at)
    out = [api]
    unreachable = api.healthy is False and "unreachable" in api.detail
    for name, probe_one in ((ETCD, _etcd), (KUEUE, _kueue), (ENVOY_GATEWAY, _envoy_gateway),
                            (KUBELET, _kubelet)):
        if name in components:
            out.append(Health(name, None, "not probed: the apiserver is down", at)
                       if unreachable else probe_one(kube, at))
    return out


def outages(results: list[Health]) -> list[Health]:
    return [h for h in results if h.healthy is False]


def _apiserver(kube: Kube, at: float) -> Health:
    try:
        status, text = kube.get_raw("/readyz?verbose")
    except InfraError as err:
        return Health(APISERVER, False, f"unreachable: {err}", at)
    if status == 200:
        return Health(APISERVER, True, "readyz ok", at)
    failed = [line[3:].strip() for line in text.splitlines() if line.startswith("[-]")]
    if failed and all("etcd" in line for line in failed):   # etcd's probe names it
        return Health(APISERVER, True, f"answers; not ready: {'; '.join(failed)}", at)
    what = "; ".join(failed) if failed else " ".join(text.split())[:200]
    return Health(APISERVER, False, f"readyz HTTP {status}: {what}", at)


def _etcd(kube: Kube, at: float) -> Health:
    try:
        _, text = kube.get_raw("/readyz?verbose")
    except InfraError as err:
        return Health(ETCD, None, f"could not ask: {err}", at)
    failed = [line[3:].strip() for line in text.splitlines()
              if line.startswith("[-]") and "etcd" in line]
    if failed:
        return Health(ETCD, False, f"the apiserver's readiness: {'; '.join(failed)}", at)
    try:
        status, body = kube.request("GET", "/api/v1/namespaces/default",
                                    timeout=ETCD_READ_TIMEOUT)
    except InfraError as err:
        return Health(ETCD, False, f"a read from storage did not answer: {err}", at)
    if status >= 500:
        return Health(ETCD, False, f"a read from storage: HTTP {status}: "
                                   f"{' '.join(str(body.get('message', '')).split())[:200]}", at)
    return Health(ETCD, True, "a read from storage answered", at)


def _kueue(kube: Kube, at: float) -> Health:
    res = kube.resource("resourceflavors.kueue.x-k8s.io")
    if res is None:
        return Health(KUEUE, False, "the apiserver does not serve Kueue's ResourceFlavors", at)
    flavor = {"apiVersion": res.api_version, "kind": "ResourceFlavor",
              "metadata": {"name": KUEUE_PROBE_NAME}}
    try:
        status, body = kube.request("POST", res.path() + "?dryRun=All", flavor,
                                    timeout=KUEUE_PROBE_TIMEOUT)
    except InfraError as err:
        return Health(KUEUE, None, f"could not ask: {err}", at)
    message = " ".join(str(body.get("message", "")).split())[:300]
    if status in (200, 201) or (status == 409 and "already exists" in message):
        return Health(KUEUE, True, "its webhook answered a dry-run ResourceFlavor", at)
    if "failed calling webhook" in message or status >= 500:
        return Health(KUEUE, False, f"its webhook does not answer: HTTP {status}: {message}",
                      at)
    return Health(KUEUE, None, f"dry-run ResourceFlavor: HTTP {status}: {message}", at)


def _envoy_gateway(kube: Kube, at: float) -> Health:
    url = getattr(kube, "readiness", {}).get(ENVOY_GATEWAY)
    if not url:
        return Health(ENVOY_GATEWAY, None, "no readiness endpoint known for this cluster's "
                                           "Envoy Gateway (not a local cluster)", at)
    ok, answer = _readyz(url)
    return Health(ENVOY_GATEWAY, ok, f"its controller's readyz ({url}): {answer}", at)


def _readyz(url: str, timeout: float = 2.0) -> tuple[bool, str]:
    """Up only on HTTP 200 with the body `ok` (Envoy Gateway's readyz answers exactly that).
    Not harness.cluster.health.probe, which takes 401/403 for "up": with the controller
    killed, a host's egress filter answered this address with `403 resolve_deny: denied
    destination` (server: keryx) in a live run, and the dead controller passed."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            body = response.read(200).decode(errors="replace").strip()
            return (response.status == 200 and body == "ok"), f"HTTP {response.status} {body!r}"
    except urllib.error.HTTPError as err:
        body = err.read(200).decode(errors="replace").strip()
        return False, f"HTTP {err.code} {body!r}"
    except OSError as err:
        return False, f"unreachable ({getattr(err, 'reason', err)})"


def _kubelet(kube: Kube, at: float, now: datetime | None = None) -> Health:
    try:
        nodes = kube.list("nodes", selector=REAL_NODE_SELECTOR)
    except InfraError as err:
        return Health(KUBELET, None, f"could not ask: {err}", at)
    if not nodes:
        return Health(KUBELET, None, f"no node labelled {REAL_NODE_SELECTOR}", at)
    now = now or datetime.now(timezone.utc)
    down: list[str] = []
    up: list[str] = []
    for node in nodes:
        name = node["metadata"]["name"]
        try:
            status, lease = kube.request("GET", NODE_LEASES + name, timeout=ETCD_READ_TIMEOUT)
        except InfraError as err:
            return Health(KUBELET, None, f"could not read node {name}'s Lease: {err}", at)
        problem = _lease_problem(status, lease, now) or _not_ready(node)
        (down if problem else up).append(f"node {name}: {problem or 'Lease renewed, Ready'}")
    return Health(KUBELET, not down, "; ".join(down or up), at)


def _lease_problem(status: int, lease: dict[str, Any], now: datetime) -> str | None:
    if status == 404:
        return "no Lease in kube-node-lease (its kubelet never renewed one)"
    if status != 200:
        return None   # the apiserver's problem, probed on its own
    spec = lease.get("spec") or {}
    duration = spec.get("leaseDurationSeconds") or 40
    try:
        renewed = datetime.fromisoformat(str(spec.get("renewTime")).replace("Z", "+00:00"))
    except ValueError:
        return f"its Lease has no renewTime ({spec.get('renewTime')!r})"
    age = (now - renewed).total_seconds()
    return (f"its kubelet last renewed the node's Lease {age:.0f} s ago (lease "
            f"{duration} s)") if age > duration else None


def _not_ready(node: dict[str, Any]) -> str | None:
    ready: dict[str, Any] = next((c for c in (node.get("status") or {}).get("conditions") or []
                        if c.get("type") == "Ready"), {})
    if ready.get("status") == "True":
        return None
    return (f"Ready={ready.get('status', 'absent')} ({ready.get('reason', '')}: "
            f"{' '.join(str(ready.get('message', '')).split())[:160]})")


class Monitor:
    """Probes the components every `interval` seconds in a thread. A component that fails
    two probes in a row is kept as an outage, so one that died and came back during the run
    is not missed, while one slow answer under load is not taken for an outage."""

    def __init__(self, kube: Kube, components: list[str], interval: float = 3.0) -> None:
        self.kube, self.components, self.interval = kube, components, interval
        self.seen: list[Health] = []
        self.start = time.monotonic()
        self._streak: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="health-monitor")

    def __enter__(self) -> "Monitor":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 65)

    def now(self) -> float:
        return round(time.monotonic() - self.start, 1)

    def probe(self) -> list[Health]:
        return probe(self.kube, self.components, self.now())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            for h in self.probe():
                streak = self._streak.get(h.component, 0) + 1 if h.healthy is False else 0
                self._streak[h.component] = streak
                if streak == 2:
                    self.seen.append(h)
