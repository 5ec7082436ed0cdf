"""Run the k8s-rbac scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

import sys

from tests.skill_scripts import ROOT, resource_fixture, script_fixture

SCRIPTS = ROOT / "skills" / "k8s-rbac" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "rbac"
for _path in (SCRIPTS, ROOT / "skills" / "_shared"):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))


script = script_fixture(SCRIPTS)
resource = resource_fixture(RESOURCES)
