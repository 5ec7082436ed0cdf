"""Run the k8s-kueue scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

from tests.skill_scripts import ROOT, resource_fixture, script_fixture

SCRIPTS = ROOT / "skills" / "k8s-kueue" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "kueue"


script = script_fixture(SCRIPTS)
resource = resource_fixture(RESOURCES)
