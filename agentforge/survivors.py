"""What a cluster of items says in the output: its survivor, the union of its terms, its support.

A cluster (see ``cluster``) is a candidate: items that score alike. An item is folded into the
survivor only when the survivor *covers* it, that is says at least three quarters of its words
once its terms are added; an item that is not covered is not lost through a wrong join, it
stands on its own. The survivor is the richest item (the most distinct words), and
``Term: a, b, c`` survivors take every member's terms, de-duplicated fuzzily.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process, utils

from .body import split_term
from .cluster import (
    STEM,
    STOP_WORDS,
    blocks,
    handed_to,
    handoff_topic,
    headed,
    normalize,
    same_name,
    same_role,
    singular,
    sole_sources,
    spelled_alike,
    stemmed_words,
    topical,
    workers_for,
)
from .model import Item

COVER = 0.65  # share of an item's words (weighted by rarity) the survivor must say
# stems of words that add no idea to a term: "RESTful services" says what "RESTful APIs" says
TERM_FILLER = frozenset("servi desig imple strat patte manag techn pract suppo syste tools setup".split())
# stems that say a line is a list or a topic, not what it is about ("Database Design", "Framework Expertise")
HEAD_FILLER = TERM_FILLER | frozenset("devel exper knowl skill archi both".split())
HEAD_MATCH = 50.0  # token_set_ratio of two Term heads whose lists may be one union
SIZE = 0.34  # a shorter item folds into a richer one only from a third of its size
# cosine at which the semantic scorers take an item as said by its survivor (chosen with THRESHOLDS)
NEARS = {"semantic": 0.60, "fused": 0.60}
NEAR_SAYS = 0.4  # ... when the survivor still says this share of the item's words (weighted by rarity)
NEGATIONS = frozenset("not never no without avoid don".split())  # a word that turns what an item says
RECOGNISE = 62.0  # token_set_ratio of a line and an item it stands for (unstemmed words)
REPEAT = 95.0  # token_set_ratio at which one output item says another again
# word stems that carry no idea of their own ("ensure proper handling of X" says X)
GENERIC = frozenset(
    "ensur imple provi prope appro effec make follo apply also good best thoro compr robus advan moder "
    "clear".split()
)
# stems that tell no kind of thing apart beside another word ("Go 1.21+ *language* features")
NO_KIND = TERM_FILLER | frozenset("langu featu proje appli devel adopt usage under maste".split())


@dataclass
class Node:
    """An output item: the members it stands for, its text, where it stands, its children."""

    members: list[int]
    text: str
    anchor: int  # the member whose place in the outline it takes (``merge._anchor``)
    origin: int  # the anchor's source
    sources: frozenset[int]
    children: list[Node] = field(default_factory=list)
    absorbed: list[tuple[int, str]] = field(default_factory=list)  # (member, why)
    authors: frozenset[int] = frozenset()  # the sources that say its text word for word
    role: str = ""  # its section's role (``align.role``): a deliverable says no line of another role
    procedure: str = ""  # a step's procedure (``merge.procedure``): a step says no step of another
    numbered: bool = False  # its anchor is a numbered item: under a parent it is a numbered sub-step

    @property
    def support(self) -> int:
        return len(self.sources)


def other_procedures(node: Node, other: Node) -> bool:
    """Whether two nodes are steps of two procedures, which never say each other."""
    return bool(node.procedure and other.procedure and node.procedure != other.procedure)


def under(node: Node, ancestor: Node) -> bool:
    """Whether ``node`` stands somewhere under ``ancestor`` (an item never goes into its own
    child: the child would go with it)."""
    return any(child is node or under(node, child) for child in ancestor.children)


def wrote_both(node: Node, other: Node) -> bool:
    """Whether a source that wrote ``node`` word for word also wrote ``other``: it said both, in
    two places, and neither goes into the other, though another source wrote one of them too
    (davila7's qa-expert: "Risk assessment" in its strategy, "Risk assessment identifies ..." in
    its checklist; VoltAgent's strategy says the first)."""
    return bool(node.authors & other.authors)


def stems(text: str) -> list[str]:
    """The stemmed words of a text that carry an idea, in their order."""
    return list(_stems(text))


@lru_cache(maxsize=8192)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(word for word in normalize(text).split() if word not in GENERIC)


def words(text: str) -> set[str]:
    """The stemmed words of a text that carry an idea."""
    return set(_stems(text))


def covers(survivor: str, text: str, weight: Weight | None = None) -> bool:
    """Whether ``survivor`` says what ``text`` says: at least COVER of its words, each word
    weighted by how rare it is among the items merged (a missing "GDPR" weighs more than a
    missing "design"), and every name of a thing it says (``Rarity.must_keep``)."""
    mine = words(text)
    if not mine:
        return True
    if (mine & NEGATIONS) - words(survivor):  # "Start with requirements, not solutions"
        return False
    weigh = weight or (lambda word: 1.0)
    lost = mine - words(survivor)
    if isinstance(weight, Rarity) and any(weight.must_keep(w) for w in lost):
        return False  # a name ("Cython", "uv"): an idea of its own
    missing = sum(weigh(w) for w in lost)
    return missing <= (1 - COVER) * sum(weigh(w) for w in mine)


Weight = Callable[[str], float]


class Rarity:
    """A word's weight: its inverse document frequency over the texts merged (log(N / df), at
    least 1); and the words no item may lose (``must_keep``): the names of things (see
    ``names``)."""

    def __init__(self, texts: list[str]):
        self.df = Counter(w for text in texts for w in words(text))
        self.n = max(len(texts), 1)
        self.named = names(texts, self.df)

    def __call__(self, word: str) -> float:
        if not self.df[word]:
            return math.log(self.n) or 1.0
        return max(1.0, math.log(self.n / self.df[word]))

    def must_keep(self, word: str) -> bool:
        return word in self.named


NAMED, NAMED_SHARE = 2, 0.02  # a list entry said by at most this many items, or this share, is a name
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#._/-]*")


def names(texts: list[str], df: Counter[str] | None = None) -> set[str]:
    """The stems of the things the texts name: a one-word entry of a ``Term: a, b`` list, of a
    parenthesised list or in backticks that is written with an inner capital, a digit or a
    sign somewhere (*NumPy*, *AWS*, *e2e*, *C#*), or that few texts say (``NAMED``, ``NAMED_SHARE``) (*uv*, *pyright*, *Cython*, *NumPy*, *e2e*;
    not *unit* or *encryption*, which many lines say); and a word capitalised inside a
    clause (not at its start, not in a Title Case line) that is never written in lower case."""
    entries: set[str] = set()
    capitalised: set[str] = set()
    lower: set[str] = set()
    styled: set[str] = set()
    for text in texts:
        plain = re.sub(r"[*_]", "", text)
        parts = parenthesised(plain)
        parts += re.findall(r"`([^`]+)`", plain)
        head, _, terms = split_term(plain)
        parts += list(terms) if head else []
        entries |= {part.strip().lower() for part in parts if len(TOKEN.findall(part)) == 1}
        tokens = TOKEN.findall(plain)
        lower |= {t for t in tokens if t.islower()}
        styled |= {t.lower() for t in tokens if not t.isalpha() or any(c.isupper() for c in t[1:])}
        if sum(t[:1].isupper() for t in tokens) * 2 < len(tokens):  # not Title Case
            for clause in re.split(r"[:;.!?(—]|\s-\s", plain):
                capitalised |= {t.lower() for t in TOKEN.findall(clause)[1:] if any(c.isupper() for c in t)}
    df = df if df is not None else Counter(w for text in texts for w in words(text))
    rare = max(NAMED, NAMED_SHARE * len(texts))
    found = {w for entry in entries for w in words(entry) if entry in styled or df[w] <= rare}
    return found | {w for token in capitalised - lower for w in words(token)}


def says_terms(text: str, item: Item) -> bool:
    """Whether ``text`` says every enumerated term of ``item`` (see ``says_term``), each in one
    of its lines ("continuous verification" is not said by one line with "continuous" and
    another with "verification"): its ``Term: a, b`` list and the lists in its parentheses,
    "SQL (MySQL, Oracle)"."""
    listed = [bare for k, term in enumerate(item.terms) for bare in _bare_terms(term, k == 0)]
    listed += parenthesised(item.text)
    if not listed:
        return True
    lines = text.split("\n")
    return all(any(says_term(line, term) for line in _mentioning(lines, term)) for term in listed)


def _mentioning(lines: list[str], term: str) -> list[str]:
    """The lines that hold the first word of ``term`` (the only ones that may say it)."""
    first = next(iter(_plain(term).split()), "")
    return [line for line in lines if first in line.lower()] if first else lines


def narrower(line: str, text: str) -> bool:
    """Whether ``line`` is about something narrower than ``text``: its ``Term:`` head names what
    ``text`` does not ("Observer Pattern: using weak references" does not say "Weak references
    for caches"). Used by ``absorb``; inside a cluster (``settle``) it would split candidates
    into worse pairs (measured on the labelled pairs: three wrong joins more on the seeds)."""
    head = split_term(line)[0]
    return head is not None and bool(words(head) - HEAD_FILLER - words(text))


# where one phrase of a line ends and the next begins: punctuation and linking words
PHRASE_BREAK = re.compile(
    r"[,;:()\[\]/\u2013\u2014]|\s-\s|\b(?:and|or|for|with|in|of|on|at|to|via|by|from|into|across|without)\b",
    re.IGNORECASE)
CONTEXT_WORDS = 1  # an item of this many words (unstemmed) means what it stands under says ("Versioning")
SPAN = 2  # words a phrase of an item may have between its own where a line repeats it


def phrases(text: str) -> list[list[str]]:
    """The runs of stemmed words that carry an idea, between punctuation and linking words:
    "Federated learning for distributed model training" -> [feder, learn], [distr, model, train]."""
    runs = [stems(part) for part in PHRASE_BREAK.split(text)]
    return [run for run in runs if run]


def _beside(run: list[str], k: int, said: set[str]) -> bool:
    return any(run[j] in said for j in (k - 1, k + 1) if 0 <= j < len(run))


def loses(text: str, line: str, taken: set[str] | None = None) -> bool:
    """Whether ``line``, standing for ``text``, would lose a word that matters:

    - a whole phrase of it after the first ("Include error handling, logging, and
      *validation*"); the first phrase is what to do and whom to, weighed word by word below;
    - a word right beside a shared one in a phrase, which tells which kind of thing the shared
      one is ("Verify *security* best practices" is not said by "Verify that the code follows
      best practices", nor "*Zero-day* response procedures" by "Response procedures"), the
      text's very first word aside (what to do: "Choose", "Use") unless it is an adjective
      ("*Analytical* query performance" is not said by "Query patterns").

    The words of ``taken`` (terms the line takes on) count as said."""
    said = words(line) | (taken or set())
    runs = phrases(text)
    if any(set(run) - NO_KIND and not set(run) & said for run in runs[1:]):  # after the first: what to do
        return True
    first = (0, 0) if not ADJECTIVE.match(text.lstrip("*_` ")) else None
    return any(word not in said and word not in NO_KIND and _beside(run, k, said)
               for r, run in enumerate(runs) for k, word in enumerate(run) if (r, k) != first)


# a first word that names a kind of thing, not what to do: "Analytical", "Dynamic", "Serverless"
ADJECTIVE = re.compile(r"(?!(?:en|dis)able\b|reveal\b|signal\b|deal\b|panic\b|install\b|seal\b|heal\b)"
                       r"[A-Za-z-]+(?:al|ic|ous|ful|less|able|ible|ary)\b", re.IGNORECASE)


def recognisable(line: str, text: str) -> bool:
    """Whether a reader finds ``text`` in ``line`` by its own words, unstemmed: rapidfuzz's
    ``token_set_ratio`` of at least ``RECOGNISE`` ("Version management" is not found in "API
    Versioning: Managing type evolution", though their stems match)."""
    return fuzz.token_set_ratio(_plain_case(line), _plain_case(text)) >= RECOGNISE


def _plain_case(text: str) -> str:
    return utils.default_process(re.sub(r"[*_`]", "", text))


def is_label(text: str) -> bool:
    """A line such as ``**Frontend:**`` or ``Always check that:`` that heads its children."""
    return text.replace("*", "").rstrip().endswith(":")


def information(text: str) -> int:
    """How much a text says: its number of distinct stemmed words."""
    return len(set(normalize(text).split()))


def settle(group: list[int], items: list[Item], weight: Weight | None = None,
           near: Callable[[int, int], bool] | None = None,
           fits: Callable[[int, str], bool] | None = None) -> list[tuple[list[int], str, int]]:
    """Split a candidate cluster into groups whose richest item covers every other member.

    ``near(i, rich)``, when given (the semantic scorers), is a second way to cover: the two
    items mean the same (their embeddings are close); the survivor must still name every
    enumerated term of the item. ``fits(i, head)``: whether the place of item i (its section
    and parent) is about a ``Term:`` line's head, for an item the line names only among its
    things (``_among_things``).

    Returns (members, survivor text, richest member) triples; members are sorted.
    """
    remaining = list(group)
    settled = []
    while remaining:
        rich = max(remaining, key=lambda i: (information(items[i].text), -i))
        kept, text, rich_term = [rich], items[rich].text, items[rich].term
        survivor = items[rich]  # the richest item, or the phrase it became (``phrase_union``)
        for i in remaining:
            if i == rich or not _may_fold(items[i], items[rich], topic=near is not None):
                continue
            if fits is not None and rich_term is not None and _among_things(items[i], items[rich]) \
                    and not fits(i, rich_term):
                continue
            candidate = union_text(survivor, [items[j] for j in (*kept, i)], widen=near is not None)
            lexical = _says(candidate, items[i], weight) and _short_said(items[i], candidate) \
                and keeps_action(items[i].text, candidate)
            if not lexical and (joined := _one_phrase(text, items[i], items[rich], weight)):
                candidate, lexical = joined, True
                survivor = replace(survivor, text=joined)
            said = lexical or named_by(items[i], items[rich]) or (near is not None and near(i, rich))
            if said and says_terms(candidate, items[i]):
                kept.append(i)
                text = candidate
        settled.append((sorted(kept), text, rich))
        remaining = [i for i in remaining if i not in kept]
    return sorted(settled, key=lambda pair: pair[0][0])


PHRASE_WORDS = 5  # words of each of two short items that may be one phrase (``phrase_union``)
CORE_WORDS = 2  # words the two phrases must share in a run
# verbs that open an instruction ("Create success plans"): a word before a shared run that is one
IMPERATIVE = frozenset("""add adopt align analyze apply assess audit automate avoid build check collaborate conduct configure
    consider coordinate create debug define deploy design develop document enable ensure establish evaluate follow
    generate handle identify implement integrate leverage maintain manage measure migrate monitor optimize perform
    plan prefer prioritize process profile provide refactor review run scale secure set support test track use validate
    verify write""".split())
# imperatives that name no action of their own ("*Build* proper auth", "*Use* existing components"):
# an item may lose one in front (``_short_said``); "Audit third-party actions" is no "Integrating
# with third-party services via actions"
PLAIN_VERBS = frozenset("add adopt apply build create develop employ enable ensure establish follow implement "
                        "leverage maintain prefer provide set support use write".split())
# imperatives as often nouns ("*Test* automation frameworks", "*Design* patterns"): no action to keep
NOUN_VERBS = frozenset("design document plan process profile review run scale test track".split())
COORDINATED = re.compile(r"(?i)\b(?:and|or)\b|&")
PREPOSITION = frozenset("for with in on per to across using via through at".split())


def _one_phrase(text: str, item: Item, rich: Item, weight: Weight | None) -> str | None:
    """``phrase_union`` of the survivor's text and a plain item, when it says both."""
    if item.term or rich.term or is_label(item.text) or is_step(item):
        return None
    joined = phrase_union(text, item.text)
    return joined if joined and _says(joined, item, weight) and _says(joined, rich, weight) else None


def phrase_union(text: str, other: str) -> str | None:
    """Two short phrases around one run of words, as one: "Read replicas for scaling" and "Read
    replica configuration" are "Read replica configuration for scaling"; "Database connection
    pooling" and "Connection pooling configuration" are "Database connection pooling
    configuration". None unless each has at most ``PHRASE_WORDS`` plain words (no commas, colons,
    parentheses or markup), they share ``CORE_WORDS`` in a row, at most one says words before that
    run (or both the same) and, when both say words after it, one of those starts with a
    preposition, which goes last ("configuration" then "for scaling")."""
    mine, theirs = text.split(), other.split()
    if max(len(mine), len(theirs)) > PHRASE_WORDS or re.search(r"[^\w\s-]", text + other) \
            or COORDINATED.search(f"{text} {other}") or NEGATIONS & {w.lower() for w in mine + theirs}:
        return None  # "Pipes and dependency injection", "Not memory leaks"
    at, at_other, size = _shared_run([_key(w) for w in mine], [_key(w) for w in theirs])
    if size < CORE_WORDS:
        return None
    before, after = mine[:at], mine[at + size:]
    other_before, other_after = theirs[:at_other], theirs[at_other + size:]
    if before and other_before and [_key(w) for w in before] != [_key(w) for w in other_before]:
        return None
    if any(len(words) > 1 or words[0].lower() in PREPOSITION for words in (before, other_before) if words):
        return None  # "Vuex for state management", "Announce result to screen reader"
    if (before and len(mine) > 3) or (other_before and len(theirs) > 3) \
            or any(words[0].lower() in IMPERATIVE for words in (before, other_before) if words):
        return None  # a verb before the run ("Plan background jobs" is no "Background job testing")
    if any(w.endswith("ed") for w in after + other_after):
        return None  # a check ("Cross-browser compatibility verified", "Evaluation metrics tracked completely")
    ends = [words for words in (after, other_after) if words]
    if len(ends) == 2:
        if [_key(w) for w in after] == [_key(w) for w in other_after]:
            ends = [after]
        elif (after[0].lower() in PREPOSITION) == (other_after[0].lower() in PREPOSITION):
            return None
        else:
            ends.sort(key=lambda words: words[0].lower() in PREPOSITION)
    # the run as the phrase that goes on after it without a preposition wrote it ("replica configuration")
    follows = bool(ends) and ends[0] is other_after and other_after[0].lower() not in PREPOSITION
    core = list(theirs[at_other:at_other + size] if follows else mine[at:at + size])
    # the run's first letter as the phrase with a word before it writes it ("connection", "JavaScript"),
    # else as the survivor opens
    opening = mine[at] if before else theirs[at_other] if other_before else mine[0]
    core[0] = opening[:1] + core[0][1:]
    return " ".join([*(before or other_before), *core, *(w for words in ends for w in words)])


def _key(word: str) -> str:
    return singular(word.lower())[:STEM]


def _shared_run(mine: list[str], theirs: list[str]) -> tuple[int, int, int]:
    """The longest run of keys the two lists share: (start in mine, start in theirs, length)."""
    best = (0, 0, 0)
    for i in range(len(mine)):
        for j in range(len(theirs)):
            n = 0
            while i + n < len(mine) and j + n < len(theirs) and mine[i + n] == theirs[j + n]:
                n += 1
            if n > best[2]:
                best = (i, j, n)
    return best


def _says(candidate: str, item: Item, weight: Weight | None) -> bool:
    """Whether ``candidate`` says ``item`` by its words (``covers``, ``recognisable``, nothing
    ``loses``); two hand-offs to one agent by what they are about ("Help X on optimization" is
    said by "**With X**: Optimize performance"), not by their verbs, and by stems: the agent
    named is what a reader finds them by."""
    text = item.text
    handoff = bool(handed_to(text)) and handed_to(text) == handed_to(candidate) and bool(words(handoff_topic(text)))
    if handoff:
        candidate, text = handoff_topic(candidate), handoff_topic(text)
        if _words_said(text, candidate):  # "testing" said by "test strategy"
            return True
    return covers(candidate, text, weight) and (handoff or recognisable(candidate, text)) \
        and not loses(text, candidate, term_words([item]))


def term_words(items: list[Item]) -> set[str]:
    """The words of the items' enumerated terms (``Term: a, b`` and lists in parentheses)."""
    return {w for item in items for term in (*item.terms, *parenthesised(item.text)) for w in words(term)}


def is_step(item: Item) -> bool:
    """An item of a numbered list: a step of a procedure, which folds only into another step."""
    return item.marker[:1].isdigit()


def _may_fold(item: Item, rich: Item, topic: bool = False) -> bool:
    """Like folds into like: a label into a label, a step of a numbered list into a step, a
    ``Term: ...`` line only into another (rshah515's "**XSS Prevention**: Output escaping" is no
    part of 0xfurai's "Ensure output escaping to prevent XSS attacks"), but for a hand-off, a
    hand-off to another agent ("With api-documenter: ...") into a hand-off, an example prompt
    in quotes into one in quotes; a short item only
    into one of like size, or into a list that names it as one of its terms ("Svelte" is not
    "Pre-commit hooks: ..., svelte-check"), or (``topic``, the semantic scorers) into a
    ``Term:`` line headed by what it names (``heads``)."""
    if is_label(item.text) != is_label(rich.text) or is_step(item) != is_step(rich):
        return False
    if not same_role(item.text, rich.text) or item.term and not rich.term and not handed_to(item.text):
        return False  # "**XSS Prevention**: Output escaping" keeps its list's form, whatever a sentence says
    if item.term and rich.term and not words(item.term) <= words(rich.text) and not handed_to(item.text):
        return False  # a line says what another's head names: "**Response**: Next business day" is no "**P3**: ..."
    if information(item.text) >= SIZE * information(rich.text) or named_by(item, rich) or headed_by(item, rich):
        return True
    if topic and heads(rich.text, item.text):
        return True
    mine = normalize(item.text)
    return any(normalize(bare) == mine for term in rich.terms for bare in _bare_terms(term))


TOPIC_ITEM_WORDS = 2  # idea words (filler aside) of an item that names a topic, not a thing done
SHORT_WORDS = 3  # idea words of an item that one word more or less makes another idea
# stems that add no idea to a short item ("Tree shaking *setup*", "Stream processing *patterns*")
SHORT_FILLER = TERM_FILLER | frozenset("usage appli creat confi guide princ".split())


def _among_things(item: Item, rich: Item) -> bool:
    """Whether ``rich`` is a ``Term:`` line that says a plain item of at most TOPIC_ITEM_WORDS
    idea words among its things, not by its head: "**Express Review**: Middleware usage, error
    handling, ..." says "Error handling" only in Express. Such an item names a topic whose sense
    comes from where it stands; the line takes it only where it stands under the line's topic
    (``settle``). "Encryption at rest and transit" says enough by itself, and a line that says
    nothing but the item is about it ("**Traces**: Distributed tracing")."""
    mine = words(item.text)
    return rich.term is not None and not item.term and len(mine - SHORT_FILLER) <= TOPIC_ITEM_WORDS \
        and not words(rich.detail) <= mine | SHORT_FILLER and not named_by(item, rich) and not heads(rich.text, item.text)


def keeps_action(text: str, line: str) -> bool:
    """Whether ``line`` says the action an item opens with, when it is one of its own ("*Audit*
    third-party actions" is not "Integrating with third-party services via actions", "*Validate*
    workflows before merging" not "Newly added workflows are peer-reviewed before merging"; "Monitor
    metrics" is "Metrics monitoring"). A plain verb ("Use", "Build") names no action, nor does the
    verb of a hand-off ("Collaborate with security-auditor on audits")."""
    first = opening_word(text)
    return first not in IMPERATIVE or first in PLAIN_VERBS | NOUN_VERBS or words(first) <= words(line) \
        or bool(handed_to(text))


def opening_word(text: str) -> str:
    """A text's first word, lower case, without Markdown ("**Build** ..." opens with "build")."""
    return next(iter(_plain(text).split()), "")


def _short_said(item: Item, line: str) -> bool:
    """Whether ``line`` says a short item (at most SHORT_WORDS idea words) as such: every word
    but a filler, in one place ("Time-based features" is not "Percentile and rank-based
    features", nor "Render props pattern" "Components render expected output with given
    props"). A longer item is said by most of its words (``covers``)."""
    mine = words(item.text)
    if len(mine) > SHORT_WORDS or is_label(item.text):
        return True
    verb = opening_word(item.text)
    plain = verb in PLAIN_VERBS or verb in IMPERATIVE and handed_to(item.text)  # "Build proper auth..."
    lost = mine - words(line) - (words(verb) if plain else set())
    return lost <= SHORT_FILLER and said_together(item.text, line, partly=True)


def named_by(item: Item, rich: Item) -> bool:
    """Whether ``rich`` is a ``Term:`` line headed by what the short plain ``item`` names
    ("Recursive type definitions" and "**Recursive Types**: Self-referential types ..."): one
    collection writes a topic as a short item, another heads a line with it and says more."""
    return not item.term and rich.term is not None and not is_label(item.text) and same_name(item.text, rich.term)


def headed_by(item: Item, rich: Item) -> bool:
    """Whether ``rich`` is a ``Term:`` line headed by words of the short plain ``item`` that says
    every word of it ("Security metrics and KPIs" and "**Security metrics**: KPIs, ...")."""
    return not item.term and rich.term is not None and not is_label(item.text) and headed(item.text, rich.term, rich.text)


def heads(line: str, text: str) -> bool:
    """Whether ``line`` is a ``Term:`` item headed by what ``text`` names ("**Idempotency**:
    Idempotent operations, ..." heads "Idempotency guarantees"): with ``topic`` (the semantic
    scorers), a short item folds into such a line when it means what the line says."""
    head = split_term(line)[0]
    named = words(head) - HEAD_FILLER if head else set()
    return bool(named) and named <= words(text)


def union_text(rep: Item, items: list[Item], widen: bool = False) -> str:
    """The representative's text with every member's terms (``term_union``) and, for a
    hand-off, what the others hand the same agent (``handoff_union``)."""
    text = term_union(rep, items, widen)
    for item in items:
        if item is not rep:
            text = handoff_union(text, item.text)
    return text


QUESTION = re.compile(r"(?i)(?:how|what|when|where|which|who|why|whether)\b")  # "(how many, how severe)"


def term_union(rep: Item, items: list[Item], widen: bool = False) -> str:
    """The representative's text with its ``Term: a, b`` list widened to every member's terms.

    The representative's own terms all stay (a wider term of another member may take one's
    place: "encryption" becomes "encryption at rest/transit"); another member's term is added
    unless a kept term already says it: holds all its words, or nearly the same words (token
    sort ratio of 90 or more). So "containerization" is covered by "containerization (Docker)", while
    "Azure Key Vault" is not covered by "Vault".

    A short item that names the representative's head offers its closing list ("Caching
    strategies (Redis, CDN, browser)" to "**Caching Strategy**: ..."). ``widen`` (the semantic
    scorers, which join items that share few words) offers the lists in every member's parentheses, and gives a survivor without a ``Term:`` list the terms it
    does not name in parentheses: its closing "(a, b)" list grows, or one is added.
    """
    if not rep.terms:
        text = rep.text
        for item in items:
            if item is not rep:
                text = coordinated(text, item.text)
        return _widen_plain(text, items) if widen else text
    start = rep.text.rfind(rep.detail)
    if start < 0:
        return rep.text
    kept = list(rep.terms)
    offered = [bare for item in items if _same_head(rep, item)
               for k, term in enumerate(item.terms) for bare in _bare_terms(term, k == 0)]
    offered += [term for item in items if item is not rep and (widen or named_by(item, rep))
                for term in parenthesised(item.text) if not QUESTION.match(term)]
    for term in offered:
        if any(says_term(form, term) for other in kept for form in (other, *_bare_terms(other))):
            continue
        inside = _said_inside(kept, term)
        if inside is None:
            kept.append(term)
        else:  # "encryption at rest" says "encryption", which it replaces in place
            kept[inside] = term
    if kept == list(rep.terms):
        return rep.text
    return rep.text[:start] + join_terms(rep.detail, kept[: len(rep.terms)], kept[len(rep.terms):])


def handoff_union(text: str, other: str) -> str:
    """``text`` with what ``other`` hands the same agent that ``text`` does not say: "**With
    ml-engineer**: Deploy RL models" and "Collaborate with ml-engineer on training
    infrastructure" say "**With ml-engineer**: Deploy RL models; training infrastructure". Both
    must say what they hand off ("With X: ...", "... X on ..."); else ``text`` as it is."""
    agent = handed_to(text)
    if not agent or handed_to(other) != agent:
        return text
    mine, theirs = handoff_topic(text), handoff_topic(other)
    if not (topical(text) and topical(other)) or _words_said(theirs, mine):
        return text
    stop = len(re.sub(r"[.;]?\s*$", "", text))  # before a closing "." or ";"
    theirs = theirs.rstrip(".; ")
    first = theirs.split(" ", 1)[0]
    if first.lower() in IMPERATIVE:  # a verb goes on the line in lower case: "; align requirements ..."
        theirs = first.lower() + theirs[len(first):]
    return f"{text[:stop]}; {theirs}{text[stop:]}"


ENDINGS = ("s", "es", "ing", "ed", "er", "ers", "ion", "ions", "ation", "ations", "ment", "ments", "ity", "e")


def _words_said(text: str, other: str) -> bool:
    """Whether each idea word of ``text`` is one of ``other``'s, or that word with an ending:
    "testing" is said by "test strategy", so "Help qa-expert on testing" adds nothing to it;
    "database" is no "data pipelines"."""
    def plain(found: str) -> list[str]:
        return [word for stem, word in stemmed_words(found).items() if stem not in GENERIC]

    theirs = plain(other)
    return all(any(singular(word) == singular(own) or _ends(word, singular(own)) or _ends(own, singular(word))
                   for own in theirs) for word in plain(text))


def _ends(word: str, root: str) -> bool:
    """Whether ``word`` is ``root`` with an ending ("testing", "test"; "optimization", "optimize")."""
    stem = root.removesuffix("e")
    return len(stem) >= 4 and word.startswith(stem) and word[len(stem):] in ENDINGS


COORDINATION = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")
LAST_PART = re.compile(r"(,?\s+(?:and|or)\s+)((?:(?!\s(?:and|or)\s)[^,])+?)([.;]?)\s*$")
CLAUSE = re.compile(r"(?i)\b(?:is|are|be|was|were|should|must)\b")  # a sentence, not a list of things
COORDINATED_WORDS = 5  # most words of one part of a coordination ("SOLID principles", "design patterns")


@lru_cache(maxsize=8192)
def coordinated(text: str, other: str) -> str:
    """``text`` with the parts of a like coordination it lacks: "Follow SOLID principles and design
    patterns" and "SOLID principles and clean architecture" say "Follow SOLID principles, design
    patterns and clean architecture". Both must list short parts ("a, b and c") and start with
    a part of two words or more; one part of ``text`` must say the first part of ``other``, and
    ``other`` may add at most two parts of words ``text`` does not have at all; else ``text``
    as it is."""
    mine, theirs = _parts(text), _parts(other)
    last, their_last = LAST_PART.search(text), LAST_PART.search(other)
    if len(mine) < 2 or len(theirs) < 2 or last is None or (words(text) | words(other)) & NEGATIONS:
        return text
    if their_last is None or last.group(1).split()[-1] != their_last.group(1).split()[-1]:
        return text  # "a, b or c" is a choice, "a, b and c" a list
    said = words(text)
    if len(mine[0].split()) < 2 or len(theirs[0].split()) < 2 or not any(_same_part(theirs[0], part) for part in mine):
        return text
    added = [part for part in theirs[1:] if not words(part) <= said]
    if not 1 <= len(added) <= 2 or any(words(part) & said for part in added):
        return text
    parts = [last.group(2), *added]
    joined = ", ".join(parts[:-1]) + last.group(1) + parts[-1]
    return text[:last.start()] + ", " + joined + last.group(3)


def _same_part(part: str, other: str) -> bool:
    """Whether two parts of coordinations say one thing: the same idea words, each stem from
    nearly the same word ("static analysis" is not "statistical analysis")."""
    return words(part) == words(other) and spelled_alike(part, other, words(part))


@lru_cache(maxsize=8192)
def _parts(text: str) -> tuple[str, ...]:
    """A plain item's parts of a coordination ("a, b and c"), or () when it is none: a ``Term:``
    head, a parenthesis, a sentence ("Error handling is robust and user-friendly") or a part
    longer than COORDINATED_WORDS words."""
    if re.search(r"[:()]", text) or CLAUSE.search(text):
        return ()
    parts = tuple(part for part in COORDINATION.split(text.strip().rstrip(".;")) if part)
    if any(len(part.split()) > COORDINATED_WORDS for part in parts):
        return ()
    return parts


def _said_inside(kept: list[str], term: str) -> int | None:
    """The index of a kept term whose every word ``term`` says with more: "encryption" in
    "encryption at rest/transit" (a term with its own list, "Authentication (OAuth2, JWT)",
    keeps its place)."""
    words = set(_plain(term).split())
    for k, other in enumerate(kept):
        mine = set(_plain(other).split())
        if mine and mine < words and "(" not in other:
            return k
    return None


def join_terms(detail: str, terms: list[str], added: list[str]) -> str:
    """A ``Term:`` list's terms with ``added`` ones: before a closing "other ..." or "etc."
    term, and with the list's "and" or "or" kept before its last term."""
    if re.match(r"(?i)(other|etc|more)\b", terms[-1]):
        ordered = [*terms[:-1], *added, terms[-1]]
    else:
        ordered = [*terms, *added]
    last = re.search(r"(?i)(?:,\s*|\s+)(and|or)\s+[^,]*$", detail.rstrip(". "))
    if last is None:
        return ", ".join(ordered)
    return ", ".join(ordered[:-1]) + f", {last.group(1)} " + ordered[-1]


def parenthesised(text: str) -> list[str]:
    """The terms listed in a text's parentheses: "SQL (MySQL, Oracle)" -> MySQL, Oracle."""
    return [part.strip() for group in re.findall(r"\(([^()]*,[^()]*)\)", text) for part in group.split(",")
            if part.strip()]


def widen(text: str, items: list[Item]) -> str:
    """``text`` naming the enumerated terms of ``items`` it does not name yet: added to its
    ``Term: a, b`` list, else to its closing parenthesised list, else to a new one."""
    term, detail, terms = split_term(text)
    if not terms or text.rfind(detail) < 0:
        return _widen_plain(text, items)
    rep = Item(text, 0, term=term, detail=detail, terms=terms)
    return union_text(rep, [rep, *items], widen=True)


def _widen_plain(text: str, items: list[Item]) -> str:
    """A survivor without a ``Term:`` list, with the enumerated terms of the others it does not
    name added to its closing parenthesised list (or to a new one)."""
    said = set(_plain(text).split())
    missing: list[str] = []
    for item in items:
        listed = [bare for k, term in enumerate(item.terms) for bare in _bare_terms(term, k == 0)]
        for term in (*listed, *parenthesised(item.text)):
            words = set(_plain(term).split())
            if words and not words <= said:
                missing.append(term)
                said |= words
    if not missing:
        return text
    closing = re.search(r"\(([^()]*)\)([.;:]?)\s*$", text)
    if closing:
        return f"{text[:closing.end(1)]}, {', '.join(missing)}){closing.group(2)}"
    end = len(text.rstrip().rstrip(".;"))
    return f"{text[:end]} ({', '.join(missing)}){text[end:]}"


def _same_head(rep: Item, item: Item) -> bool:
    """Whether ``item``'s terms may join ``rep``'s list: its head names the same thing ("Service
    mesh: Istio, mTLS" does not lend "mTLS" to "Cilium: eBPF, network policies")."""
    if item is rep or not item.term or not rep.term:
        return True
    return fuzz.token_set_ratio(normalize(item.term), normalize(rep.term)) >= HEAD_MATCH


@lru_cache(maxsize=8192)
def says_term(kept: str, term: str) -> bool:
    """Whether a kept term says a term: all its words (unstemmed: "virtualenv" is not "virtual
    environments"), or nearly the same words."""
    kept_words, term_words = _plain(kept), _plain(term)
    if set(term_words.split()) <= set(kept_words.split()) or fuzz.token_sort_ratio(kept_words, term_words) >= 90:
        return True
    stems = set(normalize(term).split())
    core = stems - TERM_FILLER  # "RESTful services" is "RESTful APIs", "API versioning strategies" is "API versioning"
    return bool(core) and core != stems and core <= set(normalize(kept).split())


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    return " ".join(w for w in re.findall(r"[a-z0-9][a-z0-9+#.]*", text.lower()) if w not in STOP_WORDS)


def _bare_terms(term: str, first: bool = True) -> list[str]:
    """A term split at semicolons; the first term of a list loses its lead-in ("Expert in Java"
    -> "Java"), a later one keeps its qualifier ("working knowledge of C++")."""
    parts = [part.strip() for part in term.split(";")]
    if not first:
        return [part for part in parts if part]
    return [re.sub(r"(?i)^.*\b(?:in|of|with|including|like|such as)\s+", "", part) for part in parts if part]


def repeats(nodes: list[Node], under: list[str] | None = None,
            scores: RepeatScores | None = None) -> list[tuple[int, int]]:
    """(dropped, kept) index pairs of nodes whose every word another node already says.

    Of two items where one's words are a subset of the other's, the shorter goes (its children
    move to the longer; the caller does that), never for its own ancestor or descendant, nor
    into a line of another role: "XSS prevention" is not said by a hand-off to another agent
    ("With security-auditor: XSS prevention") nor by an example prompt in quotes, nor by a line
    whose words are scattered (``said_together``), nor by another line its own sources wrote
    word for word too (``Node.authors``): they said both, in two places, and its list would
    lose it. ``under``: what each node stands under (``outline.placed_in``), for a short
    item's context (``_in_context``); under another heading or parent only a line about the
    item says it (``about``: "Heap analysis" under "Memory debugging" is not said for its list
    by "**Go Debugging**: Delve, pprof, heap analysis"), and of two labels neither goes (the
    children of one place would stand in another). ``scores``: the scores of an earlier call to reuse
    (``RepeatScores``).
    Best pairs first, each node dropped at most once.
    """
    texts = [utils.default_process(re.sub(r"[*_`]", "", node.text)) for node in nodes]
    sole = sole_sources(texts, [next(iter(node.authors)) if len(node.authors) == 1 else None for node in nodes])
    score = (scores or RepeatScores())(texts, sole)
    family = _families(nodes)
    nested = sub_items(nodes)
    dropped: dict[int, int] = {}
    keepers: set[int] = set()  # a node that keeps another is not dropped itself (no chains)
    rows, cols = score.nonzero()
    for i, j in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: (-score[p], p)):
        short, long = (i, j) if (len(texts[i]), -i) <= (len(texts[j]), -j) else (j, i)
        if i >= j or short in dropped or long in dropped or short in keepers or not texts[short]:
            continue
        if id(nodes[long]) in family[short] or id(nodes[short]) in family[long]:
            continue
        if not same_role(nodes[short].text, nodes[long].text) or not said_together(nodes[short].text, nodes[long].text):
            continue
        if wrote_both(nodes[short], nodes[long]):
            continue  # "Cost optimization" among six pillars, "... > 30% realized" in a checklist
        if nodes[short].role != nodes[long].role or other_procedures(nodes[short], nodes[long]):
            continue  # "Monitoring comprehensive", a check, is no "Comprehensive monitoring dashboards" to deliver
        if under is not None and not _in_context(nodes[short].text, under[short], nodes[long].text, under[long]):
            continue
        if under is not None and under[short] != under[long] and not _may_move(nodes[short], nodes[long]):
            continue  # its list would lose it, or a label would take another place's children
        if under is not None and under[short] != under[long] and {id(nodes[short]), id(nodes[long])} & nested:
            continue  # a sub-item is its group's: davila7's workspace checks keep "Terraform version", and
            # the Operate phase keeps "Configuration management", though a deployment group says more
        dropped[short] = long
        keepers.add(long)
    return sorted(dropped.items())


