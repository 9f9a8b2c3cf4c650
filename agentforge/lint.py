"""Lint agent files: what Claude Code would reject or skip, where, and how bad.

``lint_text`` is the core (text in, findings out); ``lint_paths`` walks files and folders,
reads them through ``files`` and adds the one check that needs a whole tree: two agents
with one name. Every finding names a rule of ``RULES`` by its stable id.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import files, rules
from .document import loads
from .errors import AgentforgeError, LimitError, ParseError
from .frontmatter import FENCE, LIST_FIELDS, _unindented_continuation, fence_problem
from .model import FIELDS, Agent, Opaque, walk_sections
from .plural import count
from .progress import Progress, tick

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Rule:
    """A lint rule: stable id, severity, one-line summary, and whether ``--fix`` repairs it."""

    id: str
    severity: str
    summary: str
    fixable: bool = False


@dataclass(frozen=True)
class Finding:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    severity: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity} {self.rule} {self.message}"


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("not-utf8", ERROR, "the file is not UTF-8 text"),
        Rule("over-limit", ERROR, "a file over a limit of agentforge (size, nesting, YAML aliases): not read"),
        Rule("frontmatter-missing", ERROR, "an agent whose first line is not '---'"),
        Rule("frontmatter-unterminated", ERROR, "no closing '---' line"),
        Rule("not-an-agent", WARNING, "a Markdown file with no frontmatter (a README) among agents"),
        Rule("unindented-continuation", ERROR, "a value (a description) continues at column 0"),
        Rule("crlf-with-colon", ERROR, "CRLF line endings and ': ' in a value that is not strict YAML", True),
        Rule("frontmatter-not-strict", WARNING, "not strict YAML; Claude Code loads it leniently", True),
        Rule("frontmatter-fence", WARNING, "a closing line of more than three dashes, or '---' with spaces", True),
        Rule("bom", WARNING, "a UTF-8 byte-order mark (older Claude Code versions skip the file)", True),
        Rule("duplicate-key", WARNING, "a key given twice"),
        Rule("name-missing", ERROR, "no name, or an empty one"),
        Rule("name-format", WARNING, "a name that is not 3-50 lowercase letters, digits and hyphens"),
        Rule("name-colon", ERROR, "a name with ':', which Claude Code reserves for plugin namespaces"),
        Rule("description-missing", ERROR, "no description, or an empty one"),
        Rule("model-unknown", WARNING, "a model that is not an alias, 'inherit' or a full model id"),
        Rule("color-unknown", WARNING, "a color Claude Code does not know"),
        Rule("permission-mode-unknown", WARNING, "a permissionMode Claude Code does not know"),
        Rule("value-unknown", WARNING, "a bad memory, effort, isolation, maxTurns or background value"),
        Rule("tool-unknown", WARNING, "a tools/disallowedTools entry that is no Claude Code tool"),
        Rule("duplicate-name", ERROR, "two agents with one name in one tree (Claude Code loads one)"),
        Rule("plugin-agent-field", ERROR, "hooks, mcpServers or permissionMode in a plugin's agent (ignored)"),
        Rule("body-empty", WARNING, "no body, so no system prompt"),
        Rule("fence-unclosed", WARNING, "a code fence that never closes, over Markdown headings"),
        Rule("crlf-line-endings", INFO, "CRLF line endings in the frontmatter", True),
        Rule("tools-list", INFO, "tools written as a YAML list rather than a comma string", True),
        Rule("key-unknown", INFO, "a key Claude Code does not read (it is ignored)"),
    )
}
CHOICES = {"memory": rules.MEMORY, "effort": rules.EFFORT, "isolation": rules.ISOLATION}
AGENT_KEY = re.compile(r"(?m)^(?:name|description)[ \t]*:")


def finding(rule: str, path: str, line: int, message: str, column: int = 1) -> Finding:
    return Finding(path, line, column, RULES[rule].severity, rule, message)


# ---- one file --------------------------------------------------------------------------


def lint_text(text: str, path: str = "<text>") -> list[Finding]:
    """Every finding for one file's text (all rules except duplicate-name)."""
    try:
        agent = loads(text, path)
    except ParseError as error:
        return [_unreadable(text, path, error)]
    return lint_agent(agent)


