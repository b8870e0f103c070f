"""Commands: addressing, registry words, did-you-mean, throttle."""

from __future__ import annotations

from bot.commands.addressing import command_text
from bot.commands.throttle import Throttle, Verdict
from bot.features import build_registry
from bot.matrix.incoming import edited_message, is_edit, relation_of, strip_reply_fallback


def test_a_command_is_found_with_the_prefix_in_any_case() -> None:
    found = command_text("  !HISTOIRE liste #Jardin", "!", "@bot:x", ("Cercle",))
    assert found is not None and found.word == "HISTOIRE" and found.args == "liste #Jardin"


def test_ordinary_chat_is_not_a_command() -> None:
    for body in ("Bonjour !", "! pas une commande", "!!!", "", "super!aide"):
        assert command_text(body, "!", "@bot:x", ("Cercle",)) is None, body


def test_a_command_may_address_the_bot_by_name() -> None:
    for body in ("Cercle: aide", "cercle, aide", "@bot aide", "bot: !aide"):
        found = command_text(body, "!", "@bot:x", ("Cercle",))
        assert found is not None and found.word == "aide", body


def test_command_words_ignore_case_and_accents_and_have_english_aliases() -> None:
    registry = build_registry()
    assert registry.find("HISTOIRE") is registry.find("story")
    resolved = registry.resolve("histoires", "#jardin")
    assert resolved is not None and resolved.subcommand is not None
    assert resolved.subcommand.name == "liste" and resolved.args == "#jardin"
    resolved = registry.resolve("story", "LIST")
    assert resolved is not None and resolved.subcommand is not None


def test_a_typo_gets_the_nearest_command() -> None:
    registry = build_registry()
    nearest = registry.nearest("histoir")
    assert nearest is not None and nearest.name == "histoire"
    assert registry.nearest("zzzzzz") is None


def test_a_flooding_member_is_warned_once_then_ignored_while_others_are_served() -> None:
    throttle = Throttle(per_minute=3)
    verdicts = [throttle.check("@flood:x", t) for t in (0, 1, 2, 3, 4)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.SILENT]
    assert throttle.check("@calm:x", 4) is Verdict.ALLOW
    assert throttle.check("@flood:x", 61) is Verdict.ALLOW


def test_reply_fallbacks_are_stripped() -> None:
    assert strip_reply_fallback("> <@a:x> bonjour\n> suite\n\n!aide vote") == "!aide vote"
    assert strip_reply_fallback("!aide") == "!aide"


def test_thread_relations_are_read_from_the_content() -> None:
    content = {
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": "$root",
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": "$last"},
        }
    }
    assert relation_of(content) == ("$root", None)
    assert relation_of({"m.relates_to": {"m.in_reply_to": {"event_id": "$e"}}}) == (None, "$e")


# --- edits -------------------------------------------------------------------------------


def test_an_edit_gives_its_new_text_as_a_message_that_corrects_the_original() -> None:
    content = {
        "msgtype": "m.text",
        "body": "* !histoire en tant que X je veux Y afin de Z",
        "m.new_content": {
            "msgtype": "m.text",
            "body": "!histoire en tant que X je veux Y afin de Z",
            "m.mentions": {"user_ids": ["@bot:x"]},
        },
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$original"},
    }
    assert is_edit(content)
    message = edited_message("!room", "$edit", "@ben:x", 5, content)
    assert message is not None
    assert (message.event_id, message.edits, message.body) == (
        "$edit",
        "$original",
        "!histoire en tant que X je veux Y afin de Z",
    )
    assert message.mentioned_users == ("@bot:x",)
    assert message.thread_root is None  # the edit says nothing of it: the original's is kept


def test_what_is_no_edit_or_a_malformed_one_gives_no_message() -> None:
    thread = {"body": "x", "m.relates_to": {"rel_type": "m.thread", "event_id": "$root"}}
    for content in ({"body": "hello"}, thread, {"m.relates_to": ["m.replace"]}):
        assert not is_edit(content)
        assert edited_message("!room", "$edit", "@ben:x", 5, content) is None
    replace = {"rel_type": "m.replace", "event_id": "$x"}
    no_new_content = {"body": "* x", "m.relates_to": replace}
    no_body = {"m.new_content": {"msgtype": "m.text"}, "m.relates_to": replace}
    no_original = {"m.new_content": {"body": "x"}, "m.relates_to": {"rel_type": "m.replace"}}
    for content in (no_new_content, no_body, no_original):
        assert is_edit(content)  # still an edit: never read as a new message
        assert edited_message("!room", "$edit", "@ben:x", 5, content) is None
