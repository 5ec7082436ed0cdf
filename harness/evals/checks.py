"""The check registry: declared data `{type: ..., ...}` turned into a probe of the cluster.

A probe returns (holds, detail) and raises InfraError when it cannot tell. `evaluate`
polls every check together until each holds or its own timeout passes, so a run costs
the longest timeout, not their sum. An unknown type names the types that exist.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, TypeVar

from harness.evals import paths
from harness.evals.errors import InfraError
from harness.evals.model import CheckResult, Status

if TYPE_CHECKING:
    from harness.evals.kube import Kube

# (holds, detail); "error" when the probe could not tell (InfraError)
Outcome = tuple[bool | Literal["error"], str]
F = TypeVar("F", bound=Callable[..., Outcome])   # a probe: (kube, spec, env[, memory])
DEFAULT_TIMEOUT = 20.0
POLL_INTERVAL = 1.0
OPS = ("eq", "ne", "exists", "absent", "gte", "lte", "gt", "lt", "contains", "matches",
       "not_matches")


@dataclass(frozen=True)
class CheckType:
    name: str
    probe: Callable[..., Outcome]   # (kube, spec, env[, memory])
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    doc: str = ""
    # A windowed check remembers what it saw on earlier polls of the same evaluation
    # (`stable`, `pods_ready`): its probe takes a 4th argument, a dict kept per spec.
    windowed: bool = False


REGISTRY: dict[str, CheckType] = {}
COMMON = ("type", "timeout", "why")


def register(name: str, required: Iterable[str] = (), optional: Iterable[str] = (),
             windowed: bool = False) -> Callable[[F], F]:
    def wrap(fn: F) -> F:
        REGISTRY[name] = CheckType(name, fn, tuple(required), tuple(optional),
                                   (fn.__doc__ or "").strip().splitlines()[0], windowed)
        return fn
    return wrap


def lookup(name: object) -> CheckType:
    """The registered check type `name` (any value read from a scenario file)."""
    if not isinstance(name, str) or name not in REGISTRY:  # a list or dict is no key either
        raise KeyError(f"unknown check type {name!r}; known types: "
                       f"{', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def spec_problem(spec: dict[str, Any]) -> tuple[str, str] | None:
    """(field, problem) when a check spec is wrong for its type, else None."""
    try:
        ctype = lookup(spec.get("type"))
    except KeyError as err:
        return "type", err.args[0]
    for name in ctype.required:
        if name not in spec:
            return name, f"is required for check type {ctype.name!r}"
    allowed = set(COMMON) | set(ctype.required) | set(ctype.optional)
    for name in spec:
        if name not in allowed:
            return name, (f"unknown field for check type {ctype.name!r}; allowed: "
                          f"{', '.join(sorted(allowed - set(COMMON)))}")
    if "op" in spec and spec["op"] not in OPS:
        return "op", f"unknown op {spec['op']!r}; known: {', '.join(OPS)}"
    if "path" in spec and "path" in ctype.required:  # an object path (`http` has URL paths)
        try:
            paths.parse(spec["path"])
        except ValueError as err:
            return "path", str(err)
    if ctype.windowed:
        return _window_problem(spec)
    return None


def _window_problem(spec: dict[str, Any]) -> tuple[str, str] | None:
    """A window longer than the check's timeout could never hold."""
    window = float(spec.get("for", spec.get("stable_for", 0)))
    timeout = float(spec.get("timeout", DEFAULT_TIMEOUT))
    if window > timeout:
        return "timeout", (f"{timeout:g} s is shorter than the {window:g} s the check must "
                           "hold for: it could never pass")
    if spec["type"] == "stable":
        inner = spec.get("check")
        if not isinstance(inner, dict):
            return "check", "must be one check (a mapping with a `type`)"
        problem = spec_problem(inner)
        if problem:
            return f"check.{problem[0]}", problem[1]
    return None


def describe(spec: dict[str, Any]) -> str:
    """One line naming what a check looks at: `condition clusterqueue/x Active`."""
    if spec["type"] == "stable" and isinstance(spec.get("check"), dict):
        return f"stable {float(spec.get('for', 10)):g}s: {describe(spec['check'])}"
    bits = [spec["type"]]
    if "kind" in spec:
        bits.append(f"{spec['kind']}/{spec.get('name', spec.get('selector', '*'))}")
    elif "name" in spec:
        bits.append(str(spec["name"]))
    for key in ("owner", "pod", "selector", "condition", "path", "phase", "service", "pods",
                "gateway", "backend", "subject", "verb", "resource"):
        if key in spec and not (key == "selector" and "kind" in spec):
            bits.append(f"{key}={spec[key]}")
    if "namespace" in spec:
        bits.append(f"-n {spec['namespace']}")
    return " ".join(str(b) for b in bits)


