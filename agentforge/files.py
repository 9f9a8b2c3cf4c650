"""Files at the edge: the only module that reads from or writes to disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .document import dumps, loads
from .errors import LimitError, ParseError, WriteError
from .frontmatter import comparable
from .limits import MAX_FILE_BYTES
from .model import FIELDS, Agent


def read_text(path: str | os.PathLike[str]) -> str:
    """A file's text, decoded as UTF-8 (a BOM is kept); errors name the file and line.
    At most ``MAX_FILE_BYTES`` are read: a larger file (or an endless one) is refused."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise LimitError(f"file larger than the limit of {MAX_FILE_BYTES:,} bytes", str(path), 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(f"not UTF-8 (byte 0x{data[error.start]:02x})", str(path), line) from None


def load(path: str | os.PathLike[str]) -> Agent:
    """Read an agent file."""
    try:
        text = read_text(path)
    except OSError as error:
        raise ParseError(f"cannot read: {error.strerror}", str(path)) from None
    return loads(text, str(path))


def dump(agent: Agent, path: str | os.PathLike[str]) -> None:
    """Write an agent atomically, after checking that the text reads back the same."""
    text = dumps(agent)
    check_reads_back(text, agent, str(path))
    write_text(path, text)


def check_reads_back(text: str, agent: Agent, path: str) -> Agent:
    """Parse rendered text again; refuse it when its frontmatter would not read back as meant."""
    again = read_back(text, path)
    check_fields(again, agent, path)
    return again


def read_back(text: str, path: str) -> Agent:
    """Rendered text read as an agent; a WriteError when it does not read."""
    try:
        return loads(text, path)
    except ParseError as error:
        raise WriteError(f"output would not read back: {error.message}", path) from None


def check_fields(again: Agent, agent: Agent, path: str) -> None:
    """Refuse ``again`` (text read back) when a frontmatter field differs from ``agent``'s."""
    meant = agent.frontmatter
    for key in dict.fromkeys([*again.frontmatter.keys, *meant.keys, *FIELDS, *(k for k, _ in meant.extra)]):
        if comparable(again.frontmatter.get(key)) != comparable(meant.get(key)):
            raise WriteError(f"output would not read back: '{key}' would change", path)


def save(text: str, output: str | os.PathLike[str], force: bool = False) -> str:
    """Write text to ``output`` (an existing file only with ``force``) and say what was done."""
    return save_all([(text, output)], force)[0]


def save_all(outputs: Sequence[tuple[str, str | os.PathLike[str]]], force: bool = False) -> list[str]:
    """Write every (text, path) or none: each text goes to a temporary file beside its target
    first, and only when all are written are they renamed into place. An existing file is
    overwritten only with ``force``, unless it already holds the same bytes (then it is left
    alone: nothing would be lost). Returns what was done, a line a file."""
    # a link is written through: its target changes, the link stays (lint --fix on a linked agent)
    targets = [Path(path).resolve() if Path(path).is_symlink() else Path(path) for _, path in outputs]
    unchanged = {t for (text, _), t in zip(outputs, targets, strict=True) if _holds(t, text)}
    for target in targets:
        if target.exists() and target not in unchanged and not force:
            raise WriteError("already exists and differs; pass --force to overwrite it", str(target))
        if target.is_dir():
            raise WriteError("is a folder, not a file", str(target))
        folder = next((p for p in target.parents if p.exists()), Path("."))
        if not folder.is_dir():
            raise WriteError(f"cannot write here: {folder} is a file, not a folder", str(target))
    actions = [f"{'unchanged' if t in unchanged else 'overwrite' if t.exists() else 'create'} {t}" for t in targets]
    temps: list[tuple[str, Path]] = []
    try:
        for (text, _), target in zip(outputs, targets, strict=True):
            if target not in unchanged:
                temps.append((_write_temp(target, text), target))
        for tmp, target in temps:
            os.replace(tmp, target)
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}", str(error.filename or targets[0])) from None
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
    return actions


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text atomically (temporary file in the same folder, then rename)."""
    save_all([(text, path)], force=True)


def _holds(target: Path, text: str) -> bool:
    """Whether ``target`` is a file that already holds exactly ``text`` (nothing to overwrite)."""
    try:
        return target.is_file() and target.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _write_temp(target: Path, text: str) -> str:
    """A temporary file beside ``target`` holding ``text``, with the target's permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        # a lone surrogate (a file name that is not UTF-8, in a report) as its escape \udcff
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def default_folders() -> list[Path]:
    """Where agents are looked for when no path is given, project before user, as Claude Code
    looks: this project's ``sources/``, then ``.claude/agents/``, then ``~/.claude/agents/``."""
    return [Path("sources"), Path(".claude", "agents"), Path.home() / ".claude" / "agents"]


def default_folder() -> Path | None:
    """The first of ``default_folders()`` that is a folder, if any."""
    return next((folder for folder in default_folders() if folder.is_dir()), None)


def find_agents(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Each file named, and every ``.md`` file under each folder named (recursively, sorted)."""
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(path.rglob("*.md")):
                if file.is_file() and ".git" not in file.parts:
                    found.setdefault(file)
        elif path.is_file():
            found.setdefault(path)
        else:
            raise ParseError("no such file or folder", str(path))
    return list(found)


def refuse_overwriting_sources(
    outputs: Iterable[str | os.PathLike[str] | None], sources: Iterable[str | os.PathLike[str]]
) -> None:
    """Raise WriteError when an output path is one of the sources."""
    inputs = {Path(source).resolve() for source in sources}
    for output in outputs:
        if output is not None and Path(output).resolve() in inputs:
            raise WriteError("refusing to write over a source file", str(output))
