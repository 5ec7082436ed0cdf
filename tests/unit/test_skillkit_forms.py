"""Input forms the kit reads (issue 12, Deliver 5): every paste here is a real one from a
public thread (URL in each fixture's first line, tests/resources/pastes/); the expected
values are what the paste itself shows, and the layouts come from kubectl's source
(k8s.io/kubectl pkg/describe/describe.go, kubernetes pkg/printers/internalversion/printers.go,
cited in the kit's modules)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.dump import ABSENT, NOT_IN_DUMP, PRESENT
from k8s_skillkit.errors import InputError
from k8s_skillkit.events import condition, events_for
from k8s_skillkit.loading import load_objects, load_paste, parse_documents

PASTES = ROOT / "tests" / "resources" / "pastes"


def load(name: str):
    return load_objects(str(PASTES / name))


def only(dump, kind: str) -> dict:
    found = [o for o in dump if o.get("kind") == kind]
    assert len(found) == 1, [o.get("kind") for o in dump]
    return found[0]


# --- kubectl get -o yaml|json ------------------------------------------------------------

POD_YAML = """apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ml}
"""
LIST_YAML = """apiVersion: v1
kind: List
items:
- apiVersion: kueue.x-k8s.io/v1beta1
  kind: LocalQueue
  metadata: {name: team-a, namespace: ml}
