"""Merge variants of one agent into one: each idea once, none lost, in the sources' structure.

The pipeline, one module a step:

1. ``sources``: every source's sections (units) and list items (members), a box diagram of
   bullets read as a list (``boxes``); the base (``--base``, else the source with most items)
   comes first.
2. ``cluster``: candidate clusters of items that score alike (at most one item a source).
3. ``survivors``: each candidate is split until its richest item covers every member; terms
   of ``Term: a, b`` items are unioned.
4. ``outline``: the base's sections plus every other section that matches none; ``prose``
   decides which paragraphs, code blocks and tables of other sources stay.
5. Here: an item another revision of the same file rewrote keeps one wording (``revisions``),
   items another item says again are dropped, ``absorb`` takes those one line says in other
   words (each keeper takes the sources of what it says), ``--min-support`` applies; a box of
   another source taken apart into the list its items joined is weighed against it again; lists
   are ordered.
6. ``fields``: the frontmatter. ``report``: what came from where; ``conflicts``: where one
   source advises against what another recommends.
7. ``merge_files``: render through the template, read back with the check ``new`` uses, and
   ``coverage`` checks that every source item stands in the result before anything is written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import (
    absorb,
    align,
    conflicts,
    coverage,
    files,
    frontmatter,
    generate,
    outline,
    report,
    revisions,
    templates,
)
from .body import parse_body, split_term
from .cluster import DEFAULT_THRESHOLD, THRESHOLDS, Entry, cluster, normalize, stemmed_words
from .errors import AgentforgeError, LimitError
from .fields import kebab, merge_frontmatter, rename
from .limits import MAX_MERGE_ITEMS
from .model import Agent, Opaque, Paragraph
from .prose import ADDRESSED, ELSEWHERE, ProseJudge
from .render import render
from .sources import Member, Unit, choose_base, members_of, read_units
from .survivors import (
    NEAR_SAYS,
    NEARS,
    NEGATIONS,
    Node,
    Rarity,
    RepeatScores,
    heads,
    information,
    is_label,
    is_step,
    repeats,
    settle,
    under,
    words,
)

__all__ = ["DEFAULT_THRESHOLD", "Merged", "Options", "Result", "kebab", "merge_agents", "merge_files"]

# a negating word and the rest of its clause (``negated``)
NEGATED = re.compile(r"(?i)\b(?:not|never|no|without|avoid(?:ing)?|don't|instead of|rather than)\s+([^,;.:—()]*)")


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line."""

    threshold: float | None = None  # None: the scorer's default (cluster.THRESHOLDS)
    name: str | None = None
    tools: str = "union"  # union | named | intersection | all (``fields.merge_tools``)
    model: str | None = None
    color: str | None = None
    base: int | None = None  # index of the base among the sorted sources
    min_support: int = 1
    max_examples: int = 3
    scorer: str = "lexical"  # lexical | semantic | fused
    embedding_model: str | None = None  # a model folder (else $AGENTFORGE_EMBEDDING_MODEL, else the packaged one)

    @property
    def item_threshold(self) -> float:
        return THRESHOLDS[self.scorer] if self.threshold is None else self.threshold


@dataclass
class Merged:
    """The merge result before rendering."""

    agent: Agent  # the merged agent, the same model every other command uses
    fields: list[tuple[str, Any]]
    body: str
    parts: list[outline.Part]
    report: dict[str, Any]
    members: list[Member]
    said_by: dict[int, str]  # member -> the output text that says it
    items_in: int


