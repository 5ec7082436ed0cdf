"""The status wording catalogue (references/catalogue/*.yaml) as matchers.

The catalogue lists every condition reason and status message the Gateway API, the Inference
Extension and the implementations write, with versions and upstream sources. The hand-written
patterns of messages.py come first (they capture names and carry precise hints); this module
answers for every other catalogued wording, so a message from another version or another
implementation is still mapped to its cause, and a healthy message is known as healthy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).resolve().parents[2] / "references" / "catalogue"
NON_FAULT = frozenset({"not-a-fault", "unknown-on-purpose"})
LAYER = {"route": "attach", "gateway": "gateway", "listener": "listener",
         "listenerset": "listener", "class": "class", "pool": "pool", "text": "backend",
         "policy": "attach"}
# A wording shorter than this (its fixed text, format verbs removed) is matched in a line of
# prose only inside quotes or beside status vocabulary: "The Gateway is invalid" is also what
# a user may say in their own words.
LONG_WORDING = 30
_VERB = re.compile(r"%[-+# 0-9.]*[sdvqtwx]")


@dataclass(frozen=True)
class Row:
    component: str
    rid: str
    scope: str
    ctype: str
    status: str
    reason: str
    wording: str
    cause: str
    regex: re.Pattern | None
    literal: int                       # characters of fixed text in the wording
    anchor: str = ""                   # its longest fixed part, lower case: must be in a text

    @property
    def fault(self) -> bool:
        return self.cause not in NON_FAULT

    @property
    def layer(self) -> str:
        return LAYER.get(self.scope, "backend")


_VALUE = r"(?:(?![.!?]\s+[A-Z#*`])[^\n])+?"
# a value between two fixed parts is a name, kind or number: it does not run past a `: `
# (a message's `prefix: detail` seam), so Kong's `Route %s not supported` (InvalidRouteKinds,
# a listener's) is not read inside Envoy Gateway's route message `Failed to process route rule
# 0 backendRef 0: Specific filter is not supported ...` (envoyproxy/gateway#7775)
_MID_VALUE = r"(?:(?![.!?]\s+[A-Z#*`]|:\s)[^\n])+?"


def _compile(wording: str) -> tuple[re.Pattern | None, int]:
    wording = wording.strip().rstrip(".;").strip()   # a sentence's period is often cut
    parts = _VERB.split(wording)
    literal = sum(len(p.strip()) for p in parts)
    words = len(re.findall(r"[A-Za-z]{2,}", "".join(parts)))
    if words < 3:       # "%s" or one word: not a wording one can recognise by itself
        return None, literal
    verbs = _VERB.findall(wording)
    pieces = []
    for i, part in enumerate(parts):
        # (a run of spaces is one gap: texts are read with their whitespace folded, and AWS
        # LBC writes `is not accepted. Reason:  %s)`, pkg/gateway/routeutils/backend.go:260)
        pieces.append(r"\s+".join(re.escape(w) for w in re.split(" +", part)) if part else "")
        if i < len(verbs):
            # a value stays inside its sentence: read from a paragraph ("the `port` field ...
            # BackendRef not found"), `port %v not found` must not span sentences
            between = bool(parts[i + 1].strip())
            pieces.append(r"(\d+)" if verbs[i].endswith("d") else
                          f"({_MID_VALUE if between else _VALUE})")
    # a wording that opens or ends with a word opens or ends there ("Route %s not supported"
    # is not inside "HTTPRoute header modifier ... is not supported")
    head = r"\b" if re.match(r"\w", wording) else ""
    # (a value at the end ends where the text does: `All rules are invalid: [...]`)
    ends_in_value = bool(re.search(_VERB.pattern + "$", wording))
    tail = r"\b" if re.search(r"\w$", wording) and not ends_in_value else ""
    return re.compile(head + "".join(pieces) + tail, re.IGNORECASE), literal


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    out = []
    for path in sorted(CATALOGUE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in doc.get("rows") or []:
            wording = str(raw.get("wording") or "")
            regex, literal = _compile(wording) if wording else (None, 0)
            out.append(Row(str(doc.get("component", path.stem)), str(raw["id"]),
                           str(raw["scope"]), str(raw.get("type") or ""),
                           str(raw.get("status", "False")), str(raw.get("reason") or ""),
                           wording, str(raw["cause"]), regex, literal, _anchor(wording)))
    return tuple(out)


def _anchor(wording: str) -> str:
    """The longest fixed part of a wording, spaces single, lower case. A text must hold it for
    the row's regex to match (texts are read with their whitespace folded), so the regexes of
    several hundred rows run only on the lines that can match: a 1 MB paste stays fast."""
    parts = _VERB.split(wording.strip().rstrip(".;").strip())
    return max((" ".join(p.split()) for p in parts), key=len, default="").lower()


def match_wording(text: str, scopes: tuple[str, ...] | None = None,
                  long_only: bool = False, prefer: tuple[str, ...] = ()) -> Row | None:
    """The most specific catalogued wording in `text` (the longest fixed text wins; between
    equal ones, the row of a scope in `prefer`: Envoy Gateway writes `No section name %s
    found for Gateway %s` on a route and on a policy, internal/gatewayapi/route.go and
    validate.go:1536@v1.9.0)."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    best = None
    low = text.lower()
    for row in rows():
        if row.regex is None or (scopes and row.scope not in scopes):
            continue
        if long_only and row.literal < LONG_WORDING:
            continue
        if row.anchor not in low:
            continue
        if row.regex.search(text) and (best is None or (row.literal, row.scope in prefer) >
                                       (best.literal, best.scope in prefer)):
            best = row
    return best


