"""check_training.py on `kubectl get` tables of training objects.

The columns are each CRD's additionalPrinterColumns at the pinned versions (module cache):
- KubeRay ray-operator v1.6.2 apis/ray/v1/rayjob_types.go l.355-360: `job status`
  (.status.jobStatus), `deployment status` (.status.jobDeploymentStatus), `ray cluster name`,
  `start time`, `end time`, `age`; kubectl prints the names upper-cased.
- JobSet v0.12.0 api/jobset/v1alpha2/jobset_types.go l.295-299: TerminalState
  (.status.terminalState, set to Failed with the Failed condition in failure_policy.go l.420,
  to Completed in jobset_controller.go l.1277), Restarts, Completed, Suspended, Age.
- training-operator v1.9.3 pytorch_types.go l.51-52 (and the other kinds) and trainer v2.2.1
  trainjob_types.go l.34-35: State = .status.conditions[-1:].type, Age - the same two
  columns for seven kinds, so the kind comes only from the pasted command line.
The PyTorchJob row with an empty STATE is kubeflow/trainer#1856 as its reporter pasted it
(the training-operator's controller-manager was in CrashLoopBackOff, so nothing reconciled
the job).
"""
from __future__ import annotations

import pytest

from .conftest import run_script

RAYJOB_HEADER = ("NAME            JOB STATUS   DEPLOYMENT STATUS   RAY CLUSTER NAME                 "
                 "START TIME             END TIME               AGE")


def check(tmp_path, text: str):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    return run_script("check_training.py", "-f", str(path), "--json")


def test_rayjob_table_without_command_line_is_read_by_its_columns(tmp_path):
    row = ("rayjob-sample   FAILED       Failed              rayjob-sample-raycluster-abcde   "
           "2024-01-01T00:00:00Z   2024-01-01T00:05:00Z   5m")
    result = check(tmp_path, f"{RAYJOB_HEADER}\n{row}\n")
    assert result.code == 1, result.err
    first = result.doc["findings"][-1]
    assert (first["cause"], first["object"]["kind"]) == ("training_failed", "RayJob")
    # a row has no reason or backoffLimit: the finding quotes the row, not invented fields
    assert "DEPLOYMENT STATUS Failed" in first["evidence"][0]
    assert not any("backoffLimit" in e for e in first["evidence"])


def test_jobset_terminal_state_failed_is_the_failed_condition(tmp_path):
    text = ("NAME           TERMINALSTATE   RESTARTS   COMPLETED   SUSPENDED   AGE\n"
            "paralleljobs   Failed          3                      false       3m\n")
    result = check(tmp_path, text)
    assert result.code == 1, result.err
    assert [f["cause"] for f in result.doc["findings"]] == ["training_failed"]


def test_running_jobset_row_is_not_a_finding(tmp_path):
    # JobSet PR #594's own example row: a running JobSet prints empty status columns
    text = ("NAME           STATUS    RESTARTS   COMPLETED   SUSPENDED   AGE\n"
            "paralleljobs   Running                                      3s\n")
    result = check(tmp_path, "$ kubectl get jobset\n" + text)
    assert result.code == 0, result.err


def test_pytorchjob_row_without_state_is_not_reconciled(tmp_path):
    text = ("```shell\n➜ kubectl get pytorchjobs --namespace=kubeflow\n"
            "NAME             STATE   AGE\npytorch-simple           30m\n```\n")
    result = check(tmp_path, text)
    assert result.code == 1, result.err
    (only,) = result.doc["findings"]
    assert (only["cause"], only["basis"]) == ("training_not_reconciled", "inferred")
    assert "training-operator" in only["message"]


@pytest.mark.parametrize("state, cause", [("Failed", "training_failed"), ("Running", None),
                                          ("Succeeded", None)])
def test_state_column_is_the_last_condition(tmp_path, state, cause):
    text = f"$ kubectl get pytorchjobs\nNAME     STATE{' ' * 6}AGE\ntrain    {state:<11}2h\n"
    result = check(tmp_path, text)
    assert [f["cause"] for f in result.doc.get("findings", [])] == ([cause] if cause else [])


def test_kindless_state_table_names_what_is_missing(tmp_path):
    result = check(tmp_path, "NAME             STATE    AGE\npytorch-simple   Failed   30m\n")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "kubectl get <kind>" in result.err


def test_pod_table_hands_off_to_triage(tmp_path):
    text = ("NAME             READY   STATUS             RESTARTS   AGE\n"
            "train-worker-0   0/1     CrashLoopBackOff   5          10m\n")
    result = check(tmp_path, text)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "triage.py" in result.err


# The operator's own log refusing a job's spec, with no job pasted: tf-operator's
# `TfJob failed to setup: ...` (kubeflow/trainer#218, as pasted: the job was left with an empty
# status, and setting LogDir fixed it) is the operator's verdict on the spec.
def test_an_operator_refusing_the_spec_in_its_log_is_training_invalid(tmp_path):
    result = check(tmp_path, "I1211 21:40:38.516560       1 controller.go:349] event: ADDED {\n"
                   "E1211 21:40:38.530912       1 training.go:112] TfJob failed to setup: "
                   "tbReplicaSpec.LogDir must be specified\n")
    assert result.code == 1, result.err
    top = result.doc["findings"][0]
    assert (top["cause"], top["basis"], top["object"]["kind"]) == \
        ("training_invalid", "reported", "TFJob"), top


def test_a_report_in_words_is_not_evaluated_not_refused(tmp_path):
    result = check(tmp_path, "My TFJob never starts and the dashboard shows nothing, what "
                   "should I check first?\n")
    assert result.code == 0, result.err
    assert [f["cause"] for f in result.doc["findings"]] == ["not_evaluated"]
