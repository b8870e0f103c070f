"""Configuration: env vars suffice, mistakes are one clear line, secrets stay out of files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

ENV = {
    "BOT_HOMESERVER": "https://matrix.example.org",
    "BOT_USER_ID": "@cercle:example.org",
    "BOT_PASSWORD": "s3cret-pw",
    "BOT_DATA_DIR": "/tmp/cercle",
    "BOT_ALLOWED_INVITERS": "@anna:example.org, *:asso.org",
}


def test_environment_variables_are_enough() -> None:
    config = load_config(None, ENV)
    assert config.homeserver == "https://matrix.example.org"
    assert config.allowed_inviters == ("@anna:example.org", "*:asso.org")
    assert config.may_invite("@anna:example.org")
    assert config.may_invite("@zoe:asso.org")
    assert not config.may_invite("@zoe:evil.org")
    assert config.defaults.language == "fr" and config.defaults.timezone == "Europe/Paris"
    assert "s3cret-pw" not in repr(config)


@pytest.mark.parametrize(
    ("missing", "words"),
    [("BOT_HOMESERVER", "homeserver"), ("BOT_USER_ID", "user id"), ("BOT_PASSWORD", "credentials")],
)
def test_a_missing_setting_is_one_clear_line(missing: str, words: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ConfigError) as err:
        load_config(None, env)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_broken_yaml_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("defaults:\n  language: [fr\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path, ENV)


def test_a_password_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("password: hunter2\n")
    with pytest.raises(ConfigError, match="BOT_PASSWORD"):
        load_config(path, ENV)


def test_per_circle_settings_override_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "defaults:\n  vote_points: 5\ncircles:\n  '!r':\n    language: en\n"
        "    structures: {'@a:x.org': Ressourcerie}\n"
    )
    config = load_config(path, ENV)
    assert config.circle_settings("!r").language == "en"
    assert config.circle_settings("!r").vote_points == 5
    assert config.circle_settings("!other").language == "fr"


def test_wrong_values_are_refused(tmp_path: Path) -> None:
    for body, words in (
        ("defaults:\n  language: de\n", "language"),
        ("defaults:\n  timezone: Mars/Olympus\n", "time zone"),
        ("allowed_inviters: ['anna']\n", "inviter"),
        ("unknown_key: 1\n", "unknown key"),
        ("defaults:\n  theme_groups: 12\n", "theme_groups must be a whole number from 2 to 9"),
        ("defaults:\n  similar_stories: maybe\n", "similar_stories must be true or false"),
    ):
        path = tmp_path / "c.yaml"
        path.write_text(body)
        with pytest.raises(ConfigError, match=words):
            load_config(path, {k: v for k, v in ENV.items() if k != "BOT_ALLOWED_INVITERS"})


def test_the_proposal_settings_are_read_per_circle(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "defaults:\n  proposals: {duration_days: 3}\n"
        'circles:\n  "!a:x.org":\n    proposals: {quorum: 4, blocking: true}\n',
        encoding="utf-8",
    )
    config = load_config(path, ENV)
    assert config.defaults.proposal_duration_days == 3
    assert config.defaults.proposal_quorum == "structures"
    assert not config.defaults.proposal_blocking
    circle = config.circle_settings("!a:x.org")
    assert (circle.proposal_duration_days, circle.proposal_quorum) == (3, 4)
    assert circle.proposal_blocking


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("{quorum: half}", "proposals.quorum"),
        ("{quorum: 0}", "proposals.quorum"),
        ("{blocking: maybe}", "proposals.blocking"),
        ("{duration_days: 0}", "proposal_duration_days"),
        ("{deadline: 3}", "unknown key 'deadline'"),
        ("5", "proposals: expected a mapping"),
    ],
)
def test_a_bad_proposal_setting_is_one_clear_line(tmp_path: Path, block: str, words: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(f"defaults:\n  proposals: {block}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path, ENV)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_the_rendezvous_settings(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "circles:\n  '!r':\n    rendezvous:\n      link: 'https://meet.jit.si/{circle}'\n"
        "      rule: deuxième mardi 18:00\n      mode: announce\n      duration_minutes: 90\n"
    )
    settings = load_config(path, ENV).circle_settings("!r")
    assert settings.rendezvous_link == "https://meet.jit.si/{circle}"
    assert (settings.rendezvous_rule, settings.rendezvous_mode) == (
        "deuxième mardi 18:00",
        "announce",
    )
    assert settings.rendezvous_duration_minutes == 90
    assert load_config(path, ENV).circle_settings("!other").rendezvous_rule == ""


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("mode: vote", "rendezvous.mode"),
        ("rule: tous les jours", "rendezvous.rule"),
        ("link: meet", "rendezvous.link"),
        ("duration_minutes: 5", "rendezvous_duration_minutes"),
        ("days_before: 60", "rendezvous_days_before"),
        ("colour: red", "unknown key 'colour'"),
    ],
)
def test_wrong_rendezvous_settings_are_one_clear_line(
    tmp_path: Path, block: str, words: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"defaults:\n  rendezvous:\n    {block}\n")
    with pytest.raises(ConfigError, match=words):
        load_config(path, ENV)