def merge_agents(agents: list[Agent], options: Options = Options()) -> Merged:
    """Merge agents (given in a stable order) into one."""
    base, why = choose_base(agents, options.base)
    order = [base, *(i for i in range(len(agents)) if i != base)]
    units = read_units(agents, order)
    members = members_of(units)
    if len(members) > MAX_MERGE_ITEMS:  # clustering would take the square of this in time and memory
        first = members[MAX_MERGE_ITEMS]
        path = agents[first.source].path or f"<source {first.source}>"
        why = f"the sources hold {len(members):,} list items; a merge takes at most {MAX_MERGE_ITEMS:,} (the limit)"
        raise LimitError(why, path, first.item.line)
    embedder = None
    if options.scorer != "lexical":
        from . import embed  # only a semantic merge pays for loading a model

        embedder = embed.load(options.embedding_model).cached()  # each distinct text embedded once a merge
    weight = Rarity([m.item.text for m in members])
    family = align.family_words([a.name for a in agents])
    nodes, node_of = make_nodes(members, units, options.item_threshold, options.scorer, embedder, weight=weight,
                                family=family)
    prose_threshold = DEFAULT_THRESHOLD if options.threshold is None else options.threshold
    judge = _judge(agents, members, units, base, prose_threshold)
    pairs = revisions.revision_pairs(agents, order)
    placed = outline.build(units, members, node_of, base, judge, pairs, family)
    runs = revisions.changes(agents, pairs)
    entries = {(entry["source"], entry["line"]): entry for entry in judge.log}  # the judge's decisions, by place
    _prose_rewrites(placed.parts, revisions.rewritten_prose(runs, _prose_of(units)), entries)
    _invented_figures(placed.parts, entries)
    dropped, disagree = _rewrites(placed.parts, members, node_of, revisions.rewritten(agents, order, runs), weight)
    dropped.update(_drop(placed.parts, members))
    dropped.update(_absorb(placed.parts, base, members, weight, embedder))
    dropped.update(_below(placed.parts, options.min_support))
    dropped.update(_decided(placed.parts, pairs, base))
    moved = outline.fold_gutted_groups(placed.parts, _saying(members, node_of, _final(dropped), _item_of), base)
    dropped.update(_emptied_labels(placed.parts, members))
    outline.fold_lone_items(placed.parts, _saying(members, node_of, _final(dropped), _section_of(members)))
    moved |= outline.spread_label_lists(placed.parts, family)
    if moved:  # a box's items now stand in the list they joined: weighed against it
        dropped.update(_absorb(placed.parts, base, members, weight, embedder, moved))
    dropped.update(_twins(placed.parts))
    outline.drop_dangling_leads(placed.parts, base)
    outline.order(placed.parts, members)
    parts = outline.without_empty(placed.parts)
    dropped = _final(dropped)
    said_by = _said_by(dropped, node_of)
    section_of = {id(node): part.title for part in parts for node in outline.placed_nodes([part])}
    paths = [agent.path or f"<source {i}>" for i, agent in enumerate(agents)]
    data = report.build(paths, [a.name for a in agents], base, why, options.item_threshold, nodes, members,
                        section_of, {k: v for k, (v, _) in dropped.items()}, judge.log)
    copies = frozenset(later for _, later in pairs)  # a later revision of another source: no vote
    fields = merge_frontmatter([agents[i].frontmatter for i in order], options.name, options.tools,
                               options.model, options.color, options.max_examples,
                               frozenset(order.index(k) for k in copies))
    values = {key: ", ".join(value) if isinstance(value, tuple) else value for key, value in fields}
    _say_own_name(parts, agents, values["name"])
    report.add_output(data, nodes, parts, dropped, fields, [a.frontmatter for a in agents], options, copies)
    data["conflicts"] = report.conflicts(conflicts.find(outline.placed_nodes(parts)), nodes, members, paths)
    standing = {id(node) for node in outline.placed_nodes(parts)}
    data["disagreements"] = report.disagreements(
        [d for d in disagree if id(node_of[d[0]]) in standing and id(node_of[d[1]]) in standing],
        nodes, node_of, members, paths)
    body = outline.markdown(parts)
    agent = Agent(frontmatter.build(values), parse_body("\n" + body))
    return Merged(agent, fields, body, parts, data, members, said_by, len(members))


def make_nodes(members: list[Member], units: list[Unit], threshold: float, scorer: str = "lexical",
               embedder: Any = None, near: float | None = None,
               weight: Rarity | None = None, family: frozenset[str] = frozenset()) -> tuple[list[Node], list[Node]]:
    """Candidate clusters settled into nodes; returns the nodes and each member's node.

    ``scorer`` other than lexical needs ``embedder`` (``embed.Embedder``): every item is embedded
    once, the vectors score the candidates and also cover (an item whose cosine with the
    survivor is at least ``near``, default ``NEARS[scorer]``, is said by it, its enumerated
    terms still checked). ``weight``: the members' word weights, when the caller has them."""
    entries = [
        Entry(m.source, m.item.text, m.item.term, m.item.detail, align.role(units[m.unit].title),
              procedure(units[m.unit].title) if is_step(m.item) else "")
        for m in members
    ]
    nodes: list[Node] = []
    node_of: list[Node | None] = [None] * len(members)
    items = [m.item for m in members]
    weight = weight or Rarity([item.text for item in items])
    vectors = embedder.embed([item.text for item in items]) if scorer != "lexical" else None
    close = None
    if vectors is not None:
        cut = NEARS[scorer] if near is None else near

        def close(i: int, j: int) -> bool:
            """Item j says item i in other words: their cosine is at least ``cut``, j keeps i's
            "not" ("Start with requirements, not solutions" is not "Start with the simplest
            solution"), says none of i's words only after a "not" or "without" (``negated``)
            and says NEAR_SAYS of i's words, weighted by rarity; a short item's
            embedding is mostly the word it shares ("VPC security architecture" is not "VPN
            security: ..."), so an item of two words loses none, unless j is a ``Term:`` line
            headed by what it names ("Idempotency guarantees" by "**Idempotency**: ...", not
            "SIEM configuration" by "Configuration review")."""
            mine = words(items[i].text)
            lost = mine - words(items[j].text)
            said = 1 - sum(map(weight, lost)) / max(sum(map(weight, mine)), 1e-9)
            short = len(mine) <= 2 and bool(lost) and not heads(items[j].text, items[i].text)
            return float(vectors[i] @ vectors[j]) >= cut and not lost & NEGATIONS and said >= NEAR_SAYS \
                and not short and not negated(items[j].text) & (mine - negated(items[i].text))

    base = units[0].source if units else 0  # the base's units (and items) come first
    def fits(i: int, head: str) -> bool:
        """Member i stands under no topic, or under one the head names ("Race conditions" under
        "Concurrency issues:" and "**Concurrency Issues**: Race conditions, ..."), or the head
        names one of its words ("Node pools" and "**Node Groups**: Purpose-based node pools")."""
        named = {name[:4] for name in align.topic_words(head, family)}  # "Traces" names "tracing"
        place = _place_words(members[i], members, units, family)  # asked of a few items: not computed for all
        return not place or not named or any(word[:4] in named for word in place | words(items[i].text))

    for group in cluster(entries, threshold, scorer=scorer, vectors=vectors):
        for kept, text, rich in settle(group, items, weight, close, fits):
            anchor = _anchor(kept, rich, members, base)
            node = Node(kept, text, anchor, members[anchor].source, frozenset(members[i].source for i in kept),
                        authors=frozenset(members[i].source for i in kept if items[i].text == text),
                        role=entries[kept[0]].kind, procedure=next((entries[i].procedure for i in kept
                                                                   if entries[i].procedure), ""),
                        numbered=is_step(items[anchor]))
            nodes.append(node)
            for i in kept:
                node_of[i] = node
    nodes.sort(key=lambda node: node.anchor)
    return nodes, node_of  # type: ignore[return-value]


