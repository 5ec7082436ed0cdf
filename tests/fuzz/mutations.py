"""Hypothesis strategies that turn a valid input into a hostile one.

Each draw starts from a real input of the script under test (a dump, a manifest, a spec,
a metrics scrape) and applies one mutation a user, a broken tool or an attacker produces:
a field removed or given another type, a value nested thousands of levels deep, a huge
document, binary bytes, YAML tags and aliases, a truncated or spliced text.
"""
from __future__ import annotations

import json

import yaml
from hypothesis import strategies as st

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["", "0", "-1", "1e999", "NaN", "true", "null", "~",
                                     "100Gi", "-5m", "0x1F", "1.5.3", "Always", "Pod",
                                     "v1", "a" * 300]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(
        ["kind", "apiVersion", "metadata", "name", "namespace", "spec", "status",
         "items", "containers", "conditions", "type", "reason", "message"])), inner,
        max_size=4)), max_leaves=12)

YAML_TAGS = [
    "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!binary aGVsbG8=",
    "!custom {a: 1}", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!timestamp 2024-01-01",
    "!!int '12'", "!!float .inf", "!!str 5", "!!null ''", "!!bool yes", "!<tag:x,2000:y> 1",
    "!!merge <<", "*undefined_alias", "&a [*a]",
]


def paths(doc, limit: int = 400) -> list[tuple]:
    """Paths to every value in a document (breadth first, at most `limit`)."""
    found, queue = [], [()]
    while queue and len(found) < limit:
        path = queue.pop(0)
        found.append(path)
        node = get(doc, path)
        if isinstance(node, dict):
            queue += [path + (k,) for k in node]
        elif isinstance(node, list):
            queue += [path + (i,) for i in range(len(node))]
    return found


def get(doc, path: tuple):
    for step in path:
        doc = doc[step]
    return doc


def put(doc, path: tuple, value):
    if not path:
        return value
    get(doc, path[:-1])[path[-1]] = value
    return doc


def remove(doc, path: tuple):
    if not path:
        return None
    parent = get(doc, path[:-1])
    del parent[path[-1]]
    return doc


def deep(depth: int, kind: str, leaf: str = "1") -> str:
    """A value nested `depth` levels deep, as JSON/YAML flow text (never built as objects:
    building it would hit the test's own recursion limit)."""
    if kind == "list":
        return "[" * depth + leaf + "]" * depth
    if kind == "map":
        return "{a: " * depth + leaf + "}" * depth
    depth = min(depth, 1000)  # block text grows with depth squared: 1,000 is 1 MB already
    return "".join("  " * i + "- " + ("\n" if i < depth - 1 else leaf) for i in range(depth))


def billion_laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nkind: Pod\napiVersion: v1\nmetadata: {{name: x}}\n" \
        f"spec: *a{levels - 1}\n"


def dump_docs(docs: list, as_json: bool) -> str:
    text = json.dumps(docs, default=str)
    if as_json or len(text) > 20000:  # PyYAML's pure-Python emitter is slow on big ones
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": docs}
                          if len(docs) != 1 else docs[0], default=str)
    return yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False)


@st.composite
def structural(draw, docs: list) -> str:
    """One field removed or retyped, or a value made deep or huge, in one document."""
    docs = json.loads(json.dumps(docs, default=str))  # a private copy
    if not docs:
        return "{}"
    index = draw(st.integers(0, len(docs) - 1))
    doc = docs[index]
    where = paths(doc)
    path = where[draw(st.integers(0, len(where) - 1))]
    action = draw(st.sampled_from(["remove", "retype", "retype", "grow", "deep", "tag"]))
    as_json = draw(st.booleans())
    if action == "remove":
        docs[index] = remove(doc, path)
    elif action == "retype":
        docs[index] = put(doc, path, draw(VALUES))
    elif action == "grow":
        node = get(doc, path)
        docs[index] = put(doc, path, [node] * draw(st.integers(50, 3000))
                          if not isinstance(node, str) else node * 2000)
    else:
        marker = "__FUZZ_MARKER__"
        docs[index] = put(doc, path, marker)
        text = dump_docs(docs, as_json=False)
        if action == "deep":
            value = deep(draw(st.sampled_from([200, 1000, 5000, 30000])),
                         draw(st.sampled_from(["list", "map"])))
        else:
            value = draw(st.sampled_from(YAML_TAGS))
        return text.replace(f'"{marker}"', value, 1).replace(marker, value, 1)
    return dump_docs([d for d in docs if d is not None] or [{}], as_json)


@st.composite
def textual(draw, text: str) -> bytes:
    """The raw text cut, spliced, repeated or salted with binary bytes."""
    data = text.encode()
    action = draw(st.sampled_from(["truncate", "splice", "binary", "nul", "repeat",
                                   "bom", "crlf"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if action == "truncate":
        return data[:at]
    if action == "splice":
        end = draw(st.integers(at, len(data)))
        return data[:at] + data[end:] + data[at:end]
    if action == "binary":
        return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    if action == "nul":
        return data.replace(b"\n", b"\n\x00", draw(st.integers(1, 5)))
    if action == "repeat":
        return data * draw(st.integers(2, 40))
    if action == "bom":
        return b"\xef\xbb\xbf" + data
    return data.replace(b"\n", b"\r\n")


def parsed(texts: list[str]) -> list[tuple[str, list | None]]:
    """Each seed text with its documents (None when it is not YAML objects), read once."""
    seeds = []
    for text in texts:
        try:
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError:
            docs = None
        if not docs or not all(isinstance(d, (dict, list)) for d in docs):
            docs = None
        seeds.append((text, docs))
    return seeds


@st.composite
def hostile(draw, seeds: list[tuple[str, list | None]]) -> bytes:
    """A hostile input grown from one of `seeds` (real inputs, see `parsed`)."""
    text, docs = draw(st.sampled_from(seeds))
    kind = draw(st.sampled_from(["structural", "structural", "structural", "textual",
                                 "deep", "laughs", "random"]))
    if kind == "structural":
        if docs:
            return draw(structural(docs)).encode()
        kind = "textual"
    if kind == "textual":
        return draw(textual(text))
    if kind == "deep":
        return deep(draw(st.sampled_from([100, 1000, 5000, 50000])),
                    draw(st.sampled_from(["list", "map", "block"]))).encode()
    if kind == "laughs":
        return billion_laughs(draw(st.integers(3, 9))).encode()
    return draw(st.one_of(st.binary(max_size=512), st.text(max_size=512).map(str.encode),
                          VALUES.map(lambda v: json.dumps(v, default=str).encode())))
