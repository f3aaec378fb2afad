"""What both platform fakes share: a server on 127.0.0.1 and waiting for what it records."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Self, TypeVar

from aiohttp import WSCloseCode, web

__all__ = ["Changes", "LoopbackServer"]

_T = TypeVar("_T")


class Changes:
    """Lets tests wait until something a fake records makes ``find`` return a value."""

    def __init__(self) -> None:
        self._cond = asyncio.Condition()

    async def notify(self) -> None:
        """Wake every waiter to look again."""
        async with self._cond:
            self._cond.notify_all()

    async def wait_for(self, find: Callable[[], _T | None], timeout: float, what: str) -> _T:
        """The first non-None ``find()``, re-checked after each change.

        Raises ``TimeoutError("no {what} within {timeout} s")`` when ``timeout`` runs out.
        """
        async with self._cond:
            try:
                await asyncio.wait_for(self._cond.wait_for(lambda: find() is not None), timeout)
            except TimeoutError:
                raise TimeoutError(f"no {what} within {timeout} s") from None
        found = find()
        assert found is not None
        return found


class LoopbackServer:
    """An aiohttp server on 127.0.0.1 with an ephemeral port, usable as an async context manager.

    Subclasses provide the routes (:meth:`_routes`) and add every websocket they accept to
    ``_websockets``; :meth:`close` closes those with 1001 (going away) before stopping.
    """

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._websockets: set[web.WebSocketResponse] = set()

    def _routes(self, router: web.UrlDispatcher) -> None:
        raise NotImplementedError

    async def _on_close(self) -> None:
        """Forget live connections before the websockets close (subclass hook)."""

    async def start(self) -> None:
        """Start serving on 127.0.0.1 with an ephemeral port."""
        if self._runner is not None:
            raise RuntimeError(f"{type(self).__name__} already started")
        app = web.Application()
        self._routes(app.router)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Close open websockets (1001) and stop the server; does nothing when not started."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await self._on_close()
        for ws in list(self._websockets):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    ws.close(code=WSCloseCode.GOING_AWAY, message=b"fake shutting down"), 2.0
                )
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"