"""


def test_single_object_is_read_and_proves_nothing_about_others():
    dump = parse_documents(POD_YAML, "f")
    assert [o["metadata"]["name"] for o in dump] == ["a"]
    assert dump.presence("Pod", "a", "ml").state == PRESENT
    missing = dump.presence("Pod", "b", "ml")
    assert missing.state == NOT_IN_DUMP
    assert missing.command == "kubectl get pods b -n ml -o yaml"


def test_get_command_never_names_an_object_with_all_namespaces():
    # kubectl refuses `get pods b -A`: "a resource cannot be retrieved by name across all
    # namespaces" (k8s.io/cli-runtime v0.37.2 pkg/resource/builder.go:1044); a field
    # selector on metadata.name is served for every resource.
    from k8s_skillkit.dump import get_command
    assert get_command("Pod", "b") == \
        "kubectl get pods -A --field-selector=metadata.name=b -o yaml"
    assert get_command("Workload", "w", "ml") == \
        "kubectl get workloads.kueue.x-k8s.io w -n ml -o yaml"
    assert get_command("Node", "n1") == "kubectl get nodes n1 -o yaml"
    assert get_command("LocalQueue") == "kubectl get localqueues.kueue.x-k8s.io -A -o yaml"


def test_list_of_a_kind_is_a_full_listing_of_that_kind_in_its_namespace():
    dump = parse_documents(LIST_YAML, "f")
    assert dump.presence("LocalQueue", "team-b", "ml").state == ABSENT
    # ...but says nothing about another namespace or another kind
    assert dump.presence("LocalQueue", "team-b", "other").state == NOT_IN_DUMP
    assert dump.presence("ClusterQueue", "cq").state == NOT_IN_DUMP


def test_empty_typed_list_says_none_exist():
    dump = parse_documents("apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueueList\n"
                           "items: []\n---\n" + POD_YAML, "f")
    assert dump.presence("LocalQueue", "x", "ml").state == ABSENT


def test_multi_document_and_json_forms():
    multi = parse_documents(POD_YAML + "---\n" + POD_YAML.replace("name: a", "name: b"), "f")
    assert [o["metadata"]["name"] for o in multi] == ["a", "b"]
    as_json = parse_documents(json.dumps({"kind": "PodList", "apiVersion": "v1", "items": [
        {"kind": "Pod", "metadata": {"name": "j", "namespace": "ml"}}]}), "f")
    assert as_json.presence("Pod", "other", "ml").state == ABSENT


def test_get_of_named_objects_is_not_a_full_listing():
    text = "$ kubectl get pods a b -n ml -o yaml\n" + LIST_YAML.replace(
        "LocalQueue", "Pod").replace("team-a", "a")
    dump = parse_documents(text, "f")
    assert dump.presence("Pod", "c", "ml").state == NOT_IN_DUMP


# --- kubectl get events tables -------------------------------------------------------------

def test_events_table_lastseen_layout_2016():
    events = list(load("events-table-lastseen-2016.txt"))
    assert [e["reason"] for e in events] == ["Scheduled", "Pulling", "Pulled", "Created"]
    first, second = events[0], events[1]
    assert first["involvedObject"] == {"kind": "Pod", "name": "nginx-deployment-3392909933-1tfwp"}
    assert first["source"] == {"component": "default-scheduler"}
    assert second["involvedObject"]["fieldPath"] == "spec.containers{nginx}"
    assert second["source"] == {"component": "kubelet", "host": "kubernetes-minion-group-kcbf"}
    assert second["message"] == 'pulling image "nginx"'


MODERN = """$ kubectl get events -n ml
LAST SEEN   TYPE      REASON             OBJECT        MESSAGE
2m          Warning   FailedScheduling   pod/train-0   0/3 nodes are available: 3 Insufficient nvidia.com/gpu.
5m          Normal    SuccessfulCreate   job/train     Created pod: train-0
"""
# -o wide and -A: kubernetes v1.37.2 pkg/printers/internalversion/printers.go
# eventColumnDefinitions (Priority 1 columns appear with -o wide), NAMESPACE first with -A.
WIDE_ALL = (
    "NAMESPACE   LAST SEEN   TYPE      REASON    OBJECT          SUBOBJECT                "
    "SOURCE             MESSAGE                        FIRST SEEN   COUNT   NAME\n"
    "ml          10s         Warning   BackOff   pod/train-0     spec.containers{main}    "
    "kubelet, node-1    Back-off restarting failed     3m           12      train-0.17a\n")


def test_events_table_modern_layout_namespace_from_the_command_line():
    events = list(parse_documents(MODERN, "f"))
    assert [(e["involvedObject"]["kind"], e["involvedObject"]["name"]) for e in events] == \
        [("Pod", "train-0"), ("Job", "train")]
    assert events[0]["metadata"]["namespace"] == "ml"
    assert events[0]["message"].endswith("3 Insufficient nvidia.com/gpu.")


def test_events_table_wide_all_namespaces_layout():
    (event,) = parse_documents(WIDE_ALL, "f")
    assert event["involvedObject"] == {"kind": "Pod", "name": "train-0", "namespace": "ml",
                                       "fieldPath": "spec.containers{main}"}
    assert event["count"] == 12 and event["metadata"]["name"] == "train-0.17a"
    assert event["source"] == {"component": "kubelet", "host": "node-1"}
    assert event["message"] == "Back-off restarting failed"


def test_events_table_with_collapsed_whitespace_still_reads():
    text = ("LAST SEEN TYPE REASON OBJECT MESSAGE\n"
            "2m Warning FailedScheduling pod/train-0 0/3 nodes are available: 3 Insufficient cpu.\n")
    (event,) = parse_documents(text, "f")
    assert event["reason"] == "FailedScheduling"
    assert event["message"] == "0/3 nodes are available: 3 Insufficient cpu."


def test_events_table_row_whose_masked_name_moved_the_columns_reads_by_tokens():
    """A user masked the object's name after kubectl aligned the row (`workload/*****` is
    shorter than the name was), so the message's first word falls under the OBJECT column:
    OBJECT is one `kind/name` word and REASON one CamelCase word (kubectl's events printer),
    so a space in either means the row is not aligned and its tokens are read instead. The
    message is Kueue's (pkg/scheduler/scheduler.go:477@v0.19.2, event reason Pending)."""
    text = ("LAST SEEN   TYPE      REASON      OBJECT                          MESSAGE\n"
            "2m          Normal    Pending     workload/*****   Workload no longer fits "
            "after processing another workload\n")
    (event,) = parse_documents(text, "f")
    assert event["reason"] == "Pending"
    assert event["involvedObject"]["name"] == "*****"
    assert event["message"] == "Workload no longer fits after processing another workload"


def test_events_as_yaml_are_plain_objects():
    text = ("apiVersion: v1\nkind: EventList\nitems:\n- kind: Event\n  metadata: {name: e,"
            " namespace: ml}\n  involvedObject: {kind: Pod, name: p, namespace: ml}\n"
            "  reason: FailedScheduling\n  message: m\n")
    dump = parse_documents(text, "f")
    assert events_for(dump, kind="Pod", name="p")[0]["reason"] == "FailedScheduling"


# --- kubectl describe ----------------------------------------------------------------------

def test_describe_pod_container_states_from_a_2018_openshift_paste():
    pod = only(load("describe-pod-crashloop-oc-2018.txt"), "Pod")
    assert pod["metadata"]["name"] == "kafka-trigger-controller-758b498d9b-lxg55"
    assert pod["metadata"]["namespace"] == "kubeless"
    assert pod["metadata"]["labels"] == {"kubeless": "kafka-trigger-controller",
                                         "pod-template-hash": "3146054856"}
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet"
    (status,) = pod["status"]["containerStatuses"]
    assert status["state"] == {"waiting": {"reason": "CrashLoopBackOff"}}
    assert status["lastState"]["terminated"]["reason"] == "Error"
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert status["restartCount"] == 282 and status["ready"] is False
    assert pod["status"]["phase"] == "Running" and pod["status"]["podIP"] == "10.129.7.201"


def test_describe_pod_2015_tab_layout_and_typeless_events():
    dump = load("describe-pod-2015-tabs.txt")
    pod = only(dump, "Pod")
    assert pod["spec"]["nodeName"] == "kubernetes-minion-tf0f"
    assert pod["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "100m",
                                                                   "memory": "50Mi"}
    assert pod["status"]["conditions"] == [{"type": "Ready", "status": "False"}]
    (event,) = events_for(dump, kind="Pod", name="simmemleak-hra99")
    assert event["reason"] == "scheduled"
    assert event["source"] == {"component": "scheduler"}


def test_describe_node_taints_labels_and_conditions():
    node = only(load("describe-node-2020-lease.txt"), "Node")
    assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/master",
                                       "effect": "NoSchedule"}]
    assert node["metadata"]["labels"]["node-role.kubernetes.io/master"] == ""
    assert "namespace" not in node["metadata"]
    old = only(load("describe-node-2018-conditions.txt"), "Node")
    assert old["status"]["conditions"] == [{
        "type": "OutOfDisk", "status": "False",
        "lastHeartbeatTime": "2018-01-18T18:03:56Z",  # Thu, 18 Jan 2018 16:03:56 -0200
        "lastTransitionTime": "2018-01-18T17:46:34Z",  # Thu, 18 Jan 2018 15:46:34 -0200
        "reason": "KubeletHasSufficientDisk",
        "message": "kubelet has sufficient disk space available"}]
    assert old["metadata"]["labels"]["company.io/reserved-for"] == "app"


