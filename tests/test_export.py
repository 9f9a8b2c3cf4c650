"""agentforge export: where each target's file goes, that it parses by the target's rules, what
each field becomes, the loss lines, --strict, the manifest and the overwrite policy; the corpus."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge import export, files, render, targets, templates
from agentforge.cli import app
from agentforge.model import FIELDS

ROOT = Path(__file__).resolve().parents[1]
SPECIALIST = ROOT / "sources" / "backend-specialist.md"
WHERE = {
    "copilot": ".github/agents/backend-specialist.agent.md",
    "opencode": ".opencode/agents/backend-specialist.md",
    "codex": ".codex/agents/backend-specialist.toml",
    "cursor": ".cursor/agents/backend-specialist.md",
}
BODY = "\nYou review code.\n\n## Steps\n\n- Read the diff\n- Say what is wrong\n"

pytestmark = pytest.mark.usefixtures("isolated")


def run(*args: str):
    return CliRunner().invoke(app, ["export", *map(str, args)])


def agent(*lines: str, body: str = BODY) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def source(tmp_path: Path, *lines: str, name: str = "reviewer", body: str = BODY) -> Path:
    head = (f"name: {name}", "description: Reviews code. Use it after every change.")
    return write(tmp_path / "src" / f"{name}.md", agent(*head, *lines, body=body))


def frontmatter(path: Path) -> dict:
    """A Markdown output's frontmatter as strict YAML reads it (our reader, no fallback)."""
    fm = files.load(path).frontmatter
    assert fm.fallback is None
    return {key: fm.get(key).text if key == "description" else fm.get(key) for key in fm.keys}


# ---- where each file goes, and that it parses ---------------------------------------------


@pytest.mark.parametrize("to", sorted(WHERE))
def test_each_target_writes_where_the_tool_looks_and_the_file_parses(to, tmp_path):
    result = run(SPECIALIST, "--to", to)
    assert result.exit_code == 0, result.output
    path = tmp_path / WHERE[to]
    assert f"create {WHERE[to]}" in result.stderr.splitlines()
    if to == "codex":
        data = tomllib.loads(path.read_text())
        assert set(data) >= {"name", "description", "developer_instructions"}
    else:
        fm = frontmatter(path)
        assert fm["description"].startswith("Use this agent when working on backend")
        assert files.load(path).body.text == files.load(SPECIALIST).body.text
    assert result.stderr.splitlines()[-1].startswith(f"exported 1 agent to {Path(WHERE[to]).parent} for ")


def test_o_writes_into_the_folder_given(tmp_path):
    result = run(SPECIALIST, "--to", "codex", "-o", "out/agents")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "agents" / "backend-specialist.toml").is_file()


def test_an_unknown_target_is_a_usage_error():
    code = "from agentforge.cli import main; main()"
    args = [sys.executable, "-c", code, "export", str(SPECIALIST), "--to", "gemini"]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr == "error: --to: expected copilot, opencode, codex, cursor\n"


# ---- what each field becomes ----------------------------------------------------------------

TOOLS = "tools: Read, Grep, Glob, Bash, Write, Edit, Task, WebFetch, TodoWrite, Skill, mcp__github__get_issue, mcp__db"


def test_copilot_maps_tool_names_to_its_aliases_and_mcp_tools_to_server_paths(tmp_path):
    path = source(tmp_path, TOOLS, "model: sonnet")
    result = run(path, "--to", "copilot")
    fm = frontmatter(tmp_path / ".github/agents/reviewer.agent.md")
    assert fm == {
        "name": "reviewer",
        "description": "Reviews code. Use it after every change.",
        "tools": ("read", "search", "execute", "edit", "agent", "web", "todo", "github/get_issue", "db/*"),
    }
    assert f"{path}: lost tools Skill: Copilot has no such tool" in result.stderr
    assert f"{path}: lost model: 'sonnet' has no Copilot counterpart; Copilot uses its default model" in result.stderr


def test_copilot_keeps_every_tool_when_the_source_names_none_and_takes_out_disallowed_ones(tmp_path):
    run(source(tmp_path, name="all-tools"), "--to", "copilot")
    assert "tools" not in frontmatter(tmp_path / ".github/agents/all-tools.agent.md")
    run(source(tmp_path, "tools: Read, Bash", "disallowedTools: Bash", name="narrow"), "--to", "copilot")
    assert frontmatter(tmp_path / ".github/agents/narrow.agent.md")["tools"] == ("read",)


def test_copilot_cuts_a_body_over_30000_characters_at_a_line_end_and_says_so(tmp_path):
    body = "\n" + "A line of instructions that goes on.\n" * 1000  # 37,001 characters
    path = source(tmp_path, body=body)
    result = run(path, "--to", "copilot")
    written = files.load(tmp_path / ".github/agents/reviewer.agent.md").body.text
    assert len(written) <= 30_000 and body.startswith(written) and written.endswith("on.\n")
    assert f"{path}: lost body: 37,001 characters, over Copilot's limit of 30,000" in result.stderr


