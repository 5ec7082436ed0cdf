"""A training replica's Python traceback, pasted without the job: the replica's program failed.

When an exception is raised and not caught, Python prints it through sys.excepthook, "just
before the program exits" (docs.python.org library/sys.html#sys.excepthook), as `Traceback
(most recent call last):` and one `File "F", line N, in NAME` frame per call, outermost first
(CPython Lib/traceback.py StackSummary.format, FrameSummary "  File \"{}\", line {}, in {}"),
then `Type: message`; the interpreter then exits with status 1 (CPython Modules/main.c
pymain_run_python, an exception from the script run), so the replica's container fails and the
training operator counts a failed replica. A traceback whose outermost frame is `in <module>`
went up to the script's top level: it is that exit, not a caught exception printed on the way
(traceback.print_exc inside a handler starts at the handler's frame). A paste cut before the
exception line still shows where it failed (the innermost frame).

A replica that dies on its first network call in a namespace with Istio sidecar injection may
have run before istio-proxy was ready (kubeflow/kubeflow#3935, diagnosed there by the training
maintainers; fix documented in kubeflow/website#2011: sidecar.istio.io/inject: "false"): said
only when the paste itself names Istio, as an inference.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_HEADER = re.compile(r"^\s*Traceback \(most recent call last\):\s*$")
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line \d+, in (?P<func>\S+)')
# the exception line after the frames: a dotted type name, then ": message" or nothing
_RAISED = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s*(?P<msg>.*))?$")
_NOT_FAILURE = {"SystemExit", "KeyboardInterrupt"}
_LOGS_OF = re.compile(r"\b(?:kubectl|k)\s+logs\s+(?:-{1,2}[\w-]+\s+)*(?P<pod>[a-z0-9][a-z0-9.-]*)")
_ISTIO = re.compile(r"\bistio(?:-proxy|-init)?\b|sidecar\.istio\.io", re.I)
_NETWORK = re.compile(r"urlretrieve|urlopen|\brequests\b|socket|connect|http", re.I)


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """One training_failed finding for the first traceback that reaches `<module>`; [] when
    there is none.

    >>> tb = ['Traceback (most recent call last):', '  File "/t.py", line 3, in <module>',
    ...       '    main()', '  File "/t.py", line 2, in main', 'ValueError: bad shape']
    >>> [f["cause"] for f in findings(["\\n".join(tb)])]
    ['training_failed']
    >>> findings(["\\n".join(tb[:1] + tb[3:])])
    []
    """
    for text in texts:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if _HEADER.match(line):
                found = _read(lines, i, text)
                if found:
                    return [found]
    return []


def _read(lines: list[str], start: int, text: str) -> dict[str, Any] | None:
    frames, raised = [], None
    for line in lines[start + 1:]:
        frame = _FRAME.match(line)
        if frame:
            frames.append((frame.group("file"), frame.group("func"), line.strip()))
        elif line.startswith((" ", "\t")) and frames:
            continue  # the source line under a frame
        else:
            raised = _RAISED.match(line.strip()) if line.strip() else None
            break
    if not frames or frames[0][1] != "<module>":
        return None
    if raised and raised.group("type").rsplit(".", 1)[-1] in _NOT_FAILURE:
        return None
    pod = _LOGS_OF.search(text)
    evidence = [lines[start].strip(), frames[-1][2]]
    what = (f"{raised.group('type')}: {(raised.group('msg') or '')[:200]}" if raised else
            "the paste ends before the exception line")
    evidence.append(what)
    message = ("the replica's Python program raised an exception it did not catch (the "
               "traceback reaches the script's top level) and exits with status 1, so the "
               f"replica fails; {'innermost' if raised else 'last pasted'} frame: "
               f"{frames[-1][1]} in {frames[-1][0]}")
    fix = ("read the exception line (kubectl logs POD -c CONTAINER --previous shows all of "
           "it) and fix what it names in the training code, its data or its environment; the "
           "operator restarts or fails the job per the replica's restartPolicy")
    confirm = ""
    if _ISTIO.search(text) and any(_NETWORK.search(f[1] + " " + f[0]) for f in frames):
        message += ("; inferred: the pod runs in an Istio-injected namespace and the program "
                    "failed in a network call, which fails when it runs before istio-proxy is "
                    "ready")
        fix += ("; if istio-proxy was not ready yet, annotate the replica's pod template "
                "sidecar.istio.io/inject: \"false\" (or set Istio's "
                "holdApplicationUntilProxyStarts)")
        confirm = ("kubectl get pod POD -o jsonpath='{.status.containerStatuses[*].name}' "
                   "(istio-proxy) and its readiness when the replica exited")
    return finding("error", "training_failed",
                   {"kind": "Pod", "name": pod.group("pod") if pod else ""}, message,
                   evidence, fix, basis="reported", confirm=confirm)
