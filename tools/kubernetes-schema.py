#!/usr/bin/env python3
"""Extracts the part of the Kubernetes API's published schema that headroom's fleet manifests use.

The source is the Swagger 2.0 document fabric8's kubernetes-client generates its model from, in its git
repository (kubernetes-model-generator/openapi/schemas/kubernetes-<version>.json, the apiserver's
/openapi/v2 of that Kubernetes release). The result is one JSON Schema (draft 2020-12) that the fleet tests
validate every manifest against (src/test/java/dev/headroom/fleet/ManifestSchema.java). It keeps exactly the
definitions reachable from the kinds given, and changes them only where a JSON Schema validator would otherwise
accept what the API server rejects, or reject what it accepts:

  1. "description" texts are dropped (they are most of the 3.8 MB); nothing else is.
  2. Every object schema that lists its properties gets "additionalProperties": false. The published schema
     leaves it out, but the API server's strict field validation (kubectl's default since 1.27,
     fieldValidation=Strict) rejects a field it does not know, and an unknown field is how a misspelt or
     misplaced key shows. Maps (schemas with additionalProperties already) stay open.
  3. IntOrString ("type": "string", "format": "int-or-string") becomes "type": ["integer", "string"]: the API
     server takes either, a plain JSON Schema "string" would refuse a port number.
  4. Quantity ("type": "string") becomes a string of Kubernetes' quantity grammar or a number, as the API
     server parses it ("1", "2Gi", "500m", 1).
  5. "format": "int32" / "int64" get the minimum and maximum of their range (JSON Schema formats only annotate).
  6. The root dispatches on apiVersion and kind to the kind's definition, and requires apiVersion, kind and
     metadata.name (a DNS subdomain), as a create request must carry them; any other kind fails.

Usage (from the repository root):
  tools/kubernetes-schema.py --repo /path/to/fabric8io/kubernetes-client.git --ref HEAD --version 1.35.0 \
      --out src/test/resources/dev/headroom/fleet/kubernetes-schema.json
"""

import argparse
import json
import re
import subprocess
import sys

# The kinds fleet/Manifests writes: apiVersion, kind, the definition's name.
KINDS = [
    ("v1", "ConfigMap", "io.k8s.api.core.v1.ConfigMap"),
    ("v1", "Pod", "io.k8s.api.core.v1.Pod"),
    ("v1", "Service", "io.k8s.api.core.v1.Service"),
    ("batch/v1", "Job", "io.k8s.api.batch.v1.Job"),
]
SOURCE_PATH = "kubernetes-model-generator/openapi/schemas/kubernetes-{version}.json"
SOURCE_REPO = "https://github.com/fabric8io/kubernetes-client"
REF_PREFIX = "#/definitions/"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
# Kubernetes' quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal, then a binary-SI,
# decimal-SI or decimal-exponent suffix.
QUANTITY_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$"
# A DNS-1123 subdomain (k8s.io/apimachinery/pkg/util/validation), what the API server takes as most names.
DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def refs(node):
    """The definition names a schema node refers to, at any depth."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            yield ref[len(REF_PREFIX):]
        for key, value in node.items():
            if key != "$ref":
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def reachable(definitions, roots):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in definitions:
            sys.exit(f"kubernetes-schema: the source has no definition {name}")
        seen.add(name)
        todo.extend(refs(definitions[name]))
    return seen


def strict(node, in_properties=False):
    """A copy of a schema node, descriptions dropped, closed to unknown fields, integer formats bounded."""
    if isinstance(node, list):
        return [strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    if in_properties:  # keys are field names here, not schema keywords
        return {name: strict(schema) for name, schema in node.items()}
    out = {}
    for key, value in node.items():
        if key == "description":
            continue
        out[key] = strict(value, in_properties=(key == "properties"))
    if "properties" in out and "additionalProperties" not in out \
            and not out.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    if out.get("type") == "integer" and out.get("format") in RANGES:
        out["minimum"], out["maximum"] = RANGES[out["format"]]
    return out


def root(kinds):
    dispatch = []
    for api_version, kind, definition in kinds:
        dispatch.append({
            "if": {"properties": {"apiVersion": {"const": api_version}, "kind": {"const": kind}},
                   "required": ["apiVersion", "kind"]},
            "then": {"$ref": REF_PREFIX + definition},
        })
    known = [{"properties": {"apiVersion": {"const": v}, "kind": {"const": k}}} for v, k, _ in kinds]
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata"],
        "properties": {"metadata": {"type": "object", "required": ["name"],
                                    "properties": {"name": {"type": "string", "maxLength": 253,
                                                            "pattern": DNS_SUBDOMAIN}}}},
        "anyOf": known,
        "allOf": dispatch,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repo", required=True, help="a clone (bare is fine) of fabric8io/kubernetes-client")
    p.add_argument("--ref", default="HEAD", help="the commit to read the schema at (default HEAD)")
    p.add_argument("--version", default="1.35.0", help="the Kubernetes release of the schema (default 1.35.0)")
    p.add_argument("--out", required=True, help="the JSON Schema file to write")
    a = p.parse_args()

    commit = git(a.repo, "rev-parse", a.ref + "^{commit}").strip()
    path = SOURCE_PATH.format(version=a.version)
    source = json.loads(git(a.repo, "show", f"{commit}:{path}"))
    if source.get("swagger") != "2.0" or "definitions" not in source:
        sys.exit(f"kubernetes-schema: {path} at {commit} is not a Swagger 2.0 document with definitions")
    definitions = source["definitions"]
    names = reachable(definitions, [d for _, _, d in KINDS])

    kept = {name: strict(definitions[name]) for name in sorted(names)}
    kept[INT_OR_STRING] = {"type": ["integer", "string"]}
    kept[QUANTITY] = {"type": ["string", "number"], "pattern": QUANTITY_PATTERN}

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": ("The Kubernetes " + a.version + " API's definitions reachable from the kinds headroom's "
                     "fleet manifests use, made strict as the API server is: written by tools/kubernetes-schema.py "
                     "(its docstring says each change); do not edit by hand."),
        "x-headroom-source": {"repository": SOURCE_REPO, "path": path, "commit": commit,
                              "kubernetes": a.version, "kinds": [f"{v}/{k}" for v, k, _ in KINDS]},
        **root(KINDS),
        "definitions": kept,
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(schema, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"kubernetes-schema: {len(kept)} of {len(definitions)} definitions from {path} at {commit[:12]} -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
