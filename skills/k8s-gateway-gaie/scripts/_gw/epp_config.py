"""EndpointPickerConfig (the endpoint picker's --config-file): the errors the picker refuses
to start with, found before it is deployed.

The EPP moved to llm-d in GAIE v1.6.0 (README of gateway-api-inference-extension v1.6.0:
"EPP and associated APIs: llm-d/llm-d-router"). Rules from llm-d-router v0.10.0:
- apix/config/v1alpha1/endpointpickerconfig_types.go: `plugins[]{name, type (required),
  parameters}`, `schedulingProfiles[]{name (required), plugins[]{pluginRef (required),
  weight}}`, plus featureGates, dataLayer, flowControl, requestHandler, saturationDetector,
  parser; apiVersion `llm-d.ai/v1alpha1` (doc.go `+groupName=llm-d.ai`; GAIE <= v1.5 used
  `inference.networking.x-k8s.io/v1alpha1`).
- pkg/epp/config/loader/defaults.go l.108-111: a plugin without a name is named after its type.
- pkg/epp/config/loader/validation.go l.36/39/45 (`plugin '%s' is missing a type`, `duplicate
  plugin name '%s'`, `plugin type '%s' is not registered`), l.117/120/126/130 (profile without
  a name, duplicate profile, plugin without pluginRef, `schedulingProfiles[%s] references
  undefined plugin '%s'`), l.81 (parser), l.93/102 (saturation detector).
- pkg/epp/config/loader/defaults.go l.146-175: no profiles -> one `default` profile; ONE
  profile without a profile handler -> single-profile-handler is added.
- pkg/epp/config/loader/configloader.go l.386 (`multiple profile handlers found`), l.394 (`no
  profile handler configured`: two or more profiles and no handler), l.398
  (`SingleProfileHandler cannot support multiple scheduling profiles`).
"""
from __future__ import annotations

import yaml
from k8s_skillkit.findings import finding

KIND = "EndpointPickerConfig"
# profile handler types registered in llm-d-router v0.10.0
# (pkg/epp/framework/plugins/scheduling/profilehandler/*)
PROFILE_HANDLERS = {"single-profile-handler", "data-parallel-profile-handler",
                    "disagg-profile-handler", "pd-profile-handler", "header-profile-handler"}


def configs_in(obj: dict) -> list[tuple[str, dict]]:
    """(where, config) for an EndpointPickerConfig object or one held in a ConfigMap's data."""
    if obj.get("kind") == KIND:
        return [("", obj)]
    if obj.get("kind") != "ConfigMap":
        return []
    out = []
    for key, text in ((obj.get("data") or {}).items()):
        if not isinstance(text, str) or KIND not in text:
            continue
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as err:
            out.append((key, {"_error": str(err).splitlines()[0]}))
            continue
        if isinstance(doc, dict) and doc.get("kind") == KIND:
            out.append((key, doc))
    return out


def problems(cfg: dict) -> list[str]:
    """The errors the picker would stop on, in its own order and words."""
    if "_error" in cfg:
        return [f"the config is not valid YAML: {cfg['_error']}"]
    out: list[str] = []
    plugins = [p for p in cfg.get("plugins") or [] if isinstance(p, dict)]
    names: set[str] = set()
    handlers: list[tuple[str, str]] = []
    for spec in plugins:
        ptype = str(spec.get("type") or "")
        name = str(spec.get("name") or ptype)
        if not ptype:
            out.append(f"plugin '{name}' is missing a type")
        if name in names:
            out.append(f"duplicate plugin name '{name}'")
        names.add(name)
        if ptype in PROFILE_HANDLERS:
            handlers.append((name, ptype))
    profiles = [p for p in cfg.get("schedulingProfiles") or [] if isinstance(p, dict)]
    seen: set[str] = set()
    for i, profile in enumerate(profiles):
        pname = str(profile.get("name") or "")
        if not pname:
            out.append(f"schedulingProfiles[{i}] is missing a name")
        elif pname in seen:
            out.append(f"schedulingProfiles[{i}] has duplicate name '{pname}'")
        seen.add(pname)
        for j, ref in enumerate(profile.get("plugins") or []):
            target = str((ref or {}).get("pluginRef") or "") if isinstance(ref, dict) else ""
            if not target:
                out.append(f"schedulingProfiles[{pname}].plugins[{j}] is missing a 'pluginRef'")
            elif target not in names:
                out.append(f"schedulingProfiles[{pname}] references undefined plugin "
                           f"'{target}'")
    for parser in ((cfg.get("requestHandler") or {}).get("parsers") or []):
        ref = str((parser or {}).get("pluginRef") or "")
        if ref and ref not in names:
            out.append(f"parser references undefined plugin '{ref}'")
    detector = (cfg.get("flowControl") or {}).get("saturationDetector")
    if isinstance(detector, dict):
        ref = str(detector.get("pluginRef") or "")
        if not ref:
            out.append("saturation detector plugin reference is empty")
        elif ref not in names:
            out.append(f"saturation detector references undefined plugin '{ref}'")
    if len(handlers) > 1:
        out.append(f"multiple profile handlers found ('{handlers[0][0]}', '{handlers[1][0]}'); "
                   "only one is allowed")
    elif not handlers and len(profiles) > 1:
        out.append("no profile handler configured")
    elif handlers and handlers[0][1] == "single-profile-handler" and len(profiles) > 1:
        out.append("SingleProfileHandler cannot support multiple scheduling profiles")
    return out


def check(obj: dict) -> list[dict]:
    """One inferred finding per config with problems (endpoint_picker_misconfigured)."""
    out = []
    for key, cfg in configs_in(obj):
        found = problems(cfg)
        if not found:
            continue
        where = f" (data key {key})" if key else ""
        ns = (obj.get("metadata") or {}).get("namespace", "")
        out.append(finding(
            "error", "endpoint_picker_misconfigured", obj,
            f"the endpoint picker will not start with this EndpointPickerConfig{where}: "
            f"{found[0]}", found[:6],
            "declare every plugin a profile, parser or detector names (plugins[].name, or its "
            "type when unnamed), give each profile a unique name, and with 2+ "
            "schedulingProfiles add exactly one profile handler plugin (e.g. "
            "pd-profile-handler); then restart the picker",
            confirm=f"kubectl logs -n {ns or '<ns>'} deploy/<endpoint-picker> | grep -i "
                    "'config\\|plugin'"))
    return out
