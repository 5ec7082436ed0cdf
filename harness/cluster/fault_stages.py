"""KWOK Stages that put pods and nodes into real failure states, keyed on realistic specs.

KWOK's default stages make every pod Running and Ready. These stages (weight 10000, so they
win over the weight-0 defaults whenever both match) instead give a pod the status a kubelet
would report for a broken workload, and record the Events a kubelet would send. They match on
what a real manifest would say, never on a marker annotation, so a model reading the pod sees
a plausible mistake, not the answer. The conventions (keep manifests that are meant to be
healthy clear of them):

crash loop      a container whose command + args end in `exit N` with N != 0, e.g.
                `command: ["sh", "-c", "exit 1"]` or `args: ["python train.py; exit 3"]`.
                Running, not Ready, waiting CrashLoopBackOff, lastState terminated (reason
                Error, exitCode N), restartCount growing every 20-60 s, BackOff events.
image pull      a container image whose tag is one of UNPUBLISHED_TAGS (versions nobody
                pushed): Pending, waiting ErrImagePull then ImagePullBackOff with the
                registry's "not found" message, Failed/BackOff events; repeats like a kubelet.
OOM kill        a container running `stress`-style load (`--vm-bytes SIZE` in command/args)
                whose `resources.limits.memory` is below SIZE (the Kubernetes docs'
                memory-demo-2 example: `--vm-bytes 250M`, limit 100Mi). Crash loop whose
                lastState is terminated reason OOMKilled, exitCode 137.
CUDA OOM        a container with a `nvidia.com/gpu` limit whose command/args pass
                `--batch-size N` with N >= 1024. Crash loop, exitCode 1, and the last log
                lines in lastState.terminated.message (as with terminationMessagePolicy
                FallbackToLogsOnError): "torch.OutOfMemoryError: CUDA out of memory ...".
probe failing   a container that declares `ports` and whose readinessProbe httpGet/tcpSocket
                port is none of them, by number or name (nothing listens there):
                Running, containers started but not Ready, an Unhealthy event
                "Readiness probe failed: ... connect: connection refused".
node not ready  a Node carrying the taint `node.kubernetes.io/out-of-service` (what an admin
                sets on a node that is shut down): every condition Unknown, reason
                NodeStatusUnknown "Kubelet stopped posting node status." - KWOK's own
                node-initialize/heartbeat stages would otherwise keep it Ready.

Unschedulable pods and Pending PVCs need no stage: the real scheduler and the PV controller
produce them (too many GPUs, an untolerated taint, a StorageClass that does not exist).
Selectors are gojq expressions (KWOK v0.8.0 `matchExpressions[].key`); templates are Go
templates with sprig functions, as in KWOK's own kustomize/stage/pod/chaos/ stages.
"""
from __future__ import annotations

UNPUBLISHED_TAGS = ("v9.9.9", "0.0.0-unreleased", "nonexistent")
WEIGHT = 10000
CUDA_OOM_BATCH = 1024

_NOT_DELETED = {"key": ".metadata.deletionTimestamp", "operator": "DoesNotExist"}
_ON_NODE = {"key": ".spec.nodeName", "operator": "Exists"}

# command + args of one container, as one string (jq and Go template flavours).
_JQ_CMD = '((.command // []) + (.args // []) | join(" "))'
_TPL_CMD = '{{ $cmd := join " " (concat (default (list) .command) (default (list) .args)) }}'
_EXIT_RE = r"(^|[;&|\s])exit\s+[1-9][0-9]*\s*$"

_JQ_EXIT_RE = _EXIT_RE.replace("\\", "\\\\")
JQ_CRASHES = f'[.spec.containers[] | {_JQ_CMD} | test("{_JQ_EXIT_RE}")] | any'
JQ_BAD_TAG = ('[.spec.containers[].image | test(":(' +
              "|".join(t.replace(".", "\\\\.") for t in UNPUBLISHED_TAGS) + ')$")] | any')
_JQ_BYTES = ('def bytes: capture("^(?<n>[0-9.]+)(?<u>[A-Za-z]*)$") | (.n | tonumber) * '
             '({"": 1, "b": 1, "B": 1, "k": 1024, "K": 1024, "Ki": 1024, "m": 1048576, '
             '"M": 1048576, "Mi": 1048576, "g": 1073741824, "G": 1073741824, '
             '"Gi": 1073741824, "Ti": 1099511627776}[.u] // 1); ')
JQ_OOM = (_JQ_BYTES + '[.spec.containers[] | select(.resources.limits.memory != null) | '
          f'({_JQ_CMD} | capture("--vm-bytes[= ](?<v>[0-9.]+[A-Za-z]*)") | .v | bytes) > '
          '(.resources.limits.memory | bytes)] | any')
JQ_CUDA_OOM = ('[.spec.containers[] | select(.resources.limits["nvidia.com/gpu"] != null) | '
               f'{_JQ_CMD} | capture("--batch-size[= ](?<b>[0-9]+)") | .b | tonumber '
               f'>= {CUDA_OOM_BATCH}] | any')
