"""The reader and writer on generated files (Hypothesis) and on the cases Claude Code accepts
that the corpus does not show; errors and the ``inspect`` command."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from typer.testing import CliRunner

from agentforge import AgentforgeError, Description, ListBlock, Opaque, Paragraph, dump, dumps, load, loads
from agentforge.cli import app
from agentforge.errors import WriteError
from agentforge.frontmatter import build, comparable, plain, split
from agentforge.model import all_items, walk_sections
from agentforge.show import to_data

# Generated YAML reuses anchors (`&x` twice), which ruamel warns about and reads anyway.
pytestmark = pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
# Examples a test: the profile's (tests/conftest.py; HYPOTHESIS_PROFILE=thorough for more).
SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])


def test_hypothesis_runs_at_most_100_examples_a_test_unless_asked_for_more():
    profile = os.environ.get("HYPOTHESIS_PROFILE", "quick")
    assert (settings.get_profile(profile).max_examples <= 100) == (profile == "quick")
    assert SETTINGS.max_examples == settings.default.max_examples


def _strict(fm_text: str) -> dict[str, Any] | None:
    """The frontmatter as ruamel reads it in strict mode, or None when it is not strict YAML."""
    try:
        data = YAML(typ="rt").load(io.StringIO(fm_text.replace("\r\n", "\n")))
    except (YAMLError, ValueError, IndexError):  # ruamel raises the last two on `._` and `-_`
        return None
    if data is None:
        return {}
    return {str(key): plain(value) for key, value in data.items()} if isinstance(data, dict) else None


def _values(fm) -> dict[str, Any]:
    return {key: comparable(fm.get(key)) for key in fm.keys}


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    return _values(build(values))


def _fm_text(text: str) -> str:
    return split(text.removeprefix("\ufeff"))[1]


def _fresh(agent):
    """The agent with every frontmatter key to be written afresh."""
    return dataclasses.replace(agent, layout=dataclasses.replace(agent.layout, original=None))


# ---- generated frontmatter ---------------------------------------------------------------

WORD = st.from_regex(r"[a-zA-Z][a-zA-Z0-9_-]{0,7}", fullmatch=True)
TEXT = st.lists(
    st.sampled_from(list("abcxyz ABC019-_.,:;#'\"\\/*&!?{}[]()<>|%@`~=+é中") + ["\\n", ": ", " #", "{{ x }}"]),
    max_size=20,
).map("".join)
KEYS = ["name", "description", "tools", "model", "color", "maxTurns", "category", "x-note", "initialPrompt"]


def _plain(text: str) -> str:
    return text


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@st.composite
def scalar_values(draw, key: str) -> str:
    """The text after ``key:``, in one of YAML's styles (valid YAML or not)."""
    text = draw(TEXT)
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded", "comment", "unindented"]))
    if style == "unindented":  # continuation lines at column 0, as in contains-studio's agents
        return f"{text.strip()}\n<example>\nContext: {draw(WORD)}\nuser: \"{draw(WORD)}\"\n</example>\n"
    if style in ("literal", "folded"):
        lines = draw(st.lists(TEXT.filter(lambda t: t.strip()), min_size=1, max_size=3))
        indicator = ("|" if style == "literal" else ">") + draw(st.sampled_from(["", "-", "+"]))
        return indicator + "\n" + "".join(f"  {line.strip()}\n" for line in lines)
    if style == "comment":
        return draw(WORD) + " # " + text.replace("\n", " ") + "\n"
    render = {"plain": _plain, "single": _single, "double": _double}[style]
    return render(text) + "\n"


@st.composite
def tools_values(draw) -> str:
    names = draw(st.lists(st.sampled_from(["Read", "Grep", "Agent(a, b)", "mcp__srv__*", "Bash(git:*)", "*"]),
                          max_size=4))
    style = draw(st.sampled_from(["comma", "flow", "block", "block-indented"]))
    if style == "comma":
        return ", ".join(names) + "\n"
    if style == "flow":
        return "[" + ", ".join(_double(name) for name in names) + "]\n"
    indent = "  " if style == "block-indented" else ""
    return "\n" + "".join(f"{indent}- {_double(name)}\n" for name in names)


