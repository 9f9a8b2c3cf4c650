"""``merge --review``: one self-contained HTML page, checked as text and in a real browser.

The browser tests drive Debian's chromium (``/usr/bin/chromium``, which ``.ci/run`` installs)
through Playwright, one launch for the module, and assert what a person sees.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge import cli, files, templates
from agentforge.model import all_items

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert(1)</script>"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def hostile_sources(folder: Path) -> Path:
    """Two agents whose text tries to run script on the review page, one in a file whose name does."""
    write(folder / "a.md", f"""---
name: api-helper
description: Helps with APIs {HOSTILE}
model: sonnet
---

You are an API helper. {HOSTILE}

## Skills

- Design REST APIs {HOSTILE}
- Write </script><script>alert(2)</script> tests
- Review "quoted" & <b>bold</b> changes
""")
    write(folder / "b<img src=x onerror=alert(3)>.md", """---
name: api-helper
description: Helps with APIs
model: opus
---

You are an API helper.

## Skills

- Design REST APIs
- Tune slow database queries
""")
    return folder


def merge_with_review(sources: list[Path] | Path, out: Path, *extra: str) -> tuple[str, dict]:
    """Merge with -o, --report and --review into ``out``; the page text and the report."""
    paths = sources if isinstance(sources, list) else [sources]
    result = run("merge", *paths, "-o", out / "agent.md", "--report", out / "report.json",
                 "--review", out / "review.html", *extra)
    assert result.exit_code == 0, result.output
    return (out / "review.html").read_text(encoding="utf-8"), json.loads((out / "report.json").read_text())


# ---- the page as text ----------------------------------------------------------------------


def test_review_is_written_with_output_and_report_all_or_none(isolated: Path) -> None:
    page, _ = merge_with_review(ROOT / "sources", isolated)
    assert page.startswith("<!doctype html>")
    before = {name: (isolated / name).read_bytes() for name in ("agent.md", "report.json")}
    changed = ("-o", isolated / "agent.md", "--max-examples", "1", "--report", isolated / "report.json")
    (isolated / "review.html").write_text("mine\n")
    result = run("merge", ROOT / "sources", *changed, "--review", isolated / "review.html")
    assert result.exit_code == 1
    assert result.stderr == f"error: {isolated / 'agent.md'}: already exists and differs; pass --force to overwrite it\n"
    (isolated / "review.html").unlink()
    (isolated / "review.html").mkdir()  # the page cannot be written: the other two are not either
    result = run("merge", ROOT / "sources", *changed, "--review", isolated / "review.html", "--force")
    assert result.exit_code == 1
    assert result.stderr == f"error: {isolated / 'review.html'}: is a folder, not a file\n"
    assert {name: (isolated / name).read_bytes() for name in before} == before
    refused = run("merge", ROOT / "sources", "--review", ROOT / "sources" / "backend-developer.md")
    assert refused.exit_code == 1 and "refusing to write over a source file" in refused.stderr


def test_review_page_is_self_contained_and_deterministic(isolated: Path) -> None:
    page, _ = merge_with_review(ROOT / "sources", isolated)
    again, _ = merge_with_review(ROOT / "sources", isolated / "again")
    assert page == again
    assert not re.search(r"(?i)\bsrc\s*=", page)  # nothing loaded
    assert {href[0] for href in re.findall(r'href="([^"]*)"', page)} == {"#"}  # links are anchors
    assert not re.search(r"(?i)https?://|<link\b|@import|url\(", page)
    assert page.count("<script") == 1 and page.count("</script>") == 1


def test_prose_reworded_in_the_bases_voice_says_so_with_the_sources_words(isolated: Path) -> None:
    """Another source's "I'm precise ..." is written "You're precise ..."; the page said it was
    "kept as it is". It shows the source's words and says they were reworded."""
    write(isolated / "src" / "a.md", "---\nname: rust-helper\ndescription: Helps with Rust.\n---\n\n"
          "You are a Rust expert.\n\n## Skills\n\n- Ownership and borrowing\n")
    write(isolated / "src" / "b.md", "---\nname: rust-helper\ndescription: Helps with Rust.\n---\n\n"
          "You are a Rust developer.\n\n## Communication Style\n\nI'm precise and safety-focused. "
          "I explain lifetimes in plain terms.\n\n## Skills\n\n- Ownership and borrowing\n")
    page, report = merge_with_review([isolated / "src" / "a.md", isolated / "src" / "b.md"], isolated,
                                     "--base", isolated / "src" / "a.md")
    assert [p["status"] for p in report["prose"] if p["text"].startswith("I'm precise")] == ["reworded"]
    row = page[page.index("You&#39;re precise"):]
    row = row[: row.index("</ul>")]
    assert "I&#39;m precise and safety-focused" in row and "reworded in the base's voice" in row
    assert "kept as it is" not in row


