"""The semantic pairs ``scan --scorer semantic`` proposes on the corpus, at a lower cosine than
the default, beside the labels a person gave them by reading both files: precision by threshold.

    python bench/scan_semantic.py [CORPUS] [--floor 0.5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from agentforge import embed, scan

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# (name, name): would a person merge them, one role under two names? Labelled by reading both files.
LABELS: dict[frozenset[str], bool] = {
    frozenset(pair.split(" + ")): same for pair, same in [
        ("seo-expert + seo-strategist", False),  # one collection's siblings: execution vs strategy
        ("blueprint-mode-codex + blueprint-mode", True),  # one workflow mode, two revisions
        ("react-performance-optimization + react-performance-optimizer", True),
        ("project-supervisor-orchestrator + project-manager", False),  # agent router vs people PM
        ("mobile-app-builder + mobile-developer", True),
        ("podcast-editor + podcast-creator", False),  # post-production vs show strategy
        ("postgresql-dba + postgresql-expert", False),  # a VS Code extension's tools vs an expert
        ("hipaa-compliance + hipaa-expert", True),
        ("expert-nextjs-developer + nextjs-architecture-expert", True),
        ("social-ads-expert + social-strategist", False),  # paid ads vs organic strategy
        ("neon-database-architect + neon-expert", False),  # the expert delegates to the architect
        ("clojure-expert + clojure-interactive-programming", False),  # a REPL-first pairing mode
        ("arch + architecture-documenter", True),  # both write architecture docs with diagrams
        ("llm-finetuning-architect + llm-finetuning-eval-engineer", False),  # one team's roles
        ("spring-boot-expert + spring-expert", True),
        ("prompt-builder + prompt-crafter", False),  # prompt engineering vs image prompts
    ]
}


def label(names: list[str | None]) -> str:
    key = frozenset(str(n) for n in names)
    return {True: "same", False: "different"}.get(LABELS[key], "?") if key in LABELS else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--floor", type=float, default=0.5)
    parser.add_argument("--margin", type=float, default=0.0)
    args = parser.parse_args()
    scan.SEMANTIC_THRESHOLD, scan.SEMANTIC_MARGIN = args.floor, args.margin
    found = scan.scan_paths([args.corpus], embedder=embed.load().embed)
    pairs = sorted((f for f in found.families if f.kind == "semantic"), key=lambda f: -f.similarity)
    for family in pairs:
        names = [m.name for m in family.members]
        print(f"{family.similarity:5.1f}  {label(names):<9}  {' + '.join(map(str, names))}")
    for cut in (50, 55, 60, 65, 70, 75, 80):
        kept = [label([m.name for m in f.members]) for f in pairs if f.similarity >= cut]
        same, known = kept.count("same"), len(kept) - kept.count("?")
        print(f"cosine >= {cut / 100:.2f}: {len(kept)} pairs, {same}/{known} labelled same")


if __name__ == "__main__":
    main()
