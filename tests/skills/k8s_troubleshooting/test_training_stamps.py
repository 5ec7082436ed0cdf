"""Which failed first is decided by time, not by the text of the stamp.

JobSet's findFirstFailedJob compares `LastTransitionTime.Before` (jobset v0.12.0
pkg/controllers/failure_policy.go): instants. Stamps are RFC 3339 (metav1.Time, MicroTime with
a fraction, any offset in a converted paste) or RFC 1123Z as `kubectl describe` prints them
(time.RFC1123Z); compared as strings, "10:00:00.5Z" < "10:00:00Z" and "12:00:00+02:00" >
"11:00:00Z", both wrong."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "skills" / "k8s-troubleshooting" / "scripts"
sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]

from _tshoot import training as tr  # noqa: E402
from _tshoot import training_report as report  # noqa: E402
from _tshoot.stamps import instant  # noqa: E402

from .test_training_status import failed_job  # noqa: E402

UTC = timezone.utc


@pytest.mark.parametrize("text,expected", [
    ("2026-01-01T10:00:00Z", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ("2026-01-01T10:00:00.500000Z", datetime(2026, 1, 1, 10, 0, 0, 500000, tzinfo=UTC)),
    ("2026-01-01T10:00:00.123456789Z", datetime(2026, 1, 1, 10, 0, 0, 123456, tzinfo=UTC)),
    ("2026-01-01T12:00:00+02:00", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ("2026-01-01T05:30:00-04:30", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ("Thu, 01 Jan 2026 12:00:00 +0200", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ("2026-01-01 10:00:00", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ("yesterday", None), ("", None), (None, None), ("2026-13-01T00:00:00Z", None),
])
def test_instant(text, expected):
    assert instant(text) == expected


def test_first_failed_job_by_time_not_by_text():
    early = failed_job("early", "2026-01-01T12:00:00+02:00")  # 10:00 UTC
    late = failed_job("late", "2026-01-01T11:00:00Z")
    assert tr.first_failed_job([late, early]) is early
    frac = failed_job("frac", "2026-01-01T10:00:00.5Z")
    whole = failed_job("whole", "2026-01-01T10:00:00Z")
    assert tr.first_failed_job([frac, whole]) is whole
    rule, job = tr.matching_rule([{"name": "any"}], [late, early])
    assert job is early


def test_unparseable_stamp_sorts_last():
    bad, good = failed_job("bad", "not-a-time"), failed_job("good", "2026-01-01T23:00:00Z")
    assert tr.first_failed_job([bad, good]) is good


def _pod(finished: list[str]) -> dict:
    return {"status": {"containerStatuses": [
        {"name": f"c{i}", "state": {"terminated": {"exitCode": 1, "finishedAt": stamp}}}
        for i, stamp in enumerate(finished)]}}


def test_a_pods_first_termination_by_time():
    assert report._finished_at(_pod(["2026-01-01T10:00:00Z", "2026-01-01T10:00:00.5Z"])) == \
        "2026-01-01T10:00:00Z"
    assert report._finished_at(_pod(["2026-01-01T11:00:00Z",
                                      "2026-01-01T12:00:00+02:00"])) == \
        "2026-01-01T12:00:00+02:00"