@st.composite
def frontmatters(draw) -> str:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=len(KEYS)))
    if keys and draw(st.integers(0, 9)) == 0:
        keys.append(draw(st.sampled_from(keys)))  # a duplicate key
    out = []
    for key in keys:
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(["# a comment\n", "\n", "#: not a key\n"])))
        value = draw(tools_values()) if key == "tools" else draw(scalar_values(key))
        value = value[:-1] + draw(st.sampled_from(["", "", " ", "  ", "\t"])) + "\n"  # trailing spaces
        out.append(f"{key}:{'' if value.startswith(chr(10)) else ' '}{value}")
    return "".join(out)


# ---- generated bodies --------------------------------------------------------------------


@dataclass
class Doc:
    """A generated body and what it holds: (body line, marker, first line of text) per item."""

    lines: list[str] = field(default_factory=list)
    items: list[tuple[int, str, str]] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)


ITEM_TEXT = st.one_of(
    st.lists(WORD, min_size=1, max_size=5).map(" ".join),
    st.tuples(WORD, st.lists(WORD, min_size=1, max_size=3)).map(lambda t: f"**{t[0]}**: {' '.join(t[1])}"),
    st.tuples(WORD, st.lists(WORD, min_size=2, max_size=4)).map(lambda t: f"{t[0]}: {', '.join(t[1])}"),
)
MARKERS = st.sampled_from(["-", "*", "+", "1.", "2)"])
FENCE_LINES = st.lists(st.sampled_from(["- not an item", "* nor this", "1. nor this", "# nor a heading",
                                        "  - indented", "code()", "", "**Label:**"]), max_size=4)


@st.composite
def list_block(draw, doc: Doc, indent: str = "", depth: int = 0) -> None:
    marker = draw(MARKERS)
    for _ in range(draw(st.integers(1, 3))):
        text = draw(ITEM_TEXT)
        trailing = draw(st.sampled_from(["", " ", "  "]))
        doc.items.append((len(doc.lines), marker, text))
        doc.add(f"{indent}{marker} {text}{trailing}")
        child_indent = indent + draw(st.sampled_from(["  ", "   ", "    ", "\t"]))
        if draw(st.integers(0, 4)) == 0:
            doc.add(f"{child_indent}{' '.join(draw(st.lists(WORD, min_size=1, max_size=3)))}")
        if depth < 2 and draw(st.integers(0, 2)) == 0:
            if draw(st.booleans()):
                doc.add("")
            draw(list_block(doc, child_indent, depth + 1))
        if depth < 2 and draw(st.integers(0, 8)) == 0:
            fence = draw(st.sampled_from(["```", "~~~", "````"]))
            doc.add(f"{child_indent}{fence}python", *(child_indent + line for line in draw(FENCE_LINES)),
                    f"{child_indent}{fence}")


@st.composite
def bodies(draw) -> Doc:
    doc = Doc()
    for _ in range(draw(st.integers(0, 8))):
        if doc.lines:
            doc.add(*[""] * draw(st.integers(1, 2)))
        kind = draw(st.sampled_from(["heading", "bold", "label", "paragraph", "list", "fence", "table",
                                     "comment", "rule"]))
        if kind == "heading":
            doc.add(f"{'#' * draw(st.integers(1, 6))} {' '.join(draw(st.lists(WORD, min_size=1, max_size=3)))}")
        elif kind == "bold":
            doc.add(draw(st.sampled_from(["**{}:**", "**{}**:"])).format(draw(WORD)))
        elif kind == "label":
            doc.add(f"{draw(WORD)} {draw(WORD)}:")
            draw(list_block(doc))
        elif kind == "paragraph":
            words = draw(st.lists(WORD, min_size=1, max_size=6))
            doc.add(" ".join(words), *(["then more text"] if draw(st.booleans()) else []))
        elif kind == "list":
            draw(list_block(doc))
        elif kind == "fence":
            fence = draw(st.sampled_from(["```", "~~~", "````"]))
            doc.add(f"{fence}{draw(st.sampled_from(['', 'md', 'yaml']))}", *draw(FENCE_LINES), fence)
        elif kind == "table":
            doc.add("| a | b |", "|---|---|", "| - x | 1. y |")
        elif kind == "comment":
            doc.add(*draw(st.sampled_from([["<!-- a comment -->"], ["<!--", "- hidden item", "-->"]])))
        else:
            doc.add(draw(st.sampled_from(["---", "***", "___", "* * *", "- - -"])))
    return doc


# Fence lines Claude Code reads: '---' with whitespace after it, and a closing line of more dashes.
OPENINGS = ["---\n", "---  \n"]
CLOSINGS = ["---\n", "---  \n", "---\t\n", "----\n", "-" * 56 + "\n", "------ \n"]


