"""The output contract of every script: text by default, --json, exit 0/1/2.

Usage in a script:

    def main(argv=None):
        parser = make_parser("Explain why ...")
        parser.add_argument(...)
        return run(parser, argv, body)   # body(args) -> (payload_dict, text, exit_code)
"""
from __future__ import annotations

from typing import Any, Callable, NoReturn, Sequence
import argparse
import json
import os
import sys

from . import SCHEMA_VERSION
from . import unread
from .errors import InputError
from .findings import render_text
from .prose import ProseOnly


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit 2, without the usage dump."""

    def error(self, message: str) -> NoReturn:  # noqa: D401 - argparse API
        raise InputError(f"usage: {message} (see --help)")


def make_parser(description: str, epilog: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(description=description, epilog=epilog,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document (with schema_version) instead of text")
    return parser


def add_dump_arg(parser: argparse.ArgumentParser, command: str) -> None:
    """-f/--filename DUMP: `command`'s output (the kubectl get that dumps what the script
    reads) from a file or stdin instead of the live cluster."""
    parser.add_argument("-f", "--filename", metavar="DUMP",
                        help=f"{command} (- = stdin) instead of the live cluster")


Body = Callable[[argparse.Namespace], tuple[dict[str, Any], str, int]]


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None, body: Body) -> int:
    """Parse, call body(args) -> (payload, text, code), print, and map errors to exit 2."""
    unread.reset()
    try:
        args = parser.parse_args(argv)
        payload, text, code = shape_errors_as_input(body)(args)
        payload, text = unread.report(payload, text)
    except ProseOnly as prose:
        # a report in words is read, not refused: one info finding says what would decide it
        payload, code = {"findings": [prose.finding()]}, 0
        text = render_text(payload["findings"])
    except InputError as err:
        # One line, always: messages may carry kubectl's or YAML's multi-line text.
        print("error: " + " ".join(str(err).split()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    try:
        emit(args, payload, text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()  # `script | head` closed the pipe: not an error worth a traceback
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        doc = {"schema_version": SCHEMA_VERSION}
        doc.update(payload)
        json.dump(doc, sys.stdout, indent=2, sort_keys=False, default=str)
        sys.stdout.write("\n")
    elif text:
        print(text)


SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def shape_errors_as_input(body: Body) -> Body:
    """Wrap a script body so objects of an unexpected shape (a hand-edited dump, a field of
    the wrong type, a value nested past Python's recursion limit) are reported as bad input
    (exit 2, one line), not a traceback. `run` applies it to every script."""
    def guarded(args: argparse.Namespace) -> tuple[dict[str, Any], str, int]:
        try:
            return body(args)
        except RecursionError as err:
            raise InputError("the input is nested too deeply to read") from err
        except SHAPE_ERRORS as err:
            raise InputError(f"unexpected object shape in the input: "
                             f"{type(err).__name__}: {err}") from err
    return guarded
