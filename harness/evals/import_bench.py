"""Import gke-labs/k8s-ai-bench task folders as scenarios.

A task folder holds task.yaml (`script: [{prompt | promptFile}]`, `setup`, `verifier`,
`cleanup`, `difficulty`, `disabled`, `timeout`, `expect: [{contains | notContains}]`,
`isolation`), shell scripts and artifacts/ (format: k8s-ai-bench main.go `Task`, eval.go).
The benchmark hard-codes its namespaces; a scenario gets fresh ones per run, so every name
the task uses for a namespace becomes a logical namespace: `${NS_<NAME>}` in scripts,
`{{ namespaces['<name>'] }}` in the prompt and in artifacts (rendered per run), and the
scripts' own `kubectl create|delete namespace` lines are left to the harness (it creates
the namespaces, labelled, and deletes them). verify.sh becomes a `command` check,
`contains` / `notContains` become `expect` / `expect_not`. The benchmark ships no
reference fixes: a `solution.sh` beside task.yaml (our addition) becomes solution/fix.sh.

Tasks that cannot run on this cluster are imported with `unsupported:` saying why, found
from what their files do (real containers, storage, metrics, NetworkPolicy enforcement,
Gatekeeper, a cluster per task, the whole cluster instead of namespaces).
"""
from __future__ import annotations
from typing import Any

import re
import shutil
from pathlib import Path

import yaml

from harness import yamlio

SYSTEM_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}
SOURCE_URL = "https://github.com/gke-labs/k8s-ai-bench/tree/main/tasks/"
_NAME = r"([a-z0-9]([-a-z0-9]*[a-z0-9])?)"
_KUBECTL_NS = re.compile(rf"(?:\s-n|--namespace)(?:=|\s+)[\"']?{_NAME}")
_CREATE_NS = re.compile(rf"kubectl\s+(?:create|delete)\s+(?:namespace|ns)\s+[\"']?{_NAME}")
_YAML_NS = re.compile(rf"^\s*namespace:\s*[\"']?{_NAME}[\"']?\s*$", re.M)
_VAR_NS = re.compile(rf"^\s*(?:export\s+)?[A-Z_]*NAMESPACE[A-Z_]*=[\"']?{_NAME}[\"']?\s*$", re.M)
# (pattern, why the task cannot run here) over the task's scripts and artifacts.
NEEDS = (
    (r"restartCount|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|kubectl\s+(logs|exec)"
     r"|kubectl\s+run\b|\bcurl\b|\bwget\b|nslookup|Available=False",
     "needs real containers (pulls, crashes, logs, exec or readiness): its pods run on KWOK "
     "nodes that simulate containers, unless they tolerate the real node's taint "
     "k8s-skills.io/node-kind=real, whose registry holds only the local images"),
    (r"PersistentVolumeClaim|storageClassName|volumeClaimTemplates|kind:\s*PersistentVolume\b",
     "needs a volume provisioner (this cluster has none)"),
    (r"HorizontalPodAutoscaler|kubectl\s+(autoscale|top)\b",
     "needs metrics-server (not installed on this cluster)"),
    (r"kind:\s*NetworkPolicy|networkpolic", "needs a CNI that enforces NetworkPolicy"),
    (r"gatekeeper|ConstraintTemplate", "needs OPA Gatekeeper"),
)


def import_tasks(source: Path, out: Path, area: str = "k8s-ai-bench") -> list[dict[str, Any]]:
    """Convert every task folder under `source` (or `source` itself); one result per task."""
    source = Path(source)
    folders = [source] if (source / "task.yaml").is_file() else sorted(
        p for p in source.iterdir() if p.is_dir())
    if not folders:
        raise ValueError(f"{source}: no task folders (folders holding task.yaml)")
    return [import_task(folder, Path(out) / area, area) for folder in folders]