# --- evaluation ------------------------------------------------------------------------

def evaluate(kube: Kube, specs: list[dict[str, Any]], default_timeout: float = DEFAULT_TIMEOUT,
             env: dict[str, Any] | None = None,
             sleep: Callable[[float], None] = time.sleep) -> list[CheckResult]:
    """Poll all checks until each holds or times out; one result per spec, in order
    (`seconds`: the time it took to settle)."""
    start = time.monotonic()
    results: list[CheckResult | None] = [None] * len(specs)
    last: list[Outcome] = [(False, "not evaluated")] * len(specs)
    memory: list[dict[str, Any]] = [{} for _ in specs]
    while True:
        for i, spec in enumerate(specs):
            if results[i] is None:
                last[i] = probe_once(kube, spec, env, memory[i])
                elapsed = time.monotonic() - start
                timeout = float(spec.get("timeout", default_timeout))
                if last[i][0] is True or last[i][0] == "error" or elapsed >= timeout:
                    results[i] = _result(spec, last[i], elapsed)
        done = [r for r in results if r is not None]
        if len(done) == len(specs):
            return done
        sleep(POLL_INTERVAL)


def probe_once(kube: Kube, spec: dict[str, Any], env: dict[str, Any] | None,
               memory: dict[str, Any] | None = None) -> Outcome:
    """One probe of one check: (holds, detail), or ("error", why) when it cannot tell.
    `memory` is the windowed checks' state between polls of one evaluation."""
    ctype = lookup(spec["type"])
    try:
        if ctype.windowed:
            return ctype.probe(kube, spec, env or {}, {} if memory is None else memory)
        return ctype.probe(kube, spec, env or {})
    except InfraError as err:
        return "error", str(err)


def _result(spec: dict[str, Any], outcome: Outcome, elapsed: float) -> CheckResult:
    holds, detail = outcome
    status: Status = "error" if holds == "error" else ("pass" if holds else "fail")
    return CheckResult(describe(spec), spec, status, detail, round(elapsed, 2))


def compare(actual: object, op: str, expected: object) -> bool:
    """Compare a read value (maybe paths.MISSING) with the expected one.

    >>> compare("8", "gte", 4), compare(None, "exists", None), compare("a", "ne", "b")
    (True, False, True)
    """
    if op == "exists":
        return actual is not paths.MISSING and actual is not None
    if op == "absent":
        return actual is paths.MISSING or actual is None
    if actual is paths.MISSING:
        return op in ("ne", "not_matches")
    if op in ("eq", "ne"):
        same = actual == expected or (not isinstance(actual, (dict, list))
                                      and str(actual) == str(expected))
        return same if op == "eq" else not same
    if op == "contains":
        return expected in actual if isinstance(actual, (list, str, dict)) else False
    if op in ("matches", "not_matches"):
        found = re.search(str(expected), json.dumps(actual) if isinstance(actual, (list, dict))
                          else str(actual)) is not None
        return found if op == "matches" else not found
    a, e = paths.number(actual), paths.number(expected)
    if a is None or e is None:
        return False
    return {"gte": a >= e, "lte": a <= e, "gt": a > e, "lt": a < e}[op]


def _show(value: object) -> str:
    return "<missing>" if value is paths.MISSING else repr(value)[:200]


def _need(kube: Kube, kind: str, name: str, namespace: str | None
          ) -> tuple[dict[str, Any] | None, str]:
    obj = kube.get(kind, name, namespace)
    where = f"{kind}/{name}" + (f" in {namespace}" if namespace else "")
    return obj, where


def conditions_of(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c.get("type"): c for c in (obj.get("status", {}) or {}).get("conditions", []) or []}


# --- the registry ----------------------------------------------------------------------