@st.composite
def documents(draw) -> tuple[str, Doc, int]:
    """A whole agent file, its body and the file line of the body's first line."""
    fm = draw(frontmatters())
    doc = draw(bodies())
    opening = draw(st.sampled_from(OPENINGS))
    closing = draw(st.sampled_from(CLOSINGS))
    body = "\n".join(doc.lines)
    if doc.lines and draw(st.booleans()):
        body += "\n"
    text = opening + fm + closing + body
    endings = draw(st.sampled_from(["lf", "crlf", "crlf-frontmatter-only"]))
    if endings == "crlf":
        text = text.replace("\n", "\r\n")
    elif endings == "crlf-frontmatter-only":
        head = opening + fm + closing
        text = head.replace("\n", "\r\n") + text[len(head) :]
    if draw(st.integers(0, 4)) == 0:
        text = "\ufeff" + text
    if not doc.lines and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text, doc, 2 + fm.count("\n") + 1


@SETTINGS
@given(documents())
def test_generated_files_round_trip(case):
    text, _, _ = case
    assert dumps(loads(text)) == text


@SETTINGS
@given(documents())
def test_every_list_item_is_found_on_its_line(case):
    text, doc, body_line = case
    agent = loads(text)
    found = [(item.line, item.marker, item.text.split("\n")[0]) for item in all_items(agent.body)]
    assert found == [(body_line + index, marker, item) for index, marker, item in doc.items]


@SETTINGS
@given(documents())
def test_strict_yaml_reads_what_agentforge_reads(case):
    text, _, _ = case
    agent = loads(text)
    strict = _strict(_fm_text(text))
    if agent.frontmatter.fallback is None:
        assert strict is not None
        assert _typed(strict) == _values(agent.frontmatter)
    else:
        assert strict is None or agent.frontmatter.fallback.reason.endswith("not a mapping")


@SETTINGS
@given(documents())
def test_rewritten_frontmatter_is_strict_yaml_with_the_same_values(case):
    text, _, _ = case
    agent = loads(text)
    again = dumps(_fresh(agent))
    strict = _strict(_fm_text(again))
    assert strict is not None
    meant = {key: value for key, value in _values(agent.frontmatter).items() if value is not None}
    assert _typed(strict) == meant  # written afresh, a null key is left out
    assert _values(loads(again).frontmatter) == meant


# Read leniently (strict YAML fails on `name: '`), model is `'a`; once `name` is rewritten the
# text is strict YAML, where `'a` ... `initialPrompt: '` would be one single-quoted scalar, so
# `model` is written afresh too.
LENIENT_TURNED_STRICT = ("\ufeff---\ndescription:\nname: '\nmodel: 'a\ntools:\ncolor:\nmaxTurns:\ncategory:\n"
                         "x-note:\ninitialPrompt: '#'\n---\n")


@SETTINGS
@given(documents(), st.sampled_from(["name", "description", "model", "category"]))
@example((LENIENT_TURNED_STRICT, None, None), "name")
def test_changing_one_key_rewrites_only_its_own_lines(case, key):
    text, _, _ = case
    agent = loads(text)
    if agent.frontmatter.duplicate_keys:
        return
    attr = "description" if key == "description" else key
    value = Description(text="new: value") if key == "description" else "new: value"
    if key == "category":  # an unknown key lives in `extra`
        extra = tuple({**dict(agent.frontmatter.extra), "category": "new: value"}.items())
        changed = dataclasses.replace(agent.frontmatter, extra=extra)
    else:
        changed = dataclasses.replace(agent.frontmatter, **{attr: value})
    after = dumps(dataclasses.replace(agent, frontmatter=changed))
    meant = {**_values(agent.frontmatter), key: "new: value"}
    assert _values(loads(after).frontmatter) == meant
    # Other keys are rewritten only when the file was read leniently and their raw lines would
    # now read otherwise (strict YAML takes `'a` to the next quote); each such key is needed.
    prefix = ("\ufeff" if agent.layout.bom else "") + agent.layout.opening
    lines = _lines(_fm_text(after))
    suffix = after[len(prefix) + len("".join(lines)) :]
    others = _rewritten_lines(agent, lines, key)
    assert not others or agent.frontmatter.fallback is not None
    for index, other, own in others:
        restored = prefix + "".join([*lines[:index], *own, *lines[index + 1 :]]) + suffix
        assert comparable(loads(restored).frontmatter.get(other)) != meant[other]


