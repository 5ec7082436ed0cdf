"""Held-out round 75 (pods-nodes): wordings the scripts did not read. Expected values come from
the upstream source or the public thread named at each test, never from the scripts:

- containerd exits on a config it cannot load (cmd/containerd/main.go v2.3.4:31 "containerd:
  %s"; cmd/containerd/server/config/config.go v2.3.0..v2.3.4:480 "drop-in config version %d
  higher than root config version %d"), systemd's "Main process exited, code=%s, status=%i/%s"
  (src/core/service.c), the CRI socket refusing ("dial unix PATH: connect: connection
  refused"): the runtime is down, the kubelet says "container runtime is down" (kubernetes
  v1.37.2 pkg/kubelet/runtime.go:129) -> node_not_ready, above the pods' errors
  (NVIDIA/aicr#1688).
- kubectl drain's "error when waiting for pod %q terminating: %v" (kubectl pkg/drain/drain.go
  v0.18.0..v0.26.0) / "error when waiting for pod %q in namespace %q to terminate: %v"
  (v0.27.0..v0.37.2:373): the pod accepted eviction and did not go -> stuck_terminating on
  that pod (longhorn/longhorn#1286).
- c10d's "The server socket has started to listen on" / "The client socket has connected to"
  (pytorch torch/csrc/distributed/c10d/socket.cpp) with no job in the paste: read, an info
  not_evaluated, not exit 2 (kubeflow/trainer#1636).
"""
from __future__ import annotations

from .conftest import paste_findings, run_script, loud as _loud

TRIAGE = "triage.py"
TRAINING = "check_training.py"


# ---- the node's container runtime is down ---------------------------------------------------

# NVIDIA/aicr#1688 as pasted (containerd 2.3.2, AKS Ubuntu 24.04)
AICR = """\
All pods on the node fail with `no runtime for "nvidia" is configured`, then `dial unix /run/containerd/containerd.sock: connect: connection refused`. On the node:

```
containerd: drop-in config version 4 higher than root config version 2
containerd.service: Main process exited, code=exited, status=1/FAILURE
```
"""


def test_containerd_config_exit_is_node_not_ready_above_the_pods_errors():
    findings = _loud(paste_findings(TRIAGE, AICR))
    assert findings[0]["cause"] == "node_not_ready"
    assert "drop-in config version 4 higher than root config version 2" in findings[0]["message"]
    assert "sandbox_failed" not in [f["cause"] for f in findings[:1]]


# another form: the kubelet's journal line (kubernetes v1.37.2 pkg/kubelet/kubelet.go:3328
# "Container runtime sanity check failed") with the gRPC dial error on CRI-O's socket
KUBELET_CRIO = ('E0612 10:01:02.123456    1234 kubelet.go:3328] "Container runtime sanity check '
                'failed" err="rpc error: code = Unavailable desc = connection error: desc = '
                '\\"transport: Error while dialing: dial unix /var/run/crio/crio.sock: connect: '
                'connection refused\\""\n')


def test_cri_socket_refused_in_kubelet_log_is_node_not_ready():
    findings = _loud(paste_findings(TRIAGE, KUBELET_CRIO))
    assert findings[0]["cause"] == "node_not_ready"


# a containerd 1.7 config that does not parse (services/server/config/config.go v1.7.0:247)
# with its unit killed by a signal
CONTAINERD17 = """\
containerd: failed to unmarshal TOML: toml: line 12: expected '.' or '=', but got 'x' instead
containerd.service: Main process exited, code=killed, status=6/ABRT
"""


def test_containerd_toml_error_and_unit_killed_is_node_not_ready():
    assert _loud(paste_findings(TRIAGE, CONTAINERD17))[0]["cause"] == "node_not_ready"


def test_near_miss_docker_socket_and_clean_exit_and_missing_socket_stay_off_the_node():
    # a pod talking to a Docker daemon, a unit that stopped cleanly, a socket path that does
    # not exist (more often a wrong path than a dead runtime): none is the runtime down
    text = ("Cannot connect to the Docker daemon: dial unix /var/run/docker.sock: connect: "
            "connection refused\n"
            "containerd.service: Main process exited, code=exited, status=0/SUCCESS\n"
            "dial unix /run/containerd/containerd.sock: connect: no such file or directory\n")
    res = run_script(TRIAGE, "-f", "-", "--json", stdin=text)
    assert "node_not_ready" not in [f["cause"] for f in _loud(res.doc.get("findings", []))]