def test_the_report_keeps_its_keys_and_gains_the_review_data(isolated: Path) -> None:
    _, report = merge_with_review(ROOT / "sources", isolated)
    assert list(report)[:6] == ["sources", "base", "base_reason", "threshold", "clusters", "prose"]
    cluster = report["clusters"][0]
    assert set(cluster) >= {"id", "section", "representative", "support", "kept", "members"}
    assert set(cluster["members"][0]) == {"source", "line", "text", "status"}
    statuses = {m["status"] for c in report["clusters"] for m in c["members"]}
    assert statuses == {"verbatim", "absorbed"}
    said = [c for c in report["clusters"] if "said_by" in c]
    assert said and all(report["clusters"][c["said_by"] - 1]["kept"] and not c["kept"] for c in said)
    ids = [c["id"] for c in order_of(report)]
    assert sorted(ids) == [c["id"] for c in report["clusters"] if c["kept"]]  # each output item once
    # the base's keys in its order (backend-specialist: name, description, model), then the others
    # written; they had followed the first source's (backend-developer: ... tools, color)
    assert [row["key"] for row in report["frontmatter"]] == ["name", "description", "model", "color", "tools"]
    assert {len(row["sources"]) for row in report["frontmatter"]} == {5}


def test_source_text_is_escaped_everywhere(isolated: Path) -> None:
    page, report = merge_with_review(hostile_sources(isolated / "src"), isolated)
    assert page.count("<script") == 1  # the page's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page
    assert "&#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert any(HOSTILE in m["text"] for c in report["clusters"] for m in c["members"])  # the JSON is as read


def test_templates_list_shows_review_and_a_copy_is_used(isolated: Path) -> None:
    assert re.search(r"^review\.html\.j2 +built-in +Review page", run("templates", "list").stdout, re.MULTILINE)
    assert run("templates", "copy", "review", "templates/").exit_code == 0
    mine = isolated / "templates" / "review.html.j2"
    mine.write_text("{# Ours. #}<p>{{ summary.items_out }} items, {{ sources[0].label }}</p>\n")
    result = run("merge", hostile_sources(isolated / "src"), "--review", isolated / "r.html")
    assert result.exit_code == 0, result.output
    assert (isolated / "r.html").read_text() == "<p>4 items, a.md</p>\n"
    assert f"template: {Path('templates/review.html.j2')} (from ./templates)" in result.stderr
    mine.write_text("{{ 1/0 }}\n")
    broken = run("merge", ROOT / "sources", "-o", isolated / "x.md", "--review", isolated / "x.html")
    assert broken.exit_code == 1 and broken.stderr.startswith("error: ") and broken.stderr.count("\n") == 1
    assert not (isolated / "x.md").exists() and not (isolated / "x.html").exists()


def test_the_review_template_ships_with_the_package() -> None:
    assert templates.find("review") == templates.builtin_dir() / "review.html.j2"


# ---- the page in a browser -----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """One headless chromium for the module (skipped, saying why, when there is none)."""
    if CHROMIUM is None:
        pytest.skip("chromium not found (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright  # in the test extra: missing is a failure, not a skip

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh tab in which any dialog (an ``alert`` run by injected script) fails the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=True)
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda request: None if request.url.startswith("file:") else errors.append(request.url))
    yield tab
    context.close()
    assert dialogs == [], f"the page ran a dialog: {dialogs}"
    assert errors == [], f"script errors or network requests: {errors}"


def test_every_output_item_shows_and_a_click_shows_its_source_lines(isolated: Path, page, capsys) -> None:  # type: ignore[no-untyped-def]
    _, report = merge_with_review(ROOT / "sources", isolated)
    page.goto((isolated / "review.html").as_uri())
    say_load(page, isolated / "review.html", "seeds (5 files)", capsys)
    kept = [c for c in report["clusters"] if c["kept"]]
    rows = page.locator(".item:not(.prose) > .row .text")
    written = [item.text for item in all_items(files.load(isolated / "agent.md").body)]
    assert rows.count() == len(kept) == len(written) > 100
    assert rows.all_inner_texts() == [c["representative"] for c in order_of(report)] == written
    first = page.locator("#c1")
    lines = first.locator(":scope > .from")
    assert not lines.is_visible()
    first.locator(":scope > .row").click()
    assert lines.is_visible()
    cluster = report["clusters"][0]
    for member in cluster["members"]:
        label = f"{Path(member['source']).name}:{member['line']}"
        assert lines.get_by_text(label, exact=True).is_visible()
        assert lines.get_by_text(member["text"], exact=True).is_visible()
    first.locator(":scope > .row").click()
    assert not lines.is_visible()
    summary = page.locator("#summary").inner_text()
    items_in = sum(len(c["members"]) for c in report["clusters"])
    assert f"5 sources\n{items_in} items in\n{len(written)} items out\n" in summary


