"""Time agentforge at library scale: on the corpus, and on a generated library N times its size.

    python bench/run.py [--runs 3] [--scaled-runs 1] [--scale 10] [--quick] [--corpus PATH]

Steps, each measured in a fresh subprocess per run (so that one step's memory and caches do
not reach the next):

- load:    read every file with ``files.load`` (a file that does not load is counted);
- lint:    ``lint.lint_paths`` over the library (it reads every file again);
- scan:    ``scan.find_families`` on the agents already loaded (the CLI adds the load time);
- merge:   ``merge.merge_files`` on the largest family that scan found;
- cluster: ``cluster.cluster`` on the list items of that family, as merge builds them, next to
  ``cdist``: one plain ``rapidfuzz.process.cdist`` (token_set_ratio, all cores) over the same
  normalised items, the floor for that step.

The generated library copies every corpus file ``scale`` times into a temporary folder: copy
0 byte for byte, the others under a new frontmatter name, with the body kept (3 in 10),
lightly drifted (4 in 10: a few bullets reworded, dropped or shuffled) or heavily drifted (3 in
10), all from a fixed seed, so that identical, near and name families exist at scale.

Printed: a Markdown table (median seconds, items per second, peak memory of the process and
its growth over the step's setup), the growth from 1x to Nx, and the machine. Medians are
over ``--runs`` runs on the corpus and ``--scaled-runs`` on the big library (whose whole-
library steps take tens of seconds each, so one run already averages over many files).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import pickle
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
STEPS = ("load", "lint", "scan", "merge", "cluster", "cdist")
UNITS = {"load": "files", "lint": "files", "scan": "agents", "merge": "items", "cluster": "items", "cdist": "items"}


# ---- the generated library ---------------------------------------------------------------

PREFIXES = ("acme", "core", "team", "lab", "ops", "studio", "guild", "crew", "forge", "works", "hub")
SYNONYMS = {
    "ensure": "make sure", "implement": "build", "optimize": "tune", "create": "make",
    "design": "plan", "manage": "handle", "comprehensive": "thorough", "use": "apply",
    "provide": "give", "analyze": "examine", "identify": "find", "improve": "raise",
    "maintain": "keep", "support": "back", "develop": "write", "review": "check",
}
BULLET = re.compile(r"^(\s*)(?:[-*+]|\d+\.)\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
NAME = re.compile(r"(?m)^(name:[ \t]*[\"']?)([A-Za-z0-9_.-]+)")


def generate(corpus: Path, dest: Path, scale: int) -> int:
    """Write ``scale`` copies of every .md file of the corpus under dest/c{k}/; return the count."""
    count = 0
    for path in sorted(corpus.rglob("*.md")):
        relative = path.relative_to(corpus)
        data = path.read_bytes()
        for k in range(scale):
            target = dest / f"c{k:02d}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if k == 0:
                target.write_bytes(data)
            else:
                rng = random.Random(zlib.crc32(f"{k}/{relative}".encode()))
                target.write_bytes(perturb(data.decode("utf-8", "surrogateescape"), rng, k).encode(
                    "utf-8", "surrogateescape"))
            count += 1
    return count


def perturb(text: str, rng: random.Random, k: int) -> str:
    """A copy under a new name whose body is kept, lightly drifted or heavily drifted."""
    match = re.search(r"(?m)^---[ \t]*\r?$", text[3:]) if text.lstrip("\ufeff").startswith("---") else None
    if match is None:
        return text
    split = 3 + match.end()
    head = NAME.sub(lambda m: f"{m.group(1)}{PREFIXES[k % len(PREFIXES)]}-{m.group(2)}", text[:split], 1)
    roll = rng.random()
    if roll < 0.3:
        return head + text[split:]
    strength = 0.08 if roll < 0.7 else 0.4
    return head + drift(text[split:], rng, strength)


def drift(body: str, rng: random.Random, strength: float) -> str:
    """Reword a share of the bullets, drop a third as many, shuffle some runs of sibling bullets."""
    lines = body.split("\n")
    bullets, fenced = [], False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and BULLET.match(line):
            bullets.append(i)
    for i in bullets:
        if rng.random() < strength:
            lines[i] = reword(lines[i], rng)
    runs, run = [], []
    for i in bullets:
        if run and i == run[-1] + 1 and _indent(lines[i]) == _indent(lines[run[-1]]):
            run.append(i)
        else:
            runs.append(run)
            run = [i]
    runs.append(run)
    for run in runs:
        if len(run) > 2 and rng.random() < strength * 3:
            texts = [lines[i] for i in run]
            rng.shuffle(texts)
            for i, line in zip(run, texts, strict=True):
                lines[i] = line
    drop = {i for i in bullets if rng.random() < strength / 3}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def reword(line: str, rng: random.Random) -> str:
    words = line.split(" ")
    swapped = [SYNONYMS.get(w.lower(), w) if rng.random() < 0.7 else w for w in words]
    if swapped == words:
        swapped.append(rng.choice(("where it matters", "as needed", "first", "with care")))
    return " ".join(swapped)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


# ---- one measurement, in its own process ---------------------------------------------------


def worker(step: str, library: str, work: str) -> dict[str, Any]:
    """Set up, then time one step; return seconds, items and memory figures."""
    import numpy as np  # noqa: F401 (imported before the baseline, as every step uses it)
    from rapidfuzz import fuzz, process

    from agentforge import files, lint, merge, scan, sources
    from agentforge.align import kind
    from agentforge.cluster import Entry, cluster, normalize
    from agentforge.errors import AgentforgeError

    cache = Path(work) / "agents.pickle"
    family = Path(work) / "family.json"
    extra: dict[str, Any] = {}

    def load_family() -> list[Path]:
        return [Path(p) for p in json.loads(family.read_text())["paths"]]

    def entries() -> list[Any]:
        found = []
        for source, path in enumerate(load_family()):
            units = sources.units_of(files.load(path), source)
            for member in sources.members_of(units):
                item = member.item
                found.append(Entry(source, item.text, item.term, item.detail, kind(units[member.unit].title)))
        return found

    if step == "load":
        paths = files.find_agents([library])
        before = _start()
        start = time.perf_counter()
        agents = []
        for path in paths:
            with contextlib.suppress(AgentforgeError):
                agents.append(files.load(path))
        seconds, items = time.perf_counter() - start, len(paths)
        extra["skipped"] = len(paths) - len(agents)
        peak = _peak()
        if not cache.exists():
            with cache.open("wb") as handle:
                pickle.dump(agents, handle, protocol=pickle.HIGHEST_PROTOCOL)
    elif step == "lint":
        before = _start()
        start = time.perf_counter()
        report = lint.lint_paths([library])
        seconds, items = time.perf_counter() - start, report.checked
        peak = _peak()
        extra["findings"] = len(report.findings)
    elif step == "scan":
        with cache.open("rb") as handle:  # streamed: no copy of the whole pickle in memory
            agents = pickle.load(handle)
        before = _start()
        start = time.perf_counter()
        found = scan.find_families(agents)
        seconds, items = time.perf_counter() - start, len(agents)
        peak = _peak()
        extra["families"] = {k: sum(f.kind == k for f in found) for k in scan.KINDS}
        extra["largest"] = {k: max((len(f.members) for f in found if f.kind == k), default=0) for k in scan.KINDS}
        largest = found[0]
        extra["family"] = f"{largest.kind} {largest.name} ({len(largest.members)} files)"
        if not family.exists():
            family.write_text(json.dumps({"paths": [m.path for m in largest.members], "label": extra["family"]}))
    elif step == "merge":
        paths = load_family()
        before = _start()
        start = time.perf_counter()
        result = merge.merge_files(paths)
        seconds = time.perf_counter() - start
        peak = _peak()
        items = sum(len(c["members"]) for c in result.report["clusters"])
        extra["files"] = len(paths)
    elif step == "cluster":
        found = entries()
        before = _start()
        start = time.perf_counter()
        groups = cluster(found)
        seconds, items = time.perf_counter() - start, len(found)
        peak = _peak()
        extra["clusters"] = len(groups)
    elif step == "cdist":
        texts = [normalize(entry.text) for entry in entries()]
        before = _start()
        start = time.perf_counter()
        process.cdist(texts, texts, scorer=fuzz.token_set_ratio, workers=-1)
        seconds, items = time.perf_counter() - start, len(texts)
        peak = _peak()
    else:
        raise SystemExit(f"unknown step {step}")
    return {"seconds": seconds, "items": items, "before_mb": before, "peak_mb": peak, **extra}


def _start() -> float:
    """Begin a step: reset the peak-memory mark where Linux allows it; memory in use now (MB)."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
    except OSError:
        return _peak()
    return _memory("VmRSS")


