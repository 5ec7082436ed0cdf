"""A program's fatal log records: the program exits right after each one.

Every Go logging library ends the process on its fatal level, and a Go panic ends it too:
- zap `Logger.Fatal` "calls os.Exit(1), even if logging at FatalLevel is disabled"
  (go.uber.org/zap@v1.28.0 logger.go:288-294; logger.go:350-351 attaches
  zapcore.WriteThenFatal, zapcore/entry.go:185-198 `exit.With(1)`); its level is written
  `"fatal"` (zapcore/level.go:127-128, the production JSON encoder's LowercaseLevelEncoder)
  or `FATAL` (level.go:151-152, the development console encoder's CapitalLevelEncoder,
  config.go:211, fields tab-separated: zapcore/console_encoder.go:60); Istio's pkg/log
  writes the console level lowercase (pkg/log/config.go:90, exit: config.go:350);
- klog `Fatal` "prints stack trace(s), then calls OsExit(255)" (k8s.io/klog/v2@v2.140.0
  klog.go:1670-1686, klog.go:1003), its header `Fmmdd hh:mm:ss.uuuuuu PID file:line] `
  (internal/buffer/buffer.go:117-152, severity letters "IWEF": internal/severity/
  severity.go:39);
- logrus `Logger.Fatal` logs then `logger.Exit(1)` (github.com/sirupsen/logrus@v1.9.3
  logger.go:247-250), its level `fatal` (logrus.go:71-72: `level=fatal` in text, `"level":
  "fatal"` in JSON); its `panic` level panics after logging;
- CoreDNS's own logger prints `[FATAL] M` and calls os.Exit(1) (coredns plugin/pkg/log/log.go
  v1.2.2:72 / v1.14.7:94 Fatalf, prefix "[FATAL] "), after a date or an RFC 3339 stamp
  (coredns/coredns#2087: `2018/09/06 13:02:45 [FATAL] plugin/loop: ...`); only a line that
  starts with the stamp-and-level, not "[FATAL]" quoted inside a message;
- the Go runtime's `panic: M` at the start of a line (exit 2).
An error-level line is no exit (the program may retry), so it is not read here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

# a level field that says fatal or panic, in JSON (zap, logrus JSONFormatter) ...
_JSON_FATAL = re.compile(r'"level"\s*:\s*"(fatal|panic)"', re.IGNORECASE)
_JSON_FIELD = r'"{key}"\s*:\s*"((?:[^"\\]|\\.)*)"'
# ... in logfmt (logrus TextFormatter, go-kit) ...
_LOGFMT_FATAL = re.compile(r'(?:^|\s)level="?(fatal|panic)"?(?:\s|$)', re.IGNORECASE)
_LOGFMT_MSG = re.compile(r'(?:^|\s)msg=("(?:[^"\\]|\\.)*"|\S+)')
_LOGFMT_ERR = re.compile(r'(?:^|\s)(?:error|err)=("(?:[^"\\]|\\.)*"|\S+)')
# ... and at the start of a line: klog's header letter F, zap's console encoder (time, FATAL,
# then logger name, caller, message), CoreDNS's [FATAL], the runtime's panic
_PREFIXED = (
    re.compile(r"^\s*F\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w./-]+:\d+\] (?P<msg>.+)"),
    re.compile(r"^\s*\d{4}-\d\d-\d\dT\S+\s+fatal\s+(?P<msg>.+)", re.IGNORECASE),
    re.compile(r"^\s*(?:\d{4}[/-]\d\d[/-]\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?\s+)?"
               r"\[FATAL\]\s+(?P<msg>.+)"),
)
_RUNTIME_PANIC = re.compile(r"^panic: (?P<msg>.+)")
_JSON_BLOCK_LINES = 60


@dataclass
class Fatal:
    message: str   # the fatal message (and its error field), unescaped
    line: str      # the line (or record) as pasted
    panic: bool = False  # a panic (the runtime's, or a logger's panic level), not a fatal call


def records(lines: list[str]) -> list[Fatal]:
    """The fatal log records in pasted lines, in every form above (a JSON record on one line
    or pretty-printed over several)."""
    out: list[Fatal] = []
    texts = [str(line) for line in lines or []]
    i = 0
    while i < len(texts):
        opened = texts[i].strip()
        if opened.startswith("{") and not opened.endswith("}"):
            # a pretty-printed JSON record: read to its closing brace
            end = next((j for j in range(i + 1, min(len(texts), i + _JSON_BLOCK_LINES))
                        if texts[j].strip().endswith("}")), None)
            if end is not None:
                record = _json_record(" ".join(t.strip() for t in texts[i:end + 1]))
                if record is not None:
                    out.append(record)
                i = end + 1
                continue
        record = _json_record(texts[i]) or _logfmt_record(texts[i]) or \
            _prefixed_record(texts[i])
        if record is not None:
            out.append(record)
        i += 1
    return out


def _json_record(text: str) -> Fatal | None:
    level = _JSON_FATAL.search(text)
    if not level:
        return None
    said = [p for p in (_json_field(text, key) for key in ("msg", "message", "error", "err"))
            if p]
    return Fatal(": ".join(said), text.strip(), level.group(1).lower() == "panic") \
        if said else None


def _json_field(text: str, key: str) -> str:
    match = re.search(_JSON_FIELD.format(key=key), text)
    if not match:
        return ""
    try:
        value = json.loads(f'"{match.group(1)}"')
    except ValueError:
        value = match.group(1)
    return " ".join(str(value).split())


def _logfmt_record(text: str) -> Fatal | None:
    level = _LOGFMT_FATAL.search(text)
    if not level:
        return None
    parts = [m.group(1) for m in (_LOGFMT_MSG.search(text), _LOGFMT_ERR.search(text)) if m]
    said = [" ".join(_unquote(p).split()) for p in parts]
    return Fatal(": ".join(s for s in said if s), text.strip(),
                 level.group(1).lower() == "panic") if any(said) else None


def _unquote(value: str) -> str:
    if value.startswith('"'):
        try:
            return str(json.loads(value))
        except ValueError:
            return value.strip('"')
    return value


def _prefixed_record(text: str) -> Fatal | None:
    match = next((m for m in (p.match(text) for p in _PREFIXED) if m), None)
    if match:
        return Fatal(" ".join(match.group("msg").split()), text.strip())
    panic = _RUNTIME_PANIC.match(text)
    return Fatal(" ".join(panic.group("msg").split()), text.strip(), True) if panic else None
