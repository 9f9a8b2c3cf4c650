"""``agentforge new --from``: lookup, overrides, templates, read-back checks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from agentforge import cli, files, generate, loads
from agentforge.frontmatter import split
from agentforge.model import all_items

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
    assert "use the backend-specialist agent" in source.frontmatter.description.text
    assert agent.frontmatter.description.text == source.frontmatter.description.text.replace(
        "backend-specialist", "api-designer")
    assert agent.frontmatter.fallback is None  # strict YAML now, unlike the source
    assert agent.body.text == source.body.text


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.md")), ids=lambda path: path.name)
def test_default_template_keeps_body_bytes_and_values(path: Path):
    text = generate.new(str(path), name="copy-of-it")
    source, agent = files.load(path), loads(text)
    assert split(text)[3] == split(files.read_text(path))[3]
    for key in source.frontmatter.keys:
        if key not in ("name", "description"):
            assert agent.frontmatter.get(key) == source.frontmatter.get(key), key
    said = generate.say_name(source.frontmatter.description.text, source.name, "copy-of-it")
    assert agent.frontmatter.description.text == said
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
    assert "'backend-developer' names 2 agents; pass one file to --from" in result.stderr
    assert len(result.stderr.splitlines()) == 1
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
    assert "Name of the new agent" in result.stderr and "Name of" not in result.stdout  # not in the agent
    assert "---\nname: asked-name\n" in result.stdout  # (the runner echoes the answer to stdout)


def test_the_prompt_asks_again_after_an_invalid_name(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli, "sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True)))
    result = run("new", "--from", SPECIALIST, input="Bad_Name\nab\ngood-name\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Name of the new agent") == 3
    assert "error: --name: name 'Bad_Name' must be lowercase" in result.stderr
    assert "error: --name: name 'ab' must be 3 to 50 characters" in result.stderr
    assert "---\nname: good-name\n" in result.stdout


@pytest.mark.parametrize("terminal", [False, True])
def test_an_ambiguous_name_lists_the_files_before_asking_for_a_name(monkeypatch: pytest.MonkeyPatch, terminal):
    monkeypatch.setattr(cli, "sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: terminal)))
    result = run("new", "--from", "backend-developer", "--sources", str(SOURCES), input="x-agent\n")
    assert result.exit_code == 1
    assert "Name of the new agent" not in result.output and "needs a name" not in result.stderr
    assert result.stderr.startswith("error: ") and "names 2 agents" in result.stderr
    assert "backend-developer.md" in result.stderr and "backend-developer-kiss.md" in result.stderr
    result = run("new", "--from", "backend-developr", "--sources", str(SOURCES), input="x-agent\n")
    assert "did you mean " in result.stderr and "Name of the new agent" not in result.output


# ---- the old name where the agent is called by it -------------------------------------------


@pytest.mark.parametrize(
    ("old", "text", "expected"),
    [
        ("backend-developer", "use the backend-developer agent.", "use the api-designer agent."),
        ("backend-developer", "Backend-Developer, BACKEND-DEVELOPER, Backend-developer",
         "Api-Designer, API-DESIGNER, Api-designer"),
        ("backend-developer", "backend-developer-kiss, senior-backend-developer, backend-developer.md",
         "backend-developer-kiss, senior-backend-developer, backend-developer.md"),
        ("backend-developer", "a backend developer, BackEnd-developer", "a backend developer, BackEnd-developer"),
        ("Backend-Developer", "use the Backend-Developer agent; backend-developer",
         "use the api-designer agent; api-designer"),
        ("debugger", "Attach a debugger. Use the debugger agent. Debugger subagent",
         "Attach a debugger. Use the api-designer agent. Api-designer subagent"),
    ],
)
def test_say_name_replaces_the_agents_own_name_only(old: str, text: str, expected: str):
    assert generate.say_name(text, old, "api-designer") == expected


def test_new_name_replaces_the_old_one_in_examples_and_body(tmp_path: Path):
    build(tmp_path, {"sources/api.md": (
        "---\nname: backend-developer\ndescription: \"Use for APIs.\\n<example>user: help\\n"
        "assistant: I'll use the backend-developer agent.</example>\"\nmodel: sonnet\n---\n\n"
        "You are backend-developer. Unlike backend-developer-kiss, the Backend-Developer agent\n"
        "writes code, with a backend developer's care.\n\n- Ask backend-developer first\n"
    )})
    text = generate.new("backend-developer", name="api-designer", sources=tmp_path / "sources")
    agent = loads(text)
    assert agent.frontmatter.description.examples[0].assistant == "I'll use the api-designer agent."
    assert agent.body.text == (
        "\nYou are api-designer. Unlike backend-developer-kiss, the Api-Designer agent\n"
        "writes code, with a backend developer's care.\n\n- Ask api-designer first\n"
    )
    assert [item.text for item in all_items(agent.body)] == ["Ask api-designer first"]
    same = generate.new("backend-developer", name="backend-developer", sources=tmp_path / "sources")
    assert split(same)[3] == split((tmp_path / "sources" / "api.md").read_text())[3]
    kept = generate.new("backend-developer", name="x-agent", description="Mine.", sources=tmp_path / "sources")
    assert loads(kept).frontmatter.description.text == "Mine." and "You are x-agent." in kept


# ---- where a name is looked up ---------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home folder: ``~/.claude/agents`` is under it."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_default_lookup_is_sources_then_project_then_user(tmp_path: Path, home: Path):
    build(home, {".claude/agents/reviewer.md": AGENT.format(name="reviewer", description="User's."),
                 ".claude/agents/tester.md": AGENT.format(name="tester", description="User's.")})
    build(tmp_path, {".claude/agents/reviewer.md": AGENT.format(name="reviewer", description="Project's."),
                     "sources/tester.md": AGENT.format(name="tester", description="This one's.")})
    assert generate.lookup("reviewer") == (Path(".claude/agents/reviewer.md"), Path(".claude/agents"))
    assert generate.lookup("tester") == (Path("sources/tester.md"), Path("sources"))
    build(home, {".claude/agents/only-mine.md": AGENT.format(name="only-mine", description="User's.")})
    assert generate.lookup("only-mine") == (home / ".claude/agents/only-mine.md", home / ".claude/agents")
    result = run("new", "--from", "reviewer", "--name", "x-agent")
    assert result.exit_code == 0, result.output
    assert result.stderr == "source: .claude/agents/reviewer.md (found in .claude/agents)\n"
    assert "Project's." in result.stdout
    result = run("new", "--from", "nobody", "--name", "x-agent")
    assert result.stderr == f"error: sources, .claude/agents, {home}/.claude/agents: no agent named 'nobody'\n"


def test_no_folder_to_look_in(home: Path):
    result = run("new", "--from", "reviewer", "--name", "x-agent")
    assert result.exit_code == 1
    assert "no such folder to look up 'reviewer' in" in result.stderr
    assert f"sources, .claude/agents, {home}/.claude/agents" in result.stderr


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