def test_opencode_is_a_subagent_whose_tools_become_its_permission_map(tmp_path):
    path = source(tmp_path, "tools: Read, Grep, Glob, Bash(git diff:*)", "disallowedTools: WebFetch",
                  "model: claude-sonnet-4-5", "color: blue")
    result = run(path, "--to", "opencode")
    fm = frontmatter(tmp_path / ".opencode/agents/reviewer.md")
    assert list(fm) == ["description", "mode", "model", "permission"]  # no name, no Claude-only key
    assert fm["mode"] == "subagent" and fm["model"] == "anthropic/claude-sonnet-4-5"
    assert fm["permission"] == {
        "bash": "ask", "codesearch": "deny", "edit": "deny", "glob": "allow", "grep": "allow", "lsp": "deny",
        "read": "allow", "skill": "deny", "task": "deny", "todowrite": "deny", "webfetch": "deny",
        "websearch": "deny",
    }
    assert f"{path}: lost color: OpenCode has no color field" in result.stderr
    assert f"{path}: lost tools Bash(git diff:*): OpenCode's 'bash' permission asks instead" in result.stderr


def test_opencode_round_trip_keeps_name_description_tools_and_body(tmp_path):
    path = source(tmp_path, "tools: Read, Edit, Write, Bash")
    assert run(path, "--to", "opencode").exit_code == 0
    back = files.load(tmp_path / ".opencode/agents/reviewer.md")
    original = files.load(path)
    assert Path(back.path).stem == original.name
    assert back.frontmatter.description.text == original.frontmatter.description.text
    permission = back.frontmatter.get("permission")
    assert {key for key, level in permission.items() if level == "allow"} == {"read", "edit", "bash"}
    assert back.body.text == original.body.text


def test_codex_writes_toml_with_the_body_as_developer_instructions(tmp_path):
    path = source(tmp_path, "tools: Read, Grep, Glob", "effort: high", body=BODY.replace("\n", "\r\n"))
    assert run(path, "--to", "codex").exit_code == 0
    data = tomllib.loads((tmp_path / ".codex/agents/reviewer.toml").read_text(encoding="utf-8"))
    assert data == {
        "name": "reviewer",
        "description": "Reviews code. Use it after every change.",
        "model_reasoning_effort": "high",
        "sandbox_mode": "read-only",
        "developer_instructions": BODY.replace("\n", "\r\n"),  # every byte, carriage returns too
    }


@pytest.mark.parametrize(("tools", "sandbox"), [
    ("tools: Read, Grep, Glob, WebFetch", "read-only"),
    ("tools: Read, Write", "workspace-write"),
    ("model: inherit", "workspace-write"),  # no tools: every tool
])
def test_codex_sandbox_is_read_only_only_when_every_tool_reads(tools, sandbox, tmp_path):
    run(source(tmp_path, tools), "--to", "codex")
    assert tomllib.loads((tmp_path / ".codex/agents/reviewer.toml").read_text())["sandbox_mode"] == sandbox


def test_codex_never_writes_its_own_agents_names(tmp_path):
    path = source(tmp_path, name="worker")
    result = run(path, "--to", "codex")
    assert result.exit_code == 0 and not (tmp_path / ".codex/agents/worker.toml").exists()
    assert f"skipped {path}: name 'worker' is one of Codex's own agents (default, worker, explorer)" in result.stderr


def test_cursor_inherits_the_model_and_is_readonly_when_every_tool_reads(tmp_path):
    path = source(tmp_path, "tools: Read, Grep", "model: opus", "background: true")
    result = run(path, "--to", "cursor")
    assert frontmatter(tmp_path / ".cursor/agents/reviewer.md") == {
        "name": "reviewer",
        "description": "Reviews code. Use it after every change.",
        "model": "inherit",
        "readonly": True,
        "is_background": True,
    }
    assert f"{path}: lost model: 'opus' has no Cursor model id; written as inherit" in result.stderr


def test_cursor_reads_claude_agents_itself_so_no_copy_is_written_unless_asked(tmp_path):
    write(tmp_path / ".claude" / "agents" / "reviewer.md", agent("name: reviewer", "description: Reviews code."))
    result = run(".claude/agents", "--to", "cursor")
    assert result.exit_code == 0 and not (tmp_path / ".cursor").exists()
    assert "Cursor reads .claude/agents/ itself (-o .cursor/agents writes a copy)" in result.stderr
    assert run(".claude/agents", "--to", "cursor", "-o", ".cursor/agents").exit_code == 0
    assert (tmp_path / ".cursor/agents/reviewer.md").is_file()


