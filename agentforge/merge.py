"""Merge variants of one agent into one: align sections, cluster items, choose what survives.

The source with the most list items is the base: its sections, prose and order are the
skeleton. Every item of every source joins exactly one cluster (see ``cluster``); a cluster
stands where its earliest member stands (base first). A section of another source is aligned
to the output section that shares its title kind or most of its clusters, or else inserted
after the section its predecessor went to. Each cluster keeps the words of its earliest member
unless another says clearly more (half as many distinct words again); ``Term: a, b, c``
members are merged into one union of their terms. Prose that repeats kept prose is dropped and listed in the
report; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from . import align, files, templates
from .cluster import DEFAULT_THRESHOLD, Entry, cluster, normalize, similarity
from .document import loads
from .errors import AgentforgeError, WriteError
from .frontmatter import comparable
from .model import Agent, Block, Example, Item, ListBlock, Section, all_items
from .render import render

ALIGN_MIN = 45.0


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line."""

    threshold: float = DEFAULT_THRESHOLD
    name: str | None = None
    tools: str = "union"  # union | intersection
    model: str | None = None
    color: str | None = None


@dataclass
class Unit:
    """The blocks under one heading (or the intro) of one source."""

    source: int
    title: str | None
    heading: str
    level: int
    style: str
    blocks: tuple[Block, ...]
    tight: bool
    loose: frozenset[int] = frozenset()
    parent: int | None = None  # index of the enclosing section's unit in the same source
    attached: frozenset[int] = frozenset()  # lines of blocks with no blank line before them


@dataclass
class Member:
    """A list item of a source, with the unit it stands in and its parent member."""

    source: int
    unit: int
    item: Item
    parent: int | None


@dataclass
class Node:
    """An output item: a cluster's representative text and its child clusters."""

    cluster: int
    text: str
    children: list[Node] = field(default_factory=list)


@dataclass
class OutSection:
    """An output section: its heading line and blocks (lists of nodes, paragraphs, opaque)."""

    title: str | None
    heading: str
    level: int
    style: str
    tight: bool = False
    blocks: list[Any] = field(default_factory=list)
    from_base: bool = True

    def is_empty(self) -> bool:
        return all(isinstance(b, OutList) and not b.nodes for b in self.blocks)

    def last_list(self, ordered: bool = False, loose: bool = False) -> OutList:
        """The section's last list, or a new one shaped like the source list (numbered or not)."""
        for block in reversed(self.blocks):
            if isinstance(block, OutList):
                return block
        self.blocks.append(OutList(ordered=ordered, loose=loose))
        return self.blocks[-1]


@dataclass
class OutList:
    """An output list: top-level nodes, numbered or not, blank lines between items or not."""

    nodes: list[Node] = field(default_factory=list)
    ordered: bool = False
    loose: bool = False
    attached: bool = False


@dataclass
class Prose:
    """A paragraph or opaque block of a source, kept as it is."""

    text: str
    attached: bool = False


@dataclass
class Merged:
    """The merge result: frontmatter fields, output sections, report, figures."""

    fields: list[tuple[str, Any]]
    sections: list[OutSection]
    report: dict[str, Any]
    items_in: int
    items_out: int


def merge_agents(agents: list[Agent], options: Options = Options()) -> Merged:
    """Merge agents (given in a stable order) into one."""
    return _Merger(agents, options).run()


# ---- reading sources into units and members -----------------------------------------------


