"""Box diagrams of bullets are lists to the merge (``boxes``)."""

from __future__ import annotations

from helpers import write
from typer.testing import CliRunner

from agentforge.boxes import as_list
from agentforge.cli import app
from agentforge.model import Paragraph

BOX = """┌──────────────────────────────┐
│ Rails Hotwire Framework      │
├──────────────────────────────┤
│ Turbo Drive:                 │
│ • Page navigation            │
│ • Cache-aware navigation     │
│                              │
│ Application Servers:         │
│ • Puma for multi-threading   │
│ • Unicorn for multi-process  │
└──────────────────────────────┘"""


def test_a_box_of_bullets_is_a_list_of_labels_over_their_bullets():
    block = as_list(Paragraph(BOX, 20))
    assert block is not None
    assert [(item.text, item.line) for item in block.items] == [("Turbo Drive:", 23), ("Application Servers:", 27)]
    assert [child.text for child in block.items[1].children] == ["Puma for multi-threading", "Unicorn for multi-process"]


def test_a_picture_without_bullets_stays_a_picture():
    assert as_list(Paragraph("┌─────┐\n│ API │──> DB\n└─────┘", 1)) is None
    assert as_list(Paragraph("Plain prose, with • one bullet sign.", 1)) is None


def test_the_merge_keeps_what_a_box_says(tmp_path):
    """rshah515 draws lists in boxes: dropped as a picture, "Puma" was lost from the merge."""
    a = write(tmp_path / "a.md", "---\nname: rails-one\ndescription: d\n---\n\n## Deployment\n\n- Kamal deploys\n"
                                 "- Health checks\n- Rolling restarts\n")
    b = write(tmp_path / "b.md", f"---\nname: rails-two\ndescription: d\n---\n\n## Deployment\n\n{BOX}\n")
    result = CliRunner().invoke(app, ["merge", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "Puma for multi-threading" in result.stdout and "│" not in result.stdout


def test_boxes_side_by_side_stay_a_picture():
    side = "┌───────┐ ┌────────┐\n│ • React │ │ • Django │\n│ • Vue   │ │ • Rails  │\n│ • Svelte │ │ • Flask  │\n└───────┘ └────────┘"
    assert as_list(Paragraph(side, 1)) is None


def test_a_box_with_a_broken_row_is_still_a_list():
    """rshah515's test-automator draws "ℂ • Migration and rollback testing │" (a broken left
    wall) and "│ │ Cleanup and teardown automation │" (a bullet drawn as a wall): the box is
    still a list, with those rows as bullets, not a picture the merge drops with 20 ideas."""
    broken = (BOX.replace("│ • Cache-aware navigation     │", "ℂ • Cache-aware navigation     │")
                 .replace("│ • Unicorn for multi-process  │", "│ │ Unicorn for multi-process  │"))
    block = as_list(Paragraph(broken, 20))
    assert block is not None
    assert [child.text for child in block.items[0].children] == ["Page navigation", "Cache-aware navigation"]
    assert [child.text for child in block.items[1].children] == ["Puma for multi-threading", "Unicorn for multi-process"]
