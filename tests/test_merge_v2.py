"""Merge v2 as its user checks it: no idea lost, each said once, the sources' structure kept."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import write
from rapidfuzz import fuzz, process, utils
from typer.testing import CliRunner

import agentforge
from agentforge import absorb, align, cluster, coverage, outline, prose, report, sources, survivors
from agentforge.body import parse_body
from agentforge.cli import app
from agentforge.cluster import same_role
from agentforge.errors import WriteError
from agentforge.merge import merge_files
from agentforge.model import Item, ListBlock, all_items, walk_items, walk_sections
from agentforge.sources import Unit
from agentforge.survivors import about

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("isolated")
ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ROOT.parent / "shared" / "tools" / "merge-families.json"


def merge(*args: object):
    return runner.invoke(app, ["merge", *map(str, args)])


JAVASCRIPT = ["0xfurai__claude-code-subagents/agents__javascript-expert.md",
              "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__javascript-pro.md",
              "davila7__claude-code-templates/cli-tool__components__agents__programming-languages__javascript-pro.md",
              "rshah515__claude-code-subagents/languages__javascript-expert.md",
              "wshobson__agents/plugins__javascript-typescript__agents__javascript-pro.md"]
RAILS = ["0xfurai__claude-code-subagents/agents__rails-expert.md",
         "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__rails-expert.md",
         "davila7__claude-code-templates/cli-tool__components__agents__programming-languages__rails-expert.md",
         "rshah515__claude-code-subagents/frameworks__rails-expert.md"]


def agent(folder: Path, name: str, body: str, description: str = "Use for tests.") -> Path:
    """An agent file ``name``.md whose agent is named ``name``-agent (a valid name)."""
    return write(folder / f"{name}.md", f"---\nname: {name}-agent\ndescription: {description}\n---\n\n{body}")


def families(corpus: Path) -> dict[str, list[Path]]:
    data = json.loads(FAMILIES.read_text())
    where = {"CORPUS/": corpus, "SOURCES/": ROOT / "sources"}
    return {
        name: [next(base / f[len(p):] for p, base in where.items() if f.startswith(p)) for f in paths]
        for name, paths in data.items()
    }


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text)).strip()


@pytest.mark.parametrize("family", ["seeds", "python", "code-reviewer", "golang-pro", "docker-expert"])
def test_every_source_item_has_a_counterpart_and_none_is_repeated(corpus_dir, tmp_path, family):
    """The judge's own measure: each source item scores >= 60 against some output line, and no
    two output items say the same words (token_set_ratio >= 95), unless one source says both
    lines itself (VoltAgent's "Deadlock prevention" in a list and "Deadlock prevention
    implemented" in a checklist): its lists stay whole."""
    paths = families(corpus_dir)[family]
    result = merge(*paths, "-o", tmp_path / "out.md")
    assert result.exit_code == 0, result.output
    merged = agentforge.load(tmp_path / "out.md")
    lines = [_clean(re.sub(r"^\s*(?:[-*+]|\d+[.)]|#+)\s+", "", line)) for line in merged.body.text.splitlines()]
    lines = [line for line in lines if line]
    lost = []
    for path in paths:
        for item in all_items(agentforge.load(path).body):
            text = _clean(item.text.split("\n")[0])
            best = process.extractOne(text, lines, scorer=fuzz.token_set_ratio, processor=utils.default_process)
            if len(text) >= 12 and best[1] < 60:
                lost.append(f"{path.name}:{item.line}: {text}")
    assert lost == []
    # an item with children heads them ("**Data Management**" over "Data lifecycle management")
    placed = [(_clean(item.text), title) for title, item in _titled_items(merged.body)
              if len(_clean(item.text)) >= 12 and not item.children]
    own = [[_clean(item.text) for item in all_items(agentforge.load(path).body)] for path in paths]
    repeats = [(a, b) for i, (a, where) in enumerate(placed) for b, where_b in placed[i + 1:]
               if fuzz.token_set_ratio(a, b, processor=utils.default_process) >= 95 and same_role(a, b)  # a skill beside a hand-off naming it is no repeat
               and not any(_says(source, a) and _says(source, b) for source in own)
               and (where == where_b or _about(a, b))]
    assert repeats == []


def _titled_items(body) -> list[tuple[str, Item]]:
    """Each list item of a body with the title of the section it stands in."""
    return [("", item) for item in walk_items(body.intro)] + [
        (section.title, item) for section in walk_sections(body) for item in walk_items(section.blocks)]


def _about(a: str, b: str) -> bool:
    """Whether the longer of two lines is about the shorter (it stands in its head), not one
    that names it among other things, as a list of another place may."""
    short, long = sorted((a, b), key=len)
    return about(short, long)


def _says(lines: list[str], text: str) -> bool:
    """Whether one of a source's lines is ``text``, nearly word for word."""
    best = process.extractOne(text, lines, scorer=fuzz.ratio, processor=utils.default_process)
    return best is not None and best[1] >= 95




def test_a_wrong_join_does_not_lose_an_idea(tmp_path):
    """'Compliance: GDPR, ...' scores close to 'Consider cost implications' but says other things."""
    a = agent(tmp_path, "a", "## Reviews\n\n- Consider cost implications and operational complexity\n")
    b = agent(tmp_path, "b", "## Reviews\n\n- Compliance: GDPR, PCI-DSS, HIPAA considerations\n")
    out = merge(a, b, "--threshold", "30").stdout
    assert "GDPR, PCI-DSS, HIPAA" in out and "cost implications" in out


def test_paraphrases_that_one_item_covers_are_said_once(tmp_path):
    a = agent(tmp_path, "a", "## Testing\n\n- Test coverage exceeding 90% with pytest\n")
    b = agent(tmp_path, "b", "## Testing\n\n- Pytest coverage > 90%\n")
    out = merge(a, b).stdout
    assert out.count("90%") == 1
    assert "- Test coverage exceeding 90% with pytest" in out


def test_a_section_that_matches_none_keeps_its_heading_and_structure(tmp_path):
    a = agent(tmp_path, "a", "## Core Expertise\n\n- Kubernetes operators\n- Helm charts\n- Kustomize overlays\n\n"
              "## Approach\n\n1. Read the code\n2. Write the plan\n")
    b = agent(tmp_path, "b", "## Skills\n\n- Helm chart authoring\n\n## Migration Playbook\n\n"
              "- Inventory the workloads\n  - StatefulSets first\n- Move traffic gradually\n\n"
              "| step | owner |\n|---|---|\n| cutover | SRE |\n")
    merged = agentforge.loads(merge(a, b).stdout)
    titles = [s.title for s in walk_sections(merged.body)]
    assert titles == ["Core Expertise", "Migration Playbook", "Approach"]
    playbook = next(s for s in walk_sections(merged.body) if s.title == "Migration Playbook")
    assert [c.text for c in playbook.blocks[0].items[0].children] == ["StatefulSets first"]
    assert any(getattr(block, "text", "").startswith("| step | owner |") for block in playbook.blocks)


def test_a_title_of_another_source_is_not_a_section_or_label(tmp_path):
    a = agent(tmp_path, "a", "You are a TypeScript expert.\n\n## Skills\n\n- Generics\n- Utility types\n")
    b = agent(tmp_path, "b", "# TypeScript Pro\n\nYou are a TypeScript professional.\n\n## Skills\n\n- Type guards\n")
    out = merge(a, b).stdout
    assert "TypeScript Pro" not in out
    assert "- Type guards" in out


def test_min_support_keeps_ideas_most_sources_share_and_reports_the_rest(tmp_path):
    a = agent(tmp_path, "a", "## Skills\n\n- Database indexing strategies\n- Rust\n")
    b = agent(tmp_path, "b", "## Skills\n\n- Database indexing strategies\n- Haskell\n")
    result = merge(a, b, "--min-support", "2", "--report", tmp_path / "r.json", "-o", tmp_path / "o.md")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "o.md").read_text()
    assert "indexing" in out and "Rust" not in out and "Haskell" not in out
    report = json.loads((tmp_path / "r.json").read_text())
    dropped = {c["representative"]: c["dropped"] for c in report["clusters"] if not c["kept"]}
    assert set(dropped) == {"Rust", "Haskell"} and all("min-support" in why for why in dropped.values())
    assert "2 items below --min-support" in result.output


def test_each_output_item_reports_its_support_and_members(tmp_path):
    a = agent(tmp_path, "a", "## Skills\n\n- Database indexing strategies\n")
    b = agent(tmp_path, "b", "## Skills\n\n- Database indexing strategies\n")
    merge(a, b, "--report", tmp_path / "r.json", "-o", tmp_path / "o.md")
    (cluster,) = json.loads((tmp_path / "r.json").read_text())["clusters"]
    assert cluster["support"] == 2
    assert [(m["source"], m["line"]) for m in cluster["members"]] == [(str(a), 8), (str(b), 8)]


def test_base_option_and_the_reason_for_the_base(tmp_path):
    a = agent(tmp_path, "a", "Opening of a.\n\n## Skills\n\n- One\n- Two\n- Three\n")
    b = agent(tmp_path, "b", "Opening of b.\n\n## Skills\n\n- Four\n")
    result = merge(a, b)
    assert "most list items (3)" in result.stderr and "Opening of a." in result.stdout
    result = merge(a, b, "--base", b)
    assert "chosen with --base" in result.stderr
    assert "Opening of b." in result.stdout and "Opening of a." not in result.stdout
    result = merge(a, b, "--base", tmp_path / "other.md")
    assert result.exit_code == 1 and "--base is not one of the sources" in result.output


def _described(folder: Path, name: str, sentences: str, users: list[str]) -> Path:
    examples = "".join(f"  <example>\n  user: \"{u}\"\n  assistant: \"On it.\"\n  </example>\n" for u in users)
    text = f"---\nname: {name}-agent\ndescription: |\n  {sentences}\n{examples}---\n\n- an item of {name}\n"
    return write(folder / f"{name}.md", text)


def test_one_trigger_sentence_and_at_most_max_examples(tmp_path):
    a = _described(tmp_path, "a", "Use this agent when you build APIs.", [f"task {n} about apples" for n in range(3)])
    b = _described(tmp_path, "b", "Use this agent for backend work. Use PROACTIVELY after changes. Fast.",
                   ["deploy pears", "write docs for plums"])
    merged = agentforge.loads(merge(a, b, "--max-examples", "2").stdout)
    description = merged.frontmatter.description
    assert description.prose == "Use this agent when you build APIs. Use PROACTIVELY after changes."
    assert len(description.examples) == 2
    assert len(agentforge.loads(merge(a, b).stdout).frontmatter.description.examples) == 3


def test_skip_invalid_names_the_skipped_file(tmp_path):
    agent(tmp_path / "src", "good", "## Skills\n\n- One\n")
    write(tmp_path / "src" / "broken.md", "no frontmatter here\n")
    result = merge(tmp_path / "src")
    assert result.exit_code == 1 and "broken.md:1" in result.output
    result = merge(tmp_path / "src", "--skip-invalid")
    assert result.exit_code == 0 and "skip" in result.stderr and "broken.md:1" in result.stderr


def test_the_coverage_check_refuses_an_output_that_lost_an_item(sources_dir):
    from agentforge.merge import load_sources, merge_agents

    merged = merge_agents(load_sources([sources_dir]))
    coverage.check(parse_body(merged.body), merged.members, merged.said_by, [str(p) for p in range(5)])
    lost = next(i for i, text in merged.said_by.items() if text.startswith("**API Development**"))
    body = parse_body("\n".join(line for line in merged.body.split("\n") if "**API Development**" not in line))
    with pytest.raises(WriteError, match="would lose this item"):
        coverage.check(body, merged.members, merged.said_by, [f"s{n}.md" for n in range(5)])
    assert lost is not None


def test_output_and_report_are_written_both_or_neither(tmp_path):
    a = agent(tmp_path, "a", "## Skills\n\n- One\n")
    write(tmp_path / "FILE", "a file, not a folder\n")
    result = merge(a, "-o", tmp_path / "FILE" / "x.md", "--report", tmp_path / "r.json")
    assert result.exit_code == 1
    assert "FILE is a file, not a folder" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.json").exists()
    result = merge(a, "-o", tmp_path / "new" / "dir" / "x.md", "--report", tmp_path / "r.json")
    assert result.exit_code == 0 and (tmp_path / "new" / "dir" / "x.md").exists() and (tmp_path / "r.json").exists()