def units_of(agent: Agent, source: int) -> list[Unit]:
    """The intro and every section of an agent, in source order."""
    lines = agent.body.text.split("\n")
    intro = agent.body.intro
    first_line = agent.body.line
    units = [Unit(source, None, "", 0, "intro", intro, False, _loose_lists(intro, lines, first_line),
                  attached=_attached(intro, lines, first_line))]

    def visit(section: Section, parent: int | None) -> None:
        heading = lines[section.line - agent.body.line].rstrip("\r").strip()
        first = section.blocks[0].line if section.blocks else 0
        loose = _loose_lists(section.blocks, lines, agent.body.line)
        attached = _attached(section.blocks[1:], lines, first_line)
        units.append(Unit(source, section.title, heading, section.level, section.style, section.blocks,
                          first == section.line + 1, loose, parent, attached))
        me = len(units) - 1
        for sub in section.sections:
            visit(sub, me)

    for section in agent.body.sections:
        visit(section, None)
    return units


def _loose_lists(blocks: tuple[Block, ...], lines: list[str], first: int) -> frozenset[int]:
    """Lines of the lists in ``blocks`` that have blank lines between their top-level items."""
    loose = set()
    for block in blocks:
        if isinstance(block, ListBlock) and len(block.items) > 1:
            span = lines[block.line - first : block.items[-1].line - first]
            if any(not line.strip() for line in span):
                loose.add(block.line)
    return frozenset(loose)


def _attached(blocks: tuple[Block, ...], lines: list[str], first: int) -> frozenset[int]:
    """Lines of the blocks that follow the line before them with no blank line between."""
    return frozenset(b.line for b in blocks if b.line - first > 0 and lines[b.line - first - 1].strip())


def members_of(units: list[Unit]) -> list[Member]:
    """Every list item of every unit, depth first, with the index of its parent member."""
    members: list[Member] = []

    def visit(item: Item, unit: int, parent: int | None) -> None:
        members.append(Member(units[unit].source, unit, item, parent))
        me = len(members) - 1
        for child in item.children:
            visit(child, unit, me)

    for index, unit in enumerate(units):
        for block in unit.blocks:
            if isinstance(block, ListBlock):
                for item in block.items:
                    visit(item, index, None)
    return members


# ---- choosing what survives ---------------------------------------------------------------


def information(text: str) -> int:
    """How much a text says: its number of distinct stemmed words."""
    return len(set(normalize(text).split()))


def most_informative(texts: list[str]) -> int:
    """Index of the most informative text; ties go to the earliest."""
    return max(range(len(texts)), key=lambda i: (information(texts[i]), -i))


def union_text(rep: Item, items: list[Item]) -> str:
    """The representative's text with its ``Term: a, b`` list widened to every member's terms.

    The representative's own terms all stay; another member's term is added unless a kept
    term already says it: holds all its words, or nearly the same words (token sort ratio of
    90 or more). So "containerization" is covered by "containerization (Docker)", while
    "Azure Key Vault" is not covered by "Vault".
    """
    start = rep.text.rfind(rep.detail) if rep.terms else -1
    if start < 0:
        return rep.text
    kept = list(rep.terms)
    offered = [bare for item in items for term in item.terms for bare in _bare_terms(term)]
    for term in offered:
        if not any(_covers(bare, term) for other in kept for bare in _bare_terms(other)):
            kept.append(term)
    if len(kept) == len(rep.terms):
        return rep.text
    return rep.text[:start] + ", ".join(kept)


def _covers(kept: str, term: str) -> bool:
    kept_words, words = normalize(kept), normalize(term)
    return set(words.split()) <= set(kept_words.split()) or fuzz.token_sort_ratio(kept_words, words) >= 90


def _bare_terms(term: str) -> list[str]:
    """A term without a lead-in ("Expert in Java" -> "Java"), split at semicolons."""
    parts = [part.strip() for part in term.split(";")]
    return [re.sub(r"(?i)^.*\b(?:in|of|with|including|like|such as)\s+", "", part) for part in parts if part]


# ---- the merge ---------------------------------------------------------------------------


