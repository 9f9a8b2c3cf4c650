"""scan --scorer semantic: one role under two names, found by what the agents say they do.

Tests that embed skip without the extra (``pip install -e '.[semantic]'``), as in
tests/test_semantic.py; the pairs are real corpus files labelled by reading them
(bench/scan_semantic.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_semantic import needs_extra
from typer.testing import CliRunner

from agentforge import embed
from agentforge.cli import app
from agentforge.errors import AgentforgeError
from agentforge.scan import nearest_pairs, related_names

runner = CliRunner()

HIPAA = ("VoltAgent__awesome-claude-code-subagents/categories__07-specialized-domains__hipaa-compliance.md",
         "rshah515__claude-code-subagents/industry__healthcare__hipaa-expert.md")  # labelled: one role
SEO = ("rshah515__claude-code-subagents/marketing__seo-expert.md",
       "rshah515__claude-code-subagents/marketing__seo-strategist.md")  # labelled: siblings
MCP = ("davila7__claude-code-templates/cli-tool__components__agents__programming-languages__csharp-mcp-expert.md",
       "davila7__claude-code-templates/cli-tool__components__agents__programming-languages__typescript-mcp-expert.md")


def semantic_pairs(data: dict) -> list[set[str]]:
    return [{m["path"].split("corpus/")[-1] for m in f["members"]} for f in data["families"] if f["kind"] == "semantic"]


@pytest.fixture(scope="module")
def corpus_semantic(corpus_dir) -> dict:
    result = runner.invoke(app, ["scan", str(corpus_dir), "--format", "json", "--scorer", "semantic"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@needs_extra
def test_corpus_one_role_under_two_names_is_a_semantic_family(corpus_semantic):
    found = semantic_pairs(corpus_semantic)
    assert set(HIPAA) in found
    assert all(len(pair) == 2 for pair in found)


@needs_extra
def test_corpus_siblings_are_not_offered(corpus_semantic):
    found = [path for pair in semantic_pairs(corpus_semantic) for path in pair]
    assert not set(SEO + MCP) & set(found)


@needs_extra
def test_corpus_semantic_keeps_the_rules(corpus_semantic):
    paths = [m["path"] for f in corpus_semantic["families"] for m in f["members"]]
    outputs = [o for f in corpus_semantic["families"] for o in f["outputs"]]
    assert len(paths) == len(set(paths)) and len(outputs) == len(set(outputs))
    assert all(f["commands"][0].startswith("agentforge merge ") for f in corpus_semantic["families"]
               if f["kind"] == "semantic")


@needs_extra
def test_same_bytes_twice(corpus_dir, tmp_path):
    for source in HIPAA + MCP:
        (tmp_path / Path(source).name).write_text((corpus_dir / source).read_text("utf-8"), "utf-8")
    runs = [runner.invoke(app, ["scan", str(tmp_path), "--scorer", "semantic", "--format", fmt])
            for fmt in ("json", "json", "text")]
    assert runs[0].exit_code == 0, runs[0].output
    assert runs[0].stdout == runs[1].stdout
    assert "semantic" in runs[2].stdout and "0 identical" in runs[2].stdout


def test_related_names():
    assert related_names("hipaa-compliance", "hipaa-expert")
    assert related_names("postgres-expert", "postgresql-expert")
    assert not related_names("csharp-mcp-expert", "typescript-mcp-expert")  # siblings
    assert not related_names("unity-game-developer", "game-developer")  # narrower
    assert not related_names("python-pro", "python-expert")  # one role key: a name family already
    assert not related_names("golang-pro", "rust-pro")


def test_nearest_pairs_are_mutual_close_and_clear_of_the_next():
    import numpy as np

    vectors = np.array([[1, 0, 0], [0.96, 0.28, 0], [0, 0, 1], [0, 0.8, 0.6]], dtype=np.float32)
    assert [(i, j) for i, j, _ in nearest_pairs(vectors, 0.75, 0.1)] == [(0, 1)]
    assert nearest_pairs(vectors, 0.99, 0.0) == [] == nearest_pairs(vectors, 0.75, 0.8)
    assert nearest_pairs(vectors[:1], 0.0) == []


def test_scan_semantic_without_the_extra_says_how_to_install(tmp_path, monkeypatch):
    def missing(path: object = None) -> None:
        raise AgentforgeError(embed.INSTALL)

    monkeypatch.setattr(embed, "load", missing)
    (tmp_path / "a.md").write_text("---\nname: a\ndescription: A.\n---\n\nBody.\n", "utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "--scorer", "semantic"])
    assert result.exit_code == 1
    assert "pip install 'agentforge[semantic]'" in " ".join(result.output.split())
    assert runner.invoke(app, ["scan", str(tmp_path), "--scorer", "fuzzy"]).exit_code != 0
