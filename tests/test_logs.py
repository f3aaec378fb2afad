"""Tokens never reach the logs."""

from __future__ import annotations

import logging

import pytest

from bot.logs import SecretMask
from bot.settings import Settings


def test_secrets_are_masked_in_every_record(caplog: pytest.LogCaptureFixture) -> None:
    token = "xoxb-1234567890-very-secret"
    logger = logging.getLogger("tests.secret")
    mask = SecretMask([token])
    logger.addFilter(mask)
    try:
        with caplog.at_level(logging.INFO, logger="tests.secret"):
            logger.info("calling Slack with %s", token)
            logger.info(f"an f-string with {token} inside")
    finally:
        logger.removeFilter(mask)
    assert token not in caplog.text
    assert caplog.text.count("***") == 2


def test_settings_never_show_tokens() -> None:
    settings = Settings(
        _env_file=None,
        discord_token="discord-token-value",
        slack_bot_token="xoxb-slack-token-value",
        database_url="postgresql+asyncpg://bot:hunter2@db/explainbot",
    )
    shown = repr(settings) + str(settings)
    assert "discord-token-value" not in shown
    assert "xoxb-slack-token-value" not in shown
    assert "hunter2" not in shown
