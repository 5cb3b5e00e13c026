"""Agency pages' finished HTML without running the theme's template for each.

Material's template costs ~3.5 ms a page, and the site has one agency page per
agency (2,700 at 10,000 reports). Agency pages sit at the same depth
(agencies/<slug>/), are outside the navigation and have no front matter, so
Material gives them all the same HTML except for four things: the content, the
table of contents, the canonical URL and the title. A Shell is the template's
output for one such page with those four left as holes; any other such page
is the shell with its own four filled in.

Safe by construction and checked at run time:
- only pages that fit (is_candidate) are filled, and only when the title is
  plain text that every filter the template applies to it (escape, striptags)
  leaves as it is;
- the table of contents is rendered by Material's own partial, in the same
  context as the template gives it;
- the shell is built from the first candidate page a worker renders and used
  only after the second candidate, rendered for real too, came out identical.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_CONTENT, _TOC, _URL, _TITLE = "\0content\0", "\0toc\0", "\0url\0", "\0title\0"
# Characters escape or striptags would change, and runs of white space striptags would fold.
_PLAIN_TITLE = re.compile(r"^[^&<>\"'\s](?:[^&<>\"'\s]| (?! ))*(?<! )$")
# The table of contents uses one word of Material's translations (its title);
# importing them for every page would cost most of what the shell saves.
_TOC_TITLE = '{% import "partials/language.html" as lang with context %}{{ lang.t("toc") }}'


class _Translations:
    """Stands in for base.html's `lang` in partials/toc.html."""

    def __init__(self, toc_title: Markup):
        self.toc_title = toc_title

    def t(self, key: str) -> Markup:
        if key != "toc":
            raise KeyError(f"partials/toc.html asked for the translation of {key!r}")
        return self.toc_title


def is_candidate_title(title: object) -> bool:
    return isinstance(title, str) and bool(_PLAIN_TITLE.match(title))


def is_candidate(page) -> bool:
    return (page.url.startswith("agencies/") and page.url.count("/") == 2 and not page.meta
            and not page.is_homepage and page.previous_page is None and page.next_page is None
            and is_candidate_title(page.title))


class Shell:
    """Fills agency pages from one real rendering; see the module's docstring."""

    def __init__(self, env):
        self.env = env
        self.toc_template = env.get_template("partials/toc.html")
        self.lang: _Translations | None = None
        self.shell: str | None = None
        self.trusted = False
        self.off = False

    def render(self, page, context, template) -> str:
        """The finished HTML of `page`: the template's output, or the shell filled."""
        if self.off or not is_candidate(page):
            return template.render(context)
        if self.lang is None:
            self.lang = _Translations(Markup(self.env.from_string(_TOC_TITLE).render(context)))
        toc = self.toc_template.render({**context, "lang": self.lang})
        if self.trusted:
            return self._fill(page, toc)
        output = template.render(context)
        if self.shell is None:
            self.shell = self._make(output, page, toc)
            self.off = self.shell is None
        else:
            self.trusted = self._fill(page, toc) == output
            self.off = not self.trusted
        return output

    @staticmethod
    def _make(output: str, page, toc: str) -> str | None:
        if "\0" in output or output.count(page.content) != 1 or output.count(toc) != 1:
            return None
        shell = output.replace(page.content, _CONTENT).replace(toc, _TOC)
        if page.canonical_url:
            shell = shell.replace(page.canonical_url, _URL)
        return shell.replace(page.title, _TITLE)

    def _fill(self, page, toc: str) -> str:
        return (self.shell.replace(_TITLE, page.title).replace(_URL, page.canonical_url or "")
                .replace(_TOC, toc).replace(_CONTENT, page.content))
