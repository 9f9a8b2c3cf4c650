"""The floor for ``agentforge --help``: a bare typer app with agentforge's commands and options
(no help texts, no work) that imports ruamel.yaml, as every command that reads a file must.

    python bench/floor_cli.py --help
"""

from __future__ import annotations

from pathlib import Path

import ruamel.yaml  # noqa: F401
import typer

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None)
templates_app = typer.Typer()
app.add_typer(templates_app, name="templates")


@app.callback()
def root(version: bool = typer.Option(False, "--version", is_eager=True)) -> None:
    """Read, merge, generate, lint and de-duplicate Claude Code agent files."""


@app.command()
def inspect(file: Path = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """inspect"""


@app.command()
def new(source: str = typer.Option(..., "--from"), name: str | None = None, description: str | None = None,
        model: str | None = None, tools: str | None = None, color: str | None = None, template: str = "agent",
        sources: Path = Path("sources"), output: Path | None = typer.Option(None, "-o", "--output"),
        force: bool = False) -> None:
    """new"""


@app.command("merge")
def merge_command(sources: list[Path] = typer.Argument(...),
                  output: Path | None = typer.Option(None, "-o", "--output"), report: Path | None = None,
                  threshold: float | None = None, scorer: str = "lexical", embedding_model: str | None = None,
                  name: str | None = None, tools: str = "union", model: str | None = None, color: str | None = None,
                  template: str = "merge", base: Path | None = None, min_support: int = 1, max_examples: int = 3,
                  skip_invalid: bool = False, force: bool = False) -> None:
    """merge"""


@templates_app.command("list")
def templates_list() -> None:
    """list"""


@templates_app.command("show")
def templates_show(name: str) -> None:
    """show"""


@templates_app.command("copy")
def templates_copy(name: str, dest: str, force: bool = False) -> None:
    """copy"""


@app.command("lint")
def lint_command(paths: list[Path] = typer.Argument(None), output_format: str = typer.Option("text", "--format"),
                 select: list[str] = typer.Option([]), ignore: list[str] = typer.Option([]),
                 apply_fix: bool = typer.Option(False, "--fix"), diff: bool = False,
                 list_rules: bool = typer.Option(False, "--rules")) -> None:
    """lint"""


@app.command("scan")
def scan_command(paths: list[Path] = typer.Argument(...), output_format: str = typer.Option("text", "--format"),
                 threshold: float = 85.0) -> None:
    """scan"""


if __name__ == "__main__":
    app()
