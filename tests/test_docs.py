"""The README documents every command and option that ``--help`` shows (as sqlite-utils'
``tests/test_docs.py`` does): a command in the commands table, an option in its command's
section or table row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from agentforge.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
ROOT = typer.main.get_command(app)


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(names from the root, command) for the root and every command under it."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not sub.hidden:
            yield from commands(sub, (*path, name))


def options(path: tuple[str, ...], command: Any) -> Iterator[tuple[tuple[str, ...], str]]:
    """(command path, option) for every option ``--help`` lists, ``--help`` itself included."""
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, help_option]:
        if param is not None and param.param_type_name == "option" and not getattr(param, "hidden", False):
            for opt in [*param.opts, *param.secondary_opts]:
                yield path, opt


COMMANDS = list(commands(ROOT))
OPTIONS = [pair for path, command in COMMANDS for pair in options(path, command)]


def sections(text: str) -> dict[str, str]:
    """The README's ``### `` sections by title (a ``#`` line inside a code fence is no heading)."""
    found: dict[str, list[str]] = {}
    title, fenced = "", False
    for line in text.splitlines():
        fenced ^= line.startswith("```")
        if not fenced and re.match(r"#{2,3} ", line):
            title = line.lstrip("#").strip() if line.startswith("### ") else ""
        found.setdefault(title, []).append(line)
    return {key: "\n".join(lines) for key, lines in found.items() if key}


def documentation(path: tuple[str, ...]) -> str:
    """Where a command is documented: its rows of the commands table and its section; the
    whole README for the root's options (``--version``, ``--help``)."""
    if not path:
        return README
    rows = [line for line in README.splitlines() if line.startswith(f"| `agentforge {path[0]}")]
    own = [text for title, text in sections(README).items() if path[0] in title.split()]
    return "\n".join(rows + own)


def mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def test_the_tree_is_walked():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "inspect", "merge", "new", "lint", "scan", "templates", "templates copy"} <= names
    assert ((), "--version") in OPTIONS and (("merge",), "--min-support") in OPTIONS
    assert (("templates", "list"), "--help") in OPTIONS


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS if path], ids=" ".join)
def test_every_command_is_in_the_commands_table(path):
    *parents, name = path
    row = rf"\| `agentforge {' '.join(parents)}{' ' if parents else ''}(?:[\w-]+\\\|)*{name}(?:\\\|[\w-]+)*[ `]"
    assert re.search(row, README), f"'agentforge {' '.join(path)}' is not in the README's commands table"


@pytest.mark.parametrize(("path", "option"), OPTIONS, ids=[" ".join(("agentforge", *p, o)) for p, o in OPTIONS])
def test_every_option_is_in_its_commands_documentation(path, option):
    where = documentation(() if option == "--help" else path)  # "every command has --help"
    assert where, f"'{' '.join(path)}' has no section or table row in the README"
    assert mentions(where, option), f"'agentforge {' '.join(path)} {option}' is not in the README"


def test_a_missing_option_would_fail():
    assert not mentions(documentation(("scan",)), "--min-support")
    assert not mentions(documentation(("lint",)), "--json")


def test_the_readme_says_where_the_corpus_tests_look():
    from conftest import CORPUS

    beside = Path(__file__).resolve().parents[2] / "shared"
    assert beside / "corpus" == CORPUS
    assert "The tests that use the real corpus need `../shared` beside the checkout" in README
