"""``GET /health``: is every configured platform connected? Used by the compose healthcheck."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

logger = logging.getLogger(__name__)

Check = Callable[[], bool]


class HealthServer:
    """A tiny aiohttp server: 200 when every platform check passes, 503 otherwise.

    The database is reported but does not make the bot unhealthy: definitions and comparisons
    keep working without it, and a restart would not bring it back.
    """

    def __init__(
        self,
        platforms: Mapping[str, Check],
        database: Callable[[], Awaitable[bool]],
        *,
        host: str,
        port: int,
    ) -> None:
        self.platforms = platforms
        self.database = database
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def report(self) -> tuple[int, dict[str, object]]:
        """The status code and the JSON body of one health check."""
        platforms = {name: bool(check()) for name, check in self.platforms.items()}
        healthy = all(platforms.values())
        body: dict[str, object] = {
            "status": "ok" if healthy else "unhealthy",
            "platforms": platforms,
            "database": await self.database(),
        }
        return (200 if healthy else 503), body

    async def _handle(self, _request: web.Request) -> web.Response:
        status, body = await self.report()
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def start(self) -> int:
        """Start listening; returns the bound port (useful with port 0)."""
        app = web.Application()
        app.router.add_get("/health", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        addresses = self._runner.addresses
        bound = int(addresses[0][1]) if addresses else self.port
        logger.info("health endpoint on http://%s:%d/health", self.host, bound)
        return bound

    async def close(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
