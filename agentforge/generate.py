"""``new``: a new agent that starts from an existing one, with some fields changed.

The source is found by name in a sources folder (or given as a path), the overrides are
checked against Claude Code's rules, and the result is rendered through a template (the
built-in ``agent.md.j2`` keeps the source body byte for byte). Rendered text is read back
before anyone writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rapidfuzz import process, utils

from . import files, frontmatter, render, rules, templates
from .body import parse_body
from .errors import AgentforgeError, ParseError, ValidationError, WriteError
from .fields import say_name
from .model import Agent, Description


class SourceError(AgentforgeError):
    """No agent, or more than one, answers to the name given to ``--from``."""


def new(
    source: str,
    *,
    name: str | None,
    description: str | None = None,
    tools: str | None = None,
    model: str | None = None,
    color: str | None = None,
    template: str = "agent",
    sources: Path | None = None,
    project: Path | None = None,
) -> str:
    """The text of a new agent: ``source`` with the given fields replaced, rendered by ``template``.

    Where the description and the body call the agent by its old name, they say the new one.
    """
    found = find_source(source, sources)
    if name is None:
        raise ValidationError("the new agent needs a name: pass --name (no terminal to ask)", "--name")
    given = {"name": name, "description": description, "tools": tools, "model": model, "color": color}
    changes = {key: value for key, value in given.items() if value is not None}
    for key, value in changes.items():
        validate(key, value)
    agent = apply(renamed(files.load(found), name), changes)
    path = templates.find(template, project)
    text = render.render(path, context(agent), templates.include_dirs(project))
    check(text, agent, str(path))
    return text


def validate(key: str, value: str) -> None:
    """Raise ValidationError, naming the option, when an override breaks a Claude Code rule."""
    checked: Any = frontmatter.split_tools(value) if key == "tools" else value
    if key in ("description", "tools") and not "".join(checked).strip():
        raise ValidationError(f"{key} must not be empty", f"--{key}")
    try:
        rules.check(key, checked)
    except ValidationError as error:
        raise ValidationError(error.message, f"--{key}") from None


# ---- finding the source ------------------------------------------------------------------


def find_source(ref: str, sources: Path | None = None) -> Path:
    """The file for ``ref``: a path, or an agent name (or file stem) in ``sources`` (by default
    in the first of ``files.default_folders()`` that holds it)."""
    return lookup(ref, sources)[0]


def lookup(ref: str, sources: Path | None = None) -> tuple[Path, Path | None]:
    """(file, folder it was found in) for ``ref``; the folder is None when ``ref`` is a path.

    Exact matches first, then case-insensitive ones; folders in order (this project's before
    the user's); several matches in one folder are refused, naming them.
    """
    if Path(ref).is_file():
        return Path(ref), None
    if len(Path(ref).parts) > 1 or ref.endswith(".md"):
        raise SourceError("no such file", ref)
    folders = [sources] if sources is not None else files.default_folders()
    known = {folder: _names(folder) for folder in folders if folder.is_dir()}
    where = ", ".join(map(str, known or folders))
    if not known:
        raise SourceError(f"no such folder to look up '{ref}' in (use --sources DIR or a path)", where)
    tests: tuple[Callable[[str], bool], ...] = (lambda a: a == ref, lambda a: a.lower() == ref.lower())
    for same in tests:
        for folder, names in known.items():
            hits = sorted({path for name, path in names if same(name)})
            if len(hits) == 1:
                return hits[0], folder
            if hits:
                listing = ", ".join(map(str, hits))
                raise SourceError(f"'{ref}' names {len(hits)} agents; pass one file to --from: {listing}", str(folder))
    every = sorted({name for found in known.values() for name, _ in found})
    close = process.extract(ref, every, processor=utils.default_process, score_cutoff=70)
    hint = f"; did you mean {' or '.join(name for name, _, _ in close[:3])}?" if close else ""
    raise SourceError(f"no agent named '{ref}'{hint}", where)


def _names(sources: Path) -> list[tuple[str, Path]]:
    """(name, file) for every agent file under ``sources``: its ``name`` and its file stem."""
    found = []
    for path in files.find_agents([sources]) if sources.is_dir() else []:
        found.append((path.stem, path))
        try:
            name = files.load(path).name
        except ParseError:
            continue
        if isinstance(name, str) and name:
            found.append((name, path))
    return found


# ---- the new agent -----------------------------------------------------------------------


def renamed(agent: Agent, name: str) -> Agent:
    """The agent with its description and body saying ``name`` where they said its old name
    ("use the backend-developer agent"); the frontmatter's own ``name`` is left to ``apply``."""
    old, fm = agent.name, agent.frontmatter
    if not isinstance(old, str) or not old or old == name:
        return agent
    if fm.description and say_name(fm.description.text, old, name) != fm.description.text:
        agent = apply(agent, {"description": say_name(fm.description.text, old, name)})
    body = say_name(agent.body.text, old, name)
    return agent if body == agent.body.text else replace(agent, body=parse_body(body, agent.body.line))


def apply(agent: Agent, changes: dict[str, Any]) -> Agent:
    """The agent with some frontmatter values replaced (YAML key -> value as YAML holds it)."""
    fm = agent.frontmatter
    values = {key: yaml_value(fm.get(key)) for key in fm.keys}
    values.update(changes)
    return replace(agent, frontmatter=frontmatter.build(values, lines=fm.lines))


def yaml_value(value: Any) -> Any:
    """A model value as YAML holds it: a description as its text, tools as a comma string."""
    if isinstance(value, Description):
        return value.text
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def context(agent: Agent) -> dict[str, Any]:
    """What a template sees: the model, the frontmatter as (key, value) pairs, the body text."""
    fm = agent.frontmatter
    return {
        "agent": agent,
        "fields": [(key, yaml_value(fm.get(key))) for key in fm.keys if fm.get(key) is not None],
        "body": agent.body.text,
        "name": fm.name,
        "description": fm.description.text if fm.description else "",
    }


def check(text: str, agent: Agent, path: str) -> Agent:
    """Read rendered text back; refuse it unless it is a valid agent in strict YAML whose fields
    read back as the model holds them (keys a template writes itself are taken as written)."""
    again = files.read_back(text, path)
    written, ours = again.frontmatter, agent.frontmatter
    meant = {key: yaml_value((ours if key in ours.keys else written).get(key)) for key in written.keys}
    expected = replace(agent, frontmatter=frontmatter.build(meant, lines=written.lines))
    files.check_fields(again, expected, path)
    fm = again.frontmatter
    if fm.fallback is not None:
        raise WriteError(f"output is not strict YAML: {fm.fallback.reason}", path, fm.fallback.line)
    problem = rules.name_problem(fm.name) or (None if fm.description else "description is missing")
    if problem:
        raise WriteError(f"output is not a valid agent: {problem}", path)
    return again
