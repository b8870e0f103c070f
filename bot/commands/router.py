"""Runs one command: finds it, checks who may run it, turns user errors into replies.

The handler runs inside a savepoint (``Database.savepoint``): when it refuses (usage
error, rule), what it may already have written, and the after-commit actions it hung,
are undone before the friendly answer is queued, so nothing is half-saved.
"""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.help import command_word, usage_hint, usage_text
from bot.commands.registry import CommandRefused, CommandRegistry, RefusedWith, UsageError
from bot.matrix.messages import Markdown, Text


class CommandRouter:
    def __init__(self, registry: CommandRegistry) -> None:
        self.registry = registry

    async def run(
        self, ctx: CommandContext, word: str, args: str, direct_chat: bool = False
    ) -> bool:
        """Run the command; False when it was refused and changed nothing."""
        resolved = self.registry.resolve(word, args)
        if resolved is None:
            nearest = self.registry.nearest(word)
            if nearest is not None:
                await ctx.reply(
                    "unknown.did_you_mean", word=word, cmd=Markdown(command_word(nearest, ctx.lang))
                )
            else:
                await ctx.reply("unknown.command", word=word)
            return False
        command, sub = resolved.command, resolved.subcommand
        if direct_chat and not command.works_in_direct_chat:
            await ctx.reply("direct.not_here", cmd=Markdown(command_word(command, ctx.lang)))
            return False
        if (command.facilitator_only or (sub and sub.facilitator_only)) and not ctx.is_facilitator:
            await ctx.reply("refused.facilitator_only")
            return False
        handler = sub.handler if sub else command.handler
        try:
            async with ctx.db.savepoint("command"):
                await handler(ctx, resolved.args)
            return True
        except UsageError as exc:
            if exc.reason_key:
                reason = ctx.t(exc.reason_key, **exc.fields)
                example = ctx.t(exc.hint_key, **exc.fields) if exc.hint_key else None
                await ctx.reply_text(Text.join([reason, usage_hint(ctx, command, example)]))
            else:
                await ctx.reply_text(usage_text(ctx, command))
            return False
        except CommandRefused as exc:
            await ctx.reply(exc.key, **exc.fields)
            return False
        except RefusedWith as exc:
            await ctx.reply_text(exc.text)
            return False
