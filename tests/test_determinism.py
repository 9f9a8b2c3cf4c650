"""The same input gives the same bytes in another process. Python salts string hashes per
process (``PYTHONHASHSEED``), so a set or dict order leaking into the output shows here as two
processes that disagree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SEEDS = ("1", "4242")  # two hash seeds, two processes


def outputs(args: list[str], cwd: Path) -> list[bytes]:
    """stdout of ``agentforge ARGS`` under each hash seed, the processes run side by side."""
    processes = [
        subprocess.Popen([sys.executable, "-m", "agentforge", *args], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": seed})
        for seed in SEEDS
    ]
    found = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
        found.append(stdout)
    return found


def test_merging_the_seeds_gives_the_same_bytes_under_any_hash_seed(sources_dir, tmp_path):
    reports = [tmp_path / f"report-{seed}.json" for seed in SEEDS]
    texts = []
    for seed, report in zip(SEEDS, reports, strict=True):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-m", "agentforge", "merge", str(sources_dir), "--report",
                                 str(report)], capture_output=True, env=env, cwd=tmp_path, check=False)
        assert result.returncode == 0, result.stderr.decode()
        texts.append(result.stdout)
    assert texts[0] == texts[1] and texts[0].startswith(b"---\n")
    assert reports[0].read_bytes() == reports[1].read_bytes()


def test_scanning_corpus_folders_gives_the_same_bytes_under_any_hash_seed(corpus_dir, tmp_path):
    # 60 agents that VoltAgent and davila7 both have (by file name): identical, near and name families
    def by_name(repo: str) -> dict[str, Path]:
        return {path.name.split("__")[-1]: path for path in sorted((corpus_dir / repo).glob("*.md"))}

    volt, davila = by_name("VoltAgent__awesome-claude-code-subagents"), by_name("davila7__claude-code-templates")
    both = sorted(volt.keys() & davila.keys())[:60]
    paths = [str(folder[name]) for name in both for folder in (volt, davila)]
    first, second = outputs(["scan", *paths, "--format", "json"], tmp_path)
    assert first == second
    for kind in (b'"identical"', b'"near"', b'"name"'):
        assert kind in first


def test_renaming_the_sources_does_not_depend_on_their_order():
    """sources/ holds backend-developer and Backend-Developer: renamed one after the other, the
    one renamed first decided whether the text said "Api-Expert" or "api-expert", and set order
    (the hash seed) decided which came first."""
    from itertools import permutations

    from agentforge.fields import own_names, rename

    names = ["backend-developer", "Backend-Developer", "backend-specialist"]
    text = "Use the Backend-Developer agent, or the backend-developer agent, or backend-specialist."
    said = {rename(text, own_names(list(order)), "api-expert") for order in permutations(names)}
    assert len(said) == 1
    assert said.pop() == "Use the api-expert agent, or the api-expert agent, or api-expert."


def test_merging_under_a_new_name_gives_the_same_bytes_under_any_hash_seed(sources_dir, tmp_path):
    first, second = outputs(["merge", str(sources_dir), "--name", "api-expert"], tmp_path)
    assert first == second