def test_no_runtime_handler_alone_stays_sandbox_failed():
    text = ('  Warning  FailedCreatePodSandBox  2m  kubelet  Failed to create pod sandbox: rpc '
            'error: code = Unknown desc = failed to get sandbox runtime: no runtime for "nvidia" '
            'is configured\n')
    assert _loud(paste_findings(TRIAGE, text))[0]["cause"] == "sandbox_failed"


# ---- kubectl drain waited for a pod that did not terminate ---------------------------------

# longhorn/longhorn#1286 (kubectl before 1.27)
LONGHORN = """\
evicting pod longhorn-system/instance-manager-r-59d4d10e
error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.
There are pending pods in node "kln-test-001" when an error occurred: [error when waiting for pod "elasticsearch-master-0" terminating: global timeout reached: 6m0s, error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system": global timeout reached: 6m0s]
error: unable to drain node "kln-test-001", aborting command...

error when waiting for pod "elasticsearch-master-0" terminating: global timeout reached: 6m0s
error when evicting pods/"instance-manager-r-59d4d10e" -n "longhorn-system": global timeout reached: 6m0s
"""


def test_drain_wait_names_the_stuck_pod_beside_the_budget_refusal():
    findings = _loud(paste_findings(TRIAGE, LONGHORN))
    causes = [f["cause"] for f in findings]
    assert set(causes[:2]) == {"stuck_terminating", "eviction_blocked_pdb"}
    stuck = next(f for f in findings if f["cause"] == "stuck_terminating")
    assert stuck["object"]["name"] == "elasticsearch-master-0"
    assert "global timeout reached: 6m0s" in stuck["message"]


# kubectl 1.27+ wording (pkg/drain/drain.go v0.37.2:373), alone
NEW_DRAIN = ('error when waiting for pod "db-0" in namespace "data" to terminate: global timeout '
             'reached: 2m0s\n')


def test_drain_wait_new_wording_is_stuck_terminating_with_namespace():
    found = _loud(paste_findings(TRIAGE, NEW_DRAIN))[0]
    assert found["cause"] == "stuck_terminating"
    assert (found["object"]["namespace"], found["object"]["name"]) == ("data", "db-0")


def test_near_miss_eviction_timeout_alone_is_not_stuck_terminating():
    # the eviction never got through: the pod was not deleted, nothing is terminating
    text = 'error when evicting pods/"web-1" -n "shop": global timeout reached: 6m0s\n'
    res = run_script(TRIAGE, "-f", "-", "--json", stdin=text)
    assert "stuck_terminating" not in [f["cause"] for f in res.doc.get("findings", [])]


# ---- ranks' logs with no job object -------------------------------------------------------

# kubeflow/trainer#1636 / pytorch/pytorch#81704 (c10d INFO lines, gloo), with an object that is
# no training job
GLOO = """\
```yaml
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: training-operator
  namespace: kubeflow
spec:
  action: ALLOW
```
[I socket.cpp:522] [c10d] The server socket has started to listen on [::]:23456.
[I socket.cpp:725] [c10d] The client socket has connected to [10-1-0-200.pytorch-simple-master-0.kubeflow.svc.cluster.local]:23456 on [pytorch-simple-worker-0]:38244.
"""


def test_rendezvous_logs_without_job_are_read_not_refused():
    res = run_script(TRAINING, "-f", "-", "--json", stdin=GLOO)
    assert res.code == 0, res.err
    assert [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"]
    assert res.doc["findings"][0]["severity"] == "info"


# another form: a newer torch (2.x) that logs the same line with a timestamped prefix
GLOO_2X = ("[rank1]:[I1010 10:00:00.000000 42 torch/csrc/distributed/c10d/socket.cpp:838] "
           "[c10d] The client socket has connected to [master-0.ns.svc]:29500 on "
           "[worker-0]:51000.\n")


def test_rendezvous_logs_newer_prefix_are_read():
    res = run_script(TRAINING, "-f", "-", "--json", stdin=GLOO_2X)
    assert res.code == 0, res.err
    assert res.doc["findings"][0]["cause"] == "not_evaluated"


def test_near_miss_other_object_without_logs_still_points_to_triage():
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\n"
            "data:\n  a: b\n")
    res = run_script(TRAINING, "-f", "-", "--json", stdin=text)
    assert res.code == 2 and "triage.py" in res.err
