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


def test_healthy_describe_output_is_ok_and_prose_without_a_message_is_bad_input():
    res = triage_text("""Name:         web-1
Namespace:    default
Status:       Running
Conditions:
  Type    Status
  Ready   True
Events:       <none>
""")
    assert res.code == 0 and res.doc["findings"] == []
    res = run_script("triage.py", "-f", "-", stdin="my pods are broken, please help\n")
    assert res.code == 2 and res.err.startswith("error: ") and len(res.err.splitlines()) == 1
