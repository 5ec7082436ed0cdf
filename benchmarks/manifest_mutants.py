"""Seeds and mutants for the validator-vs-apiserver benchmark.

Seeds are valid-looking manifests from three places: the skills' generators (run as a
user runs them), the repository's scenarios, and upstream examples shipped inside the
pinned Go modules (Kueue, Gateway API, LeaderWorkerSet, Kubernetes test fixtures).
Mutants change one thing each, the kinds of mistakes people make: drop a field, rename a
key, change a type, break an enum, push a value past a limit, mismatch a selector, break a
CEL rule's premise, or a semantic rule (duplicate names, requests above limits, ...).
Whether a mutant is valid is NOT decided here: the apiserver decides (dry-run).
"""
from __future__ import annotations

import copy
import json
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SKILLS = ROOT / "skills"
NAMESPACE = "validator-bench"
DROP_META = ("resourceVersion", "uid", "creationTimestamp", "managedFields", "generation",
             "selfLink", "deletionTimestamp", "ownerReferences")
ENUM_FIELDS = {"restartPolicy", "imagePullPolicy", "protocol", "dnsPolicy", "type",
               "sessionAffinity", "concurrencyPolicy", "completionMode", "podManagementPolicy",
               "operator", "effect", "allocationMode", "externalTrafficPolicy",
               "queueingStrategy", "whenCanBorrow", "whenCanPreempt", "reclaimWithinCohort",
               "withinClusterQueue", "stopPolicy", "failureMode", "policy", "mode",
               "terminationMessagePolicy", "unhealthyPodEvictionPolicy"}


@dataclass
class Case:
    """One object to judge: a seed (mutation "none") or one mutant of a seed."""
    id: str
    obj: dict
    seed: str
    mutation: str
    detail: str

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind"))


# ---------------------------------------------------------------- seeds

def _run(script: str, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SKILLS / script), *args], capture_output=True,
                          text=True, timeout=120)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        return []
    out = proc.stdout
    if "apiVersion" not in out:
        return []
    try:
        return [d for d in yaml.safe_load_all(out) if isinstance(d, dict)]
    except yaml.YAMLError:
        return []


