"""`skills upload` against a local HTTP server standing in for the Skills API.

The server records every request, so the tests assert what really went over the wire:
the beta header, the multipart `files` field with `<name>/...` paths, and which endpoint
(create vs versions.create) was used.
"""
from __future__ import annotations

import json
import re

import pytest
from werkzeug import Response

from harness import cli
from harness.skillpack.upload import SKILLS_BETA
from skillpack_helpers import write_tiny_skill

NOW = "2026-01-01T00:00:00Z"


class FakeSkillsAPI:
    """Just enough of the Skills API: list, create, versions.create."""

    def __init__(self, httpserver):
        self.skills: dict[str, dict] = {}
        self.counter = 0
        self.recorded: list[dict] = []
        httpserver.expect_request("/v1/skills", method="GET").respond_with_handler(self.list)
        httpserver.expect_request("/v1/skills", method="POST").respond_with_handler(self.create)
        httpserver.expect_request(
            re.compile(r"^/v1/skills/[^/]+/versions$"),
            method="POST").respond_with_handler(self.version)
        self.server = httpserver

    def _next(self, prefix):
        self.counter += 1
        return f"{prefix}_{self.counter:04d}"

    def _skill(self, skill_id, title, version_id):
        return {"id": skill_id, "type": "skill", "display_name": title, "source": "custom",
                "latest_version_id": version_id, "created_at": NOW, "updated_at": NOW}

    def _record(self, request):
        """Keep what a POST carried: werkzeug closes the uploaded files after the request."""
        files = request.files.getlist("files") or request.files.getlist("files[]")
        self.recorded.append({
            "path": request.path, "headers": dict(request.headers),
            "mimetype": request.mimetype, "form": request.form.to_dict(),
            "files": {f.filename: f.read() for f in files}})

    def list(self, request):
        return Response(json.dumps({"data": list(self.skills.values()), "has_more": False,
                                    "next_page": None}), content_type="application/json")

    def create(self, request):
        self._record(request)
        skill_id, version_id = self._next("skill"), self._next("skillver")
        skill = self._skill(skill_id, request.form["display_name"], version_id)
        self.skills[skill_id] = skill
        return Response(json.dumps(skill), content_type="application/json")

    def version(self, request):
        self._record(request)
        skill_id = request.path.split("/")[3]
        version_id = self._next("skillver")
        self.skills[skill_id]["latest_version_id"] = version_id
        body = {"id": version_id, "type": "skill_version", "skill_id": skill_id,
                "name": "tiny-demo", "description": "d", "created_at": NOW}
        return Response(json.dumps(body), content_type="application/json")

    def posts(self):
        return self.recorded


@pytest.fixture
def api(httpserver, monkeypatch, tmp_path):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    return FakeSkillsAPI(httpserver)


def _upload(skills_dir, *names):
    return cli.main(["skills", "upload", "--skills-dir", str(skills_dir), *names])


def test_new_skill_is_created_with_multipart_files_under_its_folder(api, tiny_skills, capsys):
    assert _upload(tiny_skills) == 0
    [post] = api.posts()
    assert post["path"] == "/v1/skills"
    assert SKILLS_BETA in post["headers"]["Anthropic-Beta"].split(",")
    auth = post["headers"].get("X-Api-Key") or post["headers"].get("Authorization", "")
    assert auth.endswith("test-key")
    assert post["mimetype"] == "multipart/form-data"
    assert post["form"]["display_name"] == "tiny-demo"
    paths = sorted(post["files"])
    assert "tiny-demo/SKILL.md" in paths
    assert "tiny-demo/scripts/count_objects.py" in paths
    assert "tiny-demo/scripts/k8s_skillkit/cli.py" in paths
    assert all(p.startswith("tiny-demo/") for p in paths)
    assert post["files"]["tiny-demo/SKILL.md"].startswith(b"---\nname: tiny-demo")
    assert "tiny-demo: created" in capsys.readouterr().out


def test_every_request_carries_the_skills_beta_header(api, tiny_skills):
    _upload(tiny_skills)
    for request, _ in api.server.log:
        assert SKILLS_BETA in request.headers.get("anthropic-beta", ""), request.path


def test_second_upload_of_same_content_sends_nothing(api, tiny_skills, tmp_path, capsys):
    assert _upload(tiny_skills) == 0
    assert _upload(tiny_skills) == 0
    assert len(api.posts()) == 1
    assert "tiny-demo: unchanged" in capsys.readouterr().out
    record = json.loads((tmp_path / "state" / "k8s-skills" / "skill-uploads.json").read_text())
    [(base_url, skills)] = record.items()
    assert base_url.startswith("http://localhost") or base_url.startswith("http://127.0.0.1")
    assert skills["tiny-demo"]["skill_id"] == next(iter(api.skills))
    assert len(skills["tiny-demo"]["sha256"]) == 64


def test_changed_content_uploads_a_new_version_of_the_existing_skill(api, tiny_skills):
    _upload(tiny_skills)
    (tiny_skills / "tiny-demo" / "references" / "causes.md").write_text("# new cause\n")
    assert _upload(tiny_skills) == 0
    first, second = api.posts()
    skill_id = next(iter(api.skills))
    assert second["path"] == f"/v1/skills/{skill_id}/versions"
    assert second["files"]["tiny-demo/references/causes.md"] == b"# new cause\n"
    assert SKILLS_BETA in second["headers"]["Anthropic-Beta"]


def test_skill_made_elsewhere_with_same_title_gets_a_version_not_a_duplicate(api,
                                                                               tiny_skills):
    api.skills["skill_9999"] = api._skill("skill_9999", "tiny-demo", "skillver_9999")
    assert _upload(tiny_skills) == 0
    [post] = api.posts()
    assert post["path"] == "/v1/skills/skill_9999/versions"


def test_version_pushed_from_elsewhere_is_overwritten_even_if_content_matches(api,
                                                                               tiny_skills):
    _upload(tiny_skills)
    skill = next(iter(api.skills.values()))
    skill["latest_version_id"] = "skillver_from_someone_else"
    _upload(tiny_skills)
    assert [p["path"] for p in api.posts()][-1].endswith("/versions")


def test_only_named_skills_are_uploaded(api, tiny_skills):
    write_tiny_skill(tiny_skills, "second-demo")
    assert _upload(tiny_skills, "second-demo") == 0
    assert [p["form"]["display_name"] for p in api.posts()] == ["second-demo"]


def test_api_error_is_one_line_and_exit_2(httpserver, monkeypatch, tmp_path, tiny_skills,
                                          capsys):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "bad-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    httpserver.expect_request("/v1/skills").respond_with_json(
        {"type": "error", "error": {"type": "authentication_error",
                                    "message": "invalid x-api-key"}}, status=401)
    assert _upload(tiny_skills) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Skills API answered 401") and err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_api_key_says_so_and_exits_2(monkeypatch, tiny_skills, capsys):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert _upload(tiny_skills) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ANTHROPIC_API_KEY is not set: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("text", ["[]", '"x"', "not json"])
def test_a_record_that_is_no_mapping_costs_one_upload(tmp_path, text):
    # the record is ours (skill-uploads.json); a hand-edited or truncated one must not crash
    from harness.skillpack.upload import load_record
    path = tmp_path / "skill-uploads.json"
    path.write_text(text)
    assert load_record(path) == {}
