"""Prove the fake Discord with a bare, real discord.py client (no explainbot code)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands

from tests.fakes.discord import (
    DEFAULT_GUILD_ID,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    FakeDiscord,
    fail_on_error_logs,
    run_client,
)

COMMANDS = {"ping", "explain", "counter", "admin", "feedback"}
TERMS = ["transformer", "transfer learning", "tokenizer", "attention"]


class PersistentView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Again", custom_id="ping:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message("again: pong")


class QuizAnswer(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"quiz:(?P<q>\d+):(?P<a>\w)"
):
    def __init__(self, question: int, answer: str) -> None:
        super().__init__(discord.ui.Button(label=answer, custom_id=f"quiz:{question}:{answer}"))
        self.question = question
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> QuizAnswer:
        return cls(int(match["q"]), match["a"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(
            content=f"q{self.question}: you chose {self.answer}"
        )


class CounterView(discord.ui.View):
    """A non-persistent view bound to the message it was sent with."""

    @discord.ui.button(label="+1", custom_id="counter:inc")
    async def inc(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message("counted", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    comment: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Comment", custom_id="feedback:comment"
    )

    def __init__(self) -> None:
        super().__init__(custom_id="feedback")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.comment.value}", ephemeral=True)


class PingClient(discord.Client):
    def __init__(self) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
        )
        self.tree = app_commands.CommandTree(self)
        self.seen: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.resumed = asyncio.Event()

        @self.tree.command(name="ping", description="Answers pong")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        @self.tree.command(name="explain", description="Explain a term")
        @app_commands.describe(term="The term to explain")
        async def explain(interaction: discord.Interaction, term: str) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"{term} is a thing")

        @explain.autocomplete("term")
        async def explain_term(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=t, value=t) for t in TERMS if t.startswith(current)]

        @self.tree.command(name="counter", description="A message with a button")
        async def counter(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("count me", view=CounterView())

        @self.tree.command(name="admin", description="Manage Server only")
        @app_commands.default_permissions(manage_guild=True)
        async def admin(interaction: discord.Interaction) -> None:
            perms = interaction.permissions
            await interaction.response.send_message(f"manage_guild={perms.manage_guild}")

        @self.tree.command(name="feedback", description="Opens a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(FeedbackModal())

    async def setup_hook(self) -> None:
        self.add_view(PersistentView())
        self.add_dynamic_items(QuizAnswer)

    async def on_message(self, message: discord.Message) -> None:
        await self.seen.put(message)

    async def on_resumed(self) -> None:
        self.resumed.set()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[PingClient]:
    client = PingClient()
    with fail_on_error_logs():
        async with run_client(fake, client, wait_for_on_ready=True):
            yield client


async def next_message(client: PingClient) -> discord.Message:
    async with asyncio.timeout(2.0):
        return await client.seen.get()


@pytest.mark.asyncio
async def test_login_and_ready(fake: FakeDiscord, bot: PingClient) -> None:
    assert bot.is_ready()
    assert bot.user is not None
    assert bot.user.id == fake.bot_user.id
    assert bot.application_id == fake.application_id
    guild = bot.get_guild(DEFAULT_GUILD_ID)
    assert guild is not None
    assert not guild.unavailable
    assert guild.get_channel(fake.default_channel_id()) is not None
    assert guild.me is not None
    assert guild.member_count == 2
    assert fake.identify_count == 1
    assert fake.intents == discord.Intents.default().value
    assert [c.path for c in fake.gateway_connections] == ["/gateway"]
    assert fake.gateway_connections[0].query["encoding"] == "json"
    assert fake.requests_matching("GET", r"^/users/@me$")
    assert fake.requests_matching("GET", r"^/oauth2/applications/@me$")
    assert fake.heartbeats >= 1


@pytest.mark.asyncio
async def test_command_sync_global_and_guild(fake: FakeDiscord, bot: PingClient) -> None:
    synced = await bot.tree.sync()
    put = fake.requests_matching("PUT", rf"^/applications/{fake.application_id}/commands$")
    assert len(put) == 1
    assert put[0].status == 200
    assert {c["name"] for c in put[0].json} == COMMANDS
    assert {c.name for c in synced} == COMMANDS
    fetched = await bot.tree.fetch_commands()
    assert {c.id for c in fetched} == {c.id for c in synced}
    admin = next(c for c in fetched if c.name == "admin")
    assert admin.default_member_permissions is not None
    assert admin.default_member_permissions.manage_guild

    # Syncing again keeps the ids, as Discord does.
    again = await bot.tree.sync()
    assert {c.id for c in again} == {c.id for c in synced}

    guild = discord.Object(id=DEFAULT_GUILD_ID)
    bot.tree.copy_global_to(guild=guild)
    guild_synced = await bot.tree.sync(guild=guild)
    assert {c.guild_id for c in guild_synced} == {DEFAULT_GUILD_ID}
    assert fake.requests_matching("PUT", rf"/guilds/{DEFAULT_GUILD_ID}/commands$")


@pytest.mark.asyncio
async def test_invalid_command_is_rejected(fake: FakeDiscord, bot: PingClient) -> None:
    bad: app_commands.Command[Any, [], None] = app_commands.Command(
        name="bad", description="x" * 101, callback=_noop
    )
    bot.tree.add_command(bad)
    with pytest.raises(discord.HTTPException) as excinfo:
        await bot.tree.sync()
    assert excinfo.value.status == 400
    assert excinfo.value.code == 50035


async def _noop(interaction: discord.Interaction) -> None:
    """A command callback that is never called."""


@pytest.mark.asyncio
async def test_slash_command_gets_pong(fake: FakeDiscord, bot: PingClient) -> None:
    sent = await fake.send_slash_command("ping")
    callback = await fake.wait_for_callback(sent)
    assert callback.query == {"with_response": "1"}
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "pong"
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}
    original = fake.original_response(sent)
    assert original is not None
    assert original["content"] == "pong"
    # Discord echoes the (non-ephemeral) response as MESSAGE_CREATE.
    echoed = await next_message(bot)
    assert echoed.author.id == fake.bot_user.id
    assert echoed.content == "pong"


@pytest.mark.asyncio
async def test_defer_and_followup(fake: FakeDiscord, bot: PingClient) -> None:
    sent = await fake.send_slash_command("explain", {"term": "attention"})
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 5
    followup = await fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith(f"/webhooks/{fake.application_id}/")
    )
    assert followup.status == 200
    assert followup.json["content"] == "attention is a thing"
    # The first follow-up replaces the "thinking" message, as on Discord.
    original = fake.original_response(sent)
    assert original is not None
    assert original["content"] == "attention is a thing"
    assert original["flags"] == 0
    assert len(fake.channel_messages(fake.default_channel_id())) == 1


@pytest.mark.asyncio
async def test_dm_command_and_permissions(fake: FakeDiscord, bot: PingClient) -> None:
    plain = await fake.send_slash_command("admin")
    assert (await fake.wait_for_callback(plain)).json["data"]["content"] == "manage_guild=False"
    admin = await fake.send_slash_command(
        "admin", member_permissions=MEMBER_PERMISSIONS | MANAGE_GUILD
    )
    assert (await fake.wait_for_callback(admin)).json["data"]["content"] == "manage_guild=True"
    dm = await fake.send_slash_command("ping", guild_id=None)
    assert "user" in dm.payload
    assert "member" not in dm.payload
    assert (await fake.wait_for_callback(dm)).json["data"]["content"] == "pong"


@pytest.mark.asyncio
async def test_autocomplete_returns_choices(fake: FakeDiscord, bot: PingClient) -> None:
    await bot.tree.sync()  # so the fake knows the option types
    sent = await fake.send_autocomplete("explain", {"term": "tra"})
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 8
    assert callback.json["data"]["choices"] == [
        {"name": "transformer", "value": "transformer"},
        {"name": "transfer learning", "value": "transfer learning"},
    ]


@pytest.mark.asyncio
async def test_persistent_view_click(fake: FakeDiscord, bot: PingClient) -> None:
    sent = await fake.send_component_click("ping:again")
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "again: pong"


@pytest.mark.asyncio
async def test_dynamic_item_click_edits_message(fake: FakeDiscord, bot: PingClient) -> None:
    sent = await fake.send_component_click("quiz:7:b")
    callback = await fake.wait_for_callback(sent)
    assert callback.json["type"] == 7
    message = fake.get_message(int(sent.payload["message"]["id"]))
    assert message is not None
    assert message["content"] == "q7: you chose b"
    assert message["edited_timestamp"] is not None


@pytest.mark.asyncio
async def test_view_bound_to_sent_message(fake: FakeDiscord, bot: PingClient) -> None:
    sent = await fake.send_slash_command("counter")
    await fake.wait_for_callback(sent)
    original = fake.original_response(sent)
    assert original is not None
    assert original["components"]
    click = await fake.send_component_click("counter:inc", message=int(original["id"]))
    callback = await fake.wait_for_callback(click)
    assert callback.json["data"]["content"] == "counted"
    assert callback.json["data"]["flags"] == 64


@pytest.mark.asyncio
async def test_modal_round_trip(fake: FakeDiscord, bot: PingClient) -> None:
    opened = await fake.send_slash_command("feedback")
    callback = await fake.wait_for_callback(opened)
    assert callback.json["type"] == 9
    assert callback.json["data"]["custom_id"] == "feedback"
    submitted = await fake.send_modal_submit("feedback", {"feedback:comment": "great"})
    reply = await fake.wait_for_callback(submitted)
    assert reply.json["data"]["content"] == "thanks: great"


@pytest.mark.asyncio
async def test_message_create_mentioning_bot(fake: FakeDiscord, bot: PingClient) -> None:
    await fake.send_message_create("no mention here")
    plain = await next_message(bot)
    assert plain.content == ""  # no message_content intent: Discord blanks it
    await fake.send_message_create("what is attention?", mentions=[fake.bot_user])
    mentioned = await next_message(bot)
    assert bot.user in mentioned.mentions
    assert mentioned.content == "what is attention?"
    assert mentioned.guild is not None
    assert mentioned.guild.id == DEFAULT_GUILD_ID
    assert mentioned.author.id == fake.default_user.id
    await fake.send_message_create(f"<@{fake.bot_user.id}> hi", guild_id=None)
    dm = await next_message(bot)
    assert dm.guild is None
    assert isinstance(dm.channel, discord.DMChannel)
    assert bot.user in dm.mentions


@pytest.mark.asyncio
async def test_bot_can_send_and_edit_channel_messages(fake: FakeDiscord, bot: PingClient) -> None:
    channel = bot.get_channel(fake.default_channel_id())
    assert isinstance(channel, discord.TextChannel)
    async with channel.typing():
        message = await channel.send("hello", nonce="abc", embed=discord.Embed(title="T"))
    await message.edit(content="hello again")
    fetched = await channel.fetch_message(message.id)
    assert fetched.content == "hello again"
    assert fetched.embeds[0].title == "T"
    assert fake.requests_matching("POST", r"/typing$")
    with pytest.raises(discord.HTTPException) as excinfo:
        await channel.send("x" * 2001)
    assert excinfo.value.code == 50035


@pytest.mark.asyncio
async def test_gateway_drop_resumes(fake: FakeDiscord, bot: PingClient) -> None:
    await fake.drop_gateway()  # close code 4000
    await fake.wait_until_ready()
    await asyncio.wait_for(bot.resumed.wait(), 2.0)
    assert fake.resume_count == 1
    assert fake.identify_count == 1
    assert [c.path for c in fake.gateway_connections] == ["/gateway", "/gateway-resume"]
    sent = await fake.send_slash_command("ping")
    assert (await fake.wait_for_callback(sent)).json["data"]["content"] == "pong"


@pytest.mark.asyncio
async def test_transport_abort_resumes_and_replays(fake: FakeDiscord, bot: PingClient) -> None:
    await fake.drop_gateway(abort=True)
    # Sent while the connection is down: kept, and replayed on RESUME.
    await fake.send_message_create("while you were away", mentions=[fake.bot_user])
    await fake.wait_until_ready()
    assert fake.resume_count == 1
    assert fake.identify_count == 1
    assert fake.replayed_events == 1
    assert (await next_message(bot)).content == "while you were away"


@pytest.mark.asyncio
async def test_invalid_session_reidentifies(fake: FakeDiscord, bot: PingClient) -> None:
    async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s sleep before re-identifying."""

    bot.before_identify_hook = no_wait  # type: ignore[method-assign]
    fake.invalidate_session_next()
    await fake.drop_gateway()
    await asyncio.sleep(0)
    await fake.wait_until_ready()
    assert fake.identify_count == 2
    assert fake.resume_count == 0
    assert len(fake.rejected_resumes) == 1
    sent = await fake.send_slash_command("ping")
    assert (await fake.wait_for_callback(sent)).json["data"]["content"] == "pong"


