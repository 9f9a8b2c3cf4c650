"""agentforge: read, merge, generate and lint Claude Code agent files.

The public API is imported on first use (PEP 562), so that ``import agentforge`` costs
nothing and the command line can catch an interrupt that comes while it loads.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "dumps": "document", "loads": "document", "AgentforgeError": "errors", "dump": "files", "load": "files",
    **{name: "model" for name in ("Agent", "Body", "Description", "Example", "Fallback", "Frontmatter",
                                  "Item", "ListBlock", "Opaque", "Paragraph", "Section")},
}

__all__ = [
    "Agent", "AgentforgeError", "Body", "Description", "Example", "Fallback", "Frontmatter", "Item",
    "ListBlock", "Opaque", "Paragraph", "Section", "dump", "dumps", "load", "loads",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'agentforge' has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
