"""Every error a user meets on the command line is one line on stderr, with a plain exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    code = "from agentforge.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, check=False)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["merge", "sources", "--threshold", "200"], "error: --threshold: 200.0 is not in the range 0<=x<=100."),
        (["merge", "sources", "--tools", "bad"], "error: --tools: expected 'union', 'named', 'intersection' or 'all'"),
        (["merge"], "error: SOURCES: missing (see --help)"),
        (["merge", "sources", "--nope"], "error: No such option: --nope"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_code_2(args, line):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line] or result.stderr.startswith(line)
    assert len(result.stderr.splitlines()) == 1 and "╭" not in result.stderr


def test_a_user_error_is_one_line_naming_the_file_and_exit_code_1(tmp_path):
    (tmp_path / "bad.md").write_text("no frontmatter\n", encoding="utf-8")
    result = run("inspect", str(tmp_path / "bad.md"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {tmp_path / 'bad.md'}:1: no frontmatter: the file must start with a '---' line"]


def test_python_m_agentforge_runs_the_command_line():
    result = subprocess.run([sys.executable, "-m", "agentforge", "--help"], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0 and "merge" in result.stdout


def test_an_interrupt_is_one_line_and_exit_code_130(corpus_dir):
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-m", "agentforge", "lint", str(corpus_dir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(1.0)  # well inside a lint of the whole corpus
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == "error: interrupted" and "Traceback" not in stderr