def import_task(folder: Path, out_area: Path, area: str) -> dict[str, Any]:
    name = folder.name
    if not (folder / "task.yaml").is_file():
        return {"task": name, "status": "skipped",
                "unsupported": "not a task folder (no task.yaml; e.g. a suite of its own)"}
    task = yamlio.load((folder / "task.yaml").read_text(encoding="utf-8")) or {}
    sid = _scenario_id(name)
    prompts = _prompts(folder, task)
    texts = _texts(folder, task, prompts)
    namespaces = _namespaces(texts)
    why = _unsupported(task, prompts, texts, namespaces)
    target = out_area / sid
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    logical = {ns: _logical(ns) for ns in sorted(namespaces)}
    scenario = _scenario(sid, area, name, task, prompts, logical, why)
    _copy_files(folder, target, task, logical, scenario)
    (target / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False,
                                                         width=100), encoding="utf-8")
    return {"task": name, "status": "imported", "path": str(target), "unsupported": why,
            "namespaces": logical}


def _scenario_id(name: str) -> str:
    sid = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:50].strip("-")
    return sid or "task"


def _logical(namespace: str) -> str:
    return namespace[:22].strip("-")


def _prompts(folder: Path, task: dict[str, Any]) -> list[str]:
    out = []
    for step in task.get("script") or []:
        if step.get("promptFile"):
            out.append((folder / step["promptFile"]).read_text(encoding="utf-8"))
        elif step.get("prompt"):
            out.append(str(step["prompt"]))
    return out


def _texts(folder: Path, task: dict[str, Any], prompts: list[str]) -> dict[str, str]:
    """Every text file of the task (scripts, artifacts), plus the prompts."""
    texts = {f"prompt{i}": p for i, p in enumerate(prompts)}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "task.yaml":
            try:
                texts[str(path.relative_to(folder))] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def _namespaces(texts: dict[str, str]) -> set[str]:
    """The namespace names a task uses, from kubectl -n/--namespace, create/delete namespace,
    `namespace:` in YAML and NAMESPACE=... shell variables."""
    found = set()
    for name, text in texts.items():
        if name.startswith("prompt"):
            continue
        for line in text.splitlines():
            if "kubectl" in line:
                found |= {m.group(1) for m in _KUBECTL_NS.finditer(line)}
                found |= {m.group(1) for m in _CREATE_NS.finditer(line)}
        found |= {m.group(1) for m in _YAML_NS.finditer(text)}
        found |= {m.group(1) for m in _VAR_NS.finditer(text)}
    return found


def _unsupported(task: dict[str, Any], prompts: list[str], texts: dict[str, Any],
                 namespaces: set[str]) -> str | None:
    reasons = []
    if task.get("disabled"):
        reasons.append("disabled in the benchmark")
    if task.get("isolation") == "cluster":
        reasons.append("needs a cluster of its own per run (isolation: cluster)")
    if not prompts:
        reasons.append("has no prompt")
    if namespaces & SYSTEM_NAMESPACES:
        reasons.append(f"uses namespace {', '.join(sorted(namespaces & SYSTEM_NAMESPACES))}: "
                       "a run works in namespaces of its own")
    if not namespaces - SYSTEM_NAMESPACES:
        reasons.append("names no namespace: a task about the whole cluster cannot be scoped "
                       "to a run's namespaces")
    files = "\n".join(v for k, v in texts.items() if not k.startswith("prompt"))
    for pattern, why in NEEDS:
        if re.search(pattern, files, re.I):
            reasons.append(why)
    return "; ".join(reasons) or None


