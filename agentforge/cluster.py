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
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 62.0
SLACK = 12.0
SCORERS = ("lexical", "semantic", "fused")
# candidate thresholds, chosen on the seeds pairs (bench/pairs.py --sweep): the highest recall of the
# merge with at most one wrong join
THRESHOLDS = {"lexical": DEFAULT_THRESHOLD, "semantic": 65.0, "fused": 62.0}
FUSE = 0.7  # weight of the semantic score in the fused one
STEM = 5
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
    kind: str = ""


def normalize(text: str) -> str:
    """Lowercase words without markdown and stop words, each cut to a short stem."""
    words = re.findall(r"[a-z0-9][a-z0-9+#]*", re.sub(r"[*_`]", " ", text.lower()))
    return " ".join(word[:STEM] for word in words if word not in STOP_WORDS)


def score_matrix(entries: list[Entry], workers: int = -1) -> np.ndarray:
    """Pairwise similarity of all entries, 0-100."""
    texts = [normalize(entry.text) for entry in entries]
    score = _mean_ratio(texts, workers)
    heads = [normalize(entry.term or "") for entry in entries]
    details = [normalize(entry.detail) if entry.term else "" for entry in entries]
    has_term = np.array([bool(entry.term) for entry in entries])
    both = np.outer(has_term, has_term)
    if both.any():
        head = process.cdist(heads, heads, scorer=fuzz.token_sort_ratio, workers=workers)
        by_parts = 0.3 * head + 0.7 * _mean_ratio(details, workers)
        score = np.where(both, np.maximum(score, by_parts), score)
    return score


def _mean_ratio(texts: list[str], workers: int, choices: list[str] | None = None) -> np.ndarray:
    """Mean of token_set_ratio and token_sort_ratio, computed in place (one float32 matrix)."""
    choices = texts if choices is None else choices
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
    if scorer == "semantic":
        return cosine
    return FUSE * cosine + (1 - FUSE) * score_matrix(entries, workers)


def cluster(
    entries: list[Entry], threshold: float = DEFAULT_THRESHOLD, workers: int = -1,
    scorer: str = "lexical", vectors: np.ndarray | None = None,
) -> list[list[int]]:
    """Clusters as lists of entry indexes, each sorted, in order of their first entry."""
    if not entries:
        return []
    score = scored(entries, scorer, vectors, workers)
    return link(score, [entry.source for entry in entries], threshold)


def link(score: np.ndarray, sources: list[int], threshold: float) -> list[list[int]]:
    """Complete linkage with slack, best pairs first, at most one item per source a cluster."""
    owner = list(range(len(sources)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sources))}
    rows, cols = np.nonzero(np.triu(score >= threshold, k=1))
    order = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: (-score[p], p))
    for i, j in order:
        a, b = owner[i], owner[j]
        if a == b or not _can_join(score, members[a], members[b], sources, threshold - SLACK):
            continue
        for k in members[b]:
            owner[k] = a
        members[a].extend(members.pop(b))
    return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])


def _can_join(score: np.ndarray, a: list[int], b: list[int], sources: list[int], floor: float) -> bool:
    if {sources[i] for i in a} & {sources[j] for j in b}:
        return False
    return bool(score[np.ix_(a, b)].min() >= floor)
