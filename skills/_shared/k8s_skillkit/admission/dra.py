"""DRA resource.k8s.io/v1 request rules of the apiserver (k8s.io/kubernetes v1.37.2
pkg/apis/resource/validation/validation.go: validateDeviceClaim, validateDeviceRequest,
validateExactDeviceRequest, validateDeviceAllocationMode, validateDeviceConstraint,
validateRequestNameRef), after the v1 defaults (allocationMode ExactCount, count 1).
Selector CEL is only compiled by the server: it is not judged here.

    >>> claim = {"spec": {"devices": {"requests": [{"name": "gpu"}]}}}
    >>> [str(v) for v in resource_claim(claim)]
    ['spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` is required']
"""
from __future__ import annotations
from typing import Any

from . import field
from ..objects import dict_at
from .names import is_dns1123_label, is_dns1123_subdomain

Errors = list[field.Violation]
MODES = ["All", "ExactCount"]
REF_MESSAGE = ("must be the name of a request in the claim or the name of a request and a "
               "subrequest separated by '/'")


# v1beta1 requests carry the exact request's fields inline; the apiserver converts them into
# `exactly` before validating (pkg/apis/resource/v1beta1/conversion.go,
# hasAnyMainRequestFieldsSet), so a v1beta1 request without `exactly` is valid.
V1BETA1_MAIN_FIELDS = ("deviceClassName", "selectors", "allocationMode", "count", "adminAccess",
                       "tolerations", "capacity", "derivedAttributes")


def resource_claim(obj: dict[str, Any], old: dict[str, Any] | None = None) -> Errors:
    spec = dict_at(obj, "spec")
    return device_claim(_internal(obj, spec.get("devices")), "spec.devices")


def resource_claim_template(obj: dict[str, Any], old: dict[str, Any] | None = None) -> Errors:
    spec = dict_at(obj, "spec")
    inner = dict_at(spec, "spec")
    return device_claim(_internal(obj, inner.get("devices")), "spec.spec.devices")


def _internal(obj: dict[str, Any], devices: object) -> object:
    """The devices as the server validates them: v1beta1 requests converted."""
    if obj.get("apiVersion") != "resource.k8s.io/v1beta1" or not isinstance(devices, dict):
        return devices
    requests = devices.get("requests")
    if not isinstance(requests, list):
        return devices
    return {**devices, "requests": [_from_v1beta1(r) for r in requests]}


def _from_v1beta1(request: object) -> object:
    if not isinstance(request, dict):
        return request
    main = {k: request[k] for k in V1BETA1_MAIN_FIELDS if _set(k, request.get(k))}
    if not main:
        return request
    rest = {k: v for k, v in request.items() if k not in V1BETA1_MAIN_FIELDS}
    return {**rest, "exactly": main}


def _set(key: str, value: object) -> bool:
    """Set as Go sees it after decoding: strings and count by zero value, the rest by nil."""
    if key in ("deviceClassName", "allocationMode"):
        return bool(value)
    if key == "count":
        return value not in (None, 0) and value is not False
    return value is not None


def device_claim(devices: object, path: str) -> Errors:
    devices = devices if isinstance(devices, dict) else {}
    requests = [r for r in devices.get("requests") or [] if isinstance(r, dict)]
    names = _request_names(requests)
    errs: Errors = []
    seen: set[object] = set()
    for i, request in enumerate(requests):
        where = f"{path}.requests[{i}]"
        errs += _request(request, where)
        if request.get("name") in seen:
            errs.append(field.duplicate(f"{where}.name", request.get("name")))
        seen.add(request.get("name"))
    for i, constraint in enumerate(devices.get("constraints") or []):
        errs += _constraint(constraint if isinstance(constraint, dict) else {},
                            f"{path}.constraints[{i}]", names)
    for i, config in enumerate(devices.get("config") or []):
        config = config if isinstance(config, dict) else {}
        seen = set()
        for j, ref in enumerate(config.get("requests") or []):
            errs += _request_ref(ref, f"{path}.config[{i}].requests[{j}]", names)
            if ref in seen:
                errs.append(field.duplicate(f"{path}.config[{i}].requests[{j}]", ref))
            seen.add(ref)
        if config.get("opaque") is None:
            errs.append(field.required(f"{path}.config[{i}].opaque"))
    return errs


