"""``!aide`` / ``!help``: generated from the command registry and the prompts."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, CommandRegistry
from bot.matrix.messages import Markdown, Text


def command_word(command: Command, lang: str) -> str:
    return command.alias if lang == "en" else command.name


def usage_text(ctx: CommandContext, command: Command) -> Text:
    return ctx.t(f"cmd.{command.name}.usage", cmd=Markdown(command_word(command, ctx.lang)))


def usage_hint(ctx: CommandContext, command: Command, example: Text | None = None) -> Text:
    """What follows the reason of a refusal: an example (the usage's own unless given)
    and where the rest is.

    Short on purpose (people read it on a phone); ``!aide <cmd>`` has the whole usage.
    """
    more = ctx.t("usage.more", cmd=Markdown(command_word(command, ctx.lang)))
    if example is not None:
        return Text.join([example, more], "\n")
    usage = usage_text(ctx, command)
    markdown, plain = usage.markdown.split("\n\n"), usage.plain.split("\n\n")
    if len(markdown) < 2 or len(markdown) != len(plain):
        return Text.join([usage, more])
    return Text.join([Text(markdown[-1], plain[-1], usage.mentions), more], "\n")


def make_help_command(registry: CommandRegistry) -> Command:
    async def show_help(ctx: CommandContext, args: str) -> None:
        topic = args.strip().lstrip(ctx.prefix).split(" ")[0]
        if topic:
            command = registry.find(topic)
            if command is None:
                nearest = registry.nearest(topic)
                if nearest is None:
                    raise CommandRefused("help.unknown_topic", topic=topic)
                command = nearest
            await ctx.reply_text(usage_text(ctx, command))
            return
        await ctx.reply_text(help_overview(ctx, registry.commands))

    return Command("aide", "help", show_help, works_in_direct_chat=True, help_group="none")


def help_overview(ctx: CommandContext, commands: list[Command]) -> Text:
    """One phone screen: the method's commands with a summary, then the others by word."""
    main = [c for c in commands if c.help_group == "main" and not c.facilitator_only]
    more = [c for c in commands if c.help_group == "more" and not c.facilitator_only]
    facilitation = [c for c in commands if c.facilitator_only and c.help_group != "none"]
    lines = [
        ctx.t(
            "help.line",
            cmd=Markdown(command_word(cmd, ctx.lang)),
            summary=ctx.t(f"cmd.{cmd.name}.summary"),
        )
        for cmd in main
    ]
    extra = [
        ctx.t(key, commands=_words(ctx, group))
        for key, group in (("help.more", more), ("help.facilitators", facilitation))
        if group
    ]
    blocks = [ctx.t("help.intro"), Text.join(lines, "\n")]
    blocks.append(Text.join([*extra, ctx.t("help.outro")], "\n"))
    return Text.join(blocks, "\n\n")


def _words(ctx: CommandContext, commands: list[Command]) -> Markdown:
    return Markdown(", ".join(f"`{ctx.prefix}{command_word(c, ctx.lang)}`" for c in commands))
