#!/usr/bin/env python3
"""Benchmark: does validate_manifest.py accept exactly what the real apiserver accepts?

Seeds (the skills' generators, the repository's scenarios, upstream examples from the pinned
modules) and at least 2,000 one-change mutants of them (benchmarks/manifest_mutants.py) are
each sent to a local cluster as a server-side dry-run create with fieldValidation=Strict
(admission, CEL rules and Kueue's webhooks all run), and validated offline by
validate_manifest.py on the same file. Prints the agreement rate, then false accepts (the
server rejects, the validator does not) and false rejects (the validator rejects what the
server accepts) by kind and by mutation type, with examples.

Targets: agreement >= 99 % and 0 false rejects, over >= 2,000 mutants; exit 1 on a miss.

    K8S_SKILLS_TEST_CLUSTER=validator-test .venv/bin/python benchmarks/validator_vs_apiserver.py
    .venv/bin/python benchmarks/validator_vs_apiserver.py --kubeconfig ~/.kube/config --show 20

Without --kubeconfig it uses the local cluster named by --cluster (default: the
K8S_SKILLS_TEST_CLUSTER variable, else "validator-bench"), starting it when it is not
running and stopping it afterwards.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"),
                str(ROOT / "skills" / "k8s-manifests" / "scripts"), str(ROOT / "skills" / "_shared")]

import manifest_mutants as mm
import validate_manifest
from _manifest.schema_store import load_store

TARGET_AGREEMENT = 0.99
MIN_MUTANTS = 2000


# ---------------------------------------------------------------- the server's verdict

class DryRun:
    """POST each object with dryRun=All&fieldValidation=Strict; (accepted, message)."""

    def __init__(self, kubeconfig: Path):
        from kubernetes import client, config, dynamic
        self.api = config.new_client_from_config(str(kubeconfig))
        self.client = client
        self.discovery = dynamic.DynamicClient(self.api)

    def ensure_namespace(self, name: str) -> None:
        core = self.client.CoreV1Api(self.api)
        try:
            core.create_namespace({"apiVersion": "v1", "kind": "Namespace",
                                   "metadata": {"name": name}})
        except self.client.ApiException as err:
            if err.status != 409:
                raise

    def _post(self, path: str, obj: dict) -> tuple[int, bytes]:
        request = self.api.param_serialize(
            "POST", path, query_params=[("dryRun", "All"), ("fieldValidation", "Strict")],
            header_params={"Content-Type": "application/json", "Accept": "application/json"},
            body=obj, auth_settings=["BearerToken"])
        method, url, headers, body = request[:4]
        response = self.api.call_api(method, url, header_params=headers, body=body,
                                     _request_timeout=30)
        return response.status, response.read()

    def route(self, obj: dict):
        """(collection path, namespaced) or None when the server does not serve the kind."""
        from kubernetes.dynamic.exceptions import ResourceNotFoundError
        try:
            res = self.discovery.resources.get(api_version=obj["apiVersion"], kind=obj["kind"])
        except (ResourceNotFoundError, ValueError):
            return None
        base = f"/api/{res.api_version}" if not res.group else \
            f"/apis/{res.group}/{res.api_version}"
        if res.namespaced:
            return f"{base}/namespaces/{mm.NAMESPACE}/{res.name}", True
        return f"{base}/{res.name}", False

    def judge(self, obj: dict) -> tuple[str, str]:
        """("accepted"|"rejected"|"error", message)."""
        route = self.route(obj)
        if route is None:
            return "rejected", f"no matches for kind {obj['kind']} in {obj['apiVersion']}"
        for attempt in range(3):
            status, body = self._post(route[0], obj)
            if 200 <= status < 300:
                return "accepted", ""
            if status in (400, 403, 404, 409, 422) or _conversion_refused(status, body):
                return "rejected", _message(body)
            if attempt == 2:
                return "error", f"{status}: {_message(body)}"
            time.sleep(1 + attempt)
        return "error", "unreachable"


def _conversion_refused(status: int, body: bytes) -> bool:
    """A CRD conversion webhook that answered and refused the object: a deterministic
    rejection (HTTP 500), unlike a webhook that could not be reached."""
    text = _message(body)
    return status == 500 and "conversion webhook for" in text and "failed: " in text and \
        not any(s in text for s in ("failed calling webhook", "connection refused",
                                    "deadline exceeded", "no endpoints"))


def _message(body: bytes) -> str:
    try:
        return json.loads(body).get("message", "")[:2000]
    except (ValueError, TypeError, AttributeError):
        return body[:400].decode(errors="replace") if isinstance(body, bytes) else str(body)


# ---------------------------------------------------------------- the validator's verdict

def offline(obj: dict, workdir: Path, name: str) -> tuple[bool, str]:
    """(rejected, evidence) from validate_manifest.py run on a file holding `obj`."""
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(obj))
    out = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = validate_manifest.main(["-f", str(path), "--json", "--allow-unknown"])
    if code == 2:
        return True, err.getvalue().strip()[:300]
    doc = json.loads(out.getvalue())
    rejecting = [f for f in doc["findings"] if f["cause"] in
                 ("schema_violation", "crd_rule_violation", "apiserver_rejection",
                  "webhook_rejection")]
    evidence = "; ".join(e for f in rejecting for e in f["evidence"][:2])[:300]
    return doc["admission"]["rejected"], evidence


# ---------------------------------------------------------------- cases

def build_cases(store, per_operator: int, seed: int, dry_run: DryRun) -> tuple[list, dict]:
    rng = random.Random(seed)
    module_dirs = _module_dirs()
    raw = mm.generated_seeds() + mm.repo_seeds() + mm.upstream_seeds(module_dirs)
    seeds, stats = [], Counter()
    for n, (seed_id, obj) in enumerate(raw):
        key = f"{obj.get('apiVersion')}/{obj.get('kind')}"
        schema = store.schema_for(str(obj.get("apiVersion")), str(obj.get("kind")))
        if schema is None:
            stats["seeds without a pinned schema"] += 1
            continue
        scope = store.scope.get(key) or _builtin_scope(dry_run, obj)
        norm = mm.normalize(obj, f"vb-{n}", scope)
        if norm is None:
            continue
        seeds.append(mm.Case(f"{seed_id}", norm, seed_id, "none", "seed as found"))
    stats["seeds"] = len(seeds)
    cases = list(seeds)
    for case in seeds:
        cases += mm.mutants(case.id, case.obj, store, rng, per_operator)
    return cases, dict(stats)


def _builtin_scope(dry_run: DryRun, obj: dict) -> str:
    route = dry_run.route(obj)
    return "Namespaced" if route and route[1] else "Cluster"


def _module_dirs() -> dict:
    from harness import gomod
    from harness.errors import UserError
    out = {}
    for key in ("kueue", "gateway-api", "leaderworkerset", "kubernetes"):
        try:
            out[key] = gomod.pinned_dir(key)
        except UserError as err:  # a module that cannot be fetched only drops its examples
            print(f"note: no upstream examples from {key}: {err}", file=sys.stderr)
    return out


# ---------------------------------------------------------------- run and report

def evaluate(cases: list, dry_run: DryRun, workers: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            server = list(pool.map(lambda c: dry_run.judge(c.obj), cases))
        records = []
        for i, (case, (verdict, message)) in enumerate(zip(cases, server)):
            rejected, evidence = offline(case.obj, workdir, f"case{i}")
            records.append({"id": case.id, "kind": case.kind, "mutation": case.mutation,
                            "detail": case.detail, "server": verdict,
                            "server_message": message, "validator_rejects": rejected,
                            "validator_evidence": evidence})
            if (i + 1) % 250 == 0:
                print(f"... {i + 1}/{len(cases)} validated offline", file=sys.stderr)
    return records


def report(records: list[dict], stats: dict, show: int) -> int:
    judged = [r for r in records if r["server"] != "error"]
    errors = len(records) - len(judged)
    agree = [r for r in judged if (r["server"] == "rejected") == r["validator_rejects"]]
    false_accepts = [r for r in judged if r["server"] == "rejected" and not r["validator_rejects"]]
    false_rejects = [r for r in judged if r["server"] == "accepted" and r["validator_rejects"]]
    mutants = sum(1 for r in judged if r["mutation"] != "none")
    rate = len(agree) / len(judged) if judged else 0.0
    server_rejects = sum(1 for r in judged if r["server"] == "rejected")
    print(f"cases: {len(judged)} judged ({stats.get('seeds', 0)} seeds, {mutants} mutants; "
          f"{server_rejects} rejected by the server), {errors} server errors excluded")
    print(f"agreement: {len(agree)}/{len(judged)} = {rate:.2%} (target >= "
          f"{TARGET_AGREEMENT:.0%})")
    print(f"false accepts: {len(false_accepts)}; false rejects: {len(false_rejects)} "
          "(target 0)")
    _breakdown("false accepts", false_accepts)
    _breakdown("false rejects", false_rejects)
    for title, rows in (("false rejects", false_rejects), ("false accepts", false_accepts)):
        for r in rows[:show]:
            print(f"  {title[:-1]}: {r['id']} [{r['mutation']}: {r['detail']}]\n"
                  f"    server: {r['server']}: {r['server_message'][:240]}\n"
                  f"    validator: {r['validator_evidence'][:240]}")
    ok = rate >= TARGET_AGREEMENT and not false_rejects and mutants >= MIN_MUTANTS
    print("result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def _breakdown(title: str, rows: list[dict]) -> None:
    if not rows:
        return
    by_kind = Counter(r["kind"] for r in rows)
    by_mutation = Counter(r["mutation"] for r in rows)
    print(f"{title} by kind: " + ", ".join(f"{k} {n}" for k, n in by_kind.most_common()))
    print(f"{title} by mutation: " + ", ".join(f"{k} {n}" for k, n in by_mutation.most_common()))


def capture(folder: Path, dry_run: DryRun) -> int:
    """Record what the server says about each fixture object: {"Kind/name": {...}}."""
    import yaml
    dry_run.ensure_namespace(mm.NAMESPACE)
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        for obj in yaml.safe_load_all(path.read_text()):
            if not isinstance(obj, dict):
                continue
            verdict, message = dry_run.judge(json.loads(json.dumps(obj, default=str)))
            if verdict == "error":
                print(f"error: {path.name}: {obj['kind']}/{obj['metadata']['name']}: {message}",
                      file=sys.stderr)
                return 1
            out[f"{obj['kind']}/{obj['metadata']['name']}"] = {
                "file": path.name, "accepted": verdict == "accepted", "message": message}
    target = folder / "dry-run.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {target}: {len(out)} verdicts")
    return 0


@contextlib.contextmanager
def cluster_kubeconfig(args):
    if args.kubeconfig:
        yield Path(args.kubeconfig)
        return
    from harness.cluster.local import LocalCluster
    cluster = LocalCluster(args.cluster)
    started = cluster.up()
    try:
        yield cluster.kubeconfig
    finally:
        if started and not args.keep:
            cluster.down()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kubeconfig", help="an existing cluster (skips the local one)")
    parser.add_argument("--cluster", default=os.environ.get("K8S_SKILLS_TEST_CLUSTER",
                                                             "validator-bench"))
    parser.add_argument("--keep", action="store_true", help="leave a started cluster running")
    parser.add_argument("--per-operator", type=int, default=3,
                        help="mutants per seed and operator (default 3)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    parser.add_argument("--workers", type=int, default=4, help="parallel dry-runs")
    parser.add_argument("--show", type=int, default=10, help="examples printed per kind")
    parser.add_argument("--json", metavar="FILE", help="write every record to FILE")
    parser.add_argument("--capture", metavar="DIR",
                        help="instead: dry-run every object of DIR/*.yaml and write the "
                             "server's verdicts and messages to DIR/dry-run.json (test "
                             "fixtures)")
    args = parser.parse_args(argv)
    if args.capture:
        with cluster_kubeconfig(args) as kubeconfig:
            return capture(Path(args.capture), DryRun(kubeconfig))
    store, why = load_store(None)
    if store is None:
        print(f"error: schemas: {why}", file=sys.stderr)
        return 2
    with cluster_kubeconfig(args) as kubeconfig:
        dry_run = DryRun(kubeconfig)
        dry_run.ensure_namespace(mm.NAMESPACE)
        cases, stats = build_cases(store, args.per_operator, args.seed, dry_run)
        print(f"{len(cases)} cases built; judging with server-side dry-run ...", file=sys.stderr)
        records = evaluate(cases, dry_run, args.workers)
    if args.json:
        Path(args.json).write_text(json.dumps({"stats": stats, "records": records}, indent=1))
    return report(records, stats, args.show)


if __name__ == "__main__":
    sys.exit(main())
