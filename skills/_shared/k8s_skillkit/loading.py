"""Read Kubernetes objects from a file, stdin, or live through kubectl.

Everything a diagnostic script looks at arrives as plain dicts in a `Dump` (a list that also
knows which kinds it holds in full), whichever way it came: a `kubectl get -o yaml|json`
dump (List, multi-document or single object), a manifest, a `kubectl get events` table,
`kubectl describe` text, a mix of them with shell prompts in between, or live state.
"""
from __future__ import annotations
from typing import Any, TypeVar

from collections.abc import Callable, Iterable
import gc
import json
import os
import re
import shutil
import subprocess
import sys

from .crd import is_resource_type_absent
from .dump import ALL_NAMESPACES, Dump, kind_for_resource, resource_for
from .errors import InputError
from . import elisions, scalar_cuts, surface, unread
from .paste import add_document, is_object, read_paste

try:
    import yaml
    HAVE_YAML = True
except ImportError:  # pragma: no cover - PyYAML is the one allowed dependency
    HAVE_YAML = False  # `yaml` stays unbound: every use checks HAVE_YAML first


# kubectl describe prints Capitalized `Key:` fields at column 0; manifests and config files
# use lowerCamelCase keys.
_DESCRIBE_LIKE = re.compile(r"^[A-Z][A-Za-z -]*:", re.M)
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
T = TypeVar("T")


class ResourceTypeAbsent(InputError):
    """kubectl said the resource type is not served (an optional CRD is not installed)."""


def read_text(path: str) -> tuple[str, str]:
    """Return (text, label) of a file or '-' for stdin; InputError when unreadable."""
    if path == "-":
        try:
            return sys.stdin.read(), "<stdin>"
        except UnicodeDecodeError as err:
            raise InputError(f"<stdin>: not UTF-8 text: {err.reason}") from err
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, pass a file")
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(), path
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read: {err}") from err


def parse_documents(text: str, label: str) -> Dump:
    """Every object in a pasted text; Lists flattened, empty documents dropped.

    Raises InputError (one line) when the text holds no object in a form the kit reads.
    """
    dump, why_not = _parse(text, label, read_cut=False)
    if not len(dump):
        raise InputError(f"{label}: {why_not}")
    return unread.note(dump)


def parse_paste(text: str, label: str) -> Dump:
    """Like parse_documents, but a paste holding only text (an error message, log lines) is
    not an error: its lines are in `Dump.texts`. A document the paste cut inside its last
    line (a stored issue cut mid-key) is read without that line, and said so in `unread`;
    parse_documents refuses it (a manifest file is not cut: its broken line is an error)."""
    return unread.note(_parse(text, label, read_cut=True)[0])


def _parse(text: str, label: str, read_cut: bool) -> tuple[Dump, str]:
    """(objects, why there are none) of a pasted text, each one of a sane size (see
    `check_size`)."""
    try:
        dump, why_not = _parse_text(text, label, read_cut)
    except RecursionError as err:  # the YAML/JSON parsers recurse once per nesting level
        raise InputError(f"{label}: nested deeper than {MAX_DEPTH} levels") from err
    if has_yaml_alias(text):  # the walk costs seconds on a big dump: only when needed
        for index, obj in enumerate(dump):
            check_size(obj, f"{label}: object {index + 1}")
    return dump, why_not


def has_yaml_alias(text: str) -> bool:
    r"""Whether `text` holds `*name` where YAML allows an alias: after the start, a line
    break, a blank, `[`, `{` or `,`, and followed by neither a blank nor `,[]{}` (kubectl
    never prints one; a glob may look like one).

    str.find jumps from `*` to `*` at C speed; the equivalent regex,
    `(?:^|[\s\[{,])\*[^\s,\[\]{}]` with re.M, tries a match at every position: about 2 s of a
    140 MB dump's 7 s in triage (benchmarks/triage_bench.py).
    """
    at = text.find("*")
    while at != -1:
        before = text[at - 1] if at else "\n"
        after = text[at + 1:at + 2]
        if (before.isspace() or before in "[{,") and after and not after.isspace() \
                and after not in ",[]{}":
            return True
        at = text.find("*", at + 1)
    return False

