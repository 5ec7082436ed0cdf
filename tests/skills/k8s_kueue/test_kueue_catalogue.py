"""Every wording of references/catalogue/kueue.tsv (Kueue's format strings v0.4..v0.19, each
with its source file@tag) filled with example values and run through explain_pending.py in
each form users paste. A wording the script does not map to the catalogue's cause fails
here: the guard against the next version's wording (issue 12)."""
from __future__ import annotations

import re
import sys

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import (
    assert_read_as,
    NOT_A_FAULT, UNKNOWN, describe_events, event_table, fill, json_log, load_main,
    log_line, prose, read_catalogue,
)

SKILL = ROOT / "skills" / "k8s-kueue"
CATALOGUE = read_catalogue(SKILL / "references" / "catalogue" / "kueue.tsv")
FAULTS = [r for r in CATALOGUE if r.cause not in (NOT_A_FAULT, UNKNOWN)]
CAUSE_IDS = set((SKILL / "references" / "causes.md").read_text().split("`"))

sys.path.insert(0, str(SKILL / "scripts"))
from _kueue.messages import first_cause as message_cause  # noqa: E402


@pytest.fixture(scope="module")
def explain():
    return load_main(SKILL / "scripts" / "explain_pending.py")


def _workload_yaml(row, message: str) -> str:
    if row.reason in ("PodsReadyTimeout", "InactiveWorkload", "Preempted", "InClusterQueue",
                      "InCohortReclamation", "InCohortFairSharing", "ClusterQueueStopped",
                      "LocalQueueStopped", "DeactivatedDueToRequeuingLimitExceeded",
                      "DeactivatedDueToMaximumExecutionTimeExceeded", "AdmissionCheck",
                      "AdmissionChecksRejected"):
        ctype, status = "Evicted", "True"
    else:
        ctype, status = "QuotaReserved", "False"
    quoted = message.replace("'", "''")
    return f"""apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-train-7f3a2
  namespace: team-gpu
spec:
  queueName: team-gpu
  podSets:
  - name: workers
    count: 2
    template:
      spec:
        containers:
        - name: c
          image: trainer:1
          resources:
            requests:
              nvidia.com/gpu: "8"
status:
  conditions:
  - type: {ctype}
    status: "{status}"
    reason: {row.reason or "Pending"}
    message: '{quoted}'
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


def _cq_yaml(row, message: str) -> str:
    quoted = message.replace("'", "''")
    return f"""apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: team-gpu-cq
spec:
  namespaceSelector: {{}}
  resourceGroups: []
status:
  conditions:
  - type: Active
    status: "False"
    reason: {row.reason or "Inactive"}
    message: '{quoted}'
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


_DESCRIBE_WL = ("Name:         job-train-7f3a2\nNamespace:    team-gpu\nLabels:       <none>\n"
                "API Version:  kueue.x-k8s.io/v1beta1\nKind:         Workload\nSpec:\n"
                "  Queue Name:  team-gpu\n")


def forms(row, message: str | None = None) -> dict[str, str]:
    """The row's filled wording (or `message`, the same wording as a user edited it) in
    every form its catalogue form is pasted in."""
    message = fill(row.wording) if message is None else message
    if row.form in ("condition", "event"):
        out = {"event-table": event_table(message, row.reason),
               "describe": describe_events(_DESCRIBE_WL, message, row.reason,
                                           "kueue-admission"),
               "prose": prose(message)}
        if row.form == "condition":
            out["yaml"] = _workload_yaml(row, message)
        return out
    if row.form == "cq-status":
        return {"yaml": _cq_yaml(row, message), "prose": prose(message)}
    if row.form == "webhook":
        refusal = ('Error from server (Forbidden): error when creating "job.yaml": admission '
                   f'webhook "vjob.kb.io" denied the request: {message}')
        return {"kubectl": refusal + "\n", "prose": prose(refusal)}
    return {"log": log_line(message, "controller"), "json-log": json_log(message, "setup"),
            "prose": prose(message)}


