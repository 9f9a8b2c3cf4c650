"""Start-up: the command line loads only what the command it runs needs (issue 12).

``--help``, ``lint`` and ``inspect`` never import numpy, rapidfuzz, jinja2, the merge, the
clustering or an embedding model; each check runs the command in a fresh interpreter and
lists the modules it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from agentforge import cli, scan

HEAVY = ("numpy", "rapidfuzz", "jinja2", "fastembed", "onnxruntime", "agentforge.merge",
         "agentforge.cluster", "agentforge.scan", "agentforge.render", "agentforge.embed")

RUN = """
import json, sys
from agentforge.__main__ import main
sys.argv = ["agentforge", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def loaded(args: list[str]) -> set[str]:
    """The modules a fresh ``agentforge ARGS`` process has imported when it ends."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(args)], capture_output=True, text=True,
                          check=False)
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m in HEAVY or m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("args", [["--help"], ["lint", "--help"], ["merge", "--help"], ["--version"]])
def test_help_imports_nothing_heavy(args):
    modules = loaded(args)
    assert "typer" in modules
    assert heavy(modules) == []
    assert "ruamel.yaml" not in modules


def test_lint_and_inspect_import_nothing_heavy(sources_dir):
    seed = str(sources_dir / "backend-developer.md")
    for args in (["lint", seed], ["inspect", seed], ["inspect", "--json", seed]):
        modules = loaded(args)
        assert "agentforge.lint" in modules or "agentforge.show" in modules
        assert heavy(modules) == [], args


def test_merge_still_imports_what_it_needs(sources_dir, tmp_path):
    modules = loaded(["merge", str(sources_dir), "-o", str(tmp_path / "out.md")])
    assert {"agentforge.merge", "agentforge.cluster", "jinja2"} <= modules
    assert "pydantic" not in modules  # typer 0.29 checks values with it (pyproject.toml pins < 0.29)
    assert (tmp_path / "out.md").is_file()


def test_scan_default_threshold_is_written_once_more_in_the_cli():
    assert cli.SCAN_THRESHOLD == scan.DEFAULT_THRESHOLD
