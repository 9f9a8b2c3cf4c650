"""The canonical model of an agent file: frozen dataclasses, no I/O.

An ``Agent`` is its ``Frontmatter`` (known Claude Code fields typed, unknown keys kept in
order), its ``Body`` (the raw text plus a tree of sections, lists and items) and a ``Layout``
that remembers the exact bytes read, so that writing an unchanged agent gives them back.
Every node knows its 1-based line in the source file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# YAML key -> Frontmatter attribute, in the order new keys are written.
FIELDS: dict[str, str] = {
    "name": "name",
    "description": "description",
    "tools": "tools",
    "disallowedTools": "disallowed_tools",
    "model": "model",
    "color": "color",
    "permissionMode": "permission_mode",
    "maxTurns": "max_turns",
    "skills": "skills",
    "mcpServers": "mcp_servers",
    "hooks": "hooks",
    "memory": "memory",
    "background": "background",
    "effort": "effort",
    "isolation": "isolation",
    "initialPrompt": "initial_prompt",
}


@dataclass(frozen=True)
class Example:
    """One ``<example>`` block of a description."""

    text: str
    context: str = ""
    user: str = ""
    assistant: str = ""
    commentary: str = ""
    line: int = 0


@dataclass(frozen=True)
class Description:
    """A description as Claude Code reads it, split into prose and examples.

    ``text`` is the value exactly as read (a literal ``\\n`` stays two characters);
    ``prose`` is the text outside the ``<example>`` blocks.
    """

    text: str
    prose: str = ""
    examples: tuple[Example, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Fallback:
    """Why the strict YAML reading failed and how the lenient reading went."""

    reason: str
    line: int
    claude_loads: bool = True


@dataclass(frozen=True)
class Frontmatter:
    """The YAML header. Known fields are typed; ``extra`` keeps unknown keys in order."""

    name: str | None = None
    description: Description | None = None
    tools: tuple[str, ...] | None = None
    disallowed_tools: tuple[str, ...] | None = None
    model: str | None = None
    color: str | None = None
    permission_mode: str | None = None
    max_turns: int | str | None = None
    skills: Any = None
    mcp_servers: Any = None
    hooks: Any = None
    memory: str | None = None
    background: bool | str | None = None
    effort: str | None = None
    isolation: str | None = None
    initial_prompt: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    keys: tuple[str, ...] = ()
    lines: tuple[tuple[str, int], ...] = ()
    duplicate_keys: tuple[str, ...] = ()
    fallback: Fallback | None = None

    def get(self, key: str) -> Any:
        """The value of a YAML key (``maxTurns``, ``category``, ...), or None."""
        if key in FIELDS:
            return getattr(self, FIELDS[key])
        return dict(self.extra).get(key)

    def line_of(self, key: str) -> int | None:
        """The 1-based file line where a key starts, or None."""
        return dict(self.lines).get(key)


@dataclass(frozen=True)
class Item:
    """A list item: its text without the marker, its ``Term: detail`` parts, its children."""

    text: str
    line: int
    marker: str = "-"
    indent: int = 0
    term: str | None = None
    detail: str = ""
    terms: tuple[str, ...] = ()
    children: tuple[Item, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    """Consecutive list items at one level."""

    items: tuple[Item, ...]
    line: int
    ordered: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Prose lines between blank lines."""

    text: str
    line: int


@dataclass(frozen=True)
class Opaque:
    """A block kept as it is: a code fence, a table, an HTML comment, a rule, or a stray fence
    line (kind ``stray``: a fence never closed, over Markdown sections)."""

    kind: str
    text: str
    line: int

    @property
    def stray(self) -> bool:
        """A lone fence line that opens a code block never closed, with Markdown after it."""
        return self.kind == "stray"


Block = Paragraph | ListBlock | Opaque


@dataclass(frozen=True)
class Section:
    """A part of the body under a ``#`` heading, a ``**Label:**`` line or a ``Label:`` line."""

    title: str
    line: int
    style: str = "heading"  # heading | bold | label
    level: int = 2  # 1-6 for headings, 7 for bold and plain labels
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Body:
    """The Markdown after the frontmatter: raw text, intro blocks before the first section."""

    text: str
    line: int = 1
    intro: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Layout:
    """The exact bytes around the values, so that an unchanged agent is written back as read."""

    bom: bool = False
    newline: str = "\n"
    opening: str = "---\n"
    closing: str = "---\n"
    chunks: tuple[tuple[str | None, str], ...] = ()  # (key or None, raw lines)
    original: Frontmatter | None = None


@dataclass(frozen=True)
class Agent:
    """One agent file."""

    frontmatter: Frontmatter
    body: Body
    path: str | None = None
    layout: Layout = field(default_factory=Layout)

    @property
    def name(self) -> str | None:
        return self.frontmatter.name


def walk_items(blocks: tuple[Block, ...] | list[Block]) -> list[Item]:
    """Every item in these blocks, depth first, in source order."""
    found: list[Item] = []

    def visit(item: Item) -> None:
        found.append(item)
        for child in item.children:
            visit(child)

    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                visit(item)
    return found


def walk_sections(body: Body) -> list[Section]:
    """Every section of a body, depth first, in source order."""
    found: list[Section] = []

    def visit(section: Section) -> None:
        found.append(section)
        for sub in section.sections:
            visit(sub)

    for section in body.sections:
        visit(section)
    return found


def all_items(body: Body) -> list[Item]:
    """Every list item of a body, at any depth, outside code fences, in source order."""
    items = walk_items(body.intro)
    for section in walk_sections(body):
        items.extend(walk_items(section.blocks))
    return sorted(items, key=lambda item: item.line)
