"""Events read back from the controller logs that recorded them (kit logged_events).

Each form is the recorder's own logging call at a pinned source (cited in the module), and
the lines are users' pastes: aws/aws-application-networking-k8s#209 (controller-runtime,
zap console), kubeflow/trainer#2044 (the training-operator, tabs turned into spaces)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.logged_events import events_from_logs  # noqa: E402


def _one(line: str) -> dict:
    events = events_from_logs([line])
    assert len(events) == 1, events
    return events[0]


def test_controller_runtime_console_line():
    event = _one('2023-03-28T18:43:46.517Z\tDEBUG\tevents\tFailed build model due to '
                 'LATTICE_RETRY\t{"type": "Warning", "object": {"kind":"HTTPRoute",'
                 '"namespace":"default","name":"rates"}, "reason": "FailedBuildModel"}')
    assert event["involvedObject"] == {"kind": "HTTPRoute", "name": "rates",
                                       "namespace": "default"}
    assert (event["type"], event["reason"], event["message"]) == (
        "Warning", "FailedBuildModel", "Failed build model due to LATTICE_RETRY")


def test_console_line_whose_tabs_became_spaces():
    event = _one('2024-04-05T11:12:25-04:00   DEBUG   events   PyTorchJob kfto-01 is restarting '
                 'because 1 Master replica(s) failed.   {"type": "Warning", "object": '
                 '{"kind":"PyTorchJob","namespace":"default","name":"kfto-01","uid":"4acaf99e"},'
                 ' "reason": "PyTorchJobRestarting"}')
    assert event["message"] == "PyTorchJob kfto-01 is restarting because 1 Master replica(s) failed."
    assert event["reason"] == "PyTorchJobRestarting"


def test_json_encoding_and_the_type_as_message():
    record = ('{"level":"debug","ts":"2024-01-02T03:04:05Z","logger":"events","msg":"Normal",'
              '"object":{"kind":"Workload","namespace":"team-a","name":"job-x-1b2c3"},'
              '"reason":"Pending","message":"couldn\'t assign flavors to pod set main"}')
    event = _one(record)
    assert (event["type"], event["reason"]) == ("Normal", "Pending")
    assert event["message"] == "couldn't assign flavors to pod set main"


def test_client_go_structured_logging():
    event = _one('I0405 11:12:25.123456       1 event.go:376] "Event occurred" '
                 'object="ml/train-0" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" '
                 'reason="FailedScheduling" message="0/3 nodes are available: 3 Insufficient '
                 'nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims '
                 'found for incoming pod."')
    assert event["involvedObject"] == {"kind": "Pod", "name": "train-0", "namespace": "ml"}
    assert event["message"].startswith("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")


def test_client_go_object_reference_form():
    event = _one('I1107 10:01:02.000000       1 event.go:291] Event(v1.ObjectReference{Kind:"Pod", '
                 'Namespace:"default", Name:"nginx-1", UID:"e1c", APIVersion:"v1", '
                 'ResourceVersion:"812", FieldPath:""}): type: \'Warning\' reason: '
                 '\'FailedScheduling\' 0/1 nodes are available: 1 node(s) had taint '
                 '{node-role.kubernetes.io/master: }, that the pod didn\'t tolerate.')
    assert event["involvedObject"] == {"kind": "Pod", "name": "nginx-1", "namespace": "default"}
    assert event["message"].endswith("that the pod didn't tolerate.")


@pytest.mark.parametrize("line", [
    '{"level":"info","msg":"Reconciling","object":{"kind":"Pod","name":"x"}}',  # no reason/type
    'I0405 1 event.go:376] "Event occurred" object="ml/x" kind="Pod" type="Bogus" reason="R"',
    "Event(v1.ObjectReference{Namespace:\"a\"}): type: 'Warning' reason: 'R' no kind",
    "plain text about an event",
])
def test_lines_that_record_no_event(line):
    assert events_from_logs([line]) == []
