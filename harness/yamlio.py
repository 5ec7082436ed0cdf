"""YAML with libyaml's C parser when PyYAML has it: upstream CRDs are megabytes of YAML."""
from __future__ import annotations

from typing import Any, Iterable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str) -> Any:      # parsed YAML: any shape, as yaml.load says
    return yaml.load(text, Loader=_Loader)


def load_all(text: str) -> list[Any]:
    return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]


def dump_all(docs: Iterable[object], **kwargs: Any) -> str:
    return str(yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, **kwargs))
