"""The Slack adapter: a slack-bolt ``AsyncApp`` on the core, over HTTP or Socket Mode.

Ack strategy (Slack wants an answer within 3 s):

- Slash commands are answered *inside* the ack (``ack(blocks=..., response_type=...)``): one
  HTTP exchange or one Socket Mode ack, no ``response_url`` call. The core answers in
  milliseconds (database ones included); should it ever take longer than ``ACK_BUDGET`` the ack
  says "working on it" and the answer follows through ``response_url``.
- Events (mentions, direct messages, App Home) and button clicks are acked at once; the work
  runs afterwards in a tracked background task inside this adapter's error boundary, so a
  failure is logged and never turns into a Slack retry or a lost ack.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import translate
from bot.adapters.slack.dedupe import SeenCache
from bot.adapters.slack.home import home_view
from bot.adapters.slack.messenger import SlackMessenger
from bot.adapters.slack.render import ACTION_ID_PATTERN, render
from bot.adapters.slack.transport import HttpTransport, SocketModeTransport, Transport
from bot.adapters.text import commands as text_commands
from bot.core import cards
from bot.core.replies import Reply, ReplyKind, Tone
from bot.core.request import Requester
from bot.core.service import SORRY, Core
from bot.settings import Settings

logger = logging.getLogger(__name__)

COMMANDS = ("/explain", "/compare", "/quiz", "/explainbot")
"""Slash commands this app registers (the manifest must list the same)."""
EVENTS = {
    "app_mention": "app_mention",
    "message": "message.im",
    "app_home_opened": "app_home_opened",
}
"""Event types this app listens to → the manifest's bot event subscriptions."""
ACK_BUDGET = 2.0
"""Seconds a slash command may take before the ack says "working on it" instead."""
RATE_LIMIT_RETRIES = 3

Respond = Callable[..., Awaitable[Any]]


