"""The command line: each command maps its options to one library call."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.core import TyperGroup

from . import files, show
from .errors import AgentforgeError


class _Group(TyperGroup):
    """Turns every AgentforgeError into one line on stderr and exit code 1."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except AgentforgeError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    help="Read, merge, generate, lint and de-duplicate Claude Code agent files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root() -> None:
    """Read, merge, generate, lint and de-duplicate Claude Code agent files."""


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="An agent file (Markdown with YAML frontmatter)."),
    as_json: bool = typer.Option(False, "--json", help="Print the model as JSON."),
) -> None:
    """Show how agentforge reads FILE: frontmatter fields, examples, sections, lists, items."""
    agent = files.load(file)
    if as_json:
        typer.echo(json.dumps(show.to_data(agent), indent=2, ensure_ascii=False))
    else:
        typer.echo(show.tree(agent), nl=False)


def main() -> None:
    app()
