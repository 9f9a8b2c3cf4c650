"""The command line: each command maps its options to one library call.

Each command imports the modules it calls when it runs, so that ``--help``, ``lint`` and
``inspect`` never load numpy, rapidfuzz, jinja2, the merge or an embedding model.

No ``from __future__ import annotations`` here: typer reads every command's annotations when
it builds the command line, and strings it would have to evaluate one by one (a few ms a run).
"""

import json
import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from .errors import AgentforgeError
from .plural import count
from .progress import terminal_progress


class _Group(TyperGroup):
    """Turns every AgentforgeError into one line on stderr and exit code 1."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        _safe_output()
        try:
            return super().invoke(ctx)
        except AgentforgeError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None


def _safe_output() -> None:
    """Write what cannot be encoded (a lone surrogate from a ``\\ud800`` escape or from a file
    name that is not UTF-8) as a backslash escape instead of failing: ``\\ud800``, which is
    also the JSON escape of that character."""
    for stream in (getattr(sys, "stdout", None), getattr(sys, "stderr", None)):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _plain_help_types() -> None:
    """Help as click writes it: ``--format TEXT``, ``PATHS...``, ``[PATHS]...``.

    typer 0.27 and 0.28 (the versions pyproject.toml allows) write an option's type as
    ``<str>`` or ``<float range>`` and an argument by its Python name, ``{paths}...`` in the
    usage line; these two methods give click's plain form instead.
    """
    core = typer.core

    def option_metavar(self, ctx):  # type: ignore[no-untyped-def]
        if self.metavar is not None:
            return self.metavar
        label = self.type.name.split()[0]  # "float range" -> "float"
        name = {"str": "TEXT", "int": "INTEGER"}.get(label, label.upper())
        return name if self.nargs == 1 else name + "..."

    def argument_metavar(self, ctx, *, usage=False):  # type: ignore[no-untyped-def]
        name = self.metavar if self.metavar is not None else (self.name or "").upper()
        if usage and not self.required:
            name = f"[{name}]"
        return name if self.nargs == 1 else name + "..."

    core.TyperOption.make_metavar = option_metavar  # type: ignore[method-assign]
    core.TyperArgument.make_metavar = argument_metavar  # type: ignore[method-assign]


_plain_help_types()

app = typer.Typer(
    cls=_Group,
    help="Read, merge, generate, lint, de-duplicate and export Claude Code agent files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # help text as written: 'agentforge[semantic]' keeps its brackets
)


SCAN_THRESHOLD = 85.0  # scan.DEFAULT_THRESHOLD, written out so that --help need not import scan


def _version(value: bool) -> None:
    if value:
        from importlib import metadata

        typer.echo(f"agentforge {metadata.version('agentforge')}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Read, merge, generate, lint, de-duplicate and export Claude Code agent files."""


# --embedding-model, shared by merge and scan
EMBEDDING_MODEL = typer.Option(
    None, "--embedding-model", metavar="PATH", envvar="AGENTFORGE_EMBEDDING_MODEL",
    help="A local ONNX model folder for the semantic scorers, or hf:ORG/NAME for a Hugging Face model "
    "downloaded once into ~/.cache/agentforge (default: the packaged paraphrase-MiniLM-L3-v2).",
)

@app.command()
def inspect(
    file: Path = typer.Argument(..., help="An agent file (Markdown with YAML frontmatter)."),
    as_json: bool = typer.Option(False, "--json", help="Print the model as JSON."),
) -> None:
    """Show how agentforge reads FILE: frontmatter fields, examples, sections, lists, items."""
    from . import files, show

    agent = files.load(file)
    if as_json:
        typer.echo(json.dumps(show.to_data(agent), indent=2, ensure_ascii=False))
    else:
        typer.echo(show.tree(agent), nl=False)


