"""Split a description into prose and structured ``<example>`` blocks (text in, model out)."""

from __future__ import annotations

import re

from .model import Description, Example

EXAMPLE = re.compile(r"<example>(.*?)(?:</example>|$)", re.DOTALL | re.IGNORECASE)
COMMENTARY = re.compile(r"<commentary>(.*?)(?:</commentary>|$)", re.DOTALL | re.IGNORECASE)
LABEL = re.compile(r"(?im)(?<![\w-])(context|user|assistant)\s*:|^[ \t]*(?:[-*][ \t]+)?(agent)[ \t]*:")
USER_REQUEST = re.compile(r"<user_request>(.*?)(?:</user_request>|$)", re.DOTALL | re.IGNORECASE)
DIALOGUE = re.compile(r"(?im)^[ \t]*[-*][ \t]+(?=(?:context|user)[ \t]*:)")
QUOTED = re.compile(r"([\"'“‘])(.*)([\"'”’])((?:\s*<[^<>]+>)*)\s*", re.DOTALL)


def unescape(text: str) -> str:
    """Literal ``\\n`` pairs (the style of Claude Code's /agents wizard) as real newlines."""
    return text.replace("\\n", "\n")


def parse_description(text: str, line: int = 0, raw: str | None = None) -> Description:
    """A description with its examples parsed; ``text`` is kept exactly as given.

    ``raw`` is the key's source text starting at file line ``line``; with it each example gets
    the line its source starts on, whatever the YAML style.
    """
    readable = unescape(text)
    spans = [(m.start(), m.end(), m.group(1)) for m in EXAMPLE.finditer(readable)] or _dialogues(readable)
    lines = _example_lines(text, readable, spans, line, raw)
    examples = [parse_example(inner, at) for (_, _, inner), at in zip(spans, lines, strict=True)]
    prose = "".join(readable[a:b] for a, b in _gaps(spans, len(readable)))
    return Description(text=text, prose=clean_prose(prose), examples=tuple(examples), line=line)


def _example_lines(text: str, readable: str, spans: list[tuple[int, int, str]], line: int, raw: str | None) -> list[int]:
    """The file line of each example: found in the raw source when given, else counted in text."""
    if raw is None:
        return [line + text.count("\n", 0, _raw_offset(text, start)) for start, _, _ in spans]
    haystack = raw.replace("\\n", "  ")  # same length: offsets stay those of raw
    found, cursor = [], 0
    for start, _, _ in spans:
        match = _start_pattern(readable[start:]).search(haystack, cursor)
        if match:
            cursor = match.end()
        found.append(line + raw.count("\n", 0, match.start() if match else cursor))
    return found


def _start_pattern(text: str) -> re.Pattern[str]:
    """The first words of a text (up to a quote or backslash) as a pattern across any spacing."""
    words = []
    for word in text.split()[:4]:
        if any(char in word for char in "\"'\\"):
            break
        words.append(re.escape(word))
    return re.compile(r"\s+".join(words) or r"(?!)")


def _dialogues(readable: str) -> list[tuple[int, int, str]]:
    """Untagged examples: list items that start with ``User:`` or ``Context:``."""
    starts = [m.start() for m in DIALOGUE.finditer(readable)]
    ends = [*starts[1:], len(readable)]
    return [(a, b, DIALOGUE.sub("", readable[a:b], count=1)) for a, b in zip(starts, ends, strict=False)]


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
    """The parts of one example: context, user, assistant and commentary.

    ``<user_request>`` tags give the user's words; an ``Agent:`` line is the assistant's turn,
    or the user's when the example has an ``assistant:`` turn and no ``user:`` one.
    """
    commentary = " ".join(_squash(m.group(1)) for m in COMMENTARY.finditer(inner))
    rest = COMMENTARY.sub("", inner)
    parts: dict[str, str] = {}
    for match in USER_REQUEST.finditer(rest):
        _add(parts, "user", _squash(match.group(1)))
    rest = USER_REQUEST.sub("", rest)
    found = list(LABEL.finditer(rest))
    labels = [(m.group(1) or m.group(2)).lower() for m in found]
    ends = [m.start() for m in found[1:]] + [len(rest)] * bool(found)
    for label, match, end in zip(labels, found, ends, strict=True):
        _add(parts, _role(label, labels), _unquote(_squash(rest[match.end() : end])))
    return Example(
        text=inner.strip(),
        context=parts.get("context", ""),
        user=parts.get("user", ""),
        assistant=parts.get("assistant", ""),
        commentary=commentary,
        line=line,
    )


def _role(label: str, labels: list[str]) -> str:
    """The part a label fills: ``agent`` speaks for the assistant unless that role is taken."""
    if label != "agent":
        return label
    return "user" if "assistant" in labels and "user" not in labels else "assistant"


def _add(parts: dict[str, str], key: str, value: str) -> None:
    parts[key] = f"{parts[key]} {value}" if key in parts else value


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
    """Words in quotes without them; stage directions after the quote (``<agent call>``) are kept."""
    match = QUOTED.fullmatch(text)
    if not match:
        return text
    return " ".join(part for part in (match.group(2).strip(), match.group(4).strip()) if part)
