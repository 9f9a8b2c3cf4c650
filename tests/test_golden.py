"""Golden files: the model of each seed in sources/, as ``inspect --json`` prints it, checked in
under tests/golden/<file stem>.json. After a deliberate change to the model, regenerate them with

    AGENTFORGE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentforge import loads
from agentforge.files import read_text
from agentforge.show import to_data

GOLDEN = Path(__file__).parent / "golden"
SEEDS = sorted((Path(__file__).resolve().parents[1] / "sources").glob("*.md"))
UPDATE = os.environ.get("AGENTFORGE_UPDATE_GOLDEN") == "1"


def _model(seed: Path) -> dict:
    return to_data(loads(read_text(seed), f"sources/{seed.name}"))


def _render(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_model_matches_golden(seed: Path):
    golden = GOLDEN / f"{seed.stem}.json"
    actual = _render(_model(seed))
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run with AGENTFORGE_UPDATE_GOLDEN=1"
    assert json.loads(actual) == json.loads(golden.read_text(encoding="utf-8"))


def test_every_seed_has_a_golden_file():
    assert len(SEEDS) == 5
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(p.stem for p in SEEDS)
