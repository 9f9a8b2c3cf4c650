"""Group list items that say the same thing in other words (rapidfuzz, vectorised).

Scoring: both texts are normalised (markdown and stop words removed, words cut to a
five-letter stem so that "optimize" meets "optimization"); the score is the mean of
``token_set_ratio`` (paraphrase with extra words) and ``token_sort_ratio`` (which falls when
one text is a small subset of a long one, the trap of a bullet that lists many things).
Items that both have a ``**Term**`` head also get 0.3 x head + 0.7 x detail, when higher.

Scorers (``--scorer``): ``lexical`` is the score above; ``semantic`` is 100 x the cosine of the
items' sentence embeddings (``agentforge.embed``, the optional extra); ``fused`` is
FUSE x semantic + (1 - FUSE) x lexical. Each has its own default threshold (``THRESHOLDS``).

Linkage: pairs above the threshold are taken best first; two clusters join only when they
hold no item of the same source and *every* cross pair scores at least ``threshold - slack``
(complete linkage with a little slack), so one loose pair cannot chain unrelated items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 62.0
SLACK = 12.0
SCORERS = ("lexical", "semantic", "fused")
# candidate thresholds, chosen on the seeds pairs (bench/pairs.py --sweep, then the whole merge): the
# highest recall of the merge with at most one wrong join, the higher threshold where recalls tie
THRESHOLDS = {"lexical": DEFAULT_THRESHOLD, "semantic": 60.0, "fused": 60.0}
FUSE = 0.7  # weight of the semantic score in the fused one
STEM = 5
BLOCK = 256  # rows of scores computed at a time
# pairs below which one call of cdist runs on one core: rapidfuzz starts its threads afresh in
# every call, which costs more than a small block's work (a merge of a few files makes dozens)
THREADED_PAIRS = 20_000
NAMED = 80.0  # the score of a short item and a Term line whose head names it (``named_pairs``)
NAME_WORDS = 4
WORD_MATCH = 85.0  # fuzz.ratio of two words behind one stem that are one word ("type", "typed")
# stems of words that name no thing at the edge of a short item ("Path mapping *strategies*",
# "*Setup* storage", "Recursive type *definitions*")
NAME_FILLER = re.compile(
    r"services?|design|implement(?:ation|ed|ing)?|strateg(?:y|ies)|patterns?|manage(?:ment|d)?|techniques?|"
    r"practices?|support|systems?|tools?|setup|configur(?:e|ed|ation|ations|ing)|definitions?|creat(?:e|ion|ing)|usage"
)
K = TypeVar("K")
STOP_WORDS = frozenset(
    """a an and are as at be by for from in into is it its of on or that the their them this
    to with you your all any both each etc e g i e including such like using use via when
    while where which who will within without""".split()
)


@dataclass(frozen=True)
class Entry:
    """One item to cluster: which source it comes from and what it says."""

    source: int
    text: str
    term: str | None = None
    detail: str = ""
    kind: str = ""  # its section's role (``align.role``): items of two roles do not join
    procedure: str = ""  # a step's: the kind of its section (``merge.procedure``); steps of two do not join


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lowercase words without markdown and stop words, each cut to a short stem."""
    return " ".join(singular(word)[:STEM] for word in _words(text))


def _words(text: str) -> list[str]:
    """A text's lowercase words without markdown and stop words."""
    text = re.sub(r"\b([A-Z]{2,})s\b", r"\1", text)  # an acronym's plural: "APIs", "URLs"
    words = re.findall(r"[a-z0-9][a-z0-9+#]*", re.sub(r"[*_`]", " ", text.lower()))
    return [word for word in words if word not in STOP_WORDS]


def stemmed_words(text: str) -> dict[str, str]:
    """Each stem of ``normalize(text)`` with the first word it came from ("trans" -> "transparency")."""
    found: dict[str, str] = {}
    for word in _words(text):
        found.setdefault(singular(word)[:STEM], word)
    return found


def same_name(a: str, b: str) -> bool:
    """Whether two short texts name one thing: the same ``name`` (stems without edge filler), each
    stem from nearly the same word (a five-letter stem joins "transformation" and "transparency")."""
    found = name(a)
    return bool(found) and found == name(b) and spelled_alike(a, b, found.split())


