"""kagent's resource definitions (RemoteMCPServer, Agent; kagent.dev/v1alpha2), compiled
into the small committed derivative tests/resources/kagent/crds.compiled.json that the
deploy/kagent examples are checked against.

kagent is not on the Go module proxy (every version answers 403), so its CRDs cannot be
fetched at setup time; the compiled copy records the pinned commit and each source file's
sha256, and test_kagent_examples.py recompiles from a kagent checkout when one is present
(K8S_SKILLS_KAGENT_SRC) and fails if it no longer matches.

    python -m tests.mcp.kagent_crds --write /path/to/kagent    # after moving the pin
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPILED = ROOT / "tests" / "resources" / "kagent" / "crds.compiled.json"
PIN = {"repository": "kagent-dev/kagent",
       "commit": "5229184e280a6f3bf205b4e64405a92d1fbc259f",
       "describe": "v0.10.0-rc1-58-g5229184e2"}
SOURCES = ["go/api/config/crd/bases/kagent.dev_remotemcpservers.yaml",
           "go/api/config/crd/bases/kagent.dev_agents.yaml"]
VERSION = "v1alpha2"


def compile_from(checkout: Path) -> dict:
    """The pinned commit's CRDs, only the v1alpha2 version, schema annotations dropped."""
    files, crds = {}, []
    for source in SOURCES:
        text = _at_pin(checkout, source)
        files[source] = hashlib.sha256(text.encode()).hexdigest()
        crd = yaml.safe_load(text)
        crd["spec"]["versions"] = [v for v in crd["spec"]["versions"] if v["name"] == VERSION]
        crd["metadata"] = {"name": crd["metadata"]["name"]}
        crds.append(_strip(crd))
    return {"source": {**PIN, "files": files}, "crds": crds}


def _at_pin(checkout: Path, path: str) -> str:
    git = ["git", "-C", str(checkout)]
    bare = (checkout / "HEAD").is_file() and not (checkout / ".git").exists()
    if bare or (checkout / ".git").exists():
        return subprocess.run([*git, "show", f"{PIN['commit']}:{path}"], check=True,
                              capture_output=True, text=True, timeout=60).stdout
    return (checkout / path).read_text(encoding="utf-8")


def _strip(node):
    """Without `description` annotations (a property *named* description stays)."""
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items()
                if not (k == "description" and isinstance(v, str))}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def compiled() -> dict:
    return json.loads(COMPILED.read_text(encoding="utf-8"))


def schema(kind: str) -> dict:
    for crd in compiled()["crds"]:
        if crd["spec"]["names"]["kind"] == kind:
            return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    raise KeyError(kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="KAGENT_CHECKOUT", required=True)
    args = parser.parse_args()
    data = compile_from(Path(args.write))
    COMPILED.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {COMPILED} from {PIN['repository']}@{PIN['commit'][:12]}")


if __name__ == "__main__":
    main()