def test_describe_node_pasted_from_the_middle():
    node = only(load("describe-node-2024-pods.txt"), "Node")
    assert node["status"]["allocatable"]["memory"] == "3887728Ki"
    assert node["status"]["nodeInfo"]["kubeletVersion"] == "v1.16.6"
    assert node["status"]["nodeInfo"]["kubeProxyVersion"] == "v1.16.6"
    pods = node["_describe"]["nonTerminatedPods"]
    assert [(p["namespace"], p["name"], p["cpuRequests"]) for p in pods] == [
        ("kube-system", "calico-kube-controllers-59b699859f-976rj", "0"),
        ("kube-system", "calico-node-sczvk", "250m")]


def test_describe_workload_status_generic_describer():
    workload = only(load("kueue-3141-partial-admission-status.txt"), "Workload")
    (assignment,) = workload["status"]["admission"]["podSetAssignments"]
    # smartLabelFor printed "ephemeral-storage" as "Ephemeral - Storage"
    assert assignment["flavors"] == {"ephemeral-storage": "pool1", "nvidia.com/gpu": "pool1"}
    assert assignment["count"] == 456
    assert [c["type"] for c in workload["status"]["conditions"]] == ["QuotaReserved",
                                                                      "Admitted"]
    assert workload["status"]["reclaimablePods"] == [{"count": 454, "name": "main"}]


def test_describe_pending_workload_keeps_kueue_message():
    workload = only(load("kueue-kep2937-workload-pending.txt"), "Workload")
    reserved = condition(workload, "QuotaReserved")
    assert reserved["status"] == "False" and reserved["reason"] == "Pending"
    assert reserved["message"].startswith("couldn't assign flavors to pod set main: "
                                          "insufficient unused quota for example.com/")
    (pod_set,) = workload["spec"]["podSets"]
    requests = pod_set["template"]["spec"]["containers"][0]["resources"]["requests"]
    assert requests["nvidia.com/mig-1g.5gb"] == "2" and requests["memory"] == "100G"


def test_mixed_paste_prose_fences_and_two_describe_blocks():
    dump = load("kueue-kep2937-workload-and-cq-status.txt")
    assert dump.forms == ["describe", "describe"]
    queue = only(dump, "ClusterQueue")
    (usage,) = queue["status"]["flavorsUsage"]
    assert [(r["name"], r["total"]) for r in usage["resources"]] == [
        ("cpu", 1), ("example.com/accelerator-memory", "20G"), ("memory", "97656250Ki")]
    assert queue["status"]["pendingWorkloads"] == 0
    assert only(dump, "Workload")["status"]["admission"]["clusterQueue"] == "cluster-queue"


