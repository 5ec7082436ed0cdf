"""CEL comprehension macros: all, exists, exists_one, map, filter, sortBy and the two-variable
forms.

Error handling follows cel-go's macro expansions (common/parser/macro.go): `all` is false
as soon as one element is false, even when another element errored; `exists` likewise
for true; exists_one, map and filter propagate the first error.

    >>> from k8s_skillkit.cel_runtime import evaluate
    >>> evaluate("[1, 2, 3].filter(x, x % 2 == 1).map(x, x * 10)", {})
    [10, 30]
    >>> evaluate("{'a': 1}.all(k, v, k == 'a' && v == 1)", {})
    True
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .cel_runtime import CelError, Unsupported, no_overload

if TYPE_CHECKING:
    from .cel_runtime import Interpreter

# A parser node is a tuple whose first item is its tag; the rest differ by tag (cel_syntax).
Node = tuple[Any, ...]
Scope = dict[Any, Any]          # variable name -> CEL value
Pair = tuple[object, object]    # (index or key, element) of the target
Bind = Callable[[Pair], Scope]
Handler = Callable[["Interpreter", list[Pair], Bind, tuple[Node, ...]], object]


def comprehension(interp: Interpreter, node: Node, scope: Scope) -> object:
    _, name, target_node, var, var2, args = node
    target = interp.run(target_node, scope)
    if not isinstance(target, (list, dict)):
        raise no_overload(name, target)
    pairs = _pairs(target, var2 is not None)

    def bind(pair: Pair) -> Scope:
        inner = dict(scope)
        if var2 is None:
            inner[var] = pair[1]
        else:
            inner[var], inner[var2] = pair
        return inner

    handler = _HANDLERS.get(name)
    if handler is None:
        raise Unsupported(f"macro {name}")
    return handler(interp, pairs, bind, args)


def _pairs(target: list[Any] | dict[Any, Any], two_vars: bool) -> list[Pair]:
    if isinstance(target, dict):
        return [(k, target[k]) if two_vars else (None, k) for k in target]
    return [(i, v) for i, v in enumerate(target)]


def _quantifier(wins: bool) -> Handler:
    def run(interp: Interpreter, pairs: list[Pair], bind: Bind, args: tuple[Node, ...]
            ) -> bool:
        failure: Exception | None = None
        for pair in pairs:
            value = interp.attempt(args[0], bind(pair))
            if value is wins:
                return wins
            if isinstance(value, Exception):
                failure = failure or value
            elif not isinstance(value, bool):
                failure = failure or no_overload("_&&_" if not wins else "_||_", value)
        if failure is not None:
            raise failure
        return not wins
    return run


def _exists_one(interp: Interpreter, pairs: list[Pair], bind: Bind, args: tuple[Node, ...]
                ) -> bool:
    count = 0
    for pair in pairs:
        value = interp.run(args[0], bind(pair))
        if not isinstance(value, bool):
            raise no_overload("_?_:_", value)
        count += value
    return count == 1


def _predicate(interp: Interpreter, predicate: Node, scope: Scope) -> bool:
    value = interp.run(predicate, scope)
    if not isinstance(value, bool):
        raise no_overload("_?_:_", value)
    return value


def _map(interp: Interpreter, pairs: list[Pair], bind: Bind, args: tuple[Node, ...]
         ) -> list[object]:
    out: list[object] = []
    for pair in pairs:
        scope = bind(pair)
        if len(args) == 2 and not _predicate(interp, args[0], scope):
            continue
        out.append(interp.run(args[-1], scope))
    return out


def _filter(interp: Interpreter, pairs: list[Pair], bind: Bind, args: tuple[Node, ...]
            ) -> list[object]:
    return [pair[1] for pair in pairs if _predicate(interp, args[0], bind(pair))]


def _transform_map(interp: Interpreter, pairs: list[Pair], bind: Bind,
                   args: tuple[Node, ...]) -> dict[object, object]:
    out: dict[object, object] = {}
    for pair in pairs:
        scope = bind(pair)
        if len(args) == 2 and not _predicate(interp, args[0], scope):
            continue
        out[pair[0]] = interp.run(args[-1], scope)
    return out


def _transform_map_entry(interp: Interpreter, pairs: list[Pair], bind: Bind,
                         args: tuple[Node, ...]) -> dict[object, object]:
    out: dict[object, object] = {}
    for pair in pairs:
        scope = bind(pair)
        if len(args) == 2 and not _predicate(interp, args[0], scope):
            continue
        entry = interp.run(args[-1], scope)
        if not isinstance(entry, dict):
            raise no_overload("transformMapEntry", entry)
        for key, value in entry.items():
            if key in out:
                raise CelError(f"insert failed: key {key} already exists")
            out[key] = value
    return out


def _sort_by(interp: Interpreter, pairs: list[Pair], bind: Bind, args: tuple[Node, ...]
             ) -> list[object]:
    """ext.Lists sortBy(e, key): a stable sort on the computed keys."""
    import functools
    from .cel_runtime import compare
    keyed: list[Pair] = [(interp.run(args[0], bind(pair)), pair[1]) for pair in pairs]

    def by_key(a: Pair, b: Pair) -> int:
        return compare(a[0], b[0])
    keyed.sort(key=functools.cmp_to_key(by_key))
    return [value for _, value in keyed]


_HANDLERS: dict[str, Handler] = {
    "all": _quantifier(False), "exists": _quantifier(True),
    "exists_one": _exists_one, "existsOne": _exists_one,
    "map": _map, "transformList": _map, "filter": _filter,
    "transformMap": _transform_map, "transformMapEntry": _transform_map_entry,
    "sortBy": _sort_by,
}
