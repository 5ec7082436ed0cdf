"""The project folder the guard's corpora are judged from.

A corpus line is judged the way the hook judges it: from the agent's working directory,
with the agent's environment. This builds one such folder: a git repository with a plain
config, a few manifests and data files, `skills` linking to this repository's skills (so
`python3 skills/<skill>/scripts/x.py` is one of ours), Claude Code settings, and a HOME of
its own (nothing from the machine's real home or git configuration leaks in).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SKILLS = ROOT / "skills"
FILES = {
    "README": "notes\n",
    "deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    "job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n",
    "x.json": '{"items": []}\n',
    "pods.txt": "web-1\nweb-2\n",
    "namespaces.txt": "shop\n",
    "report.json": "{}\n",
    "manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n",
    "overlays/prod/kustomization.yaml": "resources: []\n",
    ".git/config": "[core]\n\trepositoryformatversion = 0\n\tbare = false\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/hooks/pre-commit.sample": "#!/bin/sh\n",
    ".claude/settings.json": "{}\n",
    "home/.bashrc": "# the agent's home\n",
}


def project(base: Path) -> dict:
    """Create the folder under `base`; keyword arguments for `_guard.check`."""
    base.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    link = base / "skills"
    if not link.exists():
        link.symlink_to(SKILLS, target_is_directory=True)
    env = {"HOME": str(base / "home"), "PATH": "/usr/local/bin:/usr/bin:/bin",
           "USER": "agent", "SHELL": "/bin/bash", "LANG": "C.UTF-8"}
    return {"cwd": str(base), "env": env, "skill_roots": [str(SKILLS)]}


def context_for_cli(base: Path) -> dict:
    """The same, as subprocess keyword arguments (cwd and environment)."""
    kwargs = project(base)
    return {"cwd": kwargs["cwd"], "env": {**os.environ, **kwargs["env"]}}
