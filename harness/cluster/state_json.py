"""A cluster's (or its node's) state.json: read tolerantly, written atomically."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def read(path: Path) -> dict[str, Any]:
    """The recorded state; {} when there is none yet or it is unreadable (a cluster that was
    never started, or one torn down while a command read it)."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write(path: Path, state: dict[str, Any]) -> None:
    """Replace the file in one step, so a concurrent reader sees the old or the new state."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    os.replace(tmp, path)
