"""harden.py: adds what is missing, keeps what it does not understand."""
from __future__ import annotations

import json

import yaml

from conftest import RESOURCES


def test_round_trip_keeps_unknown_fields_and_crds(run_script):
    code, out, err = run_script("harden.py", "-f", str(RESOURCES / "roundtrip.yaml"))
    deploy, jobset, widget = list(yaml.safe_load_all(out))
    original = list(yaml.safe_load_all((RESOURCES / "roundtrip.yaml").read_text()))
    assert deploy["spec"]["futureField"] == {"keep": "me"}
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["xExperimental"] is True
    assert container["securityContext"]["privileged"] is True  # reported, never overwritten
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert deploy["spec"]["selector"] == original[0]["spec"]["selector"]
    assert list(deploy["spec"])[:3] == list(original[0]["spec"])[:3]
    assert jobset["spec"]["unknownJobSetField"] == [1, 2, 3]
    assert widget == original[2]
    assert code == 1 and "privileged" in err


def test_hardened_output_passes_the_security_rules(run_script):
    _, out, _ = run_script("harden.py", "-f", str(RESOURCES / "helm-rendered.yaml"))
    _, report, _ = run_script("validate_manifest.py", "-f", "-", "--json", stdin=out)
    causes = {f["cause"] for f in json.loads(report)["findings"]}
    assert not causes & {"privilege_escalation_allowed", "run_as_root_allowed",
                         "capabilities_not_dropped", "seccomp_profile_missing",
                         "missing_resource_requests", "missing_memory_limit",
                         "missing_readiness_probe", "writable_root_filesystem"}


def test_diff_mode_and_idempotence(run_script, tmp_path):
    code, diff, _ = run_script("harden.py", "-f", str(RESOURCES / "helm-rendered.yaml"),
                               "--diff")
    assert code == 0 and diff.startswith("--- original") and "+          runAsNonRoot" not in diff
    assert "+        runAsNonRoot: true" in diff
    _, once, _ = run_script("harden.py", "-f", str(RESOURCES / "helm-rendered.yaml"))
    hardened = tmp_path / "h.yaml"
    hardened.write_text(once)
    _, again, _ = run_script("harden.py", "-f", str(hardened), "--diff")
    assert again.strip() == "no changes"


def test_probe_without_port_is_reported(run_script, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text((RESOURCES / "helm-rendered.yaml").read_text().replace(
        "        ports:\n        - name: http\n          containerPort: 8080\n", ""))
    code, _, err = run_script("harden.py", "-f", str(path), "--json")
    assert code == 1 and "no probes added" in err


def test_help_mentions_comment_loss(run_script):
    code, out, _ = run_script("harden.py", "--help")
    assert code == 0 and "comments" in out and "examples:" in out