def spelled_alike(a: str, b: str, stems: Iterable[str]) -> bool:
    """Whether each of ``stems``, which both texts say, comes from nearly the same word in each
    (``WORD_MATCH``): a five-letter stem joins "transformation" and "transparency"."""
    words_a, words_b = stemmed_words(a), stemmed_words(b)
    return all(fuzz.ratio(singular(words_a[stem]), singular(words_b[stem])) >= WORD_MATCH for stem in stems)


def singular(word: str) -> str:
    """A plural noun's singular, by its ending ("queries" -> "query", "tests" -> "test"); words
    ending in -ss, -us, -is and short words stay ("class", "status", "redis", "aws")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def score_matrix(entries: list[Entry], workers: int = -1) -> np.ndarray:
    """Pairwise similarity of all entries, 0-100."""
    texts = [normalize(entry.text) for entry in entries]
    score = _mean_ratio(texts, workers)
    heads = [normalize(entry.term or "") for entry in entries]
    details = [normalize(entry.detail) if entry.term else "" for entry in entries]
    has_term = np.array([bool(entry.term) for entry in entries])
    both = np.outer(has_term, has_term)
    if both.any():
        head = process.cdist(heads, heads, scorer=fuzz.token_sort_ratio,
                             workers=workers_for(len(heads), len(heads), workers))
        by_parts = 0.3 * head + 0.7 * _mean_ratio(details, workers)
        score = np.where(both, np.maximum(score, by_parts), score)
    for a, b in joined_pairs(entries):
        score[a, b] = score[b, a] = max(score[a, b], NAMED)
    return score


LISTED_NAME_WORDS = 3
CLOSING_LIST = re.compile(r"\s*\([^()]*,[^()]*\)\W*$")  # "Caching strategies (Redis, CDN, browser)"


def name(text: str) -> str:
    """What a short item names: its stems (``normalize``) in their order, without a filler word
    at either edge while two words are left ("Path mapping strategies" -> "path mappi"; "Design
    patterns" stays); '' for an item of more than NAME_WORDS words. Order counts: "Performance
    tests" is not "Test Performance". A closing list in parentheses names things, not the item
    ("Caching strategies (Redis, CDN, browser)" names "Caching Strategy") when two or three words are
    left, not a longer phrase ("Implement security best practices (OWASP guidelines, ...)");
    one thing in parentheses is part of the name ("Higher-order components (legacy ...)")."""
    found = list(stemmed_words(text).items())
    bare = CLOSING_LIST.sub("", text)
    if bare != text and 2 <= len(stemmed_words(bare)) <= LISTED_NAME_WORDS:
        found = list(stemmed_words(bare).items())
    if len(found) > NAME_WORDS:
        return ""
    if len(found) > 2 and NAME_FILLER.fullmatch(found[-1][1]):
        found = found[:-1]
    if len(found) > 2 and NAME_FILLER.fullmatch(found[0][1]):
        found = found[1:]
    return " ".join(stem for stem, _ in found)


def named_pairs(entries: list[Entry]) -> list[tuple[int, int]]:
    """The pairs (a, b), a < b, of a short plain item and a ``**Term**:`` line whose head names
    the same thing ("Path mapping strategies" and "**Path Mapping**: Managing import aliases"):
    one collection writes a topic as a short item, another heads a line with it and says more."""
    plain: dict[str, list[int]] = {}
    for k, entry in enumerate(entries):
        if not entry.term and (found := name(entry.text)):
            plain.setdefault(found, []).append(k)
    named = [(min(a, b), max(a, b)) for b, entry in enumerate(entries) if entry.term
             for a in plain.get(name(entry.term), []) if same_name(entries[a].text, entry.term)]
    return sorted(set(named) | set(headed_pairs(entries)))


def headed_pairs(entries: list[Entry]) -> list[tuple[int, int]]:
    """The pairs (a, b), a < b, of a short plain item and a ``**Term**:`` line it says whole, headed
    by words of the item: "Security metrics and KPIs" and "**Security metrics**: KPIs, security
    scorecards, ..."; "Container security standards" and "**Container security**: ..., Kubernetes
    Pod Security Standards"."""
    by_stem: dict[str, set[int]] = {}
    for k, entry in enumerate(entries):
        if not entry.term and 2 <= len(found := stemmed_words(entry.text)) <= NAME_WORDS:
            for stem in found:
                by_stem.setdefault(stem, set()).add(k)
    pairs = []
    for b, entry in enumerate(entries):
        head = _head_stems(entry.term) if entry.term else []
        if len(head) < 2:
            continue
        for a in set.intersection(*(by_stem.get(stem, set()) for stem in head)):
            if headed(entries[a].text, entry.term or "", entry.text):
                pairs.append((min(a, b), max(a, b)))
    return pairs


def _head_stems(term: str) -> list[str]:
    """A head's stems in order, without a filler word at either edge ("Memory Management" is
    "memor"), none when two of its words share a stem ("Component Composition")."""
    found = list(stemmed_words(term).items())
    if len(found) < len(set(_words(term))):
        return []
    while found and NAME_FILLER.fullmatch(found[-1][1]):
        found = found[:-1]
    while found and NAME_FILLER.fullmatch(found[0][1]):
        found = found[1:]
    return [stem for stem, _ in found]


def headed(text: str, term: str, line: str) -> bool:
    """Whether the ``Term:`` line ``line`` of head ``term`` says the short plain item ``text`` whole
    and is headed by its words, side by side and in their order, each from nearly the same word
    ("Performance tests" is not headed by "Test Performance", "Component structure" not by
    "Component Composition"), two of them or more: "**Memory Management**: Memory leak detection,
    ..." is about memory at large, and "Memory leaks" keeps its own list."""
    item, head = list(stemmed_words(text)), _head_stems(term)
    runs = (item[k:k + len(head)] == head for k in range(len(item) - len(head) + 1))
    return len(head) >= 2 and 2 <= len(item) <= NAME_WORDS and item != head and set(item) <= set(stemmed_words(line)) \
        and any(runs) and spelled_alike(text, term, head)


HANDOFF = re.compile(r"(?i)^\W*(?:with|collaborate with|work with|coordinate with|partner with|hand off to)\b")
# an agent's name among a line's first words: "Help devops-engineer on deployment" (the role
# nouns that end nine in ten such names in the corpus)
AGENT_NAME = re.compile(
    r"^\W*(?:\S+\s+){0,3}?[a-z0-9]+(?:-[a-z0-9]+)*-(?:engineer|developer|manager|auditor|architect|expert|"
    r"analyst|specialist|optimizer|designer|reviewer|pro|researcher|administrator|scientist|writer|"
    r"coordinator|advisor|orchestrator|tester|documenter|debugger)\b"
)


@lru_cache(maxsize=8192)
def is_handoff(text: str) -> bool:
    """A line about working with another agent, not about the work itself (its name may be in
    bold: "Consult **security-auditor** on ...")."""
    plain = text.replace("*", "")
    return bool(HANDOFF.match(plain) or AGENT_NAME.match(plain))


QUOTED = re.compile(r'^\W{0,3}["\u201c].*["\u201d]\W{0,3}$', re.DOTALL)


@lru_cache(maxsize=8192)
def is_quote(text: str) -> bool:
    """A line in quotes: what a user might say ("Implement a gRPC service ..."), an example
    prompt, not something the agent does."""
    return bool(QUOTED.match(text.strip()))


def same_role(text: str, other: str) -> bool:
    """Whether two lines are both hand-offs, both example prompts, or neither: like goes only
    into like (``settle``, ``repeats``, ``absorb``). Hand-offs to two agents named are two roles
    ("Partner with data-analyst on metrics" is not "**With data-scientist**: ... success metrics")."""
    if is_handoff(text) != is_handoff(other) or is_quote(text) != is_quote(other):
        return False
    mine, theirs = handed_to(text), handed_to(other)
    return not (mine and theirs and mine != theirs)


AGENT = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")  # an agent's name: performance-engineer


@lru_cache(maxsize=8192)
def handoff_parts(text: str) -> tuple[str, str, str]:
    """A hand-off as (before, agent, after), the agent named among its first words and the
    text without bold ("Help performance-engineer on X" -> "Help ", "performance-engineer",
    " on X"); ('', '', '') for any other line."""
    plain = text.replace("*", "")
    found = AGENT.search(" ".join(plain.split()[:5])) if is_handoff(text) else None
    if found is None:
        return "", "", ""
    before, after = plain.split(found.group(), 1)
    return before, found.group(), after


def handed_to(text: str) -> str:
    """The agent a hand-off names ("**With performance-engineer**: X" -> "performance-engineer"),
    or ''."""
    return handoff_parts(text)[1]


def handoff_topic(text: str) -> str:
    """What a hand-off is about, after the agent's name: "Help performance-engineer on load
    testing" -> "load testing"; the text itself for a line that hands off to no agent."""
    _, agent, after = handoff_parts(text)
    return re.sub(r"^\W*(?:(?:on|for|with|about|to|in)\b)?\W*", "", after) if agent else text


def topical(text: str) -> bool:
    """Whether a hand-off says what it hands the agent: "**With X**: ..." or "... X on|for|about
    ..." (not "**vs X**: ...", how the agent differs from X, nor "Let X decide ...")."""
    before, agent, after = handoff_parts(text)
    if not agent:
        return False
    if re.fullmatch(r"\W*with\s+", before, re.IGNORECASE) and after.lstrip().startswith(":"):
        return True
    return bool(re.match(r"\W*\s(?:on|for|about|in|with)\s", after, re.IGNORECASE))


def handoff_pairs(entries: list[Entry]) -> list[tuple[int, int]]:
    """The pairs (a, b), a < b, of hand-offs of two sources to one agent: one collection writes
    "Help performance-engineer on optimization", another "**With performance-engineer**: ..."."""
    by_agent: dict[str, list[int]] = {}
    for k, entry in enumerate(entries):
        if agent := handed_to(entry.text):
            by_agent.setdefault(agent, []).append(k)
    return [(a, b) for group in by_agent.values() for n, a in enumerate(group) for b in group[n + 1:]
            if entries[a].source != entries[b].source]


def joined_pairs(entries: list[Entry]) -> list[tuple[int, int]]:
    """Pairs that score ``NAMED`` whatever their words: ``named_pairs`` and ``handoff_pairs``."""
    return named_pairs(entries) + handoff_pairs(entries)

def workers_for(rows: int, cols: int, workers: int) -> int:
    """The ``workers`` of one cdist call of rows x cols pairs: 1 for a small block
    (``THREADED_PAIRS``). The scores are the same either way."""
    return workers if rows * cols >= THREADED_PAIRS else 1


def _mean_ratio(texts: list[str], workers: int, choices: list[str] | None = None) -> np.ndarray:
    """Mean of token_set_ratio and token_sort_ratio, computed in place (one float32 matrix)."""
    choices = texts if choices is None else choices
    workers = workers_for(len(texts), len(choices), workers)
    score = process.cdist(texts, choices, scorer=fuzz.token_set_ratio, workers=workers, dtype=np.float32)
    score += process.cdist(texts, choices, scorer=fuzz.token_sort_ratio, workers=workers, dtype=np.float32)
    score *= 0.5
    return score


def similarity(text: str, others: list[str]) -> np.ndarray:
    """How alike one text is to each of the others, 0-100 (the score without term heads)."""
    if not others:
        return np.zeros(0)
    return _mean_ratio([normalize(text)], -1, [normalize(other) for other in others])[0]


def scored(entries: list[Entry], scorer: str = "lexical", vectors: np.ndarray | None = None,
           workers: int = -1) -> np.ndarray:
    """Pairwise similarity 0-100 by the named scorer; ``vectors`` are the entries' unit
    embeddings (one row each), needed by ``semantic`` and ``fused``."""
    if scorer == "lexical":
        return score_matrix(entries, workers)
    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r}")
    if vectors is None:
        raise ValueError(f"the {scorer} scorer needs the entries' embeddings")
    cosine = np.clip(vectors @ vectors.T, 0.0, 1.0) * 100.0
    rows, cols = _conflicting(entries)
    cosine[rows, cols] = cosine[cols, rows] = 0.0
    if scorer == "semantic":
        return cosine
    return FUSE * cosine + (1 - FUSE) * score_matrix(entries, workers)