def forms_with_message(row, message: str | None = None) -> dict[str, str]:
    """Every form, and the message copied alone (no reason, no object), as users quote it."""
    message = fill(row.wording) if message is None else message
    out = forms(row, message)
    if row.form != "webhook":
        out["message"] = message + "\n"
    return out


CASES = [(row, name) for row in FAULTS for name in forms_with_message(row)]


def test_catalogue_rows_are_complete():
    assert len(CATALOGUE) > 100
    for row in CATALOGUE:
        assert row.wording and row.versions.startswith("v0.") and "@v0." in row.source, row
        assert row.form in ("condition", "event", "cq-status", "webhook", "log"), row
        if row.cause in (NOT_A_FAULT, UNKNOWN):
            assert len(row.note) > 10, f"{row.id}: say why it is {row.cause}"
        else:
            assert row.cause in CAUSE_IDS, f"{row.id}: {row.cause} is no cause id"


@pytest.mark.parametrize("row", FAULTS, ids=[r.id for r in FAULTS])
def test_every_fault_wording_maps_to_its_cause(row):
    assert message_cause(fill(row.wording)) == row.cause


@pytest.mark.parametrize("row", [r for r in CATALOGUE if r.cause == NOT_A_FAULT],
                         ids=lambda r: r.id)
def test_progress_wordings_are_no_fault(row):
    assert message_cause(fill(row.wording)) == ""


@pytest.mark.parametrize("row,form", CASES, ids=[f"{r.id}[{f}]" for r, f in CASES])
def test_every_fault_wording_in_every_form(row, form, explain, tmp_path):
    assert_read_as(explain, forms_with_message(row)[form], row.cause, form, tmp_path)


# ---- Paste shapes: the same forms wrapped the way issues, docs pages and terminals carry
# them (held-out rounds 52-61 failed on the shape of a paste more than on its wording).
# Each shape takes (row, form) and returns the paste, or None where it cannot apply.

def _pasted(row, form: str) -> str:
    return forms_with_message(row)[form]


def _github_quote(row, form):
    """A GitHub reply quoting the paste: every line `> `, an empty one `>`."""
    return "".join(f"> {line}\n" if line else ">\n" for line in _pasted(row, form).splitlines())


def _numbered_list_fence(row, form):
    """An issue's "Steps to reproduce": the paste fenced inside a numbered list item, every
    line indented 3 spaces under `1. ` (as GitHub renders it)."""
    lang = "yaml" if form == "yaml" else ""
    body = "".join(f"   {line}\n" if line else "\n" for line in _pasted(row, form).splitlines())
    return ("**Steps to reproduce**\n\n1. Submit the job and look at what Kueue says:\n\n"
            f"   ```{lang}\n{body}   ```\n\n2. The job never starts.\n")


_COMMANDS = {"yaml": "kubectl get workload job-train-7f3a2 -n team-gpu -o yaml",
             "cq-yaml": "kubectl get clusterqueue team-gpu-cq -o yaml",
             "describe": "kubectl describe workload job-train-7f3a2 -n team-gpu",
             "event-table": "kubectl get events -n team-gpu",
             "log": "kubectl logs -n kueue-system deploy/kueue-controller-manager",
             "kubectl": "kubectl create -f job.yaml"}


def _command_above(prompt: str):
    def shape(row, form):
        """The command that printed the paste above it, a blank line between."""
        key = "cq-yaml" if form == "yaml" and row.form == "cq-status" else form
        if key not in _COMMANDS:
            return None
        return f"{prompt}{_COMMANDS[key]}\n\n{_pasted(row, form)}"
    return shape


def _metadata_elided(row, form):
    """A docs page's YAML: `metadata:` with `...` in place of its fields (no name)."""
    if form != "yaml":
        return None
    head, rest = _pasted(row, form).split("metadata:\n", 1)
    body = rest[rest.index("\nspec:") + 1:] if "\nspec:" in rest else rest
    return f"{head}metadata:\n  ...\n{body}"


def _kind_to_status_elided(row, form):
    """A docs page's YAML: `...` between `kind:` and `status:` (no name, no spec)."""
    if form != "yaml":
        return None
    text = _pasted(row, form)
    kind_end = text.index("\n", text.index("kind: ")) + 1
    return f"{text[:kind_end]}...\n{text[text.index('status:'):]}"


