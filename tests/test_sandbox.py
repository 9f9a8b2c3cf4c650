"""Templates are untrusted: the sandbox, the include rule, and the stderr note naming the template."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge import cli, render

ROOT = Path(__file__).resolve().parents[1]
SOURCE = str(ROOT / "sources" / "backend-specialist.md")

# Each one writes the file ``pwned`` when rendered by a plain jinja2.Environment.
PAYLOADS = [
    '---\n{{ cycler.__init__.__globals__.__builtins__.open("pwned", "w").write("x") }}\n',
    (
        '---\n{% for c in "".__class__.__mro__[1].__subclasses__() if c.__name__ == "_wrap_close" %}'
        '{{ c.__init__.__globals__.__builtins__.open("pwned", "w").close() }}{% endfor %}\n'
    ),
]
IDS = ["cycler-globals", "mro-subclasses"]
COMMANDS = {
    "new": ["new", "--from", SOURCE, "--name", "abc"],
    "merge": ["merge", SOURCE],
}

pytestmark = pytest.mark.usefixtures("isolated")


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))



def link(path: Path, target: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.symlink_to(target)
    except OSError:
        pytest.skip("symbolic links are not available here")
    return path


def one_error(result) -> str:
    """The single stderr line of a failed command (exit 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_the_payloads_do_run_outside_the_sandbox(tmp_path: Path, payload: str):
    jinja2.Environment().from_string(payload).render()
    assert (tmp_path / "pwned").exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_a_template_cannot_reach_python_internals(tmp_path: Path, command: str, payload: str):
    write(tmp_path / "templates" / "evil.md.j2", payload)
    line = one_error(run(*COMMANDS[command], "--template", "evil"))
    assert "evil.md.j2:2: access to attribute '__" in line and "is unsafe" in line
    assert not (tmp_path / "pwned").exists()


def test_a_python_error_in_a_template_is_one_line(tmp_path: Path):
    write(tmp_path / "templates" / "div.md.j2", "{# divides #}\n{{ 1 / 0 }}\n")
    line = one_error(run(*COMMANDS["new"], "--template", "div"))
    assert "div.md.j2:2: ZeroDivisionError: division by zero" in line


@pytest.mark.parametrize("command", COMMANDS)
def test_an_include_linked_outside_the_search_path_is_refused(tmp_path: Path, command: str):
    secret = write(tmp_path / "outside" / "secret.txt", "SECRET\n")
    link(tmp_path / "templates" / "fragments" / "frontmatter.md.j2", secret)
    write(tmp_path / "templates" / "mine.md.j2", '{# includes #}\n{% include "fragments/frontmatter.md.j2" %}\n')
    result = run(*COMMANDS[command], "--template", "mine")
    line = one_error(result)
    assert "mine.md.j2:2: refused fragments/frontmatter.md.j2: it lies outside the template folders" in line
    assert "SECRET" not in result.stdout


def test_a_template_linked_outside_the_search_path_is_refused(tmp_path: Path):
    link(tmp_path / "templates" / "agent.md.j2", write(tmp_path / "outside" / "agent.md.j2", "x\n"))
    line = one_error(run(*COMMANDS["new"]))
    assert "refused agent.md.j2: it lies outside the template folders" in line


def test_a_link_inside_the_search_path_is_followed(tmp_path: Path):
    real = write(tmp_path / "templates" / "shared" / "front.md.j2", '{% include "fragments/frontmatter.md.j2" %}')
    link(tmp_path / "templates" / "fragments" / "mine.md.j2", real)
    write(tmp_path / "templates" / "agent.md.j2", '{% include "fragments/mine.md.j2" %}\n{{ body }}')
    result = run(*COMMANDS["new"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("---\nname: abc\n")


@pytest.mark.parametrize(("command", "template"), [("new", "agent.md.j2"), ("merge", "merge.md.j2")])
def test_a_template_not_from_the_package_is_named_on_stderr(tmp_path: Path, command: str, template: str):
    assert run(*COMMANDS[command]).stderr.count("template:") == 0
    assert run("templates", "copy", template, "templates/").exit_code == 0
    result = run(*COMMANDS[command])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == f"template: {Path('templates', template)} (from ./templates)"


def test_a_user_or_path_template_is_named_on_stderr(tmp_path: Path):
    user = tmp_path / "config" / "agentforge" / "templates"
    assert run("templates", "copy", "agent", f"{user}/").exit_code == 0
    result = run(*COMMANDS["new"])
    assert result.stderr.splitlines()[-1] == (
        f"template: {Path('config', 'agentforge', 'templates', 'agent.md.j2')} (from the user's config folder)"
    )
    assert run("templates", "copy", "agent", "mine.j2").exit_code == 0
    result = run(*COMMANDS["new"], "--template", "mine.j2")
    assert result.stderr.splitlines()[-1] == "template: mine.j2 (given by path)"


@pytest.mark.parametrize("command", COMMANDS)
def test_builtin_templates_render_as_without_the_sandbox(monkeypatch: pytest.MonkeyPatch, command: str):
    sandboxed = run(*COMMANDS[command])
    monkeypatch.setattr(render, "SandboxedEnvironment", jinja2.Environment)
    plain = run(*COMMANDS[command])
    assert sandboxed.exit_code == plain.exit_code == 0
    assert sandboxed.stdout == plain.stdout
