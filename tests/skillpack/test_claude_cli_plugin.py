"""The real Claude Code CLI (2.1.332, bundled with claude-agent-sdk) installs and loads the plugin.

No cluster and no network: the CLI runs in a throwaway home folder, model traffic (none is
expected) would go to a closed local port, and the git install is served from loopback.
The expectations are the CLI's own verdicts: `plugin list` reports load errors per plugin
(`errors`), `plugin details` prints the component inventory the loader built and its token
projection, `plugin validate` prints warnings and exits 1 under --strict when it has any.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent.specialists import plugin_files
from harness.skillpack.claude_cli import ClaudeCLI
from harness.skillpack.marketplace import NAME
from harness.skillpack.skills import REPO_ROOT, discover

from git_http import GitHTTPServer

pytestmark = pytest.mark.claude_cli
PLUGIN_ID = f"{NAME}@{NAME}"
SKILLS = sorted(s.name for s in discover())
HOOK_EVENTS = sorted(json.loads(
    (REPO_ROOT / "skills/k8s-rbac/hooks/hooks.json").read_text(encoding="utf-8"))["hooks"])
# What the plugin consists of (everything else in the repo is not loaded), and the corpus
# the eval cases' scaffolds copy pastes from.
PLUGIN_PARTS = [".claude-plugin", ".mcp.json", "skills", "agents", "evals", "README.md",
                "tests/resources/real-world"]


def _plugin_entry(cli: ClaudeCLI) -> dict:
    listing = json.loads(cli.run("plugin", "list", "--json").stdout)
    return next(p for p in listing if p["id"] == PLUGIN_ID)


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> ClaudeCLI:
    """The marketplace added from this checkout's folder, as the README tells users."""
    cli = ClaudeCLI(tmp_path_factory.mktemp("claude-home"))
    added = cli.run("plugin", "marketplace", "add", str(REPO_ROOT))
    assert f"Successfully added marketplace: {NAME}" in added.stdout
    installed = cli.run("plugin", "install", PLUGIN_ID)
    assert f"Successfully installed plugin: {PLUGIN_ID}" in installed.stdout
    return cli


def test_the_plugin_loads_without_errors(local):
    entry = _plugin_entry(local)
    assert entry["enabled"] and not entry.get("errors"), entry
    text = local.run("plugin", "list").stdout
    block = text.split(f"❯ {PLUGIN_ID}", 1)[1].split("❯", 1)[0]
    assert "Status: ✔ enabled" in block and "Error" not in block, block


def test_details_lists_six_skills_the_guard_hook_and_the_projected_cost(local):
    out = local.run("plugin", "details", NAME).stdout
    print(out)
    skills = re.search(r"Skills \((\d+)\)\s+(.+)", out)
    assert skills and int(skills[1]) == 6 == len(SKILLS)
    assert sorted(skills[2].split(", ")) == SKILLS
    hooks = re.search(r"Hooks \((\d+)\)\s+([A-Za-z, ]+)", out)
    assert hooks and sorted(h.strip() for h in hooks[2].split(",")) == HOOK_EVENTS
    always_on = re.search(r"Always-on:\s+~([\d,]+) tok", out)
    assert always_on, out
    # Issue 19's budget for the always-loaded metadata, counted by Claude Code itself.
    assert int(always_on[1].replace(",", "")) <= 1000, out
    rows = {m[1] for m in re.finditer(r"^\s+(k8s-[a-z-]+)\s+~[\d.,]+k?\s+~[\d.,]+k?$", out,
                                      re.MULTILINE)}
    agents = sorted(name[:-3] for name in plugin_files())
    assert rows == set(SKILLS) | set(agents), "every skill and agent has its two costs"
    listed = re.search(r"Agents \((\d+)\)\s+(.+)", out)
    assert listed and sorted(listed[2].split(", ")) == agents  # agents/ from agent.specialists


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> ClaudeCLI:
    return ClaudeCLI(tmp_path_factory.mktemp("claude-home-plain"))


@pytest.mark.parametrize("target", [".", ".claude-plugin/plugin.json"])
def test_validate_passes_with_no_warnings(plain, target):
    cli = plain
    report = json.loads(cli.run("plugin", "validate", target, "--json", cwd=REPO_ROOT).stdout)
    assert report["success"], report
    assert not report["manifest"]["errors"] and not report["manifest"]["warnings"], report
    for item in report.get("contents", []):
        assert not item.get("errors") and not item.get("warnings"), item


def test_validate_strict_with_the_plugin_directory_checks(plain):
    """--strict fails on any warning, --profile directory adds the catalogue's checks
    (README, icon, ...)."""
    proc = plain.run("plugin", "validate", ".", "--strict", "--profile", "directory",
                   cwd=REPO_ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✔ Validation passed" in proc.stdout and "warning" not in proc.stdout.lower()


def test_release_tag_sees_one_version(tmp_path):
    """`claude plugin tag` refuses when plugin.json and the marketplace entry disagree."""
    repo = _snapshot_repo(tmp_path / "repo")
    out = ClaudeCLI(tmp_path / "home").run("plugin", "tag", "--dry-run", str(repo)).stdout
    assert re.search(r"Version: (\S+) \(from plugin\.json\)", out)
    assert "would create tag" in out, out


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    *args], cwd=cwd, check=True, capture_output=True, timeout=120)


