"""agentforge lint: one input that triggers each rule and one that must not; the CLI; the corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from agentforge import files, loads
from agentforge.cli import app
from agentforge.lint import RULES, lint_file, lint_paths, lint_text

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
GOOD = "---\nname: code-reviewer\ndescription: Reviews code.\ntools: Read, Grep\n---\nYou review code.\n"


def agent(*lines: str, body: str = "You review code.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


BASE = ("name: code-reviewer", "description: Reviews code.")

# rule id -> (a text that triggers it, a text that must not)
CASES = {
    "frontmatter-missing": ("name: code-reviewer\ndescription: Reviews code.\n\nBody.\n", GOOD),
    "frontmatter-unterminated": ("---\nname: code-reviewer\ndescription: Reviews code.\nBody.\n", GOOD),
    "over-limit": (agent(*BASE, body="".join("  " * i + "- deeper\n" for i in range(40))), GOOD),
    "not-an-agent": ("# Our agents\n\nThis folder holds the team's agents.\n", GOOD),
    "unindented-continuation": (
        agent(
            "name: api-tester", "description: Use it: for APIs", "<example>", "user: test it", "</example>"
        ),
        agent(
            "name: api-tester",
            "description: Use it: for APIs",
            "  <example>",
            "  user: test it",
            "  </example>",
        ),
    ),
    "crlf-with-colon": (
        agent("name: code-reviewer", "description: Use it: for reviews").replace("\n", "\r\n"),
        GOOD.replace("\n", "\r\n"),
    ),
    "frontmatter-not-strict": (
        agent("name: code-reviewer", "description: Use it: for reviews"),
        agent("name: code-reviewer", 'description: "Use it: for reviews"'),
    ),
    "frontmatter-fence": (GOOD.replace("\n---\n", "\n" + "-" * 56 + "\n"), GOOD),
    "bom": ("\ufeff" + GOOD, GOOD),
    "duplicate-key": (agent(*BASE, "name: other-name"), GOOD),
    "name-missing": (agent("description: Reviews code."), GOOD),
    "name-format": (agent("name: Code_Reviewer", "description: Reviews code."), GOOD),
    "name-colon": (agent("name: review:code", "description: Reviews code."), GOOD),
    "description-missing": (agent("name: code-reviewer", "description:"), GOOD),
    "model-unknown": (agent(*BASE, "model: gpt-4o"), agent(*BASE, "model: claude-sonnet-4-5")),
    "color-unknown": (agent(*BASE, "color: teal"), agent(*BASE, "color: cyan")),
    "permission-mode-unknown": (agent(*BASE, "permissionMode: yolo"), agent(*BASE, "permissionMode: plan")),
    "value-unknown": (
        agent(*BASE, "effort: extreme", "maxTurns: many"),
        agent(*BASE, "effort: high", "maxTurns: 5"),
    ),
    "tool-unknown": (
        agent(*BASE, "tools: Read, codebase, edit/editFiles"),
        agent(*BASE, "tools: Read, mcp__github__*, mcp__db, Agent(a, b), Task(x), Bash(git:*)"),
    ),
    "body-empty": (agent(*BASE, body=""), GOOD),
    "fence-unclosed": (agent(*BASE, body="You test.\n\n- Unit tests\n```\n\n## Load testing\n\n- k6\n"),  # a shell comment is no section:
                       agent(*BASE, body="You test.\n\n```\n# Install dependencies\nnpm install\n")),
    "crlf-line-endings": (GOOD.replace("\n", "\r\n"), GOOD),
    "tools-list": (agent(*BASE, "tools:", "  - Read", "  - Grep"), agent(*BASE, "tools: []")),
    "key-unknown": (agent(*BASE, "category: review"), agent(*BASE, "model: inherit")),
}
FILE_RULES = {"not-utf8", "duplicate-name", "plugin-agent-field"}  # need a file or a tree: tested below


def rules_of(text: str) -> set[str]:
    return {finding.rule for finding in lint_text(text, "agent.md")}


def test_every_rule_has_cases():
    assert set(CASES) | FILE_RULES == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_triggers(rule):
    bad, _ = CASES[rule]
    assert rule in rules_of(bad)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_does_not_trigger(rule):
    _, good = CASES[rule]
    assert rule not in rules_of(good)


def test_good_file_is_clean():
    assert lint_text(GOOD) == []


def test_finding_place_and_text():
    text = agent(*BASE, "tools: Read, codebase")
    (found,) = lint_text(text, "a.md")
    assert (found.line, found.column, found.severity) == (4, 14, "warning")
    assert str(found) == "a.md:4:14: warning tool-unknown unknown tool 'codebase'"


LONG_FENCE = agent(*BASE, "model: sonnet", "color: blue").replace("\n---\n", "\n" + "-" * 56 + "\n")


def test_long_closing_line_is_a_warning_on_its_line():
    (found,) = lint_text(LONG_FENCE, "a.md")
    assert str(found) == (
        "a.md:6:1: warning frontmatter-fence closing line is 56 dashes: Claude Code reads it "
        "(the other 53 start its system prompt); other tools expect '---'"
    )


def test_fences_with_trailing_whitespace_are_warnings_on_their_lines():
    text = GOOD.replace("---\n", "---  \r\n", 1).replace("\n---\n", "\n---\t\n")
    found = [(f.line, f.message.split(" is ")[0]) for f in lint_text(text) if f.rule == "frontmatter-fence"]
    assert found == [(1, "opening line"), (5, "closing line")]


def test_claude_skips_is_an_error_not_a_fallback_warning():
    rules = rules_of(CASES["unindented-continuation"][0])
    assert "frontmatter-not-strict" not in rules
    assert RULES["unindented-continuation"].severity == "error"


CLAUDE_FIELDS = agent(
    *BASE,
    "tools: Read, Grep, Agent(reviewer), Skill, AskUserQuestion, LSP",
    "disallowedTools: Bash",
    "model: claude-opus-4-5",
    "permissionMode: dontAsk",
    "maxTurns: 20",
    "skills: [commit, review]",
    "mcpServers: [github]",
    "hooks: {PreToolUse: [{matcher: Bash, hooks: [{type: command, command: ./check.sh}]}]}",
    "memory: project",
    "background: true",
    "effort: xhigh",
    "isolation: worktree",
    "initialPrompt: Review the staged diff.",
    "color: cyan",
)


def test_every_claude_code_field_with_a_valid_value_is_clean():
    assert lint_text(CLAUDE_FIELDS) == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("skills: {a: 1}", "skills must be a list or text"),
        ("mcpServers: github", "mcpServers must be a list or a mapping"),
        ("hooks: [a]", "hooks must be a mapping"),
        ("initialPrompt: [a]", "initialPrompt must be text"),
        ("maxTurns: 0", "maxTurns '0' is not a positive integer"),
        ("effort: extreme", "unknown effort 'extreme'"),
        ("memory: global", "unknown memory 'global'"),
        ("isolation: docker", "unknown isolation 'docker'"),
        ("background: maybe", "background 'maybe' is not true or false"),
    ],
)
def test_a_field_of_the_wrong_kind_is_a_warning(line, message):
    (found,) = lint_text(agent(*BASE, line))
    assert (found.rule, found.severity) == ("value-unknown", "warning") and message in found.message


def test_an_unknown_tool_is_a_warning_and_new_tools_are_known():
    found = lint_text(agent(*BASE, "tools: Agent, Skill, AskUserQuestion, LSP, Frobnicate"))
    assert [(f.rule, f.severity, f.message) for f in found] == [
        ("tool-unknown", "warning", "unknown tool 'Frobnicate'")
    ]


def test_a_colon_in_a_name_is_an_error_naming_plugin_namespaces():
    (found,) = lint_text(agent("name: tools:reviewer", "description: Reviews code."))
    assert (found.rule, found.severity) == ("name-colon", "error")
    assert "reserves for plugin namespaces" in found.message


def test_a_plugin_agent_may_not_set_hooks_mcp_servers_or_permission_mode(tmp_path):
    plugin = tmp_path / "my-plugin"
    (plugin / ".claude-plugin").mkdir(parents=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text('{"name": "my-plugin"}')
    (plugin / "agents").mkdir()
    text = agent(*BASE, "permissionMode: bypassPermissions", "mcpServers: [github]", "hooks: {Stop: []}")
    (plugin / "agents" / "a.md").write_text(text)
    found = lint_paths([plugin]).findings
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("plugin-agent-field", "error", 4),
        ("plugin-agent-field", "error", 5),
        ("plugin-agent-field", "error", 6),
    ]
    assert "'permissionMode' is ignored in a plugin's agent" in found[0].message
    (plugin / ".claude-plugin" / "plugin.json").unlink()  # the same files outside a plugin are fine
    assert lint_paths([plugin]).findings == ()


def test_duplicate_names_in_one_scope_are_errors_naming_both_files(tmp_path):
    agents = tmp_path / ".claude" / "agents"
    (agents / "team" / "agents").mkdir(parents=True)  # one scope: Claude Code scans .claude/agents recursively
    (agents / "a.md").write_text(GOOD)
    (agents / "team" / "agents" / "b.md").write_text(GOOD)
    found = lint_paths([agents]).findings
    assert [(f.rule, f.severity) for f in found] == [("duplicate-name", "error")] * 2
    assert str(agents / "team" / "agents" / "b.md") in found[0].message
    assert str(agents / "a.md") in found[1].message


def test_not_utf8(tmp_path):
    (tmp_path / "bad.md").write_bytes(GOOD.encode().replace(b"Reviews", b"Revi\xe9ws"))
    (tmp_path / "good.md").write_text(GOOD)
    (found,), _ = lint_file(tmp_path / "bad.md")
    assert (found.rule, found.line) == ("not-utf8", 3)
    assert lint_file(tmp_path / "good.md") == ([], loads(GOOD, str(tmp_path / "good.md")))


def test_duplicate_name_in_one_tree(tmp_path):
    agents = tmp_path / ".claude" / "agents"
    (agents / "sub").mkdir(parents=True)
    (agents / "a.md").write_text(GOOD)
    (agents / "sub" / "b.md").write_text(GOOD)
    (agents / "c.md").write_text(GOOD.replace("code-reviewer", "code-writer"))
    found = [f for f in lint_paths([agents / "a.md", agents / "sub"]).findings]
    assert {(Path(f.path).name, f.rule) for f in found} == {
        ("a.md", "duplicate-name"),
        ("b.md", "duplicate-name"),
    }
    assert lint_paths([agents / "a.md", agents / "c.md"]).findings == ()


def test_folders_skip_other_files_and_report_readmes(tmp_path):
    (tmp_path / "agent.md").write_text(GOOD)
    (tmp_path / "README.md").write_text("# Agents\n")
    (tmp_path / "notes.txt").write_text("not an agent")
    report = lint_paths([tmp_path])
    assert report.checked == 2
    assert [(Path(f.path).name, f.rule) for f in report.findings] == [("README.md", "not-an-agent")]


def test_select_and_ignore(tmp_path):
    (tmp_path / "a.md").write_text(agent(*BASE, "color: teal", "category: x"))

    def rules(**options):
        return {f.rule for f in lint_paths([tmp_path], **options).findings}

    assert rules(select=["color-unknown,key-unknown"]) == {"color-unknown", "key-unknown"}
    assert rules(select=["color-unknown", "key-unknown"], ignore=["key-unknown"]) == {"color-unknown"}
    assert rules(ignore=["color-unknown", "key-unknown"]) == set()


# ---- the command line ------------------------------------------------------------------

runner = CliRunner()
LINE = re.compile(r"^.+:\d+:\d+: (error|warning|info) [a-z0-9-]+ .+$")


def test_cli_errors_exit_1(tmp_path):
    (tmp_path / "a.md").write_text(agent("description: Reviews code."))
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 1
    first, summary = result.stdout.splitlines()
    assert LINE.match(first) and "name-missing" in first
    assert summary == "1 error, 0 warnings, 0 info in 1 of 1 file"


def test_cli_warnings_exit_0(tmp_path):
    (tmp_path / "a.md").write_text(agent(*BASE, "color: teal"))
    result = runner.invoke(app, ["lint", str(tmp_path / "a.md")])
    assert result.exit_code == 0
    assert "warning color-unknown" in result.stdout
    runner_clean = runner.invoke(app, ["lint", str(tmp_path), "--ignore", "color-unknown"])
    assert runner_clean.stdout == "no problems in 1 file\n"


def test_cli_json(tmp_path):
    (tmp_path / "a.md").write_text(agent(*BASE, "model: gpt-4o"))
    result = runner.invoke(app, ["lint", "--format", "json", str(tmp_path)])
    (found,) = json.loads(result.stdout)
    assert found["rule"] == "model-unknown" and found["line"] == 4 and found["severity"] == "warning"
    assert set(found) >= {"path", "line", "column", "rule", "severity", "message"}


def test_cli_unknown_rule_and_missing_path(tmp_path):
    result = runner.invoke(app, ["lint", str(tmp_path), "--select", "no-such-rule"])
    assert result.exit_code == 1 and "unknown rule 'no-such-rule'" in result.output
    result = runner.invoke(app, ["lint", str(tmp_path / "missing.md")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_cli_rules_lists_every_rule():
    result = runner.invoke(app, ["lint", "--rules"])
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(RULES)


def test_cli_diff_writes_nothing_and_fix_writes(tmp_path):
    path = tmp_path / "a.md"
    text = "\ufeff" + agent("name: code-reviewer", "description: Use it: for reviews")
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["lint", "--diff", str(path)])
    assert result.exit_code == 0 and '+description: "Use it: for reviews"' in result.stdout
    assert path.read_text(encoding="utf-8") == text
    result = runner.invoke(app, ["lint", "--fix", str(path)])
    assert result.exit_code == 0
    assert "fixed" in result.output and "bom, frontmatter-not-strict" in result.output
    assert "no problems in 1 file" in result.stdout
    assert path.read_text(encoding="utf-8") == agent(
        "name: code-reviewer", 'description: "Use it: for reviews"'
    )


def test_cli_rules_lists_the_fence_rule_as_a_fixable_warning():
    result = runner.invoke(app, ["lint", "--rules"])
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("frontmatter-fence ")]
    assert line.split()[1:3] == ["warning", "fix"]


def test_cli_fix_makes_a_long_closing_line_three_dashes(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(LONG_FENCE, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 0 and f"{path}:6:1: warning frontmatter-fence" in result.stdout
    result = runner.invoke(app, ["lint", "--fix", str(path)])
    assert "frontmatter-fence" in result.output and "no problems in 1 file" in result.stdout
    after = path.read_text(encoding="utf-8")
    assert after == agent(*BASE, "model: sonnet", "color: blue")
    before, fixed = loads(LONG_FENCE), loads(after)
    assert fixed.frontmatter == before.frontmatter and fixed.body == before.body


@pytest.mark.parametrize(
    "present", [["sources", ".claude/agents", "~"], [".claude/agents", "~"], ["~"]]
)
def test_without_a_path_lint_uses_the_first_folder_claude_code_reads(tmp_path, monkeypatch, present):
    """./sources, then .claude/agents, then ~/.claude/agents: the first that exists, named on stderr."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    where = {"sources": Path("sources"), ".claude/agents": Path(".claude/agents"), "~": home / ".claude/agents"}
    for key in present:
        where[key].mkdir(parents=True)
        (where[key] / "code-reviewer.md").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"linting {where[present[0]]} (no path given)\n"
    assert result.stdout == "no problems in 1 file\n"


def test_without_a_path_or_a_folder_to_lint_it_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 2
    assert f"none of sources, .claude/agents, {tmp_path}/home/.claude/agents is a folder" in result.output


def test_pre_commit_hook_runs_lint():
    hooks = YAML(typ="safe").load(Path(__file__).parents[1] / ".pre-commit-hooks.yaml")
    assert {hook["id"]: hook["entry"] for hook in hooks} == {
        "agentforge-lint": "agentforge lint",
        "agentforge-lint-fix": "agentforge lint --fix",
    }


# ---- the corpus ------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")
def test_corpus_lints_without_crashing():
    report = lint_paths(sorted(p for p in CORPUS.iterdir() if p.is_dir()))
    assert report.checked == len(files.find_agents([CORPUS])) - len(list(CORPUS.glob("*.md")))  # each file once
    assert report.findings and all(f.rule in RULES for f in report.findings)
    assert all(f.severity == RULES[f.rule].severity and f.line >= 1 for f in report.findings)
