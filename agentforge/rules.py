"""Claude Code's rules for frontmatter values (see FORMAT.md), shared by lint and new."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from .errors import ValidationError

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MODELS = ("sonnet", "opus", "haiku", "fable", "inherit")
MODEL_ID = re.compile(r"claude-[a-z0-9.-]+")
COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan", "magenta")
PERMISSION_MODES = ("default", "acceptEdits", "auto", "dontAsk", "bypassPermissions", "plan", "manual")
MEMORY = ("user", "project", "local")
EFFORT = ("low", "medium", "high", "xhigh", "max")
ISOLATION = ("worktree",)
# Claude Code's tools reference (code.claude.com/docs/en/tools-reference, 2026) and older names.
TOOLS = (
    "Agent",
    "AskUserQuestion",
    "Bash",
    "BashOutput",
    "CronCreate",
    "CronDelete",
    "CronList",
    "Edit",
    "EnterPlanMode",
    "EnterWorktree",
    "ExitPlanMode",
    "ExitWorktree",
    "Glob",
    "Grep",
    "KillShell",
    "LS",
    "ListMcpResourcesTool",
    "LSP",
    "Monitor",
    "MultiEdit",
    "NotebookEdit",
    "NotebookRead",
    "PowerShell",
    "Read",
    "ReadMcpResourceTool",
    "SendMessage",
    "Skill",
    "SlashCommand",
    "Task",
    "TaskCreate",
    "TaskGet",
    "TaskList",
    "TaskOutput",
    "TaskStop",
    "TaskUpdate",
    "TeamCreate",
    "TeamDelete",
    "TodoRead",
    "TodoWrite",
    "ToolSearch",
    "WebFetch",
    "WebSearch",
    "Write",
)
TOOL_CALL = re.compile(r"(Agent|Task)\((?:[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)?\)")
TOOL_PATTERN = re.compile(r"(Bash|Read|Edit|Write|WebFetch)\(.+\)")
MCP = re.compile(r"mcp__[A-Za-z0-9_.-]+?(?:__(?:[A-Za-z0-9_.-]+|\*))?")


def name_problem(name: object) -> str | None:
    """Why ``name`` is not a valid agent name, or None."""
    if not isinstance(name, str) or not name:
        return "name is missing"
    if ":" in name:
        return colon_problem(name)
    if not NAME.fullmatch(name):
        return f"name '{name}' must be lowercase letters, digits and hyphens"
    if not 3 <= len(name) <= 50:
        return f"name '{name}' must be 3 to 50 characters"
    return None


def colon_problem(name: str) -> str:
    return f"name '{name}' contains ':', which Claude Code reserves for plugin namespaces (plugin:agent)"


# The type each structured field takes (Claude Code's subagent docs): a value of another type is ignored.
SHAPES: dict[str, tuple[type, ...]] = {
    "skills": (list, str),  # skill names (a list; a comma string is read too)
    "mcpServers": (list, dict),  # server names, or a mapping of inline servers
    "hooks": (dict,),  # event -> matchers
    "initialPrompt": (str,),
}


def shape_problem(key: str, value: object) -> str | None:
    """Why a structured field has the wrong type, or None."""
    kinds = SHAPES.get(key)
    if kinds is None or isinstance(value, kinds):
        return None
    names: dict[type, str] = {list: "a list", dict: "a mapping", str: "text"}
    return f"{key} must be {' or '.join(names[kind] for kind in kinds)}"


def model_problem(model: object) -> str | None:
    if isinstance(model, str) and (model in MODELS or MODEL_ID.fullmatch(model)):
        return None
    return f"unknown model '{model}' (expected {', '.join(MODELS)} or a full model id)"


def color_problem(color: object) -> str | None:
    if color in COLORS:
        return None
    return f"unknown color '{color}' (expected {', '.join(COLORS)})"


def tool_problem(tool: str) -> str | None:
    """Why ``tool`` is not a tool name Claude Code knows, or None."""
    if tool in TOOLS or TOOL_CALL.fullmatch(tool) or TOOL_PATTERN.fullmatch(tool) or MCP.fullmatch(tool):
        return None
    return f"unknown tool '{tool}'"


def choice_problem(key: str, value: object, choices: tuple[str, ...]) -> str | None:
    if value in choices:
        return None
    return f"unknown {key} '{value}' (expected {', '.join(choices)})"


def check(key: str, value: object) -> None:
    """Raise ValidationError when a value for ``key`` breaks a Claude Code rule."""
    problem = None
    if key == "name":
        problem = name_problem(value)
    elif key == "model":
        problem = model_problem(value)
    elif key == "color":
        problem = color_problem(value)
    elif key in ("tools", "disallowedTools"):
        problems = [tool_problem(tool) for tool in cast(Iterable[str], value or ())]
        problem = next((p for p in problems if p), None)
    elif key == "permissionMode":
        problem = choice_problem(key, value, PERMISSION_MODES)
    if problem:
        raise ValidationError(problem)
