"""Is a message addressed to the bot as a command? If so, which word and arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.folding import fold

MAX_COMMAND_CHARS = 2000
_WORD = re.compile(r"^[^\W\d_][\w\-’']*$")


@dataclass(frozen=True)
class CommandText:
    word: str
    args: str


def command_text(
    body: str,
    prefix: str,
    bot_user_id: str,
    bot_names: tuple[str, ...],
    mentioned_users: tuple[str, ...] = (),
) -> CommandText | None:
    """The command in ``body``: ``!aide vote``, or « cercle-bot: aide vote » (addressed).

    >>> command_text("!Aide  vote", "!", "@bot:x", ("bot",))
    CommandText(word='Aide', args='vote')
    >>> command_text("Bot: aide", "!", "@bot:x", ("bot",))
    CommandText(word='aide', args='')
    """
    text = body.strip()
    if not text:
        return None
    addressed = False
    if not text.startswith(prefix):
        stripped = _strip_address(text, bot_user_id, bot_names)
        if stripped is None:
            return None
        text = stripped
        addressed = True
        if text.startswith(prefix):
            text = text[len(prefix) :]
    else:
        text = text[len(prefix) :]
        if not text[:1] or text[:1].isspace():
            return None  # « ! bonjour » is chat, not a command
    del addressed, mentioned_users  # the mention alone is enough; kept for clarity
    word, _, args = text.strip().partition(" ")
    if "\n" in word:
        word, _, more = word.partition("\n")
        args = (more + " " + args).strip()
    if not word or not _WORD.match(word):
        return None
    return CommandText(word, args.strip())


def _strip_address(text: str, bot_user_id: str, bot_names: tuple[str, ...]) -> str | None:
    """Remove a leading « name: » / « @name » addressed to the bot, else None."""
    localpart = bot_user_id.split(":", 1)[0]
    candidates = {bot_user_id, localpart, localpart.lstrip("@"), *bot_names}
    folded = fold(text)
    for name in sorted(candidates, key=len, reverse=True):
        if not name:
            continue
        key = fold(name)
        for lead in (key, "@" + key.lstrip("@")):
            if folded.startswith(lead):
                rest = text[len(lead) :]
                if rest[:1] in (":", ",") or (rest[:1] == " " and lead.startswith("@")):
                    return rest[1:].strip()
    return None
