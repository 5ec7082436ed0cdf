"""The paste-variants benchmark's variant kinds (benchmarks/paste_variants.py): each keeps
the evidence and changes only the surface it names. Expected values follow from each kind's
definition in the module docstring (not from any script's answer)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("paste_variants",
                                               ROOT / "benchmarks" / "paste_variants.py")
assert _SPEC and _SPEC.loader
PV = importlib.util.module_from_spec(_SPEC)
sys.modules["paste_variants"] = PV
_SPEC.loader.exec_module(PV)

POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  name: train-0
  namespace: ml-team
  creationTimestamp: "2024-05-02T09:12:40Z"
spec:
  nodeName: gpu-node-7
  containers:
  - name: trainer
    image: nvcr.io/nvidia/pytorch:24.01
    resources:
      requests:
        nvidia.com/gpu: "1"
status:
  phase: Pending
"""
EVENTS = """\
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  5m2s  default-scheduler  0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.
"""  # noqa: E501 (aws-samples thread of pods-nodes/affinity-selector-nodegroup-eks)


def paste(text: str):
    return PV.Paste.of(text)


def test_cipher_is_a_length_and_shape_keeping_bijection():
    assert PV.cipher("train-0") == "genva-5"
    assert PV.cipher(PV.cipher("gpu-node-7.example")) == "gpu-node-7.example"
    assert len(PV.cipher("job-train-x1")) == len("job-train-x1")


def test_rename_is_consistent_and_spares_types_and_keys():
    renamed = PV.rename(paste(POD_YAML))
    doc = yaml.safe_load(renamed)
    assert doc["metadata"]["name"] == PV.cipher("train-0")
    assert doc["metadata"]["namespace"] == PV.cipher("ml-team")
    assert doc["spec"]["nodeName"] == PV.cipher("gpu-node-7")
    # the image, the resource name and the container name are not the user's object names
    assert doc["spec"]["containers"][0]["image"] == "nvcr.io/nvidia/pytorch:24.01"
    assert "nvidia.com/gpu" in doc["spec"]["containers"][0]["resources"]["requests"]
    assert doc["kind"] == "Pod" and doc["apiVersion"] == "v1"


def test_rename_keeps_names_with_a_meaning_of_their_own():
    text = POD_YAML.replace("namespace: ml-team", "namespace: kube-system")
    doc = yaml.safe_load(PV.rename(paste(text)))
    assert doc["metadata"]["namespace"] == "kube-system"


def test_rename_keeps_a_name_that_is_its_kinds_resource_word():
    # kubeflow/trainer#1579 names its PyTorchJob "pytorchjob" and runs `kubectl get
    # pytorchjob`: renaming the object must not rename the resource in the command
    text = ("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: pytorchjob\n"
            "  namespace: team-a\n\n# kubectl get pytorchjob -n team-a\nNAME         STATE    "
            "AGE\npytorchjob   Failed   12m\n")
    renamed = PV.rename(paste(text))
    assert "# kubectl get pytorchjob -n " + PV.cipher("team-a") in renamed, renamed


def test_rename_reaches_names_in_text():
    text = ('Error from server (Forbidden): pods is forbidden: User '
            '"system:serviceaccount:argo:argo-server" cannot list resource "pods" in API group '
            '"" in the namespace "workflows"\n')
    renamed = PV.rename(paste(text))
    assert f"system:serviceaccount:{PV.cipher('argo')}:{PV.cipher('argo-server')}" in renamed
    assert f'in the namespace "{PV.cipher("workflows")}"' in renamed
    assert 'resource "pods"' in renamed


def test_wrappers():
    p = paste(POD_YAML)
    assert PV.fence(p).startswith("```yaml\n") and PV.fence(p).endswith("\n```\n")
    assert PV.command(p).startswith("$ kubectl get pods train-0 -n ml-team -o yaml\n")
    assert PV.prompt(p).startswith("user@gpu-node-1:~$ kubectl get pods")
    assert PV.crlf(p).count("\r\n") == POD_YAML.count("\n")
    assert all(line.startswith(">") for line in PV.quote(p).splitlines())
    assert all(line.endswith("   ") for line in PV.trailing(p).splitlines() if line.strip())
    prose = PV.prose(p)
    assert POD_YAML.rstrip() in prose and not prose.startswith("apiVersion")