@pytest.mark.asyncio
async def test_rate_limited_callback_is_retried(fake: FakeDiscord, bot: PingClient) -> None:
    fake.rate_limit_next("POST", r"^/interactions/\d+/[^/]+/callback$", retry_after=0.1)
    sent = await fake.send_slash_command("ping")
    callback = await fake.wait_for_callback(sent)
    assert callback.json["data"]["content"] == "pong"
    attempts = fake.requests_matching("POST", re.escape(sent.callback_path))
    assert [r.status for r in attempts] == [429, 200]


@pytest.mark.asyncio
async def test_rate_limited_rest_call_is_retried(fake: FakeDiscord, bot: PingClient) -> None:
    fake.rate_limit_next("POST", r"/channels/\d+/messages$", retry_after=0.05, global_=True)
    channel = bot.get_channel(fake.default_channel_id())
    assert isinstance(channel, discord.TextChannel)
    await channel.send("after the limit")
    statuses = [r.status for r in fake.requests_matching("POST", r"/channels/\d+/messages$")]
    assert statuses == [429, 200]


@pytest.mark.asyncio
async def test_error_logs_fail_the_test(fake: FakeDiscord) -> None:
    client = PingClient()

    @client.tree.command(name="boom", description="Raises")
    async def boom(interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    async def run_boom() -> None:
        with fail_on_error_logs() as errors:
            async with run_client(fake, client):
                await fake.send_slash_command("boom")
                await errors.wait_for_record()  # discord.py only logs the failure

    with pytest.raises(AssertionError, match="kaboom"):
        await run_boom()


@pytest.mark.asyncio
async def test_raw_http_contract(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(fake.api_base + "/users/@me") as response:
            assert response.headers["Content-Type"] == "application/json"
            assert response.headers["X-RateLimit-Remaining"] != "0"
        async with session.get(fake.api_base + "/no/such/route") as response:
            assert response.status == 404
            assert (await response.json())["message"] == "404: Not Found"
    assert [r.status for r in fake.requests] == [200, 404]


@pytest.mark.asyncio
async def test_token_is_checked() -> None:
    async with FakeDiscord(token="right") as fake:
        with pytest.raises(discord.LoginFailure):
            async with run_client(fake, PingClient(), token="wrong"):
                pass
        async with run_client(fake, PingClient(), token="right"):
            assert fake.identify_count == 1


@pytest.mark.asyncio
async def test_all_intents_client_gets_members_and_content(fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.all(), guild_ready_timeout=0.05)
    seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    @client.event
    async def on_message(message: discord.Message) -> None:
        await seen.put(message)

    with fail_on_error_logs():
        async with run_client(fake, client, wait_for_on_ready=True):
            guild = client.get_guild(DEFAULT_GUILD_ID)
            assert guild is not None
            assert guild.chunked
            assert guild.get_member(fake.default_user.id) is not None
            found = await guild.query_members("test")
            assert [m.id for m in found] == [fake.default_user.id]
            await fake.send_message_create("plain text, no mention")
            async with asyncio.timeout(2.0):
                message = await seen.get()
            assert message.content == "plain text, no mention"


@pytest.mark.asyncio
async def test_auto_sharded_client(fake: FakeDiscord) -> None:
    client = discord.AutoShardedClient(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    with fail_on_error_logs():
        async with run_client(fake, client, wait_for_on_ready=True):
            assert client.shard_count == 1
            assert fake.requests_matching("GET", r"^/gateway/bot$")
            assert fake.identifies[0]["shard"] == [0, 1]
