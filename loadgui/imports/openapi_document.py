"""An OpenAPI 3 document read (JSON or YAML), its `$ref`s checked, and validated.

openapi-spec-validator does the validation. Two things are checked here first, because the
validator would not survive them: a `$ref` that leaves the document (it would fetch it) and a
chain of `$ref`s that loops (it would recurse until Python gives up).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import yaml
from openapi_spec_validator.shortcuts import get_validator_cls
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ValidatorDetectError,
)

from loadgui.imports.errors import ImportInputError
from loadgui.imports.sources import parse_json

try:
    from yaml import CSafeLoader as _SafeLoader  # libyaml's, many times faster
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# YAML aliases let a small file stand for a huge tree; past this many values it is refused.
MAX_EXPANDED_VALUES = 5_000_000
MAX_MESSAGE_LENGTH = 200


def read_document(text: str) -> tuple[dict[str, Any], list[str]]:
    """The document and the warnings its validation raised; ImportInputError when it is not
    an OpenAPI 3 document that can be imported."""
    document = _parsed(text)
    if not isinstance(document, dict):
        raise ImportInputError("not an OpenAPI document: it is not a JSON or YAML object")
    version = document.get("openapi")
    if "swagger" in document and version is None:
        raise ImportInputError("Swagger 2.0 documents are not supported: convert it to "
                               "OpenAPI 3 first")
    if not isinstance(version, str) or not version.startswith("3."):
        raise ImportInputError(f"not an OpenAPI 3 document: its openapi field is "
                               f"{version!r}, not 3.x")
    refs = _collect_refs(document)
    for ref, where in refs:
        _check_ref_chain(document, ref, where)
    return document, _validate(document)


def resolve(document: dict[str, Any], node: Any) -> Any:
    """`node`, or what its `$ref` chain points at (the chains were checked on reading)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = pointed_at(document, node["$ref"], "")
    return node


def pointed_at(document: dict[str, Any], ref: str, where: str) -> Any:
    if not ref.startswith("#"):
        raise ImportInputError(f"the $ref {ref!r} at {where} points outside the document; "
                               f"only references inside it are supported (bundle it first)")
    node: Any = document
    for token in filter(None, unquote(ref[1:]).split("/")):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise ImportInputError(f"the $ref {ref!r} at {where} points at nothing")
    return node


def pointer(path: Any) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _parsed(text: str) -> Any:
    if text.lstrip().startswith("{"):
        return parse_json(text, "OpenAPI document")
    try:
        return yaml.load(text, Loader=_JsonLikeLoader)
    except yaml.MarkedYAMLError as exc:
        line = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise ImportInputError(f"the OpenAPI document is not valid YAML: "
                               f"{exc.problem or exc.context}{line}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ImportInputError(f"the OpenAPI document cannot be read as YAML: "
                               f"{_one_line(str(exc))}") from None


class _JsonLikeLoader(_SafeLoader):
    """YAML read as the JSON it stands for: dates stay text (`2024-01-01` is a string in
    JSON Schema) and mapping keys are text (`200:` under responses is the key "200")."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        return {key if isinstance(key, str) else json.dumps(key, default=str): value
                for key, value in mapping.items()}


def _timestamp_as_text(loader: _JsonLikeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_JsonLikeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _collect_refs(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Every `$ref` string with where it is; refuses a YAML tree that contains itself or
    expands past MAX_EXPANDED_VALUES."""
    refs: list[tuple[str, str]] = []
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def walk(node: Any, path: tuple[Any, ...]) -> int:
        if not isinstance(node, dict | list):
            return 1
        ident = id(node)
        if ident in open_nodes:
            raise ImportInputError(f"the document contains itself at {pointer(path)} (a YAML "
                                   f"alias inside its own anchor)")
        if ident in sizes:  # the same YAML anchor met again: counted, not walked again
            return sizes[ident]
        open_nodes.add(ident)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        size = 1
        for key, value in items:
            if key == "$ref" and isinstance(value, str):
                refs.append((value, pointer(path)))
            size += walk(value, (*path, key))
        open_nodes.discard(ident)
        if size > MAX_EXPANDED_VALUES:
            raise ImportInputError(f"the document expands to more than "
                                   f"{MAX_EXPANDED_VALUES:,} values (YAML aliases?)")
        sizes[ident] = size
        return size

    try:
        walk(document, ())
    except RecursionError:
        raise ImportInputError("the OpenAPI document is nested too deeply to be read") from None
    return refs


def _check_ref_chain(document: dict[str, Any], ref: str, where: str) -> None:
    chain = [ref]
    node = pointed_at(document, ref, where)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        holder, ref = chain[-1], node["$ref"]  # the $ref sits where the previous one points
        if ref in chain:
            loop = " → ".join([*chain[chain.index(ref):], ref])
            raise ImportInputError(f"the document's $ref chain loops: {loop}")
        chain.append(ref)
        node = pointed_at(document, ref, holder)


def _validate(document: dict[str, Any]) -> list[str]:
    try:
        validator = get_validator_cls(document)(document)
        errors = list(validator.iter_errors())
    except ValidatorDetectError:
        raise ImportInputError(f"OpenAPI {document.get('openapi')} is not a version the "
                               f"validator knows") from None
    except RecursionError:
        raise ImportInputError("the OpenAPI document is nested too deeply to be validated"
                               ) from None
    duplicates = [e for e in errors if isinstance(e, DuplicateOperationIDError)]
    others = [e for e in errors if not isinstance(e, DuplicateOperationIDError)]
    if others:
        error = others[0]
        while error.context:  # a oneOf or anyOf: the deepest of its branches' errors
            error = max(error.context, key=lambda e: len(e.absolute_path))
        where = pointer(error.absolute_path) if error.absolute_path else "the top level"
        raise ImportInputError(f"the OpenAPI document is not valid: "
                               f"{_one_line(error.message)} (at {where})")
    ids = sorted({re.sub(r"^Operation ID '([^']*)'.*", r"\1", e.message) for e in duplicates})
    if not ids:
        return []
    return [f"operationId {', '.join(ids)} is used by several operations: operations are "
            f"told apart by method and path"]


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE_LENGTH else line[:MAX_MESSAGE_LENGTH - 1] + "…"