def exact_wording(text: str, scope: str = "",
                  span: tuple[int, int] | None = None) -> Row | None:
    """The catalogued wording `text` is in full (a whole message, not a phrase in it), the
    row of `scope` first, then the longest fixed text: one implementation's exact words
    mean what its catalogue row says, whatever a keyword in them suggests. With `span` (a
    keyword's place in `text`), only a row whose fixed text holds the whole keyword: a
    keyword in a value the wording carries (Istio's `kind "InferencePool"`) says more than
    the row."""
    text = str(text or "")
    start = len(text) - len(text.lstrip("\"'` "))
    end = len(text.rstrip("\"'` .;"))
    if end <= start:
        return None
    # the quotes around a message are not its words, but a wording may end in a quote of
    # its own (`%s.Group must be ""`, `not allowed by listener '%s/%s/%s'`)
    spans = [(start, end), (0, len(text.rstrip(" .;")))]
    hits = []
    for row in rows():
        hit = next((h for a, b in spans for h in [row.regex.fullmatch(text, a, b)] if h),
                   None) if row.regex is not None else None
        if hit is None:
            continue
        values = [hit.span(g) for g in range(1, (hit.re.groups or 0) + 1)]
        if span is not None and any(a < span[1] and span[0] < b for a, b in values):
            continue
        hits.append(row)
    if not hits:
        return None
    return max(hits, key=lambda r: (r.scope == scope, r.literal))


def by_reason(scope: str, ctype: str, status: str, reason: str) -> Row | None:
    """The catalogue row for a condition's (type, status, reason) on that scope, preferring
    a reason-only row (the reason's meaning) over one implementation's message row."""
    hits = [r for r in rows() if r.scope == scope and r.reason == reason
            and r.status == status and (not r.ctype or r.ctype == ctype)]
    hits.sort(key=lambda r: bool(r.wording))
    return hits[0] if hits else None


def reason_causes(ctype: str, status: str, reason: str) -> dict[str, set[str]]:
    """scope -> causes the catalogue gives this (type, status, reason) on each scope."""
    out: dict[str, set[str]] = {}
    for r in rows():
        if r.reason == reason and r.status == status and (not ctype or r.ctype == ctype):
            out.setdefault(r.scope, set()).add(r.cause)
    return out


def known_reason(reason: str) -> bool:
    return any(r.reason == reason for r in rows())


# --- a line of text: a summary, a `Reason: message` line, a quoted or long wording ---------
# `Accepted: False (NotAllowedByListeners)`, `Programmed=False reason=Invalid`,
# `ResolvedRefs: "False", reason: BackendNotFound` (any status: a healthy line is known too)
_SUMMARY = re.compile(
    r"\b(?P<type>[A-Z][A-Za-z]+)\b\s*[:=]\s*[\"']?(?P<status>True|False|Unknown)[\"']?\s*"
    r"(?:\(\s*(?P<r1>[A-Z][A-Za-z]+)\s*\)|[,;]?\s*reason\s*[:=]\s*[\"']?(?P<r2>[A-Z][A-Za-z]+))")
