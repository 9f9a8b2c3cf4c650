"""agentforge scan: each kind of family on small trees built here, the JSON shape, the corpus."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentforge import files, load, loads
from agentforge.cli import app
from agentforge.language import detect
from agentforge.plural import count
from agentforge.scan import find_families, named_by_file, role, role_key

runner = CliRunner()

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
    # one family: the near one holds the identical copies (each file in at most one family)
    assert [(f["kind"], len(f["members"])) for f in found] == [("near", 3)]


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
    assert lines[-1] == "2 families (2 identical, 0 near, 0 clash, 0 name) among 5 agents"


def test_json_shape_and_same_bytes_every_run(tmp_path):
    build(tmp_path, {
        "a.md": agent_text("backend-developer", SKILLS),
        "b.md": agent_text("backend-developer", SKILLS),
        "c.md": agent_text("backend-expert", SKILLS[:-2] + ["Own the on-call runbook"]),
        "x/backend-pro.md": agent_text("backend-pro", OTHER),
        "y/backend-pro.md": agent_text("backend-pro", OTHER[:2] + SKILLS[:3]),
        "z/frontend-stylist.md": agent_text("backend-pro", SKILLS[6:] + OTHER[2:]),
    })
    first = scan(tmp_path, "--format", "json")
    assert first.exit_code == 0, first.output
    assert scan(tmp_path, "--format", "json").stdout == first.stdout
    data = json.loads(first.stdout)
    assert data["agents"] == 6 and data["skipped"] == []
    assert [f["kind"] for f in data["families"]] == ["near", "name", "clash"]
    for family in data["families"]:
        assert set(family) >= {"kind", "similarity", "members", "outputs", "commands"}
        assert isinstance(family["similarity"], float)
        assert all(set(member) == {"path", "name"} for member in family["members"])
        paths = [member["path"] for member in family["members"]]
        assert paths == sorted(paths)
    clash = data["families"][2]
    assert [m["path"] for m in clash["clashes_with"]] == [f"{tmp_path}/x/backend-pro.md", f"{tmp_path}/y/backend-pro.md"]


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


@pytest.fixture(scope="module")
def corpus_scan(corpus_dir) -> dict:
    """``scan --format json`` of the whole corpus, once for the tests that read it."""
    return json.loads(scan(corpus_dir, "--format", "json").stdout)


def test_corpus_wshobson_copies_and_voltagent_davila7_pairs(corpus_scan):
    found = corpus_scan["families"]
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


# ---- issue 14: no merge a user would regret -----------------------------------------------

PYTHON_EXPERT_FR = """---
name: python-expert
description: Maîtrise les fonctionnalités avancées de Python, optimise les performances et garantit la qualité du code.
model: sonnet
---

## Domaines d'expertise

- Un style de code pythonique et le respect de la PEP 8
- Les fonctionnalités avancées de Python comme les décorateurs et les métaclasses
- La programmation asynchrone avec `async`/`await`
- Une gestion des erreurs claire avec des exceptions personnalisées
- Des tests unitaires complets et une bonne couverture de tests
- Les annotations de type et la vérification statique des types
- Les générateurs et les gestionnaires de contexte
- La gestion de la mémoire et les techniques d'optimisation

## Approche

