"""Progress for long runs: a rich bar on a terminal, silence in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TICK = 64  # report every TICK steps (and the last one)
Progress = Callable[[str, int, int], None]  # (what, done, total)


@contextmanager
def terminal_progress() -> Iterator[Progress | None]:
    """A rich progress bar on stderr when stderr is a terminal; None (silence) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)  # type: ignore[arg-type]

        yield update


def tick(progress: Progress | None, what: str, done: int, total: int) -> None:
    if progress is not None and (done % TICK == 0 or done == total):
        progress(what, done, total)
