"""The fake workspace's ids, names and secrets, shared by the fake and the payloads it builds."""

from __future__ import annotations

from typing import Final

DEFAULT_TEAM_ID: Final = "T0FAKE001"
DEFAULT_TEAM_NAME: Final = "Fake Team"
DEFAULT_TEAM_DOMAIN: Final = "fake-team"
DEFAULT_APP_ID: Final = "A0FAKEAPP"
DEFAULT_BOT_ID: Final = "B0FAKEBOT"
DEFAULT_BOT_USER_ID: Final = "U0FAKEBOT"
DEFAULT_BOT_NAME: Final = "explainbot"
DEFAULT_USER_ID: Final = "U0FAKEUSR"
DEFAULT_USER_NAME: Final = "alice"
DEFAULT_CHANNEL_ID: Final = "C0FAKECHN"
DEFAULT_CHANNEL_NAME: Final = "general"
DEFAULT_DM_CHANNEL_ID: Final = "D0FAKEDM1"
DEFAULT_BOT_TOKEN: Final = "xoxb-0000-fake-bot-token"
DEFAULT_APP_TOKEN: Final = "xapp-1-A0FAKEAPP-0000-fake-app-token"
DEFAULT_SIGNING_SECRET: Final = "fake-signing-secret"
VERIFICATION_TOKEN: Final = "fakeVerificationToken"
#: The bot token's scopes, sent back in ``x-oauth-scopes`` as Slack does.
DEFAULT_SCOPES: Final = "app_mentions:read,chat:write,commands,im:history,users:read"
