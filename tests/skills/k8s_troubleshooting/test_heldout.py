"""Held-out rounds 12 to 15 (pods and nodes): what the scheduler, the kubelet and NVML print, and
what reports say in words. Ground truth: the upstream sources and the public threads named
in each test (the thread's resolution), never this script's output."""
from __future__ import annotations

from .conftest import run_script


def _findings(text: str, script: str = "triage.py") -> list[dict]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def test_an_untolerated_taint_beside_nodes_without_the_device_is_the_blocker():
    # NVIDIA/gpu-operator#156 (OpenShift 4.5 / Kubernetes 1.18): the one GPU node carries a
    # custom taint; the other nine have no GPU, and a node without the device reports
    # "Insufficient nvidia.com/gpu" as well (NodeResourcesFit: capacity 0). The YAML folded
    # the message over two lines, the second of which is no message of its own.
    top = _findings("""nvidia-device-plugin-validation reports:

```
  reason: Unschedulable
      message: >-
        0/10 nodes are available: 1 node(s) had taint {workload: aiml}, that the
        pod didn't tolerate, 9 Insufficient nvidia.com/gpu.
```
""")[0]
    assert (top["cause"], top["basis"]) == ("unschedulable_taint", "reported"), top


def test_with_cpu_short_the_later_filter_still_decides():
    # a control-plane style taint beside "Insufficient cpu": every node has cpu, so the nodes
    # that passed the taint filter and lack cpu are the pod's (framework filter order)
    top = _findings("Warning  FailedScheduling  default-scheduler  0/4 nodes are available: "
                    "1 node(s) had untolerated taint {dedicated: infra}, 3 Insufficient cpu.\n")[0]
    assert top["cause"] == "unschedulable_insufficient", top


def test_the_first_topology_manager_wording_is_an_admission_refusal():
    # kubernetes/kubernetes#84869 (1.16, --topology-manager-policy=single-numa-node): the pod
    # status reason was "Topology Affinity Error" (v1.16 policy_single_numa_node.go), later
    # TopologyAffinityError
    top = _findings("""controller-0:~$ kubectl get pod
NAME                         READY   STATUS                    RESTARTS   AGE
exclusive-replicaset-27dzq   0/1     Topology Affinity Error   0          19s
exclusive-replicaset-2f4mz   0/1     Topology Affinity Error   0          11s
""")[0]
    assert (top["cause"], top["basis"]) == ("kubelet_admission_rejected", "reported")


def test_a_report_that_a_probe_restarts_a_slow_start():
    # immich-app/immich-charts#27: the liveness probe restarted the container before its model
    # download finished; raising the delays fixed it
    top = _findings("It seems that the liveness probe is triggering a restart before things "
                    "are able to initialize themselves.\n")[0]
    assert (top["cause"], top["severity"], top["basis"]) == ("probe_failing", "warning",
                                                              "inferred")
    assert "Liveness probe failed" in top["confirm"]


def test_a_probe_named_without_a_failure_is_not_read_as_one():
    causes = {f["cause"] for f in _findings("We added a readiness probe to the chart and the "
                                            "pods are Pending since the upgrade.\n")}
    assert "probe_failing" not in causes


SPREAD = """Added a topology spread that looks like:

```
        topologySpreadConstraints:
        - labelSelector:
            matchLabels:
              foo: bar
          maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {mode}
```

We saw 3 pods scheduled to AZs A, B, and B with one pod stuck in pending.
"""


def test_a_pod_stuck_pending_under_a_hard_spread_constraint():
    # elastic/cloud-on-k8s#5810: maxSkew 1 with DoNotSchedule; the scheduler counts only
    # existing pods, so pods placed while a zone had no node leave the last one unplaceable
    top = _findings(SPREAD.format(mode="DoNotSchedule"))[0]
    assert (top["cause"], top["basis"]) == ("unschedulable_topology_spread", "inferred")


def test_a_soft_spread_constraint_does_not_keep_a_pod_pending():
    causes = {f["cause"] for f in _findings(SPREAD.format(mode="ScheduleAnyway"))}
    assert "unschedulable_topology_spread" not in causes


def test_nvml_mismatch_quoted_without_its_prefix():
    # pando85/homelab#4110: the device plugin restarted 269 times until a reboot realigned the
    # NVIDIA user-space library with the loaded kernel module (NVML_ERROR_LIB_RM_VERSION_MISMATCH
    # is "Driver/library version mismatch", nvml.h)
    top = _findings("the device plugin crashes with:\n\n```\nDriver/library version mismatch — "
                    "failed to initialize NVML\n```\n", "explain_gpu_failure.py")[0]
    assert top["cause"] == "gpu_driver_mismatch", top


