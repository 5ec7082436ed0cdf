"""Everything past the schema that decides whether the apiserver accepts an object.

For one object: schema defaults (custom resources), structural schema, list-type keys,
the CRD's x-kubernetes-validations (CEL) rules, the apiserver's Go validation of built-in
kinds and the Kueue admission webhooks, optionally against the live object (updates:
immutable fields and CEL transition rules). Findings whose cause is in REJECTING mean
"the server will refuse this"; `rule_not_checked` means a rule could not be evaluated
offline (never read as "valid").
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from k8s_skillkit.admission import apiserver_violations, webhook_violations
from k8s_skillkit.admission.crd import (apply_defaults, evaluate_rules, fill_go_zero_values,
                                        list_type_violations, scale_replicas)
from k8s_skillkit.admission.kueue import decoding_webhook, rewritten_by_webhook
from k8s_skillkit.findings import finding

from _manifest.openapi import validate_object

EVIDENCE_LIMIT = 12
REJECTING = ("schema_violation", "crd_rule_violation", "apiserver_rejection",
             "webhook_rejection")
DRY_RUN = "kubectl apply --dry-run=server -f FILE"
# Schema errors after which the apiserver does not run CEL rules (customresource/strategy.go
# hasBlockingErr: NotSupported, Required, TooLong, TooMany, TypeInvalid).
TYPE_ERRORS = ("must be of type", "must be an integer or a string", "unknown field",
               "cannot be handled as", "cannot unmarshal", "quantities must match",
               "unable to parse quantity")
BLOCKING = ("Unsupported value", "Required value", "Too long", "Too many", "must be of type",
            "unknown field")


@dataclass
class Verdict:
    """What admission would say about one object."""
    findings: list = dc_field(default_factory=list)
    not_checked: list = dc_field(default_factory=list)
    well_typed: bool = True     # False: fields of the wrong type; later rules would misread

    @property
    def rejected(self) -> bool:
        return any(f["cause"] in REJECTING for f in self.findings)


def admit(store, obj: dict, live: dict | None = None) -> Verdict:
    """The verdict on `obj` (a create, or an update of `live` when given)."""
    api, kind = str(obj["apiVersion"]), str(obj["kind"])
    schema = store.schema_for(api, kind)
    key = f"{api}/{kind}"
    custom = key in store.scope
    verdict = Verdict()
    defaulted = apply_defaults(obj, schema, store.definitions) if custom else obj
    if custom and rewritten_by_webhook(obj):
        defaulted = fill_go_zero_values(defaulted, schema, store.definitions)
    old = apply_defaults(live, schema, store.definitions) if custom and live else live
    errors = validate_object(defaulted, schema, store.definitions, builtin=not custom,
                             decoded=decoding_webhook(obj))
    if custom and key in store.scale:
        errors += [str(v) for v in scale_replicas(defaulted, store.scale[key])]
    blocking = any(mark in e for e in errors for mark in BLOCKING)
    if custom:
        errors += [str(v) for v in list_type_violations(defaulted, schema, store.definitions)]
    if errors:
        verdict.findings.append(_schema_finding(obj, api, kind, errors))
    if custom and not blocking:
        violations, skipped = evaluate_rules(defaulted, schema, store.definitions, old)
        verdict.not_checked += [{"object": _ref(obj), "path": s.path, "rule": s.rule,
                                 "reason": s.reason} for s in skipped]
        if violations:
            verdict.findings.append(_crd_finding(obj, violations))
    verdict.well_typed = not any(mark in e for e in errors for mark in TYPE_ERRORS)
    if verdict.well_typed:
        # Wrong types never reach Go validation (decoding fails) nor the webhooks.
        namespaced = store.scope.get(key, "Namespaced") == "Namespaced" if custom else None
        core = _guarded(verdict, obj, "apiserver rules", apiserver_violations, obj, live,
                        namespaced=namespaced, custom=custom)
        if core:
            verdict.findings.append(_core_finding(obj, core))
        hooks = _guarded(verdict, obj, "webhook rules", webhook_violations, defaulted, old)
        if hooks:
            verdict.findings.append(_webhook_finding(obj, hooks))
    if verdict.not_checked:
        verdict.findings.append(_not_checked_finding(obj, verdict.not_checked))
    return verdict


def _guarded(verdict: Verdict, obj: dict, what: str, rules, *args, **kwargs) -> list:
    """Run a rule layer; a shape it was not written for is reported as not checked."""
    try:
        return rules(*args, **kwargs)
    except (AttributeError, TypeError, KeyError, ValueError) as err:
        verdict.not_checked.append({"object": _ref(obj), "path": "", "rule": what,
                                    "reason": f"unexpected shape: {type(err).__name__}"})
        return []


def _ref(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind')}/{meta.get('name') or meta.get('generateName') or '?'}"


def _evidence(items) -> list[str]:
    items = [str(i) for i in items]
    extra = len(items) - EVIDENCE_LIMIT
    return items[:EVIDENCE_LIMIT] + ([f"... {extra} more"] if extra > 0 else [])


def _schema_finding(obj, api, kind, errors):
    return finding("error", "schema_violation", obj,
                   f"{len(errors)} schema error(s) against {api} {kind}", _evidence(errors),
                   f"correct the fields above; `kubectl explain {kind.lower()} --recursive` "
                   "shows the valid fields")


def _crd_finding(obj, violations):
    return finding("error", "crd_rule_violation", obj,
                   f"{len(violations)} validation rule(s) of the {obj['kind']} CRD fail: "
                   f"{violations[0].body()}", _evidence(violations),
                   "change the fields named in the evidence so the CRD's rule holds (the "
                   "message is the CRD's own)")


def _core_finding(obj, violations):
    immutable = any("immutable" in v.detail for v in violations)
    return finding("error", "apiserver_rejection", obj,
                   f"the apiserver would reject it: {violations[0]}", _evidence(violations),
                   "delete and recreate the object (immutable fields cannot be changed in "
                   "place)" if immutable else
                   "fix the fields named in the evidence (messages are the apiserver's own)")


def _webhook_finding(obj, violations):
    return finding("error", "webhook_rejection", obj,
                   f"Kueue's admission webhook would reject it: {violations[0]}",
                   _evidence(violations),
                   "fix the fields named in the evidence (rules of Kueue v0.19's webhooks; a "
                   "kind that is 'not convertible' must be written as kueue.x-k8s.io/v1beta2)")


def _not_checked_finding(obj, skipped):
    reasons = sorted({s["reason"] for s in skipped})
    return finding("info", "rule_not_checked", obj,
                   f"{len(skipped)} CRD validation rule(s) could not be evaluated offline "
                   "(not checked, not passed)",
                   _evidence(f"{s['path'] or '<root>'}: {s['rule'][:120]}" for s in skipped),
                   f"run `{DRY_RUN}` to have the server evaluate them ({'; '.join(reasons)[:200]})")
