"""`k8s-skills skills upload`: publish each bundle through the Skills API.

A skill is found by its display name (= the skill name) among the workspace's custom
skills: a new one is created with `client.beta.skills.create`, an existing one gets a new
version with `client.beta.skills.versions.create`. Files go up as `<name>/<path>` so the
API sees one top-level folder holding SKILL.md.

Idempotence: the API keeps no free-form metadata on a skill version, so the content hash
of what we last uploaded is kept in a local record (`$XDG_STATE_HOME/k8s-skills/
skill-uploads.json`, default `~/.local/state/...`), keyed by API base URL and skill name,
together with the skill id and version id it produced. An upload is skipped only when the
hash is unchanged AND the API still reports that very version as the skill's latest, so a
version pushed from elsewhere, or a deleted skill, triggers a fresh upload.
"""
from __future__ import annotations
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import json
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UserError
from harness.skillpack.build import Bundle, build, bundle_files

if TYPE_CHECKING:  # the SDK is imported when an upload runs (it is slow to import)
    from anthropic import Anthropic
    from anthropic.types.beta import BetaSkill

T = TypeVar("T")

SKILLS_BETA = "skills-2025-10-02"
DEFAULT_BASE_URL_LABEL = "default"


@dataclass(frozen=True)
class Outcome:
    """What happened to one skill: created | versioned | unchanged."""

    name: str
    action: str
    skill_id: str
    version_id: str


def require_api_key() -> str:
    key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if not key:
        raise UserError("ANTHROPIC_API_KEY is not set: export your API key to upload skills "
                        "(or use `k8s-skills skills install --target claude-code`)")
    return key


def record_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "k8s-skills" / "skill-uploads.json"


def load_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # a corrupt record only costs one redundant upload
    return record if isinstance(record, dict) else {}  # so does one that is no mapping


def save_record(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def upload_files(bundle: Bundle) -> list[tuple[str, bytes, str]]:
    """(`<name>/<relative path>`, bytes, mime type) for every file of the bundle."""
    files: list[tuple[str, bytes, str]] = []
    for path in bundle_files(bundle.path):
        rel = f"{bundle.name}/{path.relative_to(bundle.path).as_posix()}"
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        files.append((rel, path.read_bytes(), mime))
    return files


def make_client(api_key: str) -> Anthropic:
    """The SDK client; it honours ANTHROPIC_BASE_URL on its own."""
    import anthropic
    return anthropic.Anthropic(api_key=api_key)


def upload(skills_dir: Path | None = None, names: list[str] | None = None,
           client: Anthropic | None = None, record_file: Path | None = None) -> list[Outcome]:
    """Build, then create or version each skill whose content changed since the last upload."""
    api_key = require_api_key()
    client = client or make_client(api_key)
    record_file = record_file or record_path()
    record = load_record(record_file)
    scope = str(getattr(client, "base_url", "") or DEFAULT_BASE_URL_LABEL)
    with tempfile.TemporaryDirectory(prefix="k8s-skills-upload-") as tmp:
        bundles = build(Path(tmp), skills_dir, names)
        existing = _api(lambda: _existing_skills(client))
        outcomes = []
        for bundle in bundles:
            seen = record.setdefault(scope, {}).get(bundle.name)
            outcome = _upload_one(client, bundle, existing.get(bundle.name), seen)
            record[scope][bundle.name] = {"sha256": bundle.digest, "skill_id": outcome.skill_id,
                                          "version_id": outcome.version_id}
            save_record(record_file, record)
            outcomes.append(outcome)
    return outcomes


def _existing_skills(client: Anthropic) -> dict[str, BetaSkill]:
    """Custom skills by display name; the first listed wins when titles repeat."""
    found: dict[str, BetaSkill] = {}
    for skill in client.beta.skills.list(source="custom", betas=[SKILLS_BETA]):
        found.setdefault(skill.display_name, skill)
    return found


def _upload_one(client: Anthropic, bundle: Bundle, skill: BetaSkill | None,
                seen: dict[str, Any] | None) -> Outcome:
    if skill is not None and seen and seen.get("sha256") == bundle.digest \
            and seen.get("skill_id") == skill.id \
            and seen.get("version_id") == skill.latest_version_id:
        return Outcome(bundle.name, "unchanged", skill.id, skill.latest_version_id)
    files = upload_files(bundle)
    if skill is None:
        created = _api(lambda: client.beta.skills.create(
            display_name=bundle.name, files=files, betas=[SKILLS_BETA]))
        return Outcome(bundle.name, "created", created.id, created.latest_version_id)
    version = _api(lambda: client.beta.skills.versions.create(
        skill.id, files=files, betas=[SKILLS_BETA]))
    return Outcome(bundle.name, "versioned", skill.id, version.id)


def _api(call: Callable[[], T]) -> T:
    """Run one SDK call; API and connection failures become one-line UserErrors."""
    import anthropic
    try:
        return call()
    except anthropic.APIStatusError as err:
        message = " ".join(str(getattr(err, "message", err)).split())[:300]
        raise UserError(f"Skills API answered {err.status_code}: {message}") from err
    except anthropic.APIConnectionError as err:
        raise UserError(f"cannot reach the Skills API ({err}): check ANTHROPIC_BASE_URL "
                        "and your network") from err
