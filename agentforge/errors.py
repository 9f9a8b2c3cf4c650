"""The one error family of agentforge: every user-facing failure is an AgentforgeError."""

from __future__ import annotations


class AgentforgeError(Exception):
    """A problem agentforge reports to the user, naming the file and line when known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<text>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class ParseError(AgentforgeError):
    """The file cannot be read as an agent at all."""


class ValidationError(AgentforgeError):
    """A value breaks a Claude Code rule (name format, model, tools, ...)."""


class WriteError(AgentforgeError):
    """Output was refused before writing: it would not read back, or would overwrite a source."""


class TemplateError(AgentforgeError):
    """A Jinja template is missing or fails to render."""


class LimitError(ParseError):
    """The input goes over one of the documented limits of ``agentforge.limits``."""
