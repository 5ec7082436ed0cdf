"""KWOK Stages for the failures this machine cannot produce for real: GPUs and lost nodes.

Pod-level faults (crash loops, OOM kills, probes, image pulls, missing configuration) are
made by the real kubelet on the real node (harness/cluster/node.py); no stage imitates
them. What stays here needs hardware the machine lacks. Each stage (weight 10000, so it wins
over KWOK's weight-0 defaults whenever both match) gives a pod or node the status its
kubelet would report, matched on what a real manifest would say, never on a marker
annotation:

CUDA OOM        a container with a `nvidia.com/gpu` limit (so on a KWOK GPU node) whose
                command/args pass `--batch-size N` with N >= 1024. Crash loop, exitCode 1,
                and the last log lines in lastState.terminated.message (as with
                terminationMessagePolicy FallbackToLogsOnError): "torch.OutOfMemoryError:
                CUDA out of memory ...". Restarts every 20-60 s with BackOff events.
node not ready  a Node carrying the taint `node.kubernetes.io/out-of-service` (what an admin
                sets on a node that is shut down): every condition Unknown, reason
                NodeStatusUnknown "Kubelet stopped posting node status." - KWOK's own
                node-initialize/heartbeat stages would otherwise keep it Ready.

Selectors are gojq expressions (KWOK v0.8.0 `matchExpressions[].key`); templates are Go
templates with sprig functions, as in KWOK's own kustomize/stage/pod/chaos/ stages.
"""
from __future__ import annotations
from typing import Any

WEIGHT = 10000
CUDA_OOM_BATCH = 1024

_NOT_DELETED = {"key": ".metadata.deletionTimestamp", "operator": "DoesNotExist"}
_ON_NODE = {"key": ".spec.nodeName", "operator": "Exists"}

# command + args of one container, as one string (jq and Go template flavours).
_JQ_CMD = '((.command // []) + (.args // []) | join(" "))'
_TPL_CMD = '{{ $cmd := join " " (concat (default (list) .command) (default (list) .args)) }}'
JQ_CUDA_OOM = ('[.spec.containers[] | select(.resources.limits["nvidia.com/gpu"] != null) | '
               f'{_JQ_CMD} | capture("--batch-size[= ](?<b>[0-9]+)") | .b | tonumber '
               f'>= {CUDA_OOM_BATCH}] | any')
JQ_WAITING = '[.status.containerStatuses[]?.state.waiting.reason]'


def _true(key: str) -> dict[str, Any]:
    return {"key": key, "operator": "In", "values": ["true"]}


def _phase(*phases: str) -> dict[str, Any]:
    return {"key": ".status.phase", "operator": "In", "values": list(phases)}


def _stage(name: str, kind: str, exprs: list[dict[str, Any]], template: str, event: dict[str, Any] | None = None,
           delay_ms: int = 1000, jitter_ms: int = 2000) -> dict[str, Any]:
    nxt: dict[str, Any] = {"statusTemplate": template}
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

# First crash of a CUDA-OOM pod: which container dies, how, and with what message.
_CRASH_FIRST = """\
{{ $now := Now }}
{{ $pod := . }}
{{ $unready := "" }}
{{ range .spec.containers }}""" + _TPL_CMD + """
{{ if regexMatch "--batch-size" $cmd }}{{ $unready = .name }}{{ end }}{{ end }}
""" + _CONDITIONS_NOT_READY + """\
containerStatuses:
{{ range .spec.containers }}""" + _TPL_CMD + """
{{ $gpu := and .resources .resources.limits (index .resources.limits "nvidia.com/gpu") }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  {{ if and $gpu (regexMatch "--batch-size" $cmd) }}
""" + _BACKING_OFF + """      exitCode: 1
      reason: Error
      message: |-
        Traceback (most recent call last):
          File "/workspace/train.py", line 212, in train_step
            loss = model(batch).loss
        torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.56 GiB is free. Of the allocated memory 74.02 GiB is allocated by PyTorch.
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


def pod_stages() -> list[dict[str, Any]]:
    crashes = _true(JQ_CUDA_OOM)
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
    ]


def node_stages() -> list[dict[str, Any]]:
    taint = '[.spec.taints[]? | .key == "node.kubernetes.io/out-of-service"] | any'
    return [_stage("fault-node-out-of-service", "Node", [_true(taint)],
                   _NODE_DOWN, delay_ms=500, jitter_ms=1000)]


def stages() -> list[dict[str, Any]]:
    """Every fault stage; applied with KWOK's defaults at `cluster up`."""
    return pod_stages() + node_stages()
