"""Every catalogued wording, in every input form check_routes.py reads, maps to its cause.

The catalogue (skills/k8s-gateway-gaie/references/catalogue/*.yaml) lists what each component
writes, from its upstream source at the versions users run; the expected cause is the
catalogue's, never check_routes' own output. A row the scripts do not map fails here: this
is the guard against the next version's wording.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "skills" / "k8s-gateway-gaie" / "references" / "catalogue"
CAUSES = ROOT / "skills" / "k8s-gateway-gaie" / "references" / "causes.md"
NON_FAULT = {"not-a-fault", "unknown-on-purpose"}
SCOPES = {"route", "gateway", "listener", "listenerset", "class", "pool", "text", "policy"}

_FILL = {"%s": ["default", "web-svc", "https", "gw"], "%d": ["8080", "443"], "%v": ["a", "b"],
         "%q": ['"web-svc"']}


def _rows() -> list[tuple[str, dict]]:
    rows = []
    for path in sorted(CATALOGUE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for row in doc["rows"]:
            rows.append((f"{doc['component']}:{row['id']}", row))
    return rows


ROWS = _rows()


def example(row: dict) -> str:
    """The row's message with example values in its format verbs."""
    if row.get("example"):
        return str(row["example"])
    text, seen = str(row.get("wording") or ""), {k: 0 for k in _FILL}

    def fill(hit: re.Match) -> str:
        verb = hit.group(0)
        values = _FILL[verb]
        seen[verb] += 1
        return values[(seen[verb] - 1) % len(values)]
    return re.sub(r"%[sdvq]", fill, text)


def _condition(row: dict) -> dict:
    return {"type": row["type"], "status": str(row.get("status", "False")),
            "reason": row["reason"], "message": example(row),
            "lastTransitionTime": "2025-06-01T10:00:00Z", "observedGeneration": 1}


_META = {"name": "web", "namespace": "default", "generation": 1,
         "creationTimestamp": "2025-06-01T09:00:00Z"}
_PARENT = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}
_CONTROLLER = "example.com/gateway-controller"


def obj_for(row: dict) -> dict:
    """The object that carries the row's condition, as `kubectl get -o yaml` shows it."""
    scope, cond = row["scope"], _condition(row)
    if scope == "route":
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                # (with a hostname: a route without one matches every listener, so a
                # controller's NoMatchingListenerHostname on it is no verdict on it)
                "metadata": dict(_META), "spec": {"parentRefs": [_PARENT],
                                                  "hostnames": ["web.example.com"], "rules": [
                    {"backendRefs": [{"name": "web-svc", "port": 80}]}]},
                "status": {"parents": [{"parentRef": _PARENT, "controllerName": _CONTROLLER,
                                        "conditions": [cond]}]}}
    if scope in ("gateway", "listener"):
        listener = {"name": "http", "port": 80, "protocol": "HTTP"}
        status: dict = {"conditions": [cond]} if scope == "gateway" else {
            "conditions": [], "listeners": [{"name": "http", "attachedRoutes": 0,
                                             "supportedKinds": [{"kind": "HTTPRoute"}],
                                             "conditions": [cond]}]}
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                "metadata": {**_META, "name": "gw"},
                "spec": {"gatewayClassName": "example", "listeners": [listener]},
                "status": status}
    if scope == "class":
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                "metadata": {"name": "example", "generation": 1},
                "spec": {"controllerName": _CONTROLLER}, "status": {"conditions": [cond]}}
    if scope == "listenerset":
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "ListenerSet",
                "metadata": dict(_META), "spec": {"parentRef": _PARENT, "listeners": [
                    {"name": "extra", "port": 8443, "protocol": "HTTP"}]},
                "status": {"conditions": [cond]}}
    if scope == "policy":
        # GEP-713 PolicyAncestorStatus (gateway-api apis/v1alpha2/policy_types.go); Envoy
        # Gateway's BackendTrafficPolicy carries it (api/v1alpha1, status.ancestors)
        return {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
                "metadata": {**_META, "name": "policy"},
                "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io",
                                         "kind": "HTTPRoute", "name": "web"}]},
                "status": {"ancestors": [{"ancestorRef": _PARENT, "controllerName": _CONTROLLER,
                                          "conditions": [cond]}]}}
    assert scope == "pool", scope
    return {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
            "metadata": {**_META, "name": "pool"},
            "spec": {"selector": {"matchLabels": {"app": "vllm"}}, "targetPorts": [
                {"number": 8000}], "endpointPickerRef": {"name": "pool-epp", "port": {
                    "number": 9002}}},
            "status": {"parents": [{"parentRef": _PARENT, "controllerName": _CONTROLLER,
                                    "conditions": [cond]}]}}


def describe_for(row: dict) -> str:
    """`kubectl describe` of the object (the condition block as describe prints it)."""
    obj, cond = obj_for(row), _condition(row)
    indent = {"route": 6, "pool": 6, "listener": 6, "policy": 6}.get(row["scope"], 4)
    pad = " " * indent
    cond_lines = [f"{pad[:-2]}  Last Transition Time:  {cond['lastTransitionTime']}",
                  f"{pad}Message:               {cond['message']}",
                  f"{pad}Observed Generation:   1",
                  f"{pad}Reason:                {cond['reason']}",
                  f"{pad}Status:                {cond['status']}",
                  f"{pad}Type:                  {cond['type']}"]
    head = [f"Name:         {obj['metadata']['name']}",
            f"Namespace:    {obj['metadata'].get('namespace', '')}",
            f"API Version:  {obj['apiVersion']}", f"Kind:         {obj['kind']}", "Status:"]
    if row["scope"] == "policy":
        body = ["  Ancestors:", "    Ancestor Ref:", "      Group:  gateway.networking.k8s.io",
                "      Kind:   Gateway", "      Name:   gw", "    Conditions:", *cond_lines,
                f"    Controller Name:  {_CONTROLLER}"]
    elif row["scope"] in ("route", "pool"):
        body = ["  Parents:", "    Conditions:", *cond_lines,
                f"    Controller Name:  {_CONTROLLER}", "    Parent Ref:",
                "      Group:  gateway.networking.k8s.io", "      Kind:   Gateway",
                "      Name:   gw"]
    elif row["scope"] == "listener":
        body = ["  Conditions:", "  Listeners:", "    Attached Routes:  0", "    Conditions:",
                *cond_lines, "    Name:  http"]
    else:
        body = ["  Conditions:", *cond_lines]
    return "\n".join(head + body + ["Events:  <none>", ""])