class RepeatScores:
    """token_set_ratio of each pair of texts, 0 below REPEAT, and 0 for two texts whose one
    author is the same source (``repeats`` keeps both: that source wrote both). ``merge._drop``
    asks again after each pass about the lines left, all of which the last call scored: their
    scores are looked up in the last matrix (a score depends on the two texts only). One per merge."""

    def __init__(self) -> None:
        self.sole: dict[str, int | None] = {}  # each text scored: its one source, or None
        self.score: Any = None

    def __call__(self, texts: list[str], sole: dict[str, int | None]) -> Any:
        """The scores of ``texts`` x ``texts``; ``sole``: each text's one source (``sole_sources``)."""
        if self.score is None or any(text not in self.sole or self.sole[text] != sole[text] for text in texts):
            self.sole = dict(sole)
            self.score = _repeat_scores(list(sole), list(sole.values()))
        rows = {text: k for k, text in enumerate(self.sole)}
        at = [rows[text] for text in texts]
        return self.score[at][:, at]


def _repeat_scores(texts: list[str], sole: list[int | None]) -> Any:
    """token_set_ratio of each pair of texts, 0 below REPEAT and for two texts of one sole author."""
    score = np.zeros((len(texts), len(texts)), dtype=np.float32)
    for rows, cols in blocks(sole):
        found = process.cdist([texts[k] for k in rows], [texts[k] for k in cols], scorer=fuzz.token_set_ratio,
                              score_cutoff=REPEAT, workers=workers_for(len(rows), len(cols), -1), dtype=np.float32)
        score[np.ix_(rows, cols)] = found
        score[np.ix_(cols, rows)] = found.T
    return score


