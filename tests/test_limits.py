"""Hostile and huge input: each documented limit of ``agentforge.limits`` gives one clear
``error: FILE:LINE: message`` (no hang, no memory blow-up, no traceback), and what is just
under a limit still loads. Every hostile file is generated in ``tmp_path``. Times are not
asserted here (machines are shared and noisy); how time grows with the input is."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentforge import files, frontmatter, loads
from agentforge.cli import app
from agentforge.errors import LimitError
from agentforge.limits import (
    MAX_ALIAS_VALUES,
    MAX_FILE_BYTES,
    MAX_FRONTMATTER_BYTES,
    MAX_FRONTMATTER_KEYS,
    MAX_LIST_DEPTH,
    MAX_MERGE_ITEMS,
    MAX_YAML_DEPTH,
)
from agentforge.lint import lint_file

runner = CliRunner()


def agent(fm: str = "", body: str = "You review code.\n", description: str = "Reviews code.") -> str:
    return f"---\nname: code-reviewer\ndescription: {description}\n{fm}---\n{body}"


def write(tmp_path: Path, text: str, name: str = "hostile.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, line: int, words: str) -> None:
    """Every command that reads ``path`` says so in one ``error: FILE:LINE: message``."""
    with pytest.raises(LimitError) as caught:
        files.load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words in caught.value.message
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}:{line}: {caught.value.message}\n"
    assert result.stdout == ""
    (finding,), _ = lint_file(path)
    assert (finding.rule, finding.line, finding.severity) == ("over-limit", line, "error")


# ---- YAML aliases ------------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "".join(line + "\n" for line in lines)


def test_alias_bomb_is_refused_before_it_expands(tmp_path):
    # a0 (line 4) is 10 values, a1 repeats it 9 times (90), a2 repeats a1 9 times (819 more),
    # a3 would add 7,380: refused on line 7, before anything is expanded
    refused(write(tmp_path, agent(billion_laughs())), 7, f"aliases repeat more than {MAX_ALIAS_VALUES:,}")


def test_alias_bomb_in_a_frontmatter_read_leniently(tmp_path):
    bomb = "x:\n" + "".join("  " + line for line in billion_laughs().splitlines(keepends=True))
    refused(write(tmp_path, agent(bomb + "bad: a: b\n")), 8, "aliases repeat")


def test_a_few_aliases_are_read(tmp_path):
    fm = "common: &tools [Read, Grep]\ntools: *tools\nextra: [*tools, *tools]\n"
    loaded = files.load(write(tmp_path, agent(fm)))
    assert loaded.frontmatter.tools == ("Read", "Grep")
    assert dict(loaded.frontmatter.extra)["extra"] == [["Read", "Grep"], ["Read", "Grep"]]


def test_each_load_counts_its_aliases_afresh(tmp_path):
    # one YAML reader serves every load: the counts of one document never carry to the next
    fm = "a0: &a0 [" + ", ".join(["x"] * 9) + "]\n" + "".join(f"b{i}: [*a0, *a0, *a0, *a0, *a0]\n" for i in range(15))
    path = write(tmp_path, agent(fm))  # 750 values repeated by aliases, under the limit
    for _ in range(3):
        assert dict(files.load(path).frontmatter.extra)["b0"][0] == ["x"] * 9


def test_a_yaml_directive_of_one_document_does_not_change_how_the_next_reads():
    # "%YAML 1.1" makes "yes" a boolean in that document only; the next still says "yes"
    assert frontmatter._load("%YAML 1.1\n---\nmemory: yes\n") == {"memory": True}
    assert frontmatter._load("memory: yes\ncolor: on\n") == {"memory": "yes", "color": "on"}


# ---- sizes -------------------------------------------------------------------------------


def test_100000_keys_go_over_the_frontmatter_size(tmp_path):
    keys = "".join(f"k{i}: 1\n" for i in range(100_000))  # 888,890 bytes
    assert len(keys) < MAX_FILE_BYTES
    refused(write(tmp_path, agent(keys)), 1, f"over the limit of {MAX_FRONTMATTER_BYTES:,}")


def test_a_1mb_description_goes_over_the_frontmatter_size(tmp_path):
    refused(write(tmp_path, agent(description="word " * 200_000)), 1, "frontmatter of 1,000,")


def test_frontmatter_just_under_the_size_is_read(tmp_path):
    description = "x" * (MAX_FRONTMATTER_BYTES - 100)
    loaded = files.load(write(tmp_path, agent(description=description)))
    assert loaded.frontmatter.description.text == description


def test_too_many_keys(tmp_path):
    keys = "".join(f"key{i}: value\n" for i in range(MAX_FRONTMATTER_KEYS - 2))
    assert len(files.load(write(tmp_path, agent(keys))).frontmatter.keys) == MAX_FRONTMATTER_KEYS
    # the key one too many is on line 2 + 100: the error names it, read strictly or leniently
    refused(write(tmp_path, agent(keys + "one: more\n")), 2 + MAX_FRONTMATTER_KEYS, "frontmatter keys")
    refused(write(tmp_path, agent(keys + "one: more: colon\n")), 2 + MAX_FRONTMATTER_KEYS, "keys")
    flow = "---\n{" + ", ".join(f"k{i}: v" for i in range(300)) + "}\n---\nBody.\n"
    refused(write(tmp_path, flow), 2, "keys")


def test_file_size(tmp_path):
    body = "- an item of a long list\n" * (MAX_FILE_BYTES // 25 + 1)
    refused(write(tmp_path, agent(body=body)), 1, f"larger than the limit of {MAX_FILE_BYTES:,} bytes")
    with pytest.raises(LimitError):
        loads(agent(body=body))
    with pytest.raises(LimitError):  # counted in UTF-8 bytes, not characters
        loads(agent(body="é" * (MAX_FILE_BYTES // 2 + 1)))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_file_is_not_read_to_its_end():
    with pytest.raises(LimitError):
        files.load("/dev/zero")


# ---- nesting -----------------------------------------------------------------------------


def nested_list(depth: int) -> str:
    return "".join("  " * level + f"- level {level + 1}\n" for level in range(depth))


def test_lists_nested_500_deep(tmp_path):
    # the body starts on line 5; the item one level too deep is its 33rd line
    refused(write(tmp_path, agent(body=nested_list(500))), 5 + MAX_LIST_DEPTH, "nested more than 32")


def test_lists_nested_to_the_limit_are_read(tmp_path):
    path = write(tmp_path, agent(body=nested_list(MAX_LIST_DEPTH)))
    assert runner.invoke(app, ["inspect", "--json", str(path)]).exit_code == 0


def test_yaml_nesting(tmp_path):
    # the frontmatter mapping is one level, so MAX_YAML_DEPTH - 1 lists fit in it
    fit = MAX_YAML_DEPTH - 1
    assert files.load(write(tmp_path, agent("x: " + "[" * fit + "]" * fit + "\n"))).frontmatter.get("x")
    refused(write(tmp_path, agent("x: " + "[" * 2_000 + "\n")), 4, "YAML nested more than")
    # an alias does not escape the count: it stands for its anchor's whole depth
    chain = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 40))
    # (a scalar is a level too: a30, on line 34, is 31 lists around a 1 in the mapping)
    refused(write(tmp_path, agent(chain)), 4 + MAX_YAML_DEPTH - 2, "YAML nested")


# ---- bodies near the file size that used to take quadratic time ----------------------------


@pytest.mark.parametrize(
    "body",
    [
        lambda n: "- a list\n" + "\n" * 3 * n + "  - that goes on after many blank lines\n",
        lambda n: "Label:\n" * n,
        lambda n: "Label:\n\n" * n,
        lambda n: "- **term**" + " " * 5 * n + "x\n",
        lambda n: "# " + " #" * 3 * n + "x\n",
    ],
    ids=["blank-lines-in-a-list", "labels", "labels-and-blank-lines", "bold-term", "heading-hashes"],
)
def test_long_bodies_are_read_in_linear_time(body):
    """Four times the input takes about four times as long (16 if it were quadratic): the
    ratio, not a time, is asserted, each the best of three runs, so a busy machine passes."""
    small, large = agent(body=body(10_000)), agent(body=body(40_000))
    assert _best_time(large) < 10 * _best_time(small)


def _best_time(text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        loads(text)
        times.append(time.perf_counter() - start)
    return min(times)


# ---- merge size --------------------------------------------------------------------------


def test_merge_refuses_too_many_items(tmp_path):
    half = MAX_MERGE_ITEMS // 2 + 1
    for name in ("a", "b"):
        items = "".join(f"- {name} item {i} of a long list\n" for i in range(half))
        write(tmp_path, agent(body=items), f"{name}.md")
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == ""
    # the first item over the limit: the base (a.md) holds `half`, b.md the rest from line 5
    line = 5 + MAX_MERGE_ITEMS - half
    assert result.stderr == (
        f"error: {tmp_path / 'b.md'}:{line}: the sources hold {2 * half:,} list items; "
        f"a merge takes at most {MAX_MERGE_ITEMS:,} (the limit)\n"
    )


# ---- what cannot be encoded --------------------------------------------------------------


def test_a_lone_surrogate_escape_is_printed_as_its_escape(tmp_path):
    path = write(tmp_path, agent(description='"Reviews \\ud800 code."'))
    tree = runner.invoke(app, ["inspect", str(path)])
    assert tree.exit_code == 0 and "Reviews \\ud800 code." in tree.stdout
    as_json = runner.invoke(app, ["inspect", "--json", str(path)])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["frontmatter"]["description"]["text"] == "Reviews \ud800 code."
    assert runner.invoke(app, ["lint", str(path)]).exit_code == 0


def test_a_file_name_that_is_not_utf8_in_a_merge_report(tmp_path, sources_dir):
    folder = tmp_path / "sources"
    folder.mkdir()
    odd = folder / os.fsdecode(b"backend-\xff.md")
    try:
        odd.write_bytes((sources_dir / "backend-developer.md").read_bytes())
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    (folder / "specialist.md").write_bytes((sources_dir / "backend-specialist.md").read_bytes())
    out, report = tmp_path / "out.md", tmp_path / "report.json"
    result = runner.invoke(app, ["merge", str(folder), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert out.exists() and report.exists()
    data = json.loads(report.read_text(encoding="utf-8"))  # valid UTF-8 JSON: the byte as \udcff
    assert {Path(source["path"]) for source in data["sources"]} == {odd, folder / "specialist.md"}
    assert "backend-\\udcff.md" in result.stderr or "backend-\\udcff.md" in report.read_text()