def test_tabs_only_outside_yaml_and_one_per_spanned_column():
    assert PV.tabs(paste(POD_YAML)) is None  # a tab is not YAML whitespace
    table = ("$ kubectl get pvc\n"
             "NAME             STATUS    VOLUME    STORAGECLASS   AGE\n"
             "dnsmasq-ironic   Pending             standard       18m\n")
    rows = PV.tabs(paste(table)).splitlines()
    assert rows[1] == "NAME\tSTATUS\tVOLUME\tSTORAGECLASS\tAGE"
    assert rows[2] == "dnsmasq-ironic\tPending\t\tstandard\t18m"  # VOLUME is empty


def test_wrap_cuts_long_event_rows_at_80_columns():
    wrapped = PV.wrap(paste(EVENTS))
    lines = wrapped.splitlines()
    assert max(len(line) for line in lines) == 80
    assert "".join(lines[3:]) == EVENTS.splitlines()[3]
    assert PV.wrap(paste(POD_YAML)) is None  # a terminal wrap breaks YAML


def test_yaml_json_round_trip_keeps_every_value_and_timestamps_as_text():
    as_json = PV.yaml_json(paste(POD_YAML))
    doc = json.loads(as_json)
    assert doc == yaml.load(POD_YAML, Loader=PV._StringTimes)
    assert doc["metadata"]["creationTimestamp"] == "2024-05-02T09:12:40Z"
    assert yaml.safe_load(PV.yaml_json(paste(as_json)))["metadata"]["name"] == "train-0"


def test_shuffle_reverses_documents_and_list_items():
    second = POD_YAML.replace("train-0", "train-1")
    shuffled = list(yaml.safe_load_all(PV.shuffle(paste(POD_YAML + "---\n" + second))))
    assert [d["metadata"]["name"] for d in shuffled] == ["train-1", "train-0"]
    listed = {"apiVersion": "v1", "kind": "List", "items": [yaml.safe_load(POD_YAML),
                                                           yaml.safe_load(second)]}
    shuffled_list = json.loads(PV.shuffle(paste(json.dumps(listed))))
    assert [i["metadata"]["name"] for i in shuffled_list["items"]] == ["train-1", "train-0"]


def test_shuffle_moves_a_part_with_its_command_line():
    text = "$ kubectl get pods\nNAME      READY   STATUS    RESTARTS   AGE\ntrain-0   0/1     Pending   0          5m\n\n" \
        "$ kubectl describe pod train-0\n" + EVENTS
    shuffled = PV.shuffle(paste(text))
    assert shuffled.startswith("$ kubectl describe pod train-0\nEvents:")
    assert "$ kubectl get pods\nNAME" in shuffled


def test_healthy_pod_in_the_paste_form():
    added = list(yaml.safe_load_all(PV.healthy(paste(POD_YAML))))
    assert [d["metadata"]["name"] for d in added] == ["train-0", "web-5d8f7c9b4-x2k7q"]
    assert added[1]["status"]["phase"] == "Running"
    assert "Name:             web-5d8f7c9b4-x2k7q" in PV.healthy(paste(EVENTS))


def test_raw_drops_only_objects_filled_in_says_were_reconstructed():
    binding = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n"
               "  name: read\n  namespace: ml-team\n")
    p = paste(POD_YAML + "---\n" + binding)
    note = "The RoleBinding is reconstructed from the PR; the Pod is as pasted."
    kept = list(yaml.safe_load_all(PV.raw(p, note)))
    assert [d["kind"] for d in kept] == ["Pod"]
    assert PV.raw(p, "Its RoleBinding was not shown and is not added.") is None
    assert PV.raw(p, "") is None


def _outcome(case_id: str, kind: str, right: bool):
    case = PV.rwa.Case("dra", case_id, Path("."), {"expected": {"cause": "x"}})
    return PV.Outcome(case, kind, PV.rwa.Answer(case, causes=["x" if right else "y"]))


def test_the_target_counts_the_cases_the_original_answers_right():
    """A case the original paste already misses fails every variant too: that miss is the
    corpus benchmark's, and with few cases of a kind it alone would fail the kind."""
    outcomes = [_outcome("a", "original", True), _outcome("a", "shuffle", True),
                _outcome("b", "original", False), _outcome("b", "shuffle", False)]
    assert PV.below_target(outcomes, 0.9) == ["dra [original]: top-1 50.0% < target 90%"]
    outcomes.append(_outcome("c", "original", True))
    outcomes.append(_outcome("c", "shuffle", False))  # the surface changed a right answer
    assert "dra [shuffle]: top-1 50.0% < target 90%" in PV.below_target(outcomes, 0.9)
