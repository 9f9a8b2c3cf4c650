"""Render an agent through a Jinja template: one renderer for ``merge`` and ``new``.

Source text is passed as data and never rendered as a template, so ``{{ }}`` in an agent
comes out literally. No autoescape for agents (``<example>`` stays ``<example>``); the
review page (HTML) renders with autoescape on. StrictUndefined.

Templates are shared like agents, so they run in Jinja's sandbox (no Python internals such
as ``"".__class__``, no unsafe calls), and every file they load, includes too, must really
lie inside the template folders: a link in ``templates/`` to ``/etc/passwd`` is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .errors import AgentforgeError, TemplateError
from .frontmatter import format_key, scalar


class FolderLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a file whose real path (links followed) is outside its folders."""

    def __init__(self, folders: list[Path]):
        super().__init__([str(folder) for folder in folders])
        self.real_folders = [folder.resolve() for folder in folders]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            if path.is_file():
                self.check(template, path.resolve())
                break
        return super().get_source(environment, template)

    def check(self, template: str, real: Path) -> None:
        """Raise unless ``real`` lies inside one of the folders (checked before it is read)."""
        if not any(real.is_relative_to(folder) for folder in self.real_folders):
            raise jinja2.TemplateError(f"refused {template}: it lies outside the template folders ({real})")


def environment(search: list[Path], autoescape: bool = False) -> jinja2.Environment:
    """A sandboxed Jinja environment loading templates (and their includes) from ``search``;
    ``autoescape`` for HTML (the review page), off for agents."""
    env = SandboxedEnvironment(
        loader=FolderLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_scalar"] = scalar
    env.filters["yaml_key"] = lambda value, key: format_key(key, value).rstrip("\n")
    env.filters["toml"] = toml
    return env


def toml(pairs: Any) -> str:
    """A TOML document from (key, value) pairs or a mapping, written by tomli-w (strings with
    line breaks as multi-line strings, unless one holds a carriage return)."""
    import tomli_w  # only export --to codex writes TOML

    values = dict(pairs)
    crlf = any("\r" in value for value in values.values() if isinstance(value, str))
    return tomli_w.dumps(values, multiline_strings=not crlf)  # multi-line strings would lose a \r


def render(
    template: Path, context: dict[str, Any], search: list[Path] = (),  # type: ignore[assignment]
    env: jinja2.Environment | None = None, autoescape: bool = False,
) -> str:
    """Render the template file with ``context``; errors name the template file and line.

    Includes are looked up in ``search`` first (project, user, built-in), so a project's
    fragment overrides a built-in one; a template given by path also sees its own folder.
    Any error the template's code raises (a sandbox refusal, ``1/0``) is a TemplateError.
    ``env`` (from ``environment_for``) is reused by a caller that renders many times.
    """
    env = env or environment_for(template, search, autoescape)
    try:
        return env.get_template(template.name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(error.message or "syntax error", error.filename or str(template), error.lineno) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template not found: {error.name}", str(template)) from None
    except jinja2.TemplateError as error:
        path, line = _template_frame(str(template))
        raise TemplateError(str(error), path, line) from None
    except AgentforgeError:
        raise
    except Exception as error:  # noqa: BLE001 - a template's own code may raise anything
        path, line = _template_frame(str(template))
        raise TemplateError(f"{type(error).__name__}: {error}", path, line) from None


def environment_for(template: Path, search: list[Path] = (),  # type: ignore[assignment]
                    autoescape: bool = False) -> jinja2.Environment:
    """The environment ``render`` uses for a template: it keeps what it compiled."""
    return environment(list(search) if template.parent in search else [template.parent, *search], autoescape)


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
