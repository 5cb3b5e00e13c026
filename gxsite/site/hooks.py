"""The MkDocs hook mkdocs.yml loads (`hooks:`): puts each page's deferred blocks back, and
takes the template indentation out of the published page.

The content stage writes the tables, charts and findings of a page into
<page>.parts.html beside its Markdown and leaves a placeholder in their place
(blocks.deferred), so Python-Markdown converts a page of one kilobyte instead of
walking every cell. They are put back in MkDocs' post_page event, into the page as the
theme wrote it: the published page holds the real tables, readable without JavaScript,
by screen readers and by anyone scraping the site. Not in page_content: MkDocs keeps
every page's content from reading to writing, and with its tables in it that was
about 1 GB at 100,000 reports.
"""

from __future__ import annotations

import re
from pathlib import Path

from gxsite.site.blocks import attach_deferred, parts_name, split_parts


def on_post_page(output: str, page, config) -> str:
    """The page as the theme wrote it with its deferred parts put back, slimmed."""
    # The parts are our own markup with every report string already escaped.
    source = Path(page.file.abs_src_path)
    parts_file = source.with_name(parts_name(source.name))
    if parts_file.is_file():
        output = attach_deferred(output, split_parts(parts_file.read_text(encoding="utf-8")))
    return slim(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The theme's pages that are no Markdown page (404.html), slimmed too."""
    return slim(output_content) if template_name.endswith(".html") else output_content


# Where a page's whitespace is content: preformatted text, a text box, inline code
# spanning lines (Material styles code `white-space: pre-wrap`) and a script spanning
# lines (a JavaScript template literal keeps its indentation). Such a page is left as it is.
_WHITESPACE_MATTERS = re.compile(r"<pre[\s>]|<textarea[\s>]|<code[\s>](?:(?!</code>).)*\n|<script[\s>](?:(?!</script>).)*\n",
                                 re.S | re.I)
# A line break with the blank lines and indentation after it. Only ASCII spaces and tabs:
# an ideographic space (U+3000) indents Chinese text and is content. (Material's lines end
# without spaces; a pattern that began with optional spaces would be tried at every
# character, six times slower.)
_LINE_BREAK = re.compile(r"\n[\t\n ]+")


def slim(html: str) -> str:
    """A page without the blank lines and indentation of Material's templates: a quarter of
    an agency page's chrome (2.4 of 12 KB), which a browser collapses to nothing anyway,
    since a line break and the spaces around it render as one space outside
    preformatted text."""
    if _WHITESPACE_MATTERS.search(html):
        return html
    return _LINE_BREAK.sub("\n", html)