# Only containers that declare ports: a probe on an undeclared port may well be served.
JQ_PROBE_PORT = ('[.spec.containers[] | . as $c | ($c.readinessProbe.httpGet.port // '
                 '$c.readinessProbe.tcpSocket.port) as $p | select($p != null) | '
                 'select(($c.ports // []) | length > 0) | '
                 '([$c.ports[]?.containerPort] + [$c.ports[]?.name] | any(.[]; . == $p)) '
                 '| not] | any')
JQ_WAITING = '[.status.containerStatuses[]?.state.waiting.reason]'


def _true(key: str) -> dict:
    return {"key": key, "operator": "In", "values": ["true"]}


def _false(key: str) -> dict:
    return {"key": key, "operator": "In", "values": ["false"]}


def _phase(*phases: str) -> dict:
    return {"key": ".status.phase", "operator": "In", "values": list(phases)}


def _stage(name: str, kind: str, exprs: list[dict], template: str, event: dict | None = None,
           delay_ms: int = 1000, jitter_ms: int = 2000) -> dict:
    nxt = {"statusTemplate": template}
    if event:
        nxt["event"] = event
    return {
        "apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage",
        "metadata": {"name": name},
        "spec": {
            "resourceRef": {"apiGroup": "v1", "kind": kind},
            "selector": {"matchExpressions": exprs},
            "weight": WEIGHT,
            "delay": {"durationMilliseconds": delay_ms, "jitterDurationMilliseconds": jitter_ms},
            "next": nxt,
        },
    }


_CONDITIONS_NOT_READY = """\
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: PodScheduled
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  message: "containers with unready status: [{{ $unready }}]"
  reason: ContainersNotReady
  status: "False"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  message: "containers with unready status: [{{ $unready }}]"
  reason: ContainersNotReady
  status: "False"
  type: ContainersReady
"""

_IPS = """\
{{ with NodeIPWith .spec.nodeName }}
hostIP: {{ . | Quote }}
{{ end }}
{{ with PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
podIP: {{ . | Quote }}
{{ end }}
"""

# The first crash of a container: waiting in CrashLoopBackOff, the crash in lastState
# (the terminated fields that follow differ per fault).
_BACKING_OFF = """\
  ready: false
  restartCount: 1
  started: false
  state:
    waiting:
      reason: CrashLoopBackOff
      message: {{ printf "back-off 10s restarting failed container=%s pod=%s_%s(%s)" .name $pod.metadata.name $pod.metadata.namespace $pod.metadata.uid | Quote }}
  lastState:
    terminated:
"""

# First crash of a crash-looping pod: which container dies, how, and with what message.
_CRASH_FIRST = """\
{{ $now := Now }}
{{ $pod := . }}
{{ $unready := "" }}
{{ range .spec.containers }}""" + _TPL_CMD + """
{{ if or (regexMatch "--vm-bytes" $cmd) (regexMatch "--batch-size" $cmd) (regexMatch \"""" + \
    _EXIT_RE.replace("\\", "\\\\") + """\" $cmd) }}{{ $unready = .name }}{{ end }}{{ end }}
""" + _CONDITIONS_NOT_READY + """\
containerStatuses:
{{ range .spec.containers }}""" + _TPL_CMD + """
{{ $gpu := and .resources .resources.limits (index .resources.limits "nvidia.com/gpu") }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  {{ if regexMatch "--vm-bytes" $cmd }}
""" + _BACKING_OFF + """      exitCode: 137
      reason: OOMKilled
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
  {{ else if and $gpu (regexMatch "--batch-size" $cmd) }}
""" + _BACKING_OFF + """      exitCode: 1
      reason: Error
      message: |-
        Traceback (most recent call last):
          File "/workspace/train.py", line 212, in train_step
            loss = model(batch).loss
        torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.56 GiB is free. Of the allocated memory 74.02 GiB is allocated by PyTorch.
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
  {{ else if regexMatch \"""" + _EXIT_RE.replace("\\", "\\\\") + """\" $cmd }}
""" + _BACKING_OFF + """      exitCode: {{ regexFind "[0-9]+\\\\s*$" $cmd | trim }}
      reason: Error
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
  {{ else }}
  ready: true
  restartCount: 0
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
  {{ end }}
{{ end }}
""" + _IPS + """\
phase: Running
startTime: {{ $now | Quote }}
"""

# Every later crash: the kubelet restarted the container and it died the same way again.
_CRASH_AGAIN = """\
{{ $now := Now }}
containerStatuses:
{{ range .status.containerStatuses }}
{{ if and .state.waiting (eq .state.waiting.reason "CrashLoopBackOff") }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: false
  started: false
  restartCount: {{ add1 .restartCount }}
  state:
    waiting:
      reason: CrashLoopBackOff
      message: {{ .state.waiting.message | Quote }}
  lastState:
    terminated:
      exitCode: {{ .lastState.terminated.exitCode }}
      reason: {{ .lastState.terminated.reason | Quote }}
      {{ with .lastState.terminated.message }}
      message: {{ . | Quote }}
      {{ end }}
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
{{ else }}
- {{ YAML . 1 }}
{{ end }}
{{ end }}
"""