def _condition_lines(text: str) -> str:
    """The condition's lastTransitionTime and message lines, as kubectl sorts them."""
    when = next(ln.strip() for ln in text.splitlines() if "lastTransitionTime:" in ln)
    said = next(ln.strip() for ln in text.splitlines() if ln.strip().startswith("message:"))
    return f"  - {when}\n    {said}\n"


def _condition_cut_from_type(row, form):
    """The object with its condition cut to lastTransitionTime and message (a docs page's
    excerpt drops type, status and reason)."""
    if form != "yaml":
        return None
    text = _pasted(row, form)
    return text[:text.index("  - type: ")] + _condition_lines(text)


def _condition_lines_alone(row, form):
    """Only those two lines copied, without the `status:`/`conditions:` keys above them."""
    return _condition_lines(_pasted(row, form)) if form == "yaml" else None


def _json_escaped(row, form):
    """Quotes inside the message escaped (`\\"name\\"`), as old kubectl event tables and
    JSON-logging controllers print them; only for a message that has quotes."""
    message = fill(row.wording)
    if form not in ("event-table", "log", "message") or '"' not in message:
        return None
    return forms_with_message(row, message.replace('"', '\\"'))[form]


def _terminal_wrapped(row, form):
    """Hard-wrapped at 80 columns, mid-word, as a terminal copies a long line."""
    out = []
    for line in _pasted(row, form).splitlines():
        out += [line[i:i + 80] for i in range(0, len(line), 80)] or [""]
    return "\n".join(out) + "\n"


def _crlf(row, form):
    return _pasted(row, form).replace("\n", "\r\n")


def _k9s_borders(row, form):
    """k9s' view copied with its frame: `│ <line> │`, padded to the pane's width."""
    lines = _pasted(row, form).splitlines()
    width = max(len(line) for line in lines) + 6
    return "".join(f"│ {line:<{width}} │\n" for line in lines)


_NAMES = re.compile(r"job-train-7f3a2|team-gpu-cq|a100-spot|team-gpu")


def _masked_in_message(row, form):
    """The message's object names replaced by `*****` (a user hiding their queue, flavor and
    job names); the name never decides a catalogued cause, so the cause stays readable."""
    return forms_with_message(row, _NAMES.sub("*****", fill(row.wording)))[form]


def _masked_everywhere(row, form):
    """Every name of the paste masked by find-and-replace: in YAML `name: *****` (the kit
    quotes a mask, which plain YAML would read as an alias); in an event table the OBJECT
    cell shrinks and the MESSAGE column moves."""
    return _NAMES.sub("*****", _pasted(row, form))


SHAPES = {"github-quote": _github_quote, "numbered-list-fence": _numbered_list_fence,
          "command-above": _command_above("$ "), "bare-command-above": _command_above(""),
          "metadata-elided": _metadata_elided, "kind-to-status-elided": _kind_to_status_elided,
          "condition-cut-from-type": _condition_cut_from_type,
          "condition-lines-alone": _condition_lines_alone, "json-escaped": _json_escaped,
          "terminal-wrapped-80": _terminal_wrapped, "crlf": _crlf, "k9s-borders": _k9s_borders,
          "masked-in-message": _masked_in_message, "masked-everywhere": _masked_everywhere}


SHAPE_CASES = [
    pytest.param(row, form, shape, id=f"{row.id}[{form}][{shape}]")
    for row, form in CASES for shape, make in SHAPES.items() if make(row, form) is not None]


@pytest.fixture(scope="module")
def paste_dir(tmp_path_factory):
    # one folder for the thousands of shaped pastes: a tmp_path each costs more than the run
    return tmp_path_factory.mktemp("kueue-shapes")


@pytest.mark.parametrize("row,form,shape", SHAPE_CASES)
def test_every_fault_wording_in_every_paste_shape(row, form, shape, explain, paste_dir):
    assert_read_as(explain, SHAPES[shape](row, form), row.cause, f"{form}/{shape}", paste_dir)
