"""agentforge scan: each kind of family on small trees built here, the JSON shape, the corpus."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentforge import loads
from agentforge.cli import app
from agentforge.scan import find_families, role, role_key

runner = CliRunner()
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

SKILLS = [
    "Design REST and GraphQL APIs with versioning and pagination",
    "Model relational schemas and plan zero-downtime migrations",
    "Profile slow endpoints and add caching where reads dominate",
    "Write integration tests against a disposable database",
    "Instrument services with structured logs, metrics and traces",
    "Review pull requests for error handling and input validation",
    "Set up CI pipelines that build, test and publish containers",
    "Document every endpoint with request and response examples",
    "Harden authentication with short-lived tokens and rotation",
    "Plan capacity with load tests before each major release",
    "Break long jobs into idempotent steps behind a message queue",
    "Keep secrets out of the repository and in a vault",
]
OTHER = [
    "Sketch wireframes for every screen before writing components",
    "Pick a colour palette that meets contrast guidelines",
    "Animate transitions sparingly so that the interface feels calm",
    "Test layouts on small phones and large monitors",
]


def agent_text(name: str, items: list[str], intro: str = "You are a senior backend engineer.") -> str:
    body = "\n".join(f"- {item}" for item in items)
    return f"---\nname: {name}\ndescription: Use for {name} work.\n---\n\n{intro}\n\n## Skills\n\n{body}\n"


def build(root: Path, tree: dict[str, str]) -> Path:
    """Write {relative path: text} under root (copier's build_file_tree)."""
    for relative, text in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def scan(*args: object):
    return runner.invoke(app, ["scan", *map(str, args)])


def families(root: Path, *args: object) -> list[dict]:
    result = scan(root, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["families"]


def names(family: dict) -> list[str]:
    return [member["name"] for member in family["members"]]


def test_identical_bodies_are_one_family_whatever_their_frontmatter(tmp_path):
    build(tmp_path, {
        "a/agents/backend-architect.md": agent_text("api-backend-architect", SKILLS),
        # the same body with other markdown emphasis and another description
        "b/agents/backend-architect.md": agent_text("data-backend-architect", SKILLS).replace(
            "Design REST", "Design **REST**"
        ).replace("Use for", "Call for"),
        "c/designer.md": agent_text("ui-designer", OTHER, "You design interfaces."),
    })
    found = families(tmp_path)
    assert [(f["kind"], f["similarity"], names(f)) for f in found] == [
        ("identical", 100.0, ["api-backend-architect", "data-backend-architect"])
    ]
    assert found[0]["name"] == "backend-architect"


def test_drifted_copies_are_a_near_family_with_their_similarity(tmp_path):
    drifted = SKILLS[:]
    drifted[0], drifted[5] = drifted[5], drifted[0]  # reordered
    drifted[3] = "Write integration tests against a throwaway database container"  # reworded
    del drifted[9]  # dropped
    build(tmp_path, {
        "one.md": agent_text("backend-developer", SKILLS),
        "two.md": agent_text("server-engineer", drifted),
        "three.md": agent_text("ui-designer", OTHER, "You design interfaces."),
    })
    (near,) = families(tmp_path)
    assert near["kind"] == "near"
    assert names(near) == ["backend-developer", "server-engineer"]
    assert 85 <= near["similarity"] < 100
    assert families(tmp_path, "--threshold", "99") == []


def test_copies_of_a_body_are_members_of_the_near_family_too(tmp_path):
    build(tmp_path, {
        "a.md": agent_text("backend-developer", SKILLS),
        "b.md": agent_text("backend-developer-copy", SKILLS),
        "c.md": agent_text("backend-developer-drift", SKILLS[:-1]),
    })
    found = families(tmp_path)
    assert [(f["kind"], len(f["members"])) for f in found] == [("near", 3), ("identical", 2)]


def test_one_role_under_several_names_is_a_name_family(tmp_path):
    build(tmp_path, {
        "0xfurai/python-expert.md": agent_text("python-expert", SKILLS[:6]),
        "wshobson/plugins/python-development/agents/python-pro.md": agent_text(
            "python-development-python-pro", SKILLS[6:]
        ),
        "voltagent/python-pro.md": agent_text("python-pro", OTHER, "You write Python."),
        "pythonista.md": agent_text("pythonista", OTHER[:2], "You write Python."),
    })
    (family,) = families(tmp_path)
    assert family["kind"] == "name"
    assert names(family) == ["python-expert", "python-pro", "python-development-python-pro"]
    assert family["similarity"] < 85
    assert family["name"] == "python-pro"


def test_a_role_already_in_one_body_family_is_not_repeated(tmp_path):
    build(tmp_path, {"a/debugger.md": agent_text("debugger", SKILLS), "b/debugger.md": agent_text("debugger", SKILLS)})
    assert [f["kind"] for f in families(tmp_path)] == ["identical"]


def test_role_strips_a_namespace_the_file_name_leaves_out():
    assert role("api-scaffolding-backend-architect", "x/agents/backend-architect.md") == "backend-architect"
    assert role("api-scaffolding-backend-architect", "plugins__api__agents__backend-architect.md") == (
        "backend-architect"
    )
    assert role("unity-game-developer", "unity-game-developer.md") == "unity-game-developer"
    assert role("react-specialist", "specialist.md") == "react-specialist"  # one word is not a role
    assert role(None, "Code Reviewer.md") == "code-reviewer"
    assert role_key("python-pro") == role_key("python-expert") == "python"
    assert role_key("react-native-expert") == "react-native"
    assert role_key("expert") == "expert"
    assert role_key("laravel-expert-agent") == "laravel"
    assert role_key("review-agent") == "review-agent"


def test_text_lists_largest_families_first_with_the_merge_command(tmp_path):
    build(tmp_path, {
        "a.md": agent_text("api-designer", SKILLS),
        "b.md": agent_text("api-designer", SKILLS),
        "c.md": agent_text("api-designer", SKILLS),
        "d.md": agent_text("ui-designer", OTHER, "You design."),
        "e dir/ui-designer.md": agent_text("ui-designer", OTHER, "You design."),
    })
    result = scan(tmp_path)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0].split() == ["kind", "similarity", "agents", "family"]
    assert lines[2].split() == ["identical", "100", "3", "api-designer"]
    assert (f"agentforge merge {tmp_path}/a.md {tmp_path}/b.md {tmp_path}/c.md --name api-designer"
            " -o api-designer.md") in lines
    assert (f"agentforge merge {tmp_path}/d.md '{tmp_path}/e dir/ui-designer.md' --name ui-designer"
            " -o ui-designer.md") in lines
    assert lines[-1] == "2 families (2 identical, 0 near, 0 name) among 5 agents"


def test_json_shape_and_same_bytes_every_run(tmp_path):
    build(tmp_path, {
        "a.md": agent_text("backend-developer", SKILLS),
        "b.md": agent_text("backend-developer", SKILLS),
        "c.md": agent_text("backend-expert", SKILLS[:-2] + ["Own the on-call runbook"]),
        "d.md": agent_text("backend-pro", OTHER),
    })
    first = scan(tmp_path, "--format", "json")
    assert first.exit_code == 0, first.output
    assert scan(tmp_path, "--format", "json").stdout == first.stdout
    data = json.loads(first.stdout)
    assert data["agents"] == 4 and data["skipped"] == []
    assert [f["kind"] for f in data["families"]] == ["name", "near", "identical"]
    for family in data["families"]:
        assert set(family) >= {"kind", "similarity", "members"}
        assert isinstance(family["similarity"], float)
        assert all(set(member) == {"path", "name"} for member in family["members"])
        paths = [member["path"] for member in family["members"]]
        assert paths == sorted(paths)


def test_families_do_not_depend_on_the_order_agents_come_in(tmp_path):
    tree = {f"{i}.md": agent_text(f"agent-{i % 3}", SKILLS[i % 4 :] + OTHER[: i % 3]) for i in range(12)}
    agents = [loads(text, str(tmp_path / path)) for path, text in tree.items()]
    expected = find_families(agents)
    assert expected
    for seed in range(3):
        random.Random(seed).shuffle(agents)
        assert find_families(agents) == expected


def test_a_file_that_does_not_load_is_skipped_and_named_on_stderr(tmp_path):
    build(tmp_path, {
        "README.md": "# Our agents\n",
        "a.md": agent_text("api-designer", SKILLS),
        "b.md": agent_text("api-designer", SKILLS),
    })
    result = scan(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"skipped {tmp_path}/README.md: no frontmatter: the file must start with a '---' line\n"
    assert result.stdout.endswith("among 2 agents; 1 file skipped\n")
    assert json.loads(scan(tmp_path, "--format", "json").stdout)["skipped"][0]["path"].endswith("README.md")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold", "120"], "threshold must be between 0 and 100"),
        (["--format", "yaml"], "--format must be text or json"),
    ],
)
def test_bad_options_exit_1_with_a_message(tmp_path, args, message):
    build(tmp_path, {"a.md": agent_text("api-designer", SKILLS)})
    result = scan(tmp_path, *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_no_agents_or_no_such_folder_exit_1(tmp_path):
    assert "no agent files" in scan(tmp_path).stderr
    result = scan(tmp_path / "missing")
    assert result.exit_code == 1 and "no such file or folder" in result.stderr


def test_corpus_wshobson_copies_and_voltagent_davila7_pairs():
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    data = json.loads(scan(CORPUS, "--format", "json").stdout)
    found = data["families"]
    backend = [
        f for f in found
        if f["kind"] == "identical" and any(m["name"] == "api-scaffolding-backend-architect" for m in f["members"])
    ]
    assert len(backend) == 1
    assert sorted(m["name"] for m in backend[0]["members"]) == sorted(
        f"{plugin}-backend-architect"
        for plugin in ("api-scaffolding", "backend-api-security", "backend-development", "data-engineering",
                       "database-cloud-optimization", "multi-platform-apps")
    )
    assert backend[0]["name"] == "backend-architect"

    def repos(family: dict) -> set[str]:
        return {Path(m["path"]).parent.name.split("__")[0] for m in family["members"]}

    pairs = [f for f in found if repos(f) == {"VoltAgent", "davila7"}]
    assert sum(f["kind"] == "identical" for f in pairs) >= 80
    assert any(f["kind"] == "near" and f["name"] == "python-pro" for f in pairs)
    for family in found:
        kind_members = [m["path"] for f in found if f["kind"] == family["kind"] for m in f["members"]]
        assert len(kind_members) == len(set(kind_members))  # one family per kind per agent
