"""The real-world corpus and the seeds: every file loads or fails cleanly, writes back byte for
byte, and changing one field changes only that field's lines, in strict YAML."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import changed_lines
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from agentforge import Agent, AgentforgeError, Description, dumps, loads
from agentforge.files import read_text
from agentforge.frontmatter import build, comparable, plain, split

# Properties over ../shared/corpus and sources/, whatever files they hold (no counts pinned:
# the README gives the figures).

NEW_DESCRIPTION = 'Use when: "quoted" and \'single\' # not a comment, a literal \\n pair, {{ x }}'
NEW_TOOLS = ("Read", "Agent(a, b)", "mcp__srv__*")


def _read_all(folder: Path, pattern: str) -> list[tuple[Path, str, Agent | AgentforgeError]]:
    found: list[tuple[Path, str, Agent | AgentforgeError]] = []
    for path in sorted(folder.glob(pattern)):
        text = path.read_bytes().decode("utf-8", "replace")
        try:
            found.append((path, text, loads(read_text(path), str(path))))
        except AgentforgeError as error:
            found.append((path, text, error))
    return found


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> list[tuple[Path, str, Agent | AgentforgeError]]:
    return _read_all(corpus_dir, "**/*.md")


@pytest.fixture(scope="module")
def agents(corpus) -> list[tuple[Path, str, Agent]]:
    return [(path, text, agent) for path, text, agent in corpus if isinstance(agent, Agent)]


@pytest.fixture(scope="module")
def seeds(sources_dir: Path) -> list[tuple[Path, str, Agent]]:
    return _read_all(sources_dir, "*.md")  # type: ignore[return-value]


# ---- loading and the byte-exact round trip -----------------------------------------------


def test_corpus_files_fail_only_without_frontmatter(corpus):
    """A file that starts with a fence loads; one that does not fails on line 1, naming itself."""
    assert corpus
    for path, text, result in corpus:
        fenced = text.removeprefix("\ufeff").startswith("---")
        assert isinstance(result, Agent) == fenced, path
        if not fenced:
            assert str(result).startswith(f"{path}:1: no frontmatter"), path


def test_corpus_round_trips_byte_for_byte(agents):
    assert agents
    assert [path.name for path, text, agent in agents if dumps(agent) != text] == []


def test_the_lenient_reading_is_used_exactly_when_strict_yaml_fails(agents):
    lenient = Counter()
    for path, text, agent in agents:
        strict = _ruamel(_frontmatter_text(text)) is not None
        assert (agent.frontmatter.fallback is None) == strict, path
        assert agent.layout.newline == ("\r\n" if text.removeprefix("\ufeff").startswith("---\r\n") else "\n")
        lenient[strict] += 1
    assert lenient[True] and lenient[False]  # the corpus has both kinds


def test_claude_rejects_only_unindented_continuations(agents):
    reasons = [agent.frontmatter.fallback.reason for _, _, agent in agents
               if agent.frontmatter.fallback and not agent.frontmatter.fallback.claude_loads]
    assert reasons and all("continues 'description' without indentation" in reason for reason in reasons)


def test_seeds_load_leniently_and_round_trip(seeds):
    assert seeds
    for path, text, agent in seeds:
        assert isinstance(agent, Agent), path
        assert dumps(agent) == text
        assert agent.frontmatter.fallback is not None and agent.frontmatter.fallback.claude_loads
        assert agent.frontmatter.fallback.reason.startswith("not strict YAML: mapping values")


# ---- changing one field ------------------------------------------------------------------


def _ruamel(fm_text: str) -> dict[str, Any] | None:
    """The frontmatter as strict YAML reads it, or None when it is not strict YAML."""
    try:
        data = YAML(typ="rt").load(io.StringIO(fm_text.replace("\r\n", "\n")))
    except (YAMLError, ValueError, IndexError):  # ruamel raises the last two on `._` and `-_`
        return None
    return {str(key): plain(value) for key, value in (data or {}).items()}


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """YAML values as agentforge types them (tools split, description parsed), comparable."""
    fm = build(values)
    return {key: comparable(fm.get(key)) for key in values}


def _agentforge_values(agent: Agent) -> dict[str, Any]:
    return {key: comparable(agent.frontmatter.get(key)) for key in agent.frontmatter.keys}


def _frontmatter_text(text: str) -> str:
    return split(text.removeprefix("\ufeff"))[1]


def _span(agent: Agent, key: str) -> tuple[int, list[str]]:
    """(0-based file line, raw lines) of a key's own lines, or where a new key goes. The blank
    and comment lines that end a key's chunk belong to what follows and must stay."""
    line = 1
    for chunk_key, raw in agent.layout.chunks:
        if chunk_key == key:
            lines = raw.splitlines(keepends=True)
            while len(lines) > 1 and (not lines[-1].strip() or lines[-1].startswith("#")):
                lines.pop()
            return line, lines
        line += raw.count("\n")
    return line, []


