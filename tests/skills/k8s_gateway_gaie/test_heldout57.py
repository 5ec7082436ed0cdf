"""Held-out round 57 of check_routes.py: controller-runtime's JSON log of a watched kind the API
server does not serve carries the kind as a log field (`"kind":"ListenerSet.gateway.
networking.k8s.io"`, sigs.k8s.io/controller-runtime v0.24.1 pkg/internal/source/kind.go:77-78);
the line is a log record, not an object. Ground truth: kubernetes-sigs/aws-load-balancer-
controller#4684 (3.2.1 without the ListenerSet CRD; PR #4689 ignores the kind when absent)."""
from __future__ import annotations

from .conftest import paste_findings as _findings

LOG = ('{"level":"error","ts":"2026-04-13T01:32:44Z","logger":"controller-runtime.source.Kind",'
       '"msg":"if kind is a CRD, it should be installed before calling Start","kind":'
       '"ListenerSet.gateway.networking.k8s.io","error":"no matches for kind \\"ListenerSet\\" '
       'in version \\"gateway.networking.k8s.io/v1\\""}\n')


def test_a_kind_field_in_a_json_log_line_is_the_log_not_an_object(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, LOG)
    assert found[0]["cause"] == "crd_not_installed"


def test_the_same_record_cut_inside_its_error_string_by_the_paste(gw_run, tmp_path):
    cut = LOG.replace('"error":"no matches', '"error":"\nno matches')
    assert _findings(gw_run, tmp_path, cut)[0]["cause"] == "crd_not_installed"
