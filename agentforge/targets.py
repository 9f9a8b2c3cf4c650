"""What each export target makes of Claude Code's fields: data, one row a field, each citing
the target's documentation, so that a change in a target is a change of one line.

A row is ``Keep(key)`` (the value as it is, under the target's key), ``Convert(key, how)``
(``how(frontmatter)`` returns the value, or None to write nothing, and what is lost),
``Lost(why)`` (the target cannot express it) or ``Implied(how)`` (not written, yet not lost).
``Convert`` rows run for every agent, so that a field left out can still set a default
(Codex's ``sandbox_mode``, Cursor's ``model: inherit``); the other rows only when the field is set.
Where a fact could not be confirmed in the target's documentation, the row says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import rules
from .model import Frontmatter

COPILOT_DOCS = "https://docs.github.com/en/copilot/reference/custom-agents-configuration"
OPENCODE_DOCS = "https://opencode.ai/docs/agents/"
OPENCODE_PERMISSIONS_SOURCE = "https://github.com/anomalyco/opencode/pull/24482"
CODEX_DOCS = "https://developers.openai.com/codex/subagents"
CURSOR_DOCS = "https://cursor.com/docs/agent/subagents"
CLAUDE_TOOLS_DOCS = "https://code.claude.com/docs/en/tools-reference"

Losses = list[tuple[str, str]]  # (field, why)


@dataclass(frozen=True)
class Keep:
    """The value as it is, under the target's ``key``."""

    key: str


@dataclass(frozen=True)
class Convert:
    """``how(frontmatter) -> (value or None, losses)``, written under ``key`` (None: nothing)."""

    key: str | None
    how: Callable[[Frontmatter], tuple[Any, Losses]]


@dataclass(frozen=True)
class Lost:
    """The target has no way to say this field; a ``why`` that starts with "no " reads after
    the target's title ("Copilot has no color field")."""

    why: str


@dataclass(frozen=True)
class Implied:
    """Not written, yet not lost: the target says it another way."""

    how: str


Row = Keep | Convert | Lost | Implied


@dataclass(frozen=True)
class Target:
    """One tool agents are exported to: where its files go and what each field becomes."""

    name: str
    title: str
    folder: str  # the tool's own project folder, the default output folder
    suffix: str  # file name = agent name + suffix
    template: str  # a template name under templates/
    docs: str
    rows: dict[str, Row] = field(default_factory=dict)  # every Claude Code key
    order: tuple[str, ...] = ()  # the target's keys, in the order written
    fixed: tuple[tuple[str, Any], ...] = ()  # keys every file carries
    required: tuple[str, ...] = ()
    body_key: str | None = None  # the body as a field (Codex); None: the Markdown body
    max_body: int | None = None  # characters
    reserved_names: tuple[str, ...] = ()
    reads_claude_agents: bool = False  # the tool reads .claude/agents/ itself


# ---- tools ---------------------------------------------------------------------------------

# Claude Code tools that change no file and run no command (the tools reference marks Read,
# Grep, Glob, LS, NotebookRead and TodoWrite as needing no permission; WebFetch and WebSearch
# ask for one, for the network, but change nothing in the workspace): CLAUDE_TOOLS_DOCS
READ_ONLY_TOOLS = frozenset({
    "Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch",
    "TodoRead", "TodoWrite",  # the agent's own to-do list, not a file
    "AskUserQuestion", "ListMcpResourcesTool", "ReadMcpResourceTool",
})

# Claude Code tool -> Copilot's primary tool alias (aliases are case-insensitive, and
# Copilot also accepts the Claude names; we write the primary one): COPILOT_DOCS#tool-aliases
COPILOT_TOOLS = {
    "Bash": "execute",  # COPILOT_DOCS#tool-aliases: execute <- shell, Bash, powershell
    "PowerShell": "execute",  # COPILOT_DOCS#tool-aliases
    "Read": "read",  # COPILOT_DOCS#tool-aliases: read <- Read, NotebookRead
    "NotebookRead": "read",  # COPILOT_DOCS#tool-aliases
    "Edit": "edit",  # COPILOT_DOCS#tool-aliases: edit <- Edit, MultiEdit, Write, NotebookEdit
    "MultiEdit": "edit",  # COPILOT_DOCS#tool-aliases
    "Write": "edit",  # COPILOT_DOCS#tool-aliases
    "NotebookEdit": "edit",  # COPILOT_DOCS#tool-aliases
    "Grep": "search",  # COPILOT_DOCS#tool-aliases: search <- Grep, Glob
    "Glob": "search",  # COPILOT_DOCS#tool-aliases
    "Agent": "agent",  # COPILOT_DOCS#tool-aliases: agent <- custom-agent, Task
    "Task": "agent",  # COPILOT_DOCS#tool-aliases
    "WebFetch": "web",  # COPILOT_DOCS#tool-aliases: web <- WebSearch, WebFetch
    "WebSearch": "web",  # COPILOT_DOCS#tool-aliases
    "TodoWrite": "todo",  # COPILOT_DOCS#tool-aliases: todo <- TodoWrite
}

