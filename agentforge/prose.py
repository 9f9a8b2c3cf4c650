"""Which paragraphs, code blocks and tables of the sources the merged agent keeps, and why not.

The base's prose stays where it is. Another source's prose is kept in its section unless it is
its opening role statement (the base's opening is kept), a closing paragraph (one closing is
kept: the base's, else the first), a lead-in line to a list that now stands elsewhere, an
illustration (code, table, ASCII diagram) longer than a screen or that stands in a section the
base already has (the base's own are kept; one set of examples is enough), first-person prose
in a section it shares (the base's voice is kept; a section of its own keeps it), or says again
what kept prose says.
Every decision is logged for the report, and counted on stderr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import align
from .cluster import similarity
from .model import ListBlock, Opaque, Paragraph
from .sources import Unit
from .survivors import covers, words

DIAGRAM = re.compile(r"[\u2500-\u257f]{3}")  # box-drawing characters: an ASCII-art diagram
LEAD_IN_CHARS = 80  # a line ending in ":" shorter than this leads into the list after it
# another source's code, table or diagram is kept in its own section up to a screen (a diagram
# of a step, a page object to copy), not a code appendix (davila7's 281-line Terraform module);
# a template the agent is told to follow (``is_template``) stays however long
ILLUSTRATION_LINES = 40
SHORT_LINES = 3  # ... and anywhere up to this: a fence of one line ("Score = (Reach x Impact) / Effort") is said, not illustrated
FIRST_PERSON = re.compile(r"(?:I|I'm|I've|My|We|Our)\b")
# a closing that addresses the agent ("Remember: your goal is ...", "Always prioritize ..."), not
# one more instruction ("Each test should have a descriptive name ...")
POINTS_BACK = re.compile(r"(?i)\W*(?:these|this|those|the above|above|each of (?:these|them))\b")
SIGN_OFF = re.compile(r"(?i)\b(?:you|your)\b|^\W*(?:remember|always)\b")


# the opening line of a fence of text, not of a programming language
TEXT_FENCE = re.compile(r"\s*(?:```|~~~)\s*(?:markdown|md|text|txt|plaintext)?\s*", re.IGNORECASE)


LEAD_WORDS = 12  # a line ending in ':' of more words says something of its own: no mere lead-in
ROLE_STATEMENT = re.compile(r"(?:You are\b|(?:An?\s+)?(?:Expert|Senior|Elite|Seasoned|World-class)\s)")


def opens_as_role(unit: Unit) -> bool:
    """Whether a section of another source is its role statement said again (``align.opens``):
    wshobson's "## Purpose" under "You are a backend architect", "Expert backend architect with
    comprehensive knowledge of ...". A purpose that gives work ("Perform thorough code reviews
    to find logic errors ...") is no role statement."""
    first = unit.blocks[0] if unit.blocks else None
    return unit.title is not None and align.opens(unit.title) and isinstance(first, Paragraph) \
        and ROLE_STATEMENT.match(first.text) is not None


def lead_line(text: str, words: int = LEAD_WORDS) -> bool:
    """A paragraph of at most ``words`` words that ends in ':' (bold aside): it leads into what
    follows and says nothing of its own."""
    return text.rstrip("*").endswith(":") and len(text.split()) <= words


def is_lead_in(text: str) -> bool:
    """A short line that leads into the list after it ("Before writing code:")."""
    return text.rstrip().endswith(":") and len(text) < LEAD_IN_CHARS


TEMPLATE_LEAD = re.compile(r"(?i)\b(?:templates?|formats?|write|structure|schema)\b|`[^`]+\.\w+`")
EXAMPLE_LEAD = re.compile(r"(?i)\b(?:examples?|e\.g\.|for instance|sample)\b")


def is_template(block: Paragraph | Opaque, unit: Unit) -> bool:
    """A fenced block of text that is all its section holds ("## One-Page PRD Template"), or that
    a lead-in introduces as something to write or follow ("Write `.claude/pipeline/qa-report.md`:",
    "Use this format:"; not "For example:"): a template or format the agent is told to follow,
    not an illustration."""
    if not (isinstance(block, Opaque) and block.kind == "code" and TEXT_FENCE.fullmatch(block.text.split("\n", 1)[0])):
        return False
    if unit.blocks == (block,):
        return True
    at = unit.blocks.index(block)
    before = unit.blocks[at - 1] if at else None
    return isinstance(before, Paragraph) and is_lead_in(before.text) and bool(TEMPLATE_LEAD.search(before.text)) \
        and not EXAMPLE_LEAD.search(before.text)


