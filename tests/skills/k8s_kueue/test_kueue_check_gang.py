"""check_gang.py: gang size, shape, partial admission and placement before submission."""
from __future__ import annotations


def _causes(doc):
    return sorted(f["cause"] for f in doc["findings"])


def test_torchrun_nnodes_and_world_size_disagree_with_replicas(script, resource):
    result = script("check_gang.py", "-f", resource("gang/pytorchjob_mismatch.yaml"), "--json")
    assert result.code == 1
    doc = result.doc
    assert doc["gangs"][0]["pods"] == 3
    messages = " ".join(f["message"] for f in doc["findings"])
    assert "expects 4 nodes" in messages and "WORLD_SIZE=32" in messages
    assert "podset_heterogeneous" in _causes(doc)


def test_gang_larger_than_the_flavor_nodes(script, resource):
    result = script("check_gang.py", "-f", resource("gang/jobset_ok.yaml"), "--nodes",
                    resource("gang/nodes_h100.yaml"), "--json")
    assert result.code == 1
    finding = result.doc["findings"][0]
    assert finding["cause"] == "gang_unplaceable"
    assert "only 3 of 4 required node(s) of flavor h100" in finding["message"]


def test_sound_gang_without_nodes_exits_zero(script, resource):
    result = script("check_gang.py", "-f", resource("gang/jobset_ok.yaml"))
    assert result.code == 0, result.out
    assert "gang of 4 pod(s)" in result.out and "waitForPodsReady" in result.out


def test_partial_admission_on_fixed_world_size(script, resource):
    doc = script("check_gang.py", "-f", resource("gang/job_partial.yaml"), "--json").doc
    assert _causes(doc) == ["partial_admission_breaks_gang"]


def test_missing_file_and_no_job_are_input_errors(script, resource):
    for args in (["-f", "/nonexistent.yaml"], ["-f", resource("gang/nodes_h100.yaml")]):
        result = script("check_gang.py", *args)
        assert result.code == 2
        assert len(result.err.strip().splitlines()) == 1 and result.err.startswith("error:")
