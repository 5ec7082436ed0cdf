"""How a paste was posted is not evidence (issue 12): CRLF, a GitHub `> ` quote, tabs for
kubectl's column padding, a terminal's hard wrap, a prose line before YAML and `…` elisions
read the same objects as the paste kubectl printed. And a part no reader could read is said,
in one line, by every script (Dump.unread through cli.run).

The pastes are real ones from the corpus (tests/resources/real-world/<area>/<case>/, the
case.yaml names the thread); every expected value is read off the paste itself.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit import surface  # noqa: E402
from k8s_skillkit.event_table import unwrap  # noqa: E402
from k8s_skillkit.loading import parse_paste  # noqa: E402

CORPUS = ROOT / "tests" / "resources" / "real-world"
# rackerlabs/understack#54: describe Events (FailedScheduling) then `kubectl get pvc` with
# an empty VOLUME/CAPACITY/ACCESS MODES for the Pending claim
PVC = (CORPUS / "pods-nodes" / "pvc-unbound-wrong-storageclass-preemption" /
       "paste.txt").read_text(encoding="utf-8")
SCHEDULER = ("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
             "preemption: 0/1 nodes are available: 1 Preemption is not helpful for "
             "scheduling..")


def _events(dump):
    return [(e["reason"], e["message"]) for e in dump if e.get("kind") == "Event"]


def _claims(dump):
    """name -> the cells of its `kubectl get pvc` row"""
    return {o["metadata"]["name"]: o["_columns"] for o in dump
            if o.get("kind") == "PersistentVolumeClaim"}


def test_the_paste_as_kubectl_printed_it():
    dump = parse_paste(PVC, "p")
    assert _events(dump) == [("FailedScheduling", SCHEDULER)] * 2
    claims = _claims(dump)
    assert claims["dnsmasq-ironic"]["STATUS"] == "Pending"
    assert claims["dnsmasq-ironic"]["STORAGECLASS"] == "standard"


def test_crlf_line_endings():
    crlf = PVC.replace("\n", "\r\n")
    assert surface.line_endings(crlf) == PVC
    dump = parse_paste(crlf, "p")
    assert _events(dump) == [("FailedScheduling", SCHEDULER)] * 2
    assert _claims(dump)["dnsmasq-ironic"]["STORAGECLASS"] == "standard"


def test_github_quote_prefix():
    quoted = "\n".join("> " + line if line else ">" for line in PVC.split("\n"))
    assert surface.unquote(quoted) == PVC
    dump = parse_paste(quoted, "p")
    assert _events(dump) == [("FailedScheduling", SCHEDULER)] * 2
    assert _claims(dump)["dnsmasq-ironic"]["STATUS"] == "Pending"


def test_nested_quote_and_single_prompt_line():
    assert surface.unquote("> > a: 1\n> > b: 2") == "a: 1\nb: 2"
    # a one-line quote too (an issue title quoting the scheduler); a `> kubectl` prompt
    # becomes a bare command line, which the command reader takes as well
    assert surface.unquote("> 0/3 nodes are available") == "0/3 nodes are available"
    assert surface.unquote("> kubectl get pods\nNAME") == "kubectl get pods\nNAME"


def test_text_without_a_quote_line_is_returned_as_is():
    # a kubectl dump has no line starting with `>`: the text itself comes back, unsplit
    # (splitting 15 million lines of an indented `-o json` dump cost seconds)
    dump = json.dumps({"items": [{"a": ">", "b": "x > y"}]}, indent=4)
    assert surface.unquote(dump) is dump
    assert surface.unquote("NAME\n> quoted\n>") == "NAME\nquoted\n"
    assert surface.unquote("a\n>not a quote") == "a\n>not a quote"  # `>` then text


def test_tabs_for_column_padding_keep_empty_cells():
    # the table as a tab-separated copy gives it: one tab per column, empty cells between
    # two tabs (kubectl's tabwriter input, k8s.io/cli-runtime pkg/printers/tabwriter.go)
    table = ("NAME\tSTATUS\tVOLUME\tCAPACITY\tACCESS MODES\tSTORAGECLASS\tAGE\n"
             "storage-mariadb-0\tBound\tpvc-b0ab04db\t1Gi\tRWO\tlocal-path\t48d\n"
             "dnsmasq-ironic\tPending\t\t\t\tstandard\t18m\n")
    dump = parse_paste("$ kubectl get pvc\n" + table, "p")
    claims = _claims(dump)
    assert claims["dnsmasq-ironic"]["STATUS"] == "Pending"
    assert claims["dnsmasq-ironic"]["STORAGECLASS"] == "standard"
    assert claims["storage-mariadb-0"]["STORAGECLASS"] == "local-path"


def test_untab_aligns_columns_and_keeps_indentation():
    lines = surface.untab(["A\tBB\tC", "aaa\t\tc", "\tindented"])
    assert lines[0].index("BB") == lines[1].index("c") - (len("BB") + 3) or \
        lines[0].index("C") == lines[1].index("c")
    assert lines[0].index("C") == lines[1].index("c")
    assert lines[2] == "    indented"


def test_terminal_wrap_inside_describe_events():
    # a terminal 80 columns wide cuts every longer line there, the piece at column 0
    lines = PVC.split("\n")
    wrapped = []
    for line in lines[:5]:  # the describe Events section
        wrapped.extend(line[i:i + 80] for i in range(0, max(len(line), 1), 80))
    dump = parse_paste("\n".join(wrapped + lines[5:]), "p")
    reasons = [r for r, _ in _events(dump)]
    assert reasons == ["FailedScheduling", "FailedScheduling"]
    # joined where the terminal cut, inside words too: only a cut that fell on a space
    # loses that space (a terminal copy does not keep it)
    for _, message in _events(dump):
        assert message.replace(" ", "") == SCHEDULER.replace(" ", "")
    assert _claims(dump)["dnsmasq-ironic"]["STATUS"] == "Pending"


def test_unwrap_joins_pieces_not_rows():
    long_row = "  Normal  Created  5s  kubelet  " + "x" * 60
    assert unwrap([long_row, "yz", "  Normal  Started  5s  kubelet  ok"],
                  lambda line: "Normal" in line) == \
        [long_row + "yz", "  Normal  Started  5s  kubelet  ok"]
    # a short line is never cut by a terminal
    assert unwrap(["short", "next"], lambda line: False) == ["short", "next"]


def test_events_row_before_yaml_is_not_a_key_of_the_first_object():
    # kubernetes-sigs/kueue#4848: the Pending event line pasted above the manifests
    paste = (CORPUS / "kueue" / "resource-ephemeral-storage-limitrange" /
             "paste.txt").read_text(encoding="utf-8")
    dump = parse_paste(paste, "p")
    namespace = next(o for o in dump if o.get("kind") == "Namespace")
    assert set(namespace) == {"apiVersion", "kind", "metadata"}
    assert any("resource ephemeral-storage unavailable in ClusterQueue" in line
               for line in dump.texts)


def test_unicode_elision_inside_yaml_keeps_the_objects():
    # kubernetes-sigs/kueue (memverge) paste: `kubectl get rf -o yaml` with `…` where lines
    # were cut, then two ClusterQueues
    paste = (CORPUS / "kueue" / "quota-two-flavors-no-preempt-trynextflavor" /
             "paste.txt").read_text(encoding="utf-8")
    dump = parse_paste(paste, "p")
    names = sorted(o["metadata"]["name"] for o in dump
                   if o.get("kind") in ("ResourceFlavor", "ClusterQueue"))
    assert names == ["cq-hi", "cq-med", "ng1", "ng2"]


# --- Dump.unread, said by every script ----------------------------------------------------

# A second object whose `namespace:` is indented one space too far (YAML cannot read it)
BROKEN = """
And the other one:

apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
   namespace: shop
"""


def test_a_broken_document_costs_only_itself():
    good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n"
    dump = parse_paste("Context.\n\n" + good + "---" + BROKEN.split("one:")[1], "p")
    assert [o["metadata"]["name"] for o in dump] == ["web-0"]
    assert len(dump.unread) == 1 and "not read" in dump.unread[0]


def _first_case_of(script: str) -> Path:
    for spec_path in sorted(CORPUS.glob("*/*/case.yaml")):
        text = spec_path.read_text(encoding="utf-8")
        if f"script: {script}" in text:
            return spec_path.parent / next(line.split(":", 1)[1].strip()
                                           for line in text.splitlines()
                                           if line.startswith("input:"))
    raise AssertionError(f"no corpus case for {script}")


SCRIPTS = ["k8s-troubleshooting/triage.py", "k8s-kueue/explain_pending.py",
           "k8s-dra/explain_claim.py", "k8s-gateway-gaie/check_routes.py",
           "k8s-rbac/audit_rbac.py"]


def _run(script: str, path: Path, *extra: str) -> subprocess.CompletedProcess:
    exe = ROOT / "skills" / script.replace("/", "/scripts/", 1)
    return subprocess.run([sys.executable, str(exe), "-f", str(path), *extra],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_diagnostic_script_says_what_it_did_not_read(script, tmp_path):
    paste = _first_case_of(script).read_text(encoding="utf-8")
    path = tmp_path / "paste.txt"
    path.write_text(paste.rstrip("\n") + "\n" + BROKEN, encoding="utf-8")
    text = _run(script, path)
    said = [line for line in text.stdout.splitlines() if line.startswith("Not read")]
    assert len(said) == 1, text.stdout + text.stderr
    assert "YAML starting at line" in said[0]
    doc = json.loads(_run(script, path, "--json").stdout)
    assert len(doc["unread"]) == 1 and "YAML starting at line" in doc["unread"][0]


@pytest.mark.parametrize("script", SCRIPTS[:2])
def test_nothing_unread_adds_no_line_and_an_empty_list(script):
    path = _first_case_of(script)
    assert "Not read" not in _run(script, path).stdout
    assert json.loads(_run(script, path, "--json").stdout)["unread"] == []


def test_a_terminal_panes_border_is_taken_off_its_rows():
    """k9s and tmux draw U+2502 at each side of a pane's rows; a copy keeps it
    (open-feature/open-feature-operator#645). Rows of unequal widths (a pane that pads no
    row) show no pane width: the pieces are left for the readers' unwrap."""
    text = ("failed to list *v1 │\n"
            "│ .Deployment: deployments.apps is forbidden: User \"x\" contro │\n"
            "│ ller-manager\" cannot list │\n"
            "│ 8s.io \"manager-role\" not found\n"
            "after")
    assert surface.unframe(text).split("\n") == [
        "failed to list *v1", ".Deployment: deployments.apps is forbidden: User \"x\" contro",
        "ller-manager\" cannot list", "8s.io \"manager-role\" not found", "after"]


