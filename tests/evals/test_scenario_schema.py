"""Scenario files are validated on load; a bad one names the file, the field and the problem."""
from __future__ import annotations

import pytest

from harness.evals import scenario
from harness.evals.errors import ScenarioError


def _error(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario.load(path)
    return info.value


def test_valid_scenario_loads_with_defaults(write_scenario):
    s = scenario.load(write_scenario())
    assert (s.id, s.area, s.difficulty) == ("demo", "kueue", "easy")
    assert s.namespaces == [{"name": "main", "labels": {}}]
    assert s.budgets["turns"] > 0 and s.budgets["wall_time"] > 0


def test_missing_required_field_is_named(write_scenario):
    err = _error(write_scenario(drop=("prompt",)))
    assert err.path.endswith("scenario.yaml")
    assert "'prompt' is required" in err.problem


def test_wrong_enum_value_names_field_and_allowed_values(write_scenario):
    err = _error(write_scenario({"difficulty": "extreme"}))
    assert err.field == "difficulty"
    assert "'extreme' is not one of ['easy', 'medium', 'hard']" in err.problem


def test_unknown_top_level_field(write_scenario):
    err = _error(write_scenario({"checkz": []}))
    assert "unknown field" in err.problem and "checkz" in err.problem


def test_nested_field_path_in_message(write_scenario):
    err = _error(write_scenario({"budgets": {"turns": "many"}}))
    assert err.field == "budgets.turns"
    assert str(err).startswith(f"{err.path}: budgets.turns: ")


def test_unknown_check_type_lists_the_registry(write_scenario):
    err = _error(write_scenario({"checks": [{"type": "pod_is_happy"}]}))
    assert err.field == "checks[0].type"
    assert "unknown check type 'pod_is_happy'" in err.problem
    assert "workload_admitted" in err.problem and "pod_phase" in err.problem


def test_check_missing_its_own_required_field(write_scenario):
    err = _error(write_scenario({"checks": [{"type": "condition", "kind": "job", "name": "x"}]}))
    assert err.field == "checks[0].condition"
    assert "required for check type 'condition'" in err.problem


def test_check_with_field_of_another_type(write_scenario):
    spec = {"type": "exists", "kind": "job", "name": "x", "phase": "Running"}
    err = _error(write_scenario({"safeguards": {"checks": [spec]}}))
    assert err.field == "safeguards.checks[0].phase"


def test_wait_checks_are_validated_too(write_scenario):
    err = _error(write_scenario({"fault": {"wait": [{"type": "field", "kind": "job",
                                                     "name": "x", "path": "a..b"}]}}))
    assert err.field == "fault.wait[0].path"


def test_id_must_match_folder(write_scenario):
    err = _error(write_scenario(folder="other"))
    assert err.field == "id" and "folder name 'other'" in err.problem


def test_missing_manifest_file(write_scenario):
    err = _error(write_scenario({"setup": {"manifests": ["nope.yaml"]}}))
    assert err.field == "setup.manifests[0]" and "nope.yaml not found" in err.problem


def test_broken_yaml_names_the_file(write_scenario):
    err = _error(write_scenario(raw="id: [unclosed\n"))
    assert "not valid YAML" in err.problem


def test_cli_reports_bad_scenario_as_one_line_and_exit_2(write_scenario, capsys):
    from harness.cli import main
    path = write_scenario({"difficulty": "extreme"})
    code = main(["eval", "--list", "--scenarios", str(path.parents[2])])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "scenario.yaml: difficulty: " in err
    assert "Traceback" not in err


def test_templates_render_with_run_variables(write_scenario):
    s = scenario.load(write_scenario())
    context = {"ns": "main-abc123", "prefix": "ev-abc123", "namespaces": {}, "run_label": "",
               "scenario": "demo"}
    assert s.render(s.data["prompt"], context) == "Fix the job in main-abc123 please."
    assert s.manifests("setup", context)[0]["metadata"]["namespace"] == "main-abc123"
    with pytest.raises(ScenarioError) as info:
        s.render("{{ nope }}", context)
    assert "'nope' is undefined" in str(info.value)


def test_every_repo_scenario_is_valid_and_has_a_reference_fix():
    found = scenario.discover()
    assert len(found) >= 12
    areas = {s.area for s in found}
    assert {"kueue", "dra", "manifests", "troubleshooting"} <= areas
    for s in found:
        assert s.solution_dir.is_dir(), f"{s.id}: no solution/"
        files = {p.suffix for p in s.solution_dir.iterdir()}
        # a fix, or for a read-only question the reference answer its `expect` points need
        assert files & {".sh", ".yaml"} or (s.data.get("expect") and ".md" in files), s.id


SKILLS = {"k8s-kueue", "k8s-dra", "k8s-gateway-gaie", "k8s-rbac", "k8s-manifests",
          "k8s-troubleshooting"}


def _fix_files(folder) -> set[str]:
    return {p.suffix for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()


@pytest.mark.parametrize("s", scenario.discover(), ids=lambda s: s.id)
def test_every_scenario_has_all_three_controls(s):
    """`eval --validate` runs none (the fault stays), reference (solution/) and dodge
    (dodge/: removes only the symptom's trigger): a scenario without a dodge cannot show
    that its checks tell a fix from a dodge."""
    dodge = s.dir / "dodge"
    assert _fix_files(dodge) & {".sh", ".yaml"}, f"{s.id}: no dodge/ fix (*.sh or *.yaml)"
    solution = {p.name: p.read_text() for p in s.solution_dir.iterdir() if p.is_file()}
    for p in dodge.iterdir():
        if p.suffix in (".sh", ".yaml"):
            assert p.read_text() not in solution.values(), f"{s.id}: dodge/{p.name} is the fix"
    assert s.data.get("checks"), f"{s.id}: no checks"


@pytest.mark.parametrize("s", scenario.discover(), ids=lambda s: s.id)
def test_every_scenario_names_its_skills_and_tier(s):
    assert set(s.tags) & SKILLS, f"{s.id}: tags name no skill ({sorted(SKILLS)})"
    assert s.difficulty in ("easy", "medium", "hard")


def test_filter_matches_every_word():
    found = scenario.discover(pattern="kueue easy")
    assert found and all(s.area == "kueue" and s.difficulty == "easy" for s in found)
