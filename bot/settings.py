"""Typed settings from the environment (and a ``.env`` file beside the process).

Tokens and secrets are read from the environment only and held as ``SecretStr``, so they never
appear in reprs or logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/explainbot.db"


def _id_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything the bot can be configured with; see ``.env.example``."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    knowledge_dir: Path = Field(default=Path("knowledge"), description="Folder of YAML files.")
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.", repr=False
    )
    watch_knowledge: bool = Field(default=True, description="Reload on file changes.")
    log_level: str = "INFO"
    bot_name: str = Field(default="explainbot", description="Name people @mention.")
    health_host: str = "0.0.0.0"
    health_port: int = Field(default=0, description="Serve /health here when non-zero.")

    daily_discord_rate: float | None = Field(
        default=None,
        gt=0,
        description="Daily quiz posts per second on Discord (default: the adapter's pace).",
    )
    daily_slack_rate: float | None = Field(
        default=None,
        gt=0,
        description="Daily quiz posts per second on Slack (default: the adapter's pace).",
    )

    discord_token: SecretStr | None = None
    discord_api_base_url: str | None = Field(
        default=None, description="e.g. http://proxy:8080/api/v10 for a shared rate-limit proxy."
    )
    discord_gateway_url: str | None = Field(default=None, description="Gateway override (tests).")
    discord_shard_count: int | None = None
    discord_shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = Field(default=None, description="e.g. a proxy; ends with /api/.")
    slack_host: str = "0.0.0.0"
    slack_port: int = 3000
    slack_admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("discord_shard_ids", "slack_admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        return _id_list(value)

    @property
    def discord_enabled(self) -> bool:
        """A Discord token is configured."""
        return bool(self.discord_token and self.discord_token.get_secret_value())

    @property
    def slack_enabled(self) -> bool:
        """A Slack bot token and either a signing secret (HTTP) or an app token (Socket Mode)."""
        return bool(
            self.slack_bot_token
            and self.slack_bot_token.get_secret_value()
            and (self.slack_signing_secret or self.slack_app_token)
        )
