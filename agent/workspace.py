"""The agent's folders: the project Claude Code works in (the built skills under
.claude/skills), a private HOME for the CLI, and the read-only kubeconfig of the model's
shell, kept outside the project so no tool the model has can read it.

    <workdir>/project/.claude/skills/<skill>/   what the model sees
    <workdir>/home/                             HOME and CLAUDE_CONFIG_DIR of the CLI
    <workdir>/private/reader.kubeconfig         the model's kubectl identity (mode 0600)
"""
from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

from agent.kube import Kube, mint_token, token_kubeconfig
from harness.errors import UserError

TOKEN_SECONDS = 3600
REFRESH_AFTER = 2400   # re-mint well before expiry


class Workspace:
    def __init__(self, workdir: str, skills_dir: str = ""):
        base = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="k8s-agent-"))
        self.base = base
        self.project = base / "project"
        self.home = base / "home"
        self.private = base / "private"
        self.skills_dir = skills_dir
        self._lock = threading.Lock()
        self._minted_at = 0.0

    def prepare(self) -> list[str]:
        """Install the skills (built bundles, or built now from the repo's skills/)."""
        for folder in (self.project, self.home / ".claude", self.private):
            folder.mkdir(parents=True, exist_ok=True)
        self.private.chmod(0o700)
        dest = self.project / ".claude" / "skills"
        source = Path(self.skills_dir) if self.skills_dir else None
        if source and _is_built(source):
            dest.mkdir(parents=True, exist_ok=True)
            for bundle in sorted(p for p in source.iterdir() if (p / "SKILL.md").is_file()):
                shutil.copytree(bundle, dest / bundle.name, dirs_exist_ok=True)
        else:
            from harness.evals.agents import skills as skill_files
            skill_files.install_into_project(self.project, source)
        names = sorted(p.name for p in dest.iterdir() if (p / "SKILL.md").is_file())
        if not names:
            raise UserError(f"no skills installed in {dest}: pass --skills-dir")
        return names

    def reader_kubeconfig(self, kube: Kube, given: str, namespace: str,
                          serviceaccount: str) -> str:
        """The kubeconfig of the model's shell: `given`, or one holding a fresh token of
        the read-only ServiceAccount (re-minted every 40 minutes)."""
        if given:
            return given
        if not serviceaccount:
            raise UserError("the model's shell needs a read-only identity: set "
                            "--reader-kubeconfig or --reader-serviceaccount")
        path = self.private / "reader.kubeconfig"
        with self._lock:
            if time.monotonic() - self._minted_at > REFRESH_AFTER or not path.is_file():
                token = mint_token(kube, namespace, serviceaccount, TOKEN_SECONDS)
                token_kubeconfig(kube, token, path)
                self._minted_at = time.monotonic()
        return str(path)


def _is_built(folder: Path) -> bool:
    """A dist/ layout: bundles carry the shared kit inside their scripts/ folder."""
    return any((p / "scripts" / "k8s_skillkit").is_dir() for p in folder.iterdir()
               if p.is_dir())
