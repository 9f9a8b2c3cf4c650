"""The merge's input, flattened: every source's sections as units and its list items as members.

A unit is the blocks under one heading (or the intro) of one source; a member is one list item
at any depth, with the unit it stands in and its parent item. Units of the base come first, then
the other sources in their given order, so "earliest" always means "the base's, if it has one".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import align, boxes
from .model import Agent, Block, Item, ListBlock, Paragraph, Section, all_items


@dataclass(frozen=True)
class Unit:
    """The blocks under one heading (or the intro) of one source."""

    source: int
    title: str | None
    heading: str
    level: int
    style: str
    blocks: tuple[Block, ...]
    tight: bool
    loose: frozenset[int] = frozenset()
    parent: int | None = None  # index of the enclosing section's unit
    attached: frozenset[int] = frozenset()  # lines of blocks with no blank line before them


@dataclass(frozen=True)
class Member:
    """A list item of a source, with the unit it stands in and its parent member."""

    source: int
    unit: int
    item: Item
    parent: int | None


def choose_base(agents: list[Agent], given: int | None = None) -> tuple[int, str]:
    """The skeleton source and why it was chosen: the user's, else the one with most items."""
    if given is not None:
        return given, "chosen with --base"
    counts = [len(all_items(agent.body)) for agent in agents]
    base = max(range(len(agents)), key=lambda i: (counts[i], -i))
    return base, f"most list items ({counts[base]})"


def read_units(agents: list[Agent], order: list[int]) -> list[Unit]:
    """The units of every source, the base's first, parents re-indexed."""
    units: list[Unit] = []
    for source in order:
        offset = len(units)
        for unit in units_of(agents[source], source):
            parent = None if unit.parent is None else unit.parent + offset
            units.append(replace(unit, parent=parent))
    return units


def units_of(agent: Agent, source: int) -> list[Unit]:
    """The intro and every section of an agent, in source order."""
    lines = agent.body.text.split("\n")
    first = agent.body.line
    intro = _unboxed(agent.body.intro)
    units = [Unit(source, None, "", 0, "intro", intro, False, _loose(intro, lines, first),
                  attached=_attached(intro, lines, first))]

    def visit(section: Section, parent: int | None) -> None:
        section = _fold_subtitle(section, lines, first)
        section = replace(section, blocks=_unboxed(section.blocks))
        heading = lines[section.line - first].rstrip("\r").strip()
        tight = bool(section.blocks) and section.blocks[0].line == section.line + 1
        units.append(Unit(source, section.title, heading, section.level, section.style, section.blocks,
                          tight, _loose(section.blocks, lines, first), parent,
                          _attached(section.blocks[1:], lines, first)))
        me = len(units) - 1
        for sub in section.sections:
            visit(sub, me)

    for section in agent.body.sections:
        visit(section, None)
    return units


def _unboxed(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks, a box diagram of bullets read as a list (``boxes``)."""
    return tuple((boxes.as_list(block) or block) if isinstance(block, Paragraph) else block for block in blocks)


def _fold_subtitle(section: Section, lines: list[str], first_line: int) -> Section:
    """``### Topic`` directly followed by ``**A subtitle:**`` and its list is one section: the
    subtitle becomes a lead-in paragraph of the heading's own content."""
    if section.blocks or not section.sections or section.style != "heading":
        return section
    first = section.sections[0]
    if first.style == "heading" or first.sections:
        return section
    lead = Paragraph(lines[first.line - first_line].rstrip("\r").strip(), first.line)
    return replace(section, blocks=(lead, *first.blocks), sections=section.sections[1:])


def _loose(blocks: tuple[Block, ...], lines: list[str], first: int) -> frozenset[int]:
    """Lines of the lists in ``blocks`` that have blank lines between their top-level items."""
    loose = set()
    for block in blocks:
        if isinstance(block, ListBlock) and len(block.items) > 1:
            span = lines[block.line - first : block.items[-1].line - first]
            if any(not line.strip() for line in span):
                loose.add(block.line)
    return frozenset(loose)


def _attached(blocks: tuple[Block, ...], lines: list[str], first: int) -> frozenset[int]:
    """Lines of the blocks that follow the line before them with no blank line between."""
    return frozenset(b.line for b in blocks if b.line - first > 0 and lines[b.line - first - 1].strip())


def members_of(units: list[Unit]) -> list[Member]:
    """Every list item of every unit, depth first, with the index of its parent member."""
    members: list[Member] = []

    def visit(item: Item, unit: int, parent: int | None) -> None:
        members.append(Member(units[unit].source, unit, item, parent))
        me = len(members) - 1
        for child in item.children:
            visit(child, unit, me)

    for index, unit in enumerate(units):
        for block in unit.blocks:
            if isinstance(block, ListBlock):
                principles = principle_list(block, unit)
                for item in block.items:
                    visit(replace(item, marker="-") if principles else item, index, None)
    return members


PRINCIPLE_WORDS = 12  # most words of an item of a numbered list of principles


def principle_list(block: ListBlock, unit: Unit) -> bool:
    """Whether a numbered list is a list of principles, not the steps of a procedure: in a section
    of principles or one titled "Approach" (not "Response Approach", "When invoked", "Workflow":
    procedures), each item one plain line of at most PRINCIPLE_WORDS words
    ("1. Prefer stack allocation and RAII over manual memory management" of wshobson's
    "## Approach", which says 0xfurai's bullet "Prefer using the stack and RAII ..."). Its items
    join bullets like bullets (``survivors.is_step``); the list stays numbered."""
    title = (unit.title or "").strip().rstrip(":").lower()
    return block.ordered and (title == "approach" or align.kind(title) == "principles") and all(
        not item.children and item.term is None and len(item.text.split()) <= PRINCIPLE_WORDS and "\n" not in item.text
        for item in block.items)
