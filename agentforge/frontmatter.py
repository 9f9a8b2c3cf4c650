"""Read and write the YAML frontmatter the way Claude Code does.

Reading: strict ruamel.yaml round-trip first; when that fails, a lenient line-based reading
like Claude Code's (each top-level ``key:`` line takes the rest of the line as its value).
Writing: every key keeps its raw lines unless its value changed; a changed value is written
on one physical line that strict YAML and Claude Code both read as meant.
"""

from __future__ import annotations

import io
import json
import math
import re
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.parser import ParserError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import ScannerError

from .description import parse_description
from .errors import LimitError, ParseError
from .limits import MAX_ALIAS_VALUES, MAX_FRONTMATTER_KEYS, MAX_YAML_DEPTH
from .model import FIELDS, Description, Fallback, Frontmatter, Layout

KEY_LINE = re.compile(r"([A-Za-z_$][\w$.-]*)[ \t]*:(?:[ \t]|\r?$)")
QUOTED_KEY_LINE = re.compile(r"""(?:"([^"\\\n]+)"|'([^'\n]+)')[ \t]*:(?:[ \t]|\r?$)""")
# Claude Code finds its frontmatter with /^---\s*\n([\s\S]*?)---\s*\n?/: the opening line is
# '---' and whitespace; the first '---' after it closes, so a longer line of dashes closes too.
FENCE = re.compile(r"---[ \t]*\r?\n?")
CLOSING = re.compile(r"-{3,}[ \t]*\r?\n?")
LIST_FIELDS = {"tools", "disallowedTools"}
DIRECTIVE = re.compile(r"^%", re.MULTILINE)  # a YAML directive line: read by a reader of its own
SCANNING_ERRORS = (ReaderError, ScannerError, ParserError)  # strict YAML failing before the composer
TEXT_FIELDS = {"name", "model", "color", "permissionMode", "memory", "effort", "isolation", "initialPrompt"}


class _LimitedComposer(Composer):
    """ruamel's composer, refusing (LimitError) a document nested more than ``MAX_YAML_DEPTH``
    deep or whose aliases stand for more than ``MAX_ALIAS_VALUES`` values in all.

    Composing never expands an alias (it points at the anchored node), so the counts are
    kept as the nodes are composed: each anchored node's size and height as if expanded,
    added for every alias that repeats it. A "billion laughs" is refused after a few lines.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self._open = 0  # nodes being composed, the current one included
        self._heights: list[int] = [0]  # the height (expanded) of each open node's children so far
        self._values = 0  # nodes composed so far, aliases expanded
        self._aliased = 0  # of which repeated by aliases
        self._anchored: dict[int, tuple[int, int]] = {}  # id(anchored node) -> (size, height)

    def compose_document(self) -> Any:
        """Each document counted afresh: one reader serves every load (``_yaml``)."""
        self._open, self._heights, self._values, self._aliased, self._anchored = 0, [0], 0, 0, {}
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            node = self.anchors.get(event.anchor)
            size, height = self._anchored.get(id(node), (1, 1))
            self._aliased += size
            self._values += size
            self._heights[-1] = max(self._heights[-1], height)
            if self._aliased > MAX_ALIAS_VALUES:
                what = f"YAML aliases repeat more than {MAX_ALIAS_VALUES:,} values (the limit)"
                raise LimitError(what, None, event.start_mark.line + 1)
            self._check_depth(self._open + height, event)
            return super().compose_node(parent, index)
        self._open += 1
        self._check_depth(self._open, event)
        before = self._values
        self._heights.append(0)
        node = super().compose_node(parent, index)
        height = self._heights.pop() + 1
        self._heights[-1] = max(self._heights[-1], height)
        self._values += 1
        self._open -= 1
        if event.anchor is not None:
            self._anchored[id(node)] = (self._values - before, height)
        return node

    @staticmethod
    def _check_depth(depth: int, event: Any) -> None:
        if depth > MAX_YAML_DEPTH:
            what = f"YAML nested more than {MAX_YAML_DEPTH} levels deep (the limit)"
            raise LimitError(what, None, event.start_mark.line + 1)


@lru_cache(maxsize=1)
def _yaml() -> YAML:
    """The reader every load shares: making one costs more than reading a short frontmatter
    (the lenient reading loads each key on its own). ``_load`` drops it after a failure other
    than ``SCANNING_ERRORS``: those stop the load before anything is built, and ruamel resets
    its reader, scanner and parser after every load (the composer starts each document afresh)."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _LimitedComposer
    return yaml


