"""Every `k8s-skills` command that reads a user's file, fed hostile input: exit 0, 1 or 2,
never a traceback or a hang.

The files: a run's per-scenario record (`report`), the agent's audit log (`audit`), a
scenario folder (`eval --list`, which loads and validates every scenario.yaml) and the
cluster name the `cluster` commands turn into a state path. Each grows from a real one
(the eval tests' run records, the repo's scenarios, an audit log the guard wrote) by the
mutations in `mutations.py`. Nothing here starts a cluster or an agent.
"""
from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, strategies as st

from tests.fuzz.forks import PROFILE, ROOT, ForkServer
from tests.fuzz.mutations import hostile, parsed

CLI = "module:harness.cli"
RUN_RECORDS = sorted((ROOT / "tests" / "evals" / "resources" / "run").glob("*.json"))[:6]
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*/scenario.yaml"))[:8]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = ForkServer(tmp_path_factory.mktemp("fuzz-cli-home"), [CLI])
    yield running
    running.close()


def _texts(paths) -> list[str]:
    found = [p.read_text(encoding="utf-8") for p in paths]
    assert found
    return found


def _audit_log_seed() -> str:
    """An audit log as the guard writes it: records of a read, an ask and a deny, with
    their results."""
    from harness import safety
    guard = safety.Guard(identity={"agent": "fuzz", "session": "s1", "user": "u"})
    for i, command in enumerate(["kubectl get pods -n shop", "kubectl scale deploy/web "
                                 "--replicas=5 -n shop", "kubectl delete ns shop"]):
        guard.check(command, signals=["p95 latency"], record_id=f"r{i}")
        guard.result(f"r{i}", "ran")
    return "".join(json.dumps(r) + "\n" for r in guard.records)


def test_report_survives_hostile_run_records(server, tmp_path):
    seeds = parsed(_texts(RUN_RECORDS))

    @PROFILE
    @given(data=hostile(seeds))
    def fuzz(data: bytes) -> None:
        run = tmp_path / "run"
        shutil.rmtree(run, ignore_errors=True)
        (run / "scenarios").mkdir(parents=True)
        (run / "scenarios" / "x__none__skills-on__r1.json").write_bytes(data)
        server.check(CLI, ["report", str(run), "--out", str(tmp_path / "out")], None,
                     tmp_path / "stderr", data[:300])

    fuzz()


def test_audit_survives_a_hostile_log(server, tmp_path):
    seed = _audit_log_seed()
    lines = seed.splitlines()
    # the log as a whole, and one JSON record at a time (a JSONL file is read by line)
    seeds = parsed([seed]) + parsed(lines)

    @PROFILE
    @given(data=hostile(seeds), flags=st.sampled_from([[], ["--all"], ["--json", "--all"],
                                                       ["--last", "2"]]))
    def fuzz(data: bytes, flags: list[str]) -> None:
        log = tmp_path / "audit.jsonl"
        # a mutated record among good ones, or the mutated whole
        log.write_bytes(data if data.count(b"\n") > 2 else
                        "\n".join(lines[:2]).encode() + b"\n" + data + b"\n")
        server.check(CLI, ["audit", "--log", str(log), *flags], None, tmp_path / "stderr",
                     data[:300])

    fuzz()


def test_eval_list_survives_a_hostile_scenario(server, tmp_path):
    seeds = parsed(_texts(SCENARIOS))

    @PROFILE
    @given(data=hostile(seeds))
    def fuzz(data: bytes) -> None:
        folder = tmp_path / "scenarios"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "area" / "case").mkdir(parents=True)
        (folder / "area" / "case" / "scenario.yaml").write_bytes(data)
        server.check(CLI, ["eval", "--list", "--scenarios", str(folder)], None,
                     tmp_path / "stderr", data[:300])

    fuzz()


NAMES = st.one_of(st.text(max_size=40), st.sampled_from(
    ["", ".", "..", "../../etc", "/etc/passwd", "a/b", "-x", "--json", "\x00", "a" * 300,
     "k8s-skills\n", "$(id)"]))


def test_cluster_status_and_env_survive_any_name(server, tmp_path):
    @PROFILE
    @given(name=NAMES, command=st.sampled_from([["cluster", "status"],
                                                ["cluster", "status", "--json"],
                                                ["cluster", "env"]]))
    def fuzz(name: str, command: list[str]) -> None:
        server.check(CLI, [*command, f"--name={name}"], None, tmp_path / "stderr", name)

    fuzz()


def test_argv_of_every_reading_command_is_parsed_without_a_traceback(server, tmp_path):
    words = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
        ["--json", "--all", "--last", "-1", "999999999999999999999", "--log", "/", "--out",
         "--results", "/nonexistent", "--list", "-k", "--repeat", "0", "--parallel", "-5",
         "--scenarios", "--skills", "maybe", "--guard", "enforce", "--agent", "none"])),
        max_size=6)

    @PROFILE
    @given(command=st.sampled_from([["report"], ["audit"], ["eval", "--list"], ["eval"]]),
           args=words)
    def fuzz(command: list[str], args: list[str]) -> None:
        if command == ["eval"] and "--list" not in args:
            args = [*args, "--list"]  # never a real run: --list parses and exits
        server.check(CLI, [*command, *args], None, tmp_path / "stderr", args)

    fuzz()
