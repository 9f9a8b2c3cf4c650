"""The merge checks itself: every source item is said by an item of the written agent.

Each member maps to the text that stands for it (its node's survivor, or the richer item that
says it again); the check reads the merged body back and refuses the merge, naming the
source file and line, when that text is not among the agent's items. Items the user asked to
drop (``--min-support``) are not checked.
"""

from __future__ import annotations

import re

from .errors import WriteError
from .model import Body, all_items
from .sources import Member


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check(body: Body, members: list[Member], said_by: dict[int, str], paths: list[str]) -> None:
    """Raise naming the first source item whose text does not stand in ``body``."""
    written = {_flat(item.text) for item in all_items(body)}
    whole = _flat(body.text)
    for i, said in sorted(said_by.items()):
        flat = _flat(said)
        if flat not in written and flat not in whole:
            member = members[i]
            raise WriteError(
                f"the merge would lose this item (refused): {member.item.text[:80]}",
                paths[member.source], member.item.line,
            )