GENERATORS = [
    ("k8s-manifests/scripts/generate.py", ["deployment", "--name", "web", "--image",
                                           "nginx:1.27", "--port", "8080", "--with",
                                           "service,pdb,hpa", "-o", "-"]),
    ("k8s-manifests/scripts/generate.py", ["statefulset", "--name", "db", "--image",
                                           "postgres:16", "--port", "5432", "-o", "-"]),
    ("k8s-manifests/scripts/generate.py", ["job", "--name", "batch", "--image", "busybox:1.36",
                                           "--indexed", "--completions", "4", "-o", "-"]),
    ("k8s-manifests/scripts/generate.py", ["llm-inference", "--name", "qwen", "-o", "-"]),
    ("k8s-manifests/scripts/generate.py", ["training-job", "--name", "train", "--world-size",
                                           "2", "--gpus", "2", "-o", "-"]),
    ("k8s-manifests/scripts/generate.py", ["configmap", "--name", "cfg", "-o", "-"]),
    ("k8s-kueue/scripts/make_queue.py", ["flavor", "h100", "--node-label",
                                         "cloud.example.com/accelerator=h100", "--taint",
                                         "nvidia.com/gpu=present:NoSchedule"]),
    ("k8s-kueue/scripts/make_queue.py", ["cluster-queue", "team-a", "--flavor", "h100",
                                         "--quota", "cpu=64,memory=512Gi,nvidia.com/gpu=8",
                                         "--cohort", "pool", "--borrowing-limit",
                                         "nvidia.com/gpu=8", "--lending-limit", "cpu=32"]),
    ("k8s-kueue/scripts/make_queue.py", ["cluster-queue", "team-b", "--api", "v1beta1",
                                         "--flavor", "default", "--quota", "cpu=8,memory=32Gi"]),
    ("k8s-kueue/scripts/make_queue.py", ["local-queue", "team-a", "-n", NAMESPACE,
                                         "--cluster-queue", "team-a"]),
    ("k8s-kueue/scripts/make_queue.py", ["cohort", "pool"]),
    ("k8s-kueue/scripts/make_queue.py", ["topology", "default", "--levels",
                                         "cloud.example.com/block,kubernetes.io/hostname"]),
    ("k8s-kueue/scripts/make_queue.py", ["job", "train", "-n", NAMESPACE, "--queue", "team-a",
                                         "--gpus", "2", "--replicas", "2"]),
    ("k8s-kueue/scripts/make_queue.py", ["job", "gang", "-n", NAMESPACE, "--queue", "team-a",
                                         "--replicas", "2", "--kind", "JobSet"]),
    ("k8s-dra/scripts/make_claim.py", ["--name", "gpus", "--class", "gpu.nvidia.com",
                                       "--count", "2", "--wire", "job"]),
    ("k8s-dra/scripts/make_claim.py", ["--name", "pair", "--class", "gpu.nvidia.com",
                                       "--count", "2", "--same-attribute",
                                       "resource.kubernetes.io/pcieRoot", "--kind", "claim"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["expose", "llama-3-8b", "-n", NAMESPACE,
                                                "--gateway", "infra/inference-gw", "--path",
                                                "/api/v1/chat", "--timeout", "30s"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["route", "chat", "-n", NAMESPACE, "--gateway",
                                                "infra/gw", "--backend", "svc/vllm:8000"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["pool", "llama", "-n", NAMESPACE, "--selector",
                                                "app=llama", "--port", "8000", "--epp",
                                                "llama-epp"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["gateway", "inference-gw", "-n", NAMESPACE,
                                                "--class", "eg", "--tls-secret", "gw-cert"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["grant", "-n", NAMESPACE, "--from-namespace",
                                                "llm", "--to-kind", "InferencePool"]),
    ("k8s-gateway-gaie/scripts/make_route.py", ["backend-tls", "vllm-tls", "-n", NAMESPACE,
                                                "--service", "vllm", "--hostname",
                                                "vllm.llm.svc", "--ca-configmap", "vllm-ca"]),
]

UPSTREAM = [  # (module key, glob) inside the pinned module folders
    ("kueue", "cmd/kueueviz/examples/*.yaml"),
    ("gateway-api", "examples/standard/**/*.yaml"),
    ("gateway-api", "examples/experimental/**/*.yaml"),
    ("leaderworkerset", "docs/examples/**/*.yaml"),
    ("kubernetes", "test/fixtures/doc-yaml/**/*.yaml"),
    ("kubernetes", "test/e2e/testing-manifests/**/*.yaml"),
]


def generated_seeds() -> list[tuple[str, dict]]:
    out = []
    for n, (script, args) in enumerate(GENERATORS):
        for i, obj in enumerate(_run(script, *args)):
            out.append((f"gen:{Path(script).stem}:{n}:{args[0]}:{i}", obj))
    return out


def repo_seeds() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        if path.name == "scenario.yaml":
            continue
        out += [(f"repo:{path.relative_to(ROOT)}:{i}", d) for i, d in enumerate(_load(path))]
    return out


def upstream_seeds(module_dirs: dict[str, Path]) -> list[tuple[str, dict]]:
    out = []
    for key, pattern in UPSTREAM:
        base = module_dirs.get(key)
        if base is None:
            continue
        for path in sorted(base.glob(pattern)):
            out += [(f"upstream:{key}:{path.relative_to(base)}:{i}", d)
                    for i, d in enumerate(_load(path))]
    return out


def _load(path: Path) -> list[dict]:
    """Documents of a file; scenario templates ({{ ns }}, {{ prefix }}) are filled in."""
    try:
        text = re.sub(r"{{\s*(\w+)\s*}}", lambda m: NAMESPACE if m.group(1) == "ns" else "vb",
                      path.read_text())
        docs = list(yaml.safe_load_all(text))
    except (yaml.YAMLError, UnicodeDecodeError):
        return []
    out = []
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind", "").endswith("List") and "items" in doc:
            out += [d for d in doc["items"] if isinstance(d, dict)]
        elif isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind"):
            out.append(doc)
    return out


def normalize(obj: dict, name: str, scope: str | None) -> dict | None:
    """A seed made ready for dry-run: our namespace, a unique valid name, no status."""
    obj = json.loads(json.dumps(obj, default=str))  # YAML dates -> strings, as kubectl sends
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        return None
    for key in DROP_META:
        meta.pop(key, None)
    meta.pop("generateName", None)
    meta["name"] = name
    if scope == "Namespaced":
        meta["namespace"] = NAMESPACE
    else:
        meta.pop("namespace", None)
    obj.pop("status", None)
    return obj


# ---------------------------------------------------------------- walking objects

def paths(value, prefix=()) -> list[tuple]:
    """Every path to a value below the root (keys and list indexes)."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(prefix + (key,))
            out += paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.append(prefix + (i,))
            out += paths(item, prefix + (i,))
    return out


def get(obj, path):
    for part in path:
        obj = obj[part]
    return obj


def parent(obj, path):
    return get(obj, path[:-1]), path[-1]


def _editable(path: tuple) -> bool:
    """Leave apiVersion/kind/metadata.name/namespace alone: every mutant must stay routable."""
    if path[:1] in (("apiVersion",), ("kind",)):
        return False
    return path[:2] not in (("metadata", "name"), ("metadata", "namespace")) and \
        path != ("metadata",)


def schema_at(store, obj: dict, path: tuple):
    """The compiled schema node for `path` (or None)."""
    from k8s_skillkit.admission.crd import resolve
    node = store.schema_for(obj["apiVersion"], obj["kind"])
    defs = store.definitions
    for part in path:
        node = resolve(node, defs)
        if isinstance(part, int):
            node = node.get("items")
        else:
            props = node.get("properties") or {}
            extra = node.get("additionalProperties")
            node = props.get(part, extra if isinstance(extra, dict) else None)
        if node is None:
            return None
    return resolve(node, defs)


# ---------------------------------------------------------------- mutation operators

def drop_field(obj, rng, store):
    choices = [p for p in paths(obj) if _editable(p)]
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    del holder[key]
    return "drop_field", "/".join(map(str, path))


def drop_required(obj, rng, store):
    choices = []
    for path in paths(obj):
        node = schema_at(store, obj, path[:-1]) if path else None
        if node and isinstance(path[-1], str) and path[-1] in (node.get("required") or []) \
                and _editable(path):
            choices.append(path)
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    del holder[key]
    return "drop_required", "/".join(map(str, path))


def rename_key(obj, rng, store):
    choices = [p for p in paths(obj) if isinstance(p[-1], str) and _editable(p)]
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    new = rng.choice([key + "s", key[:1].upper() + key[1:], key.lower().replace("_", ""),
                      key[:-1] if len(key) > 3 else key + "x"])
    if new == key or new in holder:
        new = key + "x"
    holder[new] = holder.pop(key)
    return "rename_key", f"{'/'.join(map(str, path))} -> {new}"


def change_type(obj, rng, store):
    choices = [p for p in paths(obj) if _editable(p)]
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    value = holder[key]
    if isinstance(value, bool):
        holder[key] = rng.choice(["yes", 1])
    elif isinstance(value, int):
        holder[key] = rng.choice(["many", str(value), [value]])
    elif isinstance(value, str):
        holder[key] = rng.choice([42, True, [value], {"value": value}])
    elif isinstance(value, list):
        holder[key] = rng.choice([{}, "x", value[0] if value else 0])
    elif isinstance(value, dict):
        holder[key] = rng.choice([[value], "x", 1])
    else:
        return None
    return "change_type", "/".join(map(str, path))


def break_enum(obj, rng, store):
    choices = []
    for path in paths(obj):
        if not _editable(path) or not isinstance(get(obj, path), str):
            continue
        node = schema_at(store, obj, path)
        if node and node.get("enum") or isinstance(path[-1], str) and path[-1] in ENUM_FIELDS:
            choices.append(path)
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    holder[key] = rng.choice(["Invalid", holder[key].lower(), holder[key] + "X", ""])
    return "break_enum", "/".join(map(str, path))


def exceed_limit(obj, rng, store):
    choices = [p for p in paths(obj) if _editable(p) and (
        isinstance(get(obj, p), (int, list, str)) and not isinstance(get(obj, p), bool))]
    if not choices:
        return None
    path = rng.choice(choices)
    holder, key = parent(obj, path)
    value = holder[key]
    node = schema_at(store, obj, path) or {}
    if isinstance(value, int):
        limit = node.get("maximum")
        holder[key] = rng.choice([-1, -value - 1, 70000, 2 ** 31 + 7,
                                  (limit + 1) if isinstance(limit, int) else 0])
    elif isinstance(value, list):
        if not value:
            return None
        size = node.get("maxItems") or len(value) + 1
        holder[key] = (value * (int(size) // len(value) + 2))[: int(size) + 1]
    else:
        size = node.get("maxLength") or 64
        holder[key] = (value or "a") * (int(size) // max(len(value), 1) + 2)
    return "exceed_limit", "/".join(map(str, path))


def mismatch_selector(obj, rng, store):
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else None
    labels = (((spec or {}).get("template") or {}).get("metadata") or {}).get("labels")
    if not isinstance(labels, dict) or not labels:
        return None
    key = rng.choice(sorted(labels))
    labels[key] = str(labels[key]) + "-other"
    return "mismatch_selector", f"spec/template/metadata/labels/{key}"


def semantic(obj, rng, store):
    """Rules no schema expresses: duplicate names, bad names, limits, modes, quotas."""
    ops = [op for op in (_dup_container, _dup_port, _gpu_request_only, _request_above_limit,
                         _bad_label_value, _bad_name_case, _pdb_both, _indexed_no_completions,
                         _zero_rollout, _liveness_success, _flavor_order, _borrow_no_cohort,
                         _lend_above_nominal) if op(copy.deepcopy(obj)) is not None]
    if not ops:
        return None
    op = rng.choice(ops)
    detail = op(obj)
    return "semantic", detail


def _containers(obj):
    spec = obj.get("spec") or {}
    for candidate in (spec, spec.get("template", {}).get("spec") if isinstance(
            spec.get("template"), dict) else None,
                      (spec.get("jobTemplate") or {}).get("spec", {}).get("template", {})
                      .get("spec") if isinstance(spec.get("jobTemplate"), dict) else None):
        if isinstance(candidate, dict) and isinstance(candidate.get("containers"), list) \
                and candidate["containers"]:
            return candidate["containers"]
    return None


def _dup_container(obj):
    ctrs = _containers(obj)
    if not ctrs:
        return None
    ctrs.append(copy.deepcopy(ctrs[0]))
    return "duplicate container name"


def _dup_port(obj):
    ctrs = _containers(obj)
    if not ctrs or not ctrs[0].get("ports") or not ctrs[0]["ports"][0].get("name"):
        return None
    extra = dict(ctrs[0]["ports"][0], containerPort=ctrs[0]["ports"][0]["containerPort"] + 1)
    ctrs[0]["ports"].append(extra)
    return "duplicate port name"


def _gpu_request_only(obj):
    ctrs = _containers(obj)
    if not ctrs:
        return None
    res = ctrs[0].setdefault("resources", {})
    res.setdefault("requests", {})["example.com/gpu"] = "1"
    (res.get("limits") or {}).pop("example.com/gpu", None)
    return "extended resource requested without a limit"


def _request_above_limit(obj):
    ctrs = _containers(obj)
    if not ctrs:
        return None
    res = ctrs[0].setdefault("resources", {})
    res.setdefault("limits", {})["memory"] = "1Gi"
    res.setdefault("requests", {})["memory"] = "2Gi"
    return "memory request above limit"


def _bad_label_value(obj):
    obj["metadata"].setdefault("labels", {})["team"] = "a b"
    return "label value with a space"


def _bad_name_case(obj):
    obj["metadata"]["name"] = obj["metadata"]["name"].upper()
    return "upper-case name"


def _pdb_both(obj):
    if obj.get("kind") != "PodDisruptionBudget":
        return None
    obj["spec"]["minAvailable"], obj["spec"]["maxUnavailable"] = 1, 1
    return "PDB with minAvailable and maxUnavailable"


def _indexed_no_completions(obj):
    if obj.get("kind") != "Job":
        return None
    obj["spec"]["completionMode"] = "Indexed"
    obj["spec"].pop("completions", None)
    return "Indexed Job without completions"


def _zero_rollout(obj):
    if obj.get("kind") != "Deployment":
        return None
    obj["spec"]["strategy"] = {"type": "RollingUpdate",
                               "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}
    return "maxSurge and maxUnavailable both 0"


def _liveness_success(obj):
    ctrs = _containers(obj)
    if not ctrs or not isinstance(ctrs[0].get("livenessProbe"), dict):
        return None
    ctrs[0]["livenessProbe"]["successThreshold"] = 2
    return "liveness successThreshold 2"


def _quota_rows(obj):
    if obj.get("kind") not in ("ClusterQueue", "Cohort"):
        return None
    groups = (obj.get("spec") or {}).get("resourceGroups") or []
    rows = [f for g in groups for f in g.get("flavors") or []]
    return rows or None


def _flavor_order(obj):
    rows = _quota_rows(obj)
    if not rows or len(rows[0].get("resources") or []) < 2:
        return None
    rows[0]["resources"].reverse()
    return "flavor resources not in coveredResources order"


def _borrow_no_cohort(obj):
    rows = _quota_rows(obj)
    if not rows or obj.get("kind") != "ClusterQueue":
        return None
    obj["spec"].pop("cohortName", None)
    obj["spec"].pop("cohort", None)
    rows[0]["resources"][0]["borrowingLimit"] = "1"
    return "borrowingLimit without a cohort"


def _lend_above_nominal(obj):
    rows = _quota_rows(obj)
    if not rows or obj.get("kind") != "ClusterQueue":
        return None
    row = rows[0]["resources"][0]
    row["lendingLimit"] = "1000000"
    obj["spec"].setdefault("cohortName" if "v1beta2" in obj["apiVersion"] else "cohort", "pool")
    return "lendingLimit above nominalQuota"


def violate_rule(obj, rng, store):
    """Perturb the subtree of a node that carries x-kubernetes-validations rules."""
    sites = [p for p in [()] + paths(obj)
             if (schema_at(store, obj, p) or {}).get("x-kubernetes-validations")
             and isinstance(get(obj, p), (dict, list))]
    if not sites:
        return None
    site = rng.choice(sites)
    inner = [site + q for q in paths(get(obj, site)) if _editable(site + q)]
    if not inner:
        return None
    path = rng.choice(inner)
    holder, key = parent(obj, path)
    value = holder[key]
    if isinstance(holder, list) and rng.random() < 0.5:
        holder.append(copy.deepcopy(value))
    elif isinstance(value, str) and rng.random() < 0.5:
        holder[key] = rng.choice(["", "//x", value + "/..", "*.bad", "TryNextFlavor", "Never"])
    elif isinstance(value, int) and not isinstance(value, bool):
        holder[key] = value + rng.choice([1, -1, 100])
    else:
        del holder[key]
    return "violate_rule", "/".join(map(str, path))


OPERATORS = [drop_field, drop_required, rename_key, change_type, break_enum, exceed_limit,
             mismatch_selector, semantic, violate_rule]


def mutants(seed_id: str, obj: dict, store, rng: random.Random, per_operator: int) -> list[Case]:
    out, seen = [], {json.dumps(obj, sort_keys=True)}
    for op in OPERATORS:
        for n in range(per_operator):
            mutant = copy.deepcopy(obj)
            try:
                result = op(mutant, rng, store)
            except (KeyError, IndexError, TypeError, AttributeError):
                result = None  # the operator does not apply to this shape
            key = json.dumps(mutant, sort_keys=True, default=str)
            if result is None or key in seen:
                continue
            seen.add(key)
            kind, detail = result
            out.append(Case(f"{seed_id}#{op.__name__}{n}", mutant, seed_id, kind, detail))
    return out
