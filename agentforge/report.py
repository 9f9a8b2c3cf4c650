"""The merge report: for every output item its support and members, for every drop the reason.

The JSON is the machine interface (``--report``); ``summary`` is the line a person reads.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import rules
from .conflicts import Conflict
from .fields import claude_tools, foreign, kebab, model_family, model_vote, named_tools, unknown_tools
from .model import Description, Frontmatter
from .outline import OutList, Part
from .plural import count
from .show import shorten
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


def conflicts(found: list[Conflict], nodes: list[Node], members: list[Member], paths: list[str]) -> list[dict[str, Any]]:
    """Each possible conflict: the name, the line that advises against it and the line of other
    sources that recommends it, each with its cluster id, source file and line."""
    ids = {id(node): n for n, node in enumerate(nodes, 1)}

    def side(node: Node) -> dict[str, Any]:
        return {"cluster": ids[id(node)], "text": node.text, **_member(members[node.anchor], paths)}

    return [{"name": c.word, "against": side(c.against), "recommends": side(c.recommends)} for c in found]


def disagreements(found: list[tuple[int, int, tuple[list[str], list[str]]]], nodes: list[Node],
                  node_of: list[Node], members: list[Member], paths: list[str]) -> list[dict[str, Any]]:
    """Each pair of lines two revisions of one file wrote in one place naming different things,
    both kept (``found``: the earlier's member, the later's, the names only each says): each
    line's text, names, cluster id, source file and line (davila7's "PEP 8 compliance with ruff
    format and ruff check" where VoltAgent's python-pro says "PEP 8 compliance with black
    formatting")."""
    ids = {id(node): n for n, node in enumerate(nodes, 1)}

    def side(member: int, names: list[str]) -> dict[str, Any]:
        return {"cluster": ids[id(node_of[member])], **_member(members[member], paths), "names": names}

    return [{"earlier": side(earlier, mine), "later": side(later, theirs)} for earlier, later, (mine, theirs) in found]


def conflict_lines(report: dict[str, Any]) -> list[str]:
    """A line a possible conflict: ``conflict NAME: FILE:LINE "..." / FILE:LINE "..."``."""
    def where(side: dict[str, Any]) -> str:
        return f'{side["source"]}:{side["line"]} "{shorten(side["text"], 60)}"'

    return [f"possible conflict over {c['name']}: {where(c['against'])} / {where(c['recommends'])}"
            for c in report.get("conflicts", [])] + \
        [f"revisions disagree, {', '.join(d['earlier']['names'])} or {', '.join(d['later']['names'])}: "
         f"{where(d['earlier'])} / {where(d['later'])}" for d in report.get("disagreements", [])]


def summary(report: dict[str, Any], items_in: int) -> str:
    """Sources, base, items in and out, what was joined and dropped (one line); then a line
    for each possible conflict between sources."""
    clusters = report["clusters"]
    kept = [c for c in clusters if c["kept"]]
    repeats = sum(1 for c in clusters if c.get("dropped", "").startswith("said by"))
    absorbed = sum(1 for c in clusters if c.get("dropped", "").startswith("said in other words"))
    rewritten = sum(1 for c in clusters if c.get("dropped", "").startswith("rewritten"))
    unsupported = sum(1 for c in clusters if c.get("dropped", "").startswith("support"))
    decided = sum(1 for c in clusters if c.get("dropped", "").startswith("advised against"))
    joined = sum(len(c["members"]) - 1 for c in clusters)
    labels = sum(1 for c in clusters if c.get("dropped", "").startswith("a label left"))
    emptied = f", {count(labels, 'label')} left heading nothing" if labels else ""
    parts = [
        f"merged {count(len(report['sources']), 'source')} (base {report['base']}: {report['base_reason']})",
        (f"{count(items_in, 'item')} in, {len(kept)} out: {joined} joined a like item of another source, "
         f"{repeats} said by a richer one, {absorbed} said in other words by one{emptied}"),
        _prose_part(report["prose"]),
    ]
    if rewritten:
        parts.append(f"{count(rewritten, 'item')} rewritten in another revision of the same file")
    if decided:
        parts.append(f"{count(decided, 'item')} advised against by another revision of the same file")
    if unsupported:
        parts.append(f"{count(unsupported, 'item')} below --min-support")
    if report.get("conflicts"):
        parts.append(f"{count(len(report['conflicts']), 'possible conflict')} between sources (below)")
    if report.get("disagreements"):
        parts.append(f"{count(len(report['disagreements']), 'line')} two revisions of one file disagree on (below)")
    return "\n".join(["; ".join(parts), *name_lines(report), *tools_lines(report), *model_lines(report),
                      *conflict_lines(report)])