def _conflicting(entries: list[Entry]) -> tuple[list[int], list[int]]:
    """The pairs (rows, columns) of which one advises against a name the other recommends
    (``conflicts``): an embedding hardly tells "avoid CSS-in-JS runtime solutions" from
    "Styling: Tailwind CSS, CSS-in-JS", so the semantic scores of such pairs are 0 (the merge
    keeps both and names the conflict)."""
    from .conflicts import discouraged, lower_case_words, words

    texts = [entry.text for entry in entries]
    plain = lower_case_words(texts)
    against = [discouraged(text, plain) for text in texts]
    said = [words(text) for text in texts]
    pairs = [(i, j) for i, names in enumerate(against) if names
             for j, other in enumerate(said) if names & (other - against[j])]
    return [i for i, _ in pairs], [j for _, j in pairs]


def cluster(
    entries: list[Entry], threshold: float = DEFAULT_THRESHOLD, workers: int = -1,
    scorer: str = "lexical", vectors: np.ndarray | None = None,
) -> list[list[int]]:
    """Clusters as lists of entry indexes, each sorted, in order of their first entry."""
    if not entries:
        return []
    keep = _keep(threshold)
    if scorer == "lexical":
        key_of, keys = distinct(entries)
        sole = sole_sources(key_of, [entry.source for entry in entries])
        pairs = lexical_pairs(keys, keep, workers, [sole[key] for key in range(len(keys))])
        for a, b in joined_pairs(entries):
            pair = (min(key_of[a], key_of[b]), max(key_of[a], key_of[b]))
            pairs[pair] = max(pairs.get(pair, 0.0), NAMED)
    else:
        key_of = list(range(len(entries)))
        pairs = dense_pairs(scored(entries, scorer, vectors, workers), keep)
    return _link(_of_one_role(pairs, key_of, entries), key_of, [entry.source for entry in entries], threshold,
                 [entry.kind for entry in entries], [entry.procedure for entry in entries])


