"""The export for the wiki: user text is inert Markdown, yet readable in the file."""

from __future__ import annotations

from markdown_it import MarkdownIt

from bot.memory_export import escape_for_wiki


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