def _pane(rows: list[str], width: int) -> str:
    """k9s's pane: each row wrapped at the pane's inner width, padded to it, framed."""
    pieces = [row[i:i + width] for row in rows for i in range(0, max(len(row), 1), width)]
    return "".join(f"│ {piece.ljust(width)} │\n" for piece in pieces)


# the scheduler's words (kubernetes pkg/scheduler/framework/plugins/dynamicresources
# v1.37.2) and a kubelet klog line: each longer than the pane, cut in a word, at a space,
# and before one
ROWS = ["0/3 nodes are available: 3 claim team-gpu, request gpu: adding 3 devices exceeds the "
        "claim limit of 3. preemption: 0/3 nodes are available: 3 Preemption is not helpful.",
        'E0304 10:11:12.123456    2211 pod_workers.go:1301] "Error syncing pod, skipping" '
        'err="Child exited with code 3" pod="team-gpu/train-0"',
        "short row"]


@pytest.mark.parametrize("width", [40, 57, 64, 71, 96])
def test_rows_a_pane_wrapped_are_joined_as_they_were(width):
    """(a row that fits keeps the pane's padding: describe pads its empty values too)"""
    unframed = surface.unframe(_pane(ROWS, width)).split("\n")[:-1]
    assert [row.rstrip() for row in unframed] == ROWS


