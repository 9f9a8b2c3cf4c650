"""Two revisions of one file: an item one rewrote in place is one item in two wordings.

Collections copy each other: VoltAgent's and davila7's agents of one name share most of their
lines, and differ where one side rewrote a line ("N+1 queries prevented consistently" became
"N+1 queries prevented with strict_loading and bullet"). Merging them should not bring the old
line back beside its rewrite. Two sources are *revisions* when they bear one name and at
least ``REVISION`` of the shorter's lines, and ``SHARED`` long lines at the least, stand in
the other too, or as much of its outline (headings and ``Label:`` lines: a rewrite that kept
the outline). Their lines
are aligned (rapidfuzz's Levenshtein opcodes over whole lines); in each run of lines they do
not share, a list rewritten item for item (as many in as out) pairs each item with the one in
its place when one's first word stands in the other (``_line_for_line``); else a list item of
the later source and the earlier one's item most like it are one
item in two wordings when they are about the same thing (the same first word and, up to two,
as many shared words as the shorter has; never a hand-off) and still share words (``LOOSE``,
the measure's own bar for an item said by a line). The merge keeps the wording that says more
(on a tie, the earlier source's: the base's).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Levenshtein

from .cluster import is_handoff
from .fields import kebab
from .model import Agent, Opaque, Paragraph
from .prose import LEAD_WORDS, lead_line
from .survivors import NO_KIND, covers, stems, words

REVISION = 0.5  # share of the shorter source's lines that two revisions of one file have in common
SHARED = 5  # lines (of at least ``LONG`` characters) two revisions have in common, at the least
LONG = 20
LIST_REWRITE = 2  # items a run must rewrite one for one to be a list rewritten in place
LOOSE = 60.0  # token_set_ratio of a rewritten item and the item in its place (else both stay)
LEAD_IN = 4  # words of a line ending in ':' that says nothing but what follows: it goes with it
ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+(.*\S)")

Place = tuple[int, int]  # (source, line)
Lines = list[tuple[str, int]]  # a body's non-blank lines, stripped, with their line numbers
Run = tuple[Lines, Lines]  # lines of two revisions between the lines they share: (old, new)
About = tuple[str, frozenset[str], bool]  # an item's first word, its words, whether it hands off


def changes(agents: list[Agent], pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[Run]]:
    """For each pair of revisions (``revision_pairs``), the runs of lines the two do not share,
    aligned once for the items (``rewritten``) and the prose (``rewritten_prose``)."""
    lines = {i: _lines(agents[i]) for i in sorted({i for pair in pairs for i in pair})}
    return {(old, new): _changes(lines[old], lines[new]) for old, new in pairs}


def rewritten(agents: list[Agent], order: list[int],
              runs: dict[tuple[int, int], list[Run]] | None = None) -> dict[Place, Place]:
    """(source, line) of each item a later revision rewrote -> (source, line) of the earlier
    revision's item in its place (``order``: the sources, base first; ``runs``: the
    ``changes`` of their ``revision_pairs``, when the caller has them)."""
    runs = changes(agents, revision_pairs(agents, order)) if runs is None else runs
    found: dict[Place, Place] = {}
    for (old, new), pair_runs in runs.items():
        for place, keeper in _replaced(pair_runs):
            found.setdefault((new, place), (old, keeper))
    return found


def rewritten_prose(runs: dict[tuple[int, int], list[Run]],
                    blocks: dict[Place, Paragraph | Opaque]) -> list[tuple[Place, Place]]:
    """(block that goes, block that stays) of prose blocks (``blocks``: (source, first line) ->
    block) two revisions wrote in each other's place: the blocks a run of lines the two do not
    share (``changes``) touches, as many on each side (lead-in lines aside), in order, of one
    kind. The later goes where the earlier says what it does (``_replaces``); the earlier goes
    where the later is the template it filled with figures. davila7 rewrote VoltAgent's
    "Executed 1,847 test cases achieving 94% coverage" as "Executed [N] test cases ... Never
    fabricate numbers", and VoltAgent's "Delivery notification:" over "Analyzed 15 competitors
    across 3.2K data points ..." as "Delivery notification (... do not fabricate figures):
    [N] competitors analyzed ...": two wordings of one report, which side by side contradict;
    the template stays, whichever revision wrote it."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for (source, line), block in blocks.items():
        spans.setdefault(source, []).append((line, line + block.text.count("\n")))
    found = []
    for (old, new), pair_runs in runs.items():
        for was, now in pair_runs:
            mine = [(old, line) for line in _touched(spans.get(old, []), was) if not _leads(blocks[(old, line)])]
            theirs = [(new, line) for line in _touched(spans.get(new, []), now) if not _leads(blocks[(new, line)])]
            if len(mine) != len(theirs):
                continue  # blocks added or gone: no block in another's place
            for before, after in zip(mine, theirs, strict=True):
                if _kind(blocks[before]) != _kind(blocks[after]):
                    continue  # a fence, a table and a paragraph are different things
                if fills(blocks[after].text, blocks[before].text):
                    found.append((before, after))  # the later is the template: it stays
                elif _replaces(blocks[before].text, blocks[after].text):
                    found.append((after, before))
    return found


