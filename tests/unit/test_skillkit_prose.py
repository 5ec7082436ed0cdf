"""k8s_skillkit.prose: a paste that is only a person's report (prose, markdown, a link).

The inputs are real pastes from public threads (held-out round 9, tests/resources/real-world/
dra/<case>/paste.txt, each case.yaml names its URL): what counts as a report line is read off
the paste (a sentence of words, a markdown heading or bullet with words, a link), never from
what the kit prints.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.prose import is_report, links, report_lines

CASES = ROOT / "tests" / "resources" / "real-world" / "dra"
DRA = re.compile(r"\bDRA\b|ResourceClaim", re.IGNORECASE)


def _lines(case: str) -> list[str]:
    return (CASES / case / "paste.txt").read_text().splitlines()


def test_bug_template_prose_is_a_report():
    # kubernetes-sigs/dra-driver-nvidia-gpu#1380: a markdown bug template, prose and one fenced
    # nvidia-smi error; the fenced error is code, the sentences around it are the report
    lines = _lines("nvidia-1380-fresh-node-cdi-missing-devnodes")
    said = report_lines(lines)
    assert "### Bug Description" in said
    assert not any(line.startswith("NVIDIA-SMI has failed") for line in said)  # fenced
    assert is_report(lines, DRA)


def test_a_lone_link_is_a_report_about_what_it_links():
    # kubernetes-sigs/dra-driver-nvidia-gpu#145: the body is only a link to kubernetes#126320
    lines = _lines("nvidia-145-link-only")
    assert links(report_lines(lines)) == ["https://github.com/kubernetes/kubernetes/issues/126320"]
    assert is_report(lines, DRA)  # no DRA word, but a thread link: the script says "not followed"


def test_prose_about_another_area_is_not_a_dra_report():
    lines = ["The ingress controller returns 404 for every host we configured today."]
    assert report_lines(lines) == lines
    assert not is_report(lines, DRA)
    assert is_report(lines)  # without a vocabulary any report counts


def test_noise_is_not_a_report():
    # (a paste fenced as a whole reads as the same paste unfenced, k8s_skillkit.fences: a
    # fence around words alone does not make them noise, a fence around fields is still noise)
    for lines in ([""], ["{}"], ["---", "a: 1"], ["```", "a: 1", "b.c: 2", "```"],
                  ["text before", "```", "x y z w", "```"]):
        assert not is_report(lines), lines


def test_yaml_fields_are_not_prose_but_a_logged_sentence_is():
    # lines of `kubectl get resourceclaim -o yaml` (resource.k8s.io/v1 field names): no three
    # prose words on a line, so YAML alone never reads as a report
    lines = ["apiVersion: resource.k8s.io/v1", "kind: ResourceClaim", "spec:", "  devices:",
             "    requests:", "    - name: gpu", "      exactly:",
             "        deviceClassName: gpu.nvidia.com"]
    assert report_lines(lines) == []
    # a klog line's quoted message is a sentence (kubernetes-sigs/dra-driver-nvidia-gpu#46):
    # a paste of such success lines is answered "cannot tell", not refused
    klog = ('I0103 07:33:20.291222       1 nonblockinggrpcserver.go:107] "dra: GRPC server '
            'started"')
    assert report_lines([klog]) == [klog]
