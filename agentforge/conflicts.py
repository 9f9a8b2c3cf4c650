"""Possible conflicts between sources: one says to avoid what another recommends.

Variants drift apart in what they advise, not only in how they say it: one collection says
"**Avoid Redux** for new projects", another lists "State: Redux Toolkit, Zustand". A merge
that keeps both gives the agent opposite instructions, so the merge names such pairs (in the
report and on stderr) for a person to settle; it does not pick a side.

A line *discourages* the names (capitalised or in backticks: *Redux*, *useMemo*) that follow
"avoid", "not" (not "not just", "not to be confused with"), "never", "instead of", "rather than" or the "over" of "prefer
A over B", up to the end of the clause. A conflict is such a name, rare in the merged agent (in
at most ``RARE`` lines), said without a discouraging word by a line that no source of the
first line says.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .cluster import STOP_WORDS
from .survivors import Node

CUE = re.compile(
    r"(?i)\b(?:avoid(?:ing)?|not(?! just| only| to be confused)|never|don't|instead of|rather than"
    r"|prefer(?:red|s)?\b[^,;.—()]*?\bover)\s+"
)
CLAUSE_END = re.compile(r"[,;.:—()\[\]]| - | for | when | unless | if ")
WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
NAME = re.compile(r"`[^`]+`|[A-Za-z0-9][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]")
RARE = 4  # a word in more lines than this is a topic of the whole agent, not one choice


@dataclass(frozen=True)
class Conflict:
    """A line that discourages ``word`` and a line of other sources that recommends it."""

    word: str
    against: Node
    recommends: Node


def words(text: str) -> set[str]:
    """Lowercase words, hyphens and dots kept inside (``css-in-js``, ``next.js``), no markdown."""
    return {w for w in WORD.findall(re.sub(r"[*_`]", "", text.lower())) if w not in STOP_WORDS and len(w) > 2}


def discouraged(text: str, plain_words: frozenset[str] = frozenset()) -> set[str]:
    """The names a line advises against: after each cue, up to the end of its clause, the
    words written as names: in backticks (`` `ref()` ``), or with a capital (``Redux``,
    ``useMemo``) and never written in lower case (``plain_words``: "Don't Rely on Color" names
    no tool)."""
    found: set[str] = set()
    plain = re.sub(r"[*_]", "", text)
    for match in CUE.finditer(plain):
        rest = plain[match.end():]
        end = CLAUSE_END.search(rest)
        for name in NAME.findall(rest[: end.start() if end else len(rest)]):
            if name.startswith("`"):
                found |= words(name)
            elif any(char.isupper() for char in name):
                found |= words(name) - plain_words
    return found


def lower_case_words(texts: list[str]) -> frozenset[str]:
    """The words that the texts write in lower case somewhere: ordinary words, not names
    (whole words: "Redux" gives no "edux")."""
    return frozenset(token for text in texts for token in TOKEN.findall(re.sub(r"[*_`]", " ", text))
                     if token.islower())


def find(nodes: list[Node]) -> list[Conflict]:
    """The possible conflicts among the kept output items, each pair once, in output order."""
    said = [words(node.text) for node in nodes]
    plain_words = lower_case_words([node.text for node in nodes])
    against = [discouraged(node.text, plain_words) for node in nodes]
    lines = Counter(w for ws in said for w in ws)
    found: list[Conflict] = []
    seen: set[tuple[int, int]] = set()
    for i, node in enumerate(nodes):
        for word in sorted(w for w in against[i] if lines[w] <= RARE):
            for j, other in enumerate(nodes):
                if j == i or (i, j) in seen or other.sources & node.sources:
                    continue
                if word in said[j] and word not in against[j]:
                    seen.add((i, j))
                    found.append(Conflict(word, node, other))
    return found
