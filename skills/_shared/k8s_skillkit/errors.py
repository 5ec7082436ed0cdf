"""The input/usage error every script reports as one line on stderr and exit code 2."""


class InputError(Exception):
    """Bad usage or bad input: a missing file, malformed YAML, a dead cluster."""
