"""Parse a Markdown body into intro blocks and a tree of sections, lists and items.

Sections start at ``#`` headings, at ``**Label:**`` lines and at plain ``Label:`` lines that
are followed by a list. Code fences, tables, HTML comments and rules are opaque blocks, so a
``- `` line inside a fence is never an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import LimitError
from .limits import MAX_LIST_DEPTH
from .model import Block, Body, Item, ListBlock, Opaque, Paragraph, Section

HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*)")
FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
BOLD_LABEL = re.compile(r"\*\*([^*]+?)\*\*[ \t]*(:?)[ \t]*")
PLAIN_LABEL = re.compile(r"([A-Za-z](?:[^:.!?]|(?<=\w)\.(?=\w)){0,60}):[ \t]*")  # a dot only inside a name: "Node.js expertise:"
LABEL_WORDS = 6  # a longer line ending in ':' is a sentence leading into its list
TERM_PATTERNS = (
    re.compile(r"\*\*(.+?)\*\*\s*:\s*(.*)", re.DOTALL),
    re.compile(r"\*\*(.+?):\*\*\s*(.*)", re.DOTALL),
    re.compile(r"\*\*(.+?)\*\*\s+[-–—]\s+(.*)", re.DOTALL),
    re.compile(r"\*\*([^*]+)\*\*()"),  # a bold item alone: a term whose detail is its children
    re.compile(r"([A-Za-z][\w .&/+#()'-]{0,48}?):\s+(.+)", re.DOTALL),
)
LABEL_RANK = 7


def parse_body(text: str, first_line: int = 1) -> Body:
    """The body tree of ``text``, whose first line is line ``first_line`` of the file."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    events = _scan(lines, first_line)
    intro, sections = _tree(events)
    return Body(text=text, line=first_line, intro=intro, sections=sections)


# ---- scanning lines into headings, labels and blocks -----------------------------------


