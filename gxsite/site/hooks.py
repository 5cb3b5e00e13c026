"""The MkDocs hook mkdocs.yml loads (`hooks:`): puts each page's deferred blocks back.

The content stage writes the tables, charts and findings of a page into
<page>.parts.html beside its Markdown and leaves a placeholder in their place
(blocks.deferred), so Python-Markdown converts a page of one kilobyte instead of
walking every cell. MkDocs' page_content event runs after Markdown and before the
theme's template: the published page holds the real tables, readable without
JavaScript, by screen readers and by anyone scraping the site.
"""

from __future__ import annotations

from pathlib import Path

from gxsite.site.blocks import attach_deferred, parts_name, split_parts


def on_page_content(html: str, page, config, files) -> str:
    # The parts are our own markup with every report string already escaped.
    source = Path(page.file.abs_src_path)
    parts_file = source.with_name(parts_name(source.name))
    if not parts_file.is_file():
        return html
    return attach_deferred(html, split_parts(parts_file.read_text(encoding="utf-8")))
