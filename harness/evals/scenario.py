"""Scenario folders: `scenarios/<area>/<id>/scenario.yaml` + manifests + `solution/`.

Loading validates against the JSON Schema shipped in the package and then against the
check registry, so a bad file is reported as `<file>: <field>: <problem>` before anything
touches a cluster. Strings and manifest files are Jinja2 templates rendered per run.
"""
from __future__ import annotations
from collections.abc import Callable, Iterable
from typing import Any

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import jsonschema
import yaml

from harness import yamlio
from harness.evals.errors import ScenarioError

SCHEMA_FILE = Path(__file__).parent / "data" / "scenario.schema.json"
SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT_BUDGETS = {"turns": 40, "tokens": 600_000, "wall_time": 600}
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the raw dict is the truth, properties read it."""

    path: Path
    data: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        return str(self.data["id"])  # the schema requires a string: these never convert

    @property
    def area(self) -> str:
        return str(self.data["area"])

    @property
    def difficulty(self) -> str:
        return str(self.data["difficulty"])

    @property
    def tags(self) -> list[str]:
        return list(self.data.get("tags", []))

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def dir(self) -> Path:
        return self.path.parent

    @property
    def budgets(self) -> dict[str, Any]:
        return {**DEFAULT_BUDGETS, **self.data.get("budgets", {})}

    @property
    def namespaces(self) -> list[dict[str, Any]]:
        """[{"name": logical, "labels": {...}}], the first is `ns` in templates."""
        items = self.data.get("namespaces") or ["main"]
        return [{"name": i, "labels": {}} if isinstance(i, str) else
                {"name": i["name"], "labels": dict(i.get("labels", {}))} for i in items]

    @property
    def solution_dir(self) -> Path:
        return self.dir / "solution"

    @property
    def prompts(self) -> list[str]:
        """The user's messages: one, or a conversation (each sent after the last answer)."""
        prompt = self.data["prompt"]
        return [prompt] if isinstance(prompt, str) else list(prompt)

    @property
    def access(self) -> dict[str, Any]:
        return dict(self.data.get("access", {}))

    @property
    def expected_skills(self) -> list[str]:
        return list(self.data.get("expected_skills", []))

    @property
    def forbidden_skills(self) -> list[str]:
        return list(self.data.get("forbidden_skills", []))

    @property
    def unsupported(self) -> str | None:
        return self.data.get("unsupported")

    @property
    def source(self) -> dict[str, Any] | None:
        """Where an imported scenario came from (`k8s-skills import`)."""
        return self.data.get("source")

    @property
    def has_dodge(self) -> bool:
        """Whether `--validate` runs a dodge control: every native scenario has dodge/; an
        imported one only if someone wrote it (its benchmark has no such thing)."""
        return (self.dir / "dodge").is_dir() or not self.source

    @property
    def judged(self) -> bool:
        """A judge grades the answer: asked for, or a diagnosis-only scenario (no checks)."""
        return "judge" in self.data or (not self.data["checks"]
                                        and (self.solution_dir / "answer.md").is_file())

    def reference_answer(self, context: dict[str, Any]) -> str:
        path = self.solution_dir / "answer.md"
        return render_text(path.read_text(encoding="utf-8"), context, path) \
            if path.is_file() else ""

    def scripts(self, stage: str) -> list[dict[str, Any]]:
        """[{path, timeout}] of a stage (setup, fault or cleanup), paths beside scenario.yaml."""
        items = (self.data.get(stage) or {}).get("scripts", [])
        return [{"path": str(self.dir / (i if isinstance(i, str) else i["path"])),
                 "timeout": 300 if isinstance(i, str) else i.get("timeout", 300)}
                for i in items]

    @property
    def scripted_file(self) -> Path:
        """Scripted turns the fake Anthropic API plays for this scenario (tests, demos)."""
        return self.dir / "scripted.yaml"

    def matches(self, pattern: str | None) -> bool:
        """-k: every word must match the id, area, difficulty or a tag (substring)."""
        if not pattern:
            return True
        hay = " ".join([self.id, self.area, self.difficulty, *self.tags]).lower()
        return all(word in hay for word in pattern.lower().split())

    def render(self, value: Any, context: dict[str, Any]) -> Any:
        """Render every string in `value` with Jinja2 (StrictUndefined): YAML values of the
        scenario in, the same shape out."""
        return render(value, context, self.path)

    def manifests(self, stage: str, context: dict[str, Any]) -> list[dict[str, Any]]:
        """The rendered objects of `setup` or `fault`, in file order."""
        objects: list[dict[str, Any]] = []
        for rel in self.data.get(stage, {}).get("manifests", []):
            file = self.dir / rel
            text = render_text(file.read_text(encoding="utf-8"), context, file)
            try:
                docs = yamlio.load_all(text)
            except yaml.YAMLError as err:
                raise ScenarioError(file, "(rendered)", f"not valid YAML: {err}") from err
            for doc in docs:
                objects.extend(doc.get("items", []) if doc.get("kind") == "List" else [doc])
        return objects