def _of_one_role(pairs: dict[tuple[int, int], float], key_of: list[int],
                 entries: list[Entry]) -> dict[tuple[int, int], float]:
    """The pairs whose items are of one role (``same_role``): a skill never joins a hand-off or
    an example prompt that names it, so it is no candidate, and cannot keep the hand-off from
    its own kind ("Gather feedback" from "**With customer-success-manager**: Gather user
    feedback")."""
    text_of = {key: entries[k].text for k, key in enumerate(key_of)}  # one role a key (``distinct``)
    return {pair: value for pair, value in pairs.items() if same_role(text_of[pair[0]], text_of[pair[1]])}


def link(score: np.ndarray, sources: list[int], threshold: float) -> list[list[int]]:
    """Complete linkage with slack, best pairs first, at most one item per source a cluster."""
    return _link(dense_pairs(score, _keep(threshold)), list(range(len(sources))), sources, threshold)


# ---- scores of distinct items, a block of rows at a time -----------------------------------

# normalised text, has a term, normalised term, normalised detail, role (hand-off, example prompt)
Key = tuple[str, bool, str, str, tuple[bool, bool]]


def distinct(entries: list[Entry]) -> tuple[list[int], list[Key]]:
    """Each entry's key, and the distinct keys: entries with one key score alike with everyone."""
    index: dict[Key, int] = {}
    key_of = []
    for entry in entries:
        term = bool(entry.term)
        role = (is_handoff(entry.text), is_quote(entry.text))  # a prompt in quotes and the same line bare differ
        key = (normalize(entry.text), term, normalize(entry.term or ""), normalize(entry.detail) if term else "", role)
        key_of.append(index.setdefault(key, len(index)))
    return key_of, list(index)


