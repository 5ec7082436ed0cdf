"""`kubectl describe` text as an indentation tree of `Key: value` lines.

kubectl writes describe output through a PrefixWriter (two spaces per level) and a
tabwriter (k8s.io/kubectl pkg/describe/describe.go: tabbedString, LEVEL_0..LEVEL_4), so a
line's indentation is its nesting and `Key:<spaces>value` its field. Multi-line values
(Labels, Annotations, Taints, Tolerations) continue on lines indented to the value column:
they become children of their key here and the converters read them as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_PADDED = re.compile(r":[ \t]+$")
_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9._/()-]*(?: [A-Za-z0-9._/()-]+)*):(?:\s+(.*))?$")


@dataclass
class Node:
    indent: int
    text: str                 # the line without its indentation
    key: str | None = None    # `Key` of a `Key: value` line, else None
    value: str = ""
    blank_value: bool = False  # `Key:` then padding: an empty string, not an empty map
    children: list["Node"] = field(default_factory=list)

    def child(self, key: str) -> "Node | None":
        return next((c for c in self.children if c.key == key), None)

    def value_of(self, key: str, default: str = "") -> str:
        node = self.child(key)
        return node.value if node is not None else default

    def lines(self) -> list[str]:
        """The value and every continuation line (Labels-style multi-line values)."""
        return ([self.value] if self.value else []) + [d.text for d in self.descendants()]

    def descendants(self) -> list["Node"]:
        out = []
        for child in self.children:
            out.append(child)
            out.extend(child.descendants())
        return out


def parse_line(line: str) -> Node:
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    # printUnstructuredContent writes scalars as "Key:\t%v" (the tabwriter pads the cell even
    # when the value is empty) and maps/lists as "Key:" with nothing after the colon.
    padded_empty = bool(_PADDED.search(stripped))
    stripped = stripped.rstrip()
    match = _KEY.match(stripped)
    if match and len(match.group(1)) <= 64:
        value = (match.group(2) or "").strip()
        return Node(indent, stripped, match.group(1), value, padded_empty and not value)
    return Node(indent, stripped)


def outline(lines: list[str]) -> Node:
    """The tree of one describe block; the root holds the top-level fields."""
    root = Node(-1, "")
    stack = [root]
    for line in lines:
        if not line.strip():
            continue
        node = parse_line(line.replace("\t", "    "))
        while stack[-1].indent >= node.indent:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root