def _unreadable(text: str, path: str, error: ParseError) -> Finding:
    if isinstance(error, LimitError):
        return finding("over-limit", path, error.line or 1, error.message)
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if lines and FENCE.fullmatch(lines[0]):
        return finding("frontmatter-unterminated", path, 1, f"{error.message}; Claude Code skips this file")
    if AGENT_KEY.search("".join(lines[:8])):
        return finding("frontmatter-missing", path, 1, f"{error.message}; Claude Code skips this file")
    return finding(
        "not-an-agent",
        path,
        1,
        "not an agent file (no frontmatter); in an agents folder "
        "Claude Code reports it as 'missing required name'",
    )


def lint_agent(agent: Agent) -> list[Finding]:
    """Every finding for a loaded agent (all rules except duplicate-name)."""
    found = [*_fences(agent), *_layout(agent), *_fields(agent), *_stray_fences(agent)]
    return sorted(found, key=lambda f: (f.line, f.column, f.rule))


def _chunks(agent: Agent) -> Iterator[tuple[str | None, str, int]]:
    """The frontmatter's raw chunks with the file line where each starts."""
    line = 2
    for key, raw in agent.layout.chunks:
        yield key, raw, line
        line += raw.count("\n")


def _fences(agent: Agent) -> Iterator[Finding]:
    """The fence lines that Claude Code reads but tools matching exactly '---' do not."""
    path, layout = agent.path or "<text>", agent.layout
    fences = (("opening", 1, layout.opening, False), ("closing", agent.body.line - 1, layout.closing, True))
    for where, line, text, closing in fences:
        problem = fence_problem(text, closing)
        if problem:
            yield finding("frontmatter-fence", path, line, f"{where} line is {problem}; other tools expect '---'")


def _layout(agent: Agent) -> Iterator[Finding]:
    """Findings about the bytes: BOM, line endings, strict YAML, duplicate keys."""
    path, fm, layout = agent.path or "<text>", agent.frontmatter, agent.layout
    if layout.bom:
        yield finding("bom", path, 1, "UTF-8 byte-order mark: older Claude Code versions skip this file")
    colon_crlf = False
    for key, raw, line in _chunks(agent):
        if key is None or not fm.fallback:
            continue
        stray = _unindented_continuation(raw)
        if stray:
            yield finding(
                "unindented-continuation",
                path,
                line + stray,
                f"'{key}' continues at column 0 and the frontmatter is not strict YAML: "
                "Claude Code skips this agent (a plugin agent gets a placeholder)",
            )
        if "\r" in raw and ": " in raw.split(":", 1)[1]:
            colon_crlf = True
            yield finding(
                "crlf-with-colon",
                path,
                line,
                f"CRLF line endings with ': ' in the value of '{key}': Claude Code skips this agent",
            )
    text = layout.opening + "".join(raw for _, raw in layout.chunks) + layout.closing
    if "\r" in text and not colon_crlf:
        yield finding("crlf-line-endings", path, 1, "CRLF line endings in the frontmatter")
    seen = set()
    for key, _, line in _chunks(agent):
        if key in seen:
            yield finding("duplicate-key", path, line, f"'{key}' is given twice; strict YAML rejects it")
        seen.add(key)
    fallback = fm.fallback
    if fallback and fallback.claude_loads and not fm.duplicate_keys:
        yield finding(
            "frontmatter-not-strict",
            path,
            fallback.line,
            f"{fallback.reason} (Claude Code loads it only through its lenient fallback)",
        )


