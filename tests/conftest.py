"""Shared fixtures: the real-world corpus next to the checkout, and the seeds in sources/;
the Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis: at most 100 examples a test by default ("quick"); HYPOTHESIS_PROFILE=thorough for a
# longer search. No deadline: the machines are shared, and a slow example is not a failure.
settings.register_profile("quick", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SOURCES = ROOT / "sources"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus`` (1,110 agent files from six public repositories); skip when absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The repository's ``sources/`` folder: the five seed agents."""
    return SOURCES


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with an empty user config, so only built-in templates exist."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path
