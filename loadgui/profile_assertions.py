"""Validation of the checks of a profile's target and requests.

Each check holds exactly one assertion; a check without a name is named after it. The
parsing a run needs again (status sets) lives here too, so that the engine and validation
read a value the same way.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import TYPE_CHECKING, Any

import jmespath
from jmespath.exceptions import IncompleteExpressionError, JMESPathError, LexerError, ParseError

from loadgui.profile_errors import ProfileError, shown
from loadgui.profile_http import is_header_name
from loadgui.profile_sections import Check, copied

if TYPE_CHECKING:
    from loadgui.profile import Profile

MAX_CHECKS = 32  # the recorder keeps a request's failed checks as a uint32 bit mask
MAX_NAME_LENGTH = 120
ASSERTIONS = ("status", "body_contains", "body_matches", "json_path", "header",
              "max_latency_ms")
_STATUS_PART = re.compile(r"([1-5])xx|([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTE_LENGTH = 40  # of a value quoted in a generated name


def status_codes(text: str) -> frozenset[int]:
    """"200", "200,201", "200-299", "2xx" (or a list of them) -> the statuses it allows;
    ValueError naming the part that is none of these."""
    codes: set[int] = set()
    for part in text.split(","):
        match = _STATUS_PART.fullmatch(part.strip().lower())
        if match is None:
            raise ValueError(part.strip())
        klass, low, high = match.groups()
        if klass:
            codes.update(range(int(klass) * 100, int(klass) * 100 + 100))
        else:
            first, last = int(low), int(high or low)
            if last < first:
                raise ValueError(part.strip())
            codes.update(range(first, last + 1))
    return frozenset(codes)


def cut(text: str, limit: int = _QUOTE_LENGTH) -> str:
    """The text, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(value: Any, limit: int = _QUOTE_LENGTH) -> str:
    """A value as JSON text, cut to `limit` characters with an ellipsis."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return cut(text, limit)


def check_name(check: Check) -> str:
    """The name a check without one is shown under, made from its assertion."""
    if check.status is not None:
        return f"status {check.status}"
    if check.body_contains is not None:
        return f"body contains {quoted(check.body_contains)}"
    if check.body_matches is not None:
        return f"body matches /{cut(check.body_matches)}/"
    if check.json_path is not None:
        if check.json_equals is None:
            return f"json {check.json_path} exists"
        return f"json {check.json_path} == {quoted(check.json_equals)}"
    if check.header is not None:
        if check.header_equals is None:
            return f"header {check.header} present"
        return f"header {check.header} == {quoted(check.header_equals)}"
    return f"latency <= {check.max_latency_ms:g} ms"


def checks_from_dicts(value: Any, where: str) -> Any:
    """A profile file's list of check objects as Check sections; anything else is left for
    validation to name."""
    if not isinstance(value, list):
        return value
    known = {f.name for f in dataclasses.fields(Check)}
    checks: list[Any] = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            unknown = sorted(set(item) - known)
            if unknown:
                raise ProfileError(f"unknown field{'s' if len(unknown) > 1 else ''} in "
                                   f"{where}[{i}]: " + ", ".join(unknown), f"{where}[{i}]")
            item = Check(**item)
        checks.append(item)
    return checks


def normalise_checks(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the checks."""
    # The form marks the target's checks as one field; the message names the check.
    p.target.checks = _normalise_list(p.target.checks, "target.checks", "target.checks")
    for i, spec in enumerate(p.requests):
        spec.checks = _normalise_list(spec.checks, f"requests[{i}].checks", None)


def validated_checks(checks: list[Check], where: str = "checks") -> list[Check]:
    """Normalised copies of the checks (names filled in); ProfileError for the first
    invalid one. What an editor of one request's checks asks before it accepts them."""
    return _normalise_list([copied(check) for check in checks], where, None)


def _normalise_list(checks: Any, where: str, field: str | None) -> list[Check]:
    if not isinstance(checks, list):
        raise ProfileError(f"{where} must be a list of checks", field or where)
    if len(checks) > MAX_CHECKS:
        raise ProfileError(f"{where} holds {len(checks)} checks; at most {MAX_CHECKS} are "
                           f"allowed per request", field or where)
    names: set[str] = set()
    for i, check in enumerate(checks):
        path = f"{where}[{i}]"
        if not isinstance(check, Check):
            raise ProfileError(f"{path} must be a check, got {shown(check)}", field or path)
        name_field = _normalise_check(check, path, field)
        if check.name in names:
            raise ProfileError(f"{name_field}: the check name {shown(check.name)} is used "
                               f"twice in one request; give one another name",
                               field or name_field)
        names.add(check.name)
    return checks


