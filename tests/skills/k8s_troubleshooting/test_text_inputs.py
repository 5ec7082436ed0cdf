"""triage.py -f on what users paste instead of a dump: describe output, event rows, a YAML
list of events, a pod status fragment, prose around a controller's message. The pastes are
from the public threads named (tests/resources/real-world/pods-nodes holds them in full)."""
from __future__ import annotations

from .conftest import run_script


def triage_text(text: str, *args: str):
    return run_script("triage.py", "-f", "-", "--json", *args, stdin=text)


def test_describe_events_of_a_pending_pod():
    # testdrivenio/spark-kubernetes#2 (minikube 1.1.0)
    res = triage_text("""$ kubectl describe po spark-master-7fcc5d88cc-24t57
...
Tolerations:     node.kubernetes.io/not-ready:NoExecute for 300s
                 node.kubernetes.io/unreachable:NoExecute for 300s
Events:
  Type     Reason            Age                 From               Message
  ----     ------            ----                ----               -------
  Warning  FailedScheduling  84s (x20 over 28m)  default-scheduler  0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.
""")
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("unschedulable_taint", "reported")
    assert "had taints that the pod didn't tolerate" in top["evidence"][0]


def test_a_yaml_list_of_events_about_a_pod_not_in_the_paste():
    # UKHomeOffice/kb8or#68 (2016): the event is the whole story
    res = triage_text("""- apiVersion: v1
  kind: Event
  involvedObject: {kind: Pod, name: registry-v1-j6noi, namespace: srrs-ci}
  reason: Failed
  message: 'Failed to pull image "quay.io/x/s3registry:v2.0.0-bob": image pull failed for
    quay.io/x/s3registry:v2.0.0-bob, this may be because there are no credentials on this
    request.  details: (Tag v2.0.0-bob not found in repository quay.io/x/s3registry)'
""")
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["name"]) == ("image_pull", "registry-v1-j6noi")
    assert "tag or repository not found" in top["message"]


def test_a_pod_status_fragment_without_kind():
    # rootless-containers/usernetes#155
    res = triage_text("""  status:
    conditions:
    - lastTransitionTime: "2020-04-15T04:44:48Z"
      message: '0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/disk-pressure:
        }, that the pod didn''t tolerate.'
      reason: Unschedulable
      status: "False"
      type: PodScheduled
    phase: Pending
""")
    assert res.doc["findings"][0]["cause"] == "node_pressure"


