"""Split a description into prose and structured ``<example>`` blocks (text in, model out)."""

from __future__ import annotations

import re

from .model import Description, Example

EXAMPLE = re.compile(r"<example>(.*?)(?:</example>|$)", re.S | re.I)
COMMENTARY = re.compile(r"<commentary>(.*?)(?:</commentary>|$)", re.S | re.I)
LABEL = re.compile(r"(?i)(?<![\w-])(context|user|assistant)\s*:")
DIALOGUE = re.compile(r"(?im)^[ \t]*[-*][ \t]+(?=(?:context|user)[ \t]*:)")
QUOTES = "\"'“”‘’"


def unescape(text: str) -> str:
    """Literal ``\\n`` pairs (the style of Claude Code's /agents wizard) as real newlines."""
    return text.replace("\\n", "\n")


def parse_description(text: str, line: int = 0) -> Description:
    """A description with its examples parsed; ``text`` is kept exactly as given."""
    readable = unescape(text)
    spans = [(m.start(), m.end(), m.group(1)) for m in EXAMPLE.finditer(readable)] or _dialogues(readable)
    examples = []
    for start, _, inner in spans:
        offset = text.count("\n", 0, _raw_offset(text, start))
        examples.append(parse_example(inner, line + offset))
    prose = "".join(readable[a:b] for a, b in _gaps(spans, len(readable)))
    return Description(text=text, prose=clean_prose(prose), examples=tuple(examples), line=line)


def _dialogues(readable: str) -> list[tuple[int, int, str]]:
    """Untagged examples: list items that start with ``User:`` or ``Context:``."""
    starts = [m.start() for m in DIALOGUE.finditer(readable)]
    ends = [*starts[1:], len(readable)]
    return [(a, b, DIALOGUE.sub("", readable[a:b], count=1)) for a, b in zip(starts, ends)]


def _gaps(spans: list[tuple[int, int, str]], length: int) -> list[tuple[int, int]]:
    """The stretches of text between the example spans."""
    gaps, cursor = [], 0
    for start, end, _ in spans:
        gaps.append((cursor, start))
        cursor = end
    gaps.append((cursor, length))
    return gaps


def _raw_offset(text: str, readable_offset: int) -> int:
    """Map an offset in the unescaped text back to the raw text (each ``\\n`` pair is 2 chars)."""
    raw, seen = 0, 0
    while seen < readable_offset and raw < len(text):
        raw += 2 if text.startswith("\\n", raw) else 1
        seen += 1
    return raw


def parse_example(inner: str, line: int = 0) -> Example:
    """The parts of one example: context, user, assistant and commentary."""
    commentary = " ".join(_squash(m.group(1)) for m in COMMENTARY.finditer(inner))
    rest = COMMENTARY.sub("", inner)
    parts: dict[str, str] = {}
    pieces = LABEL.split(rest)
    for label, value in zip(pieces[1::2], pieces[2::2]):
        key = label.lower()
        parts[key] = (parts[key] + " " if key in parts else "") + _unquote(_squash(value))
    return Example(
        text=inner.strip(),
        context=parts.get("context", ""),
        user=parts.get("user", ""),
        assistant=parts.get("assistant", ""),
        commentary=commentary,
        line=line,
    )


def clean_prose(text: str) -> str:
    """Prose without the trailing ``Examples:`` label and list dashes left by removed examples."""
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip() not in {"-", "*"}]
    prose = "\n".join(lines).strip()
    prose = re.sub(r"(?i)\s*(for\s+)?examples?\s*:\s*$", "", prose)
    return re.sub(r"\n{3,}", "\n\n", prose).strip()


def _squash(text: str) -> str:
    return " ".join(text.split())


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        return text[1:-1].strip()
    return text
