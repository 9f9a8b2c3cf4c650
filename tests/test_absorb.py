"""An item another source says in other words goes into the line that says it (``absorb``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write
from typer.testing import CliRunner

from agentforge.cli import app
from agentforge.survivors import loses

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("isolated")

BASE = """## Approach

- Start with the simplest solution that meets requirements
- Testing strategies (unit, integration, load)
- Keep functions small and focused on one job
- Review database migrations before they run
- **With devops-engineer**: agree on deployment windows

1. **Understand Context First**: ask about:
   - Technology stack and constraints
   - Existing architecture
"""


def source(folder: Path, stem: str, body: str) -> Path:
    """An agent file ``stem``.md named ``stem``-agent with ``body``."""
    return write(folder / f"{stem}.md", f"---\nname: {stem}-agent\ndescription: Use for tests.\n---\n\n{body}")


def merge_two(tmp_path: Path, first: str, second: str) -> str:
    """The merge of two agents whose bodies are ``first`` and ``second``, on stdout."""
    source(tmp_path, "a", first)
    source(tmp_path, "b", second)
    result = runner.invoke(app, ["merge", str(tmp_path / "a.md"), str(tmp_path / "b.md")])
    assert result.exit_code == 0, result.output
    return result.stdout


def merged(tmp_path: Path, other: str) -> tuple[str, dict]:
    source(tmp_path, "a", BASE)
    source(tmp_path, "b", f"## Approach\n\n{other}")
    result = runner.invoke(app, ["merge", str(tmp_path / "a.md"), str(tmp_path / "b.md"),
                                 "-o", str(tmp_path / "out.md"), "--report", str(tmp_path / "r.json"), "--force"])
    assert result.exit_code == 0, result.output
    return (tmp_path / "out.md").read_text(), json.loads((tmp_path / "r.json").read_text())


def said_by(report: dict, text: str) -> str:
    """The output line that says the source item ``text``, from the report."""
    cluster = next(c for c in report["clusters"] if any(m["text"] == text for m in c["members"]))
    return cluster["representative"] if cluster["kept"] else cluster["dropped"].split(": ", 1)[1]


def test_a_line_said_in_other_words_goes_and_the_report_names_the_line_that_says_it(tmp_path):
    out, report = merged(tmp_path, "- Choose the simplest solution that meets all requirements\n")
    assert "Choose the simplest" not in out
    assert "Start with the simplest solution that meets requirements" in out
    said = said_by(report, "Choose the simplest solution that meets all requirements")
    assert said == "Start with the simplest solution that meets requirements"


def test_terms_it_adds_go_into_the_line_that_says_it(tmp_path):
    out, _ = merged(tmp_path, "- Testing strategies (unit, integration, e2e)\n")
    assert "- Testing strategies (unit, integration, load, e2e)" in out
    assert out.count("Testing strategies") == 1


def test_a_line_that_says_not_stays_beside_one_that_does_not(tmp_path):
    out, _ = merged(tmp_path, "- Start with requirements, not solutions\n")
    assert "Start with requirements, not solutions" in out


def test_a_hand_off_goes_only_into_a_hand_off(tmp_path):
    out, _ = merged(tmp_path, "- With database-admin: review database migrations before they run\n")
    assert "With database-admin" in out
    out, report = merged(tmp_path, "- **With devops-engineer**: agree on the deployment windows\n")
    assert out.count("devops-engineer") == 1
    assert said_by(report, "**With devops-engineer**: agree on the deployment windows").startswith("**With devops")


def test_a_lead_in_that_names_the_same_step_gives_its_children_to_that_step(tmp_path):
    out, _ = merged(tmp_path, "1. **Understand the Context**\n   - Budget and timeline\n   - Team size\n")
    assert "Understand the Context" not in out
    step = out[out.index("Understand Context First"):]
    assert "- Budget and timeline" in step and "- Team size" in step


def test_an_item_on_another_topic_that_shares_a_word_stays(tmp_path):
    out, _ = merged(tmp_path, "- Keep secrets out of the repository\n- Small focused commits\n")
    assert "Keep secrets out of the repository" in out
    assert "Small focused commits" in out


def test_an_example_prompt_in_quotes_never_stands_for_a_rule(tmp_path):
    base = '## Approach\n\n- "Implement a gRPC service with proper error handling and middleware"\n- Keep handlers small\n'
    out = merge_two(tmp_path, f"{base}- Log every request\n",
                    "- gRPC service implementation with error handling\n")
    assert "- gRPC service implementation with error handling" in out


def test_checklist_rules_stay_beside_the_example_prompts_of_another_source(corpus_dir, tmp_path):
    """golang-pro from three collections: VoltAgent's checklist rules were once replaced by
    wshobson's quoted example prompts that share their words."""
    paths = [corpus_dir / p for p in (
        "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__golang-pro.md",
        "wshobson__agents/plugins__systems-programming__agents__golang-pro.md",
    )]
    if not all(p.exists() for p in paths):
        pytest.skip("corpus files moved")
    result = runner.invoke(app, ["merge", *map(str, paths)])
    assert result.exit_code == 0, result.output
    for rule in ("- Race condition free code", "- gRPC service implementation", "- Implement graceful shutdown"):
        assert rule in result.stdout