# Claude Code tool -> OpenCode permission key. OpenCode's own `agent create` writes these
# keys, and "write/edit/apply_patch all gate on `edit`", so Write becomes edit (the issue's
# list named a `write` key; OpenCode has none): OPENCODE_PERMISSIONS_SOURCE
OPENCODE_PERMISSIONS = {
    "Read": "read",  # OPENCODE_PERMISSIONS_SOURCE
    "NotebookRead": "read",  # not confirmed: OpenCode documents no notebook tool; its read tool reads files
    "Edit": "edit",  # OPENCODE_PERMISSIONS_SOURCE
    "MultiEdit": "edit",  # OPENCODE_PERMISSIONS_SOURCE (every edit gates on `edit`)
    "Write": "edit",  # OPENCODE_PERMISSIONS_SOURCE (write gates on `edit`)
    "NotebookEdit": "edit",  # not confirmed, as NotebookRead
    "Bash": "bash",  # OPENCODE_PERMISSIONS_SOURCE; OPENCODE_DOCS#permissions
    "Grep": "grep",  # OPENCODE_PERMISSIONS_SOURCE
    "Glob": "glob",  # OPENCODE_PERMISSIONS_SOURCE
    "WebFetch": "webfetch",  # OPENCODE_PERMISSIONS_SOURCE; OPENCODE_DOCS#permissions
    "WebSearch": "websearch",  # OPENCODE_PERMISSIONS_SOURCE
    "Agent": "task",  # OPENCODE_PERMISSIONS_SOURCE (subagents run through the task tool)
    "Task": "task",  # OPENCODE_PERMISSIONS_SOURCE
    "TodoWrite": "todowrite",  # OPENCODE_PERMISSIONS_SOURCE
    "Skill": "skill",  # OPENCODE_PERMISSIONS_SOURCE
    "LSP": "lsp",  # OPENCODE_PERMISSIONS_SOURCE
}
# Every permission key, so that a tools allowlist denies what it does not name:
# OPENCODE_PERMISSIONS_SOURCE (AVAILABLE_PERMISSIONS)
OPENCODE_PERMISSION_KEYS = (
    "bash", "codesearch", "edit", "glob", "grep", "lsp", "read", "skill", "task", "todowrite",
    "webfetch", "websearch",
)

# Claude Code effort -> Codex model_reasoning_effort (Codex lists minimal, low, medium, high,
# xhigh; Claude's `max` has no counterpart): CODEX_DOCS, not re-checked against the newest release
CODEX_EFFORT = {"low": "low", "medium": "medium", "high": "high", "xhigh": "xhigh"}


def granted(fm: Frontmatter) -> tuple[str, ...] | None:
    """The tools an agent may use (``tools`` less ``disallowedTools``), or None for every tool."""
    if fm.tools is None or "*" in fm.tools:
        return None
    denied = set(fm.disallowed_tools or ())
    return tuple(tool for tool in fm.tools if tool not in denied)


def _base(tool: str) -> str:
    """``Bash(git log:*)`` -> ``Bash``; ``Agent(a, b)`` -> ``Agent``."""
    return tool.split("(", 1)[0].strip()


def reads_only(fm: Frontmatter) -> bool:
    """Whether every tool the agent may use only reads (an agent with every tool does not)."""
    tools = granted(fm)
    return tools is not None and all(_base(tool) in READ_ONLY_TOOLS and "(" not in tool for tool in tools)


def _unknown(tool: str) -> bool:
    return rules.tool_problem(tool) is not None


def copilot_tools(fm: Frontmatter) -> tuple[Any, Losses]:
    """Claude tool names as Copilot aliases, MCP tools as ``server/tool``. A name Claude Code does
    not know is kept as written: Copilot ignores names it does not know (COPILOT_DOCS#tools), and
    such names in real files are Copilot's own (``codebase``, ``edit/editFiles``)."""
    tools = granted(fm)
    if tools is None:
        return None, []
    written: list[str] = []
    lost: Losses = []
    for tool in tools:
        alias = _copilot_tool(tool)
        if alias is None:
            lost.append((f"tools {tool}", "Copilot has no such tool"))
            continue
        if "(" in tool:
            lost.append((f"tools {tool}", f"Copilot has no argument patterns; written as '{alias}'"))
        if alias not in written:
            written.append(alias)
    return written, lost


