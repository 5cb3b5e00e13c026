"""MkDocs hooks that mkdocs.yml loads (`hooks:`).

Agency pages carry their charts, tables and findings as <style
type="text/x-gx-html"> elements (blocks.deferred), opaque to Python-Markdown and
the search plugin. The build goes further and detaches their HTML into
index.parts.json beside the page (blocks.detach_deferred), so MkDocs handles a
page of one kilobyte. Once the page is finished, this hook puts that HTML back
as real elements, so the published HTML holds real tables: readable without
JavaScript, by screen readers and by anyone scraping the site.
"""

from __future__ import annotations

from pathlib import Path

from gxsite import jsonio
from gxsite.site.blocks import attach_deferred, parts_name


def on_post_page(output: str, page, config) -> str:
    # The parts are our own markup with every report string already escaped
    # (blocks.deferred refuses markup that could end a holder early).
    source = Path(page.file.abs_src_path)
    parts_file = source.with_name(parts_name(source.name))
    parts = jsonio.loads(parts_file.read_bytes()) if parts_file.is_file() else []
    return attach_deferred(output, parts)