def _prose_part(prose: list[dict[str, Any]]) -> str:
    """How many prose blocks of other sources were dropped, and how many of them the kept
    prose says again (word for word, or as a repeat the judge found)."""
    kept = {p["text"] for p in prose if p["kept"]}
    dropped = [p for p in prose if not p["kept"]]
    said = sum(1 for p in dropped if p["text"] in kept or p["reason"].startswith(("repeats kept", "says nothing")))
    again = f" ({said} said by kept prose)" if said else ""
    return f"{count(len(dropped), 'prose block')} of other sources dropped{again}"


def name_lines(report: dict[str, Any]) -> list[str]:
    """A line when the sources' agents go by different names and no ``--name`` chose one: Claude
    Code calls an agent by its name, so a user of another name must call the result by its own."""
    row = next((r for r in report.get("frontmatter", []) if r["key"] == "name"), None)
    if row is None or row["how"] == "--name":
        return []
    voters = [s for s in row["sources"] if not s.get("revision") and s["value"]]
    counts = Counter(kebab(str(s["value"])) for s in voters)  # "Backend-Developer" is "backend-developer"
    if len(counts) < 2:
        return []
    said = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    copies = sum(1 for s in row["sources"] if s.get("revision"))
    silent = f" ({count(copies, 'later revision')} of another source's file not voting)" if copies else ""
    return [f"name: the sources disagree: {said}{silent}; the result is {row['value']} (--name to choose)"]