def _copilot_tool(tool: str) -> str | None:
    if tool.startswith("mcp__"):  # COPILOT_DOCS#tools: some-mcp-server/some-tool, some-mcp-server/*
        server, _, name = tool[5:].partition("__")
        return f"{server}/{name or '*'}"
    if _unknown(tool):
        return tool
    return COPILOT_TOOLS.get(_base(tool))


def opencode_permission(fm: Frontmatter) -> tuple[Any, Losses]:
    """The ``permission`` map: a tools allowlist allows the keys it names and denies the rest;
    ``disallowedTools`` denies. A tool with an argument pattern asks (patterns are not converted)."""
    tools = granted(fm)
    lost: Losses = []
    levels: dict[str, str] = {}
    if tools is not None:
        levels = dict.fromkeys(OPENCODE_PERMISSION_KEYS, "deny")
        for tool in tools:
            key = OPENCODE_PERMISSIONS.get(_base(tool))
            if key is None:
                lost.append((f"tools {tool}", "OpenCode has no permission for it"))
            elif "(" in tool:
                lost.append((f"tools {tool}", f"OpenCode's '{key}' permission asks instead (patterns are not converted)"))
                levels[key] = "allow" if levels.get(key) == "allow" else "ask"
            else:
                levels[key] = "allow"
    for tool in fm.disallowed_tools or ():
        key = OPENCODE_PERMISSIONS.get(_base(tool))
        if key is None:
            lost.append((f"disallowedTools {tool}", "OpenCode has no permission for it"))
        elif "(" not in tool:
            levels[key] = "deny"
        else:
            lost.append((f"disallowedTools {tool}", "OpenCode permissions are not narrowed by pattern here"))
    return (dict(sorted(levels.items())) or None), lost


def opencode_model(fm: Frontmatter) -> tuple[Any, Losses]:
    """A full Claude model id as ``anthropic/ID`` (OPENCODE_DOCS#model: provider/model-id);
    an alias names no fixed model, so it is dropped and OpenCode uses its default."""
    model = fm.model
    if model is None or model == "inherit":
        return None, []
    if isinstance(model, str) and rules.MODEL_ID.fullmatch(model):
        return f"anthropic/{model}", []
    return None, [("model", f"'{model}' names no provider/model-id; OpenCode uses its default model")]


def codex_sandbox(fm: Frontmatter) -> tuple[Any, Losses]:
    """``read-only`` when every tool only reads, else ``workspace-write`` (CODEX_DOCS: sandbox_mode)."""
    if reads_only(fm):
        return "read-only", []
    if granted(fm) is None:
        return "workspace-write", []
    return "workspace-write", [("tools", "Codex has no tool list; workspace-write lets it edit and run commands")]


def codex_effort(fm: Frontmatter) -> tuple[Any, Losses]:
    if fm.effort is None:
        return None, []
    if fm.effort in CODEX_EFFORT:
        return CODEX_EFFORT[fm.effort], []
    return None, [("effort", f"Codex has no reasoning effort '{fm.effort}'")]


def cursor_model(fm: Frontmatter) -> tuple[Any, Losses]:
    """Always ``inherit`` (CURSOR_DOCS: fast, inherit or a Cursor model id; Claude Code's
    aliases and ids have no documented Cursor id)."""
    if fm.model is None or fm.model == "inherit":
        return "inherit", []
    return "inherit", [("model", f"'{fm.model}' has no Cursor model id; written as inherit")]


def cursor_readonly(fm: Frontmatter) -> tuple[Any, Losses]:
    """``readonly: true`` when every tool only reads (CURSOR_DOCS: readonly)."""
    if reads_only(fm):
        return True, []
    if granted(fm) is None:
        return None, []
    return None, [("tools", "Cursor has no tool list; the agent gets every tool")]


def no_denylist(title: str) -> Callable[[Frontmatter], tuple[Any, Losses]]:
    """disallowedTools is taken out of ``tools`` when there is a list; without one it is lost."""

    def fold(fm: Frontmatter) -> tuple[Any, Losses]:
        if fm.disallowed_tools and granted(fm) is None:
            return None, [("disallowedTools", f"{title} has no denylist; the agent gets every tool")]
        return None, []

    return fold