def test_healthy_describe_output_is_ok_and_prose_without_a_message_is_not_evaluated():
    res = triage_text("""Name:         web-1
Namespace:    default
Status:       Running
Conditions:
  Type    Status
  Ready   True
Events:       <none>
""")
    assert res.code == 0 and res.doc["findings"] == []
    res = run_script("triage.py", "-f", "-", "--json", stdin="my pods are broken, please help\n")
    assert res.code == 0 and [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"]
    res = run_script("triage.py", "-f", "-", stdin="%%% @@@\n")
    assert res.code == 2 and res.err.startswith("error: ") and len(res.err.splitlines()) == 1


def test_a_scheduler_message_laid_out_one_reason_per_line():
    # jorijn.com knowledge base (pod pending on topology spread constraints): the histogram
    # printed over lines, the preemption tail on a line of its own; the message is one verdict
    res = triage_text("""Warning  FailedScheduling  default-scheduler
0/12 nodes are available:
  3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane},
  3 node(s) had untolerated taint {dedicated: tenant-a},
  6 node(s) didn't match pod topology spread constraints.
preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.
""")
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert top["cause"] == "unschedulable_topology_spread"
    assert "0/12 nodes are available: 3 node(s)" in top["evidence"][0]


def test_the_preemption_tail_alone_is_no_verdict():
    # the tail counts preemption outcomes (v1.37.2 pkg/scheduler/framework/preemption), not why
    # nodes were filtered: alone it names no cause, after its reasons it changes none
    res = triage_text("preemption: 0/3 nodes are available: 3 Preemption is not helpful for "
                      "scheduling.\n")
    assert res.code == 0 and [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"]
    res = triage_text("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                      "available: 3 No preemption victims found for incoming pod.\n")
    assert res.doc["findings"][0]["cause"] == "unschedulable_insufficient"


def test_a_job_status_pasted_under_its_manifest():
    # kubernetes/kubernetes#92245: the Job's YAML, then its status block indented apart (the
    # YAML reader takes the first document, the status stays text): both are read
    res = triage_text("""```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: demo
spec:
  backoffLimit: 6
  template:
    spec:
      containers:
      - {name: nginx, image: nginx, command: [sh, -c, exit 1]}
      restartPolicy: Never
```
 job will eventually fail after it creates 5 failed pods

```yaml
status:
    conditions:
    - message: Job has reached the specified backoff limit
      reason: BackoffLimitExceeded
      status: "True"
      type: Failed
    failed: 5
```
""")
    assert res.code == 1, res.err
    assert res.doc["findings"][0]["cause"] == "job_failed"


def test_daemonset_failed_placement_reads_the_predicate_reason():
    # the <=1.16 DaemonSet controller's own placement (v1.11.0 daemon_controller.go): no pod
    # exists, the event on the DaemonSet says why (cilium/cilium#6603, kubernetes#30989)
    res = triage_text("Warning  FailedPlacement  3m19s (x380 over 4h17m)  daemonset-controller  "
                      "failed to place pod on \"ip-10-0-1-2.compute.internal\": Node didn't have "
                      "enough resource: cpu, requested: 250, used: 1970, capacity: 2000\n")
    top = res.doc["findings"][0]
    assert top["cause"] == "unschedulable_insufficient"
    assert "DaemonSet controller placed no pod on node ip-10-0-1-2.compute.internal" in \
        top["message"]
    res = triage_text("""- apiVersion: v1
  kind: Event
  involvedObject: {kind: DaemonSet, name: nginx-ingress, namespace: kube-system}
  reason: FailedPlacement
  type: Normal
  message: 'failed to place pod on "k8s-master": host port conflict'
""")
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["kind"]) == ("unschedulable_ports", "DaemonSet")


def test_a_report_that_says_the_claims_are_unbound_beside_a_cut_table():
    # prometheus-community/helm-charts#4946 (held-out round 10): the opening post says the
    # PVCs are unbound in words; its `kubectl get pods` table is cut after the first name.
    # The maintainer's answer: no default StorageClass (the claim stays Pending).
    res = triage_text("""### Describe the bug
prometheus erver and alertmanager pvc's are unbound.

it only fixes the prometheus server, but the alertmanager pvc still unbund.

**kubectl -n monitoring get pods**

```
NAME                                                READY   STATUS    RESTARTS   AGE
prometheus-alertmanager-0
""")
    assert res.code == 1, res.err
    (top,) = res.doc["findings"]
    assert (top["cause"], top["severity"], top["basis"]) == ("pvc_pending", "warning",
                                                              "inferred")
    assert "pvc's are unbound" in top["evidence"][0] and "kubectl get pvc" in top["confirm"]


def test_a_report_with_nothing_a_component_printed_is_not_called_healthy():
    # the same template with the claim state left out: the cause cannot be told, and an info
    # says what to paste (never "nothing broken found" on a report of a fault)
    res = triage_text("""### Describe the bug
After installing the chart the pods never come up on our cluster.

```
NAME                                                READY   STATUS    RESTARTS   AGE
prometheus-alertmanager-0
""")
    assert res.code == 0, res.err
    (top,) = res.doc["findings"]
    assert (top["cause"], top["severity"]) == ("not_evaluated", "info")
    assert "kubectl describe pod" in top["fix"]


def test_a_created_claim_beside_a_pending_pod_is_not_read_as_unbound():
    res = triage_text("""### What happened
The PVC was created and the pod is pending for a long time on our nodes.
""")
    assert [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"], res.doc


def _first(text: str) -> dict:
    res = triage_text(text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"][0]


def test_a_report_that_says_the_pod_does_not_tolerate_a_taint():
    # projectcalico/calico#6087 (prose only, Kubernetes 1.24): the reporter's own diagnosis,
    # confirmed by a maintainer (spec.controlPlaneTolerations)
    top = _first("after install calico, the `calico-kube-controllers` is pending, since it not "
                 "tolerate the taints `node-role.kubernetes.io/control-plane` on the node.\n\n"
                 "After remove the taint from the node, it works\n")
    assert (top["cause"], top["severity"], top["basis"]) == ("unschedulable_taint", "warning",
                                                              "inferred")
    assert "kubectl get nodes" in top["confirm"]


def test_a_report_that_says_an_object_is_stuck_terminating_quotes_its_finalizer():
    # kubernetes/test-infra#26611: a pod held by a finalizer nobody removed
    top = _first('Pod got stuck with "Terminating" because of a reporter.\n'
                 "The finalizer prow.x-k8s.io/gcsk8sreporter is still on the pod, removing it "
                 "manually deleted it.\n")
    assert (top["cause"], top["basis"]) == ("stuck_terminating", "inferred")
    assert any("finalizer prow.x-k8s.io/gcsk8sreporter" in e for e in top["evidence"])


def test_a_report_that_says_pending_for_lack_of_a_resource():
    top = _first("Our training pod stays Pending because the cluster has insufficient "
                 "nvidia.com/gpu right now.\n")
    assert (top["cause"], top["basis"]) == ("unschedulable_insufficient", "inferred")


def test_words_that_do_not_state_the_fault_are_not_read_as_it():
    # a pod that runs now, a shortage that does not keep anything Pending
    for text in ("The pod did not tolerate the taint before; after the fix it is running now.",
                 "We have not enough GPUs in the cluster, so training is slow but it works."):
        res = triage_text(text + "\n")
        assert res.code == 0, res.err
        assert [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"], text


def test_the_text_header_says_which_findings_are_inferred():
    res = run_script("triage.py", "-f", "-", stdin="The web pod is pending: it does not "
                     "tolerate the taint on our GPU nodes.\n")
    assert res.code == 1, res.err
    header = res.out.splitlines()[0]
    assert header == "the paste: 1 finding(s): 1 inferred from its objects or its words " \
                     "(confirm each)", header
    assert "[inferred]" in res.out and "   confirm: kubectl describe pod" in res.out


def test_a_runtime_create_timeout_is_a_container_start_failure():
    # the kubelet's Failed event carries the runtime's words ("Error: %v",
    # pkg/kubelet/kuberuntime/kuberuntime_container.go v1.37.2); CRI-O's for a CreateContainer
    # the kubelet retried after a timeout (server/container_create.go), containerd's
    # "failed to reserve container name" (internal/cri/server/container_create.go)
    for message in (
            "Error: kubelet may be retrying requests that are timing out in CRI-O due to system "
            "load. Currently at stage container volume configuration: error reserving ctr name "
            "k8s_web_web-1_ns_0_2 for id 59ef: name is reserved",
            'Error: failed to reserve container name "web_web-1_ns_0_1": name "web_web-1_ns_0_1" '
            'is reserved for "4ab8"'):
        top = _first("Events:\n  Type     Reason  Age  From     Message\n"
                     "  ----     ------  ---- ----     -------\n"
                     f"  Warning  Failed  11m  kubelet  {message}\n")
        assert (top["cause"], top["basis"]) == ("container_start_failed", "reported"), message
        assert "loaded node or a slow volume setup" in top["fix"]


def test_insufficient_said_in_words_counts_the_pasted_pods_request():
    # NVIDIA/k8s-device-plugin#71: two containers each asking one GPU on a one-GPU node; the
    # maintainer's answer: GPUs go to containers, not shared, so the pod needs 2
    res = triage_text("I am struggling with scheduling any Pod using the GPU with the message "
                      "insufficient nvidia.com/gpu.\n\napiVersion: v1\nkind: Pod\nmetadata:\n"
                      "  name: gpu-pod\nspec:\n  containers:\n  - name: cuda\n    image: c\n"
                      "    resources:\n      limits:\n        nvidia.com/gpu: 1\n"
                      "  - name: digits\n    image: d\n    resources:\n      limits:\n"
                      "        nvidia.com/gpu: 1\n")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("unschedulable_insufficient", "inferred")
    assert "pod gpu-pod asks nvidia.com/gpu 2 in all (cuda 1, digits 1)" in " ".join(
        top["evidence"])