_KIND = {"route": "HTTPRoute", "gateway": "Gateway", "listener": "listener http of the Gateway",
         "listenerset": "ListenerSet", "class": "GatewayClass", "pool": "InferencePool",
         "policy": "BackendTrafficPolicy"}


def recognisable(row: dict) -> bool:
    """A wording with three words of fixed text or more: one can tell it from other text.
    A bare `%s` (NGF passes a field error through) is only read with its condition."""
    fixed = re.sub(r"%[sdvq]", "", str(row.get("wording") or ""))
    return len(re.findall(r"[A-Za-z]{2,}", fixed)) >= 3


def prose_for(row: dict) -> str:
    """A user's sentence quoting the message (or naming the condition when it has none)."""
    kind, message = _KIND.get(row["scope"], "gateway"), example(row)
    if message and recognisable(row):
        return (f"After upgrading, the {kind} never works and its status says "
                f"\"{message}\". Any idea what is wrong?\n")
    return (f"After upgrading, the {kind} never works: {row['type']}: "
            f"{row.get('status', 'False')} ({row['reason']}). Any idea what is wrong?\n")


def reason_line_for(row: dict) -> str:
    """A `Reason: message` line, as users paste a condition from a console or an issue."""
    message = example(row)
    if message and recognisable(row):
        return f"{row['reason']}: {message}\n"
    return f"{row['type']}={row.get('status', 'False')} reason={row['reason']}\n"


def log_for(row: dict) -> str:
    return ('{"level":"error","ts":"2025-06-01T10:00:00Z","logger":"controller","msg":"'
            + example(row).replace('"', '\\"') + '"}\n')


def forms(row: dict) -> list[tuple[str, str]]:
    if row["scope"] == "text":
        return [("line", example(row) + "\n"), ("log", log_for(row)),
                ("prose", f"The logs keep printing \"{example(row)}\" and nothing works.\n")]
    out = [("yaml", yaml.safe_dump(obj_for(row), sort_keys=False)),
           ("describe", describe_for(row))]
    if recognisable(row) or not row.get("wording"):
        out.append(("prose", prose_for(row)))
    if row.get("reason"):
        out.append(("reason-line", reason_line_for(row)))
    if row.get("wording") and recognisable(row) and row["cause"] not in NON_FAULT:
        # the condition's message copied alone, without its reason or object
        # (nginx/nginx-gateway-fabric#1688)
        out.append(("message", example(row) + "\n"))
    return out


def _cause_ids() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", CAUSES.read_text(), re.MULTILINE))


@pytest.mark.parametrize("rid,row", ROWS, ids=[r[0] for r in ROWS])
def test_row_is_well_formed(rid, row):
    assert row["scope"] in SCOPES, rid
    assert row.get("source") and row.get("versions"), rid
    assert row.get("wording") or row.get("reason"), rid
    if row["cause"] in NON_FAULT:
        assert row.get("why"), f"{rid}: {row['cause']} needs a why"
    else:
        assert row["cause"] in _cause_ids(), f"{rid}: unknown cause {row['cause']}"


CASES = [(rid, form, text, row) for rid, row in ROWS for form, text in forms(row)]


@pytest.mark.parametrize("rid,form,text,row", CASES, ids=[f"{c[0]}[{c[1]}]" for c in CASES])
def test_catalogued_wording_maps_to_its_cause(gw_run, tmp_path, rid, form, text, row):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code != 2, f"{rid} [{form}] refused: {result.err.strip()}\n{text}"
    found = [(f["cause"], f.get("basis")) for f in result.doc["findings"]
             if f["severity"] != "info"]
    if row["cause"] in NON_FAULT:
        assert not [c for c, basis in found if basis == "reported"], \
            f"{rid} [{form}] is {row['cause']} ({row['why']}), got {found}\n{text}"
        return
    expected = {row["cause"]}
    if form == "reason-line" and not recognisable(row):
        # `Accepted=False reason=InvalidParameters` names no object: any scope's meaning
        expected |= same_condition_causes(row)
    if form == "message":
        # a message alone names neither its condition nor its object: what any row whose
        # wording the message is in full means (several components write the same words)
        expected |= same_message_causes(text.strip())
    assert found and found[0][0] in expected, \
        f"{rid} [{form}] expected {sorted(expected)}, got {found}\n{text}"


def same_condition_causes(row: dict) -> set[str]:
    return {r["cause"] for _, r in ROWS if r.get("reason") == row["reason"]
            and r.get("type") == row["type"] and str(r.get("status", "False")) ==
            str(row.get("status", "False"))} - NON_FAULT


def same_message_causes(message: str) -> set[str]:
    return {r["cause"] for _, r in ROWS if r.get("wording") and example(r) == message} - NON_FAULT
