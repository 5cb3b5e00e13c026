"""MkDocs hooks that mkdocs.yml loads (`hooks:`).

Agency pages carry their charts, tables and findings as the text of
<style type="text/x-gx-html"> elements (blocks.deferred), opaque runs that
Python-Markdown and the search plugin pass over without walking every element.
Once both are done, this hook puts that HTML back into the page as real
elements, so the published HTML holds real tables: readable without
JavaScript, by screen readers and by anyone scraping the site.
"""

from __future__ import annotations

import re

from gxsite.blocks import DEFERRED_TYPE

_HOLDER = re.compile(f'<style type="{re.escape(DEFERRED_TYPE)}">(.*?)</style>', re.S)


def on_post_page(output: str, page, config) -> str:
    # The holder's text is our own markup with every report string already
    # escaped (blocks.deferred refuses markup that could end it early).
    return _HOLDER.sub(lambda match: match.group(1), output)
