"""Every skill script, fed hostile input: exit 0, 1 or 2, never a traceback or a hang.

Inputs grow from the repository's real test inputs of each script (dumps, manifests,
pastes, specs, metrics) by the mutations in `mutations.py`: fields removed or retyped,
values nested 30,000 deep or repeated thousands of times, binary bytes, YAML tags and
aliases, truncated or spliced text. Each call runs in a forked child of a server that
imported the scripts once (fast enough for CI), with no kubectl on PATH so nothing
touches a cluster. Profile: `HYPOTHESIS_PROFILE=fuzz-long` runs many more examples.
"""
from __future__ import annotations

import glob
from pathlib import Path

import pytest
from hypothesis import given

from tests.fuzz.forks import PROFILE, ROOT, ForkServer
from tests.fuzz.mutations import hostile, parsed

RES = ROOT / "tests" / "resources"

def seeds(*patterns: str) -> list[str]:
    found = []
    for pattern in patterns:
        for path in sorted(glob.glob(str(RES / pattern), recursive=True))[:12]:
            try:
                found.append(Path(path).read_text(encoding="utf-8"))
            except (UnicodeDecodeError, IsADirectoryError):
                continue
    assert found, patterns
    return found


TROUBLESHOOTING = ["troubleshooting/*.yaml", "pastes/*.txt", "real-world/pods-nodes/*/paste.txt"]
KUEUE = ["kueue/*.yaml", "kueue/gang/*.yaml", "real-world/kueue/*/paste.txt"]
DRA = ["dra/*.yaml", "dra/check/*.yaml", "dra/explain/*.yaml", "real-world/dra/*/paste.txt"]
GATEWAY = ["gateway/routes/*.yaml", "real-world/gateway/*/paste.txt"]
RBAC = ["rbac/*-rbac.yaml", "rbac/pod-*.yaml", "real-world/rbac/*/paste.txt"]
MANIFESTS = ["manifests/*.yaml", "admission/*.yaml"]
SPECS = ["name: web\nimage: nginx:1.27\nreplicas: 2\nwith: [service, pdb]\n",
         "shape: llm-inference\nname: qwen\nmodel-cache: pvc\nreplicas: 2\n",
         "shape: training-job\nname: ft\nworld-size: 4\ngpus: 8\nqueue: team-a\n"]

S = "skills/{}/scripts/{}"
# (script, argv with {input} where the hostile file goes, seed texts)
CASES = [
    (S.format("k8s-troubleshooting", "triage.py"), ["-A", "-f", "{input}"], TROUBLESHOOTING),
    (S.format("k8s-troubleshooting", "triage.py"), ["--json", "-f", "{input}", "web"],
     TROUBLESHOOTING),
    (S.format("k8s-troubleshooting", "inspect_cluster.py"), ["pods", "-A", "-f", "{input}"],
     TROUBLESHOOTING),
    (S.format("k8s-troubleshooting", "inspect_cluster.py"), ["events", "-f", "{input}"],
     TROUBLESHOOTING),
    (S.format("k8s-troubleshooting", "check_rollout.py"), ["--json", "-f", "{input}"],
     TROUBLESHOOTING),
    (S.format("k8s-troubleshooting", "check_training.py"), ["--json", "-f", "{input}"],
     ["troubleshooting/training/*", "troubleshooting/gpu/*.log"]),
    (S.format("k8s-kueue", "explain_pending.py"), ["-A", "--all", "-f", "{input}"], KUEUE),
    (S.format("k8s-kueue", "quota_report.py"), ["--json", "-f", "{input}"], KUEUE),
    (S.format("k8s-kueue", "fair_share.py"), ["--json", "-f", "{input}"], KUEUE),
    (S.format("k8s-kueue", "explain_topology.py"), ["--json", "-f", "{input}", "wl"],
     KUEUE + ["kueue/tas/*.yaml"]),
    (S.format("k8s-kueue", "check_gang.py"), ["-f", "{input}", "--nodes", "{input}"], KUEUE),
    (S.format("k8s-kueue", "make_queue.py"), ["validate", "-f", "{input}"], KUEUE),
    (S.format("k8s-dra", "check_dra.py"), ["--nodes", "-f", "{input}"], DRA),
    (S.format("k8s-dra", "check_dra.py"), ["-f", "{input}", "--kueue-config", "{input}"], DRA),
    (S.format("k8s-dra", "check_dra_gang.py"), ["-f", "{input}", "--cluster", "{input}"], DRA),
    (S.format("k8s-dra", "explain_claim.py"), ["--all", "-A", "-f", "{input}"], DRA),
    (S.format("k8s-gateway-gaie", "check_routes.py"), ["-A", "-v", "-f", "{input}"], GATEWAY),
    (S.format("k8s-gateway-gaie", "analyze_traffic.py"), ["-f", "{input}"],
     ["gateway/metrics/*.txt", "gateway/metrics/*.json"]),
    (S.format("k8s-manifests", "validate_manifest.py"), ["--all", "-f", "{input}"], MANIFESTS),
    (S.format("k8s-manifests", "harden.py"), ["--diff", "-f", "{input}"], MANIFESTS),
    (S.format("k8s-manifests", "generate.py"), ["-f", "{input}"], SPECS),
    (S.format("k8s-rbac", "audit_rbac.py"), ["--all", "-f", "{input}"], RBAC),
    (S.format("k8s-rbac", "check_pod_security.py"), ["--all", "-f", "{input}"], RBAC),
    (S.format("k8s-rbac", "check_pod_security.py"), ["-f", "{input}", "--policy", "{input}"],
     ["rbac/platform-policy.yaml"]),
    (S.format("k8s-rbac", "guard_command.py"), ["--no-log", "--hook"],
     ['{"tool_name": "Bash", "tool_input": {"command": "kubectl get pods"}, '
      '"hook_event_name": "PreToolUse", "cwd": "/tmp"}']),
    (S.format("k8s-rbac", "guard_command.py"), ["--policy", "{input}", "--", "kubectl get po"],
     ["../../skills/k8s-rbac/assets/guard-policy.yaml"]),
]
SCRIPTS = sorted({script for script, _, _ in CASES})


def _seed_texts(patterns: list[str]) -> list[str]:
    texts = [p for p in patterns if "\n" in p or p.startswith("{")]
    globs = [p for p in patterns if p not in texts]
    return texts + (seeds(*globs) if globs else [])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = ForkServer(tmp_path_factory.mktemp("fuzz-home"), [str(ROOT / s) for s in SCRIPTS])
    yield running
    running.close()


@pytest.mark.parametrize("script,argv,patterns", CASES,
                         ids=[f"{Path(s).stem}:{' '.join(a)}" for s, a, _ in CASES])
def test_script_survives_hostile_input(server, tmp_path, script, argv, patterns):
    texts = parsed(_seed_texts(patterns))

    @PROFILE
    @given(data=hostile(texts))
    def fuzz(data: bytes) -> None:
        target = tmp_path / "input"
        target.write_bytes(data)
        args = [a.replace("{input}", str(target)) for a in argv]
        server.check(str(ROOT / script), args, str(target) if "--hook" in args else None,
                     tmp_path / "stderr", data[:300],
                     prefix="k8s-rbac guard: " if "--hook" in args else "error: ")

    fuzz()
