"""The guard reads kubectl argv as kubectl v1.37 does: checked against the real binary.

The flag table (_guard/kubectl_flags.py) is generated from the pinned k8s.io/kubectl
module; here it is compared with what the kubectl built from the same pin says in its
`--help`, and the command the guard finds for tricky argv (flags before the verb, flags
swallowing words) is compared with the command kubectl itself picks (its `--help`).
"""
from __future__ import annotations

import re
import subprocess
from functools import lru_cache

import pytest

from _guard.kubectl_flags import COMMANDS, VERSION
from _guard.kubectl_parse import find_and_parse, flagset
from harness import pins
from harness.cluster.paths import bin_dir

KUBECTL = bin_dir() / "kubectl"
needs_kubectl = pytest.mark.skipif(not KUBECTL.exists(),
                                   reason="kubectl is not built (k8s-skills cluster build)")
OPTION = re.compile(r"^\s+(?:-(\w), )?--([\w-]+)=(.*):$")


def test_table_is_for_the_pinned_kubectl():
    assert VERSION == pins.KUBERNETES


@lru_cache(maxsize=None)
def help_text(path: str) -> str:
    proc = subprocess.run([str(KUBECTL), *path.split(), "--help"], capture_output=True,
                          text=True, timeout=60)
    return proc.stdout


def help_flags(path: str) -> dict:
    """{name: (shorthand, is_bool)} from the Options section of `kubectl PATH --help`."""
    text = help_text(path)
    options = text.split("Options:", 1)[1] if "Options:" in text else ""
    options = options.split("\nUsage:", 1)[0]
    flags = {}
    for line in options.splitlines():
        match = OPTION.match(line)
        if match:
            short, name, default = match.groups()
            flags[name] = (short or "", default in ("false", "true"))
    return flags


@needs_kubectl
@pytest.mark.parametrize("path", sorted(p for p in COMMANDS if p))
def test_flags_match_kubectl_help(path):
    ours = {name: flag for name, flag in flagset(path).items()}
    theirs = help_flags(path)
    # every flag kubectl shows is known, with its shorthand and whether it takes a value
    # (the table also holds hidden, deprecated ones such as --record: still parsed)
    for name, (short, is_bool) in theirs.items():
        assert name in ours, (path, name)
        assert ours[name].short == short, (path, name)
        if is_bool:
            assert not ours[name].takes_value, (path, name)


@needs_kubectl
def test_global_flags_match_kubectl_options():
    text = subprocess.run([str(KUBECTL), "options"], capture_output=True, text=True,
                          timeout=60).stdout
    theirs = {m.group(2) for m in map(OPTION.match, text.splitlines()) if m}
    ours = {n for n, f in flagset("").items() if f.persistent}
    assert theirs == ours


def first_line(path: str) -> str:
    return help_text(path).splitlines()[0]


TRICKY = [
    "-A events delete --all", "-v 1 delete events --all", "-n delete get", "-nshop get pods",
    "--namespace shop delete pods", "--request-timeout 5s delete ns shop",
    "-l app=web delete pods", "--context prod rollout restart deploy/x", "top pods",
    "top no", "create cm x", "create secret generic x", "config use x", "set sa deploy/x y",
    "--kubeconfig x auth can-i get pods", "-v=9 apply view-last-applied deploy/x",
    "--insecure-skip-tls-verify get pods", "--match-server-version delete ns x",
    "get pods -- delete", "rollout --namespace x undo deploy/y",
    "--help -n delete get",
]


@needs_kubectl
@pytest.mark.parametrize("argv", TRICKY)
def test_the_guard_finds_the_command_kubectl_runs(argv):
    words = argv.split()
    path = find_and_parse(words).path
    at = words.index("--") if "--" in words else len(words)
    asked = words[:at] + ["--help"] + words[at:]     # help of the command kubectl picks
    assert find_and_parse(asked).path == path
    assert first_line(path) == subprocess.run(
        [str(KUBECTL), *asked], capture_output=True, text=True,
        timeout=60).stdout.splitlines()[0], (argv, path)


@pytest.mark.live
def test_table_is_regenerated_identically_from_the_pinned_module():
    """Rebuild the table from k8s.io/kubectl with Go (slow the first time, then cached)."""
    from harness.safety import kubectl_flags
    assert kubectl_flags.main(["--check"]) == 0