def model_dropped(title: str) -> Callable[[Frontmatter], tuple[Any, Losses]]:
    """No model written: the target runs its own models (``inherit`` loses nothing)."""

    def drop(fm: Frontmatter) -> tuple[Any, Losses]:
        if fm.model is None or fm.model == "inherit":
            return None, []
        return None, [("model", f"'{fm.model}' has no {title} counterpart; {title} uses its default model")]

    return drop


# ---- the targets ---------------------------------------------------------------------------

HOOKS = "no hooks in agent files"
COLOR = "no color field"

COPILOT = Target(
    name="copilot",
    title="Copilot",
    folder=".github/agents",  # COPILOT_DOCS; docs.github.com .../create-custom-agents-for-cli: Project (.github/agents/)
    suffix=".agent.md",  # COPILOT_DOCS: "Markdown file with an .agent.md extension"
    template="export/copilot.agent.md.j2",
    docs=COPILOT_DOCS,
    rows={
        "name": Keep("name"),  # COPILOT_DOCS#yaml-frontmatter-properties: name, optional display name
        "description": Keep("description"),  # COPILOT_DOCS#yaml-frontmatter-properties: required
        "tools": Convert("tools", copilot_tools),  # COPILOT_DOCS#tools: unset = all tools, [] = none
        "disallowedTools": Convert(None, no_denylist("Copilot")),  # COPILOT_DOCS#tools: an allowlist only
        # model is Copilot's own model name ('Claude Sonnet 4.5'); no documented mapping from Claude
        # Code's aliases, so it is dropped (unset inherits the default)
        "model": Convert(None, model_dropped("Copilot")),  # COPILOT_DOCS#yaml-frontmatter-properties
        "color": Lost(COLOR),  # COPILOT_DOCS#yaml-frontmatter-properties
        "permissionMode": Lost("no permission modes"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "maxTurns": Lost("no turn limit"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "skills": Lost("no skills field"),  # COPILOT_DOCS#yaml-frontmatter-properties
        # mcp-servers holds server configurations in Copilot's own format (not used in IDEs)
        "mcpServers": Lost("mcp-servers takes Copilot's own server configuration; not converted"),  # COPILOT_DOCS
        "hooks": Lost(HOOKS),  # COPILOT_DOCS#yaml-frontmatter-properties
        "memory": Lost("no memory field"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "background": Lost("no background field"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "effort": Lost("no effort field"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "isolation": Lost("no isolation field"),  # COPILOT_DOCS#yaml-frontmatter-properties
        "initialPrompt": Lost("no initial prompt"),  # COPILOT_DOCS#yaml-frontmatter-properties
    },
    order=("name", "description", "tools"),
    required=("description",),  # COPILOT_DOCS#yaml-frontmatter-properties
    max_body=30_000,  # COPILOT_DOCS: "The prompt can be a maximum of 30,000 characters"
)

# OpenCode passes every key it does not know to the model provider (OPENCODE_DOCS#additional),
# so nothing but its own keys is written.
OPENCODE = Target(
    name="opencode",
    title="OpenCode",
    folder=".opencode/agents",  # OPENCODE_DOCS: .opencode/agents/<name>.md (older docs: .opencode/agent/)
    suffix=".md",
    template="export/opencode.md.j2",
    docs=OPENCODE_DOCS,
    rows={
        "name": Implied("the file name"),  # OPENCODE_DOCS#markdown: the file name becomes the agent's name
        "description": Keep("description"),  # OPENCODE_DOCS#description: required
        "tools": Convert("permission", opencode_permission),  # OPENCODE_DOCS#permissions (tools is deprecated)
        "disallowedTools": Implied("denied in permission"),  # OPENCODE_DOCS#permissions: deny
        "model": Convert("model", opencode_model),  # OPENCODE_DOCS#model: provider/model-id
        # a `color` key (a hex value) appears in some guides, not in the docs read; unknown keys go to the provider
        "color": Lost(COLOR),  # OPENCODE_DOCS (not confirmed: see above)
        # guides name maxSteps or steps, the docs read do not; unknown keys go to the provider
        "maxTurns": Lost("no confirmed turn limit key"),  # not confirmed in OPENCODE_DOCS
        "permissionMode": Lost("no permission modes; permissions are per tool"),  # OPENCODE_DOCS#permissions
        "skills": Lost("no skills list in agent files"),  # OPENCODE_DOCS (skill is a permission only)
        "mcpServers": Lost("MCP servers are configured in opencode.json, not per agent"),  # OPENCODE_DOCS
        "hooks": Lost(HOOKS),  # OPENCODE_DOCS
        "memory": Lost("no memory field"),  # OPENCODE_DOCS
        "background": Lost("no background field"),  # OPENCODE_DOCS
        "effort": Lost("no effort field"),  # OPENCODE_DOCS#additional: reasoning options are the provider's
        "isolation": Lost("no isolation field"),  # OPENCODE_DOCS
        "initialPrompt": Lost("no initial prompt"),  # OPENCODE_DOCS
    },
    order=("description", "mode", "model", "permission"),
    fixed=(("mode", "subagent"),),  # OPENCODE_DOCS#mode: primary, subagent or all (default all)
    required=("description",),
)

CODEX = Target(
    name="codex",
    title="Codex",
    folder=".codex/agents",  # CODEX_DOCS: project agents in .codex/agents/, one TOML file each
    suffix=".toml",
    template="export/codex.toml.j2",
    docs=CODEX_DOCS,
    rows={
        "name": Keep("name"),  # CODEX_DOCS: name (required; the spawn identifier)
        "description": Keep("description"),  # CODEX_DOCS: description (required)
        "tools": Convert("sandbox_mode", codex_sandbox),  # CODEX_DOCS: sandbox_mode read-only | workspace-write
        "disallowedTools": Convert(None, no_denylist("Codex")),  # CODEX_DOCS: no tool lists
        "model": Convert(None, model_dropped("Codex")),  # CODEX_DOCS: model is an OpenAI model
        "effort": Convert("model_reasoning_effort", codex_effort),  # CODEX_DOCS: model_reasoning_effort
        "color": Lost(COLOR),  # CODEX_DOCS
        "permissionMode": Lost("approvals are set by approval_policy in Codex config, not converted"),  # CODEX_DOCS
        "maxTurns": Lost("no turn limit"),  # CODEX_DOCS
        "skills": Lost("skills are configured in Codex's own format; not converted"),  # CODEX_DOCS: skills.config
        "mcpServers": Lost("mcp_servers takes Codex's own server tables; not converted"),  # CODEX_DOCS: mcp_servers
        "hooks": Lost(HOOKS),  # CODEX_DOCS
        "memory": Lost("no memory field"),  # CODEX_DOCS
        "background": Lost("no background field"),  # CODEX_DOCS
        "isolation": Lost("no isolation field"),  # CODEX_DOCS
        "initialPrompt": Lost("no initial prompt"),  # CODEX_DOCS
    },
    order=("name", "description", "model_reasoning_effort", "sandbox_mode", "developer_instructions"),
    required=("name", "description", "developer_instructions"),  # CODEX_DOCS: the three required keys
    body_key="developer_instructions",  # CODEX_DOCS: developer_instructions, the agent's instructions
    # CODEX_DOCS: Codex's built-in agents; a custom agent of the same name would take its place
    reserved_names=("default", "worker", "explorer"),
)

CURSOR = Target(
    name="cursor",
    title="Cursor",
    folder=".cursor/agents",  # CURSOR_DOCS: .cursor/agents/ (project), ~/.cursor/agents/ (user)
    suffix=".md",
    template="export/cursor.md.j2",
    docs=CURSOR_DOCS,
    rows={
        "name": Keep("name"),  # CURSOR_DOCS: name
        "description": Keep("description"),  # CURSOR_DOCS: description
        "model": Convert("model", cursor_model),  # CURSOR_DOCS: model fast | inherit | a model id
        "tools": Convert("readonly", cursor_readonly),  # CURSOR_DOCS: readonly
        "disallowedTools": Convert(None, no_denylist("Cursor")),  # CURSOR_DOCS: no tool lists
        "background": Keep("is_background"),  # CURSOR_DOCS: is_background (foreground or background)
        "color": Lost(COLOR),  # CURSOR_DOCS
        "permissionMode": Lost("no permission modes"),  # CURSOR_DOCS
        "maxTurns": Lost("no turn limit"),  # CURSOR_DOCS
        "skills": Lost("no skills field"),  # CURSOR_DOCS
        "mcpServers": Lost("no MCP servers per agent"),  # CURSOR_DOCS
        "hooks": Lost(HOOKS),  # CURSOR_DOCS
        "memory": Lost("no memory field"),  # CURSOR_DOCS
        "effort": Lost("no effort field"),  # CURSOR_DOCS
        "isolation": Lost("no isolation field"),  # CURSOR_DOCS
        "initialPrompt": Lost("no initial prompt"),  # CURSOR_DOCS
    },
    order=("name", "description", "model", "readonly", "is_background"),
    required=("name", "description"),
    # Cursor also loads .claude/agents/ (stated in issue 16; not confirmed in the docs read), so an
    # agent there is not copied unless -o asks for it
    reads_claude_agents=True,
)

TARGETS = {target.name: target for target in (COPILOT, OPENCODE, CODEX, CURSOR)}