class _Merger:
    """The state of one merge; each step is one short method."""

    def __init__(self, agents: list[Agent], options: Options):
        self.agents, self.options = agents, options
        self.base = max(range(len(agents)), key=lambda i: (len(all_items(agents[i].body)), -i))
        self.order = [self.base, *(i for i in range(len(agents)) if i != self.base)]
        self.units: list[Unit] = []
        for i in self.order:
            offset = len(self.units)
            for unit in units_of(agents[i], i):
                parent = None if unit.parent is None else unit.parent + offset
                self.units.append(replace(unit, parent=parent))
        self.members = members_of(self.units)
        self.index = {(m.unit, m.item.line): i for i, m in enumerate(self.members)}
        self.by_unit: dict[int, list[int]] = {}
        for i, m in enumerate(self.members):
            self.by_unit.setdefault(m.unit, []).append(i)
        self.sections: list[OutSection] = []
        self.home: dict[int, OutSection] = {}  # unit index -> output section
        self.prose_log: list[dict[str, Any]] = []
        self.closing: list[Prose] = []

    def run(self) -> Merged:
        entries = [
            Entry(m.source, m.item.text, m.item.term, m.item.detail, align.kind(self.units[m.unit].title))
            for m in self.members
        ]
        self.groups = cluster(entries, self.options.threshold)
        self.group_of = {i: g for g, group in enumerate(self.groups) for i in group}
        self.nodes = [self._node(group) for group in self.groups]
        self.section_of: dict[int, OutSection] = {}
        self.last_item = {s: max((m.item.line for m in self.members if m.source == s), default=0)
                          for s in self.order}
        for u, unit in enumerate(self.units):
            self._place_unit(u, unit)
        self._nest_children()
        if self.closing:
            self.sections[-1].blocks.extend(self.closing)
        self.sections = [s for s in self.sections if s.from_base or not s.is_empty()]
        fields = merge_frontmatter([self.agents[i].frontmatter for i in self.order], self.options)
        return Merged(fields, self.sections, self._report(), len(self.members), len(self.groups))

    def _node(self, group: list[int]) -> Node:
        """The cluster's earliest member keeps its words (the base's voice and structure)
        unless another says clearly more: half as many distinct words again."""
        items = [self.members[i].item for i in group]
        rep = items[0]
        richest = items[most_informative([item.text for item in items])]
        if information(richest.text) >= 1.5 * information(rep.text) and not rep.children:
            rep = richest
        return Node(self.group_of[group[0]], union_text(rep, items))

    def _place_unit(self, u: int, unit: Unit) -> None:
        if unit.source == self.base:
            section = OutSection(unit.title, unit.heading, unit.level, unit.style, unit.tight)
            self.sections.append(section)
        else:
            parent = self.home.get(unit.parent) if unit.parent is not None else None
            section = self._aligned(u, unit) or parent or self._insert(unit)
        self.home[u] = section
        for block in unit.blocks:
            if isinstance(block, ListBlock):
                self._place_list(block, u, section)
            else:
                self._place_prose(block, unit, section)

    def _place_list(self, block: ListBlock, u: int, section: OutSection) -> None:
        """Top-level items whose cluster is not placed yet join this section's list."""
        unit = self.units[u]
        if unit.source == self.base:
            target = OutList(ordered=block.ordered, loose=block.line in unit.loose,
                             attached=block.line in unit.attached)
            section.blocks.append(target)
        else:
            target = section.last_list(block.ordered, block.line in unit.loose)
        for item in block.items:
            g = self.group_of[self.index[(u, item.line)]]
            if g not in self.section_of and not self._is_child(g):
                self.section_of[g] = section
                target.nodes.append(self.nodes[g])
        for i in self.by_unit.get(u, []):
            self.section_of.setdefault(self.group_of[i], section)

    def _is_child(self, g: int) -> bool:
        return self._parent(g) is not None

    def _parent(self, g: int) -> int | None:
        """The cluster of the parent of this cluster's earliest member that has one."""
        anchor = self.groups[g][0]
        parent = self.members[anchor].parent
        if parent is None:
            return None
        found = self.group_of[parent]
        return found if found != g else None

    def _nest_children(self) -> None:
        for g in range(len(self.groups)):
            parent = self._parent(g)
            if parent is not None:
                self.nodes[parent].children.append(self.nodes[g])

    def _aligned(self, u: int, unit: Unit) -> OutSection | None:
        """The output section that shares this unit's title kind or most of its clusters."""
        mine = {self.group_of[i] for i in self.by_unit.get(u, [])}
        best, best_score = None, ALIGN_MIN
        for section in self.sections:
            if (section.title is None) != (unit.title is None):
                continue
            if section.title is None:
                return section
            shared = sum(1 for g in mine if self.section_of.get(g) is section)
            content = 100.0 * shared / len(mine) if mine else 0.0
            title = align.title_score(unit.title, section.title)
            score = max(0.6 * content + 0.4 * title, title if title >= 85 else 0.0)
            if score > best_score:
                best, best_score = section, score
        return best

    def _insert(self, unit: Unit) -> OutSection:
        """A new section, placed by its kind, else after its predecessor's section."""
        top = next((s for s in self.sections if s.title is not None), None)
        if top is None:
            section = OutSection(unit.title, unit.heading, unit.level, unit.style, unit.tight, from_base=False)
        else:
            heading = _heading(unit.title or "", top)
            section = OutSection(unit.title, heading, top.level, top.style, top.tight, from_base=False)
        self.sections.insert(self._slot(unit), section)
        return section

    def _slot(self, unit: Unit) -> int:
        """Where a new section goes: after the last section of an earlier or equal kind."""
        rank = align.rank(unit.title)
        ranked = [i for i, s in enumerate(self.sections) if align.rank(s.title) is not None]
        if rank is not None and ranked:
            before = [i for i in ranked if align.rank(self.sections[i].title) <= rank]
            return self._after(before[-1]) if before else ranked[0]
        earlier = [self.home[u] for u in self.home if self.units[u].source == unit.source]
        return self._after(self.sections.index(earlier[-1])) if earlier else len(self.sections)

    def _after(self, i: int) -> int:
        """The index just past section ``i`` and the sections nested under it."""
        j = i + 1
        while j < len(self.sections) and i > 0 and self.sections[j].level > self.sections[i].level:
            j += 1
        return j

    def _place_prose(self, block: Block, unit: Unit, section: OutSection) -> None:
        """Base prose stays in place; other prose is kept unless it repeats kept prose."""
        entry: dict[str, Any] = {"source": unit.source, "line": block.line, "text": block.text}
        if unit.source != self.base:
            reason = self._why_drop(block, unit)
            if reason:
                self.prose_log.append({**entry, "kept": False, "reason": reason})
                return
        self.prose_log.append({**entry, "kept": True})
        closing = unit.source != self.base and block.line > self.last_item[unit.source]
        prose = Prose(block.text, unit.source == self.base and block.line in unit.attached)
        (self.closing if closing else section.blocks).append(prose)

    def _why_drop(self, block: Block, unit: Unit) -> str | None:
        text = block.text
        if text.rstrip().endswith(":") and len(text) < 80:
            return "lead-in to a list that stands elsewhere in the output"
        if unit.title is None and block is unit.blocks[0] and self._base_opening():
            return "opening role statement: the base's opening is kept"
        kept = [p["text"] for p in self.prose_log if p["kept"]]
        if not kept:
            return None
        score = similarity(text, kept)
        best = int(score.argmax())
        if score[best] >= self.options.threshold:
            return f"repeats kept prose (score {score[best]:.0f}): {kept[best][:60]}"
        return None

    def _base_opening(self) -> bool:
        intro = self.units[0].blocks
        return bool(intro) and not isinstance(intro[0], ListBlock)

    def _report(self) -> dict[str, Any]:
        paths = [agent.path or f"<source {i}>" for i, agent in enumerate(self.agents)]
        clusters = []
        for g, group in enumerate(self.groups):
            section = self.section_of.get(g)
            clusters.append({
                "id": g + 1,
                "section": section.title if section else None,
                "representative": self.nodes[g].text,
                "members": [
                    {"source": paths[self.members[i].source], "line": self.members[i].item.line,
                     "text": self.members[i].item.text}
                    for i in group
                ],
            })
        return {
            "sources": [{"path": paths[i], "name": agent.name} for i, agent in enumerate(self.agents)],
            "base": paths[self.base],
            "threshold": self.options.threshold,
            "clusters": clusters,
            "prose": [{**p, "source": paths[p["source"]]} for p in self.prose_log],
        }


