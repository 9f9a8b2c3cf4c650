"""Measure item clustering against the hand-labelled pairs in tests/data/pairs_*.json.

    python bench/pairs.py [--scorer lexical|semantic|fused] [--threshold T] [--near C]
    python bench/pairs.py --sweep fused --thresholds 54,58,62 --nears 0.7,0.75,0.8

``--scorer`` other than lexical needs the extra (``pip install -e '.[semantic]'``); ``--near`` is
the cosine at which the semantic coverage check takes an item as said by its survivor.
``--sweep SCORER`` prints one line per (threshold, near) and pair set, for choosing them.

For each pair set: the files are merged exactly as ``merge`` does, then recall = join pairs
said by one output line / join pairs, and violations = apart pairs said by one output line;
the same for the steps before (clusters after the coverage check, candidate clusters). The same figures are given for a naive baseline (token_set_ratio alone,
single linkage, one threshold) so that the scoring work can be compared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from agentforge import align, load
from agentforge.cluster import THRESHOLDS, Entry, cluster
from agentforge.merge import Options, make_nodes, merge_agents
from agentforge.sources import members_of, read_units, units_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


def pair_sets() -> list[tuple[str, dict, Path]]:
    sets = []
    for path in sorted(DATA.glob("pairs_*.json")):
        data = json.loads(path.read_text())
        folder = SHARED / ("seeds" if "seeds" in path.name else "corpus")
        sets.append((path.stem, data, folder))
    return sets


def items_of(files: list[str], folder: Path) -> tuple[list[Entry], list[tuple[str, int]]]:
    entries, keys = [], []
    for source, name in enumerate(files):
        agent = load(folder / name)
        units = units_of(agent, source)
        for member in members_of(units):
            item = member.item
            kind = align.role(units[member.unit].title)  # as the merge clusters them
            entries.append(Entry(source, item.text, item.term, item.detail, kind))
            keys.append((name, item.line))
    return entries, keys


_cached: list = []  # one embedder for the whole run: each text embedded once (embed.Cached)


def embedder_for(scorer: str):
    if scorer == "lexical":
        return None
    if not _cached:
        from agentforge import embed

        _cached.append(embed.load().cached())
    return _cached[0]


def merge_groups(files: list[str], folder: Path, threshold: float, scorer: str = "lexical") -> list[list[int]]:
    """What the whole merge joins: items said by one output line (a survivor that covers them,
    a richer item that says them again, or a line that says them in other words), in the
    index order of ``items_of``."""
    agents = [load(folder / name) for name in files]
    merged = merge_agents(agents, Options(threshold=threshold, scorer=scorer))
    _, keys = items_of(files, folder)
    index = {key: i for i, key in enumerate(keys)}
    groups: dict[str, list[int]] = {}
    for m, member in enumerate(merged.members):
        said = merged.said_by.get(m, f"<not said {m}>")
        groups.setdefault(said, []).append(index[(files[member.source], member.item.line)])
    return list(groups.values())


def merge_nodes(files: list[str], folder: Path, threshold: float, scorer: str = "lexical",
                near: float | None = None) -> list[list[int]]:
    """What clustering and the coverage check join (``--near`` sweeps this step)."""
    agents = [load(folder / name) for name in files]
    units = read_units(agents, list(range(len(agents))))
    members = members_of(units)
    _, node_of = make_nodes(members, units, threshold, scorer, embedder_for(scorer), near)
    ids: dict[int, list[int]] = {}
    for i, node in enumerate(node_of):
        ids.setdefault(id(node), []).append(i)
    return list(ids.values())


def naive_clusters(entries: list[Entry], threshold: float) -> list[list[int]]:
    """Baseline: token_set_ratio on raw lowercase text, single linkage at one threshold."""
    texts = [entry.text.lower() for entry in entries]
    score = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, workers=-1)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(score >= threshold, k=1)), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def evaluate(data: dict, folder: Path, groups_for, show: bool = False) -> dict[str, float]:
    """Recall over join pairs across files (a source's own repeats are kept by design, so
    merging a file with itself gives it back), recall over all join pairs, and violations:
    apart pairs that share a cluster."""
    entries, keys = items_of(data["files"], folder)
    groups = groups_for(entries)
    where = {keys[i]: g for g, group in enumerate(groups) for i in group}
    joined = {"cross": [0, 0], "all": [0, 0]}
    violations = apart = 0
    for pair in data["pairs"]:
        same = where[(pair["a"]["file"], pair["a"]["line"])] == where[(pair["b"]["file"], pair["b"]["line"])]
        if show and same == (pair["label"] == "apart"):
            what = "wrongly joined" if same else "not joined"
            print(f"    {what}: {pair['a']['text'][:70]!r} | {pair['b']['text'][:70]!r}")
        if pair["label"] == "apart":
            violations += same
            apart += 1
            continue
        for scope in ("all", "cross") if pair["a"]["file"] != pair["b"]["file"] else ("all",):
            joined[scope][0] += same
            joined[scope][1] += 1
    return {
        "recall": joined["cross"][0] / max(joined["cross"][1], 1),
        "recall_all": joined["all"][0] / max(joined["all"][1], 1),
        "violations": violations,
        "apart": apart,
        "items": len(entries),
        "clusters": len(groups),
    }


def candidates(entries: list[Entry], threshold: float, scorer: str) -> list[list[int]]:
    embedder = embedder_for(scorer)
    vectors = embedder.embed([entry.text for entry in entries]) if embedder else None
    return cluster(entries, threshold, scorer=scorer, vectors=vectors)


def present_sets() -> list[tuple[str, dict, Path]]:
    """The pair sets whose files are here (``../shared`` beside the checkout); the others are
    named on stderr."""
    sets = []
    for name, data, folder in pair_sets():
        if folder.is_dir():
            sets.append((name, data, folder))
        else:
            print(f"skipped {name}: {folder} not found", file=sys.stderr)
    return sets


def sweep(scorer: str, thresholds: list[float], nears: list[float]) -> None:
    """One line per setting: recall and violations of the merge and of the candidates, per set."""
    sets = present_sets()
    print(f"{scorer}: threshold near | " + " | ".join(name.removeprefix("pairs_") for name, _, _ in sets))
    for threshold in thresholds:
        cand = [evaluate(d, f, lambda e, t=threshold: candidates(e, t, scorer)) for _, d, f in sets]
        print(f"candidates {threshold:g}      | " + " | ".join(_short(r) for r in cand))
        for near in nears:
            ours = [evaluate(d, f, lambda e, d=d, f=f, t=threshold, n=near: merge_nodes(d["files"], f, t, scorer, n))
                    for _, d, f in sets]
            print(f"merge {threshold:g} {near:g}      | " + " | ".join(_short(r) for r in ours))


def _short(r: dict[str, float]) -> str:
    return f"{r['recall']:.0%} {r['violations']}/{r['apart']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scorer", choices=list(THRESHOLDS), default="lexical")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--near", type=float, default=None, help="default: survivors.NEARS[scorer]")
    parser.add_argument("--sweep", choices=list(THRESHOLDS))
    parser.add_argument("--show", action="store_true", help="print each pair the whole merge gets wrong")
    parser.add_argument("--thresholds", default="50,54,58,62,66,70,74,78")
    parser.add_argument("--nears", default="0.7,0.75,0.8,0.85")
    args = parser.parse_args()
    if args.sweep:
        sweep(args.sweep, [float(t) for t in args.thresholds.split(",")], [float(n) for n in args.nears.split(",")])
        return
    threshold = THRESHOLDS[args.scorer] if args.threshold is None else args.threshold
    for name, data, folder in present_sets():
        ours = evaluate(data, folder, lambda e, d=data, f=folder: merge_groups(d["files"], f, threshold, args.scorer),
                        args.show)
        print(f"{name}: agentforge merge  {args.scorer} threshold {threshold:g}: {_line(ours)}")
        nodes = evaluate(data, folder, lambda e, d=data, f=folder: merge_nodes(d["files"], f, threshold, args.scorer,
                                                                               args.near))
        print(f"{name}: clusters after the coverage check: {_line(nodes)}")
        cand = evaluate(data, folder, lambda e: candidates(e, threshold, args.scorer))
        print(f"{name}: candidate clusters (before the coverage check): {_line(cand)}")
        for cut in (60, 70, 80, 90):
            naive = evaluate(data, folder, lambda e, t=cut: naive_clusters(e, t))
            print(f"{name}: naive token_set threshold {cut}: {_line(naive)}")


def _line(r: dict[str, float]) -> str:
    return (f"recall {r['recall']:.0%} across files ({r['recall_all']:.0%} of all joins), "
            f"violations {r['violations']}/{r['apart']}, "
            f"{r['items']} items -> {r['clusters']} clusters")


if __name__ == "__main__":
    main()
