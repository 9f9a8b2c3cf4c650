"""``agentforge new --from``: lookup, overrides, templates, read-back checks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from agentforge import cli, files, generate, loads
from agentforge.frontmatter import split

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
SPECIALIST = str(SOURCES / "backend-specialist.md")

AGENT = """---
name: {name}
description: {description}
model: sonnet
---

You are {name}.
"""

JINJA_BODY = """
Write templates like {{ user.name }} and {% if x %}blocks{% endif %}; {# not a comment #}
{% raw %}even raw tags{% endraw %} stay as they are.
"""


def build(root: Path, tree: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root``."""
    for relative, text in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return root


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.app, list(args), input=input)


pytestmark = pytest.mark.usefixtures("isolated")


def test_new_from_name_with_overrides():
    result = run("new", "--from", "backend-specialist", "--sources", str(SOURCES), "--name", "api-designer",
                 "--model", "opus")
    assert result.exit_code == 0, result.output
    source = files.load(SOURCES / "backend-specialist.md")
    agent = loads(result.stdout)
    assert agent.name == "api-designer"
    assert agent.frontmatter.model == "opus"
    assert agent.frontmatter.description == source.frontmatter.description
    assert agent.frontmatter.fallback is None  # strict YAML now, unlike the source
    assert agent.body.text == source.body.text


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.md")), ids=lambda path: path.name)
def test_default_template_keeps_body_bytes_and_values(path: Path):
    text = generate.new(str(path), name="copy-of-it")
    source, agent = files.load(path), loads(text)
    assert split(text)[3] == split(files.read_text(path))[3]
    for key in source.frontmatter.keys:
        if key != "name":
            assert agent.frontmatter.get(key) == source.frontmatter.get(key), key
    assert list(agent.frontmatter.keys) == list(source.frontmatter.keys)


def test_source_lookup_exact_then_case_insensitive(tmp_path: Path):
    build(tmp_path, {
        "sources/a.md": AGENT.format(name="reviewer", description="Reviews."),
        "sources/sub/b.md": AGENT.format(name="Reviewer", description="Reviews too."),
    })
    sources = tmp_path / "sources"
    assert generate.find_source("reviewer", sources) == sources / "a.md"
    assert generate.find_source("Reviewer", sources) == sources / "sub" / "b.md"
    assert generate.find_source("b", sources) == sources / "sub" / "b.md"  # a file stem
    with pytest.raises(generate.SourceError, match="names 2 agents"):
        generate.find_source("REVIEWER", sources)


def test_ambiguous_name_is_refused_and_lists_the_files():
    result = run("new", "--from", "backend-developer", "--sources", str(SOURCES), "--name", "x-agent")
    assert result.exit_code == 1
    assert "'backend-developer' names 2 agents" in result.stderr
    assert "backend-developer.md" in result.stderr
    assert "backend-developer-kiss.md" in result.stderr
    assert "Backend-Developer-staff.md" not in result.stderr
    assert result.stdout == ""


def test_miss_suggests_close_names():
    result = run("new", "--from", "backend-specalist", "--sources", str(SOURCES), "--name", "x-agent")
    assert result.exit_code == 1
    assert "no agent named 'backend-specalist'; did you mean backend-specialist?" in result.stderr


def test_miss_without_close_names_and_missing_paths():
    with pytest.raises(generate.SourceError, match=r"no agent named 'frontend'$"):
        generate.find_source("frontend", SOURCES)
    with pytest.raises(generate.SourceError, match="no such file"):
        generate.find_source("nowhere/agent.md", SOURCES)
    with pytest.raises(generate.SourceError, match="no such folder"):
        generate.find_source("backend-specialist", Path("missing"))


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "API_Designer", "--name: name 'API_Designer' must be lowercase letters, digits and"),
        ("--name", "ab", "--name: name 'ab' must be 3 to 50 characters"),
        ("--model", "gpt-4", "--model: unknown model 'gpt-4'"),
        ("--color", "mauve", "--color: unknown color 'mauve'"),
        ("--tools", "Read, Frobnicate", "--tools: unknown tool 'Frobnicate'"),
        ("--tools", " , ", "--tools: tools must not be empty"),
        ("--tools", "", "--tools: tools must not be empty"),
        ("--description", "  ", "--description: description must not be empty"),
    ],
)
def test_invalid_overrides(option: str, value: str, message: str):
    args = ["new", "--from", SPECIALIST, "--name", "api-designer", option, value]
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_valid_overrides_keep_agent_calls_and_mcp_tools_whole():
    text = generate.new(
        SPECIALIST,
        name="api-designer",
        tools="Read, Agent(a, b), mcp__github__*",
        model="claude-opus-4-5",
        color="magenta",
        description="Designs APIs: REST, gRPC.\\n<example>x</example>",
    )
    fm = loads(text).frontmatter
    assert fm.tools == ("Read", "Agent(a, b)", "mcp__github__*")
    assert (fm.model, fm.color) == ("claude-opus-4-5", "magenta")
    assert fm.description.text == "Designs APIs: REST, gRPC.\\n<example>x</example>"
    assert fm.fallback is None
    assert list(fm.keys) == ["name", "description", "model", "tools", "color"]  # new keys last


def test_name_is_needed_in_a_pipe():
    result = run("new", "--from", SPECIALIST)
    assert result.exit_code == 1
    assert "--name" in result.stderr and "needs a name" in result.stderr


def test_name_is_asked_for_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli, "sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True)))
    result = run("new", "--from", SPECIALIST, input="asked-name\n")
    assert result.exit_code == 0, result.output
    assert "Name of the new agent" in result.stdout
    assert "name: asked-name\n" in result.stdout