def _heading(title: str, like: OutSection) -> str:
    """A heading line for ``title`` in the style of ``like``."""
    if like.style == "heading":
        return "#" * like.level + " " + title
    if like.style == "bold":
        return f"**{title}:**"
    return f"{title}:"


# ---- frontmatter --------------------------------------------------------------------------


def kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def merge_frontmatter(frontmatters: list, options: Options) -> list[tuple[str, Any]]:
    """Name, description, tools, model, color and other keys, in the base's key order."""
    names = [kebab(fm.name) for fm in frontmatters if fm.name]
    name = options.name or most_common(names)
    old_names = sorted({fm.name for fm in frontmatters if fm.name}, key=len, reverse=True)
    values: dict[str, Any] = {
        "name": name,
        "description": rename(merge_description(frontmatters), old_names, name),
        "tools": merge_tools([fm.tools for fm in frontmatters], options.tools),
        "model": options.model,
        "color": options.color,
    }
    for key in dict.fromkeys(k for fm in frontmatters for k in fm.keys):
        if values.get(key) is None and key != "tools":
            values[key] = most_common([fm.get(key) for fm in frontmatters if fm.get(key) is not None])
    order = [*frontmatters[0].keys, *values]
    return [(key, values[key]) for key in dict.fromkeys(order) if values.get(key) is not None]