def _normalise_check(check: Check, path: str, field: str | None) -> str:
    """Check and fix up one check in place; returns its name's field path."""
    given = [name for name in ASSERTIONS if getattr(check, name) is not None]
    if len(given) != 1:
        which = ", ".join(given) if given else "none"
        raise ProfileError(f"{path}: a check holds exactly one of {', '.join(ASSERTIONS)} "
                           f"(got {which})", field or path)
    assertion = given[0]
    at = f"{path}.{assertion}"
    try:
        _ASSERTION_CHECKS[assertion](check, at)
    except ProfileError as exc:
        exc.field = field or exc.field or at
        raise
    for extra, needs in (("json_equals", "json_path"), ("header_equals", "header")):
        if getattr(check, extra) is not None and assertion != needs:
            raise ProfileError(f"{path}.{extra}: {extra} goes with {needs}", field or
                               f"{path}.{extra}")
    name_at = f"{path}.name"
    if not isinstance(check.name, str):
        raise ProfileError(f"{name_at} must be text, got {shown(check.name)}", field or name_at)
    check.name = check.name.strip() or check_name(check)
    if len(check.name) > MAX_NAME_LENGTH or _CONTROL.search(check.name):
        raise ProfileError(f"{name_at} must be one line of at most {MAX_NAME_LENGTH} "
                           f"characters, got {shown(check.name)}", field or name_at)
    return name_at


def _status(check: Check, at: str) -> None:
    value = check.status
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # "status": 200 in a JSON file means "200"
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f'{at} must be text such as "200", "200,201", "200-299" or '
                           f'"2xx", got {shown(value)}')
    try:
        status_codes(value)
    except ValueError as exc:
        raise ProfileError(f'{at}: {shown(str(exc))} is not a status, a range such as '
                           f'"200-299" or a class such as "2xx" (statuses 100 to 599)') from None
    check.status = ",".join(part.strip().lower() for part in value.split(","))


def _body_contains(check: Check, at: str) -> None:
    if not isinstance(check.body_contains, str) or not check.body_contains:
        raise ProfileError(f"{at} must be non-empty text, got {shown(check.body_contains)}")


def _body_matches(check: Check, at: str) -> None:
    pattern = check.body_matches
    if not isinstance(pattern, str) or not pattern:
        raise ProfileError(f"{at} must be a regular expression, got {shown(pattern)}")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ProfileError(f"{at}: {shown(pattern)} is not a valid regular expression: "
                           f"{exc.msg}") from None


def _json_path(check: Check, at: str) -> None:
    path = check.json_path
    if not isinstance(path, str) or not path.strip():
        raise ProfileError(f"{at} must be a JMESPath expression such as data.id, "
                           f"got {shown(path)}")
    check.json_path = path.strip()
    try:
        jmespath.compile(check.json_path)
    except JMESPathError as exc:
        raise ProfileError(f"{at}: {shown(path)} is not a valid JMESPath expression: "
                           f"{_jmespath_reason(exc)}") from None
    if not _is_json(check.json_equals):
        equals_at = at.removesuffix("json_path") + "json_equals"
        raise ProfileError(f"{equals_at} must be a JSON value, got {shown(check.json_equals)}",
                           equals_at)


def _jmespath_reason(exc: JMESPathError) -> str:
    if isinstance(exc, IncompleteExpressionError):
        return "it ends too early"
    if isinstance(exc, LexerError):
        return f"{exc.message} at column {exc.lexer_position}"
    if isinstance(exc, ParseError):
        return f"unexpected {shown(exc.token_value)} at column {exc.lex_position}"
    return str(exc).splitlines()[0].rstrip(":")


def _header(check: Check, at: str) -> None:
    if not is_header_name(check.header):
        raise ProfileError(f"{at}: {shown(check.header)} is not a header name: a header name "
                           f"is one word of letters, digits and !#$%&'*+-.^_`|~")
    equals = check.header_equals
    if equals is not None and (not isinstance(equals, str) or _CONTROL.search(equals)):
        equals_at = at.removesuffix("header") + "header_equals"
        raise ProfileError(f"{equals_at} must be one line of text, got {shown(equals)}",
                           equals_at)


def _max_latency(check: Check, at: str) -> None:
    value = check.max_latency_ms
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or value <= 0:
        raise ProfileError(f"{at} must be a number of milliseconds above 0, got {shown(value)}")


def _is_json(value: Any, depth: int = 0) -> bool:
    if depth > 32:
        return False
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_json(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v, depth + 1) for k, v in value.items())
    return False


_ASSERTION_CHECKS = {
    "status": _status, "body_contains": _body_contains, "body_matches": _body_matches,
    "json_path": _json_path, "header": _header, "max_latency_ms": _max_latency,
}
