"""`loadgui import`: a cURL command, a HAR file, an OpenAPI document or a Postman collection
becomes a profile file. Everything is read and checked before anything is written."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from loadgui.commands.common import EXIT_FAILED, EXIT_OK, OneLineParser, fail
from loadgui.private_file import write_text_atomically

if TYPE_CHECKING:  # the importers load YAML, the OpenAPI validator, ...: only when importing
    from loadgui.imports import ImportResult

FORMATS = {
    "curl": "a curl command, as a browser's or Postman's 'Copy as cURL' gives it",
    "har": "a HAR file (DevTools: Save all as HAR) as a weighted request mix",
    "openapi": "an OpenAPI 3 document (JSON or YAML; a file or an http(s) URL)",
    "postman": "a Postman collection (v2.1) as a request mix",
}
SOURCE_HELP = {
    "curl": "the command, quoted as one argument; - reads it from standard input",
    "har": "the .har file",
    "openapi": "the document's file, or its URL (such as http://host/openapi.json)",
    "postman": "the collection's .json file",
}


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = parser.description or (
        "Make a profile from a request you can already see: a cURL command, a HAR file, an "
        "OpenAPI document or a Postman collection. Nothing is written unless all of it "
        "imports; API keys found are not written unless --store-keys.")
    formats = parser.add_subparsers(dest="import_format", required=True, metavar="FORMAT",
                                    parser_class=OneLineParser)
    for name, description in FORMATS.items():
        sub = formats.add_parser(name, help=description, description=f"Import {description}.")
        sub.add_argument("source", help=SOURCE_HELP[name])
        sub.add_argument("-o", "--output", metavar="PATH",
                         help="profile to write (default: print it)")
        sub.add_argument("--base-url", help="send the requests here instead of where the "
                                            "input sent them")
        if name in ("har", "openapi", "postman"):
            sub.add_argument("--weight", action="append", metavar="NAME=W", default=[],
                             help="weight of one request (its name, or an operationId); "
                                  "repeatable")
        if name == "har":
            sub.add_argument("--include-static", action="store_true",
                             help="keep images, fonts, stylesheets and scripts")
            sub.add_argument("--keep-auth", action="store_true",
                             help="make the Authorization and API key headers the profile's "
                                  "API key (dropped by default)")
        if name == "openapi":
            sub.add_argument("--operation", action="append", metavar="ID", default=[],
                             help="import this operation (operationId or 'METHOD /path'); "
                                  "repeatable; default: all")
        if name == "postman":
            sub.add_argument("--var", action="append", metavar="NAME=VALUE", default=[],
                             help="a {{variable}}'s value, over the collection's; repeatable")
        sub.add_argument("--keep-cookies", action="store_true",
                         help="keep Cookie headers in the requests (dropped by default)")
        sub.add_argument("--store-keys", action="store_true",
                         help="write the API keys found into the profile in clear (the file "
                              "gets mode 0600)")


def run_import(args: argparse.Namespace) -> int:
    from loadgui.imports import ImportInputError
    from loadgui.profile import ProfileError

    try:
        result = _imported(args)
        profile = result.profile_with_keys() if args.store_keys else result.profile
    except (ImportInputError, ProfileError) as exc:
        return fail(str(exc))
    _tell(result, args)
    kept_cookies = any(c.kind == "cookie" and c.keep for c in result.credentials)
    secrets = _secrets_in_clear(len(profile.keys.keys), kept_cookies)
    text = profile.to_json()
    if not args.output:
        sys.stdout.write(text)
        if secrets:
            _say(f"warning: the printed profile holds {secrets} in clear")
        return EXIT_OK
    try:
        write_text_atomically(args.output, text, private=bool(secrets))
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_FAILED)
    if secrets:
        _say(f"warning: {args.output} holds {secrets} in clear (written with mode 0600): keep "
             f"it out of version control")
    return EXIT_OK


def _secrets_in_clear(stored_keys: int, kept_cookies: bool) -> str:
    """What the profile holds in clear, in words; empty when nothing."""
    parts = [f"{stored_keys} API key{'s' if stored_keys > 1 else ''}"] if stored_keys else []
    return " and ".join([*parts, *(["cookies"] if kept_cookies else [])])


def _imported(args: argparse.Namespace) -> ImportResult:
    from loadgui.imports import (
        ImportOptions,
        load_openapi,
        parse_curl,
        read_har,
        read_postman,
    )

    options = ImportOptions(
        keep_cookies=args.keep_cookies, base_url=args.base_url,
        keep_auth=True if getattr(args, "keep_auth", False) else None,
        include_static=getattr(args, "include_static", False),
        operations=getattr(args, "operation", []),
        weights=dict(map(_weight, getattr(args, "weight", []))),
        variables=dict(map(_variable, getattr(args, "var", []))))
    if args.import_format == "curl":
        command = sys.stdin.read() if args.source == "-" else args.source
        return parse_curl(command, options)
    if args.import_format == "har":
        return read_har(args.source, options)
    if args.import_format == "openapi":
        return load_openapi(args.source, options)
    return read_postman(args.source, options)


def _weight(item: str) -> tuple[str, float]:
    from loadgui.imports import ImportInputError

    name, sep, number = item.rpartition("=")
    try:
        if not sep or not name:
            raise ValueError
        return name, float(number)
    except ValueError:
        raise ImportInputError(f"--weight {item!r} must look like NAME=NUMBER") from None


def _variable(item: str) -> tuple[str, str]:
    from loadgui.imports import ImportInputError

    name, sep, value = item.partition("=")
    if not sep or not name:
        raise ImportInputError(f"--var {item!r} must look like NAME=VALUE")
    return name, value


def _tell(result: ImportResult, args: argparse.Namespace) -> None:
    from loadgui.imports.credentials import key_credentials, unused_credentials

    chosen, offered = len(result.selected), len(result.candidates)
    left_out = f" ({offered - chosen} left out)" if offered > chosen else ""
    _say(f"imported {chosen} request{'s' if chosen != 1 else ''}{left_out}"
         + (f" into {args.output}" if args.output else ""))
    for note in result.notes:
        _say(f"note: {note}")
    for warning in result.warnings:
        _say(f"warning: {warning}")
    keys, unused = key_credentials(result.credentials), unused_credentials(result.credentials)
    for credential in result.credentials:
        found = credential.describe()
        if credential in keys:
            where = "written in clear" if args.store_keys else \
                "not written: give it when running (loadgui run -k) or import with --store-keys"
            _say(f"API key: the {found} became the profile's API key, {where}")
        elif credential in unused:
            _say(f"left out: the {found} (a profile sends its keys in one header)")
        elif credential.keep:
            _say(f"kept: the {found}")
        else:
            flag = "--keep-cookies" if credential.kind == "cookie" else "--keep-auth"
            _say(f"left out: the {found} ({flag} keeps it)")


def _say(line: str) -> None:
    print(f"loadgui: {line}", file=sys.stderr)
