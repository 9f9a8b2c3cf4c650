#!/usr/bin/env python3
"""Verify the hand-labelled bullet pairs in pairs_seeds.json / pairs_corpus.json.

For every pair endpoint {"file", "line", "text"} this checks that
  * the file is listed in the JSON's "files" and exists under the source root,
  * line N (1-based) is a Markdown list item (optional indentation, then
    -, *, + or 1. / 1) followed by a space), outside ``` code fences and
    outside the leading YAML frontmatter,
  * "text" equals that line with the indentation, the list marker and ONE
    following space removed and trailing whitespace / "\\r" stripped.

It also checks the labels ("join" / "apart"), that no pair is listed twice
or pairs an item with itself, and that the labels are consistent: no "apart"
pair may end up inside one connected component of the "join" graph
(clusters are transitive, so that would be an impossible target).

Usage:
    python3 tests/data/check_pairs.py [pairs.json ...]

Without arguments it checks every pairs_*.json next to this script. Source roots:
pairs_seeds.json -> $AGENTFORGE_SHARED/seeds, pairs_corpus.json and the other
pairs_*.json (one corpus family each) -> $AGENTFORGE_SHARED/corpus ($AGENTFORGE_SHARED defaults to ../shared beside the checkout).
Exit status 0 when everything passes, 1 otherwise.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("AGENTFORGE_SHARED", HERE.parents[2] / "shared"))
ROOTS = {
    "pairs_seeds.json": SHARED / "seeds",
    "pairs_corpus.json": SHARED / "corpus",
}

LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]) (.*)$")
FENCE = re.compile(r"^[ \t]*```")


def list_items(path: Path) -> dict[int, str]:
    """Map 1-based line number -> item text for every list item line."""
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    items: dict[int, str] = {}
    in_fence = False
    in_front = bool(lines) and lines[0].rstrip("\r").strip() == "---"
    for no, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if in_front:
            if no > 1 and line.strip() == "---":
                in_front = False
            continue
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = LIST_ITEM.match(line)
        if m:
            items[no] = m.group(1).rstrip()
    return items


def check(json_path: Path, root: Path) -> tuple[list[str], Counter]:
    errors: list[str] = []
    data = json.loads(json_path.read_text(encoding="utf-8"))
    for key in ("description", "files", "pairs"):
        if key not in data:
            errors.append(f"missing top-level key {key!r}")
    files = data.get("files", [])
    cache: dict[str, dict[int, str]] = {}
    for f in files:
        p = root / f
        if not p.is_file():
            errors.append(f"listed file not found: {p}")
        else:
            cache[f] = list_items(p)

    counts: Counter = Counter()
    seen: set[frozenset] = set()
    parent: dict[tuple, tuple] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    aparts = []
    for i, pair in enumerate(data.get("pairs", [])):
        where = f"pair #{i}"
        label = pair.get("label")
        if label not in ("join", "apart"):
            errors.append(f"{where}: bad label {label!r}")
            continue
        if not str(pair.get("why", "")).strip():
            errors.append(f"{where}: empty 'why'")
        ends = []
        for side in ("a", "b"):
            e = pair.get(side) or {}
            f, line, text = e.get("file"), e.get("line"), e.get("text")
            if f not in cache:
                errors.append(f"{where}.{side}: file {f!r} not in 'files' (or missing)")
                continue
            items = cache[f]
            if not isinstance(line, int) or line not in items:
                errors.append(f"{where}.{side}: {f}:{line} is not a list item")
                continue
            if items[line] != text:
                errors.append(
                    f"{where}.{side}: {f}:{line} text mismatch\n"
                    f"    json: {text!r}\n    file: {items[line]!r}"
                )
                continue
            ends.append((f, line))
        if len(ends) != 2:
            continue
        if ends[0] == ends[1]:
            errors.append(f"{where}: pairs an item with itself")
            continue
        key = frozenset(ends)
        if key in seen:
            errors.append(f"{where}: duplicate pair {sorted(ends)}")
            continue
        seen.add(key)
        counts[label] += 1
        if label == "join":
            ra, rb = find(ends[0]), find(ends[1])
            if ra != rb:
                parent[ra] = rb
        else:
            aparts.append((where, ends))
    for where, (x, y) in aparts:
        if find(x) == find(y):
            errors.append(
                f"{where}: apart pair {x} / {y} is inside one join component "
                "(labels contradict transitivity)"
            )
    return errors, counts


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(HERE.glob("pairs_*.json"))
    status = 0
    for p in paths:
        # other pairs_*.json files (one per corpus family) point into the corpus
        root = ROOTS.get(p.name) or (SHARED / "corpus" if p.name.startswith("pairs_") else None)
        if root is None:
            print(f"{p}: unknown pairs file name, expected pairs_*.json")
            status = 1
            continue
        errors, counts = check(p, root)
        summary = ", ".join(f"{k}={counts[k]}" for k in ("join", "apart"))
        if errors:
            status = 1
            print(f"FAIL {p.name} ({summary}), {len(errors)} error(s):")
            for e in errors:
                print("  " + e)
        else:
            print(f"OK   {p.name} ({summary})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