def test_source_text_with_jinja_syntax_comes_out_literally(tmp_path: Path):
    build(tmp_path, {"jinja.md": AGENT.format(name="tpl", description="Knows {{ jinja }} and {% tags %}.")
                     + JINJA_BODY})
    text = generate.new(str(tmp_path / "jinja.md"), name="jinja-expert")
    assert text.endswith("You are tpl.\n" + JINJA_BODY)
    assert loads(text).frontmatter.description.text == "Knows {{ jinja }} and {% tags %}."


def test_output_file_is_written_checked_and_not_overwritten(tmp_path: Path):
    args = ["new", "--from", SPECIALIST, "--name", "api-designer", "-o", "out/a.md"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == "create out/a.md\n"
    assert files.load(tmp_path / "out" / "a.md").name == "api-designer"
    assert run(*args).stderr == "unchanged out/a.md\n"  # the same bytes: nothing to overwrite
    other = [*args[:4], "api-reviewer", *args[5:]]
    again = run(*other)
    assert again.exit_code == 1 and "pass --force" in again.stderr
    assert files.load(tmp_path / "out" / "a.md").name == "api-designer"
    assert run(*other, "--force").stderr == "overwrite out/a.md\n"


# ---- templates -------------------------------------------------------------------------

CUSTOM = """{#- Our agents: the source body, then the team's communication style. -#}
{% include "fragments/frontmatter.md.j2" %}
{{ body }}
## Examples this agent was built for

{% for example in agent.frontmatter.description.examples %}
- {{ example.user }}
{% endfor %}

{% include "fragments/communication-style.md.j2" %}
"""


def test_custom_template_from_project_folder(tmp_path: Path):
    build(tmp_path, {
        "templates/agent.md.j2": CUSTOM,
        "sources/reviewer.md": AGENT.format(
            name="reviewer",
            description='"Reviews code. <example>user: \\"check my PR\\" assistant: sure</example>"',
        ),
    })
    result = run("new", "--from", "reviewer", "--name", "strict-reviewer", "-o", "strict.md")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "strict.md").read_text()
    assert text.startswith("---\nname: strict-reviewer\n")
    assert "You are reviewer.\n\n## Examples this agent was built for\n\n- check my PR\n\n" in text
    assert text.endswith("before starting large work.\n")
    assert "## Communication style" in text


def test_template_given_by_path_may_add_keys(tmp_path: Path):
    build(tmp_path, {"mine.j2": '---\nname: {{ name }}\ndescription: {{ description | yaml_scalar }}\n'
                                'category: {{ "backend" }}\n---\n{{ body }}'})
    text = generate.new(SPECIALIST, name="api-designer", template="mine.j2")
    assert loads(text).frontmatter.get("category") == "backend"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("---\n{{ agent.frontmatter.nope }}\n", "bad.md.j2:2: "),
        ("{# ok #}\n\n{% if %}\n", "bad.md.j2:3: "),
        ('{% include "fragments/missing.md.j2" %}', "template not found: fragments/missing.md.j2"),
    ],
)
def test_template_errors_name_the_file_and_line(tmp_path: Path, template: str, message: str):
    build(tmp_path, {"templates/bad.md.j2": template})
    result = run("new", "--from", SPECIALIST, "--name", "abc", "--template", "bad")
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("no frontmatter\n{{ body }}", "output would not read back: no frontmatter"),
        ("---\ndescription: {{ description | yaml_scalar }}\n---\n", "not a valid agent: name is missing"),
        ("---\nname: {{ name }}\n---\n", "not a valid agent: description is missing"),
        ("---\nname: {{ name }}\ndescription: {{ description }}\n---\n", "not strict YAML"),
        ("---\nname: {{ name }}\ndescription: Other.\n---\n", "'description' would change"),
        ("---\nname: {{ name }}\ndescription: ok\nmodel: yes\n---\n", "'description' would change"),
    ],
)
def test_output_that_would_not_read_back_is_not_written(tmp_path: Path, template: str, message: str):
    build(tmp_path, {"templates/broken.md.j2": template})
    args = ["new", "--from", SPECIALIST, "--name", "abc", "--template", "broken"]
    result = run(*args, "-o", "out.md")
    assert result.exit_code == 1
    assert "templates/broken.md.j2" in result.stderr and message in result.stderr
    assert not (tmp_path / "out.md").exists()


def test_read_back_check_ignores_where_the_description_sits(tmp_path: Path):
    build(tmp_path, {"odd.md": "---\n# a comment first\n\nname: odd\n\ndescription: Odd.\n---\nBody\n"})
    text = generate.new(str(tmp_path / "odd.md"), name="even")
    assert text == "---\nname: even\ndescription: Odd.\n---\nBody\n"


def test_context_exposes_the_model_fields_and_body():
    agent = generate.apply(files.load(SPECIALIST), {"name": "x-agent", "tools": "Read, Grep"})
    ctx = generate.context(agent)
    assert set(ctx) == {"agent", "fields", "body", "name", "description"}
    assert ctx["fields"][:1] == [("name", "x-agent")]
    assert ("tools", "Read, Grep") in ctx["fields"]
    assert ctx["agent"].frontmatter.tools == ("Read", "Grep")
    assert ctx["description"] == agent.frontmatter.description.text
    assert ctx["body"] == agent.body.text


def test_new_never_writes_over_its_source_even_with_force(tmp_path: Path):
    source = tmp_path / "src.md"
    source.write_text(Path(SPECIALIST).read_text(encoding="utf-8"), encoding="utf-8")
    before = source.read_bytes()
    result = run("new", "--from", str(source), "--name", "api-designer", "-o", str(source), "--force")
    assert result.exit_code == 1 and "refusing to write over a source file" in result.stderr
    assert source.read_bytes() == before