def _peak() -> float:
    """Peak resident memory since the last reset (or since the start), in MB."""
    return _memory("VmHWM")


def _memory(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def measure(step: str, library: Path, work: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", step, str(library), str(work)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} on {library} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


# ---- the run -----------------------------------------------------------------------------


def bench(label: str, library: Path, work: Path, runs: int) -> dict[str, dict[str, Any]]:
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        measured = []
        for run in range(runs):
            print(f"  {label} {step} run {run + 1}/{runs} ...", file=sys.stderr, flush=True)
            measured.append(measure(step, library, work))
        seconds = statistics.median(m["seconds"] for m in measured)
        results[step] = {
            **measured[-1],
            "seconds": seconds,
            "runs": runs,
            "peak_mb": max(m["peak_mb"] for m in measured),
            "growth_mb": max(m["peak_mb"] - m["before_mb"] for m in measured),
        }
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (
        f"{platform.system()} {platform.release()} ({platform.machine()}), {cpu}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, rapidfuzz {version('rapidfuzz')}"
    )


def table(scales: list[tuple[str, dict[str, dict[str, Any]]]]) -> str:
    rows = [
        "| step | library | items | runs | median s | items/s | peak MB | growth MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for step in STEPS:
        for label, results in scales:
            r = results[step]
            rate = r["items"] / r["seconds"] if r["seconds"] else float("inf")
            rows.append(
                f"| {step} | {label} | {r['items']:,} {UNITS[step]} | {r['runs']} | {r['seconds']:.3f} "
                f"| {rate:,.0f} | {r['peak_mb']:.0f} | {r['growth_mb']:.0f} |"
            )
    return "\n".join(rows)


def growth(small: dict[str, dict[str, Any]], big: dict[str, dict[str, Any]], scale: int) -> str:
    rows = [
        f"| step | items 1x -> {scale}x | time x | memory growth x |",
        "|---|---|---:|---:|",
    ]
    for step in STEPS:
        a, b = small[step], big[step]
        time_x = b["seconds"] / a["seconds"] if a["seconds"] else float("nan")
        mem_x = b["growth_mb"] / a["growth_mb"] if a["growth_mb"] >= 1 else float("nan")
        rows.append(f"| {step} | {a['items']:,} -> {b['items']:,} | {time_x:.1f} | {mem_x:.1f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per step on the corpus (median)")
    parser.add_argument("--scaled-runs", type=int, default=1, help="runs per step on the big library")
    parser.add_argument("--scale", type=int, default=10, help="size of the generated library")
    parser.add_argument("--quick", action="store_true", help="one run each, a 3x library")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--worker", nargs=3, metavar=("STEP", "LIBRARY", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    if args.quick:
        args.runs, args.scaled_runs, args.scale = 1, 1, 3
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus} (use --corpus)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="agentforge-bench-") as tmp:
        big = args.keep or Path(tmp) / "library"
        if big.exists():
            shutil.rmtree(big)
        print(f"generating a {args.scale}x library in {big} ...", file=sys.stderr, flush=True)
        count = generate(args.corpus, big, args.scale)
        small_label, big_label = "corpus 1x", f"generated {args.scale}x"
        small = bench(small_label, args.corpus, Path(tmp) / "work1", args.runs)
        large = bench(big_label, big, Path(tmp) / f"work{args.scale}", args.scaled_runs)
    print(f"## agentforge benchmark\n\nMachine: {machine()}\n")
    print(f"Libraries: the corpus ({small['load']['items']:,} files) and a generated {args.scale}x "
          f"library ({count:,} files).\n")
    print(table([(small_label, small), (big_label, large)]))
    print()
    for label, results in ((small_label, small), (big_label, large)):
        s = results["scan"]
        print(f"- {label}: families {s['families']}, largest per kind {s['largest']}; "
              f"merged and clustered: {s['family']}, {results['merge']['items']:,} items; "
              f"cluster / cdist floor = {results['cluster']['seconds'] / results['cdist']['seconds']:.1f}x")
    print()
    print(growth(small, large, args.scale))
    print(f"\nTotal bench time {time.perf_counter() - started:.0f} s. Peak MB: the process's resident "
          "high-water mark during the step (interpreter and setup included); growth MB: that peak less "
          "the memory in use when the step began.")


if __name__ == "__main__":
    main()