def sole_sources(keys: list[K], sources: list[int | None]) -> dict[K, int | None]:
    """Each key's source when the items of one source alone have it, else None (keys and sources
    given item by item)."""
    found: dict[K, int | None] = {}
    for key, source in zip(keys, sources, strict=True):
        found[key] = source if found.get(key, source) == source else None
    return found


def lexical_pairs(keys: list[Key], keep: float, workers: int = -1,
                  sole: list[int | None] | None = None) -> dict[tuple[int, int], float]:
    """``score_matrix``'s scores of the keys, as (a, b) -> score for a <= b, the pairs that score at
    least ``keep`` (and above 0); BLOCK rows at a time, so that no keys x keys array is made.

    ``sole`` (``sole_sources``, in the keys' order): two keys of one source are not scored, as
    their items never join (a cluster holds at most one item a source): a quarter of the pairs
    of five sources."""
    pairs: dict[tuple[int, int], float] = {}
    for rows, cols in blocks(sole or [None] * len(keys)):
        _collect_keys(pairs, _key_scores(keys, rows, cols, workers), rows, cols, keep)
    return pairs


def blocks(sole: list[int | None]) -> list[tuple[list[int], list[int]]]:
    """(rows, columns) of keys to score, at most BLOCK rows each: every pair but those of two
    keys of one source, each once (twice where the rows lead the columns: ``_collect_keys``)."""
    groups: dict[int | None, list[int]] = {None: []}  # the keys of several sources first
    for key, source in enumerate(sole):
        groups.setdefault(source, []).append(key)
    order = [(source, group) for source, group in groups.items() if group]
    found = []
    for n, (source, group) in enumerate(order):
        later = [key for _, other in order[n + 1 :] for key in other]
        for start in range(0, len(group), BLOCK):
            cols = group[start:] + later if source is None else later
            if cols:
                found.append((group[start : start + BLOCK], cols))
    return found