def _load(text: str) -> Any:
    """Strict YAML. Every failure is a YAMLError: ruamel also raises ValueError on some odd
    input (``description: ._`` is taken for a float), which must not escape the reader. Only
    a LimitError (see ``_LimitedComposer``) escapes, with its line counted from 1 in ``text``."""
    shared = not DIRECTIVE.search(text)  # "%YAML 1.1" would stay with the reader for every later load
    yaml = _yaml() if shared else _yaml.__wrapped__()
    yaml.doc_infos.clear()
    try:
        return yaml.load(text)
    except Exception as error:
        if shared and not isinstance(error, SCANNING_ERRORS):  # a load stopped while building may leave state behind
            _yaml.cache_clear()
        if isinstance(error, (YAMLError, LimitError)):
            raise
        raise YAMLError(f"{type(error).__name__}: {error}") from error


def split(text: str, path: str | None = None) -> tuple[str, str, str, str]:
    """Split text (BOM removed) into opening fence, frontmatter lines, closing fence, body."""
    lines = _split_lines(text)
    if not lines or not FENCE.fullmatch(lines[0]):
        why = "no frontmatter: the file must start with a '---' line"
        raise ParseError(why + _long_opening(lines), path, 1)
    for index in range(1, len(lines)):
        if CLOSING.fullmatch(lines[index]):
            return lines[0], "".join(lines[1:index]), lines[index], "".join(lines[index + 1 :])
    raise ParseError("unterminated frontmatter: no closing '---' line", path, 1)


def _long_opening(lines: list[str]) -> str:
    """Why a first line of more than three dashes does not open: Claude Code does not read it."""
    if lines and CLOSING.fullmatch(lines[0]):
        return f" (Claude Code does not open frontmatter with a line of {_dashes(lines[0])} dashes)"
    return ""


def _dashes(line: str) -> int:
    return len(line) - len(line.lstrip("-"))


def fence_problem(line: str, closing: bool) -> str | None:
    """What is irregular in a fence line that Claude Code reads (a closing line of more than
    three dashes, whitespace after the dashes), or None for a plain '---'."""
    text = line.rstrip("\r\n")
    dashes = _dashes(text)
    if closing and dashes > 3:
        return f"{dashes} dashes: Claude Code reads it (the other {dashes - 3} start its system prompt)"
    if text != "---":
        return "'---' with trailing whitespace: Claude Code reads it"
    return None