def order_of(report: dict) -> list[dict]:
    """The kept clusters in the order the merged agent writes them."""
    found: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            found.append(report["clusters"][item["cluster"] - 1])
            walk(item["children"])

    for part in report["outline"]:
        for block in part["blocks"]:
            if block["kind"] == "list":
                walk(block["items"])
    return found


def test_a_source_filter_hides_what_came_from_the_others(isolated: Path, page) -> None:  # type: ignore[no-untyped-def]
    _, report = merge_with_review(ROOT / "sources", isolated)
    page.goto((isolated / "review.html").as_uri())
    kiss = "sources/backend-developer-kiss.md"
    n = [s["path"].endswith(kiss) for s in report["sources"]].index(True)
    sources = {c["id"]: {m["source"] for m in c["members"]} for c in report["clusters"]}
    for cluster in report["clusters"]:
        if "said_by" in cluster:  # the richer item shows the lines of the item it says again
            sources[cluster["said_by"]] |= sources[cluster["id"]]
    kept = [c["id"] for c in report["clusters"] if c["kept"]]
    mine = [i for i in kept if any(path.endswith(kiss) for path in sources[i])]
    others = [i for i in kept if i not in mine]
    page.locator(f"#filters button[data-filter='{n}']").click()
    assert all(page.locator(f"#c{i} > .row").is_visible() for i in mine)
    assert not any(page.locator(f"#c{i} > .row").is_visible() for i in others)
    panel = page.locator(f".panel[data-source='{n}']")
    assert panel.is_visible()
    words = sum(1 for c in report["clusters"] for m in c["members"]
                if m["source"].endswith(kiss) and m["status"] == "verbatim")
    assert panel.locator(".verbatim li").count() == words > 0
    dropped = sum(1 for p in report["prose"] if p["source"].endswith(kiss) and p["status"] == "dropped")
    assert panel.locator(".dropped li").count() == dropped > 0
    assert panel.locator(".dropped .why").first.is_visible()
    page.locator("#filters button[data-filter='all']").click()
    assert all(page.locator(f"#c{i} > .row").is_visible() for i in others)
    assert not panel.is_visible()


def test_an_agent_with_script_shows_it_as_text_and_runs_nothing(isolated: Path, page) -> None:  # type: ignore[no-untyped-def]
    merge_with_review(hostile_sources(isolated / "src"), isolated)
    page.goto((isolated / "review.html").as_uri())
    agent = page.locator(".agent .row")
    assert agent.get_by_text(f"Design REST APIs {HOSTILE}", exact=True).is_visible()
    assert agent.get_by_text("Write </script><script>alert(2)</script> tests", exact=True).is_visible()
    assert agent.get_by_text(f"You are an API helper. {HOSTILE}", exact=True).is_visible()
    assert page.locator("#filters").get_by_text("b<img src=x onerror=alert(3)>.md").is_visible()
    page.locator(".row").first.click()
    assert page.locator("script").count() == 1 and page.locator("img").count() == 0
    # the page fixture fails the test if any dialog opened


def test_a_family_of_20_files_loads_and_responds(corpus_dir: Path, tmp_path: Path, page, capsys) -> None:  # type: ignore[no-untyped-def]
    family = sorted(p for p in corpus_dir.glob("*/*.md") if "security" in p.name.lower())[:20]
    assert len(family) == 20
    _, report = merge_with_review(family, tmp_path)
    html = tmp_path / "review.html"
    page.goto(html.as_uri())
    kept = sum(1 for c in report["clusters"] if c["kept"])
    assert page.locator(".item:not(.prose)").count() == kept
    start = time.perf_counter()
    row = page.locator(".item:not(.prose) > .row").nth(kept // 2)
    row.click()
    assert row.locator("xpath=following-sibling::ul[1]").is_visible()
    page.locator("#filters button[data-filter='7']").click()
    assert page.locator(".panel[data-source='7']").is_visible()
    say_load(page, html, f"20 files, {kept} items", capsys, time.perf_counter() - start)


def say_load(page, html: Path, what: str, capsys, responded: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """Print the page's size and load time in this browser (measured, never asserted)."""
    timing = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    then = f"; a click and a filter {responded * 1000:.0f} ms" if responded is not None else ""
    with capsys.disabled():
        print(f"\nreview page, {what}: {html.stat().st_size / 1e3:,.0f} kB, DOMContentLoaded "
              f"{timing['domContentLoadedEventEnd']:.0f} ms, load {timing['loadEventEnd']:.0f} ms{then}")
