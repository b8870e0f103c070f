"""One message builder: notices by default, real mentions when pinging, user text escaped."""

from __future__ import annotations

from bot.matrix.messages import Markdown, Mention, MessageBuilder, Relation, Text, Upload, fill


def test_a_message_is_a_notice_with_empty_mentions_by_default() -> None:
    content = MessageBuilder().build(fill("Bonjour **{name}**", {"name": "Anna"}))
    assert content["msgtype"] == "m.notice"
    assert content["m.mentions"] == {}
    assert content["body"] == "Bonjour **Anna**"
    assert content["formatted_body"] == "<p>Bonjour <strong>Anna</strong></p>"


def test_user_text_cannot_inject_html_links_or_pills() -> None:
    evil = "<img src=x onerror=alert(1)> [clic](https://evil.example) **x** @room"
    content = MessageBuilder().build(fill("Reçu : {text}", {"text": evil}))
    html = content["formatted_body"]
    assert "<img" not in html and "<a " not in html and "<strong>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert content["body"] == f"Reçu : {evil}"
    assert content["m.mentions"] == {}


def test_a_ping_is_m_text_with_m_mentions_and_a_matrix_to_pill() -> None:
    text = fill("{who}, à vous !", {"who": Mention("@ben:example.org", "Ben")})
    content = MessageBuilder().build(text, notify=True)
    assert content["msgtype"] == "m.text"
    assert content["m.mentions"] == {"user_ids": ["@ben:example.org"]}
    assert 'href="https://matrix.to/#/@ben:example.org"' in content["formatted_body"]
    assert content["body"] == "Ben, à vous !"


def test_a_mention_in_a_notice_does_not_ping() -> None:
    text = fill("Merci {who}", {"who": Mention("@ben:example.org", "Ben")})
    content = MessageBuilder().build(text)
    assert content["msgtype"] == "m.notice" and content["m.mentions"] == {}


def test_a_reply_in_a_thread_carries_the_thread_relation_without_a_quote() -> None:
    content = MessageBuilder().build(Text("ok", "ok"), relation=Relation("$root", "$cmd"))
    # in_reply_to is only the fallback for clients without threads: Element shows no quote
    assert content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$cmd"},
    }


def test_a_poll_is_single_choice_and_hides_results_until_it_ends() -> None:
    content = MessageBuilder().poll_start("Vote #1", [("s3", "#3 Agenda")], "Sondage")
    poll = content["org.matrix.msc3381.poll.start"]
    assert poll["max_selections"] == 1
    assert poll["kind"] == "org.matrix.msc3381.poll.undisclosed"
    assert poll["answers"] == [{"id": "s3", "org.matrix.msc1767.text": "#3 Agenda"}]
    assert content["m.mentions"] == {} and content["body"] == "Sondage"


def test_an_edit_replaces_the_original_with_a_star_fallback() -> None:
    builder = MessageBuilder()
    new = builder.build(Text("3 votes", "3 votes"))
    edit = builder.edit("$status", new)
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$status"}
    assert edit["body"] == "* 3 votes"
    assert edit["m.new_content"]["body"] == "3 votes"


def test_trusted_markdown_is_kept() -> None:
    text = fill("{cmd}", {"cmd": Markdown("`!aide`")})
    assert "<code>!aide</code>" in MessageBuilder().build(text)["formatted_body"]


def test_an_image_attachment_says_its_size_and_links_a_plain_upload() -> None:
    upload = Upload("mxc://ex.org/abc", "resultats.png", "image/png", 1234)
    content = MessageBuilder().attachment(upload, "Résultats du vote", image_size=(600, 400))
    assert content == {
        "msgtype": "m.image",
        "body": "Résultats du vote",
        "filename": "resultats.png",
        "info": {"mimetype": "image/png", "size": 1234, "w": 600, "h": 400},
        "m.mentions": {},
        "url": "mxc://ex.org/abc",
    }


def test_an_encrypted_file_attachment_carries_its_keys_and_no_url() -> None:
    keys = {"v": "v2", "key": {"k": "secret"}, "iv": "iv", "hashes": {"sha256": "h"}}
    upload = Upload("mxc://ex.org/f", "cercle.md", "text/markdown", 99, keys)
    content = MessageBuilder().attachment(upload, "cercle.md")
    assert content["msgtype"] == "m.file"
    assert content["info"] == {"mimetype": "text/markdown", "size": 99}
    assert "url" not in content
    assert content["file"] == {"url": "mxc://ex.org/f", "mimetype": "text/markdown", **keys}