def _split_lines(text: str) -> list[str]:
    """Lines with their endings, split on '\\n' only (not on form feeds or U+2028)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def chunk(fm_text: str, boundaries: dict[int, str] | None = None) -> list[tuple[str | None, str, int]]:
    """Cut frontmatter into (key, raw lines, first line offset) at each top-level key line.

    ``boundaries`` (line offset -> key) come from a strict YAML reading. Without them, every
    column-0 ``key:`` line starts a chunk, except a dialogue line (``user:``, ``Context:``) inside
    an open ``<example>`` block of the description: only a Claude Code field ends such a block.
    """
    chunks: list[tuple[str | None, list[str], int]] = [(None, [], 0)]
    open_examples = 0
    for offset, line in enumerate(_split_lines(fm_text)):
        if boundaries is not None:
            key = boundaries.get(offset)
        else:
            key = _key_of(line)
            key = key if key and (open_examples <= 0 or key in FIELDS) else None
        if key:
            chunks.append((key, [line], offset))
            open_examples = 0
        else:
            chunks[-1][1].append(line)
        if chunks[-1][0] == "description":
            open_examples += line.count("<example>") - line.count("</example>")
    return [(key, "".join(lines), offset) for key, lines, offset in chunks if key or lines]


def _key_of(line: str) -> str | None:
    """The key a ``key:`` line (or ``"key":``) starts at column 0, or None."""
    match = KEY_LINE.match(line)
    if match:
        return match.group(1)
    quoted = QUOTED_KEY_LINE.match(line)
    return (quoted.group(1) or quoted.group(2)) if quoted else None


def read(fm_text: str, first_line: int, path: str | None) -> tuple[Frontmatter, tuple[tuple[str | None, str], ...]]:
    """Read frontmatter text whose first line is file line ``first_line``."""
    try:
        return _read(fm_text, first_line, path)
    except LimitError as error:
        raise LimitError(error.message, path, first_line + (error.line or 1) - 1) from None


def _read(fm_text: str, first_line: int, path: str | None) -> tuple[Frontmatter, tuple[tuple[str | None, str], ...]]:
    values, fallback, positions = _read_strict(fm_text, first_line)
    boundaries = None if positions is None else _boundaries(positions, _split_lines(fm_text))
    chunks = chunk(fm_text, boundaries)
    keyed = [offset for key, _, offset in chunks if key]
    if len(keyed) > MAX_FRONTMATTER_KEYS:
        _too_many_keys(keyed[MAX_FRONTMATTER_KEYS])
    if values is None:
        values, fallback = _read_lenient(chunks, first_line, fallback)
    placed = [key for key, _, _ in chunks if key]
    lines = [(key, first_line + offset) for key, _, offset in chunks if key]
    lines += [(key, first_line + (positions or {}).get(key, (0, 0))[0]) for key in values if key not in placed]
    duplicates = tuple(sorted({key for key in placed if placed.count(key) > 1}))
    raws = {key: raw for key, raw, _ in chunks if key}
    meta = {"keys": tuple(values), "lines": tuple(lines), "duplicates": duplicates, "fallback": fallback}
    return build(values, **meta, raws=raws), tuple((key, raw) for key, raw, _ in chunks)


def _read_strict(
    fm_text: str, first_line: int
) -> tuple[dict[str, Any] | None, Fallback | None, dict[str, tuple[int, int]] | None]:
    """Values, or the reason strict YAML fails; with each key's (line offset, column)."""
    clean = fm_text.replace("\r\n", "\n")
    try:
        data = _load(clean)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, Fallback(f"not strict YAML: {problem}", line), None
    if data is None:
        return {}, None, {}
    if not isinstance(data, dict):
        return None, Fallback("not strict YAML: the frontmatter is not a mapping", first_line), None
    if len(data) > MAX_FRONTMATTER_KEYS:  # before the work each key costs
        key = list(data)[MAX_FRONTMATTER_KEYS]
        _too_many_keys(data.lc.key(key)[0] if hasattr(data, "lc") else 0)
    values = {str(key): plain(value) for key, value in data.items()}
    return values, None, _positions(data)


def _too_many_keys(offset: int) -> None:
    """Refuse a frontmatter whose key at line ``offset`` (from 0) is one too many."""
    raise LimitError(f"more than {MAX_FRONTMATTER_KEYS} frontmatter keys (the limit)", None, offset + 1)


def _positions(data: Any) -> dict[str, tuple[int, int]]:
    """Each key's (line offset, column); column -1 in a flow mapping. Keys merged in with
    ``<<`` and the keys of an ``!!omap`` have no position of their own."""
    flow = bool(getattr(data, "fa", None) and data.fa.flow_style())
    found = {}
    for key in data:
        try:
            line, column = data.lc.key(key)
        except (AttributeError, KeyError, TypeError):
            continue
        found[str(key)] = (line, -1 if flow else column)
    return found