PARAPHRASE, PARAPHRASE_WORDS = 72.0, 15  # a long paragraph this alike says it again in other words


ELSEWHERE = "lead-in to a list that stands elsewhere in the output"  # the judge's reason for a lead-in of another section


def _says_again(kept: str, text: str) -> bool:
    """Whether a kept paragraph says ``text``: a short one must say each of its words (it may
    differ by the one that matters: "**[HIGH]** `file:line` ..." beside "**[CRITICAL]**
    `file:line` ..."); a long one must cover it."""
    if len(text.split()) < PARAPHRASE_WORDS:
        return not words(text) - words(kept)
    return covers(kept, text)


def _paraphrase(text: str, score: float) -> bool:
    """A long paragraph this alike to a kept one (``PARAPHRASE``) says it again in other words
    (a role statement)."""
    return len(text.split()) >= PARAPHRASE_WORDS and score >= PARAPHRASE


ADDRESSED = re.compile(r"\W*you(?:'re|\s+are)?\b", re.IGNORECASE)  # an agent told what it is: "You are ..."
SPEAKS = re.compile(r"\W*(?:I|I'm|I've|My)\b")  # an agent that says what it is: "I'm precise ..."
# first-person words and what the base's voice says (``second_person``); "I" only as the one who
# speaks (``SPEAKER``): "I/O", "Type I errors" and "Phase I" stay
VOICE = [
    (re.compile(r"\bI am\b"), "you are"), (re.compile(r"\bI was\b"), "you were"), (re.compile(r"\bI'm\b"), "you're"),
    (re.compile(r"\bI\u2019m\b"), "you\u2019re"), (re.compile(r"\bI([\u2019'])(ve|ll|d)\b"), r"you\1\2"),
    (re.compile(r"\bmyself\b"), "yourself"),
    (re.compile(r"\b[Mm]ine\b"), "yours"), (re.compile(r"\b[Mm]y\b"), "your"), (re.compile(r"\bme\b"), "you"),
]
# "I" as the one who speaks: opening a sentence or a clause, before a word in lower case
SPEAKER = re.compile(r"(^|[.!?;:,\u2014-]\s+|\b(?:and|but|so|then|where|when|while|because|that|as|if) )I(?= [a-z])")
SENTENCE_START = re.compile(r"(^|[.!?]\s+)(you|yours|your)\b")
ADDRESSES = re.compile(r"(?i)\b(?:you|let me)\b")  # prose that also speaks to the user ("I will guide you")


def second_person(text: str) -> str:
    """A paragraph in which an agent speaks of itself, in the voice of one told what it is:
    "I'm precise and safety-focused. I help developers ..." -> "You're precise and
    safety-focused. You help developers ..." (rshah515's "## Communication Style" beside a base
    that opens "You are a ...")."""
    if ADDRESSES.search(text):  # "I will guide you ... tell me your URL": it speaks to the user too
        # (a "your" alone is the user's: "the borrow checker is your friend")
        return text
    said = text
    for pattern, word in VOICE:
        said = pattern.sub(word, said)
    said = SPEAKER.sub(lambda m: m.group(1) + "you", said)
    if re.search(r"\bI\b(?= [a-z])|[\u2019']m\b", said):  # a speaker left ("Here I focus"): all or nothing
        return text
    return SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).capitalize(), said)