def _scenario(sid: str, area: str, name: str, task: dict[str, Any], prompts: list[str],
              logical: dict[str, str], why: str | None) -> dict[str, Any]:
    jinja = {ns: f"{{{{ namespaces['{lg}'] }}}}" for ns, lg in logical.items()}
    rendered = [_replace(p, jinja) for p in prompts] or ["(the task has no prompt)"]
    title = " ".join(rendered[0].split())
    data = {"schema_version": 1, "id": sid,
            "title": (title[:117] + "...") if len(title) > 120 else title.ljust(5, "."),
            "area": area, "tags": ["k8s-ai-bench"],
            "difficulty": task.get("difficulty") if task.get("difficulty") in
            ("easy", "medium", "hard") else "medium",
            "source": {"benchmark": "k8s-ai-bench", "task": name, "url": SOURCE_URL + name},
            "namespaces": list(logical.values()) or ["main"],
            "prompt": rendered[0] if len(rendered) == 1 else rendered,
            "setup": {"scripts": [task["setup"]]} if task.get("setup") else {},
            "fault": {}, "checks": []}
    if task.get("verifier"):
        data["checks"] = [{"type": "command", "timeout": 180,
                           "argv": ["bash", "{{ scripts_dir }}/" + task["verifier"]],
                           "why": "the benchmark's verifier"}]
    expect = [_replace(e["contains"], jinja) for e in task.get("expect") or [] if e.get("contains")]
    expect_not = [_replace(e["notContains"], jinja) for e in task.get("expect") or []
                  if e.get("notContains")]
    if expect:
        data["expect"] = expect
    if expect_not:
        data["expect_not"] = expect_not
    if task.get("cleanup"):
        data["cleanup"] = {"scripts": [task["cleanup"]]}
    seconds = _duration(task.get("timeout"))
    if seconds:
        data["budgets"] = {"wall_time": max(10, min(3600, seconds))}
    if why:
        data["unsupported"] = why
    return data


def _copy_files(folder: Path, target: Path, task: dict[str, Any], logical: dict[str, Any], scenario: dict[str, Any]) -> None:
    shell = {ns: "${NS_" + lg.upper().replace("-", "_") + "}" for ns, lg in logical.items()}
    jinja = {ns: f"{{{{ namespaces['{lg}'] }}}}" for ns, lg in logical.items()}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == "task.yaml":
            continue
        rel = path.relative_to(folder)
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            shutil.copy2(path, dest)
            continue
        if path.suffix == ".sh":
            text = _leave_namespaces_to_harness(text, shell)
            text = _replace(text, shell)
        elif rel.parts[0] == "artifacts":
            text = _replace(text, jinja)
        dest.write_text(text, encoding="utf-8")
    solution = target / "solution.sh"
    if solution.is_file():
        (target / "solution").mkdir(exist_ok=True)
        solution.rename(target / "solution" / "fix.sh")


def _leave_namespaces_to_harness(text: str, shell: dict[str, Any]) -> str:
    """`kubectl create|delete namespace X ...` of a task namespace: the harness does it."""
    def neutral(match: re.Match[str]) -> str:
        if match.group(1) not in shell:
            return str(match.group(0))   # typeshed: str | Any
        return f"true  # k8s-skills: the harness creates and deletes namespace {match.group(1)}"
    pattern = re.compile(rf"kubectl\s+(?:create|delete)\s+(?:namespace|ns)\s+[\"']?{_NAME}"
                         r"[\"']?[^;&|\n]*")
    return pattern.sub(neutral, text)


def _replace(text: str, names: dict[str, str]) -> str:
    """Whole-token replacement of each namespace name (longest first).

    >>> _replace("kubectl get pods -n web; echo web-app", {"web": "${NS_WEB}"})
    'kubectl get pods -n ${NS_WEB}; echo web-app'
    """
    for name in sorted(names, key=len, reverse=True):
        value = names[name]   # a function, so that re.sub reads no escapes in the value
        text = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(name)}(?![A-Za-z0-9_-])",
                      lambda _m: value, text)
    return text


def _duration(value: object) -> int | None:
    """Go duration strings as seconds.

    >>> _duration("10m"), _duration("1h30m"), _duration("45s"), _duration(None)
    (600, 5400, 45, None)
    """
    if not value:
        return None
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", str(value))
    return int(sum(float(n) * units[u] for n, u in parts)) or None
