"""Helpers for the eval harness's unit tests: scenario folders written on the fly, records."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

RESOURCES = Path(__file__).parent / "resources"

VALID = {
    "id": "demo", "title": "A demo scenario", "area": "kueue", "difficulty": "easy",
    "prompt": "Fix the job in {{ ns }} please.",
    "setup": {"manifests": ["setup.yaml"]},
    "fault": {"manifests": []},
    "checks": [{"type": "exists", "kind": "job", "name": "x", "namespace": "{{ ns }}"}],
}


@pytest.fixture
def write_scenario(tmp_path):
    """write_scenario(changes) -> path of scenarios/kueue/demo/scenario.yaml."""
    def write(changes=None, drop=(), raw: str | None = None, folder="demo", area="kueue"):
        data = copy.deepcopy(VALID)
        data.update(changes or {})
        for key in drop:
            data.pop(key, None)
        target = tmp_path / "scenarios" / area / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / "setup.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n"
                                           "metadata: {name: c, namespace: '{{ ns }}'}\n")
        path = target / "scenario.yaml"
        path.write_text(raw if raw is not None else yaml.safe_dump(data, sort_keys=False))
        return path
    return write


@pytest.fixture
def records_run(tmp_path) -> Path:
    """A run folder holding the recorded results in tests/evals/resources/run/."""
    run = tmp_path / "results" / "20260101-000000-demo"
    (run / "scenarios").mkdir(parents=True)
    for src in sorted((RESOURCES / "run").glob("*.json")):
        (run / "scenarios" / src.name).write_text(src.read_text())
    return run


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text())
