"""Process-wide test set-up.

A shell without job control starts a background command with SIGINT ignored (POSIX), and a
Python started that way installs no KeyboardInterrupt handler, nor do the processes it starts.
The Ctrl-C tests (tests/evals/test_health.py, tests/live/test_evals_faults_live.py) send
SIGINT as a terminal would, so under `./.ci/run &` they saw nothing: put the handler a
terminal gives back, which the children then inherit as the default disposition.
"""
from __future__ import annotations

import signal

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
