"""Safe markup from untrusted report text.

Report text may hold HTML, Markdown, Jinja syntax or links. Everything that
comes from a report passes through `text()` (or `attr()` inside an HTML
attribute) before it reaches a page, so it can only ever be shown as text.
"""

from __future__ import annotations

import json

# Characters that mean something to HTML, Markdown, attr_list or Jinja. Each is
# written as a numeric entity, which Markdown leaves alone and browsers show as
# the character itself.
_SPECIAL = set("&<>\"'`*_[](){}#|\\!~+-.:=$%^@")


def text(value: object) -> str:
    """Untrusted value → Markdown/HTML-safe text (no element, link or template survives)."""
    if value is None:
        return ""
    out = []
    for ch in str(value):
        if ch in _SPECIAL:
            out.append(f"&#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        elif ord(ch) < 32:
            continue
        else:
            out.append(ch)
    return "".join(out)


def attr(value: object) -> str:
    """Untrusted value → safe inside a double-quoted HTML attribute."""
    return text(value)


def json_attr(data: object) -> str:
    """JSON payload for a data-* attribute: HTML-escaped, and no Markdown or Jinja left in it."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text(raw)