@app.command()
def new(
    source: str = typer.Option(..., "--from", help="A name in --sources, or a file."),
    name: str | None = typer.Option(None, help="The new agent's name (asked for on a terminal)."),
    description: str | None = typer.Option(None, help="A new description."),
    model: str | None = typer.Option(None, help="sonnet, opus, haiku, fable, inherit or a full model id."),
    tools: str | None = typer.Option(None, help="A comma string: 'Read, Grep, Agent(a, b), mcp__server'."),
    color: str | None = typer.Option(None, help="red, blue, green, yellow, purple, orange, pink or cyan."),
    template: str = typer.Option("agent", help="A template name (see 'templates list') or a path."),
    sources: Path | None = typer.Option(
        None, help="Where --from NAME is looked up (default: ./sources, then .claude/agents, then ~/.claude/agents)."
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of to stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Make a new agent from an existing one, changing the fields given.

    Where the description and the body call the agent by its old name, they say the new one.
    """
    from . import files, generate, templates

    found, folder = generate.lookup(source, sources)  # an ambiguous name fails here, before --name
    if folder is not None:
        typer.echo(f"source: {found} (found in {folder})", err=True)
    if name is None and sys.stdin.isatty():
        name = _ask_name()
    path = templates.find(template)
    text = generate.new(
        str(found), name=name, description=description, tools=tools, model=model, color=color,
        template=str(path),
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        files.refuse_overwriting_sources([output], [found, path])
        typer.echo(files.save(text, output, force), err=True)
    _say_template(path)


def _ask_name() -> str:
    """Ask for the new agent's name until the answer is one Claude Code accepts."""
    from . import generate

    while True:
        name: str = typer.prompt("Name of the new agent", err=True)
        try:
            generate.validate("name", name)
        except AgentforgeError as error:
            typer.echo(f"error: {error}", err=True)
            continue
        return name


@app.command("merge")
def merge_command(
    sources: list[Path] = typer.Argument(..., help="Agent files, or folders of them (searched recursively)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of to stdout."),
    report: Path | None = typer.Option(None, "--report", help="Write the cluster report here (JSON)."),
    review_page: Path | None = typer.Option(
        None, "--review", help="Write a review page here (one HTML file: each line of the result with its sources)."
    ),
    threshold: float | None = typer.Option(
        None, min=0, max=100,
        help="Similarity (0-100) at which items join (default: 62 lexical, 60 semantic, 60 fused).",
    ),
    scorer: str = typer.Option(
        "lexical", help="How items are scored: 'lexical' (rapidfuzz), 'semantic' (sentence embeddings) "
        "or 'fused' (0.7 semantic + 0.3 lexical); the last two need pip install 'agentforge[semantic]'.",
    ),
    embedding_model: str | None = EMBEDDING_MODEL,
    name: str | None = typer.Option(None, help="Name of the result (default: the most common name)."),
    tools: str = typer.Option(
        "union", help="'union': the tools any source grants; a source without a tools key grants every "
        "tool, so the result has every tool (no key) when most sources have none, the base deciding a "
        "tie, else the tools the others name. 'named': the tools the sources name, whatever the others. "
        "'intersection': the tools every source that names tools names. 'all': every tool."
    ),
    model: str | None = typer.Option(None, help="Model of the result (default: the most common)."),
    color: str | None = typer.Option(None, help="Color of the result (default: the most common)."),
    template: str = typer.Option("merge", help="A template name (see 'templates list') or a path."),
    base: Path | None = typer.Option(
        None, help="The source whose sections, prose and order are the skeleton (default: most list items)."
    ),
    min_support: int = typer.Option(
        1, min=1, help="Keep only items said by at least this many sources (the rest are in the report)."
    ),
    max_examples: int = typer.Option(3, min=0, help="Most <example> blocks kept in the description."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Skip (and name) sources that cannot be read instead of failing."
    ),
    force: bool = typer.Option(
        False, "--force", help="Overwrite an existing output or report that differs (never a source)."
    ),
) -> None:
    """Merge variants of one agent into one, each thing said once, with a cluster report.

    Nothing a source says is lost unless you ask (--min-support): the merge refuses, naming
    the file and line, rather than drop an item. Two revisions of one file (most lines shared)
    are one voice: where one rewrote an item in place, the wording that says more stays (on a
    tie, the base's). A summary goes to stderr, with each possible conflict between sources (one
    advises against what another recommends), for you to settle.
    """
    from . import files, generate, merge, templates

    for key, value in (("name", name), ("model", model), ("color", color)):
        if value is not None:
            generate.validate(key, value)
    if tools not in ("union", "named", "intersection", "all"):
        raise typer.BadParameter("expected 'union', 'named', 'intersection' or 'all'", param_hint="--tools")
    if scorer not in ("lexical", "semantic", "fused"):
        raise typer.BadParameter("expected 'lexical', 'semantic' or 'fused'", param_hint="--scorer")
    options = merge.Options(threshold, name, tools, model, color, None, min_support, max_examples,
                            scorer, embedding_model)
    path = templates.find(template)
    page = templates.find("review") if review_page is not None else None
    inputs = [*files.find_agents(sources), path, *([page] if page else [])]
    files.refuse_overwriting_sources([output, report, review_page], inputs)  # before the work
    result = merge.merge_files(sources, options, str(path), skip_invalid, base)
    writes: list[tuple[str, Path]] = [] if output is None else [(result.text, output)]
    if report is not None:
        writes.append((json.dumps(result.report, indent=2, ensure_ascii=False) + "\n", report))
    if page is not None and review_page is not None:
        from . import review

        writes.append((review.page(result.report, page, templates.include_dirs()), review_page))
    for done in files.save_all(writes, force):  # both or neither
        typer.echo(done, err=True)
    if output is None:
        typer.echo(result.text, nl=False)
    typer.echo(result.summary, err=True)
    _say_template(path)
    if page is not None:
        _say_template(page)


def _say_template(path: Path) -> None:
    """Name on stderr the template a command rendered, when it did not come from the package."""
    from . import templates

    line = templates.note(path)
    if line:
        typer.echo(line, err=True)


templates_app = typer.Typer(help="List, show and copy the templates that 'new', 'merge' and 'export' render.")
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list() -> None:
    """One template a line: name, where it comes from (project, user, built-in), summary."""
    from . import templates

    typer.echo(templates.table(), nl=False)


@templates_app.command("show")
def templates_show(name: str = typer.Argument(..., help="A template name or path.")) -> None:
    """Print the template that NAME finds."""
    from . import templates

    typer.echo(templates.text(name), nl=False)


@templates_app.command("copy")
def templates_copy(
    name: str = typer.Argument(..., help="A template name or path."),
    dest: str = typer.Argument(..., help="A file, or a folder such as templates/."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Copy a template to start a customised one (a copy into templates/ shadows the built-in)."""
    from . import templates

    typer.echo(templates.copy(name, dest, force), err=True)


@app.command("lint")
def lint_command(
    paths: list[Path] = typer.Argument(
        None, help="Agent files, or folders (searched for .md files). Default: the first folder of "
        "./sources, .claude/agents, ~/.claude/agents."
    ),
    output_format: str = typer.Option("text", "--format", help="text, or json (a list of findings)."),
    select: list[str] = typer.Option([], "--select", help="Only these rule ids (comma-separated)."),
    ignore: list[str] = typer.Option([], "--ignore", help="Not these rule ids (comma-separated)."),
    apply_fix: bool = typer.Option(False, "--fix", help="Rewrite what can be fixed safely, then lint."),
    diff: bool = typer.Option(False, "--diff", help="Show what --fix would change, and write nothing."),
    list_rules: bool = typer.Option(False, "--rules", help="List the rules and exit."),
) -> None:
    """Say what Claude Code would reject or skip, as 'file:line:column: severity rule message'.

    Exit code 1 when any error is found. --fix rewrites BOMs, CRLF frontmatter, lenient
    frontmatter and tools lists, keeping every value and every byte of the body.
    """
    from . import fix, lint

    if list_rules:
        typer.echo(lint.rule_table(), nl=False)
        return
    if output_format not in ("text", "json"):
        raise AgentforgeError("--format must be text or json")
    if not paths:
        paths = [_default_folder()]
    if apply_fix or diff:
        changes = fix.fix_paths(paths, lint.selected(select, ignore), write=not diff)
        for change in changes:
            action = change.diff() if diff else f"fixed {change.path}: {', '.join(change.fixed)}"
            typer.echo(action, err=not diff, nl=not diff)
        if diff:
            typer.echo(f"{count(len(changes), 'file')} would be fixed", err=True)
            return
    with terminal_progress() as progress:
        report = lint.lint_paths(paths, select, ignore, progress)
    typer.echo(report.json() if output_format == "json" else report.text(), nl=False)
    if report.failed:
        raise typer.Exit(1)


def _default_folder() -> Path:
    """The folder to lint when no path is given, named on stderr."""
    from . import files

    folder = files.default_folder()
    if folder is None:
        where = ", ".join(map(str, files.default_folders()))
        raise typer.BadParameter(f"missing, and none of {where} is a folder", param_hint="PATHS")
    typer.echo(f"linting {folder} (no path given)", err=True)
    return folder


@app.command("scan")
def scan_command(
    paths: list[Path] = typer.Argument(..., help="Agent files, or folders (searched for .md files)."),
    output_format: str = typer.Option("text", "--format", help="text, or json."),
    threshold: float = typer.Option(SCAN_THRESHOLD, help="Body similarity (0-100) of near copies."),
    scorer: str = typer.Option(
        "lexical", help="'lexical', or 'semantic': also pair agents whose descriptions mean the same "
        "under related names (needs pip install 'agentforge[semantic]').",
    ),
    embedding_model: str | None = EMBEDDING_MODEL,
) -> None:
    """Find families of agents to merge: identical bodies, near copies, one role under several names.

    Largest families first, each with the merge command that would make it one agent; a file
    is in one family at most, and agents in different languages are never in one. A name
    clash (a file that took another agent's name, with a different body) comes with the
    command that renames it, never as a merge. A file that does not load is skipped and named
    on stderr.
    """
    from . import scan

    if output_format not in ("text", "json"):
        raise AgentforgeError("--format must be text or json")
    if scorer not in ("lexical", "semantic"):
        raise typer.BadParameter("expected 'lexical' or 'semantic'", param_hint="--scorer")
    embedder = None
    if scorer == "semantic":
        from . import embed  # only a semantic scan pays for loading a model

        embedder = embed.load(embedding_model).embed
    with terminal_progress() as progress:
        result = scan.scan_paths(paths, threshold, progress, embedder)
    for path, why in result.skipped:
        typer.echo(f"skipped {path}: {why}", err=True)
    typer.echo(result.json() if output_format == "json" else result.text(), nl=False)


@app.command("export")
def export_command(
    paths: list[Path] = typer.Argument(..., help="Agent files, or folders (searched for .md files)."),
    to: str = typer.Option(..., "--to", help="copilot, opencode, codex or cursor."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="The folder to write into (default: the tool's own, such as .github/agents)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1, writing nothing, when anything would be lost."),
    force: bool = typer.Option(
        False, "--force", help="Overwrite files that export did not write, or that changed since (never a source)."
    ),
) -> None:
    """Write each agent as another tool's agent file, one file per agent, and say what it loses.

    Each field the target cannot express is named on stderr as 'FILE: lost FIELD: why'. A
    manifest in the output folder lists what export wrote.
    """
    from . import export
    from .targets import TARGETS

    if to not in TARGETS:
        raise typer.BadParameter(f"expected {', '.join(TARGETS)}", param_hint="--to")
    plan = export.plan(paths, to, output)
    for line in plan.lines():
        typer.echo(line, err=True)
    if strict and (plan.losses or plan.skipped):
        typer.echo(f"error: --strict: {plan.lost()}; nothing written", err=True)
        raise typer.Exit(1)
    for done in export.write(plan, force):
        typer.echo(done, err=True)
    typer.echo(plan.summary(), err=True)
    _say_template(plan.template)


# click's UsageError (typer vendors click since 0.26, as the private typer._click)
UsageError: type[Exception] = typer.BadParameter.__mro__[1]


def main() -> None:
    """Run the command line; every error is one line on stderr (``error: WHERE: message``),
    exit code 1 for a user error, 2 for a usage error, 130 for an interrupt."""
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        message = usage_message(error)
        if message:  # (no command at all prints the help instead)
            typer.echo(f"error: {message}", err=True)
        code = 2
    except (KeyboardInterrupt, typer.Abort):
        code = 130
    if code == 130:  # typer turns an interrupt into exit code 130, silently
        typer.echo("error: interrupted", err=True)
    sys.exit(code if isinstance(code, int) else 0)


def usage_message(error: Exception) -> str:
    """``--threshold: 200.0 is not in the range ...``: the option (or argument) first, then the problem."""
    param = getattr(error, "param", None)
    message = getattr(error, "message", str(error))
    if param is not None:
        name = param.opts[0] if getattr(param, "param_type_name", "") == "option" else param.name.upper()
        missing = type(error).__name__ == "MissingParameter"
        return f"{name}: missing (see --help)" if missing else f"{name}: {message}"
    hint = getattr(error, "param_hint", None)
    if hint:
        return f"{hint if isinstance(hint, str) else ' / '.join(hint)}: {message}"
    return str(error.format_message()) if hasattr(error, "format_message") else message