def _place_words(member: Member, members: list[Member], units: list[Unit], family: frozenset[str]) -> frozenset[str]:
    """The topic words of where a member stands: its section's title and its parent's text."""
    place = units[member.unit].title or ""
    if member.parent is not None:
        place += " " + members[member.parent].item.text
    return align.topic_words(place, family)


def _anchor(kept: list[int], rich: int, members: list[Member], base: int) -> int:
    """The member whose place a node takes: the base's (its first), else the richest member's
    when it is a top-level item (kiss's checklist keeps "Check that error handling is
    comprehensive", which the staff seed's "Comprehensive error handling" joined), else the
    earliest. A child anchors a node under its parent; anchoring at the richest child could
    make two nodes each other's parent."""
    if members[kept[0]].source == base or members[rich].parent is not None:
        return kept[0]
    return rich


def procedure(title: str | None) -> str:
    """What a procedure is, for its steps: the kind of its section's title ("Your Approach" and
    "Approach to Problem Solving": one), else its words. Steps of two procedures never join:
    davila7's "Measure before optimizing" is step 1 of its "## Approach", and rshah515's
    "**Measure First**" step 1 of its "## Best Practices"; each keeps its first step."""
    return align.kind(title) or normalize(title or "")


def negated(text: str) -> set[str]:
    """The words a line says only after a "not", "without", "avoid" ... in its clause: "Implements
    explicit error handling without panic/recover" negates *panic*, so it does not say "Panic
    only for programming errors"."""
    plain = re.sub(r"[*_`]", "", text)
    inside = {w for match in NEGATED.finditer(plain) for w in words(match.group(1))}
    return inside - words(NEGATED.sub(" ", plain))


def _judge(agents: list[Agent], members: list[Member], units: list[Unit], base: int, threshold: float) -> ProseJudge:
    last_item: dict[int, int] = {}
    for m in members:
        last_item[m.source] = max(last_item.get(m.source, 0), m.item.line)
    base_units = [u for u in units if u.source == base]
    # its first block but an HTML comment (a credit line before the role statement)
    first = next((b for u in base_units for b in u.blocks if not (isinstance(b, Opaque) and b.kind == "html")), None)
    judge = ProseJudge(base, last_item, threshold, base_opening=isinstance(first, Paragraph),
                       addressed=isinstance(first, Paragraph) and bool(ADDRESSED.match(first.text)))
    judge.base_closing = any(isinstance(b, Paragraph) and judge.is_closing(b, u) for u in base_units for b in u.blocks)
    return judge


def _prose_of(units: list[Unit]) -> dict[revisions.Place, Paragraph | Opaque]:
    """Each paragraph and opaque block of the sources: (source, line) -> block."""
    return {(unit.source, block.line): block for unit in units for block in unit.blocks
            if isinstance(block, Paragraph | Opaque)}


Entries = dict[revisions.Place, dict[str, Any]]  # the prose judge's log entries by (source, line)