def model_lines(report: dict[str, Any]) -> list[str]:
    """A line when the sources run on different models (no ``model`` is ``inherit``) and no
    ``--model`` chose one."""
    row = next((r for r in report.get("frontmatter", []) if r["key"] == "model"), None)
    if row is None or row["how"] == "--model":
        return []
    voters = [s for s in row["sources"] if not s.get("revision")]
    ids = sorted({model_vote(s["value"]) for s in voters})
    if len(ids) < 2:
        return []
    counts = Counter(model_family(s["value"]) for s in voters)  # the vote is by family

    def votes(family: str, n: int) -> str:
        written = [i for i in ids if model_family(i) == family]
        return f"{family} ({n})" if written == [family] else f"{family} ({n}: {', '.join(written)})"
    said = ", ".join(votes(family, n) for family, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    chosen = model_vote(row["value"])
    result = "inherits" if chosen == "inherit" else f"uses {chosen}"
    silent = ", a source without a model inheriting" if any(s["value"] is None for s in voters) else ""
    copies = count(len(row["sources"]) - len(voters), "later revision")
    silent += f" ({copies} of another source's file not voting)" if len(voters) < len(row["sources"]) else ""
    line = f"model: the sources disagree: {said}{silent}; the result {result}"
    return [f"{line} (--model to choose)"]


def tools_lines(report: dict[str, Any]) -> list[str]:
    """A line when a source without ``tools`` (every tool) was merged into a result that names
    tools: that source's agent could do more than the result can."""
    row = next((r for r in report.get("frontmatter", []) if r["key"] == "tools"), None)
    if row is None:
        return []
    lines = [f"tools: {s['source']} names tools Claude Code does not know: {_written_as(s['value'])}"
             for s in row["sources"] if s["value"] and foreign(s["value"])]
    result = tuple(row["value"]) if row["value"] else None
    shared = row["how"].startswith("intersection")  # --tools intersection: only what all name could stay
    if left := unknown_tools([tuple(s["value"]) if s["value"] else None for s in row["sources"]], result, shared):
        lines.append(f"tools: left out, as Claude Code does not know them: {', '.join(left)}")
    elif result and (kept := [t for t in result if rules.tool_problem(t) is not None]):
        lines.append(f"tools: kept as written, as no tool Claude Code knows is named: {', '.join(kept)}")
    everything = [s["source"] for s in row["sources"] if s["value"] is None]
    if not everything or (row["value"] is None and not row["how"].startswith("every tool")):
        return lines
    verb = "has" if len(everything) == 1 else "have"
    if row["value"] is None:
        named = len([tool for tool in named_tools([tuple(s["value"]) if s["value"] else None for s in row["sources"]])
                     if rules.tool_problem(tool) is None])
        line = (f"tools: {', '.join(everything)} {verb} no tools key (every tool), most of the sources: the "
                f"result has none either (--tools named keeps only the {count(named, 'tool')} the others name)")
    else:
        line = (f"tools: {', '.join(everything)} {verb} no tools key (every tool); the result has only the "
                f"{count(len(row['value']), 'tool')} the others name (--tools all gives every tool)")
    return [*lines, line]


def _written_as(tools: list[str]) -> str:
    """How ``claude_tools`` wrote a source's tools: its aliases as Claude Code's, the rest as written."""
    known, unknown = claude_tools(tuple(tools))
    aliases = [tool for tool in dict.fromkeys(tools) if rules.tool_problem(tool) is not None and tool not in unknown]
    said = [f"{', '.join(aliases)} written as {', '.join(t for t in known if t not in tools)}"] if aliases else []
    if unknown:
        said.append(f"{', '.join(unknown)} with no documented counterpart")
    return "; ".join(said)



# ---- what the review page shows (``merge --review``), added to the same report -------------


def add_output(data: dict[str, Any], nodes: list[Node], parts: list[Part], dropped: dict[int, tuple[str, Node | None]],
               fields: list[tuple[str, Any]], frontmatters: list[Frontmatter], options: Any,
               copies: frozenset[int] = frozenset()) -> None:
    """Add to the report the merged agent as written (``outline``: sections, lists of cluster ids,
    kept prose), the frontmatter choices with each source's value (``frontmatter``), a
    ``status`` for every member and prose block (verbatim, absorbed, dropped; a prose block
    ``reworded`` in the base's voice, its text ``as``) and, for an item
    said by a richer one, that item's cluster id (``said_by``). ``frontmatters`` in source order;
    ``copies``: the sources that are a later revision of another, which do not vote."""
    ids = {id(node): n for n, node in enumerate(nodes, 1)}
    clusters = data["clusters"]
    for node in nodes:
        keeper = _keeper(node, dropped)
        cluster = clusters[ids[id(node)] - 1]
        if keeper is not None and keeper is not node:
            cluster["said_by"] = ids[id(keeper)]
        for member in cluster["members"]:
            member["status"] = _status(member["text"], keeper)
    data["outline"] = [_part(part, ids, data["sources"]) for part in parts]
    written = {(b["source"], b["line"]) for part in data["outline"] for b in part["blocks"] if b["kind"] == "prose"}
    for block in data["prose"]:
        kept = (block["source"], block["line"]) in written
        block["status"] = "dropped" if not kept else "reworded" if "as" in block else "verbatim"  # "as": the base's voice
        if block["kept"] and block["status"] == "dropped":  # kept by the judge, then left with nothing to head
            block.update(kept=False, reason="what it introduced went into other lines")
        elif not block["kept"] and block["status"] != "dropped":  # a lead-in written over its list, as its label
            block["kept"] = True
            block.pop("reason", None)
    paths = [s["path"] for s in data["sources"]]
    data["frontmatter"] = _frontmatter(fields, frontmatters, paths, options, copies, paths.index(data["base"]))


def _keeper(node: Node, dropped: dict[int, tuple[str, Node | None]]) -> Node | None:
    """The output item that says this node: itself, the richer item that says it, or None."""
    seen: set[int] = set()
    while node is not None and id(node) in dropped and id(node) not in seen:
        seen.add(id(node))
        node = dropped[id(node)][1]  # type: ignore[assignment]
    return None if node is None or id(node) in dropped else node


def _status(text: str, keeper: Node | None) -> str:
    if keeper is None:
        return "dropped"
    return "verbatim" if keeper.text == text else "absorbed"


def _part(part: Part, ids: dict[int, int], sources: list[dict[str, Any]]) -> dict[str, Any]:
    """One output section: its heading and blocks (a list of cluster ids, or kept prose)."""
    blocks = []
    for block in part.blocks:
        if isinstance(block, OutList):
            if block.nodes and block.lead_at is not None:  # its label: a lead-in of a source
                source, line = block.lead_at
                blocks.append({"kind": "prose", "source": sources[source]["path"], "line": line, "text": block.label})
            if block.nodes:
                blocks.append({"kind": "list", "ordered": block.ordered, "items": _items(block.nodes, ids)})
        else:
            blocks.append({"kind": "prose", "source": sources[block.source]["path"], "line": block.line,
                           "text": block.text})
    return {"title": part.title, "heading": part.heading, "blocks": blocks}


def _items(nodes: list[Node], ids: dict[int, int]) -> list[dict[str, Any]]:
    return [{"cluster": ids[id(node)], "children": _items(node.children, ids)} for node in nodes]


HOW = {"description": "the base's sentences, then at most {max_examples} examples, repeats removed",
       "tools": "{tools} of the tools the sources list",
       "model": "the most common, by family (sonnet and a claude-sonnet id are one), a source without one "
                "inheriting (a tie: the base's)"}


def _frontmatter(fields: list[tuple[str, Any]], frontmatters: list[Frontmatter], paths: list[str],
                 options: Any, copies: frozenset[int] = frozenset(), base: int = 0) -> list[dict[str, Any]]:
    """Each written key, in the base's order: its value, how it was chosen, and each source's
    value and line; then ``model`` when a source names one and the result none (it inherits)."""
    rows = []
    for key in ("model", "tools"):  # every source's value, though the result has none (inherits, every tool)
        if key not in dict(fields) and any(fm.get(key) for fm in frontmatters):
            fields = [*fields, (key, None)]
    order = list(dict.fromkeys([*frontmatters[base].keys, *dict(fields)]))  # the base's key order
    fields = sorted(fields, key=lambda field: order.index(field[0]))
    for key, value in fields:
        given = getattr(options, key, None) if key in ("name", "model", "color") else None
        how = f"--{key}" if given else HOW.get(key, "the most common value").format(**options.__dict__)
        if key == "tools" and value is None and options.tools == "union":
            how = "every tool: most sources (or the base, in a tie) have no tools key"
        if key == "name" and not given:
            names = [kebab(str(fm.get("name"))) for fm in frontmatters]
            shared = len(set(names)) == len(names) > 1 and value not in names
            how = ("the role every source's name ends in" if shared else "the most common name, kebab-cased"
                   + (" (a later revision of another source's file not voting)" if copies else ""))
        values = [{"source": path, "value": _plain(fm.get(key)), "line": fm.line_of(key)}
                  | ({"revision": True} if k in copies else {})  # a later revision of another source: no vote
                  for k, (path, fm) in enumerate(zip(paths, frontmatters, strict=True))]
        rows.append({"key": key, "value": _plain(value), "how": how, "sources": values})
    return rows


def _plain(value: Any) -> Any:
    """A frontmatter value as JSON holds it: a description as its text, tools as a list."""
    if isinstance(value, Description):
        return value.text
    if isinstance(value, tuple):
        return list(value)
    return value
