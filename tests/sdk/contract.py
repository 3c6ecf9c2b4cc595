"""Schema plumbing for the contract test: resolve refs, drop prose, compare, and check
a live JSON answer against a schema with every object closed (no unknown fields)."""

from __future__ import annotations

from typing import Any

# "default" is prose too for answers: FastAPI leaves out `null` defaults, and every field
# of an answer is sent anyway (its presence is checked by `violations`).
PROSE = frozenset({"title", "description", "examples", "default"})
TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
    "array": list,
    "object": dict,
}


def resolve(schema: Any, defs: dict[str, Any]) -> Any:
    """``schema`` with every ``$ref`` inlined and titles/descriptions dropped."""
    if isinstance(schema, list):
        return [resolve(s, defs) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return resolve(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    out = {k: resolve(v, defs) for k, v in schema.items() if k not in PROSE and k != "$defs"}
    if isinstance(schema.get("properties"), dict):  # field names are data, not prose
        out["properties"] = {k: resolve(v, defs) for k, v in schema["properties"].items()}
    return out


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where two resolved schemas differ (an empty list: the same)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{where}/{key}: missing on the server")
            elif key not in expected:
                out.append(f"{where}/{key}: unknown to the SDK")
            else:
                out += differences(expected[key], actual[key], f"{where}/{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        pairs = enumerate(zip(expected, actual, strict=True))
        return [d for n, (e, a) in pairs for d in differences(e, a, f"{where}[{n}]")]
    return [] if expected == actual else [f"{where}: SDK {expected!r} != server {actual!r}"]


def violations(schema: dict[str, Any], data: Any, where: str = "$") -> list[str]:
    """Why ``data`` does not fit ``schema`` (resolved); objects are closed."""
    if "anyOf" in schema:
        options = [violations(s, data, where) for s in schema["anyOf"]]
        return [] if any(not v for v in options) else min(options, key=len)
    if "enum" in schema and data not in schema["enum"]:
        return [f"{where}: {data!r} not in {schema['enum']}"]
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(data, TYPES[kind]) and not (kind in ("integer", "number") and isinstance(data, bool))
        if not ok:
            return [f"{where}: expected {kind}, got {type(data).__name__}"]
    out: list[str] = []
    if isinstance(data, dict) and "properties" in schema:
        props = schema["properties"]
        out += [f"{where}.{k}: unknown field" for k in data if k not in props]
        out += [f"{where}.{k}: missing" for k in schema.get("required", ()) if k not in data]
        for k, v in data.items():
            if k in props:
                out += violations(props[k], v, f"{where}.{k}")
    elif isinstance(data, dict) and isinstance(schema.get("additionalProperties"), dict):
        for k, v in data.items():
            out += violations(schema["additionalProperties"], v, f"{where}.{k}")
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        for n, v in enumerate(data):
            out += violations(schema["items"], v, f"{where}[{n}]")
    return out