def test_mixed_describe_yaml_and_events_table_with_prompts():
    text = ("user@host:~$ kubectl describe pod train-0 -n ml\n"
            + (PASTES / "describe-pod-crashloop-oc-2018.txt").read_text().split("\n", 2)[2]
            + "\n$ kubectl get localqueue -n ml -o yaml\n" + LIST_YAML + "\n" + MODERN)
    dump = parse_documents(text, "f")
    assert sorted({o["kind"] for o in dump}) == ["Event", "LocalQueue", "Pod"]
    assert dump.forms == ["describe", "yaml", "events-table"]


def test_unreadable_text_is_one_input_error():
    with pytest.raises(InputError, match="no Kubernetes objects found") as err:
        parse_documents("the job is stuck, please help\nit worked yesterday\n", "f")
    assert "\n" not in str(err.value)
    # ...while a paste of only an error message is kept for the scripts that read it
    dump = load_paste_text("Error from server (Forbidden): pods is forbidden: User \"x\" "
                           "cannot list resource \"pods\" in API group \"\" in the namespace "
                           "\"ml\"\n")
    assert len(dump) == 0 and dump.texts[0].startswith("Error from server (Forbidden)")


def parse_paste_text(text: str):
    from k8s_skillkit.loading import parse_paste
    return parse_paste(text, "f")


def load_paste_text(text: str):
    from k8s_skillkit.loading import parse_paste
    return parse_paste(text, "f")


def test_load_paste_reads_files_too(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(MODERN)
    assert len(load_paste(str(path))) == 2


DIAGNOSTIC_SCRIPTS = ["k8s-kueue/explain_pending.py", "k8s-kueue/check_gang.py",
                      "k8s-kueue/quota_report.py", "k8s-dra/explain_claim.py",
                      "k8s-dra/check_dra.py", "k8s-dra/check_dra_gang.py",
                      "k8s-gateway-gaie/check_routes.py", "k8s-troubleshooting/triage.py",
                      "k8s-troubleshooting/inspect_cluster.py", "k8s-rbac/audit_rbac.py"]


@pytest.mark.parametrize("script", DIAGNOSTIC_SCRIPTS)
def test_every_script_refuses_an_unreadable_form_in_one_line(script, tmp_path):
    import subprocess
    paste = tmp_path / "paste.txt"
    paste.write_text("%%% @@@\n---\n*** ###\n")  # neither objects nor words (prose: prose_only)
    skill, name = script.split("/")
    proc = subprocess.run([sys.executable, str(ROOT / "skills" / skill / "scripts" / name),
                           "-f", str(paste)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert proc.stdout == ""


def test_json_log_records_in_a_paste_are_text_not_objects():
    # controller-runtime (zap) logs are JSON lines without kind/apiVersion: the denial or
    # error inside them must stay readable as text (openshift/compliance-operator#66).
    text = ('some prose first\n    {"level":"info","msg":"Could not create","error":"services '
            'is forbidden"}\n' + POD_YAML)
    dump = parse_documents(text, "f")
    assert [o["kind"] for o in dump] == ["Pod"]
    assert any('"error":"services is forbidden"' in line for line in dump.texts)
    # ...and decoded, for scripts that read a controller's structured log
    assert dump.records == [{"level": "info", "msg": "Could not create",
                             "error": "services is forbidden"}]


def test_multi_line_json_log_record_is_decoded_once():
    # Kueue's event recorder at debug level, pretty-broken over lines as a user pasted it
    # (kubernetes-sigs/kueue#3158): the record names the Workload and the event reason.
    text = ('{"level":"debug",\n "ts":"2024-09-27T19:56:20.485176276Z",\n "logger":"events",'
            '"msg":"couldn\'t assign flavors to pod set main: untolerated taint","type":"Normal",'
            '"object":{"kind":"Workload","namespace":"default","name":"job-myjob-d2369"},'
            '"reason":"Pending"}\n' + POD_YAML)
    dump = parse_paste_text(text)
    assert [o["kind"] for o in dump] == ["Pod"]
    assert len(dump.records) == 1
    assert dump.records[0]["object"]["name"] == "job-myjob-d2369"
    assert dump.records[0]["reason"] == "Pending"
    assert len(dump.texts) == 3


def test_pasted_commands_keep_their_one_line_answers():
    dump = parse_paste_text("$ kubectl auth can-i list pods -n ml\nno\n" + MODERN)
    assert dump.commands[0] == ("$ kubectl auth can-i list pods -n ml", "no")
    assert dump.commands[1][0] == "$ kubectl get events -n ml"
