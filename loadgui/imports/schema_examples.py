"""An example value for an OpenAPI schema: the schema's own example when it gives one, or
else a minimal valid value (required properties only, the fewest array items)."""

from __future__ import annotations

import math
from typing import Any

from loadgui.imports.errors import ImportInputError
from loadgui.imports.openapi_document import pointed_at, resolve

STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00Z",
    "email": "user@example.com", "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com/", "url": "https://example.com/", "hostname": "example.com",
    "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "byte": "", "binary": "", "password": "secret",
}


class _NoFiniteValue(Exception):
    """A schema that requires itself: its value would be infinite."""

    def __init__(self, chain: tuple[str, ...]):
        super().__init__(" → ".join(chain))
        self.chain = chain


def given_example(node: dict[str, Any], document: dict[str, Any]) -> tuple[bool, Any]:
    """(True, value) for the example a parameter or media type object gives itself."""
    if "example" in node:
        return True, node["example"]
    examples = node.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            example = resolve(document, example)
            if isinstance(example, dict) and "value" in example:
                return True, example["value"]
    return False, None


def example_value(schema: Any, document: dict[str, Any], where: str) -> Any:
    """A value for `schema`; ImportInputError names the `$ref` loop when every value of it
    would be infinite (a schema that requires itself)."""
    try:
        return _Generator(document).value(schema, ())
    except _NoFiniteValue as exc:
        raise ImportInputError(f"the schema of {where} requires itself ({exc}): no finite "
                               f"example exists") from None
    except RecursionError:
        raise ImportInputError(f"the schema of {where} is nested too deeply") from None


class _Generator:
    def __init__(self, document: dict[str, Any]):
        self.document = document

    def value(self, schema: Any, refs: tuple[str, ...]) -> Any:
        if not isinstance(schema, dict):
            return {}  # `true` or an absent schema accepts anything
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in refs:
                raise _NoFiniteValue((*refs[refs.index(ref):], ref))
            return self.value(pointed_at(self.document, ref, ref), (*refs, ref))
        for keyword in ("example", "const", "default"):
            if keyword in schema:
                return schema[keyword]
        for keyword in ("examples", "enum"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                return schema[keyword][0]
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, refs)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                return self._first_finite(schema[keyword], refs)
        return self._typed(schema, refs)

    def _all_of(self, schema: dict[str, Any], refs: tuple[str, ...]) -> Any:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        parts = [self.value(part, refs) for part in [*schema["allOf"], rest]
                 if part is not rest or _type_of(rest)]
        objects = [part for part in parts if isinstance(part, dict)]
        if len(objects) < len(parts):
            return parts[0]
        merged: dict[str, Any] = {}
        for part in objects:
            merged.update(part)
        return merged

    def _first_finite(self, options: list[Any], refs: tuple[str, ...]) -> Any:
        loop: _NoFiniteValue | None = None
        for option in options:
            try:
                return self.value(option, refs)
            except _NoFiniteValue as exc:
                loop = loop or exc
        assert loop is not None
        raise loop

    def _typed(self, schema: dict[str, Any], refs: tuple[str, ...]) -> Any:
        kind = _type_of(schema)
        if kind == "object":
            properties = schema.get("properties")
            properties = properties if isinstance(properties, dict) else {}
            required = schema.get("required")
            return {name: self.value(properties.get(name, {}), refs)
                    for name in (required if isinstance(required, list) else [])}
        if kind == "array":
            count = schema.get("minItems")
            count = count if isinstance(count, int) and count > 0 else 0
            return [self.value(schema.get("items", {}), refs) for _ in range(count)]
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return False
        if kind == "null" or schema.get("nullable") is True:
            return None
        return {}


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if kinds else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _string(schema: dict[str, Any]) -> str:
    text = STRING_FORMATS.get(str(schema.get("format")), "string")
    shortest, longest = schema.get("minLength"), schema.get("maxLength")
    if isinstance(shortest, int) and len(text) < shortest:
        text += "x" * (shortest - len(text))
    if isinstance(longest, int) and len(text) > longest:
        text = text[:max(longest, 0)]
    return text


def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
    step = 1 if integer else 0.5
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(exclusive_low, int | float) and not isinstance(exclusive_low, bool):
        low = exclusive_low + step  # OpenAPI 3.1: the bound itself
    elif exclusive_low is True and isinstance(low, int | float):
        low += step  # OpenAPI 3.0: a flag on minimum
    if isinstance(exclusive_high, int | float) and not isinstance(exclusive_high, bool):
        high = exclusive_high - step
    elif exclusive_high is True and isinstance(high, int | float):
        high -= step
    value: float = 0
    if isinstance(low, int | float) and value < low:
        value = math.ceil(low) if integer else low
    elif isinstance(high, int | float) and value > high:
        value = math.floor(high) if integer else high
    multiple = schema.get("multipleOf")
    if isinstance(multiple, int | float) and multiple > 0 and value % multiple:
        value = math.ceil(value / multiple) * multiple
    return int(value) if integer or float(value).is_integer() else value