- Écrire un code lisible qui suit les conventions de la communauté
- Préférer la composition à l'héritage lorsque c'est possible
- Mesurer avant d'optimiser, avec `cProfile` et des tests de performance
- Documenter chaque fonction publique avec des exemples simples
- Garder les dépendances au minimum et les épingler dans le projet
"""


def test_detect_tells_english_from_the_languages_agents_are_rewritten_in():
    assert detect(agent_text("x", SKILLS)) == "en"
    assert detect(PYTHON_EXPERT_FR) == "fr"
    assert detect("Du bist ein erfahrener Entwickler. Du prüfst den Code und schreibst Tests für "
                  "die Module, die noch keine haben, und erklärst, was sich geändert hat.") == "de"
    assert detect("Eres un ingeniero con experiencia. Revisas el código de los equipos y escribes "
                  "pruebas para los módulos que no las tienen, y explicas lo que cambia.") == "es"
    assert detect("```python\nimport os\n```") == ""  # code says nothing


def test_a_french_rewrite_never_joins_english_agents_of_its_role(tmp_path):
    english = {
        "0xfurai/python-expert.md": agent_text("python-expert", SKILLS[:6]),
        "voltagent/python-pro.md": agent_text("python-pro", SKILLS[6:]),
    }
    build(tmp_path, {**english, "fr/python-expert.md": PYTHON_EXPERT_FR})
    found = families(tmp_path)
    assert [(f["kind"], sorted(names(f))) for f in found] == [("name", ["python-expert", "python-pro"])]
    assert all("/fr/" not in m["path"] for f in found for m in f["members"])


def test_a_french_rewrite_of_a_corpus_agent_never_joins_the_english_ones(corpus_dir, tmp_path):
    for source in ("0xfurai__claude-code-subagents/agents__python-expert.md",
                   "rshah515__claude-code-subagents/languages__python-expert.md",
                   "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__python-pro.md",
                   "wshobson__agents/plugins__python-development__agents__python-pro.md"):
        (tmp_path / source.replace("/", "__")).write_text((corpus_dir / source).read_text("utf-8"), "utf-8")
    build(tmp_path, {"fr__python-expert.md": PYTHON_EXPERT_FR, "fr2__python-pro.md": PYTHON_EXPERT_FR.replace(
        "name: python-expert", "name: python-pro").replace("Approche", "Méthode")})
    found = families(tmp_path)
    french = {str(tmp_path / "fr__python-expert.md"), str(tmp_path / "fr2__python-pro.md")}
    for family in found:
        paths = {m["path"] for m in family["members"]}
        assert paths <= french or not paths & french, family
    assert any(len(f["members"]) == 4 for f in found)  # the English ones are still one family


def test_same_name_dissimilar_bodies_and_a_file_named_otherwise_is_a_clash_not_a_merge(tmp_path):
    build(tmp_path, {
        "vue-component-architect.md": agent_text("vue-component-architect", SKILLS, "You design Vue components."),
        "vue-state-manager.md": agent_text("vue-component-architect", OTHER, "You manage Pinia stores."),
        "other/vue-component-architect.md": agent_text("vue-component-architect", SKILLS[:5] + OTHER[:1]),
    })
    found = families(tmp_path)
    clash = [f for f in found if f["kind"] == "clash"]
    assert len(clash) == 1
    assert [m["path"] for m in clash[0]["members"]] == [f"{tmp_path}/vue-state-manager.md"]
    assert clash[0]["similarity"] < 85
    assert clash[0]["commands"] == [
        f"agentforge new --from {tmp_path}/vue-state-manager.md --name vue-state-manager -o vue-state-manager.md"
    ]
    for family in found:
        if family["kind"] != "clash":
            assert f"{tmp_path}/vue-state-manager.md" not in [m["path"] for m in family["members"]]
            assert "vue-state-manager" not in " ".join(family["commands"])
    text = scan(tmp_path).stdout
    assert "name clash" in text and "agentforge merge" not in text.split("clash")[1].split("\n\n")[0]


def test_a_copy_under_another_file_name_is_no_clash(tmp_path):
    build(tmp_path, {"a/debugger.md": agent_text("debugger", SKILLS), "b/bug-hunter.md": agent_text("debugger", SKILLS)})
    assert [f["kind"] for f in families(tmp_path)] == ["identical"]


def test_named_by_file():
    assert named_by_file("api-scaffolding-backend-architect", "x/backend-architect.md")
    assert named_by_file("architect-reviewer", "x__architect-review.md")  # spelt nearly alike
    assert named_by_file("debugger", "debugger.md") and named_by_file(None, "x.md")
    assert named_by_file("debugging-toolkit-debugger", "plugins__debugging-toolkit__agents__debugger.md")
    assert not named_by_file("vue-component-architect", "vue-state-manager.md")


def test_overlapping_families_share_no_file_and_no_output(tmp_path):
    # backend-developer copies (a, b), a drift (c), and other backend agents: one role key
    build(tmp_path, {
        "a/backend-developer.md": agent_text("backend-developer", SKILLS),
        "b/backend-developer.md": agent_text("backend-developer", SKILLS),
        "c/backend-developer.md": agent_text("backend-developer", SKILLS[:-1]),
        "d/backend-developer.md": agent_text("backend-developer", OTHER),
        "e/backend-engineer.md": agent_text("backend-engineer", OTHER[:3] + SKILLS[:2]),
        "f/backend-pro.md": agent_text("backend-pro", SKILLS[4:9] + OTHER[3:]),
    })
    found = families(tmp_path)
    paths = [m["path"] for f in found for m in f["members"]]
    outputs = [o for f in found for o in f["outputs"]]
    assert len(paths) == len(set(paths)) == 6
    assert len(outputs) == len(set(outputs)) == 2
    assert [f["kind"] for f in found] == ["near", "name"]
    assert outputs == ["backend-developer.md", "backend-developer-2.md"]
    assert all(f"-o {o}" in " ".join(f["commands"]) for f in found for o in f["outputs"])


def test_corpus_no_file_in_two_families_no_output_twice_no_mixed_language(corpus_dir, corpus_scan):
    data = corpus_scan
    found = data["families"]
    paths = [m["path"] for f in found for m in f["members"]]
    assert len(paths) == len(set(paths))
    outputs = [o for f in found for o in f["outputs"]]
    assert len(outputs) == len(set(outputs))
    for family in found:
        assert len({detect(Path(m["path"]).read_text("utf-8")) for m in family["members"]}) == 1
        if family["kind"] == "clash":
            assert family["similarity"] < 85 and all(c.startswith("agentforge new ") for c in family["commands"])
        else:
            assert [c.split()[1] for c in family["commands"]] == ["merge"]
    assert data["agents"] + len(data["skipped"]) == len(files.find_agents([corpus_dir]))  # each file counted once


def test_corpus_with_a_deliberate_name_clash_reports_it(corpus_dir, tmp_path):
    for source in ("0xfurai__claude-code-subagents/agents__vue-expert.md",
                   "rshah515__claude-code-subagents/frameworks__vue-expert.md",
                   "0xfurai__claude-code-subagents/agents__python-expert.md"):
        (tmp_path / source.replace("/", "__")).write_text((corpus_dir / source).read_text("utf-8"), "utf-8")
    misnamed = tmp_path / "0xfurai__claude-code-subagents__agents__python-expert.md"
    misnamed.write_text(misnamed.read_text("utf-8").replace("name: python-expert", "name: vue-expert"), "utf-8")
    found = families(tmp_path)
    (clash,) = [f for f in found if f["kind"] == "clash"]
    assert [m["path"] for m in clash["members"]] == [str(misnamed)]
    assert clash["commands"] == [f"agentforge new --from {misnamed} --name python-expert -o python-expert.md"]
    assert [f["kind"] for f in found] == ["name", "clash"]


def test_plurals():
    assert count(1, "family", "families") == "1 family"
    assert count(2, "family", "families") == "2 families"
    assert count(0, "file") == "0 files"


def test_summary_says_1_family_and_1_agent(tmp_path):
    build(tmp_path, {"a.md": agent_text("api-designer", SKILLS), "b.md": agent_text("api-designer", SKILLS),
                     "README.md": "# x\n"})
    assert scan(tmp_path).stdout.splitlines()[-1] == (
        "1 family (1 identical, 0 near, 0 clash, 0 name) among 2 agents; 1 file skipped"
    )


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"agentforge {version('agentforge')}\n"


@pytest.mark.parametrize("command", [[], ["inspect"], ["new"], ["merge"], ["lint"], ["scan"], ["templates"],
                                     ["templates", "copy"]])
def test_help_has_no_type_noise(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    for noise in ("<bool>", "<str>", "<path>", "<float", "<int", "<list[", "{paths}", "{sources}"):
        assert noise not in result.stdout
    if command == ["merge"]:
        assert "'agentforge[semantic]'" in " ".join(result.stdout.split())


def test_a_suggested_output_is_never_a_file_scanned(tmp_path, monkeypatch):
    build(tmp_path, {
        "vue-expert.md": agent_text("vue-expert", SKILLS),
        "nuxt/vue-expert.md": agent_text("vue-expert", OTHER),
        "python-expert.md": agent_text("vue-expert", SKILLS[6:] + OTHER[:2], "You write Python."),
    })
    monkeypatch.chdir(tmp_path)
    found = families(Path("."))
    assert {o for f in found for o in f["outputs"]} == {"vue-expert-2.md", "python-expert-2.md"}
    assert "takes the name of these" in scan(Path(".")).stdout


def test_find_families_reads_an_iterator_once_and_keeps_no_agent(sources_dir):
    """scan streams: the same families from a one-pass generator as from a list."""
    agents = [load(path) for path in sorted(sources_dir.glob("*.md"))]
    assert find_families(iter(agents)) == find_families(agents)
