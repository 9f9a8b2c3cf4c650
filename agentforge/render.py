"""Render an agent through a Jinja template: one renderer for ``merge`` and ``new``.

Source text is passed as data and never rendered as a template, so ``{{ }}`` in an agent
comes out literally. No autoescape (``<example>`` stays ``<example>``), StrictUndefined.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2

from .errors import TemplateError
from .frontmatter import format_key, scalar


def environment(search: list[Path]) -> jinja2.Environment:
    """A Jinja environment loading templates (and their includes) from ``search``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in search]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_scalar"] = scalar
    env.filters["yaml_key"] = lambda value, key: format_key(key, value).rstrip("\n")
    return env


def render(template: Path, context: dict[str, Any], search: list[Path] = ()) -> str:  # type: ignore[assignment]
    """Render the template file with ``context``; errors name the template file and line.

    Includes are looked up in ``search`` first (project, user, built-in), so a project's
    fragment overrides a built-in one; a template given by path also sees its own folder.
    """
    folders = list(search) if template.parent in search else [template.parent, *search]
    env = environment(folders)
    try:
        return env.get_template(template.name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(error.message or "syntax error", error.filename or str(template), error.lineno) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template not found: {error.name}", str(template)) from None
    except jinja2.TemplateError as error:
        path, line = _template_frame(str(template))
        raise TemplateError(str(error), path, line) from None


def _template_frame(default: str) -> tuple[str, int | None]:
    """The template file and line of the innermost template frame of the current error."""
    tb = sys.exc_info()[2]
    found: tuple[str, int | None] = (default, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".jinja2", ".md", ".html", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
