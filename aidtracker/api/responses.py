"""JSON responses that are safe wherever they end up, since article text is untrusted.

Text from articles is returned as it was written, `<script>` and all. A JSON body is never
rendered as HTML by a browser that respects its content type (and `nosniff` is always sent),
but a client may paste it into a page or a `<script>` block: so `<`, `>` and `&` (and the two
line separators JavaScript treats as line ends) leave as `\\u` escapes. Every JSON decoder reads
them back as the same characters.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TABLE = str.maketrans(_ESCAPES)


def safe_json(content: Any) -> bytes:
    """`content` as compact UTF-8 JSON with markup characters escaped."""
    text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_TABLE).encode("utf-8")


class SafeJSONResponse(JSONResponse):
    """The API's response class: JSON with markup characters escaped."""

    def render(self, content: Any) -> bytes:
        return safe_json(content)
