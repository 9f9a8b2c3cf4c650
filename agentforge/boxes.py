"""Box diagrams of bullets, read as lists for the merge.

Some collections draw their lists in boxes (rshah515's agents, 90 of 165):

    ┌──────────────────────────────┐
    │ Rails Hotwire Framework      │
    ├──────────────────────────────┤
    │ Turbo Drive:                 │
    │ • Page navigation            │
    │ • Cache-aware navigation     │
    └──────────────────────────────┘

Kept as a picture, such a box is a long illustration the merge drops, and its ideas with it;
read as a list ("Turbo Drive:" over its bullets), each bullet is an item like any other: said
once, joined with what other sources say, never lost. The box's first line is its title,
left out like a picture's caption: it names what the heading above the box names. Boxes drawn
side by side stay a picture.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .body import split_term
from .model import Item, ListBlock, Paragraph

# a row between walls; a broken left wall ("ℂ • Migration testing   │") is still a wall
INSIDE = re.compile(r"^\s*(?:[│┃|]|[^\s\w]|\w(?=\s+[•◦▪‣]))\s?(.*?)\s*[│┃|]\s*$")
DOUBLED = re.compile(r"^[│┃]\s+(?=\S)")  # "│ │ Cleanup and teardown" : a bullet drawn as a wall
WALL = re.compile(r"[│┃]")
BULLET = re.compile(r"^[•◦▪‣*-]\s+(.*\S)")
BULLETS = 3  # bullets a box must hold to be a list
SHARE = 0.8  # share of its lines, the title aside, that are bullets or their labels


def as_list(block: Paragraph) -> ListBlock | None:
    """The box's bullets as a list, each under the ``Label:`` line above it; None for any other
    paragraph."""
    inside = [(block.line + n, DOUBLED.sub("• ", match.group(1))) for n, line in enumerate(block.text.split("\n"))
              if (match := INSIDE.match(line)) and match.group(1).strip()]
    if any(WALL.search(text) for _, text in inside):
        return None  # boxes side by side ("React │ │ • Django"): a picture
    bullets = [text for _, text in inside if BULLET.match(text)]
    labels = [text for _, text in inside[1:] if text.endswith(":")]
    if len(bullets) < BULLETS or len(bullets) + len(labels) < SHARE * len(inside[1:]):
        return None
    roots: list[tuple[Item, list[Item]]] = []
    for n, (line, text) in enumerate(inside):
        bullet = BULLET.match(text)
        if bullet:
            item = _item(bullet.group(1), line, 2 if roots and roots[-1][0].text.endswith(":") else 0)
            if item.indent:
                roots[-1][1].append(item)
            else:
                roots.append((item, []))
        elif text.endswith(":") or n > 0:
            roots.append((_item(text, line, 0), []))
    items = tuple(replace(item, children=tuple(children)) for item, children in roots)
    return ListBlock(items, items[0].line)


def _item(text: str, line: int, indent: int) -> Item:
    term, detail, terms = split_term(text)
    return Item(text, line, "-", indent, term, detail, terms)
