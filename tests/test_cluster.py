"""Item clustering against the hand-labelled pairs (tests/data/pairs_*.json).

The figures are measured by bench/pairs.py; these tests hold the line so that a change to
scoring or linkage that makes them worse fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentforge.cluster import Entry, cluster, normalize

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import pairs

SETS = {name: (data, folder) for name, data, folder in pairs.pair_sets()}


@pytest.mark.parametrize(
    ("name", "min_recall", "max_violations"),
    [("pairs_seeds", 0.50, 8), ("pairs_corpus", 0.45, 2)],
)
def test_labelled_pairs(name, min_recall, max_violations):
    data, folder = SETS[name]
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    ours = pairs.evaluate(data, folder, cluster)
    naive = pairs.evaluate(data, folder, lambda e: pairs.naive_clusters(e, 70))
    assert ours["recall"] >= min_recall
    assert ours["violations"] <= max_violations
    assert ours["recall"] > naive["recall"] and ours["violations"] < naive["violations"]


def test_each_cluster_holds_at_most_one_item_of_a_source():
    entries = [Entry(0, "Write clean code"), Entry(0, "Write clean code"), Entry(1, "Write clean code")]
    groups = cluster(entries)
    assert sorted(map(len, groups)) == [1, 2]


def test_no_chain_through_one_loose_pair():
    entries = [
        Entry(0, "Optimize database queries and indexes"),
        Entry(1, "Optimize database queries and caching layers"),
        Entry(2, "Design caching layers for read-heavy services"),
    ]
    groups = cluster(entries, threshold=60)
    assert [0, 2] not in groups and [0, 1, 2] not in groups


def test_normalize_stems_and_drops_markdown():
    assert normalize("**Optimization**: optimizing the `Databases`") == "optim optim datab"


def test_clustering_is_deterministic():
    entries = [Entry(i % 3, text) for i, text in enumerate(
        ["Write tests", "Write unit tests", "Write tests first", "Review code", "Code review", "Deploy"]
    )]
    assert cluster(entries) == cluster(list(entries))


def test_pairs_are_the_same_in_one_block_or_many(sources_dir, monkeypatch):
    """One block scores the lists themselves (rapidfuzz scores each pair once), many blocks score
    slices: the kept pairs and their scores are the same."""
    from agentforge import cluster as clustering
    from agentforge import files, sources

    entries = []
    for source, path in enumerate(sorted(sources_dir.glob("*.md"))):
        items = [member.item for member in sources.members_of(sources.units_of(files.load(path), source))]
        entries += [Entry(source, item.text, item.term, item.detail) for item in items]
    _, keys = clustering.distinct(entries)
    whole = clustering.lexical_pairs(keys, 50.0)
    monkeypatch.setattr(clustering, "BLOCK", 37)
    assert len(keys) > 37 and clustering.lexical_pairs(keys, 50.0) == whole


def test_labelled_pairs_point_at_real_list_items():
    """Every pair names a list item by file, line and exact text (tests/data/check_pairs.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
    import check_pairs

    for name, root in check_pairs.ROOTS.items():
        if not Path(root).is_dir():
            pytest.skip(f"{root} not found")
        errors, counts = check_pairs.check(Path(check_pairs.HERE) / name, root)
        assert errors == []
        assert counts["join"] >= 60 and counts["apart"] >= 60


def test_bench_pairs_starts_as_the_readme_says(tmp_path):
    """``python bench/pairs.py`` imports and parses its options from any folder (the whole run
    takes seconds: ``test_bench_pairs_main_runs`` runs it on the seeds)."""
    script = Path(pairs.__file__)
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=tmp_path,
                            check=False)
    assert result.returncode == 0 and "--scorer" in result.stdout, result.stderr


def test_bench_pairs_main_runs(monkeypatch, capsys):
    """``main()`` on the seeds: the merge, the clusters, the candidates and four naive thresholds,
    one line each; a set whose files are missing is skipped and named."""
    seeds = [s for s in pairs.pair_sets() if s[0] == "pairs_seeds"]
    missing = [("pairs_gone", seeds[0][1], Path("/nonexistent"))]
    monkeypatch.setattr(pairs, "pair_sets", lambda: seeds + missing)
    monkeypatch.setattr(sys, "argv", ["pairs.py"])
    pairs.main()
    out, err = capsys.readouterr()
    lines = out.splitlines()
    present = [name for name, _, folder in seeds if folder.is_dir()]
    assert [line.split(":")[0] for line in lines] == [name for name in present for _ in range(7)]
    assert all("recall" in line and "violations" in line for line in lines)
    assert err == "skipped pairs_gone: /nonexistent not found\n"


def test_a_plural_and_its_singular_are_one_word():
    assert normalize("Optimize database queries") == normalize("optimize database query")
    assert normalize("Unit tests for APIs") == normalize("unit test for API")
    assert normalize("class status redis aws") == "class statu redis aws"
