"""JSON bodies for the checks: decoded once a response, searched by JMESPath.

The common check reads a path of plain field names (`data.id`). For those, the body is
decoded into small msgspec structs holding only the fields on the paths: the rest of the
document is skipped, not built, which is most of what parsing a response costs, and a path
is read with one C-level attribute lookup. A body of another shape (`data` a list where the
paths want an object) is decoded in full instead, and every path is searched as JMESPath
would search it.
"""

from __future__ import annotations

import keyword
import operator
from collections.abc import Callable
from typing import Any

import msgspec
from jmespath.parser import ParsedResult

__all__ = ["BodyDecoder", "field_chain", "json_equal", "path_search"]

_PLAIN = msgspec.json.Decoder()
_LEAF = None  # in a tree of paths: the whole value is wanted


class BodyDecoder:
    """Decodes a body for one request's JSON checks; raises msgspec.DecodeError when the
    body is not JSON."""

    def __init__(self, chains: list[list[str]] | None):
        """`chains`: the field names of every JSON check's path, or None when a path is
        not plain field names (the body is then always decoded in full)."""
        self._typed: msgspec.json.Decoder[Any] | None = None
        tree = _tree(chains) if chains and all(
            _is_attribute(name) for chain in chains for name in chain) else None
        if tree is not None:
            try:
                self._typed = msgspec.json.Decoder(_struct_type(tree, "Body"))
            except (TypeError, ValueError):  # a field name msgspec will not take: decode all
                self._typed = None

    def decode(self, body: bytes) -> Any:
        if self._typed is not None:
            try:
                return self._typed.decode(body)
            except msgspec.ValidationError:  # JSON, but not of the shape the paths expect
                pass
        return _PLAIN.decode(body)


def field_chain(expression: ParsedResult) -> list[str] | None:
    """The field names of a path such as `data.id`; None for any other expression."""
    return _chain(expression.parsed)


def path_search(expression: ParsedResult) -> Callable[[Any], Any]:
    """The expression's search; a path of plain field names is walked with lookups (through
    a decoded document or BodyDecoder's structs), the same answer as jmespath's, faster."""
    fields = field_chain(expression)
    if fields is None:
        return expression.search
    shaped = operator.attrgetter(".".join(fields))  # through BodyDecoder's structs, in C

    def walk(document: Any) -> Any:
        if isinstance(document, msgspec.Struct):
            try:
                return shaped(document)
            except AttributeError:  # a null on the way
                return None
        for name in fields:
            if not isinstance(document, dict):
                return None
            document = document.get(name)
        return document
    return walk


def json_equal(a: Any, b: Any) -> bool:
    """Equal as JSON values: 1 equals 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(
            json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(
            json_equal(v, b[k]) for k, v in a.items())
    if isinstance(b, list | dict):
        return False
    return bool(a == b)


def _chain(node: Any) -> list[str] | None:
    if node["type"] == "field":
        return [node["value"]]
    if node["type"] == "subexpression":
        chain: list[str] = []
        for child in node["children"]:
            part = _chain(child)
            if part is None:
                return None
            chain += part
        return chain
    return None


def _is_attribute(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


def _tree(chains: list[list[str]]) -> dict[str, Any] | None:
    """The paths as nested dicts, a wanted value as _LEAF; None when one path ends where
    another goes on (`data` and `data.id`): such bodies are decoded whole."""
    tree: dict[str, Any] = {}
    for chain in chains:
        node = tree
        for name in chain[:-1]:
            node = node.setdefault(name, {})
            if node is _LEAF:
                return None
        if chain[-1] in node and node[chain[-1]] is not _LEAF:
            return None
        node[chain[-1]] = _LEAF
    return tree


def _struct_type(tree: dict[str, Any], name: str) -> Any:
    fields = [(field, Any if sub is _LEAF else _struct_type(sub, f"{name}_{field}") | None,
               None) for field, sub in tree.items()]
    return msgspec.defstruct(name, fields)