def leads_in(text: str, words: int = LEAD_WORDS) -> bool:
    """A line (``prose.lead_line`` of one line) that leads into the block after it ("Delivery
    notification:"), of at most ``words`` words (``LEAD_IN``: one that says nothing else)."""
    return "\n" not in text and lead_line(text, words)


def _leads(block: Paragraph | Opaque) -> bool:
    return isinstance(block, Paragraph) and leads_in(block.text)


PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|<[^>\n]{1,40}>")  # "[N]", "<value>"
FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|ms|x|MB|GB|hours?|days?)?")


def _kind(block: Paragraph | Opaque) -> str:
    return block.kind if isinstance(block, Opaque) else "paragraph"


def _replaces(earlier: str, later: str) -> bool:
    """Whether the earlier revision's block says what the later's does, so that the later may
    go: it covers its words, or it is the template the later filled with figures (davila7's
    "Executed [N] test cases" for VoltAgent's "Executed 1,847 test cases"). A later block that
    says more (a rule added to a paragraph) stays."""
    return _alike(earlier, later) and (covers(earlier, later) or _templated(earlier, later))


def fills(template: str, text: str) -> bool:
    """Whether ``text`` is ``template`` filled with figures: "Executed 1,847 test cases" for
    "Executed [N] test cases"; the template says all else it says (a paragraph that adds a
    rule beside its figures is more than a filled template)."""
    return _templated(template, text) and not PLACEHOLDER.search(text) and _alike(template, text) \
        and covers(template, FIGURE.sub(" ", text))


def _templated(template: str, text: str) -> bool:
    """Placeholders in one, figures in the other."""
    return bool(PLACEHOLDER.search(template) and FIGURE.search(text))


def _alike(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) >= LOOSE


def _touched(spans: list[tuple[int, int]], lines: Lines) -> list[int]:
    """The first lines of the blocks (``spans``: first and last line) that hold any of ``lines``."""
    return sorted({start for start, end in spans for _, line in lines if start <= line <= end})


def revision_pairs(agents: list[Agent], order: list[int], lines: dict[int, Lines] | None = None) -> list[tuple[int, int]]:
    """The pairs (earlier, later) of sources, in ``order``, that are two revisions of one file:
    one name, and most lines, or most of the outline, shared."""
    lines = lines or {i: _lines(agents[i]) for i in order}
    kept = {i: ({text for text, _ in lines[i]}, _outline(lines[i])) for i in order}
    pairs = []
    for k, old in enumerate(order):
        for new in order[k + 1:]:
            if kebab(agents[old].name or "") != kebab(agents[new].name or ""):
                continue  # two agents (django-developer, fastapi-developer) on one template
            (mine, my_outline), (theirs, their_outline) = kept[old], kept[new]
            if _share(mine, theirs) or _share(my_outline, their_outline, minimum=1):
                pairs.append((old, new))
    return pairs


def _lines(agent: Agent) -> Lines:
    """The body's non-blank lines, stripped, each with its line number in the file."""
    start = agent.body.line
    return [(line.strip(), start + n) for n, line in enumerate(agent.body.text.split("\n")) if line.strip()]


def _share(mine: set[str], theirs: set[str], minimum: int = LONG) -> bool:
    """Whether two sets of lines share ``REVISION`` of the smaller, ``SHARED`` of at least
    ``minimum`` characters among them."""
    shared = mine & theirs
    return (len([text for text in shared if len(text) >= minimum]) >= SHARED
            and len(shared) >= REVISION * min(len(mine), len(theirs)))


