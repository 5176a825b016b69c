"""Stop work for a client that has gone.

Starlette does not cancel an endpoint when its client disconnects: a query
would hold its worker to the time limit for nobody. :func:`unless_disconnected`
races the work against the ASGI ``http.disconnect`` message and cancels the
work when the client leaves first (the worker pool then kills the worker).
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

from starlette.requests import Request

T = TypeVar("T")


class ClientGone(Exception):
    """The client disconnected before its answer was ready; the work was cancelled."""


async def _disconnect(request: Request) -> None:
    # Call only once the body has been read: the messages left are the end of
    # an (empty) body and then, when the connection closes, http.disconnect.
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """The result of ``work`` (a coroutine), unless the client of ``request`` disconnects first.

    Call it only after the request body has been read whole. ``work`` runs in
    the calling task; a watcher task cancels that task when the client leaves.

    Raises:
        ClientGone: the client left; ``work`` was cancelled and has ended.
        Whatever ``work`` raises.
    """
    task = asyncio.current_task()
    gone = False

    async def watch() -> None:
        nonlocal gone
        await _disconnect(request)
        gone = True
        task.cancel()

    watcher = asyncio.ensure_future(watch())
    try:
        return await work
    except asyncio.CancelledError:
        if gone and task.uncancel() == 0:  # cancelled by the watcher only
            raise ClientGone("the client disconnected; its request was stopped") from None
        raise
    finally:
        watcher.cancel()
