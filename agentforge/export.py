"""``export``: each agent as another tool's agent file (GitHub Copilot, OpenCode, Codex CLI,
Cursor), saying what the target cannot express.

``plan`` reads the agents, maps their fields through ``targets``, renders each through the
target's template and reads the result back (Markdown through our reader, in strict YAML;
TOML through ``tomllib``): nothing is written. ``write`` writes the plan and its manifest,
refusing to overwrite a file that export did not write (or that changed since) without force.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import files, frontmatter, render, templates
from .errors import AgentforgeError, ParseError, WriteError
from .frontmatter import comparable
from .model import FIELDS, Agent
from .plural import count
from .targets import TARGETS, Convert, Implied, Keep, Lost, Target

MANIFEST = ".agentforge-export.json"
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Loss:
    """One thing a target cannot express, for one source file."""

    path: str
    field: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}: lost {self.field}: {self.why}"


@dataclass(frozen=True)
class Output:
    """One exported file: its source, where it goes, its text and what it lost."""

    source: str
    path: Path
    text: str
    losses: tuple[Loss, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What an export would write, and what it left out."""

    target: Target
    folder: Path
    template: Path
    outputs: tuple[Output, ...]
    inputs: tuple[str, ...] = ()  # every file read: never written over
    skipped: tuple[tuple[str, str], ...] = ()  # (source, why): not exported
    notes: tuple[tuple[str, str], ...] = ()  # (source, why): not exported, by design

    @property
    def losses(self) -> list[Loss]:
        return [loss for output in self.outputs for loss in output.losses]

    def lines(self) -> list[str]:
        """Losses, skipped and left-out files, one line each, for stderr."""
        return [
            *map(str, self.losses),
            *(f"skipped {path}: {why}" for path, why in self.skipped),
            *(f"not exported {path}: {why}" for path, why in self.notes),
        ]

    def lost(self) -> str:
        """``6 fields lost in 4 agents, 1 skipped``."""
        lossy = len({loss.path for loss in self.losses})
        parts = [f"{count(len(self.losses), 'field')} lost in {count(lossy, 'agent')}"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.notes:
            parts.append(f"{len(self.notes)} left to {self.target.title}")
        return ", ".join(parts)

    def summary(self) -> str:
        done = count(len(self.outputs), "agent")
        return f"exported {done} to {self.folder} for {self.target.title}; {self.lost()}"


def target(name: str) -> Target:
    """The target called ``name``."""
    if name not in TARGETS:
        raise AgentforgeError(f"unknown target '{name}' (expected {', '.join(TARGETS)})", "--to")
    return TARGETS[name]


# ---- planning --------------------------------------------------------------------------------


def plan(paths: list[Path], to: str, output: Path | None = None, project: Path | None = None) -> Plan:
    """Export every agent file under ``paths`` (files and folders) for the target ``to``, into
    ``output`` (default: the target's own project folder). Nothing is written."""
    chosen = target(to)
    folder = Path(output) if output is not None else Path(chosen.folder)
    template = templates.find(chosen.template, project)
    env = render.environment_for(template, templates.include_dirs(project))
    outputs: dict[str, Output] = {}  # by file name, case folded: one file per name on any file system
    skipped: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    inputs = files.find_agents(paths)
    for path in inputs:
        try:
            agent = files.load(path)
        except ParseError as error:
            skipped.append((str(path), error.message))
            continue
        if chosen.reads_claude_agents and output is None and _in_claude_agents(path):
            notes.append((str(path), f"{chosen.title} reads .claude/agents/ itself (-o {chosen.folder} writes a copy)"))
            continue
        problem = _unexportable(agent, chosen)
        destination = folder / f"{agent.name}{chosen.suffix}"
        key = destination.name.casefold()
        if problem is None and key in outputs:
            problem = f"name '{agent.name}' is already exported from {outputs[key].source}"
        if problem:
            skipped.append((str(path), problem))
            continue
        outputs[key] = export_agent(agent, chosen, destination, template, env)
    found = tuple(map(str, inputs))
    return Plan(chosen, folder, template, tuple(outputs.values()), found, tuple(skipped), tuple(notes))


def _in_claude_agents(path: Path) -> bool:
    parents = path.absolute().parents
    return any(p.name == "agents" and p.parent.name == ".claude" for p in parents)


def _unexportable(agent: Agent, chosen: Target) -> str | None:
    """Why an agent cannot be exported (no name, a name that cannot be a file, no description)."""
    name, fm = agent.name, agent.frontmatter
    if not isinstance(name, str) or not name:
        return "no name"
    if not FILE_NAME.fullmatch(name) or ".." in name:
        return f"name '{name}' cannot be a file name"
    if name in chosen.reserved_names:
        return f"name '{name}' is one of {chosen.title}'s own agents ({', '.join(chosen.reserved_names)}); rename it"
    if fm.description is None or not fm.description.text.strip():
        return "no description"
    return None


def export_agent(agent: Agent, chosen: Target, destination: Path, template: Path, env: jinja2.Environment) -> Output:
    """One agent rendered for a target (through ``env``, from ``render.environment_for``) and
    read back; its losses named after its file."""
    source = str(agent.path)
    fields, lost = mapped(agent, chosen)
    body, body_lost = _body(agent.body.text, chosen)
    if chosen.body_key:
        fields.append((chosen.body_key, body))
    fields = _ordered(fields, chosen)
    context = {
        "agent": agent,
        "fields": fields,
        "body": body,
        "name": agent.name,
        "description": agent.frontmatter.description.text if agent.frontmatter.description else "",
        "target": chosen.name,
    }
    text = render.render(template, context, env=env)
    check(text, fields, chosen, str(destination))
    losses = tuple(Loss(source, name, why) for name, why in [*lost, *body_lost])
    return Output(source, destination, text, losses)


def mapped(agent: Agent, chosen: Target) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """The target's (key, value) pairs for an agent, and (field, why) for what it loses."""
    fm = agent.frontmatter
    fields: list[tuple[str, Any]] = list(chosen.fixed)
    lost: list[tuple[str, str]] = []
    for key, row in chosen.rows.items():
        value = fm.get(key)
        if isinstance(row, Convert):
            converted, why = row.how(fm)
            lost += why
            if row.key is not None and converted is not None:
                fields.append((row.key, converted))
        elif value is None or isinstance(row, Implied):
            continue
        elif isinstance(row, Keep):
            fields.append((row.key, comparable(value)))
        elif isinstance(row, Lost):
            lost.append((key, f"{chosen.title} has {row.why}" if row.why.startswith("no ") else row.why))
    for key in fm.keys:
        if key not in FIELDS and key not in chosen.rows:
            lost.append((key, f"not a Claude Code field; {chosen.title} does not read it"))
    return fields, lost


def _ordered(fields: list[tuple[str, Any]], chosen: Target) -> list[tuple[str, Any]]:
    rank = {key: index for index, key in enumerate(chosen.order)}
    return sorted(fields, key=lambda pair: rank.get(pair[0], len(rank)))


def _body(text: str, chosen: Target) -> tuple[str, list[tuple[str, str]]]:
    """The body, cut at a line end within the target's limit when it is longer."""
    limit = chosen.max_body
    if limit is None or len(text) <= limit:
        return text, []
    cut = text.rfind("\n", 0, limit) + 1 or limit
    why = f"{len(text):,} characters, over {chosen.title}'s limit of {limit:,}: the last {len(text) - cut:,} are cut"
    return text[:cut], [("body", why)]


# ---- reading the result back -----------------------------------------------------------------


def check(text: str, fields: list[tuple[str, Any]], chosen: Target, path: str) -> None:
    """Refuse output that would not read back as the target's file with the values mapped."""
    values = _read_toml(text, path) if chosen.suffix == ".toml" else _read_markdown(text, path)
    for key in chosen.required:
        if values.get(key) in (None, ""):
            raise WriteError(f"output is not a valid {chosen.title} agent: '{key}' is missing", path)
    for key, value in fields:
        if key in values and _plain(values[key]) != _plain(value):
            raise WriteError(f"output would not read back: '{key}' would change", path)


def _read_toml(text: str, path: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WriteError(f"output is not TOML: {error}", path, getattr(error, "lineno", None)) from None


def _read_markdown(text: str, path: str) -> dict[str, Any]:
    """The frontmatter as our reader reads it (the body is the target's, as the template wrote it)."""
    try:
        _, fm_text, _, _ = frontmatter.split(text.removeprefix("\ufeff"), path)
        fm, _ = frontmatter.read(fm_text, 2, path)
    except ParseError as error:
        raise WriteError(f"output would not read back: {error.message}", path) from None
    if fm.fallback is not None:
        raise WriteError(f"output is not strict YAML: {fm.fallback.reason}", path, fm.fallback.line)
    return {key: comparable(fm.get(key)) for key in fm.keys}


def _plain(value: Any) -> Any:
    """A value as compared: lists and tuples alike, mappings as plain dicts."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


# ---- writing ---------------------------------------------------------------------------------


def write(plan: Plan, force: bool = False) -> list[str]:
    """Write every output and the manifest, or nothing. A file that export did not write (not in
    the manifest, or changed since) is overwritten only with ``force``; a source never. With
    nothing to export, nothing is written (not even a manifest)."""
    if not plan.outputs:
        return []
    manifest_path = plan.folder / MANIFEST
    writes = [(output.text, output.path) for output in plan.outputs]
    files.refuse_overwriting_sources([*(path for _, path in writes), manifest_path], [*plan.inputs, plan.template])
    known = read_manifest(manifest_path, force)
    for text, path in writes:
        if not force and _foreign(path, text, known):
            raise WriteError("exists and export did not write it (or it changed since); pass --force to overwrite it", str(path))
    entries = {name: entry for name, entry in known.items() if (plan.folder / name).is_file()}
    for output in plan.outputs:
        entries[output.path.name] = {"sha256": _digest(output.text), "source": output.source, "target": plan.target.name}
    writes.append((manifest_text(entries), manifest_path))
    return files.save_all(writes, force=True)


def read_manifest(path: Path, force: bool = False) -> dict[str, dict[str, str]]:
    """The files a manifest lists (name -> entry); none when there is no manifest."""
    if not path.exists():
        return {}
    try:
        entries = json.loads(files.read_text(path))["files"]
        if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
            raise ValueError
    except (ValueError, KeyError, TypeError, OSError, ParseError):
        if force:
            return {}
        raise WriteError("not a manifest that export wrote; pass --force to replace it", str(path)) from None
    return entries


def manifest_text(entries: dict[str, dict[str, str]]) -> str:
    """The manifest: sorted JSON, no timestamps, so the same export writes the same bytes."""
    data = {"files": entries, "written_by": "agentforge export"}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _foreign(path: Path, text: str, known: dict[str, dict[str, str]]) -> bool:
    """Whether writing ``text`` to ``path`` would overwrite something export did not write."""
    if not path.exists() or path.is_dir():
        return False
    try:
        current = files.read_text(path)
    except (OSError, ParseError):
        return True
    entry = known.get(path.name)
    return current != text and (entry is None or entry.get("sha256") != _digest(current))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="backslashreplace")).hexdigest()