def test_min_support_keeps_what_several_sources_say_and_the_label_over_it(sources_dir, tmp_path):
    """A label said by one source stays while it heads an idea that several sources say; an
    item absorbed by a line counts as that line's support."""
    result = runner.invoke(app, ["merge", str(sources_dir), "--min-support", "2", "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "Write clean, maintainable, well-documented code" in result.stdout
    assert "Provide Production-Ready Solutions" in result.stdout  # the label over it
    assert "NEVER hallucinate" not in result.stdout  # said by one source only
    report = json.loads((tmp_path / "r.json").read_text())
    (clean,) = [c for c in report["clusters"] if c["representative"] == "Write clean, maintainable, well-documented code"]
    assert clean["support"] >= 2  # it says what other sources' lines say


def test_a_description_lead_in_to_examples_does_not_dangle(tmp_path):
    example = r'<example>\nuser: \"Build a form\"\nassistant: \"I will build it.\"\n</example>'
    description = r'"Use when building UIs. Specifically:\n\n' + example + '"'
    write(tmp_path / "a.md", f"---\nname: a-agent\ndescription: {description}\n---\n\n- Build forms\n- Test forms\n")
    write(tmp_path / "b.md", "---\nname: b-agent\ndescription: Use PROACTIVELY when fixing UI bugs.\n---\n\n- Build forms\n")
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 0, result.output
    merged = result.stdout.split("description: ", 1)[1].split("\n", 1)[0]
    assert "Specifically" not in merged
    assert merged.startswith('"Use when building UIs. Use PROACTIVELY when fixing UI bugs. Examples:')


def test_a_lone_item_of_a_new_section_joins_the_list_of_the_item_most_like_it(tmp_path):
    source(tmp_path, "a", "## Testing\n\n- Write unit tests for every public function\n- Run the suite before merging\n\n"
          "## Style\n\n- Use clear names\n- Keep functions short\n")
    source(tmp_path, "b", "## Style\n\n- Use clear names\n\n## Misc\n\n- Add unit tests for each new module\n")
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 0, result.output
    testing = result.stdout[result.stdout.index("## Testing"):result.stdout.index("## Style")]
    assert "- Add unit tests for each new module\n" in testing
    assert "## Misc" not in result.stdout


def test_a_list_of_the_same_things_joins_the_list_that_names_most_of_them(tmp_path):
    source(tmp_path, "a", "- **Database Systems**: SQL (PostgreSQL, MySQL), NoSQL (MongoDB, Redis), query optimization\n"
          "- **Message Queues**: Kafka, RabbitMQ, AWS SQS\n- Keep queries fast\n")
    source(tmp_path, "b", "- **Database Design**: Advanced skills in both SQL (MySQL, PostgreSQL, Oracle) and NoSQL (MongoDB, Redis)\n"
          "- Message queues and event streaming (RabbitMQ, Kafka)\n")
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "- **Database Systems**: SQL (PostgreSQL, MySQL), NoSQL (MongoDB, Redis), query optimization, Oracle\n" \
        in result.stdout
    assert "Database Design" not in result.stdout
    assert "event streaming" in result.stdout  # more than the list says: it stays


def test_a_list_joins_a_wider_list_that_comes_after_it_and_terms_go_before_other(tmp_path):
    source(tmp_path, "a", "- Design APIs\n- Review code\n- Write tests\n- Ship often\n")
    source(tmp_path, "b", "- Python frameworks (Django, FastAPI, Flask)\n")
    source(tmp_path, "c", "- **Framework Expertise**: Express, Django, FastAPI, Rails, and other major frameworks\n")
    result = runner.invoke(app, ["merge", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "- **Framework Expertise**: Express, Django, FastAPI, Rails, Flask, and other major frameworks\n" \
        in result.stdout
    assert "Python frameworks" not in result.stdout


def test_no_item_loses_the_name_of_a_tool_another_line_lacks(corpus_dir, tmp_path):
    """Five python agents, some listing "Black" among formatters: "PEP 8 compliance with black
    formatting" is not said by "... with ruff format and ruff check"."""
    paths = [corpus_dir / p for p in (
        "VoltAgent__awesome-claude-code-subagents/categories__02-language-specialists__python-pro.md",
        "davila7__claude-code-templates/cli-tool__components__agents__programming-languages__python-pro.md",
        "wshobson__agents/plugins__python-development__agents__python-pro.md",
        "0xfurai__claude-code-subagents/agents__python-expert.md",
        "rshah515__claude-code-subagents/languages__python-expert.md",
    )]
    if not all(p.exists() for p in paths):
        pytest.skip("corpus files moved")
    result = runner.invoke(app, ["merge", *map(str, paths), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    for text, name in (("PEP 8 compliance with black formatting", "black"), ("Dependency analysis with uv/pip", "uv")):
        assert name in said_by(report, text).split() or f"{name}/" in said_by(report, text)


def test_names_are_the_things_a_family_lists_not_its_ordinary_words():
    from agentforge.survivors import names

    texts = ["Modern tooling (uv, ruff, pyright)", "Use Cython for hot loops", "**Testing**: unit, integration",
             "Write unit tests", "Unit tests for every module", "Arrays with NumPy and pandas"]
    found = names(texts)
    assert {"uv", "ruff", "pyrig", "cytho", "numpy"} <= found
    assert "unit" not in found and "write" not in found


def test_a_line_whose_head_names_more_is_narrower_than_an_item():
    from agentforge.survivors import narrower

    assert narrower("**Observer Pattern**: using weak references and callbacks", "Weak references for caches")
    assert narrower("**Async Context Managers**: async with statements", "Context managers for resources")
    assert not narrower("**Context Managers**: resource management", "Context managers for resources")
    assert not narrower("**Database Design**: SQL, NoSQL", "Database work with SQL")  # "design" names no topic
    assert not narrower("Weak references and callbacks", "Weak references for caches")  # no head


def test_a_child_that_repeats_its_lead_in_goes_and_the_lead_in_stays(tmp_path):
    """Found by Hypothesis: the child went into its own parent, and the parent, whose children
    had all gone, then went into itself and was lost."""
    out, report = merged(tmp_path, "- cache database\n  - cache database\n")
    assert out.count("cache database") == 1
    assert said_by(report, "cache database") == "cache database"


def test_a_word_that_tells_the_kind_apart_keeps_its_item(tmp_path):
    """"security" tells which best practices: a line about the code's best practices does not
    say it, though it says every other word (and "security" is a common word here)."""
    others = "".join(f"- Security {what}\n" for what in ("reviews of every change", "headers on responses",
                                                         "scans in the pipeline", "sign-off before release"))
    out = merge_two(tmp_path, f"## Review\n\n- Verify that the code follows best practices\n{others}"
                    "- Keep secrets out of logs\n- Rotate keys every quarter\n- Pin dependency versions\n",
                    "## Review\n\n- Verify security best practices are implemented\n")
    assert "Verify security best practices are implemented" in out


def test_a_skill_is_not_said_by_a_hand_off_to_another_agent(tmp_path):
    out, report = merged(tmp_path, "- XSS prevention\n- **With security-auditor**: XSS prevention and secure coding\n")
    assert "- XSS prevention\n" in out
    assert said_by(report, "XSS prevention") == "XSS prevention"


def test_a_whole_phrase_the_line_lacks_is_a_lost_idea():
    """"validation" is a phrase of its own: a line about monitoring does not say it, whatever
    the weights; a line that says each phrase does."""
    item = "Include error handling, logging, and validation"
    assert loses(item, "Include error handling, logging, and monitoring considerations")
    assert not loses(item, "Include error handling, logging, and input validation")
    assert not loses("Comprehensive error handling and logging", "Implement proper error handling and logging strategies")


def test_a_first_word_that_names_a_kind_is_not_a_verb_to_set_aside():
    """"Analytical" tells which query performance (rshah515's database-architect); a line
    about query patterns does not say it. A first word that says what to do still may go."""
    line = "**Performance by Design**: Query patterns, access patterns, data locality"
    assert loses("Analytical query performance", line)
    assert not loses("Improve query performance", line)


def test_a_short_item_is_said_again_only_where_its_words_stand_together(tmp_path):
    """"Time series modeling" is not repeated by a line that says "time-series" in one place
    and "modeling" in another; "Storybook documentation" is by "Storybook for component
    documentation"."""
    out = merge_two(tmp_path, "## Checks\n\n- Cross-validation matches the data (k-fold, stratified, time-series splits,"
                    " grouped folds) before the final modeling\n- Storybook for component documentation\n",
                    "## Checks\n\n- Time series modeling\n- Storybook documentation\n")
    assert "- Time series modeling\n" in out
    assert "- Storybook documentation\n" not in out


def test_a_short_item_that_a_term_line_names_goes_into_it(tmp_path):
    out = merge_two(tmp_path, "## Features\n\n- **Temporal API**: dates and times without the pitfalls of Date\n"
                    "- **Private Fields**: true encapsulation with # names\n",
                    "## Features\n\n- Temporal API adoption\n- Private class fields and methods\n")
    assert "Temporal API adoption" not in out  # the head names it
    assert "Private class fields and methods" in out  # "methods" is not in the head


def test_a_one_word_item_is_said_only_in_its_own_sense(tmp_path):
    """"Versioning" under "API development" is not said by a caching line of another section."""
    out = merge_two(tmp_path, "## Caching\n\n- Cache key generation and versioning\n- Russian doll caching\n"
                    "- Fragment caching\n\n## API development\n\n- Rate limiting\n- Pagination\n",
                    "## API development\n\n- Versioning\n- Rate limiting\n")
    assert "- Versioning\n" in out


def test_a_hand_off_that_says_more_is_not_absorbed_by_one_that_says_less(corpus_dir):
    """ai-engineer: rshah515's "**With performance-engineer**: Optimize inference latency, ..."
    went into VoltAgent's "Partner with performance-engineer on optimization", its words being
    said by other lines: a hand-off's "**With X**: a, b" is what to do with X, not a list."""
    names = ["VoltAgent__awesome-claude-code-subagents/categories__05-data-ai__ai-engineer.md",
             "contains-studio__agents/engineering__ai-engineer.md",
             "davila7__claude-code-templates/cli-tool__components__agents__data-ai__ai-engineer.md",
             "rshah515__claude-code-subagents/data-ai__ai-engineer.md",
             "wshobson__agents/plugins__llm-application-dev__agents__ai-engineer.md"]
    result = runner.invoke(app, ["merge", *(str(corpus_dir / name) for name in names)])
    assert result.exit_code == 0, result.output
    assert "- **With performance-engineer**: Optimize inference latency" in result.stdout


def test_terms_are_said_each_by_one_line():
    """"continuous verification" is not said by one line with "continuous" and another with
    "verification": the security merge lost a zero-trust list that way."""
    from agentforge.model import Item
    from agentforge.survivors import says_terms

    item = Item("**Zero-trust**: identity-based access, continuous verification", 1, term="Zero-trust",
                detail="identity-based access, continuous verification",
                terms=("identity-based access", "continuous verification"))
    assert not says_terms("Continuous delivery\nIdentity-based access\nVerification of builds", item)
    assert says_terms("Identity-based access\nContinuous verification of sessions", item)


def test_a_step_of_a_procedure_goes_only_into_a_step(tmp_path):
    """The seeds' Decision-Making Framework lost its step 3, "Choose the simplest solution that
    meets all requirements", to a bullet of another list."""
    out = merge_two(tmp_path, "## Thinking\n\n- Start with the simplest solution that meets requirements\n"
                              "- Design for scale\n- Plan for monitoring\n",
                    "## Decision Framework\n\n1. Understand the requirements\n"
                    "2. Choose the simplest solution that meets all requirements\n3. Verify the result\n")
    assert "2. Choose the simplest solution that meets all requirements" in out


def test_a_verb_ending_like_an_adjective_is_still_what_to_do():
    """"Enable", "Disable", "Reveal": the first word says what to do, not which kind of thing."""
    assert not loses("Enable query caching", "Implement query caching strategies")


def test_a_lone_item_goes_where_its_section_s_other_items_went(tmp_path):
    """The staff seed's "### Development Practices" box: its performance and security lines
    join the base's competencies, its testing line a step's, and "**Monitoring**: ..." is left
    alone. It goes where most of its box went, not beside the line that shares most of its
    words in another section ("Recommend monitoring and alerting strategies" of a debugging
    procedure)."""
    out = merge_two(tmp_path, "## Core Competencies\n\n- **Performance**: Caching strategies, load balancing, profiling\n"
                    "- **Security**: OAuth2, JWT, encryption at rest\n- **Language Mastery**: Python, Go, Rust\n\n"
                    "## Approach\n\n1. **Build it**\n   - Testing strategies (unit, integration, load)\n"
                    "   - Write clean code\n\n## Debugging\n\n- Identify root causes systematically\n"
                    "- Recommend monitoring and alerting strategies\n",
                    "## Core Expertise\n\n### System Architecture\n\n- **Distributed Systems**: microservices, service mesh\n"
                    "- **High Availability**: failover, disaster recovery\n\n### Development Practices\n\n"
                    "- **Performance Optimization**: Profiling, caching strategies, load balancing\n"
                    "- **Security**: OAuth2, JWT, encryption at rest\n- **Testing**: Unit, integration, contract testing\n"
                    "- **Monitoring**: Distributed tracing, metrics collection, log aggregation, alerting\n")
    core = out[out.index("## Core Competencies"):out.index("### System Architecture")]
    assert "- **Monitoring**: Distributed tracing, metrics collection, log aggregation, alerting\n" in core
    assert "Development Practices" not in out


def test_a_box_whose_items_joined_a_list_elsewhere_goes_there_whole(tmp_path):
    """rshah515's fastapi "Authentication Dependencies:" box: its bearer-token and role lines
    join the base's "Authentication and security:" list, so its other two lines go there too,
    not under a label of two items in another list. A box that keeps most of its items stays a
    box, and a numbered step is no box."""
    source(tmp_path, "a", "## Skills\n\nAuthentication and security:\n- OAuth2 with JWT\n- HTTP Bearer tokens\n"
           "- Role-based access\n- API key authentication\n\nDependency injection:\n- Nested dependencies\n"
           "- Yield dependencies\n")
    source(tmp_path, "b", "## Dependency Framework\n\n- Authentication Dependencies:\n"
           "  - HTTP Bearer token authentication\n  - Role-based access control\n"
           "  - JWT token validation and parsing\n  - User session management\n"
           "- Security Dependencies:\n  - Token blacklist validation\n  - CORS policy enforcement\n"
           "  - Input sanitization patterns\n  - API key authentication\n")
    result = runner.invoke(app, ["merge", str(tmp_path), "--base", str(tmp_path / "a.md")])
    assert result.exit_code == 0, result.output
    security = result.stdout[result.stdout.index("Authentication and security:"):result.stdout.index("Dependency injection:")]
    for line in ["HTTP Bearer token authentication", "Role-based access control", "JWT token validation and parsing",
                 "User session management"]:
        assert f"\n- {line}\n" in security
    assert "Authentication Dependencies:" not in result.stdout
    assert "- Security Dependencies:\n  - Token blacklist validation\n" in result.stdout
