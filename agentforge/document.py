"""Text in, text out: ``loads`` reads an agent from a string, ``dumps`` writes it back."""

from __future__ import annotations

from . import frontmatter
from .body import parse_body
from .model import Agent, Layout


def loads(text: str, path: str | None = None) -> Agent:
    """Read an agent file's text. Raises ParseError when there is no agent to read."""
    bom = text.startswith("\ufeff")
    content = text[1:] if bom else text
    opening, fm_text, closing, body_text = frontmatter.split(content, path)
    fm, chunks = frontmatter.read(fm_text, 2, path)
    body_line = 2 + fm_text.count("\n") + 1
    newline = "\r\n" if opening.endswith("\r\n") else "\n"
    layout = Layout(bom, newline, opening, closing, chunks, fm)
    return Agent(fm, parse_body(body_text, body_line), path, layout)


def dumps(agent: Agent) -> str:
    """The agent's text: the same bytes as read when nothing changed."""
    layout = agent.layout
    fm_text = frontmatter.write(agent.frontmatter, layout)
    closing = layout.closing
    if agent.body.text and not closing.endswith("\n"):
        closing += layout.newline
    return ("\ufeff" if layout.bom else "") + layout.opening + fm_text + closing + agent.body.text

