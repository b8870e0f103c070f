"""The export for the wiki: user text is inert Markdown, yet readable in the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bot.features.recaps import render_export
from bot.memory_export import escape_for_wiki
from tests.unit.circle_in_memory import (
    FACILITATOR,
    PIONEERS,
    copy_of,
    realistic_circle_file,
)


def test_user_text_cannot_add_markup_to_the_wiki_page() -> None:
    hostile = "<script>x</script> **gras** [lien](https://evil.example) | ~barré~"
    html = MarkdownIt("commonmark", {"html": False}).render("- " + escape_for_wiki(hostile))
    assert "<script" not in html and "<strong>" not in html and "<a " not in html
    assert "**gras**" in html and "[lien](https://evil.example)" in html


def test_ordinary_french_stays_readable() -> None:
    text = (
        "En tant que bénévole, je souhaite l'agenda des tiers-lieux afin d'y voir clair #planning"
    )
    assert escape_for_wiki(text) == text


def test_a_line_that_would_become_a_heading_or_a_list_is_escaped() -> None:
    assert escape_for_wiki("# titre") == "\\# titre"
    assert escape_for_wiki("- puce") == "\\- puce"
    assert escape_for_wiki("12. liste") == "12\\. liste"


# ---- the whole page, rendered as the wiki renders it ----
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return realistic_circle_file(tmp_path_factory.mktemp("realistic"))


@pytest.fixture
async def page(template: Path, tmp_path: Path) -> str:
    """The export of a busy circle after its chantier closed with a retrospective answer
    and a second vote, on impact and cost."""
    circle = await copy_of(template, tmp_path)
    closing = await circle.say_contents(FACILITATOR, "!chantier clore")
    await circle.say(
        PIONEERS[1], "Tout a bien marché !", thread_root=circle.event_id_of(closing[-1])
    )
    await circle.say(FACILITATOR, "!vote ouvrir impact histoires 4 5 6")
    await circle.say(PIONEERS[0], "!vote 4 impact 4 coût 2")
    await circle.say(PIONEERS[1], "!vote 4 impact 3 coût 1")
    await circle.say(PIONEERS[1], "!vote 5 impact 2 coût 3")
    await circle.say(FACILITATOR, "!vote clore")
    markdown = await render_export(circle.context())
    await circle.db.close()
    return markdown.replace("\u00a0", " ").replace("\u202f", " ")


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def test_the_retrospective_is_a_heading_of_its_own_not_inside_a_story(page: str) -> None:
    html = rendered(page)
    assert "<h4>Rétrospective</h4>\n<ul>\n<li>Chloe Plateau : Tout a bien marché !</li>" in html
    for item in re.findall(r"<li>(.*?)</li>", html, re.S):
        assert "Rétrospective" not in item


def test_every_heading_starts_with_a_capital(page: str) -> None:
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", rendered(page))
    assert len(headings) > 10
    for _, text in headings:
        assert text[:1].isupper(), text
    assert ("4", "Thème #planning") in headings and ("3", "Proposées (17)") in headings


def test_dates_read_as_french_text_never_iso(page: str) -> None:
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    assert "Exporté le 28 décembre 2026." in page
    assert "(clos le 1ᵉʳ décembre 2026, 12 bulletins)" in page
    assert "(du 2 décembre 2026 au 20 décembre 2026)" in page
    assert "Check-in #1 (7 décembre 2026)" in page


def test_vote_scores_have_their_unit(page: str) -> None:
    assert "#2 (5 points), #3 (4 points)" in page
    assert "Vote #2, impact et coût (clos le 28 décembre 2026, 2 bulletins) :" in page
    assert "#4 (impact 3,5, coût 1,5), #5 (impact 2, coût 3), #6 (sans note)" in page


def test_a_story_shows_one_status_its_current_one(page: str) -> None:
    # #4 was « retenue » in the chantier; back to « proposée » at its close, everywhere.
    assert "— retenue —" not in page
    assert "- #4 Retrouver le dernier compte rendu de réunion en un clic — proposée — " in page
    proposed = page.split("\n### Proposées")[1].split("\n### ")[0]
    assert "**#4**" in proposed


def test_lists_are_tight_and_stories_are_whole(page: str) -> None:
    html = rendered(page)
    assert "<li><p>" not in html  # one story per line, no paragraph per item
    assert "…" not in page  # the memory keeps every word
    assert "sur le site et sur les réseaux sociaux du quartier afin que" in page
    assert re.search(r"<li>Check-in #1 .*?\n<ul>\n<li>frein : ", html)
