"""Find families of agents in a library: copies, drifted copies and one role under many names,
and the name clashes that must not be merged.

Four kinds of family; an agent is in at most one family, and the agents of a family are in one
natural language (``language.detect``):

- ``identical``: the same body once normalised (``cluster.normalize``: markdown, stop words
  and word endings do not count).
- ``near``: bodies that score at least ``threshold`` with ``fuzz.ratio`` on their set of
  normalised lines, sorted (so a reordered list is no change; a dropped or reworded line
  costs its share), joined by union-find. Identical bodies count once, and their copies are
  members too (so an identical group inside a near one is not reported again).
- ``clash``: files whose ``name`` is another file's, with a body below the threshold, and
  whose file name does not say that name (``vue-state-manager.md`` named
  ``vue-component-architect``): a copy-paste mistake, reported with the command that renames
  the file, never merged. The files that rightly hold the name are ``clashes_with``.
- ``name``: agents with one role (see ``role``) among those in no family above (independent
  rewrites, or copies that drifted below the threshold).
- ``semantic`` (only with an embedder, ``scan --scorer semantic``): two agents left over whose
  names differ but are related (see ``related_names``), each the other's nearest by the
  embedding of what it says it does (``role_text``), with a cosine of at least
  ``SEMANTIC_THRESHOLD``.

``similarity`` is the lowest body score of a member against the family's first member
(100 for identical bodies); for a clash, the highest score of a member against another file
of that name. Suggested ``-o`` files are unique within a scan (``-2``, ``-3`` added).

Nothing is compared all against all. Identical bodies meet in a dict; near-duplicate
candidates come from MinHash locality-sensitive hashing on word 3-shingles (32 bands of 4
rows, so pairs with a shingle Jaccard of 0.5 meet with probability 0.87 and of 0.1 with
0.003), and only candidates are scored, skipping pairs union-find has already joined.
A bucket of more than ``BUCKET_CAP`` bodies pairs each body with the ``BUCKET_CAP`` before it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from . import files, language, rules
from .cluster import normalize
from .description import clean_prose
from .errors import AgentforgeError
from .fields import kebab
from .model import Agent, Paragraph, walk_sections
from .plural import count
from .progress import Progress, tick

DEFAULT_THRESHOLD = 85.0
KINDS = ("identical", "near", "clash", "name", "semantic")
GENERIC = frozenset({"expert", "specialist", "pro", "developer", "engineer"})
SEMANTIC_THRESHOLD = 0.75  # cosine of two role texts (measured on the corpus: README, scan)
SEMANTIC_MARGIN = 0.1  # above either agent's next nearest: no sibling as near
ROLE_TEXT_CHARS = 1500
ROLE_WORDS = GENERIC | {"architect", "agent", "subagent", "analyst", "analyzer", "advisor", "manager",
                        "consultant", "optimizer", "tester", "checker", "reviewer", "auditor",
                        "strategist", "builder", "creator", "designer", "writer", "dba", "master",
                        "guru", "assistant"}
BANDS, ROWS = 32, 4
BUCKET_CAP = 64
NAMED_BY_FILE = 85  # fuzz.ratio of a file name's ending and the agent's name, at least



@dataclass(frozen=True)
class Member:
    """One agent of a family: its file and its frontmatter name."""

    path: str
    name: str | None


@dataclass(frozen=True)
class Family:
    """Agents that say the same thing (or, for a clash, that take one name and should not):
    how they are related, how closely, who they are, and what to run."""

    kind: str  # identical | near | clash | name
    similarity: float
    members: tuple[Member, ...]
    name: str  # the role they share: a name for the merged agent; for a clash, the name taken
    clashes_with: tuple[Member, ...] = ()  # clash: the other files of that name (not members)
    outputs: tuple[str, ...] = ()  # the suggested -o files, unique within a scan

    def output_stems(self) -> list[str]:
        """What the commands would write, before ``-2`` suffixes: the role, or each new name."""
        if self.kind == "clash":
            return [new_name(m, self.name) for m in self.members]
        return [self.name]

    def commands(self) -> list[str]:
        """The merge command, or for a clash the command that renames each member."""
        outputs = self.outputs or tuple(stem + ".md" for stem in self.output_stems())
        if self.kind == "clash":
            return [
                f"agentforge new --from {shlex.quote(m.path)} --name {shlex.quote(stem)} -o {shlex.quote(out)}"
                for m, stem, out in zip(self.members, self.output_stems(), outputs, strict=True)
            ]
        paths = " ".join(shlex.quote(m.path) for m in self.members)
        name = "" if rules.name_problem(self.name) else f" --name {shlex.quote(self.name)}"
        return [f"agentforge merge {paths}{name} -o {shlex.quote(outputs[0])}"]

    def merge_command(self) -> str:
        """The command that merges this family (a clash is never merged: its rename commands)."""
        return "\n".join(self.commands())


def new_name(member: Member, taken: str) -> str:
    """A name for a file that took another's: its file name (the part after the last ``__`` of a
    flattened path), when that is a valid name and not the name taken; else ``TAKEN-2``."""
    stem = kebab(Path(member.path).stem.split("__")[-1])
    return stem if stem and stem != taken and not rules.name_problem(stem) else f"{taken}-2"


@dataclass(frozen=True)
class Scan:
    """The families found in some files, how many agents were read, which files were not."""

    families: tuple[Family, ...]
    agents: int
    skipped: tuple[tuple[str, str], ...] = ()  # (path, why)
    semantic: bool = False  # whether the semantic kind was looked for

    def counts(self) -> dict[str, int]:
        kinds = KINDS if self.semantic else KINDS[:-1]
        return {kind: sum(f.kind == kind for f in self.families) for kind in kinds}

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.counts().items())
        skipped = f"; {count(len(self.skipped), 'file')} skipped" if self.skipped else ""
        return (f"{count(len(self.families), 'family', 'families')} ({kinds}) among "
                f"{count(self.agents, 'agent')}{skipped}")

    def text(self) -> str:
        """One block a family, largest first: a header row, its members, the commands."""
        lines = [f"{'kind':<9}  {'similarity':>10}  {'agents':>6}  family", ""]
        for family in self.families:
            lines.append(
                f"{family.kind:<9}  {family.similarity:>10.0f}  {len(family.members):>6}  {family.name}"
            )
            shown = family.members + family.clashes_with
            width = max(len(m.name or "-") for m in shown)
            lines.extend(f"    {m.name or '-':<{width}}  {m.path}" for m in family.members)
            if family.clashes_with:
                lines.append(f"    name clash: {'this file takes' if len(family.members) == 1 else 'these files take'}"
                             " the name of these, whose bodies differ:")
                lines.extend(f"    {m.name or '-':<{width}}  {m.path}" for m in family.clashes_with)
            lines.extend([*(f"    {command}" for command in family.commands()), ""])
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        data = {
            "families": [
                {
                    "kind": f.kind,
                    "similarity": round(f.similarity, 1),
                    "name": f.name,
                    "members": [{"path": m.path, "name": m.name} for m in f.members],
                    **({"clashes_with": [{"path": m.path, "name": m.name} for m in f.clashes_with]}
                       if f.kind == "clash" else {}),
                    "outputs": list(f.outputs),
                    "commands": f.commands(),
                }
                for f in self.families
            ],
            "agents": self.agents,
            "skipped": [{"path": path, "error": why} for path, why in self.skipped],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---- files at the edge -------------------------------------------------------------------


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    embedder: Embed | None = None,
) -> Scan:
    """Load every agent under ``paths`` (a file that does not load is skipped) and find families;
    with ``embedder`` (``embed.Embedder.embed``), semantic ones too.

    Files are read one at a time and each body is dropped once its signature is taken, so that
    memory grows with the distinct normalised bodies, not with the library's files and models.
    """
    paths = list(paths)
    found = files.find_agents(paths)
    if not found:
        raise AgentforgeError("no agent files (*.md) found", ", ".join(map(str, paths)))
    skipped: list[tuple[str, str]] = []

    def agents() -> Iterator[Agent]:
        for done, path in enumerate(found, 1):
            try:
                yield files.load(path)
            except AgentforgeError as error:
                skipped.append((str(path), error.message))
            tick(progress, "reading", done, len(found))

    families = find_families(agents(), threshold, progress, embedder)
    return Scan(tuple(families), len(found) - len(skipped), tuple(skipped), embedder is not None)


# ---- the core: agents in, families out ----------------------------------------------------


def find_families(
    agents: Iterable[Agent],
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    embedder: Embed | None = None,
) -> list[Family]:
    """Body, clash and name families of these agents, largest first, in a stable order.

    Each agent is in at most one family; agents in different natural languages never share one.
    The agents are read once, in order (an iterator is enough), and not kept.
    """
    if not 0 <= threshold <= 100:
        raise AgentforgeError(f"threshold must be between 0 and 100, not {threshold:g}")
    library = Library(keep_text=embedder is not None)
    for agent in agents:
        library.add(agent)
    members, roles, languages, body_of, lines = (library.members, library.roles, library.languages,
                                                 library.body_of, library.lines)
    component = near_components(lines, threshold, progress)
    body_key = [_component(a, body_of, component) for a in range(len(members))]

    families: list[Family] = []
    taken: set[int] = set()
    # body families: identical bodies, or near ones (with their identical copies), one language
    for group in _groups(range(len(members)), lambda a: (body_key[a], languages[a])):
        if len(group) > 1:
            kind = "near" if len({body_of[a] for a in group}) > 1 else "identical"
            families.append(_family(kind, group, members, roles, body_of, lines))
            taken.update(group)
    # name clashes: one name, bodies below the threshold, and a file whose name is not its file's
    for group in _groups(range(len(members)), lambda a: kebab(members[a].name or "")):
        if len({body_key[a] for a in group}) < 2:
            continue
        wrong = [a for a in group if a not in taken and not named_by_file(members[a].name, library.paths[a])]
        if wrong:
            holders = [a for a in group if a not in wrong]
            families.append(_clash(wrong, holders, members, body_of, lines))
            taken.update(wrong)
    # one role under several names, among the agents left
    for group in _groups((a for a in range(len(members)) if a not in taken),
                         lambda a: (role_key(roles[a]), languages[a]) if role_key(roles[a]) else None):
        if len(group) > 1:
            families.append(_family("name", group, members, roles, body_of, lines))
            taken.update(group)
    if embedder is not None:
        held = {m for f in families for m in f.clashes_with}  # a name clash is never merged
        left = [a for a in range(len(members)) if a not in taken and members[a] not in held]
        families.extend(semantic_families(left, library, embedder, progress))
    families.sort(key=lambda f: (-len(f.members), KINDS.index(f.kind), f.members[0].path))
    return _unique_outputs(families, library.paths)


class Library:
    """What scanning keeps of each agent: its member, role and language, and the index of its
    body among the distinct normalised bodies (each kept once, as its sorted set of lines)."""

    def __init__(self, keep_text: bool = False) -> None:
        self.keep_text = keep_text
        self.texts: list[str] = []  # per agent, with keep_text: its role_text
        self.members: list[Member] = []
        self.paths: list[str | os.PathLike[str] | None] = []
        self.roles: list[str] = []
        self.languages: list[str] = []
        self.body_of: list[int | None] = []
        self.lines: list[str] = []  # per distinct body: its normalised lines, sorted, once each
        self._bodies: dict[bytes, int] = {}  # digest of a normalised body -> its index
        self._language: dict[bytes, str] = {}  # digest of a body -> its language
        self._normal_line: dict[str, str] = {}  # copies share most lines: normalise each line once

    def add(self, agent: Agent) -> None:
        text = agent.body.text
        self.members.append(Member(str(agent.path), agent.name))
        self.paths.append(agent.path)
        self.roles.append(role(agent.name, agent.path))
        self.languages.append(self._detect(text))
        self.body_of.append(self._body(text))
        if self.keep_text:
            self.texts.append(role_text(agent))

    def _detect(self, text: str) -> str:
        digest = _digest(text)
        if digest not in self._language:
            self._language[digest] = language.detect(text)
        return self._language[digest]

    def _body(self, text: str) -> int | None:
        normal = []
        for line in text.splitlines():
            if line not in self._normal_line:
                self._normal_line[line] = normalize(line)
            normal.append(self._normal_line[line])
        key = " ".join(line for line in normal if line)
        if not key:
            return None
        digest = _digest(key)
        if digest not in self._bodies:
            self._bodies[digest] = len(self.lines)
            self.lines.append("\n".join(sorted(set(normal) - {""})))
        return self._bodies[digest]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def named_by_file(name: str | None, path: str | os.PathLike[str] | None) -> bool:
    """Whether the file name says the agent's name: ``backend-architect.md`` for
    ``api-scaffolding-backend-architect`` or ``backend-architect``, ``architect-review.md`` for
    ``architect-reviewer`` (the name's last words, spelt nearly alike), or a path holding all
    the name's words and ending with its last (a plugin folder). No name: True."""
    if not name or not kebab(name) or path is None:
        return True
    stem, words = kebab(Path(path).stem), kebab(name).split("-")
    tails = ["-".join(words[start:]) for start in range(len(words) - 1)] or [kebab(name)]
    if any(stem == tail or stem.endswith("-" + tail) for tail in tails):
        return True
    if stem.split("-")[-1] == words[-1] and set(words) <= set(stem.split("-")):
        return True  # debugging-toolkit-debugger in plugins__debugging-toolkit__agents__debugger.md
    ending = "-".join(stem.split("-")[-len(words):])
    return fuzz.ratio(ending, kebab(name)) >= NAMED_BY_FILE


def _unique_outputs(families: list[Family], inputs: Iterable[str | os.PathLike[str] | None]) -> list[Family]:
    """The same families, each suggested output file a different one and none of the files
    scanned (``-2``, ``-3`` added); outputs are relative to the working folder."""
    used: set[str] = set()
    scanned = {os.path.abspath(path) for path in inputs if path is not None}
    out = []
    for family in families:
        outputs = []
        for stem in family.output_stems():
            candidate, n = stem, 1
            while candidate in used or os.path.abspath(candidate + ".md") in scanned:
                n += 1
                candidate = f"{stem}-{n}"
            used.add(candidate)
            outputs.append(candidate + ".md")
        out.append(replace(family, outputs=tuple(outputs)))
    return out


def _component(agent: int, body_of: list[int | None], component: list[int]) -> tuple[int, int]:
    body = body_of[agent]
    return (0, component[body]) if body is not None else (1, agent)


def _groups(indexes: Iterable[int], key: Callable[[int], object]) -> list[list[int]]:
    """Indexes grouped by key (None: in no group), each group in index order."""
    groups: dict[object, list[int]] = defaultdict(list)
    for i in indexes:
        k = key(i)
        if k is not None and k != "":
            groups[k].append(i)
    return list(groups.values())


def _score(lines: list[str], a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return 0.0
    return 100.0 if a == b else float(fuzz.ratio(lines[a], lines[b]))


def _family(
    kind: str,
    group: list[int],
    members: list[Member],
    roles: list[str],
    body_of: list[int | None],
    lines: list[str],
) -> Family:
    group = sorted(group, key=lambda a: (members[a].path, a))
    first = body_of[group[0]]
    similarity = 100.0
    if kind != "identical":
        others = {body_of[a] for a in group} - {first}
        similarity = min((_score(lines, first, b) for b in others), default=100.0)
    named = Counter(r for r in (roles[a] for a in group) if r)
    name = min(named, key=lambda r: (-named[r], r)) if named else "agent"
    return Family(kind, float(similarity), tuple(members[a] for a in group), name)


def _clash(
    wrong: list[int], holders: list[int], members: list[Member], body_of: list[int | None], lines: list[str]
) -> Family:
    """Files that took a name that is not their file's, next to other files of that name."""
    wrong = sorted(wrong, key=lambda a: (members[a].path, a))
    holders = sorted(holders, key=lambda a: (members[a].path, a))
    similarity = max(
        (_score(lines, body_of[a], body_of[b]) for a in wrong for b in wrong + holders if a != b), default=0.0
    )
    name = kebab(members[wrong[0]].name or "")
    return Family("clash", similarity, tuple(members[a] for a in wrong), name,
                  clashes_with=tuple(members[a] for a in holders))


# ---- near duplicates: MinHash LSH, then rapidfuzz on candidates ---------------------------


def near_components(texts: list[str], threshold: float, progress: Progress | None = None) -> list[int]:
    """For each text, the smallest index of the texts joined to it (``fuzz.ratio`` >= threshold)."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = candidate_pairs(signatures(texts, progress))
    for done, (i, j) in enumerate(pairs, 1):
        a, b = find(i), find(j)
        if a != b and fuzz.ratio(texts[i], texts[j], score_cutoff=threshold) >= threshold:
            parent[max(a, b)] = min(a, b)
        tick(progress, "comparing bodies", done, len(pairs))
    return [find(i) for i in range(len(texts))]


def _coefficients(label: str, count: int) -> np.ndarray:
    """Fixed odd 32-bit multipliers, the same on every machine and run."""
    digests = (hashlib.blake2b(f"{label}{i}".encode(), digest_size=4).digest() for i in range(count))
    return np.array([int.from_bytes(d, "big") | 1 for d in digests], dtype=np.uint32)


_A = _coefficients("a", BANDS * ROWS)[:, None]
_B = _coefficients("b", BANDS * ROWS)[:, None]
_MIX = _coefficients("mix", 3)


def _scramble(values: np.ndarray) -> np.ndarray:
    """Mix the high bits of 32-bit hashes into the low ones (arithmetic wraps modulo 2**32)."""
    mixed: np.ndarray = values ^ (values >> np.uint32(15))
    return mixed


def signatures(texts: list[str], progress: Progress | None = None) -> np.ndarray:
    """A MinHash signature (BANDS x ROWS 32-bit values) of each text's word 3-shingles.

    Each word is hashed once (crc32); a shingle mixes its three word hashes; the k-th
    signature value is the minimum of ``scramble(a_k * shingle + b_k)`` (uint32 arithmetic,
    which numpy vectorises: a 64-bit modular hash is 15 times slower).
    """
    ids: dict[str, int] = {}
    rows = np.zeros((len(texts), BANDS * ROWS), dtype=np.uint32)
    for t, text in enumerate(texts):
        words = text.split()
        for word in words:
            if word not in ids:
                ids[word] = zlib.crc32(word.encode())
        w = np.fromiter((ids[word] for word in words), dtype=np.uint32, count=len(words))
        if len(w) >= 3:
            w = _scramble(w[:-2] * _MIX[0] + w[1:-1] * _MIX[1] + w[2:] * _MIX[2])
        shingles = np.unique(w)
        if len(shingles):
            rows[t] = _scramble(_A * shingles[None, :] + _B).min(axis=1)
        tick(progress, "hashing bodies", t + 1, len(texts))
    return rows


def candidate_pairs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i < j) of rows that agree on all the values of at least one band, sorted."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        block = rows[:, band * ROWS : (band + 1) * ROWS]
        _, bucket = np.unique(block, axis=0, return_inverse=True)
        order = np.argsort(bucket.ravel(), kind="stable")
        ends = np.flatnonzero(np.diff(bucket.ravel()[order])) + 1
        for members in np.split(order, ends):
            if len(members) > 1:
                ordered = sorted(members.tolist())
                for k, j in enumerate(ordered):
                    for i in ordered[max(0, k - BUCKET_CAP) : k]:
                        pairs.add((i, j))
    return sorted(pairs)


# ---- same role by name -------------------------------------------------------------------


def role(name: str | None, path: str | os.PathLike[str] | None) -> str:
    """The role an agent plays: its kebab-case name, less a prefix its file name leaves out.

    ``api-scaffolding-backend-architect`` in ``.../backend-architect.md`` plays
    ``backend-architect``: the longest ending of the name (two words or more) that ends the
    file name too. An agent with no name plays its file name.
    """
    stem = kebab(Path(path).stem) if path is not None else ""
    if not name or not kebab(name):
        return stem
    words = kebab(name).split("-")
    for start in range(len(words) - 1):
        tail = "-".join(words[start:])
        if stem == tail or stem.endswith("-" + tail):
            return tail
    return kebab(name)


def role_key(role_name: str) -> str:
    """A role without a generic last word: ``python-pro``, ``python-expert`` -> ``python``.

    A trailing ``agent`` goes only after such a word (``laravel-expert-agent``), so that
    ``review-agent`` (an Obsidian vault checker) does not meet ``review`` (a PR reviewer).
    """
    words = role_name.split("-")
    if len(words) > 2 and words[-1] in ("agent", "subagent") and words[-2] in GENERIC:
        words.pop()
    while len(words) > 1 and words[-1] in GENERIC:
        words.pop()
    return "-".join(words)


# ---- same role by meaning (the semantic scorer) ------------------------------------------

Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, one row a text


def role_text(agent: Agent) -> str:
    """What an agent says it does: its description without examples, its body's first
    paragraph and its headings (at most ``ROLE_TEXT_CHARS`` characters)."""
    described = agent.frontmatter.description
    prose = clean_prose(described.prose) if described else ""
    sections = walk_sections(agent.body)
    blocks = [*agent.body.intro, *(block for section in sections for block in section.blocks)]
    first = next((block.text for block in blocks if isinstance(block, Paragraph)), "")
    headings = "; ".join(section.title for section in sections)
    return "\n".join(part for part in (prose, first, headings) if part)[:ROLE_TEXT_CHARS]


def semantic_families(left: list[int], library: Library, embedder: Embed,
                      progress: Progress | None = None) -> list[Family]:
    """Pairs among ``left`` of one language, each the other's nearest role text, close enough,
    with related names (``related_names``)."""
    tick(progress, "embedding roles", 0, 1)
    vectors = embedder([library.texts[a] for a in left]) if left else np.zeros((0, 1), np.float32)
    tick(progress, "embedding roles", 1, 1)
    families = []
    for group in _groups(range(len(left)), lambda i: library.languages[left[i]]):
        for i, j, cosine in nearest_pairs(vectors[group], SEMANTIC_THRESHOLD, SEMANTIC_MARGIN):
            a, b = left[group[i]], left[group[j]]
            if related_names(library.roles[a], library.roles[b]):
                pair = sorted([a, b], key=lambda k: (library.members[k].path, k))
                named = sorted(library.roles[k] for k in pair)
                families.append(Family("semantic", round(100 * cosine, 1),
                                       tuple(library.members[k] for k in pair), named[0]))
    return families


def nearest_pairs(vectors: np.ndarray, threshold: float = SEMANTIC_THRESHOLD,
                  margin: float = 0.0) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of rows that are each other's nearest (cosine, ties to the lower index),
    with a cosine of at least ``threshold`` and at least ``margin`` above either row's next nearest."""
    if len(vectors) < 2:
        return []
    cosines = vectors @ vectors.T
    np.fill_diagonal(cosines, -2.0)
    nearest = cosines.argmax(axis=1)
    second = np.sort(cosines, axis=1)[:, -2] if len(vectors) > 2 else np.full(len(vectors), -2.0)
    return [(i, int(j), float(cosines[i, j])) for i, j in enumerate(nearest)
            if i < j and nearest[j] == i and cosines[i, j] >= threshold
            and cosines[i, j] - max(second[i], second[j]) >= margin]


def related_names(one: str, other: str) -> bool:
    """Whether two roles may be one under two names: different, sharing a topic word (words
    that are not ``ROLE_WORDS``; ``postgres`` and ``postgresql`` match, one the start of the
    other), neither with a topic word the other lacks where both have one (``csharp-mcp`` and
    ``typescript-mcp`` are siblings), and no unmatched word in front of the shared ones
    (``unity-game-developer`` is narrower than ``game-developer``)."""
    if role_key(one) == role_key(other):
        return False
    short, long = sorted((_topic(one), _topic(other)), key=len)
    if any(_unmatched(short, long)):
        return False
    return not _unmatched(long, short)[0]


def _topic(role_name: str) -> list[str]:
    words = [w for w in role_name.split("-") if w]
    return [w for w in words if w not in ROLE_WORDS] or words


def _unmatched(words: list[str], others: list[str]) -> list[bool]:
    """For each word, whether no word of ``others`` matches it."""
    return [not any(_match(w, v) for v in others) for w in words]


def _match(one: str, other: str) -> bool:
    return one == other or (min(len(one), len(other)) >= 3 and (one.startswith(other) or other.startswith(one)))
