"""Golden merges: each family of ``../shared/tools/merge-families.json`` merged with the default
options and the built-in merge template, byte for byte, checked in under
tests/golden/merge/<family>.md. A change meant to change no output (speed, memory) must leave
them identical. After a deliberate change to what merge writes, regenerate them with

    AGENTFORGE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_merge.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentforge import merge, templates

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ROOT.parent / "shared" / "tools" / "merge-families.json"
GOLDEN = Path(__file__).parent / "golden" / "merge"
UPDATE = os.environ.get("AGENTFORGE_UPDATE_GOLDEN") == "1"
NAMES = list(json.loads(FAMILIES.read_text())) if FAMILIES.is_file() else []


def family_paths(name: str, corpus: Path) -> list[Path]:
    """The family's files: ``CORPUS/`` is ../shared/corpus, ``SOURCES/`` is sources/."""
    where = {"CORPUS/": corpus, "SOURCES/": ROOT / "sources"}
    paths = json.loads(FAMILIES.read_text())[name]
    return [next(base / path[len(prefix):] for prefix, base in where.items() if path.startswith(prefix))
            for path in paths]


@pytest.mark.parametrize("name", NAMES)
def test_family_merges_to_the_golden_bytes(name, corpus_dir):
    template = templates.builtin_dir() / "merge.md.j2"
    actual = merge.merge_files(family_paths(name, corpus_dir), merge.Options(), str(template)).text.encode()
    golden = GOLDEN / f"{name}.md"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.exists(), f"missing {golden}: run with AGENTFORGE_UPDATE_GOLDEN=1"
    assert actual == golden.read_bytes()


def test_every_family_has_a_golden_file():
    if not NAMES:
        pytest.skip(f"{FAMILIES} not found")
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == sorted(NAMES)
