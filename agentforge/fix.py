"""``lint --fix``: rewrite what can be fixed safely (text in, text out; files at the edge).

Safe means: Claude Code reads the same values before and after, the body keeps every byte,
and keys that need no fix keep their raw lines. The fixes:

- ``bom``: drop the byte-order mark.
- ``crlf-line-endings``/``crlf-with-colon``: turn CRLF into LF in the fences and the
  frontmatter only. The body keeps its line endings: Claude Code's problem is CRLF in the
  frontmatter, and the body is the system prompt, byte for byte.
- ``frontmatter-fence``: the opening and closing lines become ``---`` (a closing line of
  more dashes, whitespace after the dashes); the body is not touched.
- ``frontmatter-not-strict``: each key whose raw line strict YAML rejects (or reads
  differently) is written again on one line that strict YAML reads as Claude Code does.
  Not when Claude Code skips the agent (nothing to stay the same as), when a key is given
  twice, or when a rejected value spans several lines (the lenient reading is a guess).
- ``tools-list``: a non-empty ``tools``/``disallowedTools`` YAML list becomes the comma
  string (an empty list is left alone: ``tools: ""`` might read as "all tools").

Every result is parsed again; when values, key order or body would change, or Claude Code
would no longer load it, only the BOM, line-ending and fence fixes are kept, and when even
they are not safe the text is left as it was.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import files, frontmatter
from .document import dumps, loads
from .errors import ParseError
from .lint import RULES, agent_files, lint_text, yaml_list_keys
from .model import Agent

FIXABLE = frozenset(rule.id for rule in RULES.values() if rule.fixable)


def fix_text(text: str, path: str | None = None, rules: Iterable[str] = FIXABLE) -> str:
    """The text with the safe fixes for ``rules`` applied; unchanged when none applies."""
    rules = set(rules)
    try:
        agent = loads(text, path)
    except ParseError:
        return text
    if agent.frontmatter.duplicate_keys:
        return text
    fixed = agent
    if "bom" in rules:
        fixed = replace(fixed, layout=replace(fixed.layout, bom=False))
    if "frontmatter-fence" in rules:
        fixed = _plain_fences(fixed)
    if rules & {"crlf-line-endings", "crlf-with-colon"}:
        fixed = _lf(fixed)
    lines_only = dumps(fixed)
    fixed = loads(lines_only, path)
    keys = _keys_to_rewrite(fixed, rules)
    chunks = tuple(
        (key, _rewrite(fixed, key, raw) if key in keys else raw) for key, raw in fixed.layout.chunks
    )
    fixed = replace(fixed, layout=replace(fixed.layout, chunks=chunks))
    # When rewriting values is not safe, the BOM, line-ending and fence fixes still are.
    for new in (dumps(fixed), lines_only):
        if new != text and _same_agent(agent, new, path):
            return new
    return text


def _plain_fences(agent: Agent) -> Agent:
    """The opening and closing lines as '---', each with its own line ending."""
    layout = agent.layout
    opening, closing = (_plain_fence(line) for line in (layout.opening, layout.closing))
    return replace(agent, layout=replace(layout, opening=opening, closing=closing))


def _plain_fence(line: str) -> str:
    ending = line[len(line.rstrip("\r\n")) :]
    return "---" + ending


def _lf(agent: Agent) -> Agent:
    layout = agent.layout
    chunks = tuple((key, raw.replace("\r\n", "\n")) for key, raw in layout.chunks)
    return replace(
        agent,
        layout=replace(
            layout,
            newline="\n",
            opening=layout.opening.replace("\r\n", "\n"),
            closing=layout.closing.replace("\r\n", "\n"),
            chunks=chunks,
        ),
    )


def _keys_to_rewrite(agent: Agent, rules: set[str]) -> set[str]:
    """Keys whose raw lines strict YAML rejects or reads otherwise, and tools lists.

    A rejected value over several lines is left alone (with every other rejected key):
    how Claude Code's lenient reading joins those lines is a guess, not a fact to keep.
    """
    fm = agent.frontmatter
    keys = yaml_list_keys(agent) if "tools-list" in rules else set()
    if "frontmatter-not-strict" not in rules or fm.fallback is None or not fm.fallback.claude_loads:
        return keys
    rejected = set()
    for key, raw in agent.layout.chunks:
        if key is None or _reads_alone(key, raw, agent):
            continue
        if sum(1 for line in raw.splitlines() if line.strip()) > 1:
            return keys
        rejected.add(key)
    return keys | rejected


def _reads_alone(key: str, raw: str, agent: Agent) -> bool:
    """Whether strict YAML reads a key's raw lines alone as the agent's value."""
    alone, _ = frontmatter.read(raw, 1, agent.path)
    same = frontmatter.comparable(alone.get(key)) == frontmatter.comparable(agent.frontmatter.get(key))
    return alone.fallback is None and same


def _rewrite(agent: Agent, key: str, raw: str) -> str:
    """A key on one line as strict YAML reads it, keeping the blank lines after it."""
    lines = raw.splitlines(keepends=True)
    blank = ""
    while lines and not lines[-1].strip():
        blank = lines.pop() + blank
    return frontmatter.format_key(key, agent.frontmatter.get(key), agent.layout.newline) + blank


def _same_agent(agent: Agent, text: str, path: str | None) -> bool:
    """Whether ``text`` reads as ``agent``: same keys, values and body bytes, still loaded.

    Values are compared as read, not by line: a fix may move later keys up or down.
    """
    try:
        again = loads(text, path)
    except ParseError:
        return False
    old, new = agent.frontmatter, again.frontmatter
    return (
        new.keys == old.keys
        and all(frontmatter.comparable(new.get(k)) == frontmatter.comparable(old.get(k)) for k in old.keys)
        and again.body.text == agent.body.text
        and (new.fallback is None or new.fallback.claude_loads)
    )


# ---- files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A file that ``--fix`` rewrote (or would rewrite), and the rules it fixed."""

    path: str
    before: str
    after: str
    fixed: tuple[str, ...]

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                self.path,
                self.path,
            )
        )


def fix_paths(
    paths: Iterable[str | os.PathLike[str]], rules: Iterable[str] = FIXABLE, write: bool = True
) -> list[Change]:
    """Fix every agent file under ``paths``; write the changed ones unless ``write`` is False."""
    changes = []
    wanted = FIXABLE & set(rules)
    for path, _ in agent_files(paths):
        try:
            before = files.read_text(path)
        except ParseError:
            continue
        after = fix_text(before, str(path), wanted)
        if after == before:
            continue
        left = {f.rule for f in lint_text(after, str(path))}
        fixed = tuple(sorted(({f.rule for f in lint_text(before, str(path))} & wanted) - left))
        if write:
            files.write_text(path, after)
        changes.append(Change(str(path), before, after, fixed))
    return changes