@dataclass
class ProseJudge:
    """Decides block by block; remembers what it kept."""

    base: int
    last_item: dict[int, int]  # source -> line of its last list item
    threshold: float
    base_opening: bool = False
    addressed: bool = False  # the base tells the agent what it is ("You are ..."): kept prose says "you"
    base_closing: bool = False
    kept: list[str] = field(default_factory=list)
    closing_kept: bool = False
    opening_kept: bool = False  # another source's role statement stands for the base's missing one
    log: list[dict[str, Any]] = field(default_factory=list)

    def why_drop(self, block: Paragraph | Opaque, unit: Unit, own: bool, first: bool) -> str | None:
        """None to keep the block, else the reason it is dropped; logs either way."""
        if isinstance(block, Opaque) and block.stray:
            reason: str | None = "a fence line that opens a code block never closed: the Markdown after it is kept"
        else:
            reason = None if unit.source == self.base else self._reason(block, unit, own, first)
        entry = {"source": unit.source, "line": block.line, "text": block.text, "kept": reason is None}
        self.log.append({**entry, "reason": reason} if reason else entry)
        if reason is None:
            if not isinstance(block, Opaque):
                self.kept.append(block.text)
            self.closing_kept |= self.is_closing(block, unit)
            self.opening_kept |= first and ROLE_STATEMENT.match(block.text) is not None
        return reason

    def voiced(self, block: Paragraph | Opaque, unit: Unit) -> str:
        """A kept block's text as the merged agent says it: another source's paragraph in which
        the agent speaks of itself ("I'm ...") in the base's voice when the base tells the agent
        what it is ("You are ...")."""
        if unit.source == self.base or not self.addressed or not isinstance(block, Paragraph) \
                or not SPEAKS.match(block.text):
            return block.text
        voiced = second_person(block.text)
        entry = next(e for e in reversed(self.log) if e["source"] == unit.source and e["line"] == block.line)
        entry["as"] = voiced
        return voiced

    def is_closing(self, block: Paragraph | Opaque, unit: Unit) -> bool:
        """A sign-off (``SIGN_OFF``) after the last list item of its source."""
        return self._after_items(block, unit) and bool(SIGN_OFF.search(block.text))

    def is_last_word(self, block: Paragraph | Opaque, unit: Unit) -> bool:
        """An instruction for the whole agent after the last list item of its source (its last
        block: ``outline.build``), closing a section that has a list: wshobson's "Prefer PHP
        standard library ... Focus on working code over explanations." after its Output list.
        Not one that points back at that list (davila7's "These commands must be run before any
        pull request ..."), says what the answer ends with ("End with: performance summary,
        ..."), or is no sentence of one line (an example's "Input: ...", "Output: ..."), nor a
        section's only words ("### 8. Update State")."""
        text = block.text
        return self._after_items(block, unit) and any(isinstance(b, ListBlock) for b in unit.blocks) \
            and "\n" not in text and ":" not in text and not POINTS_BACK.match(text)

    def _after_items(self, block: Paragraph | Opaque, unit: Unit) -> bool:
        return isinstance(block, Paragraph) and block.line > self.last_item.get(unit.source, 0) > 0

    def _reason(self, block: Paragraph | Opaque, unit: Unit, own: bool, first: bool) -> str | None:
        illustration = isinstance(block, Opaque) and block.kind in ("code", "table") or DIAGRAM.search(block.text)
        lines = block.text.count("\n") + 1
        if illustration and (not own and lines > SHORT_LINES or lines > ILLUSTRATION_LINES) \
                and not (own and is_template(block, unit)):
            return "a long illustration (code, table or diagram) of another source: the base's are kept"
        if isinstance(block, Opaque) and not illustration:
            return f"{block.kind}: the base's layout is kept"
        if illustration:
            return None
        text = block.text
        if FIRST_PERSON.match(text) and not own:
            return "first-person prose of another source: the base's voice is kept"
        if first and self.base_opening:
            return "opening role statement: the base's opening is kept"
        if first and self.opening_kept and ROLE_STATEMENT.match(text):  # the base has none: one is kept
            return "opening role statement: one opening is kept"
        if self.is_closing(block, unit) and (self.base_closing or self.closing_kept):
            return "closing paragraph: one closing is kept"
        if is_lead_in(text):  # of its own section: its list follows it ("For each test case:")
            return None if own else ELSEWHERE
        if not self.kept:
            return None
        score = similarity(text, self.kept)
        best = int(score.argmax())
        if score[best] >= self.threshold and (
            _paraphrase(text, score[best]) or _says_again(self.kept[best], text)
        ):
            return f"repeats kept prose (score {score[best]:.0f}): {self.kept[best][:60]}"
        if any(_says_again(kept, text) for kept in self.kept):
            return "says nothing the kept prose does not say"
        return None