def _prose_rewrites(parts: list[outline.Part], pairs: list[tuple[revisions.Place, revisions.Place]],
                    entries: Entries) -> None:
    """Prose two revisions of one file word differently in one place (``revisions``): one
    wording goes (the later's, or the earlier's figures where the later is their template). A
    short line that led into the one that goes goes with it when the one that stays says it
    itself ("Delivery notification (populate only with ...): ..."); else the one that stays
    takes the other's place, under that line. So does one the judge had dropped (a template
    another source wrote, judged a repeat of the base's report). The log says which is which."""
    placed = {(block.source, block.line): block for block in outline.prose(parts)}
    for gone, kept in pairs:
        if gone not in placed or kept not in entries:
            continue
        text = entries[kept]["text"]
        reason = f"rewritten in another revision of this file as: {text[:60]}"
        lead = _lead_of(parts, placed[gone])
        if lead is not None and _says_lead(text, lead.text):
            _drop_blocks(parts, entries, [lead], reason)
            lead = None
        block = placed.pop(gone)
        entries[gone].update(kept=False, reason=reason)
        if kept in placed and lead is None:
            _remove(parts, block)
            continue
        if kept in placed:  # it moves under the line that leads into it
            _remove(parts, placed[kept])
        _stand_in(block, entries[kept])
        placed[kept] = block


def _stand_in(block: outline.Prose, entry: dict[str, Any]) -> None:
    """``block``'s place is the logged block's now (``entry``: its text, source and line), kept."""
    block.text, block.source, block.line = entry["text"], entry["source"], entry["line"]
    entry.update(kept=True)
    entry.pop("reason", None)


def _drop_blocks(parts: list[outline.Part], entries: Entries, blocks: list[outline.Prose], reason: str) -> None:
    """Remove prose blocks from the outline; the log says why."""
    for block in blocks:
        _remove(parts, block)
        entries.get((block.source, block.line), {}).update(kept=False, reason=reason)


# a rule against made-up figures: "Do not insert placeholder or example numbers", "Report actual results"
NO_INVENTED = re.compile(
    r"(?i)\b(?:do not|don't|never)\s+(?:insert|fabricate|invent|make up)\b|\bpopulate only\b"
    r"|\breport(?:ing)?\s+(?:the\s+)?actual\b")
FIGURES = 2  # figures in a paragraph that reports made-up results ("Deployed 12 contracts ... 100% coverage")
JSON_FIGURE = re.compile(r'":\s*"?[+$-]?\d')  # a JSON value that is a figure: "gas_saved": "34%"


@dataclass(frozen=True)
class Rule:
    """A source's paragraph or list item that says not to make up figures."""

    source: int
    text: str


def _invented_figures(parts: list[outline.Part], entries: Entries) -> None:
    """Made-up figures beside another source's rule against them (``NO_INVENTED``: "Do not
    insert placeholder or example numbers", "Never fabricate feature counts", a paragraph or a
    list item): davila7 rewrote
    VoltAgent's example reports so, and side by side they contradict. Reports in prose
    (``_made_up_reports``) and JSON examples (``_made_up_fences``) go, or give way to the
    other source's template."""
    said = [(b.source, b.text) for b in outline.prose(parts, "paragraph")]
    said += [(source, node.text) for node in outline.placed_nodes(parts) for source in sorted(node.sources)]
    rules = [Rule(source, text) for source, text in said if NO_INVENTED.search(text)]
    if rules:
        _made_up_reports(parts, rules, entries)
        _made_up_fences(parts, rules, entries)


def _made_up_reports(parts: list[outline.Part], rules: list[Rule], entries: Entries) -> None:
    """A report of figures under a lead-in ("Delivery notification:" over "Deployed 12 smart
    contracts with 100% test coverage ...") goes where another source's rule begins with the
    lead's first word ("Delivery summary: Report the actual count ..."); an example report in
    quotes ('"Shipped 23 features ..."') goes beside any rule. Its lead-in goes with it when the
    rule says the lead's words itself."""
    for block in outline.prose(parts, "paragraph"):
        if len(revisions.FIGURE.findall(block.text)) < FIGURES or NO_INVENTED.search(block.text):
            continue
        lead = _lead_of(parts, block)
        led = lead is not None or block.text.split("\n", 1)[0].rstrip("*").endswith(":")
        quoted = _quoted_report(block.text)
        rule = next((r for r in rules if r.source != block.source and (quoted or (
            led and _first_word(r.text) == _first_word(lead.text if lead else block.text)))), None)
        if rule is None:
            continue
        goes = [block, lead] if lead is not None and _says_lead(rule.text, _first_word(lead.text)) else [block]
        _drop_blocks(parts, entries, goes, f"figures another source says not to make up: {rule.text[:60]}")


