"""What the form checks beyond the profile's own rules, and every invalid field at once.

The profile stops at its first invalid value. The form wants them all (the validation bar
lists each), so `field_errors` asks the profile again with each field it named put back to
its default, until the profile passes: every message is still the profile's own.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
from collections.abc import Callable

from loadgui.engine.load.cluster_run import INSTALL_HINT
from loadgui.profile import Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL

MAX_ERRORS = 40  # more fields than a profile has: the loop always ends


def check_body(profile: Profile) -> None:
    """A body sent as JSON (by its Content-Type) must parse as JSON."""
    content_type = next((v for k, v in profile.target.headers.items()
                         if k.lower() == "content-type"), "")
    body = profile.target.body
    if body and "json" in content_type.lower():
        try:
            json.loads(body)
        except json.JSONDecodeError as exc:
            raise ProfileError(f"body is not valid JSON ({exc.msg} at line {exc.lineno}, "
                               f"column {exc.colno})", "target.body") from None


@functools.cache
def dask_installed() -> bool:
    """Whether Dask distributed can be imported (it is not, until a cluster run needs it)."""
    return importlib.util.find_spec("distributed") is not None


def check_cluster(profile: Profile) -> None:
    """"Dask cluster" chosen (the form's draft holds "" for no address yet) needs an address,
    and Dask installed here."""
    cluster = profile.load.cluster
    if cluster is None:
        return
    if isinstance(cluster, str) and not cluster.strip():
        raise ProfileError("a cluster run needs the address of the cluster's Dask scheduler, "
                           "such as tcp://HOST:8786", "load.cluster")
    if not dask_installed():
        raise ProfileError(INSTALL_HINT, "load.cluster")


def with_mock(profile: Profile, mock_url: str) -> Profile:
    """A draft aimed where "mock" points now: the running embedded mock server's URL.
    Raises ProfileError on the base URL when the profile says "mock" and the mock is off."""
    if profile.target.base_url.strip() != MOCK_BASE_URL:
        return profile
    if not mock_url:
        raise ProfileError("the base URL is the embedded mock server, which is off: turn it "
                           "on (Mock in the toolbar) or enter a URL", "target.base_url")
    draft = profile.draft()
    draft.target.base_url = mock_url
    return draft


def as_saved(profile: Profile, mock_url: str) -> Profile:
    """The profile as a file keeps it: the running mock's address becomes "mock", which the
    next launch (and `loadgui run`) resolve to its own mock server."""
    if not mock_url or profile.target.base_url.rstrip("/") != mock_url.rstrip("/"):
        return profile
    draft = profile.draft()
    draft.target.base_url = MOCK_BASE_URL
    return draft


def first_error(profile: Profile, mock_url: str) -> ProfileError | None:
    try:
        runnable(profile, mock_url)
    except ProfileError as exc:
        return exc
    return None


def runnable(profile: Profile, mock_url: str) -> Profile:
    """The profile as a run takes it: aimed, validated, its key file read."""
    check_body(profile)
    check_cluster(profile)
    validated = with_mock(profile, mock_url).validated()
    if validated.keys.file:
        validated.resolved_keys()
    return validated


def field_key(error: ProfileError) -> str:
    """The form's name for the field an error is about ("requests" for any row of the mix)."""
    name = error.field or ""
    return "requests" if name.startswith("requests") else name


def field_errors(profile: Profile, mock_url: str,
                 check: Callable[[Profile, str], ProfileError | None] = first_error
                 ) -> dict[str, ProfileError]:
    """Every invalid field of the profile, by field key, in the order the profile checks."""
    work = profile.draft()
    errors: dict[str, ProfileError] = {}
    for _ in range(MAX_ERRORS):
        error = check(work, mock_url)
        if error is None:
            break
        key = field_key(error)
        if key in errors or not _reset(work, key):
            errors.setdefault(key, error)
            break
        errors[key] = error
    return errors


def _reset(profile: Profile, key: str) -> bool:
    """Put a field back to its default; False when it cannot be (no field, or unknown)."""
    defaults = Profile()
    if key in ("requests", "thresholds"):
        setattr(profile, key, [])
        return True
    section, _, name = key.partition(".")
    part, default_part = getattr(profile, section, None), getattr(defaults, section, None)
    if part is None or not name or not dataclasses.is_dataclass(part) \
            or not hasattr(part, name):
        return False
    setattr(part, name, getattr(default_part, name))
    return True
