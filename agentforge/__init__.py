"""agentforge: read, merge, generate and lint Claude Code agent files."""

from .document import dumps, loads
from .errors import AgentforgeError
from .files import dump, load
from .model import (
    Agent,
    Body,
    Description,
    Example,
    Fallback,
    Frontmatter,
    Item,
    ListBlock,
    Opaque,
    Paragraph,
    Section,
)

__all__ = [
    "Agent",
    "AgentforgeError",
    "Body",
    "Description",
    "Example",
    "Fallback",
    "Frontmatter",
    "Item",
    "ListBlock",
    "Opaque",
    "Paragraph",
    "Section",
    "dump",
    "dumps",
    "load",
    "loads",
]
