"""The merged frontmatter: name, description, tools, model, color and the other keys.

The description is the base's prose, each sentence once, with another source's trigger
sentence ("Use this agent when ...", "Use PROACTIVELY ...") only where the base has none, then
at most ``max_examples`` examples, repeats removed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from . import rules
from .cluster import Entry, cluster
from .model import Example, Frontmatter

PROACTIVE = re.compile(r"(?i)\bproactively\b")
EXAMPLE_REPEAT = 80.0  # examples share boilerplate ("I need to ..."): only near-copies are one
ROLE = re.compile(r"(?i)\s*(?:you are|i am|i'm)\b")
# a sentence that says what the agent is: "Scala expert specializing in ...", "An elite backend specialist for ..."
PITCH = re.compile(r"(?i)\s*(?:an?\s+)?(?:[\w.+#/-]+\s+){0,3}(?:expert|specialist|developer|engineer|architect|"
                   r"consultant|professional)\s+(?:specializing|specialized|focused|focusing|for|in|with|who)\b")
LEADING = re.compile(r"^(?:\S+\s+){0,2}\S+:\s*\n\s*")  # a lead-in of up to three words on its own line
# stems of words that describe any agent, not what it is for
DESCRIBING = frozenset("agent excel speci writi code maint scala docum well multi frame acros assis help task build "
                       "exper work need compl effic clean vario domai robus relia reada".split())
NEW_SENTENCES, NEW_WORDS, NEW_SHARE = 2, 3, 2 / 3  # another description's sentences of new topics (``_new_topics``)
TRIGGER = re.compile(r"(?i)^\s*(?:use\s+(?:this\s+agent|proactively|when|for|to)\b|use\s+\S+\s+proactively|invoked\s+(?:for|when)\b)")


def kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def merge_frontmatter(frontmatters: list[Frontmatter], name: str | None, tools: str, model: str | None,
                      color: str | None, max_examples: int, copies: frozenset[int] = frozenset()) -> list[tuple[str, Any]]:
    """Name, description, tools, model, color and other keys, in the base's key order.
    ``copies``: the sources that are a later revision of another (``revisions``); a file and
    its copy are one vote for the name and the model (davila7's react-specialist and VoltAgent's,
    against two react-experts)."""
    names = [kebab(fm.name) for k, fm in enumerate(frontmatters) if fm.name and k not in copies]
    name = name or common_name(names)
    old_names = own_names([fm.name for fm in frontmatters if fm.name])
    values: dict[str, Any] = {
        "name": name,
        "description": rename(merge_description(frontmatters, max_examples), old_names, name),
        "tools": merge_tools([fm.tools for fm in frontmatters], tools, copies),
        "model": model or merge_model([fm.get("model") for k, fm in enumerate(frontmatters) if k not in copies]),
        "color": color,
    }
    for key in dict.fromkeys(k for fm in frontmatters for k in fm.keys):
        if values.get(key) is None and key not in ("tools", "model"):
            values[key] = most_common([fm.get(key) for fm in frontmatters if fm.get(key) is not None])
    order = [*frontmatters[0].keys, *values]
    return [(key, values[key]) for key in dict.fromkeys(order) if values.get(key) not in (None, "")]


def common_name(names: list[str]) -> str | None:
    """The name most sources share; when each has its own, the role they end in, of two words
    or more ("frontend-mobile-development-mobile-developer" and
    "multi-platform-apps-mobile-developer" are "mobile-developer"), else the first."""
    if len(set(names)) == len(names) > 1:
        words = [name.split("-") for name in names]
        shared = 0
        while shared < min(map(len, words)) and len({tuple(w[len(w) - shared - 1:]) for w in words}) == 1:
            shared += 1
        if shared >= 2:
            return "-".join(words[0][-shared:])
    return most_common(names)  # type: ignore[no-any-return]


def most_common(values: list[Any]) -> Any:
    """The most frequent value; ties go to the earliest."""
    if not values:
        return None
    counts = Counter(repr(v) for v in values)
    return max(values, key=lambda v: (counts[repr(v)], -values.index(v)))


def model_vote(value: Any) -> str:
    """What a source's ``model`` votes for: ``inherit`` when it has none (Claude Code's default)."""
    if value is None or isinstance(value, str) and value.strip().lower() in ("", "inherit"):
        return "inherit"
    return value if isinstance(value, str) else repr(value)


ALIASES = ("sonnet", "opus", "haiku", "fable")  # Claude Code's model aliases (FORMAT.md)


def model_family(value: Any) -> str:
    """What a source's ``model`` votes for, by family: a full Claude model id votes for its
    alias ("claude-sonnet-4-20250514" for sonnet), anything else for itself (``model_vote``)."""
    vote = model_vote(value)
    return next((alias for alias in ALIASES if re.search(rf"\b{alias}\b", vote.lower())), vote)


def merge_model(models: list[Any]) -> Any:
    """The model most sources run on, ``models`` base first, counted by family
    (``model_family``): "sonnet" and "claude-sonnet-4-20250514" are two votes for Sonnet, and
    the result writes the alias when a source wrote it, else the family's most common id. A
    source without ``model`` inherits (Claude Code's default), so it votes ``inherit``: one
    source's pinned model id does not outvote two that inherit; a tie goes to the earliest (the
    base's). The result writes ``inherit`` only when a source wrote it, else no key."""
    votes = [model_family(m) for m in models]
    chosen = most_common(votes)
    if chosen == "inherit":
        return next((m for m, vote in zip(models, votes, strict=True) if vote == "inherit" and m), None)
    family = [m for m, vote in zip(models, votes, strict=True) if vote == chosen]
    return next((m for m in family if model_vote(m).lower() == chosen), None) or most_common(family)


def foreign(tools: tuple[str, ...] | list[str]) -> bool:
    """Whether a source names a tool Claude Code does not know."""
    return any(rules.tool_problem(tool) is not None for tool in tools)


def claude_tools(tools: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """A source's tools as Claude Code names them, and the names it does not know, which stay
    as written. A Claude Code name in another case ("bash") is that tool; another format's
    documented aliases are the Claude Code tools they stand for: Copilot's read, edit, search,
    execute (shell, powershell), web, todo and agent (custom-agent), ``targets.COPILOT_TOOLS``.
    davila7's Copilot-made terraform agent lists "read, edit, search, shell, terraform/*": Read,
    Edit, Grep, Bash ..., and the terraform MCP server's tools, "mcp__terraform__*" (``_mcp``),
    which its body calls. A tool of a toolset ("read/problems") has no documented counterpart:
    read as its toolset it would grant more than it names."""
    if not foreign(tools):
        return tools, []
    from .targets import COPILOT_TOOLS  # only a source of another format pays for the table

    aliases: dict[str, list[str]] = {name.lower(): [name] for name in rules.TOOLS}
    for claude, alias in COPILOT_TOOLS.items():
        aliases.setdefault(alias, []).append(claude)
    aliases["shell"] = aliases["powershell"] = aliases["execute"]
    aliases["custom-agent"] = aliases["agent"]
    found: list[str] = []
    unknown: list[str] = []
    for tool in tools:
        group = [tool] if rules.tool_problem(tool) is None else aliases.get(tool.lower(), []) or _mcp(tool, aliases)
        found.extend(group or [tool])
        if not group:
            unknown.append(tool)
    return tuple(dict.fromkeys(found)), unknown


# VS Code's own toolsets, whose "set/tool" names no MCP server ("runCommands/terminalLastCommand")
VSCODE_TOOLSETS = frozenset("edit search read execute web todo agent runcommands runtasks runnotebooks vscode "
                            "terminal notebook toolset".split())


def _mcp(tool: str, toolsets: dict[str, list[str]]) -> list[str]:
    """An MCP server's tools as Copilot names them ("terraform/*", "github/create_issue") as
    Claude Code names them ("mcp__terraform__*", "mcp__github__create_issue"), the inverse of
    ``targets._copilot_tool``; a tool of a VS Code toolset ("read/problems", "runCommands/...")
    or of an extension ("ms-azuretools.vscode-azure-github-copilot/...") is none."""
    server, _, name = tool.partition("/")
    if server.lower() in toolsets or server.lower() in VSCODE_TOOLSETS \
            or not re.fullmatch(r"[A-Za-z0-9_-]+", server) or not re.fullmatch(r"[A-Za-z0-9_-]+|\*", name):
        return []
    return [f"mcp__{server}__{name}"]


def merge_tools(lists: list[tuple[str, ...] | None], mode: str, copies: frozenset[int] = frozenset()) -> tuple[str, ...] | None:
    """The result's tools, as Claude Code names them (``claude_tools``); None is every tool, as
    a source without ``tools`` has. ``union``: every tool when most sources have no tools key
    (or the base, in a tie: the way ``merge_model`` votes), else the tools the others name;
    ``named``: the tools the sources name, whatever the others; ``intersection``: the tools
    every source that names tools names; ``all``: every tool. None when no source names any.
    Names Claude Code does not know (another format's, with no documented counterpart: Copilot's
    "codebase", "read/problems") are left out, unless no other is left. ``copies``: sources that
    are a later revision of another, which do not vote (``merge_frontmatter``)."""
    if all(tools is None for tools in lists) or mode == "all" \
            or (mode == "union" and every_tool([t for k, t in enumerate(lists) if k not in copies])):
        return None
    found = named_tools(lists, shared=mode == "intersection")
    known = tuple(tool for tool in found if rules.tool_problem(tool) is None)
    return known or found  # a name Claude Code does not know grants nothing there: left out, unless all are


def named_tools(lists: list[tuple[str, ...] | None], shared: bool = False) -> tuple[str, ...]:
    """The tools the sources name, as Claude Code names them (``claude_tools``), in order of
    appearance; ``shared``: only those every source that names tools names."""
    given = [claude_tools(tools)[0] for tools in lists if tools is not None]
    return tuple(dict.fromkeys(t for tools in given for t in tools if not shared or all(t in other for other in given)))


def unknown_tools(lists: list[tuple[str, ...] | None], result: tuple[str, ...] | None,
                  shared: bool = False) -> list[str]:
    """The sources' tool names (as ``claude_tools`` writes them) that the result left out as
    names Claude Code does not know; ``shared`` (``--tools intersection``): only those every
    source that names tools names, as the result would have had them."""
    found = named_tools(lists, shared)
    return [] if result is None else [t for t in found if t not in result and rules.tool_problem(t) is not None]


def every_tool(lists: list[tuple[str, ...] | None]) -> bool:
    """Whether more sources have no tools key (every tool) than name tools, the base (the first)
    deciding a tie."""
    every = sum(tools is None for tools in lists)
    return every > len(lists) - every or (2 * every == len(lists) and lists[0] is None)


def own_names(names: list[str]) -> list[str]:
    """The sources' names to rename, longest first, one per spelling (``Backend-Developer`` and
    ``backend-developer`` are one name to ``say_name``), in one order whatever the input's."""
    by_case: dict[str, str] = {}
    for found in sorted(set(names), key=lambda n: (-len(n), n)):
        by_case.setdefault(found.lower(), found)
    return list(by_case.values())


def rename(text: str, old_names: list[str], name: str | None) -> str:
    """Source agent names (in examples: "use the backend-specialist agent") as the new name
    (``say_name``: a name of one word, "accessibility", only where "agent" follows it)."""
    for old in old_names:
        if name and old != name:
            text = say_name(text, old, name)
    return text


def say_name(text: str, old: str, new: str) -> str:
    """``text`` with the name ``old`` as a whole word (not part of a longer name or a file
    name) written as ``new``, case kept: ``backend-developer`` -> ``api-designer``,
    ``Backend-Developer`` -> ``Api-Designer``, ``BACKEND-DEVELOPER`` -> ``API-DESIGNER``; other
    spellings stay. A name of one word (``debugger``) is a plain word too, so it is renamed
    only where ``agent`` follows it ("use the debugger agent")."""
    forms = {
        _title(old): _title(new), old.capitalize(): new.capitalize(), old.upper(): new.upper(),
        old.lower(): new.lower(), old: new,  # the name as written wins over the case rules
    }
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    after = r"(?![\w-]|\.\w)" if "-" in old.strip("-") else r"(?=\s+(?:sub-?)?agent\b)"
    return re.sub(rf"(?<![\w-])(?:{pattern}){after}", lambda match: forms[match.group()], text)


def _title(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def merge_description(frontmatters: list[Frontmatter], max_examples: int = 3) -> str:
    """The base's sentences (one trigger), then at most ``max_examples`` examples, repeats removed."""
    descriptions = [fm.description for fm in frontmatters if fm.description]
    if len({d.text for d in descriptions}) == 1:  # copies of one description: kept as it is
        return descriptions[0].text
    prose = _short_prose([d.prose for d in descriptions])
    examples = [e for d in descriptions for e in d.examples]
    keys = [Entry(i, f"{e.context} {e.user}") for i, e in enumerate(examples)]
    chosen = [examples[min(group)] for group in cluster(keys, EXAMPLE_REPEAT)][:max_examples] if keys else []
    if not chosen:
        return prose
    return prose + " Examples:\n\n" + "\n\n".join(render_example(e) for e in chosen)


def _short_prose(proses: list[str]) -> str:
    """The base's sentences, each once; a trigger ("Use this agent when ...", "Use PROACTIVELY")
    from another source only when the base has none."""
    split = [[t.strip() for t in re.split(r"(?<=[.!?])\s+", p.strip()) if t.strip()] for p in proses]
    split = [[t for t in sentences if not _lead_in(t)] for sentences in split]
    kept = list(dict.fromkeys(split[0])) if split else []
    added = _new_topics(kept, [t for sentences in split[1:] for t in sentences])
    at = next((k for k, t in enumerate(kept) if k and (TRIGGER.search(t) or PROACTIVE.search(t))), len(kept))
    kept[at:at] = added
    for pattern in (TRIGGER, PROACTIVE):
        if not any(pattern.search(t) for t in kept):
            kept += next(([t] for sentences in split[1:] for t in sentences if pattern.search(t)), [])
    # a sentence followed by another's ends as one: "... and a11y testing." (not "testing Use PROACTIVELY")
    return " ".join(t if k == len(kept) - 1 or re.search(r"[.!?:;][\"')\]]*$", t) else t + "." for k, t in enumerate(kept))


def _new_topics(kept: list[str], others: list[str]) -> list[str]:
    """Other sources' sentences that name what the description does not (Claude Code delegates
    by it): at most ``NEW_SENTENCES``, each with ``NEW_WORDS`` or more idea words the kept
    sentences lack, and most of its words new (``NEW_SHARE``), words that describe any agent
    aside ("This agent excels at writing maintainable, scalable ... code": ``DESCRIBING``); no
    trigger, role or lead-in, no second pitch ("Scala expert specializing in ..." beside the
    base's "Scala language specialist for ...": ``PITCH``), and none that says the base's opening
    again (``_restates``)."""
    from .survivors import GENERIC, HEAD_FILLER, NO_KIND, words  # imported only where a merge runs

    filler = GENERIC | HEAD_FILLER | NO_KIND | DESCRIBING
    said = words(" ".join(kept))
    added: list[str] = []
    for sentence in others:
        sentence = LEADING.sub("", sentence)  # "Specifically:\n\nDoes not own pricing ..."
        mine = words(sentence) - filler
        new = mine - said
        if len(added) == NEW_SENTENCES or TRIGGER.search(sentence) or PROACTIVE.search(sentence) \
                or ROLE.match(sentence) or len(new) < NEW_WORDS or len(new) < NEW_SHARE * len(mine):
            continue
        if PITCH.match(sentence) and any(PITCH.match(t) for t in kept):
            continue  # a second "X expert specializing in ...": the base's says what the agent is
        if kept and _restates(sentence, kept[0], said, filler):
            continue
        added.append(sentence)
        said |= mine
    return added


def _restates(sentence: str, first: str, said: set[str], filler: frozenset[str]) -> bool:
    """Whether a sentence says again, in other words, the base's opening: both open with a verb
    (not a trigger) and over a third of the idea words of the sentence's first clause are said
    by the description so far ("Write
    high-quality iOS applications using Swift and SwiftUI, ensuring ..." beside "Develop native
    iOS applications with Swift/SwiftUI"); what follows its comma only qualifies that."""
    from .survivors import IMPERATIVE, opening_word, words

    verbs = IMPERATIVE | {"master"}
    if not all(opening_word(t) in verbs for t in (sentence, first)) or TRIGGER.search(first):
        return False
    clause = words(sentence.split(",")[0]) - filler
    return bool(clause) and len(clause - said) < NEW_SHARE * len(clause)


def _lead_in(sentence: str) -> bool:
    """A sentence that only introduces the examples: "Examples", "Specifically:", "For example:"
    (the merged description introduces its own)."""
    return bool(re.fullmatch(r"(?i)examples?:?", sentence)) or (sentence.endswith(":") and len(sentence.split()) <= 3)


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


def _quoted(text: str) -> str:
    return text if '"' in text else f'"{text}"'