def _boundaries(positions: dict[str, tuple[int, int]], lines: list[str]) -> dict[int, str]:
    """Line offset -> key for each key of a block mapping that starts its own line.

    A key is left out when its line does not start with it (a flow mapping, a ``?`` key, or
    line breaks that YAML counts and agentforge does not, such as a lone CR).
    """
    found = {}
    for key, (offset, column) in positions.items():
        start = re.compile(rf"([\"']?){re.escape(key)}\1[ \t]*:")
        if column == 0 and offset < len(lines) and start.match(lines[offset]) and offset not in found:
            found[offset] = key
    return found


def _read_lenient(
    chunks: list[tuple[str | None, str, int]], first_line: int, fallback: Fallback | None
) -> tuple[dict[str, Any], Fallback]:
    """Claude Code's lenient reading: each key's value is the rest of its line."""
    values: dict[str, Any] = {}
    reasons = [fallback.reason] if fallback else []
    claude_loads = True
    for key, raw, offset in chunks:
        if key is None:
            continue
        try:
            values[key] = _lenient_value(key, raw)
        except LimitError as error:  # its line counted in the key's lines: make it the frontmatter's
            raise LimitError(error.message, None, offset + (error.line or 1)) from None
        stray = _unindented_continuation(raw)
        if stray:
            claude_loads = False
            reasons.append(f"line {first_line + offset + stray} continues '{key}' without indentation")
        if "\r" in raw and ": " in raw.split(":", 1)[1]:
            claude_loads = False
            reasons.append(f"CRLF line endings with ': ' in the value of '{key}'")
    line = fallback.line if fallback else first_line
    return values, Fallback("; ".join(reasons), line, claude_loads)


def _unindented_continuation(raw: str) -> int:
    """Offset of the first continuation line at column 0, or 0."""
    for offset, line in enumerate(_split_lines(raw)[1:], start=1):
        if line.strip() and not line[0].isspace() and not line.startswith("#"):
            return offset
    return 0


def _lenient_value(key: str, raw: str) -> Any:
    """One key's value: its lines as YAML (without trailing blank lines, which may hold tabs
    that ruamel refuses), else the rest of its first line and any continuation lines."""
    clean = raw.replace("\r\n", "\n")
    for text in dict.fromkeys([clean, clean.rstrip(" \t\n") + "\n"]):
        try:
            data = _load(text)
        except YAMLError:
            continue
        if isinstance(data, dict) and key in data:
            return plain(data[key])
    first, *rest = clean.split("\n")
    value = first.split(":", 1)[1].strip()
    more = [line.strip() for line in rest if line.strip() and not line.lstrip().startswith("#")]
    return " ".join([value, *more]) if more else value


