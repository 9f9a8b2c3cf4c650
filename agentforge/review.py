"""The review page of a merge (``merge --review``): the report as one self-contained HTML file.

Everything on the page comes from the merge report (the object ``--report`` writes as JSON):
this module only arranges it for the template (``templates/review.html.j2``), which renders
with autoescape on, so source text is always shown as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import render

STATUSES = ("verbatim", "absorbed", "dropped")
NOTES = {"said by": "said again by this item", "said in other words by": "said in other words by this item",
         "rewritten as": "an earlier wording, rewritten in another revision of the file",
         "advised against by another revision of this file": "named by one revision of the file, advised against by this item"}


def page(report: dict[str, Any], template: Path, search: list[Path]) -> str:
    """The review page: ``template`` (HTML, autoescaped) rendered with ``context(report)``."""
    return render.render(template, context(report), search, autoescape=True)


def context(report: dict[str, Any]) -> dict[str, Any]:
    """What the review template sees: ``report`` as it is, and the same data arranged for a
    page: ``summary``, ``sources`` (with their items by status), ``sections``, ``frontmatter``,
    ``dropped``."""
    paths = [source["path"] for source in report["sources"]]
    index = {path: i for i, path in enumerate(paths)}
    labels = _labels(paths)
    clusters = {cluster["id"]: cluster for cluster in report["clusters"]}
    folded: dict[int, list[tuple[dict[str, Any], str]]] = {}  # said_by id -> members it folded in
    for cluster in report["clusters"]:
        if "said_by" in cluster:
            note = NOTES.get(cluster["dropped"].split(":")[0], "folded into this item")
            folded.setdefault(cluster["said_by"], []).extend((m, note) for m in cluster["members"])

    def line(member: dict[str, Any], note: str = "") -> dict[str, Any]:
        i = index[member["source"]]
        return {**member, "index": i, "label": labels[i], "note": note}

    def item(entry: dict[str, Any]) -> dict[str, Any]:
        cluster = clusters[entry["cluster"]]
        lines = [line(m) for m in cluster["members"]]
        lines += [line(m, note) for m, note in folded.get(cluster["id"], [])]
        return {"id": cluster["id"], "text": cluster["representative"], "support": cluster["support"],
                "sources": sorted({m["index"] for m in lines}), "lines": lines,
                "children": [item(child) for child in entry["children"]]}

    reworded = {(p["source"], p["line"]): p["text"] for p in report["prose"] if p["status"] == "reworded"}
    sections = []
    for part in report["outline"]:
        blocks = []
        for block in part["blocks"]:
            if block["kind"] == "list":
                blocks.append({**block, "items": [item(entry) for entry in block["items"]]})
            else:  # prose: as its source wrote it, or reworded in the base's voice (``was``: the source's words)
                blocks.append({**block, "origin": line(block), "was": reworded.get((block["source"], block["line"]))})
        sections.append({"title": part["title"], "heading": part["heading"], "blocks": blocks})
    sources = [_source(i, source, labels[i], len(paths)) for i, source in enumerate(report["sources"])]
    for entry in _entries(report, clusters):
        sources[index[entry["source"]]]["items"][entry["status"]].append(entry)
    for source in sources:
        for entries in source["items"].values():
            entries.sort(key=lambda entry: entry["line"])
    dropped = [line(entry) for entry in _entries(report, clusters) if entry["status"] == "dropped"]
    frontmatter = [{**row, "sources": [line(value) for value in row["sources"]]}
                   for row in report["frontmatter"]]
    return {"report": report, "summary": summary(report), "sources": sources, "sections": sections,
            "frontmatter": frontmatter, "dropped": dropped}


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The figures at the top: sources, items in and out, ideas said by all, some or one source."""
    n = len(report["sources"])
    kept = [c for c in report["clusters"] if c["kept"]]
    members = [m for c in report["clusters"] for m in c["members"]]
    return {
        "name": next((row["value"] for row in report["frontmatter"] if row["key"] == "name"), None),
        "sources": n,
        "base": report["base"],
        "base_reason": report["base_reason"],
        "items_in": len(members),
        "items_out": len(kept),
        "all": sum(1 for c in kept if c["support"] == n),
        "some": sum(1 for c in kept if 1 < c["support"] < n),
        "one": sum(1 for c in kept if c["support"] == 1 < n),
        **{status: sum(1 for m in members if m["status"] == status) for status in STATUSES},
        "prose_kept": sum(1 for p in report["prose"] if p["status"] != "dropped"),
        "prose_dropped": sum(1 for p in report["prose"] if p["status"] == "dropped"),
    }


def _entries(report: dict[str, Any], clusters: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every list item and prose block of every source, with its status, where it went, why not."""
    entries = []
    for cluster in report["clusters"]:
        keeper = clusters.get(cluster.get("said_by", cluster["id"]), cluster)
        for member in cluster["members"]:
            entries.append({**member, "kind": "item", "into": keeper["id"],
                            "into_text": keeper["representative"], "why": cluster.get("dropped")})
    for block in report["prose"]:
        why = block.get("reason") or "a lead-in whose list stands elsewhere in the output"
        status = "verbatim" if block["status"] == "reworded" else block["status"]  # kept, in the base's voice
        entries.append({**block, "status": status, "kind": "prose", "why": why if status == "dropped" else None})
    return entries


def _source(i: int, source: dict[str, Any], label: str, n: int) -> dict[str, Any]:
    return {"index": i, "path": source["path"], "name": source["name"], "label": label,
            "color": color(i, n), "items": {status: [] for status in STATUSES}}


def color(i: int, n: int) -> str:
    """A distinct, readable colour for source ``i`` of ``n``: hues spread around the wheel."""
    return f"hsl({round(i * 360 / max(n, 1) + 210) % 360} 70% 38%)"


def _labels(paths: list[str]) -> list[str]:
    """Short names for the sources: the file name, or the whole path where names repeat."""
    names = [Path(path).name for path in paths]
    return [name if names.count(name) == 1 else path for name, path in zip(names, paths, strict=True)]
