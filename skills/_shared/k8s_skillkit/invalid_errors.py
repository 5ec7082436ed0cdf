"""The API server's refusal of an object that fails validation, in the forms users paste.

Every skill meets these: `kubectl apply` output, a controller's FailedCreate event or log
line, an operator's reconcile error. One reader, so the wordings are parsed alike.

Sources (k8s.io/apimachinery, k8s.io/apiserver, k8s.io/kubectl v0.37.2; same text since 1.2):
- pkg/api/errors/errors.go NewInvalid: `KIND[.GROUP] "NAME" is invalid: ERRORS`; one field
  error bare, several as utilerrors' `[E1, E2]`; without errors only `... is invalid`.
- pkg/util/validation/field/errors.go: one error is `FIELD: TYPE[: VALUE][: DETAIL]`, TYPE
  one of the ErrorType strings below (ErrorType.String).
- kubectl pkg/cmd/util/helpers.go checkErr/MultilineError: `The KIND "NAME" is invalid: E`
  for one cause, `The KIND "NAME" is invalid: ` then `* E` per line for several;
  pkg/cmd/util/editor/editoptions.go: `RESOURCE.GROUP "NAME" was not valid:` then `* E`
  lines (commented `# * E` in the file kubectl edit reopens).
- Strict field validation (server side since 1.25, apiserver pkg/endpoints/handlers/rest.go
  and apimachinery pkg/runtime/error.go): `KIND in version "V" cannot be handled as a KIND:
  strict decoding error: unknown field "spec.x"`; the same prefix carries JSON type errors
  (`json: cannot unmarshal string into Go struct field ... of type int32`).
- kubectl <= 1.24 client-side validation: `error validating data:
  ValidationError(Deployment.spec): unknown field "x" in io.k8s.api.apps.v1.DeploymentSpec`
  (and `missing required field "x" in ...`, `invalid type for ...: got "string", expected
  "integer"`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# field.ErrorType.String() (pkg/util/validation/field/errors.go)
ERROR_TYPES = ("Not found", "Required value", "Duplicate value", "Invalid value",
               "Unsupported value", "Forbidden", "Too long", "Too many", "Too few",
               "Internal error", "Too short")
_TYPE = "|".join(re.escape(t) for t in ERROR_TYPES)
# A name or label value over its 63 limit (a DNS label, a label value), in every wording:
# apimachinery pkg/util/validation MaxLenError `must be no more than 63 characters` (to v0.34),
# `... 63 bytes` from v0.35 (pkg/api/validate/content/errors.go:41@eed236c)
OVER_63 = r"must be no more than 63 (?:bytes|characters)"
# a JSON or Go-quoted paste escapes the quotes: \"name\"
_Q = r'\\?"([^"\\]*)\\?"'
# the kind as printed: Kind, Kind.group, or (kubectl edit) resource.group
_INVALID = re.compile(r"(?:The )?([A-Z][A-Za-z0-9]*(?:\.[a-z0-9][a-z0-9.-]*)?|[a-z][a-z0-9]*"
                      r"\.[a-z0-9][a-z0-9.-]*\.[a-z]+) " + _Q
                      + r" (?:is invalid|was not valid)(?::\s*(.*))?", re.S)
# one field error: a field path (metadata.name, spec.containers[0].image, <nil>) then its type
_FIELD_ERR = re.compile(r"(?:^|(?<=[\s\[,*]))([\w.$\[\]/<>-]*[\w\]>]|\[\]): (" + _TYPE + r")\b")
_STRICT = re.compile(r"(?:([A-Z]\w*) in version " + _Q + r" cannot be handled as an? \w+: )?"
                     r"strict decoding error: (.*)", re.S)
_STRICT_ONE = re.compile(r"(unknown|duplicate) field " + _Q)
_UNMARSHAL = re.compile(r"([A-Z]\w*) in version " + _Q + r" cannot be handled as an? \w+: "
                        r"(?:json|yaml|v1\.\w+\.\w+): (.*)", re.S)
_CLIENT = re.compile(r"ValidationError\(([\w.\[\]]+)\): (unknown field|missing required field|"
                     r"invalid type for [\w.]+: got [^,]+?, expected \S+)\s*(" + _Q + r")?")
# where a refusal ends: a fence, a blank line, kubectl's validation hint, or a line that is
# not one of kubectl's `* FIELD: ...` lines (`# * ` in the file kubectl edit reopens)
_END = re.compile(r"\s*(?:```|\n\s*\n|;\s*if you choose to ignore|\n(?=\S)(?!(?:#\s*)?\* ))")


@dataclass(frozen=True)
class FieldError:
    field: str
    type: str       # an ERROR_TYPES string, or "Unknown field" / "Type mismatch"
    detail: str     # the value and detail after the type, as printed


@dataclass(frozen=True)
class Invalid:
    kind: str       # Deployment, Pod, HTTPRoute.gateway.networking.k8s.io; "" when not said
    name: str
    errors: tuple[FieldError, ...]
    quote: str      # the refusal as printed, up to its end

    @property
    def immutable(self) -> bool:
        """A change to a field the API does not let an update change."""
        return any(_IMMUTABLE.search(f"{e.type}: {e.detail}") for e in self.errors)


# apimachinery validation.ValidateImmutableField ("field is immutable"), the Pod's and the
# StatefulSet's own update rules (pkg/apis/core/validation ValidatePodUpdate "pod updates may
# not change fields other than ...", apps/validation "updates to statefulset spec for fields
# other than ... are forbidden"), the Job's template
_IMMUTABLE = re.compile(r"field is immutable|may not change fields other than|updates to "
                        r"\w+ spec for fields other than .* are forbidden|is immutable", re.I)


def _clip(text: str) -> str:
    end = _END.search(text)
    return (text[:end.start()] if end else text).strip()


def field_errors(text: str) -> tuple[FieldError, ...]:
    """The `FIELD: TYPE: DETAIL` errors of a message without the `KIND "NAME" is invalid:`
    head (an admission webhook that returns a field.ErrorList as its denial message)."""
    return _field_errors(_clip(text))


def _field_errors(text: str) -> tuple[FieldError, ...]:
    body = text.strip()
    if body.startswith("["):  # utilerrors' aggregate; its "]" may be cut or quoted (`]"`)
        body = body[1:].rstrip("\"'").rstrip("]")
    marks = list(_FIELD_ERR.finditer(body))
    out = []
    for n, m in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(body)
        detail = body[m.end():end].strip().lstrip(":").strip().rstrip(",*").strip()
        out.append(FieldError(m.group(1), m.group(2), detail))
    return tuple(out)


def _path(go_path: str) -> str:
    """`Deployment.spec.x` / `ContainerPort.spec.x` (a Go type's name first) -> `spec.x`."""
    head, _, rest = go_path.partition(".")
    return rest if rest and head[:1].isupper() else go_path


def parse(text: str) -> Invalid | None:
    """The first validation refusal in `text`, or None."""
    m = _INVALID.search(text)
    if m:
        body = _clip(m.group(3) or "")
        return Invalid(m.group(1), m.group(2), _field_errors(body),
                       " ".join(_clip(m.group(0)).split()))
    m = _STRICT.search(text)
    if m:
        body = _clip(m.group(3))
        errs = tuple(FieldError(f.group(2), f"{f.group(1).capitalize()} field", "")
                     for f in _STRICT_ONE.finditer(body))
        return Invalid(m.group(1) or "", "", errs, " ".join(_clip(m.group(0)).split()))
    m = _UNMARSHAL.search(text)
    if m:
        body = _clip(m.group(3))
        where = re.search(r"Go struct field ([\w.]+) of type (\S+)", body)
        err = FieldError(_path(where.group(1)) if where else "", "Type mismatch", body)
        return Invalid(m.group(1), "", (err,), " ".join(_clip(m.group(0)).split()))
    m = _CLIENT.search(text)
    if m:
        what, kind = m.group(2), m.group(1).split(".", 1)[0]
        path = _path(m.group(1))
        name = m.group(4) or ""
        if what.startswith("invalid type"):
            err = FieldError(path, "Type mismatch", what)
        else:
            err = FieldError(f"{path}.{name}" if name else path,
                             "Unknown field" if what == "unknown field" else "Required value",
                             "")
        return Invalid(kind, "", (err,), " ".join(m.group(0).split()))
    return None


_REQUEST_OVER_LIMIT = re.compile(r"must be less than or equal to ([\w./-]+) limit")
_REQUEST_NOT_LIMIT = re.compile(r"must be equal to ([\w./-]+) limit|Limit must be set for "
                                r"non overcommitable")


def fix_for(invalid: Invalid, namespace_hint: str = "NAMESPACE") -> str:
    """What to change, from the field errors' own words (the validation rules named in the
    module's sources)."""
    said = " ".join(f"{e.field}: {e.type}: {e.detail}" for e in invalid.errors)
    what = f"{invalid.kind.split('.')[0].lower()} {invalid.name}".strip() or "the object"
    if invalid.immutable:
        return (f"the field cannot change on an existing object: delete and re-create "
                f"{what} with the new value (kubectl replace --force -f FILE, or a new name); "
                "a StatefulSet can be deleted with --cascade=orphan so its pods keep running")
    over = _REQUEST_OVER_LIMIT.search(said)
    if over:
        return (f"requests.{over.group(1)} may not exceed limits.{over.group(1)}: raise the "
                "limit or lower the request; when the manifest sets no limit, a LimitRange "
                f"default filled it in (kubectl get limitrange -n {namespace_hint} -o yaml)")
    if _REQUEST_NOT_LIMIT.search(said):
        return ("an extended resource (a GPU, a device) cannot be overcommitted: set "
                "limits equal to requests for it (or limits alone: requests default to them)")
    if "does not match template `labels`" in said:
        return ("make spec.selector.matchLabels a subset of spec.template.metadata.labels")
    if any(e.type == "Unknown field" for e in invalid.errors):
        return ("the field does not exist in this API version (a typo, a wrong indent, or a "
                "field of a newer release): check it with kubectl explain "
                f"{(invalid.kind or 'KIND').split('.')[0].lower()}.<path>")
    if any(e.type == "Type mismatch" for e in invalid.errors):
        return "give the field a value of the type its schema says (quote or unquote it)"
    fields = ", ".join(dict.fromkeys(e.field for e in invalid.errors)) or "the field named"
    return (f"fix {fields} as the API server says, then apply again (kubectl apply "
            "--dry-run=server -f FILE checks it without changing anything)")