def said_together(short: str, long: str, partly: bool = False) -> bool:
    """Whether ``long`` says each phrase of ``short`` in one place: its words within a few words
    of each other ("Time series modeling" is not said by "Cross-validation ... (k-fold, time-series
    splits) ... before modeling", though every word stands there). A ``Term: a, b`` line says its
    term before each of its things ("Performance benchmarks" in "**Performance**: caching, ...,
    benchmarking"; with at most one word between: "Pod security policies" is not "**Pod Security
    Standards**: ..., privileged policies"). ``partly``: only the words ``long`` says are placed
    (a line may say an item in other words)."""
    head, _, terms = split_term(long)
    readings = [(_places(long), SPAN), *((_places(f"{head} {term}"), 1) for term in terms if head)]
    for run in phrases(short):
        if partly:
            run = [word for word in run if word in readings[0][0]]
        if run and not any(_window(run, places) <= len(set(run)) + span for places, span in readings):
            return False
    return True


def _places(text: str) -> dict[str, list[int]]:
    """Each stemmed word of a text and where it stands."""
    places: dict[str, list[int]] = {}
    for k, word in enumerate(stems(text)):
        places.setdefault(word, []).append(k)
    return places


def _window(run: list[str], places: dict[str, list[int]]) -> int:
    """The fewest consecutive words of a line that hold every word of ``run`` (a large number
    when one is missing)."""
    wanted = set(run)
    if any(word not in places for word in wanted):
        return 10**6
    starts = sorted({k for word in wanted for k in places[word]})
    return min(max(min((p for p in places[w] if p >= start), default=10**6) for w in wanted) - start + 1
               for start in starts)