def plain(value: Any) -> Any:
    """ruamel's commented containers and scalar subclasses as plain Python values."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return str(value)


def split_tools(value: Any) -> tuple[str, ...] | None:
    """A tools value as names: a comma string (never split inside parentheses) or a list."""
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    names, depth, current = [], 0, ""
    for char in str(value):
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            names.append(current.strip())
            current = ""
        else:
            current += char
    names.append(current.strip())
    return tuple(name for name in names if name)


def build(values: dict[str, Any], **meta: Any) -> Frontmatter:
    """A Frontmatter from YAML key -> plain value (``raws``: key -> raw lines, for lines)."""
    typed: dict[str, Any] = {}
    extra = []
    for key, value in values.items():
        if key not in FIELDS:
            extra.append((key, value))
        elif key == "description":
            line = dict(meta.get("lines", ())).get("description", 0)
            raw = meta.get("raws", {}).get("description")
            typed["description"] = None if value is None else parse_description(str(value), line, raw)
        elif key in LIST_FIELDS:
            typed[FIELDS[key]] = split_tools(value)
        elif key in TEXT_FIELDS and value is not None and not isinstance(value, (dict, list)):
            typed[FIELDS[key]] = str(value)
        else:
            typed[FIELDS[key]] = value
    return Frontmatter(
        **typed,
        extra=tuple(extra),
        keys=meta.get("keys", tuple(values)),
        lines=meta.get("lines", ()),
        duplicate_keys=meta.get("duplicates", ()),
        fallback=meta.get("fallback"),
    )


# ---- writing ---------------------------------------------------------------------------


def write(fm: Frontmatter, layout: Layout) -> str:
    """The frontmatter lines (without fences) for ``fm``, reusing raw lines that did not change.

    A changed key is written on its first line (later duplicates dropped); a new key at the
    end. When some key has no line of its own (a flow mapping, ``<<`` merges, ``?`` keys), any
    change makes the whole frontmatter written afresh.

    A frontmatter read leniently can turn into strict YAML once a key is rewritten (the key
    that broke strict YAML is now well quoted), and strict YAML may read the untouched raw
    lines otherwise: ``model: 'a`` opens a single-quoted scalar that runs to the next ``'``,
    several keys below. Then an untouched key whose value would read differently is written
    afresh too, on one strictly quoted line, one at a time from the top (the first misread
    key is the one swallowing the keys below it), until every key reads as before. This
    rewrites only what must change: all other keys keep their bytes, a document that stays
    lenient (or reads the same strictly) is left as it is, and the result is read the same
    by agentforge and Claude Code, which also tries strict YAML first. Keeping the text
    unparseable instead is not possible in general: the changed key's own line must be
    strict YAML, and no other line may change. A frontmatter read strictly needs no check:
    its chunks are whole block-mapping entries, and replacing one by a one-line entry leaves
    the others as they were.
    """
    original = layout.original
    if original is not None and _needs_fresh_text(fm, layout):
        return "".join(format_key(key, fm.get(key), layout.newline) for key in _present_keys(fm, original))
    afresh: set[str] = set()
    while True:
        text = _write_chunks(fm, layout, afresh)
        misread = _first_misread(fm, layout, afresh, text)
        if misread is None:
            return text
        afresh.add(misread)


def _write_chunks(fm: Frontmatter, layout: Layout, afresh: set[str]) -> str:
    """The frontmatter lines: raw lines for kept keys, except those in ``afresh``."""
    newline, original = layout.newline, layout.original
    out: list[str] = []
    written: set[str] = set()
    for key, raw in layout.chunks:
        if key is None or (_kept(fm, original, key) and key not in afresh):
            out.append(raw)
            written.add(key or "")
            continue
        if key not in written and (fm.get(key) is not None or key in afresh):
            out.append(_ensure_newline(format_key(key, fm.get(key), newline, like=raw), newline))
        out.append(_trailing_comments(raw))
        written.add(key)
    for key in _present_keys(fm, original):
        if key not in written and not _kept(fm, original, key):
            out.append(_ensure_newline(format_key(key, fm.get(key), newline), newline))
    return "".join(out)


def _first_misread(fm: Frontmatter, layout: Layout, afresh: set[str], text: str) -> str | None:
    """The first untouched key (kept raw lines) of a leniently read frontmatter that ``text``
    reads with another value, or None (see ``write``)."""
    original = layout.original
    if original is None or original.fallback is None:
        return None
    untouched = [key for key, _ in layout.chunks if key and key not in afresh and _kept(fm, original, key)]
    if not untouched or text == "".join(raw for _, raw in layout.chunks):
        return None
    again, _ = read(text, 2, None)
    for key in dict.fromkeys(untouched):
        if key not in again.keys or comparable(again.get(key)) != comparable(fm.get(key)):
            return key
    return None


def _needs_fresh_text(fm: Frontmatter, layout: Layout) -> bool:
    """Whether something changed in a frontmatter where some key has no line of its own."""
    original = layout.original
    placed = {key for key, _ in layout.chunks if key}
    if original is None or all(key in placed for key in original.keys):
        return False
    keys = dict.fromkeys([*original.keys, *_present_keys(fm, original)])
    return not all(_kept(fm, original, key) for key in keys)


def _trailing_comments(raw: str) -> str:
    """The comment and blank lines that end a key's raw lines (they belong to what follows)."""
    lines = _split_lines(raw)[1:]
    end = len(lines)
    while end and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[end:])


def _ensure_newline(text: str, newline: str) -> str:
    return text if text.endswith(newline) else text + newline