def make_client(settings: Settings) -> AsyncWebClient:
    """The Web API client: the bot token, an optional base URL, and 429 retries."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    kwargs: dict[str, Any] = {}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
        **kwargs,
    )


def _usage(title: str, text: str) -> Reply:
    return cards.notice(title, text, tone=Tone.WARNING)


class SlackBot:
    """The Bolt app and its listeners; :meth:`transport` picks HTTP or Socket Mode."""

    def __init__(
        self,
        core: Core,
        settings: Settings,
        *,
        client: AsyncWebClient | None = None,
        ping_interval: float = 10.0,
    ) -> None:
        self.core = core
        self.settings = settings
        self.client = client or make_client(settings)
        secret = settings.slack_signing_secret
        self.app = AsyncApp(
            signing_secret=secret.get_secret_value() if secret else "",
            client=self.client,
            process_before_response=True,
        )
        self.admins = translate.AdminCheck(self._user_info, settings.slack_admin_user_ids)
        self.messenger = SlackMessenger(self.client, rate=settings.daily_slack_rate)
        self.seen = SeenCache()
        self.ping_interval = ping_interval
        self._tasks: set[asyncio.Task[None]] = set()
        self._transport: Transport | None = None
        self.ready = asyncio.Event()
        """Set once the transport is running (for supervisors and tests)."""
        self._register()

    # ---- wiring

    def _register(self) -> None:
        for name in COMMANDS:
            self.app.command(name)(self._on_command)
        listeners = {
            "app_mention": self._on_mention,
            "message": self._on_message,
            "app_home_opened": self._on_home_opened,
        }
        for event_type in EVENTS:
            self.app.event(event_type)(listeners[event_type])
        self.app.action(ACTION_ID_PATTERN)(self._on_button)

    def transport(self) -> Transport:
        """Socket Mode when an app token is configured, else an HTTP server."""
        if self._transport is None:
            token = self.settings.slack_app_token
            if token is not None and token.get_secret_value():
                self._transport = SocketModeTransport(
                    self.app, token.get_secret_value(), ping_interval=self.ping_interval
                )
            else:
                if not self.settings.slack_signing_secret:
                    raise ValueError(
                        "HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN)"
                    )
                self._transport = HttpTransport(
                    self.app, host=self.settings.slack_host, port=self.settings.slack_port
                )
        return self._transport

    @property
    def connected(self) -> bool:
        """Health: the socket is connected (Socket Mode) or the server is running (HTTP)."""
        return self._transport is not None and self._transport.connected

    async def start(self) -> Transport:
        """Start the chosen transport."""
        transport = self.transport()
        await transport.start()
        self.ready.set()
        return transport

    async def close(self) -> None:
        """Stop the transport, then let in-flight work finish."""
        self.ready.clear()
        if self._transport is not None:
            await self._transport.close()
        await self.drain()

    async def drain(self) -> None:
        """Wait for background work (answers after an ack) to finish."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # ---- error boundary

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run ``work`` after the ack; failures are logged, never raised into Bolt."""

        async def guarded() -> None:
            try:
                await work
            except Exception:
                logger.exception("slack: %s failed", what)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _user_info(self, user_id: str) -> Mapping[str, Any]:
        response = await self.client.users_info(user=user_id)
        user: Mapping[str, Any] = response["user"]
        return user

    # ---- slash commands

    async def _on_command(self, ack: Any, body: dict[str, Any], respond: Respond) -> None:
        command = translate.SlashCommand.from_body(body)
        task = asyncio.ensure_future(self._answer_command(command, body))
        try:
            reply = await asyncio.wait_for(asyncio.shield(task), ACK_BUDGET)
        except TimeoutError:
            logger.warning(
                "slack: %s slower than %.1f s; answering later", command.name, ACK_BUDGET
            )
            await ack(text="Working on it…", response_type="ephemeral")
            self._spawn(self._respond_later(task, respond), f"{command.name} (late)")
            return
        except Exception:
            logger.exception("slack: %s failed", command.name)
            reply = SORRY
        rendered = render(reply)
        await ack(
            text=rendered.text,
            blocks=rendered.blocks,
            response_type="ephemeral" if reply.ephemeral else "in_channel",
        )

    async def _respond_later(self, task: asyncio.Future[Reply], respond: Respond) -> None:
        reply = await task
        rendered = render(reply)
        await respond(
            text=rendered.text,
            blocks=rendered.blocks,
            response_type="ephemeral" if reply.ephemeral else "in_channel",
            replace_original=False,
        )

    async def _answer_command(self, command: translate.SlashCommand, body: dict[str, Any]) -> Reply:
        admin = command.name == "/explainbot" and await self.admins.is_admin(
            str(body.get("user_id", ""))
        )
        who = translate.from_command(body, is_admin=admin)
        parsed = text_commands.parse(
            f"{command.name} {command.text}", resolve_channel=translate.channel_id
        )
        return await text_commands.run(self.core, parsed, who)

    # ---- mentions and direct messages

    async def _on_mention(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if self._first_delivery(body, event):
            self._spawn(self._answer_message(body, event), "app_mention")

    async def _on_message(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if translate.is_user_direct_message(event) and self._first_delivery(body, event):
            self._spawn(self._answer_message(body, event), "direct message")

    def _first_delivery(self, body: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
        """False for a redelivered event (same message, or same event id)."""
        key = translate.message_key(event)
        event_id = body.get("event_id")
        fresh_message = key is None or self.seen.first_time(("message", *key))
        fresh_event = not isinstance(event_id, str) or self.seen.first_time(("event", event_id))
        if not (fresh_message and fresh_event):
            logger.info("slack: duplicate delivery of %s ignored", key or event_id)
            return False
        return True

    async def _answer_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        who = translate.from_event(body, event)
        text = translate.plain_text(str(event.get("text", "")))
        reply = await self.core.message(text, who, thread=translate.conversation_key(event))
        rendered = render(reply)
        channel, thread = who.channel_id, translate.thread_of(event)
        if reply.ephemeral and event.get("channel_type") != "im":
            await self.client.chat_postEphemeral(
                channel=channel,
                user=who.user_id,
                thread_ts=thread,
                text=rendered.text,
                blocks=rendered.blocks,
            )
            return
        await self.client.chat_postMessage(
            channel=channel, thread_ts=thread, text=rendered.text, blocks=rendered.blocks
        )

    # ---- buttons

    async def _on_button(self, ack: Any, body: dict[str, Any], respond: Respond) -> None:
        await ack()
        self._spawn(self._answer_button(body, respond), "button")

    async def _answer_button(self, body: dict[str, Any], respond: Respond) -> None:
        who = translate.from_action(body)
        _, value = translate.first_action(body)
        reply = await self.core.action(value, who)
        rendered = render(reply)
        # A new question is for everyone in the channel; everything else only for the clicker.
        public = reply.kind is ReplyKind.QUIZ and not reply.ephemeral
        if body.get("response_url"):
            await respond(
                text=rendered.text,
                blocks=rendered.blocks,
                response_type="in_channel" if public else "ephemeral",
                replace_original=False,
            )
        elif who.channel_id and not public:
            await self.client.chat_postEphemeral(
                channel=who.channel_id, user=who.user_id, text=rendered.text, blocks=rendered.blocks
            )
        else:  # a click in App Home: answer in the app's direct messages
            await self.client.chat_postMessage(
                channel=who.channel_id or who.user_id, text=rendered.text, blocks=rendered.blocks
            )

    # ---- App Home

    async def _on_home_opened(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab", "home") == "home" and event.get("user"):
            self._spawn(self._publish_home(body, event), "app_home_opened")

    async def _publish_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        who = Requester(
            platform=translate.PLATFORM,
            user_id=str(event["user"]),
            scope_id=str(body.get("team_id", "")),
            channel_id=str(event.get("channel", "")),
        )
        home = await self.core.home(who)
        await self.client.views_publish(user_id=who.user_id, view=home_view(home.stats, home.term))


async def run_slack(
    core: Core,
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    bot: SlackBot | None = None,
) -> None:
    """Run the Slack adapter (HTTP or Socket Mode, by settings) until ``stop`` is set or the
    task is cancelled; always closes the transport and finishes in-flight work."""
    bot = bot or SlackBot(core, settings)
    transport = await bot.start()
    logger.info("slack: %s transport running", transport.name)
    try:
        if stop is None:
            await asyncio.Event().wait()
        else:
            await stop.wait()
    finally:
        try:
            await bot.close()
        except Exception:
            logger.exception("slack: error while closing")
        logger.info("slack: stopped")
