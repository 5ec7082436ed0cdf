"""Generated files a skill's bundle needs beyond what is checked in.

Maps a skill name to `callable(bundle_dir: Path) -> None`, run by `build` after the
checked-in files are copied; it writes into the bundle (for example pinned JSON schemas
that are derived from Go modules rather than stored in the repo). Register here, in one
place, so a reader sees every generation step that shapes a shipped bundle.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

Extra = Callable[[Path], None]


# k8s-manifests' compiled schemas are committed in the skill (assets/schemas/) so the
# plugin channel, which loads skills straight from the repository, has them too; a test
# (tests/skills/k8s_manifests/test_manifests_schemas.py) fails when they drift from the pins.
EXTRAS: dict[str, Extra] = {}


def run_extras(name: str, bundle_dir: Path, registry: dict[str, Extra] | None = None) -> None:
    """Run the generator registered for skill `name`, if any."""
    extra = (EXTRAS if registry is None else registry).get(name)
    if extra is not None:
        extra(bundle_dir)
