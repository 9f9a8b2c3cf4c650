"""Templates: lookup order, ``templates list/show/copy``, shipping inside the package."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge import cli, generate, loads, templates
from agentforge.errors import TemplateError

ROOT = Path(__file__).resolve().parents[1]
SOURCE = str(ROOT / "sources" / "backend-specialist.md")
BUILTIN = ["agent.md.j2", "fragments/communication-style.md.j2", "fragments/frontmatter.md.j2"]


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))



pytestmark = pytest.mark.usefixtures("isolated")


def test_summary_is_the_first_sentence_of_the_leading_comment():
    assert templates.summary("{#- One. Two.\n   More. -#}\nbody") == "One."
    assert templates.summary("\n{# Spread\n   over lines #}") == "Spread over lines"
    assert templates.summary("no comment {# later #}") == ""


def test_every_builtin_template_has_a_summary():
    found = [t for t in templates.available() if t.origin == "built-in"]
    assert {t.name for t in found} >= set(BUILTIN)
    assert all(t.summary for t in found)


def test_list_shows_where_each_template_comes_from_and_which_wins(tmp_path: Path):
    write(tmp_path / "templates" / "agent.md.j2", "{# Project layout. #}\n{{ body }}")
    write(tmp_path / "config" / "agentforge" / "templates" / "agent.md.j2", "{# User layout. #}\n")
    write(tmp_path / "config" / "agentforge" / "templates" / "fragments" / "mine.md.j2", "plain\n")
    result = run("templates", "list")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[:3] == [
        ["agent.md.j2", "project", "Project", "layout."],
        ["agent.md.j2", "user", "(shadowed", "by", "project)", "User", "layout."],
        ["agent.md.j2", "built-in", "(shadowed", "by", "project)", *templates.summary(
            (templates.builtin_dir() / "agent.md.j2").read_text()).split()],
    ]
    assert ["fragments/mine.md.j2", "user"] in lines


def test_show_prints_the_template_that_wins(tmp_path: Path):
    assert run("templates", "show", "agent").stdout == (templates.builtin_dir() / "agent.md.j2").read_text()
    write(tmp_path / "templates" / "agent.md.j2", "mine\n")
    assert run("templates", "show", "agent.md.j2").stdout == "mine\n"
    result = run("templates", "show", "nope")
    assert result.exit_code == 1 and "template not found: nope" in result.stderr


def test_copy_into_a_folder_keeps_the_name_and_never_overwrites(tmp_path: Path):
    result = run("templates", "copy", "fragments/communication-style.md.j2", "templates/")
    assert result.exit_code == 0, result.output
    copied = tmp_path / "templates" / "fragments" / "communication-style.md.j2"
    assert result.stderr == f"create {Path('templates') / 'fragments' / 'communication-style.md.j2'}\n"
    original = templates.builtin_dir() / "fragments" / "communication-style.md.j2"
    assert copied.read_text() == original.read_text()
    write(copied, "changed\n")
    again = run("templates", "copy", "fragments/communication-style.md.j2", "templates")
    assert again.exit_code == 1 and "pass --force" in again.stderr
    assert copied.read_text() == "changed\n"
    forced = run("templates", "copy", str(templates.builtin_dir() / "agent.md.j2"), "my.md.j2", "--force")
    assert forced.stderr == "create my.md.j2\n"


def test_a_copied_template_shadows_the_builtin_for_new(tmp_path: Path):
    assert run("templates", "copy", "agent", "templates/").exit_code == 0
    path = tmp_path / "templates" / "agent.md.j2"
    style = "{{ body }}\n{% include 'fragments/communication-style.md.j2' %}"
    write(path, path.read_text().replace("{{ body -}}", style))
    text = generate.new(SOURCE, name="api-designer")
    assert text.endswith("before starting large work.\n")
    assert loads(text).name == "api-designer"


def test_find_by_name_or_path(tmp_path: Path):
    builtin = templates.builtin_dir() / "agent.md.j2"
    assert templates.find("agent") == templates.find("agent.md.j2") == builtin
    mine = write(tmp_path / "elsewhere" / "x.j2", "x")
    assert templates.find(str(mine)) == mine
    with pytest.raises(TemplateError, match="template not found: nothing"):
        templates.find("nothing")


def test_package_data_ships_every_builtin_template():
    """pyproject's package-data patterns cover every file in templates/ (as a wheel would)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["agentforge.templates"]
    folder = ROOT / "templates"
    for path in folder.rglob("*.j2"):
        name = path.relative_to(folder).as_posix()
        assert any(fnmatch.fnmatch(name, p) and name.count("/") == p.count("/") for p in patterns), name