@register("exists", required=("kind", "name"), optional=("namespace",))
def _exists(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The object exists (and is not being deleted)."""
    obj, where = _need(kube, spec["kind"], spec["name"], spec.get("namespace"))
    if obj is None:
        return False, f"{where} not found"
    if obj["metadata"].get("deletionTimestamp"):
        return False, f"{where} is being deleted"
    return True, f"{where} exists"


@register("absent", required=("kind", "name"), optional=("namespace",))
def _absent(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The object does not exist."""
    obj, where = _need(kube, spec["kind"], spec["name"], spec.get("namespace"))
    return obj is None, f"{where} {'absent' if obj is None else 'still exists'}"


@register("field", required=("kind", "name", "path"), optional=("namespace", "op", "value"))
def _field(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A field of one object compares to a value (op: eq by default)."""
    obj, where = _need(kube, spec["kind"], spec["name"], spec.get("namespace"))
    if obj is None:
        return False, f"{where} not found"
    op = spec.get("op", "eq")
    actual = paths.read(obj, spec["path"])
    ok = compare(actual, op, spec.get("value"))
    return ok, f"{where} {spec['path']} = {_show(actual)} ({op} {spec.get('value')!r})"


@register("condition", required=("kind", "name", "condition"),
          optional=("namespace", "status", "reason"))
def _condition(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """status.conditions[type=condition] has the status (default "True")."""
    obj, where = _need(kube, spec["kind"], spec["name"], spec.get("namespace"))
    if obj is None:
        return False, f"{where} not found"
    cond = conditions_of(obj).get(spec["condition"])
    want = str(spec.get("status", "True"))
    if cond is None:
        return False, f"{where} has no {spec['condition']} condition"
    ok = cond.get("status") == want and (not spec.get("reason")
                                         or cond.get("reason") == spec["reason"])
    return ok, (f"{where} {spec['condition']}={cond.get('status')} "
                f"({cond.get('reason', '')}: {cond.get('message', '')[:200]})")


@register("count", required=("kind", "op", "value"),
          optional=("namespace", "selector", "all_namespaces"))
def _count(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """How many objects of a kind (with a label selector) exist, compared to a value."""
    items = kube.list(spec["kind"], spec.get("namespace"), spec.get("selector"),
                      bool(spec.get("all_namespaces")))
    items = [i for i in items if not i["metadata"].get("deletionTimestamp")]
    ok = compare(len(items), spec["op"], spec["value"])
    return ok, f"{len(items)} {spec['kind']} ({spec['op']} {spec['value']})"


@register("pod_phase", required=("namespace",),
          optional=("selector", "name", "phase", "count", "all", "ready", "reason"))
def _pod_phase(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """At least `count` (default 1) matching pods are in `phase` (default Running); `ready`
    also wants Ready=True, `reason` a regex on why (waiting reason, scheduling message),
    `all` wants every matching pod so."""
    if spec.get("name"):
        pod = kube.get("pod", spec["name"], spec["namespace"])
        pods = [pod] if pod else []
    else:
        pods = kube.list("pods", spec["namespace"], spec.get("selector"))
    pods = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    phase = spec.get("phase", "Running")
    good = [p for p in pods if p.get("status", {}).get("phase") == phase and (
        not spec.get("ready") or conditions_of(p).get("Ready", {}).get("status") == "True")
        and (not spec.get("reason") or re.search(spec["reason"], " ".join(pod_reasons(p))))]
    want = int(spec.get("count", 1))
    ok = len(good) >= want and (not spec.get("all") or len(good) == len(pods))
    phases = sorted({p.get("status", {}).get("phase", "?") for p in pods})
    reasons = sorted({r for p in pods for r in pod_reasons(p)})
    return ok, (f"{len(good)}/{len(pods)} pods {phase}{' and Ready' if spec.get('ready') else ''}"
                f" (want >= {want}); phases {phases}"
                + (f"; {'; '.join(reasons)[:300]}" if reasons else ""))


def pod_reasons(pod: dict[str, Any]) -> list[str]:
    """Why a pod is not fine: container waiting reasons, how its containers last ended
    (`OOMKilled`, `Error`, `exit 139`), and the scheduler's message."""
    reasons = []
    for cs in pod.get("status", {}).get("containerStatuses", []) or []:
        waiting = (cs.get("state") or {}).get("waiting")
        if waiting:
            reasons.append(waiting.get("reason", "?"))
        for state in ((cs.get("state") or {}).get("terminated"),
                      (cs.get("lastState") or {}).get("terminated")):
            if state:
                reasons.append(f"{state.get('reason', 'Terminated')} "
                               f"(exit {state.get('exitCode', '?')})")
    cond = conditions_of(pod).get("PodScheduled", {})
    if cond.get("status") == "False":
        reasons.append(f"{cond.get('reason', 'Unschedulable')}: {cond.get('message', '')[:160]}")
    return reasons


@register("workload_admitted", required=("namespace", "owner"), optional=("owner_kind",))
def _workload_admitted(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The Kueue Workload owned by `owner` (a Job, JobSet, ...) is Admitted."""
    kind = spec.get("owner_kind", "Job")
    workloads = [w for w in kube.list("workloads.kueue.x-k8s.io", spec["namespace"])
                 if any(o.get("name") == spec["owner"] and o.get("kind") == kind
                        for o in w["metadata"].get("ownerReferences", []))]
    if not workloads:
        return False, f"no Workload owned by {kind}/{spec['owner']}"
    conds = conditions_of(workloads[-1])
    admitted = conds.get("Admitted", {})
    if admitted.get("status") == "True":
        return True, f"Workload {workloads[-1]['metadata']['name']} admitted"
    pending = conds.get("QuotaReserved", {}) or admitted
    return False, (f"Workload {workloads[-1]['metadata']['name']} not admitted: "
                   f"{pending.get('message', 'no condition yet')[:240]}")


@register("claim_allocated", required=("namespace",), optional=("name", "pod", "min_devices"))
def _claim_allocated(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A ResourceClaim (by name, or every claim of a pod selector `pod`) is allocated."""
    if spec.get("name"):
        claim = kube.get("resourceclaims.resource.k8s.io", spec["name"], spec["namespace"])
        claims = [claim] if claim else []
    else:
        claims = kube.list("resourceclaims.resource.k8s.io", spec["namespace"])
        if spec.get("pod"):
            pods = {p["metadata"]["name"] for p in kube.list("pods", spec["namespace"],
                                                              spec["pod"])}
            claims = [c for c in claims if any(o.get("kind") == "Pod" and o.get("name") in pods
                                               for o in c["metadata"].get("ownerReferences", []))]
    if not claims:
        return False, "no matching ResourceClaim"
    want = int(spec.get("min_devices", 1))
    bad = [c["metadata"]["name"] for c in claims
           if len(((c.get("status") or {}).get("allocation") or {}).get("devices", {})
                  .get("results", [])) < want]
    if bad:
        return False, f"{len(bad)}/{len(claims)} claims not allocated: {', '.join(bad[:3])}"
    return True, f"{len(claims)} claims allocated (>= {want} devices each)"


@register("route_accepted", required=("name", "namespace"), optional=("kind",))
def _route_accepted(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """A Gateway API route is Accepted by at least one parent."""
    kind = spec.get("kind", "httproutes.gateway.networking.k8s.io")
    obj, where = _need(kube, kind, spec["name"], spec["namespace"])
    if obj is None:
        return False, f"{where} not found"
    for parent in (obj.get("status") or {}).get("parents", []) or []:
        for cond in parent.get("conditions", []) or []:
            if cond.get("type") == "Accepted" and cond.get("status") == "True":
                return True, f"{where} accepted by {parent.get('parentRef', {}).get('name')}"
    return False, f"{where} not accepted by any parent"


@register("command", required=("argv",), optional=("exit_code",))
def _command(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """Escape hatch: a command (argv list, KUBECONFIG set) exits with `exit_code` (0)."""
    full_env = {**kube.shell_env(), **env}
    import os
    try:
        proc = subprocess.run([str(a) for a in spec["argv"]], capture_output=True, text=True,
                              timeout=max(30.0, float(spec.get("timeout", 0))),
                              env={**os.environ, **full_env})
    except (OSError, subprocess.TimeoutExpired) as err:
        raise InfraError(f"command {spec['argv'][0]}: {err}") from err
    want = int(spec.get("exit_code", 0))
    tail = " ".join((proc.stdout + proc.stderr).split())[-200:]
    return proc.returncode == want, f"exit {proc.returncode} (want {want}) {tail}"


@register("workload_pending", required=("namespace", "owner"), optional=("owner_kind", "message"))
def _workload_pending(kube: Kube, spec: dict[str, Any], env: dict[str, str]) -> tuple[bool, str]:
    """The Kueue Workload of `owner` exists and is not admitted (message: a regex it shows)."""
    kind = spec.get("owner_kind", "Job")
    workloads = [w for w in kube.list("workloads.kueue.x-k8s.io", spec["namespace"])
                 if any(o.get("name") == spec["owner"] and o.get("kind") == kind
                        for o in w["metadata"].get("ownerReferences", []))]
    if not workloads:
        return False, f"no Workload owned by {kind}/{spec['owner']} yet"
    conds = conditions_of(workloads[-1])
    if conds.get("Admitted", {}).get("status") == "True":
        return False, "the Workload is admitted"
    message = " ".join(c.get("message", "") for c in conds.values())
    if spec.get("message") and not re.search(spec["message"], message):
        return False, f"pending, but its conditions say: {message[:240]}"
    return True, f"pending: {message[:240]}"


# The check types beyond the basics live in their own modules and register here.
from harness.evals import checks_access, checks_gateway, checks_pods  # noqa: E402,F401
