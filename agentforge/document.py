"""Text in, text out: ``loads`` reads an agent from a string, ``dumps`` writes it back."""

from __future__ import annotations

from . import frontmatter
from .body import parse_body
from .errors import LimitError
from .limits import MAX_FILE_BYTES, MAX_FRONTMATTER_BYTES
from .model import Agent, Layout


def loads(text: str, path: str | None = None) -> Agent:
    """Read an agent file's text. Raises ParseError when there is no agent to read, and
    LimitError (a ParseError) when the text goes over a limit of ``agentforge.limits``."""
    if _over(text, MAX_FILE_BYTES):
        raise LimitError(f"file larger than the limit of {MAX_FILE_BYTES:,} bytes", path, 1)
    bom = text.startswith("\ufeff")
    content = text[1:] if bom else text
    opening, fm_text, closing, body_text = frontmatter.split(content, path)
    if _over(fm_text, MAX_FRONTMATTER_BYTES):
        size = len(fm_text.encode("utf-8", "surrogatepass"))
        raise LimitError(f"frontmatter of {size:,} bytes, over the limit of {MAX_FRONTMATTER_BYTES:,}", path, 1)
    fm, chunks = frontmatter.read(fm_text, 2, path)
    body_line = 2 + fm_text.count("\n") + 1
    newline = "\r\n" if opening.endswith("\r\n") else "\n"
    layout = Layout(bom, newline, opening, closing, chunks, fm)
    try:
        body = parse_body(body_text, body_line)
    except LimitError as error:
        raise LimitError(error.message, path, error.line) from None
    return Agent(fm, body, path, layout)


def _over(text: str, limit: int) -> bool:
    """Whether text is more than ``limit`` bytes in UTF-8 (encoded only when it may be)."""
    if len(text) * 4 <= limit:  # a character is at most four bytes
        return False
    return len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit


def dumps(agent: Agent) -> str:
    """The agent's text: the same bytes as read when nothing changed."""
    layout = agent.layout
    fm_text = frontmatter.write(agent.frontmatter, layout)
    closing = layout.closing
    if agent.body.text and not closing.endswith("\n"):
        closing += layout.newline
    return ("\ufeff" if layout.bom else "") + layout.opening + fm_text + closing + agent.body.text

