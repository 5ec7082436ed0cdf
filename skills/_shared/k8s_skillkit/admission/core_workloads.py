"""Workload rules of the apiserver's Go validation (k8s.io/kubernetes v1.37.2):
pkg/apis/apps/validation (Deployment, ReplicaSet, StatefulSet, DaemonSet),
pkg/apis/batch/validation (Job, CronJob), pkg/apis/policy/validation (PodDisruptionBudget),
pkg/apis/autoscaling/validation (HorizontalPodAutoscaler), after the apps/v1 and batch/v1
defaults (replicas 1, RollingUpdate 25%/25%, progressDeadlineSeconds 600, Job selector
generation in pkg/registry/batch/job/strategy.go).

    >>> d = {"spec": {"selector": {"matchLabels": {"app": "a"}}, "template": {
    ...      "metadata": {"labels": {"app": "b"}},
    ...      "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    >>> [str(v) for v in deployment(d)]
    ['spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`']
"""
from __future__ import annotations
from typing import Any

import re

from . import field
from ..objects import dict_at
from .core_pod import validate_pod_spec
from .meta import selector_matches, validate_label_selector, validate_labels
from .names import is_dns1123_label

NEGATIVE = "must be greater than or equal to 0"
JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")


def _non_negative(value: object, path: str) -> list[Any]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [field.invalid(path, value, NEGATIVE)]
    return []


