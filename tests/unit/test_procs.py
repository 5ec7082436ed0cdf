"""wait_until retries transient errors but gives up at once on a UserError."""
from __future__ import annotations

import pytest

from harness.cluster import procs
from harness.errors import UserError


def test_transient_errors_are_retried_until_success():
    calls = []

    def check():
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("not yet")
        if len(calls) == 2:
            raise UserError("kubectl get crd failed: NotFound")  # also just "not yet"
        return "up"

    assert procs.wait_until(check, timeout=5, interval=0.01) == "up"
    assert len(calls) == 3


def test_stop_waiting_ends_the_wait_at_once():
    calls = []

    def check():
        calls.append(1)
        raise procs.StopWaiting("Kueue exited during start-up")

    with pytest.raises(UserError, match="exited"):
        procs.wait_until(check, timeout=30, interval=0.01)
    assert len(calls) == 1


def test_timeout_names_what_and_the_last_error():
    def check():
        raise OSError("connection refused")

    with pytest.raises(TimeoutError, match="waiting for the webhook.*connection refused"):
        procs.wait_until(check, timeout=0.2, interval=0.05, what="the webhook")