def render_text(text: str, context: dict[str, Any], path: str | Path) -> str:
    try:
        return _ENV.from_string(text).render(**context)
    except jinja2.TemplateError as err:
        raise ScenarioError(path, "(template)", str(err)) from err


def render(value: Any, context: dict[str, Any], path: str | Path) -> Any:
    if isinstance(value, str):
        return render_text(value, context, path) if ("{{" in value or "{%" in value) else value
    if isinstance(value, list):
        return [render(v, context, path) for v in value]
    if isinstance(value, dict):
        return {k: render(v, context, path) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def load(path: Path) -> Scenario:
    """Load and validate one scenario.yaml (or its folder); ScenarioError names what is wrong."""
    path = Path(path)
    if path.is_dir():
        path = path / "scenario.yaml"
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ScenarioError(path, "", f"cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise ScenarioError(path, "", f"not UTF-8 text: {err.reason}") from err
    except RecursionError as err:
        raise ScenarioError(path, "", "nested too deeply to read") from err
    except yaml.YAMLError as err:
        raise ScenarioError(path, "", f"not valid YAML: {' '.join(str(err).split())}") from err
    if not isinstance(data, dict):
        raise ScenarioError(path, "", "must be a mapping of fields")
    validate(data, path)
    return Scenario(path.resolve(), data)


def validate(data: dict[str, Any], path: Path) -> None:
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(data),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = _most_specific(errors[0])
        raise ScenarioError(path, field_path(err.absolute_path), _problem(err))
    from harness.evals import checks  # the registry knows each check type's fields
    for key in ("checks",):
        for i, spec in enumerate(data.get(key, [])):
            _check_spec(checks.spec_problem, spec, f"{key}[{i}]", path)
    for stage in ("setup", "fault"):
        for i, spec in enumerate(data[stage].get("wait", [])):
            _check_spec(checks.spec_problem, spec, f"{stage}.wait[{i}]", path)
    for i, spec in enumerate(data.get("safeguards", {}).get("checks", [])):
        _check_spec(checks.spec_problem, spec, f"safeguards.checks[{i}]", path)
    _check_layout(data, path)


def _check_spec(spec_problem: Callable[[dict[str, Any]], tuple[str, str] | None],
                spec: dict[str, Any], where: str, path: Path) -> None:
    problem = spec_problem(spec)
    if problem:
        field_name, message = problem
        raise ScenarioError(path, f"{where}.{field_name}" if field_name else where, message)


def _check_layout(data: dict[str, Any], path: Path) -> None:
    folder = path.parent
    if folder.name != data["id"]:
        raise ScenarioError(path, "id", f"{data['id']!r} must equal the folder name "
                                        f"{folder.name!r}")
    if folder.parent.name != data["area"] and folder.parent.name != "scenarios":
        raise ScenarioError(path, "area", f"{data['area']!r} must equal the parent folder "
                                          f"name {folder.parent.name!r}")
    for stage in ("setup", "fault"):
        for i, rel in enumerate(data[stage].get("manifests", [])):
            if not (folder / rel).is_file():
                raise ScenarioError(path, f"{stage}.manifests[{i}]",
                                    f"file {rel} not found beside scenario.yaml")
    for stage in ("setup", "fault", "cleanup"):
        for i, item in enumerate((data.get(stage) or {}).get("scripts", [])):
            rel = item if isinstance(item, str) else item["path"]
            if not (folder / rel).is_file():
                raise ScenarioError(path, f"{stage}.scripts[{i}]",
                                    f"file {rel} not found beside scenario.yaml")
    if not data["checks"] and not (data.get("expect") or data.get("judge")
                                   or (folder / "solution" / "answer.md").is_file()):
        raise ScenarioError(path, "checks", "is empty, and nothing grades the answer instead "
                                            "(add checks, or expect points or a judge rubric "
                                            "with solution/answer.md)")


def _most_specific(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf failures, the sub-error that went deepest says the real problem."""
    while err.context:
        err = max(err.context, key=lambda e: len(e.absolute_path))
    return err


def _problem(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        return f"unknown field ({err.message.split('(')[-1].rstrip(')')})"
    if err.validator == "required":
        return err.message.replace("is a required property", "is required")
    return err.message if len(err.message) < 300 else err.message[:300] + "..."


def field_path(parts: Iterable[str | int]) -> str:
    """["checks", 2, "type"] -> "checks[2].type"."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def discover(root: Path | None = None, pattern: str | None = None) -> list[Scenario]:
    """Every scenario under `root` (default: the repo's scenarios/), sorted by area and id."""
    root = Path(root or SCENARIOS_DIR)
    files = sorted(root.glob("*/*/scenario.yaml")) + sorted(root.glob("*/scenario.yaml"))
    if (root / "scenario.yaml").is_file():
        files = [root / "scenario.yaml"]
    found = [load(f) for f in files]
    return [s for s in found if s.matches(pattern)]
