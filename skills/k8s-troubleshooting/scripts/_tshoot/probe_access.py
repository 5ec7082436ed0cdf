"""The kubelet's HTTP probes as the container's own access log shows them.

The kubelet counts an HTTP probe a success when the status is 200-399 and a failure otherwise
(k8s.io/kubernetes v1.37.2 pkg/probe/http/http.go:137, "HTTP probe failed with statuscode: %d").
Since 1.8 it sends `User-Agent: kube-probe/<major>.<minor>` unless the probe sets one
(kubernetes/kubernetes#47729, pkg/probe/http/request.go:72-74); before, Go's net/http default
`Go-http-client/1.1` (kubernetes/kubernetes#29025: a probe seen with that agent from the node's
bridge address). A web server's access log (combined format: `"GET PATH HTTP/1.1" STATUS ...
"AGENT"`) therefore shows the kubelet's probe and the answer the probe got, although the
kubelet's own verdict (its Unhealthy event) is not in the paste: a finding here is inferred.

- a kube-probe request answered 400 or above: the probe fails -> probe_failing.
- the same path asked twice or more by Go-http-client and answered 400 or above, then the
  process says it received SIGTERM: the pre-1.8 kubelet's liveness probe failing and the
  kubelet killing the container (kubernetes-retired/contrib#1818: an ingress controller's
  probe path answered 404 by the new controller). Go-http-client alone is any Go program, so
  without the kill it stays silent.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from k8s_skillkit.findings import finding

_ACCESS = re.compile(r"\"(?:GET|HEAD) (?P<path>\S+) HTTP/[\d.]+\" (?P<status>[1-5]\d\d)\b"
                     r"[^\"\n]*(?:\"[^\"\n]*\"[^\"\n]*)?\"(?P<agent>kube-probe/[\d.]+|"
                     r"Go-http-client/[\d.]+)\"")
# a process told to stop: Go's os/signal name, nginx's and the shells' wordings
_SIGTERM = re.compile(r"\bSIGTERM\b|signal 15\b|\bsignal: terminated\b", re.I)


def findings(text: str) -> list[dict[str, Any]]:
    """A probe_failing finding (inferred) from failed probe requests in an access log, or []."""
    lines = text.splitlines()
    failed = [(i, m) for i, line in enumerate(lines) for m in [_ACCESS.search(line)]
              if m and int(m.group("status")) >= 400]
    if not failed:
        return []
    by_kubelet = [(i, m) for i, m in failed if m.group("agent").startswith("kube-probe/")]
    last = failed[-1][0]
    killed = next((line.strip() for line in lines[last + 1:] if _SIGTERM.search(line)), "")
    if not by_kubelet:
        paths = Counter(m.group("path") for _, m in failed)
        if not killed or paths.most_common(1)[0][1] < 2:
            return []
    shown = by_kubelet or failed
    path, status = shown[-1][1].group("path"), shown[-1][1].group("status")
    evidence = [f"access log: {lines[i].strip()[:240]}" for i, _ in shown[-2:]]
    if killed:
        evidence.append(f"then: {killed[:200]}")
    who = ("the kubelet's probe (User-Agent kube-probe)" if by_kubelet else
           "a periodic Go-http-client request (the kubelet's probe before 1.8)")
    message = (f"{who} asks {path} and gets HTTP {status}: the kubelet counts only 200-399 as "
               "success, so the probe fails" + ("; the container is then stopped (SIGTERM), "
                                                 "as the kubelet does when a liveness probe "
                                                 "fails failureThreshold times" if killed else ""))
    return [finding("warning", "probe_failing", {"kind": "Text", "name": "paste"}, message,
                    evidence,
                    f"point the probe's httpGet path and port at an endpoint the container "
                    f"answers with 200-399 ({path} answers {status}); check the application's health "
                    "endpoint and port in its docs or flags",
                    basis="inferred",
                    confirm="kubectl describe pod POD -n NAMESPACE (Events: Unhealthy "
                    f"\"... probe failed: HTTP probe failed with statuscode: {status}\")")]
