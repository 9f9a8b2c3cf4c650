"""Small helpers shared by the test modules."""

from __future__ import annotations


def changed_lines(before: str, after: str) -> tuple[int, list[str], list[str]]:
    """(0-based line where two texts start to differ, old lines, new lines), common ends set aside."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, old[start : len(old) - end], new[start : len(new) - end]


def write(path, text: str):  # type: ignore[no-untyped-def]
    """Write ``text`` to ``path`` (a pathlib.Path), making its folder; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