def _outline(lines: Lines) -> set[str]:
    """The headings and ``Label:`` lines of a body."""
    return {text for text, _ in lines if text.startswith("#") or (text.endswith(":") and not ITEM.fullmatch(text))}


def _replaced(runs: list[Run]) -> list[tuple[int, int]]:
    """(line in new, line in old) of list items that stand in each other's place: in each run of
    lines two revisions do not share (``changes``), items rewritten line for line (``_line_for_line``),
    then each other item of the new one and the old item most like it (at least ``LOOSE``),
    each old item taken once."""
    pairs = []
    for was, now in runs:
        olds = [(m.group(1), line) for text, line in was if (m := ITEM.fullmatch(text))]
        nows = [(m.group(1), line) for text, line in now if (m := ITEM.fullmatch(text))]
        in_place = _line_for_line(olds, nows)
        pairs.extend(in_place)
        taken_new, taken_old = {later for later, _ in in_place}, {earlier for _, earlier in in_place}
        olds = [(text, line) for text, line in olds if line not in taken_old]
        for text, line in nows:
            if line in taken_new or not olds:
                continue
            scores = [fuzz.token_set_ratio(text, o, processor=utils.default_process)
                      if _same_thing(_about(text), _about(o)) else 0.0 for o, _ in olds]
            best = max(range(len(olds)), key=lambda k: (scores[k], -k))
            if scores[best] >= LOOSE:
                pairs.append((line, olds.pop(best)[1]))
    return pairs


def _line_for_line(olds: list[tuple[str, int]], nows: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """(new line, old line) of the items of a run that one revision rewrote item for item: as
    many in as out (``LIST_REWRITE`` at the least: one line for one is weighed as any other),
    most of them sharing with the item in their place what one of the two is about (its first
    word), and no fewer words than with another item (VoltAgent's "Critical defects zero
    maintained" and davila7's "Known critical defects are triaged with an owner ..., don't
    assume zero"; not "Black formatting applied" and "Ruff formatting applied": two tools).
    Each such pair that does not hand off is one item. A list with an item added and another
    gone shares its words out of place."""
    if len(olds) != len(nows) or len(nows) < LIST_REWRITE:
        return []
    old_words = [_about(text)[1] for text, _ in olds]
    pairs = []
    for k, ((text, line), (old_text, old_line)) in enumerate(zip(nows, olds, strict=True)):
        (first, mine, hands_off), (old_first, theirs, old_hands_off) = _about(text), _about(old_text)
        shared = [len(mine & other) for other in old_words]
        if shared[k] == max(shared) and (first in theirs or old_first in mine) and not (hands_off or old_hands_off):
            pairs.append((line, old_line))
    return pairs if len(pairs) > len(nows) / 2 else []


@lru_cache(maxsize=8192)
def _about(text: str) -> About:
    """What an item is about: its first word that carries an idea, its words, and whether it
    hands off to another agent."""
    first = next(iter(stems(text)), "")
    return first, frozenset(words(text) - NO_KIND), is_handoff(text)


def _same_thing(item: About, other: About) -> bool:
    """Whether two wordings are about the same thing (``_about``): the same first word ("N+1",
    "Ruby"), and as many shared words as the shorter has, up to two ("Design routes" is not
    "Design background jobs"; "Concerns usage" is "Concerns for shared behavior"); never a
    hand-off ("Assist performance-engineer ..." is not "Assist security-engineer ...")."""
    (first, mine, handoff), (their_first, theirs, their_handoff) = item, other
    if handoff or their_handoff or not first or first != their_first:
        return False
    return len(mine & theirs) >= min(2, len(mine), len(theirs))


def _changes(old: Lines, new: Lines) -> list[Run]:
    """The runs of lines between the lines two revisions share: (old lines, new lines)."""
    runs: list[tuple[Lines, Lines]] = []
    last_equal = True
    for op in Levenshtein.opcodes([text for text, _ in old], [text for text, _ in new]):
        if op.tag == "equal":
            last_equal = True
            continue
        if last_equal:
            runs.append(([], []))
        runs[-1][0].extend(old[op.src_start:op.src_end])
        runs[-1][1].extend(new[op.dest_start:op.dest_end])
        last_equal = False
    return runs
