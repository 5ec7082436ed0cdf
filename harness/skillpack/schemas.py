"""Compile the pinned OpenAPI schemas the `k8s-manifests` validator needs into one small file.

The result is committed as a generated artifact in skills/k8s-manifests/assets/schemas/
(`python -m harness.skillpack.schemas` rewrites it), so every channel has it: the Claude
Code plugin loads skills straight from the repository. A test rebuilds it from the Go
modules pinned in `harness/pins.py` and fails when the committed file differs.

Sources (paths inside each module, checked against the pinned versions):
- k8s.io/kubernetes        api/openapi-spec/v3/api__v1_openapi.json and apis__*__*_openapi.json
- sigs.k8s.io/kueue        config/components/crd/bases/*.yaml   (v1beta1 AND v1beta2)
- sigs.k8s.io/gateway-api  config/crd/experimental/*.yaml (validated against) and
                           config/crd/standard/*.yaml (kept to flag experimental-only fields)
- sigs.k8s.io/gateway-api-inference-extension  config/crd/bases/*.yaml
- sigs.k8s.io/jobset       config/components/crd/bases/*.yaml
- sigs.k8s.io/lws          config/crd/bases/*.yaml

Output `k8s-schemas.json.gz`: {"format", "sources", "definitions", "kinds", "standard",
"scope", "scale"} (scale: the specReplicasPath of kinds with a /scale subresource).
`kinds` maps "group/version/Kind" (core: "v1/Kind") to a schema; big repeated
subtrees (a PodSpec appears in every workload CRD) are interned once into `definitions` and
referenced as {"$ref": name}; "d": 1 marks a built-in field that has a default. Custom
resources keep what the apiextensions-apiserver enforces beyond types: their CEL rules
(with messages), defaults, list-map keys and oneOf/anyOf/not value validations.
Descriptions are dropped.
"""
from __future__ import annotations
from typing import Any

import gzip
import hashlib
import json
from pathlib import Path

import yaml

FILE_NAME = "k8s-schemas.json.gz"
FORMAT = 1
BUNDLE_SUBDIR = Path("assets") / "schemas"

# Keywords the stdlib validator understands; everything else is dropped to keep the file small.
KEEP = {"type", "properties", "required", "items", "additionalProperties", "enum",
        "maxItems", "minItems", "maxLength", "minLength", "pattern", "minimum", "maximum",
        "maxProperties", "minProperties", "nullable", "format",
        "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource"}
# Custom resources also need what the apiextensions-apiserver enforces past the types: the
# CEL rules (message included: it is the error users see), defaults (applied before any
# rule runs) and list types (duplicate keys are rejected).
CRD_KEEP = {"x-kubernetes-list-type", "x-kubernetes-list-map-keys"}
RULE_KEYS = ("rule", "message", "messageExpression", "fieldPath", "reason", "optionalOldSelf")
INTERN_MIN_BYTES = 1500

CRD_FOLDERS = {
    "kueue": ["config/components/crd/bases"],
    "gateway-api-inference-extension": ["config/crd/bases"],
    "jobset": ["config/components/crd/bases"],
    "leaderworkerset": ["config/crd/bases"],
}
GATEWAY_EXPERIMENTAL = "config/crd/experimental"
GATEWAY_STANDARD = "config/crd/standard"
OPENAPI_V3 = "api/openapi-spec/v3"


def write_schemas(bundle_dir: Path) -> None:
    """Bundle hook (harness/skillpack/extras.py): write assets/schemas/ into a built bundle."""
    build_schemas(Path(bundle_dir) / BUNDLE_SUBDIR)


def build_schemas(out_dir: Path, module_dirs: dict[str, Path] | None = None) -> Path:
    """Write `out_dir/k8s-schemas.json.gz` from the pinned modules; returns its path.

    `module_dirs` maps gomod.PINNED_MODULES keys to folders (tests pass the module cache);
    by default they are looked up (and downloaded when missing) through harness.gomod.
    """
    dirs = module_dirs or _pinned_dirs()
    compiler = _Compiler()
    compiler.add_builtin(Path(dirs["kubernetes"]) / OPENAPI_V3)
    for key, folders in CRD_FOLDERS.items():
        for folder in folders:
            compiler.add_crds(Path(dirs[key]) / folder)
    compiler.add_crds(Path(dirs["gateway-api"]) / GATEWAY_EXPERIMENTAL)
    compiler.add_crds(Path(dirs["gateway-api"]) / GATEWAY_STANDARD, channel="standard")
    doc = compiler.document(_sources())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / FILE_NAME
    data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 keeps the file byte-for-byte reproducible, so bundle zips hash the same.
    target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return target


