"""Where one source advises against what another recommends, the merge says so."""

from __future__ import annotations

import json

import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge import conflicts
from agentforge.cli import app
from agentforge.survivors import Node

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("isolated")


def node(text: str, source: int) -> Node:
    return Node([source], text, source, source, frozenset({source}))


@pytest.mark.parametrize(("against", "recommends", "name"), [
    ("**Avoid Redux** for new projects", "State: Redux Toolkit, Zustand", "redux"),
    ("**Runner**: Vitest (not Jest for new projects)", "Jest configuration and testing patterns", "jest"),
    ("Do NOT recommend manual `useMemo`/`useCallback`", "Optimization (React.memo, useMemo)", "usememo"),
    ("Signals: prefer them over RxJS for local state", "Angular: RxJS, Dependency Injection", "rxjs"),
])
def test_a_name_one_source_advises_against_and_another_recommends_is_a_conflict(against, recommends, name):
    found = conflicts.find([node(against, 0), node(recommends, 1), node("Write tests first", 1)])
    assert [(c.word, c.against.text, c.recommends.text) for c in found] == [(name, against, recommends)]


@pytest.mark.parametrize(("first", "second"), [
    ("Explain the risk, not just the Rule violated", "Custom Rule development"),  # "not just" adds
    ("**Don't Rely on Color**: use icons", "Check colour contrast; do not rely on color alone"),  # no name
    ("Avoid Redux for new projects", "Redux Toolkit for complex state"),  # one source says both
    ("**Prompt-Engineer** (production prompts; not to be confused with data-ai's `prompt-engineer`)",
     "Assist `prompt-engineer` on LLM integration"),  # tells two agents apart, advises nothing
])
def test_plain_words_and_one_source_make_no_conflict(first, second):
    same = second.startswith("Redux")
    assert conflicts.find([node(first, 0), node(second, 0 if same else 1)]) == []


def test_merge_names_each_conflict_on_stderr_and_in_the_report(tmp_path):
    write(tmp_path / "a.md", "---\nname: a-agent\ndescription: Use for tests.\n---\n\n"
          "- **Avoid Redux** for new projects\n- Use Vitest for unit tests\n- Keep components small\n")
    write(tmp_path / "b.md", "---\nname: b-agent\ndescription: Use for tests.\n---\n\n- State: Redux Toolkit, Zustand\n")
    result = runner.invoke(app, ["merge", str(tmp_path), "-o", str(tmp_path / "out" / "m.md"),
                                 "--report", str(tmp_path / "out" / "r.json")])
    assert result.exit_code == 0, result.output
    assert "1 possible conflict between sources" in result.stderr
    assert 'possible conflict over redux: ' in result.stderr and "a.md:6" in result.stderr
    report = json.loads((tmp_path / "out" / "r.json").read_text())
    (conflict,) = report["conflicts"]
    assert conflict["name"] == "redux"
    assert conflict["against"]["text"] == "**Avoid Redux** for new projects"
    assert conflict["recommends"]["source"].endswith("b.md") and conflict["recommends"]["line"] == 6
    text = (tmp_path / "out" / "m.md").read_text()
    assert "Avoid Redux" in text and "Redux Toolkit" in text  # both kept: a person decides


def test_the_review_page_lists_each_conflict_with_links_to_both_lines(tmp_path):
    write(tmp_path / "a.md", "---\nname: a-agent\ndescription: Use for tests.\n---\n\n"
          "- **Avoid Redux** for new projects\n- Keep components <small>\n")
    write(tmp_path / "b.md", "---\nname: b-agent\ndescription: Use for tests.\n---\n\n- State: Redux Toolkit, Zustand\n")
    result = runner.invoke(app, ["merge", str(tmp_path), "--review", str(tmp_path / "out" / "r.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "r.html").read_text()
    section = page[page.index('id="conflicts"'):page.index('id="agent"')]
    assert "over <code>redux</code>" in section
    assert "&lt;strong&gt;" not in section and "**Avoid Redux** for new projects" in section
    assert section.count('href="#c') == 2


def test_ordinary_words_are_whole_lower_case_words():
    assert conflicts.lower_case_words(["Use Redux and useMemo with css-in-js"]) == {"and", "with", "css-in-js"}
