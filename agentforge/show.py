"""The model as a readable tree or as JSON-ready data (for ``agentforge inspect``)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .model import Agent, Block, Item, ListBlock, Opaque, Paragraph, Section

BLOCK_TYPES = {Paragraph: "paragraph", ListBlock: "list", Opaque: "opaque"}


def to_data(agent: Agent) -> dict[str, Any]:
    """The agent as plain data: frontmatter, description, body tree (no layout bytes)."""
    return {"path": agent.path, "frontmatter": _data(agent.frontmatter), "body": _data(agent.body)}


def _data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if type(value) in BLOCK_TYPES:
            data = {"type": BLOCK_TYPES[type(value)], **data}
        return data
    if isinstance(value, (list, tuple)):
        return [_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _data(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no inf or nan
    return value


def tree(agent: Agent) -> str:
    """The agent as an indented outline with source lines."""
    fm = agent.frontmatter
    out = [agent.path or "<text>"]
    how = "strict YAML" if fm.fallback is None else f"lenient reading ({fm.fallback.reason})"
    out.append(f"frontmatter: {how}")
    for key in fm.keys:
        out.append(f"  {key}: {shorten(_value(fm.get(key)))}  [line {fm.line_of(key)}]")
    if fm.description is not None:
        for example in fm.description.examples:
            out.append(f"    example [line {example.line}]: user: {shorten(example.user, 60)}")
    out.append(f"body [line {agent.body.line}]")
    out.extend(_blocks(agent.body.intro, 1))
    for section in agent.body.sections:
        out.extend(_section(section, 1))
    return "\n".join(out) + "\n"


def _value(value: Any) -> str:
    if hasattr(value, "text"):
        examples = len(value.examples)
        return f"{value.prose} ({examples} example{'s' * (examples != 1)})"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def shorten(text: str, width: int = 70) -> str:
    """The text on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _section(section: Section, depth: int) -> list[str]:
    pad = "  " * depth
    out = [f"{pad}§ {section.title}  ({section.style}, line {section.line})"]
    out.extend(_blocks(section.blocks, depth + 1))
    for sub in section.sections:
        out.extend(_section(sub, depth + 1))
    return out


def _blocks(blocks: tuple[Block, ...], depth: int) -> list[str]:
    pad = "  " * depth
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                out.extend(_item(item, depth))
        elif isinstance(block, Paragraph):
            out.append(f"{pad}¶ {shorten(block.text)}  [line {block.line}]")
        else:
            out.append(f"{pad}[{block.kind}] {shorten(block.text, 40)}  [line {block.line}]")
    return out


def _item(item: Item, depth: int) -> list[str]:
    pad = "  " * depth
    head = f"{item.term} → {item.detail}" if item.term else item.text
    out = [f"{pad}{item.marker} {shorten(head)}  [line {item.line}]"]
    if item.terms:
        out.append(f"{pad}    terms: {', '.join(item.terms)}")
    for child in item.children:
        out.extend(_item(child, depth + 1))
    return out