class _Compiler:
    """Collects definitions and kinds; `compact` strips and interns schema trees."""

    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, dict[str, Any]] = {}
        self.standard: dict[str, dict[str, Any]] = {}
        self.scope: dict[str, str] = {}
        self.scale: dict[str, str] = {}

    def add_builtin(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: Kubernetes OpenAPI v3 folder missing")
        for path in sorted(folder.glob("*_openapi.json")):
            schemas = json.loads(path.read_text()).get("components", {}).get("schemas", {})
            for name, schema in schemas.items():
                self.definitions.setdefault(name, self.compact(schema))
                for gvk in schema.get("x-kubernetes-group-version-kind", []):
                    if not name.endswith("List") and "metadata" in schema.get("properties", {}):
                        self.kinds.setdefault(_gvk_key(gvk), {"$ref": name})

    def add_crds(self, folder: Path, channel: str = "") -> None:
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: CRD folder missing")
        for path in sorted(folder.glob("*.yaml")):
            for crd in yaml.safe_load_all(path.read_text()):
                if isinstance(crd, dict) and crd.get("kind") == "CustomResourceDefinition":
                    self._add_crd(crd, channel)

    def _add_crd(self, crd: dict[str, Any], channel: str) -> None:
        spec = crd["spec"]
        for version in spec.get("versions", []):
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            if not schema or not version.get("served", True):
                continue
            key = _gvk_key({"group": spec["group"], "version": version["name"],
                            "kind": spec["names"]["kind"]})
            compact = self.compact(_with_object_meta(schema), crd=True)
            if channel == "standard":
                self.standard[key] = compact
            else:
                self.kinds[key] = compact
                self.scope[key] = spec.get("scope", "Namespaced")
                scale = ((version.get("subresources") or {}).get("scale") or {})
                if scale.get("specReplicasPath"):
                    self.scale[key] = scale["specReplicasPath"]

    def compact(self, schema: Any, crd: bool = False) -> Any:
        """Strip to KEEP keywords, turn refs into short names, intern big subtrees."""
        if not isinstance(schema, dict):
            return schema
        ref = _ref_name(schema)
        # Built-ins: "d" marks a defaulted field (the server fills it in before checking
        # `required`). Custom resources keep the default itself: CEL rules see it.
        marker = ({"default": schema["default"]} if crd else {"d": 1}) \
            if "default" in schema else {}
        if ref:
            return {"$ref": ref, **marker}
        out = dict(marker)
        for key, value in schema.items():
            if key == "properties":
                out[key] = {k: self.compact(v, crd) for k, v in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self.compact(value, crd)
            elif key in KEEP or crd and key in CRD_KEEP:
                out[key] = value
            elif crd and key in ("oneOf", "anyOf", "allOf") and not _type_alternatives(schema):
                out[key] = [self.compact(branch, crd) for branch in value]
            elif crd and key == "not" and isinstance(value, dict):
                out[key] = self.compact(value, crd)
            elif crd and key == "x-kubernetes-validations":
                out[key] = [{k: r[k] for k in RULE_KEYS if k in r} for r in value]
        alternatives = _type_alternatives(schema)
        if alternatives and not out.get("x-kubernetes-int-or-string"):
            out["types"] = alternatives
        return self._intern(out)

    def _intern(self, schema: dict[str, Any]) -> dict[str, Any]:
        text = json.dumps(schema, sort_keys=True, separators=(",", ":"))
        if len(text) < INTERN_MIN_BYTES:
            return schema
        name = "h:" + hashlib.sha1(text.encode()).hexdigest()[:16]
        self.definitions.setdefault(name, schema)
        return {"$ref": name}

    def document(self, sources: dict[str, Any]) -> dict[str, Any]:
        return {"format": FORMAT, "sources": sources, "definitions": self.definitions,
                "kinds": self.kinds, "standard": self.standard, "scope": self.scope,
                "scale": self.scale}


def _ref_name(schema: dict[str, Any]) -> str:
    """The target of `$ref` or of the `allOf: [{$ref}]` wrapper the v3 spec uses."""
    ref = schema.get("$ref")
    if not ref and len(schema.get("allOf") or []) == 1:
        ref = schema["allOf"][0].get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else ""


def _type_alternatives(schema: dict[str, Any]) -> list[str]:
    """oneOf/anyOf made only of bare types (Quantity: string|number) as a list of types."""
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    types: list[Any] = [b.get("type") for b in branches if isinstance(b, dict)]
    if branches and all(types) and all(set(b) == {"type"} for b in branches):
        return types
    return []


def _with_object_meta(schema: dict[str, Any]) -> dict[str, Any]:
    """CRD schemas say only `metadata: {type: object}`; validate it as ObjectMeta."""
    schema = dict(schema)
    props = dict(schema.get("properties") or {})
    props["metadata"] = {"$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
    schema["properties"] = props
    return schema


def _gvk_key(gvk: dict[str, Any]) -> str:
    group = gvk.get("group") or ""
    version = f"{group}/{gvk['version']}" if group else gvk["version"]
    return f"{version}/{gvk['kind']}"


# The pinned modules the file is compiled from (others, e.g. a Gateway controller, are not
# read and must not change the file).
SOURCE_KEYS = ("kubernetes", "gateway-api", *CRD_FOLDERS)


def _pinned_dirs() -> dict[str, Path]:
    from harness import gomod  # imported late: building schemas may download modules
    return {key: gomod.pinned_dir(key) for key in SOURCE_KEYS}


def _sources() -> dict[str, str]:
    from harness import gomod
    return dict(sorted(gomod.PINNED_MODULES[key] for key in SOURCE_KEYS))


COMMITTED = Path(__file__).resolve().parents[2] / "skills" / "k8s-manifests" / BUNDLE_SUBDIR


def main(argv: list[str] | None = None) -> int:
    """`python -m harness.skillpack.schemas`: regenerate the committed schema file."""
    import argparse
    parser = argparse.ArgumentParser(description="Regenerate skills/k8s-manifests/assets/"
                                     f"schemas/{FILE_NAME} from the pinned Go modules.")
    parser.add_argument("--out", default=str(COMMITTED), help="output folder")
    args = parser.parse_args(argv)
    target = build_schemas(Path(args.out))
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
