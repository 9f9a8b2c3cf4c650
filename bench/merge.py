"""Time and memory of whole `agentforge merge` processes: the seeds, and a family of 20 files.

    python bench/merge.py [--runs 5] [--agentforge PATH ...] [--scorer lexical --scorer fused ...]

Each run is a fresh process (`agentforge merge FILES -o OUT`), so start-up, imports, reading,
merging, rendering and the checks are all counted. Peak memory is the child's resident
high-water mark. The 20-file family is the 20 corpus files whose names say "security" (the
largest role of the corpus), taken in sorted order, one file per repository folder name.
Give several ``--agentforge`` executables (for instance one built from an older commit) to
compare them in one run on one machine; medians of ``--runs`` runs, taken round robin (each
setting once, then again) so that a busy spell on a shared machine slows every setting alike. ``--scorer`` (repeatable)
times each scorer (``semantic`` and ``fused`` load the embedding model in every process).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def families() -> dict[str, list[Path]]:
    security = sorted(p for p in CORPUS.glob("*/*.md") if "security" in p.name.lower())
    return {"seeds (5 files)": sorted((ROOT / "sources").glob("*.md")),
            "security (20 files)": security[:20]}


WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def run_once(executable: str, paths: list[Path], scorer: str | None = None) -> tuple[float, float]:
    """Seconds and peak MB of one whole merge process (measured by a wrapper process of its own,
    since a parent's record of its children's peak only ever grows)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [executable, "merge", *map(str, paths), "-o", f"{tmp}/out.md"]
        if scorer:
            command += ["--scorer", scorer]
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{executable} failed: {done.stderr.strip()[-300:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--agentforge", action="append", help="executables to compare (default: this checkout's)")
    parser.add_argument("--scorer", action="append", help="scorers to time (default: the command's default)")
    args = parser.parse_args()
    executables = args.agentforge or [str(ROOT / ".venv" / "bin" / "agentforge")]
    print("| family | agentforge | scorer | median s | peak MB |\n|---|---|---|---:|---:|")
    for label, paths in families().items():
        settings = [(executable, scorer) for executable in executables for scorer in args.scorer or [None]]
        runs: dict[tuple[str, str | None], list[tuple[float, float]]] = {setting: [] for setting in settings}
        for _ in range(args.runs):  # round robin: a busy spell on the machine slows every setting alike
            for executable, scorer in settings:
                runs[executable, scorer].append(run_once(executable, paths, scorer))
        for (executable, scorer), done in runs.items():
            seconds = statistics.median(r[0] for r in done)
            peak = max(r[1] for r in done)
            print(f"| {label} | {executable} | {scorer or 'default'} | {seconds:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
