"""Time agentforge against floors measured in the same run, and print each figure as a ratio.

    python bench/run.py [--runs 5] [--big-runs 3] [--scale 10] [--quick] [--corpus PATH] [--keep DIR]
                        [--only help,seeds,...]

``--only`` measures some figures, not all.

Each figure beside its floor (medians of ``--runs`` runs, each a fresh process; the two
alternate, so that load on the machine falls on both):

- help:    ``agentforge --help`` / ``bench/floor_cli.py --help``, a bare typer app with the same
  commands and options that imports ruamel.yaml;
- seeds:   ``agentforge merge sources/*.md -o OUT`` / a process that imports the merge's
  dependencies (typer, ruamel.yaml, jinja2, numpy, rapidfuzz) and reads the five files;
- cluster: ``cluster.cluster`` on the list items of a family, as merge builds them, timed in
  its process / ``rapidfuzz.process.cdist`` (token_set_ratio, all cores) over the same
  normalised items: the family of the corpus's 10 ``*code-reviewer.md`` files, and their 100
  copies in the generated library;
- merge:   ``agentforge merge`` of those 100 files, time and peak memory (the issue's targets:
  10 s and 500 MB), beside the 10 files;
- scan:    ``agentforge scan --format json`` of the generated library / of the corpus, time and
  peak memory (targets: 10x the time, 400 MB).

The generated library copies every corpus file ``scale`` times into a temporary folder: copy
0 byte for byte, the others under a new frontmatter name, with the body kept (3 in 10),
lightly drifted (4 in 10: a few bullets reworded, dropped or shuffled) or heavily drifted (3 in
10), all from a fixed seed, so that identical, near and name families exist at scale.

Peak memory is the process's resident high-water mark (a wrapper process reads its child's).
Every process runs with compiled bytecode, as an installed package does (written once, by the
untimed first runs, under a temporary ``PYTHONPYCACHEPREFIX``, never into the project), even
where ``PYTHONDONTWRITEBYTECODE`` is set: otherwise agentforge's own modules are compiled
again in every run while its dependencies' bytecode was written when they were installed.
Prints a Markdown table, then the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
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
AGENTFORGE = [sys.executable, "-m", "agentforge"]
FAMILY = "*code-reviewer.md"  # 10 files of the corpus, 100 in the generated library
ENV = dict(os.environ)
DEPENDENCIES = "import typer, ruamel.yaml, jinja2, numpy, rapidfuzz.fuzz, rapidfuzz.process\n"


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


# ---- whole processes -------------------------------------------------------------------

WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "seconds = time.perf_counter() - start\n"
    "sys.stderr.write(done.stderr if done.returncode else '')\n"
    "print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def run_process(command: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one process, measured by a wrapper process of its own (a parent's
    record of its children's peak only ever grows)."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True,
                          cwd=ROOT, env=ENV, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)[:300]} ... failed:\n{done.stderr[-2000:]}")
    seconds, peak_kb = done.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def pair(ours: list[str], floor: list[str], runs: int, label: str) -> dict[str, Any]:
    """Both commands once untimed, then ``runs`` times, alternating; medians of time, peaks of memory."""
    timed: dict[str, list[tuple[float, float]]] = {"ours": [], "floor": []}
    run_process(ours), run_process(floor)  # warm the file cache, untimed
    for run in range(runs):
        print(f"  {label} run {run + 1}/{runs} ...", file=sys.stderr, flush=True)
        timed["ours"].append(run_process(ours))
        timed["floor"].append(run_process(floor))
    return {key: {"seconds": statistics.median(t for t, _ in values), "peak_mb": max(m for _, m in values)}
            for key, values in timed.items()}


# ---- clustering, in its own process --------------------------------------------------------


def worker(step: str, paths_file: str) -> dict[str, Any]:
    """Time ``cluster`` or the ``cdist`` floor on the items of the files listed in paths_file."""
    import numpy as np  # noqa: F401 (imported before the baseline, as both steps use it)
    from rapidfuzz import fuzz, process

    from agentforge import files, sources
    from agentforge.align import kind
    from agentforge.cluster import Entry, cluster, normalize

    found = []
    for source, path in enumerate(json.loads(Path(paths_file).read_text())):
        units = sources.units_of(files.load(path), source)
        for member in sources.members_of(units):
            item = member.item
            found.append(Entry(source, item.text, item.term, item.detail, kind(units[member.unit].title)))
    texts = [normalize(entry.text) for entry in found]
    before = _start()
    start = time.perf_counter()
    if step == "cluster":
        cluster(found)
    else:
        process.cdist(texts, texts, scorer=fuzz.token_set_ratio, workers=-1)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "items": len(found), "distinct": len(set(texts)), "growth_mb": _peak() - before}


def clustering(paths: list[Path], work: Path, runs: int, label: str) -> dict[str, Any]:
    listed = work / f"{label}.json"
    listed.write_text(json.dumps([str(p) for p in paths]))
    timed: dict[str, list[dict[str, Any]]] = {"cluster": [], "cdist": []}
    for run in range(runs):
        print(f"  clustering {label} run {run + 1}/{runs} ...", file=sys.stderr, flush=True)
        for step, values in timed.items():
            command = [sys.executable, __file__, "--worker", step, str(listed)]
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=ENV, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{step} failed:\n{done.stderr[-2000:]}")
            values.append(json.loads(done.stdout.splitlines()[-1]))
    return {step: {**values[-1], "seconds": statistics.median(v["seconds"] for v in values),
                   "peak_mb": max(v["growth_mb"] for v in values)} for step, values in timed.items()}


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


# ---- the run -----------------------------------------------------------------------------


def measure_all(args: argparse.Namespace, big: Path, work: Path) -> dict[str, Any]:
    seeds = sorted((ROOT / "sources").glob("*.md"))
    small_family = sorted(args.corpus.glob(f"*/{FAMILY}"))
    big_family = sorted(big.glob(f"c*/*/{FAMILY}"))
    out = ["-o", str(work / "out.md"), "--force"]
    read = "".join(f"open({str(p)!r}, encoding='utf-8').read()\n" for p in seeds)
    scan = [*AGENTFORGE, "scan", "--format", "json"]
    figures = {
        "help": lambda: pair([*AGENTFORGE, "--help"], [sys.executable, str(ROOT / "bench" / "floor_cli.py"), "--help"],
                             args.runs, "help"),
        "seeds": lambda: pair([*AGENTFORGE, "merge", *map(str, seeds), *out],
                              [sys.executable, "-c", DEPENDENCIES + read], args.runs, "seeds merge"),
        "cluster small": lambda: clustering(small_family, work, args.runs, f"{len(small_family)} files"),
        "cluster big": lambda: clustering(big_family, work, args.big_runs, f"{len(big_family)} files"),
        "merge": lambda: pair([*AGENTFORGE, "merge", *map(str, big_family), *out],
                              [*AGENTFORGE, "merge", *map(str, small_family), *out], args.big_runs, "merge"),
        "scan": lambda: pair([*scan, str(big)], [*scan, str(args.corpus)], args.big_runs, "scan"),
    }
    wanted = args.only.split(",") if args.only else list(figures)
    return {"files": (len(small_family), len(big_family)),
            **{name: measure() for name, measure in figures.items() if name in wanted}}


def table(r: dict[str, Any], scale: int) -> str:
    small, big = r["files"]
    cs, cb = r.get("cluster small"), r.get("cluster big")
    rows = [
        ("`--help`", r.get("help"), "bare typer app, same commands, imports ruamel.yaml", "1.3x"),
        ("merge the 5 seeds", r.get("seeds"), "import its dependencies + read the 5 files", "1.2x"),
        *(_cluster_row(c, files) for c, files in ((cs, small), (cb, big)) if c),
        (f"merge {big} files", r.get("merge"), f"merge {small} files", "10 s, 500 MB"),
        (f"scan the corpus {scale}x", r.get("scan"), "scan the corpus 1x", f"{scale}x, 400 MB"),
    ]
    lines = ["| figure | s | MB | floor | floor s | floor MB | ratio | target |", "|---|---:|---:|---|---:|---:|---:|---|"]
    for label, figures, floor, target in rows:
        if figures is None:
            continue
        ours, base = figures["ours"], figures["floor"]
        lines.append(f"| {label} | {ours['seconds']:.2f} | {ours['peak_mb']:.0f} | {floor} | {base['seconds']:.2f} "
                     f"| {base['peak_mb']:.0f} | {ours['seconds'] / base['seconds']:.2f}x | {target} |")
    return "\n".join(lines)


def _cluster_row(c: dict[str, Any], files: int) -> tuple[str, dict[str, Any], str, str]:
    label = f"cluster {c['cluster']['items']:,} items ({files} files, {c['cluster']['distinct']:,} distinct)"
    return label, {"ours": c["cluster"], "floor": c["cdist"]}, "rapidfuzz `cdist`, same items", "1.5x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the quick figures (median)")
    parser.add_argument("--big-runs", type=int, default=3, help="runs of the 100-file and 10x figures")
    parser.add_argument("--scale", type=int, default=10, help="size of the generated library")
    parser.add_argument("--quick", action="store_true", help="fewer runs: 3 and 1")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--only", help="comma-separated figures: help, seeds, cluster small, cluster big, merge, scan")
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "PATHS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    if args.quick:
        args.runs, args.big_runs = 3, 1
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus} (use --corpus)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="agentforge-bench-") as tmp:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        big = args.keep or Path(tmp) / "library"
        if big.exists():
            shutil.rmtree(big)
        print(f"generating a {args.scale}x library in {big} ...", file=sys.stderr, flush=True)
        count = generate(args.corpus, big, args.scale)
        results = measure_all(args, big, Path(tmp))
    print(f"## agentforge benchmark\n\nMachine: {machine()}, load average {os.getloadavg()[0]:.1f} at the end.\n")
    print(f"Generated library: {count:,} files. Medians of {args.runs} runs ({args.big_runs} for the "
          f"{args.scale}x and 100-file figures); MB: peak resident memory (of the step, for clustering).\n")
    print(table(results, args.scale))
    print(f"\nTotal bench time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