def _made_up_fences(parts: list[outline.Part], rules: list[Rule], entries: Entries) -> None:
    """A JSON example of figures ('"contracts_written": 12, "gas_saved": "34%"') beside another
    source's rule: the template another source wrote of it ('"contracts_written": "<actual
    count from this session>"'), or of a report of the same frame (``_same_frame``), which the
    judge had dropped, takes its place; with none, it goes, and its lead-in line ("Progress
    tracking:") with it."""
    templates = [e for e in entries.values() if not e["kept"] and revisions.PLACEHOLDER.search(e["text"])]
    for block in outline.prose(parts, "code"):
        if len(JSON_FIGURE.findall(block.text)) < FIGURES or all(r.source == block.source for r in rules) \
                or not _report_fence(block.text):
            continue
        template = next((e for e in templates if e["source"] != block.source
                         and (revisions.fills(e["text"], block.text) or _same_frame(e["text"], block.text))), None)
        if template is not None:
            filled = "figures filled in: another source's template of them stands in their place"
            entries.get((block.source, block.line), {}).update(kept=False, reason=filled)
            lead, its_lead = _lead_of(parts, block), _template_lead(parts, entries, template)
            _stand_in(block, template)
            if its_lead is not None:  # the template's lead-in goes with it, in the place of the figures' own
                _remove(parts, its_lead)
                if lead is not None:
                    entries.get((lead.source, lead.line), {}).update(kept=False, reason=filled)
                    lead.text, lead.source, lead.line = its_lead.text, its_lead.source, its_lead.line
                else:
                    _insert_before(parts, block, its_lead)
            continue
        lead = _lead_of(parts, block)
        _drop_blocks(parts, entries, [block] if lead is None else [block, lead],
                     "figures another source says not to make up")


REPORT_FENCE = re.compile(r"\s*(?:`{3,}|~{3,})\s*(?:json\w*(?:\s.*)?)?$", re.IGNORECASE)  # "```json title=r.json" too


def _report_fence(text: str) -> bool:
    """Whether a fence may hold a report of figures: JSON, or no language named. Code in another
    language ("```python" computing a process's efficiency) shows how, it reports nothing."""
    return REPORT_FENCE.match(text.split("\n", 1)[0]) is not None


JSON_KEY = re.compile(r'"(\w+)"\s*:')
FRAME_KEYS = 3  # leading keys two JSON reports share when one is the other's frame ("agent", "status", "progress")


def _same_frame(template: str, text: str) -> bool:
    """Whether a JSON template is the same report as a JSON of figures with other things
    counted: davila7 rewrote VoltAgent's '"accounts_managed": 85' as '"accounts_reviewed":
    "<actual count from this session>"', under the same "agent", "status" and "progress"."""
    keys, their_keys = JSON_KEY.findall(template), JSON_KEY.findall(text)
    frame = keys[:FRAME_KEYS]
    return len(keys) > FRAME_KEYS and frame == their_keys[:FRAME_KEYS] and "agent" in frame  # a report, not JSON-RPC


def _quoted_report(text: str) -> bool:
    """Whether a paragraph is an example report in quotes, after at most a lead-in line."""
    body = text.split("\n", 1)[1] if "\n" in text and text.split("\n", 1)[0].rstrip("*").endswith(":") else text
    return body.lstrip().startswith(('"', "\u201c"))


def _first_word(text: str) -> str:
    found = re.match(r"[\W_]*(\w+)", text)
    return found.group(1).lower() if found else ""


def _template_lead(parts: list[outline.Part], entries: Entries, template: dict[str, Any]) -> outline.Prose | None:
    """The lead-in line ("Progress reporting (populate with actual ...):") of its source's prose
    right before a dropped template, if any: kept, or dropped by the judge only as a lead-in
    whose block stood elsewhere (the template does not; it comes back with it, kept)."""
    before = [e for e in entries.values() if e["source"] == template["source"] and e["line"] < template["line"]]
    if not before:
        return None
    last = max(before, key=lambda e: e["line"])
    if "\n" in last["text"] or not last["text"].rstrip("* ").endswith(":"):
        return None
    if last["kept"]:
        return next((b for b in outline.prose(parts) if (b.source, b.line) == (last["source"], last["line"])), None)
    if last.get("reason") != ELSEWHERE:
        return None
    _stand_in(found := outline.Prose(last["text"], last["source"], last["line"]), last)
    return found


def _insert_before(parts: list[outline.Part], block: outline.Prose, new: outline.Prose) -> None:
    for part in parts:
        if block in part.blocks:
            part.blocks.insert(part.blocks.index(block), new)
            return


def _lead_of(parts: list[outline.Part], block: outline.Prose) -> outline.Prose | None:
    """The short line of the block's own source that leads into it right before it ("Delivery
    notification:"), if any."""
    for part in parts:
        if block in part.blocks:
            at = part.blocks.index(block)
            before = part.blocks[at - 1] if at else None
            if isinstance(before, outline.Prose) and before.source == block.source and before.kind == "paragraph" \
                    and revisions.leads_in(before.text, revisions.LEAD_IN):
                return before
    return None


def _says_lead(text: str, lead: str) -> bool:
    """Whether a block begins with the words of a lead-in line ("Delivery notification" of
    "Delivery notification:"), as words ("Report:" is not "Reporting ...")."""
    words = lead.strip("*: ")
    return bool(words) and re.match(rf"[\W_]*{re.escape(words)}\b", text, re.IGNORECASE) is not None