def _key_scores(keys: list[Key], rows: list[int], cols: list[int], workers: int) -> np.ndarray:
    """``score_matrix``'s scores of the keys ``rows`` x ``cols``."""
    texts = [keys[k][0] for k in cols]
    # rows that are the columns themselves: rapidfuzz then scores a pair once
    score = _mean_ratio(texts if rows == cols else [keys[k][0] for k in rows], workers, texts)
    termed_rows = [r for r, k in enumerate(rows) if keys[k][1]]
    termed_cols = [c for c, k in enumerate(cols) if keys[k][1]]
    if termed_rows and termed_cols:
        heads = [keys[cols[c]][2] for c in termed_cols]
        details = [keys[cols[c]][3] for c in termed_cols]
        head_rows = heads if rows == cols else [keys[rows[r]][2] for r in termed_rows]
        detail_rows = details if rows == cols else [keys[rows[r]][3] for r in termed_rows]
        head = process.cdist(head_rows, heads, scorer=fuzz.token_sort_ratio,
                             workers=workers_for(len(head_rows), len(heads), workers))
        by_parts = 0.3 * head + 0.7 * _mean_ratio(detail_rows, workers, details)
        cells = np.ix_(termed_rows, termed_cols)
        score[cells] = np.maximum(score[cells], by_parts)
    return score


def _collect_keys(pairs: dict[tuple[int, int], float], score: np.ndarray, rows: list[int], cols: list[int],
                  keep: float) -> None:
    """Add the cells (row key, column key) of a block that score at least ``keep`` (and above 0
    unless every pair is kept) as pairs (a, b), a <= b."""
    wanted = score >= keep if keep == -np.inf else (score >= keep) & (score > 0)
    at, to = np.nonzero(wanted)
    if cols[: len(rows)] == rows:  # the rows lead the columns: a pair of two rows comes twice
        once = to >= at
        at, to = at[once], to[once]
    values = score[at, to].tolist()
    row_keys, col_keys = np.array(rows, dtype=np.intp)[at], np.array(cols, dtype=np.intp)[to]
    lower, upper = np.minimum(row_keys, col_keys).tolist(), np.maximum(row_keys, col_keys).tolist()
    pairs.update(zip(zip(lower, upper, strict=True), values, strict=True))