def test_a_long_closing_fence_does_not_fail_the_family(tmp_path, sources_dir):
    """Claude Code reads a frontmatter closed by a line of 56 dashes; so does the merge."""
    text = (sources_dir / "backend-specialist.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 4)
    write(tmp_path / "src" / "long-fence.md", text[:end] + "\n" + "-" * 56 + "\n" + text[end + 5:])
    for other in ("backend-developer.md", "backend-developer-kiss.md"):
        write(tmp_path / "src" / other, (sources_dir / other).read_text(encoding="utf-8"))
    result = merge(tmp_path / "src", "-o", tmp_path / "out.md")
    assert result.exit_code == 0, result.output
    assert "merged 3 sources" in result.stderr


def test_an_existing_output_is_overwritten_only_with_force_unless_unchanged(tmp_path):
    a = agent(tmp_path / "src", "alpha", "## Skills\n\n- One\n- Two\n")
    out = tmp_path / "out.md"
    assert merge(a, "-o", out).stderr.startswith(f"create {out}")
    assert merge(a, "-o", out).stderr.startswith(f"unchanged {out}")
    before = out.read_bytes()
    refused = merge(a, "-o", out, "--name", "other-agent")
    assert refused.exit_code == 1 and "pass --force" in refused.output and out.read_bytes() == before
    assert merge(a, "-o", out, "--name", "other-agent", "--force").stderr.startswith(f"overwrite {out}")
    assert merge(a, "-o", a, "--force").exit_code == 1  # a source never, even with --force


def test_a_numbered_list_keeps_its_steps_in_order(corpus_dir):
    """Two revisions of one data-scientist list its questions 1-5; one question is also said
    elsewhere (more support): a numbered list is a procedure, not re-sorted by support."""
    names = ["VoltAgent__awesome-claude-code-subagents/categories__05-data-ai__data-scientist.md",
             "davila7__claude-code-templates/cli-tool__components__agents__data-ai__data-scientist.md",
             "rshah515__claude-code-subagents/data-ai__data-scientist.md",
             "wshobson__agents/plugins__machine-learning-ops__agents__data-scientist.md"]
    result = CliRunner().invoke(app, ["merge", *(str(corpus_dir / name) for name in names)])
    assert result.exit_code == 0, result.output
    steps = [line for line in result.stdout.splitlines() if re.match(r"\d+\. \*\*", line)][:3]
    assert [s.split("**")[1] for s in steps] == [
        "Business question or hypothesis", "Data sources and formats", "Success metrics and decision criteria"]


def test_the_report_says_what_the_output_says_of_each_prose_block(corpus_dir, tmp_path):
    """A kept prose block stands in the output; a block that the output lacks is reported
    dropped with a reason (javascript: a lead-in whose items all went into other lines)."""
    names = JAVASCRIPT
    result = merge(*(corpus_dir / name for name in names), "-o", tmp_path / "o.md", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "o.md").read_text()
    for block in json.loads((tmp_path / "r.json").read_text())["prose"]:
        assert block["kept"] == (block["status"] in ("verbatim", "reworded")), block
        assert block["kept"] or block["reason"]
        if block["kept"] and "\n" not in block["text"]:
            assert block.get("as", block["text"]) in out


def test_a_new_heading_does_not_take_over_the_bases_labelled_lists(corpus_dir):
    """The javascript base heads its first lists with labels ("When invoked:"); another source's
    "## Focus Areas" placed before them made them read as its own. It goes after them, and a
    list another source brings to a section keeps its lead-in ("Approach:")."""
    result = CliRunner().invoke(app, ["merge", *(str(corpus_dir / name) for name in JAVASCRIPT)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first_heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    assert lines.index("When invoked:") < lines.index("JavaScript development checklist:") < first_heading
    assert "Approach:" in lines[lines.index("When invoked:"):lines.index("JavaScript development checklist:")]


def test_sections_of_one_source_keep_their_order(tmp_path):
    """The docker merge put "## Focus Areas" after the sections that followed it in its source:
    a section that went into a base section ("Approach" into "When invoked") came between."""
    checks = "".join(f"- Check {n}\n" for n in ("lint", "types", "tests", "docs", "size", "licences", "secrets", "links", "spelling", "format"))
    base = agent(tmp_path, "a", f"Intro of a.\n\nWhen invoked:\n1. Read\n2. Write\n3. Test\n\nChecklist:\n{checks}"
                                "\n## Communication Protocol\n\nReport progress.\n")
    other = agent(tmp_path, "b", "## Docker Networking\n\n- Bridge networks\n- Overlay networks\n- DNS between services\n"
                                 "\n## Approach\n\n- Small steps first\n- Measure before tuning\n"
                                 "\n## Image Hardening\n\n- Distroless bases\n- Non-root users\n- Pinned digests\n"
                                 "\n## Registry Workflow\n\n- Tag by commit\n- Sign images\n- Prune old tags\n")
    result = merge(base, other)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    order = [lines.index(h) for h in ("Checklist:", "## Docker Networking", "## Image Hardening", "## Registry Workflow")]
    assert order == sorted(order)


def test_two_revisions_of_one_file_keep_one_wording_of_a_rewritten_item(corpus_dir, tmp_path):
    """VoltAgent's and davila7's rails-expert are revisions of one file: "N+1 queries prevented
    consistently" in one is "N+1 queries prevented with strict_loading and bullet" in the other.
    The wording that says more stays, whichever the base; hand-offs to different agents are not
    rewrites of each other."""
    names = RAILS
    paths = [str(corpus_dir / name) for name in names]
    result = merge(*paths, "--report", tmp_path / "r.json", "-o", tmp_path / "o.md")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "o.md").read_text()
    assert "- N+1 queries prevented with strict_loading and bullet" in out
    assert "- N+1 queries prevented consistently" not in out
    assert "Assist security-engineer" in out
    (performance,) = [line for line in out.splitlines() if line.startswith("- ") and "performance-engineer" in line]
    assert "optimization" in performance  # one hand-off to the agent, not rewritten as another's
    clusters = json.loads((tmp_path / "r.json").read_text())["clusters"]
    (old,) = [c for c in clusters if c["representative"] == "N+1 queries prevented consistently"]
    assert old["dropped"].startswith("rewritten as: N+1 queries prevented with strict_loading")
    assert "rewritten in another revision" in result.stderr
    again = merge(*paths, "--base", paths[2])
    assert again.exit_code == 0, again.output
    assert "- N+1 queries prevented with strict_loading and bullet" in again.stdout
    assert "- N+1 queries prevented consistently" not in again.stdout


def test_an_emptied_heading_over_one_section_gives_it_its_place():
    """rshah515's database-architect had "### Performance Optimization Architecture", its list
    said by other sources, over "#### Performance Strategy" alone: the strategy takes its place."""
    from agentforge.outline import Part, Prose, without_empty

    base = Part("Skills", "## Skills", 2, "heading", blocks=[Prose("Base prose.", 0, 5)])
    outer = Part("Performance Optimization Architecture", "### Performance Optimization Architecture", 3,
                 "heading", from_base=False)
    inner = Part("Performance Strategy", "#### Performance Strategy", 4, "heading",
                 blocks=[Prose("Measure before tuning.", 1, 9)], from_base=False)
    kept = without_empty([base, outer, inner])
    assert [part.heading for part in kept] == ["## Skills", "### Performance Strategy"]
    # a heading over another topic frames it: VoltAgent's "## Communication Protocol" over its
    # context query had left "## Graph Architecture Discovery" alone at the end of the agent
    frame = Part("Communication Protocol", "## Communication Protocol", 2, "heading", from_base=False)
    query = Part("Graph Architecture Discovery", "### Graph Architecture Discovery", 3, "heading",
                 blocks=[Prose("Ask the context manager first.", 1, 12)], from_base=False)
    kept = without_empty([base, frame, query])
    assert [part.heading for part in kept] == ["## Skills", "## Communication Protocol", "### Graph Architecture Discovery"]


def test_a_list_with_its_own_lead_in_takes_no_other_items(corpus_dir):
    """VoltAgent's rails-expert leads a list in with "Rails 7 equivalents (use when Gemfile shows
    rails ~> 7.0):"; davila7's checklist items went into it, as if they were Rails 7 choices."""
    names = RAILS
    result = merge(*(corpus_dir / name for name in names))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Rails 7 equivalents (use when Gemfile shows rails ~> 7.0):") + 1
    listed = lines[start:lines.index("", start)]
    source = (corpus_dir / names[1]).read_text()
    assert listed and all(line in source for line in listed)


def test_each_dropped_item_names_a_line_the_output_says(corpus_dir, tmp_path):
    """The report names, for each item it drops, the line that says it: that line is in the
    output, even when it went on into a richer line or another revision's wording. A label
    whose items all went elsewhere is said by no line, and says so."""
    names = RAILS
    result = merge(*(corpus_dir / name for name in names), "-o", tmp_path / "o.md", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "o.md").read_text()
    named = [c["dropped"].split(": ", 1)[1] for c in json.loads((tmp_path / "r.json").read_text())["clusters"]
             if not c["kept"] and not c["dropped"].startswith(("support", "a label left heading nothing"))]
    assert named and [text for text in named if text not in out] == []

def merge_two(tmp_path: Path, base: str, other: str):
    """Merge an agent of body ``base`` (the base) with one of body ``other``; the merge succeeded."""
    result = merge(agent(tmp_path, "a", base), agent(tmp_path, "b", other), "--base", tmp_path / "a.md")
    assert result.exit_code == 0, result.output
    return result

def merge_all(tmp_path: Path, bodies: dict[str, str]):
    """Merge one agent per ``bodies`` entry (file name -> body), the first the base; the merge succeeded."""
    paths = [agent(tmp_path, name, body) for name, body in bodies.items()]
    result = merge(*paths, "--base", paths[0])
    assert result.exit_code == 0, result.output
    return result



def test_a_short_item_joins_the_term_line_headed_by_what_it_names(tmp_path):
    """One collection writes a topic as a short item ("Path mapping strategies"), another heads
    a line with it and says more ("**Path Mapping**: Managing import aliases"): one line, the
    richer, stands where the base had the short item. A head that only shares a stem
    ("Transparency" for "Transformation techniques") or a filler word ("ConfigMaps and Secrets
    management" for "Secret management") names another thing."""
    result = merge_two(tmp_path, "## Build\n\n- Path mapping strategies\n- Recursive type definitions\n"
                       "- Transformation techniques\n- ConfigMaps and Secrets management\n"
                       "- Design patterns\n",
                       "## Configuration\n\n- **Path Mapping**: Managing import aliases\n"
                       "- **Recursive Types**: Self-referential types for nested data\n"
                       "- **Transparency**: Document model limitations\n"
                       "- **Secret management**: Sealed Secrets, SOPS\n"
                       "- **Design**: Mobile-first layouts\n")
    items = [line[2:] for line in result.stdout.splitlines() if line.startswith("- ")]
    assert items[:3] == ["**Path Mapping**: Managing import aliases",
                         "**Recursive Types**: Self-referential types for nested data",
                         "Transformation techniques"]
    assert "Path mapping strategies" not in items
    assert "ConfigMaps and Secrets management" in items and "**Transparency**: Document model limitations" in items
    assert "Design patterns" in items  # a filler word left alone when no other word would stay


def test_short_items_and_the_term_lines_that_name_them_are_one_line_on_the_corpus(corpus_dir):
    """VoltAgent's typescript-pro lists "Project references setup"; rshah515's typescript-expert
    has "**Project References**: Monorepo configurations": each topic is said once."""
    names = ["VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__typescript-pro.md",
             "rshah515__claude-code-subagents/languages__typescript-expert.md"]
    result = merge(*(corpus_dir / name for name in names))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for short, rich in [("Path mapping strategies", "**Path Mapping**: Managing import aliases"),
                        ("Recursive type definitions", "**Recursive Types**: Self-referential types")]:
        assert not any(line.endswith(short) for line in lines)
        assert sum(rich in line for line in lines) == 1


def test_two_like_coordinations_become_one_line_with_every_part(tmp_path):
    """"Include error handling, logging, and validation" and "Include error handling, logging,
    and monitoring considerations" are one bullet with four parts (the richer leads); a part that only shares a
    stem ("statistical analysis", "static analysis") or that adds a word to a part ("Design
    scalable backend architectures" against "Design for scalability") keeps both lines."""
    result = merge_two(tmp_path, "## Code\n\n- Include error handling, logging, and validation\n"
                       "- Static analysis and code metrics\n- Design scalable backend architectures and microservices\n",
                       "## Code\n\n- Include error handling, logging, and monitoring considerations\n"
                       "- Statistical analysis and modeling\n- Design for scalability and maintainability\n")
    items = [line[2:] for line in result.stdout.splitlines() if line.startswith("- ")]
    assert items[0] == "Include error handling, logging, monitoring considerations, and validation"
    assert not any(item.startswith("Include error handling") for item in items[1:])
    assert "Statistical analysis and modeling" in items and "Design for scalability and maintainability" in items


def test_a_choice_or_a_sentence_is_no_list_to_extend(tmp_path):
    """"Use PostgreSQL or Redis" offers a choice: "Use PostgreSQL and MongoDB" does not extend it;
    "Error handling is robust and user-friendly" is a sentence, not a list of things."""
    result = merge_two(tmp_path, "## Data\n\n- Use PostgreSQL or Redis for storage\n"
                       "- Error handling is robust and user-friendly\n",
                       "## Data\n\n- Use PostgreSQL and MongoDB for storage\n- Error handling and retry strategies\n")
    out = result.stdout
    assert "Redis and MongoDB" not in out and "Redis, MongoDB" not in out
    assert "user-friendly and retry" not in out and "user-friendly, and retry" not in out


def test_a_stray_fence_line_does_not_turn_the_rest_of_a_source_into_code(corpus_dir, tmp_path):
    """rshah515's test-automator has a lone "```" at line 174 that closes nothing: the 245 lines
    after it (E2E, performance, test data sections) are Markdown, and merge keeps their ideas;
    the stray line itself is not written, so the output has no unclosed fence."""
    source = corpus_dir / "rshah515__claude-code-subagents/quality__test-automator.md"
    other = corpus_dir / "VoltAgent__awesome-claude-code-subagents/categories__04-quality-security__test-automator.md"
    result = merge(other, source, "-o", tmp_path / "o.md", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "o.md").read_text()
    assert "**Keep tests independent**" in out and "k6" in out
    assert out.count("```") % 2 == 0
    prose = json.loads((tmp_path / "r.json").read_text())["prose"]
    assert any(p["line"] == 174 and not p["kept"] and "never closed" in p["reason"] for p in prose)


def test_a_procedure_of_another_section_keeps_its_own_lead_in(tmp_path):
    """davila7's test-automator "## Approach" lists principles as 1-5; they are no steps of the
    base's "When invoked:" procedure, which shares none of them: they stand as their own list
    under "Approach:", not as steps 5-9 of the procedure."""
    result = merge_two(tmp_path, "When invoked:\n1. Query the context\n2. Review the coverage\n3. Implement the tests\n",
                       "## Approach\n1. Test pyramid with many unit tests\n2. Arrange-Act-Assert pattern\n")
    lines = [line for line in result.stdout.split("---", 2)[2].splitlines() if line]
    start = lines.index("When invoked:")
    assert lines[start:start + 7] == ["When invoked:", "1. Query the context", "2. Review the coverage",
                                      "3. Implement the tests", "Approach:", "1. Test pyramid with many unit tests",
                                      "2. Arrange-Act-Assert pattern"]


def test_another_procedure_never_becomes_bullets_of_an_earlier_list(tmp_path):
    """The base's "## Workflow" has principles (bullets), then its own numbered steps; another
    file's "## Workflow Steps" shares no step: its steps stay numbered, under their lead-in."""
    result = merge_two(tmp_path, "## Workflow\n\nKeep these in mind.\n\n- Consistency across endpoints\n\n"
                       "The process:\n\n1. Gather requirements\n2. Draft the specification\n",
                       "## Workflow Steps\n\n1. Interview consumers\n2. Prototype mock servers\n")
    assert "Workflow Steps:\n\n1. Interview consumers\n2. Prototype mock servers" in result.stdout


def test_a_step_of_another_procedure_stands_where_its_procedure_puts_it(tmp_path):
    """VoltAgent's and davila7's business-analyst share steps 3 and 4 of "When invoked"; davila7's
    own first steps go before step 3, not after the last step."""
    result = merge_two(tmp_path, "## When invoked\n1. Query the context manager for objectives\n"
                       "2. Review the existing documentation\n3. Analyze gaps and opportunities\n"
                       "4. Deliver actionable insights\n",
                       "## When invoked\n1. Ask the user for the business domain\n"
                       "2. Analyze gaps and opportunities\n3. Deliver actionable insights\n")
    steps = [line.split(". ", 1)[1] for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert steps == ["Query the context manager for objectives", "Review the existing documentation",
                     "Ask the user for the business domain", "Analyze gaps and opportunities",
                     "Deliver actionable insights"]


def test_a_step_never_leaves_its_procedure_for_a_labels_place(tmp_path):
    """A label with children ("Normalization:") that a step says again keeps its own text: the
    step "**Design schema**: ..." stays step 2 of its procedure instead of standing in for the
    label (database-architect lost its step 3 that way)."""
    result = merge_two(tmp_path, "## Workflow\n1. Gather the requirements\n"
                       "2. **Design schema**: Conceptual and logical models with normalization\n3. Review the plan\n",
                       "## Modeling\n- Normalization:\n  - Normal forms\n  - Denormalization trade-offs\n")
    out = result.stdout
    assert "2. **Design schema**: Conceptual and logical models with normalization\n3. Review the plan" in out
    assert out.count("Design schema") == 1 and "- Normal forms" in out.replace("  - ", "- ")


def test_a_last_instruction_of_another_source_is_no_sign_off(tmp_path):
    """wshobson's test-automator ends its output format with "Each test should have a
    descriptive name ... Flag any areas where manual testing is recommended": an instruction,
    kept in its section; a second sign-off ("Remember: your goal is ...") is dropped."""
    result = merge_two(tmp_path, "## Skills\n\n- Unit testing with pytest\n\nYour goal is reliable tests.\n",
                       "## Output Format\n\n- **Unit Tests**: one file per module\n\n"
                       "Each test should have a descriptive name. Flag areas where manual testing is recommended.\n\n"
                       "Remember: your goal is to ship tests that never flake.\n")
    out = result.stdout
    assert "Flag areas where manual testing is recommended." in out and "never flake" not in out
    assert out.rstrip().endswith("Your goal is reliable tests.")


def test_a_sources_closing_instruction_stays_at_the_end_of_the_agent(tmp_path):
    """wshobson's agents end with a paragraph for the whole agent after their "## Output" list
    ("Prefer PHP standard library ... Focus on working code over explanations."). Their Output
    joins the base's Output, which other sections follow: the paragraph goes to the end of the
    merged agent, before the base's sign-off, not into the middle of the file. A closing
    paragraph that points back at its list ("These commands ...") stays with it."""
    result = merge_two(tmp_path, "## Output\n\n- Robust and maintainable code\n- Test coverage reports\n\n"
                       "## Language\n\n- Modern PHP 8 features\n- Enums and attributes\n\n"
                       "Your goal is code that ships.\n",
                       "## Output\n\n- Robust and maintainable code\n- Memory-efficient generators\n\n"
                       "Prefer the standard library over third-party packages. Focus on working code over explanations.\n")
    out = result.stdout
    assert out.rstrip().endswith("- Enums and attributes\n\nPrefer the standard library over third-party packages. "
                                 "Focus on working code over explanations.\n\nYour goal is code that ships.")
    pointing = merge_two(tmp_path, "## Output\n\n- Robust code\n- Test reports\n\n## Language\n\n- Enums\n- Attributes\n",
                         "## Output\n\n- Robust code\n- Run `composer audit` and `phpstan`\n\n"
                         "These commands must pass before any pull request.\n").stdout
    assert "- Run `composer audit` and `phpstan`\n\nThese commands must pass before any pull request.\n\n## Language" in pointing
    ending = merge_two(tmp_path, "## Output\n\n- Robust code\n- Test reports\n\n## Language\n\n- Enums\n- Attributes\n",
                       "## Output\n\n- Robust code\n- Flamegraphs\n\nEnd with: a summary and the top 3 fixes.\n").stdout
    assert "- Flamegraphs\n\nEnd with: a summary and the top 3 fixes.\n\n## Language" in ending


def test_numbered_principles_of_a_sections_title_join_its_bullets_steps_stay_numbered(tmp_path):
    """0xfurai's php-expert "## Approach" is bullets, wshobson's php-pro "## Approach" eight
    numbered one-line principles: one Approach list, in their order after the bullets (readers of
    php, ruby, rust and ios found two lists in a row, the second unlabelled). The steps of a
    procedure of that title ("1. **Analyze**: ...") stand as their numbered list after the bullets."""
    bullets = "## Approach\n\n- Start by prototyping with the built-in server\n- Keep code DRY using reusable functions\n"
    result = merge_two(tmp_path, bullets,
                       "## Approach\n\n1. Start with built-in PHP functions before custom code\n"
                       "2. Use generators for large datasets\n3. Test edge cases and error conditions\n")
    assert ("- Keep code DRY using reusable functions\n- Start with built-in PHP functions before custom code\n"
            "- Use generators for large datasets\n- Test edge cases and error conditions\n") in result.stdout
    steps = merge_two(tmp_path, bullets, "## Approach\n\n1. **Analyze**: read the code first\n"
                                         "2. **Design**: sketch the change\n")
    assert ("- Keep code DRY using reusable functions\n\n1. **Analyze**: read the code first\n"
            "2. **Design**: sketch the change\n") in steps.stdout


def test_what_one_revision_advises_against_the_other_revisions_bare_item_goes(tmp_path):
    """davila7's react-specialist (a later revision of VoltAgent's, the base) says "Do not
    recommend Recoil ..."; VoltAgent's "Recoil patterns" goes, with the reason in the report.
    With VoltAgent's as the base, the base decided nothing: a conflict. An independent
    agent's "Recoil patterns" stays, named as a possible conflict for a person to settle."""
    shared = "".join(f"- Shared practice number {n} for React work\n" for n in range(8))
    head = "---\nname: react-specialist\ndescription: Use for React.\n---\n\n## State\n\n"
    old = write(tmp_path / "old.md", head + shared + "- Recoil patterns\n")
    new = write(tmp_path / "new.md", head + shared + "- Do not recommend Recoil, archived by Meta; use Jotai\n")
    other = agent(tmp_path, "other", "## State\n\n- Recoil patterns\n- Zustand stores\n")
    result = merge(new, old, "--report", tmp_path / "r.json", "-o", tmp_path / "o.md")
    assert result.exit_code == 0, result.output
    assert "Recoil patterns" not in (tmp_path / "o.md").read_text()
    assert "1 item advised against by another revision" in result.stderr
    clusters = json.loads((tmp_path / "r.json").read_text())["clusters"]
    assert any(c["dropped"].startswith("advised against") for c in clusters if not c["kept"])
    reverse = merge(old, new, "--base", old)  # the base recommends it: not decided, a conflict for a person
    assert reverse.exit_code == 0 and "- Recoil patterns" in reverse.stdout
    assert "possible conflict over recoil" in reverse.stderr
    independent = merge(new, other)
    assert independent.exit_code == 0 and "- Recoil patterns" in independent.stdout
    assert "possible conflict over recoil" in independent.stderr


def test_a_later_top_heading_is_a_section_and_a_long_lead_in_stays(tmp_path):
    """davila7's data-ai prompt-engineer holds a prompt template with "# Steps" and "# Output
    Format" headings: only a source's first heading can be its title, so their paragraphs are
    no "opening role statement" to drop. A lead-in of more than a few words whose list went
    elsewhere says something of its own ("... rather than assuming fixed thresholds:")."""
    result = merge_two(tmp_path, "You are a prompt engineer.\n\n## Checklist\n\n- Accuracy above 90%\n- Latency below 2s\n",
                       "# Prompt Engineer\n\nYou write prompts.\n\n## Targets\n\n"
                       "Confirm these with the user as targets rather than assuming fixed universal thresholds:\n\n"
                       "- Accuracy above 90%\n\n# Output Format\n\nSpecify the response length and structure, e.g. JSON.\n")
    out = result.stdout
    assert "Specify the response length and structure" in out
    assert "rather than assuming fixed universal thresholds" in out
    assert "You write prompts." not in out


def test_a_labels_children_never_go_under_a_plain_line_that_says_more(tmp_path):
    """rshah515's box label "Performance Optimization:" heads its own bullets; another source's
    "Performance optimization with caching and eager loading" says the label's words and more,
    but it does not head those bullets. A line of the same place saying just the label's words
    is the label ("Secret management" and "Secret Management:"); in another place, it stays in
    its own list."""
    result = merge_two(tmp_path, "## Rails\n\n- Performance optimization with caching and eager loading\n"
                       "- Secret management\n\n## Jobs\n\n- Queue management\n",
                       "## Jobs\n\n- Performance Optimization:\n  - Worker process scaling\n"
                       "  - Memory usage optimization\n- Queue management\n\n## Rails\n\n- Secret Management:\n"
                       "  - Vault integration\n  - Key rotation\n")
    out = result.stdout
    assert "- Performance optimization with caching and eager loading\n" in out
    assert "- Performance Optimization:\n  - Worker process scaling" in out
    assert "- Secret Management:\n  - Vault integration" in out and "- Secret management\n" not in out


def test_hand_offs_to_one_agent_are_one_line(tmp_path):
    """One collection says "Help performance-engineer on optimization", another
    "**With performance-engineer**: Optimize application performance and monitoring": one
    hand-off, the richer, where the base had its line. What one hands the agent and the other
    does not joins that line ("; Deployment pipelines"; a verb in lower case: "; align ..."); a hand-off to
    another agent stays."""
    result = merge_two(tmp_path, "## Integration\n\n- Help performance-engineer on optimization\n"
                       "- Work with typescript-pro on type safety\n"
                       "- Guide devops-engineer on Ruby deployment\n"
                       "- Consult security-auditor on vulnerabilities\n",
                       "## Working with others\n\n"
                       "- Consult **security-auditor** on authentication flows and vulnerabilities\n"
                       "- **With performance-engineer**: Optimize application performance and monitoring\n"
                       "- **With typescript-expert**: Strict typing of components\n"
                       "- **With devops-engineer**: Deployment pipelines\n")
    items = [line[2:] for line in result.stdout.splitlines() if line.startswith("- ")]
    assert items[0] == "**With performance-engineer**: Optimize application performance and monitoring"
    assert "Help performance-engineer on optimization" not in items
    assert "Work with typescript-pro on type safety" in items and "**With typescript-expert**: Strict typing of components" in items
    devops = [item for item in items if "devops-engineer" in item]
    assert devops == ["Guide devops-engineer on Ruby deployment; Deployment pipelines"]
    assert [item for item in items if "security-auditor" in item] == [
        "Consult **security-auditor** on authentication flows and vulnerabilities"]


def test_a_section_whose_items_head_the_same_topics_joins_that_section(tmp_path):
    """rshah515's react-expert says "## React State Architecture" where another collection
    says "## State Management Architecture": their lines are headed by the same topics
    ("**Context API**", "**Server State**") in other words, so they are one section, not
    two three hundred lines apart."""
    result = merge_two(tmp_path, "## State Management Architecture\n\n"
                       "- **Server state**: TanStack Query v5 for remote data\n"
                       "- **Context API**: Fine for low-frequency state such as the theme\n"
                       "- **URL state**: Router search params for shareable state\n\n"
                       "## Tooling\n\n- Vite for builds\n- ESLint with the React plugin\n",
                       "## Tooling\n\n- Storybook for component documentation\n\n"
                       "## React State Architecture\n\n"
                       "- **useState & useReducer**: Choose a pattern by complexity and data flow\n"
                       "- **Context API**: Implement global state with React Context for authentication\n"
                       "- **Server State**: Manage caching and optimistic updates with React Query\n")
    out = result.stdout
    assert "React State Architecture" not in out
    state = out.split("## State Management Architecture")[1].split("## Tooling")[0]
    assert "**useState & useReducer**" in state and "React Context for authentication" in state
    assert "optimistic updates" in state


def test_a_template_that_is_all_of_its_section_stays_however_long(tmp_path):
    """davila7's product-manager says "write a PRD (see template below)", and its "## One-Page
    PRD Template" section is only that template, 22 lines in a plain fence: an instruction,
    not an illustration, so it stays with its heading. Another source's long code sample is
    still left out (one set of examples is enough)."""
    template = "```\n# [Feature Name] PRD\n\n" + "".join(f"## Part {k}\n[What goes here]\n\n" for k in range(8)) + "```\n"
    code = "```python\n" + "".join(f"x{k} = {k}\n" for k in range(45)) + "```\n"
    result = merge_two(tmp_path, "## Workflow\n\n- Write the PRD (see template below)\n- Review it\n",
                       "## Workflow\n\n- Review it\n\n## One-Page PRD Template\n\n" + template
                       + "\n## Code Sample\n\n" + code)
    assert "## One-Page PRD Template\n\n```\n# [Feature Name] PRD" in result.stdout
    assert "## Part 7\n[What goes here]" in result.stdout
    assert "x44 = 44" not in result.stdout


def test_prose_is_said_again_only_by_one_kept_paragraph(tmp_path):
    """davila7's "**Build** (exit criteria: feature meets its acceptance criteria)" was dropped
    as said because its words stood somewhere in all the kept prose together; one paragraph
    must say it."""
    result = merge_two(tmp_path, "## Launch\n\nEvery feature needs a build plan.\n\n"
                       "Exit reviews check the criteria.\n\nWrite acceptance tests first.\n\n- Ship it\n",
                       "## Launch\n\n**Build** (exit criteria: feature meets its acceptance criteria)\n\n- Ship it\n")
    assert "**Build** (exit criteria: feature meets its acceptance criteria)" in result.stdout


def test_a_subsection_stays_with_its_section_unless_its_items_say_otherwise(tmp_path):
    """rshah515's product-manager has "### Core Product Development" under "## Integration with
    Other Agents": its hand-offs went into the base's "Product management checklist:" because
    the title, once "core" and "development" go, is "product". A subsection aligns outside its
    section's place only by what its items say."""
    result = merge_two(tmp_path, "Product management checklist:\n- Roadmap updated quarterly\n"
                       "- Backlog prioritized\n\nIntegration with other agents:\n- Work with ux-researcher on studies\n",
                       "## Integration with Other Agents\n\n### Core Product Development\n"
                       "- **With prd-writer**: Collaborate on product requirements documents\n"
                       "- **With architect**: Translate requirements into architecture\n")
    checks = result.stdout.split("Product management checklist:")[1].split("Integration with other agents:")[0]
    assert "prd-writer" not in checks
    integration = result.stdout.split("Integration with other agents:")[1]
    assert "**With prd-writer**" in integration and "**With architect**" in integration


def test_subsections_stand_after_the_section_their_parent_joined_in_their_order(tmp_path):
    """rshah515's product-manager puts its hand-offs under "## Integration with Other Agents",
    in subsections; the parent joins the base's "Integration with other agents:". The
    subsections stand right after it, in their own order, not at the end of the agent after
    the source's earlier sections."""
    result = merge_two(tmp_path, "Integration with other agents:\n- Work with ux-researcher on studies\n\n"
                       "## Principles\n\n- Outcomes over output\n",
                       "## Pricing Models\n\n- Freemium tiers\n- Usage-based billing\n\n## Integration with Other Agents\n\n"
                       "### Core Product Development\n- **With prd-writer**: Requirements documents\n\n"
                       "### Quality & Testing\n- **With test-automator**: Test coverage of new features\n")
    out = result.stdout
    assert out.index("Integration with other agents:") < out.index("**With prd-writer**") \
        < out.index("**With test-automator**") < out.index("## Pricing Models") < out.index("## Principles")
    assert "\nQuality & Testing:\n- **With test-automator**" in out  # a label, as the one its parent joined


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if "\n---\n" in text else text


def _lines(text: str) -> list[str]:
    """Non-blank lines without trailing spaces: the renderer's only liberties."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def test_copies_of_one_agent_merge_back_to_it(corpus_dir):
    """118 bodies of the corpus stand in two collections word for word (VoltAgent and davila7).
    Merging the copies gives the agent back, every list whole: before, the merge took a line
    its own source says twice for a repeat, and dropped "Cost optimization" from the six
    Well-Architected pillars because a checklist says "Cost optimization > 30% realized". The
    one liberty beside blank lines: the agent's name as the merge writes it (a valid name,
    "dotnet-framework-4-8-expert"), where the body names the agent itself."""
    by_body: dict[str, list[Path]] = {}
    for path in sorted(corpus_dir.glob("*/*.md")):
        by_body.setdefault(_body(path), []).append(path)
    copies = [paths for paths in by_body.values() if len(paths) > 1]
    assert len(copies) >= 100
    changed = []
    for paths in copies:
        merged = merge_files(paths)
        name, new_name = agentforge.load(paths[0]).name, agentforge.loads(merged.text).name
        if _lines(merged.text.split("\n---\n", 1)[1]) != _lines(_body(paths[0]).replace(name, new_name)):
            changed.append(paths[0].name)
    assert changed == []


def test_a_subsection_goes_one_level_under_the_section_its_parent_joined(tmp_path):
    """rshah515's data-engineer has "### ETL/ELT Pipeline Framework" with a bold "**ETL/ELT
    Strategy:**" paragraph under it; the framework joins the base's "### Batch Processing &
    ETL/ELT", so the strategy stands right there (a bold label, as written), not as a "##"
    section after every other."""
    result = merge_two(tmp_path, "## Capabilities\n\n### Batch Processing & ETL/ELT\n\n- Spark batch jobs\n"
                       "- dbt transformations\n\n### Governance\n\n- Data catalogs\n\n## Traits\n\n- Pragmatic\n",
                       "## Data Engineering\n\n### ETL/ELT Pipeline Framework\n\n- Incremental upserts\n\n"
                       "**ETL/ELT Strategy:**\nDesign idempotent pipelines that recover from partial failure.\n")
    out = result.stdout
    assert "- Incremental upserts\n\n**ETL/ELT Strategy:**\nDesign idempotent pipelines" in out
    assert out.index("### Batch Processing") < out.index("**ETL/ELT Strategy:**") < out.index("### Governance")


def test_a_paragraph_is_said_again_only_when_its_words_are(tmp_path):
    """davila7's code-reviewer gives one finding template per severity: "**[HIGH] `file:line`
    ..." scored like the kept "**[CRITICAL] ...**" and went, with the severity it names.
    rshah515's "Data Quality Strategy" went for scoring like its "ETL/ELT Strategy" (both
    "Implement ... Use ... Monitor ..."). A short paragraph must say every word again, a long
    one most of them; a role statement said again in other words still goes."""
    result = merge_two(tmp_path, "You are a data engineer building reliable data platforms for analytics teams "
                       "across batch and streaming workloads.\n\n## Findings\n\n"
                       "**[CRITICAL] `file:line` — short description**\nRisk: what can go wrong\n\n"
                       "Implement modular pipeline architectures. Use distributed processing for large datasets. "
                       "Monitor pipeline health and data freshness continuously.\n\n- Review every pipeline\n",
                       "You are a data engineer who builds reliable data platforms for the analytics teams "
                       "of batch and streaming workloads.\n\n## Findings\n\n"
                       "**[HIGH] `file:line` — short description**\nRisk: what can go wrong\n\n"
                       "Implement comprehensive validation frameworks. Track data lineage end-to-end. "
                       "Monitor data quality metrics and alert on anomalies.\n\n- Review every pipeline\n")
    out = result.stdout
    assert "**[HIGH] `file:line`" in out and "Track data lineage end-to-end" in out
    assert out.count("You are a data engineer") == 1


def test_a_hand_off_that_hands_nothing_is_weighed_by_all_its_words():
    """"Never override security-auditor" hands the agent no topic: it is not said by "Collaborate
    with security-auditor on threat models" (its "never" would go)."""
    from agentforge.model import Item
    from agentforge.survivors import _says

    assert not _says("Collaborate with security-auditor on threat models and audits",
                     Item("Never override security-auditor", 1), None)


def test_a_label_that_takes_a_richer_text_takes_its_authors_too(tmp_path):
    """The base's label "Secret management:" takes the other source's "**Secret Management**:
    Key rotation schedules with Vault" text; the base's own "Key rotation" beside it is then a
    repeat of another source's line, not of its own, and goes."""
    result = merge_two(tmp_path, "## Security\n\n- Secret management:\n  - Vault policies\n  - Sealed secrets\n"
                       "- Key rotation\n- Backups\n",
                       "## Security\n\n- **Secret Management**: Key rotation schedules with Vault, sealed secrets\n")
    items = [line.strip()[2:] for line in result.stdout.splitlines() if line.strip().startswith("- ")]
    assert "Key rotation" not in items


def test_clusters_do_not_depend_on_the_order_of_a_prompt_and_the_same_line_bare():
    from agentforge.cluster import Entry, cluster

    a, b, c = ('"Design a REST API for orders"', "Design a REST API for orders",
               '"Design a REST API for orders and refunds"')
    first = cluster([Entry(0, a), Entry(1, b), Entry(2, c)])
    second = cluster([Entry(1, b), Entry(0, a), Entry(2, c)])
    assert sorted(map(len, first)) == sorted(map(len, second)) == [1, 2]


def test_a_list_keeps_its_own_lead_in_in_the_section_it_joins(tmp_path):
    """davila7's fullstack-developer leads its lists in ("Before writing code:", "Before marking a
    feature complete:"); in the base's section they joined, the items stood bare and the
    done-gate was gone. The list stands under its lead-in."""
    result = merge_two(tmp_path, "## Workflow\n\nPlan the whole stack first.\n\n- Data model design\n- Caching strategy\n",
                       "## Workflow\n\nBefore writing code:\n- Draft the API contract as the interface between layers\n"
                       "- Decide the rendering strategy per route\n\nBefore marking a feature complete:\n"
                       "- Database migrations tested and reversible\n- Tests passing at all levels\n")
    out = result.stdout
    assert "Before writing code:\n\n- Draft the API contract" in out
    assert out.index("Before marking a feature complete") < out.index("- Database migrations tested")


def test_agents_of_distinct_names_with_one_role_in_common_are_named_by_it(tmp_path):
    """wshobson ships one agent under plugin prefixes ("frontend-mobile-development-mobile-developer",
    "multi-platform-apps-mobile-developer"): the merge is "mobile-developer", not the first
    plugin's name. A name most sources share still wins."""
    a = write(tmp_path / "a.md", "---\nname: frontend-mobile-development-mobile-developer\ndescription: d\n---\n\n- x\n")
    b = write(tmp_path / "b.md", "---\nname: multi-platform-apps-mobile-developer\ndescription: d\n---\n\n- x\n")
    result = merge(a, b)
    assert result.exit_code == 0, result.output
    assert "\nname: mobile-developer\n" in result.stdout
    c = write(tmp_path / "c.md", "---\nname: multi-platform-apps-mobile-developer\ndescription: d\n---\n\n- y\n")
    assert "\nname: multi-platform-apps-mobile-developer\n" in merge(a, b, c).stdout


def test_a_formula_in_a_fence_is_kept_where_its_list_goes(tmp_path):
    """davila7's product-manager says "Score = (Reach × Impact × Confidence) / Effort" in a
    fence of one line, in a section the base also has; dropped as an illustration, it left "Rank
    candidate features by score" without a score. A longer sample of code still goes."""
    code = "```python\n" + "".join(f"x{k} = {k}\n" for k in range(6)) + "```\n"
    result = merge_two(tmp_path, "## Prioritization\n\n- Rank candidate features by score\n",
                       "## Prioritization\n\n```\nScore = (Reach × Impact × Confidence) / Effort\n```\n\n"
                       "- Rank candidate features by score\n\n" + code)
    assert "Score = (Reach × Impact × Confidence) / Effort" in result.stdout
    assert "x5 = 5" not in result.stdout


def test_a_list_keeps_an_item_another_section_only_names_among_others(tmp_path):
    """VoltAgent's debugger lists "Heap analysis" under "Memory debugging"; rshah515 names heap
    analysis among Go's tools. The Go line does not say it for the memory list, which lost it
    (and "Automatic reconnection" left websocket's client list the same way). A line about the
    item, beginning with it ("Fragment caching on expensive views"), still says it, wherever it
    stands."""
    result = merge_two(tmp_path, "## Memory debugging\n\n- Heap analysis\n- Memory leaks\n- Stack analysis\n\n"
                       "## Caching\n\n- Fragment caching\n- Russian doll caching\n\n"
                       "## API testing\n\n- Error handling\n- Contract testing\n",
                       "## Tools by language\n\n- **Go Debugging**: Delve debugger, race detector, goroutine "
                       "analysis, and heap profiling\n- **Python Debugging**: pdb/ipdb interactive debugging, "
                       "traceback analysis, memory profiling with memory_profiler\n\n"
                       "## Performance excellence\n\n- Fragment caching on expensive views\n- N+1 queries gone\n\n"
                       "## Execution\n\n- Network error handling (if applicable to task type)\n- Retry flaky tests\n")
    out = result.stdout
    assert "- Heap analysis" in out and "and heap profiling" in out
    assert "- Fragment caching\n" not in out and "- Fragment caching on expensive views" in out
    assert "- Error handling\n" in out  # "Network error handling" is a narrower thing


def test_one_source_s_two_labels_of_one_name_keep_their_own_children(tmp_path):
    """rshah515's ai-engineer has a "Performance Optimization:" label in its vector database box
    and another in its deployment box; the second was taken as said by the first, and "Dynamic
    batching" stood among the vector index's optimizations. davila7's plain "Performance
    optimization" in its model development list is no label of either box."""
    other = ("## Vector Database Management\n\n- Index Strategies:\n  - HNSW for balanced speed\n  - IVF index\n"
             "- Performance Optimization:\n  - GPU acceleration for large indices\n  - Parallel search execution\n\n"
             "## Production Deployment\n\n- API Gateway Layer:\n  - FastAPI services\n  - Request validation\n"
             "- Performance Optimization:\n  - Mixed precision inference\n  - Dynamic batching for throughput\n")
    out = merge_two(tmp_path, "## Model development\n\n- Model training pipelines\n- Fine-tuning\n"
                    "- Performance optimization\n", other).stdout
    deployment = out[out.index("## Production Deployment"):]
    assert "- Performance Optimization:\n  - Mixed precision inference" in deployment
    assert "Dynamic batching" not in out[:out.index("## Production Deployment")]
    development = out[out.index("## Model development"):out.index("## Vector Database Management")]
    assert "- Performance optimization\n" in development  # davila7's own line stays in its list


def test_titles_of_one_frame_around_two_things_are_two_sections(tmp_path):
    """wshobson's qa branches "If only Medium bugs found" and "If only Low bugs found" became
    one, and Medium bugs then set the flag that lets sign-off go ahead; rshah515's "Performance
    Issue Investigation" went into "Production Issue Investigation". One topic said two ways
    ("Type System Mastery", "Type System Strategy") is no such pair."""
    result = merge_two(tmp_path, "## If only Medium bugs found\n\n- Set `flags.qa_bugs_pending = true`\n"
                       "- Route back to implement for fixes\n",
                       "## If only Low bugs found\n\n- Set `flags.qa_bugs_pending = false`\n"
                       "- Route back to implement for fixes\n- Proceed to sign-off\n")
    low = result.stdout[result.stdout.index("## If only Low bugs found"):]
    assert "- Set `flags.qa_bugs_pending = false`" in low and "- Proceed to sign-off" in low
    assert align.parallel(align._words("Frontend Performance Optimization"), align._words("Backend Performance Optimization"))
    assert not align.parallel(align._words("Type System Mastery"), align._words("Type System Strategy"))


def test_prose_one_revision_rewrote_in_place_is_said_once_in_the_base_s_words(tmp_path):
    """davila7's qa-expert rewrote VoltAgent's delivery report "Executed 1,847 test cases
    achieving 94% coverage" as a template ("Executed [N] test cases ... never fabricate
    numbers"); the merge kept both, a made-up report beside the rule against one."""
    shared = "".join(f"- Shared practice number {n} for every project\n" for n in range(8))
    base = write(tmp_path / "a.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                 "\nReport only numbers you measured; never fabricate them:\n\n"
                 '"QA completed. Executed [N] test cases achieving [X]% coverage per the coverage report."\n')
    other = write(tmp_path / "b.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                  '\nDelivery notification:\n\n"QA completed. Executed 1,847 test cases achieving 94% coverage."\n')
    result = merge(base, other, "--base", base, "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Executed [N] test cases" in result.stdout and "1,847" not in result.stdout
    prose = json.loads((tmp_path / "r.json").read_text())["prose"]
    gone = next(p for p in prose if "1,847" in p["text"])
    assert gone["reason"].startswith("rewritten in another revision of this file")
    # the template stays whichever revision wrote it: the base's made-up report goes; its lead-in
    # "Delivery notification:" leads into the template, or goes when the template says it itself
    result = merge(base, other, "--base", other)
    assert result.exit_code == 0, result.output
    assert "Executed [N] test cases" in result.stdout and "1,847" not in result.stdout
    labelled = write(tmp_path / "e.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                     '\nDelivery notification (report only what you measured): "QA completed. Executed [N] test '
                     'cases achieving [X]% coverage."\n')
    result = merge(labelled, other, "--base", other)
    assert result.exit_code == 0, result.output
    assert "Delivery notification (report only" in result.stdout and "1,847" not in result.stdout
    assert "Delivery notification:" not in result.stdout
    # figures beside a rule of their own are more than a filled template: they stay
    ruled = write(tmp_path / "f.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                  "\nTarget 80% coverage on new code; block merges that lower it, and explain any exemption.\n")
    blank = write(tmp_path / "g.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                  "\nCoverage target: [X]% on new code.\n")
    result = merge(ruled, blank, "--base", ruled)
    assert result.exit_code == 0, result.output
    assert "block merges that lower it" in result.stdout
    rule = "Always run the full test suite before you report results to the user."
    more = ("Never mark a task done while any security finding rated high or critical remains open. Attach the "
            "coverage report, the list of flaky tests you quarantined, and the exact commands you ran. Record "
            "each environment variable you changed, the seed of every randomized test, and the versions of the "
            "browsers and drivers used, so a reviewer can reproduce every number you report.")
    tail = "\n## Finish\n\n- Close the ticket\n- Notify the team\n"
    short = write(tmp_path / "c.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                  f"\n{rule}\n" + tail)
    longer = write(tmp_path / "d.md", "---\nname: qa-expert\ndescription: d\n---\n\n## Practices\n\n" + shared +
                   f"\n{rule} {more}\n" + tail)
    kept = merge(short, longer, "--base", short).stdout
    assert "Never mark a task done while any security finding" in kept  # rules added to a paragraph stay


def test_hand_offs_go_where_hand_offs_are_not_into_a_list_of_their_topic(corpus_dir, tmp_path):
    """rshah515's rails-expert groups its hand-offs under "**TESTING INTEGRATION**:" and "**API &
    FRONTEND**:"; they stood at the end of VoltAgent's "Testing:" and "API development:" lists."""
    result = merge(*[corpus_dir / name for name in RAILS], "-o", tmp_path / "out.md")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.md").read_text()
    topics = out[out.index("\nTesting:\n"):out.index("\nSecurity:\n")]
    assert "**With" not in topics
    handoffs = out[out.index("\nIntegration with other agents:\n"):]
    assert "**With playwright-expert**" in handoffs and "**With react-expert**" in handoffs


def test_a_text_fence_a_lead_in_introduces_is_a_template_and_stays(tmp_path):
    """wshobson's qa agent says "Write `.claude/pipeline/qa-report.md`:" over the report's
    template; dropped as another source's illustration, the step said to write a report and
    no longer said what goes in it. A sample after "For example:" is still an illustration."""
    template = "```md\n# QA Report — [Task Name]\n" + "".join(f"- Field {k}: [value]\n" for k in range(30)) + "```\n"
    code = "```\n" + "".join(f"x{k} = compute({k})\n" for k in range(45)) + "```\n"
    result = merge_two(tmp_path, "## Testing\n\n- Run the test suite\n- Record results\n",
                       "## Testing\n\n- Run the test suite\n\n### Write QA Report\n\n"
                       "Write `.claude/pipeline/qa-report.md`:\n\n" + template + "\nFor example:\n\n" + code)
    assert "# QA Report — [Task Name]" in result.stdout and "- Field 29: [value]" in result.stdout
    assert "x44 = compute(44)" not in result.stdout  # an example, though its fence names no language


def test_a_label_over_a_paragraph_stands_apart_from_it():
    """rshah515's "### System State and Resource Investigation" over "**Understanding system
    conditions ...:**" becomes a label beside a label parent; written tight, Markdown read the
    two lines as one paragraph."""
    from agentforge.outline import Part, Prose, part_markdown

    lead = Prose("**Understanding system conditions that contribute to issues:**", 1, 10)
    part = Part("System State", "System State and Resource Investigation:", 7, "label", tight=True, blocks=[lead])
    text = part_markdown(part)
    assert text.startswith("System State and Resource Investigation:\n\n**Understanding")
    from agentforge.outline import OutList
    from agentforge.survivors import Node

    led = OutList([Node([0], "Check disk usage", 0, 0, frozenset({0}))], label="Approach:")
    emptied = OutList([])
    part = Part("System State", "System State:", 7, "label", tight=True, blocks=[emptied, led])
    assert part_markdown(part).startswith("System State:\n\nApproach:")


def test_a_subsection_of_a_label_is_a_label_right_under_it(tmp_path):
    """rshah515's kubernetes-expert closes each box with a bold "**Resource Strategy:**"
    paragraph. Its box ("### Autoscaling Strategies") went beside the base's labels, as a label;
    the strategy became a "### Resource Strategy" heading, which then went past every label
    after it, so three strategies stood together far from their boxes, h3 under no h2."""
    result = merge_two(tmp_path, "Scaling patterns:\n- Horizontal pod autoscaling\n- Cluster autoscaling\n\n"
                       "Ingress patterns:\n- Ingress controllers\n- Gateway API\n\n"
                       "## Communication Protocol\n\nAsk the context manager first.\n",
                       "## Scaling\n\n### Autoscaling Strategies\n- **KEDA**: Event-driven scaling\n"
                       "- **VPA**: Right-size pod resources\n\n**Resource Strategy:**\n"
                       "Set requests based on actual usage. Plan for burst capacity.\n\n"
                       "### Service Mesh\n- **Istio**: mTLS and traffic policy\n\n**Mesh Strategy:**\n"
                       "Start without a mesh. Add one when mTLS is required.\n")
    out = result.stdout
    assert "#" * 3 + " Resource Strategy" not in out and "#" * 3 + " Mesh Strategy" not in out
    assert out.index("KEDA") < out.index("Resource Strategy:") < out.index("Set requests") \
        < out.index("Istio") < out.index("Mesh Strategy:") < out.index("Start without")
    # a title that ends in a colon of its own takes no second one
    result = merge_two(tmp_path, "Scaling patterns:\n- Horizontal pod autoscaling\n- Cluster autoscaling\n\n"
                       "## Communication Protocol\n\nAsk the context manager first.\n",
                       "## Scaling\n\n### Autoscaling Strategies\n- **KEDA**: Event-driven scaling\n\n"
                       "#### Resource Strategy:\nSet requests based on actual usage.\n")
    assert "Resource Strategy:\n" in result.stdout and "Strategy::" not in result.stdout


def test_two_sources_sections_of_one_title_are_one_list_where_they_land(tmp_path):
    """0xfurai's and wshobson's typescript agents both have "## Approach"; both went to the
    base's "When invoked:" (one kind of section), each under its own "Approach:" label, so
    the agent said "Approach:" twice, one list after the other."""
    base = agent(tmp_path, "a", "When invoked:\n1. Read the tsconfig\n2. Run the type checker\n\n"
                 "Checklist:\n- Strict mode on\n- No implicit any\n")
    first = agent(tmp_path, "b", "## Approach\n\n- Always enable strict type checking\n- Prefer interfaces for object shapes\n")
    second = agent(tmp_path, "c", "## Approach\n\n1. Use generics and utility types\n2. Design robust abstract classes\n")
    result = merge(base, first, second, "--base", base)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("Approach:") == 1
    approach = out.split("Approach:")[1].split("Checklist:")[0]
    assert all(words in approach for words in ("strict type checking", "interfaces", "generics", "abstract classes"))
    # and so when the numbered list comes first
    numbered = agent(tmp_path, "b", "## Approach\n\n1. Use generics and utility types\n2. Design robust abstract classes\n")
    bullets = agent(tmp_path, "c", "## Approach\n\n- Always enable strict type checking\n- Prefer interfaces for object shapes\n")
    result = merge(base, numbered, bullets, "--base", base)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Approach:") == 1
    assert "2. Design robust abstract classes\n\n- Always enable strict type checking\n" in result.stdout  # no step 3


def test_the_merged_agent_calls_itself_by_its_new_name_and_words_stay_words(tmp_path):
    """VoltAgent's fastapi-developer asks the context manager as "requesting_agent":
    "fastapi-developer"; merged as fastapi-expert, the body must say the new name. A source
    named by one plain word ("accessibility") is renamed only where "agent" follows: the
    description had said "web accessibility-expert (WCAG 2.1/2.2)"."""
    base = write(tmp_path / "a.md", "---\nname: fastapi-developer\ndescription: Builds FastAPI services. "
                 "Use the fastapi-developer agent for APIs.\n---\n\n## Protocol\n\n```json\n"
                 '{"requesting_agent": "fastapi-developer"}\n```\n\n## Skills\n\n- Pydantic models\n- Async routes\n')
    other = write(tmp_path / "b.md", "---\nname: accessibility\ndescription: Expert for web accessibility "
                  "(WCAG 2.2) and a11y audits.\n---\n\n## Skills\n\n- Pydantic models\n- Screen reader testing\n")
    result = merge(base, other, "--base", base, "--name", "fastapi-expert")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert '"requesting_agent": "fastapi-expert"' in out and "fastapi-developer" not in out
    assert "Use the fastapi-expert agent" in out
    plain = write(tmp_path / "c.md", "---\nname: accessibility\ndescription: Expert for web accessibility "
                  "(WCAG 2.2). Use the accessibility agent for audits.\n---\n\n## Skills\n\n- Screen reader testing\n")
    result = merge(plain, base, "--base", plain, "--name", "accessibility-expert")
    assert result.exit_code == 0, result.output
    assert "Expert for web accessibility (WCAG 2.2). Use the accessibility-expert agent" in result.stdout
    # another agent a source's prose names stays, even another source: no hand-off to itself
    handing = write(tmp_path / "d.md", "---\nname: fastapi-pro\ndescription: Builds APIs.\n---\n\n## Skills\n\n"
                    "- Pydantic models\n\n## Escalation\n\nHand off to fastapi-developer when the API needs a redesign.\n")
    result = merge(base, handing, "--base", base, "--name", "fastapi-expert")
    assert result.exit_code == 0, result.output
    assert "Hand off to fastapi-developer when" in result.stdout and '"requesting_agent": "fastapi-expert"' in result.stdout


def test_a_deliverable_never_joins_a_line_of_another_role(tmp_path):
    """0xfurai's docker-expert lists what it hands over under "## Output" ("Docker Compose
    files for multi-container setup"); VoltAgent's lists what it works on ("Docker Compose
    setup"). Joined, the deliverable stood in the workflow list, in its words, and the Output
    list no longer named Compose files. Not even the same words join across roles: an Output
    list whose lines the workflow also says had been emptied into it (and its heading with it)."""
    result = merge_two(tmp_path, "Development workflow:\n- Docker Compose setup\n- Hot reload configuration\n"
                       "- Multi-stage builds\n\n## Principles\n\n- Small images\n",
                       "## Output\n\n- Docker Compose files for multi-container setup\n- Optimized Dockerfiles\n"
                       "- Multi-stage builds\n")
    out = result.stdout
    assert "Output" in out, out
    workflow, output = out.split("Development workflow:")[1].split("Output")
    assert "- Docker Compose setup\n" in workflow and "Docker Compose files for multi-container setup" in output
    assert "- Multi-stage builds\n" in workflow and "- Multi-stage builds\n" in output
    # nor does a deliverable say a line of another place and role: VoltAgent's check
    # "Monitoring comprehensive" went as said by 0xfurai's "Comprehensive monitoring dashboards"
    result = merge_two(tmp_path, "Excellence checklist:\n- Monitoring comprehensive\n- Security hardened\n",
                       "## Output\n\n- Comprehensive monitoring dashboards\n- Helm charts\n")
    checks, output = result.stdout.split("Excellence checklist:")[1].split("Output")
    assert "- Monitoring comprehensive\n" in checks and "- Comprehensive monitoring dashboards\n" in output


def test_a_section_of_first_person_prose_that_stands_alone_stays(tmp_path):
    """rshah515 says how each agent talks in "## Communication Style", in the first person
    ("I'm precise and type-focused ..."). The base has no such section, so it stands on its own
    and stays: dropped for its voice, the section went with it, and four readers found the
    agent's way of explaining lost, in the base's voice ("You're ..."). In a section the base
    has, the base's voice is kept."""
    result = merge_two(tmp_path, "You are a TypeScript expert.\n\n## Skills\n\n- Generics\n- Mapped types\n\n"
                       "## Approach\n\n- Strict mode first\n",
                       "You are a TypeScript developer.\n\n## Communication Style\n"
                       "I'm precise and type-focused. I explain complex types in plain terms.\n\n"
                       "## Approach\n\nI start from the compiler errors.\n\n- Strict mode first\n")
    out = result.stdout
    assert "## Communication Style\nYou're precise and type-focused. You explain complex types in plain terms." in out
    assert "I start from the compiler errors." not in out and "start from the compiler errors" not in out


def test_another_sources_purpose_that_states_its_role_is_an_opening(tmp_path):
    """wshobson's agents open "You are a ..." and say it again under "## Purpose" ("Expert AI
    engineer specializing in ..."). The base's opening is kept, so that second role statement
    stood mid-agent under its own heading. A purpose that gives work stays."""
    result = merge_two(tmp_path, "You are a senior AI engineer.\n\n## Skills\n\n- RAG pipelines\n- Prompt design\n",
                       "You are an AI engineer.\n\n## Purpose\n\nExpert AI engineer specializing in LLM applications "
                       "and RAG systems.\n\n## Capabilities\n\n- Vector search\n")
    assert "Purpose" not in result.stdout and "Expert AI engineer specializing" not in result.stdout
    assert "- Vector search" in result.stdout
    result = merge_two(tmp_path, "You are a senior code reviewer.\n\n## Skills\n\n- Security review\n",
                       "## Purpose\n\nPerform thorough code reviews to find logic errors and type safety gaps.\n")
    assert "## Purpose\n\nPerform thorough code reviews" in result.stdout


def test_another_sources_groups_follow_its_plain_lines_in_a_list(tmp_path):
    """rshah515's boxes bring labelled groups ("Traffic Management:" over its bullets) into the
    base's "Service mesh:" list, where wshobson's lines came too; mixed by support alone, the
    list read as bullets and fragments of a diagram in turn. Other sources' plain lines come
    first, then their groups."""
    result = merge_two(tmp_path, "Service mesh:\n- Istio implementation\n- Circuit breaking\n\nGitOps:\n- ArgoCD setup\n",
                       "## Service Mesh\n\n- Traffic Management:\n  - Load balancing algorithms\n  - Timeouts\n"
                       "- **Linkerd**: Lightweight service mesh, automatic mTLS\n- Security:\n  - mTLS encryption\n"
                       "- **Gateway API**: Next-generation ingress\n")
    mesh = result.stdout.split("Service mesh:")[1].split("GitOps:")[0]
    assert mesh.index("Istio implementation") < mesh.index("**Linkerd**") < mesh.index("**Gateway API**") \
        < mesh.index("Traffic Management:") < mesh.index("Security:")


def test_two_revisions_that_name_different_tools_in_one_place_are_told(corpus_dir, tmp_path):
    """davila7's python-pro rewrote VoltAgent's "PEP 8 compliance with black formatting" as
    "... with ruff format and ruff check": both stay (neither says the other's tool), and the
    agent asks for both formatters. The merge cannot know which revision is newer; it says
    where they disagree, on stderr and in the report, so the user picks one."""
    result = merge(*families(corpus_dir)["python"], "--report", tmp_path / "report.json",
                   "--review", tmp_path / "review.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "review.html").read_text()
    shown = page[page.index('id="disagreements"'):page.index('id="agent"')]
    assert "<code>black</code> or <code>check, ruff</code>" in shown and shown.count('href="#c') == 4
    assert "revisions disagree, black or check, ruff:" in result.stderr
    found = json.loads((tmp_path / "report.json").read_text())["disagreements"]
    black = next(d for d in found if d["earlier"]["names"] == ["black"])
    assert black["earlier"]["text"] == "PEP 8 compliance with black formatting"
    assert black["later"]["names"] == ["check", "ruff"] and black["later"]["line"] == 18


def test_a_sources_two_sections_never_join_each_other(tmp_path):
    """wshobson's qa agent has "## Inputs" and, under "## Workflow", "### 1. Read All Inputs":
    the step joined the source's own Inputs section (one title holds the other's words), and
    its procedure read 2, 3, ..., 7. A source's sections are distinct by its own writing."""
    result = merge_two(tmp_path, "## Skills\n\n- Test planning\n- Defect tracking\n\n## Development Workflow\n\n"
                       "### 1. Quality Analysis\n\n- Review coverage\n",
                       "## Inputs\n\n- orchestrator-output.md\n- AGENTS.md\n\n## Workflow\n\n### 1. Read All Inputs\n\n"
                       "Read every input before starting.\n\n### 2. Build Test Checklist\n\n- One line per criterion\n")
    out = result.stdout
    assert "### 1. Read All Inputs\n" in out
    assert out.index("### 1. Read All Inputs") < out.index("Read every input") < out.index("### 2. Build Test Checklist")


def test_two_procedures_of_other_steps_stand_apart(tmp_path):
    """wshobson's qa agent has "## Workflow" of seven numbered steps; VoltAgent's has "##
    Development Workflow" of three other phases. One kind of title, so one section: it read
    1, 2, 3, 1, 2, ..., 7. Two procedures whose steps share no title are two sections; steps
    of one title (a revision's) still align."""
    result = merge_two(tmp_path, "## Development Workflow\n\n### 1. Quality Analysis\n\n- Review coverage\n\n"
                       "### 2. Implementation Phase\n\n- Write the tests\n",
                       "## Workflow\n\n### 1. Read All Inputs\n\n- Read the plan\n\n### 2. Build Test Checklist\n\n"
                       "- One line per criterion\n\n### 3. Execute Tests\n\n- Record PASS or FAIL\n")
    out = result.stdout
    assert "## Workflow\n" in out
    mine = out.split("## Workflow\n")[1]
    assert mine.index("### 1. Read All Inputs") < mine.index("### 2. Build Test Checklist") < mine.index("### 3. Execute Tests")
    assert "Quality Analysis" not in mine
    again = merge_two(tmp_path, "## Development Workflow\n\n### 1. Quality Analysis\n\n- Review coverage\n",
                      "## Workflow\n\n### 1. Quality Analysis\n\n- Review coverage and flaky tests\n")
    assert "## Workflow" not in again.stdout and again.stdout.count("### 1. Quality Analysis") == 1
    # status codes are no steps: two "## Error Responses" are one section
    codes = merge_two(tmp_path, "## Error Responses\n\n### 400: Bad Request\n\n- Name the field\n",
                      "## Error Responses\n\n### 404: Not Found\n\n- Name the resource\n")
    assert codes.stdout.count("## Error Responses") == 1


def test_steps_of_one_procedure_under_another_title_go_on_numbering_it(tmp_path):
    """Two seeds number their approach: the base's "Understand Context First" is the staff
    file's "Understand the Context" (one step, which takes its bullets). The staff file's other steps
    go on the one procedure (3, 4), not under a label "Approach to Problem Solving:" of their
    own numbered 1, 2 after the base's steps."""
    result = merge_two(tmp_path, "## Your Approach\n\n1. **Understand Context First**: ask about scale and team\n"
                       "2. **Write Tests**: cover the edge cases\n",
                       "## Approach to Problem Solving\n\n1. **Understand the Context**\n   - Team size\n"
                       "2. **Design for Scale**\n   - Plan for graceful degradation\n"
                       "3. **Implementation Excellence**\n   - Extensive documentation\n")
    out = result.stdout
    assert "Approach to Problem Solving:" not in out
    steps = [line.split("**")[1] for line in out.splitlines() if line[:1].isdigit()]
    assert steps == ["Understand Context First", "Write Tests", "Design for Scale", "Implementation Excellence"]
    assert "1. **Understand Context First**: ask about scale and team\n   - Team size\n" in out


def test_a_step_that_only_titles_its_bullets_is_the_step_titled_alike(tmp_path):
    """The staff seed's "2. **Design for Scale**" over four bullets is the expert seed's "3.
    **Design for Scalability**: You architect solutions ...": one step, which takes the bullets,
    whichever source came first (the one without words of its own goes)."""
    result = merge_two(tmp_path, "## Approach\n\n1. **Design for Scale**\n   - Plan for graceful degradation\n"
                       "2. **Write Tests**: cover the edge cases\n",
                       "## Approach\n\n1. **Review First**: read the code\n"
                       "2. **Design for Scalability**: You architect solutions that handle growth\n")
    out = result.stdout
    assert "Design for Scale**\n" not in out
    assert "**Design for Scalability**: You architect solutions that handle growth\n   - Plan for graceful degradation" in out



def test_a_line_another_source_says_in_fewer_words_stays_in_its_own_list(tmp_path):
    """The kiss seed's quality checklist says "Check that error handling is comprehensive but
    not excessive"; the staff seed's "Implementation Excellence" says "Comprehensive error
    handling". The checklist keeps its line: the richer words stand where their author put
    them, not where the earlier source had its shorter item."""
    result = merge_all(tmp_path, {
        "base": "## Skills\n\n- Python services\n- SQL databases\n",
        "alpha": "## Implementation Excellence\n\n- Comprehensive error handling\n- Extensive documentation\n",
        "beta": "## Quality Assurance\n\n- Check that error handling is comprehensive but not excessive\n"
                "- Verify security best practices are implemented\n"})
    out = result.stdout
    sections = {part.split("\n", 1)[0]: part for part in out.split("\n## ")[1:]}
    assert "- Check that error handling is comprehensive but not excessive" in sections["Quality Assurance"]
    assert out.count("error handling") == 1


def test_a_label_whose_items_all_stand_elsewhere_goes(tmp_path):
    """rshah515's blockchain box "Security Best Practices:" heads four checks that other sources
    say in their own lists: the label, left over nothing, is no line of the merged agent; the
    checks stand once, where the base has them, and the box's other label keeps its item."""
    result = merge_two(tmp_path, "## Security\n\n- Reentrancy guard implementations\n- Input validation and sanitization\n",
                       "## Contracts\n\n- Contract Design Patterns:\n  - Factory pattern for deployment\n"
                       "- Security Best Practices:\n  - Reentrancy guard implementations\n"
                       "  - Input validation and sanitization\n")
    out = result.stdout
    assert "Security Best Practices" not in out
    assert out.count("Reentrancy guard implementations") == 1
    assert "- Contract Design Patterns:\n  - Factory pattern for deployment" in out


def test_a_list_after_the_sections_closing_words_has_its_own_lead_in(tmp_path):
    """wshobson's performance-engineer "## Output Format" describes each finding, then closes
    with "End with: performance summary, ...". davila7's "## Output" deliverables stand after
    that line under their own title, not as if the closing line listed them."""
    result = merge_two(tmp_path, "## Output Format\n\nFor each finding:\n\n- **Impact**: Critical or High\n"
                       "- **Fix**: Specific optimization\n\nEnd with: performance summary and top priorities.\n",
                       "## Output\n\n- Load test scripts and results\n- Before/after performance metrics\n")
    out = result.stdout
    assert "End with: performance summary and top priorities.\n\nOutput:\n\n- Load test scripts and results" in out


def test_made_up_figures_go_where_another_source_says_to_report_actual_ones(tmp_path):
    """VoltAgent's business-analyst ends its workflow with an example notification of invented
    figures; davila7's rewrite says "Delivery summary: Report the actual count ... Do not insert
    placeholder or example numbers." Side by side they contradict: the example goes, the rule
    stays. A paragraph with figures that no rule speaks to stays."""
    result = merge_two(tmp_path, "## Delivery\n\nDelivery notification:\n\"Business analysis completed. Documented 87 "
                       "requirements across 12 processes with 95% approval.\"\n\nAim for 2 or 3 options per decision.\n",
                       "## Reporting\n\nDelivery summary: Report the actual count of requirements documented, based "
                       "only on findings from this session. Do not insert placeholder or example numbers.\n")
    out = result.stdout
    assert "Documented 87 requirements" not in out and "Delivery notification" not in out
    assert "Do not insert placeholder or example numbers." in out
    assert "Aim for 2 or 3 options per decision." in out


def test_steps_of_two_procedures_never_join(tmp_path):
    """davila7's performance-engineer "## Approach" starts "1. Measure before optimizing";
    rshah515's "## Best Practices" starts "1. **Measure First** - Always profile before
    optimizing". Each procedure keeps its first step: joined, one of them read 1-4 from its
    second step on."""
    result = merge_two(tmp_path, "## Best Practices\n\n1. **Measure First** - Always profile before optimizing\n"
                       "2. **Set Goals** - Define clear performance targets\n",
                       "## Approach\n\n1. Measure before optimizing\n2. Focus on biggest bottlenecks first\n")
    out = result.stdout
    assert "1. **Measure First** - Always profile before optimizing\n2. **Set Goals**" in out
    assert "1. Measure before optimizing\n2. Focus on biggest bottlenecks first" in out


def test_a_list_another_source_brought_keeps_its_order(tmp_path):
    """davila7's prompt-engineer reasoning framework ends with "Conclusion" ("conclusions ...
    should ALWAYS appear last"), in its opening words, which join the base's; its items with
    sub-items ("Reasoning" over "Identify") stand where it wrote them, not after its plain ones."""
    result = merge_two(tmp_path, "You improve prompts.\n\n## Skills\n\n- Prompt design patterns\n- Evaluation methods\n",
                       "Analyze the prompt against this framework first.\n\n- Simple Change: is the change simple?\n"
                       "- Reasoning: does the prompt use chain of thought?\n  - Identify: which sections reason?\n"
                       "- Conclusion: what should change, given the assessment above\n")
    lines = [line.split(":")[0].strip("- ") for line in result.stdout.splitlines() if ": " in line and "- " in line]
    assert lines == ["Simple Change", "Reasoning", "Identify", "Conclusion"]


def test_another_revision_of_a_list_puts_its_items_where_it_wrote_them(tmp_path):
    """VoltAgent's and davila7's python-pro share most of one list; davila7's added line stands
    beside the lines around it in its own file, not after the whole list."""
    base = "## Practices\n\n- Type hints everywhere\n- Docstrings on public functions\n- Tests with pytest\n" \
           "- Async for I/O bound work\n- Profiling before optimizing\n"
    other = "## Practices\n\n- Type hints everywhere\n- PEP 695 type parameter syntax\n- Docstrings on public functions\n" \
            "- Tests with pytest\n- Async for I/O bound work\n- Profiling before optimizing\n"
    out = merge_two(tmp_path, base, other).stdout
    assert "- Type hints everywhere\n- PEP 695 type parameter syntax\n- Docstrings on public functions" in out


def test_hand_offs_to_two_agents_never_join(tmp_path):
    """VoltAgent's product-manager partners "with data-analyst on metrics"; rshah515's works
    "**With data-scientist**: ... success metrics ...". Two agents, two hand-offs: data-analyst
    is still named in the merged agent."""
    result = merge_two(tmp_path, "## Integration\n\n- **With data-scientist**: Define analytics requirements, "
                       "success metrics, and experimentation frameworks\n- **With ux-designer**: Review flows\n",
                       "## Integration\n\n- Partner with data-analyst on metrics\n- Support ux-designer on flows\n")
    out = result.stdout
    assert "- Partner with data-analyst on metrics" in out
    assert "**With data-scientist**: Define analytics requirements, success metrics" in out


def test_a_trigger_from_another_description_follows_a_finished_sentence(tmp_path):
    """davila7's accessibility-expert description has no full stop ("... and a11y testing");
    wshobson's trigger sentence joins it as a sentence of its own: "testing. Use PROACTIVELY"."""
    base = agent(tmp_path, "a", "## Skills\n\n- WCAG audits\n- Screen readers\n",
                 description="Expert assistant for web accessibility and a11y testing")
    other = agent(tmp_path, "b", "## Skills\n\n- WCAG audits\n",
                  description="Accessibility specialist. Use PROACTIVELY when auditing accessibility.")
    result = merge(base, other, "--base", base)
    assert result.exit_code == 0, result.output
    assert "description: Expert assistant for web accessibility and a11y testing. Use PROACTIVELY when auditing " \
           "accessibility.\n" in result.stdout


def test_another_descriptions_sentence_of_new_topics_joins_the_description(tmp_path):
    """wshobson's php-pro description names what rshah515's does not ("Write idiomatic PHP code
    with generators, iterators, SPL data structures, and modern OOP features."): Claude Code
    delegates by the description, so that sentence joins, before the base's trigger. A sentence
    that mostly says the base's words again, another trigger or a role does not, nor one of
    words that describe any agent ("efficient, clean, and maintainable ... across various
    domains": java, php)."""
    base = agent(tmp_path, "a", "## Skills\n\n- Laravel apps\n- Symfony bundles\n",
                 description="Expert in modern PHP development including PHP 8+ features, Laravel and Symfony. "
                             "Use PROACTIVELY for high-performance PHP applications.")
    other = agent(tmp_path, "b", "## Skills\n\n- Laravel apps\n",
                  description="Write idiomatic PHP code with generators, iterators, SPL data structures, and modern "
                              "OOP features. Expert in PHP 8+ features and Laravel development. "
                              "Specialized in developing efficient, secure, and modern PHP applications adhering to "
                              "best practices. Master PHP developer writing clean, robust code across various domains. "
                              "Use PROACTIVELY for PHP refactoring.")
    result = merge(base, other, "--base", base)
    assert result.exit_code == 0, result.output
    assert ("description: Expert in modern PHP development including PHP 8+ features, Laravel and Symfony. Write "
            "idiomatic PHP code with generators, iterators, SPL data structures, and modern OOP features. Use "
            "PROACTIVELY for high-performance PHP applications.\n") in result.stdout


def test_an_example_report_in_quotes_goes_beside_a_rule_against_made_up_figures(tmp_path):
    """davila7's product-manager reports progress under a rule of its own ("When reporting
    progress ... Never fabricate feature counts ..."); VoltAgent's quoted example notification
    ("Shipped 23 features ... NPS improved from 32 to 58") contradicts it and goes, whatever
    its lead-in says. A quoted sentence without figures stays."""
    result = merge_two(tmp_path, "## Workflow\n\nDelivery notification:\n\"Product launch completed. Shipped 23 features "
                       "achieving 84% satisfaction. NPS improved from 32 to 58.\"\n\nSay \"ready\" when done.\n",
                       "## Progress Reporting\n\nWhen reporting progress, use only metrics the user provided. "
                       "Never fabricate feature counts or satisfaction scores.\n")
    out = result.stdout
    assert "Shipped 23 features" not in out and "Never fabricate feature counts" in out
    assert "Say \"ready\" when done." in out


def test_two_sources_that_nest_two_items_the_other_way_round_still_merge(tmp_path):
    """One file puts "Profile hot code paths ..." under "Review authentication security", the
    other the reverse, each child the richer wording. A node stands where its richest member
    stands only when that member is a top-level item: anchored at both children, the two nodes
    were each other's parent, and the merge refused to lose them."""
    result = merge_all(tmp_path, {
        "a": "## Skills\n\n- Python services\n- SQL databases\n",
        "b": "## Practices\n\n- Review authentication security\n"
             "  - Profile hot code paths with flame graphs and allocation tracking\n- Write clear commit messages\n",
        "c": "## Practices\n\n- Profile hot code paths\n"
             "  - Review authentication security and secrets handling in depth\n- Keep pull requests small\n"})
    assert "Review authentication security" in result.stdout and "Profile hot code paths" in result.stdout


def test_a_base_without_list_items_still_anchors_others_at_their_richest_line(tmp_path):
    """The base says its skills in prose; the richer of two other sources' lines keeps its own
    list (the base is the first source's units, not the first item's source)."""
    result = merge_all(tmp_path, {
        "a": "## Skills\n\nYou build Python services backed by SQL databases.\n",
        "b": "## Implementation Excellence\n\n- Comprehensive error handling\n- Extensive documentation\n",
        "c": "## Quality Assurance\n\n- Check that error handling is comprehensive but not excessive\n"
             "- Verify security best practices are implemented\n"})
    sections = {part.split("\n", 1)[0]: part for part in result.stdout.split("\n## ")[1:]}
    assert "- Check that error handling is comprehensive but not excessive" in sections["Quality Assurance"]



def test_a_titled_step_of_another_source_goes_into_the_bases_step_titled_alike(tmp_path):
    """The seeds the other way round: the staff seed's bare "**Design for Scale**" (over its
    bullets) goes into the base's "**Design for Scalability**: You architect ...", which keeps
    its place and takes the bullets."""
    result = merge_two(tmp_path, "## Approach\n\n1. **Review First**: read the code\n"
                       "2. **Design for Scalability**: You architect solutions that handle growth\n",
                       "## Approach\n\n1. **Design for Scale**\n   - Plan for graceful degradation\n"
                       "2. **Write Tests**: cover the edge cases\n")
    out = result.stdout
    assert "Design for Scale**\n" not in out
    assert "2. **Design for Scalability**: You architect solutions that handle growth\n   - Plan for graceful degradation" in out


def test_a_step_titled_like_its_own_parent_step_stays_under_it(tmp_path):
    """A base step with a sub-step titled alike ("Design for Scalability" over "Design for
    Scale"): the two are parent and child, never one step (the parent went into its own child,
    and the merge refused to lose both)."""
    result = merge_two(tmp_path, "## Approach\n\n1. **Design for Scalability**: You architect solutions that handle growth\n"
                       "   1. **Design for Scale**\n      - Plan for graceful degradation\n   2. **Measure**: profile it\n"
                       "2. **Write Tests**: cover the edge cases\n",
                       "## Skills\n\n- Kubernetes operators\n")
    out = result.stdout
    assert "Design for Scalability**: You architect" in out and "Design for Scale**" in out
    assert "Plan for graceful degradation" in out


def test_a_step_is_never_said_by_a_step_of_another_procedure(tmp_path):
    """A procedure's first step about stack traces is not said by another list's item about them:
    absorbing it would leave its procedure without its first step (a numbered "Best Practices"
    list is no procedure, but a procedure's step joins only steps)."""
    result = merge_two(tmp_path, "## Best Practices\n\n1. Capture the error message and stack trace\n2. Keep fixes minimal\n",
                       "## Debugging Process\n\n1. Capture error messages and stack traces\n2. Identify the steps to reproduce\n")
    out = result.stdout
    assert "1. Capture error messages and stack traces\n2. Identify the steps to reproduce" in out


def test_a_label_over_emptied_labels_goes_too(tmp_path):
    """"Security Topics:" heads only "Best Practices:", whose checks the base says: both labels
    go; the other label keeps its item."""
    result = merge_two(tmp_path, "## Security\n\n- Reentrancy guard implementations\n- Input validation and sanitization\n",
                       "## Contracts\n\n- Contract Design Patterns:\n  - Factory pattern for deployment\n"
                       "- Security Topics:\n  - Best Practices:\n    - Reentrancy guard implementations\n"
                       "    - Input validation and sanitization\n")
    out = result.stdout
    assert "Security Topics" not in out and "Best Practices" not in out
    assert "- Contract Design Patterns:\n  - Factory pattern for deployment" in out


def test_a_paragraph_with_numbers_stays_beside_a_rule_of_another_kind(tmp_path):
    """"You target Python 3.12 and Django 5.0" is no made-up report, and "You compare expected and
    actual results" no rule against made-up figures: both stay."""
    result = merge_two(tmp_path, "## Environment\n\nYou target Python 3.12 and Django 5.0 for all new services.\n\n"
                       "- Use type hints\n",
                       "## Testing\n\nYou compare expected and actual results before changing any code.\n\n- Run pytest\n")
    out = result.stdout
    assert "You target Python 3.12 and Django 5.0" in out and "You compare expected and actual results" in out


def test_numbered_sub_steps_keep_their_numbers(tmp_path):
    """davila7's blueprint-mode numbers the sub-steps of a step ("1. Check `Outstanding Issues`",
    "2. For each item:"); merged, they are still numbered, in their order, under their step."""
    result = merge_two(tmp_path, "## Workflow\n\n- Resume work:\n  1. Check the outstanding issues\n"
                       "  2. For each item:\n     - Resolve it or skip it\n- Report the summary\n",
                       "## Skills\n\n- Planning\n")
    assert "- Resume work:\n  1. Check the outstanding issues\n  2. For each item:\n     - Resolve it or skip it\n" \
           in result.stdout


def test_a_bold_label_of_another_source_stays_a_bold_label(tmp_path):
    """rshah515 closes each topic with a bold label over a paragraph ("**Modern Java Strategy:**
    Use records for DTOs ..."). Merged into an agent of headings it stays that label: made a
    heading, it had stood as "##### Modern Java Strategy" under the subsection before it, and as
    "### Practical Application" in one place and a label in another."""
    result = merge_two(tmp_path, "## Skills\n\n- Java services\n\n## Testing\n\n- JUnit 5\n",
                       "## Modern Java Language Features\n\n### Functional Programming\n\n- Stream API pipelines\n"
                       "- Optional instead of null\n\n**Modern Java Strategy:**\nUse records for DTOs. Prefer immutable data.\n")
    out = result.stdout
    assert "**Modern Java Strategy:**" in out and "# Modern Java Strategy" not in out
    assert "Use records for DTOs. Prefer immutable data." in out


def test_a_title_narrowed_by_words_before_it_is_not_the_wider_section(tmp_path):
    """wshobson's content-marketer "### Social Media Content Strategy" is no "Content strategy":
    its LinkedIn and Buffer lines stayed out of VoltAgent's content strategy list. (Words after
    a title widen it, "Content Strategy & Planning"; words of praise narrow nothing, "Best
    Practices" is "Core Practices".)"""
    result = merge_two(tmp_path, "## Content strategy\n\n- Audience research\n- Content pillars\n\n"
                       "## Social media marketing\n\n- Platform strategy\n- Community building\n",
                       "## Capabilities\n\n### Social Media Content Strategy\n\n"
                       "- Platform-specific content optimization for LinkedIn and TikTok\n"
                       "- Social proof integration and user-generated content campaigns\n")
    sections = {part.split("\n", 1)[0]: part for part in result.stdout.split("\n## ")[1:]}
    assert "LinkedIn" not in sections["Content strategy"]
    assert "LinkedIn" in result.stdout


PROGRESS = "Progress tracking:\n```json\n{\n  \"progress\": {\n    \"contracts_written\": 12,\n" \
           "    \"gas_saved\": \"34%\"\n  }\n}\n```\n"


def test_a_json_example_of_made_up_figures_gives_way_to_another_sources_template(tmp_path):
    """VoltAgent's blockchain-developer reports progress as '"contracts_written": 12, "gas_saved":
    "34%"'; davila7's says "Do not insert placeholder or example numbers" and writes the same
    JSON with '"<actual count from this session>"'. The template stands where the figures stood."""
    template = PROGRESS.replace("12", "\"<actual count from this session>\"").replace(
        "\"34%\"", "\"<actual percentage measured by forge snapshot>\"")
    result = merge_two(tmp_path, "## Workflow\n\n- Write contracts\n- Measure gas\n\n" + PROGRESS,
                       "## Reporting\n\nReport actual counts only. Do not insert placeholder or example numbers.\n\n"
                       + template)
    out = result.stdout
    assert "\"contracts_written\": 12" not in out
    assert out.count("\"contracts_written\": \"<actual count from this session>\"") == 1


def test_a_json_example_of_made_up_figures_goes_beside_a_rule_in_a_list(tmp_path):
    """davila7's coordinator agents say, in a list, "Never invent completion rates ..."; VoltAgent's
    progress example of invented figures goes, with its lead-in line."""
    result = merge_two(tmp_path, "## Workflow\n\n- Assign agents\n- Track tasks\n\n" + PROGRESS,
                       "## Honesty\n\n- Never invent completion rates or response times.\n- Cite files.\n")
    out = result.stdout
    assert "contracts_written" not in out and "Progress tracking:" not in out
    assert "- Never invent completion rates or response times." in out


def test_code_that_computes_figures_is_no_report_of_made_up_ones(tmp_path):
    """rshah515's business-analyst shows a ```python function whose dict literals hold numbers
    ('"duration": 5'); davila7's rule against made-up report figures had dropped it. Code in
    a language other than JSON shows how to compute, it reports nothing: it stays."""
    code = ("## Process Analysis\n\n```python\nprocess_model = {\n    \"name\": \"Order Fulfillment\",\n"
            "    \"steps\": [\n        {\"id\": 1, \"duration\": 5, \"cost\": 20},\n"
            "        {\"id\": 2, \"duration\": 10, \"cost\": 35},\n    ],\n}\n```\n")
    out = merge_two(tmp_path, "## Honesty\n\n- Never invent completion rates or response times.\n- Cite files.\n",
                    code).stdout
    assert "process_model = {" in out and "- Never invent completion rates or response times." in out
    titled = PROGRESS.replace("```json", "```json title=progress.json")  # a JSON fence with an info string
    assert "```json title=" in titled
    out = merge_two(tmp_path / "titled", "## Workflow\n\n- Assign agents\n- Track tasks\n\n" + titled,
                    "## Honesty\n\n- Never invent completion rates or response times.\n- Cite files.\n").stdout
    assert "contracts_written" not in out, out


def test_a_label_keeps_its_place_and_a_line_of_its_name_keeps_its_own(tmp_path):
    """wshobson's performance-engineer lists "**Memory Management**: ..., object pooling" among its
    capabilities; rshah515's frontend box has a label "Memory Management:" over browser memory
    checks. Each stays in its own place: the capability neither left its list nor became the
    box's label."""
    result = merge_two(tmp_path, "## Capabilities\n\n- **Memory Management**: Memory leak detection, object pooling, "
                       "buffer management\n- **Caching**: Redis and CDN layers\n",
                       "## Frontend Performance\n\n- Memory Management:\n  - Garbage collection monitoring\n"
                       "  - Memory usage tracking\n- Bundle size budgets\n")
    sections = {part.split("\n", 1)[0]: part for part in result.stdout.split("\n## ")[1:]}
    assert "- **Memory Management**: Memory leak detection, object pooling, buffer management" in sections["Capabilities"]
    assert "- Memory Management:\n  - Garbage collection monitoring\n  - Memory usage tracking" in \
        sections["Frontend Performance"]


def test_numbered_steps_narrowed_by_a_word_are_still_one_step(tmp_path):
    """"1. Gather Requirements" is the base's "1. Requirements": a step's title is not narrowed
    by its verb; the two workflows are one, without a second "1."."""
    result = merge_two(tmp_path, "## Skills\n\n- SQL\n\n## Workflow\n\n### 1. Requirements\n\n- Ask the user for goals\n\n"
                       "### 2. Design\n\n- Draft the schema\n\n### 3. Delivery\n\n- Ship the migration\n",
                       "## Workflow\n\n### 1. Gather Requirements\n\n- Interview stakeholders\n\n"
                       "### 2. Schema Design\n\n- Normalize tables\n\n### 3. Rollout\n\n- Write the runbook\n")
    out = result.stdout
    assert out.count("## Workflow") == 1 and "### 1. Gather Requirements" not in out
    assert out.index("### 1. Requirements") < out.index("- Interview stakeholders") < out.index("### 2. Design")


def test_a_title_that_adds_a_topic_with_and_is_the_same_section(tmp_path):
    """"Developer Experience & Tooling" widens "Tooling" (words joined to it), it does not narrow
    it: one section, not a heading of its own holding what the base's already says."""
    result = merge_two(tmp_path, "## Tooling\n\n- Vite for builds\n- ESLint for linting\n\n## Testing\n\n- Vitest\n",
                       "## Developer Experience & Tooling\n\n- Storybook for components\n- Prettier for formatting\n")
    out = result.stdout
    assert "Developer Experience" not in out
    assert "- Prettier for formatting" in out[out.index("## Tooling"):out.index("## Testing")]


def test_a_bold_label_that_would_follow_another_subsection_is_a_heading(tmp_path):
    """Another source's "**Capabilities Strategy:**" closes its "## Capabilities"; in the base
    that section ends with "### Testing", after which a bold label would read as part of
    Testing: it is a heading beside it."""
    result = merge_two(tmp_path, "## Capabilities\n\n### Language\n\n- Records and sealed classes\n\n"
                       "### Testing\n\n- JUnit 5\n- Mockito\n\n## Traits\n\n- Pragmatic\n",
                       "## Capabilities\n\n- Records and sealed classes\n\n**Capabilities Strategy:**\n"
                       "Prefer immutable data and small services.\n")
    out = result.stdout
    assert "### Capabilities Strategy\nPrefer immutable data and small services." in out


def test_two_agents_procedures_of_one_title_and_other_steps_are_two_lists(tmp_path):
    """wshobson's two test-automators both have a "## Response Approach": one detects, analyzes,
    writes and reports; the other analyzes a fix's changes and adds regression tests. No step is
    shared: the second stands as its own numbered list, not as steps 7-13 after "6. Report"."""
    result = merge_two(tmp_path, "## Response Approach\n\n1. **Detect** the test framework\n"
                       "2. **Write** tests following project conventions\n3. **Report** coverage gaps\n",
                       "## Response Approach\n\n1. Analyze the code changes of the fix\n"
                       "2. Add regression tests for similar vulnerability patterns\n")
    out = result.stdout
    assert "3. **Report** coverage gaps\n\nResponse Approach:\n\n1. Analyze the code changes of the fix\n" \
           "2. Add regression tests for similar vulnerability patterns" in out


def test_a_model_pinned_by_one_source_does_not_outvote_sources_that_inherit(tmp_path):
    """A source without ``model`` inherits (Claude Code's default): one source's dated model id
    beside one that writes ``inherit`` and one that writes nothing gives ``inherit``, said on
    stderr; two sources that pin one model outvote one that inherits."""
    body = "## Skills\n\n- Item one here\n"
    pinned = write(tmp_path / "a.md", f"---\nname: a-agent\ndescription: Use for tests.\nmodel: claude-sonnet-4-20250514\n---\n\n{body}")
    inherits = write(tmp_path / "b.md", f"---\nname: a-agent\ndescription: Use for tests.\nmodel: inherit\n---\n\n{body}")
    silent = agent(tmp_path, "c", body)
    result = merge(pinned, inherits, silent)
    assert result.exit_code == 0
    assert "\nmodel: inherit\n" in result.stdout
    assert ("model: the sources disagree: inherit (2), sonnet (1: claude-sonnet-4-20250514), a source without a "
            "model inheriting; the result inherits (--model to choose)") in result.stderr
    second = write(tmp_path / "d.md", pinned.read_text())
    assert "\nmodel: claude-sonnet-4-20250514\n" in merge(pinned, second, silent).stdout
    assert "\nmodel: claude-sonnet-4-20250514\n" in merge(pinned, silent, "--base", pinned).stdout  # a tie: the base's
    assert "\nmodel:" not in merge(silent, pinned, "--base", silent).stdout


def test_a_model_id_votes_with_its_alias(tmp_path):
    """Claude Code's aliases (sonnet, opus, haiku) and its full model ids name one model family:
    "sonnet" and a dated "claude-sonnet-4-20250514" are two votes for Sonnet, which outvote one
    source that inherits, and the result writes the alias. Ids alone give the most common id."""
    body = "## Skills\n\n- Item one here\n"

    def pinned(stem: str, model: str) -> Path:
        return write(tmp_path / f"{stem}.md", f"---\nname: a-agent\ndescription: Use for tests.\nmodel: {model}\n---\n\n{body}")

    silent = agent(tmp_path, "c", body)
    result = merge(silent, pinned("a", "claude-sonnet-4-20250514"), pinned("b", "sonnet"), "--base", silent)
    assert result.exit_code == 0, result.output
    assert "\nmodel: sonnet\n" in result.stdout
    assert "the result uses sonnet" in result.stderr
    ids = merge(silent, pinned("d", "claude-3-5-sonnet-20241022"), pinned("e", "claude-sonnet-4-20250514"),
                pinned("f", "claude-sonnet-4-20250514"), "--base", silent)
    assert "\nmodel: claude-sonnet-4-20250514\n" in ids.stdout
    assert "a source without a model" not in merge(pinned("g", "opus"), pinned("h", "inherit")).stderr


def test_a_model_that_is_no_string_is_counted_not_a_crash(tmp_path):
    odd = write(tmp_path / "a.md", "---\nname: a-agent\ndescription: Use for tests.\nmodel: [sonnet, opus]\n---\n\n- Item one here\n")
    result = merge(odd, agent(tmp_path, "b", "- Item one here\n"), "--base", odd)
    assert result.exit_code == 0, result.output
    assert "model: the sources disagree" in result.stderr


def test_a_line_its_source_wrote_in_two_places_stays_in_both_though_another_source_wrote_one(tmp_path):
    """davila7's qa-expert lists "Risk assessment" under its test strategy and checks "Risk
    assessment identifies specific high-risk areas" in its checklist; VoltAgent's has the
    strategy item too. The source said both: the strategy list keeps its item."""
    strategy = "## Test Strategy\n\n- Risk assessment\n- Requirements analysis\n- Test design techniques\n"
    check = "\n## Checklist\n\n- Risk assessment identifies specific high-risk areas (new code, complex logic)\n"
    out = merge_all(tmp_path, {"a": strategy + check, "b": strategy}).stdout
    assert "- Risk assessment\n- Requirements analysis\n" in out
    assert "- Risk assessment identifies specific high-risk areas (new code, complex logic)\n" in out


def test_steps_parted_by_a_code_block_inside_a_step_keep_their_numbers(tmp_path):
    """davila7's terraform steps each hold a code block ("1. **Check workspace existence:**",
    its code, "2. **Create workspace if needed:**"): the merge wrote "1." before every step."""
    steps = ("## Workspace Setup\n\n1. **Check workspace existence:**\n\n   ```\n   get_workspace()\n   ```\n\n"
             "2. **Create workspace if needed:**\n\n   ```\n   create_workspace()\n   ```\n\n"
             "3. **Verify workspace configuration:**\n   - Auto-apply settings\n   - VCS connection\n")
    out = merge_two(tmp_path, steps, "## Skills\n\n- Terraform modules and providers\n").stdout
    assert re.findall(r"(?m)^(\d+)\. \*\*", out) == ["1", "2", "3"]


def test_the_bases_first_section_stays_first_before_another_sources_sections(tmp_path):
    """rshah515's experts open with "## Communication Style" ("I'm performance-focused ..."); a
    section of another source that aligns with none ("## Focus Areas") went before it, by kind."""
    base = ("You are an Elixir expert.\n\n## Communication Style\n\nI'm direct and practical.\n\n"
            "## OTP Mastery\n\n- GenServer state machines\n- Supervision trees\n")
    other = "## Focus Areas\n\n- Phoenix channels and presence\n- Ecto query composition\n"
    out = merge_two(tmp_path, base, other).stdout
    assert out.index("## Communication Style") < out.index("## Focus Areas")
    assert out.index("You are an Elixir expert.") < out.index("## Communication Style")


def test_a_one_word_title_does_not_take_a_section_that_only_names_it_as_a_modifier(tmp_path):
    """0xfurai's "## Output" (what the agent hands over) went under davila7's "**Variable and
    Output Ordering:**" (how to order outputs.tf), by the one word the titles share."""
    base = ("## Code Formatting\n\n**Indentation:**\n- Two spaces for each nesting level\n\n"
            "**Variable and Output Ordering:**\n\n- Alphabetical order in `variables.tf`\n"
            "- Group related variables with comments\n\n## Security\n\n- Never commit state files\n")
    other = "## Output\n\n- Reusable modules with documented inputs\n- A plan summary before each apply\n"
    out = merge_two(tmp_path, base, other).stdout
    ordering = out[out.index("**Variable and Output Ordering:**"):]
    assert "## Output\n\n- Reusable modules with documented inputs\n" in out
    assert ordering.index("## ") < ordering.index("- Reusable modules")


@pytest.mark.parametrize(("word", "title", "alike"), [
    ("Output", "Variable and Output Ordering", False),  # a modifier of "Ordering"
    ("Performance", "High Performance Computing", False),
    ("Visualization", "Data Visualization & Communication", True),  # the last word of a coordinated part
    ("Testing", "Testing Architecture", True),  # its first word: a kind of testing
    ("Accessibility", "Web Accessibility (WCAG 2.1)", True),  # a part ends at "("
    ("Security", "Cloud Security: IAM and Policies", True),
    ("Performance", "1. Performance Tuning", True),  # a step's number is no word
])
def test_a_one_word_title_is_alike_a_longer_title_only_where_it_names_its_topic(word, title, alike):
    assert (align.title_score(word, title) >= 85) is alike


def test_another_sources_diagram_of_a_screen_stays_with_its_own_heading(tmp_path):
    """rshah515's terraform "### Workflow Automation" is a 22-line GitOps pipeline diagram, and
    wshobson's playwright step "**Page object structure:**" a 21-line class to copy: nothing else
    says them, and readers found them dropped as long illustrations. A code appendix longer than
    a screen still goes (one set of examples is enough)."""
    box = ("┌" + "─" * 20 + "┐\n" + "".join(f"│ Stage {k}: validate and plan │\n" for k in range(20)) + "└" + "─" * 20 + "┘")
    result = merge_two(tmp_path, "## Workflow\n\n- Plan before apply\n- Review the plan\n",
                       "## Workflow\n\n- Review the plan\n\n## Workflow Automation\n\n" + box + "\n")
    assert "## Workflow Automation\n\n┌" in result.stdout and "│ Stage 19: validate and plan │" in result.stdout
    appendix = "```python\n" + "".join(f"x{k} = {k}\n" for k in range(45)) + "```\n"
    result = merge_two(tmp_path, "## Workflow\n\n- Plan before apply\n", "## Full Example\n\n" + appendix)
    assert "x44 = 44" not in result.stdout


PROGRESS_RULE = ("Progress reporting (populate with actual session findings only — do not insert placeholder or "
                 "example numbers):")
FIGURES = '    "accounts_managed": 85,\n    "nps_score": 67\n'
TEMPLATE = '    "accounts_reviewed": "<actual count from this session>",\n    "open_questions": "<actual list>"\n'


def progress_report(lead: str, progress: str) -> str:
    """A customer-success step with a progress JSON (``progress``: its counts) after ``lead``."""
    return (f"### 2. Implementation\n\nWork through the accounts.\n\n{lead}```json\n{{\n"
            f'  "agent": "customer-success-manager",\n  "status": "managing",\n  "progress": {{\n{progress}'
            "  }\n}\n```\n\n### 3. Growth Excellence\n\n- Build advocacy\n- Prevent churn\n")


def test_a_revisions_template_of_a_report_with_other_counts_stands_in_with_its_lead_in(tmp_path):
    """davila7 rewrote VoltAgent's customer-success progress JSON ('"accounts_managed": 85') as a
    template of other counts ('"accounts_reviewed": "<actual count from this session>"') under
    "Progress reporting (populate with actual session findings only — do not insert placeholder
    or example numbers):". Both had gone, and that lead-in stood over the next list."""
    rule = PROGRESS_RULE
    out = merge_all(tmp_path, {"a": progress_report("Progress tracking:\n", FIGURES),
                               "b": progress_report(rule + "\n", TEMPLATE)}).stdout
    assert f'{rule}\n```json\n{{\n  "agent": "customer-success-manager"' in out
    assert '"accounts_reviewed": "<actual count from this session>"' in out
    assert "85" not in out and "Progress tracking:" not in out and out.count("Progress reporting") == 1


def test_a_short_template_lead_in_comes_back_with_its_template(tmp_path):
    """davila7's business-analyst puts "Progress reporting (populate with actual session findings
    only):" over its template; a short lead-in of a section that joined the base's, the judge had
    dropped it as introducing a block that stands elsewhere, and the template stood in under
    VoltAgent's "Progress tracking:". The lead-in comes back with its template."""
    lead = "Progress reporting (populate with actual session findings only):"
    other = progress_report(lead + "\n", TEMPLATE) + "\n## Honesty\n\nDo not insert placeholder or example numbers.\n"
    out = merge_all(tmp_path, {"a": progress_report("Progress tracking:\n", FIGURES), "b": other}).stdout
    assert f'{lead}\n```json\n{{\n  "agent": "customer-success-manager"' in out, out
    assert "Progress tracking:" not in out and "85" not in out, out


def test_a_sub_item_stays_in_its_group_though_a_line_elsewhere_says_it(tmp_path):
    """rshah515's rails boxes list their topics under a label ("Model Associations:"); one that
    a line elsewhere also says ("Association design (polymorphic, STI, delegated types)") went
    into that line and left its group short (davila7's workspace checks lost "Terraform
    version" to a checklist line)."""
    base = "## Active Record\n\n- Association design (polymorphic, STI, delegated types)\n- Query optimization\n"
    other = ("## Rails Architecture\n\n- Model Associations:\n  - Belongs_to and has_many relationships\n"
             "  - Has_and_belongs_to_many for join tables\n  - Polymorphic associations\n"
             "- Validations:\n  - Custom validators\n")
    out = merge_two(tmp_path, base, other).stdout
    assert "join tables\n  - Polymorphic associations\n" in out


def test_a_sub_item_is_not_said_again_by_a_line_under_another_heading(tmp_path):
    """davila7's terraform checks a workspace's "Terraform version" under a step; a checklist
    line "Terraform version is defined and consistent across environments" said it again, and
    the step's checks lost it."""
    base = "## Quality Checklist\n\n- Terraform version is defined and consistent across environments\n- State is remote\n"
    other = ("## Workspace Management\n\n1. **Check workspace existence**\n2. **Verify workspace configuration:**\n"
             "   - Auto-apply settings\n   - Terraform version\n   - VCS connection\n")
    out = merge_two(tmp_path, base, other).stdout
    assert "   - Auto-apply settings\n   - Terraform version\n   - VCS connection\n" in out


def test_another_sources_section_goes_under_the_bases_title_not_after_everything(tmp_path):
    """davila7's tdd-refactor opens with "# Code Quality Guardian", a title of a known kind;
    another source's "## Focus Areas" went after its last section (after "## Limitations")."""
    base = ("# Code Quality Guardian\n\nYou keep code clean.\n\n## Refactoring Steps\n\n- Extract functions\n\n"
            "## Limitations\n\n- Never change behaviour\n")
    out = merge_two(tmp_path, base, "## Focus Areas\n\n- Naming and cohesion\n- Dead code removal\n").stdout
    assert out.index("# Code Quality Guardian") < out.index("## Focus Areas") < out.index("## Limitations")


def test_a_template_lead_in_goes_with_it_where_the_figures_had_none(tmp_path):
    """The rule line over davila7's progress template stood alone above the next heading when
    VoltAgent's figures had no lead-in of their own."""
    rule = PROGRESS_RULE
    out = merge_all(tmp_path, {"a": progress_report("", FIGURES), "b": progress_report(rule + "\n\n", TEMPLATE)}).stdout
    assert f'{rule}\n\n```json\n{{\n  "agent"' in out or f'{rule}\n```json\n{{\n  "agent"' in out
    assert out.count("Progress reporting") == 1 and "85" not in out


def test_a_json_request_is_no_report_frame(tmp_path):
    """JSON-RPC requests all open with "jsonrpc", "id", "method": another source's request
    with a placeholder is not a template of the base's example call."""
    call = '```json\n{\n  "jsonrpc": "2.0",\n  "id": 1,\n  "method": "tools/call",\n  "params": {"count": 12}\n}\n```\n'
    other = ('## Rules\n\n- Never fabricate results or counts\n- Cite each source\n\n## Calls\n\n```json\n{\n'
             '  "jsonrpc": "2.0",\n  "id": 2,\n'
             '  "method": "resources/read",\n  "params": {"uri": "<resource uri>"}\n}\n```\n')
    out = merge_two(tmp_path, "## Calls\n\nExample tool call:\n\n" + call, other).stdout
    assert "resources/read" not in out


def test_a_plain_label_in_another_sources_step_stays_a_label(tmp_path):
    """wshobson's playwright step "### 5. Execute Tests" says "Capture:" over what to record; in
    an agent of headings it became "#### Capture", a heading of its own."""
    other = ("## Workflow\n\n### 5. Execute Tests\n\nRun the suite:\n```bash\nnpx playwright test\n```\n\n"
             "Capture:\n- Pass/fail per test\n- Console errors\n\nReport:\n- Failures first\n- Timings\n\n"
             "### 6. Write Results\n\nAppend the results.\n")
    out = merge_two(tmp_path, "## Approach\n\n- Write readable tests\n- Isolate test cases\n", other).stdout
    assert "\nCapture:\n- Pass/fail per test\n" in out and "# Capture" not in out
    assert "\nReport:\n- Failures first\n" in out and "# Report" not in out  # the second of a run too


def test_another_formats_tool_aliases_become_claude_codes_tools(tmp_path):
    """davila7's Copilot-made terraform agent lists "read, edit, search, shell, terraform/*":
    merged as they were, the agent named tools Claude Code does not have. Copilot's documented
    aliases become the tools they stand for, an MCP server's tools ("terraform/*", which the
    agent's body calls: get_latest_provider_version, search_providers) are that server's tools
    in Claude Code ("mcp__terraform__*"; the merge had left them out, and the agent could not do
    its job); a name with no counterpart is left out (the merged agent's own lint warned of 19 in
    accessibility-expert), and stderr says so."""
    copilot = write(tmp_path / "a.md", "---\nname: a-agent\ndescription: Use for tests.\n"
                    "tools: read, edit, search, shell, terraform/*, codebase\n---\n\n- Plan before apply\n")
    claude = write(tmp_path / "b.md", "---\nname: a-agent\ndescription: Use for tests.\ntools: Read, WebSearch\n---\n\n"
                   "- Plan before apply\n")
    result = merge(copilot, claude, "--base", copilot)
    assert result.exit_code == 0, result.output
    tools = re.search(r"(?m)^tools: (.*)$", result.stdout).group(1).split(", ")
    assert {"Read", "Edit", "Write", "Grep", "Glob", "Bash", "WebSearch"} <= set(tools)
    assert not {"read", "edit", "search", "shell", "terraform/*", "codebase"} & set(tools) and tools.count("Read") == 1
    assert "mcp__terraform__*" in tools
    assert "codebase with no documented counterpart" in result.stderr
    assert "tools: left out, as Claude Code does not know them: codebase" in result.stderr
    # the intersection had no codebase to leave out (one source names it): stderr says nothing of it
    both = merge(copilot, claude, "--base", copilot, "--tools", "intersection")
    assert both.exit_code == 0 and "left out, as Claude Code does not know" not in both.stderr, both.stderr
    toolset = write(tmp_path / "c.md", "---\nname: a-agent\ndescription: Use for tests.\n"
                    "tools: read/problems, bash\n---\n\n- Plan before apply\n")
    tools = re.search(r"(?m)^tools: (.*)$", merge(toolset, "--base", toolset).stdout).group(1).split(", ")
    assert tools == ["Bash"]  # a toolset's tool grants not the whole toolset
    alone = write(tmp_path / "d.md", "---\nname: a-agent\ndescription: Use for tests.\n"
                  "tools: codebase, vscodeAPI\n---\n\n- Plan before apply\n")
    kept = merge(alone, "--base", alone)
    assert re.search(r"(?m)^tools: codebase, vscodeAPI$", kept.stdout)  # nothing else to grant: as written
    assert "tools: kept as written, as no tool Claude Code knows is named: codebase, vscodeAPI" in kept.stderr


def test_a_sources_opening_sections_stand_before_the_section_its_next_one_joins(tmp_path):
    """wshobson's playwright agent opens with "## Strict Boundaries" and "## Inputs", then its
    "## Workflow" joins 0xfurai's "## Approach": the two went last, after every other section."""
    base = ("## Focus Areas\n\n- Cross-browser testing\n- Test fixtures\n\n## Approach\n\n- Write readable tests\n"
            "- Isolate test cases\n\n## Quality Checklist\n\n- Tests are deterministic\n\n## Output\n\n- Test suites\n")
    other = ("## Strict Boundaries\n\n- NO production code editing\n- NO general unit testing\n\n"
             "## Inputs\n\n- `.claude/pipeline/state.json` for the task type\n- `AGENTS.md` for conventions\n\n"
             "## Workflow\n\n- Write readable tests\n- Isolate test cases\n- Run the suite\n")
    out = merge_two(tmp_path, base, other).stdout
    assert out.index("## Strict Boundaries") < out.index("## Inputs") < out.index("## Approach")
    titled = merge_two(tmp_path, base, "# Playwright Test Agent\n\n" + other).stdout  # wshobson's opens so
    assert titled.index("## Strict Boundaries") < titled.index("## Inputs") < titled.index("## Approach")


def test_a_sources_opening_section_does_not_split_another_sources_run(tmp_path):
    """rshah515's code-reviewer opens with "## Communication Style"; its checklist joins davila7's
    "## Review Checklist", one of davila7's run of review steps: the style stood between them."""
    base = "## Expert Purpose\n\n- Review code for defects\n- Mentor the team\n\n## Capabilities\n\n- Static analysis\n"
    steps = ("## Review Setup\n\n- Read the diff first\n- Run the linters\n\n"
             "## Review Checklist\n\n- Injection checks on every query\n- Error handling on every call\n")
    style = ("## Communication Style\n\nI am direct and kind.\n\n## Code Review Checklist\n\n"
             "- Injection checks on every query\n- Error handling on every call\n")
    out = merge_all(tmp_path, {"a": base, "b": steps, "c": style}).stdout
    assert not out.index("## Review Setup") < out.index("## Communication Style") < out.index("## Review Checklist")


def test_the_summary_counts_what_joined_and_which_dropped_prose_the_result_says(tmp_path):
    """Three copies of one wshobson agent under three plugin names: stderr said "0 items said
    by a richer one; 4 prose blocks of other sources dropped", and a user went looking for lost
    text. It says that the items joined and that the kept prose says the dropped blocks; the
    report says the name is the role the names end in."""
    body = "Focus on actionable findings.\n\n## Skills\n\n- Log analysis with regex\n- Stack trace reading\n"
    paths = [write(tmp_path / f"{plugin}.md", f"---\nname: {plugin}-error-detective\ndescription: Use for errors.\n---\n\n{body}")
             for plugin in ("distributed-debugging", "error-diagnostics")]
    result = merge(*paths, "--report", tmp_path / "r.json", "-o", tmp_path / "o.md")
    assert result.exit_code == 0, result.output
    assert "4 items in, 2 out: 2 joined a like item of another source, 0 said by a richer one, " \
           "0 said in other words by one; 1 prose block of other sources dropped (1 said by kept prose)" in result.stderr
    name = next(row for row in json.loads((tmp_path / "r.json").read_text())["frontmatter"] if row["key"] == "name")
    assert (name["value"], name["how"]) == ("error-detective", "the role every source's name ends in")


def test_lines_of_one_text_side_by_side_are_one(tmp_path):
    """rshah515's database-architect has two "Schema Evolution:" boxes, each with "Version
    control integration". Side by side in one section they are one box, which says that line
    once and keeps every other line of both."""
    out = merge_all(tmp_path, {"a": "## Capabilities\n\n- **Replication**: Read replicas, multi-region\n- Sharding\n",
                               "b": "## Design\n\n- Schema Evolution:\n  - Migration strategy planning\n"
                                    "  - Version control integration\n\n## Migration\n\n- Schema Evolution:\n"
                                    "  - Forward compatibility planning\n  - Version control integration\n"}).stdout
    assert out.count("Schema Evolution:") == 1 and out.count("Version control integration") == 1
    assert "Migration strategy planning" in out and "Forward compatibility planning" in out


def test_a_label_and_the_paragraph_it_runs_into_stay_one_paragraph(tmp_path):
    """rshah515's experts close a section with "**Language Strategy:**" and its paragraph on the
    next line: one Markdown paragraph, the label read inline. The merge had put a blank line
    between them, leaving the label standing alone like a heading (7 times in php-expert). A
    label over a paragraph of another source still stands apart from it."""
    strategy = "## PHP 8\n\n- Enums\n- Attributes\n\n**Language Strategy:**\nUse strict types everywhere. Prefer readonly.\n"
    out = merge_two(tmp_path, strategy, "## PHP 8\n\n- Enums\n- Fibers\n").stdout
    assert "**Language Strategy:**\nUse strict types everywhere. Prefer readonly.\n" in out
    other = merge_two(tmp_path, "## PHP 8\n\n- Enums\n- Attributes\n", strategy).stdout
    assert "**Language Strategy:**\nUse strict types everywhere. Prefer readonly.\n" in other


def test_a_term_line_keeps_its_lists_form_beside_a_sentence_of_another_section(tmp_path):
    """rshah515's php security list is "**Label**: gloss" lines; 0xfurai's Approach says "Ensure
    output escaping to prevent XSS attacks". The sentence took the label line's place in the
    security list and left the Approach. Each stays in its own list, in its own form."""
    out = merge_two(tmp_path, "## Input Validation\n\n- **SQL Injection**: Prepared statements\n"
                    "- **XSS Prevention**: Output escaping\n- **CSRF Protection**: Token validation\n",
                    "## Approach\n\n- Validate input rigorously\n- Ensure output escaping to prevent XSS attacks\n").stdout
    assert "- **SQL Injection**: Prepared statements\n- **XSS Prevention**: Output escaping\n" in out
    assert "## Approach\n\n- Validate input rigorously\n- Ensure output escaping to prevent XSS attacks\n" in out


def test_a_sources_closing_sections_go_after_the_bases_sections(tmp_path):
    """0xfurai's experts end with "## Quality Checklist" and "## Output" after their Focus Areas
    and Approach; rshah515's base has a dozen topic sections. The checklist and the output stand
    after the base's sections, not right after the Approach in the middle of the file."""
    base = ("## Communication Style\n\nI explain PHP through examples.\n\n## Modern PHP\n\n- Enums\n- Fibers\n\n"
            "## Laravel\n\n- Eloquent models\n- Queues\n\n## Best Practices\n\n- Strict types\n- PSR-12\n")
    other = ("## Focus Areas\n\n- Composer packaging\n- SPL data structures\n\n## Approach\n\n- Prototype first\n"
             "- Refactor often\n\n## Quality Checklist\n\n- PHPStan level 8 passes\n- Tests cover edge cases\n\n"
             "## Output\n\n- Tested PHP code\n- Composer package\n")
    out = merge_two(tmp_path, base, other).stdout
    titles = re.findall(r"(?m)^## (.+)$", out)
    assert titles.index("Best Practices") < titles.index("Quality Checklist") < titles.index("Output")
    assert titles.index("Approach") < titles.index("Modern PHP")


def test_a_subsection_joins_no_section_of_its_kind_alone_outside_its_parents_place(tmp_path):
    """rshah515's websocket "## WebSocket Protocol & Connection Management" holds "### Core
    Protocol Implementation Framework"; both framework and workflow name an approach, so the
    box joined davila7's "## Implementation Workflow" under its lead-in to the stages, and its
    "**Practical Application:**" went 160 lines on as "### Practical Application". Outside its
    parent's place a subsection's title counts by its words: it stays with its parent."""
    base = ("## Communication Style\n\nI am precise.\n\n## Implementation Workflow\n\n"
            "Execute real-time system development through structured stages:\n\n### 1. Architecture Design\n\n"
            "- Plan capacity\n- Choose protocols\n\n### 2. Core Implementation\n\n- Build the server\n- Add monitoring\n")
    other = ("## WebSocket Protocol & Connection Management\n\n### Core Protocol Implementation Framework\n\n"
             "- **Connection Lifecycle**: Handshake negotiation and graceful termination\n"
             "- **Frame Processing**: Text and binary frames, ping/pong\n\n**Practical Application:**\n"
             "Implement robust connection management with automatic reconnection.\n")
    out = merge_two(tmp_path, base, other).stdout
    assert ("### Core Protocol Implementation Framework\n\n- **Connection Lifecycle**: Handshake negotiation and "
            "graceful termination\n- **Frame Processing**: Text and binary frames, ping/pong\n\n**Practical Application:**\n"
            "Implement robust connection management") in out
    assert "stages:\n\n### 1. Architecture Design" in out


def test_another_sources_list_stands_before_a_lead_in_to_the_subsections(tmp_path):
    """davila7's "## Development Workflow" ends with "Execute AI engineering through systematic
    phases:" over its "### 1. ..." steps; VoltAgent's "When invoked" steps joined the section
    after that line, which then introduced them. They stand before it."""
    base = ("## Development Workflow\n\nExecute AI engineering through systematic phases:\n\n"
            "### 1. Requirements Analysis\n\n- Gather goals\n- Define metrics\n")
    other = "## Development Workflow\n\n1. Review the existing models\n2. Analyze the data pipeline\n"
    out = merge_two(tmp_path, base, other).stdout
    assert ("2. Analyze the data pipeline\n\nExecute AI engineering through systematic phases:\n\n"
            "### 1. Requirements Analysis") in out


@pytest.mark.parametrize("subsection, section, joins", [
    ("Testing Architecture", "Testing", True),  # rshah515's rails box into the base's Testing: list
    ("Feature Engineering Architecture", "Feature engineering", True),
    ("Data Visualization & Communication", "Visualization", True),
    ("NFT & Digital Asset Platforms", "NFT development", True),
    ("Security & Auditing Best Practices", "Blockchain Security and Auditing", False),  # two kinds: content decides
    ("ETL/ELT Pipeline Framework", "Batch Processing & ETL/ELT", True),
    ("Core Protocol Implementation Framework", "Implementation Workflow", False),  # one kind, no topic
    ("Core Protocol Implementation Framework", "Communication Protocol", False),
    ("Workflow Automation", "🎯 Core Workflow", False),  # terraform's GitOps diagram stays under its own title
    ("Security & Auditing Best Practices", "Best Practices", False),
    ("Advanced Patterns & Architectures", "2. Implementation Phase", False),
    ("Social Media Content Strategy", "Content strategy", False),  # a narrower thing: content decides
])
def test_a_subsection_outside_its_parents_place_joins_a_section_by_its_topic_words(subsection, section, joins):
    """A reader judged these titles in the corpus merges (rails, data-scientist, blockchain,
    websocket, terraform, prompt-engineer): outside its parent's place a subsection joins a
    section by title alone when one title's topic words are all the other's."""
    assert (align.subsection_score(subsection, section) >= 85) == joins


def test_a_procedure_that_says_a_step_twice_keeps_both(tmp_path):
    """A TDD workflow runs the tests after each change: "Run the tests" is steps 2 and 4, and
    lines of one text side by side are one line only outside a procedure."""
    steps = "## Workflow\n\n1. Write a failing test\n2. Run the tests\n3. Write the code\n4. Run the tests\n5. Refactor\n"
    out = merge_two(tmp_path, steps, "## Focus Areas\n\n- Unit testing with pytest\n- Property-based testing\n").stdout
    assert "2. Run the tests\n3. Write the code\n4. Run the tests\n" in out


def test_a_titled_sources_sections_join_the_bases_of_their_title(tmp_path):
    """wshobson's files open with "# PHP Pro": its "## Best Practices" is a top-level section
    and joins the base's "## Best Practices", not a second one."""
    base = ("You are a PHP expert.\n\n## Focus Areas\n\n- Modern PHP 8 features\n\n## Best Practices\n\n"
            "- Use strict_types in every file\n- Validate input at the boundary\n")
    other = "# PHP Pro\n\nYou are a PHP specialist.\n\n## Best Practices\n\n- Prefer immutable value objects\n- Keep controllers thin\n"
    out = merge_two(tmp_path, base, other).stdout
    assert out.count("## Best Practices") == 1 and "- Prefer immutable value objects" in out


def test_the_summary_adds_up(corpus_dir):
    """stderr's counts: items in, less those joined to a like item and those dropped, are the
    items out (rshah515's emptied labels were counted nowhere: fastapi said 518 out of 593 - 63 - 8)."""
    paths = sorted(corpus_dir.glob("*/*fastapi*.md"))
    result = runner.invoke(app, ["merge", *map(str, paths)])
    assert result.exit_code == 0, result.output
    line = result.stderr.splitlines()[0]
    numbers = {name: int(n) for n, name in re.findall(r"(\d+) (items? in|out|joined|said by a richer|said in other "
                                                        r"words|labels? left)", line)}
    dropped = sum(n for name, n in numbers.items() if name.startswith(("said", "label")))
    assert numbers["items in"] - numbers["joined"] - dropped == numbers["out"], line


def test_a_label_over_a_paragraph_stays_with_its_section(tmp_path):
    """rshah515 ends a topic with "**Modern Java Strategy:**" over a paragraph. It is that
    topic's summary, not a section: it joined the base's "### Modern Java Language Features" by
    title, where the paragraph stood bare, above the lists it sums up (java, accessibility)."""
    base = ("You are a Java expert.\n\n## Capabilities\n\n### Modern Java Language Features\n\n"
            "- Virtual threads for I/O-bound work\n- Records for immutable data\n")
    other = ("You are a Java developer.\n\n## Functional Programming in Java\n\n"
             "- **Stream API Mastery**: Intermediate and terminal operations\n"
             "- **Optional Usage**: Avoiding null with functional patterns\n\n"
             "**Modern Java Strategy:**\nUse records for DTOs. Prefer immutable data structures.\n")
    out = merge_two(tmp_path, base, other).stdout
    assert "**Modern Java Strategy:**\nUse records for DTOs." in out
    assert out.index("Avoiding null") < out.index("Modern Java Strategy")


def test_a_file_and_its_copy_are_one_vote_for_the_name(corpus_dir):
    """davila7's react-specialist is a later revision of VoltAgent's: one file, one vote. Two
    independent react-experts (0xfurai, rshah515) outvote it; before, a 2-2 tie went to the
    base's react-specialist."""
    paths = [corpus_dir / "davila7__claude-code-templates/cli-tool__components__agents__programming-languages__react-specialist.md",
             corpus_dir / "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__react-specialist.md",
             corpus_dir / "0xfurai__claude-code-subagents/agents__react-expert.md",
             corpus_dir / "rshah515__claude-code-subagents/frameworks__react-expert.md"]
    result = merge(*paths, "--base", paths[0])
    assert result.exit_code == 0, result.output
    assert agentforge.loads(result.stdout).frontmatter.name == "react-expert"


def test_a_hand_off_adds_nothing_its_agents_line_says_in_a_shorter_word(tmp_path):
    """business-analyst: "Help qa-expert on test strategy and UAT coordination; testing" took on
    VoltAgent's "Help qa-expert on testing", which the line says already."""
    out = merge_two(tmp_path, "## Integration\n\n- Help qa-expert on test strategy and UAT coordination\n"
                    "- Support product-manager on requirements\n",
                    "## Integration\n\n- Help qa-expert on testing\n- Partner with ux-researcher on user needs\n").stdout
    assert "- Help qa-expert on test strategy and UAT coordination\n" in out and "; testing" not in out
    assert "Help qa-expert on testing" not in out


def test_the_words_of_the_agents_name_name_no_topic_of_a_section(tmp_path):
    """In a business-analyst every section is about business analysis: wshobson's "### Financial
    Analysis and Modeling" and "### Customer and Market Analytics" joined VoltAgent's list
    "Analysis patterns:" by that word alone and lost their headings. A section of the same topic
    still joins ("### Stakeholder Management" and "Stakeholder management:")."""
    base = write(tmp_path / "voltagent.md", "---\nname: business-analyst\ndescription: Use for analysis.\n---\n\n"
                 "You are a business analyst.\n\n## Workflow\n\n### 1. Discovery Phase\n\nDevelop solutions.\n\n"
                 "Implementation approach:\n- Design solutions\n- Train users\n\nAnalysis patterns:\n- Data-driven insights\n- Risk mitigation\n\nStakeholder management:\n- Expectation setting\n"
                 "- Conflict resolution\n")
    other = write(tmp_path / "wshobson.md", "---\nname: business-analyst\ndescription: Use for analytics.\n---\n\n"
                  "You are an analytics expert.\n\n## Capabilities\n\n### Financial Analysis and Modeling\n\n"
                  "- Cohort analysis and retention modeling\n- Unit economics analysis\n\n"
                  "### Stakeholder Management\n\n- Executive communication and alignment\n")
    out = merge(base, other, "--base", base).stdout
    assert "### Financial Analysis and Modeling\n\n- Cohort analysis and retention modeling\n" in out
    managed = out[out.index("Stakeholder management:"):]
    assert "- Executive communication and alignment" in managed and "### Stakeholder Management" not in out


def test_two_short_phrases_around_one_run_of_words_are_one_phrase(tmp_path):
    """"Read replicas for scaling" and "Read replica configuration" say one thing, neither all
    of it: one line says both ("Read replica configuration for scaling"), as a person would
    write it. A verb before the run ("Plan background jobs") or a check ("... verified") is
    another thing, and both stay."""
    out = merge_two(tmp_path, "## Skills\n\n- Read replicas for scaling\n- Database connection pooling\n"
                    "- Plan background jobs\n- Cross-browser compatibility verified\n",
                    "## Skills\n\n- Read replica configuration\n- Connection pooling configuration\n"
                    "- Background job testing\n- Browser compatibility matrix\n").stdout
    items = [line[2:] for line in out.splitlines() if line.startswith("- ")]
    assert "Read replica configuration for scaling" in items and "Database connection pooling configuration" in items
    assert {"Plan background jobs", "Background job testing", "Cross-browser compatibility verified"} <= set(items)
    assert len(items) == 6


def test_a_file_and_its_copy_are_one_vote_for_the_model(corpus_dir):
    """content-marketer: davila7's file (sonnet) is a revision of VoltAgent's (haiku), and
    wshobson's says haiku. The copy's haiku outvoted the base's sonnet; a file and its copy are
    one voice, the tie goes to the base, and stderr says who did not vote."""
    paths = [corpus_dir / "davila7__claude-code-templates/cli-tool__components__agents__business-marketing__content-marketer.md",
             corpus_dir / "VoltAgent__awesome-claude-code-subagents/categories__08-business-product__content-marketer.md",
             corpus_dir / "wshobson__agents/plugins__content-marketing__agents__content-marketer.md"]
    result = merge(*paths, "--base", paths[0])
    assert result.exit_code == 0, result.output
    assert agentforge.loads(result.stdout).frontmatter.get("model") == "sonnet"
    assert "model: the sources disagree: haiku (1), sonnet (1) (1 later revision of another source's file not voting)" \
        in result.stderr


def test_another_sources_first_person_prose_takes_the_bases_voice(tmp_path):
    """rshah515's "## Communication Style" says "I'm precise ... I help developers ..." in 61 of
    231 corpus merges whose base opens "You are ...": the agent spoke of itself in two voices.
    The base's own words stay as written; "I/O" is no speaker."""
    base = "You are a Rust expert.\n\n## Skills\n\n- Ownership and borrowing\n- Async runtimes\n"
    other = ("You are a Rust developer.\n\n## Communication Style\n\nI'm precise and safety-focused. I explain "
             "trade-offs and my reasoning, and I/O costs matter to me.\n\n## Skills\n\n- Ownership and borrowing\n")
    out = merge_two(tmp_path, base, other).stdout
    assert "You're precise and safety-focused. You explain trade-offs and your reasoning, and I/O costs matter to you.\n" in out
    own = merge_two(tmp_path, "You are a Rust expert.\n\nI'm precise.\n\n## Skills\n\n- Ownership\n", other).stdout
    assert "\nI'm precise.\n" in own


def test_a_phrase_union_holds_when_a_third_source_repeats_a_member(tmp_path):
    """The reviewer's case: a third source saying the base's "Read replicas for scaling" again
    rebuilt the survivor from the richest item and lost "configuration", whatever the file
    names; a run's first word keeps the case it has mid-phrase ("JavaScript")."""
    bodies = {"a": "## Skills\n\n- Read replicas for scaling\n- Query plan analysis\n",
              "b": "## Skills\n\n- Read replica configuration\n- Query plan analysis\n",
              "c": "## Skills\n\n- Read replicas for scaling\n- Query plan analysis\n"}
    items = [line[2:] for line in merge_all(tmp_path, bodies).stdout.splitlines() if line.startswith("- ")]
    assert items == ["Read replica configuration for scaling", "Query plan analysis"]
    assert survivors.phrase_union("JavaScript bundling tools", "Modern JavaScript bundling") == \
        "Modern JavaScript bundling tools"
    assert survivors.phrase_union("Not memory leaks", "Memory leaks detection") is None


def test_one_title_of_the_agents_name_words_is_still_one_section(tmp_path):
    """In a code-reviewer, "## Code Review" and another's "### Code Review" are one section:
    leaving out the words of the agents' names left the two titles no topic, and they stood
    apart (the reviewer's catch)."""
    one = write(tmp_path / "one.md", "---\nname: code-reviewer\ndescription: Reviews code.\n---\n\nYou are a code "
                "reviewer.\n\n## Responsibilities\n\n- Keep reviews small\n\n## Code Review\n\n- Check naming consistency\n")
    two = write(tmp_path / "two.md", "---\nname: code-reviewer\ndescription: Reviews code.\n---\n\nYou are a code "
                "reviewer.\n\n## Responsibilities\n\n- Keep reviews focused\n\n### Code Review\n\n- Flag dead code\n")
    out = merge(one, two, "--base", one).stdout
    assert out.count("Code Review\n") == 1 and out.index("Check naming") < out.index("Flag dead code")


def test_a_file_and_its_copy_are_one_vote_for_the_tools(tmp_path):
    """A base that names Read and Grep, and two revisions of one file with no tools key: one
    voice for every tool against the base's, a tie the base wins (the reviewer's catch: the
    copies widened the agent to every tool)."""
    body = "".join(f"- Review step number {n} with care and a checklist\n" for n in range(8))
    base = write(tmp_path / "base.md", "---\nname: reviewer\ndescription: Reviews.\ntools: Read, Grep\n---\n\n"
                 "## Skills\n\n- Static analysis\n")
    first = write(tmp_path / "k1.md", f"---\nname: checker\ndescription: Checks.\n---\n\n## Steps\n\n{body}")
    second = write(tmp_path / "k2.md", f"---\nname: checker\ndescription: Checks.\n---\n\n## Steps\n\n{body}- One more\n")
    assert agentforge.loads(merge(base, first, second, "--base", base).stdout).frontmatter.tools == ("Read", "Grep")


def test_prose_that_also_speaks_to_the_user_keeps_its_voice():
    """"I will guide you ... tell me your URL" turned into "you will guide you ... tell you your
    URL"; a paragraph that says "you" is left as written, and so is one with a speaker the
    rules do not find ("Here I focus")."""
    assert prose.second_person("I will guide you. Tell me your site URL.") == "I will guide you. Tell me your site URL."
    assert prose.second_person("Here I focus on speed. I am careful.") == "Here I focus on speed. I am careful."
    assert prose.second_person("I\u2019m precise. I\u2019ll help developers.") == "You\u2019re precise. You\u2019ll help developers."


def test_a_numbered_step_of_another_procedure_stays_in_its_procedure(tmp_path):
    """wshobson's qa "### 3. Execute Tests" had joined VoltAgent's "Test strategy:" by the word
    "test", and its "**If all tests pass:**" branch went with it: the procedure read 1, 2, 4
    and its sign-off stood under a list of strategy topics. A step, and a condition or a label
    of no kind under a step that is a section of its own, stay in their procedure."""
    base = ("You are a QA expert.\n\nTest strategy:\n- Requirements analysis\n- Risk assessment\n"
            "- Test approach\n\nTest planning:\n- Test case design\n- Test data preparation\n")
    other = ("## Workflow\n\n### 1. Read All Inputs\n\nRead the plan and the acceptance criteria first.\n\n"
             "### 2. Build Test Checklist\n\n- Every acceptance criterion becomes a test case\n\n"
             "### 3. Execute Tests\n\n- Define the precondition\n- Execute the action\n"
             "- Record PASS or FAIL with evidence\n\n"
             "**Security test (mandatory for every task):**\n- Verify no authentication bypass possible\n"
             "- Verify no sensitive data exposed\n\n"
             "### 4. Determine Outcome\n\n**If only Low bugs found:**\n- Log Low bugs in the report\n\n"
             "**If all tests pass:**\n- Set the QA checkpoint to completed\n- Print the sign-off\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    steps = [int(n) for n in re.findall(r"(?m)^#+ (\d)\. ", out)]
    assert steps == [1, 2, 3, 4], out
    strategy = out[out.index("Test strategy:"):out.index("Test planning:")]
    assert "precondition" not in strategy and "bypass" not in strategy and "sign-off" not in strategy, out
    execute = out[out.index("3. Execute Tests"):out.index("4. Determine Outcome")]
    assert "Define the precondition" in execute and "**Security test (mandatory for every task):**" in execute, out
    outcome = out[out.index("4. Determine Outcome"):]
    assert "**If all tests pass:**\n- Set the QA checkpoint to completed" in outcome, out


def test_a_revision_section_joins_the_section_of_its_own_title(tmp_path):
    """davila7's dx-optimizer "## Development Workflow" scored as high against VoltAgent's
    "Developer workflows:" list (one stem each) as against VoltAgent's own "## Development
    Workflow", and the first in the file won: its steps became labels under the wrong list. Of
    two sections that score alike, the one of the same title wins."""
    base = ("You are a DX optimizer.\n\nDeveloper workflows:\n- Local development setup\n- Debugging workflows\n\n"
            "## Development Workflow\n\n### 1. Experience Analysis\n\n- Measure build times\n- Survey developers\n")
    other = ("You are a DX optimizer.\n\nDeveloper workflows:\n- Local development setup\n- Debugging workflows\n\n"
             "## Development Workflow\n\n### 1. Experience Analysis\n\n- Measure build times\n- Survey developers\n\n"
             "### 2. Implementation Phase\n\n- Automate the build\n- Cache dependencies\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    assert out.count("## Development Workflow") == 1 and out.count("1. Experience Analysis") == 1, out
    workflow = out[out.index("## Development Workflow"):]
    assert "### 2. Implementation Phase\n\n- Automate the build" in workflow, out


def test_a_step_of_one_procedure_joins_the_step_of_its_number(tmp_path):
    """davila7 rewrote VoltAgent's business-analyst phases 2 and 3 under new titles; both agents'
    "### 1. Discovery Phase" make one procedure, and the merge read "### 3. Business
    Excellence", then "### 2. Analysis & Design Phase" and "### 3. Delivery & Validation Phase".
    In one procedure a step goes to the step of its number; where its list stands under a label
    of its title, the number is left out."""
    base = ("You are a business analyst.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n"
            "- Identify stakeholders\n- Map current processes\n\n### 2. Implementation Phase\n\n"
            "Implementation approach:\n- Create specifications\n- Support development\n\n"
            "### 3. Business Excellence\n\n- Measure realized value\n- Track adoption\n")
    other = ("You are a business analyst.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n"
             "- Identify stakeholders\n- Map current processes\n\n### 2. Analysis & Design Phase\n\n"
             "- Draw data flow diagrams\n- Write functional specifications\n\n"
             "### 3. Delivery & Validation Phase\n\n- Coordinate acceptance testing\n- Record sign-off\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    steps = [int(n) for n in re.findall(r"(?m)^#+ (\d)\. ", out)]
    assert steps == [1, 2, 3], out
    second = out[out.index("### 2. Implementation Phase"):out.index("### 3. Business Excellence")]
    assert "\n\nAnalysis & Design Phase:\n\n- Draw data flow diagrams" in second, out
    third = out[out.index("### 3. Business Excellence"):]
    assert "- Coordinate acceptance testing" in third and "3. Delivery" not in out, out


def test_a_title_with_a_subtitle_names_one_thing_of_its_topic(tmp_path):
    """davila7's product-manager "## Feature Prioritization: RICE Scoring" (a formula, four
    ``**Term**:`` lines, a paragraph) joined VoltAgent's "Feature prioritization:" by title: its
    lines were appended to the topic list and the formula stood after them. A subtitle narrows
    its title, as words before it do (``align.qualified``): it joins by content only, and here
    it stays one section, in its own order."""
    assert align.title_score("Feature Prioritization: RICE Scoring", "Feature prioritization") < 85
    assert align.title_score("Phase 3: Production Readiness", "Production readiness") == 100
    base = "You are a product manager.\n\nFeature prioritization:\n- Impact assessment\n- Effort estimation\n"
    other = ("You are a product manager.\n\n## Feature Prioritization: RICE Scoring\n\n```\n"
             "Score = (Reach x Impact x Confidence) / Effort\n```\n\n- **Reach**: users affected per quarter\n"
             "- **Confidence**: 1.0 = high, 0.5 = low\n\nRank features by score.\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    rice = out[out.index("## Feature Prioritization: RICE Scoring"):]
    assert rice.index("Score = ") < rice.index("- **Reach**") < rice.index("Rank features by score."), out
    topics = out[out.index("Feature prioritization:"):out.index("## Feature Prioritization")]
    assert "Reach" not in topics, out


def test_a_top_section_joins_a_subsection_by_the_words_of_its_title(tmp_path):
    """0xfurai's typescript "## Approach" joined rshah515's "### Development Workflow" of "##
    TypeScript Configuration Excellence" by kind alone (both name a way of working): its list
    stood between that section's lists and its closing paragraph. A top section joins a nested
    subsection only when the words of the titles are alike too."""
    base = ("You are a TypeScript expert.\n\n## Focus Areas\n\n- Advanced types\n- Generics\n\n"
            "## TypeScript Configuration Excellence\n\n### Compiler Configuration\n\n- **Strict Mode Flags**: each option\n\n"
            "### Development Workflow\n\n- **Editor Integration**: language server\n- **Linting Rules**: ESLint\n\n"
            "**Configuration Strategy:**\nStart with the strictest settings.\n")
    other = ("You are a TypeScript expert.\n\n## Approach\n\n- Always enable strict type checking\n"
             "- Prefer interfaces for object shapes\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    config = out[out.index("## TypeScript Configuration Excellence"):out.index("Start with the strictest")]
    assert "strict type checking" not in config, out
    assert "## Approach\n\n- Always enable strict type checking" in out, out


def test_a_lead_in_of_a_new_section_stays_over_its_list(tmp_path):
    """davila7's product-manager "## OKR Worksheet" opens its list with "For each objective:";
    the base's prose says "objective" too, and the lead-in went as saying nothing new: the list
    then said what to write for nothing in particular. A lead-in of a section of its own stays."""
    base = ("You are a product manager. Set one objective for each team.\n\n## Skills\n\n- Roadmaps\n- Discovery\n")
    other = ("You are a product manager.\n\n## OKR Worksheet\n\nFor each objective:\n\n"
             "- **Objective**: qualitative and time-bound\n- **Owner**: the person accountable\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    assert "## OKR Worksheet\n\nFor each objective:\n\n- **Objective**: qualitative" in out, out


def test_a_lead_in_that_names_a_label_of_the_section_joins_that_labels_list(tmp_path):
    """davila7's business-analyst step 3 opens with "Excellence checklist:" over its own list;
    VoltAgent's step 3 has a label "Excellence checklist:" of that name. The step read two lists
    of one name, a paragraph apart. A lead-in that names a label of the section it comes into
    is that label: one list."""
    base = ("You are a business analyst.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n"
            "- Identify stakeholders\n\n### 2. Business Excellence\n\nDeliver measurable value.\n\n"
            "Excellence checklist:\n- Requirements met\n- Stakeholders satisfied\n\nDelivery notification:\n"
            "\"Analysis completed.\"\n")
    other = ("You are a business analyst.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n"
             "- Identify stakeholders\n\n### 2. Delivery & Validation Phase\n\nExcellence checklist:\n"
             "- All requirements traceable to business objectives\n- UAT coordinated and results recorded\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    assert out.count("Excellence checklist:") == 1, out
    checklist = out[out.index("Excellence checklist:"):]
    assert checklist.index("- UAT coordinated") < checklist.index("Delivery notification:"), out


def test_steps_joined_by_number_keep_their_conditions_their_depth_and_other_numbers(tmp_path):
    """The review's cases of the step rules: a condition under a step that joined the base's step
    of its number stays in that step, not in "Test strategy:"; a step joins a step of its own
    depth, not the base's sub-step "#### 2. Scope the work"; a version in a title ("3.0 Upgrade
    Steps") is no step number, and a label keeps it whole."""
    base = ("You are a QA expert.\n\nTest strategy:\n- Requirements analysis\n- Risk assessment\n\n"
            "## Development Workflow\n\n### 1. Requirements Analysis\n\n- Review requirements\n\n"
            "### 2. Implementation Phase\n\n- Design test cases\n\n### 3. Quality Excellence\n\n- Report coverage\n")
    other = ("You are a QA expert.\n\n## Development Workflow\n\n### 1. Requirements Analysis\n\n"
             "- Read the acceptance criteria\n\n### 3. Execute Tests\n\n- Define the precondition\n\n"
             "**If all tests pass:**\n- Set the QA checkpoint to completed\n- Print the sign-off\n")
    out = merge_all(tmp_path / "condition", {"base": base, "other": other}).stdout
    assert "checkpoint" not in out[out.index("Test strategy:"):out.index("## Development Workflow")], out
    assert "**If all tests pass:**\n- Set the QA checkpoint" in out[out.index("### 3. Quality Excellence"):], out
    nested = ("You are an API designer.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n"
              "#### 1. Gather inputs\n\n- Read the brief\n\n#### 2. Scope the work\n\n- Define boundaries\n\n"
              "### 2. Implementation Phase\n\n- Write the handlers\n")
    build = ("You are an API designer.\n\n## Development Workflow\n\n### 1. Discovery Phase\n\n- Read the brief\n\n"
             "### 2. Build Phase\n\n- Write contract tests for every endpoint\n")
    out = merge_all(tmp_path / "depth", {"base": nested, "other": build}).stdout
    assert "- Write contract tests" in out[out.index("### 2. Implementation Phase"):], out
    upgrade = "You are a migration expert.\n\n## Upgrade Steps\n\n1. Back up the database\n2. Run the upgrade\n\n## Style\n\n- Be brief\n"
    version = "You are a migration expert.\n\n## 3.0 Upgrade Steps\n\n1. Replace the removed config keys\n2. Rebuild the cache\n"
    out = merge_all(tmp_path / "version", {"base": upgrade, "other": version}).stdout
    assert "0 Upgrade Steps:" not in out.replace("3.0 Upgrade Steps:", ""), out


def test_a_section_placed_ahead_of_another_sees_the_same_joins(tmp_path):
    """The look-ahead that places another source's new section before the section its next one
    joins must see the rules ``_home`` applies: "## Strict Boundaries" stood before "##
    TypeScript Configuration Excellence" because "## Approach" was taken to join its nested
    "### Development Workflow", which it no longer does."""
    base = ("You are a TypeScript expert.\n\n## Focus Areas\n\n- Advanced types\n- Generics\n\n"
            "## TypeScript Configuration Excellence\n\n### Compiler Configuration\n\n- **Strict Mode Flags**: each option\n\n"
            "### Development Workflow\n\n- **Editor Integration**: language server\n- **Linting Rules**: ESLint\n\n"
            "## Communication\n\n- Explain trade-offs\n- Show examples\n")
    other = ("You are a TypeScript expert.\n\n## Strict Boundaries\n\n- Never disable strict mode\n"
             "- Never use any without a comment\n\n## Approach\n\n- Always enable strict type checking\n"
             "- Prefer interfaces for object shapes\n")
    out = merge_all(tmp_path, {"base": base, "other": other}).stdout
    assert out.index("## Communication") < out.index("## Strict Boundaries") < out.index("## Approach"), out


def test_copilot_mcp_tools_are_claude_codes_and_vscode_toolsets_are_not():
    """Copilot names an MCP server's tools "server/*" or "server/tool"; VS Code's own toolsets
    ("runCommands/...", "read/problems") and an extension's ("publisher.extension/...") are no
    server."""
    from agentforge.fields import claude_tools
    tools, unknown = claude_tools(("read", "terraform/*", "github/create_issue", "runCommands/terminalLastCommand",
                                   "read/problems", "ms-azuretools.vscode-azure-github-copilot/azure_query"))
    assert "mcp__terraform__*" in tools and "mcp__github__create_issue" in tools
    assert unknown == ["runCommands/terminalLastCommand", "read/problems",
                       "ms-azuretools.vscode-azure-github-copilot/azure_query"]


def test_a_subtitle_of_generic_words_or_of_filler_titles_narrows_nothing():
    """"Security: Overview" is "Security"; "Engineering" (a filler word alone) is no title that
    "Development: Testing" narrows."""
    assert align.title_score("Security: Overview", "Security") == 100
    assert align.title_score("Engineering", "Development: Testing") < 50


def test_the_description_says_once_what_the_agent_is(tmp_path):
    """scala-expert's description read "Scala language specialist for functional programming,
    Akka ... Scala expert specializing in functional programming, type safety, and performance
    optimization.": two sentences saying what the agent is. Another source's pitch goes where the
    base has one; its other sentences still may add what the base does not name."""
    description = _merged_description(
        tmp_path, "Scala language specialist for functional programming, Akka framework, Apache Spark and JVM "
        "development. Invoked for Scala applications.",
        "Scala expert specializing in functional programming, type safety, and performance optimization. Covers sbt "
        "builds, Scala Native toolchains and Mill plugins.")
    assert "Scala language specialist for" in description and "Scala expert specializing" not in description
    assert "sbt builds" in description


def _merged_description(tmp_path: Path, base: str, other: str) -> str:
    """The description of the merge of an agent described by ``base`` (the base) and one by ``other``."""
    first = write(tmp_path / "a.md", f"---\nname: a-agent\ndescription: {base}\n---\n\n- Pattern matching\n")
    second = write(tmp_path / "b.md", f"---\nname: b-agent\ndescription: {other}\n---\n\n- Type classes\n")
    out = merge(first, second, "--base", first).stdout
    return re.search(r"(?m)^description: (.*)$", out).group(1)


def test_the_description_does_not_say_its_opening_again_in_other_words(tmp_path):
    """ios-developer's description read "Develop native iOS applications with Swift/SwiftUI. ...
    Write high-quality iOS applications using Swift and SwiftUI, ensuring ...": the opening twice.
    A sentence that opens as the base does, with a verb, and says little new before its comma
    goes; one that opens with a trigger of the base's ("Use when ...") is no opening to repeat."""
    description = _merged_description(
        tmp_path, "Develop native iOS applications with Swift/SwiftUI. Masters UIKit integration and Core Data.",
        "Write high-quality iOS applications using Swift and SwiftUI, ensuring optimal performance and adherence to "
        "Apple's guidelines. Handles StoreKit purchases, WidgetKit extensions and CarPlay scenes.")
    assert "Write high-quality" not in description and "StoreKit purchases" in description


def _items(result) -> list[str]:
    return [line.strip()[2:] for line in result.stdout.splitlines() if line.strip().startswith("- ")]


def test_a_term_line_of_another_topic_does_not_take_a_short_item_it_mentions(tmp_path):
    """rshah515's "**Express Review**: Middleware usage, error handling, ..." mentions error
    handling in Express; VoltAgent's code-quality list keeps its own "Error handling", and the
    Express line stays with the frameworks. Under its own topic the line says the item:
    "Race conditions" under "Concurrency issues" is one of "**Concurrency Issues**: ..."."""
    result = merge_two(tmp_path,
                       "## Code quality\n\n- Logic correctness\n- Error handling\n- Naming conventions\n"
                       "- Clean code principles\n\n"
                       "## Concurrency issues\n\n- Race conditions\n- Livelocks\n",
                       "## Framework reviews\n\n- **Express Review**: Middleware usage, error handling, "
                       "and security implementation\n- **Django Review**: ORM usage and migrations\n"
                       "- **Java Review**: Clean code principles, Spring patterns, thread safety\n\n"
                       "## Concurrency\n\n- **Concurrency Issues**: Race conditions, deadlocks, and thread "
                       "synchronization problems\n")
    items = _items(result)
    code = result.stdout.split("## Code quality")[1].split("##")[0]
    assert "- Error handling" in code and "- Clean code principles" in code and "Review**" not in code
    assert "**Express Review**: Middleware usage, error handling, and security implementation" in items
    assert "Race conditions" not in items
    assert sum("race conditions" in item.lower() for item in items) == 1


def test_a_short_item_is_said_only_by_its_words_in_one_place(tmp_path):
    """A short item is another idea with one word less or its words apart: "Time-based
    features" is not "Percentile and rank-based features", nor "Render props pattern"
    "Components render expected output with given props"; "Tree shaking setup" is
    "**Tree Shaking**: Eliminating dead code" (a filler word) and "Build proper authentication
    and authorization" "Authentication and authorization implementation" (a verb)."""
    common = "".join(f"- {text}\n" for text in ["Time series forecasting", "Real-time dashboards with props",
                                                  "Server render time budgets", "Render time of props updates"])
    result = merge_two(tmp_path,
                       "## Practices\n\n- Time-based features\n- Render props pattern\n- Tree shaking setup\n"
                       "- Build proper authentication and authorization\n\n## Other\n\n" + common,
                       "## Practices\n\n- Percentile and rank-based features\n"
                       "- Components render expected output with given props\n"
                       "- **Tree Shaking**: Eliminating dead code\n"
                       "- Authentication and authorization implementation\n\n## Other\n\n" + common)
    items = _items(result)
    for both in ["Time-based features", "Percentile and rank-based features", "Render props pattern",
                 "Components render expected output with given props"]:
        assert both in items
    assert "Tree shaking setup" not in items and "**Tree Shaking**: Eliminating dead code" in items
    assert sum("authorization" in item for item in items) == 1


def test_a_narrower_head_in_another_section_does_not_say_a_short_item(tmp_path):
    """rshah515's "**Test Timing Issues**: Async operation timing, ..." is about tests; the
    base's concurrency list keeps "Timing issues". A head that adds only a word like
    "Application" is about the item: "Design Thinking" goes for "**Design Thinking
    Application**: ..." elsewhere."""
    result = merge_two(tmp_path,
                       "## Concurrency issues\n\n- Race conditions\n- Timing issues\n- Livelocks\n\n"
                       "## Frameworks\n\n- Design Thinking\n- Lean Startup\n",
                       "## Test environment\n\n- **Test Timing Issues**: Async operation timing, test "
                       "execution order\n- **Flaky Tests**: Retries and quarantine\n\n"
                       "## Methods\n\n- **Design Thinking Application**: Human-centered design process\n"
                       "- **Kano Model**: Feature satisfaction\n")
    items = _items(result)
    assert "Timing issues" in items and any(item.startswith("**Test Timing Issues**") for item in items)
    assert "Design Thinking" not in items


def test_a_top_level_item_is_not_said_by_a_sub_item_of_another_place():
    """davila7's Operate phase keeps "Configuration management", though rshah515's deployment
    group in another section says "Configuration management automation" among its sub-items;
    in one place the longer says the shorter."""
    group = survivors.Node([0], "Deployment orchestration:", 0, 0, frozenset({0}), authors=frozenset({0}))
    long = survivors.Node([1], "Configuration management automation", 1, 0, frozenset({0}), authors=frozenset({0}))
    group.children.append(long)
    short = survivors.Node([2], "Configuration management", 2, 1, frozenset({1}), authors=frozenset({1}))
    nodes = [group, long, short]
    assert survivors.repeats(nodes, ["Pipelines", "Pipelines > Deployment orchestration:", "Phase 7: Operate"]) == []
    assert survivors.repeats(nodes, ["Pipelines", "Pipelines > Deployment orchestration:",
                                     "Pipelines > Deployment orchestration:"]) == [(2, 1)]


def test_the_report_keeps_a_lead_in_that_labels_its_list_in_the_output(corpus_dir, tmp_path):
    """rshah515's rails-expert leads its hand-offs in with "**CORE FRAMEWORK INTEGRATION**:";
    the list comes under the base's integration section with that line as its label, and the
    report says the line is kept, where it stands in the report's outline."""
    result = merge(*[corpus_dir / name for name in RAILS], "-o", tmp_path / "out.md",
                   "--report", tmp_path / "report.json")
    assert result.exit_code == 0, result.output
    lines = {line.strip() for line in (tmp_path / "out.md").read_text().splitlines()}
    data = json.loads((tmp_path / "report.json").read_text())
    assert "**CORE FRAMEWORK INTEGRATION**:" in lines
    said = {p["text"].strip() for p in data["prose"] if p["status"] != "dropped"}
    wrong = [p["text"] for p in data["prose"] if p["status"] == "dropped" and p["text"].strip() in lines - said]
    assert wrong == []
    written = [b for part in data["outline"] for b in part["blocks"] if b["kind"] == "prose"]
    assert any(b["text"] == "**CORE FRAMEWORK INTEGRATION**:" for b in written)
    lead = next(p for p in data["prose"] if p["text"] == "**CORE FRAMEWORK INTEGRATION**:")
    assert lead["kept"] is True and "reason" not in lead


FASTAPI = ["0xfurai__claude-code-subagents/agents__fastapi-expert.md",
           "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__fastapi-developer.md",
           "rshah515__claude-code-subagents/frameworks__fastapi-expert.md"]


def test_a_box_item_that_joins_a_list_is_weighed_against_that_list(corpus_dir, tmp_path):
    """rshah515's fastapi "Application Lifecycle:" box is taken apart into the base's "API
    architecture:" list; there its "Dependency injection system" says nothing that "Dependency
    injection mechanisms in FastAPI" does not ("system" names no idea), so it goes, and the
    report names the line that says it."""
    result = merge(*[corpus_dir / name for name in FASTAPI], "-o", tmp_path / "out.md",
                   "--report", tmp_path / "report.json")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.md").read_text().splitlines()
    items = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    assert "Dependency injection mechanisms in FastAPI" in items and "Dependency injection system" not in items
    data = json.loads((tmp_path / "report.json").read_text())
    gone = next(c for c in data["clusters"] if c["representative"] == "Dependency injection system")
    assert gone["dropped"].endswith("Dependency injection mechanisms in FastAPI")


def test_a_line_says_an_item_but_its_filler_only_in_its_order():
    """"Dependency injection mechanisms in FastAPI" says "Dependency injection system" ("system"
    names no idea); "User access reviews" does not say "Review access patterns" (of patterns of
    access, not of reviews of users' access), though it too lacks only a filler word, nor
    "Memory profiling for optimization" "Memory management and optimization techniques"."""
    def absorbed(line: str, text: str) -> bool:
        items = [Item(line, 1), Item(text, 2)]
        nodes = [survivors.Node([0], line, 0, 0, frozenset({0}), authors=frozenset({0})),
                 survivors.Node([1], text, 1, 1, frozenset({1}), authors=frozenset({1}))]
        weight = survivors.Rarity([line, text, "Rate limiting", "Input validation"])
        return bool(absorb.absorbed(nodes, 0, items, weight))

    assert absorbed("Dependency injection mechanisms in FastAPI", "Dependency injection system")
    assert not absorbed("User access reviews", "Review access patterns")
    assert not absorbed("Memory profiling for optimization", "Memory management and optimization techniques")


def test_a_lead_in_over_the_paragraph_it_introduces_stays(tmp_path):
    """davila7's code-reviewer: "Every finding must follow this structure:" over its finding
    template, and "Close every review with:" over its summary line, are instructions; they went
    as lead-ins whose lists stood elsewhere, and the templates read like examples."""
    result = merge_two(tmp_path, "## Review areas\n\n- Logic errors\n- Security holes\n- Naming\n",
                       "## Review areas\n\n- Logic errors\n\n## Output Format\n\n"
                       "Every finding must follow this structure:\n\n"
                       "**[CRITICAL] `file:line` — short description**\nRisk: what can go wrong\n\n"
                       "Close every review with:\n\n> Review Summary: examined [N] files.\n")
    out = result.stdout
    assert "Every finding must follow this structure:\n\n**[CRITICAL]" in out
    assert "Close every review with:\n\n> Review Summary" in out


def test_a_short_item_with_a_closing_list_joins_the_term_line_it_names_and_brings_its_things(tmp_path):
    """davila7's "Caching strategies (Redis, CDN, browser)" beside wshobson's "**Caching
    Strategy**: ..." is one line that names Redis, CDN and browser too; a list of questions is no
    list of things ("(how many, how severe)"), and one thing in parentheses is part of what an item
    says ("(legacy: prefer hooks)" is advice the Term line does not give)."""
    result = merge_two(tmp_path,
                       "## Capabilities\n\n"
                       "- **Caching Strategy**: Cache-aside patterns, TTL tuning, cache invalidation\n"
                       "- **Higher-Order Components**: Cross-cutting concerns with HOCs\n"
                       "- **Business impact**: Revenue loss, SLA violations\n"
                       "- **User impact**: Affected user count\n",
                       "## Focus\n\n- Caching strategies (Redis, CDN, browser)\n"
                       "- Higher-order components (legacy: prefer hooks)\n"
                       "- Business impact (revenue, reputation)\n- User impact (how many, how severe)\n")
    items = _items(result)
    assert "**Caching Strategy**: Cache-aside patterns, TTL tuning, cache invalidation, Redis, CDN, browser" in items
    assert not any(item.startswith("Caching strategies") for item in items)
    assert "Higher-order components (legacy: prefer hooks)" in items
    assert "**Business impact**: Revenue loss, SLA violations, reputation" in items
    assert "**User impact**: Affected user count" in items and "User impact (how many, how severe)" in items


def test_a_heading_over_subsections_only_joins_the_section_its_title_names(tmp_path):
    """rshah515's "## Error Handling Excellence" holds no items of its own, only "### Result and
    Option Patterns": its title says where it goes, wshobson's "### Error Handling & Safety",
    with its subsection under that one; a title that names another topic stays a section of its own."""
    result = merge_two(tmp_path,
                       "## Capabilities\n\n### Error Handling & Safety\n\n- Custom error types with thiserror\n"
                       "- Panic handling\n\n### Testing\n\n- Unit tests\n\n## Best Practices\n\n- Keep it simple\n",
                       "## Error Handling Excellence\n\n### Result and Option Patterns\n\n- Combinators over match\n"
                       "- Early returns with the question mark\n\n"
                       "## Concurrency and Parallelism\n\n### Fearless Concurrency\n\n- Send and Sync bounds\n")
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings[:4] == ["## Capabilities", "### Error Handling & Safety", "#### Result and Option Patterns",
                            "### Testing"]
    assert "## Error Handling Excellence" not in headings
    assert next(h for h in headings if "Concurrency" in h).startswith("## ")  # a section of its own


def test_a_short_item_joins_a_term_line_headed_by_its_words_that_says_it_whole(tmp_path):
    """VoltAgent's "Security metrics and KPIs" is wshobson's "**Security metrics**: KPIs, security
    scorecards, ...": the line is headed by the item's words and says the rest. Not when the head
    says the words in another order ("Performance tests" is no "**Test Performance**: ..."), two
    of its words share a stem ("Component structure" is no "**Component Composition**"), or it
    names a topic at large ("Memory leaks" keeps its list beside "**Memory Management**: ...")."""
    result = merge_two(tmp_path,
                       "## Capabilities\n\n- **Security metrics**: KPIs, security scorecards, executive reporting\n",
                       "## Focus\n\n- Security metrics and KPIs\n")
    assert _items(result) == ["**Security metrics**: KPIs, security scorecards, executive reporting"]
    assert not cluster.headed("Performance tests", "Test Performance", "**Test Performance**: Speed of performance tests")
    assert not cluster.headed("Component structure", "Component Composition",
                              "**Component Composition**: Structure component hierarchies")
    assert not cluster.headed("Memory leaks", "Memory Management", "**Memory Management**: Memory leak detection, GC")
    assert not cluster.headed("API review tools", "API Design Review", "**API Design Review**: API review tools")
    assert cluster.headed("Container security standards", "Container security",
                          "**Container security**: Image scanning, Kubernetes Pod Security Standards")


def test_stderr_says_when_the_sources_go_by_different_names(tmp_path):
    """Claude Code calls an agent by its name: a user of "b-agent" learns the result is "a-agent"
    (a tie goes to the base), and how to choose; names that differ only in case are one."""
    result = merge_two(tmp_path, "## Skills\n\n- Python\n", "## Skills\n\n- Go\n")
    assert "name: the sources disagree: a-agent (1), b-agent (1); the result is a-agent (--name to choose)" \
        in result.stderr
    named = merge(agent(tmp_path, "c", "- Rust\n"), agent(tmp_path, "d", "- Rust\n"), "--name", "rust-pro")
    assert named.exit_code == 0 and "name:" not in named.stderr
    row = {"key": "name", "value": "a-agent", "how": "the most common name, kebab-cased",
           "sources": [{"value": "a-agent"}, {"value": "b-agent"}, {"value": None}]}
    assert report.name_lines({"frontmatter": [row]}) == [
        "name: the sources disagree: a-agent (1), b-agent (1); the result is a-agent (--name to choose)"]
    same = merge(write(tmp_path / "e.md", "---\nname: Backend-Dev\ndescription: x\n---\n\n- Go\n"),
                 write(tmp_path / "f.md", "---\nname: backend-dev\ndescription: y\n---\n\n- Rust\n"))
    assert same.exit_code == 0 and "name:" not in same.stderr


def test_a_numbered_list_of_principles_joins_bullets_a_procedure_does_not(tmp_path):
    """wshobson's "## Approach" numbers its principles ("1. Leverage the type system for
    correctness"): an item that 0xfurai's bullet says is said once, and its other items join
    0xfurai's list (one Approach list, not two in a row). The steps of a procedure ("## When invoked", "## Response Approach")
    are steps, which join only steps."""
    base = ("## Approach\n\n- Leverage the type system for correctness and safety\n- Prefer iterators over loops\n\n"
            "## Notes\n\n- Keep it short\n")
    result = merge_two(tmp_path, base, "## Approach\n\n1. Leverage the type system for correctness\n"
                                       "2. Zero-cost abstractions over runtime checks\n")
    assert "- Prefer iterators over loops\n- Zero-cost abstractions over runtime checks\n" in result.stdout
    assert "Leverage the type system for correctness\n" not in result.stdout
    block = ListBlock((Item("Leverage the type system", 3, "1."), Item("Prefer iterators", 4, "2.")), 3, ordered=True)
    unit = Unit(1, "Approach", "## Approach", 2, "heading", (block,), tight=True)
    assert sources.principle_list(block, unit)
    assert not sources.principle_list(block, replace(unit, title="When invoked"))
    assert not sources.principle_list(block, replace(unit, title="Response Approach"))


def test_a_line_says_an_item_only_with_the_action_it_opens_with():
    """"Audit third-party actions" is not said by "Integrating with third-party services via
    actions", though every other word is; a nominalised action is the action ("Monitor metrics",
    "Metrics monitoring"), and a plain verb or a hand-off's verb names none."""
    assert not survivors.keeps_action("Audit third-party actions", "Integrating with third-party services via actions")
    assert not survivors.keeps_action("Validate workflows before merging",
                                      "Newly added workflows are peer-reviewed before merging")
    assert survivors.keeps_action("Monitor metrics", "Metrics monitoring: dashboards")
    assert survivors.keeps_action("Use existing components", "Existing components first")
    assert survivors.keeps_action("Collaborate with security-auditor on audits",
                                  "**With security-auditor**: formal audits")


def test_a_labelled_list_over_subsections_gives_each_its_items(tmp_path):
    """0xfurai's "## Focus Areas" joins wshobson's "## Capabilities" as a labelled list above its
    subsections; an item that names a subsection's topic goes there ("UIKit for complex UI
    components and legacy support" to "### UIKit Integration & Legacy Support"), one that only
    shares a word with a title stays under its label ("App lifecycle ..." is no "### App Store")."""
    result = merge_two(tmp_path,
                       "## Capabilities\n\n### UIKit Integration & Legacy Support\n\n- Custom UIKit views\n\n"
                       "### App Store & Distribution\n\n- TestFlight beta testing\n",
                       "## Focus Areas\n\n- UIKit for complex UI components and legacy support\n"
                       "- App lifecycle and background processing\n")
    out = result.stdout
    assert "### UIKit Integration & Legacy Support\n\n- Custom UIKit views\n- UIKit for complex UI components" in out
    assert out.index("- App lifecycle and background processing") < out.index("### UIKit Integration")


def test_a_title_that_ends_in_a_colon_labels_its_list_with_one():
    """67 headings of the corpus end in a colon ("## When working with the framework, you
    should:"); over its list in another section the title is a label with one colon, not two."""
    assert outline._title_label("When working with the framework, you should:") == \
        "When working with the framework, you should:"
    assert outline._title_label("2. Design and Draft") == "Design and Draft:"


def test_a_last_instruction_ends_the_agents_own_sections_not_its_examples(tmp_path):
    """davila7's rust-pro ends "## Output" with "Follow clippy lints. Include examples in doc
    comments."; in the merge it stood after wshobson's "## Example Interactions", read as one of
    them. It ends the last section about the agent's own work; a sign-off still ends the agent."""
    result = merge_two(tmp_path,
                       "## Capabilities\n\n- Ownership and borrowing\n- Async with Tokio\n\n"
                       "## Example Interactions\n\n- \"Refactor this module to remove clones\"\n"
                       "- \"Write an async HTTP client\"\n",
                       "## Output\n\n- Idiomatic Rust with proper error handling\n- Benchmarks with criterion.rs\n\n"
                       "Follow clippy lints. Include examples in doc comments.\n")
    out = result.stdout
    assert out.index("Follow clippy lints.") < out.index("## Example Interactions")


def test_a_term_line_is_said_only_by_a_line_that_says_its_head(tmp_path):
    """wshobson's P3 block says "**Response**: Next business day"; davila7's "**P3**: Minor
    issues, next business day" has the same words but not the head: the block keeps its
    Response line, and the P3 line stands too. Under a head the line says, it joins."""
    result = merge_two(tmp_path,
                       "## Severity\n\n- **Impact**: Cosmetic issues, no user impact\n- **Response**: Next business day\n"
                       "- **Security**: OAuth2, JWT\n",
                       "## Levels\n\n- **P3**: Minor issues, next business day\n"
                       "- **Security**: OAuth2, JWT, secrets management\n")
    items = _items(result)
    assert "**Response**: Next business day" in items and "**P3**: Minor issues, next business day" in items
    assert "**Security**: OAuth2, JWT, secrets management" in items and "**Security**: OAuth2, JWT" not in items


def test_an_invoked_for_sentence_is_a_trigger_kept_once(tmp_path):
    """VoltAgent writes its trigger "Invoked for data pipeline design, ..."; beside the base's
    "Use PROACTIVELY for data pipeline design, ..." the description said what to use it for
    twice. Where the base has no trigger, the other's comes in."""
    twice = _merged_description(tmp_path, "Build scalable data pipelines. Use PROACTIVELY for data pipeline design.",
                                "Invoked for data pipeline design, data modeling, and large-scale processing.")
    assert "Invoked for" not in twice and "Use PROACTIVELY" in twice
    once = _merged_description(tmp_path, "Expert in Next.js development, specializing in static site generation.",
                               "Invoked for Next.js-specific implementations and deployment strategies.")
    assert once.endswith("Invoked for Next.js-specific implementations and deployment strategies.")