def _lines(text: str) -> list[str]:
    """Lines with their endings, split on '\\n' only (as the reader does)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _rewritten_lines(agent, lines: list[str], key: str) -> list[tuple[int, str, list[str]]]:
    """Check the written frontmatter lines chunk by chunk: raw lines kept, ``key`` on one new line
    (its trailing comments kept), any other key rewritten on one line. The other keys rewritten,
    as (line index, key, own lines)."""
    newline, at, others = agent.layout.newline, 0, []
    for chunk_key, raw in agent.layout.chunks:
        raw_lines = _lines(raw)
        if chunk_key != key and lines[at : at + len(raw_lines)] == raw_lines:
            at += len(raw_lines)
            continue
        assert chunk_key is not None
        own = _own_lines(agent, chunk_key)
        if chunk_key == key:
            assert lines[at] == f'{key}: "new: value"{newline}'
        else:
            assert lines[at].startswith(f"{chunk_key}: ") and lines[at].endswith(newline)
            others.append((at, chunk_key, own))
        tail = raw_lines[len(own) :]
        assert lines[at + 1 : at + 1 + len(tail)] == tail
        at += 1 + len(tail)
    added = [] if key in agent.frontmatter.keys else [f'{key}: "new: value"{newline}']
    assert lines[at:] == added
    return others


def _own_lines(agent, key: str) -> list[str]:
    """A key's lines without the blank and comment lines that end its chunk (they stay)."""
    for chunk_key, raw in agent.layout.chunks:
        if chunk_key == key:
            lines = _lines(raw)
            while len(lines) > 1 and (not lines[-1].strip() or lines[-1].startswith("#")):
                lines.pop()
            return lines
    return []


@SETTINGS
@given(st.text(st.sampled_from(list("-:#\n\r\t \"'|>*&![]{}ab\x00\x85\u2028\ufeff")), max_size=60))
def test_any_text_loads_or_raises_an_agentforge_error(text):
    try:
        agent = loads("---\n" + text)
    except AgentforgeError:
        return
    assert dumps(agent) == "---\n" + text


YAML_LINES = ["name: a", "<<: *x", "base: &x {b: 1}", "? [a, b]", ": c", "!!omap", "- name: a", "tools: *",
              "description: ._", "description: -_", "  - x", "{a: 1,", "b: 2}", "'q': 1", '"k": v', "x: |",
              "  block", "...", "# c", "", "\t", "a: b: c", "&m", "*m", "model: !!binary aGVsbG8=", "x: 2024-01-01",
              "maxTurns: 0x1F", "color: .inf", "name: a\rb", "k: \"x\u0085y\"", "<example>", "user: hi", "?"]


@SETTINGS
@given(st.lists(st.sampled_from(YAML_LINES), max_size=8))
def test_odd_yaml_loads_round_trips_and_takes_a_new_name(lines):
    text = "---\n" + "".join(line + "\n" for line in lines) + "---\n"
    try:
        agent = loads(text)
    except AgentforgeError:
        return
    assert dumps(agent) == text
    json.dumps(to_data(agent), allow_nan=False)  # what `inspect --json` prints is valid JSON
    renamed = dataclasses.replace(agent, frontmatter=dataclasses.replace(agent.frontmatter, name="zed"))
    again = loads(dumps(renamed)).frontmatter
    assert again.name == "zed"
    before = {**_values(agent.frontmatter), "name": "zed"}
    after = _values(again)
    fallback = agent.frontmatter.fallback
    if fallback is None or fallback.claude_loads:  # else the lenient reading is a best guess
        assert {key: after.get(key) for key in before} == before
    if fallback is None:
        assert after == before
    # A lenient reading skips YAML that is no key's value (a stray `?` line); once the rest is
    # strict YAML, a strict reading may find more keys there.


# ---- bodies: the model, by example -------------------------------------------------------

BODY = """\
---
name: a
---
Intro line.

## Skills

- **Python**: pandas, numpy, and scipy
  - nested one
    - deeper
* star item
+ plus item

```md
- not an item
```

**Rules:**
1. first
2) second

Checklist:
- done

<!--
- hidden
-->

| a | b |
|---|---|

***
"""