# `InvalidKind: referencing unsupported backendRef ...` as users copy a condition
_REASON_LINE = re.compile(r"^\W*(?P<reason>[A-Z][a-z]+(?:[A-Z][A-Za-z]*)*)\W*:\s+(?P<msg>\S.*)$")
_QUOTED = re.compile(r'"([^"]{8,})"|`([^`]{8,})`|\u201c([^\u201d]{8,})\u201d')
_STATUS_WORDS = re.compile(r"\b(message|reason|status|condition)\b", re.IGNORECASE)
# the object a sentence names, most specific first ("listener http of Gateway gw")
_SCOPE_WORDS = (("policy", re.compile(r"\w*Polic(?:y|ies)\b", re.IGNORECASE)),
                ("listenerset", re.compile(r"\bX?ListenerSets?\b", re.IGNORECASE)),
                ("listener", re.compile(r"\blisteners?\b", re.IGNORECASE)),
                ("class", re.compile(r"\bGatewayClass(es)?\b", re.IGNORECASE)),
                ("pool", re.compile(r"\bInferencePools?\b|\bpools?\b", re.IGNORECASE)),
                ("route", re.compile(r"\b(HTTP|GRPC|TLS|TCP|UDP)?Routes?\b", re.IGNORECASE)),
                ("gateway", re.compile(r"\bGateways?\b", re.IGNORECASE)))
_SCOPE_ORDER = ("route", "gateway", "listener", "pool", "class", "listenerset", "policy")


def _named_scopes(text: str) -> list[str]:
    return [scope for scope, rx in _SCOPE_WORDS if rx.search(text)]


def _pick(candidates: list[Row], text: str) -> Row | None:
    """Among rows that fit the line equally, the one whose object the line names."""
    if not candidates:
        return None
    named = _named_scopes(text)
    for scope in named + list(_SCOPE_ORDER):
        for row in candidates:
            if row.scope == scope:
                return row
    return candidates[0]


def _summary(text: str) -> Row | None:
    for hit in _SUMMARY.finditer(text):
        reason = hit.group("r1") or hit.group("r2")
        status, ctype = hit.group("status"), hit.group("type")
        found = [r for r in rows() if r.reason == reason and r.status == status
                 and r.ctype == ctype]
        found.sort(key=lambda r: bool(r.wording))   # the reason's own row first
        row = _pick(found, text)
        if row is not None:
            return row
    return None


def _reason_line(text: str) -> Row | None:
    hit = _REASON_LINE.match(text)
    if not hit or not known_reason(hit.group("reason")):
        return None
    reason, message = hit.group("reason"), hit.group("msg")
    same = [r for r in rows() if r.reason == reason and r.regex is not None
            and r.regex.search(message)]
    if same:
        return max(same, key=lambda r: r.literal)
    return match_wording(message)


def read_structured(text: str) -> Row | None:
    """A `Type: Status (Reason)` summary or a `Reason: message` line: the condition's own
    reason bounds what its message can mean."""
    text = " ".join(str(text or "").split())
    return (_summary(text) or _reason_line(text)) if text else None


def whole_line(text: str) -> Row | None:
    """The fault row whose wording is the whole line (a condition's message copied alone:
    NGF's `All rules are invalid: [...]`), however short its fixed text. Weaker than a
    wording found inside a line: a wrapper wording (`Failed build model due to %s`) is the
    whole of a line a terminal cut before the specific part."""
    row = exact_wording(" ".join(str(text or "").split()))
    return row if row is not None and row.fault else None


def read_line(text: str) -> Row | None:
    """The catalogue row a line of text carries, healthy rows included; None if none."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    row = read_structured(text)
    if row is not None:
        return row
    marked = bool(_STATUS_WORDS.search(text))
    named = tuple(_named_scopes(text))
    for hit in _QUOTED.finditer(text):
        row = match_wording(next(g for g in hit.groups() if g), prefer=named)
        if row is not None:
            return row
    return match_wording(text, long_only=not marked, prefer=named)
