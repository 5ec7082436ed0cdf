"""dcgm-exporter exiting because DCGM refuses to watch the profiling (DCP) fields it was given.

dcgm-exporter watches every field of its counters CSV through DCGM's dcgmWatchFields; the Go
bindings wrap a refusal as `Error watching fields: <DCGM's error string>` (NVIDIA/dcgm-exporter
bindings/go/dcgm/fields.go@f452488~1:70,82; NVIDIA/go-dcgm lowercases it, `error watching
fields: %s`), and before 2.1.2 the exporter ended on it with logrus.Fatal (pkg/main.go@f0de73f~1:
107-110, NewMetricsPipeline -> pkg/dcgm.go:55 WatchFieldsWithGroup), so the kubelet restarts it.
Two of DCGM's return codes there are about the profiling module that serves the DCP fields
(DCGM_FI_PROF_*, the "# DCP metrics" rows of dcp-metrics-included.csv, which the Helm chart
passed by default: deployment/dcgm-exporter/values.yaml@f452488~1:22-23 "Comment the following
line to stop profiling metrics from DCGM"):
- DCGM_ST_PROFILING_NOT_SUPPORTED (-36) "Profiling is not supported for this group of GPUs or
  GPU" (bindings/go/dcgm/dcgm_structs.h@f452488~1:304): DCP metrics exist on datacenter GPUs
  only (NVIDIA/gpu-monitoring-tools#119: a Quadro P5000);
- DCGM_ST_MODULE_NOT_LOADED (-33) "This request is serviced by a module of DCGM that is not
  currently loaded" (dcgm_structs.h@f452488~1:300): a module, by inference the profiling one,
  is not loaded (a GPU without DCP support, or a DCGM without the profiling module, which DCGM 4
  ships in datacenter-gpu-manager-4-proprietary: docker/Dockerfile.ubuntu@380551c);
  NVIDIA/gpu-monitoring-tools#141.
2.1.2 asks DCGM for the supported metric groups first and drops the DCP fields when it has
none ("Not collecting DCP metrics", commit f0de73f DCGM-1972, pkg/main.go).
Other DCGM errors after "watching fields" are not read here.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit import fatal_log
from k8s_skillkit.findings import finding

OBJECT = {"kind": "Pod", "name": ""}
_WATCH = re.compile(r"\berror watching fields: (?P<why>.+)", re.I)
_UNSUPPORTED = re.compile(r"profiling is not supported for this group of GPUs", re.I)
_NOT_LOADED = re.compile(r"serviced by a module of DCGM that is not currently loaded", re.I)
_FIX = ("stop asking for the profiling (DCP) fields this GPU or DCGM cannot serve: drop the "
        "DCGM_FI_PROF_* rows from the counters CSV, or the exporter's -f/--collectors "
        "argument that points at dcp-metrics-included.csv (Helm: arguments), or upgrade "
        "dcgm-exporter to 2.1.2 or later, which skips DCP metrics the GPUs do not support; "
        "then delete the exporter pod")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """One crash_loop finding when dcgm-exporter's fatal record says DCGM refused to watch
    profiling fields; [] otherwise.

    >>> line = ('time="2020-10-27T00:53:32Z" level=fatal msg="Error watching fields: '
    ...         'Profiling is not supported for this group of GPUs or GPU"')
    >>> [f["cause"] for f in findings([line])]
    ['crash_loop']
    >>> findings(['level=error msg="Error watching fields: Profiling is not supported '
    ...           'for this group of GPUs or GPU"'])
    []
    """
    for text in texts:
        for record in fatal_log.records(text.splitlines()):
            watch = _WATCH.search(record.message)
            if not watch:
                continue
            if _UNSUPPORTED.search(watch.group("why")):
                return [_finding(record.line, "DCGM says profiling is not supported on this "
                                 "GPU (DCGM_ST_PROFILING_NOT_SUPPORTED): profiling (DCP) "
                                 "metrics are served on datacenter GPUs only")]
            if _NOT_LOADED.search(watch.group("why")):
                return [_finding(record.line, "DCGM says the module serving those fields is "
                                 "not loaded (DCGM_ST_MODULE_NOT_LOADED); inferred: the module "
                                 "is most likely DCGM's profiling module, which serves the DCP fields "
                                 "and does not load on GPUs without profiling support or "
                                 "where DCGM was installed without it", confirm=True)]
    return []


def _finding(line: str, why: str, confirm: bool = False) -> dict[str, Any]:
    """The crash is the exporter's own fatal record (reported); a module not loaded is tied
    to the profiling fields by inference, so that finding names the command that confirms it."""
    extra = {"confirm": "kubectl get pod POD -o jsonpath='{.spec.containers[*].args}' (a -f "
                        "naming dcp-metrics-included.csv, or DCGM_FI_PROF_* rows in the CSV "
                        "it names)"} if confirm else {}
    return finding("error", "crash_loop", OBJECT,
                   "dcgm-exporter exits at start (a fatal log record, so the kubelet restarts "
                   f"it: CrashLoopBackOff): DCGM refused to watch the fields it was given; {why}",
                   [line[:300]], _FIX, basis="reported", **extra)