def _fields(agent: Agent) -> Iterator[Finding]:
    """Findings about values: name, description, model, tools, ..."""
    path, fm = agent.path or "<text>", agent.frontmatter

    def at(key: str) -> int:
        return fm.line_of(key) or 2

    if not fm.name:
        yield finding("name-missing", path, at("name"), "missing required name: Claude Code skips this agent")
    elif problem := rules.name_problem(fm.name):
        yield finding("name-colon" if ":" in str(fm.name) else "name-format", path, at("name"), problem)
    if fm.description is None or not fm.description.text.strip():
        yield finding(
            "description-missing",
            path,
            at("description"),
            "missing required description: Claude Code skips this agent",
        )
    if fm.model is not None and (problem := rules.model_problem(fm.model)):
        yield finding("model-unknown", path, at("model"), problem)
    if fm.color is not None and (problem := rules.color_problem(fm.color)):
        yield finding("color-unknown", path, at("color"), problem)
    if fm.permission_mode is not None and (
        problem := rules.choice_problem("permissionMode", fm.permission_mode, rules.PERMISSION_MODES)
    ):
        yield finding("permission-mode-unknown", path, at("permissionMode"), problem)
    for key, choices in CHOICES.items():
        value = fm.get(key)
        if value is not None and (problem := rules.choice_problem(key, value, choices)):
            yield finding("value-unknown", path, at(key), problem)
    turns = fm.max_turns
    if turns is not None and (isinstance(turns, bool) or not isinstance(turns, int) or turns < 1):
        yield finding("value-unknown", path, at("maxTurns"), f"maxTurns '{turns}' is not a positive integer")
    for key in rules.SHAPES:
        value = fm.get(key)
        if value is not None and (problem := rules.shape_problem(key, value)):
            yield finding("value-unknown", path, at(key), problem)
    if fm.background is not None and not isinstance(fm.background, bool):
        yield finding(
            "value-unknown", path, at("background"), f"background '{fm.background}' is not true or false"
        )
    yield from _tools(agent)
    for key in fm.keys:
        if key not in FIELDS:
            yield finding("key-unknown", path, at(key), f"unknown key '{key}': Claude Code ignores it")
    if not agent.body.text.strip():
        yield finding("body-empty", path, agent.body.line, "empty body: the agent has no system prompt")


def _stray_fences(agent: Agent) -> Iterator[Finding]:
    """A fence line that opens a code block never closed, with Markdown headings after it: Markdown
    viewers show the rest of the file as code (agentforge reads it as Markdown)."""
    blocks = [*agent.body.intro, *(block for section in walk_sections(agent.body) for block in section.blocks)]
    for block in blocks:
        if isinstance(block, Opaque) and block.stray:
            yield finding("fence-unclosed", agent.path or "<text>", block.line,
                          "a code fence that never closes: Markdown viewers show the rest of the file as code")


def _tools(agent: Agent) -> Iterator[Finding]:
    path, fm = agent.path or "<text>", agent.frontmatter
    lists = yaml_list_keys(agent)
    for key, raw, line in _chunks(agent):
        if key not in LIST_FIELDS:
            continue
        if key in lists:
            yield finding(
                "tools-list", path, line, f"'{key}' is a YAML list; Claude Code documents a comma string"
            )
        first = raw.split("\n", 1)[0]
        for tool in fm.get(key) or ():
            # '*' (all tools) is what Claude Code's own general-purpose agent declares.
            if tool != "*" and (problem := rules.tool_problem(tool)):
                at = re.search(rf"(?:^|[\s,\[\"'])({re.escape(tool)})(?=$|[\s,\]\"'])", first)
                yield finding("tool-unknown", path, line, problem, at.start(1) + 1 if at else 1)


def yaml_list_keys(agent: Agent) -> set[str]:
    """The tools keys written as a non-empty YAML list (block ``- x`` or flow ``[x]``)."""
    keys = set()
    for key, raw in agent.layout.chunks:
        if (
            key in LIST_FIELDS
            and raw.partition(":")[2].lstrip()[:1] in ("-", "[")
            and agent.frontmatter.get(key)
        ):
            keys.add(key)
    return keys


