"""What every import returns: the profile, what the user should know, what they may choose."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from loadgui.profile import Profile, RequestSpec

# Credential kinds. AUTH_KINDS can become the profile's API key; cookies stay request headers.
BEARER = "bearer"
BASIC = "basic"
API_KEY = "api_key"
OTHER_AUTH = "authorization"
COOKIE = "cookie"
AUTH_KINDS = (BEARER, BASIC, API_KEY, OTHER_AUTH)
MIN_SHOWN_TAIL_LENGTH = 12  # shorter secrets show no character at all


@dataclass
class Credential:
    """A secret found in the input. `keep`: an auth credential becomes the profile's API key,
    a cookie stays in the requests' Cookie header; otherwise it is dropped."""

    kind: str
    header: str  # the header it travels in, as the input spelled it
    scheme: str  # "Bearer", "Basic", or "" when the header holds the secret alone
    secret: str
    found_in: list[str] = field(default_factory=list)  # names of the requests that carry it
    keep: bool = False

    def masked(self) -> str:
        """Enough to tell secrets apart, never enough to use one: the last four characters
        of a long secret (as the key list shows keys), a cookie's name only."""
        if self.kind == COOKIE:
            names = [part.partition("=")[0].strip() for part in self.secret.split(";")]
            return "; ".join(f"{name}=••••" for name in names if name)
        shown = "••••" + self.secret[-4:] if len(self.secret) >= MIN_SHOWN_TAIL_LENGTH \
            else "••••"
        return f"{self.scheme} {shown}" if self.scheme else shown

    def describe(self) -> str:
        where = ", ".join(self.found_in[:3]) + (" and more" if len(self.found_in) > 3 else "")
        what = {BEARER: "bearer token", BASIC: "basic auth", API_KEY: "API key header",
                OTHER_AUTH: "authorization header", COOKIE: "cookies"}[self.kind]
        return f"{what} in {self.header} ({self.masked()}), in {where or 'the request'}"


@dataclass
class Candidate:
    """One request the input offers. Only `selected` ones go into the profile; `origin` is the
    base URL it goes to (scheme://host[:port], and an OpenAPI server's path); `count` is how
    often it appeared (HAR)."""

    request: RequestSpec
    origin: str
    selected: bool = True
    count: int = 1
    reason_left_out: str = ""  # why it is not selected by default, e.g. "static asset"
    operation_id: str | None = None  # OpenAPI's operationId

    @property
    def name(self) -> str:
        return self.request.name


@dataclass
class ImportOptions:
    """The choices a command line can make up front; a dialog can change them afterwards
    on the result's candidates and credentials, then call `ImportResult.rebuild()`."""

    keep_cookies: bool = False
    keep_auth: bool | None = None  # None: the format's default (kept for cURL, OpenAPI, Postman)
    include_static: bool = False  # HAR: keep images, fonts, stylesheets and scripts
    operations: list[str] = field(default_factory=list)  # OpenAPI: operationIds or "GET /path"
    weights: dict[str, float] = field(default_factory=dict)  # request name or operationId
    base_url: str | None = None  # instead of the one the input names
    variables: dict[str, str] = field(default_factory=dict)  # Postman: over the collection's


@dataclass
class ImportResult:
    """`profile` never holds an API key: `profile_with_keys()` adds the kept ones."""

    profile: Profile
    source_kind: str  # "curl", "har", "openapi", "postman"
    candidates: list[Candidate] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should know
    warnings: list[str] = field(default_factory=list)  # what may make the run differ
    base_url: str | None = None  # the one target every request goes to, instead of origins
    timeout: float = 10.0
    key_slot: tuple[str, str] | None = None  # (header, scheme) an OpenAPI document asks for
    # How the requests travel (e.g. cURL's -k, --http2, --proxy): the target's fields.
    transport: dict[str, object] = field(default_factory=dict)

    @property
    def selected(self) -> list[Candidate]:
        return [c for c in self.candidates if c.selected]

    def kept_api_keys(self) -> list[str]:
        from loadgui.imports.credentials import key_credentials

        return [c.secret for c in key_credentials(self.credentials)]

    def profile_with_keys(self) -> Profile:
        data = self.profile.to_dict()
        data["keys"] = {**data["keys"], "keys": self.kept_api_keys()}
        return Profile.from_dict(data)

    def rebuild(self) -> ImportResult:
        """The profile remade from the current `selected` and `keep` flags (what a dialog's
        checkboxes change). Raises ImportInputError when nothing is selected."""
        from loadgui.imports.build import build_profile

        profile = build_profile(self.candidates, self.credentials, base_url=self.base_url,
                                timeout=self.timeout, key_slot=self.key_slot,
                                transport=self.transport)
        return dataclasses.replace(self, profile=profile)