def dense_pairs(score: np.ndarray, keep: float) -> dict[tuple[int, int], float]:
    """The pairs a < b of a full score matrix that score at least ``keep`` (and above 0)."""
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, len(score), BLOCK):
        _collect(pairs, score[start : start + BLOCK], start, keep, first=1)
    return pairs


def _collect(pairs: dict[tuple[int, int], float], score: np.ndarray, start: int, keep: float,
             first: int = 0) -> None:
    """Add the cells (row, column) of a block of rows ``start...`` with column >= row + first
    that score at least ``keep``, and above 0 unless every pair is kept."""
    wanted = score >= keep if keep == -np.inf else (score >= keep) & (score > 0)
    rows, cols = np.nonzero(wanted)
    upper = cols >= rows + start + first
    rows, cols = rows[upper], cols[upper]
    values = score[rows, cols].tolist()
    pairs.update(zip(zip((rows + start).tolist(), cols.tolist(), strict=True), values, strict=True))


def _keep(threshold: float) -> float:
    """The lowest score linkage looks at: threshold - SLACK (every pair for a threshold of 0)."""
    return threshold - SLACK if threshold > 0 else -np.inf


# ---- linkage over the pairs kept -----------------------------------------------------------


def _link(pairs: dict[tuple[int, int], float], key_of: list[int], sources: list[int],
          threshold: float, roles: list[str] | None = None, procedures: list[str] | None = None) -> list[list[int]]:
    """Complete linkage with slack over the items whose keys are ``key_of``; a pair of keys not
    in ``pairs`` scores below threshold - SLACK (0 when the threshold is 0). Items of two
    ``roles`` (``Entry.kind``: ``align.role``) never join, whatever their scorer, nor steps of
    two procedures (``Entry.procedure``)."""
    at_least = _single(threshold)
    floor = _single(threshold - SLACK)
    owner = list(range(len(sources)))
    roles = roles or [""] * len(sources)
    procedures = procedures or [""] * len(sources)
    groups = {i: _Group([i], {sources[i]}, {key_of[i]}, {roles[i]}, {procedures[i]} - {""})
              for i in range(len(sources))}
    for _, i, j in _candidates(pairs, key_of, at_least):
        a, b = owner[i], owner[j]
        if a == b or not _can_join(pairs, groups[a], groups[b], floor):
            continue
        for k in groups[b].members:
            owner[k] = a
        groups[a].take(groups.pop(b))
    return sorted((sorted(group.members) for group in groups.values()), key=lambda g: g[0])


@dataclass
class _Group:
    """A cluster while linking: its items, their sources and their keys."""

    members: list[int]
    sources: set[int]
    keys: set[int]
    roles: set[str]
    procedures: set[str]

    def take(self, other: _Group) -> None:
        self.members.extend(other.members)
        self.sources |= other.sources
        self.keys |= other.keys
        self.roles |= other.roles
        self.procedures |= other.procedures


def _candidates(pairs: dict[tuple[int, int], float], key_of: list[int], at_least: float) -> list[tuple[float, int, int]]:
    """Item pairs i < j whose keys score at least ``at_least``, best first, then by (i, j)."""
    items: dict[int, list[int]] = {}
    for i, key in enumerate(key_of):
        items.setdefault(key, []).append(i)
    found: list[tuple[float, int, int]] = []
    for (a, b), value in pairs.items():
        if value < at_least or a not in items or b not in items:
            continue
        if a == b:
            found.extend((-value, i, j) for n, i in enumerate(items[a]) for j in items[a][n + 1 :])
        else:
            found.extend((-value, min(i, j), max(i, j)) for i in items[a] for j in items[b])
    found.sort()
    return found


def _can_join(pairs: dict[tuple[int, int], float], a: _Group, b: _Group, floor: float) -> bool:
    if not a.sources.isdisjoint(b.sources):
        return False
    if a.roles != b.roles or (a.procedures and b.procedures and a.procedures != b.procedures):
        return False
    return all(pairs.get((min(x, y), max(x, y)), 0.0) >= floor for x in a.keys for y in b.keys)


def _single(value: float) -> float:
    """``value`` rounded to float32, as numpy compares it with the float32 scores."""
    return float(np.float32(value))
