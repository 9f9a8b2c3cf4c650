"""The merge report: for every output item its support and members, for every drop the reason.

The JSON is the machine interface (``--report``); ``summary`` is the line a person reads.
"""

from __future__ import annotations

from typing import Any

from .plural import count
from .sources import Member
from .survivors import Node


def build(paths: list[str], names: list[str | None], base: int, why: str, threshold: float,
          nodes: list[Node], members: list[Member], section_of: dict[int, str | None],
          dropped: dict[int, str], prose: list[dict[str, Any]]) -> dict[str, Any]:
    """The report as plain data; ``dropped`` maps id(node) to why it is not in the output."""
    clusters = []
    for n, node in enumerate(nodes, 1):
        entry: dict[str, Any] = {
            "id": n,
            "section": section_of.get(id(node)),
            "representative": node.text,
            "support": node.support,
            "kept": id(node) not in dropped,
            "members": [_member(members[i], paths) for i in node.members],
        }
        if id(node) in dropped:
            entry["dropped"] = dropped[id(node)]
        clusters.append(entry)
    return {
        "sources": [{"path": path, "name": name} for path, name in zip(paths, names, strict=True)],
        "base": paths[base],
        "base_reason": why,
        "threshold": threshold,
        "clusters": clusters,
        "prose": [{**p, "source": paths[p["source"]]} for p in prose],
    }


def _member(member: Member, paths: list[str]) -> dict[str, Any]:
    return {"source": paths[member.source], "line": member.item.line, "text": member.item.text}


def summary(report: dict[str, Any], items_in: int) -> str:
    """One line: sources, base, items in and out, what was joined and dropped."""
    clusters = report["clusters"]
    kept = [c for c in clusters if c["kept"]]
    repeats = sum(1 for c in clusters if c.get("dropped", "").startswith("said by"))
    absorbed = sum(1 for c in clusters if c.get("dropped", "").startswith("said in other words"))
    unsupported = sum(1 for c in clusters if c.get("dropped", "").startswith("support"))
    prose = sum(1 for p in report["prose"] if not p["kept"])
    parts = [
        f"merged {count(len(report['sources']), 'source')} (base {report['base']}: {report['base_reason']})",
        f"{count(items_in, 'item')} in, {len(kept)} out",
        f"{count(repeats, 'item')} said by a richer one",
        f"{count(absorbed, 'item')} said in other words by one",
        f"{count(prose, 'prose block')} of other sources dropped",
    ]
    if unsupported:
        parts.append(f"{count(unsupported, 'item')} below --min-support")
    return "; ".join(parts)

