"""The outline of the merged agent: the base's sections, then every other section that matches none.

Each unit of another source is aligned to an output section by title (see ``align``) and by
content (how many of its items already stand there); a unit that matches none becomes a section
of its own, with its own heading, placed after the section its source's previous unit went to.
A ``#`` title of another source counts as that source's opening, never as a section. Items
stand where their node's anchor stands (``merge._anchor``); children stay under their parent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import align
from .body import split_term
from .cluster import is_handoff, normalize, similarity, spelled_alike
from .model import ListBlock, Opaque, Paragraph
from .prose import ProseJudge, is_lead_in, lead_line, opens_as_role
from .sources import Member, Unit, principle_list
from .survivors import Node, is_label, under, words

ALIGN_MIN = 45.0
STEP_PLACE = 90.0  # the title score of a step and the step of its number in its parent's place (``_aligned``)
LONE_MATCH = 50.0  # how alike a lone item and an item of another list must be for it to join that list
REWRITE = 3  # items of a list another source also wrote (said by its own) for that source's others to follow its order
LEAD_GAP = 2  # lines from a lead-in to the paragraph it introduces (one blank line between)
OVER_TITLE = 78.0  # how alike the title of a heading over subsections only must be to a section's to join it
LIFT_TITLE = 60.0  # how alike an emptied heading's title and its one subsection's must be for it to go
# (above 50, what ``align.title_score`` gives two titles of one kind about different topics)


@dataclass
class OutList:
    """An output list: top-level nodes, numbered or not, blank lines between items or not."""

    nodes: list[Node] = field(default_factory=list)
    ordered: bool = False
    loose: bool = False
    attached: bool = False
    source: int = 0  # this source's nodes keep their order; others follow, most supported first, groups last
    label: str = ""  # the lead-in of a list another source brought to this section ("Approach:")
    lead_at: tuple[int, int] | None = None  # (source, line) of the lead-in paragraph that is its label
    start: int = 1  # its source's first number: above 1, it goes on numbering the list before it, if any


@dataclass
class Prose:
    """A paragraph or opaque block of a source, kept as it is."""

    text: str
    source: int
    line: int
    kind: str = "paragraph"
    attached: bool = False
    ahead: bool = False  # a lead-in to the subsections after its section's blocks: it stays their last


@dataclass
class Part:
    """An output section: its heading line and blocks (lists and prose)."""

    title: str | None
    heading: str
    level: int
    style: str
    tight: bool = False
    blocks: list[OutList | Prose] = field(default_factory=list)
    from_base: bool = True
    near: Part | None = None  # the section it was placed after: where a lone item goes
    source: int = -1  # the source whose section it is
    opens: int = 0  # the line of its source's paragraph that ran on from the heading line, if any

    def is_empty(self) -> bool:
        return all(isinstance(b, OutList) and not b.nodes for b in self.blocks)

    def last_list(self, ordered: bool, loose: bool, title: str | None = None,
                  nodes: frozenset[int] = frozenset(), lead: str = "", steps: tuple[tuple[str, bool], ...] = (),
                  *, kin: frozenset[int], lead_at: tuple[int, int] | None = None) -> OutList:
        """The section's last list, or a new one shaped like the source list, led in by the
        source section's ``title`` when it differs from this one's (or only as a subset of its
        words, "Output" in "Output Format", when the new list follows the section's closing words). Steps of another source join
        the last numbered list (a procedure) of their section's title, or one that shares one of
        their steps (``nodes``: the ids of the source list's nodes; ``steps``: their terms, one
        step when alike as titles: "Understand the Context", "**Understand Context First**: ..."); they
        never become bullets (a numbered list of principles is no procedure: ``_place_list`` asks
        for bullets, and wshobson's "## Approach" joins 0xfurai's). Bullets never join a procedure: after the steps another source
        brought under their own title they stand unlabelled; any other list joins the list of its
        label (0xfurai's and wshobson's "## Approach" are one "Approach:"). A procedure of the same
        title joins only one of its source or its other revisions (``kin``), or one that shares a
        step: two agents' "## Response Approach" of other steps are two lists, not steps 1-13.
        No list joins one that a lead-in of its own introduces ("Rails 7
        equivalents (use when Gemfile shows rails ~> 7.0):")."""
        if lead:  # a list with a lead-in of its own: under it, joined by no other
            self.blocks.append(OutList(ordered=ordered, loose=loose, source=-1, label=lead, lead_at=lead_at))
            return self.blocks[-1]  # type: ignore[return-value]
        label = _title_label(title) if title and align.title_score(title, self.title) < 100 and not _led(self.blocks) else ""
        lists = [(n, block) for n, block in enumerate(self.blocks) if isinstance(block, OutList)]
        same = next((b for _, b in lists if label and b.label == label), None)
        if same is not None and same.ordered == ordered and (not ordered or _kin(same, kin)):
            return same  # two sources' sections of one title are one list ("Approach:" once)
        if same is not None and self.blocks[-1] is same:  # bullets after the steps of their title
            after = OutList(ordered=ordered, loose=loose, source=-1)
            self.blocks.append(after)
            return after
        if ordered:  # the last procedure of its title, or one that shares a step
            for n, block in reversed(lists):
                if block.ordered and not _led(self.blocks[:n]) and (
                        (block.label == label and _kin(block, kin))
                        or any(_same_step(node, nodes, steps) for node in block.nodes)):
                    return block
            if any(b.ordered and b.label == label for _, b in lists):
                label = _title_label(title) if title else label  # another agent's procedure of this title: its own list
        if not ordered:  # bullets: the last list of bullets
            for n, block in reversed(lists):
                if not block.ordered and not _led(self.blocks[:n]):
                    return block
        if not label and title and lists and isinstance(self.blocks[-1], Prose) and not _led(self.blocks) \
                and not align.same_words(title, self.title):
            label = _title_label(title)  # after the section's closing words, a list of its own ("End with: ...")
        self.blocks.append(OutList(ordered=ordered, loose=loose, source=-1, label=label))
        return self.blocks[-1]  # type: ignore[return-value]


def _title_label(title: str) -> str:
    """The label a section's title makes over its list in another section, a step's number
    aside ("2. Design and Draft" in the step of its number: "Design and Draft:")."""
    bare = align.STEP_NUMBER.sub("", title, count=1) if align.NUMBERED.match(title) else title
    return f"{(bare or title).rstrip(':')}:"  # "... you should:" is its own label


def _kin(block: OutList, kin: frozenset[int]) -> bool:
    """Whether a list is empty or holds an item of one of ``kin``."""
    return not block.nodes or any(node.origin in kin for node in block.nodes)


def _same_step(node: Node, nodes: frozenset[int], steps: tuple[tuple[str, bool], ...]) -> bool:
    """Whether a step of a procedure is one of another source's steps (``steps``: their terms,
    and whether each is only a title): the same node, or a term alike as a title where one of
    the two is only a title (``absorb._titled_steps`` makes them one step)."""
    if id(node) in nodes:
        return True
    term, detail, _ = split_term(node.text)
    return term is not None and any(align.steps_alike(term, step) and (bare or not detail) for step, bare in steps)


def _led(blocks: list[OutList | Prose]) -> bool:
    """Whether the last of ``blocks`` is a lead-in paragraph ("**Pick one:**")."""
    return bool(blocks) and isinstance(blocks[-1], Prose) and blocks[-1].text.rstrip("*").endswith(":")


@dataclass
class Placed:
    """Where each unit went, and whether it kept its own section."""

    parts: list[Part]
    home: dict[int, Part]
    own: set[int]  # units that became (or are) a section of their own
    topics: dict[str, set[int]] = field(default_factory=dict)  # a Term head -> ids of the parts its lines are in
    related: set[frozenset[int]] = field(default_factory=set)  # pairs of sources that are revisions of one file
    steps: dict[int, list[str]] = field(default_factory=dict)  # a unit -> the titles of its numbered subsections
    # a unit not placed yet -> the output section it would align with now (``_ahead``)
    aligns: Callable[[int], Part | None] = lambda u: None
    family: frozenset[str] = frozenset()  # the words of the agents' names (``align.family_words``)


def build(units: list[Unit], members: list[Member], node_of: list[Node], base: int,
          judge: ProseJudge, revisions: list[tuple[int, int]] | None = None,
          family: frozenset[str] = frozenset()) -> Placed:
    """Place every unit's items and the prose that ``judge`` keeps into the output outline
    (``revisions``: the pairs of sources that are two revisions of one file; ``family``: the
    words of the agents' names, no topic of a title)."""
    placed = Placed([], {}, set(), related={frozenset(pair) for pair in revisions or []}, family=family)
    for unit in units:
        if unit.parent is not None and unit.title and align.NUMBERED.match(unit.title):
            placed.steps.setdefault(unit.parent, []).append(unit.title)
    closing: list[Prose] = []
    last_words: list[Prose] = []
    by_unit: dict[int, list[int]] = {}
    for i, member in enumerate(members):
        by_unit.setdefault(member.unit, []).append(i)
    where: dict[int, Part] = {}  # id(node) -> part
    def aligns(v: int) -> Part | None:
        found = _aligned(units[v], placed.parts, [node_of[i] for i in by_unit.get(v, [])], where, placed.topics,
                         family=placed.family, top=_top(units[v], units), over=not by_unit.get(v) and _over(v, units))
        return found if found is not None and _joins(v, units[v], found, placed) else None

    placed.aligns = aligns
    for u, unit in enumerate(units):
        part = _home(u, unit, units, placed, base, [node_of[i] for i in by_unit.get(u, [])], where)
        placed.home[u] = part
        opening = unit.source != base and (unit.title is None or _is_title(unit, units) or opens_as_role(unit))
        for n, block in enumerate(unit.blocks):
            if isinstance(block, ListBlock):
                lead = unit.blocks[n - 1] if n else None
                lead_text = lead.text if isinstance(lead, Paragraph) and is_lead_in(lead.text) else ""
                lead_at = (unit.source, lead.line) if lead is not None and lead_text else None
                _place_list(block, u, unit, part, placed, members, node_of, by_unit, where, lead_text, lead_at)
            elif judge.why_drop(block, unit, u in placed.own, opening and n == 0) is None:
                kind = block.kind if isinstance(block, Opaque) else "paragraph"
                prose = Prose(judge.voiced(block, unit), unit.source, block.line, kind,
                              unit.source == base and block.line in unit.attached,
                              _leads_below(u, n, units))
                last = n == len(unit.blocks) - 1 and u == _last(units, unit)
                if last and judge.is_closing(block, unit):
                    closing.append(prose)
                elif last and judge.is_last_word(block, unit):
                    last_words.append(prose)
                else:
                    part.blocks.append(prose)
    for part in placed.parts:  # what other sources brought stands before a lead-in to subsections
        part.blocks.sort(key=lambda block: isinstance(block, Prose) and block.ahead)
    for prose in last_words + closing:
        prose.attached = False  # after another block now: a paragraph of its own
    if last_words:  # the sources' last instructions end the agent's own sections
        _last_own(placed.parts).blocks.extend(last_words)
    if closing:  # the sign-offs end the agent
        placed.parts[-1].blocks.extend(closing)
    _nest(members, node_of)
    return placed


def _over(u: int, units: list[Unit]) -> bool:
    """Whether a unit is a heading over subsections (the caller knows whether it has items)."""
    return units[u].style == "heading" and _has_subsections(u, units)


def _has_subsections(u: int, units: list[Unit]) -> bool:
    return any(unit.parent == u for unit in units[u + 1:])


def _last_own(parts: list[Part]) -> Part:
    """The last section about the agent's own work: not hand-offs, examples or limits (``LATE``),
    under whose last list an instruction for the whole agent would read as part of it
    (davila7's "Follow clippy lints. Include examples in doc comments." after wshobson's
    "## Example Interactions")."""
    tops = [part for part in parts if part.style == "heading" and part.level <= 2]
    own = [part for part in tops if align.kind(part.title) not in LATE]
    if not own or own[-1] is tops[-1]:
        return parts[-1]
    after = parts.index(tops[tops.index(own[-1]) + 1])  # the section's subsections end before the next top
    return parts[after - 1]


def _leads_below(u: int, n: int, units: list[Unit]) -> bool:
    """Whether block ``n`` of unit ``u`` is a lead-in to the unit's subsections: its last block,
    a line ending in ':' ("Execute real-time system development through structured stages:"
    over "### 1. Architecture Design" ...), and subsections follow. Another source's list
    joining the section goes before it, not under it."""
    block = units[u].blocks[n]
    return n == len(units[u].blocks) - 1 and isinstance(block, Paragraph) and is_lead_in(block.text) \
        and _has_subsections(u, units)


def _home(u: int, unit: Unit, units: list[Unit], placed: Placed, base: int,
          nodes: list[Node], where: dict[int, Part]) -> Part:
    """The output section a unit's content goes to, made new when none fits."""
    parts = placed.parts
    if unit.source == base:
        parts.append(Part(unit.title, unit.heading, unit.level, unit.style, unit.tight, source=base,
                          opens=_opens(unit)))
        placed.own.add(u)
        return parts[-1]
    if unit.title is None or _is_title(unit, units):
        return next((p for p in parts if p.from_base and p.level == 1), parts[0])
    titled = unit.parent is not None and _is_title(units[unit.parent], units)  # under a "# Title": top-level
    home = placed.home.get(unit.parent) if unit.parent is not None and not titled else None
    region = None if home is None or home not in parts else [home, *_subsections(parts, parts.index(home))]
    # a label over prose only ("**Modern Java Strategy:**" closing a topic) sums up its section:
    # it joins nothing outside that section's place
    summary = unit.style in ("bold", "label") and not nodes
    # a step of a procedure, and what stands under one, belongs to that procedure
    own_place = summary or _in_step(unit, units)
    found = _aligned(unit, region if own_place and region is not None else parts, nodes, where, placed.topics, region,
                     placed.family, top=_top(unit, units), over=not nodes and _over(u, units))
    if found is not None and _joins(u, unit, found, placed):
        return found
    placed.own.add(u)
    return _insert(u, unit, units, placed)


def _in_step(unit: Unit, units: list[Unit]) -> bool:
    """Whether a unit belongs to its procedure: a numbered step ("### 3. Execute Tests"), or a
    part of no kind of section (``align.kind``) under a step ("**If all tests pass:**",
    "**Security test (mandatory for every task):**"), which aligns only in its step's place
    (its own section, or the step of its number it joined); a step's hand-offs or checklist
    still go with the others'."""
    if unit.title and align.NUMBERED.match(unit.title):
        return True
    if align.kind(unit.title):
        return False
    while unit.parent is not None:
        unit = units[unit.parent]
        if unit.title and align.NUMBERED.match(unit.title):
            return True
    return False


def _joins(u: int, unit: Unit, found: Part, placed: Placed) -> bool:
    """Whether a unit joins the section it aligned with: not a procedure of other steps."""
    steps = placed.steps.get(u, [])
    return not steps or frozenset((unit.source, found.source)) in placed.related \
        or not _other_procedure(steps, _steps_under(found, placed.parts))


def _steps_under(part: Part, parts: list[Part]) -> list[str]:
    below = _subsections(parts, parts.index(part)) if part in parts else []
    return [sub.title for sub in below if sub.title and align.NUMBERED.match(sub.title)]


def _other_procedure(mine: list[str], theirs: list[str]) -> bool:
    """Whether two sections of two agents (not revisions of one file: ``_home``) hold two
    procedures (``Placed.steps``, ``_steps_under``): numbered steps each, none of one title, numbers aside (wshobson's "### 1. Read
    All Inputs" ... "### 7. Update State" and VoltAgent's "### 1. Quality Analysis" ... "### 3.
    Quality Excellence" read 1, 2, 3, 1, ..., 7 in one section)."""
    def bare(title: str) -> str:
        return align.NUMBERED.sub("", title, count=1)

    return bool(mine and theirs) and not any(align.steps_alike(bare(a), bare(b)) for a in mine for b in theirs)


def _last(units: list[Unit], unit: Unit) -> int:
    """The index of the last unit of the unit's source."""
    return max(i for i, other in enumerate(units) if other.source == unit.source)


def fold_lone_items(parts: list[Part], kin: Callable[[Node], list[Node]] = lambda node: []) -> None:
    """A new section left with one item and nothing else is no section: the item goes where
    most of its source section's other items went (``kin``: the output lines that say them),
    when two or more of them stand at the top of one list (the staff seed's "**Monitoring**:
    ..." goes with its box's performance and security lines to the competencies); else it
    joins the list that holds the item most like it (``LONE_MATCH`` or more,
    ``cluster.similarity``; ``order`` then puts it after that list's own items), else the list
    of the section it was placed after. A numbered step is a section of its procedure, however
    short."""
    for part in parts:
        lists = [b for b in part.blocks if isinstance(b, OutList) and b.nodes]
        if part.from_base or part.near is None or len(lists) != 1 or len(lists[0].nodes) != 1:
            continue
        if align.NUMBERED.match(part.title or ""):
            continue  # a step of a procedure ("### 2. Build Test Checklist"), whatever it holds
        if any(isinstance(b, Prose) for b in part.blocks):
            continue
        lone = lists[0].nodes[0]
        others = [p for p in parts if p is not part]
        target, at = _with_kin(kin(lone), others)
        if target is None:
            target, at = _most_like(lone, others)
        if target is None:
            target = next((b for b in reversed(part.near.blocks) if isinstance(b, OutList) and b.nodes), None)
            at = len(target.nodes) if target is not None else 0
        if target is not None:
            target.nodes.insert(at, lone)
            lists[0].nodes = []


def fold_gutted_groups(parts: list[Part], kin: Callable[[Node], list[Node]], base: int) -> set[int]:
    """A label of another source whose items went mostly to one list elsewhere (each joined a
    line there) is a box taken apart: the items still under it follow them (``kin``: the output
    lines that say the label's items), and the label, heading nothing, goes
    (``merge._emptied_labels``). rshah515's fastapi "Authentication Dependencies:" box: its
    bearer-token and role lines joined the base's "Authentication and security:" list, and its
    token validation and session lines go there too, not under a label of two items in another
    list. Two or more of the label's items, more than half of those that went, stand there, and
    no fewer went than stayed. A step is no box: its title says what it does. Returns the ids
    of the items that moved (each to be weighed against its new list)."""
    bullets = [node for part in parts for block in part.blocks if isinstance(block, OutList) and not block.ordered
               for node in _walk(block.nodes)]
    labels = [node for node in bullets if node.children and node.origin != base and is_label(node.text)]
    moved: set[int] = set()
    for label in labels:
        went = [node for node in kin(label) if node is not label and not under(node, label)]
        if len(went) < len(label.children):
            continue
        target, at = _with_kin(went, parts)
        if target is not None:
            target.nodes[at:at] = label.children
            moved.update(id(node) for node in label.children)
            label.children = []
    return moved


def spread_label_lists(parts: list[Part], family: frozenset[str]) -> set[int]:
    """Another source's list under its own label at the top of a base section with subsections
    (0xfurai's "Focus Areas:" in wshobson's "## Capabilities") says again, item by item, what the
    subsections are about: an item whose words name more of one subsection title's topic words
    than of any other's (``_topic_said``) goes to that subsection's list ("UIKit for complex UI components and
    legacy support" to "### UIKit Integration & Legacy Support"), the others stay under the
    label. Returns the ids of the items that moved (each to be weighed against its new list)."""
    moved: set[int] = set()
    for i, part in enumerate(parts):
        subs = [sub for sub in _subsections(parts, i) if sub.level == part.level + 1 and sub.style == "heading"]
        if not part.from_base or not subs:
            continue
        topics = [align.topic_words(sub.title or "", family) for sub in subs]
        for block in (b for b in part.blocks if isinstance(b, OutList) and b.label and not b.lead_at and not b.ordered):
            for node in list(block.nodes):
                shared = [_topic_said(topic, sub.title or "", node.text) for topic, sub in zip(topics, subs, strict=True)]
                best = max(shared)
                lists = [b for b in subs[shared.index(best)].blocks if isinstance(b, OutList) and not b.ordered
                         and not b.label]
                if best and shared.count(best) == 1 and lists:
                    lists[-1].nodes.append(node)
                    block.nodes.remove(node)
                    moved.add(id(node))
    return moved


def _topic_said(topic: frozenset[str], title: str, text: str) -> int:
    """How many of a title's topic words ``text`` says, each from nearly the same word, when that
    places it: two or more, or the one it opens with ("App lifecycle" is no "### App Store &
    Distribution", "data integrity" no "### Integration and Data Movement", "Designing normalized
    database schemas" no "### Modern Database Systems"; "SwiftUI declarative UI" is "### SwiftUI
    Mastery")."""
    said = topic & words(text)
    if not spelled_alike(title, text, said):
        return 0
    first = next(iter(normalize(text).split()), "")
    return len(said) if len(said) >= 2 or said == topic and words(first) <= said else 0


def _walk(nodes: list[Node]) -> Iterator[Node]:
    """Nodes and their descendants, depth first."""
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _with_kin(kin: list[Node], parts: list[Part]) -> tuple[OutList | None, int]:
    """The unnumbered list at whose top stand two or more of ``kin``, more than half of them,
    and the place after the last of them."""
    mine = {id(node) for node in kin}
    spots = [(block, [n for n, node in enumerate(block.nodes) if id(node) in mine]) for part in parts
             for block in part.blocks if isinstance(block, OutList) and not block.ordered]
    block, places = max(spots, key=lambda spot: len(spot[1]), default=(None, []))
    if block is None or len(places) < 2 or 2 * len(places) <= len(mine):
        return None, 0
    return block, places[-1] + 1


def _most_like(node: Node, parts: list[Part]) -> tuple[OutList | None, int]:
    """The unnumbered top-level list holding the item most like ``node``, and the place after it."""
    spots = [(block, n) for part in parts for block in part.blocks
             if isinstance(block, OutList) and not block.ordered for n in range(len(block.nodes))]
    if not spots:
        return None, 0
    scores = similarity(node.text, [block.nodes[n].text for block, n in spots])
    best = max(range(len(spots)), key=lambda k: (scores[k], -k))
    if scores[best] < LONE_MATCH:
        return None, 0
    block, n = spots[best]
    return block, n + 1


def _is_title(unit: Unit, units: list[Unit]) -> bool:
    """A ``#`` heading that opens its source: the document's title, not a section (a later
    ``#`` heading, "# Steps" of a prompt template, is a section)."""
    if unit.style != "heading" or unit.level != 1 or unit.parent is not None:
        return False
    first = next(other for other in units if other.source == unit.source and other.title is not None)
    return first is unit


def _aligned(unit: Unit, parts: list[Part], nodes: list[Node], where: dict[int, Part],
             topics: dict[str, set[int]], region: list[Part] | None = None,
             family: frozenset[str] = frozenset(), top: bool = False, over: bool = False) -> Part | None:
    """The output section that shares this unit's title kind or most of its items: items joined
    with the section's, or ``Term:`` lines headed by a topic that heads one of its lines
    ("**Context API**: ..." in "React State Architecture" and in "State Management
    Architecture"). ``region``: where the unit's parent section went; outside it, a subsection's
    title counts by its topic words (``align.subsection_score``): "### Core Product
    Development" of "## Integration with Other Agents" is not "Product management checklist:",
    rshah515's "### Core Protocol Implementation Framework" no "## Implementation Workflow",
    its "### Testing Architecture" the base's "Testing:". Hand-offs to other
    agents go only where hand-offs are: rshah515's "**TESTING INTEGRATION**:" (playwright-expert,
    cypress-expert) is not a "Testing:" list. Never a section of the unit's own source.
    A numbered step in its parent's place is the step of its number there, whatever its title
    (``STEP_PLACE``), unless another scores higher: davila7's "### 2. Analysis & Design Phase" is
    VoltAgent's "### 2. Implementation Phase" rewritten; after "### 3. Business Excellence" the
    steps read 1, 2, 3, 2, 3. A ``top`` section (under no other but the title) joins a subsection
    of a heading by the words of the two titles, not by their kind alone: 0xfurai's "## Approach"
    is not rshah515's "### Development Workflow" of "## TypeScript Configuration Excellence".
    A heading ``over`` subsections only has no items to be judged by: the words of its title
    decide, at OVER_TITLE and with two topic words in common (rshah515's "## Error Handling
    Excellence" is wshobson's "### Error Handling & Safety", "## Spring Ecosystem Mastery" the
    "### Spring Framework Ecosystem"; in a database-architect, "## Database Architecture
    Expertise" is no "### Cloud Database Architecture")."""
    best, best_score = None, (ALIGN_MIN, True)
    handing = bool(nodes) and all(is_handoff(node.text) for node in nodes)
    count = Counter(id(where[id(node)]) for node in nodes if id(node) in where)
    count.update(part for node in nodes if id(node) not in where for part in topics.get(topic(node.text), ()))
    inside = None if region is None else {id(part) for part in region}
    levels = [p.level for p in parts if p.style == "heading" and p.level > 1]
    first = min(levels, default=2)
    step_level = min((p.level for p in region or [] if p.title and align.NUMBERED.match(p.title)), default=0)
    for part in parts:
        if part.title is None or (part.level == 1 and part.style == "heading") or part.source == unit.source:
            continue  # a source's two sections are two: wshobson's "### 1. Read All Inputs" is no "## Inputs"
        if handing and not _hands_off(part):
            continue
        shared = count[id(part)]
        content = 100.0 * shared / len(nodes) if nodes else 0.0
        steps = bool(align.NUMBERED.match(unit.title or "") and align.NUMBERED.match(part.title))  # "1. Gather Requirements"
        outside = inside is not None and id(part) not in inside
        if steps and inside is not None and not outside and part.level == step_level \
                and _step_number(unit.title) == _step_number(part.title):  # a step, not a sub-step of one
            title = max(STEP_PLACE, align.title_score(unit.title, part.title, narrowing=False, family=family))
        elif outside and unit.title and not steps:
            title = align.subsection_score(unit.title, part.title, family)
        else:
            title = align.title_score(unit.title, part.title, strict=outside, narrowing=not steps, family=family)
            if top and part.style == "heading" and part.level > first:  # the words must say it too
                title = min(title, align.title_score(unit.title, part.title, strict=outside, narrowing=not steps,
                                                     by_kind=False, family=family))
        score = max(0.6 * content + 0.4 * title, title if title >= 85 else 0.0)
        if over and part.style == "heading" and not steps and not outside:
            by_words = align.title_score(unit.title, part.title, by_kind=False, family=family)
            if by_words >= OVER_TITLE and align.shared_topic(unit.title or "", part.title, family):
                score = max(score, by_words)
        # of two that score alike, the one of the same title ("## Development Workflow" of a
        # revision is the base's, not its "Developer workflows:")
        ranked = (score, _plain_title(unit.title) == _plain_title(part.title))
        if ranked > best_score:
            best, best_score = part, ranked
    return best


def _step_number(title: str | None) -> str:
    found = align.STEP_NUMBER.match(title or "")
    return re.sub(r"\D", "", found.group(0)) if found else ""


def _plain_title(title: str | None) -> str:
    return " ".join(re.findall(r"\w+", (title or "").lower()))


def _hands_off(part: Part) -> bool:
    """Whether a section is where hand-offs go: of the collaboration kind, or holding one."""
    return align.kind(part.title) == "collaboration" or any(is_handoff(node.text) for node in placed_nodes([part]))


def topic(text: str) -> str:
    """The stemmed head of a ``Term: ...`` line ("**Server State**: ..." -> "serve state"), or ''."""
    head = split_term(text)[0]
    return normalize(head) if head else ""


def _insert(u: int, unit: Unit, units: list[Unit], placed: Placed) -> Part:
    """A new section with the unit's own heading, after its nearest placed neighbour: its
    parent section's place, whether the parent kept its own heading or joined another
    section (rshah515's "### Quality & Testing" hand-offs stand after the "Integration with
    other agents:" they came under), else its source's previous section."""
    parts = placed.parts
    up = unit.parent if unit.parent is not None and not _is_title(units[unit.parent], units) else None
    parent = placed.home.get(up) if up is not None else None  # own, or the section it aligned with
    level = _level(_depth(unit, units, placed.own), parts)
    if parent is not None and parent.style == "heading":
        level = min(parent.level + 1, 6)  # under its parent's section, or the one its parent joined
    # in an agent of headings a section is a heading; a bold or plain label under a section of
    # its source ("**Modern Java Strategy:**" closing a topic, "Capture:" in a step) stays one right
    # after that section, where a heading would nest deeper; anywhere else it would read as part
    # of the section before it
    label_under = unit.style in ("bold", "label") and up is not None
    style = "heading" if unit.style == "heading" or (_uses_headings(parts) and not label_under) else unit.style
    part = _new_part(unit, style, level, parent)
    at = _position(u, unit, units, placed, part, parent)
    if part.style in ("bold", "label") and _uses_headings(parts) and not _right_after(parts, at, parent, unit.source):
        part = _new_part(unit, "heading", level, parent)
        at = _position(u, unit, units, placed, part, parent)
    if part.style == "heading" and _labelled(parts, at):
        # a heading placed before the base's labelled lists ("When invoked:") would take them over:
        # it goes past them, and past the sections of other sources already placed there
        while at < len(parts) and parts[at].title is not None and not (parts[at].from_base
                                                                       and parts[at].style == "heading"):
            at += 1
    part.near = parts[at - 1] if at > 0 and parts[at - 1].title is not None else None
    parts.insert(at, part)
    return part


def _right_after(parts: list[Part], at: int, parent: Part | None, source: int) -> bool:
    """Whether a part placed at ``at`` follows ``parent`` itself, or the source's labels right
    after it ("**DRF Strategy:**", then "**Transaction Patterns:**"; "Capture:", then "Report:")."""
    while at > 0 and parts[at - 1] is not parent and parts[at - 1].style in ("bold", "label") \
            and parts[at - 1].source == source:
        at -= 1
    return at > 0 and parts[at - 1] is parent


def _new_part(unit: Unit, style: str, level: int, parent: Part | None) -> Part:
    heading = "#" * level + " " + (unit.title or "") if style == "heading" else unit.heading
    if parent is not None and parent.style in ("label", "bold") and style == "heading":
        # beside the label its parent joined ("Integration with other agents:") or became: a
        # heading under a label would stand under no heading of its level, after every label
        style, heading = "label", f"{(unit.title or '').rstrip(':')}:"
    return Part(unit.title, heading, level if style == "heading" else unit.level, style,
                unit.tight, from_base=False, source=unit.source, opens=_opens(unit) if heading == unit.heading else 0)


def _opens(unit: Unit) -> int:
    """The line of the paragraph that runs on from a unit's label line ("**Language Strategy:**"
    over "Use strict types everywhere. ..." with no blank line between), else 0."""
    first = unit.blocks[0] if unit.blocks else None
    return first.line if unit.tight and isinstance(first, Paragraph) else 0


# kinds of sections that close an agent: another source's go by kind, not after its previous section
LATE = frozenset(("collaboration", "examples", "limits"))


def _closes_source(u: int, unit: Unit, units: list[Unit]) -> bool:
    """Whether a top-level section and every later top-level one of its source (under its "#
    Title", if any) are of closing kinds."""
    tops = [v for v in range(u, _last(units, unit) + 1) if units[v].source == unit.source and _top(units[v], units)]
    return bool(tops) and tops[0] == u and all(_closing(units[v]) for v in tops)


def _top(unit: Unit, units: list[Unit]) -> bool:
    """A titled section at the top of its source, or right under its "# Title"."""
    return unit.title is not None and not _is_title(unit, units) and (
        unit.parent is None or _is_title(units[unit.parent], units))


def _closing(unit: Unit) -> bool:
    """Whether a section is of a kind that closes an agent: a checklist, deliverables ("##
    Output"), hand-offs, examples, limits (``LATE``); not "Testing and Quality Assurance"."""
    title = unit.title or ""
    return align.kind(title) in LATE or bool(align.role(title)) or "checklist" in title.lower()


def _position(u: int, unit: Unit, units: list[Unit], placed: Placed, part: Part, parent: Part | None) -> int:
    """Where a new section goes: after its parent's place, else its source's previous section's
    (never before a section its source put first), else by its kind. The top-level sections
    that close a source, each of a closing kind (``_closing``), go by their kind: 0xfurai's
    Quality Checklist and Output after the base's sections, not after its Approach in the
    middle of the file (a prompt template's "## Examples [optional]" before its "## Notes"
    stays)."""
    parts = placed.parts
    earlier = [v for v in range(u) if v in placed.home and units[v].source == unit.source
               and units[v].title is not None and not _is_title(units[v], units)]
    late = parent is None and _closes_source(u, unit, units)
    anchor = parent if parent is not None else (placed.home[earlier[-1]] if earlier and not late else None)
    if anchor is not None and anchor in parts:
        at = _after(parts, parts.index(anchor), part.level)
    else:
        at = _by_kind(unit, parts, part.level)
        ahead = _ahead(u, unit, units, placed, part.level) if parent is None and not late else None
        at = min(at, ahead) if ahead is not None else at
    own = [parts.index(placed.home[v]) for v in earlier if v in placed.own and placed.home[v] in parts
           and (parent is None or units[v].parent == unit.parent)]
    if own and at <= max(own):  # never before a section its source put first (a sibling, under a parent)
        at = _after(parts, max(own), part.level)
    return at


def _ahead(u: int, unit: Unit, units: list[Unit], placed: Placed, level: int) -> int | None:
    """Before which output section a source's opening section goes: the one the first of its
    source's later top-level sections that aligns will join, though never before the base's
    first section. wshobson's playwright "## Strict Boundaries" and "## Inputs" stand before
    the approach its "## Workflow" joins, not last."""
    for v in range(u + 1, len(units)):
        later = units[v]
        if later.source == unit.source and _top(later, units):  # under a "# Title" too
            found = placed.aligns(v)
            if found is not None and found in placed.parts and found.from_base:  # not inside another source's run
                parts = placed.parts
                return max(_section_start(parts, parts.index(found), level), _after(parts, _sections(parts)[0], level))
    return None


def _sections(parts: list[Part]) -> list[int]:
    """The indexes of the titled parts, a "# Title" aside (it is the agent's, no section)."""
    return [i for i, p in enumerate(parts) if p.title is not None and not (p.level == 1 and p.style == "heading")]


def _section_start(parts: list[Part], at: int, level: int) -> int:
    """Where a section of ``level`` may stand before part ``at``: before the heading of ``level``
    or above that holds it (not between a heading and its subsections), after a title above;
    in an agent of labels, before the label itself."""
    found = at
    while at > 0 and not (parts[at].style == "heading" and parts[at].level <= level):
        at -= 1
    if parts[at].style != "heading":  # an agent of labels: right before the label it joins
        return max(found, 1)
    return at + 1 if parts[at].level < level else max(at, 1)


def _labelled(parts: list[Part], at: int) -> bool:
    """Whether a base section headed by a label, not a heading, stands at ``at``."""
    return at < len(parts) and parts[at].from_base and parts[at].title is not None and parts[at].style != "heading"


def _by_kind(unit: Unit, parts: list[Part], level: int) -> int:
    """Where a section with no placed neighbour goes: after the last of an earlier or equal kind
    (a title of no known kind counts as coming before examples and limits), else before the
    first of a later kind, but never before the base's first section: rshah515's "##
    Communication Style" right after its opening stays there, before 0xfurai's "## Focus Areas"."""
    rank = align.rank(unit.title)
    if rank is None:  # a topic of its own: before the closing kinds (examples, limits)
        rank = align.ORDER.index("collaboration")
    sections = _sections(parts)
    ranked = [i for i in sections if align.rank(parts[i].title) is not None]
    if not ranked:
        return len(parts)
    before = [i for i in ranked if align.rank(parts[i].title) <= rank]  # type: ignore[operator]
    if before:
        return _after(parts, before[-1], level)
    return _after(parts, ranked[0], level) if ranked[0] == sections[0] else ranked[0]  # the base's opening stays first


def _uses_headings(parts: list[Part]) -> bool:
    """Whether the base's sections are ``##`` headings (new sections then are too)."""
    return any(p.from_base and p.style == "heading" and p.level > 1 for p in parts)


def _depth(unit: Unit, units: list[Unit], own: set[int]) -> int:
    """How many enclosing sections of its source became sections of their own in the output."""
    depth, up = 0, unit.parent
    while up is not None:
        depth += up in own and not _is_title(units[up], units)
        up = units[up].parent
    return depth


def _level(depth: int, parts: list[Part]) -> int:
    """The heading level of a new section: the base's top level, one deeper a nesting."""
    levels = [p.level for p in parts if p.from_base and p.style == "heading" and p.level > 1]
    return min((min(levels) if levels else 2) + depth, 6)


def _after(parts: list[Part], i: int, level: int = 7) -> int:
    """The index just past section ``i`` and what stands under it (deeper headings, labels), so
    that a new section at ``level`` neither reverses its siblings nor takes over base sections."""
    limit = min(level, parts[i].level if parts[i].style == "heading" else 7)
    j = i + 1
    while j < len(parts) and parts[j].title is not None and limit < 7 \
            and (parts[j].style != "heading" or parts[j].level > limit):
        j += 1
    return j


def _place_list(block: ListBlock, u: int, unit: Unit, part: Part, placed: Placed, members: list[Member],
                node_of: list[Node], by_unit: dict[int, list[int]], where: dict[int, Part], lead: str = "",
                lead_at: tuple[int, int] | None = None) -> None:
    """Top-level items whose node is anchored here join this section's list; in another
    source's section, a list with a lead-in of its own ("Before writing code:") is a list of its
    own under it (the judge drops the lead-in paragraph where it stood)."""
    lines = {item.line for item in block.items}
    title, home = unit.title, part
    if lead and u not in placed.own and (named := _label_named(placed.parts, part, lead)) is not None:
        part, title, lead = named, named.title, ""  # "Excellence checklist:" over a list: that label's list
    if u in placed.own:
        target = OutList(ordered=block.ordered, loose=block.line in unit.loose,
                         attached=block.line in unit.attached, source=unit.source, start=_start(block))
        part.blocks.append(target)
    else:
        mine = frozenset(id(node_of[i]) for i in by_unit.get(u, []) if members[i].item.line in lines)
        # its steps' terms, and which are only a title (``_same_step``)
        steps = tuple((item.term, not item.detail) for item in block.items if item.term is not None) \
            if block.ordered else ()
        kin = frozenset({unit.source} | {s for pair in placed.related if unit.source in pair for s in pair})
        # a numbered list of principles joins the section's bullets: one "Approach" list, not two
        ordered = block.ordered and not (principle_list(block, unit) and _has_bullets(part))
        target = part.last_list(ordered, block.line in unit.loose, title, mine, lead, steps, kin=kin,
                                lead_at=lead_at if lead else None)
    for i in by_unit.get(u, []):
        node = node_of[i]
        here = part if members[i].item.line in lines else home  # the unit's other lists stand in its home
        where.setdefault(id(node), here)
        if head := topic(node.text):
            placed.topics.setdefault(head, set()).add(id(here))
        if members[i].item.line in lines and members[i].parent is None and node.anchor == i:
            target.nodes.append(node)


def _has_bullets(part: Part) -> bool:
    """Whether a section has a list of bullets another list may join (``Part.last_list``)."""
    return any(isinstance(block, OutList) and not block.ordered and not _led(part.blocks[:n])
               for n, block in enumerate(part.blocks))


def _label_named(parts: list[Part], part: Part, lead: str) -> Part | None:
    """A label among ``part``'s subsections that a lead-in line names: davila7's "Excellence
    checklist:" over its list in a step is the step's "Excellence checklist:" of the base, not a
    second list of that name beside it."""
    region = _subsections(parts, parts.index(part)) if part in parts else []
    name = lead.strip("*: ")
    return next((p for p in region if p.style != "heading" and p.title and align.same_words(p.title, name)), None)


def _nest(members: list[Member], node_of: list[Node]) -> None:
    """Each node anchored at a child item goes under the node of that item's parent."""
    seen: set[int] = set()
    for i, member in enumerate(members):
        node = node_of[i]
        if node.anchor != i or id(node) in seen or member.parent is None:
            continue
        seen.add(id(node))
        parent = node_of[member.parent]
        if parent is not node:
            parent.children.append(node)


# ---- finishing the outline -----------------------------------------------------------------


def without_empty(parts: list[Part]) -> list[Part]:
    """The sections worth a heading: the base's, and others that hold something themselves or
    in the deeper sections that follow them. Another source's empty heading over a single
    deeper section of a title like its own goes, and that section takes its level ("##
    LLM Integration Architecture" over "### LLM Integration Strategy" alone is one heading too
    many); over another topic it frames it ("## Communication Protocol" over "### Graph
    Architecture Discovery", VoltAgent's context query)."""
    kept = []
    for i, part in enumerate(parts):
        below = _subsections(parts, i)
        if not part.from_base and part.is_empty() and len(below) == 1 and not below[0].from_base \
                and align.title_score(part.title, below[0].title) >= LIFT_TITLE:
            _lift(below[0], part.level)
            continue
        if part.from_base or not part.is_empty() or _has_content_below(parts, i):
            kept.append(part)
    return kept


def _subsections(parts: list[Part], i: int) -> list[Part]:
    """The sections under section ``i`` (a heading), up to the next heading of its level or above."""
    if parts[i].style != "heading":
        return []
    found = []
    for part in parts[i + 1:]:
        if part.style == "heading" and part.level <= parts[i].level:
            break
        found.append(part)
    return found


def _lift(part: Part, level: int) -> None:
    """A heading at ``level``, the level of the empty section it stands in for."""
    if part.style == "heading":
        part.level, part.heading = level, "#" * level + " " + (part.title or "")


def _has_content_below(parts: list[Part], i: int) -> bool:
    return any(not part.is_empty() for part in _subsections(parts, i))


def drop_dangling_leads(parts: list[Part], base: int) -> None:
    """Another source's lead-in line ("**Verifying across boundaries:**") whose list went
    elsewhere goes too (the base's own lines all stay)."""
    for part in parts:
        kept: list[OutList | Prose] = []
        for n, block in enumerate(part.blocks):
            following = part.blocks[n + 1] if n + 1 < len(part.blocks) else None
            if _is_lead(block, base) and not _holds(following) and not _introduces(block, following):
                continue
            kept.append(block)
        part.blocks = kept


def _is_lead(block: OutList | Prose, base: int) -> bool:
    """Another source's short line that only introduces a list; a longer one says something of its
    own ("Confirm these with the user as targets rather than assuming fixed thresholds — ...:")."""
    return isinstance(block, Prose) and block.source != base and block.kind == "paragraph" and lead_line(block.text)


def _introduces(lead: OutList | Prose, block: OutList | Prose | None) -> bool:
    """Whether ``block`` is the paragraph right after ``lead`` in its source, which the lead
    introduces: davila7's "Every finding must follow this structure:" over its finding
    template is an instruction, not a list's lead-in."""
    return isinstance(lead, Prose) and isinstance(block, Prose) and block.source == lead.source \
        and 0 < block.line - lead.line <= LEAD_GAP


def _holds(block: OutList | Prose | None) -> bool:
    return isinstance(block, OutList) and bool(block.nodes) or isinstance(block, Prose) and block.kind != "paragraph"


def prune(parts: list[Part], gone: set[int]) -> None:
    """Remove the nodes whose id is in ``gone`` (their children go with them)."""

    def keep(nodes: list[Node]) -> list[Node]:
        kept = [node for node in nodes if id(node) not in gone]
        for node in kept:
            node.children = keep(node.children)
        return kept

    for part in parts:
        for block in part.blocks:
            if isinstance(block, OutList):
                block.nodes = keep(block.nodes)


def order(parts: list[Part], members: list[Member]) -> None:
    """In each list, its own source's items in their order, then others' plain lines by
    support, then their items with bullets of their own (rshah515's box groups, "Traffic
    Management:" over its bullets, not between wshobson's lines); in a
    numbered list (the steps of a procedure) each other step stands where its own procedure
    puts it (``_interleaved``)."""
    for part in parts:
        for block in part.blocks:
            if isinstance(block, OutList):
                # a list another source brought (source -1) is that source's: the first item's
                source = block.source if block.source != -1 or not block.nodes else block.nodes[0].origin
                own = [n for n in block.nodes if n.origin == source]
                others = [n for n in block.nodes if n.origin != source]
                if block.ordered:
                    block.nodes = _interleaved(own, others, members)
                    continue
                rewrites = _rewriting(own, others, source, members)
                follow = [n for n in others if n.origin in rewrites]
                rest = [n for n in others if n.origin not in rewrites]
                block.nodes = _interleaved(own, follow, members) + sorted(rest, key=lambda n: (bool(n.children), -n.support))


def _rewriting(own: list[Node], others: list[Node], source: int, members: list[Member]) -> set[int]:
    """The other sources that wrote this list too: at least ``REWRITE`` of its own items say one
    of theirs, and no fewer than the items they add (with their sub-items). Their other items stand where they wrote
    them (``_interleaved``): davila7's two prompt-engineer reasoning frameworks are one list in
    two orders, and "Conclusion" comes last. rshah515's boxes, which say a few of VoltAgent's
    lines among many of their own, still follow the list."""
    said = Counter(members[m].source for node in own for m in _held(node) if members[m].source != source)
    added = Counter({origin: 0 for origin in {node.origin for node in others}})
    for node in others:
        added[node.origin] += _size(node)
    return {other for other, count in said.items() if count >= max(REWRITE, added[other])}


def _size(node: Node) -> int:
    return 1 + sum(_size(child) for child in node.children)


def _interleaved(own: list[Node], others: list[Node], members: list[Member]) -> list[Node]:
    """Steps of other procedures among a procedure's own: each right after the last step that
    says an earlier line of its source, else right before the first that says a later one, else
    at the end ("Ask the user for the domain" before "Analyze gaps", not after "Deliver")."""
    steps = list(own)
    for node in others:
        line = members[node.anchor].item.line
        held = [_lines_in(step, node.origin, members) for step in steps]
        before = [k for k, lines in enumerate(held) if any(at < line for at in lines)]
        after = [k for k, lines in enumerate(held) if any(at > line for at in lines)]
        at = before[-1] + 1 if before else (after[0] if after else len(steps))
        steps.insert(at, node)
    return steps


def _lines_in(node: Node, source: int, members: list[Member]) -> list[int]:
    """The lines of ``source`` that a node says (its members and the items it absorbed)."""
    return [members[m].item.line for m in _held(node) if members[m].source == source]


def _held(node: Node) -> set[int]:
    """The members a node says: its own and the items it absorbed."""
    return {*node.members, *(m for m, _ in node.absorbed)}


def prose(parts: list[Part], kind: str | None = None) -> list[Prose]:
    """Every prose block of the outline, in order (of ``kind`` only, when given: "paragraph", "code")."""
    return [b for part in parts for b in part.blocks if isinstance(b, Prose) and (kind is None or b.kind == kind)]


def placed_nodes(parts: list[Part]) -> list[Node]:
    """Every node of the outline, depth first, in output order."""
    return [node for node, _ in placed_in(parts)]


def placed_in(parts: list[Part]) -> list[tuple[Node, str]]:
    """Every node of the outline, depth first, in output order, with what it stands under: its
    section's title and its parent item's text ("Versioning" under "API development")."""
    found: list[tuple[Node, str]] = []

    def visit(node: Node, under: str) -> None:
        found.append((node, under))
        for child in node.children:
            visit(child, f"{under} {node.text}")

    for part in parts:
        for block in part.blocks:
            if isinstance(block, OutList):
                for node in block.nodes:
                    visit(node, part.title or "")
    return found


def markdown(parts: list[Part]) -> str:
    """The outline as Markdown: each section's heading, then its blocks, blank lines between."""
    texts = [part_markdown(part) for part in parts]
    return "\n\n".join(text for text in texts if text) + "\n"


def part_markdown(part: Part) -> str:
    """A section as Markdown: its heading line, then its blocks with blank lines between. A
    numbered list whose source went on numbering after a block inside a step (davila7's "2.
    **Check run status:**" after step 1's code) goes on numbering the list before it."""
    written, number = [], 0
    for block in part.blocks:
        begin = number + 1 if isinstance(block, OutList) and block.start > 1 and number else 1
        if markdown := _block_markdown(block, begin):
            written.append((block, markdown))
        if isinstance(block, OutList) and block.ordered and block.nodes:
            number = begin + len(block.nodes) - 1
    text = ""
    for block, markdown in written:
        text += ("\n" if block.attached else "\n\n") + markdown if text else markdown
    if not part.heading:
        return text
    if not text:
        return part.heading
    first = written[0][0]
    own = isinstance(first, Prose) and (first.source, first.line) == (part.source, part.opens)
    runs_on = not part.heading.startswith("#") and not own and (
        isinstance(first, Prose) and first.kind == "paragraph" or isinstance(first, OutList) and bool(first.label))
    # a label over another paragraph would join it; over its own, it does as its source wrote it
    return part.heading + ("\n" if part.tight and not runs_on else "\n\n") + text


def _start(block: ListBlock) -> int:
    number = re.match(r"\d+", block.items[0].marker) if block.ordered and block.items else None
    return int(number.group()) if number else 1


def _block_markdown(block: OutList | Prose, first: int = 1) -> str:
    if isinstance(block, OutList):
        gap = "\n\n" if block.loose else "\n"
        items = gap.join(
            _node_markdown(node, f"{n}." if block.ordered else "-", "") for n, node in enumerate(block.nodes, first)
        )
        return f"{block.label}\n\n{items}" if block.label and items else items
    return block.text


def _node_markdown(node: Node, marker: str, indent: str) -> str:
    """An item and its children: numbered sub-steps keep their numbers ("1. Check the issues"
    under a step), in the order they stand; others are bullets."""
    inner = indent + " " * (len(marker) + 1)
    text = node.text.replace("\n", "\n" + inner)
    lines = [f"{indent}{marker} {text}"]
    steps = 0
    for child in node.children:
        steps += child.numbered
        lines.append(_node_markdown(child, f"{steps}." if child.numbered else "-", inner))
    return "\n".join(lines)