def most_common(values: list[Any]) -> Any:
    """The most frequent value; ties go to the earliest."""
    if not values:
        return None
    counts = Counter(repr(v) for v in values)
    return max(values, key=lambda v: (counts[repr(v)], -values.index(v)))


def merge_tools(lists: list[tuple[str, ...] | None], mode: str) -> tuple[str, ...] | None:
    """Union or intersection; no list means every tool, so it widens a union to all."""
    given = [tools for tools in lists if tools is not None]
    if mode == "intersection":
        return tuple(t for t in given[0] if all(t in other for other in given[1:])) if given else None
    if len(given) < len(lists):
        return None
    return tuple(dict.fromkeys(t for tools in given for t in tools))


def rename(text: str, old_names: list[str], name: str | None) -> str:
    """Source agent names (in examples: "use the backend-specialist agent") as the new name."""
    if not name or not old_names:
        return text
    pattern = "|".join(re.escape(old) for old in old_names)
    return re.sub(rf"(?<![\w-])(?:{pattern})(?![\w-])", name, text)


def merge_description(frontmatters: list) -> str:
    """Prose sentences clustered and kept once, then the examples without repeats."""
    descriptions = [fm.description for fm in frontmatters if fm.description]
    if len({d.text for d in descriptions}) == 1:
        return descriptions[0].text
    sentences = [
        Entry(s, sentence.strip())
        for s, d in enumerate(descriptions)
        for sentence in re.split(r"(?<=[.!?])\s+", d.prose)
        if sentence.strip()
    ]
    prose = " ".join(_keep_once(sentences))
    examples = [e for d in descriptions for e in d.examples]
    keys = [Entry(i, f"{e.context} {e.user}") for i, e in enumerate(examples)]
    kept = [examples[min(group)] for group in cluster(keys)] if keys else []
    if not kept:
        return prose
    return prose + " Examples:\n\n" + "\n\n".join(render_example(e) for e in kept)


