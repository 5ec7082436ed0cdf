"""Run skill scripts' main(argv) many times fast: import each script once, fork per call.

Started as a subprocess by the fuzz tests. One JSON request per line on stdin:
{"script": PATH|"module:NAME", "argv": [...], "stdin": PATH|null, "timeout": SECONDS}; one JSON reply per
line on stdout: {"code": INT|null, "stderr": TEXT, "timeout": BOOL}. A forked child runs
the call with its own stdin/stdout/stderr, so a crash, a hang or a leaked global cannot
touch the next call; an exception escaping main() is printed as a traceback (the defect
the tests look for) and exits 99.
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import time
import traceback

_loaded: dict[str, object] = {}


def _module(path: str):
    """A script by its path, or a package's CLI as `module:NAME` (e.g. module:harness.cli)."""
    if path.startswith("module:") and path not in _loaded:
        _loaded[path] = importlib.import_module(path[len("module:"):])
    if path not in _loaded:
        folder = os.path.dirname(path)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        name = "fuzz_" + os.path.basename(path)[:-3]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[path] = module
    return _loaded[path]


def _child(module, argv: list[str], stdin: str | None, err_path: str) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(os.open(stdin, os.O_RDONLY) if stdin else devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    sys.stdin = open(0, encoding="utf-8", errors="strict", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    sys.argv = [getattr(module, "__file__", "fuzz"), *argv]
    code = 99
    try:
        code = module.main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # the defect under test: print it like the interpreter would
        traceback.print_exc()
        code = 99
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code if isinstance(code, int) and 0 <= code < 256 else 98)


def _call(request: dict) -> dict:
    module = _module(request["script"])
    err_path = request["stderr"]
    pid = os.fork()
    if pid == 0:
        try:
            _child(module, request["argv"], request.get("stdin"), err_path)
        finally:
            os._exit(97)
    deadline = time.monotonic() + float(request.get("timeout", 30))
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"code": None, "timeout": True}
        time.sleep(0.005)
    code = os.waitstatus_to_exitcode(status)
    return {"code": code, "timeout": False}


def main() -> None:
    for path in sys.argv[1:]:
        _module(path)  # import everything once, before the first fork
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(_call(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