def _snapshot_repo(dest: Path) -> Path:
    """A git repository of the plugin's files as they are in this checkout now."""
    dest.mkdir(parents=True)
    for part in PLUGIN_PARTS:
        source = REPO_ROOT / part
        (dest / part).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest / part,
                            ignore=shutil.ignore_patterns("__pycache__", "results"))
        elif source.is_file():
            shutil.copy2(source, dest / part)
    _git("init", "-q", "-b", "main", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


@pytest.fixture(scope="module")
def from_git(tmp_path_factory) -> tuple[ClaudeCLI, Path]:
    """Added from a git URL: Claude Code clones it and copies the plugin into its cache,
    the way a user who adds the repository from its forge gets it."""
    root = tmp_path_factory.mktemp("git")
    work = _snapshot_repo(root / "work")
    _git("clone", "-q", "--bare", str(work), str(root / "kubernetes-skills.git"), cwd=root)
    cli = ClaudeCLI(tmp_path_factory.mktemp("claude-home-git"))
    with GitHTTPServer(root) as server:
        cli.run("plugin", "marketplace", "add", server.url("kubernetes-skills.git"))
        cli.run("plugin", "install", PLUGIN_ID)
    entry = _plugin_entry(cli)
    assert entry["enabled"] and not entry.get("errors"), entry
    install = Path(entry["installPath"])
    assert install.is_relative_to(cli.home / ".claude" / "plugins" / "cache"), install
    return cli, install


def test_installed_copy_validates_a_manifest_with_the_shipped_schemas(from_git, tmp_path):
    """validate_manifest.py from the plugin cache, with the kit (skills/_shared) and the
    compiled schemas that copy carries. The expected rejection is the apiserver's own
    (k8s.io/kubernetes pkg/apis/apps/validation ValidateDeploymentSpec: "`selector` does
    not match template `labels`")."""
    _, install = from_git
    manifest = tmp_path / "deploy.yaml"
    manifest.write_text(SELECTOR_MISMATCH, encoding="utf-8")
    proc = _script(install, "k8s-manifests/scripts/validate_manifest.py", "-f", str(manifest))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["schema"]["validated"] and "schema: pinned" in report["summary"], report
    messages = [f["message"] + " " + json.dumps(f.get("evidence", "")) for f in
                report["findings"] if f["severity"] == "error"]
    assert any("`selector` does not match template `labels`" in m for m in messages), messages


def test_installed_copy_explains_a_pasted_kueue_workload(from_git):
    """explain_pending.py on a real paste (kueue#1937): the thread's resolution is that a
    blocker job holds the ClusterQueue's whole nominal cpu quota."""
    _, install = from_git
    case = REPO_ROOT / "tests/resources/real-world/kueue/quota-blocker-job-describe-workload"
    proc = _script(install, "k8s-kueue/scripts/explain_pending.py", "-f",
                   str(case / "paste.txt"))
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["cause"] == "quota_exhausted"


def _script(install: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    path = install / "skills" / script
    assert path.is_file(), f"{path} is not in the installed plugin"
    return subprocess.run(["python3", str(path), *args, "--json"], capture_output=True,
                          text=True, timeout=120, cwd=install)


SELECTOR_MISMATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
"""


# ------------------------------------------------------------------ claude plugin eval
EVAL_FLAGS = ["--trust-plugin", "--no-publish", "--runs", "1", "--scaffold",
              "--allow-tools", "Bash", "Write", "Edit"]


def _generated_case_count() -> int:
    from harness.skillpack import plugin_eval
    return len(plugin_eval.build().cases)


def test_the_cli_loads_every_eval_case_from_the_installed_plugin(local, tmp_path):
    """A zero cost ceiling makes `claude plugin eval` load, check and count every case (its
    static checks print '⚠ case ...' or '✗ ...') and stop before the first model call."""
    proc = local.run("plugin", "eval", PLUGIN_ID, *EVAL_FLAGS, "--max-cost-usd", "0",
                     cwd=tmp_path, check=False)
    out = proc.stdout + proc.stderr
    print(out)
    count = re.search(r"Ablation: 2 arms × (\d+) cases", out)
    assert count and int(count[1]) == _generated_case_count() >= 40, out
    assert "⚠ case" not in out and "✗" not in out, out


class ScriptedJudgeAPI:
    """The local fake Messages API playing scripted agent turns, plus a SCRIPTED judge that
    votes PASS: what it shows is the CLI's grading path (our rubric and the agent's answer
    reach the judge), never a model's verdict."""

    def __init__(self, steps):
        from harness.evals.fake_api import FakeAnthropicAPI
        self.api = FakeAnthropicAPI(steps)
        plain = self.api.respond

        def respond(body):
            if _is_judge(body):
                from harness.evals.fake_api import _message
                return _message(body, [{"type": "text", "text": "PASS"}], "end_turn")
            return plain(body)
        self.api.respond = respond

    def __enter__(self):
        self.api.start()
        return self.api

    def __exit__(self, *exc):
        self.api.stop()


def _is_judge(body: dict) -> bool:
    return "You are grading the output of a coding agent" in json.dumps(body.get("messages"))


def _scripted_eval(tmp_path, case_glob: str, steps: list[dict]):
    """One case, one with-plugin run, scripted turns: (graders by name, judge requests,
    every request, the run's kept workspace)."""
    plugin = _snapshot_repo(tmp_path / "plugin")
    out = tmp_path / "result.json"
    with ScriptedJudgeAPI([{**s, "bash": s["bash"].replace("{plugin}", str(plugin))}
                           if "bash" in s else s for s in steps]) as api:
        cli = ClaudeCLI(tmp_path / "home", base_url=api.url)
        proc = cli.run("plugin", "eval", ".", "--case", case_glob, *EVAL_FLAGS,
                       "--ablation", "none", "--keep-temp", "--json", str(out),
                       cwd=plugin, check=False, timeout=600)
        requests = list(api.requests)
    result = json.loads(out.read_text())
    (run,) = result["cases"][0]["arms"]["with"]
    kept = Path(run["tracePath"]).parent.parent
    assert run["error"] is None, proc.stdout + proc.stderr
    return {g["name"]: g for g in run["graders"]}, requests, kept


@pytest.fixture
def cleanup_kept():
    kept: list[Path] = []
    yield kept
    for path in kept:  # the CLI asks for exactly this (it could not seal the folder as root)
        subprocess.run(["chmod", "-R", "u+rwX", str(path)], check=False, timeout=60)
        shutil.rmtree(path, ignore_errors=True)


def test_scripted_diagnose_case_end_to_end(tmp_path, cleanup_kept):
    """SCRIPTED turns (not a model): load the skill, run its script on the pasted describe
    output from the plugin's folder inside the CLI's sandbox, answer with the resolution of
    portainer#5314. The CLI scaffolds, runs, and grades with our regex, llm and skill graders."""
    from harness.skillpack.plugin_eval import SOURCES
    import yaml
    entry = next(e for e in yaml.safe_load(SOURCES.read_text())["diagnose"]
                 if e["corpus"] == "pods-nodes/crashloop-centos-exits-0")
    graders, requests, kept = _scripted_eval(tmp_path, "diagnose-crashloop-centos-exits-0", [
        {"skill": "k8s-troubleshooting"},
        {"bash": "python3 {plugin}/skills/k8s-troubleshooting/scripts/triage.py "
                 "-f describe-pod.txt"},
        {"say": entry["answer"]}])
    cleanup_kept.append(kept)
    assert {n: g["passed"] for n, g in graders.items()} == \
        {"cause": True, "fix": True, "rubric": True, "skill": True}, graders
    script_output = [b for r in requests for m in r["body"].get("messages", [])
                     if isinstance(m.get("content"), list) for b in m["content"]
                     if b.get("type") == "tool_result" and "centos-new" in json.dumps(b)]
    assert script_output and "Traceback" not in json.dumps(script_output)
    judged = [r for r in requests if _is_judge(r["body"])]
    assert judged and entry["rubric"][:60] in json.dumps(judged[0]["body"])


def test_scripted_write_case_end_to_end_and_the_file_passes_the_validator(tmp_path,
                                                                           cleanup_kept):
    """SCRIPTED turns: write the LocalQueue the kueue thread needed. The CLI's file graders
    pass, and the file the run left behind passes validate_manifest.py (the command check a
    plugin-eval case cannot run itself)."""
    local_queue = ("apiVersion: kueue.x-k8s.io/v1beta2\nkind: LocalQueue\nmetadata:\n"
                   "  name: default\n  namespace: test\nspec:\n  clusterQueue: cluster-queue\n")
    graders, _, kept = _scripted_eval(tmp_path, "write-local-queue*", [
        {"skill": "k8s-kueue"},
        {"tool": "Write", "input": {"file_path": "localqueue.yaml", "content": local_queue}},
        {"say": "Wrote localqueue.yaml: LocalQueue default in namespace test."}])
    cleanup_kept.append(kept)
    assert all(g["passed"] for g in graders.values()), graders
    written = kept / "home" / "cwd" / "localqueue.yaml"
    proc = subprocess.run(["python3", str(REPO_ROOT / "skills/k8s-manifests/scripts/"
                                          "validate_manifest.py"), "-f", str(written), "--json"],
                          capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    assert report["schema"]["validated"] and report["counts"]["error"] == 0, report
