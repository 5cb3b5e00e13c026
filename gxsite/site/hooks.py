"""The MkDocs hook mkdocs.yml loads (`hooks:`): puts each page's deferred blocks back.

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

from pathlib import Path

from gxsite.site.blocks import attach_deferred, parts_name, split_parts


def on_post_page(html: str, page, config) -> str:
    # The parts are our own markup with every report string already escaped.
    source = Path(page.file.abs_src_path)
    parts_file = source.with_name(parts_name(source.name))
    if not parts_file.is_file():
        return html
    return attach_deferred(html, split_parts(parts_file.read_text(encoding="utf-8")))
