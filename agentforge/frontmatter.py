"""Read and write the YAML frontmatter the way Claude Code does.

Reading: strict ruamel.yaml round-trip first; when that fails, a lenient line-based reading
like Claude Code's (each top-level ``key:`` line takes the rest of the line as its value).
Writing: every key keeps its raw lines unless its value changed; a changed value is written
on one physical line that strict YAML and Claude Code both read as meant.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .description import parse_description
from .errors import ParseError
from .model import FIELDS, Fallback, Frontmatter, Layout

KEY_LINE = re.compile(r"([A-Za-z_$][\w$.-]*)[ \t]*:(?:[ \t]|$)")
FENCE = re.compile(r"---[ \t]*\r?\n?")
LIST_FIELDS = {"tools", "disallowedTools"}
TEXT_FIELDS = {"name", "model", "color", "permissionMode", "memory", "effort", "isolation", "initialPrompt"}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def split(text: str, path: str | None = None) -> tuple[str, str, str, str]:
    """Split text (BOM removed) into opening fence, frontmatter lines, closing fence, body."""
    lines = _split_lines(text)
    if not lines or not FENCE.fullmatch(lines[0]):
        raise ParseError("no frontmatter: the file must start with a '---' line", path, 1)
    for index in range(1, len(lines)):
        if FENCE.fullmatch(lines[index]):
            return lines[0], "".join(lines[1:index]), lines[index], "".join(lines[index + 1 :])
    raise ParseError("unterminated frontmatter: no closing '---' line", path, 1)


def _split_lines(text: str) -> list[str]:
    """Lines with their endings, split on '\\n' only (not on form feeds or U+2028)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def chunk(fm_text: str) -> list[tuple[str | None, str, int]]:
    """Cut frontmatter into (key, raw lines, first line offset) at each top-level key line.

    A column-0 ``key:`` line inside an open ``<example>`` block is a continuation line.
    """
    chunks: list[tuple[str | None, list[str], int]] = [(None, [], 0)]
    open_examples = 0
    for offset, line in enumerate(_split_lines(fm_text)):
        match = KEY_LINE.match(line)
        if match and open_examples <= 0:
            chunks.append((match.group(1), [line], offset))
        else:
            chunks[-1][1].append(line)
        open_examples += line.count("<example>") - line.count("</example>")
    return [(key, "".join(lines), offset) for key, lines, offset in chunks if key or lines]


def read(fm_text: str, first_line: int, path: str | None) -> tuple[Frontmatter, tuple]:
    """Read frontmatter text whose first line is file line ``first_line``."""
    chunks = chunk(fm_text)
    values, fallback = _read_strict(fm_text, first_line)
    if values is None:
        values, fallback = _read_lenient(chunks, first_line, fallback)
    lines = tuple((key, first_line + offset) for key, _, offset in chunks if key)
    keys = tuple(dict.fromkeys(key for key, _, _ in chunks if key))
    duplicates = tuple(sorted({key for key, _, _ in chunks if key and [k for k, _, _ in chunks].count(key) > 1}))
    fm = build(values, keys=keys, lines=lines, duplicates=duplicates, fallback=fallback)
    return fm, tuple((key, raw) for key, raw, _ in chunks)


def _read_strict(fm_text: str, first_line: int) -> tuple[dict | None, Fallback | None]:
    clean = fm_text.replace("\r\n", "\n")
    try:
        data = _yaml().load(clean)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, Fallback(f"not strict YAML: {problem}", line)
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, Fallback("not strict YAML: the frontmatter is not a mapping", first_line)
    return {str(key): plain(value) for key, value in data.items()}, None


def _read_lenient(chunks, first_line: int, fallback: Fallback | None) -> tuple[dict, Fallback]:
    """Claude Code's lenient reading: each key's value is the rest of its line."""
    values: dict[str, Any] = {}
    reasons = [fallback.reason] if fallback else []
    claude_loads = True
    for key, raw, offset in chunks:
        if key is None:
            continue
        values[key] = _lenient_value(key, raw)
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
    try:
        data = _yaml().load(raw.replace("\r\n", "\n"))
        if isinstance(data, dict) and key in data:
            return plain(data[key])
    except YAMLError:
        pass
    first, *rest = raw.replace("\r\n", "\n").split("\n")
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
    """A Frontmatter from YAML key -> plain value."""
    typed: dict[str, Any] = {}
    extra = []
    for key, value in values.items():
        if key not in FIELDS:
            extra.append((key, value))
        elif key == "description":
            line = dict(meta.get("lines", ())).get("description", 0)
            typed["description"] = None if value is None else parse_description(str(value), line)
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
    """The frontmatter lines (without fences) for ``fm``, reusing raw lines that did not change."""
    newline = layout.newline
    original = layout.original
    present = _present_keys(fm)
    out: list[str] = []
    written: set[str] = set()
    for key, raw in layout.chunks:
        if key is None:
            out.append(raw)
        elif key in present and key not in written:
            same = original is not None and _same(fm, original, key)
            out.append(raw if same else _ensure_newline(format_key(key, fm.get(key), newline), newline))
            written.add(key)
    for key in present:
        if key not in written:
            out.append(_ensure_newline(format_key(key, fm.get(key), newline), newline))
    return "".join(out)


def _ensure_newline(text: str, newline: str) -> str:
    return text if text.endswith(newline) else text + newline


def _present_keys(fm: Frontmatter) -> list[str]:
    keys = list(fm.keys)
    for key in [*FIELDS, *(k for k, _ in fm.extra)]:
        if key not in keys:
            keys.append(key)
    return [key for key in keys if fm.get(key) is not None]


def _same(fm: Frontmatter, original: Frontmatter, key: str) -> bool:
    return fm.get(key) == original.get(key)


def format_key(key: str, value: Any, newline: str = "\n") -> str:
    """One key written so that strict YAML and Claude Code read the same value."""
    if key == "description" and hasattr(value, "text"):
        value = value.text
    if key in LIST_FIELDS and isinstance(value, tuple):
        value = ", ".join(value)
    if isinstance(value, (dict, list, tuple)):
        return _dump_block(key, value).replace("\n", newline)
    return f"{key}: {scalar(value)}{newline}"


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _plain_ok(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for char in "\u0085\u2028\u2029\ufeff":
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def _plain_ok(text: str) -> bool:
    if not PLAIN_SAFE.fullmatch(text) or text.lower() in RESERVED or text != text.strip():
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\\" in text:
        return False
    try:
        return _yaml().load(f"k: {text}\n") == {"k": text}
    except YAMLError:
        return False
