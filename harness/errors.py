"""The one exception users see: a problem they can fix, reported as one line and exit 2."""


class UserError(Exception):
    """Bad input, a missing prerequisite or a broken environment.

    The CLI prints ``error: <message>`` on stderr and exits with code 2; the message
    should name the fix (``install Go 1.26+``, ``free port 6443 or pass --port``).
    """
