"""Two revisions of one file: the items one rewrote in place (``revisions``)."""

from __future__ import annotations

import agentforge
from agentforge.revisions import rewritten

SHARED = "".join(f"- Shared practice number {n} for every project\n" for n in range(8))


def agent(body: str, heading: str = "Tools", name: str = "a"):
    return agentforge.loads(f"---\nname: {name}\ndescription: d\n---\n\n## {heading}\n\n{body}")


def test_an_item_rewritten_in_place_is_paired_with_the_one_it_replaced():
    old = agent(SHARED + "- N+1 queries prevented consistently\n- Rollup for libraries\n"
                         "- Design routes\n- Assist performance-engineer on tuning\n")
    new = agent(SHARED + "- N+1 queries prevented with strict_loading\n- Rolldown: the Rust bundler\n"
                         "- Design background jobs\n- Assist security-engineer on tuning\n")
    pairs = rewritten([old, new], [0, 1])
    # Rolldown is not Rollup, background jobs are not routes, one agent is not another: they stay
    assert pairs == {(1, 16): (0, 16)}


def test_files_that_share_few_lines_are_not_revisions():
    old = agent("- Webpack optimization\n- Jest setup\n- Lint rules\n")
    new = agent("- Webpack: legacy projects only\n- Jest setup\n- Vite builds\n- Bun installs\n", "Tooling")
    assert rewritten([old, new], [0, 1]) == {}


def test_items_about_different_things_are_not_paired():
    """Both revisions changed one line, into different ideas ("consider" and "considerations"
    share a stem): both stay."""
    old = agent(SHARED + "- Consider cost implications and operational complexity\n")
    new = agent(SHARED + "- Compliance: GDPR, PCI-DSS, HIPAA considerations\n")
    assert rewritten([old, new], [0, 1]) == {}


def test_a_rewrite_that_kept_the_outline_is_a_revision():
    """davila7's rails-expert rewrote nearly every line of VoltAgent's, under the same labels."""
    labels = [f"Area number {n} of the work:" for n in range(6)]
    old = agent("".join(f"{label}\n- Service objects\n- Query objects\n\n" for label in labels))
    new = agent("".join(f"{label}\n- Service objects for complex business logic\n- Query objects for complex queries\n\n"
                        for label in labels))
    pairs = rewritten([old, new], [0, 1])
    assert len(pairs) == 12
    assert rewritten([old, agent("- Service objects for complex business logic\n")], [0, 1]) == {}


def test_two_agents_on_one_template_are_not_revisions():
    """VoltAgent's django-developer and fastapi-developer share their template's headings; their
    "Custom validators" and "Custom managers" are two items, and so are items with no ASCII word."""
    old = agent(SHARED + "- Custom validators\n- Писать модульные тесты для контроллеров\n", name="django-developer")
    new = agent(SHARED + "- Custom managers\n- Писать модульные тесты для сервисов\n", name="fastapi-developer")
    assert rewritten([old, new], [0, 1]) == {}
    same = agent(SHARED + "- Custom managers\n- Писать модульные тесты для сервисов\n", name="django-developer")
    assert (1, 17) not in rewritten([old, same], [0, 1])  # no word that carries an idea: not one thing


def test_a_list_rewritten_item_for_item_pairs_each_item_with_the_one_in_its_place():
    """davila7 rewrote VoltAgent's qa checklist line for line: "Critical defects zero
    maintained" became "Known critical defects are triaged ..., don't assume zero", which
    shares few words with it. Kept side by side, they contradicted each other. A list with an
    item gone and another added is not rewritten in place."""
    old = agent(SHARED + "- Test strategy comprehensive defined\n- Critical defects zero maintained\n"
                         "- Automation > 70% implemented\n")
    new = agent(SHARED + "- Test strategy is written down and covers requirements\n"
                         "- Known critical defects are triaged with an owner, don't assume zero\n"
                         "- Automation scope is agreed with the team rather than an arbitrary percentage\n")
    assert rewritten([old, new], [0, 1]) == {(1, 16): (0, 16), (1, 17): (0, 17), (1, 18): (0, 18)}
    tools = agent(SHARED + "- Black formatting applied\n- Mypy type checking passed\n")
    updated = agent(SHARED + "- Ruff formatting applied (ruff format .)\n- Mypy type checking passed in strict mode\n")
    assert (1, 16) not in rewritten([tools, updated], [0, 1])  # two tools, not two wordings
    tests = agent(SHARED + "- Schema unit tests\n- Resolver integration tests\n- Client compatibility tests\n")
    shifted = agent(SHARED + "- **Schema unit tests**: graphql-js\n- **Schema validation CI**: graphql-inspector\n"
                             "- **Resolver integration tests**: jest or vitest\n")
    assert rewritten([tests, shifted], [0, 1]) == {(1, 16): (0, 16), (1, 18): (0, 17)}


def test_a_list_rewritten_in_place_after_an_added_line_pairs_every_item():
    """Line numbers of the two revisions are kept apart: an old item whose line number is that
    of a new item paired in place is still paired by likeness (found by a reviewer)."""
    old = agent(SHARED + "- Latency budget tracked per endpoint\n- Memory leaks profiled weekly\n"
                         "- Error rate alerting configured\n")
    new = agent(SHARED + "An added line.\n- Latency budget enforced in CI per endpoint\n"
                         "- Memory leaks latency budget endpoint\n- Error rate alerting wired to pager\n")
    pairs = rewritten([old, new], [0, 1])
    assert pairs.get((1, 18)) == (0, 17)  # the memory items