# Deeper than any Kubernetes object (a CRD embedding a pod template nests well under 100),
# shallow enough that every recursive walk in the scripts stays far from Python's limit.
MAX_DEPTH = 200
# Values YAML aliases may add beyond the document's own: `&a [*a, *a, ...]` nested a few
# times ("billion laughs") is small as text but a walk over it never ends.
MAX_ALIAS_GROWTH = 1_000_000


def check_size(value: object, where: str) -> None:
    """InputError when `value` nests deeper than MAX_DEPTH or its aliases expand it by more
    than MAX_ALIAS_GROWTH values. Iterative, and each container is sized once."""
    sizes: dict[int, int] = {}
    stack = [(value, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise InputError(f"{where} is nested deeper than {MAX_DEPTH} levels")
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
        elif id(node) not in sizes:
            stack.append((node, depth, True))
            stack.extend((c, depth + 1, False) for c in children)
    unique = len(sizes)
    if sizes.get(id(value), 0) - unique > MAX_ALIAS_GROWTH:
        raise InputError(f"{where}: YAML aliases expand it to {sizes[id(value)]:,} values")


def _parse_text(text: str, label: str, read_cut: bool) -> tuple[Dump, str]:
    if not text or text.isspace():  # not .strip(): a copy of the whole text (a dump: 355 MB)
        raise InputError(f"{label}: empty input, no Kubernetes objects found")
    text = surface.clean(text)  # CRLF, `> ` quotes: how it was posted, not what it says
    text = scalar_cuts.rejoin_text(text)  # a terminal's cut, before YAML folds it
    docs, yaml_error = _whole_documents(text)
    whole = _as_dump(text, docs)
    if whole is not None:
        return whole, ("" if len(whole) else "no Kubernetes object found: the YAML has no "
                       "kind or apiVersion (paste the whole `kubectl get -o yaml` output)")
    try:
        dump = _without_gc(lambda: read_paste(text, label, read_cut))
    except InputError as err:
        message = str(err)
        raise InputError(message if message.startswith(label) else f"{label}: {message}") \
            from err
    wrong = next(((i, d) for i, d in enumerate(docs or []) if isinstance(d, list)), None)
    if wrong is not None:
        why = (f"document {wrong[0] + 1} is a {type(wrong[1]).__name__}, "
               "expected a Kubernetes object (a mapping)")
    elif yaml_error and not dump.forms:
        why = f"not valid YAML/JSON: {yaml_error}"  # nothing else recognised either
    else:
        why = ("no Kubernetes objects found (expected kubectl get -o yaml|json, "
               "kubectl get events or kubectl describe output)")
    return dump, why


def _whole_documents(text: str) -> tuple[list[Any] | None, str]:
    """The whole text as YAML/JSON documents, or (None, why) when it is not one."""
    try:
        return _without_gc(lambda: list(_load_all(text))), ""
    except InputError:
        raise
    except Exception as err:  # yaml.YAMLError, json errors: maybe a mixed paste
        return None, _one_line(err)


def _as_dump(text: str, docs: list[Any] | None) -> Dump | None:
    """Fast path: the whole text is YAML/JSON objects (a dump may be 100+ MB)."""
    if not docs or not all(isinstance(d, dict) or d is None for d in docs):
        return None
    objects = elisions.repaired([d for d in docs if d], text, False)
    if not objects:
        return None
    identifier_keys = all(_KEY.match(str(k)) for d in objects for k in d)
    if not any("kind" in d or "apiVersion" in d for d in objects) and (
            _DESCRIBE_LIKE.search(text) or not identifier_keys):
        # describe text or prose, which YAML may read as a mapping ("Error from server
        # (Forbidden): ..."); config files (a policy) have identifier keys
        return None
    if not identifier_keys:
        # a line of prose or an events row before the YAML ("Warning  Pending  15s ...
        # couldn't assign flavors to pod set main: resource ...") that YAML read as one more
        # key of the first object: read the paste part by part instead
        return None
    dump = Dump(forms=["json" if text.lstrip()[:1] in "{[" else "yaml"])
    for doc in objects:
        if is_object(doc):
            add_document(dump, doc)
        else:
            dump.fragments.append(doc)  # kind-less: not an object, kept decoded
    if dump.fragments:
        dump.texts.extend(text.splitlines())
    return dump


def flatten(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """A `kind: List` (or `*List`) with items becomes its items, recursively."""
    dump = Dump()
    add_document(dump, doc)
    return list(dump)


def load_objects(path: str) -> Dump:
    """Objects from a file or '-' (stdin), in any form the kit reads; InputError if none."""
    text, label = read_text(path)
    return parse_documents(text, label)


def load_mapping(path: str, what: str) -> dict[str, Any]:
    """A settings file (a policy, a generator spec): one YAML/JSON mapping, not objects.

    Kind-less YAML is a fragment to the object loaders, so settings are read here instead.
    """
    text, label = read_text(path)
    try:
        docs = [d for d in _without_gc(lambda: list(_load_all(text))) if d is not None]
    except InputError:
        raise
    except Exception as err:  # yaml.YAMLError, json errors
        raise InputError(f"{label}: not valid YAML: {_one_line(err)}") from err
    if len(docs) != 1 or not isinstance(docs[0], dict):
        raise InputError(f"{label}: {what} is one YAML mapping")
    check_size(docs[0], label)
    return docs[0]


def load_paste(path: str) -> Dump:
    """Like load_objects, but text-only input (a pasted error) is returned, not refused."""
    text, label = read_text(path)
    return parse_paste(text, label)


def kubectl_get(resources: str, namespace: str | None = None, all_namespaces: bool = False,
                timeout: float = 30) -> Dump:
    """Live objects via the user's kubectl (contexts and auth plugins just work).

    The result is a full listing of each requested type (in `namespace`, or everywhere with
    `all_namespaces`), so `Dump.presence` may answer "absent". A type the server does not
    serve raises ResourceTypeAbsent (an InputError): catch it for optional CRDs.
    """
    exe = shutil.which("kubectl")
    if not exe:
        raise InputError("kubectl not found on PATH: install it, or pass a dump with -f FILE")
    cmd = [exe, "get", resources, "-o", "json"]
    if all_namespaces:
        cmd.append("--all-namespaces")
    elif namespace:
        cmd += ["-n", namespace]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise InputError(f"kubectl get {resources}: no answer in {timeout:.0f}s "
                         "(is the cluster up?)") from err
    except OSError as err:
        raise InputError(f"kubectl get {resources}: cannot run {exe}: {err}") from err
    if proc.returncode != 0:
        message = f"kubectl get {resources}: {_one_line(proc.stderr) or 'failed'}"
        if is_resource_type_absent(proc.stderr):
            raise ResourceTypeAbsent(message)
        raise InputError(message)
    try:
        doc = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError as err:
        raise InputError(f"kubectl get {resources}: output is not JSON: {err}") from err
    dump = Dump(live=True, forms=["live"])
    add_document(dump, doc)
    _mark_live_listing(dump, resources, namespace, all_namespaces)
    return dump


def _mark_live_listing(dump: Dump, resources: str, namespace: str | None,
                       all_namespaces: bool) -> None:
    for resource in resources.split(","):
        kind = kind_for_resource(resource)
        kinds = {kind} if kind else {str(o.get("kind", "")) for o in dump} - {""}
        for listed in kinds:
            if all_namespaces or not resource_for(listed)[1]:
                scope = {ALL_NAMESPACES}
            elif namespace:
                scope = {namespace}
            else:  # the context's namespace: known only through the objects returned
                scope = {(o.get("metadata") or {}).get("namespace", "") for o in dump
                         if o.get("kind") == listed}
            dump.mark_full_list(listed, scope)


def _load_all(text: str) -> Iterable[Any]:
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            value = json.loads(text)
            return value if isinstance(value, list) else [value]
        except json.JSONDecodeError:
            pass  # YAML flow style also starts with { or [
    if not HAVE_YAML:
        raise InputError("PyYAML is not installed: pip install pyyaml (or pass JSON)")
    return yaml.safe_load_all(text)


def _without_gc(build: Callable[[], T]) -> T:
    """Run `build()` with the cyclic garbage collector paused.

    Parsing a big dump allocates millions of small dicts and lists and no cycles; the
    collector's repeated passes over them tripled parse time on a 140 MB dump.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if was_enabled:
            gc.enable()


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]