def _say_own_name(parts: list[outline.Part], agents: list[Agent], name: str) -> None:
    """A source's prose that names that agent itself ('"requesting_agent": "fastapi-developer"'
    in a context query) names the merged agent (``fields.rename``); another agent it names
    (a hand-off, even to another source) stays. List items keep their words: the coverage
    check holds them to their sources'."""
    for block in outline.prose(parts):
        own = agents[block.source].name
        if isinstance(own, str) and own:
            block.text = rename(block.text, [own], name)


def _remove(parts: list[outline.Part], block: outline.Prose) -> None:
    for part in parts:
        part.blocks = [b for b in part.blocks if b is not block]


def _rewrites(parts: list[outline.Part], members: list[Member], node_of: list[Node],
              pairs: dict[revisions.Place, revisions.Place], weight: Rarity
              ) -> tuple[dict[int, tuple[str, Node | None]], list[tuple[int, int, tuple[list[str], list[str]]]]]:
    """Items two revisions of one file word differently in one place (``revisions``): the one
    that says more stays (on a tie, the earlier source's: the base's), and takes the other's
    children and sources ("uv for dependency management, virtual environments, and Python
    version management" over "Poetry for dependency management"). A wording that names a thing
    the other does not ("Black formatting applied", "Ruff formatting applied") stays too: the
    revisions disagree, and the second list returned says so when each of the two lines names a
    thing the other does not (the earlier's member, the later's, and the names of each)."""
    at = {(m.source, m.item.line): i for i, m in enumerate(members)}
    placed = {id(node) for node in outline.placed_nodes(parts)}
    gone: dict[int, tuple[str, Node | None]] = {}
    disagree: list[tuple[int, int, tuple[list[str], list[str]]]] = []
    for node in outline.placed_nodes(parts):
        places = [pairs.get((members[i].source, members[i].item.line)) for i in node.members]
        if not places or None in places or places[0] not in at:
            continue
        keeper = node_of[at[places[0]]]
        if keeper is node or id(keeper) not in placed or id(keeper) in gone or id(node) in gone:
            continue
        if under(keeper, node) or under(node, keeper):
            continue  # an item and its own child: the child would go with it
        earlier, later = at[places[0]], node.members[0]  # the two lines paired as one rewritten
        if information(node.text) > information(keeper.text):
            node, keeper = keeper, node
        if any(weight.must_keep(word) for word in words(node.text) - words(keeper.text)):
            old, new = members[earlier].item.text, members[later].item.text
            names = (_names(old, new, weight), _names(new, old, weight))
            if all(names):  # each line names a thing the other does not: "black", "ruff"
                disagree.append((earlier, later, names))
            continue
        gone[id(node)] = (f"rewritten as: {keeper.text[:80]}", keeper)
        keeper.children.extend(node.children)
        keeper.sources |= node.sources
        node.children = []
    outline.prune(parts, set(gone))
    return gone, disagree


def _names(text: str, other: str, weight: Rarity) -> list[str]:
    """The names of things ``text`` says and ``other`` does not (``Rarity.must_keep``), as
    written; not a manner ("consistently") nor a state ("organized") in lower case (Plotly
    and Spring are names)."""
    found, spelling = [], stemmed_words(text)
    for stem in words(text) - words(other):
        word = spelling.get(stem, stem)
        written = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
        spelled = written.group() if written else word
        if weight.must_keep(stem) and not (spelled.islower() and spelled.endswith(("ly", "ed", "ing"))):
            found.append(spelled)
    return sorted(found)


def _drop(parts: list[outline.Part], members: list[Member]) -> dict[int, tuple[str, Node | None]]:
    """Items another output item says again: id -> (why, keeper); the keeper takes their
    children and their sources (its support). Pass after pass until none is left (a keeper
    may be said again by a richer line; a label that took a richer text may say another; a
    step of a procedure never leaves it for a label's place)."""
    dropped: dict[int, tuple[str, Node | None]] = {}
    scores = RepeatScores()
    while True:
        placed = outline.placed_in(parts)
        nodes = [node for node, _ in placed]
        before = len(dropped)
        for short, long in repeats(nodes, [context for _, context in placed], scores):
            if id(nodes[short]) in dropped or id(nodes[long]) in dropped:
                continue  # one went in this pass already (a label's swap): the next pass weighs it
            if nodes[short].children and not nodes[long].children:  # the label keeps its place
                if is_label(nodes[short].text) and not _heads_same(nodes[long].text, nodes[short].text):
                    continue  # a label's children are no children of a plain line ("Interaction Testing:")
                if is_step(members[nodes[long].anchor].item) and not is_step(members[nodes[short].anchor].item):
                    continue
                if information(nodes[long].text) > information(nodes[short].text):  # else the label says it
                    nodes[short].text, nodes[short].authors = nodes[long].text, nodes[long].authors
                short, long = long, short
            dropped[id(nodes[short])] = (f"said by: {nodes[long].text[:80]}", nodes[long])
            nodes[long].children.extend(nodes[short].children)
            nodes[long].sources |= nodes[short].sources
            nodes[short].children = []
        outline.prune(parts, set(dropped))
        if len(dropped) == before:
            return dropped


