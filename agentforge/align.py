"""Section titles: what kind of section a title names, and how alike two titles are.

Variants name one section differently ("Core Competencies", "Core Expertise", "Your core
responsibilities include"). Each title is mapped to a kind from a small vocabulary drawn from
the most frequent section titles of 1,110 published agents; titles of one kind align, other
titles are compared with rapidfuzz.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from .cluster import normalize

# kind -> words that mark it (first match in this order wins)
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("limits", ("don't know", "dont know", "limitation", "boundar", "constraint", "escalat", "out of scope")),
    ("communication", ("communication", "tone", "response style", "response format", "output format", "reporting")),
    ("quality", ("quality", "checklist", "standard", "verification", "assurance")),
    ("collaboration", ("integration with other agents", "collaborat", "team", "handoff")),
    ("examples", ("example", "use case", "scenario", "interaction")),
    ("principles", ("principle", "philosoph", "guideline", "values", "mindset", "best practice", "traits", "rules")),
    ("responsibilities", ("responsibilit", "duties", "mission", "purpose", "role", "objective")),
    ("approach", ("approach", "workflow", "process", "methodolog", "framework", "protocol", "when invoked",
                  "steps", "decision", "problem solving", "execution", "how you work")),
    ("expertise", ("expertise", "competenc", "capabilit", "skill", "proficien", "knowledge", "focus area",
                   "specialt", "technolog", "stack")),
)


ORDER = ("expertise", "responsibilities", "principles", "approach", "quality", "communication",
         "collaboration", "examples", "limits")


DELIVERABLES = re.compile(r"(?i)\b(?:output|deliverables?)\b(?!\s+(?:format|style))")


def role(title: str | None) -> str:
    """'deliverables' for a section of things the agent hands over ("## Output": "Docker
    Compose files for multi-container setup"), else '' (what it knows or does): a deliverable
    joins no line of another role, nor says one (``cluster``, ``survivors.repeats``,
    ``absorb``), so the Output list stays whole."""
    return "deliverables" if title and DELIVERABLES.search(title) else ""


OPENS = re.compile(r"(?i)(?:expert\s+)?purpose")


def opens(title: str) -> bool:
    """Whether a section's title names the agent's role statement: wshobson's "## Purpose"
    ("Expert backend architect with comprehensive knowledge of ..."), said after its opening
    "You are a ..." line; a second opening when another source is the base."""
    return OPENS.fullmatch(title.strip()) is not None


def rank(title: str | None) -> int | None:
    """The place of a title's kind in the usual order of an agent's sections, or None."""
    found = kind(title)
    return ORDER.index(found) if found else None


@lru_cache(maxsize=4096)
def kind(title: str | None) -> str:
    """The kind of section a title names, or '' when none fits."""
    if not title:
        return ""
    text = title.lower().replace("’", "'")
    for name, marks in KINDS:
        if any(mark in text for mark in marks):
            return name
    return ""


PRAISE = frozenset("best good great essential general common key important advanced modern basic overall "
                   "proper effective core your my our main".split())  # title words that narrow nothing
QUALIFIED = 75.0  # a title and the same title narrowed by words before it: alike, but not by title alone
STEP_TITLE = 85.0  # how alike two steps' titles must be for the two to be one step (``steps_alike``)
PARALLEL_SHARED = 2  # words two titles of one frame share around the one word that tells them apart


@lru_cache(maxsize=65536)
def title_score(a: str | None, b: str | None, strict: bool = False, narrowing: bool = True,
                by_kind: bool = True, family: frozenset[str] = frozenset()) -> float:
    """How alike two section titles are, 0-100 (``_title_score``). ``family``: stems of the
    words of the agents' names (``family_words``), which name no topic of a title of theirs: in
    a database-architect "Database Architecture Expertise" and "Database Technology Selection
    Matrix" share none. They only lower a score: what is left of "Code review checklist" in a
    code-reviewer, "check", is no likeness to "Automated Pre-Checks"."""
    score = _title_score(a, b, strict, narrowing, by_kind)
    return min(score, _title_score(a, b, strict, narrowing, by_kind, family)) if family else score


def _title_score(a: str | None, b: str | None, strict: bool = False, narrowing: bool = True,
                 by_kind: bool = True, family: frozenset[str] = frozenset()) -> float:
    """How alike two section titles are, 0-100.

    Parallel titles (``parallel``): 0, two things. One kind: 90, or 75 when only one title
    names a topic too ("Security-First Mindset" against "Core Principles"), or 50 when both
    name different topics. A title narrowed by words before it (``qualified``): 75, so that
    content decides (not with ``narrowing`` False: step titles, ``steps_alike``). Otherwise rapidfuzz
    on the words: token_set_ratio; ``strict``, when ``a`` is one word and ``b`` more, its mean
    with token_sort_ratio, which falls when the word is a small part of ``b``: "Product" is
    not "Product management checklist", a narrower thing (while "Testing Architecture" is a
    kind of "Testing"); so always for a word only inside a longer title (``_inside``). Without
    ``by_kind``, one kind is no likeness: the words decide. ``family``: words no topic of the titles
    (their kinds compared), which the words still count.
    """
    if a is None or b is None:
        return 100.0 if a is None and b is None else 0.0
    if _words(a) == _words(b):
        return 100.0
    if parallel(_words(a), _words(b)):
        return 0.0
    if kind(a) and kind(a) == kind(b):
        topic_a, topic_b = (" ".join(w for w in _topic(t).split() if w not in family) for t in (a, b))
        if topic_a and topic_b and fuzz.token_set_ratio(topic_a, topic_b) < 60:
            return 50.0
        if by_kind:
            return 75.0 if bool(topic_a) != bool(topic_b) else 90.0
    words_a, words_b = _words(a), _words(b)
    if (strict and len(words_a.split()) == 1 < len(words_b.split())) or _inside(words_a, b) or _inside(words_b, a):
        return (fuzz.token_set_ratio(words_a, words_b) + fuzz.token_sort_ratio(words_a, words_b)) / 2
    if narrowing and qualified(a, b):
        return QUALIFIED
    return float(fuzz.token_set_ratio(words_a, words_b))


# stems of title words that name no topic ("Core Protocol *Implementation Framework*", "Testing *Architecture*")
NO_TOPIC = frozenset("archi frame strat workf appro manag imple platf phase best pract patte advan moder syste pipel proce "
                     "excel maste guide".split())


@lru_cache(maxsize=65536)
def subsection_score(a: str, b: str, family: frozenset[str] = frozenset()) -> float:
    """How alike a subsection's title is to a section's outside its parent's place: by the
    topic words (``_topic``: its kind's words aside, and ``NO_TOPIC``), 90 when the two are of one
    kind (or none) and one title's are all the other's ("Testing
    Architecture" and "Testing:", "Security & Auditing Best Practices" and "Blockchain Security
    and Auditing:"), 0 when one has none ("Workflow Automation" is no "Core Workflow"), else by
    the words, not a kind: "Core Protocol Implementation Framework" is no "Implementation
    Workflow". ``family``: as in ``title_score`` (a business-analyst's "Financial Analysis and
    Modeling" is no "Analysis patterns")."""
    score = _subsection_score(a, b)
    if not family or same_words(a, b):  # one title ("Code Review" in a code-reviewer): alike, name words or not
        return score
    return min(score, _subsection_score(a, b, family))


def _subsection_score(a: str, b: str, family: frozenset[str] = frozenset()) -> float:
    mine, theirs = (set(_topic(STEP_NUMBER.sub("", title)).split()) - NO_TOPIC - family for title in (a, b))
    if mine <= WEAK_TOPIC or theirs <= WEAK_TOPIC:  # none, or "Advanced Prompting Techniques" in a prompt-engineer
        return 0.0
    if kind(a) == kind(b) and (mine <= theirs or theirs <= mine):  # "Python development checklist" is no topic
        return QUALIFIED if qualified(a, b) else 90.0  # "Social Media Content Strategy" is no "Content strategy"
    return title_score(a, b, strict=True, by_kind=False)


# stems of nouns that name a kind of trouble, no topic ("Concurrency *issues*", "Integration Test *Issues*")
TROUBLE = frozenset("issue probl chall".split())


def topic_words(title: str, family: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stems of a title's words that name a topic: its kind's words, ``NO_TOPIC``, words that
    name only a kind of trouble ("Concurrency *issues*") and the agents' names aside."""
    return frozenset(_topic(STEP_NUMBER.sub("", title)).split()) - NO_TOPIC - TROUBLE - family


def family_words(names: list[str | None]) -> frozenset[str]:
    """The stems of the words of the agents' names ("business-analyst": "busin", "analy"): every
    section of these agents is about them, so they name no topic of a section."""
    return frozenset(word for name in names if name for word in _words(name.replace("-", " ")).split())


def shared_topic(a: str, b: str, family: frozenset[str], least: int = 2) -> bool:
    """Whether two titles share ``least`` words that name something: not the agents' names, not
    praise or a generic plural ("Advanced Design Patterns" and "Advanced Patterns" share none;
    "State Management and Architecture" and "State Management Excellence" two)."""
    plain = set(_words(" ".join(PRAISE) + " patterns practices").split())
    return len((set(_words(a).split()) & set(_words(b).split())) - family - plain) >= least


WEAK_TOPIC = frozenset(("techn",))  # a topic word only beside another ("Optimization techniques")


BOUNDARY = frozenset("and or & , / ( ) : ; - — –".split())  # what ends a part of a title


def _inside(word: str, title: str) -> bool:
    """Whether a title of one word names only a modifier inside a longer title: neither its
    first word nor the last of one of its parts (parts end at "and", "&", ",", "(", ":" ...).
    "Output" in "Variable and Output Ordering" (0xfurai's "## Output" had taken terraform's
    variable ordering), "Performance" in "High Performance Computing"; not "Visualization" in
    "Data Visualization & Communication", "Accessibility" in "Web Accessibility (WCAG 2.1)",
    nor "Performance" in "1. Performance Tuning" (a step's number is no word of it)."""
    if len(word.split()) != 1:
        return False
    tokens = re.findall(r"[\w']+|[^\w\s']", STEP_NUMBER.sub("", title))
    tokens = [t for t in tokens if t.lower() in BOUNDARY or _words(t)]
    return any(_words(token) == word and 0 < k < len(tokens) - 1 and tokens[k + 1].lower() not in BOUNDARY
               for k, token in enumerate(tokens) if token.lower() not in BOUNDARY)


# a step's number: "### 1. Read All Inputs", "Step 2: Build" (not "404: Not Found", "2024: Roadmap")
_STEP = r"(?:(?:step|phase)\s+\d{1,2}\b[.):]?|\d{1,2}[.)])"
NUMBERED = re.compile(rf"\s*{_STEP}\s", re.IGNORECASE)  # a title that is a numbered step
STEP_NUMBER = re.compile(rf"^\s*{_STEP}\s*", re.IGNORECASE)  # the number before a title, to drop
COORDINATED = re.compile(r"(?i)\b(?:and|or)\b|[&/,]")


def qualified(a: str, b: str) -> bool:
    """Whether one title is the other with words before it that narrow it to one kind: "Social
    Media Content Strategy" of "Content strategy", "Frontend Performance Optimization" of
    "Performance Optimization". Words after it widen it ("Content Strategy & Planning"), as do
    words joined to it ("Security and Compliance", "Developer Experience & Tooling"); words of
    praise narrow nothing ("Best Practices" of "Core Practices"), nor a step's number ("Phase
    3: Production Readiness")."""
    titles = sorted((STEP_NUMBER.sub("", a), STEP_NUMBER.sub("", b)), key=lambda t: len(_words(t).split()))
    short, long = (_words(t).split() for t in titles)
    if _subtitled(titles[0], titles[1]):
        return True
    if not (0 < len(short) < len(long) and long[-len(short):] == short) or COORDINATED.search(titles[1]):
        return False
    return not _raw_words(titles[1]) - _raw_words(titles[0]) <= PRAISE


GENERIC_SUBTITLE = frozenset("overview introduction summary basics fundamentals essentials general".split())


def _subtitled(short: str, long: str) -> bool:
    """Whether ``long`` is ``short`` with a subtitle that names one thing of it: "Feature
    Prioritization: RICE Scoring" of "Feature prioritization"."""
    head, colon, rest = long.partition(":")
    return bool(colon and _words(rest).strip() and _words(short).strip()) and _words(head) == _words(short) \
        and not _raw_words(rest) <= PRAISE | GENERIC_SUBTITLE


def _raw_words(title: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", title.lower()))


def parallel(a: str, b: str) -> bool:
    """Whether two titles are one frame around two things: the same words in the same order
    but one, a modifier (not the last word, which names the kind of thing), with at least
    ``PARALLEL_SHARED`` words around it: "Performance Issue Investigation" and "Production
    Issue Investigation", "Frontend Performance Optimization" and "Backend ...". Not "Type
    System Mastery" and "Type System Strategy": one topic, two ways of saying what about it."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b) or len(words_a) <= PARALLEL_SHARED:
        return False
    differ = [k for k, (x, y) in enumerate(zip(words_a, words_b, strict=True)) if x != y]
    if len(differ) != 1 or differ[0] == len(words_a) - 1:
        return False
    x, y = words_a[differ[0]], words_b[differ[0]]
    return not (x.startswith(y) or y.startswith(x))  # "Advanced Type Patterns", "Advanced TypeScript Patterns"


@lru_cache(maxsize=16384)
def _words(title: str) -> str:
    return normalize(re.sub(r"(?i)\b(your|you|core|include[s]?|my|our|key|main|to|development|developer|engineering)\b", " ", title))


def same_words(a: str | None, b: str | None) -> bool:
    """Whether two titles say the same words (fillers such as "Your" and "Core" aside)."""
    return _words(a or "") == _words(b or "")


def _topic(title: str) -> str:
    """The words of a title that do not name its kind."""
    text = title.lower().replace("’", "'")
    for mark in dict(KINDS).get(kind(title), ()):
        text = re.sub(re.escape(mark) + r"\w*", " ", text)
    return _words(text)


def steps_alike(a: str, b: str) -> bool:
    """Whether two steps' titles name one step ("Understand the Context", "Understand Context
    First"): two procedures that share one are one (``outline``), and a step that is only its
    title is the other (``absorb``)."""
    return title_score(a, b, narrowing=False) >= STEP_TITLE
