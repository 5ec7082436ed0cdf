"""Routine lines DRA components print while they work: no fault, but a DRA component's.

A paste that holds only such lines (the ComputeDomain daemon's log with the nvidia-imex lines
it passes through, a kubelet plugin saying it prepared a claim) is read, never refused as bad
input: the scripts answer it with one info finding that says what the lines show, that the
cause cannot be told from them, and the commands whose output would tell it. A line that IS a
fault is a pattern of _dra.messages instead; these never name a cause.

Each entry is one wording with its upstream source (references/catalogue/dra.tsv rows marked
not-a-fault).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from k8s_skillkit.findings import finding

NVGPU = "kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1"
CD_DAEMON = "compute-domain daemon"
IMEX = "nvidia-imex daemon"
PLUGIN = "NVIDIA DRA kubelet plugin"


@dataclass(frozen=True)
class Line:
    key: str
    component: str
    regex: re.Pattern
    says: str       # what the line tells, one phrase
    source: str


def _l(key, component, regex, says, source) -> Line:
    return Line(key, component, re.compile(regex), says, source)


LINES: tuple[Line, ...] = (
    # process.go:89 logs the child's command line: main.go:286 runs "nvidia-imex -c
    # /imexd/imexd.cfg"
    _l("cd-imex-start", CD_DAEMON, r"\bStart: \S*nvidia-imex\b",
       "the daemon (re)started nvidia-imex", f"{NVGPU} cmd/compute-domain-daemon/process.go:89"),
    _l("cd-imex-restart", CD_DAEMON, r"Got update, \(re\)start IMEX daemon",
       "the domain's daemons changed and IMEX was restarted with them",
       f"{NVGPU} cmd/compute-domain-daemon/main.go:368"),
    _l("cd-imex-config", CD_DAEMON,
       r"Rendered IMEX daemon config file with|Created static nodes config file with \d+ DNS "
       r"names|Current compute-domain-daemon mappings",
       "the daemon wrote IMEX's config and nodes file",
       f"{NVGPU} cmd/compute-domain-daemon/main.go:488, dnsnames.go:110,213"),
    _l("cd-dns-update", CD_DAEMON, r"updated DNS/IP mapping, old process: send SIGUSR1",
       "a peer's address changed and IMEX was told to reconnect",
       f"{NVGPU} cmd/compute-domain-daemon/main.go:421"),
    _l("cd-nodes-seen", CD_DAEMON, r"numNodes: \d+, nodes seen: \d+",
       "the daemon counted the domain's nodes", f"{NVGPU} cmd/compute-domain-daemon/"
       "cdstatus.go:339"),
    _l("cd-node-status", CD_DAEMON,
       r"(?:CD status|CDClique) does not contain node name|Successfully (?:inserted/updated|"
       r"updated) (?:node|daemon info)(?: status)? in (?:CD|CDClique)",
       "the daemon registered this node in the domain's status",
       f"{NVGPU} cmd/compute-domain-daemon/cdstatus.go:259,276,465, cdclique.go:313,333,475"),
    _l("cd-child-exit", CD_DAEMON, r"\bChild exited with code \d+",
       "nvidia-imex exited (after a stop the daemon asked for, unless the watchdog says "
       "'terminated unexpectedly')", f"{NVGPU} cmd/compute-domain-daemon/process.go:125,128"),
    _l("cd-check-noop", CD_DAEMON, r"check succeeded \(noop, clique ID is empty\)"
       r"|no cliqueID: skipping controller and IMEX daemon management",
       "the node is in no NVLink clique, so no IMEX daemon runs there",
       f"{NVGPU} cmd/compute-domain-daemon/main.go:245,437"),
    # nvidia-imex logs to stderr (the daemon's config template sets LOG_FILE_NAME empty,
    # templates/compute-domain-daemon-config.tmpl.cfg:15-22) and the daemon passes the child's
    # stderr through (process.go:95-96): its lines, "[<time>] [<LEVEL>] [tid <n>] ...", with
    # the levels the template lists (:5-13), land in the daemon pod's log. IMEX is NVIDIA's
    # closed binary: its wordings have no source here, only its line shape (as a user's
    # daemon log shows it: kubernetes-sigs/dra-driver-nvidia-gpu#1050) and its name
    _l("imex-line", IMEX,
       r"\[[^\]\n]{4,40}\]\s*\[(?:CRITICAL|ERROR|WARNING|INFO|DEBUG)\]\s*\[tid \d+\]"
       # or a log line (klog, a bracketed prefix, a timestamp, journald) naming IMEX: not
       # a sentence of a report that mentions it
       r"|^\s*(?:[IWEF]\d{4}\s|\[|\d{4}-\d\d-\d\d[T ]|[A-Z][a-z]{2} +\d+ \d\d:)[^\n]*?"
       r"\b(?:IMEX (?:daemon|version|domain|channel|peer)|nvidia-imex(?:-ctl)?)\b",
       "IMEX's own lines (start, peers, readiness)",
       f"{NVGPU} templates/compute-domain-daemon-config.tmpl.cfg:5-22, cmd/compute-domain-"
       "daemon/process.go:95-96"),
    _l("plugin-prepared", PLUGIN,
       r"(?:Returning newly prepared|Prepared) devices for claim '|Unprepared devices for "
       r"claim '|(?:Prepare|Unprepare)ResourceClaims called with \d+ claim",
       "the kubelet plugin prepared (or unprepared) a claim",
       f"{NVGPU} cmd/gpu-kubelet-plugin/driver.go:341,415, cmd/compute-domain-kubelet-plugin/"
       "driver.go:166,197,279,304"),
    # an xid event taints with effect NoSchedule, or None for an Xid NVML deems non-fatal
    # (device_health.go:70-79): the line alone does not say which (gpu-lost is a fault
    # pattern of _dra.messages)
    _l("plugin-health-event", PLUGIN,
       r"Received \w+ health event for device|Sending XID=\d+ health event for device",
       "the GPU plugin got a device health event (its taint's effect is in the ResourceSlice)",
       f"{NVGPU} cmd/gpu-kubelet-plugin/driver.go:513, device_health.go:264"),
    _l("cd-controller-progress", "compute-domain controller",
       r"Processing added or updated ComputeDomain: ",
       "the controller saw the ComputeDomain",
       f"{NVGPU} cmd/compute-domain-controller/computedomain.go:307"),
)

_NODES_SEEN = re.compile(r"numNodes: (?P<want>\d+), nodes seen: (?P<seen>\d+)")
_STATUS = re.compile(r"Successfully updated (?:node|daemon info) status in \w+ \(new status: "
                     r"(?P<status>\w+)\)")

# the commands whose output decides what such lines cannot (the driver's bug-report template,
# .github/ISSUE_TEMPLATE/bug_report.yml:177, for the daemon log; the daemon pod's probe runs
# `compute-domain-daemon check`, i.e. nvidia-imex-ctl -q, main.go:441-455)
ASK_DOMAIN = ("kubectl get computedomains -A -o yaml (status.nodes[].status: which nodes "
              "joined and are Ready); kubectl get pods -n <driver namespace> -l "
              "resource.nvidia.com/computeDomain -o wide (READY, RESTARTS of each daemon); "
              "kubectl describe pod <workload pod> (its FailedPrepareDynamicResources event); "
              "the daemon log in full: kubectl logs -n <driver namespace> -l "
              "resource.nvidia.com/computeDomain --all-containers --prefix --tail=-1")
ASK_CLAIM = ("kubectl describe pod <workload pod> (its Events after the claim was prepared); "
             "kubectl get resourceclaims -n <namespace> -o yaml; kubectl get resourceslices "
             "-o yaml (devices[].taints: a health taint and its effect)")


def read(texts: list[str]) -> list[tuple[Line, str]]:
    """Each line of `texts` that is a routine line of a DRA component, with its entry."""
    out = []
    for text in texts:
        for line in LINES:
            if line.regex.search(str(text)):
                out.append((line, " ".join(str(text).split())))
                break
    return out


def recognised(text: str) -> bool:
    return any(line.regex.search(text or "") for line in LINES)


# a line logged at error level (IMEX's [ERROR]/[CRITICAL], klog E/F): shown first, since
# its words may be the cause even though no pattern here knows them
_ERROR_LEVEL = re.compile(r"\[(?:ERROR|CRITICAL)\]|^\s*(?:\[[^\]]*\]\s*)?[EF]\d{4}\s"
                          r"|\blevel=(?:error|fatal)\b")


def finding_for(seen: list[tuple[Line, str]]) -> dict:
    """The info finding for a paste whose DRA content is only component lines that name no
    fault this skill knows: what they show, what cannot be told, what to run."""
    components = list(dict.fromkeys(line.component for line, _ in seen))
    says = list(dict.fromkeys(line.says for line, _ in seen))
    errors = [text for _, text in seen if _ERROR_LEVEL.search(text)]
    evidence = [f"logged as an error: {text[:200]}" for text in errors[-2:]]
    evidence += [f"{line.component}: {text[:200]}" for line, text in seen[-4:]
                 if text not in errors[-2:]][:4 - len(evidence[:2])]
    evidence += facts([text for _, text in seen])
    domain = any(line.component in (CD_DAEMON, IMEX, "compute-domain controller")
                 for line, _ in seen)
    ask = ASK_DOMAIN if domain else ASK_CLAIM
    # IMEX is NVIDIA's closed binary: its wordings have no source to map them from
    logged = (f" ({len(errors)} logged at error level, first in the evidence: a wording "
              "not mapped to a cause here)" if errors else "")
    return finding("info", "not_evaluated", {"kind": "Paste", "name": ""},
                   f"the paste holds only log lines of the {' and the '.join(components)} "
                   f"that name no fault this skill knows{logged}: {'; '.join(says[:4])}. Why "
                   "the workload waits (or whether this node's IMEX daemon is ready) cannot "
                   "be told from them", evidence, f"paste what these print: {ask}",
                   confirm=ask.split(";")[0])


def facts(texts: list[str]) -> list[str]:
    """What the last such lines say about the domain's state, when they say it."""
    out = []
    counts = [m for t in texts for m in _NODES_SEEN.finditer(t)]
    if counts:
        want, got = int(counts[-1]["want"]), int(counts[-1]["seen"])
        out.append(f"last count: {got} of numNodes {want} node(s) seen in the ComputeDomain"
                   + (" (not all joined yet)" if got < want else ""))
    states = [m["status"] for t in texts for m in _STATUS.finditer(t)]
    if states:
        out.append(f"this daemon's last status written: {states[-1]}")
    return out
