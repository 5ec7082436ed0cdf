"""The Claude Code plugin-eval suite in evals/: generated, from real threads, graders that can fail.

Expected answers come from the public threads' resolutions (each source entry's `answer` /
`reference`, with the thread's URL in the corpus case), and write-case references are checked
by validate_manifest.py, whose verdicts come from the pinned apiserver and CRD schemas. The
CLI's own loading of the suite is tested in test_claude_cli_plugin.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from harness.skillpack import plugin_eval
from harness.skillpack.skills import REPO_ROOT

SOURCES = yaml.safe_load(plugin_eval.SOURCES.read_text(encoding="utf-8"))
DIAGNOSE = SOURCES["diagnose"]
WRITE = SOURCES["write"]
VALIDATOR = REPO_ROOT / "skills/k8s-manifests/scripts/validate_manifest.py"
# Python-only regex syntax that JavaScript's RegExp (the CLI's graders) rejects or reads
# differently.
PYTHON_ONLY = re.compile(r"\(\?[aiLmsux]+\)|\(\?P[<=]|\\[AZz]|\(\?#|[*+?}]\+")
GENERIC = ("I looked at what you pasted. Check the events and describe the resources, read "
           "the container logs, restart the pod if it persists, and verify your configuration, "
           "permissions and network.")


@pytest.fixture(scope="module")
def suite():
    return plugin_eval.build()


def _cause(entry) -> str:
    spec, _ = plugin_eval.corpus_case(plugin_eval.CORPUS, entry["corpus"])
    return spec["expected"]["cause"]


def _paste(entry) -> str:
    _, paste = plugin_eval.corpus_case(plugin_eval.CORPUS, entry["corpus"])
    return paste.read_text(encoding="utf-8")


def test_evals_folder_is_what_the_export_writes(suite):
    assert not plugin_eval.stale(suite), \
        "evals/ is stale: run `k8s-skills export --format claude-plugin-eval`"


def test_at_least_forty_cases_need_no_cluster(suite):
    kinds = {c.kind for c in suite.cases}
    assert len(suite.cases) >= 40 and {"diagnose", "write"} <= kinds
    assert len({c.files["case.yaml"].split("name: ", 1)[1].split("\n")[0]
                for c in suite.cases}) == len(suite.cases), "case names are unique"


def _scaffolded(case_dir, tmp_path):
    """Run a case's scaffold as `claude plugin eval --scaffold` does: bash, in an empty
    workspace. Returns the workspace."""
    work = tmp_path / "workspace"
    work.mkdir()
    subprocess.run(["bash", str((case_dir / "scaffold.sh").resolve())], cwd=work, check=True,
                   timeout=60, capture_output=True)
    return work


@pytest.mark.parametrize("entry", DIAGNOSE + WRITE, ids=lambda e: e["corpus"])
def test_the_scaffold_places_the_corpus_paste_from_a_public_thread(entry, tmp_path):
    spec, paste = plugin_eval.corpus_case(plugin_eval.CORPUS, entry["corpus"])
    assert spec["source"].startswith("https://"), entry["corpus"]
    kind = "diagnose" if entry in DIAGNOSE else "write"
    case_dir = plugin_eval.EVALS_DIR / kind / entry["corpus"].split("/")[1]
    work = _scaffolded(case_dir, tmp_path)
    assert [p.name for p in work.iterdir()] == [entry["file"]]
    assert (work / entry["file"]).read_bytes() == paste.read_bytes()
    assert entry["file"] in entry["prompt"], "the prompt names the file the user pasted"


def _patterns(entry) -> list[str]:
    found = [entry.get("cause"), entry.get("fix")]
    found += list((entry.get("must") or {}).values()) + list((entry.get("must_not") or {}).values())
    return [p for p in found if p]


@pytest.mark.parametrize("entry", DIAGNOSE + WRITE, ids=lambda e: e["corpus"])
def test_patterns_are_portable_regexes(entry):
    for pattern in _patterns(entry):
        re.compile(pattern, re.IGNORECASE)
        assert not PYTHON_ONLY.search(pattern), f"not JavaScript RegExp syntax: {pattern}"


@pytest.mark.parametrize("entry", DIAGNOSE, ids=lambda e: e["corpus"])
def test_diagnose_graders_accept_the_threads_answer(entry):
    for text in (entry["answer"], entry["rubric"]):
        assert re.search(entry["cause"], text, re.I), f"cause regex misses: {text}"
        assert re.search(entry["fix"], text, re.I), f"fix regex misses: {text}"


@pytest.mark.parametrize("entry", DIAGNOSE, ids=lambda e: e["corpus"])
def test_diagnose_graders_reject_parroting_generic_and_other_causes(entry):
    """Quoting the paste back, generic advice, or another thread's answer (a different
    cause) must not pass both the cause and the fix regex."""
    def passes(text):
        return bool(re.search(entry["cause"], text, re.I) and re.search(entry["fix"], text, re.I))
    assert not re.search(entry["fix"], _paste(entry), re.I), "the paste alone holds the fix"
    assert not passes(GENERIC)
    wrong = [o["corpus"] for o in DIAGNOSE if _cause(o) != _cause(entry) and passes(o["answer"])]
    assert not wrong, f"answers to other causes pass: {wrong}"


def _file_graders_pass(entry, text: str) -> list[str]:
    """Names of the graders that FAIL on `text` (multi-line, as the CLI reads a file)."""
    failed = [n for n, p in (entry.get("must") or {}).items() if not re.search(p, text, re.I | re.M)]
    failed += [n for n, p in (entry.get("must_not") or {}).items() if re.search(p, text, re.I | re.M)]
    return failed


@pytest.mark.parametrize("entry", WRITE, ids=lambda e: e["corpus"])
def test_write_graders_accept_the_threads_fix_and_reject_the_paste(entry):
    assert not _file_graders_pass(entry, entry["reference"])
    assert _file_graders_pass(entry, _paste(entry)), "copying the paste must not pass"


# The apiserver converts a v1beta1 request's inline deviceClassName into `exactly` before
# validating (k8s v1.37.2 pkg/apis/resource/v1beta1/conversion.go,
# Convert_v1beta1_DeviceRequest_To_resource_DeviceRequest); validate_manifest.py does not yet
# (reported to helper `validator`, /work/notes/plugin-for-validator.md).
@pytest.mark.parametrize("entry", WRITE, ids=lambda e: e["corpus"])
def test_write_reference_passes_the_validator(entry, tmp_path):
    """The command check the CLI cannot run after an agent (no command grader in 2.1.332):
    the thread's fix, which every grader accepts, is a manifest the apiserver would admit."""
    path = tmp_path / entry["output"]
    path.write_text(entry["reference"], encoding="utf-8")
    proc = subprocess.run([sys.executable, str(VALIDATOR), "-f", str(path), "--json"],
                          capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    errors = [f["message"] for f in report["findings"] if f["severity"] == "error"]
    assert report["schema"]["validated"] and not errors, errors


def test_scenarios_that_need_a_cluster_are_listed_with_the_reason(suite):
    from harness.evals import scenario as scenarios
    listed = {s.source for s in suite.skipped}
    exported = {c.id for c in suite.cases if c.kind == "scenario"}
    for item in scenarios.discover():
        assert item.id in exported or f"scenarios/{item.area}/{item.id}" in listed, item.id


def test_a_do_no_harm_scenario_is_not_said_to_need_a_fix():
    """Its checks (`stable`) ask that the cluster stays as it was, not that a fault is gone."""
    from harness.evals import scenario as scenarios
    from harness.skillpack.plugin_eval_scenarios import cluster_need
    reasons = {item.id: cluster_need(item) for item in scenarios.discover()}
    assert "what must stay as it was): stable" in reasons["scale-down-gpu"]
    assert "(the fault must be fixed): pod_phase, workload_admitted" in reasons["gang-too-big"]


def test_a_diagnosis_scenario_with_pasted_state_is_exported(tmp_path):
    """A read-only scenario whose expect points grade the answer and whose state/ holds the
    paste becomes a case; the same scenario without state/ is listed instead."""
    from harness.skillpack import plugin_eval_scenarios
    folder = tmp_path / "kueue" / "held-quota"
    (folder / "state").mkdir(parents=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump({
        "schema_version": 1, "id": "held-quota", "title": "Who holds the quota", "area": "kueue",
        "difficulty": "easy", "namespaces": ["platform"],
        "prompt": "Why does job train wait in {{ ns }}? Change nothing.",
        "setup": {"manifests": []}, "fault": {"manifests": []},
        "checks": [{"type": "workload_pending", "namespace": "{{ ns }}", "owner": "train",
                    "timeout": 0}],
        "expect": ["batch-infer", {"any_of": ["quota", "nominal"]}],
        "safeguards": {"max_rbac_role": "view"}}), encoding="utf-8")
    cases, skipped = plugin_eval_scenarios.cases(tmp_path)
    assert not cases and "no pasted state" in skipped[0].reason
    (folder / "state" / "context.yaml").write_text(yaml.safe_dump(
        {"namespaces": {"platform": "platform-abc123"}, "prefix": "ev-abc123"}))
    (folder / "state" / "describe-workload.txt").write_text("Status: Pending\n")
    out = tmp_path / "evals"
    (case,), _ = plugin_eval_scenarios.cases(tmp_path, out)
    assert "platform-abc123" in case.files["prompt.md"]
    assert "describe-workload.txt" in case.files["prompt.md"]
    plugin_eval.write(plugin_eval.Suite([case], []), out)
    work = _scaffolded(out / "scenario" / "held-quota", tmp_path)
    assert (work / "describe-workload.txt").read_text() == "Status: Pending\n"
    assert not (work / "context.yaml").exists()
    grader = yaml.safe_load(case.files["graders/expect-2.md"].split("---")[1])
    assert re.search(grader["pattern"], "the NOMINAL quota is used", re.I)


def test_export_command_writes_and_checks(tmp_path):
    from harness.cli import main
    assert main(["export", "--format", "claude-plugin-eval", "--out", str(tmp_path)]) == 0
    assert main(["export", "--format", "claude-plugin-eval", "--out", str(tmp_path),
                 "--check"]) == 0
    (tmp_path / "diagnose" / "stray.md").write_text("left behind")
    assert main(["export", "--format", "claude-plugin-eval", "--out", str(tmp_path),
                 "--check"]) == 1


def test_export_plugin_eval_takes_no_run(tmp_path, capsys):
    """It exports the sources; a RUN beside it is a mistake, said in one line (exit 2)."""
    from harness.cli import main
    assert main(["export", "--format", "claude-plugin-eval", str(tmp_path)]) == 2
    assert "exports the sources, not a run" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_pick_skill_cases_from_the_trigger_suite(monkeypatch):
    """Per skill the first sourced paraphrases and near-misses, plus prompts that should load
    nothing; graders: the expected skill fires, no skill outside expect/accept does."""
    import types
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Prompt:
        id: str
        prompt: str
        expect: tuple = ()
        accept: tuple = ()
        kind: str = "direct"
        source: str | None = None
    items = [Prompt("k1", "why pending", ("k8s-kueue",), kind="direct"),
             Prompt("k2", "quota eaten", ("k8s-kueue",), kind="paraphrase", source="https://x/1"),
             Prompt("k3", "unsourced", ("k8s-kueue",), kind="paraphrase"),
             Prompt("k4", "cohort", ("k8s-kueue",), ("k8s-manifests",), "paraphrase", "https://x/2"),
             Prompt("k5", "third", ("k8s-kueue",), kind="paraphrase", source="https://x/3"),
             Prompt("n1", "weather?", kind="none"), Prompt("n2", "a poem", kind="none"),
             Prompt("n3", "third none", kind="none")]
    import harness.evals
    stub = types.SimpleNamespace(load=lambda: items)
    monkeypatch.setitem(sys.modules, "harness.evals.triggers", stub)
    monkeypatch.setattr(harness.evals, "triggers", stub, raising=False)
    cases = plugin_eval.pick_skill_cases()
    assert [c.id for c in cases] == ["k2", "k4", "n1", "n2"]
    k4 = next(c for c in cases if c.id == "k4")
    loads = yaml.safe_load(k4.files["graders/loads-k8s-kueue.md"].split("---")[1])
    others = yaml.safe_load(k4.files["graders/no-other-skill.md"].split("---")[1])
    assert re.search(loads["input_match"], '{"skill":"kubernetes-skills:k8s-kueue"}')
    assert not re.search(others["input_match"], '{"skill":"k8s-manifests"}'), "accepted"
    assert re.search(others["input_match"], '{"skill":"k8s-dra"}') and others["max"] == 0
    n1 = next(c for c in cases if c.id == "n1")
    assert "loads-" not in " ".join(n1.files) and "graders/no-other-skill.md" in n1.files