def _request_names(requests: list[dict[str, Any]]) -> set[object]:
    names: set[object] = set()
    for request in requests:
        names.add(request.get("name"))
        for sub in request.get("firstAvailable") or []:
            sub_name = sub.get("name") if isinstance(sub, dict) else None
            names.add(f"{request.get('name')}/{sub_name}")
    return names


def _request(request: dict[str, Any], path: str) -> Errors:
    errs = _name(request.get("name"), f"{path}.name")
    exactly, first = request.get("exactly"), request.get("firstAvailable") or []
    if exactly is None and not first:
        return errs + [field.required(path, "exactly one of `exactly` or `firstAvailable` is "
                                      "required")]
    if exactly is not None and first:
        return errs + [field.invalid(path, None, "exactly one of `exactly` or `firstAvailable` "
                                     "is required, but multiple fields are set")]
    if exactly is not None:
        return errs + _exact(exactly if isinstance(exactly, dict) else {}, f"{path}.exactly")
    seen: set[object] = set()
    for i, sub in enumerate(first):
        where = f"{path}.firstAvailable[{i}]"
        sub = sub if isinstance(sub, dict) else {}
        errs += _name(sub.get("name"), f"{where}.name") + _exact(sub, where)
        if sub.get("name") in seen:
            errs.append(field.duplicate(f"{where}.name", sub.get("name")))
        seen.add(sub.get("name"))
    return errs


def _name(name: object, path: str) -> Errors:
    if not name:
        return [field.required(path)]
    return [field.invalid(path, name, m) for m in is_dns1123_label(str(name))]


def _exact(request: dict[str, Any], path: str) -> Errors:
    errs: Errors = []
    klass = request.get("deviceClassName") or ""
    if not klass:
        errs.append(field.required(f"{path}.deviceClassName"))
    else:
        errs += [field.invalid(f"{path}.deviceClassName", klass, m)
                 for m in is_dns1123_subdomain(klass)]
    for i, selector in enumerate(request.get("selectors") or []):
        if not isinstance(selector, dict) or selector.get("cel") is None:
            errs.append(field.required(f"{path}.selectors[{i}].cel"))
            continue
        expression = (selector.get("cel") or {}).get("expression") or ""
        if isinstance(expression, str):
            errs += _cel_syntax(expression, f"{path}.selectors[{i}].cel.expression")
    mode = request.get("allocationMode") or "ExactCount"
    count = request.get("count")
    if mode == "All":
        if count:
            errs.append(field.invalid(f"{path}.count", count,
                                      "must not be specified when allocationMode is 'All'"))
    elif mode == "ExactCount":
        count = count or 1  # 0 is Go's zero value: defaulted to 1 like an unset count
        if isinstance(count, int) and count <= 0:
            errs.append(field.invalid(f"{path}.count", count, "must be greater than zero"))
    else:
        errs.append(field.not_supported(f"{path}.allocationMode", mode, MODES))
    return errs


def _cel_syntax(expression: str, path: str) -> Errors:
    """Only syntax errors: type errors need cel-go's checker (left to the server)."""
    from ..cel_syntax import CelNotParsed, CelSyntaxError, parse
    try:
        parse(expression)
    except CelNotParsed:
        return []
    except CelSyntaxError as err:
        return [field.invalid(path, expression, f"compilation failed: Syntax error: {err}")]
    return []


def _constraint(constraint: dict[str, Any], path: str, names: set[object]) -> Errors:
    errs: Errors = []
    seen: set[object] = set()
    for i, ref in enumerate(constraint.get("requests") or []):
        errs += _request_ref(ref, f"{path}.requests[{i}]", names)
        if ref in seen:
            errs.append(field.duplicate(f"{path}.requests[{i}]", ref))
        seen.add(ref)
    if constraint.get("matchAttribute") is None and constraint.get("distinctAttribute") is None:
        errs.append(field.required(f"{path}.matchAttribute"))
    return errs


def _request_ref(ref: object, path: str, names: set[object]) -> Errors:
    text = str(ref)
    segments = text.split("/")
    if len(segments) > 2:
        return [field.invalid(path, text, REF_MESSAGE)]
    errs = [field.invalid(path, s, m) for s in segments for m in is_dns1123_label(s)]
    if text not in names:
        errs.append(field.invalid(path, text, REF_MESSAGE))
    return errs
