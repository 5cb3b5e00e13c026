"""Safe markup from untrusted report text.

Report text may hold HTML, Markdown, Jinja syntax or links. Everything that
comes from a report passes through `text()` (or `attr()` inside an HTML
attribute, `plotly_text()` inside a chart label) before it reaches a page, so it
can only ever be shown as text.
"""

from __future__ import annotations

import json

from gxsite import jsonio

# Characters that mean something to HTML, Markdown (links, images, emphasis,
# code, tables, headings, escapes), attr_list or Jinja. Each is written as a
# numeric entity, which Markdown leaves alone and browsers show as the character
# itself. `.` `-` `+` `=` are harmless inside a line; they are escaped only where
# they could start a list or a heading underline (the first character).
_SPECIAL = set("&<>\"'`*_[](){}#|\\!~$^")
_LEADING = set("-+=.:>")
# JSON goes into a single-quoted attribute of a raw HTML block, which Markdown
# passes through untouched: only ' & < > need escaping there, and JSON's many
# double quotes stay one byte each.
_JSON_ATTR_SPECIAL = str.maketrans({"&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;"})


# One translation table does it all in C: specials to entities, line breaks and
# tabs to spaces, other control characters dropped.
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
_TABLE.update({ord(ch): " " for ch in "\r\n\t"})
_TABLE.update({code: None for code in [*range(32), 0x7F] if chr(code) not in "\r\n\t"})


def text(value: object) -> str:
    """Untrusted value → Markdown/HTML-safe text (no element, link or template survives)."""
    if value is None:
        return ""
    raw = str(value)
    escaped = raw.translate(_TABLE)
    if raw[:1] in _LEADING:
        escaped = f"&#{ord(raw[0])};" + escaped[1:]
    return escaped


def attr(value: object) -> str:
    """Untrusted value → safe inside a double-quoted HTML attribute (also in Markdown)."""
    return text(value)


def json_attr(data: object) -> str:
    """JSON payload for a SINGLE-quoted data-* attribute of a raw HTML block:
    data-figure='{json_attr(figure)}'."""
    return jsonio.dumps(data, sort_keys=True).decode("utf-8", "surrogatepass").translate(_JSON_ATTR_SPECIAL)


def plotly_text(value: object) -> str:
    """Untrusted value → a Plotly label. Plotly renders a subset of HTML (<b>, <a
    href>, <br>) and entities in labels; escaping & < > makes it show them as text."""
    if value is None:
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def spreadsheet_text(value: object) -> object:
    """A text cell of a CSV download that spreadsheets will not run as a formula.

    Text starting with = + - @ (or tab / carriage return) gets a leading apostrophe,
    the convention spreadsheets show as a literal. Numbers pass unchanged: a
    negative figure stays a number."""
    if not isinstance(value, str):
        return value
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def safe_json(data: object) -> str:
    """JSON for a download, with < > & written as \\u escapes: it parses back to the
    same data, and a browser that sniffs it as HTML still finds no markup."""
    raw = jsonio.dumps(data, sort_keys=True).decode("utf-8", "surrogatepass")
    return raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def front_matter(description: str) -> str:
    """A page's YAML front matter with its meta description. Material writes the description
    into <meta content="..."> as it is (its templates do not escape), so the value is escaped
    for an HTML attribute here, then written as a JSON string, which YAML reads as the same
    string. Not ASCII-escaped: YAML reads a JSON surrogate pair (a character beyond U+FFFF,
    such as 𠙶 in a place name) as two lone surrogates, and the whole front matter then
    showed on the page as text."""
    return f"---\ndescription: {json.dumps(attr(description[:160]), ensure_ascii=False)}\n---\n\n"
