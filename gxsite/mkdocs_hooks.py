"""MkDocs hooks that mkdocs.yml loads (`hooks:`).

Agency pages carry their tables as the text of a <style type="text/x-gx-tables">
element (pages_agency.deferred), an opaque run that Python-Markdown and the
search plugin pass over without walking every cell. Once both are done, this
hook puts the tables back into the page as real elements, so the published
HTML holds real tables: readable without JavaScript, by screen readers and by
anyone scraping the site.
"""

from __future__ import annotations

import re

_HOLDER = re.compile(r'<style type="text/x-gx-tables">(.*?)</style>', re.S)


def on_post_page(output: str, page, config) -> str:
    # The holder's text is our own markup with every report string already
    # escaped (pages_agency.deferred refuses markup that could end it early).
    return _HOLDER.sub(lambda match: match.group(1), output)