def test_rows_that_end_before_the_border_stay_rows():
    rows = ["first row", "second row, the widest of the pane", "third"]
    assert surface.unframe(_pane(rows, 40)).split("\n")[:-1] == [r.ljust(40) for r in rows]


def test_a_lone_box_character_and_markdown_pipes_are_text():
    text = "| a | b |\n|---|---|\n| 1 | 2 |\nthe tree: root │ leaf\n"
    assert surface.unframe(text) == text


def test_an_object_cut_right_after_spec_is_read_without_it():
    """`spec:` followed by the first characters of its first key (a paste cut there) is
    `spec: par` to YAML: the object is kept, without the field that is no mapping, and the
    paste's unread notes say so (envoyproxy/gateway#4846's stored copy)."""
    dump = parse_paste("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n"
                       "  name: myapp\nspec:\n  par\n", "paste")
    [route] = list(dump)
    assert route["metadata"]["name"] == "myapp" and "spec" not in route
    assert any("spec is no mapping" in note for note in dump.unread)


def test_a_pane_border_with_trailing_spaces_after_it():
    text = "failed to list *v1 │  \n│ .Deployment: forbidden │ \n│ 8s.io not found\n"
    assert surface.unframe(text).split("\n")[:3] == ["failed to list *v1", ".Deployment: forbidden",
                                                     "8s.io not found"]


def test_one_line_framed_at_both_sides_is_unframed():
    # a k9s pane holding one row (`│ <message> │`): the border is no text (a run of 2+ framed
    # lines was unframed already); a line framed at one side alone stays as it is
    assert surface.unframe("│ Port is required          │").rstrip() == "Port is required"
    assert surface.unframe("│ a left border only") == "│ a left border only"


def test_an_events_table_message_keeps_the_quotes_the_component_wrote():
    # a row copied from an old kubectl or a JSON log prints the message's quotes escaped
    table = ("LAST SEEN   TYPE      REASON             OBJECT        MESSAGE\n"
             '2m          Warning   FailedScheduling   pod/web-0     failed to place pod on '
             '\\"worker-2\\": node(s) didn\'t match\n')
    (event,) = [o for o in parse_paste(table, "paste") if o.get("kind") == "Event"]
    assert event["message"].startswith('failed to place pod on "worker-2":')


# one line an 80-column console cut where the cut fell on a space: the space ends the first
# piece or starts the second (the kubelet's node event, pkg/kubelet/nodestatus/setters.go
# v1.37.2 "Node %s status is now: %s", in a klog line whose node name puts the cut there)
def _node_event(name_length: int) -> str:
    return (f"I1202 12:00:03.000000    2211 event.go:307] Node worker-{'2' * name_length} "
            "status is now: NodeNotReady")


@pytest.mark.parametrize("space", ["ends-the-first-piece", "starts-the-second"])
def test_one_cut_at_a_space_is_joined_back(space):
    from k8s_skillkit.event_table import unwrap_free_text
    at = _node_event(1).index("now: ") + len("now:")  # the space after "now:"
    line = _node_event(1 + 80 - at - (1 if space == "ends-the-first-piece" else 0))
    pieces = [line[:80], line[80:]]
    assert pieces[0].endswith(" ") if space == "ends-the-first-piece" else \
        pieces[1].startswith(" ")
    assert unwrap_free_text(pieces) == [line]


def test_a_new_indented_line_or_record_after_80_columns_stays_its_own():
    from k8s_skillkit.event_table import unwrap_free_text
    first = "x" * 79 + " "
    for rest in ("  indented by two", "E1202 12:00:04.000000 1 next.go:1] another record"):
        assert unwrap_free_text([first, rest]) == [first, rest]