def test_the_kernel_module_says_the_same_mismatch():
    # the NVIDIA kernel module's own line (nv.c rm version check), as dmesg shows it
    top = _findings("[   41.974638] NVRM: API mismatch: the client has the version 535.171.04, "
                    "but\n[   41.974640] NVRM: this kernel module has the version 535.161.07.  "
                    "Please\n", "explain_gpu_failure.py")[0]
    assert top["cause"] == "gpu_driver_mismatch", top


# --- held-out round 13 ---------------------------------------------------------------------

def test_the_jobset_controllers_log_of_a_refused_child_job():
    # kubeflow/trainer#2363: the JobSet controller logs `creating jobs` with the apiserver's
    # refusal of the child Job; no JobSet object pasted
    record = ('{"controller": "jobset", "controllerKind": "JobSet", "JobSet": {"name":'
              '"torch-test","namespace":"kubeflow"}, "namespace": "kubeflow", "name": '
              '"torch-test", "error": "job \\"torch-test-trainer-node-0\\" creation failed with '
              'error: Job.batch \\"torch-test-trainer-node-0\\" is invalid: spec.template.spec.'
              'containers[0].resources.limits: Required value: Limit must be set for non '
              'overcommitable resources"}')
    top = _findings("2024-12-29T11:17:15Z\tERROR\tcreating jobs\t" + record + "\n",
                    "check_training.py")[0]
    assert (top["cause"], top["object"]["name"]) == ("training_invalid", "torch-test"), top
    assert top["evidence"][0].startswith("controller log:")


def test_gpu_errors_no_rule_reads_are_said_not_decided():
    # a GPU-stack failure no rule classifies: said, not decided
    top = _findings("ERROR 08-29 04:29:54 cuDNN error: CUDNN_STATUS_EXECUTION_FAILED in the "
                    "attention kernel\n", "explain_gpu_failure.py")[0]
    assert (top["cause"], top["severity"]) == ("not_evaluated", "info"), top


def test_the_nvml_library_off_the_loader_path_is_decided():
    # vllm-project/vllm#23935 (GKE: /usr/local/nvidia/lib64 off LD_LIBRARY_PATH): since
    # session 20 the container without the driver libraries has its id
    top = _findings("DEBUG 08-29 04:29:54 [__init__.py:99] CUDA platform is not available "
                    "because: NVML Shared Library Not Found\n", "explain_gpu_failure.py")[0]
    assert top["cause"] == "gpu_libraries_not_visible", top


def test_image_gc_that_cannot_free_the_disk():
    # llmos-ai/llmos#21: pkg/kubelet/images/image_gc_manager.go FreeDiskSpaceFailed
    top = _findings("Events:\n  Type     Reason                Age   From     Message\n"
                    "  ----     ------                ----  ----     -------\n"
                    "  Warning  FreeDiskSpaceFailed   59m   kubelet  Failed to garbage collect "
                    "required amount of images. Attempted to free 4783028633 bytes, but only "
                    "found 0 bytes eligible to free.\n")[0]
    assert (top["cause"], top["basis"]) == ("node_pressure", "reported"), top


def test_a_pending_claim_of_a_current_kubectl_table():
    # openebs/lvm-localpv#379: WaitForFirstConsumer and a pod pinned with nodeName
    top = _findings("$ kubectl get pvc\nNAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   "
                    "STORAGECLASS    VOLUMEATTRIBUTESCLASS   AGE\naaa2   Pending              "
                    "                        openebs-lvmpv   <unset>                 6s\n")[0]
    assert top["cause"] == "pvc_pending", top
    assert "spec.nodeName" in top["fix"]


# --- held-out round 14 ---------------------------------------------------------------------

def test_a_cordoned_node_and_its_old_not_ready_event():
    # canonical/microk8s#468 (fixed by PR #469): the stop script drained the node and the
    # start left it cordoned; the NodeNotReady event is from the restart, the node is Ready now
    found = _findings("""$ kubectl get node
NAME          STATUS                     ROLES    AGE     VERSION
tom-x1-work   Ready,SchedulingDisabled   <none>   5d22h   v1.14.1

  Normal   NodeNotReady             43m                kubelet, tom-x1-work     Node tom-x1-work status is now: NodeNotReady
""")
    assert [(f["cause"], f["severity"]) for f in found] == [("unschedulable_cordoned", "warning")]
    assert "kubectl uncordon tom-x1-work" in found[0]["fix"]


def test_a_node_that_is_not_ready_now_is_still_not_ready():
    found = _findings("""$ kubectl get node
NAME          STATUS     ROLES    AGE     VERSION
tom-x1-work   NotReady   <none>   5d22h   v1.14.1

  Normal   NodeNotReady             43m                kubelet, tom-x1-work     Node tom-x1-work status is now: NodeNotReady
""")
    assert found[0]["cause"] == "node_not_ready", found


# --- round 15 ------------------------------------------------------------------------------