def test_body_tree_sections_items_terms_and_opaque_blocks():
    agent = loads(BODY)
    sections = walk_sections(agent.body)
    assert [(s.title, s.style, s.line) for s in sections] == [
        ("Skills", "heading", 6), ("Rules", "bold", 18), ("Checklist", "label", 22)]
    assert [(i.line, i.marker, i.text) for i in all_items(agent.body)] == [
        (8, "-", "**Python**: pandas, numpy, and scipy"), (9, "-", "nested one"), (10, "-", "deeper"),
        (11, "*", "star item"), (12, "+", "plus item"), (19, "1.", "first"), (20, "2)", "second"),
        (23, "-", "done")]
    python = all_items(agent.body)[0]
    assert (python.term, python.detail, python.terms) == ("Python", "pandas, numpy, and scipy",
                                                          ("pandas", "numpy", "scipy"))
    assert [child.text for child in python.children] == ["nested one"]
    assert python.children[0].children[0].text == "deeper"
    assert agent.body.intro == (Paragraph("Intro line.", 4),)
    kinds = [(b.kind, b.line) for s in sections for b in s.blocks if isinstance(b, Opaque)]
    assert kinds == [("code", 14), ("html", 25), ("table", 29), ("rule", 32)]


def test_a_label_may_name_a_thing_with_a_dot_in_it():
    """VoltAgent's javascript-pro heads a list "Node.js expertise:"; read as a paragraph of the
    section before it, the merge labelled another source's list with it. A dot inside a word
    is part of a name; a dot that ends a sentence, or one in code (a path, a tool), is no label."""
    agent = loads("---\nname: a\n---\nPerformance:\n- Memory leak prevention\n\nNode.js expertise:\n"
                  "- Stream API patterns\n\nASP.NET Core:\n- Minimal APIs\n\nDone. Next:\n- a step\n\n"
                  "Write `.claude/report.md`:\n- a line\n\nUse `microsoft.docs.mcp` for:\n- a lookup\n")
    assert [s.title for s in walk_sections(agent.body)] == ["Performance", "Node.js expertise", "ASP.NET Core"]
    assert dumps(agent) == "---\nname: a\n---\nPerformance:\n- Memory leak prevention\n\nNode.js expertise:\n" \
        "- Stream API patterns\n\nASP.NET Core:\n- Minimal APIs\n\nDone. Next:\n- a step\n\n" \
        "Write `.claude/report.md`:\n- a line\n\nUse `microsoft.docs.mcp` for:\n- a lookup\n"


def test_star_rule_and_star_items():
    agent = loads("---\nname: a\n---\n* one\n* two\n\n***\n\n* three\n* * *\n")
    assert [(i.line, i.text) for i in all_items(agent.body)] == [(4, "one"), (5, "two"), (9, "three")]
    assert [type(b).__name__ for b in agent.body.intro] == ["ListBlock", "Opaque", "ListBlock", "Opaque"]


def test_tab_indented_items_nest():
    agent = loads("---\nname: a\n---\n- a\n\t- b\n\t\t- c\n- d\n")
    (block,) = agent.body.intro
    assert isinstance(block, ListBlock)
    assert [i.text for i in block.items] == ["a", "d"]
    assert block.items[0].children[0].children[0].text == "c"


def test_numbered_items_with_parenthesis():
    agent = loads("---\nname: a\n---\n1) one\n2) two\n")
    (block,) = agent.body.intro
    assert block.ordered and [(i.marker, i.text) for i in block.items] == [("1)", "one"), ("2)", "two")]


def test_a_detail_that_introduces_a_list_is_not_an_enumeration():
    agent = loads("---\nname: a\n---\n1. **Ask first**: Before coding, ask about:\n   - scale\n")
    item = all_items(agent.body)[0]
    assert (item.term, item.terms) == ("Ask first", ())


def test_semicolons_separate_enumerated_terms():
    agent = loads("---\nname: a\n---\n- **Languages**: Java, Go; working knowledge of C++, Scala\n")
    assert all_items(agent.body)[0].terms == ("Java", "Go", "working knowledge of C++", "Scala")


def test_an_indented_html_comment_ends_a_list_and_hides_its_lines():
    agent = loads("---\nname: a\n---\n- a\n  <!--\n  - hidden\n  -->\n- b\n")
    assert [i.text for i in all_items(agent.body)] == ["a", "b"]


# ---- frontmatter Claude Code accepts that the corpus does not show -----------------------


def test_unindented_continuation_is_read_but_claude_would_reject_it():
    text = ("---\nname: a\ndescription: Use it. Examples:\n<example>\nContext: c\nuser: \"hi\"\n"
            "assistant: \"ok\"\n</example>\nmodel: sonnet\n---\n")
    agent = loads(text)
    fm = agent.frontmatter
    assert fm.keys == ("name", "description", "model") and fm.model == "sonnet"
    assert fm.fallback.claude_loads is False
    assert "line 4 continues 'description' without indentation" in fm.fallback.reason
    (example,) = fm.description.examples
    assert (example.context, example.user, example.assistant) == ("c", "hi", "ok")
    assert dumps(agent) == text