def _template(spec: dict[str, Any], path: str, restart_always: bool, kind: str) -> list[Any]:
    """The pod template of a controller that restarts its pods forever."""
    template = dict_at(spec, "template")
    errs = _template_meta(template, f"{path}.template")
    pod = dict_at(template, "spec")
    errs += validate_pod_spec(pod, f"{path}.template.spec", template=True)
    if restart_always:
        restart = pod.get("restartPolicy") or "Always"
        if restart != "Always" and restart in ("OnFailure", "Never"):
            errs.append(field.not_supported(f"{path}.template.spec.restartPolicy", restart,
                                            ["Always"]))
        if pod.get("activeDeadlineSeconds") is not None:
            errs.append(field.forbidden(f"{path}.template.spec.activeDeadlineSeconds",
                                        f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def _template_meta(template: dict[str, Any], path: str) -> list[Any]:
    meta = dict_at(template, "metadata")
    from .meta import validate_annotations
    return validate_labels(meta.get("labels") or {}, f"{path}.metadata.labels") + \
        validate_annotations(meta.get("annotations") or {}, f"{path}.metadata.annotations")


def _selector(spec: dict[str, Any], path: str, kind: str) -> list[Any]:
    """Required, valid, non-empty, and matching the template's labels."""
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        return [field.required(f"{path}.selector")]
    errs = validate_label_selector(selector, f"{path}.selector")
    if not (selector.get("matchLabels") or selector.get("matchExpressions")):
        return errs + [field.invalid(f"{path}.selector", selector,
                                     f"empty selector is invalid for {kind}")]
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if not errs and not selector_matches(selector, labels):
        errs.append(field.invalid(f"{path}.template.metadata.labels", labels,
                                  "`selector` does not match template `labels`"))
    return errs


def pod(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    """A bare Pod: its requests default to its limits (SetDefaults_Pod)."""
    spec = dict_at(obj, "spec")
    return validate_pod_spec(spec, "spec", template=False)


# ---------------------------------------------------------------- apps

def deployment(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = _non_negative(spec.get("replicas"), "spec.replicas")
    errs += _selector(spec, "spec", "deployment")
    errs += _template(spec, "spec", True, "ReplicaSet")
    errs += _strategy(spec.get("strategy"))
    errs += _non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _non_negative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds", 600)
    if isinstance(deadline, int):
        errs += _non_negative(deadline, "spec.progressDeadlineSeconds")
        if deadline <= (spec.get("minReadySeconds") or 0):
            errs.append(field.invalid("spec.progressDeadlineSeconds", deadline,
                                      "must be greater than minReadySeconds"))
    return errs


def _strategy(strategy: object) -> list[Any]:
    strategy = strategy if isinstance(strategy, dict) else {}
    kind = strategy.get("type") or "RollingUpdate"
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [field.forbidden("spec.strategy.rollingUpdate", "may not be specified when "
                                    "strategy `type` is 'Recreate'")]
        return []
    if kind != "RollingUpdate":
        return [field.not_supported("spec.strategy", strategy, ["Recreate", "RollingUpdate"])]
    rolling = rolling if isinstance(rolling, dict) else {}
    unavailable = rolling.get("maxUnavailable", "25%")
    surge = rolling.get("maxSurge", "25%")
    path = "spec.strategy.rollingUpdate"
    errs = int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs += int_or_percent(surge, f"{path}.maxSurge")
    if _percent_or_int(unavailable) == 0 and _percent_or_int(surge) == 0:
        errs.append(field.invalid(f"{path}.maxUnavailable", unavailable,
                                  "may not be 0 when `maxSurge` is 0"))
    return errs + not_above_100(unavailable, f"{path}.maxUnavailable")


def int_or_percent(value: object, path: str) -> list[Any]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            return [field.invalid(path, value, "a valid percent string must be a numeric string "
                                  "followed by an ending '%' (e.g. '1%',  or '93%',  regex used "
                                  "for validation is '[0-9]+%')")]
        return []
    return _non_negative(value, path)


def not_above_100(value: object, path: str) -> list[Any]:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value) and int(value[:-1]) > 100:
        return [field.invalid(path, value, "must not be greater than 100%")]
    return []


def _percent_or_int(value: object) -> object:
    if isinstance(value, str):
        match = re.match(r"([0-9]+)%?$", value)
        return int(match.group(1)) if match else None
    return value


def replica_set(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = _non_negative(spec.get("replicas"), "spec.replicas")
    errs += _non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _selector(spec, "spec", "replicaset")
    return errs + _template(spec, "spec", True, "ReplicaSet")


def replication_controller(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    """ValidateReplicationControllerSpec; the selector defaults to the template's labels."""
    spec = dict_at(obj, "spec")
    template = spec.get("template")
    labels = ((template or {}).get("metadata") or {}).get("labels") or {}
    selector = spec.get("selector") or labels
    errs = _non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _non_negative(spec.get("replicas"), "spec.replicas")
    if not selector:
        errs.append(field.required("spec.selector"))
    if not isinstance(template, dict):
        return errs + [field.required("spec.template")]
    if selector and not all(labels.get(k) == v for k, v in selector.items()):
        errs.append(field.invalid("spec.template.metadata.labels", labels,
                                  "`selector` does not match template `labels`"))
    return errs + _template(spec, "spec", True, "ReplicationController")


def stateful_set(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = []
    policy = spec.get("podManagementPolicy") or "OrderedReady"
    if policy not in ("OrderedReady", "Parallel"):
        errs.append(field.invalid("spec.podManagementPolicy", policy,
                                  "must be 'OrderedReady' or 'Parallel'"))
    errs += _non_negative(spec.get("replicas"), "spec.replicas")
    errs += _non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    service = spec.get("serviceName")
    if service:
        errs += [field.invalid("spec.serviceName", service, m) for m in is_dns1123_label(service)]
    errs += _selector(spec, "spec", "statefulset")
    template = dict(spec.get("template") or {})
    pod = dict(template.get("spec") or {})
    # A map by name upstream (volumesToAddForTemplates): templates sharing a name add one volume.
    claim_volumes = list({name: {"name": name, "persistentVolumeClaim": {"claimName": "x"}}
                          for name in ((t.get("metadata") or {}).get("name")
                                       for t in spec.get("volumeClaimTemplates") or []
                                       if isinstance(t, dict))}.values())
    if claim_volumes:
        own = [v for v in pod.get("volumes") or []
               if v.get("name") not in {c["name"] for c in claim_volumes}]
        pod["volumes"] = claim_volumes + own
    pod.pop("hostname", None)
    pod.pop("subdomain", None)
    template["spec"] = pod
    from .core_misc import claim_spec
    for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
        if isinstance(claim, dict):
            errs += claim_spec(dict_at(claim, "spec"),
                               f"spec.volumeClaimTemplates[{i}].spec")
    return errs + _template({**spec, "template": template}, "spec", True, "StatefulSet")


def daemon_set(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = _selector(spec, "spec", "daemonset")
    strategy = dict_at(spec, "updateStrategy")
    if (strategy.get("type") or "RollingUpdate") not in ("OnDelete", "RollingUpdate"):
        errs.append(field.not_supported("spec.updateStrategy", strategy,
                                        ["RollingUpdate", "OnDelete"]))
    errs += _non_negative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    return errs + _template(spec, "spec", True, "DaemonSet")


# ---------------------------------------------------------------- batch

def job(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    name = (obj.get("metadata") or {}).get("name") or ""
    return job_spec(spec, "spec", generated_selector=not spec.get("manualSelector"),
                    job_name=name)


def job_spec(spec: dict[str, Any], path: str, generated_selector: bool = True, job_name: str = "") -> list[Any]:
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec = {**spec, "completions": 1, "parallelism": 1}  # SetDefaults_Job
    errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"):
        errs += _non_negative(spec.get(key), f"{path}.{key}")
    if spec.get("maxFailedIndexes") is not None and spec.get("backoffLimitPerIndex") is None:
        errs.append(field.required(f"{path}.backoffLimitPerIndex",
                                   "when maxFailedIndexes is specified"))
    errs += _completion_mode(spec, path)
    errs += _restart_policy(spec, path)
    if isinstance(spec.get("podFailurePolicy"), dict):
        errs += _pod_failure_policy(spec, f"{path}.podFailurePolicy")
    errs += _template_meta(spec.get("template") or {}, f"{path}.template")
    pod = (spec.get("template") or {}).get("spec")
    errs += validate_pod_spec(pod if isinstance(pod, dict) else {}, f"{path}.template.spec",
                              template=True)
    return errs + _job_selector(spec, path, generated_selector, job_name)


def _completion_mode(spec: dict[str, Any], path: str) -> list[Any]:
    mode = spec.get("completionMode")
    errs = []
    if mode is not None and mode not in ("NonIndexed", "Indexed"):
        errs.append(field.not_supported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed":
        if spec.get("completions") is None:
            errs.append(field.required(f"{path}.completions", "when completion mode is Indexed"))
        parallelism = spec.get("parallelism")
        if isinstance(parallelism, int) and parallelism > 100000:
            errs.append(field.invalid(f"{path}.parallelism", parallelism, "must be less than or "
                                      "equal to 100000 when completion mode is Indexed"))
        completions, failed = spec.get("completions"), spec.get("maxFailedIndexes")
        if isinstance(completions, int) and isinstance(failed, int) and failed > completions:
            errs.append(field.invalid(f"{path}.maxFailedIndexes", failed,
                                      "must be less than or equal to completions"))
    else:
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(field.invalid(f"{path}.{key}", spec[key],
                                          "requires indexed completion mode"))
        if spec.get("successPolicy") is not None:
            errs.append(field.invalid(f"{path}.successPolicy", spec["successPolicy"],
                                      "requires indexed completion mode"))
    return errs


ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]


def _pod_failure_policy(spec: dict[str, Any], path: str) -> list[Any]:
    """validatePodFailurePolicy and its rules (batch/validation)."""
    from .names import is_qualified_name
    rules = spec["podFailurePolicy"].get("rules") or []
    errs = [field.too_many(f"{path}.rules", len(rules), 20)] if len(rules) > 20 else []
    pod = ((spec.get("template") or {}).get("spec") or {})
    names: set[object] = {c.get("name") for key in ("containers", "initContainers")
                          for c in pod.get(key) or [] if isinstance(c, dict)}
    for i, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        where = f"{path}.rules[{i}]"
        action = rule.get("action") or ""
        if not action:
            errs.append(field.required(f"{where}.action", f"valid values: {ACTIONS}".replace(
                "'", '"')))
        elif action == "FailIndex" and spec.get("backoffLimitPerIndex") is None:
            errs.append(field.invalid(f"{where}.action", action, "requires the "
                                      "backoffLimitPerIndex to be set"))
        elif action not in ACTIONS:
            errs.append(field.not_supported(f"{where}.action", action, ACTIONS))
        codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions") or []
        if isinstance(codes, dict):
            errs += _exit_codes(codes, f"{where}.onExitCodes", names)
        for j, pattern in enumerate(conditions):
            pattern = pattern if isinstance(pattern, dict) else {}
            kind = str(pattern.get("type") or "")
            errs += [field.invalid(f"{where}.onPodConditions[{j}].type", kind, m)
                     for m in is_qualified_name(kind)]
            status = pattern.get("status") or "True"
            if status not in ("False", "True", "Unknown"):
                errs.append(field.not_supported(f"{where}.onPodConditions[{j}].status", status,
                                                ["False", "True", "Unknown"]))
        if codes is not None and conditions:
            errs.append(field.invalid(where, field.OMIT, "specifying both OnExitCodes and "
                                      "OnPodConditions is not supported"))
        if codes is None and not conditions:
            errs.append(field.invalid(where, field.OMIT, "specifying one of OnExitCodes and "
                                      "OnPodConditions is required"))
    return errs


def _exit_codes(codes: dict[str, Any], path: str, names: set[object]) -> list[Any]:
    errs = []
    op = codes.get("operator") or ""
    if not op:
        errs.append(field.required(f"{path}.operator", 'valid values: ["In" "NotIn"]'))
    elif op not in ("In", "NotIn"):
        errs.append(field.not_supported(f"{path}.operator", op, ["In", "NotIn"]))
    name = codes.get("containerName")
    if name is not None and name not in names:
        errs.append(field.invalid(f"{path}.containerName", name, "must be one of the container "
                                  "or initContainer names in the pod template"))
    values = [v for v in codes.get("values") or [] if isinstance(v, int)]
    if not codes.get("values"):
        errs.append(field.invalid(f"{path}.values", [], "at least one value is required"))
    elif len(values) > 255:
        errs.append(field.too_many(f"{path}.values", len(values), 255))
    for j, value in enumerate(values):
        if op == "In" and value == 0:
            errs.append(field.invalid(f"{path}.values[{j}]", 0, "must not be 0 for the In "
                                      "operator"))
        if value in values[:j]:
            errs.append(field.duplicate(f"{path}.values[{j}]", value))
    if values != sorted(values):
        errs.append(field.invalid(f"{path}.values", values, "must be ordered"))
    return errs


def _restart_policy(spec: dict[str, Any], path: str) -> list[Any]:
    pod = (spec.get("template") or {}).get("spec") or {}
    restart = pod.get("restartPolicy") or "Always"
    where = f"{path}.template.spec.restartPolicy"
    if restart == "Always":
        return [field.required(where, 'valid values: "OnFailure", "Never"')]
    if restart not in ("OnFailure", "Never"):
        return [field.not_supported(where, restart, ["OnFailure", "Never"])]
    if spec.get("podFailurePolicy") is not None and restart != "Never":
        return [field.invalid(where, restart, 'only "Never" is supported when podFailurePolicy '
                              "is specified")]
    return []


def _job_selector(spec: dict[str, Any], path: str, generated: bool, job_name: str) -> list[Any]:
    selector = spec.get("selector")
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    if generated:
        # The apiserver adds controller-uid/job-name labels and a controller-uid selector;
        # anything else the user put in the selector cannot match them.
        if not isinstance(selector, dict):
            return []
        expected = {UID_LABELS[0]: "<uid>", UID_LABELS[1]: "<uid>",
                    JOB_NAME_LABELS[0]: job_name, JOB_NAME_LABELS[1]: job_name}
        extra = {k: v for k, v in (selector.get("matchLabels") or {}).items()
                 if k not in UID_LABELS}
        if extra or selector.get("matchExpressions"):
            probe = {"matchLabels": extra, "matchExpressions": selector.get("matchExpressions")}
            if not selector_matches(probe, expected):
                return [field.invalid(f"{path}.selector", selector, "`selector` not "
                                      "auto-generated")]
        return []
    if not isinstance(selector, dict):
        return [field.required(f"{path}.selector")]
    errs = validate_label_selector(selector, f"{path}.selector")
    if not errs and not selector_matches(selector, labels):
        errs.append(field.invalid(f"{path}.template.metadata.labels", labels,
                                  "`selector` does not match template `labels`"))
    return errs


def cron_job(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = []
    policy = spec.get("concurrencyPolicy") or "Allow"
    if policy not in ("Allow", "Forbid", "Replace"):
        errs.append(field.not_supported("spec.concurrencyPolicy", policy,
                                        ["Allow", "Forbid", "Replace"]))
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit"):
        errs += _non_negative(spec.get(key), f"spec.{key}")
    template = dict_at(spec, "jobTemplate")
    job = dict_at(template, "spec")
    return errs + job_spec(job, "spec.jobTemplate.spec",
                           generated_selector=not job.get("manualSelector"))


# ---------------------------------------------------------------- policy and autoscaling

def pod_disruption_budget(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(field.invalid("spec", field.OMIT,
                                  "minAvailable and maxUnavailable cannot be both set"))
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None:
            errs += int_or_percent(spec[key], f"spec.{key}")
            errs += not_above_100(spec[key], f"spec.{key}")
    if isinstance(spec.get("selector"), dict):
        errs += validate_label_selector(spec["selector"], "spec.selector")
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in ("AlwaysAllow", "IfHealthyBudget"):
        errs.append(field.not_supported("spec.unhealthyPodEvictionPolicy", policy,
                                        ["AlwaysAllow", "IfHealthyBudget"]))
    return errs


def horizontal_pod_autoscaler(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Any]:
    spec = dict_at(obj, "spec")
    errs = []
    low, high = spec.get("minReplicas"), spec.get("maxReplicas", 0)
    if isinstance(low, int) and low < 1:
        errs.append(field.invalid("spec.minReplicas", low, "must be greater than or equal to 1"))
    if high == 0:
        errs.append(field.required("spec.maxReplicas", "must be set and greater than 0"))
    elif isinstance(high, int) and high < 0:
        errs.append(field.invalid("spec.maxReplicas", high, "must be greater than or equal to 1"))
    if isinstance(low, int) and isinstance(high, int) and high < low:
        errs.append(field.invalid("spec.maxReplicas", high,
                                  "must be greater than or equal to `minReplicas`"))
    for i, metric in enumerate(spec.get("metrics") or []):
        errs += _metric(metric if isinstance(metric, dict) else {}, f"spec.metrics[{i}]")
    ref = dict_at(spec, "scaleTargetRef")
    api = str(ref.get("apiVersion") or "")
    if "/" not in api or api.count("/") > 1:
        errs.append(field.invalid("spec.scaleTargetRef.apiVersion", api,
                                  "apiVersion must specify API group"))
    for key in ("kind", "name"):
        if not ref.get(key):
            errs.append(field.required(f"spec.scaleTargetRef.{key}"))
        elif "/" in str(ref[key]) or "%" in str(ref[key]) or ref[key] in (".", ".."):
            errs.append(field.invalid(f"spec.scaleTargetRef.{key}", ref[key],
                                      "may not contain '/'"))
    return errs


METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"]
SOURCE_KEY = {"ContainerResource": "containerResource", "External": "external",
              "Object": "object", "Pods": "pods", "Resource": "resource"}
TARGET_TYPES = ("Utilization", "Value", "AverageValue")


def _metric(metric: dict[str, Any], path: str) -> list[Any]:
    """autoscaling validateMetricSpec: a known type with its own source filled in."""
    kind = metric.get("type") or ""
    if not kind:
        return [field.required(f"{path}.type", "must specify a metric source type")]
    if kind not in METRIC_TYPES:
        return [field.not_supported(f"{path}.type", kind, METRIC_TYPES)]
    key = SOURCE_KEY[kind]
    source = metric.get(key)
    if not isinstance(source, dict):
        return [field.required(f"{path}.{key}", "must populate information for the given metric "
                               "source")]
    errs = []
    if kind in ("Resource", "ContainerResource") and not source.get("name"):
        errs.append(field.required(f"{path}.{key}.name", "must specify a resource name"))
    target = source.get("target")
    if not isinstance(target, dict):
        return errs + [field.required(f"{path}.{key}.target", "must specify a metric target")]
    if not target.get("type"):
        errs.append(field.required(f"{path}.{key}.target.type", "must specify a metric target "
                                   "type"))
    if target.get("type") not in TARGET_TYPES:
        errs.append(field.invalid(f"{path}.{key}.target.type", target.get("type") or "",
                                  "must be either Utilization, Value, or AverageValue"))
    elif kind in ("Resource", "ContainerResource"):
        errs += _resource_target(target, f"{path}.{key}.target")
    return errs


def _resource_target(target: dict[str, Any], path: str) -> list[Any]:
    """validateMetricTarget for resource metrics: exactly one positive target value."""
    util, value = target.get("averageUtilization"), target.get("averageValue")
    if util is None and value is None:
        return [field.required(f"{path}.averageUtilization", "must set either a target raw "
                               "value or a target utilization")]
    if isinstance(util, int) and util < 1:
        return [field.invalid(f"{path}.averageUtilization", util, "must be greater than 0")]
    return []