def _keep_once(entries: list[Entry]) -> list[str]:
    """One text per cluster (the most informative), in order of first appearance."""
    if not entries:
        return []
    texts = []
    for group in cluster(entries):
        members = [entries[i].text for i in group]
        texts.append(members[most_informative(members)])
    return texts


def render_example(example: Example) -> str:
    """An example in the ``<example>`` form Claude Code's own agents use."""
    parts = ["<example>"]
    if example.context:
        parts.append(f"Context: {example.context}")
    if example.user:
        parts.append(f"user: {_quoted(example.user)}")
    if example.assistant:
        parts.append(f"assistant: {_quoted(example.assistant)}")
    if example.commentary:
        parts.append(f"<commentary>{example.commentary}</commentary>")
    parts.append("</example>")
    return "\n".join(parts)


# ---- what the template sees ---------------------------------------------------------------


def context(merged: Merged) -> dict[str, Any]:
    """The template context: frontmatter fields and sections, each also as Markdown."""
    sections = [
        {"title": s.title, "heading": s.heading, "markdown": section_markdown(s)} for s in merged.sections
    ]
    return {"fields": merged.fields, "sections": [s for s in sections if s["markdown"]], "report": merged.report}


def section_markdown(section: OutSection) -> str:
    """A section as Markdown: its heading line, then its blocks with blank lines between."""
    text = ""
    for block in section.blocks:
        markdown = _block_markdown(block)
        if markdown:
            text += ("\n" if block.attached else "\n\n") + markdown if text else markdown
    if not section.heading:
        return text
    if not text:
        return section.heading
    return section.heading + ("\n" if section.tight else "\n\n") + text


def _block_markdown(block: Any) -> str:
    if isinstance(block, OutList):
        gap = "\n\n" if block.loose else "\n"
        return gap.join(
            _node_markdown(node, f"{n}." if block.ordered else "-", "") for n, node in enumerate(block.nodes, 1)
        )
    return block.text


def _node_markdown(node: Node, marker: str, indent: str) -> str:
    inner = indent + " " * (len(marker) + 1)
    text = node.text.replace("\n", "\n" + inner)
    lines = [f"{indent}{marker} {text}"]
    lines.extend(_node_markdown(child, "-", inner) for child in node.children)
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return text if '"' in text else f'"{text}"'


# ---- the whole job: files in, checked text out ---------------------------------------------


@dataclass(frozen=True)
class Result:
    """A rendered merge, already read back, with its report and figures."""

    text: str
    report: dict[str, Any]
    summary: str


def merge_files(paths: list[Any], options: Options = Options(), template: str = "merge") -> Result:
    """Load the sources, merge, render through the template and read the result back."""
    sources = sorted(files.find_agents(paths))
    if not sources:
        raise AgentforgeError("no agent files (*.md) found", ", ".join(map(str, paths)))
    merged = merge_agents([files.load(path) for path in sources], options)
    text = render(templates.find(template), context(merged), templates.include_dirs())
    try:
        agent = loads(text, "<merged>")
    except AgentforgeError as error:
        raise WriteError(f"the merged agent would not read back: {error}") from None
    if agent.frontmatter.fallback is not None:
        raise WriteError(f"the merged agent is not strict YAML: {agent.frontmatter.fallback.reason}")
    for key, value in merged.fields:
        if comparable(agent.frontmatter.get(key)) != value:
            raise WriteError(f"the merged agent would not read back: '{key}' would change")
    joined = sum(1 for c in merged.report["clusters"] if len(c["members"]) > 1)
    summary = (
        f"merged {_count(len(sources), 'source')}: {_count(merged.items_in, 'item')} in, "
        f"{merged.items_out} out ({_count(joined, 'cluster')} joined "
        f"{_count(merged.items_in - merged.items_out + joined, 'item')})"
    )
    return Result(text, merged.report, summary)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"