def test_tools_star_is_all_tools():
    fm = loads("---\nname: a\ntools: *\n---\n").frontmatter
    assert fm.tools == ("*",) and fm.fallback.claude_loads
    assert "alphabetic or numeric" in fm.fallback.reason


def test_description_starting_with_bold_is_text_not_an_alias():
    fm = loads("---\nname: a\ndescription: **BOLD**: use it\n---\n").frontmatter
    assert fm.description.text == "**BOLD**: use it"
    assert "alias" in fm.fallback.reason and fm.fallback.claude_loads


def test_double_quoted_description_with_escaped_backslash_n_keeps_two_characters():
    fm = loads('---\nname: a\ndescription: "One.\\\\nTwo: <example>user: hi</example>"\n---\n').frontmatter
    assert fm.fallback is None
    assert fm.description.text == "One.\\nTwo: <example>user: hi</example>"
    assert fm.description.examples[0].user == "hi"


def test_duplicate_keys_take_the_last_value_and_round_trip():
    text = "---\nname: first\nname: second\ndescription: d\n---\n"
    agent = loads(text)
    assert agent.frontmatter.name == "second" and agent.frontmatter.duplicate_keys == ("name",)
    assert "duplicate key" in agent.frontmatter.fallback.reason
    assert dumps(agent) == text
    renamed = dataclasses.replace(agent.frontmatter, name="third")
    assert dumps(dataclasses.replace(agent, frontmatter=renamed)) == "---\nname: third\ndescription: d\n---\n"


def test_empty_frontmatter():
    agent = loads("---\n---\nBody.\n")
    assert agent.frontmatter.keys == () and agent.frontmatter.fallback is None
    assert agent.body.line == 3 and dumps(agent) == "---\n---\nBody.\n"


@pytest.mark.parametrize("fm", ["- a\n- b\n", "just text\n", "[a, b]\n"])
def test_frontmatter_that_is_not_a_mapping(fm):
    agent = loads(f"---\n{fm}---\n")
    assert agent.frontmatter.keys == () and agent.frontmatter.name is None
    assert agent.frontmatter.fallback.reason.endswith("not a mapping")
    assert dumps(agent) == f"---\n{fm}---\n"


def test_fences_followed_by_spaces():
    text = "---   \nname: a\n---\t \nBody"
    agent = loads(text)
    assert agent.frontmatter.name == "a" and agent.body.text == "Body" and dumps(agent) == text


LONG_CLOSING = "-" * 56
REGULAR = "---\nname: api-designer\ndescription: Designs APIs.\ntools: Read, Grep\n---\n\nYou design APIs.\n"


def test_a_closing_line_of_56_dashes_loads_the_same_values_and_round_trips():
    text = REGULAR.replace("\n---\n", f"\n{LONG_CLOSING}\n")
    agent, regular = loads(text), loads(REGULAR)
    assert _values(agent.frontmatter) == _values(regular.frontmatter)
    assert agent.frontmatter.tools == ("Read", "Grep") and agent.frontmatter.fallback is None
    assert (agent.body.text, agent.body.line) == (regular.body.text, regular.body.line)
    assert agent.layout.closing == LONG_CLOSING + "\n"
    assert dumps(agent) == text


def test_a_changed_value_keeps_the_long_closing_line():
    agent = loads(REGULAR.replace("\n---\n", f"\n{LONG_CLOSING}\n"))
    renamed = dumps(dataclasses.replace(agent, frontmatter=dataclasses.replace(agent.frontmatter, name="b-c")))
    assert renamed == REGULAR.replace("api-designer", "b-c").replace("\n---\n", f"\n{LONG_CLOSING}\n")


@SETTINGS
@given(documents(), st.integers(3, 80), st.sampled_from(["", " ", " \t"]))
def test_any_closing_line_of_dashes_reads_like_three(case, dashes, space):
    text, _, _ = case
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    opening, fm_text, closing, body = split(text.removeprefix("\ufeff"))
    ending = closing[len(closing.rstrip("\r\n")) :]
    odd = bom + opening + fm_text + "-" * dashes + space + ending + body
    plain_text = bom + opening + fm_text + "---" + ending + body
    agent, regular = loads(odd), loads(plain_text)
    assert _values(agent.frontmatter) == _values(regular.frontmatter)
    assert agent.body.text == regular.body.text
    assert dumps(agent) == odd