def _change(agent: Agent, **fields: Any) -> Agent:
    return dataclasses.replace(agent, frontmatter=dataclasses.replace(agent.frontmatter, **fields))


def _check_change(agent: Agent, text: str, key: str, value: Any, expected_line: str | None) -> str | None:
    """None when changing ``key`` to ``value`` rewrote exactly that key's lines, as one line
    (``expected_line`` when given) or none (value None); else the problem."""
    after = dumps(_change(agent, **{_attr(key): value}))
    start, old, new = changed_lines(text, after)
    span_start, span = _span(agent, key)
    if old != span:
        return f"changed lines {old!r}, expected the lines of '{key}' {span!r}"
    if len(new) != (value is not None) or (expected_line and new != [expected_line + agent.layout.newline]):
        return f"wrote {new!r}, expected {expected_line!r}"
    if old and start != span_start:
        return f"changed line {start + 1}, expected {span_start + 1}"
    again = loads(after)
    expected = {**_agentforge_values(agent), key: comparable(value)}
    if value is None:
        expected.pop(key)
    if _agentforge_values(again) != expected:
        return "does not read back the same"
    if new and _ruamel(new[0]) is None:
        return f"the new line is not strict YAML: {new[0]!r}"
    if new and _typed(_ruamel(new[0]))[key] != comparable(value):
        return f"strict YAML reads the new line differently: {new[0]!r}"
    strict = _ruamel(_frontmatter_text(after))
    if strict is not None and _typed(strict) != _agentforge_values(again):
        return "strict YAML reads the frontmatter differently from agentforge"
    if agent.frontmatter.fallback is None and strict is None:
        return "a strict frontmatter became invalid YAML"
    return None


def _attr(key: str) -> str:
    return {"disallowedTools": "disallowed_tools"}.get(key, key)


def _failures(agents, key: str, value: Any, expected_line: str | None, only=lambda agent: True):
    """(files checked, up to five problems, number of problems): every file ``only`` keeps is checked."""
    checked, failed = 0, {}
    for path, text, agent in agents:
        if only(agent):
            checked += 1
            problem = _check_change(agent, text, key, value, expected_line)
            if problem:
                failed[path.name] = problem
    return checked, dict(list(failed.items())[:5]), len(failed)


def test_changing_the_name_changes_only_the_name_line(agents):
    checked, some, count = _failures(agents, "name", "renamed-agent", "name: renamed-agent")
    assert (checked, count, some) == (len(agents), 0, {})


def test_changing_the_description_writes_one_strict_line(agents):
    new = Description(text=NEW_DESCRIPTION)
    expected = 'description: "Use when: \\"quoted\\" and \'single\' # not a comment, a literal \\\\n pair, {{ x }}"'
    checked, some, count = _failures(agents, "description", new, expected)
    assert (checked, count, some) == (len(agents), 0, {})


def test_changing_tools_keeps_parentheses_and_wildcards(agents):
    checked, some, count = _failures(agents, "tools", NEW_TOOLS, None)
    assert (checked, count, some) == (len(agents), 0, {})


def test_adding_a_model_appends_one_line(agents):
    checked, some, count = _failures(agents, "model", "haiku", "model: haiku",
                                     only=lambda agent: "model" not in agent.frontmatter.keys)
    assert checked and (count, some) == (0, {})


def test_removing_the_model_removes_only_its_lines(agents):
    checked, some, count = _failures(agents, "model", None, None,
                                     only=lambda agent: agent.frontmatter.model is not None)
    assert checked and (count, some) == (0, {})


def test_new_description_makes_lenient_files_strict_yaml(agents):
    """Most lenient files fail strict YAML only because of their description."""
    made_strict = 0
    for path, _, agent in agents:
        if agent.frontmatter.fallback is not None:
            after = dumps(_change(agent, description=Description(text=NEW_DESCRIPTION)))
            if _ruamel(_frontmatter_text(after)) is not None:
                made_strict += 1
                continue
            # still lenient: then something other than the description is not strict YAML
            # (in the corpus, `tools: *`: an alias to a strict parser)
            assert _ruamel(_frontmatter_text(dumps(_change(agent, description=None)))) is None, path
    assert made_strict


def test_every_lenient_reading_agrees_with_strict_yaml_once_rewritten(agents, seeds):
    """Write every key afresh: the frontmatter is strict YAML and reads as agentforge read the
    original, so the lenient reading and the writer agree on every value."""
    wrong = {}
    for path, _, agent in [*agents, *seeds]:
        fresh = dataclasses.replace(agent, layout=dataclasses.replace(agent.layout, original=None))
        strict = _ruamel(_frontmatter_text(dumps(fresh)))
        if strict is None:
            wrong[path.name] = "not strict YAML"
        elif _typed(strict) != _agentforge_values(agent):
            wrong[path.name] = "values differ"
    assert wrong == {}
