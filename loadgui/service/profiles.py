"""Which profiles the service runs: the one in a request body, or its default for none.

Every run over HTTP is bounded (a count or a duration), or it would hold a slot forever, and
no caller may make the service read a file on its host.
"""

from __future__ import annotations

from loadgui.profile import Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL

NO_DEFAULT = ("no profile in the body and the service has no default; start it with "
              "`loadgui serve --profile PATH` or POST a profile")


def require_limits(profile: Profile) -> Profile:
    """`profile` when it has limits.total_requests or limits.duration; ProfileError if not."""
    if profile.limits.total_requests is None and profile.limits.duration is None:
        raise ProfileError("a run over HTTP needs an end: set limits.total_requests or "
                           "limits.duration (or both)", "limits")
    return profile


def profile_from_body(body: bytes, default: Profile | None) -> Profile:
    """The validated profile in a request body, or `default` for an empty body.

    Raises ProfileError (a 422) for a body that is no valid, bounded profile, a key file,
    or an empty body without a default.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError("the profile is not UTF-8 text") from None
    if not text.strip():
        if default is None:
            raise ProfileError(NO_DEFAULT)
        return default
    profile = Profile.from_json(text)
    if profile.keys.file is not None:
        # The service must not read files on its host on a caller's behalf and send them out.
        raise ProfileError("the service does not read API key files; send the keys inline "
                           "in keys.keys", "keys.file")
    if profile.target.base_url == MOCK_BASE_URL:
        raise ProfileError("the service does not start a mock server: give the base URL of "
                           "the server to load (the `mock` target is for loadgui run and the "
                           "window)", "target.base_url")
    if profile.load.cluster is not None:
        # Dask unpickles what a scheduler sends: a caller must not pick the service's one.
        raise ProfileError("the service does not run on a Dask cluster named by a caller; "
                           "run the profile with `loadgui run --cluster` instead",
                           "load.cluster")
    return require_limits(profile)
