"""The pages' Jinja templates (site/templates/), escaped by default.

Every value a template prints goes through markup.text() (HTML, Markdown, attr_list
and Jinja syntax made inert) unless it is Markup: HTML the site itself built from
escaped parts. So a template cannot forget to escape report text. Report text is
only ever a value, never template source. Jinja's comments are written <# ... #>
here, since {#id} is Markdown's attr_list syntax for a heading's anchor.
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

from gxsite.site import markup as m


def _escaped(value: object) -> object:
    return value if isinstance(value, Markup) else m.text(value)


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("gxsite.site", "templates"), autoescape=False,
                              finalize=_escaped, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True, comment_start_string="<#",
                              comment_end_string="#>")


def render(template: str, /, **context: object) -> str:
    return environment().get_template(template).render(**context)


def html(text: str) -> Markup:
    """HTML the site built itself from escaped parts, to be printed as it is."""
    return Markup(text)