def test_crlf_with_colon_in_a_plain_value_is_flagged():
    fm = loads("---\r\nname: a\r\ndescription: x: y\r\n---\r\n").frontmatter
    assert fm.description.text == "x: y" and fm.fallback.claude_loads is False


def test_crlf_block_scalar_key_is_a_key():
    text = "---\r\nname: a\r\ndescription:\r\n  text here\r\n---\r\n"
    agent = loads(text)
    assert agent.frontmatter.keys == ("name", "description")
    assert dumps(agent) == text


def test_a_key_after_an_unclosed_example_in_a_block_scalar_is_a_key():
    text = "---\nname: a\ndescription: |\n  see <example>\nmodel: sonnet\n---\n"
    agent = loads(text)
    assert agent.frontmatter.line_of("model") == 5
    assert dumps(agent) == text
    changed = dumps(dataclasses.replace(agent, frontmatter=dataclasses.replace(agent.frontmatter, name="b")))
    assert changed == text.replace("name: a", "name: b")


def test_null_values_and_quoted_keys_round_trip():
    for text in ["---\nname: a\nmodel:\ncolor: ~\n---\n", "---\n\"name\": a\n'model': sonnet\n---\n",
                 "---\nname: a\n1: x\n---\n", "---\n{name: a, model: sonnet}\n---\n"]:
        agent = loads(text)
        assert agent.frontmatter.name == "a"
        assert dumps(agent) == text


def test_changing_a_key_of_a_flow_mapping_rewrites_it_as_block():
    agent = loads("---\n{name: a, model: sonnet}\n---\n")
    renamed = dataclasses.replace(agent.frontmatter, name="b")
    assert dumps(dataclasses.replace(agent, frontmatter=renamed)) == "---\nname: b\nmodel: sonnet\n---\n"


def test_a_changed_key_keeps_the_comments_that_follow_it():
    agent = loads("---\nname: a\n# the tools\n\ntools: Read\n---\n")
    renamed = dataclasses.replace(agent.frontmatter, name="b", tools=("Read", "Agent(x, y)"))
    assert dumps(dataclasses.replace(agent, frontmatter=renamed)) == (
        "---\nname: b\n# the tools\n\ntools: Read, Agent(x, y)\n---\n")


def test_a_tools_list_stays_a_list():
    agent = loads("---\nname: a\ntools: [Read]\ndisallowedTools:\n  - Bash\n---\n")
    changed = dataclasses.replace(agent.frontmatter, tools=("Read", "Agent(a, b)"), disallowed_tools=("*",))
    text = dumps(dataclasses.replace(agent, frontmatter=changed))
    assert text == "---\nname: a\ntools: [Read, \"Agent(a, b)\"]\ndisallowedTools:\n- '*'\n---\n"
    assert loads(text).frontmatter.tools == ("Read", "Agent(a, b)")


@pytest.mark.parametrize("value", ["yes", "123", "a: b", "#x", "- x", " lead", "tail ", "x\x7fy", "x\x85y",
                                   "line\u2028sep", "\ufeffbom", "[x]", "*alias", "&anchor", "@at", "%p", "null"])
def test_changed_values_are_written_so_strict_yaml_reads_them(value):
    agent = loads("---\nname: a\nmodel: sonnet\n---\n")
    text = dumps(dataclasses.replace(agent, frontmatter=dataclasses.replace(agent.frontmatter, model=value)))
    assert text.count("\n") == 4
    assert _strict(_fm_text(text))["model"] == value
    assert loads(text).frontmatter.model == value


# ---- descriptions --------------------------------------------------------------------------


def test_examples_in_a_block_scalar_know_their_lines():
    text = ("---\nname: a\ndescription: |\n  Use it.\n  <example>\n  Context: c\n  user: \"u\"\n"
            "  assistant: \"a\" <agent call>\n  <commentary>why</commentary>\n  </example>\n"
            "  <example>\n  user: two\n  </example>\n---\n")
    description = loads(text).frontmatter.description
    assert description.prose == "Use it."
    first, second = description.examples
    assert (first.context, first.user, first.assistant, first.commentary) == ("c", "u", "a <agent call>", "why")
    assert (first.line, second.line) == (5, 11)


def test_examples_in_a_one_line_double_quoted_description_are_on_its_line():
    text = '---\nname: a\ndescription: "x\\n<example>user: a</example>\\n<example>user: b</example>"\n---\n'
    assert [e.line for e in loads(text).frontmatter.description.examples] == [3, 3]