# ---- files and trees -------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The findings over some files, and how many files were read."""

    findings: tuple[Finding, ...]
    checked: int

    @property
    def failed(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def text(self) -> str:
        lines = [str(f) for f in self.findings]
        counts = {s: sum(f.severity == s for f in self.findings) for s in (ERROR, WARNING, INFO)}
        bad = len({f.path for f in self.findings})
        if self.findings:
            what = ", ".join(count(n, s, s if s == INFO else None) for s, n in counts.items())
            lines.append(f"{what} in {bad} of {count(self.checked, 'file')}")
        else:
            lines.append(f"no problems in {count(self.checked, 'file')}")
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        return json.dumps([asdict(f) for f in self.findings], indent=2, ensure_ascii=False) + "\n"


def selected(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> set[str]:
    """The rule ids to report, from comma-separated or repeated ``--select``/``--ignore`` values."""
    chosen, dropped = _ids(select), _ids(ignore)
    unknown = sorted((chosen | dropped) - set(RULES))
    if unknown:
        raise AgentforgeError(f"unknown rule '{unknown[0]}' (see 'agentforge lint --rules')")
    return (chosen or set(RULES)) - dropped


def _ids(values: Iterable[str]) -> set[str]:
    return {rule.strip() for value in values for rule in value.split(",") if rule.strip()}


def agent_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """(file, tree) for each file named and each ``.md`` file under each folder named.

    An agent's tree is its nearest folder called ``agents`` (Claude Code scans those
    recursively); otherwise the folder it was found in, or a named file's own folder.
    """
    found: dict[Path, Path] = {}
    for path in map(Path, paths):
        root = path if path.is_dir() else path.parent
        for file in files.find_agents([path]):
            found.setdefault(file, _tree(file, root))
    return list(found.items())


def _tree(file: Path, root: Path) -> Path:
    """The folder Claude Code scans for this file: ``.claude/agents`` (recursively, so one scope
    for every folder under it), else the nearest folder called ``agents``."""
    parents = file.absolute().parents
    scope = next((p for p in parents if p.name == "agents" and p.parent.name == ".claude"), None)
    folder = scope or next((p for p in parents if p.name == "agents"), None)
    return folder or root.absolute()


def lint_file(path: str | os.PathLike[str]) -> tuple[list[Finding], Agent | None]:
    """The findings for one file, and the agent when it loads."""
    try:
        text = files.read_text(path)
    except LimitError as error:
        return [finding("over-limit", str(path), error.line or 1, error.message)], None
    except ParseError as error:
        return [finding("not-utf8", str(path), error.line or 1, error.message)], None
    except OSError as error:
        raise AgentforgeError(f"cannot read: {error.strerror}", str(path)) from None
    try:
        agent = loads(text, str(path))
    except ParseError as error:
        return [_unreadable(text, str(path), error)], None
    return lint_agent(agent), agent


def lint_paths(
    paths: Iterable[str | os.PathLike[str]], select: Iterable[str] = (), ignore: Iterable[str] = (),
    progress: Progress | None = None,
) -> Report:
    """Lint files and folders (recursively), including duplicate names within each tree."""
    wanted = selected(select, ignore)
    found: list[Finding] = []
    names: dict[tuple[Path, str], list[Agent]] = defaultdict(list)
    listed = agent_files(paths)
    for done, (path, tree) in enumerate(listed, 1):
        tick(progress, "linting", done, len(listed))
        findings, agent = lint_file(path)
        found.extend(findings)
        if agent and agent.name:
            names[tree, agent.name].append(agent)
    found += [f for agents in names.values() if len(agents) > 1 for f in _duplicate_names(agents)]
    found += [f for (tree, _), agents in names.items() if _in_plugin(tree) for f in _plugin_fields(agents)]
    found = [f for f in found if f.rule in wanted]
    order = {str(path): index for index, (path, _) in enumerate(listed)}
    found.sort(key=lambda f: (order.get(f.path, 0), f.line, f.column, f.rule))
    return Report(tuple(found), len(listed))


def _duplicate_names(agents: list[Agent]) -> Iterator[Finding]:
    """One finding for each of several agents with one name in one tree."""
    for agent in agents:
        others = [str(other.path) for other in agents if other is not agent]
        more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
        yield finding(
            "duplicate-name",
            str(agent.path),
            agent.frontmatter.line_of("name") or 2,
            f"name '{agent.name}' is also used by {others[0]}{more}: Claude Code loads only one",
        )


def _in_plugin(tree: Path) -> bool:
    """Whether an agents folder is a plugin's: its parent holds ``.claude-plugin/plugin.json``."""
    return tree.name == "agents" and (tree.parent / ".claude-plugin" / "plugin.json").is_file()


PLUGIN_IGNORES = ("hooks", "mcpServers", "permissionMode")


def _plugin_fields(agents: list[Agent]) -> Iterator[Finding]:
    """Fields Claude Code ignores in a plugin's agents (a plugin may not widen its own permissions)."""
    for agent in agents:
        for key in PLUGIN_IGNORES:
            if agent.frontmatter.get(key) is not None:
                line = agent.frontmatter.line_of(key) or 2
                message = f"'{key}' is ignored in a plugin's agent: Claude Code does not let plugin agents set it"
                yield finding("plugin-agent-field", str(agent.path), line, message)


def rule_table() -> str:
    """The rules as an aligned table: id, severity, fixable, summary."""
    width = max(map(len, RULES))
    return "".join(
        f"{r.id:<{width}}  {r.severity:<7}  {'fix' if r.fixable else '   '}  {r.summary}\n"
        for r in RULES.values()
    )