def _in_context(short: str, under: str, line: str, line_under: str) -> bool:
    """Whether ``line`` says a one-word item (``CONTEXT_WORDS``) in its sense: it says just
    that word, stands under the same heading and parent, or says a word of them ("Versioning"
    under "API development" is not said by "Cache key generation and versioning")."""
    if len(short.split()) > CONTEXT_WORDS or words(short) == words(line) or under == line_under:
        return True
    return bool(words(under) & words(line))


def _may_move(short: Node, long: Node) -> bool:
    """Whether, across two places, ``long`` may say ``short``: it is about it (``about``), and
    neither is a label over children. A label heads its children where it stands, and a line of
    its name in another list is that list's: wshobson's capability "**Memory Management**: ...,
    object pooling" had taken the place of rshah515's "Memory Management:" over a browser's
    memory checks, and left the capability list (nor is davila7's "Performance optimization" of
    "Model development" said by a vector index's "Performance Optimization:" box)."""
    return not (short.children or long.children) and about(short.text, long.text)


# stems a head may add to what a short item names and still be about it ("Design Thinking
# *Application*"): a word of another topic narrows it ("*Test* Timing Issues")
NO_QUALIFIER = frozenset("analy appli frame proce metho guide princ".split())


def about(short: str, line: str) -> bool:
    """Whether ``line`` is about what ``short`` says: its words are the line's head, its term or
    else its first words ("Fragment caching on expensive views" is about "Fragment caching";
    not "**Connection Management**: Implement automatic reconnection" about "Automatic
    reconnection", nor "Network error handling", a narrower thing, about "Error handling", nor
    "**Test Timing Issues**: ..." about "Timing issues")."""
    mine = stems(short)
    head = split_term(line)[0]
    first = stems(head) if head else stems(line)[: len(mine)]
    return set(mine) <= set(first) and set(first) - set(mine) <= HEAD_FILLER | NO_QUALIFIER


def sub_items(nodes: list[Node]) -> set[int]:
    """The ids of the nodes that stand under another (a group's items): they stay in their group."""
    return {id(child) for node in nodes for child in node.children}


def _families(nodes: list[Node]) -> list[set[int]]:
    """For each node, the ids of its descendants."""

    def below(node: Node) -> set[int]:
        found: set[int] = set()
        for child in node.children:
            found.add(id(child))
            found |= below(child)
        return found

    return [below(node) for node in nodes]
