"""agentforge lint --fix: safe rewrites that keep values, untouched keys and every body byte."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentforge import AgentforgeError, files, loads
from agentforge.fix import FIXABLE, fix_paths, fix_text
from agentforge.frontmatter import comparable
from agentforge.lint import lint_text

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
BODY = "You review code.\r\n\r\n## Rules\r\n- name: value\r\n"


def agent(*lines: str, body: str = BODY) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def assert_same_agent(before: str, after: str) -> None:
    old, new = loads(before), loads(after)
    assert new.frontmatter.keys == old.frontmatter.keys
    for key in old.frontmatter.keys:
        assert comparable(new.frontmatter.get(key)) == comparable(old.frontmatter.get(key)), key
    assert new.body.text == old.body.text
    assert after.endswith(old.body.text)


LENIENT = agent(
    "name:   code-reviewer  # odd but strict", "description: Use it: for reviews", "model: sonnet"
)

# rule -> a text that --fix repairs
FIXES = {
    "bom": "\ufeff" + agent("name: code-reviewer", "description: Reviews code."),
    "crlf-line-endings": agent("name: code-reviewer", "description: Reviews code.").replace("\n", "\r\n"),
    "crlf-with-colon": agent("name: code-reviewer", "description: Use it: for reviews").replace("\n", "\r\n"),
    "frontmatter-fence": agent("name: code-reviewer", "description: Reviews code.").replace(
        "\n---\n", "\n" + "-" * 56 + "\n"
    ),
    "frontmatter-not-strict": LENIENT,
    "tools-list": agent(
        "name: code-reviewer", "description: Reviews code.", "tools:", "  - Read", "  - Agent(a, b)"
    ),
}


def test_every_fixable_rule_has_a_case():
    assert set(FIXES) == FIXABLE


@pytest.mark.parametrize("rule", sorted(FIXES))
def test_fix_clears_the_rule_and_keeps_the_agent(rule):
    before = FIXES[rule]
    assert rule in {f.rule for f in lint_text(before)}
    after = fix_text(before)
    assert after != before
    assert not {f.rule for f in lint_text(after)} & FIXABLE
    assert_same_agent(before, after)
    assert fix_text(after) == after


def test_fix_touches_only_the_keys_that_need_it():
    after = fix_text(LENIENT)
    assert after == agent(
        "name:   code-reviewer  # odd but strict", 'description: "Use it: for reviews"', "model: sonnet"
    )


def test_crlf_fix_keeps_the_body_line_endings():
    after = fix_text(FIXES["crlf-line-endings"])
    assert after == "---\nname: code-reviewer\ndescription: Reviews code.\n---\n" + BODY.replace("\n", "\r\n")


def test_fence_fix_changes_only_the_fence_lines_and_keeps_their_endings():
    text = agent("name: code-reviewer", "description: Reviews code.").replace("\n", "\r\n", 4)
    odd = text.replace("---\r\n", "---  \r\n", 1).replace("\r\n---\n", "\r\n-------\n")
    assert fix_text(odd, rules={"frontmatter-fence"}) == text


def test_tools_list_becomes_the_comma_string():
    assert "tools: Read, Agent(a, b)\n" in fix_text(FIXES["tools-list"])


def test_fixes_that_move_later_keys_still_apply():
    text = agent(
        "name: a-name", "tools:", "  - Read", "  - Grep", "description: Use it: <example>user: hi</example>"
    )
    assert fix_text(text) == agent(
        "name: a-name", "tools: Read, Grep", 'description: "Use it: <example>user: hi</example>"'
    )


def test_only_the_selected_rules_are_fixed():
    text = "\ufeff" + LENIENT
    assert fix_text(text, rules={"frontmatter-not-strict"}).startswith("\ufeff---\n")
    assert fix_text(text, rules={"bom"}) == LENIENT


@pytest.mark.parametrize(
    "text",
    [
        # Claude Code skips it: no reading to keep.
        agent("name: api-tester", "description: Use it: for APIs", "<example>", "user: hi", "</example>"),
        # Which of the two names wins is not for a fixer to guess.
        agent("name: a-name", "description: Use it: now", "name: b-name"),
        # A lenient value over several lines: how Claude Code joins them is a guess.
        agent(
            "name: a-name", "description: Use it: now", "", "  <example>", "  # not a comment", "  </example>"
        ),
        # An empty list is not the same as an empty string ("all tools"?).
        agent("name: a-name", "description: Reviews code.", "tools: []"),
        "no frontmatter at all\n",
    ],
)
def test_unsafe_cases_are_left_alone(text):
    assert fix_text(text) == text


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
def test_fix_never_changes_what_is_read(description, body):
    text = "---\nname: x-agent\ndescription: " + description.replace("\n", " ") + "\n---\n" + body
    after = fix_text(text)
    if after != text:
        assert_same_agent(text, after)


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(4, 80),
    st.sampled_from(["", " ", "\t"]),
)
def test_a_closing_line_of_dashes_fixes_to_what_three_dashes_fix_to(description, dashes, space):
    head = "---\nname: x-agent\ndescription: " + description.replace("\n", " ") + "\n"
    plain, odd = head + "---\nBody.\n", head + "-" * dashes + space + "\nBody.\n"
    assert fix_text(odd) == fix_text(plain)
    assert_same_agent(odd, fix_text(odd))


def test_fix_paths_diff_mode_writes_nothing(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(LENIENT.encode())
    (change,) = fix_paths([tmp_path], write=False)
    assert change.fixed == ("frontmatter-not-strict",)
    assert '+description: "Use it: for reviews"' in change.diff()
    assert path.read_bytes() == LENIENT.encode()
    fix_paths([tmp_path])
    assert path.read_bytes() == change.after.encode()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")
def test_fix_over_a_copy_of_corpus_files_keeps_values_and_bodies(tmp_path):
    every = sorted(CORPUS.rglob("*.md"))
    lenient = [p for p in every if "\r" in p.read_text(encoding="utf-8") or _fallback(p)]
    sample = lenient + random.Random(5).sample(every, 60)
    for index, path in enumerate(sample):
        shutil.copyfile(path, tmp_path / f"{index:04d}-{path.name}")
    changes = fix_paths([tmp_path])
    assert len(changes) >= 40
    for change in changes:
        assert_same_agent(change.before, files.read_text(change.path))
        assert not {f.rule for f in lint_text(change.after)} & set(change.fixed)


def _fallback(path: Path) -> bool:
    try:
        return files.load(path).frontmatter.fallback is not None
    except AgentforgeError:
        return False


def test_fix_through_a_link_fixes_the_target_and_keeps_the_link(tmp_path):
    from typer.testing import CliRunner

    from agentforge.cli import app

    real = tmp_path / "real.md"
    real.write_text("---\nname: a\ndescription: Use it: now\n---\n\nBody.\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = CliRunner().invoke(app, ["lint", "--fix", str(link)])
    assert link.is_symlink() and link.resolve() == real
    assert 'description: "Use it: now"' in real.read_text(), result.output