def _twins(parts: list[outline.Part]) -> dict[int, tuple[str, Node | None]]:
    """Lines of one text side by side (in one list, or under one parent) are one line, which
    takes the later ones' children and sources: rshah515's database-architect has two "Schema
    Evolution:" boxes, each with "Version control integration"; in one section they are one box
    that says it once. id -> (why, keeper)."""
    gone: dict[int, tuple[str, Node | None]] = {}

    def join(nodes: list[Node]) -> None:
        first: dict[str, Node] = {}
        for node in nodes:
            if node.numbered:  # a procedure may say a step twice ("Run the tests" after each change)
                continue
            keeper = first.setdefault(" ".join(node.text.split()).casefold(), node)
            if keeper is not node:
                keeper.children.extend(node.children)
                keeper.sources |= node.sources
                node.children = []
                gone[id(node)] = (f"said by: {keeper.text[:80]}", keeper)
        for keeper in first.values():
            join(keeper.children)

    for block in (b for part in parts for b in part.blocks if isinstance(b, outline.OutList) and not b.ordered):
        join(block.nodes)
    outline.prune(parts, set(gone))
    return gone


def _decided(parts: list[outline.Part], pairs: list[tuple[int, int]],
             base: int) -> dict[int, tuple[str, Node | None]]:
    """Items another revision of the base's file names and the base advises against ("Recoil
    patterns" beside the base's "Do not recommend Recoil: archived by Meta"): the base decided,
    so the item goes. Any other conflict (between independent agents, or the base recommending
    what a revision advises against) stays for a person to settle. id -> (why, the line that
    advises against it)."""
    linked = {frozenset(pair) for pair in pairs}
    gone: dict[int, tuple[str, Node | None]] = {}
    for found in conflicts.find(outline.placed_nodes(parts)):
        node, against = found.recommends, found.against
        revised = base in against.sources and all(frozenset((s, base)) in linked for s in node.sources)
        if revised and not node.children and id(node) not in gone and id(against) not in gone:
            gone[id(node)] = (f"advised against by another revision of this file: {against.text[:80]}", against)
    outline.prune(parts, set(gone))
    return gone


def _heads_same(line: str, label: str) -> bool:
    """Whether ``line`` is a label too, says just the label's words ("Secret management" for
    "Secret Management:"), or is a ``Term:`` line headed by them ("**Consider the Full Stack**:
    While focused on backend, ..." for "**Consider the Full Stack**:")."""
    head = split_term(line)[0]
    return is_label(line) or words(line) == words(label) or (head is not None and words(head) == words(label))


def _below(parts: list[outline.Part], min_support: int) -> dict[int, tuple[str, Node | None]]:
    """Items said by fewer than ``min_support`` sources (a label stays while it heads one that
    stays): id -> (why, None)."""
    dropped: dict[int, tuple[str, Node | None]] = {
        id(node): (f"support {node.support} below --min-support {min_support}", None)
        for node in outline.placed_nodes(parts) if _support(node) < min_support
    }
    outline.prune(parts, set(dropped))
    return dropped


def _emptied_labels(parts: list[outline.Part], members: list[Member]) -> dict[int, tuple[str, Node | None]]:
    """Labels left heading nothing: every source wrote it over items, and none of them stands
    under it now (said by another line, or dropped): rshah515's "Security Best Practices:" box,
    whose four checks other sources say. A label is no idea of its own, and a label over such a
    label goes too: id -> (why, None)."""
    heads = {m.parent for m in members if m.parent is not None}
    gone: dict[int, tuple[str, Node | None]] = {}
    while found := {id(node) for node in outline.placed_nodes(parts) if not node.children and is_label(node.text)
                    and all(i in heads for i in node.members)}:
        gone.update((key, ("a label left heading nothing", None)) for key in found)
        outline.prune(parts, found)
    return gone


def _support(node: Node) -> int:
    """A node's support, or that of its best supported descendant (a label stays while it heads
    an item that stays)."""
    return max([node.support, *(_support(child) for child in node.children)])


def _absorb(parts: list[outline.Part], base: int, members: list[Member], weight: Rarity,
            embedder: Any = None, only: set[int] | None = None) -> dict[int, tuple[str, Node | None]]:
    """Items of other sources that the output already says in other words (see ``absorb``)."""
    placed = outline.placed_in(parts)
    gone = absorb.absorbed([node for node, _ in placed], base, [m.item for m in members], weight,
                           embedder.embed if embedder is not None else None,
                           {id(node): under for node, under in placed}, only)
    outline.prune(parts, set(gone))
    return {key: (f"said in other words by: {keeper.text[:80]}", keeper) for key, keeper in gone.items()}