# ---- losses and --strict --------------------------------------------------------------------

RICH = (
    "permissionMode: acceptEdits",
    "mcpServers: [github]",
    "hooks: {PreToolUse: [{matcher: Bash, hooks: [{type: command, command: ./check.sh}]}]}",
)


@pytest.mark.parametrize("to", sorted(WHERE))
def test_hooks_permission_mode_and_mcp_servers_are_named_as_lost(to, tmp_path):
    path = source(tmp_path, *RICH)
    result = run(path, "--to", to)
    assert result.exit_code == 0, result.output
    lost = [line for line in result.stderr.splitlines() if ": lost " in line]
    assert [line.split(": lost ")[1].split(":")[0] for line in lost] == ["permissionMode", "mcpServers", "hooks"]
    assert all(line.startswith(f"{path}: lost ") for line in lost)
    title = export.TARGETS[to].title
    assert f"{path}: lost hooks: {title} has no hooks in agent files" in lost


def test_strict_makes_a_loss_exit_1_and_writes_nothing(tmp_path):
    path = source(tmp_path, *RICH)
    result = run(path, "--to", "codex", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: --strict: 3 fields lost in 1 agent; nothing written"
    assert not (tmp_path / ".codex").exists()
    assert run(source(tmp_path, name="plain"), "--to", "codex", "--strict").exit_code == 0


# ---- the manifest and the overwrite policy --------------------------------------------------


def test_the_manifest_lists_what_export_wrote_in_sorted_json_without_timestamps(tmp_path):
    run(SPECIALIST, "--to", "copilot")
    text = (tmp_path / ".github/agents/.agentforge-export.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
    (entry,) = data["files"].values()
    assert list(data["files"]) == ["backend-specialist.agent.md"]
    assert entry["target"] == "copilot" and entry["source"] == str(SPECIALIST) and len(entry["sha256"]) == 64
    assert not re.search(r"\d{4}-\d\d-\d\d", text)


def test_a_second_export_changes_nothing(tmp_path):
    run(ROOT / "sources", "--to", "opencode")
    before = {p: p.read_bytes() for p in (tmp_path / ".opencode").rglob("*") if p.is_file()}
    result = run(ROOT / "sources", "--to", "opencode")
    assert result.exit_code == 0
    assert {p: p.read_bytes() for p in (tmp_path / ".opencode").rglob("*") if p.is_file()} == before
    actions = [line.split()[0] for line in result.stderr.splitlines() if line.startswith(("create", "overwrite", "unchanged"))]
    assert actions and set(actions) == {"unchanged"}


def test_a_hand_written_file_is_never_overwritten_without_force(tmp_path):
    mine = write(tmp_path / ".github/agents/backend-specialist.agent.md", "my own agent\n")
    result = run(SPECIALIST, "--to", "copilot")
    assert result.exit_code == 1
    assert "error: .github/agents/backend-specialist.agent.md: exists and export did not write it" in result.stderr
    assert mine.read_text() == "my own agent\n" and not (tmp_path / ".github/agents/.agentforge-export.json").exists()
    assert run(SPECIALIST, "--to", "copilot", "--force").exit_code == 0
    assert mine.read_text().startswith("---\nname: backend-specialist\n")


def test_a_file_export_wrote_and_someone_changed_is_not_overwritten(tmp_path):
    run(SPECIALIST, "--to", "codex")
    written = tmp_path / ".codex/agents/backend-specialist.toml"
    written.write_text(written.read_text() + 'model = "gpt-5"\n')
    result = run(SPECIALIST, "--to", "codex")
    assert result.exit_code == 1 and "(or it changed since); pass --force" in result.stderr
    assert written.read_text().endswith('model = "gpt-5"\n')


def test_a_file_export_wrote_is_updated_when_its_source_changes(tmp_path):
    path = source(tmp_path)
    run(path, "--to", "cursor")
    path.write_text(path.read_text().replace("Reviews code.", "Reviews pull requests."))
    result = run(path, "--to", "cursor")
    assert result.exit_code == 0 and "overwrite .cursor/agents/reviewer.md" in result.stderr
    assert frontmatter(tmp_path / ".cursor/agents/reviewer.md")["description"].startswith("Reviews pull requests.")


def test_export_never_writes_over_a_source(tmp_path):
    path = source(tmp_path)
    result = run(path, "--to", "cursor", "-o", path.parent)
    assert result.exit_code == 1 and "refusing to write over a source file" in result.stderr


def test_two_agents_with_one_name_export_once_and_name_the_other(tmp_path):
    first = write(tmp_path / "a" / "reviewer.md", agent("name: reviewer", "description: First."))
    second = write(tmp_path / "b" / "Reviewer.md", agent("name: Reviewer", "description: Second."))
    result = run(tmp_path / "a", tmp_path / "b", "--to", "codex")
    assert f"skipped {second}: name 'Reviewer' is already exported from {first}" in result.stderr
    assert sorted(p.name for p in (tmp_path / ".codex/agents").iterdir()) == [".agentforge-export.json", "reviewer.toml"]


# ---- source text is data --------------------------------------------------------------------

HOSTILE_BODY = "\n<script>alert(1)</script>\n{{ 7 * 7 }} {% if x %}{% endif %} {# not a comment #}\n---\nname: evil\n---\n"


@pytest.mark.parametrize("to", sorted(WHERE))
def test_script_tags_jinja_and_fences_in_source_text_stay_data(to, tmp_path):
    description = 'description: "<script>x</script> {{ name }} --- {% raw %}"'
    path = write(tmp_path / "src" / "odd.md", agent("name: odd", description, body=HOSTILE_BODY))
    result = run(path, "--to", to)
    assert result.exit_code == 0, result.output
    out = tmp_path / WHERE[to].replace("backend-specialist", "odd")
    if to == "codex":
        data = tomllib.loads(out.read_text())
        text, body = data["description"], data["developer_instructions"]
    else:
        back = files.load(out)
        text, body = back.frontmatter.description.text, back.body.text
        assert back.frontmatter.name in (None, "odd")
    assert text == "<script>x</script> {{ name }} --- {% raw %}"
    assert body == HOSTILE_BODY


# ---- templates and data ---------------------------------------------------------------------


def test_templates_list_shows_the_export_templates():
    result = CliRunner().invoke(app, ["templates", "list"])
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert {target.template for target in export.TARGETS.values()} <= set(names)


def test_a_copied_export_template_shadows_the_builtin(tmp_path):
    assert CliRunner().invoke(app, ["templates", "copy", "export/cursor.md.j2", "templates/"]).exit_code == 0
    copied = tmp_path / "templates/export/cursor.md.j2"
    copied.write_text(copied.read_text().replace("{{ body -}}", "{{ body }}\nTeam rules apply."))
    result = run(SPECIALIST, "--to", "cursor")
    assert result.exit_code == 0
    assert "template: templates/export/cursor.md.j2 (from ./templates)" in result.stderr
    assert (tmp_path / ".cursor/agents/backend-specialist.md").read_text().endswith("Team rules apply.\n")


def test_a_template_that_breaks_the_target_rules_writes_nothing(tmp_path):
    write(tmp_path / "templates/export/codex.toml.j2", "name = {{ name }}\n")
    result = run(SPECIALIST, "--to", "codex")
    assert result.exit_code == 1 and "output is not TOML" in result.stderr
    assert not (tmp_path / ".codex").exists()


@pytest.mark.parametrize("to", sorted(WHERE))
def test_every_target_says_what_becomes_of_every_claude_code_field(to):
    assert set(export.TARGETS[to].rows) == set(FIELDS)


def test_every_mapping_row_cites_the_documentation_or_says_it_is_unconfirmed():
    text = (ROOT / "agentforge" / "targets.py").read_text()
    rows = [line for line in text.splitlines() if re.match(r'\s+"[A-Za-z]+": (Keep|Convert|Lost|Implied|")', line)]
    assert len(rows) > 80
    for line in rows:
        assert re.search(r"#.*(_DOCS|_SOURCE|not confirmed)", line) or line.rstrip().endswith("("), line


def test_template_names_are_found():
    for target in export.TARGETS.values():
        assert templates.find(target.template).is_file()


# ---- the corpus -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_agents(corpus_dir):
    loaded = []
    for path in files.find_agents([corpus_dir]):
        try:
            loaded.append(files.load(path))
        except Exception:  # noqa: BLE001, S112 - the corpus README is not an agent
            continue
    return loaded


def test_every_corpus_agent_exports_to_every_target_and_reads_back(corpus_agents, tmp_path):
    assert len(corpus_agents) > 1000
    for target in export.TARGETS.values():
        template = templates.find(target.template)
        env = render.environment_for(template, templates.include_dirs())
        for agent in corpus_agents:
            if export._unexportable(agent, target):  # only names a file cannot carry
                continue
            out = tmp_path / f"{agent.name}{target.suffix}"
            # renders, then reads back: strict YAML through our reader, or TOML through tomllib
            done = export.export_agent(agent, target, out, template, env)
            assert done.path == out and done.text


def test_what_cannot_be_exported_from_the_corpus_is_only_what_no_target_can_name(corpus_agents):
    cannot = {agent.name for agent in corpus_agents if export._unexportable(agent, targets.COPILOT)}
    assert cannot == set()
