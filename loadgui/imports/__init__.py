"""Imports: a cURL command, a HAR file, an OpenAPI 3 document or a Postman collection
becomes a profile, and a profile's requests become cURL commands.

Qt-free and writing no files: each parser returns an ImportResult (the profile, notes,
credentials found, and the candidate requests with a `selected` flag) for a window or the
command line to show; every bad input raises ImportInputError with a one-line message.
"""

from loadgui.imports.build import build_profile
from loadgui.imports.curl import parse_curl
from loadgui.imports.curl_export import to_curl
from loadgui.imports.errors import ImportInputError
from loadgui.imports.har import parse_har, read_har
from loadgui.imports.openapi import load_openapi, parse_openapi
from loadgui.imports.postman import parse_postman, read_postman
from loadgui.imports.result import Candidate, Credential, ImportOptions, ImportResult

__all__ = [
    "Candidate", "Credential", "ImportInputError", "ImportOptions", "ImportResult",
    "build_profile", "load_openapi", "parse_curl", "parse_har", "parse_openapi",
    "parse_postman", "read_har", "read_postman", "to_curl",
]
