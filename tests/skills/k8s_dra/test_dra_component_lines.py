"""A paste holding only DRA component log lines is read, never refused with exit 2: a fault
line gives its cause; routine lines give one info `not_evaluated` finding that says what they
cannot tell and the commands that would (references/causes.md, not_evaluated).

Fixture lines are the compute-domain daemon's klog lines as kubernetes-sigs/dra-driver-nvidia-gpu
v0.4.1 prints them (cmd/compute-domain-daemon/process.go:89,188, main.go:368,
cdstatus.go:339,465), in the form `kubectl logs --prefix` gives them (the driver's bug-report
template, .github/ISSUE_TEMPLATE/bug_report.yml:177). nvidia-imex's own lines pass through the
daemon's stderr (process.go:95-96; LOG_FILE_NAME empty in templates/compute-domain-daemon-
config.tmpl.cfg:22); IMEX is NVIDIA's closed binary, so its line here keeps only the shape
(a level the template lists, :5-13) and a made-up text.
"""
from __future__ import annotations

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import load_main, run_main

SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"
PREFIX = "[pod/imex-cd-daemon-x7k2p/compute-domain-daemon] "

DAEMON_LOG = "".join(PREFIX + line + "\n" for line in (
    "I1203 09:47:58.100000       1 main.go:368] Got update, (re)start IMEX daemon",
    "I1203 09:47:58.200000       1 process.go:89] Start: nvidia-imex -c /imexd/imexd.cfg",
    "[Dec 03 2025 09:47:58] [INFO] [tid 39] (made-up text: IMEX is a closed binary)",
    "[Dec 03 2025 09:47:59] [ERROR] [tid 40] (made-up text of an error about a peer)",
    "I1203 09:48:00.000000       1 cdstatus.go:339] numNodes: 4, nodes seen: 2",
    "I1203 09:48:01.000000       1 cdstatus.go:465] Successfully updated node status in CD "
    "(new status: NotReady)",
))


@pytest.fixture(scope="module", params=["explain_claim.py", "check_dra.py"])
def script(request):
    return load_main(SCRIPTS / request.param)


def _run(script, text, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    return run_main(script, path)


def test_daemon_log_alone_is_read_and_says_what_it_cannot_tell(script, tmp_path):
    code, doc, err = _run(script, DAEMON_LOG, tmp_path)
    assert code == 0, err
    first = doc["findings"][0]
    assert (first["severity"], first["cause"]) == ("info", "not_evaluated")
    # the IMEX line logged at error level is quoted first: its words may be the cause
    assert first["evidence"][0].startswith("logged as an error: ") and "[ERROR]" in \
        first["evidence"][0]
    # what the daemon's own lines say about the domain (cdstatus.go:339, :465)
    assert any("2 of numNodes 4" in e for e in first["evidence"])
    assert any(e.endswith("NotReady") for e in first["evidence"])
    assert "kubectl get computedomains" in first["fix"]


def test_a_fault_line_in_the_same_log_is_the_answer(script, tmp_path):
    # process.go:188: nvidia-imex exited without being stopped; the node's channel claims
    # wait at prepare until it is Ready again
    crash = PREFIX + ("W1203 09:48:02.000000       1 process.go:188] Watchdog: child terminated "
                      "unexpectedly\n")
    code, doc, _ = _run(script, DAEMON_LOG + crash, tmp_path)
    assert code == 1
    assert doc["findings"][0]["cause"] == "driver_prepare_failed"
    assert "IMEX's own lines" in doc["findings"][0]["fix"]


def test_a_sentence_about_the_imex_daemon_is_a_report_not_bad_input(script, tmp_path):
    code, doc, err = _run(script, "The IMEX daemon on node gb200-3 never gets ready, any idea "
                          "what to check?\n", tmp_path)
    assert code == 0, err
    assert doc["findings"][0]["cause"] == "not_evaluated"


def test_text_of_no_dra_component_is_still_bad_input(script, tmp_path):
    code, _, err = _run(script, "I1203 09:47:58.100000 1 server.go:12] listening on :8080\n",
                        tmp_path)
    assert code == 2 and "neither Kubernetes objects" in err
