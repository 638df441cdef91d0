"""How the API behaves beyond the database: who may call it from a browser, and page sizes.

Defaults are the safe choice: no cross-origin access, a Content-Security-Policy that allows
nothing but the server's own scripts, styles and images. `aidtracker serve` builds one from its
flags; tests build their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # review_api imports the API's models, so it is imported when an app is built
    from aidtracker.review_api import ReviewApiSettings

# The API serves JSON only and the dashboard ships its own assets: nothing needs another origin,
# inline script, plugins, framing or a <base> that points elsewhere.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


PAGE_SIZE = 50  # a listing's default `limit`
MAX_PAGE_SIZE = 500  # and its largest: a bigger page is a job for `aidtracker export`


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Settings of one API app.

    `cors_origins`: origins (e.g. "https://example.org") allowed to read the API from a
    browser; empty means none. `csp`: the Content-Security-Policy sent with every response.
    `etag_max_bytes`: bodies larger than this are sent without an ETag rather than held in
    memory to hash. `review`: the writing API's limits (rates per token, body sizes); None for its defaults.
    """

    cors_origins: tuple[str, ...] = ()
    csp: str = DEFAULT_CSP
    etag_max_bytes: int = 16 * 1024 * 1024
    review: ReviewApiSettings | None = None
