"""Every wording in references/catalogue/authz-denials.yaml (the API server's Forbidden
messages 1.6-1.37, the kubelet's authorizer, escalation prevention, every Pod Security check's
refusal and the namespace label's warning, OpenShift's SCC refusals, impersonation and
authentication, from the upstream source cited per entry) is read by audit_rbac.py as the
cause the catalogue names (the Pod Security and SCC rows by check_pod_security.py too), in
each form a user pastes it: kubectl's error line, the same hard-wrapped at 80 columns (a
narrow terminal cuts words), a controller's log line, a JSON Status body and a sentence of prose.

audit_rbac.py runs in-process (its main(), as its command line would call it): a subprocess
per case would take minutes on this machine.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from .conftest import SCRIPTS

CATALOGUE = Path(SCRIPTS).parent / "references" / "catalogue" / "authz-denials.yaml"
VERB = re.compile(r"%[sqdv]")


def _fill(wording: str, values: list) -> str:
    values = list(values)
    assert len(VERB.findall(wording)) == len(values), wording
    return VERB.sub(lambda m: json.dumps(str(values.pop(0))) if m.group(0) == "%q"
                    else str(values.pop(0)), wording)


ENTRIES = [(i, e, _fill(e["wording"], e.get("fill", [])))
           for i, e in enumerate(yaml.safe_load(CATALOGUE.read_text())["entries"])]


def _kubectl(msg: str) -> str:
    return f"$ kubectl get pods\nError from server (Forbidden): {msg}\n"


def _wrapped(msg: str) -> str:
    line = f"Error from server (Forbidden): {msg}"
    return "\n".join(line[i:i + 80] for i in range(0, len(line), 80)) + "\n"


def _wrapped_beside(msg: str) -> str:
    """Wrapped at 80 under a longer line the terminal kept whole (a log prefix, a title): the
    width is the one several lines share, not the longest."""
    return ("controller.helm warning: reconcile failed for release cluster-a after three "
            "retries, details below\n" + _wrapped(msg))


def _log(msg: str) -> str:
    return ("E1202 12:00:03.118245       1 reflector.go:147] k8s.io/client-go/informers/"
            f"factory.go:160: Failed to watch *v1.Pod: failed to list *v1.Pod: {msg}\n")


def _status(msg: str) -> str:
    return json.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {},
                       "status": "Failure", "message": msg, "reason": "Forbidden",
                       "code": 403}, indent=2) + "\n"


def _prose(msg: str) -> str:
    return ("Since the upgrade our operator cannot do its job. Its log keeps saying\n"
            f"{msg}\nWhat permission is missing? Thanks\n")


def _message(msg: str) -> str:
    """The refusal copied alone, without kubectl's `Error from server (Forbidden):`."""
    return msg + "\n"


FORMS = {"kubectl": _kubectl, "wrapped-80": _wrapped, "wrapped-80-beside": _wrapped_beside,
         "log": _log, "status-json": _status, "prose": _prose, "message": _message}


def _in_process(script: str, folder: Path):
    """`script -f PASTE --json` run in this process (thousands of pastes): (exit, doc, stderr)."""
    spec = importlib.util.spec_from_file_location(f"_catalogue_{Path(script).stem}",
                                                  Path(SCRIPTS) / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(text: str):
        path = folder / "paste.txt"
        path.write_text(text)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = module.main(["-f", str(path), "--json"])
        return code, (json.loads(out.getvalue()) if code in (0, 1) else None), err.getvalue()
    return run


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    return _in_process("audit_rbac.py", tmp_path_factory.mktemp("rbac-catalogue"))


def test_every_entry_has_versions_source_and_cause():
    assert len(ENTRIES) >= 15
    for i, e, _ in ENTRIES:
        assert e["versions"] and e["source"] and e["cause"], i


CASES = [(i, e, msg, form) for i, e, msg in ENTRIES for form in FORMS]


PSA = ('pods "web-0" is forbidden: violates PodSecurity "restricted:latest": privileged '
       '(container "app" must not set securityContext.privileged=true)')


@pytest.mark.parametrize("width", [80, 72, 100])
def test_a_wrapped_pod_security_refusal_names_the_same_check(audit, width):
    # k8s.io/pod-security-admission v0.37.2 policy/check_privileged.go ForbiddenReason
    # "privileged"; check_pod_security's cause for it is privileged_container
    line = "Error from server (Forbidden): error when creating \"pod.yaml\": " + PSA
    paste = "\n".join(line[i:i + width] for i in range(0, len(line), width)) + "\n"
    code, doc, err = audit(paste)
    assert code == 1, err
    assert doc["findings"][0]["cause"] == "privileged_container"


@pytest.mark.parametrize("i,entry,msg,form", CASES,
                         ids=[f"{i}:{msg[:40]}|{form}" for i, _, msg, form in CASES])
def test_every_catalogued_denial_is_read_in_every_form(audit, i, entry, msg, form):
    paste = FORMS[form](msg)
    code, doc, err = audit(paste)
    assert code == 1, f"exit {code} {err.strip()}\n--- paste:\n{paste}"
    top = doc["findings"][0]
    assert top["cause"] == entry["cause"], (
        f"expected {entry['cause']} ({entry['source']}), got {top['cause']}: "
        f"{top.get('message')}\n--- paste:\n{paste}")


@pytest.fixture(scope="module")
def pod_security(tmp_path_factory):
    return _in_process("check_pod_security.py", tmp_path_factory.mktemp("psa-catalogue"))


PSA_ENTRIES = [(i, e, msg) for i, e, msg in ENTRIES
               if "PodSecurity" in e["wording"] or "security context constraint" in e["wording"]]


@pytest.mark.parametrize("i,entry,msg", PSA_ENTRIES, ids=[str(i) for i, _, _ in PSA_ENTRIES])
def test_check_pod_security_reads_each_pod_security_wording_as_the_same_cause(
        pod_security, i, entry, msg):
    # the Pod Security rows of the catalogue (k8s.io/pod-security-admission v0.37.2
    # policy/check_*.go) and the SCC rows (openshift/apiserver-library-go a8019f39
    # pkg/securitycontextconstraints), cited per entry: check_pod_security.py, the script the
    # skill points pod refusals to, names the cause audit_rbac.py does
    code, doc, err = pod_security(_kubectl(msg))
    assert code == 1, err
    assert doc["findings"][0]["cause"] == entry["cause"], doc["findings"][0]
