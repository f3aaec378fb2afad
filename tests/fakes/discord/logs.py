"""Turning logged errors into test failures: discord.py logs (instead of raising) failures in
event handlers, commands, views and interaction responses."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence

#: The logger of every fake Discord module (their loggers are its children).
FAKE_LOGGER = __name__.rpartition(".")[0]


def _resolve(future: asyncio.Future[logging.LogRecord], record: logging.LogRecord) -> None:
    if not future.done():
        future.set_result(record)


class ErrorLogCollector(logging.Handler):
    """A logging handler that keeps ERROR (and worse) records."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self._waiters: list[asyncio.Future[logging.LogRecord]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep ``record`` and wake whoever waits for one."""
        self.records.append(record)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.get_loop().call_soon_threadsafe(_resolve, waiter, record)

    async def wait_for_record(self, timeout: float = 5.0) -> logging.LogRecord:
        """The first kept record, waiting up to ``timeout`` seconds for one."""
        if self.records:
            return self.records[0]
        waiter: asyncio.Future[logging.LogRecord] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return await asyncio.wait_for(waiter, timeout)

    def format_records(self) -> str:
        """The kept records, formatted with their tracebacks."""
        formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


@contextlib.contextmanager
def fail_on_error_logs(
    loggers: Sequence[str] = ("discord", FAKE_LOGGER),
) -> Iterator[ErrorLogCollector]:
    """Raise ``AssertionError`` at exit if any of ``loggers`` logged an ERROR or worse."""
    collector = ErrorLogCollector()
    attached = [logging.getLogger(name) for name in loggers]
    for logger in attached:
        logger.addHandler(collector)
    try:
        yield collector
    finally:
        for logger in attached:
            logger.removeHandler(collector)
    if collector.records:
        raise AssertionError("error logs during the test:\n" + collector.format_records())