@dataclass
class _Heading:
    title: str
    line: int
    style: str
    rank: int


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _scan(lines: list[str], first_line: int) -> list[_Heading | Block]:
    events: list[_Heading | Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        event, i = _next_event(lines, i, first_line)
        events.append(event)
    return events


def _next_event(lines: list[str], i: int, first_line: int) -> tuple[_Heading | Block, int]:
    line, number = lines[i], first_line + i
    stripped = line.strip()
    if FENCE.match(line):
        return _fenced(lines, i, first_line)
    if stripped.startswith("<!--"):
        end = next((j for j in range(i, len(lines)) if "-->" in lines[j]), len(lines) - 1)
        return Opaque("html", "\n".join(lines[i : end + 1]), number), end + 1
    if RULE.fullmatch(line):
        return Opaque("rule", line, number), i + 1
    heading = HEADING.fullmatch(line)
    if heading:
        level = len(heading.group(1))
        return _Heading(heading.group(2), number, "heading", level), i + 1
    if stripped.startswith("|"):
        end = i
        while end + 1 < len(lines) and lines[end + 1].strip().startswith("|"):
            end += 1
        return Opaque("table", "\n".join(lines[i : end + 1]), number), end + 1
    if ITEM.fullmatch(line):
        return _list(lines, i, first_line)
    label = _label(lines, i)
    if label:
        return _Heading(label[0], number, label[1], LABEL_RANK), i + 1
    return _paragraph(lines, i, first_line)


def _fenced(lines: list[str], i: int, first_line: int) -> tuple[Opaque, int]:
    end = fence_end(lines, i)
    if end is None:
        if _stray(lines, i):  # a lone fence line: the Markdown after it stays Markdown
            return Opaque("stray", lines[i], first_line + i), i + 1
        end = len(lines) - 1
    return Opaque("code", "\n".join(lines[i : end + 1]), first_line + i), end + 1


def fence_end(lines: list[str], i: int) -> int | None:
    """The index of the line that closes the fence opened at ``lines[i]``, or None."""
    opener = FENCE.match(lines[i]).group(1)  # type: ignore[union-attr]
    for end in range(i + 1, len(lines)):
        close = FENCE.match(lines[end])
        closes = close and close.group(1)[0] == opener[0] and len(close.group(1)) >= len(opener)
        if close and closes and not lines[end].strip()[len(close.group(1)) :].strip():
            return end
    return None


def _stray(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]``, a fence that never closes (``fence_end`` is None), is a stray line:
    no language, over Markdown section headings (``##`` or deeper: a ``#`` line may be a shell
    comment), as in rshah515's test-automator, not 250 lines of code."""
    bare = FENCE.fullmatch(lines[i].rstrip()) is not None
    sections = (match for line in lines[i + 1 :] if (match := HEADING.fullmatch(line)))
    return bare and any(len(match.group(1)) > 1 for match in sections)


def _label(lines: list[str], i: int) -> tuple[str, str] | None:
    line = lines[i]
    if line[:1].isspace():
        return None
    bold = BOLD_LABEL.fullmatch(line)
    if bold and (bold.group(1).endswith(":") or bold.group(2)):
        return bold.group(1).rstrip(":").strip(), "bold"
    plain = PLAIN_LABEL.fullmatch(line)
    if plain and re.search(r"`[^`]*\.[^`]*`", plain.group(1)):
        return None  # a path or a tool's name in code: "Use `microsoft.docs.mcp` for:" leads in
    short = plain and len(plain.group(1).split()) <= LABEL_WORDS
    if plain and short and "**" not in line and ITEM.fullmatch(_next_nonblank(lines, i) or ""):
        return plain.group(1).strip(), "label"
    return None


def _next_nonblank(lines: list[str], i: int) -> str | None:
    following = _next_nonblank_index(lines, i + 1)
    return None if following is None else lines[following]


def _starts_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    return bool(
        FENCE.match(line)
        or RULE.fullmatch(line)
        or HEADING.fullmatch(line)
        or ITEM.fullmatch(line)
        or line.strip().startswith(("|", "<!--"))
        or _label(lines, i)
    )


def _paragraph(lines: list[str], i: int, first_line: int) -> tuple[Paragraph, int]:
    end = i + 1
    while end < len(lines) and lines[end].strip() and not _starts_block(lines, end):
        end += 1
    text = "\n".join(line.strip() for line in lines[i:end])
    return Paragraph(text, first_line + i), end


# ---- lists -------------------------------------------------------------------------------


@dataclass
class _Draft:
    line: int
    marker: str
    indent: int
    text: list[str]
    children: list[_Draft] = field(default_factory=list)

    def freeze(self) -> Item:
        text = "\n".join(self.text)
        term, detail, terms = split_term(text)
        return Item(
            text=text,
            line=self.line,
            marker=self.marker,
            indent=self.indent,
            term=term,
            detail=detail,
            terms=terms,
            children=tuple(child.freeze() for child in self.children),
        )


def _list(lines: list[str], i: int, first_line: int) -> tuple[ListBlock, int]:
    roots: list[_Draft] = []
    stack: list[_Draft] = []
    start = i
    while i < len(lines):
        line = lines[i]
        match = ITEM.fullmatch(line)
        if not line.strip():
            following = _next_nonblank_index(lines, i)
            if following is None or not _continues_list(lines[following], stack):
                break
            i = following  # the blank lines between decide nothing (and a long run stays linear)
            continue
        if match and not RULE.fullmatch(line):
            draft = _Draft(first_line + i, match.group(2), _indent(line), [(match.group(3) or "").strip()])
            while stack and stack[-1].indent >= draft.indent:
                stack.pop()
            (stack[-1].children if stack else roots).append(draft)
            stack.append(draft)
            if len(stack) > MAX_LIST_DEPTH:
                what = f"list items nested more than {MAX_LIST_DEPTH} levels deep (the limit)"
                raise LimitError(what, None, draft.line)
        elif stack and _indent(line) > stack[0].indent and not FENCE.match(line) and not _opens_comment(line):
            owner = next((d for d in reversed(stack) if d.indent < _indent(line)), stack[0])
            owner.text.append(line.strip())
        else:
            break
        i += 1
    ordered = roots[0].marker[0].isdigit()
    return ListBlock(tuple(d.freeze() for d in roots), first_line + start, ordered), i


def _opens_comment(line: str) -> bool:
    return line.strip().startswith("<!--")


def _next_nonblank_index(lines: list[str], i: int) -> int | None:
    return next((j for j in range(i, len(lines)) if lines[j].strip()), None)


def _continues_list(line: str, stack: list[_Draft]) -> bool:
    if not stack or FENCE.match(line) or _opens_comment(line):
        return False
    if ITEM.fullmatch(line) and not RULE.fullmatch(line):
        return _indent(line) >= stack[0].indent
    return _indent(line) > stack[0].indent + 1


@lru_cache(maxsize=8192)
def split_term(text: str) -> tuple[str | None, str, tuple[str, ...]]:
    """``**Term**: detail`` or ``Term: a, b, c`` as (term, detail, enumerated terms)."""
    first = text.split("\n", 1)[0]
    for pattern in TERM_PATTERNS:
        match = pattern.fullmatch(first)
        if match and len(match.group(1).split()) <= 6:
            detail = match.group(2).strip()
            if "\n" in text:
                detail = "\n".join([detail, text.split("\n", 1)[1]]).strip()
            return match.group(1).strip(), detail, enumeration(detail)
    return None, text, ()


@lru_cache(maxsize=8192)
def enumeration(detail: str) -> tuple[str, ...]:
    """``a, b, and c`` (or ``a, b; c``) as its parts, when every part is short; else ()."""
    if "\n" in detail or detail.rstrip().endswith(":"):
        return ()
    parts, depth, current = [], 0, ""
    for char in detail.rstrip(". "):
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    parts = [re.sub(r"^(and|or)\s+", "", part.strip()) for part in parts]
    if len(parts) < 2 or any(not part or len(part.split()) > 6 for part in parts):
        return ()
    return tuple(parts)


# ---- building the section tree -----------------------------------------------------------


@dataclass
class _SectionDraft:
    heading: _Heading
    blocks: list[Block] = field(default_factory=list)
    sections: list[_SectionDraft] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            title=self.heading.title,
            line=self.heading.line,
            style=self.heading.style,
            level=self.heading.rank,
            blocks=tuple(self.blocks),
            sections=tuple(s.freeze() for s in self.sections),
        )


def _tree(events: list[_Heading | Block]) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    intro: list[Block] = []
    roots: list[_SectionDraft] = []
    stack: list[_SectionDraft] = []
    for event in events:
        if isinstance(event, _Heading):
            while stack and stack[-1].heading.rank >= event.rank:
                stack.pop()
            draft = _SectionDraft(event)
            (stack[-1].sections if stack else roots).append(draft)
            stack.append(draft)
        else:
            (stack[-1].blocks if stack else intro).append(event)
    return tuple(intro), tuple(s.freeze() for s in roots)