def _present_keys(fm: Frontmatter, original: Frontmatter | None = None) -> list[str]:
    """The keys to write: those with a value, and unchanged keys whose value is null."""
    keys = list(fm.keys)
    for key in [*FIELDS, *(k for k, _ in fm.extra)]:
        if key not in keys:
            keys.append(key)
    return [key for key in keys if fm.get(key) is not None or _kept(fm, original, key)]


def _kept(fm: Frontmatter, original: Frontmatter | None, key: str) -> bool:
    """Whether a key read from the file is still there with the same value (raw lines reusable)."""
    if original is None or key not in original.keys:
        return False
    return _same(fm, original, key) and (key in fm.keys or fm.get(key) is not None)


def _same(fm: Frontmatter, original: Frontmatter, key: str) -> bool:
    same: bool = comparable(fm.get(key)) == comparable(original.get(key))
    return same


def comparable(value: Any) -> Any:
    """A value as compared to tell whether it changed: a description by its text."""
    return value.text if isinstance(value, Description) else value


def format_key(key: str, value: Any, newline: str = "\n", like: str | None = None) -> str:
    """One key written so that strict YAML and Claude Code read the same value.

    ``like`` is the key's old raw text: a tools list that was a YAML list stays one.
    """
    if key == "description" and hasattr(value, "text"):
        value = value.text
    if key in LIST_FIELDS and isinstance(value, tuple):
        style = _list_style(like)
        if style == "flow":
            return f"{_key_text(key)}: [{', '.join(_flow_item(item) for item in value)}]{newline}"
        value = list(value) if style == "block" else ", ".join(value)
    if isinstance(value, (dict, list, tuple)):
        return _dump_block(key, value).replace("\n", newline)
    return f"{_key_text(key)}: {scalar(value)}{newline}"


def _key_text(key: str) -> str:
    """A key as written: plain when it is a simple name, else quoted."""
    return key if re.fullmatch(r"[A-Za-z_$][\w$.-]*", key) and key.lower() not in RESERVED else scalar(key)


def _list_style(raw: str | None) -> str | None:
    """"flow" or "block" when a key's raw lines hold a YAML sequence (``[x]`` or ``- x``), else None."""
    value = raw.split(":", 1)[1] if raw and ":" in raw else ""
    lines = [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]
    if lines and lines[0].startswith("["):
        return "flow"
    return "block" if lines and re.match(r"-(?:[ \t]|$)", lines[0]) else None


@lru_cache(maxsize=4096)
def _flow_item(text: str) -> str:
    """One item of a flow sequence: plain when strict YAML reads it back the same, else quoted."""
    plain_text = scalar(text)
    try:
        if _load(f"k: [{plain_text}]\n") == {"k": [text]}:
            return plain_text
    except YAMLError:
        pass
    return _quote(text)


def _dump_block(key: str, value: Any) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump({key: list(value) if isinstance(value, tuple) else value}, stream)
    return stream.getvalue()


PLAIN_SAFE = re.compile(r"[A-Za-z0-9(/][^\n\r\t]*")
RESERVED = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(value: Any) -> str:
    """A YAML scalar on one line: plain when strict YAML reads it back the same, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return text if _plain_ok(text) else _quote(text)


def _quote(text: str) -> str:
    """A double-quoted YAML scalar on one line (JSON escapes, which YAML reads the same)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(char if _printable(char) else f"\\u{ord(char):04x}" for char in quoted)


def _printable(char: str) -> bool:
    """Whether YAML allows the character as it is (and no YAML 1.1 reader takes it for a line break)."""
    code = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    ) and char not in "\u2028\u2029"


@lru_cache(maxsize=4096)
def _plain_ok(text: str) -> bool:
    if not PLAIN_SAFE.fullmatch(text) or text.lower() in RESERVED or text != text.strip():
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\\" in text:
        return False
    if not all(_printable(char) for char in text):
        return False
    try:
        same: bool = _load(f"k: {text}\n") == {"k": text}
        return same
    except YAMLError:
        return False
