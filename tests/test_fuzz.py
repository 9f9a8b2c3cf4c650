"""No traceback on any input: mutated corpus files through every step a command takes.

Each mutated file either reads as an agent or fails with an AgentforgeError (one line naming
the file and line); what reads is shown, linted, fixed, written back byte for byte, and merged
with its neighbours. The mutations are seeded, so a failure names a case that can be replayed.
"""

from __future__ import annotations

import random

import pytest

from agentforge import fix, lint, scan, show
from agentforge.document import dumps, loads
from agentforge.errors import AgentforgeError
from agentforge.merge import Options, merge_agents

CASES = 240
MUTATIONS = ("cut", "drop_line", "repeat_line", "swap_lines", "insert_bytes", "indent", "dashes", "colon")


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.choice(MUTATIONS)
    i = rng.randrange(len(lines))
    if kind == "cut":
        return text[: rng.randrange(len(text) + 1)]
    if kind == "drop_line":
        del lines[i]
    elif kind == "repeat_line":
        lines[i:i] = [lines[i]] * rng.randint(1, 40)
    elif kind == "swap_lines":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert_bytes":
        lines[i] += "".join(rng.choice(":-*#>|`'\"\\{}[]&!%@\t\r\u00a0\ufeff") for _ in range(rng.randint(1, 8)))
    elif kind == "indent":
        lines[i] = " " * rng.randint(1, 12) + lines[i]
    elif kind == "dashes":
        lines.insert(i, "-" * rng.randint(1, 60))
    else:
        lines[i] = lines[i].replace(" ", ": ", 1)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def mutated(corpus_dir):
    rng = random.Random(20261130)
    files = sorted(corpus_dir.glob("*/*.md"))
    cases = []
    for n in range(CASES):
        text = files[rng.randrange(len(files))].read_text(encoding="utf-8")
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        cases.append((f"case{n}.md", text))
    return cases


def test_every_mutated_file_reads_or_fails_with_one_named_error(mutated):
    read = 0
    for path, text in mutated:
        try:
            agent = loads(text, path)
        except AgentforgeError as error:
            assert str(error).startswith(path) and "\n" not in error.message
            continue
        read += 1
        assert dumps(agent) == text
        show.tree(agent)
        show.to_data(agent)
        lint.lint_text(text, path)
        loads(fix.fix_text(text, path), path)  # a fix always reads back
    assert read > CASES // 3  # most mutations still leave a readable agent


def test_mutated_files_merge_and_scan_without_a_traceback(mutated):
    agents = []
    for path, text in mutated:
        try:
            agents.append(loads(text, path))
        except AgentforgeError:
            continue
    for start in range(0, 60, 3):
        group = agents[start : start + 3]
        try:
            merged = merge_agents(group, Options())
        except AgentforgeError:
            continue
        assert merged.body.endswith("\n")
    scan.find_families(agents)