def _final(dropped: dict[int, tuple[str, Node | None]]) -> dict[int, tuple[str, Node | None]]:
    """Each reason naming the line that says the item in the output: a keeper that went later
    (into a richer line, another revision's wording) hands its items on."""
    final: dict[int, tuple[str, Node | None]] = {}
    for key, (why, keeper) in dropped.items():
        seen: set[int] = set()
        while keeper is not None and id(keeper) in dropped and id(keeper) not in seen:
            seen.add(id(keeper))
            keeper = dropped[id(keeper)][1]
        final[key] = (f"{why.split(': ', 1)[0]}: {keeper.text[:80]}", keeper) if keeper is not None else (why, None)
    return final


def _saying(members: list[Member], node_of: list[Node], dropped: dict[int, tuple[str, Node | None]],
            which: Callable[[Node, Member], bool]) -> Callable[[Node], list[Node]]:
    """For a node, the output lines that say the members ``which`` picks for it, other than its
    own (``dropped`` names each item's final keeper: ``_final``)."""
    def saying(node: Node) -> list[Node]:
        found = (_keeper(node_of[i], dropped) for i, m in enumerate(members) if i not in node.members and which(node, m))
        return [keeper for keeper in found if keeper is not None and keeper is not node]
    return saying


def _section_of(members: list[Member]) -> Callable[[Node, Member], bool]:
    """Whether a member is a top-level item of a node's section."""
    return lambda node, m: m.parent is None and m.unit == members[node.anchor].unit


def _item_of(node: Node, m: Member) -> bool:
    """Whether a member is an item under a node's (a label's) line in its source."""
    return m.parent == node.anchor


def _said_by(dropped: dict[int, tuple[str, Node | None]], node_of: list[Node]) -> dict[int, str]:
    """For each member still represented, the output text that says it (``dropped`` names
    each item's final keeper: ``_final``)."""
    said: dict[int, str] = {}
    for i, node in enumerate(node_of):
        keeper = _keeper(node, dropped)
        if keeper is not None:
            said[i] = keeper.text
    return said


def _keeper(node: Node, dropped: dict[int, tuple[str, Node | None]]) -> Node | None:
    """The output line that says a node: itself, or the keeper ``dropped`` names (None: gone)."""
    return dropped[id(node)][1] if id(node) in dropped else node


# ---- the whole job: files in, checked text out ---------------------------------------------


@dataclass(frozen=True)
class Result:
    """A rendered merge, already read back and checked, with its report and figures."""

    text: str
    report: dict[str, Any]
    summary: str


def load_sources(paths: list[Any], skip_invalid: bool = False,
                 warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> list[Agent]:
    """The agents of the given files and folders, sorted by path; a bad file fails the merge
    (or, with ``skip_invalid``, is named and skipped)."""
    sources = sorted(files.find_agents(paths))
    if not sources:
        raise AgentforgeError("no agent files (*.md) found", ", ".join(map(str, paths)))
    agents = []
    for path in sources:
        try:
            agents.append(files.load(path))
        except AgentforgeError as error:
            if not skip_invalid:
                raise
            warn(f"skip {error}")
    if not agents:
        raise AgentforgeError("no source could be read", ", ".join(map(str, paths)))
    return agents


def base_index(agents: list[Agent], base: Path | None) -> int | None:
    """The index of ``--base`` among the sources, or None."""
    if base is None:
        return None
    wanted = Path(base).resolve()
    for i, agent in enumerate(agents):
        if agent.path and Path(agent.path).resolve() == wanted:
            return i
    raise AgentforgeError("--base is not one of the sources", str(base))


def merge_files(paths: list[Any], options: Options = Options(), template: str = "merge",
                skip_invalid: bool = False, base: Path | None = None) -> Result:
    """Load the sources, merge, render through the template, read back and check."""
    agents = load_sources(paths, skip_invalid)
    if base is not None:
        options = Options(**{**options.__dict__, "base": base_index(agents, base)})
    merged = merge_agents(agents, options)
    path = templates.find(template)
    text = render(path, context(merged), templates.include_dirs())
    generate.check(text, merged.agent, str(path))
    coverage.check(merged.agent.body, merged.members, merged.said_by, [a.path or "<source>" for a in agents])
    return Result(text, merged.report, report.summary(merged.report, merged.items_in))


def context(merged: Merged) -> dict[str, Any]:
    """What a merge template sees: what a ``new`` template sees (``agent``, ``fields``, ``body``,
    ``name``, ``description``), the sections as Markdown, and the report."""
    sections = [{"title": p.title, "heading": p.heading, "markdown": outline.part_markdown(p)}
                for p in merged.parts]
    return {**generate.context(merged.agent), "report": merged.report,
            "sections": [s for s in sections if s["markdown"]]}