_PULL = """\
{{ $now := Now }}
{{ $unready := "" }}
{{ range .spec.containers }}{{ if regexMatch "%(tags)s" .image }}{{ $unready = .name }}{{ end }}{{ end }}
""" + _CONDITIONS_NOT_READY + """\
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: false
  restartCount: 0
  started: false
  state:
    waiting:
      {{ if regexMatch "%(tags)s" .image }}
      reason: %(reason)s
      message: {{ printf "%(message)s" %(args)s | Quote }}
      {{ else }}
      reason: PodInitializing
      {{ end }}
{{ end }}
""" + _IPS + """\
phase: Pending
"""

_PULL_ERR = ('rpc error: code = NotFound desc = failed to pull and unpack image %q: failed to '
             'resolve reference %q: not found')
_PULL_BACKOFF = 'Back-off pulling image %q'
_PULL_EVENT = {"type": "Warning", "reason": "Failed",
               "message": "Failed to pull image: rpc error: code = NotFound desc = failed to "
                          "resolve reference: not found"}

_PROBE = """\
{{ $now := Now }}
{{ $unready := "" }}
{{ range .spec.containers }}{{ if .readinessProbe }}{{ $unready = .name }}{{ end }}{{ end }}
""" + _CONDITIONS_NOT_READY + """\
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: {{ if .readinessProbe }}false{{ else }}true{{ end }}
  restartCount: 0
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
""" + _IPS + """\
phase: Running
startTime: {{ $now | Quote }}
"""

# Times are fixed (creationTimestamp) so re-applying the stage changes nothing: no write loop.
_NODE_DOWN = """\
{{ $then := .metadata.creationTimestamp }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $then | Quote }}
  lastTransitionTime: {{ $then | Quote }}
  message: "Kubelet stopped posting node status."
  reason: NodeStatusUnknown
  status: "Unknown"
  type: {{ .type | Quote }}
{{ end }}
phase: Running
"""


def _pull_template(reason: str, message: str) -> str:
    tags = ":(" + "|".join(t.replace(".", "\\\\.") for t in UNPUBLISHED_TAGS) + ")$"
    return _PULL % {"tags": tags, "reason": reason, "message": message.replace('"', '\\"'),
                    "args": " ".join([".image"] * message.count("%q"))}


def pod_stages() -> list[dict]:
    crashes = {"key": f"[({JQ_CRASHES}), ({JQ_OOM}), ({JQ_CUDA_OOM})] | any",
               "operator": "In", "values": ["true"]}
    back_off = _true(JQ_WAITING + ' | any(. == "CrashLoopBackOff")')
    return [
        _stage("fault-container-crash", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Pending"), crashes],
               _CRASH_FIRST, {"type": "Warning", "reason": "BackOff",
                              "message": "Back-off restarting failed container"}),
        _stage("fault-container-crash-again", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Running"), crashes, back_off],
               _CRASH_AGAIN, {"type": "Warning", "reason": "BackOff",
                              "message": "Back-off restarting failed container"},
               delay_ms=20000, jitter_ms=60000),
        _stage("fault-image-pull", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Pending"), _true(JQ_BAD_TAG),
                _false(JQ_WAITING + ' | any(. == "ErrImagePull" or . == "ImagePullBackOff")')],
               _pull_template("ErrImagePull", _PULL_ERR), _PULL_EVENT),
        _stage("fault-image-pull-backoff", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Pending"), _true(JQ_BAD_TAG),
                _true(JQ_WAITING + ' | any(. == "ErrImagePull")')],
               _pull_template("ImagePullBackOff", _PULL_BACKOFF),
               {"type": "Normal", "reason": "BackOff", "message": "Back-off pulling image"},
               delay_ms=5000, jitter_ms=10000),
        _stage("fault-image-pull-retry", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Pending"), _true(JQ_BAD_TAG),
                _true(JQ_WAITING + ' | any(. == "ImagePullBackOff")')],
               _pull_template("ErrImagePull", _PULL_ERR), _PULL_EVENT,
               delay_ms=30000, jitter_ms=90000),
        _stage("fault-readiness-probe", "Pod",
               [_NOT_DELETED, _ON_NODE, _phase("Pending"), _true(JQ_PROBE_PORT)],
               _PROBE, {"type": "Warning", "reason": "Unhealthy",
                        "message": "Readiness probe failed: dial tcp: connect: connection "
                                   "refused"}),
    ]


def node_stages() -> list[dict]:
    taint = '[.spec.taints[]? | .key == "node.kubernetes.io/out-of-service"] | any'
    return [_stage("fault-node-out-of-service", "Node", [_true(taint)],
                   _NODE_DOWN, delay_ms=500, jitter_ms=1000)]


def stages() -> list[dict]:
    """Every fault stage; applied with KWOK's defaults at `cluster up`."""
    return pod_stages() + node_stages()
