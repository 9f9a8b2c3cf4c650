"""Items another source says in other words, already said by one output line: they go.

Clustering joins items that score alike as wholes; an item of another source may still say
nothing new because one line of the output already says it, in more words or in another
order: "Choose the simplest solution that meets all requirements" beside "Start with the
simplest solution that meets requirements". Such an item is *absorbed* by that line when

- the line says at least ``LINE`` of the item's words, each weighted by its rarity (a missing
  "GDPR" counts for much more than a missing "design"), and at least two of them, or all but
  filler ("Dependency injection system" by "Dependency injection mechanisms in FastAPI");
- like goes into like: a hand-off to another agent only into a hand-off, a ``Term:`` item only
  into one with the same term, a label with children only into a label or an item with
  children (which takes the children, each then weighed on its own);
- every enumerated term of the item stands in the output, or the line takes it on (at most
  ``MAX_TERMS`` words: "Testing strategies (unit, integration, load)" becomes "... load, e2e)").

Items are taken in the order of the sources, the base's first: the base's items all stay, a
later source's item goes when an earlier one says it. A short label of another source whose
children all went goes too. The report names the line that says each absorbed item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from . import align
from .body import split_term
from .cluster import is_handoff, normalize, same_role
from .model import Item
from .survivors import (
    HEAD_FILLER,
    NEAR_SAYS,
    NEGATIONS,
    NO_KIND,
    TERM_FILLER,
    Node,
    Rarity,
    Weight,
    is_label,
    is_step,
    loses,
    narrower,
    other_procedures,
    parenthesised,
    recognisable,
    said_together,
    says_term,
    says_terms,
    stems,
    sub_items,
    term_words,
    under,
    widen,
    words,
    wrote_both,
)

LINE = 0.7  # share of an item's weighted words that the line absorbing it must say
MAX_TERMS = 3  # words of enumerated terms an absorbed item may add to the line that says it
HEAD_SAME = 90.0  # token_sort_ratio of two ``Term:`` heads that name the same thing
NEAR = 0.8  # cosine of two items' embeddings at which one says the other (semantic scorers)
COMMON = 0.2  # a word in more than this share of the lines finds no candidate line by itself
LEAD_WORDS = 4  # a label of at most this many words only heads its children
MAX_LIST_TERMS = 10  # words a list may take on from a list of the same kind of things
SHARED = 2  # things a list must already name of another of its kind to take the rest
LEFTOVER = 1  # words a list may say besides its head and things and still join another list
HEADED_WORDS = 4  # words of a plain item that a Term line's head may say for it


def absorbed(nodes: list[Node], base: int, items: list[Item], weight: Weight,
             embed: Callable[[list[str]], Any] | None = None, places: dict[int, str] | None = None,
             only: set[int] | None = None) -> dict[int, Node]:
    """id(node) -> the kept node that says it, for each node the output already says.

    ``nodes`` are the placed nodes; ``items`` the members' items (for their enumerated terms).
    ``embed`` (the semantic scorers: texts -> unit vectors) finds a second kind of keeper: a
    line whose meaning is within ``NEAR`` cosine, like the item and sharing a word with it.
    A keeper may grow: it takes the terms, children and sources (support) of what it absorbs.
    ``places``: what each node stands under (``outline.placed_in``): a sub-item goes only into a
    line of its own group (rshah515's playwright "Performance Benefits:" keeps "Parallel test
    execution", though an approach line says "Parallelize tests"). ``only``: the ids of the
    nodes to weigh (the others stay, as lines that may say them); as always, a node goes only
    into a line before it (base first, then by anchor), never the other way."""
    nested = sub_items(nodes)

    def apart(node: Node, keeper: Node) -> bool:
        return places is not None and id(node) in nested and places.get(id(node)) != places.get(id(keeper)) \
            and not under(node, keeper)

    order = sorted(nodes, key=lambda n: (base not in n.sources, n.anchor))
    vectors = embed([node.text for node in order]) if embed is not None and order else None
    kept: list[Node] = []
    kept_vectors: Any = None if vectors is None else np.empty_like(vectors)  # row k: kept[k]'s vector
    index: dict[str, list[int]] = defaultdict(list)  # word -> kept nodes that say it
    text = ""
    gone: dict[int, Node] = {}
    for at, node in enumerate(order):
        mine = words(node.text)
        judged = base not in node.sources and (only is None or id(node) in only)
        keeper = _keeper(node, items, kept, index, weight, len(nodes)) if judged else None
        limit = MAX_TERMS
        if keeper is None and judged:
            keeper = _headed(node, kept, index, len(nodes))
        if keeper is None and judged:
            keeper, limit = _same_list(node, kept, index, len(nodes)), MAX_LIST_TERMS
        if keeper is not None and not recognisable(keeper.text, node.text):
            keeper = None
        if keeper is not None and is_step(items[node.anchor]) != is_step(items[keeper.anchor]):
            keeper = None  # a step of a procedure goes only into a step
        if keeper is not None and (not _may_go(node, keeper) or apart(node, keeper)):
            keeper = None
        if keeper is None and vectors is not None and kept and judged:
            # einsum, not BLAS: a few hundred small products, which BLAS threads slow tenfold on a busy machine
            cosines = np.einsum("ij,j->i", kept_vectors[: len(kept)], vectors[at])
            keeper, limit = _nearest(node, cosines, kept, weight), MAX_TERMS
            if keeper is not None and (not _may_go(node, keeper) or apart(node, keeper)):
                keeper = None
        if keeper is not None and _take_terms(keeper, node, items, text, limit):
            gone[id(node)] = keeper
            keeper.sources |= node.sources
            keeper.children.extend(node.children)
            node.children = []
            continue
        for word in mine:
            index[word].append(len(kept))
        kept.append(node)
        if vectors is not None:
            kept_vectors[len(kept) - 1] = vectors[at]
        text += "\n" + node.text
    if only is None:
        _later_lists(kept, base, items, index, len(nodes), gone)
        _titled_steps(kept, base, items, gone)
    for node in kept:  # a lead-in whose children all went (into another line still kept)
        if base not in node.sources and node.children and all(id(c) in gone for c in node.children) \
                and len(words(node.text)) <= LEAD_WORDS:
            keeper = gone[id(node.children[0])]
            if keeper is not node and id(keeper) not in gone:
                gone[id(node)] = keeper
    return gone


def _may_go(node: Node, keeper: Node) -> bool:
    """Whether ``node`` may go into ``keeper`` at all: not into its own descendant, nor into a
    line its own sources also wrote, in another place (rshah515's "Performance Optimization:"
    of two boxes, each over its own bullets), nor into a line of another role (``Node.role``),
    nor a step into a step of another procedure (``Node.procedure``)."""
    if under(keeper, node) or node.role != keeper.role or other_procedures(node, keeper):
        return False
    return under(node, keeper) or not wrote_both(node, keeper)


def _later_lists(kept: list[Node], base: int, items: list[Item], index: dict[str, list[int]], lines: int,
                 gone: dict[int, Node]) -> None:
    """A list of another source may also join a list of a wider kind that came after it
    ("Python frameworks (Django, FastAPI, Flask)" before "Framework Expertise: Django, ...")."""
    for node in kept:
        if base in node.sources or node.children or id(node) in gone:
            continue
        def skip(other: Node, node: Node = node) -> bool:
            return other is node or id(other) in gone

        keeper = _same_list(node, kept, index, lines, skip)
        if keeper is None or not recognisable(keeper.text, node.text):
            continue
        text = "\n".join(other.text for other in kept if other is not node and id(other) not in gone)
        if _take_terms(keeper, node, items, text, MAX_LIST_TERMS):
            gone[id(node)] = keeper
            keeper.sources |= node.sources


def _titled_steps(kept: list[Node], base: int, items: list[Item], gone: dict[int, Node]) -> None:
    """A step that is only a title over its children ("2. **Design for Scale**" over four
    bullets) is another agent's step titled alike ("**Design for Scalability**: You architect
    solutions ..."): one step, with the other's words and both steps' children. It stands where
    the titled step stood when that one is the base's, else where the other stands."""
    steps = [node for node in kept if id(node) not in gone and is_step(items[node.anchor])]
    for node in steps:
        term, detail, _ = split_term(node.text)
        if not term or detail or not node.children or id(node) in gone:
            continue
        other = next((other for other in steps if other is not node and id(other) not in gone
                      and _titled_alike(term, other.text) and _may_go(node, other)
                      and not under(node, other) and not under(other, node)), None)
        if other is None:
            continue
        keeper, goes = (node, other) if base in node.sources else (other, node)
        if keeper is node:
            node.text, node.authors = other.text, other.authors
        gone[id(goes)] = keeper
        keeper.sources |= goes.sources
        keeper.children.extend(goes.children)
        goes.children = []


def _titled_alike(term: str, text: str) -> bool:
    other = split_term(text)[0]
    return other is not None and align.steps_alike(term, other)


def _keeper(node: Node, items: list[Item], kept: list[Node], index: dict[str, list[int]],
            weight: Weight, lines: int) -> Node | None:
    """The kept node like ``node`` that says most of its words, if it says LINE of them.

    The words of the node's enumerated terms are left out when two or more others remain:
    a keeper may take terms on (``_take_terms``)."""
    mine = words(node.text)
    listed = set() if is_handoff(node.text) else term_words([items[i] for i in node.members])
    core = mine - listed  # a hand-off's "**With X**: a, b" says what to do with X, not a list
    mine = core if len(core) >= 2 else mine
    total = sum(weight(w) for w in mine)
    candidates = _candidates(mine, index, lines)
    best, best_score = None, LINE * total
    for k in sorted(candidates):
        shared = mine & words(kept[k].text)
        score = sum(weight(w) for w in shared)
        if len(mine - shared) == 1 and mine - shared <= TERM_FILLER and _in_a_run(node.text, kept[k].text):
            score = total  # "Dependency injection *system*": no idea unsaid (two, "design system", name one)
        if score >= best_score and len(shared) >= 2 and _alike(node, kept[k]):
            best, best_score = kept[k], score + 1e-9
    if best is not None and isinstance(weight, Rarity) and any(weight.must_keep(w) for w in mine - words(best.text)):
        return None  # a name ("Cython", "uv"): an idea of its own
    if best is not None and not node.children and narrower(best.text, node.text):
        return None  # a lead-in is weighed by its own rule (``_alike``)
    if best is not None and (loses(node.text, best.text, listed) or not said_together(node.text, best.text, True)):
        return None
    return best


def _in_a_run(text: str, line: str) -> bool:
    """Whether ``line`` says the words of ``text`` it says as one run, in their order: "User
    access reviews" does not say "Review access patterns", nor "Memory profiling for
    optimization" "Memory management and optimization techniques" (another word stands where
    the filler stood)."""
    said = stems(line)
    run = [word for word in stems(text) if word in said]
    return any(said[k:k + len(run)] == run for k in range(len(said) - len(run) + 1))


def _headed(node: Node, kept: list[Node], index: dict[str, list[int]], lines: int) -> Node | None:
    """A kept ``Term: ...`` line whose term names all that a short plain item says: "Temporal
    API adoption" is said by "**Temporal API**: dates and times without Date's pitfalls"."""
    if node.children or is_label(node.text) or split_term(node.text)[0] or len(words(node.text)) > HEADED_WORDS:
        return None
    mine = words(node.text) - NO_KIND
    for k in sorted(_candidates(mine, index, lines)):
        head = split_term(kept[k].text)[0]
        if mine and head and mine <= words(head) and _alike(node, kept[k]):
            return kept[k]
    return None


def _candidates(mine: set[str], index: dict[str, list[int]], lines: int) -> set[int]:
    """The kept lines that say one of ``mine``'s words, a word said by more than ``COMMON`` of
    the lines (or 3) finding none by itself."""
    return {k for word in mine for k in index.get(word, ()) if len(index[word]) <= max(COMMON * lines, 3)}


@lru_cache(maxsize=4096)
def enumeration(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A line that lists things: the words of what it lists (its ``Term:`` head, or what stands
    before its parenthesis) and the things, "Database Systems: SQL, NoSQL" or "Database
    technologies (PostgreSQL, MySQL)"; no things for any other line."""
    head, _, terms = split_term(text)
    if head and len(terms) >= 2:
        return frozenset(words(head) - HEAD_FILLER), terms
    listed = parenthesised(text)
    if len(listed) >= 2:
        return frozenset(words(text[: text.index("(")]) - HEAD_FILLER), tuple(listed)
    return frozenset(), ()


def _same_list(node: Node, kept: list[Node], index: dict[str, list[int]], lines: int,
               skip: Callable[[Node], bool] = lambda other: False) -> Node | None:
    """A kept line that lists the same kind of things as ``node`` or a wider kind: the node
    says every word of its head, at least two of the node's things are listed there, and the
    node says at most ``LEFTOVER`` words that line does not, besides its things ("Python
    frameworks (Django, FastAPI, Flask)" joins "Framework Expertise: Express, Django,
    FastAPI, ...", which takes Flask; "Message queues and event streaming (RabbitMQ, Kafka)"
    does not join "Message Queues: Kafka, RabbitMQ": *event streaming* would be lost)."""
    head, things = enumeration(node.text)
    if not head or not things:
        return None
    said_things = set().union(*(words(thing) for thing in things))
    mine = words(node.text) - HEAD_FILLER
    for k in sorted(_candidates(mine, index, lines)):
        other = kept[k]
        if skip(other):
            continue
        other_head, other_things = enumeration(other.text)
        if not other_head or not other_head <= mine or not _alike(node, other, heads=False):
            continue  # the other lists a narrower kind ("Python frameworks" is not "Frameworks")
        shared = sum(any(says_term(a, t) or says_term(t, a) for a in other_things) for t in things)
        if shared >= SHARED and len(mine - said_things - words(other.text)) <= LEFTOVER:
            return other
    return None


def _nearest(node: Node, cosines: Any, kept: list[Node], weight: Weight) -> Node | None:
    """The kept node closest in meaning to ``node``, if within NEAR, alike and saying at least
    NEAR_SAYS of its words, weighted by rarity ("Compliance evidence automated" is not
    "Compliance status")."""
    mine = words(node.text)
    total = max(sum(map(weight, mine)), 1e-9)
    near = np.asarray(cosines, dtype=np.float64)
    for k in sorted(np.flatnonzero(near >= NEAR).tolist(), key=lambda k: (-float(near[k]), k)):
        said = sum(map(weight, mine & words(kept[k].text))) / total
        if said >= NEAR_SAYS and mine & words(kept[k].text) and _alike(node, kept[k]):
            return kept[k]
    return None


def _alike(node: Node, keeper: Node, heads: bool = True) -> bool:
    """Like goes into like: what says "not" only into what says it too; a hand-off to another
    agent into a hand-off, an example prompt in quotes into one in quotes, a ``Term:`` item into
    one with the same term ("Context Managers" is not "Async Context Managers"; a lead-in may
    name fewer words), a label or an item with children into a label or an item with children."""
    if not same_role(node.text, keeper.text):
        return False
    if (words(node.text) & NEGATIONS) - words(keeper.text):
        return False
    if (node.children or is_label(node.text)) and not (keeper.children or is_label(keeper.text)):
        return False
    head, other = split_term(node.text)[0], split_term(keeper.text)[0]
    if not (heads and head and other):
        return True
    head, other = normalize(head), normalize(other)
    if node.children and set(head.split()) <= set(other.split()):
        return True  # a lead-in names what its children are about: "Understand the Context"
    return fuzz.token_sort_ratio(head, other) >= HEAD_SAME


def _take_terms(keeper: Node, node: Node, items: list[Item], text: str, limit: int = MAX_TERMS) -> bool:
    """Whether the output says every enumerated term of the node's members, once the keeper
    names those it lacks (at most ``limit`` words; the keeper's text grows)."""
    members = [items[i] for i in node.members]
    if all(says_terms(text, item) for item in members):
        return True
    wider = widen(keeper.text, members)
    if wider == keeper.text or len(words(wider) - words(keeper.text)) > limit:
        return False
    if not all(says_terms(wider, item) or says_terms(text, item) for item in members):
        return False
    keeper.text = wider
    return True