def test_user_request_tags_and_agent_lines():
    description = loads(
        "---\nname: a\ndescription: |\n  <example><user_request>Fix CI</user_request>"
        "<commentary>c</commentary></example>\n  <example>\n  User: explore\n  Agent: maps the code\n"
        "  </example>\n---\n").frontmatter.description
    assert [(e.user, e.assistant) for e in description.examples] == [("Fix CI", ""), ("explore", "maps the code")]


# ---- errors and the command line ---------------------------------------------------------

BAD = {
    "not-utf8.md": (b"---\nname: a\ndescription: caf\xe9\n---\n", 3, "not UTF-8 (byte 0xe9)"),
    "no-frontmatter.md": (b"# Just a README\n", 1, "no frontmatter"),
    "unterminated.md": (b"---\nname: a\ndescription: d\n", 1, "unterminated frontmatter"),
    # Two dashes and spaced dashes close nothing, for Claude Code either.
    "no-closing-line.md": (b"---\nname: a\ndescription: d\n--\n- - -\nBody\n", 1,
                           "unterminated frontmatter: no closing '---' line"),
    # Claude Code opens frontmatter only with '---' (and whitespace).
    "long-opening.md": (b"-----\nname: a\ndescription: d\n---\n", 1, "a line of 5 dashes"),
    "empty.md": (b"", 1, "no frontmatter"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_unreadable_files_raise_an_error_with_path_and_line(tmp_path: Path, name: str):
    data, line, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(AgentforgeError) as caught:
        load(tmp_path / name)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / name), line)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{tmp_path / name}:{line}: ")


@pytest.mark.parametrize("name", sorted(BAD))
def test_inspect_reports_unreadable_files_in_one_line(tmp_path: Path, name: str):
    data, line, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / name)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert f"{tmp_path / name}:{line}: " in result.output and message in result.output


def test_inspect_a_missing_file(tmp_path: Path):
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "nope.md")])
    assert result.exit_code == 1 and "Traceback" not in result.output and "nope.md" in result.output


def test_inspect_json_is_the_model(sources_dir: Path):
    path = sources_dir / "backend-specialist.md"
    result = CliRunner().invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["frontmatter"]["name"] == "backend-specialist"
    assert len(data["frontmatter"]["description"]["examples"]) == 4
    assert data["body"]["sections"][0]["title"] == "Core Competencies"


def test_inspect_tree_shows_sections_and_lines(sources_dir: Path):
    result = CliRunner().invoke(app, ["inspect", str(sources_dir / "backend-developer.md")])
    assert result.exit_code == 0
    assert "frontmatter: lenient reading (not strict YAML: mapping values are not allowed here)" in result.output
    assert "§ Architecture & Design  (bold, line 12)" in result.output


def test_description_setter_accepts_a_bare_description():
    agent = loads("---\nname: a\ndescription: old\n---\n")
    new = dataclasses.replace(agent.frontmatter, description=Description(text="new: text"))
    assert dumps(dataclasses.replace(agent, frontmatter=new)) == '---\nname: a\ndescription: "new: text"\n---\n'


def test_dump_writes_a_changed_description_and_reads_it_back(tmp_path: Path):
    agent = loads("---\nname: a\ndescription: old\n---\nBody.\n")
    text = "Use it: <example>user: hi</example>"
    new = dataclasses.replace(agent.frontmatter, description=Description(text=text))
    dump(dataclasses.replace(agent, frontmatter=new), tmp_path / "a.md")
    again = load(tmp_path / "a.md")
    assert again.frontmatter.description.text == text
    assert again.frontmatter.description.examples[0].user == "hi"


def test_dump_refuses_a_value_that_would_not_read_back(tmp_path: Path):
    agent = loads("---\nname: a\ntools: Read\n---\n")
    bad = dataclasses.replace(agent.frontmatter, tools=("Read,Write",))
    with pytest.raises(WriteError, match="'tools' would change"):
        dump(dataclasses.replace(agent, frontmatter=bad), tmp_path / "a.md")
    assert not (tmp_path / "a.md").exists()


def test_a_label_with_a_dotted_name_in_code_is_a_label_unless_the_dot_is_in_the_code():
    agent = loads("---\nname: a\n---\nUsing `Next` with Node.js:\n- App Router\n\nUse `microsoft.docs.mcp` for:\n- lookups\n")
    assert [s.title for s in walk_sections(agent.body)] == ["Using `Next` with Node.js"]