def test_a_volume_conflict_beside_resources_each_node_printed_is_the_blocker():
    # pingcap/tidb-operator#402: the PVC is bound to a local PV on a node that was deleted.
    # NodeResourcesFit prints every resource a node is short of, so 11 + 9 of 12 nodes is not
    # "every node short"; the one node counted under the later VolumeBinding filter had room
    # and was refused for the volume (filters run in order: default_plugins.go)
    top = _findings("""Events:
  Type     Reason            Age                    From            Message
  ----     ------            ----                   ----            -------
  Warning  FailedScheduling  5m8s (x1856 over 76m)  tidb-scheduler  0/12 nodes are available: 1 node(s) had volume node affinity conflict, 11 Insufficient cpu, 9 Insufficient memory.
""")[0]
    assert (top["cause"], top["basis"]) == ("volume_node_affinity", "reported"), top


def test_one_reason_on_every_node_still_decides():
    # the floor of a category, not the sum of its reasons, says it covers every node
    top = _findings("Warning  FailedScheduling  default-scheduler  0/3 nodes are available: "
                    "3 Insufficient cpu, 1 node(s) had volume node affinity conflict.\n")[0]
    assert top["cause"] == "unschedulable_insufficient", top


def test_the_quota_wording_of_kubernetes_1_0():
    # openshift/origin#2821 (2015): the project's memory quota refused a pod with no memory
    # limit; v1.0 plugin/pkg/admission/resourcequota/admission.go printed "Limited to %s
    # memory, but pod has no specified memory limit" (later "failed quota: Q: must specify")
    top = _findings("  Thu, 04 Jun 2015 15:40:12 -0400       Thu, 04 Jun 2015 15:40:31 -0400 6"
                    "       {deployer }                     failedCreate    Error creating "
                    "deployer pod for sinatra/ruby-example-2: Pod \"ruby-example-2-deploy\" is "
                    "forbidden: Limited to 512Mi memory, but pod has no specified memory limit\n")
    assert top[0]["cause"] == "quota_requires_limits", top


def test_the_quota_exceeded_wording_of_kubernetes_1_0():
    # the same file: "Limited to %s CPU" once the quota is used up (no "but pod has ...")
    top = _findings("Error from server: Pod \"web\" is forbidden: Limited to 2 CPU\n")
    assert top[0]["cause"] == "quota_exceeded", top


def test_a_probe_that_errored_names_a_port_the_container_does_not_declare():
    # mconfalonieri/external-dns-hetzner-webhook#33: the probes name port http-wh-metrics,
    # which the container no longer declares; the kubelet's event is "<Type> probe errored:"
    # (pkg/kubelet/prober/prober.go) with strconv.Atoi's error (pkg/probe/util.go
    # ResolveContainerPort tries the name, then a number). Pasted as a UI's table.
    top = _findings('Warning | Unhealthy | kubelet | Liveness probe errored: strconv.Atoi: '
                    'parsing "http-wh-metrics": invalid syntax | 2 minutes (12 times over 3 '
                    'minutes)\n')[0]
    assert (top["cause"], top["basis"]) == ("probe_failing", "reported"), top
    assert "containers[].ports[].name" in top["fix"]


def test_a_controllers_json_log_line_cut_short_is_read():
    # ray-project/kuberay#2210: KubeRay's zap JSON log (logger controllers.RayJob, no
    # controllerKind) of the submitter Job the apiserver refused; the paste stops inside the
    # stacktrace, so the record never closes
    line = ('{"level":"error","ts":"2024-08-28T19:56:13.072Z","logger":"controllers.RayJob",'
            '"msg":"failed to create k8s Job","RayJob":{"name":"ray-job-s9rqx","namespace":'
            '"hyperkube"},"reconcileID":"f4eb1538-36dd-4082-8628-4f66c59fa497","error":'
            '"Job.batch \\"ray-job-s9rqx\\" is invalid: [spec.template.spec.containers[0].name: '
            'Required value]","stacktrace":"sigs.k8s.io/controller-runtime/pkg/internal/contr')
    top = _findings(line + "\n", "check_training.py")[0]
    assert (top["cause"], top["object"]["kind"], top["object"]["name"]) == \
        ("training_invalid", "RayJob", "ray-job-s9rqx"), top


# --- round 16 ------------------------------------------------------------------------------

def test_a_report_that_the_provisioner_never_gets_a_request():
    # openebs/openebs#2915: a WaitForFirstConsumer claim of a pod with spec.nodeName: the
    # scheduler never picks the node, so the provisioner is never asked and the claim stays
    # Pending (maintainer: use nodeAffinity instead of nodeName)
    top = _findings("Deployment of the statefulset with volumeClaimTemplate leads to a creation "
                    "of PVC, but localpv doesn't get any request to provision volume due to "
                    "unknown troubles in the kubernetes control plane.\n")[0]
    assert (top["cause"], top["basis"]) == ("pvc_pending", "inferred"), top
    assert "nodeName" in top["fix"]
