"""YAML with libyaml's C parser when PyYAML has it: upstream CRDs are megabytes of YAML."""
from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str):
    return yaml.load(text, Loader=_Loader)


def load_all(text: str) -> list:
    return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]


def dump_all(docs, **kwargs) -> str:
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, **kwargs)
